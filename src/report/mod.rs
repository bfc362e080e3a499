//! Report sinks: where findings go. One required method, like ripgrep's `Sink`; the scan
//! hands each file's findings over in one call, under a lock, so lines never interleave.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::detect::Confidence;
use crate::finding::Finding;

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
            write_jsonl(&mut self.out, f, self.reveal)?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.flush()?;
        eprintln!("{}", summary_line(summary));
        Ok(())
    }
}

/// One finding as a line of JSON, byte for byte what `serde_json` writes for [`Shown`](crate::finding::Shown) (the
/// tests compare the two), without going through `serde`'s map machinery.
fn write_jsonl<W: Write>(out: &mut W, f: &Finding, reveal: bool) -> io::Result<()> {
    out.write_all(b"{\"path\":")?;
    write_json_str(out, &f.path)?;
    if let Some(member) = &f.member {
        out.write_all(b",\"member\":")?;
        write_json_str(out, member)?;
    }
    out.write_all(b",\"location\":")?;
    serde_json::to_writer(&mut *out, &f.location)?;
    out.write_all(b",\"category\":")?;
    write_json_str(out, f.category)?;
    out.write_all(b",\"detector\":")?;
    write_json_str(out, f.detector)?;
    out.write_all(b",\"confidence\":")?;
    write_json_str(out, f.confidence.as_str())?;
    out.write_all(b",\"score\":")?;
    serde_json::to_writer(&mut *out, &f.score)?;
    out.write_all(b",\"reasons\":[")?;
    for (i, r) in f.reasons.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_json_str(out, r)?;
    }
    out.write_all(b"],\"masked\":")?;
    write_json_str(out, &f.masked)?;
    out.write_all(b",\"fingerprint\":")?;
    write_json_str(out, &f.fingerprint)?;
    if reveal {
        out.write_all(b",\"value\":")?;
        write_json_str(out, &f.value)?;
    }
    out.write_all(b"}\n")
}

/// A JSON string with `serde_json`'s escapes: `\"`, `\\`, the short forms of control
/// characters that have one, `\u00xx` for the others; everything else as it is.
fn write_json_str<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = s.as_bytes();
    out.write_all(b"\"")?;
    let mut from = 0;
    for (i, &x) in b.iter().enumerate() {
        let short: &[u8] = match x {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0A => b"\\n",
            0x0C => b"\\f",
            0x0D => b"\\r",
            0x00..=0x1F => &[],
            _ => continue,
        };
        out.write_all(&b[from..i])?;
        if short.is_empty() {
            out.write_all(&[b'\\', b'u', b'0', b'0', HEX[(x >> 4) as usize], HEX[(x & 15) as usize]])?;
        } else {
            out.write_all(short)?;
        }
        from = i + 1;
    }
    out.write_all(&b[from..])?;
    out.write_all(b"\"")
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

#[cfg(test)]
mod jsonl_tests {
    use super::*;
    use crate::finding::Shown;

    #[test]
    fn jsonl_lines_are_what_serde_json_writes() {
        let key = crate::finding::Fingerprinter::new(b"k");
        let mut f = Finding {
            path: "dir/a \"b\"\\c\u{1}\u{1f}\t\n\r\u{8}\u{c}\u{7f}é名.txt".into(),
            member: None,
            location: crate::segment::Location::Text { line: 3, column: 7 },
            category: "phone",
            detector: "phone_jp",
            confidence: Confidence::High,
            score: 0.85,
            reasons: vec!["pattern", "context:label", "x"],
            masked: "090-****-5678".into(),
            fingerprint: key.of("phone", "09012345678"),
            value: "090-1234-5678\"\u{0}".into(),
        };
        for reveal in [false, true] {
            for member in [None, Some("m/\u{2}\"".to_string())] {
                f.member = member;
                f.reasons.pop();
                let mut ours = Vec::new();
                write_jsonl(&mut ours, &f, reveal).unwrap();
                let mut theirs = serde_json::to_vec(&Shown { finding: &f, reveal }).unwrap();
                theirs.push(b'\n');
                assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
            }
        }
    }
}
