//! `gopsi inspect PID`: one process in full (identity, state and scheduling, CPU, memory, open
//! files, ports, children) gathered into [`Details`], printed as key/value tables or JSON.
//! Reads through [`ProcFs`]; never signals or otherwise touches the process.

use std::time::Duration;

use super::cpu::{CpuTime, clock_ticks, sample_percent};
use super::files::FileEntry;
use super::memory::{Memory, page_kib};
use super::ports::{Port, PortFilter};
use crate::proc::{Needs, ProcError, ProcFs};

/// A child process.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Child {
    /// Its pid.
    pub pid: i32,
    /// Its command name.
    pub command: String,
    /// The command name's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub command_bytes: Option<Vec<u8>>,
}

/// Everything `gopsi inspect` shows about one process (the `--json` object).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Details {
    /// Process id.
    pub pid: i32,
    /// Parent process id.
    pub ppid: i32,
    /// Effective user name (the number as text when it has no name).
    pub user: String,
    /// The user name's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub user_bytes: Option<Vec<u8>>,
    /// Effective uid.
    pub uid: u32,
    /// Effective group name (the number as text when it has no name).
    pub group: String,
    /// The group name's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub group_bytes: Option<Vec<u8>>,
    /// Effective gid.
    pub gid: u32,
    /// Command name (`comm`).
    pub command: String,
    /// The command name's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub command_bytes: Option<Vec<u8>>,
    /// Arguments (`argv`); empty for kernel threads and zombies.
    pub args: Vec<String>,
    /// Every argument's bytes when one of them is not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub args_bytes: Option<Vec<Vec<u8>>>,
    /// Executable path, when readable.
    pub exe: Option<String>,
    /// The executable path's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub exe_bytes: Option<Vec<u8>>,
    /// Working directory, when readable.
    pub cwd: Option<String>,
    /// The working directory's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub cwd_bytes: Option<Vec<u8>>,
    /// Start time, seconds since the epoch; `None` when the boot time cannot be read (procfs
    /// mounted with `subset=pid` hides `/proc/stat`).
    pub start_time: Option<i64>,
    /// Seconds since the start; `None` when `/proc/uptime` cannot be read.
    pub elapsed_secs: Option<f64>,
    /// State letter as `ps` prints it (`R`, `S`, `D`, `Z`, `T`, `t`, `X`, `I`).
    pub state: String,
    /// The state in words (`running`, `sleeping`, ...).
    pub state_name: &'static str,
    /// Nice value.
    pub nice: i64,
    /// Kernel priority (stat field 18).
    pub priority: i64,
    /// Scheduling policy (`SCHED_OTHER`, `SCHED_FIFO`, ...).
    pub policy: String,
    /// Real-time priority (0 for normal policies).
    pub rt_priority: u32,
    /// Number of threads.
    pub threads: i64,
    /// CPU the process last ran on.
    pub processor: i32,
    /// CPU time in clock ticks.
    pub cpu: CpuTime,
    /// Clock ticks per second.
    pub hz: u64,
    /// User plus kernel CPU seconds.
    pub cpu_time_secs: f64,
    /// Average %CPU over the whole life (ps %CPU).
    pub cpu_lifetime_percent: Option<f64>,
    /// %CPU sampled over `cpu_sample_ms`; `None` when not sampled.
    pub cpu_percent: Option<f64>,
    /// The sampling interval, ms.
    pub cpu_sample_ms: u64,
    /// Memory sizes (flattened: `vsz_kib`, `rss_kib`, `shared_kib`, `swap_kib`, ...).
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub memory: Memory,
    /// Open descriptors (empty when unreadable, see `files_error`).
    pub files: Vec<FileEntry>,
    /// Why `files` (and `ports`) could not be read, e.g. `permission denied`.
    pub files_error: Option<String>,
    /// Internet sockets the process holds, every state.
    pub ports: Vec<Port>,
    /// Direct children.
    pub children: Vec<Child>,
}

/// The state letter in words.
pub fn state_name(s: u8) -> &'static str {
    match s {
        b'R' => "running",
        b'S' => "sleeping",
        b'D' => "disk sleep",
        b'Z' => "zombie",
        b'T' => "stopped",
        b't' => "tracing stop",
        b'X' | b'x' => "dead",
        b'I' => "idle",
        b'P' => "parked",
        b'W' => "waking",
        b'K' => "wakekill",
        _ => "unknown",
    }
}

/// The scheduling policy name of a `SCHED_*` number.
pub fn policy_name(p: u32) -> String {
    match p {
        0 => "SCHED_OTHER".into(),
        1 => "SCHED_FIFO".into(),
        2 => "SCHED_RR".into(),
        3 => "SCHED_BATCH".into(),
        5 => "SCHED_IDLE".into(),
        6 => "SCHED_DEADLINE".into(),
        7 => "SCHED_EXT".into(),
        n => format!("#{n}"),
    }
}

/// Gathers everything about `pid`. Samples %CPU over `sample` (blocks that long) unless it is
/// zero. A vanished process is [`ProcError::Vanished`]; unreadable parts are left empty.
pub fn details(fs: &ProcFs, pid: i32, sample: Duration) -> Result<Details, ProcError> {
    let mut r = crate::proc::Reader::default();
    let needs = Memory::NEEDS | Needs::EXE;
    let p = fs.read(pid, None, needs, &mut r)?;
    let hz = clock_ticks();
    let uptime = fs
        .read_host("uptime")
        .ok()
        .and_then(|b| crate::proc::host::parse_uptime(&b))
        .map(|u| u.up_secs);
    let btime = fs
        .read_host("stat")
        .ok()
        .map(|b| crate::proc::host::parse_stat(&b).btime)
        .filter(|&t| t > 0);
    let (uid, gid) = p
        .status
        .as_ref()
        .map_or((p.owner_uid.unwrap_or(0), 0), |s| (s.uid[1], s.gid[1]));
    use std::os::unix::ffi::OsStrExt;
    let user = uzers::get_user_by_uid(uid).map_or_else(
        || uid.to_string().into_bytes(),
        |u| u.name().as_bytes().to_vec(),
    );
    let group = uzers::get_group_by_gid(gid).map_or_else(
        || gid.to_string().into_bytes(),
        |g| g.name().as_bytes().to_vec(),
    );
    // At most procps's 128 KiB of argv.
    let argv = fs.argv(pid, &mut r).unwrap_or_default();
    let lossy = |v: &[u8]| crate::json::lossy(v);
    let raw = crate::json::raw_bytes;
    let exe = p.exe.clone();
    let cwd = fs.read_link(pid, "cwd");
    let cpu = CpuTime::of(&p);
    let start_ticks = p.stat.starttime;
    let elapsed = uptime.map(|up| (up - start_ticks as f64 / hz as f64).max(0.0));
    let cpu_percent = if sample.is_zero() {
        None
    } else {
        sample_percent(fs, pid, sample).ok()
    };
    let (files, files_error) = match super::files::list(fs, pid) {
        Ok(f) => (f, None),
        Err(ProcError::PermissionDenied(_)) => (Vec::new(), Some("permission denied".into())),
        Err(ProcError::Vanished(_)) => return Err(ProcError::Vanished(pid)),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let ports = if files_error.is_none() {
        let filter = PortFilter {
            all: true,
            pids: vec![pid],
            ..PortFilter::default()
        };
        super::ports::list(fs, &filter)
            .map(|l| l.ports)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let children = fs
        .processes(Needs::NONE)?
        .into_iter()
        .filter(|c| c.stat.ppid == pid)
        .map(|c| Child {
            pid: c.pid,
            command: lossy(&c.stat.comm),
            command_bytes: raw(&c.stat.comm),
        })
        .collect();
    Ok(Details {
        pid,
        ppid: p.stat.ppid,
        user: lossy(&user),
        user_bytes: raw(&user),
        uid,
        group: lossy(&group),
        group_bytes: raw(&group),
        gid,
        command: lossy(&p.stat.comm),
        command_bytes: raw(&p.stat.comm),
        args: argv.iter().map(|a| lossy(a)).collect(),
        args_bytes: crate::json::raw_list(&argv),
        exe: exe.as_deref().map(lossy),
        exe_bytes: exe.as_deref().and_then(raw),
        cwd: cwd.as_deref().map(lossy),
        cwd_bytes: cwd.as_deref().and_then(raw),
        start_time: btime.map(|b| (b + start_ticks / hz) as i64),
        elapsed_secs: elapsed.map(round2),
        state: (p.stat.state as char).to_string(),
        state_name: state_name(p.stat.state),
        nice: p.stat.nice,
        priority: p.stat.priority,
        policy: policy_name(p.stat.policy),
        rt_priority: p.stat.rt_priority,
        threads: p.stat.num_threads,
        processor: p.stat.processor,
        cpu,
        hz,
        cpu_time_secs: round2(cpu.seconds(hz)),
        cpu_lifetime_percent: uptime.map(|up| round2(cpu.lifetime_percent(up, hz))),
        cpu_percent: cpu_percent.map(round2),
        cpu_sample_ms: sample.as_millis() as u64,
        memory: Memory::of(&p, page_kib()),
        files,
        files_error,
        ports,
        children,
    })
}

/// Rounds to hundredths (JSON shows `0.85`, not `0.849999999999909`).
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `[[DD-]hh:]mm:ss` like ps's ELAPSED.
pub fn duration_text(secs: f64) -> String {
    let t = secs.max(0.0) as u64;
    let (d, h, m, s) = (t / 86400, t / 3600 % 24, t / 60 % 60, t % 60);
    if d > 0 {
        format!("{d}-{h:02}:{m:02}:{s:02}")
    } else if h > 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_text(5.9), "00:05");
        assert_eq!(duration_text(3725.0), "01:02:05");
        assert_eq!(duration_text(90061.0), "1-01:01:01");
    }

    #[test]
    fn names() {
        assert_eq!(state_name(b'S'), "sleeping");
        assert_eq!(policy_name(2), "SCHED_RR");
        assert_eq!(policy_name(42), "#42");
    }

    #[test]
    fn details_of_self() {
        let fs = ProcFs::default();
        let me = std::process::id() as i32;
        let d = details(&fs, me, Duration::ZERO).unwrap();
        assert_eq!(d.pid, me);
        assert!(d.threads >= 1);
        assert!(d.memory.rss_kib > 0);
        assert!(!d.files.is_empty());
        assert!(!d.args.is_empty());
        assert!(matches!(
            details(&fs, i32::MAX, Duration::ZERO),
            Err(ProcError::Vanished(_))
        ));
    }
}
