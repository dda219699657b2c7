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
