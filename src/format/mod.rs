//! Text layout shared by the commands: procps's ps row algorithm ([`layout`]) and local
//! times. Never reads /proc.

pub mod layout;

/// A time as local `YYYY-MM-DD HH:MM:SS` (the number itself when libc cannot convert it).
pub fn local_time(epoch: i64) -> String {
    match crate::sys::localtime(epoch) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year,
            t.month + 1,
            t.mday,
            t.hour,
            t.min,
            t.sec
        ),
        None => epoch.to_string(),
    }
}
