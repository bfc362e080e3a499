//! Text, CSV/TSV, JSON and HTML/XML files: byte splicing in the file's own encoding.
//!
//! The file is decoded once with a map from each decoded character back to the bytes it came
//! from. Each finding's span is found in the decoded text through its segment's origin, its
//! replacement is encoded in the file's encoding (characters that encoding cannot hold become
//! `*`; never `&#NNNN;`), and spliced in place of the span's bytes. Every other byte — BOM,
//! line endings, bytes that would not survive a decode/encode round trip — is copied as it
//! was. The result is decoded again and compared with what was meant; any difference withholds
//! the file.

use std::ops::Range;

use encoding_rs::{EncoderResult, Encoding, ISO_2022_JP, UTF_16BE, UTF_16LE, UTF_8};

use super::{Hit, Replacer};
use crate::read::encoding::{self, Sniff};
use crate::segment::Origin;

/// Decoded text and, for legacy encodings, (decoded offset, original offset) at every
/// character boundary.
struct Aligned {
    text: String,
    /// `None`: the identity (valid UTF-8).
    marks: Option<Vec<(usize, usize)>>,
}

fn align(body: &[u8], enc: &'static Encoding) -> Aligned {
    if enc == UTF_8 {
        if let Ok(s) = std::str::from_utf8(body) {
            return Aligned { text: s.to_string(), marks: None };
        }
    }
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len() * 2);
    let mut marks = vec![(0usize, 0usize)];
    for i in 0..body.len() {
        text.reserve(dec.max_utf8_buffer_length(1).unwrap_or(16));
        let _ = dec.decode_to_string(&body[i..i + 1], &mut text, false);
        if text.len() > marks.last().map_or(0, |m| m.0) {
            marks.push((text.len(), i + 1));
        }
    }
    text.reserve(dec.max_utf8_buffer_length(0).unwrap_or(16));
    let _ = dec.decode_to_string(&[], &mut text, true);
    if text.len() > marks.last().map_or(0, |m| m.0) {
        marks.push((text.len(), body.len()));
    }
    Aligned { text, marks: Some(marks) }
}

impl Aligned {
    /// The original byte range of a decoded range, and the decoded range widened to whole
    /// characters.
    fn original(&self, r: &Range<usize>) -> (Range<usize>, Range<usize>) {
        match &self.marks {
            None => (r.clone(), r.clone()),
            Some(m) => {
                let s = match m.binary_search_by_key(&r.start, |x| x.0) {
                    Ok(i) => i,
                    Err(i) => i.saturating_sub(1),
                };
                let e = match m.binary_search_by_key(&r.end, |x| x.0) {
                    Ok(i) => i,
                    Err(i) => i.min(m.len() - 1),
                };
                (m[s].1..m[e].1, m[s].0..m[e].0)
            }
        }
    }
}

/// Decoded byte offset of 1-based (`line`, `column` in characters).
fn offset_of(text: &str, line_starts: &[usize], line: u64, column: u64) -> Option<usize> {
    let ls = *line_starts.get(line.checked_sub(1)? as usize)?;
    let mut chars = text[ls..].char_indices();
    let mut at = ls;
    for _ in 1..column {
        let (_, c) = chars.next()?;
        at += c.len_utf8();
    }
    Some(at)
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The decoded span of a hit: where its origin says, or the value's next occurrence nearby.
fn locate(text: &str, line_starts: &[usize], h: &Hit) -> Option<Range<usize>> {
    let value = &h.finding.value;
    let guess = match &h.origin {
        Origin::Text { byte, .. } => *byte as usize + h.range.start,
        Origin::Cell { line, column, .. } => offset_of(text, line_starts, *line, *column)? + h.range.start,
        Origin::Fixed(_) => return None,
    };
    if text.get(guess..guess + value.len()) == Some(value.as_str()) {
        return Some(guess..guess + value.len());
    }
    // Escapes (CSV quotes, entities) can shift the value a little: look for it near its place.
    let from = floor(text, guess.saturating_sub(256));
    let to = floor(text, guess + value.len() * 4 + 4096);
    let near = |t: &str, off: &dyn Fn(usize) -> usize| {
        t.match_indices(value.as_str()).map(|(i, _)| i).min_by_key(|&i| (from + off(i)).abs_diff(guess))
    };
    let literal = near(&text[from..to], &|i| i).map(|at| from + at..from + at + value.len());
    // HTML/XML: the value may be written with character references (`06&#x2D;6111`).
    let (decoded, map) = unescape_with_map(&text[from..to]);
    let referenced = near(&decoded, &|i| map[i]).map(|at| from + map[at]..from + map[at + value.len()]);
    [literal, referenced].into_iter().flatten().min_by_key(|r| r.start.abs_diff(guess))
}

/// `s` with character and predefined entity references resolved, and for every byte offset of
/// the result (and its end) the offset in `s` where that character's source starts.
fn unescape_with_map(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let reference = rest.strip_prefix('&').and_then(|r| {
            let end = r.find(';').filter(|&e| e <= 10)?;
            let name = &r[..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let n = name.strip_prefix('#')?;
                    let v = match n.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(v)?
                }
            };
            Some((c, end + 2))
        });
        let (c, len) = reference.unwrap_or_else(|| {
            let c = rest.chars().next().unwrap_or('\0');
            (c, c.len_utf8())
        });
        for _ in 0..c.len_utf8() {
            map.push(i);
        }
        out.push(c);
        i += len;
    }
    map.push(s.len());
    (out, map)
}

fn encodable(enc: &'static Encoding, c: char) -> bool {
    let mut e = enc.new_encoder();
    let mut buf = [0u8; 16];
    let mut s = [0u8; 4];
    let (r, _, _) = e.encode_from_utf8_without_replacement(c.encode_utf8(&mut s), &mut buf, true);
    r == EncoderResult::InputEmpty
}

/// `s` in `enc`; characters the encoding cannot hold become `*`.
pub(crate) fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
    if enc == UTF_8 {
        return s.as_bytes().to_vec();
    }
    if enc == UTF_16LE {
        return s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    }
    if enc == UTF_16BE {
        return s.encode_utf16().flat_map(u16::to_be_bytes).collect();
    }
    let clean: String = s.chars().map(|c| if encodable(enc, c) { c } else { '*' }).collect();
    let mut e = enc.new_encoder();
    let mut out = vec![0u8; e.max_buffer_length_from_utf8_without_replacement(clean.len()).unwrap_or(clean.len() * 8)];
    let (_, _, written) = e.encode_from_utf8_without_replacement(&clean, &mut out, true);
    out.truncate(written);
    out
}

/// The ISO-2022-JP escape sequence in force at byte `pos` (`ESC ( B` at the start).
fn iso_state(body: &[u8], pos: usize) -> &[u8] {
    let mut state: &[u8] = b"\x1b(B";
    let mut i = 0;
    while i < pos.min(body.len()) {
        if body[i] == 0x1b {
            let len = if body.get(i + 1..i + 3) == Some(b"$(") { 4 } else { 3 };
            if i + len <= pos {
                state = &body[i..(i + len).min(body.len())];
            }
            i += len;
        } else {
            i += 1;
        }
    }
    state
}

/// ISO-2022-JP bytes (starting in ASCII) split into (escape sequence of the mode, bytes).
fn iso_segments(b: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out: Vec<(Vec<u8>, Vec<u8>)> = vec![(b"\x1b(B".to_vec(), Vec::new())];
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0x1b {
            let len = if b.get(i + 1..i + 3) == Some(b"$(") { 4 } else { 3 };
            out.push((b[i..(i + len).min(b.len())].to_vec(), Vec::new()));
            i += len;
        } else {
            if let Some(last) = out.last_mut() {
                last.1.push(b[i]);
            }
            i += 1;
        }
    }
    out.retain(|(_, bytes)| !bytes.is_empty());
    out
}

/// The redacted copy of a text file, or why it cannot be written safely.
pub fn redact(bytes: &[u8], hits: &[Hit], rep: &Replacer) -> Result<Vec<u8>, String> {
    let det = match encoding::sniff(&bytes[..bytes.len().min(64 << 10)], bytes.len() <= 64 << 10) {
        Sniff::Text(d) => d,
        Sniff::Binary(what) => return Err(format!("binary content ({what}), not rewritten")),
    };
    let enc = det.encoding;
    if enc != UTF_8 && bytes.len() > 64 << 20 {
        return Err("legacy-encoded text over 64 MiB, not rewritten".into());
    }
    let body = &bytes[det.bom..];
    let al = align(body, enc);
    let text = &al.text;
    let mut line_starts = vec![0usize];
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    // Decoded spans with their replacements; overlapping spans merge.
    let mut spans: Vec<(Range<usize>, &Hit)> = Vec::new();
    for h in hits {
        match locate(text, &line_starts, h) {
            Some(r) => spans.push((r, h)),
            None => return Err(format!("a {} finding could not be located in the text", h.finding.category)),
        }
    }
    spans.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<(Range<usize>, &Hit)> = Vec::new();
    for (r, h) in spans {
        match merged.last_mut() {
            Some((last, _)) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push((r, h)),
        }
    }
    let iso = enc == ISO_2022_JP;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..det.bom]);
    let mut expected = String::with_capacity(text.len());
    let mut at_dec = 0;
    let mut at_orig = 0;
    for (r, h) in &merged {
        let (o, covered) = al.original(r);
        if o.start < at_orig {
            return Err("overlapping spans in the original bytes".into());
        }
        let value = &text[covered.clone()];
        let repl = if value == h.finding.value || unescape_with_map(value).0 == h.finding.value {
            h.replacement(rep)
        } else {
            rep.replace(h.finding.category, value, &h.normalized)
        };
        let mut piece = Vec::new();
        if iso {
            // Switch modes only where needed: two escape sequences in a row decode as an error.
            let mut mode: Vec<u8> = iso_state(body, o.start).to_vec();
            for (m, bytes) in iso_segments(&encode(enc, &repl)) {
                if m != mode {
                    piece.extend_from_slice(&m);
                    mode = m;
                }
                piece.extend_from_slice(&bytes);
            }
            let after = iso_state(body, o.end);
            if mode != after && body.get(o.end) != Some(&0x1b) {
                piece.extend_from_slice(after);
            }
        } else {
            piece = encode(enc, &repl);
        }
        out.extend_from_slice(&body[at_orig..o.start]);
        out.extend_from_slice(&piece);
        expected.push_str(&text[at_dec..covered.start]);
        let standalone = if iso && piece.first() != Some(&0x1b) {
            [iso_state(body, o.start), &piece[..]].concat()
        } else {
            piece.clone()
        };
        let (d, _) = enc.decode_without_bom_handling(&standalone);
        expected.push_str(&d);
        at_orig = o.end;
        at_dec = covered.end;
    }
    out.extend_from_slice(&body[at_orig..]);
    expected.push_str(&text[at_dec..]);
    // Decode the copy again: it must read exactly as intended.
    let (again, _) = enc.decode_without_bom_handling(&out[det.bom..]);
    if again != expected {
        return Err(format!("the copy does not decode back as intended in {}", encoding::name(enc)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_JP, SHIFT_JIS};

    #[test]
    fn alignment_maps_characters_to_bytes() {
        let (b, _, _) = SHIFT_JIS.encode("山田 03");
        let al = align(&b, SHIFT_JIS);
        assert_eq!(al.text, "山田 03");
        assert_eq!(al.original(&(0..3)).0, 0..2);
        assert_eq!(al.original(&(7..9)).0, 5..7);
        assert_eq!(al.original(&(1..2)), (0..2, 0..3));
        let (b, _, _) = EUC_JP.encode("田");
        assert_eq!(align(&b, EUC_JP).original(&(0..3)).0, 0..2);
    }

    #[test]
    fn iso_2022_jp_state() {
        let b = b"a\x1b$B;3\x1b(Bb";
        assert_eq!(iso_state(b, 0), b"\x1b(B");
        assert_eq!(iso_state(b, 5), b"\x1b$B");
        assert_eq!(iso_state(b, 10), b"\x1b(B");
    }

    #[test]
    fn references_map_back_to_their_source() {
        let (d, m) = unescape_with_map("06&#x2D;61&amp;x");
        assert_eq!(d, "06-61&x");
        assert_eq!(m[2], 2);
        assert_eq!(m[3], 8);
        assert_eq!(m[d.len()], 16);
    }

    #[test]
    fn unmappable_becomes_ascii() {
        assert_eq!(encode(SHIFT_JIS, "〜＊"), b"*\x81\x96");
        assert_eq!(encode(UTF_16LE, "＊"), vec![0x0A, 0xFF]);
    }
}
