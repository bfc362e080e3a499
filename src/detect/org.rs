//! Employer, department, job title and occupation: the `code` rules of patterns/employer.toml,
//! job_title.toml and occupation.toml.
//!
//! These words are everywhere in business prose, so a term alone reports nothing. A finding
//! needs one of:
//! - a label (`勤務先：`, `Job Title:`) or a labelled column: the whole value;
//! - a signature block: a short line of company, department and title words within four
//!   lines of a phone, fax or e-mail line, or within three of a line that is a person's name
//!   (quoted replies too);
//! - a person the name pass found right beside it (`株式会社サンプル 総務課 松井 千尋`,
//!   `服部さん（ABCホールディングス）`, `株式会社サンプルの石川です`, `新：営業本部 本部長`);
//! - a résumé history line (`2015年4月 株式会社サンプル 入社`, `…に配属`, `…として勤務`);
//! - for a title, a surname right before it (`佐藤部長`; the name itself is `person_name`'s);
//! - in English prose, a possessive (`your employer, X Hospital,`).

use regex_automata::Input;

use super::address::{within, CodeRules};
use super::{Candidate, Catalog, Column, Hit, Kind};

mod why {
    pub const SIGNATURE: &str = "context:signature_block";
    pub const HISTORY: &str = "context:career_history";
    pub const SURNAME: &str = "context:surname_title";
    pub const TERM: &str = "term";
    pub const BESIDE: &str = "context:beside_person";
    pub const POSSESSIVE: &str = "context:possessive_employer";
}

/// Words that end a résumé history line.
const HISTORY_VERBS: &[&str] = &[
    "入社",
    "入学",
    "卒業",
    "退社",
    "退職",
    "入職",
    "配属",
    "異動",
    "昇進",
    "昇格",
    "転籍",
    "修了",
    "就職",
    "在籍中",
    "在学中",
    "現在に至る",
    "勤務",
    "従事",
    "就業",
];

/// Verb phrases written onto the department of a history line (`システム開発部に配属`).
const POSTING_SUFFIXES: &[&str] = &[
    "に配属",
    "へ配属",
    "に異動",
    "へ異動",
    "に転属",
    "へ転属",
    "に出向",
    "へ出向",
    "に着任",
    "に転籍",
    "へ転籍",
    "にて",
    "に勤務",
    "で勤務",
];

/// What follows `として` when it names the work a person did (`プログラマーとして勤務`).
const AS_VERBS: &[&str] = &["勤務", "従事", "就業", "入社", "配属", "採用", "勤める", "勤め", "働"];

/// Closing lines that open an English signature (`Sincerely,` then name and title).
const VALEDICTIONS: &[&str] =
    &["Sincerely", "Best regards", "Kind regards", "Regards", "Best", "Yours truly", "Respectfully"];

/// Headings of the history sections of a résumé or CV.
const HISTORY_HEADINGS: &[&str] = &[
    "職歴",
    "学歴",
    "職務経歴",
    "学歴・職歴",
    "職歴・学歴",
    "経歴",
    "Experience",
    "Work Experience",
    "Professional Experience",
    "Employment",
    "Employment History",
    "Work History",
    "Education",
];

fn is_history_heading(line: &str) -> bool {
    let heading = line.trim_start_matches(['#', ' ', '■', '【']).trim_end_matches(['】', ':', ' ']);
    heading.len() <= 32 && HISTORY_HEADINGS.iter().any(|h| heading.eq_ignore_ascii_case(h))
}

/// Company-form words written apart from the name (`株式会社 サンプル`).
const FORM_PREFIXES: &[&str] = &["株式会社", "有限会社", "合同会社", "(株)", "(有)", "(同)"];

/// Characters that may end a department and could end a surname too (阿部, 服部): such a
/// token needs three characters.
fn is_kanji(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々' || c == '〆'
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Company,
    Department,
    Title,
    Other,
}

impl Catalog {
    /// A candidate of code rule `r` over `start..end`: the rule's score plus `bonus`, its own
    /// reason and `why`.
    fn code_candidate(&self, r: usize, start: usize, end: usize, bonus: f32, why: &'static str) -> Candidate {
        let rule = &self.rules[r];
        Candidate {
            rule: r,
            category: rule.category,
            start,
            end,
            score: rule.syntax.score + bonus,
            reasons: vec![rule.reason, why],
        }
    }

    pub(super) fn org_rules(
        &self,
        ids: &CodeRules,
        t: &str,
        hits: &[Hit],
        mine: &[Hit],
        col: &Column,
        out: &mut Vec<Candidate>,
    ) {
        // The people the name pass found (medium or above): what the rules below tie
        // companies and titles to.
        let mut persons: Vec<(usize, usize)> =
            out.iter().filter(|c| c.category == "person_name" && c.score >= 0.5).map(|c| (c.start, c.end)).collect();
        persons.sort_unstable();
        persons.dedup();
        // `Title` and `Position` say little: under them only a listed title counts.
        for (r, weak_needs_term) in
            [(ids.employer, false), (ids.department, false), (ids.title, true), (ids.occupation, false)]
        {
            if let Some(r) = r {
                self.labelled_values(ids, r, weak_needs_term, t, hits, mine, col, &persons, out);
            }
        }
        if ids.employer.is_some() || ids.department.is_some() || ids.title.is_some() {
            self.blocks(ids, t, hits, mine, &persons, out);
            if !persons.is_empty() {
                self.beside_persons(ids, t, hits, &persons, out);
            }
        }
        if let Some(r) = ids.title {
            self.surname_titles(r, t, mine, out);
        }
        if let Some(r) = ids.employer {
            self.possessive_employer(r, t, mine, out);
        }
    }

    fn has_term(&self, r: usize, hits: &[Hit], s: usize, e: usize) -> bool {
        within(hits, s, e).iter().any(|h| self.uses(h.word, r, Kind::Term))
    }

    /// Values under the rule's labels and in its columns. An English label (`Title`,
    /// `Position`) of a rule that asks for it counts only when the value holds one of the
    /// rule's terms.
    #[allow(clippy::too_many_arguments)]
    fn labelled_values(
        &self,
        ids: &CodeRules,
        r: usize,
        weak_needs_term: bool,
        t: &str,
        hits: &[Hit],
        mine: &[Hit],
        col: &Column,
        persons: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        let rule = &self.rules[r];
        let syn = &rule.syntax;
        // A one-word English label (`Title`, `Position`) is weak; `Job Title` is not.
        let weak = |w: usize| self.words[w].ascii_start && !self.words[w].text.contains(' ');
        let mut values: Vec<(usize, usize, &'static str, bool)> = Vec::new();
        for h in mine {
            if !self.uses(h.word, r, Kind::Label) {
                continue;
            }
            if syn.deny.iter().any(|w| t[..h.start].ends_with(w.as_str())) {
                continue;
            }
            // A trade name (商号) is a person's employer only in a party block that names a
            // person (代表取締役 山田 太郎), not in a company profile.
            if PARTY_LABELS.contains(&self.words[h.word].text.as_str()) && !person_within_lines(t, h.start, persons, 4)
            {
                continue;
            }
            if let Some((s, e)) = self.label_value(t, h, hits) {
                values.push((s, e, self.words[h.word].reasons.label, weak(h.word)));
            }
        }
        if let Some((_, w)) = col.find(r, |k| k == Kind::Label) {
            let s = t.len() - t.trim_start().len();
            let e = t.trim_end().len();
            if e > s && t[s..e].chars().count() <= 60 && !t[s..e].contains('\n') {
                values.push((s, e, self.words[w].reasons.column, weak(w)));
            }
        }
        for (s, e, why_label, ascii) in values {
            let mut e = s + cut_value(&t[s..e], rule.category == "employer").len();
            if t[s..e].is_empty() {
                continue;
            }
            // 所属：営業部 課長: a title after the employer is the person's title, not part of
            // the employer.
            if rule.category == "employer" && !t[s..e].is_ascii() {
                let parts = pieces(t, s, e);
                if let (Some(&(a, b)), Some(tr)) = (parts.last(), ids.title) {
                    let split = if parts.len() >= 2 && self.classify(ids, a, b, &t[a..b], hits) == Tok::Title {
                        Some(a)
                    } else {
                        self.department_before_title(ids, t, a, b, hits)
                    };
                    if let Some(at) = split {
                        out.push(self.code_candidate(tr, at, b, 0.1, why_label));
                        e = t[..at].trim_end().len();
                    }
                }
            }
            let v = &t[s..e];
            if rule.regex.is_match(Input::new(v)) {
                continue;
            }
            let term = self.has_term(r, mine, s, e);
            if ascii && weak_needs_term && !term {
                continue;
            }
            let mut score = syn.score + syn.label_boost;
            let mut reasons = vec![rule.reason, why_label];
            if term {
                score += 0.1;
                reasons.push(why::TERM);
            }
            out.push(Candidate { rule: r, category: rule.category, start: s, end: e, score: score.min(0.99), reasons });
        }
    }

    /// Signature blocks and résumé history lines.
    fn blocks(
        &self,
        ids: &CodeRules,
        t: &str,
        hits: &[Hit],
        mine: &[Hit],
        persons: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        // Only texts with a company, department or title word get this far.
        let org_term = |h: &Hit| {
            [ids.employer, ids.department, ids.title].iter().flatten().any(|&r| self.uses(h.word, r, Kind::Term))
        };
        if !mine.iter().any(org_term) {
            return;
        }
        // Line starts (a SIMD pass for newlines); only lines within four of a company or title
        // word are looked at (a department alone, 総務部 山田様, is read by its suffix there).
        let mut starts: Vec<usize> = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', t.as_bytes()).map(|i| i + 1));
        let n = starts.len();
        // A line without the quote marks of a reply (`> `).
        let line = |i: usize| {
            let (s, e) = (starts[i], if i + 1 < n { starts[i + 1] - 1 } else { t.len() });
            (s + quote_len(&t[s..e]), e)
        };
        let text_of = |i: usize| t[line(i).0..line(i).1].trim();
        let line_of = |pos: usize| starts.partition_point(|&s| s <= pos) - 1;
        let org_lines: Vec<usize> = mine.iter().filter(|h| org_term(h)).map(|h| line_of(h.start)).collect();
        let mut candidates: Vec<usize> = Vec::new();
        for &i in &org_lines {
            let from = i.saturating_sub(4).max(candidates.last().map_or(0, |&l| l + 1));
            candidates.extend(from..=(i + 4).min(n - 1));
        }
        // Whether a line holds contact data, worked out only around candidate lines.
        let mut contact: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
        let mut named: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
        let mut title_line: Option<usize> = None;
        for i in candidates {
            let (ls, le) = line(i);
            let line_text = &t[ls..le];
            let trimmed = line_text.trim();
            // A Markdown table row reads like a line of its cells.
            let trimmed = trimmed.trim_matches(['|', ' ']);
            // Prose, lists (、) and headings or bullets (■ 【 ・) are not signature lines.
            if trimmed.is_empty()
                || trimmed.len() > 240 && trimmed.chars().count() > 80
                || trimmed.contains(['。', '、'])
                || trimmed.starts_with(['■', '□', '●', '◆', '【', '・', '※', '*', '#', '>'])
            {
                continue;
            }
            let line_hits = within(hits, ls, le);
            // A labelled line is the label rules' business (振込先：… 銀行 is a bank account);
            // phone and e-mail labels may share a signature line.
            // A bank line (引落口座 八十二銀行 上田支店 普通) names a bank, not an employer: a
            // bank-account label on the line (not `銀行` or `Bank` themselves, which are company
            // words too).
            let labelled = line_hits.iter().any(|h| {
                let field = t[h.end..le].trim_start().starts_with(':');
                let company = ids.employer.is_some_and(|r| self.uses(h.word, r, Kind::Term));
                self.words[h.word].uses.iter().any(|&(r, k)| {
                    let category = self.rules[r].category;
                    (k == Kind::Label
                        && (self.rules[r].syntax.trigger == super::rule::Trigger::Code
                            || field && !matches!(category, "phone" | "fax" | "email")))
                        || category == "bank_account" && k == Kind::Label && !company
                })
            });
            // Any other `field: value` line is that field's (金融機関：みずほ銀行, Subject: …),
            // unless the field names a person or a phone (担当：営業部 山田, TEL：…).
            let field =
                trimmed.split_once(':').map(|(f, _)| f.trim()).filter(|f| !f.is_empty() && f.chars().count() <= 12);
            let person_field = field.is_some_and(|f| {
                ids.employer.is_some_and(|r| self.rules[r].syntax.context.iter().any(|w| f.ends_with(w.as_str())))
                    || within(hits, ls, le).iter().any(|h| {
                        h.end <= ls + line_text.find(':').unwrap_or(0)
                            && self.words[h.word].uses.iter().any(|&(r, k)| {
                                matches!(k, Kind::Label | Kind::Reclass(_))
                                    && matches!(self.rules[r].category, "phone" | "fax" | "email")
                            })
                    })
            });
            if labelled || field.is_some() && !person_field {
                continue;
            }
            // Under a 職歴 / EXPERIENCE heading: a heading above, with no blank line between
            // (one blank line right after the heading is allowed).
            let section = || {
                let mut j = i;
                let mut blank = false;
                let mut found = false;
                while j > 0 && i - j < 40 {
                    j -= 1;
                    let l = text_of(j);
                    if l.is_empty() {
                        if blank {
                            break;
                        }
                        blank = true;
                    } else if is_history_heading(l) {
                        // A blank line may follow the heading, nowhere else.
                        found = !blank || text_of(j + 1).is_empty();
                        break;
                    } else if blank {
                        break;
                    }
                }
                found
            };
            let history =
                HISTORY_VERBS.iter().any(|v| trimmed.trim_end_matches(['。', '.', ' ']).ends_with(v)) || section();
            let near = !history
                && ((i.saturating_sub(4)..=(i + 4).min(n - 1))
                    .any(|j| *contact.entry(j).or_insert_with(|| self.is_contact_line(t, line(j).0, line(j).1, hits)))
                    // Or a line that is a person's name (with a title or a reading) in the same
                    // block, three lines at most away, no blank line between.
                    || (i.saturating_sub(3)..=(i + 3).min(n - 1)).any(|j| {
                        (j.min(i)..=j.max(i)).all(|k| !text_of(k).is_empty())
                            && *named.entry(j).or_insert_with(|| self.is_name_line(ids, t, line(j).0, line(j).1, hits, persons))
                    }));
            if !history && !near {
                continue;
            }
            let reason = if history { why::HISTORY } else { why::SIGNATURE };
            if line_text.is_ascii() {
                // A line right under a title line may be the company (`Leasing Director` then
                // `Example Property Management`).
                let above = title_line == Some(i.wrapping_sub(1));
                if self.english_line(ids, t, ls, le, mine, persons, above, reason, out) {
                    title_line = Some(i);
                }
            } else {
                self.japanese_line(ids, t, ls, le, hits, reason, history, out);
            }
        }
    }

    /// A line with an e-mail address, or a phone, fax or e-mail label, or a phone-length
    /// hyphenated number.
    fn is_contact_line(&self, t: &str, s: usize, e: usize, hits: &[Hit]) -> bool {
        let line = &t[s..e];
        let b = line.as_bytes();
        if memchr::memchr(b'@', b).is_some() {
            return true;
        }
        let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
        if digits >= 10 && has_phone_shape(line) {
            return true;
        }
        if digits >= 6
            && within(hits, s, e).iter().any(|h| {
                self.words[h.word].uses.iter().any(|&(r, k)| {
                    matches!(k, Kind::Label | Kind::Reclass(_))
                        && matches!(self.rules[r].category, "phone" | "fax" | "email")
                })
            })
        {
            return true;
        }
        // A person addressed by name (山田 太郎 様) in a letter's address block, or the closing
        // line of an English letter.
        let trimmed = line.trim();
        if trimmed.len() > 60 {
            return false;
        }
        (trimmed.ends_with(['様', '殿']) && trimmed.chars().count() <= 20)
            || VALEDICTIONS.iter().any(|v| trimmed.trim_end_matches([',', '.']) == *v)
    }

    /// A token of a signature or history line: a company word inside it, a title at its end
    /// (from the automaton's hits), or a department suffix at its end (as a string: the
    /// one-character suffixes 部, 課 … are not in the automaton).
    fn classify(&self, ids: &CodeRules, s: usize, e: usize, tok: &str, hits: &[Hit]) -> Tok {
        // A bracketed heading or subject (【株式会社サンプル】会員登録…) is not a name.
        if tok.contains(['【', '】', '「', '」', '『', '』']) {
            return Tok::Other;
        }
        let inside = within(hits, s, e);
        let term = |r: Option<usize>, at_end: bool| {
            r.is_some_and(|r| inside.iter().any(|h| (!at_end || h.end == e) && self.uses(h.word, r, Kind::Term)))
        };
        let chars = tok.chars().count();
        let title =
            ids.employer.is_some_and(|r| self.rules[r].syntax.deny_after.iter().any(|w| tok.ends_with(w.as_str())));
        if chars <= 30 && !title && term(ids.employer, false) {
            return Tok::Company;
        }
        if chars <= 12 && term(ids.title, true) {
            return Tok::Title;
        }
        let dept = ids.department.map_or(&[][..], |r| self.rules[r].syntax.terms.as_slice());
        if (3..=16).contains(&chars) && dept.iter().any(|w| tok.ends_with(w.as_str())) {
            return Tok::Department;
        }
        Tok::Other
    }

    #[allow(clippy::too_many_arguments)]
    fn japanese_line(
        &self,
        ids: &CodeRules,
        t: &str,
        ls: usize,
        le: usize,
        hits: &[Hit],
        reason: &'static str,
        history: bool,
        out: &mut Vec<Candidate>,
    ) {
        // Tokens split at spaces (ideographic spaces are folded to spaces) and bars.
        let mut toks = split(t, ls, le, |c| matches!(c, ' ' | '\t' | '|' | '\r' | ':'));
        // A bracketed prefix is a marker, not part of the name: (新)経理部, 【旧】営業部.
        for (s, e) in toks.iter_mut() {
            let tok = &t[*s..*e];
            let close = match tok.chars().next() {
                Some('(') => ')',
                Some('【') => '】',
                Some('[') => ']',
                _ => continue,
            };
            if let Some(k) = tok.find(close).filter(|&k| k + close.len_utf8() < tok.len()) {
                // Not an abbreviated company form: (株), (有), (医), (学) ….
                let inner = &tok[tok.chars().next().map_or(1, char::len_utf8)..k];
                if inner.chars().count() == 1 && "株有同合資名医学財社福独宗特".contains(inner) {
                    continue;
                }
                *s += k + close.len_utf8();
            }
        }
        if history {
            self.history_phrases(ids, t, &mut toks, out);
        }
        // 株式会社 サンプル, 医療法人社団 青葉会: a company form written apart joins the next token.
        let form = |s: usize, e: usize| {
            FORM_PREFIXES.contains(&&t[s..e])
                || ids.employer.is_some_and(|r| {
                    within(hits, s, e).iter().any(|h| h.start == s && h.end == e && self.uses(h.word, r, Kind::Term))
                })
        };
        let mut merged: Vec<(usize, usize)> = Vec::new();
        let mut k = 0;
        while k < toks.len() {
            let (s, e) = toks[k];
            if form(s, e) && k + 1 < toks.len() {
                merged.push((s, toks[k + 1].1));
                k += 2;
            } else {
                merged.push((s, e));
                k += 1;
            }
        }
        let kinds: Vec<Tok> = merged.iter().map(|&(s, e)| self.classify(ids, s, e, &t[s..e], hits)).collect();
        // Prose is not a signature: few other tokens, and short ones (names, dates).
        let others: Vec<&(usize, usize)> =
            merged.iter().zip(&kinds).filter(|(_, k)| **k == Tok::Other).map(|(x, _)| x).collect();
        let short = |&&(s, e): &&(usize, usize)| t[s..e].chars().count() <= 10;
        if !history && (others.len() > 3 || !others.iter().all(short)) {
            return;
        }
        let mut k = 0;
        while k < merged.len() {
            let kind = kinds[k];
            if kind == Tok::Other {
                k += 1;
                continue;
            }
            let run_of = |x: Tok| match kind {
                Tok::Title => x == Tok::Title,
                _ => matches!(x, Tok::Company | Tok::Department),
            };
            let mut j = k;
            while j + 1 < merged.len() && run_of(kinds[j + 1]) {
                j += 1;
            }
            let (s, e) = (merged[k].0, merged[j].1);
            let addressee = merged.get(j + 1).is_some_and(|&(a, b)| matches!(&t[a..b], "御中" | "各位"));
            let rule = match kind {
                Tok::Title => ids.title,
                Tok::Company => ids.employer,
                _ if kinds[k..=j].contains(&Tok::Company) => ids.employer,
                _ => ids.department.or(ids.employer),
            };
            if let (Some(r), false) = (rule, addressee) {
                out.push(self.code_candidate(r, s, e, 0.05, reason));
            }
            k = j + 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn english_line(
        &self,
        ids: &CodeRules,
        t: &str,
        ls: usize,
        le: usize,
        hits: &[Hit],
        persons: &[(usize, usize)],
        title_above: bool,
        reason: &'static str,
        out: &mut Vec<Candidate>,
    ) -> bool {
        let line = &t[ls..le];
        if line.contains('@') {
            return false;
        }
        // Parts split at commas (not the comma of `Co., Ltd.` / `, Inc.`), bars and dashes.
        let mut parts: Vec<(usize, usize)> = Vec::new();
        let mut s = 0;
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let sep = match b[i] {
                b',' if !["Ltd", "Inc", "LLC", "L.L.C", "LLP"]
                    .iter()
                    .any(|w| line[i + 1..].trim_start().starts_with(w)) =>
                {
                    1
                }
                b'|' => 1,
                b' ' if line[i..].starts_with(" - ") => 3,
                // Senior Analyst at Example Capital.
                b' ' if line[i..].starts_with(" at ") => 4,
                _ => 0,
            };
            if sep > 0 {
                parts.push((s, i));
                s = i + sep;
                i += sep;
            } else {
                i += 1;
            }
        }
        parts.push((s, b.len()));
        // Whether the part before was a title: a capitalised part after it is the company
        // (`Leasing Director, Example Property Management`), with or without a company word.
        // (Not a city line under the title: `New York, NY 10001`.)
        let mut after_title = title_above && !line.bytes().any(|b| b.is_ascii_digit()) && !line.contains(',');
        let mut title_last = false;
        for (ps, pe) in parts {
            let part = &line[ps..pe];
            let lead = part.len() - part.trim_start().len();
            let (s, e) = (ls + ps + lead, ls + ps + part.trim_end().len());
            if s >= e {
                continue;
            }
            let text = &t[s..e];
            if text.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let words: Vec<&str> = text.split(' ').collect();
            let capitalised = words.len() <= 7
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(|c| c.is_ascii_uppercase() || c == '&')
                        || matches!(*w, "of" | "and" | "for" | "the" | "to" | "&")
                });
            let was_title = std::mem::take(&mut after_title);
            title_last = false;
            if !capitalised {
                continue;
            }
            let term = |r: Option<usize>| r.filter(|&r| self.has_term(r, hits, s, e));
            let found = term(ids.employer).or(term(ids.department)).or(term(ids.title));
            let person = persons.iter().any(|&(a, b)| a < e && b > s);
            let found = found.or(ids.employer.filter(|_| was_title && words.len() >= 2 && !person));
            let Some(r) = found else { continue };
            after_title = Some(r) == ids.title;
            title_last = after_title;
            out.push(self.code_candidate(r, s, e, 0.05, reason));
        }
        title_last
    }

    /// 佐藤部長: a title right after one to four kanji that are not a department or a word
    /// that means no particular person (各, 全, 営業 …: the rule's `deny` list).
    fn surname_titles(&self, r: usize, t: &str, hits: &[Hit], out: &mut Vec<Candidate>) {
        let rule = &self.rules[r];
        for h in hits {
            // Kanji titles only: a katakana one after kanji is a compound (資格情報マネージャー).
            if !self.uses(h.word, r, Kind::Term) || !self.words[h.word].text.starts_with(is_kanji) {
                continue;
            }
            if rule.syntax.deny.iter().any(|w| t[..h.start].ends_with(w.as_str())) {
                continue;
            }
            // The head of a branch or plant is named after its place (関西支社長, 大阪支店長):
            // before such a title only a dictionary surname counts (佐藤本部長).
            let title = self.words[h.word].text.as_str();
            let unit_head = ["支社", "支店", "営業所", "工場", "事業部", "本部", "研究所", "センター"]
                .iter()
                .any(|u| title.starts_with(u));
            let run = t[..h.start].chars().rev().take_while(|&c| is_kanji(c)).count();
            if !(1..=4).contains(&run) {
                continue;
            }
            let before: String = t[..h.start].chars().rev().take(run).collect();
            if unit_head && !super::names::dict().is_surname(&before.chars().rev().collect::<String>()) {
                continue;
            }
            // The kanji before the title end a department or a business word, not a surname
            // (営業部長, 事業部長, 総務課長).
            if before.starts_with([
                '部', '課', '室', '係', '班', '社', '店', '局', '業', '務', '理', '術', '画', '報', '発', '造', '質',
                '事', '計', '産', '策', '門', '場', '所', '署', '属', '任', '期', '代', '職',
            ]) {
                continue;
            }
            let next = t[h.end..].chars().next();
            if next.is_some_and(|c| (is_kanji(c) && !"殿宛様".contains(c)) || ('ァ'..='ヶ').contains(&c)) {
                continue;
            }
            out.push(self.code_candidate(r, h.start, h.end, 0.0, why::SURNAME));
        }
    }
}

/// Whether a line holds a phone-shaped number: a run of digits, hyphens, parentheses, `+` and
/// spaces with 10 or 11 digits that starts with `0`, `+` or `(`.
fn has_phone_shape(line: &str) -> bool {
    line.split(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | '+' | ' '))).map(str::trim).any(|run| {
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        (10..=12).contains(&digits) && run.starts_with(['0', '+', '('])
    })
}

/// Where a labelled value ends: an English value at a comma (`Example Clinic, Registered
/// Nurse`; not the comma of `Co., Ltd.`), an employer at an aside in brackets
/// (`物流部（勤続８年）`; not `(株)`).
fn cut_value(v: &str, employer: bool) -> &str {
    let mut end = v.len();
    if v.is_ascii() {
        let mut from = 0;
        while let Some(i) = v[from..].find(',').map(|i| from + i) {
            let rest = v[i + 1..].trim_start();
            if !["Ltd", "Inc", "LLC", "L.L.C", "LLP"].iter().any(|w| rest.starts_with(w)) {
                end = i;
                break;
            }
            from = i + 1;
        }
    }
    if employer {
        if let Some(i) = v[..end].find('(').filter(|&i| i > 0) {
            if !["(株)", "(有)", "(同)"].iter().any(|f| v[i..].starts_with(f)) {
                end = i;
            }
        }
    }
    v[..end].trim_end()
}

/// Labels whose value is a company that is a person's employer only next to that person: the
/// trade name of a contract party (`商号 株式会社サンプル` above `代表取締役 山田 太郎`).
const PARTY_LABELS: &[&str] = &["商号"];

/// Labels in a personnel-change list (`山田 太郎 新：営業本部 本部長（旧：第一営業部 部長）`).
const CHANGE_LABELS: &[&str] = &[
    "新",
    "旧",
    "現",
    "前",
    "異動先",
    "異動元",
    "異動前",
    "異動後",
    "現所属",
    "新所属",
    "旧所属",
    "前所属",
    "配属先",
    "出向先",
];

/// Honorifics that may follow a name before its company (`服部様 株式会社サンプル`).
const HONORIFICS: &[&str] = &["様", "さま", "さん", "氏", "殿", "先生", "君", "くん"];

/// What a person says after naming themselves with their company (`株式会社サンプルの山田です`).
const SELF_INTRO: &[&str] = &["です", "でございます", "と申します", "と申し", "でした"];

/// The length of the quote marks (`> `, `>> `) that start a line of a quoted reply.
fn quote_len(line: &str) -> usize {
    let lead = line.len() - line.trim_start_matches(' ').len();
    if !line[lead..].starts_with('>') {
        return 0;
    }
    lead + line[lead..].bytes().take_while(|&b| b == b'>' || b == b' ').count()
}

/// Whether the person found at `pos` has another within `lines` lines of it (a person after
/// a trade-name label, in the same party block).
fn person_within_lines(t: &str, pos: usize, persons: &[(usize, usize)], lines: usize) -> bool {
    persons.iter().any(|&(s, e)| {
        let (a, b) = if s < pos { (e.min(pos), pos) } else { (pos, s) };
        newlines(&t[a..b]) <= lines && !t[a..b].contains("\n\n")
    })
}

fn newlines(s: &str) -> usize {
    memchr::memchr_iter(b'\n', s.as_bytes()).count()
}

/// The runs of `t[s..e]` between characters for which `sep` holds: (start, end) in `t`.
fn split(t: &str, s: usize, e: usize, sep: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (j, c) in t[s..e].char_indices() {
        if sep(c) {
            if let Some(a) = start.take() {
                out.push((a, s + j));
            }
        } else if start.is_none() {
            start = Some(s + j);
        }
    }
    if let Some(a) = start {
        out.push((a, e));
    }
    out
}

/// Pieces of a stretch of a line split at spaces, brackets, bars, slashes and colons:
/// (start, end) in `t`.
fn pieces(t: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = split(t, s, e, |c| {
        c.is_whitespace()
            || matches!(
                c,
                '|' | '/'
                    | ':'
                    | '('
                    | ')'
                    | '（'
                    | '）'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '【'
                    | '】'
                    | '['
                    | ']'
                    | '、'
                    | '。'
                    | ','
                    | '→'
                    | '<'
                    | '>'
                    | '＜'
                    | '＞'
            )
    });
    // 株式会社 サンプル: a company form written apart joins the next piece.
    let mut k = 0;
    while k + 1 < out.len() {
        let (a, b) = out[k];
        if FORM_PREFIXES.contains(&&t[a..b]) && t[b..out[k + 1].0].chars().all(|c| c == ' ') {
            out[k].1 = out[k + 1].1;
            out.remove(k + 1);
        }
        k += 1;
    }
    out
}

/// The stretch of the line around `pos`, without a reply's quote marks.
fn line_around(t: &str, pos: usize) -> (usize, usize) {
    let s = t[..pos].rfind('\n').map_or(0, |i| i + 1);
    let e = t[pos..].find('\n').map_or(t.len(), |i| pos + i);
    (s + quote_len(&t[s..e]), e)
}

impl Catalog {
    /// Companies, departments and titles written right next to a person the name pass found:
    /// `株式会社サンプル 総務課 松井 千尋`, `主任 山田`, `服部様 株式会社サンプル`,
    /// `服部さん（ABCホールディングス）`, `株式会社サンプルの石川でございます`, and the pairs of
    /// a personnel-change list (`佐々木 健一 新：営業本部 本部長（旧：第一営業部 部長）`).
    fn beside_persons(
        &self,
        ids: &CodeRules,
        t: &str,
        hits: &[Hit],
        persons: &[(usize, usize)],
        out: &mut Vec<Candidate>,
    ) {
        let mut found: Vec<(Tok, usize, usize)> = Vec::new();
        for (k, &(ps, pe)) in persons.iter().enumerate() {
            let (ls, le) = line_around(t, ps);
            if pe > le {
                continue;
            }
            // Before the name: the company, department and title words that lead up to it.
            let before = &t[ls..ps];
            // 株式会社サンプルの石川です: the company (or department) ends right at の, and the
            // person introduces themselves or is addressed.
            let after = &t[pe..le];
            let (head, joined) = match before.strip_suffix('の') {
                Some(h) => (h, SELF_INTRO.iter().chain(HONORIFICS).any(|w| after.starts_with(w))),
                None => (
                    before,
                    before.is_empty() || before.ends_with(|c: char| c.is_whitespace() || "「『【(".contains(c)),
                ),
            };
            if joined {
                // Pieces right before the name, back to the first that is none of these, a
                // colon, a comma or a sentence mark.
                let stop = ls + head.len();
                let mut run: Vec<(Tok, usize, usize)> = Vec::new();
                for (a, b) in pieces(t, ls, stop).into_iter().rev() {
                    let gap = &t[b..run.last().map_or(stop, |x| x.1)];
                    if gap.contains([':', '。', '、', '→', ',']) {
                        break;
                    }
                    // Prose before the company ends at its last particle (本日は株式会社…).
                    let cut = t[a..b].rfind(['は', 'が', 'を', 'に', 'で', 'も', 'へ']).map(|i| a + i + 3);
                    let a = cut.filter(|&c| c < b).unwrap_or(a);
                    let w = &t[a..b];
                    if w.is_ascii() && !w.starts_with(|c: char| c.is_ascii_uppercase()) {
                        break;
                    }
                    let kind = self.classify(ids, a, b, w, hits);
                    if kind == Tok::Other {
                        break;
                    }
                    run.push((kind, a, b));
                    if cut.is_some() {
                        break;
                    }
                }
                run.reverse();
                found.extend(run);
            }
            // After the name (its reading and honorific): a company in brackets or after a
            // space.
            let next_person = persons.get(k + 1).map_or(le, |p| p.0.min(le));
            let mut p = pe;
            let rest = |p: usize| &t[p..next_person.max(p)];
            let reading = |r: &str| {
                let r = r.strip_prefix(['(', '（']).unwrap_or("");
                let close = r.find([')', '）']);
                close
                    .filter(|&c| {
                        c > 0
                            && r[..c].chars().all(|ch| {
                                ch == ' ' || ('ぁ'..='ゖ').contains(&ch) || ('ァ'..='ヺ').contains(&ch) || ch == 'ー'
                            })
                    })
                    .map(|c| c + 1 + r[c..].chars().next().map_or(1, char::len_utf8))
            };
            if let Some(n) = reading(rest(p)) {
                p += n;
            }
            if let Some(h) = HONORIFICS.iter().find(|h| rest(p).starts_with(**h)) {
                p += h.len();
            }
            let r = rest(p);
            if let Some(inner) = r.strip_prefix(['(', '（']) {
                // 服部さん（ABCホールディングス）: every piece in the brackets is a company or
                // department word.
                if let Some(c) = inner.find([')', '）']) {
                    let a = p + (r.len() - inner.len());
                    let toks = pieces(t, a, a + c);
                    let kinds: Vec<Tok> = toks.iter().map(|&(x, y)| self.classify(ids, x, y, &t[x..y], hits)).collect();
                    if !toks.is_empty()
                        && kinds.iter().all(|k| matches!(k, Tok::Company | Tok::Department | Tok::Title))
                    {
                        found.extend(kinds.into_iter().zip(toks).map(|(k, (x, y))| (k, x, y)));
                    }
                }
            } else if r.starts_with(|c: char| c.is_whitespace() || c == '/' || c == '|') {
                let mut last = p;
                for (x, y) in pieces(t, p, next_person.max(p)) {
                    let kind = self.classify(ids, x, y, &t[x..y], hits);
                    if kind == Tok::Other || t[last..x].contains([':', '。', '、', '→', ',', '(', '（', '「']) {
                        break;
                    }
                    last = y;
                    found.push((kind, x, y));
                }
            }
            self.changes(ids, t, hits, pe, le, &mut found);
        }
        found.sort_unstable_by_key(|x| (x.1, x.2));
        found.dedup();
        self.emit_runs(ids, t, &found, why::BESIDE, out);
    }

    /// The `新：部署 役職` pairs after a name in a personnel-change list.
    fn changes(
        &self,
        ids: &CodeRules,
        t: &str,
        hits: &[Hit],
        from: usize,
        to: usize,
        found: &mut Vec<(Tok, usize, usize)>,
    ) {
        let rest = &t[from..to];
        // Each change label: a listed word right before `:`, after a space, a bracket or the
        // name.
        let mut labels: Vec<(usize, usize)> = Vec::new();
        for (i, _) in rest.match_indices(':') {
            let head = &rest[..i];
            let Some(w) = CHANGE_LABELS.iter().filter(|w| head.ends_with(**w)).max_by_key(|w| w.len()) else {
                continue;
            };
            let before = head[..head.len() - w.len()].chars().next_back();
            if before.is_none_or(|c| c.is_whitespace() || "(（[【、,/".contains(c)) {
                labels.push((from + i - w.len(), from + i + 1));
            }
        }
        // Or a listed word in brackets of its own: 【新】, [旧], (異動先).
        for (open, close) in [('【', '】'), ('[', ']'), ('(', ')'), ('<', '>'), ('〔', '〕')] {
            for (i, _) in rest.match_indices(open) {
                let inner = &rest[i + open.len_utf8()..];
                let Some(w) =
                    CHANGE_LABELS.iter().find(|w| inner.strip_prefix(**w).is_some_and(|r| r.starts_with(close)))
                else {
                    continue;
                };
                labels.push((from + i, from + i + open.len_utf8() + w.len() + close.len_utf8()));
            }
        }
        labels.sort_unstable();
        for (k, &(_, vs)) in labels.iter().enumerate() {
            let end = labels.get(k + 1).map_or(to, |l| l.0);
            let stop = t[vs..end].find(['(', ')', '（', '）', '、', ',']).map_or(end, |i| vs + i);
            for (a, b) in pieces(t, vs, stop) {
                // 営業本部本部長: a department with its title written on.
                let kind = self.classify(ids, a, b, &t[a..b], hits);
                if kind == Tok::Title {
                    if let Some(split) = self.department_before_title(ids, t, a, b, hits) {
                        found.push((Tok::Department, a, split));
                        found.push((Tok::Title, split, b));
                        continue;
                    }
                }
                if kind == Tok::Other {
                    break;
                }
                found.push((kind, a, b));
            }
        }
    }

    /// Where the title at the end of `a..b` starts, when a department comes before it.
    fn department_before_title(&self, ids: &CodeRules, t: &str, a: usize, b: usize, hits: &[Hit]) -> Option<usize> {
        let r = ids.title?;
        let h = within(hits, a, b)
            .iter()
            .filter(|h| h.end == b && h.start > a && self.uses(h.word, r, Kind::Term))
            .min_by_key(|h| h.start)?;
        (self.classify(ids, a, h.start, &t[a..h.start], hits) == Tok::Department).then_some(h.start)
    }

    /// Reports runs of adjacent company and department pieces as one employer, titles alone.
    fn emit_runs(
        &self,
        ids: &CodeRules,
        t: &str,
        found: &[(Tok, usize, usize)],
        reason: &'static str,
        out: &mut Vec<Candidate>,
    ) {
        let mut k = 0;
        while k < found.len() {
            let (kind, s, mut e) = found[k];
            let mut j = k;
            let mut company = kind == Tok::Company;
            if kind != Tok::Title {
                while j + 1 < found.len()
                    && matches!(found[j + 1].0, Tok::Company | Tok::Department)
                    && t[e..found[j + 1].1].chars().all(|c| c == ' ' || c == '\t')
                {
                    j += 1;
                    e = found[j].2;
                    company |= found[j].0 == Tok::Company;
                }
            }
            let rule = match kind {
                Tok::Title => ids.title,
                _ if company => ids.employer,
                _ => ids.department.or(ids.employer),
            };
            if let Some(r) = rule {
                out.push(self.code_candidate(r, s, e, 0.05, reason));
            }
            k = j + 1;
        }
    }

    /// In a history line: the work after which a person was employed (`プログラマーとして勤務`,
    /// an occupation; the piece is then dropped), and the posting verbs written onto a
    /// department (`システム開発部に配属` → `システム開発部`).
    fn history_phrases(&self, ids: &CodeRules, t: &str, toks: &mut Vec<(usize, usize)>, out: &mut Vec<Candidate>) {
        toks.retain_mut(|(s, e)| {
            let tok = &t[*s..*e];
            if let Some(i) = tok.find("として") {
                let rest = &tok[i + "として".len()..];
                // The work starts after an opening bracket (入社（営業職として勤務）).
                let from =
                    tok[..i].rfind(['(', '（']).map_or(0, |k| k + tok[k..].chars().next().map_or(1, char::len_utf8));
                let work = &tok[from..i];
                let n = work.chars().count();
                if AS_VERBS.iter().any(|v| rest.starts_with(v))
                    && (2..=15).contains(&n)
                    && !work.contains(|c: char| c.is_ascii_digit() || "、。:".contains(c))
                {
                    if let Some(r) = ids.occupation {
                        out.push(self.code_candidate(r, *s + from, *s + i, 0.05, why::HISTORY));
                    }
                }
                return false;
            }
            if let Some(suffix) = POSTING_SUFFIXES.iter().find(|x| tok.ends_with(**x) && tok.len() > x.len()) {
                *e -= suffix.len();
            }
            true
        });
    }

    /// A short line that is a person's name, with nothing around it but readings in brackets,
    /// honorifics and title, company or department words (`主任 石川 直樹（いしかわ なおき）`,
    /// `Linda Foster`).
    fn is_name_line(
        &self,
        ids: &CodeRules,
        t: &str,
        s: usize,
        e: usize,
        hits: &[Hit],
        persons: &[(usize, usize)],
    ) -> bool {
        let line = t[s..e].trim();
        if line.is_empty() || line.chars().count() > 40 || line.contains(['。', '、', '@', ':', '[', ']']) {
            return false;
        }
        let inside: Vec<(usize, usize)> = persons.iter().copied().filter(|&(a, b)| a >= s && b <= e).collect();
        if inside.is_empty() {
            return false;
        }
        // The pieces outside the names and outside brackets.
        let mut depth = 0usize;
        let mut from = s;
        let mut rest: Vec<(usize, usize)> = Vec::new();
        for (j, c) in t[s..e].char_indices() {
            let p = s + j;
            let name = inside.iter().find(|&&(a, _)| a == p);
            if let Some(&(_, b)) = name {
                rest.push((from, p));
                from = b;
            } else if p < from {
                continue;
            } else if c == '(' {
                if depth == 0 {
                    rest.push((from, p));
                }
                depth += 1;
            } else if c == ')' && depth > 0 {
                depth -= 1;
                if depth == 0 {
                    from = p + 1;
                }
            }
        }
        if depth == 0 {
            rest.push((from, e));
        }
        rest.into_iter().filter(|&(a, b)| a < b).flat_map(|(a, b)| pieces(t, a, b)).all(|(a, b)| {
            let w = &t[a..b];
            HONORIFICS.contains(&w)
                || matches!(w, "PhD" | "Ph.D." | "MBA" | "MD" | "CPA" | "Esq." | "Jr." | "Sr." | "-" | "--")
                || self.classify(ids, a, b, w, hits) != Tok::Other
        })
    }

    /// `Your employer, Example General Hospital, has confirmed …`: a company named as someone's
    /// employer in English prose (a possessive before `employer`), set off by commas or
    /// holding a company word.
    fn possessive_employer(&self, r: usize, t: &str, hits: &[Hit], out: &mut Vec<Candidate>) {
        for (i, _) in t.match_indices("employer") {
            let before = t[..i].trim_end_matches(' ');
            let owner = ["your", "his", "her", "their", "my", "our", "current", "previous", "former", "'s"]
                .iter()
                .any(|w| before.len() < i && before.to_ascii_lowercase().ends_with(w));
            if !owner || t[i + "employer".len()..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let mut p = i + "employer".len();
            let comma = t[p..].starts_with(',');
            p += t[p..].len() - t[p..].trim_start_matches([',', ':', ' ']).len();
            // Capitalised words (and of, and, &) up to a comma, a stop or a lower-case word.
            let (s, mut e) = (p, p);
            let mut words = 0;
            for w in t[p..].split(' ') {
                let core = w.trim_end_matches([',', '.', ';', ')']);
                let joint = matches!(core, "of" | "and" | "&" | "the");
                if core.is_empty()
                    || !(core.starts_with(|c: char| c.is_ascii_uppercase()) || joint)
                    || core.contains(|c: char| !(c.is_ascii_alphanumeric() || "&.-'".contains(c)))
                {
                    break;
                }
                words += 1;
                e = p + core.len();
                p += w.len() + 1;
                if core.len() < w.len() || words > 7 {
                    break;
                }
            }
            let v = t[s..e].trim_end_matches(" of").trim_end_matches(" and");
            e = s + v.len();
            if words == 0 || e <= s {
                continue;
            }
            let closed = t[e..].starts_with(',');
            if !(self.has_term(r, hits, s, e) || comma && closed && words >= 2) {
                continue;
            }
            out.push(self.code_candidate(r, s, e, 0.05, why::POSSESSIVE));
        }
    }
}
