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
    FileFacts, FnId, FnRole, FunctionFact, ImportKind, ImportName, Imported, ModuleBinding,
    ServerAction, StoreOp, StoreOpKind, StoreTarget, ThrowFact, Value, ValueShape, Variability,
};
use crate::parse::BASE;

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

/// Text that makes a module worth a full traversal: directives, the APIs rules look at, global
/// stores (`globalThis`, `global.`), and dynamic imports (so import facts stay complete). Each is
/// a SIMD substring search; measured faster here than one Aho-Corasick pass over all of them.
const TRAVERSAL_TRIGGERS: &[&str] = &[
    "use server",
    "use cache",
    "revalidatePath",
    "force-cache",
    "unstable_cache",
    "global",
    "import(",
    "require(",
];

/// Unbound globals whose calls become facts (`fetch`) or steer analysis (fresh values).
const GLOBALS_OF_INTEREST: &[&str] = &["fetch", "crypto", "Math", "Date", "performance"];

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
}

#[derive(Default)]
struct Scope {
    names: HashMap<Atom, Local>,
}

#[derive(Default, Clone)]
struct PendingFn {
    name: Option<(String, TextRange)>,
    role: Option<FnRole>,
}

struct FnFrame {
    id: FnId,
    scope_depth: usize,
    saved_path: BlockPath,
    saved_try: Vec<bool>,
    saved_loop: u32,
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

fn strip(mut e: &Expr) -> &Expr {
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

/// A member's static name, borrowed (this runs for every member expression: no allocation).
fn prop_name(p: &MemberProp) -> Option<&str> {
    match p {
        MemberProp::Ident(i) => Some(&i.sym),
        MemberProp::Computed(c) => match strip(&c.expr) {
            Expr::Lit(Lit::Str(s)) => s.value.as_atom().map(|a| &**a),
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
        _ => ValueShape::Other,
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
    let looks_like =
        value.len() <= 32 && value.trim_start().to_ascii_lowercase().starts_with("use");
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
            v => v
                .strip_prefix("use cache:")
                .map(|k| DirectiveKind::UseCache(Some(k.trim().to_string()))),
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
            loop_depth: 0,
            statement_call: None,
            global_aliases: Default::default(),
            has_collections: false,
            binding_init: HashMap::default(),
            default_export: None,
            default_shape: None,
            prologue_ends: Vec::new(),
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

// ---------------------------------------------------------------------------------------------
// Module scope: declared up front so functions see bindings declared after them.
impl<'a> Extractor<'a> {
    /// Extracts the facts of one program. With `Depth::Needed`, the traversal of function bodies
    /// is skipped for modules that cannot matter to any rule (see `needs_traversal`).
    pub(crate) fn run(mut self, program: &Program, depth: Depth) -> FileFacts {
        match program {
            Program::Module(m) => {
                let (directives, _) = prologue(m.body.iter().map(|i| match i {
                    ModuleItem::Stmt(s) => Some(s),
                    ModuleItem::ModuleDecl(_) => None,
                }));
                self.facts.directives = directives;
                // The prologue ends at the first item that is not a string statement, imports
                // and exports included.
                self.facts.first_statement = m
                    .body
                    .iter()
                    .find(|item| !matches!(item, ModuleItem::Stmt(Stmt::Expr(e)) if matches!(&*e.expr, Expr::Lit(Lit::Str(_)))))
                    .map(|item| range(item.span()).start);
                self.declare_module_items(&m.body);
                self.record_module_directive_likes(m.body.iter().filter_map(|i| match i {
                    ModuleItem::Stmt(s) => Some(s),
                    ModuleItem::ModuleDecl(_) => None,
                }));
                self.has_collections = self.facts.bindings.iter().any(|b| b.collection.is_some());
                if self.needs_traversal(depth) {
                    self.visit_module_items_indexed(&m.body);
                }
            }
            Program::Script(s) => {
                let (directives, first) = prologue(s.body.iter().map(Some));
                self.facts.directives = directives;
                self.facts.first_statement = first;
                self.declare_block(&s.body, true);
                self.record_module_directive_likes(s.body.iter());
                self.has_collections = self.facts.bindings.iter().any(|b| b.collection.is_some());
                if self.needs_traversal(depth) {
                    self.visit_stmt_list(&s.body);
                }
            }
        }
        self.finish()
    }

    /// The module-level pass (directives, imports, exports, bindings) always runs. The traversal
    /// of everything else only matters when a rule could find something in it: the module has a
    /// collection or a `globalThis` alias at module scope, or its text names something a rule
    /// reads. When a rule starts reading more facts, extend `TRAVERSAL_TRIGGERS`; the
    /// `shortcut_never_changes_a_finding` test runs every rule both ways over every fixture.
    fn needs_traversal(&self, depth: Depth) -> bool {
        depth == Depth::Full
            || self.has_collections
            || !self.global_aliases.is_empty()
            || TRAVERSAL_TRIGGERS.iter().any(|t| self.source.contains(t))
            // A 'use client' past the module prologue may be a misplaced directive in a function.
            || self.facts.first_statement.is_some_and(|f| self.source[f as usize..].contains("use client"))
    }

    fn add_binding(
        &mut self,
        name: &Ident,
        kind: BindingKind,
        init: Option<&Expr>,
        exported: bool,
    ) -> BindingId {
        self.add_typed_binding(name, kind, init, None, exported)
    }

    fn add_typed_binding(
        &mut self,
        name: &Ident,
        kind: BindingKind,
        init: Option<&Expr>,
        annotation: Option<&TsType>,
        exported: bool,
    ) -> BindingId {
        let id = self.facts.bindings.len();
        self.facts.bindings.push(ModuleBinding {
            name: name.sym.to_string(),
            kind,
            range: range(name.span),
            shape: value_shape(kind, init),
            collection: init.and_then(collection_kind),
            closed_key_type: declared_key_closed(annotation, init),
            function: None,
            exported,
            value_refs: 0,
            top_level_calls: 0,
        });
        let local_kind = match kind {
            BindingKind::Function => LocalKind::Function,
            BindingKind::Class => LocalKind::Class,
            BindingKind::Import => LocalKind::Import,
            _ => LocalKind::Var,
        };
        let variability = if local_kind == LocalKind::Var {
            Variability::Unknown
        } else {
            Variability::Closed
        };
        self.declare(
            0,
            &name.sym,
            Local {
                kind: local_kind,
                variability,
                module: Some(id),
                named_type: false,
                io: false,
                input: false,
            },
        );
        if let Some(summary) = init.and_then(|e| self.init_summary(e)) {
            self.binding_init.insert(id, summary);
        }
        if let Some(init) = init {
            if let Expr::Fn(_) | Expr::Arrow(_) = strip(init) {
                self.binding_fn_start
                    .insert(id, range(strip(init).span()).start);
            }
            if let Expr::Ident(i) = strip(init) {
                if self.lookup(&i.sym).is_none() && matches!(&*i.sym, "globalThis" | "global") {
                    self.global_aliases.insert(id);
                }
            }
        }
        id
    }

    fn declare_decl(&mut self, decl: &Decl, exported: bool) {
        match decl {
            Decl::Fn(f) => {
                let id = self.add_binding(&f.ident, BindingKind::Function, None, exported);
                self.binding_fn_start
                    .insert(id, range(f.function.span).start);
            }
            Decl::Class(c) => {
                self.add_binding(&c.ident, BindingKind::Class, None, exported);
            }
            Decl::Var(v) => {
                let kind = match v.kind {
                    VarDeclKind::Const => BindingKind::Const,
                    VarDeclKind::Let => BindingKind::Let,
                    VarDeclKind::Var => BindingKind::Var,
                };
                for d in &v.decls {
                    let mut names = Vec::new();
                    pat_idents(&d.name, &mut names);
                    let single = matches!(d.name, Pat::Ident(_));
                    for b in names {
                        let init = if single { d.init.as_deref() } else { None };
                        let annotation = b.type_ann.as_deref().map(|a| &*a.type_ann);
                        self.add_typed_binding(&b.id, kind, init, annotation, exported);
                    }
                }
            }
            Decl::TsEnum(e) => {
                self.add_binding(&e.id, BindingKind::Other, None, exported);
            }
            _ => {}
        }
    }

    fn declare_module_items(&mut self, items: &[ModuleItem]) {
        for item in items {
            match item {
                ModuleItem::ModuleDecl(decl) => self.declare_module_decl(decl),
                ModuleItem::Stmt(Stmt::Decl(d)) => self.declare_decl(d, false),
                ModuleItem::Stmt(_) => {}
            }
        }
        // Exports by name (`export { a, b as c }`) mark bindings declared anywhere in the file.
        for export in &self.facts.exports {
            if let Some(local) = &export.local {
                if let Some(b) = self.facts.bindings.iter_mut().find(|b| &b.name == local) {
                    b.exported = true;
                }
            }
        }
    }

    fn declare_module_decl(&mut self, decl: &ModuleDecl) {
        match decl {
            ModuleDecl::Import(i) => {
                let mut names = Vec::new();
                for s in &i.specifiers {
                    let (imported, local, type_only, span) = match s {
                        ImportSpecifier::Named(n) => {
                            let imported = match &n.imported {
                                Some(ModuleExportName::Ident(id)) => id.sym.to_string(),
                                Some(ModuleExportName::Str(s)) => {
                                    s.value.to_string_lossy().into_owned()
                                }
                                None => n.local.sym.to_string(),
                            };
                            let imported = if imported == "default" {
                                Imported::Default
                            } else {
                                Imported::Named(imported)
                            };
                            (imported, &n.local, n.is_type_only, n.span)
                        }
                        ImportSpecifier::Default(d) => (Imported::Default, &d.local, false, d.span),
                        ImportSpecifier::Namespace(n) => {
                            (Imported::Namespace, &n.local, false, n.span)
                        }
                    };
                    names.push(ImportName {
                        imported,
                        local: local.sym.to_string(),
                        type_only: type_only || i.type_only,
                        range: range(span),
                    });
                    self.add_binding(local, BindingKind::Import, None, false);
                }
                let kind = if i.specifiers.is_empty() {
                    ImportKind::SideEffect
                } else {
                    ImportKind::Static
                };
                self.push_import(&i.src, kind, i.type_only, names, i.span);
            }
            ModuleDecl::ExportDecl(e) => {
                self.declare_decl(&e.decl, true);
                let type_only = matches!(e.decl, Decl::TsInterface(_) | Decl::TsTypeAlias(_));
                let names: Vec<String> = match &e.decl {
                    Decl::Fn(f) => vec![f.ident.sym.to_string()],
                    Decl::Class(c) => vec![c.ident.sym.to_string()],
                    Decl::Var(v) => {
                        let mut ids = Vec::new();
                        v.decls.iter().for_each(|d| pat_idents(&d.name, &mut ids));
                        ids.iter().map(|b| b.id.sym.to_string()).collect()
                    }
                    Decl::TsEnum(en) => vec![en.id.sym.to_string()],
                    Decl::TsInterface(t) => vec![t.id.sym.to_string()],
                    Decl::TsTypeAlias(t) => vec![t.id.sym.to_string()],
                    _ => vec![],
                };
                for name in names {
                    self.facts.exports.push(Export {
                        local: Some(name.clone()),
                        name,
                        type_only,
                        range: range(e.span),
                    });
                }
            }
            ModuleDecl::ExportDefaultDecl(d) => {
                let local = match &d.decl {
                    DefaultDecl::Fn(f) if f.ident.is_none() => {
                        let start = range(f.function.span).start;
                        self.default_export = Some((InitSummary::Function(start), range(d.span)));
                        self.default_shape =
                            Some((ValueShape::Function, range(d.span), Some(start)));
                        None
                    }
                    DefaultDecl::Class(c) if c.ident.is_none() => {
                        self.default_shape = Some((ValueShape::Class, range(d.span), None));
                        None
                    }
                    DefaultDecl::Fn(f) => f.ident.as_ref().map(|i| {
                        let id = self.add_binding(i, BindingKind::Function, None, true);
                        self.binding_fn_start
                            .insert(id, range(f.function.span).start);
                        i.sym.to_string()
                    }),
                    DefaultDecl::Class(c) => c.ident.as_ref().map(|i| {
                        self.add_binding(i, BindingKind::Class, None, true);
                        i.sym.to_string()
                    }),
                    DefaultDecl::TsInterfaceDecl(_) => None,
                };
                let type_only = matches!(d.decl, DefaultDecl::TsInterfaceDecl(_));
                self.facts.exports.push(Export {
                    name: "default".into(),
                    local,
                    type_only,
                    range: range(d.span),
                });
            }
            ModuleDecl::ExportDefaultExpr(d) => {
                if let Some(summary) = self.init_summary(&d.expr) {
                    self.default_export = Some((summary, range(d.span)));
                }
                let function_start = match strip(&d.expr) {
                    Expr::Fn(f) => Some(range(f.function.span).start),
                    Expr::Arrow(a) => Some(range(a.span).start),
                    _ => None,
                };
                if !matches!(strip(&d.expr), Expr::Ident(_)) {
                    self.default_shape = Some((expr_shape(&d.expr), range(d.span), function_start));
                }
                let local = match strip(&d.expr) {
                    Expr::Ident(i) => Some(i.sym.to_string()),
                    _ => None,
                };
                self.facts.exports.push(Export {
                    name: "default".into(),
                    local,
                    type_only: false,
                    range: range(d.span),
                });
            }
            ModuleDecl::ExportNamed(n) => {
                let mut names = Vec::new();
                for s in &n.specifiers {
                    let export_name = |m: &ModuleExportName| match m {
                        ModuleExportName::Ident(i) => i.sym.to_string(),
                        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
                    };
                    match s {
                        ExportSpecifier::Named(spec) => {
                            let orig = export_name(&spec.orig);
                            let exported = spec
                                .exported
                                .as_ref()
                                .map(export_name)
                                .unwrap_or_else(|| orig.clone());
                            let type_only = spec.is_type_only || n.type_only;
                            if n.src.is_some() {
                                let imported = if orig == "default" {
                                    Imported::Default
                                } else {
                                    Imported::Named(orig)
                                };
                                names.push(ImportName {
                                    imported,
                                    local: exported.clone(),
                                    type_only,
                                    range: range(spec.span),
                                });
                                self.facts.exports.push(Export {
                                    name: exported,
                                    local: None,
                                    type_only,
                                    range: range(spec.span),
                                });
                            } else {
                                self.facts.exports.push(Export {
                                    name: exported,
                                    local: Some(orig),
                                    type_only,
                                    range: range(spec.span),
                                });
                            }
                        }
                        ExportSpecifier::Namespace(ns) => {
                            let exported = export_name(&ns.name);
                            names.push(ImportName {
                                imported: Imported::Namespace,
                                local: exported.clone(),
                                type_only: n.type_only,
                                range: range(ns.span),
                            });
                            self.facts.exports.push(Export {
                                name: exported,
                                local: None,
                                type_only: n.type_only,
                                range: range(ns.span),
                            });
                        }
                        ExportSpecifier::Default(d) => {
                            names.push(ImportName {
                                imported: Imported::Default,
                                local: d.exported.sym.to_string(),
                                type_only: n.type_only,
                                range: range(d.exported.span),
                            });
                        }
                    }
                }
                if let Some(src) = &n.src {
                    self.push_import(src, ImportKind::ReExport, n.type_only, names, n.span);
                }
            }
            ModuleDecl::ExportAll(a) => {
                self.push_import(
                    &a.src,
                    ImportKind::ReExport,
                    a.type_only,
                    Vec::new(),
                    a.span,
                );
            }
            _ => {}
        }
    }

    fn push_import(
        &mut self,
        src: &Str,
        kind: ImportKind,
        type_only: bool,
        names: Vec<ImportName>,
        span: Span,
    ) {
        self.facts.imports.push(facts::Import {
            specifier: src.value.to_string_lossy().into_owned(),
            kind,
            type_only,
            names,
            range: range(span),
            specifier_range: range(src.span),
        });
    }

    /// Declares the let/const/class/function names of a block before its statements run.
    fn declare_block(&mut self, stmts: &[Stmt], module: bool) {
        for stmt in stmts {
            let Stmt::Decl(decl) = stmt else { continue };
            if module {
                self.declare_decl(decl, false);
                continue;
            }
            match decl {
                Decl::Fn(f) => self.declare_here(
                    &f.ident.sym,
                    Local {
                        kind: LocalKind::Function,
                        variability: Variability::Closed,
                        module: None,
                        named_type: false,
                        io: false,
                        input: false,
                    },
                ),
                Decl::Class(c) => self.declare_here(
                    &c.ident.sym,
                    Local {
                        kind: LocalKind::Class,
                        variability: Variability::Closed,
                        module: None,
                        named_type: false,
                        io: false,
                        input: false,
                    },
                ),
                Decl::Var(v) if v.kind != VarDeclKind::Var => {
                    for d in &v.decls {
                        let mut ids = Vec::new();
                        pat_idents(&d.name, &mut ids);
                        for b in ids {
                            self.declare_here(
                                &b.id.sym,
                                Local {
                                    kind: LocalKind::Var,
                                    variability: Variability::Unknown,
                                    module: None,
                                    named_type: false,
                                    io: false,
                                    input: false,
                                },
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions: what a value is and whether it differs per call.
impl<'a> Extractor<'a> {
    fn variability(&self, e: &Expr) -> Variability {
        use Variability::*;
        match strip(e) {
            Expr::Lit(Lit::Regex(_)) => Unknown,
            Expr::Lit(_) => Closed,
            Expr::Tpl(t) => t
                .exprs
                .iter()
                .fold(Closed, |v, e| v.join(self.variability(e))),
            Expr::Bin(b) => self.variability(&b.left).join(self.variability(&b.right)),
            Expr::Unary(u) => self.variability(&u.arg),
            Expr::Cond(c) => self
                .variability(&c.test)
                .join(self.variability(&c.cons))
                .join(self.variability(&c.alt)),
            Expr::Await(a) => self.variability(&a.arg),
            Expr::Ident(i) => match self.lookup(&i.sym) {
                Some(local) => match local.kind {
                    LocalKind::Import => Unknown,
                    LocalKind::Function | LocalKind::Class => Closed,
                    _ => local.variability,
                },
                None if &*i.sym == "undefined" => Closed,
                None => Unknown,
            },
            Expr::Member(m) => {
                if self.is_process_env(&m.obj) {
                    return Closed;
                }
                let obj = self.variability(&m.obj);
                let prop = match &m.prop {
                    MemberProp::Computed(c) => self.variability(&c.expr),
                    _ => Closed,
                };
                match obj.join(prop) {
                    v if v.varies_per_call() => v,
                    Closed if matches!(strip(&m.obj), Expr::Ident(_)) => {
                        self.member_of_closed(&m.obj)
                    }
                    _ => Unknown,
                }
            }
            Expr::Call(c) if self.is_fresh_value_call(c) => Fresh,
            // Keys and values of a closed object are closed.
            Expr::Call(c)
                if self.is_global_call(c, "Object", &["keys", "values", "entries"])
                    || self.is_global_call(c, "Array", &["from"]) =>
            {
                c.args
                    .iter()
                    .fold(Closed, |v, a| v.join(self.variability(&a.expr)))
            }
            Expr::Call(c) => {
                let args = c
                    .args
                    .iter()
                    .fold(Closed, |v, a| v.join(self.variability(&a.expr)));
                let callee = match &c.callee {
                    swc_ecma_ast::Callee::Expr(e) => self.variability(e),
                    _ => Unknown,
                };
                let joined = args.join(callee);
                if joined.varies_per_call() {
                    joined
                } else {
                    Unknown
                }
            }
            Expr::New(n) => {
                let args = n
                    .args
                    .iter()
                    .flatten()
                    .fold(Closed, |v, a| v.join(self.variability(&a.expr)));
                let global = |name: &str| matches!(strip(&n.callee), Expr::Ident(i) if &*i.sym == name && self.lookup(&i.sym).is_none());
                if global("Date") && n.args.as_ref().is_none_or(|a| a.is_empty()) {
                    Fresh
                } else if args.varies_per_call() || global("URL") {
                    // `new URL(path, base)` is as closed as its parts; other constructors only
                    // tell us when their arguments vary.
                    args
                } else {
                    Unknown
                }
            }
            Expr::Object(o) => o.props.iter().fold(Closed, |v, p| match p {
                PropOrSpread::Prop(p) => match &**p {
                    Prop::KeyValue(kv) => v.join(self.variability(&kv.value)),
                    Prop::Shorthand(i) => v.join(self.variability(&Expr::Ident(i.clone()))),
                    _ => v.join(Unknown),
                },
                PropOrSpread::Spread(s) => v.join(self.variability(&s.expr)),
            }),
            Expr::Array(a) => a
                .elems
                .iter()
                .flatten()
                .fold(Closed, |v, e| v.join(self.variability(&e.expr))),
            _ => Unknown,
        }
    }

    /// `CONFIG.url` where `CONFIG` is a module constant with a closed object literal.
    fn member_of_closed(&self, obj: &Expr) -> Variability {
        match strip(obj) {
            Expr::Ident(i) => match self.lookup(&i.sym) {
                Some(l) if l.kind == LocalKind::Var && l.variability == Variability::Closed => {
                    Variability::Closed
                }
                _ => Variability::Unknown,
            },
            _ => Variability::Unknown,
        }
    }

    fn is_process_env(&self, e: &Expr) -> bool {
        matches!(strip(e), Expr::Member(m)
            if matches!(strip(&m.obj), Expr::Ident(i) if &*i.sym == "process" && self.lookup(&i.sym).is_none())
            && matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "env"))
    }

    fn arg_fact(&self, e: &Expr, depth: u32) -> ArgFact {
        let stripped = strip(e);
        let value = match stripped {
            Expr::Lit(Lit::Str(s)) => Value::Str(s.value.to_string_lossy().into_owned()),
            Expr::Tpl(t) if t.exprs.is_empty() => Value::Str(
                t.quasis
                    .iter()
                    .map(|q| {
                        q.cooked
                            .as_ref()
                            .map(|c| c.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    })
                    .collect(),
            ),
            Expr::Lit(Lit::Num(n)) => Value::Number(n.value),
            Expr::Lit(Lit::Bool(b)) => Value::Bool(b.value),
            Expr::Lit(Lit::Null(_)) => Value::Null,
            Expr::Fn(f) => Value::Function(range(f.function.span).start as usize),
            Expr::Arrow(a) => Value::Function(range(a.span).start as usize),
            Expr::Ident(i) => match self.lookup(&i.sym) {
                Some(Local {
                    module: Some(b), ..
                }) if self.binding_fn_start.contains_key(b) => Value::LocalFunction(*b),
                _ => Value::Other,
            },
            Expr::Object(o) if depth < 3 => {
                let mut props = Vec::new();
                let mut has_spread = false;
                for p in &o.props {
                    match p {
                        PropOrSpread::Spread(_) => has_spread = true,
                        PropOrSpread::Prop(p) => match &**p {
                            Prop::KeyValue(kv) => {
                                if let Some(key) = prop_key(&kv.key) {
                                    props.push(facts::Prop {
                                        key,
                                        key_range: range(kv.key.span()),
                                        value: self.arg_fact(&kv.value, depth + 1),
                                    });
                                } else {
                                    has_spread = true; // a computed key could be anything
                                }
                            }
                            Prop::Shorthand(i) => props.push(facts::Prop {
                                key: i.sym.to_string(),
                                key_range: range(i.span),
                                value: ArgFact {
                                    range: range(i.span),
                                    value: Value::Other,
                                    variability: self.variability(&Expr::Ident(i.clone())),
                                },
                            }),
                            Prop::Method(m) => props.push(facts::Prop {
                                key: prop_key(&m.key).unwrap_or_default(),
                                key_range: range(m.key.span()),
                                value: ArgFact {
                                    range: range(m.function.span),
                                    value: Value::Function(range(m.function.span).start as usize),
                                    variability: Variability::Closed,
                                },
                            }),
                            _ => has_spread = true,
                        },
                    }
                }
                Value::Object { props, has_spread }
            }
            _ => Value::Other,
        };
        ArgFact {
            range: range(e.span()),
            value,
            variability: self.variability(e),
        }
    }

    /// The store a member chain starts from: a module collection binding or a `globalThis` property.
    fn store_target(&self, e: &Expr) -> Option<StoreTarget> {
        match strip(e) {
            // Most modules have no collection at module scope: nothing to look up then.
            Expr::Ident(_) if !self.has_collections => None,
            Expr::Ident(i) => {
                let b = self.lookup(&i.sym)?.module?;
                self.facts.bindings[b]
                    .collection
                    .map(|_| StoreTarget::Binding(b))
            }
            Expr::Member(m) if self.is_global_object(&m.obj) => {
                prop_name(&m.prop).map(|p| StoreTarget::Global(p.to_string()))
            }
            _ => None,
        }
    }

    fn store_op(&mut self, target: StoreTarget, kind: StoreOpKind, span: Span) {
        let function = self.current_fn();
        self.facts.store_ops.push(StoreOp {
            target,
            kind,
            range: range(span),
            function,
        });
    }

    /// How a store key varies. A bare parameter of a named type (`cache.set(locale, ...)` with
    /// `locale: Locale`) may come from a closed union declared elsewhere: Unknown, not PerCall.
    fn key_variability(&self, key: &Expr) -> Variability {
        if let Expr::Ident(i) = strip(key) {
            if self.lookup(&i.sym).is_some_and(|l| l.named_type) {
                return Variability::Unknown;
            }
        }
        self.variability(key)
    }

    /// Whether a value comes from I/O: an `await`, a `fetch`, a promise chain on one, or a local
    /// bound to such a value.
    fn is_io(&self, e: &Expr) -> bool {
        self.any_part(e, &|this, part| match part {
            Expr::Await(_) => Some(true),
            Expr::Call(c) => Some(match &c.callee {
                swc_ecma_ast::Callee::Expr(callee) => match strip(callee) {
                    Expr::Ident(i) => &*i.sym == "fetch" && this.lookup(&i.sym).is_none(),
                    Expr::Member(m) => this.is_io(&m.obj),
                    _ => false,
                },
                _ => false,
            }),
            Expr::Ident(i) => Some(this.lookup(&i.sym).is_some_and(|l| l.io)),
            Expr::Tpl(_) => Some(false),
            _ => None,
        })
    }

    /// Whether any part of a value satisfies `leaf`: `leaf` decides the parts it knows (Some),
    /// and the walk goes through members, templates, conditionals, operators, object and array
    /// literals for the rest; anything else is false.
    fn any_part(&self, e: &Expr, leaf: &dyn Fn(&Self, &Expr) -> Option<bool>) -> bool {
        let e = strip(e);
        if let Some(decided) = leaf(self, e) {
            return decided;
        }
        match e {
            Expr::Member(m) => self.any_part(&m.obj, leaf),
            Expr::Tpl(t) => t.exprs.iter().any(|e| self.any_part(e, leaf)),
            Expr::Cond(c) => self.any_part(&c.cons, leaf) || self.any_part(&c.alt, leaf),
            Expr::Bin(b) => self.any_part(&b.left, leaf) || self.any_part(&b.right, leaf),
            Expr::Object(o) => o.props.iter().any(|p| match p {
                PropOrSpread::Prop(p) => match &**p {
                    Prop::KeyValue(kv) => self.any_part(&kv.value, leaf),
                    Prop::Shorthand(i) => leaf(self, &Expr::Ident(i.clone())).unwrap_or(false),
                    _ => false,
                },
                PropOrSpread::Spread(s) => self.any_part(&s.expr, leaf),
            }),
            Expr::Array(a) => a
                .elems
                .iter()
                .flatten()
                .any(|e| self.any_part(&e.expr, leaf)),
            _ => false,
        }
    }

    /// The write op for storing `value` under `key` (None: keyless growth).
    fn write_op(&self, key: Option<&Expr>, value: Option<&Expr>) -> StoreOpKind {
        StoreOpKind::Write {
            key: key.map(|k| self.key_variability(k)),
            value_fresh: value.is_some_and(|v| self.variability(v) == Variability::Fresh),
            value_io: value.is_some_and(|v| self.is_io(v)),
            value_input: value.is_some_and(|v| self.carries_input(v)),
        }
    }

    /// `x = value` widens what a local may hold: flow-insensitively, it may now hold either.
    fn reassign_local(&mut self, sym: &Atom, value: &Expr) {
        let (variability, io, input) = (
            self.variability(value),
            self.is_io(value),
            self.carries_input(value),
        );
        if let Some(local) = self
            .scopes
            .iter_mut()
            .rev()
            .find_map(|s| s.names.get_mut(sym))
        {
            if local.module.is_none() && local.kind == LocalKind::Var {
                local.variability = local.variability.join(variability);
                local.io |= io;
                local.input |= input;
            }
        }
    }

    /// Whether a value is the caller's data as passed: a parameter, a member of one, or a
    /// literal, template or concatenation built from those. Results of calls are computed values.
    fn carries_input(&self, e: &Expr) -> bool {
        self.any_part(e, &|this, part| match part {
            Expr::Ident(i) => Some(this.lookup(&i.sym).is_some_and(|l| l.input)),
            _ => None,
        })
    }

    /// Calls that return a fresh value every time: ids, random numbers, timestamps.
    fn is_fresh_value_call(&self, c: &CallExpr) -> bool {
        let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
            return false;
        };
        match self.resolve_callee(callee) {
            Some(facts::Callee::Global { name, path }) => {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                matches!(
                    (name.as_str(), path.as_slice()),
                    ("crypto", ["randomUUID"])
                        | ("Math", ["random"])
                        | ("Date", ["now"])
                        | ("performance", ["now"])
                )
            }
            Some(facts::Callee::Import { module, name, path }) => {
                let api = if name == "*" || name == "default" {
                    path.last().cloned().unwrap_or_else(|| module.clone())
                } else {
                    name.clone()
                };
                matches!(
                    api.as_str(),
                    "randomUUID"
                        | "randomBytes"
                        | "nanoid"
                        | "v4"
                        | "v7"
                        | "uuid"
                        | "uuidv4"
                        | "ulid"
                        | "cuid"
                        | "createId"
                ) || matches!(
                    module.as_str(),
                    "nanoid" | "uuid" | "ulid" | "@paralleldrive/cuid2" | "cuid"
                ) && name == "default"
            }
            _ => false,
        }
    }

    fn context_use(&mut self, kind: ContextKind, span: Span) {
        let function = self.current_fn();
        self.facts.context_uses.push(ContextUse {
            kind,
            range: range(span),
            function,
        });
    }

    /// Directive-like string statements at module level (checked without a traversal).
    fn record_module_directive_likes<'s>(&mut self, stmts: impl Iterator<Item = &'s Stmt>) {
        let prologue_end = self.facts.first_statement;
        for stmt in stmts {
            let Stmt::Expr(s) = stmt else { continue };
            if let Some((value, string_range, parenthesized)) = directive_like(s) {
                let stmt = range(s.span);
                self.facts.directive_likes.push(DirectiveLike {
                    value,
                    range: stmt,
                    string_range,
                    in_prologue: prologue_end.is_none_or(|end| stmt.start < end),
                    parenthesized,
                    function: None,
                });
            }
        }
    }

    fn count_reference(&mut self, sym: &Atom) {
        if let Some(b) = self.lookup(sym).and_then(|l| l.module) {
            self.facts.bindings[b].value_refs += 1;
        }
    }
}

impl<'a> Extractor<'a> {
    fn init_summary(&self, e: &Expr) -> Option<InitSummary> {
        let e = match strip(e) {
            Expr::Await(a) => strip(&a.arg),
            e => e,
        };
        match e {
            Expr::Fn(f) => Some(InitSummary::Function(range(f.function.span).start)),
            Expr::Arrow(a) => Some(InitSummary::Function(range(a.span).start)),
            Expr::Call(c) => {
                let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
                    return None;
                };
                let function = c.args.iter().rev().find_map(|a| match strip(&a.expr) {
                    Expr::Fn(f) => Some(range(f.function.span).start),
                    Expr::Arrow(a) => Some(range(a.span).start),
                    _ => None,
                });
                let wrapped_binding = c.args.iter().rev().find_map(|a| match strip(&a.expr) {
                    Expr::Ident(i) => self.lookup(&i.sym).and_then(|l| l.module),
                    _ => None,
                });
                Some(InitSummary::Wrapper {
                    callee: self.text(range(callee.span())).to_string(),
                    function,
                    wrapped_binding,
                })
            }
            _ => None,
        }
    }

    fn visit_stmt_list(&mut self, stmts: &[Stmt]) {
        let id = self.new_block();
        for (i, stmt) in stmts.iter().enumerate() {
            self.block_path.push((id, i as u32));
            stmt.visit_with(self);
            self.block_path.pop();
        }
    }

    fn visit_module_items_indexed(&mut self, items: &[ModuleItem]) {
        let id = self.new_block();
        for (i, item) in items.iter().enumerate() {
            self.block_path.push((id, i as u32));
            item.visit_with(self);
            self.block_path.pop();
        }
    }

    fn new_block(&mut self) -> u32 {
        self.next_block += 1;
        self.next_block
    }

    /// A statement in a nested position (`if (x) stmt`) gets a block of its own, so that it never
    /// looks like a sibling of the statements around its parent.
    fn visit_nested(&mut self, stmt: &Stmt) {
        if let Stmt::Block(_) = stmt {
            stmt.visit_with(self);
        } else {
            let id = self.new_block();
            self.block_path.push((id, 0));
            stmt.visit_with(self);
            self.block_path.pop();
        }
    }

    fn push_scope(&mut self) {
        self.scopes.push(Scope::default());
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn declare_pat(&mut self, pat: &Pat, kind: LocalKind, variability: Variability) {
        let mut ids = Vec::new();
        pat_idents(pat, &mut ids);
        for b in ids {
            let variability = match (&b.type_ann, kind) {
                (Some(ann), LocalKind::Param) if is_literal_union(&ann.type_ann) => {
                    Variability::Closed
                }
                _ => variability,
            };
            let named_type = kind == LocalKind::Param
                && b.type_ann
                    .as_ref()
                    .is_some_and(|a| is_named_type(&a.type_ann));
            self.declare_here(
                &b.id.sym,
                Local {
                    kind,
                    variability,
                    module: None,
                    named_type,
                    io: false,
                    input: kind == LocalKind::Param,
                },
            );
        }
    }

    fn function_like(
        &mut self,
        span: Span,
        is_async: bool,
        is_arrow: bool,
        params: &[&Pat],
        body: Option<&BlockStmtOrExprRef>,
    ) {
        let start = range(span).start;
        let pending = self.pending.remove(&start).unwrap_or_default();
        let role = pending.role.unwrap_or(FnRole::Plain);
        let (name, name_range) = pending
            .name
            .map(|(n, r)| (Some(n), Some(r)))
            .unwrap_or((None, None));
        let (directives, prologue_end) = match body {
            Some(BlockStmtOrExprRef::Block(b)) => prologue(b.stmts.iter().map(Some)),
            _ => (Vec::new(), None),
        };
        let parent = self.current_fn();
        let client_context = role == FnRole::ClientCallback
            || name.as_deref().is_some_and(is_hook_or_handler_name)
            || parent.is_some_and(|p| self.facts.functions[p].client_context);
        let id = self.facts.functions.len();
        self.facts.functions.push(FunctionFact {
            name,
            name_range,
            range: range(span),
            body_start: match body {
                Some(BlockStmtOrExprRef::Block(b)) => Some(range(b.span).start + 1),
                _ => None,
            },
            is_async,
            is_arrow,
            params: params.len() as u32,
            directives,
            parent,
            role,
            client_context,
        });
        self.fn_by_start.insert(start, id);

        let sync_callback = role == FnRole::IterationCallback && !is_async;
        let saved_try = if sync_callback {
            self.try_stack.clone()
        } else {
            std::mem::take(&mut self.try_stack)
        };
        let frame = FnFrame {
            id,
            scope_depth: self.scopes.len(),
            saved_path: std::mem::take(&mut self.block_path),
            saved_try,
            saved_loop: self.loop_depth,
        };
        self.loop_depth = if role == FnRole::IterationCallback {
            self.loop_depth + 1
        } else {
            0
        };
        self.fns.push(frame);
        self.prologue_ends.push(prologue_end);
        self.push_scope();
        for p in params {
            self.declare_pat(p, LocalKind::Param, Variability::PerCall);
            p.visit_with(self);
        }
        match body {
            Some(BlockStmtOrExprRef::Block(b)) => {
                self.declare_block(&b.stmts, false);
                self.visit_stmt_list(&b.stmts);
            }
            Some(BlockStmtOrExprRef::Expr(e)) => e.visit_with(self),
            None => {}
        }
        let frame = self.fns.pop().expect("function frame");
        self.prologue_ends.pop();
        self.scopes.truncate(frame.scope_depth);
        self.block_path = frame.saved_path;
        self.try_stack = frame.saved_try;
        self.loop_depth = frame.saved_loop;
    }

    fn set_pending_name(&mut self, fn_start: u32, name: String, name_range: TextRange) {
        self.pending
            .entry(fn_start)
            .or_default()
            .name
            .get_or_insert((name, name_range));
    }

    fn set_pending_role(&mut self, arg: &Expr, role: FnRole) {
        let start = match strip(arg) {
            Expr::Fn(f) => range(f.function.span).start,
            Expr::Arrow(a) => range(a.span).start,
            _ => return,
        };
        self.pending.entry(start).or_default().role = Some(role);
    }

    /// The function a throw escapes from: the nearest one that is not a synchronous iteration callback.
    fn escape_owner(&self) -> Option<FnId> {
        self.fns.iter().rev().map(|f| f.id).find(|&id| {
            let f = &self.facts.functions[id];
            f.role != FnRole::IterationCallback || f.is_async
        })
    }

    fn resolve_callee(&self, e: &Expr) -> Option<facts::Callee> {
        // Find and resolve the root first: most calls name nothing a rule looks at, and those
        // should cost no allocation.
        let mut root = strip(e);
        while let Expr::Member(m) = root {
            root = strip(&m.obj);
        }
        let Expr::Ident(root) = root else { return None };
        let local = self.lookup(&root.sym);
        if local.is_none() && !GLOBALS_OF_INTEREST.contains(&&*root.sym) {
            return None;
        }
        let mut path = Vec::new();
        let mut cur = strip(e);
        while let Expr::Member(m) = cur {
            path.push(prop_name(&m.prop)?.to_string());
            cur = strip(&m.obj);
        }
        path.reverse();
        match local {
            None => Some(facts::Callee::Global {
                name: root.sym.to_string(),
                path,
            }),
            Some(Local {
                kind: LocalKind::Import,
                module: Some(_),
                ..
            }) => {
                let (import, name) = self.facts.import_of(&root.sym)?;
                let imported = match &name.imported {
                    Imported::Named(n) => n.clone(),
                    Imported::Default => "default".into(),
                    Imported::Namespace => "*".into(),
                };
                Some(facts::Callee::Import {
                    module: import.specifier.clone(),
                    name: imported,
                    path,
                })
            }
            Some(Local {
                kind: LocalKind::Function | LocalKind::Var,
                module: Some(b),
                ..
            }) if path.is_empty() && self.binding_fn_start.contains_key(b) => {
                Some(facts::Callee::LocalFunction(*b))
            }
            _ => None,
        }
    }

    fn declare_var(
        &mut self,
        kind: VarDeclKind,
        pat: &Pat,
        variability: Variability,
        io: bool,
        input: bool,
    ) {
        let scope = if kind == VarDeclKind::Var {
            self.fns.last().map_or(0, |f| f.scope_depth)
        } else {
            self.scopes.len() - 1
        };
        let mut ids = Vec::new();
        pat_idents(pat, &mut ids);
        for b in ids {
            let module = if scope == 0 {
                self.scopes[0].names.get(&b.id.sym).and_then(|l| l.module)
            } else {
                None
            };
            self.declare(
                scope,
                &b.id.sym,
                Local {
                    kind: LocalKind::Var,
                    variability,
                    module,
                    named_type: false,
                    io,
                    input,
                },
            );
        }
    }

    /// `X.size`, `X.length` or `Object.keys(X).length` of a tracked store.
    fn size_of_store(&self, e: &Expr) -> Option<StoreTarget> {
        let Expr::Member(m) = strip(e) else {
            return None;
        };
        let prop = prop_name(&m.prop)?;
        if prop != "size" && prop != "length" {
            return None;
        }
        if let Expr::Call(c) = strip(&m.obj) {
            if self.is_global_call(c, "Object", &["keys", "values", "entries"]) {
                return c.args.first().and_then(|a| self.store_target(&a.expr));
            }
        }
        self.store_target(&m.obj)
    }

    fn is_global_call(&self, c: &CallExpr, object: &str, methods: &[&str]) -> bool {
        let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
            return false;
        };
        matches!(strip(callee), Expr::Member(m)
            if matches!(strip(&m.obj), Expr::Ident(i) if &*i.sym == object && self.lookup(&i.sym).is_none())
            && prop_name(&m.prop).is_some_and(|p| methods.contains(&p)))
    }
}

/// A function body: a block, or the expression of a concise arrow.
pub(crate) enum BlockStmtOrExprRef<'b> {
    Block(&'b FunctionBody),
    Expr(&'b Expr),
}

/// Argument summaries are kept for the calls whose arguments rules read: Next.js APIs, `fetch`
/// and the file's own functions. For other callees (`z.object({...})`, `cn(...)`, ...) the call
/// itself is recorded, without them.
fn records_arguments(callee: &facts::Callee) -> bool {
    match callee {
        facts::Callee::Import { module, .. } => module.starts_with("next/") || module == "next",
        facts::Callee::Global { .. } | facts::Callee::LocalFunction(_) => true,
    }
}

fn catch_rethrows(handler: &CatchClause) -> bool {
    let Some(Pat::Ident(param)) = &handler.param else {
        return false;
    };
    handler.body.stmts.iter().any(|s| {
        matches!(s, Stmt::Throw(t) if matches!(strip(&t.arg), Expr::Ident(i) if i.sym == param.id.sym))
    })
}

impl Visit for Extractor<'_> {
    fn visit_function(&mut self, f: &Function) {
        let params: Vec<&Pat> = f.params.iter().map(|p| &p.pat).collect();
        let body = f.body.as_ref().map(BlockStmtOrExprRef::Block);
        self.function_like(f.span, f.is_async, false, &params, body.as_ref());
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let params: Vec<&Pat> = a.params.iter().collect();
        let body = match &*a.body {
            ArrowFunctionBody::FunctionBody(b) => BlockStmtOrExprRef::Block(b),
            ArrowFunctionBody::Expr(e) => BlockStmtOrExprRef::Expr(e),
        };
        self.function_like(a.span, a.is_async, true, &params, Some(&body));
    }

    fn visit_fn_decl(&mut self, f: &FnDecl) {
        self.set_pending_name(
            range(f.function.span).start,
            f.ident.sym.to_string(),
            range(f.ident.span),
        );
        f.function.visit_with(self);
    }

    fn visit_fn_expr(&mut self, f: &FnExpr) {
        if let Some(ident) = &f.ident {
            self.set_pending_name(
                range(f.function.span).start,
                ident.sym.to_string(),
                range(ident.span),
            );
            // A named function expression sees its own name.
            self.push_scope();
            self.declare_here(
                &ident.sym,
                Local {
                    kind: LocalKind::Function,
                    variability: Variability::Closed,
                    module: None,
                    named_type: false,
                    io: false,
                    input: false,
                },
            );
            f.function.visit_with(self);
            self.pop_scope();
        } else {
            f.function.visit_with(self);
        }
    }

    fn visit_class_method(&mut self, m: &ClassMethod) {
        if let Some(name) = prop_key(&m.key) {
            self.set_pending_name(range(m.function.span).start, name, range(m.key.span()));
        }
        m.visit_children_with(self);
    }

    fn visit_method_prop(&mut self, m: &MethodProp) {
        if let Some(name) = prop_key(&m.key) {
            self.set_pending_name(range(m.function.span).start, name, range(m.key.span()));
        }
        m.visit_children_with(self);
    }

    fn visit_key_value_prop(&mut self, kv: &KeyValueProp) {
        if let (Some(name), Expr::Fn(_) | Expr::Arrow(_)) = (prop_key(&kv.key), strip(&kv.value)) {
            self.set_pending_name(
                range(strip(&kv.value).span()).start,
                name,
                range(kv.key.span()),
            );
        }
        kv.visit_children_with(self);
    }

    fn visit_var_decl(&mut self, v: &VarDecl) {
        for d in &v.decls {
            if let (Pat::Ident(b), Some(init)) = (&d.name, &d.init) {
                if let Expr::Fn(_) | Expr::Arrow(_) = strip(init) {
                    self.set_pending_name(
                        range(strip(init).span()).start,
                        b.id.sym.to_string(),
                        range(b.id.span),
                    );
                }
            }
            d.name.visit_with(self);
            if let Some(init) = &d.init {
                init.visit_with(self);
            }
            let variability = d
                .init
                .as_deref()
                .map_or(Variability::Unknown, |e| self.variability(e));
            let io = d.init.as_deref().is_some_and(|e| self.is_io(e));
            let input = d.init.as_deref().is_some_and(|e| self.carries_input(e));
            self.declare_var(v.kind, &d.name, variability, io, input);
        }
    }

    fn visit_block_stmt(&mut self, b: &BlockStmt) {
        self.push_scope();
        self.declare_block(&b.stmts, false);
        self.visit_stmt_list(&b.stmts);
        self.pop_scope();
    }

    fn visit_if_stmt(&mut self, s: &IfStmt) {
        s.test.visit_with(self);
        self.visit_nested(&s.cons);
        if let Some(alt) = &s.alt {
            self.visit_nested(alt);
        }
    }

    fn visit_labeled_stmt(&mut self, s: &LabeledStmt) {
        self.visit_nested(&s.body);
    }

    fn visit_switch_case(&mut self, c: &SwitchCase) {
        c.test.visit_with(self);
        self.push_scope();
        self.declare_block(&c.cons, false);
        self.visit_stmt_list(&c.cons);
        self.pop_scope();
    }

    fn visit_for_stmt(&mut self, s: &ForStmt) {
        self.push_scope();
        s.init.visit_with(self);
        self.loop_depth += 1;
        s.test.visit_with(self);
        s.update.visit_with(self);
        self.visit_nested(&s.body);
        self.loop_depth -= 1;
        self.pop_scope();
    }

    fn visit_for_of_stmt(&mut self, s: &ForOfStmt) {
        self.push_scope();
        match self.store_target(&s.right) {
            Some(target) if matches!(strip(&s.right), Expr::Ident(_)) => {
                self.store_op(target, StoreOpKind::Read, s.right.span())
            }
            _ => s.right.visit_with(self),
        }
        self.loop_over(&s.left, &s.right, &s.body);
        self.pop_scope();
    }

    fn visit_for_in_stmt(&mut self, s: &ForInStmt) {
        self.push_scope();
        match self.store_target(&s.right) {
            Some(target) if matches!(strip(&s.right), Expr::Ident(_)) => {
                self.store_op(target, StoreOpKind::Read, s.right.span())
            }
            _ => s.right.visit_with(self),
        }
        self.loop_over(&s.left, &s.right, &s.body);
        self.pop_scope();
    }

    fn visit_while_stmt(&mut self, s: &WhileStmt) {
        self.loop_depth += 1;
        s.test.visit_with(self);
        self.visit_nested(&s.body);
        self.loop_depth -= 1;
    }

    fn visit_do_while_stmt(&mut self, s: &DoWhileStmt) {
        self.loop_depth += 1;
        self.visit_nested(&s.body);
        s.test.visit_with(self);
        self.loop_depth -= 1;
    }

    fn visit_try_stmt(&mut self, t: &TryStmt) {
        let swallows = t.handler.as_ref().is_some_and(|h| !catch_rethrows(h));
        self.try_stack.push(swallows);
        self.visit_block_stmt(&t.block);
        self.try_stack.pop();
        if let Some(handler) = &t.handler {
            self.push_scope();
            if let Some(param) = &handler.param {
                self.declare_pat(param, LocalKind::Catch, Variability::Unknown);
            }
            self.declare_block(&handler.body.stmts, false);
            self.visit_stmt_list(&handler.body.stmts);
            self.pop_scope();
        }
        if let Some(finalizer) = &t.finalizer {
            self.visit_block_stmt(finalizer);
        }
    }

    fn visit_throw_stmt(&mut self, t: &ThrowStmt) {
        let arg = strip(&t.arg);
        let is_rethrow = matches!(arg, Expr::Ident(i) if self.lookup(&i.sym).is_some_and(|l| l.kind == LocalKind::Catch));
        let is_control_flow = matches!(arg, Expr::Call(c) if matches!(&c.callee,
            swc_ecma_ast::Callee::Expr(e) if matches!(strip(e), Expr::Ident(i) if CONTROL_FLOW_APIS.contains(&&*i.sym))));
        let caught = self.try_stack.iter().any(|swallows| *swallows);
        self.facts.throws.push(ThrowFact {
            range: range(t.span),
            function: self.current_fn(),
            escapes: if caught { None } else { self.escape_owner() },
            is_rethrow,
            is_control_flow,
        });
        t.visit_children_with(self);
    }

    fn visit_expr_stmt(&mut self, s: &ExprStmt) {
        // Module-level ones are recorded by `record_module_directive_likes`.
        if let (Some(function), Some((value, string_range, parenthesized))) =
            (self.current_fn(), directive_like(s))
        {
            let stmt = range(s.span);
            let prologue_end = self.prologue_ends.last().copied().flatten();
            self.facts.directive_likes.push(DirectiveLike {
                value,
                range: stmt,
                string_range,
                in_prologue: prologue_end.is_none_or(|end| stmt.start < end),
                parenthesized,
                function: Some(function),
            });
        }
        let mut e = strip(&s.expr);
        if let Expr::Await(a) = e {
            e = strip(&a.arg);
        }
        if let Expr::Call(c) = e {
            self.statement_call = Some((range(c.span).start, range(s.span)));
        }
        s.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        let callee = match &c.callee {
            swc_ecma_ast::Callee::Expr(callee) => strip(callee),
            swc_ecma_ast::Callee::Import(_) => {
                if let Some(arg) = c.args.first() {
                    if let Some(specifier) = self.arg_fact(&arg.expr, 3).as_str() {
                        self.facts.imports.push(facts::Import {
                            specifier: specifier.to_string(),
                            kind: ImportKind::Dynamic,
                            type_only: false,
                            names: Vec::new(),
                            range: range(c.span),
                            specifier_range: range(arg.expr.span()),
                        });
                    }
                }
                c.visit_children_with(self);
                return;
            }
            swc_ecma_ast::Callee::Super(sup) => {
                self.context_use(ContextKind::Super, sup.span);
                c.visit_children_with(self);
                return;
            }
        };
        if let Expr::Ident(i) = callee {
            if &*i.sym == "require" && self.lookup(&i.sym).is_none() {
                if let Some(Expr::Lit(Lit::Str(s))) = c.args.first().map(|a| strip(&a.expr)) {
                    self.facts.imports.push(facts::Import {
                        specifier: s.value.to_string_lossy().into_owned(),
                        kind: ImportKind::Require,
                        type_only: false,
                        names: Vec::new(),
                        range: range(c.span),
                        specifier_range: range(s.span),
                    });
                }
            }
        }
        self.mark_callback_roles(callee, &c.args);

        // Operations on a tracked store: `cache.set(k, v)`, `globalThis.x.push(v)`.
        if let Expr::Member(m) = callee {
            if let (Some(target), Some(method)) = (self.store_target(&m.obj), prop_name(&m.prop)) {
                let kind = if GROWING_METHODS.contains(&method) {
                    let arg = |i: usize| {
                        c.args
                            .get(i)
                            .filter(|a| a.spread.is_none())
                            .map(|a| &*a.expr)
                    };
                    match method {
                        "set" => self.write_op(arg(0), arg(1)),
                        "add" => self.write_op(arg(0), None),
                        _ => self.write_op(None, arg(0)),
                    }
                } else if SHRINKING_METHODS.contains(&method) {
                    StoreOpKind::Shrink
                } else {
                    StoreOpKind::Read
                };
                self.store_op(target, kind, c.span);
                c.args.visit_with(self);
                return;
            }
        }
        // Read-only helpers over a store: `Object.keys(cache)`, `Array.from(cache)`.
        let read_helper = self.is_global_call(c, "Object", &["keys", "values", "entries"])
            || self.is_global_call(c, "Array", &["from"])
            || self.is_global_call(c, "JSON", &["stringify"]);
        if read_helper {
            if let Some(target) = c.args.first().and_then(|a| self.store_target(&a.expr)) {
                if matches!(strip(&c.args[0].expr), Expr::Ident(_)) {
                    self.store_op(target, StoreOpKind::Read, c.span);
                    c.args[1..].visit_with(self);
                    return;
                }
            }
        }

        if self.fns.is_empty() {
            if let Expr::Fn(_) | Expr::Arrow(_) = callee {
                self.set_pending_role(callee, FnRole::StartupIife);
            }
            if let Expr::Ident(i) = callee {
                if let Some(b) = self.lookup(&i.sym).and_then(|l| l.module) {
                    self.facts.bindings[b].top_level_calls += 1;
                }
            }
        }
        if let Some(resolved) = self.resolve_callee(callee) {
            let args = if records_arguments(&resolved) {
                c.args.iter().map(|a| self.arg_fact(&a.expr, 0)).collect()
            } else {
                Vec::new()
            };
            let call_range = range(c.span);
            let statement = self
                .statement_call
                .filter(|(start, _)| *start == call_range.start)
                .map(|(_, r)| r);
            let fact = CallFact {
                callee: resolved,
                function: self.current_fn(),
                range: call_range,
                callee_range: range(callee.span()),
                args,
                args_end: call_range.end.saturating_sub(1),
                in_loop: self.loop_depth > 0,
                statement,
                block_path: self.block_path.clone(),
            };
            self.facts.calls.push(fact);
        }
        c.visit_children_with(self);
    }

    fn visit_new_expr(&mut self, n: &NewExpr) {
        n.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, a: &AssignExpr) {
        match &a.left {
            AssignTarget::Simple(SimpleAssignTarget::Ident(b)) => {
                self.reassign_local(&b.id.sym, &a.right);
                if let Some(bid) = self.lookup(&b.id.sym).and_then(|l| l.module) {
                    if self.facts.bindings[bid].collection.is_some() {
                        self.store_op(StoreTarget::Binding(bid), StoreOpKind::Shrink, a.span);
                    }
                }
                a.right.visit_with(self);
                return;
            }
            AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                if let Some(StoreTarget::Global(name)) = self.global_member(m) {
                    let lazy = matches!(a.op, AssignOp::NullishAssign | AssignOp::OrAssign)
                        || matches!(strip(&a.right), Expr::Bin(b) if matches!(b.op, BinaryOp::NullishCoalescing | BinaryOp::LogicalOr));
                    let collection = collection_kind(&a.right);
                    let kind = if lazy || self.fns.is_empty() {
                        StoreOpKind::Create { collection }
                    } else {
                        StoreOpKind::Shrink
                    };
                    self.store_op(StoreTarget::Global(name), kind, a.span);
                    // `globalThis.__cache = cache` keeps a module cache across reloads; not an escape.
                    if !matches!(strip(&a.right), Expr::Ident(i) if self.store_target(&Expr::Ident(i.clone())).is_some())
                    {
                        a.right.visit_with(self);
                    }
                    return;
                }
                if let Some(target) = self.store_target(&m.obj) {
                    let kind = match &m.prop {
                        MemberProp::Ident(p) if &*p.sym == "length" => StoreOpKind::Shrink,
                        MemberProp::Computed(key) => self.write_op(Some(&key.expr), Some(&a.right)),
                        _ => StoreOpKind::Write {
                            key: Some(Variability::Closed),
                            value_fresh: false,
                            value_io: false,
                            value_input: false,
                        },
                    };
                    self.store_op(target, kind, a.span);
                    if let MemberProp::Computed(key) = &m.prop {
                        key.visit_with(self);
                    }
                    a.right.visit_with(self);
                    return;
                }
            }
            _ => {}
        }
        a.visit_children_with(self);
    }

    fn visit_unary_expr(&mut self, u: &UnaryExpr) {
        if u.op == UnaryOp::Delete {
            if let Expr::Member(m) = strip(&u.arg) {
                if let Some(target) = self.store_target(&m.obj).or_else(|| self.global_member(m)) {
                    self.store_op(target, StoreOpKind::Shrink, u.span);
                    return;
                }
            }
        }
        u.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, m: &MemberExpr) {
        if let Some(target) = self.store_target(&m.obj).or_else(|| self.global_member(m)) {
            self.store_op(target, StoreOpKind::Read, m.span);
            if let MemberProp::Computed(key) = &m.prop {
                key.visit_with(self);
            }
            return;
        }
        m.visit_children_with(self);
    }

    fn visit_bin_expr(&mut self, b: &BinExpr) {
        use BinaryOp::*;
        if matches!(
            b.op,
            Lt | LtEq | Gt | GtEq | EqEq | EqEqEq | NotEq | NotEqEq
        ) {
            for side in [&b.left, &b.right] {
                if let Some(target) = self.size_of_store(side) {
                    self.store_op(target, StoreOpKind::Cap, b.span);
                }
            }
        }
        b.visit_children_with(self);
    }

    fn visit_expr_or_spread(&mut self, e: &ExprOrSpread) {
        if e.spread.is_some() && matches!(strip(&e.expr), Expr::Ident(_)) {
            if let Some(target) = self.store_target(&e.expr) {
                self.store_op(target, StoreOpKind::Read, e.expr.span());
                return;
            }
        }
        e.visit_children_with(self);
    }

    fn visit_expr(&mut self, e: &Expr) {
        match e {
            Expr::This(t) => self.context_use(ContextKind::This, t.span),
            Expr::SuperProp(p) => self.context_use(ContextKind::Super, p.span),
            Expr::Ident(i) if &*i.sym == "arguments" && self.lookup(&i.sym).is_none() => {
                self.context_use(ContextKind::Arguments, i.span)
            }
            _ => {}
        }
        if let Expr::Ident(i) = e {
            // One lookup serves both the reference count and the escape check.
            if let Some(b) = self.lookup(&i.sym).and_then(|l| l.module) {
                self.facts.bindings[b].value_refs += 1;
                if self.facts.bindings[b].collection.is_some() {
                    self.store_op(StoreTarget::Binding(b), StoreOpKind::Escape, i.span);
                }
            }
            return;
        }
        e.visit_children_with(self);
    }

    fn visit_prop(&mut self, p: &Prop) {
        if let Prop::Shorthand(i) = p {
            self.visit_expr(&Expr::Ident(i.clone()));
            return;
        }
        p.visit_children_with(self);
    }

    fn visit_jsx_element_name(&mut self, n: &JSXElementName) {
        match n {
            JSXElementName::Ident(i) => self.count_reference(&i.sym),
            JSXElementName::JSXMemberExpr(m) => {
                let mut obj = &m.obj;
                while let JSXObject::JSXMemberExpr(inner) = obj {
                    obj = &inner.obj;
                }
                if let JSXObject::Ident(i) = obj {
                    self.count_reference(&i.sym);
                }
            }
            JSXElementName::JSXNamespacedName(_) => {}
        }
    }

    fn visit_jsx_attr(&mut self, a: &JSXAttr) {
        let is_handler = matches!(&a.name, JSXAttrName::Ident(n) if is_hook_or_handler_name(&n.sym) && n.sym.starts_with("on"));
        if let (true, Some(JSXAttrValue::JSXExprContainer(c))) = (is_handler, &a.value) {
            if let JSXExpr::Expr(e) = &c.expr {
                self.set_pending_role(e, FnRole::ClientCallback);
            }
        }
        a.visit_children_with(self);
    }

    fn visit_export_named_specifier(&mut self, s: &ExportNamedSpecifier) {
        if let ModuleExportName::Ident(i) = &s.orig {
            if !s.is_type_only {
                self.count_reference(&i.sym);
            }
        }
    }

    // Types never run: skip them (also keeps type names out of reference counts).
    fn visit_ts_type(&mut self, _: &TsType) {}
    fn visit_ts_type_ann(&mut self, _: &TsTypeAnn) {}
    fn visit_ts_interface_decl(&mut self, _: &TsInterfaceDecl) {}
    fn visit_ts_type_alias_decl(&mut self, _: &TsTypeAliasDecl) {}
}

impl Extractor<'_> {
    /// Loop variables vary as the iterated value does: over a module constant they are closed.
    fn loop_over(&mut self, left: &ForHead, right: &Expr, body: &Stmt) {
        if let ForHead::VarDecl(v) = left {
            let variability = self.variability(right);
            let io = self.is_io(right);
            let input = self.carries_input(right);
            for d in &v.decls {
                self.declare_var(v.kind, &d.name, variability, io, input);
            }
        }
        self.loop_depth += 1;
        self.visit_nested(body);
        self.loop_depth -= 1;
    }

    fn global_member(&self, m: &MemberExpr) -> Option<StoreTarget> {
        if self.is_global_object(&m.obj) {
            prop_name(&m.prop).map(|p| StoreTarget::Global(p.to_string()))
        } else {
            None
        }
    }

    fn mark_callback_roles(&mut self, callee: &Expr, args: &[ExprOrSpread]) {
        let name = match callee {
            Expr::Member(m) => prop_name(&m.prop),
            Expr::Ident(i) => Some(&*i.sym),
            _ => None,
        };
        let Some(name) = name else { return };
        let role = if matches!(callee, Expr::Member(_)) && ITERATION_METHODS.contains(&name) {
            FnRole::IterationCallback
        } else if is_hook_name(name) {
            FnRole::ClientCallback
        } else {
            return;
        };
        for arg in args {
            self.set_pending_role(&arg.expr, role);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// After the walk: resolve function references and derive the file's Server Actions.
impl Extractor<'_> {
    fn fn_at(&self, start: u32) -> Option<FnId> {
        self.fn_by_start.get(&start).copied()
    }

    fn binding_function(&self, b: BindingId) -> Option<FnId> {
        self.binding_fn_start.get(&b).and_then(|s| self.fn_at(*s))
    }

    fn resolve_value(&self, arg: &mut ArgFact) {
        match &mut arg.value {
            Value::Function(start) => match self.fn_at(*start as u32) {
                Some(id) => *start = id,
                None => arg.value = Value::Other,
            },
            Value::LocalFunction(b) => match self.binding_function(*b) {
                Some(id) => *b = id,
                None => arg.value = Value::Other,
            },
            Value::Object { props, .. } => props
                .iter_mut()
                .for_each(|p| self.resolve_value(&mut p.value)),
            _ => {}
        }
    }

    fn finish(mut self) -> FileFacts {
        for b in 0..self.facts.bindings.len() {
            self.facts.bindings[b].function = self.binding_function(b);
        }
        let mut calls = std::mem::take(&mut self.facts.calls);
        calls.retain_mut(|call| {
            call.args.iter_mut().for_each(|a| self.resolve_value(a));
            match call.callee {
                facts::Callee::LocalFunction(b) => match self.binding_function(b) {
                    Some(f) => {
                        call.callee = facts::Callee::LocalFunction(f);
                        true
                    }
                    None => false,
                },
                _ => true,
            }
        });
        self.facts.calls = calls;
        self.facts.actions = self.actions();
        self.facts.exported_functions = self.exported_functions();
        self.facts.default_export = self
            .default_shape
            .map(|(shape, range, start)| DefaultExport {
                range,
                shape,
                function: start.and_then(|s| self.fn_at(s)),
            });
        self.facts
    }

    fn action_from(
        &self,
        name: String,
        range: TextRange,
        summary: Option<&InitSummary>,
        fallback: Option<FnId>,
    ) -> ServerAction {
        let (kind, function) = match summary {
            Some(InitSummary::Function(start)) => (ActionKind::Exported, self.fn_at(*start)),
            Some(InitSummary::Wrapper {
                callee,
                function,
                wrapped_binding,
            }) => (
                ActionKind::Wrapped {
                    callee: callee.clone(),
                },
                function
                    .and_then(|s| self.fn_at(s))
                    .or_else(|| wrapped_binding.and_then(|b| self.binding_function(b))),
            ),
            None => (ActionKind::Exported, fallback),
        };
        ServerAction {
            name,
            kind,
            function,
            range,
        }
    }

    fn exported_functions(&self) -> Vec<(String, FnId)> {
        let facts = &self.facts;
        let mut out = Vec::new();
        for export in facts.exports.iter().filter(|e| !e.type_only) {
            let function = match export.local.as_deref() {
                Some(local) => facts.binding(local).and_then(|b| b.function),
                None if export.name == "default" => match &self.default_export {
                    Some((InitSummary::Function(start), _)) => self.fn_at(*start),
                    _ => None,
                },
                None => None,
            };
            if let Some(f) = function {
                out.push((export.name.clone(), f));
            }
        }
        out
    }

    fn actions(&self) -> Vec<ServerAction> {
        let facts = &self.facts;
        let mut actions = Vec::new();
        if facts.is_use_client() {
            return actions;
        }
        if facts.is_use_server() {
            for export in facts.exports.iter().filter(|e| !e.type_only) {
                let binding = export
                    .local
                    .as_deref()
                    .and_then(|l| facts.bindings.iter().position(|b| b.name == l));
                let action = match binding {
                    Some(b) => {
                        let bind = &facts.bindings[b];
                        if matches!(
                            bind.kind,
                            BindingKind::Import | BindingKind::Class | BindingKind::Other
                        ) {
                            continue;
                        }
                        self.action_from(
                            export.name.clone(),
                            bind.range,
                            self.binding_init.get(&b),
                            bind.function,
                        )
                    }
                    None if export.name == "default" => match &self.default_export {
                        Some((summary, range)) => {
                            self.action_from("default".into(), *range, Some(summary), None)
                        }
                        None => continue,
                    },
                    None => continue,
                };
                actions.push(action);
            }
        }
        for (id, f) in facts.functions.iter().enumerate() {
            let inline = f.has_directive(|k| *k == DirectiveKind::UseServer);
            if inline && !actions.iter().any(|a| a.function == Some(id)) {
                let directive = f
                    .directives
                    .iter()
                    .find(|d| d.kind == DirectiveKind::UseServer)
                    .map(|d| d.range);
                actions.push(ServerAction {
                    name: f.name.clone().unwrap_or_else(|| "<inline action>".into()),
                    kind: ActionKind::Inline,
                    function: Some(id),
                    range: f.name_range.or(directive).unwrap_or(f.range),
                });
            }
        }
        actions
    }
}
