//! The XML text extractor (Office/ODF parts) and the HTML/XML reader.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sumi::read::xmltext::{self, Dialect};
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = xmltext::paragraphs(data, Dialect::Ooxml, &mut |_| {});
    let _ = xmltext::paragraphs(data, Dialect::Odf, &mut |_| {});
    let _ = xmltext::properties(data, &["dc:creator", "cp:lastModifiedBy", "dc:title"]);
    let _ = xmltext::elements(data, b"sheet");
    let text = String::from_utf8_lossy(data);
    sumi::read::markup::read(&text, true, &common::is_header, &mut |s| common::check(s));
    sumi::read::markup::read(&text, false, &common::is_header, &mut |s| common::check(s));
});
