//! `server-env-in-client`: `process.env.X` read in a module of the client graph, where X is not
//! inlined into browser bundles (only `NEXT_PUBLIC_*`, next.config `env` keys and Next's own
//! variables are): undefined in the browser, and rendered during SSR it leaks into the HTML.
//! Also `NEXT_PUBLIC_` variables whose names say they are secret, anywhere: they are inlined
//! into every bundle.

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::next_config::Setting;
use seam_syntax::{Callee, EnvRead, FileFacts};

use crate::{is_test_or_script, no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "server-env-in-client",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A server-only environment variable read in client code, or a NEXT_PUBLIC_ variable named like a secret.",
    doc: include_str!("../../../../rules/server-env-in-client.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// Variables Next.js defines in every bundle itself.
const NEXT_DEFINED: &[&str] = &[
    "NODE_ENV",
    "NEXT_RUNTIME",
    "TURBOPACK",
    "NEXT_DEPLOYMENT_ID",
    "NEXT_MINIMAL",
    "NEXT_IMMUTABLE_ASSET_TOKEN",
];

/// Name parts that say a value must stay secret.
const SECRET_WORDS: &[&[&str]] = &[
    &["SECRET"],
    &["PRIVATE"],
    &["PASSWORD"],
    &["SERVICE", "ROLE"],
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.env_reads.is_empty() {
        return;
    }
    for read in &facts.env_reads {
        if let Some(word) = secret_public_name(&read.name) {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    read.range,
                    format!("`{}` is inlined into every browser bundle, yet its name says {word}", read.name),
                )
                .with_help("Drop the NEXT_PUBLIC_ prefix and read it only on the server (a Server Component, Server Action or route handler); rotate the value if it was deployed."),
            );
        }
    }
    if is_test_or_script(ctx.path) {
        return;
    }
    let Some(reached) = client_context(ctx) else {
        return;
    };
    let inlined_by_config: &[String] = match ctx.project.next_config.as_ref().map(|c| &c.config.env)
    {
        Some(Setting::Set(keys)) => keys,
        Some(Setting::Unreadable) => return, // any name may be inlined
        _ => &[],
    };
    for read in &facts.env_reads {
        if is_inlined(&read.name) || inlined_by_config.contains(&read.name) {
            continue;
        }
        if runs_on_server_only(facts, read) || !reached.runs(ctx, read) {
            continue;
        }
        let mut d = Diagnostic::new(
            RULE.name,
            read.range,
            format!(
                "`process.env.{}` is read in {}: it is undefined in the browser, and rendered on the server it leaks into the HTML",
                read.name, reached.describe
            ),
        )
        .with_help(
            "Only NEXT_PUBLIC_ variables (and next.config `env` keys) reach client bundles. Read it in a \
             Server Component, Server Action or route handler and pass down only what the client needs.",
        );
        if let Some((file, range, position)) = &reached.from {
            d = d.with_related_in(
                file.clone(),
                *range,
                *position,
                "imported from this 'use client' module",
            );
        }
        out.push(d);
    }
}

fn is_inlined(name: &str) -> bool {
    name.starts_with("NEXT_PUBLIC_") || name.starts_with("__NEXT_") || NEXT_DEFINED.contains(&name)
}

/// A `NEXT_PUBLIC_` name with a secret-sounding word in it (as whole `_`-separated parts).
fn secret_public_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix("NEXT_PUBLIC_")?;
    let parts: Vec<&str> = rest.split('_').collect();
    SECRET_WORDS
        .iter()
        .find(|words| parts.windows(words.len()).any(|w| w == **words))
        .map(|words| format!("it is {}", words.join("_").to_lowercase().replace('_', " ")))
}

struct ClientContext {
    describe: String,
    /// A `'use client'` module itself (all its code runs in the browser), rather than a module
    /// it imports (where only top-level code and what client modules call run there).
    use_client: bool,
    /// The import in the `'use client'` module that starts the chain to this one.
    from: Option<(
        std::path::PathBuf,
        seam_diagnostics::TextRange,
        seam_diagnostics::LineCol,
    )>,
}

/// Whether this module runs in the browser: a `'use client'` module, or one the client graph
/// reaches (only known with the module graph).
fn client_context(ctx: &FileContext) -> Option<ClientContext> {
    if ctx.facts.is_use_client() {
        return Some(ClientContext {
            describe: "a 'use client' module".into(),
            use_client: true,
            from: None,
        });
    }
    let (graph, module) = ctx.graph?;
    let chain = graph.client().why(module)?;
    let &(first, import) = chain.first()?;
    let import_range = graph.facts(first)?.imports.get(import)?.range;
    Some(ClientContext {
        describe: format!(
            "a module that client code imports ({} import hop{})",
            chain.len(),
            if chain.len() == 1 { "" } else { "s" }
        ),
        use_client: false,
        from: Some((
            graph.modules[first].path.clone(),
            import_range,
            graph.position(first, import_range.start),
        )),
    })
}

impl ClientContext {
    /// Whether the browser runs this read: everything in a `'use client'` module; in a module
    /// it imports, top-level code (it runs when the module loads) and functions a `'use client'`
    /// module imports by name. Other functions there may well be server-only.
    fn runs(&self, ctx: &FileContext, read: &EnvRead) -> bool {
        if self.use_client {
            return true;
        }
        let Some(function) = read.function else {
            // Module code runs on load; an instance field's initializer only when the class is
            // instantiated, which seam does not follow.
            return !read.on_construction;
        };
        let Some((graph, module)) = ctx.graph else {
            return false;
        };
        let owner = crate::scopes::outermost(ctx.facts, function);
        ctx.facts
            .bindings
            .iter()
            .filter(|b| b.function == Some(owner) && b.exported)
            .any(|b| {
                graph
                    .importers_of(module, &b.name)
                    .iter()
                    .any(|m| graph.facts(*m).is_some_and(|f| f.is_use_client()))
            })
    }
}

/// Reads the browser never runs: behind `typeof window === 'undefined'`, inside `createEnv()`
/// of @t3-oss/env (which reads every variable and hides server ones from the client itself), or
/// in a function with its own `'use server'`.
fn runs_on_server_only(facts: &FileFacts, read: &EnvRead) -> bool {
    let inside =
        |r: &seam_diagnostics::TextRange| r.start <= read.range.start && read.range.end <= r.end;
    facts.server_only_regions.iter().any(inside)
        || facts.calls.iter().any(|c| {
            matches!(&c.callee, Callee::Import { module, .. } if module.starts_with("@t3-oss/env"))
                && inside(&c.range)
        })
        || read.function.is_some_and(|f| {
            facts.enclosing_functions(f).any(|g| {
                facts.functions[g].has_directive(|k| *k == seam_syntax::DirectiveKind::UseServer)
            })
        })
}
