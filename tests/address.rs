//! Addresses, employers, job titles and occupations: each written form the detectors read,
//! and the look-alikes that must stay silent.

mod common;

use common::{catalog, found, values};
use sumi::detect::Confidence;

#[test]
fn japanese_address_with_building_and_postal_code_apart() {
    let c = catalog();
    let text = "現住所：〒108-0075 東京都港区港南2-16-3 グランドセントラルタワー 12F";
    assert_eq!(values(&c, text, "address"), ["東京都港区港南2-16-3 グランドセントラルタワー 12F"]);
    assert_eq!(values(&c, text, "postal_code"), ["108-0075"]);
    let m = c.detect(text, None).into_iter().find(|m| m.category == "address").unwrap();
    assert_eq!(m.confidence, Confidence::High);
    assert!(m.reasons.contains(&"label:現住所"), "{:?}", m.reasons);
}

#[test]
fn a_unit_after_digits_is_not_a_label_for_the_next_column() {
    // `番地` ends the address value; the tab-separated phone number after it is a phone, not
    // a 番地 column's value (found when `--categories phone` and a full scan disagreed).
    let c = catalog();
    let text = "西村奈々\tニシムラナナ\t875-5988\t兵庫県神戸市中央区泉696番地\t08043526409\tnana.nishimura@example.com";
    assert_eq!(values(&c, text, "phone"), ["08043526409"]);
    assert_eq!(values(&c, text, "address"), ["兵庫県神戸市中央区泉696番地"]);
    // A real 番地 label still labels its value.
    assert_eq!(values(&c, "番地：港南2-16-3", "address"), ["港南2-16-3"]);
}

#[test]
fn kanji_numerals_full_width_digits_and_rooms() {
    let c = catalog();
    assert_eq!(values(&c, "〒108-0075 東京都港区港南二丁目16番3号", "address"), ["東京都港区港南二丁目16番3号"]);
    assert_eq!(values(&c, "東京都港区港南２－１６－３", "address"), ["東京都港区港南２－１６－３"]);
    // A phone number after the address is not its room.
    assert_eq!(values(&c, "静岡県静岡市葵区新町5-27-16　090-1234-5678", "address"), ["静岡県静岡市葵区新町5-27-16"]);
    assert_eq!(values(&c, "東京都港区港南2-16-3 201", "address"), ["東京都港区港南2-16-3 201"]);
    assert_eq!(
        values(&c, "神奈川県横浜市青葉区桜台三丁目5番地 メゾン桜台201号室", "address"),
        ["神奈川県横浜市青葉区桜台三丁目5番地 メゾン桜台201号室"]
    );
    assert_eq!(values(&c, "三井郡大刀洗町大字冨多819番地", "address"), ["三井郡大刀洗町大字冨多819番地"]);
    assert_eq!(values(&c, "北海道札幌市中央区北一条西3-3", "address"), ["北海道札幌市中央区北一条西3-3"]);
    // A designated city without its prefecture, a building word ending the building.
    assert_eq!(
        values(&c, "大阪市北区梅田1-1-3 大阪駅前第3ビル 5階にお越しください", "address"),
        ["大阪市北区梅田1-1-3 大阪駅前第3ビル 5階"]
    );
}

#[test]
fn address_across_lines() {
    let c = catalog();
    let text = "住所：神奈川県横浜市青葉区桜台三丁目5番地\n　　　メゾン桜台201号室\nTEL：045-123-4567";
    assert_eq!(values(&c, text, "address"), ["神奈川県横浜市青葉区桜台三丁目5番地\n　　　メゾン桜台201号室"]);
    // The label on one line, the postal code and the address on the next.
    let text = "ご住所\n〒980-0811 宮城県仙台市青葉区一番町四丁目7番17号";
    assert_eq!(values(&c, text, "address"), ["宮城県仙台市青葉区一番町四丁目7番17号"]);
}

#[test]
fn split_address_columns_report_street_and_building() {
    let c = catalog();
    assert_eq!(found(&c, "港南2-16-3", Some("番地")), [("address", "港南2-16-3".to_string())]);
    assert_eq!(
        found(&c, "グランドセントラルタワー12F", Some("建物名")),
        [("address", "グランドセントラルタワー12F".to_string())]
    );
    assert_eq!(
        found(&c, "1600 Amphitheatre Pkwy", Some("Street")),
        [("address", "1600 Amphitheatre Pkwy".to_string())]
    );
    // A prefecture, a city or a state alone is not an address.
    assert!(found(&c, "東京都", Some("都道府県")).is_empty());
    assert!(found(&c, "横浜市青葉区", Some("市区町村")).is_empty());
    assert!(found(&c, "Mountain View", Some("City")).is_empty());
    assert!(found(&c, "CA", Some("State")).is_empty());
    // A whole address in an address column, without its postal code.
    assert_eq!(
        found(&c, "〒336-0018 埼玉県さいたま市南区南本町1-7-2", Some("住所"))
            .into_iter()
            .filter(|(k, _)| *k == "address")
            .collect::<Vec<_>>(),
        [("address", "埼玉県さいたま市南区南本町1-7-2".to_string())]
    );
    // A label word ending a line (…367番地,) does not label the next line.
    assert_eq!(
        values(&c, "東京都八王子市山手町367番地,\nAmount: $47,543.93", "address"),
        ["東京都八王子市山手町367番地"]
    );
    // A heading that merely holds a label word says nothing about the cell.
    assert!(found(&c, "3,902,116", Some("建物及び構築物")).is_empty());
}

#[test]
fn split_address_columns_through_the_scanner() {
    let dir = std::env::temp_dir().join(format!("sumi-address-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("roster.csv");
    std::fs::write(
        &path,
        "氏名,都道府県,市区町村,番地,建物名\n山田 太郎,東京都,港区,港南2-16-3,グランドセントラルタワー12F\n",
    )
    .unwrap();
    let findings = common::scanner().scan_collect(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let mut addr: Vec<&str> = findings
        .iter()
        .filter(|f| f.category == "address" && f.confidence >= Confidence::Medium)
        .map(|f| f.value.as_str())
        .collect();
    addr.sort();
    assert_eq!(addr, ["グランドセントラルタワー12F", "港南2-16-3"]);
}

#[test]
fn us_addresses() {
    let c = catalog();
    let text = "1600 Amphitheatre Pkwy, Mountain View, CA 94043";
    assert_eq!(values(&c, text, "address"), ["1600 Amphitheatre Pkwy, Mountain View, CA"]);
    assert_eq!(values(&c, text, "postal_code"), ["94043"]);
    assert_eq!(
        values(&c, "221 North Main Street, Apt 4B\nSpringfield, IL 62701", "address"),
        ["221 North Main Street, Apt 4B\nSpringfield, IL"]
    );
    assert_eq!(
        values(&c, "Mailing Address: 410 Terry Ave N, Seattle, WA 98109", "address"),
        ["410 Terry Ave N, Seattle, WA"]
    );
    assert_eq!(values(&c, "Address: 742 Evergreen Terrace", "address"), ["742 Evergreen Terrace"]);
    // A Japanese address in romaji, in the English order.
    let text = "2-16-3 Konan, Minato-ku, Tokyo 108-0075, Japan";
    assert_eq!(values(&c, text, "address"), ["2-16-3 Konan, Minato-ku, Tokyo"]);
    assert_eq!(values(&c, text, "postal_code"), ["108-0075"]);
    // A street with no city or label is only low.
    assert!(values(&c, "meet me at 500 Example Avenue tomorrow", "address").is_empty());
}

#[test]
fn labels_for_employer_title_and_occupation() {
    let c = catalog();
    let text = "勤務先：株式会社サンプル 営業部\n役職：課長\n職業：会社員\n所属部署：経理部 第二課\n仕事内容：法人営業";
    assert_eq!(values(&c, text, "employer"), ["株式会社サンプル 営業部", "経理部 第二課"]);
    assert_eq!(values(&c, text, "job_title"), ["課長"]);
    assert_eq!(values(&c, text, "occupation"), ["会社員", "法人営業"]);
    let text = "Employer: Heartland Example Clinic, Registered Nurse\nJob Title: Senior Software Engineer\nOccupation: Teacher";
    assert_eq!(values(&c, text, "employer"), ["Heartland Example Clinic"]);
    assert_eq!(values(&c, text, "job_title"), ["Senior Software Engineer"]);
    assert_eq!(values(&c, text, "occupation"), ["Teacher"]);
    // Columns.
    assert_eq!(found(&c, "看護師", Some("職業")), [("occupation", "看護師".to_string())]);
    assert_eq!(found(&c, "Branch Manager", Some("Title")), [("job_title", "Branch Manager".to_string())]);
    assert!(found(&c, "Quarterly Report", Some("Title")).is_empty());
    assert_eq!(found(&c, "Contoso Bank", Some("Company")), [("employer", "Contoso Bank".to_string())]);
}

#[test]
fn signature_blocks() {
    let c = catalog();
    let text = "よろしくお願いいたします。\n\n--\n株式会社サンプル 営業部 課長 山田 太郎\n〒108-0075 東京都港区港南2-16-3\nTEL 03-1234-5678 / taro@example.co.jp\n";
    assert_eq!(values(&c, text, "employer"), ["株式会社サンプル 営業部"]);
    assert_eq!(values(&c, text, "job_title"), ["課長"]);
    assert_eq!(values(&c, text, "address"), ["東京都港区港南2-16-3"]);
    let text = "────\n株式会社ミナト商事\n海外事業部 第二課\n主任　鈴木 一郎\nTEL：03-5555-0101\n";
    assert_eq!(values(&c, text, "employer"), ["株式会社ミナト商事", "海外事業部 第二課"]);
    assert_eq!(values(&c, text, "job_title"), ["主任"]);
    let text = "Best regards,\n\nJennifer Smith\nSenior Product Manager\nExample Corp.\nPhone: (650) 555-0100\n";
    assert_eq!(values(&c, text, "job_title"), ["Senior Product Manager"]);
    assert_eq!(values(&c, text, "employer"), ["Example Corp."]);
    // A bank line is a bank account's, not an employer.
    assert!(
        values(&c, "利用料引落口座　八十二銀行 上田支店 普通預金 0512847\n携帯 090-2207-5813", "employer").is_empty()
    );
    // A document title is not a company.
    assert!(values(&c, "令和7年度 保育園入園申込書\nTEL 03-1234-5678", "employer").is_empty());
    // An addressee with 御中 is a company, not a person's employer.
    let text = "株式会社なにわ精機 御中\nTEL 06-1234-5678";
    assert!(values(&c, text, "employer").is_empty());
}

#[test]
fn career_history_lines() {
    let c = catalog();
    let text =
        "職歴\n2008年4月　株式会社サンプル 入社\n2015年4月　同社 営業部 課長 昇進\n2004年4月　東都大学 経済学部 入学";
    assert_eq!(values(&c, text, "employer"), ["株式会社サンプル", "営業部", "東都大学 経済学部"]);
    assert_eq!(values(&c, text, "job_title"), ["課長"]);
}

#[test]
fn title_after_a_surname() {
    let c = catalog();
    assert_eq!(values(&c, "佐藤部長にご確認ください。", "job_title"), ["部長"]);
    assert_eq!(values(&c, "出席：佐藤部長、田中課長、鈴木主任", "job_title"), ["部長", "課長", "主任"]);
    for text in [
        "部長会議は毎週月曜日です。",
        "各部長に回覧してください。",
        "このたび営業部長に就任しました。",
        "資格情報マネージャーへ移行",
    ] {
        assert!(values(&c, text, "job_title").is_empty(), "{text}");
    }
}

#[test]
fn look_alikes_stay_silent() {
    let c = catalog();
    for text in [
        "東京都",
        "中野区の会議室で打ち合わせ",
        "大阪府警によると",
        "東京都内では3件の火災が発生した。",
        "千葉県知事選挙は来月。",
        "横浜市1-3月の観光客数",
        "大阪市北区10-12日のイベント",
        "株式会社サンプルは本日、新製品を発表しました。",
        "募集職種：営業",
        "募集企業名：株式会社サンプル",
        "Traffic report: the Farley Freeway is closed.",
        "Suite 100 is reserved.",
        "Release notes: version 1.2.3 Way of working.",
        "Title: Quarterly Report",
        "都道府県：東京都",
    ] {
        let f: Vec<_> = found(&c, text, None)
            .into_iter()
            .filter(|(k, _)| matches!(*k, "address" | "employer" | "job_title" | "occupation"))
            .collect();
        assert!(f.is_empty(), "{text}: {f:?}");
    }
}

#[test]
fn reasons_say_why() {
    let c = catalog();
    let m = c.detect("株式会社サンプル 営業部 課長 山田 太郎\nTEL 03-1234-5678", None);
    let title = m.iter().find(|m| m.category == "job_title").unwrap();
    assert!(title.reasons.contains(&"context:signature_block"), "{:?}", title.reasons);
    let m = c.detect("東京都港区港南2-16-3", None);
    let a = m.iter().find(|m| m.category == "address").unwrap();
    assert!(
        a.reasons.contains(&"gazetteer:prefecture") && a.reasons.contains(&"format:block_number"),
        "{:?}",
        a.reasons
    );
}

#[test]
fn mixed_fragments_never_break_spans() {
    // Pieces of addresses, signatures and labels glued at random (a fixed LCG): every finding
    // must lie on character boundaries of the text, and nothing may panic.
    let pieces = [
        "東京都",
        "港区",
        "港南",
        "２－１６－３",
        "2-16-3",
        "二丁目",
        "16番",
        "3号",
        " ",
        "\n",
        "　",
        "グランドタワー",
        "12F",
        "201号室",
        "〒108-0075",
        "住所：",
        "番地",
        "建物名：",
        "株式会社サンプル",
        "営業部",
        "課長",
        "佐藤",
        "部長",
        "TEL 03-1234-5678",
        "1600",
        "Amphitheatre",
        "Pkwy",
        ", ",
        "Mountain View",
        "CA",
        "94043",
        "Suite 100",
        "Tokyo",
        "Minato-ku",
        "Konan",
        "勤務先：",
        "職業：",
        "Title: ",
        "Manager",
        "様",
        "、",
        "。",
        ":",
        "(",
        "）",
        "1-3月",
        "Sincerely,",
        "職歴",
        "入社",
    ];
    let c = catalog();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..12 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(x >> 33) as usize % pieces.len()]);
        }
        for header in [None, Some("住所"), Some("番地"), Some("Company"), Some("Title")] {
            for m in c.detect(&text, header) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start < m.end, "{text:?}");
            }
        }
    }
}
