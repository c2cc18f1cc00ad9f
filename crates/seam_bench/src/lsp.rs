//! `seam-bench lsp`: the language server's latency and memory. It starts `seam lsp` on a
//! generated monorepo, opens a client component and a data module the component's helpers reach,
//! and edits the module again and again (unsaved, alternating two texts). For each edit it times
//! `didChange` → the `publishDiagnostics` of the edited version, less the server's debounce, and
//! reads the server's resident memory after the first edit and after the last.

use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct LspReport {
    pub files: usize,
    pub edits: usize,
    pub debounce_ms: u64,
    pub p50: Duration,
    pub p95: Duration,
    pub max: Duration,
    pub rss_first_kb: u64,
    pub rss_last_kb: u64,
}

pub fn run(
    seam: &Path,
    root: &Path,
    files: usize,
    edits: usize,
    debounce_ms: u64,
    watcher: bool,
) -> Result<LspReport, String> {
    let mut child = Command::new(seam)
        .arg("lsp")
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start seam lsp: {e}"))?;
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("stdin");
    let messages = reader(child.stdout.take().expect("stdout"));
    let uri = |p: &Path| format!("file://{}", p.display());
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": uri(root), "capabilities": { "workspace": {
            "didChangeWatchedFiles": { "dynamicRegistration": watcher } } },
        "initializationOptions": { "debounceMs": debounce_ms } } }),
    )?;
    wait(&messages, |m| m["id"] == 1)?;
    send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    )?;

    let component = root.join("apps/web/src/components/f1/form.tsx");
    let module = root.join("apps/web/src/lib/f1/format.ts");
    for (path, version) in [(&component, 1), (&module, 1)] {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        send(
            &mut stdin,
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri(path), "languageId": "typescript", "version": version, "text": text } } }),
        )?;
    }
    let module_uri = uri(&module);
    wait(&messages, |m| is_diagnostics_of(m, &module_uri, None))?;

    let original = std::fs::read_to_string(&module).map_err(|e| e.to_string())?;
    let mut latencies = Vec::with_capacity(edits);
    let mut rss_first_kb = 0;
    for edit in 0..edits {
        let version = edit as i64 + 2;
        let text = if edit % 2 == 0 {
            format!("{original}\nexport const edited{edit} = {edit};\n")
        } else {
            original.clone()
        };
        let started = Instant::now();
        send(
            &mut stdin,
            &json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": module_uri, "version": version },
            "contentChanges": [{ "text": text }] } }),
        )?;
        wait(&messages, |m| {
            is_diagnostics_of(m, &module_uri, Some(version))
        })?;
        latencies.push(
            started
                .elapsed()
                .saturating_sub(Duration::from_millis(debounce_ms)),
        );
        if edit == 0 {
            rss_first_kb = resident_kb(pid);
        }
    }
    let rss_last_kb = resident_kb(pid);
    let _ = send(
        &mut stdin,
        &json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
    );
    let _ = wait(&messages, |m| m["id"] == 2);
    let _ = send(&mut stdin, &json!({ "jsonrpc": "2.0", "method": "exit" }));
    let _ = child.wait();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    Ok(LspReport {
        files,
        edits,
        debounce_ms,
        p50: at(0.5),
        p95: at(0.95),
        max: *latencies.last().unwrap_or(&Duration::ZERO),
        rss_first_kb,
        rss_last_kb,
    })
}

fn is_diagnostics_of(message: &Value, uri: &str, version: Option<i64>) -> bool {
    message["method"] == "textDocument/publishDiagnostics"
        && message["params"]["uri"] == uri
        && version.is_none_or(|v| message["params"]["version"] == v)
}

fn resident_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn send(stdin: &mut ChildStdin, message: &Value) -> Result<(), String> {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
        .and_then(|_| stdin.flush())
        .map_err(|e| format!("the server stopped reading: {e}"))
}

fn wait(messages: &Receiver<Value>, matches: impl Fn(&Value) -> bool) -> Result<Value, String> {
    loop {
        let message = messages
            .recv_timeout(Duration::from_secs(60))
            .map_err(|_| "no answer from seam lsp within 60 s".to_string())?;
        if matches(&message) {
            return Ok(message);
        }
    }
}

fn reader(stdout: std::process::ChildStdout) -> Receiver<Value> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut input = BufReader::new(stdout);
        while let Some(Some(body)) = seam_lsp::read_frame(&mut input) {
            let Ok(value) = serde_json::from_slice(&body) else {
                return;
            };
            if sender.send(value).is_err() {
                return;
            }
        }
    });
    receiver
}
