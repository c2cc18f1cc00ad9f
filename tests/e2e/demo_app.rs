use crate::support::*;

#[test]
fn every_finding_on_the_demo_app_is_marked_and_every_marker_is_found() {
    let run = seam(&demo_app(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "warnings only: exit 0\n{}", run.stderr);
    let json = run.json();
    let mut expected = expect_markers(&demo_app());
    // scripts/ is ignored by the demo's seam.json and its markers-free leak must stay quiet.
    expected.retain(|(file, _), _| !file.starts_with("scripts/"));
    assert_eq!(findings(&json), expected);
    let summary = &json["summary"];
    assert_eq!(summary["errors"], 0);
    assert_eq!(
        summary["warnings"].as_u64().unwrap() as usize,
        expected.values().map(Vec::len).sum::<usize>()
    );
    for rule in [
        "throw-in-action",
        "revalidate-path-overuse",
        "unbounded-module-cache",
        "unbounded-data-cache",
        "missing-cache-life",
        "missing-auth-check",
        "unused-suppression",
    ] {
        assert!(
            expected.values().flatten().any(|r| r == rule),
            "the demo shows {rule}"
        );
    }
}

#[test]
fn max_warnings_turns_warnings_into_a_failure() {
    assert_eq!(
        seam(
            &demo_app(),
            &["check", "--max-warnings", "0", "--format", "concise"]
        )
        .code,
        1
    );
    assert_eq!(
        seam(
            &demo_app(),
            &["check", "--max-warnings", "1000", "--format", "concise"]
        )
        .code,
        0
    );
}

#[test]
fn json_diagnostics_have_the_documented_shape() {
    let json = seam(&demo_app(), &["check", "--format", "json"]).json();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let d = &json["diagnostics"][0];
    assert_eq!(
        keys(d),
        [
            "column",
            "endColumn",
            "endLine",
            "file",
            "fix",
            "help",
            "line",
            "message",
            "related",
            "rule",
            "severity"
        ]
    );
    assert_eq!(
        keys(&json["summary"]),
        ["errors", "files", "fixable", "infos", "warnings"]
    );
    let with_fix = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| !d["fix"].is_null())
        .expect("a fix");
    assert_eq!(
        keys(&with_fix["fix"]),
        ["applicability", "edits", "message"]
    );
    assert!(["safe", "unsafe"].contains(&with_fix["fix"]["applicability"].as_str().unwrap()));
    let related = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["related"].as_array().is_some_and(|r| !r.is_empty()))
        .unwrap();
    assert_eq!(
        keys(&related["related"][0]),
        ["column", "file", "line", "message"]
    );
}
