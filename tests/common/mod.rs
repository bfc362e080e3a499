//! Helpers shared by the integration tests that read fixtures through the public API.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sumi::detect::{Catalog, Confidence};
use sumi::finding::Finding;
use sumi::read::{self, Outcome, ReadError, ReadOptions};
use sumi::scan::{ScanOptions, Scanner};
use sumi::segment::Segment;

/// The built-in rules.
pub fn catalog() -> Catalog {
    Catalog::builtin().unwrap()
}

/// (category, value as written) of the matches in `text` at medium confidence or above.
pub fn found(c: &Catalog, text: &str, header: Option<&str>) -> Vec<(&'static str, String)> {
    c.detect(text, header)
        .into_iter()
        .filter(|m| m.confidence >= Confidence::Medium)
        .map(|m| (m.category, text[m.start..m.end].to_string()))
        .collect()
}

/// The values of one category found in `text` at medium confidence or above.
pub fn values(c: &Catalog, text: &str, category: &str) -> Vec<String> {
    found(c, text, None).into_iter().filter(|(k, _)| *k == category).map(|(_, v)| v).collect()
}

/// A one-thread scanner over the built-in rules.
pub fn scanner() -> Scanner {
    Scanner::new(Catalog::builtin().unwrap(), ScanOptions { threads: 1, ..ScanOptions::default() }).unwrap()
}

/// A committed fixture under tests/fixtures/`dir`.
pub fn fixture_in(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(name)
}

/// Every finding in a fixture.
pub fn scan_fixture(dir: &str, name: &str) -> Vec<Finding> {
    scanner().scan_collect(&fixture_in(dir, name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The segments a reader makes of `path`, and how it ended.
pub fn read_segments(path: &Path, opts: &ReadOptions) -> (Vec<Segment>, Result<Outcome, ReadError>) {
    let s = scanner();
    let is_header = |c: &[&str]| s.is_header(c);
    let size = std::fs::metadata(path).unwrap().len();
    let mut segs = Vec::new();
    let outcome = read::read_file(path, size, opts, &is_header, &mut |seg: &Segment| segs.push(seg.clone()));
    (segs, outcome)
}

/// A sink that keeps every finding.
pub struct Collect(pub Vec<Finding>);

impl sumi::report::Sink for Collect {
    fn findings(&mut self, batch: &[Finding]) -> std::io::Result<()> {
        self.0.extend(batch.iter().cloned());
        Ok(())
    }
}
