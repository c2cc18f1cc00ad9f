//! Room on the stack for deeply nested code. swc's parser, seam's traversal and the AST's drop
//! recurse once per nesting level, and a level can be a single byte (`((((x`, `!!!!x`, `x => x =>`),
//! so a text of N bytes may need N levels. Work on a text runs on the current stack when that
//! has room for its worst case, and otherwise on a stack grown for it (stacker maps it lazily:
//! only what the recursion really uses is ever touched).

/// Stack a nesting level can take at most, with margin (measured on swc_ecma_parser 47 in a
/// release build: nested parentheses, the costliest, overflow 64 MB between 20,000 and 50,000
/// levels; unoptimised builds, the tests', have frames several times larger).
const STACK_PER_BYTE: usize = if cfg!(debug_assertions) {
    32 << 10
} else {
    4 << 10
};

/// The most stack grown for one text: 2 GB holds about 600,000 levels of the costliest nesting
/// in a release build, far beyond anything but a deliberately built file; mapping more could
/// fail on a small machine.
const MAX_STACK: usize = 2 << 30;

/// Runs `work` on `source` with enough stack for any nesting `source` can hold (up to
/// `MAX_STACK`).
pub fn with_room_for<T>(source: &str, work: impl FnOnce() -> T) -> T {
    let needed = source
        .len()
        .saturating_mul(STACK_PER_BYTE)
        .saturating_add(1 << 20)
        .min(MAX_STACK);
    match stacker::remaining_stack() {
        Some(left) if left >= needed => work(),
        _ => stacker::grow(needed, work),
    }
}
