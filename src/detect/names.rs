//! Person names and their kana readings in running text.
//!
//! Labelled names (`氏名：`, a `フリガナ` column) are ordinary `value` rules in
//! `patterns/person_name.toml`, checked by the validators at the end of this file. This pass
//! finds the rest from the structure of the text, and reports under the same rule ids:
//!
//! * kanji runs (explicit character classes, never a word boundary) that end in, or are
//!   followed by, an honorific or a title (`田中様`, `佐藤さん`, `鈴木部長`): the name is the
//!   best surname (+ given name) parse of the run's tail;
//! * two runs separated by a space, a dictionary surname then a given name (`山田 太郎`); a
//!   given name no dictionary lists (`陽葵`) counts only with more evidence (an honorific, a
//!   reading in parentheses, an e-mail address, a line of its own);
//! * a whole run that parses as dictionary surname + dictionary given name (`山田太郎`, also in
//!   file names), unless the negative lexicon lists it or it ends like a place;
//! * a kana reading in parentheses right after a name (`（ヤマダ タロウ）`);
//! * Latin names: a title (`Mr.`, `Dr.`) and capitalised words, census first + last names,
//!   romanised Japanese names in either order (`Taro Yamada`, `YAMADA Taro`).
//!
//! The dictionaries (`patterns/names/`) are looked up in hash tables only for these short
//! candidates, so the cost is one pass over the characters plus a few lookups per kanji run,
//! not an automaton walk of 50k entries over every byte.

use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::Deserialize;

use super::validate::{Validator, Verdict};
use super::{Candidate, Rule};

const SURNAMES: &str = include_str!("../../patterns/names/surnames.tsv");
const GIVEN: &str = include_str!("../../patterns/names/given.txt");
const GIVEN_KANA: &str = include_str!("../../patterns/names/given_kana.txt");
const ROMAJI_SURNAMES: &str = include_str!("../../patterns/names/romaji_surnames.txt");
const ROMAJI_GIVEN: &str = include_str!("../../patterns/names/romaji_given.txt");
const EN_FIRST: &str = include_str!("../../patterns/names/en_first.txt");
const EN_LAST: &str = include_str!("../../patterns/names/en_last.txt");
const DENY: &str = include_str!("../../patterns/names/deny.txt");
const CONFIG: &str = include_str!("../../patterns/names/names.toml");

/// A multiply-rotate hash (the Fx hash of rustc) for the short keys of the dictionaries:
/// several times cheaper than SipHash, and the keys are not attacker-chosen table sizes.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn mix(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(v));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fx>>;
type HashSet<K> = StdHashSet<K, BuildHasherDefault<Fx>>;

/// A set of characters of the Basic Multilingual Plane as a bitmap (8 KiB): one load and a
/// mask instead of a hash per lookup on the hot path.
#[derive(Debug)]
struct CharSet(Vec<u64>);

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(it: I) -> Self {
        let mut bits = vec![0u64; 1024];
        for c in it {
            let u = c as usize;
            if u < 0x10000 {
                bits[u >> 6] |= 1 << (u & 63);
            }
        }
        CharSet(bits)
    }
}

impl CharSet {
    fn contains(&self, c: char) -> bool {
        let u = c as usize;
        u < 0x10000 && self.0[u >> 6] & (1 << (u & 63)) != 0
    }
}

/// `patterns/names/names.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    honorifics: Vec<String>,
    titles: Vec<String>,
    deny_marked: Vec<String>,
    org_words: Vec<String>,
    place_suffixes: Vec<String>,
    self_intro: Vec<String>,
    list_labels: Vec<String>,
    en_titles: Vec<String>,
    en_deny: Vec<String>,
}

/// The name dictionaries and word lists, loaded once per process.
#[derive(Debug)]
pub struct Dict {
    surnames: HashMap<&'static str, &'static str>,
    given: HashSet<&'static str>,
    given_kana: HashSet<&'static str>,
    romaji_surnames: HashSet<&'static str>,
    romaji_given: HashSet<&'static str>,
    en_first: HashSet<&'static str>,
    en_last: HashSet<&'static str>,
    deny: HashSet<&'static str>,
    /// The first two characters of every surname of two or more: a run that starts with none
    /// of them cannot start with a surname of two or more.
    /// Keyed by [`pair_key`]: one multiply to hash, no string compare.
    prefix2: HashSet<u64>,
    /// Surname readings (katakana), for checking a reading against the name.
    surname_readings: HashSet<&'static str>,
    /// Kanji honorifics and titles read off the end of a run, longest first, with their reason.
    kanji_markers: Vec<(String, Marker)>,
    /// Honorifics that follow a run as kana (`さん`), longest first.
    kana_markers: Vec<(String, Marker)>,
    /// Last characters of the kanji markers and first characters of all markers: most runs
    /// are rejected on one set lookup.
    marker_last: CharSet,
    marker_first: CharSet,
    /// What may follow a run of one or two kanji for the run to be read at all: a space (a
    /// full name, a marker after a space), the first character of a marker, `で` (`です`) or
    /// the end of a list item. Other short runs are skipped on two set lookups.
    short_run_next: CharSet,
    deny_marked: HashSet<String>,
    /// Labels that head a line of names (出席者：…), with their reason.
    list_labels: Vec<(String, &'static str)>,
    org_words: Vec<String>,
    place_suffixes: HashSet<char>,
    en_titles: HashSet<String>,
    en_deny: HashSet<String>,
}

/// What follows a name and says it is one.
#[derive(Debug, Clone, Copy)]
struct Marker {
    score: f32,
    reason: &'static str,
}

fn lines(s: &'static str) -> impl Iterator<Item = &'static str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl Dict {
    fn load() -> Dict {
        let cfg: Config = toml::from_str(CONFIG).expect("patterns/names/names.toml is valid");
        let mut surnames = HashMap::default();
        let mut surname_readings = HashSet::default();
        for l in lines(SURNAMES) {
            let (k, r) = l.split_once('\t').unwrap_or((l, ""));
            surnames.insert(k, r);
            surname_readings.extend(r.split(',').filter(|r| r.chars().count() >= 2));
        }
        let prefix2 = surnames.keys().filter_map(|k: &&str| pair_key(k)).collect();
        let mut kanji_markers = Vec::new();
        let mut kana_markers = Vec::new();
        for (words, score, kind) in [(&cfg.honorifics, 0.85, "honorific"), (&cfg.titles, 0.8, "title")] {
            for w in words {
                let m = Marker { score, reason: leak(format!("{kind}:{w}")) };
                if w.chars().all(is_kanji) {
                    kanji_markers.push((w.clone(), m));
                } else {
                    kana_markers.push((w.clone(), m));
                }
            }
        }
        for w in &cfg.self_intro {
            kana_markers.push((w.clone(), Marker { score: 0.75, reason: leak(format!("self_intro:{w}")) }));
        }
        kanji_markers.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let marker_last = kanji_markers.iter().filter_map(|(w, _)| w.chars().next_back()).collect();
        let firsts: Vec<char> =
            kanji_markers.iter().chain(kana_markers.iter()).filter_map(|(w, _)| w.chars().next()).collect();
        let marker_first = firsts.iter().copied().collect();
        let short_run_next = firsts.into_iter().chain([' ', '\t', 'で']).chain(ITEM_ENDS).collect();
        kana_markers.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        Dict {
            surnames,
            given: lines(GIVEN).collect(),
            given_kana: lines(GIVEN_KANA).collect(),
            romaji_surnames: lines(ROMAJI_SURNAMES).collect(),
            romaji_given: lines(ROMAJI_GIVEN).collect(),
            en_first: lines(EN_FIRST).collect(),
            en_last: lines(EN_LAST).collect(),
            deny: lines(DENY).collect(),
            surname_readings,
            prefix2,
            kanji_markers,
            kana_markers,
            marker_last,
            marker_first,
            short_run_next,
            deny_marked: cfg.deny_marked.into_iter().collect(),
            list_labels: cfg.list_labels.iter().map(|w| (w.clone(), leak(format!("label:{w}")))).collect(),
            org_words: cfg.org_words,
            place_suffixes: cfg.place_suffixes.iter().filter_map(|s| s.chars().next()).collect(),
            en_titles: cfg.en_titles.iter().map(|s| s.to_ascii_lowercase()).collect(),
            en_deny: cfg.en_deny.into_iter().collect(),
        }
    }

    /// Whether `w` is a dictionary surname.
    pub fn is_surname(&self, w: &str) -> bool {
        self.surnames.contains_key(w)
    }

    /// Whether `w` is a dictionary given name (kanji).
    pub fn is_given(&self, w: &str) -> bool {
        self.given.contains(w)
    }

    fn latin_first(&self, lower: &str) -> bool {
        self.en_first.contains(lower) || self.romaji_given.contains(lower)
    }

    fn latin_last(&self, lower: &str) -> bool {
        self.en_last.contains(lower) || self.romaji_surnames.contains(lower)
    }

    /// The best parse of a kanji string as a name: surname, surname + given, surname + an
    /// unknown short given name. Higher is better; `None` when it is not a name.
    fn parse(&self, w: &str, allow_unknown: bool) -> Option<Parse> {
        let n = w.chars().count();
        if n == 0 || n > 7 {
            return None;
        }
        let mut best: Option<Parse> = None;
        let mut consider = |p: Parse| {
            if best.is_none_or(|b| p.quality > b.quality) {
                best = Some(p);
            }
        };
        if self.is_surname(w) {
            consider(Parse { quality: if n >= 2 { 2.0 } else { 1.0 }, given: Given::None, surname_chars: n });
        }
        for (i, (cut, _)) in w.char_indices().enumerate().skip(1).take(3) {
            let (sur, giv) = w.split_at(cut);
            if !self.is_surname(sur) {
                continue;
            }
            let gn = n - i;
            if self.is_given(giv) {
                let q = if i >= 2 && gn >= 2 { 2.5 } else { 1.5 };
                consider(Parse { quality: q, given: Given::Known, surname_chars: i });
            } else if allow_unknown && i >= 2 && gn <= 3 {
                consider(Parse { quality: 1.2, given: Given::Unknown, surname_chars: i });
            }
        }
        best
    }

    fn marker_at(&self, t: &str, pos: usize) -> Option<(usize, Marker)> {
        let rest = &t[pos..];
        if !rest.chars().next().is_some_and(|c| self.marker_first.contains(c)) {
            return None;
        }
        for (w, m) in &self.kana_markers {
            if rest.starts_with(w.as_str()) {
                return Some((pos + w.len(), *m));
            }
        }
        // A kanji honorific or title standing alone as the next run (`山田 太郎 様`).
        let end = pos + rest.char_indices().find(|(_, c)| !is_kanji(*c)).map_or(rest.len(), |(i, _)| i);
        if end > pos {
            let run = &t[pos..end];
            if let Some((_, m)) = self.kanji_markers.iter().find(|(w, _)| w == run) {
                return Some((end, *m));
            }
        }
        None
    }

    /// A kanji honorific or title ending `run` after at least one other character.
    fn marker_inside(&self, run: &str) -> Option<&(String, Marker)> {
        if !run.chars().next_back().is_some_and(|c| self.marker_last.contains(c)) {
            return None;
        }
        self.kanji_markers.iter().find(|(w, _)| run.len() > w.len() && run.ends_with(w.as_str()))
    }

    fn ends_like_place(&self, w: &str) -> bool {
        w.chars().next_back().is_some_and(|c| self.place_suffixes.contains(&c))
    }

    fn reading_ok(&self, reading: &str) -> Option<Verdict> {
        let kata: String = reading.chars().filter(|c| *c != ' ').map(to_katakana).collect();
        let n = kata.chars().count();
        if !(2..=16).contains(&n) || !kata.chars().all(|c| is_katakana(c) || c == 'ー') {
            return None;
        }
        let spaced = reading.trim().contains(' ');
        // A known surname reading at the start, and a given-name reading (or anything, when
        // spaced) after it.
        for (i, (cut, _)) in kata.char_indices().enumerate().skip(2) {
            if i > 6 {
                break;
            }
            let (sur, rest) = kata.split_at(cut);
            if self.surname_readings.contains(sur) {
                let rest_h: String = rest.chars().map(to_hiragana).collect();
                if rest.is_empty() || spaced || self.given_kana.contains(rest_h.as_str()) {
                    return Some(Verdict::Pass { bonus: 0.25, reason: "dict:reading" });
                }
            }
        }
        if self.surname_readings.contains(kata.as_str()) {
            return Some(Verdict::Pass { bonus: 0.2, reason: "dict:reading" });
        }
        // Loanwords carry long vowels and small vowels; a spaced pair without them may be a
        // reading the dictionary does not hold.
        let foreign = kata.chars().any(|c| matches!(c, 'ー' | 'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ヴ'));
        if spaced && !foreign {
            return Some(Verdict::Pass { bonus: 0.05, reason: "shape:reading" });
        }
        None
    }
}

#[derive(Debug, Clone, Copy)]
struct Parse {
    quality: f32,
    given: Given,
    surname_chars: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Given {
    None,
    Known,
    Unknown,
}

/// The dictionaries, loaded on first use.
pub fn dict() -> &'static Dict {
    static DICT: OnceLock<Dict> = OnceLock::new();
    DICT.get_or_init(Dict::load)
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4000}'..='\u{9FFF}' | '\u{3400}'..='\u{3FFF}' | '\u{F900}'..='\u{FAFF}' | '々' | 'ヶ' | '〆')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}')
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}')
}

fn is_kana(c: char) -> bool {
    is_hiragana(c) || is_katakana(c) || c == 'ー'
}

fn to_katakana(c: char) -> char {
    if is_hiragana(c) {
        char::from_u32(c as u32 + 0x60).unwrap_or(c)
    } else {
        c
    }
}

fn to_hiragana(c: char) -> char {
    if matches!(c, '\u{30A1}'..='\u{30F6}') {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    }
}

/// `i`, or the start of the character it falls inside.
fn floor_char(t: &str, mut i: usize) -> usize {
    while !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn char_after(t: &str, i: usize) -> Option<char> {
    t[i..].chars().next()
}

/// The name pass of one catalog: the rule ids it reports under.
#[derive(Debug)]
pub(super) struct Names {
    jp: usize,
    en: usize,
    reading: usize,
    person: &'static str,
    reading_category: &'static str,
    dict: &'static Dict,
}

impl Names {
    /// The pass, when the catalog has the rules it reports under.
    pub(super) fn new(rules: &[Rule]) -> Option<Names> {
        let find = |id: &str| rules.iter().position(|r| r.id == id);
        let (jp, en, reading) = (find("person_name_jp")?, find("person_name_en")?, find("name_reading")?);
        Some(Names {
            jp,
            en,
            reading,
            person: rules[jp].category,
            reading_category: rules[reading].category,
            dict: dict(),
        })
    }

    /// Adds the candidates of normalised text `t`.
    pub(super) fn detect(&self, t: &str, out: &mut Vec<Candidate>) {
        let b = t.as_bytes();
        // Kanji and kana start with E3–E9 (and EF for compatibility ideographs).
        if b.iter().any(|&x| (0xE3..=0xE9).contains(&x)) {
            self.japanese(t, out);
        }
        if b.iter().any(u8::is_ascii_uppercase) {
            self.latin(t, out);
        }
    }

    fn cand(&self, rule: usize, s: usize, e: usize, score: f32, reasons: Vec<&'static str>) -> Candidate {
        let category = if rule == self.reading { self.reading_category } else { self.person };
        Candidate { rule, category, start: s, end: e, score: score.min(0.99), reasons }
    }

    fn japanese(&self, t: &str, out: &mut Vec<Candidate>) {
        let runs = kanji_runs(t);
        let d = self.dict;
        let mut i = 0;
        while i < runs.len() {
            let (s, e) = runs[i];
            // One or two kanji (up to six bytes) followed by nothing a rule below reads, and not
            // ending in a marker: no pair, no marker, no full name (three kanji or more).
            if e - s <= 6
                && !t[s..e].chars().next_back().is_some_and(|c| d.marker_last.contains(c))
                && char_after(t, e).is_some_and(|c| !d.short_run_next.contains(c))
            {
                i += 1;
                continue;
            }
            // Everything before `done` has been read (a given name, a marker run).
            let mut done = e;
            if let Some((name_end, score, reasons, consumed)) = self.pair(t, &runs, i) {
                self.emit_jp(t, s, name_end, score, reasons, out);
                done = consumed;
            } else {
                let run = &t[s..e];
                // A kanji honorific or title at the end of the run, or a marker right after it.
                let mut core_end = e;
                let mut marker = None;
                if let Some((w, m)) = d.marker_inside(run) {
                    core_end = e - w.len();
                    marker = Some((e, *m));
                } else if let Some(m) = d.marker_at(t, skip_space(t, e, 1)) {
                    marker = Some(m);
                    done = m.0;
                }
                let core = &t[s..core_end];
                match marker {
                    Some((mend, m)) => {
                        if let Some((k, p)) = self.best_tail(core) {
                            let ns = s + k;
                            let before = &t[s..ns];
                            let marked = t[ns..mend].replace(' ', "");
                            let org = d.org_words.iter().any(|w| before.ends_with(w.as_str()));
                            let denied = d.deny_marked.contains(marked.as_str());
                            if !org && !denied {
                                let mut score = m.score;
                                if p.surname_chars == 1 && p.given == Given::None {
                                    score -= 0.25;
                                }
                                if p.given == Given::Unknown {
                                    score -= 0.05;
                                }
                                self.emit_jp(t, ns, core_end, score, vec![m.reason], out);
                            }
                        }
                    }
                    None if run.chars().count() >= 2
                        && t[e..].starts_with("です")
                        && (t[..s].ends_with('の') || s == 0 || t[..s].ends_with('\n'))
                        && d.is_surname(run) =>
                    {
                        // 営業部の田中です: a surname introducing its bearer.
                        self.emit_jp(t, s, e, 0.6, vec!["self_intro:です"], out);
                    }
                    None if self.after_role_label(t, s, e) => {
                        // 受付者：OP-208 木下, 担当 巡査部長 石原: a surname after a label.
                        self.emit_jp(t, s, e, 0.5, vec!["dict:surname"], out);
                    }
                    None => {
                        // The whole run is a dictionary surname + dictionary given name.
                        // Surname (2+) and given name (1+): 3 to 7 characters.
                        let n = run.chars().count();
                        let plausible = (3..=7).contains(&n) && pair_key(run).is_some_and(|k| d.prefix2.contains(&k));
                        if let Some(p) = plausible.then(|| d.parse(run, true)).flatten() {
                            let ok = !d.deny.contains(run) && !d.ends_like_place(run);
                            // One-kanji surname + given name without a space is mostly a
                            // word (見直, 前直): not read as a name without context.
                            if p.given == Given::Known && ok && p.surname_chars >= 2 {
                                let score = if p.quality >= 2.5 { 0.5 } else { 0.4 };
                                self.emit_jp(t, s, e, score, vec!["dict:full_name"], out);
                            } else if p.given == Given::Unknown && ok && file_name_part(t, s, e) {
                                // 井上結翔_履歴書.pdf: a name as one part of a file name.
                                self.emit_jp(t, s, e, 0.5, vec!["dict:surname", "context:file_name"], out);
                            }
                        }
                    }
                }
            }
            i += 1;
            while i < runs.len() && runs[i].0 < done {
                i += 1;
            }
        }
        self.same_names(t, &runs, out);
    }

    /// A surname confirmed once in a text (by a label, an honorific, a full name) makes its
    /// other occurrences names too: weak candidates with it gain, and bare runs that are
    /// exactly that surname (竹内です, 竹内まで) are reported.
    fn same_names(&self, t: &str, runs: &[(usize, usize)], out: &mut Vec<Candidate>) {
        let d = self.dict;
        let surname_of = |v: &str| -> Option<String> {
            if let Some((first, _)) = v.split_once(' ') {
                return Some(first.to_string());
            }
            let p = d.parse(v, true)?;
            Some(v.chars().take(p.surname_chars).collect())
        };
        let mut known: HashSet<String> = HashSet::default();
        for c in out.iter().filter(|c| c.category == self.person && c.score >= 0.5) {
            if let Some(s) = surname_of(&t[c.start..c.end]) {
                if s.chars().count() >= 2 && d.is_surname(&s) {
                    known.insert(s);
                }
            }
        }
        if known.is_empty() {
            return;
        }
        for c in out.iter_mut().filter(|c| c.rule == self.jp && c.score < 0.5) {
            if surname_of(&t[c.start..c.end]).is_some_and(|s| known.contains(&s)) {
                c.score += 0.25;
                c.reasons.push("context:same_name");
            }
        }
        let mut taken: Vec<(usize, usize)> =
            out.iter().filter(|c| c.category == self.person).map(|c| (c.start, c.end)).collect();
        taken.sort_unstable();
        // The longest span so far bounds how far back an overlapping span can start.
        let longest = taken.iter().map(|(a, b)| b - a).max().unwrap_or(0);
        // A long text confirms hundreds of surnames: their first characters go in a hash set,
        // not a list searched once per kanji run.
        let first: HashSet<char> = known.iter().filter_map(|k| k.chars().next()).collect();
        for &(s, e) in runs {
            if !t[s..].chars().next().is_some_and(|c| first.contains(&c)) || !known.contains(&t[s..e]) {
                continue;
            }
            let from = taken.partition_point(|&(a, _)| a + longest < s);
            let overlaps = taken[from..].iter().take_while(|&&(a, _)| a < e).any(|&(a, b)| a < e && s < b);
            if !overlaps {
                out.push(self.cand(self.jp, s, e, 0.6, vec!["dict:name", "context:same_name"]));
            }
        }
    }

    /// The best name at the end of `core`: (byte offset where it starts, parse).
    fn best_tail(&self, core: &str) -> Option<(usize, Parse)> {
        let mut best: Option<(usize, Parse, f32)> = None;
        let starts: Vec<usize> = core.char_indices().map(|(i, _)| i).collect();
        let n = starts.len();
        for (ci, &k) in starts.iter().enumerate() {
            if n - ci > 7 {
                continue;
            }
            let Some(p) = self.dict.parse(&core[k..], true) else { continue };
            // A one-kanji surname only when it is the whole run (林様, not 奥林様).
            if p.surname_chars == 1 && k > 0 {
                continue;
            }
            let q = p.quality + if k == 0 { 0.5 } else { 0.0 };
            if best.is_none_or(|b| q > b.2) {
                best = Some((k, p, q));
            }
        }
        best.map(|(k, p, _)| (k, p))
    }

    /// A full name written as surname run, space(s), given name; returns the end of the name,
    /// its score and reasons, and the end of what it read (a marker after the name).
    fn pair(&self, t: &str, runs: &[(usize, usize)], i: usize) -> Option<(usize, f32, Vec<&'static str>, usize)> {
        let d = self.dict;
        let (s, e) = runs[i];
        let gs = skip_space(t, e, 2);
        if gs == e {
            return None;
        }
        let sur = &t[s..e];
        if !d.is_surname(sur) {
            return None;
        }
        let one = sur.chars().count() == 1;
        let first = char_after(t, gs)?;
        let (ge, known) = if is_kanji(first) {
            let (rs, re) = *runs.get(i + 1)?;
            if rs != gs {
                return None;
            }
            let run = &t[rs..re];
            // `中島 先生`: the second run is the honorific itself, read by the caller.
            if d.kanji_markers.iter().any(|(w, _)| w == run) {
                return None;
            }
            // A title or honorific at the end of the given-name run (山田 太郎様).
            let (core_end, inner) = match d.marker_inside(run) {
                Some((w, m)) => (re - w.len(), Some(*m)),
                None => (re, None),
            };
            let given = &t[rs..core_end];
            let gn = given.chars().count();
            let known = d.is_given(given);
            if !known && !(1..=3).contains(&gn) {
                return None;
            }
            if let Some(m) = inner {
                let mut reasons = vec![m.reason];
                if !known {
                    reasons.push("shape:unknown_given");
                }
                return Some((core_end, m.score + 0.05, reasons, re));
            }
            (re, known)
        } else if is_hiragana(first) || is_katakana(first) {
            let ke = gs + t[gs..].char_indices().find(|(_, c)| !is_kana(*c)).map_or(t.len() - gs, |(i, _)| i);
            let kana: String = t[gs..ke].chars().map(to_hiragana).collect();
            // `田中 さん`: the kana is the honorific itself, read by the caller.
            if d.kana_markers.iter().any(|(w, _)| t[gs..].starts_with(w.as_str())) {
                return None;
            }
            // セツ子, フミ子: a kana given name closed by 子 (one kanji, then no more).
            let ko = t[ke..].starts_with('子') && !char_after(t, ke + '子'.len_utf8()).is_some_and(is_kanji);
            let with_ko = format!("{kana}こ");
            if ko && (d.given_kana.contains(kana.as_str()) || d.given_kana.contains(with_ko.as_str())) {
                (ke + '子'.len_utf8(), true)
            } else if d.given_kana.contains(kana.as_str()) {
                (ke, true)
            } else if (1..=4).contains(&kana.chars().count()) && d.marker_at(t, skip_space(t, ke, 1)).is_some() {
                // 佐藤 ゆあ様: a kana given name no list holds, closed by an honorific.
                (ke, false)
            } else {
                return None;
            }
        } else {
            return None;
        };
        let given = &t[gs..ge];
        if !known && d.ends_like_place(given) {
            return None;
        }
        let mut score: f32 = if known { 0.6 } else { 0.4 };
        let mut reasons = vec![if known { "dict:full_name" } else { "dict:surname" }];
        if one {
            score -= 0.1;
        }
        let mut consumed = ge;
        if let Some((mend, m)) = d.marker_at(t, skip_space(t, ge, 1)) {
            score = m.score + 0.05;
            reasons = vec![m.reason];
            consumed = mend;
        }
        Some((ge, score, reasons, consumed))
    }

    /// Reports a Japanese name with the context after it: a reading in parentheses, an e-mail
    /// address, a line of its own.
    fn emit_jp(
        &self,
        t: &str,
        s: usize,
        e: usize,
        mut score: f32,
        mut reasons: Vec<&'static str>,
        out: &mut Vec<Candidate>,
    ) {
        if let Some((rs, re, v)) = self.reading_after(t, e) {
            score += 0.3;
            reasons.push("context:reading");
            let mut rr = vec!["context:after_name"];
            let mut rscore = 0.75;
            if let Verdict::Pass { bonus, reason } = v {
                rscore += bonus;
                rr.push(reason);
            }
            out.push(self.cand(self.reading, rs, re, rscore, rr));
        }
        let line_end = t[e..].find('\n').map_or(t.len(), |i| e + i);
        let after = &t[e..floor_char(t, line_end.min(e + 120))];
        if after.trim_start().starts_with('<') || after.contains('@') {
            score += 0.15;
            reasons.push("context:email");
        } else if ["TEL", "Tel", "電話", "携帯"].iter().any(|w| after.contains(w))
            || after.bytes().filter(u8::is_ascii_digit).count() >= 10
        {
            score += 0.1;
            reasons.push("context:phone");
        }
        let line_start = t[..s].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &t[line_start..s];
        if prefix.trim().is_empty() && t[e..line_end].trim().is_empty() {
            score += 0.1;
            reasons.push("context:own_line");
        }
        if score < 0.8 {
            if let Some(r) = self.list_label(prefix) {
                score += 0.25;
                reasons.push(r);
            }
        }
        if score >= 0.3 {
            reasons.insert(0, "dict:name");
            out.push(self.cand(self.jp, s, e, score, reasons));
        }
    }

    /// A list label heading the line before a name (`出席者：`), used as a label: a separator
    /// right after it and no sentence end between it and the name.
    fn list_label(&self, prefix: &str) -> Option<&'static str> {
        // A label must be followed by one of the separators, so a prefix without any has none.
        if !prefix.contains([':', '：', ' ', '\t', '　']) {
            return None;
        }
        self.dict.list_labels.iter().find_map(|(w, r)| {
            let (_, rest) = prefix.split_once(w.as_str())?;
            let sep = rest.starts_with([':', '：', ' ', '\t', '　']);
            (sep && !rest.contains('。')).then_some(*r)
        })
    }

    /// Whether the run `s..e` is a surname alone after a list label of its line (`作成者：`):
    /// the run ends the line or a list item, and a one-kanji surname must follow the label
    /// directly.
    fn after_role_label(&self, t: &str, s: usize, e: usize) -> bool {
        let run = &t[s..e];
        // Cheapest test first: most runs are followed by kana, not by the end of an item.
        let ends_item = char_after(t, e).is_none_or(|c| ITEM_ENDS.contains(&c));
        if !ends_item || !self.dict.is_surname(run) {
            return false;
        }
        let line_start = t[..s].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &t[line_start..s];
        if self.list_label(prefix).is_none() {
            return false;
        }
        run.chars().count() >= 2
            || self
                .dict
                .list_labels
                .iter()
                .any(|(w, _)| prefix.trim_end_matches([':', '：', ' ', '\t']).ends_with(w.as_str()))
    }

    /// A kana reading in parentheses right after a name: (start, end, verdict).
    fn reading_after(&self, t: &str, e: usize) -> Option<(usize, usize, Verdict)> {
        let mut p = skip_space(t, e, 1);
        // 河野 大輔 様（コウノ ダイスケ）: the reading may follow the honorific.
        for h in ["様", "さん", "殿"] {
            if t[p..].starts_with(h) {
                p = skip_space(t, p + h.len(), 1);
                break;
            }
        }
        let open = char_after(t, p)?;
        if open != '(' && open != '（' {
            return None;
        }
        let inner_start = p + open.len_utf8();
        let close = t[inner_start..].char_indices().take(20).find(|(_, c)| *c == ')' || *c == '）')?.0 + inner_start;
        let inner = &t[inner_start..close];
        let rs = inner_start + (inner.len() - inner.trim_start().len());
        let re = inner_start + inner.trim_end().len();
        if rs >= re || !t[rs..re].chars().all(|c| is_kana(c) || c == ' ') {
            return None;
        }
        let v = self.dict.reading_ok(&t[rs..re]).unwrap_or(Verdict::Pass { bonus: 0.0, reason: "shape:kana" });
        Some((rs, re, v))
    }

    fn latin(&self, t: &str, out: &mut Vec<Candidate>) {
        let d = self.dict;
        let words = latin_words(t, &d.en_titles);
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            // A title opens a name: `Mr. John A. Doe`, `Dr. Suzuki`.
            let titled = d.en_titles.contains(&w.lower) && w.cap;
            let from = if titled { i + 1 } else { i };
            let mut j = from;
            let mut parts: Vec<usize> = Vec::new();
            while j < words.len() && parts.len() < 4 {
                let x = &words[j];
                if !(x.cap || x.upper || x.initial) || (j > from && !words[j - 1].spaced_to_next) {
                    break;
                }
                if j > from && x.initial && parts.len() >= 2 {
                    break;
                }
                parts.push(j);
                if !x.spaced_to_next {
                    break;
                }
                j += 1;
            }
            // Titles must touch the name.
            if titled && (!w.spaced_to_next || parts.is_empty()) {
                i += 1;
                continue;
            }
            let full: Vec<&Word> = parts.iter().map(|&k| &words[k]).filter(|x| !x.initial).collect();
            if full.is_empty() || full.len() > 3 || (!titled && full.len() < 2) {
                i += 1;
                continue;
            }
            if full.iter().any(|x| d.en_deny.contains(&x.lower))
                || parts.iter().any(|&k| words[k].initial) && full.len() < 2
            {
                i += 1;
                continue;
            }
            let (first, last) = (full[0], full[full.len() - 1]);
            let mut score;
            let mut reasons: Vec<&'static str> = Vec::new();
            let fwd = d.latin_first(&first.lower) && d.latin_last(&last.lower);
            let rev = (last.upper || first.upper) && d.latin_last(&first.lower) && d.latin_first(&last.lower);
            let jp_rev =
                d.romaji_surnames.contains(first.lower.as_str()) && d.romaji_given.contains(last.lower.as_str());
            if titled {
                score = if d.latin_first(&first.lower) || d.latin_last(&last.lower) { 0.85 } else { 0.6 };
                reasons.push("title");
            } else if fwd || rev || jp_rev {
                score = if first.upper || last.upper { 0.65 } else { 0.55 };
                reasons.push("dict:full_name");
            } else {
                i += 1;
                continue;
            }
            if full.len() == 3 && !titled {
                score -= 0.1;
            }
            if parts.iter().any(|&k| words[k].initial) {
                score += 0.1;
                reasons.push("shape:initial");
            }
            let s = first.start;
            let e = words[*parts.last().unwrap_or(&i)].end;
            // Capitalised words on either side: a title-case heading, not a name.
            let prev_cap = from > 0
                && words[from - 1].spaced_to_next
                && words[from - 1].end + 1 == words[from].start
                && (words[from - 1].cap || words[from - 1].upper)
                && !titled
                && words[from - 1].lower != "dear";
            let next_cap = parts
                .last()
                .is_some_and(|&k| words[k].spaced_to_next && words.get(k + 1).is_some_and(|x| x.cap || x.upper));
            if prev_cap || next_cap {
                score -= 0.2;
            }
            // A house number before it: a street (1600 Farley Freeway).
            if t[..s].trim_end_matches([' ', '\t']).ends_with(|c: char| c.is_ascii_digit()) {
                i = parts.last().map_or(i, |&k| k) + 1;
                continue;
            }
            let before = t[..s].trim_end().as_bytes();
            if before.len() >= 4 && before[before.len() - 4..].eq_ignore_ascii_case(b"dear") {
                score += 0.2;
                reasons.push("context:dear");
            }
            let line_end = t[e..].find('\n').map_or(t.len(), |k| e + k);
            let after = &t[e..floor_char(t, line_end.min(e + 80))];
            if after.trim_start().starts_with('<') || after.contains('@') {
                score += 0.15;
                reasons.push("context:email");
            }
            if score >= 0.3 {
                reasons.insert(0, "dict:name");
                out.push(self.cand(self.en, s, e, score, reasons));
            }
            i = parts.last().map_or(i, |&k| k) + 1;
        }
    }
}

/// Whether the run `s..e` is one part of a file name (`井上結翔_履歴書.pdf`, `見積_山田.xlsx`).
fn file_name_part(t: &str, s: usize, e: usize) -> bool {
    let before = t[..s].chars().next_back();
    let after = char_after(t, e);
    let open = matches!(before, None | Some('_' | '/' | '-'));
    let close = matches!(after, None | Some('_' | '.' | '-' | '/'));
    open && close && [before, after].iter().any(|c| matches!(c, Some('_' | '/')))
}

/// The first two characters of `w` as one number (`None` for fewer than two).
fn pair_key(w: &str) -> Option<u64> {
    let mut cs = w.chars();
    let (a, b) = (cs.next()?, cs.next()?);
    Some(u64::from(a as u32) << 32 | u64::from(b as u32))
}

/// What ends an item of a list of names (`作成者：木下`, `木下、佐藤`).
const ITEM_ENDS: [char; 11] = ['\n', '\r', ' ', '\t', '、', ',', ')', '）', '・', '／', '/'];

fn skip_space(t: &str, mut i: usize, max: usize) -> usize {
    let mut n = 0;
    while n < max && matches!(char_after(t, i), Some(' ' | '\t')) {
        i += 1;
        n += 1;
    }
    i
}

/// Maximal runs of kanji (with 々 ヶ 〆), as byte ranges. Works on bytes: a lead byte E4–E9
/// is a CJK ideograph (U+4000–U+9FFF); only E3 and EF lead bytes are decoded.
fn kanji_runs(t: &str) -> Vec<(usize, usize)> {
    let b = t.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        if start.is_none() {
            // Outside a run, only a lead byte E3 or above can start one: skip the rest
            // (ASCII, two-byte characters, E0–E2 and continuation bytes) at once.
            match b[i..].iter().position(|&x| x >= 0xE3) {
                Some(k) => i += k,
                None => break,
            }
        }
        let x = b[i];
        let (len, kanji) = match x {
            0x00..=0x7F => (1, false),
            0xC0..=0xDF => (2, false),
            0xE4..=0xE9 => (3, true),
            // U+3400–U+3FFF (E3 90–BF), 々 〆 (E3 80 85/86), ヶ (E3 83 B6); kana and
            // punctuation are the rest of E3.
            0xE3 => {
                let (b1, b2) = (b.get(i + 1).copied().unwrap_or(0), b.get(i + 2).copied().unwrap_or(0));
                (3, b1 >= 0x90 || (b1 == 0x80 && (b2 == 0x85 || b2 == 0x86)) || (b1 == 0x83 && b2 == 0xB6))
            }
            // U+F900–U+FAFF: EF A4–AB.
            0xEF => (3, (0xA4..=0xAB).contains(&b.get(i + 1).copied().unwrap_or(0))),
            0xE0..=0xEF => (3, false),
            _ => (4, t[i..].chars().next().is_some_and(is_kanji)),
        };
        match (kanji, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        out.push((s, t.len()));
    }
    out
}

#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    lower: String,
    /// `Xxxx`.
    cap: bool,
    /// `XXXX` (two letters or more).
    upper: bool,
    /// `X.` or `X`.
    initial: bool,
    /// Followed by one space (or `. ` after a title / initial) and another word.
    spaced_to_next: bool,
}

/// Latin words (ASCII letters, `'` and `-` inside) with explicit boundaries: no ASCII letter or
/// digit may touch a word.
fn latin_words(t: &str, titles: &HashSet<String>) -> Vec<Word> {
    let b = t.as_bytes();
    let mut out: Vec<Word> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Names are read from capitalised words only: jump to the next upper-case letter.
        match b[i..].iter().position(u8::is_ascii_uppercase) {
            Some(p) => i += p,
            None => break,
        }
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        let s = i;
        while i < b.len()
            && (b[i].is_ascii_alphabetic()
                || ((b[i] == b'\'' || b[i] == b'-') && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)))
        {
            i += 1;
        }
        if i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            continue;
        }
        let w = &t[s..i];
        let first_up = b[s].is_ascii_uppercase();
        let letters = w.bytes().filter(u8::is_ascii_alphabetic).count();
        let dot = b.get(i) == Some(&b'.');
        let initial = letters == 1 && first_up;
        // `O'Connor`, `McDonald`, `DeAngelo` are capitalised too: some lower case after a capital.
        let cap = first_up && letters >= 2 && w.bytes().any(|c| c.is_ascii_lowercase());
        let upper = letters >= 2 && w.bytes().all(|c| !c.is_ascii_lowercase());
        // `Mr. ` / `A. ` keep the dot; the next word must follow one space later.
        let mut after = i;
        // Only capitalised words are looked up: skip the allocation for the rest.
        let lower = if first_up { w.to_ascii_lowercase() } else { String::new() };
        if dot && (initial || titles.contains(&lower)) {
            after += 1;
        }
        let spaced = b.get(after) == Some(&b' ') && b.get(after + 1).is_some_and(u8::is_ascii_uppercase);
        let end = if initial && dot { i + 1 } else { i };
        out.push(Word { start: s, end, lower, cap, upper, initial, spaced_to_next: spaced });
    }
    out
}

/// Whether a table cell reads as a person's name or its reading: two words of kanji or kana
/// separated by a space, the first a dictionary surname or a kana word.
pub fn reads_as_name(cell: &str) -> bool {
    let mut parts = cell.split(' ').filter(|p| !p.is_empty());
    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let kana = |w: &str| w.chars().count() >= 2 && w.chars().all(is_kana);
    let kanji = |w: &str| w.chars().count() <= 4 && w.chars().all(is_kanji);
    (dict().is_surname(a) || kana(a)) && (kanji(b) || kana(b))
}

/// Validators for the labelled rules of `patterns/person_name.toml`.
pub const VALIDATORS: &[(&str, Validator)] =
    &[("person_name_jp", person_name_jp), ("person_name_en", person_name_en), ("name_reading", name_reading)];

/// A kanji name under a label: a dictionary surname (+ given name), or two short parts.
fn person_name_jp(v: &str) -> Verdict {
    let d = dict();
    let parts: Vec<&str> = v.split(' ').filter(|p| !p.is_empty()).collect();
    let whole: String = parts.concat();
    // Organisation words of two characters or more anywhere (株式会社); the one-character ones
    // (市, 村) also end surnames (中村), so places are left to `ends_like_place` below.
    if d.org_words.iter().any(|w| w.chars().count() >= 2 && whole.contains(w.as_str()))
        || d.kanji_markers.iter().any(|(w, _)| whole.ends_with(w.as_str()) && whole.len() > w.len())
    {
        return Verdict::Fail;
    }
    match parts.as_slice() {
        [sur, giv] => {
            if d.is_surname(sur) {
                Verdict::Pass { bonus: 0.3, reason: "dict:surname" }
            } else if sur.chars().count() <= 3
                && giv.chars().count() <= 3
                && !d.ends_like_place(giv)
                && !d.ends_like_place(sur)
            {
                Verdict::Pass { bonus: 0.05, reason: "shape:two_part" }
            } else {
                Verdict::Fail
            }
        }
        [one] if d.ends_like_place(one) && !d.is_surname(one) => Verdict::Fail,
        [one] => match d.parse(one, true) {
            Some(p) if p.given == Given::Known => Verdict::Pass { bonus: 0.3, reason: "dict:full_name" },
            Some(p) if p.given == Given::Unknown && !d.ends_like_place(one) => {
                Verdict::Pass { bonus: 0.15, reason: "dict:surname" }
            }
            // A one-kanji surname alone (担当：林) is weak evidence.
            Some(p) if p.surname_chars == 1 => Verdict::Pass { bonus: -0.1, reason: "dict:surname" },
            Some(_) => Verdict::Pass { bonus: 0.25, reason: "dict:surname" },
            None => Verdict::Fail,
        },
        _ => Verdict::Fail,
    }
}

/// A Latin name under a label: no place or company word, and one part a known name.
fn person_name_en(v: &str) -> Verdict {
    let d = dict();
    let words: Vec<String> = v.split([' ', '.']).filter(|w| w.len() > 1).map(str::to_ascii_lowercase).collect();
    if words.is_empty() || words.iter().any(|w| d.en_deny.contains(w)) {
        return Verdict::Fail;
    }
    if words.iter().any(|w| d.latin_first(w) || d.latin_last(w)) {
        Verdict::Pass { bonus: 0.25, reason: "dict:name" }
    } else {
        Verdict::Fail
    }
}

/// A kana reading: a known surname reading at its start, or a spaced pair without loanword
/// marks.
fn name_reading(v: &str) -> Verdict {
    dict().reading_ok(v).unwrap_or(Verdict::Fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_load() {
        let d = dict();
        assert!(d.is_surname("山田") && d.is_surname("佐藤"));
        assert!(d.is_given("太郎"));
        assert!(!d.is_given("陽葵"), "the corpus relies on 陽葵 being unknown");
        assert!(d.en_first.contains("jennifer") && d.en_last.contains("smith"));
        assert!(d.romaji_surnames.contains("yamada") && d.romaji_given.contains("taro"));
    }

    #[test]
    fn never_panics_on_mixed_text() {
        let c = crate::detect::Catalog::builtin().unwrap();
        let alphabet: Vec<char> =
            "山田太郎佐藤様さんの部長 　（）()ヤマダタロウやまだ<@>\n_.-:：、。JohnSmithMrDr. A1あ々ー"
                .chars()
                .collect();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(x % 200) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let _ = c.detect(&s, None);
            let _ = c.detect(&s, Some("氏名"));
        }
    }

    #[test]
    fn tails_prefer_whole_runs() {
        let n =
            Names { jp: 0, en: 1, reading: 2, person: "person_name", reading_category: "name_reading", dict: dict() };
        let (k, _) = n.best_tail("本日田中").unwrap();
        assert_eq!(&"本日田中"[k..], "田中");
        let (k, _) = n.best_tail("佐藤陽葵").unwrap();
        assert_eq!(k, 0);
    }
}
