//! `throw-in-action`: a `throw` that escapes a Server Action. Thrown errors are redacted in
//! production and land in an error boundary; `useActionState` never sees them.

use std::collections::HashSet;

use seam_diagnostics::{Diagnostic, Severity};
use seam_graph::{ModuleGraph, ModuleId, Resolved};
use seam_syntax::{ActionKind, Callee, FnId, ImportKind, ServerAction};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "throw-in-action",
    default_severity: Severity::Warning,
    enabled_by_default: true,
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
                Diagnostic::new(RULE.name, throw.range, format!(
                    "`throw` escapes the Server Action `{}`: in production the client gets a redacted error, not this message",
                    action.name
                ))
                    .with_help(
                        "Thrown errors are redacted in production and reach an error boundary, not the form. \
                         Return `{ ok: false, error }` instead and read it with `useActionState`.",
                    )
                    .with_related(action.range, "the Server Action"),
            );
        }
    }
}

/// Whether a throw of this action can reach a form or client code, as far as the module graph
/// shows. An action that nothing imports counts (seam may be linting only part of the project);
/// one that is imported counts when some importer exposes its throws (`exposes_throws`).
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
    importers.is_empty()
        || importers
            .iter()
            .any(|&importer| exposes_throws(graph, importer, module, local))
}

/// Whether `importer`'s use of the action `local` of `module` lets its throws escape to a form
/// or the client. Handed on as a value (a form's `action`, `useActionState`, a component's
/// prop) it does. Called from client code, it does unless the call handles the rejection
/// (awaited in a `try` that does not rethrow, or `.catch`). Called from server code (a page's
/// render, a route handler, another action), the throw reaches that server caller, not a form.
/// Uses seam cannot see one by one (a namespace import, `import()`) count as exposing when the
/// importer can render a form: a client module or a component file.
fn exposes_throws(graph: &ModuleGraph, importer: ModuleId, module: ModuleId, local: &str) -> bool {
    let Some(facts) = graph.facts(importer) else {
        return graph.is_ui_module(importer);
    };
    let on_client = graph.client().contains(importer);
    let action = Resolved::Binding(module, local.to_string());
    let mut seen = false;
    for (index, import) in facts.imports.iter().enumerate() {
        // A re-export binds nothing here; the modules importing through it are importers too.
        if import.kind == ImportKind::ReExport || import.type_only {
            continue;
        }
        for name in import.names.iter().filter(|n| !n.type_only) {
            if graph
                .resolve_imported(importer, index, &name.imported)
                .as_ref()
                != Some(&action)
            {
                continue;
            }
            seen = true;
            let Some(binding) = facts.binding(&name.local) else {
                return graph.is_ui_module(importer);
            };
            let kept_on_server = if on_client {
                binding.handled_calls
            } else {
                binding.calls
            };
            if binding.calls == u16::MAX || binding.value_refs > u32::from(kept_on_server) {
                return true;
            }
        }
    }
    !seen && graph.is_ui_module(importer)
}

/// An exported action that other code in its own file calls is evidently a helper: called that
/// way, its throws reach the caller (often a next-safe-action body that maps them), not a form.
fn is_called_as_helper(ctx: &FileContext, function: FnId) -> bool {
    ctx.facts
        .calls
        .iter()
        .any(|c| c.callee == Callee::LocalFunction(function) && c.function.is_some())
}
