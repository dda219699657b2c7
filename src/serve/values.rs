//! The one place where the exporter turns a read [`Process`] into numbers: counters that only
//! grow over a task's life and point-in-time values, in bytes and clock ticks. Pure: never
//! reads /proc and never names a metric.

use crate::proc::{Needs, Process};

/// Counters that only grow over a task's life (kernel units: clock ticks, bytes, events).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// User-mode CPU time, clock ticks.
    pub user_ticks: u64,
    /// Kernel-mode CPU time, clock ticks.
    pub system_ticks: u64,
    /// Bytes read from storage (`io` `read_bytes`).
    pub read_bytes: u64,
    /// Bytes written to storage (`io` `write_bytes`).
    pub write_bytes: u64,
    /// Major page faults.
    pub major_faults: u64,
    /// Minor page faults.
    pub minor_faults: u64,
    /// Voluntary context switches.
    pub voluntary_switches: u64,
    /// Involuntary context switches.
    pub involuntary_switches: u64,
}

impl Counters {
    /// Field by field `self + o`.
    pub fn add(&mut self, o: &Counters) {
        self.zip(o, u64::wrapping_add);
    }

    /// Field by field `self - o`, never below zero.
    pub fn minus(mut self, o: &Counters) -> Counters {
        self.zip(o, u64::saturating_sub);
        self
    }

    fn zip(&mut self, o: &Counters, f: fn(u64, u64) -> u64) {
        self.user_ticks = f(self.user_ticks, o.user_ticks);
        self.system_ticks = f(self.system_ticks, o.system_ticks);
        self.read_bytes = f(self.read_bytes, o.read_bytes);
        self.write_bytes = f(self.write_bytes, o.write_bytes);
        self.major_faults = f(self.major_faults, o.major_faults);
        self.minor_faults = f(self.minor_faults, o.minor_faults);
        self.voluntary_switches = f(self.voluntary_switches, o.voluntary_switches);
        self.involuntary_switches = f(self.involuntary_switches, o.involuntary_switches);
    }

    /// CPU time, user plus system, in ticks.
    pub fn cpu_ticks(&self) -> u64 {
        self.user_ticks + self.system_ticks
    }
}

/// One task's values at the moment it was read.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Values {
    /// Growing counters.
    pub counters: Counters,
    /// Resident set, bytes (`stat` rss pages).
    pub resident_bytes: u64,
    /// Virtual size, bytes.
    pub virtual_bytes: u64,
    /// Swapped-out anonymous memory, bytes (`VmSwap`).
    pub swap_bytes: u64,
    /// Proportional resident set, bytes (`smaps_rollup` `Pss`), when read.
    pub pss_bytes: u64,
    /// Proportional swap, bytes (`SwapPss`), when read.
    pub swap_pss_bytes: u64,
    /// Threads (`stat` num_threads).
    pub threads: u64,
    /// Open descriptors, when readable.
    pub open_fds: Option<u64>,
    /// Soft limit on open files, when readable.
    pub fd_limit: Option<u64>,
    /// State letter (`R`, `S`, `D`, ...).
    pub state: u8,
    /// Start, clock ticks after boot.
    pub start_ticks: u64,
    /// Effective uid.
    pub euid: u32,
}

/// What [`values`] reads: `stat` always; `status` for swap, context switches and the user;
/// `io`; the descriptor count; `smaps_rollup` only when `pss` is asked for. The descriptor
/// limit ([`Needs::LIMITS`]) is read apart, as it seldom changes.
pub fn needs(pss: bool) -> Needs {
    let n = Needs::STAT | Needs::STATUS | Needs::IO | Needs::FD_COUNT;
    if pss { n | Needs::SMAPS } else { n }
}

/// The values of one read task; `page_bytes` is the page size.
pub fn values(p: &Process, page_bytes: u64) -> Values {
    let s = &p.stat;
    let st = p.status.as_ref();
    let io = p.io.unwrap_or_default();
    let kib = |v: Option<u64>| v.unwrap_or(0) * 1024;
    Values {
        counters: Counters {
            user_ticks: s.utime,
            system_ticks: s.stime,
            read_bytes: io.read_bytes,
            write_bytes: io.write_bytes,
            major_faults: s.majflt,
            minor_faults: s.minflt,
            voluntary_switches: st.and_then(|x| x.voluntary_ctxt_switches).unwrap_or(0),
            involuntary_switches: st.and_then(|x| x.nonvoluntary_ctxt_switches).unwrap_or(0),
        },
        resident_bytes: s.rss.saturating_mul(page_bytes),
        virtual_bytes: s.vsize,
        swap_bytes: kib(st.and_then(|x| x.vm_swap)),
        pss_bytes: kib(p.smaps.map(|m| m.pss)),
        swap_pss_bytes: kib(p.smaps.map(|m| m.swap_pss)),
        threads: s.num_threads.max(0) as u64,
        open_fds: p.fd_count,
        fd_limit: p.fd_limit,
        state: s.state,
        start_ticks: s.starttime,
        euid: p.euid(),
    }
}

impl Values {
    /// Open descriptors over their limit (0 when either is unknown or the limit is 0).
    pub fn fd_ratio(&self) -> f64 {
        match (self.open_fds, self.fd_limit) {
            (Some(o), Some(l)) if l > 0 => o as f64 / l as f64,
            _ => 0.0,
        }
    }
}
