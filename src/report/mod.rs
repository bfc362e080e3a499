//! Report sinks: where findings go. One required method, like ripgrep's `Sink`; the scan
//! hands each file's findings over in one call, under a lock, so lines never interleave.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::detect::Confidence;
use crate::finding::{Finding, Shown};

/// Counts for the end of a run.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Files read.
    pub files_scanned: u64,
    /// Bytes in the files read.
    pub bytes_scanned: u64,
    /// Files not read, by reason (`binary:pdf`, `too large`, …).
    pub skipped: BTreeMap<String, u64>,
    /// Files that could not be read.
    pub errors: u64,
    /// Files read only in part (e.g. no encoding decoded them cleanly).
    pub partial: u64,
    /// Files with at least one finding.
    pub files_with_findings: u64,
    /// Findings per category and confidence.
    pub by_category: BTreeMap<&'static str, [u64; 3]>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The first error writing the report, if any (the run then ends with status 2).
    pub output_error: Option<String>,
}

impl Summary {
    /// Total findings.
    pub fn findings(&self) -> u64 {
        self.by_category.values().map(|c| c.iter().sum::<u64>()).sum()
    }

    /// Adds a batch of findings (one file may hand over several batches).
    pub fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            let slot = self.by_category.entry(f.category).or_default();
            slot[match f.confidence {
                Confidence::High => 0,
                Confidence::Medium => 1,
                Confidence::Low => 2,
            }] += 1;
        }
    }

    /// Skipped files in total.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// Receives findings.
pub trait Sink: Send {
    /// One file's findings (never empty).
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()>;
    /// The end of the run.
    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One line per finding for people, then a summary table.
    Human,
    /// One JSON object per line (FINDINGS.md); the summary goes to standard error.
    Jsonl,
}

/// JSON Lines writer.
pub struct Jsonl<W: Write + Send> {
    out: W,
    reveal: bool,
}

impl<W: Write + Send> Jsonl<W> {
    /// A writer that prints `value` only when `reveal`.
    pub fn new(out: W, reveal: bool) -> Self {
        Jsonl { out, reveal }
    }
}

impl<W: Write + Send> Sink for Jsonl<W> {
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            serde_json::to_writer(&mut self.out, &Shown { finding: f, reveal: self.reveal })?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.flush()?;
        eprintln!("{}", summary_line(summary));
        Ok(())
    }
}

/// Human-readable writer.
pub struct Human<W: Write + Send> {
    out: W,
    reveal: bool,
}

impl<W: Write + Send> Human<W> {
    /// A writer that shows raw values only when `reveal`.
    pub fn new(out: W, reveal: bool) -> Self {
        Human { out, reveal }
    }
}

impl<W: Write + Send> Sink for Human<W> {
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            let value = if self.reveal { &f.value } else { &f.masked };
            let member = f.member.as_deref().map(|m| format!("!{m}")).unwrap_or_default();
            writeln!(
                self.out,
                "{}{}:{}  {:<15} {:<6} {}  [{}]",
                f.path,
                member,
                f.location.short(),
                f.category,
                f.confidence.as_str(),
                value,
                f.reasons.join(", ")
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        if !s.by_category.is_empty() {
            writeln!(self.out)?;
            writeln!(self.out, "{:<18} {:>7} {:>7} {:>7} {:>7}", "category", "high", "medium", "low", "total")?;
            for (cat, c) in &s.by_category {
                writeln!(self.out, "{:<18} {:>7} {:>7} {:>7} {:>7}", cat, c[0], c[1], c[2], c.iter().sum::<u64>())?;
            }
        }
        writeln!(self.out, "{}", summary_line(s))?;
        self.out.flush()
    }
}

/// The one-line summary.
pub fn summary_line(s: &Summary) -> String {
    let skipped = if s.skipped.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = s.skipped.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!(" ({})", parts.join(", "))
    };
    let size = if s.bytes_scanned >= 1_000_000 {
        format!("{:.1} MB", s.bytes_scanned as f64 / 1e6)
    } else {
        format!("{:.1} kB", s.bytes_scanned as f64 / 1e3)
    };
    format!(
        "sumi: {} findings in {} of {} files scanned ({size}){}; {} skipped{}; {} errors; {:.2} s",
        s.findings(),
        s.files_with_findings,
        s.files_scanned,
        if s.partial > 0 { format!(", {} partly", s.partial) } else { String::new() },
        s.skipped_total(),
        skipped,
        s.errors,
        s.seconds
    )
}
