//! `sumi redact` end to end, checked with tools other than sumi where they exist: strict
//! re-decoding with encoding_rs, the raw XML of Office parts through the zip crate, calamine,
//! `pdftotext` and `qpdf --qdf`, and byte comparisons.
//!
//! `pdftotext` and `qpdf` come from poppler-utils and qpdf (installed by `.ci/run`); without
//! them the PDF checks are skipped with a note, unless `SUMI_REQUIRE_TOOLS` is set (as CI does).

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use encoding_rs::{Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16LE, UTF_8};
use sha2::{Digest, Sha256};

fn sumi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sumi")).args(args).output().expect("run sumi")
}

fn sumi_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sumi"));
    c.args(args).env_remove("SUMI_PSEUDONYM_KEY");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run sumi")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Values sumi finds at medium confidence or above, by running `sumi scan --reveal`.
fn values(path: &Path) -> Vec<(String, String)> {
    let out = sumi(&["scan", s(path), "--reveal", "--format", "jsonl", "--min-confidence", "medium"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["category"].as_str().unwrap().to_string(), v["value"].as_str().unwrap().to_string())
        })
        .collect()
}

fn hash_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), Sha256::digest(std::fs::read(&p).unwrap()).to_vec());
            }
        }
    }
    out
}

fn manifest(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("sumi-redact-manifest.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn encode(enc: &'static Encoding, t: &str) -> Vec<u8> {
    if enc == UTF_16LE {
        return t.encode_utf16().flat_map(u16::to_le_bytes).collect();
    }
    enc.encode(t).0.into_owned()
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len()).filter(|&i| &hay[i..i + needle.len()] == needle).collect()
}

/// The forms a value may take in text: as found, without separators.
fn forms(v: &str) -> Vec<String> {
    let bare: String = v.chars().filter(|c| !matches!(c, '-' | ' ' | '－' | '(' | ')')).collect();
    vec![v.to_string(), bare]
}

#[test]
fn text_copies_keep_encoding_bom_and_line_endings_and_change_only_the_spans() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice(
        "氏名,電話番号,メール\r\n山田,090-1234-5678,taro@example.co.jp\r\n佐藤,03-1111-2222,hanako@example.com\r\n"
            .as_bytes(),
    );
    let mut sjis = SHIFT_JIS.encode("名前,電話番号,備考\r\n髙橋,０９０－２２２２－３３３３,①番窓口 ").0.into_owned();
    // ED 40 (纊, NEC-selected IBM extension) re-encodes as FA 5C: it must stay as it was.
    sjis.extend_from_slice(b"\xED\x40\r\n");
    let euc = EUC_JP.encode("連絡先 TEL 03-3333-4444 メール jiro@example.org\n").0.into_owned();
    let iso = ISO_2022_JP.encode("お問い合わせ：電話 045-123-4567 まで（担当 山本）\n").0.into_owned();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(encode(UTF_16LE, "電話：080-5555-6666\r\nメール：saburo@example.net\r\n"));
    let files: Vec<(&str, Vec<u8>, &'static Encoding, usize)> = vec![
        ("utf8bom.csv", utf8, UTF_8, 3),
        ("sjis.csv", sjis, SHIFT_JIS, 0),
        ("eucjp.txt", euc, EUC_JP, 0),
        ("iso2022.txt", iso, ISO_2022_JP, 0),
        ("utf16le.txt", utf16, UTF_16LE, 2),
    ];
    for (name, bytes, _, _) in &files {
        write(&input, name, bytes);
    }
    let before = hash_tree(&input);
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(before, hash_tree(&input), "originals changed");
    for (name, orig, enc, bom) in &files {
        let found = values(&input.join(name));
        assert!(!found.is_empty(), "{name}: nothing found in the original");
        let copy = std::fs::read(out.join(name)).unwrap();
        // Mask mode keeps the byte length in every encoding used here.
        assert_eq!(copy.len(), orig.len(), "{name}: length changed");
        assert_eq!(copy[..*bom], orig[..*bom], "{name}: BOM changed");
        assert_eq!(find_all(&copy, b"\r\n").len(), find_all(orig, b"\r\n").len(), "{name}: line endings changed");
        let text = enc
            .decode_without_bom_handling_and_without_replacement(&copy[*bom..])
            .unwrap_or_else(|| panic!("{name}: the copy does not decode strictly as {}", enc.name()));
        assert!(!text.contains("&#"), "{name}: numeric character references in the copy");
        for (cat, v) in &found {
            for f in forms(v) {
                assert!(!text.contains(&f), "{name}: {cat} value still in the copy");
            }
        }
        // Bytes differ only inside the redacted values' spans.
        let mut inside = vec![false; orig.len()];
        for (_, v) in &found {
            let enc_v = encode(enc, v);
            let needle: &[u8] =
                if *enc == ISO_2022_JP { enc_v.strip_prefix(b"\x1b$B").unwrap_or(&enc_v) } else { &enc_v };
            let needle = if *enc == ISO_2022_JP { needle.strip_suffix(b"\x1b(B").unwrap_or(needle) } else { needle };
            for at in find_all(orig, needle) {
                inside[at..at + needle.len()].iter_mut().for_each(|b| *b = true);
            }
        }
        for i in 0..orig.len() {
            assert!(orig[i] == copy[i] || inside[i], "{name}: byte {i} changed outside a redacted span");
        }
    }
    let sjis_copy = std::fs::read(out.join("sjis.csv")).unwrap();
    assert!(sjis_copy.ends_with(b"\xED\x40\r\n"), "CP932 round-trip trap: ED 40 rewritten");
}

#[test]
fn html_values_written_with_character_references_are_found_and_replaced() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    let orig = std::fs::read("tests/fixtures/formats/page.html").unwrap();
    write(&input, "page.html", &orig);
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let copy = std::fs::read_to_string(out.join("page.html")).unwrap();
    assert!(copy.contains("<td>**-****-****</td>"), "{copy}");
    assert!(copy.contains(r#"<a href="mailto:****@*******.**">****@*******.**</a>"#), "{copy}");
    let orig = String::from_utf8(orig).unwrap();
    for (a, b) in orig.lines().zip(copy.lines()) {
        if !a.contains("<td>") {
            assert_eq!(a, b);
        }
    }
}

#[test]
fn originals_stay_identical_and_redacted_samples_scan_clean() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let before = hash_tree(Path::new("samples"));
    let started = std::time::Instant::now();
    let run = sumi(&["redact", "samples", "--out", s(&out)]);
    let took = started.elapsed();
    assert_eq!(before, hash_tree(Path::new("samples")), "an original under samples/ changed");
    // Withheld files (mail, PDFs with page text, xls) make the status 1.
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    eprintln!("{}", String::from_utf8_lossy(&run.stdout));
    eprintln!("redacting samples/ took {took:?} (debug build)");
    // A text document withheld because its copy still held data means a writer missed a
    // value (or a detector reads its own masks): only pictures that are personal data (a seal
    // or signature inside a document) may fail verification, and they are withheld for that.
    let err = String::from_utf8_lossy(&run.stderr);
    let failed: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("verification:"))
        .filter(|l| !err.lines().skip_while(|x| x != l).nth(1).is_some_and(|n| n.contains(" image")))
        .collect();
    assert!(failed.is_empty(), "copies that did not verify:\n{}", failed.join("\n"));
    // The copies, scanned again: nothing at medium confidence or above.
    let rescan = sumi(&[
        "scan",
        s(&out),
        "--format",
        "jsonl",
        "--min-confidence",
        "medium",
        "--exclude",
        "sumi-redact-manifest.jsonl",
    ]);
    let left = String::from_utf8_lossy(&rescan.stdout);
    assert!(left.trim().is_empty(), "findings left in the copies:\n{left}");
    assert_eq!(rescan.status.code(), Some(0), "{}", String::from_utf8_lossy(&rescan.stderr));
    let err = String::from_utf8_lossy(&rescan.stderr);
    assert!(err.contains(" 0 errors"), "a copy does not read back: {err}");
    // Every PDF copy opens in poppler without complaint and passes qpdf's check.
    if tool("pdftotext") && tool("qpdf") {
        for e in std::fs::read_dir(out.join("formats/pdf")).unwrap() {
            let p = e.unwrap().path();
            let t = Command::new("pdftotext").args([s(&p), "-"]).output().unwrap();
            assert!(
                t.status.success() && t.stderr.is_empty(),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&t.stderr)
            );
            let q = Command::new("qpdf").args(["--check", s(&p)]).output().unwrap();
            assert!(q.status.success(), "{}: {}", p.display(), String::from_utf8_lossy(&q.stdout));
        }
    }
    // The manifest: every file once; withheld files listed with a reason and absent from the
    // output; no raw value without --reveal.
    let m = manifest(&out);
    let files: Vec<&serde_json::Value> = m.iter().filter(|l| l["type"] == "file").collect();
    assert_eq!(files.len(), before.len());
    let withheld: Vec<&&serde_json::Value> = files.iter().filter(|f| f["status"] == "withheld").collect();
    assert!(!withheld.is_empty());
    for f in &withheld {
        assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()));
        assert!(!out.join(f["path"].as_str().unwrap()).exists(), "a withheld file was copied");
    }
    let redactions = m.iter().filter(|l| l["type"] == "redaction").count();
    assert!(redactions > 1000, "only {redactions} redactions");
    let raw = std::fs::read_to_string(out.join("sumi-redact-manifest.jsonl")).unwrap();
    for (_, v) in values(Path::new("samples/docs")) {
        if v.chars().count() >= 6 {
            assert!(!raw.contains(&v), "a raw value in the manifest");
        }
    }
}

fn xml_text(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let re = regex::Regex::new(r"&#(x[0-9a-fA-F]+|[0-9]+);").unwrap();
    let s = re.replace_all(&s, |c: &regex::Captures| {
        let n = &c[1];
        let v = if let Some(h) = n.strip_prefix('x') { u32::from_str_radix(h, 16) } else { n.parse() };
        v.ok().and_then(char::from_u32).map(String::from).unwrap_or_default()
    });
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn parts(path: &Path) -> Vec<(String, Vec<u8>, u32)> {
    let mut z = zip::ZipArchive::new(Cursor::new(std::fs::read(path).unwrap())).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b, f.crc32())
        })
        .collect()
}

#[test]
fn office_copies_edit_only_the_parts_that_held_data() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    let sources = [
        "tests/fixtures/redact/numbers.xlsx",
        "tests/fixtures/redact/split.docx",
        "samples/formats/pptx/docs.pptx",
        "samples/formats/odt/minutes_20241008_utf8.odt",
        "samples/formats/ods/customers_cp932.ods",
        "samples/formats/odp/hr_note.odp",
        "samples/formats/xlsx/customers_cp932.xlsx",
    ];
    for src in sources {
        let name = Path::new(src).file_name().unwrap().to_str().unwrap();
        write(&input, name, &std::fs::read(src).unwrap());
    }
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    for src in sources {
        let name = Path::new(src).file_name().unwrap().to_str().unwrap();
        let all: Vec<String> = values(&input.join(name)).into_iter().map(|(_, v)| v).collect();
        let found: Vec<String> = all.iter().filter(|v| v.chars().count() >= 5).cloned().collect();
        assert!(!found.is_empty(), "{name}: nothing found");
        let a = parts(&input.join(name));
        let b = parts(&out.join(name));
        assert_eq!(
            a.iter().map(|p| &p.0).collect::<Vec<_>>(),
            b.iter().map(|p| &p.0).collect::<Vec<_>>(),
            "{name}: parts differ"
        );
        for ((pn, ab, acrc), (_, bb, bcrc)) in a.iter().zip(&b) {
            let bt = xml_text(bb);
            for v in &found {
                assert!(!bt.contains(v.as_str()), "{name}: a value is still in {pn}");
            }
            // Short values (a four-character name) may be redacted in a part too.
            let held = all.iter().any(|v| xml_text(ab).contains(v.as_str()));
            let people = pn == "docProps/core.xml" || pn == "meta.xml";
            let image = pn.ends_with(".jpeg") || pn.ends_with(".jpg") || pn.ends_with(".png");
            if !held && !people && !image {
                assert_eq!(ab, bb, "{name}: {pn} changed although it held nothing");
                assert_eq!(acrc, bcrc);
            }
        }
        // The copy reads back without errors and holds nothing at medium or above.
        let rescan = sumi(&["scan", s(&out.join(name)), "--min-confidence", "medium"]);
        assert_eq!(rescan.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&rescan.stdout));
        assert!(!String::from_utf8_lossy(&rescan.stderr).contains("sumi:"), "{name}: read errors");
    }
    // numbers.xlsx: the date of birth stored as a number became an inline string; the
    // number nobody found stayed a number; comment, header and properties were cleaned.
    let sheet = parts(&out.join("numbers.xlsx"));
    let get = |n: &str| xml_text(&sheet.iter().find(|p| p.0 == n).unwrap().1);
    let ws = get("xl/worksheets/sheet1.xml");
    assert!(ws.contains(r#"<c r="C2" s="1" t="inlineStr"><is><t>****/**/**</t></is></c>"#), "{ws}");
    assert!(ws.contains(r#"<v>312345678</v>"#));
    assert!(ws.contains("緊急連絡 TEL **-****-****"));
    assert!(get("xl/comments/comment1.xml").contains("携帯 ***-****-****"));
    assert!(!get("docProps/core.xml").contains("suzuki"));
    // calamine opens the copy and reads the replacement.
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(std::fs::read(out.join("numbers.xlsx")).unwrap())).unwrap();
    use calamine::Reader as _;
    let range = wb.worksheet_range("社員").unwrap();
    assert_eq!(range.get_value((1, 2)).map(|c| c.to_string()), Some("****/**/**".to_string()));
    // The name under 氏名 is personal data too, redacted in its shared string.
    assert_eq!(range.get_value((1, 0)).map(|c| c.to_string()), Some("＊＊＊＊".to_string()));
    // The tools that made the fixtures open the copies (openpyxl, python-docx, python-pptx,
    // odfpy), when Python has them.
    let script = r#"
import sys, openpyxl, docx, pptx
from odf.opendocument import load
d = sys.argv[1]
wb = openpyxl.load_workbook(d + "/numbers.xlsx")
assert wb["社員"]["C2"].value == "****/**/**", wb["社員"]["C2"].value
assert wb["社員"]["A2"].value == "＊＊＊＊", wb["社員"]["A2"].value
p = docx.Document(d + "/split.docx").paragraphs[0].text
assert p == "連絡先 電話 **-****-**** まで", p
pptx.Presentation(d + "/docs.pptx")
openpyxl.load_workbook(d + "/customers_cp932.xlsx")
for f in ["minutes_20241008_utf8.odt", "customers_cp932.ods", "hr_note.odp"]:
    load(d + "/" + f)
print("opened")
"#;
    match Command::new("python3").args(["-c", "import openpyxl, docx, pptx, odf"]).output() {
        Ok(o) if o.status.success() => {
            let r = Command::new("python3").args(["-c", script, s(&out)]).output().unwrap();
            assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        }
        _ => eprintln!("note: openpyxl/python-docx/python-pptx/odfpy not installed; not opened with them"),
    }
    // split.docx: a number split across runs is masked in both runs, formatting kept; the
    // tracked deletion is cleaned too.
    let doc = parts(&out.join("split.docx"));
    let body = xml_text(&doc.iter().find(|p| p.0 == "word/document.xml").unwrap().1);
    assert!(body.contains("<w:t>連絡先 電話 **-****-</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>****</w:t>"), "{body}");
    assert!(body.contains("<w:delText>******.******@*******.**.**</w:delText>"));
}

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("SUMI_REQUIRE_TOOLS").is_none(),
            "{name} is required (apt-get install poppler-utils qpdf)"
        );
        eprintln!("note: {name} not installed; PDF checks with it skipped");
    }
    ok
}

/// `pdftotext -bbox` words with their left edge.
fn words(pdf: &Path) -> Vec<(String, String)> {
    let t = Command::new("pdftotext").args(["-bbox", s(pdf), "-"]).output().unwrap();
    assert!(t.status.success());
    let re = regex::Regex::new(r#"<word xMin="([0-9.]+)"[^>]*>([^<]*)</word>"#).unwrap();
    re.captures_iter(&String::from_utf8_lossy(&t.stdout)).map(|c| (c[2].to_string(), c[1].to_string())).collect()
}

#[test]
fn pdf_glyphs_are_removed_in_place_and_copies_are_rewritten_whole() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    for f in ["revised.pdf", "page_text.pdf", "parts.pdf"] {
        write(&input, f, &std::fs::read(Path::new("tests/fixtures/redact").join(f)).unwrap());
    }
    let orig = std::fs::read(input.join("revised.pdf")).unwrap();
    assert_eq!(find_all(&orig, b"taro.yamada").len(), 2, "the fixture holds the address twice");
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    for f in ["revised.pdf", "page_text.pdf", "parts.pdf"] {
        let copy = std::fs::read(out.join(f)).unwrap();
        assert_eq!(find_all(&copy, b"startxref").len(), 1, "{f}: more than one revision");
        assert!(find_all(&copy, b"/Prev").is_empty());
    }
    let secrets: [&[u8]; 9] =
        [b"taro.yamada", b"03-1234-5678", b"1234", b"hanako", b"5555", b"6666", b"7777", b"saburo", b"shiro"];
    if tool("pdftotext") {
        let text = |p: &Path| {
            let t = Command::new("pdftotext").args([s(p), "-"]).output().unwrap();
            assert!(t.status.success());
            String::from_utf8_lossy(&t.stdout).into_owned()
        };
        let t = text(&out.join("revised.pdf"));
        assert!(t.contains("Quarterly report"), "{t}");
        let t = text(&out.join("page_text.pdf"));
        assert!(t.contains("TEL") && t.contains("mail"), "{t}");
        for sec in secrets {
            assert!(!t.contains(std::str::from_utf8(sec).unwrap()), "{t}");
        }
        // The glyphs after a removed value stay where they were.
        let before = words(&input.join("page_text.pdf"));
        let after = words(&out.join("page_text.pdf"));
        let (stars, kept): (Vec<_>, Vec<_>) = after.iter().partition(|w| w.0.chars().all(|c| c == '*'));
        assert_eq!(kept.len(), 3, "{after:?}");
        for w in kept {
            assert!(before.contains(w), "{w:?} moved: {before:?}");
        }
        // Placeholders where the values were, where they started.
        assert_eq!(stars.len(), 2, "{after:?}");
        assert_eq!(stars[0].1, before[1].1);
        // Text drawn by a Form XObject: removed there, the rest of the line in place.
        let t = text(&out.join("parts.pdf"));
        assert!(t.contains("Minutes of the meeting") && t.contains("FAX"), "{t}");
        let end = |p: &Path| words(p).into_iter().find(|w| w.0 == "end").unwrap();
        assert_eq!(end(&input.join("parts.pdf")), end(&out.join("parts.pdf")));
    }
    if tool("qpdf") {
        for f in ["revised.pdf", "page_text.pdf", "parts.pdf"] {
            let q = d.path().join(format!("q-{f}"));
            let r = Command::new("qpdf")
                .args(["--qdf", "--object-streams=disable", "--preserve-unreferenced", s(&out.join(f)), s(&q)])
                .output()
                .unwrap();
            assert!(r.status.code().is_some_and(|c| c == 0 || c == 3), "{}", String::from_utf8_lossy(&r.stderr));
            let raw = std::fs::read(&q).unwrap();
            for sec in secrets {
                assert!(find_all(&raw, sec).is_empty(), "{f}: a value survives in the decompressed PDF");
            }
        }
        let raw = std::fs::read(d.path().join("q-page_text.pdf")).unwrap();
        assert!(!find_all(&raw, b" re f").is_empty(), "no box drawn");
        let raw = std::fs::read(d.path().join("q-revised.pdf")).unwrap();
        assert!(!find_all(&raw, b"Quarterly report").is_empty());
        // The annotation, the bookmark and the form field holding values are gone.
        let raw = std::fs::read(d.path().join("q-parts.pdf")).unwrap();
        for gone in [&b"/Annots"[..], b"/Outlines", b"/AcroForm"] {
            assert!(find_all(&raw, gone).is_empty(), "{} left", String::from_utf8_lossy(gone));
        }
        assert!(!find_all(&raw, b"Minutes of the meeting").is_empty());
    }
}

#[test]
fn mails_are_redacted_in_headers_bodies_and_attachments() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    // ISO-2022-JP body, Shift_JIS CSV attachment in base64.
    let src = "samples/formats/eml/customers_cp932.eml";
    write(&input, "m.eml", &std::fs::read(src).unwrap());
    let found = values(&input.join("m.eml"));
    assert!(found.len() > 10);
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let orig = std::fs::read(input.join("m.eml")).unwrap();
    let copy = std::fs::read(out.join("m.eml")).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&copy).expect("the copy parses");
    let from = msg.from().and_then(|a| a.first()).and_then(|a| a.address()).unwrap().to_string();
    assert_eq!(from, "*****@*******.**");
    assert_eq!(msg.attachment_count(), 1);
    let att = msg.attachment(0).unwrap();
    let b64: Vec<u8> = copy[att.raw_body_offset() as usize..att.raw_end_offset() as usize]
        .iter()
        .copied()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut raw_csv = Vec::new();
    for c in b64.chunks(4) {
        let v: Vec<u32> = c
            .iter()
            .map(|&b| match b {
                b'A'..=b'Z' => (b - b'A') as u32,
                b'a'..=b'z' => (b - b'a') as u32 + 26,
                b'0'..=b'9' => (b - b'0') as u32 + 52,
                b'+' => 62,
                _ => 63,
            })
            .collect();
        let n = v.iter().enumerate().fold(0u32, |n, (i, x)| n | x << (18 - 6 * i));
        raw_csv.extend_from_slice(&n.to_be_bytes()[1..c.len()]);
    }
    let csv = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(&raw_csv).expect("still Shift_JIS");
    assert!(csv.contains("氏名"), "{csv}");
    let body = msg.body_text(0).unwrap();
    for (cat, v) in &found {
        if v.chars().count() >= 5 {
            assert!(!csv.contains(v.as_str()) && !body.contains(v.as_str()), "{cat} value left");
            assert!(find_all(&copy, v.as_bytes()).is_empty(), "{cat} value left in the raw mail");
        }
    }
    // Structure: the same headers, boundaries and line endings.
    let lines =
        |b: &[u8]| b.split(|&c| c == b'\n').filter(|l| l.starts_with(b"--") || l.starts_with(b"Content-")).count();
    assert_eq!(lines(&orig), lines(&copy));
    assert_eq!(find_all(&orig, b"\r\n").len(), find_all(&copy, b"\r\n").len());
}

#[test]
fn quoted_printable_bodies_and_encoded_headers_are_encoded_again() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    let subject = "=?UTF-8?B?6YCj57Wh5YWIIDA5MC0xMjM0LTU2Nzg=?="; // 連絡先 090-1234-5678
    let mail = format!(
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.co.jp; s=sel;\r\n bh=abc=; b=def=\r\n\
         From: Taro <taro.yamada@example.co.jp>\r\nTo: hanako@example.com\r\nSubject: {subject}\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\r\n\
         =E9=9B=BB=E8=A9=B1 03-1234-5678 =E3=81=BE=E3=81=A7=E3=80=82\r\nmail: jiro@example.org\r\n"
    );
    write(&input, "qp.eml", mail.as_bytes());
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let copy = std::fs::read(out.join("qp.eml")).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&copy).unwrap();
    assert_eq!(msg.subject(), Some("連絡先 ***-****-****"));
    assert_eq!(msg.body_text(0).unwrap().replace("\r\n", "\n"), "電話 **-****-**** まで。\nmail: ****@*******.***\n");
    for v in ["taro.yamada", "hanako", "jiro", "1234"] {
        assert!(find_all(&copy, v.as_bytes()).is_empty(), "{v} left in the raw mail");
    }
    assert!(copy.starts_with(b"From: Taro <"), "DKIM-Signature kept, or header layout changed");
}

#[test]
fn zips_are_rebuilt_with_redacted_members_and_names() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("clean.txt", opts).unwrap();
    z.write_all("本日は晴天なり。".repeat(20).as_bytes()).unwrap();
    z.start_file("list.csv", opts).unwrap();
    z.write_all("氏名,電話番号\n山田,090-1234-5678\n".as_bytes()).unwrap();
    z.start_file("sub/連絡先_taro@example.co.jp.txt", opts).unwrap();
    z.write_all(b"see file name").unwrap();
    let bytes = z.finish().unwrap().into_inner();
    write(&input, "bundle.zip", &bytes);
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let a = parts(&input.join("bundle.zip"));
    let b = parts(&out.join("bundle.zip"));
    let names: Vec<&str> = b.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(names, ["clean.txt", "list.csv", "sub/連絡先_****@*******.**.**.txt"]);
    assert_eq!(a[0], b[0], "an untouched member changed");
    assert_eq!(String::from_utf8(b[1].1.clone()).unwrap(), "氏名,電話番号\n＊＊,***-****-****\n");
    // The archive's own compressed bytes for the untouched member are copied as they are.
    let mut za = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut zb = zip::ZipArchive::new(Cursor::new(std::fs::read(out.join("bundle.zip")).unwrap())).unwrap();
    let raw = |z: &mut zip::ZipArchive<Cursor<Vec<u8>>>| {
        let mut v = Vec::new();
        z.by_index_raw(0).unwrap().read_to_end(&mut v).unwrap();
        v
    };
    assert_eq!(raw(&mut za), raw(&mut zb));
}

#[test]
fn tar_gz_members_are_redacted_and_repacked() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    write(&input, "export.tar.gz", &std::fs::read("tests/fixtures/formats/export.tar.gz").unwrap());
    let found = values(&input.join("export.tar.gz"));
    assert!(found.len() >= 2);
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let unpack = |p: &Path| {
        let mut v = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(p).unwrap()).read_to_end(&mut v).unwrap();
        v
    };
    let (a, b) = (unpack(&input.join("export.tar.gz")), unpack(&out.join("export.tar.gz")));
    assert_eq!(a.len(), b.len(), "mask mode keeps every member's size");
    for (_, v) in &found {
        // Members may be UTF-8 or CP932 (the customer list is an Excel CSV).
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(v);
        for enc in [v.as_bytes(), &sjis[..]] {
            assert!(find_all(&b, enc).is_empty(), "a value is left in the copy");
        }
        assert!(!find_all(&a, v.as_bytes()).is_empty() || !find_all(&a, &sjis).is_empty());
    }
    if Command::new("tar").arg("--version").output().is_ok() {
        let list = |p: &Path| Command::new("tar").args(["tzf", s(p)]).output().unwrap();
        let (la, lb) = (list(&input.join("export.tar.gz")), list(&out.join("export.tar.gz")));
        assert!(lb.status.success(), "{}", String::from_utf8_lossy(&lb.stderr));
        assert_eq!(la.stdout, lb.stdout);
    }
}

#[test]
fn images_lose_their_metadata_and_keep_their_pixels() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let out = d.path().join("out");
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F'];
    let exif = b"Exif\0\0GPS 35.6 139.7 Taro Yamada";
    jpeg.extend_from_slice(&[0xFF, 0xE1, 0, (exif.len() + 2) as u8]);
    jpeg.extend_from_slice(exif);
    jpeg.extend_from_slice(&[0xFF, 0xFE, 0, 15]);
    jpeg.extend_from_slice(b"090-1234-5678");
    let scan = [0xFF, 0xDA, 0, 2, 7, 7, 7, 0xFF, 0xD9];
    jpeg.extend_from_slice(&scan);
    write(&input, "photo.jpg", &jpeg);
    let chunk = |k: &[u8], d: &[u8]| {
        let mut c = (d.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(k);
        c.extend_from_slice(d);
        let mut crc = flate2::Crc::new();
        crc.update(&c[4..]);
        c.extend_from_slice(&crc.sum().to_be_bytes());
        c
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    png.extend(chunk(b"tEXt", b"Author\0taro.yamada@example.co.jp"));
    png.extend(chunk(b"tIME", &[7, 232, 1, 1, 0, 0, 0]));
    let idat = chunk(b"IDAT", &[120, 156, 99, 96, 0, 0, 0, 2, 0, 1]);
    png.extend(&idat);
    png.extend(chunk(b"IEND", &[]));
    write(&input, "scan.png", &png);
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let copy = std::fs::read(out.join("photo.jpg")).unwrap();
    assert!(find_all(&copy, b"Exif").is_empty() && find_all(&copy, b"Taro").is_empty());
    assert!(find_all(&copy, b"090-1234").is_empty());
    assert!(copy.ends_with(&scan), "pixels changed");
    assert!(copy.starts_with(&jpeg[..10]), "JFIF header dropped");
    let copy = std::fs::read(out.join("scan.png")).unwrap();
    assert!(find_all(&copy, b"tEXt").is_empty() && find_all(&copy, b"tIME").is_empty());
    assert!(find_all(&copy, b"taro").is_empty());
    assert!(!find_all(&copy, &idat).is_empty(), "pixels changed");
}

#[test]
fn modes_label_pseudonym_partial() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    write(&input, "a/memo.txt", "電話：090-1234-5678 メール：taro@example.co.jp\n".as_bytes());
    write(&input, "b/other.txt", "携帯 090-1234-5678 に連絡\n".as_bytes());
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();

    let out = d.path().join("label");
    assert_eq!(sumi(&["redact", s(&input), "--out", s(&out), "--mode", "label"]).status.code(), Some(0));
    assert_eq!(read(out.join("a/memo.txt")), "電話：[電話番号] メール：[メールアドレス]\n");

    let out = d.path().join("partial");
    assert_eq!(sumi(&["redact", s(&input), "--out", s(&out), "--mode", "partial"]).status.code(), Some(0));
    assert_eq!(read(out.join("a/memo.txt")), "電話：***-****-5678 メール：****@*******.**.**\n");

    let p = |name: &str, key: &str| {
        let out = d.path().join(name);
        let r =
            sumi_env(&["redact", s(&input), "--out", s(&out), "--mode", "pseudonym"], &[("SUMI_PSEUDONYM_KEY", key)]);
        assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
        (read(out.join("a/memo.txt")), read(out.join("b/other.txt")))
    };
    let (a1, b1) = p("p1", "key one");
    let (a2, _) = p("p2", "key one");
    let (a3, _) = p("p3", "key two");
    let token = a1.split_whitespace().next().unwrap().trim_start_matches("電話：").to_string();
    assert!(token.starts_with("PHONE-") && token.len() == 14, "{token}");
    assert!(b1.contains(&token), "the same value in another file gets another token");
    assert_eq!(a1, a2, "not stable across runs");
    assert_ne!(a1, a3, "the key does not matter");
    let keyless = sumi_env(&["redact", s(&input), "--out", s(&d.path().join("p4")), "--mode", "pseudonym"], &[]);
    assert_eq!(keyless.status.code(), Some(2));
}

#[test]
fn output_inside_input_is_refused_and_only_changed_skips_clean_files() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    write(&input, "clean.txt", "本日は晴天なり。".as_bytes());
    write(&input, "memo.txt", "TEL 090-1234-5678\n".as_bytes());
    let inside = sumi(&["redact", s(&input), "--out", s(&input.join("out/deeper"))]);
    assert_eq!(inside.status.code(), Some(2));
    assert!(!input.join("out").exists(), "a refused output directory was created");
    let around = sumi(&["redact", s(&input.join("memo.txt")), "--out", s(&input)]);
    assert_eq!(around.status.code(), Some(2));
    assert_eq!(std::fs::read(input.join("memo.txt")).unwrap(), b"TEL 090-1234-5678\n");
    let out = d.path().join("out");
    assert_eq!(sumi(&["redact", s(&input), "--out", s(&out), "--only-changed"]).status.code(), Some(0));
    assert!(out.join("memo.txt").exists());
    assert!(!out.join("clean.txt").exists());
    // Two names that redact to the same name: both copies kept.
    let names = d.path().join("names");
    write(&names, "連絡_090-1111-2222.txt", b"a\n");
    write(&names, "連絡_090-3333-4444.txt", b"b\n");
    let out = d.path().join("out2");
    assert_eq!(sumi(&["redact", s(&names), "--out", s(&out)]).status.code(), Some(0));
    let mut got: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    got.sort();
    assert_eq!(got, ["連絡_***-****-****.txt", "連絡_***-****-****~2.txt"]);
    let mut contents: Vec<String> = got.iter().map(|n| std::fs::read_to_string(out.join(n)).unwrap()).collect();
    contents.sort();
    assert_eq!(contents, ["a\n", "b\n"]);
}

#[test]
fn images_that_are_personal_data_are_withheld_or_blacked_out() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    let sources = [
        ("seal.png", "samples/media/seals/印影_代表者.png"),
        ("contract.docx", "samples/media/office/契約書_押印済.docx"),
        ("consent.docx", "samples/media/office/同意書_2025-03-01.docx"),
    ];
    for (name, src) in sources {
        write(&input, name, &std::fs::read(src).unwrap());
    }
    // Default: withheld, with the reason.
    let out = d.path().join("withheld");
    let run = sumi(&["redact", s(&input), "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    for (name, _) in sources {
        assert!(!out.join(name).exists(), "{name} copied");
        assert!(err.contains(&format!("withheld {name}")) && err.contains("image is personal data"), "{err}");
    }
    // Blackout: the same pictures, black, at the same size; the rest of the package as it was.
    let out = d.path().join("black");
    let run = sumi(&["redact", s(&input), "--out", s(&out), "--images", "blackout"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let black = |bytes: &[u8], like: &[u8]| {
        let a = image::load_from_memory(bytes).unwrap().to_rgb8();
        let b = image::load_from_memory(like).unwrap();
        assert_eq!((a.width(), a.height()), (b.width(), b.height()));
        assert!(a.pixels().all(|p| p.0 == [0, 0, 0]), "not black");
    };
    black(&std::fs::read(out.join("seal.png")).unwrap(), &std::fs::read(input.join("seal.png")).unwrap());
    for name in ["contract.docx", "consent.docx"] {
        let (a, b) = (parts(&input.join(name)), parts(&out.join(name)));
        assert_eq!(a.len(), b.len());
        let mut pictures = 0;
        for ((pn, ab, _), (_, bb, _)) in a.iter().zip(&b) {
            if pn.starts_with("word/media/") {
                black(bb, ab);
                pictures += 1;
            } else if pn == "word/document.xml" {
                assert_eq!(xml_text(ab).contains("印"), xml_text(bb).contains("印"));
            }
        }
        assert!(pictures > 0, "{name}: no picture");
    }
}
