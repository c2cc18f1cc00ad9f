//! Facts extracted from small modules: what each rule relies on.

use std::path::Path;

use crate::*;

fn facts(path: &str, source: &str) -> FileFacts {
    match analyze_to(Path::new(path), source, Depth::Full) {
        Analysis::Facts(f) => std::sync::Arc::unwrap_or_clone(f),
        Analysis::SyntaxError(e) => panic!("{path} does not parse: {e:?}"),
    }
}

fn text(source: &str, range: seam_diagnostics::TextRange) -> &str {
    &source[range.start as usize..range.end as usize]
}

#[test]
fn directives_only_count_in_the_prologue() {
    let f = facts(
        "a.ts",
        "// comment\n'use strict';\n\"use server\";\nexport async function a() {}\n",
    );
    assert_eq!(
        f.directives.iter().map(|d| &d.kind).collect::<Vec<_>>(),
        [&DirectiveKind::UseServer]
    );
    let after_import = facts(
        "b.ts",
        "import x from 'x'\n'use client'\nexport default x\n",
    );
    assert!(
        after_import.directives.is_empty(),
        "a directive after an import is an expression"
    );
    let parenthesised = facts("c.ts", "('use server')\nexport async function a() {}\n");
    assert!(parenthesised.directives.is_empty());
    let kinds = facts(
        "d.ts",
        "export async function a() {\n  'use cache: remote'\n  return 1\n}\n",
    );
    assert_eq!(
        kinds.functions[0].directives[0].kind,
        DirectiveKind::UseCache(Some("remote".into()))
    );
}

#[test]
fn imports_of_every_kind() {
    let source = "import a, { b as c, type D } from 'm1'\nimport type { E } from 'm2'\nimport * as ns from 'm3'\nimport './side'\nexport { f } from 'm4'\nexport * from 'm5'\nconst g = await import('m6')\nconst h = require('m7')\n";
    let f = facts("a.ts", source);
    let kinds: Vec<(&str, ImportKind, bool)> = f
        .imports
        .iter()
        .map(|i| (i.specifier.as_str(), i.kind, i.type_only))
        .collect();
    assert_eq!(
        kinds,
        [
            ("m1", ImportKind::Static, false),
            ("m2", ImportKind::Static, true),
            ("m3", ImportKind::Static, false),
            ("./side", ImportKind::SideEffect, false),
            ("m4", ImportKind::ReExport, false),
            ("m5", ImportKind::ReExport, false),
            ("m6", ImportKind::Dynamic, false),
            ("m7", ImportKind::Require, false),
        ]
    );
    let names: Vec<(&Imported, &str, bool)> = f.imports[0]
        .names
        .iter()
        .map(|n| (&n.imported, n.local.as_str(), n.type_only))
        .collect();
    assert_eq!(
        names,
        [
            (&Imported::Default, "a", false),
            (&Imported::Named("b".into()), "c", false),
            (&Imported::Named("D".into()), "D", true)
        ]
    );
}

#[test]
fn server_actions_of_a_use_server_module() {
    let source = r#"'use server'
import { actionClient } from '@/lib/safe-action'
export async function declared() {}
export const arrow = async () => {}
const local = async () => {}
export { local as renamed }
export const wrapped = actionClient.inputSchema(s).action(async ({ parsedInput }) => {})
export default async function () {}
export type Input = { id: string }
"#;
    let f = facts("app/actions.ts", source);
    let actions: Vec<(&str, bool)> = f
        .actions
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                matches!(a.kind, ActionKind::Wrapped { .. }),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("declared", false),
            ("arrow", false),
            ("renamed", false),
            ("wrapped", true),
            ("default", false)
        ]
    );
    let wrapped = &f.actions[3];
    assert_eq!(
        wrapped.kind,
        ActionKind::Wrapped {
            callee: "actionClient.inputSchema(s).action".into()
        }
    );
    assert!(
        f.functions[wrapped.function.unwrap()].params == 1,
        "the wrapped body is the inner callback"
    );
}

#[test]
fn inline_actions_but_not_in_client_modules() {
    let page = "export default function Page() {\n  async function save(data: FormData) {\n    'use server'\n  }\n  return <form action={save} />\n}\n";
    let f = facts("app/page.tsx", page);
    assert_eq!(f.actions.len(), 1);
    assert_eq!(f.actions[0].name, "save");
    assert_eq!(f.actions[0].kind, ActionKind::Inline);
    let client = format!("'use client'\n{page}");
    assert!(facts("app/page.tsx", &client).actions.is_empty());
}

#[test]
fn calls_resolve_through_scopes_aliases_and_namespaces() {
    let source = "import { revalidatePath as rp } from 'next/cache'\nimport * as cache from 'next/cache'\nexport async function a() {\n  rp('/x')\n  cache.revalidatePath('/y')\n}\nexport async function b(rp: (p: string) => void) {\n  rp('/z')\n}\n";
    let f = facts("a.ts", source);
    let resolved: Vec<&str> = f
        .calls
        .iter()
        .filter(|c| c.callee.is_imported("next/cache", &["revalidatePath"]))
        .map(|c| c.args[0].as_str().unwrap())
        .collect();
    assert_eq!(
        resolved,
        ["/x", "/y"],
        "the parameter `rp` shadows the import"
    );
}

#[test]
fn throws_know_whether_a_local_try_catches_them() {
    let source = r#"'use server'
export async function a(rows: string[]) {
  try { throw new Error('caught') } catch (e) { return { ok: false } }
  try { throw new Error('rethrown') } catch (e) { console.error(e); throw e }
  rows.map((r) => { throw new Error('in a sync callback') })
  rows.map(async (r) => { throw new Error('in an async callback') })
  try { } finally { throw new Error('in finally') }
}
"#;
    let f = facts("a.ts", source);
    let action = f.actions[0].function;
    let escaping: Vec<&str> = f
        .throws
        .iter()
        .filter(|t| t.escapes == action && !t.is_rethrow)
        .map(|t| {
            text(source, t.range)
                .trim_start_matches("throw new Error('")
                .trim_end_matches("')")
        })
        .collect();
    assert_eq!(escaping, ["rethrown", "in a sync callback", "in finally"]);
    assert_eq!(f.throws.iter().filter(|t| t.is_rethrow).count(), 1);
}

#[test]
fn variability_tells_literals_from_arguments_and_fresh_values() {
    let source = r#"const BASE = process.env.API_URL
export async function get(id: string, locale: 'en' | 'de') {
  const url = `${BASE}/items/${id}`
  fetch(`${BASE}/static`, {})
  fetch(url, {})
  fetch(`${BASE}/${locale}`, {})
  fetch(`${BASE}/${crypto.randomUUID()}`, {})
  fetch(someImport, {})
}
import { someImport } from './x'
"#;
    let f = facts("a.ts", source);
    let urls: Vec<Variability> = f
        .calls
        .iter()
        .filter(|c| c.callee.is_global("fetch"))
        .map(|c| c.args[0].variability)
        .collect();
    use Variability::*;
    assert_eq!(urls, [Closed, PerCall, Closed, Fresh, Unknown]);
}

#[test]
fn store_operations_on_module_collections() {
    let source = r#"const cache = new Map<string, number>()
export function put(k: string, v: number) { cache.set(k, v) }
export function drop(k: string) { cache.delete(k) }
export function size() { return cache.size > 10 }
const leaked = new Set<string>()
export function leak() { return leaked }
"#;
    let f = facts("lib/a.ts", source);
    let kinds = |name: &str| -> Vec<StoreOpKind> {
        let b = f.bindings.iter().position(|b| b.name == name).unwrap();
        f.store_ops
            .iter()
            .filter(|o| o.target == StoreTarget::Binding(b))
            .map(|o| o.kind)
            .collect()
    };
    let cache = kinds("cache");
    assert!(
        matches!(
            cache[0],
            StoreOpKind::Write {
                key: Some(Variability::PerCall),
                value_input: true,
                ..
            }
        ),
        "{cache:?}"
    );
    assert_eq!(cache[1], StoreOpKind::Shrink);
    assert!(cache.contains(&StoreOpKind::Cap));
    assert_eq!(kinds("leaked"), [StoreOpKind::Escape]);
}

#[test]
fn the_traversal_shortcut_keeps_module_level_facts() {
    let source = "import { db } from '@/db'\nexport function getUser(id: string) { return db.user.find(id) }\n";
    let Analysis::Facts(f) = analyze(Path::new("lib/users.ts"), source) else {
        panic!()
    };
    assert_eq!(f.imports.len(), 1);
    assert_eq!(f.exports.len(), 1);
    assert!(
        f.functions.is_empty(),
        "nothing in this module can matter to a rule: its bodies are not walked"
    );
    assert_eq!(facts("lib/users.ts", source).functions.len(), 1);
}

fn facts_as(path: &str, source: &str, role: FileRole) -> FileFacts {
    match analyze_as(Path::new(path), source, role) {
        Analysis::Facts(f) => std::sync::Arc::unwrap_or_clone(f),
        Analysis::SyntaxError(e) => panic!("{path} does not parse: {e:?}"),
    }
}

#[test]
fn a_test_file_keeps_what_other_modules_can_call_and_drops_its_test_bodies() {
    let source = "import { expect, it } from 'vitest'\nimport { db } from '@/db'\nimport { render } from './render'\nexport async function seedUser() { await db.user.create({}) }\nit('saves', async () => {\n  await render()\n  expect(await seedUser()).toBe(1)\n})\n";
    let callees = |f: &FileFacts| -> Vec<String> {
        f.calls
            .iter()
            .map(|c| match &c.callee {
                Callee::Import { name, path, .. } => dotted(
                    &std::iter::once(name.clone())
                        .chain(path.iter().cloned())
                        .collect::<Vec<_>>(),
                ),
                Callee::LocalFunction(_) => "<local>".into(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    let test = facts_as("lib/users.test.ts", source, FileRole::TestOrScript);
    assert!(test.walked);
    assert_eq!(
        callees(&test),
        ["db.user.create"],
        "the exported helper is walked, the `it(...)` call is not"
    );
    let render = test.binding("render").expect("an import binding");
    assert!(
        render.value_refs > 0,
        "an import used only inside a skipped call is still a runtime import"
    );
    let app = facts_as("lib/users.test.ts", source, FileRole::App);
    assert_eq!(
        callees(&app),
        ["db.user.create", "it", "render", "expect", "<local>"],
        "outside tests and scripts every call is kept: cache-api-outside-cache reads importers' calls"
    );
}

#[test]
fn module_stores_in_tests_and_scripts_call_for_no_traversal() {
    let source = "const seen = new Map<string, number>()\nexport function remember(k: string) { seen.set(k, 1) }\n";
    let script = facts_as("scripts/seed.ts", source, FileRole::TestOrScript);
    assert!(
        !script.walked && script.store_ops.is_empty(),
        "unbounded-module-cache, the one reader of stores, skips scripts"
    );
    let app = facts_as("lib/memo.ts", source, FileRole::App);
    assert!(app.walked);
    assert_eq!(app.store_ops.len(), 1);
    let env = "const seen = new Map()\nexport function key() { return process.env.NEXT_PUBLIC_API_SECRET }\n";
    assert!(
        facts_as("scripts/env.ts", env, FileRole::TestOrScript)
            .env_reads
            .len()
            == 1,
        "server-env-in-client reports secret-looking public names in scripts too"
    );
}

#[test]
fn syntax_errors_have_a_location() {
    let Analysis::SyntaxError(e) = analyze(Path::new("a.ts"), "const = 1\n") else {
        panic!("must not parse")
    };
    assert_eq!(e.range.start, 6);
    assert!(!e.message.is_empty());
}

#[test]
fn the_prologue_ends_at_the_first_import() {
    let source =
        "'use server'\n\nimport { db } from '@/db'\n'use client'\nexport async function a() {}\n";
    let f = facts("app/a.ts", source);
    assert_eq!(
        f.first_statement,
        Some(source.find("import").unwrap() as u32)
    );
    let likes: Vec<(&str, bool)> = f
        .directive_likes
        .iter()
        .map(|d| (d.value.as_str(), d.in_prologue))
        .collect();
    assert_eq!(likes, [("use server", true), ("use client", false)]);
}

#[test]
fn window_checks_inside_conjunctions_and_disjunctions_mark_server_only_code() {
    let source = "export function h(v: string, prod: boolean) {\n  if (prod && typeof window === 'undefined') {\n    const { hash } = require('./hash')\n    return hash(v)\n  }\n  if (typeof window !== 'undefined' || !prod) return v\n  return require('./other')(v)\n}\nexport function c(v: string) {\n  if (typeof window !== 'undefined' && v) { return require('./client-only') }\n  return v\n}\n";
    let f = facts("log.ts", source);
    let server_only = |specifier: &str| {
        let import = f.imports.iter().find(|i| i.specifier == specifier).unwrap();
        f.server_only_regions
            .iter()
            .any(|r| r.start <= import.range.start && import.range.end <= r.end)
    };
    assert!(
        server_only("./hash"),
        "`prod && no window` runs only on the server"
    );
    assert!(
        server_only("./other"),
        "after `if (window || !prod) return`"
    );
    assert!(
        !server_only("./client-only"),
        "`window && v` is not server-only"
    );
}

#[test]
fn tens_of_thousands_of_exports_cost_linear_time() {
    // Generated modules (icon sets, translations) export this many names; matching exports to
    // bindings by search was quadratic (40k exports: seconds). Linear, this takes well under a
    // second even unoptimised; the bound only catches a return to quadratic.
    let count = 60_000;
    let mut source = String::from("'use server'\n");
    for i in 0..count {
        source.push_str(&format!("export async function f{i}() {{ return {i} }}\n"));
    }
    source.push_str("const late = 1\nexport { late }\n");
    let started = std::time::Instant::now();
    let f = facts("generated.ts", &source);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    // Every export of a `'use server'` file is an endpoint, `late` (not a function) included.
    assert_eq!(f.actions.len(), count + 1);
    assert!(f.binding("late").unwrap().exported);
    assert!(f.binding("f59999").unwrap().exported);
}

#[test]
fn calls_of_imports_know_whether_the_caller_handles_their_rejection() {
    // (binding, value references, calls, handled calls)
    let source = "'use client'
import { save, remove, publish, archive, load } from './actions'
export function Form() {
  async function submit(data: FormData) {
    try {
      await save(data)
      remove(data)
      await publish(data).then(() => {})
    } catch (error) {
      alert('failed')
    }
    try {
      await archive(data)
    } catch (error) {
      throw error
    }
    try {
      items.forEach(async (item) => { await load(item) })
    } catch {}
  }
  return <form action={submit} onReset={() => save(new FormData()).catch(() => {})} data-x={remove} />
}
";
    let expected = [
        ("save", 2, 2, 2),
        ("remove", 2, 1, 0),
        ("publish", 1, 1, 1),
        ("archive", 1, 1, 0),
        ("load", 1, 1, 0),
    ];
    let shortcut = facts_as("app/form.tsx", source, FileRole::App);
    assert!(
        !shortcut.walked,
        "a client component is not walked, only its references counted"
    );
    for f in [facts("app/form.tsx", source), shortcut] {
        for (name, refs, calls, handled) in expected {
            let b = f.binding(name).unwrap();
            assert_eq!(
                (b.value_refs, b.calls, b.handled_calls),
                (refs, calls, handled),
                "{name} (walked: {})",
                f.walked
            );
        }
    }
}
