//! Memory of one process for embedders: VSZ, RSS, shared, swap and peaks in KiB, from
//! `/proc/PID/status` (and `statm` for the shared size). Reads through [`ProcFs`]; never
//! scans `smaps` (that is [`crate::proc::Needs::SMAPS`]'s job, and costly).

use crate::proc::{Needs, ProcError, ProcFs, Process};

/// Page size in KiB (`sysconf(_SC_PAGESIZE)`).
pub fn page_kib() -> u64 {
    use nix::unistd::{SysconfVar, sysconf};
    sysconf(SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .map_or(4, |v| (v as u64 / 1024).max(1))
}

/// A process's memory, KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Memory {
    /// Virtual size (`VmSize`, ps VSZ).
    pub vsz_kib: u64,
    /// Resident set (`VmRSS`, ps RSS).
    pub rss_kib: u64,
    /// Resident pages backed by files or shared memory (statm `shared`, top SHR).
    pub shared_kib: u64,
    /// Anonymous resident memory (`RssAnon`).
    pub anon_kib: u64,
    /// Swapped-out anonymous memory (`VmSwap`).
    pub swap_kib: u64,
    /// Peak virtual size (`VmPeak`).
    pub peak_vsz_kib: u64,
    /// Peak resident set (`VmHWM`).
    pub peak_rss_kib: u64,
}

impl Memory {
    /// The needs a [`Process`] must have been read with for [`Memory::of`] to be complete.
    pub const NEEDS: Needs = Needs::STATUS.with(Needs::STATM);

    /// Memory of a process read with [`Memory::NEEDS`]; missing parts fall back to `stat`
    /// (VSZ, RSS) or stay 0 (kernel threads and zombies have no memory).
    pub fn of(p: &Process, page_kib: u64) -> Memory {
        let st = p.status.as_ref();
        let pick = |f: fn(&crate::proc::Status) -> Option<u64>| st.and_then(f);
        let vsz = pick(|s| s.vm_size).unwrap_or(p.stat.vsize / 1024);
        let rss = pick(|s| s.vm_rss).unwrap_or(p.stat.rss * page_kib);
        Memory {
            vsz_kib: vsz,
            rss_kib: rss,
            shared_kib: p.statm.map_or_else(
                || pick(|s| s.rss_file).unwrap_or(0) + pick(|s| s.rss_shmem).unwrap_or(0),
                |m| m.shared * page_kib,
            ),
            anon_kib: pick(|s| s.rss_anon).unwrap_or(0),
            swap_kib: pick(|s| s.vm_swap).unwrap_or(0),
            peak_vsz_kib: pick(|s| s.vm_peak).unwrap_or(vsz),
            peak_rss_kib: pick(|s| s.vm_hwm).unwrap_or(rss),
        }
    }
}

/// Reads one process's memory.
pub fn memory(fs: &ProcFs, pid: i32) -> Result<Memory, ProcError> {
    let p = fs.read(
        pid,
        None,
        Memory::NEEDS,
        &mut crate::proc::Reader::default(),
    )?;
    Ok(Memory::of(&p, page_kib()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_memory_is_plausible() {
        let m = memory(&ProcFs::default(), std::process::id() as i32).unwrap();
        assert!(m.rss_kib > 0 && m.vsz_kib >= m.rss_kib);
        assert!(m.peak_rss_kib >= m.rss_kib);
        assert!(m.shared_kib <= m.rss_kib);
    }
}
