//! `gopsi top`: the binary's edge of top: argument handling, the batch loop (-b, -d, -n,
//! signals, --json) and the interactive screen. Frames come from the library's `top` module;
//! this code never reads /proc itself.

mod fieldscr;
pub(crate) mod input;
mod interactive;
mod rcfile;
mod screen;

use std::time::{Duration, Instant};

use gopsi::proc::ProcFs;
use gopsi::top::args::{self, Action, Opts};
use gopsi::top::{Env, Sampler, batch_frame, batch_geometry, delay_duration, render, view_from_rc};

/// Runs `gopsi top ARGS`; returns the exit status.
pub fn run(fs: &ProcFs, args: &[std::ffi::OsString]) -> i32 {
    // `--json` is gopsi's own (batch frames as JSON lines); top's parser never sees it.
    let json = args.iter().any(|a| a == "--json");
    let args: Vec<std::ffi::OsString> = args.iter().filter(|a| *a != "--json").cloned().collect();
    let args = &args[..];
    JSON.store(json, std::sync::atomic::Ordering::Relaxed);
    // procps reads its configuration before it looks at the arguments: a refused file ends
    // top even for -h.
    let mut loaded = match rcfile::load() {
        Ok(l) => l,
        Err(msg) => {
            errln!("top: {msg}");
            return 1;
        }
    };
    let mut o = match args::parse(args, &args::SystemUsers, std::process::id() as i32) {
        Ok(Action::Run(o)) => o,
        Ok(Action::Print { mut text, batch }) => {
            if batch {
                text.push('\n');
            }
            return crate::cli::emit("top", text.as_bytes(), 0);
        }
        Ok(Action::GetoptError { msg, batch }) => {
            errln!("{msg}");
            if batch {
                let _ = crate::cli::write_stdout(b"\n");
            }
            return 0;
        }
        Err(args::ArgError(msg)) => {
            errln!("{msg}");
            return 1;
        }
    };
    if loaded.secure {
        if o.delay.is_some() {
            errln!("top: -d disallowed in \"secure\" mode");
            return 1;
        }
        o.secure = true;
    }
    loaded.rc.apply_args(&o);
    let env = env_from_process();
    // Room for a `stat` descriptor per task kept open between reaps.
    crate::term::raise_fd_limit();
    if o.batch {
        batch(fs, &o, &env, &loaded.rc)
    } else if !crate::term::isatty(std::io::stdin()) {
        // procps needs the terminal settings of stdin for its interactive mode.
        errln!("top: failed tty get");
        1
    } else {
        interactive::run(fs, &o, &env, loaded)
    }
}

/// Reads top's environment values once, at the binary's edge.
pub fn env_from_process() -> Env {
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
        winsize: crate::term::winsize(std::io::stdout())
            .filter(|&(c, r)| c > 0 && r > 0)
            .map(|(c, r)| (c as usize, r as usize)),
        now: std::env::var("GOPSI_NOW").ok().and_then(|v| v.parse().ok()),
        utmp: std::env::var("GOPSI_UTMP").unwrap_or_else(|_| "/var/run/utmp".into()),
    }
}

/// Set by `--json`: batch frames are printed as JSON, one object per line.
static JSON: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn batch(fs: &ProcFs, o: &Opts, env: &Env, rc: &gopsi::top::toprc::Toprc) -> i32 {
    let json = JSON.load(std::sync::atomic::Ordering::Relaxed);
    crate::term::catch_term_signals(true);
    let mut sampler = Sampler::new(fs, o, env);
    let mut v = view_from_rc(rc, o, sampler.cx.pid_width);
    v.numa_nodes = sampler.fs.numa_nodes();
    sampler.sel.extra |= render::field_needs(v.sort);
    (v.cols, v.rows) = batch_geometry(o, env);
    let delay = delay_duration(rc.delay);
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
                crate::cli::report_write_error("top", &e);
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
        while !crate::term::term_requested() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
        if crate::term::term_requested() {
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
