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
        Self::start_with(root, json!({}))
    }

    fn start_with(root: &Path, capabilities: Value) -> Self {
        Self::start_with_env(root, capabilities, &[])
    }

    fn start_with_env(root: &Path, capabilities: Value, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_seam"))
            .arg("lsp")
            .envs(env.iter().copied())
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
                "capabilities": capabilities,
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

    /// Inserts `text` at the start of `line` (0-based), unsaved, as version `version`.
    fn insert(&mut self, uri: &str, version: i32, line: u32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } },
                    "text": text
                }]
            }),
        );
    }

    /// The edit of the "Disable RULE for this line" action on the first of `found`.
    fn disable_for_this_line(&mut self, uri: &str, found: &[Value]) -> Value {
        let actions = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": found[0]["range"],
                "context": { "diagnostics": found }
            }),
        );
        let title = format!(
            "Disable {} for this line",
            found[0]["code"].as_str().unwrap()
        );
        let action = actions["result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title.as_str())
            .unwrap_or_else(|| panic!("no `{title}` in {actions}"))
            .clone();
        action["edit"]["changes"][uri][0].clone()
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

/// `lib/b.ts` of `app()`, made server-only.
const SERVER_ONLY_B: &str = "import 'server-only';\nexport const label = 'hello';\n";

fn app() -> tempfile::TempDir {
    project(&[
        (
            "package.json",
            r#"{ "dependencies": { "next": "16.4.5" } }"#,
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
    client.insert(&b, 2, 0, "import 'server-only';\n");
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

/// A client that watches files (VS Code) reports changes on disk; the server then trusts every
/// file it was not told about, and must still follow a changed file, a created one and the
/// imports that now reach it.
#[test]
fn changes_on_disk_reported_by_the_client_reach_open_documents() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let watcher =
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let mut client = Client::start_with(&root, watcher);
    client.wait_for(|m| m["method"] == "client/registerCapability");
    let widget = client.open(&root, "app/widget.tsx");
    assert!(client.diagnostics(&widget).is_empty());

    // A module two imports away changes on disk (a git checkout, say).
    std::fs::write(root.join("lib/b.ts"), SERVER_ONLY_B).unwrap();
    let changed = |path: &str, kind: u8| json!({ "changes": [{ "uri": uri(&root.join(path)), "type": kind }] });
    client.notify("workspace/didChangeWatchedFiles", changed("lib/b.ts", 2));
    assert_eq!(
        rules(&client.diagnostics(&widget)),
        ["server-import-in-client"]
    );

    // Back to harmless, then a new file that the barrel starts to re-export.
    std::fs::write(root.join("lib/b.ts"), "export const label = 'hello';\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("lib/b.ts", 2));
    assert!(client.diagnostics(&widget).is_empty());
    std::fs::write(
        root.join("lib/c.ts"),
        "import 'fs';\nexport const more = 1;\n",
    )
    .unwrap();
    std::fs::write(
        root.join("lib/a.ts"),
        "export { label } from './b';\nexport { more } from './c';\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [
            { "uri": uri(&root.join("lib/c.ts")), "type": 1 },
            { "uri": uri(&root.join("lib/a.ts")), "type": 2 },
        ] }),
    );
    assert_eq!(
        rules(&client.diagnostics(&widget)),
        ["server-import-in-client"]
    );
    client.shutdown();
}

/// A client that does not watch files: each check asks the file system whether the files it
/// read before changed, so a change on disk shows with the next edit.
#[test]
fn without_a_file_watcher_changes_on_disk_show_with_the_next_check() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let widget = client.open(&root, "app/widget.tsx");
    assert!(client.diagnostics(&widget).is_empty());
    std::fs::write(root.join("lib/b.ts"), SERVER_ONLY_B).unwrap();
    client.insert(&widget, 2, 6, "// edited\n");
    assert_eq!(
        rules(&client.diagnostics(&widget)),
        ["server-import-in-client"]
    );
    client.shutdown();
}

/// "Disable for this line" among JSX children writes `{/* ... */}` (a `//` there would be text),
/// and the comment it writes silences the finding.
#[test]
fn disable_for_this_line_in_jsx_children_uses_braces_and_works() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let source = "'use client';\nexport function Key() {\n  return (\n    <p>\n      {process.env.STRIPE_SECRET_KEY}\n    </p>\n  );\n}\n";
    std::fs::write(root.join("app/key.tsx"), source).unwrap();
    let mut client = Client::start(&root);
    let key = client.open(&root, "app/key.tsx");
    let found = client.diagnostics(&key);
    assert_eq!(rules(&found), ["server-env-in-client"]);
    let edit = client.disable_for_this_line(&key, &found);
    assert_eq!(
        edit["newText"],
        "      {/* seam-disable-next-line server-env-in-client */}\n"
    );
    assert_eq!(edit["range"]["start"], json!({ "line": 4, "character": 0 }));
    client.insert(&key, 2, 4, edit["newText"].as_str().unwrap());
    assert!(client.diagnostics(&key).is_empty());
    client.shutdown();
}

/// Malformed input, edits past the end, stale versions, 10,000 edits sent without waiting and a
/// rule that panics (the debug-build switch `SEAM_TEST_PANIC_RULE`): the server answers each,
/// keeps the text right and goes on serving.
#[test]
fn under_stress_the_server_answers_and_keeps_serving() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    std::fs::write(
        root.join("app/env.tsx"),
        "'use client';\nconst k = process.env.STRIPE_SECRET_KEY;\nexport const x = k;\n",
    )
    .unwrap();
    let panics = [("SEAM_TEST_PANIC_RULE", "revalidate-path-overuse")];
    let mut client = Client::start_with_env(&root, json!({}), &panics);
    let env = client.open(&root, "app/env.tsx");
    assert_eq!(rules(&client.diagnostics(&env)), ["server-env-in-client"]);

    // The actions file's only rule with findings panics: logged, and the file gets the rest.
    let actions = client.open(&root, "app/actions.ts");
    let log = client.wait_for(|m| m["method"] == "window/logMessage");
    let message = log["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("internal error: rule `revalidate-path-overuse` panicked at"),
        "{message}"
    );
    assert!(client.diagnostics(&actions).is_empty());

    client.send_raw(r#"{"jsonrpc":"2.0","id":7,"method":"#);
    assert_eq!(
        client.wait_for(|m| m["error"]["code"] == -32700)["error"]["code"],
        -32700
    );
    // Past the end: appended. Stale (an older version): ignored.
    client.insert(&env, 2, 999, "export const tail = 1;\n");
    client.insert(&env, 1, 0, "this is not code");
    let last = 10_002;
    for version in 3..=last {
        client.insert(&env, version, 0, "\n");
    }
    let published = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == env
            && m["params"]["version"] == last
    });
    let found = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(rules(found), ["server-env-in-client"]);
    // 10,000 blank lines went in above the finding, and the stale text did not.
    assert_eq!(found[0]["range"]["start"]["line"], 10_000 + 1);
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": env }, "position": found[0]["range"]["start"] }),
    );
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("# server-env-in-client"));
    client.shutdown();
}

/// Code actions parse the document on the server's own thread (to place a JSX suppression):
/// deeply nested code must not overflow its stack.
#[test]
fn code_actions_on_deeply_nested_jsx() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let depth = 6_000;
    let source = format!(
        "'use client';\nexport function Deep() {{\n  return (\n{}\n      {{process.env.STRIPE_SECRET_KEY}}\n{}\n  );\n}}\n",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(root.join("app/deep.tsx"), &source).unwrap();
    let mut client = Client::start(&root);
    let deep = client.open(&root, "app/deep.tsx");
    let found = client.diagnostics(&deep);
    assert_eq!(rules(&found), ["server-env-in-client"]);
    let edit = client.disable_for_this_line(&deep, &found);
    assert_eq!(
        edit["newText"],
        "      {/* seam-disable-next-line server-env-in-client */}\n"
    );
    client.shutdown();
}

/// Without a file watcher, a new file becomes importable when it is first saved: the server
/// walks the workspace again and resolves imports afresh.
#[test]
fn a_new_file_saved_without_a_watcher_is_resolved() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let widget = client.open(&root, "app/widget.tsx");
    assert!(client.diagnostics(&widget).is_empty());
    // The barrel starts re-exporting a module that does not exist yet: unresolved, no finding.
    let a = client.open(&root, "lib/a.ts");
    client.insert(&a, 2, 1, "export { more } from './c';\n");
    assert!(client.diagnostics(&widget).is_empty());
    // Created in the editor, saved.
    let c_path = root.join("lib/c.ts");
    let c_text = "import 'fs';\nexport const more = 1;\n";
    std::fs::write(&c_path, c_text).unwrap();
    let c = uri(&c_path);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": c, "languageId": "typescript", "version": 1, "text": c_text } }),
    );
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": c } }),
    );
    let found = loop {
        let d = client.diagnostics(&widget);
        if !d.is_empty() {
            break d;
        }
    };
    assert_eq!(rules(&found), ["server-import-in-client"]);
    client.shutdown();
}

/// A client that breaks the protocol never ends the session: a request before `initialize` is
/// answered and the server waits; a header that is not UTF-8, an endless header line and a
/// frame that announces more bytes than it sends are skipped, and the next message is read.
#[test]
fn hostile_framing_and_early_requests_never_end_the_session() {
    let app = app();
    let root = app.path().canonicalize().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("lsp")
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, messages) = channel::<Value>();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(Some(body)) = seam_lsp::read_frame(&mut reader) {
            if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        }
    });
    let frame = |stdin: &mut ChildStdin, body: &str| {
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let next = |want: &dyn Fn(&Value) -> bool| loop {
        let m = messages
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s");
        if want(&m) {
            return m;
        }
    };
    frame(
        &mut stdin,
        r#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#,
    );
    assert_eq!(next(&|m| m["id"] == 1)["error"]["code"], -32002);
    stdin.write_all(b"Content-Length: 2\xff\r\n\r\n").unwrap();
    stdin.write_all(&vec![b'x'; 300_000]).unwrap();
    stdin.write_all(b"\r\n\r\n").unwrap();
    let init = json!({ "jsonrpc": "2.0", "id": 2, "method": "initialize",
        "params": { "processId": null, "rootUri": uri(&root), "capabilities": {} } })
    .to_string();
    // Announces five bytes more than it has: it swallows the start of the initialize frame.
    let short = r#"{"jsonrpc":"2.0","method":"$/noise"}"#;
    write!(stdin, "Content-Length: {}\r\n\r\n{short}", short.len() + 5).unwrap();
    frame(&mut stdin, &init);
    let answer = next(&|m| m["id"] == 2);
    assert_eq!(answer["result"]["serverInfo"]["name"], "seam", "{answer}");
    frame(
        &mut stdin,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    );
    frame(
        &mut stdin,
        r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#,
    );
    assert!(next(&|m| m["id"] == 3).get("error").is_none());
    frame(&mut stdin, r#"{"jsonrpc":"2.0","method":"exit"}"#);
    assert!(child.wait().unwrap().success());
}

/// The reverse boundary as you type: a hook added (unsaved) to a component a server page
/// imports is reported in that component, with the page that makes it a Server Component.
#[test]
fn a_hook_added_to_a_server_component_is_reported_as_you_type() {
    let app = project(&[
        ("package.json", r#"{ "dependencies": { "next": "16.4.5" } }"#),
        (
            "app/page.tsx",
            "import { Card } from '../components/card';\n\nexport default function Page() {\n  return <Card />;\n}\n",
        ),
        (
            "components/card.tsx",
            "export function Card() {\n  return <p>card</p>;\n}\n",
        ),
    ]);
    let root = app.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let card = client.open(&root, "components/card.tsx");
    assert!(client.diagnostics(&card).is_empty());
    client.insert(
        &card,
        2,
        0,
        "import { useState } from 'react';\nexport const useOpen = () => useState(false);\n",
    );
    let found = loop {
        let d = client.diagnostics(&card);
        if !d.is_empty() {
            break d;
        }
    };
    assert_eq!(rules(&found), ["client-api-in-server-component"]);
    assert_eq!(found[0]["range"]["start"]["line"], 0);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("app/page.tsx"), "{message}");
    client.shutdown();
}
