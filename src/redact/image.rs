//! Images: metadata stripped by byte surgery, pixels untouched.
//!
//! JPEG: APP1 (Exif, XMP), APP13 (Photoshop/IPTC), APP2 other than ICC profiles (MPF holds
//! extra images) and COM segments are dropped; APP0, APP14, the ICC profile and everything from
//! the start of scan on are copied as they are. PNG: `eXIf`, `tEXt`, `zTXt`, `iTXt` (XMP) and
//! `tIME` chunks are dropped. Images that are personal data themselves (findings of
//! [`super::IMAGE_CATEGORIES`]) follow `--images`. Other binary formats are withheld: sumi
//! cannot tell what they hold.

use super::{Hit, ImagePolicy, Redactor, Written, IMAGE_CATEGORIES};

/// A JPEG without its metadata segments, or `None` if it does not parse.
pub fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    loop {
        // Fill bytes before a marker.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if b.get(i) != Some(&0xFF) {
            return None;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            0xD9 => {
                out.extend_from_slice(&b[i..]);
                return Some(out);
            }
            0xD0..=0xD7 | 0x01 => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]) as usize;
        if len < 2 {
            return None;
        }
        let end = i + 2 + len;
        let seg = b.get(i..end)?;
        let payload = &seg[4..];
        let drop = match marker {
            0xE1 | 0xED | 0xFE => true,
            0xE2 => !payload.starts_with(b"ICC_PROFILE\0"),
            0xE3..=0xEC | 0xEF => true,
            _ => false,
        };
        if !drop {
            out.extend_from_slice(seg);
        }
        i = end;
        if marker == 0xDA {
            // Start of scan: entropy-coded data and the rest follow as they are.
            out.extend_from_slice(&b[i..]);
            return Some(out);
        }
    }
}

/// A PNG without its text, time and EXIF chunks, or `None` if it does not parse.
pub fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = SIG.to_vec();
    let mut i = SIG.len();
    while i < b.len() {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(i..end)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Some(out)
}

/// A black picture of the same size and format as `bytes` (JPEG, PNG, GIF, BMP, TIFF), with
/// no metadata at all; `None` for other formats or pictures over 64 M pixels.
pub fn black_copy(bytes: &[u8]) -> Option<Vec<u8>> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?;
    let format = reader.format()?;
    if !matches!(
        format,
        image::ImageFormat::Jpeg
            | image::ImageFormat::Png
            | image::ImageFormat::Gif
            | image::ImageFormat::Bmp
            | image::ImageFormat::Tiff
    ) {
        return None;
    }
    let (w, h) = reader.into_dimensions().ok()?;
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > 64 << 20 {
        return None;
    }
    let black = image::DynamicImage::ImageRgb8(image::RgbImage::new(w, h));
    let mut out = std::io::Cursor::new(Vec::new());
    black.write_to(&mut out, format).ok()?;
    Some(out.into_inner())
}

/// The copy of a binary file (`what` is how the reader recognised it).
/// `personal` says the container's scan found the picture to be personal data even when the
/// picture alone does not show it.
pub fn redact(_name: &str, bytes: &[u8], hits: &[Hit], what: &str, red: &Redactor, personal: bool) -> Written {
    let personal = personal || hits.iter().any(|h| IMAGE_CATEGORIES.contains(&h.finding.category));
    if personal {
        match red.images {
            ImagePolicy::Withhold => return Written::Withheld("image is personal data (--images withhold)".into()),
            ImagePolicy::Blackout => {
                return match black_copy(bytes) {
                    Some(b) => {
                        if let Ok(mut set) = red.blacked.lock() {
                            set.insert(crate::media::content_key(&b));
                        }
                        Written::New(b)
                    }
                    None => Written::Withheld(format!("image is personal data; a {what} image cannot be blacked out")),
                };
            }
            ImagePolicy::Keep => {}
        }
    }
    let stripped = match what {
        "jpeg" => strip_jpeg(bytes),
        "png" => strip_png(bytes),
        other => return Written::Withheld(format!("binary format not inspected ({other}), not copied")),
    };
    match stripped {
        Some(b) if b == bytes => Written::Same,
        Some(b) => Written::New(b),
        None => Written::Withheld(format!("{what} image could not be parsed to strip its metadata")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_metadata_goes_pixels_stay() {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0, 4, b'J', b'F']);
        j.extend_from_slice(&[0xFF, 0xE1, 0, 8, b'E', b'x', b'i', b'f', 0, 0]);
        j.extend_from_slice(&[0xFF, 0xFE, 0, 5, b'h', b'i', b'!']);
        j.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        let s = strip_jpeg(&j).unwrap();
        assert_eq!(s, [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, b'J', b'F', 0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
    }

    #[test]
    fn png_text_chunks_go() {
        let chunk = |k: &[u8], d: &[u8]| {
            let mut c = (d.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(k);
            c.extend_from_slice(d);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        p.extend(chunk(b"IHDR", &[0; 13]));
        p.extend(chunk(b"tEXt", b"Author\0Taro"));
        p.extend(chunk(b"IDAT", &[1, 2]));
        p.extend(chunk(b"IEND", &[]));
        let s = strip_png(&p).unwrap();
        assert!(!s.windows(4).any(|w| w == b"tEXt"));
        assert!(s.windows(4).any(|w| w == b"IDAT"));
        assert_eq!(s.len(), p.len() - 23);
    }
}
