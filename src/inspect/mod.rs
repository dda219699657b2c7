//! Beyond ps and top: open files (`files`), sockets with their owners (`ports`) and one process
//! in full (`inspect`). (Being built: see the inspect issue.)

use crate::proc::ProcFs;

/// The clap definitions of `gopsi ports`, `gopsi files` and `gopsi inspect`.
pub fn commands() -> Vec<clap::Command> {
    vec![
        clap::Command::new("ports")
            .about("Open sockets and the processes that own them, like ss -tulpn"),
        clap::Command::new("files").about("Open file descriptors of processes, like lsof -p"),
        clap::Command::new("inspect")
            .about("One process in full: identity, state, memory, files, ports"),
    ]
}

/// Runs `gopsi NAME ARGS` for `ports`, `files` or `inspect`; returns the exit status.
pub fn run(name: &str, _fs: &ProcFs, _args: &[String]) -> i32 {
    eprintln!("gopsi: {name} is not built yet");
    1
}
