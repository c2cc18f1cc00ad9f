//! Facts for the framework-aware rules: `try` statements and what their `catch` lets through,
//! environment variable reads, and uses of the `searchParams` prop.

use super::*;
use crate::facts::{CatchFact, EnvRead, RequestApi, SearchParamsUse, SyncRequestRead, TryFact};

/// Calls that tell Next.js's control-flow errors apart from others (so a catch that makes them
/// lets `redirect()` and `notFound()` through).
const NEXT_ERROR_CHECKS: &[&str] = &[
    "unstable_rethrow",
    "isRedirectError",
    "isNotFoundError",
    "isNextRouterError",
    "isHTTPAccessFallbackError",
    "isDynamicServerError",
];

impl Extractor<'_> {
    pub(super) fn record_try(&mut self, t: &TryStmt) {
        let catch = t.handler.as_ref().map(|h| {
            let param = match &h.param {
                Some(Pat::Ident(b)) => Some(b.id.sym.to_string()),
                _ => None,
            };
            let body = range(h.body.span);
            CatchFact {
                range: range(h.span),
                param,
                has_param: h.param.is_some(),
                body_start: body.start + 1,
                first_statement: h.body.stmts.first().map(|s| range(s.span())),
                lets_next_errors_through: lets_next_errors_through(h),
            }
        });
        self.facts.tries.push(TryFact {
            function: self.current_fn(),
            block: range(t.block.span),
            catch,
        });
    }

    /// Records what a `typeof window` test leaves to the server: the branch taken when there is
    /// no window, or, after `if (typeof window !== 'undefined') return ...`, the rest of the block.
    pub(super) fn record_window_check(
        &mut self,
        test: &Expr,
        cons: TextRange,
        alt: Option<TextRange>,
        cons_exits: bool,
    ) {
        let Some(no_window) = window_absent_when(test) else {
            return;
        };
        let region = match (no_window, alt) {
            (true, _) => Some(cons),
            (false, Some(alt)) => Some(alt),
            (false, None) if cons_exits => Some(TextRange::new(cons.end, self.scope_end())),
            (false, None) => None,
        };
        self.facts.server_only_regions.extend(region);
    }

    /// `process.env.X` / `process.env['X']`, with `process` the Node global.
    pub(super) fn record_env_member(&mut self, m: &MemberExpr) -> bool {
        if !self.is_process_env(&m.obj) {
            return false;
        }
        if let Some(name) = prop_name(&m.prop) {
            self.facts.env_reads.push(EnvRead {
                name: name.to_string(),
                range: range(m.span),
                function: self.current_fn(),
                on_construction: self.in_instance_field(),
            });
        }
        true
    }

    /// Directly in an instance field initializer (not in a function inside it).
    fn in_instance_field(&self) -> bool {
        self.instance_fields.last() == Some(&self.current_fn())
    }

    /// `const { A, B: b } = process.env`: one read per named property.
    pub(super) fn record_env_destructuring(&mut self, pat: &Pat, init: &Expr) {
        let Pat::Object(o) = pat else {
            return;
        };
        if !self.is_process_env(init) {
            return;
        }
        for prop in &o.props {
            let (name, r) = match prop {
                ObjectPatProp::KeyValue(kv) => match prop_key(&kv.key) {
                    Some(name) => (name, range(kv.key.span())),
                    None => continue,
                },
                ObjectPatProp::Assign(a) => (a.key.sym.to_string(), range(a.key.span)),
                ObjectPatProp::Rest(_) => continue,
            };
            self.facts.env_reads.push(EnvRead {
                name,
                range: r,
                function: self.current_fn(),
                on_construction: self.in_instance_field(),
            });
        }
    }

    /// `function Page({ searchParams })`: the prop destructured in a parameter.
    pub(super) fn record_search_params_params(&mut self, function: FnId, params: &[&Pat]) {
        for param in params {
            if let Some(r) = destructured_key(param, "searchParams") {
                self.facts
                    .search_params
                    .push(SearchParamsUse { range: r, function });
            }
        }
    }

    /// `props.searchParams`, or `const { searchParams } = props`, with `props` a parameter.
    pub(super) fn record_search_params_member(&mut self, m: &MemberExpr) {
        if prop_name(&m.prop) != Some("searchParams") || !self.is_param(&m.obj) {
            return;
        }
        if let Some(function) = self.current_fn() {
            self.facts.search_params.push(SearchParamsUse {
                range: range(m.span),
                function,
            });
        }
    }

    pub(super) fn record_search_params_destructuring(&mut self, pat: &Pat, init: &Expr) {
        let init = match strip(init) {
            Expr::Await(a) => strip(&a.arg),
            e => e,
        };
        if !self.is_param(init) {
            return;
        }
        if let (Some(r), Some(function)) =
            (destructured_key(pat, "searchParams"), self.current_fn())
        {
            self.facts
                .search_params
                .push(SearchParamsUse { range: r, function });
        }
    }

    /// Marks parameter `index` of `function`: a plain name remembers which parameter it is
    /// (for `props.params`); `{ params }` / `{ searchParams }` remember the prop they hold.
    pub(super) fn mark_request_params(&mut self, function: FnId, index: u8, param: &Pat) {
        let mut pat = param;
        while let Pat::Assign(a) = pat {
            pat = &a.left;
        }
        let mut marks: Vec<(Atom, Option<RequestApi>)> = Vec::new();
        match pat {
            Pat::Ident(b) => marks.push((b.id.sym.clone(), None)),
            Pat::Object(o) => {
                for prop in &o.props {
                    let (key, binding) = match prop {
                        ObjectPatProp::Assign(a) => (Some(&*a.key.sym), Some(&a.key.sym)),
                        ObjectPatProp::KeyValue(kv) => {
                            let key = match &kv.key {
                                PropName::Ident(i) => Some(&*i.sym),
                                PropName::Str(s) => s.value.as_str(),
                                _ => None,
                            };
                            let binding = match &*kv.value {
                                Pat::Ident(b) => Some(&b.id.sym),
                                Pat::Assign(a) => match &*a.left {
                                    Pat::Ident(b) => Some(&b.id.sym),
                                    _ => None,
                                },
                                _ => None,
                            };
                            (key, binding)
                        }
                        ObjectPatProp::Rest(_) => (None, None),
                    };
                    let api = key.and_then(request_prop_api);
                    if let (Some(api), Some(binding)) = (api, binding) {
                        marks.push((binding.clone(), Some(api)));
                    }
                }
            }
            _ => {}
        }
        let Some(scope) = self.scopes.last_mut() else {
            return;
        };
        for (name, api) in marks {
            if let Some(local) = scope.names.get_mut(&name) {
                match api {
                    None => local.param_of = Some((function, index)),
                    Some(api) => local.request_prop = Some((api, function, index)),
                }
            }
        }
    }

    /// A member of a request API's promise read as if it were the value (`cookies().get`,
    /// `params.id`, `props.searchParams.q`); `then`/`catch`/`finally` use it as a promise.
    pub(super) fn record_sync_request_member(&mut self, m: &MemberExpr) {
        if matches!(prop_name(&m.prop), Some("then" | "catch" | "finally")) {
            return;
        }
        if let Some((api, promise, source)) = self.request_promise(&m.obj) {
            self.facts.sync_request_reads.push(SyncRequestRead {
                api,
                range: range(m.span),
                promise,
                function: self.current_fn(),
                source,
            });
        }
    }

    /// `const { id } = params` (no `await`): destructuring reads the promise's properties.
    pub(super) fn record_sync_request_destructuring(&mut self, d: &VarDeclarator, init: &Expr) {
        if !matches!(d.name, Pat::Object(_)) {
            return;
        }
        if let Some((api, promise, source)) = self.request_promise(init) {
            self.facts.sync_request_reads.push(SyncRequestRead {
                api,
                range: range(d.span),
                promise,
                function: self.current_fn(),
                source,
            });
        }
    }

    /// The request API promise `e` is, as written: a `next/headers` call, a `{ params }` prop,
    /// or a parameter's `.params` / `.searchParams`.
    fn request_promise(&self, e: &Expr) -> Option<RequestPromise> {
        match strip(e) {
            Expr::Call(c) => {
                let Callee::Expr(callee) = &c.callee else {
                    return None;
                };
                let Expr::Ident(i) = strip(callee) else {
                    return None;
                };
                if self.lookup(&i.sym)?.kind != LocalKind::Import {
                    return None;
                }
                let (import, name) = self.facts.import_of(&i.sym)?;
                let Imported::Named(imported) = &name.imported else {
                    return None;
                };
                let api = match (import.specifier.as_str(), imported.as_str()) {
                    ("next/headers", "cookies") => RequestApi::Cookies,
                    ("next/headers", "headers") => RequestApi::Headers,
                    ("next/headers", "draftMode") => RequestApi::DraftMode,
                    _ => return None,
                };
                c.args.is_empty().then(|| (api, range(c.span), None))
            }
            Expr::Ident(i) => {
                let (api, function, index) = self.lookup(&i.sym)?.request_prop?;
                Some((api, range(i.span), Some((function, index))))
            }
            Expr::Member(m) => {
                let api = request_prop_api(prop_name(&m.prop)?)?;
                let Expr::Ident(i) = strip(&m.obj) else {
                    return None;
                };
                let source = self.lookup(&i.sym)?.param_of?;
                Some((api, range(m.span), Some(source)))
            }
            _ => None,
        }
    }

    fn is_param(&self, e: &Expr) -> bool {
        matches!(strip(e), Expr::Ident(i) if self.lookup(&i.sym).is_some_and(|l| l.kind == LocalKind::Param))
    }
}

/// For `typeof window === 'undefined'` (true) or `typeof window !== 'undefined'` (false): the
/// value of the test that means "no window" (on the server). None for other tests. A
/// conjunction that requires "no window" (`x && typeof window === 'undefined'`) is true only
/// without a window; a disjunction that allows "window" (`typeof window !== 'undefined' || x`)
/// is false only without one.
fn window_absent_when(test: &Expr) -> Option<bool> {
    let Expr::Bin(b) = strip(test) else {
        return None;
    };
    let either = |want: bool| {
        [&b.left, &b.right]
            .iter()
            .any(|side| window_absent_when(side) == Some(want))
    };
    match b.op {
        BinaryOp::LogicalAnd => return either(true).then_some(true),
        BinaryOp::LogicalOr => return either(false).then_some(false),
        _ => {}
    }
    let equal = match b.op {
        BinaryOp::EqEq | BinaryOp::EqEqEq => true,
        BinaryOp::NotEq | BinaryOp::NotEqEq => false,
        _ => return None,
    };
    let is_typeof_window = |e: &Expr| {
        matches!(strip(e), Expr::Unary(u) if u.op == UnaryOp::TypeOf
            && matches!(strip(&u.arg), Expr::Ident(i) if &*i.sym == "window" || &*i.sym == "document"))
    };
    let is_undefined = |e: &Expr| matches!(strip(e), Expr::Lit(Lit::Str(s)) if s.value.as_str() == Some("undefined"));
    let matches = (is_typeof_window(&b.left) && is_undefined(&b.right))
        || (is_typeof_window(&b.right) && is_undefined(&b.left));
    matches.then_some(equal)
}

/// The range of `key` when `pat` is an object pattern that names it.
fn destructured_key(pat: &Pat, key: &str) -> Option<TextRange> {
    let pat = match pat {
        Pat::Assign(a) => &*a.left,
        p => p,
    };
    let Pat::Object(o) = pat else { return None };
    o.props.iter().find_map(|prop| match prop {
        ObjectPatProp::KeyValue(kv) if prop_key(&kv.key).as_deref() == Some(key) => {
            Some(range(kv.key.span()))
        }
        ObjectPatProp::Assign(a) if &*a.key.sym == key => Some(range(a.key.span)),
        _ => None,
    })
}

/// Whether a `catch` lets Next.js's control-flow errors through (see `CatchFact`).
fn lets_next_errors_through(handler: &CatchClause) -> bool {
    let param = match &handler.param {
        Some(Pat::Ident(b)) => Some(b.id.sym.clone()),
        _ => None,
    };
    // `catch { notFound() }`: the catch itself ends in Next's control flow, so what the try
    // block started (a 404, a redirect) still happens, or is replaced by the catch's own.
    let ends_in_control_flow = handler.body.stmts.iter().any(|s| match s {
        Stmt::Expr(e) => is_control_flow_call(&e.expr),
        Stmt::Return(ReturnStmt { arg: Some(a), .. }) => is_control_flow_call(a),
        Stmt::Throw(t) => is_control_flow_call(&t.arg),
        _ => false,
    });
    if ends_in_control_flow {
        return true;
    }
    let mut finder = LetsThrough {
        param,
        found: false,
    };
    handler.body.visit_with(&mut finder);
    finder.found
}

struct LetsThrough {
    param: Option<Atom>,
    found: bool,
}

impl Visit for LetsThrough {
    fn visit_call_expr(&mut self, c: &CallExpr) {
        if let swc_ecma_ast::Callee::Expr(callee) = &c.callee {
            let name = match strip(callee) {
                Expr::Ident(i) => Some(&*i.sym),
                Expr::Member(m) => prop_name(&m.prop),
                _ => None,
            };
            if name.is_some_and(|n| NEXT_ERROR_CHECKS.contains(&n)) {
                self.found = true;
                return;
            }
        }
        c.visit_children_with(self);
    }

    fn visit_throw_stmt(&mut self, t: &ThrowStmt) {
        if matches!(strip(&t.arg), Expr::Ident(i) if Some(&i.sym) == self.param.as_ref()) {
            self.found = true;
        }
        t.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, m: &MemberExpr) {
        // `error.digest?.startsWith('NEXT_REDIRECT')`: a hand-written control-flow check.
        if prop_name(&m.prop) == Some("digest") {
            self.found = true;
        }
        m.visit_children_with(self);
    }

    // A function defined in the catch does not run as part of it.
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
}

/// A request API promise: which API, where it is written, and (for props) the function and
/// parameter index it comes from.
type RequestPromise = (RequestApi, TextRange, Option<(FnId, u8)>);

fn request_prop_api(key: &str) -> Option<RequestApi> {
    match key {
        "params" => Some(RequestApi::Params),
        "searchParams" => Some(RequestApi::SearchParams),
        _ => None,
    }
}
