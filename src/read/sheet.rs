//! Spreadsheets (xlsx/xlsm, xlsb, xls, ods) through calamine: every cell a segment.
//!
//! A cell is located by sheet and A1 reference (`{"sheet": "社員名簿", "cell": "B4"}`) and,
//! exactly as a CSV field, labelled by its column header when the first row reads as a header
//! (or by the cell to its left when that cell is a label), so `090-…` under `携帯` counts as a
//! phone. Values are rendered as a person reads them: dates `YYYY/MM/DD`, whole numbers
//! without `.0`. xlsx and xlsb stream their cells (a sheet is never a dense grid in memory).
//!
//! calamine reads values only. From an xlsx package this module also reads the document
//! properties (author, last editor, title), the cell comments (located at their cell) and the
//! phonetic readings of shared strings (`rPh`: name readings such as ヤマダタロウ). calamine
//! unpacks parts without limits, so every part of a zip-based workbook first goes through the
//! archive reader's caps; a workbook over them is refused.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, Xls, Xlsb, Xlsx};

use super::archive::{self, read_member, read_member_bytes};
use super::office::{emit_paragraphs, emit_properties, parse_rels, part_names, relationship_id, rels_name};
use super::xmltext::{self, Dialect, Para};
use super::{Ctx, Outcome, ReadError};
use crate::segment::{Location, Origin, Segment};

/// A spreadsheet format calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// Office Open XML workbook (xlsx, xlsm).
    Xlsx,
    /// Binary workbook (xlsb).
    Xlsb,
    /// Legacy BIFF workbook (xls).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
}

/// `B4` for 0-based row 3, column 1.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn datetime(d: &ExcelDateTime) -> String {
    let v = d.as_f64();
    if d.is_duration() {
        let secs = (v * 86_400.0).round() as i64;
        return format!("{}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60);
    }
    let (y, m, day, h, mi, s, _) = d.to_ymd_hms_milli();
    if (0.0..1.0).contains(&v) {
        return format!("{h:02}:{mi:02}:{s:02}");
    }
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}/{m:02}/{day:02}")
    } else {
        format!("{y:04}/{m:02}/{day:02} {h:02}:{mi:02}:{s:02}")
    }
}

fn iso(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && s.is_char_boundary(10) {
        let date = s[..10].replace('-', "/");
        let rest = s[10..].trim_start_matches('T').trim();
        if rest.is_empty() || rest.starts_with("00:00:00") {
            date
        } else {
            format!("{date} {rest}")
        }
    } else {
        s.to_string()
    }
}

/// A cell value as a person reads it; `None` for empty and error cells.
pub fn render(d: &Data) -> Option<String> {
    Some(match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => datetime(dt),
        Data::DateTimeIso(s) => iso(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => return None,
    })
}

fn render_ref(d: &DataRef) -> Option<String> {
    Some(match d {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(dt) => datetime(dt),
        DataRef::DateTimeIso(s) => iso(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => return None,
    })
}

/// Turns a stream of cells (in row order) into segments, labelling as CSV does: the first
/// row is held back until it is known whether it is a header.
struct Cells<'a, 'e> {
    sheet: String,
    is_header: &'a dyn Fn(&[&str]) -> bool,
    emit: &'e mut dyn FnMut(&Segment),
    first_row: Option<u32>,
    pending: Vec<(u32, u32, String)>,
    decided: bool,
    header: Option<HashMap<u32, String>>,
    left: Option<(u32, u32, String)>,
}

impl<'a, 'e> Cells<'a, 'e> {
    fn new(sheet: &str, is_header: &'a dyn Fn(&[&str]) -> bool, emit: &'e mut dyn FnMut(&Segment)) -> Self {
        Cells {
            sheet: sheet.to_string(),
            is_header,
            emit,
            first_row: None,
            pending: Vec::new(),
            decided: false,
            header: None,
            left: None,
        }
    }

    fn push(&mut self, row: u32, col: u32, text: String) {
        if text.trim().is_empty() {
            return;
        }
        if !self.decided {
            let first = *self.first_row.get_or_insert(row);
            if row == first {
                self.pending.push((row, col, text));
                return;
            }
            self.decide();
        }
        self.cell(row, col, text);
    }

    fn decide(&mut self) {
        if self.decided {
            return;
        }
        self.decided = true;
        let cells: Vec<&str> = self.pending.iter().map(|(_, _, t)| t.trim()).collect();
        if !cells.is_empty() && (self.is_header)(&cells) {
            self.header = Some(self.pending.iter().map(|(_, c, t)| (*c, t.trim().to_string())).collect());
        }
        for (r, c, t) in std::mem::take(&mut self.pending) {
            self.cell(r, c, t);
        }
    }

    fn cell(&mut self, row: u32, col: u32, text: String) {
        let label = if self.header.is_some() && Some(row) == self.first_row {
            None
        } else if let Some(h) = &self.header {
            h.get(&col).cloned().filter(|h| !h.is_empty())
        } else {
            match &self.left {
                Some((lr, lc, lt)) if *lr == row && lc + 1 == col => {
                    let left = lt.trim();
                    (self.is_header)(&[left]).then(|| left.to_string())
                }
                _ => None,
            }
        };
        let loc = Location::Sheet { sheet: self.sheet.clone(), cell: a1(row, col), column_header: label.clone() };
        let mut seg = Segment::new(text, Origin::Fixed(loc));
        seg.label = label;
        (self.emit)(&seg);
        self.left = Some((row, col, seg.text));
    }
}

/// Most cells an xls or ods workbook may span, over all its sheets. calamine builds every sheet
/// of an xls or ods as a full grid (and a second one for formulas) when it opens the file, sized by the
/// cells' bounding box and by the `DIMENSIONS` records, so a small file with one cell at `A1` and
/// one at `IV65536` — or a `DIMENSIONS` record declaring 4 G rows — would cost gigabytes (or
/// abort the process). 4 M cells is 65,536 rows × 64 columns.
pub const MAX_GRID_CELLS: u64 = 4 << 20;

/// Checks, before calamine opens it, that an xls workbook's sheets span at most
/// [`MAX_GRID_CELLS`] cells: reads the BIFF records of its `Workbook` stream and adds up, per
/// sheet, the area its cell records span and the area its `DIMENSIONS` record declares.
/// A file whose stream cannot be found is left to calamine to refuse.
pub fn check_xls_size(bytes: &[u8], max_stream: u64) -> Result<(), ReadError> {
    use std::io::Read;
    let Ok(mut cfb) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return Ok(()) };
    let mut stream = Vec::new();
    for name in ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"] {
        if let Ok(s) = cfb.open_stream(name) {
            if s.take(max_stream).read_to_end(&mut stream).is_err() {
                return Ok(());
            }
            break;
        }
    }
    let too_big = || {
        ReadError::Invalid(format!(
            "xls: sheets span more than {} cells (declared or used), not inspected",
            MAX_GRID_CELLS
        ))
    };
    let mut total = 0u64;
    // Bounding box of the cells of the current sheet: (min row, max row, min col, max col).
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let area = |b: Option<(u32, u32, u32, u32)>| {
        b.map_or(0, |(r0, r1, c0, c1)| (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1))
    };
    let mut i = 0usize;
    while i + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[i], stream[i + 1]]);
        let len = u16::from_le_bytes([stream[i + 2], stream[i + 3]]) as usize;
        let data = &stream[i + 4..(i + 4 + len).min(stream.len())];
        i += 4 + len;
        let u16_at = |k: usize| data.get(k..k + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
        let mut cell = |row: u32, c0: u32, c1: u32| {
            let (r_lo, r_hi, c_lo, c_hi) = bounds.unwrap_or((row, row, c0, c1));
            bounds = Some((r_lo.min(row), r_hi.max(row), c_lo.min(c0), c_hi.max(c1)));
        };
        match typ {
            // BOF, EOF: a sheet's records end.
            0x0809 | 0x000A => {
                total += area(bounds.take());
            }
            // DIMENSIONS (BIFF8: rows as u32, BIFF5: as u16).
            0x0200 => {
                let (r0, r1, c0, c1) = if data.len() >= 14 {
                    let u32_at = |k: usize| u32::from_le_bytes([data[k], data[k + 1], data[k + 2], data[k + 3]]);
                    (u64::from(u32_at(0)), u64::from(u32_at(4)), u16_at(8), u16_at(10))
                } else {
                    (u16_at(0).map_or(0, u64::from), u16_at(2).map_or(0, u64::from), u16_at(4), u16_at(6))
                };
                let (c0, c1) = (u64::from(c0.unwrap_or(0)), u64::from(c1.unwrap_or(0)));
                if r1.saturating_sub(r0).saturating_mul(c1.saturating_sub(c0)) > MAX_GRID_CELLS {
                    return Err(too_big());
                }
            }
            // Cells: NUMBER, LABEL, BOOLERR, RK, LABELSST, FORMULA, RSTRING.
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00D6 => {
                if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                    cell(r, c, c);
                }
            }
            // MULRK: a run of cells from the first column to the last.
            0x00BD if data.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (u16_at(0), u16_at(2), u16_at(data.len() - 2)) {
                    cell(r, c0.min(c1), c0.max(c1));
                }
            }
            _ => {}
        }
        if total + area(bounds) > MAX_GRID_CELLS {
            return Err(too_big());
        }
    }
    Ok(())
}

/// Checks, before calamine opens it, that an ods workbook's sheets span at most
/// [`MAX_GRID_CELLS`] cells: walks `content.xml` and adds up, per table, the rows up to the last
/// one with content (repeats counted) times the widest row up to its last cell with content.
/// `table:number-rows-repeated` and `table:number-columns-repeated` make a few bytes declare
/// millions of cells, which calamine would build.
pub fn check_ods_size(content: &[u8]) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(content);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let repeat = |e: &quick_xml::events::BytesStart, key: &[u8]| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let has_value =
        |e: &quick_xml::events::BytesStart| e.attributes().flatten().any(|a| a.key.as_ref() == b"office:value-type");
    let (mut total, mut rows, mut last_row, mut width) = (0u64, 0u64, 0u64, 0u64);
    let (mut row_repeat, mut col, mut row_extent) = (1u64, 0u64, 0u64);
    let mut ticks = 0u32;
    loop {
        super::limit::tick(&mut ticks, 1024);
        let Ok(ev) = reader.read_event_into(&mut buf) else { return Ok(()) }; // calamine decides
        match &ev {
            Event::Eof => return Ok(()),
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"table:table" => (rows, last_row, width) = (0, 0, 0),
                b"table:table-row" => {
                    (row_repeat, col, row_extent) = (repeat(e, b"table:number-rows-repeated"), 0, 0);
                    if matches!(ev, Event::Empty(_)) {
                        rows = rows.saturating_add(row_repeat);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    col = col.saturating_add(repeat(e, b"table:number-columns-repeated"));
                    if matches!(ev, Event::Start(_)) || has_value(e) {
                        row_extent = col;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"table:table-row" => {
                    rows = rows.saturating_add(row_repeat);
                    if row_extent > 0 {
                        last_row = rows;
                        width = width.max(row_extent);
                    }
                }
                b"table:table" => {
                    total = total.saturating_add(last_row.saturating_mul(width));
                    (rows, last_row, width) = (0, 0, 0);
                }
                _ => {}
            },
            _ => {}
        }
        if total.saturating_add(last_row.saturating_mul(width)) > MAX_GRID_CELLS {
            return Err(ReadError::Invalid(format!(
                "ods: sheets span more than {MAX_GRID_CELLS} cells (repeated rows and columns), not inspected"
            )));
        }
        buf.clear();
    }
}

fn unreadable(format: &str) -> ReadError {
    ReadError::Invalid(format!("{format}: unreadable or corrupt workbook"))
}

/// Reads a workbook held in memory.
pub fn read(
    kind: SheetKind,
    bytes: &[u8],
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<Outcome, ReadError> {
    let format = match kind {
        SheetKind::Xlsx => "xlsx",
        SheetKind::Xlsb => "xlsb",
        SheetKind::Xls => "xls",
        SheetKind::Ods => "ods",
    };
    if kind == SheetKind::Xls {
        check_xls_size(bytes, ctx.opts.max_part_size)?;
    }
    // Zip-based workbooks: every part through the caps first; keep the parts read below.
    let mut kept: Vec<(String, Vec<u8>)> = Vec::new();
    let mut media: Vec<(String, Vec<u8>, crate::media::MediaKind)> = Vec::new();
    // Drawings (with pictures) and their relationships: the pictures' alt text and names.
    let mut drawings: Vec<(String, Vec<u8>)> = Vec::new();
    let mut drawing_rels: std::collections::HashMap<String, Vec<u8>> = std::collections::HashMap::new();
    let mut headers_footers: Vec<(String, String)> = Vec::new();
    if kind != SheetKind::Xls {
        let mut zip = archive::open(Cursor::new(bytes))?;
        for (i, name) in part_names(&zip).into_iter().enumerate() {
            let data = read_member(&mut zip, i, ctx)
                .map_err(|reason| ReadError::Invalid(format!("{format}: part {name}: {reason}")))?;
            if kind == SheetKind::Ods && name == "content.xml" {
                check_ods_size(&data)?;
            }
            if kind == SheetKind::Xlsx && name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
                // Page headers and footers (calamine skips them) sit at the end of the sheet.
                let at = memchr::memmem::find(&data, b"<headerFooter");
                let end = at.and_then(|a| memchr::memmem::find(&data[a..], b"</headerFooter>").map(|e| a + e + 15));
                if let (Some(at), Some(end)) = (at, end) {
                    for (_, text) in xmltext::properties(&data[at..end], HEADER_FOOTER).unwrap_or_default() {
                        headers_footers.push((name.clone(), header_footer_text(&text)));
                    }
                }
            }
            if name.starts_with("xl/drawings/_rels/") && name.ends_with(".xml.rels") {
                drawing_rels.insert(name.clone(), data.clone());
            } else if name.starts_with("xl/drawings/")
                && name.ends_with(".xml")
                && memchr::memmem::find(&data, b"blip").is_some()
            {
                drawings.push((name.clone(), data.clone()));
            }
            if let Some(m) = super::office::media_part(&name) {
                media.push((name, data, m));
            } else if keep(&name) {
                kept.push((name, data));
            }
        }
    }
    // The workbook's text, kept (capped) for the images in it, which are read last.
    let mut context = crate::media::ContextText::default();
    let outer_emit = emit;
    let emit = &mut |seg: &Segment| {
        context.push(&seg.text);
        outer_emit(seg);
    };
    // calamine panics on some corrupt workbooks: that is an unreadable file, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cells(kind, format, bytes, ctx, emit))).unwrap_or_else(
        |p| {
            super::limit::rethrow(p);
            Err(unreadable(format))
        },
    )?;
    extras(&kept, ctx, emit);
    for (i, (part, text)) in headers_footers.into_iter().enumerate() {
        if !text.trim().is_empty() {
            emit(&Segment::new(text, Origin::Fixed(Location::Part { part, paragraph: i as u64 + 1 })));
        }
    }
    if !media.is_empty() {
        let mut labels: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for (drawing, xml) in &drawings {
            let rels = drawing_rels.get(&rels_name(drawing)).map(|r| parse_rels(r, drawing)).unwrap_or_default();
            for (rid, label) in xmltext::image_labels(xml).unwrap_or_default() {
                if let Some((_, target)) = rels.get(&rid) {
                    let l = labels.entry(target.clone()).or_default();
                    l.push(' ');
                    l.push_str(&label);
                }
            }
        }
        let outer = std::mem::replace(&mut ctx.context, context.0);
        for (name, data, m) in media {
            let label = labels.remove(&name).unwrap_or_default();
            crate::media::read_labelled(m, &name, &label, &data, ctx, &mut |seg: &Segment| {
                let mut seg = seg.clone();
                seg.member = Some(name.clone());
                outer_emit(&seg);
            });
        }
        ctx.context = outer;
    }
    Ok(Outcome::Document { format, problems: Vec::new() })
}

const HEADER_FOOTER: &[&str] = &["oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"];

/// The text of a page header or footer without its formatting codes: `&L`/`&C`/`&R` (sections,
/// kept apart by a space), `&P` `&N` `&D` `&T` `&F` `&A` (fields), `&"font,style"`, `&12` (size),
/// `&KRRGGBB` (colour), `&B` `&I` …; `&&` is an ampersand.
fn header_footer_text(raw: &str) -> String {
    let mut out = String::new();
    let mut it = raw.chars().peekable();
    while let Some(c) = it.next() {
        if c != '&' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('&') => out.push('&'),
            Some('"') => {
                for c in it.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            Some('K') => {
                for _ in 0..6 {
                    it.next();
                }
            }
            Some(d) if d.is_ascii_digit() => {
                while it.peek().is_some_and(|c| c.is_ascii_digit()) {
                    it.next();
                }
            }
            Some('L' | 'C' | 'R') => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Streams the cells of every sheet of a workbook whose reader hands out cells one at a time
/// (xlsx, xlsb: the two calamine readers have the same methods but no common trait).
macro_rules! stream_cells {
    ($wb:ident, $is_header:ident, $ctx:ident, $emit:ident) => {
        for name in $wb.sheet_names() {
            let mut cells = Cells::new(&name, $is_header, $emit);
            let mut reader = match $wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                Err(_) => {
                    $ctx.problem(&format!("sheet {name}"), "unreadable sheet");
                    continue;
                }
            };
            let mut ticks = 0u32;
            loop {
                super::limit::tick(&mut ticks, 4096);
                match reader.next_cell() {
                    Ok(Some(c)) => {
                        let (r, col) = c.get_position();
                        if let Some(t) = render_ref(c.get_value()) {
                            cells.push(r, col, t);
                        }
                    }
                    Ok(None) => break,
                    Err(_) => {
                        $ctx.problem(&format!("sheet {name}"), "sheet partly unreadable");
                        break;
                    }
                }
            }
            cells.decide();
        }
    };
}

fn cells(
    kind: SheetKind,
    format: &str,
    bytes: &[u8],
    ctx: &mut Ctx,
    emit: &mut dyn FnMut(&Segment),
) -> Result<(), ReadError> {
    let is_header = ctx.is_header;
    let cursor = Cursor::new(bytes);
    match kind {
        SheetKind::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(cursor).map_err(|_| unreadable(format))?;
            stream_cells!(wb, is_header, ctx, emit);
        }
        SheetKind::Xlsb => {
            let mut wb: Xlsb<_> = Xlsb::new(cursor).map_err(|_| unreadable(format))?;
            stream_cells!(wb, is_header, ctx, emit);
        }
        SheetKind::Xls | SheetKind::Ods => {
            // One sheet's grid (a copy of calamine's) at a time.
            let mut sheet = |name: String, range: Result<calamine::Range<Data>, ()>| {
                let Ok(range) = range else {
                    ctx.problem(&format!("sheet {name}"), "unreadable sheet");
                    return;
                };
                let mut cells = Cells::new(&name, is_header, emit);
                let mut ticks = 0u32;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, d) in range.used_cells() {
                    super::limit::tick(&mut ticks, 4096);
                    if let Some(t) = render(d) {
                        cells.push(r0 + r as u32, c0 + c as u32, t);
                    }
                }
                cells.decide();
            };
            if kind == SheetKind::Xls {
                let mut wb: Xls<_> = Xls::new(cursor).map_err(|_| unreadable(format))?;
                for n in wb.sheet_names() {
                    let range = wb.worksheet_range(&n).map_err(|_| ());
                    sheet(n, range);
                }
            } else {
                let mut wb: Ods<_> = Ods::new(cursor).map_err(|_| unreadable(format))?;
                for n in wb.sheet_names() {
                    let range = wb.worksheet_range(&n).map_err(|_| ());
                    sheet(n, range);
                }
            }
        }
    }
    Ok(())
}

/// Parts of a workbook package read besides the cells.
fn keep(name: &str) -> bool {
    name == "docProps/core.xml"
        || name == "docProps/app.xml"
        || name == "meta.xml"
        || name == "xl/workbook.xml"
        || name == "xl/sharedStrings.xml"
        || (name.starts_with("xl/") && name.ends_with(".rels"))
        || (name.starts_with("xl/")
            && name.contains("comments")
            && !name.contains("threaded")
            && name.ends_with(".xml"))
        || (name.starts_with("xl/drawings/") && name.ends_with(".xml") && !name.contains("_rels/"))
        || name.contains("/embeddings/")
}

/// Comment part → sheet name, through workbook.xml and the relationships.
fn comment_sheets(parts: &HashMap<&str, &[u8]>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let (Some(wb), Some(wb_rels)) = (parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")) else {
        return out;
    };
    let wb_rels = parse_rels(wb_rels, "xl/workbook.xml");
    for attrs in xmltext::elements(wb, b"sheet").unwrap_or_default() {
        let Some(name) = attrs.iter().find(|(k, _)| k == "name").map(|(_, v)| v.clone()) else { continue };
        let Some((_, sheet_part)) = relationship_id(&attrs).and_then(|id| wb_rels.get(&id)) else { continue };
        let Some(sheet_rels) = parts.get(rels_name(sheet_part).as_str()) else { continue };
        for (kind, target) in parse_rels(sheet_rels, sheet_part).into_values() {
            if kind.ends_with("/comments") {
                out.insert(target, name.clone());
            }
        }
    }
    out
}

fn extras(kept: &[(String, Vec<u8>)], ctx: &mut Ctx, emit: &mut dyn FnMut(&Segment)) {
    let parts: HashMap<&str, &[u8]> = kept.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
    let comment_sheet = comment_sheets(&parts);
    for (name, data) in kept {
        let name = name.as_str();
        let result = if name == "docProps/core.xml" || name == "docProps/app.xml" || name == "meta.xml" {
            emit_properties(data, emit)
        } else if name.contains("/embeddings/") {
            read_member_bytes(name, data, ctx, emit);
            Ok(())
        } else if name == "xl/sharedStrings.xml" {
            // Cell text comes from calamine; only the phonetic readings are new.
            let locate = |p: &Para| Location::Part { part: name.to_string(), paragraph: p.index };
            xmltext::paragraphs(data, Dialect::Ooxml, &mut |p: Para| {
                if p.reading {
                    let loc = locate(&p);
                    emit(&Segment::new(p.text, Origin::Fixed(loc)));
                }
            })
        } else if name.ends_with(".xml") && (name.contains("comments") || name.starts_with("xl/drawings/")) {
            let sheet = comment_sheet.get(name).cloned();
            let locate = |p: &Para| match (&sheet, &p.anchor) {
                (Some(sheet), Some(cell)) => {
                    Location::Sheet { sheet: sheet.clone(), cell: cell.clone(), column_header: None }
                }
                _ => Location::Part { part: name.to_string(), paragraph: p.index },
            };
            emit_paragraphs(data, Dialect::Ooxml, &locate, ctx.is_header, emit)
        } else {
            Ok(())
        };
        if let Err(reason) = result {
            ctx.problem(name, reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An xls (a compound file whose `Workbook` stream holds these BIFF records).
    fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        use std::io::Write;
        let mut stream = Vec::new();
        for (typ, data) in records {
            stream.extend_from_slice(&typ.to_le_bytes());
            stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
            stream.extend_from_slice(data);
        }
        let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cfb.create_stream("/Workbook").unwrap().write_all(&stream).unwrap();
        cfb.flush().unwrap();
        cfb.into_inner().into_inner()
    }

    fn number_record(row: u16, col: u16) -> (u16, Vec<u8>) {
        let mut d = Vec::new();
        d.extend_from_slice(&row.to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(&1.0f64.to_le_bytes());
        (0x0203, d)
    }

    #[test]
    fn ods_sheets_spanning_too_many_cells_are_refused() {
        let doc = |rows: &str| {
            format!(
                "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"S\">{rows}\
                 </table:table></office:spreadsheet></office:body></office:document-content>"
            )
        };
        let cell = "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";
        let small = doc(&format!("<table:table-row>{cell}{cell}</table:table-row>"));
        assert!(check_ods_size(small.as_bytes()).is_ok());
        // Empty repeated rows and columns (how every ods ends a sheet) cost nothing.
        let padded = doc(&format!(
            "<table:table-row>{cell}<table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell \
             table:number-columns-repeated=\"16000\"/></table:table-row>"
        ));
        assert!(check_ods_size(padded.as_bytes()).is_ok());
        // A cell with content repeated over a million rows and a thousand columns does.
        let bomb = doc("<table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell \
             table:number-columns-repeated=\"1000\" office:value-type=\"float\" office:value=\"1\"/>\
             </table:table-row>");
        assert!(check_ods_size(bomb.as_bytes()).is_err());
    }

    #[test]
    fn xls_sheets_spanning_too_many_cells_are_refused() {
        let bof = (0x0809u16, vec![0u8; 16]);
        let eof = (0x000Au16, Vec::new());
        let small = xls(&[bof.clone(), number_record(0, 0), number_record(99, 9), eof.clone()]);
        assert!(check_xls_size(&small, 1 << 20).is_ok());
        // Two cells far apart: a grid of 65,536 × 256.
        let sparse = xls(&[bof.clone(), number_record(0, 0), number_record(65_535, 255), eof.clone()]);
        assert!(check_xls_size(&sparse, 1 << 20).is_err());
        // A DIMENSIONS record declaring 4 G rows.
        let mut dims = Vec::new();
        dims.extend_from_slice(&0u32.to_le_bytes());
        dims.extend_from_slice(&u32::MAX.to_le_bytes());
        dims.extend_from_slice(&0u16.to_le_bytes());
        dims.extend_from_slice(&255u16.to_le_bytes());
        dims.extend_from_slice(&[0, 0]);
        let declared = xls(&[bof.clone(), (0x0200, dims), number_record(0, 0), eof.clone()]);
        let opts = crate::read::ReadOptions::default();
        let is_header = |_: &[&str]| false;
        let mut ctx = Ctx::new(&opts, &is_header);
        let err = read(SheetKind::Xls, &declared, &mut ctx, &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("cells"), "{err}");
        // Many sheets add up.
        let mut many = Vec::new();
        for _ in 0..20 {
            many.extend([bof.clone(), number_record(0, 0), number_record(65_535, 3), eof.clone()]);
        }
        assert!(check_xls_size(&xls(&many), 1 << 30).is_err());
    }

    #[test]
    fn header_footer_codes_are_stripped() {
        assert_eq!(
            header_footer_text("&L&\"ＭＳ ゴシック,太字\"&12担当：山田 TEL 03-1234-5678&R&P / &N"),
            "担当：山田 TEL 03-1234-5678  /"
        );
        assert_eq!(header_footer_text("&CA&&B &KFF0000赤"), "A&B 赤");
    }

    #[test]
    fn cell_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(3, 1), "B4");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 702), "AAA10");
    }

    #[test]
    fn values_read_as_people_read_them() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(312345678.0), "312345678");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(iso("1980-04-01T00:00:00"), "1980/04/01");
        assert_eq!(iso("1980-04-01"), "1980/04/01");
        let d = ExcelDateTime::new(29312.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime(&d), "1980/04/01");
    }
}
