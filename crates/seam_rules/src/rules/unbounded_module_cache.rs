//! `unbounded-module-cache`: a module-scope collection on the server that every call adds to
//! and nothing ever removes from. It lives as long as the server process.

use std::collections::HashSet;
use std::path::Path;

use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_syntax::{
    Callee, CollectionKind, FileFacts, FnId, FnRole, StoreOp, StoreOpKind, StoreTarget, Variability,
};

use crate::scopes::{is_exported, is_framework_entry, outermost};
use crate::{is_test_or_script, no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "unbounded-module-cache",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::File,
    summary: "A module-scope Map, Set, array, object or globalThis store that grows per request and never shrinks.",
    doc: include_str!("../../../../rules/unbounded-module-cache.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.is_use_client() || is_test_or_script(ctx.path) {
        return;
    }
    for (id, binding) in facts.bindings.iter().enumerate() {
        let Some(kind) = binding.collection else {
            continue;
        };
        if binding.exported || binding.closed_key_type {
            continue; // other modules may evict from it; or its keys come from a declared closed domain
        }
        let target = StoreTarget::Binding(id);
        if let Some(write) = unbounded_write(facts, ctx.path, &target) {
            out.push(report(
                binding.range,
                &format!("Module-scope {} `{}`", kind.describe(), binding.name),
                kind,
                write,
            ));
        }
    }
    let mut seen = Vec::new();
    for op in &facts.store_ops {
        let StoreTarget::Global(name) = &op.target else {
            continue;
        };
        let StoreOpKind::Create {
            collection: Some(kind),
        } = op.kind
        else {
            continue;
        };
        if seen.contains(name) {
            continue;
        }
        seen.push(name.clone());
        if let Some(write) = unbounded_write(facts, ctx.path, &op.target) {
            out.push(report(
                op.range,
                &format!("The globalThis {} `{}`", kind.describe(), name),
                kind,
                write,
            ));
        }
    }
}

fn report(at: TextRange, subject: &str, kind: CollectionKind, write: TextRange) -> Diagnostic {
    let message = match kind {
        CollectionKind::Array => {
            format!("{subject} grows on every call and nothing ever shrinks it")
        }
        _ => format!("{subject} gains an entry for every new key and nothing ever removes one"),
    };
    Diagnostic::new(RULE.name, at, message)
        .with_help(
            "It lives as long as the server process and grows until memory runs out. Bound it: \
             lru-cache with `max`/`ttl`, delete entries when they expire, or use the Data Cache \
             (`'use cache'` with `cacheLife`) or an external store. If the keys come from a small \
             fixed set, type them (`Map<Locale, T>`) and seam stays quiet.",
        )
        .with_related(write, "entries are added here")
}

/// The first per-call write of an unbounded store, or None when the store is bounded, closed,
/// only filled at start-up or in client code, or used in ways seam cannot follow.
fn unbounded_write(facts: &FileFacts, path: &Path, target: &StoreTarget) -> Option<TextRange> {
    let ops: Vec<&StoreOp> = facts
        .store_ops
        .iter()
        .filter(|op| &op.target == target)
        .collect();
    if ops
        .iter()
        .any(|op| matches!(op.kind, StoreOpKind::Shrink | StoreOpKind::Escape))
    {
        return None;
    }
    let writes: Vec<&&StoreOp> = ops
        .iter()
        .filter(|op| matches!(op.kind, StoreOpKind::Write { .. }))
        .filter(|op| op.function.is_some_and(|f| runs_per_request(facts, f)))
        .collect();
    // A size check only caps the store when it guards a write, i.e. sits in a writing function.
    let writer = |f: Option<FnId>| f.map(|f| facts.owner_through_callbacks(f));
    let capped = ops.iter().any(|cap| {
        cap.kind == StoreOpKind::Cap
            && writes
                .iter()
                .any(|w| writer(w.function) == writer(cap.function))
    });
    if capped {
        return None;
    }
    let entries = RequestEntries::new(facts, path);
    writes
        .iter()
        .find(|op| grows_without_bound(op, &entries))
        .map(|op| op.range)
}

/// Whether one write adds entries without bound. Keyless growth (`push`) and fresh keys (ids,
/// timestamps) always do. A key taken from the caller does when the entry is clearly per-request
/// data: it carries a timestamp (a TTL checked on read, never evicted), it holds the result of
/// I/O, it stores the caller's data as passed (a record store: sessions, states, invites), or
/// the write runs while serving a request. A memo of a value computed from a helper's argument
/// (`parse(version)`) is bounded by inputs seam cannot see, so it stays silent.
fn grows_without_bound(op: &StoreOp, entries: &RequestEntries) -> bool {
    match op.kind {
        StoreOpKind::Write { key: None, .. }
        | StoreOpKind::Write {
            key: Some(Variability::Fresh),
            ..
        } => true,
        StoreOpKind::Write {
            key: Some(Variability::PerCall),
            value_fresh,
            value_io,
            value_input,
        } => {
            value_fresh
                || value_io
                || value_input
                || op.function.is_some_and(|f| entries.serves_requests(f))
        }
        _ => false,
    }
}

/// Functions that serve requests: Server Actions, route handlers, pages and layouts, middleware,
/// and the file's non-exported helpers that only they call.
struct RequestEntries<'a> {
    facts: &'a FileFacts,
    serving: HashSet<FnId>,
}

impl<'a> RequestEntries<'a> {
    fn new(facts: &'a FileFacts, path: &Path) -> Self {
        let mut serving: HashSet<FnId> = facts.actions.iter().filter_map(|a| a.function).collect();
        for (name, function) in &facts.exported_functions {
            if is_framework_entry(path, name) {
                serving.insert(*function);
            }
        }
        // Helpers called only from serving functions serve requests too (to a fixed point).
        loop {
            let before = serving.len();
            for (id, _) in facts.functions.iter().enumerate() {
                if serving.contains(&id) || is_exported(facts, id) {
                    continue;
                }
                let mut callers = facts
                    .calls
                    .iter()
                    .filter(|c| c.callee == Callee::LocalFunction(id))
                    .peekable();
                if callers.peek().is_some()
                    && callers.all(|c| {
                        c.function
                            .is_some_and(|f| serving.contains(&outermost(facts, f)))
                    })
                {
                    serving.insert(id);
                }
            }
            if serving.len() == before {
                break;
            }
        }
        Self { facts, serving }
    }

    fn serves_requests(&self, function: FnId) -> bool {
        self.facts
            .enclosing_functions(function)
            .any(|f| self.serving.contains(&f))
    }
}

/// False for code that runs once at start-up (module-level IIFEs, functions only called from
/// module top level) and for client-side code (event handlers, hooks).
fn runs_per_request(facts: &FileFacts, function: FnId) -> bool {
    let mut root = function;
    loop {
        let f = &facts.functions[root];
        if f.client_context || f.role == FnRole::StartupIife {
            return false;
        }
        // `for (...) items.forEach((x) => set.add(x))` at module top level runs once, at start-up.
        if f.role == FnRole::IterationCallback && f.parent.is_none() {
            return false;
        }
        match f.parent {
            Some(parent) => root = parent,
            None => break,
        }
    }
    let startup_only = facts.bindings.iter().any(|b| {
        b.function == Some(root)
            && !b.exported
            && b.top_level_calls > 0
            && b.value_refs == u32::from(b.top_level_calls)
    });
    !startup_only
}
