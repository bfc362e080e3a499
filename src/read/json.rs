//! JSON and JSON Lines: every string and number a segment, labelled by its key.
//!
//! In `{"phone": "03-1234-5678"}` the key is the value's label exactly as a column header is a
//! CSV field's, so the detectors see `03-1234-5678` under `phone`; values in an array take the
//! array's key. Keys are scanned too (maps keyed by e-mail address exist). A small tokenizer
//! rather than serde_json keeps the line and column of each value. JSON Lines needs nothing
//! special: values simply follow one another. Text that is not JSON after all is left to the
//! caller, who reads it as plain text.

use crate::segment::{Origin, Segment};

struct Value {
    text: String,
    label: Option<String>,
    byte: usize,
    line: u64,
    column: u64,
}

enum Frame {
    Object { key: Option<String> },
    Array { label: Option<String> },
}

fn label_of(stack: &[Frame]) -> Option<String> {
    match stack.last() {
        Some(Frame::Object { key }) => key.clone().filter(|k| !k.is_empty()),
        Some(Frame::Array { label }) => label.clone(),
        None => None,
    }
}

const MAX_DEPTH: usize = 10_000;

/// Longest key that labels the values under it (a longer one is data, not a label; copying it
/// to every value of a long array would cost time and memory quadratic in the file).
const MAX_LABEL: usize = 256;

/// Tokenizes `text` into labelled values; `None` when it is not JSON.
#[cfg(test)]
fn values(text: &str) -> Option<Vec<Value>> {
    let mut all = Vec::new();
    each_value(text, &mut |v| all.push(v)).then_some(all)
}

/// Tokenizes `text`, handing each labelled value to `out`; `false` when it is not JSON (after
/// some values may have been handed out).
fn each_value(text: &str, out: &mut dyn FnMut(Value)) -> bool {
    scan_values(text, out).is_some()
}

fn scan_values(text: &str, out: &mut dyn FnMut(Value)) -> Option<()> {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    let mut line = 1u64;
    let mut line_start = 0usize;
    let mut columns = super::Columns::default();
    let mut col = |pos: usize, ls: usize| columns.of(text, pos, ls);
    let mut ticks = 0u32;
    while i < b.len() {
        super::limit::tick(&mut ticks, 4096);
        match b[i] {
            b'\n' => {
                i += 1;
                line += 1;
                line_start = i;
            }
            b' ' | b'\t' | b'\r' | b':' => i += 1,
            b',' => {
                if let Some(Frame::Object { key }) = stack.last_mut() {
                    *key = None;
                }
                i += 1;
            }
            b'{' | b'[' => {
                if stack.len() >= MAX_DEPTH {
                    return None;
                }
                let label = label_of(&stack);
                stack.push(if b[i] == b'{' { Frame::Object { key: None } } else { Frame::Array { label } });
                i += 1;
            }
            b'}' | b']' => {
                let ok = matches!(
                    (stack.pop(), b[i]),
                    (Some(Frame::Object { .. }), b'}') | (Some(Frame::Array { .. }), b']')
                );
                if !ok {
                    return None;
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let (line0, col0) = (line, col(start, line_start));
                let mut s = String::new();
                let mut j = start;
                let mut run = start;
                loop {
                    match b.get(j) {
                        None | Some(b'\n') => return None,
                        Some(b'"') => break,
                        Some(b'\\') => {
                            s.push_str(&text[run..j]);
                            let (c, len) = escape(&b[j..])?;
                            s.push_str(&c);
                            j += len;
                            run = j;
                        }
                        Some(_) => j += 1,
                    }
                }
                s.push_str(&text[run..j]);
                i = j + 1;
                let v = Value { text: s, label: None, byte: start, line: line0, column: col0 };
                match stack.last_mut() {
                    Some(Frame::Object { key }) if key.is_none() => {
                        // An empty key labels nothing; a long one is not a label.
                        *key = Some(if v.text.len() <= MAX_LABEL { v.text.clone() } else { String::new() });
                        out(v);
                    }
                    _ => out(Value { label: label_of(&stack), ..v }),
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                out(Value {
                    text: text[start..i].to_string(),
                    label: label_of(&stack),
                    byte: start,
                    line,
                    column: col(start, line_start),
                });
            }
            b't' | b'f' | b'n' => {
                let rest = &b[i..];
                let len = [&b"true"[..], b"false", b"null"].iter().find(|w| rest.starts_with(w))?.len();
                i += len;
            }
            0xEF if b[i..].starts_with("\u{FEFF}".as_bytes()) => i += 3,
            _ => return None,
        }
    }
    Some(())
}

/// Decodes one escape at the start of `b` (`\n`, `\u3042`, surrogate pairs); its text and length.
fn escape(b: &[u8]) -> Option<(String, usize)> {
    let hex = |s: &[u8]| std::str::from_utf8(s).ok().and_then(|h| u32::from_str_radix(h, 16).ok());
    Some(match b.get(1)? {
        b'n' => ("\n".into(), 2),
        b't' => ("\t".into(), 2),
        b'r' => ("\r".into(), 2),
        b'b' | b'f' => (" ".into(), 2),
        b'u' => {
            let hi = hex(b.get(2..6)?)?;
            if (0xD800..0xDC00).contains(&hi) && b.get(6..8) == Some(b"\\u") {
                let lo = hex(b.get(8..12)?)?;
                let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF));
                (c.unwrap_or('\u{FFFD}').to_string(), 12)
            } else {
                (char::from_u32(hi).unwrap_or('\u{FFFD}').to_string(), 6)
            }
        }
        &c if c.is_ascii() => ((c as char).to_string(), 2),
        _ => return None,
    })
}

/// Emits every string and number of `text` as a segment labelled by its key; `false` (and
/// nothing emitted) when `text` is not JSON or JSON Lines.
pub fn read(text: &str, emit: &mut dyn FnMut(&Segment)) -> bool {
    // Two passes: the first only checks that this is JSON (so nothing is emitted for a file
    // that turns out not to be), the second emits; no list of every value is held.
    if !each_value(text, &mut |_| {}) {
        return false;
    }
    each_value(text, &mut |v| {
        if v.text.trim().is_empty() {
            return;
        }
        let origin = Origin::Text { byte: v.byte as u64, line: v.line, column: v.column };
        let mut seg = Segment::new(v.text, origin);
        seg.label = v.label;
        emit(&seg);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Got = (String, Option<String>, u64, u64);

    fn read_all(text: &str) -> Option<Vec<Got>> {
        values(text).map(|v| v.into_iter().map(|v| (v.text, v.label, v.line, v.column)).collect())
    }

    #[test]
    fn keys_label_values() {
        let got =
            read_all("{\"phone\": \"03-1234-5678\",\n \"tags\": [\"a\\u3042\", 7], \"n\": {\"mail\": \"x\"}}").unwrap();
        assert_eq!(
            got,
            vec![
                ("phone".into(), None, 1, 3),
                ("03-1234-5678".into(), Some("phone".into()), 1, 12),
                ("tags".into(), None, 2, 3),
                ("aあ".into(), Some("tags".into()), 2, 12),
                ("7".into(), Some("tags".into()), 2, 22),
                ("n".into(), None, 2, 27),
                ("mail".into(), None, 2, 33),
                ("x".into(), Some("mail".into()), 2, 41),
            ]
        );
    }

    #[test]
    fn minified_json_with_a_long_key_is_read_in_linear_time() {
        // One line of 200,000 values under a 100 kB key: the key labels nothing (too long),
        // columns are counted on, not from the line start each time.
        let text = format!("{{\"{}\": [{}1]}}", "k".repeat(100_000), "1,".repeat(200_000));
        let start = std::time::Instant::now();
        let got = read_all(&text).unwrap();
        assert_eq!(got.len(), 200_002);
        assert!(got[1..].iter().all(|v| v.1.is_none()));
        assert_eq!(got.last().unwrap().3, 100_007 + 400_000);
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn lines_and_garbage() {
        assert_eq!(read_all("{\"a\":1}\n{\"a\":2}\n").unwrap().len(), 4);
        assert!(read_all("name = value").is_none());
        assert!(read_all("{\"a\": \"unterminated").is_none());
        assert!(read_all("[1}").is_none());
    }
}
