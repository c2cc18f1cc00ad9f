//! What seam knows about packages (auth libraries, database clients, server SDKs, which calls
//! are sensitive operations), in one data table: `data/packages.json`. Facts stay neutral;
//! rules ask this table, never lists of their own.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

/// What a package is, for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// An auth library: its presence means the project has an auth system.
    Auth,
    /// Calls on its clients are sensitive operations (databases, payments, email).
    Operations,
    /// A database driver or client: a connection string or socket in the browser.
    Database,
    /// An SDK used with a secret key, or a native module that only builds for Node.
    ServerSdk,
    /// A database client that talks HTTP (fetch): it runs in a browser, with the database's
    /// credentials in the bundle.
    FetchClient,
    /// Its calls named in `costlyMethods` spend money per call (email, SMS, LLMs, paid APIs).
    Costly,
    /// A rate-limiting library: any call to it limits the caller.
    RateLimiter,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageTable {
    /// By package name (or, for a server-only entry point, its specifier).
    packages: HashMap<String, Vec<Role>>,
    /// Exports of `operations` packages that only build a client (`PrismaClient`, `drizzle`).
    client_factories: Vec<String>,
    /// drizzle-orm entry points that open a connection (`drizzle-orm/<driver>`).
    drizzle_drivers: Vec<String>,
    /// Method or export names of `costly` packages that spend (building a client does not).
    costly_methods: Vec<String>,
    /// Modules a React Server Component module may not import, with what to do instead.
    client_only_modules: HashMap<String, String>,
    /// Named exports a React Server Component module may not import, by module.
    client_only_apis: HashMap<String, serde_json::Value>,
}

/// The table, parsed once.
pub fn table() -> &'static PackageTable {
    static TABLE: OnceLock<PackageTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str(include_str!("../data/packages.json"))
            .expect("data/packages.json is valid (a test checks it)")
    })
}

impl PackageTable {
    /// Whether the package (or specifier) `name` has `role`.
    pub fn has(&self, name: &str, role: Role) -> bool {
        self.packages
            .get(name)
            .is_some_and(|roles| roles.contains(&role))
    }

    pub fn is_client_factory(&self, export: &str) -> bool {
        self.client_factories.iter().any(|f| f == export)
    }

    pub fn is_drizzle_driver(&self, entry: &str) -> bool {
        self.drizzle_drivers.iter().any(|d| d == entry)
    }

    /// Whether calling `method` on a `costly` package's export or client spends money.
    pub fn is_costly_method(&self, method: &str) -> bool {
        self.costly_methods.iter().any(|m| m == method)
    }

    /// Why `specifier` may not be imported by a Server Component, if it may not.
    pub fn client_only_module(&self, specifier: &str) -> Option<&str> {
        self.client_only_modules
            .get(specifier)
            .filter(|_| specifier != "$comment")
            .map(String::as_str)
    }

    /// Whether `name` of `module` only works in Client Components.
    pub fn is_client_only_api(&self, module: &str, name: &str) -> bool {
        self.client_only_apis
            .get(module)
            .and_then(|names| names.as_array())
            .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_every_entry_says_what_it_is() {
        let table = table();
        assert!(table.packages.len() > 40);
        assert!(table.packages.values().all(|roles| !roles.is_empty()));
        assert!(table.has("next-auth", Role::Auth));
        assert!(table.has("pg", Role::Database) && table.has("pg", Role::Operations));
        assert!(table.has("stripe", Role::ServerSdk));
        assert!(!table.has("react", Role::Operations));
        assert!(table.is_client_factory("PrismaClient"));
        assert!(table.is_drizzle_driver("postgres-js"));
        assert!(table.client_only_module("next/router").is_some());
        assert!(table.client_only_module("$comment").is_none());
        assert!(table.is_client_only_api("react", "useState"));
        assert!(table.has("resend", Role::Costly) && table.is_costly_method("send"));
        assert!(table.has("@upstash/ratelimit", Role::RateLimiter));
        assert!(!table.is_client_only_api("react", "useId"));
        assert!(!table.is_client_only_api("$comment", "useState"));
        assert!(table.has("@upstash/redis", Role::FetchClient));
        assert!(table.has("@upstash/redis", Role::Database));
        // Each package once: a second entry would silently replace the first.
        let text = include_str!("../data/packages.json");
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let keys = json["packages"].as_object().unwrap().len();
        let packages_block = text
            .lines()
            .skip_while(|l| !l.starts_with("  \"packages\""))
            .take_while(|l| !l.starts_with("  }"));
        let lines = packages_block.filter(|l| l.starts_with("    \"")).count();
        assert_eq!(keys, lines, "a package is listed twice");
    }
}
