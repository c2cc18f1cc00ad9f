//! `vulnerable-next-version` and the project facts behind the version-dependent rules: the
//! installed version comes from the lockfile next to package.json (or above it, in a
//! workspace), else from an exact pin; a range alone says nothing about what is installed.

use crate::support::*;

const PAGE: &str = "export default function Page() { return null }\n";

fn vulnerable(run: &Run) -> Vec<(String, u64, String)> {
    run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "vulnerable-next-version")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_exact_pin_in_an_affected_line_is_reported_at_its_dependency() {
    let dir = project(&[
        ("package.json", "{\n  \"name\": \"shop\",\n  \"dependencies\": {\n    \"react\": \"19.1.0\",\n    \"next\": \"15.2.2\"\n  }\n}\n"),
        ("app/page.tsx", PAGE),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    let found = vulnerable(&run);
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, line, message) = &found[0];
    assert_eq!((file.as_str(), *line), ("package.json", 5));
    assert!(
        message.contains("CVE-2025-29927") && message.contains("CVE-2025-66478"),
        "{message}"
    );
    let help = run.json()["diagnostics"][0]["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        help.contains("15.2.6"),
        "the fix for every advisory on the 15.2 line: {help}"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn the_lockfile_version_wins_over_the_range() {
    let lock = "lockfileVersion: '9.0'\n\nimporters:\n\n  apps/web:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.29(react@19.1.0)\n";
    let dir = project(&[
        ("pnpm-lock.yaml", lock),
        (
            "apps/web/package.json",
            r#"{ "dependencies": { "next": "^15.0.0" } }"#,
        ),
        ("apps/web/app/page.tsx", PAGE),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert!(
        vulnerable(&run).is_empty(),
        "15.5.29 has every fix: {:?}",
        vulnerable(&run)
    );

    let old = lock.replace("15.5.29", "15.5.4");
    std::fs::write(dir.path().join("pnpm-lock.yaml"), old).unwrap();
    let run = seam(dir.path(), &["check", "--format", "json"]);
    let found = vulnerable(&run);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "apps/web/package.json");
    assert!(
        found[0].2.contains("15.5.4 (from pnpm-lock.yaml)"),
        "{}",
        found[0].2
    );
}

#[test]
fn ranges_without_a_lockfile_peers_and_fixed_versions_are_not_reported() {
    for manifest in [
        r#"{ "dependencies": { "next": "^15.2.0" } }"#,
        r#"{ "peerDependencies": { "next": "15.2.2" } }"#,
        r#"{ "dependencies": { "next": "16.4.5", "react-server-dom-webpack": "19.2.8" } }"#,
    ] {
        let dir = project(&[("package.json", manifest), ("app/page.tsx", PAGE)]);
        let run = seam(dir.path(), &["check", "--format", "json"]);
        assert!(
            vulnerable(&run).is_empty(),
            "{manifest}: {:?}",
            vulnerable(&run)
        );
    }
}

#[test]
fn the_rule_can_be_turned_off_in_config() {
    let dir = project(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "15.2.2" } }"#,
        ),
        (
            "seam.json",
            r#"{ "rules": { "vulnerable-next-version": "off" } }"#,
        ),
        ("app/page.tsx", PAGE),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert!(vulnerable(&run).is_empty());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn revalidate_tag_with_one_argument_depends_on_the_installed_major() {
    let action = "'use server'\nimport { revalidateTag } from 'next/cache'\nexport async function save() {\n  revalidateTag('posts')\n}\n";
    for (version, expected) in [("15.5.9", 0), ("16.2.4", 1), ("latest", 1)] {
        let manifest = format!(r#"{{ "dependencies": {{ "next": "{version}" }} }}"#);
        let dir = project(&[("package.json", &manifest), ("app/actions.ts", action)]);
        let run = seam(dir.path(), &["check", "--format", "json"]);
        let count = run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "revalidate-tag-signature")
            .count();
        assert_eq!(count, expected, "next {version}");
    }
}

/// One install is one finding: every package.json of a workspace that resolves `next` from the
/// same lockfile to the same version shares it, reported at the first of them by path. A
/// package resolved to another version is its own finding.
#[test]
fn one_finding_per_installed_version_and_lockfile() {
    let lock = "lockfileVersion: '9.0'\n\nimporters:\n\n  apps/admin:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.4(react@19.1.0)\n\n  apps/web:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.4(react@19.1.0)\n\n  packages/ui:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.5.4(react@19.1.0)\n\n  apps/docs:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.2.2(react@19.1.0)\n";
    let manifest = r#"{ "dependencies": { "next": "^15.0.0" } }"#;
    let dir = project(&[
        ("pnpm-lock.yaml", lock),
        (
            "pnpm-workspace.yaml",
            "packages:\n  - apps/*\n  - packages/*\n",
        ),
        ("package.json", r#"{ "name": "root", "private": true }"#),
        ("apps/web/package.json", manifest),
        ("apps/web/app/page.tsx", PAGE),
        ("apps/admin/package.json", manifest),
        ("apps/admin/app/page.tsx", PAGE),
        ("apps/docs/package.json", manifest),
        ("apps/docs/app/page.tsx", PAGE),
        ("packages/ui/package.json", manifest),
        ("packages/ui/index.ts", "export const x = 1\n"),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    let found: Vec<(String, String)> = vulnerable(&run)
        .into_iter()
        .map(|(file, _, message)| (file, message.split(" (from").next().unwrap().to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "apps/admin/package.json".to_string(),
                "next 15.5.4".to_string()
            ),
            (
                "apps/docs/package.json".to_string(),
                "next 15.2.2".to_string()
            ),
        ]
    );
}

/// `sync-dynamic-api` follows the installed Next.js: 16 reads `undefined` (an error), 15 still
/// works with a dev warning (a warning however the rule is configured, unless Cache Components
/// make the promises plain on 15 too), 14 has no promises (nothing).
#[test]
fn sync_dynamic_api_severity_follows_the_next_version() {
    const POST: &str = "import { cookies } from 'next/headers'\n\nexport default async function Post() {\n  const theme = cookies().get('theme')\n  return theme?.value ?? null\n}\n";
    let severities = |next: &str, config: &str| -> Vec<String> {
        let manifest =
            format!("{{ \"dependencies\": {{ \"next\": \"{next}\", \"react\": \"19.2.1\" }} }}\n");
        let dir = project(&[
            ("package.json", &manifest),
            ("next.config.mjs", config),
            ("app/page.tsx", POST),
        ]);
        let run = seam(dir.path(), &["check", "--format", "json"]);
        run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "sync-dynamic-api")
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    let plain = "export default {}\n";
    assert_eq!(severities("16.4.5", plain), ["error"]);
    assert_eq!(severities("15.5.29", plain), ["warning"]);
    assert_eq!(
        severities(
            "15.5.29",
            "export default { experimental: { cacheComponents: true } }\n"
        ),
        ["error"]
    );
    assert!(severities("14.2.35", plain).is_empty());
}
