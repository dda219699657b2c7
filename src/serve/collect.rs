//! One collection per scrape: the host files, every process (through [`ProcFs`], reading only
//! the files the metrics need), grouped by comm, exe, user, cgroup or a process-exporter
//! configuration, with the heaviest processes on the side. Keeps between scrapes only what
//! keeps counters from going backwards (the last counters of live tasks, the totals of those
//! that exited, bounded) and the names it already resolved. Never formats metrics.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::proc::host::{CpuTicks, LoadAvg, MemInfo};
use crate::proc::net::Proto;
use crate::proc::{Needs, ProcFs, Process, Reader};
use crate::snapshot::Ctx;
use crate::text::Charset;

use super::config::{Attrs, Config};
use super::values::{self, Counters, Values};

/// How processes are put into groups.
#[derive(Debug, Clone)]
pub enum Grouping {
    /// By `comm` (the kernel's 15-byte name).
    Comm,
    /// By the executable's path (`/proc/PID/exe`).
    Exe,
    /// By the effective user's name.
    User,
    /// By the cgroup (v2 path): systemd units and containers get their own group.
    Cgroup,
    /// By a process-exporter configuration; processes no matcher takes are left out, unless
    /// an ancestor was taken (process-exporter's `-children`).
    Config(Arc<Config>),
}

/// Which processes `--top` ranks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopBy {
    /// CPU time used since the previous collection (in total on the first).
    Cpu,
    /// Resident memory.
    Rss,
}

/// What a [`Collector`] collects.
#[derive(Debug, Clone)]
pub struct Options {
    /// How processes are grouped.
    pub grouping: Grouping,
    /// Per-process series for this many processes (0: none).
    pub top: usize,
    /// How `top` ranks them.
    pub top_by: TopBy,
    /// process-exporter's extras: PSS from `smaps_rollup`, wait channels, per-thread-name
    /// counters of multi-threaded processes.
    pub extras: bool,
    /// Counters count from the first collection for processes that already ran then
    /// (process-exporter's rule); otherwise they are each process's own totals.
    pub since_first: bool,
    /// The utmp file the host's user count comes from.
    pub utmp: std::path::PathBuf,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            grouping: Grouping::Comm,
            top: 0,
            top_by: TopBy::Cpu,
            extras: false,
            since_first: false,
            utmp: "/var/run/utmp".into(),
        }
    }
}

/// The host: what top's summary shows, as numbers.
#[derive(Debug, Clone, Default)]
pub struct Host {
    /// `/proc/stat` summed CPU line, ticks.
    pub cpu: CpuTicks,
    /// Load averages.
    pub load: LoadAvg,
    /// `/proc/meminfo`, kB.
    pub mem: MemInfo,
    /// Boot time, seconds since the epoch.
    pub boot_time: u64,
    /// Processes by state letter.
    pub states: Vec<(u8, u64)>,
    /// Logged-in users (utmp `USER_PROCESS` records).
    pub users: u64,
}

/// One group's sums at one collection.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// The group's name.
    pub name: Arc<str>,
    /// Live processes (0 for a group kept only for its counters).
    pub procs: u64,
    /// Threads of the live processes.
    pub threads: u64,
    /// Counters: live processes plus those that left the group.
    pub counters: Counters,
    /// Resident bytes.
    pub resident_bytes: u64,
    /// Virtual bytes.
    pub virtual_bytes: u64,
    /// Swap bytes.
    pub swap_bytes: u64,
    /// Proportional resident bytes (with `extras`).
    pub pss_bytes: u64,
    /// Proportional swap bytes (with `extras`).
    pub swap_pss_bytes: u64,
    /// Open descriptors.
    pub open_fds: u64,
    /// The highest open-descriptors-to-limit ratio of its processes.
    pub worst_fd_ratio: f64,
    /// Start of its oldest process, seconds since the epoch.
    pub oldest_start: Option<f64>,
    /// Processes by state letter (with `extras`, process-exporter's count: a multi-threaded
    /// process adds its threads' states too).
    pub states: Vec<(u8, u64)>,
    /// Distinct listening sockets its processes hold.
    pub listening: u64,
    /// Threads by wait channel (with `extras`).
    pub wchans: Vec<(String, u64)>,
    /// Threads of multi-threaded processes by thread name (with `extras`).
    pub thread_names: Vec<ThreadName>,
}

/// The threads of one name in one group (process-exporter's per-thread-name series).
#[derive(Debug, Clone, Default)]
pub struct ThreadName {
    /// The thread name (`comm` of the thread).
    pub name: Arc<str>,
    /// How many threads have it.
    pub count: u64,
    /// Their counters.
    pub counters: Counters,
}

/// One of the `--top` processes.
#[derive(Debug, Clone)]
pub struct TopProcess {
    /// Process id.
    pub pid: i32,
    /// `comm`.
    pub comm: String,
    /// Its group (empty when it is in none).
    pub group: Arc<str>,
    /// Its values.
    pub values: Values,
    /// Start, seconds since the epoch.
    pub start: f64,
}

/// Everything one collection found.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Host values.
    pub host: Host,
    /// Groups, by name.
    pub groups: Vec<Group>,
    /// The heaviest processes, heaviest first.
    pub top: Vec<TopProcess>,
    /// Clock ticks per second.
    pub hz: u64,
    /// Processes read.
    pub processes: u64,
    /// Reads that failed other than by a process exiting.
    pub errors: u64,
    /// How long the collection took.
    pub duration: Duration,
    /// Collections this collector made so far, this one included.
    pub collections: u64,
}

/// Every process's open-files limit is read again at least once in this many collections.
const LIMIT_REFRESH: u64 = 16;
/// The proportional set (process-exporter's `proportionalResident`) of a process that did not
/// run is read again once in this many collections.
const PSS_REFRESH: u64 = 8;

/// Groups that lost their last process stay (counters only) this long...
const RETAIN: Duration = Duration::from_secs(600);
/// ...and at most this many of them.
const RETAIN_MAX: usize = 10_000;

/// Collects samples; one collection at a time (callers share a running one).
#[derive(Debug)]
pub struct Collector {
    fs: ProcFs,
    opts: Options,
    state: Mutex<State>,
    hz: u64,
}

#[derive(Debug, Default)]
struct State {
    first_done: bool,
    collections: u64,
    procs: Ledger<Arc<str>>,
    threads: Ledger<(Arc<str>, Arc<str>)>,
    /// Config grouping: each process's group, decided when it is first seen.
    named: HashMap<TaskId, Option<Arc<str>>>,
    users: HashMap<u32, Arc<str>>,
    /// What the previous collection read of each process in a group.
    prev: HashMap<TaskId, Prev>,
    /// Listening socket inode to its owners, found when the socket first appears.
    listeners: HashMap<u64, Vec<TaskId>>,
    interned: HashSet<Arc<str>>,
}

/// A task across collections: its id and its start (ticks after boot), since ids are reused.
type TaskId = (i32, u64);

/// What a collection keeps of one process: a few values, not the whole read.
#[derive(Debug)]
struct Seen {
    id: TaskId,
    ppid: i32,
    comm: Box<str>,
    state: u8,
    /// Present when the process was read in full (it belongs to a group).
    full: Option<Full>,
}

/// The values of a process read in full.
#[derive(Debug)]
struct Full {
    values: Values,
    /// The group key read from /proc (exe path or cgroup) for those groupings.
    key: Option<String>,
    /// Wait channels of the process and its threads (with `extras`).
    wchans: Vec<String>,
    /// Threads of a multi-threaded process (with `extras`).
    threads: Vec<ThreadSeen>,
    /// States of those threads.
    thread_states: Vec<u8>,
}

#[derive(Debug)]
struct ThreadSeen {
    id: TaskId,
    name: String,
    counters: Counters,
}

/// What the previous collection read of a process, to skip reading what cannot have changed.
#[derive(Debug, Clone, Default)]
struct Prev {
    cpu_ticks: u64,
    switches: u64,
    read_bytes: u64,
    write_bytes: u64,
    open_fds: Option<u64>,
    wchan: Option<String>,
    /// `Pss` and `SwapPss`, kB (with `extras`).
    pss: Option<(u64, u64)>,
    /// The open-files limit and the descriptor count when it was read.
    limit: Option<(u64, Option<u64>)>,
}

impl Collector {
    /// A collector reading `fs`.
    pub fn new(fs: ProcFs, opts: Options) -> Collector {
        Collector {
            fs,
            opts,
            state: Mutex::new(State::default()),
            hz: crate::inspect::cpu::clock_ticks(),
        }
    }

    /// The options it was made with.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The files a process in a group is read with, besides `stat`.
    fn needs(&self) -> Needs {
        let mut needs = values::needs(self.opts.extras);
        match self.opts.grouping {
            Grouping::Exe => needs |= Needs::EXE,
            Grouping::Cgroup => needs |= Needs::CGROUP,
            _ => {}
        }
        needs
    }

    /// One collection.
    pub fn collect(&self) -> Sample {
        let started = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let st = &mut *st;
        let mut sample = Sample {
            hz: self.hz,
            ..Sample::default()
        };
        sample.host = self.host();
        let pids = self.fs.pids().unwrap_or_default();
        let by_config = matches!(self.opts.grouping, Grouping::Config(_));
        let cx_of = || {
            Ctx::with_host(
                &self.fs,
                Charset::Bytes,
                0.0,
                sample.host.boot_time,
                sample.host.mem.mem_total,
            )
        };
        // One parallel pass: `stat` for every process, the rest for those in a group. With a
        // configuration, processes seen before are already named (or ignored); new ones are
        // named below and read then.
        let (prev, named, slice) = (&st.prev, &st.named, st.collections % LIMIT_REFRESH);
        let (mut seen, errs) = self
            .fs
            .read_map_with(&pids, Needs::STAT, cx_of, |p, r, cx| {
                let take = !by_config
                    || named
                        .get(&(p.pid, p.stat.starttime))
                        .is_some_and(Option::is_some);
                Some(self.seen(p, r, cx, prev, slice, take))
            });
        let mut errors = errs.len() as u64;
        if let Grouping::Config(cfg) = &self.opts.grouping {
            let new = self.name_new(st, cfg, &seen, sample.host.boot_time);
            if !new.is_empty() {
                let cx = cx_of();
                let mut r = Reader::default();
                for s in seen.iter_mut().filter(|s| new.contains(&s.id)) {
                    match self.fs.read(s.id.0, None, Needs::STAT, &mut r) {
                        Ok(p) if p.stat.starttime == s.id.1 => {
                            *s = self.seen(p, &mut r, &cx, &st.prev, slice, true);
                        }
                        Ok(_) | Err(crate::proc::ProcError::Vanished(_)) => {}
                        Err(_) => errors += 1,
                    }
                }
            }
        }
        let mut states: HashMap<u8, u64> = HashMap::new();
        for s in &seen {
            *states.entry(s.state).or_default() += 1;
        }
        sample.host.states = sorted(states);
        sample.errors = errors;
        sample.processes = seen.iter().filter(|s| s.full.is_some()).count() as u64;
        // Remember what was read, for the next collection.
        st.prev = seen
            .iter()
            .filter_map(|s| {
                let f = s.full.as_ref()?;
                let v = &f.values;
                Some((
                    s.id,
                    Prev {
                        cpu_ticks: v.counters.cpu_ticks(),
                        switches: v.counters.voluntary_switches + v.counters.involuntary_switches,
                        read_bytes: v.counters.read_bytes,
                        write_bytes: v.counters.write_bytes,
                        open_fds: v.open_fds,
                        wchan: f.wchans.first().cloned().filter(|_| f.threads.is_empty()),
                        pss: self
                            .opts
                            .extras
                            .then_some((v.pss_bytes / 1024, v.swap_pss_bytes / 1024)),
                        limit: v.fd_limit.map(|l| (l, v.open_fds)),
                    },
                ))
            })
            .collect();
        sample.groups = self.group(st, &seen, &mut sample);
        st.first_done = true;
        st.collections += 1;
        sample.collections = st.collections;
        sample.duration = started.elapsed();
        sample
    }

    /// Turns a process read with `stat` into what the collection keeps; with `take`, reads
    /// the rest its values need first. A process that has not run since the previous
    /// collection (the same CPU ticks and context switches, one thread) keeps its previous
    /// I/O counters, descriptor count and wait channel: it cannot have changed them. The
    /// open-files limit, which seldom changes, is read when the process is new, when its
    /// descriptor count changed, and otherwise once every [`LIMIT_REFRESH`] collections (a
    /// different slice of the processes each time).
    fn seen(
        &self,
        mut p: Process,
        r: &mut Reader,
        cx: &Ctx,
        prev: &HashMap<TaskId, Prev>,
        slice: u64,
        take: bool,
    ) -> Seen {
        let id = (p.pid, p.stat.starttime);
        let mut s = Seen {
            id,
            ppid: p.stat.ppid,
            comm: String::from_utf8_lossy(&p.stat.comm).into(),
            state: p.stat.state,
            full: None,
        };
        if !take {
            return s;
        }
        let needs = self.needs();
        let old = prev.get(&id);
        let single = p.stat.num_threads < 2;
        // status first: with stat it tells whether the process ran.
        if self.fs.read_more(&mut p, Needs::STATUS, r).is_err() {
            return s;
        }
        let quick = values::values(&p, cx);
        let idle = single
            && old.is_some_and(|o| {
                o.cpu_ticks == quick.counters.cpu_ticks()
                    && o.switches
                        == quick.counters.voluntary_switches + quick.counters.involuntary_switches
            });
        let mut rest = needs.without(Needs::STAT).without(Needs::STATUS);
        if self.opts.extras {
            rest |= Needs::WCHAN;
        }
        if idle {
            rest = rest
                .without(Needs::IO)
                .without(Needs::FD_COUNT)
                .without(Needs::WCHAN);
        }
        // The proportional set of a process that did not run still moves as others share
        // or stop sharing its pages: it is read again every [`PSS_REFRESH`] collections.
        let pss_due = p.pid.unsigned_abs() as u64 % PSS_REFRESH == slice % PSS_REFRESH;
        let old_pss = old.and_then(|o| o.pss).filter(|_| idle && !pss_due);
        if old_pss.is_some() {
            rest = rest.without(Needs::SMAPS);
        }
        let _ = self.fs.read_more(&mut p, rest, r);
        if let Some(o) = old.filter(|_| idle) {
            p.io = Some(crate::proc::Io {
                read_bytes: o.read_bytes,
                write_bytes: o.write_bytes,
                ..Default::default()
            });
            p.fd_count = o.open_fds;
            p.wchan = o.wchan.as_ref().map(|w| w.clone().into_bytes());
        }
        if let Some((pss, swap_pss)) = old_pss {
            p.smaps = Some(crate::proc::Smaps {
                pss,
                swap_pss,
                ..Default::default()
            });
        }
        let due = p.pid.unsigned_abs() as u64 % LIMIT_REFRESH == slice;
        match old.and_then(|o| o.limit) {
            Some((limit, fds)) if fds == p.fd_count && !due => p.fd_limit = Some(limit),
            _ => {
                let _ = self.fs.read_more(&mut p, Needs::LIMITS, r);
            }
        }
        let mut vals = values::values(&p, cx);
        let mut f = Full {
            values: vals,
            key: match self.opts.grouping {
                Grouping::Exe => Some(match &p.exe {
                    Some(e) => String::from_utf8_lossy(e).into_owned(),
                    None if p.stat.is_kernel_thread() => "[kernel]".into(),
                    None => "[unknown]".into(),
                }),
                Grouping::Cgroup => Some(match &p.cgroup {
                    Some(c) => cgroup_paths(c)
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| "/".into()),
                    None => "[unknown]".into(),
                }),
                _ => None,
            },
            wchans: Vec::new(),
            threads: Vec::new(),
            thread_states: Vec::new(),
        };
        if self.opts.extras {
            f.wchans.extend(wchan(&p));
            if !single {
                // process-exporter: per-thread-name counters, and the process's context
                // switches and states summed over its threads.
                let tneeds = Needs::STAT | Needs::STATUS | Needs::IO | Needs::WCHAN;
                let threads = self.fs.threads(p.pid, tneeds, r);
                if threads.len() >= 2 {
                    vals.counters.voluntary_switches = 0;
                    vals.counters.involuntary_switches = 0;
                    for t in &threads {
                        let tv = values::values(t, cx);
                        vals.counters.voluntary_switches += tv.counters.voluntary_switches;
                        vals.counters.involuntary_switches += tv.counters.involuntary_switches;
                        f.thread_states.push(tv.state);
                        f.wchans.extend(wchan(t));
                        f.threads.push(ThreadSeen {
                            id: (t.tid, t.stat.starttime),
                            name: String::from_utf8_lossy(&t.stat.comm).into_owned(),
                            counters: tv.counters,
                        });
                    }
                    f.values = vals;
                }
            }
        }
        s.full = Some(f);
        s
    }

    fn host(&self) -> Host {
        use crate::proc::host::{parse_loadavg, parse_meminfo, parse_stat};
        let stat = self
            .fs
            .read_host("stat")
            .map(|b| parse_stat(&b))
            .unwrap_or_default();
        Host {
            cpu: stat.total,
            boot_time: stat.btime,
            load: self
                .fs
                .read_host("loadavg")
                .ok()
                .and_then(|b| parse_loadavg(&b))
                .unwrap_or_default(),
            mem: self
                .fs
                .read_host("meminfo")
                .map(|b| parse_meminfo(&b))
                .unwrap_or_default(),
            states: Vec::new(),
            users: read_bounded(&self.opts.utmp, 1 << 20)
                .map_or(0, |b| crate::top::summary::count_users(&b) as u64),
        }
    }

    /// Names the processes seen for the first time (config grouping); returns those the
    /// configuration takes, which are read in full next.
    fn name_new(&self, st: &mut State, cfg: &Config, all: &[Seen], boot: u64) -> HashSet<TaskId> {
        let ids: HashMap<i32, TaskId> = all.iter().map(|s| (s.id.0, s.id)).collect();
        let live: HashSet<TaskId> = ids.values().copied().collect();
        st.named.retain(|id, _| live.contains(id));
        let mut r = Reader::default();
        let mut unmatched = Vec::new();
        let mut taken = HashSet::new();
        for s in all {
            if st.named.contains_key(&s.id) {
                continue;
            }
            let pid = s.id.0;
            let mut a = Attrs {
                comm: s.comm.to_string(),
                pid,
                ..Attrs::default()
            };
            if cfg.needs_argv() {
                a.argv = self
                    .fs
                    .argv(pid, &mut r)
                    .unwrap_or_default()
                    .iter()
                    .map(|x| String::from_utf8_lossy(x).into_owned())
                    .collect();
            }
            if cfg.needs_username() || cfg.needs_cgroups() {
                let mut q = Process {
                    pid,
                    tid: pid,
                    ..Process::default()
                };
                let more = if cfg.needs_cgroups() {
                    Needs::STATUS | Needs::CGROUP
                } else {
                    Needs::STATUS
                };
                let _ = self.fs.read_more(&mut q, more, &mut r);
                if cfg.needs_username() {
                    a.username = user_name(st, q.euid()).to_string();
                }
                a.cgroups = cgroup_paths(q.cgroup.as_deref().unwrap_or_default());
            }
            // process-exporter's start time: boot plus ticks at 100 per second.
            let ticks = s.id.1 as u128 * 1_000_000_000 / 100;
            a.start = (
                boot as i64 + (ticks / 1_000_000_000) as i64,
                (ticks % 1_000_000_000) as u32,
            );
            match cfg.name_of(&a) {
                Some(n) => {
                    let n = intern(&mut st.interned, &n);
                    st.named.insert(s.id, Some(n));
                    taken.insert(s.id);
                }
                None => unmatched.push((s.id, s.ppid)),
            }
        }
        // Children of taken processes join their ancestor's group (process-exporter's
        // `-children`): walk up through the other new processes.
        let new_parent: HashMap<TaskId, i32> = unmatched.iter().copied().collect();
        for &(id, _) in &unmatched {
            let mut cur = id;
            let mut name = None;
            for _ in 0..64 {
                let Some(&ppid) = new_parent.get(&cur) else {
                    break;
                };
                let Some(&parent) = ids.get(&ppid) else { break };
                if let Some(n) = st.named.get(&parent) {
                    name = n.clone();
                    break;
                }
                cur = parent;
            }
            if name.is_some() {
                taken.insert(id);
            }
            st.named.insert(id, name);
        }
        taken
    }

    fn group_name(&self, st: &mut State, s: &Seen, f: &Full) -> Option<Arc<str>> {
        let name = match &self.opts.grouping {
            Grouping::Config(_) => return st.named.get(&s.id).cloned().flatten(),
            Grouping::User => return Some(user_name(st, f.values.euid)),
            Grouping::Comm => &*s.comm,
            Grouping::Exe | Grouping::Cgroup => f.key.as_deref().unwrap_or("[unknown]"),
        };
        Some(intern(&mut st.interned, name))
    }

    fn group(&self, st: &mut State, seen: &[Seen], sample: &mut Sample) -> Vec<Group> {
        let now = Instant::now();
        let first = !st.first_done && self.opts.since_first;
        let boot = sample.host.boot_time as f64;
        let hz = self.hz.max(1) as f64;
        st.procs.begin();
        st.threads.begin();
        let mut groups: HashMap<Arc<str>, Group> = HashMap::new();
        let mut members: HashMap<TaskId, Arc<str>> = HashMap::new();
        let mut ranked: Vec<(u64, TopProcess)> = Vec::new();
        for s in seen {
            let Some(f) = &s.full else { continue };
            let Some(name) = self.group_name(st, s, f) else {
                continue;
            };
            let v = &f.values;
            let g = groups.entry(name.clone()).or_default();
            for t in &f.threads {
                let tname = intern(&mut st.interned, &t.name);
                let key = (name.clone(), tname.clone());
                let c = st.threads.observe(t.id, key, t.counters, first);
                match g.thread_names.iter_mut().find(|x| x.name == tname) {
                    Some(x) => {
                        x.count += 1;
                        x.counters.add(&c);
                    }
                    None => g.thread_names.push(ThreadName {
                        name: tname,
                        count: 1,
                        counters: c,
                    }),
                }
            }
            let (delta, reported) = st
                .procs
                .observe_delta(s.id, name.clone(), v.counters, first);
            g.procs += 1;
            g.threads += v.threads;
            g.counters.add(&reported);
            g.resident_bytes += v.resident_bytes;
            g.virtual_bytes += v.virtual_bytes;
            g.swap_bytes += v.swap_bytes;
            g.pss_bytes += v.pss_bytes;
            g.swap_pss_bytes += v.swap_pss_bytes;
            g.open_fds += v.open_fds.unwrap_or(0);
            g.worst_fd_ratio = g.worst_fd_ratio.max(v.fd_ratio());
            let start = boot + v.start_ticks as f64 / hz;
            g.oldest_start = Some(g.oldest_start.map_or(start, |o| o.min(start)));
            for st_letter in std::iter::once(&v.state).chain(&f.thread_states) {
                match g.states.iter_mut().find(|x| x.0 == *st_letter) {
                    Some(x) => x.1 += 1,
                    None => g.states.push((*st_letter, 1)),
                }
            }
            for w in &f.wchans {
                match g.wchans.iter_mut().find(|x| &x.0 == w) {
                    Some(x) => x.1 += 1,
                    None => g.wchans.push((w.clone(), 1)),
                }
            }
            members.insert(s.id, name.clone());
            if self.opts.top > 0 {
                let weight = match self.opts.top_by {
                    TopBy::Cpu => delta.cpu_ticks(),
                    TopBy::Rss => v.resident_bytes,
                };
                ranked.push((
                    weight,
                    TopProcess {
                        pid: s.id.0,
                        comm: s.comm.to_string(),
                        group: name,
                        values: *v,
                        start,
                    },
                ));
            }
        }
        self.listening(st, seen, &members, &mut groups);
        // Counters of processes that left each group, and groups kept for them alone.
        for (name, base) in st.procs.sweep(now) {
            groups
                .entry(name.clone())
                .or_insert_with(|| Group {
                    name: name.clone(),
                    ..Group::default()
                })
                .counters
                .add(&base);
        }
        for ((gname, tname), base) in st.threads.sweep(now) {
            if let Some(g) = groups.get_mut(&gname)
                && g.procs > 0
                && let Some(t) = g.thread_names.iter_mut().find(|t| t.name == tname)
            {
                t.counters.add(&base);
            }
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.pid.cmp(&b.1.pid)));
        ranked.truncate(self.opts.top);
        sample.top = ranked.into_iter().map(|(_, t)| t).collect();
        let mut out: Vec<Group> = groups
            .into_iter()
            .map(|(name, mut g)| {
                g.name = name;
                g.states.sort_unstable();
                g.wchans.sort_unstable();
                g.thread_names.sort_by(|a, b| a.name.cmp(&b.name));
                g
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        // Names that nothing holds any more (no task, kept group or cache) are dropped.
        st.interned.retain(|n| Arc::strong_count(n) > 1);
        out
    }

    /// Counts each group's distinct listening sockets (of this network namespace). The
    /// owners of a socket are looked up (one pass over every process's descriptors) only
    /// when a listening socket appears that was not seen before.
    fn listening(
        &self,
        st: &mut State,
        seen: &[Seen],
        members: &HashMap<TaskId, Arc<str>>,
        groups: &mut HashMap<Arc<str>, Group>,
    ) {
        let protos = [Proto::Tcp, Proto::Tcp6, Proto::Udp, Proto::Udp6];
        let listening: HashSet<u64> = self
            .fs
            .inet_sockets_where(&protos, true)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.is_listening() && s.inode != 0)
            .map(|s| s.inode)
            .collect();
        st.listeners.retain(|i, _| listening.contains(i));
        if listening.iter().any(|i| !st.listeners.contains_key(i)) {
            let start: HashMap<i32, u64> = seen.iter().map(|s| (s.id.0, s.id.1)).collect();
            let with_fds: Vec<i32> = seen
                .iter()
                .filter(|s| s.full.as_ref().is_none_or(|f| f.values.open_fds != Some(0)))
                .map(|s| s.id.0)
                .collect();
            let owners = self.fs.socket_owners(&with_fds);
            for &inode in &listening {
                let mut v: Vec<TaskId> = owners
                    .owners(inode)
                    .iter()
                    .filter_map(|&(pid, _)| start.get(&pid).map(|&s| (pid, s)))
                    .collect();
                v.dedup();
                st.listeners.insert(inode, v);
            }
        }
        let mut per_group: HashMap<&Arc<str>, HashSet<u64>> = HashMap::new();
        for (inode, owners) in &st.listeners {
            for id in owners {
                if let Some(g) = members.get(id) {
                    per_group.entry(g).or_default().insert(*inode);
                }
            }
        }
        for (g, set) in per_group {
            if let Some(grp) = groups.get_mut(g) {
                grp.listening = set.len() as u64;
            }
        }
    }
}

fn sorted(m: HashMap<u8, u64>) -> Vec<(u8, u64)> {
    let mut v: Vec<(u8, u64)> = m.into_iter().collect();
    v.sort_unstable();
    v
}

fn intern(set: &mut HashSet<Arc<str>>, s: &str) -> Arc<str> {
    if let Some(a) = set.get(s) {
        return a.clone();
    }
    let a: Arc<str> = Arc::from(s);
    set.insert(a.clone());
    a
}

fn user_name(st: &mut State, uid: u32) -> Arc<str> {
    if let Some(n) = st.users.get(&uid) {
        return n.clone();
    }
    let name = uzers::get_user_by_uid(uid).map_or_else(
        || uid.to_string(),
        |u| u.name().to_string_lossy().into_owned(),
    );
    let n = intern(&mut st.interned, &name);
    if st.users.len() < 65_536 {
        st.users.insert(uid, n.clone());
    }
    n
}

/// A task's wait channel as process-exporter counts it (none while running: `0`).
fn wchan(p: &Process) -> Option<String> {
    let w = p.wchan.as_deref()?;
    let w = String::from_utf8_lossy(w).trim().to_string();
    (!w.is_empty() && w != "0").then_some(w)
}

/// The paths of `/proc/PID/cgroup` (`ID:controllers:PATH` lines), the v2 (`0::`) one first.
pub fn cgroup_paths(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut out = Vec::new();
    for line in text.lines() {
        let mut it = line.splitn(3, ':');
        let (Some(id), Some(_), Some(path)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        if id == "0" {
            out.insert(0, path.to_string());
        } else {
            out.push(path.to_string());
        }
    }
    out
}

fn read_bounded(path: &std::path::Path, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(limit)
        .read_to_end(&mut buf)
        .ok()?;
    Some(buf)
}

/// Seconds since the epoch, now.
pub fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Per-task counters kept across collections so that group counters never go backwards:
/// a task's last counters while it lives, and per key the totals of tasks that left it.
#[derive(Debug)]
struct Ledger<K> {
    live: HashMap<TaskId, Entry<K>>,
    left: HashMap<K, Left>,
    epoch: u64,
}

impl<K> Default for Ledger<K> {
    fn default() -> Self {
        Ledger {
            live: HashMap::new(),
            left: HashMap::new(),
            epoch: 0,
        }
    }
}

#[derive(Debug)]
struct Entry<K> {
    key: K,
    origin: Counters,
    last: Counters,
    seen: u64,
}

#[derive(Debug, Default)]
struct Left {
    sum: Counters,
    /// The collection that last saw a live task with this key.
    live_epoch: u64,
    /// When the key was first found without live tasks.
    empty_since: Option<Instant>,
}

impl<K: Clone + Hash + Eq> Ledger<K> {
    fn begin(&mut self) {
        self.epoch += 1;
    }

    /// Records a live task's counters under `key`; returns what to report for it.
    fn observe(&mut self, id: TaskId, key: K, now: Counters, first: bool) -> Counters {
        self.observe_delta(id, key, now, first).1
    }

    /// As [`Ledger::observe`], and also the growth since the previous collection.
    fn observe_delta(
        &mut self,
        id: TaskId,
        key: K,
        now: Counters,
        first: bool,
    ) -> (Counters, Counters) {
        let epoch = self.epoch;
        self.left.entry(key.clone()).or_default().live_epoch = epoch;
        match self.live.get_mut(&id) {
            Some(e) => {
                let delta = now.minus(&e.last);
                if e.key != key {
                    // Moved (exec, a new cgroup): the old key keeps what it counted.
                    let counted = e.last.minus(&e.origin);
                    if let Some(l) = self.left.get_mut(&e.key) {
                        l.sum.add(&counted);
                    }
                    e.key = key;
                    e.origin = e.last;
                }
                e.last = now;
                e.seen = epoch;
                (delta, now.minus(&e.origin))
            }
            None => {
                let origin = if first { now } else { Counters::default() };
                self.live.insert(
                    id,
                    Entry {
                        key,
                        origin,
                        last: now,
                        seen: epoch,
                    },
                );
                (now, now.minus(&origin))
            }
        }
    }

    /// Ends a collection: tasks not seen leave their totals to their key; returns every
    /// key's totals of departed tasks (kept groups included), and forgets keys empty for
    /// longer than [`RETAIN`] or beyond [`RETAIN_MAX`].
    fn sweep(&mut self, now: Instant) -> Vec<(K, Counters)> {
        let epoch = self.epoch;
        let gone: Vec<TaskId> = self
            .live
            .iter()
            .filter(|(_, e)| e.seen != epoch)
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            if let Some(e) = self.live.remove(&id) {
                let l = self.left.entry(e.key).or_default();
                l.sum.add(&e.last.minus(&e.origin));
            }
        }
        for l in self.left.values_mut() {
            if l.live_epoch == epoch {
                l.empty_since = None;
            } else if l.empty_since.is_none() {
                l.empty_since = Some(now);
            }
        }
        self.left
            .retain(|_, l| l.empty_since.is_none_or(|t| now.duration_since(t) < RETAIN));
        let mut empty: Vec<(Instant, K)> = self
            .left
            .iter()
            .filter_map(|(k, l)| l.empty_since.map(|t| (t, k.clone())))
            .collect();
        if empty.len() > RETAIN_MAX {
            empty.sort_by_key(|e| e.0);
            for (_, k) in &empty[..empty.len() - RETAIN_MAX] {
                self.left.remove(k);
            }
        }
        self.left
            .iter()
            .filter(|(_, l)| l.live_epoch == epoch || l.sum != Counters::default())
            .map(|(k, l)| (k.clone(), l.sum))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(cpu: u64) -> Counters {
        Counters {
            user_ticks: cpu,
            ..Counters::default()
        }
    }

    #[test]
    fn ledger_keeps_counters_of_departed_tasks() {
        let mut l: Ledger<&str> = Ledger::default();
        let t = Instant::now();
        l.begin();
        assert_eq!(l.observe((1, 1), "a", c(10), false), c(10));
        assert_eq!(l.observe((2, 1), "a", c(5), false), c(5));
        l.sweep(t);
        l.begin();
        l.observe((1, 1), "a", c(12), false);
        let left = l.sweep(t);
        assert_eq!(left, vec![("a", c(5))]);
        // The group empties: kept with its totals (12 + 5), then forgotten after RETAIN.
        l.begin();
        assert_eq!(l.sweep(t), vec![("a", c(17))]);
        l.begin();
        assert!(l.sweep(t + RETAIN + Duration::from_secs(1)).is_empty());
        assert!(l.live.is_empty() && l.left.is_empty());
    }

    #[test]
    fn ledger_since_first_and_moves() {
        let mut l: Ledger<&str> = Ledger::default();
        let t = Instant::now();
        l.begin();
        assert_eq!(l.observe((1, 1), "a", c(100), true), c(0));
        l.sweep(t);
        l.begin();
        assert_eq!(l.observe((1, 1), "a", c(103), false), c(3));
        assert_eq!(l.observe((2, 9), "a", c(7), false), c(7));
        l.sweep(t);
        l.begin();
        // Task 1 execs into group b: a keeps its 3 ticks, b counts from the last reading.
        assert_eq!(l.observe((1, 1), "b", c(104), false), c(1));
        l.observe((2, 9), "a", c(7), false);
        let mut left = l.sweep(t);
        left.sort_by_key(|e| e.0);
        assert_eq!(left, vec![("a", c(3)), ("b", c(0))]);
    }

    #[test]
    fn cgroup_lines() {
        assert_eq!(
            cgroup_paths(b"1:name=systemd:/init.scope\n0::/system.slice/ssh.service\n"),
            vec!["/system.slice/ssh.service", "/init.scope"]
        );
    }
}
