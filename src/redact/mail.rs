//! E-mail (.eml): headers, bodies and attachments redacted in place; everything else is
//! copied as it was.
//!
//! mail-parser gives every header and part its byte offsets. A header holding a found value
//! is rewritten: spliced in place when it is plain ASCII, else decoded (RFC 2047), redacted and
//! encoded again as encoded words in the charset its first encoded word used (UTF-8 when it had
//! none, or when that charset cannot hold the replacement). A body part is undone from its
//! transfer encoding, redacted by the text writer (byte splicing in its own charset) and
//! encoded again the same way (base64 wrapped as before; 7bit/8bit as is). Attachments go to
//! the writer of their own format and are encoded again (base64 or quoted-printable).
//! `DKIM-Signature` and `ARC-*` headers of a changed mail are dropped (they no longer hold).
//! Attachments whose name holds personal data and values that cannot be located withhold the
//! mail.

use std::ops::Range;

use encoding_rs::{Encoding, UTF_8};
use mail_parser::{MessageParser, PartType};

use super::{member_hits, text, Hit, Redactor, Written};
use crate::read::mail::{attachment_name, charset, decode_header, header_name, is_body_text, part_bytes};
use crate::segment::{Location, Origin};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 { B64[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if c.len() > 2 { B64[n as usize & 63] as char } else { '=' });
    }
    out
}

/// Base64 in lines of the original's width and line ending.
fn base64_body(data: &[u8], original: &[u8]) -> Vec<u8> {
    let eol: &[u8] = if memchr::memmem::find(original, b"\r\n").is_some() { b"\r\n" } else { b"\n" };
    let width = original
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).len())
        .max()
        .filter(|&w| w >= 4)
        .unwrap_or(76)
        / 4
        * 4;
    let s = base64(data);
    let mut out = Vec::with_capacity(s.len() + s.len() / width * 2 + 2);
    for chunk in s.as_bytes().chunks(width) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(eol);
    }
    if !original.ends_with(b"\n") {
        out.truncate(out.len() - eol.len().min(out.len()));
    }
    out
}

/// Quoted-printable (RFC 2045) with the original's line endings: hard line breaks stay, lines
/// are cut with soft breaks at 76 characters, `=`, control and 8-bit bytes and trailing
/// blanks are escaped.
fn quoted_printable(data: &[u8], original: &[u8]) -> Vec<u8> {
    let eol: &[u8] = if memchr::memmem::find(original, b"\r\n").is_some() { b"\r\n" } else { b"\n" };
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(data.len() * 3 / 2);
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    for (li, line) in lines.iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let plain = (b == b' ' || b == b'\t') && !last || (33..=126).contains(&b) && b != b'=';
            let width = if plain { 1 } else { 3 };
            if col + width > 75 {
                out.extend_from_slice(b"=");
                out.extend_from_slice(eol);
                col = 0;
            }
            if plain {
                out.push(b);
            } else {
                out.extend_from_slice(&[b'=', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
            }
            col += width;
        }
        if li + 1 < lines.len() {
            out.extend_from_slice(eol);
        }
    }
    out
}

/// `text` as RFC 2047 encoded words in `enc`, folded.
fn encoded_words(text: &str, enc: &'static Encoding) -> String {
    let name = if enc == UTF_8 { "UTF-8" } else { enc.name() };
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        let mut next = chunk.clone();
        next.push(c);
        if text::encode(enc, &next).len() > 45 && !chunk.is_empty() {
            words.push(std::mem::take(&mut chunk));
            chunk.push(c);
        } else {
            chunk = next;
        }
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words.iter().map(|w| format!("=?{name}?B?{}?=", base64(&text::encode(enc, w)))).collect::<Vec<_>>().join("\r\n ")
}

/// The charset of the first encoded word of a raw header.
fn word_charset(raw: &[u8]) -> Option<&'static Encoding> {
    let at = memchr::memmem::find(raw, b"=?")?;
    let rest = &raw[at + 2..];
    let q = memchr::memchr(b'?', rest)?;
    charset(std::str::from_utf8(&rest[..q]).ok()?)
}

fn splice(bytes: &[u8], mut edits: Vec<(Range<usize>, Vec<u8>)>) -> Option<Vec<u8>> {
    edits.sort_by_key(|e| e.0.start);
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for (r, b) in edits {
        if r.start < at || r.end > bytes.len() {
            return None;
        }
        out.extend_from_slice(&bytes[at..r.start]);
        out.extend_from_slice(&b);
        at = r.end;
    }
    out.extend_from_slice(&bytes[at..]);
    Some(out)
}

/// The redacted copy of a mail.
pub fn redact(bytes: &[u8], hits: &[Hit], red: &Redactor, depth: u32) -> Written {
    if hits.is_empty() {
        return Written::Same;
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| redact_inner(bytes, hits, red, depth))) {
        Ok(Ok(b)) => Written::New(b),
        Ok(Err(e)) => Written::Withheld(e),
        Err(_) => Written::Withheld("e-mail writer failed on a malformed message".into()),
    }
}

fn redact_inner(bytes: &[u8], hits: &[Hit], red: &Redactor, depth: u32) -> Result<Vec<u8>, String> {
    let rep = &red.rep;
    let message = MessageParser::default().parse(bytes).ok_or("e-mail could not be parsed for rewriting")?;
    let raw = message.raw_message();
    let mut edits: Vec<(Range<usize>, Vec<u8>)> = Vec::new();
    // Headers of the message itself.
    let header_hits: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.finding.member.is_none() && matches!(h.finding.location, Location::Header { .. }))
        .collect();
    let mut used = vec![false; header_hits.len()];
    for h in message.parts[0].headers() {
        let name = header_name(&h.name);
        let (s, e) = (h.offset_start as usize, (h.offset_end as usize).min(raw.len()));
        let value = raw.get(s..e).ok_or("header offsets out of range")?;
        let decoded = decode_header(value);
        let mine: Vec<usize> = (0..header_hits.len())
            .filter(|&i| {
                matches!(&header_hits[i].finding.location, Location::Header { header } if header.eq_ignore_ascii_case(&name))
                    && decoded.contains(header_hits[i].finding.value.as_str())
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        let plain = value.is_ascii() && memchr::memmem::find(value, b"=?").is_none();
        let mut text = if plain { String::from_utf8_lossy(value).into_owned() } else { decoded.trim().to_string() };
        for &i in &mine {
            used[i] = true;
            let hh = header_hits[i];
            text = text.replace(hh.finding.value.as_str(), &hh.replacement(rep));
        }
        let new = if plain && text.is_ascii() {
            text.into_bytes()
        } else {
            let enc = word_charset(value).unwrap_or(UTF_8);
            let eol: &[u8] = if value.ends_with(b"\r\n") {
                b"\r\n"
            } else if value.ends_with(b"\n") {
                b"\n"
            } else {
                b""
            };
            let mut v = b" ".to_vec();
            v.extend_from_slice(encoded_words(&text, enc).as_bytes());
            v.extend_from_slice(eol);
            v
        };
        edits.push((s..e, new));
    }
    if used.iter().any(|u| !u) {
        return Err("a header value could not be located for rewriting".into());
    }
    // Bodies and attachments.
    let body_hits: Vec<&Hit> =
        hits.iter().filter(|h| h.finding.member.is_none() && matches!(h.origin, Origin::Text { .. })).collect();
    let mut placed = vec![false; body_hits.len()];
    let mut attachment_no = 0;
    for part in &message.parts {
        if let PartType::Multipart(_) = part.body {
            continue;
        }
        let (bs, be) = (part.offset_body as usize, (part.offset_end as usize).min(raw.len()));
        if is_body_text(part, raw) {
            let decoded = part_bytes(part, raw);
            let cs =
                mail_parser::MimeHeaders::content_type(part).and_then(|c| c.attribute("charset")).and_then(charset);
            let text = match cs {
                Some(enc) => enc.decode_without_bom_handling(&decoded).0.into_owned(),
                None => String::from_utf8_lossy(&decoded).into_owned(),
            };
            let mut synth: Vec<Hit> = Vec::new();
            for (i, h) in body_hits.iter().enumerate() {
                let v = h.finding.value.as_str();
                let ranges: Vec<Range<usize>> = if text.get(h.range.clone()) == Some(v) {
                    vec![h.range.clone()]
                } else {
                    text.match_indices(v).map(|(at, _)| at..at + v.len()).collect()
                };
                for r in ranges {
                    placed[i] = true;
                    let mut s = (*h).clone();
                    s.origin = Origin::Text { byte: 0, line: 1, column: 1 };
                    s.range = r;
                    synth.push(s);
                }
            }
            if synth.is_empty() {
                continue;
            }
            let new = text::redact(&decoded, &synth, rep)?;
            let encoded = match part.encoding {
                mail_parser::Encoding::None => new,
                mail_parser::Encoding::Base64 => base64_body(&new, &raw[bs..be]),
                mail_parser::Encoding::QuotedPrintable => quoted_printable(&new, &raw[bs..be]),
            };
            edits.push((bs..be, encoded));
        } else {
            attachment_no += 1;
            let name = attachment_name(part, raw, attachment_no);
            let mine = member_hits(hits, &name);
            if mine.is_empty() {
                continue;
            }
            if mine.iter().any(|h| h.finding.member.is_none() && h.is_name()) {
                return Err("an attachment's name holds personal data".into());
            }
            let data = part_bytes(part, raw);
            let (ah, outcome) = red.collect(&name, &data, depth + 1).map_err(|e| format!("attachment: {e}"))?;
            let ah: Vec<Hit> = ah.into_iter().filter(|h| !(h.is_name() && h.finding.member.is_none())).collect();
            match red.write(&name, &data, &ah, &outcome, depth + 1) {
                Written::Same => {}
                Written::Withheld(r) => return Err(format!("attachment {attachment_no}: {r}")),
                Written::New(b) => {
                    let encoded = match part.encoding {
                        mail_parser::Encoding::None => b,
                        mail_parser::Encoding::Base64 => base64_body(&b, &raw[bs..be]),
                        mail_parser::Encoding::QuotedPrintable => quoted_printable(&b, &raw[bs..be]),
                    };
                    edits.push((bs..be, encoded));
                }
            }
        }
    }
    if placed.iter().any(|p| !p) {
        return Err("a value in a body could not be located for rewriting".into());
    }
    // Signatures over the original content no longer hold (and carry its hashes): dropped.
    if !edits.is_empty() {
        for h in message.parts[0].headers() {
            let name = header_name(&h.name).to_ascii_lowercase();
            if name == "dkim-signature" || name.starts_with("arc-") {
                let (s, e) = (h.offset_field as usize, (h.offset_end as usize).min(raw.len()));
                if s < e && !edits.iter().any(|(r, _)| r.start < e && s < r.end) {
                    edits.push((s..e, Vec::new()));
                }
            }
        }
    }
    splice(bytes, edits).ok_or_else(|| "overlapping edits".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_words() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(encoded_words("ab", UTF_8), "=?UTF-8?B?YWI=?=");
        assert_eq!(base64_body(b"Man", b"xxxx\r\n"), b"TWFu\r\n");
        assert_eq!(base64_body(b"Man", b"xxxx"), b"TWFu");
        assert_eq!(quoted_printable("a=b \r\n電".as_bytes(), b"x\r\n"), b"a=3Db=20\r\n=E9=9B=BB");
        let long = quoted_printable(&[b'x'; 100], b"");
        assert!(long.split(|&b| b == b'\n').all(|l| l.len() <= 77));
    }
}
