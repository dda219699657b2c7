//! top's summary area: the uptime line (with utmp user counting), the task-state line, the CPU
//! state line(s) from two `/proc/stat` samples, and the memory lines with procps 4.0.2's
//! formulas. Pure formatting over parsed values: never opens files.

use crate::proc::host::{CpuTicks, LoadAvg};

use super::fields::summary_num;

/// `USER_PROCESS` in `ut_type`.
const USER_PROCESS: i16 = 7;
/// Size of one glibc x86-64/aarch64 utmp record.
pub const UTMP_RECORD: usize = 384;
/// Offset of `ut_user` in a record.
const UT_USER: usize = 44;

/// Counts utmp records of type `USER_PROCESS` whose user name is not empty (4.0.2's rule).
pub fn count_users(utmp: &[u8]) -> usize {
    utmp.chunks_exact(UTMP_RECORD)
        .filter(|r| i16::from_ne_bytes([r[0], r[1]]) == USER_PROCESS && r[UT_USER] != 0)
        .count()
}

/// The uptime part of line 1: ` HH:MM:SS up ...,  N user,  load average: a, b, c`.
pub fn line1(name: &str, hms: (i32, i32, i32), up_secs: f64, users: usize, l: &LoadAvg) -> String {
    let up = up_secs as i64;
    let days = up / 86400;
    let hours = (up / 3600) % 24;
    let mins = (up / 60) % 60;
    let mut s = format!("{name} - {:02}:{:02}:{:02} up ", hms.0, hms.1, hms.2);
    if days > 0 {
        s.push_str(&format!(
            "{days} {}, ",
            if days > 1 { "days" } else { "day" }
        ));
    }
    if hours > 0 {
        s.push_str(&format!("{hours:2}:{mins:02}, "));
    } else {
        s.push_str(&format!("{mins} min, "));
    }
    s.push_str(&format!(
        "{users:2} {},  load average: {:.2}, {:.2}, {:.2}",
        if users > 1 { "users" } else { "user" },
        l.one,
        l.five,
        l.fifteen
    ));
    s
}

pub use crate::host::Tasks as Counts;

/// Line 2: `Tasks: ...` (or `Threads: ...`).
pub fn line2(threads: bool, c: &Counts) -> String {
    format!(
        "{}: {:3} total, {:3} running, {:3} sleeping, {:3} stopped, {:3} zombie",
        if threads { "Threads" } else { "Tasks" },
        c.total,
        c.running,
        c.sleeping,
        c.stopped,
        c.zombie
    )
}

/// The CPU state percentages between two samples, procps 4.0.2's way (f32, guest counted
/// twice in the total): us, sy, ni, id, wa, hi, si, st.
pub fn cpu_percents(prev: &CpuTicks, cur: &CpuTicks) -> [f64; 8] {
    let d = |a: u64, b: u64| b as i64 - a as i64;
    let us = d(prev.user, cur.user);
    let ni = d(prev.nice, cur.nice);
    let sy = d(prev.system, cur.system);
    let mut id = d(prev.idle, cur.idle);
    let wa = d(prev.iowait, cur.iowait);
    let hi = d(prev.irq, cur.irq);
    let si = d(prev.softirq, cur.softirq);
    let st = d(prev.steal, cur.steal);
    let gu = d(prev.guest, cur.guest);
    let gn = d(prev.guest_nice, cur.guest_nice);
    // 4.0.2 counts guest time twice in the total (it is in user/nice already).
    let mut tot = us + ni + sy + id + wa + hi + si + st + gu + gn;
    if tot < 1 {
        id = 1;
        tot = 1;
    }
    let scale = (100.0f64 / tot as f32 as f64) as f32;
    let p = |v: i64| ((v as f32) * scale) as f64;
    [p(us), p(sy), p(ni), p(id), p(wa), p(hi), p(si), p(st)]
}

/// One CPU state line from the ticks between two samples, after `prefix` (`%Cpu(s):`).
pub fn cpu_line(prefix: &str, prev: &CpuTicks, cur: &CpuTicks) -> String {
    let [us, sy, ni, id, wa, hi, si, st] = cpu_percents(prev, cur);
    format!(
        "{prefix}{us:5.1} us,{sy:5.1} sy,{ni:5.1} ni,{id:5.1} id,{wa:5.1} wa,{hi:5.1} hi,{si:5.1} si,{st:5.1} st "
    )
}

pub(crate) use crate::host::MemKib as Mem;

/// Unit labels for `-E`.
const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/// Lines 4 and 5 (with their trailing spaces) in unit `scale` (0 = KiB).
pub(crate) fn mem_lines(m: &Mem, scale: usize) -> (String, String) {
    let u = UNITS[scale.min(5)];
    let n = |v| summary_num(v, scale);
    (
        format!(
            "{u} Mem : {}total, {}free, {}used, {}buff/cache     ",
            n(m.total),
            n(m.free),
            n(m.used),
            n(m.buff_cache)
        ),
        format!(
            "{u} Swap: {}total, {}free, {}used. {}avail Mem ",
            n(m.swap_total),
            n(m.swap_free),
            n(m.swap_used),
            n(m.avail)
        ),
    )
}

/// The bar (`|`) or block (reverse-video blank) lengths of the CPU and memory graphs on a
/// screen `cols` wide (per-CPU lines `paired` two abreast or not), procps 4.0.2's geometry:
/// 25 columns of prefix and 2 of suffix around at most 100 and at least 10 graph cells.
pub fn graph_lengths(cols: usize, paired: bool) -> (usize, usize) {
    const PREFIX: i64 = 25;
    const SUFFIX: i64 = 2;
    const ADJOIN: i64 = 2;
    let c = cols.min(100_000) as i64;
    let l = if paired {
        (c - ADJOIN - 2 * (PREFIX + SUFFIX)) / 2
    } else if c - (PREFIX + 100 + SUFFIX) >= 0 {
        100
    } else {
        c - PREFIX - SUFFIX
    };
    let l = l.clamp(10, 100) as usize;
    (l, l)
}

/// procps's graph of two parts of `total` in `len` cells (`style` 1: bars, 2: blocks): the two
/// percentages, their sum, and the bracketed graph with its `~N` markup.
fn graph(total: i64, part1: i64, part2: i64, len: usize, style: u8) -> (f32, f32, f32, String) {
    let scale = if total > 0 {
        (100.0f64 / total as f64) as f32
    } else {
        0.0
    };
    let one = scale * part1 as f32;
    let mut two = scale * part2 as f32;
    if one + two > 100.0 || two < 0.0 {
        two = 0.0;
    }
    let tot = one + two;
    let adjust = (len as f32 as f64 / 100.0) as f32;
    let cells = |p: f32| (((p * adjust) as f64 + 0.5) as i64).clamp(0, len as i64) as usize;
    let (mut n1, mut n2) = (cells(one), cells(two));
    if n1 + n2 > len {
        n1 = n1.min(len);
        n2 = len - n1;
    }
    let (ch, c1, c2) = if style == 1 {
        ('|', "~7", "~8")
    } else {
        (' ', "~4", "~6")
    };
    let mut inner = String::new();
    let mut width = len;
    for (n, code) in [(n1, c1), (n2, c2)] {
        if n > 0 {
            inner.extend(std::iter::repeat_n(ch, n));
            inner.push_str(code);
            width += 2;
        }
    }
    (one, two, tot, format!("[~1{inner:<width$}] ~1"))
}

/// One CPU state line as `t`'s bar (`style` 1) or block (2) graph of `len` cells, with
/// procps's `~N` markup: `PREFIX us+ni/sy+hi+si total[graph]`.
pub fn cpu_graph(prefix: &str, prev: &CpuTicks, cur: &CpuTicks, len: usize, style: u8) -> String {
    let d = |a: u64, b: u64| b as i64 - a as i64;
    let usr = d(prev.user, cur.user) + d(prev.nice, cur.nice);
    let sys = d(prev.system, cur.system) + d(prev.irq, cur.irq) + d(prev.softirq, cur.softirq);
    let idl = d(prev.idle, cur.idle) + d(prev.iowait, cur.iowait);
    let mut tot = usr
        + sys
        + idl
        + d(prev.steal, cur.steal)
        + d(prev.guest, cur.guest)
        + d(prev.guest_nice, cur.guest_nice);
    if tot < 1 {
        tot = 1;
    }
    let (one, two, all, g) = graph(tot, usr, sys, len, style);
    format!("{prefix} ~3{one:5.1}~2/{two:<5.1}~3 {all:3.0}{g}")
}

/// The memory and swap lines as `m`'s bar (`style` 1) or block (2) graphs of `len` cells, with
/// procps's `~N` markup: used and cache-but-not-available memory, used swap.
pub(crate) fn mem_graphs(m: &Mem, scale: usize, len: usize, style: u8) -> (String, String) {
    let u = UNITS[scale.min(5)];
    let raw = |v| summary_num(v, scale).trim_start().to_string();
    let i = |v: u64| v.min(i64::MAX as u64) as i64;
    let used = i(m.total) - i(m.free) - i(m.buff_cache);
    let misc = i(m.total) - i(m.avail) - used;
    let (_, _, pct, g) = graph(i(m.total), used, misc, len, style);
    let line1 = format!("{u} Mem :~3{pct:5.1}~2/{:<9.9}~3{g}", raw(m.total));
    let (_, two, _, g) = graph(i(m.swap_total), 0, i(m.swap_used), len, style);
    let line2 = format!("{u} Swap:~3{two:5.1}~2/{:<9.9}~3{g}", raw(m.swap_total));
    (line1, line2)
}

/// Splits a line with procps's `~N` markup into its segments, each with the code `N` that ends
/// it (0 for the unmarked tail), keeping at most `cols` characters as procps's `show_special`
/// does. Codes: 1 and 8 normal, 2 and 7 bold, 3 the summary colour (none in mono), 4 and 6
/// reverse video.
pub fn markup_spans(line: &str, cols: usize) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    let mut room = cols;
    let mut seg = String::new();
    let mut chars = line.chars().peekable();
    loop {
        let c = chars.next();
        let code = match c {
            None => Some(0),
            Some('~') => match chars.peek() {
                Some(&d @ '1'..='8') => {
                    chars.next();
                    Some(d as u8 - b'0')
                }
                _ => None,
            },
            _ => None,
        };
        match code {
            Some(code) => {
                let n = seg.chars().count();
                let keep: String = seg.chars().take(room).collect();
                if !keep.is_empty() {
                    out.push((keep, code));
                }
                seg.clear();
                room = room.saturating_sub(n);
                if c.is_none() || room == 0 {
                    break;
                }
            }
            None => seg.push(c.unwrap_or(' ')),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticks(user: u64, system: u64, idle: u64, guest: u64) -> CpuTicks {
        CpuTicks {
            user,
            system,
            idle,
            guest,
            ..CpuTicks::default()
        }
    }

    #[test]
    fn cpu_percentages() {
        let a = ticks(0, 0, 0, 0);
        assert_eq!(
            cpu_line("%Cpu(s):", &a, &ticks(8, 1, 0, 0)),
            "%Cpu(s): 88.9 us, 11.1 sy,  0.0 ni,  0.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st "
        );
        assert_eq!(
            cpu_line("%Cpu(s):", &a, &a),
            "%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st "
        );
        // guest counted twice: 10 user (of which 5 guest) + 5 idle = total 20.
        assert_eq!(
            &cpu_line("%Cpu0  :", &a, &ticks(10, 0, 5, 5))[..24],
            "%Cpu0  : 50.0 us,  0.0 s"
        );
    }

    #[test]
    fn uptime_forms() {
        let l = LoadAvg {
            one: 4.07,
            five: 2.26,
            fifteen: 0.95,
        };
        let up = |s: f64| line1("top", (14, 12, 27), s, 0, &l);
        assert_eq!(
            up(420.0),
            "top - 14:12:27 up 7 min,  0 user,  load average: 4.07, 2.26, 0.95"
        );
        assert!(up(59.9).contains("up 0 min,"));
        assert!(up(11220.0).contains("up  3:07,"));
        assert!(up(86400.0).contains("up 1 day, 0 min,"));
        assert!(up(183000.0).contains("up 2 days,  2:50,"));
        assert!(line1("top", (0, 0, 0), 1.0, 2, &l).contains(" 2 users,"));
    }

    #[test]
    fn graphs() {
        assert_eq!(graph_lengths(80, false), (53, 53));
        assert_eq!(graph_lengths(120, false), (93, 93));
        assert_eq!(graph_lengths(200, false), (100, 100));
        assert_eq!(graph_lengths(20, false), (10, 10));
        assert_eq!(graph_lengths(120, true), (32, 32));
        let a = ticks(0, 0, 0, 0);
        // 50% user, 25% system of 10 cells: 5 bold bars, then 3 (2.5 rounds up) plain bars.
        let g = cpu_graph("%Cpu(s):", &a, &ticks(2, 1, 1, 0), 10, 1);
        assert_eq!(g, "%Cpu(s): ~3 50.0~2/25.0 ~3  75[~1|||||~7|||~8  ] ~1");
        let spans = markup_spans(&g, 80);
        let text: String = spans.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(text, "%Cpu(s):  50.0/25.0   75[||||||||  ] ");
        assert_eq!(spans[1], (" 50.0".to_string(), 2));
        assert_eq!(spans[4], ("|||||".to_string(), 7));
        // Blocks are blanks in reverse video (codes 4 and 6); cut to the width like procps.
        let b = cpu_graph("%Cpu(s):", &a, &ticks(2, 1, 1, 0), 10, 2);
        assert!(b.contains("[~1     ~4   ~6  ] ~1"), "{b}");
        let cut: String = markup_spans(&b, 20).into_iter().map(|s| s.0).collect();
        assert_eq!(cut, "%Cpu(s):  50.0/25.0 ");
        let m = Mem {
            total: 1000,
            free: 500,
            buff_cache: 300,
            avail: 600,
            swap_total: 0,
            ..Mem::default()
        };
        let (l1, l2) = mem_graphs(&m, 0, 10, 1);
        // used 200 (20%), cached but not available 200 (20%): 2 bold, 2 plain bars.
        assert_eq!(l1, "KiB Mem :~3 40.0~2/1000     ~3[~1||~7||~8      ] ~1");
        assert_eq!(l2, "KiB Swap:~3  0.0~2/0        ~3[~1          ] ~1");
    }

    #[test]
    fn utmp_counting() {
        let mut buf = vec![0u8; UTMP_RECORD * 3];
        buf[0] = 7;
        buf[UT_USER] = b'r';
        buf[UTMP_RECORD] = 7; // empty name: not counted
        buf[2 * UTMP_RECORD] = 8;
        buf[2 * UTMP_RECORD + UT_USER] = b'x';
        assert_eq!(count_users(&buf), 1);
    }
}
