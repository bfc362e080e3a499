//! Word, PowerPoint and OpenDocument packages (docx, pptx, odt, odp), and the parts of an xlsx
//! that calamine does not read.
//!
//! Every XML part that can hold text is read, not only the body: headers, footers, footnotes,
//! comments, text boxes, tracked insertions and deletions, slides, notes, drawings, plus the
//! document properties (author, last editor, title) that travel with every copy of a file.
//! Each paragraph is one segment located by its part and 1-based paragraph number
//! (`{"part": "word/document.xml", "paragraph": 3}`), a slide's by its slide number in
//! presentation order, a property by its field (`{"metadata": "creator"}`). Embedded objects
//! (`word/embeddings/*.xlsx`) are read as members. Every part goes through the archive
//! reader's caps.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use zip::ZipArchive;

use super::archive::{self, read_member, read_member_bytes};
use super::xmltext::{self, Dialect, Para};
use super::{Ctx, Outcome, ReadError};
use crate::segment::{Location, Origin, Segment};

/// A word-processing or presentation package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeKind {
    /// Word (Office Open XML).
    Docx,
    /// PowerPoint (Office Open XML).
    Pptx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument presentation.
    Odp,
}

/// Document properties read as metadata (local element names of core.xml, app.xml, meta.xml).
pub const PROPERTY_FIELDS: &[&str] = &[
    "creator",
    "lastModifiedBy",
    "title",
    "subject",
    "keywords",
    "description",
    "category",
    "Company",
    "Manager",
    "initial-creator",
    "HyperlinkBase",
];

/// What a package part is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Text(Dialect),
    Properties,
    Embedded,
    Media(crate::media::MediaKind),
    Ignore,
}

fn role(kind: OfficeKind, name: &str) -> Role {
    let xml = name.ends_with(".xml") && !name.contains("_rels/");
    if name.contains("/embeddings/") || name.starts_with("embeddings/") {
        return Role::Embedded;
    }
    if let Some(m) = media_part(name) {
        return Role::Media(m);
    }
    match kind {
        OfficeKind::Docx | OfficeKind::Pptx => {
            if name == "docProps/core.xml" || name == "docProps/app.xml" {
                Role::Properties
            } else if xml && (name.starts_with("word/") || name.starts_with("ppt/")) {
                Role::Text(Dialect::Ooxml)
            } else {
                Role::Ignore
            }
        }
        OfficeKind::Odt | OfficeKind::Odp => {
            if name == "meta.xml" {
                Role::Properties
            } else if name == "content.xml" || name == "styles.xml" || name.ends_with("/content.xml") {
                Role::Text(Dialect::Odf)
            } else {
                Role::Ignore
            }
        }
    }
}

/// Whether a package part is an image or a recording (`word/media/image1.png`,
/// `xl/media/image1.jpeg`, `ppt/media/media1.m4a`, `Pictures/…` in ODF).
pub fn media_part(name: &str) -> Option<crate::media::MediaKind> {
    let in_media = name.contains("/media/") || name.starts_with("Pictures/");
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    if in_media {
        crate::media::kind_of_ext(&ext)
    } else {
        None
    }
}

/// The names of a package's members by index (package part names are ASCII).
pub fn part_names<R: Read + Seek>(zip: &ZipArchive<R>) -> Vec<String> {
    (0..zip.len()).map(|i| zip.name_for_index(i).unwrap_or_default().to_string()).collect()
}

/// Reads one part (capped), or `None` when the package has no such part.
pub fn part<R: Read + Seek>(zip: &mut ZipArchive<R>, name: &str, ctx: &mut Ctx) -> Option<Result<Vec<u8>, String>> {
    let i = zip.index_for_name(name)?;
    Some(read_member(zip, i, ctx))
}

/// Resolves a relationship target against the folder of its source part.
pub fn resolve(source: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = source.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The name of the relationships part of `source`.
pub fn rels_name(source: &str) -> String {
    let (dir, file) = source.rsplit_once('/').unwrap_or(("", source));
    if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    }
}

/// The relationships of `source`: id → (type, resolved target).
pub fn rels<R: Read + Seek>(zip: &mut ZipArchive<R>, source: &str, ctx: &mut Ctx) -> HashMap<String, (String, String)> {
    match part(zip, &rels_name(source), ctx) {
        Some(Ok(xml)) => parse_rels(&xml, source),
        _ => HashMap::new(),
    }
}

/// Parses the relationships part of `source`: id → (type, resolved target).
pub fn parse_rels(xml: &[u8], source: &str) -> HashMap<String, (String, String)> {
    let Ok(list) = xmltext::elements(xml, b"Relationship") else {
        return HashMap::new();
    };
    list.into_iter()
        .filter_map(|attrs| {
            let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
            if get("TargetMode").as_deref() == Some("External") {
                return None;
            }
            Some((get("Id")?, (get("Type").unwrap_or_default(), resolve(source, &get("Target")?))))
        })
        .collect()
}

/// The `r:id` attribute of an element.
pub fn relationship_id(attrs: &[(String, String)]) -> Option<String> {
    attrs.iter().find(|(k, _)| k.ends_with(":id") && k != "id").map(|(_, v)| v.clone())
}

/// Slide part → slide number, in presentation order (falls back to the number in the name).
fn slide_numbers<R: Read + Seek>(zip: &mut ZipArchive<R>, ctx: &mut Ctx) -> HashMap<String, u64> {
    let rels = rels(zip, "ppt/presentation.xml", ctx);
    let Some(Ok(xml)) = part(zip, "ppt/presentation.xml", ctx) else {
        return HashMap::new();
    };
    let ids = xmltext::elements(&xml, b"sldId").unwrap_or_default();
    ids.iter()
        .filter_map(|attrs| rels.get(&relationship_id(attrs)?).map(|(_, target)| target.clone()))
        .enumerate()
        .map(|(i, target)| (target, i as u64 + 1))
        .collect()
}

fn number_in(name: &str) -> Option<u64> {
    let stem = name.rsplit('/').next()?.strip_suffix(".xml")?;
    let digits: String = stem.chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// Emits the document properties of a properties part.
pub fn emit_properties(xml: &[u8], emit: &mut dyn FnMut(&Segment)) -> Result<(), String> {
    for (field, value) in xmltext::properties(xml, PROPERTY_FIELDS)? {
        emit(&Segment::new(value, Origin::Fixed(Location::Metadata { metadata: field })));
    }
    Ok(())
}

/// Emits the paragraphs of one part, each located by `locate`. A paragraph in a table cell
/// is labelled by its column's header cell when that reads as a label (`is_header`), as a CSV
/// field is.
pub fn emit_paragraphs(
    xml: &[u8],
    dialect: Dialect,
    locate: &dyn Fn(&Para) -> Location,
    is_header: &dyn Fn(&[&str]) -> bool,
    emit: &mut dyn FnMut(&Segment),
) -> Result<(), String> {
    xmltext::paragraphs(xml, dialect, &mut |p: Para| {
        let loc = locate(&p);
        let label = p.column_header.filter(|h| is_header(&[h.as_str()]));
        let mut seg = Segment::new(p.text, Origin::Fixed(loc));
        seg.label = label;
        emit(&seg);
    })
}

/// Reads a docx, pptx, odt or odp held in memory.
pub fn read(
    kind: OfficeKind,
    bytes: &[u8],
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    let mut zip = archive::open(Cursor::new(bytes))?;
    let (format, main) = match kind {
        OfficeKind::Docx => ("docx", "word/document.xml"),
        OfficeKind::Pptx => ("pptx", "ppt/presentation.xml"),
        OfficeKind::Odt => ("odt", "content.xml"),
        OfficeKind::Odp => ("odp", "content.xml"),
    };
    if zip.index_for_name(main).is_none() {
        return Err(ReadError::Invalid(format!("{format}: main part missing (not a {format} package)")));
    }
    let slides = if kind == OfficeKind::Pptx { slide_numbers(&mut zip, ctx) } else { HashMap::new() };
    // The document's text, kept (capped) for the images in it, which are read last.
    let mut context = crate::media::ContextText::default();
    let mut media = Vec::new();
    // Alt text and names of the pictures (`descr="署名"`), by media part.
    let mut labels: HashMap<String, String> = HashMap::new();
    // The slide a picture or recording is on, by media part (pptx).
    let mut on_slide: HashMap<String, u64> = HashMap::new();
    let outer_emit = emit;
    let emit = &mut |seg: &Segment| {
        context.push(&seg.text);
        outer_emit(seg);
    };
    for (i, name) in part_names(&zip).into_iter().enumerate() {
        let role = role(kind, &name);
        if role == Role::Ignore {
            continue;
        }
        if let Role::Media(m) = role {
            media.push((i, name, m));
            continue;
        }
        let data = match read_member(&mut zip, i, ctx) {
            Ok(d) => d,
            Err(reason) if name == main => return Err(ReadError::Invalid(format!("{format}: {name}: {reason}"))),
            Err(reason) => {
                ctx.problem(&name, reason);
                continue;
            }
        };
        let result = match role {
            Role::Properties => emit_properties(&data, emit),
            Role::Embedded => {
                read_member_bytes(&name, &data, ctx, emit);
                Ok(())
            }
            Role::Text(dialect) => {
                let slide = slides.get(&name).copied().or_else(|| {
                    (kind == OfficeKind::Pptx && name.starts_with("ppt/slides/")).then(|| number_in(&name)).flatten()
                });
                if matches!(kind, OfficeKind::Docx | OfficeKind::Pptx) && memchr::memmem::find(&data, b"blip").is_some()
                {
                    let part_rels = rels(&mut zip, &name, ctx);
                    for (rid, label) in xmltext::image_labels(&data).unwrap_or_default() {
                        if let Some((_, target)) = part_rels.get(&rid) {
                            let l = labels.entry(target.clone()).or_default();
                            l.push(' ');
                            l.push_str(&label);
                        }
                    }
                    if let Some(slide) = slide {
                        for (_, target) in part_rels.values() {
                            on_slide.entry(target.clone()).or_insert(slide);
                        }
                    }
                }
                let odp_content = kind == OfficeKind::Odp && name == "content.xml";
                let locate = |p: &Para| match slide {
                    Some(slide) => Location::Slide { slide },
                    None if odp_content && p.page > 0 => Location::Slide { slide: p.page },
                    None => Location::Part { part: name.clone(), paragraph: p.index },
                };
                emit_paragraphs(&data, dialect, &locate, ctx.is_header, emit)
            }
            Role::Ignore | Role::Media(_) => Ok(()),
        };
        if let Err(reason) = result {
            if name == main {
                return Err(ReadError::Invalid(format!("{format}: {name}: {reason}")));
            }
            ctx.problem(&name, reason);
        }
    }
    let media = media.into_iter().map(|(i, name, m)| (i, labels.remove(&name).unwrap_or_default(), name, m)).collect();
    read_media_parts(&mut zip, media, context, ctx, &mut |seg: &Segment| {
        // A picture on a slide is located on that slide.
        match (&seg.origin, seg.member.as_ref().and_then(|m| on_slide.get(m))) {
            (Origin::Fixed(Location::Media { .. }), Some(&slide)) => {
                let mut seg = seg.clone();
                seg.origin = Origin::Fixed(Location::Slide { slide });
                outer_emit(&seg);
            }
            _ => outer_emit(seg),
        }
    });
    Ok(Outcome::Document { format, problems: Vec::new() })
}

/// Classifies the image and audio parts of a package, with the package's text as context and
/// the pictures' labels (alt text, names) as their names; each finding carries the part's name
/// as its member.
pub fn read_media_parts<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    parts: Vec<(usize, String, String, crate::media::MediaKind)>,
    context: crate::media::ContextText,
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) {
    if parts.is_empty() {
        return;
    }
    let outer = std::mem::replace(&mut ctx.context, context.0);
    for (i, label, name, m) in parts {
        match read_member(zip, i, ctx) {
            Ok(data) => crate::media::read_labelled(m, &name, &label, &data, ctx, &mut |seg: &Segment| {
                let mut seg = seg.clone();
                seg.member = Some(name.clone());
                emit(&seg);
            }),
            Err(reason) => ctx.problem(&name, reason),
        }
    }
    ctx.context = outer;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve() {
        assert_eq!(resolve("xl/worksheets/sheet1.xml", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resolve("xl/workbook.xml", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("ppt/presentation.xml", "/ppt/slides/slide2.xml"), "ppt/slides/slide2.xml");
        assert_eq!(number_in("ppt/slides/slide12.xml"), Some(12));
    }
}
