//! `redirect-in-try-catch`: `redirect()`, `permanentRedirect()`, `notFound()`, `forbidden()` or
//! `unauthorized()` inside a `try` whose `catch` swallows what it catches. These APIs work by
//! throwing; a catch that does not let Next.js's errors through silently cancels them.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity, TextRange};
use seam_syntax::{CallFact, CatchFact, FileFacts, FnId, TryFact, CONTROL_FLOW_APIS};

use crate::imports::ensure_named_import;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "redirect-in-try-catch",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::Unsafe,
    needs: Needs::Project,
    summary: "redirect()/notFound()/forbidden()/unauthorized() inside a try whose catch swallows the error that makes them work.",
    doc: include_str!("../../../../rules/redirect-in-try-catch.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let facts = ctx.facts;
    if facts.tries.is_empty() || facts.is_use_client() {
        return;
    }
    for call in &facts.calls {
        let Some(name) = call
            .callee
            .imported_api()
            .filter(|(m, n)| *m == "next/navigation" && CONTROL_FLOW_APIS.contains(n))
            .map(|(_, n)| n)
        else {
            continue;
        };
        let Some(function) = call.function else {
            continue;
        };
        if facts.functions[function].client_context {
            continue;
        }
        let Some(catch) = swallowing_catch(facts, function, call) else {
            continue;
        };
        let mut d = Diagnostic::new(
            RULE.name,
            call.callee_range,
            format!("`{name}()` throws to work, and this `try`'s catch swallows it: the {} never happens", outcome(name)),
        )
        .with_help(
            "Call it after the try/catch, or let Next.js's errors through: call `unstable_rethrow(error)` first in the catch.",
        )
        .with_related(catch_head(catch), "this catch swallows it");
        if let Some(fix) = fix(ctx, catch) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

fn outcome(api: &str) -> &'static str {
    match api {
        "redirect" | "permanentRedirect" => "redirect",
        "notFound" => "404 page",
        "forbidden" => "403 page",
        _ => "401 page",
    }
}

fn catch_head(catch: &CatchFact) -> TextRange {
    TextRange::new(catch.range.start, catch.body_start)
}

/// The catch of the innermost enclosing `try` (in the same function, or around a synchronous
/// iteration callback the call is in) that swallows. A catch that lets Next's errors through
/// passes them on to the next `try` out; `try/finally` without a catch passes them on too.
fn swallowing_catch<'f>(
    facts: &'f FileFacts,
    function: FnId,
    call: &CallFact,
) -> Option<&'f CatchFact> {
    let owner = facts.synchronous_owner(function);
    let mut runs_in: Vec<FnId> = facts
        .enclosing_functions(function)
        .take_while(|f| *f != owner)
        .collect();
    runs_in.push(owner);
    let mut enclosing: Vec<&TryFact> = facts
        .tries
        .iter()
        .filter(|t| t.function.is_some_and(|f| runs_in.contains(&f)))
        .filter(|t| t.block.start <= call.range.start && call.range.end <= t.block.end)
        .collect();
    enclosing.sort_by_key(|t| t.block.len());
    enclosing
        .into_iter()
        .find_map(|t| t.catch.as_ref().filter(|c| !c.lets_next_errors_through))
}

/// Inserts `unstable_rethrow(<error>)` as the catch's first statement and imports it (Next 15+);
/// names the caught value when the catch binds none. Unsafe: redirects and 404s then leave the
/// function, so the rest of the catch no longer runs for them.
fn fix(ctx: &FileContext, catch: &CatchFact) -> Option<Fix> {
    if !ctx.project.next_at_least(15) {
        return None;
    }
    let mut edits = Vec::new();
    let binding = match (&catch.param, catch.has_param) {
        (Some(name), _) => name.clone(),
        (None, true) => return None, // a destructuring pattern: no name to rethrow
        (None, false) => {
            let body = ctx.text(TextRange::new(catch.body_start, catch.range.end));
            let name = ["error", "err", "caughtError"]
                .into_iter()
                .find(|n| !mentions(body, n))?;
            let keyword_end = catch.range.start + "catch".len() as u32;
            edits.push(Edit::insert(keyword_end, format!(" ({name})")));
            name.to_string()
        }
    };
    let (local, import) = ensure_named_import(
        ctx,
        "next/navigation",
        &["unstable_rethrow"],
        "unstable_rethrow",
        "unstable_rethrow",
    )?;
    let nl = ctx.newline();
    let indent = match catch.first_statement {
        Some(first) => ctx.indentation_at(first.start).to_string(),
        None => format!("{}  ", ctx.indentation_at(catch.range.start)),
    };
    let semi = catch
        .first_statement
        .map_or(";", |s| ctx.statement_terminator(s));
    edits.push(Edit::insert(
        ctx.line_insertion_point(catch.body_start),
        format!("{nl}{indent}{local}({binding}){semi}"),
    ));
    edits.extend(import);
    Some(Fix::unsafe_(
        "Call unstable_rethrow() first in the catch, so Next.js's errors pass through",
        edits,
    ))
}

/// Whether `text` uses the identifier `name` (so a new binding of that name would shadow it).
fn mentions(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}
