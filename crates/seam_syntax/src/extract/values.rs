//! Expressions: what a value is, whether it differs per call, where it comes from, and which
//! store a member chain starts from.

use super::*;

impl<'a> Extractor<'a> {
    pub(super) fn variability(&self, e: &Expr) -> Variability {
        use Variability::*;
        match strip(e) {
            Expr::Lit(Lit::Regex(_)) => Unknown,
            Expr::Lit(_) => Closed,
            Expr::Tpl(t) => t
                .exprs
                .iter()
                .fold(Closed, |v, e| v.join(self.variability(e))),
            Expr::Bin(b) => self.variability(&b.left).join(self.variability(&b.right)),
            Expr::Unary(u) => self.variability(&u.arg),
            Expr::Cond(c) => self
                .variability(&c.test)
                .join(self.variability(&c.cons))
                .join(self.variability(&c.alt)),
            Expr::Await(a) => self.variability(&a.arg),
            Expr::Ident(i) => match self.lookup(&i.sym) {
                Some(local) => match local.kind {
                    LocalKind::Import => Unknown,
                    LocalKind::Function | LocalKind::Class => Closed,
                    _ => local.variability,
                },
                None if &*i.sym == "undefined" => Closed,
                None => Unknown,
            },
            Expr::Member(m) => {
                if self.is_process_env(&m.obj) {
                    return Closed;
                }
                let obj = self.variability(&m.obj);
                let prop = match &m.prop {
                    MemberProp::Computed(c) => self.variability(&c.expr),
                    _ => Closed,
                };
                match obj.join(prop) {
                    v if v.varies_per_call() => v,
                    Closed if matches!(strip(&m.obj), Expr::Ident(_)) => {
                        self.member_of_closed(&m.obj)
                    }
                    _ => Unknown,
                }
            }
            Expr::Call(c) if self.is_fresh_value_call(c) => Fresh,
            // Keys and values of a closed object are closed.
            Expr::Call(c)
                if self.is_global_call(c, "Object", &["keys", "values", "entries"])
                    || self.is_global_call(c, "Array", &["from"]) =>
            {
                c.args
                    .iter()
                    .fold(Closed, |v, a| v.join(self.variability(&a.expr)))
            }
            Expr::Call(c) => {
                let args = c
                    .args
                    .iter()
                    .fold(Closed, |v, a| v.join(self.variability(&a.expr)));
                let callee = match &c.callee {
                    swc_ecma_ast::Callee::Expr(e) => self.variability(e),
                    _ => Unknown,
                };
                let joined = args.join(callee);
                if joined.varies_per_call() {
                    joined
                } else {
                    Unknown
                }
            }
            Expr::New(n) => {
                let args = n
                    .args
                    .iter()
                    .flatten()
                    .fold(Closed, |v, a| v.join(self.variability(&a.expr)));
                let global = |name: &str| matches!(strip(&n.callee), Expr::Ident(i) if &*i.sym == name && self.lookup(&i.sym).is_none());
                if global("Date") && n.args.as_ref().is_none_or(|a| a.is_empty()) {
                    Fresh
                } else if args.varies_per_call() || global("URL") {
                    // `new URL(path, base)` is as closed as its parts; other constructors only
                    // tell us when their arguments vary.
                    args
                } else {
                    Unknown
                }
            }
            Expr::Object(o) => o.props.iter().fold(Closed, |v, p| match p {
                PropOrSpread::Prop(p) => match &**p {
                    Prop::KeyValue(kv) => v.join(self.variability(&kv.value)),
                    Prop::Shorthand(i) => v.join(self.variability(&Expr::Ident(i.clone()))),
                    _ => v.join(Unknown),
                },
                PropOrSpread::Spread(s) => v.join(self.variability(&s.expr)),
            }),
            Expr::Array(a) => a
                .elems
                .iter()
                .flatten()
                .fold(Closed, |v, e| v.join(self.variability(&e.expr))),
            _ => Unknown,
        }
    }

    /// `CONFIG.url` where `CONFIG` is a module constant with a closed object literal.
    pub(super) fn member_of_closed(&self, obj: &Expr) -> Variability {
        match strip(obj) {
            Expr::Ident(i) => match self.lookup(&i.sym) {
                Some(l) if l.kind == LocalKind::Var && l.variability == Variability::Closed => {
                    Variability::Closed
                }
                _ => Variability::Unknown,
            },
            _ => Variability::Unknown,
        }
    }

    pub(super) fn is_process_env(&self, e: &Expr) -> bool {
        matches!(strip(e), Expr::Member(m)
            if matches!(strip(&m.obj), Expr::Ident(i) if &*i.sym == "process" && self.lookup(&i.sym).is_none())
            && matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "env"))
    }

    pub(super) fn arg_fact(&self, e: &Expr, depth: u32) -> ArgFact {
        let stripped = strip(e);
        let value = match stripped {
            Expr::Lit(Lit::Str(s)) => Value::Str(s.value.to_string_lossy().into_owned()),
            Expr::Tpl(t) if t.exprs.is_empty() => Value::Str(
                t.quasis
                    .iter()
                    .map(|q| {
                        q.cooked
                            .as_ref()
                            .map(|c| c.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    })
                    .collect(),
            ),
            Expr::Lit(Lit::Num(_)) | Expr::Bin(_) | Expr::Unary(_)
                if const_number(stripped).is_some() =>
            {
                Value::Number(const_number(stripped).unwrap_or_default())
            }
            Expr::Lit(Lit::Bool(b)) => Value::Bool(b.value),
            Expr::Lit(Lit::Null(_)) => Value::Null,
            Expr::Fn(f) => Value::Function(range(f.function.span).start as usize),
            Expr::Arrow(a) => Value::Function(range(a.span).start as usize),
            Expr::Ident(i) => match self.lookup(&i.sym) {
                Some(Local {
                    module: Some(b), ..
                }) if self.binding_fn_start.contains_key(b) => Value::LocalFunction(*b),
                _ => Value::Other,
            },
            Expr::Object(o) if depth < 3 => {
                let mut props = Vec::new();
                let mut has_spread = false;
                for p in &o.props {
                    match p {
                        PropOrSpread::Spread(_) => has_spread = true,
                        PropOrSpread::Prop(p) => match &**p {
                            Prop::KeyValue(kv) => {
                                if let Some(key) = prop_key(&kv.key) {
                                    props.push(facts::Prop {
                                        key,
                                        key_range: range(kv.key.span()),
                                        value: self.arg_fact(&kv.value, depth + 1),
                                    });
                                } else {
                                    has_spread = true; // a computed key could be anything
                                }
                            }
                            Prop::Shorthand(i) => props.push(facts::Prop {
                                key: i.sym.to_string(),
                                key_range: range(i.span),
                                value: ArgFact {
                                    range: range(i.span),
                                    value: Value::Other,
                                    variability: self.variability(&Expr::Ident(i.clone())),
                                },
                            }),
                            Prop::Method(m) => props.push(facts::Prop {
                                key: prop_key(&m.key).unwrap_or_default(),
                                key_range: range(m.key.span()),
                                value: ArgFact {
                                    range: range(m.function.span),
                                    value: Value::Function(range(m.function.span).start as usize),
                                    variability: Variability::Closed,
                                },
                            }),
                            _ => has_spread = true,
                        },
                    }
                }
                Value::Object { props, has_spread }
            }
            _ => Value::Other,
        };
        ArgFact {
            range: range(e.span()),
            value,
            variability: self.variability(e),
        }
    }

    /// The store a member chain starts from: a module collection binding or a `globalThis` property.
    pub(super) fn store_target(&self, e: &Expr) -> Option<StoreTarget> {
        match strip(e) {
            // Most modules have no collection at module scope: nothing to look up then.
            Expr::Ident(_) if !self.has_collections => None,
            Expr::Ident(i) => {
                let b = self.lookup(&i.sym)?.module?;
                self.facts.bindings[b]
                    .collection
                    .map(|_| StoreTarget::Binding(b))
            }
            Expr::Member(m) if self.is_global_object(&m.obj) => {
                prop_name(&m.prop).map(|p| StoreTarget::Global(p.to_string()))
            }
            _ => None,
        }
    }

    pub(super) fn store_op(&mut self, target: StoreTarget, kind: StoreOpKind, span: Span) {
        let function = self.current_fn();
        self.facts.store_ops.push(StoreOp {
            target,
            kind,
            range: range(span),
            function,
        });
    }

    /// How a store key varies. A bare parameter of a named type (`cache.set(locale, ...)` with
    /// `locale: Locale`) may come from a closed union declared elsewhere: Unknown, not PerCall.
    pub(super) fn key_variability(&self, key: &Expr) -> Variability {
        if let Expr::Ident(i) = strip(key) {
            if self.lookup(&i.sym).is_some_and(|l| l.named_type) {
                return Variability::Unknown;
            }
        }
        self.variability(key)
    }

    /// Whether a value comes from I/O: an `await`, a `fetch`, a promise chain on one, or a local
    /// bound to such a value.
    pub(super) fn is_io(&self, e: &Expr) -> bool {
        self.any_part(e, &|this, part| match part {
            Expr::Await(_) => Some(true),
            Expr::Call(c) => Some(match &c.callee {
                swc_ecma_ast::Callee::Expr(callee) => match strip(callee) {
                    Expr::Ident(i) => &*i.sym == "fetch" && this.lookup(&i.sym).is_none(),
                    Expr::Member(m) => this.is_io(&m.obj),
                    _ => false,
                },
                _ => false,
            }),
            Expr::Ident(i) => Some(this.lookup(&i.sym).is_some_and(|l| l.io)),
            Expr::Tpl(_) => Some(false),
            _ => None,
        })
    }

    /// Whether any part of a value satisfies `leaf`: `leaf` decides the parts it knows (Some),
    /// and the walk goes through members, templates, conditionals, operators, object and array
    /// literals for the rest; anything else is false.
    pub(super) fn any_part(&self, e: &Expr, leaf: &dyn Fn(&Self, &Expr) -> Option<bool>) -> bool {
        let e = strip(e);
        if let Some(decided) = leaf(self, e) {
            return decided;
        }
        match e {
            Expr::Member(m) => self.any_part(&m.obj, leaf),
            Expr::Tpl(t) => t.exprs.iter().any(|e| self.any_part(e, leaf)),
            Expr::Cond(c) => self.any_part(&c.cons, leaf) || self.any_part(&c.alt, leaf),
            Expr::Bin(b) => self.any_part(&b.left, leaf) || self.any_part(&b.right, leaf),
            Expr::Object(o) => o.props.iter().any(|p| match p {
                PropOrSpread::Prop(p) => match &**p {
                    Prop::KeyValue(kv) => self.any_part(&kv.value, leaf),
                    Prop::Shorthand(i) => leaf(self, &Expr::Ident(i.clone())).unwrap_or(false),
                    _ => false,
                },
                PropOrSpread::Spread(s) => self.any_part(&s.expr, leaf),
            }),
            Expr::Array(a) => a
                .elems
                .iter()
                .flatten()
                .any(|e| self.any_part(&e.expr, leaf)),
            _ => false,
        }
    }

    /// The write op for storing `value` under `key` (None: keyless growth).
    pub(super) fn write_op(&self, key: Option<&Expr>, value: Option<&Expr>) -> StoreOpKind {
        StoreOpKind::Write {
            key: key.map(|k| self.key_variability(k)),
            value_fresh: value.is_some_and(|v| self.variability(v) == Variability::Fresh),
            value_io: value.is_some_and(|v| self.is_io(v)),
            value_input: value.is_some_and(|v| self.carries_input(v)),
        }
    }

    /// `x = value` widens what a local may hold: flow-insensitively, it may now hold either.
    pub(super) fn reassign_local(&mut self, sym: &Atom, value: &Expr) {
        let (variability, io, input) = (
            self.variability(value),
            self.is_io(value),
            self.carries_input(value),
        );
        if let Some(local) = self
            .scopes
            .iter_mut()
            .rev()
            .find_map(|s| s.names.get_mut(sym))
        {
            if local.module.is_none() && local.kind == LocalKind::Var {
                local.variability = local.variability.join(variability);
                local.io |= io;
                local.input |= input;
            }
        }
    }

    /// Whether a value is the caller's data as passed: a parameter, a member of one, or a
    /// literal, template or concatenation built from those. Results of calls are computed values.
    pub(super) fn carries_input(&self, e: &Expr) -> bool {
        self.any_part(e, &|this, part| match part {
            Expr::Ident(i) => Some(this.lookup(&i.sym).is_some_and(|l| l.input)),
            _ => None,
        })
    }

    /// Calls that return a fresh value every time: ids, random numbers, timestamps.
    pub(super) fn is_fresh_value_call(&self, c: &CallExpr) -> bool {
        let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
            return false;
        };
        match self.resolve_callee(callee) {
            Some(facts::Callee::Global { name, path }) => {
                let path: Vec<&str> = path.iter().map(|p| &**p).collect();
                matches!(
                    (name.as_str(), path.as_slice()),
                    ("crypto", ["randomUUID"])
                        | ("Math", ["random"])
                        | ("Date", ["now"])
                        | ("performance", ["now"])
                )
            }
            Some(facts::Callee::Import { module, name, path }) => {
                let api = if name == "*" || name == "default" {
                    path.last().cloned().unwrap_or_else(|| module.clone())
                } else {
                    name.clone()
                };
                matches!(
                    api.as_str(),
                    "randomUUID"
                        | "randomBytes"
                        | "nanoid"
                        | "v4"
                        | "v7"
                        | "uuid"
                        | "uuidv4"
                        | "ulid"
                        | "cuid"
                        | "createId"
                ) || matches!(
                    module.as_str(),
                    "nanoid" | "uuid" | "ulid" | "@paralleldrive/cuid2" | "cuid"
                ) && name == "default"
            }
            _ => false,
        }
    }

    pub(super) fn context_use(&mut self, kind: ContextKind, span: Span) {
        let function = self.current_fn();
        if self.in_class_this(function) {
            return;
        }
        self.facts.context_uses.push(ContextUse {
            kind,
            range: range(span),
            function,
        });
    }

    /// Visits a class field's initializer; an instance field's runs on construction.
    pub(super) fn in_field(&mut self, instance: bool, visit: impl FnOnce(&mut Self)) {
        if instance {
            self.instance_fields.push(self.current_fn());
        }
        visit(self);
        if instance {
            self.instance_fields.pop();
        }
    }

    pub(super) fn with_class_this(&mut self, visit: impl FnOnce(&mut Self)) {
        self.class_this.push(self.current_fn());
        visit(self);
        self.class_this.pop();
    }

    /// Whether `function`'s `this` is a class instance's: it is (or is an arrow within) the
    /// innermost class field initializer or static block.
    fn in_class_this(&self, function: Option<FnId>) -> bool {
        let Some(&field_owner) = self.class_this.last() else {
            return false;
        };
        let mut current = function;
        loop {
            if current == field_owner {
                return true;
            }
            match current.map(|f| &self.facts.functions[f]) {
                Some(f) if f.is_arrow => current = f.parent,
                _ => return false,
            }
        }
    }

    /// Directive-like string statements at module level (checked without a traversal).
    pub(super) fn record_module_directive_likes<'s>(
        &mut self,
        stmts: impl Iterator<Item = &'s Stmt>,
    ) {
        let prologue_end = self.facts.first_statement;
        for stmt in stmts {
            if let Stmt::Expr(s) = stmt {
                self.record_directive_like(s, prologue_end, None, false);
            }
        }
    }

    /// Records `s` when it is a directive-like string statement; `prologue_end` is where its
    /// module's or function's prologue ends (None: everything is prologue).
    pub(super) fn record_directive_like(
        &mut self,
        s: &ExprStmt,
        prologue_end: Option<u32>,
        function: Option<FnId>,
        nested: bool,
    ) {
        let Some((value, string_range, parenthesized)) = directive_like(s) else {
            return;
        };
        let top_level = match function {
            None => !nested,
            Some(_) => self
                .fns
                .last()
                .is_some_and(|f| f.body_depth == self.scope_ends.len()),
        };
        let range = range(s.span);
        self.facts.directive_likes.push(DirectiveLike {
            value,
            range,
            string_range,
            in_prologue: prologue_end.is_none_or(|end| range.start < end),
            top_level,
            parenthesized,
            function,
        });
    }

    pub(super) fn count_reference(&mut self, sym: &Atom) {
        if let Some(b) = self.lookup(sym).and_then(|l| l.module) {
            self.facts.bindings[b].value_refs += 1;
        }
    }
}

/// The value of a numeric literal or of literal arithmetic (`60 * 60 * 24`, `-1`), as config
/// files and cache profiles write durations.
pub(crate) fn const_number(e: &Expr) -> Option<f64> {
    match strip(e) {
        Expr::Lit(Lit::Num(n)) => Some(n.value),
        Expr::Unary(u) if u.op == UnaryOp::Minus => const_number(&u.arg).map(|n| -n),
        Expr::Unary(u) if u.op == UnaryOp::Plus => const_number(&u.arg),
        Expr::Bin(b) => {
            let (l, r) = (const_number(&b.left)?, const_number(&b.right)?);
            match b.op {
                BinaryOp::Add => Some(l + r),
                BinaryOp::Sub => Some(l - r),
                BinaryOp::Mul => Some(l * r),
                BinaryOp::Div => Some(l / r),
                BinaryOp::Mod => Some(l % r),
                BinaryOp::Exp => Some(l.powf(r)),
                _ => None,
            }
        }
        _ => None,
    }
}
