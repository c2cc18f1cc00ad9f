//! Per-file facts: everything rules need to know about one module, computed in a single
//! traversal and kept after the AST is dropped. Ranges are byte offsets into the source.

use seam_diagnostics::TextRange;
use serde::{Deserialize, Serialize};
pub use thin_vec::ThinVec;

pub type FnId = usize;
pub type BindingId = usize;

/// A name or specifier kept in facts: swc's interned string (8 bytes, shared with the AST it
/// comes from and with every other file that uses the same name) rather than a `String` of its
/// own. Compares with `&str` and derefs to `str`.
pub type Name = swc_atoms::Atom;

/// A member path as written: `["auth", "api", "getSession"]` -> `auth.api.getSession`.
pub fn dotted(path: &[Name]) -> String {
    path.iter().map(Name::as_str).collect::<Vec<_>>().join(".")
}

// Every file's facts stay in memory for the whole run, and a large project has hundreds of
// thousands of these (27,000 files: 340k calls, 290k bindings, 160k functions, 130k imports):
// a field that grows one of them costs megabytes. Box what is rare.
const _: () = {
    assert!(std::mem::size_of::<CallFact>() <= 168);
    assert!(std::mem::size_of::<ModuleBinding>() <= 56);
    assert!(std::mem::size_of::<FunctionFact>() <= 112);
    assert!(std::mem::size_of::<Import>() <= 56);
    assert!(std::mem::size_of::<ImportName>() <= 40);
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirectiveKind {
    UseServer,
    UseClient,
    /// `'use cache'` (None) or `'use cache: <kind>'`.
    UseCache(Option<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The directive's expression statement, including a trailing `;`.
    pub range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    Static,
    /// `import './polyfill'`: no bindings, still a runtime edge.
    SideEffect,
    Dynamic,
    Require,
    /// `export ... from` / `export * from`.
    ReExport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Imported {
    Named(Name),
    Default,
    Namespace,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportName {
    pub imported: Imported,
    pub local: Name,
    pub type_only: bool,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    pub specifier: Name,
    pub kind: ImportKind,
    /// `import type { X }` / `export type { X } from`.
    pub type_only: bool,
    pub names: Vec<ImportName>,
    pub range: TextRange,
    pub specifier_range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// Exported name (`default` for default exports).
    pub name: String,
    /// The module-scope binding it exports, when it exports one.
    pub local: Option<String>,
    pub type_only: bool,
    pub range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BindingKind {
    Const,
    Let,
    Var,
    Function,
    Class,
    Import,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectionKind {
    Map,
    Set,
    Array,
    Object,
}

impl CollectionKind {
    pub fn describe(self) -> &'static str {
        match self {
            CollectionKind::Map => "Map",
            CollectionKind::Set => "Set",
            CollectionKind::Array => "array",
            CollectionKind::Object => "object",
        }
    }
}

/// What a module binding holds, as far as its declaration shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueShape {
    /// A function declaration, function expression or arrow.
    Function,
    /// The result of a call (`client.action(fn)`, `cache(fn)`), maybe awaited.
    Call,
    Class,
    Import,
    /// A literal (`42`, `'a'`, `true`, `null`, a regex): never a function.
    Literal,
    /// Objects, arrays, templates, `new X()`, arithmetic: never a function.
    Other,
    /// A name, member, condition or other expression whose value the declaration does not show
    /// (`a ?? b`, `obj.f`).
    Unknown,
    /// Declared without an initializer, or a type-level declaration.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleBinding {
    pub name: Name,
    pub kind: BindingKind,
    pub range: TextRange,
    pub shape: ValueShape,
    /// Set when the initializer is a plain growable collection (`new Map()`, `[]`, `{}`, ...).
    pub collection: Option<CollectionKind>,
    /// The declared key type is a closed domain: a literal union or a named type
    /// (`Map<Locale, X>`, `Record<Corpus, X>`), as opposed to `string`/`number`.
    pub closed_key_type: bool,
    /// The function it names: a function declaration or `const f = () => {}`.
    pub function: Option<FnId>,
    pub exported: bool,
    /// References in value positions outside the declaration.
    pub value_refs: u32,
    /// Of those, direct calls made by module top-level code (start-up).
    pub top_level_calls: u16,
    /// Counts are u16, saturating: bindings are the most numerous facts, and what rules ask is
    /// whether a kind of use exists, not how many there are beyond that.
    /// Of those, the callee of a call (`f()`, `await f(x)`): for an imported Server Action, a
    /// call from this module rather than a hand-off to a form or a component.
    pub calls: u16,
    /// Of the calls, those whose rejection the caller handles: inside a `try` (of the same
    /// function) whose `catch` does not rethrow, or followed by `.catch(...)` or `.then(_, onError)`.
    pub handled_calls: u16,
    /// Set when the initializer is a call or `new` (through `await`, `??`, `||`).
    /// Boxed: most bindings have none, and every file keeps its bindings for the whole run.
    pub init: Option<Box<InitChain>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FnRole {
    Plain,
    /// Passed to an array iteration method (`map`, `forEach`, ...), which calls it in a loop.
    IterationCallback,
    /// A JSX `on*` prop, or a callback of a React hook (`useEffect(() => ...)`).
    ClientCallback,
    /// An immediately invoked function at module top level (runs once at start-up).
    StartupIife,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionFact {
    pub name: Option<Name>,
    pub name_range: Option<TextRange>,
    pub range: TextRange,
    /// Offset just after the body's `{`; None for expression-bodied arrows.
    pub body_start: Option<u32>,
    pub is_async: bool,
    pub is_arrow: bool,
    pub params: u32,
    /// The names a function's parameters bind (destructured properties included), in order.
    pub param_names: Vec<Name>,
    pub directives: ThinVec<Directive>,
    pub parent: Option<FnId>,
    pub role: FnRole,
    /// Inside an event handler or a hook (named `use*`/`handle*`/`on*`, or a client callback), or nested in one.
    pub client_context: bool,
    /// A class's non-static method (or getter/setter): `this` is an instance.
    pub instance_method: bool,
}

impl FunctionFact {
    pub fn has_directive(&self, pred: impl Fn(&DirectiveKind) -> bool) -> bool {
        self.directives.iter().any(|d| pred(&d.kind))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionKind {
    /// An export of a `'use server'` module.
    Exported,
    /// An export produced by a wrapper call (`client.action(fn)`, `withUser(fn)`); `callee` is its source text.
    Wrapped { callee: String },
    /// A function with its own `'use server'` directive.
    Inline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerAction {
    pub name: String,
    pub kind: ActionKind,
    /// The function that runs when the action is called (for wrapped actions: the inner callback).
    pub function: Option<FnId>,
    pub range: TextRange,
}

/// Whether a value is the same on every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Variability {
    /// Literals, module constants, `process.env.X`, and expressions built only from them.
    Closed,
    /// Derived from a parameter of an enclosing function: differs per call.
    PerCall,
    /// Cannot tell (imported values, calls, members of unknown objects).
    Unknown,
    /// Different on every call even with the same arguments: fresh ids, random numbers, the
    /// current time (`crypto.randomUUID()`, `nanoid()`, `Date.now()`, `new Date()`).
    Fresh,
}

impl Variability {
    pub fn join(self, other: Variability) -> Variability {
        use Variability::*;
        match (self, other) {
            (Fresh, _) | (_, Fresh) => Fresh,
            (PerCall, _) | (_, PerCall) => PerCall,
            (Unknown, _) | (_, Unknown) => Unknown,
            _ => Closed,
        }
    }

    /// Differs between calls: derived from arguments, or fresh.
    pub fn varies_per_call(self) -> bool {
        matches!(self, Variability::PerCall | Variability::Fresh)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Str(String),
    Number(f64),
    Bool(bool),
    Null,
    Object {
        props: Vec<Prop>,
        has_spread: bool,
    },
    /// A function expression or arrow; its start offset, resolved to an id after the walk.
    Function(FnId),
    /// A reference to a module-scope function declaration.
    LocalFunction(FnId),
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prop {
    pub key: String,
    pub key_range: TextRange,
    pub value: ArgFact,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArgFact {
    pub range: TextRange,
    pub value: Value,
    pub variability: Variability,
}

impl ArgFact {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn prop(&self, key: &str) -> Option<&ArgFact> {
        match &self.value {
            Value::Object { props, .. } => props.iter().find(|p| p.key == key).map(|p| &p.value),
            _ => None,
        }
    }
    pub fn has_spread(&self) -> bool {
        matches!(
            self.value,
            Value::Object {
                has_spread: true,
                ..
            }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Callee {
    /// A binding imported from `module`: `name` is the imported name (`default`, or `*` for a
    /// namespace), `path` the members accessed on it (`cache.revalidatePath` -> ["revalidatePath"]).
    Import {
        module: Name,
        name: Name,
        path: Vec<Name>,
    },
    /// An unbound global (`fetch`), with member path.
    Global { name: Name, path: Vec<Name> },
    /// A module-scope function of this file.
    LocalFunction(FnId),
    /// A module-scope binding of this file that is not a plain function, or a member of one:
    /// `db.insert(...)`, `auth()` after `const { auth } = NextAuth(...)`.
    Binding { name: Name, path: Vec<Name> },
    /// A member of (or the value of) a local variable bound to the result of another call of
    /// this file: `supabase.from('x')` after `const supabase = await createClient()`. `call`
    /// indexes `FileFacts::calls`.
    Derived { call: u32, path: Vec<Name> },
}

impl Callee {
    /// The imported API this call names, whether called directly or through a namespace.
    pub fn imported_api(&self) -> Option<(&str, &str)> {
        match self {
            Callee::Import { module, name, path } if path.is_empty() && name != "*" => {
                Some((module, name))
            }
            Callee::Import { module, name, path } if name == "*" && path.len() == 1 => {
                Some((module, &path[0]))
            }
            _ => None,
        }
    }
    pub fn is_imported(&self, module: &str, names: &[&str]) -> bool {
        self.imported_api()
            .is_some_and(|(m, n)| m == module && names.contains(&n))
    }
    pub fn is_global(&self, global: &str) -> bool {
        matches!(self, Callee::Global { name, path } if name == global && path.is_empty())
    }
}

/// Position of a statement: the chain of (block id, statement index) from the function body down.
pub type BlockPath = Vec<(u32, u32)>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallFact {
    pub callee: Callee,
    pub function: Option<FnId>,
    pub range: TextRange,
    pub callee_range: TextRange,
    /// Summaries of the arguments, for Next.js APIs, `fetch` and same-file functions (the calls
    /// whose arguments rules read); empty for other callees.
    pub args: ThinVec<ArgFact>,
    /// Offset just before the closing `)`, for inserting arguments.
    pub args_end: u32,
    /// Inside a loop statement or an iteration callback of the same function.
    pub in_loop: bool,
    /// Set when the call (optionally awaited) is a whole expression statement: that statement's range.
    pub statement: Option<TextRange>,
    pub block_path: BlockPath,
    /// The call is a whole statement or a variable's initializer (maybe awaited): it runs
    /// whenever the statement does, not under a condition of its own.
    pub unconditional: bool,
    /// Earlier calls whose results this call's arguments carry (through variables, inside
    /// objects and expressions).
    pub arg_calls: ThinVec<u32>,
    /// End of the innermost block (or function body) the call sits in: how far a check made
    /// by this call reaches.
    pub scope_end: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrowFact {
    pub range: TextRange,
    pub function: Option<FnId>,
    /// The function the thrown value escapes from (the nearest enclosing function that is not a
    /// synchronous iteration callback), or None when a local `try` catches it.
    pub escapes: Option<FnId>,
    /// `throw e` where `e` is the parameter of an enclosing `catch`.
    pub is_rethrow: bool,
    /// `throw redirect(...)`, `throw notFound()`: control flow, not an error.
    pub is_control_flow: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StoreTarget {
    Binding(BindingId),
    /// `globalThis.<name>` (also via `global` or a module alias of `globalThis`).
    Global(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreOpKind {
    /// Adds an entry under a key of this variability (None for keyless growth: `push`).
    /// `value_fresh`: the stored value carries the current time or a fresh id (a timestamp for
    /// a TTL check, typically); `value_io`: it comes from I/O (`await`, `fetch`);
    /// `value_input`: it holds the caller's data as passed (a parameter, or an object or array
    /// built from parameters), rather than something computed from the key.
    Write {
        key: Option<Variability>,
        value_fresh: bool,
        value_io: bool,
        value_input: bool,
    },
    Shrink,
    /// A size or length comparison.
    Cap,
    Read,
    /// Creates a `globalThis` store; `collection` when it is a plain collection.
    Create {
        collection: Option<CollectionKind>,
    },
    /// Passed to other code, returned or aliased: seam can no longer see every use.
    Escape,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreOp {
    pub target: StoreTarget,
    pub kind: StoreOpKind,
    pub range: TextRange,
    pub function: Option<FnId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContextKind {
    This,
    Arguments,
    Super,
}

/// `this`, `arguments` or `super`, which Server Actions cannot use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextUse {
    pub kind: ContextKind,
    pub range: TextRange,
    /// The innermost function (arrows included) it appears in.
    pub function: Option<FnId>,
}

/// A string statement that is, or looks like, a directive (`'use server'`, `'use sever'`),
/// wherever it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectiveLike {
    pub value: String,
    /// The whole statement.
    pub range: TextRange,
    /// The string literal itself (inside any parentheses).
    pub string_range: TextRange,
    /// Among the leading string statements of its module or function body.
    pub in_prologue: bool,
    /// A statement of the module or function body itself, not of a nested block (Next.js reads
    /// and checks directives, misspelled ones included, only there).
    pub top_level: bool,
    pub parenthesized: bool,
    /// The function whose body it is in; None at module level.
    pub function: Option<FnId>,
}

/// `export default <expr>` or an anonymous `export default function`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultExport {
    pub range: TextRange,
    pub shape: ValueShape,
    pub function: Option<FnId>,
}

/// An `if` whose test reads the result of a call (directly or through a variable bound to it):
/// the code it lets through has passed that check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardFact {
    pub function: Option<FnId>,
    /// The `if` statement.
    pub range: TextRange,
    /// What the check protects: after `if (!x) return|throw|redirect()` the rest of the block;
    /// for `if (x) { ... }` the consequent.
    pub region: TextRange,
    /// Calls (indexes into `calls`) whose results the test reads.
    pub calls: Vec<u32>,
    /// The consequent always leaves (return, throw, redirect(), notFound(), ...).
    pub exits: bool,
}

/// A `return` (or a concise arrow body): the calls whose results it hands back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnFact {
    pub function: FnId,
    pub calls: Vec<u32>,
    /// What the returned expression is, as written.
    pub value: ReturnedValue,
    pub range: TextRange,
}

/// The shape of a returned expression (`await` and parentheses looked through).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnedValue {
    /// `new X(...)`: the constructor's name path as written (`Response`, `NextResponse`).
    New(Vec<Name>),
    /// A function or arrow expression (the function it defines).
    Function(FnId),
    /// The result of this call (an index into the calls).
    Call(u32),
    Other,
}

/// How a module binding is initialised when it is built by a call chain:
/// `createSafeActionClient().use(mw)`, `new PrismaClient()`, `drizzle(pool)`, `cache(fn)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitChain {
    /// The name at the root of the chain (`actionClient`, `PrismaClient`, `NextAuth`).
    pub root: Name,
    /// The methods called along the chain, in order (`["use", "use"]`).
    pub path: Vec<Name>,
    /// Functions passed as arguments anywhere along the chain, in source order.
    pub functions: Vec<FnId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentFact {
    pub range: TextRange,
    pub text: String,
    pub block: bool,
}

/// A `try` statement: where its block is, and what its `catch` does with what it catches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TryFact {
    pub function: Option<FnId>,
    /// The `try { ... }` block (not the catch or finally).
    pub block: TextRange,
    pub catch: Option<CatchFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchFact {
    /// From `catch` to the end of its body.
    pub range: TextRange,
    /// The caught binding when it is a plain identifier (`catch (error)`).
    pub param: Option<String>,
    /// The catch has a parameter at all (`catch {` has none; `catch ({ message })` has one
    /// that is not a plain identifier).
    pub has_param: bool,
    /// Offset just after the body's `{`.
    pub body_start: u32,
    /// The body's first statement, if any.
    pub first_statement: Option<TextRange>,
    /// The catch lets Next.js's control-flow errors through: it calls `unstable_rethrow`, asks
    /// `isRedirectError`/`isNotFoundError`/`isNextRouterError`, reads the error's `digest`, or
    /// throws the caught value again.
    pub lets_next_errors_through: bool,
}

/// A read of an environment variable by name: `process.env.X`, `process.env['X']`, or
/// `const { X } = process.env`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvRead {
    pub name: String,
    pub range: TextRange,
    pub function: Option<FnId>,
    /// In a class's instance field initializer: it runs when an instance is made, not where
    /// the class is defined.
    pub on_construction: bool,
}

/// A use of the `searchParams` prop: destructured from a parameter, or read as a member of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParamsUse {
    pub range: TextRange,
    /// The function whose parameter it is read from (for a member read: the function it is in).
    pub function: FnId,
}

/// A request API whose value Next.js 15+ hands out as a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestApi {
    Cookies,
    Headers,
    DraftMode,
    Params,
    SearchParams,
}

impl RequestApi {
    /// How the code names it: `cookies()`, `params`.
    pub fn describe(self) -> &'static str {
        match self {
            RequestApi::Cookies => "cookies()",
            RequestApi::Headers => "headers()",
            RequestApi::DraftMode => "draftMode()",
            RequestApi::Params => "params",
            RequestApi::SearchParams => "searchParams",
        }
    }
}

/// A request API's promise used as if it were its value, with no `await` or `use()` between:
/// a member of `cookies()`/`headers()`/`draftMode()` (from `next/headers`), of a parameter's
/// `params`/`searchParams` prop, or a destructuring of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequestRead {
    pub api: RequestApi,
    /// The member expression or destructuring declarator.
    pub range: TextRange,
    /// The promise expression itself (`cookies()`, `params`): where `await` belongs.
    pub promise: TextRange,
    /// The function the read is in.
    pub function: Option<FnId>,
    /// For `params`/`searchParams`: the function whose parameter carries it, and which one.
    pub source: Option<(FnId, u8)>,
}

/// Facts stay in memory for every file of a run at once. Their lists are `ThinVec`s (one
/// pointer, and no allocation while empty), as are the sparse lists of calls and functions: most
/// are empty in most files, and a `Vec` costs three words even then (on 27,000 files, 15 MB less
/// at the peak). They serialize as a `Vec` would.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub directives: ThinVec<Directive>,
    pub imports: ThinVec<Import>,
    pub exports: ThinVec<Export>,
    pub bindings: ThinVec<ModuleBinding>,
    pub functions: ThinVec<FunctionFact>,
    pub actions: ThinVec<ServerAction>,
    pub calls: ThinVec<CallFact>,
    pub throws: ThinVec<ThrowFact>,
    pub store_ops: ThinVec<StoreOp>,
    /// Comments that mention `seam-` (suppressions).
    pub comments: ThinVec<CommentFact>,
    /// An anonymous default export or `export default <expr>` (named ones are bindings).
    pub default_export: Option<DefaultExport>,
    pub context_uses: ThinVec<ContextUse>,
    pub directive_likes: ThinVec<DirectiveLike>,
    /// Functions this module exports (by name), including an anonymous default export.
    pub exported_functions: ThinVec<(String, FnId)>,
    /// Start of the first statement that is not a directive (file-level suppressions must precede it).
    pub first_statement: Option<u32>,
    /// Function bodies were walked (see `Depth`): without that, functions, calls, guards and
    /// returns are empty, not absent.
    pub walked: bool,
    pub guards: ThinVec<GuardFact>,
    pub returns: ThinVec<ReturnFact>,
    /// Calls whose results a condition reads somewhere (`if`, `?:`, `!`, `&&`, `||`, `??`).
    pub checked_calls: ThinVec<u32>,
    pub tries: ThinVec<TryFact>,
    /// Code that only runs on the server, by a `typeof window` check: the branch of
    /// `typeof window === 'undefined'`, or what follows `if (typeof window !== 'undefined') return`.
    pub server_only_regions: ThinVec<TextRange>,
    pub env_reads: ThinVec<EnvRead>,
    pub search_params: ThinVec<SearchParamsUse>,
    pub sync_request_reads: ThinVec<SyncRequestRead>,
}

impl FileFacts {
    pub fn has_directive(&self, pred: impl Fn(&DirectiveKind) -> bool) -> bool {
        self.directives.iter().any(|d| pred(&d.kind))
    }
    pub fn is_use_client(&self) -> bool {
        self.has_directive(|k| *k == DirectiveKind::UseClient)
    }
    pub fn is_use_server(&self) -> bool {
        self.has_directive(|k| *k == DirectiveKind::UseServer)
    }
    pub fn file_cache_directive(&self) -> Option<&Directive> {
        self.directives
            .iter()
            .find(|d| matches!(d.kind, DirectiveKind::UseCache(_)))
    }
    pub fn binding(&self, name: &str) -> Option<&ModuleBinding> {
        self.bindings.iter().find(|b| b.name == name)
    }
    /// Walks up from `function` through iteration callbacks to the function whose body they loop in.
    pub fn owner_through_callbacks(&self, mut function: FnId) -> FnId {
        while self.functions[function].role == FnRole::IterationCallback {
            match self.functions[function].parent {
                Some(parent) => function = parent,
                None => break,
            }
        }
        function
    }
    /// The function `function`'s code runs in: up through synchronous iteration callbacks
    /// (`rows.forEach(r => ...)` runs inside its caller's `try`, loop and cache scope).
    pub fn synchronous_owner(&self, mut function: FnId) -> FnId {
        loop {
            let f = &self.functions[function];
            match f.parent {
                Some(parent) if f.role == FnRole::IterationCallback && !f.is_async => {
                    function = parent
                }
                _ => return function,
            }
        }
    }
    /// `function` and the functions it is nested in, innermost first.
    pub fn enclosing_functions(&self, function: FnId) -> impl Iterator<Item = FnId> + '_ {
        std::iter::successors(Some(function), |f| self.functions[*f].parent)
    }
    /// The module-import that binds `local`, if any.
    pub fn import_of(&self, local: &str) -> Option<(&Import, &ImportName)> {
        self.imports
            .iter()
            .filter(|i| i.kind == ImportKind::Static)
            .find_map(|i| i.names.iter().find(|n| n.local == local).map(|n| (i, n)))
    }
}
