use crate::support::*;

#[test]
fn rules_lists_every_rule_with_its_metadata() {
    let run = seam(&repo_root(), &["rules"]);
    assert_eq!(run.code, 0);
    for line in [
        "throw-in-action",
        "revalidate-path-overuse",
        "unbounded-module-cache",
        "unbounded-data-cache",
        "missing-cache-life",
        "parse-error",
        "unused-suppression",
    ] {
        assert!(run.stdout.contains(line), "{line}");
    }
    let revalidate = run
        .stdout
        .lines()
        .find(|l| l.starts_with("revalidate-path-overuse"))
        .unwrap();
    assert!(
        revalidate.contains("warn") && revalidate.contains("safe"),
        "{revalidate}"
    );
}

#[test]
fn rule_prints_its_doc_page() {
    let run = seam(&repo_root(), &["rule", "missing-cache-life"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        std::fs::read_to_string(repo_root().join("rules/missing-cache-life.md")).unwrap()
    );
    let unknown = seam(&repo_root(), &["rule", "missing-cache-lif"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("did you mean `missing-cache-life`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn every_rule_has_a_doc_page_with_the_standard_sections() {
    for rule in std::fs::read_dir(repo_root().join("rules"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(rule.path()).unwrap();
        let name = rule
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(text.starts_with(&format!("# {name}\n")), "{name}");
        for section in ["## Why it matters", "## Examples", "## Options", "## Fix"] {
            assert!(text.contains(section), "{name} lacks {section}");
        }
        assert_eq!(
            seam(&repo_root(), &["rule", &name]).code,
            0,
            "{name} is a known rule"
        );
    }
}

#[test]
fn stdin_is_linted_as_the_named_file() {
    let dir = project(&[("seam.json", "{}")]);
    let source = "'use server'\nexport async function a() {\n  throw new Error('x')\n}\n";
    let run = seam_with_stdin(
        dir.path(),
        &[
            "check",
            "--stdin-filename",
            "app/actions.ts",
            "--format",
            "concise",
        ],
        Some(source),
    );
    assert!(
        run.stdout
            .starts_with("app/actions.ts:3:3: warning [throw-in-action]"),
        "{}",
        run.stdout
    );
    let fix = seam_with_stdin(
        dir.path(),
        &["check", "--stdin-filename", "app/actions.ts", "--fix"],
        Some("'use server'\nimport { revalidatePath } from 'next/cache'\nexport async function a() {\n  revalidatePath('/p/[id]')\n}\n"),
    );
    assert_eq!(fix.stdout, "'use server'\nimport { revalidatePath } from 'next/cache'\nexport async function a() {\n  revalidatePath('/p/[id]', 'page')\n}\n");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(seam(&repo_root(), &["check", "--format", "xml"]).code, 2);
    assert_eq!(seam(&repo_root(), &["frobnicate"]).code, 2);
}
