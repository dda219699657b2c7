//! Issue 12 item 4: honest answers when /proc is partial. Under a procfs mounted with
//! `subset=pid` (host files hidden) and with one host file emptied by a bind mount, gopsi's
//! `ps` and `top` print what procps prints, byte for byte, with its statuses; gopsi's own views
//! say what they do not know instead of printing 1970 or 0.
//!
//! Both tools look at one idle process in the same namespace at the same moment, so nothing is
//! masked in the ps walk. In the one-file cases top's CPU and memory lines are left out of the
//! comparison: their figures move between two runs.

use crate::common::*;

/// Runs `script` in a private mount namespace (and, with `pid_ns`, a new pid namespace with its
/// own /proc). `None` when the kernel or the machine refuses; the caller skips.
fn in_namespace(script: &str, pid_ns: bool) -> Option<String> {
    let mut args = vec!["-m", "--propagation", "private"];
    if pid_ns {
        args.extend(["-p", "-f", "--mount-proc"]);
    }
    args.extend(["sh", "-c", script]);
    let o = run(tool("unshare", &args).current_dir("/"));
    if o.status.code() == Some(99) {
        return None;
    }
    assert!(
        o.status.success(),
        "namespace script failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(stdout(&o))
}

/// One record per command: an RS byte (which no command line here holds), `LABEL`, then `status N`, stdout and stderr (each made one line
/// with `|` for newlines), as `sh` captured them.
const RUN_BOTH: &str = r#"
both() { # label, args...
  label=$1; shift
  for t in '' "$GOPSI"; do
    $t "$@" >"$T/out" 2>"$T/err"; rc=$?
    printf '\036%s [%s]\nstatus %s\nout %s\nerr %s\n' "$label" "${t:+gopsi}" "$rc" \
      "$(tr '\n' '|' <"$T/out")" "$(tr '\n' '|' <"$T/err")"
  done
}
# $$ is 1 in every new pid namespace: a private directory, not /tmp/NAME.$$.
T=$(mktemp -d) || exit 98
trap 'rm -rf "$T"' EXIT
"#;

/// Pairs of records (procps first, then gopsi) from [`RUN_BOTH`]'s output.
fn pairs(out: &str) -> Vec<(String, String)> {
    let recs: Vec<&str> = out.split('\x1e').skip(1).collect();
    assert!(recs.len().is_multiple_of(2), "odd record count:\n{out}");
    recs.chunks(2)
        .map(|p| {
            let strip = |r: &str| r.split_once('\n').map_or("", |x| x.1).to_string();
            (strip(p[0]), strip(p[1]))
        })
        .collect()
}

fn ready(t: &str) -> bool {
    if !procps_is_oracle() {
        skip(t, "procps-ng 4.0.2 ps and top are not installed");
        return false;
    }
    if !is_root() || !have("unshare") {
        skip(t, "needs root and unshare");
        return false;
    }
    true
}

/// Every specifier `ps L` lists, then the macros that hold `%mem` or a start time, and top's
/// batch frames, under `subset=pid`: procps stops with `Unable to get total memory` / `Unable
/// to get system boot time` (status 1) before the first such cell, top shows the task counts
/// only and `?` percentages.
#[test]
fn subset_pid_prints_what_procps_prints() {
    let t = "subset_pid_prints_what_procps_prints";
    if !ready(t) {
        return;
    }
    let names = stdout(&run(&mut tool("ps", ["L"])))
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect::<Vec<_>>()
        .join(" ");
    let script = format!(
        "GOPSI={gopsi}\n{RUN_BOTH}\n\
         umount /proc && mount -t proc -o subset=pid proc /proc || exit 99\n\
         [ -e /proc/meminfo ] && exit 99\n\
         sleep 60 & SP=$!\n\
         for n in {names}; do both \"-o pid,$n\" ps -o pid,$n -p $SP; done\n\
         for m in aux u v -ef -f -F -l j s -j '-O pmem' '-o pid,lstart --no-headers'; do\n\
           both \"ps $m\" ps $m -p $SP; done\n\
         both 'ps --sort' ps -o pid --sort=-pmem,start_time -p 1,$SP\n\
         for a in '' '-1' '-E g' '-o %MEM' '-H'; do both \"top $a\" top -b -n2 -d0.1 $a -p $SP; done\n\
         kill $SP",
        gopsi = env!("CARGO_BIN_EXE_gopsi"),
    );
    let Some(out) = in_namespace(&script, true) else {
        return skip(t, "the kernel refused a procfs mount with subset=pid");
    };
    let pairs = pairs(&out);
    let names = names.split(' ').count();
    assert!(pairs.len() >= names + 13, "{} records", pairs.len());
    let mut bad = Vec::new();
    let mut stopped = 0;
    // `pss` moves with the tool that runs: the sleeping process shares its C library's pages
    // with whichever ps is reading it, so only its shape is compared.
    let shape = |r: &str| {
        if r.starts_with("status 0\nout   PID   PSS|") {
            r.replace(|c: char| c.is_ascii_digit(), "9")
        } else {
            r.to_string()
        }
    };
    for (procps, gopsi) in &pairs {
        if procps.contains("err ps: Unable to get") {
            stopped += 1;
        }
        if shape(procps) != shape(gopsi) {
            bad.push(format!("procps:\n{procps}gopsi:\n{gopsi}"));
        }
    }
    // The seven names and their macros that need MemTotal or the boot time.
    assert!(
        stopped >= 7 + 6,
        "procps stopped only {stopped} times:\n{out}"
    );
    assert!(
        out.contains("out Tasks:"),
        "top printed no task line:\n{out}"
    );
    assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.join("\n"));
}

/// One host file emptied (bind-mounted over by an empty file): `uptime` (top's first line is
/// `top -`), `stat` and `meminfo` (top shows tasks only; ps stops at start times or `%mem`).
#[test]
fn an_empty_host_file_is_reported_as_procps_reports_it() {
    let t = "an_empty_host_file_is_reported_as_procps_reports_it";
    if !ready(t) {
        return;
    }
    let script = format!(
        "GOPSI={gopsi}\n{RUN_BOTH}\n\
         : >\"$T/empty\"\n\
         sleep 60 & SP=$!\n\
         for f in uptime stat meminfo; do\n\
           mount --bind \"$T/empty\" /proc/$f || exit 99\n\
           both \"$f ps u\" ps u -p $SP\n\
           both \"$f ps -o\" ps -o pid,lstart,pcpu,pmem,time,bsdstart -p $SP\n\
           # the elapsed time moves between the two runs unless uptime is the missing file\n\
           [ $f = uptime ] && both \"$f ps etime\" ps -o pid,etime,etimes -p $SP\n\
           both \"$f top\" top -b -n1 -p $SP\n\
           umount /proc/$f\n\
         done\n\
         kill $SP",
        gopsi = env!("CARGO_BIN_EXE_gopsi"),
    );
    let Some(out) = in_namespace(&script, false) else {
        return skip(t, "the kernel refused a bind mount over a /proc file");
    };
    // top's CPU and memory figures move between the two runs; its clock can tick over.
    let moving = |r: &str| {
        r.split('|')
            .filter(|l| {
                let clock = l.starts_with("top - ") && l.len() > 6;
                !(l.starts_with("%Cpu") || l.starts_with("MiB ") || clock)
            })
            .collect::<Vec<_>>()
            .join("|")
    };
    let pairs = pairs(&out);
    assert_eq!(pairs.len(), 10, "{out}");
    for (procps, gopsi) in &pairs {
        assert_eq!(moving(gopsi), moving(procps), "\n{out}");
    }
    assert!(out.contains("out top -|"), "no bare `top -` line:\n{out}");
}

/// gopsi's own views under `subset=pid`: `inspect` says `-` for the start, elapsed and
/// lifetime CPU (JSON `null`), never 1970; `ports` on a tree without `net/` fails naming it.
#[test]
fn gopsi_views_say_what_they_do_not_know() {
    let t = "gopsi_views_say_what_they_do_not_know";
    if !is_root() || !have("unshare") {
        return skip(t, "needs root and unshare");
    }
    let script = format!(
        "umount /proc && mount -t proc -o subset=pid proc /proc || exit 99\n\
         [ -e /proc/stat ] && exit 99\n\
         sleep 60 & SP=$!\n\
         {gopsi} inspect $SP; {gopsi} inspect --json $SP; echo \"status $?\"\n\
         kill $SP",
        gopsi = env!("CARGO_BIN_EXE_gopsi"),
    );
    let Some(out) = in_namespace(&script, true) else {
        return skip(t, "the kernel refused a procfs mount with subset=pid");
    };
    for key in ["Started", "Elapsed", "%CPU lifetime"] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} line:\n{out}"));
        assert!(line.trim_end().ends_with(" -"), "{line}");
    }
    for key in ["start_time", "elapsed_secs", "cpu_lifetime_percent"] {
        assert!(out.contains(&format!("\"{key}\": null")), "{key}:\n{out}");
    }
    assert!(!out.contains("1970"), "{out}");

    let tree = std::env::temp_dir().join(format!("gopsi-nonet-{}", std::process::id()));
    std::fs::create_dir_all(tree.join("1")).expect("tree");
    std::fs::copy("/proc/self/stat", tree.join("1/stat")).expect("stat");
    let o = run(&mut gopsi([
        std::ffi::OsStr::new("--proc-root"),
        tree.as_os_str(),
        "ports".as_ref(),
    ]));
    let _ = std::fs::remove_dir_all(&tree);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("/net/tcp"), "{err}");
}
