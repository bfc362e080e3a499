//! The `sumi` command line.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use sumi::detect::rule::CATEGORIES;
use sumi::detect::{Catalog, Confidence};
use sumi::eval;
use sumi::read::ReadOptions;
use sumi::redact::{self, ImagePolicy, Mode, RedactOptions};
use sumi::report::{Format, Human, Jsonl, Sink};
use sumi::scan::{ScanOptions, Scanner};

/// Finds personal data (Japanese and English) in files and reports where it is, how sure it
/// is and why. Values are masked unless --reveal is given.
#[derive(Parser, Debug)]
#[command(name = "sumi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Scan files and directories for personal data.
    Scan(ScanArgs),
    /// Scan the labelled samples and print precision/recall/F1 per category.
    Eval(EvalArgs),
    /// Write redacted copies of files and directories under --out, verify them, and list
    /// what was withheld.
    Redact(RedactArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RedactMode {
    /// Same length, ＊ for full-width and * for ASCII characters, separators kept.
    Mask,
    /// A Japanese label per category: [氏名], [電話番号] …
    Label,
    /// A keyed token, stable for the same value and key (key: --pseudonym-key-file or
    /// $SUMI_PSEUDONYM_KEY).
    Pseudonym,
    /// Cards and phones keep their last four digits; everything else is masked.
    Partial,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ImagesArg {
    /// Replace the picture with a black one of the same size and format.
    Blackout,
    /// Withhold images that are personal data (seals, signatures, ID scans).
    Withhold,
    /// Copy them, with their metadata stripped.
    Keep,
}

#[derive(Args, Debug)]
struct RedactArgs {
    /// Files and directories to redact.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Directory for the copies (must not be inside a scanned path, nor contain one).
    #[arg(long, required = true)]
    out: PathBuf,
    /// How values are replaced.
    #[arg(long, value_enum, default_value = "mask")]
    mode: RedactMode,
    /// Only copy files that had findings.
    #[arg(long)]
    only_changed: bool,
    /// Where the manifest goes (default: DIR/sumi-redact-manifest.jsonl).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// Images that are personal data themselves (seals, signatures, ID scans).
    #[arg(long, value_enum, default_value = "withhold")]
    images: ImagesArg,
    /// File holding the key for --mode pseudonym (default: $SUMI_PSEUDONYM_KEY).
    #[arg(long)]
    pseudonym_key_file: Option<PathBuf>,
    #[command(flatten)]
    selection: Selection,
    /// Redact findings at or above this confidence: low, medium, high.
    #[arg(long, default_value = "medium", value_parser = parse_confidence)]
    min_confidence: Confidence,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutFormat {
    Human,
    Jsonl,
}

/// Which files a walk reads.
#[derive(Args, Debug)]
struct Selection {
    /// Only read files matching this glob (repeatable).
    #[arg(long)]
    include: Vec<String>,
    /// Skip files and directories matching this glob (repeatable).
    #[arg(long)]
    exclude: Vec<String>,
    /// Skip files larger than this (bytes, or with K/M/G suffix); redact withholds them.
    #[arg(long, value_parser = parse_size)]
    max_file_size: Option<u64>,
}

#[derive(Args, Debug)]
struct Common {
    /// Worker threads (default: number of CPUs).
    #[arg(short = 'j', long = "threads")]
    threads: Option<usize>,
    /// Only these categories (comma-separated ids from TAXONOMY.md).
    #[arg(long, value_delimiter = ',')]
    categories: Vec<String>,
    /// Show raw values (otherwise only masked values and fingerprints); for redact, raw values
    /// and original paths in the manifest.
    #[arg(long)]
    reveal: bool,
    /// File holding the key for fingerprints (default: $SUMI_FINGERPRINT_KEY, else a built-in key).
    #[arg(long)]
    fingerprint_key_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ScanArgs {
    /// Files and directories to scan.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: OutFormat,
    #[command(flatten)]
    selection: Selection,
    /// Only report findings at or above this confidence: low, medium, high.
    #[arg(long, default_value = "low", value_parser = parse_confidence)]
    min_confidence: Confidence,
    /// Follow symbolic links (not followed by default).
    #[arg(long)]
    follow: bool,
    /// Most seconds one file may take; a file over it is reported as partly inspected (0: no
    /// limit).
    #[arg(long, default_value = "300", value_parser = parse_seconds)]
    file_timeout: f64,
    /// Bytes per chunk when reading large text files.
    #[arg(long, hide = true, value_parser = parse_size)]
    chunk_size: Option<u64>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
struct EvalArgs {
    /// The labelled corpus (repeat for several folders).
    #[arg(long, default_value = "samples")]
    samples: Vec<PathBuf>,
    /// Truth files (JSON Lines of path, category, value; paths relative to the working
    /// directory). Default: every tests/truth/*.jsonl.
    #[arg(long)]
    truth: Vec<PathBuf>,
    /// List every false positive and false negative.
    #[arg(long)]
    misses: bool,
    /// Also print tp/fp/fn, precision and recall per file format (the extension, `txt`
    /// without one) and category; findings in zip members and attachments count under the
    /// container's format.
    #[arg(long)]
    by_format: bool,
    /// Score these findings (JSON Lines with path, category and the raw value, e.g. another
    /// tool's output or a saved `sumi scan --format jsonl --reveal`) instead of scanning.
    #[arg(long, value_name = "FILE")]
    findings: Option<PathBuf>,
    /// Count findings at or above this confidence (low counts as medium: low is "possible").
    #[arg(long, default_value = "medium", value_parser = parse_confidence)]
    min_confidence: Confidence,
    #[command(flatten)]
    common: Common,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    Confidence::parse(s).ok_or_else(|| format!("`{s}` is not one of low, medium, high"))
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..=1e9).contains(&n) => Ok(n),
        _ => Err(format!("`{s}` is not a number of seconds")),
    }
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mul) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim().parse::<u64>().map(|n| n * mul).map_err(|_| format!("`{s}` is not a size"))
}

fn options(common: &Common, min_confidence: Confidence, selection: Option<Selection>) -> Result<ScanOptions, String> {
    let mut opts = ScanOptions { min_confidence, ..ScanOptions::default() };
    if let Some(sel) = selection {
        opts.include = sel.include;
        opts.exclude = sel.exclude;
        opts.max_file_size = sel.max_file_size;
    }
    if let Some(j) = common.threads {
        opts.threads = j.max(1);
    }
    if !common.categories.is_empty() {
        let mut set = HashSet::new();
        for c in &common.categories {
            if !CATEGORIES.contains(&c.as_str()) {
                return Err(format!("unknown category `{c}` (see --help and TAXONOMY.md)"));
            }
            set.insert(c.clone());
        }
        opts.categories = Some(set);
    }
    if let Some(f) = &common.fingerprint_key_file {
        opts.fingerprint_key = std::fs::read(f).map_err(|e| format!("cannot read key file {}: {e}", f.display()))?;
    } else if let Ok(k) = std::env::var("SUMI_FINGERPRINT_KEY") {
        if !k.is_empty() {
            opts.fingerprint_key = k.into_bytes();
        }
    }
    Ok(opts)
}

fn run() -> Result<bool, String> {
    let cli = Cli::parse();
    // `--categories` leaves out the passes nothing asked for needs (see `Catalog::builtin_for`).
    let catalog = |opts: &ScanOptions| {
        Catalog::builtin().map(|c| c.only(opts.categories.as_ref())).map_err(|e| format!("rules: {e}"))
    };
    match cli.command {
        Command::Scan(a) => {
            let mut opts = options(&a.common, a.min_confidence, Some(a.selection))?;
            opts.follow = a.follow;
            opts.file_timeout = (a.file_timeout > 0.0).then(|| std::time::Duration::from_secs_f64(a.file_timeout));
            if let Some(c) = a.chunk_size {
                opts.read = ReadOptions {
                    chunk_size: (c as usize).max(4096),
                    overlap: 1024.min(c as usize / 2),
                    ..ReadOptions::default()
                };
            }
            for p in &a.paths {
                if std::fs::symlink_metadata(p).is_err() {
                    return Err(format!("{}: no such file or directory", p.display()));
                }
            }
            let reveal = a.common.reveal;
            let scanner = Scanner::new(catalog(&opts)?, opts)?;
            let stdout = io::stdout();
            let out = io::BufWriter::with_capacity(1 << 16, stdout);
            let format = match a.format {
                OutFormat::Human => Format::Human,
                OutFormat::Jsonl => Format::Jsonl,
            };
            let mut sink: Box<dyn Sink> = match format {
                Format::Human => Box::new(Human::new(out, reveal)),
                Format::Jsonl => Box::new(Jsonl::new(out, reveal)),
            };
            let on_error = |e: &sumi::scan::FileError| {
                let _ = writeln!(io::stderr().lock(), "sumi: {}: {}", e.path, e.reason);
            };
            // A reader that cannot be stopped makes `run` finish the output and end the process
            // itself, with the same exit status as below.
            let summary = scanner.run(&a.paths, sink.as_mut(), &on_error);
            if let Some(e) = &summary.output_error {
                return Err(format!("cannot write output: {e}"));
            }
            if let Err(e) = sink.finish(&summary) {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    return Err(format!("cannot write output: {e}"));
                }
            }
            Ok(summary.findings() > 0)
        }
        Command::Redact(a) => {
            let opts = options(&a.common, a.min_confidence, Some(a.selection))?;
            for p in &a.paths {
                if std::fs::symlink_metadata(p).is_err() {
                    return Err(format!("{}: no such file or directory", p.display()));
                }
            }
            let mode = match a.mode {
                RedactMode::Mask => Mode::Mask,
                RedactMode::Label => Mode::Label,
                RedactMode::Pseudonym => Mode::Pseudonym,
                RedactMode::Partial => Mode::Partial,
            };
            let pseudonym_key = match &a.pseudonym_key_file {
                Some(f) => Some(std::fs::read(f).map_err(|e| format!("cannot read key file {}: {e}", f.display()))?),
                None => std::env::var("SUMI_PSEUDONYM_KEY").ok().filter(|k| !k.is_empty()).map(String::into_bytes),
            };
            let ropts = RedactOptions {
                out: a.out,
                manifest: a.manifest,
                mode,
                pseudonym_key,
                only_changed: a.only_changed,
                images: match a.images {
                    ImagesArg::Withhold => ImagePolicy::Withhold,
                    ImagesArg::Keep => ImagePolicy::Keep,
                    ImagesArg::Blackout => ImagePolicy::Blackout,
                },
                reveal: a.common.reveal,
            };
            let scanner = Scanner::new(catalog(&opts)?, opts)?;
            let report = redact::run(&scanner, &a.paths, &ropts)?;
            let mut err = io::stderr().lock();
            for e in &report.errors {
                let _ = writeln!(err, "sumi: {e}");
            }
            for f in report.withheld() {
                let _ = writeln!(err, "sumi: withheld {}: {}", f.copy, f.reason.as_deref().unwrap_or("?"));
                for l in &f.leftovers {
                    let _ = writeln!(
                        err,
                        "sumi:   left in the copy: {} {} at {} ({})",
                        l.category,
                        l.masked,
                        l.location.short(),
                        l.confidence
                    );
                }
            }
            let count = |s: &str| report.files.iter().filter(|f| f.status == s).count();
            let mut out = io::stdout().lock();
            let _ = writeln!(
                out,
                "sumi redact: {} files: {} redacted, {} copied unchanged, {} skipped, {} withheld ({:.2} s)",
                report.files.len(),
                count("redacted"),
                count("copied"),
                count("skipped"),
                count("withheld"),
                report.seconds
            );
            for (reason, n) in &report.skipped {
                let _ = writeln!(out, "not copied ({reason}): {n}");
            }
            let total: usize = report.per_category.values().sum();
            let _ = writeln!(out, "redacted values: {total}");
            for (c, n) in &report.per_category {
                let _ = writeln!(out, "  {c:<18} {n}");
            }
            Ok(!report.clean())
        }
        Command::Eval(a) => {
            let min = a.min_confidence.max(Confidence::Medium);
            let mut opts = options(&a.common, min, None)?;
            opts.threads = 1;
            let truth_files = if a.truth.is_empty() {
                let mut v: Vec<PathBuf> = std::fs::read_dir("tests/truth")
                    .map_err(|e| format!("tests/truth: {e} (run from the repository root or give --truth)"))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                    .collect();
                v.sort();
                v
            } else {
                a.truth.clone()
            };
            let truth = eval::load_truths(&truth_files)?;
            let external = a.findings.as_deref().map(eval::load_external).transpose()?;
            let scanner = Scanner::new(catalog(&opts)?, opts)?;
            let mut ev = eval::Evaluation::default();
            for dir in &a.samples {
                ev.merge(match &external {
                    Some(found) => eval::evaluate_external(dir, &truth, found),
                    None => eval::evaluate(&scanner, dir, &truth, min),
                });
            }
            let mut out = io::stdout().lock();
            let _ = writeln!(
                out,
                "sumi eval: {} (truth {}), findings at {} confidence or above\n",
                a.samples.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
                truth_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
                min
            );
            let _ = write!(out, "{}", ev.table());
            if a.by_format {
                let _ = writeln!(out);
                let _ = write!(out, "{}", ev.format_table());
            }
            if a.misses {
                let _ = writeln!(out);
                for m in &ev.misses {
                    let v = if a.common.reveal { &m.value } else { &m.masked };
                    let _ = writeln!(out, "{} {} {}:{} {}", m.kind, m.category, m.path, m.location, v);
                }
            }
            for e in &ev.errors {
                eprintln!("sumi: {e}");
            }
            Ok(false)
        }
    }
}

fn main() -> ExitCode {
    // A panic message can quote the text being processed; print only where it happened.
    std::panic::set_hook(Box::new(|info| {
        if let Some(loc) = info.location() {
            eprintln!(
                "sumi: internal error at {}:{} (details withheld: they may contain file content)",
                loc.file(),
                loc.line()
            );
        }
    }));
    match run() {
        Ok(false) => ExitCode::from(0),
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            eprintln!("sumi: {e}");
            ExitCode::from(2)
        }
    }
}
