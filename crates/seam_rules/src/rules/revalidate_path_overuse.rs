//! `revalidate-path-overuse`: revalidatePath calls that purge too much, do nothing, or repeat.

use std::collections::HashMap;

use schemars::JsonSchema;
use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::{CallFact, FnId};
use serde::Deserialize;

use crate::{schema_of, typed_options, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "revalidate-path-overuse",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixKind::Safe,
    needs: Needs::File,
    summary: "revalidatePath('/'), full-layout purges, calls in loops, duplicates, no-op dynamic patterns, too many calls.",
    doc: include_str!("../../../../rules/revalidate-path-overuse.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: typed_options::<Options>,
    options_schema: schema_of::<Options>,
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Options {
    /// Most revalidatePath calls one function may make before seam suggests tags.
    #[serde(default = "default_max_calls")]
    pub max_calls: u32,
}

fn default_max_calls() -> u32 {
    3
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_calls: default_max_calls(),
        }
    }
}

const HELP_TAGS: &str =
    "Tag the data instead (`cacheTag`/fetch `next.tags`) and call `revalidateTag(tag, 'max')`, \
                         or `updateTag(tag)` in a Server Action, to refresh exactly what changed.";

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let options: Options = ctx.options();
    let facts = ctx.facts;
    let calls: Vec<&CallFact> = facts
        .calls
        .iter()
        .filter(|c| c.callee.is_imported("next/cache", &["revalidatePath"]))
        .collect();
    let mut per_owner: HashMap<Option<FnId>, usize> = HashMap::new();
    for (i, call) in calls.iter().enumerate() {
        let owner = call.function.map(|f| facts.owner_through_callbacks(f));
        let count = per_owner.entry(owner).or_default();
        *count += 1;
        let over_limit = *count == options.max_calls as usize + 1;
        if let Some(d) = diagnose(
            ctx,
            call,
            &calls[..i],
            over_limit.then_some(options.max_calls),
        ) {
            out.push(d);
        }
    }
}

/// One diagnostic per call: the most specific problem it has.
fn diagnose(
    ctx: &FileContext,
    call: &CallFact,
    earlier: &[&CallFact],
    over_limit: Option<u32>,
) -> Option<Diagnostic> {
    let path = call.args.first().and_then(|a| a.as_str());
    let kind = call.args.get(1).map(|a| a.as_str());
    let report = |message: String| Diagnostic::new(RULE.name, call.range, message);

    if let Some(purge) = earlier.iter().find(|e| is_full_purge(e) && covers(e, call)) {
        let d = report(
            "This revalidation is already covered by `revalidatePath('/', 'layout')` above".into(),
        )
        .with_help("A full purge revalidates every page; the later call only adds work.")
        .with_related(purge.range, "everything is revalidated here");
        return Some(with_removal(
            ctx,
            call,
            d,
            "Remove the redundant revalidatePath call",
        ));
    }
    if let Some(first) = earlier.iter().find(|e| is_duplicate_of(e, call)) {
        let d = report(format!(
            "`{}` is already revalidated earlier in this function",
            path.unwrap_or_default()
        ))
        .with_help(
            "Revalidation is applied once when the action ends; the second call only adds work.",
        )
        .with_related(first.range, "first revalidated here");
        return Some(with_removal(
            ctx,
            call,
            d,
            "Remove the duplicate revalidatePath call",
        ));
    }
    match (path, kind) {
        (Some("/"), Some(Some("layout"))) => {
            return Some(
                report(
                    "`revalidatePath('/', 'layout')` purges every page and the client router cache"
                        .into(),
                )
                .with_help(HELP_TAGS),
            )
        }
        // `revalidatePath('/')` next to `redirect('/')` plainly means the home page.
        (Some("/"), None | Some(Some("page"))) if !redirects_home(ctx, call) => {
            return Some(
                report(
                    "`revalidatePath('/')` refreshes only the home page, not the whole app".into(),
                )
                .with_help(
                    "Name the pages that show the changed data, or revalidate a tag. \
                     For a deliberate full purge write `revalidatePath('/', 'layout')`.",
                ),
            )
        }
        // Paths are matched from the root: `revalidatePath('projects')` matches no route.
        (Some(p), _) if !p.is_empty() && !p.starts_with('/') && !p.contains("://") => {
            let arg = call.args[0].range;
            let quoted = ctx.text(arg).starts_with(['"', '\'', '`']);
            let d = report(format!(
                "`revalidatePath('{p}')` has no leading `/`: it matches no route and does nothing"
            ))
            .with_help(format!(
                "Route paths start at the root: `revalidatePath('/{p}')`."
            ));
            return Some(if quoted {
                d.with_fix(Fix::safe(
                    "Add the leading `/`",
                    vec![Edit::insert(arg.start + 1, "/")],
                ))
            } else {
                d
            });
        }
        (Some(p), None) if is_dynamic_pattern(p) => {
            let arg = call.args[0].range;
            let quote = ctx
                .text(arg)
                .chars()
                .next()
                .filter(|q| matches!(q, '"' | '\''))
                .unwrap_or('\'');
            let edit = Edit::insert(arg.end, format!(", {quote}page{quote}"));
            return Some(
                report(format!("`revalidatePath('{p}')` names a dynamic route pattern without a type and does nothing"))
                    .with_help("Pass the type: `'page'` for that page, `'layout'` to include nested routes; or pass a concrete path.")
                    .with_fix(Fix::safe("Add the 'page' type", vec![edit])),
            );
        }
        _ => {}
    }
    if call.in_loop {
        return Some(
            report("`revalidatePath` is called in a loop".into())
                .with_help(format!("Each call marks more routes stale. {HELP_TAGS}")),
        );
    }
    over_limit.map(|max| {
        report(format!(
            "More than {max} revalidatePath calls in one function"
        ))
        .with_help(format!(
            "Long lists of paths drift out of sync with the pages that show the data. {HELP_TAGS}"
        ))
    })
}

/// Adds the safe fix that deletes `call`'s statement (when the call is a whole statement).
fn with_removal(ctx: &FileContext, call: &CallFact, d: Diagnostic, message: &str) -> Diagnostic {
    match call.statement {
        Some(statement) => d.with_fix(Fix::safe(
            message,
            vec![Edit::delete(ctx.statement_deletion_range(statement))],
        )),
        None => d,
    }
}

fn is_full_purge(call: &CallFact) -> bool {
    call.args.len() == 2
        && call.args[0].as_str() == Some("/")
        && call.args[1].as_str() == Some("layout")
}

/// `earlier` runs whenever `later` does, in the same function, both as whole statements.
fn covers(earlier: &CallFact, later: &CallFact) -> bool {
    earlier.function == later.function
        && earlier.statement.is_some()
        && later.statement.is_some()
        && dominates(&earlier.block_path, &later.block_path)
}

/// The function that makes `call` also redirects to `/`.
fn redirects_home(ctx: &FileContext, call: &CallFact) -> bool {
    let owner = |f: Option<FnId>| f.map(|f| ctx.facts.owner_through_callbacks(f));
    ctx.facts.calls.iter().any(|c| {
        c.callee
            .is_imported("next/navigation", &["redirect", "permanentRedirect"])
            && owner(c.function) == owner(call.function)
            && c.args.first().and_then(|a| a.as_str()) == Some("/")
    })
}

/// A dynamic segment: `[id]`, `[...slug]` or `[[...slug]]`.
fn is_dynamic_pattern(path: &str) -> bool {
    path.split('/')
        .any(|segment| segment.starts_with('[') && segment.ends_with(']'))
}

/// `later` repeats `earlier` (same literal path and type) and always runs after it.
fn is_duplicate_of(earlier: &CallFact, later: &CallFact) -> bool {
    let literal = |c: &CallFact| -> Option<(String, Option<String>)> {
        let path = c.args.first()?.as_str()?.to_string();
        let kind = match c.args.get(1) {
            None => None,
            Some(a) => Some(a.as_str()?.to_string()),
        };
        (c.args.len() <= 2).then_some((path, kind))
    };
    literal(earlier).is_some() && literal(earlier) == literal(later) && covers(earlier, later)
}

/// The statement at `first` runs whenever the one at `second` does: it is an earlier statement of
/// the same block or of a block enclosing `second`.
fn dominates(first: &[(u32, u32)], second: &[(u32, u32)]) -> bool {
    let Some((&(block, index), parents)) = first.split_last() else {
        return false;
    };
    second.len() >= first.len()
        && second[..parents.len()] == *parents
        && second[parents.len()].0 == block
        && second[parents.len()].1 > index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominance_requires_an_earlier_statement_of_an_enclosing_block() {
        assert!(dominates(&[(1, 0)], &[(1, 2)]));
        assert!(dominates(&[(1, 0)], &[(1, 2), (5, 0)]));
        assert!(!dominates(&[(1, 2)], &[(1, 0)]));
        assert!(!dominates(&[(1, 0), (5, 0)], &[(1, 0), (6, 0)]));
        assert!(!dominates(&[(1, 1), (5, 0)], &[(1, 2)]));
    }

    #[test]
    fn dynamic_patterns() {
        assert!(is_dynamic_pattern("/posts/[id]"));
        assert!(is_dynamic_pattern("/docs/[[...slug]]"));
        assert!(!is_dynamic_pattern("/posts/42"));
    }
}
