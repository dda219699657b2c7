//! Columns of process state, flags, wait channel, terminal and signal masks. Never reads /proc.

use super::{Column, Ctx, Row, Width, put};
use crate::items::Item::*;
use crate::items::values::wchan_name;
use crate::proc::Needs;

const S: Needs = Needs::STAT;
const ST: Needs = Needs::STATUS;
const SST: Needs = Needs::STAT.with(Needs::STATUS);
const WC: Needs = Needs::WCHAN;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

/// BSD STAT: the state letter and `<NLsl+` flags.
fn stat(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    let s = &r.p.stat;
    let before = o.len();
    o.push(s.state as char);
    if s.nice < 0 {
        o.push('<');
    }
    if s.nice > 0 {
        o.push('N');
    }
    if r.p.status.as_ref().and_then(|st| st.vm_lck).unwrap_or(0) > 0 {
        o.push('L');
    }
    if s.session == r.p.pid {
        o.push('s');
    }
    if s.num_threads > 1 {
        o.push('l');
    }
    if s.pgrp == s.tpgid {
        o.push('+');
    }
    o.len() - before
}
fn state(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    o.push(r.p.stat.state as char);
    1
}
fn flags(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, format_args!("{:o}", (r.p.stat.flags >> 6) & 7))
}

fn wchan(r: &Row, _: &Ctx, max: usize, o: &mut String) -> usize {
    let name = wchan_name(r.p);
    let name = &name[..name.len().min(max)];
    put(o, String::from_utf8_lossy(name))
}

fn tty(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    match cx.tty_name(r.p) {
        Some(n) => put(o, n),
        None => put(o, "?"),
    }
}
fn tty4(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    match cx.tty_name(r.p) {
        Some(n) => {
            let short = n
                .strip_prefix("tty")
                .filter(|s| !s.is_empty())
                .or_else(|| n.strip_prefix("pts/").filter(|s| !s.is_empty()))
                .unwrap_or(&n);
            put(o, short)
        }
        None => put(o, "?"),
    }
}

fn sig(o: &mut String, cx: &Ctx, mask: u64) -> usize {
    let hex = format!("{mask:016x}");
    if cx.wide_signals {
        return put(o, hex);
    }
    let significant = hex.trim_start_matches('0').len();
    if significant > 8 {
        put(o, format_args!("<{}", &hex[8..]))
    } else {
        put(o, &hex[8..])
    }
}
macro_rules! sigcol {
    ($($text:ident = $field:ident;)*) => {$(
        fn $text(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
            sig(o, cx, r.p.status.as_ref().map_or(0, |s| s.$field))
        }
    )*};
}
sigcol! {
    pending = shd_pnd;
    tpending = sig_pnd;
    blocked = sig_blk;
    ignored = sig_ign;
    caught = sig_cgt;
}

fn dash(_: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, "-")
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("addr", "ADDR", w(4), Right, S, None, dash, "memory address (not reported by Linux: -)"),
    col!("alarm", "ALARM", w(5), Right, S, None, dash, "alarm timer (not reported by Linux: -)"),
    col!("timeout", "TMOUT", w(5), Right, S, None, dash, "timeout (not reported by Linux: -)"),
    col!("cpu", "CPU", w(3), Right, S, None, dash, "CPU usage factor (not reported: -)"),
    col!("jobc", "JOBC", w(4), Right, S, None, dash, "job control count (not reported: -)"),
    col!("re", "RE", w(3), Right, S, None, dash, "residency time (not reported: -)"),
    col!("sl", "SL", w(3), Right, S, None, dash, "sleep time (not reported: -)"),
    col!("m_dt", "DT", w(4), Right, S, None, dash, "dirty pages (not reported: -)"),
    col!("m_share", "SHRD", w(5), Right, S, None, dash, "shared pages (not reported by ps: -)"),
    col!("m_swap", "SWAP", w(5), Right, S, None, dash, "swap (not reported by ps: -)"),
    col!("nwchan", "WCHAN", w(6), Right, S, None, dash, "wait channel address (not reported by Linux: -)"),
    col!("vm_lib", "LIB", w(5), Right, S, None, dash, "library size (not reported by ps: -)"),
    col!("addr_1", "ADDR", w(1), Left, S, None, dash, "memory address, as -l shows it (-)"),
    col!("label", "LABEL", w(31), Left, S, Some(Label), dash, "security label (- without SELinux)"),
    col!("context", "CONTEXT", w(31), Left, S, Some(Label), dash, "security context (- without SELinux)"),
    col!("zone", "ZONE", w(31), Left, S, Some(Label), dash, "security label (- without SELinux)"),
    col!("stat", "STAT", w(4), Left, SST, Some(State), stat, "state letter and flags: < high priority, N low, L locked, s session leader, l threaded, + foreground"),
    col!("s", "S", w(1), Left, S, Some(State), state, "state letter (R S D Z T t X I)"),
    col!("state", "S", w(1), Left, S, Some(State), state, "state letter"),
    col!("f" | "flag" | "flags", "F", w(1), Right, S, Some(Flags) => Some(FlagsPs), flags, "process flags (octal; 1 forked but did not exec, 4 superuser)"),
    col!("wchan", "WCHAN", w(6), Wchan, WC, Some(Wchan), wchan, "kernel function where the task sleeps"),
    col!("wname", "WCHAN", w(6), Wchan, WC, Some(Wchan), wchan, "kernel function where the task sleeps"),
    col!("tty" | "tt", "TT", w(8), Left, S, Some(TtyName), tty, "controlling terminal"),
    col!("tname" | "tty8" | "longtname", "TTY", w(8), Left, S, Some(TtyName), tty, "controlling terminal"),
    col!("tty4", "TTY", w(4), Left, S, Some(TtyName), tty4, "controlling terminal, short form"),
    col!("pending" | "sig", "PENDING", w(9), Signal, ST, Some(SigPending), pending, "mask of pending signals (process)"),
    col!("sig_pend", "SIGNAL", w(9), Signal, ST, Some(SigPending), pending, "mask of pending signals"),
    col!("tsig", "PENDING", w(9), Signal, ST, Some(SigPendingThread), tpending, "mask of pending signals (thread)"),
    col!("blocked" | "sigmask" | "sig_block", "BLOCKED", w(9), Signal, ST, Some(SigBlocked), blocked, "mask of blocked signals"),
    col!("ignored" | "sigignore" | "sig_ignore", "IGNORED", w(9), Signal, ST, Some(SigIgnored), ignored, "mask of ignored signals"),
    col!("caught" | "sigcatch", "CAUGHT", w(9), Signal, ST, Some(SigCaught), caught, "mask of caught signals"),
    col!("sig_catch", "CATCHED", w(9), Signal, ST, Some(SigCaught), caught, "mask of caught signals"),
];
