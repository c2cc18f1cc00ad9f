//! `seam-disable-next-line`, `seam-disable-line` and file-level `seam-disable` comments: which
//! diagnostics they silence, and `unused-suppression` for the names that silence nothing.

use seam_diagnostics::{Diagnostic, Edit, Fix, LineIndex, TextRange};
use seam_rules::rules::UNUSED_SUPPRESSION;
use seam_syntax::{CommentFact, FileFacts};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    NextLine,
    Line,
    File,
}

#[derive(Debug)]
struct Suppression {
    scope: Scope,
    /// 0-based line it covers (unused for file scope).
    line: usize,
    names: Vec<(String, TextRange)>,
    comment: TextRange,
}

/// Reads the suppressions of a file from its `seam-` comments.
fn parse(
    comments: &[CommentFact],
    first_statement: Option<u32>,
    index: &LineIndex,
) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for comment in comments {
        // Text starts after `//` or `/*`.
        let text_start = comment.range.start + 2;
        let trimmed = comment.text.trim_start();
        let lead = (comment.text.len() - trimmed.len()) as u32;
        let (scope, keyword) = if trimmed.starts_with("seam-disable-next-line") {
            (Scope::NextLine, "seam-disable-next-line")
        } else if trimmed.starts_with("seam-disable-line") {
            (Scope::Line, "seam-disable-line")
        } else if trimmed.starts_with("seam-disable") {
            (Scope::File, "seam-disable")
        } else {
            continue;
        };
        let after = &trimmed[keyword.len()..];
        if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
            continue; // `seam-disabled`, `seam-disable-foo`: not ours
        }
        let list = after.split("--").next().unwrap_or("");
        let list_start = text_start + lead + keyword.len() as u32;
        let mut names = Vec::new();
        let mut offset = 0usize;
        for part in list.split(',') {
            let name = part.trim();
            if !name.is_empty() {
                let start = list_start + (offset + part.find(name).unwrap_or(0)) as u32;
                names.push((
                    name.to_string(),
                    TextRange::new(start, start + name.len() as u32),
                ));
            }
            offset += part.len() + 1;
        }
        let comment_line = index.line_of(comment.range.start);
        if scope == Scope::File && first_statement.is_some_and(|s| comment.range.start > s) {
            problems.push(
                Diagnostic::new(
                    UNUSED_SUPPRESSION,
                    comment.range,
                    "file-level `seam-disable` must come before the first statement",
                )
                .with_help("Move it to the top of the file, or use `seam-disable-next-line`."),
            );
            continue;
        }
        if names.is_empty() {
            problems.push(
                Diagnostic::new(
                    UNUSED_SUPPRESSION,
                    comment.range,
                    format!("`{keyword}` needs the rules it disables"),
                )
                .with_help(format!("Name them: `{keyword} rule-name -- reason`.")),
            );
            continue;
        }
        let line = match scope {
            Scope::NextLine => index.line_of(comment.range.end) + 1,
            _ => comment_line,
        };
        out.push(Suppression {
            scope,
            line,
            names,
            comment: comment.range,
        });
    }
    (out, problems)
}

/// Drops suppressed diagnostics and reports suppressions (or names in them) that matched none.
/// `known` tells whether a rule name exists; `enabled` whether it ran on this file.
pub fn apply(
    diagnostics: Vec<Diagnostic>,
    facts: &FileFacts,
    source: &str,
    known: impl Fn(&str) -> bool,
    enabled: impl Fn(&str) -> bool,
    suggest: impl Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    if facts.comments.is_empty() {
        return diagnostics;
    }
    let index = &LineIndex::new(source);
    let (suppressions, mut problems) = parse(&facts.comments, facts.first_statement, index);
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.names.len()])
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let line = index.line_of(d.range.start);
        let mut suppressed = false;
        for (si, s) in suppressions.iter().enumerate() {
            if s.scope != Scope::File && s.line != line {
                continue;
            }
            if let Some(ni) = s.names.iter().position(|(n, _)| n == d.rule) {
                used[si][ni] = true;
                suppressed = true;
            }
        }
        if !suppressed {
            kept.push(d);
        }
    }
    for (s, used) in suppressions.iter().zip(&used) {
        let unused: Vec<usize> = (0..s.names.len())
            .filter(|&i| !used[i] && (!known(&s.names[i].0) || enabled(&s.names[i].0)))
            .collect();
        if unused.is_empty() {
            continue;
        }
        let fix = removal_fix(s, &unused, source);
        for &i in &unused {
            let (name, range) = &s.names[i];
            let d = if known(name) {
                Diagnostic::new(
                    UNUSED_SUPPRESSION,
                    *range,
                    format!("unused suppression: `{name}` reports nothing here"),
                )
                .with_help(
                    "Remove it; stale suppressions hide the findings they were never meant to.",
                )
            } else {
                let mut d = Diagnostic::new(
                    UNUSED_SUPPRESSION,
                    *range,
                    format!("unknown rule `{name}` in suppression"),
                );
                d.help = Some(
                    suggest(name).unwrap_or_else(|| "`seam rules` lists the rule names.".into()),
                );
                d
            };
            problems.push(d.with_fix(fix.clone()));
        }
    }
    kept.extend(problems);
    kept
}

/// Removes the unused names, or the whole comment when none is used (with its JSX braces and
/// its line when it stands alone).
fn removal_fix(s: &Suppression, unused: &[usize], source: &str) -> Fix {
    if unused.len() < s.names.len() {
        let edits = unused
            .iter()
            .map(|&i| {
                let range = s.names[i].1;
                // Take the separating comma with it: the one after, or for the last name the one before.
                let after = &source[range.end as usize..];
                let edit =
                    if let Some(pos) = after.find(',').filter(|&p| after[..p].trim().is_empty()) {
                        let ws = after[pos + 1..].len() - after[pos + 1..].trim_start().len();
                        TextRange::new(range.start, range.end + (pos + 1 + ws) as u32)
                    } else {
                        let before = &source[..range.start as usize];
                        let pos = before.rfind(',').unwrap_or(range.start as usize);
                        TextRange::new(pos as u32, range.end)
                    };
                Edit::delete(edit)
            })
            .collect();
        return Fix::safe("Remove the unused rule names", edits);
    }
    let mut range = s.comment;
    let bytes = source.as_bytes();
    // JSX form: `{/* seam-disable-next-line x */}`.
    let before = source[..range.start as usize].trim_end_matches([' ', '\t']);
    let after_start = range.end as usize
        + (source[range.end as usize..].len()
            - source[range.end as usize..]
                .trim_start_matches([' ', '\t'])
                .len());
    if before.ends_with('{') && bytes.get(after_start) == Some(&b'}') {
        range = TextRange::new(before.len() as u32 - 1, after_start as u32 + 1);
    }
    // Alone on its line: remove the line. Trailing after code: remove the comment and the spaces before it.
    let line_start = source[..range.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let only_indent_before = source[line_start..range.start as usize].trim().is_empty();
    let rest = &source[range.end as usize..];
    let line_end = rest
        .find('\n')
        .map_or(source.len(), |i| range.end as usize + i + 1);
    let only_space_after = source[range.end as usize..line_end].trim().is_empty();
    let range = if only_indent_before && only_space_after {
        TextRange::new(line_start as u32, line_end as u32)
    } else {
        let trimmed_start = source[..range.start as usize]
            .trim_end_matches([' ', '\t'])
            .len() as u32;
        TextRange::new(trimmed_start, range.end)
    };
    Fix::safe("Remove the unused suppression", vec![Edit::delete(range)])
}
