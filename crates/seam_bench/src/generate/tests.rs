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
    // The one finding nobody planted directly: the database package reads DATABASE_URL at
    // module scope, and the planted client-to-server chains put it in the client graph.
    let (database_url, planted_only): (Vec<String>, Vec<String>) = findings
        .into_iter()
        .partition(|l| l.contains("packages/db/src/index.ts") && l.contains("DATABASE_URL"));
    assert_eq!(database_url.len(), 1, "{database_url:?}");
    let output = planted_only.join("\n");
    let mut accounted = 0;
    for (rule, planted, found) in planted_findings(&output, made.features) {
        assert!(planted > 0, "{rule} is planted in no feature");
        // missing-auth-check reports both actions of a planted feature.
        let per_feature = if rule == NO_AUTH.rule { 2 } else { 1 };
        assert_eq!(found, planted * per_feature, "{rule}:\n{output}");
        accounted += found;
    }
    assert_eq!(
        accounted,
        planted_only.len(),
        "unexpected findings:\n{output}"
    );
}
