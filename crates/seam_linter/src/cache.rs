//! The cache, in two layers, both keyed by content and never by timestamps:
//!
//! - **Facts**, per file: what parsing and the traversal produced, keyed by a hash of the file's
//!   bytes, its extension (which picks the syntax) and the seam build. A changed file is parsed
//!   again; every other file skips parsing.
//! - **The last run's results**, whole: kept with the run's key (seam build, options, every file
//!   linted with its rules, settings and project facts) and the content hash of every input the
//!   findings could depend on: each linted file, each module the graph joined from outside the
//!   linted paths, and each tsconfig/jsconfig/package.json resolution read. When the key and every
//!   input still match, the findings are the same and no rule runs. When anything differs, rules
//!   run again over the whole graph (with cached facts), so a change in a dependency of a file
//!   always reaches the file's findings.
//!
//! Cache files are written atomically and read defensively: a cache that cannot be read, or was
//! written by another build, is ignored and replaced.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use seam_graph::Resolvers;
use seam_syntax::{Analysis, FileFacts, FileRole, SyntaxError};

use crate::{FileJob, FileResult, FixMode, LintOptions};

const FACTS_FILE: &str = "facts.bin";
const RESULTS_FILE: &str = "results.bin";

/// The default cache directory for a run from `cwd`: `node_modules/.cache/seam` where the
/// project has `node_modules` (where Babel, ESLint and Next put theirs), `.seam-cache` otherwise.
pub fn default_dir(cwd: &Path) -> PathBuf {
    let node_modules = cwd.join("node_modules");
    if node_modules.is_dir() {
        node_modules.join(".cache").join("seam")
    } else {
        cwd.join(".seam-cache")
    }
}

/// The first folder from `dir` up to (not including) the working directory that is a symbolic
/// link, when `dir` lies below the working directory (a folder the user named elsewhere is
/// theirs to choose).
fn linked_folder(dir: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let dir = crate::scope::absolute(&cwd, dir);
    dir.ancestors()
        .take_while(|a| a.starts_with(&cwd) && *a != cwd)
        .find(|a| std::fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink()))
        .map(Path::to_path_buf)
}

fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut temp = tempfile::NamedTempFile::new_in(path.parent().unwrap_or(Path::new(".")))?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// Identifies this build of seam: its version and its executable's size and modification time,
/// so a rebuilt binary never reads facts an older extractor wrote.
fn build_id() -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok())
    {
        hasher.update(&meta.len().to_le_bytes());
        if let Ok(modified) = meta.modified() {
            hasher.update(format!("{modified:?}").as_bytes());
        }
    }
    hasher.digest128()
}

#[derive(Serialize, Deserialize)]
enum CachedAnalysis {
    Facts(Box<FileFacts>),
    SyntaxError(SyntaxError),
}

/// The facts file as read: entries borrow from the file's one buffer.
#[derive(Deserialize)]
struct FactsPack<'a> {
    build: u128,
    #[serde(borrow)]
    entries: Vec<(u128, &'a [u8])>,
}

/// The facts file as written: the same layout, streamed from the entries where they are.
#[derive(Serialize)]
struct FactsPackRef<'a> {
    build: u128,
    entries: Vec<(u128, Bytes<'a>)>,
}

/// Bytes serialized as one byte string (what `&[u8]` deserializes from), not byte by byte.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// The facts of the last run: the file's bytes as read, and where each entry sits in them.
/// One buffer rather than one allocation per file: the cache costs its size in memory, once.
#[derive(Default)]
struct OldFacts {
    bytes: Vec<u8>,
    entries: HashMap<u128, std::ops::Range<usize>>,
}

impl OldFacts {
    /// The facts file in `dir`, if it can be read and this build wrote it.
    fn read(dir: &Path, build: u128) -> Self {
        let Ok(bytes) = std::fs::read(dir.join(FACTS_FILE)) else {
            return Self::default();
        };
        let Some(payload) = verified(&bytes) else {
            return Self::default();
        };
        let entries = match postcard::from_bytes::<FactsPack>(payload) {
            Ok(pack) if pack.build == build => pack
                .entries
                .iter()
                .map(|&(key, entry)| {
                    let start = entry.as_ptr() as usize - bytes.as_ptr() as usize;
                    (key, start..start + entry.len())
                })
                .collect(),
            _ => return Self::default(),
        };
        Self { bytes, entries }
    }

    fn get(&self, key: u128) -> Option<&[u8]> {
        let range = self.entries.get(&key)?;
        self.bytes.get(range.clone())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
struct ResultsPack {
    build: u128,
    key: u128,
    inputs: Vec<Input>,
    results: Vec<FileResult>,
}

/// An open cache directory.
pub struct Cache {
    dir: PathBuf,
    build: u128,
    /// Facts from the last run, serialized, by facts key; loaded on first use (a run whose
    /// results are reused never needs them).
    old_facts: std::sync::OnceLock<OldFacts>,
    /// Facts of this run, serialized, by facts key: what the next run will find. `None` for
    /// facts the last run stored with the same key: they are written from `old_facts`, not
    /// copied.
    new_facts: Mutex<HashMap<u128, Option<Vec<u8>>>>,
    /// When this run started: a file modified since may have changed after it was read.
    started: std::time::SystemTime,
    /// In-process generations (the language server): analyses shared as they are, never
    /// serialized. `None` for a cache on disk.
    shared: Option<Shared>,
    /// Why the folder on disk is neither read nor written (it is, or lies below, a symbolic
    /// link inside the working directory: a pull request could aim it anywhere).
    refused: Option<String>,
}

#[derive(Default)]
struct Shared {
    old: rustc_hash::FxHashMap<u128, Analysis>,
    new: Mutex<rustc_hash::FxHashMap<u128, Analysis>>,
    /// Size and modification time of files read from disk, with their content hash: a file
    /// whose stamp has not changed is not read again (see `Input` for when a stamp is kept).
    old_stamps: rustc_hash::FxHashMap<PathBuf, Stamped>,
    new_stamps: Mutex<rustc_hash::FxHashMap<PathBuf, Stamped>>,
    /// Module resolution, kept until files are created or deleted (`forget_resolution`).
    resolvers: Arc<Resolvers>,
    trust_stamps: bool,
}

/// A file's stamp when it was read, and the hash of what was read.
type Stamped = ((u64, u128), u128);

impl Cache {
    pub fn open(dir: &Path) -> Self {
        Self {
            refused: linked_folder(dir).map(|link| {
                format!(
                    "{} is a symbolic link: the cache is neither read nor written",
                    link.display()
                )
            }),
            dir: dir.to_path_buf(),
            build: build_id(),
            old_facts: std::sync::OnceLock::new(),
            new_facts: Mutex::default(),
            started: std::time::SystemTime::now(),
            shared: None,
        }
    }

    /// A cache that lives only in this process (the language server's): facts of one check
    /// serve the next, see `next_generation`.
    pub fn in_memory() -> Self {
        let mut cache = Self::open(Path::new(""));
        let _ = cache.old_facts.set(OldFacts::default());
        cache.shared = Some(Shared {
            resolvers: Arc::new(Resolvers::remembering()),
            ..Shared::default()
        });
        cache
    }

    /// Files were created or deleted, or a config or manifest changed: module resolution starts
    /// afresh (the analyses stay; they are keyed by content).
    pub fn forget_resolution(&mut self) {
        if let Some(shared) = &mut self.shared {
            shared.resolvers = Arc::new(Resolvers::remembering());
        }
    }

    /// A file changed on disk: the next check reads it again.
    pub fn forget_file(&mut self, path: &Path) {
        if let Some(shared) = &mut self.shared {
            shared.old_stamps.remove(path);
            shared.new_stamps.lock().expect("stamps").remove(path);
        }
    }

    /// Whether a file whose stamp was kept is taken as unchanged without asking the file system:
    /// for a client that reports every change on disk (`workspace/didChangeWatchedFiles`), which
    /// then comes through `forget_file`.
    pub fn trust_stamps(&mut self, trust: bool) {
        if let Some(shared) = &mut self.shared {
            shared.trust_stamps = trust;
        }
    }

    /// The resolvers kept between checks, for an in-process cache.
    pub fn resolvers(&self) -> Option<&Resolvers> {
        self.shared.as_ref().map(|shared| &*shared.resolvers)
    }

    /// The content hash and analysis of a file on disk whose size and modification time are
    /// those it had when a previous check read it: no read, no parse. In-process caches only.
    pub fn unchanged_on_disk(&self, path: &Path, role: FileRole) -> Option<(u128, Analysis)> {
        let shared = self.shared.as_ref()?;
        let &(then, hash) = shared.old_stamps.get(path)?;
        if !shared.trust_stamps && stamp(path)? != then {
            return None;
        }
        let key = self.facts_key(path, role, hash);
        let analysis = shared.old.get(&key)?.clone();
        shared
            .new
            .lock()
            .expect("facts cache")
            .insert(key, analysis.clone());
        shared
            .new_stamps
            .lock()
            .expect("stamps")
            .insert(path.to_path_buf(), (then, hash));
        Some((hash, analysis))
    }

    /// The stamp of a file about to be read, for `stamped` (in-process caches only).
    pub fn stamp_before_read(&self, path: &Path) -> Option<(u64, u128)> {
        self.shared.as_ref().and_then(|_| stamp(path))
    }

    /// Remembers the stamp a file had before it was read and hashed. None is kept for a file
    /// modified since this check started: it may change again within the clock's resolution.
    pub fn stamped(&self, path: &Path, before_read: Option<(u64, u128)>, hash: u128) {
        let (Some(shared), Some(stamp)) = (&self.shared, before_read) else {
            return;
        };
        if stamp.1 >= nanos_since_epoch(self.started) {
            return;
        }
        shared
            .new_stamps
            .lock()
            .expect("stamps")
            .insert(path.to_path_buf(), (stamp, hash));
    }

    /// The cache for the next check in this process: it holds the facts this check used or
    /// made, and nothing older, so memory follows the workspace and not the edit history.
    pub fn next_generation(self) -> Self {
        // An in-memory cache shares analyses (`Shared`) and never serializes facts.
        let old_facts = std::sync::OnceLock::new();
        let _ = old_facts.set(OldFacts::default());
        let shared = self.shared.map(|shared| Shared {
            old: shared.new.into_inner().unwrap_or_default(),
            new: Mutex::default(),
            old_stamps: shared.new_stamps.into_inner().unwrap_or_default(),
            new_stamps: Mutex::default(),
            resolvers: shared.resolvers,
            trust_stamps: shared.trust_stamps,
        });
        Self {
            dir: self.dir,
            build: self.build,
            old_facts,
            new_facts: Mutex::default(),
            started: std::time::SystemTime::now(),
            shared,
            refused: self.refused,
        }
    }

    /// Why the cache on disk is not used, if it is not.
    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// The facts of the last run (none if they cannot be read or another build wrote them).
    fn old_facts(&self) -> &OldFacts {
        self.old_facts.get_or_init(|| match self.refused {
            Some(_) => OldFacts::default(),
            None => OldFacts::read(&self.dir, self.build),
        })
    }

    fn facts_key(&self, path: &Path, role: FileRole, content: u128) -> u128 {
        let mut hasher = Xxh3::new();
        hasher.update(&self.build.to_le_bytes());
        hasher.update(&content.to_le_bytes());
        hasher.update(&[role as u8]);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        hasher.update(extension.as_bytes());
        // Declaration files and component files are analysed differently (see `analyze`).
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        hasher.update(&[name.contains(".d.") as u8]);
        hasher.digest128()
    }

    /// The analysis of a file with this content: from the cache, or from `analyze` (and then
    /// remembered for the next run).
    pub fn analysis(
        &self,
        path: &Path,
        role: FileRole,
        content: u128,
        analyze: impl FnOnce() -> Result<Analysis, String>,
    ) -> Result<Analysis, String> {
        let key = self.facts_key(path, role, content);
        if let Some(shared) = &self.shared {
            let analysis = match shared.old.get(&key) {
                Some(analysis) => analysis.clone(),
                None => analyze()?,
            };
            shared
                .new
                .lock()
                .expect("facts cache")
                .insert(key, analysis.clone());
            return Ok(analysis);
        }
        if let Some(bytes) = self.old_facts().get(key) {
            if let Ok(cached) = postcard::from_bytes::<CachedAnalysis>(bytes) {
                self.remember(key, None);
                return Ok(match cached {
                    CachedAnalysis::Facts(facts) => Analysis::Facts(facts.into()),
                    CachedAnalysis::SyntaxError(error) => Analysis::SyntaxError(error),
                });
            }
        }
        let analysis = analyze()?;
        let cached = match &analysis {
            Analysis::Facts(facts) => postcard::to_stdvec(&CachedAnalysisRef::Facts(facts)),
            Analysis::SyntaxError(error) => {
                postcard::to_stdvec(&CachedAnalysisRef::SyntaxError(error))
            }
        };
        if let Ok(mut bytes) = cached {
            // Held until the run ends: without the spare capacity a growing buffer leaves.
            bytes.shrink_to_fit();
            self.remember(key, Some(bytes));
        }
        Ok(analysis)
    }

    fn remember(&self, key: u128, bytes: Option<Vec<u8>>) {
        self.new_facts
            .lock()
            .expect("facts cache")
            .insert(key, bytes);
    }

    /// The results of the last run, if its key and every input it recorded still match.
    pub fn results(&self, key: u128) -> Option<Vec<FileResult>> {
        if self.refused.is_some() {
            return None;
        }
        let bytes = std::fs::read(self.dir.join(RESULTS_FILE)).ok()?;
        // Findings name their rule with a `&'static str`; the buffer lives as long as the
        // process, like the findings a fresh run would make.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let pack: ResultsPack = postcard::from_bytes(verified(bytes)?).ok()?;
        if pack.build != self.build || pack.key != key {
            return None;
        }
        let unchanged = pack.inputs.par_iter().all(Input::unchanged);
        unchanged.then_some(pack.results)
    }

    /// Writes this run's facts and results. Failing to write is not an error of the run: the
    /// next run is only slower.
    pub fn store(&self, key: Option<u128>, inputs: Vec<(PathBuf, u128)>, results: &[FileResult]) {
        let started = self.started;
        let inputs = inputs
            .into_par_iter()
            .map(|input| Input::new(input, started))
            .collect();
        if self.refused.is_some() || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // Through a temporary file renamed into place: a committed `.gitignore` symlink is
        // replaced, never followed.
        if !std::fs::symlink_metadata(self.dir.join(".gitignore")).is_ok_and(|m| m.is_file()) {
            let _ = write_bytes_atomically(&self.dir.join(".gitignore"), b"*\n");
        }
        let new_facts = std::mem::take(&mut *self.new_facts.lock().expect("facts cache"));
        let old_facts = self.old_facts.get();
        let entries = new_facts
            .iter()
            .filter_map(|(&key, bytes)| {
                let bytes = match bytes {
                    Some(bytes) => bytes.as_slice(),
                    None => old_facts?.get(key)?,
                };
                Some((key, Bytes(bytes)))
            })
            .collect();
        let facts = FactsPackRef {
            build: self.build,
            entries,
        };
        write_atomically(&self.dir.join(FACTS_FILE), &facts);
        let Some(key) = key else {
            let _ = std::fs::remove_file(self.dir.join(RESULTS_FILE));
            return;
        };
        let pack = ResultsPackRef {
            build: self.build,
            key,
            inputs,
            results,
        };
        write_atomically(&self.dir.join(RESULTS_FILE), &pack);
    }
}

#[derive(Serialize)]
enum CachedAnalysisRef<'a> {
    Facts(&'a FileFacts),
    SyntaxError(&'a SyntaxError),
}

#[derive(Serialize)]
struct ResultsPackRef<'a> {
    build: u128,
    key: u128,
    inputs: Vec<Input>,
    results: &'a [FileResult],
}

/// A file a run's results depend on: its content hash, and the size and modification time it had
/// when the hash was taken. Unchanged metadata is trusted to mean unchanged content (as cargo and
/// ruff do), so a warm run reads no file; changed metadata falls back to comparing the hash, so a
/// touched but unchanged file still hits.
#[derive(Serialize, Deserialize)]
struct Input {
    path: PathBuf,
    hash: u128,
    stamp: Option<(u64, u128)>,
}

impl Input {
    /// Without a stamp when the file changed after `started`: it may have changed after it
    /// was read and hashed (git's "racily clean" case), so the next run compares hashes.
    fn new((path, hash): (PathBuf, u128), started: std::time::SystemTime) -> Self {
        let since = nanos_since_epoch(started);
        let stamp = stamp(&path).filter(|&(_, modified)| modified < since);
        Self { path, hash, stamp }
    }

    fn unchanged(&self) -> bool {
        match (self.stamp, stamp(&self.path)) {
            (Some(then), Some(now)) if then == now => true,
            _ => hash_file(&self.path) == self.hash,
        }
    }
}

fn nanos_since_epoch(time: std::time::SystemTime) -> u128 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Size and modification time in nanoseconds, when the file has them.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?;
    let nanos = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), nanos))
}

/// The content hash of a file, or 0 when it cannot be read (so a file that appears or
/// disappears changes the hash).
pub fn hash_file(path: &Path) -> u128 {
    std::fs::read(path).map_or(0, |bytes| content_hash(&bytes))
}

/// Serializes `value` straight into a temporary file beside `path`, then renames it over
/// `path`: no buffer of the whole file is built, and a reader never sees half of one.
fn write_atomically(path: &Path, value: &impl Serialize) {
    use std::io::Write;
    let Some(dir) = path.parent() else { return };
    let Ok(file) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    let hashing = Hashing {
        inner: std::io::BufWriter::new(file),
        hasher: Xxh3::new(),
    };
    let written = postcard::to_io(value, hashing).ok().and_then(|mut w| {
        let digest = w.hasher.digest128().to_le_bytes();
        w.inner.write_all(&digest).ok()?;
        w.inner.into_inner().ok()
    });
    if let Some(file) = written {
        let _ = file.persist(path);
    }
}

/// The bytes written, with the checksum of everything written so far.
struct Hashing<W> {
    inner: W,
    hasher: Xxh3,
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A cache file's payload when its trailing checksum matches (a flipped bit, a truncated or
/// foreign file reads as no cache, and the run recomputes).
fn verified(bytes: &[u8]) -> Option<&[u8]> {
    let split = bytes.len().checked_sub(16)?;
    let (payload, digest) = bytes.split_at(split);
    (xxh3_128(payload).to_le_bytes() == digest).then_some(payload)
}

/// The key of a run: everything besides file contents and the seam build (which the results
/// file records apart) that decides its findings. Jobs that share a rule set, settings and
/// project share one digest, computed once.
pub fn run_key(jobs: &[FileJob], options: &LintOptions) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(match options.fix {
        FixMode::Off => b"off",
        FixMode::Safe => b"safe",
        FixMode::Unsafe => b"unsf",
    });
    let mut digests: HashMap<[usize; 4], u128> = HashMap::new();
    for job in jobs {
        hasher.update(job.path.as_os_str().as_encoded_bytes());
        hasher.update(b"\0");
        hasher.update(job.rule_path.as_os_str().as_encoded_bytes());
        hasher.update(b"\0");
        hasher.update(job.absolute.as_os_str().as_encoded_bytes());
        hasher.update(b"\0");
        // Which files share a graph (a workspace's members changed, a package.json appeared).
        if let Some(root) = &job.analysis_root {
            hasher.update(root.as_os_str().as_encoded_bytes());
        }
        hasher.update(b"\0");
        let identity = [
            std::sync::Arc::as_ptr(&job.rules) as usize,
            std::sync::Arc::as_ptr(&job.settings) as usize,
            job.project
                .manifest
                .as_ref()
                .map_or(0, |m| std::sync::Arc::as_ptr(m) as usize),
            job.project
                .next_config
                .as_ref()
                .map_or(0, |c| std::sync::Arc::as_ptr(c) as usize),
        ];
        let digest = *digests
            .entry(identity)
            .or_insert_with(|| configuration_digest(job));
        hasher.update(&digest.to_le_bytes());
    }
    hasher.digest128()
}

/// Rules with severities and options, settings, and what the project tells rules (versions,
/// package.json, next.config), as one hash.
fn configuration_digest(job: &FileJob) -> u128 {
    let mut text = String::new();
    for enabled in job.rules.iter() {
        text.push_str(&format!(
            "{}:{:?}:{}\n",
            enabled.rule.name, enabled.severity, enabled.options
        ));
    }
    text.push_str(&job.settings.to_string());
    text.push_str(&format!("{:?}", job.project));
    xxh3_128(text.as_bytes())
}

/// Whether a run can reuse and record whole results: only a run that writes nothing.
pub fn caches_results(options: &LintOptions) -> bool {
    options.fix == FixMode::Off
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "export async function save() { 'use server'; }\n";

    fn analysed_by(cache: &Cache, path: &Path, source: &str) -> (Analysis, bool) {
        analysed_as(cache, path, FileRole::App, source)
    }

    fn analysed_as(cache: &Cache, path: &Path, role: FileRole, source: &str) -> (Analysis, bool) {
        let mut parsed = false;
        let analysis = cache
            .analysis(path, role, content_hash(source.as_bytes()), || {
                parsed = true;
                Ok(seam_syntax::analyze_as(path, source, role))
            })
            .expect("an analysis");
        (analysis, parsed)
    }

    fn facts_of(analysis: &Analysis) -> &FileFacts {
        match analysis {
            Analysis::Facts(facts) => facts,
            Analysis::SyntaxError(error) => panic!("does not parse: {error:?}"),
        }
    }

    /// Facts a run took from the cache are written again for the run after it (from the last
    /// file's bytes, not from a copy), so an unchanged file is parsed once, ever.
    #[test]
    fn facts_read_from_the_cache_are_kept_for_the_next_run() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = Path::new("app/actions.ts");
        let mut facts = Vec::new();
        for run in 0..3 {
            let cache = Cache::open(dir.path());
            let (analysis, parsed) = analysed_by(&cache, path, SOURCE);
            assert_eq!(parsed, run == 0, "run {run} parsed: {parsed}");
            facts.push(facts_of(&analysis).clone());
            cache.store(None, Vec::new(), &[]);
        }
        assert_eq!(facts[0], facts[1]);
        assert_eq!(facts[0], facts[2]);
    }

    /// A changed file is parsed again; its old facts are dropped from the file, and the other
    /// files' facts stay.
    #[test]
    fn a_changed_file_is_parsed_again_and_the_others_are_not() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (a, b) = (Path::new("a.ts"), Path::new("b.ts"));
        let edited = "export async function save() { 'use server'; return 1; }\n";
        let cache = Cache::open(dir.path());
        analysed_by(&cache, a, SOURCE);
        analysed_by(&cache, b, "export const b = 1;\n");
        cache.store(None, Vec::new(), &[]);

        let cache = Cache::open(dir.path());
        assert!(
            analysed_by(&cache, a, edited).1,
            "the edited file is parsed"
        );
        assert!(!analysed_by(&cache, b, "export const b = 1;\n").1);
        cache.store(None, Vec::new(), &[]);

        let cache = Cache::open(dir.path());
        assert_eq!(
            cache.old_facts().entries.len(),
            2,
            "the old text's facts are gone"
        );
        assert!(!analysed_by(&cache, a, edited).1);
        assert!(
            analysed_by(&cache, a, SOURCE).1,
            "the old text is parsed again"
        );
    }

    /// A test or script is analysed with less traversal than app code (see `FileRole`): the
    /// same text in the other role (a package.json moved, and the file's path in its project
    /// with it) is analysed again, never answered with the other role's facts.
    #[test]
    fn facts_are_kept_per_role() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = Path::new("tests/seed.ts");
        let source = "const seen = new Map()\nexport function f(k) { seen.set(k, 1) }\n";
        let cache = Cache::open(dir.path());
        let (script, _) = analysed_as(&cache, path, FileRole::TestOrScript, source);
        cache.store(None, Vec::new(), &[]);

        let cache = Cache::open(dir.path());
        let (app, parsed) = analysed_as(&cache, path, FileRole::App, source);
        assert!(parsed, "the other role's facts are not reused");
        assert!(!facts_of(&script).walked && facts_of(&app).walked);
        assert!(!analysed_as(&cache, path, FileRole::TestOrScript, source).1);
    }
}
