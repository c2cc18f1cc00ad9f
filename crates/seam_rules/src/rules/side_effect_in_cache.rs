//! `side-effect-in-cache`: a `'use cache'` function (or a same-file helper it calls) that writes
//! (a database insert/update/delete, a payment or an email, a file write, a non-GET `fetch`)
//! or starts a timer. A cached function runs once per cache entry, not once per call: the write
//! happens at some unknown first call and never again, and a timer outlives the render.

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::{CallFact, Callee, Name};

use crate::auth::CallKind;
use crate::scopes::Scopes;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "side-effect-in-cache",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Graph,
    summary: "A 'use cache' function that writes (database, payments, email, files, non-GET fetch) or starts a timer.",
    doc: include_str!("../../../../rules/side-effect-in-cache.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// Method names that change something on the other side of a client: writes of database
/// clients and ORMs, payment and email SDKs (`charges.create`, `emails.send`), key-value stores.
const WRITE_METHODS: &[&str] = &[
    "create",
    "createMany",
    "createManyAndReturn",
    "update",
    "updateMany",
    "updateManyAndReturn",
    "upsert",
    "delete",
    "deleteMany",
    "insert",
    "insertOne",
    "insertMany",
    "updateOne",
    "deleteOne",
    "replaceOne",
    "findOneAndUpdate",
    "findOneAndDelete",
    "set",
    "hset",
    "del",
    "incr",
    "incrby",
    "decr",
    "lpush",
    "rpush",
    "sadd",
    "zadd",
    "send",
    "sendMail",
    "remove",
    "destroy",
    "save",
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let Some((graph, module)) = ctx.graph else {
        return;
    };
    let facts = ctx.facts;
    if facts.file_cache_directive().is_none()
        && !facts
            .functions
            .iter()
            .any(|f| f.has_directive(|k| matches!(k, seam_syntax::DirectiveKind::UseCache(_))))
    {
        return;
    }
    let scopes = Scopes::of(facts);
    let auth = crate::auth::of(graph);
    for (index, call) in facts.calls.iter().enumerate() {
        let Some(scope) = scopes.cache(call.function) else {
            continue;
        };
        // A timer set in a callback (`new Promise((r) => setTimeout(r, 500))`) is a delay the
        // cached function awaits, not one that outlives it.
        let in_callback = call
            .function
            .is_some_and(|f| f != scope.root && facts.functions[f].parent.is_some());
        let Some(what) = side_effect(call, auth.call_kind(module, index as u32), in_callback)
        else {
            continue;
        };
        let root = &facts.functions[scope.root];
        let name = root.name.as_deref().unwrap_or("this function");
        let mut d = Diagnostic::new(
            RULE.name,
            call.callee_range,
            format!("{what} inside the 'use cache' function `{name}`: it runs once per cache entry, not once per call"),
        )
        .with_help(
            "Cached functions must not have side effects: the result is reused, so the write happens only on a cache miss (and a timer outlives the render). Do the write in a Server Action or route handler, and keep the cached function a pure read.",
        )
        .with_related(scope.directive, "the cache");
        if let Some(via) = scope.via {
            d = d.with_related(via, "called from the cached function here");
        }
        out.push(d);
    }
}

/// What the call changes, if it is a write or a timer.
fn side_effect(call: &CallFact, kind: CallKind, in_callback: bool) -> Option<String> {
    if let Callee::Global { name, path } = &call.callee {
        let timer = match name.as_str() {
            "setInterval" => true,
            "setTimeout" => !in_callback,
            _ => false,
        };
        if path.is_empty() && timer {
            return Some(format!("`{name}` starts a timer"));
        }
    }
    let CallKind::Sensitive(what) = kind else {
        return None;
    };
    // Revalidation inside a cache is cache-api-outside-cache's.
    if what.starts_with("`revalidate")
        || what.starts_with("`updateTag")
        || what.starts_with("`refresh")
    {
        return None;
    }
    // POST is how GraphQL and search APIs read: only PUT, PATCH and DELETE say "write".
    let writing_fetch = ["PUT", "PATCH", "DELETE"]
        .iter()
        .any(|m| what == format!("fetch with method {m}"));
    if writing_fetch || what.starts_with("`fs.") {
        return Some(format!("{what} writes"));
    }
    let method = last_name(&call.callee)?;
    WRITE_METHODS
        .contains(&method)
        .then(|| format!("{what} writes"))
}

fn last_name(callee: &Callee) -> Option<&str> {
    let path: &[Name] = match callee {
        Callee::Import { name, path, .. } if path.is_empty() => return Some(name.as_str()),
        Callee::Import { path, .. }
        | Callee::Global { path, .. }
        | Callee::Binding { path, .. }
        | Callee::Derived { path, .. } => path,
        Callee::LocalFunction(_) => return None,
    };
    path.last().map(Name::as_str)
}
