//! Names a controlling terminal from its device number the way procps does: the tty driver
//! table first, then the process's stderr link, then built-in guesses. Parsing is pure; lookups
//! `stat()` candidate nodes under /dev. Never reads per-process files other than `fd/2`/`fd/255`.

use std::os::unix::fs::MetadataExt;

/// One line of `/proc/tty/drivers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Driver {
    /// Device path below `/dev/`, `%d` suffix removed.
    pub name: String,
    /// Whether the path had a devfs-style `%d` suffix.
    pub devfs: bool,
    /// Major device number.
    pub major: u32,
    /// First minor number of the range.
    pub minor_first: u32,
    /// Last minor number of the range.
    pub minor_last: u32,
}

/// Major number of an encoded `tty_nr`.
pub fn major(dev: u32) -> u32 {
    (dev >> 8) & 0xfff
}

/// Minor number of an encoded `tty_nr`.
pub fn minor(dev: u32) -> u32 {
    (dev & 0xff) | ((dev >> 12) & 0xfff00)
}

/// Parses `/proc/tty/drivers`, in lookup order (procps tries the file's last line first).
pub fn parse_drivers(buf: &[u8]) -> Vec<Driver> {
    let text = String::from_utf8_lossy(buf);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(at) = rest.find(" /dev/") {
        rest = &rest[at + 6..];
        let Some(end) = rest.find(' ') else { continue };
        let mut name = &rest[..end];
        let devfs = name.len() >= 3 && name.ends_with("%d");
        if devfs {
            name = &name[..name.len() - 2];
        }
        let name: String = name.chars().take(15).collect();
        rest = rest[end..].trim_start_matches(' ');
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let major = rest[..digits].parse().unwrap_or(0);
        rest = rest[digits..].trim_start_matches(' ');
        let range: &str = rest.split([' ', '\n']).next().unwrap_or("");
        let mut parts = range.splitn(2, '-');
        let first = parts.next().and_then(leading_u32);
        let last = parts.next().and_then(leading_u32);
        if let Some(first) = first {
            out.push(Driver {
                name,
                devfs,
                major,
                minor_first: first,
                minor_last: last.unwrap_or(first),
            });
        }
    }
    out.reverse();
    out
}

fn leading_u32(s: &str) -> Option<u32> {
    let d = s.bytes().take_while(u8::is_ascii_digit).count();
    s[..d].parse().ok()
}

fn is_dev(path: &str, maj: u32, min: u32) -> bool {
    match std::fs::metadata(path) {
        Ok(m) => libc_major(m.rdev()) == maj && libc_minor(m.rdev()) == min,
        Err(_) => false,
    }
}

fn libc_major(rdev: u64) -> u32 {
    (((rdev >> 32) & 0xffff_f000) | ((rdev >> 8) & 0xfff)) as u32
}

fn libc_minor(rdev: u64) -> u32 {
    (((rdev >> 12) & 0xffff_ff00) | (rdev & 0xff)) as u32
}

/// The driver-table step: `/dev/NAME<minor>`, `/dev/NAME/<minor>`, then `/dev/NAME`.
pub fn driver_name(drivers: &[Driver], maj: u32, min: u32) -> Option<String> {
    let d = drivers
        .iter()
        .find(|d| d.major == maj && d.minor_first <= min && d.minor_last >= min)?;
    let a = format!("/dev/{}{}", d.name, min);
    if std::fs::metadata(&a).is_ok() {
        return is_dev(&a, maj, min).then_some(a);
    }
    let b = format!("/dev/{}/{}", d.name, min);
    if std::fs::metadata(&b).is_ok() {
        return is_dev(&b, maj, min).then_some(b);
    }
    if d.devfs {
        return None;
    }
    let c = format!("/dev/{}", d.name);
    is_dev(&c, maj, min).then_some(c)
}

/// The built-in guesses for well-known majors.
pub fn guess_name(maj: u32, min: u32) -> Option<String> {
    let path = match maj {
        3 if min <= 255 => {
            let t0 = b"pqrstuvwxyzabcde"[(min >> 4) as usize] as char;
            let t1 = b"0123456789abcdef"[(min & 0xf) as usize] as char;
            format!("/dev/tty{t0}{t1}")
        }
        4 if min < 64 => format!("/dev/tty{min}"),
        4 => format!("/dev/ttyS{}", min - 64),
        11 => format!("/dev/ttyB{min}"),
        17 => format!("/dev/ttyH{min}"),
        19 => format!("/dev/ttyC{min}"),
        22 | 23 => format!("/dev/ttyD{min}"),
        24 => format!("/dev/ttyE{min}"),
        32 => format!("/dev/ttyX{min}"),
        43 => format!("/dev/ttyI{min}"),
        46 => format!("/dev/ttyR{min}"),
        48 => format!("/dev/ttyL{min}"),
        57 => format!("/dev/ttyP{min}"),
        71 => format!("/dev/ttyF{min}"),
        75 => format!("/dev/ttyW{min}"),
        78 | 112 => format!("/dev/ttyM{min}"),
        105 => format!("/dev/ttyV{min}"),
        136..=143 => format!("/dev/pts/{}", min + (maj - 136) * 256),
        _ => return None,
    };
    is_dev(&path, maj, min).then_some(path)
}

/// A `readlink` result (of `/proc/PID/fd/2` or `fd/255`) accepted if it is that device.
pub fn link_name(target: &[u8], maj: u32, min: u32) -> Option<String> {
    if target.is_empty() || target.len() >= 63 {
        return None;
    }
    let s = String::from_utf8_lossy(target).into_owned();
    is_dev(&s, maj, min).then_some(s)
}

/// Final form of a tty path: `/dev/` stripped, characters outside 0x21..=0x7e shown as `?`.
pub fn abbreviate(path: &str) -> String {
    let p = path
        .strip_prefix("/dev/")
        .filter(|r| !r.is_empty())
        .unwrap_or(path);
    p.bytes()
        .take(63)
        .map(|c| if c <= b' ' || c > 126 { '?' } else { c as char })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRIVERS: &[u8] = b"/dev/tty             /dev/tty        5       0 system:/dev/tty\n/dev/console         /dev/console    5       1 system:console\n/dev/ptmx            /dev/ptmx       5       2 system\n/dev/vc/0            /dev/vc/0       4       0 system:vtmaster\nserial               /dev/ttyS       4      64 serial\npty_slave            /dev/pts      136 0-1048575 pty:slave\npty_master           /dev/ptm      128 0-1048575 pty:master\nunknown              /dev/tty        4 1-63 console\n";

    #[test]
    fn drivers_are_tried_last_line_first() {
        let d = parse_drivers(DRIVERS);
        assert_eq!(d.len(), 8);
        assert_eq!(d[0].name, "tty");
        assert_eq!((d[0].major, d[0].minor_first, d[0].minor_last), (4, 1, 63));
        assert_eq!(d[2].name, "pts");
        assert_eq!((d[2].minor_first, d[2].minor_last), (0, 1048575));
        assert_eq!(d[3].name, "ttyS");
        assert_eq!(d[3].minor_last, 64);
        assert_eq!(d.last().unwrap().name, "tty");
    }

    #[test]
    fn device_number_decoding() {
        assert_eq!((major(34816), minor(34816)), (136, 0));
        assert_eq!(
            (major(0x10_0000 | 0x8800), minor(0x10_0000 | 0x8800)),
            (136, 0x100)
        );
        assert_eq!((major(1025), minor(1025)), (4, 1));
        assert_eq!((major(1088), minor(1088)), (4, 64));
    }

    #[test]
    fn abbreviation() {
        assert_eq!(abbreviate("/dev/pts/3"), "pts/3");
        assert_eq!(abbreviate("/dev/ttyS0"), "ttyS0");
        assert_eq!(abbreviate("/dev/"), "/dev/");
        assert_eq!(abbreviate("/dev/a b\u{e9}"), "a?b??");
    }
}
