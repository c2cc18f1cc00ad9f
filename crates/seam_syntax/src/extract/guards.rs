//! Checks and results: which calls a variable holds the result of, which `if` tests read those
//! results and what they protect, and which calls a function returns. The module graph's
//! function summaries (auth guards, sensitive operations) are built from these.

use super::*;
use crate::facts::ReturnedValue;

/// The start of the call an expression statement or initializer consists of (maybe awaited,
/// maybe assigned).
pub(super) fn direct_call_start(e: &Expr) -> Option<u32> {
    let mut e = strip(e);
    // `user = await requireUser()` runs the call as surely as a declaration does.
    if let Expr::Assign(a) = e {
        e = strip(&a.right);
    }
    if let Expr::Await(a) = e {
        e = strip(&a.arg);
    }
    match e {
        Expr::Call(c) => Some(range(c.span).start),
        _ => None,
    }
}

/// Whether a statement always leaves the enclosing block: `return`, `throw`, a call of
/// `redirect()`/`notFound()`/`unauthorized()`/`forbidden()`, or a block ending in one.
pub(super) fn always_exits(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Return(_) | Stmt::Throw(_) => true,
        Stmt::Block(b) => b.stmts.last().is_some_and(always_exits),
        Stmt::Expr(e) => {
            let mut e = strip(&e.expr);
            if let Expr::Await(a) = e {
                e = strip(&a.arg);
            }
            matches!(e, Expr::Call(c) if matches!(&c.callee,
                swc_ecma_ast::Callee::Expr(callee) if matches!(strip(callee),
                    Expr::Ident(i) if CONTROL_FLOW_APIS.contains(&&*i.sym))))
        }
        _ => false,
    }
}

/// Collects the identifiers an expression reads (not inside nested functions or types). It
/// looks at a bounded number of expressions: it runs for every call's arguments, and nested
/// calls would otherwise make deeply nested code quadratic.
struct ReadNames {
    names: Vec<Atom>,
    budget: u32,
}

impl Default for ReadNames {
    fn default() -> Self {
        Self {
            names: Vec::new(),
            budget: 256,
        }
    }
}

impl Visit for ReadNames {
    fn visit_expr(&mut self, e: &Expr) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        e.visit_children_with(self);
    }
    fn visit_ident(&mut self, i: &Ident) {
        self.names.push(i.sym.clone());
    }
    fn visit_member_prop(&mut self, p: &MemberProp) {
        if let MemberProp::Computed(c) = p {
            c.visit_with(self);
        }
    }
    fn visit_function(&mut self, _: &Function) {}
    fn visit_arrow_expr(&mut self, _: &ArrowExpr) {}
    fn visit_ts_type(&mut self, _: &TsType) {}
}

impl Extractor<'_> {
    pub(super) fn scope_end(&self) -> u32 {
        self.scope_ends
            .last()
            .copied()
            .unwrap_or(self.source.len() as u32)
    }

    /// The call whose result an initializer holds: the call itself (through `await`, member
    /// accesses and `?.`), or the origin of a variable it reads (`session.user`).
    pub(super) fn origin_of(&self, init: &Expr) -> Option<u32> {
        let mut e = strip(init);
        loop {
            e = match e {
                Expr::Await(a) => strip(&a.arg),
                Expr::Member(m) => strip(&m.obj),
                Expr::OptChain(o) => match &*o.base {
                    OptChainBase::Member(m) => strip(&m.obj),
                    OptChainBase::Call(c) => strip(&c.callee),
                },
                Expr::Call(c) => {
                    let start = range(c.span).start;
                    let recorded =
                        self.facts.calls.iter().rposition(|f| {
                            f.range.start == start && f.range.end == range(c.span).end
                        });
                    match (recorded, &c.callee) {
                        (Some(i), _) => return Some(i as u32),
                        // A method of a call's result (`cookies().get('x')`, `(await auth()).user`):
                        // the result comes from that inner call.
                        (None, swc_ecma_ast::Callee::Expr(callee)) => strip(callee),
                        (None, _) => return None,
                    }
                }
                Expr::Ident(i) => return self.lookup(&i.sym).and_then(|l| l.origin),
                _ => return None,
            };
        }
    }

    /// The calls an expression reads the results of: calls made inside it (recorded from
    /// `first_call` on) and variables bound to earlier calls.
    fn calls_read_by(&self, e: &Expr, first_call: usize) -> Vec<u32> {
        let mut names = ReadNames::default();
        e.visit_with(&mut names);
        let mut calls: Vec<u32> = (first_call..self.facts.calls.len())
            .map(|i| i as u32)
            .collect();
        calls.extend(
            names
                .names
                .iter()
                .filter_map(|n| self.lookup(n).and_then(|l| l.origin)),
        );
        calls.sort_unstable();
        calls.dedup();
        calls
    }

    /// Earlier calls whose results arguments carry, directly or inside objects and expressions
    /// (`findUnique({ where: { id: session?.user?.id } })`).
    pub(super) fn calls_passed(&self, args: &[ExprOrSpread]) -> Vec<u32> {
        let mut names = ReadNames::default();
        args.iter().for_each(|a| a.expr.visit_with(&mut names));
        let mut calls: Vec<u32> = names
            .names
            .iter()
            .filter_map(|n| self.lookup(n).and_then(|l| l.origin))
            .collect();
        calls.sort_unstable();
        calls.dedup();
        calls
    }

    /// An `if` whose test reads call results guards what follows it (when its consequent
    /// always leaves) or its consequent (otherwise).
    pub(super) fn record_guard(&mut self, s: &IfStmt, first_call: usize) {
        let calls = self.calls_read_by(&s.test, first_call);
        if calls.is_empty() {
            return;
        }
        let exits = always_exits(&s.cons);
        let whole = range(s.span);
        let region = if exits {
            TextRange::new(whole.end, self.scope_end())
        } else {
            range(s.cons.span())
        };
        self.facts.guards.push(GuardFact {
            function: self.current_fn(),
            range: whole,
            region,
            calls,
            exits,
        });
    }

    pub(super) fn record_return(&mut self, function: FnId, value: &Expr, first_call: usize) {
        let calls = self.calls_read_by(value, first_call);
        let shape = self.returned_value(value);
        if !calls.is_empty() || shape != ReturnedValue::Other {
            self.facts.returns.push(ReturnFact {
                function,
                calls,
                value: shape,
                range: range(value.span()),
            });
        }
    }

    fn returned_value(&self, value: &Expr) -> ReturnedValue {
        let mut e = strip(value);
        while let Expr::Await(a) = e {
            e = strip(&a.arg);
        }
        match e {
            Expr::New(n) => {
                let mut path = Vec::new();
                let mut callee = strip(&n.callee);
                while let Expr::Member(m) = callee {
                    match &m.prop {
                        MemberProp::Ident(i) => path.push(i.sym.clone()),
                        _ => return ReturnedValue::Other,
                    }
                    callee = strip(&m.obj);
                }
                let Expr::Ident(root) = callee else {
                    return ReturnedValue::Other;
                };
                path.push(root.sym.clone());
                path.reverse();
                ReturnedValue::New(path)
            }
            Expr::Arrow(_) | Expr::Fn(_) => self
                .fn_by_start
                .get(&range(e.span()).start)
                .or_else(|| match e {
                    Expr::Fn(f) => self.fn_by_start.get(&range(f.function.span).start),
                    _ => None,
                })
                .map_or(ReturnedValue::Other, |f| ReturnedValue::Function(*f)),
            Expr::Call(c) => {
                let (start, end) = (range(c.span).start, range(c.span).end);
                self.facts
                    .calls
                    .iter()
                    .rposition(|f| f.range.start == start && f.range.end == end)
                    .map_or(ReturnedValue::Other, |i| ReturnedValue::Call(i as u32))
            }
            _ => ReturnedValue::Other,
        }
    }
}
