//! The pipeline: walk → parse and extract facts (once per file, in parallel) → rules →
//! suppressions → diagnostics, and the fix loop that rewrites files safely.

pub mod cache;
mod fix;
mod project;
pub mod scope;
mod suppressions;
pub mod testing;
mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use seam_config::{ConfigError, ConfigResolver, EnabledRule};
use seam_diagnostics::{Diagnostic, Severity};
use seam_graph::{ModuleGraph, ModuleId};
use seam_rules::rules::{PARSE_ERROR, UNUSED_SUPPRESSION};
use seam_rules::{FileContext, ProjectInfo};
use seam_syntax::{analyze_as, Analysis, FileFacts, FileRole, SyntaxError};

pub use fix::{apply_fixes, FixMode};
pub use project::{Project, ProjectResolver};
pub use seam_syntax::is_lintable;
pub use walk::{collect_files, WalkError, ALWAYS_SKIPPED};

/// Everything needed to lint one file, resolved before the parallel phase.
pub struct FileJob {
    /// The path as shown to users (relative to the working directory when possible).
    pub path: PathBuf,
    /// The path rules see: relative to the project root, for path-based exemptions.
    pub rule_path: PathBuf,
    pub rules: Arc<Vec<EnabledRule>>,
    pub project: ProjectInfo,
    /// The config's `settings` object.
    pub settings: Arc<serde_json::Value>,
    /// The path made absolute, as the module graph knows it.
    pub absolute: PathBuf,
    /// The folder analysed as one whole with this file (its workspace or package; see
    /// `seam_graph::workspace`): files of one root share a module graph, and nothing outside it
    /// but what its files import can change their findings. None for loose files.
    pub analysis_root: Option<Arc<Path>>,
}

impl FileJob {
    /// What the file is for, by its path in its project (see `FileRole`).
    pub fn role(&self) -> FileRole {
        seam_rules::file_role(&self.rule_path)
    }
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
// Findings name their rule with a `&'static str` (see `cache::Cache::results`).
#[serde(bound(deserialize = "'de: 'static"))]
pub struct FileResult {
    pub path: PathBuf,
    /// The text the diagnostics refer to (after fixes, when any were applied); empty for files
    /// without findings or fixes, whose text nothing reads again.
    pub source: String,
    /// The text before fixes, when fixes changed it.
    pub original: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub fixes_applied: usize,
    /// Things the user should know that are not findings (a dropped fix pass, a failed write).
    pub notes: Vec<String>,
    /// The file could not be read or written.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    pub fix: FixMode,
    /// Compute fixes but write nothing.
    pub dry_run: bool,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// The cache directory (see `cache`); `None` runs without a cache.
    pub cache: Option<PathBuf>,
}

/// The module graph a file is checked against, and the file's module in it.
#[derive(Clone, Copy)]
pub struct ProjectView<'g> {
    pub graph: &'g ModuleGraph,
    pub module: ModuleId,
}

/// Lints one text as the file `job` describes: against the module graph when one is given,
/// and from facts already extracted from exactly this text when given (so the text is not
/// parsed again). Never panics: a rule that panics becomes an internal-error note on the file
/// and the other rules still report.
pub(crate) fn lint_text_in(
    job: &FileJob,
    source: &str,
    project: Option<ProjectView>,
    facts: Option<&FileFacts>,
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut notes = Vec::new();
    let analysis;
    let facts = match facts {
        Some(facts) => facts,
        None => {
            analysis = match analyze_guarded(&job.path, job.role(), source) {
                Ok(analysis) => analysis,
                Err(note) => {
                    notes.push(note);
                    return (Vec::new(), notes);
                }
            };
            match &analysis {
                Analysis::Facts(facts) => &**facts,
                Analysis::SyntaxError(error) => return (parse_error(job, error), notes),
            }
        }
    };
    let enabled = |name: &str| job.rules.iter().find(|r| r.rule.name == name);
    let mut diagnostics = Vec::new();
    for enabled_rule in job.rules.iter() {
        let Some(check) = enabled_rule.rule.check else {
            continue;
        };
        let ctx = FileContext {
            path: &job.rule_path,
            source,
            facts,
            project: &job.project,
            options: &enabled_rule.options,
            settings: &job.settings,
            graph: project.map(|p| (p.graph, p.module)),
        };
        run_check(
            enabled_rule,
            |found| check(&ctx, found),
            &mut diagnostics,
            &mut notes,
        );
    }
    let mut diagnostics = suppressions::apply(
        diagnostics,
        facts,
        source,
        |name| seam_rules::find(name).is_some(),
        |name| enabled(name).is_some(),
        seam_config::suggest_rule,
    );
    match enabled(UNUSED_SUPPRESSION) {
        Some(r) => diagnostics
            .iter_mut()
            .filter(|d| d.rule == UNUSED_SUPPRESSION)
            .for_each(|d| d.severity = r.severity),
        None => diagnostics.retain(|d| d.rule != UNUSED_SUPPRESSION),
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.rule));
    (diagnostics, notes)
}

/// Runs one rule's check and gives its findings the configured severity. A rule that panics
/// becomes an internal-error note, and the other rules still report.
fn run_check(
    enabled: &EnabledRule,
    check: impl FnOnce(&mut Vec<Diagnostic>),
    diagnostics: &mut Vec<Diagnostic>,
    notes: &mut Vec<String>,
) {
    let mut found = Vec::new();
    match seam_diagnostics::panics::catch(|| {
        panic_for_tests(enabled.rule.name);
        check(&mut found)
    }) {
        Ok(()) => diagnostics.extend(found.into_iter().map(|d| {
            // A fix the rule did not declare is a bug in the rule: fail loudly in tests.
            if let Some(fix) = &d.fix {
                debug_assert!(
                    enabled.rule.fix.allows(fix.applicability),
                    "rule `{}` declares {} fixes but offered a {:?} one",
                    enabled.rule.name,
                    enabled.rule.fix.as_str(),
                    fix.applicability
                );
            }
            d.configured(enabled.severity)
        })),
        Err(panic) => notes.push(format!(
            "internal error: rule `{}` {panic}; please report it",
            enabled.rule.name
        )),
    }
}

/// In debug builds (the tests'), `SEAM_TEST_PANIC_RULE=NAME` makes rule NAME panic, to test
/// that a panicking rule is contained. Release builds never read it.
fn panic_for_tests(rule: &str) {
    if cfg!(debug_assertions)
        && std::env::var("SEAM_TEST_PANIC_RULE").is_ok_and(|name| name == rule)
    {
        panic!("SEAM_TEST_PANIC_RULE={rule}");
    }
}

/// In debug builds (the tests'), `SEAM_TEST_REVERSE_ORDER=1` plans files in reverse order, so
/// modules get other ids and are visited in another order: findings must not change.
fn reverse_for_tests() -> bool {
    cfg!(debug_assertions) && std::env::var_os("SEAM_TEST_REVERSE_ORDER").is_some()
}

/// In debug builds (the tests'), `SEAM_TEST_REMOVE_AFTER_PARSE=PATH` deletes PATH between
/// phase one and phase two: a file deleted during a run, at a moment a test can choose.
fn remove_for_tests() {
    if cfg!(debug_assertions) {
        if let Some(path) = std::env::var_os("SEAM_TEST_REMOVE_AFTER_PARSE") {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn parse_error(job: &FileJob, error: &SyntaxError) -> Vec<Diagnostic> {
    job.rules
        .iter()
        .find(|r| r.rule.name == PARSE_ERROR)
        .map(|r| {
            let mut d = Diagnostic::new(
                PARSE_ERROR,
                error.range,
                format!("Syntax error: {}", error.message),
            )
            .with_help("seam checks nothing else in a file that does not parse.");
            d.severity = r.severity;
            d
        })
        .into_iter()
        .collect()
}

/// Stack for linting threads: swc and seam's passes recurse once per nesting level, and real
/// bundles nest thousands of levels deep.
const LINT_STACK: usize = 64 << 20;

/// Lints (and fixes, in memory) a text that does not come from disk, such as stdin. Runs on a
/// thread with the same large stack as `run`'s workers.
pub fn lint_source(job: &FileJob, source: String, mode: FixMode) -> FileResult {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(LINT_STACK)
            .spawn_scoped(scope, || lint_source_here(job, source, mode))
            .expect("a linting thread")
            .join()
            .unwrap_or_else(|_| FileResult {
                path: job.path.clone(),
                notes: vec!["internal error: linting this input panicked; please report it".into()],
                ..Default::default()
            })
    })
}

fn lint_source_here(job: &FileJob, source: String, mode: FixMode) -> FileResult {
    let phase1 = load_text(job, source);
    let resolvers = seam_graph::Resolvers::new();
    let (graph, loaded) = build_graph(vec![(job.absolute.clone(), phase1, None)], None, &resolvers);
    let loaded = loaded.into_iter().next().expect("one file");
    finish(job, &graph, loaded, mode, false, &resolvers)
}

/// A file read and parsed once, before the module graph is built.
struct Loaded {
    /// Cannot be read, or not UTF-8.
    error: Option<String>,
    syntax_error: Option<SyntaxError>,
    notes: Vec<String>,
    module: Option<ModuleId>,
    /// The text was dropped after analysis to keep memory flat; phase two reads the file again
    /// and checks that its bytes still have this hash.
    reread: Option<u128>,
}

/// The default of `--max-file-size`: above it a file is skipped with a note. Hand-written
/// modules stay far below; what lies above is minified bundles and generated data, whose findings
/// are nobody's to fix and whose parse would cost more than the rest of a file's run.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

static MAX_FILE_SIZE: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Sets the size above which files are skipped with a note (for the whole process).
pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// A file's text as seam reads it: skipped above `--max-file-size`, UTF-8 or UTF-16 with a byte
/// order mark. The benchmark's parse-only baseline reads through this, so it parses exactly the
/// files seam parses.
pub fn read_source(path: &Path) -> Result<String, String> {
    read_bounded(path).and_then(decode)
}

/// A file's text, with the hash of its bytes (0 when it cannot be read) for the cache.
fn read_hashed(path: &Path) -> (u128, Result<String, String>) {
    match read_bounded(path) {
        Ok(bytes) => (cache::content_hash(&bytes), decode(bytes)),
        Err(error) => (0, Err(error)),
    }
}

/// UTF-8, or UTF-16 with a byte order mark (TypeScript reads both; Windows tools write the
/// latter, `supabase gen types` in PowerShell for one).
fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let little_endian = match bytes.get(..2) {
        Some([0xff, 0xfe]) => true,
        Some([0xfe, 0xff]) => false,
        _ => return String::from_utf8(bytes).map_err(|_| "not valid UTF-8; skipped".into()),
    };
    let invalid = || "not valid UTF-16 (it starts with a UTF-16 byte order mark); skipped";
    if !bytes.len().is_multiple_of(2) {
        return Err(invalid().into());
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| invalid().into())
}

/// The bytes of a file no larger than `--max-file-size`, without reading a larger one.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_dir() {
        return Err("is a directory; skipped".into());
    }
    let limit = MAX_FILE_SIZE.load(std::sync::atomic::Ordering::Relaxed);
    if meta.len() > limit {
        return Err(format!(
            "skipped: {} is above the {} limit (--max-file-size)",
            human_size(meta.len()),
            human_size(limit)
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // Read no more than the limit even if the file grows meanwhile.
    (&mut file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "skipped: above the {} limit (--max-file-size)",
            human_size(limit)
        ));
    }
    Ok(bytes)
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / (1 << 10) as f64),
        b => format!("{b} bytes"),
    }
}

/// How a note on a panic in the analysis of a file starts.
const ANALYSIS_PANIC: &str = "internal error: analysing this file panicked";

/// Parses a text once; a parser panic becomes a note.
fn analyze_guarded(path: &Path, role: FileRole, source: &str) -> Result<Analysis, String> {
    let _lane = (source.len() > LARGE_FILE).then(|| {
        LARGE_FILE_LANE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    seam_diagnostics::panics::catch(|| analyze_as(path, source, role))
        .map_err(|panic| format!("{ANALYSIS_PANIC} ({panic}); please report it"))
}

/// Files above this many bytes are analysed one at a time. A syntax tree costs about 27 bytes
/// of memory per byte of minified source (swc's parse alone: 26), so two 50 MB bundles on two
/// threads would need 2.6 GB at once; one at a time, peak memory follows the largest file, not
/// the thread count. Ordinary sources are far below it and never wait.
const LARGE_FILE: usize = 1 << 20;
static LARGE_FILE_LANE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// What phase one produced for a file: its text and facts, or why there are none.
type Phase1 = Result<(String, Analysis), String>;

/// A file after phase one: its path, what phase one produced, and the hash of its bytes when
/// the text was dropped (see `Loaded::reread`).
type Analysed = (PathBuf, Phase1, Option<u128>);

fn load_text(job: &FileJob, source: String) -> Phase1 {
    let analysis = analyze_guarded(&job.path, job.role(), &source)?;
    Ok((source, analysis))
}

/// Reads and analyses a file (facts from the cache when it has this content), with the hash of
/// its bytes.
fn load_file(path: &Path, role: FileRole, cache: Option<&cache::Cache>) -> (u128, Phase1) {
    let (hash, source) = read_hashed(path);
    let phase1 = source.and_then(|source| {
        let analysis = match cache {
            Some(cache) => {
                cache.analysis(path, role, hash, || analyze_guarded(path, role, &source))?
            }
            None => analyze_guarded(path, role, &source)?,
        };
        Ok((source, analysis))
    });
    (hash, phase1)
}

/// Phase one for a job's file on disk: its facts, with the text dropped (phase two reads it
/// again), and the hash of its bytes.
fn analysed_from_disk(job: &FileJob, cache: Option<&cache::Cache>) -> (u128, Analysed) {
    let role = job.role();
    if let Some((hash, analysis)) = cache.and_then(|c| c.unchanged_on_disk(&job.path, role)) {
        let phase1 = Ok((String::new(), analysis));
        return (hash, (job.absolute.clone(), phase1, Some(hash)));
    }
    let before_read = cache.and_then(|c| c.stamp_before_read(&job.path));
    let (hash, phase1) = load_file(&job.path, role, cache);
    if let (Some(cache), Ok(_)) = (cache, &phase1) {
        cache.stamped(&job.path, before_read, hash);
    }
    let phase1 = phase1.map(|(_, analysis)| (String::new(), analysis));
    (hash, (job.absolute.clone(), phase1, Some(hash)))
}

/// Builds the module graph from phase one's results. Files that imports reach outside them are
/// read and parsed here too: joined to the graph, never reported on.
fn build_graph(
    files: Vec<Analysed>,
    cache: Option<&cache::Cache>,
    resolvers: &seam_graph::Resolvers,
) -> (ModuleGraph, Vec<Loaded>) {
    let mut loaded = Vec::with_capacity(files.len());
    let mut modules = Vec::with_capacity(files.len());
    for (path, phase1, reread) in files {
        let mut entry = Loaded {
            error: None,
            syntax_error: None,
            notes: Vec::new(),
            module: None,
            reread,
        };
        match phase1 {
            Ok((source, Analysis::Facts(facts))) => modules.push((path, source, Some(facts))),
            Ok((source, Analysis::SyntaxError(error))) => {
                entry.syntax_error = Some(error);
                modules.push((path, source, None));
            }
            Err(note) if note.starts_with(ANALYSIS_PANIC) => entry.notes.push(note),
            Err(error) => entry.error = Some(error),
        }
        loaded.push(entry);
    }
    let paths: Vec<PathBuf> = modules.iter().map(|(p, _, _)| p.clone()).collect();
    let load = |path: &Path| {
        // Not linted: nothing says what the file is for, so it is analysed as app code.
        let (source, analysis) = load_file(path, FileRole::App, cache).1.ok()?;
        let facts = match analysis {
            Analysis::Facts(facts) => Some(facts),
            Analysis::SyntaxError(_) => None,
        };
        Some((source, facts))
    };
    let graph = ModuleGraph::build_with(modules, load, resolvers);
    let mut in_graph = paths.iter();
    for entry in loaded
        .iter_mut()
        .filter(|l| l.error.is_none() && l.notes.is_empty())
    {
        entry.module = in_graph.next().and_then(|p| graph.id_of(p));
    }
    (graph, loaded)
}

/// Phase two for one file: the rules against the graph, then the fix loop.
fn finish(
    job: &FileJob,
    graph: &ModuleGraph,
    loaded: Loaded,
    mode: FixMode,
    write: bool,
    resolvers: &seam_graph::Resolvers,
) -> FileResult {
    let mut result = FileResult {
        path: job.path.clone(),
        notes: loaded.notes,
        error: loaded.error,
        ..Default::default()
    };
    let Some(module) = loaded.module else {
        return result;
    };
    let reread;
    let source = match loaded.reread {
        None => &graph.modules[module].source,
        Some(hash) => match read_hashed(&job.path) {
            (now, Ok(text)) if now == hash => {
                reread = text;
                &reread
            }
            (_, Err(error)) => {
                result
                    .notes
                    .push(format!("gone since seam read it ({error}); not checked"));
                return result;
            }
            _ => {
                result
                    .notes
                    .push("changed while seam was running; not checked".into());
                return result;
            }
        },
    };
    if let Some(error) = loaded.syntax_error {
        result.diagnostics = parse_error(job, &error);
        if !result.diagnostics.is_empty() {
            result.source = source.clone();
        }
        return result;
    }
    let view = ProjectView { graph, module };
    let mut outcome = fix::lint_and_fix(job, source, mode, view, resolvers);
    if let (true, Some(_)) = (write, &outcome.original) {
        if let Err(error) = fix::write_fixed(&job.path, &write_root(job), &outcome.text) {
            // Nothing was written: report the file as it is, and the failure as an error.
            result.error = Some(format!("{WRITE_FAILED}: {error}"));
            outcome = fix::lint_and_fix(job, source, FixMode::Off, view, resolvers);
        }
    }
    result.diagnostics = outcome.diagnostics;
    result.notes.extend(outcome.notes);
    result.fixes_applied = outcome.applied;
    result.original = outcome.original;
    // Reporters need the text only to place findings: keep it for files that have some.
    if !result.diagnostics.is_empty() || result.original.is_some() {
        result.source = outcome.text;
    }
    result
}

/// How the error on a file whose fixes could not be written starts.
pub const WRITE_FAILED: &str = "cannot write fixes";

/// What `--fix` may write in for a job: its analysis root, or for a loose file the working
/// directory.
fn write_root(job: &FileJob) -> PathBuf {
    match &job.analysis_root {
        Some(root) => root.to_path_buf(),
        None => std::env::current_dir().unwrap_or_default(),
    }
}

/// Resolves config and project for every file (sequentially: cheap, cached per directory).
pub fn plan(
    files: &[PathBuf],
    cwd: &Path,
    configs: &mut ConfigResolver,
) -> Result<Vec<FileJob>, Box<ConfigError>> {
    plan_with(files, cwd, configs, &[])
}

/// Like `plan`; files in `explicit` are linted even when config `ignore` matches them.
pub fn plan_with(
    files: &[PathBuf],
    cwd: &Path,
    configs: &mut ConfigResolver,
    explicit: &[PathBuf],
) -> Result<Vec<FileJob>, Box<ConfigError>> {
    let reversed: Vec<PathBuf>;
    let files = if reverse_for_tests() {
        reversed = files.iter().rev().cloned().collect();
        &reversed[..]
    } else {
        files
    };
    let mut projects = ProjectResolver::default();
    let mut workspaces = seam_graph::workspace::Workspaces::default();
    let mut roots: HashMap<PathBuf, Arc<Path>> = HashMap::new();
    let mut last_root: Option<(PathBuf, Option<Arc<Path>>)> = None;
    let mut jobs = Vec::with_capacity(files.len());
    // Files under the same config with the same matching overrides share one rule set.
    let mut rule_sets: HashMap<(usize, Vec<usize>), Arc<Vec<EnabledRule>>> = HashMap::new();
    let defaults = Arc::new(seam_config::Config::default_for(cwd));
    for file in files {
        let absolute = scope::absolute(cwd, file);
        let dir = absolute.parent().unwrap_or(cwd);
        let config = configs.for_dir(dir)?;
        let config = config.unwrap_or_else(|| defaults.clone());
        if config.is_ignored(&absolute) && !explicit.contains(file) {
            continue;
        }
        let key = (
            Arc::as_ptr(&config) as usize,
            config.matching_overrides(&absolute),
        );
        let rules = rule_sets
            .entry(key)
            .or_insert_with_key(|(_, overrides)| Arc::new(config.rules_with_overrides(overrides)))
            .clone();
        let project = projects.for_dir(dir);
        let rule_path = match &project {
            Some(p) => absolute.strip_prefix(&p.root).unwrap_or(file).to_path_buf(),
            None => file.clone(),
        };
        // Files come sorted, so most share the folder of the one before.
        let analysis_root = match &last_root {
            Some((last_dir, root)) if last_dir.as_os_str() == dir.as_os_str() => root.clone(),
            _ => {
                let root = workspaces.analysis_root(dir).map(|root| {
                    roots
                        .entry(root)
                        .or_insert_with_key(|root| Arc::from(root.as_path()))
                        .clone()
                });
                last_root = Some((dir.to_path_buf(), root.clone()));
                root
            }
        };
        jobs.push(FileJob {
            path: file.clone(),
            rule_path,
            rules,
            project: project.map(|p| p.info.clone()).unwrap_or_default(),
            settings: config.settings.clone(),
            absolute,
            analysis_root,
        });
    }
    seam_rules::project::forget_loading_caches();
    Ok(jobs)
}

/// Lints every job in parallel, on threads with room for deeply nested code: phase one reads
/// and parses every file once, the module graph joins them, phase two runs the rules. Each
/// analysis root is a graph of its own (see `FileJob::analysis_root`).
pub fn run(jobs: &[FileJob], options: LintOptions) -> Vec<FileResult> {
    on_lint_threads(options.threads, || {
        let cache = options.cache.as_deref().map(cache::Cache::open);
        let key = cache
            .as_ref()
            .filter(|_| cache::caches_results(&options))
            .map(|_| cache::run_key(jobs, &options));
        if let (Some(cache), Some(key)) = (&cache, key) {
            let started = std::time::Instant::now();
            if let Some(results) = cache.results(key) {
                if std::env::var_os("SEAM_TIMINGS").is_some() {
                    eprintln!("seam: results from the cache: {:.1?}", started.elapsed());
                }
                return results;
            }
        }
        let resolvers = seam_graph::Resolvers::new();
        let mut results: Vec<Option<FileResult>> = jobs.iter().map(|_| None).collect();
        let mut inputs = Vec::new();
        let groups = analysis_groups(jobs);
        let last = groups.len().saturating_sub(1);
        for (n, group) in groups.into_iter().enumerate() {
            let group_jobs: Vec<&FileJob> = group.iter().map(|&i| &jobs[i]).collect();
            let (graph, loaded, hashes) = load_project(&group_jobs, cache.as_ref(), &resolvers);
            remove_for_tests();
            let found: Vec<FileResult> = group_jobs
                .par_iter()
                .zip(loaded.into_par_iter())
                .map(|(job, loaded)| {
                    finish(
                        job,
                        &graph,
                        loaded,
                        options.fix,
                        !options.dry_run,
                        &resolvers,
                    )
                })
                .collect();
            for (i, result) in group.iter().zip(found) {
                results[*i] = Some(result);
            }
            if key.is_some() {
                inputs.extend(run_inputs(&group_jobs, &hashes, &graph));
            }
            if n == last {
                // Freeing a graph of every module takes a while and the process is about to end.
                std::mem::forget(graph);
            }
        }
        let mut results: Vec<FileResult> = results.into_iter().flatten().collect();
        results.extend(check_manifests(jobs));
        if let Some(why) = cache.as_ref().and_then(|c| c.refused()) {
            results.push(FileResult {
                path: options.cache.clone().unwrap_or_default(),
                notes: vec![why.to_string()],
                ..Default::default()
            });
        }
        results.extend(resolution_problems(jobs, &resolvers));
        if std::env::var_os("SEAM_TIMINGS").is_some() {
            eprintln!("seam: rules done{}", resident_memory());
        }
        if let Some(cache) = &cache {
            if key.is_some() {
                inputs.par_extend(resolvers.files_read().into_par_iter().map(|path| {
                    let hash = cache::hash_file(&path);
                    (path, hash)
                }));
            }
            cache.store(key, inputs, &results);
        }
        results
    })
}

/// The jobs grouped by analysis root, each group in job order, groups in root order.
fn analysis_groups(jobs: &[FileJob]) -> Vec<Vec<usize>> {
    let mut groups: std::collections::BTreeMap<Option<&Path>, Vec<usize>> = Default::default();
    for (i, job) in jobs.iter().enumerate() {
        groups
            .entry(job.analysis_root.as_deref())
            .or_default()
            .push(i);
    }
    groups.into_values().collect()
}

/// Lints the jobs whose absolute paths are in `targets`, against the module graph of all
/// `jobs`, reading `overlays` (unsaved editor texts, by absolute path) instead of the disk, with
/// facts from `cache`. Writes nothing. This is the language server's check.
pub fn run_with_overlays(
    jobs: &[FileJob],
    overlays: &HashMap<PathBuf, String>,
    targets: &std::collections::HashSet<PathBuf>,
    cache: &cache::Cache,
) -> Vec<FileResult> {
    on_lint_threads(None, || {
        let own;
        let resolvers = match cache.resolvers() {
            Some(kept) => kept,
            None => {
                own = seam_graph::Resolvers::new();
                &own
            }
        };
        let mut results = Vec::new();
        for group in analysis_groups(jobs) {
            let group_jobs: Vec<&FileJob> = group.iter().map(|&i| &jobs[i]).collect();
            if group_jobs.iter().any(|job| targets.contains(&job.absolute)) {
                results.extend(check_overlaid(
                    &group_jobs,
                    overlays,
                    targets,
                    cache,
                    resolvers,
                ));
            }
        }
        results
    })
}

/// `run_with_overlays` for the jobs of one analysis root.
fn check_overlaid(
    jobs: &[&FileJob],
    overlays: &HashMap<PathBuf, String>,
    targets: &std::collections::HashSet<PathBuf>,
    cache: &cache::Cache,
    resolvers: &seam_graph::Resolvers,
) -> Vec<FileResult> {
    {
        let phase1: Vec<Analysed> = jobs
            .par_iter()
            .map(|job| match overlays.get(&job.absolute) {
                Some(text) => {
                    let hash = cache::content_hash(text.as_bytes());
                    let role = job.role();
                    let analysis = cache.analysis(&job.path, role, hash, || {
                        analyze_guarded(&job.path, role, text)
                    });
                    (
                        job.absolute.clone(),
                        analysis.map(|a| (text.clone(), a)),
                        None,
                    )
                }
                None => analysed_from_disk(job, Some(cache)).1,
            })
            .collect();
        let (graph, loaded) = build_graph(phase1, Some(cache), resolvers);
        let results = jobs
            .par_iter()
            .zip(loaded.into_par_iter())
            .filter(|(job, _)| targets.contains(&job.absolute))
            .map(|(job, loaded)| finish(job, &graph, loaded, FixMode::Off, false, resolvers))
            .collect();
        drop(graph);
        results
    }
}

/// What one graph's findings depend on, with content hashes: every linted file and every module
/// the graph joined from outside them (the run adds the files module resolution read).
fn run_inputs(jobs: &[&FileJob], hashes: &[u128], graph: &ModuleGraph) -> Vec<(PathBuf, u128)> {
    let mut inputs: Vec<(PathBuf, u128)> = jobs
        .iter()
        .zip(hashes)
        .map(|(job, &hash)| (job.path.clone(), hash))
        .collect();
    inputs.par_extend(
        graph
            .modules
            .par_iter()
            .filter(|m| !m.linted)
            .map(|m| (m.path.clone(), cache::content_hash(m.source.as_bytes()))),
    );
    inputs
}

/// Runs the project-level rules (`check_manifest`) once per package.json whose files are
/// linted, with the rules enabled for the first of those files. Only manifests with findings
/// become results.
pub fn check_manifests(jobs: &[FileJob]) -> Vec<FileResult> {
    let mut seen = std::collections::HashSet::new();
    let mut manifests: Vec<(&FileJob, &seam_rules::Manifest)> = jobs
        .iter()
        .filter_map(|job| Some((job, job.project.manifest.as_deref()?)))
        .filter(|(_, manifest)| seen.insert(manifest.path.clone()))
        .collect();
    manifests.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    // A dependency resolved from one lockfile to one version is one install, however many
    // package.json files of the workspace name it: checked once, in the first of them by path.
    let mut installs = std::collections::HashSet::new();
    let mut results = Vec::new();
    for (job, manifest) in manifests {
        let mut manifest = manifest.clone();
        manifest
            .dependencies
            .retain(|dep| match (&dep.lockfile, &dep.installed) {
                (Some(lockfile), Some(version)) => {
                    installs.insert((dep.name.clone(), version.clone(), lockfile.clone()))
                }
                _ => true,
            });
        let manifest = &manifest;
        let mut diagnostics = Vec::new();
        let mut notes = Vec::new();
        for enabled in job.rules.iter() {
            if let Some(check) = enabled.rule.check_manifest {
                run_check(
                    enabled,
                    |found| check(manifest, found),
                    &mut diagnostics,
                    &mut notes,
                );
            }
        }
        if diagnostics.is_empty() && notes.is_empty() {
            continue;
        }
        diagnostics.sort_by_key(|d| (d.range.start, d.rule));
        results.push(FileResult {
            path: display_path(job, &manifest.path),
            source: manifest.text.clone(),
            diagnostics,
            notes,
            ..Default::default()
        });
    }
    results
}

/// A note on each config file module resolution could not use, so the user learns why imports
/// through it may be missing (a result with no findings: not counted as a checked file).
fn resolution_problems(jobs: &[FileJob], resolvers: &seam_graph::Resolvers) -> Vec<FileResult> {
    let Some(job) = jobs.first() else {
        return Vec::new();
    };
    let mut problems = resolvers.problems();
    problems.sort();
    problems
        .iter()
        .map(|(path, problem)| FileResult {
            path: display_path(job, path),
            notes: vec![problem.clone()],
            ..Default::default()
        })
        .collect()
}

/// `path` as the user sees `job`'s path: relative to the working directory when that is.
fn display_path(job: &FileJob, path: &Path) -> PathBuf {
    // Shown paths may climb out of the working directory (`../packages/db/x.ts`), so the
    // working directory cannot be read back from them; ask for it, as the walk did.
    let cwd = std::env::current_dir()
        .ok()
        .filter(|_| job.path.is_relative());
    match cwd {
        Some(cwd) => scope::relative_to(&cwd, &scope::lexical(path)),
        None => path.to_path_buf(),
    }
}

/// The module graph of these files and of everything they import (`seam graph`).
pub fn graph_of(jobs: &[FileJob]) -> ModuleGraph {
    let jobs: Vec<&FileJob> = jobs.iter().collect();
    on_lint_threads(None, || {
        load_project(&jobs, None, &seam_graph::Resolvers::new()).0
    })
}

fn on_lint_threads<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .stack_size(LINT_STACK)
        .num_threads(threads.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Phase one and the graph: every job's file read and analysed (or its facts taken from the
/// cache), the module graph built, and each job's content hash.
fn load_project(
    jobs: &[&FileJob],
    cache: Option<&cache::Cache>,
    resolvers: &seam_graph::Resolvers,
) -> (ModuleGraph, Vec<Loaded>, Vec<u128>) {
    let started = std::time::Instant::now();
    // Facts stay for the whole run, texts do not: each is read again in phase two, one file at
    // a time, instead of every text of the project being held at once.
    let (hashes, phase1): (Vec<u128>, Vec<Analysed>) = jobs
        .par_iter()
        .map(|job| analysed_from_disk(job, cache))
        .unzip();
    let parsed = started.elapsed();
    let (graph, loaded) = build_graph(phase1, cache, resolvers);
    let built = (graph, loaded, hashes);
    // `SEAM_TIMINGS=1`: where a run's time goes, for benchmarks and bug reports.
    if std::env::var_os("SEAM_TIMINGS").is_some() {
        eprintln!(
            "seam: read+parse {} files: {:.1?}; module graph ({} modules): {:.1?}{}",
            jobs.len(),
            parsed,
            built.0.modules.len(),
            started.elapsed() - parsed,
            resident_memory()
        );
    }
    built
}

/// `; resident N MB (peak M MB)` from /proc where there is one, for `SEAM_TIMINGS`.
fn resident_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => {
            format!("; resident {} MB (peak {} MB)", rss / 1024, peak / 1024)
        }
        _ => String::new(),
    }
}

/// Counts for the summary line and exit code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

/// `fixable` counts findings `--fix` would fix (and unsafe ones too when `unsafe_fixes`).
pub fn summarize(results: &[FileResult], unsafe_fixes: bool) -> Summary {
    let mut summary = Summary {
        // Files linted, and manifests with findings; not the notes on config files.
        files: results
            .iter()
            .filter(|r| seam_syntax::is_lintable(&r.path) || !r.diagnostics.is_empty())
            .count(),
        ..Default::default()
    };
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
        let mode = if unsafe_fixes {
            FixMode::Unsafe
        } else {
            FixMode::Safe
        };
        if d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)) {
            summary.fixable += 1;
        }
    }
    summary
}
