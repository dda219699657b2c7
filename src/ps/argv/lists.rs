//! Items of selection lists (`-p 1,2`, `-u root`, `-t pts/0`): PIDs, user and group names or
//! ids, terminals; looks names up in the user database and /dev, never reads /proc.

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
pub(super) fn split_list(arg: &str) -> Option<Vec<&str>> {
    let items: Vec<&str> = arg.split([' ', ',', '\t']).collect();
    if items.iter().any(|s| s.is_empty()) {
        return None;
    }
    Some(items)
}

/// C's `strtoul(s, &end, 0)` that must use the whole string (a negative value wraps, as in C).
pub(super) fn strtoul(s: &str) -> Option<u64> {
    let (neg, v) = crate::num::c_number(s)?;
    Some(if neg { v.wrapping_neg() } else { v })
}

pub(super) fn parse_pid(s: &str) -> Result<i64, UsageError> {
    let v = strtoul(s).ok_or_else(|| err("process ID list syntax error"))?;
    if !(1..=0x7fff_ffff).contains(&v) {
        return Err(err("process ID out of range"));
    }
    Ok(v as i64)
}

pub(super) fn parse_id(s: &str, negate: bool, user: bool) -> Result<i64, UsageError> {
    let v = match strtoul(s) {
        Some(v) => v,
        None => {
            let found = if user {
                uzers::get_user_by_name(s).map(|u| u64::from(u.uid()))
            } else {
                uzers::get_group_by_name(s).map(|g| u64::from(g.gid()))
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

pub(super) fn parse_tty(s: &str) -> Result<i64, UsageError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta = |p: &str| std::fs::metadata(p).ok();
    let found = if s.starts_with('/') {
        Some(meta(s).ok_or_else(|| err("TTY could not be found"))?)
    } else {
        [
            format!("/dev/pts/{s}"),
            format!("/dev/{s}"),
            format!("/dev/tty{s}"),
            format!("/dev/pty{s}"),
            format!("/dev/{s}nsole"),
        ]
        .iter()
        .find_map(|p| meta(p))
    };
    let m = match found {
        Some(m) => m,
        None if s == "-" || s == "?" => return Ok(0),
        None if s.len() == 1 && meta(s).is_some() => return Ok(0),
        None => return Err(err("TTY could not be found")),
    };
    if !m.file_type().is_char_device() {
        return Err(err("list member was not a TTY"));
    }
    Ok(i64::from(m.rdev() as u32))
}
