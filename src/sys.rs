//! The only `unsafe` in gopsi: thin, commented wrappers over libc calls that std and nix lack
//! (locale set-up and character classes, local time). Never reads /proc.

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
