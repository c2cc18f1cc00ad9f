//! The `Visit` implementation: the one walk over the AST, dispatching to the recorders.

use super::functions::{catch_rethrows, records_arguments};
use super::*;

impl Visit for Extractor<'_> {
    fn visit_function(&mut self, f: &Function) {
        let params: Vec<&Pat> = f.params.iter().map(|p| &p.pat).collect();
        let body = f.body.as_ref().map(BlockStmtOrExprRef::Block);
        self.function_like(f.span, f.is_async, false, &params, body.as_ref());
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let params: Vec<&Pat> = a.params.iter().collect();
        let body = match &*a.body {
            ArrowFunctionBody::FunctionBody(b) => BlockStmtOrExprRef::Block(b),
            ArrowFunctionBody::Expr(e) => BlockStmtOrExprRef::Expr(e),
        };
        self.function_like(a.span, a.is_async, true, &params, Some(&body));
    }

    fn visit_fn_decl(&mut self, f: &FnDecl) {
        self.set_pending_name(
            range(f.function.span).start,
            f.ident.sym.clone(),
            range(f.ident.span),
        );
        f.function.visit_with(self);
    }

    fn visit_fn_expr(&mut self, f: &FnExpr) {
        if let Some(ident) = &f.ident {
            self.set_pending_name(
                range(f.function.span).start,
                ident.sym.clone(),
                range(ident.span),
            );
            // A named function expression sees its own name.
            self.push_scope();
            self.declare_here(
                &ident.sym,
                Local::plain(LocalKind::Function, Variability::Closed),
            );
            f.function.visit_with(self);
            self.pop_scope();
        } else {
            f.function.visit_with(self);
        }
    }

    fn visit_class_method(&mut self, m: &ClassMethod) {
        if let Some(name) = prop_key(&m.key) {
            self.set_pending_name(
                range(m.function.span).start,
                name.into(),
                range(m.key.span()),
            );
        }
        if !m.is_static {
            self.pending
                .entry(range(m.function.span).start)
                .or_default()
                .instance_method = true;
        }
        m.visit_children_with(self);
    }

    fn visit_class_prop(&mut self, p: &ClassProp) {
        p.decorators.visit_with(self);
        p.key.visit_with(self);
        let instance = !p.is_static;
        self.with_class_this(|this| this.in_field(instance, |this| p.value.visit_with(this)));
    }

    fn visit_private_prop(&mut self, p: &PrivateProp) {
        p.decorators.visit_with(self);
        let instance = !p.is_static;
        self.with_class_this(|this| this.in_field(instance, |this| p.value.visit_with(this)));
    }

    fn visit_static_block(&mut self, b: &StaticBlock) {
        self.with_class_this(|this| b.body.visit_with(this));
    }

    fn visit_method_prop(&mut self, m: &MethodProp) {
        if let Some(name) = prop_key(&m.key) {
            self.set_pending_name(
                range(m.function.span).start,
                name.into(),
                range(m.key.span()),
            );
        }
        m.visit_children_with(self);
    }

    fn visit_key_value_prop(&mut self, kv: &KeyValueProp) {
        if let (Some(name), Expr::Fn(_) | Expr::Arrow(_)) = (prop_key(&kv.key), strip(&kv.value)) {
            self.set_pending_name(
                range(strip(&kv.value).span()).start,
                name.into(),
                range(kv.key.span()),
            );
        }
        kv.visit_children_with(self);
    }

    fn visit_var_decl(&mut self, v: &VarDecl) {
        for d in &v.decls {
            if let (Pat::Ident(b), Some(init)) = (&d.name, &d.init) {
                if let Expr::Fn(_) | Expr::Arrow(_) = strip(init) {
                    self.set_pending_name(
                        range(strip(init).span()).start,
                        b.id.sym.clone(),
                        range(b.id.span),
                    );
                }
            }
            d.name.visit_with(self);
            if let Some(init) = &d.init {
                self.record_env_destructuring(&d.name, init);
                self.record_search_params_destructuring(&d.name, init);
                self.record_sync_request_destructuring(d, init);
                self.direct_call = direct_call_start(init);
                init.visit_with(self);
                self.direct_call = None;
            }
            let origin = d.init.as_deref().and_then(|e| self.origin_of(e));
            let variability = d
                .init
                .as_deref()
                .map_or(Variability::Unknown, |e| self.variability(e));
            let io = d.init.as_deref().is_some_and(|e| self.is_io(e));
            let input = d.init.as_deref().is_some_and(|e| self.carries_input(e));
            self.declare_var(v.kind, &d.name, variability, io, input, origin);
        }
    }

    fn visit_block_stmt(&mut self, b: &BlockStmt) {
        self.push_scope();
        self.scope_ends.push(range(b.span).end);
        self.declare_block(&b.stmts, false);
        // A block that ends in `return` or `throw` leaves the function: inside a loop of
        // this function, its code runs once (`while (poll) { if (done) { ...; return } }`).
        let saved_loop = self.loop_depth;
        if matches!(b.stmts.last(), Some(Stmt::Return(_) | Stmt::Throw(_))) {
            self.loop_depth = self.fns.last().map_or(0, |f| f.entry_loop);
        }
        self.visit_stmt_list(&b.stmts);
        self.loop_depth = saved_loop;
        self.scope_ends.pop();
        self.pop_scope();
    }

    fn visit_if_stmt(&mut self, s: &IfStmt) {
        let before = self.facts.calls.len();
        self.checking += 1;
        s.test.visit_with(self);
        self.checking -= 1;
        self.record_guard(s, before);
        self.record_window_check(
            &s.test,
            range(s.cons.span()),
            s.alt.as_ref().map(|a| range(a.span())),
            super::guards::always_exits(&s.cons),
        );
        self.visit_nested(&s.cons);
        if let Some(alt) = &s.alt {
            self.visit_nested(alt);
        }
    }

    fn visit_return_stmt(&mut self, r: &ReturnStmt) {
        let before = self.facts.calls.len();
        r.visit_children_with(self);
        if let (Some(arg), Some(function)) = (&r.arg, self.current_fn()) {
            self.record_return(function, arg, before);
        }
    }

    fn visit_cond_expr(&mut self, c: &CondExpr) {
        self.record_window_check(
            &c.test,
            range(c.cons.span()),
            Some(range(c.alt.span())),
            false,
        );
        self.checking += 1;
        c.test.visit_with(self);
        self.checking -= 1;
        c.cons.visit_with(self);
        c.alt.visit_with(self);
    }

    fn visit_tagged_tpl(&mut self, t: &TaggedTpl) {
        // sql`...` runs a query: recorded like a call of its tag.
        if let Some(callee) = self.resolve_callee(strip(&t.tag)) {
            let r = range(t.span);
            self.facts.calls.push(CallFact {
                callee,
                function: self.current_fn(),
                range: r,
                callee_range: range(t.tag.span()),
                args: ThinVec::new(),
                args_end: r.end,
                in_loop: self.loop_depth > 0,
                statement: None,
                block_path: self.block_path.clone(),
                unconditional: self.direct_call == Some(r.start),
                arg_calls: ThinVec::new(),
                scope_end: self.scope_end(),
            });
        }
        t.visit_children_with(self);
    }

    fn visit_labeled_stmt(&mut self, s: &LabeledStmt) {
        self.visit_nested(&s.body);
    }

    fn visit_switch_case(&mut self, c: &SwitchCase) {
        c.test.visit_with(self);
        self.push_scope();
        self.declare_block(&c.cons, false);
        self.visit_stmt_list(&c.cons);
        self.pop_scope();
    }

    fn visit_for_stmt(&mut self, s: &ForStmt) {
        self.push_scope();
        s.init.visit_with(self);
        self.loop_depth += 1;
        s.test.visit_with(self);
        s.update.visit_with(self);
        self.visit_nested(&s.body);
        self.loop_depth -= 1;
        self.pop_scope();
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        self.for_each_loop(&s.left, &s.right, &s.body);
    }

    fn visit_for_in_stmt(&mut self, s: &ForInStmt) {
        self.for_each_loop(&s.left, &s.right, &s.body);
    }

    fn visit_while_stmt(&mut self, s: &WhileStmt) {
        self.loop_depth += 1;
        s.test.visit_with(self);
        self.visit_nested(&s.body);
        self.loop_depth -= 1;
    }

    fn visit_do_while_stmt(&mut self, s: &DoWhileStmt) {
        self.loop_depth += 1;
        self.visit_nested(&s.body);
        s.test.visit_with(self);
        self.loop_depth -= 1;
    }

    fn visit_try_stmt(&mut self, t: &TryStmt) {
        self.record_try(t);
        let swallows = t.handler.as_ref().is_some_and(|h| !catch_rethrows(h));
        self.try_stack.push(swallows);
        // `try { user = await requireUser() } catch (e) { return { error } }`: when the catch
        // always leaves, what the try block checks still holds after the whole statement.
        let catch_leaves = t
            .handler
            .as_ref()
            .is_some_and(|h| h.body.stmts.last().is_some_and(super::guards::always_exits));
        if catch_leaves {
            let outer = self.scope_end();
            self.push_scope();
            self.scope_ends.push(outer);
            self.declare_block(&t.block.stmts, false);
            self.visit_stmt_list(&t.block.stmts);
            self.scope_ends.pop();
            self.pop_scope();
        } else {
            self.visit_block_stmt(&t.block);
        }
        self.try_stack.pop();
        if let Some(handler) = &t.handler {
            self.push_scope();
            if let Some(param) = &handler.param {
                self.declare_pat(param, LocalKind::Catch, Variability::Unknown);
            }
            self.declare_block(&handler.body.stmts, false);
            self.visit_stmt_list(&handler.body.stmts);
            self.pop_scope();
        }
        if let Some(finalizer) = &t.finalizer {
            self.visit_block_stmt(finalizer);
        }
    }

    fn visit_throw_stmt(&mut self, t: &ThrowStmt) {
        let arg = strip(&t.arg);
        let is_rethrow = matches!(arg, Expr::Ident(i) if self.lookup(&i.sym).is_some_and(|l| l.kind == LocalKind::Catch));
        let is_control_flow = is_control_flow_call(arg);
        let caught = self.try_stack.iter().any(|swallows| *swallows);
        self.facts.throws.push(ThrowFact {
            range: range(t.span),
            function: self.current_fn(),
            escapes: if caught { None } else { self.escape_owner() },
            is_rethrow,
            is_control_flow,
        });
        t.visit_children_with(self);
    }

    fn visit_expr_stmt(&mut self, s: &ExprStmt) {
        // The module's own statements are recorded by `record_module_directive_likes`; those
        // nested in its blocks and loops here.
        if let Some(function) = self.current_fn() {
            let prologue_end = self.prologue_ends.last().copied().flatten();
            self.record_directive_like(s, prologue_end, Some(function), false);
        } else {
            let start = range(s.span).start;
            if !self
                .facts
                .directive_likes
                .iter()
                .any(|d| d.range.start == start)
            {
                self.record_directive_like(s, Some(0), None, true);
            }
        }
        let mut e = strip(&s.expr);
        if let Expr::Await(a) = e {
            e = strip(&a.arg);
        }
        if let Expr::Call(c) = e {
            self.statement_call = Some((range(c.span).start, range(s.span)));
        }
        self.direct_call = direct_call_start(&s.expr);
        s.visit_children_with(self);
        self.direct_call = None;
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        let callee = match &c.callee {
            swc_ecma_ast::Callee::Expr(callee) => strip(callee),
            swc_ecma_ast::Callee::Import(_) => {
                if let Some(arg) = c.args.first() {
                    if let Some(specifier) = self.arg_fact(&arg.expr, 3).as_str() {
                        self.facts.imports.push(facts::Import {
                            specifier: specifier.into(),
                            kind: ImportKind::Dynamic,
                            type_only: false,
                            names: Vec::new(),
                            range: range(c.span),
                            specifier_range: range(arg.expr.span()),
                        });
                    }
                }
                c.visit_children_with(self);
                return;
            }
            swc_ecma_ast::Callee::Super(sup) => {
                self.context_use(ContextKind::Super, sup.span);
                c.visit_children_with(self);
                return;
            }
        };
        if let Expr::Ident(i) = callee {
            if &*i.sym == "require" && self.lookup(&i.sym).is_none() {
                if let Some(Expr::Lit(Lit::Str(s))) = c.args.first().map(|a| strip(&a.expr)) {
                    self.facts.imports.push(facts::Import {
                        specifier: s.value.to_string_lossy().as_ref().into(),
                        kind: ImportKind::Require,
                        type_only: false,
                        names: Vec::new(),
                        range: range(c.span),
                        specifier_range: range(s.span),
                    });
                }
            }
        }
        self.mark_callback_roles(callee, &c.args);
        self.count_import_call(c, callee);

        // Operations on a tracked store: `cache.set(k, v)`, `globalThis.x.push(v)`.
        if let Expr::Member(m) = callee {
            if let (Some(target), Some(method)) = (self.store_target(&m.obj), prop_name(&m.prop)) {
                let kind = if GROWING_METHODS.contains(&method) {
                    let arg = |i: usize| {
                        c.args
                            .get(i)
                            .filter(|a| a.spread.is_none())
                            .map(|a| &*a.expr)
                    };
                    match method {
                        "set" => self.write_op(arg(0), arg(1)),
                        "add" => self.write_op(arg(0), None),
                        _ => self.write_op(None, arg(0)),
                    }
                } else if SHRINKING_METHODS.contains(&method) {
                    StoreOpKind::Shrink
                } else {
                    StoreOpKind::Read
                };
                self.store_op(target, kind, c.span);
                c.args.visit_with(self);
                return;
            }
        }
        // Read-only helpers over a store: `Object.keys(cache)`, `Array.from(cache)`.
        let read_helper = self.is_global_call(c, "Object", &["keys", "values", "entries"])
            || self.is_global_call(c, "Array", &["from"])
            || self.is_global_call(c, "JSON", &["stringify"]);
        if read_helper {
            if let Some(target) = c.args.first().and_then(|a| self.store_target(&a.expr)) {
                if matches!(strip(&c.args[0].expr), Expr::Ident(_)) {
                    self.store_op(target, StoreOpKind::Read, c.span);
                    c.args[1..].visit_with(self);
                    return;
                }
            }
        }

        if self.fns.is_empty() {
            if let Expr::Fn(_) | Expr::Arrow(_) = callee {
                self.set_pending_role(callee, FnRole::StartupIife);
            }
            if let Expr::Ident(i) = callee {
                if let Some(b) = self.lookup(&i.sym).and_then(|l| l.module) {
                    let binding = &mut self.facts.bindings[b];
                    binding.top_level_calls = binding.top_level_calls.saturating_add(1);
                }
            }
        }
        if let Some(resolved) = self.resolve_callee(callee) {
            let args = if records_arguments(&resolved) {
                c.args.iter().map(|a| self.arg_fact(&a.expr, 0)).collect()
            } else {
                Vec::new()
            };
            let call_range = range(c.span);
            let statement = self
                .statement_call
                .filter(|(start, _)| *start == call_range.start)
                .map(|(_, r)| r);
            let fact = CallFact {
                callee: resolved,
                function: self.current_fn(),
                range: call_range,
                callee_range: range(callee.span()),
                args: args.into(),
                args_end: call_range.end.saturating_sub(1),
                in_loop: self.loop_depth > 0,
                statement,
                block_path: self.block_path.clone(),
                unconditional: self.direct_call == Some(call_range.start),
                arg_calls: self.calls_passed(&c.args).into(),
                scope_end: self.scope_end(),
            };
            self.facts.calls.push(fact);
        }
        c.visit_children_with(self);
    }

    fn visit_await_expr(&mut self, a: &AwaitExpr) {
        self.call_site.saw_await(a);
        a.visit_children_with(self);
    }

    fn visit_new_expr(&mut self, n: &NewExpr) {
        n.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Ident(b)) => {
                self.reassign_local(&b.id.sym, &a.right);
                if let Some(bid) = self.lookup(&b.id.sym).and_then(|l| l.module) {
                    if self.facts.bindings[bid].collection.is_some() {
                        self.store_op(StoreTarget::Binding(bid), StoreOpKind::Shrink, a.span);
                    }
                }
                a.right.visit_with(self);
                return;
            }
            // `process.env.X = value` sets a variable; it reads nothing.
            AssignTarget::Simple(SimpleAssignTarget::Member(m))
                if a.op == AssignOp::Assign && self.is_process_env(&m.obj) =>
            {
                a.right.visit_with(self);
                return;
            }
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                if let Some(StoreTarget::Global(name)) = self.global_member(m) {
                    let lazy = matches!(a.op, AssignOp::NullishAssign | AssignOp::OrAssign)
                        || matches!(strip(&a.right), Expr::Bin(b) if matches!(b.op, BinaryOp::NullishCoalescing | BinaryOp::LogicalOr));
                    let collection = collection_kind(&a.right);
                    let kind = if lazy || self.fns.is_empty() {
                        StoreOpKind::Create { collection }
                    } else {
                        StoreOpKind::Shrink
                    };
                    self.store_op(StoreTarget::Global(name), kind, a.span);
                    // `globalThis.__cache = cache` keeps a module cache across reloads; not an escape.
                    if !matches!(strip(&a.right), Expr::Ident(i) if self.store_target(&Expr::Ident(i.clone())).is_some())
                    {
                        a.right.visit_with(self);
                    }
                    return;
                }
                if let Some(target) = self.store_target(&m.obj) {
                    let kind = match &m.prop {
                        MemberProp::Ident(p) if &*p.sym == "length" => StoreOpKind::Shrink,
                        MemberProp::Computed(key) => self.write_op(Some(&key.expr), Some(&a.right)),
                        _ => StoreOpKind::Write {
                            key: Some(Variability::Closed),
                            value_fresh: false,
                            value_io: false,
                            value_input: false,
                        },
                    };
                    self.store_op(target, kind, a.span);
                    if let MemberProp::Computed(key) = &m.prop {
                        key.visit_with(self);
                    }
                    a.right.visit_with(self);
                    return;
                }
            }
            _ => {}
        }
        a.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, u: &UnaryExpr) {
        if u.op == UnaryOp::Bang {
            self.checking += 1;
            u.arg.visit_with(self);
            self.checking -= 1;
            return;
        }
        if u.op == UnaryOp::Delete {
            if let Expr::Member(m) = strip(&u.arg) {
                if let Some(target) = self.store_target(&m.obj).or_else(|| self.global_member(m)) {
                    self.store_op(target, StoreOpKind::Shrink, u.span);
                    return;
                }
            }
        }
        u.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if self.record_env_member(m) {
            if let MemberProp::Computed(key) = &m.prop {
                key.visit_with(self);
            }
            return;
        }
        self.record_search_params_member(m);
        self.record_sync_request_member(m);
        if let Some(target) = self.store_target(&m.obj).or_else(|| self.global_member(m)) {
            self.store_op(target, StoreOpKind::Read, m.span);
            if let MemberProp::Computed(key) = &m.prop {
                key.visit_with(self);
            }
            return;
        }
        m.visit_children_with(self);
    }

    fn visit_bin_expr(&mut self, b: &BinExpr) {
        use BinaryOp::*;
        if matches!(b.op, LogicalAnd | LogicalOr | NullishCoalescing) {
            self.checking += 1;
            b.visit_children_with(self);
            self.checking -= 1;
            return;
        }
        if matches!(
            b.op,
            Lt | LtEq | Gt | GtEq | EqEq | EqEqEq | NotEq | NotEqEq
        ) {
            for side in [&b.left, &b.right] {
                if let Some(target) = self.size_of_store(side) {
                    self.store_op(target, StoreOpKind::Cap, b.span);
                }
            }
        }
        b.visit_children_with(self);
    }

    fn visit_expr_or_spread(&mut self, e: &ExprOrSpread) {
        if e.spread.is_some() && matches!(strip(&e.expr), Expr::Ident(_)) {
            if let Some(target) = self.store_target(&e.expr) {
                self.store_op(target, StoreOpKind::Read, e.expr.span());
                return;
            }
        }
        e.visit_children_with(self);
    }

    fn visit_expr(&mut self, e: &Expr) {
        match e {
            Expr::This(t) => self.context_use(ContextKind::This, t.span),
            Expr::SuperProp(p) => self.context_use(ContextKind::Super, p.span),
            Expr::Ident(i) if &*i.sym == "arguments" && self.lookup(&i.sym).is_none() => {
                self.context_use(ContextKind::Arguments, i.span)
            }
            _ => {}
        }
        if let Expr::Ident(i) = e {
            if self.checking > 0 {
                if let Some(call) = self.lookup(&i.sym).and_then(|l| l.origin) {
                    self.facts.checked_calls.push(call);
                }
            }
            // One lookup serves both the reference count and the escape check.
            if let Some(b) = self.lookup(&i.sym).and_then(|l| l.module) {
                self.facts.bindings[b].value_refs += 1;
                if self.facts.bindings[b].collection.is_some() {
                    self.store_op(StoreTarget::Binding(b), StoreOpKind::Escape, i.span);
                }
            }
            return;
        }
        e.visit_children_with(self);
    }

    fn visit_prop(&mut self, p: &Prop) {
        if let Prop::Shorthand(i) = p {
            self.visit_expr(&Expr::Ident(i.clone()));
            return;
        }
        p.visit_children_with(self);
    }

    fn visit_jsx_element_name(&mut self, n: &JSXElementName) {
        match n {
            JSXElementName::Ident(i) => self.count_reference(&i.sym),
            JSXElementName::JSXMemberExpr(m) => {
                let mut obj = &m.obj;
                while let JSXObject::JSXMemberExpr(inner) = obj {
                    obj = &inner.obj;
                }
                if let JSXObject::Ident(i) = obj {
                    self.count_reference(&i.sym);
                }
            }
            JSXElementName::JSXNamespacedName(_) => {}
        }
    }

    fn visit_jsx_attr(&mut self, a: &JSXAttr) {
        let is_handler = matches!(&a.name, JSXAttrName::Ident(n) if is_hook_or_handler_name(&n.sym) && n.sym.starts_with("on"));
        if let (true, Some(JSXAttrValue::JSXExprContainer(c))) = (is_handler, &a.value) {
            if let JSXExpr::Expr(e) = &c.expr {
                self.set_pending_role(e, FnRole::ClientCallback);
            }
        }
        a.visit_children_with(self);
    }

    fn visit_export_named_specifier(&mut self, s: &ExportNamedSpecifier) {
        if let ModuleExportName::Ident(i) = &s.orig {
            if !s.is_type_only {
                self.count_reference(&i.sym);
            }
        }
    }

    // Types never run: skip them (also keeps type names out of reference counts).
    fn visit_ts_type(&mut self, _: &TsType) {}
    fn visit_ts_type_ann(&mut self, _: &TsTypeAnn) {}
    fn visit_ts_interface_decl(&mut self, _: &TsInterfaceDecl) {}
    fn visit_ts_type_alias_decl(&mut self, _: &TsTypeAliasDecl) {}
}

impl Extractor<'_> {
    /// `for (x of items)` / `for (k in items)`: iterating a tracked store only reads it.
    pub(super) fn for_each_loop(&mut self, left: &ForHead, right: &Expr, body: &Stmt) {
        self.push_scope();
        match self.store_target(right) {
            Some(target) if matches!(strip(right), Expr::Ident(_)) => {
                self.store_op(target, StoreOpKind::Read, right.span())
            }
            _ => right.visit_with(self),
        }
        self.loop_over(left, right, body);
        self.pop_scope();
    }

    /// Loop variables vary as the iterated value does: over a module constant they are closed.
    pub(super) fn loop_over(&mut self, left: &ForHead, right: &Expr, body: &Stmt) {
        if let ForHead::VarDecl(v) = left {
            let variability = self.variability(right);
            let io = self.is_io(right);
            let input = self.carries_input(right);
            for d in &v.decls {
                self.declare_var(v.kind, &d.name, variability, io, input, None);
            }
        }
        self.loop_depth += 1;
        self.visit_nested(body);
        self.loop_depth -= 1;
    }

    pub(super) fn global_member(&self, m: &MemberExpr) -> Option<StoreTarget> {
        if self.is_global_object(&m.obj) {
            prop_name(&m.prop).map(|p| StoreTarget::Global(p.to_string()))
        } else {
            None
        }
    }

    pub(super) fn mark_callback_roles(&mut self, callee: &Expr, args: &[ExprOrSpread]) {
        let name = match callee {
            Expr::Member(m) => prop_name(&m.prop),
            Expr::Ident(i) => Some(&*i.sym),
            _ => None,
        };
        let Some(name) = name else { return };
        let role = if matches!(callee, Expr::Member(_)) && ITERATION_METHODS.contains(&name) {
            FnRole::IterationCallback
        } else if is_hook_name(name) {
            FnRole::ClientCallback
        } else {
            return;
        };
        for arg in args {
            self.set_pending_role(&arg.expr, role);
        }
    }
}

impl Extractor<'_> {
    /// Counts a call of an imported binding, and whether its caller handles its rejection.
    fn count_import_call(&mut self, c: &CallExpr, callee: &Expr) {
        let binding = match callee {
            Expr::Ident(i) => self.lookup(&i.sym).and_then(|l| l.module),
            _ => None,
        }
        .filter(|&b| self.facts.bindings[b].kind == BindingKind::Import);
        let in_catching_try = self.try_stack.iter().any(|swallows| *swallows);
        let callee = binding.map(|b| &mut self.facts.bindings[b]);
        self.call_site.saw_call(c, callee, in_catching_try);
    }
}
