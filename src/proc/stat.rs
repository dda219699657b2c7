//! Parses `/proc/PID/stat` (and `/proc/PID/task/TID/stat`) from bytes. Pure: never opens files.

/// The fields of `/proc/PID/stat` that gopsi uses, in the kernel's units (proc(5) numbering).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stat {
    /// (1) pid (the task id for a thread's own stat file).
    pub pid: i32,
    /// (2) comm: raw bytes between the first `(` and the last `)`; may hold `)`, spaces, newlines.
    pub comm: Vec<u8>,
    /// (3) state letter: R S D Z T t X I P.
    pub state: u8,
    /// (4) parent pid.
    pub ppid: i32,
    /// (5) process group id.
    pub pgrp: i32,
    /// (6) session id.
    pub session: i32,
    /// (7) controlling terminal, encoded device number (0 = none).
    pub tty_nr: i32,
    /// (8) foreground process group of the terminal (-1 = none).
    pub tpgid: i32,
    /// (9) kernel PF_* flags.
    pub flags: u32,
    /// (10) minor faults.
    pub minflt: u64,
    /// (11) minor faults of waited-for children.
    pub cminflt: u64,
    /// (12) major faults.
    pub majflt: u64,
    /// (13) major faults of waited-for children.
    pub cmajflt: u64,
    /// (14) user time, clock ticks.
    pub utime: u64,
    /// (15) system time, clock ticks.
    pub stime: u64,
    /// (16) children's user time, clock ticks.
    pub cutime: u64,
    /// (17) children's system time, clock ticks.
    pub cstime: u64,
    /// (18) kernel priority (negative for real-time).
    pub priority: i64,
    /// (19) nice value.
    pub nice: i64,
    /// (20) number of threads.
    pub num_threads: i64,
    /// (22) start time, clock ticks after boot.
    pub starttime: u64,
    /// (23) virtual memory size, bytes.
    pub vsize: u64,
    /// (24) resident set size, pages.
    pub rss: u64,
    /// (25) RSS soft limit, bytes.
    pub rsslim: u64,
    /// (26) start of code, address.
    pub startcode: u64,
    /// (27) end of code, address.
    pub endcode: u64,
    /// (28) start of stack, address.
    pub startstack: u64,
    /// (29) current stack pointer (0 unless the task is the reader).
    pub kstkesp: u64,
    /// (30) current instruction pointer.
    pub kstkeip: u64,
    /// (35) wait channel (0 or 1 since Linux 4.4; the symbol is in `wchan`).
    pub wchan: u64,
    /// (38) exit signal sent to the parent.
    pub exit_signal: i32,
    /// (39) CPU last run on.
    pub processor: i32,
    /// (40) real-time priority (0 for normal policies).
    pub rt_priority: u32,
    /// (41) scheduling policy (SCHED_* number).
    pub policy: u32,
    /// (42) aggregated block I/O delays, clock ticks.
    pub blkio_ticks: u64,
    /// (43) guest time, clock ticks.
    pub guest_time: u64,
    /// (44) children's guest time, clock ticks.
    pub cguest_time: u64,
}

/// The kernel's flag for kernel threads (PF_KTHREAD).
pub const PF_KTHREAD: u32 = 0x0020_0000;

impl Stat {
    /// Whether this is a kernel thread (its cmdline is always empty).
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }
}

/// Parses one stat line. `None` when the text is not a stat line (no `(`/`)` or too few fields).
/// Fields a newer or older kernel omits at the end stay 0.
pub fn parse(buf: &[u8]) -> Option<Stat> {
    let open = buf.iter().position(|&b| b == b'(')?;
    let close = buf.iter().rposition(|&b| b == b')')?;
    if close < open {
        return None;
    }
    let pid = parse_int(trim(&buf[..open]))?;
    let comm = buf[open + 1..close].to_vec();
    let mut f = buf[close + 1..]
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|s| !s.is_empty());
    let state = *f.next()?.first()?;
    // Fields 4.. in order; field 3 was the state.
    let mut rest = [0i64; 41];
    let mut n = 0;
    for (slot, word) in rest.iter_mut().zip(&mut f) {
        *slot = parse_int(word)?;
        n += 1;
    }
    if n < 17 {
        return None;
    }
    // rest[k] holds field k + 4.
    let g = |field: usize| rest[field - 4];
    let u = |field: usize| rest[field - 4] as u64;
    Some(Stat {
        pid: pid as i32,
        comm,
        state,
        ppid: g(4) as i32,
        pgrp: g(5) as i32,
        session: g(6) as i32,
        tty_nr: g(7) as i32,
        tpgid: g(8) as i32,
        flags: g(9) as u32,
        minflt: u(10),
        cminflt: u(11),
        majflt: u(12),
        cmajflt: u(13),
        utime: u(14),
        stime: u(15),
        cutime: u(16),
        cstime: u(17),
        priority: g(18),
        nice: g(19),
        num_threads: g(20),
        starttime: u(22),
        vsize: u(23),
        rss: u(24),
        rsslim: u(25),
        startcode: u(26),
        endcode: u(27),
        startstack: u(28),
        kstkesp: u(29),
        kstkeip: u(30),
        wchan: u(35),
        exit_signal: g(38) as i32,
        processor: g(39) as i32,
        rt_priority: g(40) as u32,
        policy: g(41) as u32,
        blkio_ticks: u(42),
        guest_time: u(43),
        cguest_time: u(44),
    })
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &b[s..e.max(s)]
}

/// Parses a decimal integer with an optional sign; values beyond i64 wrap like the kernel's
/// unsigned fields printed as `%llu` (e.g. rsslim 18446744073709551615 becomes -1).
pub(crate) fn parse_int(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
    }
    let v = v as i64;
    Some(if neg { v.wrapping_neg() } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLEEP: &[u8] = b"7308 (sleep) S 1 7308 7308 0 -1 4194560 101 0 0 0 0 0 0 0 20 0 1 0 84211 2990080 437 18446744073709551615 94774362165248 94774362179473 140724543626528 0 0 0 0 0 0 1 0 0 17 1 0 0 0 0 0 94774362190224 94774362191440 94774387437568 140724543627795 140724543627816 140724543627816 140724543631340 0\n";

    #[test]
    fn parses_a_sleeper() {
        let s = parse(SLEEP).unwrap();
        assert_eq!(s.pid, 7308);
        assert_eq!(s.comm, b"sleep");
        assert_eq!(s.state, b'S');
        assert_eq!(
            (s.ppid, s.pgrp, s.session, s.tty_nr, s.tpgid),
            (1, 7308, 7308, 0, -1)
        );
        assert_eq!((s.priority, s.nice, s.num_threads), (20, 0, 1));
        assert_eq!(s.starttime, 84211);
        assert_eq!(s.vsize, 2990080);
        assert_eq!(s.rss, 437);
        assert_eq!(s.rsslim, u64::MAX);
        assert_eq!((s.processor, s.rt_priority, s.policy), (1, 0, 0));
        assert!(!s.is_kernel_thread());
    }

    #[test]
    fn comm_with_parens_spaces_and_newline() {
        let line =
            b"42 (a) b (c\n) d) R 1 42 42 34816 42 4194304 0 0 0 0 5 7 0 0 20 0 1 0 100 0 0 0";
        let s = parse(line).unwrap();
        assert_eq!(s.comm, b"a) b (c\n) d");
        assert_eq!(s.state, b'R');
        assert_eq!((s.utime, s.stime), (5, 7));
        assert_eq!(s.tty_nr, 34816);
    }

    #[test]
    fn kernel_thread_and_realtime() {
        let line = b"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 -100 0 1 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 0 99 1 0 0 0";
        let s = parse(line).unwrap();
        assert!(s.is_kernel_thread());
        assert_eq!(s.priority, -100);
        assert_eq!((s.rt_priority, s.policy), (99, 1));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse(b""), None);
        assert_eq!(parse(b"12 (x"), None);
        assert_eq!(parse(b"12 (x) S 1 2"), None);
        assert_eq!(
            parse(b"x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18"),
            None
        );
    }
}
