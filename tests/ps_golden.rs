//! Golden tests on fixture /proc trees, for what a live system cannot show on demand: long and
//! unknown user names, START across midnight and year ends, a 7-digit pid_max, 100%+ CPU,
//! overflowing VSZ, odd comm values. The expected text is not stored: it comes from the real
//! procps ps, run on the same tree bind-mounted over /proc in a private mount and pid namespace
//! (with a fake /etc/passwd and, through an LD_PRELOAD shim, the same pinned clock that gopsi
//! gets from GOPSI_NOW). Needs root, unshare and cc; skips with the reason otherwise.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const BTIME: u64 = 1_764_028_800; // 2025-11-25 00:00:00 UTC
const UPTIME: f64 = 50_000.0;

struct Proc {
    pid: u32,
    comm: &'static [u8],
    state: char,
    ppid: u32,
    session: u32,
    tty: u32,
    flags: u32,
    ticks: (u64, u64),
    nice: i32,
    nlwp: u32,
    start: u64,
    uid: u32,
    vm: Option<(u64, u64)>,
    cmdline: &'static [u8],
}

fn base(pid: u32, comm: &'static [u8], uid: u32, cmdline: &'static [u8]) -> Proc {
    Proc {
        pid,
        comm,
        state: 'S',
        ppid: 1,
        session: pid,
        tty: 0,
        flags: 0x400100,
        ticks: (0, 0),
        nice: 0,
        nlwp: 1,
        start: 4_000_000,
        uid,
        vm: Some((2920, 1748)),
        cmdline,
    }
}

fn write_tree(root: &Path, pid_max: &str, procs: &[Proc]) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root.join("sys/kernel")).unwrap();
    std::fs::create_dir_all(root.join("tty")).unwrap();
    std::fs::write(root.join("sys/kernel/pid_max"), format!("{pid_max}\n")).unwrap();
    std::fs::write(root.join("uptime"), format!("{UPTIME:.2} 90000.00\n")).unwrap();
    std::fs::write(root.join("loadavg"), "0.00 0.00 0.00 1/100 1000\n").unwrap();
    std::fs::write(
        root.join("stat"),
        format!("cpu  100 0 100 1000 0 0 0 0 0 0\ncpu0 100 0 100 1000 0 0 0 0 0 0\nintr 0\nctxt 0\nbtime {BTIME}\nprocesses 100\nprocs_running 1\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("meminfo"),
        "MemTotal:        1000000 kB\nMemFree:          500000 kB\nMemAvailable:     600000 kB\nBuffers:           10000 kB\nCached:           100000 kB\nSwapCached:            0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\nSReclaimable:      10000 kB\n",
    )
    .unwrap();
    std::fs::write(root.join("tty/drivers"), "/dev/tty             /dev/tty        5       0 system:/dev/tty\npty_slave            /dev/pts      136 0-1048575 pty:slave\nunknown              /dev/tty        4 1-63 console\n").unwrap();
    std::fs::write(
        root.join("cpuinfo"),
        "processor\t: 0\ncore id\t\t: 0\ncpu cores\t: 1\n\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("1", root.join("self")).unwrap();
    // procps lists /proc in readdir order; on tmpfs that is the reverse of creation order, so
    // the pid directories are created from the highest down to list in ascending order.
    for p in procs.iter().rev() {
        let d = root.join(p.pid.to_string());
        std::fs::create_dir_all(&d).unwrap();
        let (vsz, rss) = p.vm.unwrap_or((0, 0));
        let mut stat = format!("{} (", p.pid).into_bytes();
        stat.extend_from_slice(p.comm);
        stat.extend_from_slice(
            format!(
                ") {} {} {} {} {} -1 {} 0 0 0 0 {} {} 0 0 {} {} {} 0 {} {} {} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
                p.state, p.ppid, p.pid, p.session, p.tty, p.flags, p.ticks.0, p.ticks.1, 20 + p.nice, p.nice, p.nlwp, p.start, vsz * 1024, rss / 4
            )
            .as_bytes(),
        );
        std::fs::write(d.join("stat"), stat).unwrap();
        let vm = match p.vm {
            Some((v, r)) => format!(
                "VmPeak:\t{v:8} kB\nVmSize:\t{v:8} kB\nVmLck:\t       0 kB\nVmHWM:\t{r:8} kB\nVmRSS:\t{r:8} kB\nVmData:\t     100 kB\nVmStk:\t     132 kB\n"
            ),
            None => String::new(),
        };
        let name = String::from_utf8_lossy(p.comm).replace('\n', "\\n");
        std::fs::write(
            d.join("status"),
            format!(
                "Name:\t{name}\nUmask:\t0022\nState:\t{} (sleeping)\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{}\nTracerPid:\t0\nUid:\t{u}\t{u}\t{u}\t{u}\nGid:\t{u}\t{u}\t{u}\t{u}\nFDSize:\t64\nGroups:\t\n{vm}Threads:\t{}\nSigQ:\t0/1000\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n",
                p.state, p.ppid, p.nlwp, pid = p.pid, u = p.uid
            ),
        )
        .unwrap();
        std::fs::write(d.join("cmdline"), p.cmdline).unwrap();
        std::fs::write(d.join("environ"), b"").unwrap();
    }
}

fn processes(pid_width_7: bool) -> Vec<Proc> {
    let big = if pid_width_7 { 4_200_000 } else { 31_000 };
    let mut v = vec![base(1, b"init", 0, b"/sbin/init\0splash\0")];
    v.push(Proc {
        ppid: 0,
        session: 0,
        flags: 0x208040,
        vm: None,
        ..base(2, b"kthreadd", 0, b"")
    });
    v.push(base(100, b"long19", 5001, b"sleep\x00100\x00"));
    v.push(base(101, b"long32", 5002, b"sleep\x00101\x00"));
    v.push(base(102, b"long33", 5003, b"sleep\x00102\x00"));
    v.push(base(103, b"unknown", 4242, b"sleep\x00103\x00"));
    v.push(base(104, b"eight", 5004, b"sleep\x00104\x00"));
    v.push(Proc {
        ticks: (6_000_000, 400_000),
        start: 4_990_000,
        ..base(200, b"busy", 0, b"busy\0--spin\0")
    });
    v.push(Proc {
        vm: Some((21_141_728, 167_224)),
        ..base(300, b"python3", 0, b"python3\0-c\0import mmap\0")
    });
    v.push(Proc {
        nice: -5,
        nlwp: 4,
        session: 1,
        ..base(400, b"a) b (c", 0, b"")
    });
    v.push(Proc {
        state: 'Z',
        vm: None,
        ..base(401, b"defunct", 0, b"")
    });
    v.push(Proc {
        nice: 19,
        // pts/200 (136:200): both tools stat /dev/pts/N to name a terminal, and pts/0 comes
        // and goes on the host while other tests (script, tmux) run beside this one.
        tty: 34816 + 200,
        session: 500,
        ..base(402, b"tty", 0, b"tab\there \xff\xfe \x1b[1m \xc3\xa9\0")
    });
    v.push(Proc {
        start: 100,
        ..base(big, b"old", 0, b"old\0")
    });
    v
}

const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\naverylongusername12:x:5001:5001::/:/bin/sh\nabcdefghijklmnopqrstuvwxyz012345:x:5002:5002::/:/bin/sh\nabcdefghijklmnopqrstuvwxyz0123456:x:5003:5003::/:/bin/sh\neightchr:x:5004:5004::/:/bin/sh\n";

fn shim(dir: &Path) -> Option<PathBuf> {
    let src = dir.join("now.c");
    let so = dir.join("now.so");
    std::fs::write(
        &src,
        "#include <stdlib.h>\n#include <time.h>\n#include <sys/time.h>\nstatic long now(void){const char*s=getenv(\"GOPSI_NOW\");return s?atol(s):0;}\ntime_t time(time_t*t){time_t v=now();if(t)*t=v;return v;}\nint gettimeofday(struct timeval*tv,void*tz){(void)tz;if(tv){tv->tv_sec=now();tv->tv_usec=0;}return 0;}\n",
    )
    .ok()?;
    let ok = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&so)
        .arg(&src)
        .status()
        .ok()?
        .success();
    ok.then_some(so)
}

/// Runs `prog args` with `tree` over /proc and `passwd` over /etc/passwd, in new mount and pid
/// namespaces (the program is pid 1 there, and the tree's `self` points at 1).
fn in_namespace(
    tree: &Path,
    passwd: &Path,
    env: &[(&str, String)],
    prog: &str,
    args: &[&str],
) -> (String, String, Option<i32>) {
    let mut c = tool(
        "unshare",
        [
            "-m",
            "-p",
            "-f",
            "--",
            "sh",
            "-c",
            "mount --bind \"$1\" /proc && mount --bind \"$2\" /etc/passwd && shift 2 && exec \"$@\"",
            "sh",
        ],
    );
    c.arg(tree).arg(passwd).arg(prog).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = run(&mut c);
    (
        stdout(&o),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code(),
    )
}

#[test]
fn ps_golden_fixture_trees_match_procps() {
    let t = "ps_golden_fixture_trees_match_procps";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 ps is not installed");
    }
    if !is_root() || !have("unshare") {
        return skip(
            t,
            "needs root and unshare to show the fixture tree to procps",
        );
    }
    if !have("cc") {
        return skip(t, "needs cc to build the clock shim for procps");
    }
    // tmpfs (see write_tree) when /dev/shm is there.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let dir = tmp.join(format!("gopsi-golden-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let Some(so) = shim(&dir) else {
        return skip(t, "cc could not build the clock shim");
    };
    let passwd = dir.join("passwd");
    std::fs::write(&passwd, PASSWD).unwrap();
    let gopsi_bin = env!("CARGO_BIN_EXE_gopsi");
    let start_of = BTIME + 4_000_000 / 100; // most fixtures started 40000 s after boot: 11:06
    let nows = [
        ("same day", start_of + 3_600),
        ("after midnight", start_of + 14 * 3_600),
        ("next year", start_of + 40 * 86_400),
    ];
    let mut compared = 0;
    for (pid_max, seven) in [("32768", false), ("4194304", true)] {
        let tree = dir.join(format!("proc-{pid_max}"));
        write_tree(&tree, pid_max, &processes(seven));
        for (what, now) in nows {
            for (args, cols) in [
                (&["aux"][..], None),
                (&["aux"][..], Some("80")),
                (&["-ef"][..], None),
                (
                    &[
                        "-eo",
                        "pid,user,ruser,group,uid,%cpu,c,cp,time,bsdtime,etime,etimes,start_time,stime,start,bsdstart,lstart",
                    ][..],
                    None,
                ),
                (
                    &[
                        "-eo",
                        "pid,ppid,pgid,sid,tpgid,nlwp,ni,stat,tty,vsz,rss,sz,%mem,comm,args",
                    ][..],
                    None,
                ),
                (
                    &[
                        "-e",
                        "--sort=-%cpu,user",
                        "-o",
                        "user:5,pid,%cpu,comm:4,args",
                    ][..],
                    None,
                ),
                (&["axjf"][..], None),
            ] {
                for lc in ["C.UTF-8", "C"] {
                    let mut env = vec![("GOPSI_NOW", now.to_string()), ("LC_ALL", lc.to_string())];
                    if let Some(c) = cols {
                        env.push(("COLUMNS", c.to_string()));
                    }
                    let mut penv = env.clone();
                    penv.push(("LD_PRELOAD", so.display().to_string()));
                    let want = in_namespace(&tree, &passwd, &penv, "ps", args);
                    let mut gargs = vec!["ps"];
                    gargs.extend_from_slice(args);
                    let got = in_namespace(&tree, &passwd, &env, gopsi_bin, &gargs);
                    assert_eq!(
                        got, want,
                        "pid_max {pid_max}, {what}, ps {args:?}, COLUMNS={cols:?}, LC_ALL={lc}"
                    );
                    if args == ["aux"] && cols.is_none() {
                        // The scenario really is on screen (procps's own output says so).
                        let w = &want.0;
                        for must in [
                            "averylo+",
                            "abcdefg+",
                            "\n5003 ",
                            "\n4242 ",
                            "eightchr",
                            " 64000 ",
                            "21141728 167224",
                            "[kthreadd]",
                            "[defunct] <defunct>",
                        ] {
                            assert!(
                                w.contains(must),
                                "{what}: procps output lacks {must:?}:\n{w}"
                            );
                        }
                        let start = match what {
                            "same day" => " 11:06 ",
                            "after midnight" => " Nov25 ",
                            _ => "  2025 ",
                        };
                        assert!(w.contains(start), "{what}: no {start:?} in\n{w}");
                        assert_eq!(
                            w.starts_with("USER         PID"),
                            seven,
                            "PID width for pid_max {pid_max}"
                        );
                    }
                    compared += 1;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(compared > 0);
}
