//! Following a name across modules: imports to the export that defines them, through
//! re-exports (`export { x } from`, `export * from`) and imported-then-exported bindings.

use seam_syntax::{FileFacts, ImportKind, Imported, Name};

use crate::{EdgeTo, ModuleGraph, ModuleId};

/// What an exported name is, once followed to its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A module-scope binding (by name) of a module of the graph.
    Binding(ModuleId, String),
    /// An anonymous default export (`export default function () {}`) of a module.
    DefaultExport(ModuleId),
    /// An export of a package: (specifier, imported name; `*` for the namespace).
    Package(String, String),
}

/// Re-export chains deeper than this are not followed (and cycles end here).
const MAX_DEPTH: usize = 16;

thread_local! {
    /// Set when a lookup on this thread stopped at `MAX_DEPTH`: what it found then depends on
    /// the depth it started from, so it is not remembered.
    static CUT_SHORT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Remembered export lookups: only those that never stopped at the depth limit, which give the
/// same answer from any depth (a pure function of the graph), so which thread or rule asked
/// first changes nothing.
pub(crate) type ExportMemo =
    std::sync::Mutex<rustc_hash::FxHashMap<(ModuleId, String), Option<Resolved>>>;

impl ModuleGraph {
    /// Follows `name` exported by `module` to where it is defined.
    pub fn resolve_export(&self, module: ModuleId, name: &str) -> Option<Resolved> {
        self.resolve_export_at(module, name, 0)
    }

    /// Follows a local name of `module` (a binding or an import) to where it is defined.
    pub fn resolve_local(&self, module: ModuleId, local: &str) -> Option<Resolved> {
        self.resolve_local_at(module, local, 0)
    }

    /// Follows the import numbered `import` of `module`, naming `imported`.
    pub fn resolve_imported(
        &self,
        module: ModuleId,
        import: usize,
        imported: &Imported,
    ) -> Option<Resolved> {
        self.follow_import(module, import, imported, 0)
    }

    /// Follows the callee of a call on an imported binding (`f()`, `ns.f()`, `obj.method()`;
    /// `name` and `path` as `Callee::Import` holds them) to where it is defined. Returns the
    /// definition with the name it was reached by and the members still accessed on it.
    pub fn resolve_import_call<'p>(
        &self,
        module: ModuleId,
        facts: &FileFacts,
        specifier: &str,
        name: &'p str,
        path: &'p [Name],
    ) -> (Option<Resolved>, &'p str, &'p [Name]) {
        let imported = match name {
            "default" => Imported::Default,
            "*" => Imported::Namespace,
            n => Imported::Named(n.into()),
        };
        let index = facts.imports.iter().position(|i| {
            i.kind == ImportKind::Static
                && i.specifier == specifier
                && i.names.iter().any(|n| n.imported == imported)
        });
        match (index, path.split_first()) {
            (Some(i), Some((first, rest))) if imported == Imported::Namespace => (
                self.resolve_imported(module, i, &Imported::Named(first.clone())),
                first,
                rest,
            ),
            (Some(i), _) => (self.resolve_imported(module, i, &imported), name, path),
            (None, _) => (None, name, path),
        }
    }

    fn resolve_local_at(&self, module: ModuleId, local: &str, depth: usize) -> Option<Resolved> {
        let facts = self.facts(module)?;
        let position = facts
            .imports
            .iter()
            .position(|i| i.kind == ImportKind::Static && i.names.iter().any(|n| n.local == local));
        if let Some(index) = position {
            let name = facts.imports[index]
                .names
                .iter()
                .find(|n| n.local == local)?;
            return self.follow_import(module, index, &name.imported, depth + 1);
        }
        facts
            .binding(local)
            .map(|_| Resolved::Binding(module, local.to_string()))
    }

    fn resolve_export_at(&self, module: ModuleId, name: &str, depth: usize) -> Option<Resolved> {
        if depth > MAX_DEPTH {
            CUT_SHORT.with(|c| c.set(true));
            return None;
        }
        let key = (module, name.to_string());
        if let Some(known) = self
            .export_memo
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return known;
        }
        let outer = CUT_SHORT.with(|c| c.replace(false));
        let found = self.find_export(module, name, depth);
        let cut_short = CUT_SHORT.with(|c| c.replace(outer || c.get()));
        if !cut_short {
            if let Ok(mut memo) = self.export_memo.lock() {
                memo.insert(key, found.clone());
            }
        }
        found
    }

    fn find_export(&self, module: ModuleId, name: &str, depth: usize) -> Option<Resolved> {
        let facts = self.facts(module)?;
        if let Some(export) = facts
            .exports
            .iter()
            .find(|e| e.name == name && !e.type_only)
        {
            if let Some(local) = &export.local {
                return self.resolve_local_at(module, local, depth);
            }
            if name == "default" && facts.default_export.is_some() {
                return Some(Resolved::DefaultExport(module));
            }
        }
        // `export { name } from './x'`, `export * as name from './x'`, then `export * from`.
        for (index, import) in facts.imports.iter().enumerate() {
            if import.kind != ImportKind::ReExport || import.type_only {
                continue;
            }
            if let Some(n) = import
                .names
                .iter()
                .find(|n| n.local == name && !n.type_only)
            {
                return self.follow_import(module, index, &n.imported, depth + 1);
            }
        }
        if name == "default" {
            return None;
        }
        facts
            .imports
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind == ImportKind::ReExport && i.names.is_empty() && !i.type_only)
            .find_map(|(index, _)| {
                self.follow_import(module, index, &Imported::Named(name.into()), depth + 1)
            })
    }

    fn follow_import(
        &self,
        module: ModuleId,
        import: usize,
        imported: &Imported,
        depth: usize,
    ) -> Option<Resolved> {
        let name = match imported {
            Imported::Named(n) => n.as_str(),
            Imported::Default => "default",
            Imported::Namespace => "*",
        };
        match &self.edge(module, import)?.to {
            EdgeTo::Module(target) if name != "*" => self.resolve_export_at(*target, name, depth),
            EdgeTo::Module(_) => None,
            EdgeTo::Package(specifier) => {
                Some(Resolved::Package(specifier.clone(), name.to_string()))
            }
            EdgeTo::Unresolved => None,
        }
    }
}
