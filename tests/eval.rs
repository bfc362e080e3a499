//! Accuracy on samples/: precision and recall per category may not fall below the levels
//! reached when this test was written (see the README's table). Look-alike documents in
//! samples/traps/ stay silent at medium confidence and above.

use std::path::Path;

mod common;

use common::scanner;
use sumi::detect::Confidence;
use sumi::eval::{evaluate, load_truths};

/// (category, minimum precision, minimum recall), at the levels reached over all of samples/.
const FLOOR: &[(&str, f64, f64)] = &[
    ("account_id", 0.98, 0.99),
    ("address", 0.99, 0.95),
    ("age", 0.99, 0.98),
    ("bank_account", 0.99, 0.99),
    ("credential", 0.98, 0.98),
    ("credit_card", 0.99, 0.99),
    ("date_of_birth", 0.99, 0.99),
    ("drivers_license", 0.99, 0.99),
    ("email", 0.99, 0.99),
    ("employer", 0.99, 0.97),
    ("fax", 0.99, 0.99),
    ("gender", 0.99, 0.99),
    ("geolocation", 0.99, 0.99),
    ("health_insurance", 0.99, 0.98),
    ("id_document", 0.99, 0.99),
    ("ip_address", 0.99, 0.99),
    ("job_title", 0.99, 0.98),
    ("my_number", 0.99, 0.99),
    ("name_reading", 0.99, 0.99),
    ("occupation", 0.99, 0.99),
    ("passport", 0.99, 0.99),
    ("pension_number", 0.99, 0.99),
    ("person_name", 0.99, 0.91),
    ("phone", 0.99, 0.99),
    ("postal_code", 0.99, 0.99),
    ("residence_card", 0.99, 0.99),
    ("seal", 0.99, 0.99),
    ("signature", 0.99, 0.99),
    ("us_ssn", 0.99, 0.98),
    ("voice_recording", 0.99, 0.99),
];

/// (format, minimum precision, minimum recall) over all categories on samples/formats/, the
/// development corpus written as documents (tests/fixtures/gen_format_samples.py).
const FORMAT_FLOOR: &[(&str, f64, f64)] = &[
    ("docx", 0.99, 0.99),
    ("eml", 0.99, 0.99),
    ("html", 0.99, 0.99),
    ("json", 0.99, 0.99),
    ("odp", 0.99, 0.99),
    ("ods", 0.99, 0.99),
    ("odt", 0.99, 0.99),
    ("pdf", 0.99, 0.99),
    ("pptx", 0.99, 0.99),
    ("xls", 0.99, 0.99),
    ("xlsx", 0.99, 0.99),
    ("zip", 0.99, 0.99),
];

#[test]
fn samples_meet_the_accuracy_floor() {
    // Every truth file: the development corpus and the held-out ones.
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir("tests/truth")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let truth = load_truths(&files).unwrap();
    let ev = evaluate(&scanner(), Path::new("samples"), &truth, Confidence::Medium);
    assert!(ev.errors.is_empty(), "{:?}", ev.errors);
    println!("{}", ev.table());
    let mut below = Vec::new();
    for (cat, p, r) in FLOOR {
        let c = ev.categories.get(*cat).copied().unwrap_or_default();
        assert!(c.tp + c.fn_ >= 4, "{cat}: fewer than 4 truth items");
        if c.precision() < *p || c.recall() < *r {
            below.push(format!("{cat}: precision {:.3} recall {:.3}", c.precision(), c.recall()));
        }
    }
    // Categories with findings but no floor are false positives by definition.
    for (cat, c) in &ev.categories {
        if !FLOOR.iter().any(|(f, _, _)| f == cat) && c.fp > 0 {
            below.push(format!("{cat}: {} unexpected findings", c.fp));
        }
    }
    assert!(below.is_empty(), "{}\n{}", below.join("\n"), ev.table());
}

#[test]
fn every_format_meets_its_floor() {
    // The scopes say which categories the corpus labels (it predates person names).
    let files = ["tests/truth/formats.jsonl", "tests/truth/scopes.jsonl"].map(std::path::PathBuf::from);
    let truth = load_truths(&files).unwrap();
    let ev = evaluate(&scanner(), Path::new("samples/formats"), &truth, Confidence::Medium);
    assert!(ev.errors.is_empty(), "{:?}", ev.errors);
    let totals = ev.format_totals();
    let mut below = Vec::new();
    for (fmt, p, r) in FORMAT_FLOOR {
        let c = totals.get(*fmt).copied().unwrap_or_default();
        // Presentations hold the text documents only (the lists go to spreadsheets).
        assert!(c.tp + c.fn_ >= 150, "{fmt}: fewer than 150 truth items");
        if c.precision() < *p || c.recall() < *r {
            below.push(format!("{fmt}: precision {:.3} recall {:.3}", c.precision(), c.recall()));
        }
    }
    assert_eq!(totals.len(), FORMAT_FLOOR.len(), "a format without a floor: {:?}", totals.keys());
    assert!(below.is_empty(), "{}\n{}", below.join("\n"), ev.format_table());
}

#[test]
fn traps_stay_silent() {
    let s = scanner();
    let mut noisy = Vec::new();
    for entry in std::fs::read_dir("samples/traps").unwrap() {
        let path = entry.unwrap().path();
        for f in s.scan_collect(&path).unwrap() {
            if f.confidence >= Confidence::Medium {
                noisy.push(format!("{}:{} {} {}", path.display(), f.location.short(), f.category, f.masked));
            }
        }
    }
    assert!(noisy.is_empty(), "{}", noisy.join("\n"));
}
