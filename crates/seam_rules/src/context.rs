use std::path::Path;

use seam_diagnostics::TextRange;
use seam_graph::{ModuleGraph, ModuleId};
use seam_syntax::FileFacts;

use crate::ProjectInfo;

/// Everything a rule may read about one file.
pub struct FileContext<'a> {
    /// Path relative to the project root, used for path-based exemptions.
    pub path: &'a Path,
    pub source: &'a str,
    pub facts: &'a FileFacts,
    pub project: &'a ProjectInfo,
    /// The rule's options from config (`{}` when none).
    pub options: &'a serde_json::Value,
    /// The config's `settings` object (`{}` when none).
    pub settings: &'a serde_json::Value,
    /// The module graph and this file's module in it; None when the file is linted alone.
    /// This file's own facts are `facts` (after fixes, they are newer than the graph's).
    pub graph: Option<(&'a ModuleGraph, ModuleId)>,
}

impl<'a> FileContext<'a> {
    pub fn text(&self, range: TextRange) -> &'a str {
        self.source
            .get(range.start as usize..range.end as usize)
            .unwrap_or("")
    }

    /// The project root on disk: this module's absolute path without its project-relative part
    /// (None without the module graph).
    pub fn project_root(&self) -> Option<std::path::PathBuf> {
        let (graph, module) = self.graph?;
        graph.modules[module]
            .path
            .ancestors()
            .nth(self.path.components().count())
            .map(Path::to_path_buf)
    }

    /// Options of type `T`, or its defaults when config gave none (config was validated at load).
    pub fn options<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        serde_json::from_value(self.options.clone()).unwrap_or_default()
    }

    /// Widens a statement's range to its whole lines when nothing else shares them, so deleting
    /// it leaves no blank line behind.
    pub fn statement_deletion_range(&self, range: TextRange) -> TextRange {
        let bytes = self.source.as_bytes();
        let mut start = range.start as usize;
        while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        let mut end = range.end as usize;
        while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
            end += 1;
        }
        let at_line_start = start == 0 || bytes[start - 1] == b'\n';
        if at_line_start && end < bytes.len() && (bytes[end] == b'\n' || bytes[end] == b'\r') {
            if bytes[end] == b'\r' {
                end += 1;
            }
            if end < bytes.len() && bytes[end] == b'\n' {
                end += 1;
            }
            return TextRange::new(start as u32, end as u32);
        }
        // Something else shares the line (often a trailing comment): take the spaces after the
        // statement so what follows moves into its place.
        TextRange::new(range.start, end as u32)
    }

    /// Where to insert a new line after `offset`: the end of its line when only whitespace or a
    /// line comment follows (so trailing comments stay on their line), else `offset` itself.
    pub fn line_insertion_point(&self, offset: u32) -> u32 {
        let rest = &self.source[offset as usize..];
        let line = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            offset + line.len() as u32
        } else {
            offset
        }
    }

    /// `;` when the statement at `range` ends with one, so inserted statements match the file's style.
    pub fn statement_terminator(&self, range: TextRange) -> &'static str {
        if self.text(range).trim_end().ends_with(';') {
            ";"
        } else {
            ""
        }
    }

    /// The whitespace that starts the line containing `offset`.
    pub fn indentation_at(&self, offset: u32) -> &'a str {
        let line_start = self.source[..offset as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let rest = &self.source[line_start..];
        let len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        &rest[..len]
    }

    /// The file's line terminator, so inserted lines match the rest of the file.
    pub fn newline(&self) -> &'static str {
        if self.source.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }
}
