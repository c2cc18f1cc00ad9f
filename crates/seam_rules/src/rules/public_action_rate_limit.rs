//! `public-action-rate-limit` (info): a Server Action that is public on purpose (sign-up, sign-in,
//! password reset, contact and newsletter forms, `@public`) and spends money per call (sends
//! email or SMS, calls an LLM or another paid API) with no rate limit on the way. Anyone can
//! POST to it in a loop.

use std::collections::HashSet;

use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_graph::{package_name, ModuleGraph, ModuleId, Resolved};
use seam_syntax::{CallFact, Callee, FileFacts, FnId, Name};

use super::missing_auth_check::{
    has_public_tag, in_public_route, matches_public, DEFAULT_PUBLIC_ACTIONS,
};
use crate::packages::{table, Role};
use crate::settings::string_list;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "public-action-rate-limit",
    default_severity: Severity::Info,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A public-on-purpose Server Action that sends email/SMS or calls a paid API (an LLM) with no rate limit.",
    doc: include_str!("../../../../rules/public-action-rate-limit.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// How deep into project helpers the search goes (`signUp` → `sendWelcome` → `resend`).
const MAX_DEPTH: u32 = 3;

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some((graph, module)) = ctx.graph else {
        return;
    };
    let facts = ctx.facts;
    if facts.actions.is_empty() {
        return;
    }
    let public = string_list(ctx.settings, &["auth", "publicActions"]).unwrap_or_else(|| {
        DEFAULT_PUBLIC_ACTIONS
            .iter()
            .map(|s| s.to_string())
            .collect()
    });
    let auth = crate::auth::of(graph);
    let public_route = in_public_route(ctx.path);
    for action in &facts.actions {
        let Some(function) = action.function else {
            continue;
        };
        let on_purpose =
            public_route || matches_public(&action.name, &public) || has_public_tag(ctx, action);
        if !on_purpose || auth.authenticates(module, function) {
            continue;
        }
        let mut search = Search {
            graph,
            seen: HashSet::new(),
        };
        let found = search.scan(module, function, 0);
        let (Some((at, what)), false) = (found.costly, found.limited) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                at,
                format!("The public action `{}` {what} with no rate limit on the way: anyone can call it in a loop", action.name),
            )
            .with_help(
                "Public actions are POST endpoints anyone can script. Limit them per IP or per email before the costly call (@upstash/ratelimit's `limit`, Arcjet's `protect`, or your own limiter).",
            ),
        );
    }
}

#[derive(Default)]
struct Found {
    /// The call in the action that leads to a costly operation, and what that operation is.
    costly: Option<(TextRange, String)>,
    /// Something on the way limits the rate (or may: a call seam cannot see into named so).
    limited: bool,
}

struct Search<'g> {
    graph: &'g ModuleGraph,
    seen: HashSet<(ModuleId, FnId)>,
}

enum Target {
    /// A call on a package's export or client: the package and the method's name.
    Package(String, String),
    Function(ModuleId, FnId),
    /// Seam cannot see what it calls; its name says whether it may limit.
    Unknown(String),
    None,
}

impl Search<'_> {
    fn scan(&mut self, module: ModuleId, function: FnId, depth: u32) -> Found {
        let mut found = Found::default();
        if !self.seen.insert((module, function)) {
            return found;
        }
        let Some(facts) = self.graph.facts(module) else {
            return found;
        };
        for call in facts
            .calls
            .iter()
            .filter(|c| within(facts, c.function, function))
        {
            // `limiter.limit(ip)`, `createRateLimiter(...)`, `checkRateLimit()`: whatever seam
            // knows of the callee, a call named so may be the app's limit.
            if callee_name(&call.callee).is_some_and(named_like_limiter) {
                found.limited = true;
                continue;
            }
            match self.target(module, facts, call) {
                Target::Package(package, method) => {
                    let table = table();
                    if table.has(&package, Role::RateLimiter) {
                        found.limited = true;
                    } else if found.costly.is_none()
                        && table.has(&package, Role::Costly)
                        && table.is_costly_method(&method)
                    {
                        found.costly =
                            Some((call.range, format!("calls `{package}` (`{method}`)")));
                    }
                }
                Target::Function(m, f) if self.named_like_limiter(m, f) => found.limited = true,
                Target::Function(m, f) if depth < MAX_DEPTH => {
                    let inner = self.scan(m, f, depth + 1);
                    found.limited |= inner.limited;
                    if found.costly.is_none() {
                        found.costly = inner.costly.map(|(_, what)| (call.range, what));
                    }
                }
                Target::Unknown(name) => found.limited |= named_like_limiter(&name),
                Target::Function(..) | Target::None => {}
            }
        }
        found
    }

    /// The app's own limiter (`rateLimit(ip)`, `checkRateLimit`): whatever it keeps its counts
    /// in, its name says what it is for.
    fn named_like_limiter(&self, module: ModuleId, function: FnId) -> bool {
        self.graph
            .facts(module)
            .and_then(|f| f.functions.get(function)?.name.clone())
            .is_some_and(|name| named_like_limiter(&name))
    }

    fn target(&self, module: ModuleId, facts: &FileFacts, call: &CallFact) -> Target {
        match &call.callee {
            Callee::LocalFunction(f) => Target::Function(module, *f),
            Callee::Binding { name, path } => self.binding_target(module, facts, name, path),
            Callee::Import {
                module: specifier,
                name,
                path,
            } => {
                let (resolved, name, rest) = self
                    .graph
                    .resolve_import_call(module, facts, specifier, name, path);
                match resolved {
                    Some(Resolved::Package(specifier, export)) => {
                        let method = rest.last().map_or(export.as_str(), Name::as_str);
                        Target::Package(package_name(&specifier).to_string(), method.to_string())
                    }
                    Some(Resolved::Binding(m, local)) => match self.graph.facts(m) {
                        Some(f) => self.binding_target(m, f, &local, rest),
                        None => Target::None,
                    },
                    Some(Resolved::DefaultExport(m)) => {
                        match self
                            .graph
                            .facts(m)
                            .and_then(|f| f.default_export.as_ref()?.function)
                        {
                            Some(f) if rest.is_empty() => Target::Function(m, f),
                            _ => Target::None,
                        }
                    }
                    None => Target::Unknown(rest.last().map_or(name, Name::as_str).to_string()),
                }
            }
            _ => Target::None,
        }
    }

    /// A module binding called (`sendWelcome()`) or used as a client (`resend.emails.send()`).
    fn binding_target(
        &self,
        module: ModuleId,
        facts: &FileFacts,
        name: &str,
        path: &[Name],
    ) -> Target {
        let Some(binding) = facts.binding(name) else {
            return Target::None;
        };
        if let (Some(f), true) = (binding.function, path.is_empty()) {
            return Target::Function(module, f);
        }
        let Some(method) = path.last() else {
            return Target::None;
        };
        // The client's package: where the name at the root of its initializer comes from.
        let package = binding
            .init
            .as_ref()
            .and_then(|chain| facts.import_of(&chain.root))
            .or_else(|| facts.import_of(name))
            .map(|(import, _)| package_name(&import.specifier).to_string());
        match package {
            Some(package) => Target::Package(package, method.to_string()),
            None => Target::None,
        }
    }
}

/// The name a call is made by: the last member (`limit` of `limiter.limit`) or the function.
fn callee_name(callee: &Callee) -> Option<&str> {
    match callee {
        Callee::Import { name, path, .. } => Some(path.last().unwrap_or(name).as_str()),
        Callee::Global { name, path } | Callee::Binding { name, path } => {
            Some(path.last().unwrap_or(name).as_str())
        }
        Callee::Derived { path, .. } => path.last().map(Name::as_str),
        Callee::LocalFunction(_) => None,
    }
}

fn within(facts: &FileFacts, call_function: Option<FnId>, function: FnId) -> bool {
    call_function.is_some_and(|f| facts.enclosing_functions(f).any(|e| e == function))
}

/// A call seam cannot follow that may be the app's own limiter (`rateLimit(ip)`,
/// `checkRateLimit`, `throttle`): the rule stays silent rather than guess.
fn named_like_limiter(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("limit") || lower.contains("throttle")
}
