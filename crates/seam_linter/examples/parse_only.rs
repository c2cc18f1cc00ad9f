//! Baseline for speed comparisons: walk and parse the same files `seam check` would, with the
//! same thread pool, and do nothing else.
//!
//! cargo run --release -p seam_linter --example parse_only -- [--facts] PATH...
//!
//! With `--facts` it also runs the facts traversal (`seam_syntax::analyze`), so the three levels
//! (parse, parse + facts, `seam check`) can be compared on the same files.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let facts = args.iter().any(|a| a == "--facts");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| *a != "--facts")
        .map(PathBuf::from)
        .collect();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let start = Instant::now();
    let (files, _) = seam_linter::collect_files(&paths);
    let walked = start.elapsed();
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .expect("thread pool");
    let failed: usize = pool.install(|| {
        files
            .par_iter()
            .map(|f| match std::fs::read_to_string(f) {
                Ok(text) if facts => usize::from(matches!(
                    seam_syntax::analyze(f, &text),
                    seam_syntax::Analysis::SyntaxError(_)
                )),
                Ok(text) => usize::from(!seam_syntax::parses_cleanly(f, &text)),
                Err(_) => 1,
            })
            .sum()
    });
    let total = start.elapsed();
    println!(
        "{} files parsed in {:.1} ms (walk {:.1} ms), {} did not parse, {:.0} files/s",
        files.len(),
        total.as_secs_f64() * 1000.0,
        walked.as_secs_f64() * 1000.0,
        failed,
        files.len() as f64 / total.as_secs_f64()
    );
}
