//! Biome-style fixture folders: `tests/fixtures/<rule>/{valid,invalid}/**`. Every line that
//! carries an `expect: <rule>` comment must get exactly that diagnostic; no other line may get one.
//! Paths are relative to the valid/invalid folder (path-based exemptions see `scripts/seed.ts`,
//! not the fixture tree), and the Next version comes from a package.json inside that folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use seam_diagnostics::{Diagnostic, LineIndex};
use seam_rules::{FileContext, ProjectInfo};
use seam_syntax::{analyze_to, analyze_with, is_lintable, Analysis, Depth};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else if is_lintable(&path) {
            out.push(path);
        }
    }
}

/// The rule names each 1-based line expects.
fn expected_markers(source: &str) -> BTreeMap<u32, Vec<String>> {
    let mut out = BTreeMap::new();
    for (i, line) in source.lines().enumerate() {
        let Some(pos) = line.find("expect:") else {
            continue;
        };
        let rest = &line[pos + "expect:".len()..];
        let rest = rest.split("*/").next().unwrap_or(rest);
        let mut names: Vec<String> = rest
            .split(',')
            .map(|s| s.trim().trim_end_matches('}').trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        names.sort();
        out.insert(i as u32 + 1, names);
    }
    out
}

fn project_for(file: &Path, case_root: &Path) -> ProjectInfo {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if let Ok(text) = fs::read_to_string(d.join("package.json")) {
            return ProjectInfo::from_package_json(&text);
        }
        if d == case_root {
            break;
        }
        dir = d.parent();
    }
    ProjectInfo::default()
}

pub fn run_rule(
    rule: &seam_rules::Rule,
    relative: &Path,
    source: &str,
    project: &ProjectInfo,
) -> Vec<Diagnostic> {
    run_rule_to(rule, relative, source, project, Depth::Needed)
}

fn run_rule_to(
    rule: &seam_rules::Rule,
    relative: &Path,
    source: &str,
    project: &ProjectInfo,
    depth: Depth,
) -> Vec<Diagnostic> {
    let options: serde_json::Value = source
        .lines()
        .next()
        .and_then(|l| l.trim().strip_prefix("// options:"))
        .map(|json| serde_json::from_str(json.trim()).expect("options JSON"))
        .unwrap_or_else(|| serde_json::json!({}));
    (rule.validate_options)(&options).expect("valid options");
    // `// settings: {...}` on a first or second line: the config's shared settings.
    let settings: serde_json::Value = source
        .lines()
        .take(2)
        .find_map(|l| l.trim().strip_prefix("// settings:"))
        .map(|json| serde_json::from_str(json.trim()).expect("settings JSON"))
        .unwrap_or_else(|| serde_json::json!({}));
    // As the linter does: tests and scripts (by their path in the project) are analysed as such.
    let role = seam_rules::file_role(relative);
    let facts = match analyze_with(relative, source, depth, role) {
        Analysis::Facts(f) => f,
        Analysis::SyntaxError(e) => panic!("{} does not parse: {e:?}", relative.display()),
    };
    let ctx = FileContext {
        path: relative,
        source,
        facts: &facts,
        project,
        options: &options,
        settings: &settings,
        graph: None,
    };
    let mut out = Vec::new();
    (rule.check.expect("rule with check"))(&ctx, &mut out);
    out
}

#[test]
fn fixtures_match_their_expect_markers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut snapshots = Vec::new();
    // Rules that need the module graph, or the project (installed Next version, next.config),
    // are tested on the multi-file apps in tests/fixtures/apps (tests/e2e/graph_apps.rs).
    let cross_file = [
        "server-import-in-client",
        "missing-auth-check",
        "unknown-cache-life-profile",
        "invalid-cache-life",
        "dynamic-api-in-cache",
        "cache-api-outside-cache",
        "revalidate-tag-signature",
        "redirect-in-try-catch",
        "server-env-in-client",
        "cache-not-enabled",
        "client-api-in-server-component",
        "invalid-segment-export",
        "sync-dynamic-api",
        "side-effect-in-cache",
        "public-action-rate-limit",
    ];
    for rule in seam_rules::all()
        .iter()
        .filter(|r| r.check.is_some() && !cross_file.contains(&r.name))
    {
        let mut snapshot = String::new();
        for kind in ["invalid", "valid"] {
            let case_root = root.join(rule.name).join(kind);
            let mut files = Vec::new();
            files_under(&case_root, &mut files);
            assert!(!files.is_empty(), "no fixtures for {}/{kind}", rule.name);
            for file in files {
                checked += 1;
                let source = fs::read_to_string(&file).unwrap();
                let relative = file.strip_prefix(&case_root).unwrap();
                let project = project_for(&file, &case_root);
                let diagnostics = run_rule(rule, relative, &source, &project);
                let index = LineIndex::new(&source);
                let mut actual: BTreeMap<u32, Vec<String>> = BTreeMap::new();
                for d in &diagnostics {
                    let line = index.line_col(&source, d.range.start).line;
                    actual.entry(line).or_default().push(d.rule.to_string());
                    if kind == "invalid" {
                        snapshot.push_str(&format!(
                            "{}:{line}: {}\n",
                            relative.display(),
                            d.message
                        ));
                    }
                }
                actual.values_mut().for_each(|v| v.sort());
                let expected: BTreeMap<u32, Vec<String>> = expected_markers(&source)
                    .into_iter()
                    .map(|(l, names)| {
                        (
                            l,
                            names
                                .into_iter()
                                .filter(|n| n == rule.name)
                                .collect::<Vec<_>>(),
                        )
                    })
                    .filter(|(_, v)| !v.is_empty())
                    .collect();
                if expected != actual {
                    failures.push(format!(
                        "{}/{kind}/{}:\n  expected {:?}\n  actual   {:?}\n  messages {:#?}",
                        rule.name,
                        relative.display(),
                        expected,
                        actual,
                        diagnostics
                            .iter()
                            .map(|d| (index.line_col(&source, d.range.start).line, &d.message))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
        snapshots.push((rule.name, snapshot));
    }
    assert!(checked > 50, "only {checked} fixture files");
    assert!(
        failures.is_empty(),
        "{} fixture(s) disagree with their markers:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for (name, snapshot) in snapshots {
        insta::assert_snapshot!(format!("messages__{name}"), snapshot);
    }
}

/// Skipping the traversal of modules that cannot matter must never change a finding: every rule
/// runs on every fixture (and the demo app) with the shortcut and with a full traversal.
#[test]
fn shortcut_never_changes_a_finding() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&manifest.join("tests/fixtures"), &mut files);
    files_under(&manifest.join("../../tests/fixtures/demo-app"), &mut files);
    files_under(&manifest.join("../../tests/fixtures/apps"), &mut files);
    assert!(files.len() > 100, "{} files", files.len());
    // SEAM_EQUIVALENCE_CORPUS=/path/to/apps adds real code (not committed) to the comparison.
    let corpus = std::env::var_os("SEAM_EQUIVALENCE_CORPUS").map(PathBuf::from);
    let corpus_start = files.len();
    if let Some(dir) = &corpus {
        files_under(dir, &mut files);
    }
    let mut traversed = 0;
    let mut compared = 0;
    for (index, file) in files.iter().enumerate() {
        let Ok(source) = fs::read_to_string(file) else {
            continue;
        };
        // Rules see the path inside its case folder, as in the other test (exemptions are by path).
        let components: Vec<_> = file.components().collect();
        let relative: PathBuf = match components.iter().rposition(|c| {
            matches!(
                c.as_os_str().to_str(),
                Some("valid" | "invalid" | "demo-app")
            )
        }) {
            Some(root) if index < corpus_start => components[root + 1..].iter().collect(),
            _ => file
                .strip_prefix(corpus.as_deref().unwrap_or(Path::new("")))
                .unwrap_or(file)
                .to_path_buf(),
        };
        if !matches!(
            analyze_to(&relative, &source, Depth::Full),
            Analysis::Facts(_)
        ) {
            continue; // real code that does not parse is compared by nothing
        }
        let first_line_options = source
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("// options:"));
        // Rules that need the module graph are tested on the multi-file apps in tests/fixtures/apps.
        let cross_file = ["server-import-in-client", "missing-auth-check"];
        for rule in seam_rules::all()
            .iter()
            .filter(|r| r.check.is_some() && !cross_file.contains(&r.name))
        {
            if first_line_options && !file.to_string_lossy().contains(rule.name) {
                continue; // options written for another rule
            }
            let project = ProjectInfo::default();
            let needed = run_rule_to(rule, &relative, &source, &project, Depth::Needed);
            let full = run_rule_to(rule, &relative, &source, &project, Depth::Full);
            assert_eq!(needed, full, "{} on {}", rule.name, file.display());
            compared += full.len();
        }
        if let Analysis::Facts(f) = analyze_to(file, &source, Depth::Needed) {
            traversed += usize::from(!f.functions.is_empty());
        }
    }
    assert!(
        traversed > 0 && traversed < files.len(),
        "the shortcut both skips and traverses: {traversed} of {}",
        files.len()
    );
    assert!(compared > 100, "only {compared} findings compared");
}
