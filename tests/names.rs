//! Person names and their readings: every form the detector must find, and the look-alikes
//! that must stay silent.

use std::process::Command;

mod common;

use common::catalog;

use sumi::detect::{Catalog, Confidence, Match};

/// (category, value as written, confidence) of every name or reading found in `text`.
fn found(c: &Catalog, text: &str, header: Option<&str>) -> Vec<(&'static str, String, Confidence)> {
    c.detect(text, header)
        .into_iter()
        .filter(|m: &Match| matches!(m.category, "person_name" | "name_reading"))
        .map(|m| (m.category, text[m.start..m.end].to_string(), m.confidence))
        .collect()
}

/// Asserts that `text` holds exactly these names (at medium confidence or above).
#[track_caller]
fn names(c: &Catalog, text: &str, want: &[&str]) {
    assert_eq!(common::values(c, text, "person_name"), want, "{text}");
}

/// Asserts that `text` holds exactly these readings (at medium confidence or above).
#[track_caller]
fn readings(c: &Catalog, text: &str, want: &[&str]) {
    assert_eq!(common::values(c, text, "name_reading"), want, "{text}");
}

#[test]
fn full_names_in_kanji_as_written() {
    let c = catalog();
    names(&c, "山田 太郎", &["山田 太郎"]);
    names(&c, "山田太郎", &["山田太郎"]);
    names(&c, "山田　太郎", &["山田　太郎"]);
    names(&c, "本件は山田 太郎が説明した。", &["山田 太郎"]);
}

#[test]
fn honorifics_and_titles_mark_surnames() {
    let c = catalog();
    for (text, name) in [
        ("田中様にご連絡ください", "田中"),
        ("佐藤さんが来ました", "佐藤"),
        ("鈴木部長の承認を得た", "鈴木"),
        ("高橋先生の講義", "高橋"),
        ("渡辺殿", "渡辺"),
        ("伊藤氏は欠席", "伊藤"),
        ("小林君の報告", "小林"),
        ("本日田中様から連絡があった", "田中"),
        ("山田 太郎 様", "山田 太郎"),
        ("中島 先生", "中島"),
        ("田中 さん", "田中"),
        ("佐藤 くんへ", "佐藤"),
        ("山田と申します", "山田"),
        ("営業部の田中です。", "田中"),
    ] {
        names(&c, text, &[name]);
    }
    let m = c.detect("鈴木部長", None);
    assert!(m[0].reasons.contains(&"title:部長"), "{:?}", m[0].reasons);
    assert_eq!(m[0].confidence, Confidence::High);
}

#[test]
fn labels_give_names() {
    let c = catalog();
    for (text, name) in [
        ("氏名：高橋 一", "高橋 一"),
        ("お名前　佐藤花子", "佐藤花子"),
        ("担当：鈴木", "鈴木"),
        ("担当者：大西", "大西"),
        ("代表者 中村 健二", "中村 健二"),
        ("作成者：渡辺 陽葵", "渡辺 陽葵"),
        ("申込者：山本 愛斗", "山本 愛斗"),
        ("Name: Jennifer Smith", "Jennifer Smith"),
    ] {
        names(&c, text, &[name]);
    }
    let m = c.detect("氏名：高橋 一", None);
    assert!(m[0].reasons.contains(&"label:氏名"), "{:?}", m[0].reasons);
}

#[test]
fn name_columns_label_cells() {
    let c = catalog();
    for (header, value, category) in [
        ("氏名", "山田 太郎", "person_name"),
        ("担当者", "佐藤", "person_name"),
        ("フリガナ", "ヤマダ タロウ", "name_reading"),
        ("ふりがな", "やまだ たろう", "name_reading"),
        ("Customer", "Jennifer Smith", "person_name"),
        ("Full Name", "YAMADA Taro", "person_name"),
        ("Contact", "Emily Carter", "person_name"),
        ("Name", "Taro Yamada", "person_name"),
    ] {
        let got = found(&c, value, Some(header));
        assert!(
            got.iter().any(|(cat, v, conf)| *cat == category && v == value && *conf >= Confidence::Medium),
            "{header}: {value} → {got:?}"
        );
    }
    // A header row that names its columns is a header; a first row holding a name is not.
    assert!(c.has_label(&["氏名", "フリガナ", "電話番号"]));
    assert!(!c.has_label(&["フリガナ", "ササキ ヒナタ"]));
}

#[test]
fn signature_blocks_and_display_names() {
    let c = catalog();
    let sig = "--\n株式会社サンプル 営業部\n山田　太郎（ヤマダ タロウ）\nTEL：03-1234-5678\n";
    names(&c, sig, &["山田　太郎"]);
    readings(&c, sig, &["ヤマダ タロウ"]);
    names(&c, "山田 太郎 <taro.yamada@example.co.jp>", &["山田 太郎"]);
    names(&c, "Jennifer Smith <jennifer.smith@example.com>", &["Jennifer Smith"]);
    names(&c, "佐藤 陽葵　090-1234-5678", &["佐藤 陽葵"]);
}

#[test]
fn modern_given_names_need_structure() {
    let c = catalog();
    // 陽葵, 愛斗, 蒼 are in no dictionary: a known surname plus context says "name".
    names(&c, "佐藤 陽葵さん", &["佐藤 陽葵"]);
    names(&c, "佐藤 ゆあ様", &["佐藤 ゆあ"]);
    names(&c, "氏名：鈴木 愛斗", &["鈴木 愛斗"]);
    names(&c, "高橋 蒼（タカハシ アオイ）", &["高橋 蒼"]);
    names(&c, "出席者：田中部長、井上 結翔、中野さん", &["田中", "井上 結翔", "中野"]);
    // Without any context a known surname + unknown given stays below medium.
    names(&c, "会議では佐藤 陽葵が話した", &[]);
}

#[test]
fn kana_given_names_and_role_labels() {
    let c = catalog();
    names(&c, "お名前：大島 セツ子 様（78歳）", &["大島 セツ子"]);
    names(&c, "ご家族（娘 大島 由美 様）", &["大島 由美"]);
    names(&c, "受付者：OP-208 木下", &["木下"]);
    names(&c, "警察：届出済（担当 巡査部長 石原）", &["石原"]);
    names(&c, "作成：総務課 早川／最終更新：2025-03-18", &["早川"]);
    // A surname alone with no label on its line stays silent.
    names(&c, "木下の交差点を右折", &[]);
}

#[test]
fn a_surname_confirmed_once_counts_again() {
    let c = catalog();
    names(&c, "竹内 大樹（タケウチ ダイキ）\n詳しくは竹内までお問い合わせください。", &["竹内 大樹", "竹内"]);
    // Alone, the same sentence says nothing.
    names(&c, "詳しくは竹内までお問い合わせください。", &[]);
}

#[test]
fn readings_in_parentheses_and_under_labels() {
    let c = catalog();
    readings(&c, "小川 碧（オガワ アオイ）", &["オガワ アオイ"]);
    readings(&c, "山田 太郎(やまだ たろう)", &["やまだ たろう"]);
    readings(&c, "フリガナ：ヤマダ タロウ", &["ヤマダ タロウ"]);
    readings(&c, "ふりがな　やまだ たろう", &["やまだ たろう"]);
    readings(&c, "カナ：サトウハナコ", &["サトウハナコ"]);
    readings(&c, "契約者名：河野 大輔 様（コウノ ダイスケ）", &["コウノ ダイスケ"]);
    readings(&c, "名義（カナ）オカモト タクヤ", &["オカモト タクヤ"]);
    readings(&c, "口座名義：ササキ リョウ", &["ササキ リョウ"]);
    let m = c.detect("フリガナ：ヤマダ タロウ", None);
    assert!(m[0].reasons.contains(&"dict:reading"), "{:?}", m[0].reasons);
}

#[test]
fn romanised_and_english_names() {
    let c = catalog();
    names(&c, "Meeting with Taro Yamada tomorrow.", &["Taro Yamada"]);
    names(&c, "YAMADA Taro", &["YAMADA Taro"]);
    names(&c, "Jennifer Smith joined the call.", &["Jennifer Smith"]);
    names(&c, "Mr. John A. Doe", &["John A. Doe"]);
    names(&c, "Please ask Dr. Thompson.", &["Thompson"]);
    names(&c, "Dear Michael Brown,", &["Michael Brown"]);
    names(&c, "reviewed by Dr. Sarah O'Connor.", &["Sarah O'Connor"]);
}

#[test]
fn names_in_file_and_folder_names() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("山田太郎_履歴書.txt"), "履歴書\n").unwrap();
    std::fs::write(d.path().join("井上結翔_職務経歴書.txt"), "職務経歴書\n").unwrap();
    std::fs::write(d.path().join("見積書_中野区役所.txt"), "見積書\n").unwrap();
    std::fs::create_dir(d.path().join("佐藤陽葵")).unwrap();
    std::fs::write(d.path().join("佐藤陽葵").join("面談メモ.txt"), "面談\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sumi"))
        .args(["scan", "--format", "jsonl", "--reveal"])
        .arg(d.path())
        .output()
        .unwrap();
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|f| f["category"] == "person_name")
        .map(|f| {
            assert_eq!(f["location"], serde_json::json!({"file_name": true}), "{f}");
            f["value"].as_str().unwrap().to_string()
        })
        .collect();
    got.sort();
    assert_eq!(got, ["井上結翔", "佐藤陽葵", "山田太郎"]);
}

#[test]
fn look_alikes_stay_silent() {
    let c = catalog();
    for text in [
        "中野区の会議室",
        "豊田市",
        "日野市",
        "大和",
        "中野区長",
        "株式会社藤田情報",
        "本田技研工業",
        "山崎鉱業合同会社",
        "マイクロソフト",
        "サポート",
        "カナダ大使館",
        "カナ：サポート",
        "1600 Farley Freeway",
        "Grant Street Station",
        "Microsoft Edge",
        "Customer Support",
        "日本",
        "中央",
        "皆様",
        "奥様",
        "神様",
        "本部長会議",
        "営業部長",
        "お客様各位",
        "氏名欄に記入してください",
        "担当：営業部",
        "Name: Widget Pro",
    ] {
        let got = found(&c, text, None);
        assert!(got.is_empty(), "{text} → {got:?}");
    }
}

#[test]
fn trap_documents_give_no_names() {
    let s = common::scanner();
    let mut noisy = Vec::new();
    for entry in std::fs::read_dir("samples/traps").unwrap() {
        let path = entry.unwrap().path();
        for f in s.scan_collect(&path).unwrap() {
            if matches!(f.category, "person_name" | "name_reading") {
                noisy.push(format!("{}: {} {} ({})", path.display(), f.category, f.masked, f.confidence));
            }
        }
    }
    assert!(noisy.is_empty(), "{}", noisy.join("\n"));
}

#[test]
fn names_are_not_revealed_without_reveal() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("memo.txt");
    std::fs::write(&p, "担当：山田 太郎（ヤマダ タロウ）様\nJennifer Smith\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sumi")).args(["scan", "--format", "jsonl"]).arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("person_name"), "{text}");
    for raw in ["山田", "太郎", "ヤマダ", "Jennifer", "Smith"] {
        assert!(!text.contains(raw), "{raw} leaked: {text}");
    }
}
