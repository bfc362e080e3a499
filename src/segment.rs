//! Segments: decoded text plus the way back to where it came from.
//!
//! Readers turn a file into segments; detectors see only the text (and the optional label a
//! column header gives it); reports and redaction writers use the origin to locate each match.

use serde::Serialize;

/// One piece of decoded text from a file.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Decoded text, exactly as the document reads (not normalised).
    pub text: String,
    /// Where the text starts in the file.
    pub origin: Origin,
    /// A label that applies to the whole segment, e.g. the header of a CSV column.
    pub label: Option<String>,
    /// Matches starting before this byte offset belong to another segment (chunk overlap).
    pub owned_from: usize,
    /// Matches starting at or after this byte offset belong to another segment.
    pub owned_to: usize,
    /// The path inside a container (archive entry, attachment), nested with `/`.
    pub member: Option<String>,
    /// A finding already made about a whole image or recording, or one of its metadata
    /// fields (see [`crate::media`]): the text detectors skip such a segment (its text is
    /// empty) and the scanner reports the hit as it is.
    pub media: Option<Box<crate::media::MediaHit>>,
}

impl Segment {
    /// A segment that owns all of its text.
    pub fn new(text: String, origin: Origin) -> Segment {
        let len = text.len();
        Segment { text, origin, label: None, owned_from: 0, owned_to: len, member: None, media: None }
    }
}

/// Where a segment's first character sits in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Plain text: `byte` is the offset in the decoded text stream, `line`/`column` are 1-based
    /// (column in characters).
    Text {
        /// Offset in the decoded text stream.
        byte: u64,
        /// 1-based line.
        line: u64,
        /// 1-based column in characters.
        column: u64,
    },
    /// A CSV/TSV field: record `row` (1-based, the header row is 1), `field` (1-based), the
    /// column header, and the text position of the field's first character.
    Cell {
        /// 1-based record number (the header row is 1).
        row: u64,
        /// 1-based field number.
        field: u64,
        /// The column header, if the table has one.
        header: Option<String>,
        /// 1-based line of the field's first character.
        line: u64,
        /// 1-based column of the field's first character.
        column: u64,
    },
    /// A place whose location does not depend on the offset inside the segment: a spreadsheet
    /// cell, a document paragraph, a slide, a page, an e-mail header, a metadata field, the
    /// file name.
    Fixed(Location),
}

/// A finding's position, as written to reports (see FINDINGS.md `location`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Location {
    /// `{"line": N, "column": N}`.
    Text {
        /// 1-based line.
        line: u64,
        /// 1-based column in characters.
        column: u64,
    },
    /// `{"line", "column", "row", "field", "header"}` for delimited text.
    Cell {
        /// 1-based line.
        line: u64,
        /// 1-based column in characters.
        column: u64,
        /// 1-based record (the header row is 1).
        row: u64,
        /// 1-based field.
        field: u64,
        /// The column header.
        #[serde(skip_serializing_if = "Option::is_none")]
        column_header: Option<String>,
    },
    /// `{"sheet": S, "cell": "B4"}` (plus the column header when the sheet has one).
    Sheet {
        /// Sheet name.
        sheet: String,
        /// A1-style cell reference.
        cell: String,
        /// The column header.
        #[serde(skip_serializing_if = "Option::is_none")]
        column_header: Option<String>,
    },
    /// `{"part": "word/document.xml", "paragraph": N}`.
    Part {
        /// Package part.
        part: String,
        /// 1-based paragraph (or text node) within the part.
        paragraph: u64,
    },
    /// `{"slide": N}`.
    Slide {
        /// 1-based slide number.
        slide: u64,
    },
    /// `{"page": N}`.
    Page {
        /// 1-based page number.
        page: u64,
    },
    /// `{"header": NAME}` (e-mail headers).
    Header {
        /// Header name.
        header: String,
    },
    /// `{"metadata": FIELD}` (document properties, EXIF).
    Metadata {
        /// Field name.
        metadata: String,
    },
    /// `{"file_name": true}`: the path itself.
    FileName {
        /// Always true.
        file_name: bool,
    },
    /// `{"media": "image"}` or `{"media": "audio"}`: the whole image or recording (the file
    /// itself, or the container member named by `member`).
    Media {
        /// `image` or `audio`.
        media: String,
    },
}

impl Location {
    /// Short human form: `12:5`, `row 4, 電話番号`.
    pub fn short(&self) -> String {
        match self {
            Location::Text { line, column } => format!("{line}:{column}"),
            Location::Cell { row, field, column_header, .. } => match column_header {
                Some(h) => format!("row {row}, {h}"),
                None => format!("row {row}, field {field}"),
            },
            Location::Sheet { sheet, cell, .. } => format!("{sheet}!{cell}"),
            Location::Part { part, paragraph } => format!("{part}#{paragraph}"),
            Location::Slide { slide } => format!("slide {slide}"),
            Location::Page { page } => format!("page {page}"),
            Location::Header { header } => format!("header {header}"),
            Location::Metadata { metadata } => format!("metadata {metadata}"),
            Location::FileName { .. } => "file name".to_string(),
            Location::Media { media } => format!("whole {media}"),
        }
    }
}

/// Turns byte offsets of one segment into locations, walking forward once: offsets must come
/// in ascending order (findings of a segment do).
pub struct Locator<'a> {
    origin: &'a Origin,
    text: &'a str,
    pos: usize,
    newlines: u64,
    line_start: usize,
}

impl<'a> Locator<'a> {
    /// A locator over `text`, which starts at `origin`.
    pub fn new(origin: &'a Origin, text: &'a str) -> Self {
        Locator { origin, text, pos: 0, newlines: 0, line_start: 0 }
    }

    /// The location of byte offset `at`; falls back to a fresh count when `at` goes backwards.
    pub fn locate(&mut self, at: usize) -> Location {
        if at < self.pos {
            *self = Locator::new(self.origin, self.text);
        }
        let span = &self.text.as_bytes()[self.pos..at];
        for i in memchr::memchr_iter(b'\n', span) {
            self.newlines += 1;
            self.line_start = self.pos + i + 1;
        }
        self.pos = at;
        self.origin.at(self.text, self.newlines, self.line_start, at)
    }
}

impl Origin {
    /// The location of byte offset `at` of the segment `text` this origin belongs to.
    pub fn locate(&self, text: &str, at: usize) -> Location {
        Locator::new(self, text).locate(at)
    }

    fn at(&self, text: &str, newlines: u64, line_start: usize, at: usize) -> Location {
        let before = &text[line_start..at];
        let (line0, col0) = match self {
            Origin::Text { line, column, .. } | Origin::Cell { line, column, .. } => (*line, *column),
            Origin::Fixed(loc) => return loc.clone(),
        };
        let (line, column) = if newlines == 0 {
            (line0, col0 + before.chars().count() as u64)
        } else {
            (line0 + newlines, 1 + before.chars().count() as u64)
        };
        match self {
            Origin::Text { .. } => Location::Text { line, column },
            Origin::Cell { row, field, header, .. } => {
                Location::Cell { line, column, row: *row, field: *field, column_header: header.clone() }
            }
            Origin::Fixed(loc) => loc.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_characters() {
        let o = Origin::Text { byte: 0, line: 10, column: 1 };
        let t = "一行目\n電話 03";
        let at = t.find("03").unwrap();
        assert_eq!(o.locate(t, at), Location::Text { line: 11, column: 4 });
        assert_eq!(o.locate(t, 0), Location::Text { line: 10, column: 1 });
    }

    #[test]
    fn locations_serialise_as_the_contract_says() {
        let j = |l: Location| serde_json::to_string(&l).unwrap();
        assert_eq!(j(Location::Text { line: 3, column: 5 }), r#"{"line":3,"column":5}"#);
        let sheet = Location::Sheet { sheet: "社員名簿".into(), cell: "B4".into(), column_header: None };
        assert_eq!(j(sheet), r#"{"sheet":"社員名簿","cell":"B4"}"#);
        assert_eq!(
            j(Location::Part { part: "word/document.xml".into(), paragraph: 2 }),
            r#"{"part":"word/document.xml","paragraph":2}"#
        );
        assert_eq!(j(Location::Header { header: "From".into() }), r#"{"header":"From"}"#);
        assert_eq!(j(Location::Metadata { metadata: "creator".into() }), r#"{"metadata":"creator"}"#);
        assert_eq!(j(Location::FileName { file_name: true }), r#"{"file_name":true}"#);
        assert_eq!(j(Location::Media { media: "image".into() }), r#"{"media":"image"}"#);
        let fixed = Origin::Fixed(Location::Page { page: 7 });
        assert_eq!(fixed.locate("any text", 4), Location::Page { page: 7 });
    }
}
