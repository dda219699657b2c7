//! `gopsi top`: procps-ng 4.0.2's top (Debian's ORIG build), batch mode byte for byte and an
//! interactive screen. This module holds the option definitions, the sampling loop shared by
//! both modes and batch output; it never opens /proc paths itself (all reads go through
//! [`ProcFs`]).

pub mod args;
pub mod bottom;
pub mod colors;
pub mod fields;
pub mod filter;
pub mod inspect;
pub mod render;
pub mod summary;
pub mod tasks;
pub mod toprc;

use std::time::{Duration, Instant};

use crate::columns::Ctx;
use crate::proc::host::{self, SysStat};
use crate::proc::{Needs, ProcFs};
use crate::text::Charset;

use args::Opts;
use render::{CmdlineCache, HostSample, TaskCtx, UserFilter, View};
use tasks::{Reaper, Selection, Task};

/// procps's `LIB_USLEEP`: the pause between the two task reaps of the first frame.
pub const PRIME_INTERVAL: Duration = Duration::from_millis(150);

/// Values from the process's environment, read once at the binary's edge.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `COLUMNS` and `LINES`, when valid positive numbers.
    pub columns: Option<usize>,
    /// `LINES`, when a valid positive number.
    pub lines: Option<usize>,
    /// stdout's terminal size, when it is a terminal.
    pub winsize: Option<(usize, usize)>,
    /// `GOPSI_NOW`: a pinned clock (seconds since the epoch) for fixtures.
    pub now: Option<i64>,
    /// `GOPSI_UTMP`: the utmp file (default `/var/run/utmp`).
    pub utmp: String,
}

impl Env {
    /// The current time, seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
    }
}

/// Batch geometry (`adj_geometry`): columns and optional row limit.
pub fn batch_geometry(o: &Opts, env: &Env) -> (usize, Option<usize>) {
    let mut cols = env.columns.unwrap_or(80);
    if let Some((c, _)) = env.winsize {
        cols = c;
    }
    cols = cols.clamp(3, 512);
    let mut rows = None;
    match o.width {
        Some(Some(n)) => cols = n,
        Some(None) => {
            cols = env.columns.unwrap_or(512).clamp(3, 512);
            rows = env.lines.map(|l| l.max(3));
        }
        None => {}
    }
    (cols, rows)
}

/// Builds the initial view from the options alone (procps's built-in defaults, no toprc).
pub fn view_from(o: &Opts, pid_width: usize) -> View {
    let mut rc = toprc::Toprc::default();
    rc.apply_args(o);
    view_from_rc(&rc, o, pid_width)
}

/// Builds the initial view from a toprc that the options were applied to
/// ([`toprc::Toprc::apply_args`]), plus what the file does not hold (`-H`, `-u`/`-U`).
pub fn view_from_rc(rc: &toprc::Toprc, o: &Opts, pid_width: usize) -> View {
    let mut v = rc.view("top".into());
    v.threads = o.threads;
    v.user = o.user.as_ref().map(|u| UserFilter {
        uid: u.uid,
        matches: !u.negate,
        any: u.any,
    });
    v.pid_width = pid_width;
    // The current window's saved other filters (what procps read before a malformed line).
    if let Some(b) = rc.osel.as_deref() {
        let mut all = toprc::rc_filters(b, pid_width).unwrap_or_else(|e| e);
        v.filters = std::mem::take(&mut all[rc.curwin.min(3)]);
    }
    v
}

/// The state kept between frames: previous CPU sample, task ticks, caches.
pub struct Sampler {
    /// The /proc tree read.
    pub fs: ProcFs,
    /// Host facts and name caches the columns need.
    pub cx: Ctx,
    /// Per-task tick history between frames.
    pub reaper: Reaper,
    /// Which tasks are shown (`-p`, `-u`).
    pub sel: Selection,
    /// The previous `/proc/stat` reading.
    pub stat_prev: SysStat,
    /// The latest `/proc/stat` reading.
    pub stat_cur: SysStat,
    mem: summary::Mem,
    mem_at: Option<Instant>,
    /// Command lines kept between frames.
    pub cmdlines: CmdlineCache,
    /// Frames sampled so far.
    pub frames: usize,
    utmp: String,
    /// `/proc/stat` or `/proc/meminfo` could not be read at start (procps's
    /// `Restrict_some`): neither is read again, and the frame shows tasks only.
    pub restricted: bool,
}

/// One sampled frame: host values and sorted tasks.
pub struct Sample {
    /// The host values of the summary area.
    pub host: HostSample,
    /// The tasks, sorted as the view asks.
    pub tasks: Vec<Task>,
    /// Host values the task columns need.
    pub tc: TaskCtx,
}

impl Sampler {
    /// Creates the sampler and takes the priming `/proc/stat` sample (with `meminfo` and
    /// `pid_max`, read once here).
    pub fn new(fs: &ProcFs, o: &Opts, env: &Env) -> Sampler {
        let stat = read_stat(fs);
        let m = fs
            .read_host("meminfo")
            .map(|b| host::parse_meminfo(&b))
            .ok()
            .filter(|m| m.mem_total > 0);
        let restricted = stat.is_none() || m.is_none();
        let (stat, m) = (stat.unwrap_or_default(), m.unwrap_or_default());
        let cx = Ctx::with_host(fs, Charset::from_locale(), 0.0, stat.btime, m.mem_total);
        let mut extra = o.sort.map_or(Needs::NONE, |s| render::field_needs(s.0));
        if o.user.as_ref().is_some_and(|u| u.any) {
            extra |= Needs::STATUS;
        }
        Sampler {
            fs: fs.clone(),
            cx,
            reaper: Reaper::new(),
            sel: Selection {
                pids: o.pids.clone(),
                threads: o.threads,
                extra,
                window_only: false,
                for_sort: Needs::NONE,
            },
            stat_prev: stat.clone(),
            stat_cur: stat,
            mem: summary::Mem::from_meminfo(&m),
            mem_at: Some(Instant::now()),
            cmdlines: CmdlineCache::default(),
            frames: 0,
            utmp: env.utmp.clone(),
            restricted,
        }
    }

    /// Forgets task history (thread-mode change): the next frame primes again.
    pub fn reprime(&mut self) {
        self.reaper = Reaper::new();
        self.frames = 0;
    }

    /// Samples one frame like `frame_make`: reap tasks, read CPU and memory, and on the first
    /// frame wait [`PRIME_INTERVAL`] and reap again. Each host file is read once per reap.
    pub fn sample(&mut self, v: &View, env: &Env) -> Sample {
        let hz = self.cx.hz;
        let first = self.frames == 0;
        // The sort field, the user filter and every shown field's files, for every task.
        self.sel.for_sort = render::sort_needs(v) | render::shown_needs(v);
        let mut up = read_uptime(&self.fs);
        let (mut tasks, mut counts) =
            self.reaper
                .reap(&self.fs, &self.sel, hz, !first, up.unwrap_or(0.0));
        let restricted = self.restricted;
        if self.frames > 0 && !restricted {
            let cur = read_stat(&self.fs).unwrap_or_default();
            self.stat_prev = std::mem::replace(&mut self.stat_cur, cur);
        }
        if !restricted
            && self
                .mem_at
                .is_none_or(|t| t.elapsed() >= Duration::from_secs(3))
        {
            let m = self
                .fs
                .read_host("meminfo")
                .map(|b| host::parse_meminfo(&b))
                .unwrap_or_default();
            self.mem = summary::Mem::from_meminfo(&m);
            self.mem_at = Some(Instant::now());
        }
        if self.frames == 0 {
            // The priming reap only recorded ticks: its rows go before the second reap's come.
            drop(std::mem::take(&mut tasks));
            std::thread::sleep(PRIME_INTERVAL);
            up = read_uptime(&self.fs);
            (tasks, counts) = self
                .reaper
                .reap(&self.fs, &self.sel, hz, true, up.unwrap_or(0.0));
            // The second CPU sample: frame 1 covers the priming interval, never a junk value.
            if !restricted {
                let cur = read_stat(&self.fs).unwrap_or_default();
                self.stat_prev = std::mem::replace(&mut self.stat_cur, cur);
            }
        }
        self.frames += 1;
        let (up_missing, up) = (up.is_none(), up.unwrap_or(0.0));
        self.cx.uptime = up;
        let load = self
            .fs
            .read_host("loadavg")
            .ok()
            .and_then(|b| host::parse_loadavg(&b))
            .unwrap_or_default();
        let users = summary::count_users(&crate::proc::read_utmp(&self.utmp));
        let hms = crate::sys::localtime(env.now()).map_or((0, 0, 0), |t| (t.hour, t.min, t.sec));
        let tc = TaskCtx {
            hz,
            page_kb: self.cx.page_kb,
            mem_total: self.mem.total,
            etscale: self.reaper.etscale,
            etscale_solaris: 100.0f32
                / (hz as f32 * self.reaper.et * self.stat_cur.cpus.len().max(1) as f32),
            ncpu: self.stat_cur.cpus.len().max(1),
            up_secs: up,
            restricted,
        };
        if v.cmdline {
            self.cmdlines.fill(&self.fs, &mut tasks);
        }
        render::sort_tasks(v, &mut tasks, &self.cx);
        Sample {
            host: HostSample {
                host: crate::host::Host {
                    hms,
                    up_secs: up,
                    users,
                    load,
                    counts,
                    stat: self.stat_cur.clone(),
                    mem: self.mem,
                    up_missing,
                    restricted,
                },
                stat_prev: self.stat_prev.clone(),
            },
            tasks,
            tc,
        }
    }
}

/// Seconds since boot; `None` when `/proc/uptime` cannot be read.
fn read_uptime(fs: &ProcFs) -> Option<f64> {
    fs.read_host("uptime")
        .ok()
        .and_then(|b| host::parse_uptime(&b))
        .map(|u| u.up_secs)
}

/// `/proc/stat`; `None` when it cannot be read or has no CPU line.
fn read_stat(fs: &ProcFs) -> Option<SysStat> {
    fs.read_host("stat")
        .ok()
        .map(|b| host::parse_stat(&b))
        .filter(|s| !s.cpus.is_empty() || s.total != Default::default())
}

/// Formats one batch frame (without the `\n\n` that precedes frames after the first).
pub fn batch_frame(v: &View, s: &Sample, cx: &Ctx) -> String {
    let mut out = String::new();
    let mut msg_row = 0;
    let room = |used: usize, n: usize| v.rows.is_none_or(|r| used + n < r.saturating_sub(1));
    let lines = render::summary_lines(v, &s.host);
    let n_cpu_lines = lines
        .len()
        .saturating_sub(3 + usize::from(!(v.double_up > 0 && v.per_cpu && !v.numa_view)));
    if s.host.host.restricted {
        // Tasks only, when one row is left for it (procps's isROOM(View_STATES, 1)).
        if room(msg_row, 1) {
            out.push_str(render::cut(&lines[0], v.cols));
            out.push('\n');
            msg_row += 1;
        }
    }
    for (k, l) in lines
        .iter()
        .enumerate()
        .take_while(|_| !s.host.host.restricted)
    {
        // L1 needs 1 row, the states block (tasks + cpus) 2, memory 2 (procps's isROOM).
        let need = match k {
            0 => 1,
            _ => 2,
        };
        if (k == 0 || k == 1 || k == 2 + n_cpu_lines) && !room(msg_row, need) {
            break;
        }
        out.push_str(render::cut(l, v.cols));
        out.push('\n');
        msg_row += 1;
    }
    let (shown, varsz) = render::fit_fields(v);
    out.push('\n');
    out.push_str(&render::header(v, &shown, varsz));
    let max_lines = v.rows.map_or(usize::MAX, |r| r.saturating_sub(msg_row + 1));
    let winlines = if v.maxtasks > 0 {
        v.maxtasks
    } else {
        max_lines
    };
    let max_rows = max_lines.min(winlines.saturating_add(1)).saturating_sub(1);
    for r in render::rows(v, &s.tasks, &shown, varsz, &s.tc, cx, max_rows) {
        out.push('\n');
        out.push_str(&r);
    }
    out
}

/// The refresh delay as a duration (negative or NaN is 0, absurdly large is a day).
pub fn delay_duration(secs: f32) -> Duration {
    Duration::try_from_secs_f32(secs.clamp(0.0, 86400.0)).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    #[test]
    fn batch_widths() {
        use super::{Env, args::Opts, batch_geometry};
        let o = Opts::default();
        let env = |columns, lines, tty| Env {
            columns,
            lines,
            winsize: tty,
            ..Env::default()
        };
        assert_eq!(batch_geometry(&o, &env(None, None, None)), (80, None));
        assert_eq!(batch_geometry(&o, &env(Some(100), None, None)), (100, None));
        // A tty wins over COLUMNS.
        assert_eq!(
            batch_geometry(&o, &env(Some(100), None, Some((120, 40)))),
            (120, None)
        );
        assert_eq!(
            batch_geometry(&o, &env(Some(9999), None, None)),
            (512, None)
        );
        let w = Opts {
            width: Some(None),
            ..Opts::default()
        };
        assert_eq!(
            batch_geometry(&w, &env(None, Some(20), None)),
            (512, Some(20))
        );
        assert_eq!(batch_geometry(&w, &env(Some(90), None, None)), (90, None));
        let w = Opts {
            width: Some(Some(200)),
            ..Opts::default()
        };
        assert_eq!(batch_geometry(&w, &env(Some(90), None, None)), (200, None));
    }

    #[test]
    fn delays() {
        use std::time::Duration;
        assert_eq!(super::delay_duration(-1.0), Duration::ZERO);
        assert_eq!(super::delay_duration(f32::NAN), Duration::ZERO);
        assert_eq!(super::delay_duration(1e30), Duration::from_secs(86400));
        assert_eq!(super::delay_duration(0.5), Duration::from_millis(500));
    }
}
