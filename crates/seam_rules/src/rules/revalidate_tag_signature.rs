//! `revalidate-tag-signature`: on Next 16, `revalidateTag(tag)` with one argument is deprecated
//! (it warns on every call and expires the tag at once); and on any version, literal tags over
//! 256 characters, which Next.js drops.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::{ArgFact, CallFact};

use crate::scopes::Scopes;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "revalidate-tag-signature",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixKind::Unsafe,
    needs: Needs::Project,
    summary: "revalidateTag(tag) without a profile (deprecated in Next 16), or a cache tag over 256 characters.",
    doc: include_str!("../../../../rules/revalidate-tag-signature.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

const MAX_TAG_LENGTH: usize = 256;

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let mut scopes = None;
    for call in &ctx.facts.calls {
        let Some((module, name)) = call.callee.imported_api() else {
            continue;
        };
        if module != "next/cache" {
            continue;
        }
        match name {
            "revalidateTag" => {
                if call.args.len() == 1
                    && ctx.project.next_at_least(16)
                    && !ctx.facts.is_use_client()
                {
                    let scopes = scopes.get_or_insert_with(|| Scopes::of(ctx.facts));
                    out.push(single_argument(ctx, call, scopes.in_action(call.function)));
                }
                check_tags(name, call.args.first(), out);
            }
            "updateTag" => check_tags(name, call.args.first(), out),
            "cacheTag" | "unstable_cacheTag" => {
                for arg in &call.args {
                    check_tags(name, Some(arg), out);
                }
            }
            _ => {}
        }
    }
}

fn single_argument(ctx: &FileContext, call: &CallFact, in_action: bool) -> Diagnostic {
    let help = if in_action {
        "In a Server Action, `updateTag(tag)` expires the tag and shows the change in the same response \
         (read-your-writes); `revalidateTag(tag, 'max')` serves stale data while it refreshes."
    } else {
        "Pass a cacheLife profile: `revalidateTag(tag, 'max')` serves stale data while it refreshes in the \
         background (in Server Actions, `updateTag(tag)` expires it at once)."
    };
    // `revalidateTag(tag,)`: a trailing comma already separates the next argument.
    let before = ctx.source[..call.args_end as usize].trim_end();
    let separator = if before.ends_with(',') { " " } else { ", " };
    Diagnostic::new(
        RULE.name,
        call.callee_range,
        "`revalidateTag(tag)` without a second argument is deprecated in Next.js 16",
    )
    .with_help(help)
    .with_fix(Fix::unsafe_(
        "Add 'max' as the profile (stale-while-revalidate instead of immediate expiry)",
        vec![Edit::insert(
            before.len() as u32,
            format!("{separator}'max'"),
        )],
    ))
}

/// Reports a literal tag longer than Next.js accepts.
fn check_tags(api: &str, arg: Option<&ArgFact>, out: &mut Vec<Diagnostic>) {
    let Some(arg) = arg else { return };
    if let Some(tag) = arg.as_str() {
        if tag.chars().count() > MAX_TAG_LENGTH {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    arg.range,
                    format!(
                        "this tag passed to `{api}` is {} characters long; Next.js drops tags over {MAX_TAG_LENGTH}",
                        tag.chars().count()
                    ),
                )
                .with_help("Use a shorter tag, such as an id or a hash of the long key."),
            );
        }
    }
}
