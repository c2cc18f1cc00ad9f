//! Output formats. Every reporter reads the same results; none of them lints.

mod github;
mod json;
mod pretty;
mod sarif;

use std::path::{Path, PathBuf};

use seam_diagnostics::{Diagnostic, LineCol, LineIndex};
use seam_linter::{FileResult, Summary};

pub use json::json_report;
pub use sarif::sarif_report;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pretty,
    Concise,
    Json,
    Github,
    Sarif,
}

/// A diagnostic with its file and 1-based positions resolved.
pub struct Located<'a> {
    pub file: String,
    pub source: &'a str,
    pub diagnostic: &'a Diagnostic,
    pub start: LineCol,
    pub end: LineCol,
    pub index: &'a LineIndex,
}

/// Paths as users read them: relative to the working directory, with forward slashes.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative: PathBuf = if path.is_absolute() {
        path.strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    seam_diagnostics::files::slashed(&relative)
}

/// Calls `f` for every diagnostic, files in order, diagnostics by position.
pub fn for_each_located(results: &[FileResult], cwd: &Path, mut f: impl FnMut(Located)) {
    for result in results {
        if result.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(&result.source);
        let file = display_path(&result.path, cwd);
        for d in &result.diagnostics {
            f(Located {
                file: file.clone(),
                source: &result.source,
                diagnostic: d,
                start: index.line_col(&result.source, d.range.start),
                end: index.line_col(&result.source, d.range.end),
                index: &index,
            });
        }
    }
}

pub struct ReportOptions {
    pub format: Format,
    pub color: bool,
    /// Only errors are shown (`--quiet`).
    pub quiet: bool,
    pub cwd: PathBuf,
    /// Whether `--unsafe-fixes` was given (the summary hints at it otherwise).
    pub unsafe_fixes: bool,
}

/// Renders all results in the chosen format.
pub fn render(results: &[FileResult], summary: &Summary, options: &ReportOptions) -> String {
    match options.format {
        Format::Pretty => pretty::render(results, summary, options),
        Format::Concise => concise(results, summary, options),
        Format::Json => json_report(results, summary, &options.cwd),
        Format::Github => github::render(results, &options.cwd),
        Format::Sarif => sarif_report(results, &options.cwd),
    }
}

fn concise(results: &[FileResult], summary: &Summary, options: &ReportOptions) -> String {
    let mut out = String::new();
    for_each_located(results, &options.cwd, |l| {
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {}\n",
            l.file,
            l.start.line,
            l.start.column,
            l.diagnostic.severity.as_str(),
            l.diagnostic.rule,
            l.diagnostic.message
        ));
    });
    out.push_str(&summary_line(summary, options.unsafe_fixes));
    out
}

pub fn summary_line(summary: &Summary, unsafe_fixes: bool) -> String {
    let problems = summary.errors + summary.warnings + summary.infos;
    if problems == 0 {
        return format!(
            "No problems found in {} file{}.\n",
            summary.files,
            plural(summary.files)
        );
    }
    let mut line = format!(
        "Found {} error{} and {} warning{} in {} file{} checked.",
        summary.errors,
        plural(summary.errors),
        summary.warnings,
        plural(summary.warnings),
        summary.files,
        plural(summary.files)
    );
    if summary.infos > 0 {
        // Before the file count's full stop: "... and 2 warnings (3 infos) in 10 files checked."
        let at = line.find(" in ").unwrap_or(line.len());
        line.insert_str(
            at,
            &format!(" ({} info{})", summary.infos, plural(summary.infos)),
        );
    }
    if summary.fixable > 0 {
        let flag = if unsafe_fixes {
            "--fix --unsafe-fixes"
        } else {
            "--fix"
        };
        line.push_str(&format!(
            " {} fixable with `seam check {flag}`.",
            summary.fixable
        ));
    }
    line.push('\n');
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
