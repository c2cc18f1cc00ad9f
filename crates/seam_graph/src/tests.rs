use std::path::{Path, PathBuf};

use seam_syntax::{analyze, Analysis};

use crate::{EdgeTo, ModuleGraph, Resolved};

fn load(path: &Path) -> Option<crate::Loaded> {
    let source = std::fs::read_to_string(path).ok()?;
    let facts = match analyze(path, &source) {
        Analysis::Facts(f) => Some(f),
        Analysis::SyntaxError(_) => None,
    };
    Some((source, facts))
}

/// A project on disk; the graph is built from `linted` (the rest is joined through imports).
fn graph(files: &[(&str, &str)], linted: &[&str]) -> (tempfile::TempDir, ModuleGraph) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let modules = linted
        .iter()
        .map(|p| {
            let path = root.join(p);
            let (source, facts) = load(&path).unwrap();
            (path, source, facts)
        })
        .collect();
    (dir, ModuleGraph::build(modules, load))
}

fn id(dir: &tempfile::TempDir, g: &ModuleGraph, path: &str) -> usize {
    let p: PathBuf = dir.path().canonicalize().unwrap().join(path);
    g.id_of(&p).unwrap_or_else(|| panic!("{path} in the graph"))
}

const TSCONFIG: &str =
    r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }"#;

#[test]
fn type_only_uses_are_erased_and_values_kept() {
    let (dir, g) = graph(
        &[
            ("tsconfig.json", TSCONFIG),
            (
                "src/a.tsx",
                "'use client'\nimport type { A } from './types'\nimport { type B, C } from './c'\nimport { D } from './d'\nimport Stripe from 'stripe'\nimport './side'\nlet x: A | B | Stripe.Customer\nexport const y = C\n",
            ),
            ("src/types.ts", "export type A = 1\n"),
            ("src/c.ts", "export type B = 2\nexport const C = 3\n"),
            ("src/d.ts", "export interface D {}\n"),
            ("src/side.ts", "console.log(1)\n"),
        ],
        &["src/a.tsx"],
    );
    let a = id(&dir, &g, "src/a.tsx");
    let runtime: Vec<(&str, bool)> = g.modules[a]
        .edges
        .iter()
        .map(|e| {
            (
                g.modules[a].import(e).unwrap().specifier.as_str(),
                e.runtime,
            )
        })
        .collect();
    assert_eq!(
        runtime,
        [
            ("./types", false),
            ("./c", true),
            ("./d", false),
            ("stripe", false),
            ("./side", true)
        ]
    );
    // Joined: the runtime targets and the erased ones are all parsed (the graph follows every
    // resolved import), but only runtime edges put modules in the client graph.
    let client = g.client();
    assert!(client.contains(id(&dir, &g, "src/c.ts")));
    assert!(client.contains(id(&dir, &g, "src/side.ts")));
    assert!(!client.contains(id(&dir, &g, "src/d.ts")));
    assert!(!client.contains(id(&dir, &g, "src/types.ts")));
}

#[test]
fn aliases_barrels_and_server_boundaries() {
    let (dir, g) = graph(
        &[
            ("tsconfig.json", TSCONFIG),
            ("src/ui.tsx", "'use client'\nimport { fmt } from '@/lib'\nimport { save } from '@/actions'\nexport const u = [fmt, save]\n"),
            ("src/lib/index.ts", "export * from './db'\nexport { fmt } from './format.js'\n"),
            ("src/lib/db.ts", "import 'server-only'\nexport const db = 1\n"),
            ("src/lib/format.ts", "export const fmt = 1\n"),
            ("src/actions.ts", "'use server'\nimport { db } from '@/lib/db'\nexport async function save() { return db }\n"),
        ],
        &["src/ui.tsx", "src/actions.ts"],
    );
    let ui = id(&dir, &g, "src/ui.tsx");
    let db = id(&dir, &g, "src/lib/db.ts");
    let chain = g
        .client()
        .why(db)
        .expect("db is in the client graph through the barrel");
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0].0, ui);
    assert!(
        !g.client().contains(id(&dir, &g, "src/actions.ts")),
        "'use server' stops the walk"
    );
    // `.js` names the TypeScript file; `export { fmt } from` resolves to its definition.
    let format = id(&dir, &g, "src/lib/format.ts");
    let barrel = id(&dir, &g, "src/lib/index.ts");
    assert_eq!(
        g.resolve_export(barrel, "fmt"),
        Some(Resolved::Binding(format, "fmt".into()))
    );
    assert_eq!(
        g.resolve_export(barrel, "db"),
        Some(Resolved::Binding(db, "db".into()))
    );
    let server_only = g.modules[db].edges.iter().find(|e| e.runtime).unwrap();
    assert_eq!(server_only.to, EdgeTo::Package("server-only".into()));
}

#[cfg(unix)]
#[test]
fn jsconfig_paths_and_workspace_packages_through_links() {
    let (dir, g) = graph(
        &[
            ("apps/web/jsconfig.json", r#"{ "compilerOptions": { "baseUrl": "src", "paths": { "~/*": ["./*"] } } }"#),
            ("apps/web/src/page.jsx", "import { x } from '~/lib/x'\nimport { db } from '@acme/db'\nexport default () => [x, db]\n"),
            ("apps/web/src/lib/x.js", "export const x = 1\n"),
            ("packages/db/package.json", r#"{ "name": "@acme/db", "exports": { ".": "./src/index.ts" } }"#),
            ("packages/db/src/index.ts", "import postgres from 'postgres'\nexport const db = postgres()\n"),
        ],
        &["apps/web/src/page.jsx"],
    );
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("apps/web/node_modules/@acme")).unwrap();
    std::os::unix::fs::symlink(
        "../../../../packages/db",
        root.join("apps/web/node_modules/@acme/db"),
    )
    .unwrap();
    // Built again now that the link exists.
    let modules = vec![{
        let p = root.join("apps/web/src/page.jsx");
        let (s, f) = load(&p).unwrap();
        (p, s, f)
    }];
    let g2 = ModuleGraph::build(modules, load);
    let page = id(&dir, &g2, "apps/web/src/page.jsx");
    let targets: Vec<&EdgeTo> = g2.modules[page].edges.iter().map(|e| &e.to).collect();
    assert_eq!(
        targets[0],
        &EdgeTo::Module(id(&dir, &g2, "apps/web/src/lib/x.js"))
    );
    let db = id(&dir, &g2, "packages/db/src/index.ts");
    assert_eq!(targets[1], &EdgeTo::Module(db));
    assert!(!g2.modules[db].linted, "joined, not linted");
    // Without the link the workspace package is just a package name.
    let page1 = id(&dir, &g, "apps/web/src/page.jsx");
    assert_eq!(
        g.modules[page1].edges[1].to,
        EdgeTo::Package("@acme/db".into())
    );
}

#[test]
fn a_config_extending_a_missing_package_still_maps_its_own_paths() {
    let (dir, g) = graph(
        &[
            (
                "tsconfig.json",
                r#"{ "extends": "@acme/tsconfig/nextjs.json", "compilerOptions": { "baseUrl": ".", "paths": { "@/lib/*": ["lib/*"] } } }"#,
            ),
            ("app/page.tsx", "import { db } from '@/lib/db'\nimport { fmt } from '../lib/fmt'\nexport default () => [db, fmt]\n"),
            ("lib/db.ts", "export const db = 1\n"),
            ("lib/fmt.ts", "export const fmt = 1\n"),
        ],
        &["app/page.tsx"],
    );
    let page = id(&dir, &g, "app/page.tsx");
    let targets: Vec<&EdgeTo> = g.modules[page].edges.iter().map(|e| &e.to).collect();
    assert_eq!(
        targets,
        [
            &EdgeTo::Module(id(&dir, &g, "lib/db.ts")),
            &EdgeTo::Module(id(&dir, &g, "lib/fmt.ts"))
        ]
    );
}

/// The fix loop checks a rewritten text against the graph with its new facts: an import added
/// above the others renumbers them, and every edge follows its import.
#[test]
fn a_replaced_module_gets_edges_for_its_new_imports() {
    let (dir, g) = graph(
        &[
            ("a.ts", "import { b } from './b'\nexport const x = b\n"),
            ("b.ts", "export const b = 1\n"),
        ],
        &["a.ts"],
    );
    let a = id(&dir, &g, "a.ts");
    let b = id(&dir, &g, "b.ts");
    let fixed = "import { cacheLife } from 'next/cache'\nimport { b } from './b'\nexport const x = [b, cacheLife]\n";
    let Analysis::Facts(facts) = analyze(&g.modules[a].path, fixed) else {
        panic!("parses");
    };
    let replaced = g.replacing(a, facts, &crate::Resolvers::new());
    let targets: Vec<(usize, EdgeTo)> = replaced.modules[a]
        .edges
        .iter()
        .map(|e| (e.import, e.to.clone()))
        .collect();
    assert_eq!(
        targets,
        [
            (0, EdgeTo::Package("next/cache".into())),
            (1, EdgeTo::Module(b))
        ]
    );
    // The original graph is untouched.
    assert_eq!(g.modules[a].edges.len(), 1);
}

/// A fresh clone: no node_modules, so workspace packages resolve through the workspace's member
/// list, from their sources when `exports` names unbuilt output.
#[test]
fn workspace_packages_resolve_without_node_modules() {
    let (dir, g) = graph(
        &[
            ("pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n  - 'packages/*'\n"),
            ("package.json", r#"{ "name": "root", "private": true }"#),
            (
                "packages/db/package.json",
                r#"{ "name": "@acme/db", "exports": { ".": "./dist/index.js", "./schema": "./dist/schema.js" } }"#,
            ),
            ("packages/db/src/index.ts", "export const db = 1\n"),
            ("packages/db/src/schema.ts", "export const users = 1\n"),
            (
                "packages/ui/package.json",
                r#"{ "name": "@acme/ui", "exports": { "./button": "./src/button.tsx" } }"#,
            ),
            ("packages/ui/src/button.tsx", "export const Button = 1\n"),
            ("apps/web/package.json", r#"{ "name": "web" }"#),
            (
                "apps/web/app/page.tsx",
                "import { db } from '@acme/db'\nimport { users } from '@acme/db/schema'\nimport { Button } from '@acme/ui/button'\nimport { z } from 'zod'\nexport default [db, users, Button, z]\n",
            ),
        ],
        &["apps/web/app/page.tsx"],
    );
    let page = id(&dir, &g, "apps/web/app/page.tsx");
    let targets: Vec<EdgeTo> = g.modules[page].edges.iter().map(|e| e.to.clone()).collect();
    assert_eq!(
        targets,
        [
            EdgeTo::Module(id(&dir, &g, "packages/db/src/index.ts")),
            EdgeTo::Module(id(&dir, &g, "packages/db/src/schema.ts")),
            EdgeTo::Module(id(&dir, &g, "packages/ui/src/button.tsx")),
            EdgeTo::Package("zod".into()),
        ]
    );
}
