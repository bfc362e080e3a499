//! Every rule in patterns/ carries examples that must be found and counter-examples that must
//! not; this runs them all through the whole catalog (so overlaps and look-alike suppression
//! are part of the check).

use std::collections::HashSet;

use sumi::detect::rule::{BUILTIN, CATEGORIES};
use sumi::detect::Catalog;

#[test]
fn every_pattern_file_is_embedded() {
    let embedded: HashSet<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    for entry in std::fs::read_dir("patterns").unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".toml") {
            assert!(embedded.contains(name.as_str()), "patterns/{name} is not listed in rule::BUILTIN");
        }
    }
}

#[test]
fn rules_compile_and_name_known_categories() {
    let catalog = Catalog::builtin().expect("rules compile");
    for r in catalog.rules() {
        assert!(CATEGORIES.contains(&r.category), "{}", r.syntax.id);
        assert!(!r.syntax.description.is_empty(), "{} has no description", r.syntax.id);
    }
}

#[test]
fn examples_and_counter_examples() {
    let catalog = Catalog::builtin().unwrap();
    let mut failures = Vec::new();
    for r in catalog.rules() {
        let id = r.syntax.id.as_str();
        if r.syntax.report {
            if r.syntax.examples.is_empty() {
                failures.push(format!("{id}: no examples"));
            }
            for ex in &r.syntax.examples {
                let found = catalog.detect(ex, None);
                if !found.iter().any(|m| m.detector == id) {
                    failures.push(format!(
                        "{id}: example not found: {ex:?} (got {:?})",
                        found.iter().map(|m| m.detector).collect::<Vec<_>>()
                    ));
                }
            }
            for ex in &r.syntax.counter_examples {
                let found = catalog.detect(ex, None);
                if let Some(m) = found.iter().find(|m| m.detector == id) {
                    failures.push(format!("{id}: counter-example reported: {ex:?} as {:?}", &ex[m.start..m.end]));
                }
            }
        } else {
            // A rule that is never reported recognises look-alikes: the whole catalog stays silent.
            for ex in &r.syntax.examples {
                let found = catalog.detect(ex, None);
                if !found.is_empty() {
                    failures.push(format!(
                        "{id}: look-alike reported: {ex:?} by {:?}",
                        found.iter().map(|m| m.detector).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn column_headers_label_cells() {
    let catalog = Catalog::builtin().unwrap();
    let cases = [
        ("性別", "女性", "gender"),
        ("年齢", "45", "age"),
        ("生年月日", "1980/04/01", "date_of_birth"),
        ("FAX", "03-1234-5679", "fax"),
        ("電話番号", "03-1234-5678", "phone"),
        ("口座番号", "1234567", "bank_account"),
        ("マイナンバー", "621498320257", "my_number"),
        ("Gender", "F", "gender"),
        ("郵便番号", "1080075", "postal_code"),
        ("パスワード", "hunter2", "credential"),
    ];
    for (header, value, category) in cases {
        let found = catalog.detect(value, Some(header));
        assert!(
            found.iter().any(|m| m.category == category && m.start == 0 && m.end == value.len()),
            "{header}: {value} → {:?}",
            found.iter().map(|m| (m.category, m.start, m.end)).collect::<Vec<_>>()
        );
    }
    // The same values without a header are not reported (or only at low confidence).
    for (value, category) in [("45", "age"), ("女性", "gender"), ("1234567", "bank_account")] {
        assert!(!catalog.detect(value, None).iter().any(|m| m.category == category), "{value}");
    }
}

#[test]
fn confidence_follows_labels() {
    use sumi::detect::Confidence;
    let catalog = Catalog::builtin().unwrap();
    let bare = catalog.detect("621498320257", None);
    assert_eq!(bare.len(), 1);
    assert_eq!(bare[0].confidence, Confidence::Low, "a checksum alone stays low");
    let labelled = catalog.detect("個人番号：621498320257", None);
    assert_eq!(labelled[0].confidence, Confidence::High);
    assert!(labelled[0].reasons.contains(&"label:個人番号"));
    assert!(labelled[0].reasons.contains(&"checksum:my_number"));
}

#[test]
fn full_width_values_map_back_to_original_text() {
    let catalog = Catalog::builtin().unwrap();
    let text = "電話：０３－１２３４－５６７８、カード３５３０－１１１３－３３３０－００００";
    let found = catalog.detect(text, None);
    let values: Vec<&str> = found.iter().map(|m| &text[m.start..m.end]).collect();
    assert!(values.contains(&"０３－１２３４－５６７８"), "{values:?}");
    assert!(values.contains(&"３５３０－１１１３－３３３０－００００"), "{values:?}");
}
