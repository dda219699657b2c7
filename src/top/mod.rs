//! `gopsi top`: procps-ng 4.0.2's top, batch mode byte for byte and an interactive screen.
//! (Being built: see the top issue.)

use crate::proc::ProcFs;

/// The clap definition of `gopsi top` (help, man page and completions).
pub fn command() -> clap::Command {
    clap::Command::new("top").about("Display processes, like procps top (batch mode byte for byte)")
}

/// Runs `gopsi top ARGS`; returns the exit status.
pub fn run(_fs: &ProcFs, _args: &[String]) -> i32 {
    eprintln!("gopsi: top is not built yet");
    1
}
