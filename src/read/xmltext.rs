//! Text of Office Open XML and ODF parts, one paragraph at a time.
//!
//! Word splits a paragraph into runs wherever formatting, proofing marks or revision ids
//! change, so `03-1234-` and `5678` may sit in two `w:t` elements: a detector must see the
//! paragraph, not the run. This module joins every text node of a paragraph (`w:p`, `a:p`,
//! `text:p`/`text:h`, a shared string `si`, a spreadsheet `comment`) into one string, turns tabs
//! and breaks into `\t`/`\n`, resolves entities, keeps tracked deletions (`w:delText`) and field
//! codes, reads text boxes once (the VML copy under `mc:Fallback` is skipped), and hands
//! phonetic readings (`w:rt` ruby, `rPh`) out separately so that `山田ヤマダ` never appears.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Which XML vocabulary a part uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Office Open XML: text lives in `t`, `delText`, `instrText` elements (and `p:text`).
    Ooxml,
    /// OpenDocument: all character data inside `text:p`/`text:h`.
    Odf,
}

/// One paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    /// 1-based paragraph number within the part (empty paragraphs count too).
    pub index: u64,
    /// The joined text.
    pub text: String,
    /// A phonetic reading of the paragraph rather than its text.
    pub reading: bool,
    /// The `ref` attribute of a spreadsheet comment (`B3`).
    pub anchor: Option<String>,
    /// 1-based ODF `draw:page` the paragraph sits on (0 outside pages).
    pub page: u64,
    /// In a table row below the first: the text of the first row's cell in the same column
    /// (the column header, if that row is a header row).
    pub column_header: Option<String>,
}

/// An open table (`w:tbl`, `a:tbl`, `table:table`): rows and cells seen so far and the text
/// of its first row's cells.
struct Table {
    depth: usize,
    row: usize,
    col: usize,
    header: Vec<String>,
}

struct Open {
    index: u64,
    depth: usize,
    text: String,
    reading: String,
    anchor: Option<String>,
    page: u64,
    /// (table index in the stack, 1-based row, 1-based column) of the cell holding it.
    cell: Option<(usize, usize, usize)>,
}

const MAX_DEPTH: usize = 10_000;

fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn value(raw: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(raw);
    quick_xml::escape::unescape(&s).ok().map(|v| v.into_owned())
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == key).and_then(|a| value(&a.value))
}

/// Walks `xml` and hands every non-blank paragraph (and reading) to `out`. Errors name the
/// byte position only.
pub fn paragraphs(xml: &[u8], dialect: Dialect, out: &mut dyn FnMut(Para)) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut open: Vec<Open> = Vec::new();
    let mut depth = 0usize;
    let mut next_index = 0u64;
    let mut page = 0u64;
    let mut skip_until: Option<usize> = None;
    // Depths at which text elements, reading elements are open.
    let mut text_at: Vec<usize> = Vec::new();
    let mut reading_at: Vec<usize> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut buf = Vec::new();
    let close = |open: &mut Vec<Open>, tables: &mut Vec<Table>, out: &mut dyn FnMut(Para)| {
        if let Some(p) = open.pop() {
            let mut column_header = None;
            if let Some((t, row, col)) = p.cell {
                if let Some(table) = tables.get_mut(t) {
                    if row == 1 {
                        if table.header.len() < col {
                            table.header.resize(col, String::new());
                        }
                        let h = &mut table.header[col - 1];
                        if !h.is_empty() && !p.text.trim().is_empty() {
                            h.push(' ');
                        }
                        h.push_str(p.text.trim());
                    } else {
                        column_header = table.header.get(col - 1).filter(|h| !h.is_empty()).cloned();
                    }
                }
            }
            if !p.text.trim().is_empty() {
                out(Para {
                    index: p.index,
                    text: p.text,
                    reading: false,
                    anchor: p.anchor.clone(),
                    page: p.page,
                    column_header: column_header.clone(),
                });
            }
            if !p.reading.trim().is_empty() {
                out(Para {
                    index: p.index,
                    text: p.reading,
                    reading: true,
                    anchor: p.anchor,
                    page: p.page,
                    column_header,
                });
            }
        }
    };
    let mut ticks = 0u32;
    loop {
        super::limit::tick(&mut ticks, 1024);
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|_| format!("malformed XML near byte {}", reader.error_position()))?;
        // Text to add, and whether it belongs to the paragraph in any case (separators).
        let mut add: Option<String> = None;
        let mut separator = false;
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                if !empty {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err("XML nested too deeply".into());
                    }
                }
                if skip_until.is_some() {
                    buf.clear();
                    continue;
                }
                let qname = e.name();
                let name = local(qname.as_ref());
                if !empty && dialect == Dialect::Ooxml && name == b"Fallback" {
                    skip_until = Some(depth);
                    buf.clear();
                    continue;
                }
                let is_para = match dialect {
                    Dialect::Ooxml => name == b"p" || name == b"si" || qname.as_ref() == b"comment",
                    Dialect::Odf => name == b"p" || name == b"h",
                };
                if dialect == Dialect::Odf && name == b"page" && qname.as_ref().starts_with(b"draw:") {
                    page += 1;
                }
                let (tbl, tr, tc): (&[u8], &[u8], &[u8]) = match dialect {
                    Dialect::Ooxml => (b"tbl", b"tr", b"tc"),
                    Dialect::Odf => (b"table", b"table-row", b"table-cell"),
                };
                if name == tbl && !empty {
                    tables.push(Table { depth, row: 0, col: 0, header: Vec::new() });
                } else if let Some(t) = tables.last_mut() {
                    if name == tr {
                        t.row += 1;
                        t.col = 0;
                    } else if name == tc || (dialect == Dialect::Odf && name == b"covered-table-cell") {
                        t.col += 1;
                    }
                }
                let cell = tables.last().filter(|t| t.row > 0 && t.col > 0).map(|t| (tables.len() - 1, t.row, t.col));
                if is_para {
                    next_index += 1;
                    let anchor = if name == b"comment" { attr(e, b"ref") } else { None };
                    if empty {
                        // An empty paragraph still counts.
                    } else {
                        open.push(Open {
                            index: next_index,
                            depth,
                            text: String::new(),
                            reading: String::new(),
                            anchor,
                            page,
                            cell,
                        });
                    }
                } else if !empty {
                    match dialect {
                        Dialect::Ooxml => {
                            if name == b"t" || name == b"delText" || name == b"instrText" || qname.as_ref() == b"p:text"
                            {
                                text_at.push(depth);
                            }
                            if name == b"rt" || name == b"rPh" {
                                reading_at.push(depth);
                            }
                        }
                        Dialect::Odf => {
                            if name == b"ruby-text" {
                                reading_at.push(depth);
                            }
                        }
                    }
                }
                add = match (dialect, name) {
                    (Dialect::Ooxml, b"tab") => Some("\t".into()),
                    (Dialect::Ooxml, b"br") | (Dialect::Ooxml, b"cr") => Some("\n".into()),
                    (Dialect::Ooxml, b"noBreakHyphen") => Some("-".into()),
                    (Dialect::Odf, b"tab") => Some("\t".into()),
                    (Dialect::Odf, b"line-break") => Some("\n".into()),
                    (Dialect::Odf, b"s") => {
                        let n = attr(e, b"text:c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1);
                        Some(" ".repeat(n.clamp(1, 100)))
                    }
                    _ => None,
                };
                separator = add.is_some();
                if open.is_empty() {
                    add = None;
                }
            }
            Event::End(_) => {
                if skip_until == Some(depth) {
                    skip_until = None;
                } else if skip_until.is_none() {
                    if text_at.last() == Some(&depth) {
                        text_at.pop();
                        // A text element outside any paragraph (`p:text`) is its own paragraph.
                        if open.last().is_some_and(|p| p.depth == depth) {
                            close(&mut open, &mut tables, out);
                        }
                    }
                    if reading_at.last() == Some(&depth) {
                        reading_at.pop();
                    }
                    if open.last().is_some_and(|p| p.depth == depth) {
                        close(&mut open, &mut tables, out);
                    }
                    if tables.last().is_some_and(|t| t.depth == depth) {
                        tables.pop();
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(ref t) if skip_until.is_none() => {
                add = Some(t.xml_content().map_err(|_| "undecodable XML text".to_string())?.into_owned());
            }
            Event::CData(ref t) if skip_until.is_none() => {
                add = Some(t.decode().map_err(|_| "undecodable XML text".to_string())?.into_owned());
            }
            Event::GeneralRef(ref r) if skip_until.is_none() => {
                add = if let Ok(Some(c)) = r.resolve_char_ref() {
                    Some(c.to_string())
                } else {
                    let name = r.decode().map_err(|_| "undecodable XML reference".to_string())?;
                    resolve_predefined_entity(&name).map(str::to_string)
                };
            }
            _ => {}
        }
        if let Some(s) = add {
            let counts = match dialect {
                Dialect::Ooxml => !text_at.is_empty() || separator,
                Dialect::Odf => !open.is_empty(),
            };
            if counts {
                if open.is_empty() {
                    // Text outside a paragraph (`p:text` of a slide comment): its element is one.
                    next_index += 1;
                    open.push(Open {
                        index: next_index,
                        depth,
                        text: String::new(),
                        reading: String::new(),
                        anchor: None,
                        page,
                        cell: None,
                    });
                }
                if let Some(p) = open.last_mut() {
                    if reading_at.is_empty() {
                        p.text.push_str(&s);
                    } else {
                        p.reading.push_str(&s);
                    }
                }
            }
        }
        buf.clear();
    }
    while !open.is_empty() {
        close(&mut open, &mut tables, out);
    }
    Ok(())
}

/// Runs `f` on every event of `xml` until its end, with the deadline checked as it goes; a
/// syntax error becomes a message that does not quote the content.
fn for_each_event(xml: &[u8], mut f: impl FnMut(Event<'_>) -> Result<(), String>) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut ticks = 0u32;
    loop {
        super::limit::tick(&mut ticks, 1024);
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|_| format!("malformed XML near byte {}", reader.error_position()))?;
        if matches!(event, Event::Eof) {
            return Ok(());
        }
        f(event)?;
        buf.clear();
    }
}

/// Text children of the whitelisted elements of a properties part (`docProps/core.xml`,
/// `docProps/app.xml`, ODF `meta.xml`): `(field, value)`.
pub fn properties(xml: &[u8], fields: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for_each_event(xml, |event| {
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(local(e.name().as_ref())).into_owned();
                if fields.contains(&name.as_str()) {
                    current = Some((name, String::new()));
                }
            }
            Event::Text(t) => {
                if let Some((_, v)) = current.as_mut() {
                    v.push_str(&t.xml_content().map_err(|_| "undecodable XML text".to_string())?);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, v)) = current.as_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        v.push(c);
                    } else if let Some(s) = r.decode().ok().and_then(|n| resolve_predefined_entity(&n)) {
                        v.push_str(s);
                    }
                }
            }
            Event::End(e) => {
                if let Some((name, v)) = current.take() {
                    if name.as_bytes() == local(e.name().as_ref()) {
                        if !v.trim().is_empty() {
                            out.push((name, v));
                        }
                    } else {
                        current = Some((name, v));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The elements named `element` (local name) with their attributes (qualified keys), in
/// document order: `Relationship`s of a `.rels` part, `sheet`s of a workbook, `sldId`s.
pub fn elements(xml: &[u8], element: &[u8]) -> Result<Vec<Vec<(String, String)>>, String> {
    let mut out = Vec::new();
    for_each_event(xml, |event| {
        match event {
            Event::Start(e) | Event::Empty(e) if local(e.name().as_ref()) == element => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .filter_map(|a| {
                        let v = value(&a.value)?;
                        Some((String::from_utf8_lossy(a.key.as_ref()).into_owned(), v))
                    })
                    .collect();
                out.push(attrs);
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The pictures of a DrawingML part with their labels: (relationship id of the image, the
/// drawing's `name`, `title` and `descr` joined), from `docPr`/`cNvPr` and the `blip` after it.
pub fn image_labels(xml: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut label = String::new();
    // A Word drawing names itself in `wp:docPr`, then its `pic:pic` in `pic:cNvPr`: both count.
    // Elsewhere a `pic` starts a fresh label (a shape's name before it is not the picture's).
    let mut from_doc_pr = false;
    for_each_event(xml, |event| {
        match event {
            Event::Start(e) | Event::Empty(e) => match local(e.name().as_ref()) {
                name @ (b"docPr" | b"cNvPr") => {
                    if name == b"docPr" {
                        label.clear();
                        from_doc_pr = true;
                    }
                    for a in e.attributes().flatten() {
                        if matches!(local(a.key.as_ref()), b"name" | b"title" | b"descr") {
                            if let Some(v) = value(&a.value) {
                                label.push(' ');
                                label.push_str(&v);
                            }
                        }
                    }
                }
                b"pic" => {
                    if !from_doc_pr {
                        label.clear();
                    }
                    from_doc_pr = false;
                }
                b"blip" => {
                    let rid = e.attributes().flatten().find(|a| local(a.key.as_ref()) == b"embed");
                    if let Some(rid) = rid.and_then(|a| value(&a.value)) {
                        out.push((rid, std::mem::take(&mut label).trim().to_string()));
                    }
                    from_doc_pr = false;
                }
                _ => {}
            },
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_labels_pair_drawings_with_their_blips() {
        let xml = r#"<w:document xmlns:w="w" xmlns:wp="wp" xmlns:a="a" xmlns:r="r"><w:body>
            <wp:docPr id="1" name="Chart 1"/>
            <wp:docPr id="2" name="図 2" descr="署名"/><pic:pic><pic:nvPicPr><pic:cNvPr name="image.png"/>
            </pic:nvPicPr><a:blip r:embed="rId7"/></pic:pic>
            <p:sp><p:cNvPr name="署名欄"/></p:sp><p:pic><p:cNvPr name="Picture 3"/><a:blip r:embed="rId8"/></p:pic>
            </w:body></w:document>"#;
        assert_eq!(
            image_labels(xml.as_bytes()).unwrap(),
            vec![
                ("rId7".to_string(), "図 2 署名 image.png".to_string()),
                ("rId8".to_string(), "Picture 3".to_string())
            ]
        );
    }

    fn texts(xml: &str, d: Dialect) -> Vec<(u64, String, bool)> {
        let mut v = Vec::new();
        paragraphs(xml.as_bytes(), d, &mut |p| v.push((p.index, p.text, p.reading))).unwrap();
        v
    }

    #[test]
    fn runs_join_and_fallback_is_skipped() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:r><w:t>電話 03-1234-</w:t></w:r><w:proofErr/><w:r><w:t>5678</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:del><w:r><w:delText>消えた &amp; 文</w:delText></w:r></w:del><w:r><w:tab/><w:t>x</w:t></w:r></w:p>
            <w:p><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>箱</w:t></w:r></w:p></w:txbxContent></mc:Choice>
            <mc:Fallback><w:txbxContent><w:p><w:r><w:t>箱</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:p>
            <w:p><w:ruby><w:rt><w:r><w:t>やまだ</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>山田</w:t></w:r></w:rubyBase></w:ruby></w:p>
            </w:body></w:document>"#;
        let t = texts(xml, Dialect::Ooxml);
        assert_eq!(
            t,
            vec![
                (1, "電話 03-1234-5678".to_string(), false),
                (3, "消えた & 文\tx".to_string(), false),
                (5, "箱".to_string(), false),
                (6, "山田".to_string(), false),
                (6, "やまだ".to_string(), true),
            ]
        );
    }

    #[test]
    fn odf_spaces_and_pages() {
        let xml = r#"<office:document-content xmlns:text="t" xmlns:draw="d"><office:body>
            <draw:page><draw:frame><draw:text-box><text:p>a<text:s text:c="2"/>b<text:span>c</text:span></text:p></draw:text-box></draw:frame></draw:page>
            <draw:page><text:h>見出し</text:h></draw:page></office:body></office:document-content>"#;
        let mut v = Vec::new();
        paragraphs(xml.as_bytes(), Dialect::Odf, &mut |p| v.push((p.text, p.page))).unwrap();
        assert_eq!(v, vec![("a  bc".to_string(), 1), ("見出し".to_string(), 2)]);
    }

    #[test]
    fn malformed_is_an_error_without_content() {
        let e = paragraphs(b"<w:p><w:t>secret</w:t><", Dialect::Ooxml, &mut |_| {}).unwrap_err();
        assert!(!e.contains("secret"));
    }
}
