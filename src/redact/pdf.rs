//! PDF: true removal, then a full rewrite (never an incremental update).
//!
//! The reader's content-stream interpreter (`read::pdf::extract_pages`) records, for every
//! glyph, which stream, operation, `TJ` element and bytes its code came from and how far it
//! moved the text position. For each finding on a page the glyphs of its span are located in
//! the page text; their codes are cut out of the `Tj`/`TJ`/`'`/`"` operands (the operation
//! becomes a `TJ` whose numbers replace the removed glyphs' advances, so the glyphs after them
//! stay in place) — in the page's content or in the Form XObject that drew them — and a filled
//! box is drawn where they were, after the page's own content (wrapped in `q … Q`).
//! A finding on a page that is not in its text (annotation contents, widget values) removes
//! the page's annotations; findings in form fields remove the AcroForm, in bookmarks the
//! outline, in Info or XMP the Info dictionary and the XMP packet. The document is then saved
//! whole: unreferenced objects pruned, objects renumbered, no `/Prev`, so no earlier revision
//! survives.
//!
//! Fails closed: encrypted files, pages the reader could not read completely (undecodable
//! fonts, images needing OCR, malformed content), glyphs whose origin is unknown, embedded
//! files and findings elsewhere withhold the file.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId};

use super::{Hit, Redactor, Written};
use crate::read::pdf::{extract_pages, GlyphSrc, INFO_FIELDS};
use crate::segment::Location;

fn is_document_metadata(field: &str) -> bool {
    INFO_FIELDS.contains(&field) || field.contains(':')
}

#[derive(Default)]
struct Plan {
    /// Page number → glyph codes to cut, per stream (0: page content, k: form k).
    cuts: BTreeMap<u32, Vec<GlyphSrc>>,
    /// Page number → boxes (x, y, w, h) in default user space.
    boxes: BTreeMap<u32, Vec<[f32; 4]>>,
    /// Pages whose annotations go.
    drop_annots: Vec<u32>,
    metadata: bool,
    acroform: bool,
    outlines: bool,
}

/// Cuts codes out of one operation; `None` when it cannot be done safely.
fn cut_op(op: &Operation, cuts: &[GlyphSrc]) -> Option<Vec<Operation>> {
    let (items, prefix): (Vec<Object>, Vec<Operation>) = match op.operator.as_str() {
        "TJ" => (op.operands.first()?.as_array().ok()?.clone(), Vec::new()),
        "Tj" => (vec![op.operands.first()?.clone()], Vec::new()),
        "'" => (vec![op.operands.first()?.clone()], vec![Operation::new("T*", vec![])]),
        "\"" => (
            vec![op.operands.get(2)?.clone()],
            vec![
                Operation::new("Tw", vec![op.operands.first()?.clone()]),
                Operation::new("Tc", vec![op.operands.get(1)?.clone()]),
                Operation::new("T*", vec![]),
            ],
        ),
        _ => return None,
    };
    let mut out: Vec<Object> = Vec::new();
    let push_num = |out: &mut Vec<Object>, v: f32| {
        if let Some(Object::Real(prev)) = out.last_mut() {
            *prev += v;
        } else {
            out.push(Object::Real(v));
        }
    };
    for (k, item) in items.iter().enumerate() {
        let mine: Vec<&GlyphSrc> = cuts.iter().filter(|c| c.item as usize == k).collect();
        if mine.is_empty() {
            out.push(item.clone());
            continue;
        }
        let Object::String(bytes, format) = item else { return None };
        let mut mine = mine;
        mine.sort_by_key(|c| c.at);
        let mut at = 0usize;
        for c in mine {
            let (s, e) = (c.at as usize, (c.at as usize + c.len as usize).min(bytes.len()));
            if s < at || !c.adj.is_finite() {
                return None;
            }
            if s > at {
                out.push(Object::String(bytes[at..s].to_vec(), *format));
            }
            push_num(&mut out, c.adj);
            at = e;
        }
        if at < bytes.len() {
            out.push(Object::String(bytes[at..].to_vec(), *format));
        }
    }
    let mut ops = prefix;
    ops.push(Operation::new("TJ", vec![Object::Array(out)]));
    Some(ops)
}

/// The content `data` with the codes of `cuts` removed.
fn rewrite_content(data: &[u8], cuts: &[GlyphSrc]) -> Option<Vec<u8>> {
    let ops: Vec<Operation> = Content::decode_iter(data).collect::<Result<_, _>>().ok()?;
    let mut by_op: HashMap<u32, Vec<GlyphSrc>> = HashMap::new();
    for c in cuts {
        by_op.entry(c.op).or_default().push(*c);
    }
    let mut out = Vec::with_capacity(ops.len());
    for (i, op) in ops.into_iter().enumerate() {
        match by_op.get(&(i as u32)) {
            Some(c) => out.extend(cut_op(&op, c)?),
            None => out.push(op),
        }
    }
    Content { operations: out }.encode().ok()
}

fn plan(doc: &Document, hits: &[Hit]) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let mut page_hits: BTreeMap<u32, Vec<&Hit>> = BTreeMap::new();
    for h in hits {
        match &h.finding.location {
            Location::Page { page } => page_hits.entry(*page as u32).or_default().push(h),
            Location::Metadata { metadata } if is_document_metadata(metadata) => plan.metadata = true,
            Location::Metadata { metadata } if metadata == "form_field" => plan.acroform = true,
            Location::Metadata { metadata } if metadata == "outline" => plan.outlines = true,
            _ => return Err(format!("a {} finding the PDF writer cannot place", h.finding.category)),
        }
    }
    if page_hits.is_empty() {
        return Ok(plan);
    }
    let texts = extract_pages(doc);
    for (pno, hs) in page_hits {
        let Some(pt) = texts.iter().find(|p| p.page == pno) else {
            return Err(format!("page {pno} not found for rewriting"));
        };
        if !pt.problems.is_empty() || pt.undecodable > 0 {
            return Err(format!("page {pno} could not be read completely (undecodable font or image)"));
        }
        let mut ranges = Vec::new();
        for h in hs {
            let v = h.finding.value.as_str();
            if pt.text.get(h.range.clone()) == Some(v) {
                ranges.push(h.range.clone());
            } else {
                let found: Vec<_> = pt.text.match_indices(v).map(|(i, _)| i..i + v.len()).collect();
                if found.is_empty() {
                    // Not in the page's text: in an annotation or a widget.
                    plan.drop_annots.push(pno);
                }
                ranges.extend(found);
            }
        }
        for g in &pt.glyphs {
            let b = g.byte as usize;
            if !ranges.iter().any(|r| r.start <= b && b < r.end) {
                continue;
            }
            if g.src.stream == u16::MAX || !g.src.adj.is_finite() {
                return Err(format!("page {pno}: a glyph to remove cannot be traced to its content stream"));
            }
            plan.cuts.entry(pno).or_default().push(g.src);
            let w = if g.width > 0.0 { g.width } else { g.size * 0.6 };
            plan.boxes.entry(pno).or_default().push([g.x, g.y - 0.25 * g.size, w, g.size * 1.15]);
        }
    }
    Ok(plan)
}

fn apply(doc: &mut Document, plan: &Plan) -> Result<(), String> {
    let pages = doc.get_pages();
    let texts = if plan.cuts.is_empty() { Vec::new() } else { extract_pages(doc) };
    // Every cut, per Form XObject (a form shown on several pages is edited once) and per page.
    let mut forms: BTreeMap<ObjectId, Vec<GlyphSrc>> = BTreeMap::new();
    let mut page_cuts: BTreeMap<u32, Vec<GlyphSrc>> = BTreeMap::new();
    for (pno, cuts) in &plan.cuts {
        let pt = texts.iter().find(|p| p.page == *pno).ok_or("page vanished")?;
        for c in cuts {
            if c.stream == 0 {
                page_cuts.entry(*pno).or_default().push(*c);
            } else {
                let form: ObjectId = *pt.forms.get(c.stream as usize - 1).ok_or("form vanished")?;
                let list = forms.entry(form).or_default();
                let mut c = *c;
                c.stream = 0;
                if !list.contains(&c) {
                    list.push(c);
                }
            }
        }
    }
    for (form, cs) in &forms {
        let stream = doc.get_object_mut(*form).and_then(Object::as_stream_mut).map_err(|_| "form is not a stream")?;
        let data = stream.get_plain_content().map_err(|_| "form content undecodable")?;
        let new = rewrite_content(&data, cs).ok_or("form content cannot be rewritten safely")?;
        stream.set_plain_content(new);
    }
    for pno in plan.cuts.keys() {
        let id = *pages.get(pno).ok_or("page vanished")?;
        let data = doc.get_page_content(id);
        let mut new = match page_cuts.get(pno) {
            Some(cs) => rewrite_content(&data, cs).ok_or("page content cannot be rewritten safely")?,
            None => data,
        };
        let mut content = b"q\n".to_vec();
        content.append(&mut new);
        content.extend_from_slice(b"\nQ\nq 0 0 0 rg\n");
        for [x, y, w, h] in plan.boxes.get(pno).into_iter().flatten() {
            content.extend_from_slice(format!("{x:.2} {y:.2} {w:.2} {h:.2} re f\n").as_bytes());
        }
        content.extend_from_slice(b"Q\n");
        let sid = doc.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), content));
        let page = doc.get_object_mut(id).and_then(Object::as_dict_mut).map_err(|_| "page is not a dictionary")?;
        page.set("Contents", Object::Reference(sid));
    }
    for pno in &plan.drop_annots {
        let id = *pages.get(pno).ok_or("page vanished")?;
        if let Ok(page) = doc.get_object_mut(id).and_then(Object::as_dict_mut) {
            page.remove(b"Annots");
        }
        // Widgets carried the form's fields.
        if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
            if let Ok(catalog) = doc.get_object_mut(root).and_then(Object::as_dict_mut) {
                catalog.remove(b"AcroForm");
            }
        }
    }
    if plan.metadata {
        doc.trailer.remove(b"Info");
    }
    let root = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| "no catalog")?;
    let catalog = doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(|_| "no catalog")?;
    if plan.metadata {
        catalog.remove(b"Metadata");
    }
    if plan.acroform {
        catalog.remove(b"AcroForm");
    }
    if plan.outlines {
        catalog.remove(b"Outlines");
    }
    Ok(())
}

fn has_embedded_files(doc: &Document) -> bool {
    let Ok(catalog) = doc.catalog() else { return false };
    let names = match catalog.get(b"Names") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    names.is_some_and(|n| n.has(b"EmbeddedFiles"))
}

/// The redacted copy of a PDF.
pub fn redact(bytes: &[u8], hits: &[Hit], _red: &Redactor) -> Written {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<Vec<u8>, String> {
        let mut doc = Document::load_mem(bytes).map_err(|_| "PDF could not be parsed for rewriting".to_string())?;
        if doc.is_encrypted() {
            return Err("encrypted PDF, not rewritten".into());
        }
        if has_embedded_files(&doc) {
            return Err("PDF with embedded files (not inspected), not copied".into());
        }
        let plan = plan(&doc, hits)?;
        apply(&mut doc, &plan)?;
        doc.prune_objects();
        doc.renumber_objects();
        doc.trailer.set("Size", i64::from(doc.max_id) + 1);
        doc.trailer.remove(b"Prev");
        doc.compress();
        let mut out = Vec::new();
        doc.save_to(&mut out).map_err(|_| "PDF could not be written".to_string())?;
        Ok(out)
    }));
    match result {
        Ok(Ok(b)) => Written::New(b),
        Ok(Err(e)) => Written::Withheld(e),
        Err(_) => Written::Withheld("PDF writer failed on a malformed file".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_codes_become_adjustments() {
        let op = Operation::new("Tj", vec![Object::string_literal("AB03C")]);
        let cuts = [
            GlyphSrc { stream: 0, op: 0, item: 0, at: 2, len: 1, adj: -500.0 },
            GlyphSrc { stream: 0, op: 0, item: 0, at: 3, len: 1, adj: -500.0 },
        ];
        let out = cut_op(&op, &cuts).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].operator, "TJ");
        let arr = out[0].operands[0].as_array().unwrap();
        assert_eq!(arr.len(), 3);
        assert_eq!(arr[0].as_str().unwrap(), b"AB");
        assert_eq!(arr[1], Object::Real(-1000.0));
        assert_eq!(arr[2].as_str().unwrap(), b"C");
    }
}
