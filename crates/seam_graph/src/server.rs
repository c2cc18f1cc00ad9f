//! The server component graph: every module an App Router server entry (a page, layout, route
//! handler, ...) reaches by runtime edges without entering a `'use client'` module. Next.js
//! compiles these for React Server Components, where client-only APIs do not exist.

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
        for (id, m) in graph.modules.iter().enumerate() {
            if !m.is_use_client() && is_app_entry(&m.path, &mut project_dirs) {
                distance[id] = Some(0);
                queue.push_back(id);
            }
        }
        while let Some(id) = queue.pop_front() {
            let next = distance[id].unwrap_or(0) + 1;
            for (edge, _) in graph.runtime_edges(id) {
                let EdgeTo::Module(to) = edge.to else {
                    continue;
                };
                if distance[to].is_none() && !graph.modules[to].is_use_client() {
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
                if distance[to] != Some(d + 1) {
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
/// directory that holds a Next.js project (a next.config file or a package.json).
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

fn holds_project(dir: &Path) -> bool {
    ["package.json"]
        .iter()
        .chain(seam_syntax::next_config::NEXT_CONFIG_FILES)
        .any(|f| dir.join(f).is_file())
}
