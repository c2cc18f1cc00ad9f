//! The module graph: every import of every file resolved (oxc_resolver), runtime edges told
//! from type-only ones, the client graph, and lookups of exported bindings across modules.
//! Built once per run from per-file facts; rules read it, never the files.

mod client;
mod exports;
pub mod resolve;
mod server;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use seam_diagnostics::{LineCol, LineIndex};
use seam_syntax::{is_component_file, is_typescript, FileFacts, Import, ImportKind};

pub use client::ClientGraph;
pub use exports::Resolved;
pub use resolve::{is_node_builtin, package_name, Resolvers, Target};
pub use server::{is_app_entry, ServerGraph};

pub type ModuleId = usize;

/// A file read and parsed: its text, and its facts when it parses.
pub type Loaded = (String, Option<Arc<FileFacts>>);

/// One import of a module, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeTo {
    Module(ModuleId),
    Package(String),
    Unresolved,
}

#[derive(Debug, Clone)]
pub struct Edge {
    /// Index into the module's `facts.imports`.
    pub import: usize,
    pub to: EdgeTo,
    /// Survives compilation: not a type-only import, and (in TypeScript) some binding it
    /// brings is used as a value.
    pub runtime: bool,
}

#[derive(Debug, Clone)]
pub struct Module {
    /// Absolute path.
    pub path: PathBuf,
    /// The text; empty for linted modules once the linter has analysed them (it reads them
    /// again when it needs them; see `position`).
    pub source: String,
    /// None when the file does not parse.
    pub facts: Option<Arc<FileFacts>>,
    /// Part of the files being linted (as opposed to joined because an import reaches it).
    pub linted: bool,
    pub edges: Vec<Edge>,
}

impl Module {
    pub fn is_use_client(&self) -> bool {
        self.facts.as_ref().is_some_and(|f| f.is_use_client())
    }
    /// `'use server'` or file-level `'use cache'`: the client graph stops here (importing such a
    /// module from the client yields server references).
    pub fn is_server_boundary(&self) -> bool {
        self.facts
            .as_ref()
            .is_some_and(|f| f.is_use_server() || f.file_cache_directive().is_some())
    }
    pub fn import(&self, edge: &Edge) -> Option<&Import> {
        self.facts.as_ref()?.imports.get(edge.import)
    }
}

#[derive(Debug, Default)]
pub struct ModuleGraph {
    pub modules: Vec<Module>,
    by_path: HashMap<PathBuf, ModuleId>,
    client: OnceLock<ClientGraph>,
    server: OnceLock<ServerGraph>,
    importers: OnceLock<HashMap<(ModuleId, String), Vec<ModuleId>>>,
    export_memo: exports::ExportMemo,
    /// Results rules compute once per graph (keyed by the rule that owns them).
    memos: std::sync::Mutex<HashMap<&'static str, std::sync::Arc<dyn std::any::Any + Send + Sync>>>,
}

impl ModuleGraph {
    /// Builds the graph from the linted files' facts. Source files that imports reach outside
    /// them (workspace packages, files outside the linted paths) are read with `load` and
    /// joined, transitively; `node_modules` is never entered.
    pub fn build<L>(files: Vec<(PathBuf, String, Option<Arc<FileFacts>>)>, load: L) -> Self
    where
        L: Fn(&Path) -> Option<Loaded> + Sync,
    {
        Self::build_with(files, load, &Resolvers::new())
    }

    /// `build` with resolvers that may already know the file system (the language server keeps
    /// them between checks, until files change on disk).
    pub fn build_with<L>(
        files: Vec<(PathBuf, String, Option<Arc<FileFacts>>)>,
        load: L,
        resolvers: &Resolvers,
    ) -> Self
    where
        L: Fn(&Path) -> Option<Loaded> + Sync,
    {
        let mut graph = ModuleGraph::default();
        for (path, source, facts) in files {
            graph.add(path, source, facts, true);
        }
        let mut done = 0;
        while done < graph.modules.len() {
            let pending = done..graph.modules.len();
            let resolved: Vec<Arc<[(usize, Target, bool)]>> = graph.modules[pending.clone()]
                .par_iter()
                .map(|m| resolve_imports(resolvers, m))
                .collect();
            done = graph.modules.len();
            let mut new_paths: Vec<PathBuf> = resolved
                .iter()
                .flat_map(|targets| targets.iter())
                .filter_map(|(_, target, _)| match target {
                    Target::File(path) if !graph.by_path.contains_key(path) => Some(path.clone()),
                    _ => None,
                })
                .collect();
            new_paths.sort();
            new_paths.dedup();
            let loaded: Vec<(PathBuf, Option<Loaded>)> = new_paths
                .into_par_iter()
                .map(|p| {
                    let loaded = load(&p);
                    (p, loaded)
                })
                .collect();
            for (path, loaded) in loaded {
                // A file that cannot be read stays out of the graph: imports of it are unresolved.
                if let Some((source, facts)) = loaded {
                    graph.add(path, source, facts, false);
                }
            }
            for (offset, targets) in resolved.into_iter().enumerate() {
                let id = pending.start + offset;
                graph.modules[id].edges = graph.edges_to(&targets);
            }
        }
        graph
    }

    /// Edges for resolved imports (import index, target, survives compilation): a file the graph
    /// does not hold is unresolved.
    fn edges_to(&self, targets: &[(usize, Target, bool)]) -> Vec<Edge> {
        targets
            .iter()
            .map(|(import, target, runtime)| Edge {
                import: *import,
                to: match target {
                    Target::File(p) => self
                        .by_path
                        .get(p)
                        .map_or(EdgeTo::Unresolved, |&m| EdgeTo::Module(m)),
                    Target::Package(s) => EdgeTo::Package(s.clone()),
                    Target::Unresolved => EdgeTo::Unresolved,
                },
                runtime: *runtime,
            })
            .collect()
    }

    /// This graph with `module`'s facts replaced by `facts` (a text the fix loop rewrote): its
    /// imports resolved again with `resolvers`, everything computed from the graph (client
    /// graph, summaries, importers) computed afresh for it. An import of a file the graph does
    /// not hold is unresolved (fixes only add imports of packages).
    pub fn replacing(
        &self,
        module: ModuleId,
        facts: Arc<FileFacts>,
        resolvers: &Resolvers,
    ) -> ModuleGraph {
        let mut graph = ModuleGraph {
            modules: self.modules.clone(),
            by_path: self.by_path.clone(),
            ..ModuleGraph::default()
        };
        graph.modules[module].facts = Some(facts);
        let targets = resolve_imports(resolvers, &graph.modules[module]);
        graph.modules[module].edges = graph.edges_to(&targets);
        graph
    }

    fn add(
        &mut self,
        path: PathBuf,
        source: String,
        facts: Option<Arc<FileFacts>>,
        linted: bool,
    ) -> ModuleId {
        if let Some(&id) = self.by_path.get(&path) {
            return id;
        }
        let id = self.modules.len();
        self.by_path.insert(path.clone(), id);
        self.modules.push(Module {
            path,
            source,
            facts,
            linted,
            edges: Vec::new(),
        });
        id
    }

    /// A value a rule computes once for the whole graph (shared by the files it checks): the
    /// first caller computes it, later ones get the same value. `key` names the owner.
    pub fn memo<T: Send + Sync + 'static>(
        &self,
        key: &'static str,
        compute: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        let mut memos = self.memos.lock().expect("graph memos");
        let value = memos
            .entry(key)
            .or_insert_with(|| std::sync::Arc::new(compute()))
            .clone();
        drop(memos);
        value.downcast::<T>().expect("one type per memo key")
    }

    /// Runtime edges that reach the browser bundle: all but an `import()` or `require()` in a
    /// branch that only runs on the server (`if (typeof window === 'undefined')`), which Next.js
    /// drops from client bundles when it replaces `typeof window` at compile time.
    pub fn client_edges(&self, module: ModuleId) -> impl Iterator<Item = (&Edge, &Import)> {
        let regions = self.modules[module]
            .facts
            .as_deref()
            .map(|f| &f.server_only_regions[..])
            .unwrap_or(&[]);
        self.runtime_edges(module).filter(move |(_, import)| {
            let conditional = matches!(import.kind, ImportKind::Dynamic | ImportKind::Require);
            !(conditional
                && regions
                    .iter()
                    .any(|r| r.start <= import.range.start && import.range.end <= r.end))
        })
    }

    /// Client edges (see `client_edges`) into each module, from modules `keep` accepts:
    /// (importer, import index).
    pub fn reverse_client_edges(
        &self,
        keep: impl Fn(ModuleId) -> bool,
    ) -> Vec<Vec<(ModuleId, usize)>> {
        let mut reverse = vec![Vec::new(); self.modules.len()];
        for from in (0..self.modules.len()).filter(|&m| keep(m)) {
            for (edge, _) in self.client_edges(from) {
                if let EdgeTo::Module(to) = edge.to {
                    reverse[to].push((from, edge.import));
                }
            }
        }
        reverse
    }

    /// A module that can hand a Server Action to a form or client code: in the client graph,
    /// or a component file (a Server Component passing it as a prop).
    pub fn is_ui_module(&self, module: ModuleId) -> bool {
        self.client().contains(module) || is_component_file(&self.modules[module].path)
    }

    /// The client graph, computed on first use.
    pub fn client(&self) -> &ClientGraph {
        self.client.get_or_init(|| ClientGraph::new(self))
    }

    /// The server component graph, computed on first use.
    pub fn server(&self) -> &ServerGraph {
        self.server.get_or_init(|| ServerGraph::new(self))
    }

    /// The modules that import `name` as defined in `module` (a module-scope binding), directly
    /// or through re-exports; a namespace import or `import()` of a module counts as importing
    /// every name it exports.
    pub fn importers_of(&self, module: ModuleId, name: &str) -> &[ModuleId] {
        let index = self.importers.get_or_init(|| self.build_importers());
        index
            .get(&(module, name.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn build_importers(&self) -> HashMap<(ModuleId, String), Vec<ModuleId>> {
        let mut index: HashMap<(ModuleId, String), Vec<ModuleId>> = HashMap::default();
        for (id, m) in self.modules.iter().enumerate() {
            let Some(facts) = &m.facts else { continue };
            for edge in m.edges.iter().filter(|e| e.runtime) {
                let EdgeTo::Module(target) = edge.to else {
                    continue;
                };
                let import = &facts.imports[edge.import];
                let whole = import.names.is_empty()
                    || import
                        .names
                        .iter()
                        .any(|n| n.imported == seam_syntax::Imported::Namespace);
                let names: Vec<String> = if whole {
                    self.facts(target)
                        .map(|t| t.exports.iter().map(|e| e.name.clone()).collect())
                        .unwrap_or_default()
                } else {
                    import
                        .names
                        .iter()
                        .filter(|n| !n.type_only)
                        .map(|n| match &n.imported {
                            seam_syntax::Imported::Named(name) => name.to_string(),
                            _ => "default".to_string(),
                        })
                        .collect()
                };
                for name in names {
                    if let Some(Resolved::Binding(defined_in, local)) =
                        self.resolve_export(target, &name)
                    {
                        index.entry((defined_in, local)).or_default().push(id);
                    } else {
                        index.entry((target, name)).or_default().push(id);
                    }
                }
            }
        }
        index
    }

    /// 1-based line and column (in characters) of an offset in a module. The linter drops the
    /// texts of linted modules after analysis; those are read again from disk here.
    pub fn position(&self, module: ModuleId, offset: u32) -> LineCol {
        let module = &self.modules[module];
        let reread;
        let source = if module.source.is_empty() {
            reread = std::fs::read_to_string(&module.path).unwrap_or_default();
            &reread
        } else {
            &module.source
        };
        LineIndex::new(source).line_col(source, offset)
    }

    pub fn id_of(&self, path: &Path) -> Option<ModuleId> {
        self.by_path.get(path).copied()
    }

    pub fn facts(&self, id: ModuleId) -> Option<&FileFacts> {
        self.modules[id].facts.as_deref()
    }

    /// The edge of `module` that carries its import number `import`.
    pub fn edge(&self, module: ModuleId, import: usize) -> Option<&Edge> {
        self.modules[module]
            .edges
            .iter()
            .find(|e| e.import == import)
    }

    /// Runtime edges of a module, with their import facts.
    pub fn runtime_edges(&self, module: ModuleId) -> impl Iterator<Item = (&Edge, &Import)> {
        let m = &self.modules[module];
        m.edges
            .iter()
            .filter(|e| e.runtime)
            .filter_map(move |e| Some((e, m.import(e)?)))
    }
}

fn resolve_imports(resolvers: &Resolvers, module: &Module) -> Arc<[(usize, Target, bool)]> {
    let Some(facts) = &module.facts else {
        return Arc::new([]);
    };
    if let Some(known) = resolvers.remembered(&module.path, facts) {
        return known;
    }
    let resolver = resolvers.for_file(&module.path);
    let typescript = is_typescript(&module.path);
    let targets: Arc<[_]> = facts
        .imports
        .iter()
        .enumerate()
        .map(|(i, import)| {
            let target = resolvers.resolve(&resolver, &module.path, &import.specifier);
            (i, target, is_runtime(facts, import, typescript))
        })
        .collect();
    resolvers.remember(&module.path, facts, &targets);
    targets
}

/// Whether an import survives compilation, as TypeScript and swc erase imports: `import type`
/// and `import { type X }` always go; in TypeScript a plain import whose bindings are only used
/// as types goes too. Side-effect imports, re-exports, `import()` and `require()` stay.
pub fn is_runtime(facts: &FileFacts, import: &Import, typescript: bool) -> bool {
    if import.type_only {
        return false;
    }
    match import.kind {
        ImportKind::SideEffect | ImportKind::Dynamic | ImportKind::Require => true,
        ImportKind::ReExport => {
            import.names.is_empty() || import.names.iter().any(|n| !n.type_only)
        }
        ImportKind::Static => import
            .names
            .iter()
            .any(|n| !n.type_only && (!typescript || name_used_as_value(facts, &n.local))),
    }
}

/// A module binding referenced in a value position (the facts count such references).
pub fn name_used_as_value(facts: &FileFacts, local: &str) -> bool {
    facts.binding(local).is_some_and(|b| b.value_refs > 0)
        || facts
            .exports
            .iter()
            .any(|e| !e.type_only && e.local.as_deref() == Some(local))
}

/// The text of a small configuration file (package.json, pnpm-workspace.yaml): None when it is
/// missing, not a regular file, too large, nested too deep or not UTF-8.
pub fn read_config_file(path: &Path) -> Option<String> {
    seam_diagnostics::files::read_json_bounded(path).ok()
}

#[cfg(test)]
mod tests;
