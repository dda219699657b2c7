//! C-style number reading for command lines (`strtol`/`strtoul` with base 0 over a whole
//! argument), shared by ps and top so both accept what procps accepts. Never touches /proc.

/// The sign and magnitude of a C integer literal as `strtol`/`strtoul` with base 0 read it
/// (leading blanks, a sign, `0x` hex, `0` octal, decimal), when the whole string is the number.
pub fn c_number(s: &str) -> Option<(bool, u64)> {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, h)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    Some((neg, u64::from_str_radix(digits, radix).ok()?))
}

/// `strtol(s, &end, 0)` that must consume the whole string.
pub fn strtol_whole(s: &str) -> Option<i64> {
    let (neg, v) = c_number(s)?;
    let v = i64::try_from(v).ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_literals() {
        assert_eq!(strtol_whole("42"), Some(42));
        assert_eq!(strtol_whole(" -7"), Some(-7));
        assert_eq!(strtol_whole("0x1f"), Some(31));
        assert_eq!(strtol_whole("010"), Some(8));
        assert_eq!(strtol_whole("0"), Some(0));
        assert_eq!(strtol_whole("08"), None);
        assert_eq!(strtol_whole("12x"), None);
        assert_eq!(strtol_whole(""), None);
        assert_eq!(strtol_whole("0x"), None);
        assert_eq!(c_number("-1"), Some((true, 1)));
    }
}
