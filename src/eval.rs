//! `sumi eval`: precision, recall and F1 per category on a labelled corpus.
//!
//! The truth is a JSON Lines file of `{"path", "category", "value"}`, one line per occurrence,
//! with paths relative to the repository root (`samples/...`). A finding counts as a true
//! positive when its file and category match a truth line and its value equals the truth
//! value after normalisation; every unmatched finding is a false positive, every unmatched
//! truth line a false negative. Only findings at or above the chosen confidence count. For
//! categories whose extent is a judgement call (names, addresses, employers, titles) a value
//! that covers most of the truth value also matches (see `same_span`).
//!
//! A truth file may declare which categories it labels for a corpus:
//! `{"corpus": "samples/holdout", "covers": ["phone", ...]}`. Findings of other categories in
//! files under that corpus are not judged (counted as `unjudged`), so a corpus labelled before
//! a category existed neither hides nor invents errors for it. Files under no declaration are
//! judged for every category.

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

/// A truth file's declaration of the categories it labels under a corpus folder.
#[derive(Debug, Clone, Deserialize)]
pub struct Scope {
    /// Folder, relative to the repository root.
    pub corpus: String,
    /// Category ids labelled there.
    pub covers: Vec<String>,
}

/// Labelled values and the scopes they were labelled under.
#[derive(Debug, Clone, Default)]
pub struct Truths {
    /// Labelled values.
    pub items: Vec<Truth>,
    /// Corpus declarations.
    pub scopes: Vec<Scope>,
}

impl Truths {
    /// Whether findings of `category` in `path` are judged.
    pub fn judged(&self, path: &str, category: &str) -> bool {
        self.scopes
            .iter()
            .filter(|s| {
                let c = s.corpus.trim_end_matches('/');
                path.strip_prefix(c).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .all(|s| s.covers.iter().any(|c| c == category))
    }
}

/// A finding from another tool (or a saved `sumi scan --format jsonl --reveal` run), for
/// scoring with the same matcher: `{"path", "category", "value"}` plus anything else.
#[derive(Debug, Clone, Deserialize)]
pub struct External {
    /// File as the tool reported it (relative to the repository root).
    pub path: String,
    /// Category id.
    pub category: String,
    /// The raw value.
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
    /// Findings per category in files whose corpus does not label that category.
    pub unjudged: BTreeMap<String, u64>,
}

impl Evaluation {
    /// Adds the counts, misses and errors of an evaluation of another folder.
    pub fn merge(&mut self, other: Evaluation) {
        for (k, c) in other.categories {
            self.categories.entry(k).or_default().add(&c);
        }
        for (k, c) in other.formats {
            self.formats.entry(k).or_default().add(&c);
        }
        for (k, n) in other.unjudged {
            *self.unjudged.entry(k).or_default() += n;
        }
        self.misses.extend(other.misses);
        self.errors.extend(other.errors);
    }

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
        if !self.unjudged.is_empty() {
            let list: Vec<String> = self.unjudged.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let _ = writeln!(s, "\nnot judged (corpora that do not label these categories): {}", list.join(", "));
        }
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
pub fn load_truths(paths: &[PathBuf]) -> Result<Truths, String> {
    let mut all = Truths::default();
    for p in paths {
        let t = load_truth(p)?;
        all.items.extend(t.items);
        all.scopes.extend(t.scopes);
    }
    Ok(all)
}

/// Reads a truth file: value lines and corpus declarations.
pub fn load_truth(path: &Path) -> Result<Truths, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut all = Truths::default();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let err = |e: serde_json::Error| format!("{}:{}: {e}", path.display(), i + 1);
        if l.contains("\"covers\"") {
            all.scopes.push(serde_json::from_str(l).map_err(err)?);
        } else {
            all.items.push(serde_json::from_str(l).map_err(err)?);
        }
    }
    Ok(all)
}

/// Reads findings of another tool, one JSON object per line.
pub fn load_external(path: &Path) -> Result<Vec<External>, String> {
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
pub fn evaluate(scanner: &Scanner, samples: &Path, truth: &Truths, min: Confidence) -> Evaluation {
    score(samples, truth, |file, ev| match scanner.scan_collect(file) {
        Ok(f) => f
            .into_iter()
            .filter(|f| f.confidence >= min)
            .map(|f| (f.category.to_string(), f.value, f.masked, f.location.short()))
            .collect(),
        Err(e) => {
            ev.errors.push(format!("{}: {e}", file.display()));
            Vec::new()
        }
    })
}

/// Scores another tool's findings on the files under `samples` with the same matcher.
pub fn evaluate_external(samples: &Path, truth: &Truths, found: &[External]) -> Evaluation {
    let mut by_file: BTreeMap<String, Vec<&External>> = BTreeMap::new();
    for f in found {
        by_file.entry(key(Path::new(&f.path))).or_default().push(f);
    }
    score(samples, truth, |file, _| {
        by_file
            .get(&key(file))
            .map(|v| {
                v.iter()
                    .map(|f| {
                        let masked = crate::finding::mask(leak_category(&f.category), &f.value);
                        (f.category.clone(), f.value.clone(), masked, String::new())
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// (category, value, masked value, location) of one finding.
type Found = (String, String, String, String);

fn score(samples: &Path, truth: &Truths, mut find: impl FnMut(&Path, &mut Evaluation) -> Vec<Found>) -> Evaluation {
    let mut ev = Evaluation::default();
    let root = key(samples);
    // (file, category) → expected values
    let mut expected: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for t in &truth.items {
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
        for (category, value, masked, location) in find(&file, &mut ev) {
            if !truth.judged(&rel, &category) {
                *ev.unjudged.entry(category).or_default() += 1;
                continue;
            }
            let want = expected.get_mut(&(rel.clone(), category.clone()));
            let got = fold(value.trim());
            let hit = want.and_then(|w| {
                let exact = w.iter().position(|v| fold(v.trim()) == got);
                exact.or_else(|| w.iter().position(|v| same_span(&category, v, &value))).map(|i| w.remove(i))
            });
            let c = ev.categories.entry(category.clone()).or_default();
            let fc = ev.formats.entry((fmt.clone(), category.clone())).or_default();
            if hit.is_some() {
                c.tp += 1;
                fc.tp += 1;
            } else {
                c.fp += 1;
                fc.fp += 1;
                ev.misses.push(Miss { kind: "fp", path: rel.clone(), category, value, masked, location });
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

/// Categories whose extent is a judgement call (where a name or an address ends).
const SPAN_CATEGORIES: &[&str] = &["person_name", "name_reading", "address", "employer", "job_title", "occupation"];

/// For span categories, a finding and a truth value match when, ignoring white space, one
/// contains the other and the shorter has at least 60 % of the longer's characters: 株式会社サンプル
/// for 株式会社サンプル 営業部 counts, 山田 for 山田 太郎 does not.
fn same_span(category: &str, truth: &str, found: &str) -> bool {
    if !SPAN_CATEGORIES.contains(&category) {
        return false;
    }
    let squeeze = |s: &str| -> String { fold(s).chars().filter(|c| !c.is_whitespace()).collect() };
    let (a, b) = (squeeze(truth), squeeze(found));
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    let (ns, nl) = (short.chars().count(), long.chars().count());
    ns > 0 && long.contains(&short) && ns * 10 >= nl * 6
}

fn leak_category(c: &str) -> &'static str {
    crate::detect::rule::CATEGORIES.iter().find(|x| **x == c).copied().unwrap_or("")
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    #[test]
    fn scopes_limit_what_is_judged() {
        let t = Truths {
            items: Vec::new(),
            scopes: vec![Scope { corpus: "samples/old/".into(), covers: vec!["phone".into()] }],
        };
        assert!(t.judged("samples/old/a.txt", "phone"));
        assert!(!t.judged("samples/old/a.txt", "person_name"));
        assert!(t.judged("samples/older/a.txt", "person_name"));
        assert!(t.judged("samples/new/a.txt", "person_name"));
    }

    #[test]
    fn span_categories_match_on_most_of_the_extent() {
        assert!(same_span("employer", "株式会社サンプル 営業部", "株式会社サンプル"));
        assert!(same_span("person_name", "山田 太郎", "山田　太郎"));
        assert!(!same_span("person_name", "山田 太郎", "山田"));
        assert!(!same_span("phone", "03-1234-5678", "03-1234-567"));
        assert!(!same_span("address", "東京都港区", "大阪府大阪市北区"));
    }
}
