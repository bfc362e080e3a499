//! `sumi eval`: precision, recall and F1 per category on a labelled corpus.
//!
//! The truth is a JSON Lines file of `{"path", "category", "value"}`, one line per occurrence,
//! with paths relative to the repository root (`samples/...`). A finding counts as a true
//! positive when its file and category match a truth line and its value equals the truth
//! value after normalisation; every unmatched finding is a false positive, every unmatched
//! truth line a false negative. Only findings at or above the chosen confidence count.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use walkdir::WalkDir;

use crate::detect::Confidence;
use crate::normalize::fold;
use crate::scan::Scanner;

/// One labelled value.
#[derive(Debug, Clone, Deserialize)]
pub struct Truth {
    /// File, relative to the repository root.
    pub path: String,
    /// Category id.
    pub category: String,
    /// The value as the document reads.
    pub value: String,
}

/// Counts for one category.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// False negatives.
    pub fn_: u64,
}

impl Counts {
    /// tp / (tp + fp); 1 when nothing was reported.
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    /// tp / (tp + fn); 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    /// Adds another category's (or format's) counts.
    pub fn add(&mut self, other: &Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// tp, fp, fn, precision, recall and F1 as table columns.
    pub fn columns(&self) -> String {
        format!(
            "{:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
            self.tp,
            self.fp,
            self.fn_,
            self.precision(),
            self.recall(),
            self.f1()
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// A mismatch, for the listing after the table.
#[derive(Debug, Clone)]
pub struct Miss {
    /// `fp` or `fn`.
    pub kind: &'static str,
    /// File.
    pub path: String,
    /// Category.
    pub category: String,
    /// Raw value.
    pub value: String,
    /// Masked value.
    pub masked: String,
    /// Where, if known.
    pub location: String,
}

/// The result of an evaluation.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Counts per category.
    pub categories: BTreeMap<String, Counts>,
    /// Counts per (format, category); the format is the file's extension, see [`format_of`].
    pub formats: BTreeMap<(String, String), Counts>,
    /// Every false positive and false negative.
    pub misses: Vec<Miss>,
    /// Files that could not be read.
    pub errors: Vec<String>,
}

impl Evaluation {
    /// Counts over all categories.
    pub fn total(&self) -> Counts {
        self.categories.values().fold(Counts::default(), |mut a, c| {
            a.add(c);
            a
        })
    }

    /// The table as text.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<18} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
            "category", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        let mut row = |name: &str, c: &Counts| {
            let _ = writeln!(s, "{:<18} {}", name, c.columns());
        };
        for (cat, c) in &self.categories {
            row(cat, c);
        }
        row("ALL", &self.total());
        s
    }

    /// Counts per format over all categories.
    pub fn format_totals(&self) -> BTreeMap<String, Counts> {
        let mut m: BTreeMap<String, Counts> = BTreeMap::new();
        for ((fmt, _), c) in &self.formats {
            m.entry(fmt.clone()).or_default().add(c);
        }
        m
    }

    /// The table per format: for each format its total (`ALL`), then each category with
    /// truth or findings in files of that format.
    pub fn format_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<10} {:<18} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
            "format", "category", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        let mut row = |fmt: &str, name: &str, c: &Counts| {
            let _ = writeln!(s, "{:<10} {:<18} {}", fmt, name, c.columns());
        };
        for (fmt, total) in self.format_totals() {
            row(&fmt, "ALL", &total);
            for ((_, cat), c) in self.formats.range((fmt.clone(), String::new())..).take_while(|((f, _), _)| *f == fmt)
            {
                row(&fmt, cat, c);
            }
        }
        s
    }
}

/// The format a file counts under: its extension in lower case, `txt` without one. Findings
/// inside a container (a zip member, a mail attachment) count under the container's format.
pub fn format_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => ext.to_lowercase(),
        _ => "txt".to_string(),
    }
}

/// Reads every truth file given.
pub fn load_truths(paths: &[PathBuf]) -> Result<Vec<Truth>, String> {
    let mut all = Vec::new();
    for p in paths {
        all.extend(load_truth(p)?);
    }
    Ok(all)
}

/// Reads a truth file.
pub fn load_truth(path: &Path) -> Result<Vec<Truth>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

/// A path as a `/`-joined string without `.` components, for matching truth to files.
fn key(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Scans every file under `samples` and compares with `truth`.
///
/// Truth paths are relative to the working directory (the repository root); truth lines for
/// files outside `samples` are ignored, so one truth file serves a whole corpus and any part
/// of it.
pub fn evaluate(scanner: &Scanner, samples: &Path, truth: &[Truth], min: Confidence) -> Evaluation {
    let mut ev = Evaluation::default();
    let root = key(samples);
    // (file, category) → expected values
    let mut expected: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for t in truth {
        let path = key(Path::new(&t.path));
        if path != root && !path.starts_with(&format!("{root}/")) {
            continue;
        }
        expected.entry((path, t.category.clone())).or_default().push(t.value.clone());
        ev.categories.entry(t.category.clone()).or_default();
    }
    let mut files: Vec<PathBuf> = WalkDir::new(samples)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let rel = key(&file);
        let fmt = format_of(&rel);
        let findings = match scanner.scan_collect(&file) {
            Ok(f) => f,
            Err(e) => {
                ev.errors.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        for f in findings.iter().filter(|f| f.confidence >= min) {
            let c = ev.categories.entry(f.category.to_string()).or_default();
            let want = expected.get_mut(&(rel.clone(), f.category.to_string()));
            let got = fold(f.value.trim());
            let hit = want.and_then(|w| w.iter().position(|v| fold(v.trim()) == got).map(|i| w.remove(i)));
            let fc = ev.formats.entry((fmt.clone(), f.category.to_string())).or_default();
            if hit.is_some() {
                c.tp += 1;
                fc.tp += 1;
            } else {
                c.fp += 1;
                fc.fp += 1;
                ev.misses.push(Miss {
                    kind: "fp",
                    path: rel.clone(),
                    category: f.category.to_string(),
                    value: f.value.clone(),
                    masked: f.masked.clone(),
                    location: f.location.short(),
                });
            }
        }
    }
    for ((path, category), values) in expected {
        let fmt = format_of(&path);
        for v in values {
            ev.categories.entry(category.clone()).or_default().fn_ += 1;
            ev.formats.entry((fmt.clone(), category.clone())).or_default().fn_ += 1;
            ev.misses.push(Miss {
                kind: "fn",
                path: path.clone(),
                category: category.clone(),
                masked: crate::finding::mask(leak_category(&category), &v),
                value: v,
                location: String::new(),
            });
        }
    }
    ev
}

fn leak_category(c: &str) -> &'static str {
    crate::detect::rule::CATEGORIES.iter().find(|x| **x == c).copied().unwrap_or("")
}
