//! Function summaries for Server Action auth: which functions verify the caller, which hand back
//! the caller's identity, and which reach a sensitive operation without a check, across modules
//! and however deep (`requireAdmin` → `requireUser` → `auth()`). Computed on demand with a memo;
//! a recursive cycle gets an empty summary while it is being computed.

use std::sync::Mutex;

use rustc_hash::FxHashMap as HashMap;
use seam_diagnostics::TextRange;
use seam_syntax::{dotted, Callee, FileFacts, FnId, InitChain, Name};

use crate::{package_name, ModuleGraph, ModuleId, Resolved};

/// A sensitive operation: where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub module: ModuleId,
    pub range: TextRange,
    pub what: String,
    /// The app functions the operation is reached through, outermost first.
    pub via: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Its result is the caller's identity (session, user), for the caller to check.
    pub identity: bool,
    /// It stops (throws, redirects, returns early to an exit) unless the caller is signed in.
    pub enforces: bool,
    /// The first sensitive operation it reaches without a check of its own.
    pub sensitive: Option<Operation>,
    /// It runs a sign-in, sign-up, OTP or rate-limit flow: public by design.
    pub public_flow: bool,
    /// It calls something auth-like seam cannot see into.
    pub unknown_auth: bool,
    /// It returns a database or SDK client (`createClient()` helpers).
    pub client: bool,
    /// It reads the caller's identity before `sensitive` but nothing stops when it is missing.
    pub unchecked_identity: bool,
}

/// What one call does, as far as auth goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallKind {
    Identity,
    Enforcing,
    Sensitive(String),
    /// A function of the project, summarised on its own.
    Function(ModuleId, FnId),
    /// Constructs a database or SDK client.
    Client,
    PublicFlow,
    /// Unresolved, named like an auth check: seam cannot tell.
    AuthLike,
    /// A function of a module whose bodies were not walked (nothing in its text asked for
    /// it): seam cannot see what it does, so what it is given may be checked there.
    Opaque,
    Other,
}

/// Auth packages: their presence means the project has an auth system.
const AUTH_PACKAGES: &[&str] = &[
    "next-auth",
    "@auth/core",
    "@clerk/nextjs",
    "@clerk/backend",
    "@supabase/ssr",
    "@supabase/auth-helpers-nextjs",
    "better-auth",
    "lucia",
    "iron-session",
    "@kinde-oss/kinde-auth-nextjs",
    "@workos-inc/authkit-nextjs",
    "@workos-inc/node",
    "@auth0/nextjs-auth0",
    "firebase-admin",
    "@stackframe/stack",
    "jose",
    "jsonwebtoken",
    "@supabase/supabase-js",
];

/// Packages whose calls are sensitive operations (databases, payments, email), and the
/// factories among their exports that only build a client.
const OPERATION_PACKAGES: &[&str] = &[
    "@prisma/client",
    "drizzle-orm",
    "postgres",
    "pg",
    "@vercel/postgres",
    "@vercel/kv",
    "@neondatabase/serverless",
    "mongoose",
    "mongodb",
    "mysql2",
    "@libsql/client",
    "@supabase/supabase-js",
    "@supabase/ssr",
    "ioredis",
    "@upstash/redis",
    "redis",
    "better-sqlite3",
    "kysely",
    "stripe",
    "resend",
    "nodemailer",
    "@sendgrid/mail",
    "postmark",
    "twilio",
    "@planetscale/database",
    "@lemonsqueezy/lemonsqueezy.js",
];
const CLIENT_FACTORIES: &[&str] = &[
    "PrismaClient",
    "drizzle",
    "default",
    "createClient",
    "createServerClient",
    "createBrowserClient",
    "createPool",
    "createConnection",
    "Pool",
    "Client",
    "neon",
    "MongoClient",
    "Redis",
    "Kysely",
    "Resend",
    "createTransport",
    "Database",
    "connect",
    "Schema",
    "model",
    "lemonSqueezySetup",
    "createKysely",
];
const NEXT_CACHE_OPERATIONS: &[&str] = &[
    "revalidatePath",
    "revalidateTag",
    "updateTag",
    "refresh",
    "unstable_expirePath",
    "unstable_expireTag",
];
const FS_WRITES: &[&str] = &[
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "unlink",
    "unlinkSync",
    "rm",
    "rmSync",
    "rmdir",
    "mkdir",
    "mkdirSync",
    "rename",
    "copyFile",
    "createWriteStream",
];
/// Library and app calls that run a public flow: sign-in, sign-up, OTP, password reset, rate
/// limiting.
fn is_public_flow_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "signin",
        "signup",
        "verifyotp",
        "sendotp",
        "signinwithotp",
        "resetpasswordforemail",
        "exchangecodeforsession",
        "forgotpassword",
        "resetpassword",
        "sendmagiclink",
        "ratelimit",
        "limit",
        "createuserwithemailandpassword",
        "signinwithpassword",
        "signinwithoauth",
        "signupemail",
        "signinemail",
        "signinsocial",
    ]
    .iter()
    .any(|p| lower == *p || (p.len() > 5 && lower.starts_with(p)))
        || lower.contains("ratelimit")
}

/// Names of unresolvable calls that may be auth checks: seam stays silent rather than guess.
fn is_auth_like_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "auth",
        "session",
        "user",
        "protect",
        "guard",
        "permission",
        "role",
        "admin",
        "login",
        "token",
        "verify",
        "access",
        "member",
        "owner",
        "authorize",
        "can",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The memo behind `AuthIndex`, kept in the graph for the whole run.
#[derive(Debug, Default)]
pub struct AuthState {
    summaries: Memo<(ModuleId, FnId), Summary>,
    calls: Memo<(ModuleId, u32), CallKind>,
    /// One thread computes at a time: another must never see a half-computed result.
    computing: Mutex<()>,
    /// Some module imports an auth library.
    pub has_auth_system: bool,
    /// middleware.ts / proxy.ts imports an auth library.
    pub middleware_auth: bool,
}

/// Finished results, which any thread may read, and what the computing thread has started but
/// not finished (recursion stops there).
#[derive(Debug)]
struct Memo<K, V> {
    done: Mutex<HashMap<K, V>>,
    started: Mutex<rustc_hash::FxHashSet<K>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            done: Mutex::default(),
            started: Mutex::default(),
        }
    }
}

thread_local! {
    /// How deep this thread is in summary computation (0: not computing).
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

impl<K: std::hash::Hash + Eq + Copy, V: Clone> Memo<K, V> {
    /// The finished result for `key`, computing it if needed; `in_cycle` when `key` is already
    /// being computed further up this thread's stack.
    fn get_or_compute(
        &self,
        lock: &Mutex<()>,
        key: K,
        in_cycle: V,
        compute: impl FnOnce() -> V,
    ) -> V {
        let known = || self.done.lock().ok().and_then(|d| d.get(&key).cloned());
        if let Some(value) = known() {
            return value;
        }
        computing(lock, || {
            if let Some(value) = known() {
                return value;
            }
            if !self.started.lock().expect("memo").insert(key) {
                return in_cycle;
            }
            let value = compute();
            self.started.lock().expect("memo").remove(&key);
            if let Ok(mut done) = self.done.lock() {
                done.insert(key, value.clone());
            }
            value
        })
    }
}

/// Runs `work` as (part of) the one computation allowed at a time: the outermost call on a
/// thread takes the lock; nested calls (recursion) already hold it.
fn computing<T>(lock: &Mutex<()>, work: impl FnOnce() -> T) -> T {
    /// Restores the depth even when a rule panics through here (the linter catches it).
    struct Nested;
    impl Drop for Nested {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    let outermost = DEPTH.with(|d| d.get()) == 0;
    let _lock = outermost.then(|| lock.lock());
    DEPTH.with(|d| d.set(d.get() + 1));
    let _nested = Nested;
    work()
}

/// The project-wide auth knowledge rules ask for: summaries, memoised for the run.
#[derive(Clone, Copy)]
pub struct AuthIndex<'g> {
    graph: &'g ModuleGraph,
    state: &'g AuthState,
}

/// Whether a package (by name) is an auth library.
pub fn is_auth_package(name: &str) -> bool {
    AUTH_PACKAGES.contains(&name) || name.starts_with("@auth/") || name.starts_with("@clerk/")
}

impl ModuleGraph {
    /// Whether any module imports an auth library, and whether middleware/proxy does.
    pub fn auth_presence(&self) -> (bool, bool) {
        let mut any = false;
        let mut middleware = false;
        for m in &self.modules {
            let Some(facts) = &m.facts else { continue };
            let imports_auth = facts
                .imports
                .iter()
                .any(|i| is_auth_package(package_name(&i.specifier)));
            if imports_auth {
                any = true;
                let stem = m.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                if stem == "middleware" || stem == "proxy" {
                    middleware = true;
                }
            }
        }
        (any, middleware)
    }
}

impl ModuleGraph {
    /// Auth summaries for this graph (the memo lives as long as the graph).
    pub fn auth(&self) -> AuthIndex<'_> {
        let state = self.auth_state.get_or_init(|| {
            let (has_auth_system, middleware_auth) = self.auth_presence();
            AuthState {
                has_auth_system,
                middleware_auth,
                ..AuthState::default()
            }
        });
        AuthIndex { graph: self, state }
    }
}

impl<'g> AuthIndex<'g> {
    pub fn has_auth_system(&self) -> bool {
        self.state.has_auth_system
    }
    pub fn middleware_auth(&self) -> bool {
        self.state.middleware_auth
    }

    fn facts(&self, module: ModuleId) -> Option<&'g FileFacts> {
        self.graph.facts(module)
    }

    /// What call number `call` of `module` does.
    pub fn call_kind(&self, module: ModuleId, call: u32) -> CallKind {
        // A cycle through `Derived` origins: nothing known yet.
        let state = self.state;
        state
            .calls
            .get_or_compute(&state.computing, (module, call), CallKind::Other, || {
                self.classify(module, call)
            })
    }

    fn classify(&self, module: ModuleId, call: u32) -> CallKind {
        let Some(facts) = self.facts(module) else {
            return CallKind::Other;
        };
        let Some(fact) = facts.calls.get(call as usize) else {
            return CallKind::Other;
        };
        match self.classify_callee(module, facts, fact) {
            // `withAuth({ ensureSignedIn: true })`, `getUser({ or: 'redirect' })`: they redirect
            // or throw by themselves when nobody is signed in.
            CallKind::Identity if enforces_by_option(fact) => CallKind::Enforcing,
            kind => kind,
        }
    }

    fn classify_callee(
        &self,
        module: ModuleId,
        facts: &FileFacts,
        fact: &seam_syntax::CallFact,
    ) -> CallKind {
        match &fact.callee {
            Callee::LocalFunction(f) => CallKind::Function(module, *f),
            Callee::Global { name, path } if name == "fetch" && path.is_empty() => {
                let options = fact.args.get(1);
                let method = options
                    .and_then(|a| a.prop("method"))
                    .and_then(|m| m.as_str())
                    .map(|m| m.to_ascii_uppercase());
                // A write to another service made with the server's credentials; a POST to a
                // public API (GraphQL reads, a license check) is not the caller's to abuse.
                let credentials = options
                    .and_then(|a| a.prop("headers"))
                    .is_some_and(|headers| match &headers.value {
                        seam_syntax::Value::Object { props, .. } => {
                            props.iter().any(|p| is_credential_header(&p.key))
                        }
                        _ => false,
                    });
                match method.as_deref() {
                    Some("GET" | "HEAD") | None => CallKind::Other,
                    Some(m) if credentials => CallKind::Sensitive(format!("fetch with method {m}")),
                    Some(_) => CallKind::Other,
                }
            }
            Callee::Global { .. } => CallKind::Other,
            Callee::Import {
                module: specifier,
                name,
                path,
            } => {
                let (resolved, name, path) = self
                    .graph
                    .resolve_import_call(module, facts, specifier, name, path);
                self.resolved_kind(resolved, name, path)
            }
            Callee::Derived { call: origin, path } => self.derived_kind(module, *origin, path),
            Callee::Binding { name, path } => self.binding_kind(module, name, path),
        }
    }

    /// A call on a value an earlier call returned: `supabase.from('x')`, `session.getUser()`.
    fn derived_kind(&self, module: ModuleId, origin: u32, path: &[Name]) -> CallKind {
        let strs: Vec<&str> = path.iter().map(Name::as_str).collect();
        if let ["auth", method] = strs.as_slice() {
            return match *method {
                "getUser" | "getClaims" => CallKind::Identity,
                m if is_public_flow_name(m) => CallKind::PublicFlow,
                _ => CallKind::Other,
            };
        }
        match self.call_kind(module, origin) {
            CallKind::Identity if !path.is_empty() => CallKind::Identity,
            CallKind::Client if !path.is_empty() => {
                CallKind::Sensitive(format!("`{}`", dotted(path)))
            }
            CallKind::Function(m, f) if !path.is_empty() && self.summary(m, f).client => {
                CallKind::Sensitive(format!("`{}`", dotted(path)))
            }
            _ => CallKind::Other,
        }
    }

    fn resolved_kind(&self, resolved: Option<Resolved>, name: &str, path: &[Name]) -> CallKind {
        match resolved {
            Some(Resolved::Package(specifier, export)) => {
                library_kind(&specifier, &export, path, None)
            }
            Some(Resolved::Binding(m, local)) => self.binding_kind(m, &local, path),
            Some(Resolved::DefaultExport(m)) => match self
                .facts(m)
                .and_then(|f| f.default_export.as_ref()?.function)
            {
                Some(f) if path.is_empty() => CallKind::Function(m, f),
                _ => CallKind::Other,
            },
            None => {
                let last = path.last().map(Name::as_str).unwrap_or(name);
                if is_public_flow_name(last) {
                    CallKind::PublicFlow
                } else if is_auth_like_name(name) || is_auth_like_name(last) {
                    CallKind::AuthLike
                } else {
                    CallKind::Other
                }
            }
        }
    }

    /// A call of a module binding of another module (`requireUser()`, `db.insert()`,
    /// `auth.api.getSession()`, `getUser()` made with `cache(fn)`).
    fn binding_kind(&self, module: ModuleId, local: &str, path: &[Name]) -> CallKind {
        self.binding_kind_at(module, local, path, 0)
    }

    /// `binding_kind`, following at most a few bindings built from other bindings (which may
    /// refer to each other in a cycle).
    fn binding_kind_at(
        &self,
        module: ModuleId,
        local: &str,
        path: &[Name],
        depth: u32,
    ) -> CallKind {
        if depth > 8 {
            return CallKind::Other;
        }
        let Some(binding) = self.facts(module).and_then(|f| f.binding(local)) else {
            return CallKind::Other;
        };
        if let (Some(f), true) = (binding.function, path.is_empty()) {
            return CallKind::Function(module, f);
        }
        let unwalked = self.facts(module).is_some_and(|f| !f.walked);
        if unwalked && binding.shape == seam_syntax::ValueShape::Function {
            // Capitalised functions are components (email templates, UI), never guards.
            let component = local.starts_with(|c: char| c.is_ascii_uppercase());
            return if is_auth_like_name(local) && !component {
                CallKind::AuthLike
            } else {
                CallKind::Opaque
            };
        }
        let Some(chain) = &binding.init else {
            return CallKind::Other;
        };
        match self.graph.resolve_local(module, &chain.root) {
            Some(Resolved::Package(specifier, export)) => {
                // `cache(fn)`, `unstable_cache(fn)`: the wrapped function.
                if is_memo_wrapper(&specifier, &export) {
                    return match chain.functions.first() {
                        Some(&f) if path.is_empty() => CallKind::Function(module, f),
                        _ => CallKind::Other,
                    };
                }
                let mut full: Vec<Name> = chain.path.clone();
                full.extend(path.iter().cloned());
                // `NextAuth` re-exported by a workspace package (`@repo/auth/next-auth`).
                let specifier = if chain.root == "NextAuth" && export == "default" {
                    "next-auth".to_string()
                } else {
                    specifier
                };
                library_kind(&specifier, &export, &full, Some(local))
            }
            Some(Resolved::Binding(m, root)) if m != module || root != local => {
                // An alias or a client built from another one (`db = globalDb ?? createDb()`).
                match self.binding_kind_at(m, &root, &[], depth + 1) {
                    CallKind::Client if !path.is_empty() => {
                        CallKind::Sensitive(format!("`{local}.{}`", dotted(path)))
                    }
                    CallKind::Client => CallKind::Client,
                    CallKind::Function(fm, f) if self.summary(fm, f).client => {
                        if path.is_empty() {
                            CallKind::Client
                        } else {
                            CallKind::Sensitive(format!("`{local}.{}`", dotted(path)))
                        }
                    }
                    _ => CallKind::Other,
                }
            }
            _ => CallKind::Other,
        }
    }

    /// The summary of one function.
    pub fn summary(&self, module: ModuleId, function: FnId) -> Summary {
        // Recursion back into a function being summarised: nothing known yet.
        let state = self.state;
        state.summaries.get_or_compute(
            &state.computing,
            (module, function),
            Summary::default(),
            || self.compute(module, function),
        )
    }

    fn compute(&self, module: ModuleId, function: FnId) -> Summary {
        // A rule may ask with an id from newer facts (after a fix pass): unknown here.
        let Some(facts) = self.facts(module).filter(|f| function < f.functions.len()) else {
            return Summary::default();
        };
        let mut summary = Summary::default();
        let body_end = facts.functions[function].range.end;
        let within = |f: Option<FnId>| f.is_some_and(|f| is_within(facts, f, function));
        let kinds: Vec<(usize, CallKind)> = facts
            .calls
            .iter()
            .enumerate()
            .filter(|(_, c)| within(c.function))
            .map(|(i, _)| (i, self.call_kind(module, i as u32)))
            .collect();
        let kind_of = |i: u32| -> CallKind {
            kinds
                .iter()
                .find(|(k, _)| *k as u32 == i)
                .map(|(_, k)| k.clone())
                .unwrap_or_else(|| self.call_kind(module, i))
        };
        let is_identity = |k: &CallKind| self.gives_identity(k);
        let is_enforcing = |k: &CallKind| self.enforces(k);
        // Regions of the function protected by a check.
        let mut protected: Vec<TextRange> = Vec::new();
        for (i, kind) in &kinds {
            let call = &facts.calls[*i];
            if call.unconditional && is_enforcing(kind) {
                protected.push(TextRange::new(call.range.end, call.scope_end));
                if call.function == Some(function) && call.scope_end >= body_end {
                    summary.enforces = true;
                }
            }
        }
        // A check of the identity, or of something looked up by it (`const user = await
        // db.user.findUnique({ where: { id: session?.user?.id } }); if (!user) throw`).
        let checks_identity = |c: u32| {
            is_identity(&kind_of(c))
                || facts.calls[c as usize]
                    .arg_calls
                    .iter()
                    .any(|a| is_identity(&kind_of(*a)))
        };
        for guard in facts.guards.iter().filter(|g| within(g.function)) {
            if guard.calls.iter().any(|c| checks_identity(*c)) {
                protected.push(guard.region);
                if guard.exits && guard.function == Some(function) && guard.region.end >= body_end {
                    summary.enforces = true;
                }
            }
        }
        for ret in facts.returns.iter().filter(|r| r.function == function) {
            for c in &ret.calls {
                let kind = kind_of(*c);
                if is_identity(&kind) {
                    summary.identity = true;
                }
                match kind {
                    CallKind::Client => summary.client = true,
                    CallKind::Function(m, f) if self.summary(m, f).client => summary.client = true,
                    _ => {}
                }
            }
        }
        let mut identity_calls = Vec::new();
        // Where something auth-like that seam cannot see into runs: it may protect what follows.
        let mut unknown_at: Vec<u32> = Vec::new();
        let mut unknown_covers_operation = false;
        for (i, kind) in &kinds {
            let call = &facts.calls[*i];
            let covered = || {
                protected
                    .iter()
                    .any(|r| r.start <= call.range.start && call.range.start < r.end)
            };
            let operation = match kind {
                CallKind::Sensitive(what) => Some(Operation {
                    module,
                    range: call.range,
                    what: what.clone(),
                    via: Vec::new(),
                }),
                CallKind::Function(m, f) => {
                    let callee = self.summary(*m, *f);
                    // An app's own rate limiter or sign-in helper (`applyIPRateLimit()`).
                    let name = self.facts(*m).and_then(|x| x.functions[*f].name.clone());
                    summary.public_flow |=
                        callee.public_flow || name.as_deref().is_some_and(is_public_flow_name);
                    if callee.unknown_auth {
                        unknown_at.push(call.range.start);
                    }
                    if callee.identity {
                        identity_calls.push(*i as u32);
                    }
                    match (callee.enforces, callee.sensitive) {
                        (false, Some(op)) => Some(Operation {
                            module,
                            range: call.range,
                            what: op.what,
                            via: std::iter::once(callee_name(facts, *i))
                                .chain(op.via)
                                .collect(),
                        }),
                        _ => None,
                    }
                }
                CallKind::PublicFlow => {
                    summary.public_flow = true;
                    None
                }
                CallKind::AuthLike => {
                    unknown_at.push(call.range.start);
                    None
                }
                CallKind::Identity => {
                    identity_calls.push(*i as u32);
                    None
                }
                _ => None,
            };
            if let Some(op) = operation {
                if summary.sensitive.is_none() && !covered() {
                    summary.unchecked_identity = identity_calls
                        .iter()
                        .any(|c| facts.calls[*c as usize].range.start < op.range.start);
                    // An identity read before the operation that something may check (a
                    // condition seam does not recognise, an argument): seam cannot tell.
                    let maybe_checked = identity_calls.iter().any(|c| {
                        facts.calls[*c as usize].range.start < op.range.start
                            && (facts.checked_calls.contains(c)
                                || self.passed_to_a_checker(facts, &kinds, *c))
                    });
                    unknown_covers_operation =
                        maybe_checked || unknown_at.iter().any(|&at| at < op.range.start);
                    summary.sensitive = Some(op);
                }
            }
        }
        summary.unknown_auth = match summary.sensitive {
            Some(_) => unknown_covers_operation,
            None => !unknown_at.is_empty(),
        };
        summary
    }

    /// Whether the result of identity call `identity` is handed to a call that may check it: one
    /// seam cannot see into, or a function with an exit guard of its own (`assertOwner(user)`).
    fn passed_to_a_checker(
        &self,
        facts: &FileFacts,
        kinds: &[(usize, CallKind)],
        identity: u32,
    ) -> bool {
        kinds.iter().any(|(i, kind)| {
            facts.calls[*i].arg_calls.contains(&identity)
                && match kind {
                    CallKind::AuthLike | CallKind::Opaque => true,
                    CallKind::Function(m, f) => self.facts(*m).is_some_and(|callee| {
                        callee.guards.iter().any(|g| {
                            g.exits && g.function.is_some_and(|gf| is_within(callee, gf, *f))
                        }) || callee
                            .throws
                            .iter()
                            .any(|t| t.function.is_some_and(|tf| is_within(callee, tf, *f)))
                    }),
                    _ => false,
                }
        })
    }

    /// A call whose result is the caller's identity (or that enforces one).
    fn gives_identity(&self, kind: &CallKind) -> bool {
        match kind {
            CallKind::Identity | CallKind::Enforcing => true,
            CallKind::Function(m, f) => {
                let s = self.summary(*m, *f);
                s.identity || s.enforces
            }
            _ => false,
        }
    }

    /// A call that stops unless the caller is signed in.
    fn enforces(&self, kind: &CallKind) -> bool {
        match kind {
            CallKind::Enforcing => true,
            CallKind::Function(m, f) => self.summary(*m, *f).enforces,
            _ => false,
        }
    }

    /// Whether a wrapper function or middleware checks the caller somewhere in its body
    /// (`withUser(fn)` whose returned function calls `getUser()` and throws).
    pub fn authenticates(&self, module: ModuleId, function: FnId) -> bool {
        let Some(facts) = self.facts(module) else {
            return false;
        };
        // Any enforcing call counts, even as an argument: `fn(await requireUser(), ...args)`.
        let enforcing_call = facts.calls.iter().enumerate().any(|(i, c)| {
            c.function.is_some_and(|f| is_within(facts, f, function))
                && self.enforces(&self.call_kind(module, i as u32))
        });
        enforcing_call
            || (0..facts.functions.len())
                .filter(|&f| is_within(facts, f, function))
                .any(|f| self.summary(module, f).enforces)
            || facts
                .guards
                .iter()
                .filter(|g| g.function.is_some_and(|f| is_within(facts, f, function)))
                .any(|g| {
                    g.exits
                        && g.calls
                            .iter()
                            .any(|c| self.gives_identity(&self.call_kind(module, *c)))
                })
    }

    /// For an action made by a wrapper chain (`authActionClient.schema(s).action(fn)`,
    /// `withUser(fn)`): Some(true) when the chain authenticates the caller, Some(false) when
    /// seam sees the whole chain and nothing in it does, None when it cannot tell.
    pub fn chain_authenticates(
        &self,
        module: ModuleId,
        chain: &InitChain,
        action_fn: Option<FnId>,
        wrappers: &[String],
    ) -> Option<bool> {
        self.chain_at(module, chain, action_fn, wrappers, 0)
    }

    fn chain_at(
        &self,
        module: ModuleId,
        chain: &InitChain,
        action_fn: Option<FnId>,
        wrappers: &[String],
        depth: usize,
    ) -> Option<bool> {
        if depth > 8 {
            return None;
        }
        if wrappers.iter().any(|w| chain.root == *w) {
            return Some(true);
        }
        let middleware_checks = chain
            .functions
            .iter()
            .filter(|&&f| Some(f) != action_fn)
            .any(|&f| self.authenticates(module, f));
        if middleware_checks {
            return Some(true);
        }
        // A middleware that stops on some other condition (`if (!user) throw` after a call seam
        // does not know) may well be the auth check: seam cannot tell.
        let facts = self.facts(module)?;
        let middleware_may_check = chain
            .functions
            .iter()
            .filter(|&&f| Some(f) != action_fn)
            .any(|&f| {
                self.summary(module, f).unknown_auth
                    || facts
                        .guards
                        .iter()
                        .any(|g| g.exits && g.function.is_some_and(|gf| is_within(facts, gf, f)))
                    || facts
                        .throws
                        .iter()
                        .any(|t| t.function.is_some_and(|tf| is_within(facts, tf, f)))
            });
        if middleware_may_check {
            return None;
        }
        match self.graph.resolve_local(module, &chain.root)? {
            Resolved::Package(specifier, _) => {
                let base = package_name(&specifier);
                (base == "next-safe-action" || base == "zsa").then_some(false)
            }
            Resolved::Binding(m, name) => {
                if wrappers.contains(&name) {
                    return Some(true);
                }
                let binding = self.facts(m)?.binding(&name)?;
                if let Some(f) = binding.function {
                    // A higher-order wrapper: it authenticates, or it is plain.
                    return Some(self.authenticates(m, f));
                }
                let inner = binding.init.as_ref()?;
                self.chain_at(m, inner, None, wrappers, depth + 1)
            }
            Resolved::DefaultExport(_) => None,
        }
    }
}

/// Headers that carry the server's credentials.
fn is_credential_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "authorization",
        "api-key",
        "apikey",
        "api_key",
        "token",
        "secret",
        "cookie",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

fn enforces_by_option(call: &seam_syntax::CallFact) -> bool {
    let Some(options) = call.args.first() else {
        return false;
    };
    let signed_in = options
        .prop("ensureSignedIn")
        .is_some_and(|v| v.value == seam_syntax::Value::Bool(true));
    let or = options
        .prop("or")
        .and_then(|v| v.as_str())
        .is_some_and(|v| matches!(v, "redirect" | "throw"));
    signed_in || or
}

fn callee_name(facts: &FileFacts, call: usize) -> String {
    let c = &facts.calls[call];
    match &c.callee {
        Callee::Import { name, path, .. } if path.is_empty() => name.to_string(),
        Callee::Import { path, .. } => dotted(path),
        Callee::LocalFunction(f) => facts.functions[*f]
            .name
            .as_deref()
            .unwrap_or_default()
            .into(),
        Callee::Global { name, .. } => name.to_string(),
        Callee::Derived { path, .. } => dotted(path),
        Callee::Binding { name, path } if path.is_empty() => name.to_string(),
        Callee::Binding { name, path } => format!("{name}.{}", dotted(path)),
    }
}

fn is_within(facts: &FileFacts, mut f: FnId, ancestor: FnId) -> bool {
    loop {
        if f == ancestor {
            return true;
        }
        match facts.functions.get(f).and_then(|x| x.parent) {
            Some(p) => f = p,
            None => return false,
        }
    }
}

fn is_memo_wrapper(specifier: &str, export: &str) -> bool {
    (specifier == "react" && export == "cache")
        || (specifier == "next/cache" && export == "unstable_cache")
}

/// Calls of library APIs: `(specifier, export)` is the imported name, `path` the members used
/// after it, `local` the binding name when the call goes through a module binding the library
/// built (`export const { auth } = NextAuth(...)`).
fn library_kind(specifier: &str, export: &str, path: &[Name], local: Option<&str>) -> CallKind {
    let package = package_name(specifier);
    let strs: Vec<&str> = path.iter().map(Name::as_str).collect();
    let last = strs.last().copied().unwrap_or(export);
    if is_public_flow_name(last)
        || (package == "next-auth" && local.is_some_and(is_public_flow_name))
    {
        return CallKind::PublicFlow;
    }
    match (package, export, strs.as_slice()) {
        // The caller's own cookies (an anonymous cart, a session id): what an action keys by
        // them is the caller's, once it checks they are there.
        ("next", "cookies", []) if specifier == "next/headers" => return CallKind::Identity,
        ("next-auth", "getServerSession", _) => return CallKind::Identity,
        ("next-auth", "default", []) => {
            return match local {
                Some("auth") => CallKind::Identity,
                _ => CallKind::Other,
            }
        }
        ("@clerk/nextjs" | "@clerk/nextjs/server", "auth", ["protect"]) => {
            return CallKind::Enforcing
        }
        ("@clerk/nextjs" | "@clerk/nextjs/server", "auth" | "currentUser", []) => {
            return CallKind::Identity
        }
        ("iron-session", "getIronSession", _) => return CallKind::Identity,
        ("@kinde-oss/kinde-auth-nextjs", "getKindeServerSession", _) => return CallKind::Identity,
        ("@workos-inc/authkit-nextjs", "withAuth", _) => return CallKind::Identity,
        ("@auth0/nextjs-auth0", _, _) if last == "getSession" || last == "getAccessToken" => {
            return CallKind::Identity
        }
        ("jose", "jwtVerify", _) | ("jsonwebtoken", "verify", _) => return CallKind::Identity,
        ("better-auth", _, ["api", "getSession"]) => return CallKind::Identity,
        ("lucia", _, ["validateSession"]) => return CallKind::Identity,
        ("@stackframe/stack", _, ["getUser"]) => return CallKind::Identity,
        ("firebase-admin", _, _) if matches!(last, "verifyIdToken" | "verifySessionCookie") => {
            return CallKind::Identity
        }
        _ => {}
    }
    if package.starts_with("@supabase/") {
        if let ["auth", method] = strs.as_slice() {
            return match *method {
                "getUser" | "getClaims" => CallKind::Identity,
                _ => CallKind::Other,
            };
        }
    }
    if specifier == "next/cache" && NEXT_CACHE_OPERATIONS.contains(&export) {
        return CallKind::Sensitive(format!("`{export}`"));
    }
    if crate::is_node_builtin(specifier) && package == "fs" && FS_WRITES.contains(&last) {
        return CallKind::Sensitive(format!("`fs.{last}`"));
    }
    let operations = OPERATION_PACKAGES.contains(&package)
        || package.starts_with("@prisma/")
        || specifier.ends_with("/prisma/client")
        || (specifier.starts_with("drizzle-orm/") && export == "drizzle");
    if operations {
        // Building a client is not an operation; using one is (`db.insert`, `stripe.charges`).
        // Other functions these packages export are helpers (`and`, `eq`, `Prisma.sql`).
        if strs.is_empty() {
            return match export {
                e if CLIENT_FACTORIES.contains(&e) => CallKind::Client,
                "sql" | "kv" => CallKind::Sensitive(format!("`{export}`")),
                _ => CallKind::Other,
            };
        }
        if strs.first().is_some_and(|p| *p == "auth") {
            return CallKind::Other;
        }
        let name = local.unwrap_or(export);
        return CallKind::Sensitive(format!("`{name}.{}`", strs.join(".")));
    }
    // A package seam has no table for (often a workspace package that is not installed):
    // a call named like an auth check may be one. Next.js and React have no auth checks.
    let framework = package == "next" || package == "react" || package.starts_with("@next/");
    let named_like_auth = is_auth_like_name(last)
        || is_auth_like_name(export)
        || local.is_some_and(is_auth_like_name);
    if !framework && named_like_auth {
        return CallKind::AuthLike;
    }
    CallKind::Other
}
