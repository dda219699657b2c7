//! top's field table (the 78 names `-O` lists, their widths and sort keys) and procps top's
//! cell formatters (`make_num`, `make_str_utf8`, `scale_mem`, `scale_pcnt`, `scale_tics`) in
//! its f32 arithmetic. Pure: never reads /proc and never writes to the terminal.

use crate::items::Item::{self, *};
use crate::sys;

/// One of top's fields, in procps's `Fieldstab` order.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The header text (also the `-o` name).
    pub name: &'static str,
    /// Width, `0` for PID-like columns sized by `pid_max`, `-1` for variable width.
    pub width: i32,
    /// Right-justified.
    pub right: bool,
    /// The item this field shows and sorts by; `None` for the fields top computes itself
    /// (`%CPU`, `TIME`, `TIME+`, `COMMAND`, the fault deltas) or has no data for.
    pub item: Option<Item>,
    /// One line for the man page and help.
    pub help: &'static str,
}

const fn f(
    name: &'static str,
    width: i32,
    right: bool,
    item: Option<Item>,
    help: &'static str,
) -> Field {
    Field {
        name,
        width,
        right,
        item,
        help,
    }
}

/// Every field, in `Fieldstab` order (indices are procps's `EU_*` numbers).
#[rustfmt::skip]
pub const FIELDS: [Field; 78] = [
    f("PID", 0, true, Some(Tid), "process id (the task id with -H)"),
    f("PPID", 0, true, Some(Ppid), "parent process id"),
    f("UID", 5, true, Some(Euid), "effective user id"),
    f("USER", 8, false, Some(Euser), "effective user name"),
    f("RUID", 5, true, Some(Ruid), "real user id"),
    f("RUSER", 8, false, Some(Ruser), "real user name"),
    f("SUID", 5, true, Some(Suid), "saved user id"),
    f("SUSER", 8, false, Some(Suser), "saved user name"),
    f("GID", 5, true, Some(Egid), "effective group id"),
    f("GROUP", 8, false, Some(Egroup), "effective group name"),
    f("PGRP", 0, true, Some(Pgrp), "process group id"),
    f("TTY", 8, false, Some(TtyName), "controlling terminal"),
    f("TPGID", 0, true, Some(Tpgid), "foreground process group of the terminal"),
    f("SID", 0, true, Some(Session), "session id"),
    f("PR", 3, true, Some(Priority), "kernel priority (rt for real-time priority 99)"),
    f("NI", 3, true, Some(Nice), "nice value"),
    f("nTH", 3, true, Some(Threads), "number of threads"),
    f("P", 1, true, Some(Processor), "last used CPU"),
    f("%CPU", 5, true, None, "CPU use since the last frame, per cent of one CPU"),
    f("TIME", 6, true, None, "CPU time, minutes:seconds"),
    f("TIME+", 9, true, None, "CPU time, to hundredths of a second"),
    f("%MEM", 5, true, Some(MemRes), "resident memory as per cent of MemTotal"),
    f("VIRT", 7, true, Some(MemVirt), "virtual memory size"),
    f("SWAP", 6, true, Some(VmSwap), "swapped size"),
    f("RES", 6, true, Some(MemRes), "resident memory size"),
    f("CODE", 6, true, Some(MemCode), "code (text) size"),
    f("DATA", 7, true, Some(MemData), "data and stack size"),
    f("SHR", 6, true, Some(MemShr), "shared memory size"),
    f("nMaj", 4, true, Some(MajFltSelf), "major page faults"),
    f("nMin", 4, true, Some(MinFltSelf), "minor page faults"),
    f("nDRT", 4, true, None, "dirty pages (always 0 on Linux 2.6+)"),
    f("S", 1, true, Some(State), "process state letter"),
    f("COMMAND", -1, false, None, "command name, or command line with -c"),
    f("WCHAN", 10, false, Some(Wchan), "kernel function where the task sleeps"),
    f("Flags", 8, false, Some(Flags), "kernel task flags (hex)"),
    f("CGROUPS", -1, false, Some(Cgroup), "control groups"),
    f("SUPGIDS", -1, false, Some(SupGids), "supplementary group ids"),
    f("SUPGRPS", -1, false, Some(SupGroups), "supplementary group names"),
    f("TGID", 0, true, Some(Pid), "thread group id"),
    f("OOMa", 5, true, Some(OomAdj), "out-of-memory score adjustment"),
    f("OOMs", 4, true, Some(OomScore), "out-of-memory score"),
    f("ENVIRON", -1, false, Some(Environ), "environment"),
    f("vMj", 3, true, None, "major page faults since the last frame"),
    f("vMn", 3, true, None, "minor page faults since the last frame"),
    f("USED", 6, true, Some(VmUsed), "resident plus swapped size"),
    f("nsIPC", 10, true, Some(NsIpc), "IPC namespace inode"),
    f("nsMNT", 10, true, Some(NsMnt), "mount namespace inode"),
    f("nsNET", 10, true, Some(NsNet), "network namespace inode"),
    f("nsPID", 10, true, Some(NsPid), "pid namespace inode"),
    f("nsUSER", 10, true, Some(NsUser), "user namespace inode"),
    f("nsUTS", 10, true, Some(NsUts), "UTS namespace inode"),
    f("LXC", 8, false, None, "LXC container name"),
    f("RSan", 6, true, Some(RssAnon), "resident anonymous memory"),
    f("RSfd", 6, true, Some(RssFile), "resident file-backed memory"),
    f("RSlk", 6, true, Some(VmLck), "locked resident memory"),
    f("RSsh", 6, true, Some(RssShmem), "resident shared memory"),
    f("CGNAME", -1, false, Some(Cgname), "control group name"),
    f("NU", 2, true, Some(Numa), "NUMA node"),
    f("LOGID", 5, true, Some(LoginUid), "login user id"),
    f("EXE", -1, false, Some(Exe), "path of the executable"),
    f("RSS", 6, true, Some(VmRss), "resident memory (from status)"),
    f("PSS", 6, true, Some(Pss), "proportional resident memory"),
    f("PSan", 6, true, Some(PssAnon), "proportional anonymous memory"),
    f("PSfd", 6, true, Some(PssFile), "proportional file-backed memory"),
    f("PSsh", 6, true, Some(PssShmem), "proportional shared memory"),
    f("USS", 6, true, Some(Uss), "unique (private) resident memory"),
    f("ioR", 6, true, Some(IoReadBytes), "bytes read"),
    f("ioRop", 5, true, Some(IoReadOps), "read operations"),
    f("ioW", 6, true, Some(IoWriteBytes), "bytes written"),
    f("ioWop", 5, true, Some(IoWriteOps), "write operations"),
    f("AGID", 5, true, Some(AutogroupId), "autogroup id"),
    f("AGNI", 4, true, Some(AutogroupNice), "autogroup nice value"),
    f("STARTED", 7, true, Some(StartTicks), "start time since boot"),
    f("ELAPSED", 7, true, Some(Elapsed), "time since start"),
    f("%CUU", 6, true, Some(Utilization), "CPU use over the process's life"),
    f("%CUC", 7, true, Some(UtilizationC), "as %CUU, with dead children's time"),
    f("nsCGROUP", 10, true, Some(NsCgroup), "cgroup namespace inode"),
    f("nsTIME", 10, true, Some(NsTime), "time namespace inode"),
];

/// Field indices used by name in the code.
pub mod eu {
    /// Index of the `PID` field in [`FIELDS`](super::FIELDS).
    pub const PID: usize = 0;
    /// Index of the `PPD` field in [`FIELDS`](super::FIELDS).
    pub const PPD: usize = 1;
    /// Index of the `UED` field in [`FIELDS`](super::FIELDS).
    pub const UED: usize = 2;
    /// Index of the `UEN` field in [`FIELDS`](super::FIELDS).
    pub const UEN: usize = 3;
    /// Index of the `URD` field in [`FIELDS`](super::FIELDS).
    pub const URD: usize = 4;
    /// Index of the `URN` field in [`FIELDS`](super::FIELDS).
    pub const URN: usize = 5;
    /// Index of the `USD` field in [`FIELDS`](super::FIELDS).
    pub const USD: usize = 6;
    /// Index of the `USN` field in [`FIELDS`](super::FIELDS).
    pub const USN: usize = 7;
    /// Index of the `GID` field in [`FIELDS`](super::FIELDS).
    pub const GID: usize = 8;
    /// Index of the `GRP` field in [`FIELDS`](super::FIELDS).
    pub const GRP: usize = 9;
    /// Index of the `PGD` field in [`FIELDS`](super::FIELDS).
    pub const PGD: usize = 10;
    /// Index of the `TTY` field in [`FIELDS`](super::FIELDS).
    pub const TTY: usize = 11;
    /// Index of the `TPG` field in [`FIELDS`](super::FIELDS).
    pub const TPG: usize = 12;
    /// Index of the `SID` field in [`FIELDS`](super::FIELDS).
    pub const SID: usize = 13;
    /// Index of the `PRI` field in [`FIELDS`](super::FIELDS).
    pub const PRI: usize = 14;
    /// Index of the `NCE` field in [`FIELDS`](super::FIELDS).
    pub const NCE: usize = 15;
    /// Index of the `THD` field in [`FIELDS`](super::FIELDS).
    pub const THD: usize = 16;
    /// Index of the `CPN` field in [`FIELDS`](super::FIELDS).
    pub const CPN: usize = 17;
    /// Index of the `CPU` field in [`FIELDS`](super::FIELDS).
    pub const CPU: usize = 18;
    /// Index of the `TME` field in [`FIELDS`](super::FIELDS).
    pub const TME: usize = 19;
    /// Index of the `TM2` field in [`FIELDS`](super::FIELDS).
    pub const TM2: usize = 20;
    /// Index of the `MEM` field in [`FIELDS`](super::FIELDS).
    pub const MEM: usize = 21;
    /// Index of the `VRT` field in [`FIELDS`](super::FIELDS).
    pub const VRT: usize = 22;
    /// Index of the `SWP` field in [`FIELDS`](super::FIELDS).
    pub const SWP: usize = 23;
    /// Index of the `RES` field in [`FIELDS`](super::FIELDS).
    pub const RES: usize = 24;
    /// Index of the `COD` field in [`FIELDS`](super::FIELDS).
    pub const COD: usize = 25;
    /// Index of the `DAT` field in [`FIELDS`](super::FIELDS).
    pub const DAT: usize = 26;
    /// Index of the `SHR` field in [`FIELDS`](super::FIELDS).
    pub const SHR: usize = 27;
    /// Index of the `FL1` field in [`FIELDS`](super::FIELDS).
    pub const FL1: usize = 28;
    /// Index of the `FL2` field in [`FIELDS`](super::FIELDS).
    pub const FL2: usize = 29;
    /// Index of the `STA` field in [`FIELDS`](super::FIELDS).
    pub const STA: usize = 31;
    /// Index of the `CMD` field in [`FIELDS`](super::FIELDS).
    pub const CMD: usize = 32;
    /// Index of the `FLG` field in [`FIELDS`](super::FIELDS).
    pub const FLG: usize = 34;
    /// Index of the `TGD` field in [`FIELDS`](super::FIELDS).
    pub const TGD: usize = 38;
    /// Index of the `USE` field in [`FIELDS`](super::FIELDS).
    pub const USE: usize = 44;
    /// Index of the `RZA` field in [`FIELDS`](super::FIELDS).
    pub const RZA: usize = 52;
    /// Index of the `RZF` field in [`FIELDS`](super::FIELDS).
    pub const RZF: usize = 53;
    /// Index of the `RZL` field in [`FIELDS`](super::FIELDS).
    pub const RZL: usize = 54;
    /// Index of the `RZS` field in [`FIELDS`](super::FIELDS).
    pub const RZS: usize = 55;
    /// Index of the `NMA` field in [`FIELDS`](super::FIELDS).
    pub const NMA: usize = 57;
    /// Index of the `TM3` field in [`FIELDS`](super::FIELDS).
    pub const TM3: usize = 72;
    /// Index of the `TM4` field in [`FIELDS`](super::FIELDS).
    pub const TM4: usize = 73;
}

/// The default field set of the ORIG (Debian) build, left to right.
pub const DEFAULT_FIELDS: [usize; 12] = [
    eu::PID,
    eu::UEN,
    eu::PRI,
    eu::NCE,
    eu::VRT,
    eu::RES,
    eu::SHR,
    eu::STA,
    eu::CPU,
    eu::MEM,
    eu::TM2,
    eu::CMD,
];

/// The field named exactly `name` (case-sensitive, as `-o` wants).
pub fn by_name(name: &str) -> Option<usize> {
    FIELDS.iter().position(|f| f.name == name)
}

/// The effective width of a fixed field: PID-like fields follow `pid_max` (at least 5), and no
/// field is narrower than its header.
pub fn width(idx: usize, pid_width: usize) -> usize {
    let fd = &FIELDS[idx];
    let w = match idx {
        eu::CPN => 1,
        eu::NMA => 2,
        _ if fd.width == 0 => pid_width.max(5),
        _ => fd.width.max(0) as usize,
    };
    w.max(fd.name.len())
}

/// Whether `X`'s width increment applies to field `idx`: the ids and names, `TTY`, `LXC`,
/// `WCHAN` and the namespaces (procps's `zap_fieldstab`).
pub fn widened(idx: usize) -> bool {
    matches!(idx, 2..=9 | 11 | 33 | 45..=51 | 76 | 77)
}

/// procps's `justify_pad`: `%*.*s ` or `%-*.*s ` (the precision truncates to `width` bytes).
pub fn justify(out: &mut String, s: &str, width: usize, right: bool) {
    let s = cut_bytes(s, width);
    let pad = width.saturating_sub(s.len());
    if right {
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str(s);
    } else {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', pad));
    }
    out.push(' ');
}

fn cut_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `make_num`: the decimal text, or its first `width-1` characters and `+` when too wide.
pub fn make_num(n: i64, width: usize) -> String {
    let mut s = n.to_string();
    if s.len() > width && width > 0 {
        s.truncate(width - 1);
        s.push('+');
    }
    s
}

/// Display columns of one character as top counts them (`wcwidth`, -1 counts as 1).
fn char_cols(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        let w = sys::char_width(c);
        if w < 0 { 1 } else { w as usize }
    }
}

/// Bytes minus display columns (`utf8_delta`).
pub fn utf8_delta(s: &str) -> usize {
    s.len() - s.chars().map(char_cols).sum::<usize>()
}

/// `make_str_utf8` followed by `justify_pad`: fits `s` into `width` columns, cutting with `+`.
pub fn put_str_utf8(out: &mut String, s: &str, width: usize, right: bool) {
    let delta = utf8_delta(s);
    if width + delta < s.len() {
        // utf8_embody(width - 1): the longest prefix of at most width-1 columns.
        let mut cols = 0;
        let mut end = 0;
        for (i, c) in s.char_indices() {
            cols += char_cols(c);
            if cols > width.saturating_sub(1) {
                break;
            }
            end = i + c.len_utf8();
        }
        let cut = format!("{}+", &s[..end]);
        let d = utf8_delta(&cut);
        justify(out, &cut, width + d, right);
    } else {
        justify(out, s, width + delta, right);
    }
}

/// Memory units, as `-e`/`-E` letters pick them.
pub const SCALE_LETTERS: &[u8; 6] = b"kmgtpe";

/// `scale_mem`: `kib` printed in the first unit from `target` (0 = KiB) that fits `width`.
pub fn scale_mem(kib: u64, target: usize, width: usize) -> String {
    let mut num = kib as f32;
    for (i, &sfx) in SCALE_LETTERS.iter().enumerate().take(5) {
        if i >= target {
            let s = if i == 0 {
                format!("{:.0}", num as f64)
            } else {
                format!("{:.1}{}", num as f64, sfx as char)
            };
            if s.len() <= width {
                return s;
            }
        }
        num = (num as f64 / 1024.0) as f32;
    }
    "?".to_string()
}

/// `scale_pcnt`: `%#.1f` if it fits, else `%*.0f`, else `?`.
pub fn scale_pcnt(v: f32, width: usize) -> String {
    let s = format!("{:.1}", v as f64);
    if s.len() <= width {
        return s;
    }
    let s = format!("{:>width$.0}", v as f64);
    if s.len() <= width {
        return s;
    }
    "?".to_string()
}

/// procps's `scale_tics` targets: the first time form tried (`TIME+` starts at [`tics::SECS`],
/// `STARTED` at [`tics::MINS`], `ELAPSED` at [`tics::HOUR`]); `^E` raises every field's start
/// to its scale (the toprc's `tics_scaled`, 0 to [`tics::LAST`]).
pub mod tics {
    /// `m:ss.hh` first.
    pub const SECS: u8 = 0;
    /// `m:ss` first.
    pub const MINS: u8 = 1;
    /// `h,mm` first.
    pub const HOUR: u8 = 2;
    /// `Dd+Hh` first.
    pub const DAY1: u8 = 3;
    /// `Dd` first.
    pub const DAY2: u8 = 4;
    /// `Ww+Dd` first.
    pub const WEEK: u8 = 5;
    /// `Ww` only.
    pub const LAST: u8 = 6;
}

/// `scale_tics` for TIME+ (min:sec.hundredths first), with clock ticks `hz`.
pub fn scale_tics(ticks: u64, hz: u64, width: usize) -> String {
    scale_tics_as(ticks, hz, width, tics::SECS, 0)
}

/// `scale_tics` from hours and minutes first (`0,00`).
pub fn scale_tics_hours(ticks: u64, hz: u64, width: usize) -> String {
    scale_tics_as(ticks, hz, width, tics::HOUR, 0)
}

/// procps's `scale_tics`: the first time form from `target` (or from `scaled`, `^E`'s scale,
/// when that is later) that fits `width`: `m:ss.hh` and `m:ss` (up to 360 minutes), `h,mm` (up
/// to 96 hours), `Dd+Hh` and `Dd` (up to 14 days), `Ww+Dd`, `Ww`; `?` when none does. As in
/// procps, starting at `Dd` ([`tics::DAY2`]) tries it whatever the days.
pub fn scale_tics_as(ticks: u64, hz: u64, width: usize, target: u8, scaled: u8) -> String {
    let nt = ticks.saturating_mul(100) / hz.max(1);
    let cent = nt % 100;
    let secs = nt / 100;
    let mins = secs / 60;
    let hour = mins / 60;
    let days = hour / 24;
    let week = days / 7;
    let from = target.max(scaled);
    let mut tries: Vec<String> = Vec::with_capacity(7);
    if from == tics::SECS && mins <= 360 {
        tries.push(format!("{mins}:{:02}.{cent:02}", secs % 60));
    }
    if from <= tics::MINS && mins <= 360 {
        tries.push(format!("{mins}:{:02}", secs % 60));
    }
    if from <= tics::HOUR && hour <= 96 {
        tries.push(format!("{hour},{:02}", mins % 60));
    }
    if from <= tics::DAY1 && days <= 14 {
        tries.push(format!("{days}d+{}h", hour % 24));
    }
    if (from <= tics::DAY1 && days <= 14) || from == tics::DAY2 {
        tries.push(format!("{days}d"));
    }
    if from <= tics::WEEK {
        tries.push(format!("{week}w+{}d", days % 7));
    }
    if from <= tics::LAST {
        tries.push(format!("{week}w"));
    }
    tries
        .into_iter()
        .find(|s| s.len() <= width)
        .unwrap_or_else(|| "?".to_string())
}

/// The summary lines' number cell: `%.0f ` (KiB) or `%#.1f ` in a 10-byte buffer, cut to 9 with
/// `+` as the 9th character, right-justified in 9.
pub fn summary_num(kib: u64, scale: usize) -> String {
    let mut v = kib as f32;
    for _ in 0..scale {
        v = (v as f64 / 1024.0) as f32;
    }
    let mut s = if scale == 0 {
        format!("{:.0} ", v as f64)
    } else {
        format!("{:.1} ", v as f64)
    };
    if s.len() > 9 {
        s.truncate(8);
        s.push('+');
    }
    format!("{s:>9}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_mem_examples() {
        assert_eq!(scale_mem(21141728, 0, 7), "20.2g");
        assert_eq!(scale_mem(167224, 0, 6), "167224");
        assert_eq!(scale_mem(1000000, 0, 6), "976.6m");
        assert_eq!(scale_mem(167224, 1, 6), "163.3m");
        assert_eq!(scale_mem(167224, 2, 6), "0.2g");
        assert_eq!(scale_mem(0, 2, 6), "0.0g");
        assert_eq!(scale_mem(2920, 0, 7), "2920");
    }

    #[test]
    fn scale_pcnt_and_tics() {
        assert_eq!(scale_pcnt(0.0, 5), "0.0");
        assert_eq!(scale_pcnt(99.95, 5), "99.9"); // (double)99.95f is below 99.95
        assert_eq!(scale_pcnt(199.96, 5), "200.0");
        assert_eq!(scale_pcnt(1234.5, 5), " 1234");
        assert_eq!(scale_pcnt(123456.0, 5), "?");
        assert_eq!(scale_tics(26, 100, 9), "0:00.26");
        assert_eq!(scale_tics(55405, 100, 9), "9:14.05");
        assert_eq!(scale_tics(360 * 6000 + 5999, 100, 9), "360:59.99");
        assert_eq!(scale_tics(365 * 6000, 100, 9), "6,05");
        assert_eq!(scale_tics(100 * 3600 * 100, 100, 9), "4d+4h");
        assert_eq!(scale_tics(20 * 86400 * 100, 100, 9), "2w+6d");
    }

    #[test]
    fn scale_tics_scaled_by_ctrl_e() {
        // 7:19.21 at every ^E scale, then a start past 14 days at DAY1 and DAY2.
        let t = (7 * 60 + 19) * 100 + 21;
        let all: Vec<String> = (0..=tics::LAST)
            .map(|s| scale_tics_as(t, 100, 9, tics::SECS, s))
            .collect();
        assert_eq!(
            all,
            ["7:19.21", "7:19", "0,07", "0d+0h", "0d", "0w+0d", "0w"]
        );
        let long = 20 * 86400 * 100;
        assert_eq!(scale_tics_as(long, 100, 9, tics::DAY1, 0), "2w+6d");
        assert_eq!(scale_tics_as(long, 100, 9, tics::DAY2, 0), "20d");
        // A later target wins over a smaller scale; nothing fits: `?`.
        assert_eq!(scale_tics_as(t, 100, 9, tics::HOUR, 1), "0,07");
        assert_eq!(scale_tics_as(t, 100, 1, tics::SECS, 0), "?");
    }

    #[test]
    fn summary_cells() {
        assert_eq!(summary_num(24683620, 1), " 24105.1 ");
        assert_eq!(summary_num(0, 1), "     0.0 ");
        assert_eq!(summary_num(4294967296, 1), "4194304.+");
        assert_eq!(summary_num(4294967296000, 1), "41943040+");
        assert_eq!(summary_num(42949672960, 0), "42949672+");
    }

    #[test]
    fn names_and_widths() {
        assert_eq!(FIELDS.len(), 78);
        assert_eq!(by_name("TIME+"), Some(eu::TM2));
        assert_eq!(by_name("time+"), None);
        assert_eq!(width(eu::PID, 7), 7);
        assert_eq!(width(eu::PID, 5), 5);
        assert_eq!(width(eu::TM2, 5), 9);
        let mut s = String::new();
        put_str_utf8(&mut s, "abcdefghij", 8, false);
        assert_eq!(s, "abcdefg+ ");
        assert_eq!(make_num(1234567, 5), "1234+");
    }
}
