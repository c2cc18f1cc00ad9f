//! A multi-file test harness for rules, like oxc's `Tester` but with projects: each case is a
//! small project given as (path, text) pairs, checked through the real pipeline (plan, module
//! graph, rules, suppressions, fix loop) the way `seam check` checks it. Rules' tests assert
//! which cases pass and fail and snapshot what they report and how they fix it.
//!
//! The files are written to a temporary folder, because module resolution reads the file
//! system; nothing else of the machine is read.

use std::fmt::Write as _;
use std::path::Path;

use crate::{FileResult, FixMode, LintOptions};

/// One rule's cases.
pub struct Tester {
    rule: &'static str,
    pass: Vec<Vec<(String, String)>>,
    fail: Vec<Vec<(String, String)>>,
    fix: Vec<Vec<(String, String)>>,
}

impl Tester {
    pub fn new(rule: &'static str) -> Self {
        assert!(
            seam_rules::find(rule).is_some(),
            "`{rule}` is not a rule seam knows"
        );
        Tester {
            rule,
            pass: Vec::new(),
            fail: Vec::new(),
            fix: Vec::new(),
        }
    }

    /// A project on which the rule must report nothing.
    pub fn pass(mut self, files: &[(&str, &str)]) -> Self {
        self.pass.push(owned(files));
        self
    }

    /// A project on which the rule must report something.
    pub fn fail(mut self, files: &[(&str, &str)]) -> Self {
        self.fail.push(owned(files));
        self
    }

    /// A failing project whose fixes (safe and unsafe) are snapshotted.
    pub fn fix(mut self, files: &[(&str, &str)]) -> Self {
        self.fix.push(owned(files));
        self
    }

    /// Checks every case and returns the report to snapshot: each failing case's findings and
    /// each fix case's fixed files. Panics on a case that does not behave.
    pub fn run(self) -> String {
        let mut report = String::new();
        for (n, case) in self.pass.iter().enumerate() {
            let found = findings(self.rule, case, FixMode::Off).0;
            assert!(
                found.is_empty(),
                "{}: pass case {} got findings:\n{found}",
                self.rule,
                n + 1
            );
        }
        for (n, case) in self.fail.iter().enumerate() {
            let found = findings(self.rule, case, FixMode::Off).0;
            assert!(
                !found.is_empty(),
                "{}: fail case {} got no finding",
                self.rule,
                n + 1
            );
            let _ = writeln!(report, "## fail {}\n{found}", n + 1);
        }
        for (n, case) in self.fix.iter().enumerate() {
            let (found, fixed) = findings(self.rule, case, FixMode::Unsafe);
            assert!(
                !fixed.is_empty(),
                "{}: fix case {} changed nothing ({found})",
                self.rule,
                n + 1
            );
            let _ = writeln!(report, "## fix {}\n{found}{fixed}", n + 1);
        }
        report
    }
}

fn owned(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

/// Checks a project: the rule's findings (`path:line:column message`, related locations
/// indented below) and, when fixing, each changed file's text after the fixes.
fn findings(rule: &str, files: &[(String, String)], mode: FixMode) -> (String, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().canonicalize().expect("a real path");
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("a folder")).expect("writable");
        std::fs::write(full, text).expect("writable");
    }
    let paths = [root.clone()];
    let scope = crate::scope::Scope::collect(&paths, &root);
    let mut configs = seam_config::ConfigResolver::default();
    let jobs = crate::plan_with(&scope.files, &root, &mut configs, &scope.explicit)
        .expect("the case's config is valid");
    let results = crate::run(
        &jobs,
        LintOptions {
            fix: mode,
            dry_run: true,
            threads: Some(1),
            cache: None,
        },
    );
    (render(rule, &results, &root), fixed_texts(&results, &root))
}

fn render(rule: &str, results: &[FileResult], root: &Path) -> String {
    let mut out = String::new();
    let mut lines: Vec<String> = Vec::new();
    for result in results {
        let index = seam_diagnostics::LineIndex::new(&result.source);
        for d in result.diagnostics.iter().filter(|d| d.rule == rule) {
            let at = index.line_col(&result.source, d.range.start);
            let mut line = format!(
                "{}:{}:{} {}",
                shown(&result.path, root),
                at.line,
                at.column,
                d.message
            );
            for related in &d.related {
                let file = shown(related.file.as_deref().unwrap_or(&result.path), root);
                let _ = write!(line, "\n    {file}: {}", related.message);
            }
            lines.push(line);
        }
    }
    lines.sort();
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// A path of the case, from its root.
fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn fixed_texts(results: &[FileResult], root: &Path) -> String {
    let mut out = String::new();
    for result in results.iter().filter(|r| r.original.is_some()) {
        let _ = writeln!(
            out,
            "--- {} (fixed)\n{}",
            shown(&result.path, root),
            result.source
        );
    }
    out
}
