//! Function summaries for Server Action auth: which functions verify the caller, which hand back
//! the caller's identity, and which reach a sensitive operation without a check, across modules
//! and however deep (`requireAdmin` → `requireUser` → `auth()`). The module graph stays neutral
//! (modules, edges, exports); what counts as a check or a sensitive operation is policy, and
//! lives here with the rules, with the package knowledge in `packages`. See `AuthState` for how
//! the tables are computed without depending on who asks first.

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap as HashMap;
use seam_diagnostics::TextRange;
use seam_syntax::{dotted, Callee, FileFacts, FnId, InitChain, Name};

use crate::packages::Role;
use seam_graph::{is_node_builtin, package_name, EdgeTo, ModuleGraph, ModuleId, Resolved};

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
    /// While classifying: a client when that function returns one (settled before any rule
    /// sees kinds).
    ClientIf(ModuleId, FnId),
    /// While classifying: a sensitive operation when that function returns a client.
    SensitiveIfClient(ModuleId, FnId, String),
    PublicFlow,
    /// Unresolved, named like an auth check: seam cannot tell.
    AuthLike,
    /// A function of a module whose bodies were not walked (nothing in its text asked for
    /// it): seam cannot see what it does, so what it is given may be checked there.
    Opaque,
    Other,
}

const NEXT_CACHE_OPERATIONS: &[&str] = &[
    "revalidatePath",
    "revalidateTag",
    "updateTag",
    "refresh",
    "unstable_expirePath",
    "unstable_expireTag",
];
/// `fs` calls that write: sensitive operations.
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

/// The auth tables of one graph, filled on demand but never from a half-computed value, so no
/// result depends on which rule, file or thread asked first:
/// - a module's call kinds are a pure function of the graph (computed once per module);
/// - whether a function returns a client is reachability over returned calls;
/// - summaries are computed a whole strongly connected component of the call graph at a time,
///   callees first, a recursive component iterated from empty summaries until nothing changes.
///   A component's value depends only on what it reaches, all of which is finished before it.
#[derive(Debug, Default)]
pub struct AuthState {
    /// Per module: its calls as first classified (before the client question is settled).
    raw: Vec<OnceLock<Vec<CallKind>>>,
    /// Per module: what each call does.
    kinds: Vec<OnceLock<Vec<CallKind>>>,
    /// Per module: for each function, the calls within it (its nested functions' included).
    calls_within: Vec<OnceLock<Vec<Vec<u32>>>>,
    /// Whether a function returns a client, for the functions asked about.
    client: Mutex<HashMap<(ModuleId, FnId), bool>>,
    /// Finished summaries.
    summaries: Mutex<HashMap<(ModuleId, FnId), Summary>>,
    /// One summary computation at a time (readers of finished summaries never wait on it).
    computing: Mutex<()>,
    /// Per module: it imports an auth library.
    imports_auth: Vec<bool>,
    /// Per project root: (has an auth system, its middleware/proxy imports an auth library).
    projects: Mutex<HashMap<std::path::PathBuf, (bool, bool)>>,
}

/// The project-wide auth knowledge rules ask for.
#[derive(Clone)]
pub struct AuthIndex<'g> {
    graph: &'g ModuleGraph,
    state: std::sync::Arc<AuthState>,
}

/// Whether a package (by name) is an auth library.
pub fn is_auth_package(name: &str) -> bool {
    crate::packages::table().has(name, Role::Auth)
        || name.starts_with("@auth/")
        || name.starts_with("@clerk/")
}

/// The auth tables of `graph`, kept with the graph once made (they fill on demand).
pub fn of(graph: &ModuleGraph) -> AuthIndex<'_> {
    let state = graph.memo("auth", || AuthState::build(graph));
    AuthIndex { graph, state }
}

impl AuthState {
    fn build(graph: &ModuleGraph) -> AuthState {
        let modules = graph.modules.len();
        let imports_auth = graph
            .modules
            .iter()
            .map(|m| {
                m.facts.as_ref().is_some_and(|facts| {
                    facts
                        .imports
                        .iter()
                        .any(|i| is_auth_package(package_name(&i.specifier)))
                })
            })
            .collect();
        AuthState {
            raw: (0..modules).map(|_| OnceLock::new()).collect(),
            kinds: (0..modules).map(|_| OnceLock::new()).collect(),
            calls_within: (0..modules).map(|_| OnceLock::new()).collect(),
            imports_auth,
            ..AuthState::default()
        }
    }
}

impl CallKind {
    /// A classification that waited for the client question, settled.
    fn settle(self, returns_client: impl Fn(ModuleId, FnId) -> bool) -> CallKind {
        match self {
            CallKind::ClientIf(m, f) if returns_client(m, f) => CallKind::Client,
            CallKind::SensitiveIfClient(m, f, what) if returns_client(m, f) => {
                CallKind::Sensitive(what)
            }
            CallKind::ClientIf(..) | CallKind::SensitiveIfClient(..) => CallKind::Other,
            kind => kind,
        }
    }
}

/// Classifies the calls of one module (before the client table exists: what depends on it is
/// left as `ClientIf`/`SensitiveIfClient`).
struct Classifier<'g> {
    graph: &'g ModuleGraph,
    module: ModuleId,
    kinds: std::cell::RefCell<Vec<Option<CallKind>>>,
    started: std::cell::RefCell<Vec<bool>>,
}

impl<'g> Classifier<'g> {
    fn new(graph: &'g ModuleGraph, module: ModuleId) -> Self {
        let calls = graph.facts(module).map_or(0, |f| f.calls.len());
        Classifier {
            graph,
            module,
            kinds: std::cell::RefCell::new(vec![None; calls]),
            started: std::cell::RefCell::new(vec![false; calls]),
        }
    }

    fn all(&self) -> Vec<CallKind> {
        let calls = self.kinds.borrow().len();
        (0..calls as u32).map(|c| self.call_kind(c)).collect()
    }

    fn facts(&self, module: ModuleId) -> Option<&'g FileFacts> {
        self.graph.facts(module)
    }

    /// What call number `call` of this module does.
    fn call_kind(&self, call: u32) -> CallKind {
        let i = call as usize;
        if let Some(Some(known)) = self.kinds.borrow().get(i) {
            return known.clone();
        }
        // A cycle through `Derived` origins: nothing known.
        if self.started.borrow().get(i).copied().unwrap_or(true) {
            return CallKind::Other;
        }
        self.started.borrow_mut()[i] = true;
        let kind = self.classify(call);
        self.kinds.borrow_mut()[i] = Some(kind.clone());
        kind
    }

    fn classify(&self, call: u32) -> CallKind {
        let module = self.module;
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
            Callee::Derived { call: origin, path } => self.derived_kind(*origin, path),
            Callee::Binding { name, path } => self.binding_kind(module, name, path),
        }
    }

    /// A call on a value an earlier call returned: `supabase.from('x')`, `session.getUser()`.
    fn derived_kind(&self, origin: u32, path: &[Name]) -> CallKind {
        let strs: Vec<&str> = path.iter().map(Name::as_str).collect();
        if let ["auth", method] = strs.as_slice() {
            return match *method {
                "getUser" | "getClaims" => CallKind::Identity,
                m if is_public_flow_name(m) => CallKind::PublicFlow,
                _ => CallKind::Other,
            };
        }
        match self.call_kind(origin) {
            CallKind::Identity if !path.is_empty() => CallKind::Identity,
            CallKind::Client if !path.is_empty() => {
                CallKind::Sensitive(format!("`{}`", dotted(path)))
            }
            CallKind::Function(m, f) | CallKind::ClientIf(m, f) if !path.is_empty() => {
                CallKind::SensitiveIfClient(m, f, format!("`{}`", dotted(path)))
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
                    CallKind::Function(fm, f) | CallKind::ClientIf(fm, f) => {
                        if path.is_empty() {
                            CallKind::ClientIf(fm, f)
                        } else {
                            CallKind::SensitiveIfClient(
                                fm,
                                f,
                                format!("`{local}.{}`", dotted(path)),
                            )
                        }
                    }
                    _ => CallKind::Other,
                }
            }
            _ => CallKind::Other,
        }
    }
}

/// One computation of summaries (see `AuthState`): the components found from one function,
/// and the values of the component being settled.
struct Summaries<'a, 'g> {
    index: &'a AuthIndex<'g>,
    working: HashMap<(ModuleId, FnId), Summary>,
}

impl<'a, 'g> Summaries<'a, 'g> {
    /// Computes the summary of `start` and of every unfinished function it reaches.
    fn compute_from(index: &'a AuthIndex<'g>, start: (ModuleId, FnId)) {
        let mut this = Summaries {
            index,
            working: HashMap::default(),
        };
        for component in this.components(start) {
            this.settle(&component);
        }
    }

    fn finished(&self, node: (ModuleId, FnId)) -> bool {
        self.index
            .state
            .summaries
            .lock()
            .is_ok_and(|s| s.contains_key(&node))
    }

    /// The functions a function's summary depends on: the project functions it calls.
    fn callees(&self, module: ModuleId, function: FnId) -> Vec<(ModuleId, FnId)> {
        let kinds = self.index.kinds(module);
        let known = |m: ModuleId, f: FnId| {
            self.index
                .graph
                .facts(m)
                .is_some_and(|facts| f < facts.functions.len())
        };
        self.index.calls_within(module)[function]
            .iter()
            .filter_map(|&c| match kinds.get(c as usize) {
                Some(CallKind::Function(m, f)) if known(*m, *f) => Some((*m, *f)),
                _ => None,
            })
            .collect()
    }

    /// The strongly connected components of unfinished functions reachable from `start`,
    /// callees before callers (Tarjan's algorithm, iterative: call chains can be deep). No
    /// unfinished function shares a component with a finished one, so these are components of
    /// the whole call graph.
    fn components(&self, start: (ModuleId, FnId)) -> Vec<Vec<(ModuleId, FnId)>> {
        let mut index: HashMap<(ModuleId, FnId), usize> = HashMap::default();
        let mut low: HashMap<(ModuleId, FnId), usize> = HashMap::default();
        let mut on_stack: rustc_hash::FxHashSet<(ModuleId, FnId)> = Default::default();
        let mut stack = Vec::new();
        let mut components = Vec::new();
        // (node, its unfinished callees, how many of them were visited)
        type Frame = ((ModuleId, FnId), Vec<(ModuleId, FnId)>, usize);
        let mut work: Vec<Frame> = Vec::new();
        let visit = |v: (ModuleId, FnId),
                     index: &mut HashMap<(ModuleId, FnId), usize>,
                     low: &mut HashMap<(ModuleId, FnId), usize>,
                     on_stack: &mut rustc_hash::FxHashSet<(ModuleId, FnId)>,
                     stack: &mut Vec<(ModuleId, FnId)>|
         -> Frame {
            let n = index.len();
            index.insert(v, n);
            low.insert(v, n);
            stack.push(v);
            on_stack.insert(v);
            let callees = self
                .callees(v.0, v.1)
                .into_iter()
                .filter(|&c| !self.finished(c))
                .collect();
            (v, callees, 0)
        };
        work.push(visit(
            start,
            &mut index,
            &mut low,
            &mut on_stack,
            &mut stack,
        ));
        while let Some((v, callees, next)) = work.last_mut() {
            let v = *v;
            if let Some(&w) = callees.get(*next) {
                *next += 1;
                if !index.contains_key(&w) {
                    let frame = visit(w, &mut index, &mut low, &mut on_stack, &mut stack);
                    work.push(frame);
                } else if on_stack.contains(&w) {
                    let lowest = low[&v].min(index[&w]);
                    low.insert(v, lowest);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _, _)) = work.last() {
                let lowest = low[parent].min(low[&v]);
                low.insert(*parent, lowest);
            }
            if low[&v] == index[&v] {
                let mut component = Vec::new();
                loop {
                    let w = stack.pop().expect("tarjan stack");
                    on_stack.remove(&w);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
        components
    }

    /// Computes one component's summaries: once when it is not recursive, else from empty
    /// summaries, every member from the last round's values, until nothing changes. Then they
    /// are finished.
    fn settle(&mut self, component: &[(ModuleId, FnId)]) {
        let recursive = component.len() > 1
            || self
                .callees(component[0].0, component[0].1)
                .contains(&component[0]);
        for &node in component {
            self.working.insert(node, Summary::default());
        }
        let rounds = if recursive { 32 } else { 1 };
        for _ in 0..rounds {
            let next: Vec<Summary> = component
                .iter()
                .map(|&(m, f)| self.summarise(m, f))
                .collect();
            let mut changed = false;
            for (node, summary) in component.iter().zip(next) {
                if self.working.get(node) != Some(&summary) {
                    self.working.insert(*node, summary);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if let Ok(mut finished) = self.index.state.summaries.lock() {
            for node in component {
                if let Some(summary) = self.working.remove(node) {
                    finished.insert(*node, summary);
                }
            }
        }
    }

    fn facts(&self, module: ModuleId) -> Option<&'g FileFacts> {
        self.index.graph.facts(module)
    }

    fn call_kind(&self, module: ModuleId, call: u32) -> CallKind {
        self.index.call_kind(module, call)
    }

    fn summarise(&self, module: ModuleId, function: FnId) -> Summary {
        // A rule may ask with an id from newer facts (after a fix pass): unknown here.
        let Some(facts) = self.facts(module).filter(|f| function < f.functions.len()) else {
            return Summary::default();
        };
        let mut summary = Summary::default();
        let body_end = facts.functions[function].range.end;
        let within = |f: Option<FnId>| f.is_some_and(|f| is_within(facts, f, function));
        let kinds: Vec<(usize, CallKind)> = self.index.calls_within(module)[function]
            .iter()
            .map(|&i| (i as usize, self.call_kind(module, i)))
            .collect();
        let kind_of = |i: u32| -> CallKind { self.call_kind(module, i) };
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
}

impl Tables for Summaries<'_, '_> {
    fn summary(&self, module: ModuleId, function: FnId) -> Summary {
        match self.working.get(&(module, function)) {
            Some(summary) => summary.clone(),
            None => self.index.finished_summary(module, function),
        }
    }
}

impl Tables for AuthIndex<'_> {
    fn summary(&self, module: ModuleId, function: FnId) -> Summary {
        AuthIndex::summary(self, module, function)
    }
}

/// What reading summaries gives: whether a call gives the caller's identity or enforces one.
trait Tables {
    fn summary(&self, module: ModuleId, function: FnId) -> Summary;

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
}

impl<'g> AuthIndex<'g> {
    /// The summary of one function (empty for an id the graph does not know, such as one from
    /// newer facts after a fix pass).
    pub fn summary(&self, module: ModuleId, function: FnId) -> Summary {
        let known = self
            .facts(module)
            .is_some_and(|facts| function < facts.functions.len());
        if !known {
            return Summary::default();
        }
        if let Some(done) = self.finished(module, function) {
            return done;
        }
        let _one_at_a_time = self.state.computing.lock();
        if self.finished(module, function).is_none() {
            Summaries::compute_from(self, (module, function));
        }
        self.finished_summary(module, function)
    }

    fn finished(&self, module: ModuleId, function: FnId) -> Option<Summary> {
        self.state
            .summaries
            .lock()
            .ok()?
            .get(&(module, function))
            .cloned()
    }

    /// A summary that is finished (callees are, before their callers).
    fn finished_summary(&self, module: ModuleId, function: FnId) -> Summary {
        self.finished(module, function).unwrap_or_default()
    }

    /// What call number `call` of `module` does.
    pub fn call_kind(&self, module: ModuleId, call: u32) -> CallKind {
        self.kinds(module)
            .get(call as usize)
            .cloned()
            .unwrap_or(CallKind::Other)
    }

    /// What every call of `module` does.
    fn kinds(&self, module: ModuleId) -> &[CallKind] {
        self.state.kinds[module].get_or_init(|| {
            self.raw(module)
                .iter()
                .cloned()
                .map(|kind| kind.settle(|m, f| self.returns_client(m, f)))
                .collect()
        })
    }

    /// The calls of `module` as first classified.
    fn raw(&self, module: ModuleId) -> &[CallKind] {
        self.state.raw[module].get_or_init(|| Classifier::new(self.graph, module).all())
    }

    fn calls_within(&self, module: ModuleId) -> &[Vec<u32>] {
        self.state.calls_within[module]
            .get_or_init(|| self.facts(module).map(calls_within).unwrap_or_default())
    }

    /// Whether `function` returns a database or SDK client (`createClient()` helpers): some
    /// chain of returned calls ends in a client.
    fn returns_client(&self, module: ModuleId, function: FnId) -> bool {
        let known = self
            .state
            .client
            .lock()
            .ok()
            .and_then(|c| c.get(&(module, function)).copied());
        if let Some(known) = known {
            return known;
        }
        let mut seen: rustc_hash::FxHashSet<(ModuleId, FnId)> = Default::default();
        let mut pending = vec![(module, function)];
        let mut found = false;
        while let Some((m, f)) = pending.pop() {
            if found || !seen.insert((m, f)) {
                continue;
            }
            let Some(facts) = self.facts(m) else { continue };
            let raw = self.raw(m);
            for ret in facts.returns.iter().filter(|r| r.function == f) {
                for c in &ret.calls {
                    match raw.get(*c as usize) {
                        Some(CallKind::Client) => found = true,
                        Some(CallKind::Function(m2, g) | CallKind::ClientIf(m2, g)) => {
                            pending.push((*m2, *g))
                        }
                        _ => {}
                    }
                }
            }
        }
        if let Ok(mut client) = self.state.client.lock() {
            client.insert((module, function), found);
        }
        found
    }

    fn facts(&self, module: ModuleId) -> Option<&'g FileFacts> {
        self.graph.facts(module)
    }

    /// Whether the project `module` belongs to (the nearest folder with a package.json above it,
    /// `project_root`) has an auth system: some module of the project, or one its modules
    /// import, imports an auth library.
    pub fn has_auth_system(&self, project_root: &std::path::Path) -> bool {
        self.project_auth(project_root).0
    }

    /// Whether the project's middleware.ts/proxy.ts imports an auth library.
    pub fn middleware_auth(&self, project_root: &std::path::Path) -> bool {
        self.project_auth(project_root).1
    }

    fn project_auth(&self, root: &std::path::Path) -> (bool, bool) {
        if let Some(known) = self
            .state
            .projects
            .lock()
            .ok()
            .and_then(|p| p.get(root).copied())
        {
            return known;
        }
        let answer = self.compute_project_auth(root);
        if let Ok(mut projects) = self.state.projects.lock() {
            projects.insert(root.to_path_buf(), answer);
        }
        answer
    }

    /// Reachability over runtime imports from the project's own modules (a pure function of the
    /// graph: the memo above only saves the work).
    fn compute_project_auth(&self, root: &std::path::Path) -> (bool, bool) {
        let graph = self.graph;
        let own: Vec<ModuleId> = (0..graph.modules.len())
            .filter(|&m| graph.modules[m].path.starts_with(root))
            .collect();
        let middleware = own.iter().any(|&m| {
            let path = &graph.modules[m].path;
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let at_top = path
                .parent()
                .is_some_and(|dir| dir == root || dir == root.join("src"));
            (stem == "middleware" || stem == "proxy") && at_top && self.reaches_auth(vec![m])
        });
        (self.reaches_auth(own), middleware)
    }

    /// Whether any of `from`, or a module they import at runtime (transitively), imports an
    /// auth library.
    fn reaches_auth(&self, from: Vec<ModuleId>) -> bool {
        let graph = self.graph;
        let mut seen = vec![false; graph.modules.len()];
        let mut pending = from;
        while let Some(m) = pending.pop() {
            if std::mem::replace(&mut seen[m], true) {
                continue;
            }
            if self.state.imports_auth[m] {
                return true;
            }
            pending.extend(
                graph
                    .runtime_edges(m)
                    .filter_map(|(edge, _)| match edge.to {
                        EdgeTo::Module(to) => Some(to),
                        _ => None,
                    }),
            );
        }
        false
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

/// For each function of a module, the calls within it (its nested functions' included).
fn calls_within(facts: &FileFacts) -> Vec<Vec<u32>> {
    let mut within = vec![Vec::new(); facts.functions.len()];
    for (i, call) in facts.calls.iter().enumerate() {
        let mut f = call.function;
        while let Some(inner) = f.filter(|&f| f < within.len()) {
            within[inner].push(i as u32);
            f = facts.functions[inner].parent;
        }
    }
    within
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
    if is_node_builtin(specifier) && package == "fs" && FS_WRITES.contains(&last) {
        return CallKind::Sensitive(format!("`fs.{last}`"));
    }
    let operations = crate::packages::table().has(package, Role::Operations)
        || package.starts_with("@prisma/")
        || specifier.ends_with("/prisma/client")
        || (specifier.starts_with("drizzle-orm/") && export == "drizzle");
    if operations {
        // Building a client is not an operation; using one is (`db.insert`, `stripe.charges`).
        // Other functions these packages export are helpers (`and`, `eq`, `Prisma.sql`).
        if strs.is_empty() {
            return match export {
                e if crate::packages::table().is_client_factory(e) => CallKind::Client,
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
