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
pub fn rebuild(bytes: &[u8], hits: &[Hit], red: &Redactor, depth: u32, xml: Option<XmlHook>) -> Written {
    // Members that the scan of the whole package found to be pictures of personal data (a
    // signature known as one by its alt text or the document around it).
    let pictures: std::collections::HashSet<&str> = hits
        .iter()
        .filter(|h| super::IMAGE_CATEGORIES.contains(&h.finding.category))
        .filter_map(|h| h.finding.member.as_deref())
        .collect();
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
                let media = matches!(outcome, crate::read::Outcome::Document { format: "image" | "audio", .. });
                if xml.is_some() && media {
                    // A picture or recording of a package: metadata stripped (JPEG, PNG), withheld
                    // when it is personal data itself (`--images`); other formats as they are.
                    let what = super::media_format(&data);
                    let known = pictures.contains(name.as_str());
                    let personal = known || hits.iter().any(|h| super::IMAGE_CATEGORIES.contains(&h.finding.category));
                    if personal || matches!(what, "jpeg" | "png") {
                        super::image::redact(&name, &data, &hits, what, red, known)
                    } else {
                        Written::Same
                    }
                } else if xml.is_some() && hits.is_empty() && matches!(outcome, crate::read::Outcome::Skipped(_)) {
                    // A binary part of a package (an image, a font, printer settings).
                    match &outcome {
                        crate::read::Outcome::Skipped("jpeg" | "png") => {
                            super::image::redact(&name, &data, &hits, outcome_what(&outcome), red, false)
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
pub fn redact(bytes: &[u8], hits: &[Hit], red: &Redactor, depth: u32) -> Written {
    rebuild(bytes, hits, red, depth, None)
}

/// The inner name of a gzip stream, as the reader names it.
fn gzip_inner(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tgz") {
        format!("{}.tar", &name[..name.len() - 4])
    } else if lower.ends_with(".gz") {
        name[..name.len() - 3].to_string()
    } else {
        format!("{name}.unpacked")
    }
}

/// The redacted copy of a gzip stream: unpacked within the limits, the content redacted by its
/// own writer, packed again (the header's file name redacted too).
pub fn redact_gzip(name: &str, bytes: &[u8], red: &Redactor, depth: u32) -> Written {
    use std::io::Read as _;
    let ropts = &red.scanner.options().read;
    if depth >= ropts.max_depth {
        return Written::Withheld(format!("archive nested deeper than {} levels", ropts.max_depth));
    }
    let cap = ropts.max_part_size.min((bytes.len() as u64).saturating_mul(ropts.max_ratio).max(1 << 20));
    let mut out = Vec::new();
    match flate2::read::MultiGzDecoder::new(bytes).take(cap + 1).read_to_end(&mut out) {
        Ok(n) if n as u64 <= cap => {}
        Ok(_) => return Written::Withheld("gzip: over the size or compression-ratio limit".into()),
        Err(_) => return Written::Withheld("gzip: corrupt or truncated stream".into()),
    }
    let inner = gzip_inner(name);
    let (hits, outcome) = match red.collect(&inner, &out, depth + 1) {
        Ok(x) => x,
        Err(e) => return Written::Withheld(format!("gzip content: {e}")),
    };
    let hits: Vec<Hit> = hits.into_iter().filter(|h| !(h.is_name() && h.finding.member.is_none())).collect();
    let header = flate2::read::GzDecoder::new(bytes).header().cloned();
    let header_name = header.as_ref().and_then(|h| h.filename()).map(|f| String::from_utf8_lossy(f).into_owned());
    let new_header_name = header_name.as_ref().map(|n| red.redact_name(n, &red.name_hits(n)));
    let content = match red.write(&inner, &out, &hits, &outcome, depth + 1) {
        Written::Withheld(r) => return Written::Withheld(format!("gzip content: {r}")),
        Written::Same if new_header_name == header_name => return Written::Same,
        Written::Same => out,
        Written::New(b) => b,
    };
    let mut builder = flate2::GzBuilder::new();
    if let Some(n) = new_header_name {
        builder = builder.filename(n.into_bytes());
    }
    if let Some(h) = &header {
        builder = builder.mtime(h.mtime());
    }
    let mut enc = builder.write(Vec::new(), flate2::Compression::default());
    if enc.write_all(&content).is_err() {
        return Written::Withheld("gzip could not be written".into());
    }
    match enc.finish() {
        Ok(b) => Written::New(b),
        Err(_) => Written::Withheld("gzip could not be written".into()),
    }
}

fn tar_text(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    match std::str::from_utf8(&field[..end]) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(&field[..end]).0.into_owned(),
    }
}

fn tar_octal(field: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(field).ok()?.trim_matches(|c: char| c == '\0' || c == ' ');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

/// Writes the checksum of a tar header.
fn tar_checksum(h: &mut [u8]) {
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

/// The redacted copy of a tar archive: headers and data of untouched members copied as they
/// are; a changed member gets its new size and checksum; a member name holding personal data
/// is redacted in place (when it fits the header; otherwise the archive is withheld).
pub fn redact_tar(bytes: &[u8], red: &Redactor, depth: u32) -> Written {
    let ropts = &red.scanner.options().read;
    if depth >= ropts.max_depth {
        return Written::Withheld(format!("archive nested deeper than {} levels", ropts.max_depth));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = false;
    let mut at = 0usize;
    let mut long_name: Option<String> = None;
    while at + 512 <= bytes.len() {
        let h = &bytes[at..at + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let Some(size) = tar_octal(&h[124..136]) else { return Written::Withheld("tar: corrupt header".into()) };
        let kind = h[156];
        let ustar = &h[257..262] == b"ustar";
        let prefix = tar_text(&h[345..500]);
        let from_long = long_name.is_some();
        let mut name = tar_text(&h[0..100]);
        if ustar && !prefix.is_empty() {
            name = format!("{prefix}/{name}");
        }
        if let Some(n) = long_name.take() {
            name = n;
        }
        let start = at + 512;
        let Some(end) = start.checked_add(size as usize).filter(|&e| e <= bytes.len()) else {
            return Written::Withheld("tar: truncated member".into());
        };
        let next = (start + (size as usize).div_ceil(512) * 512).min(bytes.len());
        let data = &bytes[start..end];
        match kind {
            b'L' => long_name = Some(tar_text(data)),
            b'0' | 0 => {
                let new_name = red.redact_name(&name, &red.name_hits(&name));
                let (hits, outcome) = match red.collect(&name, data, depth + 1) {
                    Ok(x) => x,
                    Err(e) => return Written::Withheld(format!("tar member: {e}")),
                };
                let hits: Vec<Hit> =
                    hits.into_iter().filter(|h| !(h.is_name() && h.finding.member.is_none())).collect();
                let content = match red.write(&name, data, &hits, &outcome, depth + 1) {
                    Written::Withheld(r) => return Written::Withheld(format!("tar member: {r}")),
                    Written::Same => None,
                    Written::New(b) => Some(b),
                };
                if content.is_none() && new_name == name {
                    out.extend_from_slice(&bytes[at..next]);
                    at = next;
                    continue;
                }
                changed = true;
                let mut header = h.to_vec();
                if new_name != name {
                    if from_long || (ustar && !prefix.is_empty()) || new_name.len() > 100 {
                        return Written::Withheld("a tar member name holding personal data cannot be rewritten".into());
                    }
                    header[0..100].fill(0);
                    header[..new_name.len()].copy_from_slice(new_name.as_bytes());
                }
                let body = content.as_deref().unwrap_or(data);
                header[124..136].copy_from_slice(format!("{:011o}\0", body.len()).as_bytes());
                tar_checksum(&mut header);
                out.extend_from_slice(&header);
                out.extend_from_slice(body);
                out.resize(out.len() + (512 - body.len() % 512) % 512, 0);
                at = next;
                continue;
            }
            _ => {}
        }
        out.extend_from_slice(&bytes[at..next]);
        at = next;
    }
    if long_name.is_some() {
        return Written::Withheld("tar: a long name without its member".into());
    }
    out.extend_from_slice(&bytes[at.min(bytes.len())..]);
    if changed {
        Written::New(out)
    } else {
        Written::Same
    }
}
