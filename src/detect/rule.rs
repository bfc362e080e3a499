//! Rules as written in `patterns/*.toml`, and their checks at load time.

use serde::Deserialize;

/// One `patterns/*.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The rules of the file.
    #[serde(rename = "rule")]
    pub rules: Vec<RuleSyntax>,
}

/// How a rule finds its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The pattern runs over all text (in one combined regex); labels only add confidence.
    #[default]
    Pattern,
    /// The pattern runs only in a window after one of the rule's labels, or in a cell whose
    /// column header holds one (the keyword prefilter).
    Label,
    /// The pattern must start right after a label (separators allowed), or fill a cell whose
    /// column header holds one.
    Value,
    /// Candidates come from code (`src/detect/address.rs`, `src/detect/org.rs`, by rule id); the
    /// rule holds its data: labels, `terms`, score, examples. The pattern's role is said in the
    /// rule's description.
    Code,
}

/// What may touch a match on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// Anything.
    None,
    /// No ASCII digit right before or after.
    #[default]
    Digit,
    /// No ASCII letter or digit right before or after.
    Alnum,
    /// No digit, and no `.digit` / `digit.` continuing a dotted number.
    Dotted,
    /// Like `Alnum`, and no `:` or `.` continuing a hex/colon run.
    Hex,
}

/// A rule as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSyntax {
    /// Stable id, reported as `detector`.
    pub id: String,
    /// A category id from TAXONOMY.md.
    pub category: String,
    /// What the rule finds, for people.
    pub description: String,
    /// Regex over normalised text. A named group `v` narrows the reported value.
    pub pattern: String,
    /// How candidates are found.
    #[serde(default)]
    pub trigger: Trigger,
    /// Labels (keywords) that mark a value of this rule.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Labels that count right after the match (e.g. `生` after a birth date).
    #[serde(default)]
    pub suffix_labels: Vec<String>,
    /// For `pattern` rules: how many characters before the match a label may end.
    /// For `label` rules: how many characters after the label the match may start.
    #[serde(default = "default_window")]
    pub window: usize,
    /// For `pattern` rules: drop candidates that have no label, suffix label or column label.
    #[serde(default)]
    pub require_label: bool,
    /// Words within `context_window` characters before the match that add `context_boost`.
    #[serde(default)]
    pub context: Vec<String>,
    /// Window for `context` words.
    #[serde(default = "default_context_window")]
    pub context_window: usize,
    /// Score added by a context word.
    #[serde(default = "default_context_boost")]
    pub context_boost: f32,
    /// Drop candidates with no context word in the window (for generic labels such as `記号`,
    /// which mean a health-insurance symbol only near 保険証 / 保険者番号).
    #[serde(default)]
    pub require_context: bool,
    /// Words that, ending within `deny_window` characters before the match (or in the column
    /// header), drop it: `ISBN`, `品番`, `法人番号` …
    #[serde(default)]
    pub deny: Vec<String>,
    /// Window for `deny` words.
    #[serde(default = "default_deny_window")]
    pub deny_window: usize,
    /// Words that, starting right after the match, drop it (`歳児`, `未満`).
    #[serde(default)]
    pub deny_after: Vec<String>,
    /// Another category when the nearest label is one of these (a phone labelled FAX is `fax`).
    #[serde(default)]
    pub reclassify: Vec<Reclassify>,
    /// What may touch the match.
    #[serde(default)]
    pub boundary: Boundary,
    /// For `pattern` rules: the pattern can match text without an ASCII digit (e-mail). Other
    /// pattern rules run only in windows around digits, which skips most prose.
    #[serde(default)]
    pub anywhere: bool,
    /// For `value` rules: a label ending in a Latin letter needs `:`, `=` or a tab before the
    /// value (`password: x`, not `password reset`).
    #[serde(default)]
    pub strict_separator: bool,
    /// A validator from `detect::validate`, by name.
    #[serde(default)]
    pub validator: Option<String>,
    /// Score before validation and context, 0–1.
    pub score: f32,
    /// Score added by a label before the match, after it, or in the column header.
    #[serde(default = "default_label_boost")]
    pub label_boost: f32,
    /// Candidates scoring below this are dropped.
    #[serde(default = "default_min_score")]
    pub min_score: f32,
    /// `false` for rules that recognise look-alikes (corporate numbers): their matches are
    /// never reported and silence overlapping candidates.
    #[serde(default = "default_true")]
    pub report: bool,
    /// For `code` rules: words the code looks for (titles, company forms …); they join the
    /// label automaton, so finding them costs no extra pass over the text.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Texts in which the rule must report something.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Texts in which the rule must report nothing.
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

/// A category switch chosen by the nearest label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reclassify {
    /// The category to report instead.
    pub category: String,
    /// Labels that select it.
    pub labels: Vec<String>,
}

fn default_window() -> usize {
    24
}
fn default_context_window() -> usize {
    60
}
fn default_context_boost() -> f32 {
    0.1
}
fn default_deny_window() -> usize {
    6
}
fn default_label_boost() -> f32 {
    0.3
}
fn default_min_score() -> f32 {
    0.3
}
fn default_true() -> bool {
    true
}

/// The category ids of TAXONOMY.md (a contract: findings carry exactly these).
pub const CATEGORIES: &[&str] = &[
    "person_name",
    "name_reading",
    "age",
    "gender",
    "date_of_birth",
    "credit_card",
    "bank_account",
    "employer",
    "job_title",
    "occupation",
    "address",
    "postal_code",
    "phone",
    "fax",
    "email",
    "ip_address",
    "account_id",
    "credential",
    "my_number",
    "drivers_license",
    "passport",
    "residence_card",
    "health_insurance",
    "pension_number",
    "us_ssn",
    "sensitive",
    "seal",
    "signature",
    "id_document",
    "voice_recording",
    // Made by the media classifier only (EXIF GPS), not by rules.
    "geolocation",
];

/// The rule files shipped with sumi, embedded at build time.
pub const BUILTIN: &[(&str, &str)] = &[
    ("corporate_number.toml", include_str!("../../patterns/corporate_number.toml")),
    ("credit_card.toml", include_str!("../../patterns/credit_card.toml")),
    ("phone.toml", include_str!("../../patterns/phone.toml")),
    ("email.toml", include_str!("../../patterns/email.toml")),
    ("ip_address.toml", include_str!("../../patterns/ip_address.toml")),
    ("postal_code.toml", include_str!("../../patterns/postal_code.toml")),
    ("date_of_birth.toml", include_str!("../../patterns/date_of_birth.toml")),
    ("age.toml", include_str!("../../patterns/age.toml")),
    ("gender.toml", include_str!("../../patterns/gender.toml")),
    ("my_number.toml", include_str!("../../patterns/my_number.toml")),
    ("national_id.toml", include_str!("../../patterns/national_id.toml")),
    ("bank_account.toml", include_str!("../../patterns/bank_account.toml")),
    ("us_ssn.toml", include_str!("../../patterns/us_ssn.toml")),
    ("account_id.toml", include_str!("../../patterns/account_id.toml")),
    ("credential.toml", include_str!("../../patterns/credential.toml")),
    ("person_name.toml", include_str!("../../patterns/person_name.toml")),
    ("address.toml", include_str!("../../patterns/address.toml")),
    ("employer.toml", include_str!("../../patterns/employer.toml")),
    ("job_title.toml", include_str!("../../patterns/job_title.toml")),
    ("occupation.toml", include_str!("../../patterns/occupation.toml")),
];
