//! Validators: what rule data cannot say (check digits, numbering plans, calendars).
//!
//! Each takes the candidate as normalised text and returns a [`Verdict`]. Rules name their
//! validator in `patterns/*.toml`; [`lookup`] resolves the name at load time.

/// The outcome of a validator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Not a value of this kind: drop the candidate.
    Fail,
    /// Checked: add `bonus` to the score and `reason` to the reasons.
    Pass {
        /// Added to the score.
        bonus: f32,
        /// Added to the reasons.
        reason: &'static str,
    },
}

/// A validator function.
pub type Validator = fn(&str) -> Verdict;

/// Every validator, by the name rules use.
pub const VALIDATORS: &[(&str, Validator)] = &[
    ("luhn_card", luhn_card),
    ("my_number", my_number),
    ("corporate_number", corporate_number),
    ("jp_phone", jp_phone),
    ("intl_phone", intl_phone),
    ("nanp_phone", nanp_phone),
    ("ipv4", ipv4),
    ("ipv6", ipv6),
    ("email", email),
    ("jp_postal", jp_postal),
    ("birth_date", birth_date),
    ("age", age),
    ("iban", iban),
    ("us_ssn", us_ssn),
    ("insurer_number", insurer_number),
    ("drivers_license", drivers_license),
    ("yucho", yucho),
    ("secret", secret),
    ("strong_secret", strong_secret),
    ("account_id", account_id),
];

/// Finds a validator by name.
pub fn lookup(name: &str) -> Option<Validator> {
    VALIDATORS.iter().chain(super::names::VALIDATORS).find(|(n, _)| *n == name).map(|(_, f)| *f)
}

const PASS: f32 = 0.15;

fn pass(reason: &'static str) -> Verdict {
    Verdict::Pass { bonus: PASS, reason }
}

fn neutral(reason: &'static str) -> Verdict {
    Verdict::Pass { bonus: 0.0, reason }
}

fn digits(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect()
}

fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

/// Luhn over all digits (the last one is the check digit).
pub fn luhn_ok(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = x as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

fn prefix_num(d: &[u8], n: usize) -> u32 {
    d.iter().take(n).fold(0u32, |a, &x| a * 10 + x as u32)
}

/// The card brand for a PAN's prefix and length, if any.
pub fn card_brand(d: &[u8]) -> Option<&'static str> {
    let len = d.len();
    let p1 = prefix_num(d, 1);
    let p2 = prefix_num(d, 2);
    let p3 = prefix_num(d, 3);
    let p4 = prefix_num(d, 4);
    if (3528..=3589).contains(&p4) && (16..=19).contains(&len) {
        return Some("jcb");
    }
    if p1 == 4 && matches!(len, 16 | 18 | 19) {
        return Some("visa");
    }
    if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        return Some("mastercard");
    }
    if (p2 == 34 || p2 == 37) && len == 15 {
        return Some("amex");
    }
    if ((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39) && matches!(len, 14 | 16 | 19) {
        return Some("diners");
    }
    if (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && matches!(len, 16 | 19) {
        return Some("discover");
    }
    if p2 == 62 && (16..=19).contains(&len) {
        return Some("unionpay");
    }
    None
}

/// A payment card number: known brand prefix and length, consistent separators, Luhn.
pub fn luhn_card(s: &str) -> Verdict {
    let seps: Vec<char> = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.windows(2).any(|w| w[0] != w[1]) {
        return Verdict::Fail;
    }
    let d = digits(s);
    if all_same(&d) || card_brand(&d).is_none() || !luhn_ok(&d) {
        return Verdict::Fail;
    }
    const TEST: &[&str] = &[
        "4111111111111111",
        "5555555555554444",
        "378282246310005",
        "30569309025904",
        "6011111111111117",
        "3530111333300000",
        "3566002020360505",
    ];
    let flat: String = d.iter().map(|x| (x + b'0') as char).collect();
    if TEST.contains(&flat.as_str()) {
        return Verdict::Pass { bonus: PASS, reason: "checksum:luhn,flag:test_number" };
    }
    pass("checksum:luhn")
}

/// My Number: 12 digits, mod-11 check digit (総務省令第85号 第5条).
pub fn my_number(s: &str) -> Verdict {
    let d = digits(s);
    if d.len() != 12 || all_same(&d) {
        return Verdict::Fail;
    }
    const W: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = d[..11].iter().zip(W).map(|(&x, w)| x as u32 * w).sum();
    let r = sum % 11;
    let cd = if r <= 1 { 0 } else { 11 - r };
    if cd != d[11] as u32 {
        return Verdict::Fail;
    }
    pass("checksum:my_number")
}

/// Corporate number (法人番号): 13 digits, leading mod-9 check digit.
pub fn corporate_number(s: &str) -> Verdict {
    let d = digits(s);
    if d.len() != 13 || d[0] == 0 {
        return Verdict::Fail;
    }
    let sum: u32 = d[1..].iter().rev().enumerate().map(|(i, &x)| x as u32 * if i % 2 == 0 { 1 } else { 2 }).sum();
    if 9 - sum % 9 != d[0] as u32 {
        return Verdict::Fail;
    }
    pass("checksum:corporate_number")
}

/// Japanese domestic numbers: total length by prefix (総務省 numbering plan).
fn jp_national(d: &[u8], groups: &[usize]) -> Verdict {
    if d.first() != Some(&0) || d.len() < 10 {
        return Verdict::Fail;
    }
    let p2 = prefix_num(d, 2);
    let p3 = prefix_num(d, 3);
    let p4 = prefix_num(d, 4);
    let (ok, reason) = match p3 {
        _ if p4 == 800 => (d.len() == 11, "format:jp_toll_free"),
        60 | 70 | 80 | 90 => (d.len() == 11 && d[3] != 0, "format:jp_mobile"),
        50 => (d.len() == 11 && d[3] != 0, "format:jp_ip_phone"),
        20 => (d.len() == 11, "format:jp_m2m"),
        _ if p4 == 120 || p4 == 570 || p4 == 180 || p4 == 990 => (d.len() == 10, "format:jp_special"),
        _ if p2 == 0 => (false, ""),
        _ => (d.len() == 10, "format:jp_fixed"),
    };
    if !ok {
        return Verdict::Fail;
    }
    // Hyphenated fixed lines keep area code + local exchange at 6 digits, subscriber at 4.
    if reason == "format:jp_fixed" && groups.len() == 3 && (groups[0] + groups[1] != 6 || groups[2] != 4) {
        return Verdict::Fail;
    }
    if all_same(&d[1..]) {
        return Verdict::Fail;
    }
    pass(reason)
}

fn digit_groups(s: &str) -> Vec<usize> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).map(str::len).collect()
}

/// A Japanese phone number in domestic form.
pub fn jp_phone(s: &str) -> Verdict {
    jp_national(&digits(s), &digit_groups(s))
}

/// North American numbers: NPA and NXX start with 2–9.
fn nanp_digits(d: &[u8]) -> Verdict {
    let d = if d.len() == 11 && d[0] == 1 { &d[1..] } else { d };
    if d.len() != 10 || d[0] < 2 || all_same(d) {
        return Verdict::Fail;
    }
    pass("format:nanp")
}

/// A North American number in national form.
pub fn nanp_phone(s: &str) -> Verdict {
    nanp_digits(&digits(s))
}

/// A number in international form (`+81 …`, `+1 …`, other E.164).
pub fn intl_phone(s: &str) -> Verdict {
    let rest = s.trim_start_matches('+');
    let d = digits(rest);
    if rest.starts_with("81") {
        let mut nat = vec![0u8];
        // `+81 (0)3 …`: the trunk zero written in parentheses is not part of the number.
        let skip = if rest.contains("(0)") { 3 } else { 2 };
        nat.extend_from_slice(&d[skip.min(d.len())..]);
        if nat.get(1) == Some(&0) {
            return Verdict::Fail;
        }
        return match jp_national(&nat, &[]) {
            Verdict::Pass { .. } => pass("format:jp_international"),
            Verdict::Fail => Verdict::Fail,
        };
    }
    if rest.starts_with('1') {
        return nanp_digits(&d);
    }
    if (8..=15).contains(&d.len()) && !all_same(&d) {
        return pass("format:e164");
    }
    Verdict::Fail
}

/// An IPv4 address: four octets ≤ 255, not the unspecified or broadcast address.
pub fn ipv4(s: &str) -> Verdict {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return Verdict::Fail;
    }
    let mut oct = [0u32; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || (p.len() > 1 && p.starts_with('0')) {
            return Verdict::Fail;
        }
        match p.parse::<u32>() {
            Ok(v) if v <= 255 => oct[i] = v,
            _ => return Verdict::Fail,
        }
    }
    if oct == [0, 0, 0, 0] || oct == [255, 255, 255, 255] || oct[0] == 0 {
        return Verdict::Fail;
    }
    // Section and build numbers (3.1.2.4, 4.2.0.7) and product versions (Chrome/119.0.0.0)
    // have the shape of an address, and neither loopback (127.x) nor a netmask (255.x) is the
    // host of a person; keep them
    // below the reporting threshold unless labelled.
    if oct.iter().all(|&o| o < 10) || (oct[2] == 0 && oct[3] == 0) || oct[0] == 127 || oct[0] == 255 {
        return Verdict::Pass { bonus: -0.3, reason: "shape:version_like" };
    }
    let reason = match oct {
        [10, ..] | [192, 168, ..] | [127, ..] => "range:private",
        [172, b, ..] if (16..=31).contains(&b) => "range:private",
        [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => "range:documentation",
        _ => "format:ipv4",
    };
    pass(reason)
}

/// An IPv6 address, checked by the standard library's parser.
pub fn ipv6(s: &str) -> Verdict {
    if s.matches(':').count() < 2 || s.matches(':').count() > 7 || s == "::" {
        return Verdict::Fail;
    }
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(a) if !a.is_unspecified() => {
            // Bare hex/colon runs like `::1` are fine; MAC-like or time-like runs fail the parse.
            let reason = if a.segments()[0] == 0x2001 && a.segments()[1] == 0xdb8 {
                "range:documentation"
            } else {
                "format:ipv6"
            };
            pass(reason)
        }
        _ => Verdict::Fail,
    }
}

/// An e-mail address: RFC 5321 lengths, a dotted domain with an alphabetic TLD.
pub fn email(s: &str) -> Verdict {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Verdict::Fail;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 255 || domain.split('.').any(|l| l.len() > 63) {
        return Verdict::Fail;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Verdict::Fail;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || tld.len() < 2
        || !tld.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return Verdict::Fail;
    }
    pass("format:email")
}

/// A Japanese postal code: 7 digits, not all zero.
pub fn jp_postal(s: &str) -> Verdict {
    let d = digits(s);
    if d.len() != 7 || all_same(&d) {
        return Verdict::Fail;
    }
    pass("format:jp_postal")
}

const ERAS: &[(&str, &str, i32)] =
    &[("明治", "M", 1867), ("大正", "T", 1911), ("昭和", "S", 1925), ("平成", "H", 1988), ("令和", "R", 2018)];

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Parses a date written in any of the forms the birth-date rules match.
/// Returns (year, month, day, is_era).
pub fn parse_date(s: &str) -> Option<(i32, u32, u32, bool)> {
    let t = s.trim();
    // Era forms: 昭和55年4月1日, S55.4.1, 昭55/4/1, H元.4.1
    for (kanji, letter, base) in ERAS {
        let short = kanji.chars().next().unwrap_or(' ').to_string();
        let rest = t
            .strip_prefix(kanji)
            .or_else(|| t.strip_prefix(letter))
            .or_else(|| t.strip_prefix(&letter.to_ascii_lowercase()))
            .or_else(|| t.strip_prefix(short.as_str()));
        // `March` starts with M but is not Meiji: an era is followed by a year.
        let rest = rest.filter(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '元'));
        if let Some(rest) = rest {
            let rest = rest.trim_start();
            let (year, rest) = if let Some(r) = rest.strip_prefix('元') {
                (1, r)
            } else {
                let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                (rest[..n].parse().ok()?, &rest[n..])
            };
            let (m, d) = month_day(rest)?;
            if year == 0 || year > 64 {
                return None;
            }
            return Some((base + year, m, d, true));
        }
    }
    // Western, year first: 1980/04/01, 1980-4-1, 1980年4月1日, 19800401.
    if t.len() >= 8 && t.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        let y: i32 = t[..4].parse().ok()?;
        let rest = &t[4..];
        if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Some((y, rest[..2].parse().ok()?, rest[2..].parse().ok()?, false));
        }
        let (m, d) = month_day(rest)?;
        return Some((y, m, d, false));
    }
    // English: March 1, 1975 / Mar. 1 1975 / 1 Mar 1975 / 03/01/1975 (month first).
    let lower = t.to_ascii_lowercase();
    let words: Vec<&str> = lower.split([' ', ',', '.']).filter(|w| !w.is_empty()).collect();
    let month_of = |w: &str| MONTHS.iter().position(|m| w.starts_with(m)).map(|i| i as u32 + 1);
    if words.len() == 3 {
        if let Some(m) = month_of(words[0]) {
            return Some((words[2].parse().ok()?, m, words[1].parse().ok()?, false));
        }
        if let Some(m) = month_of(words[1]) {
            return Some((words[2].parse().ok()?, m, words[0].parse().ok()?, false));
        }
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() == 3 && parts[2].len() == 4 {
        let a: u32 = parts[0].parse().ok()?;
        let b: u32 = parts[1].parse().ok()?;
        let y: i32 = parts[2].parse().ok()?;
        // Month first (US); day first when the first part cannot be a month.
        return if a <= 12 { Some((y, a, b, false)) } else { Some((y, b, a, false)) };
    }
    None
}

fn month_day(rest: &str) -> Option<(u32, u32)> {
    let nums: Vec<&str> = rest.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
    if nums.len() != 2 {
        return None;
    }
    Some((nums[0].parse().ok()?, nums[1].parse().ok()?))
}

/// A plausible birth date: a real calendar date no later than this year, 1868 or later.
pub fn birth_date(s: &str) -> Verdict {
    let Some((y, m, d, era)) = parse_date(s) else {
        return Verdict::Fail;
    };
    let max_day = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return Verdict::Fail,
    };
    if d == 0 || d > max_day || !(1868..=current_year()).contains(&y) {
        return Verdict::Fail;
    }
    pass(if era { "format:era_date" } else { "format:date" })
}

fn current_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    1970 + (secs / 31_556_952) as i32
}

/// An age in years: 0–120.
pub fn age(s: &str) -> Verdict {
    match s.trim().parse::<u32>() {
        Ok(v) if v <= 120 => neutral("range:age"),
        _ => Verdict::Fail,
    }
}

/// An IBAN: country code, check digits, mod-97 = 1.
pub fn iban(s: &str) -> Verdict {
    let flat: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&flat.len()) {
        return Verdict::Fail;
    }
    let rotated = format!("{}{}", &flat[4..], &flat[..4]);
    let mut rem: u64 = 0;
    for c in rotated.chars() {
        let v = match c {
            '0'..='9' => c as u64 - '0' as u64,
            'A'..='Z' => c as u64 - 'A' as u64 + 10,
            _ => return Verdict::Fail,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    if rem != 1 {
        return Verdict::Fail;
    }
    pass("checksum:iban")
}

/// A US Social Security number: area not 000/666/9xx, group not 00, serial not 0000.
pub fn us_ssn(s: &str) -> Verdict {
    let d = digits(s);
    if d.len() != 9 {
        return Verdict::Fail;
    }
    let area = prefix_num(&d, 3);
    let group = d[3] as u32 * 10 + d[4] as u32;
    let serial = prefix_num(&d[5..], 4);
    if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
        return Verdict::Fail;
    }
    neutral("format:ssn")
}

/// A health-insurance insurer number (保険者番号): 8 digits (6 for 国保), Luhn check digit.
pub fn insurer_number(s: &str) -> Verdict {
    let d = digits(s);
    if !(d.len() == 8 || d.len() == 6) || all_same(&d) {
        return Verdict::Fail;
    }
    if luhn_ok(&d) {
        pass("checksum:insurer_number")
    } else {
        Verdict::Fail
    }
}

/// A driver's licence number. The check digit is unofficial, so it only adds confidence.
pub fn drivers_license(s: &str) -> Verdict {
    let d = digits(s);
    if d.len() != 12 || all_same(&d) {
        return Verdict::Fail;
    }
    const W: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = d[..10].iter().zip(W).map(|(&x, w)| x as u32 * w).sum();
    let cd = (11 - sum % 11) % 10;
    let pref = prefix_num(&d, 2);
    let known = matches!(pref, 10..=14 | 20..=25 | 30 | 40..=55 | 60..=65 | 70..=74 | 80..=83 | 90..=97);
    if known && cd == d[10] as u32 {
        pass("checksum:drivers_license")
    } else {
        neutral("format:drivers_license")
    }
}

/// A ゆうちょ 記号-番号: 記号 of 5 digits starting with 1, 番号 ending in 1.
pub fn yucho(s: &str) -> Verdict {
    let groups: Vec<&str> = s.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    match groups.as_slice() {
        [kigo, bango] if kigo.len() == 5 && kigo.starts_with('1') && bango.ends_with('1') => pass("format:yucho"),
        _ => Verdict::Fail,
    }
}

/// A secret under a label: not a placeholder (`****`, `xxxx`, `<password>`).
pub fn secret(s: &str) -> Verdict {
    let t = s.trim();
    let placeholder = t.chars().all(|c| matches!(c, '*' | '●' | '•' | 'x' | 'X' | '#' | '?' | '.'))
        || t.starts_with('<')
        || t.starts_with('$')
        || t.starts_with('{')
        || t.eq_ignore_ascii_case("null")
        || t.eq_ignore_ascii_case("none");
    if placeholder {
        Verdict::Fail
    } else {
        neutral("format:secret")
    }
}

/// A secret named in running text: besides not being a placeholder, it must look like one —
/// a digit, a symbol, or upper and lower case mixed — so that `password is required` is not.
pub fn strong_secret(s: &str) -> Verdict {
    let t = s.trim().trim_end_matches(['.', ',', '!', '?']);
    if matches!(secret(t), Verdict::Fail) || t.len() < 4 {
        return Verdict::Fail;
    }
    let digit = t.bytes().any(|b| b.is_ascii_digit());
    let symbol = t.bytes().any(|b| b.is_ascii_punctuation());
    let mixed = t.bytes().any(|b| b.is_ascii_uppercase()) && t.bytes().any(|b| b.is_ascii_lowercase());
    if digit || symbol || mixed {
        neutral("format:secret")
    } else {
        Verdict::Fail
    }
}

/// An account id under a label: has a digit or is long enough to be an id, not a word like `none`.
pub fn account_id(s: &str) -> Verdict {
    let t = s.trim();
    if t.len() > 64 || t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("null") || t.eq_ignore_ascii_case("n/a")
    {
        return Verdict::Fail;
    }
    if t.bytes().any(|b| b.is_ascii_digit()) || t.len() >= 4 {
        neutral("format:account_id")
    } else {
        Verdict::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: Verdict) -> bool {
        matches!(v, Verdict::Pass { .. })
    }

    #[test]
    fn my_number_vectors() {
        assert!(ok(my_number("621498320257")));
        assert!(!ok(my_number("621498320258")));
        assert!(ok(my_number("123456789018")));
        assert!(ok(my_number("983205673214")));
        assert!(ok(my_number("000010000130")));
        assert!(ok(my_number("000010000050")));
        assert!(ok(my_number("000010000041")));
        assert!(!ok(my_number("000000000000")));
    }

    #[test]
    fn corporate_vectors() {
        for v in ["7000012050002", "5835678256246", "4011001098993", "2120901007402", "1180301018771"] {
            assert!(ok(corporate_number(v)), "{v}");
        }
        assert!(!ok(corporate_number("2835678256246")));
        assert!(!ok(corporate_number("0835678256246")));
    }

    #[test]
    fn card_vectors() {
        for v in [
            "4111111111111111",
            "3530111333300000",
            "3566002020360505",
            "378282246310005",
            "30569309025904",
            "6011111111111117",
            "5555555555554444",
            "3530-1113-3330-0000",
        ] {
            assert!(ok(luhn_card(v)), "{v}");
        }
        assert!(!ok(luhn_card("4111111111111112")));
        assert!(!ok(luhn_card("4111 1111-1111 1111")));
        assert!(!ok(luhn_card("1234567812345670")), "no brand");
        assert_eq!(card_brand(&digits("3528000000000007")), Some("jcb"));
        assert_eq!(card_brand(&digits("3590000000000000")), None);
    }

    #[test]
    fn phone_plan() {
        for v in [
            "03-1234-5678",
            "090-1234-5678",
            "0120-12-3456",
            "0570-012-345",
            "050-1234-5678",
            "045-123-4567",
            "0254-12-3456",
            "01267-1-2345",
            "0800-123-4567",
            "0312345678",
        ] {
            assert!(ok(jp_phone(v)), "{v}");
        }
        for v in ["0000-00-0000", "03-123-45678", "090-1234-567", "012-3456-7890", "0120-123-4567"] {
            assert!(!ok(jp_phone(v)), "{v}");
        }
        assert!(ok(intl_phone("+81-3-1234-5678")));
        assert!(ok(intl_phone("+81 90 1234 5678")));
        assert!(ok(intl_phone("+81 (0)3-1234-5678")));
        assert!(ok(intl_phone("+1 415-555-0100")));
        assert!(!ok(intl_phone("+81-03-1234-5678")));
        assert!(ok(nanp_phone("(555) 123-4567")));
        assert!(!ok(nanp_phone("(155) 123-4567")));
        assert!(ok(nanp_phone("(555) 123-4567")));
    }

    #[test]
    fn ip_addresses() {
        assert!(ok(ipv4("203.0.113.45")));
        assert!(!ok(ipv4("0.0.0.0")));
        assert!(!ok(ipv4("256.1.1.1")));
        assert!(!ok(ipv4("1.2.3")));
        assert!(ok(ipv6("2001:db8::1")));
        assert!(ok(ipv6("fe80::1ff:fe23:4567:890a")));
        assert!(!ok(ipv6("12:34:56")));
        assert!(!ok(ipv6("::")));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("昭和55年4月1日"), Some((1980, 4, 1, true)));
        assert_eq!(parse_date("S55.4.1"), Some((1980, 4, 1, true)));
        assert_eq!(parse_date("H元.4.1"), Some((1989, 4, 1, true)));
        assert_eq!(parse_date("平成2年12月3日"), Some((1990, 12, 3, true)));
        assert_eq!(parse_date("1980/04/01"), Some((1980, 4, 1, false)));
        assert_eq!(parse_date("19800401"), Some((1980, 4, 1, false)));
        assert_eq!(parse_date("March 1, 1975"), Some((1975, 3, 1, false)));
        assert_eq!(parse_date("1 Mar 1975"), Some((1975, 3, 1, false)));
        assert_eq!(parse_date("Sep 3, 1990"), Some((1990, 9, 3, false)));
        assert_eq!(parse_date("March 1, 1975"), Some((1975, 3, 1, false)));
        assert!(ok(birth_date("1980-04-01")));
        assert!(!ok(birth_date("1980-02-30")));
        assert!(!ok(birth_date("2999-01-01")));
    }

    #[test]
    fn others() {
        assert!(ok(iban("GB82 WEST 1234 5698 7654 32")));
        assert!(!ok(iban("GB82 WEST 1234 5698 7654 33")));
        assert!(ok(us_ssn("123-45-6789")));
        assert!(!ok(us_ssn("000-12-3456")));
        assert!(!ok(us_ssn("666-12-3456")));
        assert!(ok(insurer_number("33120015")));
        assert!(!ok(insurer_number("33120016")));
        assert!(matches!(drivers_license("309012345620"), Verdict::Pass { bonus, .. } if bonus > 0.0));
        assert!(ok(yucho("17300-19927651")));
        assert!(!ok(secret("********")));
        assert!(ok(secret("hunter2")));
        assert!(ok(email("taro.yamada@example.co.jp")));
        assert!(!ok(email("user@localhost")));
    }
}
