//! SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, ...).

use std::path::Path;

use seam_diagnostics::Severity;
use seam_linter::FileResult;
use serde_json::{json, Value};

use crate::for_each_located;

const INFORMATION_URI: &str = "https://github.com/seam-lint/seam";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn sarif_report(results: &[FileResult], cwd: &Path) -> String {
    let rules: Vec<Value> = seam_rules::all()
        .iter()
        .map(|rule| {
            json!({
                "id": rule.name,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.doc, "markdown": rule.doc },
                "helpUri": format!("{INFORMATION_URI}/blob/main/rules/{}.md", rule.name),
                "defaultConfiguration": {
                    "level": level(rule.default_severity),
                    "enabled": rule.enabled_by_default,
                },
            })
        })
        .collect();
    let mut sarif_results = Vec::new();
    for_each_located(results, cwd, |l| {
        let d = l.diagnostic;
        let rule_index = seam_rules::all()
            .iter()
            .position(|r| r.name == d.rule)
            .unwrap_or(0);
        let region = |start: seam_diagnostics::LineCol, end: seam_diagnostics::LineCol| json!({ "startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column });
        let location = |region: Value| json!({ "physicalLocation": { "artifactLocation": { "uri": encode_uri_path(&l.file), "uriBaseId": "%SRCROOT%" }, "region": region } });
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .filter(|(_, r)| r.file.is_none() || r.position.is_some())
            .map(|(i, r)| {
                let mut loc = match (&r.file, r.position) {
                    (Some(file), Some(at)) => {
                        let uri = encode_uri_path(&crate::display_path(file, cwd));
                        json!({ "physicalLocation": { "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" }, "region": { "startLine": at.line, "startColumn": at.column } } })
                    }
                    _ => {
                        let start = l.index.line_col(l.source, r.range.start);
                        let end = l.index.line_col(l.source, r.range.end);
                        location(region(start, end))
                    }
                };
                loc["id"] = json!(i + 1);
                loc["message"] = json!({ "text": r.message });
                loc
            })
            .collect();
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(". ");
            message.push_str(help);
        }
        sarif_results.push(json!({
            "ruleId": d.rule,
            "ruleIndex": rule_index,
            "level": level(d.severity),
            "message": { "text": message },
            "locations": [location(region(l.start, l.end))],
            "relatedLocations": related,
        }));
    });
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "seam",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": file_uri(cwd) } },
            "results": sarif_results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&report).expect("serializable");
    text.push('\n');
    text
}

/// `file:///abs/path/` for the working directory (SARIF wants a trailing slash on base URIs).
fn file_uri(dir: &Path) -> String {
    let mut path = seam_diagnostics::files::slashed(dir);
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    format!("file://{}", encode_uri_path(&path))
}

/// Percent-encodes a path for a URI: Next.js routes contain `[id]`, which URIs do not allow.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~()@!$&'*+,;=:".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn route_segments_are_percent_encoded() {
        assert_eq!(
            super::encode_uri_path("app/projects/[id]/page.tsx"),
            "app/projects/%5Bid%5D/page.tsx"
        );
        assert_eq!(
            super::encode_uri_path("app/(auth)/a b/é.ts"),
            "app/(auth)/a%20b/%C3%A9.ts"
        );
    }
}
