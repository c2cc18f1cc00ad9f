//! `misplaced-directive`: a directive Next.js silently ignores or rejects: after other
//! statements, in parentheses, misspelled, conflicting, or in a place it has no meaning.

use std::collections::BTreeMap;

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::{DirectiveLike, FnId};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "misplaced-directive",
    default_severity: Severity::Warning,
    enabled_by_default: true,
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
    DIRECTIVES.iter().copied().find(|d| {
        value == *d
            || (*d == "use cache"
                && value
                    .strip_prefix("use cache: ")
                    .is_some_and(|kind| !kind.trim().is_empty()))
    })
}

/// The server directive Next.js itself takes a near-miss spelling for (its compiler's own
/// measure: one or two characters changed, or one inserted), wherever the string stands.
fn next_near_miss(value: &str) -> Option<&'static str> {
    if value == "use action" {
        return Some("use server");
    }
    ["use server", "use cache"]
        .into_iter()
        .find(|d| value != *d && similar(value, d))
}

/// Next's `detect_similar_strings`: same length with 1-2 differing characters, or one extra
/// character.
fn similar(a: &str, b: &str) -> bool {
    let (mut a, mut b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if a.len() == b.len() {
        let diff = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        return (1..=2).contains(&diff);
    }
    if a.len() - b.len() > 1 {
        return false;
    }
    match (0..b.len()).find(|&i| a[i] != b[i]) {
        Some(i) => a[i + 1..] == b[i..],
        None => true,
    }
}

/// A near-miss of `'use client'` in a prologue (Next.js does not check these: the module just
/// stays a Server Component).
fn client_near_miss(value: &str) -> Option<&'static str> {
    let normalized = value.trim().to_ascii_lowercase();
    (normalized != "use client" && strsim::levenshtein(&normalized, "use client") <= 2)
        .then_some("use client")
}

/// `use cache:kind`, `use cache :kind`, `use cache kind`, `use cache:`: a cache kind written
/// the way Next.js does not read (16 rejects it), with the kind it names if any.
fn malformed_cache_kind(value: &str) -> Option<Option<&str>> {
    let rest = value.strip_prefix("use cache")?;
    if known(value).is_some() || !rest.starts_with([':', ' ']) {
        return None;
    }
    let kind = rest.trim_start().trim_start_matches(':').trim();
    Some((!kind.is_empty() && !kind.contains(char::is_whitespace)).then_some(kind))
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    // Prologue directives per container (None: the module), in order, to find conflicts.
    let mut prologues: BTreeMap<Option<FnId>, Vec<(&'static str, &DirectiveLike)>> =
        BTreeMap::new();
    for d in &facts.directive_likes {
        let quoted = ctx.text(d.string_range);
        let near_miss = next_near_miss(&d.value).filter(|_| d.top_level);
        // Next.js rejects a parenthesised directive only where a directive could stand: a
        // statement of the file or function body itself (`'use client'` only in the file). In
        // a nested block, or `'use client'` in a function, it is an expression it ignores.
        let parenthesized_checked = d.parenthesized
            && d.top_level
            && (d.function.is_none() || known(&d.value) != Some("use client"));
        match known(&d.value).or(near_miss.filter(|_| d.parenthesized)) {
            Some(_) if d.parenthesized && !parenthesized_checked => {}
            Some(kind) if d.parenthesized => {
                // A near-miss in parentheses is fixed to the directive it meant.
                let bare = match known(&d.value) {
                    Some(_) => quoted.to_string(),
                    None => format!("{q}{kind}{q}", q = quoted.chars().next().unwrap_or('\'')),
                };
                out.push(
                    Diagnostic::new(RULE.name, d.range, format!("{quoted} in parentheses is an ordinary expression, not a directive"))
                        .with_help("Next.js only reads directives written as bare strings at the top of a file or function, and rejects this one at build.")
                        .with_fix(Fix::unsafe_("Remove the parentheses (this changes what the code does)", vec![Edit::replace(
                            d.range,
                            format!("{bare}{}", ctx.statement_terminator(d.range)),
                        )])),
                )
            }
            Some(_) if !d.in_prologue => out.push(not_in_prologue(ctx, d, quoted)),
            Some(kind) => {
                prologues.entry(d.function).or_default().push((kind, d));
                misplaced_in_function(ctx, d, kind, quoted, out);
            }
            None if d.parenthesized => {}
            None => {
                let meant = near_miss.or(client_near_miss(&d.value).filter(|_| d.in_prologue));
                if let Some(fix) = meant {
                    out.push(misspelled(d, quoted, fix));
                } else if let Some(kind) = malformed_cache_kind(&d.value).filter(|_| d.top_level) {
                    out.push(malformed_cache(d, quoted, kind));
                }
            }
        }
    }
    for directives in prologues.values() {
        report_conflicts(directives, out);
    }
}

fn misspelled(d: &DirectiveLike, quoted: &str, fix: &str) -> Diagnostic {
    let quote = quoted.chars().next().unwrap_or('\'');
    Diagnostic::new(RULE.name, d.range, format!("{quoted} is not a directive Next.js knows: did you mean '{fix}'?"))
        .with_help("A misspelled directive is an ordinary string (Next.js rejects near-misses of 'use server' and 'use cache' at build): the module or function silently keeps its old meaning.")
        .with_fix(Fix::unsafe_(format!("Change it to '{fix}'"), vec![Edit::replace(d.string_range, format!("{quote}{fix}{quote}"))]))
}

fn malformed_cache(d: &DirectiveLike, quoted: &str, kind: Option<&str>) -> Diagnostic {
    let quote = quoted.chars().next().unwrap_or('\'');
    let diagnostic = Diagnostic::new(
        RULE.name,
        d.range,
        format!("{quoted} is not a directive Next.js reads: a cache kind is written 'use cache: <kind>'"),
    )
    .with_help("Next.js 15 ignores it (the function is not cached) and Next.js 16 fails the build.");
    match kind {
        Some(kind) => diagnostic.with_fix(Fix::unsafe_(
            format!("Change it to 'use cache: {kind}'"),
            vec![Edit::replace(
                d.string_range,
                format!("{quote}use cache: {kind}{quote}"),
            )],
        )),
        None => diagnostic,
    }
}

fn not_in_prologue(ctx: &FileContext, d: &DirectiveLike, quoted: &str) -> Diagnostic {
    if !d.top_level {
        return Diagnostic::new(RULE.name, d.range, format!("{quoted} inside a block is not a directive"))
            .with_help("Directives must be the first statements of the file or function body; Next.js 15 ignores this one and 16 fails the build on it.");
    }
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
    let Some(function) = d.function else {
        return;
    };
    if kind == "use client" {
        out.push(
            Diagnostic::new(RULE.name, d.range, format!("{quoted} inside a function has no effect"))
                .with_help("Client boundaries are per module: put 'use client' at the top of the component's file."),
        );
    } else if ctx.facts.is_use_client() {
        let (what, instead) = if kind == "use server" {
            ("Inline Server Actions are", "Define the action in a 'use server' file and import it, or pass it down from a Server Component.")
        } else {
            ("Inline 'use cache' functions are", "Define the function in a 'use cache' or 'use server' file and import it, or pass it down from a Server Component.")
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                d.range,
                format!("{what} not allowed in 'use client' modules"),
            )
            .with_help(instead),
        );
    } else if ctx.facts.functions[function].instance_method {
        out.push(
            Diagnostic::new(RULE.name, d.range, format!("{quoted} is not allowed in a class instance method"))
                .with_help("Next.js rejects it at build: use a function, an object method or a static method instead."),
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
