//! `dynamic-api-in-cache`: request-time APIs (`cookies()`, `headers()`, `draftMode()`,
//! `connection()`, the `searchParams` prop) inside a `'use cache'` scope, directly or through a
//! same-file helper the cached function calls. Next.js throws at run time there.

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::DirectiveKind;

use crate::scopes::{CacheScope, Scopes};
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "dynamic-api-in-cache",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Project,
    summary: "cookies(), headers(), connection() or searchParams used inside a 'use cache' scope.",
    doc: include_str!("../../../../rules/dynamic-api-in-cache.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// (module, API, the first Next major that allows it in `'use cache: private'`). `draftMode()`
/// is not here: reading `isEnabled` inside a cache is allowed, only `enable()`/`disable()` throw.
const DYNAMIC_APIS: &[(&str, &str, Option<u64>)] = &[
    ("next/headers", "cookies", Some(15)),
    ("next/headers", "headers", Some(16)),
    ("next/server", "connection", None),
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    let any_cache = facts.file_cache_directive().is_some()
        || facts
            .functions
            .iter()
            .any(|f| f.has_directive(|k| matches!(k, DirectiveKind::UseCache(_))));
    if !any_cache {
        return;
    }
    let scopes = Scopes::of(facts);
    for call in &facts.calls {
        let Some((module, name)) = call.callee.imported_api() else {
            continue;
        };
        let Some(&(_, _, private_since)) = DYNAMIC_APIS
            .iter()
            .find(|(m, n, _)| *m == module && *n == name)
        else {
            continue;
        };
        let Some(scope) = scopes.cache(call.function) else {
            continue;
        };
        let private_ok = private_since.is_some_and(|major| ctx.project.next_at_least(major));
        if scope.is_private() && private_ok {
            continue;
        }
        let help = if private_since.is_some() {
            "Read it outside the cached function and pass the value in as an argument (it becomes part \
             of the cache key), or use 'use cache: private' for per-user data."
        } else {
            "connection() opts out of caching: call it outside the cached function."
        };
        out.push(report(
            ctx,
            call.callee_range,
            &format!("`{name}()`"),
            scope,
            help,
        ));
    }
    if is_page(ctx) {
        let page = facts
            .default_export
            .as_ref()
            .and_then(|d| d.function)
            .or_else(|| {
                facts
                    .exported_functions
                    .iter()
                    .find(|(n, _)| n == "default")
                    .map(|(_, f)| *f)
            });
        for used in &facts.search_params {
            let Some(scope) = scopes.cache(Some(used.function)) else {
                continue;
            };
            if scope.is_private() || Some(scope.root) != page {
                continue;
            }
            out.push(report(
                ctx,
                used.range,
                "the `searchParams` prop",
                scope,
                "Read searchParams in an uncached page and pass the values a cached component needs as props.",
            ));
        }
    }
}

fn is_page(ctx: &FileContext) -> bool {
    ctx.path.file_stem().and_then(|s| s.to_str()) == Some("page")
}

fn report(
    ctx: &FileContext,
    at: seam_diagnostics::TextRange,
    what: &str,
    scope: &CacheScope,
    help: &str,
) -> Diagnostic {
    let root = &ctx.facts.functions[scope.root];
    let cached = root.name.as_deref().unwrap_or("this function");
    let message = match scope.via {
        Some(_) => format!("{what} runs inside the cached `{cached}` (through a helper it calls): Next.js throws here"),
        None => format!("{what} inside the 'use cache' scope of `{cached}`: Next.js throws here"),
    };
    let mut d = Diagnostic::new(RULE.name, at, message)
        .with_help(help)
        .with_related(scope.directive, "cached by this directive");
    if let Some(via) = scope.via {
        d = d.with_related(via, "called from the cached function here");
    }
    d
}
