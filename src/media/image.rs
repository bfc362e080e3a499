//! Images: header, resolution and EXIF first; a downscaled copy of the pixels only for seal and
//! signature candidates.

use std::io::Cursor;

use super::{
    content_key, find_keyword, whole_hit, whole_location, Evidence, Item, Keyword, MediaHit, GEOLOCATION, REPORT_FLOOR,
};
use crate::segment::Location;

/// File, folder and member names that say "a copy of an ID document".
pub const ID_NAMES: &[Keyword] = &[
    ("免許証", "name:免許証"),
    ("運転免許", "name:運転免許"),
    ("パスポート", "name:パスポート"),
    ("旅券", "name:旅券"),
    ("マイナンバー", "name:マイナンバー"),
    ("個人番号カード", "name:個人番号カード"),
    ("在留カード", "name:在留カード"),
    ("保険証", "name:保険証"),
    ("身分証", "name:身分証"),
    ("本人確認", "name:本人確認"),
    ("license", "name:license"),
    ("licence", "name:licence"),
    ("passport", "name:passport"),
    ("id-card", "name:id-card"),
    ("id_card", "name:id-card"),
    ("idcard", "name:id-card"),
    ("mynumber", "name:mynumber"),
    ("residence card", "name:residence card"),
    ("residence_card", "name:residence card"),
];

/// Text in the same document that says "a copy of an ID document is attached here".
pub const ID_CONTEXT: &[Keyword] = &[
    ("本人確認書類", "context:本人確認書類"),
    ("身分証明書", "context:身分証明書"),
    ("免許証の写し", "context:免許証の写し"),
    ("保険証の写し", "context:保険証の写し"),
    ("パスポートの写し", "context:パスポートの写し"),
    ("在留カードの写し", "context:在留カードの写し"),
    // A copy of anything (契約書の写し): weaker, see `id_evidence`.
    ("写し", "context:写し"),
    ("copy of your passport", "context:copy of ID"),
    ("proof of identity", "context:proof of identity"),
];

/// Names that say "seal impression".
pub const SEAL_NAMES: &[Keyword] = &[
    ("印影", "name:印影"),
    ("印鑑", "name:印鑑"),
    ("実印", "name:実印"),
    ("角印", "name:角印"),
    ("丸印", "name:丸印"),
    ("社印", "name:社印"),
    ("認印", "name:認印"),
    ("銀行印", "name:銀行印"),
    ("はんこ", "name:はんこ"),
    ("hanko", "name:hanko"),
    ("inkan", "name:inkan"),
    ("stamp", "name:stamp"),
    ("seal", "name:seal"),
];

/// Text around an image that says "seal here".
pub const SEAL_CONTEXT: &[Keyword] = &[
    ("押印", "context:押印"),
    ("捺印", "context:捺印"),
    ("印鑑", "context:印鑑"),
    ("（印）", "context:印"),
    ("(印)", "context:印"),
    ("㊞", "context:印"),
    ("印影", "context:印影"),
];

/// Names that say "signature".
pub const SIGNATURE_NAMES: &[Keyword] = &[
    ("署名", "name:署名"),
    ("サイン", "name:サイン"),
    ("自署", "name:自署"),
    ("signature", "name:signature"),
    ("sign", "name:sign"),
    ("autograph", "name:autograph"),
];

/// Text around an image that says "signed here".
pub const SIGNATURE_CONTEXT: &[Keyword] = &[
    ("署名欄", "context:署名欄"),
    ("自署", "context:自署"),
    ("signature", "context:signature"),
    ("signed", "context:signed"),
];

/// Makers, models and software of scanners and multifunction printers (EXIF Make/Model/
/// Software, PDF Producer/Creator). Camera makers that also make scanners (Canon, Epson,
/// Ricoh, Fujifilm) are recognised by their scanner model names only.
const SCANNERS: &[&str] = &[
    "scan",
    "pfu",
    "fi-",
    "dr-c",
    "dr-m",
    "dr-g",
    "imagerunner",
    "ir-adv",
    "bizhub",
    "taskalfa",
    "apeosport",
    "apeos",
    "docucentre",
    "docuprint",
    "multifunction",
    "mfp",
    "mfc-",
    "dcp-",
    "ds-",
    "es-",
    "pixma",
    "ew-m",
    "px-m",
    "aficio",
    "mp c",
    "im c",
    "mx-",
    "twain",
    "wia",
    "naps2",
    "paperport",
    "xerox",
    "konica minolta",
];

/// What the header and EXIF say.
#[derive(Debug, Default, Clone)]
pub struct ImageInfo {
    /// Format (`jpeg`, `png` …).
    pub format: &'static str,
    /// Width and height in pixels, when the header gave them.
    pub size: Option<(u32, u32)>,
    /// Resolution in dots per inch (EXIF, JFIF or pHYs).
    pub dpi: Option<f32>,
    /// EXIF facts.
    pub exif: ExifFacts,
}

/// The EXIF fields that matter here.
#[derive(Debug, Default, Clone)]
pub struct ExifFacts {
    /// Make, model and software, joined (for scanner names).
    pub device: String,
    /// Exposure settings present (a camera took it).
    pub camera: bool,
    /// Latitude and longitude in degrees.
    pub gps: Option<(f64, f64)>,
    /// Personal text fields: (field, value).
    pub owners: Vec<(&'static str, String)>,
    /// Serial numbers: (field, value).
    pub serials: Vec<(&'static str, String)>,
    /// Resolution from EXIF.
    pub dpi: Option<f32>,
}

/// Creator and owner fields of an XMP packet in the image (Lightroom, Photoshop, phones).
fn xmp_owners(bytes: &[u8]) -> Vec<(&'static str, String)> {
    let Some(start) = memchr::memmem::find(bytes, b"<x:xmpmeta") else { return Vec::new() };
    let Some(len) = memchr::memmem::find(&bytes[start..], b"</x:xmpmeta>") else { return Vec::new() };
    let xml = String::from_utf8_lossy(&bytes[start..start + len + 12]);
    let mut out = Vec::new();
    for (field, value) in crate::read::pdf::xmp_fields(&xml) {
        let field = match field.as_str() {
            "dc:creator" => "dc:creator",
            "xmpRights:Owner" => "xmpRights:Owner",
            _ => continue,
        };
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if !value.is_empty() && !out.iter().any(|(f, v)| *f == field && *v == value) {
            out.push((field, value));
        }
    }
    out
}

impl ExifFacts {
    /// Whether the device reads as a scanner or multifunction printer.
    pub fn scanner(&self) -> bool {
        !self.camera && is_scanner(&self.device)
    }
}

/// Whether a device or producer name reads as a scanner or multifunction printer.
pub fn is_scanner(device: &str) -> bool {
    let d = device.to_lowercase();
    !d.is_empty() && SCANNERS.iter().any(|s| d.contains(s))
}

fn format_of(b: &[u8]) -> &'static str {
    let at = |i: usize, m: &[u8]| b.len() >= i + m.len() && &b[i..i + m.len()] == m;
    if at(0, b"\xFF\xD8\xFF") {
        "jpeg"
    } else if at(0, b"\x89PNG") {
        "png"
    } else if at(0, b"GIF8") {
        "gif"
    } else if at(0, b"BM") {
        "bmp"
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        "webp"
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        "tiff"
    } else if at(4, b"ftyp") {
        "heif"
    } else {
        "image"
    }
}

/// Reads header and EXIF (no pixels).
pub fn inspect(bytes: &[u8]) -> ImageInfo {
    let format = format_of(bytes);
    let size = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_dimensions().ok())
        .or_else(|| if format == "heif" { heif_size(bytes) } else { None });
    let mut exif = read_exif(bytes);
    exif.owners.extend(xmp_owners(bytes));
    let dpi = exif.dpi.or_else(|| match format {
        "jpeg" => jfif_dpi(bytes),
        "png" => png_dpi(bytes),
        _ => None,
    });
    ImageInfo { format, size, dpi, exif }
}

/// JFIF density (APP0), when in dots per inch or per centimetre.
fn jfif_dpi(b: &[u8]) -> Option<f32> {
    if b.len() < 18 || &b[2..4] != b"\xFF\xE0" || &b[6..11] != b"JFIF\0" {
        return None;
    }
    let x = u16::from_be_bytes([b[14], b[15]]) as f32;
    match b[13] {
        1 if x > 1.0 => Some(x),
        2 if x > 1.0 => Some(x * 2.54),
        _ => None,
    }
}

/// PNG pHYs, when in pixels per metre.
fn png_dpi(b: &[u8]) -> Option<f32> {
    let i = memchr::memmem::find(&b[..b.len().min(1 << 16)], b"pHYs")?;
    let d = b.get(i + 4..i + 13)?;
    let x = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as f32;
    (d[8] == 1 && x > 0.0).then_some(x * 0.0254)
}

/// Width and height from a HEIF `ispe` property (the image crate cannot read HEIC).
fn heif_size(b: &[u8]) -> Option<(u32, u32)> {
    let i = memchr::memmem::find(&b[..b.len().min(1 << 20)], b"ispe")?;
    let d = b.get(i + 8..i + 16)?;
    Some((u32::from_be_bytes([d[0], d[1], d[2], d[3]]), u32::from_be_bytes([d[4], d[5], d[6], d[7]])))
}

fn ascii(v: &exif::Value) -> Option<String> {
    match v {
        exif::Value::Ascii(parts) => {
            let s: Vec<String> = parts.iter().map(|p| String::from_utf8_lossy(p).trim().to_string()).collect();
            let s = s.join(" ").trim().to_string();
            (!s.is_empty()).then_some(s)
        }
        _ => None,
    }
}

fn utf16le(v: &exif::Value) -> Option<String> {
    let bytes = match v {
        exif::Value::Byte(b) => b,
        exif::Value::Undefined(b, _) => b,
        _ => return None,
    };
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let s = String::from_utf16_lossy(&units).trim_end_matches('\0').trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn rational(v: &exif::Value, i: usize) -> Option<f64> {
    match v {
        exif::Value::Rational(r) => r.get(i).filter(|r| r.denom != 0).map(|r| r.to_f64()),
        _ => None,
    }
}

fn read_exif(bytes: &[u8]) -> ExifFacts {
    use exif::{Context, In, Tag};
    let mut facts = ExifFacts::default();
    let Ok(ex) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return facts;
    };
    let get = |tag: Tag| ex.get_field(tag, In::PRIMARY).map(|f| &f.value);
    let text = |tag: Tag| get(tag).and_then(ascii);
    facts.device = [Tag::Make, Tag::Model, Tag::Software].iter().filter_map(|t| text(*t)).collect::<Vec<_>>().join(" ");
    facts.camera = [Tag::FNumber, Tag::ExposureTime, Tag::PhotographicSensitivity, Tag::FocalLength]
        .iter()
        .any(|t| get(*t).is_some());
    let deg = |tag: Tag, r: Tag, neg: u8| -> Option<f64> {
        let v = get(tag)?;
        let d = rational(v, 0)? + rational(v, 1).unwrap_or(0.0) / 60.0 + rational(v, 2).unwrap_or(0.0) / 3600.0;
        let sign = match get(r).and_then(ascii) {
            Some(s) if s.as_bytes().first() == Some(&neg) => -1.0,
            _ => 1.0,
        };
        Some(sign * d)
    };
    if let (Some(lat), Some(lon)) =
        (deg(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S'), deg(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W'))
    {
        if lat.abs() <= 90.0 && lon.abs() <= 180.0 && (lat != 0.0 || lon != 0.0) {
            facts.gps = Some((lat, lon));
        }
    }
    for (tag, field) in [(Tag::Artist, "Artist"), (Tag::CameraOwnerName, "CameraOwnerName")] {
        if let Some(v) = text(tag) {
            facts.owners.push((field, v));
        }
    }
    if let Some(v) = get(Tag(Context::Tiff, 0x9C9D)).and_then(utf16le) {
        facts.owners.push(("XPAuthor", v));
    }
    for (tag, field) in [(Tag::BodySerialNumber, "BodySerialNumber"), (Tag::LensSerialNumber, "LensSerialNumber")] {
        if let Some(v) = text(tag).filter(|v| v.chars().any(|c| c.is_ascii_alphanumeric() && c != '0')) {
            facts.serials.push((field, v));
        }
    }
    if let Some(x) = get(Tag::XResolution).and_then(|v| rational(v, 0)) {
        let unit = match get(Tag::ResolutionUnit) {
            Some(exif::Value::Short(u)) => u.first().copied().unwrap_or(2),
            _ => 2,
        };
        let dpi = if unit == 3 { x * 2.54 } else { x };
        if dpi > 1.0 && unit != 1 {
            facts.dpi = Some(dpi as f32);
        }
    }
    facts
}

/// Personal data in EXIF fields: GPS position, owner and author names, serial numbers.
fn exif_hits(facts: &ExifFacts, out: &mut Vec<(Location, MediaHit)>) {
    let field = |name: &str| Location::Metadata { metadata: name.to_string() };
    if let Some((lat, lon)) = facts.gps {
        let value = format!("{lat:.6}, {lon:.6}");
        out.push((
            field("GPS"),
            MediaHit {
                category: GEOLOCATION,
                detector: "exif_gps",
                score: 0.9,
                reasons: vec!["exif:GPSLatitude", "exif:GPSLongitude"],
                masked: crate::finding::mask(GEOLOCATION, &value),
                key: value.clone(),
                value,
            },
        ));
    }
    for (name, value) in &facts.owners {
        out.push((
            field(name),
            MediaHit {
                category: "person_name",
                detector: "exif_owner",
                score: 0.6,
                reasons: vec![match *name {
                    "Artist" => "exif:Artist",
                    "CameraOwnerName" => "exif:CameraOwnerName",
                    "dc:creator" => "xmp:dc:creator",
                    "xmpRights:Owner" => "xmp:xmpRights:Owner",
                    _ => "exif:XPAuthor",
                }],
                masked: crate::finding::mask("person_name", value),
                key: value.clone(),
                value: value.clone(),
            },
        ));
    }
    for (name, value) in &facts.serials {
        out.push((
            field(name),
            MediaHit {
                category: "account_id",
                detector: "exif_serial",
                score: 0.6,
                reasons: vec![if *name == "BodySerialNumber" {
                    "exif:BodySerialNumber"
                } else {
                    "exif:LensSerialNumber"
                }],
                masked: crate::finding::mask("account_id", value),
                key: value.clone(),
                value: value.clone(),
            },
        ));
    }
}

/// ID-1 (credit-card size) and ID-3 (passport page) sizes in millimetres.
const ID1: (f32, f32) = (85.60, 53.98);
const ID3: (f32, f32) = (125.0, 88.0);

/// What the shape and physical size say: (weight, reason).
fn id_geometry(w: u32, h: u32, dpi: Option<f32>) -> Option<(f32, &'static str)> {
    let (long, short) = (w.max(h) as f32, w.min(h) as f32);
    if short < 100.0 {
        return None;
    }
    let ratio = long / short;
    let near = |want: f32, tol: f32| (ratio / want - 1.0).abs() <= tol;
    let mm = dpi.filter(|d| (100.0..=1200.0).contains(d)).map(|d| long / d * 25.4);
    let card = near(ID1.0 / ID1.1, 0.025);
    let passport = near(ID3.0 / ID3.1, 0.025);
    match mm {
        Some(mm) if card && (ID1.0 * 0.9..=ID1.0 * 1.12).contains(&mm) => {
            Some((0.4, "size:ID-1 card at scan resolution"))
        }
        Some(mm) if passport && (ID3.0 * 0.9..=ID3.0 * 1.1).contains(&mm) => {
            Some((0.4, "size:ID-3 passport page at scan resolution"))
        }
        _ if card => Some((0.25, "shape:ID-1 card proportions")),
        _ => None,
    }
}

/// The signals for a copy of an ID document. `None` when nothing but the device speaks.
fn id_evidence(info: &ImageInfo, item: &Item) -> Option<Evidence> {
    let mut ev = Evidence::default();
    let mut primary = false;
    if let Some(r) = find_keyword(item.names, ID_NAMES) {
        ev.add(0.45, r);
        primary = true;
    }
    if let Some(r) = find_keyword(item.context, ID_CONTEXT) {
        ev.add(if r == "context:写し" { 0.15 } else { 0.25 }, r);
        primary = true;
    }
    let dpi = info.dpi.or(item.dpi);
    if let Some((w, h)) = info.size {
        if let Some((weight, r)) = id_geometry(w, h, if info.exif.camera { None } else { dpi }) {
            ev.add(weight, r);
            primary = true;
        }
    }
    if !primary {
        return None;
    }
    if info.exif.scanner() {
        ev.add(0.25, "exif:scanner or multifunction printer");
    } else if let Some(s) = item.scanned {
        ev.add(0.25, s);
    }
    if !info.exif.camera && dpi.is_some_and(|d| (199.0..=601.0).contains(&d)) {
        ev.add(0.1, "dpi:200-600 (scan resolution)");
    }
    Some(ev)
}

/// A small copy of the pixels, RGBA, at most `max` pixels on the long side.
pub struct Thumb {
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
    /// RGBA pixels, row by row.
    pub px: Vec<[u8; 4]>,
}

/// Decodes a JPEG at 1/2, 1/4 or 1/8 scale (the IDCT does the scaling), at least `max` pixels
/// on the long side when the image has them.
fn jpeg_scaled(bytes: &[u8], max: u32) -> Option<image::DynamicImage> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.set_max_decoding_buffer_size(64 << 20);
    let (w, h) = d.scale(max.min(u16::MAX as u32) as u16, max.min(u16::MAX as u32) as u16).ok()?;
    let pixels = d.decode().ok()?;
    let (w, h) = (w as u32, h as u32);
    match d.info()?.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => image::RgbImage::from_raw(w, h, pixels).map(image::DynamicImage::from),
        jpeg_decoder::PixelFormat::L8 => image::GrayImage::from_raw(w, h, pixels).map(image::DynamicImage::from),
        _ => None,
    }
}

/// Decodes an image and downscales it (never more than 64 Mpx decoded; JPEGs scaled while
/// decoding).
pub fn thumbnail(bytes: &[u8], max: u32) -> Option<Thumb> {
    if let Some(img) = bytes.starts_with(b"\xFF\xD8\xFF").then(|| jpeg_scaled(bytes, max)).flatten() {
        return Some(to_thumb(img, max));
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(256 << 20);
    limits.max_image_width = Some(16384);
    limits.max_image_height = Some(16384);
    reader.limits(limits);
    Some(to_thumb(reader.decode().ok()?, max))
}

/// Downscales by an integer factor with a box filter (the mean of each k×k block): one pass
/// over the pixels, several times faster than a resampling filter.
fn to_thumb(img: image::DynamicImage, max: u32) -> Thumb {
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let k = w.max(h).div_ceil(max.max(1)).max(1);
    let (tw, th) = ((w / k).max(1), (h / k).max(1));
    if k == 1 {
        return Thumb { w, h, px: rgba.pixels().map(|p| p.0).collect() };
    }
    let mut sums = vec![[0u32; 4]; (tw * th) as usize];
    let raw = rgba.as_raw();
    for y in 0..(th * k).min(h) {
        let row = &raw[(y * w * 4) as usize..((y + 1) * w * 4) as usize];
        let out = &mut sums[((y / k) * tw) as usize..((y / k + 1) * tw) as usize];
        for (x, p) in row.chunks_exact(4).take((tw * k) as usize).enumerate() {
            let s = &mut out[x / k as usize];
            s[0] += p[0] as u32;
            s[1] += p[1] as u32;
            s[2] += p[2] as u32;
            s[3] += p[3] as u32;
        }
    }
    let n = k * k;
    let px = sums.iter().map(|s| [(s[0] / n) as u8, (s[1] / n) as u8, (s[2] / n) as u8, (s[3] / n) as u8]).collect();
    Thumb { w: tw, h: th, px }
}

fn is_background(p: [u8; 4]) -> bool {
    let [r, g, b, a] = p;
    a < 32 || (r.min(g).min(b) >= 200 && r.max(g).max(b) - r.min(g).min(b) <= 40)
}

fn is_red(p: [u8; 4]) -> bool {
    let [r, g, b, a] = p;
    let (r, g, b) = (r as i32, g as i32, b as i32);
    a >= 32 && r >= 130 && r - g >= 60 && r - b >= 50
}

/// What the pixels say about a seal: `Some(reason)` when they look like a seal impression:
/// red ink dominant on a light background, in one compact round or square blob, drawn in
/// strokes (a ring or frame and characters) rather than a filled shape.
pub fn seal_pixels(t: &Thumb) -> Option<&'static str> {
    let n = t.px.len();
    if n == 0 {
        return None;
    }
    let (mut bg, mut red, mut other) = (0usize, 0usize, 0usize);
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    for (i, &p) in t.px.iter().enumerate() {
        if is_background(p) {
            bg += 1;
        } else if is_red(p) {
            red += 1;
            let (x, y) = (i as u32 % t.w, i as u32 / t.w);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        } else {
            other += 1;
        }
    }
    if (bg as f32) < 0.4 * n as f32 || red < 30 || (red as f32) < 0.5 * (red + other) as f32 {
        return None;
    }
    let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
    if bw.min(bh) / bw.max(bh) < 0.75 || bw.min(bh) < 12.0 {
        return None;
    }
    let fill = red as f32 / (bw * bh);
    if !(0.06..=0.6).contains(&fill) {
        return None;
    }
    // A ring near the inscribed circle, or a frame along the bounding box.
    let (cx, cy) = (x0 as f32 + bw / 2.0, y0 as f32 + bh / 2.0);
    let radius = bw.min(bh) / 2.0;
    let (mut ring, mut frame) = (0usize, 0usize);
    for (i, &p) in t.px.iter().enumerate() {
        if !is_red(p) {
            continue;
        }
        let (x, y) = ((i as u32 % t.w) as f32 + 0.5, (i as u32 / t.w) as f32 + 0.5);
        let rho = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() / radius;
        if (0.78..=1.08).contains(&rho) {
            ring += 1;
        }
        let edge = (x - x0 as f32).min(x1 as f32 + 1.0 - x).min(y - y0 as f32).min(y1 as f32 + 1.0 - y);
        if edge <= 0.12 * bw.min(bh) {
            frame += 1;
        }
    }
    let (ring, frame) = (ring as f32 / red as f32, frame as f32 / red as f32);
    // Characters inside: some red well inside the ring/frame.
    let inside = 1.0 - ring.max(frame);
    if inside < 0.1 {
        return None;
    }
    // Characters are not point-symmetric; the insides of icons (a prohibition sign's bar,
    // a target's rings) are. Share of inner red pixels whose mirror through the centre is red.
    let at = |x: i64, y: i64| -> bool {
        x >= 0 && y >= 0 && (x as u32) < t.w && (y as u32) < t.h && is_red(t.px[(y as u32 * t.w + x as u32) as usize])
    };
    let (mut inner, mut mirrored) = (0usize, 0usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let rho = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt() / radius;
            if rho >= 0.7 || !at(x as i64, y as i64) {
                continue;
            }
            inner += 1;
            let (mx, my) = ((2.0 * cx - fx).floor() as i64, (2.0 * cy - fy).floor() as i64);
            // One pixel of slack for rounding and anti-aliasing.
            if (-1..=1).any(|dx| (-1..=1).any(|dy| at(mx + dx, my + dy))) {
                mirrored += 1;
            }
        }
    }
    let symmetry = mirrored as f32 / inner.max(1) as f32;
    if symmetry > 0.93 {
        return None;
    }
    if frame >= 0.35 && frame > ring {
        Some("pixels:red ink frame on light background (square seal)")
    } else if ring >= 0.3 {
        Some("pixels:red ink ring on light background (round seal)")
    } else {
        None
    }
}

/// Whether the pixels look like a handwritten signature: thin dark strokes on white, wide.
pub fn signature_pixels(t: &Thumb) -> bool {
    let n = t.px.len();
    if n == 0 || (t.w as f32) < 1.8 * t.h as f32 {
        return false;
    }
    let lum = |p: [u8; 4]| (p[0] as u32 * 3 + p[1] as u32 * 6 + p[2] as u32) / 10;
    let dark = |p: [u8; 4]| p[3] >= 32 && lum(p) < 110;
    let (mut bg, mut ink, mut colour, mut interior) = (0usize, 0usize, 0usize, 0usize);
    for (i, &p) in t.px.iter().enumerate() {
        let sat = p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]);
        if is_background(p) {
            bg += 1;
        } else if dark(p) {
            ink += 1;
            let (x, y) = (i as u32 % t.w, i as u32 / t.w);
            if x > 0 && y > 0 && x + 1 < t.w && y + 1 < t.h {
                let at = |x: u32, y: u32| t.px[(y * t.w + x) as usize];
                if dark(at(x - 1, y)) && dark(at(x + 1, y)) && dark(at(x, y - 1)) && dark(at(x, y + 1)) {
                    interior += 1;
                }
            }
        }
        if sat > 80 && p[3] >= 32 {
            colour += 1;
        }
    }
    let ink_share = ink as f32 / n as f32;
    bg as f32 >= 0.8 * n as f32
        && (0.004..=0.15).contains(&ink_share)
        && (colour as f32) < 0.02 * n as f32
        && (interior as f32) < 0.35 * ink as f32
}

/// Classifies an image known only by its dimensions (a PDF image XObject in a format not
/// decoded here): the ID-document signals only.
pub fn classify_dims(w: u32, h: u32, item: &Item) -> Vec<(Location, MediaHit)> {
    let info = ImageInfo { format: "pdf image", size: (w > 0 && h > 0).then_some((w, h)), ..ImageInfo::default() };
    let mut out = Vec::new();
    if let Some(ev) = id_evidence(&info, item) {
        if ev.clamped() >= REPORT_FLOOR {
            let desc = format!("pdf image {w}×{h} px");
            let key = format!("{}:{w}x{h}", item.name);
            out.push((
                whole_location(item, "image"),
                whole_hit("id_document", "media_id_document", &ev, item, &desc, &key),
            ));
        }
    }
    out
}

/// Classifies one image.
pub fn classify(bytes: &[u8], item: &Item, more: &mut dyn FnMut() -> Option<Vec<u8>>) -> Vec<(Location, MediaHit)> {
    let mut out = Vec::new();
    let mut info = inspect(bytes);
    let head_only = item.size.is_some_and(|s| s > bytes.len() as u64);
    let mut full: Option<Vec<u8>> = None;
    if info.size.is_none() && head_only {
        // The header was past the head (TIFF IFDs at the end, big JPEG APP segments).
        full = more();
        if let Some(f) = &full {
            info = inspect(f);
        }
    }
    exif_hits(&info.exif, &mut out);
    // Hashed only when a finding needs it.
    let key = std::cell::OnceCell::new();
    let key = || key.get_or_init(|| content_key(bytes)).clone();
    let dpi = info.dpi.or(item.dpi);
    let desc = match (info.size, dpi) {
        (Some((w, h)), Some(d)) => format!("{} {w}×{h} px, {d:.0} dpi", info.format),
        (Some((w, h)), None) => format!("{} {w}×{h} px", info.format),
        _ => info.format.to_string(),
    };
    let loc = || whole_location(item, "image");
    if let Some(ev) = id_evidence(&info, item) {
        if ev.clamped() >= REPORT_FLOOR {
            out.push((loc(), whole_hit("id_document", "media_id_document", &ev, item, &desc, &key())));
        }
    }

    // Seals and signatures: pixels only for candidates.
    let seal_name = find_keyword(item.names, SEAL_NAMES);
    let seal_ctx = find_keyword(item.context, SEAL_CONTEXT);
    let sig_name = find_keyword(item.names, SIGNATURE_NAMES);
    let sig_ctx = find_keyword(item.context, SIGNATURE_CONTEXT);
    let (w, h) = info.size.unwrap_or((0, 0));
    let (long, short) = (w.max(h), w.min(h));
    let small_square = long > 0 && long <= 600 && short as f32 >= 0.7 * long as f32;
    let small_wide = long > 0 && long <= 1200 && w as f32 >= 1.8 * h as f32;
    let seal_candidate = seal_name.is_some() || seal_ctx.is_some() || small_square;
    let sig_candidate = sig_name.is_some() || sig_ctx.is_some() || small_wide;
    let named = seal_name.is_some() || sig_name.is_some();
    if (!seal_candidate && !sig_candidate) || (info.exif.camera && !named) {
        return out;
    }
    // Seals and signatures are flat graphics that compress to a fraction of a byte per pixel;
    // a photograph does not. Without a name or context, its pixels are not worth decoding.
    let labelled = named || seal_ctx.is_some() || sig_ctx.is_some();
    let per_pixel = item.size.unwrap_or(bytes.len() as u64) as f64 / (w as f64 * h as f64).max(1.0);
    let photographic = match info.format {
        "png" | "webp" | "gif" => per_pixel > 1.0,
        "jpeg" => per_pixel > 0.6,
        _ => false,
    };
    if photographic && !labelled {
        return out;
    }
    if full.is_none() && head_only {
        full = more();
    }
    let thumb = thumbnail(full.as_deref().unwrap_or(bytes), 160);
    if seal_candidate {
        let mut ev = Evidence::default();
        let pixels = thumb.as_ref().and_then(seal_pixels);
        if let Some(r) = pixels {
            ev.add(0.6, r);
            let mm = dpi.filter(|d| *d >= 100.0).map(|d| long as f32 / d * 25.4);
            match mm {
                Some(mm) if mm <= 40.0 => ev.add(0.1, "size:under 40 mm"),
                None if long <= 400 => ev.add(0.1, "size:small image"),
                _ => {}
            }
        }
        if let Some(r) = seal_name {
            ev.add(0.3, r);
        }
        if let Some(r) = seal_ctx {
            ev.add(if pixels.is_some() { 0.15 } else { 0.05 }, r);
        }
        if ev.clamped() >= REPORT_FLOOR && (pixels.is_some() || seal_name.is_some()) {
            out.push((loc(), whole_hit("seal", "media_seal", &ev, item, &desc, &key())));
        }
    }
    if sig_candidate {
        let mut ev = Evidence::default();
        let strokes = thumb.as_ref().is_some_and(signature_pixels);
        if strokes {
            ev.add(0.4, "pixels:thin dark strokes on white, wide");
        }
        if let Some(r) = sig_name {
            // `sign` alone is also sign-in buttons and signboards: weaker than `signature`.
            ev.add(if r == "name:sign" { 0.3 } else { 0.45 }, r);
        }
        if let Some(r) = sig_ctx {
            ev.add(if strokes { 0.15 } else { 0.05 }, r);
        }
        if ev.clamped() >= REPORT_FLOOR && (strokes || sig_name.is_some()) {
            out.push((loc(), whole_hit("signature", "media_signature", &ev, item, &desc, &key())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_of_cards_and_pages() {
        // 300 dpi ID-1 scan.
        assert_eq!(id_geometry(1011, 638, Some(300.0)).map(|g| g.0), Some(0.4));
        // Same proportions, no resolution.
        assert_eq!(id_geometry(1011, 638, None).map(|g| g.0), Some(0.25));
        // A4 page at 200 dpi: not a passport page (too big), not a card.
        assert_eq!(id_geometry(1654, 2339, Some(200.0)), None);
        // Passport page at 300 dpi.
        assert!(id_geometry(1476, 1039, Some(300.0)).is_some());
        // 3:2 and 4:3 photos.
        assert_eq!(id_geometry(3000, 2000, None), None);
        assert_eq!(id_geometry(4032, 3024, None), None);
    }

    #[test]
    fn heif_dimensions_from_ispe() {
        let mut b = vec![0, 0, 0, 24];
        b.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        b.extend_from_slice(&[0, 0, 0, 20]);
        b.extend_from_slice(b"ispe\0\0\0\0");
        b.extend_from_slice(&1011u32.to_be_bytes());
        b.extend_from_slice(&638u32.to_be_bytes());
        let info = inspect(&b);
        assert_eq!((info.format, info.size), ("heif", Some((1011, 638))));
    }

    #[test]
    fn scanner_names() {
        assert!(is_scanner("PFU ScanSnap iX1600"));
        assert!(is_scanner("Canon iR-ADV C5535"));
        assert!(!is_scanner("Canon Canon EOS R6"));
        assert!(!is_scanner("Apple iPhone 15 Pro 17.4"));
    }
}
