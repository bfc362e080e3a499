//! Encoding sniffing and the streaming decode of text in chunks.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = sumi::read::encoding::sniff(data, true);
    let _ = sumi::read::encoding::sniff(&data[..data.len() / 2], false);
    common::read("notes.txt", data);
});
