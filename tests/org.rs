//! Employers, departments, titles and occupations tied to a person: signature blocks framed
//! by rules or quoted in a reply, companies written beside a name, personnel-change lists,
//! English signature lines, label words and résumé history lines. And the look-alikes that
//! must stay silent.

mod common;

use common::{catalog, found, values};

#[test]
fn signature_framed_by_rules_with_a_reading() {
    let c = catalog();
    // With and without a phone line: the name line with its reading anchors the block.
    for tail in ["TEL 06-6341-2200 / FAX 06-6341-2201\n", ""] {
        let text = format!(
            "以上、よろしくお願いいたします。\n\n==============================\n北辰マテリアル株式会社\n西日本営業部 第一課\n主任　大西 健吾（おおにし けんご）\n{tail}==============================\n"
        );
        assert_eq!(values(&c, &text, "employer"), ["北辰マテリアル株式会社", "西日本営業部 第一課"], "{text}");
        assert_eq!(values(&c, &text, "job_title"), ["主任"], "{text}");
    }
}

#[test]
fn quoted_signature_and_title_before_a_name() {
    let c = catalog();
    let text = "> 承知しました。\n>\n> ------------------------\n> 株式会社グリーンフォート\n> 代表取締役　若林 俊彦\n> ------------------------\n";
    assert_eq!(values(&c, text, "employer"), ["株式会社グリーンフォート"]);
    assert_eq!(values(&c, text, "job_title"), ["代表取締役"]);
    let text = ">> 株式会社ミナト商事\n>> 海外事業部 第二課\n>> 主任 鈴木 一郎\n>> TEL：03-5555-0101\n";
    assert_eq!(values(&c, text, "employer"), ["株式会社ミナト商事", "海外事業部 第二課"]);
    assert_eq!(values(&c, text, "job_title"), ["主任"]);
    assert_eq!(values(&c, "担当：主任 山田 花子", "job_title"), ["主任"]);
}

#[test]
fn personnel_change_lists() {
    let c = catalog();
    let text = "人事異動（4月1日付）\n\n高橋 誠一　新：営業本部 本部長　（旧：第二営業部 部長）\n森 由紀子　新：経理部 課長（旧：経理部 課長代理）\n村上 大輔　異動先：名古屋支店 営業課\n";
    assert_eq!(values(&c, text, "employer"), ["営業本部", "第二営業部", "経理部", "経理部", "名古屋支店 営業課"]);
    assert_eq!(values(&c, text, "job_title"), ["本部長", "部長", "課長", "課長代理"]);
    // Labels in brackets of their own.
    let text =
        "佐々木 健一　【新】営業本部 本部長　【旧】第一営業部 部長\n森 由紀子 (新)経理部 課長 (旧)経理部 課長代理";
    assert_eq!(values(&c, text, "employer"), ["営業本部", "第一営業部", "経理部", "経理部"]);
    assert_eq!(values(&c, text, "job_title"), ["本部長", "部長", "課長", "課長代理"]);
    assert_eq!(values(&c, "(株)サンプル 営業部 課長 山田 太郎\nTEL 03-1234-5678", "employer"), ["(株)サンプル 営業部"]);
    // A department with its title written on.
    let text = "高橋 誠一　新：営業本部本部長";
    assert_eq!(values(&c, text, "employer"), ["営業本部"]);
    assert_eq!(values(&c, text, "job_title"), ["本部長"]);
}

#[test]
fn company_beside_a_person() {
    let c = catalog();
    let text = "14:30　服部 凪（ハットリ ナギ）様　株式会社ブルーリーフ　→ 応接室";
    assert_eq!(values(&c, text, "employer"), ["株式会社ブルーリーフ"]);
    assert_eq!(
        values(&c, "先ほど服部さん（ABCホールディングス）からお電話がありました。", "employer"),
        ["ABCホールディングス"]
    );
    assert_eq!(
        values(&c, "差出人は「株式会社ひかり設計 総務課 松井 千尋」でした。", "employer"),
        ["株式会社ひかり設計 総務課"]
    );
    assert_eq!(
        values(&c, "お世話になっております。株式会社ミドリ建設の石川でございます。", "employer"),
        ["株式会社ミドリ建設"]
    );
    assert_eq!(values(&c, "本日は株式会社サンプル 営業部の佐藤が伺います。佐藤です。", "employer").len(), 0);
    assert_eq!(values(&c, "株式会社サンプル 営業部の佐藤と申します。", "employer"), ["株式会社サンプル 営業部"]);
    assert_eq!(values(&c, "お電話ありがとうございます。営業部長の山田です。", "job_title"), ["営業部長"]);
    // A title after the name, past its reading.
    assert_eq!(values(&c, "出席：岡本 陽介（おかもと ようすけ） 購買部 課長", "job_title"), ["課長"]);
}

#[test]
fn label_words() {
    let c = catalog();
    let text = "（甲）\n商号　株式会社アオバ技研\n所在地　東京都新宿区西新宿1-2-3\n代表取締役　森本 拓也\n";
    assert_eq!(values(&c, text, "employer"), ["株式会社アオバ技研"]);
    let text = "社名：株式会社サクラ企画\n所属先：横浜市立みなと病院\n勤務先名：ひまわり商事株式会社\n会社：株式会社ミナミ物産";
    assert_eq!(
        values(&c, text, "employer"),
        ["株式会社サクラ企画", "横浜市立みなと病院", "ひまわり商事株式会社", "株式会社ミナミ物産"]
    );
    assert_eq!(values(&c, "School: Lincoln High School", "employer"), ["Lincoln High School"]);
    assert_eq!(
        values(&c, "Organization: Riverside Community Foundation", "employer"),
        ["Riverside Community Foundation"]
    );
    // A title written after the labelled employer is the person's title.
    let text = "所属：品質管理部 課長\n勤務先：株式会社サンプル 営業部 主任";
    assert_eq!(values(&c, text, "employer"), ["品質管理部", "株式会社サンプル 営業部"]);
    assert_eq!(values(&c, text, "job_title"), ["課長", "主任"]);
    // A company profile names no person: its trade name is not an employer.
    assert!(values(&c, "会社概要\n\n商号：株式会社ミナト商事\n設立：1985年\n資本金：5,000万円", "employer").is_empty());
}

#[test]
fn english_signature_lines() {
    let c = catalog();
    let text = "Thanks,\n\nLinda Foster\nLeasing Director, Harborview Property Management\n";
    assert_eq!(values(&c, text, "job_title"), ["Leasing Director"]);
    assert_eq!(values(&c, text, "employer"), ["Harborview Property Management"]);
    let text = "Best regards,\nMark Chen\nSenior Analyst at Bluewater Capital\nmark.chen@bluewater.example\n";
    assert_eq!(values(&c, text, "job_title"), ["Senior Analyst"]);
    assert_eq!(values(&c, text, "employer"), ["Bluewater Capital"]);
    let text = "Kevin Ortiz\nOperations Manager | Northwind Logistics\n";
    assert_eq!(values(&c, text, "job_title"), ["Operations Manager"]);
    assert_eq!(values(&c, text, "employer"), ["Northwind Logistics"]);
    // The company on the line under the title.
    let text = "Cheers,\n\nNina Alvarez\nRegional Director\nCedar Valley Outfitters\n";
    assert_eq!(values(&c, text, "job_title"), ["Regional Director"]);
    assert_eq!(values(&c, text, "employer"), ["Cedar Valley Outfitters"]);
    let text = "Regards,\n\nNina Alvarez\nRegional Director\nNew York, NY 10001\n";
    assert!(values(&c, text, "employer").is_empty());
    // A Job Title column needs no listed title; a bare Title column does.
    assert_eq!(found(&c, "Teacher", Some("Job Title")), [("job_title", "Teacher".to_string())]);
    assert_eq!(found(&c, "Office Manager", Some("Job Title")), [("job_title", "Office Manager".to_string())]);
    assert!(found(&c, "Annual Report", Some("Title")).is_empty());
    assert_eq!(values(&c, "Job Title: Teacher", "job_title"), ["Teacher"]);
}

#[test]
fn employer_named_as_someones_in_prose() {
    let c = catalog();
    let text = "We spoke with your employer, Lakeview Memorial Hospital, about the dates.";
    assert_eq!(values(&c, text, "employer"), ["Lakeview Memorial Hospital"]);
    assert_eq!(
        values(&c, "Her employer, Cedar Valley Outfitters, sent the letter.", "employer"),
        ["Cedar Valley Outfitters"]
    );
    for text in ["The employer, Acme Hospital, is hiring.", "Your employer may contact us.", "Ask your employers."] {
        assert!(values(&c, text, "employer").is_empty(), "{text}");
    }
}

#[test]
fn titles_after_a_surname_stay() {
    let c = catalog();
    assert_eq!(values(&c, "面会：中川課長", "job_title"), ["課長"]);
    assert_eq!(values(&c, "レビューは中川課長にお願いします。", "job_title"), ["課長"]);
    assert_eq!(values(&c, "佐藤本部長に確認します。", "job_title"), ["本部長"]);
    assert_eq!(values(&c, "鈴木支店長からの連絡", "job_title"), ["支店長"]);
    // The head of a branch named after its place is no person's title; 本部長 is not 本 + 部長.
    for text in ["関西支社長に就任しました。", "大阪支店長が出席します。", "新しい本部長は後日発表します。"]
    {
        let f: Vec<_> =
            found(&c, text, None).into_iter().filter(|(k, _)| matches!(*k, "job_title" | "person_name")).collect();
        assert!(f.is_empty(), "{text}: {f:?}");
    }
}

#[test]
fn career_history_postings_and_work() {
    let c = catalog();
    let text = "2019年4月　株式会社ネクストデータ 入社\nデータ基盤部に配属　プログラマーとして勤務\n2022年10月　品質保証部に異動　テストエンジニアとして従事\n";
    assert_eq!(values(&c, text, "employer"), ["株式会社ネクストデータ", "データ基盤部", "品質保証部"]);
    assert_eq!(values(&c, text, "occupation"), ["プログラマー", "テストエンジニア"]);
    let text = "職歴\n2016年4月　株式会社サンプル 入社（営業職として勤務）";
    assert_eq!(values(&c, text, "occupation"), ["営業職"]);
}

#[test]
fn no_person_no_finding() {
    let c = catalog();
    for text in [
        "株式会社サンプルは本日、新製品を発表しました。",
        "株式会社サンプルの製品です。",
        "営業部の方針です。",
        "部長会議は毎週月曜日です。",
        "Thank you for your order. Our account manager will contact you.",
        "Leasing Director, Harborview Property Management",
        "──────\n株式会社サンプル\n営業部\n──────",
        "システム開発部に配属される予定です。プログラマーとして勤務する人を募集しています。",
        "カード名義［TARO YAMADA］\n金融機関　横浜銀行　新横浜支店",
    ] {
        let f: Vec<_> = found(&c, text, None)
            .into_iter()
            .filter(|(k, _)| matches!(*k, "employer" | "job_title" | "occupation"))
            .collect();
        assert!(f.is_empty(), "{text}: {f:?}");
    }
}

#[test]
fn mixed_fragments_never_break_spans() {
    // Pieces of signatures, change lists and history lines glued at random (a fixed LCG):
    // every finding lies on character boundaries, and nothing panics.
    let pieces = [
        "株式会社サンプル",
        "(株)",
        "営業部",
        "本部長",
        "課長",
        "主任",
        "山田 太郎",
        "佐藤",
        "（やまだ たろう）",
        "(ヤマダ)",
        "様",
        "さん",
        "の",
        "です",
        "でございます",
        "新:",
        "旧：",
        "【新】",
        "(旧)",
        "異動先：",
        "として勤務",
        "に配属",
        "入社",
        "職歴\n",
        "> ",
        ">> ",
        "-----\n",
        "\n",
        " ",
        "　",
        "「",
        "」",
        "→",
        "、",
        "。",
        "TEL 03-1234-5678",
        "Linda Foster",
        "Director",
        " at ",
        ", ",
        " | ",
        "Harborview Property Management",
        "your employer, ",
        "Hospital",
        "商号",
        "代表取締役",
        "ABCホールディングス",
    ];
    let c = catalog();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..14 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(x >> 33) as usize % pieces.len()]);
        }
        for header in [None, Some("Job Title"), Some("所属")] {
            for m in c.detect(&text, header) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start < m.end, "{text:?}");
            }
        }
    }
}
