//! Shared `settings` keys of seam.json that rules read.

/// A list of module specifiers from settings: `"@acme/db"` matches the package and its
/// subpaths' package name, `"@acme/db/schema"` that entry exactly, `"lib/*"`-style entries
/// every specifier with that prefix.
#[derive(Debug, Default)]
pub struct ModuleList {
    entries: Vec<String>,
}

impl ModuleList {
    pub fn from_settings(settings: &serde_json::Value, key: &str) -> Self {
        Self {
            entries: string_list(settings, &[key]).unwrap_or_default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn matches(&self, specifier: &str) -> bool {
        self.entries.iter().any(|e| match e.strip_suffix('*') {
            Some(prefix) => specifier.starts_with(prefix),
            None => e == specifier || seam_graph::package_name(specifier) == e,
        })
    }
}

/// A list of strings from settings (`settings.auth.functions`, ...), by a path of keys.
pub fn string_list(settings: &serde_json::Value, path: &[&str]) -> Option<Vec<String>> {
    let mut value = settings;
    for key in path {
        value = value.get(key)?;
    }
    Some(
        value
            .as_array()?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_lists_match_packages_entries_and_prefixes() {
        let settings = serde_json::json!({ "x": ["@acme/db", "lib/*", "pg/native"] });
        let list = ModuleList::from_settings(&settings, "x");
        assert!(list.matches("@acme/db"));
        assert!(list.matches("@acme/db/client"));
        assert!(list.matches("lib/secret"));
        assert!(list.matches("pg/native"));
        assert!(!list.matches("pg"));
        assert!(!list.matches("@acme/ui"));
        assert!(!ModuleList::from_settings(&settings, "missing").matches("pg"));
    }
}
