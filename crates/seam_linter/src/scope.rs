//! What a run analyses and what it reports. Paths named on the command line (or files changed
//! since a git revision) restrict what is reported, not what is analysed: every analysis root
//! (workspace or package) that a named path touches is walked whole, so a finding in a named
//! file is the one a run over the whole project gives.

use std::path::{Component, Path, PathBuf};

use seam_graph::workspace::Workspaces;

use crate::walk::{collect_files, WalkError};

pub struct Scope {
    /// Every file to analyse, as users see paths (relative to the working directory when below
    /// it), sorted, each once.
    pub files: Vec<PathBuf>,
    /// Files named explicitly (linted even when config `ignore` matches them).
    pub explicit: Vec<PathBuf>,
    pub errors: Vec<WalkError>,
    /// The named paths, absolute and without `.`/`..`.
    named: Vec<PathBuf>,
    cwd: PathBuf,
}

impl Scope {
    /// The files under `paths` and under every analysis root they belong to.
    pub fn collect(paths: &[PathBuf], cwd: &Path) -> Scope {
        let named: Vec<PathBuf> = paths.iter().map(|p| lexical(&cwd.join(p))).collect();
        let explicit = paths
            .iter()
            .filter(|p| p.is_file())
            .map(|p| p.strip_prefix(".").unwrap_or(p).to_path_buf())
            .collect();
        // A named file that seam does not lint (a package.json) restricts the report; it is not
        // analysed as code. Walks only ever find lintable files.
        let walk: Vec<PathBuf> = paths
            .iter()
            .filter(|p| !p.is_file() || seam_syntax::is_lintable(p))
            .cloned()
            .collect();
        let (mut files, mut errors) = collect_files(&walk);
        let mut workspaces = Workspaces::default();
        let mut walked: Vec<PathBuf> = named.clone();
        // Roots of the named paths and of the files found, until every root is walked.
        let mut pending: Vec<PathBuf> = named
            .iter()
            .map(|p| {
                if p.is_file() {
                    p.parent().unwrap_or(p)
                } else {
                    p
                }
            })
            .filter_map(|dir| workspaces.analysis_root(dir))
            .filter(|root| worth_walking(root))
            .collect();
        // Folders by their bytes (cheaper to hash than a path's components).
        let mut dirs_seen: std::collections::HashSet<std::ffi::OsString> = Default::default();
        // The roots of the folders of `found` not seen before.
        let mut roots_of = |found: &[PathBuf], pending: &mut Vec<PathBuf>| {
            for dir in found.iter().filter_map(|file| file.parent()) {
                // Files come sorted: most share a folder already seen, and allocate nothing.
                if !dirs_seen.contains(dir.as_os_str()) {
                    dirs_seen.insert(dir.as_os_str().to_owned());
                    let dir = absolute(cwd, dir);
                    pending.extend(workspaces.analysis_root(&dir).filter(|r| worth_walking(r)));
                }
            }
        };
        roots_of(&files, &mut pending);
        let mut extended = false;
        loop {
            pending.sort();
            pending.dedup();
            pending.retain(|root| !walked.iter().any(|w| root.starts_with(w)));
            if pending.is_empty() {
                break;
            }
            let roots: Vec<PathBuf> = std::mem::take(&mut pending);
            let shown: Vec<PathBuf> = roots.iter().map(|r| relative_to(cwd, r)).collect();
            let (more, more_errors) = collect_files(&shown);
            extended = true;
            roots_of(&more, &mut pending);
            files.extend(more);
            errors.extend(more_errors);
            walked.extend(roots);
        }
        if extended {
            // Walks from other roots show paths another way (`../..`): one form for each file.
            files = files
                .into_iter()
                .map(|f| relative_to(cwd, &absolute(cwd, &f)))
                .collect();
            files.sort();
            files.dedup();
        }
        Scope {
            files,
            explicit,
            errors,
            named,
            cwd: cwd.to_path_buf(),
        }
    }

    /// Whether a result is reported: files analysed only because they share a project with a
    /// named path are not; notes on config files (a broken tsconfig) always are.
    pub fn reports_result(&self, result: &crate::FileResult) -> bool {
        let config_note = result.diagnostics.is_empty()
            && result.fixes_applied == 0
            && !seam_syntax::is_lintable(&result.path);
        config_note || self.reports(&result.path)
    }

    /// Whether findings in `path` (as the results show it) are reported: it lies under a named
    /// path.
    pub fn reports(&self, path: &Path) -> bool {
        // The common case, `seam check` or `seam check .`: everything below the working
        // directory is reported, and a relative path without `..` is below it.
        let plain =
            path.is_relative() && path.components().all(|c| matches!(c, Component::Normal(_)));
        if plain && self.named.contains(&self.cwd) {
            return true;
        }
        let absolute = lexical(&self.cwd.join(path));
        self.named.iter().any(|n| absolute.starts_with(n))
    }
}

/// A stray package.json or repository in the home folder (or at `/`) makes no project of
/// everything below it: such a root is never walked whole.
fn worth_walking(root: &Path) -> bool {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    root.parent().is_some() && home.as_deref() != Some(root)
}

/// `path` from `cwd`, absolute and without `.` and `..` components.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    let plain = path
        .components()
        .all(|c| !matches!(c, Component::CurDir | Component::ParentDir));
    if plain {
        joined
    } else {
        lexical(&joined)
    }
}

/// `path` without `.` and `..` components (symlinks are not followed).
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An absolute path as users see it from `cwd`: relative below it, `../`-relative beside it
/// (`.` for `cwd` itself).
pub fn relative_to(cwd: &Path, path: &Path) -> PathBuf {
    if let Ok(below) = path.strip_prefix(cwd) {
        return if below.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            below.to_path_buf()
        };
    }
    let common = cwd
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..cwd.components().count() {
        out.push("..");
    }
    out.extend(path.components().skip(common));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_from_the_working_directory() {
        let cwd = Path::new("/r/apps/web");
        assert_eq!(relative_to(cwd, Path::new("/r/apps/web")), Path::new("."));
        assert_eq!(
            relative_to(cwd, Path::new("/r/apps/web/app/x.ts")),
            Path::new("app/x.ts")
        );
        assert_eq!(
            relative_to(cwd, Path::new("/r/packages/db/x.ts")),
            Path::new("../../packages/db/x.ts")
        );
        assert_eq!(
            relative_to(cwd, Path::new("/other/x.ts")),
            Path::new("/other/x.ts")
        );
        assert_eq!(lexical(Path::new("/r/a/./b/../c")), Path::new("/r/a/c"));
    }
}
