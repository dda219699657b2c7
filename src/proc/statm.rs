//! Parses `/proc/PID/statm` (memory in pages) from bytes. Pure: never opens files.

/// `/proc/PID/statm`, all in pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Statm {
    /// Virtual size.
    pub size: u64,
    /// Resident.
    pub resident: u64,
    /// Resident and shared (file-backed or shared memory).
    pub shared: u64,
    /// Code.
    pub text: u64,
    /// Data plus stack.
    pub data: u64,
}

/// Parses a statm line; `None` if it has fewer than 3 numbers.
pub fn parse(buf: &[u8]) -> Option<Statm> {
    let mut it = buf
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|w| !w.is_empty())
        .map(|w| super::stat::parse_int(w).map(|n| n as u64));
    let mut next = || it.next().flatten();
    let size = next()?;
    let resident = next()?;
    let shared = next()?;
    let text = next().unwrap_or(0);
    let _lib = next();
    let data = next().unwrap_or(0);
    Some(Statm {
        size,
        resident,
        shared,
        text,
        data,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses() {
        let s = super::parse(b"730 437 415 5 0 89 0\n").unwrap();
        assert_eq!(
            (s.size, s.resident, s.shared, s.text, s.data),
            (730, 437, 415, 5, 89)
        );
        assert_eq!(super::parse(b"1 2"), None);
    }
}
