//! Makes untrusted bytes (argv, comm, user names) safe and measurable for a terminal, exactly as
//! procps does: its library pass, then ps's pass with a cell budget. Never reads /proc.

use crate::sys;

/// Which character rules apply: the locale's, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// A UTF-8 locale (`C.UTF-8`, `en_US.UTF-8`): valid printable characters pass.
    Utf8,
    /// Any other (`C`, `POSIX`): bytes >= 0x80 are `?`, control bytes `.`.
    Bytes,
}

impl Charset {
    /// The charset of the user's locale (from `LC_ALL`, `LC_CTYPE`, `LANG`, as
    /// `setlocale(LC_ALL, "")` would pick it, without changing the process's locale).
    pub fn from_locale() -> Charset {
        if sys::locale_is_utf8() {
            Charset::Utf8
        } else {
            Charset::Bytes
        }
    }
}

/// The byte table of procps's "escape all" step: `|` means keep.
fn esc_all_byte(b: u8) -> u8 {
    match b {
        0x00 => b'@',
        0x01..=0x1f | 0x7f => b'.',
        0x80..=0xff => b'?',
        _ => b,
    }
}

/// Length a UTF-8 lead byte announces (procps's `UTF_tab`), or `None` for a byte that cannot
/// start a character.
pub(crate) fn lead_len(b: u8) -> Option<usize> {
    match b {
        0x00..=0x7f => Some(1),
        0xc2..=0xdf => Some(2),
        0xe0..=0xef => Some(3),
        0xf0..=0xf4 => Some(4),
        _ => None,
    }
}

/// The library's pass (`escape_str` of readproc): in UTF-8, control lead bytes become `?` and
/// everything from the first impossible lead byte on goes through the byte table; otherwise
/// the byte table throughout.
pub fn library_escape(src: &[u8], cs: Charset, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(src);
    let s = &mut out[start..];
    if cs == Charset::Bytes {
        s.iter_mut().for_each(|b| *b = esc_all_byte(*b));
        return;
    }
    let mut i = 0;
    while i < s.len() {
        match lead_len(s[i]) {
            Some(n) if i + n <= s.len() => {
                if s[i] < 0x20 || s[i] == 0x7f {
                    s[i] = b'?';
                }
                i += n;
            }
            _ => {
                s[i..].iter_mut().for_each(|b| *b = esc_all_byte(*b));
                return;
            }
        }
    }
}

/// ps's pass: appends `src` to `out` within `max_cells` terminal cells, replacing what cannot be
/// shown with `?` (UTF-8) or the byte table (other locales). Returns the cells used. A wide
/// character that does not fit whole ends the text.
pub fn ps_escape(src: &[u8], cs: Charset, max_cells: usize, out: &mut String) -> usize {
    let mut cells = 0;
    if cs == Charset::Bytes {
        for &b in src.iter().take(max_cells) {
            let c = match b {
                0x00 => b'Z',
                _ => esc_all_byte(b),
            };
            out.push(c as char);
            cells += 1;
        }
        return cells;
    }
    for chunk in src.utf8_chunks() {
        for c in chunk.valid().chars() {
            if cells >= max_cells {
                return cells;
            }
            if c.is_ascii() {
                out.push(if (' '..='~').contains(&c) { c } else { '?' });
                cells += 1;
            } else if !sys::is_printable(c) {
                out.push('?');
                cells += 1;
            } else {
                let w = sys::char_width(c).max(0) as usize;
                if w > max_cells - cells {
                    return cells;
                }
                out.push(c);
                cells += w;
            }
        }
        for _ in chunk.invalid() {
            if cells >= max_cells {
                return cells;
            }
            out.push('?');
            cells += 1;
        }
    }
    cells
}

/// Both passes: library then ps, as ps shows command text and names.
pub fn escape(src: &[u8], cs: Charset, max_cells: usize, out: &mut String) -> usize {
    let mut tmp = Vec::with_capacity(src.len());
    library_escape(src, cs, &mut tmp);
    ps_escape(&tmp, cs, max_cells, out)
}

/// `src` as text with each byte outside valid UTF-8 replaced by one `?`: as procps shows a
/// user or group name that is not UTF-8, and as long in bytes (its 32-byte rule).
pub fn lossy(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len());
    for chunk in src.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().map(|_| '?'));
    }
    out
}

/// A message for stderr (an error that quotes an argument, a path, a user name) made safe
/// for a terminal: each line escaped as [`escape`] escapes, the newlines kept. Every C0
/// control but `\n`, DEL and every C1 control prints as `?` (`.` for C0 in other locales).
pub fn message(src: &[u8], cs: Charset) -> String {
    let mut out = String::with_capacity(src.len());
    for (i, line) in src.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        escape(line, cs, usize::MAX / 2, &mut out);
    }
    out
}

/// Terminal cells of already-escaped text.
pub fn cells(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                1
            } else {
                sys::char_width(c).max(0) as usize
            }
        })
        .sum()
}

/// Text from a process made safe for any terminal, whatever the locale: invalid UTF-8,
/// control characters (C0, C1, DEL) and the bidirectional formatting characters (which can
/// make a line read backwards) each become `?`. The library's `Display` of names and command
/// lines; needs no locale.
pub fn safe(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len());
    for chunk in src.utf8_chunks() {
        for c in chunk.valid().chars() {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}');
            out.push(if c.is_control() || bidi { '?' } else { c });
        }
        if !chunk.invalid().is_empty() {
            out.push('?');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(src: &[u8], cs: Charset, max: usize) -> (String, usize) {
        sys::locale_is_utf8();
        let mut s = String::new();
        let n = escape(src, cs, max, &mut s);
        (s, n)
    }

    #[test]
    fn c_locale_table() {
        let src = b"tab\there esc\x1b[1m del\x7f utf8-\xc3\xa9 bad\xff end";
        assert_eq!(
            esc(src, Charset::Bytes, 999).0,
            "tab.here esc.[1m del. utf8-?? bad? end"
        );
        assert_eq!(esc(b"abcdef", Charset::Bytes, 3), ("abc".into(), 3));
    }

    #[test]
    fn utf8_controls_and_invalid_bytes() {
        let src = b"tab\there esc\x1b[1m del\x7f ok bad\xff\xfe end";
        assert_eq!(
            esc(src, Charset::Utf8, 999).0,
            "tab?here esc?[1m del? ok bad?? end"
        );
    }

    #[test]
    fn after_a_bad_lead_byte_the_rest_is_byte_escaped() {
        // The library pass switches to the byte table at 0xff: the later tab becomes '.'.
        assert_eq!(esc(b"a\xffb\tc", Charset::Utf8, 99).0, "a?b.c");
    }

    #[test]
    fn lossy_is_a_question_mark_a_byte() {
        assert_eq!(lossy(b"raw\x9b\xff\x7fz\xc3\xa9"), "raw??\x7fz\u{e9}");
    }

    #[test]
    fn messages_keep_newlines_and_escape_the_rest() {
        sys::locale_is_utf8();
        let m = message(b"bad '\x1b]0;x\x07'\n\nusage\t\xc2\x9b\n", Charset::Utf8);
        assert_eq!(m, "bad '?]0;x?'\n\nusage??\n");
        assert_eq!(message(b"a\x1bb\n", Charset::Bytes), "a.b\n");
    }

    #[test]
    fn ascii_budget() {
        assert_eq!(esc(b"sleep 1000", Charset::Utf8, 5), ("sleep".into(), 5));
        assert_eq!(esc(b"", Charset::Utf8, 5), (String::new(), 0));
    }
}
