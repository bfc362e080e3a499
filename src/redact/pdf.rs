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
use crate::read::pdf::{extract_pages, text_string, GlyphSrc, INFO_FIELDS};
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

/// The resource name of the font placeholders are drawn in (Helvetica `*`).
const MASK_FONT: &str = "SumiMask";
/// Width of `*` in Helvetica, in thousandths of an em.
const STAR: f32 = 389.0;

/// The text state that placeholders need: the current font and size, and `Tc`.
#[derive(Clone, Default)]
struct TextState {
    font: Option<Vec<u8>>,
    size: f32,
    tc: f32,
}

enum Piece {
    Items(Vec<Object>),
    /// `k` glyphs removed, which moved the text position by `adj` (a `TJ` number).
    Cut {
        k: usize,
        adj: f32,
    },
}

/// Cuts codes out of one operation; `None` when it cannot be done safely. With the text
/// state known, the removed glyphs are replaced by as many `*` in the placeholder font (so
/// extracted text reads `TEL ****`, never a label followed by the next word), positioned so
/// that the glyphs after them stay in place.
fn cut_op(op: &Operation, cuts: &[GlyphSrc], ts: Option<&TextState>) -> Option<Vec<Operation>> {
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
    let mut pieces: Vec<Piece> = vec![Piece::Items(Vec::new())];
    let push_item = |pieces: &mut Vec<Piece>, o: Object| match pieces.last_mut() {
        Some(Piece::Items(v)) => v.push(o),
        _ => pieces.push(Piece::Items(vec![o])),
    };
    for (k, item) in items.iter().enumerate() {
        let mut mine: Vec<&GlyphSrc> = cuts.iter().filter(|c| c.item as usize == k).collect();
        if mine.is_empty() {
            push_item(&mut pieces, item.clone());
            continue;
        }
        let Object::String(bytes, format) = item else { return None };
        mine.sort_by_key(|c| c.at);
        let mut at = 0usize;
        for c in mine {
            let (s, e) = (c.at as usize, (c.at as usize + c.len as usize).min(bytes.len()));
            if s < at || !c.adj.is_finite() {
                return None;
            }
            if s > at {
                push_item(&mut pieces, Object::String(bytes[at..s].to_vec(), *format));
            }
            match pieces.last_mut() {
                Some(Piece::Cut { k, adj }) if s == at => {
                    *k += 1;
                    *adj += c.adj;
                }
                _ => pieces.push(Piece::Cut { k: 1, adj: c.adj }),
            }
            at = e;
        }
        if at < bytes.len() {
            push_item(&mut pieces, Object::String(bytes[at..].to_vec(), *format));
        }
    }
    let mut ops = prefix;
    let placeholder = ts.filter(|t| t.font.is_some() && t.size != 0.0);
    let mut pending: Vec<Object> = Vec::new();
    for piece in pieces {
        match (piece, placeholder) {
            (Piece::Items(v), _) => pending.extend(v),
            (Piece::Cut { adj, .. }, None) => match pending.last_mut() {
                Some(Object::Real(prev)) => *prev += adj,
                _ => pending.push(Object::Real(adj)),
            },
            (Piece::Cut { k, adj }, Some(t)) => {
                if !pending.is_empty() {
                    ops.push(Operation::new("TJ", vec![Object::Array(std::mem::take(&mut pending))]));
                }
                let star = k as f32 * (STAR + t.tc * 1000.0 / t.size);
                let font = t.font.clone().unwrap_or_default();
                ops.push(Operation::new("Tf", vec![Object::Name(MASK_FONT.into()), Object::Real(t.size)]));
                ops.push(Operation::new(
                    "TJ",
                    vec![Object::Array(vec![Object::string_literal("*".repeat(k)), Object::Real(adj + star)])],
                ));
                ops.push(Operation::new("Tf", vec![Object::Name(font), Object::Real(t.size)]));
            }
        }
    }
    if !pending.is_empty() || ops.is_empty() {
        ops.push(Operation::new("TJ", vec![Object::Array(pending)]));
    }
    Some(ops)
}

/// The content `data` with the codes of `cuts` removed. `placeholders`: whether `*` may be
/// drawn in their place (the stream's resources get the placeholder font).
fn rewrite_content(data: &[u8], cuts: &[GlyphSrc], placeholders: bool) -> Option<(Vec<u8>, bool)> {
    let ops: Vec<Operation> = Content::decode_iter(data).collect::<Result<_, _>>().ok()?;
    let mut by_op: HashMap<u32, Vec<GlyphSrc>> = HashMap::new();
    for c in cuts {
        by_op.entry(c.op).or_default().push(*c);
    }
    let num = |o: Option<&Object>| o.and_then(|o| o.as_float().ok().or_else(|| o.as_i64().ok().map(|i| i as f32)));
    let mut ts = TextState::default();
    let mut stack: Vec<TextState> = Vec::new();
    let mut used = false;
    let mut out = Vec::with_capacity(ops.len());
    for (i, op) in ops.into_iter().enumerate() {
        match op.operator.as_str() {
            "q" => stack.push(ts.clone()),
            "Q" => ts = stack.pop().unwrap_or_default(),
            "Tf" => {
                ts.font = op.operands.first().and_then(|n| n.as_name().ok()).map(<[u8]>::to_vec);
                ts.size = num(op.operands.get(1)).unwrap_or(0.0);
            }
            "Tc" => ts.tc = num(op.operands.first()).unwrap_or(0.0),
            "\"" => ts.tc = num(op.operands.get(1)).unwrap_or(0.0),
            _ => {}
        }
        match by_op.get(&(i as u32)) {
            Some(c) => {
                // Placeholders are horizontal: not in vertical writing.
                let t = (placeholders && ts.font.is_some() && !c.iter().any(|g| g.vertical)).then_some(&ts);
                used |= t.is_some();
                out.extend(cut_op(&op, c, t)?);
            }
            None => out.push(op),
        }
    }
    Some((Content { operations: out }.encode().ok()?, used))
}

/// Adds the placeholder font to a resource dictionary.
fn add_mask_font(doc: &mut Document, res: &mut lopdf::Dictionary) {
    let mut font = lopdf::Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    font.set("FirstChar", Object::Integer(42));
    font.set("LastChar", Object::Integer(42));
    font.set("Widths", Object::Array(vec![Object::Integer(STAR as i64)]));
    let id = doc.add_object(font);
    match res.get_mut(b"Font") {
        Ok(Object::Dictionary(d)) => d.set(MASK_FONT, Object::Reference(id)),
        Ok(Object::Reference(fid)) => {
            let fid = *fid;
            if let Ok(d) = doc.get_object_mut(fid).and_then(Object::as_dict_mut) {
                d.set(MASK_FONT, Object::Reference(id));
            }
        }
        _ => {
            let mut d = lopdf::Dictionary::new();
            d.set(MASK_FONT, Object::Reference(id));
            res.set("Font", Object::Dictionary(d));
        }
    }
}

/// The resources dictionary of a page or form stream, made its own (a copy of an inherited
/// or shared one), with the placeholder font added.
fn own_resources_with_mask_font(doc: &mut Document, owner: ObjectId, page: bool) -> Option<()> {
    let current: lopdf::Dictionary = if page {
        let (direct, ids) = doc.get_page_resources(owner).ok()?;
        match direct {
            Some(d) => d.clone(),
            None => ids.first().and_then(|i| doc.get_dictionary(*i).ok()).cloned().unwrap_or_default(),
        }
    } else {
        let st = doc.get_object(owner).ok()?.as_stream().ok()?;
        match st.dict.get(b"Resources") {
            Ok(Object::Dictionary(d)) => d.clone(),
            Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok()?.clone(),
            _ => return None,
        }
    };
    let mut res = current;
    // A copy of the font dictionary too, so shared resources are not changed for others.
    if let Ok(Object::Reference(fid)) = res.get(b"Font") {
        let fonts = doc.get_dictionary(*fid).ok()?.clone();
        res.set("Font", Object::Dictionary(fonts));
    }
    add_mask_font(doc, &mut res);
    let obj = doc.get_object_mut(owner).ok()?;
    match obj {
        Object::Dictionary(d) => d.set("Resources", Object::Dictionary(res)),
        Object::Stream(st) => st.dict.set("Resources", Object::Dictionary(res)),
        _ => return None,
    }
    Some(())
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
        let hs: Vec<&Hit> = hs;
        let Some(pt) = texts.iter().find(|p| p.page == pno) else {
            return Err(format!("page {pno} not found for rewriting"));
        };
        if !pt.problems.is_empty() || pt.undecodable > 0 {
            return Err(format!("page {pno} could not be read completely (undecodable font or image)"));
        }
        if annotations_hold(doc, pno, &hs) {
            plan.drop_annots.push(pno);
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

/// Whether an annotation of page `pno` holds one of the values (contents, title, field value,
/// rich text).
fn annotations_hold(doc: &Document, pno: u32, hits: &[&Hit]) -> bool {
    let Some(&id) = doc.get_pages().get(&pno) else { return false };
    let Ok(annots) = doc.get_page_annotations(id) else { return false };
    annots.iter().any(|a| {
        [&b"Contents"[..], b"T", b"V", b"TU", b"RC"].iter().any(|k| match a.get(k) {
            Ok(Object::String(b, _)) => {
                let t = text_string(b);
                hits.iter().any(|h| t.contains(h.finding.value.as_str()))
            }
            _ => false,
        })
    })
}

/// How many `q` the content leaves open.
fn open_saves(data: &[u8]) -> usize {
    let mut depth = 0usize;
    for op in Content::decode_iter(data).flatten() {
        match op.operator.as_str() {
            "q" => depth += 1,
            "Q" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
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
        let has_res = stream.dict.has(b"Resources");
        let (new, used) = rewrite_content(&data, cs, has_res).ok_or("form content cannot be rewritten safely")?;
        stream.set_plain_content(new);
        if used {
            own_resources_with_mask_font(doc, *form, false).ok_or("form resources cannot be extended")?;
        }
    }
    for pno in plan.cuts.keys() {
        let id = *pages.get(pno).ok_or("page vanished")?;
        let data = doc.get_page_content(id);
        let mut new = match page_cuts.get(pno) {
            Some(cs) => {
                let (new, used) = rewrite_content(&data, cs, true).ok_or("page content cannot be rewritten safely")?;
                if used {
                    own_resources_with_mask_font(doc, id, true).ok_or("page resources cannot be extended")?;
                }
                new
            }
            None => data,
        };
        // The page's content in `q … Q` (closing whatever it left open), then the boxes in
        // default user space.
        let open = open_saves(&new);
        let mut content = b"q\n".to_vec();
        content.append(&mut new);
        content.extend_from_slice(b"\n");
        content.extend_from_slice(&b"Q\n".repeat(open + 1));
        content.extend_from_slice(b"q 0 0 0 rg\n");
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
        // Encrypted files, even those that open with the empty password, are not rewritten:
        // a decrypted re-save is not reliable.
        if doc.is_encrypted() || doc.trailer.has(b"Encrypt") || memchr::memmem::find(bytes, b"/Encrypt").is_some() {
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
            GlyphSrc { stream: 0, op: 0, item: 0, at: 2, len: 1, adj: -500.0, vertical: false },
            GlyphSrc { stream: 0, op: 0, item: 0, at: 3, len: 1, adj: -500.0, vertical: false },
        ];
        let out = cut_op(&op, &cuts, None).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].operator, "TJ");
        let arr = out[0].operands[0].as_array().unwrap();
        assert_eq!(arr.len(), 3);
        assert_eq!(arr[0].as_str().unwrap(), b"AB");
        assert_eq!(arr[1], Object::Real(-1000.0));
        assert_eq!(arr[2].as_str().unwrap(), b"C");
        // With the text state known, two `*` take their place.
        let ts = TextState { font: Some(b"F1".to_vec()), size: 10.0, tc: 0.0 };
        let out = cut_op(&op, &cuts, Some(&ts)).unwrap();
        let names: Vec<&str> = out.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["TJ", "Tf", "TJ", "Tf", "TJ"]);
        let star = out[2].operands[0].as_array().unwrap();
        assert_eq!(star[0].as_str().unwrap(), b"**");
        assert_eq!(star[1], Object::Real(-1000.0 + 2.0 * STAR));
    }
}
