//! Shared vocabulary of every stage: byte ranges, diagnostics, fixes, and the
//! line index that turns byte offsets into the 1-based positions users read.

pub mod files;
pub mod panics;

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a file's source text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }
    pub fn empty(at: u32) -> Self {
        Self { start: at, end: at }
    }
    pub fn len(&self) -> u32 {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains_range(&self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, never a failure (exit codes and `--max-warnings` ignore it).
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Whether a fix keeps the program's meaning (safe, applied by `--fix`) or may change
/// it (unsafe, applied only with `--unsafe-fixes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Unsafe,
    Safe,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: TextRange, replacement: impl Into<String>) -> Self {
        Self {
            range,
            replacement: replacement.into(),
        }
    }
    pub fn insert(at: u32, text: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(at), text)
    }
    pub fn delete(range: TextRange) -> Self {
        Self::replace(range, "")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    /// Non-overlapping edits, sorted by start offset.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(
        applicability: Applicability,
        message: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Self {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Self {
            applicability,
            message: message.into(),
            edits,
        }
    }
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Safe, message, edits)
    }
    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Unsafe, message, edits)
    }
    /// The smallest range covering every edit, used to keep overlapping fixes apart.
    pub fn covering_range(&self) -> Option<TextRange> {
        let start = self.edits.iter().map(|e| e.range.start).min()?;
        let end = self.edits.iter().map(|e| e.range.end).max()?;
        Some(TextRange::new(start, end))
    }
}

/// A secondary location, in the same file unless `file` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub file: Option<std::path::PathBuf>,
    pub range: TextRange,
    pub message: String,
    /// Line and column of `range.start` in `file`, computed by whoever read that file (the
    /// reporters only hold the text of the diagnostic's own file).
    #[serde(default)]
    pub position: Option<LineCol>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
    /// The most severe level this finding may be reported at, whatever the rule's configured
    /// severity (a version-dependent judgement: a deprecation that only warns on this version).
    #[serde(default)]
    pub severity_cap: Option<Severity>,
}

impl Diagnostic {
    /// A diagnostic at the rule's default severity; the linter applies the configured one.
    pub fn new(rule: &'static str, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: Severity::Warning,
            range,
            message: message.into(),
            help: None,
            fix: None,
            related: Vec::new(),
            severity_cap: None,
        }
    }
    /// Reported at most at `cap` (see `severity_cap`).
    pub fn at_most(mut self, cap: Severity) -> Self {
        self.severity_cap = Some(cap);
        self
    }
    /// The configured severity, lowered to this finding's cap.
    pub fn configured(mut self, severity: Severity) -> Self {
        self.severity = self.severity_cap.map_or(severity, |cap| severity.min(cap));
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file: None,
            range,
            message: message.into(),
            position: None,
        });
        self
    }
    /// A secondary location in another file, at a known line and column.
    pub fn with_related_in(
        mut self,
        file: std::path::PathBuf,
        range: TextRange,
        position: LineCol,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: Some(file),
            range,
            message: message.into(),
            position: Some(position),
        });
        self
    }
}

/// 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Byte offsets of line starts, built once per file and shared by reporters and fixes.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        Self { line_starts }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = (offset as usize).min(text.len());
        let line = self.line_of(offset as u32);
        let start = self.line_starts[line] as usize;
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        LineCol {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// Range of a 0-based line without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_start(line);
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len() as u32, |n| n - 1);
        if end > start && text.as_bytes().get(end as usize - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé x\r\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        let x = text.find('x').unwrap() as u32;
        assert_eq!(index.line_col(text, x), LineCol { line: 2, column: 4 });
        let z = text.find('z').unwrap() as u32;
        assert_eq!(index.line_col(text, z), LineCol { line: 3, column: 1 });
        assert_eq!(
            &text[index.line_range(text, 1).start as usize..index.line_range(text, 1).end as usize],
            "çé x"
        );
    }

    #[test]
    fn fix_edits_are_sorted_and_covered() {
        let fix = Fix::safe(
            "f",
            vec![Edit::insert(9, "a"), Edit::delete(TextRange::new(2, 4))],
        );
        assert_eq!(fix.edits[0].range.start, 2);
        assert_eq!(fix.covering_range(), Some(TextRange::new(2, 9)));
    }
}
