//! Module resolution with oxc_resolver: one resolver and one file-system cache, with each file's
//! nearest tsconfig.json/jsconfig.json (monorepos have several) passed explicitly for every
//! resolution. oxc_resolver keeps a resolver's manual tsconfig in its shared cache (at `/`), so
//! resolvers that share a cache would all use whichever config was loaded first.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use oxc_resolver::{
    AliasValue, ResolveContext, ResolveOptions, ResolverGeneric, TsConfig, TsconfigDiscovery,
    TsconfigOptions, TsconfigReferences,
};

mod fs;

type Resolver = ResolverGeneric<fs::SeamFs>;

/// Where an import specifier leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A source file of the project (or of a workspace package), by absolute path.
    File(PathBuf),
    /// A package in `node_modules` or a Node built-in, by its specifier (`pg`, `node:fs`,
    /// `drizzle-orm/postgres-js`). seam never parses these.
    Package(String),
    /// Cannot be resolved (missing file, unknown alias) or a non-source file (`.css`, `.d.ts`).
    Unresolved,
}

/// Node's built-in modules that have no browser fallback in Next.js's client bundles, plus
/// the ones that do; every bare name here is a package, never a file.
const NODE_BUILTINS: &[&str] = &[
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "events",
    "fs",
    "fs/promises",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

pub fn is_node_builtin(specifier: &str) -> bool {
    specifier.starts_with("node:")
        || NODE_BUILTINS.contains(&specifier)
        || specifier
            .split_once('/')
            .is_some_and(|(head, _)| NODE_BUILTINS.contains(&head))
}

/// Extensions tried for extension-less specifiers, TypeScript first.
const EXTENSIONS: &[&str] = &[
    ".tsx", ".ts", ".jsx", ".js", ".mts", ".mjs", ".cts", ".cjs", ".json",
];

fn base_options() -> ResolveOptions {
    ResolveOptions {
        extensions: EXTENSIONS.iter().map(|e| e.to_string()).collect(),
        // TypeScript's ESM convention: `./format.js` names `format.ts`.
        extension_alias: vec![
            (
                ".js".into(),
                vec![".ts".into(), ".tsx".into(), ".js".into(), ".jsx".into()],
            ),
            (".jsx".into(), vec![".tsx".into(), ".jsx".into()]),
            (".mjs".into(), vec![".mts".into(), ".mjs".into()]),
            (".cjs".into(), vec![".cts".into(), ".cjs".into()]),
        ],
        condition_names: vec![
            "import".into(),
            "module".into(),
            "require".into(),
            "node".into(),
            "default".into(),
        ],
        main_fields: vec!["module".into(), "main".into()],
        builtin_modules: false,
        ..ResolveOptions::default()
    }
}

/// How the files under one tsconfig/jsconfig resolve: with the config (passed to every
/// resolution), or, when it cannot be loaded, with a resolver whose aliases are its `paths`.
#[derive(Clone)]
enum ConfigResolution {
    None,
    Tsconfig(Arc<TsConfig>),
    Aliases(Arc<Resolver>),
}

/// What resolving from one file needs, looked up once per file: how its config resolves and
/// the keys of the bare-specifier cache.
pub struct FileResolver {
    resolution: ConfigResolution,
    config: Option<PathBuf>,
    package: Option<PathBuf>,
}

/// (nearest package.json, nearest tsconfig/jsconfig, specifier).
type BareKey = (Option<PathBuf>, Option<PathBuf>, String);

/// Resolves specifiers from files, each with its nearest tsconfig.json or jsconfig.json.
pub struct Resolvers {
    /// Given a config with every resolution.
    base: Resolver,
    /// For files under no config (shares `base`'s cache).
    plain: Resolver,
    /// Config files resolution could not use (a broken package.json, a tsconfig that cannot be
    /// loaded), with why.
    problems: fs::Problems,
    by_config: Mutex<HashMap<PathBuf, ConfigResolution>>,
    nearest_config: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    nearest_package: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Bare specifiers resolve the same way from every file of one package under one config
    /// (`react`, `@/lib/db`): most imports of a project are answered from here.
    bare: Mutex<HashMap<BareKey, Target>>,
    /// Relative specifiers by (config, directory, specifier), when kept (`remembering`): a
    /// resolver that lives across checks answers an unchanged file's imports without asking
    /// the file system again.
    relative: Option<Mutex<HashMap<RelativeKey, Target>>>,
    /// Workspace roots and their member packages by name, for imports of workspace packages
    /// that are not linked into node_modules (a fresh clone).
    workspaces: Mutex<WorkspaceIndex>,
    /// Each module's resolved imports with the facts they were resolved from, when remembering:
    /// a module whose facts are the same (shared) value resolves to the same targets.
    modules: Option<Mutex<HashMap<PathBuf, ResolvedModule>>>,
}

/// A module's facts and the targets of its imports (import index, target, survives compilation).
pub type ResolvedModule = (Arc<seam_syntax::FileFacts>, Arc<[(usize, Target, bool)]>);

/// (nearest tsconfig/jsconfig, importing directory, specifier).
type RelativeKey = (Option<PathBuf>, PathBuf, String);

impl Default for Resolvers {
    fn default() -> Self {
        Self::new()
    }
}

impl Resolvers {
    pub fn new() -> Self {
        let problems = fs::Problems::default();
        let base = Resolver::new_with_file_system(
            fs::SeamFs::with_problems(problems.clone()),
            ResolveOptions {
                // Only so that configs load and apply with their `references`. This
                // resolver is always given the file's config (`resolve_with_context`): its
                // `resolve` would load this placeholder into the shared cache.
                tsconfig: Some(TsconfigDiscovery::Manual(TsconfigOptions {
                    config_file: PathBuf::from("/seam-placeholder/tsconfig.json"),
                    references: TsconfigReferences::Auto,
                })),
                ..base_options()
            },
        );
        Self {
            plain: base.clone_with_options(base_options()),
            base,
            problems,
            by_config: Mutex::default(),
            nearest_config: Mutex::default(),
            nearest_package: Mutex::default(),
            bare: Mutex::default(),
            relative: None,
            workspaces: Mutex::default(),
            modules: None,
        }
    }

    /// Resolvers that also remember relative specifiers: for a caller that resolves the same
    /// files again and again while the file system stays the same (the language server drops
    /// them when files change on disk). A single run resolves most relative specifiers once,
    /// so remembering them would only cost memory there.
    pub fn remembering() -> Self {
        Self {
            relative: Some(Mutex::default()),
            modules: Some(Mutex::default()),
            ..Self::new()
        }
    }

    /// The nearest tsconfig.json (preferred) or jsconfig.json above `dir`, cached per directory.
    fn config_for(&self, dir: &Path) -> Option<PathBuf> {
        nearest(
            &self.nearest_config,
            dir,
            &["tsconfig.json", "jsconfig.json"],
        )
    }

    /// The nearest directory with a package.json, as the file itself; cached per directory.
    fn package_for(&self, dir: &Path) -> Option<PathBuf> {
        nearest(&self.nearest_package, dir, &["package.json"])
    }

    /// The tsconfig/jsconfig and package.json files that resolution looked at (for the cache:
    /// a change in one of them can change where imports go).
    pub fn files_read(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .by_config
            .lock()
            .expect("resolver cache")
            .keys()
            .filter(|k| !k.as_os_str().is_empty())
            .cloned()
            .collect();
        files.extend(
            self.nearest_package
                .lock()
                .expect("package cache")
                .values()
                .flatten()
                .cloned(),
        );
        if let Ok(workspaces) = self.workspaces.lock() {
            files.extend(workspaces.files_read());
        }
        files.sort();
        files.dedup();
        files
    }

    /// How every import of `file` resolves: its nearest config, loaded once per config file.
    pub fn for_file(&self, file: &Path) -> FileResolver {
        let dir = file.parent();
        let config = dir.and_then(|dir| self.config_for(dir));
        let package = dir.and_then(|dir| self.package_for(dir));
        let key = config.clone().unwrap_or_default();
        let known = self
            .by_config
            .lock()
            .expect("resolver cache")
            .get(&key)
            .cloned();
        let resolution = known.unwrap_or_else(|| {
            let loaded = self.load_config(config.as_deref());
            self.by_config
                .lock()
                .expect("resolver cache")
                .entry(key)
                .or_insert(loaded)
                .clone()
        });
        FileResolver {
            resolution,
            config,
            package,
        }
    }

    /// Loads one config file. When it cannot be loaded (typically an `extends` naming a package
    /// that is not installed), resolution would fail for every import; the config's own `paths`
    /// become aliases instead, so seam still works without `npm install`.
    fn load_config(&self, config: Option<&Path>) -> ConfigResolution {
        let Some(config_file) = config else {
            return ConfigResolution::None;
        };
        match self.base.resolve_tsconfig(config_file) {
            Ok(tsconfig) => ConfigResolution::Tsconfig(tsconfig),
            Err(error) => {
                self.problem(
                    config_file,
                    format!("cannot be loaded ({error}); only its own `paths` are used"),
                );
                ConfigResolution::Aliases(Arc::new(self.plain.clone_with_options(ResolveOptions {
                    alias: paths_as_aliases(config_file),
                    ..base_options()
                })))
            }
        }
    }

    fn problem(&self, path: &Path, message: String) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.entry(path.to_path_buf()).or_insert(message);
        }
    }

    /// The config files resolution could not use, with why, by path.
    pub fn problems(&self) -> Vec<(PathBuf, String)> {
        self.problems
            .lock()
            .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// The imports of the module at `path` as resolved last time, if its facts are the same.
    pub fn remembered(
        &self,
        path: &Path,
        facts: &Arc<seam_syntax::FileFacts>,
    ) -> Option<Arc<[(usize, Target, bool)]>> {
        let modules = self.modules.as_ref()?.lock().ok()?;
        let (known, targets) = modules.get(path)?;
        Arc::ptr_eq(known, facts).then(|| targets.clone())
    }

    /// Keeps a module's resolved imports for `remembered` (when remembering).
    pub fn remember(
        &self,
        path: &Path,
        facts: &Arc<seam_syntax::FileFacts>,
        targets: &Arc<[(usize, Target, bool)]>,
    ) {
        if let Some(Ok(mut modules)) = self.modules.as_ref().map(|m| m.lock()) {
            modules.insert(path.to_path_buf(), (facts.clone(), targets.clone()));
        }
    }

    /// Resolves `specifier` as imported from `file` (an absolute path).
    pub fn resolve(&self, from: &FileResolver, file: &Path, specifier: &str) -> Target {
        if is_node_builtin(specifier) {
            return Target::Package(specifier.to_string());
        }
        let Some(dir) = file.parent() else {
            return Target::Unresolved;
        };
        if is_bare(specifier) {
            let key = (
                from.package.clone(),
                from.config.clone(),
                specifier.to_string(),
            );
            if let Some(known) = self.bare.lock().ok().and_then(|b| b.get(&key).cloned()) {
                return known;
            }
            let target = self.resolve_uncached(from, dir, specifier);
            if let Ok(mut bare) = self.bare.lock() {
                bare.insert(key, target.clone());
            }
            return target;
        }
        let Some(relative) = &self.relative else {
            return self.resolve_uncached(from, dir, specifier);
        };
        let key = (
            from.config.clone(),
            dir.to_path_buf(),
            specifier.to_string(),
        );
        if let Some(known) = relative.lock().ok().and_then(|r| r.get(&key).cloned()) {
            return known;
        }
        let target = self.resolve_uncached(from, dir, specifier);
        if let Ok(mut relative) = relative.lock() {
            relative.insert(key, target.clone());
        }
        target
    }

    fn resolve_uncached(&self, from: &FileResolver, dir: &Path, specifier: &str) -> Target {
        let resolved = match &from.resolution {
            ConfigResolution::None => self.plain.resolve(dir, specifier),
            ConfigResolution::Tsconfig(tsconfig) => self.base.resolve_with_context(
                dir,
                specifier,
                Some(tsconfig),
                &mut ResolveContext::default(),
            ),
            ConfigResolution::Aliases(resolver) => resolver.resolve(dir, specifier),
        };
        match resolved {
            Ok(resolution) => classify(resolution.path(), specifier),
            Err(_) => {
                if is_bare(specifier) {
                    // Not installed here (no node_modules in a fresh checkout): a package of the
                    // workspace, or still a package, unless a path alias claims it.
                    self.workspace_target(dir, specifier)
                        .unwrap_or_else(|| Target::Package(specifier.to_string()))
                } else {
                    Target::Unresolved
                }
            }
        }
    }
}

impl Resolvers {
    /// A workspace package imported from `dir` without a node_modules link: resolved as Node
    /// would resolve it once linked (its `exports` by self-reference, else `main`/index), and
    /// when that names unbuilt output (`dist/`), from its sources (`src/`).
    fn workspace_target(&self, dir: &Path, specifier: &str) -> Option<Target> {
        let name = package_name(specifier);
        let package = self.workspaces.lock().ok()?.member(dir, name)?;
        let subpath = &specifier[name.len()..];
        let mut attempts = vec![self.plain.resolve(&package, specifier)];
        let candidates: Vec<String> = match subpath.trim_start_matches('/') {
            "" => vec!["./".into(), "./src".into(), "./src/index".into()],
            rest => vec![format!("./{rest}"), format!("./src/{rest}")],
        };
        attempts.extend(candidates.iter().map(|c| self.plain.resolve(&package, c)));
        attempts
            .into_iter()
            .flatten()
            .map(|r| classify(r.path(), specifier))
            .find(|t| matches!(t, Target::File(_)))
    }
}

/// Workspace roots found above folders, and their members by package name.
#[derive(Default)]
struct WorkspaceIndex {
    workspaces: crate::workspace::Workspaces,
    /// Folder -> the workspace root above it (None: no workspace).
    roots: HashMap<PathBuf, Option<PathBuf>>,
    members: HashMap<PathBuf, HashMap<String, PathBuf>>,
}

impl WorkspaceIndex {
    /// The files that say what each workspace holds: its root's workspace file and package.json,
    /// and every member's package.json (a renamed or added package changes where imports go).
    fn files_read(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for (root, members) in &self.members {
            files.push(root.join("pnpm-workspace.yaml"));
            files.push(root.join("package.json"));
            files.extend(members.values().map(|dir| dir.join("package.json")));
        }
        files
    }

    /// The folder of the workspace package `name`, in the workspace `dir` belongs to.
    fn member(&mut self, dir: &Path, name: &str) -> Option<PathBuf> {
        let root = self.root_above(dir)?;
        if !self.members.contains_key(&root) {
            let patterns = self.workspaces.members_of(&root)?;
            let members = crate::workspace::member_packages(&root, &patterns);
            self.members.insert(root.clone(), members);
        }
        self.members.get(&root)?.get(name).cloned()
    }

    fn root_above(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.roots.get(dir) {
            return known.clone();
        }
        let found = if self.workspaces.members_of(dir).is_some() {
            Some(dir.to_path_buf())
        } else if dir.join(".git").exists() {
            None
        } else {
            dir.parent().and_then(|parent| self.root_above(parent))
        };
        self.roots.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// A tsconfig's own `compilerOptions.paths` as resolver aliases (`"@/lib/*": ["lib/*"]` becomes
/// `@/lib` -> `<baseUrl>/lib`), for when the config as a whole cannot be loaded.
fn paths_as_aliases(config_file: &Path) -> Vec<(String, Vec<AliasValue>)> {
    let Ok(text) = std::fs::read_to_string(config_file) else {
        return Vec::new();
    };
    let Ok(Some(json)) = jsonc_parser::parse_to_serde_value(&text, &Default::default()) else {
        return Vec::new();
    };
    let dir = config_file.parent().unwrap_or(Path::new("/"));
    let options = &json["compilerOptions"];
    let base = dir.join(options["baseUrl"].as_str().unwrap_or("."));
    let Some(paths) = options["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .filter_map(|(key, targets)| {
            let targets: Vec<AliasValue> = targets
                .as_array()?
                .iter()
                .filter_map(|t| t.as_str())
                .map(|t| {
                    let target = t.strip_suffix("/*").unwrap_or(t);
                    AliasValue::Path(base.join(target).to_string_lossy().into_owned())
                })
                .collect();
            let key = match key.strip_suffix("/*") {
                Some(prefix) => prefix.to_string(),
                None => format!("{key}$"),
            };
            Some((key, targets))
        })
        .collect()
}

/// The first of `names` found in `dir` or above it, memoised per directory in `cache`.
fn nearest(
    cache: &Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    dir: &Path,
    names: &[&str],
) -> Option<PathBuf> {
    if let Some(found) = cache.lock().ok()?.get(dir) {
        return found.clone();
    }
    let found = names
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
        .or_else(|| {
            dir.parent()
                .and_then(|parent| nearest(cache, parent, names))
        });
    if let Ok(mut cache) = cache.lock() {
        cache.insert(dir.to_path_buf(), found.clone());
    }
    found
}

/// `react`, `@acme/db/schema`: not relative, not absolute, not a `#` import.
pub fn is_bare(specifier: &str) -> bool {
    !(specifier.starts_with('.') || specifier.starts_with('/') || specifier.starts_with('#'))
}

fn classify(path: &Path, specifier: &str) -> Target {
    if path.components().any(|c| c.as_os_str() == "node_modules") {
        return Target::Package(specifier.to_string());
    }
    if seam_syntax::is_lintable(path) {
        Target::File(path.to_path_buf())
    } else {
        Target::Unresolved
    }
}

/// The package a bare specifier names: `@acme/db/schema` -> `@acme/db`, `pg/lib` -> `pg`.
pub fn package_name(specifier: &str) -> &str {
    let specifier = specifier.strip_prefix("node:").unwrap_or(specifier);
    let mut parts = specifier.splitn(3, '/');
    let first = parts.next().unwrap_or("");
    if first.starts_with('@') {
        match parts.next() {
            Some(second) => &specifier[..first.len() + 1 + second.len()],
            None => first,
        }
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_and_builtins() {
        assert_eq!(package_name("@acme/db/schema"), "@acme/db");
        assert_eq!(package_name("pg/lib/client"), "pg");
        assert_eq!(package_name("node:fs/promises"), "fs");
        assert!(is_node_builtin("fs/promises"));
        assert!(is_node_builtin("node:test"));
        assert!(!is_node_builtin("fsevents"));
        assert!(!is_bare("./x") && !is_bare("#/lib") && is_bare("@/lib/db"));
    }
}
