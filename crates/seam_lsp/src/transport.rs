//! LSP over standard input and output. Unlike `lsp_server::Connection::stdio`, a malformed message
//! does not end the session: it gets a JSON-RPC error (parse error, or invalid request) and the
//! next message is read as usual.

use std::io::{BufRead, Read, Write};
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
        let mut input: Box<dyn BufRead> = Box::new(stdin.lock());
        while let Some(body) = read_frame(&mut input) {
            let Some(mut body) = body else { continue };
            // A frame that announced more bytes than it sent swallowed the start of the next
            // one: its message ends where its JSON ends, and the rest is read again.
            if let Some(end) = overlong(&body) {
                let rest = std::io::Cursor::new(body.split_off(end));
                input = Box::new(rest.chain(input));
            }
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
                    drop(out);
                    // Resynchronise: read again from a frame the broken one swallowed.
                    if let Some(at) = next_frame_in(&body) {
                        let rest = std::io::Cursor::new(body[at..].to_vec());
                        input = Box::new(rest.chain(input));
                    }
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

/// Header lines longer than this are unusable: their rest is skipped, never held in memory.
const MAX_HEADER_LINE: u64 = 8 << 10;
/// Bodies larger than this are skipped.
const MAX_BODY: usize = 256 << 20;

/// Reads one `Content-Length` framed body: `None` at the end of input, `Some(None)` for a frame
/// whose headers are unusable (skipped: a line that is not UTF-8, too long, or not a header).
/// Public for clients of the server (tests, benchmarks).
pub fn read_frame(input: &mut impl BufRead) -> Option<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut bad = false;
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .ok()?;
        if read == 0 {
            return None;
        }
        if !line.ends_with(b"\n") {
            // Too long (or the input ended): skip to the end of the line.
            bad = true;
            if read as u64 == MAX_HEADER_LINE && !skip_line(input)? {
                return None;
            }
            continue;
        }
        let Ok(line) = std::str::from_utf8(&line) else {
            bad = true;
            continue;
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if length.is_none() && !bad {
                // A stray blank line between frames.
                continue;
            }
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
        Some(n) if !bad && n <= MAX_BODY => n,
        _ => return Some(None),
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).ok()?;
    Some(Some(body))
}

/// Discards input up to and including the next newline, holding at most one buffer of it.
/// False at the end of input.
fn skip_line(input: &mut impl BufRead) -> Option<bool> {
    loop {
        let buffer = input.fill_buf().ok()?;
        if buffer.is_empty() {
            return Some(false);
        }
        match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => {
                input.consume(at + 1);
                return Some(true);
            }
            None => {
                let all = buffer.len();
                input.consume(all);
            }
        }
    }
}

/// Where the JSON value at the start of `body` ends, when bytes follow it that are not
/// whitespace (None for a body that is one value, or does not start with one).
fn overlong(body: &[u8]) -> Option<usize> {
    let mut values = serde_json::Deserializer::from_slice(body).into_iter::<serde_json::Value>();
    values.next()?.ok()?;
    let end = values.byte_offset();
    body[end..]
        .iter()
        .any(|b| !b.is_ascii_whitespace())
        .then_some(end)
}

/// Where the next frame starts inside a body that did not parse: a `Content-Length` header the
/// body swallowed because the frame before it announced more bytes than it sent.
fn next_frame_in(body: &[u8]) -> Option<usize> {
    let needle = b"Content-Length:";
    (1..body.len().saturating_sub(needle.len())).find(|&at| {
        body[at..].len() >= needle.len() && body[at..at + needle.len()].eq_ignore_ascii_case(needle)
    })
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
        // Not UTF-8, an endless header line, stray blank lines: skipped, and reading goes on.
        let mut hostile = b"Content-Length: 2\xff\r\n\r\n".to_vec();
        hostile.extend(std::iter::repeat_n(b'x', 100_000));
        hostile.extend(b"\r\n\r\n\r\n\r\nContent-Length: 2\r\n\r\n[]");
        let mut input = std::io::Cursor::new(hostile);
        assert_eq!(read_frame(&mut input), Some(None));
        assert_eq!(read_frame(&mut input), Some(None));
        assert_eq!(read_frame(&mut input), Some(Some(b"[]".to_vec())));
        // A frame that announced more than it sent swallowed the next one: found again.
        let swallowed = b"{\"a\":1}Content-Length: 2\r\n\r\n{}";
        assert_eq!(next_frame_in(swallowed), Some(7));
        assert_eq!(overlong(b"{\"a\":1}Conte"), Some(7));
        assert_eq!(overlong(b"{\"a\":1}\r\n"), None);
        assert_eq!(overlong(b"{not json"), None);
        assert_eq!(parse(b"{not json").unwrap_err()["error"]["code"], -32700);
        let invalid = parse(br#"{"jsonrpc":"2.0","id":7,"params":{}}"#).unwrap_err();
        assert_eq!(
            (invalid["error"]["code"].clone(), invalid["id"].clone()),
            (serde_json::json!(-32600), serde_json::json!(7))
        );
    }
}
