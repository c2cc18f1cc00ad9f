//! Reads `next.config.{ts,mjs,js,cjs}` statically: the settings rules depend on, evaluated from
//! literals only. Whatever is computed at run time (a config function, spreads of imported
//! objects, members assigned later) is `Unreadable`, so rules that need it stay silent.

use std::path::Path;

use seam_diagnostics::TextRange;
use serde::{Deserialize, Serialize};
use swc_ecma_ast::*;

use crate::extract::{range, strip};
use crate::parse::parse;

/// The config file names Next.js looks for, in its order.
pub const NEXT_CONFIG_FILES: &[&str] = &[
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "next.config.mts",
    "next.config.cjs",
];

/// A setting as far as a static read can tell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum Setting<T> {
    /// The config does not set it (Next's default applies).
    #[default]
    Unset,
    Set(T),
    /// Set to something only running the config would tell.
    Unreadable,
}

/// A literal value in the config, with where it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigValue {
    pub range: TextRange,
    pub kind: ConfigValueKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ConfigValueKind {
    Number(f64),
    Bool(bool),
    Str(String),
    /// Anything else (an identifier, a call, an object where a number belongs).
    Other,
}

/// One `cacheLife` profile of the config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigProfile {
    pub name: String,
    /// Its properties (`stale`, `revalidate`, `expire`, and any other key) as written.
    pub fields: Vec<(String, ConfigValue)>,
    /// The profile is not an object literal (or spreads something).
    pub unreadable: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NextConfig {
    /// `cacheComponents` at the top level: how Next.js 16 enables `'use cache'`.
    pub cache_components: Setting<bool>,
    /// `experimental.{cacheComponents,dynamicIO}`: Next.js 15's Cache Components (16 moves
    /// `experimental.cacheComponents` to the top level).
    pub experimental_cache_components: Setting<bool>,
    /// `experimental.useCache`: `'use cache'` alone (15; 16 still honours it, deprecated).
    pub experimental_use_cache: Setting<bool>,
    /// Custom `cacheLife` profiles (top level in 16, `experimental.cacheLife` in 15).
    pub cache_life: Setting<Vec<ConfigProfile>>,
    /// Keys of `cacheHandlers` (top level or experimental): the `'use cache: <kind>'` kinds it adds.
    pub cache_handlers: Setting<Vec<String>>,
    /// Keys of `env`, which Next inlines into every bundle (the client's included).
    pub env: Setting<Vec<String>>,
}

impl NextConfig {
    /// Whether Cache Components are on for this Next.js major (unknown: either place counts).
    pub fn cache_components(&self, major: Option<u64>) -> Setting<bool> {
        match major {
            Some(15) => self.experimental_cache_components.clone(),
            _ => any_of(&[&self.cache_components, &self.experimental_cache_components]),
        }
    }

    /// Whether `'use cache'` compiles for this Next.js major (unknown: any flag counts).
    pub fn use_cache(&self, major: Option<u64>) -> Setting<bool> {
        any_of(&[&self.cache_components(major), &self.experimental_use_cache])
    }

    /// Everything unreadable: what a config that cannot be parsed or evaluated yields.
    pub fn unreadable() -> Self {
        Self {
            cache_components: Setting::Unreadable,
            experimental_cache_components: Setting::Unreadable,
            experimental_use_cache: Setting::Unreadable,
            cache_life: Setting::Unreadable,
            cache_handlers: Setting::Unreadable,
            env: Setting::Unreadable,
        }
    }
}

/// Reads a next.config file's text.
pub fn read_next_config(path: &Path, source: &str) -> NextConfig {
    // Parsed and walked on a stack grown for the text's worst-case nesting, as sources are.
    crate::stack::with_room_for(source, || read_parsed_config(path, source))
}

fn read_parsed_config(path: &Path, source: &str) -> NextConfig {
    let Ok(parsed) = parse(path, source) else {
        return NextConfig::unreadable();
    };
    let items: Vec<&ModuleItem> = match &parsed.program {
        Program::Module(m) => m.body.iter().collect(),
        Program::Script(_) => Vec::new(),
    };
    let stmts: Vec<&Stmt> = match &parsed.program {
        Program::Module(m) => m
            .body
            .iter()
            .filter_map(|i| match i {
                ModuleItem::Stmt(s) => Some(s),
                ModuleItem::ModuleDecl(_) => None,
            })
            .collect(),
        Program::Script(s) => s.body.iter().collect(),
    };
    let scope = Scope { stmts: &stmts };
    let Some(exported) = exported_config(&items, &stmts) else {
        return NextConfig::unreadable();
    };
    match scope.object(exported, 0) {
        Some(object) => {
            if scope.is_mutated(exported) {
                return NextConfig::unreadable();
            }
            read_object(&scope, object)
        }
        None => NextConfig::unreadable(),
    }
}

/// `export default <expr>` or `module.exports = <expr>`.
fn exported_config<'a>(items: &[&'a ModuleItem], stmts: &[&'a Stmt]) -> Option<&'a Expr> {
    for item in items {
        if let ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(e)) = item {
            return Some(&e.expr);
        }
    }
    stmts.iter().rev().find_map(|s| match s {
        Stmt::Expr(ExprStmt { expr, .. }) => match &**expr {
            Expr::Assign(a) if is_module_exports(&a.left) => Some(&*a.right),
            _ => None,
        },
        _ => None,
    })
}

fn is_module_exports(target: &AssignTarget) -> bool {
    let AssignTarget::Simple(SimpleAssignTarget::Member(m)) = target else {
        return false;
    };
    matches!(&*m.obj, Expr::Ident(i) if &*i.sym == "module")
        && matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "exports")
}

struct Scope<'a> {
    stmts: &'a [&'a Stmt],
}

impl<'a> Scope<'a> {
    /// The initializer of a module-level variable.
    fn init_of(&self, name: &str) -> Option<&'a Expr> {
        self.stmts.iter().find_map(|s| {
            let Stmt::Decl(Decl::Var(v)) = s else {
                return None;
            };
            v.decls.iter().find_map(|d| match &d.name {
                Pat::Ident(b) if &*b.id.sym == name => d.init.as_deref(),
                _ => None,
            })
        })
    }

    /// The object literal an expression evaluates to: through identifiers of this module and
    /// plugin wrappers (`withMDX(config)`, `withSentryConfig(config, {...})`), which pass the
    /// config they wrap through with additions of their own.
    fn object(&self, e: &'a Expr, depth: u32) -> Option<&'a ObjectLit> {
        if depth > 8 {
            return None;
        }
        match strip(e) {
            Expr::Object(o) => Some(o),
            Expr::Ident(i) => self.object(self.init_of(&i.sym)?, depth + 1),
            Expr::Call(c) => {
                let first = c.args.first().filter(|a| a.spread.is_none())?;
                self.object(&first.expr, depth + 1)
            }
            _ => None,
        }
    }

    /// `nextConfig.experimental = {...}` after the declaration: the literal is not the whole story.
    fn is_mutated(&self, exported: &Expr) -> bool {
        let mut names = Vec::new();
        let mut e = strip(exported);
        loop {
            match e {
                Expr::Ident(i) => {
                    names.push(i.sym.to_string());
                    match self.init_of(&i.sym) {
                        Some(init) => e = strip(init),
                        None => break,
                    }
                }
                Expr::Call(c) => match c.args.first() {
                    Some(a) => e = strip(&a.expr),
                    None => break,
                },
                _ => break,
            }
        }
        self.stmts.iter().any(|s| match s {
            Stmt::Expr(ExprStmt { expr, .. }) => match &**expr {
                Expr::Assign(a) => match &a.left {
                    AssignTarget::Simple(SimpleAssignTarget::Member(m)) => {
                        root_name(&m.obj).is_some_and(|r| names.contains(&r))
                    }
                    _ => false,
                },
                _ => false,
            },
            _ => false,
        })
    }

    fn value(&self, e: &Expr) -> ConfigValue {
        let stripped = strip(e);
        let kind = match stripped {
            Expr::Lit(Lit::Bool(b)) => ConfigValueKind::Bool(b.value),
            Expr::Lit(Lit::Str(s)) => ConfigValueKind::Str(s.value.to_string_lossy().into_owned()),
            _ => match crate::extract::const_number(stripped) {
                Some(n) => ConfigValueKind::Number(n),
                None => match stripped {
                    Expr::Ident(i) => match self.init_of(&i.sym) {
                        Some(init) if !matches!(strip(init), Expr::Ident(_)) => {
                            return ConfigValue {
                                range: range(e.span()),
                                kind: self.value(init).kind,
                            }
                        }
                        _ => ConfigValueKind::Other,
                    },
                    _ => ConfigValueKind::Other,
                },
            },
        };
        ConfigValue {
            range: range(e.span()),
            kind,
        }
    }
}

use swc_common::Spanned;

fn root_name(e: &Expr) -> Option<String> {
    match strip(e) {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(m) => root_name(&m.obj),
        _ => None,
    }
}

fn key_name(key: &PropName) -> Option<String> {
    match key {
        PropName::Ident(i) => Some(i.sym.to_string()),
        PropName::Str(s) => Some(s.value.to_string_lossy().into_owned()),
        PropName::Num(n) => Some(n.value.to_string()),
        _ => None,
    }
}

/// A property of an object literal: Some(Some(value)) when set, Some(None) when absent, None
/// when a spread or computed key could set it.
fn property<'a>(o: &'a ObjectLit, name: &str) -> Option<Option<(&'a PropName, &'a Expr)>> {
    let mut found = None;
    let mut open = false;
    for p in &o.props {
        match p {
            PropOrSpread::Spread(_) => open = true,
            PropOrSpread::Prop(p) => match &**p {
                Prop::KeyValue(kv) => match key_name(&kv.key) {
                    Some(k) if k == name => found = Some((&kv.key, &*kv.value)),
                    Some(_) => {}
                    None => open = true,
                },
                Prop::Shorthand(i) if &*i.sym == name => return None, // a variable: resolve below
                _ => {}
            },
        }
    }
    match (found, open) {
        (Some(f), _) => Some(Some(f)),
        (None, true) => None,
        (None, false) => Some(None),
    }
}

fn in_object<'a>(object: &'a ObjectLit, name: &str) -> Setting<&'a Expr> {
    match property(object, name) {
        Some(Some((_, e))) => Setting::Set(e),
        Some(None) => Setting::Unset,
        None => Setting::Unreadable,
    }
}

fn read_object(scope: &Scope, config: &ObjectLit) -> NextConfig {
    let experimental: Setting<&ObjectLit> = match in_object(config, "experimental") {
        Setting::Set(e) => scope.object(e, 0).map_or(Setting::Unreadable, Setting::Set),
        Setting::Unset => Setting::Unset,
        Setting::Unreadable => Setting::Unreadable,
    };
    let in_experimental = |name: &str| match &experimental {
        Setting::Set(o) => in_object(o, name),
        Setting::Unset => Setting::Unset,
        Setting::Unreadable => Setting::Unreadable,
    };
    // Next 16 reads these at the top level, 15 under `experimental`: either counts.
    let setting_in = |name: &str| -> Setting<&Expr> {
        let nested = in_experimental(name);
        match (in_object(config, name), nested) {
            (Setting::Set(e), _) | (_, Setting::Set(e)) => Setting::Set(e),
            (Setting::Unset, Setting::Unset) => Setting::Unset,
            _ => Setting::Unreadable,
        }
    };
    NextConfig {
        cache_components: any_flag(scope, &|name| in_object(config, name), &["cacheComponents"]),
        experimental_cache_components: any_flag(
            scope,
            &|name| in_experimental(name),
            &["cacheComponents", "dynamicIO"],
        ),
        experimental_use_cache: any_flag(scope, &|name| in_experimental(name), &["useCache"]),
        cache_life: match setting_in("cacheLife") {
            Setting::Set(e) => match scope.object(e, 0) {
                Some(o) => profiles(scope, o),
                None => Setting::Unreadable,
            },
            Setting::Unset => Setting::Unset,
            Setting::Unreadable => Setting::Unreadable,
        },
        cache_handlers: keys_of(scope, setting_in("cacheHandlers")),
        env: keys_of(scope, in_object(config, "env")),
    }
}

/// True when one is, else unreadable when one is, else false.
fn any_of(settings: &[&Setting<bool>]) -> Setting<bool> {
    if settings.contains(&&Setting::Set(true)) {
        Setting::Set(true)
    } else if settings.contains(&&Setting::Unreadable) {
        Setting::Unreadable
    } else {
        Setting::Set(false)
    }
}

/// Whether any of `flags` is `true` where `setting_in` looks.
fn any_flag<'a>(
    scope: &Scope,
    setting_in: &dyn Fn(&str) -> Setting<&'a Expr>,
    flags: &[&str],
) -> Setting<bool> {
    let mut unreadable = false;
    for flag in flags {
        match setting_in(flag) {
            Setting::Set(e) => match scope.value(e).kind {
                ConfigValueKind::Bool(true) => return Setting::Set(true),
                ConfigValueKind::Bool(false) => {}
                _ => unreadable = true,
            },
            Setting::Unset => {}
            Setting::Unreadable => unreadable = true,
        }
    }
    if unreadable {
        Setting::Unreadable
    } else {
        Setting::Set(false)
    }
}

fn keys_of(scope: &Scope, setting: Setting<&Expr>) -> Setting<Vec<String>> {
    match setting {
        Setting::Set(e) => match scope.object(e, 0) {
            Some(o) if o.props.iter().all(|p| matches!(p, PropOrSpread::Prop(_))) => {
                let keys: Option<Vec<String>> = o
                    .props
                    .iter()
                    .map(|p| match p {
                        PropOrSpread::Prop(p) => match &**p {
                            Prop::KeyValue(kv) => key_name(&kv.key),
                            Prop::Shorthand(i) => Some(i.sym.to_string()),
                            Prop::Method(m) => key_name(&m.key),
                            _ => None,
                        },
                        PropOrSpread::Spread(_) => None,
                    })
                    .collect();
                keys.map_or(Setting::Unreadable, Setting::Set)
            }
            _ => Setting::Unreadable,
        },
        Setting::Unset => Setting::Unset,
        Setting::Unreadable => Setting::Unreadable,
    }
}

fn profiles(scope: &Scope, o: &ObjectLit) -> Setting<Vec<ConfigProfile>> {
    let mut out = Vec::new();
    for p in &o.props {
        let PropOrSpread::Prop(p) = p else {
            return Setting::Unreadable;
        };
        let (name, value) = match &**p {
            Prop::KeyValue(kv) => match key_name(&kv.key) {
                Some(name) => (name, &*kv.value),
                None => return Setting::Unreadable,
            },
            _ => return Setting::Unreadable,
        };
        let mut profile = ConfigProfile {
            name,
            fields: Vec::new(),
            unreadable: false,
        };
        match scope.object(value, 0) {
            Some(body) => {
                for field in &body.props {
                    match field {
                        PropOrSpread::Prop(f) => match &**f {
                            Prop::KeyValue(kv) => match key_name(&kv.key) {
                                Some(key) => profile.fields.push((key, scope.value(&kv.value))),
                                None => profile.unreadable = true,
                            },
                            _ => profile.unreadable = true,
                        },
                        PropOrSpread::Spread(_) => profile.unreadable = true,
                    }
                }
            }
            None => profile.unreadable = true,
        }
        out.push(profile);
    }
    Setting::Set(out)
}
