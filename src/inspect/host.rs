//! Host-wide metrics for embedders: uptime, load, memory, CPU count and processes, read from
//! `/proc/{uptime,loadavg,meminfo,stat}` through [`ProcFs`], plus a two-sample host CPU
//! sampler. Never reads per-process files.

use std::time::{Duration, Instant};

use crate::proc::host::{self, CpuTicks};
use crate::proc::{ProcError, ProcFs};

/// A snapshot of the host.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HostMetrics {
    /// Seconds since boot.
    pub uptime_secs: f64,
    /// Load averages over 1, 5 and 15 minutes.
    pub load: [f64; 3],
    /// CPUs with a `cpuN` line in `/proc/stat`.
    pub cpus: usize,
    /// Boot time, seconds since the epoch.
    pub boot_time: u64,
    /// Runnable tasks.
    pub procs_running: u64,
    /// Tasks blocked on I/O.
    pub procs_blocked: u64,
    /// `MemTotal`, KiB.
    pub mem_total_kib: u64,
    /// `MemFree`, KiB.
    pub mem_free_kib: u64,
    /// `MemAvailable`, KiB.
    pub mem_available_kib: u64,
    /// Used memory as `free` computes it (total - free - buffers - cache), KiB.
    pub mem_used_kib: u64,
    /// `SwapTotal`, KiB.
    pub swap_total_kib: u64,
    /// Swap in use, KiB.
    pub swap_used_kib: u64,
}

/// Reads the host's metrics.
pub fn metrics(fs: &ProcFs) -> Result<HostMetrics, ProcError> {
    let up = host::parse_uptime(&fs.read_host("uptime")?).unwrap_or_default();
    let load = host::parse_loadavg(&fs.read_host("loadavg")?).unwrap_or_default();
    let st = host::parse_stat(&fs.read_host("stat")?);
    let m = host::parse_meminfo(&fs.read_host("meminfo")?);
    let cache = m.buffers + m.cached + m.s_reclaimable;
    Ok(HostMetrics {
        uptime_secs: up.up_secs,
        load: [load.one, load.five, load.fifteen],
        cpus: st.cpus.len().max(1),
        boot_time: st.btime,
        procs_running: st.procs_running,
        procs_blocked: st.procs_blocked,
        mem_total_kib: m.mem_total,
        mem_free_kib: m.mem_free,
        mem_available_kib: m.mem_available,
        mem_used_kib: m.mem_total.saturating_sub(m.mem_free + cache),
        swap_total_kib: m.swap_total,
        swap_used_kib: m.swap_total.saturating_sub(m.swap_free),
    })
}

/// Host CPU use between two readings, percent of all CPUs (0-100). Like [`super::cpu::CpuSampler`]
/// its baseline is taken on creation, so the first [`HostCpuSampler::read`] is a real value.
#[derive(Debug)]
pub struct HostCpuSampler {
    fs: ProcFs,
    last: CpuTicks,
    at: Instant,
    min_interval: Duration,
}

impl HostCpuSampler {
    /// Takes the baseline now.
    pub fn new(fs: &ProcFs) -> Result<HostCpuSampler, ProcError> {
        Ok(HostCpuSampler {
            fs: fs.clone(),
            last: host::parse_stat(&fs.read_host("stat")?).total,
            at: Instant::now(),
            min_interval: Duration::from_millis(100),
        })
    }

    /// Busy percent since the previous reading (waits for at least 100 ms since it).
    pub fn read(&mut self) -> Result<f64, ProcError> {
        let waited = self.at.elapsed();
        if waited < self.min_interval {
            std::thread::sleep(self.min_interval - waited);
        }
        let now = host::parse_stat(&self.fs.read_host("stat")?).total;
        let pct = busy_percent(&self.last, &now);
        self.last = now;
        self.at = Instant::now();
        Ok(pct)
    }
}

/// Busy share between two `cpu` lines, percent (idle and iowait count as idle).
pub fn busy_percent(a: &CpuTicks, b: &CpuTicks) -> f64 {
    let sum =
        |t: &CpuTicks| t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
    let total = sum(b).saturating_sub(sum(a)) as f64;
    let idle = (b.idle + b.iowait).saturating_sub(a.idle + a.iowait) as f64;
    if total <= 0.0 {
        0.0
    } else {
        (total - idle) / total * 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_share() {
        let a = CpuTicks::default();
        let b = CpuTicks {
            user: 30,
            system: 10,
            idle: 50,
            iowait: 10,
            ..CpuTicks::default()
        };
        assert!((busy_percent(&a, &b) - 40.0).abs() < 1e-9);
        assert_eq!(busy_percent(&b, &b), 0.0);
    }

    #[test]
    fn reads_this_host() {
        let h = metrics(&ProcFs::default()).unwrap();
        assert!(h.uptime_secs > 0.0 && h.mem_total_kib > 0 && h.cpus >= 1);
    }
}
