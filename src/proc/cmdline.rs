//! Turns the raw bytes of `/proc/PID/cmdline` (or `environ`) into one line of text the way
//! procps does. Pure: never opens files and never escapes (see `text`).

/// procps reads at most this many bytes of cmdline or environ (128 KiB, less the NUL).
pub const MAX_BYTES: usize = 128 * 1024 - 1;

/// Joins argv: trailing NULs dropped, every other NUL and every newline becomes a space, and a
/// final newline or space (when the file does not end in NUL) is dropped. `None` for an empty
/// file (kernel threads, zombies); `Some(empty)` for a file of NULs only (procps prints `?`).
pub fn join(raw: &[u8]) -> Option<Vec<u8>> {
    let raw = &raw[..raw.len().min(MAX_BYTES)];
    if raw.is_empty() {
        return None;
    }
    let end = raw.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let mut out: Vec<u8> = raw[..end]
        .iter()
        .map(|&b| if b == 0 || b == b'\n' { b' ' } else { b })
        .collect();
    // procps clears the last byte read when it is a blank, i.e. only when no NUL followed it.
    if end == raw.len() && out.last() == Some(&b' ') {
        out.pop();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn argv_is_joined_with_spaces() {
        assert_eq!(join(b"sleep\x001000\x00").unwrap(), b"sleep 1000");
    }

    #[test]
    fn empty_and_nul_only() {
        assert_eq!(join(b""), None);
        assert_eq!(join(b"\0\0\0").unwrap(), b"");
    }

    #[test]
    fn newlines_become_spaces_and_bytes_stay_raw() {
        assert_eq!(join(b"a\nb\x00\xff\xfe\x00").unwrap(), b"a b \xff\xfe");
    }

    #[test]
    fn trailing_blank_without_nul_is_dropped() {
        assert_eq!(join(b"set by prctl \n").unwrap(), b"set by prctl ");
        assert_eq!(join(b"abc ").unwrap(), b"abc");
        assert_eq!(join(b"abc \0").unwrap(), b"abc ");
    }

    #[test]
    fn long_cmdline_is_cut_at_128k() {
        let raw = vec![b'x'; 200_000];
        assert_eq!(join(&raw).unwrap().len(), super::MAX_BYTES);
    }
}
