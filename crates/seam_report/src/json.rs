//! `--format json`: the stable machine-readable shape integrations depend on.

use std::path::Path;

use seam_diagnostics::Applicability;
use seam_linter::{FileResult, Summary};
use serde_json::{json, Value};

use crate::{display_path, for_each_located};

pub fn json_report(results: &[FileResult], summary: &Summary, cwd: &Path) -> String {
    let mut diagnostics = Vec::new();
    for_each_located(results, cwd, |l| {
        let d = l.diagnostic;
        let fix = d.fix.as_ref().map(|fix| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| {
                    let start = l.index.line_col(l.source, e.range.start);
                    let end = l.index.line_col(l.source, e.range.end);
                    json!({
                        "line": start.line, "column": start.column,
                        "endLine": end.line, "endColumn": end.column,
                        "start": e.range.start, "end": e.range.end,
                        "content": e.replacement,
                    })
                })
                .collect();
            json!({
                "applicability": match fix.applicability { Applicability::Safe => "safe", Applicability::Unsafe => "unsafe" },
                "message": fix.message,
                "edits": edits,
            })
        });
        let related: Vec<Value> = d
            .related
            .iter()
            .map(|r| {
                let (file, at) = match &r.file {
                    Some(other) => (display_path(other, cwd), r.position),
                    None => (
                        l.file.clone(),
                        Some(l.index.line_col(l.source, r.range.start)),
                    ),
                };
                json!({
                    "file": file,
                    "line": at.map(|a| a.line),
                    "column": at.map(|a| a.column),
                    "message": r.message,
                })
            })
            .collect();
        diagnostics.push(json!({
            "rule": d.rule,
            "severity": d.severity.as_str(),
            "file": l.file,
            "line": l.start.line,
            "column": l.start.column,
            "endLine": l.end.line,
            "endColumn": l.end.column,
            "message": d.message,
            "help": d.help,
            "fix": fix,
            "related": related,
        }));
    });
    let report = json!({
        "diagnostics": diagnostics,
        "summary": {
            "files": summary.files,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "fixable": summary.fixable,
        }
    });
    let mut text = serde_json::to_string_pretty(&report).expect("serializable");
    text.push('\n');
    text
}
