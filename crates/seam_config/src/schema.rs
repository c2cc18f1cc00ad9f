//! The JSON schema of `seam.json`, generated from the rule registry so it never drifts.
//! Published as `seam.schema.json` at the repository root (a test keeps it in sync).

use serde_json::{json, Map, Value};

pub fn config_schema() -> Value {
    let level = json!({ "type": "string", "enum": ["off", "info", "warn", "error"] });
    let mut rules = Map::new();
    for rule in seam_rules::all() {
        let options = serde_json::to_value((rule.options_schema)()).unwrap_or(json!({}));
        let options = strip_meta(options);
        rules.insert(
            rule.name.to_string(),
            json!({
                "description": rule.summary,
                "oneOf": [
                    level,
                    { "type": "array", "prefixItems": [level, options], "minItems": 1, "maxItems": 2, "items": false }
                ]
            }),
        );
    }
    let rules = json!({ "type": "object", "properties": rules, "additionalProperties": false });
    let globs = json!({ "type": "array", "items": { "type": "string" } });
    let strings = globs.clone();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "seam configuration",
        "description": "Configuration for seam, the Next.js App Router linter. JSON with comments.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "$schema": { "type": "string" },
            "rules": rules,
            "ignore": { "description": "Globs (relative to this file) of files seam never lints.", "allOf": [globs] },
            "overrides": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["files"],
                    "properties": { "files": globs, "rules": rules }
                }
            },
            "settings": {
                "type": "object",
                "description": "Shared settings that rules read.",
                "properties": {
                    "serverOnlyModules": { "description": "More modules that must never reach the client graph (package names, exact specifiers, or prefixes ending in *).", "allOf": [strings] },
                    "clientSafeModules": { "description": "Modules seam lists as server-only that are browser-safe in this project.", "allOf": [strings] },
                    "auth": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "functions": { "description": "Functions that verify the caller, which seam cannot see into.", "allOf": [strings] },
                            "wrappers": { "description": "Wrappers and action clients whose actions are authenticated.", "allOf": [strings] },
                            "publicActions": { "description": "Action names that are public on purpose (camelCase words; `verify*` matches a prefix). Replaces the default list.", "allOf": [strings] }
                        }
                    },
                    "actions": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "wrappers": { "description": "The wrappers every Server Action must be defined through (action-wrapper-convention), e.g. [\"authAction\", \"publicAction\"].", "allOf": [strings] }
                        }
                    }
                }
            }
        }
    })
}

/// Options schemas are embedded, so drop their own `$schema`/`title` keys.
fn strip_meta(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.remove("$schema");
        map.remove("title");
    }
    value
}
