//! The detection engine: rules as data (`patterns/*.toml`), one combined regex for the rules
//! that run everywhere, a label automaton that doubles as the keyword prefilter for the rules
//! that run only near a label, validators, and context scoring.
//!
//! Scoring follows Presidio's order: base score → validator (fail drops, pass raises) →
//! label / column / context boosts → threshold → look-alike suppression and overlaps.
//! Detectors know nothing about file formats: they see a segment's text and, for tables,
//! the header of its column.

mod address;
pub mod names;
mod org;
pub mod rule;
pub mod validate;

use std::fmt;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind as DaachorseKind};
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::{Anchored, Input};

use crate::normalize::{fold, Normalized};
use rule::{Boundary, RuleFile, RuleSyntax, Trigger, CATEGORIES};
use validate::{Validator, Verdict};

/// Confidence bands of FINDINGS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Score ≥ 0.3 (or the rule's own minimum).
    Low,
    /// Score ≥ 0.5.
    Medium,
    /// Score ≥ 0.8.
    High,
}

impl Confidence {
    /// The band a score falls in.
    pub fn of(score: f32) -> Confidence {
        if score >= 0.8 {
            Confidence::High
        } else if score >= 0.5 {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }

    /// `high`, `medium` or `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// Parses `high`, `medium` or `low`.
    pub fn parse(s: &str) -> Option<Confidence> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Confidence::Low),
            "medium" | "med" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error in the rule data.
#[derive(Debug)]
pub struct RuleError(pub String);

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RuleError {}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// The rule as written.
    pub syntax: RuleSyntax,
    /// The category id (from TAXONOMY.md).
    pub category: &'static str,
    /// The rule id (kept for the life of the program: catalogs are built once per run).
    pub id: &'static str,
    reason: &'static str,
    regex: MetaRegex,
    group: Option<regex::Regex>,
    validator: Option<Validator>,
    reclass: Vec<&'static str>,
}

/// What a label word means to one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Label,
    Suffix,
    Context,
    Deny,
    DenyAfter,
    Reclass(usize),
    /// A word a `code` rule looks for (its `terms`, or its data: municipalities, street suffixes).
    Term,
}

#[derive(Debug)]
struct Word {
    text: String,
    reasons: WordReasons,
    ascii_start: bool,
    ascii_end: bool,
    uses: Vec<(usize, Kind)>,
}

/// The reason strings a word gives, made once (findings then carry only `&'static str`s).
#[derive(Debug, Clone, Copy)]
struct WordReasons {
    label: &'static str,
    column: &'static str,
    suffix: &'static str,
    context: &'static str,
}

impl WordReasons {
    fn new(word: &str) -> Self {
        let leak = |kind: &str| -> &'static str { Box::leak(format!("{kind}:{word}").into_boxed_str()) };
        WordReasons { label: leak("label"), column: leak("column"), suffix: leak("suffix"), context: leak("context") }
    }
}

/// A label word found in a text.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    word: usize,
}

/// A match of a rule in one segment, with offsets into the segment's original text.
#[derive(Debug, Clone)]
pub struct Match {
    /// Index of the rule in the catalog.
    pub rule: usize,
    /// Rule id.
    pub detector: &'static str,
    /// Category id.
    pub category: &'static str,
    /// Byte range in the segment's original text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The value after normalisation (what fingerprints hash).
    pub normalized: String,
    /// Score in 0–1.
    pub score: f32,
    /// Confidence band.
    pub confidence: Confidence,
    /// Why.
    pub reasons: Vec<&'static str>,
}

#[derive(Debug, Clone)]
struct Candidate {
    rule: usize,
    category: &'static str,
    start: usize,
    end: usize,
    score: f32,
    reasons: Vec<&'static str>,
}

/// Everything a segment's column header says to the rules.
#[derive(Debug, Default)]
struct Column {
    hits: Vec<(usize, Kind, usize)>,
}

impl Column {
    fn find(&self, rule: usize, want: impl Fn(Kind) -> bool) -> Option<(Kind, usize)> {
        self.hits.iter().find(|(r, k, _)| *r == rule && want(*k)).map(|(_, k, w)| (*k, *w))
    }
}

/// All rules, compiled.
pub struct Catalog {
    rules: Vec<Rule>,
    combined: MetaRegex,
    combined_rules: Vec<usize>,
    anywhere_rules: Vec<usize>,
    words: Vec<Word>,
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    /// The person-name pass (when the catalog has the rules it reports under).
    names: Option<names::Names>,
    /// The rules written in code and the words that wake them.
    code: address::CodeIndex,
    /// Which of the costly passes run (all, unless [`Catalog::only`] left some out).
    passes: Passes,
}

/// The passes a scan for some categories can leave out.
#[derive(Debug, Clone, Copy)]
struct Passes {
    /// The name pass and the employer/department/title/occupation rules: they run together
    /// (those rules tie companies and titles to found people, and a company outranks a
    /// name-like span inside it, `元 電機`).
    names: bool,
    address: bool,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("rules", &self.rules.len()).field("words", &self.words.len()).finish()
    }
}

fn category_id(name: &str) -> Result<&'static str, RuleError> {
    CATEGORIES
        .iter()
        .find(|c| **c == name)
        .copied()
        .ok_or_else(|| RuleError(format!("unknown category `{name}` (see TAXONOMY.md)")))
}

impl Catalog {
    /// The rules shipped in `patterns/`.
    pub fn builtin() -> Result<Catalog, RuleError> {
        let mut syntax = Vec::new();
        for (name, text) in rule::BUILTIN {
            let file: RuleFile = toml::from_str(text).map_err(|e| RuleError(format!("patterns/{name}: {e}")))?;
            syntax.extend(file.rules);
        }
        Catalog::new(syntax)
    }

    /// Leaves out the costly passes nothing in `categories` needs (`None` keeps them all): the
    /// name pass and the employer/department/title/occupation rules unless names, readings,
    /// employers, titles or occupations are asked for (those rules tie companies and titles to
    /// the people the name pass finds, and a company outranks a name-like span inside it), and
    /// the address rules unless addresses are. Every rule and label word stays, so column
    /// headers and overlaps resolve as in a full scan: the findings are a full scan's filtered
    /// to `categories` (tests/cli.rs checks this on samples/).
    pub fn only(mut self, categories: Option<&std::collections::HashSet<String>>) -> Catalog {
        if let Some(want) = categories {
            let any = |cs: &[&str]| cs.iter().any(|c| want.contains(*c));
            let names = any(&["person_name", "name_reading", "employer", "job_title", "occupation"]);
            self.passes = Passes { names, address: any(&["address"]) };
        }
        self
    }

    /// Compiles rules.
    pub fn new(syntax: Vec<RuleSyntax>) -> Result<Catalog, RuleError> {
        let mut rules = Vec::with_capacity(syntax.len());
        for s in syntax {
            if rules.iter().any(|r: &Rule| r.syntax.id == s.id) {
                return Err(RuleError(format!("duplicate rule id `{}`", s.id)));
            }
            let category = category_id(&s.category)?;
            let regex = MetaRegex::builder()
                .configure(MetaRegex::config().hybrid_cache_capacity(16 << 20))
                .build(&s.pattern)
                .map_err(|e| RuleError(format!("rule {}: {e}", s.id)))?;
            let group = if s.pattern.contains("(?P<v>") {
                Some(
                    regex::Regex::new(&format!("^(?:{})", s.pattern))
                        .map_err(|e| RuleError(format!("rule {}: {e}", s.id)))?,
                )
            } else {
                None
            };
            let validator = match &s.validator {
                Some(name) => Some(
                    validate::lookup(name)
                        .ok_or_else(|| RuleError(format!("rule {}: unknown validator `{name}`", s.id)))?,
                ),
                None => None,
            };
            let reclass = s.reclassify.iter().map(|r| category_id(&r.category)).collect::<Result<Vec<_>, _>>()?;
            if !(0.0..=1.0).contains(&s.score) {
                return Err(RuleError(format!("rule {}: score must be in 0..1", s.id)));
            }
            let id: &'static str = Box::leak(s.id.clone().into_boxed_str());
            let reason: &'static str = Box::leak(format!("pattern:{id}").into_boxed_str());
            rules.push(Rule { id, reason, syntax: s, category, regex, group, validator, reclass });
        }

        let combined_rules: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.syntax.trigger == Trigger::Pattern && !r.syntax.anywhere)
            .map(|(i, _)| i)
            .collect();
        let anywhere_rules: Vec<usize> = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.syntax.trigger == Trigger::Pattern && r.syntax.anywhere)
            .map(|(i, _)| i)
            .collect();
        // Each pattern in the combined regex is led by its left boundary (start of text or a
        // character that may not touch it). A match then cannot start inside a run of digits,
        // so the lazy DFA no longer tracks a fresh attempt of every pattern at every digit:
        // measured, its states shrank from 14 MB to 1.3 MB and the pass ran 2.3× faster.
        let patterns: Vec<String> = combined_rules
            .iter()
            .map(|&i| {
                let syn = &rules[i].syntax;
                let lead = match syn.boundary {
                    Boundary::None => "",
                    Boundary::Digit | Boundary::Dotted => "(?:^|[^0-9])",
                    Boundary::Alnum => "(?:^|[^0-9A-Za-z])",
                    Boundary::Hex => "(?:^|[^0-9A-Za-z:])",
                };
                format!("{lead}(?:{})", syn.pattern.replace("(?P<v>", "(?:"))
            })
            .collect();
        let combined = MetaRegex::builder()
            .configure(MetaRegex::config().hybrid_cache_capacity(64 << 20))
            .build_many(&patterns)
            .map_err(|e| RuleError(format!("combined regex: {e}")))?;

        let mut words: Vec<Word> = Vec::new();
        // Word index by lower-cased text (the data lists hold thousands of words).
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut add = |text: &str, rule: usize, kind: Kind| {
            let text = fold(text);
            let key = text.to_ascii_lowercase();
            let i = match index.get(&key) {
                Some(&i) => i,
                None => {
                    index.insert(key, words.len());
                    words.push(Word {
                        ascii_start: text.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()),
                        ascii_end: text.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()),
                        reasons: WordReasons::new(&text),
                        text,
                        uses: Vec::new(),
                    });
                    words.len() - 1
                }
            };
            if !words[i].uses.contains(&(rule, kind)) {
                words[i].uses.push((rule, kind));
            }
        };
        // `user id` also matches `user_id`, `user-id` and `userid` (as Macie does).
        let mut add = |text: &str, rule: usize, kind: Kind| {
            add(text, rule, kind);
            if text.contains(' ') && text.is_ascii() {
                for sep in ["_", "-", ""] {
                    add(&text.replace(' ', sep), rule, kind);
                }
            }
        };
        for (i, r) in rules.iter().enumerate() {
            let s = &r.syntax;
            s.labels.iter().for_each(|w| add(w, i, Kind::Label));
            if s.trigger == Trigger::Code {
                // Code rules read their other words (deny, one-character terms) from the text
                // themselves: single kanji such as 部 or 各 would only crowd the hits.
                let terms = s.terms.iter().chain(address::data_terms(r.id));
                terms.filter(|w| w.chars().count() >= 2).for_each(|w| add(w, i, Kind::Term));
                continue;
            }
            s.suffix_labels.iter().for_each(|w| add(w, i, Kind::Suffix));
            s.context.iter().for_each(|w| add(w, i, Kind::Context));
            s.deny.iter().for_each(|w| add(w, i, Kind::Deny));
            s.deny_after.iter().for_each(|w| add(w, i, Kind::DenyAfter));
            for (k, rc) in s.reclassify.iter().enumerate() {
                rc.labels.iter().for_each(|w| add(w, i, Kind::Reclass(k)));
            }
        }
        // Labels are matched case-insensitively for ASCII: the automaton holds them in lower
        // case and runs over a lower-cased copy of texts that have upper-case ASCII. A charwise
        // double-array automaton was measured 2–3× faster than aho-corasick on Japanese text.
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(DaachorseKind::LeftmostLongest)
            .build_with_values(words.iter().enumerate().map(|(i, w)| (w.text.to_ascii_lowercase(), i as u32)))
            .map_err(|e| RuleError(format!("label automaton: {e}")))?;
        let names = names::Names::new(&rules);
        let code = address::CodeIndex::new(&rules, &words);
        let passes = Passes { names: true, address: true };
        Ok(Catalog { rules, combined, combined_rules, anywhere_rules, words, automaton, names, code, passes })
    }

    /// Whether `cells` read as a header row (or, with one cell, as a label): some cell holds a
    /// label word, no cell holds a long number, and most cells are labels when there are many.
    pub fn has_label(&self, cells: &[&str]) -> bool {
        let mut labelled = 0;
        let mut non_empty = 0;
        for c in cells {
            let f = fold(c);
            if f.trim().is_empty() {
                continue;
            }
            non_empty += 1;
            if f.chars().count() > 30 || f.bytes().filter(u8::is_ascii_digit).count() >= 4 {
                return false;
            }
            let is_label = self
                .hits(&f)
                .iter()
                .any(|h| self.words[h.word].uses.iter().any(|(_, k)| matches!(k, Kind::Label | Kind::Reclass(_))));
            if is_label {
                labelled += 1;
            } else if names::reads_as_name(f.trim()) {
                // A name or its reading (佐々木 ひなた, ササキ ヒナタ) is a value: a key-value row.
                return false;
            }
        }
        labelled >= 1 && (labelled >= 2 || non_empty <= 2)
    }

    /// How many label words occur in `text` (for the benchmark of the label automaton).
    pub fn label_hit_count(&self, text: &str) -> usize {
        self.hits(text).len()
    }

    /// The compiled rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    fn hits(&self, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let lower;
        let hay: &str = if text.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = text.to_ascii_lowercase();
            &lower
        } else {
            text
        };
        for m in self.automaton.leftmost_find_iter(hay) {
            let w = &self.words[m.value() as usize];
            if w.ascii_start && m.start() > 0 && bytes[m.start() - 1].is_ascii_alphabetic() {
                continue;
            }
            if w.ascii_end && bytes.get(m.end()).is_some_and(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            out.push(Hit { start: m.start(), end: m.end(), word: m.value() as usize });
        }
        out
    }

    fn column(&self, header: &str) -> Column {
        let folded = fold(header);
        let mut col = Column::default();
        for h in self.hits(&folded) {
            for &(r, k) in &self.words[h.word].uses {
                col.hits.push((r, k, h.word));
            }
        }
        col
    }

    /// Finds every match in `text`. `header` is the column header for table cells.
    pub fn detect(&self, text: &str, header: Option<&str>) -> Vec<Match> {
        let norm = Normalized::new(text);
        let t: &str = &norm.text;
        let hits = self.hits(t);
        let col = header.map(|h| self.column(h)).unwrap_or_default();
        let mut cands: Vec<Candidate> = Vec::new();

        // 1. Pattern rules: the combined regex, in windows around ASCII digits (every such
        //    pattern holds a digit; prose without digits is skipped at memory speed) …
        for (ws, we) in digit_windows(t) {
            self.combined_pass(t, ws, we, &hits, &col, &mut cands);
        }
        // … and the few patterns that need no digit (e-mail), each over the whole text.
        for &r in &self.anywhere_rules {
            for m in self.rules[r].regex.find_iter(t) {
                if let Ok(c) = self.evaluate(r, t, m.start(), m.end(), &hits, &col, None) {
                    cands.push(c);
                }
            }
        }

        // 2. Rules that run only near their labels (the keyword prefilter).
        for h in &hits {
            for &(r, kind) in &self.words[h.word].uses {
                if kind != Kind::Label {
                    continue;
                }
                match self.rules[r].syntax.trigger {
                    Trigger::Pattern | Trigger::Code => {}
                    Trigger::Label => self.near_label(r, t, h, &hits, &col, &mut cands),
                    Trigger::Value => self.after_label(r, t, h, &hits, &col, &mut cands),
                }
            }
        }

        // 3. Cells under a labelled column.
        for &(r, kind, w) in &col.hits {
            if kind != Kind::Label {
                continue;
            }
            let rule = &self.rules[r];
            let via = Via::Column(w);
            match rule.syntax.trigger {
                Trigger::Pattern | Trigger::Code => {}
                Trigger::Label => {
                    for m in rule.regex.find_iter(t) {
                        if let Ok(c) = self.evaluate(r, t, m.start(), m.end(), &hits, &col, Some(via)) {
                            cands.push(c);
                        }
                    }
                }
                Trigger::Value => {
                    let lead = t.len() - t.trim_start().len();
                    let input = Input::new(t).range(lead..).anchored(Anchored::Yes);
                    if let Some(m) = rule.regex.search(&input) {
                        if t[m.end()..].trim().is_empty() {
                            if let Ok(c) = self.evaluate(r, t, m.start(), m.end(), &hits, &col, Some(via)) {
                                cands.push(c);
                            }
                        }
                    }
                }
            }
        }

        // 4. Names in running text (honorifics, full names, readings, Latin names).
        if let Some(n) = self.names.as_ref().filter(|_| self.passes.names) {
            n.detect(t, &mut cands);
        }
        // 4. Rules written in code (addresses, employers, titles, occupations).
        self.code_rules(t, header, &hits, &col, &mut cands);

        self.resolve(cands, &norm)
    }

    fn combined_pass(&self, t: &str, from: usize, to: usize, hits: &[Hit], col: &Column, cands: &mut Vec<Candidate>) {
        let mut pos = from;
        while pos < to {
            let Some(m) = self.combined.search(&Input::new(t).range(pos..to)) else {
                break;
            };
            let first = m.pattern().as_usize();
            let r = self.combined_rules[first];
            // The match may begin with the boundary character that led the pattern: the rule's
            // own regex, anchored, tells whether the pattern starts here or one character on.
            let mut start = m.start();
            let own = Input::new(t).range(start..m.end()).anchored(Anchored::Yes);
            if self.rules[r].regex.search(&own).is_none_or(|o| o.end() != m.end()) {
                start = next_char(t, start);
            }
            let m = regex_automata::Match::must(first, start..m.end());
            match self.evaluate(r, t, m.start(), m.end(), hits, col, None) {
                Ok(c) => {
                    pos = m.end().max(next_char(t, m.start()));
                    cands.push(c);
                }
                Err(Reject::BadStart) => pos = next_char(t, m.start()),
                Err(Reject::No) => {
                    // Give the rules listed after this one a chance at the same start.
                    let mut next = m.end().max(next_char(t, m.start()));
                    for &r2 in &self.combined_rules[first + 1..] {
                        let input = Input::new(t).range(m.start()..to).anchored(Anchored::Yes);
                        if let Some(m2) = self.rules[r2].regex.search(&input) {
                            if let Ok(c) = self.evaluate(r2, t, m2.start(), m2.end(), hits, col, None) {
                                next = m2.end().max(next);
                                cands.push(c);
                                break;
                            }
                        }
                    }
                    pos = next;
                }
            }
        }
    }

    fn near_label(&self, r: usize, t: &str, h: &Hit, hits: &[Hit], col: &Column, out: &mut Vec<Candidate>) {
        let rule = &self.rules[r];
        let end = advance_chars(t, h.end, rule.syntax.window);
        let input = Input::new(t).range(h.end..end);
        for m in rule.regex.find_iter(input) {
            if let Ok(c) = self.evaluate(r, t, m.start(), m.end(), hits, col, Some(Via::Label(h.word))) {
                out.push(c);
            }
        }
    }

    fn after_label(&self, r: usize, t: &str, h: &Hit, hits: &[Hit], col: &Column, out: &mut Vec<Candidate>) {
        let rule = &self.rules[r];
        let start = skip_separators(t, h.end);
        if rule.syntax.strict_separator && self.words[h.word].ascii_end && !t[h.end..start].contains([':', '=', '\t']) {
            return;
        }
        let input = Input::new(t).range(start..).anchored(Anchored::Yes);
        if let Some(m) = rule.regex.search(&input) {
            if let Ok(c) = self.evaluate(r, t, m.start(), m.end(), hits, col, Some(Via::Label(h.word))) {
                out.push(c);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        r: usize,
        t: &str,
        mut s: usize,
        mut e: usize,
        hits: &[Hit],
        col: &Column,
        via: Option<Via>,
    ) -> Result<Candidate, Reject> {
        let rule = &self.rules[r];
        let syn = &rule.syntax;
        if let Some(g) = &rule.group {
            let caps = g.captures(&t[s..e]).ok_or(Reject::No)?;
            if let Some(v) = caps.name("v") {
                e = s + v.end();
                s += v.start();
            }
        }
        if s == e {
            return Err(Reject::No);
        }
        if !boundary_before(t, s, syn.boundary) {
            return Err(Reject::BadStart);
        }
        if !boundary_after(t, e, syn.boundary) {
            return Err(Reject::No);
        }
        // Look-alike words right before (or in the column header) drop the candidate.
        let deny_from = back_chars(t, s, syn.deny_window);
        let denied = ending_in(hits, deny_from, s)
            .iter()
            .any(|h| !t[h.end..s].contains('\n') && self.uses(h.word, r, Kind::Deny))
            || col.find(r, |k| k == Kind::Deny).is_some()
            || starting_in(hits, e, e + 3).iter().any(|h| self.uses(h.word, r, Kind::DenyAfter));
        if denied {
            return Err(Reject::No);
        }

        let mut score = syn.score;
        let mut reasons = vec![rule.reason];
        let value = &t[s..e];
        if let Some(v) = rule.validator {
            match v(value) {
                Verdict::Fail => return Err(Reject::No),
                Verdict::Pass { bonus, reason } => {
                    score += bonus;
                    reasons.extend(reason.split(','));
                }
            }
        }

        let mut category = rule.category;
        let mut labelled = false;
        match via {
            Some(Via::Label(w)) => {
                labelled = true;
                reasons.push(self.words[w].reasons.label);
            }
            Some(Via::Column(w)) => {
                labelled = true;
                reasons.push(self.words[w].reasons.column);
            }
            None => {
                // The nearest label before the match decides between the rule's own category
                // and a reclassification (TEL … / FAX …).
                let from = back_chars(t, s, syn.window);
                let nearest = ending_in(hits, from, s).iter().rev().find_map(|h| {
                    self.words[h.word]
                        .uses
                        .iter()
                        .find(|(rr, k)| *rr == r && matches!(k, Kind::Label | Kind::Reclass(_)))
                        .map(|&(_, k)| (k, h))
                });
                if let Some((k, h)) = nearest {
                    if newlines(&t[h.end..s]) <= 1 {
                        labelled = true;
                        score += syn.label_boost;
                        reasons.push(self.words[h.word].reasons.label);
                        if let Kind::Reclass(i) = k {
                            category = rule.reclass[i];
                        }
                    }
                }
                if !labelled {
                    if let Some((k, w)) = col.find(r, |k| matches!(k, Kind::Label | Kind::Reclass(_))) {
                        labelled = true;
                        score += syn.label_boost;
                        reasons.push(self.words[w].reasons.column);
                        if let Kind::Reclass(i) = k {
                            category = rule.reclass[i];
                        }
                    }
                }
                let suffix = starting_in(hits, e, e + 3).iter().find(|h| self.uses(h.word, r, Kind::Suffix));
                if let Some(h) = suffix {
                    if !labelled {
                        score += syn.label_boost;
                    }
                    labelled = true;
                    reasons.push(self.words[h.word].reasons.suffix);
                }
            }
        }
        if syn.require_label && !labelled {
            return Err(Reject::No);
        }
        if via.is_some() {
            // A reclassification label in the column header still applies (a `FAX` column).
            if let Some((Kind::Reclass(i), _)) = col.find(r, |k| matches!(k, Kind::Reclass(_))) {
                category = rule.reclass[i];
            }
        }
        let from = back_chars(t, s, syn.context_window);
        if let Some(h) = ending_in(hits, from, s).iter().find(|h| self.uses(h.word, r, Kind::Context)) {
            score += syn.context_boost;
            reasons.push(self.words[h.word].reasons.context);
        } else if let Some((_, w)) = col.find(r, |k| k == Kind::Context) {
            score += syn.context_boost;
            reasons.push(self.words[w].reasons.context);
        } else if syn.require_context {
            return Err(Reject::No);
        }
        let score = score.min(0.99);
        if score < syn.min_score {
            return Err(Reject::No);
        }
        Ok(Candidate { rule: r, category, start: s, end: e, score, reasons })
    }

    fn uses(&self, word: usize, rule: usize, kind: Kind) -> bool {
        self.words[word].uses.contains(&(rule, kind))
    }

    /// Look-alike recognisers silence what they overlap; among the rest, overlapping
    /// candidates keep the higher score (then the longer span).
    fn resolve(&self, mut cands: Vec<Candidate>, norm: &Normalized<'_>) -> Vec<Match> {
        // A blanked-out value, a template placeholder or a redaction token is not data, even
        // under a label that takes any value (勤務先：＊＊＊＊, 職業：[職業], Company: EMPLOYER-abcdefgh).
        cands.retain(|c| !is_placeholder(&norm.text[c.start..c.end]));
        cands.sort_by(|a, b| {
            a.start.cmp(&b.start).then(b.score.total_cmp(&a.score)).then((b.end - b.start).cmp(&(a.end - a.start)))
        });
        let mut keep: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            // `keep` is sorted and free of overlaps, so only its tail can overlap `c`.
            let first = keep.len() - keep.iter().rev().take_while(|k| k.end > c.start).count();
            if first == keep.len() {
                keep.push(c);
                continue;
            }
            let c_sup = !self.rules[c.rule].syntax.report;
            let wins = keep[first..].iter().all(|k| {
                let k_sup = !self.rules[k.rule].syntax.report;
                if c_sup != k_sup {
                    return c_sup;
                }
                c.score > k.score || (c.score == k.score && c.end - c.start > k.end - k.start)
            });
            if wins {
                keep.truncate(first);
                keep.push(c);
            }
        }
        keep.into_iter()
            .filter(|c| self.rules[c.rule].syntax.report)
            .map(|c| {
                let start = norm.orig_start(c.start);
                let end = norm.orig_end(c.end).max(start);
                let normalized = norm.text[c.start..c.end].to_string();
                Match {
                    rule: c.rule,
                    detector: self.rules[c.rule].id,
                    category: c.category,
                    start,
                    end,
                    normalized,
                    score: (c.score * 100.0).round() / 100.0,
                    confidence: Confidence::of(c.score),
                    reasons: c.reasons,
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy)]
enum Via {
    Label(usize),
    Column(usize),
}

#[derive(Debug)]
enum Reject {
    /// The match starts inside a longer token: retry one character later.
    BadStart,
    /// Not a value of this rule.
    No,
}

/// Byte ranges of `t` worth running digit-bearing patterns over: each run of ASCII digits
/// with 64 bytes before it (room for `〒`, an era name, `Tokyo`, two letters of a residence
/// card) and 32 after, merged where they touch, on character boundaries.
fn digit_windows(t: &str) -> Vec<(usize, usize)> {
    const BEFORE: usize = 64;
    const AFTER: usize = 32;
    let b = t.as_bytes();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(d) = next_digit(b, i) {
        let mut e = d;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        let ws = floor_boundary(t, d.saturating_sub(BEFORE));
        let we = ceil_boundary(t, (e + AFTER).min(b.len()));
        match out.last_mut() {
            Some(last) if ws <= last.1 => last.1 = we,
            _ => out.push((ws, we)),
        }
        i = e;
    }
    out
}

/// The next ASCII digit at or after `from`, 32 bytes at a time.
fn next_digit(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 32 <= b.len() {
        let block = &b[i..i + 32];
        if block.iter().fold(false, |acc, &c| acc | (c.wrapping_sub(b'0') < 10)) {
            return block.iter().position(u8::is_ascii_digit).map(|p| i + p);
        }
        i += 32;
    }
    b[i.min(b.len())..].iter().position(u8::is_ascii_digit).map(|p| i + p)
}

fn floor_boundary(t: &str, mut i: usize) -> usize {
    while i > 0 && !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(t: &str, mut i: usize) -> usize {
    while i < t.len() && !t.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Label hits ending in `from..=to` (hits do not overlap, so their ends are sorted too).
fn ending_in(hits: &[Hit], from: usize, to: usize) -> &[Hit] {
    let lo = hits.partition_point(|h| h.end < from);
    let hi = hits.partition_point(|h| h.end <= to);
    &hits[lo..hi.max(lo)]
}

/// Label hits starting in `from..=to`.
fn starting_in(hits: &[Hit], from: usize, to: usize) -> &[Hit] {
    let lo = hits.partition_point(|h| h.start < from);
    let hi = hits.partition_point(|h| h.start <= to);
    &hits[lo..hi.max(lo)]
}

fn next_char(t: &str, i: usize) -> usize {
    t[i..].chars().next().map_or(t.len(), |c| i + c.len_utf8())
}

fn advance_chars(t: &str, from: usize, n: usize) -> usize {
    t[from..].char_indices().nth(n).map_or(t.len(), |(i, _)| from + i)
}

fn back_chars(t: &str, from: usize, n: usize) -> usize {
    t[..from].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

fn newlines(s: &str) -> usize {
    memchr::memchr_iter(b'\n', s.as_bytes()).count()
}

/// Skips what sits between a label and its value: spaces, colons, brackets, one short
/// parenthesised aside (`生年月日（西暦）：`), and at most one line break.
fn skip_separators(t: &str, mut i: usize) -> usize {
    let mut breaks = 0;
    let mut asides = 0;
    while let Some(c) = t[i..].chars().next() {
        match c {
            ' ' | '\t' | ':' | '=' | '#' | '|' | ']' | '】' | '」' | '『' | '「' | '>' | '、' | ',' | '・' | '.'
            | '"' | '\'' | '\r' => i += c.len_utf8(),
            '\n' if breaks == 0 => {
                breaks += 1;
                i += 1;
            }
            '(' | '（' | '[' | '【' if asides == 0 => {
                let close = t[i..].char_indices().take(12).find(|(_, c)| matches!(c, ')' | '）' | ']' | '】'));
                match close {
                    // A bracket that closes soon is an aside; one that does not opens the value.
                    Some((j, c)) if j > c.len_utf8() => {
                        asides += 1;
                        i += j + c.len_utf8();
                    }
                    _ => break,
                }
            }
            _ => break,
        }
    }
    i
}

/// Whether the characters next to a match (`near`, then `far` beyond it) continue it.
fn continues(near: Option<char>, far: Option<char>, b: Boundary) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    match b {
        Boundary::None => false,
        Boundary::Digit => digit(near),
        Boundary::Alnum => alnum(near),
        Boundary::Dotted => digit(near) || (near == Some('.') && digit(far)),
        Boundary::Hex => alnum(near) || near == Some(':') || (near == Some('.') && alnum(far)),
    }
}

fn boundary_before(t: &str, s: usize, b: Boundary) -> bool {
    let mut it = t[..s].chars().rev();
    let near = it.next();
    !continues(near, it.next(), b)
}

fn boundary_after(t: &str, e: usize, b: Boundary) -> bool {
    let mut it = t[e..].chars();
    let near = it.next();
    !continues(near, it.next(), b)
}

/// Whether a matched value is a stand-in rather than data: only mask characters (＊ * ● ■ ×
/// ○ …) and separators, a whole bracketed placeholder (`[氏名]`, `【会社名】`, `<name>`), or a
/// pseudonym token as `sumi redact --mode pseudonym` writes it (`NAME-kqzdmfpa`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    // Separators a mask keeps (punctuation, spaces, the long-vowel mark of ＊ー＊) say nothing.
    let mut chars = v.chars().filter(|&c| c.is_alphanumeric() && !matches!(c, 'ー' | 'ｰ' | '〜'));
    let is_mask = |c: char| matches!(c, '*' | '＊' | '●' | '•' | '■' | '□' | '×' | '✕' | '○' | '〇' | '◯' | '※' | '#');
    if v.chars().any(is_mask) && chars.all(is_mask) {
        return true;
    }
    let pairs = [('[', ']'), ('［', '］'), ('【', '】'), ('<', '>'), ('〈', '〉'), ('{', '}')];
    if let (Some(first), Some(last), true) = (v.chars().next(), v.chars().last(), v.chars().count() >= 2) {
        let inner = &v[first.len_utf8()..v.len() - last.len_utf8()];
        if pairs.iter().any(|&(o, c)| first == o && last == c && !inner.contains(o) && !inner.contains(c)) {
            return !inner.trim().is_empty();
        }
    }
    match v.rsplit_once('-') {
        Some((tag, token)) => {
            tag.len() >= 2
                && tag.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
                && token.len() == 8
                && token.bytes().all(|b| b.is_ascii_lowercase())
        }
        None => false,
    }
}

#[cfg(test)]
mod placeholder_tests {
    use super::is_placeholder;

    #[test]
    fn stand_ins_are_not_data() {
        for v in [
            "＊＊＊＊",
            "＊ー＊",
            "****-****",
            "＊＊（＊ ＊＊＊）",
            "●●●●",
            "[氏名]",
            "【会社名】",
            "<name>",
            "EMPLOYER-kqzdmfpa",
            "NAME-abcdefgh",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in ["山田 太郎", "株式会社サンプル", "090-****-5678", "A-0012345", "NAME-abc", "看護師", "[", "[]"]
        {
            assert!(!is_placeholder(v), "{v}");
        }
    }
}
