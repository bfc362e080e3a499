//! HTML and XML: text without markup, each text node a segment at its line and column.
//!
//! A forgiving scanner rather than an XML parser, because saved web pages and exported XML on
//! shares are rarely well-formed: tags, comments' delimiters, `<script>` and `<style>` bodies
//! go; entities are decoded; comments and CDATA count as text. A text node takes as its label
//! the element it sits in (XML `<phone>03-…</phone>`) or the text node before it
//! (`<th>電話番号</th><td>03-…</td>`) when those read as labels. Attribute values are data too:
//! all of them in XML, those that people write in HTML (`alt`, `title`, `value`, `content`,
//! `placeholder`, `mailto:`/`tel:` links), labelled by the attribute's name.

use crate::segment::{Origin, Segment};

/// Turns byte offsets into 1-based line and column (characters), walking forward.
struct Pos<'a> {
    text: &'a str,
    at: usize,
    line: u64,
    line_start: usize,
    /// The column of byte `col_at` (on the current line): columns are counted on from there,
    /// so one long line (minified HTML) costs linear time.
    col_at: usize,
    col: u64,
}

impl Pos<'_> {
    fn origin(&mut self, to: usize) -> Origin {
        if to < self.at {
            self.at = 0;
            self.line = 1;
            self.line_start = 0;
        }
        for i in memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.at..to]) {
            self.line += 1;
            self.line_start = self.at + i + 1;
        }
        self.at = to;
        if self.col_at < self.line_start || self.col_at > to {
            (self.col_at, self.col) = (self.line_start, 1);
        }
        self.col += self.text[self.col_at..to].chars().count() as u64;
        self.col_at = to;
        Origin::Text { byte: to as u64, line: self.line, column: self.col }
    }
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "yen" => '¥',
        "copy" => '©',
        "reg" => '®',
        "times" => '×',
        "middot" => '·',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "minus" => '−',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        _ => return None,
    })
}

/// Decodes character and entity references; unknown ones stay as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace()).map(|e| e + 1);
        match end.filter(|&e| e <= 32 && rest.as_bytes().get(e) == Some(&b';')) {
            Some(e) => match entity(&rest[1..e]) {
                Some(c) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            },
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const HTML_ATTRS: &[&str] = &["alt", "title", "value", "content", "placeholder", "label", "summary"];

struct Scanner<'a, 'e> {
    text: &'a str,
    html: bool,
    is_header: &'a dyn Fn(&[&str]) -> bool,
    emit: &'e mut dyn FnMut(&Segment),
    pos: Pos<'a>,
    stack: Vec<String>,
    prev: Option<String>,
    /// Open HTML tables, innermost last.
    tables: Vec<HtmlTable>,
}

/// Rows and cells seen so far in an HTML table, and the text of its first row's cells: a
/// cell below the first row takes its column's header as label, as a CSV field does.
#[derive(Default)]
struct HtmlTable {
    row: usize,
    col: usize,
    header: Vec<String>,
    /// The current cell is a `<th>`: a header names data, it is not the value of the header
    /// before it.
    th: bool,
}

impl Scanner<'_, '_> {
    fn node(&mut self, start: usize, end: usize, label: Option<String>, follow: bool) {
        let raw = &self.text[start..end];
        let lead = raw.len() - raw.trim_start().len();
        let decoded = decode_entities(raw.trim());
        if decoded.trim().is_empty() {
            return;
        }
        let cell = self.tables.last_mut().filter(|t| follow && t.row > 0 && t.col > 0);
        let mut column_header = None;
        let mut in_th = false;
        if let Some(t) = cell {
            in_th = t.th;
            if t.row == 1 {
                if t.header.len() < t.col {
                    t.header.resize(t.col, String::new());
                }
                let h = &mut t.header[t.col - 1];
                if !h.is_empty() {
                    h.push(' ');
                }
                h.push_str(decoded.trim());
            } else {
                column_header =
                    t.header.get(t.col - 1).filter(|h| !h.is_empty() && (self.is_header)(&[h.as_str()])).cloned();
            }
        }
        let label = label.or(column_header).or_else(|| {
            if !follow || in_th {
                return None;
            }
            let element = self.stack.last().filter(|_| !self.html).filter(|n| (self.is_header)(&[n.as_str()]));
            let prev = self.prev.as_ref().filter(|p| (self.is_header)(&[p.as_str()]));
            element.or(prev).cloned()
        });
        let origin = self.pos.origin(start + lead);
        let mut seg = Segment::new(decoded, origin);
        seg.label = label;
        if follow {
            self.prev = Some(seg.text.trim().to_string());
        }
        (self.emit)(&seg);
    }

    /// Parses the tag starting at `lt` (just after `<`); returns where it ends.
    fn tag(&mut self, lt: usize) -> usize {
        let b = self.text.as_bytes();
        let mut i = lt + 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'>' | b'/') {
            i += 1;
        }
        let name = self.text[name_start..i].to_string();
        let key = if self.html { name.to_ascii_lowercase() } else { name.clone() };
        let mut attr_name: Option<(usize, usize)> = None;
        let mut href_label: Option<String> = None;
        loop {
            match b.get(i) {
                None => return b.len(),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'"') | Some(b'\'') => {
                    let q = b[i];
                    let vs = i + 1;
                    let ve = memchr::memchr(q, &b[vs..]).map_or(b.len(), |e| vs + e);
                    if let Some((ns, ne)) = attr_name.take() {
                        let an = self.text[ns..ne].to_string();
                        let lower = an.to_ascii_lowercase();
                        let value = &self.text[vs..ve];
                        let wanted = if self.html {
                            HTML_ATTRS.contains(&lower.as_str())
                                || (lower == "href" && (value.starts_with("mailto:") || value.starts_with("tel:")))
                        } else {
                            !lower.starts_with("xmlns")
                        };
                        if lower == "name" || lower == "property" {
                            href_label = Some(value.to_string());
                        }
                        if wanted && !closing {
                            let label = if lower == "content" { href_label.clone() } else { None };
                            self.node(vs, ve, label.or(Some(an)), false);
                        }
                    }
                    i = (ve + 1).min(b.len());
                }
                Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-') => {
                    let ns = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b':' | b'-' | b'.')) {
                        i += 1;
                    }
                    attr_name = Some((ns, i));
                    // `name=value` keeps the name until the value; a bare name is dropped below.
                    while i < b.len() && b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    if b.get(i) != Some(&b'=') {
                        attr_name = None;
                    }
                }
                Some(_) => i += 1,
            }
        }
        let self_closing = i >= 2 && b[i - 2] == b'/';
        if self.html {
            match (closing, key.as_str()) {
                (false, "table") if self.tables.len() < 100 => self.tables.push(HtmlTable::default()),
                (true, "table") => {
                    self.tables.pop();
                }
                (false, "tr") => {
                    if let Some(t) = self.tables.last_mut() {
                        t.row += 1;
                        t.col = 0;
                    }
                }
                (false, "td" | "th") => {
                    if let Some(t) = self.tables.last_mut() {
                        t.col += 1;
                        t.th = key == "th";
                    }
                }
                _ => {}
            }
        }
        if closing {
            if let Some(at) = self.stack.iter().rposition(|n| *n == key) {
                self.stack.truncate(at);
            }
        } else if self.html && (key == "script" || key == "style") {
            let close = format!("</{key}");
            let rest = &self.text[i..];
            let lower = rest.to_ascii_lowercase();
            return match lower.find(&close) {
                Some(e) => i + e,
                None => b.len(),
            };
        } else if !self_closing && !self.html && self.stack.len() < 10_000 {
            self.stack.push(key);
        }
        i
    }
}

/// Emits the text of an HTML (`html`) or XML document.
pub fn read(text: &str, html: bool, is_header: &dyn Fn(&[&str]) -> bool, emit: &mut dyn FnMut(&Segment)) {
    let pos = Pos { text, at: 0, line: 1, line_start: 0, col_at: 0, col: 1 };
    let mut s = Scanner { text, html, is_header, emit, pos, stack: Vec::new(), prev: None, tables: Vec::new() };
    let b = text.as_bytes();
    let mut i = 0usize;
    let mut text_start = 0usize;
    while i < b.len() {
        let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|o| i + o) else {
            break;
        };
        let rest = &text[lt..];
        let next = b.get(lt + 1).copied().unwrap_or(b' ');
        if rest.starts_with("<!--") || rest.starts_with("<![CDATA[") {
            s.node(text_start, lt, None, true);
            let (open, close) = if rest.starts_with("<!--") { (4, "-->") } else { (9, "]]>") };
            let body = lt + open;
            let end = text[body..].find(close).map_or(b.len(), |e| body + e);
            if close == "]]>" {
                // CDATA is literal text: no entity decoding.
                let raw = &text[body..end];
                if !raw.trim().is_empty() {
                    let lead = raw.len() - raw.trim_start().len();
                    let origin = s.pos.origin(body + lead);
                    (s.emit)(&Segment::new(raw.trim().to_string(), origin));
                }
            } else {
                s.node(body, end, None, false);
            }
            i = (end + close.len()).min(b.len());
            text_start = i;
        } else if next == b'!' || next == b'?' {
            s.node(text_start, lt, None, true);
            i = memchr::memchr(b'>', &b[lt..]).map_or(b.len(), |e| lt + e + 1);
            text_start = i;
        } else if next == b'/' || next.is_ascii_alphabetic() {
            s.node(text_start, lt, None, true);
            i = s.tag(lt);
            text_start = i;
        } else {
            // A lone `<` in text.
            i = lt + 1;
        }
    }
    s.node(text_start, b.len(), None, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_long_line_is_read_in_linear_time() {
        // Minified HTML: 200,000 cells on one line; columns are counted on, not from the line
        // start for each node.
        let text = "<td>x</td>".repeat(200_000);
        let start = std::time::Instant::now();
        let got = nodes(&text, true);
        assert_eq!(got.len(), 200_000);
        assert!(matches!(got.last().unwrap().2, Origin::Text { line: 1, column: 1_999_995, .. }));
        assert!(start.elapsed().as_secs() < 5);
    }

    fn nodes(text: &str, html: bool) -> Vec<(String, Option<String>, Origin)> {
        let is_header = |c: &[&str]| c.iter().any(|c| c.contains("電話") || *c == "phone");
        let mut v = Vec::new();
        read(text, html, &is_header, &mut |s: &Segment| v.push((s.text.clone(), s.label.clone(), s.origin.clone())));
        v
    }

    #[test]
    fn html_text_labels_and_entities() {
        let html = "<html><head><style>p{}</style><script>var a='<b>';</script></head>\n<body><table><tr><th>電話番号</th>\n  <td>03&#x2D;1234&amp;5678</td></tr></table><img alt=\"山田\"></body></html>";
        let got = nodes(html, true);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, "電話番号");
        assert_eq!(got[1].0, "03-1234&5678");
        assert_eq!(got[1].1.as_deref(), Some("電話番号"));
        assert_eq!(got[1].2, Origin::Text { byte: 112, line: 3, column: 7 });
        assert_eq!(got[2], ("山田".into(), Some("alt".into()), got[2].2.clone()));
    }

    #[test]
    fn xml_element_names_label() {
        let got = nodes("<?xml version=\"1.0\"?>\n<r><phone type=\"mobile\">090</phone><!-- 注 --></r>", false);
        let texts: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.1.as_deref())).collect();
        assert_eq!(texts, vec![("mobile", Some("type")), ("090", Some("phone")), ("注", None)]);
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &lt;b&gt; &#12354; &unknown; & c"), "a <b> あ &unknown; & c");
    }
}
