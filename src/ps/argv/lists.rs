//! Items of selection lists (`-p 1,2`, `-u root`, `-t pts/0`): PIDs, user and group names or
//! ids, terminals, as bytes; looks names up in the user database and /dev as given (a name
//! need not be UTF-8), never reads /proc.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use super::err;
use crate::ps::spec::UsageError;

#[derive(Debug, Clone, Copy)]
pub(super) enum ItemParser {
    Pid,
    Uid,
    Gid,
    Tty,
    Cmd,
}

/// Splits a selection list on blanks, commas and tabs; `None` for an empty list, an empty item
/// or a trailing separator (procps: "improper list").
pub(super) fn split_list(arg: &[u8]) -> Option<Vec<&[u8]>> {
    let items: Vec<&[u8]> = arg.split(|&b| matches!(b, b' ' | b',' | b'\t')).collect();
    if items.iter().any(|s| s.is_empty()) {
        return None;
    }
    Some(items)
}

/// C's `strtoul(s, &end, 0)` that must use the whole string (a negative value wraps, as in C).
pub(super) fn strtoul(s: &[u8]) -> Option<u64> {
    let (neg, v) = crate::num::c_number(std::str::from_utf8(s).ok()?)?;
    Some(if neg { v.wrapping_neg() } else { v })
}

pub(super) fn parse_pid(s: &[u8]) -> Result<i64, UsageError> {
    let v = strtoul(s).ok_or_else(|| err("process ID list syntax error"))?;
    if !(1..=0x7fff_ffff).contains(&v) {
        return Err(err("process ID out of range"));
    }
    Ok(v as i64)
}

pub(super) fn parse_id(s: &[u8], negate: bool, user: bool) -> Result<i64, UsageError> {
    let v = match strtoul(s) {
        Some(v) => v,
        None => {
            let name = OsStr::from_bytes(s);
            let found = if user {
                uzers::get_user_by_name(name).map(|u| u64::from(u.uid()))
            } else {
                uzers::get_group_by_name(name).map(|g| u64::from(g.gid()))
            };
            match found {
                Some(v) => v,
                None if negate => u64::MAX,
                None => {
                    return Err(err(if user {
                        "user name does not exist"
                    } else {
                        "group name does not exist"
                    }));
                }
            }
        }
    };
    if !negate && v > 0xffff_fffe {
        return Err(err(if user {
            "user ID out of range"
        } else {
            "group ID out of range"
        }));
    }
    Ok(v as i64)
}

pub(super) fn parse_tty(s: &[u8]) -> Result<i64, UsageError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta = |p: &[u8]| std::fs::metadata(OsStr::from_bytes(p)).ok();
    let found = if s.starts_with(b"/") {
        Some(meta(s).ok_or_else(|| err("TTY could not be found"))?)
    } else {
        [
            [&b"/dev/pts/"[..], s].concat(),
            [&b"/dev/"[..], s].concat(),
            [&b"/dev/tty"[..], s].concat(),
            [&b"/dev/pty"[..], s].concat(),
            [&b"/dev/"[..], s, b"nsole"].concat(),
        ]
        .iter()
        .find_map(|p| meta(p))
    };
    let m = match found {
        Some(m) => m,
        None if s == b"-" || s == b"?" => return Ok(0),
        None if s.len() == 1 && meta(s).is_some() => return Ok(0),
        None => return Err(err("TTY could not be found")),
    };
    if !m.file_type().is_char_device() {
        return Err(err("list member was not a TTY"));
    }
    Ok(i64::from(m.rdev() as u32))
}
