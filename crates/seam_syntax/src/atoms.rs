//! swc interns every identifier and string literal longer than 7 bytes in a per-thread store
//! (hstr) and never empties it: over a whole project that store holds every distinct name and
//! literal ever parsed, costs memory, and makes each new insertion probe an ever larger table.
//! seam's facts copy what they keep out of the AST, so once a text's AST is dropped its atoms are
//! garbage. `released_after` frees them every `GC_EVERY` bytes of parsed text per thread:
//! often enough to keep the table small, rarely enough that sweeping it costs nothing.

use std::cell::Cell;

/// Bytes of source a thread parses between two sweeps of its atom store.
const GC_EVERY: usize = 256 << 10;

thread_local! {
    static PARSED_SINCE_GC: Cell<usize> = const { Cell::new(0) };
}

/// Runs `work` (which parses `source` and drops its AST) and then, when this thread has parsed
/// enough since the last sweep, frees the atoms nothing references any more.
pub(crate) fn released_after<T>(source: &str, work: impl FnOnce() -> T) -> T {
    let out = work();
    let parsed = PARSED_SINCE_GC.get() + source.len();
    if parsed >= GC_EVERY {
        swc_atoms::hstr::global_atom_store_gc();
        PARSED_SINCE_GC.set(0);
    } else {
        PARSED_SINCE_GC.set(parsed);
    }
    out
}
