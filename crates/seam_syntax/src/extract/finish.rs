//! After the walk: resolve function references and derive the file's Server Actions.

use super::*;

impl Extractor<'_> {
    pub(super) fn fn_at(&self, start: u32) -> Option<FnId> {
        self.fn_by_start.get(&start).copied()
    }

    pub(super) fn binding_function(&self, b: BindingId) -> Option<FnId> {
        self.binding_fn_start.get(&b).and_then(|s| self.fn_at(*s))
    }

    pub(super) fn resolve_value(&self, arg: &mut ArgFact) {
        match &mut arg.value {
            Value::Function(start) => match self.fn_at(*start as u32) {
                Some(id) => *start = id,
                None => arg.value = Value::Other,
            },
            Value::LocalFunction(b) => match self.binding_function(*b) {
                Some(id) => *b = id,
                None => arg.value = Value::Other,
            },
            Value::Object { props, .. } => props
                .iter_mut()
                .for_each(|p| self.resolve_value(&mut p.value)),
            _ => {}
        }
    }

    pub(super) fn finish(mut self) -> FileFacts {
        for b in 0..self.facts.bindings.len() {
            self.facts.bindings[b].function = self.binding_function(b);
        }
        let chains = std::mem::take(&mut self.binding_chains);
        for (b, raw) in chains {
            let chain = self.init_chain(raw);
            self.facts.bindings[b].init = Some(Box::new(chain));
        }
        let mut calls = std::mem::take(&mut self.facts.calls);
        calls.retain_mut(|call| {
            call.args.iter_mut().for_each(|a| self.resolve_value(a));
            match call.callee {
                facts::Callee::LocalFunction(b) => match self.binding_function(b) {
                    Some(f) => {
                        call.callee = facts::Callee::LocalFunction(f);
                        true
                    }
                    None => false,
                },
                _ => true,
            }
        });
        self.facts.calls = calls;
        self.facts.actions = self.actions().into();
        self.facts.exported_functions = self.exported_functions().into();
        self.facts.default_export = self
            .default_shape
            .map(|(shape, range, start)| DefaultExport {
                range,
                shape,
                function: start.and_then(|s| self.fn_at(s)),
            });
        self.facts
    }

    fn init_chain(&self, raw: RawChain) -> InitChain {
        let by_name = raw.function_names.iter().filter_map(|name| {
            let b = self.facts.bindings.iter().position(|b| &b.name == name)?;
            self.binding_function(b)
        });
        let mut functions: Vec<FnId> = raw
            .function_starts
            .iter()
            .filter_map(|s| self.fn_at(*s))
            .chain(by_name)
            .collect();
        functions.sort_unstable();
        InitChain {
            root: raw.root,
            path: raw.path,
            functions,
        }
    }

    pub(super) fn action_from(
        &self,
        name: String,
        range: TextRange,
        summary: Option<&InitSummary>,
        fallback: Option<FnId>,
    ) -> ServerAction {
        let (kind, function) = match summary {
            Some(InitSummary::Function(start)) => (ActionKind::Exported, self.fn_at(*start)),
            Some(InitSummary::Wrapper {
                callee,
                function,
                wrapped_binding,
            }) => (
                ActionKind::Wrapped {
                    callee: callee.clone(),
                },
                function
                    .and_then(|s| self.fn_at(s))
                    .or_else(|| wrapped_binding.and_then(|b| self.binding_function(b))),
            ),
            None => (ActionKind::Exported, fallback),
        };
        ServerAction {
            name,
            kind,
            function,
            range,
        }
    }

    pub(super) fn exported_functions(&self) -> Vec<(String, FnId)> {
        let facts = &self.facts;
        let first_of = first_binding_by_name(facts);
        let mut out = Vec::new();
        for export in facts.exports.iter().filter(|e| !e.type_only) {
            let function = match export.local.as_deref() {
                Some(local) => first_of
                    .get(local)
                    .and_then(|&b| facts.bindings[b].function),
                None if export.name == "default" => match &self.default_export {
                    Some((InitSummary::Function(start), _)) => self.fn_at(*start),
                    _ => None,
                },
                None => None,
            };
            if let Some(f) = function {
                out.push((export.name.clone(), f));
            }
        }
        out
    }

    pub(super) fn actions(&self) -> Vec<ServerAction> {
        let facts = &self.facts;
        let mut actions = Vec::new();
        if facts.is_use_client() {
            return actions;
        }
        if facts.is_use_server() {
            let first_of = first_binding_by_name(facts);
            for export in facts.exports.iter().filter(|e| !e.type_only) {
                let binding = export
                    .local
                    .as_deref()
                    .and_then(|l| first_of.get(l).copied());
                let action = match binding {
                    Some(b) => {
                        let bind = &facts.bindings[b];
                        if matches!(
                            bind.kind,
                            BindingKind::Import | BindingKind::Class | BindingKind::Other
                        ) {
                            continue;
                        }
                        self.action_from(
                            export.name.clone(),
                            bind.range,
                            self.binding_init.get(&b),
                            bind.function,
                        )
                    }
                    None if export.name == "default" => match &self.default_export {
                        Some((summary, range)) => {
                            self.action_from("default".into(), *range, Some(summary), None)
                        }
                        None => continue,
                    },
                    None => continue,
                };
                actions.push(action);
            }
        }
        for (id, f) in facts.functions.iter().enumerate() {
            let inline = f.has_directive(|k| *k == DirectiveKind::UseServer);
            if inline && !actions.iter().any(|a| a.function == Some(id)) {
                let directive = f
                    .directives
                    .iter()
                    .find(|d| d.kind == DirectiveKind::UseServer)
                    .map(|d| d.range);
                actions.push(ServerAction {
                    name: f.name.as_deref().unwrap_or("<inline action>").to_string(),
                    kind: ActionKind::Inline,
                    function: Some(id),
                    range: f.name_range.or(directive).unwrap_or(f.range),
                });
            }
        }
        actions
    }
}

/// The index of the first module binding of each name (what a search from the start finds), by
/// a map: generated files can declare and export tens of thousands of names.
pub(super) fn first_binding_by_name(facts: &FileFacts) -> rustc_hash::FxHashMap<&str, usize> {
    let mut first_of: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (i, b) in facts.bindings.iter().enumerate() {
        first_of.entry(b.name.as_str()).or_insert(i);
    }
    first_of
}
