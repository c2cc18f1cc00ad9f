//! The cache of facts and results: a warm run gives the same findings as a cold one, and a change
//! anywhere a file's findings depend on reaches them.

use std::path::Path;

use crate::support::{findings, project, seam};

fn client_app() -> tempfile::TempDir {
    project(&[
        (
            "tsconfig.json",
            r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }"#,
        ),
        (
            "src/app/widget.tsx",
            "'use client';\nimport { label } from '@/lib/a';\nexport function Widget() { return <p>{label}</p>; }\n",
        ),
        ("src/lib/a.ts", "export { label } from './b';\n"),
        ("src/lib/b.ts", "export const label = 'hello';\n"),
        ("src/other/b.ts", "import 'server-only';\nexport const label = 'server';\n"),
    ])
}

fn check(dir: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    seam(dir, &args)
}

fn rules_of(run: &crate::support::Run) -> Vec<String> {
    findings(&run.json()).into_values().flatten().collect()
}

#[test]
fn a_warm_run_reports_exactly_what_a_cold_run_does() {
    let dir = crate::support::demo_app();
    let cold = check(&dir, &["--no-cache"]);
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let cache = cache.to_str().unwrap();
    let filling = check(&dir, &["--cache-dir", cache]);
    let warm = check(&dir, &["--cache-dir", cache]);
    assert!(Path::new(cache).join("results.bin").is_file());
    assert!(Path::new(cache).join("facts.bin").is_file());
    assert_eq!(cold.stdout, filling.stdout);
    assert_eq!(cold.stdout, warm.stdout);
    assert_eq!(cold.code, warm.code);
    assert!(!rules_of(&warm).is_empty());
}

#[test]
fn a_change_two_imports_away_reaches_the_client_component() {
    let app = client_app();
    assert!(rules_of(&check(app.path(), &[])).is_empty());
    assert!(app.path().join(".seam-cache/results.bin").is_file());
    // The component's own text is unchanged; the module it reaches through a barrel changes.
    std::fs::write(
        app.path().join("src/lib/b.ts"),
        "import 'server-only';\nexport const label = 'hello';\n",
    )
    .unwrap();
    assert_eq!(
        rules_of(&check(app.path(), &[])),
        ["server-import-in-client"]
    );
    std::fs::write(
        app.path().join("src/lib/b.ts"),
        "export const label = 'hello';\n",
    )
    .unwrap();
    assert!(rules_of(&check(app.path(), &[])).is_empty());
}

#[test]
fn a_tsconfig_change_that_moves_an_alias_is_picked_up() {
    let app = client_app();
    assert!(rules_of(&check(app.path(), &[])).is_empty());
    std::fs::write(
        app.path().join("src/lib/a.ts"),
        "export { label } from '@/lib/b';\n",
    )
    .unwrap();
    assert!(rules_of(&check(app.path(), &[])).is_empty());
    // Only tsconfig.json changes: `@/lib/b` now resolves to src/other/b.ts, which is server-only.
    std::fs::write(
        app.path().join("tsconfig.json"),
        r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/lib/b": ["./src/other/b.ts"], "@/*": ["./src/*"] } } }"#,
    )
    .unwrap();
    assert_eq!(
        rules_of(&check(app.path(), &[])),
        ["server-import-in-client"]
    );
}

#[test]
fn config_changes_reach_cached_results() {
    let app = client_app();
    std::fs::write(
        app.path().join("src/lib/b.ts"),
        "import 'server-only';\nexport const label = 1;\n",
    )
    .unwrap();
    assert_eq!(
        rules_of(&check(app.path(), &[])),
        ["server-import-in-client"]
    );
    std::fs::write(
        app.path().join("seam.json"),
        r#"{ "rules": { "server-import-in-client": "off" } }"#,
    )
    .unwrap();
    assert!(rules_of(&check(app.path(), &[])).is_empty());
}

#[test]
fn no_cache_writes_nothing_and_a_broken_cache_is_ignored() {
    let app = client_app();
    check(app.path(), &["--no-cache"]);
    assert!(!app.path().join(".seam-cache").exists());
    std::fs::create_dir_all(app.path().join(".seam-cache")).unwrap();
    std::fs::write(
        app.path().join(".seam-cache/results.bin"),
        b"\xff\x00garbage",
    )
    .unwrap();
    std::fs::write(app.path().join(".seam-cache/facts.bin"), b"\x01\x02\x03").unwrap();
    let run = check(app.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(rules_of(&run).is_empty());
    // The broken files were replaced by good ones.
    assert!(
        std::fs::read(app.path().join(".seam-cache/results.bin"))
            .unwrap()
            .len()
            > 10
    );
}

#[test]
fn the_cache_goes_to_node_modules_when_there_is_one() {
    let app = client_app();
    std::fs::create_dir_all(app.path().join("node_modules")).unwrap();
    check(app.path(), &[]);
    assert!(app
        .path()
        .join("node_modules/.cache/seam/facts.bin")
        .is_file());
    assert!(!app.path().join(".seam-cache").exists());
}

/// In a fresh clone (no node_modules) a workspace package resolves through the workspace's
/// member list: a change to that list must reach findings that depend on the import.
#[test]
fn a_changed_workspace_member_list_reaches_cached_findings() {
    let dir = project(&[
        ("pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n  - 'packages/*'\n"),
        ("package.json", r#"{ "name": "root", "private": true }"#),
        ("packages/db/package.json", r#"{ "name": "@acme/db", "main": "./src/index.ts" }"#),
        ("packages/db/src/index.ts", "import 'server-only';\nexport const db = 1;\n"),
        ("apps/web/package.json", r#"{ "name": "web", "dependencies": { "next": "16.4.5" } }"#),
        (
            "apps/web/components/chart.tsx",
            "'use client';\nimport { db } from '@acme/db';\nexport function Chart() { return <p>{db}</p>; }\n",
        ),
    ]);
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let cache = cache.to_str().unwrap();
    let first = check(dir.path(), &["--cache-dir", cache]);
    assert!(
        rules_of(&first).contains(&"server-import-in-client".to_string()),
        "{}",
        first.stdout
    );
    std::fs::write(
        dir.path().join("pnpm-workspace.yaml"),
        "packages:\n  - 'apps/*'\n",
    )
    .unwrap();
    let second = check(dir.path(), &["--cache-dir", cache]);
    assert!(rules_of(&second).is_empty(), "{}", second.stdout);
}

/// A cache file with a flipped bit, or cut short, reads as no cache: the findings are the
/// ones a cold run gives, on this run and the next.
#[test]
fn damaged_cache_files_are_recomputed_not_trusted() {
    let dir = project(&[
        ("package.json", r#"{ "dependencies": { "next": "16.4.5" } }"#),
        ("lib/keys.ts", "export const key = process.env.STRIPE_SECRET_KEY;\n"),
        (
            "components/pay.tsx",
            "'use client';\nimport { key } from '../lib/keys';\nexport function Pay() { return <p>{key}</p>; }\n",
        ),
        ("lib/other.ts", "export const other = 1;\n"),
    ]);
    let cold = check(dir.path(), &["--no-cache"]);
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    check(dir.path(), &["--cache-dir", cache_arg]);
    let gives_cold_findings = |case: &str| {
        let warm = check(dir.path(), &["--cache-dir", cache_arg]);
        assert_eq!(
            warm.json()["diagnostics"],
            cold.json()["diagnostics"],
            "{case}"
        );
    };
    for file in ["results.bin", "facts.bin"] {
        let path = cache.join(file);
        let pristine = std::fs::read(&path).unwrap();
        // Bits inside the text of a finding or a fact (a name the rules read), and elsewhere.
        let inside = |needle: &[u8]| pristine.windows(needle.len()).position(|w| w == needle);
        let mut places: Vec<usize> = [&b"STRIPE_SECRET_KEY"[..], b"keys", b"Pay"]
            .iter()
            .filter_map(|n| inside(n).map(|at| at + 2))
            .collect();
        places.extend((0..10).map(|i| (i * 7919 + 13) % pristine.len()));
        for (trial, at) in places.into_iter().enumerate() {
            let mut bytes = pristine.clone();
            bytes[at] ^= 1 << (trial % 7);
            std::fs::write(&path, &bytes).unwrap();
            if file == "facts.bin" {
                // Results stay valid only while no input changes: edit one so facts are read.
                std::fs::write(
                    dir.path().join("lib/other.ts"),
                    format!("export const other = {trial};\n"),
                )
                .unwrap();
            }
            gives_cold_findings(&format!("{file}, byte {at}"));
            std::fs::write(&path, &pristine).unwrap();
        }
        let mut cut = pristine.clone();
        cut.truncate(pristine.len() / 2);
        std::fs::write(&path, &cut).unwrap();
        gives_cold_findings(&format!("{file} cut short"));
        std::fs::write(&path, &pristine).unwrap();
    }
}
