//! Parses the host-wide /proc files (`uptime`, `loadavg`, `stat`, `meminfo`, `pid_max`) from
//! bytes. Pure: never opens files.

/// `/proc/uptime`: seconds since boot and idle seconds summed over CPUs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Uptime {
    /// Seconds since boot.
    pub up_secs: f64,
    /// Idle seconds, summed over CPUs.
    pub idle_secs: f64,
}

/// Parses `/proc/uptime`.
pub fn parse_uptime(buf: &[u8]) -> Option<Uptime> {
    let text = std::str::from_utf8(buf).ok()?;
    let mut it = text.split_ascii_whitespace();
    let up_secs = it.next()?.parse().ok()?;
    let idle_secs = it.next().and_then(|s| s.parse().ok()).unwrap_or(0.0);
    Some(Uptime { up_secs, idle_secs })
}

/// `/proc/loadavg`: the three load averages and the newest pid.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LoadAvg {
    /// Over 1 minute.
    pub one: f64,
    /// Over 5 minutes.
    pub five: f64,
    /// Over 15 minutes.
    pub fifteen: f64,
}

/// Parses `/proc/loadavg`.
pub fn parse_loadavg(buf: &[u8]) -> Option<LoadAvg> {
    let text = std::str::from_utf8(buf).ok()?;
    let mut it = text.split_ascii_whitespace();
    Some(LoadAvg {
        one: it.next()?.parse().ok()?,
        five: it.next()?.parse().ok()?,
        fifteen: it.next()?.parse().ok()?,
    })
}

/// One `cpu` line of `/proc/stat`, in clock ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuTicks {
    /// User mode.
    pub user: u64,
    /// Niced user mode.
    pub nice: u64,
    /// Kernel mode.
    pub system: u64,
    /// Idle.
    pub idle: u64,
    /// Waiting for I/O.
    pub iowait: u64,
    /// Hardware interrupts.
    pub irq: u64,
    /// Software interrupts.
    pub softirq: u64,
    /// Stolen by the hypervisor.
    pub steal: u64,
    /// Running guests (also counted in `user`).
    pub guest: u64,
    /// Running niced guests (also counted in `nice`).
    pub guest_nice: u64,
}

/// The parts of `/proc/stat` gopsi uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SysStat {
    /// The summed `cpu` line.
    pub total: CpuTicks,
    /// `cpuN` lines, in file order, with their number.
    pub cpus: Vec<(u32, CpuTicks)>,
    /// `btime`: boot time, seconds since the epoch.
    pub btime: u64,
    /// `procs_running`: runnable tasks.
    pub procs_running: u64,
    /// `procs_blocked`: tasks blocked on I/O.
    pub procs_blocked: u64,
}

/// Parses a kernel CPU list (`0-3,8,10-11`): the CPU numbers, ascending as written; a
/// malformed part is skipped, a range is capped at 65536 CPUs.
pub fn parse_cpulist(buf: &[u8]) -> Vec<u32> {
    let text = String::from_utf8_lossy(buf);
    let mut out = Vec::new();
    for part in text.trim().split(',').filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        if let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>())
            && a <= b
        {
            out.extend((a..=b).take(65536));
        }
    }
    out
}

/// Parses `/proc/stat`.
pub fn parse_stat(buf: &[u8]) -> SysStat {
    let mut s = SysStat::default();
    for line in buf.split(|&b| b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let mut it = line.split_ascii_whitespace();
        let Some(key) = it.next() else { continue };
        if let Some(n) = key.strip_prefix("cpu") {
            let mut v = [0u64; 10];
            for (slot, w) in v.iter_mut().zip(it) {
                *slot = w.parse().unwrap_or(0);
            }
            let t = CpuTicks {
                user: v[0],
                nice: v[1],
                system: v[2],
                idle: v[3],
                iowait: v[4],
                irq: v[5],
                softirq: v[6],
                steal: v[7],
                guest: v[8],
                guest_nice: v[9],
            };
            if n.is_empty() {
                s.total = t;
            } else if let Ok(n) = n.parse() {
                s.cpus.push((n, t));
            }
            continue;
        }
        let val = it.next().and_then(|w| w.parse().ok()).unwrap_or(0);
        match key {
            "btime" => s.btime = val,
            "procs_running" => s.procs_running = val,
            "procs_blocked" => s.procs_blocked = val,
            _ => {}
        }
    }
    s
}

/// `/proc/meminfo` values in kB (absent lines are 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemInfo {
    /// `MemTotal`
    pub mem_total: u64,
    /// `MemFree`
    pub mem_free: u64,
    /// `MemAvailable`
    pub mem_available: u64,
    /// `Buffers`
    pub buffers: u64,
    /// `Cached`
    pub cached: u64,
    /// `SReclaimable`
    pub s_reclaimable: u64,
    /// `Shmem`
    pub shmem: u64,
    /// `SwapTotal`
    pub swap_total: u64,
    /// `SwapFree`
    pub swap_free: u64,
}

/// The `Key:   value kB` lines of files like `meminfo` and `smaps_rollup`: each key with the
/// first number after its colon (0 when there is none).
pub fn kb_lines(buf: &[u8]) -> impl Iterator<Item = (&str, u64)> {
    buf.split(|&b| b == b'\n').filter_map(|line| {
        let (key, val) = std::str::from_utf8(line).ok()?.split_once(':')?;
        let v = val
            .split_ascii_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        Some((key, v))
    })
}

/// Parses `/proc/meminfo`.
pub fn parse_meminfo(buf: &[u8]) -> MemInfo {
    let mut m = MemInfo::default();
    for (key, v) in kb_lines(buf) {
        let slot = match key {
            "MemTotal" => &mut m.mem_total,
            "MemFree" => &mut m.mem_free,
            "MemAvailable" => &mut m.mem_available,
            "Buffers" => &mut m.buffers,
            "Cached" => &mut m.cached,
            "SReclaimable" => &mut m.s_reclaimable,
            "Shmem" => &mut m.shmem,
            "SwapTotal" => &mut m.swap_total,
            "SwapFree" => &mut m.swap_free,
            _ => continue,
        };
        *slot = v;
    }
    m
}

/// The number of characters of the first line of `/proc/sys/kernel/pid_max` (procps sizes its
/// PID columns by this).
pub fn pid_max_len(buf: &[u8]) -> usize {
    buf.iter().take_while(|&&b| b != b'\n').count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cpulists() {
        assert_eq!(super::parse_cpulist(b"0-1\n"), [0, 1]);
        assert_eq!(super::parse_cpulist(b"0-2,8,10-11"), [0, 1, 2, 8, 10, 11]);
        assert_eq!(super::parse_cpulist(b"\n"), Vec::<u32>::new());
        assert_eq!(super::parse_cpulist(b"3-1,x,5"), [5]);
    }

    use super::*;

    #[test]
    fn uptime_and_load() {
        let u = parse_uptime(b"11220.57 21000.10\n").unwrap();
        assert_eq!(u.up_secs, 11220.57);
        let l = parse_loadavg(b"4.07 2.26 0.95 3/120 7985\n").unwrap();
        assert_eq!((l.one, l.five, l.fifteen), (4.07, 2.26, 0.95));
        assert_eq!(parse_uptime(b""), None);
    }

    #[test]
    fn proc_stat() {
        let s = parse_stat(b"cpu  10 1 20 300 4 0 2 0 0 0\ncpu0 5 1 10 150 2 0 1 0 0 0\ncpu1 5 0 10 150 2 0 1 0 0 0\nintr 1 2 3\nctxt 99\nbtime 1764079200\nprocesses 900\nprocs_running 2\nprocs_blocked 0\n");
        assert_eq!(s.total.user, 10);
        assert_eq!(s.total.idle, 300);
        assert_eq!(s.cpus.len(), 2);
        assert_eq!(s.cpus[1].0, 1);
        assert_eq!(s.btime, 1764079200);
        assert_eq!(s.procs_running, 2);
    }

    #[test]
    fn meminfo() {
        let m = parse_meminfo(b"MemTotal:       24683620 kB\nMemFree:        22240312 kB\nMemAvailable:   23236000 kB\nBuffers:           10000 kB\nCached:          1200000 kB\nSwapTotal:             0 kB\nSReclaimable:     243000 kB\n");
        assert_eq!(m.mem_total, 24683620);
        assert_eq!(m.mem_available, 23236000);
        assert_eq!(m.s_reclaimable, 243000);
        assert_eq!(m.swap_total, 0);
    }

    #[test]
    fn pid_max_width() {
        assert_eq!(pid_max_len(b"32768\n"), 5);
        assert_eq!(pid_max_len(b"4194304\n"), 7);
        assert_eq!(pid_max_len(b"99"), 2);
    }
}
