use crate::support::*;

const LEAKY: &str =
    "const log: string[] = []\nexport function record(id: string) {\n  log.push(id)\n}\n";

fn linted_files(json: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    files.dedup();
    files
}

#[test]
fn skips_build_output_dependencies_gitignored_and_declaration_files() {
    let dir = project(&[
        ("src/a.ts", LEAKY),
        ("src/b.mts", LEAKY),
        (
            "src/c.cjs",
            "const cache = new Map()\nexports.get = function (id) { cache.set(id, id) }\n",
        ),
        ("node_modules/pkg/index.js", LEAKY),
        (".next/server/chunk.js", LEAKY),
        ("dist/a.js", LEAKY),
        ("coverage/a.js", LEAKY),
        ("src/types.d.ts", "declare const x: number\n"),
        ("src/generated/out.ts", LEAKY),
        (".gitignore", "src/generated/\n"),
        ("README.md", "# not code\n"),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    let json = run.json();
    assert_eq!(
        linted_files(&json),
        ["src/a.ts", "src/b.mts", "src/c.cjs"],
        "{json:#}"
    );
    assert_eq!(json["summary"]["files"], 3);
}

#[test]
fn explicit_paths_are_linted_once() {
    let dir = project(&[
        ("src/a.ts", LEAKY),
        ("src/generated/out.ts", LEAKY),
        (".gitignore", "src/generated/\n"),
    ]);
    let json = seam(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "src/generated/out.ts",
            "src",
            "src/a.ts",
        ],
    )
    .json();
    assert_eq!(linted_files(&json), ["src/a.ts", "src/generated/out.ts"]);
    assert_eq!(json["summary"]["files"], 2);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_broken_links_do_not_hang_or_duplicate() {
    let dir = project(&[("src/a.ts", LEAKY)]);
    std::os::unix::fs::symlink(dir.path().join("src"), dir.path().join("src/loop")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("missing.ts"),
        dir.path().join("src/broken.ts"),
    )
    .unwrap();
    let run = seam(dir.path(), &["check", "--format", "json"]);
    let json = run.json();
    assert_eq!(linted_files(&json), ["src/a.ts"]);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn a_file_that_does_not_parse_is_one_error_and_the_run_goes_on() {
    let dir = project(&[
        ("src/broken.ts", "export const = ;\nfunction (\n"),
        ("src/a.ts", LEAKY),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    let rules: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("src/a.ts", "unbounded-module-cache"),
            ("src/broken.ts", "parse-error")
        ]
    );
    assert_eq!(json["diagnostics"][1]["line"], 1);
}

#[test]
fn syntax_follows_the_extension() {
    // `<T>(x)` is a type assertion in .ts and JSX in .tsx; JSX in .js parses.
    let dir = project(&[
        ("a.ts", "export const y = <string>(JSON.parse('1'))\n"),
        ("b.tsx", "export const C = () => <div>hi</div>\n"),
        ("c.js", "export const C = () => <div>hi</div>\n"),
        ("d.tsx", "export const y = <string>(JSON.parse('1'))\n"),
    ]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(
        linted_files(&json),
        ["d.tsx"],
        "only the TS assertion in a .tsx file is a syntax error"
    );
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let dir = project(&[("a.ts", "export {}\n")]);
    let run = seam(dir.path(), &["check", "nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nope"));
}

#[test]
fn deeply_nested_code_does_not_overflow_the_stack() {
    let depth = 10_000;
    let parens = format!(
        "export const x = {}1{}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let arrows = format!("export const f = {}1\n", "() => ".repeat(3_000));
    let dir = project(&[("deep.ts", &parens), ("arrows.ts", &arrows)]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["files"], 2);
    let stdin = seam_with_stdin(
        dir.path(),
        &[
            "check",
            "--stdin-filename",
            "deep.ts",
            "--format",
            "concise",
        ],
        Some(&parens),
    );
    assert_eq!(stdin.code, 0, "{}", stdin.stderr);
}

#[test]
fn a_byte_order_mark_does_not_hide_directives() {
    let dir = project(&[(
        "app/actions.ts",
        "\u{feff}'use server'\nexport async function a() {\n  throw new Error('x')\n}\n",
    )]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(json["diagnostics"][0]["rule"], "throw-in-action");
    assert_eq!(json["diagnostics"][0]["line"], 3);
}
