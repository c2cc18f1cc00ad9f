//! `client-api-in-server-component`: a module Next.js compiles as a React Server Component (a
//! page, layout or route handler, or anything one reaches without crossing `'use client'`)
//! that imports what only works in the browser: React state and effect hooks, class
//! components, `react-dom` client APIs, `next/navigation` hooks, `client-only`, `next/router`,
//! `react-dom/server`, or calls `next/dynamic` with `ssr: false`. Also an `error.tsx` that is not
//! a Client Component. Next.js fails the build on each.

use std::path::Path;

use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_graph::{ModuleGraph, ModuleId};
use seam_syntax::{FileFacts, Import, ImportKind, Imported, Value};

use crate::packages::table;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "client-api-in-server-component",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A Server Component module (no 'use client' on its import chain) uses a client-only API: hooks, class components, client-only, next/router, next/dynamic with ssr: false.",
    doc: include_str!("../../../../rules/client-api-in-server-component.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some((graph, module)) = ctx.graph else {
        return;
    };
    let facts = ctx.facts;
    if facts.is_use_client() {
        return;
    }
    check_error_file(ctx, graph, module, out);
    let server = graph.server();
    let Some(chain) = server.why(module) else {
        return;
    };
    let why = why_server(ctx, graph, module, &chain);
    let typescript = seam_syntax::is_typescript(ctx.path);
    for import in facts.imports.iter().filter(|i| is_checked_import(i)) {
        if let Some(instead) = table().client_only_module(&import.specifier) {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    import.specifier_range,
                    format!(
                        "`{}` only works in Client Components, and {why}",
                        import.specifier
                    ),
                )
                .with_help(format!(
                    "Next.js fails the build here ({instead}). Move the code that needs it into a \
                     'use client' module."
                )),
            );
            continue;
        }
        for name in &import.names {
            let Imported::Named(imported) = &name.imported else {
                continue;
            };
            let used = !typescript || seam_graph::name_used_as_value(facts, &name.local);
            if name.type_only || !used || !table().is_client_only_api(&import.specifier, imported) {
                continue;
            }
            out.push(client_api(name.range, imported, &import.specifier, &why));
        }
    }
    check_dynamic_without_ssr(facts, &why, out);
}

/// Static, non-type imports: what Next's compiler checks (`import()` is not).
fn is_checked_import(import: &Import) -> bool {
    import.kind == ImportKind::Static || import.kind == ImportKind::SideEffect
}

fn client_api(at: TextRange, name: &str, module: &str, why: &str) -> Diagnostic {
    let what = if matches!(name, "Component" | "PureComponent") {
        "Class components only work".to_string()
    } else {
        format!("`{name}` from `{module}` only works")
    };
    Diagnostic::new(
        RULE.name,
        at,
        format!("{what} in Client Components, and {why}"),
    )
    .with_help(
        "Next.js fails the build here. Add 'use client' at the top of the module that uses it \
         (keeping data fetching in a Server Component above it), or move that part into its own \
         'use client' component.",
    )
}

/// `dynamic(() => import('./x'), { ssr: false })` with `next/dynamic`'s default export.
fn check_dynamic_without_ssr(facts: &FileFacts, why: &str, out: &mut Vec<Diagnostic>) {
    for call in &facts.calls {
        if call.callee.imported_api() != Some(("next/dynamic", "default")) {
            continue;
        }
        let ssr_false = call
            .args
            .get(1)
            .and_then(|options| options.prop("ssr"))
            .is_some_and(|ssr| ssr.value == Value::Bool(false));
        if ssr_false {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    call.range,
                    format!("`next/dynamic` with `ssr: false` is not allowed in Server Components, and {why}"),
                )
                .with_help(
                    "Next.js fails the build here. Call `dynamic(..., { ssr: false })` in a 'use client' \
                     module and render that component from here.",
                ),
            );
        }
    }
}

/// `app/**/error.tsx` and `global-error.tsx` are error boundaries: Client Components by
/// definition, so Next.js rejects one without `'use client'`.
fn check_error_file(
    ctx: &FileContext,
    graph: &ModuleGraph,
    module: ModuleId,
    out: &mut Vec<Diagnostic>,
) {
    let path = &graph.modules[module].path;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if !matches!(stem, "error" | "global-error") || !in_app_dir(path) {
        return;
    }
    let start = ctx.facts.first_statement.unwrap_or(0);
    let end = ctx.source[start as usize..]
        .find('\n')
        .map_or(ctx.source.len() as u32, |n| start + n as u32);
    out.push(
        Diagnostic::new(
            RULE.name,
            TextRange::new(start, end),
            format!("{stem}.{} must be a Client Component: add 'use client' at the top", extension(path)),
        )
        .with_help("Error boundaries receive `error` and `reset` in the browser; Next.js fails the build without the directive."),
    );
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|s| s.to_str()).unwrap_or("tsx")
}

fn in_app_dir(path: &Path) -> bool {
    let mut dirs = std::collections::HashMap::new();
    // An error file sits where a page could: ask as if it were one.
    seam_graph::is_app_entry(&path.with_file_name("page.tsx"), &mut dirs)
}

/// Why the module is a Server Component, for messages.
fn why_server(
    ctx: &FileContext,
    graph: &ModuleGraph,
    module: ModuleId,
    chain: &[(ModuleId, usize)],
) -> String {
    let root = ctx.project_root();
    let show = |m: ModuleId| display(graph, m, root.as_deref());
    match chain.first() {
        None if graph.modules[module].is_server_boundary() => {
            "this module runs on the server (it is a 'use server' or 'use cache' module)".into()
        }
        None => {
            let stem = graph.modules[module]
                .path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("module");
            let what = if stem == "route" {
                "route handler"
            } else {
                stem
            };
            format!("this {what} is a Server Component module (no 'use client')")
        }
        Some(_) => {
            let path: Vec<String> = chain
                .iter()
                .map(|(m, _)| show(*m))
                .chain(std::iter::once(show(module)))
                .collect();
            format!(
                "this module is a Server Component: {} (no 'use client' on the way)",
                path.join(" → ")
            )
        }
    }
}

/// A module's path for messages: relative to this file's project root when inside it, else
/// from the nearest common folder's child (a workspace package's `packages/ui/src/x.tsx`).
fn display(graph: &ModuleGraph, module: ModuleId, root: Option<&Path>) -> String {
    let path = &graph.modules[module].path;
    if let Some(relative) = root.and_then(|r| path.strip_prefix(r).ok()) {
        return seam_diagnostics::files::slashed(relative);
    }
    let base = root.and_then(|r| r.ancestors().find(|a| path.starts_with(a)));
    match base.and_then(|b| path.strip_prefix(b).ok()) {
        Some(relative) => seam_diagnostics::files::slashed(relative),
        None => path.display().to_string(),
    }
}
