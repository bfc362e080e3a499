//! Text normalisation for detection.
//!
//! Detectors match against a folded copy of each segment: full-width ASCII becomes ASCII,
//! the many dash look-alikes become `-`, ideographic and other spaces become a plain space,
//! half-width katakana becomes full-width, and a few compatibility blocks (℡, ㈱, ㍻ …) are
//! NFKC-folded. Enclosed numbers such as ① are left alone on purpose: folding them would glue
//! stray digits onto phone numbers.
//!
//! Every fold keeps a map back to the original, so a match on the folded text is reported and
//! redacted on the characters the document really holds.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// A segment's text as detectors see it, plus the way back to the original offsets.
#[derive(Debug)]
pub struct Normalized<'a> {
    /// The folded text.
    pub text: Cow<'a, str>,
    /// Sorted `(normalised offset, original offset, atomic)` anchors. Between anchors the two
    /// texts advance byte for byte; an atomic anchor covers one folded character whose inside
    /// has no counterpart in the original.
    anchors: Vec<Anchor>,
}

#[derive(Debug, Clone, Copy)]
struct Anchor {
    norm: usize,
    orig: usize,
    atomic: bool,
}

impl<'a> Normalized<'a> {
    /// Folds `text`. When nothing needs folding the text is borrowed, not copied.
    pub fn new(text: &'a str) -> Normalized<'a> {
        match first_candidate(text) {
            None => Normalized { text: Cow::Borrowed(text), anchors: Vec::new() },
            Some(start) => fold_from(text, start),
        }
    }

    /// Maps the start of a match on the folded text to the original text.
    pub fn orig_start(&self, pos: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.norm <= pos);
        if i == 0 {
            return pos;
        }
        let a = self.anchors[i - 1];
        if a.atomic {
            a.orig
        } else {
            a.orig + (pos - a.norm)
        }
    }

    /// Maps the (exclusive) end of a match on the folded text to the original text.
    pub fn orig_end(&self, pos: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.norm < pos);
        if i == 0 {
            return pos;
        }
        let a = self.anchors[i - 1];
        if a.atomic {
            // The end falls inside or at the end of a folded character: take the whole
            // original character, which ends where the next anchor begins.
            self.anchors.get(i).map_or(a.orig, |next| next.orig)
        } else {
            a.orig + (pos - a.norm)
        }
    }
}

/// Index of the first byte that may start a character needing a fold, if any.
fn first_candidate(text: &str) -> Option<usize> {
    next_candidate(text.as_bytes(), 0)
}

/// Whether the character starting at `i` (a lead byte) may need a fold. Kanji (E4–E9), most
/// kana and ASCII never do; the checks stay on bytes so the common case is a tight loop.
#[inline]
fn may_fold(b: &[u8], i: usize) -> bool {
    match b[i] {
        0xC2 | 0xE2 | 0xEF => true,
        0xE3 => {
            let b1 = b.get(i + 1).copied().unwrap_or(0);
            let b2 = b.get(i + 2).copied().unwrap_or(0);
            // U+3000 space, U+301C wave dash, U+30FC long vowel, U+3200–U+33FF.
            (b1 == 0x80 && (b2 == 0x80 || b2 == 0x9C)) || (b1 == 0x83 && b2 == 0xBC) || (0x88..=0x8F).contains(&b1)
        }
        _ => false,
    }
}

/// The next byte at or after `from` that may start a character needing a fold.
///
/// Blocks of 32 bytes are first tested with a branch-free check the compiler vectorises
/// (C2/E2/EF lead bytes, or the E3 sequences of U+3000, U+301C, U+30FC, U+3200–U+33FF); only
/// blocks that pass are walked byte
/// by byte. Lead bytes cannot be continuation bytes, so the block test needs no alignment.
fn next_candidate(b: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut i = from;
    while i + BLOCK + 1 < b.len() {
        let block = &b[i..i + BLOCK + 2];
        let mut hit = false;
        for k in 0..BLOCK {
            let (c, n, m) = (block[k], block[k + 1], block[k + 2]);
            let e3 = (n == 0x80 && (m == 0x80 || m == 0x9C)) | (n == 0x83 && m == 0xBC) | ((n & 0xF8) == 0x88);
            hit |= (c == 0xC2) | (c == 0xE2) | (c == 0xEF) | ((c == 0xE3) & e3);
        }
        if hit {
            if let Some(p) = (i..i + BLOCK).find(|&p| may_fold(b, p)) {
                return Some(p);
            }
        }
        i += BLOCK;
    }
    (i..b.len()).find(|&p| may_fold(b, p))
}

fn is_digit(c: Option<char>) -> bool {
    matches!(c, Some('0'..='9' | '０'..='９'))
}

/// What one character folds to.
enum Fold {
    Keep,
    Char(char),
    Str(String),
    /// A half-width voiced/semi-voiced sound mark to combine with the previous character.
    Combine(char),
}

fn fold_char(c: char, prev: Option<char>, next: Option<char>) -> Fold {
    let u = c as u32;
    match u {
        0x00..=0x7F => Fold::Keep,
        0xFF01..=0xFF5E => Fold::Char(char::from_u32(u - 0xFEE0).unwrap_or(c)),
        0x00A0 | 0x2002..=0x200A | 0x3000 | 0x202F | 0x205F => Fold::Char(' '),
        0x200B | 0xFEFF => Fold::Str(String::new()),
        0x2010..=0x2015 | 0x2212 | 0x2043 | 0xFE58 | 0xFE63 => Fold::Char('-'),
        0x301C => Fold::Char('~'),
        // Long-vowel marks and box-drawing lines are dashes only between digits.
        0x30FC | 0xFF70 | 0x2500 | 0x2501 if is_digit(prev) && is_digit(next) => Fold::Char('-'),
        0xFF70 => Fold::Char('ー'),
        0xFF9E => Fold::Combine('\u{3099}'),
        0xFF9F => Fold::Combine('\u{309A}'),
        0xFF61..=0xFF9D | 0xFFE0..=0xFFEE => nfkc(c),
        0x2100..=0x214F | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F => nfkc(c),
        // Enclosed CJK and CJK compatibility (㈱ ㍻ ㎡), but not circled numbers.
        0x3251..=0x325F | 0x32B1..=0x32BF => Fold::Keep,
        0x3200..=0x33FF => nfkc(c),
        _ => Fold::Keep,
    }
}

fn nfkc(c: char) -> Fold {
    let mut it = std::iter::once(c).nfkc();
    let first = it.next();
    let second = it.next();
    match (first, second) {
        (Some(f), None) if f == c => Fold::Keep,
        (Some(f), None) => Fold::Char(f),
        _ => Fold::Str(std::iter::once(c).nfkc().collect()),
    }
}

fn fold_from(text: &str, start: usize) -> Normalized<'_> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut anchors: Vec<Anchor> = Vec::new();
    // The last folded character's start in `out`, for combining sound marks.
    let mut last_fold: Option<usize> = None;
    let mut copied = 0; // bytes of `text` already handled
    let mut at = Some(start);
    while let Some(pos) = at {
        if pos > copied {
            out.push_str(&text[copied..pos]);
            last_fold = None;
        }
        let c = text[pos..].chars().next().unwrap_or('\0');
        let end = pos + c.len_utf8();
        let prev = text[..pos].chars().next_back();
        let next = text[end..].chars().next();
        let folded = match fold_char(c, prev, next) {
            Fold::Keep => None,
            Fold::Char(f) => {
                anchors.push(Anchor { norm: out.len(), orig: pos, atomic: true });
                last_fold = Some(out.len());
                out.push(f);
                anchors.push(Anchor { norm: out.len(), orig: end, atomic: false });
                copied = end;
                at = next_candidate(bytes, end);
                continue;
            }
            Fold::Str(s) => Some(s),
            Fold::Combine(mark) => {
                let composed = last_fold.and_then(|ns| {
                    let base = &out[ns..];
                    let s: String = base.chars().chain(std::iter::once(mark)).nfc().collect();
                    (s.chars().count() == 1).then_some((ns, s))
                });
                match composed {
                    Some((ns, s)) => {
                        // Merge with the previous fold: replace its output and its closing anchor.
                        out.truncate(ns);
                        out.push_str(&s);
                        anchors.pop();
                        anchors.push(Anchor { norm: out.len(), orig: end, atomic: false });
                        copied = end;
                        at = next_candidate(bytes, end);
                        continue;
                    }
                    None => Some(std::iter::once(c).nfkc().collect()),
                }
            }
        };
        match folded {
            None => {
                out.push(c);
                last_fold = None;
            }
            Some(f) => {
                anchors.push(Anchor { norm: out.len(), orig: pos, atomic: true });
                last_fold = Some(out.len());
                out.push_str(&f);
                anchors.push(Anchor { norm: out.len(), orig: end, atomic: false });
            }
        }
        copied = end;
        at = next_candidate(bytes, end);
    }
    if anchors.is_empty() {
        return Normalized { text: Cow::Borrowed(text), anchors };
    }
    out.push_str(&text[copied..]);
    Normalized { text: Cow::Owned(out), anchors }
}

/// Folds a short string (a label, a value) without keeping the map.
pub fn fold(text: &str) -> String {
    Normalized::new(text).text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(orig: &str, needle: &str) -> String {
        let n = Normalized::new(orig);
        let s = n.text.find(needle).expect("needle in folded text");
        let e = s + needle.len();
        orig[n.orig_start(s)..n.orig_end(e)].to_string()
    }

    #[test]
    fn ascii_is_borrowed() {
        let n = Normalized::new("TEL 03-1234-5678");
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert!(matches!(Normalized::new("山田太郎様").text, Cow::Borrowed(_)));
    }

    #[test]
    fn full_width_digits_and_dashes() {
        let orig = "電話：０３－１２３４－５６７８です";
        assert_eq!(fold(orig), "電話:03-1234-5678です");
        assert_eq!(roundtrip(orig, "03-1234-5678"), "０３－１２３４－５６７８");
    }

    #[test]
    fn long_vowel_between_digits_only() {
        assert_eq!(fold("03ー1234ー5678"), "03-1234-5678");
        assert_eq!(fold("コーヒー"), "コーヒー");
        assert_eq!(fold("090―1234‐5678"), "090-1234-5678");
    }

    #[test]
    fn half_width_kana_composes() {
        assert_eq!(fold("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(roundtrip("ｶﾞｯｺｳ", "ガ"), "ｶﾞ");
        assert_eq!(fold("ﾊﾟｽﾎﾟｰﾄ"), "パスポート");
    }

    #[test]
    fn compatibility_forms() {
        assert_eq!(fold("㈱サンプル"), "(株)サンプル");
        assert_eq!(fold("℡03"), "TEL03");
        assert_eq!(fold("㍼55年"), "昭和55年");
        assert_eq!(fold("①"), "①");
        assert_eq!(fold("田中　太郎"), "田中 太郎");
    }

    #[test]
    fn map_inside_expansion() {
        let orig = "x㈱y";
        let n = Normalized::new(orig);
        assert_eq!(n.text, "x(株)y");
        // "株" sits inside the expansion of ㈱: it maps to the whole original character.
        let s = n.text.find('株').unwrap();
        assert_eq!(&orig[n.orig_start(s)..n.orig_end(s + '株'.len_utf8())], "㈱");
        let y = n.text.find('y').unwrap();
        assert_eq!(&orig[n.orig_start(y)..n.orig_end(y + 1)], "y");
    }
}
