//! Non-text personal data: seals, signatures, copies of ID documents, call recordings, and the
//! personal fields of photo metadata (GPS position, owner, camera serial).
//!
//! Readers hand images and audio (files on disk, package media parts, zip members, e-mail
//! attachments, PDF image XObjects) to [`classify`], which looks at metadata and structure
//! first — the header, the EXIF block, the file and folder names, the text of the document the
//! image sits in — and decodes a small downscaled copy of the pixels only for the few images
//! whose metadata makes them candidates (small, square-ish, named or placed like a seal or a
//! signature). No OCR.
//!
//! Every signal adds a weight to a score (see the README's table); no single weak signal (a
//! name, a card-shaped picture, a scanner) reaches medium confidence alone. A finding about a
//! whole image or recording is located `{"media": "image"}` (or `"audio"`, or a PDF page) and
//! its value is the name it was reached by (the file name, the member path inside its
//! container, `page N image NAME`); its masked form hides the name and says what the item is
//! (`****_***.jpg (jpeg 1011×638 px, 300 dpi)`). EXIF fields are located
//! `{"metadata": FIELD}` with the field's raw value, masked like any other value.

pub mod audio;
pub mod image;

use sha2::{Digest, Sha256};

use crate::read::Ctx;
use crate::segment::{Location, Origin, Segment};

/// Category for the position a photo was taken at (EXIF GPS): not in TAXONOMY.md before media
/// detection, no other category fits (a coordinate is not a postal address).
pub const GEOLOCATION: &str = "geolocation";

/// A finding about a whole image or recording, or one of its metadata fields, made without the
/// text detectors. It travels to the scanner in a [`Segment`] (see [`Segment::media`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MediaHit {
    /// Category id.
    pub category: &'static str,
    /// Rule id.
    pub detector: &'static str,
    /// Score in 0–1.
    pub score: f32,
    /// Why.
    pub reasons: Vec<&'static str>,
    /// The raw value: the item's name, or the metadata field's value. Never shown without
    /// `--reveal`.
    pub value: String,
    /// What may be shown.
    pub masked: String,
    /// What the fingerprint hashes (a content hash for whole items, the value for fields).
    pub key: String,
}

/// What kind of media a name or a content stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// A raster image.
    Image,
    /// An audio recording.
    Audio,
}

/// The media kind of a file or member name, by extension.
pub fn kind_of_ext(ext: &str) -> Option<MediaKind> {
    match ext {
        "jpg" | "jpeg" | "jpe" | "jfif" | "png" | "gif" | "bmp" | "dib" | "tif" | "tiff" | "webp" | "heic" | "heif"
        | "avif" => Some(MediaKind::Image),
        "wav" | "wave" | "mp3" | "m4a" | "aac" | "mp4a" | "ogg" | "oga" | "opus" | "flac" | "amr" | "awb" | "wma"
        | "3gp" | "3gpp" | "3g2" => Some(MediaKind::Audio),
        _ => None,
    }
}

/// The media kind of content, by its first bytes (for members without a telling name).
pub fn kind_of_magic(b: &[u8]) -> Option<MediaKind> {
    let at = |i: usize, m: &[u8]| b.len() >= i + m.len() && &b[i..i + m.len()] == m;
    if at(0, b"\xFF\xD8\xFF")
        || at(0, b"\x89PNG\r\n\x1a\n")
        || at(0, b"GIF8")
        || (at(0, b"RIFF") && at(8, b"WEBP"))
        || at(0, b"II*\0")
        || at(0, b"MM\0*")
    {
        return Some(MediaKind::Image);
    }
    if (at(0, b"RIFF") && at(8, b"WAVE"))
        || at(0, b"ID3")
        || at(0, b"fLaC")
        || at(0, b"OggS")
        || at(0, b"#!AMR")
        || at(0, &audio::ASF_HEADER)
    {
        return Some(MediaKind::Audio);
    }
    None
}

/// Where an item sits and what surrounds it.
#[derive(Debug, Clone, Default)]
pub struct Item<'a> {
    /// The name the item was reached by: file name, member path, or `page N image NAME`.
    pub name: &'a str,
    /// File and folder names around it (the path on disk and the member path), for keywords.
    pub names: &'a str,
    /// Text of the document it is embedded in (may be empty).
    pub context: &'a str,
    /// For a PDF image: the page it is on.
    pub page: Option<u64>,
    /// Resolution known from the container (a PDF page), when the image's own header has none.
    pub dpi: Option<f32>,
    /// The container says this is a scanned page (a PDF page that is one image, or a scanner
    /// named as the PDF's producer).
    pub scanned: Option<&'static str>,
    /// Total size in bytes, when only the head of the item is in hand.
    pub size: Option<u64>,
}

/// Scores signals: weights add up, reasons collect.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    /// Sum of weights.
    pub score: f32,
    /// Reasons, in the order found.
    pub reasons: Vec<&'static str>,
}

impl Evidence {
    /// Adds a signal.
    pub fn add(&mut self, weight: f32, reason: &'static str) {
        self.score += weight;
        self.reasons.push(reason);
    }

    /// The score clamped into 0–0.99.
    pub fn clamped(&self) -> f32 {
        self.score.clamp(0.0, 0.99)
    }
}

/// Lowest score reported (the low band of [`crate::detect::Confidence`]).
pub const REPORT_FLOOR: f32 = 0.3;

/// A keyword and the reason it gives.
pub type Keyword = (&'static str, &'static str);

/// The first keyword found in `text` (ASCII keywords match case-insensitively, at word
/// boundaries when `ascii_words`).
pub fn find_keyword(text: &str, words: &[Keyword]) -> Option<&'static str> {
    if text.is_empty() {
        return None;
    }
    let lower = text.to_lowercase();
    for (w, reason) in words {
        if w.is_ascii() {
            let mut from = 0;
            while let Some(i) = lower[from..].find(w) {
                let s = from + i;
                let e = s + w.len();
                let before = lower[..s].chars().next_back();
                let after = lower[e..].chars().next();
                // Words inside longer ASCII words do not count (`rec` in `recipe`), digits may
                // follow (`rec0412`).
                let ok_before = before.is_none_or(|c| !c.is_ascii_alphabetic());
                let ok_after = after.is_none_or(|c| !c.is_ascii_alphabetic());
                if ok_before && ok_after {
                    return Some(reason);
                }
                from = e;
            }
        } else if lower.contains(w) {
            return Some(reason);
        }
    }
    None
}

/// A content hash for fingerprints of whole items (first 128 KiB: files on disk are read only
/// that far unless their pixels are needed).
pub fn content_key(bytes: &[u8]) -> String {
    let digest = Sha256::digest(&bytes[..bytes.len().min(128 << 10)]);
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// A name with its letters hidden but its folders and extension kept: `****_***.jpg`.
pub fn mask_name(name: &str) -> String {
    // Package part names (`word/media/image1.png`) are the format's, not a person's.
    if ["word/media/", "xl/media/", "ppt/media/"].iter().any(|p| name.starts_with(p))
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || b"/._-".contains(&c))
    {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !e.is_empty() && e.len() <= 5 && !e.contains('/') => (s, Some(e)),
        _ => (name, None),
    };
    let mut out: String = stem
        .chars()
        .map(|c| match c {
            '/' | '_' | '-' | ' ' | '.' => c,
            c if c.is_ascii() => '*',
            _ => '＊',
        })
        .collect();
    if let Some(e) = ext {
        out.push('.');
        out.push_str(e);
    }
    out
}

/// A finding about a whole item.
pub fn whole_hit(
    category: &'static str,
    detector: &'static str,
    ev: &Evidence,
    item: &Item,
    desc: &str,
    key: &str,
) -> MediaHit {
    MediaHit {
        category,
        detector,
        score: ev.clamped(),
        reasons: ev.reasons.clone(),
        value: item.name.to_string(),
        // A PDF image's name (`page 1 image Im0`) is the document's, not a person's.
        masked: if item.page.is_some() {
            format!("{} ({desc})", item.name)
        } else {
            format!("{} ({desc})", mask_name(item.name))
        },
        key: key.to_string(),
    }
}

/// Classifies an item held in memory (whole, or its head when `item.size` says there is more)
/// and returns what it found, each with its location. `more` reads the whole item when the
/// pixels are needed and only the head is in hand.
pub fn classify(
    kind: MediaKind,
    bytes: &[u8],
    item: &Item,
    more: &mut dyn FnMut() -> Option<Vec<u8>>,
) -> Vec<(Location, MediaHit)> {
    match kind {
        MediaKind::Image => image::classify(bytes, item, more),
        MediaKind::Audio => audio::classify(bytes, item, more),
    }
}

/// Emits the hits as segments.
pub fn emit_hits(hits: Vec<(Location, MediaHit)>, emit: &mut dyn FnMut(&Segment)) {
    for (loc, hit) in hits {
        let mut seg = Segment::new(String::new(), Origin::Fixed(loc));
        seg.media = Some(Box::new(hit));
        emit(&seg);
    }
}

/// The location of a finding about a whole item: its page in a PDF, else `{"media": KIND}`.
pub fn whole_location(item: &Item, kind: &str) -> Location {
    match item.page {
        Some(page) => Location::Page { page },
        None => Location::Media { media: kind.to_string() },
    }
}

/// Reads an image or audio item held in memory (a member, an attachment, a part): the names
/// around it come from `ctx` (the path on disk) and its context text from `ctx.context`.
pub fn read_member(kind: MediaKind, name: &str, bytes: &[u8], ctx: &Ctx, emit: &mut dyn FnMut(&Segment)) {
    read_labelled(kind, name, "", bytes, ctx, emit);
}

/// Like [`read_member`], for an item its container labels (a picture's alt text or name in a
/// document): the label counts as a name.
pub fn read_labelled(
    kind: MediaKind,
    name: &str,
    label: &str,
    bytes: &[u8],
    ctx: &Ctx,
    emit: &mut dyn FnMut(&Segment),
) {
    let mut names = if ctx.path.is_empty() { name.to_string() } else { format!("{}/{name}", ctx.path) };
    if !label.trim().is_empty() {
        // In front of the path: keyword tests see it as a name (for recordings, as a folder).
        names = format!("{} {names}", label.trim());
    }
    let item = Item { name, names: &names, context: &ctx.context, ..Item::default() };
    let hits = classify(kind, bytes, &item, &mut || None);
    emit_hits(hits, emit);
}

/// Text of a document gathered for the media embedded in it: capped, so a long document costs
/// nothing more.
#[derive(Debug, Default)]
pub struct ContextText(pub String);

impl ContextText {
    /// Most bytes kept.
    pub const CAP: usize = 64 << 10;

    /// Adds a segment's text (up to the cap).
    pub fn push(&mut self, text: &str) {
        if self.0.len() >= Self::CAP || text.is_empty() {
            return;
        }
        let mut end = text.len().min(Self::CAP - self.0.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.0.push_str(&text[..end]);
        self.0.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[Keyword] = &[("rec", "name:rec"), ("通話", "name:通話")];

    #[test]
    fn keywords_respect_word_boundaries() {
        assert_eq!(find_keyword("rec_0412.wav", WORDS), Some("name:rec"));
        assert_eq!(find_keyword("REC0412.wav", WORDS), Some("name:rec"));
        assert_eq!(find_keyword("recipe.wav", WORDS), None);
        assert_eq!(find_keyword("顧客通話.wav", WORDS), Some("name:通話"));
    }

    #[test]
    fn names_are_masked_but_keep_their_extension() {
        assert_eq!(mask_name("山田_免許証.jpg"), "＊＊_＊＊＊.jpg");
        assert_eq!(mask_name("word/media/image1.png"), "word/media/image1.png");
        assert_eq!(mask_name("scans/yamada.png"), "*****/******.png");
    }
}
