//! `misplaced-directive`: a directive Next.js silently ignores or rejects: after other
//! statements, in parentheses, misspelled, conflicting, or in a place it has no meaning.

use std::collections::BTreeMap;

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::{DirectiveLike, FnId};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "misplaced-directive",
    default_severity: Severity::Warning,
    fix: FixKind::Unsafe,
    needs: Needs::File,
    summary: "A 'use server'/'use client'/'use cache' directive that is ignored, misspelled, conflicting or misplaced.",
    doc: include_str!("../../../../rules/misplaced-directive.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

const DIRECTIVES: &[&str] = &["use server", "use client", "use cache"];

/// The directive a string is, exactly: `use cache: <kind>` counts as `use cache`.
fn known(value: &str) -> Option<&'static str> {
    DIRECTIVES
        .iter()
        .copied()
        .find(|d| value == *d || (*d == "use cache" && value.starts_with("use cache:")))
}

/// The directive a near-miss spelling most likely meant.
fn meant(value: &str) -> Option<&'static str> {
    let normalized = value.trim().to_ascii_lowercase();
    DIRECTIVES
        .iter()
        .map(|d| (strsim::levenshtein(&normalized, d), *d))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, d)| d)
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    // Prologue directives per container (None: the module), in order, to find conflicts.
    let mut prologues: BTreeMap<Option<FnId>, Vec<(&'static str, &DirectiveLike)>> =
        BTreeMap::new();
    for d in &facts.directive_likes {
        let quoted = ctx.text(d.string_range);
        match known(&d.value) {
            Some(_) if d.parenthesized => out.push(
                Diagnostic::new(RULE.name, d.range, format!("{quoted} in parentheses is an ordinary expression, not a directive"))
                    .with_help("Next.js only reads directives written as bare strings at the top of a file or function.")
                    .with_fix(Fix::unsafe_("Remove the parentheses (this changes what the code does)", vec![Edit::replace(
                        d.range,
                        format!("{quoted}{}", ctx.statement_terminator(d.range)),
                    )])),
            ),
            Some(_) if !d.in_prologue => out.push(not_in_prologue(ctx, d, quoted)),
            Some(kind) => {
                prologues.entry(d.function).or_default().push((kind, d));
                misplaced_in_function(ctx, d, kind, quoted, out);
            }
            None if d.in_prologue && !d.parenthesized => {
                if let Some(fix) = meant(&d.value) {
                    let quote = quoted.chars().next().unwrap_or('\'');
                    out.push(
                        Diagnostic::new(RULE.name, d.range, format!("{quoted} is not a directive Next.js knows: did you mean '{fix}'?"))
                            .with_help("A misspelled directive is an ordinary string: the module or function silently keeps its old meaning.")
                            .with_fix(Fix::unsafe_(format!("Change it to '{fix}'"), vec![Edit::replace(d.string_range, format!("{quote}{fix}{quote}"))])),
                    );
                }
            }
            None => {}
        }
    }
    for directives in prologues.values() {
        report_conflicts(directives, out);
    }
}

fn not_in_prologue(ctx: &FileContext, d: &DirectiveLike, quoted: &str) -> Diagnostic {
    let diagnostic = Diagnostic::new(RULE.name, d.range, format!("{quoted} comes after other statements, so Next.js ignores it"))
        .with_help("Directives must be the first statements of the file or function (comments may come before them).");
    if d.function.is_some() {
        return diagnostic;
    }
    // At module level: move it to the top (or just drop it when the top already says the same).
    let already_on_top = ctx
        .facts
        .directive_likes
        .iter()
        .any(|o| o.in_prologue && o.function.is_none() && o.value == d.value);
    let mut edits = vec![Edit::delete(ctx.statement_deletion_range(d.range))];
    if !already_on_top {
        let top = if ctx.source.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        edits.push(Edit::insert(
            top,
            format!(
                "{quoted}{}{}",
                ctx.statement_terminator(d.range),
                ctx.newline()
            ),
        ));
    }
    diagnostic.with_fix(Fix::unsafe_(
        "Move it to the top of the file (this changes what the module is)",
        edits,
    ))
}

fn misplaced_in_function(
    ctx: &FileContext,
    d: &DirectiveLike,
    kind: &str,
    quoted: &str,
    out: &mut Vec<Diagnostic>,
) {
    if d.function.is_none() {
        return;
    }
    if kind == "use client" {
        out.push(
            Diagnostic::new(RULE.name, d.range, format!("{quoted} inside a function has no effect"))
                .with_help("Client boundaries are per module: put 'use client' at the top of the component's file."),
        );
    } else if kind == "use server" && ctx.facts.is_use_client() {
        out.push(
            Diagnostic::new(RULE.name, d.range, "Inline Server Actions are not allowed in 'use client' modules")
                .with_help("Define the action in a 'use server' file and import it, or pass it down from a Server Component."),
        );
    }
}

fn report_conflicts(directives: &[(&'static str, &DirectiveLike)], out: &mut Vec<Diagnostic>) {
    const CONFLICTS: &[(&str, &str)] = &[
        ("use client", "use server"),
        ("use client", "use cache"),
        ("use server", "use cache"),
    ];
    for (i, (kind, d)) in directives.iter().enumerate() {
        let earlier = directives[..i].iter().find(|(other, _)| {
            CONFLICTS
                .iter()
                .any(|(a, b)| (a == other && b == kind) || (a == kind && b == other))
        });
        if let Some((other, first)) = earlier {
            out.push(
                Diagnostic::new(RULE.name, d.range, format!("'{kind}' conflicts with '{other}' in the same prologue"))
                    .with_help("Next.js rejects a module or function that is two things at once: keep the one you mean.")
                    .with_related(first.range, "the other directive"),
            );
        }
    }
}
