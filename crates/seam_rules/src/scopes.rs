//! Where a function's code runs, as far as one file shows: inside a `'use cache'` scope, inside
//! a Server Action, or as an entry Next.js calls itself. Scopes pass to nested functions and to
//! the file's own functions that scoped code calls (`'use cache'` on `getPost` covers the
//! `formatPost` helper it calls).

use std::path::Path;

use seam_diagnostics::TextRange;
use seam_graph::{ModuleGraph, ModuleId, Resolved};
use seam_syntax::{CallFact, Callee, DirectiveKind, FileFacts, FnId};

/// A `'use cache'` scope a function runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheScope {
    /// `'use cache: <kind>'`'s kind (`private`, `remote`); None for plain `'use cache'`.
    pub kind: Option<String>,
    /// The directive that makes the scope.
    pub directive: TextRange,
    /// The cached function.
    pub root: FnId,
    /// The call that brings this helper into the scope, when it is not nested in the root.
    pub via: Option<TextRange>,
}

impl CacheScope {
    pub fn is_private(&self) -> bool {
        self.kind.as_deref() == Some("private")
    }
}

pub struct Scopes {
    cache: Vec<Option<CacheScope>>,
    action: Vec<bool>,
}

impl Scopes {
    pub fn of(facts: &FileFacts) -> Self {
        let n = facts.functions.len();
        let mut cache: Vec<Option<CacheScope>> = (0..n).map(|f| cache_root(facts, f)).collect();
        let mut action = vec![false; n];
        for a in &facts.actions {
            if let Some(f) = a.function {
                action[f] = true;
            }
        }
        for (id, inline) in action.iter_mut().enumerate() {
            *inline |= has_own_server(facts, id);
        }
        // The functions each same-file call to a function is made from (computed once: the
        // fixed point below asks for them repeatedly).
        let mut callers: Vec<Vec<Option<FnId>>> = vec![Vec::new(); n];
        for call in &facts.calls {
            if let Callee::LocalFunction(f) = call.callee {
                callers[f].push(call.function);
            }
        }
        // Nested functions inherit (parents come first: ids follow source order of entry), and
        // same-file helpers called from a scope join it; repeat until nothing changes. A helper
        // joins a cache when one cached function calls it (its code then runs in that cache),
        // but joins the actions only when every same-file call to it comes from one.
        loop {
            let mut changed = false;
            for id in 0..n {
                if let Some(parent) = facts.functions[id].parent {
                    if cache[id].is_none() && cache[parent].is_some() && !has_own_server(facts, id)
                    {
                        cache[id] = cache[parent].clone();
                        changed = true;
                    }
                    if !action[id] && action[parent] {
                        action[id] = true;
                        changed = true;
                    }
                }
            }
            for call in &facts.calls {
                let (Callee::LocalFunction(callee), Some(caller)) = (&call.callee, call.function)
                else {
                    continue;
                };
                let callee = *callee;
                if cache[callee].is_none() {
                    if let Some(scope) = &cache[caller] {
                        cache[callee] = Some(CacheScope {
                            via: Some(call.range),
                            ..scope.clone()
                        });
                        changed = true;
                    }
                }
                if !action[callee]
                    && action[caller]
                    && !is_exported(facts, callee)
                    && callers[callee].iter().all(|f| f.is_some_and(|f| action[f]))
                {
                    action[callee] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        Self { cache, action }
    }

    pub fn cache(&self, function: Option<FnId>) -> Option<&CacheScope> {
        function.and_then(|f| self.cache[f].as_ref())
    }

    pub fn in_action(&self, function: Option<FnId>) -> bool {
        function.is_some_and(|f| self.action[f])
    }
}

fn has_own_server(facts: &FileFacts, f: FnId) -> bool {
    facts.functions[f].has_directive(|k| *k == DirectiveKind::UseServer)
}

/// The `'use cache'` directive that caches `f` itself: its own, or the file's for an export.
fn cache_root(facts: &FileFacts, f: FnId) -> Option<CacheScope> {
    let function = &facts.functions[f];
    let own = function
        .directives
        .iter()
        .find(|d| matches!(d.kind, DirectiveKind::UseCache(_)));
    let directive = own.or_else(|| {
        facts
            .file_cache_directive()
            .filter(|_| is_exported(facts, f) && function.parent.is_none())
    })?;
    let DirectiveKind::UseCache(kind) = &directive.kind else {
        return None;
    };
    Some(CacheScope {
        kind: kind.clone(),
        directive: directive.range,
        root: f,
        via: None,
    })
}

pub fn is_exported(facts: &FileFacts, function: FnId) -> bool {
    facts.exported_functions.iter().any(|(_, f)| *f == function)
}

/// The module-scope function a (maybe nested) function belongs to.
pub fn outermost(facts: &FileFacts, function: FnId) -> FnId {
    facts
        .enclosing_functions(function)
        .last()
        .unwrap_or(function)
}

pub const ROUTE_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Whether Next.js itself calls the export `name` of the file at `path` to serve a request:
/// route handlers, pages, layouts and their metadata functions, middleware, Pages Router APIs.
pub fn is_framework_entry(path: &Path, name: &str) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let in_pages_api = path.components().any(|c| c.as_os_str() == "pages")
        && path.components().any(|c| c.as_os_str() == "api");
    match stem {
        "route" => ROUTE_METHODS.contains(&name),
        "page" | "layout" | "template" | "default" | "not-found" | "error" => {
            matches!(name, "default" | "generateMetadata" | "generateViewport")
        }
        "middleware" | "proxy" => matches!(name, "default" | "middleware" | "proxy"),
        _ => (in_pages_api && name == "default") || name == "getServerSideProps",
    }
}

/// The calls other modules make to the function `name` defined in `module`, with the module
/// each call is in.
pub fn calls_from_importers<'g>(
    graph: &'g ModuleGraph,
    module: ModuleId,
    name: &str,
) -> Vec<(ModuleId, &'g CallFact)> {
    let mut out = Vec::new();
    for &importer in graph.importers_of(module, name) {
        let Some(facts) = graph.facts(importer) else {
            continue;
        };
        for call in &facts.calls {
            let Callee::Import {
                module: specifier,
                name: imported,
                path,
            } = &call.callee
            else {
                continue;
            };
            let (resolved, _, rest) =
                graph.resolve_import_call(importer, facts, specifier, imported, path);
            if rest.is_empty() && resolved == Some(Resolved::Binding(module, name.to_string())) {
                out.push((importer, call));
            }
        }
    }
    out
}
