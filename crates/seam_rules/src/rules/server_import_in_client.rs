//! `server-import-in-client`: a `'use client'` module reaches, through runtime imports,
//! something that must never run in the browser. Reported at the import in the `'use client'`
//! module where the chain starts, with every hop as a related location.

use std::collections::VecDeque;

use crate::packages::Role;
use rustc_hash::FxHashMap as HashMap;
use seam_diagnostics::{Diagnostic, Severity};
use seam_graph::{is_node_builtin, is_runtime, package_name, EdgeTo, ModuleGraph, ModuleId};
use seam_syntax::{is_typescript, FileFacts, Import, ImportKind, Imported};

use crate::settings::ModuleList;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "server-import-in-client",
    default_severity: Severity::Error,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A 'use client' module reaches server-only code (a database client, next/headers, fs, 'server-only', a server SDK) through its imports.",
    doc: include_str!("../../../../rules/server-import-in-client.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// Node built-ins Next.js gives a browser fallback for; the other built-ins break the build.
const BROWSER_FALLBACKS: &[&str] = &[
    "assert",
    "buffer",
    "constants",
    "crypto",
    "domain",
    "events",
    "http",
    "https",
    "os",
    "path",
    "process",
    "punycode",
    "querystring",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tty",
    "url",
    "util",
    "vm",
    "zlib",
];

/// `next/cache` functions that only work on the server.
const NEXT_CACHE_SERVER: &[&str] = &[
    "revalidatePath",
    "revalidateTag",
    "updateTag",
    "refresh",
    "cacheLife",
    "cacheTag",
    "unstable_cacheLife",
    "unstable_cacheTag",
    "unstable_cache",
    "unstable_noStore",
    "unstable_expirePath",
    "unstable_expireTag",
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let (Some((graph, module)), true) = (ctx.graph, ctx.facts.is_use_client()) else {
        return;
    };
    let lists = Lists {
        server_only: ModuleList::from_settings(ctx.settings, "serverOnlyModules"),
        client_safe: ModuleList::from_settings(ctx.settings, "clientSafeModules"),
    };
    let typescript = is_typescript(ctx.path);
    // With the built-in lists (no settings), one pass over the graph serves every client module.
    let shared = (lists.server_only.is_empty() && lists.client_safe.is_empty()).then(|| {
        graph.memo("server-import-in-client/reach", || {
            Reach::new(graph, &lists)
        })
    });
    for (index, import) in ctx.facts.imports.iter().enumerate() {
        if !is_runtime(ctx.facts, import, typescript) {
            continue;
        }
        let chain = match lists.server_thing(ctx.facts, import, typescript) {
            Some(thing) => Some((Vec::new(), thing)),
            None => edge_target(graph, module, index, import)
                .filter(|&m| may_enter(graph, m))
                .and_then(|start| match &shared {
                    Some(reach) => reach.chain_from(start),
                    None => shortest_chain(graph, start, &lists),
                }),
        };
        if let Some((hops, thing)) = chain {
            out.push(diagnostic(ctx, graph, import, &hops, &thing));
        }
    }
}

struct Lists {
    server_only: ModuleList,
    client_safe: ModuleList,
}

impl Lists {
    /// What server-only thing this import brings, if any, described for a message.
    fn server_thing(&self, facts: &FileFacts, import: &Import, typescript: bool) -> Option<String> {
        let specifier = import.specifier.as_str();
        if self.client_safe.matches(specifier) {
            return None;
        }
        if self.server_only.matches(specifier) {
            return Some(format!(
                "`{specifier}` (listed in settings.serverOnlyModules)"
            ));
        }
        let package = package_name(specifier);
        let packages = crate::packages::table();
        let value_names = || value_imported_names(facts, import, typescript);
        match specifier {
            "server-only" => return Some("the `server-only` package".into()),
            "next/headers" | "next/root-params" => return Some(format!("`{specifier}`")),
            "next/cache" => {
                return value_names()
                    .into_iter()
                    .find(|n| NEXT_CACHE_SERVER.contains(&n.as_str()))
                    .map(|n| format!("`{n}` from `next/cache`"));
            }
            "next/server" => {
                return value_names()
                    .into_iter()
                    .find(|n| n == "after")
                    .map(|_| "`after` from `next/server`".into());
            }
            "@prisma/client" => {
                return value_names()
                    .into_iter()
                    .find(|n| n == "PrismaClient")
                    .map(|_| "`PrismaClient` from `@prisma/client`".into());
            }
            _ => {}
        }
        if is_node_builtin(specifier)
            && (specifier.starts_with("node:") || !BROWSER_FALLBACKS.contains(&package))
        {
            return Some(format!("the Node built-in `{specifier}`"));
        }
        if let Some(entry) = specifier.strip_prefix("drizzle-orm/") {
            if packages.is_drizzle_driver(entry.split('/').next().unwrap_or("")) {
                return Some(format!("the database driver `{specifier}`"));
            }
            return None;
        }
        if packages.has(package, Role::Database) {
            return Some(format!("the database client `{specifier}`"));
        }
        if packages.has(specifier, Role::ServerSdk) || packages.has(package, Role::ServerSdk) {
            return Some(format!("the server SDK `{specifier}`"));
        }
        None
    }
}

/// Names an import brings that the module uses as values (all of them for side-effect
/// imports, re-exports and namespace imports, which bring everything).
fn value_imported_names(facts: &FileFacts, import: &Import, typescript: bool) -> Vec<String> {
    import
        .names
        .iter()
        .filter(|n| !n.type_only)
        .filter(|n| {
            import.kind != ImportKind::Static
                || !typescript
                || seam_graph::name_used_as_value(facts, &n.local)
        })
        .filter_map(|n| match &n.imported {
            Imported::Named(name) => Some(name.to_string()),
            Imported::Default => Some("default".into()),
            Imported::Namespace => None,
        })
        .collect()
}

/// The module an import of this file leads to. The file's facts may be newer than the graph's
/// (after a fix pass), so the edge is matched by specifier and kind, not only by position.
fn edge_target(
    graph: &ModuleGraph,
    module: ModuleId,
    index: usize,
    import: &Import,
) -> Option<ModuleId> {
    let m = &graph.modules[module];
    let same = |e: &&seam_graph::Edge| {
        m.import(e)
            .is_some_and(|i| i.specifier == import.specifier && i.kind == import.kind)
    };
    let edge = m
        .edges
        .iter()
        .find(|e| e.import == index)
        .filter(same)
        .or_else(|| m.edges.iter().find(same))?;
    match edge.to {
        EdgeTo::Module(target) => Some(target),
        _ => None,
    }
}

/// The walk goes through plain modules only: `'use server'`/`'use cache'` modules become
/// server references, and other `'use client'` modules are reported on their own.
fn may_enter(graph: &ModuleGraph, module: ModuleId) -> bool {
    let m = &graph.modules[module];
    m.facts.is_some() && !m.is_server_boundary() && !m.is_use_client()
}

/// One step of a chain: a module and the index of the import it continues through.
type Hop = (ModuleId, usize);

/// For every module, its first step on a shortest chain of runtime imports to a server-only
/// import: computed once, breadth-first backwards from the modules that import one directly.
struct Reach {
    next: Vec<Option<Step>>,
}

#[derive(Clone)]
enum Step {
    /// This module's import number `.0` is the server-only thing `.1`.
    Arrived(usize, String),
    /// Continue through this module's import number `.0`, to module `.1`.
    Via(usize, ModuleId),
}

impl Reach {
    fn new(graph: &ModuleGraph, lists: &Lists) -> Self {
        let mut next: Vec<Option<Step>> = vec![None; graph.modules.len()];
        let mut queue = VecDeque::new();
        for module in (0..graph.modules.len()).filter(|&m| may_enter(graph, m)) {
            let m = &graph.modules[module];
            let (Some(facts), typescript) = (m.facts.as_deref(), is_typescript(&m.path)) else {
                continue;
            };
            let direct = graph.client_edges(module).find_map(|(edge, import)| {
                lists
                    .server_thing(facts, import, typescript)
                    .map(|thing| Step::Arrived(edge.import, thing))
            });
            if direct.is_some() {
                next[module] = direct;
                queue.push_back(module);
            }
        }
        let reverse = graph.reverse_client_edges(|m| may_enter(graph, m));
        while let Some(module) = queue.pop_front() {
            for &(from, import) in &reverse[module] {
                if next[from].is_none() {
                    next[from] = Some(Step::Via(import, module));
                    queue.push_back(from);
                }
            }
        }
        Self { next }
    }

    fn chain_from(&self, start: ModuleId) -> Option<(Vec<Hop>, String)> {
        let mut hops = Vec::new();
        let mut at = start;
        loop {
            match self.next.get(at)?.as_ref()? {
                Step::Arrived(import, thing) => {
                    hops.push((at, *import));
                    return Some((hops, thing.clone()));
                }
                Step::Via(import, to) => {
                    hops.push((at, *import));
                    at = *to;
                }
            }
        }
    }
}

/// Breadth-first from `start`: the shortest chain of runtime imports to a module that imports
/// something server-only, as the hops taken (the last one is the server import itself).
fn shortest_chain(
    graph: &ModuleGraph,
    start: ModuleId,
    lists: &Lists,
) -> Option<(Vec<Hop>, String)> {
    let mut came_from: HashMap<ModuleId, Option<Hop>> = HashMap::default();
    came_from.insert(start, None);
    let mut queue = VecDeque::from([start]);
    while let Some(current) = queue.pop_front() {
        let m = &graph.modules[current];
        let facts = m.facts.as_deref()?;
        let typescript = is_typescript(&m.path);
        let mut next = Vec::new();
        for (edge, import) in graph.client_edges(current) {
            if let Some(thing) = lists.server_thing(facts, import, typescript) {
                let mut hops = vec![(current, edge.import)];
                let mut at = current;
                while let Some(Some(hop)) = came_from.get(&at) {
                    hops.push(*hop);
                    at = hop.0;
                }
                hops.reverse();
                return Some((hops, thing));
            }
            if let EdgeTo::Module(target) = edge.to {
                next.push((target, edge.import));
            }
        }
        for (target, import) in next {
            if !came_from.contains_key(&target) && may_enter(graph, target) {
                came_from.insert(target, Some((current, import)));
                queue.push_back(target);
            }
        }
    }
    None
}

fn diagnostic(
    ctx: &FileContext,
    graph: &ModuleGraph,
    import: &Import,
    hops: &[Hop],
    thing: &str,
) -> Diagnostic {
    let root = ctx.project_root();
    let mut path = vec![file_name(ctx.path)];
    for &(module, _) in hops {
        path.push(display(graph, module, root.as_deref()));
    }
    path.push(format!(
        "`{}`",
        hops.last()
            .and_then(|&(m, i)| graph.facts(m)?.imports.get(i))
            .unwrap_or(import)
            .specifier
    ));
    let chain = format!(" ({})", path.join(" → "));
    let mut d = Diagnostic::new(
        RULE.name,
        import.range,
        format!("This import pulls {thing} into the client bundle{chain}"),
    )
    .with_help(
        "Everything a 'use client' module imports is compiled for the browser. Keep server code \
         behind a Server Action or a Server Component and pass data down as props, or import only \
         the browser-safe part (types with `import type`).",
    );
    for (i, &(module, index)) in hops.iter().enumerate() {
        let Some(hop_import) = graph.facts(module).and_then(|f| f.imports.get(index)) else {
            continue;
        };
        let message = if i + 1 == hops.len() {
            format!("imports {thing}")
        } else {
            format!("imports `{}`", hop_import.specifier)
        };
        d = d.with_related_in(
            graph.modules[module].path.clone(),
            hop_import.range,
            graph.position(module, hop_import.range.start),
            message,
        );
    }
    d
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A module's path for messages: relative to the project root, else its last two parts.
fn display(graph: &ModuleGraph, module: ModuleId, root: Option<&std::path::Path>) -> String {
    let path = &graph.modules[module].path;
    if let Some(relative) = root.and_then(|r| path.strip_prefix(r).ok()) {
        return seam_diagnostics::files::slashed(relative);
    }
    let mut parts: Vec<String> = path
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.reverse();
    parts.join("/")
}
