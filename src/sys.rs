//! The only `unsafe` in gopsi: thin, commented wrappers over libc calls that std and nix lack
//! (the user's locale as an object, never installed process-wide; character classes; local
//! time). Never reads /proc.

use std::sync::OnceLock;

/// The user's locale (`LC_ALL`, `LC_CTYPE`, `LANG`), built once as a locale object with
/// `newlocale`, never installed process-wide: the process's own locale is left alone. Like
/// `setlocale(LC_ALL, "")`, it falls back to "C" when any category names a locale that is not
/// installed.
fn user_locale() -> libc::locale_t {
    static LOC: OnceLock<usize> = OnceLock::new();
    *LOC.get_or_init(|| {
        // SAFETY: newlocale reads the environment and returns a new object (or null); the
        // strings are valid and NUL-terminated. The object is kept for the process's life.
        unsafe {
            let mut l = libc::newlocale(libc::LC_ALL_MASK, c"".as_ptr(), std::ptr::null_mut());
            if l.is_null() {
                l = libc::newlocale(libc::LC_ALL_MASK, c"C".as_ptr(), std::ptr::null_mut());
            }
            l as usize
        }
    }) as libc::locale_t
}

/// Runs `f` with the user's locale as this thread's locale (`uselocale`), then restores the
/// thread's own: for the character functions glibc has no `_l` form of.
fn in_user_locale<R>(f: impl FnOnce() -> R) -> R {
    let loc = user_locale();
    if loc.is_null() {
        return f();
    }
    // SAFETY: `loc` is a valid locale object that is never freed; uselocale only swaps this
    // thread's locale pointer, and the old one is put back before returning.
    let old = unsafe { libc::uselocale(loc) };
    let r = f();
    unsafe { libc::uselocale(old) };
    r
}

/// Whether the user's locale has a UTF-8 character set, as procps decides it
/// (`nl_langinfo(CODESET)` and `MB_CUR_MAX > 1`). Changes nothing process-wide.
pub fn locale_is_utf8() -> bool {
    static UTF8: OnceLock<bool> = OnceLock::new();
    *UTF8.get_or_init(|| {
        unsafe extern "C" {
            fn __ctype_get_mb_cur_max() -> libc::size_t;
        }
        in_user_locale(|| {
            // SAFETY: nl_langinfo returns a pointer to a static NUL-terminated string of the
            // thread's current locale; MB_CUR_MAX likewise reads it.
            unsafe {
                let enc = libc::nl_langinfo(libc::CODESET);
                if enc.is_null() {
                    return false;
                }
                let enc = std::ffi::CStr::from_ptr(enc).to_bytes();
                enc.eq_ignore_ascii_case(b"UTF-8") && __ctype_get_mb_cur_max() > 1
            }
        })
    })
}

/// glibc's `iswprint` for one Unicode scalar value in the user's locale.
pub fn is_printable(c: char) -> bool {
    unsafe extern "C" {
        fn iswprint_l(c: u32, loc: libc::locale_t) -> libc::c_int;
    }
    // SAFETY: iswprint_l is a table lookup on an integer and a valid locale object.
    unsafe { iswprint_l(c as u32, user_locale()) != 0 }
}

/// glibc's `wcwidth` for one Unicode scalar value in the user's locale (-1 for non-printable
/// characters).
pub fn char_width(c: char) -> i32 {
    unsafe extern "C" {
        fn wcwidth(c: libc::wchar_t) -> libc::c_int;
    }
    // SAFETY: wcwidth is a pure table lookup on an integer argument.
    in_user_locale(|| unsafe { wcwidth(c as libc::wchar_t) })
}

/// Broken-down local time, as `localtime_r` gives it (TZ and /etc/localtime honoured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The year (2026).
    pub year: i32,
    /// 0-11
    pub month: i32,
    /// 1-31
    pub mday: i32,
    /// 0-365
    pub yday: i32,
    /// 0 = Sunday
    pub wday: i32,
    /// 0-23
    pub hour: i32,
    /// 0-59
    pub min: i32,
    /// 0-60
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

/// A `NETLINK_SOCK_DIAG` socket (the kernel's socket tables, as `ss` asks for them): opened
/// close-on-exec, with a receive timeout so that a kernel that never answers cannot hang a
/// command. Requests and replies are plain bytes ([`crate::proc::diag`] builds and parses them).
#[derive(Debug)]
pub struct DiagSocket(std::os::fd::OwnedFd);

impl DiagSocket {
    /// Opens the socket; fails where the kernel or a sandbox refuses netlink.
    pub fn open() -> std::io::Result<DiagSocket> {
        use std::os::fd::{AsRawFd, FromRawFd};
        // SAFETY: socket(2) takes integer arguments and returns a new descriptor or -1.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                libc::NETLINK_SOCK_DIAG,
            )
        };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: `fd` is a descriptor we just opened and nothing else owns.
        let s = DiagSocket(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) });
        let tv = libc::timeval {
            tv_sec: 5,
            tv_usec: 0,
        };
        // SAFETY: setsockopt reads `size_of::<timeval>()` bytes from a valid timeval.
        let r = unsafe {
            libc::setsockopt(
                s.0.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&tv as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(s)
    }

    /// Sends one request to the kernel.
    pub fn send(&self, msg: &[u8]) -> std::io::Result<()> {
        use std::os::fd::AsRawFd;
        // SAFETY: sockaddr_nl is plain old data; zeroed it addresses the kernel (pid 0).
        let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        loop {
            // SAFETY: the buffer and the address are valid for the lengths given.
            let n = unsafe {
                libc::sendto(
                    self.0.as_raw_fd(),
                    msg.as_ptr().cast(),
                    msg.len(),
                    0,
                    (&addr as *const libc::sockaddr_nl).cast(),
                    std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            if n >= 0 {
                return Ok(());
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// Receives one datagram into `buf`; its length. A datagram larger than `buf` is an error
    /// (`MSG_TRUNC`), never silently cut.
    pub fn recv(&self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::fd::AsRawFd;
        loop {
            // SAFETY: recv writes at most `buf.len()` bytes into `buf`.
            let n = unsafe {
                libc::recv(
                    self.0.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_TRUNC,
                )
            };
            if n >= 0 {
                let n = n as usize;
                if n > buf.len() {
                    return Err(std::io::Error::other(
                        "netlink reply larger than the buffer",
                    ));
                }
                return Ok(n);
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}
