//! Columns from the smaller per-process files: out-of-memory scores, namespaces, I/O counters,
//! control groups, autogroups, login uid, and the systemd and LXC names (shown as procps shows
//! them without that data: `-`). Never reads /proc.

use super::{Column, Ctx, Process, Row, Width, put};
use crate::items::Item::*;
use crate::items::values::{cgname_text, cgroup_text, slice};
use crate::proc::{Io, Needs};

const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

fn oom(p: &Process) -> (i32, i32) {
    p.oom.unwrap_or((0, 0))
}
fn oom_t(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, oom(r.p).0)
}
fn oomadj_t(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, oom(r.p).1)
}

fn ns(p: &Process, i: usize) -> Option<u64> {
    p.ns.and_then(|n| n[i])
}
macro_rules! ns_cols {
    ($($text:ident = $i:expr;)*) => {$(
        fn $text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
            match ns(r.p, $i) {
                Some(v) => put(o, v),
                None => put(o, "-"),
            }
        }
    )*};
}
ns_cols! {
    cgroupns = 0;
    ipcns = 1;
    mntns = 2;
    netns = 3;
    pidns = 4;
    userns = 5;
    utsns = 6;
    timens = 7;
}

macro_rules! io_cols {
    ($($text:ident = $field:ident;)*) => {$(
        fn $text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
            put(o, r.p.io.map_or(0, |io: Io| io.$field))
        }
    )*};
}
io_cols! {
    rbytes = read_bytes;
    rchars = rchar;
    rops = syscr;
    wbytes = write_bytes;
    wcbytes = cancelled_write_bytes;
    wchars = wchar;
    wops = syscw;
}

fn cgroup(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    crate::text::escape(&cgroup_text(r.p), cx.charset, max, o)
}
fn cgname(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    crate::text::escape(&cgname_text(r.p), cx.charset, max, o)
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

fn luid(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    match r.p.loginuid {
        Some(u) if u != u32::MAX => put(o, u as i32),
        _ => put(o, "-"),
    }
}

fn slice_t(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, slice(r.p))
}
fn dash(_: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, "-")
}
fn numa(_: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, 0)
}
fn sgi_rss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.status.as_ref().and_then(|s| s.vm_rss).unwrap_or(0))
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
    col!("oom", "OOM", w(4), Right, OOM, Some(OomScore), oom_t, "out-of-memory score (oom_score)"),
    col!("oomadj", "OOMADJ", w(5), Right, OOM, Some(OomAdj), oomadj_t, "out-of-memory score adjustment (oom_score_adj)"),
    col!("cgroupns", "CGROUPNS", w(10), Right, NS, Some(NsCgroup), cgroupns, "cgroup namespace inode"),
    col!("ipcns", "IPCNS", w(10), Right, NS, Some(NsIpc), ipcns, "IPC namespace inode"),
    col!("mntns", "MNTNS", w(10), Right, NS, Some(NsMnt), mntns, "mount namespace inode"),
    col!("netns", "NETNS", w(10), Right, NS, Some(NsNet), netns, "network namespace inode"),
    col!("pidns", "PIDNS", w(10), Right, NS, Some(NsPid), pidns, "pid namespace inode"),
    col!("userns", "USERNS", w(10), Right, NS, Some(NsUser), userns, "user namespace inode"),
    col!("utsns", "UTSNS", w(10), Right, NS, Some(NsUts), utsns, "UTS namespace inode"),
    col!("timens", "TIMENS", w(10), Right, NS, Some(NsTime), timens, "time namespace inode"),
    col!("rbytes", "RBYTES", w(5), Right, IO, Some(IoReadBytes), rbytes, "bytes read from storage"),
    col!("rchars", "RCHARS", w(5), Right, IO, Some(IoReadChars), rchars, "bytes read (all reads)"),
    col!("rops", "ROPS", w(5), Right, IO, Some(IoReadOps), rops, "read system calls"),
    col!("wbytes", "WBYTES", w(5), Right, IO, Some(IoWriteBytes), wbytes, "bytes written to storage"),
    col!("wcbytes", "WCBYTES", w(5), Right, IO, Some(IoCancelledBytes), wcbytes, "cancelled write bytes"),
    col!("wchars", "WCHARS", w(5), Right, IO, Some(IoWriteChars), wchars, "bytes written (all writes)"),
    col!("wops", "WOPS", w(5), Right, IO, Some(IoWriteOps), wops, "write system calls"),
    col!("cgroup", "CGROUP", w(27), Unlimited, CG, Some(Cgroup), cgroup, "control groups (non-root lines of /proc/PID/cgroup)"),
    col!("cgname", "CGNAME", w(27), Unlimited, CG, Some(Cgname), cgname, "control group name (after name=)"),
    col!("ag_id", "AGID", w(5), Right, AG, Some(AutogroupId), agid, "autogroup id (-1 without autogroups)"),
    col!("ag_nice", "AGNI", w(4), Right, AG, Some(AutogroupNice), agnice, "autogroup nice value"),
    col!("luid", "LUID", w(5), Right, LU, Some(LoginUid), luid, "login uid (- when unset)"),
    col!("numa", "NUMA", w(4), Right, S, Some(Processor) => Some(Numa), numa, "NUMA node of the last CPU (0 on a single-node machine)"),
    col!("sgi_rss", "RSS", w(4), Left, ST, Some(VmRss), sgi_rss, "resident set size, KiB, left-aligned"),
    col!("slice", "SLICE", w(31), Left, CG, Some(Slice), slice_t, "systemd slice (-.slice at the root)"),
    col!("unit", "UNIT", w(31), Left, S, Some(Label), dash, "systemd unit (- where not known)"),
    col!("uunit", "UUNIT", w(31), Left, S, Some(Label), dash, "systemd user unit (- where not known)"),
    col!("seat", "SEAT", w(11), Left, S, Some(Label), dash, "login seat (- where not known)"),
    col!("machine", "MACHINE", w(31), Left, S, Some(Label), dash, "systemd machine (- where not known)"),
    col!("ouid", "OWNER", w(5), Left, S, Some(Label), dash, "owner of the login session (- where not known)"),
    col!("lsession", "SESSION", w(11), Left, S, Some(Label), dash, "login session (- where not known)"),
    col!("lxc", "LXC", w(8), Left, S, Some(Label), dash, "LXC container name (- outside containers)"),
];
