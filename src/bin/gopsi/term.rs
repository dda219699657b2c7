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

/// Whether a signal caught by [`catch_term_signals`] arrived.
pub fn term_requested() -> bool {
    term_flag().load(Ordering::SeqCst)
}

/// What the interactive screen's input gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A key.
    Key(crate::top::input::Key),
    /// The terminal was resized (SIGWINCH).
    Resize,
    /// Nothing within the wait.
    Timeout,
    /// The terminal is gone (end of file or an error on stdin, as after a hangup).
    Closed,
}

fn winch_flag() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&flag));
        flag
    })
}

/// Starts noting terminal resizes for [`next_input`].
pub fn watch_resize() {
    winch_flag();
}

/// Keys decoded from one read and not yet taken by [`next_input`].
static PENDING: std::sync::Mutex<std::collections::VecDeque<crate::top::input::Key>> =
    std::sync::Mutex::new(std::collections::VecDeque::new());

/// Drops the keys typed ahead (decoded or still in the terminal's queue), as procps's
/// `tcflush(STDIN_FILENO, TCIFLUSH)` after drawing an inspect view.
pub fn discard_input() {
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let _ = rustix::termios::tcflush(std::io::stdin(), rustix::termios::QueueSelector::IFlush);
}

/// The next key from stdin (a raw-mode terminal), waiting at most `wait`: keys left from an
/// earlier read come first; a resize or a signal ends the wait early. One `read` of at most
/// 64 bytes per call, so an escape sequence arrives whole.
pub fn next_input(wait: std::time::Duration) -> std::io::Result<Input> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = pending.pop_front() {
        return Ok(Input::Key(k));
    }
    if winch_flag().swap(false, Ordering::SeqCst) {
        return Ok(Input::Resize);
    }
    let stdin = std::io::stdin();
    let ts = Timespec {
        tv_sec: wait.as_secs() as i64,
        tv_nsec: i64::from(wait.subsec_nanos()),
    };
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    match poll(&mut fds, Some(&ts)) {
        Ok(0) => return Ok(Input::Timeout),
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => {
            let resized = winch_flag().swap(false, Ordering::SeqCst);
            return Ok(if resized {
                Input::Resize
            } else {
                Input::Timeout
            });
        }
        Err(e) => return Err(e.into()),
    }
    let mut buf = [0u8; 64];
    match rustix::io::read(&stdin, &mut buf) {
        Ok(0) => Ok(Input::Closed),
        Ok(n) => {
            pending.extend(crate::top::input::decode(&buf[..n]));
            Ok(pending.pop_front().map_or(Input::Timeout, Input::Key))
        }
        Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => Ok(Input::Timeout),
        // A hung-up terminal reads as EIO.
        Err(_) => Ok(Input::Closed),
    }
}

/// Raises the soft limit on open descriptors to the hard limit, so top can keep a `stat` file
/// open per task between frames (as the Go runtime does for every program); a failure leaves
/// the limit as it was.
pub fn raise_fd_limit() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let lim = getrlimit(Resource::Nofile);
    if lim.current < lim.maximum {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: lim.maximum,
                maximum: lim.maximum,
            },
        );
    }
}
