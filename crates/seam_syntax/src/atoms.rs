//! swc interns every identifier and string literal longer than 7 bytes in a per-thread store
//! (hstr) and never empties it: over a whole project that store holds every distinct name and
//! literal ever parsed, costs memory, and makes each new insertion probe an ever larger table.
//! Once a text's AST is dropped its atoms are garbage, except the names its facts keep.
//! `released_after` frees the garbage every `GC_EVERY` bytes of parsed text per thread.

use std::cell::Cell;

/// Bytes of source a thread parses between two sweeps of its atom store. A sweep visits every
/// atom in the store, the ones facts keep included, so sweeps are spaced out: on 27,000 files,
/// 25 sweeps every 4 MB cost 40-70 ms of CPU in all, 408 sweeps every 256 KB cost 250-300 ms,
/// and peak memory was the same.
const GC_EVERY: usize = 4 << 20;

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
