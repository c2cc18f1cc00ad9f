//! The client graph: every module reachable by runtime edges from a `'use client'` module,
//! without entering `'use server'` or `'use cache'` modules.

use std::collections::VecDeque;

use crate::{EdgeTo, ModuleGraph, ModuleId};

/// For each module in the client graph, the import that first pulled it in (breadth-first, so
/// the chain back to a `'use client'` module is a shortest one).
#[derive(Debug)]
pub struct ClientGraph {
    /// None: not in the client graph. Some(None): a `'use client'` module itself.
    reached_by: Vec<Option<Option<(ModuleId, usize)>>>,
}

impl ClientGraph {
    pub fn new(graph: &ModuleGraph) -> Self {
        let mut reached_by = vec![None; graph.modules.len()];
        let mut queue = VecDeque::new();
        for (id, m) in graph.modules.iter().enumerate() {
            if m.is_use_client() {
                reached_by[id] = Some(None);
                queue.push_back(id);
            }
        }
        while let Some(id) = queue.pop_front() {
            for (edge, _) in graph.client_edges(id) {
                let EdgeTo::Module(to) = edge.to else {
                    continue;
                };
                if reached_by[to].is_some() || graph.modules[to].is_server_boundary() {
                    continue;
                }
                reached_by[to] = Some(Some((id, edge.import)));
                queue.push_back(to);
            }
        }
        Self { reached_by }
    }

    pub fn contains(&self, module: ModuleId) -> bool {
        self.reached_by.get(module).is_some_and(Option::is_some)
    }

    /// The chain of (module, import index) from a `'use client'` module down to `module`; empty
    /// when `module` is a `'use client'` module; None when it is not in the client graph.
    pub fn why(&self, module: ModuleId) -> Option<Vec<(ModuleId, usize)>> {
        let mut chain = Vec::new();
        let mut current = module;
        loop {
            match self.reached_by.get(current)? {
                None => return None,
                Some(None) => break,
                Some(Some((from, import))) => {
                    chain.push((*from, *import));
                    current = *from;
                }
            }
        }
        chain.reverse();
        Some(chain)
    }

    /// Every `'use client'` module whose runtime imports reach `module` (walking back the same
    /// edges the client graph follows), in module order.
    pub fn clients_reaching(&self, graph: &ModuleGraph, module: ModuleId) -> Vec<ModuleId> {
        if !self.contains(module) {
            return Vec::new();
        }
        let reverse = graph.reverse_client_edges(|m| self.contains(m));
        let mut seen = vec![false; graph.modules.len()];
        seen[module] = true;
        let mut queue = VecDeque::from([module]);
        let mut clients = Vec::new();
        while let Some(current) = queue.pop_front() {
            if graph.modules[current].is_use_client() {
                clients.push(current);
                // Another client module's own imports reach past it; that one is listed itself.
            }
            for &(from, _) in &reverse[current] {
                if !seen[from] && !graph.modules[current].is_server_boundary() {
                    seen[from] = true;
                    queue.push_back(from);
                }
            }
        }
        clients.sort_unstable();
        clients
    }
}
