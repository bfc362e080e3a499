//! Readers: a file in, text segments with origins out.
//!
//! Readers know formats; they know nothing about what is personal data. Text is decoded in
//! whatever Japanese encoding it is in and handed out in bounded chunks (with a little overlap
//! for context), so a 2 GB log never sits in memory; CSV/TSV fields become one segment each,
//! labelled with their column header.
//!
//! Documents (spreadsheets, Word/PowerPoint/ODF, JSON, HTML/XML) and archive members are read
//! from bytes in memory, through [`read_bytes`], so a member of a zip goes to the same reader
//! as the file on disk would. Everything read into memory is capped (document size, part size,
//! unpacked bytes per file, compression ratio, nesting depth): a hostile file costs a bounded
//! amount of memory and time and ends as a [`ReadError`] or a [`Problem`], never a panic.

pub mod archive;
pub mod csv;
pub mod encoding;
pub mod json;
pub mod limit;
pub mod mail;
pub mod markup;
pub mod office;
pub mod pdf;
pub mod sheet;
pub mod tarball;
pub mod xmltext;

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::path::Path;

use encoding_rs::{Decoder, Encoding};

use crate::media::{self, MediaKind};
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
    /// Read as a document or container (spreadsheet, Word, zip …). `problems` lists the parts
    /// or members that could not be inspected.
    Document {
        /// Format name (`xlsx`, `docx`, `zip` …).
        format: &'static str,
        /// Members or parts not inspected, and why.
        problems: Vec<Problem>,
    },
    /// Not read: a binary or unsupported format.
    Skipped(&'static str),
}

/// A member or part of a container that was not inspected. Reasons never quote content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The member's path inside the container, nested with `/`.
    pub member: String,
    /// Why it was not inspected.
    pub reason: String,
    /// A skip (a binary member such as an image) rather than an error.
    pub skipped: bool,
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
    /// Largest CSV/TSV, JSON or HTML/XML read as such; larger ones are read as plain text.
    pub max_table_size: u64,
    /// Largest spreadsheet or Office/ODF document on disk read into memory.
    pub max_document_size: u64,
    /// Largest archive member or package part unpacked into memory.
    pub max_part_size: u64,
    /// Most bytes unpacked from one file on disk, across all members and nesting levels.
    pub max_unpacked: u64,
    /// Largest compression ratio (unpacked / packed) of a member, checked past `ratio_grace`.
    pub max_ratio: u64,
    /// Bytes a member may unpack before the ratio is checked.
    pub ratio_grace: u64,
    /// Deepest nesting of archives (a zip in a zip is depth 2).
    pub max_depth: u32,
    /// Most members read from one archive.
    pub max_entries: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            chunk_size: 4 << 20,
            overlap: 4096,
            max_table_size: 256 << 20,
            max_document_size: 512 << 20,
            max_part_size: 256 << 20,
            max_unpacked: 1 << 30,
            max_ratio: 100,
            ratio_grace: 1 << 20,
            max_depth: 4,
            max_entries: 10_000,
        }
    }
}

/// State shared by the readers of one file on disk: limits, the header test, the unpacked-byte
/// budget left, the archive nesting depth, and the problems met so far.
pub struct Ctx<'a> {
    /// Limits.
    pub opts: &'a ReadOptions,
    /// Whether a table's first row (or one cell) reads as labels.
    pub is_header: &'a dyn Fn(&[&str]) -> bool,
    /// Bytes that may still be unpacked.
    pub budget: u64,
    /// Archive nesting depth of what is being read (0: the file on disk).
    pub depth: u32,
    /// Members or parts not inspected.
    pub problems: Vec<Problem>,
    /// The file's path on disk as reached (for the folder names around embedded media).
    pub path: String,
    /// Text of the document being read, for the media embedded in it (see
    /// [`crate::media::ContextText`]); empty elsewhere.
    pub context: String,
}

impl<'a> Ctx<'a> {
    /// A fresh context for one file on disk.
    pub fn new(opts: &'a ReadOptions, is_header: &'a dyn Fn(&[&str]) -> bool) -> Self {
        Ctx {
            opts,
            is_header,
            budget: opts.max_unpacked,
            depth: 0,
            problems: Vec::new(),
            path: String::new(),
            context: String::new(),
        }
    }

    /// Notes a part or member that could not be inspected.
    pub fn problem(&mut self, member: &str, reason: impl Into<String>) {
        self.problems.push(Problem { member: member.to_string(), reason: reason.into(), skipped: false });
    }
}

/// Which reader a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Text,
    /// Delimited text with this delimiter.
    Delimited(u8),
    /// A spreadsheet read with calamine.
    Sheet(sheet::SheetKind),
    /// A word-processing or presentation package.
    Office(office::OfficeKind),
    /// A zip archive.
    Zip,
    /// JSON, or JSON Lines.
    Json,
    /// HTML (`true`) or XML (`false`).
    Markup(bool),
    /// An e-mail (`.eml`, `message/rfc822`).
    Mail,
    /// A PDF document.
    Pdf,
    /// gzip (`.gz`, `.tgz`).
    Gzip,
    /// tar.
    Tar,
    /// An image or an audio recording (see [`crate::media`]).
    Media(MediaKind),
}

/// Picks the reader by extension.
pub fn kind_of(path: &Path) -> Kind {
    kind_of_name(&path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
}

/// Picks the reader by the extension of a file or member name.
pub fn kind_of_name(name: &str) -> Kind {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => Kind::Delimited(b','),
        Some("tsv") | Some("tab") => Kind::Delimited(b'\t'),
        Some("xlsx") | Some("xlsm") | Some("xltx") | Some("xltm") | Some("xlam") => Kind::Sheet(sheet::SheetKind::Xlsx),
        Some("xls") | Some("xla") => Kind::Sheet(sheet::SheetKind::Xls),
        Some("xlsb") => Kind::Sheet(sheet::SheetKind::Xlsb),
        Some("ods") => Kind::Sheet(sheet::SheetKind::Ods),
        Some("docx") | Some("docm") | Some("dotx") | Some("dotm") => Kind::Office(office::OfficeKind::Docx),
        Some("pptx") | Some("pptm") | Some("ppsx") | Some("potx") => Kind::Office(office::OfficeKind::Pptx),
        Some("odt") | Some("ott") => Kind::Office(office::OfficeKind::Odt),
        Some("odp") | Some("otp") => Kind::Office(office::OfficeKind::Odp),
        Some("zip") => Kind::Zip,
        Some("json") | Some("jsonl") | Some("ndjson") => Kind::Json,
        Some("html") | Some("htm") | Some("xhtml") => Kind::Markup(true),
        Some("xml") => Kind::Markup(false),
        Some("eml") => Kind::Mail,
        Some("pdf") => Kind::Pdf,
        Some("gz") | Some("tgz") => Kind::Gzip,
        Some("tar") => Kind::Tar,
        Some(e) => media::kind_of_ext(e).map_or(Kind::Text, Kind::Media),
        _ => Kind::Text,
    }
}

fn read_capped(file: &mut File, size: u64, cap: u64, what: &str) -> Result<Vec<u8>, ReadError> {
    if size > cap {
        return Err(ReadError::Invalid(format!("{what} larger than {} MiB, not inspected", cap >> 20)));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::Invalid(format!("{what} larger than {} MiB, not inspected", cap >> 20)));
    }
    Ok(bytes)
}

/// Fills in the problems gathered while reading a document.
fn finish(outcome: Outcome, ctx: &mut Ctx) -> Outcome {
    match outcome {
        Outcome::Document { format, mut problems } => {
            problems.append(&mut ctx.problems);
            Outcome::Document { format, problems }
        }
        other => other,
    }
}

/// Which reader a file or member held in memory goes to: by `name`, then by content (a zip
/// that is an Office package, a PDF, gzip, tar or e-mail under another name).
pub fn kind_of_bytes(name: &str, bytes: &[u8]) -> Result<Kind, ReadError> {
    let mut kind = kind_of_name(name);
    if kind == Kind::Text && bytes.starts_with(b"PK\x03\x04") {
        kind = archive::package_kind(&mut archive::open(Cursor::new(bytes))?);
    }
    if kind == Kind::Text && bytes.starts_with(b"%PDF-") {
        kind = Kind::Pdf;
    }
    if kind == Kind::Text && bytes.starts_with(b"\x1F\x8B") {
        kind = Kind::Gzip;
    }
    if (kind == Kind::Text || kind == Kind::Tar) && tarball::looks_like_tar(bytes) {
        kind = Kind::Tar;
    }
    if kind == Kind::Text && mail::looks_like_mail(bytes) {
        kind = Kind::Mail;
    }
    if kind == Kind::Text {
        if let Some(m) = media::kind_of_magic(bytes) {
            kind = Kind::Media(m);
        }
    }
    Ok(kind)
}

/// Reads a file or member held in memory: `name` (its file name or member path) picks the
/// reader, then its content (a zip that is an Office package goes to the Office reader).
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    let kind = kind_of_bytes(name, bytes)?;
    match kind {
        Kind::Media(m) => {
            media::read_member(m, name, bytes, ctx, emit);
            Ok(Outcome::Document {
                format: if m == MediaKind::Image { "image" } else { "audio" },
                problems: Vec::new(),
            })
        }
        Kind::Pdf => pdf::read(bytes, ctx, emit),
        Kind::Gzip | Kind::Tar if ctx.depth >= ctx.opts.max_depth => {
            Err(ReadError::Invalid(format!("archive nested deeper than {} levels, not inspected", ctx.opts.max_depth)))
        }
        Kind::Gzip => tarball::read_gzip(name, bytes, ctx, emit),
        Kind::Tar => tarball::read_tar(bytes, ctx, emit),
        Kind::Mail => mail::read(bytes, ctx, emit),
        Kind::Sheet(k) => sheet::read(k, bytes, ctx, emit),
        Kind::Office(k) => office::read(k, bytes, ctx, emit),
        Kind::Zip => {
            if ctx.depth >= ctx.opts.max_depth {
                return Err(ReadError::Invalid(format!(
                    "archive nested deeper than {} levels, not inspected",
                    ctx.opts.max_depth
                )));
            }
            archive::read_zip(Cursor::new(bytes), ctx, emit)
        }
        Kind::Json | Kind::Markup(_) | Kind::Delimited(_) | Kind::Text => {
            let det = match encoding::sniff(&bytes[..bytes.len().min(64 << 10)], bytes.len() <= 64 << 10) {
                Sniff::Binary(what) => return Ok(Outcome::Skipped(what)),
                Sniff::Text(d) => d,
            };
            let encoding = encoding::name(det.encoding);
            match kind {
                Kind::Delimited(delim) => {
                    let text = decode_all(&bytes[det.bom..], det.encoding);
                    let rows = csv::read_table(&text, delim, ctx.is_header, emit);
                    Ok(Outcome::Table { encoding, rows })
                }
                Kind::Json => {
                    let text = decode_all(&bytes[det.bom..], det.encoding);
                    if json::read(&text, emit) {
                        return Ok(Outcome::Document { format: "json", problems: Vec::new() });
                    }
                    // Not JSON after all: read it as text rather than not at all.
                    text_segment(text, emit);
                    Ok(Outcome::Text { encoding, certain: det.certain })
                }
                Kind::Markup(html) => {
                    let text = decode_all(&bytes[det.bom..], det.encoding);
                    markup::read(&text, html, ctx.is_header, emit);
                    Ok(Outcome::Document { format: if html { "html" } else { "xml" }, problems: Vec::new() })
                }
                _ => {
                    let cut = bytes.len().min(ctx.opts.chunk_size);
                    let complete = cut == bytes.len();
                    stream_text(
                        Cursor::new(&bytes[cut..]),
                        bytes[..cut].to_vec(),
                        complete,
                        det,
                        ctx.opts,
                        ctx.is_header,
                        emit,
                    )?;
                    Ok(Outcome::Text { encoding, certain: det.certain })
                }
            }
        }
    }
}

fn text_segment(text: String, emit: &mut dyn FnMut(&Segment)) {
    emit(&Segment::new(text, Origin::Text { byte: 0, line: 1, column: 1 }));
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
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut ctx = Ctx::new(opts, is_header);
    ctx.path = path.to_string_lossy().into_owned();
    let mut file = File::open(path)?;
    let mut kind = kind_of_name(&name);
    if kind == Kind::Text {
        // Images and recordings without a telling extension, by their first bytes.
        let mut magic = [0u8; 16];
        let n = read_full(&mut file, &mut magic)?;
        file.seek(io::SeekFrom::Start(0))?;
        if let Some(m) = media::kind_of_magic(&magic[..n]) {
            kind = Kind::Media(m);
        }
    }
    match kind {
        Kind::Media(m) => return read_media(m, path, &name, file, size, opts, emit),
        Kind::Zip => {
            let outcome = archive::read_zip(BufReader::new(file), &mut ctx, emit)?;
            return Ok(finish(outcome, &mut ctx));
        }
        Kind::Sheet(_) | Kind::Office(_) | Kind::Mail | Kind::Pdf | Kind::Gzip | Kind::Tar => {
            let bytes = read_capped(&mut file, size, opts.max_document_size, "document")?;
            let outcome = read_bytes(&name, &bytes, &mut ctx, emit)?;
            return Ok(finish(outcome, &mut ctx));
        }
        Kind::Json | Kind::Markup(_) if size <= opts.max_table_size => {
            let bytes = read_capped(&mut file, size, opts.max_table_size, "document")?;
            let outcome = read_bytes(&name, &bytes, &mut ctx, emit)?;
            return Ok(finish(outcome, &mut ctx));
        }
        _ => {}
    }
    let mut head = vec![0u8; opts.chunk_size.min(size as usize + 1).max(1)];
    let n = read_full(&mut file, &mut head)?;
    head.truncate(n);
    let complete = n < opts.chunk_size;
    let sample = &head[..head.len().min(64 << 10)];
    let det = match encoding::sniff(sample, complete && sample.len() == head.len()) {
        Sniff::Binary("zip") if head.starts_with(b"PK\x03\x04") => {
            // A zip under another name: an Office package or an archive, by its content.
            drop(head);
            let mut zip = archive::open(BufReader::new(File::open(path)?))?;
            let outcome = match archive::package_kind(&mut zip) {
                Kind::Zip => archive::read_archive(zip, &mut ctx, emit)?,
                inner => {
                    drop(zip);
                    file.seek(io::SeekFrom::Start(0))?;
                    let bytes = read_capped(&mut file, size, opts.max_document_size, "document")?;
                    match inner {
                        Kind::Sheet(k) => sheet::read(k, &bytes, &mut ctx, emit)?,
                        Kind::Office(k) => office::read(k, &bytes, &mut ctx, emit)?,
                        _ => archive::read_zip(Cursor::new(&bytes[..]), &mut ctx, emit)?,
                    }
                }
            };
            return Ok(finish(outcome, &mut ctx));
        }
        Sniff::Binary("pdf") => {
            // A PDF under another name.
            drop(head);
            file.seek(io::SeekFrom::Start(0))?;
            let bytes = read_capped(&mut file, size, opts.max_document_size, "document")?;
            let outcome = pdf::read(&bytes, &mut ctx, emit)?;
            return Ok(finish(outcome, &mut ctx));
        }
        Sniff::Binary(what) if what == "gzip" || tarball::looks_like_tar(&head) => {
            // A gzip or tar archive under another name.
            drop(head);
            file.seek(io::SeekFrom::Start(0))?;
            let bytes = read_capped(&mut file, size, opts.max_document_size, "document")?;
            let outcome = read_bytes(&name, &bytes, &mut ctx, emit)?;
            return Ok(finish(outcome, &mut ctx));
        }
        Sniff::Binary(what) => return Ok(Outcome::Skipped(what)),
        Sniff::Text(d) => d,
    };
    if kind == Kind::Text && size <= opts.max_document_size && mail::looks_like_mail(&head) {
        // An e-mail under another name (or none), recognised by its headers.
        let mut bytes = head;
        (&mut file).take(opts.max_document_size).read_to_end(&mut bytes)?;
        let outcome = mail::read(&bytes, &mut ctx, emit)?;
        return Ok(finish(outcome, &mut ctx));
    }
    if let Kind::Delimited(delim) = kind {
        if size <= opts.max_table_size {
            let mut bytes = head;
            file.read_to_end(&mut bytes)?;
            let text = decode_all(&bytes[det.bom..], det.encoding);
            let rows = csv::read_table(&text, delim, is_header, emit);
            return Ok(Outcome::Table { encoding: encoding::name(det.encoding), rows });
        }
    }
    stream_text(file, head, complete, det, opts, is_header, emit)?;
    Ok(Outcome::Text { encoding: encoding::name(det.encoding), certain: det.certain })
}

/// Reads an image or recording on disk: its head first (headers, EXIF), the rest only when
/// the media classifier asks for pixels.
fn read_media(
    kind: MediaKind,
    path: &Path,
    name: &str,
    mut file: File,
    size: u64,
    opts: &ReadOptions,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    const HEAD: usize = 128 << 10;
    let mut head = vec![0u8; HEAD.min(size as usize + 1).max(1)];
    let n = read_full(&mut file, &mut head)?;
    head.truncate(n);
    let names = path.to_string_lossy();
    let item = media::Item { name, names: &names, size: Some(size), ..media::Item::default() };
    let mut more = || {
        file.seek(io::SeekFrom::Start(0)).ok()?;
        read_capped(&mut file, size, opts.max_document_size, "media file").ok()
    };
    media::emit_hits(media::classify(kind, &head, &item, &mut more), emit);
    let format = if kind == MediaKind::Image { "image" } else { "audio" };
    Ok(Outcome::Document { format, problems: Vec::new() })
}

fn read_full<R: Read>(file: &mut R, buf: &mut [u8]) -> io::Result<usize> {
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
fn stream_text<R: Read>(
    mut file: R,
    head: Vec<u8>,
    complete: bool,
    det: Detected,
    opts: &ReadOptions,
    is_header: &dyn Fn(&[&str]) -> bool,
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
        if complete {
            // A file read whole: tables inside the text become labelled cells first.
            if let Some(rest) = csv::split_text_tables(&pending, is_header, emit) {
                pending = rest;
            }
        }
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

/// 1-based character columns of positions on a line, counted on from the last position asked
/// for on the same line (fields and values come in order), so one long line (a minified file)
/// costs linear time, not quadratic.
#[derive(Debug)]
pub(crate) struct Columns {
    at: usize,
    col: u64,
}

impl Default for Columns {
    fn default() -> Self {
        Columns { at: 0, col: 1 }
    }
}

impl Columns {
    /// The column of `pos` on the line that starts at `line_start`.
    pub(crate) fn of(&mut self, text: &str, pos: usize, line_start: usize) -> u64 {
        if self.at < line_start || self.at > pos {
            *self = Columns { at: line_start, col: 1 };
        }
        self.col += text[self.at..pos].chars().count() as u64;
        self.at = pos;
        self.col
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
