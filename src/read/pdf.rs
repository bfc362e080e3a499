//! PDF: text per page from an own content-stream interpreter on lopdf, plus annotations, form
//! field values, outlines, the document Info dictionary and XMP metadata.
//!
//! lopdf's `extract_text` misses Form XObjects and gets Japanese CID fonts wrong, so pages are
//! interpreted here: the graphics state (`q`/`Q`, `cm`), the text state (`Tf`, `Tc`, `Tw`,
//! `Tz`, `TL`, `Ts`), text positioning (`BT`, `Td`, `TD`, `Tm`, `T*`) and text showing (`Tj`,
//! `TJ`, `'`, `"`), and `Do` into Form XObjects (nested up to [`MAX_FORM_DEPTH`] levels, cycles
//! refused). Each glyph gets Unicode in the order of ISO 32000-1 §9.10.2: the font's ToUnicode
//! CMap (split into codes by its codespace ranges), else — for Type0 fonts with a predefined
//! CMap (`90ms-RKSJ-H`, `UniJIS-UCS2-H`, `EUC-H`, `Identity-H` …) and an Adobe-Japan1/GB1/CNS1/
//! Korea1 collection — code → CID → Unicode through the Adobe CMaps embedded in `hayro-cmap`,
//! else the simple font's encoding (WinAnsi, MacRoman, Standard, `/Differences`).
//!
//! Text becomes one segment per page at `{"page": N}`, lines in content-stream order: a line
//! break where the baseline moves, a space where text is moved right by more than a quarter em
//! (or a `TJ` gap says so). The page position of every glyph is kept ([`PageText::glyphs`]) for
//! redaction later. A page without text but under a page-sized image is reported as needing
//! OCR, glyphs without a Unicode mapping as not inspected: neither is ever called clean.
//!
//! Hostile files: every stream is decoded under a size limit and counted against the file's
//! unpacked-byte budget, Form XObjects are depth- and cycle-limited, the operations
//! interpreted per page are capped, and a panic inside lopdf becomes a read error.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use hayro_cmap::{BfString, CMap, CMapName, CidFamily};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::{csv, Ctx, Outcome, ReadError};
use crate::segment::{Location, Origin, Segment};

/// Deepest nesting of Form XObjects followed.
pub const MAX_FORM_DEPTH: usize = 8;
/// Most content-stream operations interpreted for one page (forms included).
const MAX_OPS_PER_PAGE: usize = 2_000_000;
/// Largest single stream decoded (content, form, CMap, XMP).
const MAX_STREAM: usize = 64 << 20;
/// Largest page text kept (bytes of UTF-8).
const MAX_PAGE_TEXT: usize = 16 << 20;
/// An image covering at least this share of the page makes a text-less page a scan.
const SCAN_COVER: f64 = 0.5;

/// A glyph's place on its page, in default user space (points, origin bottom left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphBox {
    /// Byte offset of the glyph's text in [`PageText::text`].
    pub byte: u32,
    /// Byte length of the glyph's text (0 for a glyph without Unicode).
    pub len: u16,
    /// Origin of the glyph.
    pub x: f32,
    /// Baseline of the glyph.
    pub y: f32,
    /// Advance (horizontal text) in user space units; estimated when the font has no widths.
    pub width: f32,
    /// Font size in user space units.
    pub size: f32,
    /// Where the glyph's code sits in the content streams (for redaction).
    pub src: GlyphSrc,
}

/// Where a glyph's character code sits: which content stream, which text-showing operation,
/// which string of a `TJ` array, which bytes of that string, and the `TJ` adjustment that
/// moves the text position as far as the glyph did (so the glyphs after it stay in place when
/// it is removed; NaN when it cannot be computed).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GlyphSrc {
    /// 0: the page's content (all its streams, concatenated); k: `PageText::forms[k - 1]`.
    pub stream: u16,
    /// Index of the operation in the stream (as `Content::decode` counts them).
    pub op: u32,
    /// Index of the string in a `TJ` array (0 for `Tj`, `'` and `"`).
    pub item: u16,
    /// Byte offset of the code in the string.
    pub at: u32,
    /// Byte length of the code.
    pub len: u8,
    /// The `TJ` number that replaces the glyph's advance.
    pub adj: f32,
    /// Vertical writing (the advance is down the page).
    pub vertical: bool,
}

/// The text of one page.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    /// 1-based page number.
    pub page: u32,
    /// Text in content-stream order, lines separated by `\n`.
    pub text: String,
    /// One box per glyph shown.
    pub glyphs: Vec<GlyphBox>,
    /// Glyphs shown whose Unicode could not be determined.
    pub undecodable: usize,
    /// The largest share of the page an image covers.
    pub image_cover: f64,
    /// Why parts of the page were not inspected.
    pub problems: Vec<String>,
    /// The Form XObjects whose text was read, in the order [`GlyphSrc::stream`] numbers them.
    pub forms: Vec<ObjectId>,
}

/// Reads a PDF held in memory.
pub fn read(bytes: &[u8], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) -> Result<Outcome, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes, ctx, emit))) {
        Ok(r) => r,
        Err(p) => {
            super::limit::rethrow(p);
            Err(ReadError::Invalid("pdf: the parser failed on a malformed file".into()))
        }
    }
}

fn load_reason(e: &lopdf::Error) -> &'static str {
    use lopdf::Error as E;
    match e {
        E::Decompress(_) => "a stream inflates past the size limit",
        E::Decryption(_) | E::InvalidPassword | E::UnsupportedSecurityHandler(_) => {
            "encrypted with a password, not inspected"
        }
        E::RecursionLimit | E::ReferenceLimit | E::ReferenceCycle(_) => "objects nested too deep or in a cycle",
        _ => "corrupt or truncated file",
    }
}

fn read_inner(bytes: &[u8], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) -> Result<Outcome, ReadError> {
    let limit = (ctx.opts.max_part_size.min(ctx.budget) as usize).max(1 << 20);
    let options = LoadOptions { max_decompressed_size: Some(limit), ..LoadOptions::default() };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| ReadError::Invalid(format!("pdf: {}", load_reason(&e))))?;
    if doc.is_encrypted() {
        return Err(ReadError::Invalid("pdf: encrypted with a password, not inspected".into()));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ReadError::Invalid("pdf: no pages found (corrupt or truncated file)".into()));
    }
    let mut problems = Vec::new();
    let mut fonts = FontCache::default();
    let mut seen_annots = HashSet::new();
    let scanner = producer_is_scanner(&doc);
    for (&n, &id) in &pages {
        let cap = (ctx.opts.max_part_size as usize).min(MAX_STREAM);
        let mut page = extract_page(&doc, n, id, &mut fonts, &mut ctx.budget, cap);
        let loc = Origin::Fixed(Location::Page { page: n as u64 });
        if !page.text.trim().is_empty() {
            // Tables on the page (columns set apart by tabs): cells labelled by their header
            // row, as in a CSV; the rest of the page is scanned as one text.
            let mut on_page = |seg: &Segment| {
                let mut seg = seg.clone();
                seg.origin = loc.clone();
                emit(&seg);
            };
            let rest = csv::split_text_tables(&page.text, ctx.is_header, &mut on_page);
            emit(&Segment::new(rest.unwrap_or_else(|| page.text.clone()), loc.clone()));
        }
        let member = format!("page {n}");
        if page.glyphs.is_empty() && page.image_cover >= SCAN_COVER {
            problems.push(problem(&member, "no text, only an image: needs OCR (not inspected)"));
        }
        if page.undecodable > 0 {
            let k = page.undecodable;
            problems.push(problem(&member, format!("{k} glyphs in fonts without a Unicode mapping (not inspected)")));
        }
        for p in std::mem::take(&mut page.problems) {
            problems.push(problem(&member, p));
        }
        for text in annotation_texts(&doc, id, &mut seen_annots) {
            emit(&Segment::new(text, loc.clone()));
        }
        page_images(&doc, n, id, &page, scanner, ctx, emit);
    }
    for (field, text) in metadata(&doc, &seen_annots) {
        emit(&Segment::new(text, Origin::Fixed(Location::Metadata { metadata: field })));
    }
    Ok(Outcome::Document { format: "pdf", problems })
}

/// Whether the document's Info names a scanner or multifunction printer as its producer.
fn producer_is_scanner(doc: &Document) -> bool {
    let Some(info) = doc.trailer.get(b"Info").ok().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok()) else {
        return false;
    };
    [b"Producer".as_slice(), b"Creator".as_slice()]
        .iter()
        .filter_map(|k| info.get(k).ok().and_then(|o| string_value(doc, o)))
        .any(|s| crate::media::image::is_scanner(&s))
}

/// The page's MediaBox width and height in points (inherited from the page tree if need be).
fn page_size(doc: &Document, page: ObjectId) -> Option<(f64, f64)> {
    let mut d = doc.get_dictionary(page).ok()?;
    for _ in 0..16 {
        if let Some(Object::Array(b)) = get(doc, d, b"MediaBox") {
            let v: Vec<f64> = b.iter().filter_map(|o| num(deref(doc, o))).collect();
            if v.len() == 4 {
                return Some(((v[2] - v[0]).abs(), (v[3] - v[1]).abs()));
            }
        }
        d = get_dict(doc, d, b"Parent")?;
    }
    None
}

/// Largest side of an image XObject re-encoded for the media classifier when it is not a JPEG
/// (the size of seal and signature candidates; larger ones are judged by their dimensions).
const MAX_RAW_IMAGE_SIDE: u64 = 1200;

/// Hands the image XObjects of a page to the media classifier, with the page's text as context:
/// JPEG (DCTDecode) streams as they are, small 8-bit Flate/raw RGB or grey images re-encoded
/// as BMP (no compression: cheapest), others by their dictionary only (dimensions). A page that is one image and no text
/// is a scanned page; its resolution follows from the page size.
fn page_images(
    doc: &Document,
    n: u32,
    id: ObjectId,
    page: &PageText,
    scanner: bool,
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) {
    let Ok((own, inherited)) = doc.get_page_resources(id) else { return };
    let mut dicts: Vec<&Dictionary> = own.into_iter().collect();
    dicts.extend(inherited.iter().filter_map(|r| doc.get_dictionary(*r).ok()));
    let mut images: Vec<(String, &lopdf::Stream)> = Vec::new();
    for res in dicts {
        let Some(xobjects) = get_dict(doc, res, b"XObject") else { continue };
        for (name, o) in xobjects.iter() {
            if let Object::Stream(s) = deref(doc, o) {
                if get_name(doc, &s.dict, b"Subtype") == Some(b"Image".as_slice()) {
                    images.push((String::from_utf8_lossy(name).into_owned(), s));
                }
            }
        }
    }
    let single = images.len() == 1 && page.glyphs.is_empty();
    let size = page_size(doc, id);
    for (name, stream) in images.into_iter().take(32) {
        let w = get_num(doc, &stream.dict, b"Width").unwrap_or(0.0).max(0.0) as u64;
        let h = get_num(doc, &stream.dict, b"Height").unwrap_or(0.0).max(0.0) as u64;
        let filters: Vec<Vec<u8>> = match get(doc, &stream.dict, b"Filter") {
            Some(Object::Name(f)) => vec![f.clone()],
            Some(Object::Array(a)) => {
                a.iter().filter_map(|o| deref(doc, o).as_name().ok().map(|n| n.to_vec())).collect()
            }
            _ => Vec::new(),
        };
        let bytes =
            if filters.last().is_some_and(|f| f == b"DCTDecode") && filters.len() == 1 {
                Some(stream.content.clone())
            } else if w.max(h) <= MAX_RAW_IMAGE_SIDE
                && filters.iter().all(|f| f == b"FlateDecode")
                && get_num(doc, &stream.dict, b"BitsPerComponent") == Some(8.0)
            {
                let space = get(doc, &stream.dict, b"ColorSpace").and_then(|o| o.as_name().ok());
                let raw =
                    if filters.is_empty() { Ok(stream.content.clone()) } else { stream_bytes(stream, &mut ctx.budget) };
                match (space, raw) {
                    (Some(b"DeviceRGB"), Ok(raw)) => image::RgbImage::from_raw(w as u32, h as u32, raw)
                        .and_then(|i| bmp(&image::DynamicImage::from(i))),
                    (Some(b"DeviceGray"), Ok(raw)) => image::GrayImage::from_raw(w as u32, h as u32, raw)
                        .and_then(|i| bmp(&image::DynamicImage::from(i))),
                    _ => None,
                }
            } else {
                None
            };
        let dpi = match size {
            Some((pw, _)) if single && pw > 0.0 => Some((w as f64 / (pw / 72.0)) as f32),
            _ => None,
        };
        let label = format!("page {n} image {name}");
        let scanned = if single {
            Some("pdf:page is one image (scan)")
        } else if scanner {
            Some("pdf:produced by a scanner")
        } else {
            None
        };
        let item = crate::media::Item {
            name: &label,
            names: &ctx.path,
            context: &page.text,
            page: Some(n as u64),
            dpi,
            scanned,
            size: None,
        };
        let hits = match &bytes {
            Some(b) => crate::media::classify(crate::media::MediaKind::Image, b, &item, &mut || None),
            None => crate::media::image::classify_dims(w as u32, h as u32, &item),
        };
        crate::media::emit_hits(hits, emit);
    }
}

/// An image encoded as BMP in memory.
fn bmp(img: &image::DynamicImage) -> Option<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Bmp).ok()?;
    Some(out.into_inner())
}

fn problem(member: &str, reason: impl Into<String>) -> super::Problem {
    super::Problem { member: member.to_string(), reason: reason.into(), skipped: false }
}

/// Extracts the text of every page, in page order (for tools and a later redactor).
pub fn extract_pages(doc: &Document) -> Vec<PageText> {
    let mut fonts = FontCache::default();
    let mut budget = u64::MAX;
    doc.get_pages().iter().map(|(&n, &id)| extract_page(doc, n, id, &mut fonts, &mut budget, MAX_STREAM)).collect()
}

// ---------------------------------------------------------------------------------------------
// Objects

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(*r as f64),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    get(doc, d, key).and_then(|o| o.as_dict().ok())
}

fn get_name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, d, key).and_then(|o| o.as_name().ok())
}

fn get_num(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f64> {
    get(doc, d, key).and_then(num)
}

/// A stream's decoded bytes, under the size limit and the file's budget.
fn stream_bytes(stream: &lopdf::Stream, budget: &mut u64) -> Result<Vec<u8>, &'static str> {
    stream_bytes_capped(stream, budget, MAX_STREAM)
}

fn stream_bytes_capped(stream: &lopdf::Stream, budget: &mut u64, cap: usize) -> Result<Vec<u8>, &'static str> {
    let cap = (*budget).min(cap as u64) as usize;
    let data = stream.get_plain_content_with_limit(cap).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            "a stream inflates past the size limit (not inspected)"
        }
        _ => "a stream could not be decoded (not inspected)",
    })?;
    *budget = budget.saturating_sub(data.len() as u64);
    Ok(data)
}

/// A PDF text string: UTF-16BE or UTF-8 with a BOM, else PDFDocEncoding — unless the bytes
/// are Shift_JIS, as Japanese producers sometimes write them.
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.iter().any(|&b| b >= 0x80) {
        if let Some(s) = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
            if s.chars().any(|c| ('\u{3040}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)) {
                return s.into_owned();
            }
        }
    }
    let obj = Object::String(bytes.to_vec(), lopdf::StringFormat::Literal);
    lopdf::decode_text_string(&obj).unwrap_or_else(|_| bytes.iter().map(|&b| b as char).collect())
}

fn string_value(doc: &Document, o: &Object) -> Option<String> {
    match deref(doc, o) {
        Object::String(s, _) => Some(text_string(s)),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        Object::Array(items) => {
            let parts: Vec<String> = items.iter().take(1000).filter_map(|i| string_value(doc, i)).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Annotations, form fields, outlines, Info, XMP

fn annotation_texts(doc: &Document, page: ObjectId, seen: &mut HashSet<ObjectId>) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(page) = doc.get_dictionary(page) else { return out };
    let Some(Object::Array(annots)) = get(doc, page, b"Annots") else { return out };
    for a in annots.iter().take(10_000) {
        if let Object::Reference(id) = a {
            seen.insert(*id);
        }
        let Ok(annot) = deref(doc, a).as_dict() else { continue };
        out.extend(annot_text(doc, annot));
    }
    out
}

fn annot_text(doc: &Document, annot: &Dictionary) -> Vec<String> {
    let mut out = Vec::new();
    // A widget's /T is its field name, not text; other annotations' /T is their author.
    let widget = get_name(doc, annot, b"Subtype") == Some(b"Widget");
    let keys: &[&[u8]] = if widget { &[b"Contents", b"TU"] } else { &[b"Contents", b"T", b"Subj"] };
    for &key in keys {
        if let Some(s) = get(doc, annot, key).and_then(|o| string_value(doc, o)) {
            if !s.trim().is_empty() {
                out.push(s);
            }
        }
    }
    // A widget's value may sit on its parent field.
    let mut node = Some(annot);
    for _ in 0..MAX_FORM_DEPTH {
        let Some(d) = node else { break };
        if let Some(s) = get(doc, d, b"V").and_then(|o| string_value(doc, o)) {
            if !s.trim().is_empty() {
                out.push(s);
            }
            break;
        }
        node = get_dict(doc, d, b"Parent");
    }
    out
}

/// Info fields read as metadata (`{"metadata": "Author"}`).
pub const INFO_FIELDS: &[&str] = &["Author", "Title", "Subject", "Keywords", "Creator", "Producer"];

fn metadata(doc: &Document, seen_annots: &HashSet<ObjectId>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(info) = doc.trailer.get(b"Info").ok().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok()) {
        for field in INFO_FIELDS {
            if let Some(s) = get(doc, info, field.as_bytes()).and_then(|o| string_value(doc, o)) {
                if !s.trim().is_empty() {
                    out.push((field.to_string(), s));
                }
            }
        }
    }
    let Ok(catalog) = doc.catalog() else { return out };
    // Form fields that no page shows.
    if let Some(Object::Array(fields)) = get_dict(doc, catalog, b"AcroForm").and_then(|f| get(doc, f, b"Fields")) {
        let mut stack: Vec<(&Object, usize)> = fields.iter().map(|f| (f, 0)).collect();
        let mut visited = HashSet::new();
        while let Some((f, depth)) = stack.pop() {
            if visited.len() > 100_000 {
                break;
            }
            if let Object::Reference(id) = f {
                if !visited.insert(*id) || seen_annots.contains(id) {
                    continue;
                }
            }
            let Ok(d) = deref(doc, f).as_dict() else { continue };
            if let Some(s) = get(doc, d, b"V").and_then(|o| string_value(doc, o)) {
                if !s.trim().is_empty() {
                    out.push(("form_field".to_string(), s));
                }
            }
            if depth < MAX_FORM_DEPTH {
                if let Some(Object::Array(kids)) = get(doc, d, b"Kids") {
                    stack.extend(kids.iter().map(|k| (k, depth + 1)));
                }
            }
        }
    }
    // Outline (bookmark) titles.
    if let Some(outlines) = get_dict(doc, catalog, b"Outlines") {
        let mut stack: Vec<&Object> = outlines.get(b"First").ok().into_iter().collect();
        let mut visited = HashSet::new();
        while let Some(o) = stack.pop() {
            let Object::Reference(id) = o else { continue };
            if !visited.insert(*id) || visited.len() > 100_000 {
                continue;
            }
            let Ok(d) = doc.get_dictionary(*id) else { continue };
            if let Some(s) = get(doc, d, b"Title").and_then(|o| string_value(doc, o)) {
                out.push(("outline".to_string(), s));
            }
            stack.extend(d.get(b"Next").ok());
            stack.extend(d.get(b"First").ok());
        }
    }
    // XMP.
    if let Some(stream) = get(doc, catalog, b"Metadata").and_then(|o| o.as_stream().ok()) {
        let mut budget = MAX_STREAM as u64;
        if let Ok(xml) = stream_bytes(stream, &mut budget) {
            out.extend(xmp_fields(&String::from_utf8_lossy(&xml)));
        }
    }
    out
}

/// The text of an XMP packet, each piece under the name of its property (`dc:creator`).
pub fn xmp_fields(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let property =
        |stack: &[String]| stack.iter().rev().find(|n| !n.starts_with("rdf:") && !n.starts_with("x:")).cloned();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "rdf:Description" {
                    for a in e.attributes().flatten() {
                        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                        if key.starts_with("xmlns") || key.starts_with("rdf:") {
                            continue;
                        }
                        if let Ok(v) = a.decode_and_unescape_value(reader.decoder()) {
                            if !v.trim().is_empty() {
                                out.push((key, v.into_owned()));
                            }
                        }
                    }
                }
                stack.push(name);
                if stack.len() > 256 {
                    break;
                }
            }
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Text(t)) => {
                let text = String::from_utf8_lossy(t.as_ref()).into_owned();
                if let (Some(p), false) = (property(&stack), text.trim().is_empty()) {
                    match out.last_mut() {
                        Some((k, v)) if *k == p => v.push_str(&text),
                        _ => out.push((p, text)),
                    }
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(p) = property(&stack) {
                    out.push((p, String::from_utf8_lossy(t.as_ref()).into_owned()));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => r
                        .decode()
                        .ok()
                        .and_then(|n| quick_xml::escape::resolve_predefined_entity(&n).map(str::to_string))
                        .unwrap_or_default(),
                };
                if let (Some(p), Some((k, v))) = (property(&stack), out.last_mut()) {
                    if *k == p {
                        v.push_str(&s);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out.retain(|(_, v)| !v.trim().is_empty());
    out
}

// ---------------------------------------------------------------------------------------------
// Fonts

/// How a font's string bytes split into codes.
#[derive(Debug, Clone, Default)]
struct Codespace(Vec<(u8, u32, u32)>);

impl Codespace {
    /// Codespace ranges of a CMap program (`begincodespacerange <00> <80> …`).
    fn parse(data: &[u8]) -> Codespace {
        let mut out = Vec::new();
        let mut rest = data;
        while let Some(i) = find(rest, b"begincodespacerange") {
            rest = &rest[i + 19..];
            let end = find(rest, b"endcodespacerange").unwrap_or(rest.len());
            let hexes = hex_strings(&rest[..end]);
            for pair in hexes.chunks_exact(2) {
                let (lo, hi) = (&pair[0], &pair[1]);
                if (1..=4).contains(&lo.len()) && lo.len() == hi.len() {
                    out.push((lo.len() as u8, be(lo), be(hi)));
                }
            }
            rest = &rest[end..];
            if out.len() > 1000 {
                break;
            }
        }
        Codespace(out)
    }

    /// The length of the code at the start of `bytes`.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        for len in 1..=4usize.min(bytes.len()) {
            let code = be(&bytes[..len]);
            if self.0.iter().any(|&(n, lo, hi)| n as usize == len && lo <= code && code <= hi) {
                return Some(len);
            }
        }
        None
    }

    fn shortest(&self) -> Option<usize> {
        self.0.iter().map(|r| r.0 as usize).min()
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn be(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |a, &x| (a << 8) | x as u32)
}

fn hex_strings(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(s) = data[i..].iter().position(|&b| b == b'<') {
        let start = i + s + 1;
        let Some(e) = data[start..].iter().position(|&b| b == b'>') else { break };
        let digits: Vec<u8> = data[start..start + e].iter().filter(|b| b.is_ascii_hexdigit()).copied().collect();
        let bytes = digits
            .chunks(2)
            .map(|c| {
                let h = |d: u8| (d as char).to_digit(16).unwrap_or(0) as u8;
                if c.len() == 2 {
                    h(c[0]) << 4 | h(c[1])
                } else {
                    h(c[0]) << 4
                }
            })
            .collect();
        out.push(bytes);
        i = start + e + 1;
    }
    out
}

/// A ToUnicode CMap: code → Unicode, with its codespace.
struct ToUnicode {
    map: CMap,
    codespace: Codespace,
}

impl ToUnicode {
    fn load(doc: &Document, font: &Dictionary, budget: &mut u64) -> Option<ToUnicode> {
        let stream = get(doc, font, b"ToUnicode")?.as_stream().ok()?;
        let data = stream_bytes(stream, budget).ok()?;
        let map = CMap::parse(&data, hayro_cmap::load_embedded)?;
        Some(ToUnicode { map, codespace: Codespace::parse(&data) })
    }

    fn lookup(&self, code: u32) -> Option<String> {
        self.map.lookup_bf_string(code).map(bf)
    }
}

fn bf(s: BfString) -> String {
    match s {
        BfString::Char(c) => c.to_string(),
        BfString::String(s) => s,
    }
}

/// Predefined CMaps, parsed once per process.
fn predefined(name: &[u8]) -> Option<Arc<CMap>> {
    type Cache = Mutex<HashMap<Vec<u8>, Option<Arc<CMap>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = cache.get(name) {
        return c.clone();
    }
    let parsed = hayro_cmap::load_embedded(CMapName::from_bytes(name))
        .and_then(|data| CMap::parse(data, hayro_cmap::load_embedded))
        .map(Arc::new);
    if cache.len() < 64 {
        cache.insert(name.to_vec(), parsed.clone());
    }
    parsed
}

fn ucs2_for(family: &CidFamily) -> Option<Arc<CMap>> {
    predefined(family.ucs2_cmap()?.to_bytes())
}

enum Encoder {
    /// Identity-H/V: two-byte codes that are CIDs.
    Identity,
    /// A predefined or embedded CMap: code → CID.
    CMap(Arc<CMap>, Option<Codespace>),
}

enum Kind<'a> {
    Simple { encoding: Option<lopdf::Encoding<'a>>, first: i64, widths: Vec<f64>, missing: Option<f64> },
    Composite { encoder: Encoder, ucs2: Option<Arc<CMap>>, widths: Vec<(u32, u32, f64)>, dw: f64 },
}

struct Font<'a> {
    kind: Kind<'a>,
    to_unicode: Option<ToUnicode>,
    vertical: bool,
}

/// One decoded code of a string.
struct Code {
    len: usize,
    text: Option<String>,
    /// Advance in thousandths of an em; `None` when the font does not say.
    width: Option<f64>,
    /// A single-byte code 32 (word spacing applies).
    space: bool,
}

impl<'a> Font<'a> {
    fn load(doc: &'a Document, font: &'a Dictionary, budget: &mut u64) -> Font<'a> {
        let to_unicode = ToUnicode::load(doc, font, budget);
        if get_name(doc, font, b"Subtype") == Some(b"Type0") {
            let desc = match get(doc, font, b"DescendantFonts") {
                Some(Object::Array(a)) => a.first().and_then(|d| deref(doc, d).as_dict().ok()),
                _ => None,
            };
            let family = desc.and_then(|d| get_dict(doc, d, b"CIDSystemInfo")).map(|si| {
                let s = |k: &[u8]| match get(doc, si, k) {
                    Some(Object::String(s, _)) => s.clone(),
                    _ => Vec::new(),
                };
                CidFamily::from_registry_ordering(&s(b"Registry"), &s(b"Ordering"))
            });
            let mut vertical = false;
            let mut encoder = Encoder::Identity;
            let mut family = family;
            match get(doc, font, b"Encoding") {
                Some(Object::Name(n)) => {
                    vertical = n.ends_with(b"-V");
                    if n != b"Identity-H" && n != b"Identity-V" {
                        match predefined(n) {
                            Some(c) => {
                                // The CMap's own collection when the font's is missing or
                                // unreadable (lopdf leaves strings nested in an encrypted
                                // font's arrays undecrypted).
                                if !matches!(
                                    family,
                                    Some(
                                        CidFamily::AdobeJapan1
                                            | CidFamily::AdobeGB1
                                            | CidFamily::AdobeCNS1
                                            | CidFamily::AdobeKorea1
                                    )
                                ) {
                                    family = c.metadata().character_collection.as_ref().map(|cc| cc.family.clone());
                                }
                                encoder = Encoder::CMap(c, None);
                            }
                            None => encoder = Encoder::CMap(Arc::new(CMap::identity_h()), None),
                        }
                    }
                }
                Some(Object::Stream(s)) => {
                    if let Ok(data) = stream_bytes(s, budget) {
                        if let Some(c) = CMap::parse(&data, hayro_cmap::load_embedded) {
                            vertical = c.metadata().writing_mode == Some(hayro_cmap::WritingMode::Vertical);
                            encoder = Encoder::CMap(Arc::new(c), Some(Codespace::parse(&data)));
                        }
                    }
                }
                _ => {}
            }
            let ucs2 = family.as_ref().and_then(ucs2_for);
            let mut widths = Vec::new();
            let mut dw = 1000.0;
            if let Some(d) = desc {
                dw = get_num(doc, d, b"DW").unwrap_or(1000.0);
                if let Some(Object::Array(w)) = get(doc, d, b"W") {
                    widths = cid_widths(doc, w);
                }
            }
            return Font { kind: Kind::Composite { encoder, ucs2, widths, dw }, to_unicode, vertical };
        }
        let encoding = if font.has(b"Encoding") || to_unicode.is_none() {
            font.get_font_encoding_with_limit(doc, MAX_STREAM).ok()
        } else {
            None
        };
        let first = get(doc, font, b"FirstChar").and_then(|o| o.as_i64().ok()).unwrap_or(0);
        let widths = match get(doc, font, b"Widths") {
            Some(Object::Array(a)) => a.iter().take(256).map(|w| num(deref(doc, w)).unwrap_or(0.0)).collect(),
            _ => Vec::new(),
        };
        let missing = get_dict(doc, font, b"FontDescriptor").and_then(|d| get_num(doc, d, b"MissingWidth"));
        Font { kind: Kind::Simple { encoding, first, widths, missing }, to_unicode, vertical: false }
    }

    /// The code at the start of `bytes` (never empty).
    fn next_code(&self, bytes: &[u8]) -> Code {
        match &self.kind {
            Kind::Simple { encoding, first, widths, missing } => {
                let b = bytes[0];
                let tu = self.to_unicode.as_ref().and_then(|t| t.lookup(b as u32));
                let text = tu.or_else(|| encoding.as_ref().and_then(|e| e.bytes_to_string(&[b]).ok()));
                let text = text.filter(|t| !t.is_empty() && t != "\u{0}");
                let i = b as i64 - first;
                let width = (i >= 0).then(|| widths.get(i as usize).copied()).flatten().or(*missing);
                Code { len: 1, text, width, space: b == b' ' }
            }
            Kind::Composite { encoder, ucs2, widths, dw } => {
                let (len, code, cid) = match encoder {
                    Encoder::Identity => {
                        let len = bytes.len().min(2);
                        let code = be(&bytes[..len]);
                        (len, code, Some(code))
                    }
                    Encoder::CMap(cmap, codespace) => {
                        let by_space = codespace.as_ref().and_then(|c| c.code_len(bytes));
                        let mut found = None;
                        for len in by_space.map(|l| l..=l).unwrap_or(1..=4usize.min(bytes.len())) {
                            let code = be(&bytes[..len]);
                            if let Some(cid) = cmap.lookup_cid_code(code, len as u8) {
                                found = Some((len, code, Some(cid)));
                                break;
                            }
                        }
                        found.unwrap_or_else(|| {
                            let len = by_space
                                .or_else(|| self.to_unicode.as_ref().and_then(|t| t.codespace.code_len(bytes)))
                                .or_else(|| codespace.as_ref().and_then(Codespace::shortest))
                                .unwrap_or(1)
                                .min(bytes.len());
                            (len, be(&bytes[..len]), None)
                        })
                    }
                };
                let tu = self.to_unicode.as_ref().and_then(|t| t.lookup(code));
                let text = tu.or_else(|| {
                    let cid = cid?;
                    ucs2.as_ref()?.lookup_bf_string(cid).map(bf)
                });
                let text = text.filter(|t| !t.is_empty() && t != "\u{0}");
                let width = cid
                    .map(|cid| widths.iter().find(|&&(lo, hi, _)| lo <= cid && cid <= hi).map(|w| w.2).unwrap_or(*dw));
                Code { len, text, width, space: len == 1 && code == 32 }
            }
        }
    }
}

fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f64)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() && out.len() < 100_000 {
        let Some(first) = num(deref(doc, &w[i])).map(|f| f as u32) else { break };
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, v) in ws.iter().enumerate().take(65_536) {
                    if let Some(v) = num(deref(doc, v)) {
                        let c = first.saturating_add(k as u32);
                        out.push((c, c, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).map(|f| f as u32).unwrap_or(first);
                let v = w.get(i + 2).and_then(|o| num(deref(doc, o))).unwrap_or(1000.0);
                out.push((first, last, v));
                i += 3;
            }
            None => break,
        }
    }
    out
}

#[derive(Default)]
struct FontCache<'a> {
    by_id: HashMap<ObjectId, Rc<Font<'a>>>,
}

// ---------------------------------------------------------------------------------------------
// The interpreter

type M = [f64; 6];
const IDENTITY: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn matrix(ops: &[Object]) -> Option<M> {
    if ops.len() < 6 {
        return None;
    }
    let v: Vec<f64> = ops[ops.len() - 6..].iter().filter_map(num).collect();
    (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

#[derive(Clone)]
struct Gs<'a> {
    ctm: M,
    font: Option<Rc<Font<'a>>>,
    size: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
}

/// A move to the right by more than this many ems on the same line starts a new column: it
/// is written as a tab, so that a table's rows split into cells as a TSV's do.
const COLUMN_GAP: f64 = 0.9;

/// Glyphs in, page text out.
#[derive(Default)]
struct Builder {
    page: PageText,
    last: Option<(f64, f64, f64, f64)>, // x end, y, size, x start
    moved: bool,
    gap: bool,
    full: bool,
    /// Left edges of the cells on the current line.
    line_cells: Vec<f64>,
    /// Left edges of the widest line of the current table (its header, as a rule): a cell
    /// that starts past a column of it has skipped that column (an empty cell).
    grid: Vec<f64>,
    /// Where the next glyph's code sits.
    src: GlyphSrc,
}

impl Builder {
    fn glyph(&mut self, text: Option<&str>, x: f64, y: f64, width: f64, size: f64, vertical: bool) {
        let Some(text) = text else {
            self.page.undecodable += 1;
            return;
        };
        if self.full {
            return;
        }
        if self.page.text.len() > MAX_PAGE_TEXT {
            self.full = true;
            self.page.problems.push("page text past the size limit (rest not inspected)".into());
            return;
        }
        let size = size.abs().max(0.01);
        if let Some((x_end, ly, lsize, _)) = self.last {
            let s = size.max(lsize);
            let t = &mut self.page.text;
            let new_line =
                if vertical { (x - x_end).abs() > 0.5 * s } else { (y - ly).abs() > 0.5 * s || x < x_end - 2.0 * s };
            if new_line {
                if !t.ends_with('\n') {
                    t.push('\n');
                }
                // A line of one cell ends a table; a wider line sets its columns.
                if self.line_cells.len() <= 1 {
                    self.grid.clear();
                } else if self.line_cells.len() > self.grid.len() {
                    self.grid = std::mem::take(&mut self.line_cells);
                }
                self.line_cells.clear();
                self.line_cells.push(x);
            } else if self.moved && !vertical && x - x_end > COLUMN_GAP * s && !t.ends_with(['\t', '\n']) {
                // Far to the right on the same line: the next column of a table. Columns of the
                // table's widest line passed on the way were left empty in this row.
                if t.ends_with(' ') {
                    t.pop();
                }
                let from = self.line_cells.last().copied().unwrap_or(x_end);
                let tol = 0.5 * s;
                let skipped = self.grid.iter().filter(|&&g| g > from + tol && g < x - tol).count();
                for _ in 0..=skipped {
                    t.push('\t');
                }
                self.line_cells.push(x);
            } else if (self.gap || (self.moved && !vertical && x - x_end > 0.25 * s)) && !t.ends_with([' ', '\t', '\n'])
            {
                t.push(' ');
            }
        }
        self.moved = false;
        self.gap = false;
        let byte = self.page.text.len();
        self.page.text.push_str(text);
        self.page.glyphs.push(GlyphBox {
            byte: byte as u32,
            len: text.len().min(u16::MAX as usize) as u16,
            x: x as f32,
            y: y as f32,
            width: width as f32,
            size: size as f32,
            src: self.src,
        });
        let x_end = if vertical { x } else { x + width };
        if self.last.is_none() {
            self.line_cells.push(x);
        }
        self.last = Some((x_end, y, size, x));
    }
}

struct Interp<'a, 'b> {
    doc: &'a Document,
    fonts: &'b mut FontCache<'a>,
    budget: &'b mut u64,
    out: Builder,
    tm: M,
    tlm: M,
    ops: usize,
    forms: Vec<ObjectId>,
    page_area: f64,
    deep: bool,
    /// Largest stream decoded.
    cap: usize,
    /// The stream being interpreted (see [`GlyphSrc::stream`]).
    stream: u16,
}

/// Looks `name` up in a resource category (`Font`, `XObject`) of `res`.
fn resource<'a>(
    doc: &'a Document,
    res: &[&'a Dictionary],
    cat: &[u8],
    name: &[u8],
) -> Option<(Option<ObjectId>, &'a Object)> {
    for r in res {
        if let Some(d) = get_dict(doc, r, cat) {
            if let Ok(o) = d.get(name) {
                let id = if let Object::Reference(id) = o { Some(*id) } else { None };
                return Some((id, deref(doc, o)));
            }
        }
    }
    None
}

impl<'a> Interp<'a, '_> {
    fn font(&mut self, res: &[&'a Dictionary], name: &[u8]) -> Option<Rc<Font<'a>>> {
        let (id, obj) = resource(self.doc, res, b"Font", name)?;
        let dict = obj.as_dict().ok()?;
        if let Some(f) = id.and_then(|id| self.fonts.by_id.get(&id)) {
            return Some(f.clone());
        }
        let f = Rc::new(Font::load(self.doc, dict, self.budget));
        if let Some(id) = id {
            if self.fonts.by_id.len() < 10_000 {
                self.fonts.by_id.insert(id, f.clone());
            }
        }
        Some(f)
    }

    fn run(&mut self, content: &[u8], res: &[&'a Dictionary], gs: Gs<'a>, depth: usize) {
        let mut gs = gs;
        let mut stack: Vec<Gs<'a>> = Vec::new();
        let mut unsaved = 0usize;
        for (op_index, op) in Content::decode_iter(content).enumerate() {
            self.out.src = GlyphSrc { stream: self.stream, op: op_index as u32, ..GlyphSrc::default() };
            let Ok(op) = op else {
                self.out.page.problems.push("malformed content stream (partly inspected)".into());
                return;
            };
            self.ops += 1;
            if self.ops.is_multiple_of(256) {
                super::limit::check();
            }
            if self.ops > MAX_OPS_PER_PAGE {
                if self.ops == MAX_OPS_PER_PAGE + 1 {
                    self.out.page.problems.push("too many operations (rest of the page not inspected)".into());
                }
                return;
            }
            let o = &op.operands;
            let n = |i: usize| o.get(i).and_then(num).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if stack.len() < 256 => stack.push(gs.clone()),
                // Past the cap a q saves nothing, and its Q restores nothing.
                "q" => unsaved += 1,
                "Q" if unsaved > 0 => unsaved -= 1,
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix(o) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "BT" => {
                    self.tm = IDENTITY;
                    self.tlm = IDENTITY;
                    self.out.moved = true;
                }
                "Tf" => {
                    gs.size = n(1);
                    gs.font = o.first().and_then(|f| f.as_name().ok()).and_then(|name| self.font(res, name));
                }
                "Tc" => gs.tc = n(0),
                "Tw" => gs.tw = n(0),
                "Tz" => gs.th = n(0) / 100.0,
                "TL" => gs.tl = n(0),
                "Ts" => gs.rise = n(0),
                "Td" => self.td(n(0), n(1)),
                "TD" => {
                    gs.tl = -n(1);
                    self.td(n(0), n(1));
                }
                "Tm" => {
                    if let Some(m) = matrix(o) {
                        self.tm = m;
                        self.tlm = m;
                        self.out.moved = true;
                    }
                }
                "T*" => self.td(0.0, -gs.tl),
                "Tj" => self.show(o.first(), &gs),
                "'" => {
                    self.td(0.0, -gs.tl);
                    self.show(o.first(), &gs);
                }
                "\"" => {
                    gs.tw = n(0);
                    gs.tc = n(1);
                    self.td(0.0, -gs.tl);
                    self.show(o.get(2), &gs);
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for (k, item) in items.iter().enumerate() {
                            self.out.src.item = k.min(u16::MAX as usize) as u16;
                            match item {
                                Object::String(..) => self.show(Some(item), &gs),
                                other => {
                                    if let Some(adj) = num(other) {
                                        self.adjust(adj, &gs);
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(name) = o.first().and_then(|f| f.as_name().ok()) {
                        self.xobject(res, name, &gs, depth);
                    }
                }
                "BI" => self.image(&gs.ctm),
                _ => {}
            }
        }
    }

    fn td(&mut self, tx: f64, ty: f64) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
        self.out.moved = true;
    }

    fn adjust(&mut self, adj: f64, gs: &Gs<'a>) {
        let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
        let d = -adj / 1000.0 * gs.size;
        if vertical {
            self.tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, d], &self.tm);
        } else {
            self.tm = mul(&[1.0, 0.0, 0.0, 1.0, d * gs.th, 0.0], &self.tm);
        }
        if adj < -250.0 {
            self.out.gap = true;
        }
    }

    fn show(&mut self, s: Option<&Object>, gs: &Gs<'a>) {
        let Some(Object::String(bytes, _)) = s else { return };
        let Some(font) = gs.font.clone() else {
            // Text without a font: nothing can be decoded.
            self.out.page.undecodable += bytes.len();
            return;
        };
        let mut i = 0;
        while i < bytes.len() {
            let code = font.next_code(&bytes[i..]);
            let len = code.len.max(1);
            self.out.src.at = i as u32;
            self.out.src.len = len.min(8) as u8;
            i += len;
            let trm = mul(&mul(&[gs.size * gs.th, 0.0, 0.0, gs.size, 0.0, gs.rise], &self.tm), &gs.ctm);
            let w0 = code.width.unwrap_or(if font.vertical { 1000.0 } else { 500.0 }) / 1000.0;
            let spacing = gs.tc + if code.space { gs.tw } else { 0.0 };
            let (x, y) = (trm[4], trm[5]);
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            // Without widths (standard fonts) the advance is the estimate used for layout.
            let known = gs.size != 0.0;
            self.out.src.vertical = font.vertical;
            if font.vertical {
                let ty = -(w0 * gs.size) + spacing;
                self.out.src.adj = if known { (-ty * 1000.0 / gs.size) as f32 } else { f32::NAN };
                self.out.glyph(code.text.as_deref(), x, y, 0.0, size, true);
                self.tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, ty], &self.tm);
            } else {
                let tx = (w0 * gs.size + spacing) * gs.th;
                let m = mul(&self.tm, &gs.ctm);
                let width = tx * (m[0] * m[0] + m[1] * m[1]).sqrt();
                let adv = w0 * gs.size + spacing;
                self.out.src.adj = if known { (-adv * 1000.0 / gs.size) as f32 } else { f32::NAN };
                self.out.glyph(code.text.as_deref(), x, y, width, size, false);
                self.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &self.tm);
            }
        }
    }

    fn image(&mut self, ctm: &M) {
        let pts = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
            .map(|(u, v)| (u * ctm[0] + v * ctm[2] + ctm[4], u * ctm[1] + v * ctm[3] + ctm[5]));
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if self.page_area > 0.0 {
            let cover = ((x1 - x0) * (y1 - y0) / self.page_area).min(1.0);
            self.out.page.image_cover = self.out.page.image_cover.max(cover);
        }
    }

    fn xobject(&mut self, res: &[&'a Dictionary], name: &[u8], gs: &Gs<'a>, depth: usize) {
        let Some((id, obj)) = resource(self.doc, res, b"XObject", name) else { return };
        let Ok(stream) = obj.as_stream() else { return };
        match get_name(self.doc, &stream.dict, b"Subtype") {
            Some(b"Image") => self.image(&gs.ctm),
            Some(b"Form") => {
                if depth >= MAX_FORM_DEPTH {
                    if !self.deep {
                        self.deep = true;
                        self.out.page.problems.push(format!(
                            "Form XObjects nested deeper than {MAX_FORM_DEPTH} levels (not all inspected)"
                        ));
                    }
                    return;
                }
                if id.is_some_and(|id| self.forms.contains(&id)) {
                    return;
                }
                let data = match stream_bytes_capped(stream, self.budget, self.cap) {
                    Ok(d) => d,
                    Err(reason) => {
                        self.out.page.problems.push(format!("Form XObject: {reason}"));
                        return;
                    }
                };
                let mut inner = gs.clone();
                if let Some(Object::Array(m)) = get(self.doc, &stream.dict, b"Matrix") {
                    if let Some(m) = matrix(m) {
                        inner.ctm = mul(&m, &gs.ctm);
                    }
                }
                let mut form_res: Vec<&'a Dictionary> = Vec::new();
                if let Some(r) = get_dict(self.doc, &stream.dict, b"Resources") {
                    form_res.push(r);
                }
                form_res.extend_from_slice(res);
                let (tm, tlm, stream, src) = (self.tm, self.tlm, self.stream, self.out.src);
                if let Some(id) = id {
                    self.forms.push(id);
                    let forms = &mut self.out.page.forms;
                    let k = forms.iter().position(|f| *f == id).unwrap_or_else(|| {
                        forms.push(id);
                        forms.len() - 1
                    });
                    self.stream = (k + 1).min(u16::MAX as usize) as u16;
                } else {
                    self.stream = u16::MAX;
                }
                self.run(&data, &form_res, inner, depth + 1);
                if id.is_some() {
                    self.forms.pop();
                }
                self.tm = tm;
                self.tlm = tlm;
                self.stream = stream;
                self.out.src = src;
            }
            _ => {}
        }
    }
}

fn page_area<'a>(doc: &'a Document, mut page: &'a Dictionary) -> f64 {
    for _ in 0..32 {
        if let Some(Object::Array(b)) = get(doc, page, b"CropBox").or_else(|| get(doc, page, b"MediaBox")) {
            let v: Vec<f64> = b.iter().filter_map(|o| num(deref(doc, o))).collect();
            if v.len() == 4 {
                return ((v[2] - v[0]) * (v[3] - v[1])).abs();
            }
        }
        match get_dict(doc, page, b"Parent") {
            Some(p) => page = p,
            None => break,
        }
    }
    612.0 * 792.0
}

fn extract_page<'a>(
    doc: &'a Document,
    n: u32,
    id: ObjectId,
    fonts: &mut FontCache<'a>,
    budget: &mut u64,
    cap: usize,
) -> PageText {
    let mut interp = Interp {
        doc,
        fonts,
        budget,
        out: Builder::default(),
        tm: IDENTITY,
        tlm: IDENTITY,
        ops: 0,
        forms: Vec::new(),
        page_area: 0.0,
        deep: false,
        cap,
        stream: 0,
    };
    interp.out.page.page = n;
    let Ok(page) = doc.get_dictionary(id) else {
        interp.out.page.problems.push("page object missing (not inspected)".into());
        return interp.out.page;
    };
    interp.page_area = page_area(doc, page);
    let mut res: Vec<&Dictionary> = Vec::new();
    if let Ok((direct, ids)) = doc.get_page_resources(id) {
        res.extend(direct);
        res.extend(ids.iter().filter_map(|i| doc.get_dictionary(*i).ok()));
    }
    let cap = (*interp.budget).min(cap as u64) as usize;
    match doc.get_page_content_with_limit(id, cap) {
        Ok(content) => {
            *interp.budget = interp.budget.saturating_sub(content.len() as u64);
            let gs = Gs { ctm: IDENTITY, font: None, size: 0.0, tc: 0.0, tw: 0.0, th: 1.0, tl: 0.0, rise: 0.0 };
            interp.run(&content, &res, gs, 0);
        }
        Err(_) => interp.out.page.problems.push("content stream past the size limit (not inspected)".into()),
    }
    interp.out.page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codespace_splits_mixed_lengths() {
        let cs = Codespace::parse(b"2 begincodespacerange\n<00> <80>\n<8140> <9FFC>\nendcodespacerange");
        assert_eq!(cs.code_len(b"\x41\x81"), Some(1));
        assert_eq!(cs.code_len(b"\x81\x40"), Some(2));
        assert_eq!(cs.shortest(), Some(1));
    }

    #[test]
    fn predefined_cmaps_decode_japanese() {
        let rksj = predefined(b"90ms-RKSJ-H").unwrap();
        let ucs2 = ucs2_for(&CidFamily::AdobeJapan1).unwrap();
        let sj = encoding_rs::SHIFT_JIS.encode("山").0;
        let cid = rksj.lookup_cid_code(be(&sj), 2).unwrap();
        assert_eq!(ucs2.lookup_bf_string(cid), Some(BfString::Char('山')));
        assert_eq!(rksj.lookup_cid_code(0x81, 1), None);
    }

    #[test]
    fn text_strings_in_utf16_pdfdoc_and_shift_jis() {
        assert_eq!(text_string(b"\xFE\xFF\x5C\x71\x75\x30"), "山田");
        assert_eq!(text_string(b"Plain"), "Plain");
        assert_eq!(text_string(&encoding_rs::SHIFT_JIS.encode("山田太郎").0), "山田太郎");
    }

    #[test]
    fn xmp_properties_by_name() {
        let xml = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description pdf:Producer="P &amp; Q">
            <dc:creator><rdf:Seq><rdf:li>a@example.jp</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let f = xmp_fields(xml);
        assert!(f.contains(&("dc:creator".into(), "a@example.jp".into())), "{f:?}");
        assert!(f.contains(&("pdf:Producer".into(), "P & Q".into())), "{f:?}");
    }
}
