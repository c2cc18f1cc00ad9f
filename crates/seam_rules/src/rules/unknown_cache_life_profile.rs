//! `unknown-cache-life-profile`: `cacheLife('name')` with a name that is neither built in nor
//! defined in next.config, and `'use cache: <kind>'` with a kind that is neither built in nor a
//! `cacheHandlers` key. Next.js fails the build (or the request) on both.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::{Directive, DirectiveKind};

use crate::cache_profiles::{closest, known_cache_kinds, known_profiles, CACHE_LIFE_APIS};
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "unknown-cache-life-profile",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::Unsafe,
    needs: Needs::Project,
    summary: "cacheLife('name') or 'use cache: kind' names a profile or cache handler that does not exist.",
    doc: include_str!("../../../../rules/unknown-cache-life-profile.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    check_profiles(ctx, out);
    check_kinds(ctx, out);
}

fn check_profiles(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let calls: Vec<_> = ctx
        .facts
        .calls
        .iter()
        .filter(|c| c.callee.is_imported("next/cache", CACHE_LIFE_APIS))
        .collect();
    if calls.is_empty() {
        return;
    }
    let Some(known) = known_profiles(ctx.project) else {
        return; // next.config's profiles are computed: any name may exist
    };
    for call in calls {
        let Some(arg) = call.args.first() else {
            continue;
        };
        let Some(name) = arg.as_str() else { continue };
        if known.iter().any(|k| k == name) {
            continue;
        }
        let defined_where = match &ctx.project.next_config {
            Some(c) => format!("built in or defined in {}", c.file),
            None => "built in (there is no next.config)".to_string(),
        };
        let mut d = Diagnostic::new(
            RULE.name,
            arg.range,
            format!("cacheLife profile `{name}` is not {defined_where}"),
        )
        .with_help(format!(
            "Known profiles: {}. Define custom ones under `cacheLife` in next.config.",
            known.join(", ")
        ));
        if let Some(suggestion) = closest(name, &known) {
            let quote = &ctx.text(arg.range)[..1];
            d = d.with_fix(Fix::unsafe_(
                format!("Use `{suggestion}`"),
                vec![Edit::replace(
                    arg.range,
                    format!("{quote}{suggestion}{quote}"),
                )],
            ));
        }
        out.push(d);
    }
}

fn check_kinds(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    let directives = facts
        .directives
        .iter()
        .chain(facts.functions.iter().flat_map(|f| &f.directives));
    let with_kind: Vec<(&Directive, &str)> = directives
        .filter_map(|d| match &d.kind {
            DirectiveKind::UseCache(Some(kind)) => Some((d, kind.as_str())),
            _ => None,
        })
        .collect();
    if with_kind.is_empty() {
        return;
    }
    let Some(known) = known_cache_kinds(ctx.project) else {
        return;
    };
    for (directive, kind) in with_kind {
        if known.iter().any(|k| k == kind) {
            continue;
        }
        let mut d = Diagnostic::new(
            RULE.name,
            directive.range,
            format!("'use cache: {kind}' names no cache handler: `{kind}` is neither built in nor a `cacheHandlers` key"),
        )
        .with_help(format!(
            "Known kinds: {}. Register custom ones under `cacheHandlers` in next.config.",
            known.join(", ")
        ));
        if let Some(suggestion) = closest(kind, &known) {
            if let Some(fix) = kind_fix(ctx, directive, kind, suggestion) {
                d = d.with_fix(fix);
            }
        }
        out.push(d);
    }
}

/// Replaces the kind inside the directive's string, keeping its quotes and spacing.
fn kind_fix(ctx: &FileContext, directive: &Directive, kind: &str, suggestion: &str) -> Option<Fix> {
    let text = ctx.text(directive.range);
    let at = text.rfind(kind)? as u32 + directive.range.start;
    Some(Fix::unsafe_(
        format!("Use 'use cache: {suggestion}'"),
        vec![Edit::replace(
            seam_diagnostics::TextRange::new(at, at + kind.len() as u32),
            suggestion.to_string(),
        )],
    ))
}
