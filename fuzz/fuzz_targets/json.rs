//! JSON / JSON Lines labelled by key.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = sumi::read::json::read(&text, &mut |s| common::check(s));
});
