//! The fix loop (after Ruff): apply non-overlapping fixes, re-lint, repeat up to ten passes;
//! a pass whose result does not parse is dropped. Files are replaced atomically.

use std::io::Write;
use std::path::Path;

use seam_diagnostics::{Applicability, Diagnostic, Fix};
use seam_syntax::parses_cleanly;

use crate::{lint_text_in, FileJob, ProjectView};

const MAX_PASSES: usize = 10;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixMode {
    #[default]
    Off,
    Safe,
    Unsafe,
}

impl FixMode {
    pub fn allows(self, applicability: Applicability) -> bool {
        match self {
            FixMode::Off => false,
            FixMode::Safe => applicability == Applicability::Safe,
            FixMode::Unsafe => true,
        }
    }
}

pub(crate) struct Outcome {
    pub text: String,
    /// Set when fixes changed the text.
    pub original: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
    pub applied: usize,
}

/// Lints `source` (whose facts are the graph's for `view.module`) and fixes it in `mode`.
/// The first pass reads the facts already extracted; later passes parse the fixed text.
pub(crate) fn lint_and_fix(
    job: &FileJob,
    source: &str,
    mode: FixMode,
    view: ProjectView,
    resolvers: &seam_graph::Resolvers,
) -> Outcome {
    let facts = view.graph.facts(view.module);
    if mode == FixMode::Off {
        // Nothing to rewrite: the text is copied only for reporters, when there are findings.
        let (diagnostics, notes) = lint_text_in(job, source, Some(view), facts);
        let text = if diagnostics.is_empty() {
            String::new()
        } else {
            source.to_string()
        };
        return Outcome {
            text,
            original: None,
            diagnostics,
            notes,
            applied: 0,
        };
    }
    fix_loop(&job.path, source.to_string(), mode, |text| {
        if text == source {
            return lint_text_in(job, text, Some(view), facts);
        }
        // A later pass: the file's facts changed, and cross-file rules must see the new ones
        // in the graph too (imports added, calls and functions renumbered).
        match crate::analyze_guarded(&job.path, job.role(), text) {
            Ok(seam_syntax::Analysis::Facts(new)) => {
                let graph = view.graph.replacing(view.module, new.clone(), resolvers);
                let view = ProjectView {
                    graph: &graph,
                    module: view.module,
                };
                lint_text_in(job, text, Some(view), Some(&new))
            }
            _ => lint_text_in(job, text, Some(view), None),
        }
    })
}

/// Lints `source` and, in a fix mode, applies fixes pass after pass until nothing changes (at
/// most `MAX_PASSES`), re-linting after each pass. A pass whose result does not parse is dropped.
fn fix_loop(
    path: &Path,
    source: String,
    mode: FixMode,
    lint: impl Fn(&str) -> (Vec<Diagnostic>, Vec<String>),
) -> Outcome {
    let (mut diagnostics, mut notes) = lint(&source);
    // Without fixes the source is only read: no copy of it is made.
    let mut fixed: Option<String> = None;
    let mut applied = 0;
    if mode != FixMode::Off {
        // Findings whose fix, applied alone to the current text, leaves them there: not
        // applied (until another fix changes the text). Decided on the text alone, so a second
        // run over the result decides the same and changes nothing.
        let mut futile: Vec<(&'static str, String)> = Vec::new();
        for _ in 0..MAX_PASSES {
            let current = fixed.as_deref().unwrap_or(&source);
            let fixing: Vec<&Diagnostic> = diagnostics
                .iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)))
                .filter(|d| !futile.contains(&(d.rule, d.message.clone())))
                .collect();
            let fixes: Vec<&Fix> = fixing.iter().filter_map(|d| d.fix.as_ref()).collect();
            let (next, taken) = apply_fixes_taken(current, &fixes);
            let count = taken.len();
            if count == 0 || next == current {
                break;
            }
            if !parses_cleanly(path, &next) {
                notes.push(format!("{count} fix(es) would have produced code that does not parse; they were not applied"));
                break;
            }
            let (d, n) = lint(&next);
            let applied_now: Vec<&Diagnostic> = taken.iter().map(|&i| fixing[i]).collect();
            let surviving = survivors(&applied_now, &diagnostics, &d);
            if !surviving.is_empty() {
                // Which of them fail on their own: those are dropped, the pass is tried again.
                let alone_futile: Vec<(&'static str, String)> = surviving
                    .iter()
                    .filter(|key| {
                        let own: Vec<&Diagnostic> = applied_now
                            .iter()
                            .copied()
                            .filter(|d| (d.rule, d.message.clone()) == **key)
                            .collect();
                        let own_fixes: Vec<&Fix> =
                            own.iter().filter_map(|d| d.fix.as_ref()).collect();
                        let (alone, _) = apply_fixes_taken(current, &own_fixes);
                        !parses_cleanly(path, &alone)
                            || !survivors(&own, &diagnostics, &lint(&alone).0).is_empty()
                    })
                    .cloned()
                    .collect();
                // Fixes that only fail together are dropped as well: retrying them would fail
                // the same way.
                let dropped = if alone_futile.is_empty() {
                    surviving
                } else {
                    alone_futile
                };
                notes.push(format!(
                    "{} fix(es) did not resolve their finding ({}); they were not applied",
                    dropped.len(),
                    dropped
                        .iter()
                        .map(|(rule, _)| *rule)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                futile.extend(dropped);
                continue;
            }
            futile.clear();
            applied += count;
            diagnostics = d;
            notes.extend(n);
            fixed = Some(next);
        }
    }
    match fixed {
        Some(text) if text != source => Outcome {
            text,
            original: Some(source),
            diagnostics,
            notes,
            applied,
        },
        _ => Outcome {
            text: source,
            original: None,
            diagnostics,
            notes,
            applied,
        },
    }
}

/// The (rule, message) of each fixed finding that is as frequent after the fixes as before.
fn survivors(
    fixed: &[&Diagnostic],
    before: &[Diagnostic],
    after: &[Diagnostic],
) -> Vec<(&'static str, String)> {
    let count = |list: &[Diagnostic], d: &Diagnostic| {
        list.iter()
            .filter(|x| x.rule == d.rule && x.message == d.message)
            .count()
    };
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for d in fixed {
        let key = (d.rule, d.message.clone());
        if !out.contains(&key) && count(after, d) >= count(before, d) {
            out.push(key);
        }
    }
    out
}

/// Applies the fixes that do not overlap an earlier one (by start); the rest wait for the next pass.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let (out, taken) = apply_fixes_taken(text, fixes);
    (out, taken.len())
}

/// `apply_fixes`, with the indices (into `fixes`) of the fixes it applied.
fn apply_fixes_taken(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let mut ordered: Vec<usize> = (0..fixes.len())
        .filter(|&i| !fixes[i].edits.is_empty())
        .collect();
    ordered.sort_by_key(|&i| fixes[i].covering_range().map(|r| (r.start, r.end)));
    let mut taken: Vec<usize> = Vec::new();
    let mut last_end: Option<u32> = None;
    for i in ordered {
        let fix = fixes[i];
        let range = fix.covering_range().expect("non-empty fix");
        let clear = match last_end {
            None => true,
            Some(end) => range.start > end || (range.start == end && !range.is_empty()),
        };
        let in_bounds = fix.edits.iter().all(|e| {
            (e.range.end as usize) <= text.len()
                && text.is_char_boundary(e.range.start as usize)
                && text.is_char_boundary(e.range.end as usize)
        });
        if clear && in_bounds {
            last_end = Some(range.end);
            taken.push(i);
        }
    }
    let mut edits: Vec<_> = taken.iter().flat_map(|&i| fixes[i].edits.iter()).collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0usize;
    for edit in edits {
        let start = edit.range.start as usize;
        if start < cursor {
            continue; // two edits of one fix overlap: keep the first
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.replacement);
        cursor = edit.range.end as usize;
    }
    out.push_str(&text[cursor..]);
    (out, taken)
}

/// Writes a fixed file, never outside `root` (the project; a pull request can hold symlinks that
/// lead anywhere): a symlinked file or folder is followed only when its target lies inside, and
/// then the target is written (the link stays a link). A file with other hard links is written
/// in place once the new text is safely in a temporary copy, so the links keep sharing it;
/// otherwise the text goes through a temporary file renamed over the original, with the
/// original's permissions and, where the OS allows, its owner.
pub(crate) fn write_fixed(path: &Path, root: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let root = std::fs::canonicalize(root)?;
    remove_stale_temporaries(target.parent().unwrap_or(Path::new(".")));
    if !target.starts_with(&root) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "it leads outside the project (to {}) through a symbolic link; not written",
                target.display()
            ),
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if std::fs::metadata(&target)?.nlink() > 1 {
            return write_in_place(&target, text);
        }
    }
    write_atomically(&target, text)
}

/// Overwrites a file's bytes where it is (its inode, links, owner and mode stay), after the new
/// text is written and synced to a temporary file beside it, which is removed afterwards.
#[cfg(unix)]
fn write_in_place(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    check_writable(path)?;
    let mut copy = temporary_in(dir)?;
    copy.write_all(text.as_bytes())?;
    copy.as_file().sync_all()?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(copy);
    Ok(())
}

fn check_writable(path: &Path) -> std::io::Result<std::fs::Permissions> {
    let permissions = std::fs::metadata(path)?.permissions();
    if is_utf16(path) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is UTF-16 and seam writes UTF-8; fix it by hand",
        ));
    }
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "file is read-only",
        ));
    }
    Ok(permissions)
}

/// Writes through a temporary file in the same directory and renames it over the original,
/// keeping the original's permissions and owner: a crash never leaves a half-written file.
pub(crate) fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = check_writable(path)?;
    let mut temp = temporary_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    #[cfg(unix)]
    {
        // Keep the owner when seam runs as someone else (root in CI); only root may give a
        // file away, so for others this changes nothing and may fail harmlessly.
        use std::os::unix::fs::MetadataExt;
        let original = std::fs::metadata(path)?;
        let _ =
            std::os::unix::fs::fchown(temp.as_file(), Some(original.uid()), Some(original.gid()));
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// How seam's temporary files beside fixed files are named: an interrupted run's leftovers are
/// recognisable, and the next run that writes in the folder removes them.
const TEMPORARY_PREFIX: &str = ".seam-fix-";
const TEMPORARY_SUFFIX: &str = ".tmp";

fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .suffix(TEMPORARY_SUFFIX)
        .tempfile_in(dir)
}

/// Removes seam's temporary files in `dir` that a run interrupted before renaming them left
/// behind (older than a minute, so a concurrent run's are left alone).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 60);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Starts with a UTF-16 byte order mark (seam reads such files but does not write them).
fn is_utf16(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| matches!(head, [0xff, 0xfe] | [0xfe, 0xff]))
}

#[cfg(test)]
mod tests {
    use seam_diagnostics::{Edit, TextRange};

    use super::*;

    /// A fake linter: one diagnostic per occurrence of `needle`, fixed by `fix_for`.
    fn finder(
        needle: &'static str,
        fix_for: fn(TextRange) -> Fix,
    ) -> impl Fn(&str) -> (Vec<Diagnostic>, Vec<String>) {
        move |text: &str| {
            let diagnostics = text
                .match_indices(needle)
                .map(|(at, _)| {
                    let range = TextRange::new(at as u32, (at + needle.len()) as u32);
                    Diagnostic::new("test", range, "found").with_fix(fix_for(range))
                })
                .collect();
            (diagnostics, Vec::new())
        }
    }

    #[test]
    fn a_pass_that_breaks_parsing_is_dropped_and_reported() {
        let source = "export function f() {\n  return 1\n}\n".to_string();
        let outcome = fix_loop(
            Path::new("a.ts"),
            source.clone(),
            FixMode::Unsafe,
            finder("}", |r| Fix::safe("drop brace", vec![Edit::delete(r)])),
        );
        assert_eq!(outcome.text, source);
        assert!(outcome.original.is_none());
        assert_eq!(outcome.applied, 0);
        assert!(
            outcome.notes[0].contains("does not parse"),
            "{:?}",
            outcome.notes
        );
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass_until_nothing_changes() {
        // Each `aa` becomes `a`: the fixes of `aaaa` overlap, so it takes several passes.
        let source = "const x = 'aaaa'\n".to_string();
        let outcome = fix_loop(
            Path::new("a.ts"),
            source,
            FixMode::Safe,
            finder("aa", |r| Fix::safe("halve", vec![Edit::replace(r, "a")])),
        );
        assert_eq!(outcome.text, "const x = 'a'\n");
        assert!(outcome.applied >= 3, "{} fixes", outcome.applied);
        assert!(outcome.diagnostics.is_empty());
    }

    #[test]
    fn unsafe_fixes_need_the_unsafe_mode_and_no_mode_copies_nothing() {
        let source = "const x = 'b'\n".to_string();
        let lint = || {
            finder("'b'", |r| {
                Fix::unsafe_("to c", vec![Edit::replace(r, "'c'")])
            })
        };
        assert_eq!(
            fix_loop(Path::new("a.ts"), source.clone(), FixMode::Safe, lint()).applied,
            0
        );
        assert_eq!(
            fix_loop(Path::new("a.ts"), source.clone(), FixMode::Unsafe, lint()).text,
            "const x = 'c'\n"
        );
        let off = fix_loop(Path::new("a.ts"), source.clone(), FixMode::Off, lint());
        assert_eq!(
            (off.text.as_str(), off.diagnostics.len()),
            (source.as_str(), 1)
        );
    }

    #[test]
    fn the_loop_stops_after_ten_passes() {
        // A fix that always finds more work, each pass a new finding: `x1` becomes `x2`, ...
        let source = "const x0 = 1\n".to_string();
        let outcome = fix_loop(Path::new("a.ts"), source, FixMode::Safe, |text: &str| {
            let at = text.find('x').unwrap();
            let digits = &text[at + 1..];
            let end = at + 1 + digits.find(' ').unwrap();
            let n: u32 = text[at + 1..end].parse().unwrap();
            let range = TextRange::new(at as u32, end as u32);
            let fix = Fix::safe("next", vec![Edit::replace(range, format!("x{}", n + 1))]);
            let found = Diagnostic::new("test", range, format!("found x{n}")).with_fix(fix);
            (vec![found], Vec::new())
        });
        assert_eq!(
            outcome.text,
            format!("const x{MAX_PASSES} = 1\n"),
            "exactly ten passes ran"
        );
        assert_eq!(outcome.applied, MAX_PASSES);
    }

    #[test]
    fn a_fix_whose_finding_survives_it_is_dropped() {
        // Every `x` gains an `x`: the finding it fixes is still there afterwards.
        let source = "const x = 1\n".to_string();
        let outcome = fix_loop(
            Path::new("a.ts"),
            source.clone(),
            FixMode::Safe,
            finder("x", |r| Fix::safe("grow", vec![Edit::insert(r.end, "x")])),
        );
        assert_eq!(outcome.text, source);
        assert_eq!(outcome.applied, 0);
        assert!(
            outcome.notes[0].contains("did not resolve their finding"),
            "{:?}",
            outcome.notes
        );
    }
}
