//! Projects and workspaces on disk: which folder is analysed as one whole with a file.
//!
//! A file's findings may depend on every file of its *analysis root*: the workspace whose
//! members include the file's package (`pnpm-workspace.yaml`, package.json `workspaces`), or
//! else the package itself (the nearest package.json), or else the nearest tsconfig/jsconfig or
//! git repository. The linter analyses each root as a whole, whatever paths were named and
//! whatever else a run checks, so a file's findings are the same however seam is started.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap as HashMap;

/// A workspace root's member patterns.
#[derive(Debug)]
pub struct Members {
    include: GlobSet,
    exclude: GlobSet,
    /// The patterns as written (for expanding them into folders).
    patterns: Vec<String>,
}

impl Members {
    /// Whether the package in `relative` (a folder below the workspace root) is a member.
    pub fn contains(&self, relative: &Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }

    /// The member patterns (without negations), as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

/// Answers "which analysis root holds this folder", cached per folder.
#[derive(Default)]
pub struct Workspaces {
    roots: HashMap<PathBuf, Option<PathBuf>>,
    packages: HashMap<PathBuf, Option<PathBuf>>,
    /// Package folder -> the workspace root that claims it.
    claimed_by: HashMap<PathBuf, Option<PathBuf>>,
    members: HashMap<PathBuf, Option<std::sync::Arc<Members>>>,
}

impl Workspaces {
    /// The analysis root of the files in `dir` (an absolute folder); None for loose files
    /// (no package.json, tsconfig/jsconfig or git repository above them).
    pub fn analysis_root(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.roots.get(dir) {
            return known.clone();
        }
        let root = match self.package_dir(dir) {
            Some(package) => Some(self.workspace_of(&package).unwrap_or(package)),
            None => dir
                .ancestors()
                .find(|a| {
                    ["tsconfig.json", "jsconfig.json", ".git"]
                        .iter()
                        .any(|m| a.join(m).exists())
                })
                .map(Path::to_path_buf),
        };
        self.roots.insert(dir.to_path_buf(), root.clone());
        root
    }

    /// The nearest folder with a package.json, `dir` included.
    pub fn package_dir(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.packages.get(dir) {
            return known.clone();
        }
        let found = if dir.join("package.json").is_file() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|parent| self.package_dir(parent))
        };
        self.packages.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The workspace root above `package` that claims it as a member. The search stops at the
    /// first workspace root (a workspace that does not list the package leaves it on its own)
    /// and at the repository root.
    fn workspace_of(&mut self, package: &Path) -> Option<PathBuf> {
        if let Some(known) = self.claimed_by.get(package) {
            return known.clone();
        }
        let found = self.find_workspace_of(package);
        self.claimed_by.insert(package.to_path_buf(), found.clone());
        found
    }

    fn find_workspace_of(&mut self, package: &Path) -> Option<PathBuf> {
        for ancestor in package.ancestors().skip(1) {
            if let Some(members) = self.members_of(ancestor) {
                let relative = package.strip_prefix(ancestor).ok()?;
                return members.contains(relative).then(|| ancestor.to_path_buf());
            }
            if ancestor.join(".git").exists() {
                return None;
            }
        }
        None
    }

    /// The member patterns of `dir` when it is a workspace root.
    pub fn members_of(&mut self, dir: &Path) -> Option<std::sync::Arc<Members>> {
        if let Some(known) = self.members.get(dir) {
            return known.clone();
        }
        let members = read_member_patterns(dir).map(|p| std::sync::Arc::new(compile(p)));
        self.members.insert(dir.to_path_buf(), members.clone());
        members
    }
}

/// The member packages of the workspace rooted at `root`, by the `name` in their package.json.
/// Patterns are expanded by listing folders below their literal prefix (`packages/*` lists
/// `packages/`), never into `node_modules` or hidden folders.
pub fn member_packages(root: &Path, members: &Members) -> HashMap<String, PathBuf> {
    let mut found = HashMap::default();
    for pattern in members.patterns() {
        let literal: PathBuf = Path::new(pattern)
            .components()
            .take_while(|c| {
                !c.as_os_str()
                    .to_string_lossy()
                    .contains(['*', '?', '[', '{'])
            })
            .collect();
        let depth = if pattern.contains("**") {
            6
        } else {
            Path::new(pattern).components().count() - literal.components().count()
        };
        let mut pending = vec![(root.join(&literal), 0)];
        while let Some((dir, level)) = pending.pop() {
            let relative = dir.strip_prefix(root).unwrap_or(&dir);
            if level > 0 || depth == 0 {
                if let Some(name) = package_name_in(&dir).filter(|_| members.contains(relative)) {
                    found.entry(name).or_insert(dir.clone());
                }
            }
            if level >= depth {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let skip = name == "node_modules" || name.to_string_lossy().starts_with('.');
                if !skip && entry.file_type().is_ok_and(|t| t.is_dir()) {
                    pending.push((entry.path(), level + 1));
                }
            }
        }
    }
    found
}

/// The `name` in `dir/package.json`.
fn package_name_in(dir: &Path) -> Option<String> {
    let text = crate::read_config_file(&dir.join("package.json"))?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("name")?.as_str().map(str::to_string)
}

/// The workspace patterns declared in `dir`: `pnpm-workspace.yaml`'s `packages`, or
/// package.json's `workspaces` (an array, or `{ "packages": [...] }` as Yarn writes it).
fn read_member_patterns(dir: &Path) -> Option<Vec<String>> {
    if let Some(text) = crate::read_config_file(&dir.join("pnpm-workspace.yaml")) {
        return Some(pnpm_packages(&text));
    }
    let text = crate::read_config_file(&dir.join("package.json"))?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let workspaces = json.get("workspaces")?;
    let list = workspaces
        .as_array()
        .or_else(|| workspaces.get("packages")?.as_array())?;
    Some(
        list.iter()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect(),
    )
}

/// The `packages:` list of a pnpm-workspace.yaml (block style, as pnpm documents it, or a
/// one-line flow list).
fn pnpm_packages(text: &str) -> Vec<String> {
    let mut patterns = Vec::new();
    let mut in_packages = false;
    for line in text.lines() {
        let content = line.split(" #").next().unwrap_or("").trim_end();
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let indented = content.starts_with([' ', '\t', '-']);
        if !indented {
            in_packages = false;
            if let Some(rest) = content.strip_prefix("packages:") {
                let rest = rest.trim();
                if let Some(flow) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                    patterns.extend(flow.split(',').map(unquote).filter(|p| !p.is_empty()));
                } else {
                    in_packages = true;
                }
            }
            continue;
        }
        if in_packages {
            if let Some(item) = content.trim_start().strip_prefix('-') {
                patterns.push(unquote(item));
            }
        }
    }
    patterns
}

fn unquote(text: &str) -> String {
    text.trim().trim_matches(['\'', '"']).trim().to_string()
}

fn compile(patterns: Vec<String>) -> Members {
    let mut include = GlobSetBuilder::new();
    let mut exclude = GlobSetBuilder::new();
    let mut kept = Vec::new();
    for pattern in patterns {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, pattern.as_str()),
        };
        let cleaned = pattern.trim_start_matches("./").trim_end_matches('/');
        let Ok(glob) = Glob::new(cleaned) else {
            continue;
        };
        if negated {
            exclude.add(glob);
        } else {
            include.add(glob);
            kept.push(cleaned.to_string());
        }
    }
    Members {
        include: include.build().unwrap_or_else(|_| GlobSet::empty()),
        exclude: exclude.build().unwrap_or_else(|_| GlobSet::empty()),
        patterns: kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, file: &str, text: &str) {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn pnpm_workspace_lists_are_read_in_both_styles() {
        let block = "packages:\n  - 'apps/*'\n  - \"packages/**\" # shared\n  - '!**/test/**'\ncatalog:\n  react: 19\n";
        assert_eq!(
            pnpm_packages(block),
            ["apps/*", "packages/**", "!**/test/**"]
        );
        assert_eq!(
            pnpm_packages("packages: [apps/*, 'tooling/*']"),
            ["apps/*", "tooling/*"]
        );
    }

    #[test]
    fn a_member_package_is_analysed_with_its_workspace_and_a_non_member_alone() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, ".git/HEAD", "");
        write(
            &root,
            "package.json",
            r#"{ "workspaces": ["apps/*", "!apps/legacy"] }"#,
        );
        write(&root, "apps/web/package.json", "{}");
        write(&root, "apps/legacy/package.json", "{}");
        write(&root, "examples/demo/package.json", "{}");
        write(&root, "loose/tsconfig.json", "{}");
        let mut workspaces = Workspaces::default();
        let at = |w: &mut Workspaces, dir: &str| w.analysis_root(&root.join(dir));
        assert_eq!(at(&mut workspaces, "apps/web/app/x"), Some(root.clone()));
        assert_eq!(
            at(&mut workspaces, "apps/legacy/src"),
            Some(root.join("apps/legacy"))
        );
        assert_eq!(
            at(&mut workspaces, "examples/demo"),
            Some(root.join("examples/demo"))
        );
        // The root package.json is the nearest one above a folder with only a tsconfig.
        assert_eq!(at(&mut workspaces, "loose/src"), Some(root.clone()));
    }

    #[test]
    fn without_a_package_json_the_nearest_tsconfig_or_repository_decides() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "a/tsconfig.json", "{}");
        write(&root, "b/.git/HEAD", "");
        let mut workspaces = Workspaces::default();
        assert_eq!(
            workspaces.analysis_root(&root.join("a/lib")),
            Some(root.join("a"))
        );
        assert_eq!(
            workspaces.analysis_root(&root.join("b/src")),
            Some(root.join("b"))
        );
    }
}
