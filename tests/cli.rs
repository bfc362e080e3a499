//! The `sumi` binary end to end: exit status, output formats, privacy, errors, chunking.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sumi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sumi")).args(args).output().expect("run sumi")
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn jsonl(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn exit_status_follows_findings() {
    let d = dir();
    write(d.path(), "clean.txt", "本日は晴天なり。会議は3階で行います。".as_bytes());
    let clean = sumi(&["scan", d.path().to_str().unwrap()]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stderr));

    write(d.path(), "memo.txt", "連絡先 TEL：090-1234-5678".as_bytes());
    let found = sumi(&["scan", d.path().to_str().unwrap()]);
    assert_eq!(found.status.code(), Some(1));

    let missing = sumi(&["scan", d.path().join("nope").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    let bad = sumi(&["scan", "--min-confidence", "extreme", "."]);
    assert_eq!(bad.status.code(), Some(2));
    let bad_cat = sumi(&["scan", "--categories", "phone,shoe_size", "."]);
    assert_eq!(bad_cat.status.code(), Some(2));

    // Output that cannot be written stops the run with status 2.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = Command::new(env!("CARGO_BIN_EXE_sumi"))
            .args(["scan", d.path().to_str().unwrap()])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write output"));
    }
}

#[test]
fn jsonl_follows_the_output_contract() {
    let d = dir();
    write(d.path(), "form.txt", "氏名：山田太郎\n電話番号：090-1234-5678\nメール：taro@example.jp\n".as_bytes());
    let out = sumi(&["scan", "--format", "jsonl", d.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let rows = jsonl(&out);
    let phone = rows.iter().find(|r| r["category"] == "phone").expect("phone finding");
    assert_eq!(phone["location"]["line"], 2);
    assert_eq!(phone["location"]["column"], 6);
    assert_eq!(phone["confidence"], "high");
    assert_eq!(phone["masked"], "090-****-5678");
    assert_eq!(phone["detector"], "jp_phone");
    assert!(phone["reasons"].as_array().unwrap().iter().any(|r| r == "label:電話番号"));
    assert_eq!(phone["fingerprint"].as_str().unwrap().len(), 32);
    assert!(phone.get("value").is_none(), "no value without --reveal");
    assert!(phone["path"].as_str().unwrap().ends_with("form.txt"));
    assert!(phone.get("member").is_none());

    let revealed = jsonl(&sumi(&["scan", "--format", "jsonl", "--reveal", d.path().to_str().unwrap()]));
    let phone = revealed.iter().find(|r| r["category"] == "phone").unwrap();
    assert_eq!(phone["value"], "090-1234-5678");
}

#[test]
fn no_raw_value_without_reveal() {
    // Every labelled value of the samples, in both output formats: none may appear.
    let truth = std::fs::read_to_string("tests/truth/samples.jsonl").unwrap();
    let values: Vec<String> = truth
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["value"].as_str().unwrap().to_string())
        .filter(|v| v.chars().count() >= 5)
        .collect();
    assert!(values.len() > 100);
    for format in ["human", "jsonl"] {
        let out = sumi(&["scan", "--format", format, "samples"]);
        assert_eq!(out.status.code(), Some(1));
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for v in &values {
            assert!(!text.contains(v.as_str()), "{format} output reveals a value");
        }
    }
    let shown = sumi(&["scan", "--format", "jsonl", "--reveal", "samples"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(values.iter().filter(|v| text.contains(v.as_str())).count() * 10 >= values.len() * 9);
}

#[test]
fn filters_and_confidence() {
    let d = dir();
    write(d.path(), "a.txt", "TEL 03-1234-5678\n備考 621498320257".as_bytes());
    write(d.path(), "skip.log", "TEL 03-1234-5678".as_bytes());
    let p = d.path().to_str().unwrap();
    let all = jsonl(&sumi(&["scan", "--format", "jsonl", p]));
    assert_eq!(all.len(), 3);
    let high = jsonl(&sumi(&["scan", "--format", "jsonl", "--min-confidence", "high", p]));
    assert!(high.iter().all(|r| r["confidence"] == "high"));
    assert!(!high.iter().any(|r| r["category"] == "my_number"), "an unlabelled My Number stays low");
    let phones = jsonl(&sumi(&["scan", "--format", "jsonl", "--categories", "my_number", p]));
    assert_eq!(phones.len(), 1);
    let txt = jsonl(&sumi(&["scan", "--format", "jsonl", "--include", "*.txt", p]));
    assert!(txt.iter().all(|r| r["path"].as_str().unwrap().ends_with("a.txt")));
    let ex = jsonl(&sumi(&["scan", "--format", "jsonl", "--exclude", "*.txt", p]));
    assert_eq!(ex.len(), 1);
    let small = sumi(&["scan", "--format", "jsonl", "--max-file-size", "10", p]);
    assert_eq!(small.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&small.stderr).contains("too large 2"));
}

#[test]
fn japanese_encodings_and_tables() {
    let d = dir();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS
        .encode("氏名,性別,電話番号\r\n山田太郎,男,03-1234-5678\r\n佐藤花子,女,090-1234-5678\r\n");
    write(d.path(), "list.csv", &sjis);
    // EUC-JP has no U+FF0D; its full-width minus (A1DD) is U+2212.
    let (euc, _, had_errors) = encoding_rs::EUC_JP.encode("お客様の携帯電話：０９０−８７６５−４３２１\n");
    assert!(!had_errors);
    write(d.path(), "memo_euc.txt", &euc);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("性別\t年齢\r\n女性\t45\r\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(d.path(), "list.tsv", &utf16);
    let rows = jsonl(&sumi(&["scan", "--format", "jsonl", "--reveal", d.path().to_str().unwrap()]));
    let find = |cat: &str, v: &str| rows.iter().find(|r| r["category"] == cat && r["value"] == v);
    let g = find("gender", "男").expect("gender from a CP932 CSV column");
    assert_eq!(g["location"]["row"], 2);
    assert_eq!(g["location"]["field"], 2);
    assert_eq!(g["location"]["column_header"], "性別");
    assert!(find("phone", "090-1234-5678").is_some());
    // ...and decodes back as U+FF0D (WHATWG index): reported as the decoded text reads.
    assert!(find("phone", "０９０－８７６５－４３２１").is_some(), "EUC-JP, full-width digits reported as written");
    assert!(find("gender", "女性").is_some(), "UTF-16LE TSV");
    assert!(find("age", "45").is_some());
}

#[test]
fn chunk_borders_find_each_match_once() {
    let d = dir();
    let mut text = String::new();
    let mut expected = Vec::new();
    for i in 0..2000 {
        if i % 97 == 0 {
            text.push_str(&format!("電話番号：03-{:04}-5678 担当より\n", 1000 + i));
            expected.push(i + 1);
        } else {
            text.push_str("本日の議事録です。特記事項はありません。\n");
        }
    }
    write(d.path(), "big.txt", text.as_bytes());
    let p = d.path().to_str().unwrap();
    let whole = jsonl(&sumi(&["scan", "--format", "jsonl", p]));
    let chunked = jsonl(&sumi(&["scan", "--format", "jsonl", "--chunk-size", "4096", p]));
    let lines = |rows: &[serde_json::Value]| {
        let mut v: Vec<u64> = rows.iter().map(|r| r["location"]["line"].as_u64().unwrap()).collect();
        v.sort();
        v
    };
    assert_eq!(lines(&whole), expected.iter().map(|&i| i as u64).collect::<Vec<_>>());
    assert_eq!(lines(&chunked), lines(&whole), "each match once, on the right line, across chunk borders");
    assert!(text.len() > 4096 * 10);
}

#[test]
fn unreadable_and_special_files_do_not_stop_the_scan() {
    let d = dir();
    write(d.path(), "ok.txt", "TEL 03-1234-5678".as_bytes());
    write(d.path(), "binary.bin", &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 7, 8]);
    // A PDF that is only a header: an error for that file, never a silent skip.
    write(d.path(), "doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    // Bytes no Japanese encoding decodes cleanly: read with a guess, and said so.
    write(d.path(), "mixed.txt", b"TEL 03-1234-5679 \xff\xfe\x80\x81\xfd\xa0 end\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.path().join("gone.txt"), d.path().join("dangling.txt")).unwrap();
        let fifo = d.path().join("pipe");
        let made = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
        assert!(made || !Path::new("/usr/bin/mkfifo").exists());
    }
    let p = d.path().to_str().unwrap();
    let out = sumi(&["scan", "--format", "jsonl", p]);
    assert_eq!(out.status.code(), Some(1), "findings in ok.txt");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("binary"), "{err}");
    assert!(err.contains("mixed.txt") && err.contains("partly"), "{err}");
    assert!(err.contains("doc.pdf") && err.contains("pdf: "), "{err}");
    let followed = sumi(&["scan", "--format", "jsonl", "--follow", p]);
    let err = String::from_utf8_lossy(&followed.stderr);
    assert!(err.contains("dangling.txt") && err.contains("2 errors"), "{err}");
    assert_eq!(jsonl(&followed).len(), 2);
}

#[test]
fn a_panicking_reader_loses_only_its_file_and_never_prints_content() {
    let d = dir();
    write(d.path(), "a.txt", "TEL 03-1234-5678".as_bytes());
    write(d.path(), "boom.txt", "携帯 090-8765-4321 秘密のメモ".as_bytes());
    write(d.path(), "z.txt", "mail: hanako@example.jp".as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_sumi"))
        .args(["scan", "--format", "jsonl", "-j", "1", d.path().to_str().unwrap()])
        .env("SUMI_FAULT_PANIC_ON", "boom.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 2, "the other files are still scanned");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("boom.txt") && err.contains("panicked") && err.contains("1 errors"), "{err}");
    assert!(!err.contains("090-8765-4321") && !err.contains("秘密"), "panic text must not leak: {err}");
}

#[test]
fn a_hanging_reader_does_not_stall_the_scan() {
    // Debug builds only (the fault injection is compiled out of release builds).
    if !cfg!(debug_assertions) {
        return;
    }
    let d = dir();
    write(d.path(), "a.txt", "電話番号：090-1234-5678".as_bytes());
    write(d.path(), "hang.txt", "電話番号：090-8765-4321".as_bytes());
    write(d.path(), "slow.txt", "電話番号：090-8765-4322".as_bytes());
    write(d.path(), "z.txt", "mail: hanako@example.jp".as_bytes());
    for threads in ["1", "2"] {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_sumi"))
            .args(["scan", "--format", "jsonl", "-j", threads, "--file-timeout", "1", d.path().to_str().unwrap()])
            // hang.txt: stuck without looking at the clock (the watchdog gives up on it);
            // slow.txt: a reader that checks its deadline and stops itself.
            .env("SUMI_FAULT_HANG_ON", "hang.txt")
            .env("SUMI_FAULT_SLOW_ON", "slow.txt")
            .output()
            .unwrap();
        assert!(started.elapsed().as_secs() < 20, "the scan ended");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "findings decide the status: {err}");
        let rows = jsonl(&out);
        assert_eq!(rows.len(), 2, "the other files are reported: {err}");
        assert!(rows.iter().any(|r| r["path"].as_str().unwrap().ends_with("a.txt")));
        assert!(rows.iter().any(|r| r["path"].as_str().unwrap().ends_with("z.txt")));
        for name in ["hang.txt", "slow.txt"] {
            assert!(
                err.lines().any(|l| l.contains(name) && l.contains("time limit of 1 s exceeded; partly inspected")),
                "{name} reported: {err}"
            );
        }
        assert!(err.contains("2 findings") && err.contains("2 errors"), "summary printed: {err}");
    }
    // Without a stuck file the limit changes nothing.
    let out = sumi(&["scan", "--format", "jsonl", "--file-timeout", "1", d.path().join("a.txt").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn categories_leave_out_passes_without_changing_findings() {
    // `--categories` skips the name, address and employer/title passes nothing asked for
    // needs; what is reported must be exactly the full scan's findings of those categories.
    let run = |cats: Option<&str>| -> Vec<String> {
        let mut args = vec!["scan", "-j1", "--format", "jsonl"];
        if let Some(c) = cats {
            args.extend(["--categories", c]);
        }
        args.push("samples");
        let out = sumi(&args);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
    };
    let full = run(None);
    let category = |line: &str| -> String {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        v["category"].as_str().unwrap().to_string()
    };
    for cats in [
        "phone",
        "credit_card,phone,fax,email,postal_code,date_of_birth,my_number,bank_account,account_id,gender,age",
        "address",
        "person_name",
        "employer,job_title",
    ] {
        let want: Vec<&str> = cats.split(',').collect();
        let expected: Vec<String> = full.iter().filter(|l| want.contains(&category(l).as_str())).cloned().collect();
        assert!(!expected.is_empty(), "{cats}: samples/ should hold some");
        assert_eq!(run(Some(cats)), expected, "--categories {cats}");
    }
}
