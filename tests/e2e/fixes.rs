use std::path::Path;

use crate::support::*;

const ACTION_WITH_FIXES: &str = "'use server'\n\nimport { revalidatePath } from 'next/cache'\n\nexport async function save() {\n  revalidatePath('/posts')\n  revalidatePath('/posts/[id]')\n  revalidatePath('/posts')\n  return { ok: true }\n}\n";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    // seam's own cache is not the user's code.
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        if entry.file_name() == ".seam-cache" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn snapshot_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            if entry.file_name() == ".seam-cache" {
                continue;
            }
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                out.push((
                    entry
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .display()
                        .to_string(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixing_every_fixture_app_parses_is_idempotent_and_leaves_other_files_alone() {
    let apps = repo_root().join("tests/fixtures/apps");
    let mut fixed = 0;
    let mut roots: Vec<std::path::PathBuf> = std::fs::read_dir(&apps)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    roots.sort();
    roots.insert(0, demo_app());
    for root in &roots {
        fixed += assert_fixing_is_safe(root);
    }
    // The demo app alone has fixes of every fixable rule.
    assert!(fixed > 10, "{fixed} fixes applied in all");
}

/// `--fix --unsafe-fixes` on a copy of `app`: fixed files parse, nothing is left to fix, a second
/// run applies nothing, and files without a fix are byte-identical. Returns the fixes applied.
fn assert_fixing_is_safe(app: &Path) -> usize {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(app, dir.path());
    let before = snapshot_files(dir.path());
    let findings_before = seam(dir.path(), &["check", "--format", "json"]).json();
    let diagnostics = |json: &serde_json::Value| json["diagnostics"].as_array().unwrap().clone();
    let files_where = |json: &serde_json::Value, keep: &dyn Fn(&serde_json::Value) -> bool| {
        diagnostics(json)
            .iter()
            .filter(|d| keep(d))
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect::<Vec<String>>()
    };
    let files_with_fixes = files_where(&findings_before, &|d| !d["fix"].is_null());
    let unparsable_before = files_where(&findings_before, &|d| d["rule"] == "parse-error");

    let first = seam(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "json"],
    );
    let applied: usize = first
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("seam: applied "))
        .and_then(|l| l.split(' ').next())
        .map_or(0, |n| n.parse().unwrap());
    assert_eq!(
        applied > 0,
        !files_with_fixes.is_empty(),
        "{}: {}",
        app.display(),
        first.stderr
    );
    let after = seam(dir.path(), &["check", "--format", "json"]).json();
    let unparsable_after = files_where(&after, &|d| d["rule"] == "parse-error");
    assert_eq!(
        unparsable_after,
        unparsable_before,
        "{}: fixed code parses",
        app.display()
    );
    assert!(
        files_where(&after, &|d| !d["fix"].is_null()).is_empty(),
        "{}: nothing left to fix: {after}",
        app.display()
    );

    let changed = snapshot_files(dir.path());
    for ((path, old), (_, new)) in before.iter().zip(&changed) {
        if !files_with_fixes.contains(path) {
            assert_eq!(
                old,
                new,
                "{}: {path} had no fix and must be byte-identical",
                app.display()
            );
        }
    }
    let second = seam(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "concise"],
    );
    assert!(
        !second.stderr.contains("applied"),
        "{}: a second --fix changes nothing: {}",
        app.display(),
        second.stderr
    );
    assert_eq!(snapshot_files(dir.path()), changed);
    applied
}

#[test]
fn fixes_keep_crlf_line_endings_and_permissions() {
    let crlf = ACTION_WITH_FIXES.replace('\n', "\r\n");
    let dir = project(&[("app/actions.ts", &crlf)]);
    let file = dir.path().join("app/actions.ts");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let run = seam(dir.path(), &["check", "--fix", "--format", "concise"]);
    assert!(run.stderr.contains("applied 2 fix"), "{}", run.stderr);
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert_eq!(fixed, "'use server'\r\n\r\nimport { revalidatePath } from 'next/cache'\r\n\r\nexport async function save() {\r\n  revalidatePath('/posts')\r\n  revalidatePath('/posts/[id]', 'page')\r\n  return { ok: true }\r\n}\r\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}

#[test]
fn fix_dry_run_prints_a_diff_and_writes_nothing() {
    let dir = project(&[("app/actions.ts", ACTION_WITH_FIXES)]);
    let run = seam(dir.path(), &["check", "--fix-dry-run"]);
    assert!(
        run.stdout.contains("--- a/app/actions.ts")
            && run.stdout.contains("-  revalidatePath('/posts')\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("+  revalidatePath('/posts/[id]', 'page')"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/actions.ts")).unwrap(),
        ACTION_WITH_FIXES
    );
}

#[test]
fn unsafe_fixes_need_their_own_flag() {
    let source = "export async function getPosts() {\n  'use cache'\n  return []\n}\n";
    let dir = project(&[("lib/data.ts", source)]);
    seam(dir.path(), &["check", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib/data.ts")).unwrap(),
        source,
        "--fix alone applies safe fixes only"
    );
    seam(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib/data.ts")).unwrap(),
        "import { cacheLife } from 'next/cache';\nexport async function getPosts() {\n  'use cache'\n  cacheLife('default')\n  return []\n}\n"
    );
}

#[test]
fn cache_life_fix_uses_the_unstable_name_on_next_15() {
    let dir = project(&[
        ("package.json", r#"{ "dependencies": { "next": "^15.5.4" } }"#),
        ("lib/data.ts", "import { cacheTag } from 'next/cache';\n\nexport async function getPosts() {\n  'use cache';\n  cacheTag('posts');\n  return [];\n}\n"),
    ]);
    seam(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib/data.ts")).unwrap(),
        "import { cacheTag, unstable_cacheLife as cacheLife } from 'next/cache';\n\nexport async function getPosts() {\n  'use cache';\n  cacheLife('default');\n  cacheTag('posts');\n  return [];\n}\n"
    );
}

#[test]
fn read_only_files_are_reported_not_rewritten() {
    let dir = project(&[("app/actions.ts", ACTION_WITH_FIXES)]);
    let file = dir.path().join("app/actions.ts");
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&file, perms).unwrap();
    let run = seam(dir.path(), &["check", "--fix", "--format", "concise"]);
    assert!(run.stderr.contains("cannot write fixes"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), ACTION_WITH_FIXES);
}

#[test]
fn directive_fixes_move_unwrap_and_respell() {
    let dir = project(&[
        ("components/like.tsx", "import { useState } from 'react'\n'use client'\n\nexport function Like() {\n  const [on, set] = useState(false)\n  return <button onClick={() => set(!on)}>{on ? 'on' : 'off'}</button>\n}\n"),
        ("app/actions/a.ts", "('use server');\n\nexport async function a() {}\n"),
        ("app/actions/b.ts", "'use sever'\n\nexport function b() {\n  return 1\n}\n"),
    ]);
    let run = seam(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "concise"],
    );
    assert!(run.stderr.contains("applied"), "{}", run.stderr);
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert!(
        read("components/like.tsx")
            .starts_with("'use client'\nimport { useState } from 'react'\n\nexport function Like"),
        "{}",
        read("components/like.tsx")
    );
    assert_eq!(
        read("app/actions/a.ts"),
        "'use server';\n\nexport async function a() {}\n"
    );
    // Respelled, and then (a second pass) the now-exported sync action made async.
    assert_eq!(
        read("app/actions/b.ts"),
        "'use server'\n\nexport async function b() {\n  return 1\n}\n"
    );
    let again = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(
        again["diagnostics"].as_array().unwrap().len(),
        0,
        "{again:#}"
    );
}

#[test]
fn redirect_fix_rethrows_first_in_the_catch_and_names_a_bare_catch() {
    let dir = project(&[
        ("package.json", r#"{ "dependencies": { "next": "16.4.5" } }"#),
        ("app/actions.ts", "'use server';\n\nimport { redirect } from 'next/navigation';\n\nexport async function go(id: string) {\n  try {\n    await fetch(id);\n    redirect('/done');\n  } catch (e) {\n    return { error: String(e) };\n  }\n}\n\nexport async function quiet(error: string) {\n  try {\n    redirect(error);\n  } catch {\n    return { failed: error };\n  }\n}\n"),
    ]);
    seam(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    let fixed = std::fs::read_to_string(dir.path().join("app/actions.ts")).unwrap();
    assert_eq!(
        fixed,
        "'use server';\n\nimport { redirect, unstable_rethrow } from 'next/navigation';\n\nexport async function go(id: string) {\n  try {\n    await fetch(id);\n    redirect('/done');\n  } catch (e) {\n    unstable_rethrow(e);\n    return { error: String(e) };\n  }\n}\n\nexport async function quiet(error: string) {\n  try {\n    redirect(error);\n  } catch (err) {\n    unstable_rethrow(err);\n    return { failed: error };\n  }\n}\n"
    );
    let again = seam(dir.path(), &["check", "--format", "json"]).json();
    assert_eq!(again["diagnostics"].as_array().unwrap().len(), 0, "{again}");
}

#[test]
fn redirect_fix_needs_next_15_for_unstable_rethrow() {
    let source = "'use server';\n\nimport { redirect } from 'next/navigation';\n\nexport async function go() {\n  try {\n    redirect('/done');\n  } catch (e) {\n    return null;\n  }\n}\n";
    let dir = project(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "14.2.33" } }"#,
        ),
        ("app/actions.ts", source),
    ]);
    let run = seam(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "json"],
    );
    assert_eq!(
        run.json()["diagnostics"][0]["rule"],
        "redirect-in-try-catch"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/actions.ts")).unwrap(),
        source
    );
}

#[test]
fn revalidate_tag_and_profile_fixes() {
    let dir = project(&[
        ("package.json", r#"{ "dependencies": { "next": "16.4.5" } }"#),
        ("app/actions.ts", "'use server';\n\nimport { revalidateTag } from 'next/cache';\n\nexport async function save() {\n  revalidateTag('posts');\n  revalidateTag('feed',);\n}\n"),
        ("lib/data.ts", "import { cacheLife } from 'next/cache';\n\nexport async function getPosts() {\n  'use cache';\n  cacheLife(\"hourz\");\n  return [];\n}\n"),
    ]);
    let safe_only = seam(dir.path(), &["check", "--fix"]);
    assert!(safe_only.code == 1, "{}", safe_only.stderr);
    seam(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/actions.ts")).unwrap(),
        "'use server';\n\nimport { revalidateTag } from 'next/cache';\n\nexport async function save() {\n  revalidateTag('posts', 'max');\n  revalidateTag('feed', 'max');\n}\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib/data.ts")).unwrap(),
        "import { cacheLife } from 'next/cache';\n\nexport async function getPosts() {\n  'use cache';\n  cacheLife(\"hours\");\n  return [];\n}\n"
    );
}

/// A fix that would import a name the module already binds to something else offers nothing:
/// a second binding would not load, and the call would reach the other one.
#[test]
fn import_fixes_stand_back_when_their_name_is_taken() {
    let dir = project(&[
        ("package.json", r#"{ "dependencies": { "next": "16.0.10" } }"#),
        (
            "app/page.tsx",
            "import { redirect } from 'next/navigation'\nimport { log as unstable_rethrow } from './log'\n\nexport default async function Page() {\n  try {\n    redirect('/x')\n  } catch (error) {\n    return null\n  }\n}\nexport const note = unstable_rethrow\n",
        ),
        ("app/log.ts", "export function log(e: unknown) { console.error(e) }\n"),
        (
            "lib/data.ts",
            "import { unstable_cacheTag as cacheLife } from 'next/cache'\n\nexport async function plans() {\n  'use cache'\n  cacheLife('plans')\n  return []\n}\n",
        ),
    ]);
    let json = seam(dir.path(), &["check", "--format", "json", "--no-cache"]).json();
    let found: Vec<(&str, bool)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["fix"].is_null()))
        .collect();
    assert!(found.contains(&("redirect-in-try-catch", true)), "{json}");
    assert!(found.contains(&("missing-cache-life", true)), "{json}");
}

/// `sync-dynamic-api` awaits the promise where the read sits in an async function (and leaves
/// sync functions alone); `deprecated-next-import` moves a lone `ImageResponse` to `next/og`.
#[test]
fn await_and_moved_import_fixes() {
    let page = "import { cookies } from 'next/headers';\n\nexport default async function Page({ params }: { params: Promise<{ id: string }> }) {\n  const theme = cookies().get('theme');\n  const { id } = params;\n  return `${id}:${theme?.value}`;\n}\n";
    let og = "import { ImageResponse } from \"next/server\";\n\nexport default function Image() {\n  return new ImageResponse(null);\n}\n";
    let helper = "import { headers } from 'next/headers';\n\nexport function ip() {\n  return headers().get('x-real-ip');\n}\n";
    let dir = project(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "16.4.5" } }"#,
        ),
        ("app/[id]/page.tsx", page),
        ("app/opengraph-image.tsx", og),
        ("lib/ip.ts", helper),
    ]);
    // The import move is safe; awaiting is not.
    seam(dir.path(), &["check", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/opengraph-image.tsx")).unwrap(),
        og.replace("\"next/server\"", "\"next/og\"")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/[id]/page.tsx")).unwrap(),
        page
    );
    seam(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/[id]/page.tsx")).unwrap(),
        page.replace("cookies().get", "(await cookies()).get")
            .replace("= params;", "= (await params);")
    );
    // A sync function cannot await: reported, not rewritten.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lib/ip.ts")).unwrap(),
        helper
    );
    let again = seam(dir.path(), &["check", "--format", "json"]).json();
    let rules: Vec<&str> = again["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["sync-dynamic-api"], "only the sync helper is left");
}
