//! Host-wide metrics, the values of top's summary area: uptime, logged-in users, load
//! averages, tasks by state, memory and swap (with procps 4's derivations of "used" and
//! "available"), and the CPU breakdown between two readings of `/proc/stat`. Reads each host
//! file once per sample through [`ProcFs`]; never formats (top's summary lines are
//! [`HostSample`]'s `Display`, in [`crate::top`]).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::error::Error;
use crate::proc::host::{self, CpuTicks, LoadAvg, MemInfo, SysStat};
use crate::proc::{Needs, ProcFs};

/// Where the host is read from.
#[derive(Debug, Clone)]
pub struct HostOptions {
    /// The proc file system's root (default `/proc`).
    pub proc_root: PathBuf,
    /// The utmp file logged-in users are counted from (default `/var/run/utmp`).
    pub utmp: PathBuf,
}

impl Default for HostOptions {
    fn default() -> HostOptions {
        HostOptions {
            proc_root: PathBuf::from("/proc"),
            utmp: PathBuf::from("/var/run/utmp"),
        }
    }
}

/// Tasks by state, as top's second line counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tasks {
    /// Every task counted.
    pub total: usize,
    /// Running (`R`).
    pub running: usize,
    /// Sleeping (every other state: `S`, `D`, `I`, ...).
    pub sleeping: usize,
    /// Stopped (`T`, `t`).
    pub stopped: usize,
    /// Zombies (`Z`).
    pub zombie: usize,
}

impl Tasks {
    /// Counts one task in state `s` (its stat state letter; top counts every state it does
    /// not name, `D` and `I` among them, as sleeping).
    pub fn add(&mut self, s: u8) {
        self.total += 1;
        match s {
            b'R' => self.running += 1,
            b'T' | b't' => self.stopped += 1,
            b'Z' => self.zombie += 1,
            _ => self.sleeping += 1,
        }
    }
}

/// Memory and swap in KiB, derived from `/proc/meminfo` as procps-ng 4's `free` and `top` do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MemKib {
    pub total: u64,
    pub free: u64,
    pub used: u64,
    pub buff_cache: u64,
    pub avail: u64,
    pub swap_total: u64,
    pub swap_free: u64,
    pub swap_used: u64,
}

impl MemKib {
    /// procps 4's formulas: available is `MemAvailable` (or `MemFree` when the kernel lacks it
    /// or reports more than the total), used is total minus available (minus free when that
    /// goes negative), buff/cache is buffers + cached + reclaimable slab.
    pub fn from_meminfo(m: &MemInfo) -> MemKib {
        let avail = if m.mem_available == 0 || m.mem_available > m.mem_total {
            m.mem_free
        } else {
            m.mem_available
        };
        // Signed, as the library computes it; a still-negative result wraps when stored unsigned.
        let mut used = m.mem_total as i64 - avail as i64;
        if used < 0 {
            used = m.mem_total as i64 - m.mem_free as i64;
        }
        MemKib {
            total: m.mem_total,
            free: m.mem_free,
            used: used as u64,
            buff_cache: m.buffers + m.cached + m.s_reclaimable,
            avail,
            swap_total: m.swap_total,
            swap_free: m.swap_free,
            swap_used: m.swap_total.saturating_sub(m.swap_free),
        }
    }
}

/// Memory in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Memory {
    /// `MemTotal`.
    pub total: u64,
    /// `MemFree`.
    pub free: u64,
    /// In use: total minus available, as procps 4's `free` and `top` compute it.
    pub used: u64,
    /// Buffers, page cache and reclaimable slab.
    pub buff_cache: u64,
    /// `MemAvailable` (estimated memory available without swapping).
    pub available: u64,
}

/// Swap in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Swap {
    /// `SwapTotal`.
    pub total: u64,
    /// `SwapFree`.
    pub free: u64,
    /// In use: total minus free.
    pub used: u64,
}

/// Where CPU time went between two readings, in per cent of the time of all CPUs (top's
/// `%Cpu(s)` line).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CpuPercent {
    /// User mode (`us`).
    pub user: f64,
    /// Kernel mode (`sy`).
    pub system: f64,
    /// Niced user mode (`ni`).
    pub nice: f64,
    /// Idle (`id`).
    pub idle: f64,
    /// Waiting for I/O (`wa`).
    pub iowait: f64,
    /// Hardware interrupts (`hi`).
    pub irq: f64,
    /// Software interrupts (`si`).
    pub softirq: f64,
    /// Stolen by the hypervisor (`st`).
    pub steal: f64,
}

impl CpuPercent {
    /// procps top's arithmetic between two tick readings.
    pub(crate) fn between(prev: &CpuTicks, cur: &CpuTicks) -> CpuPercent {
        let [user, system, nice, idle, iowait, irq, softirq, steal] =
            crate::top::summary::cpu_percents(prev, cur);
        CpuPercent {
            user,
            system,
            nice,
            idle,
            iowait,
            irq,
            softirq,
            steal,
        }
    }
}

/// One reading of the host.
///
/// ```
/// let host = gopsi::Host::collect()?;
/// assert!(host.memory().total > 0 && host.tasks().total > 0);
/// println!("up {:?}, load {:?}", host.uptime(), host.load_average());
/// # Ok::<(), gopsi::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Host {
    /// The local clock when read: hours, minutes, seconds.
    pub(crate) hms: (i32, i32, i32),
    pub(crate) up_secs: f64,
    pub(crate) users: usize,
    pub(crate) load: LoadAvg,
    pub(crate) counts: Tasks,
    pub(crate) stat: SysStat,
    pub(crate) mem: MemKib,
    /// `/proc/uptime` could not be read: top's first line is then `top -` alone.
    pub(crate) up_missing: bool,
    /// `/proc/stat` or `/proc/meminfo` could not be read when top started (procfs mounted
    /// with `subset=pid`): top shows the task counts only, and `?` for the percentages.
    pub(crate) restricted: bool,
}

impl Host {
    /// Reads the host from `/proc` now.
    pub fn collect() -> Result<Host, Error> {
        Host::collect_with(&HostOptions::default())
    }

    /// Reads the host as `options` say.
    pub fn collect_with(options: &HostOptions) -> Result<Host, Error> {
        let fs = ProcFs::new(&options.proc_root);
        let stat = host::parse_stat(&fs.read_host("stat")?);
        Host::read(&fs, &options.utmp, stat)
    }

    /// Reads everything but `/proc/stat` (already read as `stat`).
    fn read(fs: &ProcFs, utmp: &std::path::Path, stat: SysStat) -> Result<Host, Error> {
        let up = host::parse_uptime(&fs.read_host("uptime")?)
            .ok_or_else(|| Error::Parse(fs.root().join("uptime"), "no uptime".into()))?;
        let load = host::parse_loadavg(&fs.read_host("loadavg")?).unwrap_or_default();
        let mem = MemKib::from_meminfo(&host::parse_meminfo(&fs.read_host("meminfo")?));
        let users = crate::top::summary::count_users(&crate::proc::read_utmp(utmp));
        let mut counts = Tasks::default();
        let mut r = crate::proc::Reader::default();
        for pid in fs.pids()? {
            if let Ok(p) = fs.read(pid, None, Needs::STAT, &mut r) {
                counts.add(p.stat.state);
            }
        }
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let hms = crate::sys::localtime(now).map_or((0, 0, 0), |t| (t.hour, t.min, t.sec));
        Ok(Host {
            hms,
            up_secs: up.up_secs,
            users,
            load,
            counts,
            stat,
            mem,
            up_missing: false,
            restricted: false,
        })
    }

    /// Reads the host twice, `interval` apart, for the CPU breakdown over that interval (top's
    /// first frame uses 150 ms). Blocks for `interval`.
    pub fn sample(interval: Duration) -> Result<HostSample, Error> {
        HostSample::collect_with(interval, &HostOptions::default())
    }

    /// Time since boot.
    pub fn uptime(&self) -> Duration {
        Duration::try_from_secs_f64(self.up_secs).unwrap_or_default()
    }

    /// When the machine booted.
    pub fn boot_time(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(self.stat.btime)
    }

    /// Users logged in (utmp `USER_PROCESS` records with a name).
    pub fn users(&self) -> usize {
        self.users
    }

    /// Load averages over 1, 5 and 15 minutes.
    pub fn load_average(&self) -> [f64; 3] {
        [self.load.one, self.load.five, self.load.fifteen]
    }

    /// Processes by state.
    pub fn tasks(&self) -> &Tasks {
        &self.counts
    }

    /// CPUs with a line in `/proc/stat`.
    pub fn cpus(&self) -> usize {
        self.stat.cpus.len().max(1)
    }

    /// Memory in bytes.
    pub fn memory(&self) -> Memory {
        let m = &self.mem;
        Memory {
            total: m.total * 1024,
            free: m.free * 1024,
            used: m.used * 1024,
            buff_cache: m.buff_cache * 1024,
            available: m.avail * 1024,
        }
    }

    /// Swap in bytes.
    pub fn swap(&self) -> Swap {
        let m = &self.mem;
        Swap {
            total: m.swap_total * 1024,
            free: m.swap_free * 1024,
            used: m.swap_used * 1024,
        }
    }
}

/// Two readings of the host: the second, and the CPU ticks of the first. Its `Display` prints
/// top's five summary lines exactly as `gopsi top -b -n1` does (80 columns).
///
/// ```no_run
/// let s = gopsi::Host::sample(std::time::Duration::from_millis(150))?;
/// println!("{:.1}% idle", s.cpu().idle);
/// print!("{s}");
/// # Ok::<(), gopsi::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct HostSample {
    pub(crate) host: Host,
    /// `/proc/stat` at the first reading.
    pub(crate) stat_prev: SysStat,
}

impl HostSample {
    /// Reads the host twice, `interval` apart, as `options` say.
    pub fn collect_with(interval: Duration, options: &HostOptions) -> Result<HostSample, Error> {
        let fs = ProcFs::new(&options.proc_root);
        let first = host::parse_stat(&fs.read_host("stat")?);
        std::thread::sleep(interval);
        let stat = host::parse_stat(&fs.read_host("stat")?);
        Ok(HostSample {
            host: Host::read(&fs, &options.utmp, stat)?,
            stat_prev: first,
        })
    }

    /// The second reading.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// Where all CPUs' time went between the two readings.
    pub fn cpu(&self) -> CpuPercent {
        CpuPercent::between(&self.stat_prev.total, &self.host.stat.total)
    }

    /// Per CPU: its number and where its time went.
    pub fn cpu_each(&self) -> Vec<(u32, CpuPercent)> {
        self.cpu_ticks_each()
            .map(|(n, prev, cur)| (n, CpuPercent::between(&prev, cur)))
            .collect()
    }

    /// Per CPU: its number, its ticks at the first reading (zeros for a CPU that came online
    /// since) and at the second.
    pub(crate) fn cpu_ticks_each(&self) -> impl Iterator<Item = (u32, CpuTicks, &CpuTicks)> {
        self.host.stat.cpus.iter().map(|(n, cur)| {
            let prev = self
                .stat_prev
                .cpus
                .iter()
                .find(|(m, _)| m == n)
                .map_or(CpuTicks::default(), |x| x.1);
            (*n, prev, cur)
        })
    }
}

impl std::ops::Deref for HostSample {
    type Target = Host;
    fn deref(&self) -> &Host {
        &self.host
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_as_procps_4_derives_it() {
        let m = MemInfo {
            mem_total: 1000,
            mem_free: 300,
            mem_available: 0,
            buffers: 1,
            cached: 2,
            s_reclaimable: 3,
            ..MemInfo::default()
        };
        let v = MemKib::from_meminfo(&m);
        assert_eq!((v.used, v.avail, v.buff_cache), (700, 300, 6));
        let m = MemInfo {
            mem_available: 600,
            ..m
        };
        assert_eq!(MemKib::from_meminfo(&m).used, 400);
    }

    #[test]
    fn tasks_count_states_as_top() {
        let mut t = Tasks::default();
        for s in *b"RSDIZTtX" {
            t.add(s);
        }
        assert_eq!(
            (t.total, t.running, t.sleeping, t.stopped, t.zombie),
            (8, 1, 4, 2, 1)
        );
    }
}
