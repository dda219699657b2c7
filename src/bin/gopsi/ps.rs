//! `gopsi ps`: the binary's edge of ps: the screen size and environment procps reads, `ps L`,
//! `--help`, and printing the library's output with procps's messages and exit statuses.

use gopsi::proc::ProcFs;
use gopsi::ps;

use crate::cli::emit;

/// The usage text procps's ps prints after an error.
pub const PS_USAGE: &str = "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n";

/// Output width the way procps computes it before options: the terminal's (stdout, stderr,
/// stdin, /dev/tty), unlimited when stdout is not a terminal, then `COLUMNS`; rows likewise.
pub fn screen_size() -> (usize, usize) {
    use crate::term::winsize;
    let ok = |s: Option<(u16, u16)>| s.filter(|&(c, r)| c > 0 && r > 0);
    let from_tty = ok(winsize(std::io::stdout()))
        .or_else(|| ok(winsize(std::io::stderr())))
        .or_else(|| ok(winsize(std::io::stdin())))
        .or_else(|| ok(winsize(&std::fs::File::open("/dev/tty").ok()?)));
    let (mut cols, mut rows) = from_tty.map_or((80, 24), |(c, r)| (c as usize, r as usize));
    if !crate::term::isatty(std::io::stdout()) {
        cols = gopsi::format::layout::UNLIMITED_COLS;
    }
    let env_num = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| gopsi::ps::parse_c_long(&v))
            .filter(|&t| t > 0 && t < gopsi::format::layout::UNLIMITED_COLS as i64)
    };
    if let Some(c) = env_num("COLUMNS") {
        cols = c as usize;
    }
    if let Some(r) = env_num("LINES") {
        rows = r as usize;
    }
    (cols, rows)
}

/// `gopsi ps ...`
pub fn run_ps(fs: &ProcFs, args: &[std::ffi::OsString]) -> i32 {
    let (cols, rows) = screen_size();
    // procps judges the size from the terminal and the environment, before any option.
    if cols < 9 || rows < 2 {
        errln!("your {cols}x{rows} screen size is bogus. expect trouble");
    }
    let tty = fs
        .read_host("self/stat")
        .ok()
        .and_then(|b| gopsi::proc::stat::parse(&b))
        .map_or(0, |s| s.tty_nr);
    let env = ps::argv::Env {
        screen_cols: cols,
        screen_rows: rows,
        tty,
        ps_format: std::env::var("PS_FORMAT").ok(),
    };
    let now = std::env::var("GOPSI_NOW").ok().and_then(|v| v.parse().ok());
    // `--help` alone is gopsi's own help; `--help SECTION` is procps's section text.
    if args.len() == 1 && args[0] == "--help" {
        return emit(
            "ps",
            crate::docs::ps_command()
                .render_long_help()
                .to_string()
                .as_bytes(),
            0,
        );
    }
    match ps::argv::parse(args, env) {
        Ok(ps::argv::Action::List(opts)) => {
            let out = ps::run(fs, &opts, now);
            for p in &out.problems {
                errln!("gopsi: {p}");
            }
            let status = emit("ps", out.text.as_bytes(), out.status);
            if let Some(why) = out.fatal {
                // procps's ps flushes what it printed, then says why it stopped.
                errln!("ps: {why}");
            }
            status
        }
        Ok(ps::argv::Action::Version) => {
            let v = format!(
                "ps from gopsi {} (procps-ng 4.0.2 compatible)\n",
                env!("CARGO_PKG_VERSION")
            );
            emit("ps", v.as_bytes(), 0)
        }
        Ok(ps::argv::Action::ListSpecs) => {
            // procps lists its specifiers sorted by name, as "%-12.12s %-8.8s".
            // Placeholders that print `-` (no sort key) are left out, as procps leaves its out;
            // its six layout test columns (`_left` ...) are listed.
            let mut specs: Vec<(&str, &str)> = gopsi::columns::all()
                .filter(|c| c.sort.is_some() || c.name.starts_with('_'))
                .flat_map(|c| {
                    std::iter::once(c.name)
                        .chain(c.aliases.iter().copied())
                        .map(move |n| (n, c.header))
                })
                .collect();
            specs.sort_unstable();
            let s: String = specs
                .iter()
                .map(|(n, h)| format!("{n:<12.12} {h:<8.8}\n"))
                .collect();
            emit("ps", s.as_bytes(), 0)
        }
        Ok(ps::argv::Action::Refuse(msg)) => {
            errln!("{msg}");
            1
        }
        Ok(ps::argv::Action::Help(section)) => {
            let text = section
                .as_deref()
                .and_then(crate::ps_help::section)
                .unwrap_or(PS_USAGE);
            emit("ps", text.as_bytes(), 0)
        }
        Err(e) => {
            err!("error: {}\n{}", e.0, PS_USAGE);
            1
        }
    }
}
