//! The command line of the `gopsi` binary: global options, subcommand dispatch, and the
//! stdout/stderr edge (a broken pipe is a quiet exit). `ps` arguments are parsed by hand
//! ([`crate::ps::args`]); clap defines the rest and documents everything.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use crate::proc::ProcFs;
use crate::ps;

/// The usage text procps's ps prints after an error.
pub const PS_USAGE: &str = "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n";

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn write_stdout(text: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// Runs gopsi with its full argv; returns the exit status.
pub fn main(argv: Vec<OsString>) -> i32 {
    let args: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut i = 1;
    let mut root = PathBuf::from("/proc");
    while i < args.len() {
        let a = &args[i];
        if a == "--proc-root" {
            let Some(dir) = args.get(i + 1) else {
                eprintln!("gopsi: --proc-root needs a directory");
                return 2;
            };
            root = PathBuf::from(dir);
            i += 2;
        } else if let Some(dir) = a.strip_prefix("--proc-root=") {
            root = PathBuf::from(dir);
            i += 1;
        } else {
            break;
        }
    }
    let fs = ProcFs::new(root);
    match args.get(i).map(String::as_str) {
        Some("ps") => run_ps(&fs, &args[i + 1..]),
        Some("top") => crate::top::run(&fs, &args[i + 1..]),
        Some(name @ ("ports" | "files" | "inspect")) => {
            crate::inspect::run(name, &fs, &args[i + 1..])
        }
        Some("--version") | Some("-V") => {
            println!("gopsi {}", env!("CARGO_PKG_VERSION"));
            0
        }
        _ => {
            eprintln!("usage: gopsi [--proc-root DIR] ps [ps options]");
            2
        }
    }
}

/// `gopsi ps ...`
pub fn run_ps(fs: &ProcFs, args: &[String]) -> i32 {
    let (cols, rows) = ps::screen_size();
    let tty = fs
        .read_host("self/stat")
        .ok()
        .and_then(|b| crate::proc::stat::parse(&b))
        .map_or(0, |s| s.tty_nr);
    let env = ps::args::Env {
        screen_cols: cols,
        screen_rows: rows,
        tty,
    };
    let now = std::env::var("GOPSI_NOW").ok().and_then(|v| v.parse().ok());
    match ps::args::parse(args, env) {
        Ok(ps::args::Action::List(opts)) => {
            if opts.screen_cols < 9 {
                eprintln!(
                    "your {}x{} screen size is bogus. expect trouble",
                    opts.screen_cols, opts.screen_rows
                );
            }
            let out = ps::run(fs, &opts, now);
            if let Err(e) = write_stdout(out.text.as_bytes()) {
                eprintln!("gopsi: {e}");
                return 1;
            }
            out.status
        }
        Ok(ps::args::Action::Version) => {
            let _ = write_stdout(
                format!(
                    "ps from gopsi {} (procps-ng 4.0.2 compatible)\n",
                    env!("CARGO_PKG_VERSION")
                )
                .as_bytes(),
            );
            0
        }
        Ok(ps::args::Action::ListSpecs) => {
            let mut s = String::new();
            for c in crate::columns::all() {
                for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                    s.push_str(&format!("{:<12.12} {:<8.8}\n", n, c.header));
                }
            }
            let _ = write_stdout(s.as_bytes());
            0
        }
        Ok(ps::args::Action::Help(_)) => {
            let _ = write_stdout(PS_USAGE.trim_start().as_bytes());
            0
        }
        Err(e) => {
            eprint!("error: {}\n{}", e.0, PS_USAGE);
            1
        }
    }
}
