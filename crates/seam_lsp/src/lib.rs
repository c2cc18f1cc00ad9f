//! `seam lsp`: the language server. It keeps the open documents, and after each change (debounced)
//! checks them against the module graph of the whole workspace, with unsaved texts read instead of
//! the disk, so an edit in a module reaches the open files that import it. It offers each finding's
//! fix, "disable for this line/file" and `source.fixAll.seam` as code actions, and the rule's page
//! on hover.

mod convert;
mod transport;

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic as LspDiagnostic, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, FileChangeType, FileEvent, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, NumberOrString,
    PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit,
};
use seam_diagnostics::{Applicability, Diagnostic, LineIndex, Severity, TextRange};
use seam_linter::{cache::Cache, FixMode};

pub use convert::{path_to_uri, uri_to_path};
pub use transport::read_frame;

/// The code action kind of "apply every safe fix" (for `editor.codeActionsOnSave`).
pub const FIX_ALL_KIND: &str = "source.fixAll.seam";

/// Serves LSP over standard input and output until the client says `exit`. `Ok(false)` when the
/// session ended without a `shutdown` request first (the spec's exit code 1).
pub fn run_stdio() -> Result<bool, String> {
    let (connection, writer) = transport::stdio();
    // Code actions and fix-all parse documents on the serving thread: give it the stack the
    // linter's threads have, for deeply nested code.
    let served = std::thread::Builder::new()
        .name("seam-lsp".into())
        .stack_size(SERVER_STACK)
        .spawn(move || {
            let served = serve(&connection);
            drop(connection);
            served
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?
        .join()
        .unwrap_or_else(|_| Err("internal error: the server panicked; please report it".into()));
    let _ = writer.join();
    served
}

/// The serving thread's stack (as large as the linter's threads').
const SERVER_STACK: usize = 64 << 20;

/// When to check: on every change (after the debounce) or only when a file is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunOn {
    Type,
    Save,
}

struct Options {
    run: RunOn,
    debounce: Duration,
}

impl Options {
    /// `{ "run": "onType" | "onSave", "debounceMs": 100 }`, from `initializationOptions` or
    /// `workspace/didChangeConfiguration` (also under a `seam` key).
    fn update(&mut self, value: &serde_json::Value) {
        let value = value.get("seam").unwrap_or(value);
        match value.get("run").and_then(|r| r.as_str()) {
            Some("onSave") => self.run = RunOn::Save,
            Some("onType") => self.run = RunOn::Type,
            _ => {}
        }
        if let Some(ms) = value.get("debounceMs").and_then(|d| d.as_u64()) {
            self.debounce = Duration::from_millis(ms.min(10_000));
        }
    }
}

struct Document {
    uri: Uri,
    version: i32,
    text: String,
}

/// What the last check found in an open document, against the text it checked.
struct Checked {
    text: String,
    diagnostics: Vec<Diagnostic>,
}

struct Server {
    root: PathBuf,
    options: Options,
    documents: HashMap<PathBuf, Document>,
    /// The workspace's source files, from the last walk (walked again when files change on disk).
    files: Option<Vec<PathBuf>>,
    /// Config and project of every file (the walked ones and the open documents not on disk,
    /// kept here), planned again when the documents not on disk change or files change on disk.
    jobs: Option<(Vec<PathBuf>, Vec<seam_linter::FileJob>)>,
    cache: Option<Cache>,
    /// When the pending check is due.
    due: Option<Instant>,
    /// Whether the workspace was indexed (by the first check).
    indexed: bool,
    checked: HashMap<PathBuf, Checked>,
}

pub fn serve(connection: &Connection) -> Result<bool, String> {
    seam_diagnostics::panics::install_hook();
    let Some((id, params)) = wait_for_initialize(connection) else {
        // `exit` or the end of input before the session began.
        return Ok(false);
    };
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let capabilities = ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(FIX_ALL_KIND),
            ]),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..Default::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "seam", "version": env!("CARGO_PKG_VERSION") },
    });
    send(connection, Response::new_ok(id, result).into());
    if !wait_for_initialized(connection) {
        return Ok(false);
    }
    let watched = watch_files(connection, &init);
    let mut server = Server::new(&init);
    if let Some(cache) = &mut server.cache {
        // The client reports every change on disk: files it did not report are not asked
        // about again (a stat per workspace file per keystroke).
        cache.trust_stamps(watched);
    }
    server.run(connection)
}

/// Waits for the `initialize` request. A client that sends something else first is answered
/// (requests: ServerNotInitialized) or ignored, never dropped: the session goes on. None when
/// the client says `exit` or the input ends.
fn wait_for_initialize(connection: &Connection) -> Option<(RequestId, serde_json::Value)> {
    loop {
        match connection.receiver.recv().ok()? {
            Message::Request(request) if request.method == "initialize" => {
                return Some((request.id, request.params))
            }
            Message::Request(request) => respond_error(
                connection,
                request.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet: send `initialize` first".into(),
            ),
            Message::Notification(n) if n.method == "exit" => return None,
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

/// Waits for the `initialized` notification the client sends once it has the server's
/// capabilities; requests that arrive before it are answered ServerNotInitialized. False when
/// the client says `exit` or the input ends.
fn wait_for_initialized(connection: &Connection) -> bool {
    loop {
        match connection.receiver.recv() {
            Err(_) => return false,
            Ok(Message::Notification(n)) if n.method == "initialized" => return true,
            Ok(Message::Notification(n)) if n.method == "exit" => return false,
            Ok(Message::Request(request)) => respond_error(
                connection,
                request.id,
                ErrorCode::ServerNotInitialized,
                "the server is waiting for `initialized`".into(),
            ),
            Ok(_) => {}
        }
    }
}

/// Asks the client to report changes on disk to the files findings depend on: sources, configs
/// and manifests (a git checkout, a code generator, an edited seam.json). Whether the client can.
fn watch_files(connection: &Connection, init: &InitializeParams) -> bool {
    let dynamic = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    if !dynamic {
        return false;
    }
    let watchers: Vec<serde_json::Value> = [
        "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}",
        "**/{seam,package,tsconfig,jsconfig}.json",
        "**/{pnpm-lock.yaml,package-lock.json,yarn.lock,bun.lock}",
    ]
    .iter()
    .map(|glob| serde_json::json!({ "globPattern": glob }))
    .collect();
    let registration = serde_json::json!({
        "registrations": [{
            "id": "seam-watched-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": { "watchers": watchers },
        }]
    });
    send(
        connection,
        Message::Request(Request::new(
            RequestId::from("seam-register-watchers".to_string()),
            "client/registerCapability".to_string(),
            registration,
        )),
    );
    true
}

fn root_of(init: &InitializeParams) -> PathBuf {
    let from_folders = init
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| uri_to_path(&folder.uri));
    #[allow(deprecated)]
    let from_root = init.root_uri.as_ref().and_then(uri_to_path);
    from_folders
        .or(from_root)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

impl Server {
    fn new(init: &InitializeParams) -> Self {
        let mut options = Options {
            run: RunOn::Type,
            debounce: Duration::from_millis(100),
        };
        if let Some(value) = &init.initialization_options {
            options.update(value);
        }
        Self {
            root: root_of(init),
            options,
            documents: HashMap::new(),
            files: None,
            jobs: None,
            cache: Some(Cache::in_memory()),
            // Index the workspace right away.
            due: Some(Instant::now()),
            indexed: false,
            checked: HashMap::new(),
        }
    }

    /// The message loop; returns whether `shutdown` came before the end.
    fn run(&mut self, connection: &Connection) -> Result<bool, String> {
        let mut shut_down = false;
        // Messages read but not yet handled: what has arrived is read before anything is
        // handled, so a `$/cancelRequest` can take back a request still waiting here.
        let mut queue = VecDeque::new();
        loop {
            let message = match queue.pop_front() {
                Some(message) => message,
                None => {
                    let wait = self.due.map_or(Duration::from_secs(3600), |due| {
                        due.saturating_duration_since(Instant::now())
                    });
                    match connection.receiver.recv_timeout(wait) {
                        Ok(message) => message,
                        Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => {
                            self.check(connection);
                            continue;
                        }
                        // The client closed the connection.
                        Err(_) => return Ok(shut_down),
                    }
                }
            };
            queue.push_front(message);
            queue.extend(connection.receiver.try_iter());
            cancel_waiting_requests(connection, &mut queue);
            let Some(message) = queue.pop_front() else {
                continue;
            };
            match message {
                Message::Request(request) if request.method == "shutdown" => {
                    shut_down = true;
                    send(
                        connection,
                        Message::Response(Response::new_ok(request.id, serde_json::Value::Null)),
                    );
                }
                Message::Request(request) if shut_down => respond_error(
                    connection,
                    request.id,
                    ErrorCode::InvalidRequest,
                    "the server is shutting down".into(),
                ),
                Message::Request(request) => self.request(connection, request),
                Message::Notification(notification) => {
                    if notification.method == "exit" {
                        return Ok(shut_down);
                    }
                    self.notification(notification);
                }
                Message::Response(_) => {}
            }
        }
    }

    fn schedule(&mut self, after: Duration) {
        let at = Instant::now() + after;
        self.due = Some(self.due.map_or(at, |due| due.max(at)));
    }

    fn notification(&mut self, notification: Notification) {
        use lsp_types::notification::*;
        let params = notification.params;
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                    if let Some(path) = uri_to_path(&p.text_document.uri) {
                        self.documents.insert(
                            path,
                            Document {
                                uri: p.text_document.uri,
                                version: p.text_document.version,
                                text: p.text_document.text,
                            },
                        );
                        self.schedule(Duration::ZERO);
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                    let Some(path) = uri_to_path(&p.text_document.uri) else {
                        return;
                    };
                    let Some(document) = self.documents.get_mut(&path) else {
                        return;
                    };
                    // A stale version (older than what we hold) is ignored.
                    if p.text_document.version < document.version {
                        return;
                    }
                    document.version = p.text_document.version;
                    for change in p.content_changes {
                        apply_change(&mut document.text, change);
                    }
                    if self.options.run == RunOn::Type {
                        self.schedule(self.options.debounce);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                // A file saved for the first time exists on disk now: imports may reach it.
                let saved = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                    .ok()
                    .and_then(|p| uri_to_path(&p.text_document.uri));
                let walked = self.files.as_deref().unwrap_or_default();
                if saved.is_some_and(|path| walked.binary_search(&path).is_err()) {
                    self.forget_layout();
                }
                self.schedule(Duration::ZERO);
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                    if let Some(path) = uri_to_path(&p.text_document.uri) {
                        self.documents.remove(&path);
                        self.checked.remove(&path);
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                // Files created, deleted or changed on disk (git checkout, generators, seam.json).
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(params) {
                    self.files_changed_on_disk(&p.changes);
                }
                self.schedule(Duration::ZERO);
            }
            DidChangeConfiguration::METHOD => {
                if let Some(settings) = params.get("settings") {
                    self.options.update(settings);
                }
                self.jobs = None;
                self.schedule(Duration::ZERO);
            }
            _ => {}
        }
    }

    /// A changed source file is read again; a created or deleted file, or a changed config or
    /// manifest, can change the file list, the configuration and where imports lead.
    fn files_changed_on_disk(&mut self, changes: &[FileEvent]) {
        let mut layout_changed = false;
        for change in changes {
            let Some(path) = uri_to_path(&change.uri) else {
                continue;
            };
            if let Some(cache) = &mut self.cache {
                cache.forget_file(&path);
            }
            layout_changed |=
                change.typ != FileChangeType::CHANGED || !seam_syntax::is_lintable(&path);
        }
        if layout_changed {
            self.forget_layout();
        }
    }

    /// Files were created or deleted, or a config changed: walk, plan and resolve afresh.
    fn forget_layout(&mut self) {
        self.files = None;
        self.jobs = None;
        if let Some(cache) = &mut self.cache {
            cache.forget_resolution();
        }
    }

    fn request(&mut self, connection: &Connection, request: Request) {
        use lsp_types::request::*;
        let id = request.id.clone();
        let response = match request.method.as_str() {
            CodeActionRequest::METHOD => {
                self.check_if_due(connection);
                answer(request.params, |p: CodeActionParams| self.code_actions(&p))
            }
            HoverRequest::METHOD => {
                self.check_if_due(connection);
                answer(request.params, |p: HoverParams| self.hover(&p))
            }
            _ => {
                respond_error(
                    connection,
                    id,
                    ErrorCode::MethodNotFound,
                    format!("seam does not handle `{}`", request.method),
                );
                return;
            }
        };
        match response {
            Ok(result) => send(connection, Message::Response(Response::new_ok(id, result))),
            Err(message) => respond_error(connection, id, ErrorCode::InvalidParams, message),
        }
    }

    fn check_if_due(&mut self, connection: &Connection) {
        if self.due.is_some() {
            self.check(connection);
        }
    }

    /// Checks every open document against the whole workspace and publishes the findings. A
    /// panic is logged to the client and the server goes on.
    fn check(&mut self, connection: &Connection) {
        self.due = None;
        // The first check runs at start, before any document is open: it indexes the workspace
        // (facts of every file, module resolution) so that opening a file waits only for that
        // file and the rules.
        if self.documents.is_empty() && self.indexed {
            return;
        }
        self.indexed = true;
        let outcome = seam_diagnostics::panics::catch(|| self.check_documents());
        match outcome {
            Ok(Ok(notes)) => {
                // A rule that panicked on a file (the other rules still reported), a file that
                // cannot be read: the user should know, in the server's log.
                for note in notes {
                    log(connection, lsp_types::MessageType::ERROR, &note);
                }
            }
            Ok(Err(message)) => log(connection, lsp_types::MessageType::WARNING, &message),
            Err(panic) => log(
                connection,
                lsp_types::MessageType::ERROR,
                &format!("internal error: checking the open files {panic}; please report it"),
            ),
        }
        for (path, document) in &self.documents {
            let diagnostics = match self.checked.get(path) {
                Some(checked) if checked.text == document.text => {
                    let index = LineIndex::new(&checked.text);
                    checked
                        .diagnostics
                        .iter()
                        .map(|d| to_lsp(d, &checked.text, &index))
                        .collect()
                }
                _ => Vec::new(),
            };
            let params = PublishDiagnosticsParams::new(
                document.uri.clone(),
                diagnostics,
                Some(document.version),
            );
            send(
                connection,
                Message::Notification(Notification::new(
                    lsp_types::notification::PublishDiagnostics::METHOD.to_string(),
                    params,
                )),
            );
        }
    }

    /// Checks the open documents; returns what the results say that is not a finding.
    fn check_documents(&mut self) -> Result<Vec<String>, String> {
        if self.files.is_none() {
            // The workspace and every analysis root it touches (a folder opened inside a
            // monorepo is checked against the whole workspace, as `seam check` does).
            let scope =
                seam_linter::scope::Scope::collect(std::slice::from_ref(&self.root), &self.root);
            let mut files: Vec<PathBuf> = scope
                .files
                .iter()
                .map(|f| seam_linter::scope::absolute(&self.root, f))
                .collect();
            files.sort();
            self.files = Some(files);
        }
        let walked = self.files.as_deref().unwrap_or_default();
        // Open documents not yet on disk (new, unsaved files) are checked too.
        let mut unsaved: Vec<PathBuf> = self
            .documents
            .keys()
            .filter(|path| seam_syntax::is_lintable(path) && walked.binary_search(path).is_err())
            .cloned()
            .collect();
        unsaved.sort();
        if self
            .jobs
            .as_ref()
            .is_none_or(|(planned, _)| *planned != unsaved)
        {
            let mut files = walked.to_vec();
            files.extend(unsaved.iter().cloned());
            files.sort();
            let mut configs = seam_config::ConfigResolver::default();
            let explicit: Vec<PathBuf> = self.documents.keys().cloned().collect();
            let jobs = seam_linter::plan_with(&files, &self.root, &mut configs, &explicit)
                .map_err(|e| format!("seam.json: {e}"))?;
            self.jobs = Some((unsaved, jobs));
        }
        let jobs = &self.jobs.as_ref().expect("planned").1;
        let overlays: HashMap<PathBuf, String> = self
            .documents
            .iter()
            .map(|(path, d)| (path.clone(), d.text.clone()))
            .collect();
        let targets: HashSet<PathBuf> = self.documents.keys().cloned().collect();
        let cache = self.cache.take().unwrap_or_else(Cache::in_memory);
        let results = seam_linter::run_with_overlays(jobs, &overlays, &targets, &cache);
        self.cache = Some(cache.next_generation());
        self.checked.clear();
        let mut notes = Vec::new();
        for result in results {
            let path = self.root.join(&result.path);
            notes.extend(
                result
                    .notes
                    .iter()
                    .chain(&result.error)
                    .map(|note| format!("{}: {note}", path.display())),
            );
            if let Some(text) = overlays.get(&path) {
                self.checked.insert(
                    path,
                    Checked {
                        text: text.clone(),
                        diagnostics: result.diagnostics,
                    },
                );
            }
        }
        Ok(notes)
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(path) = uri_to_path(uri) else {
            return Vec::new();
        };
        let (Some(checked), Some(document)) = (self.checked.get(&path), self.documents.get(&path))
        else {
            return Vec::new();
        };
        if checked.text != document.text {
            return Vec::new();
        }
        let text = &checked.text;
        let index = LineIndex::new(text);
        let wanted = |kind: &str| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
            })
        };
        let mut actions = Vec::new();
        let start = convert::offset(text, &index, params.range.start) as u32;
        let end = convert::offset(text, &index, params.range.end) as u32;
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for d in checked
                .diagnostics
                .iter()
                .filter(|d| d.range.start <= end && start <= d.range.end)
            {
                let lsp = to_lsp(d, text, &index);
                if let Some(fix) = &d.fix {
                    let unsafe_ = fix.applicability == Applicability::Unsafe;
                    let edits = fix
                        .edits
                        .iter()
                        .map(|e| {
                            TextEdit::new(
                                convert::range(text, &index, e.range),
                                e.replacement.clone(),
                            )
                        })
                        .collect();
                    actions.push(quick_fix(
                        if unsafe_ {
                            format!("{} (unsafe)", fix.message)
                        } else {
                            fix.message.clone()
                        },
                        uri,
                        edits,
                        &lsp,
                        !unsafe_,
                    ));
                }
                actions.push(quick_fix(
                    format!("Disable {} for this line", d.rule),
                    uri,
                    vec![disable_next_line(&path, text, &index, d)],
                    &lsp,
                    false,
                ));
                actions.push(quick_fix(
                    format!("Disable {} for this file", d.rule),
                    uri,
                    vec![disable_file(text, &index, d.rule)],
                    &lsp,
                    false,
                ));
            }
        }
        if wanted(FIX_ALL_KIND) && params.context.only.is_some() {
            if let Some(edit) = self.fix_all(&path, text, &index) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "seam: fix all auto-fixable problems".into(),
                    kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
                    edit: Some(workspace_edit(uri, vec![edit])),
                    ..Default::default()
                }));
            }
        }
        actions
    }

    /// Every safe fix of the document, applied pass after pass (re-parsed in between), as one
    /// edit of the whole text.
    fn fix_all(&self, path: &Path, text: &str, index: &LineIndex) -> Option<TextEdit> {
        let mut configs = seam_config::ConfigResolver::default();
        let jobs = seam_linter::plan_with(
            std::slice::from_ref(&path.to_path_buf()),
            &self.root,
            &mut configs,
            std::slice::from_ref(&path.to_path_buf()),
        )
        .ok()?;
        let result = seam_linter::lint_source(jobs.first()?, text.to_string(), FixMode::Safe);
        result.original.as_ref()?;
        let whole = TextRange::new(0, text.len() as u32);
        Some(TextEdit::new(
            convert::range(text, index, whole),
            result.source,
        ))
    }

    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = &params.text_document_position_params;
        let path = uri_to_path(&at.text_document.uri)?;
        let checked = self.checked.get(&path)?;
        let document = self.documents.get(&path)?;
        let text = &document.text;
        let index = LineIndex::new(text);
        let offset = convert::offset(text, &index, at.position) as u32;
        let rule = (checked.text == *text)
            .then(|| {
                checked
                    .diagnostics
                    .iter()
                    .find(|d| d.range.start <= offset && offset <= d.range.end)
                    .map(|d| d.rule)
            })
            .flatten()
            .or_else(|| rule_name_at(text, offset as usize))?;
        let rule = seam_rules::find(rule)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: rule.doc.to_string(),
            }),
            range: None,
        })
    }
}

/// Runs a request handler on its decoded parameters; the result as JSON, or why the parameters
/// did not decode.
fn answer<P: serde::de::DeserializeOwned, R: serde::Serialize>(
    params: serde_json::Value,
    handle: impl FnOnce(P) -> R,
) -> Result<serde_json::Value, String> {
    let params = serde_json::from_value::<P>(params).map_err(|e| e.to_string())?;
    serde_json::to_value(handle(params)).map_err(|e| e.to_string())
}

/// The rule named at `offset` inside a `seam-disable` comment on that line, if any.
fn rule_name_at(text: &str, offset: usize) -> Option<&'static str> {
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let directive = line.find("seam-disable")?;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let at = offset - line_start;
    if at <= directive {
        return None;
    }
    let start = line[..at].rfind(|c: char| !is_name(c)).map_or(0, |i| i + 1);
    let end = line[at..]
        .find(|c: char| !is_name(c))
        .map_or(line.len(), |i| at + i);
    seam_rules::find(&line[start..end]).map(|r| r.name)
}

/// `// seam-disable-next-line RULE` on its own line above the finding, indented like it; among
/// JSX children, where `//` would be text, `{/* seam-disable-next-line RULE */}`.
fn disable_next_line(path: &Path, text: &str, index: &LineIndex, d: &Diagnostic) -> TextEdit {
    let line = index.line_of(d.range.start);
    let start = index.line_start(line) as usize;
    let indent: String = text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let code = (start + indent.len()) as u32;
    let comment = if seam_syntax::starts_jsx_child(path, text, code) {
        format!("{{/* seam-disable-next-line {} */}}", d.rule)
    } else {
        format!("// seam-disable-next-line {}", d.rule)
    };
    let at = convert::position(text, index, start as u32);
    TextEdit::new(
        lsp_types::Range::new(at, at),
        format!("{indent}{comment}\n"),
    )
}

/// `/* seam-disable RULE */` at the top of the file (after a `#!` line).
fn disable_file(text: &str, index: &LineIndex, rule: &str) -> TextEdit {
    let at = if text.starts_with("#!") {
        text.find('\n').map_or(text.len(), |i| i + 1)
    } else {
        0
    };
    let at = convert::position(text, index, at as u32);
    TextEdit::new(
        lsp_types::Range::new(at, at),
        format!("/* seam-disable {rule} */\n"),
    )
}

fn quick_fix(
    title: String,
    uri: &Uri,
    edits: Vec<TextEdit>,
    diagnostic: &LspDiagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(workspace_edit(uri, edits)),
        is_preferred: Some(preferred),
        ..Default::default()
    })
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn to_lsp(d: &Diagnostic, text: &str, index: &LineIndex) -> LspDiagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help);
    }
    LspDiagnostic {
        range: convert::range(text, index, d.range),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.to_string())),
        source: Some("seam".into()),
        message,
        ..Default::default()
    }
}

/// Applies one change from `didChange`: a range edit, or the whole text.
fn apply_change(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let index = LineIndex::new(text);
            let start = convert::offset(text, &index, range.start);
            let end = convert::offset(text, &index, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// Answers the requests in `queue` that a `$/cancelRequest` in it takes back with
/// `RequestCancelled`, as the spec asks, and drops the cancellations. A request already answered
/// cannot be cancelled any more; its cancellation is dropped too.
fn cancel_waiting_requests(connection: &Connection, queue: &mut VecDeque<Message>) {
    let is_cancel =
        |m: &Message| matches!(m, Message::Notification(n) if n.method == "$/cancelRequest");
    if !queue.iter().any(is_cancel) {
        return;
    }
    let cancelled: HashSet<RequestId> = queue
        .iter()
        .filter(|m| is_cancel(m))
        .filter_map(|m| match m {
            Message::Notification(n) => {
                serde_json::from_value::<lsp_types::CancelParams>(n.params.clone()).ok()
            }
            _ => None,
        })
        .map(|p| match p.id {
            NumberOrString::Number(n) => RequestId::from(n),
            NumberOrString::String(s) => RequestId::from(s),
        })
        .collect();
    queue.retain(|m| match m {
        Message::Request(r) if cancelled.contains(&r.id) => {
            respond_error(
                connection,
                r.id.clone(),
                ErrorCode::RequestCanceled,
                "cancelled".into(),
            );
            false
        }
        m => !is_cancel(m),
    });
}

fn send(connection: &Connection, message: Message) {
    let _ = connection.sender.send(message);
}

fn respond_error(connection: &Connection, id: RequestId, code: ErrorCode, message: String) {
    send(
        connection,
        Message::Response(Response::new_err(id, code as i32, message)),
    );
}

fn log(connection: &Connection, kind: lsp_types::MessageType, message: &str) {
    send(
        connection,
        Message::Notification(Notification::new(
            lsp_types::notification::LogMessage::METHOD.to_string(),
            lsp_types::LogMessageParams {
                typ: kind,
                message: format!("seam: {message}"),
            },
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request still waiting when its `$/cancelRequest` arrives is answered with
    /// `RequestCancelled`; the one not cancelled is served.
    #[test]
    fn waiting_requests_can_be_cancelled() {
        let (server_side, client) = Connection::memory();
        let hover = |id: i32| {
            Message::Request(Request::new(
                RequestId::from(id),
                "textDocument/hover".into(),
                serde_json::json!({ "textDocument": { "uri": "file:///nowhere/a.ts" },
                    "position": { "line": 0, "character": 0 } }),
            ))
        };
        let notification = |method: &str, params: serde_json::Value| {
            Message::Notification(Notification::new(method.into(), params))
        };
        for message in [
            hover(1),
            hover(2),
            notification("$/cancelRequest", serde_json::json!({ "id": 1 })),
            // Already answered or never sent: nothing to do.
            notification("$/cancelRequest", serde_json::json!({ "id": 42 })),
            Message::Request(Request::new(
                RequestId::from(3),
                "shutdown".into(),
                serde_json::Value::Null,
            )),
            notification("exit", serde_json::Value::Null),
        ] {
            client.sender.send(message).unwrap();
        }
        let mut server = Server::new(&InitializeParams::default());
        // No workspace to index here (the root would be the current directory).
        server.due = None;
        assert_eq!(server.run(&server_side), Ok(true));
        let answers: Vec<Response> = client
            .receiver
            .try_iter()
            .filter_map(|m| match m {
                Message::Response(r) => Some(r),
                _ => None,
            })
            .collect();
        let by_id = |id: i32| {
            answers
                .iter()
                .find(|r| r.id == RequestId::from(id))
                .unwrap()
        };
        assert_eq!(
            by_id(1).response_result.as_ref().err().map(|e| e.code),
            Some(ErrorCode::RequestCanceled as i32)
        );
        assert!(by_id(2).response_result.is_ok());
        assert!(by_id(3).response_result.is_ok());
        assert_eq!(answers.len(), 3);
    }

    #[test]
    fn rule_names_in_suppression_comments_are_found_under_the_cursor() {
        let text = "const a = 1;\n// seam-disable-next-line throw-in-action, missing-auth-check -- why\nthrow x;\n";
        let at = |needle: &str| text.find(needle).unwrap() + 3;
        assert_eq!(
            rule_name_at(text, at("throw-in-action")),
            Some("throw-in-action")
        );
        assert_eq!(
            rule_name_at(text, at("missing-auth")),
            Some("missing-auth-check")
        );
        // The keyword itself, the reason, and code lines are not rule names.
        assert_eq!(rule_name_at(text, at("seam-disable")), None);
        assert_eq!(rule_name_at(text, at("why")), None);
        assert_eq!(rule_name_at(text, at("const")), None);
    }
}
