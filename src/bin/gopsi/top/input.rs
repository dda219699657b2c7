//! Terminal bytes to top's keys: a control key (`^K`, `^N`, `^U`, `^G`, `^E`, `^R`, `^O`,
//! `^Z`) is its own key, never the letter it is typed with, and escape sequences (arrows,
//! paging, Home/End) become named keys. Pure; never reads the terminal itself.

/// One key as top's command loop sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// A control key, by its lower-case letter (`Ctrl('k')` is `^K`).
    Ctrl(char),
    Up,
    Down,
    Left,
    Right,
    PgUp,
    PgDn,
    Home,
    End,
    Enter,
    Esc,
    Backspace,
    /// Anything else (function keys, Tab, an unknown or cut escape sequence, invalid UTF-8).
    Other,
}

/// The keys in one read from a raw-mode terminal. An escape sequence is whole within one read
/// (the terminal writes it at once); a lone ESC is the Esc key.
pub fn decode(buf: &[u8]) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut i = 0;
    while i < buf.len() {
        let (key, used) = one(&buf[i..]);
        keys.push(key);
        i += used.max(1);
    }
    keys
}

/// The first key of `b` (not empty) and the bytes it took.
fn one(b: &[u8]) -> (Key, usize) {
    match b[0] {
        0x1b => match b.get(1) {
            Some(b'[' | b'O') => escape(&b[2..]).map_or((Key::Other, b.len()), |(k, n)| (k, n + 2)),
            _ => (Key::Esc, 1),
        },
        b'\r' | b'\n' => (Key::Enter, 1),
        0x7f | 0x08 => (Key::Backspace, 1),
        c @ 0x01..=0x1a if c != b'\t' => (Key::Ctrl((c + 0x60) as char), 1),
        c if c < 0x80 => {
            if c.is_ascii_graphic() || c == b' ' {
                (Key::Char(c as char), 1)
            } else {
                (Key::Other, 1)
            }
        }
        c => {
            let len = match c {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => return (Key::Other, 1),
            };
            match b.get(..len).and_then(|s| std::str::from_utf8(s).ok()) {
                Some(s) => (s.chars().next().map_or(Key::Other, Key::Char), len),
                None => (Key::Other, 1),
            }
        }
    }
}

/// The key of a CSI/SS3 sequence's body (after `ESC [` or `ESC O`) and the bytes it took;
/// `None` when the sequence is cut short.
fn escape(b: &[u8]) -> Option<(Key, usize)> {
    let end = b.iter().position(|c| (0x40..=0x7e).contains(c))?;
    let params = &b[..end];
    let key = match b[end] {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        b'~' => match params {
            b"1" | b"7" => Key::Home,
            b"4" | b"8" => Key::End,
            b"5" => Key::PgUp,
            b"6" => Key::PgDn,
            _ => Key::Other,
        },
        _ => Key::Other,
    };
    Some((key, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_keys_are_not_letters() {
        for c in ['k', 'n', 'u', 'g', 'e', 'r', 'o', 'z', 'c'] {
            let k = decode(&[c as u8 - 0x60]);
            assert_eq!(k, [Key::Ctrl(c)]);
        }
        assert_eq!(decode(b"kK"), [Key::Char('k'), Key::Char('K')]);
    }

    #[test]
    fn named_keys() {
        let cases: [(&[u8], Key); 16] = [
            (b"\x1b[A", Key::Up),
            (b"\x1bOB", Key::Down),
            (b"\x1b[C", Key::Right),
            (b"\x1b[D", Key::Left),
            (b"\x1b[5~", Key::PgUp),
            (b"\x1b[6~", Key::PgDn),
            (b"\x1b[H", Key::Home),
            (b"\x1b[1~", Key::Home),
            (b"\x1b[F", Key::End),
            (b"\x1b[4~", Key::End),
            (b"\x1b", Key::Esc),
            (b"\r", Key::Enter),
            (b"\n", Key::Enter),
            (b"\x7f", Key::Backspace),
            (b"\x1b[15~", Key::Other),
            (b"\t", Key::Other),
        ];
        for (bytes, key) in cases {
            assert_eq!(decode(bytes), [key], "{bytes:?}");
        }
    }

    #[test]
    fn several_keys_in_one_read() {
        assert_eq!(
            decode("q\x1b[Bé\x1bx".as_bytes()),
            [
                Key::Char('q'),
                Key::Down,
                Key::Char('é'),
                Key::Esc,
                Key::Char('x')
            ]
        );
        // A cut sequence and invalid UTF-8 are keys of their own, never a panic.
        assert_eq!(decode(b"\x1b[1"), [Key::Other]);
        assert_eq!(decode(b"\xff\xc3"), [Key::Other, Key::Other]);
    }
}
