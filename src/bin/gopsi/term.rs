//! The terminal and the process's signals, for the binary only: whether a descriptor is a
//! terminal and its size, termination signals turned into a flag, renice. Safe wrappers over
//! `std`, `rustix` and `signal-hook` (no `unsafe` here). Never reads /proc.

use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Whether `fd` is a terminal.
pub fn isatty(fd: impl AsFd) -> bool {
    rustix::termios::isatty(fd)
}

/// The terminal size (columns, rows) of `fd`, if it is a terminal that reports one.
pub fn winsize(fd: impl AsFd) -> Option<(u16, u16)> {
    rustix::termios::tcgetwinsize(fd)
        .ok()
        .map(|w| (w.ws_col, w.ws_row))
}

/// `setpriority(PRIO_PROCESS, pid, nice)`: renices one process (top's `r` command).
pub fn renice(pid: i32, nice: i32) -> std::io::Result<()> {
    let pid = rustix::process::Pid::from_raw(pid);
    rustix::process::setpriority_process(pid, nice).map_err(Into::into)
}

fn term_flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// Makes SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM (and SIGHUP unless `ignore_hup`,
/// which then does nothing) end top as procps's top ends on them (status 0): they set a flag that [`term_requested`] reports, so a loop can clean up (restore the terminal,
/// print top's final newline) instead of dying.
pub fn catch_term_signals(ignore_hup: bool) {
    use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
    for sig in [SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(term_flag()));
    }
    let hup = if ignore_hup {
        Arc::new(AtomicBool::new(false))
    } else {
        Arc::clone(term_flag())
    };
    let _ = signal_hook::flag::register(SIGHUP, hup);
}

/// Gives SIGHUP its default action back (terminate). The interactive screen uses this: after a
/// hangup there is no terminal left to restore, and the terminal library's reader would
/// otherwise spin on the dead terminal's end-of-file.
pub fn default_hangup() {
    let always = Arc::new(AtomicBool::new(true));
    let _ = signal_hook::flag::register_conditional_default(signal_hook::consts::SIGHUP, always);
}

/// Whether a signal caught by [`catch_term_signals`] arrived.
pub fn term_requested() -> bool {
    term_flag().load(Ordering::SeqCst)
}
