//! Which files to lint: the `ignore` walker (honours .gitignore/.ignore), minus directories that
//! never hold source, plus every file named explicitly.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use seam_syntax::is_lintable;

/// Build output, dependencies and caches: never linted, whatever the ignore files say.
pub const ALWAYS_SKIPPED: &[&str] = &[
    "node_modules",
    ".next",
    "out",
    "dist",
    "build",
    "coverage",
    ".turbo",
    ".vercel",
    ".git",
    ".seam-cache",
];

#[derive(Debug)]
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
}

/// Lintable files under `paths`, each once, in a stable order. Directories are walked on
/// several threads: on a warm cache, walking is most of a run.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<WalkError>) {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let through_links = std::sync::atomic::AtomicBool::new(false);
    for root in paths {
        match std::fs::metadata(root) {
            Ok(meta) if meta.is_file() => found.lock().expect("walk").push(clean(root)),
            // A FIFO, a socket, a device: never read (reading a FIFO waits forever).
            Ok(meta) if !meta.is_dir() => errors.lock().expect("walk").push(WalkError {
                path: root.clone(),
                message: "not a regular file or a folder; skipped".into(),
            }),
            Ok(_) => {
                // Links are followed only while they stay inside the folder walked: a pull
                // request may hold `lib/x -> /`, and the walk must not cover the machine.
                let inside = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
                // The ignore crate reads .gitignore/.ignore files itself: one that is a FIFO
                // would hang the walk, a link to /dev/zero would fill memory. Above and at the
                // root such a file turns ignore files off for this walk; below, its folder is
                // skipped. Both with a warning.
                let bad_above = inside.ancestors().find_map(unreadable_ignore_file);
                if let Some(bad) = &bad_above {
                    errors.lock().expect("walk").push(WalkError {
                        path: bad.clone(),
                        message: "not a regular file of a sane size; ignore files are not read in this walk".into(),
                    });
                }
                let honour_ignore_files = bad_above.is_none();
                let skipped_folders: std::sync::Arc<Mutex<Vec<WalkError>>> = Default::default();
                let errors_in_walk = skipped_folders.clone();
                let walker = ignore::WalkBuilder::new(root)
                    .hidden(false)
                    .git_ignore(honour_ignore_files)
                    .git_global(false)
                    .git_exclude(true)
                    .require_git(false)
                    .ignore(honour_ignore_files)
                    .parents(honour_ignore_files)
                    .follow_links(true)
                    .threads(rayon::current_num_threads().clamp(1, 8))
                    .filter_entry(move |entry| {
                        if honour_ignore_files && entry.file_type().is_some_and(|t| t.is_dir()) {
                            if let Some(bad) = unreadable_ignore_file(entry.path()) {
                                errors_in_walk.lock().expect("walk").push(WalkError {
                                    path: bad,
                                    message:
                                        "not a regular file of a sane size; its folder is skipped"
                                            .into(),
                                });
                                return false;
                            }
                        }
                        // (A broken link goes on to the walker, which reports it.)
                        if entry.path_is_symlink()
                            && std::fs::canonicalize(entry.path())
                                .is_ok_and(|target| !target.starts_with(&inside))
                        {
                            return false;
                        }
                        let skipped = entry.file_type().is_some_and(|t| t.is_dir())
                            && entry
                                .file_name()
                                .to_str()
                                .is_some_and(|n| ALWAYS_SKIPPED.contains(&n));
                        !skipped
                    })
                    .build_parallel();
                walker.run(|| {
                    Box::new(|entry| {
                        if entry.as_ref().is_ok_and(|e| e.path_is_symlink()) {
                            through_links.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        match entry {
                            Ok(entry)
                                if entry.file_type().is_some_and(|t| t.is_file())
                                    && is_lintable(entry.path()) =>
                            {
                                found.lock().expect("walk").push(clean(entry.path()))
                            }
                            Ok(_) => {}
                            // A broken link to a README or an .env file concerns nobody here.
                            Err(error) if !error_concerns_source(&error) => {}
                            Err(error) => errors.lock().expect("walk").push(WalkError {
                                path: root.clone(),
                                message: error.to_string(),
                            }),
                        }
                        ignore::WalkState::Continue
                    })
                });
                let skipped = std::mem::take(&mut *skipped_folders.lock().expect("walk"));
                errors.lock().expect("walk").extend(skipped);
            }
            Err(error) => errors.lock().expect("walk").push(WalkError {
                path: root.clone(),
                message: error.to_string(),
            }),
        }
    }
    let mut found = found.into_inner().expect("walk");
    // Walk order differs between runs: sorted, the list is stable, and of two paths to one file
    // the first in path order is kept.
    found.sort();
    // The same file reached twice (overlapping arguments, symlinks) is linted once. One tree
    // walked without a link cannot reach a file twice, and then no file needs a `stat`.
    let files = if paths.len() == 1 && !through_links.into_inner() {
        found
    } else {
        let identities: Vec<_> = found.par_iter().map(|p| file_identity(p)).collect();
        let mut seen = HashSet::new();
        found
            .into_iter()
            .zip(identities)
            .filter(|(_, identity)| seen.insert(identity.clone()))
            .map(|(path, _)| path)
            .collect()
    };
    let mut errors = errors.into_inner().expect("walk");
    errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    (files, errors)
}

/// An ignore file in `dir` that must not be read: it exists but is not a regular file, or is
/// larger than 1 MB.
fn unreadable_ignore_file(dir: &Path) -> Option<PathBuf> {
    [".gitignore", ".ignore"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| {
            std::fs::symlink_metadata(path).is_ok()
                && !std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= 1 << 20)
        })
}

/// Drops a leading `./` so paths print the way users typed them.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// What makes two paths the same file: device and inode where there are such things.
#[cfg(unix)]
fn file_identity(path: &Path) -> (u64, u64, PathBuf) {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(meta) => (meta.dev(), meta.ino(), PathBuf::new()),
        Err(_) => (0, 0, path.to_path_buf()),
    }
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> (u64, u64, PathBuf) {
    (
        0,
        0,
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
    )
}

/// Whether a walk error is about a path seam would lint (or one it cannot tell).
fn error_concerns_source(error: &ignore::Error) -> bool {
    match error {
        // A source file, or something without an extension that may be a directory of them.
        ignore::Error::WithPath { path, .. } => {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            is_lintable(path) || (path.extension().is_none() && !hidden)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_concerns_source(err)
        }
        ignore::Error::Partial(errors) => errors.iter().any(error_concerns_source),
        _ => true,
    }
}
