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

/// Splits `text` into records of fields.
pub fn parse(text: &str, delim: u8) -> Vec<Vec<Field>> {
    let b = text.as_bytes();
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut i = 0;
    let mut line: u64 = 1;
    let mut line_start = 0usize;
    let col_of = |pos: usize, ls: usize| 1 + text[ls..pos].chars().count() as u64;
    while i <= b.len() {
        if i == b.len() {
            if !record.is_empty() {
                records.push(std::mem::take(&mut record));
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
                records.push(std::mem::take(&mut record));
            }
            _ => {}
        }
    }
    records
}

/// Emits every non-empty field of `text` as a segment; returns the number of records.
pub fn read_table(text: &str, delim: u8, is_header: &dyn Fn(&[&str]) -> bool, emit: &mut dyn FnMut(&Segment)) -> u64 {
    let records = parse(text, delim);
    let header: Option<Vec<String>> = records.first().and_then(|r| {
        let cells: Vec<&str> = r.iter().map(|f| text[f.start..f.end].trim()).collect();
        is_header(&cells).then(|| cells.iter().map(|c| c.to_string()).collect())
    });
    for (ri, rec) in records.iter().enumerate() {
        for (fi, f) in rec.iter().enumerate() {
            let value = &text[f.start..f.end];
            if value.trim().is_empty() {
                continue;
            }
            let is_header_row = ri == 0 && header.is_some();
            let label = if is_header_row {
                None
            } else if let Some(h) = &header {
                h.get(fi).cloned().filter(|h| !h.is_empty())
            } else if fi > 0 {
                // Key-value layout: the left neighbour may be a label.
                let left = text[rec[fi - 1].start..rec[fi - 1].end].trim();
                is_header(&[left]).then(|| left.to_string())
            } else {
                None
            };
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
    records.len() as u64
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
    fn tsv_and_multiline() {
        let t = "a\tb\n\"x\ny\"\tz";
        assert_eq!(cells(t, b'\t'), vec![vec!["a", "b"], vec!["x\ny", "z"]]);
        assert_eq!(parse(t, b'\t')[1][1].line, 3);
    }
}
