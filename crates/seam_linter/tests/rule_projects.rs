//! The rules that read more than one file (the module graph or the project), tested on small
//! projects through the real pipeline: pass cases stay silent, fail cases report, fix cases
//! fix; what they report and how they fix it is snapshotted (insta).

use seam_linter::testing::Tester;

const NEXT16: &str = r#"{ "dependencies": { "next": "16.4.5", "next-auth": "5.0.0" } }"#;
const NEXT15: &str = r#"{ "dependencies": { "next": "15.5.9" } }"#;
const ALIASES: &str = r#"{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }"#;
const DB: &str = "import { drizzle } from 'drizzle-orm/postgres-js'\nexport const db = drizzle(process.env.DATABASE_URL!)\n";

#[test]
fn missing_auth_check() {
    let report = Tester::new("missing-auth-check")
        // A guard two helpers deep, in another file, through an alias.
        .pass(&[
            ("package.json", NEXT16),
            ("tsconfig.json", ALIASES),
            ("lib/db.ts", DB),
            ("auth.ts", "import NextAuth from 'next-auth'\nexport const { auth } = NextAuth({ providers: [] })\n"),
            ("lib/guards.ts", "import { auth } from '@/auth'\nexport async function requireUser() {\n  const session = await auth()\n  if (!session?.user) throw new Error('Unauthorized')\n  return session.user\n}\nexport async function requireAdmin() {\n  const user = await requireUser()\n  return user\n}\n"),
            ("app/actions.ts", "'use server'\nimport { db } from '@/lib/db'\nimport { requireAdmin } from '@/lib/guards'\nexport async function removePost(id: string) {\n  await requireAdmin()\n  await db.delete(id)\n}\n"),
        ])
        // No auth library in the project: seam cannot know who may call it.
        .pass(&[
            ("package.json", r#"{ "dependencies": { "next": "16.4.5" } }"#),
            ("lib/db.ts", DB),
            ("app/actions.ts", "'use server'\nimport { db } from '../lib/db'\nexport async function removePost(id: string) {\n  await db.delete(id)\n}\n"),
        ])
        // The write reached through a helper in another file, before any check.
        .fail(&[
            ("package.json", NEXT16),
            ("tsconfig.json", ALIASES),
            ("lib/db.ts", DB),
            ("lib/posts.ts", "import { db } from './db'\nexport async function deletePost(id: string) {\n  return db.delete(id)\n}\n"),
            ("app/actions.ts", "'use server'\nimport { deletePost } from '@/lib/posts'\nexport async function removePost(id: string) {\n  await deletePost(id)\n}\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn server_import_in_client() {
    let report = Tester::new("server-import-in-client")
        // Types only, and a 'use server' module (its exports arrive as references).
        .pass(&[
            ("package.json", NEXT16),
            ("lib/db.ts", DB),
            ("lib/types.ts", "import type { db } from './db'\nexport type Db = typeof db\n"),
            ("app/actions.ts", "'use server'\nimport { db } from '../lib/db'\nexport async function save() { await db.insert(1) }\n"),
            ("components/form.tsx", "'use client'\nimport type { Db } from '../lib/types'\nimport { save } from '../app/actions'\nexport function Form(props: { db?: Db }) { return <form action={save} /> }\n"),
        ])
        // A require the browser never runs (Next drops `typeof window === 'undefined'` branches).
        .pass(&[
            ("package.json", NEXT16),
            ("lib/log.ts", "export function log(message: string) {\n  if (process.env.NODE_ENV === 'production' && typeof window === 'undefined') {\n    const { createHash } = require('node:crypto')\n    return createHash('sha256').update(message).digest('hex')\n  }\n  return message\n}\n"),
            ("components/button.tsx", "'use client'\nimport { log } from '../lib/log'\nexport function Button() { return <button onClick={() => log('x')} /> }\n"),
        ])
        // Prisma's enums through a re-export file: the browser build of @prisma/client has them
        // (and only a stub PrismaClient), so re-exporting PrismaClient bundles no server code.
        .pass(&[
            ("package.json", NEXT16),
            ("lib/prisma.ts", "export type * from '@prisma/client'\nexport { Prisma, PrismaClient, Role } from '@prisma/client'\n"),
            ("components/role.tsx", "'use client'\nimport { Role } from '../lib/prisma'\nexport const R = () => Role.ADMIN\n"),
        ])
        // Through a barrel: the database driver in the client bundle.
        .fail(&[
            ("package.json", NEXT16),
            ("lib/db.ts", DB),
            ("lib/format.ts", "export const money = (n: number) => `$${n}`\n"),
            ("lib/index.ts", "export * from './format'\nexport * from './db'\n"),
            ("components/price.tsx", "'use client'\nimport { money } from '../lib'\nexport function Price() { return <p>{money(1)}</p> }\n"),
        ])
        // One root cause, three client modules: a shared module that mixes helpers the browser
        // needs with a fetch-based client. One finding, at that module's server import.
        .fail(&[
            ("package.json", NEXT16),
            ("lib/checker.ts", "import { Redis } from '@upstash/redis'\nimport { z } from 'zod'\nexport const schema = z.object({})\nexport const redis = () => Redis.fromEnv()\nexport const format = (n: number) => `${n} ms`\n"),
            ("components/a.tsx", "'use client'\nimport { format } from '../lib/checker'\nexport const A = () => format(1)\n"),
            ("components/b.tsx", "'use client'\nimport { format } from '../lib/checker'\nexport const B = () => format(2)\n"),
            ("components/c.tsx", "'use client'\nimport { schema } from '../lib/checker'\nexport const C = () => schema\n"),
        ])
        // A barrel that re-exports a module holding only server code: one finding, at the
        // barrel's line that brings it in.
        .fail(&[
            ("package.json", NEXT16),
            ("lib/stripe.ts", "import Stripe from 'stripe'\nexport const stripe = () => new Stripe(process.env.STRIPE_SECRET_KEY!)\n"),
            ("lib/utils.ts", "export const cn = (...c: string[]) => c.join(' ')\n"),
            ("lib/index.ts", "export * from './utils'\nexport * from './stripe'\n"),
            ("components/a.tsx", "'use client'\nimport { cn } from '../lib'\nexport const A = () => cn('a')\n"),
            ("components/b.tsx", "'use client'\nimport { cn } from '../lib'\nexport const B = () => cn('b')\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn server_env_in_client() {
    let report = Tester::new("server-env-in-client")
        .pass(&[
            ("package.json", NEXT16),
            ("lib/site.ts", "export const site = process.env.NEXT_PUBLIC_SITE_URL\n"),
            ("components/link.tsx", "'use client'\nimport { site } from '../lib/site'\nexport function Home() { return <a href={site}>home</a> }\n"),
        ])
        // Only server code imports the module that reads the secret.
        .pass(&[
            ("package.json", NEXT16),
            ("lib/stripe.ts", "export const key = process.env.STRIPE_SECRET_KEY\n"),
            ("app/page.tsx", "import { key } from '../lib/stripe'\nexport default function Page() { return <p>{key ? 'on' : 'off'}</p> }\n"),
        ])
        .fail(&[
            ("package.json", NEXT16),
            ("lib/stripe.ts", "export const key = process.env.STRIPE_SECRET_KEY\n"),
            ("components/pay.tsx", "'use client'\nimport { key } from '../lib/stripe'\nexport function Pay() { return <p>{key}</p> }\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn throw_in_action() {
    let action = "'use server'\nexport async function rename(formData: FormData) {\n  const name = formData.get('name')\n  if (!name) throw new Error('missing name')\n  return { ok: true }\n}\n";
    let report = Tester::new("throw-in-action")
        // Only server code imports it: not an endpoint any form or client calls.
        .pass(&[
            ("package.json", NEXT16),
            ("lib/rename.ts", action),
            ("lib/jobs.ts", "import { rename } from './rename'\nexport const nightly = () => rename(new FormData())\n"),
        ])
        // Only a page's render and a route handler call it: its throw reaches them, not a form.
        .pass(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/page.tsx", "import { rename } from './actions'\nexport default async function Page() {\n  await rename(new FormData())\n  return <p>done</p>\n}\n"),
            ("app/api/route.ts", "import { rename } from '../actions'\nexport async function POST(request: Request) {\n  return Response.json(await rename(await request.formData()))\n}\n"),
        ])
        // Every client call handles the rejection: awaited in a try, or with .catch.
        .pass(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/form.tsx", "'use client'\nimport { rename } from './actions'\nexport function Form() {\n  async function submit(data: FormData) {\n    try {\n      await rename(data)\n    } catch (error) {\n      alert('failed')\n    }\n  }\n  return <form onSubmit={(e) => rename(new FormData()).catch(() => alert('failed'))} action={submit} />\n}\n"),
        ])
        .fail(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/page.tsx", "import { rename } from './actions'\nexport default function Page() { return <form action={rename}><input name=\"name\" /></form> }\n"),
        ])
        // A client call without a catch; a try whose catch rethrows; a call not awaited in its try.
        .fail(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/button.tsx", "'use client'\nimport { rename } from './actions'\nexport function Button() {\n  return <button onClick={async () => { await rename(new FormData()) }} />\n}\n"),
        ])
        .fail(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/button.tsx", "'use client'\nimport { rename } from './actions'\nexport function Button() {\n  async function go() {\n    try {\n      await rename(new FormData())\n    } catch (error) {\n      console.error(error)\n      throw error\n    }\n  }\n  return <button onClick={go} />\n}\n"),
        ])
        .fail(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/button.tsx", "'use client'\nimport { rename } from './actions'\nexport function Button() {\n  function go() {\n    try {\n      rename(new FormData())\n    } catch {\n      alert('failed')\n    }\n  }\n  return <button onClick={go} />\n}\n"),
        ])
        // A server page hands it to a client component: the client decides, so it counts.
        .fail(&[
            ("package.json", NEXT16),
            ("app/actions.ts", action),
            ("app/page.tsx", "import { rename } from './actions'\nimport { Form } from './form'\nexport default function Page() { return <Form onRename={rename} /> }\n"),
            ("app/form.tsx", "'use client'\nexport function Form(props: { onRename: (d: FormData) => Promise<unknown> }) { return <form action={props.onRename} /> }\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn cache_api_outside_cache() {
    let report = Tester::new("cache-api-outside-cache")
        // A helper that calls cacheLife(), called only from a 'use cache' function elsewhere.
        .pass(&[
            ("package.json", NEXT16),
            ("lib/life.ts", "import { cacheLife } from 'next/cache'\nexport function hourly() { cacheLife('hours') }\n"),
            ("lib/posts.ts", "import { hourly } from './life'\nexport async function getPosts() {\n  'use cache'\n  hourly()\n  return []\n}\n"),
        ])
        // The same helper called from a route handler, outside any cache.
        .fail(&[
            ("package.json", NEXT16),
            ("lib/life.ts", "import { cacheLife } from 'next/cache'\nexport function hourly() { cacheLife('hours') }\n"),
            ("app/api/posts/route.ts", "import { hourly } from '../../../lib/life'\nexport async function GET() {\n  hourly()\n  return Response.json([])\n}\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn missing_cache_life_fixes_by_the_installed_version() {
    let cached = "export async function getPosts() {\n  'use cache'\n  return []\n}\n";
    let report = Tester::new("missing-cache-life")
        .pass(&[
            ("package.json", NEXT16),
            ("lib/posts.ts", "import { cacheLife } from 'next/cache'\nexport async function getPosts() {\n  'use cache'\n  cacheLife('hours')\n  return []\n}\n"),
        ])
        .fix(&[("package.json", NEXT16), ("lib/posts.ts", cached)])
        .fix(&[("package.json", NEXT15), ("lib/posts.ts", cached)])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_cache_life_profile_reads_next_config() {
    let config = "export default {\n  cacheComponents: true,\n  cacheLife: { blog: { stale: 3600, revalidate: 900, expire: 86400 } },\n}\n";
    let report = Tester::new("unknown-cache-life-profile")
        .pass(&[
            ("package.json", NEXT16),
            ("next.config.mjs", config),
            ("lib/posts.ts", "import { cacheLife } from 'next/cache'\nexport async function getPosts() {\n  'use cache'\n  cacheLife('blog')\n  return []\n}\n"),
        ])
        .fix(&[
            ("package.json", NEXT16),
            ("next.config.mjs", config),
            ("lib/posts.ts", "import { cacheLife } from 'next/cache'\nexport async function getPosts() {\n  'use cache'\n  cacheLife('blgo')\n  return []\n}\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn revalidate_tag_signature_by_version() {
    let action = "'use server'\nimport { revalidateTag } from 'next/cache'\nexport async function refreshPosts() {\n  revalidateTag('posts')\n}\n";
    let report = Tester::new("revalidate-tag-signature")
        // Next 15: one argument is the signature.
        .pass(&[("package.json", NEXT15), ("app/actions.ts", action)])
        .fix(&[("package.json", NEXT16), ("app/actions.ts", action)])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn redirect_in_try_catch_fixes_with_unstable_rethrow() {
    let report = Tester::new("redirect-in-try-catch")
        .pass(&[
            ("package.json", NEXT16),
            ("app/actions.ts", "'use server'\nimport { redirect } from 'next/navigation'\nexport async function go() {\n  try {\n    await fetch('https://example.com')\n  } catch (error) {\n    return { error: 'failed' }\n  }\n  redirect('/done')\n}\n"),
        ])
        .fix(&[
            ("package.json", NEXT16),
            ("app/actions.ts", "'use server'\nimport { redirect } from 'next/navigation'\nexport async function go() {\n  try {\n    await fetch('https://example.com')\n    redirect('/done')\n  } catch (error) {\n    return { error: 'failed' }\n  }\n}\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn dynamic_api_in_cache_through_a_helper() {
    let report = Tester::new("dynamic-api-in-cache")
        .pass(&[
            ("package.json", NEXT16),
            ("lib/posts.ts", "import { cookies } from 'next/headers'\nexport async function getTheme() {\n  return (await cookies()).get('theme')?.value\n}\n"),
        ])
        .fail(&[
            ("package.json", NEXT16),
            ("lib/posts.ts", "import { cookies } from 'next/headers'\nasync function theme() {\n  return (await cookies()).get('theme')?.value\n}\nexport async function getPosts() {\n  'use cache'\n  const t = await theme()\n  return [t]\n}\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn invalid_cache_life_in_next_config() {
    let report = Tester::new("invalid-cache-life")
        .pass(&[
            ("package.json", NEXT16),
            ("next.config.mjs", "export default { cacheLife: { blog: { stale: 60, revalidate: 900, expire: 86400 } } }\n"),
        ])
        .fail(&[
            ("package.json", NEXT16),
            ("next.config.mjs", "export default { cacheLife: { blog: { stale: 60, revalidate: 900, expire: 600 } } }\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}

#[test]
fn revalidate_path_without_a_leading_slash_is_fixed() {
    let report = Tester::new("revalidate-path-overuse")
        .pass(&[
            ("package.json", NEXT16),
            ("app/actions.ts", "'use server'\nimport { revalidatePath } from 'next/cache'\nexport async function save() {\n  revalidatePath('/projects')\n}\n"),
        ])
        .fix(&[
            ("package.json", NEXT16),
            ("app/actions.ts", "'use server'\nimport { revalidatePath } from 'next/cache'\nexport async function save() {\n  revalidatePath('projects')\n}\n"),
        ])
        .run();
    insta::assert_snapshot!(report);
}
