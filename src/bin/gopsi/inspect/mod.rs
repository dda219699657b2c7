//! `gopsi ports`, `gopsi files`, `gopsi inspect`: argument parsing (clap), and printing as a
//! comfy-table on a terminal, plain aligned text when piped, or JSON. Reads /proc only through
//! the library's `inspect` functions.

mod files;
mod ports;
mod process;

use clap::{Arg, ArgAction, ArgMatches, Command, ValueHint, value_parser};

use gopsi::proc::ProcFs;
use gopsi::text::Charset;

/// The clap definitions of `gopsi ports`, `gopsi files` and `gopsi inspect` (used to parse
/// their arguments, and for help, man pages and completions).
pub fn commands() -> Vec<Command> {
    let json = || {
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help("Print JSON instead of a table")
    };
    let flag = crate::docs::flag;
    vec![
        Command::new("ports")
            .about("Open sockets and the processes that own them, like ss -tulpn")
            .long_about(
                "Open sockets and the processes that own them, like `ss -tulpn`. By default \
                 listening TCP and unconnected UDP sockets of both IP versions; -a adds every \
                 other state. Sockets come from /proc/net (this network namespace) and are \
                 joined to processes through the socket inodes in /proc/PID/fd. Sockets of \
                 processes whose fd/ cannot be read show no PID.",
            )
            .arg(flag(
                "all",
                'a',
                "all",
                "Show sockets in every state, not only listening",
            ))
            .arg(flag(
                "listening",
                'l',
                "listening",
                "Show only listening sockets (the default)",
            ))
            .arg(flag("tcp", 't', "tcp", "Show TCP sockets"))
            .arg(flag("udp", 'u', "udp", "Show UDP sockets"))
            .arg(flag("unix", 'x', "unix", "Show unix domain sockets"))
            .arg(flag("ipv4", '4', "ipv4", "Show only IPv4 sockets"))
            .arg(flag("ipv6", '6', "ipv6", "Show only IPv6 sockets"))
            .arg(flag(
                "numeric",
                'n',
                "numeric",
                "Accepted for ss compatibility: addresses are always numeric",
            ))
            .arg(
                Arg::new("pid")
                    .short('p')
                    .long("pid")
                    .value_name("PID")
                    .action(ArgAction::Append)
                    .value_parser(value_parser!(i32).range(1..))
                    .value_hint(ValueHint::Other)
                    .help("Show only sockets owned by PID (repeatable)"),
            )
            .arg(json()),
        Command::new("files")
            .about("Open file descriptors of processes, like lsof -p")
            .long_about(
                "Open file descriptors of processes, like `lsof -p PID`: descriptor number, \
                 kind (file, dir, socket, pipe, anon, char, block, other), target (the \
                 /proc/PID/fd/N link, deleted files flagged), sockets resolved to their \
                 addresses, access mode, flags and position from /proc/PID/fdinfo.",
            )
            .arg(
                Arg::new("pids")
                    .value_name("PID")
                    .required(true)
                    .num_args(1..)
                    .value_parser(value_parser!(i32).range(1..))
                    .value_hint(ValueHint::Other)
                    .help("Processes to list"),
            )
            .arg(json()),
        Command::new("inspect")
            .about("One process in full: identity, state, memory, files, ports")
            .long_about(
                "One process in full: identity (pid, ppid, user, group, command, arguments, \
                 executable, working directory, start time, elapsed time), state and \
                 scheduling (nice, priority, policy, threads, CPU time, lifetime and sampled \
                 %CPU), memory (VSZ, RSS, shared, swap, peaks), open files, ports and children.",
            )
            .arg(
                Arg::new("pid")
                    .value_name("PID")
                    .required(true)
                    .value_parser(value_parser!(i32).range(1..))
                    .value_hint(ValueHint::Other)
                    .help("The process to inspect"),
            )
            .arg(
                Arg::new("interval")
                    .long("interval")
                    .value_name("MS")
                    .default_value("200")
                    .value_parser(value_parser!(u64).range(0..=60_000))
                    .value_hint(ValueHint::Other)
                    .help("Sample %CPU over MS milliseconds (0: skip the sample)"),
            )
            .arg(json()),
    ]
}

/// Runs `gopsi NAME ARGS` for `ports`, `files` or `inspect`; returns the exit status
/// (0 done, 1 no such process or an I/O failure, 2 bad usage).
pub fn run(name: &str, fs: &ProcFs, args: &[String]) -> i32 {
    let Some(cmd) = commands().into_iter().find(|c| c.get_name() == name) else {
        errln!("gopsi: unknown command {name}");
        return 2;
    };
    let argv = std::iter::once(format!("gopsi {name}")).chain(args.iter().cloned());
    let m = match crate::cli::plain(cmd)
        .bin_name(format!("gopsi {name}"))
        .try_get_matches_from(argv)
    {
        Ok(m) => m,
        // Usage errors: status 2.
        Err(e) => return crate::cli::clap_stop(&e, e.exit_code()),
    };
    let out = Output::detect(m.get_flag("json"));
    match name {
        "ports" => ports::run(fs, &m, out),
        "files" => files::run(fs, &m, out),
        _ => process::run(fs, &m, out),
    }
}

/// How a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// JSON on stdout.
    Json,
    /// A comfy-table layout sized to the terminal.
    Terminal(u16),
    /// Plain aligned columns (stdout is not a terminal).
    Plain,
}

impl Output {
    fn detect(json: bool) -> Output {
        if json {
            Output::Json
        } else if crate::term::isatty(std::io::stdout()) {
            Output::Terminal(crate::term::winsize(std::io::stdout()).map_or(0, |(c, _)| c))
        } else {
            Output::Plain
        }
    }
}

/// Escapes untrusted bytes (paths, command names) for a terminal.
pub(crate) fn esc(b: &[u8]) -> String {
    let mut s = String::new();
    gopsi::text::escape(b, charset(), usize::MAX / 2, &mut s);
    s
}

fn charset() -> Charset {
    static CS: std::sync::OnceLock<Charset> = std::sync::OnceLock::new();
    *CS.get_or_init(Charset::from_locale)
}

/// An empty comfy-table in gopsi's style, `width` columns wide (0: the table's own width).
pub(crate) fn new_table(width: u16) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if width > 0 {
        t.set_width(width);
    }
    t
}

/// Lays out a table: comfy-table on a terminal, plain left-aligned columns separated by two
/// spaces otherwise (the last column is not padded). Cells must already be escaped.
pub(crate) fn table(out: Output, header: &[&str], rows: &[Vec<String>]) -> String {
    if let Output::Terminal(width) = out {
        let mut t = new_table(width);
        t.set_header(header.to_vec());
        for r in rows {
            t.add_row(r.clone());
        }
        return format!("{t}\n");
    }
    let n = header.len();
    let mut w: Vec<usize> = header.iter().map(|h| gopsi::text::cells(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(gopsi::text::cells(c));
        }
    }
    let mut s = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut l = String::new();
        for (i, c) in cells.enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            l.push_str(c);
            if i + 1 < n {
                let pad = w[i].saturating_sub(gopsi::text::cells(c));
                l.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.push_str(l.trim_end());
        s.push('\n');
    };
    line(&mut header.iter().copied());
    for r in rows {
        line(&mut r.iter().map(String::as_str));
    }
    s
}

/// Writes text to stdout (a broken pipe is a quiet success); returns the exit status.
pub(crate) fn emit(text: &str, status: i32) -> i32 {
    crate::cli::emit("gopsi", text.as_bytes(), status)
}

/// Serializes a value as pretty JSON with a final newline and writes it.
pub(crate) fn emit_json<T: serde::Serialize>(v: &T, status: i32) -> i32 {
    match serde_json::to_string_pretty(v) {
        Ok(mut s) => {
            s.push('\n');
            emit(&s, status)
        }
        Err(e) => {
            errln!("gopsi: {e}");
            1
        }
    }
}

/// Collects the pids a command was given (clap has validated them).
pub(crate) fn pids_arg(m: &ArgMatches, id: &str) -> Vec<i32> {
    m.get_many::<i32>(id)
        .map(|v| v.copied().collect())
        .unwrap_or_default()
}

/// Whether a process exists under the root.
pub(crate) fn exists(fs: &ProcFs, pid: i32) -> bool {
    fs.root().join(pid.to_string()).join("stat").exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_table_aligns_and_trims() {
        let t = table(
            Output::Plain,
            &["A", "BB", "C"],
            &[
                vec!["xxx".into(), "y".into(), "z".into()],
                vec!["1".into(), "".into(), "".into()],
            ],
        );
        assert_eq!(t, "A    BB  C\nxxx  y   z\n1\n");
    }

    #[test]
    fn commands_are_valid() {
        for c in commands() {
            c.debug_assert();
        }
    }
}
