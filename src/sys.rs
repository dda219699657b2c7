//! The only `unsafe` in gopsi: thin, commented wrappers over libc calls that std and nix lack
//! (locale set-up and character classes, local time, terminal size, renice, termination
//! signals). Never reads /proc.

use std::sync::OnceLock;

/// Applies the user's locale (`setlocale(LC_ALL, "")`) once and reports whether its character
/// set is UTF-8, as procps decides it (`nl_langinfo(CODESET)` and `MB_CUR_MAX > 1`).
pub fn locale_is_utf8() -> bool {
    static UTF8: OnceLock<bool> = OnceLock::new();
    *UTF8.get_or_init(|| {
        // SAFETY: called once (OnceLock) with a valid NUL-terminated string; gopsi's worker
        // threads never touch the locale, and this runs before any character-class call.
        unsafe extern "C" {
            fn __ctype_get_mb_cur_max() -> libc::size_t;
        }
        unsafe {
            libc::setlocale(libc::LC_ALL, c"".as_ptr());
            let enc = libc::nl_langinfo(libc::CODESET);
            if enc.is_null() {
                return false;
            }
            let enc = std::ffi::CStr::from_ptr(enc).to_bytes();
            enc.eq_ignore_ascii_case(b"UTF-8") && __ctype_get_mb_cur_max() > 1
        }
    })
}

/// glibc's `iswprint` for one Unicode scalar value in the current locale.
pub fn is_printable(c: char) -> bool {
    unsafe extern "C" {
        fn iswprint(c: u32) -> libc::c_int;
    }
    // SAFETY: iswprint is a pure table lookup on an integer argument.
    unsafe { iswprint(c as u32) != 0 }
}

/// glibc's `wcwidth` for one Unicode scalar value (-1 for non-printable characters).
pub fn char_width(c: char) -> i32 {
    unsafe extern "C" {
        fn wcwidth(c: libc::wchar_t) -> libc::c_int;
    }
    // SAFETY: wcwidth is a pure table lookup on an integer argument.
    unsafe { wcwidth(c as libc::wchar_t) }
}

/// Broken-down local time, as `localtime_r` gives it (TZ and /etc/localtime honoured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    /// 0-11
    pub month: i32,
    /// 1-31
    pub mday: i32,
    /// 0-365
    pub yday: i32,
    /// 0 = Sunday
    pub wday: i32,
    pub hour: i32,
    pub min: i32,
    pub sec: i32,
}

/// Converts seconds since the epoch to local time; `None` when libc cannot represent it.
pub fn localtime(t: i64) -> Option<LocalTime> {
    let t: libc::time_t = t as libc::time_t;
    // SAFETY: tm is plain old data, zeroed is a valid value; localtime_r only writes into it
    // and is thread-safe (it reads TZ under glibc's own lock).
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::localtime_r(&t, &mut tm) };
    if r.is_null() {
        return None;
    }
    Some(LocalTime {
        year: tm.tm_year + 1900,
        month: tm.tm_mon,
        mday: tm.tm_mday,
        yday: tm.tm_yday,
        wday: tm.tm_wday,
        hour: tm.tm_hour,
        min: tm.tm_min,
        sec: tm.tm_sec,
    })
}

/// Whether `fd` is a terminal.
pub fn isatty(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor number.
    unsafe { libc::isatty(fd) == 1 }
}

/// The terminal size (columns, rows) of `fd`, if it is a terminal that reports one.
pub fn winsize(fd: i32) -> Option<(u16, u16)> {
    // SAFETY: TIOCGWINSZ writes one `winsize` struct into the pointer we pass, which is valid.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (r == 0).then_some((ws.ws_col, ws.ws_row))
}

/// `setpriority(PRIO_PROCESS, pid, nice)`: renices one process (top's `r` command).
pub fn renice(pid: i32, nice: i32) -> std::io::Result<()> {
    // SAFETY: setpriority takes plain integers and touches no memory of ours.
    let r = unsafe { libc::setpriority(libc::PRIO_PROCESS, pid as libc::id_t, nice) };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The soft limit on open files of another process through `prlimit(2)` (one system call
/// instead of reading and parsing `/proc/PID/limits`); `u64::MAX` for unlimited. `None` when
/// the caller may not read it (another user's process, unprivileged) or the process is gone.
pub fn nofile_soft_limit(pid: i32) -> Option<u64> {
    let mut old = libc::rlimit64 {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: with a null new limit prlimit64 only writes the current one into `old`, a valid
    // struct we own; it touches no other memory.
    let r = unsafe { libc::prlimit64(pid, libc::RLIMIT_NOFILE, std::ptr::null(), &mut old) };
    (r == 0).then_some(if old.rlim_cur == libc::RLIM64_INFINITY {
        u64::MAX
    } else {
        old.rlim_cur
    })
}

static TERM_REQUESTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn note_term_signal(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    TERM_REQUESTED.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Makes SIGINT, SIGTERM, SIGQUIT (and SIGHUP unless `ignore_hup`, which ignores it instead)
/// set a flag that [`term_requested`] reports, so a loop can clean up (restore the terminal,
/// print top's final newline) instead of dying.
pub fn catch_term_signals(ignore_hup: bool) {
    let handler = note_term_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGQUIT, libc::SIGHUP] {
        let h = if sig == libc::SIGHUP && ignore_hup {
            libc::SIG_IGN
        } else {
            handler
        };
        // SAFETY: the handler only stores to an atomic; sigaction reads the struct we pass.
        // SA_RESTART is left off so a blocking wait returns early with EINTR.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = h;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Gives SIGHUP its default action back (terminate). The interactive screen uses this: after a
/// hangup there is no terminal left to restore, and the terminal library's reader would
/// otherwise spin on the dead terminal's end-of-file.
pub fn default_hangup() {
    // SAFETY: resetting one signal's disposition to SIG_DFL with a zeroed, valid sigaction.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGHUP, &sa, std::ptr::null_mut());
    }
}

/// Whether a signal caught by [`catch_term_signals`] arrived.
pub fn term_requested() -> bool {
    TERM_REQUESTED.load(std::sync::atomic::Ordering::SeqCst)
}
