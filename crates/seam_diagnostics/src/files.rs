//! Reading the small files seam reads besides sources (package.json, lockfiles, next.config,
//! seam.json): only regular files, and only up to a size, so a repository cannot make seam
//! wait on a FIFO or read `/dev/zero` through a link.

use std::io::Read;
use std::path::Path;

/// A path as seam shows it, with forward slashes. Only Windows separates with `\\`; elsewhere
/// a backslash is part of a file's name and stays.
pub fn slashed(path: &Path) -> String {
    let text = path.to_string_lossy();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// Package manifests, configs and lockfiles above this are not read.
pub const CONFIG_FILE_LIMIT: u64 = 64 << 20;

/// The text of a regular file no larger than `limit` bytes; Err says why not (missing, not a
/// regular file, too large, not UTF-8, unreadable).
pub fn read_text_bounded(path: &Path, limit: u64) -> Result<String, String> {
    // Before opening (opening a FIFO waits for a writer), and again on what was opened. A link
    // is judged by its target.
    if !std::fs::metadata(path)
        .map_err(|e| e.to_string())?
        .is_file()
    {
        return Err("not a regular file; not read".into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file; not read".into());
    }
    if meta.len() > limit {
        return Err(format!("larger than {} MB; not read", limit >> 20));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {} MB; not read", limit >> 20));
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8; not read".into())
}

/// `read_text_bounded` for JSON (with comments): also refused when nested deeper than
/// `MAX_JSON_DEPTH`.
pub fn read_json_bounded(path: &Path) -> Result<String, String> {
    let text = read_text_bounded(path, CONFIG_FILE_LIMIT)?;
    check_json_depth(&text)?;
    Ok(text)
}

/// JSON (with comments) nested deeper than this is refused before parsing: parsers recurse
/// once per level, and real configs stay far below.
pub const MAX_JSON_DEPTH: usize = 256;

/// Err when `text` (JSON or JSONC) nests arrays and objects deeper than `MAX_JSON_DEPTH`,
/// counting brackets outside strings and comments in one pass.
pub fn check_json_depth(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(format!(
                        "nested deeper than {MAX_JSON_DEPTH} levels; not read"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn deep_json_is_refused_before_parsing() {
        let deep = "[".repeat(20_000) + &"]".repeat(20_000);
        assert!(check_json_depth(&deep).is_err());
        let fine = r#"{ "a": [1, { "b": "[[[[" }], /* { { */ "c": {} } // ]]"#;
        assert!(check_json_depth(fine).is_ok());
    }

    #[test]
    fn only_small_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("package.json");
        std::fs::write(&small, "{}").unwrap();
        assert_eq!(read_text_bounded(&small, 10).unwrap(), "{}");
        assert!(read_text_bounded(&small, 1).unwrap_err().contains("larger"));
        let zero = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(read_text_bounded(&zero, 10)
            .unwrap_err()
            .contains("regular"));
        assert!(read_text_bounded(dir.path(), 10).is_err());
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(read_text_bounded(&fifo, 10)
                .unwrap_err()
                .contains("regular"));
        }
    }
}
