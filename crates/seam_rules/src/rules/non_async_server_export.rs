//! `non-async-server-export`: everything a `'use server'` file exports is a Server Action, and
//! Next.js accepts only async functions there (the build fails otherwise). Actions also cannot
//! use `this`, `super` or `arguments`.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity, TextRange};
use seam_syntax::{ActionKind, ContextKind, FileFacts, FnId, ValueShape};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "non-async-server-export",
    default_severity: Severity::Error,
    fix: FixKind::Unsafe,
    needs: Needs::File,
    summary: "A 'use server' export or inline action that is not an async function, or an action using this/arguments/super.",
    doc: include_str!("../../../../rules/non-async-server-export.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

const HELP: &str = "A 'use server' file may only export async functions: Next.js turns each export into a \
                    Server Action and fails the build otherwise. Move constants, types' runtime values and \
                    helpers to another module (with `import 'server-only'`).";

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.is_use_client() {
        return;
    }
    if facts.is_use_server() {
        check_exports(facts, out);
    }
    for action in facts
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Inline)
    {
        let Some(function) = action.function else {
            continue;
        };
        if !facts.functions[function].is_async {
            out.push(sync_function(
                facts,
                action.range,
                &format!("The inline Server Action `{}` is not async", action.name),
                function,
            ));
        }
    }
    check_context_uses(facts, out);
}

fn check_exports(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    for export in facts.exports.iter().filter(|e| !e.type_only) {
        match export.local.as_deref() {
            Some(local) => {
                let Some(binding) = facts.binding(local) else {
                    continue;
                };
                let subject = if export.name == "default" {
                    format!("`{}` (the default export)", binding.name)
                } else {
                    format!("`{}`", export.name)
                };
                match (binding.shape, binding.function) {
                    (ValueShape::Function, Some(f)) if !facts.functions[f].is_async => {
                        out.push(sync_function(
                            facts,
                            binding.range,
                            &format!(
                                "{subject} is exported from a 'use server' file but is not async"
                            ),
                            f,
                        ))
                    }
                    (ValueShape::Class, _) => {
                        out.push(not_a_function(binding.range, &subject, "a class"))
                    }
                    (ValueShape::Other, _) => {
                        out.push(not_a_function(binding.range, &subject, "a value"))
                    }
                    // Async functions are fine; wrapper results, imports and bare declarations
                    // are out of sight.
                    _ => {}
                }
            }
            None if export.name == "default" => {
                let Some(default) = &facts.default_export else {
                    continue;
                };
                match (default.shape, default.function) {
                    (ValueShape::Function, Some(f)) if !facts.functions[f].is_async => {
                        out.push(sync_function(
                            facts,
                            default.range,
                            "The default export of a 'use server' file is not async",
                            f,
                        ))
                    }
                    (ValueShape::Class, _) => out.push(not_a_function(
                        default.range,
                        "The default export",
                        "a class",
                    )),
                    (ValueShape::Other, _) => out.push(not_a_function(
                        default.range,
                        "The default export",
                        "a value",
                    )),
                    _ => {}
                }
            }
            None => {}
        }
    }
}

fn sync_function(facts: &FileFacts, at: TextRange, message: &str, function: FnId) -> Diagnostic {
    let start = facts.functions[function].range.start;
    Diagnostic::new(RULE.name, at, message)
        .with_help(HELP)
        .with_fix(Fix::unsafe_(
            "Make it async (its callers then receive a promise)",
            vec![Edit::insert(start, "async ")],
        ))
}

fn not_a_function(at: TextRange, subject: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        RULE.name,
        at,
        format!(
            "{subject} is {what} exported from a 'use server' file; only async functions may be"
        ),
    )
    .with_help(HELP)
}

/// `this`, `super` and `arguments` in an action body (or in arrows inside it, which share them).
fn check_context_uses(facts: &FileFacts, out: &mut Vec<Diagnostic>) {
    let actions: Vec<(FnId, &str)> = facts
        .actions
        .iter()
        .filter(|a| !matches!(a.kind, ActionKind::Wrapped { .. }))
        .filter_map(|a| a.function.map(|f| (f, a.name.as_str())))
        .collect();
    for use_ in &facts.context_uses {
        let Some(mut function) = use_.function else {
            continue;
        };
        let owner = loop {
            if let Some((_, name)) = actions.iter().find(|(f, _)| *f == function) {
                break Some(*name);
            }
            let f = &facts.functions[function];
            match (f.is_arrow, f.parent) {
                (true, Some(parent)) => function = parent,
                _ => break None,
            }
        };
        if let Some(name) = owner {
            let what = match use_.kind {
                ContextKind::This => "`this`",
                ContextKind::Arguments => "`arguments`",
                ContextKind::Super => "`super`",
            };
            out.push(
                Diagnostic::new(RULE.name, use_.range, format!("The Server Action `{name}` uses {what}, which actions cannot use"))
                    .with_help("An action is called as a plain function over the network: pass what it needs as arguments."),
            );
        }
    }
}
