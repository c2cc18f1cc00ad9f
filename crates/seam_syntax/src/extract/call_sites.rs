//! How a module calls the functions it imports: whether each call's rejection is handled where
//! it is made. `throw-in-action` reads it from the modules that import a Server Action: a client
//! that awaits the action inside a `try`, or chains `.catch`, already shows its own error.

use super::*;

/// The call whose rejection `call` handles, when `call` is `f(x).catch(h)` or
/// `f(x).then(ok, onError)`: the start of `f(x)`.
fn rejection_handled_by(call: &CallExpr) -> Option<u32> {
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

/// Where the walk stands for the calls it meets: the call the nearest `await` waits for (a
/// rejection there throws at the `await`, where an enclosing `try` catches it), and the call a
/// `.catch`/`.then(_, onError)` handles. Both visitors (the full walk and the reference count of
/// unwalked modules) keep one and tell it what they meet.
#[derive(Default)]
pub(super) struct CallSite {
    awaited: Option<u32>,
    rejection_handled: Option<u32>,
}

impl CallSite {
    /// Call before visiting an `await`'s operand.
    pub(super) fn saw_await(&mut self, a: &AwaitExpr) {
        if let Expr::Call(c) = strip(&a.arg) {
            self.awaited = Some(range(c.span).start);
        }
    }

    /// Call before visiting a call's children; `callee` is the module binding it calls, if
    /// it is one to count, and `in_catching_try` whether a `try` of the same function whose
    /// `catch` does not rethrow encloses it.
    pub(super) fn saw_call(
        &mut self,
        c: &CallExpr,
        callee: Option<&mut ModuleBinding>,
        in_catching_try: bool,
    ) {
        if let Some(handled) = rejection_handled_by(c) {
            self.rejection_handled = Some(handled);
        }
        let Some(binding) = callee else { return };
        let start = range(c.span).start;
        let handled = self.rejection_handled == Some(start)
            || (in_catching_try && self.awaited == Some(start));
        binding.calls = binding.calls.saturating_add(1);
        if handled {
            binding.handled_calls = binding.handled_calls.saturating_add(1);
        }
    }
}
