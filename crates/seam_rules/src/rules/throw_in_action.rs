//! `throw-in-action`: a `throw` that escapes a Server Action. Thrown errors are redacted in
//! production and land in an error boundary; `useActionState` never sees them.

use std::collections::HashSet;

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::{ActionKind, Callee, FnId, ServerAction};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "throw-in-action",
    default_severity: Severity::Warning,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A `throw` escapes a Server Action; return the error so useActionState can show it.",
    doc: include_str!("../../../../rules/throw-in-action.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    let mut reported = HashSet::new();
    // Wrappers (next-safe-action, zsa, HOFs) map throws to results or are out of sight: silent.
    let actions = facts
        .actions
        .iter()
        .filter(|a| !matches!(a.kind, ActionKind::Wrapped { .. }));
    for action in actions {
        let Some(function) = action.function else {
            continue;
        };
        if is_called_as_helper(ctx, function) || !may_reach_a_form(ctx, action) {
            continue;
        }
        for throw in &facts.throws {
            if throw.escapes != Some(function) || throw.is_rethrow || throw.is_control_flow {
                continue;
            }
            if !reported.insert(throw.range.start) {
                continue;
            }
            out.push(
                Diagnostic::new(RULE.name, throw.range, format!("`throw` escapes the Server Action `{}`", action.name))
                    .with_help(
                        "Thrown errors are redacted in production and reach an error boundary, not the form. \
                         Return `{ ok: false, error }` instead and read it with `useActionState`.",
                    )
                    .with_related(action.range, "the Server Action"),
            );
        }
    }
}

/// Whether a form or client code can call this action, as far as the module graph shows: an
/// export of a `'use server'` module counts when a module in the client graph imports it, or a
/// component file (`.tsx`/`.jsx`, which can hand it to a form). One that only server code
/// imports is a helper behind a `'use server'` marker: its throws reach server callers, not
/// `useActionState`. One nothing imports, or without the graph, counts: seam may be linting
/// only part of the project.
fn may_reach_a_form(ctx: &FileContext, action: &ServerAction) -> bool {
    let (Some((graph, module)), ActionKind::Exported) = (ctx.graph, &action.kind) else {
        return true;
    };
    let local = ctx
        .facts
        .exports
        .iter()
        .find(|e| e.name == action.name)
        .and_then(|e| e.local.as_deref())
        .unwrap_or(&action.name);
    let importers = graph.importers_of(module, local);
    // Imported by nothing seam saw (it may be linting a part of the project): keep reporting.
    importers.is_empty()
        || importers
            .iter()
            .any(|&importer| graph.is_ui_module(importer))
}

/// An exported action that other code in its own file calls is evidently a helper: called that
/// way, its throws reach the caller (often a next-safe-action body that maps them), not a form.
fn is_called_as_helper(ctx: &FileContext, function: FnId) -> bool {
    ctx.facts
        .calls
        .iter()
        .any(|c| c.callee == Callee::LocalFunction(function) && c.function.is_some())
}
