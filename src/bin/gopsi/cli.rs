//! The command line of the `gopsi` binary: global options, subcommand dispatch, and the
//! stdout/stderr edge (a broken pipe is a quiet exit). `ps` and `top` arguments are parsed by
//! hand in the library; clap defines the rest and documents everything ([`crate::docs`]).
//! `gopsi help SUB` runs `gopsi SUB --help`; `--proc-root DIR` may come before or after SUB.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::PathBuf;

use gopsi::proc::ProcFs;

/// Whether stdout was closed when gopsi started (`>&-`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Looks at fd 1 before anything is opened. Rust's runtime, finding fd 1 closed at start,
/// opens `/dev/null` read-write on it (a shell's `>/dev/null` opens it write-only), and its
/// stdout treats a write failing with `EBADF` as a success: either sign means `>&-`.
fn note_closed_stdout() {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    use std::os::fd::AsFd;
    let out = std::io::stdout();
    let closed = match fcntl(out.as_fd(), FcntlArg::F_GETFL) {
        Err(e) => e == nix::Error::EBADF,
        Ok(flags) => {
            let rdwr = OFlag::from_bits_truncate(flags) & OFlag::O_ACCMODE == OFlag::O_RDWR;
            let null = nix::sys::stat::fstat(out.as_fd()).is_ok_and(|st| {
                let dev = st.st_rdev;
                st.st_mode & nix::libc::S_IFMT == nix::libc::S_IFCHR
                    && nix::libc::major(dev) == 1
                    && nix::libc::minor(dev) == 3
            });
            rdwr && null
        }
    };
    STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
}

/// Writes `text` to stdout; a closed pipe is not an error. A stdout closed at start is
/// `EBADF`, and nothing is written (fd 1 may now be a file gopsi opened).
pub fn write_stdout(text: &[u8]) -> std::io::Result<()> {
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(std::io::Error::from_raw_os_error(nix::libc::EBADF));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

/// Writes `text` to stdout and returns `status`; when the text is lost (a full device, a
/// closed stdout) says so as procps does (`ps: write error: No space left on device`,
/// `top: write error`) and returns 1. `prog` names the writer: `ps`, `top` or `gopsi`.
pub fn emit(prog: &str, text: &[u8], status: i32) -> i32 {
    match write_stdout(text) {
        Ok(()) => status,
        // procps top ignores a closed stdout (its output goes wherever fd 1 is next opened).
        Err(e) if prog == "top" && e.raw_os_error() == Some(nix::libc::EBADF) => status,
        Err(e) => {
            report_write_error(prog, &e);
            1
        }
    }
}

/// Writes a message to stderr, the one way gopsi does: every control byte in it but the
/// newlines (an argument, a path or a name it quotes) escaped by [`gopsi::text::message`], so
/// that no input can write an escape sequence to the terminal. procps echoes them raw (a
/// deliberate difference, README). A failing stderr is ignored.
pub fn to_stderr(msg: &str) {
    let safe = gopsi::text::message(msg.as_bytes(), gopsi::text::Charset::from_locale());
    let _ = std::io::stderr().lock().write_all(safe.as_bytes());
}

/// clap's styles for the subcommands' parsers: none, so that a rendered error is the bare
/// text, user input included as given (clap's own plain rendering drops escape sequences
/// from it, hiding what was typed), ready for [`to_stderr`] to escape.
pub fn plain(cmd: clap::Command) -> clap::Command {
    cmd.styles(clap::builder::Styles::plain())
}

/// Ends a subcommand whose clap parse stopped: help and version go to stdout (status 0, or 1
/// when they are lost), usage errors to stderr with `usage_status`, escaped (the parser was
/// built by [`plain`], so the message carries no styling).
pub fn clap_stop(e: &clap::Error, usage_status: i32) -> i32 {
    if e.use_stderr() {
        to_stderr(&e.render().ansi().to_string());
        usage_status
    } else {
        emit("gopsi", e.render().to_string().as_bytes(), 0)
    }
}

/// The message of a lost write: procps's `ps: write error: REASON`, top's bare `top: write
/// error`.
pub fn report_write_error(prog: &str, e: &std::io::Error) {
    if prog == "top" {
        errln!("top: write error");
    } else {
        // The C library's text (`strerror`), without Rust's ` (os error N)`.
        let text = e.to_string();
        let reason = text.split(" (os error ").next().unwrap_or(&text);
        errln!("{prog}: write error: {reason}");
    }
}

/// The message and status for a `--proc-root` that ends the command line.
fn missing_dir() -> i32 {
    errln!("gopsi: --proc-root needs a directory");
    2
}

/// `--proc-root=DIR`'s DIR, as bytes (a path need not be UTF-8).
fn proc_root_value(a: &OsStr) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let dir = a.as_bytes().strip_prefix(b"--proc-root=")?;
    Some(PathBuf::from(OsStr::from_bytes(dir)))
}

/// Takes every `--proc-root DIR` / `--proc-root=DIR` out of a subcommand's `args` (up to a
/// `--`), leaving the last one's DIR in `root`; `Err` when the option ends the line without DIR.
fn take_proc_root(args: &[OsString], root: &mut PathBuf) -> Result<Vec<OsString>, ()> {
    let mut rest = Vec::with_capacity(args.len());
    let mut words = args.iter();
    while let Some(a) = words.next() {
        if a == "--" {
            rest.push(a.clone());
            rest.extend(words.cloned());
            break;
        } else if a == "--proc-root" {
            *root = PathBuf::from(words.next().ok_or(())?);
        } else if let Some(dir) = proc_root_value(a) {
            *root = dir;
        } else {
            rest.push(a.clone());
        }
    }
    Ok(rest)
}

/// Runs gopsi with its full argv; returns the exit status. `--proc-root DIR` is taken before
/// or after the subcommand. Arguments stay bytes: ps and top get them as given (user and
/// command names need not be UTF-8), and so does `--proc-root`.
pub fn main(argv: Vec<OsString>) -> i32 {
    note_closed_stdout();
    let args = argv;
    let mut i = 1;
    let mut root = PathBuf::from("/proc");
    while i < args.len() {
        let a = &args[i];
        if a == "--proc-root" {
            let Some(dir) = args.get(i + 1) else {
                return missing_dir();
            };
            root = PathBuf::from(dir);
            i += 2;
        } else if let Some(dir) = proc_root_value(a) {
            root = dir;
            i += 1;
        } else {
            break;
        }
    }
    let Some(sub) = args.get(i) else {
        return dispatch(&ProcFs::new(root), None, &[]);
    };
    let Ok(rest) = take_proc_root(&args[i + 1..], &mut root) else {
        return missing_dir();
    };
    let sub = sub.to_string_lossy();
    dispatch(&ProcFs::new(root), Some(&sub), &rest)
}

/// Runs subcommand `sub` with its arguments (global options already taken out). ps and top
/// take them as bytes; the clap commands and help pages as text.
fn dispatch(fs: &ProcFs, sub: Option<&str>, raw: &[OsString]) -> i32 {
    let owned: Vec<String> = raw
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let args = &owned[..];
    // No /proc at the root (nothing mounted, a tmpfs over it, a missing --proc-root): procps's
    // message and status for ps and top, a message and status 1 for the other readers. A
    // fixture tree has its host `stat` or process directories; help pages need no /proc.
    let wants_help = args
        .iter()
        .any(|a| a == "--help" || a == "-h" || a == "--version");
    if !wants_help
        && !fs.is_procfs()
        && !fs.root().join("stat").exists()
        && fs.pids().map_or(true, |p| p.is_empty())
    {
        match sub {
            Some("ps" | "top") => {
                errln!("Error, do this: mount -t proc proc /proc");
                return 47;
            }
            Some("ports" | "files" | "inspect") => {
                let dir = fs.root().display();
                errln!("gopsi: {dir}: no proc file system there (mount -t proc proc /proc)");
                return 1;
            }
            _ => {}
        }
    }
    match sub {
        Some("ps") => crate::ps::run_ps(fs, raw),
        Some("top") => match crate::docs::top_long_help(args) {
            Some(help) => emit("top", help.as_bytes(), 0),
            None => crate::top::run(fs, raw),
        },
        Some(name @ ("ports" | "files" | "inspect")) => crate::inspect::run(name, fs, args),
        #[cfg(feature = "serve")]
        Some(name @ ("serve" | "metrics")) => crate::serve::run(name, fs, args),
        Some("generate") => crate::docs::generate(args),
        Some("--version") | Some("-V") => emit(
            "gopsi",
            format!("gopsi {}\n", crate::docs::VERSION).as_bytes(),
            0,
        ),
        // `gopsi help SUB` is `gopsi SUB --help`, through the same code.
        Some("help") if !args.is_empty() => match args {
            [name] if is_command(name) => dispatch(fs, Some(name), &["--help".into()]),
            [name] if name == "help" => dispatch(fs, Some("--help"), &[]),
            _ => usage_error(&format!("unrecognized subcommand '{}'", args.join(" "))),
        },
        Some("--help") | Some("-h") | Some("help") => emit(
            "gopsi",
            crate::docs::command()
                .render_long_help()
                .to_string()
                .as_bytes(),
            0,
        ),
        Some(other) => usage_error(&format!("unrecognized subcommand '{other}'")),
        None => usage_error("a subcommand is required"),
    }
}

/// Whether `name` is one of the documented subcommands (not `help`, not `generate`).
fn is_command(name: &str) -> bool {
    crate::docs::command()
        .get_subcommands()
        .any(|s| s.get_name() == name)
}

/// A usage error: the message, the usage line and a hint on stderr; status 2.
fn usage_error(what: &str) -> i32 {
    err!("gopsi: {what}\n\n{}", crate::docs::command().render_usage());
    errln!("\nFor more information, try 'gopsi --help'.");
    2
}
