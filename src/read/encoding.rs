//! Which encoding a text file is in.
//!
//! chardetng alone misreads short Japanese files (a 4-byte Shift_JIS 山田 comes out as
//! windows-1250; half-width katakana as ISO-8859-5) and never sees UTF-16 without a BOM, so the
//! order here is: BOM → UTF-16 by NUL pattern or by plausibility → ISO-2022-JP escapes → strict
//! UTF-8 → strict Shift_JIS (CP932) and EUC-JP → chardetng with the `jp` TLD as tie-breaker →
//! lossy fallback (reported as uncertain).

use encoding_rs::{DecoderResult, Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};

/// The outcome of detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The encoding to decode with.
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip (0 when none).
    pub bom: usize,
    /// `false` when no candidate decoded cleanly and a lossy guess was taken.
    pub certain: bool,
}

/// What a file looks like from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniff {
    /// Text in this encoding.
    Text(Detected),
    /// Not text: a known binary format (its name) or control bytes.
    Binary(&'static str),
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "ole"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xFF\xD8\xFF", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x7FELF", "elf"),
    (b"\x1F\x8B", "gzip"),
    (b"BZh", "bzip2"),
    (b"7z\xBC\xAF\x27\x1C", "7z"),
    (b"Rar!\x1A\x07", "rar"),
    (b"MZ", "exe"),
    (b"RIFF", "riff"),
    (b"ID3", "mp3"),
    (b"fLaC", "flac"),
    (b"OggS", "ogg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"SQLite format 3\x00", "sqlite"),
];

/// Decides whether `sample` (the start of a file, or all of it when `complete`) is text and
/// in which encoding.
pub fn sniff(sample: &[u8], complete: bool) -> Sniff {
    if let Some((enc, bom)) = Encoding::for_bom(sample) {
        return Sniff::Text(Detected { encoding: enc, bom, certain: true });
    }
    for (magic, name) in MAGIC {
        if sample.starts_with(magic) {
            return Sniff::Binary(name);
        }
    }
    if let Some(enc) = utf16_without_bom(sample) {
        return Sniff::Text(Detected { encoding: enc, bom: 0, certain: true });
    }
    let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)).count();
    if sample.contains(&0) || controls * 20 > sample.len().max(1) {
        return Sniff::Binary("binary");
    }
    Sniff::Text(legacy_or_utf8(sample, complete))
}

fn utf16_without_bom(s: &[u8]) -> Option<&'static Encoding> {
    let n = s.len() & !1;
    if n < 4 {
        return None;
    }
    let pairs = n / 2;
    let plausible = |u: u16| matches!(u, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xFF | 0x3000..=0x30FF | 0x4E00..=0x9FFF | 0xFF01..=0xFF9F);
    let share =
        |le: bool| {
            let units = s[..n].chunks(2).map(|p| {
                if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            });
            units.filter(|&u| plausible(u)).count() * 100 / pairs
        };
    if !s.contains(&0) && simdutf8::basic::from_utf8(s).is_ok() {
        return None;
    }
    let even_nul = s[..n].chunks(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    let odd_nul = s[..n].chunks(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    // Mostly ASCII text in UTF-16: one NUL per code unit, always on the same side.
    if odd_nul * 10 >= pairs * 3 && even_nul * 20 < pairs && share(true) >= 90 {
        return Some(UTF_16LE);
    }
    if even_nul * 10 >= pairs * 3 && odd_nul * 20 < pairs && share(false) >= 90 {
        return Some(UTF_16BE);
    }
    // Japanese-only UTF-16 has no NULs: accept it when it is not UTF-8 and nearly every unit
    // is a plausible Japanese or ASCII character.
    if simdutf8::basic::from_utf8(s).is_ok() || s.contains(&0x1B) {
        return None;
    }
    for (enc, le) in [(UTF_16LE, true), (UTF_16BE, false)] {
        if share(le) >= 97 && strict_fails(SHIFT_JIS, s) && strict_fails(EUC_JP, s) {
            return Some(enc);
        }
    }
    None
}

fn strict_fails(enc: &'static Encoding, s: &[u8]) -> bool {
    !decodes_cleanly(enc, s, false)
}

/// Decodes `s` without replacement; a sequence cut at the end is fine unless `complete`.
fn decodes_cleanly(enc: &'static Encoding, s: &[u8], complete: bool) -> bool {
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(s.len() * 3 + 16);
    let (res, _) = dec.decode_to_string_without_replacement(s, &mut out, complete);
    !matches!(res, DecoderResult::Malformed(_, _))
}

fn legacy_or_utf8(s: &[u8], complete: bool) -> Detected {
    let sure = |encoding| Detected { encoding, bom: 0, certain: true };
    let is_7bit = s.iter().all(|&b| b < 0x80);
    if is_7bit && s.windows(3).any(|w| matches!(w, [0x1B, b'$', b'B' | b'@'] | [0x1B, b'(', b'J' | b'I'])) {
        return sure(ISO_2022_JP);
    }
    if is_7bit {
        return sure(UTF_8);
    }
    match simdutf8::compat::from_utf8(s) {
        Ok(_) => return sure(UTF_8),
        // A sample cut inside a multi-byte character is still UTF-8.
        Err(e) if !complete && e.error_len().is_none() => return sure(UTF_8),
        Err(_) => {}
    }
    let sjis = decodes_cleanly(SHIFT_JIS, s, complete);
    let euc = decodes_cleanly(EUC_JP, s, complete);
    match (sjis, euc) {
        (true, false) => sure(SHIFT_JIS),
        (false, true) => sure(EUC_JP),
        (true, true) => {
            // Both decode: prefer the one whose text looks like Japanese (hiragana, common
            // punctuation); chardetng with the jp TLD decides what is left.
            let a = japanese_score(SHIFT_JIS, s);
            let b = japanese_score(EUC_JP, s);
            if (a - b).abs() > 0.05 {
                return sure(if a > b { SHIFT_JIS } else { EUC_JP });
            }
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
            det.feed(s, complete);
            let g = det.guess(Some(b"jp"), chardetng::Utf8Detection::Allow);
            sure(if g == EUC_JP { EUC_JP } else { SHIFT_JIS })
        }
        (false, false) => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
            det.feed(s, complete);
            Detected { encoding: det.guess(Some(b"jp"), chardetng::Utf8Detection::Allow), bom: 0, certain: false }
        }
    }
}

/// Share of characters typical of Japanese text: hiragana, katakana, CJK punctuation, ASCII.
fn japanese_score(enc: &'static Encoding, s: &[u8]) -> f32 {
    let (text, _) = enc.decode_without_bom_handling(s);
    let mut total = 0usize;
    let mut good = 0.0f32;
    for c in text.chars() {
        total += 1;
        good += match c as u32 {
            0x3041..=0x3096 => 1.5,
            0x30A1..=0x30FA | 0x30FC | 0x3001 | 0x3002 | 0x300C | 0x300D | 0xFF08 | 0xFF09 | 0xFF1A => 1.2,
            0x20..=0x7E | 0x0A | 0x0D | 0x09 | 0xFF01..=0xFF5E | 0x2212 | 0x3000..=0x303F => 1.0,
            // EUC-JP read as Shift_JIS turns into runs of half-width katakana.
            0xFF61..=0xFF9F => 0.6,
            0x4E00..=0x9FFF => 0.8,
            _ => 0.0,
        };
    }
    if total == 0 {
        0.0
    } else {
        good / total as f32
    }
}

/// The encoding's name as reports show it.
pub fn name(enc: &'static Encoding) -> &'static str {
    if enc == SHIFT_JIS {
        "Shift_JIS (CP932)"
    } else {
        enc.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc_of(bytes: &[u8]) -> &'static Encoding {
        match sniff(bytes, true) {
            Sniff::Text(d) => d.encoding,
            Sniff::Binary(b) => panic!("binary: {b}"),
        }
    }

    fn sjis(s: &str) -> Vec<u8> {
        SHIFT_JIS.encode(s).0.into_owned()
    }

    #[test]
    fn short_cp932() {
        assert_eq!(enc_of(&sjis("山田")), SHIFT_JIS);
        assert_eq!(enc_of(&sjis("様")), SHIFT_JIS);
        assert_eq!(enc_of(&sjis("氏名,電話番号\r\n山田太郎,03-1234-5678\r\n佐藤花子,090-1234-5678\r\n")), SHIFT_JIS);
    }

    #[test]
    fn half_width_katakana_cp932() {
        assert_eq!(enc_of(&sjis("ﾔﾏﾀﾞ ﾀﾛｳ 1234567 ﾐﾂﾋﾞｼ")), SHIFT_JIS);
        assert_eq!(enc_of(&sjis("ｶﾀｶﾅ 山田")), SHIFT_JIS);
    }

    #[test]
    fn euc_and_iso2022() {
        let e = EUC_JP.encode("お客様の電話番号は03-1234-5678です。").0.into_owned();
        assert_eq!(enc_of(&e), EUC_JP);
        let e = EUC_JP.encode("お客様の携帯電話：０９０−８７６５−４３２１\n").0.into_owned();
        assert_eq!(enc_of(&e), EUC_JP);
        let j = ISO_2022_JP.encode("山田太郎様、お世話になっております。").0.into_owned();
        assert_eq!(enc_of(&j), ISO_2022_JP);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let le: Vec<u8> = "氏名\t電話\r\nYamada\t03-1234-5678\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(enc_of(&le), UTF_16LE);
        let jp_only: Vec<u8> = "山田太郎様お世話になっております".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(enc_of(&jp_only), UTF_16LE);
        let be: Vec<u8> = "電話番号 03-1234-5678".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(enc_of(&be), UTF_16BE);
        let mut bom = vec![0xFF, 0xFE];
        bom.extend_from_slice(&le);
        assert!(matches!(sniff(&bom, true), Sniff::Text(Detected { encoding, bom: 2, .. }) if encoding == UTF_16LE));
    }

    #[test]
    fn utf8_and_binary() {
        assert_eq!(enc_of("山田太郎".as_bytes()), UTF_8);
        assert_eq!(enc_of(b"plain ascii"), UTF_8);
        assert!(matches!(sniff(b"%PDF-1.7\n...", true), Sniff::Binary("pdf")));
        assert!(matches!(sniff(&[0u8, 1, 2, 3, 0, 0, 0, 5, 6, 7, 8, 9], true), Sniff::Binary(_)));
        // A sample cut in the middle of a UTF-8 character is still UTF-8.
        let s = "山田太郎".as_bytes();
        assert!(matches!(sniff(&s[..4], false), Sniff::Text(Detected { encoding, .. }) if encoding == UTF_8));
    }
}
