//! Redacted copies: walk → read (segments with origins) → detect → a writer per format →
//! verification.
//!
//! Every file under the scanned paths gets a copy at the same relative path under the output
//! directory, in the same format, with each finding replaced. The writers (one module per
//! format family) take the original bytes and the findings with their spans, and hand back new
//! bytes, the original bytes unchanged, or a reason to withhold the file. Before a copy lands,
//! it is scanned again with the same detectors; a copy with anything left at medium
//! confidence or above is withheld too (fail closed). Copies are written to a temporary file
//! next to their place and renamed into it; originals are opened read-only.

pub mod archive;
pub mod image;
pub mod mail;
pub mod office;
pub mod pdf;
pub mod text;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::json;

use crate::detect::Confidence;
use crate::finding::{Finding, Fingerprinter};
use crate::read::{self, Kind, Outcome, ReadOptions};
use crate::scan::Scanner;
use crate::segment::{Location, Origin, Segment};

/// How a redacted value is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Same length, `＊` for full-width and `*` for ASCII characters, separators kept.
    Mask,
    /// A label per category: `[氏名]`, `[電話番号]` …
    Label,
    /// A keyed token, stable for the same value and key: `PHONE-kqzdmfpa`.
    Pseudonym,
    /// Cards and phones keep their last four digits; everything else is masked.
    Partial,
}

/// What happens to images that are personal data themselves (seals, signatures, ID scans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePolicy {
    /// Replaced by a black picture of the same size and format (JPEG, PNG, GIF, BMP, TIFF);
    /// other formats are withheld.
    Blackout,
    /// Withheld (the default).
    Withhold,
    /// Copied with their metadata stripped.
    Keep,
}

/// Categories whose findings make an image personal data itself.
pub const IMAGE_CATEGORIES: &[&str] = &["seal", "signature", "id_document"];

/// The Japanese label of a category (label mode).
pub fn label(category: &str) -> &'static str {
    match category {
        "person_name" => "[氏名]",
        "name_reading" => "[読み仮名]",
        "age" => "[年齢]",
        "gender" => "[性別]",
        "date_of_birth" => "[生年月日]",
        "credit_card" => "[クレジットカード番号]",
        "bank_account" => "[口座番号]",
        "employer" => "[勤務先]",
        "job_title" => "[役職]",
        "occupation" => "[職業]",
        "address" => "[住所]",
        "postal_code" => "[郵便番号]",
        "phone" => "[電話番号]",
        "fax" => "[FAX番号]",
        "email" => "[メールアドレス]",
        "ip_address" => "[IPアドレス]",
        "account_id" => "[ID]",
        "credential" => "[認証情報]",
        "my_number" => "[個人番号]",
        "drivers_license" => "[運転免許証番号]",
        "passport" => "[旅券番号]",
        "residence_card" => "[在留カード番号]",
        "health_insurance" => "[保険証番号]",
        "pension_number" => "[基礎年金番号]",
        "us_ssn" => "[SSN]",
        "sensitive" => "[要配慮個人情報]",
        "seal" => "[印影]",
        "signature" => "[署名]",
        "id_document" => "[身分証明書]",
        "voice_recording" => "[通話音声]",
        _ => "[個人情報]",
    }
}

/// The ASCII tag of a category in pseudonym tokens.
fn tag(category: &str) -> String {
    match category {
        "person_name" => "NAME".into(),
        "date_of_birth" => "DOB".into(),
        "credit_card" => "CARD".into(),
        "my_number" => "MYNUMBER".into(),
        "ip_address" => "IP".into(),
        other => other.to_ascii_uppercase(),
    }
}

/// Characters kept by the mask: the layout of a value, never its content.
pub use crate::finding::is_separator;

fn mask_char(c: char) -> char {
    if c.is_ascii() {
        '*'
    } else {
        '＊'
    }
}

/// Makes replacements in one of the modes.
#[derive(Clone)]
pub struct Replacer {
    mode: Mode,
    key: Option<Fingerprinter>,
}

impl std::fmt::Debug for Replacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Replacer({:?})", self.mode)
    }
}

impl Replacer {
    /// A replacer; `Pseudonym` needs a key.
    pub fn new(mode: Mode, key: Option<&[u8]>) -> Result<Replacer, String> {
        if mode == Mode::Pseudonym && key.is_none_or(|k| k.is_empty()) {
            return Err("--mode pseudonym needs a key: --pseudonym-key-file or SUMI_PSEUDONYM_KEY".into());
        }
        Ok(Replacer { mode, key: key.map(Fingerprinter::new) })
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether replacements keep the number of characters (mask, partial).
    pub fn keeps_length(&self) -> bool {
        matches!(self.mode, Mode::Mask | Mode::Partial)
    }

    /// The replacement of `value` (of `category`; `normalized` is what fingerprints hash).
    pub fn replace(&self, category: &str, value: &str, normalized: &str) -> String {
        match self.mode {
            // A secret keeps nothing of its layout (and reads as a placeholder afterwards).
            Mode::Mask | Mode::Partial if category == "credential" => value.chars().map(mask_char).collect(),
            Mode::Mask => value.chars().map(|c| if is_separator(c) { c } else { mask_char(c) }).collect(),
            Mode::Label => label(category).to_string(),
            Mode::Pseudonym => {
                let fp = self.key.as_ref().map(|k| k.of(category, normalized)).unwrap_or_default();
                // Letters only, so a token never reads as a number to any detector.
                let letters: String = fp
                    .as_bytes()
                    .chunks(2)
                    .take(8)
                    .map(|p| {
                        let v = u8::from_str_radix(std::str::from_utf8(p).unwrap_or("0"), 16).unwrap_or(0);
                        (b'a' + v % 26) as char
                    })
                    .collect();
                format!("{}-{}", tag(category), letters)
            }
            Mode::Partial => {
                let keep_last = matches!(category, "credit_card" | "phone" | "fax");
                let chars: Vec<char> = value.chars().collect();
                let digits: Vec<usize> = (0..chars.len()).filter(|&i| chars[i].is_numeric()).collect();
                let shown: HashSet<usize> = if keep_last && digits.len() > 8 {
                    digits[digits.len() - 4..].iter().copied().collect()
                } else {
                    HashSet::new()
                };
                chars
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| if shown.contains(&i) || is_separator(c) { c } else { mask_char(c) })
                    .collect()
            }
        }
    }
}

/// One finding with the way back to its text: the segment's origin and the byte range of the
/// match in the segment's text.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The finding as reports show it.
    pub finding: Finding,
    /// Where the segment starts.
    pub origin: Origin,
    /// Byte range of the value in the segment's text.
    pub range: Range<usize>,
    /// The normalised value (what fingerprints and pseudonyms hash).
    pub normalized: String,
}

impl Hit {
    /// The replacement of this hit's value.
    pub fn replacement(&self, rep: &Replacer) -> String {
        rep.replace(self.finding.category, &self.finding.value, &self.normalized)
    }

    /// Whether the hit is about a member's or the file's name rather than its content.
    pub fn is_name(&self) -> bool {
        matches!(self.finding.location, Location::FileName { .. })
    }
}

/// What a writer made of a file.
#[derive(Debug)]
pub enum Written {
    /// The copy is the original, byte for byte.
    Same,
    /// New bytes, and how many values the writer replaced.
    New(Vec<u8>),
    /// Not copied, and why (never quotes content).
    Withheld(String),
}

/// The state every writer needs.
pub struct Redactor<'a> {
    /// The scanner (catalog, options, fingerprints).
    pub scanner: &'a Scanner,
    /// Replacement mode.
    pub rep: Replacer,
    /// Image policy.
    pub images: ImagePolicy,
    /// Content keys of the black pictures written (`--images blackout`): verification knows
    /// them as sumi's own, whatever their name or shape still suggests.
    pub blacked: std::sync::Mutex<HashSet<String>>,
}

impl Redactor<'_> {
    /// Reads `bytes` (a file or member called `name`) and returns every finding with its span,
    /// and how it was read.
    pub fn collect(&self, name: &str, bytes: &[u8], depth: u32) -> Result<(Vec<Hit>, Outcome), read::ReadError> {
        let ropts: &ReadOptions = &self.scanner.options().read;
        let is_header = |c: &[&str]| self.scanner.is_header(c);
        let mut ctx = read::Ctx::new(ropts, &is_header);
        ctx.depth = depth;
        let display: Arc<str> = name.into();
        let mut hits = Vec::new();
        let mut emit = |seg: &Segment| {
            if let Some(media) = &seg.media {
                // A finding about a whole image or recording, or an EXIF/XMP field: no span.
                if let Some(f) = self.scanner.media_finding(seg, media, &display) {
                    hits.push(Hit {
                        finding: f,
                        origin: seg.origin.clone(),
                        range: 0..0,
                        normalized: media.key.clone(),
                    });
                }
                return;
            }
            let matches = self.scanner.catalog().detect(&seg.text, seg.label.as_deref());
            for (f, m) in self.scanner.findings_with_spans(seg, matches, &display) {
                hits.push(Hit {
                    finding: f,
                    origin: seg.origin.clone(),
                    range: m.start..m.end,
                    normalized: m.normalized,
                });
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read::read_bytes(name, bytes, &mut ctx, &mut emit)
        }))
        .map_err(|_| read::ReadError::Invalid("reader failed (internal error)".into()))??;
        let outcome = match outcome {
            Outcome::Document { format, mut problems } => {
                problems.append(&mut ctx.problems);
                Outcome::Document { format, problems }
            }
            o => o,
        };
        Ok((hits, outcome))
    }

    /// Findings in a name (a relative path, components joined with `/`).
    pub fn name_hits(&self, name: &str) -> Vec<Hit> {
        let seg = Segment::new(name.to_string(), Origin::Fixed(Location::FileName { file_name: true }));
        let matches = self.scanner.catalog().detect(&seg.text, None);
        let display: Arc<str> = name.into();
        self.scanner
            .findings_with_spans(&seg, matches, &display)
            .into_iter()
            .map(|(f, m)| Hit {
                finding: f,
                origin: seg.origin.clone(),
                range: m.start..m.end,
                normalized: m.normalized,
            })
            .collect()
    }

    /// `name` with the values of `hits` (spans in `name`) replaced.
    /// The extension of the file name (after its last `.`) is kept: a value never runs into it.
    pub fn redact_name(&self, name: &str, hits: &[Hit]) -> String {
        let last = name.rfind('/').map_or(0, |i| i + 1);
        let ext = name[last..].rfind('.').filter(|&i| i > 0).map_or(name.len(), |i| last + i);
        let mut spans: Vec<(Range<usize>, String)> = hits
            .iter()
            .map(|h| {
                let mut r = h.range.clone();
                if r.start < ext && r.end > ext {
                    r.end = ext;
                }
                let repl = if r == h.range {
                    h.replacement(&self.rep)
                } else {
                    self.rep.replace(h.finding.category, &name[r.clone()], &h.normalized)
                };
                (r, repl.replace(['/', '\\'], "_"))
            })
            .collect();
        spans.sort_by_key(|s| (s.0.start, std::cmp::Reverse(s.0.end)));
        let mut out = String::new();
        let mut at = 0;
        for (r, repl) in spans {
            if r.start < at || r.end > name.len() {
                continue;
            }
            out.push_str(&name[at..r.start]);
            out.push_str(&repl);
            at = r.end;
        }
        out.push_str(&name[at..]);
        out
    }

    /// Writes the redacted form of `bytes` (a file or member called `name`) given its
    /// content findings `hits`, and how it was read.
    pub fn write(&self, name: &str, bytes: &[u8], hits: &[Hit], outcome: &Outcome, depth: u32) -> Written {
        let content: Vec<&Hit> = hits.iter().filter(|h| !(h.is_name() && h.finding.member.is_none())).collect();
        if let Outcome::Document { problems, .. } = outcome {
            if let Some(p) = problems.iter().find(|p| !p.skipped) {
                // A member's name can hold personal data too.
                let member = self.redact_name(&p.member, &self.name_hits(&p.member));
                return Written::Withheld(format!("part or member not inspected ({member}: {})", p.reason));
            }
        }
        let kind = match read::kind_of_bytes(name, bytes) {
            Ok(k) => k,
            Err(e) => return Written::Withheld(format!("unreadable: {e}")),
        };
        let own: Vec<Hit> = content.iter().map(|h| (*h).clone()).collect();
        match kind {
            Kind::Text | Kind::Delimited(_) | Kind::Json | Kind::Markup(_) => {
                if let Outcome::Skipped(what) = outcome {
                    return image::redact(name, bytes, &own, what, self, false);
                }
                if own.is_empty() {
                    return Written::Same;
                }
                match text::redact(bytes, &own, &self.rep) {
                    Ok(b) => Written::New(b),
                    Err(e) => Written::Withheld(e),
                }
            }
            Kind::Sheet(read::sheet::SheetKind::Xlsx | read::sheet::SheetKind::Ods) | Kind::Office(_) => {
                office::redact(bytes, &own, self, depth)
            }
            Kind::Sheet(k) => {
                if own.is_empty() {
                    Written::Same
                } else {
                    Written::Withheld(format!("{k:?} workbooks cannot be rewritten yet"))
                }
            }
            Kind::Zip => archive::redact(bytes, &own, self, depth),
            Kind::Pdf => pdf::redact(bytes, &own, self),
            Kind::Mail => mail::redact(bytes, &own, self, depth),
            Kind::Gzip => archive::redact_gzip(name, bytes, self, depth),
            Kind::Tar => archive::redact_tar(bytes, self, depth),
            Kind::Media(_) => image::redact(name, bytes, &own, media_format(bytes), self, false),
        }
    }
}

/// The binary format of an image or recording, as the reader's sniffer names it (`jpeg`,
/// `png`, `gif`, `riff` …).
pub fn media_format(bytes: &[u8]) -> &'static str {
    match read::encoding::sniff(&bytes[..bytes.len().min(64 << 10)], bytes.len() <= 64 << 10) {
        read::encoding::Sniff::Binary(what) => what,
        read::encoding::Sniff::Text(_) => "media",
    }
}

/// Options of a redaction run.
#[derive(Debug, Clone)]
pub struct RedactOptions {
    /// Where the copies go.
    pub out: PathBuf,
    /// The manifest (default: `sumi-redact-manifest.jsonl` in `out`).
    pub manifest: Option<PathBuf>,
    /// Replacement mode.
    pub mode: Mode,
    /// Key for pseudonyms.
    pub pseudonym_key: Option<Vec<u8>>,
    /// Copy only files that had findings.
    pub only_changed: bool,
    /// Image policy.
    pub images: ImagePolicy,
    /// Write raw values into the manifest.
    pub reveal: bool,
}

/// The outcome for one file.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The original's path relative to its scan root (with the root's name when several roots
    /// were given).
    pub rel: String,
    /// The copy's relative path (names redacted).
    pub copy: String,
    /// `redacted`, `copied` (no findings), `skipped` (`--only-changed`) or `withheld`.
    pub status: &'static str,
    /// Why it was withheld.
    pub reason: Option<String>,
    /// The findings redacted (content and names).
    pub redactions: Vec<Finding>,
    /// Findings the verification pass found in the copy (the copy was then withheld).
    pub leftovers: Vec<Finding>,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per file, sorted by path.
    pub files: Vec<FileResult>,
    /// Redacted values per category.
    pub per_category: BTreeMap<String, usize>,
    /// Seconds taken.
    pub seconds: f64,
    /// Files or directories that could not be walked.
    pub errors: Vec<String>,
    /// Files not copied because the walk passed them by (symbolic links, special files,
    /// `--exclude`), per reason.
    pub skipped: BTreeMap<String, usize>,
}

impl Report {
    /// Files withheld.
    pub fn withheld(&self) -> impl Iterator<Item = &FileResult> {
        self.files.iter().filter(|f| f.status == "withheld")
    }

    /// Whether every file was copied and verified clean.
    pub fn clean(&self) -> bool {
        self.withheld().next().is_none() && self.errors.is_empty()
    }
}

fn canonical(p: &Path) -> Result<PathBuf, String> {
    std::fs::canonicalize(p).map_err(|e| format!("{}: {}", p.display(), read::io_reason(&e)))
}

static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `dest` through a temporary file in the same directory and a rename.
fn write_atomic(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".sumi-tmp-{}-{}", std::process::id(), TMP_SEQ.fetch_add(1, Ordering::Relaxed)));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Redacts every file under `paths` into `opts.out`.
pub fn run(scanner: &Scanner, paths: &[PathBuf], opts: &RedactOptions) -> Result<Report, String> {
    let start = Instant::now();
    let rep = Replacer::new(opts.mode, opts.pseudonym_key.as_deref())?;
    // Where DIR is (or will be), decided before anything is created: a refused DIR inside a
    // scanned PATH must not leave even an empty folder behind.
    let planned = {
        let mut missing = Vec::new();
        let mut p = std::path::absolute(&opts.out).map_err(|e| format!("{}: {e}", opts.out.display()))?;
        while !p.exists() {
            match (p.parent(), p.file_name()) {
                (Some(parent), Some(name)) => {
                    missing.push(name.to_owned());
                    p = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = canonical(&p)?;
        c.extend(missing.iter().rev());
        c
    };
    for p in paths {
        let c = canonical(p)?;
        if planned.starts_with(&c) || c.starts_with(&planned) {
            return Err(format!(
                "the output directory {} and the scanned path {} must not contain each other",
                opts.out.display(),
                p.display()
            ));
        }
    }
    std::fs::create_dir_all(&opts.out).map_err(|e| format!("{}: {}", opts.out.display(), read::io_reason(&e)))?;
    let out = canonical(&opts.out)?;
    let several = paths.len() > 1;
    let red = Redactor { scanner, rep, images: opts.images, blacked: Default::default() };
    let verify_min = scanner.options().min_confidence.max(Confidence::Medium);
    let results = Mutex::new(Vec::new());
    let claimed = Mutex::new(HashSet::new());
    let errors = Mutex::new(Vec::new());
    let skipped = Mutex::new(BTreeMap::<String, usize>::new());
    let skip =
        |reason: &str| *skipped.lock().unwrap_or_else(|e| e.into_inner()).entry(reason.to_string()).or_default() += 1;
    let fail =
        |path: &str, reason: String| errors.lock().unwrap_or_else(|e| e.into_inner()).push(format!("{path}: {reason}"));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(scanner.options().threads)
        .build()
        .map_err(|e| format!("cannot start workers: {e}"))?;
    pool.install(|| {
        scanner.walk(paths, &skip, &fail).par_bridge().for_each(|(path, rel, size)| {
            let rel =
                if rel.as_os_str().is_empty() { path.file_name().map(PathBuf::from).unwrap_or_default() } else { rel };
            let mut comps: Vec<String> = Vec::new();
            if several {
                if let Some(root) = paths.iter().find(|r| path.starts_with(r)) {
                    if root.is_dir() {
                        if let Some(n) = root.file_name() {
                            comps.push(n.to_string_lossy().into_owned());
                        }
                    }
                }
            }
            comps.extend(rel.components().filter_map(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            }));
            let rel_s = comps.join("/");
            let r = redact_file(&red, &path, &rel, &rel_s, size, &out, opts, verify_min, &claimed);
            results.lock().unwrap_or_else(|e| e.into_inner()).push(r);
        });
    });
    let mut files = results.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut per_category = BTreeMap::new();
    for f in &files {
        if f.status == "redacted" {
            for r in &f.redactions {
                *per_category.entry(r.category.to_string()).or_insert(0) += 1;
            }
        }
    }
    let report = Report {
        files,
        per_category,
        seconds: start.elapsed().as_secs_f64(),
        errors: errors.into_inner().unwrap_or_else(|e| e.into_inner()),
        skipped: skipped.into_inner().unwrap_or_else(|e| e.into_inner()),
    };
    let manifest = opts.manifest.clone().unwrap_or_else(|| out.join("sumi-redact-manifest.jsonl"));
    write_manifest(&manifest, &report, opts.reveal)
        .map_err(|e| format!("cannot write manifest {}: {}", manifest.display(), read::io_reason(&e)))?;
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
fn redact_file(
    red: &Redactor,
    path: &Path,
    rel: &Path,
    rel_s: &str,
    size: u64,
    out: &Path,
    opts: &RedactOptions,
    verify_min: Confidence,
    claimed: &Mutex<HashSet<String>>,
) -> FileResult {
    let name_hits = red.name_hits(rel_s);
    let copy = red.redact_name(rel_s, &name_hits);
    let mut result = FileResult {
        rel: rel_s.to_string(),
        copy: copy.clone(),
        status: "withheld",
        reason: None,
        redactions: name_hits.iter().map(|h| h.finding.clone()).collect(),
        leftovers: Vec::new(),
    };
    let withhold = |mut r: FileResult, reason: String| {
        r.status = "withheld";
        r.reason = Some(reason);
        r
    };
    let max = red.scanner.options().max_file_size.unwrap_or(u64::MAX).min(red.scanner.options().read.max_document_size);
    if size > max {
        return withhold(result, format!("larger than {} MiB, not redacted", max >> 20));
    }
    // Read-only: the original is opened for reading and never written.
    let mut bytes = Vec::with_capacity(size as usize);
    if let Err(e) = File::open(path).and_then(|f| f.take(max + 1).read_to_end(&mut bytes)) {
        return withhold(result, read::io_reason(&e));
    }
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (hits, outcome) = match red.collect(&name, &bytes, 0) {
        Ok(x) => x,
        Err(e) => return withhold(result, format!("unreadable: {e}")),
    };
    let content: Vec<Hit> = hits.into_iter().filter(|h| !(h.is_name() && h.finding.member.is_none())).collect();
    result.redactions.extend(content.iter().map(|h| h.finding.clone()));
    if opts.only_changed && result.redactions.is_empty() {
        result.status = "skipped";
        return result;
    }
    let written = red.write(&name, &bytes, &content, &outcome, 0);
    let new_bytes: Vec<u8> = match written {
        Written::Withheld(reason) => return withhold(result, reason),
        Written::Same => bytes.clone(),
        Written::New(b) => b,
    };
    // Verification: the copy read again with the same detectors.
    let copy_name = copy.rsplit('/').next().unwrap_or(&copy).to_string();
    let mut left: Vec<Finding> =
        red.name_hits(&copy).into_iter().map(|h| h.finding).filter(|f| f.confidence >= verify_min).collect();
    if !(new_bytes == bytes && content.is_empty()) {
        match red.collect(&copy_name, &new_bytes, 0) {
            Ok((hits, outcome)) => {
                if let Outcome::Document { problems, .. } = &outcome {
                    if problems.iter().any(|p| !p.skipped) {
                        return withhold(result, "the copy does not read back completely".into());
                    }
                }
                // A picture this run blacked out is still a card-shaped image named 免許証:
                // not a leftover.
                let ours = |h: &Hit| {
                    IMAGE_CATEGORIES.contains(&h.finding.category)
                        && red.blacked.lock().is_ok_and(|b| b.contains(&h.normalized))
                };
                left.extend(
                    hits.into_iter().filter(|h| !ours(h)).map(|h| h.finding).filter(|f| f.confidence >= verify_min),
                )
            }
            Err(e) => return withhold(result, format!("the copy could not be read back: {e}")),
        }
    }
    if !left.is_empty() {
        let n = left.len();
        result.leftovers = left;
        return withhold(result, format!("verification: {n} finding(s) left in the copy"));
    }
    // Two names may redact to the same one (`山田_090-….txt`, `山田_080-….txt`): the later
    // copy gets `~2`, `~3` … before its extension.
    let copy = claim(claimed, &copy);
    result.copy = copy.clone();
    let dest = out.join(&copy);
    if let Err(e) = write_atomic(&dest, &new_bytes) {
        return withhold(result, format!("cannot write the copy: {}", read::io_reason(&e)));
    }
    // `copied`: nothing found (the copy may still differ: image metadata, a PDF saved whole).
    result.status = if result.redactions.is_empty() { "copied" } else { "redacted" };
    result
}

/// `copy`, or the first free `copy~N` (before the extension), claimed.
fn claim(claimed: &Mutex<HashSet<String>>, copy: &str) -> String {
    let mut set = claimed.lock().unwrap_or_else(|e| e.into_inner());
    if set.insert(copy.to_string()) {
        return copy.to_string();
    }
    let last = copy.rfind('/').map_or(0, |i| i + 1);
    let dot = copy[last..].rfind('.').filter(|&i| i > 0).map_or(copy.len(), |i| last + i);
    for n in 2.. {
        let c = format!("{}~{n}{}", &copy[..dot], &copy[dot..]);
        if set.insert(c.clone()) {
            return c;
        }
    }
    unreachable!()
}

fn write_manifest(path: &Path, report: &Report, reveal: bool) -> std::io::Result<()> {
    let mut buf = Vec::new();
    for f in &report.files {
        let shown = |p: &str| if reveal { p.to_string() } else { String::new() };
        let mut file = json!({
            "type": "file",
            "path": f.copy,
            "status": f.status,
            "redactions": f.redactions.len(),
        });
        if let Some(r) = &f.reason {
            file["reason"] = json!(r);
        }
        if reveal {
            file["source"] = json!(shown(&f.rel));
        }
        serde_json::to_writer(&mut buf, &file)?;
        buf.push(b'\n');
        for (kind, list) in [("redaction", &f.redactions), ("leftover", &f.leftovers)] {
            for r in list {
                let mut line = json!({
                    "type": kind,
                    "path": f.copy,
                    "location": r.location,
                    "category": r.category,
                    "confidence": r.confidence.as_str(),
                    "masked": r.masked,
                    "fingerprint": r.fingerprint,
                });
                if let Some(m) = &r.member {
                    line["member"] = json!(m);
                }
                if reveal {
                    line["value"] = json!(r.value);
                }
                serde_json::to_writer(&mut buf, &line)?;
                buf.push(b'\n');
            }
        }
    }
    write_atomic(path, &buf)
}

/// The hits that belong to member `member` of a container, with the member prefix taken off.
pub fn member_hits(hits: &[Hit], member: &str) -> Vec<Hit> {
    hits.iter()
        .filter_map(|h| {
            let m = h.finding.member.as_deref()?;
            let rest = if m == member {
                None
            } else if let Some(r) = m.strip_prefix(member).and_then(|r| r.strip_prefix('/')) {
                Some(r.to_string())
            } else {
                return None;
            };
            let mut h = h.clone();
            h.finding.member = rest;
            Some(h)
        })
        .collect()
}
