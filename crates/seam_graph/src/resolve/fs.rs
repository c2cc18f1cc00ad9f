//! The file system as module resolution sees it: the real one, except that a `package.json`
//! that is not valid JSON reads as absent. oxc_resolver fails every resolution that passes a
//! broken manifest, relative imports included; Node and bundlers fail only on what needs the
//! manifest. Treating it as absent keeps the graph, and the problem is reported once.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use oxc_resolver::{FileMetadata, FileSystem, FileSystemOs, ResolveError};

/// Config files resolution could not use, with why (shared with `Resolvers`).
pub type Problems = Arc<Mutex<BTreeMap<PathBuf, String>>>;

pub struct SeamFs {
    os: FileSystemOs,
    problems: Problems,
}

impl SeamFs {
    pub fn with_problems(problems: Problems) -> Self {
        Self {
            os: FileSystemOs::new(),
            problems,
        }
    }

    /// The manifest's bytes, or an error (and a problem) when oxc_resolver could not parse them:
    /// its parsers take the bytes with a byte order mark blanked and reject empty input.
    fn checked_manifest(&self, path: &Path, bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
        let problem = if body.iter().all(u8::is_ascii_whitespace) {
            Some("is empty".to_string())
        } else {
            serde_json::from_slice::<serde_json::Value>(body)
                .err()
                .map(|e| format!("is not valid JSON ({e})"))
        };
        let Some(problem) = problem else {
            return Ok(bytes);
        };
        if let Ok(mut problems) = self.problems.lock() {
            problems.insert(
                path.to_path_buf(),
                format!("{problem}; imports are resolved as if it were absent"),
            );
        }
        Err(io::Error::new(io::ErrorKind::InvalidData, problem))
    }
}

/// Only regular files of a sane size are read (a repository may hold a FIFO or a link to
/// `/dev/zero` named package.json or tsconfig.json).
fn checked_config(path: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() || meta.len() > seam_diagnostics::files::CONFIG_FILE_LIMIT {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a regular file of a sane size",
        ));
    }
    Ok(())
}

impl FileSystem for SeamFs {
    fn new() -> Self {
        Self::with_problems(Problems::default())
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        checked_config(path)?;
        let bytes = self.os.read(path)?;
        if path.file_name().is_some_and(|name| name == "package.json") {
            return self.checked_manifest(path, bytes);
        }
        Ok(bytes)
    }

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        checked_config(path)?;
        let text = self.os.read_to_string(path)?;
        if path.extension().is_some_and(|e| e == "json") {
            seam_diagnostics::files::check_json_depth(&text)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        }
        Ok(text)
    }

    fn metadata(&self, path: &Path) -> io::Result<FileMetadata> {
        self.os.metadata(path)
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<FileMetadata> {
        self.os.symlink_metadata(path)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, ResolveError> {
        self.os.read_link(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.os.canonicalize(path)
    }
}
