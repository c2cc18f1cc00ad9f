use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn demo_app() -> PathBuf {
    repo_root().join("tests/fixtures/demo-app")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

pub fn seam(cwd: &Path, args: &[&str]) -> Run {
    seam_with_stdin(cwd, args, None)
}

pub fn seam_with_stdin(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seam"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("seam runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A temporary project built from (path, content) pairs.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    dir
}

/// (file, line) -> sorted rule names, from `seam check --format json` output.
pub fn findings(json: &serde_json::Value) -> BTreeMap<(String, u64), Vec<String>> {
    let mut out: BTreeMap<(String, u64), Vec<String>> = BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        out.entry((
            d["file"].as_str().unwrap().to_string(),
            d["line"].as_u64().unwrap(),
        ))
        .or_default()
        .push(d["rule"].as_str().unwrap().to_string());
    }
    out.values_mut().for_each(|v| v.sort());
    out
}

/// (file, line) -> rule names from `expect: rule` comments in every source file under `root`
/// (outside `node_modules`).
pub fn expect_markers(root: &Path) -> BTreeMap<(String, u64), Vec<String>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            // Never into node_modules: a workspace app links its packages there, whose markers
            // would count twice. Symlinks are not followed either.
            if kind.is_dir() {
                if entry.file_name() != "node_modules" {
                    stack.push(path);
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let is_source = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"].contains(&e)
            });
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if !is_source {
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                let Some(pos) = line.find("expect:") else {
                    continue;
                };
                let rest = line[pos + 7..].split("*/").next().unwrap();
                let mut names: Vec<String> = rest
                    .split(',')
                    .map(|s| s.trim().trim_end_matches('}').trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                names.sort();
                out.insert((rel.clone(), i as u64 + 1), names);
            }
        }
    }
    out
}
