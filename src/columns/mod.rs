//! The column table: every ps format specifier (and later every top field) is declared once,
//! as a [`Column`] row with its names, header, width, alignment, the /proc files it needs, its
//! typed sort key and its text. `-o`, `--sort`, `ps L`, help, man pages and completions all read
//! this table. Never reads /proc itself: rows format what the reader already read.

/// Declares one [`Column`] row: `col!(name, header, width, Align, needs, key, text, help)`.
macro_rules! col {
    ($name:literal $(| $alias:literal)*, $header:literal, $w:expr, $align:ident, $needs:expr, $key:expr, $text:expr, $help:literal) => {
        $crate::columns::Column {
            name: $name,
            aliases: &[$($alias),*],
            header: $header,
            width: $w,
            align: $crate::format::layout::Align::$align,
            needs: $needs,
            help: $help,
            key: $key,
            text: $text,
        }
    };
}

mod command;
mod ids;
mod memory;
mod misc;
mod sched;
mod state;
mod times;
mod users;

use std::cell::RefCell;
use std::collections::HashMap;

use crate::format::layout::Align;
use crate::proc::{Needs, ProcFs, Process};
use crate::text::Charset;

/// A typed sort value: rows are ordered by this, never by their printed text.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Int(i64),
    Float(f64),
    Text(Vec<u8>),
    /// Text compared like `strverscmp`: digit runs by value (`pts/9` < `pts/10`).
    Version(Vec<u8>),
}

impl Key {
    /// Total order between two keys of one column.
    pub fn compare(&self, other: &Key) -> std::cmp::Ordering {
        use Key::*;
        match (self, other) {
            (Int(a), Int(b)) => a.cmp(b),
            (Float(a), Float(b)) => a.total_cmp(b),
            (Text(a), Text(b)) => a.cmp(b),
            (Version(a), Version(b)) => version_cmp(a, b),
            (Int(_), _) => std::cmp::Ordering::Less,
            (_, Int(_)) => std::cmp::Ordering::Greater,
            (Float(_), _) => std::cmp::Ordering::Less,
            (_, Float(_)) => std::cmp::Ordering::Greater,
            (Text(_), _) => std::cmp::Ordering::Less,
            (_, Text(_)) => std::cmp::Ordering::Greater,
        }
    }
}

/// Natural order of two byte strings: runs of digits compare by value, the rest bytewise.
pub fn version_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering::Equal;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            let sj = j;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (x, y) = (trim_zeros(&a[si..i]), trim_zeros(&b[sj..j]));
            let o = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if o != Equal {
                return o;
            }
        } else {
            let o = a[i].cmp(&b[j]);
            if o != Equal {
                return o;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&c| c == b'0').count();
    &d[k..]
}

/// How wide a column is by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// A fixed number of cells.
    Fixed(usize),
    /// As wide as `pid_max` has digits (at least the header).
    Pid,
}

/// One row handed to a column: the process and its forest prefix (empty outside forests).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub p: &'a Process,
    pub forest: &'a str,
}

/// What a row stands for in a process-then-threads listing (`m`, `-m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowKind {
    /// An ordinary row: every column prints.
    #[default]
    Plain,
    /// The process line: thread-only columns print `-`.
    Process,
    /// A thread line: process-only columns print `-`.
    Thread,
}

/// Appends a cell's text within `max` cells and returns the cells used.
pub type TextFn = fn(&Row, &Ctx, usize, &mut String) -> usize;
/// The typed sort value of a row.
pub type KeyFn = fn(&Process, &Ctx) -> Key;

/// One column (format specifier) of the table.
#[derive(Debug)]
pub struct Column {
    /// The specifier name (`pid`, `%cpu`, `args`).
    pub name: &'static str,
    /// Other names that mean exactly this column (same header and text).
    pub aliases: &'static [&'static str],
    /// Header text.
    pub header: &'static str,
    /// Default width.
    pub width: Width,
    /// Justification class.
    pub align: Align,
    /// /proc files the text and key need (stat is always read).
    pub needs: Needs,
    /// One line for `--help`, man pages and completions.
    pub help: &'static str,
    /// Sort key; `None` where procps cannot sort by this column.
    pub key: Option<KeyFn>,
    /// Cell text.
    pub text: TextFn,
}

/// Which rows of a process-then-threads listing (`m`, `-m`) print a column; the other kind of
/// row prints `-` there (procps-ng 4.0.2's `PO`/`TO` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintOn {
    Every,
    ProcessRows,
    ThreadRows,
}

const THREAD_ONLY: &[&str] = &[
    "blocked",
    "caught",
    "class",
    "cls",
    "cpuid",
    "eip",
    "esp",
    "ignored",
    "intpri",
    "lastcpu",
    "lwp",
    "ni",
    "nice",
    "opri",
    "policy",
    "pri",
    "priority",
    "psr",
    "rtprio",
    "s",
    "sched",
    "sig_block",
    "sig_catch",
    "sig_ignore",
    "sigcatch",
    "sigignore",
    "sigmask",
    "spid",
    "stat",
    "state",
    "tid",
    "wchan",
    "wname",
];
const PROCESS_ONLY: &[&str] = &[
    "%mem",
    "args",
    "cmd",
    "comm",
    "command",
    "drs",
    "dsiz",
    "exe",
    "fname",
    "longtname",
    "m_drs",
    "m_size",
    "m_trs",
    "nlwp",
    "pgid",
    "pgrp",
    "pid",
    "pmem",
    "ppid",
    "pss",
    "rss",
    "rssize",
    "rsz",
    "sess",
    "session",
    "sid",
    "size",
    "stackp",
    "start_stack",
    "sz",
    "tgid",
    "thcount",
    "tname",
    "tpgid",
    "trs",
    "trss",
    "tsiz",
    "tt",
    "tty",
    "tty4",
    "tty8",
    "ucmd",
    "ucomm",
    "uss",
    "vsize",
    "vsz",
];

impl Column {
    /// Which rows print this column in a process-then-threads listing.
    pub fn print_on(&self) -> PrintOn {
        if THREAD_ONLY.contains(&self.name) {
            PrintOn::ThreadRows
        } else if PROCESS_ONLY.contains(&self.name) {
            PrintOn::ProcessRows
        } else {
            PrintOn::Every
        }
    }

    /// Whether `name` is this column's name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }
}

/// The JSON key of a column: its name, with the unit of its raw value where it has one
/// (`rss_kib`, `time_s`), `%` spelled `pct`, and aliases folded to one spelling.
pub fn json_key(c: &Column) -> String {
    let unit = match c.name {
        "vsz" | "vsize" | "rss" | "rsz" | "size" | "drs" | "dsiz" | "trs" | "m_trs" | "trss"
        | "tsiz" | "m_drs" | "pss" | "uss" => "_kib",
        "sz" => "_pages",
        "m_size" => "_bytes",
        "time" | "times" | "etime" | "etimes" => "_s",
        "start_time" | "stime" | "start" | "bsdstart" | "lstart" => "_ticks_after_boot",
        "bsdtime" => "_ticks",
        _ => "",
    };
    let name = match c.name {
        "pcpu" => "%cpu",
        "pmem" => "%mem",
        n => n,
    };
    format!("{}{unit}", name.replace('%', "pct_"))
}

/// The JSON value of a column for a process: numbers for numeric columns (the raw, typed value
/// the column sorts by), the cell's text otherwise.
#[cfg(feature = "serde")]
pub fn json_value(c: &Column, row: &Row, cx: &Ctx) -> serde_json::Value {
    if matches!(c.name, "%mem" | "pmem") {
        let rss = row.p.status.as_ref().and_then(|s| s.vm_rss).unwrap_or(0);
        let pct = rss as f64 * 100.0 / cx.mem_total as f64;
        return serde_json::Number::from_f64(pct).map_or(serde_json::Value::Null, Into::into);
    }
    let numeric = matches!(c.align, Align::Right) && !matches!(c.name, "tty" | "tt" | "tname");
    if numeric {
        match c.key.map(|k| k(row.p, cx)) {
            Some(Key::Int(v)) => return v.into(),
            Some(Key::Float(v)) => {
                return serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into);
            }
            _ => {}
        }
    }
    let mut s = String::new();
    (c.text)(row, cx, crate::format::layout::UNLIMITED_COLS - 1, &mut s);
    s.trim().to_string().into()
}

/// Every column, family by family.
pub fn all() -> impl Iterator<Item = &'static Column> {
    [
        ids::COLUMNS,
        users::COLUMNS,
        times::COLUMNS,
        sched::COLUMNS,
        memory::COLUMNS,
        state::COLUMNS,
        command::COLUMNS,
        misc::COLUMNS,
    ]
    .into_iter()
    .flatten()
}

/// Looks a specifier up by name or alias.
pub fn find(name: &str) -> Option<&'static Column> {
    all().find(|c| c.answers_to(name))
}

/// Options that change what some columns print (ps's global flags).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `S` / `--cumulative`: add dead children's times and faults.
    pub cumulative: bool,
    /// BSD `c`: `args` prints the command name.
    pub bsd_c: bool,
    /// UNIX `-f`: `comm` prints the full command line.
    pub unix_f: bool,
    /// BSD `e`: append the environment after the command.
    pub bsd_e: bool,
    /// BSD `n`: users as numbers.
    pub numeric_users: bool,
}

/// Everything columns need besides the process: host values read once, caches, options.
#[derive(Debug)]
pub struct Ctx {
    /// Clock ticks per second.
    pub hz: u64,
    /// Page size in KiB.
    pub page_kb: u64,
    /// `/proc/uptime` seconds, read once before the walk.
    pub uptime: f64,
    /// Boot time, seconds since the epoch.
    pub btime: u64,
    /// The current time, seconds since the epoch.
    pub now: i64,
    /// `MemTotal`, kB.
    pub mem_total: u64,
    /// Width of PID-like columns.
    pub pid_width: usize,
    /// Character rules of the locale.
    pub charset: Charset,
    /// Behaviour flags.
    pub flags: Flags,
    /// Whether signal columns print all 16 hex digits (set from the layout).
    pub wide_signals: bool,
    /// Cells per level of forest prefix (4 for `f`, 2 for `-H`).
    pub forest_unit: usize,
    fs: ProcFs,
    users: RefCell<HashMap<u32, Option<String>>>,
    groups: RefCell<HashMap<u32, Option<String>>>,
    ttys: RefCell<HashMap<i32, Option<String>>>,
    drivers: RefCell<Option<Vec<crate::proc::tty::Driver>>>,
}

impl Ctx {
    /// Reads the host values ps needs from `fs` (uptime, boot time, MemTotal, pid_max) now.
    pub fn new(fs: &ProcFs, charset: Charset) -> Ctx {
        use crate::proc::host;
        use nix::unistd::{SysconfVar, sysconf};
        let hz = sysconf(SysconfVar::CLK_TCK).ok().flatten().unwrap_or(100) as u64;
        let page = sysconf(SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .unwrap_or(4096) as u64;
        let uptime = fs
            .read_host("uptime")
            .ok()
            .and_then(|b| host::parse_uptime(&b))
            .map_or(0.0, |u| u.up_secs);
        let btime = fs
            .read_host("stat")
            .map_or(0, |b| host::parse_stat(&b).btime);
        let mem_total = fs
            .read_host("meminfo")
            .map_or(0, |b| host::parse_meminfo(&b).mem_total);
        let pid_max_len = fs
            .read_host("sys/kernel/pid_max")
            .map_or(5, |b| host::pid_max_len(&b));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Ctx {
            hz: hz.max(1),
            page_kb: (page / 1024).max(1),
            uptime,
            btime,
            now,
            mem_total: mem_total.max(1),
            pid_width: pid_max_len,
            charset,
            flags: Flags::default(),
            wide_signals: false,
            forest_unit: 4,
            fs: fs.clone(),
            users: RefCell::default(),
            groups: RefCell::default(),
            ttys: RefCell::default(),
            drivers: RefCell::default(),
        }
    }

    /// Overrides "now" (seconds since the epoch): for fixtures with a pinned clock.
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    /// The width of `c` in this context.
    pub fn width_of(&self, c: &Column) -> usize {
        match c.width {
            Width::Fixed(w) => w,
            Width::Pid => self.pid_width.max(c.header.len()),
        }
    }

    /// User name of `uid`, cached; `None` when unknown or 33 bytes or longer (procps prints
    /// the number then).
    pub fn user_name(&self, uid: u32) -> Option<String> {
        self.users
            .borrow_mut()
            .entry(uid)
            .or_insert_with(|| {
                let u = uzers::get_user_by_uid(uid)?;
                let name = u.name().to_string_lossy().into_owned();
                (name.len() < 33).then_some(name)
            })
            .clone()
    }

    /// Group name of `gid`, cached, with the same rules as [`Ctx::user_name`].
    pub fn group_name(&self, gid: u32) -> Option<String> {
        self.groups
            .borrow_mut()
            .entry(gid)
            .or_insert_with(|| {
                let g = uzers::get_group_by_gid(gid)?;
                let name = g.name().to_string_lossy().into_owned();
                (name.len() < 33).then_some(name)
            })
            .clone()
    }

    /// Name of the controlling terminal (`pts/0`, `tty1`), `None` for no tty or an unknown one.
    pub fn tty_name(&self, p: &Process) -> Option<String> {
        use crate::proc::tty;
        let nr = p.stat.tty_nr;
        if nr == 0 {
            return None;
        }
        if let Some(hit) = self.ttys.borrow().get(&nr) {
            return hit.clone();
        }
        let dev = nr as u32;
        let (maj, min) = (tty::major(dev), tty::minor(dev));
        let mut drivers = self.drivers.borrow_mut();
        let drivers = drivers.get_or_insert_with(|| {
            self.fs
                .read_host("tty/drivers")
                .map(|b| tty::parse_drivers(&b))
                .unwrap_or_default()
        });
        if let Some(n) = tty::driver_name(drivers, maj, min) {
            let n = tty::abbreviate(&n);
            self.ttys.borrow_mut().insert(nr, Some(n.clone()));
            return Some(n);
        }
        // The per-process fallbacks are not cached: they depend on the process's own fds.
        let link = |name| {
            self.fs
                .read_link(p.pid, name)
                .and_then(|t| tty::link_name(&t, maj, min))
        };
        let found = link("fd/2")
            .or_else(|| tty::guess_name(maj, min))
            .or_else(|| link("fd/255"));
        found.map(|n| tty::abbreviate(&n))
    }

    /// Seconds the process has existed, procps's way (from uptime in whole ticks; 0 if negative).
    pub fn elapsed(&self, p: &Process) -> f64 {
        let boot_tics = (self.uptime * self.hz as f64) as u64;
        let t = boot_tics.wrapping_sub(p.stat.starttime) as f64;
        if t > 0.0 { t / self.hz as f64 } else { 0.0 }
    }

    /// CPU ticks, with dead children's when `cumulative`.
    pub fn cpu_ticks(&self, p: &Process) -> u64 {
        let s = &p.stat;
        let t = s.utime + s.stime;
        if self.flags.cumulative {
            t + s.cutime + s.cstime
        } else {
            t
        }
    }

    /// Start time, seconds since the epoch.
    pub fn start_epoch(&self, p: &Process) -> i64 {
        (self.btime + p.stat.starttime / self.hz) as i64
    }
}

/// Appends plain ASCII text and returns its length (numbers and fixed words).
pub(crate) fn put(out: &mut String, s: impl std::fmt::Display) -> usize {
    use std::fmt::Write;
    let before = out.len();
    let _ = write!(out, "{s}");
    out.len() - before
}

/// procps's user-name fitting: whole if it fits in `max`, else cut with `+` when the cut falls
/// on ASCII, else the number.
pub(crate) fn put_name(
    out: &mut String,
    cx: &Ctx,
    name: Option<String>,
    id: u32,
    max: usize,
) -> usize {
    if let Some(name) = name.filter(|_| !cx.flags.numeric_users) {
        let mut esc = String::new();
        let cells = crate::text::escape(
            name.as_bytes(),
            cx.charset,
            crate::format::layout::UNLIMITED_COLS,
            &mut esc,
        );
        if cells <= max {
            out.push_str(&esc);
            return cells;
        }
        if max >= 1 && esc.as_bytes().get(max - 1).is_some_and(|&b| b < 127) {
            out.push_str(&esc[..max - 1]);
            out.push('+');
            return max;
        }
    }
    put(out, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique() {
        let mut seen = HashSet::new();
        for c in all() {
            for n in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                assert!(seen.insert(n), "duplicate specifier {n}");
            }
        }
    }

    #[test]
    fn every_column_has_help_and_header_fits_rules() {
        for c in all() {
            assert!(!c.help.is_empty(), "{} has no help", c.name);
            assert!(
                !c.header.contains(' ') || c.align == Align::Literal,
                "{}",
                c.name
            );
        }
    }
}
