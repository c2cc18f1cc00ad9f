//! The cross-file rules on small, realistic apps under `tests/fixtures/apps/`, one app per trap
//! (path aliases, jsconfig, tsconfig `extends`, workspace packages, barrels, type-only imports,
//! dynamic imports, next-safe-action clients, auth helpers, public flows, middleware-only auth,
//! no auth system, Supabase).
//!
//! The framework-aware rules run on a Next 16 app, a Next 15 app (versions from their
//! lockfiles) and an app whose next.config is a function (unreadable: those rules stay silent).
//!
//! For each app, the findings of the cross-file and framework rules (`cross_file_rules`, from each rule's declared `needs`) in
//! `seam check --format json` must equal the `expect:` markers naming those rules. Other rules'
//! findings and markers are ignored here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::*;

/// The rules that read more than one file: the module graph or the project (declared by each
/// rule as `needs`), with findings in source files (package.json cannot carry a marker).
fn cross_file_rules() -> Vec<&'static str> {
    seam_rules::all()
        .iter()
        .filter(|r| r.needs != seam_rules::Needs::File && r.check.is_some())
        .map(|r| r.name)
        .collect()
}

type Lines = BTreeMap<(String, u64), Vec<String>>;

fn apps_dir() -> PathBuf {
    repo_root().join("tests/fixtures/apps")
}

/// `apps/web/node_modules/@acme/db -> ../../../../packages/db` in the workspace app. Git stores
/// the link; recreate it if a checkout lost it (an archive without symlinks, say).
fn ensure_workspace_link() {
    let link = apps_dir().join("workspace-package/apps/web/node_modules/@acme/db");
    if link.exists() {
        return;
    }
    #[cfg(unix)]
    {
        let _ = std::fs::remove_file(&link);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink("../../../../packages/db", &link).unwrap();
    }
}

/// (file, line) -> this test's rules named by `expect:` markers in the source files under `root`.
fn markers(root: &Path) -> Lines {
    only_these_rules(expect_markers(root))
}

fn only_these_rules(mut lines: Lines) -> Lines {
    for rules in lines.values_mut() {
        let cross_file = cross_file_rules();
        rules.retain(|r| cross_file.contains(&r.as_str()));
    }
    lines.retain(|_, rules| !rules.is_empty());
    lines
}

/// (file, line) -> this test's rules reported there (a rule reported twice on a line appears twice).
fn reported(json: &serde_json::Value) -> Lines {
    only_these_rules(findings(json))
}

/// Runs seam on one app; returns a readable list of differences (empty when all match).
fn check_app(name: &str) -> Vec<String> {
    ensure_workspace_link();
    let root = apps_dir().join(name);
    assert!(root.is_dir(), "no fixture app {}", root.display());
    let run = seam(&root, &["check", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "{name}: seam exited with {}\n{}",
        run.code,
        run.stderr
    );
    let json = run.json();
    let expected = markers(&root);
    let found = reported(&json);

    let message = |file: &str, line: u64, rule: &str| -> String {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["file"] == file && d["line"] == line && d["rule"] == rule)
            .and_then(|d| d["message"].as_str())
            .unwrap_or_default()
            .to_string()
    };

    let keys: BTreeSet<&(String, u64)> = expected.keys().chain(found.keys()).collect();
    let mut problems = Vec::new();
    for key in keys {
        let (file, line) = key;
        let want = expected.get(key).cloned().unwrap_or_default();
        let got = found.get(key).cloned().unwrap_or_default();
        if want == got {
            continue;
        }
        let mut missing = want.clone();
        for rule in &got {
            if let Some(i) = missing.iter().position(|r| r == rule) {
                missing.remove(i);
            }
        }
        let mut extra = got.clone();
        for rule in &want {
            if let Some(i) = extra.iter().position(|r| r == rule) {
                extra.remove(i);
            }
        }
        for rule in missing {
            problems.push(format!("{name}/{file}:{line}: missing {rule}"));
        }
        for rule in extra {
            problems.push(format!(
                "{name}/{file}:{line}: unexpected {rule}: {}",
                message(file, *line, &rule)
            ));
        }
    }
    problems
}

fn assert_app(name: &str) {
    let problems = check_app(name);
    assert!(
        problems.is_empty(),
        "{} mismatch(es) between findings and markers:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

macro_rules! app_tests {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                assert_app($dir);
            }
        )*

        const APPS: &[&str] = &[$($dir),*];
    };
}

app_tests! {
    alias_chain => "alias-chain",
    jsconfig_paths => "jsconfig-paths",
    tsconfig_extends => "tsconfig-extends",
    workspace_package => "workspace-package",
    barrel => "barrel",
    type_only_imports => "type-only-imports",
    dynamic_import => "dynamic-import",
    safe_action_clients => "safe-action-clients",
    helpers_two_deep => "helpers-two-deep",
    public_flows => "public-flows",
    middleware_only => "middleware-only",
    no_auth_system => "no-auth-system",
    supabase => "supabase",
    next16 => "next16",
    next15 => "next15",
    config_function => "config-function",
    server_components => "server-components",
    next15_cache_flag => "next15-cache-flag",
}

#[test]
fn every_fixture_app_has_a_test_and_the_apps_show_both_rules() {
    let mut on_disk: Vec<String> = std::fs::read_dir(apps_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = APPS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "add new apps to app_tests! in graph_apps.rs"
    );

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for app in APPS {
        for rule in markers(&apps_dir().join(app)).into_values().flatten() {
            *counts.entry(rule).or_default() += 1;
        }
    }
    for rule in cross_file_rules() {
        assert!(
            counts.get(rule).is_some_and(|n| *n > 0),
            "no app marks {rule}"
        );
    }
}
