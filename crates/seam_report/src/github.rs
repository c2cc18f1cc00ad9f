//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

use std::path::Path;

use seam_diagnostics::Severity;
use seam_linter::FileResult;

use crate::for_each_located;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(results: &[FileResult], cwd: &Path) -> String {
    let mut out = String::new();
    for_each_located(results, cwd, |l| {
        let d = l.diagnostic;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\n\n");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&l.file),
            l.start.line,
            l.start.column,
            l.end.line,
            l.end.column,
            escape_property(&format!("seam({})", d.rule)),
            escape_data(&message)
        ));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
