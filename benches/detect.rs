//! In-process throughput of each detection stage, single thread, on the benchmark corpus
//! (`benches/gen_corpus.py`, generated into target/bench-corpus when missing).
//!
//! `cargo bench --bench detect` prints MB/s (best and median of N runs) for: normalisation,
//! the label automaton, the catalog with the name and address passes left out, with each of
//! them, and the whole catalog (normalise + labels + patterns + validators + scoring).
//! End-to-end figures against ripgrep come from `benches/run.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sumi::detect::Catalog;
use sumi::normalize::Normalized;

fn corpus() -> Vec<String> {
    let dir = PathBuf::from(std::env::var("SUMI_BENCH_CORPUS").unwrap_or_else(|_| "target/bench-corpus".into()));
    if !dir.exists() {
        let ok = Command::new("python3")
            .args(["benches/gen_corpus.py", dir.to_str().unwrap_or("target/bench-corpus"), "-q"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "could not generate the corpus (python3 benches/gen_corpus.py)");
    }
    let mut files: Vec<PathBuf> = walk(&dir);
    files.sort();
    let mb: usize = std::env::var("SUMI_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let mut out = Vec::new();
    let mut total = 0;
    for f in files {
        let bytes = std::fs::read(&f).expect("read corpus file");
        // The bench measures detection on decoded text; CP932 files are decoded once here.
        let text = match std::str::from_utf8(&bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned(),
        };
        total += text.len();
        out.push(text);
        if total >= mb << 20 {
            break;
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).expect("corpus dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

fn measure(name: &str, texts: &[String], runs: usize, mut f: impl FnMut(&str) -> usize) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut rates = Vec::new();
    let mut count = 0;
    for _ in 0..runs {
        let t = Instant::now();
        count = texts.iter().map(|s| f(s)).sum::<usize>();
        rates.push(bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{name:<28} best {:>7.1} MB/s   median {:>7.1} MB/s   ({count} items, {:.1} MB)",
        rates[rates.len() - 1],
        rates[rates.len() / 2],
        bytes as f64 / 1e6
    );
}

fn main() {
    let texts = corpus();
    let catalog = Catalog::builtin().expect("rules");
    let runs = 5;
    measure("normalise", &texts, runs, |s| Normalized::new(s).text.len());
    measure("labels (automaton)", &texts, runs, |s| catalog.label_hit_count(s));
    // What each costly pass adds: the same catalog with passes left out (`Catalog::only`).
    let numbers = "credit_card,phone,fax,email,ip_address,postal_code,date_of_birth,age,gender,my_number,\
                   drivers_license,passport,residence_card,health_insurance,pension_number,bank_account,\
                   us_ssn,account_id,credential";
    for (name, extra) in
        [("numbers only", ""), ("numbers + addresses", ",address"), ("numbers + names/titles", ",person_name")]
    {
        let set = format!("{numbers}{extra}").split(',').map(str::to_string).collect();
        let c = Catalog::builtin().expect("rules").only(Some(&set));
        measure(&format!("detect, {name}"), &texts, runs, |s| c.detect(s, None).len());
    }
    measure("catalog.detect (all rules)", &texts, runs, |s| catalog.detect(s, None).len());
}
