//! The computations behind the registry's values that take more than a field read: user and
//! group names, lifetime CPU use as procps computes it, the wait channel's name, memory sizes
//! derived from stat, command and cgroup text. Pure: never reads /proc.

use super::Value;
use crate::proc::{Io, Process, Statm, Status};
use crate::snapshot::Ctx;
use crate::text;

/// User id `i` (real, effective, saved, file-system) from status; the owner for the effective
/// one when status was not read.
pub(crate) fn uid(p: &Process, i: usize) -> u32 {
    p.status
        .as_ref()
        .map_or_else(|| if i == 1 { p.euid() } else { 0 }, |s| s.uid[i])
}

/// Group id `i` from status (0 when not read).
pub(crate) fn gid(p: &Process, i: usize) -> u32 {
    p.status.as_ref().map_or(0, |s| s.gid[i])
}

/// A user name as a sort value: the name, or the number when unknown.
pub(crate) fn user(cx: &Ctx, id: u32) -> Value {
    Value::Text(
        cx.user_name(id)
            .unwrap_or_else(|| id.to_string())
            .into_bytes(),
    )
}

/// A group name as a sort value: the name, or the number when unknown.
pub(crate) fn group(cx: &Ctx, id: u32) -> Value {
    Value::Text(
        cx.group_name(id)
            .unwrap_or_else(|| id.to_string())
            .into_bytes(),
    )
}

fn sup(p: &Process) -> &[u32] {
    p.status.as_ref().map_or(&[], |s| s.groups.as_slice())
}

/// Supplementary group ids joined with commas.
pub(crate) fn sup_gids(p: &Process) -> Vec<u8> {
    let ids: Vec<String> = sup(p).iter().map(u32::to_string).collect();
    ids.join(",").into_bytes()
}

/// Supplementary group names (numbers when unknown) joined with commas.
pub(crate) fn sup_groups(p: &Process, cx: &Ctx) -> Vec<u8> {
    let names: Vec<String> = sup(p)
        .iter()
        .map(|&id| cx.group_name(id).unwrap_or_else(|| id.to_string()))
        .collect();
    names.join(",").into_bytes()
}

/// Lifetime CPU use in per cent (procps's `UTILIZATION`, `_C` with children), float maths
/// included.
pub(crate) fn utilization(p: &Process, cx: &Ctx, children: bool) -> f64 {
    let boot_tics = (cx.uptime * cx.hz as f64) as u64;
    let t = boot_tics.wrapping_sub(p.stat.starttime) as f64;
    let s = &p.stat;
    let mut ticks = s.utime + s.stime;
    if children {
        ticks += s.cutime + s.cstime;
    }
    if t > 0.0 {
        (ticks as f32 * 100.0f32) as f64 / t
    } else {
        0.0
    }
}

/// %CUU/%CUC's cap: anything over 99 shows as 99.999.
pub(crate) fn cap_util(cu: f64) -> f64 {
    if cu > 99.0 { 99.999 } else { cu }
}

/// Per-mille of lifetime CPU use, procps 4.0.2's integer formula.
pub(crate) fn permille(p: &Process, cx: &Ctx) -> u64 {
    let jiffies = (cx.elapsed(p) * cx.hz as f64) as u64;
    cx.cpu_ticks(p)
        .wrapping_mul(1000)
        .checked_div(jiffies)
        .unwrap_or(0)
}

/// User plus system CPU time in whole seconds.
pub(crate) fn cpu_secs_whole(p: &Process, cx: &Ctx) -> u64 {
    ((p.stat.utime as f64 + p.stat.stime as f64) / cx.hz as f64) as u64
}

/// The wait channel as procps names it: `-` when running, `?` when unreadable.
pub(crate) fn wchan_name(p: &Process) -> &[u8] {
    match p.wchan.as_deref() {
        None | Some(b"") => b"?",
        Some(b"0") => b"-",
        Some(w) => {
            let w = w.strip_prefix(b".").unwrap_or(w);
            let skip = w.iter().take_while(|&&c| c == b'_').count();
            &w[skip..]
        }
    }
}

/// A `Vm*` line of status in kB (0 when absent or not read).
pub(crate) fn vm(p: &Process, f: fn(&Status) -> Option<u64>) -> u64 {
    p.status.as_ref().and_then(f).unwrap_or(0)
}

/// statm, zeros when not read.
pub(crate) fn statm(p: &Process) -> Statm {
    p.statm.unwrap_or_default()
}

/// Data size from stat (virtual size minus code), KiB; 0 for kernel threads.
pub(crate) fn data_kib(p: &Process) -> i64 {
    let s = &p.stat;
    if s.vsize == 0 {
        return 0;
    }
    (s.vsize.wrapping_sub(s.endcode).wrapping_add(s.startcode) >> 10) as i64
}

/// Code size from stat, KiB; 0 for kernel threads.
pub(crate) fn text_kib(p: &Process) -> i64 {
    let s = &p.stat;
    if s.vsize == 0 {
        return 0;
    }
    (s.endcode.wrapping_sub(s.startcode) >> 10) as i64
}

/// A namespace inode (0 where unreadable).
pub(crate) fn ns(p: &Process, i: usize) -> Value {
    Value::Int(p.ns.and_then(|n| n[i]).map_or(0, |v| v as i64))
}

/// An I/O counter (0 where unreadable).
pub(crate) fn io(p: &Process, f: fn(&Io) -> u64) -> Value {
    Value::Int(p.io.as_ref().map_or(0, f) as i64)
}

/// The library's command line: argv joined, or `[comm]` (with ` <defunct>` for zombies) when
/// argv is empty, or `?` when argv held only NULs. Escaped by procps's library pass.
pub(crate) fn args_bytes(p: &Process, cs: text::Charset) -> Vec<u8> {
    let mut out = Vec::new();
    match &p.cmdline {
        Some(a) if a.is_empty() => out.push(b'?'),
        Some(a) => text::library_escape(a, cs, &mut out),
        None => {
            out.push(b'[');
            text::library_escape(&p.stat.comm, cs, &mut out);
            out.push(b']');
            if p.stat.state == b'Z' {
                out.extend_from_slice(b" <defunct>");
            }
        }
    }
    out
}

/// The bytes [`args_bytes`] escapes: argv joined, `?` for NULs only, `[comm]` when empty
/// (` <defunct>` added for zombies).
pub(crate) fn args_raw(p: &Process) -> Vec<u8> {
    match &p.cmdline {
        Some(a) if a.is_empty() => b"?".to_vec(),
        Some(a) => a.clone(),
        None => {
            let mut b = [&b"["[..], &p.stat.comm, b"]"].concat();
            if p.stat.state == b'Z' {
                b.extend_from_slice(b" <defunct>");
            }
            b
        }
    }
}

/// The library's command name (comm), escaped by its pass.
pub(crate) fn comm_bytes(p: &Process, cs: text::Charset) -> Vec<u8> {
    let mut out = Vec::new();
    text::library_escape(&p.stat.comm, cs, &mut out);
    out
}

/// procps's cgroup text: the lines that are not a bare root (`/`), joined with commas.
pub(crate) fn cgroup_text(p: &Process) -> Vec<u8> {
    let Some(raw) = &p.cgroup else {
        return b"-".to_vec();
    };
    let mut out = Vec::new();
    for line in raw
        .split(|&b| b == b'\n' || b == 0)
        .filter(|l| !l.is_empty() && !l.ends_with(b"/"))
    {
        if !out.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(line);
    }
    if out.is_empty() { b"-".to_vec() } else { out }
}

/// The control group name: what follows `:name=`, else the whole cgroup text.
pub(crate) fn cgname_text(p: &Process) -> Vec<u8> {
    let all = cgroup_text(p);
    match all.windows(6).position(|w| w == b":name=") {
        Some(i) if i + 6 < all.len() => all[i + 6..].to_vec(),
        _ => all,
    }
}

/// The systemd slice of a process as libsystemd names it, from its systemd cgroup path: the
/// innermost `*.slice` component, or the root slice `-.slice`.
pub(crate) fn slice(p: &Process) -> String {
    let Some(raw) = &p.cgroup else {
        return "-".into();
    };
    let text = String::from_utf8_lossy(raw);
    let path = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("1:name=systemd:")
                .or_else(|| l.split_once(":name=systemd:").map(|x| x.1))
        })
        .or_else(|| text.lines().find_map(|l| l.strip_prefix("0::")));
    let Some(path) = path else { return "-".into() };
    path.split('/')
        .take_while(|c| c.is_empty() || c.ends_with(".slice"))
        .filter(|c| !c.is_empty())
        .last()
        .map_or("-.slice".into(), String::from)
}
