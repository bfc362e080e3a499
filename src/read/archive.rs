//! Zip archives: every member read as its own format, with budgets.
//!
//! A member goes through [`super::read_bytes`] like a file on disk would, so a CSV in a zip is
//! a table and a zip in a zip is opened again; its segments carry the member's path
//! (`inner.zip/list.csv`). Names without the UTF-8 flag are usually CP932 on Japanese shares
//! (the zip crate would decode them as CP437), so raw names are decoded here. Nothing is
//! trusted that the archive declares: every member is unpacked through a counter that stops at
//! the part size, at the file's unpacked-byte budget and at the compression ratio, so a zip
//! bomb costs a bounded amount of work and is reported, never followed. Encrypted members are
//! reported as not inspected. Member names are scanned too (`山田太郎_履歴書.pdf`).

use std::borrow::Cow;
use std::io::{self, Read, Seek};

use zip::result::ZipError;
use zip::ZipArchive;

use super::{office::OfficeKind, sheet::SheetKind, Ctx, Kind, Outcome, ReadError};
use crate::segment::{Location, Origin, Segment};

/// Opens a zip archive; errors name no content.
pub fn open<R: Read + Seek>(reader: R) -> Result<ZipArchive<R>, ReadError> {
    ZipArchive::new(reader).map_err(|e| ReadError::Invalid(format!("zip: {}", zip_reason(&e))))
}

/// Why a zip operation failed, in words that never quote the archive.
pub fn zip_reason(e: &ZipError) -> String {
    match e {
        ZipError::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => "truncated".into(),
        ZipError::Io(io) => super::io_reason(io),
        ZipError::InvalidArchive(_) => "corrupt or truncated archive".into(),
        ZipError::UnsupportedArchive(m) if *m == ZipError::PASSWORD_REQUIRED => "encrypted, not inspected".into(),
        ZipError::UnsupportedArchive(_) => "unsupported compression or feature".into(),
        ZipError::FileNotFound => "member not found".into(),
        ZipError::InvalidPassword => "encrypted, not inspected".into(),
        _ => "unreadable archive".into(),
    }
}

/// A member's name as its creator meant it: UTF-8 when it is valid UTF-8 (the UTF-8 flag or
/// the Info-ZIP Unicode path field make it so), else CP932 when it decodes cleanly, else the
/// zip crate's CP437 reading.
pub fn member_name(raw: &[u8], fallback: &str) -> String {
    if let Ok(s) = std::str::from_utf8(raw) {
        return s.to_string();
    }
    match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(raw) {
        Some(Cow::Borrowed(s)) => s.to_string(),
        Some(Cow::Owned(s)) => s,
        None => fallback.to_string(),
    }
}

/// What a zip holds: an Office or ODF package (by its parts) or a plain archive.
pub fn package_kind<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Kind {
    let has = |zip: &ZipArchive<R>, name: &str| zip.file_names().any(|n| n == name);
    if has(zip, "[Content_Types].xml") {
        if has(zip, "word/document.xml") {
            return Kind::Office(OfficeKind::Docx);
        }
        if has(zip, "ppt/presentation.xml") {
            return Kind::Office(OfficeKind::Pptx);
        }
        if has(zip, "xl/workbook.xml") {
            return Kind::Sheet(SheetKind::Xlsx);
        }
        if has(zip, "xl/workbook.bin") {
            return Kind::Sheet(SheetKind::Xlsb);
        }
    }
    if has(zip, "mimetype") && has(zip, "content.xml") {
        let mut mime = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(100).read_to_string(&mut mime);
        }
        match mime.trim() {
            "application/vnd.oasis.opendocument.text" => return Kind::Office(OfficeKind::Odt),
            "application/vnd.oasis.opendocument.presentation" => return Kind::Office(OfficeKind::Odp),
            "application/vnd.oasis.opendocument.spreadsheet" => return Kind::Sheet(SheetKind::Ods),
            _ => {}
        }
    }
    Kind::Zip
}

/// Unpacks member `i` into memory, counting what comes out: over the part size, the budget of
/// the file or the compression ratio, it stops and says why (declared sizes are checked first,
/// so an honest bomb is refused without unpacking anything).
pub fn read_member<R: Read + Seek>(zip: &mut ZipArchive<R>, i: usize, ctx: &mut Ctx) -> Result<Vec<u8>, String> {
    let opts = ctx.opts;
    let mut f = zip.by_index(i).map_err(|e| zip_reason(&e))?;
    let packed = f.compressed_size().max(1);
    let too_large = || format!("larger than {} MiB unpacked, not inspected", opts.max_part_size >> 20);
    let over_budget =
        || format!("unpacked-size budget of {} MiB for this file used up, not inspected", opts.max_unpacked >> 20);
    let ratio = || format!("compression ratio over {}:1 (zip bomb?), not inspected", opts.max_ratio);
    let declared = f.size();
    if declared > opts.max_part_size {
        return Err(too_large());
    }
    if declared > ctx.budget {
        return Err(over_budget());
    }
    if declared > opts.ratio_grace && declared / packed > opts.max_ratio {
        return Err(ratio());
    }
    let mut out = Vec::with_capacity(declared.min(16 << 20) as usize);
    let mut buf = vec![0u8; 64 << 10];
    let result = loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break Err("truncated member".to_string()),
            Err(_) => break Err("corrupt member (bad data or checksum)".to_string()),
        };
        out.extend_from_slice(&buf[..n]);
        super::limit::check();
        let got = out.len() as u64;
        if got > opts.max_part_size {
            break Err(too_large());
        }
        if got > ctx.budget {
            break Err(over_budget());
        }
        if got > opts.ratio_grace && got / packed > opts.max_ratio {
            break Err(ratio());
        }
    };
    ctx.budget = ctx.budget.saturating_sub(out.len() as u64);
    result.map(|()| out)
}

/// Opens a zip and reads every member (see [`read_archive`]).
pub fn read_zip<R: Read + Seek>(
    reader: R,
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    read_archive(open(reader)?, ctx, emit)
}

/// Reads every member of an open archive as its own format; members that cannot be inspected
/// become problems of the file, and the other members are still read.
pub fn read_archive<R: Read + Seek>(
    mut zip: ZipArchive<R>,
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    if zip.has_overlapping_files().map_err(|e| ReadError::Invalid(format!("zip: {}", zip_reason(&e))))? {
        return Err(ReadError::Invalid("zip: overlapping members (zip bomb?), not inspected".into()));
    }
    let n = zip.len();
    if n > ctx.opts.max_entries {
        ctx.problem("", format!("more than {} members; the rest not inspected", ctx.opts.max_entries));
    }
    for i in 0..n.min(ctx.opts.max_entries) {
        super::limit::check();
        let (name, encrypted, skip) = match zip.by_index_raw(i) {
            Ok(f) => (member_name(f.name_raw(), f.name()), f.encrypted(), f.is_dir() || f.is_symlink()),
            Err(e) => {
                ctx.problem(&format!("#{}", i + 1), zip_reason(&e));
                continue;
            }
        };
        if skip {
            continue;
        }
        let mut name_seg = Segment::new(name.clone(), Origin::Fixed(Location::FileName { file_name: true }));
        name_seg.member = Some(name.clone());
        emit(&name_seg);
        if encrypted {
            ctx.problem(&name, "encrypted, not inspected");
            continue;
        }
        let bytes = match read_member(&mut zip, i, ctx) {
            Ok(b) => b,
            Err(reason) => {
                ctx.problem(&name, reason);
                continue;
            }
        };
        read_member_bytes(&name, &bytes, ctx, emit);
    }
    Ok(Outcome::Document { format: "zip", problems: Vec::new() })
}

/// Reads one member (or embedded object) held in memory one nesting level down: its segments
/// carry `name` in front of their member path, and its problems are the container's.
pub fn read_member_bytes(name: &str, bytes: &[u8], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) {
    // Documents embedded in documents nest too; the depth bounds the recursion for all of them.
    if ctx.depth >= ctx.opts.max_depth {
        ctx.problem(name, format!("nested deeper than {} levels, not inspected", ctx.opts.max_depth));
        return;
    }
    let outer = std::mem::take(&mut ctx.problems);
    ctx.depth += 1;
    // A reader that panics on one member (calamine does on some corrupt xls) must not end the
    // scan of the others.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::read_bytes(name, bytes, ctx, &mut |seg: &Segment| {
            let mut seg = seg.clone();
            seg.member = Some(match &seg.member {
                Some(inner) => format!("{name}/{inner}"),
                None => name.to_string(),
            });
            emit(&seg);
        })
    }))
    .unwrap_or_else(|p| {
        super::limit::rethrow(p);
        Err(ReadError::Invalid("internal error: the reader panicked (member skipped)".into()))
    });
    ctx.depth -= 1;
    let inner = std::mem::replace(&mut ctx.problems, outer);
    for p in inner {
        let member = if p.member.is_empty() { name.to_string() } else { format!("{name}/{}", p.member) };
        ctx.problems.push(super::Problem { member, ..p });
    }
    match result {
        Ok(Outcome::Skipped(what)) => ctx.problems.push(super::Problem {
            member: name.to_string(),
            reason: format!("binary:{what}"),
            skipped: true,
        }),
        Ok(Outcome::Document { problems, .. }) => {
            for p in problems {
                ctx.problems.push(super::Problem { member: format!("{name}/{}", p.member), ..p });
            }
        }
        Ok(_) => {}
        Err(e) => ctx.problem(name, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decode_as_utf8_then_cp932() {
        assert_eq!(member_name("名簿.csv".as_bytes(), "x"), "名簿.csv");
        let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode("顧客リスト.csv");
        assert_eq!(member_name(&cp932, "x"), "顧客リスト.csv");
        assert_eq!(member_name(&[0x81, 0x20, 0xFF], "fallback"), "fallback");
    }
}
