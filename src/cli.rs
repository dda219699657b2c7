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
        #[cfg(feature = "serve")]
        Some(name @ ("serve" | "metrics")) => {
            let utmp = std::env::var_os("GOPSI_UTMP").unwrap_or_else(|| "/var/run/utmp".into());
            crate::serve::cli::run(name, &fs, &args[i + 1..], utmp.into())
        }
        Some("generate") => generate(&args[i + 1..]),
        Some("--version") | Some("-V") => {
            let _ = write_stdout(format!("gopsi {}\n", env!("CARGO_PKG_VERSION")).as_bytes());
            0
        }
        Some("--help") | Some("-h") | Some("help") => {
            let _ = write_stdout(command().render_long_help().to_string().as_bytes());
            0
        }
        other => {
            let what = other.map_or("a subcommand is required".to_string(), |o| {
                format!("unrecognized subcommand '{o}'")
            });
            eprint!("gopsi: {what}\n\n{}", command().render_usage());
            eprintln!("\nFor more information, try 'gopsi --help'.");
            2
        }
    }
}

/// A documentation-only on/off option `-S, --long` (shared by the subcommands' definitions).
pub fn flag(id: &'static str, short: char, long: &'static str, help: &'static str) -> clap::Arg {
    clap::Arg::new(id)
        .short(short)
        .long(long)
        .action(clap::ArgAction::SetTrue)
        .help(help)
}

/// The whole clap definition: global options and every subcommand (help, man pages and
/// completions are generated from it).
pub fn command() -> clap::Command {
    clap::Command::new("gopsi")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A process inspector for Linux: ps and top identical to procps-ng, plus open files, ports and JSON")
        .arg(
            clap::Arg::new("proc_root")
                .long("proc-root")
                .value_name("DIR")
                .global(true)
                .value_hint(clap::ValueHint::DirPath)
                .help("Read processes from DIR instead of /proc (containers, fixtures)"),
        )
        .subcommand_required(true)
        .subcommand(ps::cli::command())
        .subcommand(crate::top::command())
        .subcommands(crate::inspect::commands())
        .subcommands(serve_commands())
        .subcommand(
            clap::Command::new("generate")
                .hide(true)
                .about("Write man pages and shell completions")
                .arg(clap::Arg::new("out_dir").long("out-dir").value_name("DIR").required(true)),
        )
}

/// `serve` and `metrics`, when the exporter is built in.
fn serve_commands() -> Vec<clap::Command> {
    #[cfg(feature = "serve")]
    return crate::serve::cli::commands();
    #[cfg(not(feature = "serve"))]
    Vec::new()
}

/// The man page of one command, as roff; `extra` adds a titled section at the end.
fn man_page(
    cmd: clap::Command,
    extra: Option<(&str, Vec<(String, String)>)>,
) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    if let Some((title, items)) = extra {
        out.extend_from_slice(format!(".SH \"{title}\"\n").as_bytes());
        for (term, text) in items {
            out.extend_from_slice(
                format!(
                    ".TP\n\\fB{}\\fR\n{}\n",
                    roff_escape(&term),
                    roff_escape(&text)
                )
                .as_bytes(),
            );
        }
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// Escapes text for a roff line: backslashes and dashes, and a leading control character.
fn roff_escape(s: &str) -> String {
    let e = s.replace('\\', "\\e").replace('-', "\\-");
    if e.starts_with('.') || e.starts_with('\'') {
        format!("\\&{e}")
    } else {
        e
    }
}

/// `gopsi generate --out-dir DIR`: writes DIR/man/*.1 and DIR/completions/*.
fn generate(args: &[String]) -> i32 {
    let dir = match args {
        [flag, dir] if flag == "--out-dir" => PathBuf::from(dir),
        [one] if one.starts_with("--out-dir=") => PathBuf::from(&one["--out-dir=".len()..]),
        _ => {
            eprintln!("usage: gopsi generate --out-dir DIR");
            return 2;
        }
    };
    match generate_into(&dir) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("gopsi: generate: {e}");
            1
        }
    }
}

/// Writes the man pages and completions below `dir` (`man/`, `completions/`).
pub fn generate_into(dir: &std::path::Path) -> std::io::Result<()> {
    use clap_complete::{Shell, generate_to};
    let man = dir.join("man");
    let comp = dir.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&comp)?;
    let mut root = command();
    root.build();
    std::fs::write(man.join("gopsi.1"), man_page(root.clone(), None)?)?;
    for sub in root
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("gopsi-{}", sub.get_name());
        let extra = match sub.get_name() {
            "ps" => Some(("FORMAT SPECIFIERS", ps::cli::specifier_items())),
            "top" => Some((
                "FIELDS",
                crate::top::fields::FIELDS
                    .iter()
                    .map(|f| (f.name.to_string(), f.help.to_string()))
                    .collect(),
            )),
            _ => None,
        };
        let page = man_page(
            sub.clone()
                .name(name.clone())
                .version(env!("CARGO_PKG_VERSION")),
            extra,
        )?;
        std::fs::write(man.join(format!("{name}.1")), page)?;
    }
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut c = command();
        generate_to(shell, &mut c, "gopsi", &comp)?;
    }
    Ok(())
}

/// `gopsi ps ...`
pub fn run_ps(fs: &ProcFs, args: &[String]) -> i32 {
    let (cols, rows) = ps::screen_size();
    // procps judges the size from the terminal and the environment, before any option.
    if cols < 9 || rows < 2 {
        eprintln!("your {cols}x{rows} screen size is bogus. expect trouble");
    }
    let tty = fs
        .read_host("self/stat")
        .ok()
        .and_then(|b| crate::proc::stat::parse(&b))
        .map_or(0, |s| s.tty_nr);
    let env = ps::args::Env {
        screen_cols: cols,
        screen_rows: rows,
        tty,
        ps_format: std::env::var("PS_FORMAT").ok(),
    };
    let now = std::env::var("GOPSI_NOW").ok().and_then(|v| v.parse().ok());
    if args.first().map(String::as_str) == Some("--help") {
        let _ = write_stdout(ps::cli::command().render_long_help().to_string().as_bytes());
        return 0;
    }
    match ps::args::parse(args, env) {
        Ok(ps::args::Action::List(opts)) => {
            let out = ps::run(fs, &opts, now);
            for p in &out.problems {
                eprintln!("gopsi: {p}");
            }
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
            // procps lists its specifiers sorted by name, as "%-12.12s %-8.8s".
            // Placeholders that print `-` (no sort key) are left out, as procps leaves its out.
            let mut specs: Vec<(&str, &str)> = crate::columns::all()
                .filter(|c| c.key.is_some())
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
            let _ = write_stdout(s.as_bytes());
            0
        }
        Ok(ps::args::Action::Refuse(msg)) => {
            eprintln!("{msg}");
            1
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
