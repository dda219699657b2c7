//! The format and sort language: `-o`/`O` lists (`spec[:WIDTH][=HEADER]`, macros, AIX `%`
//! descriptors) and `--sort`/`k`/`O` sort keys, turned into columns; never reads /proc.

use super::{FmtItem, SortKey};
use crate::columns;

/// A ps usage error: procps prints `error: MESSAGE` and the usage text, exit status 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

pub(in crate::ps) fn err(msg: &str) -> UsageError {
    UsageError(msg.to_string())
}

/// Parses a format list (`-o`): `spec[:WIDTH][=HEADER]` items separated by blanks or commas,
/// one trailing separator allowed; falls back to AIX `%` descriptors.
pub fn format_parse(text: &str) -> Result<Vec<FmtItem>, UsageError> {
    match format_parse_plain(text) {
        Ok(v) => Ok(v),
        Err(e) if text.contains('%') => {
            aix_parse(text).map_err(|a| if a.0.is_empty() { e } else { a })
        }
        Err(e) => Err(e),
    }
}

fn format_parse_plain(text: &str) -> Result<Vec<FmtItem>, UsageError> {
    let seps = [' ', ',', '\t', '\n'];
    let mut t = text;
    if t.is_empty() || t.starts_with(seps) {
        return Err(err(if t.trim_matches(seps).is_empty() && !t.is_empty() {
            "improper format list"
        } else if t.is_empty() {
            "empty format list"
        } else {
            "improper format list"
        }));
    }
    if t.ends_with(seps) {
        t = &t[..t.len() - 1];
    }
    let items: Vec<&str> = t.split(seps).collect();
    if items.iter().any(|s| s.is_empty()) {
        return Err(err("improper format list"));
    }
    let mut out = Vec::new();
    for it in items {
        let (spec, header) = match it.split_once('=') {
            Some((s, h)) => (s, Some(h.to_string())),
            None => (it, None),
        };
        let (name, width) = match spec.split_once(':') {
            Some((n, w)) => {
                let ok =
                    !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()) && !w.starts_with('0');
                let w: usize = w
                    .parse()
                    .ok()
                    .filter(|_| ok)
                    .ok_or_else(|| err("column widths must be unsigned decimal numbers"))?;
                (n, Some(w))
            }
            None => (spec, None),
        };
        match columns::find(name) {
            Some(col) => out.push(FmtItem::Column { col, width, header }),
            None => match macro_spec(name) {
                Some(list) if width.is_none() => {
                    out.extend(list.split(',').map(|n| match FmtItem::named(n) {
                        FmtItem::Column { col, .. } => FmtItem::Column {
                            col,
                            width: None,
                            header: header.clone(),
                        },
                        l => l,
                    }));
                }
                Some(_) => {
                    return Err(err(
                        "can not set width for a macro (multi-column) format specifier",
                    ));
                }
                None => {
                    return Err(err(&format!(
                        "unknown user-defined format specifier \"{name}\""
                    )));
                }
            },
        }
    }
    Ok(out)
}

/// procps's named format macros that `-o` accepts (all 49 of procps-ng 4.0.2).
fn macro_spec(name: &str) -> Option<&'static str> {
    Some(match name {
        "DFMT" => "pid,tname,state,cputime,cmd",
        "DefBSD" => "pid,tname,stat,bsdtime,args",
        "DefSysV" => "pid,tname,time,cmd",
        "END_BSD" => "state,tname,cputime,comm",
        "END_SYS5" => "state,tname,time,command",
        "F5FMT" => "uname,pid,ppid,c,start,tname,time,cmd",
        "FB_" => "pid,tt,stat,time,command",
        "FB_j" => "user,pid,ppid,pgid,sess,jobc,stat,tt,time,command",
        "FB_l" => "uid,pid,ppid,cpu,pri,nice,vsz,rss,wchan,stat,tt,time,command",
        "FB_u" => "user,pid,pcpu,pmem,vsz,rss,tt,stat,start,time,command",
        "FB_v" => "pid,stat,time,sl,re,pagein,vsz,rss,lim,tsiz,pcpu,pmem,command",
        "FD_" => "pid,tty,time,comm",
        "FD_f" => "user,pid,ppid,start_time,tty,time,comm",
        "FD_fj" => "user,pid,ppid,start_time,tty,time,pgid,sid,comm",
        "FD_j" => "pid,tty,time,pgid,sid,comm",
        "FD_l" => "flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,comm",
        "FD_lj" => "flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,pgid,sid,comm",
        "FL5FMT" => "f,state,uid,pid,ppid,pcpu,pri,nice,rss,wchan,start,time,command",
        "FLASK_context" => "pid,context,command",
        "HP_" => "pid,tty,time,comm",
        "HP_f" => "user,pid,ppid,cpu,stime,tty,time,args",
        "HP_fl" => "flags,state,user,pid,ppid,cpu,intpri,nice,addr,sz,wchan,stime,tty,time,args",
        "HP_l" => "flags,state,uid,pid,ppid,cpu,intpri,nice,addr,sz,wchan,tty,time,comm",
        "J390" => "pid,sid,pgrp,tname,atime,args",
        "JFMT" => "user,pid,ppid,pgid,sess,jobc,state,tname,cputime,command",
        "L5FMT" => "f,state,uid,pid,ppid,c,pri,nice,addr,sz,wchan,tt,time,ucmd",
        "LFMT" => "uid,pid,ppid,cp,pri,nice,vsz,rss,wchan,state,tname,cputime,command",
        "OL_X" => "pid,start_stack,esp,eip,timeout,alarm,stat,tname,bsdtime,args",
        "OL_j" => "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args",
        "OL_l" => "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args",
        "OL_m" => "pid,tname,majflt,minflt,m_trs,m_drs,m_size,m_swap,rss,m_share,vm_lib,m_dt,args",
        "OL_s" => "uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args",
        "OL_u" => "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args",
        "OL_v" => "pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args",
        "RD_" => "pid,tname,state,bsdtime,comm",
        "RD_f" => "uid,pid,ppid,start_time,tname,bsdtime,args",
        "RD_fj" => "uid,pid,ppid,start_time,tname,bsdtime,pgid,sid,args",
        "RD_j" => "pid,tname,state,bsdtime,pgid,sid,comm",
        "RD_l" => "flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,comm",
        "RD_lj" => "flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,pgid,sid,comm",
        "RUSAGE" => "minflt,majflt,nswap,inblock,oublock,msgsnd,msgrcv,nsigs,nvcsw,nivcsw",
        "SCHED" => "user,pcpu,pri,usrpri,nice,psxpri,psr,policy,pset",
        "SFMT" => "uid,pid,cursig,sig,sigmask,sigignore,sigcatch,stat,tname,command",
        "Std_f" => "uid_hack,pid,ppid,c,stime,tname,time,cmd",
        "Std_fl" => "f,s,uid_hack,pid,ppid,c,opri,ni,addr,sz,wchan,stime,tname,time,cmd",
        "Std_l" => "f,s,uid,pid,ppid,c,opri,ni,addr,sz,wchan,tname,time,ucmd",
        "THREAD" => "user,pcpu,pri,scnt,wchan,usertime,systime",
        "UFMT" => "uname,pid,pcpu,pmem,vsz,rss,tt,state,start,time,command",
        "VFMT" => "pid,tt,state,time,sl,pagein,vsz,rss,pcpu,pmem,command",
        _ => return None,
    })
}

fn aix_parse(text: &str) -> Result<Vec<FmtItem>, UsageError> {
    let b = text.as_bytes();
    // procps counts items with a small state machine: each `%x` counts twice (the descriptor,
    // then its letter read again as text), so the list ends in empty literal columns. Text
    // between descriptors may only be one character and blanks.
    let mut items = 0;
    let mut k = 0;
    let mut next = || {
        let c = b.get(k).copied().unwrap_or(0);
        k += 1;
        c
    };
    let mut c = next();
    'count: loop {
        if c == b'%' {
            items += 1;
            c = next();
            if c != 0 && c != b' ' {
                continue 'count;
            }
            return Err(err("missing AIX field descriptor"));
        }
        if c == 0 {
            break;
        }
        items += 1;
        loop {
            c = next();
            match c {
                b'%' => continue 'count,
                b' ' => {}
                0 => break 'count,
                _ => return Err(err("improper AIX field descriptor")),
            }
        }
    }
    let mut out = Vec::new();
    let mut w = 0;
    for _ in 0..items {
        if b.get(w) == Some(&b'%') {
            w += 1;
            let d = b.get(w).copied().unwrap_or(0);
            if d == b'%' {
                return Err(err("missing AIX field descriptor"));
            }
            w += 1;
            let (spec, head) = match d {
                b'C' => ("pcpu", "%CPU"),
                b'G' => ("group", "GROUP"),
                b'P' => ("ppid", "PPID"),
                b'U' => ("user", "USER"),
                b'a' => ("args", "COMMAND"),
                b'c' => ("comm", "COMMAND"),
                b'g' => ("rgroup", "RGROUP"),
                b'n' => ("nice", "NI"),
                b'p' => ("pid", "PID"),
                b'r' => ("pgid", "PGID"),
                b't' => ("etime", "ELAPSED"),
                b'u' => ("ruser", "RUSER"),
                b'x' => ("time", "TIME"),
                b'y' => ("tty", "TTY"),
                b'z' => ("vsz", "VSZ"),
                _ => return Err(err("unknown AIX field descriptor")),
            };
            let col =
                columns::find(spec).ok_or_else(|| err("AIX field descriptor processing bug"))?;
            out.push(FmtItem::Column {
                col,
                width: None,
                header: Some(head.to_string()),
            });
        } else {
            let end = text[w.min(text.len())..]
                .find('%')
                .map_or(text.len(), |i| w + i);
            out.push(FmtItem::Literal(text[w.min(text.len())..end].to_string()));
            w = end;
        }
    }
    Ok(out)
}

/// `-O`/`O` wrap the user's columns in a default: pid first, then a trailer.
pub(in crate::ps) fn o_wrap(user: Vec<FmtItem>, bsd: bool) -> Vec<FmtItem> {
    let trailer = if bsd {
        "state,tname,cputime,comm"
    } else {
        "state,tname,time,command"
    };
    let mut v = vec![FmtItem::named("pid")];
    v.extend(user);
    v.extend(trailer.split(',').map(FmtItem::named));
    v
}

/// `--sort`/`k`: `[+|-]spec,...`.
pub fn long_sort(text: &str) -> Result<Vec<SortKey>, UsageError> {
    let seps = [' ', ',', '\t', '\n'];
    if text.is_empty() {
        return Err(err("empty sort list"));
    }
    let t = text.strip_suffix(seps).unwrap_or(text);
    let items: Vec<&str> = t.split(seps).collect();
    if t.is_empty() || items.iter().any(|s| s.is_empty()) {
        return Err(err("improper sort list"));
    }
    let mut keys = Vec::new();
    for it in items {
        let (descending, name) = match it.as_bytes()[0] {
            b'-' => (true, &it[1..]),
            b'+' => (false, &it[1..]),
            _ => (false, it),
        };
        // procps accepts every specifier as a key; one it cannot sort by keeps PID order.
        let col = columns::find(name).ok_or_else(|| err("unknown sort specifier"))?;
        if !NO_SORT.contains(&col.name) {
            keys.push(SortKey { col, descending });
        }
    }
    Ok(keys)
}

/// Specifiers procps accepts as sort keys but does not sort by (rows stay in PID order, either
/// direction), although their cells differ.
const NO_SORT: &[&str] = &[
    "fgid", "lsession", "lxc", "machine", "numa", "ouid", "seat", "unit", "uunit", "vsize",
];

/// BSD `O` read as old short sort letters (`O-r`, `OPp`).
pub(in crate::ps) fn short_sort(text: &str, forest: bool) -> Result<Vec<SortKey>, UsageError> {
    const ALL: &str = "CGJKMNPRSTUcfgjkmnoprstuvy+-";
    if !text.chars().all(|c| ALL.contains(c)) {
        return Err(err("bad sorting code"));
    }
    let b = text.as_bytes();
    let mut seen = [false; 128];
    for (i, &c) in b.iter().enumerate() {
        if c == b'+' || c == b'-' {
            match b.get(i + 1) {
                None | Some(b'+') | Some(b'-') => return Err(err("bad sorting code")),
                _ => {}
            }
            continue;
        }
        if c == b'P' && forest {
            return Err(err("PPID sort and forest output conflict"));
        }
        if std::mem::replace(&mut seen[c as usize], true) {
            return Err(err("bad sorting code"));
        }
    }
    let mut keys = Vec::new();
    let mut descending = false;
    for &c in b {
        match c {
            b'+' => descending = false,
            b'-' => descending = true,
            _ => {
                // Letters whose procps key sorts nothing (no such value on Linux).
                if b"JKNSjknRv".contains(&c) {
                    descending = false;
                    continue;
                }
                let spec = match c {
                    b'C' => "pcpu",
                    b'G' => "tpgid",
                    b'M' => "maj_flt",
                    b'P' => "ppid",
                    b'T' => "start_time",
                    b'U' => "uid",
                    b'c' => "cmd",
                    b'f' => "flags",
                    b'g' => "pgrp",
                    b'm' => "min_flt",
                    b'o' => "session",
                    b'p' => "pid",
                    b'r' => "rss",
                    b's' => "size",
                    b't' => "tty",
                    b'u' => "user",
                    b'y' => "priority",
                    _ => return Err(err("unknown sort specifier")),
                };
                let col = columns::find(spec).ok_or_else(|| err("unknown sort specifier"))?;
                keys.push(SortKey { col, descending });
                descending = false;
            }
        }
    }
    Ok(keys)
}
