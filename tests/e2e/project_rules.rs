//! The cross-file rules' settings, `seam graph --why`, and auth patterns the fixture apps do not
//! show (zsa procedures, WorkOS and Stack options), on small projects in temporary directories.

use crate::support::*;

const PACKAGE: &str = r#"{ "dependencies": { "next": "16.4.5", "next-auth": "5.0.0-beta.30", "drizzle-orm": "0.44.5", "postgres": "3.4.7" } }"#;
const TSCONFIG: &str = r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }"#;
const DB: &str = "import { drizzle } from 'drizzle-orm/postgres-js'\nimport postgres from 'postgres'\nexport const db = drizzle(postgres(process.env.DATABASE_URL!))\n";

fn rule_lines(run: &Run, rule: &str) -> Vec<(String, u64)> {
    let json = run.json();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn auth_app(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![
        ("package.json", PACKAGE),
        ("tsconfig.json", TSCONFIG),
        ("lib/db.ts", DB),
        ("auth.ts", "import NextAuth from 'next-auth'\nexport const { auth, handlers } = NextAuth({ providers: [] })\n"),
    ];
    files.extend_from_slice(extra);
    project(&files)
}

#[test]
fn auth_settings_name_functions_wrappers_and_public_actions() {
    let actions = "'use server'\nimport { db } from '@/lib/db'\nimport { ensureTenant } from '@acme/guards'\nimport { tenantAction } from '@acme/actions'\n\
export async function rename(id: string) {\n  await ensureTenant()\n  await db.delete(id)\n}\n\
export const archive = tenantAction(async (id: string) => { await db.delete(id) })\n\
export async function trackView(id: string) {\n  await db.insert(id)\n}\n\
export async function purge(id: string) {\n  await db.delete(id)\n}\n";
    let dir = auth_app(&[("app/actions.ts", actions)]);
    let before = seam(dir.path(), &["check", "--format", "json"]);
    // `tenantAction` comes from a package seam cannot see into: silent either way.
    assert_eq!(
        rule_lines(&before, "missing-auth-check"),
        [
            ("app/actions.ts".to_string(), 5),
            ("app/actions.ts".to_string(), 10),
            ("app/actions.ts".to_string(), 13)
        ]
    );
    std::fs::write(
        dir.path().join("seam.json"),
        r#"{ "settings": { "auth": { "functions": ["ensureTenant"], "wrappers": ["tenantAction"], "publicActions": ["trackView"] } } }"#,
    )
    .unwrap();
    let after = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rule_lines(&after, "missing-auth-check"),
        [("app/actions.ts".to_string(), 13)]
    );
}

#[test]
fn zsa_procedures_workos_and_stack_options_verify_the_caller() {
    let procedures = "import { createServerActionProcedure } from 'zsa'\nimport { auth } from '@/auth'\n\
export const authedProcedure = createServerActionProcedure().handler(async () => {\n  const session = await auth()\n  if (!session) throw new Error('Unauthorized')\n  return { user: session.user }\n})\n\
export const publicProcedure = createServerActionProcedure().handler(async () => ({ ok: true }))\n";
    let actions = "'use server'\nimport { db } from '@/lib/db'\nimport { authedProcedure, publicProcedure } from '@/lib/procedures'\nimport { withAuth } from '@workos-inc/authkit-nextjs'\n\
export const save = authedProcedure.createServerAction().handler(async () => { await db.insert(1) })\n\
export const leak = publicProcedure.createServerAction().handler(async () => { await db.insert(1) })\n\
export async function settings() {\n  await withAuth({ ensureSignedIn: true })\n  await db.update(1)\n}\n\
export async function loose() {\n  const { user } = await withAuth()\n  await db.update(user)\n}\n";
    let dir = auth_app(&[
        ("lib/procedures.ts", procedures),
        ("app/actions.ts", actions),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rule_lines(&run, "missing-auth-check"),
        [
            ("app/actions.ts".to_string(), 6),
            ("app/actions.ts".to_string(), 11)
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn server_module_settings_extend_and_trim_the_lists() {
    let dir = project(&[
        ("package.json", PACKAGE),
        ("components/a.tsx", "'use client'\nimport { token } from '@acme/secrets'\nimport { Redis } from '@upstash/redis'\nexport const A = () => [token, Redis]\n"),
    ]);
    let before = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rule_lines(&before, "server-import-in-client"),
        [("components/a.tsx".to_string(), 3)]
    );
    std::fs::write(
        dir.path().join("seam.json"),
        r#"{ "settings": { "serverOnlyModules": ["@acme/secrets"], "clientSafeModules": ["@upstash/redis"] } }"#,
    )
    .unwrap();
    let after = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rule_lines(&after, "server-import-in-client"),
        [("components/a.tsx".to_string(), 2)]
    );
}

#[test]
fn graph_why_prints_the_chain_from_a_client_module() {
    let dir = project(&[
        ("package.json", PACKAGE),
        ("tsconfig.json", TSCONFIG),
        (
            "components/badge.tsx",
            "'use client'\nimport { can } from '@/lib/permissions'\nexport const B = () => can\n",
        ),
        (
            "components/card.tsx",
            "'use client'\nimport { can } from '../lib/permissions'\nexport const C = () => can\n",
        ),
        (
            "lib/permissions.ts",
            "import { db } from './db'\nexport const can = () => db\n",
        ),
        ("lib/db.ts", DB),
        (
            "app/page.tsx",
            "export default function Page() { return null }\n",
        ),
    ]);
    let run = seam(dir.path(), &["graph", "--why", "lib/db.ts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "lib/db.ts is in the client graph:",
            "  components/badge.tsx:2:1  ('use client')",
            "    imports '@/lib/permissions'",
            "  lib/permissions.ts:1:1",
            "    imports './db'",
            "  lib/db.ts",
            "2 'use client' module(s) reach it:",
            "  components/badge.tsx",
            "  components/card.tsx",
        ]
    );
    let page = seam(dir.path(), &["graph", "--why", "app/page.tsx"]);
    assert!(
        page.stdout.contains("is not in the client graph"),
        "{}",
        page.stdout
    );
    let missing = seam(dir.path(), &["graph", "--why", "nope.ts"]);
    assert_eq!(missing.code, 2);
}

#[test]
fn a_session_handed_to_a_helper_seam_did_not_walk_may_be_checked_there() {
    // lib/guards.ts has no `async`: its bodies are not walked, so seam cannot see the check.
    let guards = "export function assertOwner(session: unknown, teamId: string) {\n  if (!session) throw new Error('Unauthorized')\n  return teamId\n}\n";
    let actions = "'use server'\nimport { auth } from '@/auth'\nimport { db } from '@/lib/db'\nimport { assertOwner } from '@/lib/guards'\n\
export async function rename(teamId: string) {\n  const session = await auth()\n  assertOwner(session, teamId)\n  await db.update(teamId)\n}\n\
export async function purge(teamId: string) {\n  const session = await auth()\n  await db.delete(teamId)\n  return session\n}\n";
    let dir = auth_app(&[("lib/guards.ts", guards), ("app/actions.ts", actions)]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rule_lines(&run, "missing-auth-check"),
        [("app/actions.ts".to_string(), 10)],
        "{}",
        run.stdout
    );
}

#[test]
fn throws_in_use_server_helpers_only_server_code_imports_are_not_reported() {
    let service = "'use server'\nexport async function getPlan(id: string) {\n  if (!id) throw new Error('missing id')\n  return id\n}\nexport async function rename(id: string) {\n  if (!id) throw new Error('missing id')\n  return id\n}\nexport async function unused(id: string) {\n  if (!id) throw new Error('missing id')\n  return id\n}\n";
    let dir = project(&[
        ("package.json", PACKAGE),
        ("lib/service.ts", service),
        ("lib/billing.ts", "import { getPlan } from './service'\nexport const plan = () => getPlan('x')\n"),
        ("app/form.tsx", "import { rename } from '@/lib/service'\nexport default function F() { return <form action={rename} /> }\n"),
        ("tsconfig.json", TSCONFIG),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    // getPlan: only lib/billing.ts (server code) imports it. rename: a component does.
    // unused: nothing seam saw imports it, so it still counts.
    assert_eq!(
        rule_lines(&run, "throw-in-action"),
        [
            ("lib/service.ts".to_string(), 7),
            ("lib/service.ts".to_string(), 11)
        ],
        "{}",
        run.stdout
    );
    // Named alone, the file is still checked against its whole project: the same findings.
    let alone = seam(dir.path(), &["check", "lib/service.ts", "--format", "json"]);
    assert_eq!(
        rule_lines(&alone, "throw-in-action"),
        rule_lines(&run, "throw-in-action")
    );
}

#[test]
fn calls_seam_cannot_see_into_only_cover_what_follows_them() {
    let actions = "'use server'\nimport { db } from '@/lib/db'\nimport { requireMember } from '@acme/permissions'\nimport { userAgent } from 'next/server'\n\
export async function guarded(id: string) {\n  await requireMember(id)\n  await db.delete(id)\n}\n\
export async function late(id: string) {\n  await db.delete(id)\n  await requireMember(id)\n}\n\
export async function agent(id: string, request: Request) {\n  userAgent(request)\n  await db.delete(id)\n}\n";
    let dir = auth_app(&[("app/actions.ts", actions)]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    // `requireMember` (an unknown package) may check the caller: only what runs after it is
    // covered. `userAgent` from next/server is no auth check.
    assert_eq!(
        rule_lines(&run, "missing-auth-check"),
        [
            ("app/actions.ts".to_string(), 9),
            ("app/actions.ts".to_string(), 13)
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn an_auth_dependency_in_package_json_is_an_auth_system_when_linting_one_file() {
    let actions = "'use server'\nimport { db } from '@/lib/db'\nexport async function purge(id: string) {\n  await db.delete(id)\n}\n";
    let dir = auth_app(&[("app/actions.ts", actions)]);
    let run = seam(dir.path(), &["check", "app/actions.ts", "--format", "json"]);
    assert_eq!(
        rule_lines(&run, "missing-auth-check"),
        [("app/actions.ts".to_string(), 3)],
        "{}",
        run.stdout
    );
    std::fs::write(
        dir.path().join("package.json"),
        r#"{ "dependencies": { "next": "16.4.5", "drizzle-orm": "0.44.5" } }"#,
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("auth.ts")).unwrap();
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert!(
        rule_lines(&run, "missing-auth-check").is_empty(),
        "no auth system: {}",
        run.stdout
    );
}

#[test]
fn bindings_built_from_each_other_in_a_cycle_end() {
    let dir = auth_app(&[
        ("lib/a.ts", "import { b } from './b'\nexport const a = b.x()\n"),
        ("lib/b.ts", "import { a } from './a'\nexport const b = a.y()\n"),
        ("app/actions.ts", "'use server'\nimport { a } from '@/lib/a'\nexport async function go() {\n  await a.q()\n}\n"),
    ]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn helpers_exported_from_use_server_files_name_the_caller_supplied_parameter() {
    let actions = "'use server'\nimport { auth } from '@/auth'\nimport { db } from '@/lib/db'\n\
export async function removeMember(workspaceId: string, userId: string) {\n  await db.delete(workspaceId, userId)\n}\n\
export async function leave(workspaceId: string) {\n  const session = await auth()\n  if (!session?.user) return\n  await removeMember(workspaceId, session.user.id)\n}\n";
    let dir = auth_app(&[("app/actions.ts", actions)]);
    let json = seam(dir.path(), &["check", "--format", "json"]).json();
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "missing-auth-check")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["`removeMember` takes `workspaceId` from whoever calls it and reaches `db.delete` without verifying the caller"]
    );
}

#[test]
fn stdin_sees_the_modules_the_text_imports() {
    let dir = project(&[
        ("package.json", PACKAGE),
        ("tsconfig.json", TSCONFIG),
        (
            "lib/permissions.ts",
            "import { db } from './db'\nexport const can = () => db\n",
        ),
        ("lib/db.ts", "import 'server-only'\nexport const db = 1\n"),
    ]);
    let text =
        "'use client'\nimport { can } from '@/lib/permissions'\nexport const B = () => can\n";
    let run = seam_with_stdin(
        dir.path(),
        &[
            "check",
            "--stdin-filename",
            "components/badge.tsx",
            "--format",
            "json",
        ],
        Some(text),
    );
    assert_eq!(
        rule_lines(&run, "server-import-in-client"),
        [("components/badge.tsx".to_string(), 2)],
        "{}",
        run.stdout
    );
}

#[test]
fn checks_real_apps_write_in_other_shapes_verify_the_caller() {
    let session = "import { getServerSession } from 'next-auth'\nimport { db } from '@/lib/db'\n\
export async function requireUser() {\n  const session = await getServerSession()\n  if (!session?.user) throw new Error('Unauthorized')\n  return session.user\n}\n\
export const getUser = async () => {\n  const session = await getServerSession()\n  const user = await db.users.findUnique({ where: { id: session?.user?.id } })\n  if (!user) throw new Error('User not found')\n  return user\n}\n";
    let actions = "'use server'\nimport { cookies } from 'next/headers'\nimport { db } from '@/lib/db'\nimport { getUser, requireUser } from '@/lib/session'\n\
export async function archive(id: string) {\n  let user\n  try {\n    user = await requireUser()\n  } catch (e) {\n    return { error: 'Unauthorized' }\n  }\n  await db.update(id, user)\n}\n\
export async function regenerate(id: string) {\n  try {\n    await getUser()\n  } catch {\n    return { error: 'Unauthorized' }\n  }\n  await db.update(id)\n}\n\
export async function getWishlist() {\n  const listId = (await cookies()).get('wishlist')?.value\n  if (!listId) return []\n  return db.wishlists.find(listId)\n}\n\
export async function lookupCity(q: string) {\n  const res = await fetch('https://geo.example.com/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: q })\n  return res.json()\n}\n\
export async function notify(q: string) {\n  await fetch('https://api.example.com/notify', { method: 'POST', headers: { Authorization: `Bearer ${process.env.KEY}` }, body: q })\n}\n\
export async function submitFeedback(text: string) {\n  await db.insert(text)\n}\n\
export async function addToCart(productId: string) {\n  await db.insert(productId)\n}\n";
    let dir = auth_app(&[("lib/session.ts", session), ("app/actions.ts", actions)]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    // Only `notify` (a credentialed POST) is reported.
    assert_eq!(
        rule_lines(&run, "missing-auth-check"),
        [("app/actions.ts".to_string(), 31)],
        "{}",
        run.stdout
    );
}

#[test]
fn next_auth_re_exported_by_a_workspace_package_is_still_next_auth() {
    let auth = "import NextAuth from '@repo/auth/next-auth'\nexport const { auth, handlers } = NextAuth({ providers: [] })\n";
    let actions = "'use server'\nimport { auth } from '@/auth'\nimport { db } from '@/lib/db'\n\
export async function enroll(id: string) {\n  const session = await auth()\n  if (!session) return 'signed out'\n  await db.update(id)\n}\n\
export async function leak(id: string) {\n  await db.update(id)\n}\n";
    let dir = auth_app(&[("auth.ts", auth), ("app/actions.ts", actions)]);
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        rule_lines(&run, "missing-auth-check"),
        [("app/actions.ts".to_string(), 9)],
        "{}",
        run.stdout
    );
}
