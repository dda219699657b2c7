//! The `gopsi` binary: reads the global options, hands the rest to a subcommand, writes its
//! output to stdout, and maps failures to procps's messages and exit statuses.

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
