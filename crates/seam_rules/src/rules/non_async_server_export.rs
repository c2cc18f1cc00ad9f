//! `non-async-server-export`: everything a `'use server'` or `'use cache'` file exports is a
//! Server Action or a cached function, and Next.js accepts only async functions there (the build
//! fails otherwise); inline `'use server'`/`'use cache'` functions must be async too. Neither can
//! use `this`, `super` or `arguments`.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity, TextRange};
use seam_syntax::{ContextKind, DirectiveKind, FileFacts, FnId, ImportKind, ValueShape};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "non-async-server-export",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::Unsafe,
    needs: Needs::File,
    summary: "A 'use server' or 'use cache' export or inline function that is not async, or one using this/arguments/super.",
    doc: include_str!("../../../../rules/non-async-server-export.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// The directive that makes a file's exports (or a function) server functions Next compiles
/// specially, as its messages name it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Directive {
    UseServer,
    UseCache,
}

impl Directive {
    fn quoted(self) -> &'static str {
        match self {
            Directive::UseServer => "'use server'",
            Directive::UseCache => "'use cache'",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Directive::UseServer => "A 'use server' file may only export async functions: Next.js turns each export into a \
                 Server Action and fails the build otherwise. Move constants, types' runtime values and \
                 helpers to another module (with `import 'server-only'`).",
            Directive::UseCache => "A 'use cache' file may only export async functions: Next.js caches each export and \
                 fails the build otherwise. Move constants and sync helpers to another module.",
        }
    }
    fn plural(self) -> &'static str {
        match self {
            Directive::UseServer => "actions",
            Directive::UseCache => "cached functions",
        }
    }
    /// What the functions it marks are called, for messages.
    fn functions(self) -> &'static str {
        match self {
            Directive::UseServer => "Server Action",
            Directive::UseCache => "'use cache' function",
        }
    }
}

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.is_use_client() {
        return;
    }
    let file_directive = if facts.is_use_server() {
        Some(Directive::UseServer)
    } else if facts.file_cache_directive().is_some() {
        Some(Directive::UseCache)
    } else {
        None
    };
    if let Some(directive) = file_directive {
        check_exports(facts, directive, out);
    }
    for (function, directive) in inline_functions(facts) {
        if !facts.functions[function].is_async {
            let f = &facts.functions[function];
            let at = f.name_range.unwrap_or(f.range);
            let subject = match f.name.as_deref() {
                Some(name) => format!("The inline {} `{name}`", directive.functions()),
                None => format!("This inline {}", directive.functions()),
            };
            out.push(sync_function(
                facts,
                at,
                &format!("{subject} is not async"),
                function,
                directive,
            ));
        }
    }
    check_context_uses(facts, file_directive, out);
}

/// Functions with their own `'use server'` or `'use cache'` directive.
fn inline_functions(facts: &FileFacts) -> impl Iterator<Item = (FnId, Directive)> + '_ {
    facts.functions.iter().enumerate().filter_map(|(id, f)| {
        f.directives.iter().find_map(|d| match d.kind {
            DirectiveKind::UseServer => Some((id, Directive::UseServer)),
            DirectiveKind::UseCache(_) => Some((id, Directive::UseCache)),
            DirectiveKind::UseClient => None,
        })
    })
}

fn check_exports(facts: &FileFacts, directive: Directive, out: &mut Vec<Diagnostic>) {
    // Next.js 16 lets values, classes, enums and re-exports through a 'use cache' file (it
    // caches the functions; a cached page keeps its `metadata` and segment config): only sync
    // functions fail there.
    if directive == Directive::UseServer {
        check_re_exports(facts, directive, out);
    }
    let rejected = |shape: ValueShape| {
        directive == Directive::UseServer
            && matches!(
                shape,
                ValueShape::Literal | ValueShape::Other | ValueShape::Class
            )
    };
    for export in facts.exports.iter().filter(|e| !e.type_only) {
        let (shape, function, at, subject) = match export.local.as_deref() {
            Some(local) => {
                let Some(binding) = facts.binding(local) else {
                    continue;
                };
                let subject = if export.name == "default" {
                    format!("`{}` (the default export)", binding.name)
                } else {
                    format!("`{}`", export.name)
                };
                (binding.shape, binding.function, binding.range, subject)
            }
            None if export.name == "default" => {
                let Some(default) = &facts.default_export else {
                    continue;
                };
                let subject = "The default export".to_string();
                (default.shape, default.function, default.range, subject)
            }
            None => continue,
        };
        match (shape, function) {
            (ValueShape::Function, Some(f)) if !facts.functions[f].is_async => {
                out.push(sync_function(
                    facts,
                    at,
                    &if export.local.is_none() {
                        format!(
                            "The default export of a {} file is not async",
                            directive.quoted()
                        )
                    } else {
                        format!(
                            "{subject} is exported from a {} file but is not async",
                            directive.quoted()
                        )
                    },
                    f,
                    directive,
                ))
            }
            // Async functions are fine; wrapper results, imports, names and bare declarations
            // are out of sight.
            (ValueShape::Function | ValueShape::Call | ValueShape::Import, _)
            | (ValueShape::Unknown | ValueShape::None, _) => {}
            (shape, _) if rejected(shape) => {
                let what = if shape == ValueShape::Class {
                    "a class"
                } else {
                    "a value"
                };
                out.push(not_a_function(at, &subject, what, directive))
            }
            _ => {}
        }
    }
}

/// `export * from` and `export { a } from`: Next.js compiles each export of the file on its
/// own and cannot see what a re-export brings, so it rejects them (types excepted).
fn check_re_exports(facts: &FileFacts, directive: Directive, out: &mut Vec<Diagnostic>) {
    let re_exports = facts.imports.iter().filter(|i| {
        i.kind == ImportKind::ReExport
            && !i.type_only
            && (i.names.is_empty() || i.names.iter().any(|n| !n.type_only))
    });
    for import in re_exports {
        out.push(
            Diagnostic::new(
                RULE.name,
                import.range,
                format!("Re-exports are not allowed in a {} file", directive.quoted()),
            )
            .with_help(match directive {
                Directive::UseServer => "Next.js fails the build: import the actions and export async functions that call them, or import them from their own 'use server' file.",
                Directive::UseCache => "Next.js fails the build: import the functions and export async functions that call them.",
            }),
        );
    }
}

fn sync_function(
    facts: &FileFacts,
    at: TextRange,
    message: &str,
    function: FnId,
    directive: Directive,
) -> Diagnostic {
    let start = facts.functions[function].range.start;
    Diagnostic::new(RULE.name, at, message)
        .with_help(directive.help())
        .with_fix(Fix::unsafe_(
            "Make it async (its callers then receive a promise)",
            vec![Edit::insert(start, "async ")],
        ))
}

fn not_a_function(at: TextRange, subject: &str, what: &str, directive: Directive) -> Diagnostic {
    Diagnostic::new(
        RULE.name,
        at,
        format!(
            "{subject} is {what} exported from a {} file; only async functions may be",
            directive.quoted()
        ),
    )
    .with_help(directive.help())
}

/// `this`, `super` and `arguments` in the body of an action or cached function (or in arrows
/// inside it, which share them); an arrow action would capture the surrounding code's, which
/// Next.js rejects just the same.
fn check_context_uses(
    facts: &FileFacts,
    file_directive: Option<Directive>,
    out: &mut Vec<Diagnostic>,
) {
    let mut owners: Vec<(FnId, String, Directive)> = inline_functions(facts)
        .map(|(f, d)| {
            let name = facts.functions[f]
                .name
                .as_deref()
                .unwrap_or("this function");
            (f, name.to_string(), d)
        })
        .collect();
    if let Some(directive) = file_directive {
        for (name, f) in &facts.exported_functions {
            if facts.functions[*f].parent.is_none() {
                owners.push((*f, name.clone(), directive));
            }
        }
    }
    for use_ in &facts.context_uses {
        let Some(mut function) = use_.function else {
            continue;
        };
        let owner = loop {
            if let Some(owner) = owners.iter().find(|(f, _, _)| *f == function) {
                break Some(owner);
            }
            let f = &facts.functions[function];
            match (f.is_arrow, f.parent) {
                (true, Some(parent)) => function = parent,
                _ => break None,
            }
        };
        if let Some((_, name, directive)) = owner {
            let what = match use_.kind {
                ContextKind::This => "`this`",
                ContextKind::Arguments => "`arguments`",
                ContextKind::Super => "`super`",
            };
            out.push(
                Diagnostic::new(RULE.name, use_.range, format!("The {} `{name}` uses {what}, which {} cannot use", directive.functions(), directive.plural()))
                    .with_help(match directive {
                        Directive::UseServer => "An action is called as a plain function over the network: pass what it needs as arguments.",
                        Directive::UseCache => "A cached function is called with only its arguments (they are its cache key): pass what it needs as arguments.",
                    }),
            );
        }
    }
}
