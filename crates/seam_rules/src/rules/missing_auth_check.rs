//! `missing-auth-check`: a Server Action reaches a sensitive operation (database, payments,
//! email, file writes, revalidation, non-GET fetch) before anything verifies the caller. Every
//! action is a public POST endpoint. Reads function summaries from the module graph, so guards
//! in helpers, other files, workspace packages and next-safe-action clients count.

use std::path::{Component, Path};

use seam_diagnostics::{Diagnostic, Severity};
use seam_graph::{ModuleGraph, ModuleId};

use crate::auth::AuthIndex;
use seam_syntax::{ActionKind, FileFacts, ServerAction};

use crate::settings::string_list;
use crate::{is_test_or_script, no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "missing-auth-check",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A Server Action reaches the database (or payments, email, file writes, revalidation) without verifying the caller first.",
    doc: include_str!("../../../../rules/missing-auth-check.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// Action names that are public by design (sign-in flows, newsletters, contact forms), matched
/// as camelCase words: `login` matches `loginAction` and `handleLogin`.
pub(crate) const DEFAULT_PUBLIC_ACTIONS: &[&str] = &[
    "login",
    "logout",
    "signIn",
    "signUp",
    "signOut",
    "register",
    "forgotPassword",
    "resetPassword",
    "passwordReset",
    "otp",
    "verify*",
    "subscribe",
    "newsletter",
    "contact",
    "submitFeedback",
    "sendFeedback",
    "cart",
];

/// Route folders whose actions are sign-in flows.
const PUBLIC_ROUTE_FOLDERS: &[&str] = &[
    "(auth)",
    "auth",
    "login",
    "sign-in",
    "signin",
    "sign-up",
    "signup",
    "register",
    "forgot-password",
    "reset-password",
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some((graph, module)) = ctx.graph else {
        return;
    };
    let facts = ctx.facts;
    if facts.actions.is_empty() || is_test_or_script(ctx.path) || in_public_route(ctx.path) {
        return;
    }
    let auth = crate::auth::of(graph);
    let project = project_root(ctx);
    let configured = string_list(ctx.settings, &["auth", "functions"]).unwrap_or_default();
    if !auth.has_auth_system(&project) && !ctx.project.auth_dependency && configured.is_empty() {
        return;
    }
    let public = string_list(ctx.settings, &["auth", "publicActions"]).unwrap_or_else(|| {
        DEFAULT_PUBLIC_ACTIONS
            .iter()
            .map(|s| s.to_string())
            .collect()
    });
    let mut wrappers = string_list(ctx.settings, &["auth", "wrappers"]).unwrap_or_default();
    wrappers.extend(configured.iter().cloned());
    let explain = std::env::var_os("SEAM_EXPLAIN_AUTH").is_some();
    for action in &facts.actions {
        if matches_public(&action.name, &public) || has_public_tag(ctx, action) {
            if explain {
                eprintln!(
                    "{}: {}: public by name or @public",
                    ctx.path.display(),
                    action.name
                );
            }
            continue;
        }
        let found = check_action(ctx, graph, module, &auth, action, &wrappers, &configured);
        if explain && found.is_none() {
            eprintln!(
                "{}: {}: {}",
                ctx.path.display(),
                action.name,
                explain_silence(ctx, module, &auth, action, &wrappers)
            );
        }
        out.extend(found);
    }
}

/// The folder whose modules decide project facts (is there an auth system, does middleware
/// check auth): the file's project, or for a file in no project, its whole analysis root (the
/// graph holds nothing else).
fn project_root(ctx: &FileContext) -> std::path::PathBuf {
    match (&ctx.project.manifest, ctx.project_root()) {
        (Some(_), Some(root)) => root,
        _ => std::path::PathBuf::from("/"),
    }
}

fn check_action(
    ctx: &FileContext,
    graph: &ModuleGraph,
    module: ModuleId,
    auth: &AuthIndex,
    action: &ServerAction,
    wrappers: &[String],
    configured: &[String],
) -> Option<Diagnostic> {
    let function = action.function?;
    if let ActionKind::Wrapped { .. } = action.kind {
        let chain = ctx.facts.binding(&action.name)?.init.as_ref()?;
        match auth.chain_authenticates(module, chain, Some(function), wrappers) {
            Some(false) => {}
            // The chain checks the caller, or seam cannot see all of it.
            _ => return None,
        }
    }
    let summary = auth.summary(module, function);
    let operation = summary.sensitive?;
    if summary.public_flow
        || summary.unknown_auth
        || calls_configured(ctx.facts, function, configured)
    {
        return None;
    }
    let through = if operation.via.is_empty() {
        String::new()
    } else {
        format!(" through `{}`", operation.via.join("` → `"))
    };
    let mut message = match caller_supplied(ctx, graph, module, action) {
        Some(param) => format!(
            "`{}` takes `{param}` from whoever calls it and reaches {}{through} without verifying the caller",
            action.name, operation.what
        ),
        None => format!(
            "`{}` reaches {}{through} without verifying the caller",
            action.name, operation.what
        ),
    };
    if summary.unchecked_identity {
        message.push_str(" (it reads the session but never stops when it is missing)");
    } else if auth.middleware_auth(&project_root(ctx)) {
        message.push_str(" (auth in middleware does not protect Server Actions)");
    }
    let mut help = String::from(
        "Every Server Action is a public POST endpoint. Check the session first and stop \
         otherwise: `const session = await auth(); if (!session) return { error: 'Unauthorized' }`, \
         or call a guard such as `requireUser()`. Mark intentionally public actions with \
         `/** @public */` or settings.auth.publicActions.",
    );
    if auth.middleware_auth(&project_root(ctx)) {
        help.push_str(
            " Auth in middleware.ts/proxy.ts does not protect actions: each action is its own \
             endpoint, and middleware can be bypassed (CVE-2025-29927).",
        );
    }
    let mut d = Diagnostic::new(RULE.name, action.range, message).with_help(help);
    if operation.module == module {
        // The graph's offsets are from the text as read; after a fix pass they may have moved.
        if ctx.text(operation.range).len() == operation.range.len() as usize {
            d = d.with_related(operation.range, "the sensitive operation");
        }
    } else {
        d = d.with_related_in(
            graph.modules[operation.module].path.clone(),
            operation.range,
            graph.position(operation.module, operation.range.start),
            "the sensitive operation",
        );
    }
    Some(d)
}

/// Why an action gets no finding (`SEAM_EXPLAIN_AUTH=1`, for checking the rule on real code).
fn explain_silence(
    ctx: &FileContext,
    module: ModuleId,
    auth: &AuthIndex,
    action: &ServerAction,
    wrappers: &[String],
) -> String {
    let Some(function) = action.function else {
        return "no function seam can see".into();
    };
    if let ActionKind::Wrapped { callee } = &action.kind {
        let chain = ctx
            .facts
            .binding(&action.name)
            .and_then(|b| b.init.as_ref());
        match chain.map(|c| auth.chain_authenticates(module, c, Some(function), wrappers)) {
            None => return format!("wrapper `{callee}`: no chain"),
            Some(Some(true)) => return format!("wrapper `{callee}` authenticates"),
            Some(None) => {
                let root = chain.map(|c| c.root.as_str()).unwrap_or_default();
                let graph = ctx.graph.map(|(g, _)| g);
                let resolved = graph.and_then(|g| g.resolve_local(module, root));
                return format!("wrapper `{callee}`: cannot tell ({root} -> {resolved:?})");
            }
            Some(Some(false)) => {}
        }
    }
    let s = auth.summary(module, function);
    match s.sensitive {
        None => "no unchecked sensitive operation".into(),
        Some(op) if s.public_flow => format!("public flow (reaches {})", op.what),
        Some(op) if s.unknown_auth => format!("unknown auth-like call (reaches {})", op.what),
        Some(op) => format!("configured auth function (reaches {})", op.what),
    }
}

/// For an export of a `'use server'` file that other server code calls as a helper (in its
/// own file, or imported by modules that are not client or component code): its first
/// parameter, which any client can now supply. Such helpers are the second endpoint behind
/// an action that did check.
fn caller_supplied(
    ctx: &FileContext,
    graph: &ModuleGraph,
    module: ModuleId,
    action: &ServerAction,
) -> Option<String> {
    if action.kind != ActionKind::Exported {
        return None;
    }
    let function = action.function?;
    let param = ctx
        .facts
        .functions
        .get(function)?
        .param_names
        .first()?
        .to_string();
    let called_here =
        ctx.facts.calls.iter().any(|c| {
            c.callee == seam_syntax::Callee::LocalFunction(function) && c.function.is_some()
        });
    let server_importer = graph
        .importers_of(module, &action.name)
        .iter()
        .any(|&m| !graph.is_ui_module(m));
    (called_here || server_importer).then_some(param)
}

/// `settings.auth.functions`: functions seam cannot see into that verify the caller.
fn calls_configured(facts: &FileFacts, function: usize, configured: &[String]) -> bool {
    if configured.is_empty() {
        return false;
    }
    facts.calls.iter().any(|c| {
        c.function
            .is_some_and(|f| f == function || facts.functions[f].parent == Some(function))
            && match &c.callee {
                seam_syntax::Callee::Import { name, path, .. } => {
                    let full = std::iter::once(name.as_str())
                        .chain(path.iter().map(seam_syntax::Name::as_str))
                        .collect::<Vec<_>>()
                        .join(".");
                    configured.iter().any(|n| *n == full || name == n)
                }
                seam_syntax::Callee::LocalFunction(f) => facts.functions[*f]
                    .name
                    .as_ref()
                    .is_some_and(|n| configured.iter().any(|c| n == c)),
                _ => false,
            }
    })
}

pub(crate) fn in_public_route(path: &Path) -> bool {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    parts
        .iter()
        .take(parts.len().saturating_sub(1))
        .any(|p| PUBLIC_ROUTE_FOLDERS.contains(&p.to_ascii_lowercase().as_str()))
}

/// camelCase words of a name, lowercased: `handleSignIn` -> [handle, sign, in].
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if (c.is_ascii_uppercase() || c == '_' || c == '-') && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if c != '_' && c != '-' {
            current.push(c.to_ascii_lowercase());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether an action's name matches one of the public patterns, as a run of camelCase words
/// (`verify*` matches any name with a word starting `verify`).
pub(crate) fn matches_public(name: &str, patterns: &[String]) -> bool {
    let name_words = words(name);
    patterns.iter().any(|pattern| {
        let (pattern, prefix) = match pattern.strip_suffix('*') {
            Some(p) => (p, true),
            None => (pattern.as_str(), false),
        };
        let wanted = words(pattern);
        if wanted.is_empty() {
            return false;
        }
        name_words.windows(wanted.len()).any(|w| {
            w.iter().zip(&wanted).enumerate().all(|(i, (have, want))| {
                have == want || (prefix && i + 1 == wanted.len() && have.starts_with(want.as_str()))
            })
        })
    })
}

/// A `/** @public */` JSDoc comment right before the action's declaration.
pub(crate) fn has_public_tag(ctx: &FileContext, action: &ServerAction) -> bool {
    ctx.facts.comments.iter().any(|c| {
        c.range.end <= action.range.start
            && c.text.contains("@public")
            && ctx
                .source
                .get(c.range.end as usize..action.range.start as usize)
                .is_some_and(|between| {
                    between.split_whitespace().all(|w| {
                        matches!(
                            w,
                            "export" | "async" | "function" | "const" | "let" | "default" | "var"
                        )
                    })
                })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_names_match_as_camel_case_words() {
        let public: Vec<String> = DEFAULT_PUBLIC_ACTIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for name in [
            "login",
            "loginAction",
            "handleSignIn",
            "signUpWithEmail",
            "verifyEmail",
            "subscribeToNewsletter",
            "submitContactForm",
        ] {
            assert!(matches_public(name, &public), "{name}");
        }
        for name in [
            "deletePost",
            "unsubscribeUser",
            "signature",
            "registry",
            "updateContacts",
        ] {
            assert!(!matches_public(name, &public), "{name}");
        }
    }

    #[test]
    fn public_route_folders() {
        assert!(in_public_route(Path::new("app/(auth)/login/actions.ts")));
        assert!(in_public_route(Path::new("src/app/sign-in/actions.ts")));
        assert!(!in_public_route(Path::new("app/dashboard/actions.ts")));
        assert!(!in_public_route(Path::new("app/login.ts")));
    }
}
