//! `seam-fuzz`: long fuzzing runs. Every failing input is written to `--out` with what failed,
//! ready to become a regression test (`tests/fuzz-regressions`).
//!
//!     cargo run --release -p seam_fuzz -- --target file --minutes 30 --seed 1

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use seam_fuzz::{iteration, Corpus, Rng, Target};

#[derive(Clone, Copy, ValueEnum)]
enum TargetArg {
    /// One file: parse, facts, rules, fixes (must re-parse and be idempotent).
    File,
    /// The file's whole app with the mutated text in it: graph, cross-file rules.
    App,
}

#[derive(Parser)]
#[command(about = "Mutation fuzzing of seam, seeded from the fixture apps")]
struct Args {
    #[arg(long, value_enum, default_value = "file")]
    target: TargetArg,
    /// Stop after this many minutes.
    #[arg(long, default_value_t = 1.0)]
    minutes: f64,
    /// Stop after this many inputs (whichever comes first).
    #[arg(long)]
    iterations: Option<u64>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The seed corpus (default: the repository's tests/fixtures).
    #[arg(long)]
    fixtures: Option<PathBuf>,
    /// Where failing inputs go.
    #[arg(long, default_value = "target/fuzz-failures")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    seam_diagnostics::panics::install_hook();
    let fixtures = args
        .fixtures
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures"));
    let corpus = match Corpus::load(&fixtures) {
        Ok(corpus) => corpus,
        Err(message) => {
            eprintln!("seam-fuzz: {message}");
            return ExitCode::from(2);
        }
    };
    let target = match args.target {
        TargetArg::File => Target::File,
        TargetArg::App => Target::App,
    };
    let mut rng = Rng::new(args.seed);
    let started = Instant::now();
    let budget = Duration::from_secs_f64(args.minutes * 60.0);
    let mut report_at = Duration::from_secs(60);
    let (mut executions, mut failures) = (0u64, 0u64);
    while started.elapsed() < budget && args.iterations.is_none_or(|n| executions < n) {
        let (seed, input, outcome) = iteration(&corpus, &mut rng, target);
        executions += 1;
        if let Err(failure) = outcome {
            failures += 1;
            let seed_path = &corpus.seeds[seed].path;
            let extension = seed_path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("ts");
            let _ = std::fs::create_dir_all(&args.out);
            let file = args.out.join(format!("failure-{failures}.{extension}"));
            let _ = std::fs::write(&file, &input);
            let _ = std::fs::write(
                file.with_extension("txt"),
                format!("seed file: {}\n{failure:?}\n", seed_path.display()),
            );
            eprintln!("seam-fuzz: {failure:?} (input: {})", file.display());
        }
        if started.elapsed() >= report_at {
            eprintln!(
                "seam-fuzz: {executions} inputs in {:.0?}, {failures} failures",
                started.elapsed()
            );
            report_at += Duration::from_secs(60);
        }
    }
    println!(
        "seam-fuzz: target {:?}, seed {}: {executions} inputs in {:.1?} ({:.0}/s), {failures} failures",
        target,
        args.seed,
        started.elapsed(),
        executions as f64 / started.elapsed().as_secs_f64()
    );
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
