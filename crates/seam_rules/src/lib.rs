//! The rule registry. A rule is one file under `rules/` with its metadata, options and a
//! `check` function that reads per-file facts (never the AST) and reports diagnostics.

pub mod auth;
mod cache_profiles;
mod context;
mod imports;
pub mod packages;
mod paths;
pub mod project;
pub mod rules;
pub mod scopes;
mod settings;

pub use context::FileContext;
pub use paths::{app_router_file, file_role, is_test_or_script};
pub use project::{Manifest, ProjectInfo};

use schemars::Schema;
use seam_diagnostics::{Diagnostic, Severity};

/// What a rule reads: declared once, so the linter and the tests know which rules look beyond
/// one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The file's own facts.
    File,
    /// Also the project: installed versions, next.config, package.json.
    Project,
    /// Also the module graph (other files): cross-file rules.
    Graph,
}

/// The fixes a rule offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

impl FixKind {
    /// Whether a fix of this applicability is one the rule declared.
    pub fn allows(self, applicability: seam_diagnostics::Applicability) -> bool {
        use seam_diagnostics::Applicability;
        matches!(
            (self, applicability),
            (FixKind::Safe, Applicability::Safe) | (FixKind::Unsafe, Applicability::Unsafe)
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "no",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// A rule: its metadata, its doc page (rules/<name>.md, embedded), and how to run it.
pub struct Rule {
    pub name: &'static str,
    pub default_severity: Severity,
    /// Off unless the config turns it on (a convention a team opts into).
    pub enabled_by_default: bool,
    /// The fixes it offers: a fix of another applicability is a bug (debug builds panic).
    pub fix: FixKind,
    /// What it reads besides the file's facts.
    pub needs: Needs,
    pub summary: &'static str,
    pub doc: &'static str,
    /// Reads one file's facts. None for diagnostics the linter itself produces (parse-error,
    /// unused-suppression).
    pub check: Option<fn(&FileContext, &mut Vec<Diagnostic>)>,
    /// Reads a project's package.json (for rules about the project rather than one file);
    /// diagnostics point into the manifest's text.
    pub check_manifest: Option<fn(&project::Manifest, &mut Vec<Diagnostic>)>,
    /// Checks a rule's options from config; Err is a human message.
    pub validate_options: fn(&serde_json::Value) -> Result<(), String>,
    /// JSON schema of the options object.
    pub options_schema: fn() -> Schema,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("name", &self.name).finish()
    }
}

/// Every rule seam knows, in the order `seam rules` lists them.
pub fn all() -> &'static [Rule] {
    rules::ALL
}

pub fn find(name: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.name == name)
}

/// Validates options of a rule without options: only `{}` is accepted.
pub fn no_options(value: &serde_json::Value) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) if map.is_empty() => Ok(()),
        serde_json::Value::Object(map) => Err(format!(
            "this rule has no options, found `{}`",
            map.keys().next().map(String::as_str).unwrap_or_default()
        )),
        _ => Err("options must be an object".into()),
    }
}

pub fn no_options_schema() -> Schema {
    schemars::json_schema!({ "type": "object", "additionalProperties": false })
}

/// Validates options by deserializing them into the rule's typed `Options`.
pub fn typed_options<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<(), String> {
    serde_json::from_value::<T>(value.clone())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub fn schema_of<T: schemars::JsonSchema>() -> Schema {
    schemars::schema_for!(T)
}
