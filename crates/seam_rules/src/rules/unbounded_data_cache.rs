//! `unbounded-data-cache`: Data Cache entries keyed by per-call values that never expire.

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::{ArgFact, CallFact, Value};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "unbounded-data-cache",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::File,
    summary: "force-cache fetches and unstable_cache entries keyed by per-call values with no revalidate.",
    doc: include_str!("../../../../rules/unbounded-data-cache.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    for call in &ctx.facts.calls {
        if call.callee.is_global("fetch") && is_unbounded_fetch(call) {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    call.range,
                    "`fetch` with `cache: 'force-cache'` and a per-call URL stores a Data Cache entry per URL that never expires",
                )
                .with_help("Add `next: { revalidate: <seconds> }` so entries expire, or stop force-caching URLs built from arguments."),
            );
        } else if call.callee.is_imported("next/cache", &["unstable_cache"])
            && is_unbounded_unstable_cache(ctx, call)
        {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    call.range,
                    "`unstable_cache` without `revalidate` keeps one entry per argument list forever",
                )
                .with_help("Pass `{ revalidate: <seconds> }` as the third argument (tags alone only purge on demand)."),
            );
        }
    }
}

/// An options object seam can read completely: a literal without spreads or computed keys.
fn literal_object(arg: Option<&ArgFact>) -> Option<&ArgFact> {
    arg.filter(|a| {
        matches!(
            a.value,
            Value::Object {
                has_spread: false,
                ..
            }
        )
    })
}

fn is_unbounded_fetch(call: &CallFact) -> bool {
    let (Some(url), Some(init)) = (call.args.first(), literal_object(call.args.get(1))) else {
        return false;
    };
    if init.prop("cache").and_then(ArgFact::as_str) != Some("force-cache") {
        return false;
    }
    let revalidates = match init.prop("next") {
        None => false,
        Some(next) => match literal_object(Some(next)) {
            Some(next) => next.prop("revalidate").is_some(),
            None => return false, // `next: options`: cannot see inside
        },
    };
    !revalidates && url.variability.varies_per_call()
}

fn is_unbounded_unstable_cache(ctx: &FileContext, call: &CallFact) -> bool {
    let function = match call.args.first().map(|a| &a.value) {
        Some(Value::Function(f) | Value::LocalFunction(f)) => *f,
        _ => return false,
    };
    if ctx.facts.functions[function].params == 0 {
        return false;
    }
    match call.args.get(2) {
        None => true,
        Some(options) => {
            literal_object(Some(options)).is_some_and(|o| o.prop("revalidate").is_none())
        }
    }
}
