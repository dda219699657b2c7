//! The item registry: every value gopsi reports about a process, declared once (procps's
//! `enum pids_item`). Each [`Item`] has a name, a [`Unit`], the /proc files it needs and the
//! function that computes its typed [`Value`] from what the reader read. ps columns, top fields,
//! sort keys, JSON keys, the library's accessors and the exporter's metrics all refer to items
//! and never re-derive a value. Never reads /proc and never formats text for a screen.

pub(crate) mod values;

use std::cmp::Ordering;

use crate::proc::{Needs, Process};
use crate::snapshot::Ctx;

/// The unit of an item's value: what a number means, and the suffix of its JSON key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unit {
    /// An identifier (process, user, group, namespace inode).
    Id,
    /// A plain count (threads, faults, operations, a priority, a score).
    Count,
    /// Kibibytes (1024 bytes).
    KiB,
    /// Memory pages (the machine's page size).
    Pages,
    /// Bytes.
    Bytes,
    /// Clock ticks (`sysconf(_SC_CLK_TCK)` per second).
    Ticks,
    /// Clock ticks after boot (a point in time).
    BootTicks,
    /// Seconds.
    Seconds,
    /// Per cent.
    Percent,
    /// Per mille.
    Permille,
    /// A bit mask or a set of kernel flags.
    Flags,
    /// A memory address.
    Address,
    /// Text (names, paths, command lines).
    Text,
}

impl Unit {
    /// The suffix a JSON key carries for values of this unit (`rss_kib`, `time_s`).
    pub fn json_suffix(self) -> &'static str {
        match self {
            Unit::KiB => "_kib",
            Unit::Pages => "_pages",
            Unit::Bytes => "_bytes",
            Unit::Ticks => "_ticks",
            Unit::BootTicks => "_ticks_after_boot",
            Unit::Seconds => "_s",
            _ => "",
        }
    }
}

/// A typed value of one item for one process: rows sort by this, never by their printed text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A signed integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Bytes compared bytewise.
    Text(Vec<u8>),
    /// Bytes compared like `strverscmp`: digit runs by value (`pts/9` < `pts/10`).
    Version(Vec<u8>),
}

impl Value {
    /// Total order between two values of one item.
    pub fn compare(&self, other: &Value) -> Ordering {
        use Value::*;
        match (self, other) {
            (Int(a), Int(b)) => a.cmp(b),
            (Float(a), Float(b)) => a.total_cmp(b),
            (Text(a), Text(b)) => a.cmp(b),
            (Version(a), Version(b)) => version_cmp(a, b),
            (Int(_), _) => Ordering::Less,
            (_, Int(_)) => Ordering::Greater,
            (Float(_), _) => Ordering::Less,
            (_, Float(_)) => Ordering::Greater,
            (Text(_), _) => Ordering::Less,
            (_, Text(_)) => Ordering::Greater,
        }
    }

    /// The value as an integer, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as a number (integers widened), if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(v) => Some(*v as f64),
            Value::Float(v) => Some(*v),
            _ => None,
        }
    }

    /// The value's bytes, if it is text.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Text(b) | Value::Version(b) => Some(b),
            _ => None,
        }
    }
}

/// Natural order of two byte strings: runs of digits compare by value, the rest bytewise.
pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    use std::cmp::Ordering::Equal;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
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

/// How an item's value is computed from one process and the collection's context.
pub(crate) type ValueFn = fn(&Process, &Ctx) -> Value;

/// One entry of the registry.
#[derive(Debug)]
pub struct ItemDef {
    /// The item this entry defines.
    pub item: Item,
    /// Its name: the library's and the exporter's word for it (`vm_rss`).
    pub name: &'static str,
    /// The unit of its value.
    pub unit: Unit,
    /// The /proc files its value needs (`stat` is always read).
    pub needs: Needs,
    /// One line saying what it is.
    pub help: &'static str,
    pub(crate) value: ValueFn,
}

/// Declares the registry: `Variant "name" Unit NEEDS, |p, cx| value;` per item, with a doc line.
macro_rules! items {
    ($( #[doc = $doc:literal] $v:ident $name:literal $unit:ident $needs:expr, |$p:pat_param, $cx:pat_param| $body:expr; )*) => {
        /// One value gopsi reports about a task (procps's `pids_item`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Item {
            $( #[doc = $doc] $v, )*
        }

        /// Every item, in [`Item`] order (`ITEMS[item as usize].item == item`).
        pub static ITEMS: &[ItemDef] = &[
            $( ItemDef {
                item: Item::$v,
                name: $name,
                unit: Unit::$unit,
                needs: $needs,
                help: $doc.trim_ascii_start(),
                value: |$p: &Process, $cx: &Ctx| -> Value { $body },
            }, )*
        ];
    };
}

use values::*;

const S: Needs = Needs::STAT;
const ST: Needs = Needs::STATUS;
const SM: Needs = Needs::STATM;
const SR: Needs = Needs::SMAPS;
const CL: Needs = Needs::CMDLINE;

items! {
    /// Process id (thread group id).
    Pid "pid" Id S, |p, _| Value::Int(p.pid.into());
    /// Task id: the thread's id on a thread row, else the process id.
    Tid "tid" Id S, |p, _| Value::Int(p.tid.into());
    /// Parent process id.
    Ppid "ppid" Id S, |p, _| Value::Int(p.stat.ppid.into());
    /// Process group id.
    Pgrp "pgrp" Id S, |p, _| Value::Int(p.stat.pgrp.into());
    /// Session id.
    Session "session" Id S, |p, _| Value::Int(p.stat.session.into());
    /// Foreground process group of the controlling terminal.
    Tpgid "tpgid" Id S, |p, _| Value::Int(p.stat.tpgid.into());
    /// Controlling terminal name (`pts/0`; `?` for none), in version order.
    TtyName "tty" Text S, |p, cx| Value::Version(cx.tty_name(p).unwrap_or_else(|| "?".into()).into_bytes());
    /// Real user id.
    Ruid "ruid" Id ST, |p, _| Value::Int(uid(p, 0).into());
    /// Effective user id.
    Euid "euid" Id ST, |p, _| Value::Int(uid(p, 1).into());
    /// Saved user id.
    Suid "suid" Id ST, |p, _| Value::Int(uid(p, 2).into());
    /// File-system user id.
    Fuid "fuid" Id ST, |p, _| Value::Int(uid(p, 3).into());
    /// Real group id.
    Rgid "rgid" Id ST, |p, _| Value::Int(gid(p, 0).into());
    /// Effective group id.
    Egid "egid" Id ST, |p, _| Value::Int(gid(p, 1).into());
    /// Saved group id.
    Sgid "sgid" Id ST, |p, _| Value::Int(gid(p, 2).into());
    /// File-system group id.
    Fgid "fgid" Id ST, |p, _| Value::Int(gid(p, 3).into());
    /// Real user name (the number when unknown).
    Ruser "ruser" Text ST, |p, cx| user(cx, uid(p, 0));
    /// Effective user name (the number when unknown).
    Euser "euser" Text ST, |p, cx| user(cx, uid(p, 1));
    /// Saved user name.
    Suser "suser" Text ST, |p, cx| user(cx, uid(p, 2));
    /// File-system user name.
    Fuser "fuser" Text ST, |p, cx| user(cx, uid(p, 3));
    /// Real group name (the number when unknown).
    Rgroup "rgroup" Text ST, |p, cx| group(cx, gid(p, 0));
    /// Effective group name.
    Egroup "egroup" Text ST, |p, cx| group(cx, gid(p, 1));
    /// Saved group name.
    Sgroup "sgroup" Text ST, |p, cx| group(cx, gid(p, 2));
    /// File-system group name.
    Fgroup "fgroup" Text ST, |p, cx| group(cx, gid(p, 3));
    /// Supplementary group ids, comma-separated.
    SupGids "supgids" Text ST, |p, _| Value::Text(sup_gids(p));
    /// Supplementary group names, comma-separated.
    SupGroups "supgroups" Text ST, |p, cx| Value::Text(sup_groups(p, cx));
    /// Login uid (-1 when unset).
    LoginUid "loginuid" Id Needs::LOGINUID, |p, _| Value::Int(p.loginuid.map_or(-1, |u| u as i32).into());

    /// Lifetime CPU use, per cent of one CPU (procps's float formula).
    Utilization "utilization" Percent S, |p, cx| Value::Float(utilization(p, cx, false));
    /// Lifetime CPU use with dead children's time, per cent.
    UtilizationC "utilization_c" Percent S, |p, cx| Value::Float(utilization(p, cx, true));
    /// Lifetime CPU use as ps's %CPU shows it (per mille, to one decimal).
    PcpuShown "pcpu" Percent S, |p, cx| { let pm = permille(p, cx); Value::Float(if pm > 999 { (pm / 10) as f64 } else { pm as f64 / 10.0 }) };
    /// Lifetime CPU use in whole per cent, capped at 99 (ps's C).
    PcpuInt "pcpu_int" Percent S, |p, cx| Value::Int((permille(p, cx) / 10).min(99) as i64);
    /// Lifetime CPU use, per mille, capped at 999 (ps's CP).
    PcpuPermille "pcpu_permille" Permille S, |p, cx| Value::Int(permille(p, cx).min(999) as i64);
    /// Lifetime CPU use to three decimals, capped at 99.999 (ps's %CUU).
    CuuShown "cuu" Percent S, |p, cx| Value::Float(cap_util(utilization(p, cx, false)));
    /// As cuu, with dead children's time (ps's %CUC).
    CucShown "cuc" Percent S, |p, cx| Value::Float(cap_util(utilization(p, cx, true)));
    /// CPU time, user plus system, seconds (fractional).
    CpuSecs "cpu_seconds" Seconds S, |p, cx| Value::Float((p.stat.utime as f64 + p.stat.stime as f64) / cx.hz as f64);
    /// CPU time, user plus system, whole seconds.
    CpuSecsWhole "cpu_seconds_whole" Seconds S, |p, cx| Value::Int(cpu_secs_whole(p, cx) as i64);
    /// CPU time in clock ticks (with dead children's under ps's `S`).
    Ticks "cpu_ticks" Ticks S, |p, cx| Value::Int(cx.cpu_ticks(p) as i64);
    /// CPU time in clock ticks, user plus system.
    TicksAll "ticks" Ticks S, |p, _| Value::Int((p.stat.utime + p.stat.stime) as i64);
    /// CPU time in clock ticks, with dead children's.
    TicksAllC "ticks_c" Ticks S, |p, _| Value::Int((p.stat.utime + p.stat.stime + p.stat.cutime + p.stat.cstime) as i64);
    /// User-mode CPU time, clock ticks.
    TicksUser "utime" Ticks S, |p, _| Value::Int(p.stat.utime as i64);
    /// Kernel-mode CPU time, clock ticks.
    TicksSystem "stime" Ticks S, |p, _| Value::Int(p.stat.stime as i64);
    /// Time since the process started, seconds (fractional).
    Elapsed "elapsed" Seconds S, |p, cx| Value::Float(cx.elapsed(p));
    /// Time since the process started, whole seconds.
    ElapsedWhole "elapsed_whole" Seconds S, |p, cx| Value::Int(cx.elapsed(p) as u64 as u32 as i64);
    /// Start time, clock ticks after boot.
    StartTicks "start_time" BootTicks S, |p, _| Value::Int(p.stat.starttime as i64);
    /// Start time, seconds since the epoch.
    StartEpoch "start_epoch" Seconds S, |p, cx| Value::Int(cx.start_epoch(p));

    /// Nice value.
    Nice "nice" Count S, |p, _| Value::Int(p.stat.nice);
    /// Kernel priority (stat field 18).
    Priority "priority" Count S, |p, _| Value::Int(p.stat.priority);
    /// Priority as ps's PRI shows it (39 minus the kernel priority).
    PriPs "pri" Count S, |p, _| Value::Int(39 - p.stat.priority);
    /// Priority as ps -l shows it (60 plus the kernel priority).
    PriOld "opri" Count S, |p, _| Value::Int(60 + p.stat.priority);
    /// Priority, -1 minus the kernel priority (ps's pri_api).
    PriApi "pri_api" Count S, |p, _| Value::Int(-1 - p.stat.priority);
    /// Priority, kernel priority plus 1 (ps's pri_bar).
    PriBar "pri_bar" Count S, |p, _| Value::Int(p.stat.priority + 1);
    /// Priority, kernel priority plus 100 (ps's pri_baz).
    PriBaz "pri_baz" Count S, |p, _| Value::Int(p.stat.priority + 100);
    /// Priority, kernel priority minus 20 (ps's pri_foo).
    PriFoo "pri_foo" Count S, |p, _| Value::Int(p.stat.priority - 20);
    /// Real-time priority.
    RtPriority "rt_priority" Count S, |p, _| Value::Int(p.stat.rt_priority.into());
    /// Scheduling policy number (`SCHED_*`).
    Policy "policy" Count S, |p, _| Value::Int(p.stat.policy.into());
    /// Processor the task last ran on.
    Processor "processor" Id S, |p, _| Value::Int(p.stat.processor.into());
    /// NUMA node of the last processor (0 on a single-node machine).
    Numa "numa" Id S, |_, _| Value::Int(0);
    /// Number of threads.
    Threads "threads" Count S, |p, _| Value::Int(p.stat.num_threads);
    /// State letter (R S D Z T t X I), as its byte value.
    State "state" Text S, |p, _| Value::Int(p.stat.state.into());
    /// Kernel task flags (`PF_*`).
    Flags "flags" Flags S, |p, _| Value::Int(p.stat.flags.into());
    /// ps's F: the forked-without-exec and superuser flags, octal digit.
    FlagsPs "flags_ps" Flags S, |p, _| Value::Int(((p.stat.flags >> 6) & 7).into());
    /// Wait channel: the kernel function where the task sleeps (`-` running, `?` unknown).
    Wchan "wchan" Text Needs::WCHAN, |p, _| Value::Text(wchan_name(p).to_vec());

    /// Virtual memory size, KiB (`VmSize`).
    VmSize "vm_size" KiB ST, |p, _| Value::Int(vm(p, |s| s.vm_size) as i64);
    /// Virtual memory size in pages.
    VmSizePages "vm_size_pages" Pages ST, |p, cx| Value::Int((vm(p, |s| s.vm_size) / cx.page_kb) as i64);
    /// Resident set size, KiB (`VmRSS`).
    VmRss "vm_rss" KiB ST, |p, _| Value::Int(vm(p, |s| s.vm_rss) as i64);
    /// Resident memory as per cent of MemTotal, as ps's %MEM shows it (one decimal, under 100).
    PmemShown "pmem" Percent ST, |p, cx| Value::Float(((vm(p, |s| s.vm_rss) * 1000 / cx.mem_total).min(999)) as f64 / 10.0);
    /// Data plus stack size, KiB (ps's SIZE).
    VmSwappable "vm_swappable" KiB ST, |p, _| Value::Int((vm(p, |s| s.vm_data) + vm(p, |s| s.vm_stk)) as i64);
    /// Locked memory, KiB (`VmLck`).
    VmLck "vm_lck" KiB ST, |p, _| Value::Int(vm(p, |s| s.vm_lck) as i64);
    /// Swapped-out memory, KiB (`VmSwap`).
    VmSwap "vm_swap" KiB ST, |p, _| Value::Int(vm(p, |s| s.vm_swap) as i64);
    /// Resident plus swapped memory, KiB.
    VmUsed "vm_used" KiB ST, |p, _| Value::Int((vm(p, |s| s.vm_rss) + vm(p, |s| s.vm_swap)) as i64);
    /// Resident anonymous memory, KiB (`RssAnon`).
    RssAnon "rss_anon" KiB ST, |p, _| Value::Int(vm(p, |s| s.rss_anon) as i64);
    /// Resident file-backed memory, KiB (`RssFile`).
    RssFile "rss_file" KiB ST, |p, _| Value::Int(vm(p, |s| s.rss_file) as i64);
    /// Resident shared memory, KiB (`RssShmem`).
    RssShmem "rss_shmem" KiB ST, |p, _| Value::Int(vm(p, |s| s.rss_shmem) as i64);
    /// Virtual memory size in bytes (stat's vsize).
    VsizeBytes "vsize" Bytes S, |p, _| Value::Int(p.stat.vsize as i64);
    /// Data size (virtual size minus code), KiB.
    DataKib "data_kib" KiB S, |p, _| Value::Int(data_kib(p));
    /// Text (code) size, KiB.
    TextKib "text_kib" KiB S, |p, _| Value::Int(text_kib(p));
    /// Resident set size limit, KiB.
    RssLimKib "rss_limit" KiB S, |p, _| Value::Int((p.stat.rsslim >> 10) as i64);
    /// Resident set size limit, bytes (the kernel's value; all ones for none).
    RssLim "rss_limit_bytes" Bytes S, |p, _| Value::Int(p.stat.rsslim as i64);
    /// Address of the start of the stack.
    StartStack "start_stack" Address S, |p, _| Value::Int(p.stat.startstack as i64);
    /// Kernel stack pointer.
    Esp "esp" Address S, |p, _| Value::Int(p.stat.kstkesp as i64);
    /// Kernel instruction pointer.
    Eip "eip" Address S, |p, _| Value::Int(p.stat.kstkeip as i64);
    /// Major page faults (with dead children's under ps's `S`).
    MajFlt "major_faults" Count S, |p, cx| Value::Int((p.stat.majflt + if cx.flags.cumulative { p.stat.cmajflt } else { 0 }) as i64);
    /// Minor page faults (with dead children's under ps's `S`).
    MinFlt "minor_faults" Count S, |p, cx| Value::Int((p.stat.minflt + if cx.flags.cumulative { p.stat.cminflt } else { 0 }) as i64);
    /// Major page faults of the task itself.
    MajFltSelf "major_faults_self" Count S, |p, _| Value::Int(p.stat.majflt as i64);
    /// Minor page faults of the task itself.
    MinFltSelf "minor_faults_self" Count S, |p, _| Value::Int(p.stat.minflt as i64);
    /// Virtual size, KiB (statm's size).
    MemVirt "mem_virt" KiB SM, |p, cx| Value::Int((statm(p).size * cx.page_kb) as i64);
    /// Resident size, KiB (statm's resident).
    MemRes "mem_res" KiB SM, |p, cx| Value::Int((statm(p).resident * cx.page_kb) as i64);
    /// Shared resident size, KiB (statm's shared).
    MemShr "mem_shr" KiB SM, |p, cx| Value::Int((statm(p).shared * cx.page_kb) as i64);
    /// Code size, KiB (statm's text).
    MemCode "mem_code" KiB SM, |p, cx| Value::Int((statm(p).text * cx.page_kb) as i64);
    /// Data plus stack size, KiB (statm's data).
    MemData "mem_data" KiB SM, |p, cx| Value::Int((statm(p).data * cx.page_kb) as i64);
    /// Proportional share of resident memory, KiB.
    Pss "pss" KiB SR, |p, _| Value::Int(p.smaps.map_or(0, |s| s.pss) as i64);
    /// Proportional share of anonymous memory, KiB.
    PssAnon "pss_anon" KiB SR, |p, _| Value::Int(p.smaps.map_or(0, |s| s.pss_anon) as i64);
    /// Proportional share of file-backed memory, KiB.
    PssFile "pss_file" KiB SR, |p, _| Value::Int(p.smaps.map_or(0, |s| s.pss_file) as i64);
    /// Proportional share of shared memory, KiB.
    PssShmem "pss_shmem" KiB SR, |p, _| Value::Int(p.smaps.map_or(0, |s| s.pss_shmem) as i64);
    /// Unique (private) resident memory, KiB.
    Uss "uss" KiB SR, |p, _| Value::Int(p.smaps.map_or(0, |s| s.uss) as i64);

    /// Pending signals of the process (shared), mask.
    SigPending "signals_pending" Flags ST, |p, _| Value::Int(p.status.as_ref().map_or(0, |s| s.shd_pnd) as i64);
    /// Pending signals of the thread, mask.
    SigPendingThread "signals_pending_thread" Flags ST, |p, _| Value::Int(p.status.as_ref().map_or(0, |s| s.sig_pnd) as i64);
    /// Blocked signals, mask.
    SigBlocked "signals_blocked" Flags ST, |p, _| Value::Int(p.status.as_ref().map_or(0, |s| s.sig_blk) as i64);
    /// Ignored signals, mask.
    SigIgnored "signals_ignored" Flags ST, |p, _| Value::Int(p.status.as_ref().map_or(0, |s| s.sig_ign) as i64);
    /// Caught signals, mask.
    SigCaught "signals_caught" Flags ST, |p, _| Value::Int(p.status.as_ref().map_or(0, |s| s.sig_cgt) as i64);

    /// Command name (`comm`, up to 15 bytes), raw.
    Comm "comm" Text S, |p, _| Value::Text(p.stat.comm.clone());
    /// Command line (argv joined; `[comm]` when empty), escaped as procps's library does.
    Args "args" Text CL, |p, cx| Value::Text(args_bytes(p, cx.charset));
    /// Path of the executable.
    Exe "exe" Text Needs::EXE, |p, _| Value::Text(p.exe.clone().unwrap_or_default());
    /// Environment, joined like argv.
    Environ "environ" Text Needs::ENVIRON, |p, _| Value::Text(p.environ.clone().unwrap_or_default());
    /// Control groups (non-root lines of /proc/PID/cgroup, comma-separated).
    Cgroup "cgroup" Text Needs::CGROUP, |p, _| Value::Text(cgroup_text(p));
    /// Control group name (after `name=`).
    Cgname "cgname" Text Needs::CGROUP, |p, _| Value::Text(cgname_text(p));
    /// systemd slice, from the cgroup path.
    Slice "slice" Text Needs::CGROUP, |p, _| Value::Text(slice(p).into_bytes());

    /// Out-of-memory score (`oom_score`).
    OomScore "oom_score" Count Needs::OOM, |p, _| Value::Int(p.oom.map_or(0, |o| o.0).into());
    /// Out-of-memory score adjustment (`oom_score_adj`).
    OomAdj "oom_score_adj" Count Needs::OOM, |p, _| Value::Int(p.oom.map_or(0, |o| o.1).into());
    /// cgroup namespace inode.
    NsCgroup "ns_cgroup" Id Needs::NS, |p, _| ns(p, 0);
    /// IPC namespace inode.
    NsIpc "ns_ipc" Id Needs::NS, |p, _| ns(p, 1);
    /// Mount namespace inode.
    NsMnt "ns_mnt" Id Needs::NS, |p, _| ns(p, 2);
    /// Network namespace inode.
    NsNet "ns_net" Id Needs::NS, |p, _| ns(p, 3);
    /// PID namespace inode.
    NsPid "ns_pid" Id Needs::NS, |p, _| ns(p, 4);
    /// User namespace inode.
    NsUser "ns_user" Id Needs::NS, |p, _| ns(p, 5);
    /// UTS namespace inode.
    NsUts "ns_uts" Id Needs::NS, |p, _| ns(p, 6);
    /// Time namespace inode.
    NsTime "ns_time" Id Needs::NS, |p, _| ns(p, 7);
    /// Bytes read from storage.
    IoReadBytes "io_read_bytes" Bytes Needs::IO, |p, _| io(p, |i| i.read_bytes);
    /// Bytes read by any read call.
    IoReadChars "io_read_chars" Bytes Needs::IO, |p, _| io(p, |i| i.rchar);
    /// Read system calls.
    IoReadOps "io_read_ops" Count Needs::IO, |p, _| io(p, |i| i.syscr);
    /// Bytes written to storage.
    IoWriteBytes "io_write_bytes" Bytes Needs::IO, |p, _| io(p, |i| i.write_bytes);
    /// Cancelled write bytes.
    IoCancelledBytes "io_cancelled_write_bytes" Bytes Needs::IO, |p, _| io(p, |i| i.cancelled_write_bytes);
    /// Bytes written by any write call.
    IoWriteChars "io_write_chars" Bytes Needs::IO, |p, _| io(p, |i| i.wchar);
    /// Write system calls.
    IoWriteOps "io_write_ops" Count Needs::IO, |p, _| io(p, |i| i.syscw);
    /// Autogroup id (-1 without autogroups).
    AutogroupId "autogroup_id" Id Needs::AUTOGROUP, |p, _| Value::Int(p.autogroup.map_or(-1, |a| a.0).into());
    /// Autogroup nice value.
    AutogroupNice "autogroup_nice" Count Needs::AUTOGROUP, |p, _| Value::Int(p.autogroup.map_or(0, |a| a.1).into());
    /// Security label (empty without SELinux; ps orders such rows by pid).
    Label "label" Text S, |p, _| Value::Int(p.pid.into());
}

impl Item {
    /// This item's registry entry.
    pub fn def(self) -> &'static ItemDef {
        &ITEMS[self as usize]
    }

    /// The item named `name` (its [`ItemDef::name`]).
    pub fn by_name(name: &str) -> Option<Item> {
        ITEMS.iter().find(|d| d.name == name).map(|d| d.item)
    }

    /// The /proc files this item needs.
    pub fn needs(self) -> Needs {
        self.def().needs
    }

    /// This item's value for `p`.
    pub(crate) fn value(self, p: &Process, cx: &Ctx) -> Value {
        (self.def().value)(p, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn registry_is_in_enum_order_with_unique_names() {
        let mut names = HashSet::new();
        for (i, d) in ITEMS.iter().enumerate() {
            assert_eq!(d.item as usize, i, "{} out of order", d.name);
            assert!(names.insert(d.name), "duplicate item name {}", d.name);
            assert!(!d.help.is_empty());
            assert_eq!(Item::by_name(d.name), Some(d.item));
        }
    }

    #[test]
    fn version_order() {
        assert_eq!(version_cmp(b"pts/9", b"pts/10"), Ordering::Less);
        assert_eq!(version_cmp(b"tty2", b"pts/0"), Ordering::Greater);
        assert_eq!(version_cmp(b"a01", b"a1"), Ordering::Equal);
    }
}
