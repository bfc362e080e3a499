//! CSV/TSV: every field becomes a segment labelled with its column header.
//!
//! RFC 4180 quoting (fields in double quotes, `""` for a quote, line breaks inside quotes).
//! Offsets point into the decoded text so a finding maps back to the field's characters.
//! Without a header row, a field whose left neighbour is a label (`TEL,03-…`) gets that
//! neighbour as its label.

use crate::segment::{Origin, Segment};

/// One field: its byte range in the text (inside the quotes) and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Start of the field's content.
    pub start: usize,
    /// End of the field's content.
    pub end: usize,
    /// 1-based line of the content's first character.
    pub line: u64,
    /// 1-based column (characters) of the content's first character.
    pub column: u64,
}

/// Most fields held for one record; a longer line is handed out in records of this many.
pub const MAX_FIELDS: usize = 65_536;

/// Splits `text` into records of fields.
pub fn parse(text: &str, delim: u8) -> Vec<Vec<Field>> {
    let mut records = Vec::new();
    parse_each(text, delim, &mut |rec| records.push(rec.to_vec()));
    records
}

/// Splits `text` into records of fields and hands each to `out` in turn (one record in memory
/// at a time).
pub fn parse_each(text: &str, delim: u8, out: &mut dyn FnMut(&[Field])) {
    let b = text.as_bytes();
    let mut record = Vec::new();
    let mut i = 0;
    let mut line: u64 = 1;
    let mut line_start = 0usize;
    let mut columns = super::Columns::default();
    let mut col_of = |pos: usize, ls: usize| columns.of(text, pos, ls);
    let mut ticks = 0u32;
    while i <= b.len() {
        super::limit::tick(&mut ticks, 4096);
        if i == b.len() {
            if !record.is_empty() {
                out(&record);
                record.clear();
            }
            break;
        }
        if b[i] == b'"' {
            let start = i + 1;
            let (fl, fc) = (line, col_of(start, line_start));
            let mut j = start;
            loop {
                match b.get(j) {
                    None => break,
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => j += 2,
                    Some(b'"') => break,
                    Some(b'\n') => {
                        line += 1;
                        line_start = j + 1;
                        j += 1;
                    }
                    Some(_) => j += 1,
                }
            }
            record.push(Field { start, end: j, line: fl, column: fc });
            // Skip the closing quote and anything up to the delimiter.
            i = (j + 1).min(b.len());
            while i < b.len() && b[i] != delim && b[i] != b'\n' {
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != delim && b[i] != b'\n' {
                i += 1;
            }
            let end = if i > start && b[i - 1] == b'\r' { i - 1 } else { i };
            record.push(Field { start, end, line, column: col_of(start, line_start) });
        }
        if record.len() >= MAX_FIELDS {
            // A record this wide is not a table row: hand it out in pieces so that one line of
            // delimiters cannot hold millions of fields in memory.
            out(&record);
            record.clear();
        }
        match b.get(i) {
            Some(&c) if c == delim => {
                i += 1;
                if i == b.len() {
                    record.push(Field { start: i, end: i, line, column: col_of(i, line_start) });
                }
            }
            Some(b'\n') => {
                i += 1;
                line += 1;
                line_start = i;
                out(&record);
                record.clear();
            }
            _ => {}
        }
    }
}

/// Emits every non-empty field of `text` as a segment; returns the number of records.
pub fn read_table(text: &str, delim: u8, is_header: &dyn Fn(&[&str]) -> bool, emit: &mut dyn FnMut(&Segment)) -> u64 {
    let mut labeller = Labeller::default();
    parse_each(text, delim, &mut |rec| labeller.record(text, rec, is_header, emit));
    labeller.rows as u64
}

/// Labels and emits the fields of records.
///
/// A header row labels every field under it: the first record when it reads as one, and any
/// later record of three or more fields that reads as one (forms often hold a table below a
/// block of `label<TAB>value` lines). An empty record ends a table. Fields outside a table take
/// their left-hand neighbour as label when it reads as one (`TEL,03-…`).
#[derive(Default)]
struct Labeller {
    /// The header row of the current table.
    header: Option<Vec<String>>,
    /// Records seen so far.
    rows: usize,
}

impl Labeller {
    fn record(
        &mut self,
        text: &str,
        rec: &[Field],
        is_header: &dyn Fn(&[&str]) -> bool,
        emit: &mut dyn FnMut(&Segment),
    ) {
        let ri = self.rows;
        self.rows += 1;
        let cells: Vec<&str> = rec.iter().map(|f| text[f.start..f.end].trim()).collect();
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        if filled == 0 {
            self.header = None;
            return;
        }
        if (ri == 0 || filled >= 3) && is_header(&cells) {
            self.header = Some(cells.iter().map(|c| c.to_string()).collect());
            // A header's own cells are scanned too (unlabelled): names in headers happen.
            emit_fields(text, rec, ri, |_| None, emit);
            return;
        }
        let header = &self.header;
        let label_of = |fi: usize| -> Option<String> {
            match header {
                Some(h) => h.get(fi).filter(|h| !h.is_empty()).cloned(),
                None if fi > 0 => {
                    // The cell on the left, or else the row's first cell (a row header with
                    // one value per person: │生年月日│S55.4.1│H2.1.30│).
                    [cells[fi - 1], cells[0]].into_iter().find(|c| is_header(&[c])).map(str::to_string)
                }
                None => None,
            }
        };
        emit_fields(text, rec, ri, label_of, emit);
    }
}

fn emit_fields(
    text: &str,
    rec: &[Field],
    ri: usize,
    label_of: impl Fn(usize) -> Option<String>,
    emit: &mut dyn FnMut(&Segment),
) {
    for (fi, f) in rec.iter().enumerate() {
        let value = &text[f.start..f.end];
        if value.trim().is_empty() {
            continue;
        }
        let label = label_of(fi);
        let origin = Origin::Cell {
            row: ri as u64 + 1,
            field: fi as u64 + 1,
            header: label.clone(),
            line: f.line,
            column: f.column,
        };
        let mut seg = Segment::new(value.to_string(), origin);
        seg.label = label;
        emit(&seg);
    }
}

/// Tables inside plain text: runs of two or more lines split into cells by `|`, `│` or tabs
/// (Markdown tables, box-drawn forms, pasted spreadsheet rows), or by commas when the first
/// line of the run is a header (a CSV extract pasted into a mail). Their cells are emitted like
/// CSV fields, labelled by a header row or a label cell on their left; the returned text has
/// those lines blanked with spaces (same bytes, same lines) so they are not scanned twice.
/// Returns `None` when the text has no such table.
pub fn split_text_tables(
    text: &str,
    is_header: &dyn Fn(&[&str]) -> bool,
    emit: &mut dyn FnMut(&Segment),
) -> Option<String> {
    if !text.contains(['|', '│', '\t', ',']) {
        return None;
    }
    // (line number, start, end, delimiter) of every line that splits into 2+ cells.
    let mut rows: Vec<(u64, usize, usize, char)> = Vec::new();
    // Only lines holding a delimiter can be rows: find them with SIMD searches instead of
    // walking every line (most lines of prose hold none).
    let bytes = text.as_bytes();
    let mut hits: Vec<usize> = memchr::memchr3_iter(b'|', b',', b'\t', bytes).collect();
    hits.extend(memchr::memmem::find_iter(bytes, "│".as_bytes()));
    hits.sort_unstable();
    let (mut line_no, mut counted_to) = (1u64, 0usize);
    let mut next_line_from = 0usize;
    for h in hits {
        if h < next_line_from {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..h]).map_or(0, |p| p + 1);
        let end = memchr::memchr(b'\n', &bytes[h..]).map_or(bytes.len(), |p| h + p);
        next_line_from = end + 1;
        line_no += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count() as u64;
        counted_to = start;
        let body = text[start..end].trim_end_matches('\r');
        let trimmed = body.trim_matches([' ', '　']);
        let delim = if trimmed.contains('│') {
            Some('│')
        } else if trimmed.matches('|').count() >= 2 {
            Some('|')
        } else if trimmed.trim_matches('\t').contains('\t') {
            Some('\t')
        } else if trimmed.matches(',').count() >= 2 {
            Some(',')
        } else {
            None
        };
        if let Some(d) = delim {
            if trimmed.split(d).filter(|c| !c.trim_matches([' ', '　', '\t']).is_empty()).count() >= 2 {
                rows.push((line_no, start, start + body.len(), d));
            }
        }
    }
    // Keep runs of at least two consecutive rows with the same delimiter.
    let mut blocks: Vec<Vec<(u64, usize, usize, char)>> = Vec::new();
    for r in rows {
        match blocks.last_mut() {
            Some(b) if b.last().is_some_and(|l| l.0 + 1 == r.0 && l.3 == r.3) => b.push(r),
            _ => blocks.push(vec![r]),
        }
    }
    blocks.retain(|b| b.len() >= 2);
    // Commas also punctuate prose: a comma block is a table only under a header row.
    blocks.retain(|b| {
        b[0].3 != ',' || {
            let (_, s, e, _) = b[0];
            let cells: Vec<&str> = text[s..e].split(',').map(str::trim).collect();
            cells.len() >= 3 && is_header(&cells)
        }
    });
    if blocks.is_empty() {
        return None;
    }
    let mut table_lines: Vec<(usize, usize)> = Vec::new();
    for block in &blocks {
        let mut records: Vec<Vec<Field>> = Vec::new();
        for &(line, s, e, d) in block {
            let body = &text[s..e];
            let mut fields = Vec::new();
            let mut offset = s;
            for part in body.split(d) {
                let lead = part.len() - part.trim_start_matches([' ', '　', '\t']).len();
                let content = part.trim_matches([' ', '　', '\t']);
                let fs = offset + lead;
                fields.push(Field {
                    start: fs,
                    end: fs + content.len(),
                    line,
                    column: 1 + text[s..fs].chars().count() as u64,
                });
                offset += part.len() + d.len_utf8();
            }
            // Markdown: drop the empty cells outside the outer pipes; skip `|---|:--:|` rules.
            if fields.first().is_some_and(|f| f.start == f.end) {
                fields.remove(0);
            }
            if fields.last().is_some_and(|f| f.start == f.end) {
                fields.pop();
            }
            let rule = fields
                .iter()
                .all(|f| text[f.start..f.end].chars().all(|c| matches!(c, '-' | ':' | '=' | '─' | '━' | ' ')));
            if !rule {
                records.push(fields);
            }
            table_lines.push((s, e));
        }
        let mut labeller = Labeller::default();
        for rec in &records {
            labeller.record(text, rec, is_header, emit);
        }
    }
    // The text with table lines blanked: the same bytes elsewhere, spaces in their place.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in table_lines {
        out.push_str(&text[at..s]);
        out.extend(std::iter::repeat_n(' ', e - s));
        at = e;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str, delim: u8) -> Vec<Vec<String>> {
        parse(text, delim).iter().map(|r| r.iter().map(|f| text[f.start..f.end].to_string()).collect()).collect()
    }

    #[test]
    fn quotes_and_crlf() {
        let t = "氏名,電話\r\n\"山田, 太郎\",03-1234-5678\r\n\"a \"\"b\"\"\",\r\n";
        assert_eq!(
            cells(t, b','),
            vec![vec!["氏名", "電話"], vec!["山田, 太郎", "03-1234-5678"], vec!["a \"\"b\"\"", ""]]
        );
        let recs = parse(t, b',');
        assert_eq!(recs[1][1].line, 2);
        assert_eq!(recs[1][1].column, 10);
    }

    #[test]
    fn a_line_of_a_million_fields_is_handed_out_in_pieces() {
        let text = ",".repeat(1_000_000) + "090-1234-5678\n";
        let mut widest = 0;
        let mut records = 0;
        parse_each(&text, b',', &mut |rec| {
            widest = widest.max(rec.len());
            records += 1;
        });
        assert_eq!(widest, MAX_FIELDS);
        assert_eq!(records, 1_000_001usize.div_ceil(MAX_FIELDS));
        let mut seen = Vec::new();
        read_table(&text, b',', &|_| false, &mut |s| seen.push(s.text.clone()));
        assert_eq!(seen, ["090-1234-5678"]);
    }

    #[test]
    fn tsv_and_multiline() {
        let t = "a\tb\n\"x\ny\"\tz";
        assert_eq!(cells(t, b'\t'), vec![vec!["a", "b"], vec!["x\ny", "z"]]);
        assert_eq!(parse(t, b'\t')[1][1].line, 3);
    }

    /// (cell text, label, line) of every cell, and the text left for plain scanning.
    type Split = (Vec<(String, Option<String>, u64)>, Option<String>);

    fn cells_of(text: &str) -> Split {
        // Like the catalog's: most cells are labels, or one of at most two is.
        let is_header = |cells: &[&str]| {
            let labels = cells
                .iter()
                .filter(|c| ["氏名", "電話", "性別", "生年月日", "phone", "ssn", "name"].contains(c))
                .count();
            labels >= 2 || (labels == 1 && cells.len() <= 2)
        };
        let mut got = Vec::new();
        let rest = split_text_tables(text, &is_header, &mut |seg: &Segment| {
            let line = match &seg.origin {
                Origin::Cell { line, .. } => *line,
                _ => 0,
            };
            got.push((seg.text.clone(), seg.label.clone(), line));
        });
        (got, rest)
    }

    #[test]
    fn tables_inside_text() {
        let md = "前文です\n| 氏名 | 電話 |\n|---|---|\n| 山田 | 03-1234-5678 |\n後文";
        let (cells, rest) = cells_of(md);
        assert!(cells.contains(&("03-1234-5678".into(), Some("電話".into()), 4)), "{cells:?}");
        let rest = rest.unwrap();
        assert_eq!(rest.len(), md.len());
        assert!(rest.starts_with("前文です\n ") && rest.ends_with("\n後文") && !rest.contains("03-"));

        let boxed = "│性別　│女　│男\n│生年月日│S55.4.1│H2.1.30\n";
        let (cells, _) = cells_of(boxed);
        assert!(cells.contains(&("H2.1.30".into(), Some("生年月日".into()), 2)), "{cells:?}");

        let csv_in_mail = "Hi,\nname,phone,ssn\nLena,555-0100,318-42-7765\n";
        let (cells, _) = cells_of(csv_in_mail);
        assert!(cells.contains(&("318-42-7765".into(), Some("ssn".into()), 3)), "{cells:?}");

        // Prose with commas is no table, nor is a single delimited line.
        assert!(cells_of("Yes, we can, and we will.\nThen, later, again.\n").1.is_none());
        assert!(cells_of("氏名\t山田\n").1.is_none());
    }
}
