//! The pipeline: walk → parse and extract facts (once per file, in parallel) → rules →
//! suppressions → diagnostics, and the fix loop that rewrites files safely.

mod fix;
mod project;
mod suppressions;
mod walk;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use seam_config::{ConfigError, ConfigResolver, EnabledRule};
use seam_diagnostics::{Diagnostic, Severity};
use seam_rules::rules::{PARSE_ERROR, UNUSED_SUPPRESSION};
use seam_rules::{FileContext, ProjectInfo};
use seam_syntax::{analyze, Analysis};

pub use fix::{apply_fixes, FixMode};
pub use project::{Project, ProjectResolver};
pub use walk::{collect_files, WalkError, ALWAYS_SKIPPED};

/// Everything needed to lint one file, resolved before the parallel phase.
pub struct FileJob {
    /// The path as shown to users (relative to the working directory when possible).
    pub path: PathBuf,
    /// The path rules see: relative to the project root, for path-based exemptions.
    pub rule_path: PathBuf,
    pub rules: Arc<Vec<EnabledRule>>,
    pub project: ProjectInfo,
}

#[derive(Debug, Default)]
pub struct FileResult {
    pub path: PathBuf,
    /// The text the diagnostics refer to (after fixes, when any were applied); empty for files
    /// without findings or fixes, whose text nothing reads again.
    pub source: String,
    /// The text before fixes, when fixes changed it.
    pub original: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub fixes_applied: usize,
    /// Things the user should know that are not findings (a dropped fix pass, a failed write).
    pub notes: Vec<String>,
    /// The file could not be read or written.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LintOptions {
    pub fix: FixMode,
    /// Compute fixes but write nothing.
    pub dry_run: bool,
}

/// Lints one text as the file `job` describes. Never panics: a rule that panics becomes an
/// internal-error note on the file and the other rules still report.
pub fn lint_text(job: &FileJob, source: &str) -> (Vec<Diagnostic>, Vec<String>) {
    let mut notes = Vec::new();
    let enabled = |name: &str| job.rules.iter().find(|r| r.rule.name == name);
    let analysis = match catch_unwind(AssertUnwindSafe(|| analyze(&job.path, source))) {
        Ok(analysis) => analysis,
        Err(_) => {
            notes.push("internal error: the parser panicked on this file; please report it".into());
            return (Vec::new(), notes);
        }
    };
    let facts = match analysis {
        Analysis::Facts(facts) => facts,
        Analysis::SyntaxError(error) => {
            let diagnostics = enabled(PARSE_ERROR)
                .map(|r| {
                    let mut d = Diagnostic::new(
                        PARSE_ERROR,
                        error.range,
                        format!("Syntax error: {}", error.message),
                    )
                    .with_help("seam checks nothing else in a file that does not parse.");
                    d.severity = r.severity;
                    d
                })
                .into_iter()
                .collect();
            return (diagnostics, notes);
        }
    };
    let mut diagnostics = Vec::new();
    for enabled_rule in job.rules.iter() {
        let Some(check) = enabled_rule.rule.check else {
            continue;
        };
        let ctx = FileContext {
            path: &job.rule_path,
            source,
            facts: &facts,
            project: &job.project,
            options: &enabled_rule.options,
        };
        let mut found = Vec::new();
        match catch_unwind(AssertUnwindSafe(|| check(&ctx, &mut found))) {
            Ok(()) => diagnostics.extend(found.into_iter().map(|mut d| {
                d.severity = enabled_rule.severity;
                d
            })),
            Err(_) => notes.push(format!(
                "internal error: rule `{}` panicked on this file; please report it",
                enabled_rule.rule.name
            )),
        }
    }
    let mut diagnostics = suppressions::apply(
        diagnostics,
        &facts,
        source,
        |name| seam_rules::find(name).is_some(),
        |name| enabled(name).is_some(),
        seam_config::suggest_rule,
    );
    match enabled(UNUSED_SUPPRESSION) {
        Some(r) => diagnostics
            .iter_mut()
            .filter(|d| d.rule == UNUSED_SUPPRESSION)
            .for_each(|d| d.severity = r.severity),
        None => diagnostics.retain(|d| d.rule != UNUSED_SUPPRESSION),
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.rule));
    (diagnostics, notes)
}

/// Stack for linting threads: swc and seam's passes recurse once per nesting level, and real
/// bundles nest thousands of levels deep.
const LINT_STACK: usize = 64 << 20;

/// Lints (and fixes, in memory) a text that does not come from disk, such as stdin. Runs on a
/// thread with the same large stack as `run`'s workers.
pub fn lint_source(job: &FileJob, source: String, mode: FixMode) -> FileResult {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(LINT_STACK)
            .spawn_scoped(scope, || lint_source_here(job, source, mode))
            .expect("a linting thread")
            .join()
            .unwrap_or_else(|_| FileResult {
                path: job.path.clone(),
                notes: vec!["internal error: linting this input panicked; please report it".into()],
                ..Default::default()
            })
    })
}

fn lint_source_here(job: &FileJob, source: String, mode: FixMode) -> FileResult {
    let outcome = fix::lint_and_fix(job, source, mode);
    FileResult {
        path: job.path.clone(),
        source: outcome.text,
        original: outcome.original,
        diagnostics: outcome.diagnostics,
        fixes_applied: outcome.applied,
        notes: outcome.notes,
        error: None,
    }
}

/// Reads, lints and (when asked) fixes one file.
pub fn lint_file(job: &FileJob, options: LintOptions) -> FileResult {
    let mut result = FileResult {
        path: job.path.clone(),
        ..Default::default()
    };
    let source = match std::fs::read(&job.path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                result.error = Some("not valid UTF-8; skipped".into());
                return result;
            }
        },
        Err(error) => {
            result.error = Some(format!("cannot read: {error}"));
            return result;
        }
    };
    let outcome = fix::lint_and_fix(job, source, options.fix);
    result.diagnostics = outcome.diagnostics;
    result.notes = outcome.notes;
    result.fixes_applied = outcome.applied;
    if let Some(original) = outcome.original {
        if !options.dry_run {
            if let Err(error) = fix::write_atomically(&job.path, &outcome.text) {
                result.error = Some(format!("cannot write fixes: {error}"));
            }
        }
        result.original = Some(original);
    }
    // Reporters need the text only to place findings: keep it for files that have some.
    if !result.diagnostics.is_empty() || result.original.is_some() {
        result.source = outcome.text;
    }
    result
}

/// Resolves config and project for every file (sequentially: cheap, cached per directory).
pub fn plan(
    files: &[PathBuf],
    cwd: &Path,
    configs: &mut ConfigResolver,
) -> Result<Vec<FileJob>, Box<ConfigError>> {
    plan_with(files, cwd, configs, &[])
}

/// Like `plan`; files in `explicit` are linted even when config `ignore` matches them.
pub fn plan_with(
    files: &[PathBuf],
    cwd: &Path,
    configs: &mut ConfigResolver,
    explicit: &[PathBuf],
) -> Result<Vec<FileJob>, Box<ConfigError>> {
    let mut projects = ProjectResolver::default();
    let mut jobs = Vec::with_capacity(files.len());
    // Files under the same config with the same matching overrides share one rule set.
    let mut rule_sets: HashMap<(usize, Vec<usize>), Arc<Vec<EnabledRule>>> = HashMap::new();
    let defaults = Arc::new(seam_config::Config::default_for(cwd));
    for file in files {
        let absolute = cwd.join(file);
        let dir = absolute.parent().unwrap_or(cwd);
        let config = configs.for_dir(dir)?;
        let config = config.unwrap_or_else(|| defaults.clone());
        if config.is_ignored(&absolute) && !explicit.contains(file) {
            continue;
        }
        let key = (
            Arc::as_ptr(&config) as usize,
            config.matching_overrides(&absolute),
        );
        let rules = rule_sets
            .entry(key)
            .or_insert_with_key(|(_, overrides)| Arc::new(config.rules_with_overrides(overrides)))
            .clone();
        let project = projects.for_dir(dir);
        let rule_path = match &project {
            Some(p) => absolute.strip_prefix(&p.root).unwrap_or(file).to_path_buf(),
            None => file.clone(),
        };
        jobs.push(FileJob {
            path: file.clone(),
            rule_path,
            rules,
            project: project.map(|p| p.info.clone()).unwrap_or_default(),
        });
    }
    Ok(jobs)
}

/// Lints every job in parallel, on threads with room for deeply nested code.
pub fn run(jobs: &[FileJob], options: LintOptions) -> Vec<FileResult> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(LINT_STACK)
        .build();
    let lint_all = || {
        jobs.par_iter()
            .map(|job| lint_file(job, options))
            .collect::<Vec<_>>()
    };
    match pool {
        Ok(pool) => pool.install(lint_all),
        Err(_) => lint_all(),
    }
}

/// Counts for the summary line and exit code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixable: usize,
}

/// `fixable` counts findings `--fix` would fix (and unsafe ones too when `unsafe_fixes`).
pub fn summarize(results: &[FileResult], unsafe_fixes: bool) -> Summary {
    let mut summary = Summary {
        files: results.len(),
        ..Default::default()
    };
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
        }
        let mode = if unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        if d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)) {
            summary.fixable += 1;
        }
    }
    summary
}
