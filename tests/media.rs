//! Media detection end to end: ID-document scans, seals (alone and in Office files),
//! signatures, recordings, EXIF personal data, scanned-page PDFs, and the look-alikes that must
//! stay quiet. Fixtures: samples/media/ and samples/traps/ (tests/fixtures/media/make_media.py).

mod common;

use std::path::Path;

use sumi::detect::Confidence;
use sumi::finding::{Finding, Shown};
use sumi::media::{self, Item, MediaKind};
use sumi::segment::Location;

fn scan(path: &str) -> Vec<Finding> {
    common::scanner().scan_collect(Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn of<'a>(found: &'a [Finding], category: &str) -> Vec<&'a Finding> {
    found.iter().filter(|f| f.category == category).collect()
}

fn one<'a>(found: &'a [Finding], category: &str) -> &'a Finding {
    let v = of(found, category);
    assert_eq!(v.len(), 1, "{category}: {found:#?}");
    v[0]
}

#[test]
fn id1_card_proportions_and_scanner_exif_make_an_id_document() {
    let found = scan("samples/media/scans/scan_0001.jpg");
    let f = one(&found, "id_document");
    assert_eq!(f.confidence, Confidence::Medium);
    assert_eq!(f.location, Location::Media { media: "image".into() });
    assert!(f.reasons.contains(&"size:ID-1 card at scan resolution"), "{:?}", f.reasons);
    assert!(f.reasons.contains(&"exif:scanner or multifunction printer"), "{:?}", f.reasons);
    assert_eq!(f.value, "scan_0001.jpg");
    assert!(f.masked.contains("1011×638 px, 300 dpi"), "{}", f.masked);
    // With a telling name it is high.
    let f = one(&scan("samples/media/本人確認/運転免許証_表.jpg"), "id_document").clone();
    assert_eq!(f.confidence, Confidence::High);
    assert!(f.reasons.contains(&"name:免許証"));
    // The name is masked.
    assert!(!f.masked.contains("免許証"), "{}", f.masked);
}

#[test]
fn a_telling_name_alone_stays_low_and_a_photo_says_nothing() {
    let found = scan("samples/traps/passport_trip_paris.jpg");
    let f = one(&found, "id_document");
    assert_eq!(f.confidence, Confidence::Low);
    assert_eq!(f.reasons, vec!["name:passport"]);
    assert!(scan("samples/traps/IMG_1988.jpg").is_empty());
}

#[test]
fn card_geometry_alone_is_not_reported() {
    // ID-1 proportions, no resolution, no EXIF, no name: below the reporting floor.
    let img = image::RgbImage::from_pixel(1011, 638, image::Rgb([200, 200, 200]));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::from(img).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let item = Item { name: "picture.png", names: "share/picture.png", ..Item::default() };
    let hits = media::classify(MediaKind::Image, png.get_ref(), &item, &mut || None);
    assert!(hits.is_empty(), "{hits:?}");
}

#[test]
fn seals_are_found_and_red_logos_and_banners_are_not() {
    for (path, shape) in [
        ("samples/media/seals/img_0003.png", "round"),
        ("samples/media/seals/s64.png", "round"),
        ("samples/media/seals/hanko_light.png", "round"),
        ("samples/media/seals/img_0004.png", "square"),
    ] {
        let found = scan(path);
        let f = one(&found, "seal");
        assert!(f.confidence >= Confidence::Medium, "{path}: {f:?}");
        assert!(f.reasons.iter().any(|r| r.contains(shape)), "{path}: {:?}", f.reasons);
    }
    for path in [
        "samples/traps/company_logo_red.png",
        "samples/traps/logo_square_red.png",
        "samples/traps/banner_sale_red.png",
        "samples/traps/icon_prohibited.png",
        "samples/traps/icon_target.png",
    ] {
        let found = scan(path);
        assert!(found.is_empty(), "{path}: {found:#?}");
    }
}

#[test]
fn a_seal_inside_docx_and_xlsx_is_reported_with_its_member() {
    for (path, member) in [
        ("samples/media/office/契約書_押印済.docx", "word/media/image1.png"),
        ("samples/media/office/請求書_2025-03.xlsx", "xl/media/image1.png"),
    ] {
        let found = scan(path);
        let f = one(&found, "seal");
        assert_eq!(f.member.as_deref(), Some(member), "{path}");
        assert_eq!(f.value, member);
        assert_eq!(f.confidence, Confidence::High, "{path}: {:?}", f.reasons);
        // The document's text says where the seal goes.
        assert!(f.reasons.contains(&"context:押印"), "{path}: {:?}", f.reasons);
    }
}

#[test]
fn pictures_are_labelled_by_their_alt_text() {
    // A signature in a .docx whose only name is its alt text (descr="署名").
    let found = scan("samples/media/office/同意書_2025-03-01.docx");
    let f = one(&found, "signature");
    assert_eq!(f.member.as_deref(), Some("word/media/image1.png"));
    assert!(f.reasons.contains(&"name:署名") && f.reasons.contains(&"context:署名欄"), "{:?}", f.reasons);
    // The seal in the .xlsx is labelled 角印 in its drawing.
    let found = scan("samples/media/office/請求書_2025-03.xlsx");
    assert!(one(&found, "seal").reasons.contains(&"name:角印"));
}

#[test]
fn a_seal_on_a_slide_is_located_on_that_slide() {
    let found = scan("samples/media/office/見積書_2025-03.pptx");
    let f = one(&found, "seal");
    assert_eq!(f.member.as_deref(), Some("ppt/media/image1.png"));
    assert_eq!(f.location, Location::Slide { slide: 2 });
}

#[test]
fn signatures_are_found_by_name_and_strokes() {
    let found = scan("samples/media/signatures/署名_契約者.png");
    let f = one(&found, "signature");
    assert_eq!(f.confidence, Confidence::High);
    assert!(f.reasons.contains(&"name:署名") && f.reasons.iter().any(|r| r.starts_with("pixels:")));
}

#[test]
fn telephone_recordings_are_found_and_jingles_are_not() {
    let f = one(&scan("samples/media/calls/通話録音_20250301.wav"), "voice_recording").clone();
    assert_eq!(f.confidence, Confidence::High);
    assert!(f.reasons.contains(&"audio:8 kHz mono (telephone)") && f.reasons.contains(&"name:通話"));
    assert!(f.masked.contains("wav 8000 Hz mono 12 s"), "{}", f.masked);
    // Without a telling name: medium.
    assert_eq!(one(&scan("samples/media/calls/audio_0007.wav"), "voice_recording").confidence, Confidence::Medium);
    // Folder context and ID3 tags count.
    let f = one(&scan("samples/media/コールセンター/20250301_1032.mp3"), "voice_recording").clone();
    assert!(f.reasons.contains(&"folder:コールセンター"), "{:?}", f.reasons);
    let f = one(&scan("samples/media/calls/voicemail_0302.mp3"), "voice_recording").clone();
    assert!(f.reasons.contains(&"tag:留守電"), "{:?}", f.reasons);
    // A stereo 44.1 kHz jingle and background music: nothing at all.
    assert!(scan("samples/traps/jingle.wav").is_empty());
    assert!(scan("samples/traps/bgm_loop.mp3").is_empty());
}

#[test]
fn exif_gps_owner_and_serial_are_reported_masked() {
    let found = scan("samples/media/photos/IMG_2041.jpg");
    let gps = one(&found, "geolocation");
    assert_eq!(gps.location, Location::Metadata { metadata: "GPS".into() });
    assert_eq!(gps.confidence, Confidence::High);
    assert!(gps.value.starts_with("26.21"), "{}", gps.value);
    let artist = one(&found, "person_name");
    assert_eq!(artist.location, Location::Metadata { metadata: "Artist".into() });
    assert_eq!(artist.value, "Taro Yamada");
    let serial = one(&found, "account_id");
    assert_eq!(serial.location, Location::Metadata { metadata: "BodySerialNumber".into() });
    // XMP creators count as well.
    let found2 = scan("samples/media/photos/IMG_2042.jpg");
    let creator = one(&found2, "person_name");
    assert_eq!(creator.location, Location::Metadata { metadata: "dc:creator".into() });
    assert_eq!(creator.value, "Ichiro Suzuki");
    // A camera photo is no ID document, seal or signature.
    assert_eq!(found.len(), 3, "{found:#?}");
    // Without --reveal no raw value is written.
    for f in &found {
        let json = serde_json::to_string(&Shown { finding: f, reveal: false }).unwrap();
        assert!(!json.contains(&f.value), "{json}");
        assert!(!json.contains("26.21") && !json.contains("Yamada") && !json.contains("032021001234"), "{json}");
    }
}

#[test]
fn scanned_page_pdfs() {
    let found = scan("samples/media/scans/scan_20250301_0932.pdf");
    let f = one(&found, "id_document");
    assert_eq!(f.location, Location::Page { page: 1 });
    assert_eq!(f.value, "page 1 image Im0");
    assert!(f.reasons.contains(&"pdf:page is one image (scan)"), "{:?}", f.reasons);
    assert!(f.confidence >= Confidence::Medium);
    // An ordinary scanned A4 page: nothing.
    assert!(scan("samples/traps/scan_page_a4.pdf").is_empty());
    assert!(scan("samples/traps/scan_page_a4.jpg").is_empty());
}

#[test]
fn a_seal_as_a_flate_image_in_a_pdf() {
    let found = scan("samples/media/office/quotation_Q-2025-0301.pdf");
    let f = one(&found, "seal");
    assert_eq!((f.location.clone(), f.value.as_str()), (Location::Page { page: 1 }, "page 1 image Im1"));
    assert!(f.confidence >= Confidence::Medium);
}

#[test]
fn images_in_zips_and_mail_attachments_carry_their_member() {
    let f = one(&scan("samples/media/archive/kyc_2025.zip"), "id_document").clone();
    assert_eq!(f.member.as_deref(), Some("2025-03/passport_scan.jpg"));
    let found = scan("samples/media/mail/kyc_mail.eml");
    let f = one(&found, "id_document");
    assert_eq!(f.member.as_deref(), Some("IMG_0412.jpg"));
    assert!(f.reasons.contains(&"context:本人確認書類"), "{:?}", f.reasons);
}

#[test]
fn category_and_confidence_filters_apply_to_media() {
    let opts = sumi::scan::ScanOptions {
        threads: 1,
        min_confidence: Confidence::High,
        categories: Some(["seal".to_string()].into_iter().collect()),
        ..Default::default()
    };
    let s = sumi::scan::Scanner::new(sumi::detect::Catalog::builtin().unwrap(), opts).unwrap();
    assert!(s.scan_collect(Path::new("samples/media/calls/通話録音_20250301.wav")).unwrap().is_empty());
    assert!(s.scan_collect(Path::new("samples/media/seals/img_0003.png")).unwrap().is_empty()); // medium
    assert_eq!(s.scan_collect(Path::new("samples/media/seals/印影_代表者.png")).unwrap().len(), 1);
}

#[test]
fn seals_are_read_in_every_decoded_format() {
    let img = image::open("samples/media/seals/img_0003.png").unwrap();
    for (fmt, name) in [
        (image::ImageFormat::Bmp, "a.bmp"),
        (image::ImageFormat::Gif, "a.gif"),
        (image::ImageFormat::Tiff, "a.tif"),
        (image::ImageFormat::WebP, "a.webp"),
        (image::ImageFormat::Jpeg, "a.jpg"),
    ] {
        let mut buf = std::io::Cursor::new(Vec::new());
        image::DynamicImage::from(img.to_rgb8()).write_to(&mut buf, fmt).unwrap();
        let item = Item { name, names: name, ..Item::default() };
        let hits = media::classify(MediaKind::Image, buf.get_ref(), &item, &mut || None);
        assert!(hits.iter().any(|(_, h)| h.category == "seal" && h.score >= 0.5), "{name}: {hits:?}");
    }
}

#[test]
fn broken_media_is_harmless() {
    for (kind, bytes) in [
        (MediaKind::Image, b"\xFF\xD8\xFF\xE1\x00\x10Exif\0\0II*\0\x08\0\0\0".to_vec()),
        (MediaKind::Image, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff\xff\xff\xff\xff\xff\xff".to_vec()),
        (MediaKind::Audio, b"RIFF\xff\xff\xff\xffWAVEfmt \xff\xff\xff\xff".to_vec()),
        (MediaKind::Audio, b"ID3\x04\0\0\x7f\x7f\x7f\x7fTIT2".to_vec()),
        (MediaKind::Audio, b"fLaC\0\0\0\x22".to_vec()),
        (MediaKind::Audio, b"\0\0\0\x18ftyp3gp4\0\0\0\0\xff\xff\xff\xffmoov".to_vec()),
    ] {
        let item = Item { name: "x", names: "x", ..Item::default() };
        let _ = media::classify(kind, &bytes, &item, &mut || None);
    }
    // Random tails after each magic number: no panic, no hang.
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let magics: [&[u8]; 8] = [
        b"RIFF\0\0\0\0WAVE",
        b"ID3\x03\0\0",
        b"fLaC",
        b"OggS",
        b"\0\0\0\x20ftypM4A ",
        b"#!AMR\n",
        b"\xFF\xFB",
        &media::audio::ASF_HEADER,
    ];
    for magic in magics {
        for _ in 0..300 {
            let mut b = magic.to_vec();
            let n = (next() % 200) as usize;
            b.extend((0..n).map(|_| (next() % 7) as u8 * 40));
            let item = Item { name: "x", names: "x", ..Item::default() };
            let _ = media::classify(MediaKind::Audio, &b, &item, &mut || None);
        }
    }
}

#[test]
fn pixels_are_read_only_for_candidates() {
    // Only the head of a file is in hand; `more` would read the rest for pixel statistics.
    let head = |path: &str| std::fs::read(path).unwrap();
    let check = |bytes: &[u8], name: &str, size: u64| {
        let mut asked = false;
        let item = Item { name, names: name, size: Some(size), ..Item::default() };
        let _ = media::classify(MediaKind::Image, bytes, &item, &mut || {
            asked = true;
            None
        });
        asked
    };
    // A camera photo: metadata only.
    let photo = head("samples/media/photos/IMG_2041.jpg");
    assert!(!check(&photo, "IMG_2041.jpg", photo.len() as u64 * 10));
    // A square PNG that compresses like a photograph (2 bytes per pixel): not decoded.
    let seal = head("samples/media/seals/img_0003.png");
    assert!(!check(&seal, "img_0003.png", 200 * 200 * 2));
    // The same one as small as a flat graphic is: decoded.
    assert!(check(&seal, "img_0003.png", seal.len() as u64 + 1));
    // A card-sized scan: geometry and EXIF only.
    let card = head("samples/media/scans/scan_0001.jpg");
    assert!(!check(&card, "scan_0001.jpg", card.len() as u64 * 10));
}

#[test]
fn seals_survive_blur_fading_paper_and_compression() {
    let seal = image::open("samples/media/seals/img_0003.png").unwrap().to_rgb8();
    let faded = image::RgbImage::from_fn(seal.width(), seal.height(), |x, y| {
        let p = seal.get_pixel(x, y).0;
        image::Rgb([p[0] / 2 + 128, p[1] / 2 + 128, p[2] / 2 + 128])
    });
    let paper = image::RgbImage::from_fn(seal.width(), seal.height(), |x, y| {
        let p = seal.get_pixel(x, y).0;
        if p.iter().all(|&c| c > 240) {
            image::Rgb([238, 235, 225])
        } else {
            image::Rgb(p)
        }
    });
    let blurred = image::imageops::blur(&seal, 1.5);
    let encode = |img: &image::RgbImage, jpeg: bool| {
        let mut buf = std::io::Cursor::new(Vec::new());
        if jpeg {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 50).encode_image(img).unwrap();
        } else {
            img.write_to(&mut buf, image::ImageFormat::Png).unwrap();
        }
        buf.into_inner()
    };
    for (what, bytes) in [
        ("faded", encode(&faded, false)),
        ("paper", encode(&paper, false)),
        ("blurred", encode(&blurred, false)),
        ("jpeg q50", encode(&seal, true)),
    ] {
        let item = Item { name: "x.png", names: "x.png", ..Item::default() };
        let hits = media::classify(MediaKind::Image, &bytes, &item, &mut || None);
        assert!(hits.iter().any(|(_, h)| h.category == "seal" && h.score >= 0.5), "{what}: {hits:?}");
    }
}

#[test]
fn redaction_strips_photo_metadata_and_withholds_seals() {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("in");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::copy("samples/media/photos/IMG_2041.jpg", src.join("IMG_2041.jpg")).unwrap();
    std::fs::copy("samples/media/seals/img_0003.png", src.join("img_0003.png")).unwrap();
    let out = d.path().join("out");
    let bin = env!("CARGO_BIN_EXE_sumi");
    let run = std::process::Command::new(bin)
        .args(["redact", src.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("img_0003.png: image is personal data"), "{err}");
    assert!(!out.join("img_0003.png").exists());
    // The photo is copied without its EXIF: no GPS, owner or serial left.
    let copy = out.join("IMG_2041.jpg");
    assert!(copy.exists(), "{err}");
    let found = common::scanner().scan_collect(&copy).unwrap();
    assert!(found.is_empty(), "{found:#?}");
    assert!(image::open(&copy).is_ok());
}
