use crate::support::*;

const LEAKY: &str =
    "const log: string[] = []\nexport function record(id: string) {\n  log.push(id)\n}\n";

#[test]
fn invalid_json_exits_2_and_points_at_the_line() {
    let dir = project(&[
        (
            "seam.json",
            "{\n  \"rules\": {\n    \"throw-in-action\": \"warn\",,\n  }\n}\n",
        ),
        ("a.ts", "export {}\n"),
    ]);
    let run = seam(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("seam.json") && run.stderr.contains("invalid JSON"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 │"),
        "points at line 3: {}",
        run.stderr
    );
}

#[test]
fn unknown_rule_exits_2_with_a_suggestion() {
    let dir = project(&[
        (
            "seam.json",
            "// comments are fine\n{ \"rules\": { \"throw-in-actions\": \"off\" } }\n",
        ),
        ("a.ts", "export {}\n"),
    ]);
    let run = seam(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown rule `throw-in-actions`")
            && run.stderr.contains("did you mean `throw-in-action`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 │"), "{}", run.stderr);
}

#[test]
fn wrong_option_type_exits_2() {
    let dir = project(&[("seam.json", "{ \"rules\": { \"revalidate-path-overuse\": [\"warn\", { \"maxCalls\": \"three\" }] } }"), ("a.ts", "export {}\n")]);
    let run = seam(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("invalid options for `revalidate-path-overuse`"),
        "{}",
        run.stderr
    );
    let unknown_option = project(&[
        (
            "seam.json",
            "{ \"rules\": { \"missing-cache-life\": [\"warn\", { \"includePrivat\": true }] } }",
        ),
        ("a.ts", "export {}\n"),
    ]);
    assert_eq!(seam(unknown_option.path(), &["check"]).code, 2);
}

#[test]
fn levels_overrides_and_ignore_apply() {
    let dir = project(&[
        ("seam.json", "{\n  \"rules\": { \"unbounded-module-cache\": \"error\" },\n  \"ignore\": [\"generated/**\"],\n  \"overrides\": [{ \"files\": [\"legacy/**\"], \"rules\": { \"unbounded-module-cache\": \"off\" } }]\n}\n"),
        ("lib/a.ts", LEAKY),
        ("legacy/b.ts", LEAKY),
        ("generated/c.ts", LEAKY),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "an error-level finding fails the run");
    let json = run.json();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["lib/a.ts"]);
    assert_eq!(json["diagnostics"][0]["severity"], "error");
    assert_eq!(json["summary"]["files"], 2, "ignored files are not linted");
}

#[test]
fn the_closest_config_wins() {
    let dir = project(&[
        (
            "seam.json",
            "{ \"rules\": { \"unbounded-module-cache\": \"error\" } }",
        ),
        (
            "packages/web/seam.json",
            "{ \"rules\": { \"unbounded-module-cache\": \"off\" } }",
        ),
        ("lib/a.ts", LEAKY),
        ("packages/web/lib/b.ts", LEAKY),
    ]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["lib/a.ts"]);
}

#[test]
fn the_published_schema_matches_the_rules() {
    let run = seam(&repo_root(), &["schema"]);
    let published = std::fs::read_to_string(repo_root().join("seam.schema.json")).unwrap();
    let generated: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let published: serde_json::Value = serde_json::from_str(&published).unwrap();
    assert_eq!(generated, published, "run `seam schema > seam.schema.json`");
    // The demo's config validates against it.
    let validator = jsonschema::validator_for(&published).unwrap();
    let demo = std::fs::read_to_string(demo_app().join("seam.json")).unwrap();
    let stripped: String = demo
        .lines()
        .map(|l| l.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let demo: serde_json::Value = serde_json::from_str(&stripped).unwrap();
    assert!(validator.is_valid(&demo));
    assert!(!validator.is_valid(&serde_json::json!({ "rules": { "no-such-rule": "warn" } })));
}

#[test]
fn settings_the_rules_read_are_checked() {
    let list = project(&[
        (
            "seam.json",
            "{\n  \"settings\": {\n    \"serverOnlyModules\": \"pg\"\n  }\n}\n",
        ),
        ("a.ts", "export {}\n"),
    ]);
    let run = seam(list.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`serverOnlyModules` must be an array of strings")
            && run.stderr.contains("3 │"),
        "{}",
        run.stderr
    );
    let auth = project(&[
        (
            "seam.json",
            "{ \"settings\": { \"auth\": { \"function\": [\"requireUser\"] } } }\n",
        ),
        ("a.ts", "export {}\n"),
    ]);
    let run = seam(auth.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `functions`?"),
        "{}",
        run.stderr
    );
    // Keys seam does not read are left to whoever does.
    let other = project(&[
        ("seam.json", "{ \"settings\": { \"myTool\": 1 } }\n"),
        ("a.ts", "export {}\n"),
    ]);
    assert_eq!(seam(other.path(), &["check"]).code, 0);
}

/// A rule that is off by default (a convention a team opts into) reports only once the config
/// turns it on; its setting is checked like the others.
#[test]
fn off_by_default_rules_need_the_config() {
    const ACTIONS: &str =
        "'use server'\n\nexport async function deleteProject(id: string) {\n  return id\n}\n";
    let count = |config: &str| -> usize {
        let dir = project(&[("seam.json", config), ("app/actions.ts", ACTIONS)]);
        let run = seam(dir.path(), &["check", "--format", "json"]);
        run.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "action-wrapper-convention")
            .count()
    };
    let wrappers = "\"settings\": { \"actions\": { \"wrappers\": [\"authAction\"] } }";
    assert_eq!(count(&format!("{{ {wrappers} }}")), 0);
    assert_eq!(
        count(&format!(
            "{{ \"rules\": {{ \"action-wrapper-convention\": \"warn\" }}, {wrappers} }}"
        )),
        1
    );
    let typo = project(&[
        (
            "seam.json",
            "{ \"settings\": { \"actions\": { \"wrapper\": [] } } }\n",
        ),
        ("a.ts", "export {}\n"),
    ]);
    let run = seam(typo.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `wrappers`?"),
        "{}",
        run.stderr
    );
    let rules = seam(typo.path(), &["rules"]);
    assert!(
        rules
            .stdout
            .lines()
            .any(|l| l.starts_with("action-wrapper-convention") && l.contains(" off ")),
        "{}",
        rules.stdout
    );
}

/// `"info"` reports a finding without failing the run: exit 0 whatever `--max-warnings` says,
/// counted apart in the summary, a SARIF `note` and a GitHub `notice`.
#[test]
fn info_level_reports_without_failing() {
    let dir = project(&[
        (
            "seam.json",
            "{ \"rules\": { \"throw-in-action\": \"info\" } }\n",
        ),
        (
            "app/actions.ts",
            "'use server'\n\nexport async function save(title: string) {\n  if (!title) throw new Error('A title is required')\n  return { ok: true }\n}\n",
        ),
    ]);
    let run = seam(
        dir.path(),
        &["check", "--format", "json", "--max-warnings", "0"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["diagnostics"][0]["severity"], "info");
    assert_eq!(json["summary"]["infos"], 1);
    assert_eq!(json["summary"]["warnings"], 0);
    let concise = seam(dir.path(), &["check", "--format", "concise"]);
    assert!(
        concise.stdout.contains("info [throw-in-action]"),
        "{}",
        concise.stdout
    );
    assert!(concise.stdout.contains("(1 info)"), "{}", concise.stdout);
    let sarif = seam(dir.path(), &["check", "--format", "sarif"]).json();
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");
    let github = seam(dir.path(), &["check", "--format", "github"]);
    assert!(github.stdout.starts_with("::notice "), "{}", github.stdout);
}
