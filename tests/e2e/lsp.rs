//! `seam lsp` as a process, spoken to in JSON-RPC over its standard input and output.

use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::project;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Client {
    fn start(root: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_seam"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("seam lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(frame) = seam_lsp::read_frame(&mut reader) {
                let body = frame.expect("the server writes well-formed headers");
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let uri = uri(root);
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": {},
                "initializationOptions": { "debounceMs": 20 }
            }),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "seam");
        client.notify("initialized", json!({}));
        client
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let body = json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string();
        self.send_raw(&body);
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body =
            json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string();
        self.send_raw(&body);
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    fn wait_for(&mut self, mut matches: impl FnMut(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(20))
                .expect("the server answers within 20 s");
            if matches(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, root: &Path, path: &str) -> String {
        let uri = uri(&root.join(path));
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "typescriptreact", "version": 1, "text": text } }),
        );
        uri
    }

    fn shutdown(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn rules(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn app() -> tempfile::TempDir {
    project(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "16.2.4" } }"#,
        ),
        (
            "tsconfig.json",
            r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }"#,
        ),
        (
            "app/widget.tsx",
            "'use client';\nimport { label } from '@/lib/a';\n\nexport function Widget() {\n  const name = 'héllo 😀';\n  return <p>{label}{name}</p>;\n}\n",
        ),
        ("lib/a.ts", "export { label } from './b';\n"),
        ("lib/b.ts", "export const label = 'hello';\n"),
        (
            "app/actions.ts",
            "'use server';\n\nimport { revalidatePath } from 'next/cache';\n\nexport async function save() {\n  revalidatePath('/posts');\n  revalidatePath('/posts');\n  return { ok: true };\n}\n",
        ),
    ])
}

#[test]
fn diagnostics_follow_an_edit_two_imports_away_and_fixes_apply() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let widget = client.open(&root, "app/widget.tsx");
    assert!(client.diagnostics(&widget).is_empty());

    // Open the module the component reaches through a barrel and make it server-only, unsaved.
    let b = client.open(&root, "lib/b.ts");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": b, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "text": "import 'server-only';\n"
            }]
        }),
    );
    let found = loop {
        let d = client.diagnostics(&widget);
        if !d.is_empty() {
            break d;
        }
    };
    assert_eq!(rules(&found), ["server-import-in-client"]);
    // Reported at the import in line 2 (0-based 1).
    assert_eq!(found[0]["range"]["start"]["line"], 1);

    // Hover on the finding shows the rule's page.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": widget }, "position": { "line": 1, "character": 10 } }),
    );
    let page = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(page.starts_with("# server-import-in-client"), "{page}");

    // Code actions: disable for the line and for the file.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": widget },
            "range": found[0]["range"],
            "context": { "diagnostics": found }
        }),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Disable server-import-in-client for this line"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable server-import-in-client for this file"),
        "{titles:?}"
    );
    let line = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Disable server-import-in-client for this line")
        .unwrap();
    let edit = &line["edit"]["changes"][widget.as_str()][0];
    assert_eq!(
        edit["newText"],
        "// seam-disable-next-line server-import-in-client\n"
    );
    assert_eq!(edit["range"]["start"]["line"], 1);

    // A quick fix and fix-all in the actions file.
    let actions_uri = client.open(&root, "app/actions.ts");
    let found = client.diagnostics(&actions_uri);
    assert_eq!(rules(&found), ["revalidate-path-overuse"]);
    let fixes = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": actions_uri },
            "range": found[0]["range"],
            "context": { "diagnostics": found, "only": ["quickfix"] }
        }),
    );
    let fix = &fixes["result"][0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true, "{fix}");
    let all = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": actions_uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [], "only": ["source.fixAll.seam"] }
        }),
    );
    let whole = all["result"][0]["edit"]["changes"][actions_uri.as_str()][0]["newText"]
        .as_str()
        .unwrap();
    assert_eq!(
        whole.matches("revalidatePath('/posts')").count(),
        1,
        "{whole}"
    );
    client.shutdown();
}

#[test]
fn positions_are_utf16_and_unknown_methods_get_errors() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    std::fs::write(
        root.join("app/env.tsx"),
        "'use client';\nconst s = '😀é'; const k = process.env.STRIPE_SECRET_KEY;\nexport const x = [s, k];\n",
    )
    .unwrap();
    let mut client = Client::start(&root);
    let env = client.open(&root, "app/env.tsx");
    let found = client.diagnostics(&env);
    assert_eq!(rules(&found), ["server-env-in-client"]);
    // `process` starts after `const s = '😀é'; const k = `: 27 UTF-16 units (the emoji is 2),
    // where characters would say 26 and bytes 31.
    assert_eq!(
        found[0]["range"]["start"],
        json!({ "line": 1, "character": 27 })
    );

    // Malformed input gets JSON-RPC errors and the session goes on.
    client.send_raw("{this is not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert!(parse_error["id"].is_null());
    client.send_raw(r#"{"jsonrpc":"2.0","id":99,"params":{}}"#);
    let invalid = client.wait_for(|m| m["id"] == 99);
    assert_eq!(invalid["error"]["code"], -32600);
    let unknown = client.request("seam/doesNotExist", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // The server still serves after that.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": env }, "position": { "line": 1, "character": 30 } }),
    );
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("# server-env-in-client"));
    client.shutdown();
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}
