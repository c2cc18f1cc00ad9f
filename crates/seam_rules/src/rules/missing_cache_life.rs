//! `missing-cache-life`: a `'use cache'` function that never calls `cacheLife`, so it silently
//! gets the `default` profile (and, nested, shortens the caches around it).

use std::collections::HashSet;

use schemars::JsonSchema;
use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_graph::{ModuleGraph, ModuleId, Resolved};
use seam_syntax::{Callee, Directive, DirectiveKind, FileFacts, FnId};
use serde::Deserialize;

use crate::cache_profiles::CACHE_LIFE_APIS;
use crate::imports::ensure_named_import;
use crate::{schema_of, typed_options, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "missing-cache-life",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixKind::Unsafe,
    needs: Needs::Graph,
    summary: "A 'use cache' function with no cacheLife() call gets the default profile implicitly.",
    doc: include_str!("../../../../rules/missing-cache-life.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: typed_options::<Options>,
    options_schema: schema_of::<Options>,
};

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Options {
    /// Also check `'use cache: private'` functions.
    #[serde(default)]
    pub include_private: bool,
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let options: Options = ctx.options();
    let facts = ctx.facts;
    let applies = |d: &Directive| match &d.kind {
        DirectiveKind::UseCache(kind) => {
            options.include_private || kind.as_deref() != Some("private")
        }
        _ => false,
    };
    let mut candidates: Vec<(FnId, Option<&Directive>)> = Vec::new();
    if let Some(file_directive) = facts.file_cache_directive().filter(|d| applies(d)) {
        // generateStaticParams runs only at build time, where a cache profile means nothing.
        let exports = facts
            .exported_functions
            .iter()
            .filter(|(name, _)| name != "generateStaticParams");
        for (_, function) in exports {
            candidates.push((*function, Some(file_directive)));
        }
    }
    for (id, f) in facts.functions.iter().enumerate() {
        if let Some(d) = f.directives.iter().find(|d| applies(d)) {
            candidates.retain(|(c, _)| *c != id);
            candidates.push((id, Some(d)));
        }
    }
    candidates.sort_by_key(|(id, _)| *id);
    candidates.dedup_by_key(|(id, _)| *id);
    // Next.js refuses to compile these (non-async-server-export, misplaced-directive and
    // cache-not-enabled say why): a cache profile is not their problem.
    let compiles = |f: &seam_syntax::FunctionFact| f.is_async && !f.instance_method;
    if facts.is_use_client() || super::cache_not_enabled::use_cache_disabled(ctx) {
        candidates.clear();
    }
    candidates.retain(|(id, _)| compiles(&facts.functions[*id]));
    let search = Search { graph: ctx.graph };
    for (function, directive) in candidates {
        if search.calls_cache_life(facts, None, function, &mut HashSet::new()) {
            continue;
        }
        let f = &facts.functions[function];
        let inline = directive.filter(|d| f.directives.contains(d));
        let at = f
            .name_range
            .or(directive.map(|d| d.range))
            .unwrap_or(f.range);
        let name = f.name.as_deref().unwrap_or("this function");
        let mut d = Diagnostic::new(RULE.name, at, format!("`{name}` is cached with 'use cache' but never calls cacheLife()"))
            .with_help(
                "It gets the `default` profile (revalidate every 15 minutes, never expires), and nested in another \
                 cache it shortens that one too. Call `cacheLife('hours')` or a profile that fits the data.",
            );
        if let Some(fix) = fix(ctx, function, inline) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

/// Where to look for a `cacheLife()` call: a function of a module (None: the file being
/// checked, whose facts may be newer than the graph's).
#[derive(Clone, Copy)]
struct Search<'a> {
    graph: Option<(&'a ModuleGraph, ModuleId)>,
}

impl Search<'_> {
    /// Whether `cacheLife()` runs in `function`: in its body (including synchronous callbacks),
    /// in a same-file function it calls, or in a function of another module it calls (a
    /// project's `applyCacheProfile(profile)` helper).
    fn calls_cache_life(
        self,
        facts: &FileFacts,
        module: Option<ModuleId>,
        function: FnId,
        visited: &mut HashSet<(Option<ModuleId>, FnId)>,
    ) -> bool {
        if !visited.insert((module, function)) || visited.len() > 64 {
            return false;
        }
        let in_body = |call_fn: Option<FnId>| {
            call_fn.is_some_and(|f| facts.owner_through_callbacks(f) == function)
        };
        facts.calls.iter().filter(|c| in_body(c.function)).any(|c| {
            is_cache_life(&c.callee)
                || match &c.callee {
                    Callee::LocalFunction(g) => self.calls_cache_life(facts, module, *g, visited),
                    Callee::Import {
                        module: specifier,
                        name,
                        path,
                    } => self
                        .imported_calls_cache_life(facts, module, specifier, name, path, visited),
                    _ => false,
                }
        })
    }

    fn imported_calls_cache_life(
        self,
        facts: &FileFacts,
        module: Option<ModuleId>,
        specifier: &str,
        name: &str,
        path: &[seam_syntax::Name],
        visited: &mut HashSet<(Option<ModuleId>, FnId)>,
    ) -> bool {
        let Some((graph, checked)) = self.graph else {
            return false;
        };
        let from = module.unwrap_or(checked);
        let (resolved, _, rest) = graph.resolve_import_call(from, facts, specifier, name, path);
        if !rest.is_empty() {
            return false;
        }
        let (target, function) = match resolved {
            Some(Resolved::Binding(m, local)) => {
                match graph.facts(m).and_then(|f| f.binding(&local)?.function) {
                    Some(f) => (m, f),
                    None => return false,
                }
            }
            Some(Resolved::DefaultExport(m)) => {
                match graph
                    .facts(m)
                    .and_then(|f| f.default_export.as_ref()?.function)
                {
                    Some(f) => (m, f),
                    None => return false,
                }
            }
            _ => return false,
        };
        match graph.facts(target) {
            Some(target_facts) => {
                self.calls_cache_life(target_facts, Some(target), function, visited)
            }
            None => false,
        }
    }
}

fn is_cache_life(callee: &Callee) -> bool {
    matches!(callee.imported_api(), Some((_, name)) if CACHE_LIFE_APIS.contains(&name))
}

/// Inserts `cacheLife('default')` after the directive (or at the top of the body) and imports it.
fn fix(ctx: &FileContext, function: FnId, inline: Option<&Directive>) -> Option<Fix> {
    if ctx.project.next_major.is_some_and(|major| major < 15) {
        return None; // 'use cache' does not exist before Next 15
    }
    let f = &ctx.facts.functions[function];
    let nl = ctx.newline();
    let (local, import_edit) = cache_life_import(ctx)?;
    let call_edit = match inline {
        Some(d) => {
            let indent = ctx.indentation_at(d.range.start);
            let semi = ctx.statement_terminator(d.range);
            Edit::insert(
                ctx.line_insertion_point(d.range.end),
                format!("{nl}{indent}{local}('default'){semi}"),
            )
        }
        None => {
            let body = f.body_start?;
            let indent = format!("{}  ", ctx.indentation_at(f.range.start));
            let semi = ctx
                .facts
                .file_cache_directive()
                .map_or(";", |d| ctx.statement_terminator(d.range));
            Edit::insert(
                ctx.line_insertion_point(body),
                format!("{nl}{indent}{local}('default'){semi}"),
            )
        }
    };
    let mut edits = vec![call_edit];
    edits.extend(import_edit);
    Some(Fix::unsafe_(
        "Add cacheLife('default') to make the profile explicit",
        edits,
    ))
}

/// The local name to call, and the edit that imports it when the file does not yet; none when
/// the name is taken by something else.
fn cache_life_import(ctx: &FileContext) -> Option<(String, Option<Edit>)> {
    let specifier = if ctx.project.next_major == Some(15) {
        "unstable_cacheLife as cacheLife"
    } else {
        "cacheLife"
    };
    ensure_named_import(ctx, "next/cache", CACHE_LIFE_APIS, specifier, "cacheLife")
}
