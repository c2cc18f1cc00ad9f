//! `cache-api-outside-cache`: cache APIs where Next.js rejects them at run time.
//! - `cacheLife()` / `cacheTag()` outside a `'use cache'` scope, in code not only called from one;
//! - `updateTag()` / `refresh()` outside a Server Action (route handlers, pages, cached code);
//! - `revalidatePath()` / `revalidateTag()` inside a `'use cache'` scope.
//!
//! Callers are followed within the file and, through the module graph, to the modules that
//! import the function; a function nothing calls (as far as seam sees) is left alone.

use std::path::Path;

use rustc_hash::FxHashMap as HashMap;
use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_graph::ModuleId;
use seam_syntax::{CallFact, Callee, DirectiveKind, FileFacts, FnId};

use crate::scopes::{calls_from_importers, is_framework_entry, outermost, Scopes};
use crate::{is_test_or_script, no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "cache-api-outside-cache",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "cacheLife()/cacheTag() outside 'use cache', updateTag()/refresh() outside a Server Action, or revalidation inside a cache.",
    doc: include_str!("../../../../rules/cache-api-outside-cache.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

const CACHE_ONLY: &[&str] = &[
    "cacheLife",
    "cacheTag",
    "unstable_cacheLife",
    "unstable_cacheTag",
];
const ACTION_ONLY: &[&str] = &["updateTag", "refresh"];
const NOT_IN_CACHE: &[&str] = &["revalidatePath", "revalidateTag"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Cache,
    Action,
}

impl Need {
    fn holds(self, scopes: &Scopes, function: Option<FnId>) -> bool {
        match self {
            Need::Cache => scopes.cache(function).is_some(),
            Need::Action => scopes.in_action(function),
        }
    }
    fn describe(self) -> &'static str {
        match self {
            Need::Cache => "outside any 'use cache' scope",
            Need::Action => "outside a Server Action",
        }
    }
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.is_use_client() {
        return; // server-import-in-client reports next/cache in client modules
    }
    let mut scopes = None;
    for call in &facts.calls {
        let Some(name) = cache_api(&call.callee) else {
            continue;
        };
        let scopes = scopes.get_or_insert_with(|| Scopes::of(facts));
        if NOT_IN_CACHE.contains(&name) {
            if let Some(scope) = scopes.cache(call.function) {
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        call.callee_range,
                        format!("`{name}()` inside a 'use cache' scope: Next.js throws here"),
                    )
                    .with_help(
                        "Revalidate from the Server Action or route handler that changes the data, not from cached code.",
                    )
                    .with_related(scope.directive, "cached by this directive"),
                );
            }
            continue;
        }
        let need = if ACTION_ONLY.contains(&name) {
            Need::Action
        } else {
            Need::Cache
        };
        if directly_in(need, facts, scopes, call.function) {
            continue;
        }
        if let Some(evidence) = runs_outside(ctx, scopes, need, call) {
            out.push(report(ctx, name, need, call, evidence));
        }
    }
}

/// The `next/cache` API a call names, if any.
fn cache_api(callee: &Callee) -> Option<&'static str> {
    let (module, name) = callee.imported_api()?;
    let known = |list: &[&'static str]| list.iter().copied().find(|n| *n == name);
    match module {
        "next/cache" => known(CACHE_ONLY)
            .or_else(|| known(ACTION_ONLY))
            .or_else(|| known(NOT_IN_CACHE)),
        "next/dist/server/use-cache/cache-tag" => known(&["cacheTag"]),
        _ => None,
    }
}

/// In scope without following callers: the function, or one it is nested in, is cached itself
/// (or is an action itself).
fn directly_in(need: Need, facts: &FileFacts, scopes: &Scopes, function: Option<FnId>) -> bool {
    let Some(f) = function else { return false };
    match need {
        Need::Cache => scopes.cache(Some(f)).is_some_and(|s| s.via.is_none()),
        Need::Action => facts.enclosing_functions(f).any(|g| {
            facts.actions.iter().any(|a| a.function == Some(g))
                || facts.functions[g].has_directive(|k| *k == DirectiveKind::UseServer)
        }),
    }
}

/// Why the call runs outside the scope it needs.
enum Evidence {
    /// At module top level: when the module loads.
    TopLevel,
    /// Next.js calls the export itself (a page, a route handler).
    Entry(String),
    /// An export of a `'use server'` file or an inline action: the client calls it directly.
    Action(String),
    /// Called from code outside the scope: the call sites from the function out, in this file
    /// (None) or another module.
    Callers(Vec<(Option<ModuleId>, TextRange)>),
}

/// Callers are followed this many calls out; further than that seam stays silent.
const MAX_CALLER_DEPTH: usize = 4;

/// One module's view for following callers.
#[derive(Clone, Copy)]
struct Site<'a> {
    facts: &'a FileFacts,
    path: &'a Path,
    module: Option<ModuleId>,
}

fn runs_outside(
    ctx: &FileContext,
    scopes: &Scopes,
    need: Need,
    call: &CallFact,
) -> Option<Evidence> {
    let site = Site {
        facts: ctx.facts,
        path: ctx.path,
        module: ctx.graph.map(|(_, m)| m),
    };
    outside(ctx, site, scopes, need, call.function, 0)
}

/// Whether code in `function` of `site` (not itself in scope) can run outside the scope: it
/// is a top-level statement, an entry Next.js calls, an action, or some caller of it is
/// outside the scope. Unknown callers (nothing calls it, or too far) count as inside.
fn outside(
    ctx: &FileContext,
    site: Site,
    scopes: &Scopes,
    need: Need,
    function: Option<FnId>,
    depth: usize,
) -> Option<Evidence> {
    let facts = site.facts;
    let Some(function) = function else {
        return Some(Evidence::TopLevel);
    };
    if depth > MAX_CALLER_DEPTH {
        return None;
    }
    let owner = outermost(facts, function);
    let exported: Vec<&str> = facts
        .exported_functions
        .iter()
        .filter(|(_, f)| *f == owner)
        .map(|(n, _)| n.as_str())
        .collect();
    if let Some(entry) = exported.iter().find(|n| is_framework_entry(site.path, n)) {
        return Some(Evidence::Entry(entry.to_string()));
    }
    if need == Need::Cache {
        if let Some(action) = facts.actions.iter().find(|a| a.function == Some(owner)) {
            return Some(Evidence::Action(action.name.clone()));
        }
    }
    let caller_outside = |site: Site, scopes: &Scopes, c: &CallFact| -> Option<Evidence> {
        if need.holds(scopes, c.function) {
            return None;
        }
        let here = (site.module, c.range);
        match outside(ctx, site, scopes, need, c.function, depth + 1)? {
            Evidence::Callers(mut chain) => {
                chain.insert(0, here);
                Some(Evidence::Callers(chain))
            }
            _ => Some(Evidence::Callers(vec![here])),
        }
    };
    let same_file = facts
        .calls
        .iter()
        .filter(|c| c.callee == Callee::LocalFunction(owner))
        .find_map(|c| caller_outside(site, scopes, c));
    if same_file.is_some() {
        return same_file;
    }
    let graph = ctx.graph?.0;
    let module = site.module?;
    let binding = facts.bindings.iter().find(|b| b.function == Some(owner))?;
    let root = ctx.project_root();
    // Each importer's scopes are computed once, however many calls it makes.
    let mut importer_scopes: HashMap<ModuleId, Scopes> = HashMap::default();
    for (importer, c) in calls_from_importers(graph, module, &binding.name) {
        let Some(facts) = graph.facts(importer).filter(|f| !f.is_use_client()) else {
            continue;
        };
        let path = &graph.modules[importer].path;
        let relative = root
            .as_deref()
            .and_then(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        if is_test_or_script(relative) {
            continue;
        }
        let site = Site {
            facts,
            path: relative,
            module: Some(importer),
        };
        let scopes = importer_scopes
            .entry(importer)
            .or_insert_with(|| Scopes::of(facts));
        if let Some(evidence) = caller_outside(site, scopes, c) {
            return Some(evidence);
        }
    }
    None
}

fn report(
    ctx: &FileContext,
    name: &str,
    need: Need,
    call: &CallFact,
    evidence: Evidence,
) -> Diagnostic {
    let where_ = match &evidence {
        Evidence::TopLevel => "at module top level".to_string(),
        Evidence::Entry(export) => {
            format!("in `{export}`, which Next.js calls {}", need.describe())
        }
        Evidence::Action(action) => format!("in the Server Action `{action}`, {}", need.describe()),
        Evidence::Callers(_) => format!("in a function that is called {}", need.describe()),
    };
    let help = match need {
        Need::Cache => "cacheLife() and cacheTag() only work inside a 'use cache' function: add the directive to the function, or move the call into the cached function.",
        Need::Action => "updateTag() and refresh() only work in Server Actions: in a route handler use revalidateTag(tag, 'max'); elsewhere move the call into the action.",
    };
    let mut d = Diagnostic::new(
        RULE.name,
        call.callee_range,
        format!("`{name}()` {where_}: Next.js throws here"),
    )
    .with_help(help);
    if let Evidence::Callers(chain) = evidence {
        for (module, range) in chain {
            d = match (
                module.filter(|m| Some(*m) != ctx.graph.map(|g| g.1)),
                ctx.graph,
            ) {
                (Some(m), Some((graph, _))) => d.with_related_in(
                    graph.modules[m].path.clone(),
                    range,
                    graph.position(m, range.start),
                    "called from here",
                ),
                _ => d.with_related(range, "called from here"),
            };
        }
    }
    d
}
