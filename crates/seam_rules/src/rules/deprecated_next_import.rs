//! `deprecated-next-import`: an API imported from where Next.js no longer exports it.
//! `ImageResponse` moved from `next/server` to `next/og` in Next.js 14, and Next's compiler
//! fails the build on the old import.

use seam_diagnostics::{Diagnostic, Edit, Fix, Severity};
use seam_syntax::{ImportKind, Imported};

use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "deprecated-next-import",
    default_severity: Severity::Error,
    enabled_by_default: true,
    fix: FixKind::Safe,
    needs: Needs::File,
    summary: "An API imported from its old Next.js module: ImageResponse from next/server (moved to next/og).",
    doc: include_str!("../../../../rules/deprecated-next-import.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

/// (old module, name, new module), as Next's compiler maps them.
const MOVED: &[(&str, &str, &str)] = &[("next/server", "ImageResponse", "next/og")];

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    if ctx.project.next_major.is_some_and(|m| m < 14) {
        return;
    }
    for import in ctx.facts.imports.iter() {
        if import.kind != ImportKind::Static || import.type_only {
            continue;
        }
        for name in import.names.iter().filter(|n| !n.type_only) {
            let Imported::Named(imported) = &name.imported else {
                continue;
            };
            let Some((_, _, new)) = MOVED.iter().find(|(old, api, _)| {
                *old == import.specifier.as_str() && *api == imported.as_str()
            }) else {
                continue;
            };
            let mut d = Diagnostic::new(
                RULE.name,
                name.range,
                format!("`{imported}` moved from `{}` to `{new}`", import.specifier),
            )
            .with_help(format!(
                "Next.js 14 and later fail the build on this import: import it from `{new}`."
            ));
            // The whole import moves when it brings only this name.
            if import.names.len() == 1 {
                let quote = ctx
                    .text(import.specifier_range)
                    .chars()
                    .next()
                    .unwrap_or('\'');
                d = d.with_fix(Fix::safe(
                    format!("Import it from '{new}'"),
                    vec![Edit::replace(
                        import.specifier_range,
                        format!("{quote}{new}{quote}"),
                    )],
                ));
            }
            out.push(d);
        }
    }
}
