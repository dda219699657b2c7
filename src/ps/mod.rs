//! `gopsi ps`: procps-ng 4.0.2's ps. [`argv`] turns a command line into [`Options`]; this module
//! selects, sorts and lays out the rows. Rendering is pure (snapshot + options → text); only
//! [`run`] touches /proc, the environment and stdout.

pub mod argv;
mod presets;
pub mod spec;

use crate::columns::{self, Column, Ctx, PrintOn, Row, RowKind};
use crate::format::layout::{Align, Layout, Slot};
use crate::items::Value;
use crate::proc::{Needs, ProcFs, Process};
use crate::text::Charset;

/// One output column as chosen on the command line.
#[derive(Debug, Clone)]
pub enum FmtItem {
    /// A table column, with optional `:WIDTH` and `=HEADER` overrides.
    Column {
        /// The column.
        col: &'static Column,
        /// `:WIDTH`, when given.
        width: Option<usize>,
        /// `=HEADER`, when given (empty for no header).
        header: Option<String>,
    },
    /// AIX literal text between `%` descriptors.
    Literal(String),
}

impl FmtItem {
    /// A plain column by specifier name (panics only on a name missing from the table, which
    /// the table tests rule out for every preset).
    pub fn named(name: &str) -> FmtItem {
        FmtItem::Column {
            col: columns::find(name)
                .unwrap_or_else(|| panic!("preset names unknown column {name}")),
            width: None,
            header: None,
        }
    }
}

/// One sort key.
#[derive(Debug, Clone, Copy)]
pub struct SortKey {
    /// The column whose sort item orders the rows.
    pub col: &'static Column,
    /// `-KEY`: largest first.
    pub descending: bool,
}

/// What a selection list matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `-p`, `p`, `--pid`: process IDs.
    Pid,
    /// `-q`, `q`, `--quick-pid`: process IDs, nothing else read.
    QuickPid,
    /// `--ppid`: parent process IDs.
    Ppid,
    /// Process group IDs (trailing `-PGRP` arguments).
    Pgrp,
    /// Session IDs (`-s`, `--sid`, `-g` with numbers, trailing `+SID`).
    Sess,
    /// `-t`, `t`, `--tty`: terminal device numbers.
    Tty,
    /// `-u`, `U`, `--user`: effective user IDs.
    Euid,
    /// `-U`, `--User`: real user IDs.
    Ruid,
    /// Effective group IDs (`-g` with names, `--group`).
    Egid,
    /// `-G`, `--Group`: real group IDs.
    Rgid,
    /// `-C`: command names.
    Comm,
}

/// A selection list (`-p 1,2`, `-u root`, `-C sshd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelList {
    /// What the values are.
    pub kind: ListKind,
    /// Numeric values (pids, ids, tty device numbers).
    pub nums: Vec<i64>,
    /// Command names for [`ListKind::Comm`].
    pub names: Vec<Vec<u8>>,
}

/// Which processes to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `-e`, `-A`, `ax`: everything.
    pub all: bool,
    /// procps's table of (same euid, session leader, no tty, same tty) → accept bits; 0 when
    /// only lists select.
    pub table: u16,
    /// Whether the table applies (simple selection given, or no lists).
    pub use_table: bool,
    /// The lists given; a process matching any of them is selected.
    pub lists: Vec<SelList>,
    /// `-N`, `--deselect`.
    pub negate: bool,
    /// BSD `r`.
    pub running_only: bool,
}

/// How threads are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Threads {
    /// One row per process.
    #[default]
    None,
    /// One row per thread (`-L`, `-T`, `H`).
    Rows,
    /// A process row followed by its thread rows (`m`, `-m`).
    AfterProcess,
}

/// Forest drawing style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forest {
    /// BSD `f` and `--forest`: ` \_ ` branches.
    Ascii,
    /// UNIX `-H`: two spaces per level.
    Indent,
}

/// Header lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Headers {
    #[default]
    /// One header line at the top.
    Once,
    /// No header (`--no-headers`, BSD `h`).
    None,
    /// `--headers`: repeat every screen.
    Repeat,
}

/// A parsed ps command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Which processes.
    pub select: Selection,
    /// The columns, in order.
    pub format: Vec<FmtItem>,
    /// Sort keys, first key first.
    pub sort: Vec<SortKey>,
    /// Forest drawing, when asked for.
    pub forest: Option<Forest>,
    /// Thread rows.
    pub threads: Threads,
    /// Column modifiers (`c`, `e`, `n`, `-y`, ...).
    pub flags: columns::Flags,
    /// Header lines.
    pub headers: Headers,
    /// Output width from the environment and options (procps's `screen_cols`).
    pub screen_cols: usize,
    /// Screen rows (for `--headers`).
    pub screen_rows: usize,
    /// The quick-pid list (`-q`): printed in this order, nothing else is read.
    pub quick: Option<Vec<i32>>,
    /// `--json` (a gopsi extension): the selected columns as a JSON array of objects.
    pub json: bool,
}

/// Facts about the ps process itself that selection needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Me {
    /// ps's effective user ID.
    pub euid: u32,
    /// ps's controlling terminal device number (0 when none).
    pub tty: i32,
    /// The locale's character rules (`-C` matches the escaped command name, as procps does).
    pub charset: Option<Charset>,
}

/// Which /proc files `opts` needs per process.
pub fn needs(opts: &Options) -> Needs {
    let mut n = Needs::STAT;
    for item in &opts.format {
        if let FmtItem::Column { col, .. } = item {
            n |= col.needs;
        }
    }
    for k in &opts.sort {
        n |= k.col.needs;
    }
    if opts.flags.unix_f {
        n |= Needs::CMDLINE;
    }
    if opts.flags.bsd_e {
        n |= Needs::ENVIRON;
    }
    let s = &opts.select;
    if !s.all && s.use_table && s.table != 0 {
        n |= Needs::OWNER; // the table tests the effective uid
    }
    for l in &s.lists {
        match l.kind {
            ListKind::Euid => n |= Needs::OWNER,
            ListKind::Ruid | ListKind::Egid | ListKind::Rgid => n |= Needs::STATUS,
            _ => {}
        }
    }
    if n.contains(Needs::STATUS) {
        // `status` holds the effective uid too: no `statx` of the directory beside it.
        n = n.without(Needs::OWNER);
    }
    n
}

/// [`needs`] for a reader over `fs`: the effective uid comes from the owner of `/proc/PID`
/// on procfs only (the kernel gives that directory the task's effective uid); in a fixture
/// tree, where the directory's owner is whoever made it, from `status`.
pub fn needs_on(opts: &Options, fs: &ProcFs) -> Needs {
    let n = needs(opts);
    if n.contains(Needs::OWNER) && !fs.is_procfs() {
        n.without(Needs::OWNER).with(Needs::STATUS)
    } else {
        n
    }
}

fn listed(p: &Process, lists: &[SelList], cs: Charset) -> bool {
    lists.iter().any(|l| {
        let v: i64 = match l.kind {
            ListKind::Pid | ListKind::QuickPid => p.pid.into(),
            ListKind::Ppid => p.stat.ppid.into(),
            ListKind::Pgrp => p.stat.pgrp.into(),
            ListKind::Sess => p.stat.session.into(),
            ListKind::Tty => p.stat.tty_nr.into(),
            ListKind::Euid => p.euid().into(),
            ListKind::Ruid => p.status.as_ref().map_or(0, |s| s.uid[0]).into(),
            ListKind::Egid => p.status.as_ref().map_or(0, |s| s.gid[1]).into(),
            ListKind::Rgid => p.status.as_ref().map_or(0, |s| s.gid[0]).into(),
            ListKind::Comm => {
                let mut c = Vec::with_capacity(p.stat.comm.len());
                crate::text::library_escape(&p.stat.comm, cs, &mut c);
                return l.names.iter().any(|n| {
                    (c.len() == 15 && n.len() >= 15 && n[..15] == c[..])
                        || n[..n.len().min(63)] == c[..c.len().min(63)]
                });
            }
        };
        // procps compares as unsigned 32-bit values.
        l.nums.iter().any(|&n| n as u32 == v as u32)
    })
}

/// The pids of a selection made of pid lists alone (no table, no negation), else `None`.
fn only_pids(s: &Selection) -> Option<Vec<i32>> {
    let pure = !s.all && !s.use_table && !s.negate && !s.lists.is_empty();
    let pure = pure && s.lists.iter().all(|l| l.kind == ListKind::Pid);
    pure.then(|| {
        s.lists
            .iter()
            .flat_map(|l| l.nums.iter().map(|&n| n as i32))
            .collect()
    })
}

/// procps's `want_this_proc`.
pub fn wanted(p: &Process, s: &Selection, me: Me) -> bool {
    let mut ok = s.all;
    if !ok && s.use_table {
        let idx = u32::from(p.euid() == me.euid)
            | u32::from(p.stat.session == p.pid) << 1
            | u32::from(p.stat.tty_nr == 0) << 2
            | u32::from(p.stat.tty_nr == me.tty) << 3;
        ok = s.table & (1 << idx) != 0;
    }
    if !ok {
        ok = listed(p, &s.lists, me.charset.unwrap_or(Charset::Utf8));
    }
    if s.running_only && !matches!(p.stat.state, b'R' | b'D') {
        ok = false;
    }
    ok != s.negate
}

/// Sorts rows by the keys, stable, each key applied from the last to the first as procps does.
pub fn sort(rows: &mut [Process], keys: &[SortKey], cx: &Ctx) {
    if keys.is_empty() {
        return;
    }
    let order = sort_order(rows.iter(), keys, cx);
    permute(rows, &order);
}

/// The order the keys put `rows` in: positions into `rows`, stable.
pub(crate) fn sort_order<'a>(
    rows: impl Iterator<Item = &'a Process>,
    keys: &[SortKey],
    cx: &Ctx,
) -> Vec<usize> {
    let mut decorated: Vec<(Vec<Value>, usize)> = rows
        .enumerate()
        .map(|(i, p)| {
            (
                keys.iter()
                    .map(|k| k.col.sort.map_or(Value::Int(0), |i| i.value(p, cx)))
                    .collect(),
                i,
            )
        })
        .collect();
    decorated.sort_by(|a, b| {
        for (i, k) in keys.iter().enumerate() {
            let o = a.0[i].compare(&b.0[i]);
            let o = if k.descending { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
    decorated.into_iter().map(|(_, i)| i).collect()
}

fn permute(rows: &mut [Process], order: &[usize]) {
    let mut taken: Vec<Option<Process>> =
        rows.iter_mut().map(|p| Some(std::mem::take(p))).collect();
    for (slot, &i) in rows.iter_mut().zip(order) {
        *slot = taken[i].take().unwrap_or_default();
    }
}

/// The layout slots (headers, widths) of a format.
pub fn slots(format: &[FmtItem], cx: &Ctx) -> Vec<Slot> {
    format
        .iter()
        .map(|f| match f {
            FmtItem::Column { col, width, header } => {
                let h = header.clone().unwrap_or_else(|| col.header.to_string());
                let w = match width {
                    Some(w) => *w,
                    None if header.is_some() => col.width_in(cx).max(h.len()),
                    None => col.width_in(cx),
                };
                Slot {
                    header: h,
                    width: w,
                    align: col.align,
                }
            }
            FmtItem::Literal(t) => Slot {
                header: t.clone(),
                width: t.len(),
                align: Align::Literal,
            },
        })
        .collect()
}

/// Renders the listing: header (unless suppressed or all empty) and one line per row.
/// `forest` gives each row's tree prefix (empty strings outside forest mode).
/// `kinds` marks process and thread lines of an `m` listing (empty: all plain).
///
/// When a selected column cannot be computed because a host value is missing (see
/// [`Column::host_missing`]), the text stops before that column's first cell, as procps's ps
/// stops, and the message procps then prints comes back with it.
pub fn render<P: std::borrow::Borrow<Process>>(
    opts: &Options,
    cx: &mut Ctx,
    rows: &[P],
    forest: &[String],
    kinds: &[RowKind],
) -> (String, Option<&'static str>) {
    let slots = slots(&opts.format, cx);
    let mut layout = Layout::new(&slots, opts.screen_cols);
    layout.numeric_user = opts.flags.numeric_users;
    layout.numeric_wchan = opts.flags.numeric_users;
    cx.wide_signals = layout.wide_signals;
    let cx: &Ctx = cx;
    let mut out = String::with_capacity(rows.len() * 128 + 256);
    let mut scratch = String::new();
    let all_empty = slots.iter().all(|s| s.header.is_empty());
    let header_gap = match opts.headers {
        Headers::Once if !all_empty => usize::MAX,
        // procps counts down from the screen height less one; a gap of 0 never comes round.
        Headers::Repeat if !all_empty && opts.screen_rows > 1 => opts.screen_rows - 1,
        Headers::Repeat if !all_empty => usize::MAX,
        _ => 0,
    };
    let cols: Vec<Option<&Column>> = opts
        .format
        .iter()
        .map(|f| match f {
            FmtItem::Column { col, .. } => Some(*col),
            FmtItem::Literal(_) => None,
        })
        .collect();
    let missing = cols
        .iter()
        .enumerate()
        .find_map(|(i, c)| Some((i, c.as_ref()?.host_missing(cx)?)));
    let emit_header =
        |out: &mut String, scratch: &mut String| layout.render(&slots, out, None, scratch);
    if header_gap > 0 {
        emit_header(&mut out, &mut scratch);
    }
    for (n, p) in rows.iter().map(P::borrow).enumerate() {
        if header_gap != usize::MAX && header_gap > 0 && n > 0 && n % header_gap == 0 {
            emit_header(&mut out, &mut scratch);
        }
        let row = Row {
            p,
            forest: forest.get(n).map_or("", String::as_str),
        };
        let kind = kinds.get(n).copied().unwrap_or_default();
        let mut cell = |i: usize, max: usize, buf: &mut String| match cols[i] {
            Some(c) => match (kind, c.print_on()) {
                (RowKind::Process, PrintOn::ThreadRows)
                | (RowKind::Thread, PrintOn::ProcessRows) => {
                    buf.push('-');
                    1
                }
                _ => (c.text)(&row, cx, max, buf),
            },
            None => 0,
        };
        if let Some((stop, why)) = missing {
            layout.render_until(&slots, &mut out, Some(&mut cell), &mut scratch, stop);
            return (out, Some(why));
        }
        layout.render(&slots, &mut out, Some(&mut cell), &mut scratch);
    }
    (out, None)
}

/// Why JSON of `rows` cannot be given: a selected column lacks a host value (no rows, no
/// problem), as [`render`] stops.
#[cfg(feature = "serde")]
fn json_missing(opts: &Options, cx: &Ctx, rows: &[Process]) -> Option<&'static str> {
    if rows.is_empty() {
        return None;
    }
    opts.format.iter().find_map(|f| match f {
        FmtItem::Column { col, .. } => col.host_missing(cx),
        FmtItem::Literal(_) => None,
    })
}

/// The rows as a JSON array of objects, one key per selected column (see [`columns::json_key`]),
/// and `KEY_bytes` beside a name that is not valid UTF-8 ([`columns::raw_name`], [`crate::json`]).
#[cfg(feature = "serde")]
pub fn render_json(opts: &Options, cx: &Ctx, rows: &[Process]) -> String {
    let cols: Vec<&Column> = opts
        .format
        .iter()
        .filter_map(|f| match f {
            FmtItem::Column { col, .. } => Some(*col),
            FmtItem::Literal(_) => None,
        })
        .collect();
    let keys: Vec<String> = cols.iter().map(|c| columns::json_key(c)).collect();
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|p| {
            let row = Row { p, forest: "" };
            let mut obj = serde_json::Map::new();
            for (c, k) in cols.iter().zip(&keys) {
                obj.insert(k.clone(), columns::json_value(c, &row, cx));
                let raw = columns::raw_name(c, &row, cx);
                crate::json::add_raw(&mut obj, k, raw.as_deref());
            }
            serde_json::Value::Object(obj)
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

pub use crate::num::strtol_whole as parse_c_long;

/// Errors of a ps run, each with the exit status procps uses.
#[derive(Debug)]
pub struct PsError {
    /// The text after `error: ` (usage follows it on stderr).
    pub message: String,
    /// The exit status.
    pub status: i32,
}

/// What a ps invocation produced: the text for stdout and the exit status.
pub struct Output {
    /// What to write to stdout.
    pub text: String,
    /// The exit status.
    pub status: i32,
    /// Processes that could not be read for another reason than exiting (a damaged file under
    /// `--proc-root`, a denied read): reported on stderr, the listing goes on without them.
    pub problems: Vec<crate::proc::ProcError>,
    /// Why the listing stopped early, as procps's ps words it (`Unable to get total memory`):
    /// `text` then holds what came before, and the status is 1.
    pub fatal: Option<&'static str>,
}

/// Runs ps over `fs` with already-parsed options: select, sort, render.
pub fn run(fs: &ProcFs, opts: &Options, now: Option<i64>) -> Output {
    let mut cx = Ctx::new(fs, Charset::from_locale());
    cx.flags = opts.flags.clone();
    if let Some(now) = now {
        cx.set_now(now);
    }
    let needs = needs_on(opts, fs);
    let me = who_am_i(fs);
    // A thread ID names a readable /proc entry that /proc does not list: procps selects
    // processes from the listing only, so a TID given to `-p`/`-q` selects nothing.
    let listed_only = |rows: &mut Vec<Process>| {
        if !rows.is_empty() {
            let all: std::collections::HashSet<i32> =
                fs.pids().unwrap_or_default().into_iter().collect();
            rows.retain(|p| all.contains(&p.pid));
        }
    };
    let (mut rows, problems) = match &opts.quick {
        Some(pids) => {
            let (mut some, problems) = fs.read_many_reporting(pids, needs);
            listed_only(&mut some);
            if opts.select.running_only {
                some.retain(|p| matches!(p.stat.state, b'R' | b'D'));
            }
            (some, problems)
        }
        None => match only_pids(&opts.select) {
            // A pure pid selection (`-p`, `p`, bare pids) reads just those processes.
            Some(mut pids) => {
                pids.sort_unstable();
                pids.dedup();
                let (mut some, problems) = fs.read_many_reporting(&pids, needs);
                listed_only(&mut some);
                some.retain(|p| wanted(p, &opts.select, me));
                (some, problems)
            }
            None => {
                let pids = fs.pids().unwrap_or_default();
                let (mut all, problems) = fs.read_many_reporting(&pids, needs);
                all.retain(|p| wanted(p, &opts.select, me));
                (all, problems)
            }
        },
    };
    let (expanded, kinds) = expand_threads(fs, rows, opts.threads, needs, &cx);
    rows = expanded;
    if opts.forest == Some(Forest::Indent) {
        cx.forest_unit = 2;
    }
    let forest = match opts.forest {
        Some(style) => tree::order(&mut rows, style, &opts.sort, &cx),
        None => {
            sort(&mut rows, &opts.sort, &cx);
            Vec::new()
        }
    };
    let (text, fatal) = match () {
        #[cfg(feature = "serde")]
        () if opts.json => match json_missing(opts, &cx, &rows) {
            Some(why) => (String::new(), Some(why)),
            None => (render_json(opts, &cx, &rows), None),
        },
        () => render(opts, &mut cx, &rows, &forest, &kinds),
    };
    Output {
        status: if rows.is_empty() || fatal.is_some() {
            1
        } else {
            0
        },
        text,
        problems,
        fatal,
    }
}

/// Thread rows for `-L`, `-T`, `H` (threads in place of their process) and `m`/`-m` (a process
/// line, then a line per thread). The main thread is read from the process's own directory, as
/// procps does, so its times are the process's.
fn expand_threads(
    fs: &ProcFs,
    rows: Vec<Process>,
    mode: Threads,
    needs: Needs,
    cx: &Ctx,
) -> (Vec<Process>, Vec<RowKind>) {
    if mode == Threads::None {
        return (rows, Vec::new());
    }
    // A thread shares its process's memory, so its command line is the process's: read once.
    let tneeds = needs.without(Needs::CMDLINE);
    let tasks: usize = rows
        .iter()
        .map(|p| usize::try_from(p.stat.num_threads).unwrap_or(0).max(1))
        .sum();
    let (groups, _) = crate::proc::par_map(
        &rows,
        crate::proc::workers_for(tasks),
        THREAD_BLOCK,
        crate::proc::Reader::default,
        |r, _, p| Some(threads_of(fs, p, tneeds, r)),
        |_| (),
    );
    let (mut out, mut kinds) = (Vec::with_capacity(tasks), Vec::new());
    for (p, mut threads) in rows.into_iter().zip(groups.into_iter().flatten()) {
        if mode == Threads::AfterProcess {
            let start = columns::find("start_time").expect("start_time column");
            sort(
                &mut threads,
                &[SortKey {
                    col: start,
                    descending: false,
                }],
                cx,
            );
            // procps fills a thread row of this listing without the task's priority, last
            // CPU, OOM score/adjustment and I/O counters: they print as 0 (`-L` shows them).
            for t in &mut threads {
                t.stat.priority = 0;
                t.stat.processor = 0;
                t.oom = t.oom.map(|_| (0, 0));
                t.io = t.io.map(|_| crate::proc::Io::default());
            }
            out.push(p);
            kinds.push(RowKind::Process);
            kinds.extend(std::iter::repeat_n(RowKind::Thread, threads.len()));
        }
        out.extend(threads);
    }
    if kinds.is_empty() {
        kinds = vec![RowKind::Plain; out.len()];
    }
    (out, kinds)
}

/// Processes a thread-expanding reader thread takes at a time: few, as one may hold hundreds
/// of threads.
const THREAD_BLOCK: usize = 16;

/// The thread rows of one process, in the kernel's order: the main thread is the process row
/// itself. A process of one thread is that row alone, without listing its `task` directory.
fn threads_of(fs: &ProcFs, p: &Process, needs: Needs, r: &mut crate::proc::Reader) -> Vec<Process> {
    if p.stat.num_threads <= 1 {
        return vec![p.clone()];
    }
    let mut threads: Vec<Process> = fs
        .tids(p.pid)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|tid| {
            if tid == p.pid {
                Some(p.clone())
            } else {
                let mut t = fs.read(p.pid, Some(tid), needs, r).ok()?;
                t.cmdline.clone_from(&p.cmdline);
                Some(t)
            }
        })
        .collect();
    if threads.is_empty() {
        threads.push(p.clone());
    }
    threads
}

/// The euid and controlling tty of ps itself (from /proc/self).
fn who_am_i(fs: &ProcFs) -> Me {
    let euid = nix::unistd::geteuid().as_raw();
    let tty = fs
        .read_host("self/stat")
        .ok()
        .and_then(|b| crate::proc::stat::parse(&b))
        .map_or(0, |s| s.tty_nr);
    Me {
        euid,
        tty,
        charset: Some(Charset::from_locale()),
    }
}

pub mod tree;
