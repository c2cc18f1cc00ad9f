use crate::support::*;

fn rules_by_line(json: &serde_json::Value) -> Vec<(u64, String)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const ACTIONS: &str = r#"'use server'

export async function a(id: string) {
  // seam-disable-next-line throw-in-action -- validated by the form
  if (!id) throw new Error('missing id')
  if (id.length > 10) throw new Error('too long') // seam-disable-line throw-in-action
  // seam-disable-next-line throw-in-action
  return { ok: true }
}

export async function b() {
  // seam-disable-next-line throw-in-acton, throw-in-action
  throw new Error('b')
}
"#;

#[test]
fn next_line_and_same_line_suppressions_silence_and_unused_ones_are_reported() {
    let dir = project(&[("app/actions.ts", ACTIONS)]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(
        rules_by_line(&json),
        [
            (7, "unused-suppression".to_string()),
            (12, "unused-suppression".to_string())
        ],
        "{json:#}"
    );
    let unknown = &json["diagnostics"][1];
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("unknown rule `throw-in-acton`"));
    assert!(unknown["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `throw-in-action`?"));
}

#[test]
fn fix_removes_unused_suppressions() {
    let dir = project(&[("app/actions.ts", ACTIONS)]);
    seam(dir.path(), &["check", "--fix"]);
    let fixed = std::fs::read_to_string(dir.path().join("app/actions.ts")).unwrap();
    assert!(
        !fixed.contains("  // seam-disable-next-line throw-in-action\n  return"),
        "the unused comment is gone:\n{fixed}"
    );
    assert!(
        fixed.contains("  // seam-disable-next-line throw-in-action\n  throw new Error('b')"),
        "unknown name removed, used one kept:\n{fixed}"
    );
    assert!(fixed.contains("-- validated by the form"));
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0, "{json:#}");
}

#[test]
fn file_level_and_jsx_suppressions() {
    let file_level = "/* seam-disable throw-in-action -- legacy actions, see #12 */\n'use server'\n\nexport async function a() {\n  throw new Error('x')\n}\n";
    let jsx = "export default function Page() {\n  return (\n    <form\n      action={async () => {\n        'use server'\n        {/* seam-disable-next-line throw-in-action */}\n      }}\n    />\n  )\n}\n";
    let late = "'use server'\nexport async function a() {}\n/* seam-disable throw-in-action */\n";
    let dir = project(&[
        ("app/a.ts", file_level),
        ("app/page.tsx", jsx),
        ("app/late.ts", late),
    ]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    let got: Vec<(String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().into(),
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("app/late.ts".into(), 3, "unused-suppression".into()),
            ("app/page.tsx".into(), 6, "unused-suppression".into())
        ],
        "{json:#}"
    );
    assert!(json["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("before the first statement"));
}

#[test]
fn jsx_suppression_removal_takes_the_braces() {
    let jsx = "export default function Page() {\n  return (\n    <div>\n      {/* seam-disable-next-line throw-in-action */}\n      <p>hi</p>\n    </div>\n  )\n}\n";
    let dir = project(&[("app/page.tsx", jsx)]);
    seam(dir.path(), &["check", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/page.tsx")).unwrap(),
        "export default function Page() {\n  return (\n    <div>\n      <p>hi</p>\n    </div>\n  )\n}\n"
    );
}

#[test]
fn a_suppression_needs_a_rule_list() {
    let dir = project(&[(
        "app/a.ts",
        "// seam-disable-next-line\nexport const x = 1\n",
    )]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(json["diagnostics"][0]["rule"], "unused-suppression");
    assert!(json["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("needs the rules"));
}
