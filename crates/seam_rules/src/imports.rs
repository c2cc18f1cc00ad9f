//! Edits that import a named binding for a fix, in the file's own style.

use seam_diagnostics::Edit;
use seam_syntax::{ImportKind, Imported};

use crate::FileContext;

/// The local name under which `names` (any of them) from `module` is imported, and the edit
/// that imports it when the file does not yet. `specifier` is what goes between the braces
/// (`unstable_cacheLife as cacheLife`); `local` is the name the fix then calls. None when `local`
/// is taken by another binding of the module.
pub fn ensure_named_import(
    ctx: &FileContext,
    module: &str,
    names: &[&str],
    specifier: &str,
    local: &str,
) -> Option<(String, Option<Edit>)> {
    let facts = ctx.facts;
    for import in facts
        .imports
        .iter()
        .filter(|i| i.kind == ImportKind::Static && !i.type_only && i.specifier == module)
    {
        for name in &import.names {
            if matches!(&name.imported, Imported::Named(n) if names.contains(&n.as_str()))
                && !name.type_only
            {
                return Some((name.local.to_string(), None));
            }
        }
    }
    // The name is taken (`import { other as cacheLife }`, `const cacheLife = ...`): importing it
    // again would not parse as a module, and a call would reach the other binding. No fix.
    let taken = facts.binding(local).is_some()
        || facts
            .imports
            .iter()
            .any(|i| i.names.iter().any(|n| n.local == local));
    if taken {
        return None;
    }
    let existing = facts.imports.iter().find(|i| {
        i.kind == ImportKind::Static
            && !i.type_only
            && i.specifier == module
            && !i.names.is_empty()
            && i.names
                .iter()
                .all(|n| matches!(n.imported, Imported::Named(_)))
    });
    if let Some(import) = existing {
        let last = import
            .names
            .iter()
            .map(|n| n.range.end)
            .max()
            .unwrap_or(import.range.start);
        return Some((
            local.to_string(),
            Some(Edit::insert(last, format!(", {specifier}"))),
        ));
    }
    let nl = ctx.newline();
    let line = format!("import {{ {specifier} }} from '{module}';");
    let last_import = facts
        .imports
        .iter()
        .filter(|i| matches!(i.kind, ImportKind::Static | ImportKind::SideEffect))
        .map(|i| i.range.end)
        .max();
    let after_directives = facts.directives.iter().map(|d| d.range.end).max();
    let edit = match last_import.or(after_directives) {
        Some(at) => Edit::insert(at, format!("{nl}{line}")),
        None => Edit::insert(0, format!("{line}{nl}")),
    };
    Some((local.to_string(), Some(edit)))
}
