//! Columns from the smaller per-process files: out-of-memory scores, namespaces, I/O counters,
//! control groups, autogroups, login uid, and the systemd and LXC names (shown as procps shows
//! them without that data: `-`). Never reads /proc.

use super::{Column, Ctx, Key, Process, Row, Width, put};
use crate::proc::{Io, Needs};

const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

fn oom(p: &Process) -> (i32, i32) {
    p.oom.unwrap_or((0, 0))
}
fn oom_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(oom(p).0.into())
}
fn oom_t(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, oom(r.p).0)
}
fn oomadj_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(oom(p).1.into())
}
fn oomadj_t(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, oom(r.p).1)
}

fn ns(p: &Process, i: usize) -> Option<u64> {
    p.ns.and_then(|n| n[i])
}
macro_rules! ns_cols {
    ($($text:ident $key:ident = $i:expr;)*) => {$(
        fn $text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
            match ns(r.p, $i) {
                Some(v) => put(o, v),
                None => put(o, "-"),
            }
        }
        fn $key(p: &Process, _: &Ctx) -> Key {
            Key::Int(ns(p, $i).map_or(0, |v| v as i64))
        }
    )*};
}
ns_cols! {
    cgroupns cgroupns_k = 0;
    ipcns ipcns_k = 1;
    mntns mntns_k = 2;
    netns netns_k = 3;
    pidns pidns_k = 4;
    userns userns_k = 5;
    utsns utsns_k = 6;
    timens timens_k = 7;
}

macro_rules! io_cols {
    ($($text:ident $key:ident = $field:ident;)*) => {$(
        fn $text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
            put(o, r.p.io.map_or(0, |io: Io| io.$field))
        }
        fn $key(p: &Process, _: &Ctx) -> Key {
            Key::Int(p.io.map_or(0, |io: Io| io.$field) as i64)
        }
    )*};
}
io_cols! {
    rbytes rbytes_k = read_bytes;
    rchars rchars_k = rchar;
    rops rops_k = syscr;
    wbytes wbytes_k = write_bytes;
    wcbytes wcbytes_k = cancelled_write_bytes;
    wchars wchars_k = wchar;
    wops wops_k = syscw;
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
fn cgname_text(p: &Process) -> Vec<u8> {
    let all = cgroup_text(p);
    match all.windows(6).position(|w| w == b":name=") {
        Some(i) if i + 6 < all.len() => all[i + 6..].to_vec(),
        _ => all,
    }
}
fn cgroup(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    crate::text::escape(&cgroup_text(r.p), cx.charset, max, o)
}
fn cgname(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    crate::text::escape(&cgname_text(r.p), cx.charset, max, o)
}
fn cgroup_key(p: &Process, _: &Ctx) -> Key {
    Key::Text(cgroup_text(p))
}
fn cgname_key(p: &Process, _: &Ctx) -> Key {
    Key::Text(cgname_text(p))
}

fn ag(p: &Process) -> (i32, i32) {
    p.autogroup.unwrap_or((-1, 0))
}
fn agid(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, ag(r.p).0)
}
fn agnice(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, ag(r.p).1)
}
fn agid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(ag(p).0.into())
}
fn agnice_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(ag(p).1.into())
}

fn luid(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    match r.p.loginuid {
        Some(u) if u != u32::MAX => put(o, u as i32),
        _ => put(o, "-"),
    }
}
fn luid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.loginuid.map_or(-1, |u| u as i32).into())
}

/// The systemd slice of a process as libsystemd names it, from its systemd cgroup path: the
/// innermost `*.slice` component, or the root slice `-.slice`.
fn slice(p: &Process) -> String {
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
fn slice_t(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, slice(r.p))
}
fn slice_key(p: &Process, _: &Ctx) -> Key {
    Key::Text(slice(p).into_bytes())
}
fn dash(_: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, "-")
}
fn tgid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.pid.into())
}
fn numa(_: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, 0)
}
fn psr_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.processor.into())
}
fn sgi_rss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.status.as_ref().and_then(|s| s.vm_rss).unwrap_or(0))
}
fn rss_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.status.as_ref().and_then(|s| s.vm_rss).unwrap_or(0) as i64)
}

const OOM: Needs = Needs::OOM;
const NS: Needs = Needs::NS;
const IO: Needs = Needs::IO;
const CG: Needs = Needs::CGROUP;
const AG: Needs = Needs::AUTOGROUP;
const LU: Needs = Needs::LOGINUID;
const S: Needs = Needs::STAT;
const ST: Needs = Needs::STATUS;

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("oom", "OOM", w(4), Right, OOM, Some(oom_key), oom_t, "out-of-memory score (oom_score)"),
    col!("oomadj", "OOMADJ", w(5), Right, OOM, Some(oomadj_key), oomadj_t, "out-of-memory score adjustment (oom_score_adj)"),
    col!("cgroupns", "CGROUPNS", w(10), Right, NS, Some(cgroupns_k), cgroupns, "cgroup namespace inode"),
    col!("ipcns", "IPCNS", w(10), Right, NS, Some(ipcns_k), ipcns, "IPC namespace inode"),
    col!("mntns", "MNTNS", w(10), Right, NS, Some(mntns_k), mntns, "mount namespace inode"),
    col!("netns", "NETNS", w(10), Right, NS, Some(netns_k), netns, "network namespace inode"),
    col!("pidns", "PIDNS", w(10), Right, NS, Some(pidns_k), pidns, "pid namespace inode"),
    col!("userns", "USERNS", w(10), Right, NS, Some(userns_k), userns, "user namespace inode"),
    col!("utsns", "UTSNS", w(10), Right, NS, Some(utsns_k), utsns, "UTS namespace inode"),
    col!("timens", "TIMENS", w(10), Right, NS, Some(timens_k), timens, "time namespace inode"),
    col!("rbytes", "RBYTES", w(5), Right, IO, Some(rbytes_k), rbytes, "bytes read from storage"),
    col!("rchars", "RCHARS", w(5), Right, IO, Some(rchars_k), rchars, "bytes read (all reads)"),
    col!("rops", "ROPS", w(5), Right, IO, Some(rops_k), rops, "read system calls"),
    col!("wbytes", "WBYTES", w(5), Right, IO, Some(wbytes_k), wbytes, "bytes written to storage"),
    col!("wcbytes", "WCBYTES", w(5), Right, IO, Some(wcbytes_k), wcbytes, "cancelled write bytes"),
    col!("wchars", "WCHARS", w(5), Right, IO, Some(wchars_k), wchars, "bytes written (all writes)"),
    col!("wops", "WOPS", w(5), Right, IO, Some(wops_k), wops, "write system calls"),
    col!("cgroup", "CGROUP", w(27), Unlimited, CG, Some(cgroup_key), cgroup, "control groups (non-root lines of /proc/PID/cgroup)"),
    col!("cgname", "CGNAME", w(27), Unlimited, CG, Some(cgname_key), cgname, "control group name (after name=)"),
    col!("ag_id", "AGID", w(5), Right, AG, Some(agid_key), agid, "autogroup id (-1 without autogroups)"),
    col!("ag_nice", "AGNI", w(4), Right, AG, Some(agnice_key), agnice, "autogroup nice value"),
    col!("luid", "LUID", w(5), Right, LU, Some(luid_key), luid, "login uid (- when unset)"),
    col!("numa", "NUMA", w(4), Right, S, Some(psr_key), numa, "NUMA node of the last CPU (0 on a single-node machine)"),
    col!("sgi_rss", "RSS", w(4), Left, ST, Some(rss_key), sgi_rss, "resident set size, KiB, left-aligned"),
    col!("slice", "SLICE", w(31), Left, CG, Some(slice_key), slice_t, "systemd slice (-.slice at the root)"),
    col!("unit", "UNIT", w(31), Left, S, Some(tgid_key), dash, "systemd unit (- where not known)"),
    col!("uunit", "UUNIT", w(31), Left, S, Some(tgid_key), dash, "systemd user unit (- where not known)"),
    col!("seat", "SEAT", w(11), Left, S, Some(tgid_key), dash, "login seat (- where not known)"),
    col!("machine", "MACHINE", w(31), Left, S, Some(tgid_key), dash, "systemd machine (- where not known)"),
    col!("ouid", "OWNER", w(5), Left, S, Some(tgid_key), dash, "owner of the login session (- where not known)"),
    col!("lsession", "SESSION", w(11), Left, S, Some(tgid_key), dash, "login session (- where not known)"),
    col!("lxc", "LXC", w(8), Left, S, Some(tgid_key), dash, "LXC container name (- outside containers)"),
];
