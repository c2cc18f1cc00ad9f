//! Same input, same findings: a file's findings never depend on the folder seam is started
//! from, on sibling projects, on which files are named, on the thread count or on the order in
//! which files and declarations are visited. Checked over every fixture app and the demo app,
//! plus the reproductions of the bugs that once broke each promise.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// (absolute file, line, column, rule, message): a finding wherever the run was started.
type Finding = (PathBuf, u64, u64, String, String);

fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> BTreeSet<Finding> {
    let output = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["check", "--format", "json", "--no-cache"])
        .args(args)
        .envs(env.iter().copied())
        .current_dir(cwd)
        .output()
        .expect("seam runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = cwd.join(d["file"].as_str().unwrap());
            (
                file.canonicalize().unwrap_or(file),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn under(findings: &BTreeSet<Finding>, dir: &Path) -> BTreeSet<Finding> {
    findings
        .iter()
        .filter(|f| f.0.starts_with(dir))
        .cloned()
        .collect()
}

fn fixture_apps() -> Vec<PathBuf> {
    let mut apps: Vec<PathBuf> = std::fs::read_dir(repo_root().join("tests/fixtures/apps"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    apps.sort();
    apps.push(demo_app());
    apps
}

#[test]
fn every_fixture_app_gets_the_same_findings_however_seam_is_run() {
    let fixtures = repo_root().join("tests/fixtures");
    let from_parent = run(&fixtures, &["."], &[]);
    let reversed_from_parent = run(&fixtures, &["."], &[("SEAM_TEST_REVERSE_ORDER", "1")]);
    assert_eq!(
        from_parent, reversed_from_parent,
        "files visited in reverse order"
    );
    assert!(
        from_parent.len() > 50,
        "the fixtures have findings to compare"
    );
    for app in fixture_apps() {
        let name = app.file_name().unwrap().to_string_lossy().into_owned();
        let alone = run(&app, &["."], &[]);
        assert_eq!(
            under(&from_parent, &app),
            alone,
            "{name}: checked from its parent beside the other fixtures"
        );
        for threads in ["1", "2", "8"] {
            assert_eq!(
                run(&app, &[".", "--threads", threads], &[]),
                alone,
                "{name}: with {threads} threads"
            );
        }
        // Each file with findings, named alone (as lint-staged and pre-commit hooks do).
        let files: BTreeSet<&PathBuf> = alone.iter().map(|f| &f.0).collect();
        for file in files {
            let named = run(&app, &[file.to_str().unwrap()], &[]);
            assert_eq!(
                named,
                under(&alone, file),
                "{name}: {} named alone",
                file.display()
            );
        }
    }
}

/// A bare `{}` tsconfig in a sibling folder once decided every other project's `@/` aliases
/// (oxc_resolver kept the first config it loaded for all of them).
#[test]
fn a_sibling_project_does_not_change_how_aliases_resolve() {
    let dir = project(&[
        ("a/tsconfig.json", "{}"),
        ("a/x.ts", "export const y = 1\n"),
        ("b/tsconfig.json", r#"{"compilerOptions":{"paths":{"@/*":["./*"]}}}"#),
        ("b/package.json", r#"{"dependencies":{"next":"16.4.5","next-auth":"5.0.0"}}"#),
        (
            "b/lib/db.ts",
            "import { drizzle } from 'drizzle-orm/postgres-js';\nexport const db = drizzle(process.env.DATABASE_URL!);\n",
        ),
        (
            "b/lib/q.ts",
            "import { db } from './db';\nexport async function del(id: string) { return db.delete(id); }\n",
        ),
        (
            "b/app/actions.ts",
            "'use server';\nimport { del } from '@/lib/q';\nexport async function removeThing(id: string) { await del(id); }\n",
        ),
    ]);
    let alone = run(&dir.path().join("b"), &["."], &[]);
    let auth: Vec<_> = alone
        .iter()
        .filter(|f| f.3 == "missing-auth-check")
        .collect();
    assert_eq!(auth.len(), 1, "{alone:?}");
    assert_eq!(run(dir.path(), &["."], &[]), alone);
    assert_eq!(run(dir.path(), &["a", "b"], &[]), alone);
}

/// `a()` calls `b()` (which enforces auth, then calls `a()`) before deleting rows: protected.
/// A summary asked for while it was being computed once came back empty and was memoised, so the
/// answer depended on which action was declared (or checked, on another thread) first.
#[test]
fn recursive_helpers_get_the_same_summary_whichever_action_comes_first() {
    let ops = "import { auth } from '@clerk/nextjs/server';\nimport { db } from './db';\n\
               export async function a() { await b(); await db.delete(1); }\n\
               export async function b() { await auth.protect(); await a(); }\n";
    let db = "import { drizzle } from 'drizzle-orm/postgres-js';\nexport const db = drizzle(process.env.DATABASE_URL!);\n";
    let manifest = r#"{"dependencies":{"next":"16.4.5","@clerk/nextjs":"6.0.0"}}"#;
    let a_first = "'use server';\nimport { a, b } from '../lib/ops';\n\
                   export async function runA() { await a(); }\nexport async function runB() { await b(); }\n";
    let b_first = "'use server';\nimport { a, b } from '../lib/ops';\n\
                   export async function runB() { await b(); }\nexport async function runA() { await a(); }\n";
    for actions in [a_first, b_first] {
        let dir = project(&[
            ("package.json", manifest),
            ("lib/ops.ts", ops),
            ("lib/db.ts", db),
            ("app/actions.ts", actions),
        ]);
        for threads in ["1", "2"] {
            for env in [&[][..], &[("SEAM_TEST_REVERSE_ORDER", "1")][..]] {
                let found = run(dir.path(), &[".", "--threads", threads], env);
                assert!(
                    found.iter().all(|f| f.3 != "missing-auth-check"),
                    "{actions}: {found:?}"
                );
            }
        }
    }
}

/// "The project has an auth system" belongs to each project: an app without an auth library
/// gets no auth findings when checked beside one that has one.
#[test]
fn project_facts_stay_in_their_project() {
    let action = "'use server';\nimport { db } from '../lib/db';\nexport async function removeAll() { await db.delete(1); }\n";
    let db = "import { drizzle } from 'drizzle-orm/postgres-js';\nexport const db = drizzle(process.env.DATABASE_URL!);\n";
    let dir = project(&[
        (
            "with-auth/package.json",
            r#"{"dependencies":{"next":"16.4.5","next-auth":"5.0.0"}}"#,
        ),
        ("with-auth/lib/db.ts", db),
        ("with-auth/app/actions.ts", action),
        (
            "without/package.json",
            r#"{"dependencies":{"next":"16.4.5"}}"#,
        ),
        ("without/lib/db.ts", db),
        ("without/app/actions.ts", action),
    ]);
    let together = run(dir.path(), &["."], &[]);
    let auth_files: BTreeSet<_> = together
        .iter()
        .filter(|f| f.3 == "missing-auth-check")
        .map(|f| {
            f.0.strip_prefix(dir.path().canonicalize().unwrap())
                .unwrap()
                .to_path_buf()
        })
        .collect();
    assert_eq!(
        auth_files,
        BTreeSet::from([PathBuf::from("with-auth/app/actions.ts")])
    );
    for app in ["with-auth", "without"] {
        let path = dir.path().join(app);
        assert_eq!(
            run(&path, &["."], &[]),
            under(&together, &path.canonicalize().unwrap())
        );
    }
}

/// A file named alone is analysed with its project: a secret read in a module that only a
/// client component imports is reported whether the module or the whole app is named.
#[test]
fn a_named_file_is_checked_against_its_whole_project() {
    let dir = project(&[
        ("package.json", r#"{"dependencies":{"next":"16.4.5"}}"#),
        ("lib/constants.ts", "export const key = process.env.STRIPE_SECRET_KEY;\n"),
        (
            "components/pay.tsx",
            "'use client';\nimport { key } from '../lib/constants';\nexport function Pay() { return <p>{key}</p>; }\n",
        ),
    ]);
    let whole = run(dir.path(), &["."], &[]);
    let constants = dir.path().canonicalize().unwrap().join("lib/constants.ts");
    let expected = under(&whole, &constants);
    assert!(
        expected.iter().any(|f| f.3 == "server-env-in-client"),
        "{whole:?}"
    );
    assert_eq!(run(dir.path(), &["lib/constants.ts"], &[]), expected);
    assert_eq!(
        run(&dir.path().join("lib"), &["constants.ts"], &[]),
        expected
    );
}

/// `--changed-since REF` reports the files git says changed, with the same findings a whole run
/// gives them.
#[test]
fn changed_since_reports_changed_files_with_whole_project_findings() {
    let dir = project(&[
        ("package.json", r#"{"dependencies":{"next":"16.4.5"}}"#),
        ("lib/constants.ts", "export const key = 1;\n"),
        (
            "components/pay.tsx",
            "'use client';\nimport { key } from '../lib/constants';\nexport function Pay() { return <p>{key}</p>; }\n",
        ),
    ]);
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "start"]);
    assert!(run(dir.path(), &["--changed-since", "HEAD"], &[]).is_empty());
    std::fs::write(
        dir.path().join("lib/constants.ts"),
        "export const key = process.env.STRIPE_SECRET_KEY;\n",
    )
    .unwrap();
    let changed = run(dir.path(), &["--changed-since", "HEAD"], &[]);
    let whole = run(dir.path(), &["."], &[]);
    let constants = dir.path().canonicalize().unwrap().join("lib/constants.ts");
    assert!(!changed.is_empty());
    assert_eq!(changed, under(&whole, &constants));
}
