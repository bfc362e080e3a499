//! Findings as reports show them: location, category, confidence, reasons, a masked value
//! and a keyed fingerprint. The raw value is kept for `--reveal` and for redaction; it is
//! serialised only when asked for.

use hmac::{Hmac, Mac};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use sha2::Sha256;

use crate::detect::Confidence;
use crate::segment::Location;

/// One piece of personal data found in a file.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The file on disk, as reached from the command line.
    pub path: std::sync::Arc<str>,
    /// The path inside a container, if any.
    pub member: Option<String>,
    /// Where in the file.
    pub location: Location,
    /// Category id (TAXONOMY.md).
    pub category: &'static str,
    /// Rule id.
    pub detector: &'static str,
    /// Confidence band.
    pub confidence: Confidence,
    /// Score in 0–1.
    pub score: f32,
    /// Why.
    pub reasons: Vec<&'static str>,
    /// The value with most characters hidden.
    pub masked: String,
    /// Keyed hash of the normalised value.
    pub fingerprint: String,
    /// The value as the document reads. Never printed without `--reveal`.
    pub value: String,
}

/// A finding bound to the reveal switch, for serialisation.
pub struct Shown<'a> {
    /// The finding.
    pub finding: &'a Finding,
    /// Whether `value` is written.
    pub reveal: bool,
}

impl Serialize for Shown<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.finding;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("path", &*f.path)?;
        if let Some(member) = &f.member {
            m.serialize_entry("member", member)?;
        }
        m.serialize_entry("location", &f.location)?;
        m.serialize_entry("category", f.category)?;
        m.serialize_entry("detector", f.detector)?;
        m.serialize_entry("confidence", f.confidence.as_str())?;
        m.serialize_entry("score", &f.score)?;
        m.serialize_entry("reasons", &f.reasons)?;
        m.serialize_entry("masked", &f.masked)?;
        m.serialize_entry("fingerprint", &f.fingerprint)?;
        if self.reveal {
            m.serialize_entry("value", &f.value)?;
        }
        m.end()
    }
}

/// The default fingerprint key. Set your own (`--fingerprint-key-file` or `SUMI_FINGERPRINT_KEY`)
/// so that fingerprints cannot be matched against guesses by someone who knows this one.
pub const DEFAULT_KEY: &[u8] = b"sumi fingerprint v1 (default key: set SUMI_FINGERPRINT_KEY)";

/// Characters a mask keeps (in reports and in redacted copies): a value's layout, never its
/// content.
pub fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '('
            | ')'
            | '.'
            | '/'
            | ':'
            | '@'
            | '　'
            | '－'
            | '‐'
            | '（'
            | '）'
            | '・'
            | '＠'
            | ','
            | '、'
            | '_'
            | '+'
            | '＋'
            | '\t'
            | '\r'
            | '\n'
            | '．'
            | '／'
    )
}

/// The normalised value in the form fingerprints hash: separators out for numbers, lower
/// case for e-mail addresses.
pub fn canonical(category: &str, normalized: &str) -> String {
    canonical_cow(category, normalized).into_owned()
}

/// [`canonical`], borrowing the value when it is already canonical.
fn canonical_cow<'a>(category: &str, normalized: &'a str) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    match category {
        "email" if normalized.bytes().any(|b| b.is_ascii_uppercase()) => Cow::Owned(normalized.to_ascii_lowercase()),
        "credit_card" | "phone" | "fax" | "my_number" | "drivers_license" | "pension_number" | "us_ssn"
        | "postal_code" | "bank_account" | "health_insurance"
            if normalized.chars().any(is_separator) =>
        {
            Cow::Owned(normalized.chars().filter(|c| !is_separator(*c)).collect())
        }
        _ => Cow::Borrowed(normalized),
    }
}

/// Keyed fingerprints: HMAC-SHA-256 over the category and the canonical value, first 128 bits
/// in hex. The keyed state is computed once and cloned for each value.
#[derive(Clone)]
pub struct Fingerprinter {
    mac: Hmac<Sha256>,
}

impl Fingerprinter {
    /// A fingerprinter with `key`.
    pub fn new(key: &[u8]) -> Self {
        Fingerprinter { mac: Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length") }
    }

    /// The fingerprint of a normalised value of `category`.
    pub fn of(&self, category: &str, normalized: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(category.as_bytes());
        mac.update(b"\0");
        mac.update(canonical_cow(category, normalized).as_bytes());
        let out = mac.finalize().into_bytes();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(32);
        for b in &out[..16] {
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 15) as usize] as char);
        }
        s
    }
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprinter")
    }
}

/// The fingerprint of one value (see [`Fingerprinter`]).
pub fn fingerprint(key: &[u8], category: &str, normalized: &str) -> String {
    Fingerprinter::new(key).of(category, normalized)
}

/// The value with most characters hidden, separators kept.
///
/// Phones and cards keep their last four digits (phones also their first group, as in
/// `090-****-5678`), e-mail addresses their first character and domain, IPv4 addresses their
/// first two octets; everything else is hidden but for its layout.
pub fn mask(category: &str, value: &str) -> String {
    match category {
        "credit_card" | "phone" | "fax" | "email" | "ip_address" => {}
        "credential" => return "********".to_string(),
        // Everything hidden but for the layout: no character is shown by position.
        _ => {
            let mut out = String::with_capacity(value.len() * 2);
            for c in value.chars() {
                out.push(if is_separator(c) {
                    c
                } else if c.is_ascii() {
                    '*'
                } else {
                    '＊'
                });
            }
            return out;
        }
    }
    let chars: Vec<char> = value.chars().collect();
    let maskable: Vec<usize> = (0..chars.len()).filter(|&i| !is_separator(chars[i])).collect();
    let mut show = vec![false; chars.len()];
    let last = |show: &mut Vec<bool>, n: usize| {
        if maskable.len() > n * 2 {
            for &i in &maskable[maskable.len() - n..] {
                show[i] = true;
            }
        }
    };
    match category {
        "credit_card" => last(&mut show, 4),
        "phone" | "fax" => {
            last(&mut show, 4);
            // The first group (area code or mobile prefix) when the number is grouped.
            if let Some(p) = chars.iter().position(|&c| is_separator(c)) {
                let group = &chars[..p];
                if (1..=4).contains(&group.len()) && maskable.len() >= 9 {
                    (0..p).for_each(|i| show[i] = true);
                }
            }
        }
        "email" => {
            if let Some(at) = chars.iter().position(|&c| c == '@' || c == '＠') {
                show[0] = true;
                (at..chars.len()).for_each(|i| show[i] = true);
            }
        }
        "ip_address" => {
            if value.contains('.') {
                let mut dots = 0;
                for (i, &c) in chars.iter().enumerate() {
                    if c == '.' {
                        dots += 1;
                    }
                    if dots < 2 {
                        show[i] = true;
                    }
                }
            } else if let Some(p) = chars.iter().position(|&c| c == ':') {
                (0..p).for_each(|i| show[i] = true);
            }
        }
        "credential" => return "********".to_string(),
        _ => {}
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if show[i] || is_separator(c) {
                c
            } else if c.is_ascii() {
                '*'
            } else {
                '＊'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("phone", "090-1234-5678"), "090-****-5678");
        assert_eq!(mask("phone", "03-1234-5678"), "03-****-5678");
        assert_eq!(mask("credit_card", "4111 1111 1111 1111"), "**** **** **** 1111");
        assert_eq!(mask("email", "taro.yamada@example.co.jp"), "t***.******@example.co.jp");
        assert_eq!(mask("ip_address", "203.0.113.45"), "203.0.***.**");
        assert_eq!(mask("my_number", "6214 9832 0257"), "**** **** ****");
        assert_eq!(mask("date_of_birth", "昭和55年4月1日"), "＊＊**＊*＊*＊");
        assert_eq!(mask("credential", "hunter2"), "********");
        assert_eq!(mask("phone", "０３－１２３４－５６７８"), "０３－＊＊＊＊－５６７８");
    }

    #[test]
    fn fingerprints_are_keyed_and_canonical() {
        let a = fingerprint(DEFAULT_KEY, "phone", "03-1234-5678");
        let b = fingerprint(DEFAULT_KEY, "phone", "0312345678");
        let c = fingerprint(b"other key", "phone", "03-1234-5678");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 32);
    }
}
