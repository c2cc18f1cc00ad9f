//! A deterministic synthetic Next.js monorepo: `apps/web` (App Router, `@/` alias) with one
//! feature folder per route, and workspace packages `@acme/db`, `@acme/auth` and `@acme/ui`
//! linked through `node_modules` the way pnpm and npm workspaces link them.
//!
//! Every feature has a server page, a `'use server'` actions file, a `'use client'` form, server
//! components behind a barrel, data modules reaching the database, pure helpers at the end of a
//! deep import chain, and a test. A fixed share of features carries one planted mistake per rule
//! (see `Planted`), so a run does the work of finding things and not only of parsing.
//!
//! The same arguments always give the same bytes: there is no randomness, only the feature index.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Length of the `lib/chain` import chain every feature's helpers reach into.
const CHAIN: usize = 24;
/// Client components in `@acme/ui`.
const UI_COMPONENTS: usize = 40;
/// Route groups the features are spread over.
const GROUPS: usize = 8;

/// A planted mistake: the rule that should report it, the features that carry it
/// (`index % every == at`), and how many findings each such feature carries.
pub struct Planted {
    pub rule: &'static str,
    every: usize,
    at: usize,
    per_feature: usize,
}

const fn planted(rule: &'static str, every: usize, at: usize) -> Planted {
    Planted {
        rule,
        every,
        at,
        per_feature: 1,
    }
}

impl Planted {
    fn applies(&self, feature: usize) -> bool {
        feature % self.every == self.at
    }
}

pub const THROW: Planted = planted("throw-in-action", 41, 7);
pub const REVALIDATE_ROOT: Planted = planted("revalidate-path-overuse", 43, 11);
/// Both actions of such a feature (`createItem`, `deleteItem`) lack the check.
pub const NO_AUTH: Planted = Planted {
    per_feature: 2,
    ..planted("missing-auth-check", 47, 13)
};
pub const NO_CACHE_LIFE: Planted = planted("missing-cache-life", 53, 17);
pub const MODULE_MAP: Planted = planted("unbounded-module-cache", 59, 19);
pub const CLIENT_REACHES_SERVER: Planted = planted("server-import-in-client", 37, 5);
pub const CLIENT_SECRET: Planted = planted("server-env-in-client", 61, 23);
pub const COOKIES_IN_CACHE: Planted = planted("dynamic-api-in-cache", 67, 29);
pub const REDIRECT_IN_TRY: Planted = planted("redirect-in-try-catch", 71, 31);

/// Every planted mistake, for tests that check a generated app reports each of them.
pub const PLANTED: &[&Planted] = &[
    &THROW,
    &REVALIDATE_ROOT,
    &NO_AUTH,
    &NO_CACHE_LIFE,
    &MODULE_MAP,
    &CLIENT_REACHES_SERVER,
    &CLIENT_SECRET,
    &COOKIES_IN_CACHE,
    &REDIRECT_IN_TRY,
];

/// How many findings of `planted`'s rule the first `features` features plant: each carrying
/// feature's, plus what another plant brings about. The client components that reach server
/// code (`CLIENT_REACHES_SERVER`) pull `@acme/db` into the client bundle, and with it its read
/// of `process.env.DATABASE_URL`: one more server-env-in-client finding, in packages/db.
pub fn expected_findings(planted: &Planted, features: usize) -> usize {
    let own = planted.per_feature * planted_count(planted, features);
    let brought =
        planted.rule == CLIENT_SECRET.rule && planted_count(&CLIENT_REACHES_SERVER, features) > 0;
    own + usize::from(brought)
}

/// How many features carry `planted` among the first `features`.
pub fn planted_count(planted: &Planted, features: usize) -> usize {
    (0..features).filter(|&i| planted.applies(i)).count()
}

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// Source files seam lints (TypeScript and TSX).
    pub source_files: usize,
    pub features: usize,
}

/// Writes a monorepo with at least `min_files` source files under `root` (created; must be empty
/// or missing). Stops after the feature that reaches the count.
pub fn generate(root: &Path, min_files: usize) -> io::Result<Generated> {
    let mut out = Writer {
        root: root.to_path_buf(),
        source_files: 0,
    };
    write_workspace(&mut out)?;
    let mut features = 0;
    while out.source_files < min_files {
        write_feature(&mut out, features)?;
        features += 1;
    }
    Ok(Generated {
        source_files: out.source_files,
        features,
    })
}

struct Writer {
    root: PathBuf,
    source_files: usize,
}

impl Writer {
    fn file(&mut self, path: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        if seam_syntax::is_lintable(&path) {
            self.source_files += 1;
        }
        Ok(())
    }

    #[cfg(unix)]
    fn link(&self, target: &str, at: &str) -> io::Result<()> {
        let at = self.root.join(at);
        if let Some(dir) = at.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::os::unix::fs::symlink(target, at)
    }

    #[cfg(not(unix))]
    fn link(&self, _target: &str, _at: &str) -> io::Result<()> {
        Ok(())
    }
}

fn write_workspace(out: &mut Writer) -> io::Result<()> {
    out.file(
        "package.json",
        r#"{ "name": "bench-monorepo", "private": true, "workspaces": ["apps/*", "packages/*"] }
"#,
    )?;
    out.file(
        "apps/web/package.json",
        r#"{
  "name": "web",
  "private": true,
  "dependencies": {
    "next": "16.4.5",
    "react": "19.2.0",
    "react-dom": "19.2.0",
    "next-auth": "5.0.0-beta.29",
    "@acme/db": "workspace:*",
    "@acme/auth": "workspace:*",
    "@acme/ui": "workspace:*"
  }
}
"#,
    )?;
    out.file(
        "apps/web/tsconfig.json",
        r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "esnext",
    "moduleResolution": "bundler",
    "jsx": "preserve",
    "strict": true,
    "baseUrl": ".",
    "paths": { "@/*": ["./src/*"] }
  },
  "include": ["next-env.d.ts", "src/**/*.ts", "src/**/*.tsx"]
}
"#,
    )?;
    out.file(
        "apps/web/next.config.ts",
        "import type { NextConfig } from 'next';\n\nconst config: NextConfig = {\n  cacheComponents: true,\n  cacheLife: {\n    catalog: { stale: 300, revalidate: 900, expire: 86400 },\n  },\n};\n\nexport default config;\n",
    )?;
    out.file("apps/web/src/app/layout.tsx", ROOT_LAYOUT)?;
    out.file("apps/web/src/app/page.tsx", ROOT_PAGE)?;
    for (package, exports) in [
        (
            "db",
            r#"{ ".": "./src/index.ts", "./schema": "./src/schema.ts" }"#,
        ),
        ("auth", r#"{ ".": "./src/index.ts" }"#),
        ("ui", r#"{ ".": "./src/index.ts" }"#),
    ] {
        out.file(
            &format!("packages/{package}/package.json"),
            &format!(
                "{{ \"name\": \"@acme/{package}\", \"private\": true, \"type\": \"module\", \"exports\": {exports} }}\n"
            ),
        )?;
        out.link(
            &format!("../../packages/{package}"),
            &format!("node_modules/@acme/{package}"),
        )?;
    }
    out.file("packages/db/src/index.ts", DB_INDEX)?;
    out.file("packages/db/src/schema.ts", DB_SCHEMA)?;
    out.file("packages/auth/src/index.ts", AUTH_INDEX)?;
    let mut barrel = String::new();
    for j in 0..UI_COMPONENTS {
        out.file(&format!("packages/ui/src/widget-{j}.tsx"), &ui_component(j))?;
        let _ = writeln!(barrel, "export {{ Widget{j} }} from './widget-{j}';");
    }
    out.file("packages/ui/src/index.ts", &barrel)?;
    for k in 0..CHAIN {
        out.file(&format!("apps/web/src/lib/chain/c{k}.ts"), &chain_link(k))?;
    }
    Ok(())
}

fn write_feature(out: &mut Writer, i: usize) -> io::Result<()> {
    let route = format!("apps/web/src/app/(g{})/f{i}", i % GROUPS);
    out.file(&format!("{route}/page.tsx"), &page(i))?;
    out.file(&format!("{route}/actions.ts"), &actions(i))?;
    out.file(&format!("{route}/loading.tsx"), &loading(i))?;
    if i.is_multiple_of(5) {
        out.file(
            &format!("apps/web/src/app/api/f{i}/route.ts"),
            &route_handler(i),
        )?;
    }
    let components = format!("apps/web/src/components/f{i}");
    out.file(&format!("{components}/form.tsx"), &form(i))?;
    out.file(&format!("{components}/list.tsx"), &list(i))?;
    out.file(&format!("{components}/item.tsx"), &item(i))?;
    out.file(
        &format!("{components}/index.ts"),
        "export { List } from './list';\nexport { Item } from './item';\nexport { Form } from './form';\nexport type { ItemProps } from './item';\n",
    )?;
    let lib = format!("apps/web/src/lib/f{i}");
    out.file(&format!("{lib}/queries.ts"), &queries(i))?;
    out.file(&format!("{lib}/schema.ts"), &schema(i))?;
    out.file(&format!("{lib}/format.ts"), &format_helpers(i))?;
    out.file(&format!("{lib}/queries.test.ts"), &test(i))
}

const ROOT_LAYOUT: &str = r#"import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Bench', description: 'A synthetic Next.js app' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-background font-sans antialiased">
        <main className="container mx-auto py-8">{children}</main>
      </body>
    </html>
  );
}
"#;

const ROOT_PAGE: &str = r#"import Link from 'next/link';

export default function Home() {
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Features</h1>
      <p className="text-muted-foreground">Pick a feature from the navigation.</p>
      <Link href="/f0">Start</Link>
    </section>
  );
}
"#;

const DB_INDEX: &str = r#"import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from './schema';

const client = postgres(process.env.DATABASE_URL!, { max: 10 });

export const db = drizzle(client, { schema });
export type Database = typeof db;
export { schema };
"#;

const DB_SCHEMA: &str = r#"import { pgTable, serial, text, integer, timestamp } from 'drizzle-orm/pg-core';

export const items = pgTable('items', {
  id: serial('id').primaryKey(),
  ownerId: text('owner_id').notNull(),
  title: text('title').notNull(),
  quantity: integer('quantity').notNull().default(0),
  createdAt: timestamp('created_at').defaultNow().notNull(),
});

export type Item = typeof items.$inferSelect;
export type NewItem = typeof items.$inferInsert;
"#;

const AUTH_INDEX: &str = r#"import 'server-only';
import NextAuth from 'next-auth';
import GitHub from 'next-auth/providers/github';

export const { auth, handlers, signIn, signOut } = NextAuth({
  providers: [GitHub],
  session: { strategy: 'jwt' },
});
"#;

fn ui_component(j: usize) -> String {
    format!(
        r#"'use client';

import {{ useState, type ReactNode }} from 'react';

export interface Widget{j}Props {{
  title: string;
  children?: ReactNode;
  defaultOpen?: boolean;
  onToggle?: (open: boolean) => void;
}}

export function Widget{j}({{ title, children, defaultOpen = false, onToggle }}: Widget{j}Props) {{
  const [open, setOpen] = useState(defaultOpen);
  const toggle = () => {{
    const next = !open;
    setOpen(next);
    onToggle?.(next);
  }};
  return (
    <div className="rounded-md border p-4" data-widget="{j}">
      <button type="button" className="flex w-full items-center justify-between" onClick={{toggle}}>
        <span className="font-medium">{{title}}</span>
        <span aria-hidden>{{open ? '−' : '+'}}</span>
      </button>
      {{open ? <div className="mt-2 text-sm">{{children}}</div> : null}}
    </div>
  );
}}
"#
    )
}

fn chain_link(k: usize) -> String {
    let next = if k + 1 < CHAIN {
        format!("import {{ normalize{n} }} from './c{n}';\n", n = k + 1)
    } else {
        String::new()
    };
    let body = if k + 1 < CHAIN {
        format!("normalize{}(value.trim())", k + 1)
    } else {
        "value.trim().toLowerCase()".to_string()
    };
    format!(
        r#"{next}
/** Step {k} of the shared normalisation chain. */
export function normalize{k}(value: string): string {{
  return {body};
}}

export function slug{k}(value: string): string {{
  return normalize{k}(value)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}}

export const LIMIT_{k} = {limit};
"#,
        limit = 10 + k
    )
}

fn page(i: usize) -> String {
    format!(
        r#"import {{ Suspense }} from 'react';
import {{ notFound }} from 'next/navigation';
import {{ List, Form }} from '@/components/f{i}';
import {{ getItems, getSummary }} from '@/lib/f{i}/queries';
import {{ formatTitle }} from '@/lib/f{i}/format';
import {{ createItem }} from './actions';

export const metadata = {{ title: 'Feature {i}' }};

type PageProps = {{ params: Promise<{{ id?: string }}> }};

export default async function Feature{i}Page({{ params }}: PageProps) {{
  const {{ id }} = await params;
  const summary = await getSummary();
  if (summary.total < 0) {{
    notFound();
  }}
  return (
    <section className="space-y-6">
      <header className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">{{formatTitle('Feature {i}')}}</h1>
        <span className="text-sm text-muted-foreground">{{summary.total}} items</span>
      </header>
      <Form action={{createItem}} defaultTitle={{id ?? ''}} />
      <Suspense fallback={{<p>Loading…</p>}}>
        <Items />
      </Suspense>
    </section>
  );
}}

async function Items() {{
  const items = await getItems();
  return <List items={{items}} />;
}}
"#
    )
}

fn actions(i: usize) -> String {
    let mut imports =
        String::from("'use server';\n\nimport { revalidatePath } from 'next/cache';\n");
    if REDIRECT_IN_TRY.applies(i) {
        imports.push_str("import { redirect } from 'next/navigation';\n");
    }
    imports.push_str("import { eq } from 'drizzle-orm';\nimport { db, schema } from '@acme/db';\n");
    if !NO_AUTH.applies(i) {
        imports.push_str("import { auth } from '@acme/auth';\n");
    }
    let _ = writeln!(imports, "import {{ parseItem }} from '@/lib/f{i}/schema';");
    let check = if NO_AUTH.applies(i) {
        "const ownerId = String(formData.get('ownerId') ?? '');"
    } else {
        "const session = await auth();\n  if (!session?.user?.id) {\n    return { ok: false, error: 'You must be signed in.' };\n  }\n  const ownerId = session.user.id;"
    };
    let validate = if THROW.applies(i) {
        "if (!parsed.success) {\n    throw new Error('Invalid item');\n  }"
    } else {
        "if (!parsed.success) {\n    return { ok: false, error: parsed.error };\n  }"
    };
    let revalidate = if REVALIDATE_ROOT.applies(i) {
        "revalidatePath('/', 'layout');".to_string()
    } else {
        format!("revalidatePath('/f{i}');")
    };
    let insert = if REDIRECT_IN_TRY.applies(i) {
        format!(
            "try {{\n    await db.insert(schema.items).values({{ ...parsed.data, ownerId }});\n    redirect('/f{i}');\n  }} catch (error) {{\n    console.error(error);\n    return {{ ok: false, error: 'Could not save.' }};\n  }}"
        )
    } else {
        "await db.insert(schema.items).values({ ...parsed.data, ownerId });".to_string()
    };
    format!(
        r#"{imports}
export type ActionState = {{ ok: boolean; error?: string }};

export async function createItem(_prev: ActionState, formData: FormData): Promise<ActionState> {{
  {check}
  const parsed = parseItem({{
    title: formData.get('title'),
    quantity: formData.get('quantity'),
  }});
  {validate}
  {insert}
  {revalidate}
  return {{ ok: true }};
}}

export async function deleteItem(id: number): Promise<ActionState> {{
  {check_delete}
  await db.delete(schema.items).where(eq(schema.items.id, id));
  revalidatePath('/f{i}');
  return {{ ok: true }};
}}
"#,
        check_delete = if NO_AUTH.applies(i) {
            "// Anyone may delete here: the planted missing check."
        } else {
            "const session = await auth();\n  if (!session?.user?.id) {\n    return { ok: false, error: 'You must be signed in.' };\n  }"
        }
    )
}

fn loading(i: usize) -> String {
    format!(
        r#"export default function Loading() {{
  return (
    <div className="animate-pulse space-y-3" aria-busy="true" data-feature="{i}">
      <div className="h-6 w-1/3 rounded bg-muted" />
      <div className="h-4 w-2/3 rounded bg-muted" />
      <div className="h-4 w-1/2 rounded bg-muted" />
    </div>
  );
}}
"#
    )
}

fn route_handler(i: usize) -> String {
    format!(
        r#"import {{ NextResponse, type NextRequest }} from 'next/server';
import {{ auth }} from '@acme/auth';
import {{ getItems }} from '@/lib/f{i}/queries';

export async function GET(request: NextRequest) {{
  const session = await auth();
  if (!session) {{
    return NextResponse.json({{ error: 'Unauthorized' }}, {{ status: 401 }});
  }}
  const limit = Number(request.nextUrl.searchParams.get('limit') ?? '20');
  const items = await getItems();
  return NextResponse.json({{ items: items.slice(0, limit) }});
}}
"#
    )
}

fn form(i: usize) -> String {
    let secret = if CLIENT_SECRET.applies(i) {
        "\nconst publishableKey = process.env.STRIPE_SECRET_KEY;\n"
    } else {
        "\nconst publishableKey = process.env.NEXT_PUBLIC_STRIPE_KEY;\n"
    };
    format!(
        r#"'use client';

import {{ useActionState }} from 'react';
import {{ Widget{w} }} from '@acme/ui';
import {{ formatTitle, clampQuantity }} from '@/lib/f{i}/format';
import type {{ ActionState }} from '@/app/(g{g})/f{i}/actions';
{secret}
type FormProps = {{
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  defaultTitle: string;
}};

export function Form({{ action, defaultTitle }}: FormProps) {{
  const [state, submit, pending] = useActionState(action, {{ ok: true }});
  return (
    <Widget{w} title={{formatTitle('New item')}} defaultOpen>
      <form action={{submit}} className="grid gap-3" data-key={{publishableKey}}>
        <label className="grid gap-1">
          <span>Title</span>
          <input name="title" defaultValue={{defaultTitle}} required className="rounded border px-2 py-1" />
        </label>
        <label className="grid gap-1">
          <span>Quantity</span>
          <input name="quantity" type="number" defaultValue={{clampQuantity(1)}} className="rounded border px-2 py-1" />
        </label>
        {{state.error ? <p className="text-sm text-red-600">{{state.error}}</p> : null}}
        <button type="submit" disabled={{pending}} className="rounded bg-black px-3 py-1 text-white">
          {{pending ? 'Saving…' : 'Save'}}
        </button>
      </form>
    </Widget{w}>
  );
}}
"#,
        w = i % UI_COMPONENTS,
        g = i % GROUPS,
    )
}

fn list(i: usize) -> String {
    format!(
        r#"import {{ Item, type ItemProps }} from './item';

export function List({{ items }}: {{ items: ItemProps['item'][] }}) {{
  if (items.length === 0) {{
    return <p className="text-sm text-muted-foreground">Nothing in feature {i} yet.</p>;
  }}
  return (
    <ul className="divide-y rounded-md border">
      {{items.map((item) => (
        <Item key={{item.id}} item={{item}} />
      ))}}
    </ul>
  );
}}
"#
    )
}

fn item(i: usize) -> String {
    format!(
        r#"import type {{ Item as Row }} from '@acme/db/schema';
import {{ formatQuantity, formatDate }} from '@/lib/f{i}/format';

export type ItemProps = {{ item: Row }};

export function Item({{ item }}: ItemProps) {{
  return (
    <li className="flex items-center justify-between px-4 py-2">
      <div>
        <p className="font-medium">{{item.title}}</p>
        <p className="text-xs text-muted-foreground">{{formatDate(item.createdAt)}}</p>
      </div>
      <span className="tabular-nums">{{formatQuantity(item.quantity)}}</span>
    </li>
  );
}}
"#
    )
}

fn queries(i: usize) -> String {
    let mut head = String::from("import 'server-only';\n");
    if COOKIES_IN_CACHE.applies(i) {
        head.push_str("import { cookies } from 'next/headers';\n");
    }
    head.push_str("import { cacheLife, cacheTag } from 'next/cache';\nimport { desc, count } from 'drizzle-orm';\nimport { db, schema } from '@acme/db';\n");
    let life = if NO_CACHE_LIFE.applies(i) {
        String::new()
    } else {
        "  cacheLife('hours');\n".to_string()
    };
    let dynamic = if COOKIES_IN_CACHE.applies(i) {
        "  const theme = (await cookies()).get('theme')?.value ?? 'light';\n  void theme;\n"
    } else {
        ""
    };
    let memo = if MODULE_MAP.applies(i) {
        "\nconst summaries = new Map<string, { total: number; at: number }>();\n\nexport async function getSummaryFor(ownerId: string) {\n  const hit = summaries.get(ownerId);\n  if (hit && Date.now() - hit.at < 60_000) return hit;\n  const [row] = await db.select({ total: count() }).from(schema.items);\n  summaries.set(ownerId, { total: row?.total ?? 0, at: Date.now() });\n  return summaries.get(ownerId);\n}\n"
    } else {
        ""
    };
    format!(
        r#"{head}
export async function getItems() {{
  'use cache';
{life}  cacheTag('items-{i}');
{dynamic}  return db.select().from(schema.items).orderBy(desc(schema.items.createdAt)).limit(50);
}}

export async function getSummary() {{
  'use cache';
  cacheLife('catalog');
  const [row] = await db.select({{ total: count() }}).from(schema.items);
  return {{ total: row?.total ?? 0 }};
}}
{memo}"#
    )
}

fn schema(i: usize) -> String {
    format!(
        r#"export type ParseResult<T> = {{ success: true; data: T }} | {{ success: false; error: string }};

export interface ItemInput {{
  title: string;
  quantity: number;
}}

const MAX_TITLE_{i} = 120;

export function parseItem(raw: {{ title: unknown; quantity: unknown }}): ParseResult<ItemInput> {{
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  if (title.length === 0 || title.length > MAX_TITLE_{i}) {{
    return {{ success: false, error: 'Title must be between 1 and ' + MAX_TITLE_{i} + ' characters.' }};
  }}
  const quantity = Number(raw.quantity ?? 0);
  if (!Number.isInteger(quantity) || quantity < 0) {{
    return {{ success: false, error: 'Quantity must be a whole number.' }};
  }}
  return {{ success: true, data: {{ title, quantity }} }};
}}
"#
    )
}

fn format_helpers(i: usize) -> String {
    let k = i % CHAIN;
    let server = if CLIENT_REACHES_SERVER.applies(i) {
        "import { getSummary } from './queries';\n\nexport const summaryLoader = getSummary;\n"
    } else {
        ""
    };
    format!(
        r#"import {{ normalize{k}, LIMIT_{k} }} from '@/lib/chain/c{k}';
{server}
const dateFormat = new Intl.DateTimeFormat('en-US', {{ dateStyle: 'medium' }});

export function formatTitle(title: string): string {{
  const clean = normalize{k}(title);
  return clean.charAt(0).toUpperCase() + clean.slice(1);
}}

export function formatQuantity(quantity: number): string {{
  return quantity > LIMIT_{k} ? `${{LIMIT_{k}}}+` : String(quantity);
}}

export function formatDate(date: Date): string {{
  return dateFormat.format(date);
}}

export function clampQuantity(quantity: number): number {{
  return Math.max(0, Math.min(quantity, LIMIT_{k} * 10));
}}
"#
    )
}

fn test(i: usize) -> String {
    format!(
        r#"import {{ describe, expect, it }} from 'vitest';
import {{ parseItem }} from './schema';
import {{ formatQuantity, clampQuantity }} from './format';

describe('feature {i}', () => {{
  it('accepts a valid item', () => {{
    expect(parseItem({{ title: 'Pen', quantity: '2' }})).toEqual({{ success: true, data: {{ title: 'Pen', quantity: 2 }} }});
  }});

  it('rejects an empty title', () => {{
    expect(parseItem({{ title: '  ', quantity: 1 }}).success).toBe(false);
  }});

  it('clamps quantities', () => {{
    expect(clampQuantity(-3)).toBe(0);
    expect(formatQuantity(1)).toBe('1');
  }});
}});
"#
    )
}

/// For each planted mistake, how many features carry it and how many findings of its rule a
/// `seam check --format concise` output has (a rule may report more than once per feature).
pub fn planted_findings(
    concise_output: &str,
    features: usize,
) -> Vec<(&'static str, usize, usize)> {
    PLANTED
        .iter()
        .map(|planted| {
            let marker = format!("[{}]", planted.rule);
            let found = concise_output
                .lines()
                .filter(|line| line.contains(&marker))
                .count();
            (planted.rule, expected_findings(planted, features), found)
        })
        .collect()
}

#[cfg(test)]
mod tests;
