//! Lays out one top frame as text: summary lines cut to the screen width, the column header
//! with procps's field-fitting rules, and task rows (filtered, sorted, formatted). Shared by
//! batch mode and the interactive screen. Never reads /proc (its callers pass what they read).

use std::collections::HashMap;

use crate::columns::Ctx;
use crate::items::Value as Key;
use crate::proc::host::CpuTicks;
use crate::proc::{Needs, ProcFs, Reader};
use crate::text::{self, Charset};

use super::fields::{self, FIELDS, eu, tics};
use super::summary;
use super::tasks::Task;

/// A `-u`/`-U` user filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    /// The user ID.
    pub uid: u32,
    /// `false` for a `!` prefix (everyone but this user).
    pub matches: bool,
    /// `-U`: real, effective, saved or filesystem uid; `-u`: effective only.
    pub any: bool,
}

/// Everything that decides how a frame looks (command-line options and interactive toggles).
#[derive(Debug, Clone)]
pub struct View {
    /// `argv[0]`'s base name, printed first on line 1.
    pub name: String,
    /// Screen columns.
    pub cols: usize,
    /// Screen rows, `None` for unlimited (batch).
    pub rows: Option<usize>,
    /// Visible fields, as indices into [`FIELDS`], in order.
    pub fields: Vec<usize>,
    /// The sort field's index.
    pub sort: usize,
    /// Largest first (`R` toggles).
    pub sort_desc: bool,
    /// `c`: command lines instead of names.
    pub cmdline: bool,
    /// `i` off: idle tasks shown.
    pub show_idle: bool,
    /// `S`: cumulative time.
    pub cumulative: bool,
    /// `H`: one row per thread.
    pub threads: bool,
    /// `1` toggle: per-CPU lines instead of one `%Cpu(s)` line.
    pub per_cpu: bool,
    /// `4`: per-CPU lines shown abreast, this many more per row (procps's `double_up`; 0 for
    /// one per row; reset by `1`, `2` and `3`). The memory lines share one row too.
    pub double_up: usize,
    /// `!`: per-CPU lines combined (procps's `combine_cpus`: 0 none, else each row sums this
    /// many CPUs plus one, the last row what is left).
    pub combine_cpus: usize,
    /// `2`: NUMA nodes shown (procps's `View_CPUNOD`), after `%Cpu(s)` or, with
    /// [`View::numa_sel`], one node and its CPUs.
    pub numa_view: bool,
    /// `3`: the node expanded (procps's `Numa_node_sel`).
    pub numa_sel: Option<u32>,
    /// The host's NUMA nodes with CPUs, by node id (read once at start, as procps).
    pub numa_nodes: Vec<(u32, Vec<u32>)>,
    /// Summary memory scale (`E`; 0 = KiB).
    pub summ_scale: usize,
    /// Task memory scale (`e`; 0 = KiB).
    pub task_scale: usize,
    /// The user filter (`-u`, `u`).
    pub user: Option<UserFilter>,
    /// Maximum task rows, 0 for no limit (`n`).
    pub maxtasks: usize,
    /// First task row shown (interactive scrolling).
    pub begin: usize,
    /// Width of the PID column (from the kernel's `pid_max`).
    pub pid_width: usize,
    /// `I`: Irix mode, a task's `%CPU` of all CPUs may pass 100 (off: divided by the CPUs).
    pub irix: bool,
    /// `l`: the uptime and load average line shown.
    pub show_load: bool,
    /// `t`: the task and CPU state lines shown.
    pub show_states: bool,
    /// `m`: the memory lines shown.
    pub show_memory: bool,
    /// `t`'s graph mode for the CPU lines: 0 text, 1 bars, 2 blocks.
    pub graph_cpus: u8,
    /// `m`'s graph mode for the memory lines: 0 text, 1 bars, 2 blocks.
    pub graph_mems: u8,
    /// `0`: zeros left blank in the task rows (`NI`, memory, `%CPU`, `%MEM`, `TIME+`).
    pub zero_suppress: bool,
    /// `o`/`O` filters, in the order they were added; a row shows when every one passes.
    pub filters: Vec<super::filter::Filter>,
    /// `J`: numeric columns right-justified (procps's `Show_JRNUMS`, on by default).
    pub jr_nums: bool,
    /// `j`: character columns right-justified (procps's `Show_JRSTRS`).
    pub jr_strs: bool,
    /// `X`: the width increment of the fixed-width name and id columns (`Fixed_widest`;
    /// procps's -1, auto, widens nothing here).
    pub fixed_widest: i32,
    /// `z x y b B` and the colours of the window (the interactive screen only: batch output
    /// never has attributes).
    pub colors: super::colors::Colors,
    /// `^E`: the time fields' scale (the toprc's `tics_scaled`, 0 to [`fields::tics::LAST`]).
    pub tics_scaled: u8,
}

impl View {
    /// procps's default view for a top named `name`.
    pub fn new(name: String) -> View {
        View {
            name,
            cols: 80,
            rows: None,
            fields: fields::DEFAULT_FIELDS.to_vec(),
            sort: eu::CPU,
            sort_desc: true,
            cmdline: false,
            show_idle: true,
            cumulative: false,
            threads: false,
            per_cpu: false,
            double_up: 0,
            combine_cpus: 0,
            numa_view: false,
            numa_sel: None,
            numa_nodes: Vec::new(),
            summ_scale: 1,
            task_scale: 0,
            user: None,
            maxtasks: 0,
            begin: 0,
            pid_width: 5,
            irix: true,
            show_load: true,
            show_states: true,
            show_memory: true,
            graph_cpus: 0,
            graph_mems: 0,
            zero_suppress: false,
            filters: Vec::new(),
            jr_nums: true,
            jr_strs: false,
            fixed_widest: 0,
            colors: super::colors::Colors::default(),
            tics_scaled: 0,
        }
    }
}

/// procps's message for `2` and `3` without NUMA nodes.
pub const NUMA_UNAVAILABLE: &str = "sorry, NUMA extensions unavailable";
/// procps's message for `!` outside the per-CPU lines.
pub const WRONG_MODE: &str = "wrong mode, command inactive";

impl View {
    /// procps's summary keys `1`, `2`, `4` and `!` on a host with `ncpu` CPUs: the view's
    /// new state, or procps's message when the key does nothing here.
    pub fn cpu_key(&mut self, key: char, ncpu: usize) -> Result<(), &'static str> {
        match key {
            '1' => {
                // From the NUMA view to per-CPU lines, else a toggle; never abreast.
                self.per_cpu = self.numa_view || !self.per_cpu;
                self.numa_view = false;
                self.show_states = true;
                self.double_up = 0;
            }
            '2' => {
                if self.numa_nodes.is_empty() {
                    return Err(NUMA_UNAVAILABLE);
                }
                if self.numa_sel.is_none() {
                    self.numa_view = !self.numa_view;
                }
                if !self.numa_view {
                    self.per_cpu = false;
                }
                self.show_states = true;
                self.numa_sel = None;
                self.double_up = 0;
            }
            '4' => {
                self.double_up += 1;
                if self.double_up >= 8 || self.double_up >= ncpu {
                    self.double_up = 0;
                }
                if self.double_up > 1 && self.graph_cpus == 0 {
                    self.double_up = 0;
                }
                self.per_cpu = true;
                self.numa_view = false;
            }
            '!' => {
                if !self.per_cpu || self.numa_view {
                    return Err(WRONG_MODE);
                }
                self.combine_cpus = if self.combine_cpus == 0 {
                    1
                } else {
                    self.combine_cpus * 2
                };
                if self.combine_cpus >= ncpu {
                    self.combine_cpus = 0;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// procps's `3` after its prompt: expand node `n` (its line, then its CPUs), or
    /// "invalid numa node" when the host has no such node number.
    pub fn expand_node(&mut self, n: i64) -> Result<(), &'static str> {
        if n < 0 || n >= self.numa_total() as i64 {
            return Err("invalid numa node");
        }
        self.numa_sel = Some(n as u32);
        self.numa_view = true;
        self.show_states = true;
        self.per_cpu = true;
        self.double_up = 0;
        Ok(())
    }

    /// procps's `Numa_node_tot`: the highest node number plus one (0 without NUMA).
    pub fn numa_total(&self) -> usize {
        self.numa_nodes
            .iter()
            .map(|n| n.0 as usize + 1)
            .max()
            .unwrap_or(0)
    }
}

pub use crate::host::HostSample;

/// Summary lines (not yet cut to the width), plain text (graph markup removed).
pub fn summary_lines(v: &View, h: &HostSample) -> Vec<String> {
    summary_rows(v, h)
        .into_iter()
        .map(|(l, marked)| {
            if marked {
                summary::markup_spans(&l, usize::MAX)
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            } else {
                l
            }
        })
        .collect()
}

/// Summary lines (not yet cut to the width), each with whether it holds procps's `~N`
/// attribute markup (the bar and block graphs of `t` and `m`; see [`summary::markup_spans`]).
/// Which lines show follows `l`, `t` and `m` (procps's `View_LOADAV`, `View_STATES`,
/// `View_MEMORY`).
pub fn summary_rows(v: &View, h: &HostSample) -> Vec<(String, bool)> {
    let plain = |s: String| (s, false);
    let tasks = summary::line2(v.threads, &h.host.counts);
    if h.host.restricted {
        // procps: "a namespace with proc mounted subset=pid", task information only.
        return if v.show_states {
            vec![plain(tasks)]
        } else {
            Vec::new()
        };
    }
    let mut out = Vec::new();
    if v.show_load {
        out.push(plain(if h.host.up_missing {
            format!("{} -", v.name)
        } else {
            summary::line1(
                &v.name,
                h.host.hms,
                h.host.up_secs,
                h.host.users,
                &h.host.load,
            )
        }));
    }
    let paired = v.double_up > 0 && v.per_cpu && !v.numa_view;
    let (cpu_len, mem_len) = summary::graph_lengths(v.cols, paired);
    let cpu =
        |prefix: &str, prev: &crate::proc::host::CpuTicks, cur: &crate::proc::host::CpuTicks| {
            if v.graph_cpus > 0 {
                (
                    summary::cpu_graph(prefix, prev, cur, cpu_len, v.graph_cpus),
                    true,
                )
            } else {
                (summary::cpu_line(prefix, prev, cur), false)
            }
        };
    if v.show_states {
        out.push(plain(tasks));
        let each: Vec<_> = h.cpu_ticks_each().collect();
        // The ticks of some CPUs summed (a NUMA node, a combined row).
        let sum = |ids: &dyn Fn(u32) -> bool| {
            each.iter()
                .filter(|e| ids(e.0))
                .fold((CpuTicks::default(), CpuTicks::default()), |(a, b), e| {
                    (add(&a, &e.1), add(&b, e.2))
                })
        };
        let all = || cpu("%Cpu(s):", &h.stat_prev.total, &h.host.stat.total);
        let node_of = |n: u32| v.numa_nodes.iter().find(|x| x.0 == n);
        if v.numa_view {
            match v.numa_sel.and_then(node_of) {
                Some((n, cpus)) => {
                    // One node, then each of its CPUs.
                    let (p, c) = sum(&|id| cpus.contains(&id));
                    out.push(cpu(&format!("%Node{n:<2}:"), &p, &c));
                    for e in each.iter().filter(|e| cpus.contains(&e.0)) {
                        out.push(cpu(&format!("%Cpu{:<3}:", e.0), &e.1, e.2));
                    }
                }
                None => {
                    out.push(all());
                    for (n, cpus) in &v.numa_nodes {
                        let (p, c) = sum(&|id| cpus.contains(&id));
                        out.push(cpu(&format!("%Node{n:<2}:"), &p, &c));
                    }
                }
            }
        } else if v.per_cpu {
            let cpus: Vec<(String, bool)> = if v.combine_cpus > 0 && v.combine_cpus < each.len() {
                // procps's sum_unify: `combine_cpus + 1` CPUs a row, `%-7.7s:` of `FIRST-LAST`.
                each.chunks(v.combine_cpus + 1)
                    .map(|g| {
                        let ids: Vec<u32> = g.iter().map(|e| e.0).collect();
                        let (p, c) = sum(&|id| ids.contains(&id));
                        let span = format!("{}-{}", ids[0], ids[ids.len() - 1]);
                        let span: String = span.chars().take(7).collect();
                        cpu(&format!("{span:<7}:"), &p, &c)
                    })
                    .collect()
            } else {
                each.iter()
                    .map(|(n, prev, cur)| cpu(&format!("%Cpu{n:<3}:"), prev, cur))
                    .collect()
            };
            if paired {
                for pair in cpus.chunks(v.double_up + 1) {
                    out.push(adjoin(pair));
                }
            } else {
                out.extend(cpus);
            }
        } else {
            out.push(all());
        }
    }
    if v.show_memory {
        let (m1, m2, marked) = if v.graph_mems > 0 {
            let (a, b) = summary::mem_graphs(&h.host.mem, v.summ_scale, mem_len, v.graph_mems);
            (a, b, true)
        } else {
            let (a, b) = summary::mem_lines(&h.host.mem, v.summ_scale);
            (a, b, false)
        };
        if paired {
            out.push(adjoin(&[(m1, marked), (m2, marked)]));
        } else {
            out.push((m1, marked));
            out.push((m2, marked));
        }
    }
    out
}

/// Summary items abreast (`4`), joined by procps's `Adjoin_sp` (`~1 ~6 `: two blanks, the
/// first in reverse video): lines with graph markup get the markup itself, text lines two
/// blanks (their markup is made later, [`super::colors::summary_markup`]).
fn adjoin(items: &[(String, bool)]) -> (String, bool) {
    let marked = items.iter().any(|i| i.1);
    let sep = if marked { "~1 ~6 " } else { "  " };
    let parts: Vec<&str> = items.iter().map(|i| i.0.as_str()).collect();
    (parts.join(sep), marked)
}

/// Two CPUs' (or sums') ticks added field by field.
fn add(a: &CpuTicks, b: &CpuTicks) -> CpuTicks {
    CpuTicks {
        user: a.user + b.user,
        nice: a.nice + b.nice,
        system: a.system + b.system,
        idle: a.idle + b.idle,
        iowait: a.iowait + b.iowait,
        irq: a.irq + b.irq,
        softirq: a.softirq + b.softirq,
        steal: a.steal + b.steal,
        guest: a.guest + b.guest,
        guest_nice: a.guest_nice + b.guest_nice,
    }
}

/// top's five summary lines, as `gopsi top -b -n1` prints them to a pipe (80 columns).
impl std::fmt::Display for HostSample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = View::new("top".into());
        for l in summary_lines(&v, self) {
            writeln!(f, "{}", cut(&l, v.cols))?;
        }
        Ok(())
    }
}

/// Cuts a line to at most `cols` bytes (summary lines are ASCII).
pub fn cut(s: &str, cols: usize) -> &str {
    if s.len() <= cols {
        s
    } else {
        let mut end = cols;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        &s[..end]
    }
}

/// The fields that fit the width (`PID` alone when none is shown, as procps), and the
/// variable (COMMAND) column's width.
pub fn fit_fields(v: &View) -> (Vec<usize>, usize) {
    let mut shown = Vec::new();
    let mut len = 0;
    let mut var_names = 0;
    let mut var_count = 0;
    let fields: &[usize] = if v.fields.is_empty() {
        &[eu::PID]
    } else {
        &v.fields
    };
    for &f in fields {
        let fd = &FIELDS[f];
        let w = if fd.width < 0 {
            fd.name.len()
        } else {
            fixed_width(v, f)
        } + 1;
        if v.cols < len + w {
            break;
        }
        if fd.width < 0 {
            var_count += 1;
            var_names += fd.name.len();
        }
        len += w;
        shown.push(f);
    }
    let varsz = (var_names + v.cols).saturating_sub(len);
    let varsz = varsz.checked_div(var_count).unwrap_or(varsz);
    (shown, varsz)
}

/// The width of field `f` on this screen (`varsz` for the variable-width field).
fn field_width(v: &View, f: usize, varsz: usize) -> usize {
    if FIELDS[f].width < 0 {
        varsz
    } else {
        fixed_width(v, f)
    }
}

/// A fixed-width field's width, with `X`'s increment for the name and id columns procps
/// widens (`Fixed_widest`).
fn fixed_width(v: &View, f: usize) -> usize {
    let w = fields::width(f, v.pid_width);
    if fields::widened(f) {
        w + v.fixed_widest.max(0) as usize
    } else {
        w
    }
}

/// Whether field `f`'s cells and header are right-justified: procps's `J` for the fields
/// it aligns right by default, `j` for the others.
pub fn justified_right(v: &View, f: usize) -> bool {
    if FIELDS[f].right {
        v.jr_nums
    } else {
        v.jr_strs
    }
}

/// The column header (trailing spaces stripped).
pub fn header(v: &View, shown: &[usize], varsz: usize) -> String {
    let mut s = String::new();
    for &f in shown {
        let fd = &FIELDS[f];
        let w = field_width(v, f, varsz);
        fields::justify(&mut s, fd.name, w, justified_right(v, f));
    }
    s.truncate(s.trim_end_matches(' ').len());
    s
}

/// The terminal columns the header and each task row fill (procps pads every cell, the
/// variable-width one to `varsz`).
pub fn layout_width(v: &View, shown: &[usize], varsz: usize) -> usize {
    shown.iter().map(|&f| field_width(v, f, varsz) + 1).sum()
}

/// The terminal columns of the sort field's cell (with its trailing blank) in the header and
/// rows, when it is shown: what `x` highlights.
pub fn sort_cell(v: &View, shown: &[usize], varsz: usize) -> Option<(usize, usize)> {
    let i = shown.iter().position(|&f| f == v.sort)?;
    let from = layout_width(v, &shown[..i], varsz);
    Some((from, from + field_width(v, v.sort, varsz) + 1))
}

/// Host-wide values the task columns need.
#[derive(Debug, Clone, Copy)]
pub struct TaskCtx {
    /// Clock ticks per second.
    pub hz: u64,
    /// Page size in KiB.
    pub page_kb: u64,
    /// Total memory in KiB (for `%MEM`).
    pub mem_total: u64,
    /// Elapsed seconds between the two samples, times the tick rate.
    pub etscale: f32,
    /// `Frame_etscale` in Solaris mode (`I` off): also divided by the CPU count.
    pub etscale_solaris: f32,
    /// Online CPUs.
    pub ncpu: usize,
    /// System uptime in seconds.
    pub up_secs: f64,
    /// `/proc/stat` or `/proc/meminfo` was missing at start: `%CPU`, `%MEM`, `%CUU` and `%CUC`
    /// print `?`, as procps's top does.
    pub restricted: bool,
}

/// Command lines already read, by (tid, start time): reused across frames.
#[derive(Debug, Default)]
pub struct CmdlineCache {
    map: HashMap<(i32, u64), Option<Vec<u8>>>,
}

impl CmdlineCache {
    /// Fills `p.cmdline` for every task (reading only those not seen before).
    pub fn fill(&mut self, fs: &ProcFs, tasks: &mut [Task]) {
        let mut r = Reader::default();
        let mut next = HashMap::with_capacity(tasks.len());
        for t in tasks.iter_mut() {
            let key = (t.p.tid, t.p.stat.starttime);
            let c = match self.map.remove(&key) {
                Some(c) => c,
                None => fs
                    .read(t.p.pid, None, Needs::CMDLINE, &mut r)
                    .ok()
                    .and_then(|q| q.cmdline),
            };
            t.p.cmdline.clone_from(&c);
            next.insert(key, c);
        }
        self.map = next;
    }
}

/// One frame as JSON (`gopsi top -b --json`): the summary values and every task row shown,
/// raw numbers with their units in the keys, and `command_bytes`/`user_bytes` beside a command
/// or user name that is not valid UTF-8 ([`crate::json`]).
#[cfg(feature = "serde")]
pub fn frame_json(v: &View, s: &super::Sample, cx: &Ctx) -> serde_json::Value {
    use serde_json::json;
    let sample = &s.host;
    let h = &sample.host;
    let tc = &s.tc;
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    let [us, sy, ni, id, wa, hi, si, st] =
        summary::cpu_percents(&sample.stat_prev.total, &h.stat.total).map(r2);
    let tasks: Vec<serde_json::Value> = visible(v, &s.tasks)
        .map(|t| {
            let m = t.p.statm.unwrap_or_default();
            let mem_pct = (res_kb(t, tc) as f32 * 100.0f32) / tc.mem_total.max(1) as f32;
            let mut row = json!({
                "pid": t.p.tid,
                "user": user_text(cx, t.p.euid()),
                "priority": t.p.stat.priority,
                "nice": t.p.stat.nice,
                "virt_kib": m.size * tc.page_kb,
                "res_kib": m.resident * tc.page_kb,
                "shr_kib": m.shared * tc.page_kb,
                "state": (t.p.stat.state as char).to_string(),
                "cpu_pct": r2(cpu_pct(v, t, tc) as f64),
                "mem_pct": r2(mem_pct as f64),
                "time_ticks": ticks(v, t),
                "command": command_text(v, t, cx.charset),
            });
            if let Some(obj) = row.as_object_mut() {
                crate::json::add_raw(obj, "command", Some(&command_raw(v, t)));
                let user = cx.user_name_bytes(t.p.euid());
                crate::json::add_raw(obj, "user", user.as_deref());
            }
            row
        })
        .collect();
    json!({
        "time": format!("{:02}:{:02}:{:02}", h.hms.0, h.hms.1, h.hms.2),
        "uptime_s": h.up_secs,
        "users": h.users,
        "load": [h.load.one, h.load.five, h.load.fifteen],
        "tasks": {
            "total": h.counts.total, "running": h.counts.running, "sleeping": h.counts.sleeping,
            "stopped": h.counts.stopped, "zombie": h.counts.zombie,
        },
        "cpu_pct": {"us": us, "sy": sy, "ni": ni, "id": id, "wa": wa, "hi": hi, "si": si, "st": st},
        "mem_kib": {
            "total": h.mem.total, "free": h.mem.free, "used": h.mem.used,
            "buff_cache": h.mem.buff_cache, "avail": h.mem.avail,
        },
        "swap_kib": {"total": h.mem.swap_total, "free": h.mem.swap_free, "used": h.mem.swap_used},
        "processes": tasks,
    })
}

fn cpu_pct(v: &View, t: &Task, tc: &TaskCtx) -> f32 {
    let mut u = t.delta as f32 * tc.etscale;
    if !v.irix {
        // Solaris mode: procps's Frame_etscale divides by the CPU count.
        u = t.delta as f32 * tc.etscale_solaris;
    }
    let n = t.p.stat.num_threads;
    if (u as f64) > 100.0 * n as f64 {
        u = (100.0 * n as f64) as f32;
    }
    let mut pmax = 99.9f32;
    if v.irix && tc.ncpu > 1 && !v.threads {
        pmax = (100.0 * tc.ncpu as f64) as f32;
        if tc.ncpu <= 10 && pmax > 999.9 {
            pmax = 999.9;
        } else if tc.ncpu > 10 && tc.ncpu <= 100 && pmax > 99999.0 {
            pmax = 99999.0;
        }
    }
    if u > pmax {
        u = pmax;
    }
    u
}

fn ticks(v: &View, t: &Task) -> u64 {
    let s = &t.p.stat;
    if v.cumulative {
        s.utime + s.stime + s.cutime + s.cstime
    } else {
        s.utime + s.stime
    }
}

fn res_kb(t: &Task, tc: &TaskCtx) -> u64 {
    t.p.statm.map_or(0, |m| m.resident * tc.page_kb)
}

/// The effective user's name (or uid), its control bytes escaped: a user name must not write
/// to the terminal (a deliberate difference from procps, which prints it raw).
fn user_text(cx: &Ctx, uid: u32) -> String {
    match cx.user_name(uid) {
        Some(n) => {
            let mut s = String::new();
            text::escape(n.as_bytes(), cx.charset, usize::MAX / 2, &mut s);
            s
        }
        None => uid.to_string(),
    }
}

fn command_text(v: &View, t: &Task, cs: Charset) -> String {
    // The library's text: comm, or (`-c`) argv joined, `[comm]` when argv is empty (with
    // ` <defunct>` for zombies), `?` when argv held only NULs.
    let p = &t.p;
    let mut b = Vec::new();
    match (&p.cmdline, v.cmdline) {
        (Some(a), true) if a.is_empty() => b.push(b'?'),
        (Some(a), true) => text::library_escape(a, cs, &mut b),
        (None, true) => {
            b.push(b'[');
            text::library_escape(&p.stat.comm, cs, &mut b);
            b.push(b']');
            if p.stat.state == b'Z' {
                b.extend_from_slice(b" <defunct>");
            }
        }
        (_, false) => text::library_escape(&p.stat.comm, cs, &mut b),
    }
    // The library's pass keeps valid UTF-8 whole, C1 controls (U+0080..U+009F) included: the
    // second pass makes them `?` (a deliberate difference from procps, which passes them raw).
    let mut s = String::with_capacity(b.len());
    text::ps_escape(&b, cs, usize::MAX / 2, &mut s);
    s
}

/// The bytes [`command_text`] escapes (for `command_bytes` in JSON, see [`crate::json`]).
#[cfg(feature = "serde")]
fn command_raw(v: &View, t: &Task) -> Vec<u8> {
    let p = &t.p;
    if v.cmdline {
        crate::items::values::args_raw(p)
    } else {
        p.stat.comm.clone()
    }
}

/// The sort key of field `f` for one task: its item's value, or what top computes itself.
fn sort_key(v: &View, f: usize, t: &Task, cx: &Ctx) -> Key {
    match f {
        eu::CPU => Key::Int(t.delta as i64),
        eu::TME | eu::TM2 => Key::Int(ticks(v, t) as i64),
        eu::CMD => Key::Text(command_text(v, t, cx.charset).into_bytes()),
        _ => FIELDS[f].item.map_or(Key::Int(0), |i| i.value(&t.p, cx)),
    }
}

/// Whether a task passes the user filter.
fn user_ok(u: &UserFilter, t: &Task) -> bool {
    let hit = if u.any {
        match &t.p.status {
            Some(s) => s.uid.contains(&u.uid),
            None => t.p.euid() == u.uid,
        }
    } else {
        t.p.euid() == u.uid
    };
    hit == u.matches
}

/// Sorts the tasks (stably, so ties keep reap order) by the view's sort field.
pub fn sort_tasks(v: &View, tasks: &mut [Task], cx: &Ctx) {
    if tasks.len() < 2 {
        return;
    }
    let mut keyed: Vec<(Key, usize)> = tasks
        .iter()
        .enumerate()
        .map(|(n, t)| (sort_key(v, v.sort, t, cx), n))
        .collect();
    if v.sort_desc {
        keyed.sort_by(|a, b| b.0.compare(&a.0));
    } else {
        keyed.sort_by(|a, b| a.0.compare(&b.0));
    }
    let order: Vec<usize> = keyed.into_iter().map(|(_, n)| n).collect();
    permute(tasks, &order);
}

/// Puts `items[order[i]]` at `i` for every `i`, in place (each cycle of the permutation
/// followed once with swaps): no second copy of the rows.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut cur = start;
        while !done[cur] {
            done[cur] = true;
            let src = order[cur];
            if src == start {
                break;
            }
            items.swap(cur, src);
            cur = src;
        }
    }
}

/// The tasks from the view's first row on (top's `begtask`) that pass the idle and user filters.
pub fn visible<'a>(v: &'a View, tasks: &'a [Task]) -> impl Iterator<Item = &'a Task> + 'a {
    tasks
        .iter()
        .skip(v.begin)
        .filter(move |t| v.show_idle || t.delta != 0)
        .filter(move |t| v.user.as_ref().is_none_or(|u| user_ok(u, t)))
}

/// The rows to show (after idle and user filters, `begin` and the row budget), formatted.
pub fn rows(
    v: &View,
    tasks: &[Task],
    shown: &[usize],
    varsz: usize,
    tc: &TaskCtx,
    cx: &Ctx,
    max_rows: usize,
) -> Vec<String> {
    shown_rows(v, tasks, shown, varsz, tc, cx, max_rows)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

/// As [`rows`], with each row's task: the rows the `o`/`O` filters pass, at most `max_rows`.
pub fn shown_rows<'a>(
    v: &'a View,
    tasks: &'a [Task],
    shown: &[usize],
    varsz: usize,
    tc: &TaskCtx,
    cx: &Ctx,
    max_rows: usize,
) -> Vec<(&'a Task, String)> {
    visible(v, tasks)
        .filter_map(|t| Some((t, filtered_row(v, &v.filters, t, shown, varsz, tc, cx)?)))
        .take(max_rows)
        .collect()
}

/// procps's locate (`L`, `&`): from the first row (`v.begin`) on, the first task whose shown
/// row holds `needle` (case-sensitive). Returns whether any row held it and the index of the
/// first such task after `v.begin` (a match on the first row itself is passed over, as procps
/// does, so `&` moves on); `None` when there is none (procps does not wrap).
pub fn locate(
    v: &View,
    tasks: &[Task],
    needle: &str,
    shown: &[usize],
    varsz: usize,
    tc: &TaskCtx,
    cx: &Ctx,
) -> (bool, Option<usize>) {
    let mut found = false;
    for (i, t) in tasks.iter().enumerate().skip(v.begin) {
        if !(v.show_idle || t.delta != 0) || !v.user.as_ref().is_none_or(|u| user_ok(u, t)) {
            continue;
        }
        let Some(r) = filtered_row(v, &v.filters, t, shown, varsz, tc, cx) else {
            continue;
        };
        if !r.is_empty() && r.contains(needle) {
            found = true;
            if i != v.begin {
                return (true, Some(i));
            }
        }
    }
    (found, None)
}

/// One formatted task row (trailing spaces stripped).
pub fn row(v: &View, t: &Task, shown: &[usize], varsz: usize, tc: &TaskCtx, cx: &Ctx) -> String {
    filtered_row(v, &[], t, shown, varsz, tc, cx).unwrap_or_default()
}

/// One formatted task row, or `None` when a filter refuses one of its cells (procps matches
/// the formatted cells of the shown fields).
fn filtered_row(
    v: &View,
    filters: &[super::filter::Filter],
    t: &Task,
    shown: &[usize],
    varsz: usize,
    tc: &TaskCtx,
    cx: &Ctx,
) -> Option<String> {
    let mut s = String::with_capacity(v.cols + 8);
    let filtered = !filters.is_empty();
    let st = &t.p.stat;
    let m = t.p.statm.unwrap_or_default();
    for &f in shown {
        let cell_at = s.len();
        'cell: {
            let fd = &FIELDS[f];
            let w = field_width(v, f, varsz);
            let r = justified_right(v, f);
            let mem = |kb: u64| fields::scale_mem(kb, v.task_scale, w);
            if tc.restricted && (f == eu::CPU || f == eu::MEM || fd.name.starts_with("%CU")) {
                fields::justify(&mut s, "?", w, r);
                break 'cell;
            }
            let z = v.zero_suppress;
            let text = match f {
                eu::NCE if z && st.nice == 0 => String::new(),
                eu::VRT | eu::RES | eu::SHR | eu::COD | eu::DAT if z => {
                    let kb = match f {
                        eu::VRT => m.size,
                        eu::RES => m.resident,
                        eu::SHR => m.shared,
                        eu::COD => m.text,
                        _ => m.data,
                    } * tc.page_kb;
                    if kb == 0 { String::new() } else { mem(kb) }
                }
                eu::CPU if z && cpu_pct(v, t, tc) <= 0.0 => String::new(),
                eu::MEM if z && res_kb(t, tc) == 0 => String::new(),
                eu::TM2 if z && ticks(v, t) * 100 / tc.hz.max(1) == 0 => String::new(),
                eu::PID => fields::make_num(t.p.tid as i64, w),
                eu::PPD => fields::make_num(st.ppid as i64, w),
                eu::TGD => fields::make_num(t.p.pid as i64, w),
                eu::PGD => fields::make_num(st.pgrp as i64, w),
                eu::SID => fields::make_num(st.session as i64, w),
                eu::TPG => fields::make_num(st.tpgid as i64, w),
                eu::THD => fields::make_num(st.num_threads, w),
                eu::CPN => fields::make_num(st.processor as i64, w),
                eu::UED => fields::make_num(t.p.euid() as i64, w),
                eu::UEN => {
                    fields::put_str_utf8(&mut s, &user_text(cx, t.p.euid()), w, r);
                    break 'cell;
                }
                eu::PRI => {
                    if st.priority < -99 || st.priority > 999 {
                        "rt".to_string()
                    } else {
                        fields::make_num(st.priority, w)
                    }
                }
                eu::NCE => fields::make_num(st.nice, w),
                eu::VRT => mem(m.size * tc.page_kb),
                eu::RES => mem(m.resident * tc.page_kb),
                eu::SHR => mem(m.shared * tc.page_kb),
                eu::COD => mem(m.text * tc.page_kb),
                eu::DAT => mem(m.data * tc.page_kb),
                eu::STA => (st.state as char).to_string(),
                eu::CPU => fields::scale_pcnt(cpu_pct(v, t, tc), w),
                eu::MEM => {
                    let pct = (res_kb(t, tc) as f32 * 100.0f32) / tc.mem_total.max(1) as f32;
                    fields::scale_pcnt(pct, w)
                }
                eu::TM2 => fields::scale_tics_as(ticks(v, t), tc.hz, w, tics::SECS, v.tics_scaled),
                eu::FL1 => st.majflt.to_string(),
                eu::FL2 => st.minflt.to_string(),
                eu::CMD => {
                    fields::put_str_utf8(&mut s, &command_text(v, t, cx.charset), w, r);
                    break 'cell;
                }
                _ => match other_cell(v, f, t, tc, cx, w) {
                    Cell::Num(x) => x,
                    Cell::Str(x) => {
                        fields::put_str_utf8(&mut s, &x, w, r);
                        break 'cell;
                    }
                },
            };
            fields::justify(&mut s, &text, w, r);
        }
        if filtered && !super::filter::passes(filters, f, &s[cell_at..]) {
            return None;
        }
    }
    s.truncate(s.trim_end_matches(' ').len());
    Some(s)
}

/// What sorting by field `f` needs read for every task: its item's files (the owner of
/// `/proc/PID` for the effective user, which is what it records; nothing extra for the fields
/// top computes from `stat` or fills in itself).
pub fn field_needs(f: usize) -> Needs {
    match f {
        eu::UED | eu::UEN => Needs::OWNER,
        _ => FIELDS[f]
            .item
            .map_or(Needs::NONE, |i| i.needs().without(Needs::STAT)),
    }
}

/// What the view's shown fields need read beyond top's own files (`stat`, `statm`, the
/// owner): `status` for the other users and groups, `smaps_rollup` for PSS, and so on.
pub fn shown_needs(v: &View) -> Needs {
    v.fields
        .iter()
        .map(|&f| field_needs(f))
        .fold(Needs::NONE, |a, b| a | b)
        .without(super::tasks::BASE_NEEDS)
}

/// What every task needs read for this view's sort field and user filter when only the shown
/// rows get their memory and owner (the interactive screen).
pub fn sort_needs(v: &View) -> Needs {
    let mut n = field_needs(v.sort);
    if v.user.is_some() {
        n |= Needs::OWNER;
    }
    n
}

/// A cell of one of the fields [`row`] does not format itself: a number already fitted to the
/// width, or text still to be fitted (`make_str`).
enum Cell {
    Num(String),
    Str(String),
}

/// procps's `task_show` for the remaining fields: ids and counts by `make_num`, memory by
/// `scale_mem`, I/O by `scale_num`, times by `scale_tics`, `%CUU`/`%CUC` by `scale_pcnt` with
/// three decimals, `Flags` in hex with dots for zeros, names and paths as text (`-` when empty).
fn other_cell(v: &View, f: usize, t: &Task, tc: &TaskCtx, cx: &Ctx, w: usize) -> Cell {
    let fd = &FIELDS[f];
    let val = fd.item.map(|i| i.value(&t.p, cx));
    let int = match &val {
        Some(Key::Int(n)) => *n,
        Some(Key::Float(x)) => *x as i64,
        _ => 0,
    };
    let num = |n: i64| Cell::Num(fields::make_num(n, w));
    match fd.name {
        "RUID" | "SUID" | "GID" | "NU" | "LOGID" | "AGID" => num(int),
        // make_num with zero suppression.
        "OOMa" | "OOMs" | "AGNI" if v.zero_suppress && int == 0 => Cell::Num(String::new()),
        "OOMa" | "OOMs" | "AGNI" => num(int),
        "vMj" => Cell::Num(scale_num(t.fault_delta[0] as f32, w, v.zero_suppress)),
        "vMn" => Cell::Num(scale_num(t.fault_delta[1] as f32, w, v.zero_suppress)),
        "nsIPC" | "nsMNT" | "nsNET" | "nsPID" | "nsUSER" | "nsUTS" | "nsCGROUP" | "nsTIME"
            if !(v.zero_suppress && int == 0) =>
        {
            num(int)
        }
        "nsIPC" | "nsMNT" | "nsNET" | "nsPID" | "nsUSER" | "nsUTS" | "nsCGROUP" | "nsTIME" => {
            Cell::Num(String::new())
        }
        // Dirty pages: always 0 since Linux 2.6.
        "nDRT" => num(0),
        "SWAP" | "USED" | "RSan" | "RSfd" | "RSlk" | "RSsh" | "RSS" | "PSS" | "PSan" | "PSfd"
        | "PSsh" | "USS" => Cell::Num(fields::scale_mem(int.max(0) as u64, v.task_scale, w)),
        "ioR" | "ioRop" | "ioW" | "ioWop" => {
            Cell::Num(scale_num(int.max(0) as f32, w, v.zero_suppress))
        }
        "TIME" => Cell::Num(fields::scale_tics_as(
            ticks(v, t),
            tc.hz,
            w,
            tics::SECS,
            v.tics_scaled,
        )),
        "STARTED" => Cell::Num(fields::scale_tics_as(
            t.p.stat.starttime,
            tc.hz,
            w,
            tics::MINS,
            v.tics_scaled,
        )),
        "ELAPSED" => {
            let secs = match &val {
                Some(Key::Float(x)) => *x,
                _ => 0.0,
            };
            Cell::Num(fields::scale_tics_as(
                (secs * tc.hz as f64) as u64,
                tc.hz,
                w,
                tics::HOUR,
                v.tics_scaled,
            ))
        }
        "%CUU" | "%CUC" => {
            let pct = match &val {
                Some(Key::Float(x)) => *x as f32,
                _ => 0.0,
            };
            Cell::Num(pcnt3(pct, w))
        }
        "Flags" => {
            let hex: String = format!("{:08x}", int as u32)
                .chars()
                .map(|c| if c == '0' { '.' } else { c })
                .collect();
            Cell::Str(hex)
        }
        _ => {
            // Names, paths and the environment are escaped as the command line is: no control
            // byte reaches the terminal.
            let text = match val {
                Some(Key::Text(b) | Key::Version(b)) => {
                    let mut out = String::new();
                    text::escape(&b, cx.charset, usize::MAX / 2, &mut out);
                    out
                }
                Some(Key::Int(n)) => n.to_string(),
                _ => String::new(),
            };
            Cell::Str(if text.is_empty() { "-".into() } else { text })
        }
    }
}

/// procps's `scale_num`: the count if it fits `width`, else in KiB, MiB, ... with one decimal
/// or none; `?` when nothing fits; blank for zero with zero suppression.
fn scale_num(mut n: f32, width: usize, zero_suppress: bool) -> String {
    if zero_suppress && n <= 0.0 {
        return String::new();
    }
    let s = format!("{:.0}", n as f64);
    if s.len() <= width {
        return s;
    }
    for sfx in ['k', 'm', 'g', 't', 'p', 'e'] {
        n /= 1024.0;
        for s in [
            format!("{:.1}{sfx}", n as f64),
            format!("{:.0}{sfx}", n as f64),
        ] {
            if s.len() <= width {
                return s;
            }
        }
    }
    "?".into()
}

/// procps's `scale_pcnt` with its extra precision (`%CUU`, `%CUC`): three decimals, or two,
/// else as `%CPU`.
fn pcnt3(v: f32, width: usize) -> String {
    for s in [format!("{:.3}", v as f64), format!("{:.2}", v as f64)] {
        if s.len() <= width {
            return s;
        }
    }
    fields::scale_pcnt(v, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn justify_and_widen_as_procps() {
        let mut v = View::new("top".into());
        let (shown, varsz) = fit_fields(&v);
        let h = header(&v, &shown, varsz);
        assert!(h.starts_with("  PID USER      PR"), "{h}");
        v.jr_nums = false;
        assert!(header(&v, &shown, varsz).starts_with("PID   USER     PR  NI"));
        v.jr_nums = true;
        v.jr_strs = true;
        let (shown, varsz) = fit_fields(&v);
        assert!(header(&v, &shown, varsz).starts_with("  PID     USER  PR"));
        assert!(header(&v, &shown, varsz).ends_with(" COMMAND"));
        v.jr_strs = false;
        v.fixed_widest = 3;
        let (shown, varsz) = fit_fields(&v);
        assert!(header(&v, &shown, varsz).starts_with("  PID USER         PR"));
        // -1 (auto) widens nothing.
        v.fixed_widest = -1;
        let (shown, varsz) = fit_fields(&v);
        assert!(header(&v, &shown, varsz).starts_with("  PID USER      PR"));
    }

    #[test]
    fn cpu_keys_as_procps() {
        let mut v = super::View::new("top".into());
        // Without NUMA nodes `2` and `3` are refused; `!` needs the per-CPU lines.
        assert_eq!(v.cpu_key('2', 2), Err(super::NUMA_UNAVAILABLE));
        assert_eq!(v.cpu_key('!', 2), Err(super::WRONG_MODE));
        v.cpu_key('4', 2).unwrap();
        assert!(v.per_cpu && v.double_up == 1);
        // Two CPUs: `4` again is back to one a row, `!` toggles the combined row.
        v.cpu_key('4', 2).unwrap();
        assert_eq!(v.double_up, 0);
        v.cpu_key('!', 2).unwrap();
        assert_eq!(v.combine_cpus, 1);
        v.cpu_key('!', 2).unwrap();
        assert_eq!(v.combine_cpus, 0);
        // Eight CPUs: 1, 2, 4, then off; `4` past 1 only with graphs.
        for want in [1, 2, 4, 0] {
            v.cpu_key('!', 8).unwrap();
            assert_eq!(v.combine_cpus, want);
        }
        v.cpu_key('4', 8).unwrap();
        v.cpu_key('4', 8).unwrap();
        assert_eq!(v.double_up, 0);
        v.graph_cpus = 1;
        for want in [1, 2, 3] {
            v.cpu_key('4', 8).unwrap();
            assert_eq!(v.double_up, want);
        }
        // NUMA: `2` toggles the nodes view (and `%Cpu(s)` after it), `3` expands a node.
        v.numa_nodes = vec![(0, vec![0, 1])];
        v.cpu_key('2', 2).unwrap();
        assert!(v.numa_view && v.double_up == 0);
        assert_eq!(v.cpu_key('!', 2), Err(super::WRONG_MODE));
        v.cpu_key('2', 2).unwrap();
        assert!(!v.numa_view && !v.per_cpu);
        assert_eq!(v.expand_node(1), Err("invalid numa node"));
        v.expand_node(0).unwrap();
        assert!(v.numa_view && v.numa_sel == Some(0));
        // `2` from an expanded node: back to all nodes, still the NUMA view.
        v.cpu_key('2', 2).unwrap();
        assert!(v.numa_view && v.numa_sel.is_none());
        v.cpu_key('1', 2).unwrap();
        assert!(v.per_cpu && !v.numa_view);
    }

    #[test]
    fn permute_in_place() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        super::permute(&mut v, &[3, 0, 5, 1, 2, 4]);
        assert_eq!(v, ['d', 'a', 'f', 'b', 'c', 'e']);
        let mut w: Vec<u32> = (0..100).collect();
        let order: Vec<usize> = (0..100).rev().collect();
        super::permute(&mut w, &order);
        assert_eq!(w, (0..100).rev().collect::<Vec<u32>>());
        let mut one = vec![7];
        super::permute(&mut one, &[0]);
        assert_eq!(one, [7]);
    }
}
