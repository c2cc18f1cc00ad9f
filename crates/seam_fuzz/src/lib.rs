//! Mutation fuzzing without a nightly toolchain: inputs are fixture files mutated by a seeded
//! generator (bytes, lines, splices from other files, tokens seam's rules look at), pushed
//! through what `seam check --fix --unsafe-fixes` does to a file, and checked for the properties
//! users rely on:
//!
//! - no panic anywhere (the linter turns one into an "internal error" note, which counts here);
//! - a fix never turns a file that parses into one that does not;
//! - fixing is idempotent: a second pass over the fixed text applies nothing.
//!
//! The `graph` target also swaps the mutated text into its app and checks the whole app with the
//! cross-file rules, as the language server does with an unsaved file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use seam_linter::{cache::Cache, FileJob, FixMode};

/// A deterministic generator (xorshift64*): a seed gives the same inputs on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Pieces of code the rules and the parser care about: directives, the Next.js APIs the rules
/// follow, and the brackets, quotes and comment markers that make parsers and fixes stumble.
const TOKENS: &[&str] = &[
    "'use server'\n",
    "'use client'\n",
    "'use cache'\n",
    "\"use cache: private\";",
    "'use sever'\n",
    "async ",
    "await ",
    "export ",
    "export default ",
    "function ",
    "=> ",
    "throw new Error('x')\n",
    "revalidatePath('/')\n",
    "revalidatePath('/', 'layout');",
    "revalidateTag('t')\n",
    "cacheLife('hours')\n",
    "cacheTag('x');",
    "redirect('/login')\n",
    "try { ",
    "} catch (e) { }\n",
    "cookies()",
    "process.env.SECRET_KEY",
    "import 'server-only'\n",
    "import { db } from '@/lib/db'\n",
    "import { revalidatePath } from 'next/cache'\n",
    "const cache = new Map();\n",
    "cache.set(id, value);",
    "fetch(url, { cache: 'force-cache' })",
    "for (const x of xs) {",
    "// seam-disable-next-line throw-in-action\n",
    "/* seam-disable */\n",
    "{/* seam-disable-next-line missing-auth-check */}",
    "<form action={async () => { 'use server'; }}>",
    "</form>",
    "<div>",
    "</div>",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "`${",
    "`",
    "'",
    "\"",
    "/*",
    "*/",
    "//",
    ";",
    ",",
    "\n",
    "\r\n",
    "\u{feff}",
    "é😀",
    "\0",
];

/// A seed file of the corpus.
pub struct Seed {
    pub path: PathBuf,
    pub text: String,
}

/// The fixture apps' source files, with the jobs that lint them (config and project of each).
pub struct Corpus {
    pub seeds: Vec<Seed>,
    /// Every app's jobs, by app root, and each seed's app root.
    apps: HashMap<PathBuf, Vec<FileJob>>,
    app_of: Vec<PathBuf>,
}

impl Corpus {
    /// Every lintable file under `fixtures` (the repository's `tests/fixtures`): each directory
    /// with a package.json is an app.
    pub fn load(fixtures: &Path) -> Result<Self, String> {
        let (files, _) = seam_linter::collect_files(&[fixtures.to_path_buf()]);
        let mut seeds = Vec::new();
        let mut app_of = Vec::new();
        let mut by_app: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let app = path
                .ancestors()
                .skip(1)
                .find(|dir| dir.join("package.json").is_file())
                .unwrap_or(fixtures)
                .to_path_buf();
            by_app.entry(app.clone()).or_default().push(path.clone());
            seeds.push(Seed { path, text });
            app_of.push(app);
        }
        if seeds.is_empty() {
            return Err(format!("no source files under {}", fixtures.display()));
        }
        let mut apps = HashMap::new();
        for (app, files) in by_app {
            let mut configs = seam_config::ConfigResolver::default();
            let jobs = seam_linter::plan_with(&files, &app, &mut configs, &files)
                .map_err(|e| format!("{}: {e}", app.display()))?;
            apps.insert(app, jobs);
        }
        Ok(Self {
            seeds,
            apps,
            app_of,
        })
    }

    /// The job that lints seed `i`.
    pub fn job(&self, i: usize) -> &FileJob {
        let path = &self.seeds[i].path;
        self.apps[&self.app_of[i]]
            .iter()
            .find(|job| job.absolute == *path || job.path == *path)
            .expect("every seed has a job")
    }

    fn app_jobs(&self, i: usize) -> &[FileJob] {
        &self.apps[&self.app_of[i]]
    }

    /// Seed `i` mutated one to four times.
    pub fn mutate(&self, i: usize, rng: &mut Rng) -> String {
        let mut bytes = self.seeds[i].text.clone().into_bytes();
        for _ in 0..=rng.below(4) {
            self.mutate_once(&mut bytes, rng);
        }
        // The linter rejects bytes that are not UTF-8 when it reads them; past that point
        // every text is UTF-8.
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn mutate_once(&self, bytes: &mut Vec<u8>, rng: &mut Rng) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(7) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                // Duplicate a run (nesting, repeated statements).
                let end = (at + rng.below(256)).min(bytes.len());
                let run = bytes[at..end].to_vec();
                bytes.splice(at..at, run);
            }
            3 => {
                // Splice in part of another seed.
                let other = self.seeds[rng.below(self.seeds.len())].text.as_bytes();
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(512)).min(other.len());
                bytes.splice(at..at, other[from..to].iter().copied());
            }
            4 => {
                // Cut at a line boundary: whole statements go missing.
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| at + p + 1);
                bytes.drain(at..end);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
        }
    }
}

/// A property that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A panic (the linter's "internal error" note).
    Panic(String),
    /// The text parsed, and after fixing it does not.
    FixBrokeParse(String),
    /// A second fixing pass over fixed text still applied fixes.
    NotIdempotent(String),
}

/// Runs what `seam check --fix --unsafe-fixes` does to one file on `text`.
pub fn check_file(job: &FileJob, text: &str) -> Result<(), Failure> {
    let first = seam_linter::lint_source(job, text.to_string(), FixMode::Unsafe);
    internal_errors(&first.notes)?;
    if first.original.is_none() {
        return Ok(());
    }
    if seam_syntax::parses_cleanly(&job.path, text)
        && !seam_syntax::parses_cleanly(&job.path, &first.source)
    {
        return Err(Failure::FixBrokeParse(first.source));
    }
    let second = seam_linter::lint_source(job, first.source.clone(), FixMode::Unsafe);
    internal_errors(&second.notes)?;
    if second.original.is_some() {
        return Err(Failure::NotIdempotent(second.source));
    }
    Ok(())
}

/// Checks seed `i`'s whole app with `text` in place of the seed (unsaved, as in an editor):
/// cross-file rules, the graph and the resolution run over it.
pub fn check_in_app(corpus: &Corpus, i: usize, text: &str) -> Result<(), Failure> {
    let path = corpus.job(i).absolute.clone();
    let overlays = HashMap::from([(path.clone(), text.to_string())]);
    let targets = HashSet::from([path]);
    let results = seam_linter::run_with_overlays(
        corpus.app_jobs(i),
        &overlays,
        &targets,
        &Cache::in_memory(),
    );
    for result in &results {
        internal_errors(&result.notes)?;
    }
    Ok(())
}

fn internal_errors(notes: &[String]) -> Result<(), Failure> {
    match notes.iter().find(|n| n.contains("internal error")) {
        Some(note) => Err(Failure::Panic(note.clone())),
        None => Ok(()),
    }
}

/// Which pipeline an iteration exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// One file: parse, facts, rules, fix loop, and the fix properties.
    File,
    /// The file's whole app with the mutated text in it: graph and cross-file rules.
    App,
}

/// One iteration: a mutated seed through `target`. Returns the seed index, the input and the
/// outcome.
pub fn iteration(
    corpus: &Corpus,
    rng: &mut Rng,
    target: Target,
) -> (usize, String, Result<(), Failure>) {
    let i = rng.below(corpus.seeds.len());
    let text = corpus.mutate(i, rng);
    let outcome = match target {
        Target::File => check_file(corpus.job(i), &text),
        Target::App => check_in_app(corpus, i, &text),
    };
    (i, text, outcome)
}
