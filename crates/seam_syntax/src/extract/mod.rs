//! The single traversal: walks one AST with scopes, try/loop context and function nesting, and
//! records the facts every rule reads. Nothing else in seam walks an AST.

use rustc_hash::FxHashMap as HashMap;

use seam_diagnostics::TextRange;
use swc_atoms::Atom;
use swc_common::{Span, Spanned};
use swc_ecma_ast::*;
use swc_ecma_visit::{Visit, VisitWith};

use crate::facts::{
    self, ActionKind, ArgFact, BindingId, BindingKind, BlockPath, CallFact, CollectionKind,
    ContextKind, ContextUse, DefaultExport, Directive, DirectiveKind, DirectiveLike, Export,
    FileFacts, FnId, FnRole, FunctionFact, GuardFact, ImportKind, ImportName, Imported, InitChain,
    ModuleBinding, ReturnFact, ServerAction, StoreOp, StoreOpKind, StoreTarget, ThrowFact, Value,
    ValueShape, Variability,
};
use crate::parse::BASE;
use thin_vec::ThinVec;

mod call_sites;
mod finish;
mod functions;
mod guards;
mod module_scope;
mod next_facts;
mod values;
mod visitor;

pub(crate) use functions::BlockStmtOrExprRef;
use guards::direct_call_start;
pub(crate) use values::const_number;

/// Array methods that call their callback synchronously, once per element.
const ITERATION_METHODS: &[&str] = &[
    "map",
    "forEach",
    "filter",
    "reduce",
    "reduceRight",
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "flatMap",
    "sort",
    "toSorted",
];
const GROWING_METHODS: &[&str] = &["set", "add", "push", "unshift"];
const SHRINKING_METHODS: &[&str] = &["delete", "clear", "shift", "splice", "pop"];
/// How much of a module to traverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything, always.
    Full,
    /// Function bodies only when the module can matter to a rule.
    Needed,
}

/// Text that makes a module worth a full traversal: directives, the APIs rules look at, and
/// dynamic imports (so import facts stay complete). Each is a SIMD substring search; measured
/// faster here than one Aho-Corasick pass over all of them.
const TRAVERSAL_TRIGGERS: &[&str] = &[
    "use server",
    "use cache",
    "revalidatePath",
    "force-cache",
    "unstable_cache",
    "next/cache",
    "next/navigation",
    "process.env",
    "searchParams",
    "params",
    "next/headers",
    "import(",
    "require(",
];

/// Unbound globals whose calls become facts (`fetch`) or steer analysis (fresh values).
const GLOBALS_OF_INTEREST: &[&str] = &[
    "fetch",
    "crypto",
    "Math",
    "Date",
    "performance",
    "setTimeout",
    "setInterval",
];

/// `next/navigation` APIs that throw to steer rendering; `throw redirect()` is control flow.
pub const CONTROL_FLOW_APIS: &[&str] = &[
    "redirect",
    "permanentRedirect",
    "notFound",
    "forbidden",
    "unauthorized",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LocalKind {
    Param,
    Var,
    Function,
    Class,
    Import,
    Catch,
}

#[derive(Debug, Clone, Copy)]
struct Local {
    kind: LocalKind,
    variability: Variability,
    module: Option<BindingId>,
    /// A parameter typed with a named type (`locale: Locale`): as a key, maybe a closed union.
    named_type: bool,
    /// Bound to the result of I/O (`const res = await fetch(...)`).
    io: bool,
    /// A parameter, or bound to caller data as passed (see `carries_input`).
    input: bool,
    /// Bound to the result of this call (an index into the facts' calls).
    origin: Option<u32>,
    /// A parameter (the function and its index), for `props.params`.
    param_of: Option<(FnId, u8)>,
    /// Destructured as `{ params }` / `{ searchParams }` from parameter `.2` of function `.1`.
    request_prop: Option<(facts::RequestApi, FnId, u8)>,
}

impl Local {
    /// A binding of this function or block, with no provenance to track.
    fn plain(kind: LocalKind, variability: Variability) -> Self {
        Self {
            kind,
            variability,
            module: None,
            named_type: false,
            io: false,
            input: false,
            origin: None,
            param_of: None,
            request_prop: None,
        }
    }
}

#[derive(Default)]
struct Scope {
    names: HashMap<Atom, Local>,
}

#[derive(Default, Clone)]
struct PendingFn {
    name: Option<(facts::Name, TextRange)>,
    role: Option<FnRole>,
    instance_method: bool,
}

struct FnFrame {
    id: FnId,
    scope_depth: usize,
    saved_path: BlockPath,
    saved_try: Vec<bool>,
    saved_loop: u32,
    /// `scope_ends` depth of statements directly in the body.
    body_depth: usize,
    /// `loop_depth` on entry: loops around the function (an iteration callback's own loop).
    entry_loop: u32,
}

pub(crate) struct Extractor<'a> {
    source: &'a str,
    facts: FileFacts,
    scopes: Vec<Scope>,
    fns: Vec<FnFrame>,
    /// Pending names and roles of functions about to be entered, keyed by the function's start.
    pending: HashMap<u32, PendingFn>,
    fn_by_start: HashMap<u32, FnId>,
    binding_fn_start: HashMap<BindingId, u32>,
    next_block: u32,
    block_path: BlockPath,
    /// One entry per enclosing `try` block of the current function: true when its `catch` swallows.
    try_stack: Vec<bool>,
    call_site: call_sites::CallSite,
    loop_depth: u32,
    /// Start of the call that is a whole expression statement, and that statement's range.
    statement_call: Option<(u32, TextRange)>,
    /// Module constants bound to `globalThis` (`const g = globalThis as unknown as {...}`).
    global_aliases: std::collections::HashSet<BindingId>,
    /// Whether any module binding is a plain collection (most modules have none).
    has_collections: bool,
    /// What each module binding is initialised with, for finding actions after the walk.
    binding_init: HashMap<BindingId, InitSummary>,
    default_export: Option<(InitSummary, TextRange)>,
    /// Shape, range and function start of an anonymous default export.
    default_shape: Option<(ValueShape, TextRange, Option<u32>)>,
    /// Where the current function's directive prologue ends (None: the body is all prologue).
    prologue_ends: Vec<Option<u32>>,
    /// Start of the call that is a whole statement or a variable's initializer.
    direct_call: Option<u32>,
    /// Ends of the enclosing blocks and function bodies, innermost last.
    scope_ends: Vec<u32>,
    /// Inside a condition (`if`/ternary test, `!`, `&&`/`||`/`??` operand) or call arguments.
    checking: u32,
    /// Not a component file (.tsx/.jsx): a module whose functions server code may call.
    pub(crate) helper_module: bool,
    pub(crate) role: crate::FileRole,
    /// Call chains that initialise module bindings, with function starts still to resolve.
    binding_chains: HashMap<BindingId, RawChain>,
    /// The function current where each enclosing class field initializer or static block
    /// starts: `this` there (and in arrows inside it) is the class's, not that function's.
    class_this: Vec<Option<FnId>>,
    /// The function current where each enclosing instance field initializer starts.
    instance_fields: Vec<Option<FnId>>,
}

/// An `InitChain` before the walk: functions by start offset or by binding name.
#[derive(Clone, Default)]
pub(crate) struct RawChain {
    root: facts::Name,
    path: Vec<facts::Name>,
    function_starts: Vec<u32>,
    function_names: Vec<String>,
}

/// The shape of an exported value, enough to tell a plain function from a wrapped one.
#[derive(Clone)]
enum InitSummary {
    Function(u32),
    /// A wrapper call: its callee's source text and the start of the function it wraps.
    Wrapper {
        callee: String,
        function: Option<u32>,
        wrapped_binding: Option<BindingId>,
    },
}

pub(crate) fn range(span: Span) -> TextRange {
    TextRange::new(
        span.lo.0.saturating_sub(BASE),
        span.hi.0.saturating_sub(BASE),
    )
}

pub(crate) fn strip(mut e: &Expr) -> &Expr {
    loop {
        e = match e {
            Expr::Paren(p) => &p.expr,
            Expr::TsAs(a) => &a.expr,
            Expr::TsNonNull(n) => &n.expr,
            Expr::TsSatisfies(s) => &s.expr,
            Expr::TsTypeAssertion(t) => &t.expr,
            Expr::TsConstAssertion(c) => &c.expr,
            Expr::TsInstantiation(i) => &i.expr,
            _ => return e,
        }
    }
}

/// `redirect(...)`, `notFound()`, ...: a call of a control-flow API by its plain name.
fn is_control_flow_call(e: &Expr) -> bool {
    matches!(strip(e), Expr::Call(c) if matches!(&c.callee,
        swc_ecma_ast::Callee::Expr(f) if matches!(strip(f), Expr::Ident(i) if CONTROL_FLOW_APIS.contains(&&*i.sym))))
}

/// A member's static name, borrowed (this runs for every member expression: no allocation).
fn prop_name(p: &MemberProp) -> Option<&str> {
    prop_atom(p).map(|a| &**a)
}

fn prop_atom(p: &MemberProp) -> Option<&Atom> {
    match p {
        MemberProp::Ident(i) => Some(&i.sym),
        MemberProp::Computed(c) => match strip(&c.expr) {
            Expr::Lit(Lit::Str(s)) => s.value.as_atom(),
            _ => None,
        },
        MemberProp::PrivateName(_) => None,
    }
}

fn prop_key(key: &PropName) -> Option<String> {
    match key {
        PropName::Ident(i) => Some(i.sym.to_string()),
        PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
        PropName::Num(n) => Some(n.value.to_string()),
        _ => None,
    }
}

fn is_hook_or_handler_name(name: &str) -> bool {
    let after = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    after("use") || after("handle") || after("on")
}

fn is_hook_name(name: &str) -> bool {
    name.strip_prefix("use")
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase())
}

/// The growable collection an initializer creates, if it is a plain one.
fn collection_kind(e: &Expr) -> Option<CollectionKind> {
    match strip(e) {
        Expr::New(n) => match strip(&n.callee) {
            Expr::Ident(i) if &*i.sym == "Map" => Some(CollectionKind::Map),
            Expr::Ident(i) if &*i.sym == "Set" => Some(CollectionKind::Set),
            _ => None,
        },
        Expr::Array(_) => Some(CollectionKind::Array),
        Expr::Object(_) => Some(CollectionKind::Object),
        Expr::Bin(b) if matches!(b.op, BinaryOp::NullishCoalescing | BinaryOp::LogicalOr) => {
            collection_kind(&b.right)
        }
        Expr::Assign(a) => collection_kind(&a.right),
        _ => None,
    }
}

fn value_shape(kind: BindingKind, init: Option<&Expr>) -> ValueShape {
    match kind {
        BindingKind::Function => ValueShape::Function,
        BindingKind::Class => ValueShape::Class,
        BindingKind::Import => ValueShape::Import,
        BindingKind::Other => ValueShape::Other,
        BindingKind::Const | BindingKind::Let | BindingKind::Var => {
            init.map_or(ValueShape::None, expr_shape)
        }
    }
}

fn expr_shape(e: &Expr) -> ValueShape {
    match strip(e) {
        Expr::Fn(_) | Expr::Arrow(_) => ValueShape::Function,
        Expr::Call(_) => ValueShape::Call,
        Expr::Await(a) if matches!(strip(&a.arg), Expr::Call(_)) => ValueShape::Call,
        Expr::Class(_) => ValueShape::Class,
        Expr::Lit(_) => ValueShape::Literal,
        Expr::Object(_)
        | Expr::Array(_)
        | Expr::Tpl(_)
        | Expr::New(_)
        | Expr::Unary(_)
        | Expr::Update(_) => ValueShape::Other,
        Expr::Bin(b)
            if !matches!(
                b.op,
                BinaryOp::LogicalOr | BinaryOp::LogicalAnd | BinaryOp::NullishCoalescing
            ) =>
        {
            ValueShape::Other
        }
        _ => ValueShape::Unknown,
    }
}

/// A string statement that is or looks like a directive: its value, the string's range, and
/// whether it is parenthesised (which makes it an ordinary expression).
fn directive_like(stmt: &ExprStmt) -> Option<(String, TextRange, bool)> {
    let mut e = &*stmt.expr;
    let mut parenthesized = false;
    while let Expr::Paren(p) = e {
        parenthesized = true;
        e = &p.expr;
    }
    let Expr::Lit(Lit::Str(s)) = e else {
        return None;
    };
    let value = s.value.to_string_lossy();
    // Near-misses of a directive start with `use` or have about its length (`ues server`).
    let looks_like = value.len() <= 32
        && (value.trim_start().to_ascii_lowercase().starts_with("use")
            || (8..=12).contains(&value.len()));
    looks_like.then(|| (value.into_owned(), range(s.span), parenthesized))
}

/// Literal types only (`'en' | 'fr'`): a parameter so typed takes values from a closed set.
fn is_literal_union(ty: &TsType) -> bool {
    match ty {
        TsType::TsLitType(_) => true,
        TsType::TsUnionOrIntersectionType(TsUnionOrIntersectionType::TsUnionType(u)) => {
            u.types.iter().all(|t| is_literal_union(t))
        }
        TsType::TsParenthesizedType(p) => is_literal_union(&p.type_ann),
        _ => false,
    }
}

/// A type reference to a named type other than the open primitives' wrappers.
fn is_named_type(ty: &TsType) -> bool {
    match ty {
        TsType::TsTypeRef(r) => match &r.type_name {
            TsEntityName::Ident(i) => !matches!(
                &*i.sym,
                "String" | "Number" | "PropertyKey" | "Record" | "Map" | "Set"
            ),
            TsEntityName::TsQualifiedName(_) => true,
        },
        _ => false,
    }
}

fn is_closed_key_type(ty: &TsType) -> bool {
    is_literal_union(ty) || is_named_type(ty)
}

/// Whether a collection's declared key type is a closed domain: `Map<Locale, X>`,
/// `Record<'a' | 'b', X>`, `Set<Corpus>`, from an annotation, type arguments or `as`/`satisfies`.
fn declared_key_closed(annotation: Option<&TsType>, init: Option<&Expr>) -> bool {
    let from_type = |ty: &TsType| match ty {
        TsType::TsTypeRef(r) => match (&r.type_name, &r.type_params) {
            (TsEntityName::Ident(name), Some(params))
                if matches!(&*name.sym, "Record" | "Map" | "Set" | "ReadonlyMap") =>
            {
                params.params.first().is_some_and(|k| is_closed_key_type(k))
            }
            _ => false,
        },
        _ => false,
    };
    if annotation.is_some_and(from_type) {
        return true;
    }
    let mut e = init;
    while let Some(expr) = e {
        match expr {
            Expr::TsAs(a) => {
                if from_type(&a.type_ann) {
                    return true;
                }
                e = Some(&a.expr);
            }
            Expr::TsSatisfies(s) => {
                if from_type(&s.type_ann) {
                    return true;
                }
                e = Some(&s.expr);
            }
            Expr::Paren(p) => e = Some(&p.expr),
            Expr::New(n) => {
                return n
                    .type_args
                    .as_ref()
                    .and_then(|t| t.params.first())
                    .is_some_and(|k| is_closed_key_type(k));
            }
            Expr::Bin(b) => e = Some(&b.right),
            _ => return false,
        }
    }
    false
}

fn pat_idents<'p>(pat: &'p Pat, out: &mut Vec<&'p BindingIdent>) {
    match pat {
        Pat::Ident(b) => out.push(b),
        Pat::Array(a) => a.elems.iter().flatten().for_each(|p| pat_idents(p, out)),
        Pat::Rest(r) => pat_idents(&r.arg, out),
        Pat::Assign(a) => pat_idents(&a.left, out),
        Pat::Object(o) => {
            for prop in &o.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => pat_idents(&kv.value, out),
                    ObjectPatProp::Assign(a) => out.push(&a.key),
                    ObjectPatProp::Rest(r) => pat_idents(&r.arg, out),
                }
            }
        }
        Pat::Expr(_) | Pat::Invalid(_) => {}
    }
}

/// Reads a directive prologue: leading string-literal statements. Returns the directives seam
/// knows and the start of the first statement that is not a directive.
pub(crate) fn prologue<'s>(
    stmts: impl Iterator<Item = Option<&'s Stmt>>,
) -> (Vec<Directive>, Option<u32>) {
    let mut directives = Vec::new();
    for stmt in stmts {
        let Some(Stmt::Expr(ExprStmt { expr, span })) = stmt else {
            return (directives, stmt.map(|s| range(s.span()).start));
        };
        let Expr::Lit(Lit::Str(s)) = &**expr else {
            return (directives, Some(range(*span).start));
        };
        let value = s.value.to_string_lossy();
        let kind = match value.as_ref() {
            "use server" => Some(DirectiveKind::UseServer),
            "use client" => Some(DirectiveKind::UseClient),
            "use cache" => Some(DirectiveKind::UseCache(None)),
            // Next.js reads `use cache: <kind>` with exactly this separator; `use cache:kind`
            // is no directive (a compile error since 16).
            v => v
                .strip_prefix("use cache: ")
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(|k| DirectiveKind::UseCache(Some(k.to_string()))),
        };
        if let Some(kind) = kind {
            directives.push(Directive {
                kind,
                range: range(*span),
            });
        }
    }
    (directives, None)
}

impl<'a> Extractor<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Self {
            source,
            facts: FileFacts::default(),
            scopes: vec![Scope::default()],
            fns: Vec::new(),
            pending: HashMap::default(),
            fn_by_start: HashMap::default(),
            binding_fn_start: HashMap::default(),
            next_block: 0,
            block_path: Vec::new(),
            try_stack: Vec::new(),
            call_site: Default::default(),
            loop_depth: 0,
            statement_call: None,
            global_aliases: Default::default(),
            has_collections: false,
            binding_init: HashMap::default(),
            default_export: None,
            default_shape: None,
            prologue_ends: Vec::new(),
            direct_call: None,
            scope_ends: vec![source.len() as u32],
            checking: 0,
            binding_chains: HashMap::default(),
            class_this: Vec::new(),
            instance_fields: Vec::new(),
            helper_module: true,
            role: crate::FileRole::App,
        }
    }

    fn text(&self, r: TextRange) -> &str {
        self.source
            .get(r.start as usize..r.end as usize)
            .unwrap_or("")
    }

    fn current_fn(&self) -> Option<FnId> {
        self.fns.last().map(|f| f.id)
    }

    fn lookup(&self, sym: &Atom) -> Option<&Local> {
        self.scopes.iter().rev().find_map(|s| s.names.get(sym))
    }

    fn declare(&mut self, scope: usize, sym: &Atom, local: Local) {
        self.scopes[scope].names.insert(sym.clone(), local);
    }

    fn declare_here(&mut self, sym: &Atom, local: Local) {
        let top = self.scopes.len() - 1;
        self.declare(top, sym, local);
    }

    fn is_global_object(&self, e: &Expr) -> bool {
        match strip(e) {
            Expr::Ident(i)
                if self.global_aliases.is_empty()
                    && !matches!(&*i.sym, "globalThis" | "global") =>
            {
                false
            }
            Expr::Ident(i) => match self.lookup(&i.sym) {
                None => matches!(&*i.sym, "globalThis" | "global"),
                Some(l) => l.module.is_some_and(|b| self.global_alias(b)),
            },
            _ => false,
        }
    }

    fn global_alias(&self, b: BindingId) -> bool {
        self.global_aliases.contains(&b)
    }
}
