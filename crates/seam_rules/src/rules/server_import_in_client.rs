//! `server-import-in-client`: a `'use client'` module reaches, through runtime imports,
//! something that must never run in the browser. Reported once per root cause: at the import
//! where client-reachable code first enters server-only code (often a shared module that mixes
//! both), with how many `'use client'` modules reach it, one chain as related locations and a
//! few of the other client modules.

use std::collections::{BTreeMap, VecDeque};

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
    enabled_by_default: true,
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
    // Next.js canary (after 16.5): server-only navigation APIs its compiler already rejects in
    // client modules.
    "navigation",
    "prefetch",
    "unstable_navigation",
    "unstable_prefetch",
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some((graph, module)) = ctx.graph else {
        return;
    };
    let lists = Lists {
        server_only: ModuleList::from_settings(ctx.settings, "serverOnlyModules"),
        client_safe: ModuleList::from_settings(ctx.settings, "clientSafeModules"),
    };
    // With the built-in lists (no settings), one pass over the graph groups every client
    // module's chains by root cause. Lists from settings may differ between folders, so then
    // each client module is reported on its own, at its import.
    if lists.server_only.is_empty() && lists.client_safe.is_empty() {
        let groups = graph.memo("server-import-in-client/groups", || {
            Groups::new(graph, &lists)
        });
        for (&(_, import), entries) in groups.entering(module) {
            if let Some(d) = group_diagnostic(ctx, graph, module, import, entries) {
                out.push(d);
            }
        }
        return;
    }
    if !ctx.facts.is_use_client() {
        return;
    }
    let typescript = is_typescript(ctx.path);
    for (index, import) in ctx.facts.imports.iter().enumerate() {
        if !is_runtime(ctx.facts, import, typescript) {
            continue;
        }
        let chain = match lists.server_thing(ctx.facts, import, typescript) {
            Some(thing) => Some((Vec::new(), thing)),
            None => edge_target(graph, module, index, import)
                .filter(|&m| may_enter(graph, m))
                .and_then(|start| shortest_chain(graph, start, &lists)),
        };
        if let Some((hops, thing)) = chain {
            let entry = ClientEntry {
                client: module,
                import: index,
                hops,
                thing,
            };
            out.push(diagnostic(
                ctx,
                graph,
                module,
                import,
                std::slice::from_ref(&entry),
            ));
        }
    }
}

/// One `'use client'` module's way to server-only code: its import number `import`, then the
/// hops (module, import) down to the import of the server-only thing.
struct ClientEntry {
    client: ModuleId,
    import: usize,
    hops: Vec<Hop>,
    thing: String,
}

/// Every client module's chain to server-only code, grouped by the import where it first
/// enters server-only code: the root cause that one change fixes for all of them.
struct Groups {
    by_entry: BTreeMap<(ModuleId, usize), Vec<ClientEntry>>,
}

impl Groups {
    fn new(graph: &ModuleGraph, lists: &Lists) -> Self {
        let reach = Reach::new(graph, lists);
        let wholly_server = wholly_server_modules(graph, lists);
        let mut by_entry: BTreeMap<(ModuleId, usize), Vec<ClientEntry>> = BTreeMap::new();
        for client in (0..graph.modules.len()).filter(|&m| graph.modules[m].is_use_client()) {
            let m = &graph.modules[client];
            let Some(facts) = m.facts.as_deref() else {
                continue;
            };
            let typescript = is_typescript(&m.path);
            for (edge, import) in graph.client_edges(client) {
                let chain = match lists.server_thing(facts, import, typescript) {
                    Some(thing) => Some((Vec::new(), thing)),
                    None => match edge.to {
                        EdgeTo::Module(start) if may_enter(graph, start) => reach.chain_from(start),
                        _ => None,
                    },
                };
                let Some((hops, thing)) = chain else {
                    continue;
                };
                // The root cause: the first import that enters a wholly-server module (the
                // client's own import when it imports one directly); without one, the import of
                // the server-only thing itself, in the mixed module that holds it.
                let entry = match hops.iter().position(|&(module, _)| wholly_server[module]) {
                    Some(0) => (client, edge.import),
                    Some(j) => hops[j - 1],
                    None => hops.last().copied().unwrap_or((client, edge.import)),
                };
                by_entry.entry(entry).or_default().push(ClientEntry {
                    client,
                    import: edge.import,
                    hops,
                    thing,
                });
            }
        }
        // Module ids follow the order files were found: order each group by path, so the chain a
        // finding spells out and the clients it names never depend on it. A client module counts
        // once per root cause, by its first import that reaches it.
        for entries in by_entry.values_mut() {
            entries.sort_by(|a, b| {
                let path = |e: &ClientEntry| &graph.modules[e.client].path;
                path(a).cmp(path(b)).then(a.import.cmp(&b.import))
            });
            entries.dedup_by_key(|e| e.client);
        }
        // A root cause only one client module reaches is reported where that module starts the
        // chain, at its own import: the place its author is editing, as before it was shared.
        let by_entry = by_entry
            .into_iter()
            .map(|(entry, entries)| match entries.as_slice() {
                [only] => ((only.client, only.import), entries),
                _ => (entry, entries),
            })
            .collect();
        Self { by_entry }
    }

    /// The groups whose root-cause import is in `module`, by (module, import index).
    fn entering(
        &self,
        module: ModuleId,
    ) -> impl Iterator<Item = (&(ModuleId, usize), &Vec<ClientEntry>)> {
        self.by_entry.range((module, 0)..=(module, usize::MAX))
    }
}

/// Modules that hold nothing but server code, as far as their imports show: every runtime
/// import is a server-only thing or another such module (a server SDK wrapper, a barrel of
/// server code), and every module that imports `server-only`. Entering one is the root cause.
/// A module that imports anything else as well mixes code the browser may need with server
/// code: there, the root cause is its own import of the server-only thing.
fn wholly_server_modules(graph: &ModuleGraph, lists: &Lists) -> Vec<bool> {
    let mut wholly = vec![false; graph.modules.len()];
    let all_server = |module: ModuleId, wholly: &[bool]| {
        let m = &graph.modules[module];
        let Some(facts) = m.facts.as_deref() else {
            return false;
        };
        // `import 'server-only'` is the author saying so.
        if graph
            .client_edges(module)
            .any(|(_, import)| import.specifier == "server-only")
        {
            return true;
        }
        let typescript = is_typescript(&m.path);
        let mut edges = graph.client_edges(module).peekable();
        edges.peek().is_some()
            && edges.all(|(edge, import)| {
                lists.server_thing(facts, import, typescript).is_some()
                    || matches!(edge.to, EdgeTo::Module(to) if wholly[to])
            })
    };
    let mut queue = VecDeque::new();
    for module in (0..graph.modules.len()).filter(|&m| may_enter(graph, m)) {
        if all_server(module, &wholly) {
            wholly[module] = true;
            queue.push_back(module);
        }
    }
    let reverse = graph.reverse_client_edges(|m| may_enter(graph, m));
    while let Some(module) = queue.pop_front() {
        for &(from, _) in &reverse[module] {
            if !wholly[from] && all_server(from, &wholly) {
                wholly[from] = true;
                queue.push_back(from);
            }
        }
    }
    wholly
}

/// The finding for one root cause: at `import` of `module`, for every client module whose
/// chain enters server-only code there.
fn group_diagnostic(
    ctx: &FileContext,
    graph: &ModuleGraph,
    module: ModuleId,
    import: usize,
    entries: &[ClientEntry],
) -> Option<Diagnostic> {
    // The file's facts may be newer than the graph's (after a fix pass): find the import by
    // specifier and kind.
    let in_graph = graph.facts(module)?.imports.get(import)?;
    let current = ctx
        .facts
        .imports
        .get(import)
        .filter(|i| same_import(i, in_graph))
        .or_else(|| ctx.facts.imports.iter().find(|i| same_import(i, in_graph)))?;
    Some(diagnostic(ctx, graph, module, current, entries))
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
            "next/headers" | "next/root-params" | "next/variants" => {
                return Some(format!("`{specifier}`"))
            }
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
            // Prisma's browser build (`index-browser.js`) holds the enums and a `PrismaClient`
            // stub: re-exporting it (`export { PrismaClient, Role } from '@prisma/client'`)
            // bundles no server code. Only a module that uses `PrismaClient` as a value builds
            // a client.
            "@prisma/client" if import.kind == ImportKind::ReExport => return None,
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
        if packages.has(package, Role::FetchClient) {
            return Some(format!("the fetch-based database client `{specifier}`"));
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
    let same = |e: &&seam_graph::Edge| m.import(e).is_some_and(|i| same_import(i, import));
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

/// Whether two import facts are the same import of a file whose facts may have changed since
/// the graph was built (after a fix pass): same specifier, same kind.
fn same_import(a: &Import, b: &Import) -> bool {
    a.specifier == b.specifier && a.kind == b.kind
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
        // Distances first, then each module's step: its first import (in its own order) that
        // leads one step closer. Which of two equally short ways a chain takes then depends on
        // the files alone, never on the order they were found in (module ids).
        let mut distance: Vec<Option<usize>> = next.iter().map(|s| s.as_ref().map(|_| 0)).collect();
        let reverse = graph.reverse_client_edges(|m| may_enter(graph, m));
        let mut reached = Vec::new();
        while let Some(module) = queue.pop_front() {
            let d = distance[module].expect("queued modules have a distance");
            for &(from, _) in &reverse[module] {
                if distance[from].is_none() {
                    distance[from] = Some(d + 1);
                    reached.push(from);
                    queue.push_back(from);
                }
            }
        }
        for from in reached {
            let d = distance[from].expect("reached modules have a distance");
            next[from] = graph
                .client_edges(from)
                .find_map(|(edge, _)| match edge.to {
                    EdgeTo::Module(to) if distance[to] == Some(d - 1) => {
                        Some(Step::Via(edge.import, to))
                    }
                    _ => None,
                });
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

/// How many client modules a finding names as related locations besides the first chain.
const CLIENTS_SHOWN: usize = 5;

/// The finding at `import` (the root cause) for `entries`, the client modules that reach
/// server-only code through it; the first one's chain is spelled out.
fn diagnostic(
    ctx: &FileContext,
    graph: &ModuleGraph,
    here: ModuleId,
    import: &Import,
    entries: &[ClientEntry],
) -> Diagnostic {
    let first = &entries[0];
    let root = ctx.project_root();
    let show = |module: ModuleId| display(graph, module, root.as_deref());
    let mut path = vec![file_name(&graph.modules[first.client].path)];
    for &(module, _) in &first.hops {
        path.push(show(module));
    }
    let server_import = first
        .hops
        .last()
        .and_then(|&(m, i)| graph.facts(m)?.imports.get(i))
        .or_else(|| graph.facts(first.client)?.imports.get(first.import))
        .unwrap_or(import);
    path.push(format!("`{}`", server_import.specifier));
    let thing = &first.thing;
    // A cause one client module reaches is reported at that module's own import (`Groups`).
    let message = match entries.len() {
        1 => format!(
            "This import pulls {thing} into the client bundle ({})",
            path.join(" → ")
        ),
        n => format!(
            "This import pulls {thing} into the client bundle of {n} 'use client' modules ({}, and {} more)",
            path.join(" → "),
            n - 1
        ),
    };
    let mut d = Diagnostic::new(RULE.name, import.range, message).with_help(help(
        here,
        first,
        entries.len(),
        &show,
    ));
    if here != first.client {
        d = with_client(
            d,
            graph,
            first,
            "the 'use client' module where this chain starts",
        );
    }
    for (i, &(module, index)) in first.hops.iter().enumerate() {
        let Some(hop_import) = graph.facts(module).and_then(|f| f.imports.get(index)) else {
            continue;
        };
        let message = if i + 1 == first.hops.len() {
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
    for entry in entries.iter().skip(1).take(CLIENTS_SHOWN) {
        d = with_client(
            d,
            graph,
            entry,
            "another 'use client' module that reaches it",
        );
    }
    d
}

/// Adds the client module's import that starts `entry`'s chain as a related location.
fn with_client(
    d: Diagnostic,
    graph: &ModuleGraph,
    entry: &ClientEntry,
    message: &str,
) -> Diagnostic {
    match graph
        .facts(entry.client)
        .and_then(|f| f.imports.get(entry.import))
    {
        Some(import) => d.with_related_in(
            graph.modules[entry.client].path.clone(),
            import.range,
            graph.position(entry.client, import.range.start),
            message.to_string(),
        ),
        None => d,
    }
}

/// What to do: at a client module's own import, keep server code out of it; at a shared
/// module that mixes both, split the server part out of it.
fn help(
    here: ModuleId,
    first: &ClientEntry,
    clients: usize,
    show: &dyn Fn(ModuleId) -> String,
) -> String {
    let this = show(here);
    let entered = first
        .hops
        .iter()
        .position(|&(m, _)| m == here)
        .and_then(|i| first.hops.get(i + 1))
        .map(|&(m, _)| show(m));
    let mut help = if here == first.client {
        "Everything a 'use client' module imports is compiled for the browser. Keep server code \
         behind a Server Action or a Server Component and pass data down as props, or import only \
         the browser-safe part (types with `import type`)."
            .to_string()
    } else if let Some(target) = entered {
        format!(
            "`{this}` is in the client bundle and brings `{target}`, which holds only server code, \
             with it. Import `{target}` only from server code (move that import out of `{this}`, or \
             give the server part an entry point of its own) and keep `{this}` browser-safe. \
             `seam graph --why {target}` lists every client module that reaches it ({clients} here)."
        )
    } else {
        format!(
            "`{this}` is in the client bundle and imports server-only code itself. If client code \
             needs only part of it, move the server part into a module of its own that only server \
             code imports; if it needs none, cut the chain where the 'use client' module starts it \
             (related locations). `seam graph --why {this}` lists every client module that reaches \
             it ({clients} here)."
        )
    };
    if first.thing.starts_with("the fetch-based") {
        help.push_str(
            " A fetch-based client runs in the browser, but only with the database token in the \
             bundle, where anyone can read it.",
        );
    }
    help
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
