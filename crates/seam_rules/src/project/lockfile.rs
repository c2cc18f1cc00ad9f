//! Exact installed versions from the lockfile of a project or of the workspace around it:
//! package-lock.json, pnpm-lock.yaml, yarn.lock (classic and berry) and bun.lock. Each format
//! is read for the few fields needed, without building the whole document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub(super) struct Lockfile {
    pub file_name: &'static str,
    pub path: PathBuf,
    text: String,
    /// The project's directory relative to the lockfile's, with `/` separators (`.` for the same).
    importer: String,
}

const LOCKFILES: &[&str] = &[
    "pnpm-lock.yaml",
    "package-lock.json",
    "yarn.lock",
    "bun.lock",
];

/// The nearest lockfile at or above `dir`.
pub(super) fn find(dir: &Path) -> Option<Lockfile> {
    let mut current: Option<&Path> = Some(dir);
    while let Some(d) = current {
        for name in LOCKFILES {
            let path = d.join(name);
            let limit = seam_diagnostics::files::CONFIG_FILE_LIMIT;
            let text = seam_diagnostics::files::read_text_bounded(&path, limit).and_then(|t| {
                // package-lock.json and bun.lock are JSON: parsers recurse per level.
                if name.ends_with(".json") || *name == "bun.lock" {
                    seam_diagnostics::files::check_json_depth(&t)?;
                }
                Ok(t)
            });
            if let Ok(text) = text {
                return Some(Lockfile {
                    file_name: name,
                    path,
                    text,
                    importer: importer_path(d, dir),
                });
            }
        }
        current = d.parent();
    }
    None
}

fn importer_path(lock_dir: &Path, project: &Path) -> String {
    let relative: PathBuf = project.strip_prefix(lock_dir).unwrap_or(project).into();
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

impl Lockfile {
    /// The version of `name` installed for this project; `declared` is package.json's range.
    pub fn version_of(&self, name: &str, declared: &str) -> Option<semver::Version> {
        let raw = match self.file_name {
            "pnpm-lock.yaml" => pnpm(&self.text, &self.importer, name),
            "package-lock.json" => npm(&self.text, &self.importer, name),
            "yarn.lock" => yarn(&self.text, name, declared),
            "bun.lock" => bun(&self.text, &self.importer, name),
            _ => None,
        }?;
        parse_version(&raw)
    }
}

/// `15.5.8(@opentelemetry/api@1.9.0)(react@19.1.3)` or `13.4.1_react@18` -> 15.5.8 / 13.4.1.
fn parse_version(raw: &str) -> Option<semver::Version> {
    let raw = raw.trim().trim_matches(|c| c == '\'' || c == '"');
    let end = raw.find(['(', '_']).unwrap_or(raw.len());
    semver::Version::parse(&raw[..end]).ok()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn yaml_key(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    let key = trimmed
        .strip_suffix(':')
        .or_else(|| trimmed.split_once(": ").map(|(k, _)| k))?;
    Some(key.trim_matches(|c| c == '\'' || c == '"'))
}

fn yaml_value(line: &str) -> Option<&str> {
    line.trim().split_once(": ").map(|(_, v)| v.trim())
}

/// pnpm v6–v9: `importers: <dir>: dependencies: <name>: version: X` (or `<name>: X` in v5
/// and in lockfiles without importers).
fn pnpm(text: &str, importer: &str, name: &str) -> Option<String> {
    // Only the top of the file matters (importers, or v5's top-level dependencies); the
    // `packages:` section after it can be most of a large lockfile.
    let head = || text.lines().take_while(|l| *l != "packages:");
    let find_dependency = |block: Vec<&str>, depth: usize| -> Option<String> {
        let mut in_deps = false;
        for (i, line) in block.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let level = indent(line);
            if level == depth {
                in_deps = matches!(
                    yaml_key(line),
                    Some("dependencies" | "devDependencies" | "optionalDependencies")
                );
            } else if in_deps && level == depth + 2 && yaml_key(line) == Some(name) {
                if let Some(v) = yaml_value(line) {
                    return Some(v.to_string());
                }
                return block[i + 1..]
                    .iter()
                    .take_while(|l| indent(l) > depth + 2)
                    .find(|l| yaml_key(l) == Some("version"))
                    .and_then(|l| yaml_value(l))
                    .map(str::to_string);
            }
        }
        None
    };
    let mut lines = head();
    match lines.by_ref().position(|l| l == "importers:") {
        Some(_) => {
            let block: Vec<&str> = lines
                .take_while(|l| l.trim().is_empty() || indent(l) > 0)
                .collect();
            let at = block
                .iter()
                .position(|l| indent(l) == 2 && yaml_key(l) == Some(importer))?;
            let importer_block: Vec<&str> = block[at + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || indent(l) > 2)
                .copied()
                .collect();
            find_dependency(importer_block, 4)
        }
        None if importer == "." => find_dependency(head().collect(), 0),
        None => None,
    }
}

type Parsed = HashMap<(usize, u64), (Arc<str>, Option<Arc<serde_json::Value>>)>;
static PARSED: std::sync::LazyLock<Mutex<Parsed>> = std::sync::LazyLock::new(Mutex::default);

/// Lets go of the lockfiles `parsed_json` keeps, once every project is loaded: on a monorepo
/// with a large package-lock.json they would otherwise stay in memory for the whole run.
pub(crate) fn forget_parsed() {
    if let Ok(mut parsed) = PARSED.lock() {
        *parsed = Parsed::default();
    }
}

/// A JSON lockfile parsed once while projects load (see `forget_parsed`): every package.json of a monorepo reads the same
/// lockfile, several dependencies each, and a large package-lock.json takes milliseconds to parse.
fn parsed_json(
    text: &str,
    parse: fn(&str) -> Option<serde_json::Value>,
) -> Option<Arc<serde_json::Value>> {
    let key = (text.len(), {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut hasher);
        hasher.finish()
    });
    let mut parsed = PARSED.lock().ok()?;
    if let Some((seen, json)) = parsed.get(&key) {
        if **seen == *text {
            return json.clone();
        }
    }
    let json = parse(text).map(Arc::new);
    parsed.insert(key, (Arc::from(text), json.clone()));
    json
}

/// npm v2/v3 `packages["<dir>/node_modules/<name>"]`, then the hoisted `node_modules/<name>`;
/// v1 `dependencies.<name>.version`.
fn npm(text: &str, importer: &str, name: &str) -> Option<String> {
    let json = parsed_json(text, |t| serde_json::from_str(t).ok())?;
    let version = |key: &str| {
        json.get("packages")?
            .get(key)?
            .get("version")?
            .as_str()
            .map(str::to_string)
    };
    let nested = (importer != ".")
        .then(|| version(&format!("{importer}/node_modules/{name}")))
        .flatten();
    nested
        .or_else(|| version(&format!("node_modules/{name}")))
        .or_else(|| {
            json.get("dependencies")?
                .get(name)?
                .get("version")?
                .as_str()
                .map(str::to_string)
        })
}

/// yarn.lock: the entry whose descriptors include `<name>@<declared>`; with one entry for the
/// package, that one.
fn yarn(text: &str, name: &str, declared: &str) -> Option<String> {
    let mut entries: Vec<(bool, String)> = Vec::new();
    let mut current: Option<bool> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            let descriptors: Vec<&str> = line
                .trim_end_matches(':')
                .split(", ")
                .map(|d| d.trim_matches('"'))
                .collect();
            let ours: Vec<&str> = descriptors
                .iter()
                .filter_map(|d| d.strip_prefix(name)?.strip_prefix('@'))
                .collect();
            current = (!ours.is_empty()).then(|| {
                ours.iter()
                    .any(|range| *range == declared || range.strip_prefix("npm:") == Some(declared))
            });
        } else if let Some(matches) = current {
            let trimmed = line.trim();
            let version = trimmed
                .strip_prefix("version ")
                .or_else(|| trimmed.strip_prefix("version: "));
            if let Some(v) = version {
                entries.push((matches, v.trim_matches('"').to_string()));
                current = None;
            }
        }
    }
    match entries.iter().find(|(matches, _)| *matches) {
        Some((_, v)) => Some(v.clone()),
        None if entries.len() == 1 => Some(entries[0].1.clone()),
        None => None,
    }
}

/// bun.lock (JSON with trailing commas): `packages["<name>"] = ["<name>@<version>", ...]`, or
/// the workspace-scoped `packages["<workspace>/<name>"]`.
fn bun(text: &str, importer: &str, name: &str) -> Option<String> {
    let json = parsed_json(text, |t| {
        jsonc_parser::parse_to_serde_value(t, &Default::default())
            .ok()
            .flatten()
    })?;
    let packages = json.get("packages")?;
    let entry = (importer != ".")
        .then(|| packages.get(format!("{importer}/{name}")))
        .flatten()
        .or_else(|| packages.get(name))?;
    let spec = entry.get(0)?.as_str()?;
    spec.rsplit_once('@').map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnpm_reads_the_importer_of_the_project() {
        let text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      turbo:\n        specifier: 2.0.0\n        version: 2.0.0\n\n  apps/web:\n    dependencies:\n      next:\n        specifier: ^15.5.0\n        version: 15.5.8(@opentelemetry/api@1.9.0)(react@19.1.3)\n      react:\n        specifier: 19.1.3\n        version: 19.1.3\n\npackages:\n\n  next@15.5.8:\n    resolution: {integrity: x}\n";
        assert_eq!(
            pnpm(text, "apps/web", "next").as_deref(),
            Some("15.5.8(@opentelemetry/api@1.9.0)(react@19.1.3)")
        );
        assert_eq!(
            parse_version(&pnpm(text, "apps/web", "next").unwrap()),
            semver::Version::parse("15.5.8").ok()
        );
        assert_eq!(pnpm(text, ".", "next"), None);
    }

    #[test]
    fn pnpm_v5_without_importers() {
        let text = "lockfileVersion: 5.4\n\nspecifiers:\n  next: 13.4.1\n\ndependencies:\n  next: 13.4.1_react@18.2.0\n  react: 18.2.0\n";
        assert_eq!(
            parse_version(&pnpm(text, ".", "next").unwrap()),
            semver::Version::parse("13.4.1").ok()
        );
    }

    #[test]
    fn npm_prefers_the_workspace_copy() {
        let text = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/next":{"version":"14.2.3"},"apps/web/node_modules/next":{"version":"15.2.2"}}}"#;
        assert_eq!(npm(text, "apps/web", "next").as_deref(), Some("15.2.2"));
        assert_eq!(npm(text, ".", "next").as_deref(), Some("14.2.3"));
    }

    #[test]
    fn yarn_classic_and_berry() {
        let classic = "# yarn lockfile v1\n\nnext@^14.1.0, next@^14.2.0:\n  version \"14.2.3\"\n  resolved \"x\"\n\nnext@^13.0.0:\n  version \"13.5.1\"\n";
        assert_eq!(yarn(classic, "next", "^14.1.0").as_deref(), Some("14.2.3"));
        assert_eq!(yarn(classic, "next", "^13.0.0").as_deref(), Some("13.5.1"));
        let berry = "__metadata:\n  version: 8\n\n\"next@npm:^15.1.0\":\n  version: 15.1.7\n  resolution: \"next@npm:15.1.7\"\n";
        assert_eq!(yarn(berry, "next", "^15.1.0").as_deref(), Some("15.1.7"));
        assert_eq!(yarn(berry, "next-auth", "^5.0.0"), None);
    }

    #[test]
    fn bun_with_trailing_commas() {
        let text = "{\n  \"lockfileVersion\": 1,\n  \"packages\": {\n    \"next\": [\"next@16.0.10\", \"\", {}, \"sha512-x\"],\n  },\n}\n";
        assert_eq!(bun(text, ".", "next").as_deref(), Some("16.0.10"));
    }
}
