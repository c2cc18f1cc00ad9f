//! `cache-not-enabled`: a `'use cache'` directive in a project whose next.config does not turn
//! the feature on. Next.js fails the build at the directive ("To use "use cache", please enable
//! the feature flag `cacheComponents`").

use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_syntax::next_config::Setting;
use seam_syntax::{Directive, DirectiveKind};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "cache-not-enabled",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Project,
    summary: "A 'use cache' directive while next.config does not enable it (cacheComponents on 16, experimental.useCache on 15).",
    doc: include_str!("../../../../rules/cache-not-enabled.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let directives: Vec<&Directive> = cache_directives(ctx).collect();
    if directives.is_empty() {
        return;
    }
    if !use_cache_disabled(ctx) {
        return;
    }
    let Some(loaded) = &ctx.project.next_config else {
        return;
    };
    let major = ctx.project.next_major;
    let (flag, version) = match major {
        Some(15) => ("`experimental.useCache: true`", "Next.js 15"),
        _ => ("`cacheComponents: true`", "Next.js 16"),
    };
    for directive in directives {
        out.push(not_enabled(directive.range, &loaded.file, flag, version));
    }
}

/// Whether the project's next.config is known not to enable `'use cache'` for its Next.js
/// version (so the directive does not compile). Without a config file seam cannot tell the
/// file belongs to the app it would configure: not known.
pub fn use_cache_disabled(ctx: &FileContext) -> bool {
    let Some(loaded) = &ctx.project.next_config else {
        return false;
    };
    let major = ctx.project.next_major;
    major.is_none_or(|m| m >= 15) && loaded.config.use_cache(major) == Setting::Set(false)
}

/// The `'use cache'` directives Next.js reads: the file's and its functions' prologues (a
/// `'use client'` module's inline ones are `misplaced-directive`'s).
fn cache_directives<'a>(ctx: &'a FileContext) -> impl Iterator<Item = &'a Directive> {
    let facts = ctx.facts;
    let inline = facts
        .functions
        .iter()
        .filter(|_| !facts.is_use_client())
        .flat_map(|f| f.directives.iter());
    facts
        .directives
        .iter()
        .chain(inline)
        .filter(|d| matches!(d.kind, DirectiveKind::UseCache(_)))
}

fn not_enabled(at: TextRange, config_file: &str, flag: &str, version: &str) -> Diagnostic {
    Diagnostic::new(
        RULE.name,
        at,
        format!("'use cache' is not enabled: {config_file} does not set {flag}"),
    )
    .with_help(format!(
        "{version} fails the build at this directive. Enable the flag in {config_file}, or remove \
         the directive (and cache with `unstable_cache` or `fetch` options instead)."
    ))
}
