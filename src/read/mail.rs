//! E-mail (`.eml`, `message/rfc822`): headers, bodies and attachments.
//!
//! mail-parser finds the MIME structure (parts, their headers and byte offsets); the text is
//! decoded here from the raw bytes, because Japanese mail breaks the rules in ways a generic
//! parser does not repair:
//!
//! - headers: RFC 2047 encoded words in any charset, with adjacent words of one charset joined
//!   *as bytes* before decoding (mailers split one multi-byte character across two words), and
//!   raw 8-bit (UTF-8, Shift_JIS, EUC-JP) or raw `ESC $ B` (ISO-2022-JP) bytes read as such;
//!   each header worth scanning is one segment at `{"header": NAME}`, labelled with its name;
//!   `Message-ID`, `References`, MIME bookkeeping and signatures are not scanned;
//! - bodies: every `text/plain` and `text/html` part that is not an attachment, decoded from
//!   its transfer encoding and charset (sniffed when none is declared), located by line and
//!   column within the decoded body; HTML goes through the markup reader;
//! - attachments (and nested `message/rfc822` mails) are read as their own formats through
//!   [`super::archive::read_member_bytes`], like zip members: `member` is the attachment's file
//!   name, the part size, unpacked-byte budget and nesting depth apply, and names are scanned.
//!
//! A mail whose multipart structure is not closed (a truncated file) is an error for that
//! file; nothing of it is reported as inspected.

use std::borrow::Cow;

use encoding_rs::Encoding;
use mail_parser::{HeaderName, Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::{archive, encoding, markup, Ctx, Outcome, ReadError};
use crate::segment::{Location, Origin, Segment};

/// Headers never scanned: identifiers, MIME bookkeeping, signatures and dates.
pub(crate) fn skipped_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "message-id"
            | "references"
            | "in-reply-to"
            | "resent-message-id"
            | "content-type"
            | "content-transfer-encoding"
            | "content-id"
            | "content-disposition"
            | "content-md5"
            | "mime-version"
            | "date"
            | "resent-date"
            | "dkim-signature"
            | "x-google-dkim-signature"
            | "domainkey-signature"
            | "thread-index"
    ) || n.starts_with("arc-")
        || n.starts_with("x-ms-exchange-")
        || n.starts_with("x-microsoft-")
        || n.starts_with("x-forefront-")
}

/// Whether the start of a file reads as an Internet message: header lines (or their
/// continuations) up to the first blank line, two or more of them well-known mail headers.
pub fn looks_like_mail(head: &[u8]) -> bool {
    let head = &head[..head.len().min(16 << 10)];
    let mut known = 0;
    let mut lines = 0;
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return known >= 2 && lines > 0;
        }
        lines += 1;
        if line[0] == b' ' || line[0] == b'\t' {
            if lines == 1 {
                return false;
            }
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else { return false };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_graphic()) {
            return false;
        }
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "from" | "to" | "cc" | "subject" | "date" | "message-id" | "received" | "mime-version" | "return-path"
        ) {
            known += 1;
        }
    }
    // The whole sample is headers: a header-only mail when the file is that short.
    known >= 2 && lines > 0 && head.len() < 16 << 10
}

/// Reads an e-mail held in memory.
pub fn read(bytes: &[u8], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) -> Result<Outcome, ReadError> {
    let parsed = std::panic::catch_unwind(|| MessageParser::default().parse(bytes)).map_err(|p| {
        super::limit::rethrow(p);
        ReadError::Invalid("e-mail: the parser failed on this message".into())
    })?;
    let Some(message) = parsed else {
        return Err(ReadError::Invalid("e-mail: no headers found, not an e-mail".into()));
    };
    check_closed(&message, bytes)?;
    let raw = message.raw_message();
    // Subject and bodies, kept (capped) as context for attached images.
    let mut context = crate::media::ContextText::default();
    // Headers of the message itself.
    for h in message.parts[0].headers() {
        let name = header_name(&h.name);
        if skipped_header(&name) {
            continue;
        }
        let value = raw.get(h.offset_start as usize..h.offset_end as usize).unwrap_or_default();
        let text = decode_header(value);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if name.eq_ignore_ascii_case("subject") {
            context.push(text);
        }
        let mut seg = Segment::new(text.to_string(), Origin::Fixed(Location::Header { header: name.clone() }));
        seg.label = Some(name);
        emit(&seg);
    }
    let mut attachment_no = 0;
    for part in &message.parts {
        let is_body_text = is_body_text(part, raw);
        match &part.body {
            PartType::Multipart(_) => {}
            _ if is_body_text => body(part, raw, ctx, &mut |seg: &Segment| {
                context.push(&seg.text);
                emit(seg);
            }),
            _ => {
                attachment_no += 1;
                let outer = std::mem::replace(&mut ctx.context, context.0.clone());
                attachment(part, raw, attachment_no, ctx, emit);
                ctx.context = outer;
            }
        }
    }
    Ok(Outcome::Document { format: "eml", problems: Vec::new() })
}

/// The header's name: the usual spelling for the headers mail-parser knows (`From` for
/// `FROM:`), else as written.
pub(crate) fn header_name(name: &HeaderName) -> String {
    match name {
        HeaderName::Other(n) => n.to_string(),
        n => n.as_static_str().to_string(),
    }
}

/// A multipart whose closing delimiter is missing means the file was cut short.
fn check_closed(message: &Message, raw: &[u8]) -> Result<(), ReadError> {
    for part in &message.parts {
        if let PartType::Multipart(_) = part.body {
            let Some(boundary) = part.content_type().and_then(|c| c.attribute("boundary")) else { continue };
            let mut close = Vec::with_capacity(boundary.len() + 4);
            close.extend_from_slice(b"--");
            close.extend_from_slice(boundary.as_bytes());
            close.extend_from_slice(b"--");
            let from = (part.offset_body as usize).min(raw.len());
            if memchr::memmem::find(&raw[from..], &close).is_none() {
                return Err(ReadError::Invalid(
                    "e-mail: truncated or malformed (a multipart part is never closed), not inspected".into(),
                ));
            }
        }
    }
    Ok(())
}

/// The body bytes of a part, transfer encoding undone.
pub(crate) fn part_bytes<'a>(part: &'a MessagePart, raw: &'a [u8]) -> Cow<'a, [u8]> {
    match &part.body {
        PartType::Binary(b) | PartType::InlineBinary(b) => Cow::Borrowed(b.as_ref()),
        PartType::Message(m) if part.encoding != mail_parser::Encoding::None => Cow::Borrowed(m.raw_message()),
        _ => {
            let start = (part.offset_body as usize).min(raw.len());
            let end = (part.offset_end as usize).clamp(start, raw.len());
            let body = &raw[start..end];
            match part.encoding {
                mail_parser::Encoding::Base64 => Cow::Owned(base64(body)),
                mail_parser::Encoding::QuotedPrintable => Cow::Owned(quoted_printable(body, false)),
                mail_parser::Encoding::None => Cow::Borrowed(body),
            }
        }
    }
}

fn body(part: &MessagePart, raw: &[u8], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) {
    let bytes = part_bytes(part, raw);
    if bytes.len() as u64 > ctx.opts.max_part_size {
        ctx.problem("", format!("a body larger than {} MiB, not inspected", ctx.opts.max_part_size >> 20));
        return;
    }
    let charset = part.content_type().and_then(|c| c.attribute("charset")).and_then(charset);
    let text = match charset {
        Some(enc) => super::decode_all(&bytes, enc),
        None => match encoding::sniff(&bytes, true) {
            encoding::Sniff::Text(d) => super::decode_all(&bytes[d.bom..], d.encoding),
            encoding::Sniff::Binary(_) => String::from_utf8_lossy(&bytes).into_owned(),
        },
    };
    if matches!(part.body, PartType::Html(_)) {
        markup::read(&text, true, ctx.is_header, emit);
    } else {
        emit(&Segment::new(text, Origin::Text { byte: 0, line: 1, column: 1 }));
    }
}

/// Whether a part is body text (text or HTML, not an attachment).
pub(crate) fn is_body_text(part: &MessagePart, raw: &[u8]) -> bool {
    matches!(part.body, PartType::Text(_) | PartType::Html(_))
        && file_name(part, raw).is_none()
        && !part.content_disposition().is_some_and(|d| d.is_attachment())
}

/// The member name of attachment number `no` (1-based): its file name, else `attachment-N`
/// with an extension from its type; nested mails end in `.eml`.
pub(crate) fn attachment_name(part: &MessagePart, raw: &[u8], no: usize) -> String {
    let is_message = matches!(part.body, PartType::Message(_))
        || part.content_type().is_some_and(|c| {
            c.ctype().eq_ignore_ascii_case("message") && c.subtype().is_some_and(|s| s.eq_ignore_ascii_case("rfc822"))
        });
    let mut name = file_name(part, raw).unwrap_or_else(|| {
        let ext = match part.content_type() {
            _ if is_message => ".eml",
            Some(c) => match c.subtype().map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("csv") => ".csv",
                Some("html") => ".html",
                Some("plain") => ".txt",
                Some("xml") => ".xml",
                Some("json") => ".json",
                _ => "",
            },
            None => "",
        };
        format!("attachment-{no}{ext}")
    });
    // A nested mail is read as one whatever its name says.
    if is_message && !name.to_ascii_lowercase().ends_with(".eml") {
        name.push_str(".eml");
    }
    name.replace('/', "_")
}

fn attachment(part: &MessagePart, raw: &[u8], no: usize, ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) {
    let name = attachment_name(part, raw, no);
    let mut name_seg = Segment::new(name.clone(), Origin::Fixed(Location::FileName { file_name: true }));
    name_seg.member = Some(name.clone());
    emit(&name_seg);
    let bytes = part_bytes(part, raw);
    let size = bytes.len() as u64;
    if size > ctx.opts.max_part_size {
        ctx.problem(&name, format!("larger than {} MiB unpacked, not inspected", ctx.opts.max_part_size >> 20));
        return;
    }
    if size > ctx.budget {
        ctx.problem(
            &name,
            format!("unpacked-size budget of {} MiB for this file used up, not inspected", ctx.opts.max_unpacked >> 20),
        );
        return;
    }
    ctx.budget -= size;
    archive::read_member_bytes(&name, &bytes, ctx, emit);
}

/// The attachment's file name: `filename` of Content-Disposition, else `name` of Content-Type,
/// decoded from RFC 2231 or RFC 2047 (mail-parser), or from raw 8-bit bytes and split encoded
/// words (here) when mail-parser's reading is damaged.
fn file_name(part: &MessagePart, raw: &[u8]) -> Option<String> {
    let parsed = part.attachment_name().map(str::to_string);
    if let Some(n) = &parsed {
        if !n.contains(['\u{FFFD}', '\u{1b}']) && !n.trim().is_empty() {
            return Some(n.trim().to_string());
        }
    }
    for h in part.headers() {
        let param = match h.name {
            HeaderName::ContentDisposition => "filename",
            HeaderName::ContentType => "name",
            _ => continue,
        };
        let value = raw.get(h.offset_start as usize..h.offset_end as usize).unwrap_or_default();
        if let Some(v) = quoted_param(value, param.as_bytes()) {
            let n = decode_header(v);
            if !n.trim().is_empty() {
                return Some(n.trim().to_string());
            }
        }
    }
    parsed.filter(|n| !n.trim().is_empty())
}

/// The raw bytes of `param="…"` (or `param=token`) in a header value.
fn quoted_param<'a>(value: &'a [u8], param: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i + param.len() < value.len() {
        let at = i + memchr::memmem::find(&value[i..], param)?;
        i = at + param.len();
        let before_ok = at == 0 || matches!(value[at - 1], b';' | b' ' | b'\t' | b'\n' | b'\r');
        let mut j = i;
        while j < value.len() && matches!(value[j], b' ' | b'\t') {
            j += 1;
        }
        if !before_ok || value.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < value.len() && matches!(value[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if value.get(j) == Some(&b'"') {
            let rest = &value[j + 1..];
            let end = memchr::memchr(b'"', rest).unwrap_or(rest.len());
            return Some(&rest[..end]);
        }
        let rest = &value[j..];
        let end = rest.iter().position(|&b| matches!(b, b';' | b'\r' | b'\n')).unwrap_or(rest.len());
        return Some(&rest[..end]);
    }
    None
}

/// The encoding a MIME charset label names (with the aliases Japanese mailers use).
pub fn charset(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_matches('"');
    // RFC 2231 language suffix: `ISO-2022-JP*ja`.
    let l = l.split('*').next().unwrap_or(l).to_ascii_lowercase();
    if let Some(enc) = Encoding::for_label(l.as_bytes()) {
        return Some(enc);
    }
    match l.as_str() {
        "cp932" | "x-ms-cp932" | "ms_kanji" | "shift-jis" | "x-shift_jis" | "sjis-open" | "sjis-win" => {
            Some(encoding_rs::SHIFT_JIS)
        }
        "eucjp" | "euc-jp-ms" | "eucjp-win" | "cp51932" => Some(encoding_rs::EUC_JP),
        "utf8" => Some(encoding_rs::UTF_8),
        l if l.starts_with("iso-2022-jp") || l == "cp50220" || l == "cp50221" || l == "cp50222" => {
            Some(encoding_rs::ISO_2022_JP)
        }
        _ => None,
    }
}

/// Decodes raw bytes that carry no charset label: UTF-8, ISO-2022-JP when they hold escape
/// sequences, Shift_JIS or EUC-JP when those decode cleanly, else windows-1252.
fn decode_unlabelled(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        if !s.contains('\u{1b}') {
            return s.to_string();
        }
        let (t, _) = encoding_rs::ISO_2022_JP.decode_without_bom_handling(bytes);
        return t.into_owned();
    }
    for enc in [encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP] {
        if let Some(t) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            return t.into_owned();
        }
    }
    let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    t.into_owned()
}

/// One RFC 2047 encoded word at the start of `s`: (charset, decoded bytes, length).
fn encoded_word(s: &[u8]) -> Option<(&[u8], Vec<u8>, usize)> {
    let rest = s.strip_prefix(b"=?")?;
    let q1 = memchr::memchr(b'?', rest)?;
    let charset = &rest[..q1];
    if charset.is_empty() || charset.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let enc = *rest.get(q1 + 1)?;
    if rest.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let text_start = q1 + 3;
    let end = memchr::memmem::find(&rest[text_start..], b"?=")? + text_start;
    let text = &rest[text_start..end];
    if text.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let bytes = match enc {
        b'B' | b'b' => base64(text),
        b'Q' | b'q' => quoted_printable(text, true),
        _ => return None,
    };
    Some((charset, bytes, 2 + end + 2))
}

/// Decodes a raw header value: unfolds it, decodes encoded words (adjacent words of one
/// charset joined as bytes first, so a character split between two words survives) and reads
/// unencoded bytes in whatever encoding they are in.
pub fn decode_header(raw: &[u8]) -> String {
    // Unfold.
    let mut v: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' | b'\n' => {}
            b => v.push(b),
        }
        i += 1;
    }
    let mut out = String::with_capacity(v.len());
    let mut literal: Vec<u8> = Vec::new();
    // Pending encoded bytes and their charset.
    let mut pending: Option<(Vec<u8>, Vec<u8>)> = None;
    let flush_pending = |pending: &mut Option<(Vec<u8>, Vec<u8>)>, out: &mut String| {
        if let Some((cs, bytes)) = pending.take() {
            let label = String::from_utf8_lossy(&cs).into_owned();
            match charset(&label) {
                Some(enc) if enc == encoding_rs::ISO_2022_JP => {
                    out.push_str(&enc.decode_without_bom_handling(&join_iso_2022_jp(&bytes)).0)
                }
                Some(enc) => out.push_str(&enc.decode_without_bom_handling(&bytes).0),
                None => out.push_str(&decode_unlabelled(&bytes)),
            }
        }
    };
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'=' && v.get(i + 1) == Some(&b'?') {
            if let Some((cs, bytes, len)) = encoded_word(&v[i..]) {
                // Whitespace between two encoded words is dropped (RFC 2047 §6.2).
                let only_space = literal.iter().all(|b| *b == b' ' || *b == b'\t');
                if !(pending.is_some() && only_space) {
                    flush_pending(&mut pending, &mut out);
                    out.push_str(&decode_unlabelled(&literal));
                }
                literal.clear();
                match &mut pending {
                    Some((pcs, pbytes)) if pcs.eq_ignore_ascii_case(cs) => pbytes.extend_from_slice(&bytes),
                    _ => {
                        flush_pending(&mut pending, &mut out);
                        pending = Some((cs.to_vec(), bytes));
                    }
                }
                i += len;
                continue;
            }
        }
        literal.push(v[i]);
        i += 1;
    }
    flush_pending(&mut pending, &mut out);
    out.push_str(&decode_unlabelled(&literal));
    out
}

/// Drops the switch back to ASCII that ends one ISO-2022-JP encoded word when the next word
/// switches again at once: the WHATWG decoder reads two escapes in a row as an error.
fn join_iso_2022_jp(bytes: &[u8]) -> Cow<'_, [u8]> {
    let redundant = |w: &[u8]| w[0] == 0x1b && w[1] == b'(' && matches!(w[2], b'B' | b'J') && w[3] == 0x1b;
    if !bytes.windows(4).any(redundant) {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if i + 4 <= bytes.len() && redundant(&bytes[i..i + 4]) {
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(out)
}

/// Base64, forgiving: characters outside the alphabet are skipped, decoding stops at `=`.
fn base64(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Quoted-printable (`header`: the RFC 2047 Q form, where `_` is a space).
fn quoted_printable(s: &[u8], header: bool) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'=' {
            // Soft line break.
            if s.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if s.get(i + 1) == Some(&b'\r') && s.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if let (Some(h), Some(l)) = (s.get(i + 1).and_then(|&b| hex(b)), s.get(i + 2).and_then(|&b| hex(b))) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
            out.push(c);
        } else if header && c == b'_' {
            out.push(b' ');
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_encoded_words_join_as_bytes() {
        // 山田 split inside 山 across two UTF-8 words.
        assert_eq!(decode_header(b"=?UTF-8?B?5bE=?= =?UTF-8?B?seeUsA==?= <a@example.jp>"), "山田 <a@example.jp>");
        assert_eq!(decode_header(b"=?iso-2022-jp?B?GyRCOzNFRBsoQg==?="), "山田");
        assert_eq!(decode_header(b"=?utf-8?Q?caf=C3=A9_au_lait?="), "café au lait");
        // Two ISO-2022-JP words, each back in ASCII at its end (Python's Header does this).
        assert_eq!(decode_header(b"=?iso-2022-jp?b?GyRCOzMbKEI=?=\r\n =?iso-2022-jp?b?GyRCRUQbKEI=?="), "山田");
        // Unencoded text between words stays; folding goes.
        assert_eq!(decode_header(b"Re: =?UTF-8?B?5bGx?=\r\n =?UTF-8?B?55Sw?= san"), "Re: 山田 san");
        // Raw Shift_JIS and raw ISO-2022-JP bytes.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("佐藤");
        assert_eq!(decode_header(&sjis), "佐藤");
        assert_eq!(decode_header(b"\x1b$B;3ED\x1b(B"), "山田");
        // Not an encoded word: left as written.
        assert_eq!(decode_header(b"=?broken"), "=?broken");
    }

    #[test]
    fn mail_is_recognised_by_its_headers() {
        assert!(looks_like_mail(b"From: a@example.jp\r\nTo: b@example.jp\r\nSubject: x\r\n\r\nbody"));
        assert!(looks_like_mail(b"Received: from x\n\tby y\nDate: Mon\nFrom: a\n\nbody"));
        assert!(!looks_like_mail(b"Subject: only one\n\nbody"));
        assert!(!looks_like_mail(b"name,phone\nyamada,03-1234-5678\n"));
        assert!(!looks_like_mail(b"From: a\nthis is prose, not a header\nTo: b\n\n"));
    }

    #[test]
    fn header_names_are_canonical_and_rfc_2231_shift_jis_names_decode() {
        let mail = b"FROM: a@example.jp\r\nBcc: b@example.jp\r\nX-Note: memo\r\nMessage-ID: <x@y>\r\n\
            Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n\
            --x\r\nContent-Type: text/plain\r\n\
            Content-Disposition: attachment; filename*=shift_jis''%96%BC%95%EB.txt\r\n\r\nmemo\r\n--x--\r\n";
        let opts = super::super::ReadOptions::default();
        let is_header = |_: &[&str]| false;
        let mut ctx = Ctx::new(&opts, &is_header);
        let mut segs = Vec::new();
        read(mail, &mut ctx, &mut |s: &Segment| segs.push(s.clone())).unwrap();
        let headers: Vec<_> = segs
            .iter()
            .filter_map(|s| match &s.origin {
                Origin::Fixed(Location::Header { header }) => Some(header.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(headers, ["From", "Bcc", "X-Note"]);
        assert!(segs.iter().any(|s| s.member.is_none() && s.text.trim() == "hi"), "{segs:?}");
        assert!(segs.iter().any(|s| s.member.as_deref() == Some("名簿.txt") && s.text.starts_with("memo")));
    }

    #[test]
    fn transfer_encodings() {
        assert_eq!(base64(b"5bGx\r\n55Sw"), "山田".as_bytes());
        assert_eq!(quoted_printable(b"a=3Db=\r\nc", false), b"a=bc");
    }
}
