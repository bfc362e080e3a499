//! Zip archives (and the zip container of Office and ODF packages): rebuilt with redacted
//! members under their original names.
//!
//! A member nothing changed in is copied with its compressed bytes as they are
//! (`raw_copy_file_rename`, under the name decoded as the reader decodes it, so CP932 names
//! do not become CP437 mojibake). A changed member is written anew, deflated. A member whose
//! name holds personal data gets the redacted name. Members are redacted by the writer of
//! their own format, recursively; one member that cannot be written safely (or an encrypted
//! one) withholds the whole archive.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{Hit, Redactor, Written};
use crate::read::archive::{member_name, read_member};
use crate::read::Ctx;

/// How a package's XML parts are rewritten (Office and ODF), or `None` for a plain archive.
pub type XmlHook<'a> = &'a dyn Fn(&str, &[u8]) -> Result<Option<Vec<u8>>, String>;

/// Rebuilds the zip `bytes`. `xml` rewrites the XML parts of a package; every other member
/// goes to the writer of its format.
pub fn rebuild(bytes: &[u8], red: &Redactor, depth: u32, xml: Option<XmlHook>) -> Written {
    let ropts = &red.scanner.options().read;
    if depth >= ropts.max_depth {
        return Written::Withheld(format!("archive nested deeper than {} levels", ropts.max_depth));
    }
    let is_header = |c: &[&str]| red.scanner.is_header(c);
    let mut ctx = Ctx::new(ropts, &is_header);
    let mut zip = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(_) => return Written::Withheld("zip could not be opened for rewriting".into()),
    };
    let mut w = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let mut changed = false;
    for i in 0..zip.len() {
        let (name, is_dir, encrypted, method, modified) = match zip.by_index_raw(i) {
            Ok(f) => {
                (member_name(f.name_raw(), f.name()), f.is_dir(), f.encrypted(), f.compression(), f.last_modified())
            }
            Err(_) => return Written::Withheld(format!("zip member {} unreadable", i + 1)),
        };
        if encrypted {
            return Written::Withheld("encrypted zip member, not inspected".into());
        }
        let new_name = if xml.is_some() {
            // Package part names are structure, not content.
            name.clone()
        } else {
            let hits = red.name_hits(&name);
            red.redact_name(&name, &hits)
        };
        let written = if is_dir {
            Written::Same
        } else {
            let data = match read_member(&mut zip, i, &mut ctx) {
                Ok(d) => d,
                Err(e) => return Written::Withheld(format!("member {}: {e}", i + 1)),
            };
            let is_xml = xml.is_some() && {
                let l = name.to_ascii_lowercase();
                l.ends_with(".xml") || l.ends_with(".rels") || l.ends_with(".vml")
            };
            if let (true, Some(hook)) = (is_xml, xml) {
                match hook(&name, &data) {
                    Ok(Some(b)) => Written::New(b),
                    Ok(None) => Written::Same,
                    Err(e) => Written::Withheld(format!("part {name}: {e}")),
                }
            } else {
                let (hits, outcome) = match red.collect(&name, &data, depth + 1) {
                    Ok(x) => x,
                    Err(e) => return Written::Withheld(format!("member {}: {e}", i + 1)),
                };
                let hits: Vec<Hit> =
                    hits.into_iter().filter(|h| !(h.is_name() && h.finding.member.is_none())).collect();
                if xml.is_some() && hits.is_empty() && matches!(outcome, crate::read::Outcome::Skipped(_)) {
                    // A binary part of a package (an image, a font, printer settings).
                    match &outcome {
                        crate::read::Outcome::Skipped("jpeg" | "png") => {
                            super::image::redact(&name, &data, &hits, outcome_what(&outcome), red)
                        }
                        _ => Written::Same,
                    }
                } else {
                    red.write(&name, &data, &hits, &outcome, depth + 1)
                }
            }
        };
        let result = match written {
            Written::Withheld(r) => return Written::Withheld(format!("member {}: {r}", i + 1)),
            Written::Same if new_name == name => match zip.by_index_raw(i) {
                Ok(f) => w.raw_copy_file_rename(f, new_name.as_str()).map_err(|_| ()),
                Err(_) => Err(()),
            },
            Written::Same => {
                changed = true;
                match zip.by_index_raw(i) {
                    Ok(f) => w.raw_copy_file_rename(f, new_name.as_str()).map_err(|_| ()),
                    Err(_) => Err(()),
                }
            }
            Written::New(b) => {
                changed = true;
                let method = if method == CompressionMethod::Stored { method } else { CompressionMethod::Deflated };
                let mut opts = SimpleFileOptions::default().compression_method(method);
                if let Some(t) = modified {
                    opts = opts.last_modified_time(t);
                }
                w.start_file(new_name.as_str(), opts).map_err(|_| ()).and_then(|()| w.write_all(&b).map_err(|_| ()))
            }
        };
        if result.is_err() {
            return Written::Withheld(format!("member {} could not be written", i + 1));
        }
    }
    if !changed {
        return Written::Same;
    }
    match w.finish() {
        Ok(c) => Written::New(c.into_inner()),
        Err(_) => Written::Withheld("zip could not be written".into()),
    }
}

fn outcome_what(o: &crate::read::Outcome) -> &'static str {
    match o {
        crate::read::Outcome::Skipped(w) => w,
        _ => "",
    }
}

/// The redacted copy of a zip archive (`hits` are the findings of the whole archive; members
/// are read again one by one).
pub fn redact(bytes: &[u8], _hits: &[Hit], red: &Redactor, depth: u32) -> Written {
    rebuild(bytes, red, depth, None)
}
