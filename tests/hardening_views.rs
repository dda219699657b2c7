//! Hardening of the human views (issue 12 item 6): no C0/C1 control byte or DEL from a
//! process's command line reaches the terminal through `top`. A deliberate difference from
//! procps (README compatibility table).

use crate::common::*;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

/// Whether `out` holds a C0 control (other than newline), DEL, or a C1 control (as UTF-8).
fn has_control(out: &[u8]) -> bool {
    String::from_utf8_lossy(out)
        .chars()
        .any(|c| (c.is_control() && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c))
}

/// `top -c` shows a command line holding U+009B (C1 CSI), ESC and BEL escaped.
#[test]
fn top_c_escapes_c1_and_c0_in_command_lines() {
    let name = std::ffi::OsStr::from_bytes(b"gopsi-\xc2\x9b2J-\x1b]52;c;x\x07-end");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("sleep 30")
        .arg(name)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn sh");
    let pid = child.id().to_string();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let o = run(&mut gopsi([
        "top", "-b", "-n1", "-c", "-w", "512", "-p", &pid,
    ]));
    let _ = child.kill();
    let _ = child.wait();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("gopsi-"), "process not shown:\n{out}");
    assert!(
        !has_control(&o.stdout),
        "raw control bytes in top -c:\n{out:?}"
    );
}

/// Issue 12 item 5: as `nobody` under a procfs mounted with `hidepid=1` (a private mount
/// namespace), other users' processes are hidden, not errors: `ps aux`, `ps -ef` and
/// `top -b -n1` print nothing on stderr and exit as procps does, with as many rows.
#[test]
fn hidden_processes_are_not_errors() {
    let t = "hidden_processes_are_not_errors";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 ps is not installed");
    }
    if !is_root() || !have("unshare") || !have("setpriv") {
        return skip(t, "needs root, unshare and setpriv");
    }
    let bin = SharedBin::new("hidepid").expect("copy gopsi where nobody can run it");
    let script = format!(
        "mount -t proc -o hidepid=1 proc /proc || exit 99\n\
         for c in 'ps aux' 'ps -ef' 'top -b -n1'; do\n\
           for t in '' '{bin}'; do\n\
             setpriv --reuid=65534 --regid=65534 --clear-groups $t $c >/tmp/hp.$$.out 2>/tmp/hp.$$.err\n\
             echo \"[$t $c] status $? rows $(wc -l </tmp/hp.$$.out) stderr $(wc -c </tmp/hp.$$.err)\"\n\
           done\n\
         done\n\
         rm -f /tmp/hp.$$.out /tmp/hp.$$.err",
        bin = bin.path().display()
    );
    let o = run(Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .current_dir("/"));
    drop(bin);
    if o.status.code() == Some(99) {
        return skip(t, "the kernel refused a procfs mount with hidepid=1");
    }
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        6,
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for pair in lines.chunks(2) {
        let strip = |l: &str| l.split_once("] ").map(|x| x.1.to_string());
        assert!(pair[0].ends_with("stderr 0"), "procps: {}", pair[0]);
        assert_eq!(
            strip(pair[1]),
            strip(pair[0]),
            "gopsi: {}\nprocps: {}",
            pair[1],
            pair[0]
        );
    }
}

/// Runs `prog args` through `sh` with stdout sent to `/dev/full` (`full`) or closed.
fn lost_output(prog: &str, args: &[&str], full: bool) -> (String, Option<i32>) {
    let redirect = if full { ">/dev/full" } else { ">&-" };
    let o = run(Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$@\" {redirect}"))
        .arg("sh")
        .arg(prog)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .env_remove("COLUMNS")
        .stdin(Stdio::null()));
    (
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code(),
    )
}

/// Issue 12 item 8: output that cannot be written is reported as procps reports it
/// (`ps: write error: REASON`, `top: write error`, status 1) for every page and listing, into
/// a full device and into a closed stdout; gopsi's own pages the same way.
#[test]
fn lost_output_is_reported() {
    let t = "lost_output_is_reported";
    if !procps_is_oracle() || !have("top") {
        return skip(t, "procps-ng 4.0.2 is not installed");
    }
    let g = env!("CARGO_BIN_EXE_gopsi");
    let mut compared = 0;
    for (tool, args) in [
        ("ps", &["aux"][..]),
        ("ps", &["-ef"]),
        ("ps", &["L"]),
        ("ps", &["V"]),
        ("ps", &["--version"]),
        ("ps", &["--help"]),
        ("ps", &["--help", "s"]),
        ("ps", &["-o", "pid", "-p", "1"]),
        ("top", &["-h"]),
        ("top", &["-V"]),
        ("top", &["-b", "-n1"]),
    ] {
        for full in [true, false] {
            let want = lost_output(tool, args, full);
            let mut ga = vec![tool];
            ga.extend(args);
            let mut got = lost_output(g, &ga, full);
            if tool == "top" && !full {
                // procps top with fd 1 closed writes wherever fd 1 lands next (seen: its
                // help on stderr) and exits 0; gopsi's top writes nothing there, also 0.
                got.0.clone_from(&want.0);
            }
            assert_eq!(
                got,
                want,
                "{tool} {args:?} with stdout {}",
                ["closed", "full"][full as usize]
            );
            compared += 1;
        }
    }
    for args in [
        &["--help"][..],
        &["--version"],
        &["help", "ports"],
        &["ports", "--help"],
        &["files", "--help"],
        &["inspect", "--help"],
        &["ports"],
        &["inspect", "1"],
    ] {
        let (err, status) = lost_output(g, args, true);
        assert_eq!(status, Some(1), "gopsi {args:?} into /dev/full: {err}");
        assert!(
            err.ends_with("gopsi: write error: No space left on device\n"),
            "gopsi {args:?} into /dev/full: {err}"
        );
    }
    assert_eq!(compared, 22);
}

/// Starts `prog args` with stdout piped, sends `sig` once its first frame is out, and returns
/// its status (`None` if it still runs a second later; then it is killed).
fn status_after_signal(prog: &str, args: &[&str], sig: nix::sys::signal::Signal) -> Option<i32> {
    use std::io::Read;
    let mut child = Command::new(prog)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start top");
    let mut first = [0u8; 64];
    let _ = child.stdout.as_mut().map(|o| o.read(&mut first));
    std::thread::sleep(std::time::Duration::from_millis(200));
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let _ = nix::sys::signal::kill(pid, sig);
    // Keep reading so a frame written after the signal cannot block on a full pipe.
    let mut out = child.stdout.take();
    let drain = std::thread::spawn(move || {
        let mut sink = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut sink);
        }
    });
    let mut status = None;
    for _ in 0..100 {
        if let Ok(Some(s)) = child.try_wait() {
            status = Some(s.code().unwrap_or(128 + s.signal().unwrap_or(0)));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let _ = drain.join();
    status
}

/// Issue 12 item 7 (batch): `top -b` ends with status 0 on SIGUSR1, SIGUSR2, SIGALRM, SIGTERM,
/// SIGINT and SIGQUIT, and goes on through SIGHUP, as procps's top does.
#[test]
fn top_batch_ends_on_signals_as_procps() {
    use nix::sys::signal::Signal::*;
    if !have("top") || !procps_is_oracle() {
        return skip(
            "top_batch_ends_on_signals_as_procps",
            "procps-ng 4.0.2 top is not installed",
        );
    }
    for sig in [SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGINT, SIGQUIT, SIGHUP] {
        let args = ["-b", "-d", "5"];
        let want = status_after_signal("top", &args, sig);
        let got = status_after_signal(env!("CARGO_BIN_EXE_gopsi"), &["top", "-b", "-d", "5"], sig);
        assert_eq!(got, want, "top -b after {sig:?}");
    }
}
