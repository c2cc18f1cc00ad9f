//! `non-serializable-action-return`: a Server Action returns what React cannot send to the
//! client: a `Response`/`NextResponse`, a stream, a function, or an instance of a class of its
//! own. The call fails at run time ("Only plain objects ... can be passed to Client
//! Components"), after the action's work is done.

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::{ActionKind, BindingKind, Callee, DirectiveKind, FileFacts, ReturnedValue};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "non-serializable-action-return",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::File,
    summary: "A Server Action returns a Response, a stream, a function or a class instance React cannot serialize.",
    doc: include_str!("../../../../rules/non-serializable-action-return.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// Web platform classes whose instances React's action replies cannot carry.
const UNSERIALIZABLE_CLASSES: &[&str] = &[
    "Response",
    "NextResponse",
    "ReadableStream",
    "WritableStream",
    "TransformStream",
    "Request",
    "Headers",
    "WeakMap",
    "WeakSet",
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.actions.is_empty() || facts.is_use_client() {
        return;
    }
    for action in &facts.actions {
        let Some(function) = action.function else {
            continue;
        };
        for ret in facts.returns.iter().filter(|r| r.function == function) {
            let Some(what) = unserializable(facts, &ret.value) else {
                continue;
            };
            let kind = match action.kind {
                ActionKind::Wrapped { .. } => "The action",
                _ => "The Server Action",
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    ret.range,
                    format!("{kind} `{}` returns {what}, which React cannot send to the client", action.name),
                )
                .with_help(
                    "An action's return value is serialized to the caller: return plain data (objects, arrays, strings, numbers, Dates, Maps, Sets). A Response belongs in a route handler; redirect with redirect().",
                ),
            );
        }
    }
}

fn unserializable(facts: &FileFacts, value: &ReturnedValue) -> Option<String> {
    match value {
        ReturnedValue::New(path) => {
            let name = path.last()?.as_str();
            if path.len() == 1 && UNSERIALIZABLE_CLASSES.contains(&name) {
                return Some(format!("a `{name}`"));
            }
            // A class of this file: its instances lose their prototype (React refuses them).
            let local_class = path.len() == 1
                && facts
                    .bindings
                    .iter()
                    .any(|b| b.name == *name && b.kind == BindingKind::Class);
            local_class.then(|| format!("an instance of the class `{name}`"))
        }
        ReturnedValue::Function(f) => {
            // An inline 'use server' function is a server reference: React sends those.
            let action = facts.functions[*f].has_directive(|k| *k == DirectiveKind::UseServer);
            (!action).then(|| "a function".to_string())
        }
        ReturnedValue::Call(call) => {
            let call = facts.calls.get(*call as usize)?;
            match &call.callee {
                Callee::Import { module, name, path }
                    if module == "next/server" && name == "NextResponse" && path.len() == 1 =>
                {
                    Some(format!("a `NextResponse` (`NextResponse.{}`)", path[0]))
                }
                Callee::Global { name, path } if name == "Response" && path.len() == 1 => {
                    Some(format!("a `Response` (`Response.{}`)", path[0]))
                }
                _ => None,
            }
        }
        ReturnedValue::Other => None,
    }
}
