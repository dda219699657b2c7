//! Parses `/proc/PID/status` from bytes. Pure: never opens files.

/// The fields of `/proc/PID/status` gopsi uses. Memory values are kB as the kernel prints them;
/// `None` where the line is absent (kernel threads and zombies have no `Vm*` lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// `Name:` (escaped by the kernel: `\n` and `\\`), raw bytes.
    pub name: Vec<u8>,
    /// `Tgid:`
    pub tgid: i32,
    /// `Uid:` real, effective, saved, filesystem.
    pub uid: [u32; 4],
    /// `Gid:` real, effective, saved, filesystem.
    pub gid: [u32; 4],
    /// `Groups:` supplementary group ids.
    pub groups: Vec<u32>,
    /// `VmPeak:` kB
    pub vm_peak: Option<u64>,
    /// `VmSize:` kB
    pub vm_size: Option<u64>,
    /// `VmLck:` kB
    pub vm_lck: Option<u64>,
    /// `VmHWM:` kB
    pub vm_hwm: Option<u64>,
    /// `VmRSS:` kB
    pub vm_rss: Option<u64>,
    /// `RssAnon:` kB
    pub rss_anon: Option<u64>,
    /// `RssFile:` kB
    pub rss_file: Option<u64>,
    /// `RssShmem:` kB
    pub rss_shmem: Option<u64>,
    /// `VmData:` kB
    pub vm_data: Option<u64>,
    /// `VmStk:` kB
    pub vm_stk: Option<u64>,
    /// `VmExe:` kB
    pub vm_exe: Option<u64>,
    /// `VmLib:` kB
    pub vm_lib: Option<u64>,
    /// `VmSwap:` kB
    pub vm_swap: Option<u64>,
    /// `Threads:`
    pub threads: Option<u64>,
    /// `SigPnd:` thread-pending signal mask.
    pub sig_pnd: u64,
    /// `ShdPnd:` process-pending signal mask.
    pub shd_pnd: u64,
    /// `SigBlk:` blocked mask.
    pub sig_blk: u64,
    /// `SigIgn:` ignored mask.
    pub sig_ign: u64,
    /// `SigCgt:` caught mask.
    pub sig_cgt: u64,
    /// `voluntary_ctxt_switches:`
    pub voluntary_ctxt_switches: Option<u64>,
    /// `nonvoluntary_ctxt_switches:`
    pub nonvoluntary_ctxt_switches: Option<u64>,
}

/// Parses a status file. Unknown lines are ignored; a malformed known line leaves its default.
pub fn parse(buf: &[u8]) -> Status {
    let mut s = Status::default();
    for line in buf.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (key, val) = (&line[..colon], &line[colon + 1..]);
        let kb = || first_num(val);
        match key {
            b"Name" => s.name = unescape_name(trim_start(val)),
            b"Tgid" => s.tgid = first_num(val).unwrap_or(0) as i32,
            b"Uid" => s.uid = four(val),
            b"Gid" => s.gid = four(val),
            b"Groups" => s.groups = nums(val).map(|n| n as u32).collect(),
            b"VmPeak" => s.vm_peak = kb(),
            b"VmSize" => s.vm_size = kb(),
            b"VmLck" => s.vm_lck = kb(),
            b"VmHWM" => s.vm_hwm = kb(),
            b"VmRSS" => s.vm_rss = kb(),
            b"RssAnon" => s.rss_anon = kb(),
            b"RssFile" => s.rss_file = kb(),
            b"RssShmem" => s.rss_shmem = kb(),
            b"VmData" => s.vm_data = kb(),
            b"VmStk" => s.vm_stk = kb(),
            b"VmExe" => s.vm_exe = kb(),
            b"VmLib" => s.vm_lib = kb(),
            b"VmSwap" => s.vm_swap = kb(),
            b"Threads" => s.threads = kb(),
            b"SigPnd" => s.sig_pnd = hex(val),
            b"ShdPnd" => s.shd_pnd = hex(val),
            b"SigBlk" => s.sig_blk = hex(val),
            b"SigIgn" => s.sig_ign = hex(val),
            b"SigCgt" => s.sig_cgt = hex(val),
            b"voluntary_ctxt_switches" => s.voluntary_ctxt_switches = kb(),
            b"nonvoluntary_ctxt_switches" => s.nonvoluntary_ctxt_switches = kb(),
            _ => {}
        }
    }
    s
}

fn trim_start(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(b.len());
    &b[s..]
}

fn nums(val: &[u8]) -> impl Iterator<Item = u64> + '_ {
    val.split(|&b| b == b' ' || b == b'\t')
        .filter(|w| !w.is_empty())
        .map_while(|w| super::stat::parse_int(w).map(|n| n as u64))
}

fn first_num(val: &[u8]) -> Option<u64> {
    nums(val).next()
}

fn four(val: &[u8]) -> [u32; 4] {
    let mut out = [0u32; 4];
    for (o, n) in out.iter_mut().zip(nums(val)) {
        *o = n as u32;
    }
    out
}

fn hex(val: &[u8]) -> u64 {
    let w = trim_start(val);
    let mut v: u64 = 0;
    for &c in w {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => break,
        };
        v = (v << 4) | u64::from(d);
    }
    v
}

/// The kernel writes `Name:` with `\n` as `\\n` and `\` as `\\\\`; undo that.
fn unescape_name(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            out.push(if b[i + 1] == b'n' { b'\n' } else { b[i + 1] });
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLEEP: &[u8] = b"Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t7308\nNgid:\t0\nPid:\t7308\nPPid:\t1\nTracerPid:\t0\nUid:\t0\t1000\t2\t3\nGid:\t0\t4\t5\t6\nFDSize:\t64\nGroups:\t0 27 \nVmPeak:\t    2920 kB\nVmSize:\t    2920 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t    1748 kB\nVmRSS:\t    1748 kB\nRssAnon:\t      88 kB\nRssFile:\t    1660 kB\nRssShmem:\t       0 kB\nVmData:\t     224 kB\nVmStk:\t     132 kB\nVmExe:\t      20 kB\nVmLib:\t    1560 kB\nVmPTE:\t      44 kB\nVmSwap:\t       0 kB\nThreads:\t1\nSigQ:\t0/96364\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000100\nSigBlk:\t0000000000010000\nSigIgn:\t0000000000000006\nSigCgt:\t0000000180000000\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n";

    #[test]
    fn parses_a_sleeper() {
        let s = parse(SLEEP);
        assert_eq!(s.name, b"sleep");
        assert_eq!(s.tgid, 7308);
        assert_eq!(s.uid, [0, 1000, 2, 3]);
        assert_eq!(s.gid, [0, 4, 5, 6]);
        assert_eq!(s.groups, vec![0, 27]);
        assert_eq!(s.vm_size, Some(2920));
        assert_eq!(s.vm_rss, Some(1748));
        assert_eq!(s.vm_lck, Some(0));
        assert_eq!((s.vm_data, s.vm_stk), (Some(224), Some(132)));
        assert_eq!(s.threads, Some(1));
        assert_eq!(
            (s.shd_pnd, s.sig_blk, s.sig_ign, s.sig_cgt),
            (0x100, 0x10000, 6, 0x1_8000_0000)
        );
        assert_eq!(
            (s.voluntary_ctxt_switches, s.nonvoluntary_ctxt_switches),
            (Some(12), Some(3))
        );
    }

    #[test]
    fn kernel_thread_has_no_vm_lines() {
        let s = parse(b"Name:\tkworker/0:1-events\nUid:\t0\t0\t0\t0\nThreads:\t1\n");
        assert_eq!(s.name, b"kworker/0:1-events");
        assert_eq!(s.vm_size, None);
        assert_eq!(s.vm_rss, None);
    }

    #[test]
    fn escaped_name() {
        let s = parse(b"Name:\ta\\nb\\\\c\n");
        assert_eq!(s.name, b"a\nb\\c");
    }
}
