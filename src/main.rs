//! The `gopsi` binary: reads the global options, hands the rest to a subcommand, writes its
//! output to stdout, and maps failures to procps's messages and exit statuses.

fn main() {
    std::process::exit(gopsi::cli::main(std::env::args_os().collect()));
}
