use super::*;

use std::path::Path;

/// Every finding as `path: [rule] message`, sorted.
fn lint(root: &Path) -> Vec<String> {
    let (files, _) = seam_linter::collect_files(&[root.to_path_buf()]);
    let mut configs = seam_config::ConfigResolver::default();
    let jobs = seam_linter::plan(&files, root, &mut configs).expect("default config");
    let results = seam_linter::run(&jobs, seam_linter::LintOptions::default());
    let mut lines: Vec<String> = results
        .iter()
        .flat_map(|r| {
            r.diagnostics
                .iter()
                .map(|d| format!("{}: [{}] {}", r.path.display(), d.rule, d.message))
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_same_arguments_give_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let made = generate(a.path(), 400).unwrap();
    assert_eq!(made, generate(b.path(), 400).unwrap());
    assert!(made.source_files >= 400);
    let (files, _) = seam_linter::collect_files(&[a.path().to_path_buf()]);
    assert_eq!(files.len(), made.source_files);
    for file in files {
        let twin = b.path().join(file.strip_prefix(a.path()).unwrap());
        assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(twin).unwrap());
    }
}

#[test]
fn seam_finds_every_planted_mistake_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    // Enough features that every planted mistake occurs at least once.
    let made = generate(dir.path(), 900).unwrap();
    let findings = lint(dir.path());
    let output = findings.join("\n");
    let mut accounted = 0;
    // Expected counts include each feature's findings (missing-auth-check: both actions) and
    // what plants bring about (the planted client-to-server chains put the database package's
    // module-scope DATABASE_URL read in the client graph).
    for (rule, planted, found) in planted_findings(&output, made.features) {
        assert!(planted > 0, "{rule} is planted in no feature");
        assert_eq!(found, planted, "{rule}:\n{output}");
        accounted += found;
    }
    assert_eq!(accounted, findings.len(), "unexpected findings:\n{output}");
}
