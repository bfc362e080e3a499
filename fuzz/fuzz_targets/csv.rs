//! CSV/TSV parsing and splitting of tables inside text.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let delim = [b',', b'\t', b';', b'|'][(sel & 3) as usize];
    for rec in sumi::read::csv::parse(&text, delim) {
        for f in rec {
            assert!(f.start <= f.end && f.end <= text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
    }
    sumi::read::csv::read_table(&text, delim, &common::is_header, &mut |s| common::check(s));
    if let Some(rest) = sumi::read::csv::split_text_tables(&text, &common::is_header, &mut |s| common::check(s)) {
        assert!(rest.len() <= text.len() + 16);
    }
});
