//! `seam.json`: JSON with comments. Loaded with positions so every mistake is reported at its
//! line; validated against the rule registry; resolved per file (overrides in order).

mod schema;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use jsonc_parser::ast::{Object, ObjectProp, Value};
use miette::{NamedSource, SourceSpan};
use seam_diagnostics::Severity;

pub use schema::config_schema;

pub const FILE_NAME: &str = "seam.json";

/// A config problem, reported as a miette code frame pointing into the file.
#[derive(Debug, miette::Diagnostic, thiserror::Error)]
#[error("{message}")]
#[diagnostic(code(seam::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warn => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Error => Some(Severity::Error),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RuleSetting {
    pub level: Level,
    /// None keeps whatever options an earlier layer set.
    pub options: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
struct Override {
    files: GlobSet,
    rules: Vec<(String, RuleSetting)>,
}

/// One loaded `seam.json`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory the config applies to (globs are relative to it).
    pub dir: PathBuf,
    pub path: Option<PathBuf>,
    rules: Vec<(String, RuleSetting)>,
    ignore: GlobSet,
    overrides: Vec<Override>,
    pub settings: Arc<serde_json::Value>,
}

/// The rules that run on one file, with their severity and options.
#[derive(Debug, Clone)]
pub struct EnabledRule {
    pub rule: &'static seam_rules::Rule,
    pub severity: Severity,
    pub options: serde_json::Value,
}

impl Config {
    /// Defaults only: every rule at its default severity.
    pub fn default_for(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            path: None,
            rules: Vec::new(),
            ignore: GlobSet::empty(),
            overrides: Vec::new(),
            settings: Arc::new(serde_json::Value::Object(Default::default())),
        }
    }

    pub fn load(path: &Path) -> Result<Self, Box<ConfigError>> {
        let text = seam_diagnostics::files::read_json_bounded(path).map_err(|e| {
            Box::new(ConfigError {
                message: format!("cannot read {}: {e}", path.display()),
                src: NamedSource::new(path.display().to_string(), String::new()),
                span: (0, 0).into(),
                label: "here".into(),
                help: None,
            })
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self, Box<ConfigError>> {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let parser = ConfigParser { path, text };
        let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
            .map_err(|e| {
                parser.error(
                    e.range().start..e.range().end,
                    format!("invalid JSON: {}", e.kind()),
                    "here",
                    None,
                )
            })?;
        let mut config = Self::default_for(&dir);
        config.path = Some(path.to_path_buf());
        let Some(value) = parsed.value else {
            return Ok(config);
        };
        let Value::Object(root) = value else {
            return Err(parser.error(
                range_of(&value),
                "seam.json must contain an object".into(),
                "expected `{ ... }`",
                None,
            ));
        };
        for prop in &root.properties {
            match prop.name.as_str() {
                "$schema" => {}
                "rules" => config.rules = parser.rules(&prop.value)?,
                "ignore" => config.ignore = parser.globs(&prop.value)?,
                "overrides" => config.overrides = parser.overrides(&prop.value)?,
                "settings" => {
                    parser.settings(&prop.value)?;
                    config.settings = Arc::new(prop.value.clone().into());
                }
                other => {
                    let help = did_you_mean(
                        other,
                        &["rules", "ignore", "overrides", "settings", "$schema"],
                    );
                    return Err(parser.error(
                        name_range(prop),
                        format!("unknown key `{other}`"),
                        "unknown key",
                        help,
                    ));
                }
            }
        }
        Ok(config)
    }

    /// `path` relative to the config's directory, when it is beneath it.
    fn relative<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(&self.dir).unwrap_or(path)
    }

    pub fn is_ignored(&self, path: &Path) -> bool {
        if self.ignore.is_empty() {
            return false;
        }
        let rel = self.relative(path);
        self.ignore.is_match(rel)
            || rel
                .ancestors()
                .skip(1)
                .any(|a| !a.as_os_str().is_empty() && self.ignore.is_match(a))
    }

    /// The rules enabled for `path`: defaults, then `rules`, then each matching override.
    pub fn rules_for(&self, path: &Path) -> Vec<EnabledRule> {
        self.rules_with_overrides(&self.matching_overrides(path))
    }

    /// Indices of the overrides that apply to `path`. Files with the same indices (under the same
    /// config) get the same rules, so callers can share one rule set between them.
    pub fn matching_overrides(&self, path: &Path) -> Vec<usize> {
        if self.overrides.is_empty() {
            return Vec::new();
        }
        let rel = self.relative(path);
        (0..self.overrides.len())
            .filter(|&i| self.overrides[i].files.is_match(rel))
            .collect()
    }

    /// The rules enabled by the top-level `rules` and then the given overrides, in order.
    pub fn rules_with_overrides(&self, overrides: &[usize]) -> Vec<EnabledRule> {
        let layers =
            std::iter::once(&self.rules).chain(overrides.iter().map(|&i| &self.overrides[i].rules));
        let mut enabled: Vec<(Level, serde_json::Value)> = seam_rules::all()
            .iter()
            .map(|r| {
                (
                    match (r.enabled_by_default, r.default_severity) {
                        (false, _) => Level::Off,
                        (true, Severity::Error) => Level::Error,
                        (true, Severity::Warning) => Level::Warn,
                        (true, Severity::Info) => Level::Info,
                    },
                    serde_json::json!({}),
                )
            })
            .collect();
        for layer in layers {
            for (name, setting) in layer {
                if let Some(i) = seam_rules::all().iter().position(|r| r.name == name) {
                    enabled[i].0 = setting.level;
                    if let Some(options) = &setting.options {
                        enabled[i].1 = options.clone();
                    }
                }
            }
        }
        seam_rules::all()
            .iter()
            .zip(enabled)
            .filter_map(|(rule, (level, options))| {
                level.severity().map(|severity| EnabledRule {
                    rule,
                    severity,
                    options,
                })
            })
            .collect()
    }
}

fn range_of(value: &Value) -> std::ops::Range<usize> {
    use jsonc_parser::common::Ranged;
    let r = value.range();
    r.start..r.end
}

fn name_range(prop: &ObjectProp) -> std::ops::Range<usize> {
    use jsonc_parser::common::Ranged;
    let r = prop.name.range();
    r.start..r.end
}

fn did_you_mean(name: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Suggests the closest rule name, for config and suppression comments alike.
pub fn suggest_rule(name: &str) -> Option<String> {
    let names: Vec<&str> = seam_rules::all().iter().map(|r| r.name).collect();
    did_you_mean(name, &names)
}

struct ConfigParser<'a> {
    path: &'a Path,
    text: &'a str,
}

impl ConfigParser<'_> {
    fn error(
        &self,
        range: std::ops::Range<usize>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> Box<ConfigError> {
        Box::new(ConfigError {
            message: format!("{}: {message}", self.path.display()),
            src: NamedSource::new(self.path.display().to_string(), self.text.to_string()),
            span: (range.start, range.end.saturating_sub(range.start)).into(),
            label: label.to_string(),
            help,
        })
    }

    fn expect_object<'v, 'a>(
        &self,
        value: &'v Value<'a>,
        what: &str,
    ) -> Result<&'v Object<'a>, Box<ConfigError>> {
        match value {
            Value::Object(o) => Ok(o),
            other => Err(self.error(
                range_of(other),
                format!("`{what}` must be an object"),
                "expected `{ ... }`",
                None,
            )),
        }
    }

    fn rules(&self, value: &Value) -> Result<Vec<(String, RuleSetting)>, Box<ConfigError>> {
        let object = self.expect_object(value, "rules")?;
        object
            .properties
            .iter()
            .map(|prop| self.rule(prop))
            .collect()
    }

    fn rule(&self, prop: &ObjectProp) -> Result<(String, RuleSetting), Box<ConfigError>> {
        let name = prop.name.as_str();
        let Some(rule) = seam_rules::find(name) else {
            return Err(self.error(
                name_range(prop),
                format!("unknown rule `{name}`"),
                "not a seam rule",
                suggest_rule(name),
            ));
        };
        let level_help = Some(
            "use \"off\", \"info\", \"warn\", \"error\", or [\"warn\", { options }]".to_string(),
        );
        let level = |v: &Value| match v {
            Value::StringLit(s) => match s.value.as_ref() {
                "off" => Ok(Level::Off),
                "info" => Ok(Level::Info),
                "warn" | "warning" => Ok(Level::Warn),
                "error" => Ok(Level::Error),
                other => Err(self.error(
                    range_of(v),
                    format!("invalid level `{other}` for `{name}`"),
                    "invalid level",
                    level_help.clone(),
                )),
            },
            other => Err(self.error(
                range_of(other),
                format!("invalid setting for `{name}`"),
                "expected a level",
                level_help.clone(),
            )),
        };
        let setting = match &prop.value {
            Value::Array(a) => {
                let Some(first) = a.elements.first() else {
                    return Err(self.error(
                        range_of(&prop.value),
                        format!("empty setting for `{name}`"),
                        "expected [level, options]",
                        level_help,
                    ));
                };
                let options = a.elements.get(1);
                if a.elements.len() > 2 {
                    return Err(self.error(
                        range_of(&a.elements[2]),
                        "expected at most [level, options]".into(),
                        "unexpected",
                        None,
                    ));
                }
                let options_json = match options {
                    Some(o @ Value::Object(_)) => {
                        let json: serde_json::Value = o.clone().into();
                        (rule.validate_options)(&json).map_err(|message| {
                            self.error(
                                range_of(o),
                                format!("invalid options for `{name}`: {message}"),
                                "invalid options",
                                None,
                            )
                        })?;
                        Some(json)
                    }
                    Some(other) => {
                        return Err(self.error(
                            range_of(other),
                            format!("options for `{name}` must be an object"),
                            "expected `{ ... }`",
                            None,
                        ))
                    }
                    None => None,
                };
                RuleSetting {
                    level: level(first)?,
                    options: options_json,
                }
            }
            other => RuleSetting {
                level: level(other)?,
                options: None,
            },
        };
        Ok((name.to_string(), setting))
    }

    /// Checks the settings seam's rules read (other keys are left alone): module lists and
    /// `auth.{functions,wrappers,publicActions}` and `actions.wrappers` must be arrays of strings.
    fn settings(&self, value: &Value) -> Result<(), Box<ConfigError>> {
        let settings = self.expect_object(value, "settings")?;
        for prop in &settings.properties {
            match prop.name.as_str() {
                "serverOnlyModules" | "clientSafeModules" => {
                    self.string_list(&prop.value, prop.name.as_str())?
                }
                "auth" => {
                    let auth = self.expect_object(&prop.value, "settings.auth")?;
                    for p in &auth.properties {
                        match p.name.as_str() {
                            "functions" | "wrappers" | "publicActions" => self.string_list(
                                &p.value,
                                &format!("settings.auth.{}", p.name.as_str()),
                            )?,
                            other => {
                                return Err(self.error(
                                    name_range(p),
                                    format!("unknown key `settings.auth.{other}`"),
                                    "unknown key",
                                    did_you_mean(
                                        other,
                                        &["functions", "wrappers", "publicActions"],
                                    ),
                                ))
                            }
                        }
                    }
                }
                "actions" => {
                    let actions = self.expect_object(&prop.value, "settings.actions")?;
                    for p in &actions.properties {
                        match p.name.as_str() {
                            "wrappers" => {
                                self.string_list(&p.value, "settings.actions.wrappers")?
                            }
                            other => {
                                return Err(self.error(
                                    name_range(p),
                                    format!("unknown key `settings.actions.{other}`"),
                                    "unknown key",
                                    did_you_mean(other, &["wrappers"]),
                                ))
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn string_list(&self, value: &Value, what: &str) -> Result<(), Box<ConfigError>> {
        let expected = || {
            self.error(
                range_of(value),
                format!("`{what}` must be an array of strings"),
                "expected [\"...\", ...]",
                None,
            )
        };
        let Value::Array(array) = value else {
            return Err(expected());
        };
        match array
            .elements
            .iter()
            .find(|e| !matches!(e, Value::StringLit(_)))
        {
            Some(element) => Err(self.error(
                range_of(element),
                format!("`{what}` must be an array of strings"),
                "expected a string",
                None,
            )),
            None => Ok(()),
        }
    }

    fn globs(&self, value: &Value) -> Result<GlobSet, Box<ConfigError>> {
        let Value::Array(array) = value else {
            return Err(self.error(
                range_of(value),
                "expected an array of glob patterns".into(),
                "expected [\"glob\", ...]",
                None,
            ));
        };
        let mut builder = GlobSetBuilder::new();
        for element in &array.elements {
            let Value::StringLit(s) = element else {
                return Err(self.error(
                    range_of(element),
                    "glob patterns must be strings".into(),
                    "expected a string",
                    None,
                ));
            };
            let glob = Glob::new(&s.value).map_err(|e| {
                self.error(
                    range_of(element),
                    format!("invalid glob: {e}"),
                    "invalid glob",
                    None,
                )
            })?;
            builder.add(glob);
        }
        builder
            .build()
            .map_err(|e| self.error(range_of(value), format!("invalid globs: {e}"), "here", None))
    }

    fn overrides(&self, value: &Value) -> Result<Vec<Override>, Box<ConfigError>> {
        let Value::Array(array) = value else {
            return Err(self.error(
                range_of(value),
                "`overrides` must be an array".into(),
                "expected [ { files, rules } ]",
                None,
            ));
        };
        let mut out = Vec::new();
        for element in &array.elements {
            let object = self.expect_object(element, "overrides[]")?;
            let mut files = None;
            let mut rules = Vec::new();
            for prop in &object.properties {
                match prop.name.as_str() {
                    "files" => files = Some(self.globs(&prop.value)?),
                    "rules" => rules = self.rules(&prop.value)?,
                    other => {
                        return Err(self.error(
                            name_range(prop),
                            format!("unknown key `{other}` in override"),
                            "unknown key",
                            did_you_mean(other, &["files", "rules"]),
                        ))
                    }
                }
            }
            let Some(files) = files else {
                return Err(self.error(
                    range_of(element),
                    "an override needs `files`".into(),
                    "missing `files`",
                    None,
                ));
            };
            out.push(Override { files, rules });
        }
        Ok(out)
    }
}

/// Finds the config for each directory: the nearest `seam.json` at or above it (closest wins).
#[derive(Default)]
pub struct ConfigResolver {
    cache: std::collections::HashMap<PathBuf, Option<Arc<Config>>>,
    /// An explicit `--config`, used for every file.
    pub explicit: Option<Arc<Config>>,
}

impl ConfigResolver {
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, Box<ConfigError>> {
        if let Some(explicit) = &self.explicit {
            return Ok(Some(explicit.clone()));
        }
        if let Some(cached) = self.cache.get(dir) {
            return Ok(cached.clone());
        }
        let candidate = dir.join(FILE_NAME);
        let found = if candidate.is_file() {
            Some(Arc::new(Config::load(&candidate)?))
        } else {
            match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            }
        };
        self.cache.insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }
}
