//! Addresses: the `code` rules of patterns/address.toml.
//!
//! A Japanese address is anchored on a prefecture or a municipality from Japan Post's list
//! (patterns/address/municipalities.tsv); the rule's pattern then reads the town and the block
//! numbers, and a building with its floor or room is taken when it looks like one. An English
//! address is anchored on a USPS street suffix with a house number before it; the pattern reads
//! the unit, city and state. The words of both lists sit in the label automaton, so finding
//! the anchors costs no pass of its own; everything else runs only at those hits.
//!
//! Postal codes are not part of an address span: `〒108-0075` and a ZIP code stay
//! `postal_code` findings of their own (overlapping candidates would otherwise compete).

use std::collections::HashSet;
use std::sync::OnceLock;

use regex_automata::{Anchored, Input};

use super::{back_chars, ending_in, newlines, skip_separators, Candidate, Catalog, Column, Hit, Kind};

const MUNICIPALITIES: &str = include_str!("../../patterns/address/municipalities.tsv");
const US_STATES: &str = include_str!("../../patterns/address/us_states.tsv");
const US_SUFFIXES: &str = include_str!("../../patterns/address/us_street_suffixes.tsv");

/// Characters that, right after a number, make it a count or a date, not a block number.
const COUNTERS: &[char] = &[
    '年', '月', '日', '時', '分', '秒', '%', '人', '件', '円', '位', '回', '歳', '個', '台', '枚', '点', '倍', '割',
    '名', '世', '期',
];

/// The address data, parsed once.
struct Data {
    prefectures: HashSet<&'static str>,
    municipalities: HashSet<String>,
    jp_terms: Vec<String>,
    us_terms: Vec<String>,
    states: HashSet<&'static str>,
}

fn rows(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|l| l.split_once('\t'))
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut prefectures = HashSet::new();
        let mut municipalities = HashSet::new();
        for (pref, muni) in rows(MUNICIPALITIES) {
            prefectures.insert(pref);
            municipalities.insert(muni.to_string());
            // 札幌市中央区 is also written 札幌市 …; 三井郡大刀洗町 also 大刀洗町 ….
            if let Some(i) = muni.find('市') {
                let end = i + '市'.len_utf8();
                if end < muni.len() && muni.ends_with('区') {
                    municipalities.insert(muni[..end].to_string());
                }
            }
            if let Some(i) = muni.find('郡') {
                let rest = &muni[i + '郡'.len_utf8()..];
                if rest.chars().count() >= 2 {
                    municipalities.insert(rest.to_string());
                }
            }
        }
        let mut jp_terms: Vec<String> = prefectures.iter().map(|p| p.to_string()).collect();
        jp_terms.extend(municipalities.iter().cloned());
        jp_terms.sort();
        let mut us_terms = Vec::new();
        for (name, abbr) in rows(US_SUFFIXES) {
            for w in [name, abbr] {
                let w = capitalize(w);
                if !us_terms.contains(&w) {
                    us_terms.push(w);
                }
            }
        }
        let states = rows(US_STATES).map(|(code, _)| code).collect();
        Data { prefectures, municipalities, jp_terms, us_terms, states }
    })
}

fn capitalize(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    let mut c = lower.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// The words a `code` rule adds to the label automaton from its data file.
pub(super) fn data_terms(rule: &str) -> std::slice::Iter<'static, String> {
    match rule {
        "jp_address" => data().jp_terms.iter(),
        "us_address" => data().us_terms.iter(),
        _ => (&[] as &'static [String]).iter(),
    }
}

/// Reasons given by the address code.
mod why {
    pub const PREFECTURE: &str = "gazetteer:prefecture";
    pub const MUNICIPALITY: &str = "gazetteer:municipality";
    pub const BLOCK: &str = "format:block_number";
    pub const BUILDING: &str = "format:building";
    pub const POSTAL: &str = "context:postal_code";
    pub const STREET: &str = "format:street_suffix";
    pub const ROMAJI: &str = "format:romaji_address";
    pub const CITY_STATE: &str = "format:city_state";
    pub const PART: &str = "format:address_part";
    pub const LABEL_VALUE: &str = "label:value";
}

/// The indices of the `code` rules in a catalog.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct CodeRules {
    pub jp: Option<usize>,
    pub us: Option<usize>,
    pub romaji: Option<usize>,
    pub part: Option<usize>,
    pub employer: Option<usize>,
    pub department: Option<usize>,
    pub title: Option<usize>,
    pub occupation: Option<usize>,
}

/// The `code` rules of a catalog and, per label word, whether it is one of their words.
#[derive(Debug, Default)]
pub(super) struct CodeIndex {
    ids: CodeRules,
    wakes: Vec<bool>,
    place: Vec<Place>,
}

/// What a label word is to the Japanese address rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    None,
    Prefecture,
    Municipality,
}

impl CodeIndex {
    pub(super) fn new(rules: &[super::Rule], words: &[super::Word]) -> CodeIndex {
        let mut ids = CodeRules::default();
        let mut code = vec![false; rules.len()];
        for (i, r) in rules.iter().enumerate() {
            if r.syntax.trigger != super::rule::Trigger::Code {
                continue;
            }
            code[i] = true;
            let slot = match r.id {
                "jp_address" => &mut ids.jp,
                "us_address" => &mut ids.us,
                "jp_address_romaji" => &mut ids.romaji,
                "address_part" => &mut ids.part,
                "employer" => &mut ids.employer,
                "department" => &mut ids.department,
                "job_title" => &mut ids.title,
                "occupation" => &mut ids.occupation,
                _ => continue,
            };
            *slot = Some(i);
        }
        let wakes = words
            .iter()
            .map(|w| w.uses.iter().any(|&(r, k)| code[r] && matches!(k, Kind::Term | Kind::Label)))
            .collect();
        let d = data();
        let place = words
            .iter()
            .map(|w| match ids.jp {
                Some(jp) if w.uses.contains(&(jp, Kind::Term)) => {
                    if d.prefectures.contains(w.text.as_str()) {
                        Place::Prefecture
                    } else if d.municipalities.contains(&w.text) {
                        Place::Municipality
                    } else {
                        Place::None
                    }
                }
                _ => Place::None,
            })
            .collect();
        CodeIndex { ids, wakes, place }
    }
}

impl Catalog {
    /// Runs the rules written in code over a segment. Nothing happens unless the label
    /// automaton found one of their words (or the column header holds one of their labels).
    pub(super) fn code_rules(
        &self,
        t: &str,
        header: Option<&str>,
        hits: &[Hit],
        col: &Column,
        out: &mut Vec<Candidate>,
    ) {
        let wakes = &self.code.wakes;
        // The hits of the code rules' own words: what their loops walk (other labels are
        // looked up in `hits`).
        let mine: Vec<Hit> = hits.iter().filter(|h| wakes[h.word]).copied().collect();
        if mine.is_empty() && !col.hits.iter().any(|&(_, _, w)| wakes[w]) {
            return;
        }
        let mine = &mine[..];
        // A column header says what its cells are only when it is little more than the label
        // (`会社名（漢字）`, `Company Name`), not a heading that holds one (`Customer Service
        // Department` above a paragraph).
        let header_len = header.map_or(0, |h| h.trim().chars().count());
        // A deny word in the header drops the label too (募集職種).
        let header_text = header.map(super::fold).unwrap_or_default();
        let own = Column {
            hits: col
                .hits
                .iter()
                .filter(|&&(r, _, w)| {
                    header_len <= self.words[w].text.chars().count() + 5
                        && !self.rules[r]
                            .syntax
                            .deny
                            .iter()
                            .any(|d| d.chars().count() >= 2 && header_text.contains(d.as_str()))
                })
                .copied()
                .collect(),
        };
        let col = &own;
        let ids = self.code.ids;
        if self.passes.address {
            if let Some(r) = ids.jp {
                self.jp_addresses(r, t, hits, mine, col, out);
            }
            if let Some(r) = ids.us {
                self.us_addresses(r, t, mine, col, out);
            }
            if let Some(r) = ids.romaji {
                self.romaji_addresses(r, t, mine, out);
            }
            if let Some(r) = ids.part {
                self.address_parts(r, t, hits, mine, col, out);
            }
        }
        if self.passes.names {
            self.org_rules(&ids, t, hits, mine, col, out);
        }
    }

    /// The label of rule `r` that ends within `window` characters before `s` (one line break
    /// at most), if any.
    pub(super) fn label_before(
        &self,
        r: usize,
        t: &str,
        s: usize,
        window: usize,
        hits: &[Hit],
    ) -> Option<&'static str> {
        let from = back_chars(t, s, window);
        ending_in(hits, from, s)
            .iter()
            .rev()
            .find(|h| self.uses(h.word, r, Kind::Label) && newlines(&t[h.end..s]) <= 1)
            .map(|h| self.words[h.word].reasons.label)
    }

    /// The value written after label hit `h`: from the separators to the end of the line, a
    /// tab, two spaces, or the next label of any rule. `None` when the label runs into a word
    /// (`職業は`, `所属する`), when an ASCII label has no `:`, or for prose-length values.
    /// The values of rule `r` under its labels in `t` and, in a labelled column, the whole cell
    /// (at most `max_chars` characters), each with the reason that names where it came from.
    fn label_and_column_values(
        &self,
        r: usize,
        t: &str,
        hits: &[Hit],
        mine: &[Hit],
        col: &Column,
        max_chars: usize,
    ) -> Vec<(usize, usize, &'static str)> {
        let mut values = Vec::new();
        for h in mine.iter().filter(|h| self.uses(h.word, r, Kind::Label)) {
            if let Some((s, e)) = self.label_value(t, h, hits) {
                values.push((s, e, self.words[h.word].reasons.label));
            }
        }
        if let Some((_, w)) = col.find(r, |k| k == Kind::Label) {
            let s = t.len() - t.trim_start().len();
            let e = t.trim_end().len();
            if e > s && t[s..e].chars().count() <= max_chars {
                values.push((s, e, self.words[w].reasons.column));
            }
        }
        values
    }

    pub(super) fn label_value(&self, t: &str, h: &Hit, hits: &[Hit]) -> Option<(usize, usize)> {
        let s = skip_separators(t, h.end);
        if s == h.end && s < t.len() {
            return None;
        }
        let gap = &t[h.end..s];
        let explicit = gap.contains([':', '\t', ']', '】', '」', '='])
            // A label that ends its line labels the next only when it also starts its line.
            || gap.contains('\n') && t[..h.start].rsplit('\n').next().is_some_and(|l| l.trim().is_empty());
        if self.words[h.word].ascii_end && !t[h.end..s].contains([':', '\t', '=']) {
            return None;
        }
        // Without a colon, a label stands at the start of a line or a field (`住所 東京都…`),
        // not inside a value (`…5番地 メゾン…`); a short label that ends a longer word is
        // that word's (管理会社：).
        let prev = t[..h.start].chars().next_back();
        if prev.is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) && self.words[h.word].text.chars().count() <= 2
        {
            return None;
        }
        // After a digit the word is the unit of a value (`泉696番地`), not a label, even
        // before a tab: the next column (a phone number) is not its value.
        if prev.is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        if !explicit
            && prev.is_some_and(|c| !matches!(c, ' ' | '\t' | '\n' | '|' | ',' | '、' | '(' | '（' | '[' | '【' | '・'))
        {
            return None;
        }
        // A Latin label of the same rule inside the value is part of a name (`School: Lincoln
        // High School`), unless a colon follows it.
        let own = |x: &Hit| {
            self.words[x.word].ascii_start
                && t[..x.start].strip_suffix(' ').is_some_and(|b| b.ends_with(|c: char| c.is_ascii_alphabetic()))
                && !t[x.end..].trim_start_matches(' ').starts_with([':', '='])
                && self.words[x.word]
                    .uses
                    .iter()
                    .any(|&(r, k)| k == Kind::Label && self.words[h.word].uses.contains(&(r, Kind::Label)))
        };
        let next_label = within(hits, s, t.len())
            .iter()
            .find(|x| {
                self.words[x.word].uses.iter().any(|&(_, k)| matches!(k, Kind::Label | Kind::Reclass(_))) && !own(x)
            })
            .map_or(t.len(), |x| x.start);
        let mut e = s;
        let bytes = t.as_bytes();
        while e < t.len() && e < next_label {
            let b = bytes[e];
            if b == b'\n' || b == b'\r' || b == b'\t' || b == b'|' || (b == b' ' && bytes.get(e + 1) == Some(&b' ')) {
                break;
            }
            if t[e..].starts_with('。') {
                break;
            }
            e += t[e..].chars().next().map_or(1, char::len_utf8);
        }
        let mut v = t[s..e].trim_end_matches([' ', '、', ',', '(', '（', '[', '【', '/', '・', '.']);
        // An unbalanced closing bracket ends an aside the label sat in: （住所：東京都杉並区）.
        while let Some(c) = v.chars().next_back().filter(|c| matches!(c, ')' | '）' | ']' | '】' | '」')) {
            let open = match c {
                ')' | '）' => ['(', '（'],
                ']' | '】' => ['[', '【'],
                _ => ['「', '「'],
            };
            if v.contains(open) {
                break;
            }
            v = v[..v.len() - c.len_utf8()].trim_end();
        }
        let e = s + v.len();
        let chars = v.chars().count();
        (chars > 0 && chars <= 60).then_some((s, e))
    }

    fn jp_addresses(&self, r: usize, t: &str, hits: &[Hit], mine: &[Hit], col: &Column, out: &mut Vec<Candidate>) {
        let rule = &self.rules[r];
        let syn = &rule.syntax;
        let mut done = 0;
        for (i, h) in mine.iter().enumerate() {
            let place = self.code.place[h.word];
            if h.start < done || place == Place::None {
                continue;
            }
            let is_pref = place == Place::Prefecture;
            let mut reasons = vec![rule.reason];
            let mut end = h.end;
            let mut has_muni = !is_pref;
            if is_pref {
                reasons.push(why::PREFECTURE);
                if let Some(n) = mine.get(i + 1) {
                    let gap = &t[h.end..n.start];
                    if (gap.is_empty() || gap == " ") && self.code.place[n.word] == Place::Municipality {
                        end = n.end;
                        has_muni = true;
                    }
                }
            }
            if has_muni {
                reasons.push(why::MUNICIPALITY);
            }
            if syn.deny_after.iter().any(|w| t[end..].starts_with(w.as_str())) {
                continue;
            }
            // The town and block numbers.
            let tail = rule.regex.search(&Input::new(t).range(end..).anchored(Anchored::Yes));
            let mut block = false;
            let mut town = true;
            if let Some(m) = tail {
                let part = &t[end..m.end()];
                let good = part.contains(['丁', '番', '号', '条', '線', '割']) || has_hyphenated_number(part);
                // Numbers that count something are not a block: 横浜市1-3月, 港区2-3位.
                let counted = t[m.end()..].starts_with(COUNTERS);
                if good && !counted && m.end() > end {
                    town = !part.trim_start().starts_with(|c: char| c.is_ascii_digit());
                    end = m.end();
                    block = true;
                    reasons.push(why::BLOCK);
                }
            }
            if block {
                if let Some(b) = building(t, end, &syn.terms, hits, &self.words) {
                    end = b;
                    reasons.push(why::BUILDING);
                }
            }
            let label = self
                .label_before(r, t, h.start, syn.window, hits)
                .or_else(|| col.find(r, |k| k == Kind::Label).map(|(_, w)| self.words[w].reasons.column));
            let postal = t[back_chars(t, h.start, 12)..h.start].contains('〒')
                || t[..h.start].trim_end().bytes().rev().take(4).all(|b| b.is_ascii_digit())
                    && t[..h.start].trim_end().len() >= 4;
            // An address names its town before the numbers (港南2-16-3); a bare number right
            // after a municipality is weaker.
            let untown = if town { 0.0 } else { 0.2 };
            let mut score = -untown
                + match (block, is_pref && has_muni, has_muni) {
                    (true, true, _) => syn.score,
                    (true, false, true) => syn.score - 0.15,
                    (true, false, false) => syn.score - 0.3,
                    // Without block numbers only a labelled value is an address (below).
                    _ => continue,
                };
            if let Some(l) = label {
                score += syn.label_boost;
                reasons.push(l);
            }
            if postal {
                score += 0.1;
                reasons.push(why::POSTAL);
            }
            if score < syn.min_score {
                continue;
            }
            done = end;
            out.push(Candidate {
                rule: r,
                category: rule.category,
                start: h.start,
                end,
                score: score.min(0.99),
                reasons,
            });
        }
        // A value under an address label or in an address column, whole, when it holds a
        // number or a place name (an address that the anchors above cannot read).
        let values = self.label_and_column_values(r, t, hits, mine, col, 100);
        for (s, e, why_label) in values {
            let (s, e) = strip_postal(t, s, e);
            let v = &t[s..e];
            let placey = within(mine, s, e).iter().any(|x| self.uses(x.word, r, Kind::Term));
            // ASCII values are the English rule's.
            if v.is_empty() || v.is_ascii() || !(placey || v.bytes().any(|b| b.is_ascii_digit())) {
                continue;
            }
            let score = (syn.score - 0.1 + syn.label_boost * 0.5).min(0.99);
            out.push(Candidate {
                rule: r,
                category: rule.category,
                start: s,
                end: e,
                score,
                reasons: vec![rule.reason, why_label, why::LABEL_VALUE],
            });
        }
    }

    fn us_addresses(&self, r: usize, t: &str, hits: &[Hit], col: &Column, out: &mut Vec<Candidate>) {
        let d = data();
        let rule = &self.rules[r];
        let syn = &rule.syntax;
        let mut caps = rule.regex.create_captures();
        let mut done = 0;
        for h in hits {
            if h.start < done || !self.uses(h.word, r, Kind::Term) {
                continue;
            }
            // The suffix is capitalised as written (Pkwy, ST), and a house number and a street
            // name stand before it on the same line.
            if !t.as_bytes()[h.start].is_ascii_uppercase() {
                continue;
            }
            let Some(start) = street_start(t, h.start) else { continue };
            let mut end = h.end;
            let mut reasons = vec![rule.reason, why::STREET];
            let mut full = false;
            rule.regex.search_captures(&Input::new(t).range(end..).anchored(Anchored::Yes), &mut caps);
            if let Some(whole) = caps.get_match() {
                match (caps.get_group_by_name("city"), caps.get_group_by_name("state")) {
                    (Some(_), Some(st)) if d.states.contains(&t[st.start..st.end]) => {
                        end = st.end;
                        full = true;
                        reasons.push(why::CITY_STATE);
                    }
                    (Some(c), _) => end += trim_ascii_end(&t[end..c.start]),
                    _ => end += trim_ascii_end(&t[end..whole.end()]),
                }
            }
            let end = start + t[start..end].trim_end_matches([',', ' ', '\n']).len();
            let label = self
                .label_before(r, t, start, syn.window, hits)
                .or_else(|| col.find(r, |k| k == Kind::Label).map(|(_, w)| self.words[w].reasons.column));
            let mut score = syn.score + if full { 0.4 } else { 0.0 };
            if let Some(l) = label {
                score += syn.label_boost;
                reasons.push(l);
            }
            if score < syn.min_score {
                continue;
            }
            done = end;
            out.push(Candidate { rule: r, category: rule.category, start, end, score: score.min(0.99), reasons });
        }
    }

    /// `2-16-3 Konan, Minato-ku, Tokyo`: at each romanised prefecture, the rule's pattern on
    /// the line before it, ending at the prefecture (or its -to/-fu/-ken).
    fn romaji_addresses(&self, r: usize, t: &str, mine: &[Hit], out: &mut Vec<Candidate>) {
        let rule = &self.rules[r];
        for h in mine.iter().filter(|h| self.uses(h.word, r, Kind::Term)) {
            let ls = t[..h.start].rfind('\n').map_or(0, |i| i + 1);
            let end = (h.end + 4).min(t.len());
            let end = (end..=t.len()).find(|&i| t.is_char_boundary(i)).unwrap_or(t.len());
            let found =
                rule.regex.find_iter(Input::new(t).range(ls..end)).find(|m| (h.end..=h.end + 4).contains(&m.end()));
            if let Some(m) = found {
                if t[..m.start()].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()) {
                    continue;
                }
                let mut score = rule.syntax.score;
                let mut reasons = vec![rule.reason, why::ROMAJI];
                if let Some(l) = self.label_before(r, t, m.start(), rule.syntax.window, mine) {
                    score += rule.syntax.label_boost;
                    reasons.push(l);
                }
                out.push(Candidate {
                    rule: r,
                    category: rule.category,
                    start: m.start(),
                    end: m.end(),
                    score,
                    reasons,
                });
            }
        }
    }

    fn address_parts(&self, r: usize, t: &str, hits: &[Hit], mine: &[Hit], col: &Column, out: &mut Vec<Candidate>) {
        let rule = &self.rules[r];
        let syn = &rule.syntax;
        let values = self.label_and_column_values(r, t, hits, mine, col, 80);
        for (s, e, why_label) in values {
            let (s, e) = strip_postal(t, s, e);
            if s >= e {
                continue;
            }
            // A prefecture, city or state alone is not an address (TAXONOMY: 東京都 alone; a
            // column of prefectures is common in statistics): only street and building parts
            // are reported.
            let v = &t[s..e];
            let amount = v.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') && v.contains([',', '.']);
            if amount || !rule.regex.is_match(Input::new(v)) {
                continue;
            }
            let score = syn.score + syn.label_boost;
            let reasons = vec![rule.reason, why_label, why::PART];
            out.push(Candidate { rule: r, category: rule.category, start: s, end: e, score: score.min(0.99), reasons });
        }
    }
}

/// The hits inside `s..e` (hits are sorted by start and do not overlap).
pub(super) fn within(hits: &[Hit], s: usize, e: usize) -> &[Hit] {
    let lo = hits.partition_point(|h| h.start < s);
    let hi = hits.partition_point(|h| h.end <= e);
    &hits[lo..hi.max(lo)]
}

/// Whether `s` holds two numbers joined by a hyphen (`2-16`).
fn has_hyphenated_number(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(1)).any(|i| b[i] == b'-' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

/// Drops a leading `〒108-0075` / `108-0075` and a trailing US ZIP code from a value: postal
/// codes are findings of their own.
fn strip_postal(t: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let v = &t[s..e];
    let rest = v.strip_prefix('〒').unwrap_or(v).trim_start();
    let digits: String = rest.chars().take(8).collect();
    let b = digits.as_bytes();
    let code_len = if b.len() >= 8
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3] == b'-'
        && b[4..8].iter().all(u8::is_ascii_digit)
    {
        8
    } else if b.len() >= 7 && b[..7].iter().all(u8::is_ascii_digit) && !b.get(7).is_some_and(u8::is_ascii_digit) {
        7
    } else {
        0
    };
    if code_len > 0 && (rest.len() != v.len() || code_len == 8) {
        let after = &rest[code_len..];
        s = e - after.trim_start().len();
    }
    let v = &t[s..e];
    let tb = v.as_bytes();
    let n = tb.len();
    let zip5 = |end: usize| end >= 6 && tb[end - 5..end].iter().all(u8::is_ascii_digit) && tb[end - 6] == b' ';
    if zip5(n) && n >= 8 && tb[n - 8].is_ascii_uppercase() && tb[n - 7].is_ascii_uppercase() {
        e -= 6;
    } else if n >= 13 && tb[n - 5] == b'-' && zip5(n - 5) && tb[n - 13..n - 11].iter().all(u8::is_ascii_uppercase) {
        e -= 11;
    }
    (s, s + t[s..e].trim_end().len())
}

fn trim_ascii_end(s: &str) -> usize {
    s.trim_end_matches([',', ' ', '\n']).len()
}

/// Where the street line before a suffix at `suffix` starts: a house number, then one to four
/// name words (capitalised, ordinals, directions), on the same line. The number may not
/// continue a dotted version string or a longer token.
fn street_start(t: &str, suffix: usize) -> Option<usize> {
    let line_start = t[..suffix].rfind('\n').map_or(0, |i| i + 1);
    let before = &t[line_start..suffix];
    if !before.ends_with(' ') {
        return None;
    }
    let words: Vec<&str> = before[..before.len() - 1].rsplit(' ').take(6).collect();
    let mut used = 1; // the trailing space
    for (names, w) in words.into_iter().enumerate() {
        used += w.len();
        if is_house_number(w) {
            if names == 0 {
                return None;
            }
            let start = suffix - used;
            let prev = t[..start].chars().next_back();
            if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '/') {
                return None;
            }
            return Some(start);
        }
        let name = w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && w.chars().all(|c| c.is_ascii_alphabetic() || c == '.' || c == '\'')
            || is_ordinal(w);
        if !name || names == 4 {
            return None;
        }
        used += 1; // the space before the word
    }
    None
}

fn is_house_number(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    (1..=6).contains(&digits) && w.len() - digits <= 1 && w[digits..].bytes().all(|b| b.is_ascii_alphabetic())
}

fn is_ordinal(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&w[digits..], "st" | "nd" | "rd" | "th")
}

/// A building (and floor or room) right after the block numbers at `i`, on the same line or,
/// when it reads as one, on the next: its end.
fn building(t: &str, i: usize, words: &[String], hits: &[Hit], all: &[super::Word]) -> Option<usize> {
    let rest = &t[i..];
    let (skip, next_line) = if let Some(r) = rest.strip_prefix('\n') {
        (1 + (r.len() - r.trim_start_matches([' ', '\t']).len()), true)
    } else if rest.starts_with(' ') {
        (1, false)
    } else {
        (0, false)
    };
    let s = i + skip;
    // A label (TEL, 電話) or another field is not a building.
    if within(hits, s, t.len())
        .first()
        .is_some_and(|h| h.start == s && all[h.word].uses.iter().any(|&(_, k)| k == Kind::Label))
    {
        return None;
    }
    let mut e = s;
    for (j, c) in t[s..].char_indices() {
        if c.is_whitespace() || "、。,()（）「」:：|/〒".contains(c) || j > 90 {
            break;
        }
        e = s + j + c.len_utf8();
    }
    // The longest start of the run that reads as a building: a floor or room at its end, a
    // building word (ビル, タワー, 荘 …), or katakana alone (the whole run).
    let run = &t[s..e];
    let accept = |p: &str| {
        let (name, room) = split_room(p);
        if room {
            // A bare room number is the whole run (not 090 of 090-1234-5678).
            return name.is_empty() && !next_line && p.len() == run.len() || !name.is_ascii();
        }
        !p.is_ascii()
            && (words.iter().any(|w| p.ends_with(w.as_str()))
                || p.len() == run.len()
                    && p.chars().count() >= 3
                    && p.chars().all(|c| ('ァ'..='ヶ').contains(&c) || c == 'ー' || c == '・'))
    };
    let cut = run.char_indices().map(|(j, c)| j + c.len_utf8()).rev().find(|&j| accept(&run[..j]))?;
    let mut end = s + cut;
    let room = split_room(&run[..cut]).1;
    // A floor or room after a space: グランドセントラルタワー 12F.
    if !room {
        if let Some(r) = t[end..].strip_prefix(' ') {
            let token = r.split([' ', '\n', '\t', '、', ',']).next().unwrap_or("");
            let cut = token.char_indices().map(|(j, c)| j + c.len_utf8()).rev().find(|&j| {
                // A bare number is a room only as the whole token (not 2024 of 2024年).
                split_room(&token[..j]) == ("", true)
                    && (j == token.len() || !token[..j].bytes().all(|b| b.is_ascii_digit()))
            });
            if let Some(j) = cut {
                end += 1 + j;
            }
        }
    }
    if next_line && t[end..].lines().next().is_some_and(|l| !l.trim().is_empty()) {
        return None;
    }
    Some(end)
}

/// Splits a building token into its name and whether it ends with a floor or room
/// (`12F`, `3階`, `201号室`, `201号`, `201`).
fn split_room(run: &str) -> (&str, bool) {
    for suffix in ["号室", "号", "階", "F"] {
        if let Some(head) = run.strip_suffix(suffix) {
            let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
            if (1..=4).contains(&digits) {
                let name = head[..head.len() - digits].trim_end_matches(['-', ' ']);
                return (name, true);
            }
        }
    }
    let digits = run.bytes().rev().take_while(u8::is_ascii_digit).count();
    if (3..=4).contains(&digits) {
        let head = &run[..run.len() - digits];
        if !head.is_ascii() || head.is_empty() {
            return (head.trim_end_matches('-'), true);
        }
    }
    (run, false)
}
