//! The command line of the `gopsi` binary: global options, subcommand dispatch, and the
//! stdout/stderr edge (a broken pipe is a quiet exit). `ps` and `top` arguments are parsed by
//! hand in the library; clap defines the rest and documents everything ([`crate::docs`]).

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use gopsi::proc::ProcFs;

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
        Some("ps") => crate::ps::run_ps(&fs, &args[i + 1..]),
        Some("top") => crate::top::run(&fs, &args[i + 1..]),
        Some(name @ ("ports" | "files" | "inspect")) => {
            crate::inspect::run(name, &fs, &args[i + 1..])
        }
        #[cfg(feature = "serve")]
        Some(name @ ("serve" | "metrics")) => crate::serve::run(name, &fs, &args[i + 1..]),
        Some("generate") => crate::docs::generate(&args[i + 1..]),
        Some("--version") | Some("-V") => {
            let _ = write_stdout(format!("gopsi {}\n", env!("CARGO_PKG_VERSION")).as_bytes());
            0
        }
        Some("--help") | Some("-h") | Some("help") => {
            let _ = write_stdout(
                crate::docs::command()
                    .render_long_help()
                    .to_string()
                    .as_bytes(),
            );
            0
        }
        other => {
            let what = other.map_or("a subcommand is required".to_string(), |o| {
                format!("unrecognized subcommand '{o}'")
            });
            eprint!("gopsi: {what}\n\n{}", crate::docs::command().render_usage());
            eprintln!("\nFor more information, try 'gopsi --help'.");
            2
        }
    }
}
