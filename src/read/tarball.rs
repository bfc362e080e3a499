//! gzip and tar: the members of a `.gz`, `.tar`, `.tar.gz` or `.tgz` are read as their own
//! formats (`member` = the name inside), under the same limits as zip members: the file's
//! unpacked budget, the per-part size cap, the compression ratio and the nesting depth.

use std::io::Read;

use flate2::read::MultiGzDecoder;

use super::archive::read_member_bytes;
use super::{Ctx, Outcome, ReadError};
use crate::segment::Segment;

/// Unpacks a gzip stream within the limits; the inner name is the outer one without `.gz`
/// (`.tgz` becomes `.tar`).
pub fn read_gzip(
    name: &str,
    bytes: &[u8],
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    let lower = name.to_ascii_lowercase();
    let inner = if lower.ends_with(".tgz") {
        format!("{}.tar", &name[..name.len() - 4])
    } else if lower.ends_with(".gz") {
        name[..name.len() - 3].to_string()
    } else {
        format!("{name}.unpacked")
    };
    let cap = ctx
        .opts
        .max_part_size
        .min(ctx.budget)
        .min((bytes.len() as u64).saturating_mul(ctx.opts.max_ratio).max(1 << 20));
    let mut out = Vec::new();
    let read = MultiGzDecoder::new(bytes)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|_| ReadError::Invalid("gzip: corrupt or truncated stream".into()))?;
    if read as u64 > cap {
        return Err(ReadError::Invalid(format!(
            "gzip: unpacks to more than {cap} bytes (size or compression-ratio limit), not inspected"
        )));
    }
    ctx.budget = ctx.budget.saturating_sub(read as u64);
    read_member_bytes(&inner, &out, ctx, emit);
    Ok(Outcome::Document { format: "gzip", problems: Vec::new() })
}

/// Whether `bytes` start with a POSIX (ustar) tar header.
pub fn looks_like_tar(bytes: &[u8]) -> bool {
    bytes.len() >= 512 && &bytes[257..262] == b"ustar"
}

fn octal(field: &[u8]) -> Option<u64> {
    let s = std::str::from_utf8(field).ok()?;
    let s = s.trim_matches(|c: char| c == '\0' || c == ' ');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

fn text(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    match std::str::from_utf8(&field[..end]) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(&field[..end]).0.into_owned(),
    }
}

/// Reads the regular files of a tar archive held in memory.
pub fn read_tar(bytes: &[u8], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) -> Result<Outcome, ReadError> {
    let mut at = 0usize;
    let mut long_name: Option<String> = None;
    let mut members = 0u32;
    while at + 512 <= bytes.len() {
        let h = &bytes[at..at + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let size = octal(&h[124..136]).ok_or_else(|| ReadError::Invalid("tar: corrupt header".into()))?;
        let kind = h[156];
        let mut name = text(&h[0..100]);
        let prefix = text(&h[345..500]);
        if &h[257..262] == b"ustar" && !prefix.is_empty() {
            name = format!("{prefix}/{name}");
        }
        if let Some(n) = long_name.take() {
            name = n;
        }
        let start = at + 512;
        let end = start.checked_add(size as usize).filter(|&e| e <= bytes.len());
        let Some(end) = end else {
            return Err(ReadError::Invalid("tar: truncated member".into()));
        };
        let data = &bytes[start..end];
        match kind {
            b'L' => long_name = Some(text(data)),
            b'0' | 0 => {
                members += 1;
                if members > 10_000 {
                    ctx.problem(&name, "more than 10,000 members, the rest not inspected");
                    break;
                }
                if size > ctx.opts.max_part_size || size > ctx.budget {
                    ctx.problem(&name, "over the size limit, not inspected");
                } else {
                    ctx.budget -= size;
                    read_member_bytes(&name, data, ctx, emit);
                }
            }
            _ => {}
        }
        at = start + (size as usize).div_ceil(512) * 512;
    }
    Ok(Outcome::Document { format: "tar", problems: Vec::new() })
}
