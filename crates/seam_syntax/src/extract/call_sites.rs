//! How a module calls the functions it imports: whether each call's rejection is handled where
//! it is made. `throw-in-action` reads it from the modules that import a Server Action: a client
//! that awaits the action inside a `try`, or chains `.catch`, already shows its own error.

use super::*;

/// The call whose rejection `call` handles, when `call` is `f(x).catch(h)` or
/// `f(x).then(ok, onError)`: the start of `f(x)`.
pub(super) fn rejection_handled_by(call: &CallExpr) -> Option<u32> {
    let swc_ecma_ast::Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(member) = strip(callee) else {
        return None;
    };
    let handles = match prop_name(&member.prop) {
        Some("catch") => !call.args.is_empty(),
        Some("then") => call.args.len() >= 2,
        _ => false,
    };
    match strip(&member.obj) {
        Expr::Call(inner) if handles => Some(range(inner.span).start),
        _ => None,
    }
}

/// The call `await` waits for, if its operand is a call: a rejection there throws at the
/// `await`, where an enclosing `try` catches it.
pub(super) fn awaited_call(a: &AwaitExpr) -> Option<u32> {
    match strip(&a.arg) {
        Expr::Call(c) => Some(range(c.span).start),
        _ => None,
    }
}

/// Where the walk stands for the calls it meets: the `try` blocks that catch without
/// rethrowing around it in the current function, the call the nearest `await` waits for, and
/// the call a `.catch`/`.then(_, onError)` handles.
#[derive(Default)]
pub(super) struct CallSite {
    pub(super) awaited: Option<u32>,
    pub(super) rejection_handled: Option<u32>,
}

impl CallSite {
    /// Whether the rejection of the call starting at `start` is handled, with `in_catching_try`
    /// telling whether a swallowing `try` of the same function encloses it.
    pub(super) fn handled(&self, start: u32, in_catching_try: bool) -> bool {
        self.rejection_handled == Some(start) || (in_catching_try && self.awaited == Some(start))
    }
}

/// Counts one call of a binding.
pub(super) fn count_call(binding: &mut ModuleBinding, handled: bool) {
    binding.calls = binding.calls.saturating_add(1);
    if handled {
        binding.handled_calls = binding.handled_calls.saturating_add(1);
    }
}
