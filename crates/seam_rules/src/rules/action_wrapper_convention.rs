//! `action-wrapper-convention` (off by default): with `settings.actions.wrappers` naming the
//! team's action wrappers (`authAction`, `publicAction`), every Server Action must be defined
//! through one of them, so auth, validation and error handling cannot be forgotten.

use seam_diagnostics::{Diagnostic, Severity};
use seam_syntax::ActionKind;

use crate::settings::string_list;
use crate::{no_options, no_options_schema, FileContext, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "action-wrapper-convention",
    default_severity: Severity::Warning,
    enabled_by_default: false,
    fix: FixKind::None,
    needs: Needs::File,
    summary:
        "A Server Action not defined through one of settings.actions.wrappers (off by default).",
    doc: include_str!("../../../../rules/action-wrapper-convention.md"),
    check: Some(check),
    check_manifest: None,
    validate_options: no_options,
    options_schema: no_options_schema,
};

fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) {
    let wrappers = string_list(ctx.settings, &["actions", "wrappers"]).unwrap_or_default();
    if wrappers.is_empty() || ctx.facts.actions.is_empty() {
        return;
    }
    let listed = wrappers
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for action in &ctx.facts.actions {
        let how = match &action.kind {
            ActionKind::Wrapped { callee } if wrappers.iter().any(|w| root_name(callee) == w) => {
                continue
            }
            ActionKind::Wrapped { callee } => format!("is defined through `{}`", root_name(callee)),
            ActionKind::Exported => "is a plain exported function".to_string(),
            ActionKind::Inline => "is an inline 'use server' function".to_string(),
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                action.range,
                format!("The Server Action `{}` does not go through the project's action wrappers ({listed}): it {how}", action.name),
            )
            .with_help("settings.actions.wrappers lists how this project defines actions: wrap it in one of them so its auth, validation and error handling apply."),
        );
    }
}

/// The wrapper a callee's source text starts from: `authAction` of
/// `authAction.inputSchema(schema).action`.
fn root_name(callee: &str) -> &str {
    let end = callee
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(callee.len());
    &callee[..end]
}
