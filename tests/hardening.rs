//! Hardening (issue 12): forged socket rows, bounded reads, no hangs, honest failures when
//! /proc is missing or partial, silence under `hidepid`, escaped terminal output, reported
//! write errors, honest JSON and byte arguments. Tests that need root or a kernel feature skip
//! with a reason (and fail under `GOPSI_REQUIRE_ORACLE=1`).

use crate::common::*;
use std::os::fd::AsRawFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener};

fn inode_of_fd(fd: i32) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(format!("/proc/self/fd/{fd}"))
        .expect("stat own fd")
        .ino()
}

/// A local user binds an abstract unix socket whose name holds a newline and a fake
/// `/proc/net/unix` row naming the inode of a TCP listener; no such row may appear.
#[test]
fn ports_unix_names_cannot_forge_rows() {
    let tcp = std::net::TcpListener::bind("127.0.0.1:0").expect("tcp listener");
    let tcp_inode = inode_of_fd(tcp.as_raw_fd());
    let forged = format!(
        "gopsi-x{}\n0000000000000000: 00000002 00000000 00010000 0001 01 {tcp_inode} /run/forged.sock",
        std::process::id()
    );
    let addr = SocketAddr::from_abstract_name(forged.as_bytes()).expect("abstract name");
    let l = UnixListener::bind_addr(&addr).expect("bind abstract");
    let my_inode = inode_of_fd(l.as_raw_fd());
    for args in [
        &["ports", "-x", "--json"][..],
        &["ports", "-x", "-a", "--json"][..],
    ] {
        let o = run(&mut gopsi(args));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let rows = v.as_array().expect("array");
        assert!(
            rows.iter()
                .all(|r| r["local_addr"] != "/run/forged.sock"
                    && r["inode"].as_u64() != Some(tcp_inode)),
            "forged row in {args:?}"
        );
        let mine = rows
            .iter()
            .find(|r| r["inode"].as_u64() == Some(my_inode))
            .unwrap_or_else(|| panic!("own socket {my_inode} missing from {args:?}"));
        assert_eq!(mine["local_addr"], format!("@{forged}"));
        assert_eq!(mine["state"], "LISTEN");
    }
    let text = stdout(&run(&mut gopsi(["ports", "-x"])));
    for l in text.lines().filter(|l| l.contains("forged.sock")) {
        assert!(l.contains("gopsi-x"), "forged row: {l}");
    }
    // Against ss -xln: a listener present through two runs of one tool is in the other's
    // list taken between them (sockets of other tests come and go meanwhile).
    if !have("ss") {
        return skip(
            "ports_unix_names_cannot_forge_rows (ss part)",
            "ss is not installed",
        );
    }
    let s1 = ss_unix_listeners();
    let g1 = gopsi_unix_listeners();
    let s2 = ss_unix_listeners();
    let g2 = gopsi_unix_listeners();
    assert!(
        s1.contains(&my_inode) && g1.contains(&my_inode),
        "{s1:?} {g1:?}"
    );
    let missing: Vec<_> = s1.intersection(&s2).filter(|i| !g1.contains(i)).collect();
    assert!(
        missing.is_empty(),
        "in ss -xln, not in gopsi ports -x: {missing:?}"
    );
    let extra: Vec<_> = g1.intersection(&g2).filter(|i| !s2.contains(i)).collect();
    assert!(
        extra.is_empty(),
        "in gopsi ports -x, not in ss -xln: {extra:?}"
    );
    drop(tcp);
}

/// Listening unix socket inodes per `ss -xlnH` (the inode is the third field from the end;
/// a name may hold spaces or newlines).
fn ss_unix_listeners() -> std::collections::BTreeSet<u64> {
    stdout(&run(&mut tool("ss", ["-xlnH"])))
        .lines()
        .filter_map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            t.len().checked_sub(3).and_then(|i| t[i].parse().ok())
        })
        .filter(|&i| i != 0)
        .collect()
}

fn gopsi_unix_listeners() -> std::collections::BTreeSet<u64> {
    let o = run(&mut gopsi(["ports", "-x", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .filter(|r| r["proto"] == "unix")
        .filter_map(|r| r["inode"].as_u64())
        .collect()
}

/// A small fixture /proc tree: one process (pid 1, holding a socket and a file), the host
/// files ps, top, ports and inspect read. Removed on drop.
struct Tree(std::path::PathBuf);

impl Tree {
    fn new(tag: &str) -> Tree {
        let d = std::env::temp_dir().join(format!("gopsi-harden-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let w = |rel: &str, text: &[u8]| {
            let p = d.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("sys/kernel/pid_max", b"32768\n");
        w("uptime", b"1000.00 1000.00\n");
        w("loadavg", b"0.00 0.01 0.05 1/100 1\n");
        w("stat", b"cpu  1 1 1 1 1 1 1 1 1 1\ncpu0 1 1 1 1 1 1 1 1 1 1\nbtime 1764000000\nprocesses 10\nprocs_running 1\nprocs_blocked 0\n");
        w("meminfo", b"MemTotal: 1000000 kB\nMemFree: 500000 kB\nMemAvailable: 600000 kB\nBuffers: 1000 kB\nCached: 1000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
        w(
            "tty/drivers",
            b"/dev/tty             /dev/tty        5       0 system:/dev/tty\n",
        );
        w("1/stat", b"1 (init) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 10 1000000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        w("1/status", b"Name:\tinit\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t 1000 kB\nVmRSS:\t 400 kB\nVmLck:\t 0 kB\nThreads:\t1\n");
        w("1/statm", b"250 100 50 1 0 50 0\n");
        w("1/cmdline", b"/sbin/init\0");
        w("1/fdinfo/0", b"pos:\t0\nflags:\t02\nmnt_id:\t1\n");
        w("1/fdinfo/1", b"pos:\t0\nflags:\t02\nmnt_id:\t1\n");
        w("net/tcp", b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 76973 1 0 100 0 0 10 0\n");
        w("net/tcp6", b"  sl  local_address rem_address   st\n");
        w("net/udp", b"  sl  local_address rem_address   st\n");
        w("net/udp6", b"  sl  local_address rem_address   st\n");
        w(
            "net/unix",
            b"Num       RefCount Protocol Flags    Type St Inode Path\n",
        );
        std::fs::create_dir_all(d.join("1/fd")).unwrap();
        std::os::unix::fs::symlink("socket:[76973]", d.join("1/fd/0")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", d.join("1/fd/1")).unwrap();
        std::fs::create_dir_all(d.join("1/task/1")).unwrap();
        for f in ["stat", "status", "statm", "cmdline"] {
            std::fs::copy(d.join("1").join(f), d.join("1/task/1").join(f)).unwrap();
        }
        Tree(d)
    }

    fn root(&self) -> &str {
        self.0.to_str().unwrap()
    }

    /// Replaces the file `rel` with a FIFO.
    fn fifo(&self, rel: &str) {
        let p = self.0.join(rel);
        let _ = std::fs::remove_file(&p);
        nix::unistd::mkfifo(&p, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    }

    /// Replaces the file `rel` with a symlink to `/dev/zero` (endless, no size to go by).
    fn zero(&self, rel: &str) {
        let p = self.0.join(rel);
        let _ = std::fs::remove_file(&p);
        std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The commands every damaged tree is tried with.
const COMMANDS: &[&[&str]] = &[
    &["ps", "aux"],
    &["ps", "-eo", "pid,args,wchan"],
    &["top", "-b", "-n", "1"],
    &["ports", "-a"],
    &["ports", "-a", "--json"],
    &["files", "1"],
    &["inspect", "1", "--interval", "0"],
    &["inspect", "1", "--json", "--interval", "0"],
];

/// Runs gopsi under `timeout` (KILL after `secs`) with an address-space cap; its output.
fn bounded_run(root: &str, args: &[&str], secs: u32, mem: u64) -> std::process::Output {
    let mut c = tool(
        "timeout",
        [
            "-s".to_string(),
            "KILL".to_string(),
            secs.to_string(),
            "prlimit".to_string(),
            format!("--as={mem}"),
            env!("CARGO_BIN_EXE_gopsi").to_string(),
            "--proc-root".to_string(),
            root.to_string(),
        ],
    );
    c.args(args);
    run(&mut c)
}

fn ended(o: &std::process::Output, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code().is_some(),
        "{what}: killed ({:?}), stderr {err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
}

#[test]
fn reads_are_bounded() {
    if !have("timeout") || !have("prlimit") {
        return skip("reads_are_bounded", "timeout or prlimit is missing");
    }
    for rel in [
        "stat",
        "meminfo",
        "uptime",
        "loadavg",
        "net/tcp",
        "net/unix",
        "tty/drivers",
        "1/cmdline",
        "1/status",
        "1/fdinfo/0",
    ] {
        let t = Tree::new(&format!("zero-{}", rel.replace('/', "_")));
        t.zero(rel);
        for args in COMMANDS {
            let what = format!("{rel} is /dev/zero, gopsi {args:?}");
            let o = bounded_run(t.root(), args, 30, 1 << 30);
            ended(&o, &what);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!err.contains("memory allocation"), "{what}: {err}");
        }
    }
}

#[test]
fn fifos_in_the_tree_do_not_hang() {
    if !have("timeout") || !have("prlimit") {
        return skip(
            "fifos_in_the_tree_do_not_hang",
            "timeout or prlimit is missing",
        );
    }
    for rel in [
        "stat",
        "1/status",
        "1/fdinfo/0",
        "net/tcp",
        "uptime",
        "1/cmdline",
    ] {
        let t = Tree::new(&format!("fifo-{}", rel.replace('/', "_")));
        t.fifo(rel);
        for args in COMMANDS {
            let what = format!("{rel} a FIFO, gopsi {args:?}");
            let o = bounded_run(t.root(), args, 10, 1 << 30);
            ended(&o, &what);
        }
    }
    // A continuous top ends on SIGTERM and on SIGINT.
    let t = Tree::new("fifo-top");
    t.fifo("stat");
    for sig in [
        nix::sys::signal::Signal::SIGTERM,
        nix::sys::signal::Signal::SIGINT,
    ] {
        let mut c = gopsi(["--proc-root", t.root(), "top", "-b", "-d", "0.1"]);
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = c.spawn().expect("top");
        std::thread::sleep(std::time::Duration::from_millis(500));
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), sig).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut done = None;
        while std::time::Instant::now() < deadline && done.is_none() {
            done = child.try_wait().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if done.is_none() {
            let _ = child.kill();
        }
        let _ = child.wait();
        assert!(done.is_some(), "top -b did not end on {sig:?}");
    }
}

/// Past its bound a host file is an error naming the path, not a silent cut or an
/// allocation failure.
#[test]
fn host_file_past_its_bound_is_an_error_naming_it() {
    let t = Tree::new("bound");
    std::fs::write(t.0.join("uptime"), vec![b'1'; 64 * 1024]).unwrap();
    let fs = gopsi::proc::ProcFs::new(t.root());
    let e = fs.read_host("uptime").expect_err("64 KiB uptime");
    let msg = e.to_string();
    assert!(
        msg.contains(&format!("{}/uptime", t.root())) && msg.contains("larger than"),
        "{msg}"
    );
    assert!(fs.read_host("loadavg").is_ok());
    t.fifo("stat");
    let e = fs.read_host("stat").expect_err("a FIFO is refused");
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

/// With no /proc at the root, ps and top say what procps says (status 47); ports, files and
/// inspect say so too and fail. Checked for a missing `--proc-root` and for a tmpfs over
/// /proc in a private mount namespace (root only), where the installed procps is compared.
#[test]
fn no_proc_mounted_is_reported() {
    const MSG: &str = "Error, do this: mount -t proc proc /proc\n";
    for args in [&["ps", "aux"][..], &["top", "-b", "-n", "1"][..]] {
        let o = run(gopsi(["--proc-root", "/nonexistent"]).args(args));
        assert_eq!(o.status.code(), Some(47), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), MSG, "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    for args in [&["ports"][..], &["files", "1"][..], &["inspect", "1"][..]] {
        let o = run(gopsi(["--proc-root", "/nonexistent"]).args(args));
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("/nonexistent"),
            "{args:?}"
        );
    }
    if !is_root() || !have("unshare") {
        return skip(
            "no_proc_mounted_is_reported (tmpfs part)",
            "needs root and unshare",
        );
    }
    let g = env!("CARGO_BIN_EXE_gopsi");
    let script = format!(
        "mount -t tmpfs none /proc || exit 99; {g} ps aux; echo \"g=$?\" >&2; ps aux; \
         echo \"p=$?\" >&2; {g} top -b -n 1; echo \"g=$?\" >&2"
    );
    let o = run(&mut tool("unshare", ["-m", "sh", "-c", &script]));
    if o.status.code() == Some(99) {
        return skip(
            "no_proc_mounted_is_reported (tmpfs part)",
            "cannot mount a tmpfs",
        );
    }
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err, format!("{MSG}g=47\n{MSG}p=47\n{MSG}g=47\n"));
}

/// gopsi's own messages do not echo control bytes of an unknown subcommand.
#[test]
fn unknown_subcommand_is_escaped() {
    for args in [&["\x1b]52;c;aGk=\x07"][..], &["help", "\x1b[2J\u{9b}x"][..]] {
        let o = run(&mut gopsi(args));
        assert_eq!(o.status.code(), Some(2));
        let err = &o.stderr;
        assert!(
            !err.iter().any(|&b| b == 0x1b || b == 0x07)
                && !String::from_utf8_lossy(err).contains('\u{9b}'),
            "{:?}",
            String::from_utf8_lossy(err)
        );
    }
}

/// Issue 12 item 9: `files --json` for a process whose descriptors cannot be read says so as
/// `inspect --json` does (`files_error`) instead of an empty list, beside what it can read,
/// and exits with the text view's status and stderr.
#[test]
fn files_json_reports_unreadable_processes() {
    let t = "files_json_reports_unreadable_processes";
    if !is_root() || !have("setpriv") {
        return skip(t, "needs root and setpriv to run as nobody");
    }
    let Some(bin) = SharedBin::new("files-json") else {
        return skip(t, "cannot copy the gopsi binary where nobody can run it");
    };
    if run(&mut bin.as_nobody(["--version"])).status.code() != Some(0) {
        return skip(t, "the gopsi binary is not executable by nobody");
    }
    let mut f = Fixtures::new();
    let root_pid = f.spawn(std::process::Command::new("sleep").arg("30"));
    let own_pid = f.spawn(std::process::Command::new("setpriv").args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "sleep",
        "30",
    ]));
    f.settle(&[root_pid, own_pid], &["setpriv"]);
    let (r, o) = (root_pid.to_string(), own_pid.to_string());
    for pids in [&[r.as_str()][..], &[r.as_str(), o.as_str()]] {
        let text = run(&mut bin.as_nobody(["files"].iter().chain(pids)));
        let json = run(&mut bin.as_nobody(["files", "--json"].iter().chain(pids)));
        let err = String::from_utf8_lossy(&text.stderr);
        assert!(err.contains("permission denied"), "{pids:?}: {err}");
        assert_eq!(json.status.code(), text.status.code(), "{pids:?}");
        assert_eq!(String::from_utf8_lossy(&json.stderr), err, "{pids:?}");
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
        let rows = v.as_array().expect("array");
        let denied: Vec<&serde_json::Value> = rows
            .iter()
            .filter(|e| e.get("files_error").is_some())
            .collect();
        assert_eq!(
            denied,
            [&serde_json::json!({"pid": root_pid, "files_error": "permission denied"})],
            "{v}"
        );
        let own = rows.iter().filter(|e| e["pid"] == own_pid).count();
        assert_eq!(own > 0, pids.len() == 2, "nobody's own sleep: {v}");
        assert!(
            rows.iter()
                .all(|e| e["pid"] == own_pid || e["pid"] == root_pid)
        );
    }
}

/// The bytes of a `KEY_bytes` array.
fn json_bytes(v: &serde_json::Value) -> Option<Vec<u8>> {
    v.as_array()?
        .iter()
        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
        .collect()
}

/// Every key ending in `_bytes` anywhere in a JSON value.
fn bytes_keys(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k.ends_with("_bytes") {
                    out.push(k.clone());
                }
                bytes_keys(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| bytes_keys(x, out)),
        _ => {}
    }
}

/// Issue 12 item 9: names that are not valid UTF-8 (a descriptor's path, the command name and
/// command line of a process started through a symlink named so) keep their bytes in every
/// JSON view (`KEY_bytes` beside the lossy text): two names differing only there are told
/// apart and their bytes come back exactly; valid names get no `_bytes` key.
#[test]
fn json_names_keep_their_bytes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = std::env::temp_dir().join(format!("gopsi-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut f = Fixtures::new();
    let mut procs = Vec::new();
    for tag in [&b"\xff"[..], b"\xfe", b"-ok"] {
        let file = dir.join(OsStr::from_bytes(&[b"f", tag, b"x"].concat()));
        let link = dir.join(OsStr::from_bytes(&[b"g", tag, b"x"].concat()));
        std::fs::write(&file, b"").expect("file");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/bin/sleep", &link).expect("symlink");
        let pid = f.spawn(
            std::process::Command::new("sh")
                .args(["-c", "exec 3<\"$1\"; exec \"$2\" 30", "sh"])
                .arg(&file)
                .arg(&link),
        );
        let comm = [b"g", tag, b"x"].concat();
        procs.push((pid, comm, file, link));
    }
    let pids: Vec<i32> = procs.iter().map(|p| p.0).collect();
    f.settle(&pids, &["sh"]);
    let list = pids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let json = |args: &[&str]| -> serde_json::Value {
        let o = run(&mut gopsi(args));
        assert!(o.status.success(), "{args:?}: {o:?}");
        serde_json::from_slice(&o.stdout).expect("json")
    };
    let row_of = |rows: &serde_json::Value, pid: i32| -> serde_json::Value {
        rows.as_array()
            .expect("array")
            .iter()
            .find(|r| r["pid"] == pid)
            .unwrap_or_else(|| panic!("pid {pid} missing: {rows}"))
            .clone()
    };
    let ps = json(&["ps", "--json", "-o", "pid,comm,args", "-p", &list]);
    let top = json(&["top", "-b", "-n1", "--json", "-p", &list]);
    let top = &top["processes"];
    let (mut texts, mut raws) = (Vec::new(), Vec::new());
    for (pid, comm, file, link) in &procs {
        let valid = std::str::from_utf8(comm).is_ok();
        let p = pid.to_string();
        let files = json(&["files", "--json", &p]);
        let fd3 = row_of(
            &serde_json::Value::Array(
                files
                    .as_array()
                    .expect("array")
                    .iter()
                    .filter(|e| e["fd"] == 3)
                    .cloned()
                    .collect(),
            ),
            *pid,
        );
        let inspect = json(&["inspect", "--json", "--interval", "0", &p]);
        let ps_row = row_of(&ps, *pid);
        let top_row = row_of(top, *pid);
        if valid {
            for v in [&files, &inspect, &ps_row, &top_row] {
                let mut keys = Vec::new();
                bytes_keys(v, &mut keys);
                assert!(keys.is_empty(), "valid names carry {keys:?}: {v}");
            }
            continue;
        }
        let file_b = file.as_os_str().as_bytes();
        let link_b = link.as_os_str().as_bytes();
        assert_eq!(
            json_bytes(&fd3["target_bytes"]).as_deref(),
            Some(file_b),
            "{fd3}"
        );
        assert_eq!(
            fd3["target"],
            String::from_utf8_lossy(file_b).as_ref(),
            "{fd3}"
        );
        assert_eq!(
            json_bytes(&inspect["command_bytes"]).as_deref(),
            Some(&comm[..])
        );
        let args: Vec<Vec<u8>> = inspect["args_bytes"]
            .as_array()
            .expect("args_bytes")
            .iter()
            .filter_map(json_bytes)
            .collect();
        assert_eq!(args, [link_b.to_vec(), b"30".to_vec()], "{inspect}");
        let in_files = row_of(
            &serde_json::Value::Array(
                inspect["files"]
                    .as_array()
                    .expect("files")
                    .iter()
                    .filter(|e| e["fd"] == 3)
                    .cloned()
                    .collect(),
            ),
            *pid,
        );
        assert_eq!(
            json_bytes(&in_files["target_bytes"]).as_deref(),
            Some(file_b)
        );
        assert_eq!(
            json_bytes(&ps_row["comm_bytes"]).as_deref(),
            Some(&comm[..]),
            "{ps_row}"
        );
        assert_eq!(
            json_bytes(&ps_row["args_bytes"]),
            Some([link_b, b" 30"].concat()),
            "{ps_row}"
        );
        assert_eq!(
            json_bytes(&top_row["command_bytes"]).as_deref(),
            Some(&comm[..]),
            "{top_row}"
        );
        texts.push((
            fd3["target"].clone(),
            inspect["command"].clone(),
            ps_row["comm"].clone(),
            top_row["command"].clone(),
        ));
        raws.push((
            fd3["target_bytes"].clone(),
            inspect["command_bytes"].clone(),
            ps_row["comm_bytes"].clone(),
            top_row["command_bytes"].clone(),
        ));
    }
    drop(f);
    let _ = std::fs::remove_dir_all(&dir);
    // The two invalid names collide as text and are told apart by their bytes.
    assert_eq!(texts.len(), 2);
    assert_eq!(texts[0], texts[1]);
    assert_ne!(raws[0].0, raws[1].0);
    assert_ne!(raws[0].1, raws[1].1);
    assert_ne!(raws[0].2, raws[1].2);
    assert_ne!(raws[0].3, raws[1].3);
}

/// Issue 12 item 10: arguments are bytes. In a private mount namespace a passwd and a group
/// file bind-mounted over the real ones add a user and a group whose names are not UTF-8, and
/// a process runs as them under a command name that is not UTF-8 either. Every selection that
/// names them (`ps -u -U U --user --User -g -G --group --Group`, `top -u -U`) selects that
/// process as procps does: the same output, status and stderr from ps, the same rows from top;
/// `-C` matches as procps's does (the escaped name).
#[test]
fn arguments_are_bytes() {
    let t = "arguments_are_bytes";
    if !procps_is_oracle() || !have("top") {
        return skip(t, "procps-ng 4.0.2 is not installed");
    }
    if !is_root() || !have("unshare") || !have("setpriv") {
        return skip(t, "needs root, unshare and setpriv");
    }
    let dir = std::env::temp_dir().join(format!("gopsi-argbytes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Each case runs with procps's tool ($1) and gopsi's ($2); `$U`, `$G`, `$C` are the names.
    let cases = [
        "ps -u \"$U\" -o pid,user,ruser,group,comm",
        "ps -U \"$U\" -o pid,user,ruser",
        "ps U \"$U\" -o pid,user",
        "ps --user \"$U\" -o pid,euser",
        "ps --User \"$U\" -o pid,ruser",
        "ps -u \"nobody,$U\" -o pid,user",
        "ps -g \"$G\" -o pid,egroup",
        "ps -G \"$G\" -o pid,rgroup",
        "ps --group \"$G\" -o pid,group",
        "ps --Group \"$G\" -o pid,rgroup",
        // procps matches -C against the escaped name: the raw bytes select nothing.
        "ps -C \"$C\" -o pid,comm",
        "ps -C \"gopsi?c\" -o pid,comm",
        "ps -u \"${U}x\" -o pid",
        "ps -G \"${G}x\" -o pid",
        "top -b -n1 -w 512 -u \"$U\" | sed -n '/PID/,$p' | awk '{print $1}'",
        "top -b -n1 -w 512 -U \"$U\" | sed -n '/PID/,$p' | awk '{print $1}'",
        "top -b -n1 -w 512 -u \"${U}x\" | sed -n '/PID/,$p' | awk '{print $1}'",
    ];
    let mut script = format!(
        "set -u\n\
         D='{dir}'\n\
         U=$(printf 'gopsi\\377u') G=$(printf 'gopsi\\376g') C=$(printf 'gopsi\\375c')\n\
         cp /etc/passwd \"$D/passwd\" && cp /etc/group \"$D/group\" || exit 98\n\
         printf '%s:x:4271:4272::/nonexistent:/usr/sbin/nologin\\n' \"$U\" >>\"$D/passwd\"\n\
         printf '%s:x:4272:\\n' \"$G\" >>\"$D/group\"\n\
         mount --bind \"$D/passwd\" /etc/passwd && mount --bind \"$D/group\" /etc/group || exit 99\n\
         ln -sf /bin/sleep \"$D/$C\"\n\
         setpriv --reuid=4271 --regid=4272 --clear-groups \"$D/$C\" 30 &\n\
         S=$!\n\
         for _ in $(seq 100); do [ \"$(cat /proc/$S/comm)\" = \"$C\" ] && break; sleep 0.02; done\n\
         echo \"pid $S\"\n\
         run() {{ out=$(eval \"$1\" 2>\"$D/err\"); st=$?; printf '%s\\n-- status %s\\n' \"$out\" \"$st\"; cat \"$D/err\"; echo '=='; }}\n",
        dir = dir.display()
    );
    let gopsi_bin = env!("CARGO_BIN_EXE_gopsi");
    for c in &cases {
        let ours = c.replacen("ps ", &format!("{gopsi_bin} ps "), 1).replacen(
            "top ",
            &format!("{gopsi_bin} top "),
            1,
        );
        script.push_str(&format!(
            "run '{}'\nrun '{}'\n",
            c.replace('\'', "'\\''"),
            ours.replace('\'', "'\\''")
        ));
    }
    // gopsi's JSON keeps the name's bytes (item 9) for ps and top.
    script.push_str(&format!(
        "echo \"json $({gopsi_bin} ps --json -u \"$U\" -o pid,user | tr -d ' \\n')\"\n\
         echo \"json $({gopsi_bin} top -b -n1 --json -u \"$U\" | tr -d ' \\n')\"\n"
    ));
    script.push_str("kill $S; wait $S 2>/dev/null; exit 0\n");
    let o = run(tool(
        "unshare",
        ["-m", "--propagation", "private", "sh", "-c", &script],
    )
    .current_dir("/"));
    let _ = std::fs::remove_dir_all(&dir);
    match o.status.code() {
        Some(98) => return skip(t, "cannot copy /etc/passwd and /etc/group"),
        Some(99) => return skip(t, "the kernel refused the bind mounts"),
        _ => {}
    }
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let (head, rest) = out.split_once('\n').unwrap_or_default();
    let pid = head
        .strip_prefix("pid ")
        .unwrap_or_else(|| panic!("no fixture: {out}{}", String::from_utf8_lossy(&o.stderr)));
    let json: Vec<&str> = rest.lines().filter(|l| l.starts_with("json ")).collect();
    assert_eq!(json.len(), 2, "{out}");
    for j in json {
        assert!(
            j.contains("\"user_bytes\":[103,111,112,115,105,255,117]"),
            "{j}"
        );
    }
    // Blocks come in pairs: procps's, gopsi's.
    let rest: String = rest
        .lines()
        .filter(|l| !l.starts_with("json "))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut blocks: Vec<&str> = rest.split("==\n").collect();
    blocks.retain(|b| !b.is_empty());
    assert_eq!(blocks.len(), cases.len() * 2, "{out}");
    for (c, pair) in cases.iter().zip(blocks.chunks(2)) {
        assert_eq!(
            pair[1], pair[0],
            "{c}: gopsi (left) differs from procps (right)"
        );
    }
    // The selections did select the fixture (not two empty answers).
    for (c, pair) in cases.iter().zip(blocks.chunks(2)) {
        if !c.contains("}x") && !c.contains("-C \"$C\"") {
            assert!(
                pair[0].contains(pid),
                "{c}: procps did not list {pid}: {}",
                pair[0]
            );
        }
    }
}

/// Issue 12 item 10: `--proc-root PATH` takes a path that is not UTF-8 (a link to /proc).
#[test]
fn proc_root_path_is_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let mut name = format!("gopsi-root-{}-", std::process::id()).into_bytes();
    name.push(0xff);
    let link = std::env::temp_dir().join(std::ffi::OsStr::from_bytes(&name));
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink("/proc", &link).expect("symlink");
    let mut arg = std::ffi::OsString::from("--proc-root=");
    arg.push(&link);
    for args in [
        vec![
            std::ffi::OsString::from("--proc-root"),
            link.clone().into_os_string(),
            "ps".into(),
            "-p".into(),
            "1".into(),
            "-o".into(),
            "pid=".into(),
        ],
        vec![
            "ps".into(),
            arg.clone(),
            "-p".into(),
            "1".into(),
            "-o".into(),
            "pid=".into(),
        ],
    ] {
        let o = run(&mut gopsi(&args));
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(stdout(&o).trim(), "1", "{args:?}");
    }
    let _ = std::fs::remove_file(&link);
}
