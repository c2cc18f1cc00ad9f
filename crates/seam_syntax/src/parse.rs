//! Parsing with swc, once per file, with the syntax the file's extension implies.

use std::path::Path;

use seam_diagnostics::TextRange;
use swc_common::{comments::SingleThreadedComments, BytePos, Spanned};
use swc_ecma_ast::{EsVersion, Program};
use swc_ecma_parser::{lexer::Lexer, EsSyntax, Parser, StringInput, Syntax, TsSyntax};

/// swc reserves `BytePos(0)` for dummy spans, so sources start at 1; subtract this to get offsets.
pub(crate) const BASE: u32 = 1;

pub const LINTED_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

/// TypeScript, whose compiler erases imports used only as types.
pub fn is_typescript(path: &Path) -> bool {
    matches!(extension(path), Some("ts" | "tsx" | "mts" | "cts"))
}

/// A component file (`.tsx`/`.jsx`): it renders, and can hand a Server Action to a form.
pub fn is_component_file(path: &Path) -> bool {
    matches!(extension(path), Some("tsx" | "jsx"))
}

/// Whether seam lints a file with this path (by extension; `.d.ts` declaration files never).
pub fn is_lintable(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_declaration_file(name) {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LINTED_EXTENSIONS.contains(&e))
}

fn is_declaration_file(name: &str) -> bool {
    [".d.ts", ".d.mts", ".d.cts"]
        .iter()
        .any(|s| name.ends_with(s))
        || name.contains(".d.") && name.ends_with(".ts")
}

pub fn syntax_for(path: &Path) -> Syntax {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "ts" | "mts" | "cts" | "tsx" => Syntax::Typescript(TsSyntax {
            tsx: ext == "tsx",
            decorators: true,
            dts: path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_declaration_file),
            ..Default::default()
        }),
        _ => Syntax::Es(EsSyntax {
            jsx: matches!(ext, "js" | "jsx"),
            decorators: true,
            import_attributes: true,
            explicit_resource_management: true,
            ..Default::default()
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

pub struct Parsed {
    pub program: Program,
    pub comments: SingleThreadedComments,
    /// Errors swc recovered from: the AST is usable, but the file is not valid.
    pub recovered: Vec<SyntaxError>,
}

/// Parses a file. swc's parser has panicked on some invalid inputs (`<a:b.c />`); such a file is
/// reported as not parsing, with what the parser said, and everything else goes on.
pub fn parse(path: &Path, source: &str) -> Result<Parsed, SyntaxError> {
    seam_diagnostics::panics::catch(|| parse_unguarded(path, source)).unwrap_or_else(|panic| {
        // `/root/.cargo/registry/src/index.crates.io-…/swc_ecma_parser-47.0.0/src/…`: the
        // crate and file are what a report upstream needs.
        let panic = match (panic.find("panicked at "), panic.find("swc_ecma_parser-")) {
            (Some(at), Some(krate)) if at < krate => {
                format!("{}{}", &panic[..at + "panicked at ".len()], &panic[krate..])
            }
            _ => panic,
        };
        Err(SyntaxError {
            range: TextRange::new(0, 0),
            message: format!("swc's parser crashed on this file, a bug in swc ({panic})"),
        })
    })
}

fn parse_unguarded(path: &Path, source: &str) -> Result<Parsed, SyntaxError> {
    let comments = SingleThreadedComments::default();
    let end = BASE + source.len() as u32;
    let input = StringInput::new(source, BytePos(BASE), BytePos(end));
    let lexer = Lexer::new(
        syntax_for(path),
        EsVersion::latest(),
        input,
        Some(&comments),
    );
    let mut parser = Parser::new_from(lexer);
    let result = parser.parse_program();
    let recovered: Vec<SyntaxError> = parser
        .take_errors()
        .into_iter()
        .map(|e| to_error(&e, source))
        .collect();
    match result {
        Ok(program) => Ok(Parsed {
            program,
            comments,
            recovered,
        }),
        Err(error) => Err(recovered
            .into_iter()
            .next()
            .unwrap_or_else(|| to_error(&error, source))),
    }
}

/// True when the text parses with no error at all (the guard every fix pass must pass).
pub fn parses_cleanly(path: &Path, source: &str) -> bool {
    crate::on_text(
        source,
        || matches!(parse(path, source), Ok(p) if p.recovered.is_empty()),
    )
}

fn to_error(error: &swc_ecma_parser::error::Error, source: &str) -> SyntaxError {
    let span = error.span();
    let len = source.len() as u32;
    let start = span.lo.0.saturating_sub(BASE).min(len);
    let end = span.hi.0.saturating_sub(BASE).clamp(start, len);
    SyntaxError {
        range: TextRange::new(start, end),
        message: error.kind().msg().into_owned(),
    }
}
