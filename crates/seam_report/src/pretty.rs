//! `--format pretty`: miette code frames, the way a person reads findings in a terminal.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};
use seam_diagnostics::Severity;
use seam_linter::{FileResult, Summary};

use crate::display_path;
use crate::{for_each_located, summary_line, ReportOptions};

pub fn render(results: &[FileResult], summary: &Summary, options: &ReportOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let mut out = String::new();
    for_each_located(results, &options.cwd, |l| {
        let d = l.diagnostic;
        let span = |r: seam_diagnostics::TextRange| (r.start as usize, r.len() as usize);
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, span(d.range))];
        labels.extend(
            d.related
                .iter()
                .filter(|r| r.file.is_none())
                .map(|r| LabeledSpan::new_with_span(Some(r.message.clone()), span(r.range))),
        );
        let mut diagnostic = MietteDiagnostic::new(d.message.clone())
            .with_code(format!("seam({})", d.rule))
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            })
            .with_labels(labels);
        let mut help = d.help.clone().unwrap_or_default();
        for r in d.related.iter().filter(|r| r.file.is_some()) {
            let file = display_path(r.file.as_deref().expect("filtered"), &options.cwd);
            let at = r
                .position
                .map(|p| format!(":{}:{}", p.line, p.column))
                .unwrap_or_default();
            help.push_str(&format!("\n  {file}{at}: {}", r.message));
        }
        if let Some(fix) = &d.fix {
            let kind = match fix.applicability {
                seam_diagnostics::Applicability::Safe => "safe fix",
                seam_diagnostics::Applicability::Unsafe => "unsafe fix",
            };
            help.push_str(&format!("\n{kind}: {}", fix.message));
        }
        if !help.is_empty() {
            diagnostic = diagnostic.with_help(help.trim().to_string());
        }
        let report = Report::new(diagnostic)
            .with_source_code(NamedSource::new(l.file.clone(), l.source.to_string()));
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    });
    out.push_str(&summary_line(summary, options.unsafe_fixes));
    out
}
