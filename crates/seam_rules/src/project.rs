//! What seam knows about the project a file belongs to (the nearest directory with a
//! package.json): the installed versions of `next` and React's server packages, preferring a
//! lockfile's exact version to package.json's range, and the statically read next.config.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use seam_diagnostics::TextRange;
use seam_syntax::next_config::{read_next_config, NextConfig, NEXT_CONFIG_FILES};

mod lockfile;

/// Packages whose versions rules ask about.
pub const VERSIONED_PACKAGES: &[&str] = &[
    "next",
    "react",
    "react-dom",
    "react-server-dom-webpack",
    "react-server-dom-turbopack",
    "react-server-dom-parcel",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    /// As package.json declares it (`^15.5.4`, `workspace:*`).
    pub declared: String,
    /// The `"name": "range"` member in package.json.
    pub range: TextRange,
    /// The exact installed version: from a lockfile, or an exact pin in package.json.
    pub installed: Option<semver::Version>,
    /// Where `installed` came from (a lockfile's file name, or `package.json`).
    pub source: Option<&'static str>,
    /// The lockfile `installed` came from: every package.json of a workspace shares one.
    pub lockfile: Option<PathBuf>,
    /// Declared only as a peer dependency: the package does not install it itself.
    pub peer: bool,
}

/// The package.json of a project, with its dependencies of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub path: PathBuf,
    pub text: String,
    pub dependencies: Vec<Dependency>,
}

/// The next.config file of a project and what a static read of it found.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedNextConfig {
    /// The file name (`next.config.ts`), relative to the project root.
    pub file: String,
    pub config: NextConfig,
}

/// What the linter knows about the project a file belongs to.
#[derive(Debug, Clone, Default)]
pub struct ProjectInfo {
    /// Major version of `next`; None when unknown (assume newest).
    pub next_major: Option<u64>,
    /// The installed `next` version when a lockfile or an exact pin tells it.
    pub next_version: Option<semver::Version>,
    /// The package.json depends on an auth library (so the project has an auth system even
    /// when the files seam sees do not import it).
    pub auth_dependency: bool,
    pub manifest: Option<Arc<Manifest>>,
    /// None when the project has no next.config file.
    pub next_config: Option<Arc<LoadedNextConfig>>,
}

const DEPENDENCY_FIELDS: &[&str] = &["dependencies", "devDependencies", "peerDependencies"];

/// Frees what loading projects cached for the next one (parsed lockfiles); call it once every
/// project of a run is loaded.
pub fn forget_loading_caches() {
    lockfile::forget_parsed();
}

impl ProjectInfo {
    /// Reads the `next` dependency of a package.json. Ranges (`^15.5.4`, `~16.0.0`) give their
    /// lower bound's major; tags (`latest`, `canary`) and workspace/catalog refs give None.
    pub fn from_package_json(text: &str) -> Self {
        Self::from_manifest(read_manifest(text)).0
    }

    /// The facts package.json alone gives, and the dependencies to complete from a lockfile.
    fn from_manifest(
        (dependencies, auth_dependency): (Vec<Dependency>, bool),
    ) -> (Self, Vec<Dependency>) {
        let next_major = dependencies
            .iter()
            .find(|d| d.name == "next")
            .and_then(|d| lower_bound_major(&d.declared));
        let info = Self {
            next_major,
            auth_dependency,
            ..Self::default()
        };
        (info, dependencies)
    }

    /// Everything about the project rooted at `dir` (which holds `package.json`): the manifest,
    /// installed versions from the nearest lockfile at or above it, and next.config.
    pub fn load(dir: &Path, manifest_text: String) -> Self {
        let (mut info, mut dependencies) = Self::from_manifest(read_manifest(&manifest_text));
        if let Some(lock) = lockfile::find(dir) {
            for dep in &mut dependencies {
                if let Some(v) = lock.version_of(&dep.name, &dep.declared) {
                    dep.installed = Some(v);
                    dep.source = Some(lock.file_name);
                    dep.lockfile = Some(lock.path.clone());
                }
            }
        }
        for dep in dependencies.iter_mut().filter(|d| d.installed.is_none()) {
            dep.installed = exact_pin(&dep.declared);
            dep.source = dep.installed.as_ref().map(|_| "package.json");
        }
        if let Some(next) = dependencies.iter().find(|d| d.name == "next") {
            info.next_version = next.installed.clone();
            if let Some(v) = &next.installed {
                info.next_major = Some(v.major);
            }
        }
        info.next_config = load_next_config(dir);
        info.manifest = Some(Arc::new(Manifest {
            path: dir.join("package.json"),
            text: manifest_text,
            dependencies,
        }));
        info
    }

    /// Whether the project runs Next `major` or newer (unknown versions count as newest).
    pub fn next_at_least(&self, major: u64) -> bool {
        self.next_major.is_none_or(|m| m >= major)
    }
}

fn lower_bound_major(range: &str) -> Option<u64> {
    semver::VersionReq::parse(range.trim())
        .ok()
        .and_then(|req| req.comparators.iter().map(|c| c.major).min())
}

/// `15.2.0` or `=15.2.0`: the one version a range allows.
fn exact_pin(declared: &str) -> Option<semver::Version> {
    let v = declared.trim().trim_start_matches('=').trim();
    semver::Version::parse(v.strip_prefix('v').unwrap_or(v)).ok()
}

/// Reads package.json once: the dependencies of interest, with their members' ranges in the
/// text, and whether any dependency is an auth library.
fn read_manifest(text: &str) -> (Vec<Dependency>, bool) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
    else {
        return (Vec::new(), false);
    };
    let Some(Value::Object(root)) = parsed.value else {
        return (Vec::new(), false);
    };
    let mut out: Vec<Dependency> = Vec::new();
    let mut auth_dependency = false;
    for field in DEPENDENCY_FIELDS {
        let Some(Value::Object(deps)) = root.get(field).map(|p| &p.value) else {
            continue;
        };
        for prop in &deps.properties {
            let name = prop.name.as_str();
            auth_dependency |= crate::auth::is_auth_package(name);
            if !VERSIONED_PACKAGES.contains(&name) || out.iter().any(|d| d.name == name) {
                continue;
            }
            let Value::StringLit(declared) = &prop.value else {
                continue;
            };
            let r = prop.range();
            out.push(Dependency {
                name: name.to_string(),
                declared: declared.value.to_string(),
                range: TextRange::new(r.start as u32, r.end as u32),
                installed: None,
                source: None,
                lockfile: None,
                peer: *field == "peerDependencies",
            });
        }
    }
    (out, auth_dependency)
}

fn load_next_config(dir: &Path) -> Option<Arc<LoadedNextConfig>> {
    NEXT_CONFIG_FILES.iter().find_map(|file| {
        let path = dir.join(file);
        if !path.is_file() {
            return None;
        }
        // A config that exists but cannot be read is unknown, not absent.
        let limit = seam_diagnostics::files::CONFIG_FILE_LIMIT;
        let config = match seam_diagnostics::files::read_text_bounded(&path, limit) {
            Ok(text) => read_next_config(&path, &text),
            Err(_) => NextConfig::unreadable(),
        };
        Some(Arc::new(LoadedNextConfig {
            file: file.to_string(),
            config,
        }))
    })
}
