//! Hardening of the human views (issue 12 item 6): no C0/C1 control byte or DEL from a
//! process's command line reaches the terminal through `top`. A deliberate difference from
//! procps (README compatibility table).

use crate::common::*;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

/// The offset of the first terminal control in `out`: a C0 byte other than newline (and
/// carriage return when `cr`, for a pty's `\r\n`), DEL, a C1 control as UTF-8
/// (U+0080..U+009F), or a raw byte 0x80..0x9f outside valid UTF-8.
fn control_at(out: &[u8], cr: bool) -> Option<usize> {
    let mut at = 0;
    for chunk in out.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            let c0 = c.is_ascii_control() && c != '\n' && !(cr && c == '\r');
            if c0 || ('\u{80}'..='\u{9f}').contains(&c) {
                return Some(at + i);
            }
        }
        at += chunk.valid().len();
        if let Some(i) = chunk
            .invalid()
            .iter()
            .position(|b| (0x80..=0x9f).contains(b))
        {
            return Some(at + i);
        }
        at += chunk.invalid().len();
    }
    None
}

/// Whether `out` holds a terminal control ([`control_at`]); `\r` counts.
fn has_control(out: &[u8]) -> bool {
    control_at(out, false).is_some()
}

/// `out` around its first control byte, for a failure message.
fn show_control(out: &[u8], cr: bool) -> String {
    let at = control_at(out, cr).unwrap_or(0);
    let from = at.saturating_sub(60);
    format!(
        "{:?}",
        String::from_utf8_lossy(&out[from..(at + 20).min(out.len())])
    )
}

/// What gopsi makes of procps's message: every control character `?`, as gopsi's
/// `text::message` shows it in a UTF-8 locale (the input is valid UTF-8).
fn escaped_like_gopsi(procps: &[u8]) -> String {
    String::from_utf8_lossy(procps)
        .chars()
        .map(|c| {
            let control = (c.is_control() && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c);
            if control { '?' } else { c }
        })
        .collect()
}

#[test]
fn control_at_finds_c0_c1_del_and_raw_c1_bytes() {
    assert_eq!(control_at(b"ok \xc3\xa9\n", false), None);
    assert_eq!(control_at(b"ab\x1b", false), Some(2));
    assert_eq!(control_at(b"ab\x7f", false), Some(2));
    assert_eq!(control_at(b"a\xc2\x9b", false), Some(1));
    assert_eq!(control_at(b"a\xff\x9b", false), Some(2));
    assert_eq!(control_at(b"a\r\n", false), Some(1));
    assert_eq!(control_at(b"a\r\n", true), None);
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

/// Issue 12 item 5: as an unprivileged user (uid 3141600, used by no other test: other tests'
/// processes as `nobody` would show up in one run and not the other) under a procfs mounted
/// with `hidepid=1` (a private mount namespace), other users' processes are hidden, not
/// errors: `ps aux`, `ps -ef` and `top -b -n1` print nothing on stderr and exit as procps
/// does, with as many rows.
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
             setpriv --reuid=3141600 --regid=3141600 --clear-groups $t $c >/tmp/hp.$$.out 2>/tmp/hp.$$.err\n\
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

/// A user name holding ESC, BEL and U+009B (OSC 52 writes the clipboard); 18 bytes.
const HOSTILE_USER: &[u8] = b"ev\x1b]52;c;AAAA\x07\xc2\x9bx";
/// A group name holding ESC, BEL and U+009B (no blank: ps reads `-G` as a list).
const HOSTILE_GROUP: &[u8] = b"gr\x1b[31m\x07\xc2\x9by";
/// A second user whose name is not UTF-8: a raw C1 byte (0x9b), DEL, ESC and a tab.
const RAW_USER: &[u8] = b"raw\x9b\x7f\x1b\tz";

/// The ps format specifiers that print a user or group name: every `ps L` entry whose
/// header names a user or group (USER, RUSER, ... SUPGRP), and `uid_hack`.
fn name_specs() -> Vec<String> {
    let o = run(&mut gopsi(["ps", "L"]));
    let specs: Vec<String> = stdout(&o)
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (spec, header) = (w.next()?, w.next()?);
            let named = ["USER", "GROUP", "SUPGRP"]
                .iter()
                .any(|h| header.ends_with(h))
                && header != "CGROUP";
            (named || spec == "uid_hack").then(|| spec.to_string())
        })
        .collect();
    // user uname euser ruser suser svuser fuser fsuser, group egroup rgroup sgroup svgroup
    // fgroup fsgroup, supgrp, uid_hack.
    assert_eq!(specs.len(), 17, "{specs:?}");
    specs
}

/// Issue 12 item 6: users and groups whose names hold ESC, BEL, tab, DEL and C1 bytes (a
/// passwd and group bind-mounted in a private mount namespace) own a process; no human view
/// writes a control byte (`ps` in many formats and both locales, every name specifier of
/// `ps L`, `top -b`, `inspect`, `files`, `ports`). ps's cells are procps's byte for byte
/// (procps's ps escapes names too); procps's top prints them raw, gopsi's does not (README).
#[test]
fn hostile_user_and_group_names_reach_no_terminal() {
    let t = "hostile_user_and_group_names_reach_no_terminal";
    if !is_root() || !have("unshare") || !have("setpriv") {
        return skip(t, "needs root, unshare and setpriv");
    }
    /// Removes the directory when the test ends, passed or not.
    struct Dir(std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let tmp = Dir(std::env::temp_dir().join(format!("gopsi-hostile-{}", std::process::id())));
    let dir = &tmp.0;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("temp dir");
    let (uid, gid, raw_uid) = (3_141_592u32, 3_141_593u32, 3_141_594u32);
    let mut passwd = std::fs::read("/etc/passwd").expect("/etc/passwd");
    let mut group = std::fs::read("/etc/group").expect("/etc/group");
    for (name, id) in [(HOSTILE_USER, uid), (RAW_USER, raw_uid)] {
        passwd.extend_from_slice(name);
        passwd.extend_from_slice(format!(":x:{id}:{gid}::/:/bin/sh\n").as_bytes());
    }
    group.extend_from_slice(HOSTILE_GROUP);
    group.extend_from_slice(format!(":x:{gid}:\n").as_bytes());
    std::fs::write(dir.join("passwd"), passwd).expect("passwd");
    std::fs::write(dir.join("group"), group).expect("group");
    std::fs::write(dir.join("user"), HOSTILE_USER).expect("user");
    std::fs::write(dir.join("group-name"), HOSTILE_GROUP).expect("group name");
    let specs = name_specs();
    let wide: Vec<String> = specs.iter().map(|s| format!("{s}:40")).collect();
    let wide = wide.join(",");
    let narrow = specs.join(",");
    // (label, arguments after the program, whether procps's ps must print the same, what it
    // shows: 'u' the user, 'g' the group, 'b' both, '-' neither): `$P` is the hostile process,
    // `$R` the raw-named one, `$U`/`$N` the user and group names.
    let ps_cases: &[(&str, &str, bool, char)] = &[
        ("aux", "aux", false, 'u'),
        ("-ef", "-ef", false, 'u'),
        ("-eF", "-eF", false, 'u'),
        ("-el", "-el", false, '-'),
        ("axj", "axj", false, '-'),
        ("-e names", &format!("-eo {narrow}"), false, 'b'),
        ("-e names wide", &format!("-eo {wide}"), false, 'b'),
        ("names", &format!("-o {wide} -p $P,$R"), true, 'b'),
        ("names narrow", &format!("-o {narrow} -p $P,$R"), true, 'b'),
        ("u", "u -p $P", true, 'u'),
        ("-f", "-f -p $P", true, 'u'),
        ("-u NAME", "-u \"$U\" -o pid,user:30,group:30", true, 'b'),
        ("-U NAME", "-U \"$U\" -o pid,ruser:30", true, 'u'),
        ("-G NAME", "-G \"$N\" -o pid,rgroup:30", true, 'g'),
        ("--group NAME", "--group \"$N\" -o pid,egroup:30", true, 'g'),
        ("forest", "axf -o pid,user,group,args", false, 'b'),
    ];
    let mut script = format!(
        "D={d}\nG={g}\nmount --bind $D/passwd /etc/passwd && mount --bind $D/group /etc/group || exit 99\n\
         U=$(cat $D/user); N=$(cat $D/group-name)\n\
         setpriv --reuid={uid} --regid={gid} --groups={gid} sleep 300 & P=$!\n\
         setpriv --reuid={raw_uid} --regid={gid} --clear-groups sleep 300 & R=$!\n\
         i=0; while [ $i -lt 200 ] && ! {{ [ \"$(cat /proc/$P/comm)\" = sleep ] && [ \"$(cat /proc/$R/comm)\" = sleep ]; }}; do sleep 0.02; i=$((i+1)); done\n\
         [ \"$(cat /proc/$P/comm)\" = sleep ] || {{ kill $P $R; exit 98; }}\n\
         echo $P >$D/pid\n\
         run() {{ n=$1; shift; \"$@\" >$D/$n.out 2>$D/$n.err; echo $? >$D/$n.rc; }}\n",
        d = dir.display(),
        g = env!("CARGO_BIN_EXE_gopsi"),
    );
    // (label, procps's run to compare with, what it shows).
    let mut labels: Vec<(String, Option<String>, char)> = Vec::new();
    let mut n = 0;
    let mut add = |script: &mut String, label: String, cmd: String, oracle, shows| {
        script.push_str(&format!("run {n} {cmd}\n"));
        labels.push((label, oracle, shows));
        n += 1;
    };
    for loc in ["C.UTF-8", "C"] {
        for &(label, args, same, shows) in ps_cases {
            let ps_n = same.then(|| format!("procps ps {args} ({loc})"));
            if let Some(l) = &ps_n {
                let cmd = format!("env LC_ALL={loc} ps {args}");
                add(&mut script, l.clone(), cmd, None, '-');
            }
            add(
                &mut script,
                format!("gopsi ps {label} ({loc})"),
                format!("env LC_ALL={loc} $G ps {args}"),
                ps_n,
                shows,
            );
        }
    }
    for (label, cmd, shows) in [
        ("top", "$G top -b -n1 -w 512", 'u'),
        ("top -p", "$G top -b -n1 -w 512 -p $P,$R", 'u'),
        ("top -c -p", "$G top -b -n1 -c -p $P", 'u'),
        ("top -u NAME", "$G top -b -n1 -u \"$U\"", 'u'),
        ("top -U NAME", "$G top -b -n1 -U \"$U\"", 'u'),
        ("top -o RUSER", "$G top -b -n1 -o RUSER", 'u'),
        ("top -o SUSER", "$G top -b -n1 -o SUSER", 'u'),
        ("top -o GROUP", "$G top -b -n1 -o GROUP", 'u'),
        ("top (C)", "env LC_ALL=C $G top -b -n1 -p $P,$R", 'u'),
        ("inspect", "$G inspect $P", 'b'),
        ("inspect raw", "$G inspect $R", 'g'),
        ("inspect (C)", "env LC_ALL=C $G inspect $P", 'b'),
        ("files PID", "$G files $P $R", '-'),
        ("ports", "$G ports", '-'),
        ("ports -a", "$G ports -a", '-'),
        ("ports -ax", "$G ports -ax", '-'),
        ("procps top", "top -b -n1 -w 512 -p $P", '-'),
    ] {
        add(&mut script, label.to_string(), cmd.to_string(), None, shows);
    }
    script.push_str("kill $P $R\n");
    let o = run(tool(
        "unshare",
        ["-m", "--propagation", "private", "sh", "-c", &script],
    )
    .current_dir("/"));
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_default();
    let done = !read("pid").is_empty();
    let status = o.status.code();
    if !done {
        let why = match status {
            Some(99) => "the bind mounts over /etc/passwd and /etc/group were refused",
            Some(98) => "setpriv could not start a process as the hostile user",
            _ => "unshare -m was refused",
        };
        return skip(t, &format!("{why}: {}", String::from_utf8_lossy(&o.stderr)));
    }
    let have_procps = procps_is_oracle() && have("top");
    let mut checked = 0;
    for (i, (label, oracle, shows)) in labels.iter().enumerate() {
        let out = read(&format!("{i}.out"));
        let err = read(&format!("{i}.err"));
        let rc = String::from_utf8_lossy(&read(&format!("{i}.rc")))
            .trim()
            .to_string();
        if label.starts_with("procps") {
            continue;
        }
        assert!(
            !out.is_empty(),
            "{label}: no output (status {rc}) {:?}",
            String::from_utf8_lossy(&err)
        );
        assert!(
            !has_control(&out),
            "{label}: control byte on stdout: {}",
            show_control(&out, false)
        );
        assert!(
            !has_control(&err),
            "{label}: control byte on stderr: {}",
            show_control(&err, false)
        );
        // The hostile process is shown, its names escaped (`.` for controls in the C locale).
        let text = String::from_utf8_lossy(&out);
        let c = if label.ends_with("(C)") { '.' } else { '?' };
        if matches!(shows, 'u' | 'b') {
            let user = format!("ev{c}]52;");
            assert!(
                text.contains(&user),
                "{label}: hostile user not shown:\n{text}"
            );
        }
        if matches!(shows, 'g' | 'b') {
            let group = format!("gr{c}[31m");
            assert!(
                text.contains(&group),
                "{label}: hostile group not shown:\n{text}"
            );
        }
        if let (Some(o), true) = (oracle, have_procps) {
            let j = labels
                .iter()
                .position(|(l, ..)| l == o)
                .expect("oracle run");
            let want = read(&format!("{j}.out"));
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&want),
                "{label} differs from {o}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 2 * 16 + 16);
    if have_procps {
        // The deliberate difference: procps's top writes the user name raw.
        let j = labels
            .iter()
            .position(|(l, ..)| l == "procps top")
            .expect("procps top");
        let raw = read(&format!("{j}.out"));
        assert!(
            raw.windows(5).any(|w| w == b"ev\x1b]5"),
            "procps top no longer prints user names raw: README's compatibility row is stale"
        );
    }
}

/// Issue 12 item 6 (messages): gopsi's own errors quote what was typed (unknown subcommands,
/// options and their values, `--proc-root` paths, `$PS_FORMAT`) with every control byte
/// escaped. Where procps answers the same input (`ps`, `top`), gopsi's message is procps's
/// with each control character as `?` and the same status (procps echoes them raw: README).
/// clap's errors on a terminal (a pty, through `script`) carry no styling and no raw byte.
#[test]
fn own_error_messages_escape_control_bytes() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let os = |b: &[u8]| OsString::from_vec(b.to_vec());
    let bad_root = std::env::temp_dir().join(format!("gopsi-\x1b[31mroot-{}", std::process::id()));
    let root = bad_root.as_os_str().to_owned();
    let osc = b"\x1b]0;x\x07".as_slice();
    // (arguments, environment): procps is asked the same when the first word is ps or top.
    let mut cases: Vec<(Vec<OsString>, Option<&[u8]>)> = Vec::new();
    let mut case = |words: &[&[u8]]| cases.push((words.iter().map(|w| os(w)).collect(), None));
    for w in [
        &[b"ps".as_slice(), b"-\x1b"][..],
        &[b"ps", b"--\x1b"],
        &[b"ps", b"\x1b]0;x\x07"],
        &[b"ps", b"-o", osc],
        &[b"ps", b"-o", b"pid,a\xc2\x9b"],
        &[b"ps", b"--format", b"\x07"],
        &[b"ps", b"-O", b"\x1b"],
        &[b"ps", b"o", b"\x1b"],
        &[b"ps", b"--sort", osc],
        &[b"ps", b"-u", b"\x1b"],
        &[b"ps", b"-G", b"\x1b"],
        &[b"ps", b"-p", b"\x1b"],
        &[b"ps", b"-t", b"\x7f"],
        &[b"top", b"-u", b"\x1b"],
        &[b"top", b"-U", b"\x1b"],
        &[b"top", b"-\x1b"],
        &[b"top", b"--\x1b]0;x\x07"],
        &[b"top", b"-b", b"-n1", b"-o", osc],
        &[b"top", b"-b", b"-d", b"\xc2\x9b"],
        &[b"top", b"-b", b"-n", b"\x1b"],
        &[b"top", b"-b", b"-p", b"\x1b"],
        &[b"top", b"-b", b"-w", b"\x1b"],
        &[b"top", b"-b", b"-s", b"\x1b"],
        &[osc],
        &[b"help", osc],
        &[b"inspect", b"\x1b"],
        &[b"inspect", b"1\x1b]0;x\x07"],
        &[b"files", b"\xc2\x9b"],
        &[b"ports", b"--\x1b"],
        &[b"ports", b"-\x07"],
        &[b"ports", b"--pid", b"\x1b"],
        &[b"inspect", b"--\x1b", b"1"],
        &[b"serve", b"--listen", b"\x1b"],
        &[b"metrics", b"--group-by", b"\x1b\xc2\x9b"],
        &[b"metrics", b"--config", b"/tmp/\x1b]0;x\x07"],
    ] {
        case(w);
    }
    cases.push((vec![os(b"ps")], Some(osc)));
    for sub in ["ps", "top", "ports", "files", "inspect"] {
        let mut args = vec![OsString::from("--proc-root"), root.clone(), sub.into()];
        if sub == "files" || sub == "inspect" {
            args.push("1".into());
        }
        if sub == "top" {
            args.extend(["-b".into(), "-n1".into()]);
        }
        cases.push((args, None));
    }
    let have_procps = procps_is_oracle() && have("top");
    let serve = cfg!(feature = "serve");
    let (mut compared, mut raw_in_procps) = (0, Vec::new());
    for (args, ps_format) in &cases {
        let first = args[0].to_string_lossy().into_owned();
        if !serve && (first == "serve" || first == "metrics") {
            continue;
        }
        let mut c = gopsi(args);
        if let Some(f) = ps_format {
            c.env("PS_FORMAT", os(f));
        }
        let g = run(&mut c);
        let shown = format!("gopsi {args:?} env {ps_format:?}");
        assert!(!g.stderr.is_empty(), "{shown}: no message");
        assert!(
            !has_control(&g.stderr),
            "{shown}: control byte on stderr: {}",
            show_control(&g.stderr, false)
        );
        assert!(
            !has_control(&g.stdout),
            "{shown}: control byte on stdout: {}",
            show_control(&g.stdout, false)
        );
        if have_procps && (first == "ps" || first == "top") {
            let mut p = tool(&first, &args[1..]);
            if let Some(f) = ps_format {
                p.env("PS_FORMAT", os(f));
            }
            let p = run(&mut p);
            assert_eq!(
                String::from_utf8_lossy(&g.stderr),
                escaped_like_gopsi(&p.stderr),
                "{shown}: not procps's message, escaped"
            );
            assert_eq!(g.status.code(), p.status.code(), "{shown}: status");
            if has_control(&p.stderr) {
                raw_in_procps.push(shown);
            }
            compared += 1;
        }
    }
    if have_procps {
        assert_eq!(compared, 24);
        // The differences the README lists: procps echoes these raw.
        assert_eq!(raw_in_procps.len(), 14, "{raw_in_procps:#?}");
    }
    if !have("script") {
        return skip(
            "own_error_messages_escape_control_bytes (pty part)",
            "util-linux script is not installed",
        );
    }
    // On a terminal clap would style its errors (SGR sequences) and print what was typed raw.
    for cmd in [
        "inspect '1\x1b]0;x\x07'",
        "ports --pid '\x1b'",
        "files '\x1b[2J'",
        "'\x1b]0;x\x07'",
        "ps -o '\x1b]0;x\x07'",
    ] {
        let line = format!("{} {cmd} >/dev/null", env!("CARGO_BIN_EXE_gopsi"));
        let o = run(&mut tool("script", ["-qec", &line, "/dev/null"]));
        assert!(!o.stdout.is_empty(), "{cmd} on a pty: no message");
        assert!(
            control_at(&o.stdout, true).is_none(),
            "{cmd} on a pty: {}",
            show_control(&o.stdout, true)
        );
    }
}
