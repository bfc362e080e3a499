//! Office Open XML (xlsx, docx, pptx) and ODF (odt, ods, odp): the XML parts are edited in
//! place, every other part is copied byte for byte.
//!
//! Each XML part is read as a stream of events. Text nodes are grouped by paragraph-like unit
//! (`w:p`, `a:p`, `text:p`/`text:h`, shared strings `si`, inline strings `is`), so a value split
//! across runs is seen whole; in each unit the values the scan found in the package are
//! replaced, and the unit is run through the detectors once more. A replacement that keeps the
//! length is spread over the runs character by character; one that does not goes into the
//! first run the value touches. Only changed text nodes are written anew (escaped by
//! quick-xml); every other event is copied as it was. Attribute values holding a found value
//! are rewritten too (ODF `office:value` / `office:date-value` of a redacted cell are dropped
//! and the cell becomes a string cell). Worksheet cells that hold a found number or date as a
//! number (`<c><v>29312</v></c>`) become inline strings holding the replacement. Document
//! properties naming people (`dc:creator`, `cp:lastModifiedBy`, ODF `meta:initial-creator`)
//! are always replaced.

use std::collections::HashMap;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use super::{archive, Hit, Redactor, Written};
use crate::read::office::{parse_rels, relationship_id};
use crate::read::xmltext;
use crate::segment::{Location, Origin, Segment};

/// Elements whose text is read as one unit.
const UNITS: &[&[u8]] = &[b"p", b"h", b"si", b"is", b"comment"];
/// Attributes (by local name) that hold free text; structure (`r`, `ref`, `s`, ids) is never
/// touched.
const TEXT_ATTRIBUTES: &[&[u8]] = &[
    b"descr",
    b"title",
    b"author",
    b"initials",
    b"userId",
    b"Target",
    b"href",
    b"string-value",
    b"displayName",
    b"providerId",
    b"tooltip",
    b"alt",
    b"text",
];
/// Document properties that name a person: always replaced.
const PEOPLE: &[&[u8]] = &[b"creator", b"lastModifiedBy", b"initial-creator"];

fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// A value found in the package.
struct Value<'h> {
    text: String,
    hit: &'h Hit,
}

struct Job<'a, 'h> {
    red: &'a Redactor<'a>,
    values: &'a [Value<'h>],
    /// Worksheet cells (`B4`) with findings, for a worksheet part.
    cells: Option<&'a HashMap<String, Vec<&'h Hit>>>,
    /// A document-properties part.
    properties: bool,
}

/// A text node: a run of Text / GeneralRef / CData events.
struct Run {
    first: usize,
    last: usize,
    text: String,
    unit: usize,
    skip: bool,
    people: bool,
}

impl Job<'_, '_> {
    /// Spans to replace in a unit's text, with their replacements.
    fn spans(&self, text: &str) -> Vec<(std::ops::Range<usize>, String)> {
        let rep = &self.red.rep;
        let mut spans = Vec::new();
        for v in self.values {
            if v.text.trim().is_empty() {
                continue;
            }
            let long = v.text.chars().count() >= 4;
            if long {
                for (at, m) in text.match_indices(v.text.as_str()) {
                    spans.push((at..at + m.len(), v.hit.replacement(rep)));
                }
            } else if text.trim() == v.text.trim() {
                let s = text.find(v.text.trim()).unwrap_or(0);
                spans.push((s..s + v.text.trim().len(), v.hit.replacement(rep)));
            }
        }
        // The detectors once more, on the unit as the writer sees it.
        if !text.trim().is_empty() {
            let seg =
                Segment::new(text.to_string(), Origin::Fixed(Location::Part { part: String::new(), paragraph: 0 }));
            let matches = self.red.scanner.catalog().detect(&seg.text, None);
            let path: std::sync::Arc<str> = "".into();
            for (f, m) in self.red.scanner.findings_with_spans(&seg, matches, &path) {
                spans.push((m.start..m.end, rep.replace(f.category, &f.value, &m.normalized)));
            }
        }
        spans.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (r, s) in spans {
            match merged.last_mut() {
                Some((last, _)) if r.start < last.end => {
                    if r.end > last.end {
                        // Overlapping different values: mask the union.
                        last.end = r.end;
                        let whole = &text[last.start..last.end];
                        merged.last_mut().unwrap().1 = rep.replace("person_name", whole, whole);
                    }
                }
                _ => merged.push((r, s)),
            }
        }
        merged
    }

    /// A replacement for an attribute value, if it holds a found value.
    fn attribute(&self, value: &str) -> Option<String> {
        let mut out = value.to_string();
        let mut hit = false;
        for v in self.values {
            let t = v.text.trim();
            if t.is_empty() {
                continue;
            }
            if t.chars().count() >= 4 && out.contains(t) {
                out = out.replace(t, &v.hit.replacement(&self.red.rep));
                hit = true;
            }
        }
        hit.then_some(out)
    }

    /// Whether a numeric attribute (`office:value`) carries a found number or date.
    fn numeric_attribute(&self, value: &str) -> bool {
        let d = digits(value);
        d.len() >= 4 && self.values.iter().any(|v| digits(&v.text) == d)
    }
}

fn run_text(evs: &[Event<'static>], first: usize, last: usize) -> Result<String, String> {
    let mut s = String::new();
    for e in &evs[first..=last] {
        match e {
            Event::Text(t) => s.push_str(&t.xml_content().map_err(|_| "undecodable XML text")?),
            Event::CData(t) => s.push_str(&t.decode().map_err(|_| "undecodable XML text")?),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    s.push(c);
                } else {
                    let name = r.decode().map_err(|_| "undecodable XML reference")?;
                    match resolve_predefined_entity(&name) {
                        Some(v) => s.push_str(v),
                        None => return Err("unknown XML entity".into()),
                    }
                }
            }
            _ => {}
        }
    }
    Ok(s)
}

fn unescape(raw: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(raw);
    quick_xml::escape::unescape(&s).ok().map(|v| v.into_owned())
}

fn attr_value(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == key).and_then(|a| unescape(&a.value))
}

/// Rewrites one XML part; `None` when nothing changed.
fn rewrite(xml: &[u8], job: &Job) -> Result<Option<Vec<u8>>, String> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut evs: Vec<Event<'static>> = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(e) => evs.push(e.into_owned()),
            Err(_) => return Err("malformed XML".into()),
        }
        buf.clear();
        if evs.len() > 50_000_000 {
            return Err("XML part too large".into());
        }
    }
    // Text runs and the units they belong to.
    let mut runs: Vec<Run> = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut units: Vec<usize> = Vec::new();
    let mut n_units = 0usize;
    let mut i = 0;
    while i < evs.len() {
        match &evs[i] {
            Event::Start(e) => {
                let l = local(e.name().as_ref()).to_vec();
                if UNITS.contains(&l.as_slice()) {
                    units.push(n_units);
                    n_units += 1;
                }
                stack.push(l);
            }
            Event::End(_) => {
                if let Some(l) = stack.pop() {
                    if UNITS.contains(&l.as_slice()) {
                        units.pop();
                    }
                }
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                let first = i;
                while i + 1 < evs.len() && matches!(evs[i + 1], Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                {
                    i += 1;
                }
                let parent = stack.last().map(|p| p.as_slice()).unwrap_or(b"");
                let unit = match units.last() {
                    Some(&u) => u,
                    None => {
                        n_units += 1;
                        n_units - 1
                    }
                };
                runs.push(Run {
                    first,
                    last: i,
                    text: run_text(&evs, first, i)?,
                    unit,
                    skip: matches!(parent, b"v" | b"f"),
                    people: job.properties && PEOPLE.contains(&parent),
                });
            }
            _ => {}
        }
        i += 1;
    }
    // New text per run.
    let mut new_text: HashMap<usize, String> = HashMap::new();
    let mut by_unit: HashMap<usize, Vec<usize>> = HashMap::new();
    for (ri, r) in runs.iter().enumerate() {
        if !r.skip {
            by_unit.entry(r.unit).or_default().push(ri);
        }
    }
    let mut unit_ids: Vec<usize> = by_unit.keys().copied().collect();
    unit_ids.sort_unstable();
    for u in unit_ids {
        let members = &by_unit[&u];
        let mut text = String::new();
        let mut starts = Vec::new();
        for &ri in members {
            starts.push(text.len());
            text.push_str(&runs[ri].text);
        }
        let mut spans = job.spans(&text);
        for (k, &ri) in members.iter().enumerate() {
            let r = &runs[ri];
            if r.people && !r.text.trim().is_empty() {
                let s = starts[k];
                spans.retain(|(sp, _)| sp.end <= s || sp.start >= s + r.text.len());
                spans.push((s..s + r.text.len(), job.red.rep.replace("person_name", &r.text, &r.text)));
            }
        }
        spans.sort_by_key(|(r, _)| r.start);
        if spans.is_empty() {
            continue;
        }
        // Pieces per run: (start, end, replacement) in run coordinates.
        let mut pieces: HashMap<usize, Vec<(usize, usize, String)>> = HashMap::new();
        for (sp, repl) in &spans {
            let same_len = repl.chars().count() == text[sp.clone()].chars().count();
            let mut first = true;
            for (k, &ri) in members.iter().enumerate() {
                let (rs, re) = (starts[k], starts[k] + runs[ri].text.len());
                let (a, b) = (sp.start.max(rs), sp.end.min(re));
                if a >= b {
                    continue;
                }
                let piece: String = if same_len {
                    let k0 = text[sp.start..a].chars().count();
                    let n = text[a..b].chars().count();
                    repl.chars().skip(k0).take(n).collect()
                } else if first {
                    repl.clone()
                } else {
                    String::new()
                };
                first = false;
                pieces.entry(ri).or_default().push((a - rs, b - rs, piece));
            }
        }
        for (ri, mut ps) in pieces {
            ps.sort_by_key(|p| p.0);
            let t = &runs[ri].text;
            let mut s = String::new();
            let mut at = 0;
            for (a, b, p) in ps {
                if a < at {
                    continue;
                }
                s.push_str(&t[at..a]);
                s.push_str(&p);
                at = b;
            }
            s.push_str(&t[at..]);
            if &s != t {
                new_text.insert(runs[ri].first, s);
            }
        }
    }
    let run_at: HashMap<usize, usize> = runs.iter().map(|r| (r.first, r.last)).collect();
    // Write.
    let mut w = Writer::new(Vec::with_capacity(xml.len() + 256));
    let mut changed = false;
    let mut i = 0;
    let ioerr = |_| "cannot write XML".to_string();
    while i < evs.len() {
        if let Some(t) = new_text.get(&i) {
            w.write_event(Event::Text(BytesText::new(t))).map_err(ioerr)?;
            changed = true;
            i = run_at[&i] + 1;
            continue;
        }
        match &evs[i] {
            Event::Start(e) if job.cells.is_some() && local(e.name().as_ref()) == b"c" => {
                if let Some((repl, end)) = cell_replacement(&evs, i, e, job) {
                    let mut start = BytesStart::new(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() != b"t" {
                            start.push_attribute(a);
                        }
                    }
                    start.push_attribute(("t", "inlineStr"));
                    w.write_event(Event::Start(start)).map_err(ioerr)?;
                    w.write_event(Event::Start(BytesStart::new("is"))).map_err(ioerr)?;
                    w.write_event(Event::Start(BytesStart::new("t"))).map_err(ioerr)?;
                    w.write_event(Event::Text(BytesText::new(&repl))).map_err(ioerr)?;
                    w.write_event(Event::End(BytesEnd::new("t"))).map_err(ioerr)?;
                    w.write_event(Event::End(BytesEnd::new("is"))).map_err(ioerr)?;
                    w.write_event(evs[end].clone()).map_err(ioerr)?;
                    changed = true;
                    i = end + 1;
                    continue;
                }
                w.write_event(evs[i].clone()).map_err(ioerr)?;
            }
            Event::Start(e) | Event::Empty(e) => match attributes(e, job) {
                Some(ne) => {
                    changed = true;
                    let ev = if matches!(evs[i], Event::Start(_)) { Event::Start(ne) } else { Event::Empty(ne) };
                    w.write_event(ev).map_err(ioerr)?;
                }
                None => w.write_event(evs[i].clone()).map_err(ioerr)?,
            },
            e => w.write_event(e.clone()).map_err(ioerr)?,
        }
        i += 1;
    }
    Ok(changed.then(|| w.into_inner()))
}

/// An element with its attributes redacted, or `None` if none holds a found value.
fn attributes(e: &BytesStart, job: &Job) -> Option<BytesStart<'static>> {
    let mut changed = false;
    let mut drop_value = false;
    let mut attrs: Vec<(Vec<u8>, String)> = Vec::new();
    for a in e.attributes().flatten() {
        let key = a.key.as_ref().to_vec();
        let v = unescape(&a.value).unwrap_or_default();
        let l = local(&key);
        if matches!(l, b"value" | b"date-value" | b"time-value")
            && key.starts_with(b"office:")
            && (job.numeric_attribute(&v) || job.attribute(&v).is_some())
        {
            drop_value = true;
            changed = true;
            continue;
        }
        let text_attribute = TEXT_ATTRIBUTES.contains(&l);
        match job.attribute(&v).filter(|_| text_attribute) {
            Some(nv) => {
                changed = true;
                attrs.push((key, nv));
            }
            None => attrs.push((key, v)),
        }
    }
    if !changed {
        return None;
    }
    let mut ne = BytesStart::new(String::from_utf8_lossy(e.name().as_ref()).into_owned());
    for (k, v) in attrs {
        let v = if drop_value && local(&k) == b"value-type" { "string".to_string() } else { v };
        ne.push_attribute((String::from_utf8_lossy(&k).as_ref(), v.as_str()));
    }
    Some(ne)
}

/// For a worksheet cell `<c>` starting at `i` that holds a found value as a number (or a
/// formula result): its replacement and the index of its end.
fn cell_replacement(evs: &[Event<'static>], i: usize, e: &BytesStart, job: &Job) -> Option<(String, usize)> {
    let r = attr_value(e, b"r")?;
    let hits = job.cells?.get(&r)?;
    let t = attr_value(e, b"t").unwrap_or_default();
    if t == "s" || t == "inlineStr" {
        return None;
    }
    let mut depth = 0;
    let mut end = None;
    let mut v = String::new();
    let mut in_v = false;
    for (k, ev) in evs.iter().enumerate().skip(i) {
        match ev {
            Event::Start(s) => {
                depth += 1;
                in_v = local(s.name().as_ref()) == b"v";
            }
            Event::End(_) => {
                depth -= 1;
                in_v = false;
                if depth == 0 {
                    end = Some(k);
                    break;
                }
            }
            Event::Text(x) if in_v => v.push_str(&x.xml_content().ok()?),
            _ => {}
        }
    }
    let end = end?;
    let hit = hits.iter().find(|h| {
        let f = &h.finding;
        (!v.is_empty() && v.contains(f.value.as_str()))
            || (!digits(&v).is_empty() && digits(&v) == digits(&f.value))
            || (matches!(f.category, "date_of_birth" | "age") && matches!(t.as_str(), "" | "n" | "d"))
    })?;
    Some((hit.replacement(&job.red.rep), end))
}

/// Worksheet part → sheet name, through `xl/workbook.xml` and its relationships.
fn sheet_parts(parts: &HashMap<String, Vec<u8>>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let (Some(wb), Some(rels)) = (parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")) else {
        return out;
    };
    let rels = parse_rels(rels, "xl/workbook.xml");
    for attrs in xmltext::elements(wb, b"sheet").unwrap_or_default() {
        let Some(name) = attrs.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone()) else { continue };
        if let Some((_, part)) = relationship_id(&attrs).and_then(|id| rels.get(&id)) {
            out.insert(part.clone(), name);
        }
    }
    out
}

/// The redacted copy of an Office or ODF package.
pub fn redact(bytes: &[u8], hits: &[Hit], red: &Redactor, depth: u32) -> Written {
    let own: Vec<&Hit> = hits.iter().filter(|h| h.finding.member.is_none() && !h.is_name()).collect();
    let mut values: Vec<Value> = Vec::new();
    for h in &own {
        if !values.iter().any(|v| v.text == h.finding.value) {
            values.push(Value { text: h.finding.value.clone(), hit: h });
        }
    }
    // Cells with findings, per sheet name.
    let mut by_sheet: HashMap<String, HashMap<String, Vec<&Hit>>> = HashMap::new();
    for h in &own {
        if let Location::Sheet { sheet, cell, .. } = &h.finding.location {
            by_sheet.entry(sheet.clone()).or_default().entry(cell.clone()).or_default().push(h);
        }
    }
    // The workbook parts that map sheet names to parts.
    let mut small: HashMap<String, Vec<u8>> = HashMap::new();
    if let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        for name in ["xl/workbook.xml", "xl/_rels/workbook.xml.rels"] {
            if let Ok(mut f) = zip.by_name(name) {
                let mut v = Vec::new();
                if std::io::Read::read_to_end(&mut (&mut f).take(64 << 20), &mut v).is_ok() {
                    small.insert(name.to_string(), v);
                }
            }
        }
    }
    let sheets = sheet_parts(&small);
    let empty = HashMap::new();
    let hook = |name: &str, xml: &[u8]| -> Result<Option<Vec<u8>>, String> {
        let cells = sheets.get(name).map(|s| by_sheet.get(s).unwrap_or(&empty));
        let properties = name == "docProps/core.xml" || name == "meta.xml";
        let job = Job { red, values: &values, cells, properties };
        rewrite(xml, &job)
    };
    archive::rebuild(bytes, hits, red, depth, Some(&hook))
}

use std::io::Read as _;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Catalog;
    use crate::redact::{ImagePolicy, Mode, Replacer};
    use crate::scan::{ScanOptions, Scanner};

    fn job_run(xml: &str) -> String {
        let scanner = Scanner::new(Catalog::builtin().unwrap(), ScanOptions::default()).unwrap();
        let red = Redactor {
            scanner: &scanner,
            rep: Replacer::new(Mode::Mask, None).unwrap(),
            images: ImagePolicy::Withhold,
            blacked: Default::default(),
        };
        let job = Job { red: &red, values: &[], cells: None, properties: false };
        match rewrite(xml.as_bytes(), &job).unwrap() {
            Some(b) => String::from_utf8(b).unwrap(),
            None => xml.to_string(),
        }
    }

    #[test]
    fn a_number_split_across_runs_is_masked_in_place() {
        let xml = r#"<w:p><w:r><w:t>電話 03-1234-</w:t></w:r><w:proofErr/><w:r><w:rPr><w:b/></w:rPr><w:t>5678 &amp; 以上</w:t></w:r></w:p>"#;
        let out = job_run(xml);
        assert_eq!(
            out,
            r#"<w:p><w:r><w:t>電話 **-****-</w:t></w:r><w:proofErr/><w:r><w:rPr><w:b/></w:rPr><w:t>**** &amp; 以上</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn untouched_parts_are_byte_identical() {
        let xml = r#"<?xml version="1.0"?><a:p><a:t>hello &#12354; world</a:t></a:p>"#;
        assert_eq!(job_run(xml), xml);
    }
}
