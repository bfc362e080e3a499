// Shared by the targets: a reader context with small limits so that a run explores limits too.
#![allow(dead_code)]

use sumi::read::{read_bytes, Ctx, ReadOptions};
use sumi::segment::Segment;

/// Limits small enough for fuzzing: a 4 KiB text chunk (so streaming decode crosses chunk
/// borders), 8 MiB per part and per file unpacked.
pub fn opts() -> ReadOptions {
    ReadOptions {
        chunk_size: 4096,
        overlap: 256,
        max_part_size: 8 << 20,
        max_unpacked: 8 << 20,
        max_document_size: 8 << 20,
        max_table_size: 8 << 20,
        ..ReadOptions::default()
    }
}

/// Header test: a cell is a label when it reads like one of a few common labels.
pub fn is_header(cells: &[&str]) -> bool {
    cells.iter().any(|c| matches!(*c, "電話番号" | "氏名" | "Phone" | "TEL" | "Name"))
}

/// Checks what every segment must satisfy.
pub fn check(seg: &Segment) {
    assert!(seg.owned_from <= seg.text.len() && seg.owned_to <= seg.text.len());
    assert!(seg.text.is_char_boundary(seg.owned_from) && seg.text.is_char_boundary(seg.owned_to));
}

/// Reads `bytes` as a file named `name`; any outcome but a panic or a hang is fine.
pub fn read(name: &str, bytes: &[u8]) {
    let opts = opts();
    let mut ctx = Ctx::new(&opts, &is_header);
    let _ = read_bytes(name, bytes, &mut ctx, &mut |seg| check(seg));
}
