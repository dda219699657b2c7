//! Columns of CPU usage and of times: %CPU, CPU time, elapsed time, start time. Never reads /proc.

use super::{Column, Ctx, Row, Width, put};
use crate::items::Item::*;
use crate::items::values::{cap_util, cpu_secs_whole, permille, utilization};
use crate::proc::Needs;
use crate::sys;

const S: Needs = Needs::STAT;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

fn util3(o: &mut String, cu: f64) -> usize {
    put(o, format_args!("{:.3}", cap_util(cu)))
}
fn cuu(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    util3(o, utilization(r.p, cx, false))
}
fn cuc(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    util3(o, utilization(r.p, cx, true))
}
fn pcpu(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let pm = permille(r.p, cx);
    if pm > 999 {
        put(o, pm / 10)
    } else {
        put(o, format_args!("{}.{}", pm / 10, pm % 10))
    }
}
fn c(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, format_args!("{:2}", (permille(r.p, cx) / 10).min(99)))
}
fn cp(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, format_args!("{:3}", permille(r.p, cx).min(999)))
}

/// `[DD-]HH:MM:SS`
pub(crate) fn put_dhms(o: &mut String, t: u64) -> usize {
    let (ss, mm, hh, dd) = (t % 60, t / 60 % 60, t / 3600 % 24, t / 86400);
    if dd > 0 {
        put(o, format_args!("{dd}-{hh:02}:{mm:02}:{ss:02}"))
    } else {
        put(o, format_args!("{hh:02}:{mm:02}:{ss:02}"))
    }
}
fn time(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put_dhms(o, cpu_secs_whole(r.p, cx))
}
fn times(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, cpu_secs_whole(r.p, cx))
}
fn bsdtime(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let u = (cx.cpu_ticks(r.p) / cx.hz) as u32;
    put(o, format_args!("{:3}:{:02}", u / 60, u % 60))
}

fn etime(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let t = cx.elapsed(r.p) as u64;
    // procps keeps the days in an `unsigned`: an absurd elapsed time (no uptime) wraps there.
    let (ss, mm, hh, dd) = (t % 60, t / 60 % 60, t / 3600 % 24, (t / 86400) as u32);
    let mut n = 0;
    if dd > 0 {
        n += put(o, format_args!("{dd}-"));
    }
    if dd > 0 || hh > 0 {
        n += put(o, format_args!("{hh:02}:"));
    }
    n + put(o, format_args!("{mm:02}:{ss:02}"))
}
fn etimes(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, cx.elapsed(r.p) as u64 as u32)
}

/// `ctime()` without the newline: `Wed Nov 25 16:08:41 2026`.
pub(crate) fn ctime(t: i64) -> String {
    match sys::localtime(t) {
        Some(tm) => format!(
            "{} {} {:2} {:02}:{:02}:{:02} {}",
            DAYS[tm.wday.rem_euclid(7) as usize],
            MONTHS[tm.month.rem_euclid(12) as usize],
            tm.mday,
            tm.hour,
            tm.min,
            tm.sec,
            tm.year
        ),
        None => String::from("?"),
    }
}

/// START/STIME: `%H:%M` today, `%b%d` this year, `%Y` before.
fn stime(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let (Some(now), Some(t)) = (sys::localtime(cx.now), sys::localtime(cx.start_epoch(r.p))) else {
        return 0;
    };
    if now.year != t.year {
        put(o, t.year)
    } else if now.yday != t.yday {
        put(o, format_args!("{}{:02}", MONTHS[t.month as usize], t.mday))
    } else {
        put(o, format_args!("{:02}:{:02}", t.hour, t.min))
    }
}
/// STARTED: `HH:MM:SS` within a day, else `  Mon DD` (day zero-padded).
fn start(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let t = cx.start_epoch(r.p);
    let s = ctime(t).into_bytes();
    let mut s = s;
    if s.len() < 24 {
        return put(o, "?");
    }
    if s[8] == b' ' {
        s[8] = b'0';
    }
    if s[11] == b' ' {
        s[11] = b'0';
    }
    let s = String::from_utf8_lossy(&s).into_owned();
    if (t as u64).wrapping_add(86400) > cx.now as u64 {
        put(o, &s[11..19])
    } else {
        put(o, format_args!("  {}", &s[4..10]))
    }
}
fn bsdstart(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let t = cx.start_epoch(r.p);
    let ago = (cx.now - t).max(0);
    let s = ctime(t);
    let part = if ago > 86400 {
        s.get(4..10)
    } else {
        s.get(10..16)
    };
    put(o, part.unwrap_or("?"))
}
fn lstart(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, ctime(cx.start_epoch(r.p)))
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("%cpu", "%CPU", w(4), Right, S, Some(Utilization) => Some(PcpuShown), pcpu, "CPU use over the process's life, per cent"),
    col!("pcpu", "%CPU", w(4), Right, S, Some(Utilization) => Some(PcpuShown), pcpu, "CPU use over the process's life, per cent"),
    col!("c", "C", w(2), Right, S, Some(Utilization) => Some(PcpuInt), c, "CPU use, integer per cent (capped at 99)"),
    col!("util", "C", w(2), Right, S, Some(Utilization) => Some(PcpuInt), c, "CPU use, integer per cent (capped at 99)"),
    col!("cuu", "%CUU", w(6), Right, S, Some(Utilization) => Some(CuuShown), cuu, "CPU use over the process's life, per cent to 3 decimals"),
    col!("cuc", "%CUC", w(7), Right, S, Some(UtilizationC) => Some(CucShown), cuc, "as cuu, with dead children's time"),
    col!("cp", "CP", w(3), Right, S, Some(Utilization) => Some(PcpuPermille), cp, "CPU use, per mille (capped at 999)"),
    col!("time" | "cputime" | "atime", "TIME", w(8), Right, S, Some(CpuSecs) => Some(CpuSecsWhole), time, "CPU time, [DD-]HH:MM:SS"),
    col!("times" | "cputimes", "TIME", w(8), Right, S, Some(CpuSecs) => Some(CpuSecsWhole), times, "CPU time in seconds"),
    col!("bsdtime", "TIME", w(6), Right, S, Some(Ticks), bsdtime, "CPU time, MMM:SS (children too with S)"),
    col!("etime", "ELAPSED", w(11), Right, S, Some(Elapsed) => Some(ElapsedWhole), etime, "elapsed time since start, [[DD-]HH:]MM:SS"),
    col!("etimes", "ELAPSED", w(7), Right, S, Some(Elapsed) => Some(ElapsedWhole), etimes, "elapsed time since start, seconds"),
    col!("start_time", "START", w(5), Right, S, Some(StartTicks), stime, "start time: HH:MM today, MmmDD this year, else YYYY"),
    col!("stime", "STIME", w(5), Right, S, Some(StartTicks), stime, "start time, as start_time"),
    col!("start", "STARTED", w(8), Right, S, Some(StartTicks), start, "start time: HH:MM:SS within 24 hours, else Mmm DD"),
    col!("bsdstart", "START", w(6), Right, S, Some(StartTicks), bsdstart, "start time: HH:MM within 24 hours, else Mmm DD"),
    col!("lstart", "STARTED", w(24), Right, S, Some(StartTicks), lstart, "start time in full (ctime format)"),
];
