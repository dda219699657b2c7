//! The column table: every ps format specifier (and later every top field) is declared once,
//! as a [`Column`] row with its names, header, width, alignment, the /proc files it needs, its
//! typed sort key and its text. `-o`, `--sort`, `ps L`, help, man pages and completions all read
//! this table. Never reads /proc itself: rows format what the reader already read.

/// Declares one [`Column`] row: `col!(name, header, width, Align, needs, key, text, help)`.
/// `sort` is the item procps sorts the column by (`None`: procps cannot sort by it); the value
/// (what JSON and the library report) is the same item unless `=> value` names another one, or
/// `=> None` for text columns whose sort item is a number.
macro_rules! col {
    ($name:literal $(| $alias:literal)*, $header:literal, $w:expr, $align:ident, $needs:expr, $sort:expr, $text:expr, $help:literal) => {
        col!($name $(| $alias)*, $header, $w, $align, $needs, $sort => $sort, $text, $help)
    };
    ($name:literal $(| $alias:literal)*, $header:literal, $w:expr, $align:ident, $needs:expr, $sort:expr => $value:expr, $text:expr, $help:literal) => {
        $crate::columns::Column {
            name: $name,
            aliases: &[$($alias),*],
            header: $header,
            width: $w,
            align: $crate::format::layout::Align::$align,
            needs: $needs,
            help: $help,
            sort: $sort,
            value: $value,
            text: $text,
        }
    };
}

mod command;
mod ids;
mod memory;
mod misc;
mod placeholders;
mod sched;
mod state;
mod times;
mod users;

use crate::format::layout::Align;
use crate::items::{Item, Unit};
use crate::proc::{Needs, Process};
pub use crate::snapshot::{Ctx, Flags};

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
    /// The process (or thread).
    pub p: &'a Process,
    /// Its forest prefix (` \\_ ` branches or indentation).
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
    /// The item procps sorts this column by; `None` where procps cannot sort by it (and then
    /// `ps L` does not list it).
    pub sort: Option<Item>,
    /// The item whose value the cell shows (JSON and the library report it); `None` when the
    /// cell is text.
    pub value: Option<Item>,
    /// Cell text.
    pub text: TextFn,
}

/// Which rows of a process-then-threads listing (`m`, `-m`) print a column; the other kind of
/// row prints `-` there (procps-ng 4.0.2's `PO`/`TO` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintOn {
    /// Every row.
    Every,
    /// Process rows only.
    ProcessRows,
    /// Thread rows only.
    ThreadRows,
}

const THREAD_ONLY: &[&str] = &[
    "blocked",
    "bnd",
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
    "mwchan",
    "ni",
    "nice",
    "oom",
    "oomadj",
    "opri",
    "policy",
    "pri",
    "pri_api",
    "pri_bar",
    "pri_baz",
    "pri_foo",
    "priority",
    "pset",
    "psr",
    "psxpri",
    "rbytes",
    "rchars",
    "rops",
    "rtprio",
    "s",
    "sched",
    "sgi_p",
    "sig_block",
    "sig_catch",
    "sig_ignore",
    "sigcatch",
    "sigignore",
    "sigmask",
    "spid",
    "stat",
    "state",
    "taskid",
    "tid",
    "upr",
    "usrpri",
    "wbytes",
    "wcbytes",
    "wchan",
    "wchars",
    "wname",
    "wops",
];
const PROCESS_ONLY: &[&str] = &[
    "%mem",
    "argc",
    "args",
    "cgname",
    "cgroup",
    "cmd",
    "comm",
    "command",
    "drs",
    "dsiz",
    "emul",
    "end_code",
    "environ",
    "exe",
    "fname",
    "jid",
    "longtname",
    "m_drs",
    "m_lrs",
    "m_resident",
    "m_size",
    "m_trs",
    "nlwp",
    "osz",
    "pgid",
    "pgrp",
    "pid",
    "pmem",
    "ppid",
    "prmgrp",
    "prmid",
    "project",
    "projid",
    "pss",
    "resident",
    "rss",
    "rssize",
    "rsz",
    "sess",
    "session",
    "sgi_rss",
    "share",
    "sid",
    "size",
    "stackp",
    "start_code",
    "start_stack",
    "sz",
    "tgid",
    "thcount",
    "tname",
    "tpgid",
    "trs",
    "trss",
    "tsess",
    "tsession",
    "tsid",
    "tsiz",
    "tt",
    "tty",
    "tty4",
    "tty8",
    "ucmd",
    "ucomm",
    "uss",
    "vm_data",
    "vm_exe",
    "vm_lock",
    "vm_stack",
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

    /// Why `cx` cannot give this column's text: procps's `ps` ends with this message (status 1)
    /// when it comes to the first such cell, having printed the cells before it. `%mem` needs
    /// `MemTotal`; the start-time columns need the boot time.
    pub fn host_missing(&self, cx: &Ctx) -> Option<&'static str> {
        match self.name {
            "%mem" if !cx.mem_total_known => Some("Unable to get total memory"),
            "start_time" | "stime" | "start" | "bsdstart" | "lstart" if !cx.btime_known => {
                Some("Unable to get system boot time")
            }
            _ => None,
        }
    }

    /// The width of this column in `cx`.
    pub fn width_in(&self, cx: &Ctx) -> usize {
        match self.width {
            Width::Fixed(w) => w,
            Width::Pid => cx.pid_width.max(self.header.len()),
        }
    }

    /// Whether `name` is this column's name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }
}

/// The JSON key of a column: its name with the unit of its value (`rss_kib`, `time_s`; not
/// repeated when the name says it, as in `rbytes`), `%` spelled `pct_`, and aliases folded to
/// one spelling.
pub fn json_key(c: &Column) -> String {
    let name = match c.name {
        "pcpu" => "%cpu",
        "pmem" => "%mem",
        n => n,
    };
    let unit = c.value.map_or(Unit::Text, |v| v.def().unit);
    let says_it = name.ends_with("bytes") || name.ends_with("chars");
    let suffix = if says_it { "" } else { unit.json_suffix() };
    format!("{}{suffix}", name.replace('%', "pct_"))
}

/// The JSON value of a column for a process: the number the cell shows, in the unit of
/// [`json_key`], for columns with a numeric value item (`null` where the cell shows no number,
/// as `-` or `xx`); the cell's text otherwise.
#[cfg(feature = "serde")]
pub fn json_value(c: &Column, row: &Row, cx: &Ctx) -> serde_json::Value {
    let mut s = String::new();
    (c.text)(row, cx, crate::format::layout::UNLIMITED_COLS - 1, &mut s);
    let text = s.trim();
    let item = c.value.filter(|i| i.def().unit != Unit::Text);
    match item {
        Some(_) if !text.bytes().any(|b| b.is_ascii_digit()) => serde_json::Value::Null,
        Some(i) => match i.value(row.p, cx) {
            crate::items::Value::Int(v) => v.into(),
            crate::items::Value::Float(v) => {
                serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into)
            }
            _ => text.into(),
        },
        None => text.into(),
    }
}

/// The raw bytes of the name a text column shows (command name, command line, executable,
/// control group path, user and group names), before escaping and forest prefix: what `ps --json` adds as `KEY_bytes`
/// when they are not valid UTF-8 (the rule of [`crate::json`]). `None` for other columns.
pub fn raw_name(c: &Column, row: &Row, cx: &Ctx) -> Option<Vec<u8>> {
    let p = row.p;
    let argv = || crate::items::values::args_raw(p);
    match c.name {
        "args" | "cmd" if cx.flags.bsd_c => Some(p.stat.comm.clone()),
        "args" | "cmd" => Some(argv()),
        "comm" | "ucmd" if cx.flags.unix_f => Some(argv()),
        "comm" | "ucmd" => Some(p.stat.comm.clone()),
        "fname" => Some(p.stat.comm[..p.stat.comm.len().min(8)].to_vec()),
        "exe" => p.exe.clone(),
        "cgroup" => Some(crate::items::values::cgroup_text(p)),
        "cgname" => Some(crate::items::values::cgname_text(p)),
        _ => {
            use crate::items::values::{gid, uid};
            let user = |i| cx.user_name_bytes(uid(p, i));
            let group = |i| cx.group_name_bytes(gid(p, i));
            match c.value? {
                Item::Ruser => user(0),
                Item::Euser => user(1),
                Item::Suser => user(2),
                Item::Fuser => user(3),
                Item::Rgroup => group(0),
                Item::Egroup => group(1),
                Item::Sgroup => group(2),
                Item::Fgroup => group(3),
                _ => None,
            }
        }
    }
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
        placeholders::COLUMNS,
    ]
    .into_iter()
    .flatten()
}

/// Looks a specifier up by name or alias.
pub fn find(name: &str) -> Option<&'static Column> {
    all().find(|c| c.answers_to(name))
}

/// Appends plain ASCII text and returns its length (numbers and fixed words).
pub(crate) fn put(out: &mut String, s: impl std::fmt::Display) -> usize {
    use std::fmt::Write;
    let before = out.len();
    let _ = write!(out, "{s}");
    out.len() - before
}

/// procps's user-name fitting: whole if it fits in `max`, else cut with `+` when the cut falls
/// on ASCII, else the number; a uid without a name is fitted as its digits. `n` prints the
/// number whole.
pub(crate) fn put_name(
    out: &mut String,
    cx: &Ctx,
    name: Option<String>,
    id: u32,
    max: usize,
) -> usize {
    if cx.flags.numeric_users {
        return put(out, id);
    }
    // A uid with no name is fitted like a name: its digits, cut with `+` (procps: `42+`).
    {
        let name = name.unwrap_or_else(|| id.to_string());
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
