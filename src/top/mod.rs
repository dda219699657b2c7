//! `gopsi top`: procps-ng 4.0.2's top (Debian's ORIG build), batch mode byte for byte and an
//! interactive screen. This module holds the option definitions, the sampling loop shared by
//! both modes and batch output; it never opens /proc paths itself (all reads go through
//! [`ProcFs`]).

pub mod args;
pub mod fields;
pub mod interactive;
pub mod render;
pub mod summary;
pub mod tasks;

use std::time::{Duration, Instant};

use crate::columns::Ctx;
use crate::proc::ProcFs;
use crate::proc::host::{self, SysStat};
use crate::text::Charset;

use args::{Action, Opts};
use render::{CmdlineCache, HostSample, TaskCtx, UserFilter, View};
use tasks::{Reaper, Selection, Task};

/// procps's `LIB_USLEEP`: the pause between the two task reaps of the first frame.
pub const PRIME_INTERVAL: Duration = Duration::from_millis(150);

/// The clap definition of `gopsi top` (help, man page and completions only: parsing is done by
/// hand in [`args::parse`] with top's getopt rules).
pub fn command() -> clap::Command {
    use clap::{Arg, ArgAction};
    let flag = crate::cli::flag;
    let value = |id: &'static str, short: char, long: &'static str, name: &'static str, help| {
        Arg::new(id)
            .short(short)
            .long(long)
            .value_name(name)
            .help(help)
    };
    clap::Command::new("top")
        .about("Display processes, like procps top (batch mode byte for byte)")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("with -b: print each frame as one JSON object per line (gopsi extension)"),
        )
        .arg(flag(
            "batch",
            'b',
            "batch-mode",
            "run in non-interactive batch mode",
        ))
        .arg(flag(
            "cmdline",
            'c',
            "cmdline-toggle",
            "reverse last remembered 'c' state",
        ))
        .arg(value(
            "delay",
            'd',
            "delay",
            "SECS[.TENTHS]",
            "iterative delay as SECS [.TENTHS]",
        ))
        .arg(value(
            "summ-scale",
            'E',
            "scale-summary-mem",
            "SCALE",
            "set mem as: k,m,g,t,p,e for SCALE",
        ))
        .arg(value(
            "task-scale",
            'e',
            "scale-task-mem",
            "SCALE",
            "set mem with: k,m,g,t,p for SCALE",
        ))
        .arg(flag(
            "threads",
            'H',
            "threads-show",
            "show tasks plus all their threads",
        ))
        .arg(flag(
            "idle",
            'i',
            "idle-toggle",
            "reverse last remembered 'i' state",
        ))
        .arg(value(
            "iterations",
            'n',
            "iterations",
            "NUMBER",
            "exit on maximum iterations NUMBER",
        ))
        .arg(flag(
            "list-fields",
            'O',
            "list-fields",
            "output all field names, then exit",
        ))
        .arg(
            value(
                "sort",
                'o',
                "sort-override",
                "[+-]FIELD",
                "force sorting on this named FIELD",
            )
            .value_parser(clap::builder::PossibleValuesParser::new(
                fields::FIELDS.iter().map(|f| f.name),
            ))
            .hide_possible_values(true),
        )
        .arg(value(
            "pid",
            'p',
            "pid",
            "PIDLIST",
            "monitor only the tasks in PIDLIST",
        ))
        .arg(flag(
            "accum",
            'S',
            "accum-time-toggle",
            "reverse last remembered 'S' state",
        ))
        .arg(flag(
            "secure",
            's',
            "secure-mode",
            "run with secure mode restrictions",
        ))
        .arg(value(
            "any-user",
            'U',
            "filter-any-user",
            "USER",
            "show only processes owned by USER",
        ))
        .arg(value(
            "euser",
            'u',
            "filter-only-euser",
            "USER",
            "show only processes owned by USER",
        ))
        .arg(
            Arg::new("width")
                .short('w')
                .long("width")
                .value_name("COLUMNS")
                .num_args(0..=1)
                .help("change print width [,use COLUMNS]"),
        )
        .arg(flag(
            "single-cpu",
            '1',
            "single-cpu-toggle",
            "reverse last remembered '1' state",
        ))
        .arg(flag(
            "help",
            'h',
            "help",
            "display this help text, then exit",
        ))
        .arg(flag(
            "version",
            'V',
            "version",
            "output version information & exit",
        ))
}

/// Runs `gopsi top ARGS`; returns the exit status.
pub fn run(fs: &ProcFs, args: &[String]) -> i32 {
    // `--json` is gopsi's own (batch frames as JSON lines); top's parser never sees it.
    let json = args.iter().any(|a| a == "--json");
    let args: Vec<String> = args.iter().filter(|a| *a != "--json").cloned().collect();
    let args = &args[..];
    JSON.store(json, std::sync::atomic::Ordering::Relaxed);
    let o = match args::parse(args, &args::SystemUsers, std::process::id() as i32) {
        Ok(Action::Run(o)) => o,
        Ok(Action::Print { text, batch }) => {
            let _ = crate::cli::write_stdout(text.as_bytes());
            if batch {
                let _ = crate::cli::write_stdout(b"\n");
            }
            return 0;
        }
        Ok(Action::GetoptError { msg, batch }) => {
            eprintln!("{msg}");
            if batch {
                let _ = crate::cli::write_stdout(b"\n");
            }
            return 0;
        }
        Err(args::ArgError(msg)) => {
            eprintln!("{msg}");
            return 1;
        }
    };
    let env = Env::from_process();
    if o.batch {
        batch(fs, &o, &env)
    } else if !crate::sys::isatty(0) {
        // procps needs the terminal settings of stdin for its interactive mode.
        eprintln!("top: failed tty get");
        1
    } else {
        interactive::run(fs, &o, &env)
    }
}

/// Values from the process's environment, read once at the binary's edge.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `COLUMNS` and `LINES`, when valid positive numbers.
    pub columns: Option<usize>,
    pub lines: Option<usize>,
    /// stdout's terminal size, when it is a terminal.
    pub winsize: Option<(usize, usize)>,
    /// `GOPSI_NOW`: a pinned clock (seconds since the epoch) for fixtures.
    pub now: Option<i64>,
    /// `GOPSI_UTMP`: the utmp file (default `/var/run/utmp`).
    pub utmp: String,
}

impl Env {
    pub fn from_process() -> Env {
        let num = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|&n| n > 0)
                .map(|n| n as usize)
        };
        Env {
            columns: num("COLUMNS"),
            lines: num("LINES"),
            winsize: crate::sys::winsize(1)
                .filter(|&(c, r)| c > 0 && r > 0)
                .map(|(c, r)| (c as usize, r as usize)),
            now: std::env::var("GOPSI_NOW").ok().and_then(|v| v.parse().ok()),
            utmp: std::env::var("GOPSI_UTMP").unwrap_or_else(|_| "/var/run/utmp".into()),
        }
    }

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

/// Builds the initial view from the options.
pub fn view_from(o: &Opts, pid_width: usize) -> View {
    let mut v = View::new("top".into());
    v.cmdline = o.cmdline;
    v.show_idle = !o.hide_idle;
    v.cumulative = o.cumulative;
    v.threads = o.threads;
    v.per_cpu = o.per_cpu;
    if let Some(s) = o.summ_scale {
        v.summ_scale = s;
    }
    if let Some(s) = o.task_scale {
        v.task_scale = s;
    }
    if let Some((idx, dir)) = o.sort {
        v.sort = idx;
        v.sort_desc = dir.unwrap_or(true);
    }
    v.user = o.user.as_ref().map(|u| UserFilter {
        uid: u.uid,
        matches: !u.negate,
        any: u.any,
    });
    v.pid_width = pid_width;
    v
}

/// The state kept between frames: previous CPU sample, task ticks, caches.
pub struct Sampler {
    pub fs: ProcFs,
    pub cx: Ctx,
    pub reaper: Reaper,
    pub sel: Selection,
    pub stat_prev: SysStat,
    pub stat_cur: SysStat,
    mem: summary::Mem,
    mem_at: Option<Instant>,
    pub cmdlines: CmdlineCache,
    pub frames: usize,
    utmp: String,
}

/// One sampled frame: host values and sorted tasks.
pub struct Sample {
    pub host: HostSample,
    pub tasks: Vec<Task>,
    pub tc: TaskCtx,
}

impl Sampler {
    /// Creates the sampler and takes the priming `/proc/stat` sample.
    pub fn new(fs: &ProcFs, o: &Opts, env: &Env) -> Sampler {
        let cx = Ctx::new(fs, Charset::from_locale());
        let stat = read_stat(fs);
        let by_status = o.sort.is_some_and(|s| render::sort_needs_status(s.0));
        let extra = if by_status || o.user.as_ref().is_some_and(|u| u.any) {
            crate::proc::Needs::STATUS
        } else {
            crate::proc::Needs::NONE
        };
        Sampler {
            fs: fs.clone(),
            cx,
            reaper: Reaper::new(),
            sel: Selection {
                pids: o.pids.clone(),
                threads: o.threads,
                extra,
                window_only: false,
                for_sort: crate::proc::Needs::NONE,
            },
            stat_prev: stat.clone(),
            stat_cur: stat,
            mem: summary::Mem::default(),
            mem_at: None,
            cmdlines: CmdlineCache::default(),
            frames: 0,
            utmp: env.utmp.clone(),
        }
    }

    /// Forgets task history (thread-mode change): the next frame primes again.
    pub fn reprime(&mut self) {
        self.reaper = Reaper::new();
        self.frames = 0;
    }

    /// Samples one frame like `frame_make`: reap tasks, read CPU and memory, and on the first
    /// frame wait [`PRIME_INTERVAL`] and reap again.
    pub fn sample(&mut self, v: &View, env: &Env) -> Sample {
        let hz = self.cx.hz;
        let first = self.frames == 0;
        self.sel.for_sort = render::sort_needs(v);
        let (mut tasks, mut counts) = self.reaper.reap(&self.fs, &self.sel, hz, !first);
        if self.frames > 0 {
            self.stat_prev = std::mem::replace(&mut self.stat_cur, read_stat(&self.fs));
        }
        if self
            .mem_at
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(3))
        {
            let m = self
                .fs
                .read_host("meminfo")
                .map(|b| host::parse_meminfo(&b))
                .unwrap_or_default();
            self.mem = summary::mem_values(&m);
            self.mem_at = Some(Instant::now());
        }
        if self.frames == 0 {
            std::thread::sleep(PRIME_INTERVAL);
            (tasks, counts) = self.reaper.reap(&self.fs, &self.sel, hz, true);
            // The second CPU sample: frame 1 covers the priming interval, never a junk value.
            self.stat_prev = std::mem::replace(&mut self.stat_cur, read_stat(&self.fs));
        }
        self.frames += 1;
        let up = self
            .fs
            .read_host("uptime")
            .ok()
            .and_then(|b| host::parse_uptime(&b))
            .map_or(0.0, |u| u.up_secs);
        let load = self
            .fs
            .read_host("loadavg")
            .ok()
            .and_then(|b| host::parse_loadavg(&b))
            .unwrap_or_default();
        let users = std::fs::read(&self.utmp).map_or(0, |b| summary::count_users(&b));
        let hms = crate::sys::localtime(env.now()).map_or((0, 0, 0), |t| (t.hour, t.min, t.sec));
        let tc = TaskCtx {
            hz,
            page_kb: self.cx.page_kb,
            mem_total: self.mem.total,
            etscale: self.reaper.etscale,
            ncpu: self.stat_cur.cpus.len().max(1),
            up_secs: up,
        };
        if v.cmdline {
            self.cmdlines.fill(&self.fs, &mut tasks);
        }
        render::sort_tasks(v, &mut tasks, &tc, &self.cx);
        Sample {
            host: HostSample {
                hms,
                up_secs: up,
                users,
                load,
                counts,
                stat_prev: self.stat_prev.clone(),
                stat_cur: self.stat_cur.clone(),
                mem: self.mem,
            },
            tasks,
            tc,
        }
    }
}

fn read_stat(fs: &ProcFs) -> SysStat {
    fs.read_host("stat")
        .map(|b| host::parse_stat(&b))
        .unwrap_or_default()
}

/// Formats one batch frame (without the `\n\n` that precedes frames after the first).
pub fn batch_frame(v: &View, s: &Sample, cx: &Ctx) -> String {
    let mut out = String::new();
    let mut msg_row = 0;
    let room = |used: usize, n: usize| v.rows.is_none_or(|r| used + n < r.saturating_sub(1));
    let lines = render::summary_lines(v, &s.host);
    let n_cpu_lines = lines.len() - 3 - usize::from(!(v.per_cpu && v.double_up));
    for (k, l) in lines.iter().enumerate() {
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

/// Set by `--json`: batch frames are printed as JSON, one object per line.
static JSON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn batch(fs: &ProcFs, o: &Opts, env: &Env) -> i32 {
    let json = JSON.load(std::sync::atomic::Ordering::Relaxed);
    crate::sys::catch_term_signals(true);
    let mut sampler = Sampler::new(fs, o, env);
    let mut v = view_from(o, sampler.cx.pid_width);
    (v.cols, v.rows) = batch_geometry(o, env);
    let delay = delay_duration(o.delay.unwrap_or(3.0));
    let mut left = o.iterations.unwrap_or(-1);
    loop {
        let s = sampler.sample(&v, env);
        let mut text = String::new();
        if json {
            text = render::frame_json(&v, &s, &sampler.cx).to_string();
            text.push('\n');
        } else {
            if sampler.frames > 1 {
                text.push_str("\n\n");
            }
            text.push_str(&batch_frame(&v, &s, &sampler.cx));
        }
        match out(text.as_bytes()) {
            Ok(()) => {}
            // top dies of SIGPIPE: stop quietly when the reader went away.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return 0,
            Err(e) => {
                eprintln!("top: {e}");
                return 1;
            }
        }
        if left > 0 {
            left -= 1;
            if left == 0 {
                break;
            }
        }
        // The -d wait, in slices so that SIGINT/SIGTERM end it (top exits 0 with its newline).
        let end = Instant::now() + delay;
        while !crate::sys::term_requested() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
        if crate::sys::term_requested() {
            break;
        }
    }
    if !json {
        let _ = crate::cli::write_stdout(b"\n");
    }
    0
}

/// Writes and flushes stdout, reporting a broken pipe (unlike [`crate::cli::write_stdout`]).
fn out(text: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    o.write_all(text).and_then(|()| o.flush())
}

/// The refresh delay as a duration (negative or NaN is 0, absurdly large is a day).
pub fn delay_duration(secs: f32) -> Duration {
    Duration::try_from_secs_f32(secs.clamp(0.0, 86400.0)).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
        let help = super::command().render_help().to_string();
        assert!(help.contains("--batch-mode") && help.contains("--single-cpu-toggle"));
    }

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
