//! Odd files and odd trees: each gets a clear message on stderr, and the run goes on to report
//! the other files' findings.

use std::path::Path;

use crate::support::{project, seam};

/// A file every test puts beside the odd one: its finding shows the run went on.
const ACTION: (&str, &str) = (
    "app/actions.ts",
    "'use server'\nexport async function save() {\n  throw new Error('no')\n}\n",
);

fn rules_found(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["file"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn unreadable_and_undecodable_files_are_named_and_skipped() {
    let dir = project(&[ACTION, ("app/empty.ts", "")]);
    let root = dir.path();
    // Latin-1, not UTF-8.
    std::fs::write(
        root.join("app/latin1.ts"),
        b"export const caf\xe9 = '\xe9';\n",
    )
    .unwrap();
    // A binary file with a source name: valid UTF-8 is parsed (and fails), the rest is skipped.
    std::fs::write(root.join("app/blob.ts"), [0u8, 159, 146, 150, 0, 1, 2, 255]).unwrap();
    std::fs::write(root.join("app/nul.ts"), "\0\0\u{1}export\0").unwrap();
    // A directory with a source name.
    std::fs::create_dir_all(root.join("app/x.ts")).unwrap();
    std::fs::write(root.join("app/x.ts/inner.ts"), "export const inner = 1;\n").unwrap();
    // A link to a file that cannot be read, even by root, and that lies outside the project.
    std::os::unix::fs::symlink("/proc/self/mem", root.join("app/mem.ts")).unwrap();

    let run = seam(root, &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let found = rules_found(&json);
    assert!(
        found.contains(&"app/actions.ts:throw-in-action".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"app/nul.ts:parse-error".to_string()),
        "{found:?}"
    );
    assert!(
        run.stderr
            .contains("app/latin1.ts: not valid UTF-8; skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("app/blob.ts: not valid UTF-8; skipped"),
        "{}",
        run.stderr
    );
    // A link that leads out of the folder checked is not followed (a pull request could aim
    // one anywhere): not read, not reported.
    assert!(!run.stderr.contains("app/mem.ts"), "{}", run.stderr);
    // The directory is walked like any other; the empty file is fine.
    assert!(!run.stderr.contains("x.ts:"), "{}", run.stderr);
    assert!(!run.stderr.contains("empty.ts"), "{}", run.stderr);

    // Named on the command line, the directory is linted as a directory.
    let run = seam(
        root,
        &["check", "--format", "json", "--no-cache", "app/x.ts"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["files"], 1);
}

#[test]
fn files_above_the_size_limit_are_skipped_with_a_note() {
    // A minified bundle: 10 MB on one line.
    let unit = "var a=function(b){return b+1},c=[1,2,3].map(a);";
    let bundle = unit.repeat(10 * 1024 * 1024 / unit.len() + 1);
    let dir = project(&[ACTION, ("public/bundle.js", &bundle)]);
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "public/bundle.js: skipped: 10.0 MB is above the 2.0 MB limit (--max-file-size)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(rules_found(&run.json()), ["app/actions.ts:throw-in-action"]);

    // Raised, the limit lets it through, and it is parsed (in time linear in its size).
    let run = seam(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--no-cache",
            "--max-file-size",
            "16M",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("skipped"), "{}", run.stderr);
    assert_eq!(run.json()["summary"]["files"], 2);

    let run = seam(dir.path(), &["check", "--max-file-size", "lots"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a size"), "{}", run.stderr);
}

#[test]
fn broken_configs_of_other_tools_do_not_stop_the_run() {
    let dir = project(&[
        ACTION,
        // tsconfig extends cycle.
        (
            "tsconfig.json",
            r#"{ "extends": "./tsconfig.base.json", "compilerOptions": { "paths": { "@/*": ["./*"] } } }"#,
        ),
        ("tsconfig.base.json", r#"{ "extends": "./tsconfig.json" }"#),
        (
            "app/form.tsx",
            "'use client'\nimport { db } from '@/lib/db'\nexport const f = () => db\n",
        ),
        ("lib/db.ts", "import 'server-only'\nexport const db = 1\n"),
        // next.config that is not JavaScript.
        ("next.config.js", "module.exports = {{{ not js"),
        // package.json that is not JSON.
        ("package.json", "{ \"dependencies\": { \"next\": "),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert!(run.code == 1, "{}", run.stderr);
    let found = rules_found(&run.json());
    assert!(
        found.contains(&"app/actions.ts:throw-in-action".to_string()),
        "{found:?}"
    );
    // The alias still resolves through the config's own `paths`, past the broken manifest.
    assert!(
        found.contains(&"app/form.tsx:server-import-in-client".to_string()),
        "{found:?}"
    );
    // The next.config that does not parse is a finding; the other two are notes.
    assert!(
        found.contains(&"next.config.js:parse-error".to_string()),
        "{found:?}"
    );
    assert!(
        run.stderr
            .contains("seam: package.json: is not valid JSON (EOF while parsing"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("seam: tsconfig.json: cannot be loaded (Tsconfig extends configs circularly"),
        "{}",
        run.stderr
    );
}

/// oxc_resolver fails every import whose path passes a package.json it cannot parse; seam treats
/// the manifest as absent, so relative imports still resolve.
#[test]
fn a_broken_package_json_does_not_cut_relative_imports() {
    let dir = project(&[
        ("package.json", ""),
        (
            "app/form.tsx",
            "'use client'\nimport { db } from '../lib/db'\nexport const f = () => db\n",
        ),
        ("lib/db.ts", "import 'server-only'\nexport const db = 1\n"),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        rules_found(&run.json()),
        ["app/form.tsx:server-import-in-client"]
    );
    assert_eq!(run.json()["summary"]["files"], 2);
    assert!(
        run.stderr.contains("seam: package.json: is empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_import_cycle_of_a_thousand_modules() {
    let mut files: Vec<(String, String)> = (0..1000)
        .map(|i| {
            (
                format!("lib/m{i}.ts"),
                format!(
                    "import {{ v{} }} from './m{}'\nexport const v{i} = () => v{};\n",
                    (i + 1) % 1000,
                    (i + 1) % 1000,
                    (i + 1) % 1000
                ),
            )
        })
        .collect();
    files.push((
        "lib/m500.ts".into(),
        "import 'server-only'\nimport { v501 } from './m501'\nexport const v500 = () => v501;\n"
            .into(),
    ));
    files.push((
        "app/form.tsx".into(),
        "'use client'\nimport { v0 } from '@/lib/m0'\nexport const f = () => v0\n".into(),
    ));
    files.push((
        "tsconfig.json".into(),
        r#"{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }"#.into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = project(&refs);
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(rules_found(&json), ["app/form.tsx:server-import-in-client"]);
    // The chain runs through the cycle to the module that is server-only: 500 hops.
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("server-only"), "{message}");
}

#[test]
fn deeply_nested_arrays_objects_jsx_and_callbacks() {
    let depth = 5_000;
    let arrays = format!(
        "export const a = {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let objects = format!(
        "export const o = {}1{}\n",
        "{ a: ".repeat(depth),
        " }".repeat(depth)
    );
    let jsx = format!(
        "export default function P() {{\n  return {}x{}\n}}\n",
        "<div>".repeat(depth / 2),
        "</div>".repeat(depth / 2)
    );
    let callbacks = format!(
        "'use server'\nexport async function act() {{\n  {}1{}\n}}\n",
        "run(async () => ".repeat(2_000),
        ")".repeat(2_000)
    );
    let blocks = format!(
        "export function b(x: number) {{\n{}return x;\n{}}}\n",
        "if (x) {\n".repeat(depth),
        "}\n".repeat(depth)
    );
    let dir = project(&[
        ("deep/arrays.ts", &arrays),
        ("deep/objects.ts", &objects),
        ("app/page.tsx", &jsx),
        ("app/actions.ts", &callbacks),
        ("deep/blocks.ts", &blocks),
    ]);
    for fix in [&[][..], &["--fix", "--unsafe-fixes"][..]] {
        let mut args = vec!["check", "--format", "json", "--no-cache"];
        args.extend_from_slice(fix);
        let run = seam(dir.path(), &args);
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        assert_eq!(run.json()["summary"]["files"], 5, "{}", run.stderr);
        assert!(!run.stderr.contains("internal error"), "{}", run.stderr);
    }
    assert!(Path::new(&dir.path().join("app/page.tsx")).exists());
}

/// Nesting as deep as a file's length allows: a level per byte or two. The stack grows with the
/// text (a 2 MB file of a million parentheses also passes, in 8 s and 3.3 GB; too slow for a test).
#[test]
fn nesting_a_level_per_byte_does_not_overflow_the_stack() {
    let depth = 40_000;
    let parens = format!(
        "export const p = {}1{};\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let unary = format!("export const u = {}1;\n", "!".repeat(depth));
    let arrows = format!("export const r = {}1;\n", "x => ".repeat(depth / 2));
    let dir = project(&[
        ("deep/parens.ts", &parens),
        ("deep/unary.ts", &unary),
        ("deep/arrows.ts", &arrows),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["files"], 3);
}

/// swc's parser panics on `<a:b.c />` (found by seam-fuzz): the file is reported as not parsing,
/// with what the parser said, no backtrace reaches stderr, and the run goes on.
#[test]
fn a_parser_crash_is_a_parse_error_and_the_run_goes_on() {
    let dir = project(&[ACTION, ("app/ns.tsx", "export const x = <a:b.c />;\n")]);
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(
        rules_found(&json),
        ["app/actions.ts:throw-in-action", "app/ns.tsx:parse-error"]
    );
    let message = json["diagnostics"][1]["message"].as_str().unwrap();
    assert!(
        message.contains("swc's parser crashed on this file"),
        "{message}"
    );
    assert!(message.contains("jsx.rs"), "{message}");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

/// UTF-16 with a byte order mark (what `supabase gen types` writes from PowerShell) is read as
/// TypeScript reads it; fixes are not written to it, since seam writes UTF-8.
#[test]
fn utf16_files_are_read_and_not_rewritten() {
    let source = "'use server'\r\nimport { revalidatePath } from 'next/cache'\r\nexport async function save() {\r\n  revalidatePath('/a')\r\n  revalidatePath('/a')\r\n  throw new Error('é')\r\n}\r\n";
    let encode = |little: bool| {
        let mut bytes = if little {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for unit in source.encode_utf16() {
            bytes.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    };
    let dir = project(&[]);
    let root = dir.path();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("app/le.ts"), encode(true)).unwrap();
    std::fs::write(root.join("app/be.ts"), encode(false)).unwrap();
    let run = seam(root, &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let lines: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("revalidate-path-overuse".to_string(), 5),
        ("throw-in-action".to_string(), 6),
    ];
    assert_eq!(lines, [&expected[..], &expected[..]].concat(), "{json}");

    let run = seam(
        root,
        &["check", "--fix", "--format", "concise", "--no-cache"],
    );
    assert!(
        run.stderr
            .contains("app/le.ts: cannot write fixes: the file is UTF-16"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(root.join("app/le.ts")).unwrap(), encode(true));
    assert_eq!(
        std::fs::read(root.join("app/be.ts")).unwrap(),
        encode(false)
    );
}

/// A file deleted after seam parsed it and before its rules ran (the debug-build switch
/// `SEAM_TEST_REMOVE_AFTER_PARSE` picks the moment): named, not checked, and the run goes on.
#[test]
fn a_file_deleted_during_the_run() {
    let dir = project(&[
        ACTION,
        (
            "app/gone.ts",
            "'use server'\nexport async function g() {\n  throw new Error('x')\n}\n",
        ),
    ]);
    let gone = dir.path().join("app/gone.ts");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["check", "--format", "json", "--no-cache"])
        .current_dir(dir.path())
        .env("SEAM_TEST_REMOVE_AFTER_PARSE", &gone)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("app/gone.ts: gone since seam read it (cannot read: No such file"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rules_found(&json), ["app/actions.ts:throw-in-action"]);
    assert!(!gone.exists());
}

#[test]
fn unreadable_tsconfig_and_next_config_are_named_and_the_run_goes_on() {
    let dir = project(&[
        (
            "app/form.tsx",
            "'use client'\nimport { db } from '../lib/db'\nexport const f = () => db\n",
        ),
        ("lib/db.ts", "import 'server-only'\nexport const db = 1\n"),
    ]);
    for name in ["tsconfig.json", "next.config.js"] {
        std::os::unix::fs::symlink("/proc/self/mem", dir.path().join(name)).unwrap();
    }
    let run = seam(dir.path(), &["check", "--format", "json", "--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        rules_found(&run.json()),
        ["app/form.tsx:server-import-in-client"]
    );
    // next.config.js leads out of the project: the walk does not lint it, and the project
    // loader finds it unreadable (rules that need it stay silent), with no crash.
    assert!(!run.stderr.contains("next.config.js"), "{}", run.stderr);
    assert!(
        run.stderr.contains("seam: tsconfig.json: cannot be loaded"),
        "{}",
        run.stderr
    );
}
