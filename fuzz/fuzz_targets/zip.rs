//! Zip archives and Office packages: member handling, limits, nested readers.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read("a.zip", data);
    // The same bytes under no name: sniffed as an Office package or an archive.
    common::read("noname", data);
});
