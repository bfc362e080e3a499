//! The PDF reader (lopdf + the content-stream interpreter) on mutated PDFs.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read("d.pdf", data);
});
