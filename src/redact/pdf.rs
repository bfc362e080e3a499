//! PDF: a full rewrite, never an incremental update.
//!
//! What this writer does today: every PDF it copies is loaded and saved whole (lopdf,
//! `prune_objects`), so earlier revisions and unreferenced objects are dropped; findings in the
//! document Info dictionary or the XMP packet are removed with the whole dictionary / packet.
//! Findings anywhere else (page text, annotations, form fields, outlines) need glyph removal,
//! which is not implemented yet: such a file is withheld, never copied with the text still
//! in it. Encrypted or unparsable files are withheld too.

use lopdf::{Document, Object};

use super::{Hit, Redactor, Written};
use crate::read::pdf::INFO_FIELDS;
use crate::segment::Location;

fn is_document_metadata(field: &str) -> bool {
    INFO_FIELDS.contains(&field) || field.contains(':')
}

/// The redacted copy of a PDF.
pub fn redact(bytes: &[u8], hits: &[Hit], _red: &Redactor) -> Written {
    let mut clean_metadata = false;
    for h in hits {
        match &h.finding.location {
            Location::Metadata { metadata } if is_document_metadata(metadata) => clean_metadata = true,
            _ => {
                return Written::Withheld(format!(
                    "PDF with {} in its page text, annotations, form fields or outlines: glyph removal is not \
                     implemented yet",
                    h.finding.category
                ))
            }
        }
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<Vec<u8>, String> {
        let mut doc = Document::load_mem(bytes).map_err(|_| "PDF could not be parsed for rewriting".to_string())?;
        if doc.is_encrypted() {
            return Err("encrypted PDF, not rewritten".into());
        }
        if clean_metadata {
            doc.trailer.remove(b"Info");
            if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
                if let Ok(catalog) = doc.get_object_mut(root).and_then(Object::as_dict_mut) {
                    catalog.remove(b"Metadata");
                }
            }
        }
        doc.prune_objects();
        doc.renumber_objects();
        doc.trailer.set("Size", i64::from(doc.max_id) + 1);
        doc.trailer.remove(b"Prev");
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
