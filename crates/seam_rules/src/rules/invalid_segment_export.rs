//! `invalid-segment-export`: what a page or layout exports that Next.js rejects at build:
//! `metadata`/`generateMetadata` from a `'use client'` file, both of them at once,
//! `generateStaticParams` from a `'use client'` page, Pages Router data functions
//! (`getServerSideProps`, `getStaticProps`, `getStaticPaths`), and route segment config
//! (`dynamic`, `revalidate`, ...) that Cache Components replace.

use seam_diagnostics::{Diagnostic, Severity, TextRange};
use seam_syntax::next_config::Setting;
use seam_syntax::FileFacts;

use crate::paths::app_router_file;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "invalid-segment-export",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::None,
    needs: Needs::Project,
    summary: "A page or layout export Next.js rejects: metadata from 'use client', metadata with generateMetadata, getServerSideProps/getStaticProps in app/, segment config under Cache Components.",
    doc: include_str!("../../../../rules/invalid-segment-export.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// Route segment config that Cache Components replace (Next.js rejects it when they are on).
const SEGMENT_CONFIG: &[&str] = &[
    "dynamic",
    "dynamicParams",
    "fetchCache",
    "runtime",
    "revalidate",
];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    // Only a Next.js project's `app/` is the App Router (Expo Router has one too).
    let is_next = ctx.project.next_major.is_some() || ctx.project.next_config.is_some();
    let Some(convention) = app_router_file(ctx.path).filter(|_| is_next) else {
        return;
    };
    if !matches!(convention, "page" | "layout") {
        return;
    }
    let facts = ctx.facts;
    let exports = exported_names(facts);
    let find = |name: &str| exports.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
    let client = facts.is_use_client();
    if client {
        for name in ["metadata", "generateMetadata"] {
            if let Some(at) = find(name) {
                out.push(
                    Diagnostic::new(RULE.name, at, format!("`{name}` cannot be exported from a 'use client' {convention}"))
                        .with_help("Metadata is resolved on the server before the page renders: keep the page a Server Component and move the client parts into a 'use client' component it renders."),
                );
            }
        }
        if let Some(at) = find("generateStaticParams").filter(|_| convention == "page") {
            out.push(
                Diagnostic::new(RULE.name, at, "`generateStaticParams` cannot be exported from a 'use client' page")
                    .with_help("Next.js fails the build: keep the page a Server Component and move the client parts into a 'use client' component it renders."),
            );
        }
    } else if let (Some(_), Some(at)) = (find("metadata"), find("generateMetadata")) {
        out.push(
            Diagnostic::new(RULE.name, at, "`metadata` and `generateMetadata` cannot both be exported")
                .with_help("Next.js fails the build: keep one (generateMetadata can return the static fields too)."),
        );
    }
    for name in ["getServerSideProps", "getStaticProps", "getStaticPaths"] {
        if let Some(at) = find(name) {
            let (what, help) = if name == "getStaticPaths" {
                ("is never called in app/", "The App Router does not call Pages Router data functions: use `generateStaticParams`.")
            } else {
                ("is not supported in app/", "Next.js fails the build: fetch the data in the (async) Server Component itself.")
            };
            out.push(Diagnostic::new(RULE.name, at, format!("`{name}` {what}")).with_help(help));
        }
    }
    check_segment_config(ctx, convention, &find, out);
}

fn check_segment_config(
    ctx: &FileContext,
    convention: &str,
    find: &dyn Fn(&str) -> Option<TextRange>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(loaded) = &ctx.project.next_config else {
        return;
    };
    let major = ctx.project.next_major;
    if major.is_some_and(|m| m < 15) {
        return;
    }
    // Cache Components replace all of them; `'use cache'` alone needs the Node.js runtime.
    let (names, flag): (&[&str], &str) =
        if loaded.config.cache_components(major) == Setting::Set(true) {
            let flag = if major == Some(15) {
                "experimental.cacheComponents"
            } else {
                "cacheComponents"
            };
            (SEGMENT_CONFIG, flag)
        } else if loaded.config.use_cache(major) == Setting::Set(true) {
            (&["runtime"], "experimental.useCache")
        } else {
            return;
        };
    for name in names {
        if let Some(at) = find(name) {
            out.push(
                Diagnostic::new(RULE.name, at, format!("Route segment config `{name}` is not compatible with `{flag}` in {}", loaded.file))
                    .with_help(format!(
                        "Next.js fails the build on this {convention}. With Cache Components, cache with 'use cache' and cacheLife(), and mark dynamic parts with <Suspense> instead."
                    )),
            );
        }
    }
}

/// The names a module exports (declarations, `export { a }`, re-exports), each with where.
fn exported_names(facts: &FileFacts) -> Vec<(String, TextRange)> {
    facts
        .exports
        .iter()
        .filter(|e| !e.type_only)
        .map(|e| {
            let at = e
                .local
                .as_deref()
                .and_then(|l| facts.binding(l))
                .map_or(e.range, |b| b.range);
            (e.name.clone(), at)
        })
        .collect()
}
