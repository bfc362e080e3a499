//! Images and recordings: the hand-written audio header parsers, EXIF/XMP/header inspection and
//! (for small inputs) pixel statistics, through the reader dispatch and directly.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

use sumi::media::{classify, Item, MediaKind};

const NAMES: &[&str] =
    &["印影.png", "scan.jpg", "x.gif", "x.webp", "x.tif", "x.heic", "通話.wav", "x.mp3", "x.flac", "x.ogg", "x.m4a", "x.amr", "x.wma"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    common::read(name, rest);
    for kind in [MediaKind::Image, MediaKind::Audio] {
        let item = Item { name, names: name, context: "押印 署名欄 本人確認書類", size: Some(rest.len() as u64 * 2), ..Item::default() };
        let _ = classify(kind, rest, &item, &mut || Some(rest.to_vec()));
    }
});
