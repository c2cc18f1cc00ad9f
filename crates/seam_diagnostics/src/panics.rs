//! Panics seam catches (a rule or the parser failing on one file) become a note or a finding on
//! that file, and the run goes on. Those must not also print Rust's panic message and backtrace
//! on stderr: the hook stays quiet inside `catch`, and `catch` returns what the panic said.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the hook (once per process): inside `catch` it records the panic's message and
/// place; elsewhere it is Rust's default hook, so an uncaught panic still says what happened.
pub fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let text = info.to_string().replace('\n', " ");
                LAST.with(|last| *last.borrow_mut() = Some(text));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `work`; a panic becomes `Err` with what it said ("panicked at file:line:col: message").
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let outer = CATCHING.with(|c| c.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(outer));
    outcome.map_err(|payload| {
        LAST.with(|last| last.borrow_mut().take())
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panicked".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caught_panics_say_what_and_where() {
        install_hook();
        let caught = catch(|| -> u8 { panic!("boom {}", 7) }).unwrap_err();
        assert!(caught.contains("boom 7"), "{caught}");
        assert!(caught.contains("panics.rs"), "{caught}");
        assert_eq!(catch(|| 5), Ok(5));
    }
}
