//! Between seam's byte offsets and LSP's positions (lines and UTF-16 code units), and between
//! file paths and `file://` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};
use seam_diagnostics::{LineIndex, TextRange};

/// The LSP position of a byte offset in `text`.
pub fn position(text: &str, index: &LineIndex, offset: u32) -> Position {
    let offset = (offset as usize).min(text.len());
    let line = index.line_of(offset as u32);
    let start = index.line_start(line) as usize;
    let character = text
        .get(start..offset)
        .map_or(0, |prefix| prefix.encode_utf16().count());
    Position::new(line as u32, character as u32)
}

pub fn range(text: &str, index: &LineIndex, range: TextRange) -> Range {
    Range::new(
        position(text, index, range.start),
        position(text, index, range.end),
    )
}

/// The byte offset of an LSP position in `text`, clamped to the text: a position past the end of
/// a line is its end, a line past the last is the end of the text.
pub fn offset(text: &str, index: &LineIndex, at: Position) -> usize {
    let line = at.line as usize;
    if line >= index.line_count() {
        return text.len();
    }
    let start = index.line_start(line) as usize;
    let end = if line + 1 < index.line_count() {
        index.line_start(line + 1) as usize
    } else {
        text.len()
    };
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= at.character as usize || c == '\n' || c == '\r' {
            return start + i;
        }
        units += c.len_utf16();
    }
    end
}

pub fn path_to_uri(path: &Path) -> Uri {
    let mut text = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                text.push(byte as char)
            }
            _ => text.push_str(&format!("%{byte:02X}")),
        }
    }
    Uri::from_str(&text).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` and `file:///x` name the same file.
    let text = text.strip_prefix("localhost").unwrap_or(text);
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' && tail.len() >= 2 {
            if let Ok(decoded) = u8::from_str_radix(std::str::from_utf8(&tail[..2]).ok()?, 16) {
                bytes.push(decoded);
                rest = &tail[2..];
                continue;
            }
        }
        bytes.push(b);
        rest = tail;
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "const a = 'é😀';\nx\n";
        let index = LineIndex::new(text);
        let after_emoji = text.find("';").unwrap() as u32;
        // é is one unit, the emoji two.
        assert_eq!(position(text, &index, after_emoji), Position::new(0, 14));
        assert_eq!(
            offset(text, &index, Position::new(0, 14)),
            after_emoji as usize
        );
        assert_eq!(
            offset(text, &index, Position::new(1, 0)),
            text.find('x').unwrap()
        );
        // Past the end of a line or of the text: clamped.
        assert_eq!(offset(text, &index, Position::new(1, 99)), text.len() - 1);
        assert_eq!(offset(text, &index, Position::new(9, 0)), text.len());
    }

    #[test]
    fn uris_round_trip() {
        let path = Path::new("/tmp/my app/[id]/página.tsx");
        let uri = path_to_uri(path);
        assert!(uri.as_str().starts_with("file:///tmp/my%20app/%5Bid%5D/p"));
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }
}
