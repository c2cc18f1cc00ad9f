//! `sync-dynamic-api`: `cookies()`, `headers()`, `draftMode()` and the `params` /
//! `searchParams` props are promises since Next.js 15. Reading them without `await` (or
//! `use()`) works with a warning on 15 and reads `undefined` on 16.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::next_config::Setting;
use seam_syntax::{FileFacts, FnId, RequestApi, SyncRequestRead};

use crate::paths::app_router_file;
use crate::scopes::ROUTE_METHODS;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "sync-dynamic-api",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::Unsafe,
    needs: Needs::Project,
    summary: "cookies()/headers()/draftMode() or the params/searchParams props read without await (promises since Next 15; undefined on 16).",
    doc: include_str!("../../../../rules/sync-dynamic-api.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.sync_request_reads.is_empty() {
        return;
    }
    // Before 15 these are plain values; an unknown version could be either.
    let Some(major) = ctx.project.next_major.filter(|m| *m >= 15) else {
        return;
    };
    let cache_components = ctx
        .project
        .next_config
        .as_ref()
        .is_some_and(|c| c.config.cache_components(Some(major)) == Setting::Set(true));
    // Next 15 still hands out the values alongside the promise (with a dev warning), unless
    // Cache Components are on.
    let only_warns = major == 15 && !cache_components;
    let convention = app_router_file(ctx.path);
    for read in &facts.sync_request_reads {
        if read.source.is_some() && !is_next_prop(facts, read, convention, major) {
            continue;
        }
        let mut d = diagnostic(ctx, read, only_warns);
        if only_warns {
            d = d.at_most(Severity::Warning);
        }
        out.push(d);
    }
}

/// Whether a `params`/`searchParams` read comes from the props Next.js passes: the first
/// parameter of a page's or layout's default export (or its `generateMetadata`), or the
/// second of a route handler.
fn is_next_prop(
    facts: &FileFacts,
    read: &SyncRequestRead,
    convention: Option<&str>,
    major: u64,
) -> bool {
    let Some((function, index)) = read.source else {
        return false;
    };
    let Some(convention) = convention else {
        return false;
    };
    let exported_as = |names: &[&str]| -> bool {
        facts
            .exported_functions
            .iter()
            .any(|(name, f)| *f == function && names.contains(&name.as_str()))
    };
    let params_only = read.api == RequestApi::Params;
    match convention {
        "page" => index == 0 && exported_as(&["default", "generateMetadata", "generateViewport"]),
        "layout" | "template" | "default" => {
            index == 0
                && params_only
                && exported_as(&["default", "generateMetadata", "generateViewport"])
        }
        "route" => index == 1 && params_only && exported_as(ROUTE_METHODS),
        // Metadata images got promise params in 16.
        "opengraph-image" | "twitter-image" | "icon" | "apple-icon" => {
            major >= 16 && index == 0 && params_only && exported_as(&["default"])
        }
        _ => false,
    }
}

fn diagnostic(ctx: &FileContext, read: &SyncRequestRead, only_warns: bool) -> Diagnostic {
    let api = read.api.describe();
    let what = match read.api {
        RequestApi::Cookies | RequestApi::Headers | RequestApi::DraftMode => "returns a promise",
        RequestApi::Params | RequestApi::SearchParams => "is a promise",
    };
    let consequence = if only_warns {
        "Next.js 15 still allows this with a warning; 16 reads `undefined`"
    } else {
        "Next.js reads `undefined` here (or throws when it is called)"
    };
    let mut d = Diagnostic::new(
        RULE.name,
        read.range,
        format!("`{api}` {what}: `{}` reads it without `await`", ctx.text(read.range).lines().next().unwrap_or("")),
    )
    .with_help(format!(
        "{consequence}. Await it (`(await {api})`) in an async Server Component, action or route handler, or unwrap it with React's `use()` in a Client Component."
    ));
    if let Some(fix) = await_fix(ctx, read) {
        d = d.with_fix(fix);
    }
    d
}

/// `(await cookies()).get(...)`: only where the read is directly in an async function.
fn await_fix(ctx: &FileContext, read: &SyncRequestRead) -> Option<Fix> {
    let function: FnId = read.function?;
    if !ctx.facts.functions[function].is_async {
        return None;
    }
    let promise = ctx.text(read.promise);
    Some(Fix::unsafe_(
        format!("Await `{}`", read.api.describe()),
        vec![Edit::replace(read.promise, format!("(await {promise})"))],
    ))
}
