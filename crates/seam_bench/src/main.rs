//! `seam-bench`: how fast `seam check` is, against a parse-only pass over the same files.
//!
//! With no paths it generates the synthetic monorepo (see `generate.rs`) at each `--sizes` count;
//! with paths (`-- PATH...`) it measures those directories instead, such as fetched real apps.
//! For every corpus and thread count it reports files per second, wall time, peak resident memory
//! and the ratio of `seam check` to parsing alone; then a warm re-run with the cache.

// The same allocator as the `seam` binary, so the parse-only baseline is a fair one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod generate;
mod lsp;
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::{Parser, Subcommand};
use rayon::prelude::*;

use measure::Sample;

#[derive(Parser)]
#[command(
    name = "seam-bench",
    about = "Benchmarks `seam check` against a parse-only pass."
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Tool>,
    #[command(flatten)]
    bench: BenchArgs,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Directories to measure instead of generated ones (for example fetched real apps).
    paths: Vec<PathBuf>,
    /// Sizes, in source files, of the generated monorepos (used when no path is given).
    #[arg(long, value_delimiter = ',', default_value = "5000,10000,20000")]
    sizes: Vec<usize>,
    /// Thread counts to measure.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    threads: Vec<usize>,
    /// Runs per measurement; the median is reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The seam binary (default: `seam` next to this program).
    #[arg(long)]
    seam: Option<PathBuf>,
    /// Where to generate the monorepos (default: a temporary directory, removed afterwards).
    #[arg(long)]
    workdir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Tool {
    /// Write the synthetic monorepo with at least FILES source files into OUT.
    Generate {
        #[arg(long, default_value_t = 20_000)]
        files: usize,
        out: PathBuf,
    },
    /// The language server: `didChange` → `publishDiagnostics` latency (p50, p95) on a generated
    /// workspace, and resident memory after the first edit and after the last.
    Lsp {
        /// Source files in the generated workspace.
        #[arg(long, default_value_t = 5_000)]
        files: usize,
        #[arg(long, default_value_t = 10_000)]
        edits: usize,
        /// The server's debounce, subtracted from each latency.
        #[arg(long, default_value_t = 100)]
        debounce_ms: u64,
        /// The seam binary (default: `seam` next to this program).
        #[arg(long)]
        seam: Option<PathBuf>,
        /// Act as a client that does not watch files (like Neovim 0.7): the server then asks
        /// the file system about every workspace file on every check. By default the client
        /// offers `workspace/didChangeWatchedFiles`, as VS Code does.
        #[arg(long)]
        no_watcher: bool,
    },
    /// Read and parse every file seam would lint, and nothing else (the baseline; run as a child
    /// process so its memory is measured apart).
    #[command(hide = true)]
    ParseOnly {
        #[arg(long)]
        threads: usize,
        /// Also run seam's facts traversal on each parsed file.
        #[arg(long)]
        facts: bool,
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Tool::Generate { files, out }) => generate::generate(&out, files)
            .map(|g| {
                println!(
                    "wrote {} source files ({} features) to {}",
                    g.source_files,
                    g.features,
                    out.display()
                )
            })
            .map_err(|e| format!("cannot write {}: {e}", out.display())),
        Some(Tool::ParseOnly {
            threads,
            facts,
            paths,
        }) => {
            parse_only(threads, facts, &paths);
            Ok(())
        }
        Some(Tool::Lsp {
            files,
            edits,
            debounce_ms,
            seam,
            no_watcher,
        }) => bench_lsp(seam, files, edits.max(1), debounce_ms, !no_watcher),
        None => bench(&cli.bench),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("seam-bench: {message}");
            ExitCode::from(2)
        }
    }
}

/// The baseline: the files seam's walk finds, each read as seam reads it (so files above
/// `--max-file-size` are skipped here too) and parsed with the parser settings seam uses, in
/// parallel on `threads` threads; with `facts`, also seam's one traversal.
fn parse_only(threads: usize, facts: bool, paths: &[PathBuf]) {
    let (files, _) = seam_linter::collect_files(paths);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(64 << 20)
        .build()
        .expect("a thread pool");
    let parsed: usize = pool.install(|| {
        files
            .par_iter()
            .filter_map(|path| {
                let source = seam_linter::read_source(path).ok()?;
                let clean = if facts {
                    matches!(
                        seam_syntax::analyze(path, &source),
                        seam_syntax::Analysis::Facts(_)
                    )
                } else {
                    seam_syntax::parses_cleanly(path, &source)
                };
                Some(clean as usize)
            })
            .sum()
    });
    println!("{} files, {parsed} parsed cleanly", files.len());
}

fn bench_lsp(
    seam: Option<PathBuf>,
    files: usize,
    edits: usize,
    debounce_ms: u64,
    watcher: bool,
) -> Result<(), String> {
    let seam = match seam {
        Some(path) => path,
        None => sibling("seam")?,
    };
    let scratch = tempdir(None)?;
    let root = scratch.path.join("workspace");
    let made = generate::generate(&root, files)
        .map_err(|e| format!("cannot generate into {}: {e}", root.display()))?;
    let report = lsp::run(&seam, &root, made.source_files, edits, debounce_ms, watcher)?;
    println!(
        "seam lsp on {} files, {} edits of an open module (debounce {} ms, subtracted; client {}):",
        report.files,
        report.edits,
        report.debounce_ms,
        if watcher {
            "watches files"
        } else {
            "does not watch files"
        }
    );
    println!(
        "didChange -> publishDiagnostics: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        report.p50.as_secs_f64() * 1e3,
        report.p95.as_secs_f64() * 1e3,
        report.max.as_secs_f64() * 1e3
    );
    println!(
        "resident memory: {} MB after the first edit, {} MB after the last ({:+.1}%)",
        report.rss_first_kb / 1024,
        report.rss_last_kb / 1024,
        (report.rss_last_kb as f64 / report.rss_first_kb.max(1) as f64 - 1.0) * 100.0
    );
    Ok(())
}

fn bench(args: &BenchArgs) -> Result<(), String> {
    let seam = match &args.seam {
        Some(path) => path.clone(),
        None => sibling("seam")?,
    };
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let runs = args.runs.max(1);
    println!(
        "seam-bench: {} on {} cores; median of {runs} runs",
        seam.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let scratch = tempdir(args.workdir.as_deref())?;
    if args.paths.is_empty() {
        for &size in &args.sizes {
            let root = scratch.path.join(format!("monorepo-{size}"));
            let _ = std::fs::remove_dir_all(&root);
            let made = generate::generate(&root, size)
                .map_err(|e| format!("cannot generate into {}: {e}", root.display()))?;
            println!(
                "\n## generated monorepo: {} source files, {} features",
                made.source_files, made.features
            );
            measure_corpus(&seam, &me, &root, &scratch.path, args, runs, Some(made))?;
        }
    } else {
        for path in &args.paths {
            let root = std::fs::canonicalize(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            println!("\n## {}", root.display());
            measure_corpus(&seam, &me, &root, &scratch.path, args, runs, None)?;
        }
    }
    Ok(())
}

fn measure_corpus(
    seam: &Path,
    me: &Path,
    root: &Path,
    scratch: &Path,
    args: &BenchArgs,
    runs: usize,
    generated: Option<generate::Generated>,
) -> Result<(), String> {
    let (files, _) = seam_linter::collect_files(&[root.to_path_buf()]);
    let files = files.len();
    println!("{files} files seam lints\n");
    println!("| threads | parse only | parse + facts | seam check (cold) | check / parse | files/s | peak RSS (check) | peak RSS (parse) |");
    println!("|--:|--:|--:|--:|--:|--:|--:|--:|");
    let cache = scratch.join("cache");
    let output = scratch.join("seam-output.txt");
    for &threads in &args.threads {
        let baseline = |facts: bool| {
            repeat(runs, || {
                let mut command = Command::new(me);
                command
                    .arg("parse-only")
                    .arg("--threads")
                    .arg(threads.to_string());
                if facts {
                    command.arg("--facts");
                }
                measure::run(command.arg(root), None)
            })
        };
        let parse = baseline(false)?;
        let with_facts = baseline(true)?;
        let check = repeat(runs, || {
            measure::run(
                seam_check(seam, root, threads).arg("--no-cache"),
                Some(&output),
            )
        })?;
        if check.exit_code > 1 {
            return Err(format!(
                "seam check exited with {} on {}",
                check.exit_code,
                root.display()
            ));
        }
        println!(
            "| {threads} | {} | {} | {} | {:.2} | {:.0} | {} | {} |",
            secs(parse.wall),
            secs(with_facts.wall),
            secs(check.wall),
            check.wall.as_secs_f64() / parse.wall.as_secs_f64(),
            files as f64 / check.wall.as_secs_f64(),
            mib(check.peak_rss),
            mib(parse.peak_rss),
        );
    }
    let findings = std::fs::read_to_string(&output).unwrap_or_default();
    if let Some(line) = findings.lines().rev().find(|l| !l.trim().is_empty()) {
        println!("\nseam: {line}");
    }
    if let Some(made) = generated {
        // A fast run that misses what was planted measures nothing, and one that reports more
        // fires where nothing was planted: the counts must match exactly.
        let mut wrong = Vec::new();
        let report: Vec<String> = generate::planted_findings(&findings, made.features)
            .into_iter()
            .map(|(rule, planted, found)| {
                if found != planted {
                    wrong.push(format!("{rule} ({found} found, {planted} planted)"));
                }
                format!("{rule} {found}/{planted}")
            })
            .collect();
        println!(
            "planted mistakes found (findings/planted): {}",
            report.join(", ")
        );
        if !wrong.is_empty() {
            return Err(format!(
                "seam's findings differ from what was planted: {}",
                wrong.join(", ")
            ));
        }
    }
    // The cache: one run fills it, then warm runs on unchanged files.
    let threads = args.threads.iter().copied().max().unwrap_or(2);
    let _ = std::fs::remove_dir_all(&cache);
    let with_cache = |threads| {
        let mut command = seam_check(seam, root, threads);
        command.arg("--cache-dir").arg(&cache);
        command
    };
    let cold = measure::run(&mut with_cache(threads), None).map_err(|e| e.to_string())?;
    let warm = repeat(runs, || measure::run(&mut with_cache(threads), None))?;
    println!(
        "cache, {threads} threads: first run (fills it) {}, warm re-run {} ({:.1}x faster), peak RSS warm {}",
        secs(cold.wall),
        secs(warm.wall),
        cold.wall.as_secs_f64() / warm.wall.as_secs_f64(),
        mib(warm.peak_rss)
    );
    let _ = std::fs::remove_dir_all(&cache);
    Ok(())
}

fn seam_check(seam: &Path, root: &Path, threads: usize) -> Command {
    let mut command = Command::new(seam);
    command
        .current_dir(root)
        .args(["check", ".", "--format", "concise", "--threads"])
        .arg(threads.to_string());
    command
}

fn repeat(
    runs: usize,
    mut once: impl FnMut() -> std::io::Result<Sample>,
) -> Result<Sample, String> {
    let samples = (0..runs)
        .map(|_| once().map_err(|e| format!("cannot run a measurement: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(measure::median(samples))
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / (1024.0 * 1024.0))
}

fn sibling(name: &str) -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let path = me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no `{name}` binary at {}; build it with `cargo build --release -p seam_cli` or pass --seam",
            path.display()
        ))
    }
}

/// A scratch directory, removed on drop unless the user chose it.
struct Scratch {
    path: PathBuf,
    remove: bool,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn tempdir(chosen: Option<&Path>) -> Result<Scratch, String> {
    let (path, remove) = match chosen {
        Some(path) => (path.to_path_buf(), false),
        None => (
            std::env::temp_dir().join(format!("seam-bench-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    Ok(Scratch { path, remove })
}
