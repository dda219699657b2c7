//! CPU time of processes for embedders: raw clock ticks, the lifetime percentage `ps` shows,
//! and a two-sample sampler (like `top`) whose first reading is already right because it takes
//! its baseline when it is created. Reads `stat` files through [`ProcFs`]; never sleeps except
//! when a reading comes sooner than the sampler's minimum interval.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::proc::{Needs, ProcError, ProcFs, Process};

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`, normally 100).
pub fn clock_ticks() -> u64 {
    use nix::unistd::{SysconfVar, sysconf};
    sysconf(SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .map_or(100, |v| v.max(1) as u64)
}

/// A process's CPU time in clock ticks, from `/proc/PID/stat`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CpuTime {
    /// User-mode ticks.
    pub utime: u64,
    /// Kernel-mode ticks.
    pub stime: u64,
    /// Ticks of waited-for children (user + kernel).
    pub children: u64,
    /// Start time, ticks after boot.
    pub starttime: u64,
}

impl CpuTime {
    /// The CPU time of a process that was read (stat is always read).
    pub fn of(p: &Process) -> CpuTime {
        CpuTime {
            utime: p.stat.utime,
            stime: p.stat.stime,
            children: p.stat.cutime + p.stat.cstime,
            starttime: p.stat.starttime,
        }
    }

    /// User plus kernel ticks.
    pub fn total(&self) -> u64 {
        self.utime + self.stime
    }

    /// User plus kernel time in seconds, with `hz` ticks per second.
    pub fn seconds(&self, hz: u64) -> f64 {
        self.total() as f64 / hz.max(1) as f64
    }

    /// Average CPU use over the process's whole life, percent of one CPU (what `ps` calls
    /// %CPU): CPU seconds over seconds since it started. `uptime` is `/proc/uptime` seconds.
    pub fn lifetime_percent(&self, uptime: f64, hz: u64) -> f64 {
        let hz = hz.max(1) as f64;
        let alive = uptime - self.starttime as f64 / hz;
        if alive <= 0.0 {
            return 0.0;
        }
        self.total() as f64 / hz / alive * 100.0
    }
}

/// Samples %CPU of processes between two readings, percent of one CPU (a process with two
/// busy threads shows 200), like `top`.
///
/// The baseline is taken by [`CpuSampler::new`], and [`CpuSampler::read`] waits until at
/// least the minimum interval has passed since the previous sample, so the first reading is
/// a real measurement, never 0 or a lifetime average.
///
/// ```no_run
/// use gopsi::inspect::cpu::CpuSampler;
/// use gopsi::proc::ProcFs;
/// use std::time::Duration;
///
/// let fs = ProcFs::default();
/// let mut s = CpuSampler::all(&fs).with_min_interval(Duration::from_millis(500));
/// let pct = s.read(); // about 0.5 s after `all`: busy processes already show their use
/// for (pid, p) in pct.iter().filter(|(_, p)| **p > 1.0) {
///     println!("{pid}: {p:.1}%");
/// }
/// ```
#[derive(Debug)]
pub struct CpuSampler {
    fs: ProcFs,
    pids: Option<Vec<i32>>,
    hz: u64,
    min_interval: Duration,
    last: HashMap<i32, CpuTime>,
    at: Instant,
    boot_ticks: f64,
}

impl CpuSampler {
    /// A sampler of the given processes; takes the baseline now.
    pub fn new(fs: &ProcFs, pids: &[i32]) -> CpuSampler {
        Self::start(fs, Some(pids.to_vec()))
    }

    /// A sampler of every process (processes started between readings count from their start).
    pub fn all(fs: &ProcFs) -> CpuSampler {
        Self::start(fs, None)
    }

    fn start(fs: &ProcFs, pids: Option<Vec<i32>>) -> CpuSampler {
        let mut s = CpuSampler {
            fs: fs.clone(),
            pids,
            hz: clock_ticks(),
            min_interval: Duration::from_millis(100),
            last: HashMap::new(),
            at: Instant::now(),
            boot_ticks: 0.0,
        };
        let (now, at, boot) = s.snapshot();
        s.last = now;
        s.at = at;
        s.boot_ticks = boot;
        s
    }

    /// Sets the shortest interval a reading waits for (default 100 ms).
    pub fn with_min_interval(mut self, d: Duration) -> CpuSampler {
        self.min_interval = d;
        self
    }

    fn snapshot(&self) -> (HashMap<i32, CpuTime>, Instant, f64) {
        let pids = match &self.pids {
            Some(p) => p.clone(),
            None => self.fs.pids().unwrap_or_default(),
        };
        let at = Instant::now();
        let procs = self.fs.read_many(&pids, Needs::STAT);
        let boot = self
            .fs
            .read_host("uptime")
            .ok()
            .and_then(|b| crate::proc::host::parse_uptime(&b))
            .map_or(0.0, |u| u.up_secs * self.hz as f64);
        let map = procs.iter().map(|p| (p.pid, CpuTime::of(p))).collect();
        (map, at, boot)
    }

    /// %CPU of each process still alive since the previous sample (or since `new`); then the
    /// current sample becomes the baseline. Sleeps first if the minimum interval has not passed.
    pub fn read(&mut self) -> HashMap<i32, f64> {
        let waited = self.at.elapsed();
        if waited < self.min_interval {
            std::thread::sleep(self.min_interval - waited);
        }
        let (now, at, boot) = self.snapshot();
        let secs = at.duration_since(self.at).as_secs_f64().max(1e-6);
        let hz = self.hz as f64;
        let mut out = HashMap::with_capacity(now.len());
        for (&pid, t) in &now {
            let before = match self.last.get(&pid) {
                // Same process: delta since the baseline.
                Some(b) if b.starttime == t.starttime => b.total(),
                // New (or pid reused) since the baseline: started within the interval when
                // its start is after the baseline's boot-relative time; count all of it.
                _ if t.starttime as f64 >= self.boot_ticks - hz => 0,
                // Existed but was not sampled (a list given later): no baseline.
                _ => continue,
            };
            let d = t.total().saturating_sub(before) as f64;
            out.insert(pid, d / hz / secs * 100.0);
        }
        self.last = now;
        self.at = at;
        self.boot_ticks = boot;
        out
    }
}

/// %CPU of one process over `interval` (blocks for it): two samples of its stat line.
pub fn sample_percent(fs: &ProcFs, pid: i32, interval: Duration) -> Result<f64, ProcError> {
    let mut r = crate::proc::Reader::default();
    let hz = clock_ticks() as f64;
    let a = fs.read(pid, None, Needs::STAT, &mut r)?;
    let t0 = Instant::now();
    std::thread::sleep(interval);
    let b = fs.read(pid, None, Needs::STAT, &mut r)?;
    let secs = t0.elapsed().as_secs_f64().max(1e-6);
    if a.stat.starttime != b.stat.starttime {
        return Err(ProcError::Vanished(pid));
    }
    let d = CpuTime::of(&b)
        .total()
        .saturating_sub(CpuTime::of(&a).total()) as f64;
    Ok(d / hz / secs * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetime_percent() {
        let t = CpuTime {
            utime: 300,
            stime: 100,
            children: 0,
            starttime: 1000,
        };
        // Started at 10 s, now 30 s: 4 CPU seconds over 20 s.
        assert!((t.lifetime_percent(30.0, 100) - 20.0).abs() < 1e-9);
        assert_eq!(t.lifetime_percent(5.0, 100), 0.0);
        assert_eq!(t.seconds(100), 4.0);
    }

    #[test]
    fn sampler_first_reading_sees_a_busy_thread() {
        let fs = ProcFs::default();
        let me = std::process::id() as i32;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let s2 = stop.clone();
        let spin = std::thread::spawn(move || {
            let mut x = 0u64;
            while !s2.load(std::sync::atomic::Ordering::Relaxed) {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        });
        let mut s = CpuSampler::new(&fs, &[me]).with_min_interval(Duration::from_millis(300));
        let pct = s.read();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = spin.join();
        let p = pct.get(&me).copied().unwrap_or(0.0);
        // A spinning thread on a shared 2-core box: well above idle.
        assert!(p > 20.0, "sampled {p}%");
    }
}
