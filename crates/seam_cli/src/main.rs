//! The `seam` command line: `seam check`, `seam rules`, `seam rule NAME`, `seam schema`.

// mimalloc: parsing allocates and frees millions of small AST nodes on every thread, which the
// system allocator serialises; mimalloc roughly halves a run's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use seam_config::{Config, ConfigResolver};
use seam_linter::{FileResult, FixMode, LintOptions};
use seam_report::{Format, ReportOptions};

// Output that never panics: `println!` panics when stdout is closed or its disk is full, and a
// linter in CI must then say so with exit code 2, not crash. Each returns the write's result.
macro_rules! say {
    ($($arg:tt)*) => { write_to(&mut std::io::stdout().lock(), format_args!($($arg)*)) };
}
// Messages on stderr: when even stderr cannot be written there is no one left to tell.
macro_rules! warn {
    ($($arg:tt)*) => {{ let _ = write_to(&mut std::io::stderr().lock(), format_args!("{}\n", format_args!($($arg)*))); }};
}

fn write_to(out: &mut impl Write, text: std::fmt::Arguments) -> std::io::Result<()> {
    out.write_fmt(text)?;
    out.flush()
}

/// The exit code after writing the main output: a reader that stopped reading (`| head`) is no
/// trouble, any other failed write is, since the run's answer never reached anyone.
fn written(result: std::io::Result<()>, code: ExitCode) -> ExitCode {
    match result {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            warn!("seam: cannot write the output: {error}");
            ExitCode::from(EXIT_TROUBLE)
        }
        _ => code,
    }
}

#[derive(Parser)]
#[command(
    name = "seam",
    version,
    about = "Finds the mistakes at the server/client seam of Next.js App Router code."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files and directories (default: the current directory).
    Check(CheckArgs),
    /// List every rule with its default severity and whether it can fix.
    Rules,
    /// Print a rule's documentation.
    Rule { name: String },
    /// Print the JSON schema of seam.json.
    Schema,
    /// Inspect the module graph: `seam graph --why FILE` prints the chain of imports that puts
    /// FILE in the client graph.
    Graph(GraphArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
}

#[derive(clap::Args)]
struct GraphArgs {
    /// Print why this file is in the client graph: the import chain from a 'use client' module.
    #[arg(long, value_name = "FILE")]
    why: PathBuf,
    /// The files and directories that make up the project (default: the current directory).
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Pretty,
    Concise,
    Json,
    Github,
    Sarif,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to report on (their whole projects are analysed).
    paths: Vec<PathBuf>,
    /// Report only files changed since this git revision (committed, staged, unstaged or
    /// untracked); their projects are analysed whole.
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "pretty")]
    format: FormatArg,
    /// Apply safe fixes.
    #[arg(long)]
    fix: bool,
    /// With --fix or --fix-dry-run, also apply unsafe fixes.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    fix_dry_run: bool,
    /// Exit with 1 when there are more warnings than this.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Report errors only.
    #[arg(long, short)]
    quiet: bool,
    /// Lint standard input as if it were this file.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Use this config file for every file instead of the nearest seam.json.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Number of threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Skip files larger than this, with a note (minified bundles, generated data). Bytes, or
    /// with a K or M suffix.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "2M")]
    max_file_size: u64,
    /// Neither read nor write the cache of per-file facts.
    #[arg(long)]
    no_cache: bool,
    /// Where the cache lives (default: `node_modules/.cache/seam` in the working directory when
    /// it has `node_modules`, else `.seam-cache`).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

fn main() -> ExitCode {
    // Panics caught on one file become a note or finding there, without a backtrace on stderr.
    seam_diagnostics::panics::install_hook();
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules => written(say!("{}", rules_table()), ExitCode::SUCCESS),
        Command::Rule { name } => match seam_rules::find(&name) {
            Some(rule) => written(say!("{}", rule.doc), ExitCode::SUCCESS),
            None => {
                let hint = seam_config::suggest_rule(&name)
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                warn!("seam: unknown rule `{name}`{hint}; `seam rules` lists them");
                ExitCode::from(EXIT_TROUBLE)
            }
        },
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&seam_config::config_schema());
            written(say!("{}\n", schema.expect("schema")), ExitCode::SUCCESS)
        }
        Command::Graph(args) => graph(args),
        Command::Lsp => match seam_lsp::run_stdio() {
            Ok(true) => ExitCode::SUCCESS,
            // `exit` without `shutdown` first: the exit code the LSP specification asks for.
            Ok(false) => ExitCode::from(1),
            Err(error) => {
                warn!("seam lsp: {error}");
                ExitCode::from(EXIT_TROUBLE)
            }
        },
    }
}

fn rules_table() -> String {
    let rules = seam_rules::all();
    let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = format!(
        "{:width$}  {:8}  {:6}  {}\n",
        "RULE", "DEFAULT", "FIX", "SUMMARY"
    );
    for r in rules {
        let severity = match r.default_severity {
            _ if !r.enabled_by_default => "off",
            seam_diagnostics::Severity::Error => "error",
            seam_diagnostics::Severity::Warning => "warn",
            seam_diagnostics::Severity::Info => "info",
        };
        out.push_str(&format!(
            "{:width$}  {:8}  {:6}  {}\n",
            r.name,
            severity,
            r.fix.as_str(),
            r.summary
        ));
    }
    out
}

fn working_directory() -> Result<PathBuf, ExitCode> {
    std::env::current_dir().map_err(|error| {
        warn!("seam: cannot read the working directory: {error}");
        ExitCode::from(EXIT_TROUBLE)
    })
}

/// The lintable files changed since `revision` that still exist (as paths from `cwd`), under
/// `paths`: committed since, staged, unstaged and untracked (not ignored).
fn changed_files(cwd: &Path, revision: &str, paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(cwd)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let base = git(&["merge-base", revision, "HEAD"])
        .or_else(|_| git(&["rev-parse", "--verify", revision]))?;
    let diffed = git(&["diff", "--name-only", "--no-renames", base.trim()])?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?;
    let under: Vec<PathBuf> = paths
        .iter()
        .map(|p| seam_linter::scope::lexical(&cwd.join(p)))
        .collect();
    let mut changed: Vec<PathBuf> = diffed
        .lines()
        .chain(untracked.lines())
        .map(|line| top.join(line))
        .filter(|p| seam_linter::is_lintable(p) && p.is_file())
        .filter(|p| under.iter().any(|u| p.starts_with(u)))
        .map(|p| p.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or(p))
        .collect();
    changed.sort();
    changed.dedup();
    Ok(changed)
}

/// The paths given, or the current directory.
fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

fn config_error(error: Box<seam_config::ConfigError>) -> ExitCode {
    warn!("{:?}", miette::Report::new_boxed(error));
    ExitCode::from(EXIT_TROUBLE)
}

/// `1048576`, `512K`, `2M` (also `KB`/`MB`, any case): a size in bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches('B');
    let (number, unit) = match digits.strip_suffix('K') {
        Some(n) => (n, 1u64 << 10),
        None => match digits.strip_suffix('M') {
            Some(n) => (n, 1 << 20),
            None => (digits, 1),
        },
    };
    number
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("`{text}` is not a size (bytes, or with a K or M suffix: 512K, 2M)"))
}

fn check(args: CheckArgs) -> ExitCode {
    seam_linter::set_max_file_size(args.max_file_size);
    if let Some(threads) = args.threads {
        // The walk and the cache checks run on the global pool: give them the same count.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let cwd = match working_directory() {
        Ok(cwd) => cwd,
        Err(code) => return code,
    };
    let mut configs = ConfigResolver::default();
    if let Some(path) = &args.config {
        match Config::load(path) {
            Ok(config) => configs.explicit = Some(Arc::new(config)),
            Err(error) => return config_error(error),
        }
    } else if let Err(error) = configs.for_dir(&cwd) {
        return config_error(error);
    }
    let mode = match (args.fix || args.fix_dry_run, args.unsafe_fixes) {
        (false, _) => FixMode::Off,
        (true, false) => FixMode::Safe,
        (true, true) => FixMode::Unsafe,
    };
    let results = match &args.stdin_filename {
        Some(path) => {
            let mut source = String::new();
            if let Err(error) = std::io::stdin().read_to_string(&mut source) {
                warn!("seam: cannot read standard input: {error}");
                return ExitCode::from(EXIT_TROUBLE);
            }
            let jobs = match seam_linter::plan_with(
                std::slice::from_ref(path),
                &cwd,
                &mut configs,
                std::slice::from_ref(path),
            ) {
                Ok(jobs) => jobs,
                Err(error) => return config_error(error),
            };
            let result = seam_linter::lint_source(&jobs[0], source, mode);
            if args.fix && !args.fix_dry_run {
                // Like other linters: with --fix, stdin in, fixed code out.
                return written(say!("{}", result.source), ExitCode::SUCCESS);
            }
            vec![result]
        }
        None => {
            let paths = paths_or_here(&args.paths);
            for path in &paths {
                if std::fs::symlink_metadata(path).is_err() {
                    warn!("seam: {}: no such file or directory", path.display());
                    return ExitCode::from(EXIT_TROUBLE);
                }
            }
            let started = std::time::Instant::now();
            let paths = match &args.changed_since {
                Some(revision) => match changed_files(&cwd, revision, &paths) {
                    Ok(changed) => changed,
                    Err(error) => {
                        warn!("seam: --changed-since {revision}: {error}");
                        return ExitCode::from(EXIT_TROUBLE);
                    }
                },
                None => paths,
            };
            if paths.is_empty() {
                // Nothing changed: nothing to report.
                return report(&args, &cwd, Vec::new());
            }
            let scope = seam_linter::scope::Scope::collect(&paths, &cwd);
            for error in &scope.errors {
                warn!("seam: warning: {}: {}", error.path.display(), error.message);
            }
            let files = &scope.files;
            let explicit = &scope.explicit;
            let walked = started.elapsed();
            let jobs = match seam_linter::plan_with(files, &cwd, &mut configs, explicit) {
                Ok(jobs) => jobs,
                Err(error) => return config_error(error),
            };
            if std::env::var_os("SEAM_TIMINGS").is_some() {
                warn!(
                    "seam: walk {} files: {walked:.1?}; configs and projects: {:.1?}",
                    files.len(),
                    started.elapsed() - walked
                );
            }
            let mut results = seam_linter::run(
                &jobs,
                LintOptions {
                    fix: mode,
                    dry_run: args.fix_dry_run,
                    threads: args.threads,
                    cache: (!args.no_cache).then(|| {
                        args.cache_dir
                            .clone()
                            .unwrap_or_else(|| seam_linter::cache::default_dir(&cwd))
                    }),
                },
            );
            results.retain(|result| scope.reports_result(result));
            results
        }
    };
    report(&args, &cwd, results)
}

fn report(args: &CheckArgs, cwd: &Path, mut results: Vec<FileResult>) -> ExitCode {
    let mut trouble = false;
    for result in &results {
        if let Some(error) = &result.error {
            warn!("seam: {}: {error}", result.path.display());
            // A fix seam could not write is trouble: the tree is not what the run reports.
            trouble |= error.starts_with(seam_linter::WRITE_FAILED);
        }
        for note in &result.notes {
            warn!("seam: {}: {note}", result.path.display());
            trouble |= note.starts_with("internal error");
        }
    }
    let summary = seam_linter::summarize(&results, args.unsafe_fixes);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut output = Ok(());
    if args.fix_dry_run {
        let mut changed = 0;
        for result in &results {
            if let Some(original) = &result.original {
                changed += 1;
                let name = seam_report::display_path(&result.path, cwd);
                let diff = similar::TextDiff::from_lines(original.as_str(), result.source.as_str());
                let diff = diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string();
                output = output.and_then(|()| out.write_all(diff.as_bytes()));
            }
        }
        let fixes: usize = results.iter().map(|r| r.fixes_applied).sum();
        warn!("seam: would apply {fixes} fix(es) in {changed} file(s); nothing was written");
    } else {
        if args.fix {
            let fixes: usize = results.iter().map(|r| r.fixes_applied).sum();
            if fixes > 0 {
                warn!("seam: applied {fixes} fix(es)");
            }
        }
        if args.quiet {
            for r in &mut results {
                r.diagnostics
                    .retain(|d| d.severity == seam_diagnostics::Severity::Error);
            }
        }
        let format = match args.format {
            FormatArg::Pretty => Format::Pretty,
            FormatArg::Concise => Format::Concise,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Sarif => Format::Sarif,
        };
        let color = std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal();
        let options = ReportOptions {
            format,
            color,
            quiet: args.quiet,
            cwd: cwd.to_path_buf(),
            unsafe_fixes: args.unsafe_fixes,
        };
        let shown = if args.quiet {
            seam_linter::summarize(&results, args.unsafe_fixes)
        } else {
            summary
        };
        let rendered = seam_report::render(&results, &shown, &options);
        output = out.write_all(rendered.as_bytes());
    }
    let output = output.and_then(|()| out.flush());
    if trouble {
        return written(output, ExitCode::from(EXIT_TROUBLE));
    }
    let code = findings_exit_code(args, &summary);
    written(output, code)
}

/// 1 when the run found errors or more warnings than `--max-warnings` allows, else 0.
fn findings_exit_code(args: &CheckArgs, summary: &seam_linter::Summary) -> ExitCode {
    if summary.errors > 0 {
        return ExitCode::from(EXIT_FINDINGS);
    }
    if let Some(max) = args.max_warnings {
        if summary.warnings > max {
            warn!(
                "seam: {} warnings is more than --max-warnings {max}",
                summary.warnings
            );
            return ExitCode::from(EXIT_FINDINGS);
        }
    }
    ExitCode::SUCCESS
}

/// `seam graph --why FILE`: the shortest chain of runtime imports from a `'use client'` module
/// to FILE, one hop per line, or why FILE is not in the client graph.
fn graph(args: GraphArgs) -> ExitCode {
    let cwd = match working_directory() {
        Ok(cwd) => cwd,
        Err(code) => return code,
    };
    let paths = paths_or_here(&args.paths);
    let (mut files, _) = seam_linter::collect_files(&paths);
    let target = args
        .why
        .strip_prefix(".")
        .unwrap_or(&args.why)
        .to_path_buf();
    if !files.contains(&target) {
        files.push(target.clone());
    }
    let mut configs = ConfigResolver::default();
    let jobs =
        match seam_linter::plan_with(&files, &cwd, &mut configs, std::slice::from_ref(&target)) {
            Ok(jobs) => jobs,
            Err(error) => return config_error(error),
        };
    let graph = seam_linter::graph_of(&jobs);
    let absolute = cwd.join(&target);
    let Some(module) = graph.id_of(&absolute) else {
        warn!(
            "seam: {}: not a source file seam can read",
            args.why.display()
        );
        return ExitCode::from(EXIT_TROUBLE);
    };
    let show = |m: usize| seam_report::display_path(&graph.modules[m].path, &cwd);
    let text = match graph.client().why(module) {
        None => format!(
            "{} is not in the client graph: no 'use client' module reaches it through runtime imports.\n",
            show(module)
        ),
        Some(chain) if chain.is_empty() => format!("{} is a 'use client' module.\n", show(module)),
        Some(chain) => {
            let mut text = format!("{} is in the client graph:\n", show(module));
            for (i, &(from, import)) in chain.iter().enumerate() {
                let Some(fact) = graph.facts(from).and_then(|f| f.imports.get(import)) else {
                    continue;
                };
                let at = graph.position(from, fact.range.start);
                let marker = if i == 0 { "  ('use client')" } else { "" };
                text += &format!("  {}:{}:{}{marker}\n", show(from), at.line, at.column);
                text += &format!("    imports '{}'\n", fact.specifier);
            }
            text += &format!("  {}\n", show(module));
            let clients = graph.client().clients_reaching(&graph, module);
            text += &format!("{} 'use client' module(s) reach it:\n", clients.len());
            for client in clients {
                text += &format!("  {}\n", show(client));
            }
            text
        }
    };
    written(say!("{text}"), ExitCode::SUCCESS)
}
