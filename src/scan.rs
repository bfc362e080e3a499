//! The glue: walk → read → detect → report.
//!
//! walkdir feeds rayon workers; each worker reads one file into segments, runs the catalog on
//! each segment and hands the findings of each chunk to the sink under a lock. A file that
//! cannot be read (or whose reader panics) is reported on standard error and counted; the scan
//! goes on.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::detect::{Catalog, Confidence, Match};
use crate::finding::{mask, Finding, Fingerprinter, DEFAULT_KEY};
use crate::read::{self, limit, Outcome, ReadError, ReadOptions};
use crate::report::{Sink, Summary};
use crate::segment::{Location, Locator, Origin, Segment};

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads.
    pub threads: usize,
    /// Only files matching one of these globs (on the path and on the file name).
    pub include: Vec<String>,
    /// Skip files and directories matching one of these globs.
    pub exclude: Vec<String>,
    /// Skip files larger than this many bytes.
    pub max_file_size: Option<u64>,
    /// Follow symbolic links.
    pub follow: bool,
    /// Report only findings at or above this confidence.
    pub min_confidence: Confidence,
    /// Report only these categories.
    pub categories: Option<HashSet<String>>,
    /// Reader limits.
    pub read: ReadOptions,
    /// Key for fingerprints.
    pub fingerprint_key: Vec<u8>,
    /// Longest time one file may take to read and detect (`None`: no limit).
    pub file_timeout: Option<Duration>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: None,
            follow: false,
            min_confidence: Confidence::Low,
            categories: None,
            read: ReadOptions::default(),
            fingerprint_key: DEFAULT_KEY.to_vec(),
            file_timeout: Some(Duration::from_secs(300)),
        }
    }
}

/// A problem with one file or directory, reported on standard error.
#[derive(Debug, Clone)]
pub struct FileError {
    /// The path as given.
    pub path: String,
    /// Why (never file content).
    pub reason: String,
}

/// Debug builds only: `SUMI_FAULT_PANIC_ON=NAME` makes the reader panic on files whose name
/// ends with NAME, with the file's first line in the panic message, so tests can check that a
/// panicking reader loses only that file and that its message (which quotes content) is never
/// printed.
#[cfg(debug_assertions)]
fn fault_injection(path: &Path) {
    if let Ok(name) = std::env::var("SUMI_FAULT_PANIC_ON") {
        if !name.is_empty() && path.to_string_lossy().ends_with(&name) {
            let first = std::fs::read_to_string(path).unwrap_or_default().lines().next().unwrap_or("").to_string();
            panic!("injected fault while reading: {first}");
        }
    }
}

/// Debug builds only: `SUMI_FAULT_HANG_ON=NAME` makes the reader of files whose name ends with
/// NAME sleep for ever without looking at its deadline (as a third-party parser stuck in a loop
/// would), and `SUMI_FAULT_SLOW_ON=NAME` makes it loop for ever while checking its deadline (as
/// a slow reader of ours would), so tests can check that neither stalls the scan.
#[cfg(debug_assertions)]
fn hang_injection(path: &Path) {
    let hit =
        |var: &str| std::env::var(var).is_ok_and(|name| !name.is_empty() && path.to_string_lossy().ends_with(&name));
    if hit("SUMI_FAULT_HANG_ON") {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    if hit("SUMI_FAULT_SLOW_ON") {
        loop {
            limit::check();
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

#[cfg(not(debug_assertions))]
fn fault_injection(_: &Path) {}

#[cfg(not(debug_assertions))]
fn hang_injection(_: &Path) {}

/// A file being scanned by a worker: whoever moves `state` off `RUNNING` first (the worker when
/// it finishes, the watchdog when it gives up on the file) reports it.
struct Slot {
    path: Arc<str>,
    start: Instant,
    state: AtomicU8,
}

const RUNNING: u8 = 0;
const DONE: u8 = 1;
const ABANDONED: u8 = 2;

/// What a file over its time limit is reported with.
fn time_limit_reason(limit: Duration) -> String {
    format!("time limit of {} s exceeded; partly inspected", limit.as_secs_f64())
}

/// A configured scanner.
pub struct Scanner {
    catalog: Catalog,
    fingerprinter: Fingerprinter,
    opts: ScanOptions,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Threads that detect the chunks of one large file in parallel.
    pool: OnceLock<Option<rayon::ThreadPool>>,
}

fn globset(globs: &[String]) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("bad glob `{g}`: {e}"))?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

impl Scanner {
    /// A scanner over `catalog`.
    pub fn new(catalog: Catalog, opts: ScanOptions) -> Result<Scanner, String> {
        let include = globset(&opts.include)?;
        let exclude = globset(&opts.exclude)?;
        let fingerprinter = Fingerprinter::new(&opts.fingerprint_key);
        Ok(Scanner { catalog, fingerprinter, opts, include, exclude, pool: OnceLock::new() })
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The options this scanner was made with.
    pub fn options(&self) -> &ScanOptions {
        &self.opts
    }

    /// Whether a table's first row (or a cell) reads as labels.
    pub fn is_header(&self, cells: &[&str]) -> bool {
        self.catalog.has_label(cells)
    }

    /// Turns a segment's matches into findings.
    pub fn findings(&self, seg: &Segment, matches: Vec<Match>, path: &std::sync::Arc<str>) -> Vec<Finding> {
        // The matches are not kept: their reasons move into the findings.
        self.map_matches(seg, matches, |locator, mut m| {
            let reasons = std::mem::take(&mut m.reasons);
            self.finding_of(seg, locator, path, &m, reasons)
        })
    }

    /// Like [`Scanner::findings`], with each finding's match (its byte range in the segment's
    /// text and its normalised value), which redaction writers need to find it again.
    pub fn findings_with_spans(
        &self,
        seg: &Segment,
        matches: Vec<Match>,
        path: &std::sync::Arc<str>,
    ) -> Vec<(Finding, Match)> {
        self.map_matches(seg, matches, |locator, m| {
            let f = self.finding_of(seg, locator, path, &m, m.reasons.clone());
            (f, m)
        })
    }

    /// The matches of `seg` a report shows (owned by the segment, confident enough, of a
    /// selected category), in order, each mapped by `f`.
    fn map_matches<T>(
        &self,
        seg: &Segment,
        matches: Vec<Match>,
        mut f: impl FnMut(&mut Locator<'_>, Match) -> T,
    ) -> Vec<T> {
        let mut locator = Locator::new(&seg.origin, &seg.text);
        let mut matches = matches;
        matches.sort_by_key(|m| m.start);
        matches
            .into_iter()
            .filter(|m| m.start >= seg.owned_from && m.start < seg.owned_to.max(seg.owned_from + 1))
            .filter(|m| m.confidence >= self.opts.min_confidence)
            .filter(|m| self.opts.categories.as_ref().is_none_or(|c| c.contains(m.category)))
            .map(|m| f(&mut locator, m))
            .collect()
    }

    /// The finding of one match.
    fn finding_of(
        &self,
        seg: &Segment,
        locator: &mut Locator<'_>,
        path: &std::sync::Arc<str>,
        m: &Match,
        reasons: Vec<&'static str>,
    ) -> Finding {
        let value = seg.text[m.start..m.end].to_string();
        Finding {
            path: path.clone(),
            member: seg.member.clone(),
            location: locator.locate(m.start),
            category: m.category,
            detector: m.detector,
            confidence: m.confidence,
            score: m.score,
            reasons,
            masked: mask(m.category, &value),
            fingerprint: self.fingerprinter.of(m.category, &m.normalized),
            value,
        }
    }

    /// The finding a media segment carries (see [`crate::media`]), unless filtered out.
    pub fn media_finding(
        &self,
        seg: &Segment,
        hit: &crate::media::MediaHit,
        path: &std::sync::Arc<str>,
    ) -> Option<Finding> {
        let confidence = Confidence::of(hit.score);
        if confidence < self.opts.min_confidence
            || self.opts.categories.as_ref().is_some_and(|c| !c.contains(hit.category))
        {
            return None;
        }
        Some(Finding {
            path: path.clone(),
            member: seg.member.clone(),
            location: seg.origin.locate(&seg.text, 0),
            category: hit.category,
            detector: hit.detector,
            confidence,
            score: hit.score,
            reasons: hit.reasons.clone(),
            masked: hit.masked.clone(),
            fingerprint: self.fingerprinter.of(hit.category, &hit.key),
            value: hit.value.clone(),
        })
    }

    /// Reads one file and hands its findings, chunk by chunk, to `out`. The file's name is
    /// scanned as well.
    pub fn scan_file(
        &self,
        path: &Path,
        display: &std::sync::Arc<str>,
        size: u64,
        out: &mut dyn FnMut(Vec<Finding>),
    ) -> Result<Outcome, ReadError> {
        let name = path.file_name().map(Path::new).unwrap_or(path);
        self.scan_file_named(path, name, display, size, out)
    }

    /// Like [`Scanner::scan_file`], with the path relative to the scan root (`rel`), whose file
    /// and folder names are scanned as one segment located `{"file_name": true}`.
    pub fn scan_file_named(
        &self,
        path: &Path,
        rel: &Path,
        display: &std::sync::Arc<str>,
        size: u64,
        out: &mut dyn FnMut(Vec<Finding>),
    ) -> Result<Outcome, ReadError> {
        fault_injection(path);
        let deadline = limit::set_deadline(self.opts.file_timeout.map(|t| Instant::now() + t));
        let is_header = |cells: &[&str]| self.is_header(cells);
        let detect = |seg: &Segment| {
            if let Some(hit) = &seg.media {
                return self.media_finding(seg, hit, display).into_iter().collect();
            }
            let matches = self.catalog.detect(&seg.text, seg.label.as_deref());
            self.findings(seg, matches, display)
        };
        // Chunks of a large file are detected in parallel, a few at a time, and reported in
        // file order; one big log then keeps every worker busy.
        let window = (2 * self.opts.threads).clamp(1, 4);
        let mut chunks: Vec<Segment> = Vec::new();
        let pool =
            self.pool.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(self.opts.threads).build().ok());
        let flush = |chunks: &mut Vec<Segment>, out: &mut dyn FnMut(Vec<Finding>)| {
            let found: Vec<Vec<Finding>> = match pool {
                Some(pool) => pool.install(|| chunks.par_iter().map(detect).collect()),
                None => chunks.iter().map(detect).collect(),
            };
            chunks.clear();
            for f in found.into_iter().filter(|f| !f.is_empty()) {
                out(f);
            }
        };
        let mut table_batch: Vec<Finding> = Vec::new();
        let names: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if !names.is_empty() {
            let seg = Segment::new(names.join("/"), Origin::Fixed(Location::FileName { file_name: true }));
            table_batch.extend(detect(&seg));
        }
        let mut emit = |seg: &Segment| {
            limit::check();
            let whole = seg.owned_from == 0 && seg.owned_to == seg.text.len();
            if matches!(seg.origin, Origin::Cell { .. } | Origin::Fixed(_)) {
                table_batch.extend(detect(seg));
            } else if whole && chunks.is_empty() {
                let found = detect(seg);
                if !found.is_empty() {
                    out(found);
                }
            } else {
                chunks.push(seg.clone());
                if chunks.len() >= window {
                    flush(&mut chunks, out);
                }
            }
        };
        // Past the deadline a reader unwinds (see `read::limit`): what was found so far is
        // still reported, and the file is an error.
        let result = catch_unwind(AssertUnwindSafe(|| {
            hang_injection(path);
            read::read_file(path, size, &self.opts.read, &is_header, &mut emit)
        }));
        drop(deadline);
        flush(&mut chunks, out);
        if !table_batch.is_empty() {
            out(table_batch);
        }
        match result {
            Ok(outcome) => outcome,
            Err(p) if limit::is_time_limit(&*p) => {
                Err(ReadError::Invalid(time_limit_reason(self.opts.file_timeout.unwrap_or_default())))
            }
            Err(p) => std::panic::resume_unwind(p),
        }
    }

    /// Scans one file and returns all its findings (for tests and evaluation).
    pub fn scan_collect(&self, path: &Path) -> Result<Vec<Finding>, ReadError> {
        self.scan_report(path).map(|(findings, _)| findings)
    }

    /// Scans one file and returns its findings and how it was read (with the members or parts
    /// that could not be inspected).
    pub fn scan_report(&self, path: &Path) -> Result<(Vec<Finding>, Outcome), ReadError> {
        let size = std::fs::metadata(path)?.len();
        let mut all = Vec::new();
        let outcome = self.scan_file(path, &path.to_string_lossy().into(), size, &mut |f| all.extend(f))?;
        Ok((all, outcome))
    }

    /// Walks `paths` and scans every file in parallel. If a reader cannot be stopped (see
    /// [`Scanner::run_with_stall`]), the sink is finished and the process exits with the status of
    /// the command line: 1 with findings, 0 without, 2 when the output could not be written.
    pub fn run(&self, paths: &[PathBuf], sink: &mut dyn Sink, on_error: &(dyn Fn(&FileError) + Sync)) -> Summary {
        self.run_with_stall(paths, sink, on_error, &|sink, summary| {
            let failed = summary.output_error.clone().or_else(|| {
                sink.finish(summary).err().filter(|e| e.kind() != std::io::ErrorKind::BrokenPipe).map(|e| e.to_string())
            });
            match failed {
                Some(e) => {
                    eprintln!("sumi: cannot write output: {e}");
                    2
                }
                None => i32::from(summary.findings() > 0),
            }
        })
    }

    /// Walks `paths` and scans every file in parallel.
    ///
    /// A file over the time limit is reported through `on_error` and counted as an error. Its
    /// reader normally stops itself (see [`read::limit`]); one that does not (stuck inside a
    /// third-party parser) is given up on after a grace period, a fresh worker takes its place,
    /// and once every other file is done `on_stall` is called with the sink and the summary to
    /// finish the output, and the process exits with the status it returns: a thread cannot be
    /// killed, and this function cannot return while one still uses the sink.
    pub fn run_with_stall(
        &self,
        paths: &[PathBuf],
        sink: &mut dyn Sink,
        on_error: &(dyn Fn(&FileError) + Sync),
        on_stall: &dyn Fn(&mut dyn Sink, &Summary) -> i32,
    ) -> Summary {
        let start = Instant::now();
        let summary = Mutex::new(Summary::default());
        let sink = Mutex::new(sink);
        let skip = |reason: &str| {
            let mut s = summary.lock().unwrap_or_else(|e| e.into_inner());
            *s.skipped.entry(reason.to_string()).or_default() += 1;
        };
        let fail = |path: &str, reason: String| {
            on_error(&FileError { path: path.to_string(), reason });
            summary.lock().unwrap_or_else(|e| e.into_inner()).errors += 1;
        };

        let work = |(path, rel, size): (PathBuf, PathBuf, u64), slot: &Slot| {
            let display = slot.path.clone();
            if self.opts.max_file_size.is_some_and(|m| size > m) {
                skip("too large");
                return;
            }
            let mut found_any = false;
            let result = catch_unwind(AssertUnwindSafe(|| {
                let rel = if rel.as_os_str().is_empty() {
                    path.file_name().map(PathBuf::from).unwrap_or_default()
                } else {
                    rel
                };
                self.scan_file_named(&path, &rel, &display, size, &mut |batch| {
                    if slot.state.load(Ordering::Acquire) == ABANDONED {
                        return; // already reported as over time
                    }
                    let mut sum = summary.lock().unwrap_or_else(|e| e.into_inner());
                    sum.count(&batch);
                    if !found_any && !batch.is_empty() {
                        found_any = true;
                        sum.files_with_findings += 1;
                    }
                    drop(sum);
                    let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
                    if let Err(e) = sink.findings(&batch) {
                        if e.kind() == std::io::ErrorKind::BrokenPipe {
                            std::process::exit(0);
                        }
                        let mut sum = summary.lock().unwrap_or_else(|e| e.into_inner());
                        sum.output_error.get_or_insert_with(|| e.to_string());
                    }
                })
            }));
            if slot.state.compare_exchange(RUNNING, DONE, Ordering::AcqRel, Ordering::Acquire).is_err() {
                return; // the watchdog gave up on it and reported it
            }
            match result {
                Ok(Ok(Outcome::Skipped(what))) => skip(&format!("binary:{what}")),
                Ok(Ok(outcome)) => {
                    if let Outcome::Text { encoding, certain: false } = outcome {
                        // Nothing decoded cleanly: the file was read with a lossy guess, so
                        // parts of it may not have been inspected. Say so; never call it clean.
                        on_error(&FileError {
                            path: display.to_string(),
                            reason: format!("no encoding decodes it cleanly; read as {encoding} with replacements (partly inspected)"),
                        });
                    }
                    if let Outcome::Document { problems, .. } = &outcome {
                        for p in problems {
                            if p.skipped {
                                skip(&format!("member {}", p.reason));
                            } else {
                                let reason = if p.member.is_empty() {
                                    p.reason.clone()
                                } else {
                                    format!("{}: {}", p.member, p.reason)
                                };
                                fail(&display, reason);
                            }
                        }
                    }
                    let mut s = summary.lock().unwrap_or_else(|e| e.into_inner());
                    s.files_scanned += 1;
                    s.bytes_scanned += size;
                    if matches!(outcome, Outcome::Text { certain: false, .. }) {
                        s.partial += 1;
                    }
                }
                Ok(Err(e)) => fail(&display, e.to_string()),
                Err(_) => fail(&display, "internal error: the reader panicked (file skipped)".into()),
            }
        };

        // Workers take files from the walk one at a time. Each worker's current file sits in
        // `active`; the watchdog (this thread) gives up on a file still running past its limit
        // plus a grace period for the reader to stop itself, and starts a new worker in place
        // of the stuck one.
        let walker = Mutex::new(self.walk(paths, &skip, &fail));
        let active: Mutex<Vec<Option<Arc<Slot>>>> = Mutex::new(Vec::new());
        let live = AtomicUsize::new(0);
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let worker = |id: usize, done: mpsc::Sender<()>| {
            loop {
                let next = walker.lock().unwrap_or_else(|e| e.into_inner()).next();
                let Some(item) = next else { break };
                let slot = Arc::new(Slot {
                    path: item.0.to_string_lossy().into(),
                    start: Instant::now(),
                    state: AtomicU8::new(RUNNING),
                });
                active.lock().unwrap_or_else(|e| e.into_inner())[id] = Some(slot.clone());
                work(item, &slot);
                active.lock().unwrap_or_else(|e| e.into_inner())[id] = None;
                if slot.state.load(Ordering::Acquire) == ABANDONED {
                    return; // replaced by another worker: leave the count alone
                }
            }
            live.fetch_sub(1, Ordering::AcqRel);
            let _ = done.send(());
        };
        let limit = self.opts.file_timeout;
        let grace = limit.map(|t| (t / 10).clamp(Duration::from_secs(1), Duration::from_secs(10)));
        std::thread::scope(|s| {
            let spawn = |done: mpsc::Sender<()>| {
                let mut a = active.lock().unwrap_or_else(|e| e.into_inner());
                let id = a.len();
                a.push(None);
                live.fetch_add(1, Ordering::AcqRel);
                let worker = &worker;
                s.spawn(move || worker(id, done));
            };
            for _ in 0..self.opts.threads.max(1) {
                spawn(done_tx.clone());
            }
            let mut abandoned = 0usize;
            while live.load(Ordering::Acquire) > 0 {
                let _ = done_rx.recv_timeout(Duration::from_millis(200));
                let (Some(limit), Some(grace)) = (limit, grace) else { continue };
                let stuck: Vec<Arc<Slot>> = active
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .iter()
                    .flatten()
                    .filter(|slot| slot.start.elapsed() > limit + grace)
                    .filter(|slot| {
                        slot.state.compare_exchange(RUNNING, ABANDONED, Ordering::AcqRel, Ordering::Acquire).is_ok()
                    })
                    .cloned()
                    .collect();
                for slot in stuck {
                    fail(&slot.path, format!("{} (reading abandoned)", time_limit_reason(limit)));
                    abandoned += 1;
                    live.fetch_sub(1, Ordering::AcqRel);
                    spawn(done_tx.clone());
                }
            }
            if abandoned > 0 {
                // Threads still run that cannot be stopped or joined: finish the output here
                // and end the process.
                let mut s = summary.lock().unwrap_or_else(|e| e.into_inner()).clone();
                s.seconds = start.elapsed().as_secs_f64();
                let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
                let code = on_stall(&mut **sink, &s);
                std::process::exit(code);
            }
        });

        let mut s = std::mem::take(&mut *summary.lock().unwrap_or_else(|e| e.into_inner()));
        s.seconds = start.elapsed().as_secs_f64();
        s
    }

    fn wanted(&self, rel: &Path, full: &Path) -> bool {
        let name = full.file_name().map(Path::new).unwrap_or(full);
        if let Some(ex) = &self.exclude {
            if ex.is_match(rel) || ex.is_match(name) || ex.is_match(full) {
                return false;
            }
        }
        if let Some(inc) = &self.include {
            return inc.is_match(rel) || inc.is_match(name) || inc.is_match(full);
        }
        true
    }

    /// Every regular file under `paths` with its size; special files are never opened.
    pub(crate) fn walk<'a>(
        &'a self,
        paths: &'a [PathBuf],
        skip: &'a (dyn Fn(&str) + Sync),
        fail: &'a (dyn Fn(&str, String) + Sync),
    ) -> impl Iterator<Item = (PathBuf, PathBuf, u64)> + Send + 'a {
        paths.iter().flat_map(move |root| {
            let exclude = self.exclude.clone();
            WalkDir::new(root)
                .follow_links(self.opts.follow)
                .follow_root_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(move |e| {
                    e.depth() == 0
                        || !e.file_type().is_dir()
                        || !exclude.as_ref().is_some_and(|ex| ex.is_match(e.file_name()) || ex.is_match(e.path()))
                })
                .filter_map(move |entry| match entry {
                    Err(e) => {
                        let path = e.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
                        let reason = match e.io_error() {
                            Some(io) => read::io_reason(io),
                            None if e.loop_ancestor().is_some() => "symbolic link loop".into(),
                            None => "cannot walk".into(),
                        };
                        fail(&path, reason);
                        None
                    }
                    Ok(e) => {
                        let ft = e.file_type();
                        if ft.is_dir() {
                            return None;
                        }
                        if ft.is_symlink() {
                            skip("symlink");
                            return None;
                        }
                        if !ft.is_file() {
                            skip("special file");
                            return None;
                        }
                        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                        if !self.wanted(rel, e.path()) {
                            skip("excluded");
                            return None;
                        }
                        let rel = rel.to_path_buf();
                        match e.metadata() {
                            Ok(m) => Some((e.into_path(), rel, m.len())),
                            Err(err) => {
                                let reason =
                                    err.io_error().map(read::io_reason).unwrap_or_else(|| "cannot stat".into());
                                fail(&e.path().to_string_lossy(), reason);
                                None
                            }
                        }
                    }
                })
        })
    }
}
