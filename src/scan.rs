//! The glue: walk → read → detect → report.
//!
//! walkdir feeds rayon workers; each worker reads one file into segments, runs the catalog on
//! each segment and hands the findings of each chunk to the sink under a lock. A file that
//! cannot be read (or whose reader panics) is reported on standard error and counted; the scan
//! goes on.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::detect::{Catalog, Confidence, Match};
use crate::finding::{mask, Finding, Fingerprinter, DEFAULT_KEY};
use crate::read::{self, Outcome, ReadError, ReadOptions};
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

#[cfg(not(debug_assertions))]
fn fault_injection(_: &Path) {}

/// A configured scanner.
pub struct Scanner {
    catalog: Catalog,
    fingerprinter: Fingerprinter,
    opts: ScanOptions,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
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
        Ok(Scanner { catalog, fingerprinter, opts, include, exclude })
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Whether a table's first row (or a cell) reads as labels.
    pub fn is_header(&self, cells: &[&str]) -> bool {
        self.catalog.has_label(cells)
    }

    /// Turns a segment's matches into findings.
    pub fn findings(&self, seg: &Segment, matches: Vec<Match>, path: &std::sync::Arc<str>) -> Vec<Finding> {
        let mut locator = Locator::new(&seg.origin, &seg.text);
        let mut matches = matches;
        matches.sort_by_key(|m| m.start);
        matches
            .into_iter()
            .filter(|m| m.start >= seg.owned_from && m.start < seg.owned_to.max(seg.owned_from + 1))
            .filter(|m| m.confidence >= self.opts.min_confidence)
            .filter(|m| self.opts.categories.as_ref().is_none_or(|c| c.contains(m.category)))
            .map(|m| {
                let value = seg.text[m.start..m.end].to_string();
                Finding {
                    path: path.clone(),
                    member: seg.member.clone(),
                    location: locator.locate(m.start),
                    category: m.category,
                    detector: m.detector,
                    confidence: m.confidence,
                    score: m.score,
                    reasons: m.reasons,
                    masked: mask(m.category, &value),
                    fingerprint: self.fingerprinter.of(m.category, &m.normalized),
                    value,
                }
            })
            .collect()
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
        let is_header = |cells: &[&str]| self.is_header(cells);
        let detect = |seg: &Segment| {
            let matches = self.catalog.detect(&seg.text, seg.label.as_deref());
            self.findings(seg, matches, display)
        };
        // Chunks of a large file are detected in parallel, a few at a time, and reported in
        // file order; one big log then keeps every worker busy.
        let window = (2 * self.opts.threads).clamp(1, 4);
        let mut chunks: Vec<Segment> = Vec::new();
        let flush = |chunks: &mut Vec<Segment>, out: &mut dyn FnMut(Vec<Finding>)| {
            let found: Vec<Vec<Finding>> = chunks.par_iter().map(detect).collect();
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
        let outcome = read::read_file(path, size, &self.opts.read, &is_header, &mut emit)?;
        flush(&mut chunks, out);
        if !table_batch.is_empty() {
            out(table_batch);
        }
        Ok(outcome)
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

    /// Walks `paths` and scans every file in parallel.
    pub fn run(&self, paths: &[PathBuf], sink: &mut dyn Sink, on_error: &(dyn Fn(&FileError) + Sync)) -> Summary {
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

        let work = |(path, rel, size): (PathBuf, PathBuf, u64)| {
            let display: std::sync::Arc<str> = path.to_string_lossy().into();
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
                    found_any |= !batch.is_empty();
                    let mut sum = summary.lock().unwrap_or_else(|e| e.into_inner());
                    sum.count(&batch);
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
            if found_any {
                summary.lock().unwrap_or_else(|e| e.into_inner()).files_with_findings += 1;
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

        let walker = self.walk(paths, &skip, &fail);
        match rayon::ThreadPoolBuilder::new().num_threads(self.opts.threads.max(1)).build() {
            Ok(pool) => pool.install(|| walker.par_bridge().for_each(work)),
            Err(_) => walker.for_each(work),
        }

        let mut s = summary.into_inner().unwrap_or_else(|e| e.into_inner());
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
    fn walk<'a>(
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
