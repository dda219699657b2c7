//! The one place where the exporter turns a read [`Process`] into numbers, drawn from the
//! item registry ([`crate::items`]): counters that only grow over a task's life and
//! point-in-time values, in bytes and clock ticks. Pure: never reads /proc and never names a
//! metric.

use crate::items::Item;
use crate::proc::{Needs, Process};
use crate::snapshot::Ctx;

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

/// The registry items [`values`] reads for every process, and those read only with `pss`.
const ITEMS: &[Item] = &[
    Item::TicksUser,
    Item::TicksSystem,
    Item::IoReadBytes,
    Item::IoWriteBytes,
    Item::MajFltSelf,
    Item::MinFltSelf,
    Item::VoluntarySwitches,
    Item::InvoluntarySwitches,
    Item::RssBytes,
    Item::VsizeBytes,
    Item::VmSwap,
    Item::Threads,
    Item::OpenFds,
    Item::State,
    Item::StartTicks,
    Item::Euid,
];
const PSS_ITEMS: &[Item] = &[Item::Pss, Item::SwapPss];

/// What [`values`] reads: the union of its items' needs (`stat`, `status`, `io`, the
/// descriptor count; `smaps_rollup` only with `pss`). The descriptor limit
/// ([`Item::FdLimit`], [`Needs::LIMITS`]) is read apart, as it seldom changes.
pub fn needs(pss: bool) -> Needs {
    let extra: &[Item] = if pss { PSS_ITEMS } else { &[] };
    ITEMS
        .iter()
        .chain(extra)
        .fold(Needs::NONE, |n, i| n | i.needs())
}

/// The values of one read task, drawn from the item registry; `cx` gives the clock tick
/// and page size.
pub fn values(p: &Process, cx: &Ctx) -> Values {
    let int = |i: Item| i.value(p, cx).as_int().unwrap_or(0);
    let n = |i: Item| int(i).max(0) as u64;
    let known = |i: Item| u64::try_from(int(i)).ok();
    Values {
        counters: Counters {
            user_ticks: n(Item::TicksUser),
            system_ticks: n(Item::TicksSystem),
            read_bytes: n(Item::IoReadBytes),
            write_bytes: n(Item::IoWriteBytes),
            major_faults: n(Item::MajFltSelf),
            minor_faults: n(Item::MinFltSelf),
            voluntary_switches: n(Item::VoluntarySwitches),
            involuntary_switches: n(Item::InvoluntarySwitches),
        },
        resident_bytes: n(Item::RssBytes),
        virtual_bytes: n(Item::VsizeBytes),
        swap_bytes: n(Item::VmSwap) * 1024,
        pss_bytes: p.smaps.map_or(0, |_| n(Item::Pss) * 1024),
        swap_pss_bytes: p.smaps.map_or(0, |_| n(Item::SwapPss) * 1024),
        threads: n(Item::Threads),
        open_fds: known(Item::OpenFds),
        fd_limit: known(Item::FdLimit),
        state: int(Item::State) as u8,
        start_ticks: n(Item::StartTicks),
        euid: n(Item::Euid) as u32,
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
