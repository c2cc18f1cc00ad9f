//! LSP over standard input and output. Unlike `lsp_server::Connection::stdio`, a malformed message
//! does not end the session: it gets a JSON-RPC error (parse error, or invalid request) and the
//! next message is read as usual.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// The server's end of the connection, and the thread that writes its messages (join it after
/// dropping the connection so everything is flushed).
pub fn stdio() -> (Connection, JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let stdout = Arc::new(Mutex::new(std::io::stdout()));
    let out = stdout.clone();
    let writer = std::thread::spawn(move || {
        for message in client.receiver {
            let mut out = out.lock().expect("stdout");
            if message.write(&mut *out).is_err() {
                return;
            }
        }
    });
    let incoming = client.sender;
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        while let Some(body) = read_frame(&mut input) {
            let Some(body) = body else { continue };
            match parse(&body) {
                Ok(message) => {
                    if incoming.send(message).is_err() {
                        return;
                    }
                }
                Err(error) => {
                    let mut out = stdout.lock().expect("stdout");
                    let text = error.to_string();
                    let _ = write!(out, "Content-Length: {}\r\n\r\n{text}", text.len());
                    let _ = out.flush();
                }
            }
        }
    });
    (server, writer)
}

/// The JSON-RPC error for a body that is not a message.
fn parse(body: &[u8]) -> Result<Message, serde_json::Value> {
    let error = |code: i32, message: &str, id: serde_json::Value| {
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code, "message": message },
        })
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        error(
            -32700,
            &format!("parse error: {e}"),
            serde_json::Value::Null,
        )
    })?;
    let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value).map_err(|e| error(-32600, &format!("invalid request: {e}"), id))
}

/// Reads one `Content-Length` framed body: `None` at the end of input, `Some(None)` for a frame
/// whose headers are unusable (skipped). Public for clients of the server (tests, benchmarks).
pub fn read_frame(input: &mut impl BufRead) -> Option<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut bad = false;
    loop {
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                match value.trim().parse() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad = true,
                }
            }
            Some(_) => {}
            None => bad = true,
        }
    }
    let length = match length {
        Some(n) if !bad && n <= 256 << 20 => n,
        _ => return Some(None),
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).ok()?;
    Some(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_malformed_bodies() {
        let text =
            "Content-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\nContent-Length: 4\r\n\r\nnull";
        let mut input = std::io::Cursor::new(text.as_bytes());
        assert_eq!(read_frame(&mut input), Some(Some(b"{}".to_vec())));
        assert_eq!(read_frame(&mut input), Some(None));
        assert_eq!(read_frame(&mut input), Some(Some(b"null".to_vec())));
        assert_eq!(read_frame(&mut input), None);
        assert_eq!(parse(b"{not json").unwrap_err()["error"]["code"], -32700);
        let invalid = parse(br#"{"jsonrpc":"2.0","id":7,"params":{}}"#).unwrap_err();
        assert_eq!(
            (invalid["error"]["code"].clone(), invalid["id"].clone()),
            (serde_json::json!(-32600), serde_json::json!(7))
        );
    }
}
