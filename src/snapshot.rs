//! One collection's context: the host values read once before a walk (clock ticks, page size,
//! uptime, boot time, MemTotal, pid_max), the clock, the output's character rules, and caches of
//! user, group and terminal names. Items and columns compute from it; it reads /proc only in
//! [`Ctx::new`] and, for terminal names no driver table explains, through the process's fds.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::proc::{ProcFs, Process};
use crate::text::Charset;

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
    /// `MemTotal`, kB (at least 1, so a ratio never divides by zero).
    pub mem_total: u64,
    /// Whether `MemTotal` was read (procps's `ps` ends with `Unable to get total memory`
    /// before the first `%mem` cell otherwise).
    pub mem_total_known: bool,
    /// Whether the boot time was read (procps's `ps` ends with `Unable to get system boot
    /// time` before the first start-time cell otherwise).
    pub btime_known: bool,
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
    users: RefCell<HashMap<u32, Option<Vec<u8>>>>,
    groups: RefCell<HashMap<u32, Option<Vec<u8>>>>,
    ttys: RefCell<HashMap<i32, Option<String>>>,
    drivers: RefCell<Option<Vec<crate::proc::tty::Driver>>>,
    tty_of_pid: RefCell<HashMap<i32, Option<String>>>,
}

impl Ctx {
    /// Reads the host values ps needs from `fs` (uptime, boot time, MemTotal, pid_max) now.
    pub fn new(fs: &ProcFs, charset: Charset) -> Ctx {
        use crate::proc::host;
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
        Ctx::with_host(fs, charset, uptime, btime, mem_total)
    }

    /// A context from host values the caller read already (uptime seconds, boot time, MemTotal
    /// in kB; a boot time or MemTotal of 0 means it could not be read); reads only `pid_max`.
    pub fn with_host(
        fs: &ProcFs,
        charset: Charset,
        uptime: f64,
        btime: u64,
        mem_total: u64,
    ) -> Ctx {
        use nix::unistd::{SysconfVar, sysconf};
        let hz = sysconf(SysconfVar::CLK_TCK).ok().flatten().unwrap_or(100) as u64;
        let page = sysconf(SysconfVar::PAGE_SIZE)
            .ok()
            .flatten()
            .unwrap_or(4096) as u64;
        let pid_max_len = fs
            .read_host("sys/kernel/pid_max")
            .map_or(5, |b| crate::proc::host::pid_max_len(&b));
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
            mem_total_known: mem_total > 0,
            btime_known: btime > 0,
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
            tty_of_pid: RefCell::default(),
        }
    }

    /// Overrides "now" (seconds since the epoch): for fixtures with a pinned clock.
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    /// User name of `uid` as bytes (a name need not be UTF-8), cached; `None` when unknown or
    /// 33 bytes or longer (procps prints the number then).
    pub fn user_name_bytes(&self, uid: u32) -> Option<Vec<u8>> {
        use std::os::unix::ffi::OsStrExt;
        self.users
            .borrow_mut()
            .entry(uid)
            .or_insert_with(|| {
                let u = uzers::get_user_by_uid(uid)?;
                let name = u.name().as_bytes().to_vec();
                (name.len() < 33).then_some(name)
            })
            .clone()
    }

    /// Group name of `gid` as bytes, cached, with the same rules as [`Ctx::user_name_bytes`].
    pub fn group_name_bytes(&self, gid: u32) -> Option<Vec<u8>> {
        use std::os::unix::ffi::OsStrExt;
        self.groups
            .borrow_mut()
            .entry(gid)
            .or_insert_with(|| {
                let g = uzers::get_group_by_gid(gid)?;
                let name = g.name().as_bytes().to_vec();
                (name.len() < 33).then_some(name)
            })
            .clone()
    }

    /// User name of `uid` as text, with the rules of [`Ctx::user_name_bytes`]: bytes that are
    /// not UTF-8 are `?` ([`crate::text::lossy`]), as procps shows them.
    pub fn user_name(&self, uid: u32) -> Option<String> {
        self.user_name_bytes(uid).map(|n| crate::text::lossy(&n))
    }

    /// Group name of `gid` as text, with the same rules as [`Ctx::user_name`].
    pub fn group_name(&self, gid: u32) -> Option<String> {
        self.group_name_bytes(gid).map(|n| crate::text::lossy(&n))
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
        // The per-process fallbacks depend on the process's own fds: cached by pid.
        if let Some(hit) = self.tty_of_pid.borrow().get(&p.pid) {
            return hit.clone();
        }
        let link = |name| {
            self.fs
                .read_link(p.pid, name)
                .and_then(|t| tty::link_name(&t, maj, min))
        };
        let found = link("fd/2")
            .or_else(|| tty::guess_name(maj, min))
            .or_else(|| link("fd/255"));
        let found = found.map(|n| tty::abbreviate(&n));
        self.tty_of_pid.borrow_mut().insert(p.pid, found.clone());
        found
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
