//! The server component graph: every module an App Router server entry (a page, layout, route
//! handler, metadata route) or an imported `'use server'`/`'use cache'` module reaches by
//! runtime edges without entering a `'use client'` module. Next.js compiles these for React
//! Server Components (the `react-server` layer), where client-only APIs do not exist.

use std::collections::VecDeque;
use std::path::Path;

use crate::{EdgeTo, ModuleGraph, ModuleId};

/// App Router files Next.js renders or runs on the server as entries of the server graph.
/// (`error` and `global-error` must be client components; middleware is not in this graph.)
const SERVER_ENTRY_STEMS: &[&str] = &[
    "page",
    "layout",
    "template",
    "default",
    "not-found",
    "global-not-found",
    "loading",
    "forbidden",
    "unauthorized",
    "route",
    "opengraph-image",
    "twitter-image",
    "icon",
    "apple-icon",
    "sitemap",
    "robots",
    "manifest",
];

const ENTRY_EXTENSIONS: &[&str] = &["js", "jsx", "ts", "tsx"];

#[derive(Debug)]
pub struct ServerGraph {
    /// Steps from the nearest entry; None: not in the server graph.
    distance: Vec<Option<u32>>,
    /// The import that leads one step closer to an entry, chosen by the importer's path (so the
    /// chain shown never depends on the order files were found).
    step: Vec<Option<(ModuleId, usize)>>,
}

impl ServerGraph {
    pub fn new(graph: &ModuleGraph) -> Self {
        let n = graph.modules.len();
        let mut distance = vec![None; n];
        let mut queue = VecDeque::new();
        let mut project_dirs = std::collections::HashMap::new();
        // Imported server boundaries: Next.js compiles them (and what they import) on the server
        // layer even when only client code imports them.
        let mut imported_boundary = vec![false; n];
        for id in 0..n {
            for (edge, _) in graph.runtime_edges(id) {
                if let EdgeTo::Module(to) = edge.to {
                    imported_boundary[to] |= graph.modules[to].is_server_boundary();
                }
            }
        }
        for (id, m) in graph.modules.iter().enumerate() {
            if m.is_use_client() {
                continue;
            }
            if imported_boundary[id] || is_app_entry(&m.path, &mut project_dirs) {
                distance[id] = Some(0);
                queue.push_back(id);
            }
        }
        let mut packages = PackageBoundaries::default();
        while let Some(id) = queue.pop_front() {
            let next = distance[id].unwrap_or(0) + 1;
            for (edge, _) in graph.runtime_edges(id) {
                let EdgeTo::Module(to) = edge.to else {
                    continue;
                };
                if distance[to].is_none()
                    && !graph.modules[to].is_use_client()
                    && !packages
                        .enters_unseen_build(&graph.modules[id].path, &graph.modules[to].path)
                {
                    distance[to] = Some(next);
                    queue.push_back(to);
                }
            }
        }
        let mut step: Vec<Option<(ModuleId, usize)>> = vec![None; n];
        for from in 0..n {
            let Some(d) = distance[from] else { continue };
            for (edge, _) in graph.runtime_edges(from) {
                let EdgeTo::Module(to) = edge.to else {
                    continue;
                };
                if distance[to] != Some(d + 1)
                    || packages
                        .enters_unseen_build(&graph.modules[from].path, &graph.modules[to].path)
                {
                    continue;
                }
                let candidate = (from, edge.import);
                let better = match step[to] {
                    None => true,
                    Some((other, import)) => {
                        (&graph.modules[from].path, edge.import)
                            < (&graph.modules[other].path, import)
                    }
                };
                if better {
                    step[to] = Some(candidate);
                }
            }
        }
        Self { distance, step }
    }

    pub fn contains(&self, module: ModuleId) -> bool {
        self.distance.get(module).is_some_and(Option::is_some)
    }

    /// The chain of (module, import index) from a server entry down to `module`: empty when
    /// `module` is an entry; None when it is not in the server graph.
    pub fn why(&self, module: ModuleId) -> Option<Vec<(ModuleId, usize)>> {
        self.distance.get(module).copied().flatten()?;
        let mut chain = Vec::new();
        let mut current = module;
        while let Some((from, import)) = self.step[current] {
            chain.push((from, import));
            current = from;
        }
        chain.reverse();
        Some(chain)
    }
}

/// A page, layout, route handler (...) of an App Router app: under `app/` (or `src/app/`) of a
/// directory that holds a Next.js project.
pub fn is_app_entry(
    path: &Path,
    project_dirs: &mut std::collections::HashMap<std::path::PathBuf, bool>,
) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let extension = path.extension().and_then(|s| s.to_str()).unwrap_or("");
    if !SERVER_ENTRY_STEMS.contains(&stem) || !ENTRY_EXTENSIONS.contains(&extension) {
        return false;
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        let name = d.file_name().and_then(|s| s.to_str()).unwrap_or("");
        if name == "node_modules" {
            return false;
        }
        // Private folders (`_components`) are not routes.
        if name.starts_with('_') {
            return false;
        }
        if name == "app" {
            let parent = d.parent();
            let root = match parent {
                Some(p) if p.file_name().is_some_and(|n| n == "src") => p.parent(),
                other => other,
            };
            if let Some(root) = root {
                let is_project = *project_dirs
                    .entry(root.to_path_buf())
                    .or_insert_with(|| holds_project(root));
                if is_project {
                    return true;
                }
            }
        }
        dir = d.parent();
    }
    false
}

/// A Next.js project: a next.config file, or a package.json that depends on `next` (an Expo
/// Router app has an `app/` folder too).
fn holds_project(dir: &Path) -> bool {
    if seam_syntax::next_config::NEXT_CONFIG_FILES
        .iter()
        .any(|f| dir.join(f).is_file())
    {
        return true;
    }
    let Ok(text) = std::fs::read_to_string(dir.join("package.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies", "peerDependencies"]
        .iter()
        .any(|field| json[field].get("next").is_some())
}

/// Package folders, and whether each is consumed through a build that is not in the checkout.
#[derive(Default)]
struct PackageBoundaries {
    /// Folder -> the folder of the package.json that governs it.
    package_of: std::collections::HashMap<std::path::PathBuf, Option<std::path::PathBuf>>,
    unbuilt: std::collections::HashMap<std::path::PathBuf, bool>,
}

impl PackageBoundaries {
    /// An import from `from` into another package whose entry points (`main`, `module`,
    /// `exports`) name files that do not exist: its build (`dist/`) is what Next.js compiles,
    /// and seam reads the sources standing in for it. A build step may add what the sources
    /// lack (tsup's `banner: '"use client"'`), so what is true of the sources on the server
    /// is not known.
    fn enters_unseen_build(&mut self, from: &Path, to: &Path) -> bool {
        let (Some(from_dir), Some(to_dir)) = (from.parent(), to.parent()) else {
            return false;
        };
        let from_package = self.package_dir(from_dir);
        let Some(to_package) = self.package_dir(to_dir) else {
            return false;
        };
        if from_package.as_ref() == Some(&to_package) {
            return false;
        }
        *self
            .unbuilt
            .entry(to_package.clone())
            .or_insert_with(|| entry_points_missing(&to_package))
    }

    fn package_dir(&mut self, dir: &Path) -> Option<std::path::PathBuf> {
        if let Some(known) = self.package_of.get(dir) {
            return known.clone();
        }
        let found = if dir.join("package.json").is_file() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|parent| self.package_dir(parent))
        };
        self.package_of.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// Whether a package.json names entry files, none of which exist.
fn entry_points_missing(package: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(package.join("package.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let mut entries = Vec::new();
    for field in ["main", "module", "exports"] {
        collect_paths(&json[field], &mut entries);
    }
    // Patterns (`./*`) name no one file: they do not say the build is missing.
    entries.retain(|e| !e.contains('*'));
    !entries.is_empty() && !entries.iter().any(|e| package.join(e).is_file())
}

fn collect_paths(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.starts_with("./") || !s.starts_with('.') => {
            out.push(s.clone())
        }
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_paths(v, out)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_paths(v, out)),
        _ => {}
    }
}
