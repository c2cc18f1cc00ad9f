//! Statement lists, blocks, scopes and functions: the context every fact is recorded in.

use super::*;

impl<'a> Extractor<'a> {
    pub(super) fn init_summary(&self, e: &Expr) -> Option<InitSummary> {
        let e = match strip(e) {
            Expr::Await(a) => strip(&a.arg),
            e => e,
        };
        match e {
            Expr::Fn(f) => Some(InitSummary::Function(range(f.function.span).start)),
            Expr::Arrow(a) => Some(InitSummary::Function(range(a.span).start)),
            Expr::Call(c) => {
                let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
                    return None;
                };
                let function = c.args.iter().rev().find_map(|a| match strip(&a.expr) {
                    Expr::Fn(f) => Some(range(f.function.span).start),
                    Expr::Arrow(a) => Some(range(a.span).start),
                    _ => None,
                });
                let wrapped_binding = c.args.iter().rev().find_map(|a| match strip(&a.expr) {
                    Expr::Ident(i) => self.lookup(&i.sym).and_then(|l| l.module),
                    _ => None,
                });
                Some(InitSummary::Wrapper {
                    callee: self.text(range(callee.span())).to_string(),
                    function,
                    wrapped_binding,
                })
            }
            _ => None,
        }
    }

    pub(super) fn visit_stmt_list(&mut self, stmts: &[Stmt]) {
        self.visit_items_where(stmts, |_| true);
    }

    /// Visits the statements (or module items) `keep` accepts; the others keep their index, so
    /// every block path stays what a full walk gives.
    pub(super) fn visit_items_where<T: VisitWith<Self>>(
        &mut self,
        items: &[T],
        keep: impl Fn(&T) -> bool,
    ) {
        let id = self.new_block();
        for (i, item) in items.iter().enumerate().filter(|(_, item)| keep(item)) {
            self.block_path.push((id, i as u32));
            item.visit_with(self);
            self.block_path.pop();
        }
    }

    pub(super) fn new_block(&mut self) -> u32 {
        self.next_block += 1;
        self.next_block
    }

    /// A statement in a nested position (`if (x) stmt`) gets a block of its own, so that it never
    /// looks like a sibling of the statements around its parent.
    pub(super) fn visit_nested(&mut self, stmt: &Stmt) {
        if let Stmt::Block(_) = stmt {
            stmt.visit_with(self);
        } else {
            let id = self.new_block();
            self.block_path.push((id, 0));
            self.scope_ends.push(range(stmt.span()).end);
            stmt.visit_with(self);
            self.scope_ends.pop();
            self.block_path.pop();
        }
    }

    pub(super) fn push_scope(&mut self) {
        self.scopes.push(Scope::default());
    }

    pub(super) fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    pub(super) fn declare_pat(&mut self, pat: &Pat, kind: LocalKind, variability: Variability) {
        let mut ids = Vec::new();
        pat_idents(pat, &mut ids);
        for b in ids {
            let variability = match (&b.type_ann, kind) {
                (Some(ann), LocalKind::Param) if is_literal_union(&ann.type_ann) => {
                    Variability::Closed
                }
                _ => variability,
            };
            let named_type = kind == LocalKind::Param
                && b.type_ann
                    .as_ref()
                    .is_some_and(|a| is_named_type(&a.type_ann));
            self.declare_here(
                &b.id.sym,
                Local {
                    kind,
                    variability,
                    module: None,
                    named_type,
                    io: false,
                    input: kind == LocalKind::Param,
                    origin: None,
                    param_of: None,
                    request_prop: None,
                },
            );
        }
    }

    pub(super) fn function_like(
        &mut self,
        span: Span,
        is_async: bool,
        is_arrow: bool,
        params: &[&Pat],
        body: Option<&BlockStmtOrExprRef>,
    ) {
        let start = range(span).start;
        let pending = self.pending.remove(&start).unwrap_or_default();
        let role = pending.role.unwrap_or(FnRole::Plain);
        let (name, name_range) = pending
            .name
            .map(|(n, r)| (Some(n), Some(r)))
            .unwrap_or((None, None));
        let (directives, prologue_end) = match body {
            Some(BlockStmtOrExprRef::Block(b)) => prologue(b.stmts.iter().map(Some)),
            _ => (Vec::new(), None),
        };
        let parent = self.current_fn();
        let client_context = role == FnRole::ClientCallback
            || name.as_deref().is_some_and(is_hook_or_handler_name)
            || parent.is_some_and(|p| self.facts.functions[p].client_context);
        let id = self.facts.functions.len();
        self.facts.functions.push(FunctionFact {
            name,
            name_range,
            range: range(span),
            body_start: match body {
                Some(BlockStmtOrExprRef::Block(b)) => Some(range(b.span).start + 1),
                _ => None,
            },
            is_async,
            is_arrow,
            params: params.len() as u32,
            param_names: {
                let mut ids = Vec::new();
                params.iter().for_each(|p| pat_idents(p, &mut ids));
                ids.iter().map(|b| b.id.sym.clone()).collect()
            },
            directives: directives.into(),
            parent,
            role,
            client_context,
            instance_method: pending.instance_method,
        });
        self.fn_by_start.insert(start, id);
        self.record_search_params_params(id, params);

        let sync_callback = role == FnRole::IterationCallback && !is_async;
        let saved_try = if sync_callback {
            self.try_stack.clone()
        } else {
            std::mem::take(&mut self.try_stack)
        };
        let frame = FnFrame {
            id,
            scope_depth: self.scopes.len(),
            saved_path: std::mem::take(&mut self.block_path),
            saved_try,
            saved_loop: self.loop_depth,
            body_depth: 0,
            entry_loop: 0,
        };
        self.loop_depth = if role == FnRole::IterationCallback {
            self.loop_depth + 1
        } else {
            0
        };
        let frame = FnFrame {
            entry_loop: self.loop_depth,
            ..frame
        };
        self.fns.push(frame);
        self.prologue_ends.push(prologue_end);
        self.push_scope();
        for (index, p) in params.iter().enumerate() {
            self.declare_pat(p, LocalKind::Param, Variability::PerCall);
            self.mark_request_params(id, index.min(u8::MAX as usize) as u8, p);
            p.visit_with(self);
        }
        match body {
            Some(BlockStmtOrExprRef::Block(b)) => {
                self.scope_ends.push(range(b.span).end);
                if let Some(frame) = self.fns.last_mut() {
                    frame.body_depth = self.scope_ends.len();
                }
                self.declare_block(&b.stmts, false);
                self.visit_stmt_list(&b.stmts);
                self.scope_ends.pop();
            }
            Some(BlockStmtOrExprRef::Expr(e)) => {
                self.scope_ends.push(range(e.span()).end);
                let before = self.facts.calls.len();
                e.visit_with(self);
                self.record_return(id, e, before);
                self.scope_ends.pop();
            }
            None => {}
        }
        let frame = self.fns.pop().expect("function frame");
        self.prologue_ends.pop();
        self.scopes.truncate(frame.scope_depth);
        self.block_path = frame.saved_path;
        self.try_stack = frame.saved_try;
        self.loop_depth = frame.saved_loop;
    }

    pub(super) fn set_pending_name(
        &mut self,
        fn_start: u32,
        name: facts::Name,
        name_range: TextRange,
    ) {
        self.pending
            .entry(fn_start)
            .or_default()
            .name
            .get_or_insert((name, name_range));
    }

    pub(super) fn set_pending_role(&mut self, arg: &Expr, role: FnRole) {
        let start = match strip(arg) {
            Expr::Fn(f) => range(f.function.span).start,
            Expr::Arrow(a) => range(a.span).start,
            _ => return,
        };
        self.pending.entry(start).or_default().role = Some(role);
    }

    /// The function a throw escapes from: the nearest one that is not a synchronous iteration callback.
    pub(super) fn escape_owner(&self) -> Option<FnId> {
        self.fns.iter().rev().map(|f| f.id).find(|&id| {
            let f = &self.facts.functions[id];
            f.role != FnRole::IterationCallback || f.is_async
        })
    }

    pub(super) fn resolve_callee(&self, e: &Expr) -> Option<facts::Callee> {
        // Find and resolve the root first: most calls name nothing a rule looks at, and those
        // should cost no allocation.
        let mut root = strip(e);
        while let Expr::Member(m) = root {
            root = strip(&m.obj);
        }
        let Expr::Ident(root) = root else { return None };
        let local = self.lookup(&root.sym);
        if local.is_none() && !GLOBALS_OF_INTEREST.contains(&&*root.sym) {
            return None;
        }
        let mut path = Vec::new();
        let mut cur = strip(e);
        while let Expr::Member(m) = cur {
            path.push(prop_atom(&m.prop)?.clone());
            cur = strip(&m.obj);
        }
        path.reverse();
        match local {
            None => Some(facts::Callee::Global {
                name: root.sym.clone(),
                path,
            }),
            Some(Local {
                kind: LocalKind::Import,
                module: Some(_),
                ..
            }) => {
                let (import, name) = self.facts.import_of(&root.sym)?;
                let imported = match &name.imported {
                    Imported::Named(n) => n.clone(),
                    Imported::Default => "default".into(),
                    Imported::Namespace => "*".into(),
                };
                Some(facts::Callee::Import {
                    module: import.specifier.clone(),
                    name: imported,
                    path,
                })
            }
            Some(Local {
                kind: LocalKind::Function | LocalKind::Var,
                module: Some(b),
                ..
            }) if path.is_empty() && self.binding_fn_start.contains_key(b) => {
                Some(facts::Callee::LocalFunction(*b))
            }
            Some(Local {
                module: None,
                origin: Some(call),
                ..
            }) => Some(facts::Callee::Derived { call: *call, path }),
            Some(Local {
                kind: LocalKind::Function | LocalKind::Var | LocalKind::Class,
                module: Some(_),
                ..
            }) => Some(facts::Callee::Binding {
                name: root.sym.clone(),
                path,
            }),
            _ => None,
        }
    }

    pub(super) fn declare_var(
        &mut self,
        kind: VarDeclKind,
        pat: &Pat,
        variability: Variability,
        io: bool,
        input: bool,
        origin: Option<u32>,
    ) {
        let scope = if kind == VarDeclKind::Var {
            self.fns.last().map_or(0, |f| f.scope_depth)
        } else {
            self.scopes.len() - 1
        };
        let mut ids = Vec::new();
        pat_idents(pat, &mut ids);
        for b in ids {
            let module = if scope == 0 {
                self.scopes[0].names.get(&b.id.sym).and_then(|l| l.module)
            } else {
                None
            };
            self.declare(
                scope,
                &b.id.sym,
                Local {
                    kind: LocalKind::Var,
                    variability,
                    module,
                    named_type: false,
                    io,
                    input,
                    origin,
                    param_of: None,
                    request_prop: None,
                },
            );
        }
    }

    /// `X.size`, `X.length` or `Object.keys(X).length` of a tracked store.
    pub(super) fn size_of_store(&self, e: &Expr) -> Option<StoreTarget> {
        let Expr::Member(m) = strip(e) else {
            return None;
        };
        let prop = prop_name(&m.prop)?;
        if prop != "size" && prop != "length" {
            return None;
        }
        if let Expr::Call(c) = strip(&m.obj) {
            if self.is_global_call(c, "Object", &["keys", "values", "entries"]) {
                return c.args.first().and_then(|a| self.store_target(&a.expr));
            }
        }
        self.store_target(&m.obj)
    }

    pub(super) fn is_global_call(&self, c: &CallExpr, object: &str, methods: &[&str]) -> bool {
        let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
            return false;
        };
        matches!(strip(callee), Expr::Member(m)
            if matches!(strip(&m.obj), Expr::Ident(i) if &*i.sym == object && self.lookup(&i.sym).is_none())
            && prop_name(&m.prop).is_some_and(|p| methods.contains(&p)))
    }
}

/// A function body: a block, or the expression of a concise arrow.
pub(crate) enum BlockStmtOrExprRef<'b> {
    Block(&'b FunctionBody),
    Expr(&'b Expr),
}

/// Argument summaries are kept for the calls whose arguments rules read: Next.js APIs, `fetch`
/// and the file's own functions. For other callees (`z.object({...})`, `cn(...)`, ...) the call
/// itself is recorded, without them.
pub(super) fn records_arguments(callee: &facts::Callee) -> bool {
    match callee {
        facts::Callee::Import { module, name, path } => {
            module.starts_with("next/")
                || module == "next"
                // Self-enforcing auth calls are told apart by their options:
                // `withAuth({ ensureSignedIn: true })`, `app.getUser({ or: 'redirect' })`.
                || name == "withAuth"
                || path.last().is_some_and(|p| p == "getUser")
        }
        facts::Callee::Global { .. } | facts::Callee::LocalFunction(_) => true,
        facts::Callee::Derived { .. } => false,
        facts::Callee::Binding { path, .. } => path.last().is_some_and(|p| p == "getUser"),
    }
}

pub(super) fn catch_rethrows(handler: &CatchClause) -> bool {
    let Some(Pat::Ident(param)) = &handler.param else {
        return false;
    };
    handler.body.stmts.iter().any(|s| {
        matches!(s, Stmt::Throw(t) if matches!(strip(&t.arg), Expr::Ident(i) if i.sym == param.id.sym))
    })
}
