//! Audio: duration, channels, sample rate and tags from the headers of WAV, MP3, FLAC, Ogg
//! (Vorbis, Opus), MP4/M4A/3GP, AMR and WMA/ASF files — small parsers, no decoding.

use super::{content_key, find_keyword, whole_hit, whole_location, Evidence, Item, Keyword, MediaHit, REPORT_FLOOR};
use crate::segment::Location;

/// The ASF header object GUID (WMA, WMV).
pub const ASF_HEADER: [u8; 16] =
    [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];
const ASF_FILE_PROPERTIES: [u8; 16] =
    [0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];
const ASF_STREAM_PROPERTIES: [u8; 16] =
    [0x91, 0x07, 0xDC, 0xB7, 0xB7, 0xA9, 0xCF, 0x11, 0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];
const ASF_CONTENT_DESCRIPTION: [u8; 16] =
    [0x33, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];

/// Names and tags that say "a recorded call or voice".
pub const VOICE_NAMES: &[Keyword] = &[
    ("通話", "name:通話"),
    ("録音", "name:録音"),
    ("着信", "name:着信"),
    ("発信", "name:発信"),
    ("留守電", "name:留守電"),
    ("留守番", "name:留守番"),
    ("ボイスメモ", "name:ボイスメモ"),
    ("音声メモ", "name:音声メモ"),
    ("call", "name:call"),
    ("rec", "name:rec"),
    ("recording", "name:recording"),
    ("voicemail", "name:voicemail"),
    ("voice memo", "name:voice memo"),
    ("voice", "name:voice"),
];

/// Folder names that say "calls are kept here".
pub const VOICE_FOLDERS: &[Keyword] = &[
    ("コールセンター", "folder:コールセンター"),
    ("callcenter", "folder:callcenter"),
    ("call_center", "folder:callcenter"),
    ("call center", "folder:callcenter"),
    ("通話録音", "folder:通話録音"),
    ("問い合わせ", "folder:問い合わせ"),
    ("お客様対応", "folder:お客様対応"),
];

const VOICE_TAGS: &[Keyword] = &[
    ("通話", "tag:通話"),
    ("録音", "tag:録音"),
    ("着信", "tag:着信"),
    ("留守電", "tag:留守電"),
    ("call", "tag:call"),
    ("voicemail", "tag:voicemail"),
    ("recording", "tag:recording"),
];

/// What an audio header says.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AudioInfo {
    /// Format (`wav`, `mp3` …).
    pub format: &'static str,
    /// Samples per second.
    pub sample_rate: Option<u32>,
    /// Channels.
    pub channels: Option<u16>,
    /// Duration in seconds.
    pub duration: Option<f64>,
    /// Title, artist, comment … tags.
    pub tags: Vec<String>,
    /// A speech codec (AMR).
    pub speech_codec: bool,
}

fn u16le(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}
fn u32le(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn u64le(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}
fn u16be(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?))
}
fn u32be(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn u64be(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// Parses the header of an audio file; `size` is the whole file's size (only the head may be
/// in `b`).
pub fn inspect(b: &[u8], size: u64) -> Option<AudioInfo> {
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WAVE") {
        wav(b)
    } else if b.starts_with(b"ID3") || (b.len() > 2 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0) {
        mp3(b, size)
    } else if b.starts_with(b"fLaC") {
        flac(b)
    } else if b.starts_with(b"OggS") {
        ogg(b)
    } else if b.starts_with(b"#!AMR-WB\n") {
        Some(amr(size, 9, 61, 16000)) // 23.85 kbit/s frames
    } else if b.starts_with(b"#!AMR\n") {
        Some(amr(size, 6, 32, 8000)) // 12.2 kbit/s frames
    } else if b.get(4..8) == Some(b"ftyp") {
        mp4(b)
    } else if b.starts_with(&ASF_HEADER) {
        asf(b)
    } else {
        None
    }
}

/// AMR (narrow- or wide-band) at its highest mode: a `magic`-byte header, then frames of
/// `frame` bytes for 20 ms each; mono speech at `rate`.
fn amr(size: u64, magic: u64, frame: u64, rate: u32) -> AudioInfo {
    let frames = size.saturating_sub(magic) as f64 / frame as f64;
    AudioInfo {
        format: "amr",
        sample_rate: Some(rate),
        channels: Some(1),
        duration: Some(frames * 0.02),
        speech_codec: true,
        ..AudioInfo::default()
    }
}

fn wav(b: &[u8]) -> Option<AudioInfo> {
    let mut info = AudioInfo { format: "wav", ..AudioInfo::default() };
    let mut i = 12;
    let mut byte_rate = 0u32;
    while i + 8 <= b.len() {
        let id = &b[i..i + 4];
        let len = u32le(b, i + 4)? as usize;
        let body = i + 8;
        match id {
            b"fmt " => {
                info.channels = u16le(b, body + 2);
                info.sample_rate = u32le(b, body + 4);
                byte_rate = u32le(b, body + 8).unwrap_or(0);
            }
            b"data" if byte_rate > 0 => info.duration = Some(len as f64 / byte_rate as f64),
            b"LIST" if b.get(body..body + 4) == Some(b"INFO") => {
                let end = (body + len).min(b.len());
                let mut j = body + 4;
                while j + 8 <= end {
                    let l = u32le(b, j + 4)? as usize;
                    if let Some(v) = b.get(j + 8..(j + 8 + l).min(end)) {
                        let s = String::from_utf8_lossy(v).trim_end_matches('\0').trim().to_string();
                        if !s.is_empty() {
                            info.tags.push(s);
                        }
                    }
                    j += 8 + l + (l & 1);
                }
            }
            _ => {}
        }
        i = body.checked_add(len)?.checked_add(len & 1)?;
    }
    Some(info)
}

fn id3_text(frame: &[u8]) -> Option<String> {
    let (&enc, rest) = frame.split_first()?;
    let s = match enc {
        0 => rest.iter().map(|&c| c as char).collect::<String>(),
        1 | 2 => {
            let (le, data) = match rest {
                [0xFF, 0xFE, d @ ..] => (true, d),
                [0xFE, 0xFF, d @ ..] => (false, d),
                d => (enc == 1, d),
            };
            let units: Vec<u16> = data
                .chunks_exact(2)
                .map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(rest).into_owned(),
    };
    let s = s.replace('\0', " ").trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn mp3(b: &[u8], size: u64) -> Option<AudioInfo> {
    let mut info = AudioInfo { format: "mp3", ..AudioInfo::default() };
    let mut start = 0usize;
    if b.starts_with(b"ID3") && b.len() >= 10 {
        let major = b[3];
        let syncsafe = |i: usize| -> usize { b[i..i + 4].iter().fold(0usize, |a, &x| (a << 7) | (x & 0x7F) as usize) };
        let tag_len = syncsafe(6);
        start = 10 + tag_len;
        let end = start.min(b.len());
        let mut i = 10;
        while i + 10 <= end && major >= 3 {
            let id = &b[i..i + 4];
            if id[0] == 0 {
                break;
            }
            let len = if major == 4 { syncsafe(i + 4) } else { u32be(b, i + 4)? as usize };
            let body = b.get(i + 10..(i + 10 + len).min(end))?;
            if matches!(id, b"TIT2" | b"TPE1" | b"TALB" | b"TIT1" | b"TIT3") {
                info.tags.extend(id3_text(body));
            } else if id == b"COMM" && body.len() > 4 {
                // encoding, language, short description \0, text
                let enc = body[0];
                let rest = &body[4..];
                let skip = if enc == 1 || enc == 2 {
                    rest.chunks_exact(2).position(|c| c == [0, 0]).map(|p| p * 2 + 2)
                } else {
                    rest.iter().position(|&c| c == 0).map(|p| p + 1)
                };
                if let Some(s) = skip {
                    let mut t = vec![enc];
                    t.extend_from_slice(&rest[s.min(rest.len())..]);
                    info.tags.extend(id3_text(&t));
                }
            }
            i += 10 + len;
        }
    }
    // First frame header.
    let mut i = start;
    while i + 4 <= b.len() {
        if b[i] == 0xFF && b[i + 1] & 0xE0 == 0xE0 {
            let version = (b[i + 1] >> 3) & 3; // 0: 2.5, 2: 2, 3: 1
            let layer = (b[i + 1] >> 1) & 3;
            let br_idx = (b[i + 2] >> 4) as usize;
            let sr_idx = ((b[i + 2] >> 2) & 3) as usize;
            let mode = b[i + 3] >> 6;
            if version != 1 && layer == 1 && br_idx != 0 && br_idx != 15 && sr_idx != 3 {
                let base = [44100u32, 48000, 32000][sr_idx];
                let rate = match version {
                    3 => base,
                    2 => base / 2,
                    _ => base / 4,
                };
                const V1: [u32; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
                const V2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
                let kbps = if version == 3 { V1[br_idx] } else { V2[br_idx] };
                info.sample_rate = Some(rate);
                info.channels = Some(if mode == 3 { 1 } else { 2 });
                info.duration = Some(size.saturating_sub(i as u64) as f64 * 8.0 / (kbps as f64 * 1000.0));
                return Some(info);
            }
        }
        i += 1;
        if i > start + (64 << 10) {
            break;
        }
    }
    (!info.tags.is_empty()).then_some(info)
}

fn vorbis_comments(b: &[u8], tags: &mut Vec<String>) {
    let Some(vendor) = u32le(b, 0) else { return };
    let mut i = 4 + vendor as usize;
    let Some(n) = u32le(b, i) else { return };
    i += 4;
    for _ in 0..n.min(64) {
        let Some(l) = u32le(b, i) else { return };
        let Some(c) = b.get(i + 4..i + 4 + l as usize) else { return };
        let c = String::from_utf8_lossy(c);
        if let Some((k, v)) = c.split_once('=') {
            if matches!(k.to_ascii_uppercase().as_str(), "TITLE" | "ARTIST" | "ALBUM" | "COMMENT" | "DESCRIPTION") {
                tags.push(v.to_string());
            }
        }
        i += 4 + l as usize;
    }
}

fn flac(b: &[u8]) -> Option<AudioInfo> {
    let mut info = AudioInfo { format: "flac", ..AudioInfo::default() };
    let mut i = 4;
    loop {
        let head = *b.get(i)?;
        let len = (u32be(b, i)? & 0x00FF_FFFF) as usize;
        let body = b.get(i + 4..(i + 4 + len).min(b.len()))?;
        match head & 0x7F {
            0 if body.len() >= 18 => {
                let rate = (u32be(body, 10)? >> 12) & 0xF_FFFF;
                let channels = ((body[12] >> 1) & 7) as u16 + 1;
                let total = u64be(body, 10)? & 0xF_FFFF_FFFF;
                info.sample_rate = Some(rate);
                info.channels = Some(channels);
                if rate > 0 && total > 0 {
                    info.duration = Some(total as f64 / rate as f64);
                }
            }
            4 => vorbis_comments(body, &mut info.tags),
            _ => {}
        }
        if head & 0x80 != 0 {
            return Some(info);
        }
        i += 4 + len;
    }
}

fn ogg(b: &[u8]) -> Option<AudioInfo> {
    // First page: 27-byte header, segment table, then the identification packet.
    let segs = *b.get(26)? as usize;
    let p = 27 + segs;
    let pkt = b.get(p..)?;
    let mut info = if pkt.starts_with(b"\x01vorbis") {
        AudioInfo {
            format: "ogg",
            channels: pkt.get(11).map(|&c| c as u16),
            sample_rate: u32le(pkt, 12),
            ..AudioInfo::default()
        }
    } else if pkt.starts_with(b"OpusHead") {
        AudioInfo {
            format: "opus",
            channels: pkt.get(9).map(|&c| c as u16),
            sample_rate: u32le(pkt, 12).filter(|r| *r > 0),
            ..AudioInfo::default()
        }
    } else {
        return None;
    };
    // Comments in the second packet (vorbis: "\x03vorbis", opus: "OpusTags").
    if let Some(i) = memchr::memmem::find(b, b"\x03vorbis") {
        vorbis_comments(&b[i + 7..], &mut info.tags);
    } else if let Some(i) = memchr::memmem::find(b, b"OpusTags") {
        vorbis_comments(&b[i + 8..], &mut info.tags);
    }
    Some(info)
}

fn mp4(b: &[u8]) -> Option<AudioInfo> {
    let brand = b.get(8..12)?;
    let mut info = AudioInfo { format: if brand.starts_with(b"3g") { "3gp" } else { "m4a" }, ..AudioInfo::default() };
    walk_boxes(b, 0, b.len(), 0, &mut info);
    Some(info)
}

fn walk_boxes(b: &[u8], mut i: usize, end: usize, depth: u32, info: &mut AudioInfo) {
    while i + 8 <= end && depth < 10 {
        let Some(mut len) = u32be(b, i).map(|l| l as usize) else { return };
        let kind = &b[i + 4..i + 8];
        let mut head = 8;
        if len == 1 {
            let Some(l) = u64be(b, i + 8) else { return };
            len = l as usize;
            head = 16;
        } else if len == 0 {
            len = end - i;
        }
        if len < head {
            return;
        }
        let body_end = i.saturating_add(len).min(end);
        let body = i + head;
        match kind {
            b"moov" | b"trak" | b"mdia" | b"minf" | b"stbl" | b"udta" | b"ilst" => {
                walk_boxes(b, body, body_end, depth + 1, info)
            }
            b"meta" => walk_boxes(b, body + 4, body_end, depth + 1, info),
            b"mvhd" => {
                let v = b.get(body).copied().unwrap_or(0);
                let (scale, dur) = if v == 1 {
                    (u32be(b, body + 20), u64be(b, body + 24))
                } else {
                    (u32be(b, body + 12), u32be(b, body + 16).map(u64::from))
                };
                if let (Some(s), Some(d)) = (scale, dur) {
                    if s > 0 {
                        info.duration = Some(d as f64 / s as f64);
                    }
                }
            }
            b"stsd" => {
                // version/flags, entry count, then the first sample entry.
                let e = body + 8;
                if let Some(fmt) = b.get(e + 4..e + 8) {
                    if fmt == b"samr" || fmt == b"sawb" {
                        info.speech_codec = true;
                    }
                    info.channels = u16be(b, e + 24);
                    info.sample_rate = u32be(b, e + 32).map(|r| r >> 16);
                }
            }
            [0xA9, b'n', b'a', b'm']
            | [0xA9, b'c', b'm', b't']
            | [0xA9, b'A', b'R', b'T']
            | [0xA9, b'a', b'l', b'b'] => {
                // A `data` box: size, "data", type, locale, text.
                if let Some(t) = b.get(body + 16..body_end) {
                    let s = String::from_utf8_lossy(t).trim().to_string();
                    if !s.is_empty() {
                        info.tags.push(s);
                    }
                }
            }
            _ => {}
        }
        i = body_end.max(i + 8);
    }
}

fn asf(b: &[u8]) -> Option<AudioInfo> {
    let mut info = AudioInfo { format: "wma", ..AudioInfo::default() };
    let count = u32le(b, 24)?;
    let mut i = 30;
    for _ in 0..count.min(64) {
        let guid = b.get(i..i + 16)?;
        let len = u64le(b, i + 16)? as usize;
        if guid == ASF_FILE_PROPERTIES {
            let play = u64le(b, i + 64)? as f64 / 1e7;
            let preroll = u64le(b, i + 80)? as f64 / 1e3;
            info.duration = Some((play - preroll).max(0.0));
        } else if guid == ASF_STREAM_PROPERTIES {
            let ts = i + 78;
            info.channels = u16le(b, ts + 2);
            info.sample_rate = u32le(b, ts + 4);
        } else if guid == ASF_CONTENT_DESCRIPTION {
            let lens: Vec<usize> = (0..5).filter_map(|k| u16le(b, i + 24 + 2 * k).map(usize::from)).collect();
            let mut at = i + 34;
            for l in lens {
                if let Some(d) = b.get(at..at + l) {
                    let units: Vec<u16> = d.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                    let s = String::from_utf16_lossy(&units).trim_end_matches('\0').trim().to_string();
                    if !s.is_empty() {
                        info.tags.push(s);
                    }
                }
                at += l;
            }
        }
        if len < 24 {
            break;
        }
        i += len;
    }
    Some(info)
}

/// The signals for a recording of a call or a voice.
pub fn voice_evidence(info: &AudioInfo, item: &Item) -> Evidence {
    let mut ev = Evidence::default();
    ev.add(0.2, "audio");
    let mono = info.channels == Some(1);
    match info.sample_rate {
        Some(r) if r <= 8000 && mono => ev.add(0.3, "audio:8 kHz mono (telephone)"),
        Some(r) if r <= 16000 && mono => ev.add(0.2, "audio:narrowband mono (speech)"),
        Some(r) if r >= 44100 && info.channels.is_some_and(|c| c >= 2) => ev.add(-0.1, "audio:music-grade stereo"),
        _ => {}
    }
    if info.speech_codec {
        ev.add(0.2, "format:speech codec (AMR)");
    }
    let (folder, file) = item.names.rsplit_once('/').unwrap_or(("", item.names));
    if let Some(r) = find_keyword(file, VOICE_NAMES) {
        ev.add(0.3, r);
    }
    if let Some(r) = find_keyword(folder, VOICE_FOLDERS).or_else(|| find_keyword(folder, VOICE_NAMES)) {
        ev.add(0.15, r);
    }
    if let Some(r) = info.tags.iter().find_map(|t| find_keyword(t, VOICE_TAGS)) {
        ev.add(0.2, r);
    }
    if info.duration.is_some_and(|d| d < 10.0) {
        ev.add(-0.1, "duration:under 10 s (a clip)");
    }
    ev
}

/// Classifies one audio item.
pub fn classify(bytes: &[u8], item: &Item, more: &mut dyn FnMut() -> Option<Vec<u8>>) -> Vec<(Location, MediaHit)> {
    let size = item.size.unwrap_or(bytes.len() as u64);
    let Some(mut info) = inspect(bytes, size) else {
        return Vec::new();
    };
    if info.sample_rate.is_none() && (info.format == "m4a" || info.format == "3gp") && size > bytes.len() as u64 {
        // The `moov` box sits at the end of files not written for streaming (voice memos).
        if let Some(info2) = more().and_then(|all| inspect(&all, size)) {
            info = info2;
        }
    }
    let ev = voice_evidence(&info, item);
    if ev.clamped() < REPORT_FLOOR {
        return Vec::new();
    }
    let mut desc = info.format.to_string();
    if let Some(r) = info.sample_rate {
        desc.push_str(&format!(" {r} Hz"));
    }
    match info.channels {
        Some(1) => desc.push_str(" mono"),
        Some(2) => desc.push_str(" stereo"),
        Some(c) => desc.push_str(&format!(" {c} ch")),
        None => {}
    }
    if let Some(d) = info.duration {
        desc.push_str(&format!(" {d:.0} s"));
    }
    let hit = whole_hit("voice_recording", "media_voice", &ev, item, &desc, &content_key(bytes));
    vec![(whole_location(item, "audio"), hit)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_bytes(rate: u32, channels: u16, seconds: u32) -> Vec<u8> {
        let data = rate * channels as u32 * 2 * seconds;
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&(36 + data).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&(rate * channels as u32 * 2).to_le_bytes());
        b.extend_from_slice(&(channels * 2).to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data.to_le_bytes());
        b.resize(44 + data as usize, 0);
        b
    }

    #[test]
    fn wav_header() {
        let i = inspect(&wav_bytes(8000, 1, 3), 0).unwrap();
        assert_eq!((i.sample_rate, i.channels), (Some(8000), Some(1)));
        assert!((i.duration.unwrap() - 3.0).abs() < 0.01);
    }

    fn boxed(kind: &[u8], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    }

    #[test]
    fn mp4_moov_at_the_end() {
        let mut mvhd = vec![0u8; 12];
        mvhd.extend_from_slice(&1000u32.to_be_bytes()); // timescale
        mvhd.extend_from_slice(&95_000u32.to_be_bytes()); // 95 s
        mvhd.resize(100, 0);
        let mut entry = vec![0u8; 4];
        entry.extend_from_slice(b"samr");
        entry.resize(24, 0);
        entry.extend_from_slice(&1u16.to_be_bytes()); // channels
        entry.resize(32, 0);
        entry.extend_from_slice(&(8000u32 << 16).to_be_bytes());
        let mut stsd = vec![0u8, 0, 0, 0, 0, 0, 0, 1];
        stsd.extend_from_slice(&entry);
        let stbl = boxed(b"stbl", &boxed(b"stsd", &stsd));
        let trak = boxed(b"trak", &boxed(b"mdia", &boxed(b"minf", &stbl)));
        let mut title = vec![0u8; 8];
        title.extend_from_slice("着信 2025-03-01".as_bytes());
        let ilst = boxed(b"ilst", &boxed(&[0xA9, b'n', b'a', b'm'], &boxed(b"data", &title)));
        let mut meta = vec![0u8; 4];
        meta.extend_from_slice(&ilst);
        let udta = boxed(b"udta", &boxed(b"meta", &meta));
        let mut moov_body = boxed(b"mvhd", &mvhd);
        moov_body.extend_from_slice(&trak);
        moov_body.extend_from_slice(&udta);
        let mut file = boxed(b"ftyp", b"3gp4\0\0\0\0");
        file.extend_from_slice(&boxed(b"mdat", &[0u8; 5000]));
        file.extend_from_slice(&boxed(b"moov", &moov_body));
        let i = inspect(&file, file.len() as u64).unwrap();
        assert_eq!((i.format, i.sample_rate, i.channels, i.speech_codec), ("3gp", Some(8000), Some(1), true));
        assert!((i.duration.unwrap() - 95.0).abs() < 0.01);
        assert_eq!(i.tags, vec!["着信 2025-03-01".to_string()]);
        // Only the head in hand: the classifier asks for the rest.
        let item = Item { name: "0301.3gp", names: "0301.3gp", size: Some(file.len() as u64), ..Item::default() };
        let hits = classify(&file[..1000], &item, &mut || Some(file.clone()));
        assert_eq!(hits.len(), 1);
        assert!(hits[0].1.score >= 0.8, "{:?}", hits[0].1);
    }

    #[test]
    fn amr_and_asf_headers() {
        let mut amr = b"#!AMR\n".to_vec();
        amr.resize(6 + 32 * 500, 0);
        let i = inspect(&amr, amr.len() as u64).unwrap();
        assert_eq!(i.sample_rate, Some(8000));
        assert!((i.duration.unwrap() - 10.0).abs() < 0.01);
        // A minimal ASF header: file properties and one audio stream.
        let mut asf = ASF_HEADER.to_vec();
        asf.extend_from_slice(&0u64.to_le_bytes()); // size (unused here)
        asf.extend_from_slice(&2u32.to_le_bytes());
        asf.extend_from_slice(&[1, 2]);
        let mut fp = ASF_FILE_PROPERTIES.to_vec();
        fp.extend_from_slice(&104u64.to_le_bytes());
        fp.resize(24 + 40, 0);
        fp.extend_from_slice(&(65u64 * 10_000_000).to_le_bytes()); // play duration
        fp.extend_from_slice(&0u64.to_le_bytes()); // send duration
        fp.extend_from_slice(&5000u64.to_le_bytes()); // preroll (ms)
        fp.resize(104, 0);
        asf.extend_from_slice(&fp);
        let mut sp = ASF_STREAM_PROPERTIES.to_vec();
        sp.extend_from_slice(&96u64.to_le_bytes());
        sp.resize(78, 0);
        sp.extend_from_slice(&0x161u16.to_le_bytes());
        sp.extend_from_slice(&1u16.to_le_bytes());
        sp.extend_from_slice(&8000u32.to_le_bytes());
        sp.resize(96, 0);
        asf.extend_from_slice(&sp);
        let i = inspect(&asf, asf.len() as u64).unwrap();
        assert_eq!((i.format, i.sample_rate, i.channels), ("wma", Some(8000), Some(1)));
        assert!((i.duration.unwrap() - 60.0).abs() < 0.01);
    }
}
