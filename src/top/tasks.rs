//! top's task sampling: reaps processes (or threads) through [`ProcFs`] with only stat, statm
//! and the owner uid, keeps the previous reap's CPU ticks per task id to compute tick deltas,
//! and the elapsed-time scale `%CPU` needs. Never formats anything.

use std::collections::HashMap;

use crate::proc::{Needs, ProcFs, Process, Reader, StatFiles};

use super::summary::Counts;

/// One reaped task with its CPU tick delta since the previous reap.
#[derive(Debug, Clone)]
pub struct Task {
    /// The task's /proc values.
    pub p: Process,
    /// utime+stime ticks since the previous reap (the whole lifetime for a new task).
    pub delta: u64,
    /// Major and minor faults since the previous reap (0 for a new task, as procps).
    pub fault_delta: [u64; 2],
}

/// Which tasks to reap.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `-p` pids in command-line order; empty means every process.
    pub pids: Vec<i32>,
    /// `-H`: one task per thread.
    pub threads: bool,
    /// Extra files to read (`STATUS` for `-U`).
    pub extra: Needs,
    /// Interactive screen: a full reap reads only `stat` (plus `extra` and `for_sort`), and
    /// [`Reaper::fill`] reads the rest for the rows that will be shown.
    pub window_only: bool,
    /// Files the current sort field or user filter needs for every task (with `window_only`).
    pub for_sort: Needs,
}

/// Reaps tasks and remembers their ticks between reaps.
#[derive(Debug, Default)]
pub struct Reaper {
    /// Each task's ticks and major and minor faults at the previous reap.
    prev: HashMap<i32, (u64, [u64; 2])>,
    /// Window-only reaps: each single-threaded process's last `stat` with its main thread's
    /// scheduler runtime; a process whose runtime has not moved has not run, so its `stat` is
    /// reused instead of read again.
    still: HashMap<i32, (u64, Process)>,
    /// Window-only reaps since every `stat` was last read in full.
    since_full: u32,
    uptime_sav: f64,
    /// Every task's `stat` kept open from one reap to the next (one `pread` per task per reap
    /// instead of three calls), within the descriptor limit.
    files: StatFiles,
    /// `Frame_etscale`: multiply a tick delta by this for `%CPU` (irix mode).
    pub etscale: f32,
    /// The elapsed seconds behind [`Reaper::etscale`] (Solaris mode scales by the CPUs too).
    pub et: f32,
}

/// Window-only reaps read every `stat` again at least this often.
const FULL_EVERY: u32 = 20;

/// The files every reap reads per task.
pub const BASE_NEEDS: Needs = Needs::STAT.with(Needs::STATM).with(Needs::OWNER);

impl Reaper {
    /// A reaper with no history, keeping `stat` files open within the process's soft
    /// descriptor limit (less room for everything else).
    pub fn new() -> Reaper {
        use nix::sys::resource::{Resource, getrlimit};
        let soft = getrlimit(Resource::RLIMIT_NOFILE).map_or(0, |(soft, _)| soft);
        let cap = usize::try_from(soft)
            .unwrap_or(usize::MAX)
            .saturating_sub(256)
            / 2;
        Reaper {
            files: StatFiles::new(cap),
            ..Reaper::default()
        }
    }

    /// Reads the selected tasks now; returns them in reap order (ascending pid, or `-p`
    /// order) with the state counts of everything reaped.
    /// A priming reap (`full == false`) reads only `stat`: it just records the ticks. `up` is
    /// the uptime read for this reap (it scales the tick deltas).
    pub fn reap(
        &mut self,
        fs: &ProcFs,
        sel: &Selection,
        hz: u64,
        full: bool,
        up: f64,
    ) -> (Vec<Task>, Counts) {
        let mut et = (up - self.uptime_sav) as f32;
        if et < 0.01 {
            et = 0.005;
        }
        self.uptime_sav = up;
        self.etscale = 100.0f32 / (hz as f32 * et);
        self.et = et;

        let needs = if full && sel.window_only {
            Needs::STAT | sel.extra | sel.for_sort
        } else if full {
            BASE_NEEDS | sel.extra | sel.for_sort
        } else {
            Needs::STAT
        };
        let reuse = full
            && sel.window_only
            && !sel.threads
            && sel.extra == Needs::NONE
            && sel.for_sort == Needs::NONE;
        let task = |p| Task {
            p,
            delta: 0,
            fault_delta: [0; 2],
        };
        // Rows are made tasks as they are read: no second vector of processes at the peak.
        let read_pids = |pids: &[i32], files: &mut StatFiles| -> Vec<Task> {
            let mut r = Reader::default();
            // Sized once: growing by doubling would hold two copies at the peak.
            let mut out = Vec::with_capacity(pids.len());
            out.extend(
                pids.iter()
                    .filter_map(|&pid| fs.read_with(pid, None, needs, &mut r, Some(files)).ok())
                    .map(task),
            );
            out
        };
        let mut tasks: Vec<Task> = if sel.pids.is_empty() && reuse {
            let pids = fs.pids().unwrap_or_default();
            self.reap_reusing(fs, &pids).into_iter().map(task).collect()
        } else if sel.threads {
            let all;
            let pids = if sel.pids.is_empty() {
                all = fs.pids().unwrap_or_default();
                &all
            } else {
                &sel.pids
            };
            read_threads(fs, pids, needs, &mut self.files)
                .into_iter()
                .map(task)
                .collect()
        } else if sel.pids.is_empty() {
            read_pids(&fs.pids().unwrap_or_default(), &mut self.files)
        } else {
            read_pids(&sel.pids, &mut self.files)
        };
        let mut counts = Counts::default();
        let mut next = HashMap::with_capacity(tasks.len());
        for t in &mut tasks {
            counts.add(t.p.stat.state);
            let ticks = t.p.stat.utime + t.p.stat.stime;
            let faults = [t.p.stat.majflt, t.p.stat.minflt];
            (t.delta, t.fault_delta) = match self.prev.get(&t.p.tid) {
                Some(&(old, f)) => (
                    ticks.saturating_sub(old),
                    [
                        faults[0].saturating_sub(f[0]),
                        faults[1].saturating_sub(f[1]),
                    ],
                ),
                None => (ticks, [0; 2]),
            };
            next.insert(t.p.tid, (ticks, faults));
        }
        self.prev = next;
        let prev = &self.prev;
        self.files.retain(|id| prev.contains_key(&id));
        (tasks, counts)
    }
}

impl Reaper {
    /// Reads `stat` only for the processes that ran since the last reap (their main thread's
    /// runtime moved, or they are multi-threaded, or new); the others keep their last `stat`.
    fn reap_reusing(&mut self, fs: &ProcFs, pids: &[i32]) -> Vec<Process> {
        // Some of `stat` changes without the process running (nice, policy, parent, a stop
        // signal from outside): every few refreshes everything is read again.
        self.since_full += 1;
        if self.since_full >= FULL_EVERY {
            self.forget_unchanged();
        }
        let mut r = Reader::default();
        let mut still = HashMap::with_capacity(pids.len());
        let mut out = Vec::with_capacity(pids.len());
        for &pid in pids {
            let runtime = fs.schedstat_runtime(pid, &mut r);
            let kept = match (runtime, self.still.remove(&pid)) {
                (Some(now), Some((then, p))) if now == then && p.stat.num_threads <= 1 => Some(p),
                _ => None,
            };
            let p = match kept {
                Some(p) => p,
                None => match fs.read_with(pid, None, Needs::STAT, &mut r, Some(&mut self.files)) {
                    Ok(p) => p,
                    Err(_) => continue,
                },
            };
            if let Some(now) = runtime.filter(|_| p.stat.num_threads <= 1) {
                still.insert(pid, (now, p.clone()));
            }
            out.push(p);
        }
        self.still = still;
        out
    }

    /// Drops the reused `stat` records: the next reap reads every process.
    pub fn forget_unchanged(&mut self) {
        self.still.clear();
        self.since_full = 0;
    }

    /// Reads what a window-only reap left out (statm, owner) for the tasks whose ids are in
    /// `tids`: the rows about to be shown.
    pub fn fill(fs: &ProcFs, tasks: &mut [Task], tids: &std::collections::HashSet<i32>) {
        let mut r = Reader::default();
        for t in tasks.iter_mut().filter(|t| tids.contains(&t.p.tid)) {
            fs.fill(&mut t.p, BASE_NEEDS, &mut r);
        }
    }
}

fn read_threads(fs: &ProcFs, pids: &[i32], needs: Needs, files: &mut StatFiles) -> Vec<Process> {
    // As procps's readeither: the thread-group leader is read from the process's own
    // directory (so it carries the whole process's times), the others from `task/TID`.
    let mut r = Reader::default();
    let mut out = Vec::new();
    for &pid in pids {
        let Ok(tids) = fs.tids(pid) else { continue };
        for tid in tids {
            let t = if tid == pid { None } else { Some(tid) };
            if let Ok(p) = fs.read_with(pid, t, needs, &mut r, Some(files)) {
                out.push(p);
            }
        }
    }
    out
}
