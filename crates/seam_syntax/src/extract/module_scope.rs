//! Module scope: directives, imports, exports and bindings, declared up front so functions
//! see bindings declared after them; and the decision whether to walk function bodies at all.

use super::*;
use crate::FileRole;

impl<'a> Extractor<'a> {
    /// Extracts the facts of one program. With `Depth::Needed`, the traversal of function bodies
    /// is skipped for modules that cannot matter to any rule (see `traversal`).
    pub(crate) fn run(mut self, program: &Program, depth: Depth) -> FileFacts {
        match program {
            Program::Module(m) => {
                let (directives, _) = prologue(m.body.iter().map(|i| match i {
                    ModuleItem::Stmt(s) => Some(s),
                    ModuleItem::ModuleDecl(_) => None,
                }));
                self.facts.directives = directives.into();
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
                self.walk_top_level(&m.body, depth);
            }
            Program::Script(s) => {
                let (directives, first) = prologue(s.body.iter().map(Some));
                self.facts.directives = directives.into();
                self.facts.first_statement = first;
                self.declare_block(&s.body, true);
                self.record_module_directive_likes(s.body.iter());
                self.has_collections = self.facts.bindings.iter().any(|b| b.collection.is_some());
                self.walk_top_level(&s.body, depth);
            }
        }
        self.finish()
    }

    /// Walks a program's top-level items as far as `traversal` says.
    fn walk_top_level<T>(&mut self, items: &[T], depth: Depth)
    where
        T: TopLevel + VisitWith<Self> + for<'f> VisitWith<ImportReferences<'f>>,
    {
        let skipped: fn(&T) -> bool = match self.traversal(depth) {
            Traversal::Everything => |_| false,
            Traversal::Callable => T::is_call_statement,
            Traversal::ModuleScope => {
                self.count_import_references(|v| items.iter().for_each(|i| i.visit_with(v)));
                return;
            }
        };
        self.facts.walked = true;
        self.visit_items_where(items, |item| !skipped(item));
        // The module graph still needs to know which imports the skipped code uses as values.
        self.count_import_references(|v| {
            items
                .iter()
                .filter(|item| skipped(item))
                .for_each(|item| item.visit_with(v))
        });
    }

    /// The module-level pass (directives, imports, exports, bindings) always runs. The traversal
    /// of everything else only matters when a rule could find something in it: the module has a
    /// collection or a `globalThis` alias at module scope, or its text names something a rule
    /// reads. When a rule starts reading more facts, extend `TRAVERSAL_TRIGGERS`; the
    /// `shortcut_never_changes_a_finding` test runs every rule both ways over every fixture.
    pub(super) fn traversal(&self, depth: Depth) -> Traversal {
        let app = self.role == FileRole::App;
        let everything = depth == Depth::Full
            || TRAVERSAL_TRIGGERS.iter().any(|t| self.source.contains(t))
            // A 'use client' past the module prologue may be a misplaced directive in a function.
            || self.facts.first_statement.is_some_and(|f| self.source[f as usize..].contains("use client"))
            // Module-scope stores (collections, `globalThis`/`global.`): only
            // unbounded-module-cache reads how they grow, and it skips tests and scripts.
            || (app && (self.has_collections || !self.global_aliases.is_empty() || self.source.contains("global")));
        if everything {
            return Traversal::Everything;
        }
        // Server helpers with async functions may check auth or reach the database, which the
        // module graph's function summaries read. Component files (.tsx/.jsx) are not what
        // actions call into; what they hold stays opaque (silent) to those summaries.
        if !(self.helper_module && !self.facts.is_use_client() && self.source.contains("async")) {
            return Traversal::ModuleScope;
        }
        // Calls in a test's or script's top-level calls are nothing the summaries read, and the
        // one rule that follows calls from importing modules (cache-api-outside-cache) skips
        // tests and scripts. In other modules it does not.
        match self.role {
            FileRole::App => Traversal::Everything,
            FileRole::TestOrScript => Traversal::Callable,
        }
    }

    pub(super) fn add_binding(
        &mut self,
        name: &Ident,
        kind: BindingKind,
        init: Option<&Expr>,
        exported: bool,
    ) -> BindingId {
        self.add_typed_binding(name, kind, init, None, exported)
    }

    pub(super) fn add_typed_binding(
        &mut self,
        name: &Ident,
        kind: BindingKind,
        init: Option<&Expr>,
        annotation: Option<&TsType>,
        exported: bool,
    ) -> BindingId {
        let id = self.facts.bindings.len();
        self.facts.bindings.push(ModuleBinding {
            name: name.sym.clone(),
            kind,
            range: range(name.span),
            shape: value_shape(kind, init),
            collection: init.and_then(collection_kind),
            closed_key_type: declared_key_closed(annotation, init),
            function: None,
            exported,
            value_refs: 0,
            top_level_calls: 0,
            calls: 0,
            handled_calls: 0,
            init: None,
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
                origin: None,
                param_of: None,
                request_prop: None,
            },
        );
        if let Some(chain) = init.and_then(raw_chain) {
            self.binding_chains.insert(id, chain);
        }
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

    pub(super) fn declare_decl(&mut self, decl: &Decl, exported: bool) {
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
                        let id = self.add_typed_binding(&b.id, kind, init, annotation, exported);
                        // `const { auth, signIn } = NextAuth(config)`: each name is part of
                        // what the call built.
                        if !single {
                            if let Some(chain) = d.init.as_deref().and_then(raw_chain) {
                                self.binding_chains.insert(id, chain);
                            }
                        }
                    }
                }
            }
            Decl::TsEnum(e) => {
                self.add_binding(&e.id, BindingKind::Other, None, exported);
            }
            _ => {}
        }
    }

    pub(super) fn declare_module_items(&mut self, items: &[ModuleItem]) {
        for item in items {
            match item {
                ModuleItem::ModuleDecl(decl) => self.declare_module_decl(decl),
                ModuleItem::Stmt(Stmt::Decl(d)) => self.declare_decl(d, false),
                ModuleItem::Stmt(_) => {}
            }
        }
        // Exports by name (`export { a, b as c }`) mark bindings declared anywhere in the file
        // (the first binding of a name, as a search would find; by a map: a generated file can
        // export tens of thousands of names).
        let first_of = super::finish::first_binding_by_name(&self.facts);
        let exported: Vec<usize> = self
            .facts
            .exports
            .iter()
            .filter_map(|e| first_of.get(e.local.as_deref()?).copied())
            .collect();
        for b in exported {
            self.facts.bindings[b].exported = true;
        }
    }

    pub(super) fn declare_module_decl(&mut self, decl: &ModuleDecl) {
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
                                Imported::Named(imported.into())
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
                        local: local.sym.clone(),
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
                                    Imported::Named(orig.into())
                                };
                                names.push(ImportName {
                                    imported,
                                    local: exported.as_str().into(),
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
                                local: exported.as_str().into(),
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
                                local: d.exported.sym.clone(),
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

    pub(super) fn push_import(
        &mut self,
        src: &Str,
        kind: ImportKind,
        type_only: bool,
        names: Vec<ImportName>,
        span: Span,
    ) {
        self.facts.imports.push(facts::Import {
            specifier: src.value.to_string_lossy().as_ref().into(),
            kind,
            type_only,
            names,
            range: range(span),
            specifier_range: range(src.span),
        });
    }

    /// Declares the let/const/class/function names of a block before its statements run.
    pub(super) fn declare_block(&mut self, stmts: &[Stmt], module: bool) {
        for stmt in stmts {
            let Stmt::Decl(decl) = stmt else { continue };
            if module {
                self.declare_decl(decl, false);
                continue;
            }
            match decl {
                Decl::Fn(f) => self.declare_here(
                    &f.ident.sym,
                    Local::plain(LocalKind::Function, Variability::Closed),
                ),
                Decl::Class(c) => self.declare_here(
                    &c.ident.sym,
                    Local::plain(LocalKind::Class, Variability::Closed),
                ),
                Decl::Var(v) if v.kind != VarDeclKind::Var => {
                    for d in &v.decls {
                        let mut ids = Vec::new();
                        pat_idents(&d.name, &mut ids);
                        for b in ids {
                            self.declare_here(
                                &b.id.sym,
                                Local::plain(LocalKind::Var, Variability::Unknown),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// How much of a module's code to walk (see `Extractor::traversal`).
pub(super) enum Traversal {
    Everything,
    /// What other modules can call: every declaration, export and statement except top-level
    /// calls (`describe(...)`, `main()`, `vi.mock(...)`), whose callbacks nothing outside the
    /// module names. Most of a test file's code sits in such calls.
    Callable,
    /// Only the module-level pass.
    ModuleScope,
}

/// A top-level item of a module or script.
pub(super) trait TopLevel {
    /// A statement that is a call (maybe awaited): `describe('x', () => {...})`, `await main()`.
    fn is_call_statement(&self) -> bool;
}

impl TopLevel for Stmt {
    fn is_call_statement(&self) -> bool {
        let Stmt::Expr(e) = self else {
            return false;
        };
        match strip(&e.expr) {
            Expr::Call(_) => true,
            Expr::Await(a) => matches!(strip(&a.arg), Expr::Call(_)),
            _ => false,
        }
    }
}

impl TopLevel for ModuleItem {
    fn is_call_statement(&self) -> bool {
        matches!(self, ModuleItem::Stmt(s) if s.is_call_statement())
    }
}

/// Counts value references to imported bindings in a module whose full traversal is skipped:
/// the module graph needs them to erase imports used only as types. Scopes are not tracked,
/// so a local that shadows an import counts for it: the import is then kept, never dropped.
struct ImportReferences<'f> {
    imports: HashMap<Atom, BindingId>,
    bindings: &'f mut [ModuleBinding],
    /// Enclosing `try` blocks of the current function whose `catch` does not rethrow.
    catching_tries: u32,
    call_site: super::call_sites::CallSite,
}

impl ImportReferences<'_> {
    fn count(&mut self, sym: &Atom) {
        if let Some(&b) = self.imports.get(sym) {
            self.bindings[b].value_refs += 1;
        }
    }
}

impl Visit for ImportReferences<'_> {
    fn visit_ident(&mut self, i: &Ident) {
        self.count(&i.sym);
    }
    fn visit_call_expr(&mut self, c: &CallExpr) {
        let binding = match &c.callee {
            swc_ecma_ast::Callee::Expr(callee) => match strip(callee) {
                Expr::Ident(i) => self.imports.get(&i.sym).copied(),
                _ => None,
            },
            _ => None,
        };
        let callee = binding.map(|b| &mut self.bindings[b]);
        self.call_site.saw_call(c, callee, self.catching_tries > 0);
        c.visit_children_with(self);
    }
    fn visit_await_expr(&mut self, a: &AwaitExpr) {
        self.call_site.saw_await(a);
        a.visit_children_with(self);
    }
    fn visit_try_stmt(&mut self, t: &TryStmt) {
        let catches = t
            .handler
            .as_ref()
            .is_some_and(|h| !super::functions::catch_rethrows(h));
        self.catching_tries += catches as u32;
        t.block.visit_with(self);
        self.catching_tries -= catches as u32;
        t.handler.visit_with(self);
        t.finalizer.visit_with(self);
    }
    // A function's body runs when it is called, outside the `try` around its definition.
    fn visit_function(&mut self, f: &Function) {
        let outer = std::mem::take(&mut self.catching_tries);
        f.visit_children_with(self);
        self.catching_tries = outer;
    }
    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        let outer = std::mem::take(&mut self.catching_tries);
        a.visit_children_with(self);
        self.catching_tries = outer;
    }
    fn visit_jsx_element_name(&mut self, n: &JSXElementName) {
        match n {
            JSXElementName::Ident(i) => self.count(&i.sym),
            JSXElementName::JSXMemberExpr(m) => m.visit_with(self),
            JSXElementName::JSXNamespacedName(_) => {}
        }
    }
    fn visit_jsx_object(&mut self, o: &JSXObject) {
        match o {
            JSXObject::Ident(i) => self.count(&i.sym),
            JSXObject::JSXMemberExpr(m) => m.obj.visit_with(self),
        }
    }
    // Names that are not references: declarations, properties, labels, import specifiers.
    fn visit_import_decl(&mut self, _: &ImportDecl) {}
    fn visit_binding_ident(&mut self, _: &BindingIdent) {}
    fn visit_ident_name(&mut self, _: &IdentName) {}
    fn visit_member_prop(&mut self, p: &MemberProp) {
        if let MemberProp::Computed(c) = p {
            c.visit_with(self);
        }
    }
    fn visit_prop_name(&mut self, p: &PropName) {
        if let PropName::Computed(c) = p {
            c.visit_with(self);
        }
    }
    fn visit_fn_decl(&mut self, f: &FnDecl) {
        f.function.visit_with(self);
    }
    fn visit_class_decl(&mut self, c: &ClassDecl) {
        c.class.visit_with(self);
    }
    fn visit_labeled_stmt(&mut self, s: &LabeledStmt) {
        s.body.visit_with(self);
    }
    fn visit_break_stmt(&mut self, _: &BreakStmt) {}
    fn visit_continue_stmt(&mut self, _: &ContinueStmt) {}
    fn visit_export_named_specifier(&mut self, s: &ExportNamedSpecifier) {
        if let (false, ModuleExportName::Ident(i)) = (s.is_type_only, &s.orig) {
            self.count(&i.sym);
        }
    }
    fn visit_named_export(&mut self, e: &NamedExport) {
        // `export { x } from './y'` names the other module's export, not a local.
        if e.src.is_none() {
            e.visit_children_with(self);
        }
    }
    fn visit_ts_type(&mut self, _: &TsType) {}
    fn visit_ts_type_ann(&mut self, _: &TsTypeAnn) {}
    fn visit_ts_interface_decl(&mut self, _: &TsInterfaceDecl) {}
    fn visit_ts_type_alias_decl(&mut self, _: &TsTypeAliasDecl) {}
    fn visit_ts_module_decl(&mut self, _: &TsModuleDecl) {}
    fn visit_ts_type_param_instantiation(&mut self, _: &TsTypeParamInstantiation) {}
    fn visit_ts_type_param_decl(&mut self, _: &TsTypeParamDecl) {}
}

impl Extractor<'_> {
    fn count_import_references(&mut self, walk: impl FnOnce(&mut ImportReferences)) {
        let imports: HashMap<Atom, BindingId> = self
            .facts
            .bindings
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == BindingKind::Import)
            .map(|(id, b)| (Atom::from(b.name.as_str()), id))
            .collect();
        if imports.is_empty() {
            return;
        }
        walk(&mut ImportReferences {
            imports,
            bindings: &mut self.facts.bindings,
            catching_tries: 0,
            call_site: Default::default(),
        });
    }
}

/// The call chain an initializer is built by: `a.b(f).c(g)`, `new X()`, `await make()`, and the
/// right side of `??`/`||` (`globalThis.db ?? new PrismaClient()`).
pub(super) fn raw_chain(init: &Expr) -> Option<RawChain> {
    let mut e = strip(init);
    loop {
        e = match e {
            Expr::Await(a) => strip(&a.arg),
            Expr::Bin(b) if matches!(b.op, BinaryOp::NullishCoalescing | BinaryOp::LogicalOr) => {
                strip(&b.right)
            }
            _ => break,
        };
    }
    let mut chain = RawChain::default();
    let mut args_seen: Vec<&[ExprOrSpread]> = Vec::new();
    let mut cur = e;
    loop {
        match cur {
            Expr::Call(c) => {
                let swc_ecma_ast::Callee::Expr(callee) = &c.callee else {
                    return None;
                };
                args_seen.push(&c.args);
                cur = strip(callee);
            }
            Expr::New(n) => {
                args_seen.push(n.args.as_deref().unwrap_or(&[]));
                cur = strip(&n.callee);
            }
            Expr::Member(m) => {
                chain.path.push(prop_atom(&m.prop)?.clone());
                cur = strip(&m.obj);
            }
            Expr::Ident(i) => {
                chain.root = i.sym.clone();
                break;
            }
            _ => return None,
        }
    }
    if args_seen.is_empty() {
        return None;
    }
    chain.path.reverse();
    for args in args_seen.iter().rev() {
        for arg in args.iter() {
            match strip(&arg.expr) {
                Expr::Fn(f) => chain.function_starts.push(range(f.function.span).start),
                Expr::Arrow(a) => chain.function_starts.push(range(a.span).start),
                Expr::Ident(i) => chain.function_names.push(i.sym.to_string()),
                _ => {}
            }
        }
    }
    Some(chain)
}
