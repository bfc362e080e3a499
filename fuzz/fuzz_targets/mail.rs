//! E-mail: RFC 2047 header decoding and the whole mail reader.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = sumi::read::mail::decode_header(data);
    let _ = sumi::read::mail::looks_like_mail(data);
    common::read("m.eml", data);
});
