//! Readers: a file in, text segments with origins out.
//!
//! Readers know formats; they know nothing about what is personal data. Text is decoded in
//! whatever Japanese encoding it is in and handed out in bounded chunks (with a little overlap
//! for context), so a 2 GB log never sits in memory; CSV/TSV fields become one segment each,
//! labelled with their column header.

pub mod csv;
pub mod encoding;

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use encoding_rs::{Decoder, Encoding};

use crate::segment::{Origin, Segment};
use encoding::{Detected, Sniff};

/// How a file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Read as text in this encoding.
    Text {
        /// Encoding name.
        encoding: &'static str,
        /// Whether the encoding decoded cleanly.
        certain: bool,
    },
    /// Read as a table.
    Table {
        /// Encoding name.
        encoding: &'static str,
        /// Records read.
        rows: u64,
    },
    /// Not read: a binary or unsupported format.
    Skipped(&'static str),
}

/// Why a file could not be read. Messages never contain file content.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (permissions, vanished, I/O error).
    Io(io::Error),
    /// The reader gave up on the content.
    Invalid(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{}", io_reason(e)),
            ReadError::Invalid(m) => f.write_str(m),
        }
    }
}

/// An I/O error in words that never quote the file.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "file vanished or not found".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // OS error strings do not carry content; keep them short anyway.
            s.chars().take(120).collect()
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Limits and knobs for readers.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Bytes read (and decoded) per chunk of a large text file.
    pub chunk_size: usize,
    /// Bytes of the previous chunk kept in front of the next one for context.
    pub overlap: usize,
    /// Largest CSV/TSV read as a table; larger ones are read as plain text.
    pub max_table_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { chunk_size: 4 << 20, overlap: 4096, max_table_size: 256 << 20 }
    }
}

/// Which reader a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Text,
    /// Delimited text with this delimiter.
    Delimited(u8),
}

/// Picks the reader by extension.
pub fn kind_of(path: &Path) -> Kind {
    let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => Kind::Delimited(b','),
        Some("tsv") | Some("tab") => Kind::Delimited(b'\t'),
        _ => Kind::Text,
    }
}

/// Reads `path` and hands each segment to `emit`. `is_header` decides whether a table's first
/// row is a header (the catalog knows which words are labels).
pub fn read_file(
    path: &Path,
    size: u64,
    opts: &ReadOptions,
    is_header: &dyn Fn(&[&str]) -> bool,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    let mut file = File::open(path)?;
    let mut head = vec![0u8; opts.chunk_size.min(size as usize + 1).max(1)];
    let n = read_full(&mut file, &mut head)?;
    head.truncate(n);
    let complete = n < opts.chunk_size;
    let sample = &head[..head.len().min(64 << 10)];
    let det = match encoding::sniff(sample, complete && sample.len() == head.len()) {
        Sniff::Binary(what) => return Ok(Outcome::Skipped(what)),
        Sniff::Text(d) => d,
    };
    let kind = kind_of(path);
    if let Kind::Delimited(delim) = kind {
        if size <= opts.max_table_size {
            let mut bytes = head;
            file.read_to_end(&mut bytes)?;
            let text = decode_all(&bytes[det.bom..], det.encoding);
            let rows = csv::read_table(&text, delim, is_header, emit);
            return Ok(Outcome::Table { encoding: encoding::name(det.encoding), rows });
        }
    }
    stream_text(file, head, complete, det, opts, emit)?;
    Ok(Outcome::Text { encoding: encoding::name(det.encoding), certain: det.certain })
}

fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Decodes a whole buffer (malformed sequences become U+FFFD).
pub fn decode_all(bytes: &[u8], enc: &'static Encoding) -> String {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// Decodes a text file chunk by chunk. Each segment owns the lines that end in it; the tail of
/// the previous chunk rides along in front as context only.
fn stream_text(
    mut file: File,
    head: Vec<u8>,
    complete: bool,
    det: Detected,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(&Segment),
) -> Result<(), ReadError> {
    let mut decoder: Decoder = det.encoding.new_decoder_without_bom_handling();
    let mut raw = head;
    let mut skip = det.bom;
    let mut eof = complete;
    // Decoded text not yet owned by any segment, preceded by `ctx` bytes of context.
    let mut pending = String::new();
    let mut ctx = 0usize;
    // Position of `pending[0]` in the decoded stream.
    let mut byte: u64 = 0;
    let mut line: u64 = 1;
    let utf8 = det.encoding == encoding_rs::UTF_8;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let src = &raw[skip..];
        if utf8 {
            push_utf8(src, &mut carry, &mut pending, eof);
        } else {
            pending.reserve(decoder.max_utf8_buffer_length(src.len()).unwrap_or(src.len() * 3));
            let (_, _, _) = decoder.decode_to_string(src, &mut pending, eof);
        }
        skip = 0;
        let owned_to = if eof {
            pending.len()
        } else {
            match pending[ctx..].rfind('\n') {
                Some(i) => ctx + i + 1,
                None => floor_char(&pending, pending.len().saturating_sub(1024).max(ctx)),
            }
        };
        if owned_to > ctx || eof {
            let origin = Origin::Text { byte, line, column: 1 };
            let mut seg = Segment::new(std::mem::take(&mut pending), origin);
            seg.owned_from = ctx;
            seg.owned_to = owned_to;
            emit(&seg);
            pending = seg.text;
        }
        if eof {
            return Ok(());
        }
        // Keep up to `overlap` bytes before `owned_to` as the next segment's context,
        // starting at a line start when there is one.
        let mut keep_from = floor_char(&pending, owned_to.saturating_sub(opts.overlap));
        if let Some(i) = pending[keep_from..owned_to].find('\n') {
            if keep_from + i + 1 < owned_to {
                keep_from += i + 1;
            }
        }
        let dropped = &pending[..keep_from];
        let nl = memchr::memchr_iter(b'\n', dropped.as_bytes()).count() as u64;
        line += nl;
        byte += keep_from as u64;
        pending.drain(..keep_from);
        ctx = owned_to - keep_from;
        raw.resize(opts.chunk_size, 0);
        let n = read_full(&mut file, &mut raw)?;
        raw.truncate(n);
        eof = n == 0;
    }
}

/// Appends UTF-8 bytes to `out`, validating with SIMD; an incomplete character at the end of a
/// chunk waits in `carry` for the next one; invalid bytes become U+FFFD.
fn push_utf8(src: &[u8], carry: &mut Vec<u8>, out: &mut String, eof: bool) {
    let joined;
    let buf: &[u8] = if carry.is_empty() {
        src
    } else {
        carry.extend_from_slice(src);
        joined = std::mem::take(carry);
        &joined
    };
    let mut cut = buf.len();
    if !eof {
        // Back up over a character cut by the chunk border (at most 3 bytes).
        let mut i = buf.len();
        while i > 0 && buf.len() - i < 4 && (buf[i - 1] & 0xC0) == 0x80 {
            i -= 1;
        }
        if i > 0 && buf[i - 1] >= 0xC0 {
            let need = match buf[i - 1] {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            if buf.len() - (i - 1) < need {
                cut = i - 1;
            }
        }
    }
    match simdutf8::basic::from_utf8(&buf[..cut]) {
        Ok(s) => out.push_str(s),
        Err(_) => out.push_str(&String::from_utf8_lossy(&buf[..cut])),
    }
    *carry = buf[cut..].to_vec();
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
