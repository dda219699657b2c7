//! Every specifier procps-ng 4.0.2 accepts, walked against the installed procps on a fixture
//! session (idle sleeps and a threaded process, selected by session id): the names `ps L`
//! lists (read from procps itself), the ones it accepts without listing, its six layout test
//! columns and its 49 format macros, each as an `-o` column (first, middle and cut to 3
//! cells), as a `--sort` key in both directions and, for BSD's one-letter codes, as an `O`
//! sort. Stdout, stderr and exit status must be equal; only lifetime %CPU/C of busy rows is
//! masked (see `same`).

use crate::common::*;
use crate::ps_fixtures::same;
use std::process::Command;

/// Specifiers procps accepts without listing them in `ps L` (they print `-` on Linux).
const UNLISTED: &[&str] = &[
    "acflag",
    "acflg",
    "addr",
    "addr_1",
    "alarm",
    "argc",
    "bnd",
    "cmaj_flt",
    "cmin_flt",
    "cnswap",
    "cpu",
    "ctid",
    "cursig",
    "cutime",
    "cwd",
    "emul",
    "end_code",
    "environ",
    "inblk",
    "inblock",
    "jid",
    "jobc",
    "ktrace",
    "ktracep",
    "login",
    "logname",
    "luser",
    "m_dt",
    "m_lrs",
    "m_resident",
    "m_share",
    "m_swap",
    "msgrcv",
    "msgsnd",
    "mwchan",
    "nivcsw",
    "nsignals",
    "nsigs",
    "nswap",
    "nvcsw",
    "nwchan",
    "osz",
    "oublk",
    "oublock",
    "p_ru",
    "paddr",
    "poip",
    "prmgrp",
    "prmid",
    "project",
    "projid",
    "pset",
    "psxpri",
    "re",
    "resident",
    "rlink",
    "scnt",
    "scount",
    "share",
    "sl",
    "start_code",
    "status",
    "systime",
    "taskid",
    "tdev",
    "timeout",
    "tmout",
    "tsess",
    "tsession",
    "tsid",
    "u_procp",
    "umask",
    "upr",
    "uprocp",
    "usertime",
    "usrpri",
    "utime",
    "vm_data",
    "vm_exe",
    "vm_lib",
    "vm_lock",
    "vm_stack",
    "xstat",
    "zoneid",
    "~",
];

/// procps's format macros.
const MACROS: &[&str] = &[
    "DFMT",
    "DefBSD",
    "DefSysV",
    "END_BSD",
    "END_SYS5",
    "F5FMT",
    "FB_",
    "FB_j",
    "FB_l",
    "FB_u",
    "FB_v",
    "FD_",
    "FD_f",
    "FD_fj",
    "FD_j",
    "FD_l",
    "FD_lj",
    "FL5FMT",
    "FLASK_context",
    "HP_",
    "HP_f",
    "HP_fl",
    "HP_l",
    "J390",
    "JFMT",
    "L5FMT",
    "LFMT",
    "OL_X",
    "OL_j",
    "OL_l",
    "OL_m",
    "OL_s",
    "OL_u",
    "OL_v",
    "RD_",
    "RD_f",
    "RD_fj",
    "RD_j",
    "RD_l",
    "RD_lj",
    "RUSAGE",
    "SCHED",
    "SFMT",
    "Std_f",
    "Std_fl",
    "Std_l",
    "THREAD",
    "UFMT",
    "VFMT",
];

/// The specifier names procps's `ps L` lists, read from procps itself.
fn procps_listed() -> Vec<String> {
    let listed: Vec<String> = stdout(&run(&mut tool("ps", ["L"])))
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    assert!(listed.len() > 150, "ps L listed {} names", listed.len());
    listed
}

/// A session of idle processes (one with two extra threads); returns its id.
fn fixture(f: &mut Fixtures) -> String {
    threaded_session(
        f,
        "sleep 4001 & sleep 4002 & (sleep 4003 & wait) & ",
        4000,
        3,
    )
}

#[test]
fn ps_every_specifier_macro_and_sort_key_matches_procps() {
    let t = "ps_every_specifier_macro_and_sort_key_matches_procps";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 ps is not installed");
    }
    let listed = procps_listed();
    // gopsi's own list is procps's, layout test columns included.
    same(&["L"], &[]);
    let mut f = Fixtures::new();
    let sid = fixture(&mut f);
    let layout = [
        "_left",
        "_left2",
        "_right",
        "_right2",
        "_unlimited",
        "_unlimited2",
    ];
    // The layout test columns are accepted, listed and sort, but their cells cycle through
    // sample texts by procps's lines-to-next-header counter, which gopsi does not model: they
    // are walked as sort keys and in `ps L` only (a difference listed in the README).
    for name in UNLISTED.iter().chain(MACROS) {
        for o in [
            name.to_string(),
            format!("pid,{name},pid"),
            format!("{name}:3,pid"),
        ] {
            same(&["-o", &o, "-s", &sid], &[]);
        }
        if !MACROS.contains(name) {
            same(&["-m", "-o", &format!("pid,tid,{name}"), "-s", &sid], &[]);
        }
    }
    for name in listed
        .iter()
        .map(String::as_str)
        .chain(UNLISTED.iter().copied())
        .chain(layout)
        .chain(MACROS.iter().copied())
    {
        // PSS shares each page among the processes mapping it, and USS counts the pages no one
        // else maps: the ps processes of the two runs (and of tests running beside this one)
        // change both, and so the order of near-equal sleeps, between runs (seen for `-uss`).
        // tests/tables.rs sorts top by PSS and USS (the same registry items) over fixtures
        // sized a MiB apart.
        if name == "pss" || name == "uss" {
            continue;
        }
        for key in [format!("--sort={name}"), format!("--sort=-{name}")] {
            same(&[&key, "-o", "pid,ppid,comm", "-s", &sid], &[]);
        }
        same(&["k", &format!("-{name}"), "-o", "pid", "-s", &sid], &[]);
    }
    for c in "CGJKMNPRSTUcfgjkmnoprstuvy".chars() {
        for o in [format!("O{c}"), format!("O-{c}")] {
            same(&[&o, "-s", &sid], &[]);
        }
    }
    // AIX descriptors where a sort list is read.
    for k in ["%p", "pid,%cpu", "%p%c"] {
        same(&["k", k, "-s", &sid], &[]);
        same(&["--sort", k, "-s", &sid], &[]);
    }
}

#[test]
fn ps_selection_and_sort_quirks_match_procps() {
    let t = "ps_selection_and_sort_quirks_match_procps";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 ps is not installed");
    }
    let mut f = Fixtures::new();
    let sid = fixture(&mut f);
    for args in [
        &["+"][..],
        &["-"],
        &["1", "+"],
        &["1", ""],
        &["+x"],
        &["r", "-q", &sid],
        &["-q", &sid, "r"],
        &["--sort=-vsize", "-o", "pid,vsz", "-s", &sid],
        &["--sort=-fgid", "-o", "pid", "-s", &sid],
        &["--sort=-numa", "-o", "pid", "-s", &sid],
        &["--sort=-uid", "-o", "pid,uid", "-s", &sid],
        &["--sort=-tty", "-o", "pid,tty", "-s", &sid],
        &["OR", "-s", &sid],
        &["O-R", "-s", &sid],
        &["O-v", "-s", &sid],
    ] {
        same(args, &[]);
    }
    // procps's help sections, --info's refusal of company.
    for args in [
        &["--help", "s"][..],
        &["--help", "l"],
        &["--help", "o"],
        &["--help", "t"],
        &["--help", "m"],
        &["--help", "a"],
        &["--help", "simple"],
        &["--help", "list"],
        &["--help", "output"],
        &["--help", "threads"],
        &["--help", "misc"],
        &["--help", "all"],
        &["--help", "bogus"],
        &["--help=s"],
        &["--info", "-e"],
        &["-e", "--info"],
    ] {
        same(args, &[]);
    }
    // A uid without a name is fitted like a name: `42+` (procps), whole when last or with `n`.
    if is_root() && have("setpriv") {
        let pid = f.spawn(Command::new("setsid").args([
            "setpriv",
            "--reuid",
            "4242",
            "--regid",
            "4242",
            "--clear-groups",
            "sleep",
            "4009",
        ]));
        f.settle(&[pid], &["setsid", "setpriv"]);
        let p = pid.to_string();
        for o in [
            "user:3,pid",
            "user:1,pid",
            "user:2,pid",
            "group:3,pid",
            "ruser:3,euser:2,pid",
            "user:3",
            "fuser:3,suser:2,pid",
        ] {
            same(&["-o", o, "-p", &p], &[]);
        }
        same(&["n", "-o", "user:3,pid", "-p", &p], &[]);
        same(&["u", "-p", &p], &[]);
    } else {
        skip(t, "not root or no setpriv: the nameless uid is not walked");
    }
    // A thread ID (not the leader's) given to -p / -q / p selects nothing: header, status 1.
    let tid = children_of(sid.parse().unwrap_or(0))
        .into_iter()
        .flat_map(|p| {
            dir_names(format!("/proc/{p}/task"))
                .into_iter()
                .filter(move |t| *t != p.to_string())
        })
        .next();
    match tid {
        Some(tid) => {
            for args in [
                &["-p", &tid][..],
                &["-q", &tid],
                &["p", &tid],
                &["-L", "-p", &tid],
                &["-p", &format!("{tid},{sid}")],
            ] {
                same(args, &[]);
            }
            // -L/-T with a sort order: one row per process, as procps.
            for args in [
                &["-L", "--sort=pid", "-o", "pid,lwp,comm"][..],
                &["-L", "--sort=-lwp", "-o", "pid,lwp,nlwp"],
                &["-T", "--sort=pid"],
                &["-Lf", "--sort=-pid"],
                &["-L", "k", "pid"],
                &["H", "--sort=pid"],
                &["-L"],
            ] {
                let mut v: Vec<&str> = args.to_vec();
                v.extend(["-s", &sid]);
                same(&v, &[]);
            }
        }
        None => skip(
            t,
            "no threaded fixture (python3 missing): thread IDs not walked",
        ),
    }
}

/// Columns whose figures move between two runs even for idle processes: lifetime CPU
/// shares (`%cuc`, `%cuu`, and `cp` in per-mill, which the %CPU/C mask does not cover: the
/// elapsed time grows under them; seen 58 vs 59 in CI) and shared-page memory
/// (`pss`, `uss`: other processes map and unmap the same pages). For these the walk below
/// compares where each row prints `-` and a figure, not the figures.
const MOVING: &[&str] = &["cp", "cuc", "cuu", "pss", "uss"];

/// Each cell as `-`, or `#` for any other text: where a row prints a figure.
fn shape(text: &str) -> Vec<Vec<&'static str>> {
    text.lines()
        .skip(1)
        .map(|l| {
            l.split_whitespace()
                .map(|c| if c == "-" { "-" } else { "#" })
                .collect()
        })
        .collect()
}

/// Issue 11, kind 2: with `-m` (UNIX) and `m` (BSD) every specifier `ps L` lists prints on the
/// process row and on each thread row what procps prints there (`-` where the value belongs to
/// the other kind of row, thread rows' zeros where procps leaves a task's figure unread).
#[test]
fn ps_thread_rows_print_what_procps_prints_for_every_specifier() {
    let t = "ps_thread_rows_print_what_procps_prints_for_every_specifier";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 ps is not installed");
    }
    if !have("python3") {
        return skip(t, "python3 missing: no threaded fixture");
    }
    let listed = procps_listed();
    let mut f = Fixtures::new();
    let sid = fixture(&mut f);
    let (mut exact, mut shaped, mut crashes) = (0, 0, 0);
    for name in &listed {
        // The layout test columns cycle sample texts (see the walk above).
        if name.starts_with('_') {
            continue;
        }
        let o = format!("pid,tid,{name}");
        for args in [
            ["-m", "-o", o.as_str(), "-s", sid.as_str()],
            ["m", "-o", o.as_str(), "-s", sid.as_str()],
        ] {
            if name == "wchan" || name == "wname" {
                // procps 4.0.2 dies of SIGSEGV on these in thread listings; gopsi prints the
                // thread rows' wait channels (a difference the README lists). Checked to still
                // crash, so that this exception goes once procps is fixed.
                let a = run(&mut tool("ps", args));
                assert!(
                    String::from_utf8_lossy(&a.stderr).contains("Signal 11 (SEGV) caught by ps"),
                    "procps no longer crashes on ps {args:?}: walk it"
                );
                let g = run(&mut gopsi(std::iter::once("ps").chain(args)));
                assert!(g.status.success(), "gopsi ps {args:?}: {g:?}");
                assert!(shape(&stdout(&g)).len() >= 5, "gopsi ps {args:?}: {g:?}");
                crashes += 1;
            } else if MOVING.contains(&name.as_str()) {
                let (a, g) = (
                    run(&mut tool("ps", args)),
                    run(&mut gopsi(std::iter::once("ps").chain(args))),
                );
                let (sa, sg) = (stdout(&a), stdout(&g));
                assert_eq!(
                    sg.lines().next(),
                    sa.lines().next(),
                    "header of ps {args:?}"
                );
                assert_eq!(shape(&sg), shape(&sa), "rows of ps {args:?}:\n{sg}\n{sa}");
                assert_eq!(g.status.code(), a.status.code(), "status of ps {args:?}");
                shaped += 1;
            } else {
                same(&args, &[]);
                exact += 1;
            }
        }
    }
    eprintln!("thread rows: {exact} exact, {shaped} by shape, {crashes} procps crashes");
    assert!(exact > 300, "only {exact} compared exactly");
}
