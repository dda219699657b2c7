//! The `gopsi` binary: reads the global options, hands the rest to a subcommand, writes its
//! output to stdout, and maps failures to procps's messages and exit statuses.

// Messages go through `err!`/`errln!` (escaped at the edge, [`cli::to_stderr`]), never
// `eprint!`.
#![deny(clippy::print_stderr)]

/// `eprint!` through [`cli::to_stderr`]: control bytes in the message are escaped.
macro_rules! err {
    ($($a:tt)*) => { $crate::cli::to_stderr(&format!($($a)*)) };
}

/// `eprintln!` through [`cli::to_stderr`]: control bytes in the message are escaped.
macro_rules! errln {
    ($($a:tt)*) => { $crate::cli::to_stderr(&format!("{}\n", format_args!($($a)*))) };
}

mod cli;
mod docs;
mod inspect;
mod ps;
mod ps_help;
#[cfg(feature = "serve")]
mod serve;
mod term;
mod top;

fn main() {
    std::process::exit(cli::main(std::env::args_os().collect()));
}
