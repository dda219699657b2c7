//! `gopsi ports`, `gopsi files` and `gopsi inspect` against `ss`, `lsof` and `/proc/PID/fd`,
//! their JSON contracts, a `--proc-root` fixture tree, permissions and bad input.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::net::{IpAddr, TcpListener, TcpStream, UdpSocket};
use std::process::Command;

fn json(args: &[&str]) -> Value {
    let o = run(&mut gopsi(args));
    assert_eq!(
        o.status.code(),
        Some(0),
        "gopsi {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("gopsi {args:?}: bad JSON ({e}): {}", stdout(&o)))
}

/// One socket as both tools describe it: (tcp|udp, local ip, local port, remote ip or None for
/// a wildcard, remote port or None, state, pids).
type Sock = (
    String,
    Option<IpAddr>,
    u16,
    Option<IpAddr>,
    Option<u16>,
    String,
    BTreeSet<i64>,
);

fn ip_or_wild(s: &str) -> Option<IpAddr> {
    let s = s.trim_start_matches('[').trim_end_matches(']');
    let s = s.split('%').next().unwrap_or(s);
    if s == "*" {
        return None;
    }
    s.parse::<IpAddr>().ok().filter(|ip| !ip.is_unspecified())
}

fn split_endpoint(s: &str) -> (Option<IpAddr>, Option<u16>) {
    let (h, p) = s.rsplit_once(':').unwrap_or((s, "*"));
    (ip_or_wild(h), p.parse().ok().filter(|&p| p != 0))
}

/// `ss -H` rows with a Netid column (`-tu...`), keyed like [`Sock`].
fn ss_rows(args: &str) -> Vec<Sock> {
    let o = run(&mut tool("ss", [args]));
    stdout(&o)
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 6 {
                return None;
            }
            let (lip, lport) = split_endpoint(f[4]);
            let (rip, rport) = split_endpoint(f[5]);
            let pids = f
                .get(6)
                .map(|u| {
                    u.split("pid=")
                        .skip(1)
                        .filter_map(|x| x.split([',', ')']).next()?.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            Some((
                f[0].to_string(),
                lip,
                lport?,
                rip,
                rport,
                f[1].to_string(),
                pids,
            ))
        })
        .collect()
}

fn gopsi_rows(v: &Value) -> Vec<Sock> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|p| {
            let proto = p["proto"]
                .as_str()
                .unwrap()
                .trim_end_matches('6')
                .to_string();
            let lip = ip_or_wild(p["local_addr"].as_str().unwrap());
            let rip = ip_or_wild(p["remote_addr"].as_str().unwrap());
            let rport = p["remote_port"]
                .as_u64()
                .filter(|&x| x != 0)
                .map(|x| x as u16);
            let pids = p["owners"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["pid"].as_i64().unwrap())
                .collect();
            (
                proto,
                lip,
                p["local_port"].as_u64().unwrap() as u16,
                rip,
                rport,
                p["state"].as_str().unwrap().to_string(),
                pids,
            )
        })
        .collect()
}

/// The identity of a socket: (tcp|udp, local ip or None for a wildcard, local port, remote
/// ip, remote port).
type Key = (String, Option<IpAddr>, u16, Option<IpAddr>, Option<u16>);

fn key_of(r: &Sock) -> Key {
    (r.0.clone(), r.1, r.2, r.3, r.4)
}

fn key(proto: &str, local: std::net::SocketAddr, remote: Option<std::net::SocketAddr>) -> Key {
    let ip = |a: std::net::SocketAddr| Some(a.ip()).filter(|ip| !ip.is_unspecified());
    (
        proto.to_string(),
        ip(local),
        local.port(),
        remote.and_then(ip),
        remote.map(|r| r.port()),
    )
}

/// Sockets held by this test process: listeners on 127.0.0.1 and ::1 (TCP and UDP) and one
/// established loopback connection; with IPv6, a dual-stack listener on `[::]` with a v4
/// client, so its accepted end is v4-mapped (`[::ffff:127.0.0.1]`). IPv6 parts are left out
/// when IPv6 is off.
struct Sockets {
    _tcp4: TcpListener,
    _tcp6: Option<TcpListener>,
    _udp4: UdpSocket,
    _udp6: Option<UdpSocket>,
    _client: TcpStream,
    _server: TcpStream,
    dual: Option<(TcpListener, TcpStream, TcpStream)>,
    /// Listening sockets and established ends above.
    listening: usize,
    established: usize,
    /// The exact identity of every socket above.
    keys: BTreeSet<Key>,
}

fn open_sockets() -> Sockets {
    let tcp4 = TcpListener::bind("127.0.0.1:0").expect("bind tcp 127.0.0.1");
    let tcp6 = TcpListener::bind("[::1]:0").ok();
    let udp4 = UdpSocket::bind("127.0.0.1:0").expect("bind udp 127.0.0.1");
    let udp6 = UdpSocket::bind("[::1]:0").ok();
    let client = TcpStream::connect(tcp4.local_addr().unwrap()).expect("connect");
    let (server, _) = tcp4.accept().expect("accept");
    let dual = TcpListener::bind("[::]:0").ok().and_then(|l| {
        let port = l.local_addr().ok()?.port();
        let c = TcpStream::connect(("127.0.0.1", port)).ok()?;
        let (a, _) = l.accept().ok()?;
        Some((l, c, a))
    });
    let mut keys = BTreeSet::new();
    let listener = |l: &TcpListener| key("tcp", l.local_addr().unwrap(), None);
    let udp = |u: &UdpSocket| key("udp", u.local_addr().unwrap(), None);
    let stream = |c: &TcpStream| key("tcp", c.local_addr().unwrap(), c.peer_addr().ok());
    keys.insert(listener(&tcp4));
    keys.insert(udp(&udp4));
    keys.insert(stream(&client));
    keys.insert(stream(&server));
    keys.extend(tcp6.iter().map(listener));
    keys.extend(udp6.iter().map(udp));
    if let Some((l, c, a)) = &dual {
        keys.extend([listener(l), stream(c), stream(a)]);
    }
    let listening =
        2 + usize::from(tcp6.is_some()) + usize::from(udp6.is_some()) + usize::from(dual.is_some());
    let established = 2 + 2 * usize::from(dual.is_some());
    assert_eq!(keys.len(), listening + established);
    Sockets {
        dual,
        listening,
        established,
        _tcp4: tcp4,
        _tcp6: tcp6,
        _udp4: udp4,
        _udp6: udp6,
        _client: client,
        _server: server,
        keys,
    }
}

/// The rows that are exactly our sockets. Only this process holds them, except for the
/// instant between fork and exec of a command another test starts (the child has a copy of
/// every descriptor then): owner sets are cut down to this process so that such a transient
/// copy, seen by one tool and not the other, does not count.
fn ours(rows: Vec<Sock>, keys: &BTreeSet<Key>) -> BTreeSet<Sock> {
    let me = i64::from(std::process::id());
    rows.into_iter()
        .filter(|r| keys.contains(&key_of(r)) && r.5 != "TIME-WAIT")
        .map(|mut r| {
            r.6.retain(|&p| p == me);
            r
        })
        .collect()
}

#[test]
fn inspect_ports_match_ss() {
    if !have("ss") {
        return skip("inspect_ports_match_ss", "ss (iproute2) is not installed");
    }
    let s = open_sockets();
    let me = std::process::id() as i64;
    // Listening: gopsi's default against ss -tulpn.
    let g = ours(gopsi_rows(&json(&["ports", "--json"])), &s.keys);
    let want = ours(ss_rows("-tulpnH"), &s.keys);
    assert_eq!(g, want, "gopsi ports vs ss -tulpn");
    assert_eq!(g.len(), s.listening, "{g:?}");
    assert!(g.iter().all(|r| r.6.contains(&me)), "owner pid: {g:?}");
    assert!(g.iter().any(|r| r.5 == "LISTEN") && g.iter().any(|r| r.5 == "UNCONN"));
    // Every state: gopsi -a against ss -tuapn (the established pair appears in both).
    let g = ours(gopsi_rows(&json(&["ports", "-a", "--json"])), &s.keys);
    let want = ours(ss_rows("-tuapnH"), &s.keys);
    assert_eq!(g, want, "gopsi ports -a vs ss -tuapn");
    assert_eq!(
        g.iter().filter(|r| r.5 == "ESTAB").count(),
        s.established,
        "{g:?}"
    );
    // Filters: -t -4 and -p.
    let g = ours(gopsi_rows(&json(&["ports", "-t", "-4", "--json"])), &s.keys);
    assert_eq!(g.len(), 1, "{g:?}");
    let g = gopsi_rows(&json(&["ports", "-a", "-p", &me.to_string(), "--json"]));
    assert!(g.iter().all(|r| r.6.contains(&me)));
    assert_eq!(ours(g, &s.keys).len(), s.listening + s.established);
    // The human table prints addresses like ss.
    let o = run(&mut gopsi(["ports", "-a"]));
    let text = stdout(&o);
    let l4 = s._tcp4.local_addr().unwrap().port();
    assert!(text.contains(&format!("127.0.0.1:{l4}")), "{text}");
    if let Some(l6) = &s._tcp6 {
        let p = l6.local_addr().unwrap().port();
        assert!(text.contains(&format!("[::1]:{p}")), "{text}");
    }
    if let Some((l, c, _)) = &s.dual {
        let (lp, cp) = (
            l.local_addr().unwrap().port(),
            c.local_addr().unwrap().port(),
        );
        assert!(text.contains(&format!("*:{lp} ")), "{text}");
        let mapped = format!("[::ffff:127.0.0.1]:{lp}  [::ffff:127.0.0.1]:{cp}");
        assert!(text.contains(&mapped), "{mapped} missing:\n{text}");
    }
}

#[test]
fn inspect_ports_json_contract() {
    let s = open_sockets();
    let v = json(&["ports", "-a", "--json"]);
    let arr = v.as_array().expect("ports --json is an array");
    let rows = gopsi_rows(&v);
    let mine: Vec<&Value> = arr
        .iter()
        .zip(&rows)
        .filter(|(_, r)| s.keys.contains(&key_of(r)) && r.5 != "TIME-WAIT")
        .map(|(p, _)| p)
        .collect();
    assert_eq!(mine.len(), s.keys.len(), "{v}");
    for p in arr {
        let proto = p["proto"].as_str().expect("proto string");
        assert!(["tcp", "tcp6", "udp", "udp6"].contains(&proto), "{p}");
        assert!(
            p["local_addr"].is_string() && p["remote_addr"].is_string(),
            "{p}"
        );
        assert!(
            p["local_addr"].as_str().unwrap().parse::<IpAddr>().is_ok(),
            "{p}"
        );
        assert!(p["local_port"].is_u64() && p["remote_port"].is_u64(), "{p}");
        assert!(p["state"].is_string(), "{p}");
        assert!(p["pid"].is_null() || p["pid"].is_i64(), "{p}");
        assert!(p["command"].is_null() || p["command"].is_string(), "{p}");
    }
    let me = std::process::id() as i64;
    assert!(
        mine.iter().all(|p| {
            p["pid"].is_i64()
                && p["owners"]
                    .as_array()
                    .is_some_and(|o| o.iter().any(|o| o["pid"].as_i64() == Some(me)))
        }),
        "{mine:?}"
    );
    let unix = json(&["ports", "--unix", "-a", "--json"]);
    for p in unix.as_array().unwrap() {
        assert_eq!(p["proto"], "unix");
        assert!(p["local_port"].is_null() && p["inode"].is_u64(), "{p}");
    }
}

/// A bash fixture holding a deleted file (3), a directory (4), a TCP socket (5), a pipe (6).
/// `None` when bash or setsid is missing (the caller skips); panics if it never settles.
fn files_fixture(f: &mut Fixtures, port: u16) -> Option<(i32, std::path::PathBuf)> {
    if !have("bash") || !have("setsid") {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("gopsi-files-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("doomed.txt");
    let script = format!(
        "exec 3<>'{f}' 4<'{d}' 5<>/dev/tcp/127.0.0.1/{port} 6< <(exec sleep 1000); \
         echo hello >&3; rm '{f}'; exec sleep 1000",
        f = file.display(),
        d = dir.display()
    );
    let pid = f.spawn(Command::new("setsid").args(["-w", "bash", "-c", &script]));
    // Ready when sleep has exec'd, the file is gone, and sleep has finished starting up
    // (it briefly opens locale files): asleep, with the same descriptors twice in a row.
    let fds = || dir_names(format!("/proc/{pid}/fd"));
    let asleep = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('S')))
    };
    for _ in 0..300 {
        let done = std::fs::read_link(format!("/proc/{pid}/fd/3"))
            .map(|t| t.to_string_lossy().ends_with("(deleted)"))
            .unwrap_or(false)
            && std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c == "sleep\n");
        if done && asleep() {
            let before = fds();
            std::thread::sleep(std::time::Duration::from_millis(50));
            if asleep() && fds() == before {
                return Some((pid, dir));
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the files fixture (pid {pid}) did not settle: {:?}", fds());
}

#[test]
fn inspect_files_match_proc_and_lsof() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    let mut fx = Fixtures::new();
    let Some((pid, dir)) = files_fixture(&mut fx, port) else {
        return skip(
            "inspect_files_match_proc_and_lsof",
            "bash or setsid missing",
        );
    };
    let (_peer, _) = listener.accept().expect("accept");
    let v = json(&["files", &pid.to_string(), "--json"]);
    let arr = v.as_array().expect("array");
    let by_fd = |n: i64| {
        arr.iter()
            .find(|e| e["fd"].as_i64() == Some(n))
            .unwrap_or_else(|| panic!("fd {n} missing: {v}"))
    };
    assert_eq!(by_fd(3)["kind"], "file");
    assert_eq!(by_fd(3)["deleted"], true);
    assert_eq!(by_fd(3)["mode"], "u");
    assert_eq!(by_fd(3)["pos"], 6);
    assert_eq!(by_fd(4)["kind"], "dir");
    assert_eq!(by_fd(4)["target"], dir.to_string_lossy().as_ref());
    assert_eq!(by_fd(5)["kind"], "socket");
    assert_eq!(by_fd(5)["socket"]["remote_port"], port);
    assert_eq!(by_fd(5)["socket"]["state"], "ESTAB");
    assert_eq!(by_fd(6)["kind"], "pipe");
    for e in arr {
        assert!(e["fd"].is_i64() && e["kind"].is_string(), "{e}");
        assert!(e["target"].is_string() && e["deleted"].is_boolean(), "{e}");
        assert!(e["deleted"] == false || e["fd"] == 3, "{e}");
    }
    // Targets equal `ls -l /proc/PID/fd`.
    let o = run(&mut tool("ls", ["-l", &format!("/proc/{pid}/fd")]));
    let ls: BTreeSet<(i64, String)> = stdout(&o)
        .lines()
        .filter_map(|l| {
            let (left, target) = l.split_once(" -> ")?;
            Some((
                left.split_whitespace().last()?.parse().ok()?,
                target.to_string(),
            ))
        })
        .collect();
    let ours: BTreeSet<(i64, String)> = arr
        .iter()
        .map(|e| {
            (
                e["fd"].as_i64().unwrap(),
                e["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(ours, ls, "gopsi files vs ls -l /proc/{pid}/fd");
    // Kinds, modes, deleted and socket ends equal `lsof -p`.
    if !have("lsof") {
        return skip(
            "inspect_files_match_proc_and_lsof (lsof part)",
            "lsof is not installed",
        );
    }
    let o = run(&mut tool(
        "lsof",
        ["-n", "-P", "-p", &pid.to_string(), "-F", "fatn"],
    ));
    let mut lsof = Vec::new();
    let mut cur: Option<(i64, String, String, String)> = None;
    for l in stdout(&o).lines() {
        let (tag, val) = l.split_at(1);
        match tag {
            "f" => {
                lsof.extend(cur.take());
                if let Ok(n) = val.parse() {
                    cur = Some((n, String::new(), String::new(), String::new()));
                }
            }
            "a" => cur.iter_mut().for_each(|c| c.1 = val.trim().to_string()),
            "t" => cur.iter_mut().for_each(|c| c.2 = val.to_string()),
            "n" => cur.iter_mut().for_each(|c| c.3 = val.to_string()),
            _ => {}
        }
    }
    lsof.extend(cur);
    assert!(lsof.len() >= 7, "lsof output: {}", stdout(&o));
    for (fd, mode, ty, name) in &lsof {
        let e = by_fd(*fd);
        let kind = match ty.as_str() {
            "REG" => "file",
            "DIR" => "dir",
            "FIFO" => "pipe",
            "IPv4" | "IPv6" | "unix" | "sock" => "socket",
            "CHR" => "char",
            "BLK" => "block",
            "a_inode" => "anon",
            _ => "other",
        };
        assert_eq!(e["kind"], kind, "fd {fd}: lsof {ty} {name}");
        assert_eq!(e["mode"].as_str().unwrap_or(""), mode, "fd {fd} mode");
        assert_eq!(
            e["deleted"].as_bool().unwrap(),
            name.contains("(deleted)"),
            "fd {fd}: {name}"
        );
        if ty == "IPv4" {
            let s = &e["socket"];
            let text = format!(
                "{}:{}->{}:{}",
                s["local_addr"].as_str().unwrap(),
                s["local_port"],
                s["remote_addr"].as_str().unwrap(),
                s["remote_port"]
            );
            assert!(
                name.starts_with(&text),
                "fd {fd}: lsof {name}, gopsi {text}"
            );
        }
    }
    // The human table flags the deleted file.
    let text = stdout(&run(&mut gopsi(["files", &pid.to_string()])));
    assert!(text.contains("doomed.txt (deleted)"), "{text}");
    drop(fx);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn inspect_process_json_contract() {
    let s = open_sockets();
    let me = std::process::id();
    let v = json(&["inspect", &me.to_string(), "--json", "--interval", "50"]);
    assert_eq!(v["pid"], me);
    for k in ["pid", "ppid", "threads", "rss_kib", "vsz_kib"] {
        assert!(v[k].is_u64(), "{k}: {}", v[k]);
    }
    for k in ["user", "state", "command"] {
        assert!(v[k].is_string(), "{k}: {}", v[k]);
    }
    assert!(
        v["args"].as_array().is_some_and(|a| !a.is_empty()),
        "{}",
        v["args"]
    );
    assert!(v["files"].as_array().is_some_and(|a| a.len() >= 5));
    let ports = v["ports"].as_array().expect("ports array");
    let l4 = s._tcp4.local_addr().unwrap().port();
    assert!(
        ports
            .iter()
            .any(|p| p["local_port"] == l4 && p["state"] == "LISTEN")
    );
    assert!(v["cpu_percent"].is_f64(), "{}", v["cpu_percent"]);
    assert!(v["rss_kib"].as_u64().unwrap() > 0);
    let ppid = std::fs::read_to_string("/proc/self/stat").unwrap();
    let ppid: u64 = ppid
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(v["ppid"], ppid);
    // The human view (piped: plain text) has every section.
    let text = stdout(&run(&mut gopsi([
        "inspect",
        &me.to_string(),
        "--interval",
        "0",
    ])));
    for section in [
        "Process",
        "State and scheduling",
        "Memory",
        "Open files",
        "Ports",
        "Children",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
}

#[test]
fn inspect_children_are_listed() {
    let mut fx = Fixtures::new();
    let parent = fx.sh("sleep 1000 & sleep 1000 & wait");
    let mut kids = Vec::new();
    for _ in 0..200 {
        kids = children_of(parent);
        if kids.len() == 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let v = json(&["inspect", &parent.to_string(), "--json", "--interval", "0"]);
    let got: Vec<i64> = v["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pid"].as_i64().unwrap())
        .collect();
    let want: Vec<i64> = kids.iter().map(|&k| k as i64).collect();
    assert_eq!(got, want);
}

#[test]
fn inspect_proc_root_fixture_tree() {
    // A fake /proc: one process (pid 42) holding socket inode 777 as fd 9, and net/tcp
    // listing that inode listening on 10.1.2.3:80 plus an unowned one on [::]:22.
    let root = std::env::temp_dir().join(format!("gopsi-procroot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("42/fd")).unwrap();
    std::fs::create_dir_all(root.join("net")).unwrap();
    std::fs::write(
        root.join("42/stat"),
        "42 (web server) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 10 0\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("socket:[777]", root.join("42/fd/9")).unwrap();
    std::os::unix::fs::symlink("/dev/null", root.join("42/fd/0")).unwrap();
    let hdr = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    std::fs::write(
        root.join("net/tcp"),
        format!("{hdr}   0: 0302010A:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0 100 0 0 10 0\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("net/tcp6"),
        format!("{hdr}   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 778 1 0 100 0 0 10 0\n"),
    )
    .unwrap();
    std::fs::write(root.join("net/udp"), hdr).unwrap();
    let r = root.to_string_lossy().to_string();
    let v = json(&["--proc-root", &r, "ports", "--json"]);
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 2, "{v}");
    if cfg!(target_endian = "little") {
        assert_eq!(a[0]["local_addr"], "10.1.2.3");
    }
    assert_eq!(a[0]["local_port"], 80);
    assert_eq!(a[0]["pid"], 42);
    assert_eq!(a[0]["command"], "web server");
    assert_eq!(a[0]["owners"][0]["fd"], 9);
    assert_eq!(a[1]["proto"], "tcp6");
    assert!(a[1]["pid"].is_null());
    let text = stdout(&run(&mut gopsi(["--proc-root", &r, "ports"])));
    assert!(text.contains("*:22"), "{text}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn inspect_bad_input() {
    let o = run(&mut gopsi(["inspect", "2147483647"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no process with PID 2147483647"));
    let o = run(&mut gopsi(["files", "2147483647", "--json"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no process"));
    let o = run(&mut gopsi(["ports", "-p", "2147483647"]));
    assert_eq!(o.status.code(), Some(1));
    for bad in [
        &["ports", "--bogus"][..],
        &["files"],
        &["files", "abc"],
        &["inspect", "-1"],
        &["inspect", "1", "2"],
    ] {
        let o = run(&mut gopsi(bad));
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(!o.stderr.is_empty(), "{bad:?}");
    }
    let o = run(&mut gopsi(["ports", "--help"]));
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--all"));
}

#[test]
fn inspect_broken_pipe_exits_quietly() {
    // Our own process: readable whatever the machine (pid 1 may not be, even for root).
    let me = std::process::id().to_string();
    let _s = open_sockets();
    for args in [
        &["ports", "-a", "-p", &me][..],
        &["files", &me],
        &["inspect", &me, "--interval", "0"],
    ] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let o = gopsi(args).stdout(writer).output().expect("run gopsi");
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            o.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn inspect_unprivileged_user_sees_what_it_can() {
    if !is_root() {
        return skip(
            "inspect_unprivileged_user_sees_what_it_can",
            "needs root to switch user",
        );
    }
    if !have("setpriv") {
        return skip(
            "inspect_unprivileged_user_sees_what_it_can",
            "setpriv missing",
        );
    }
    let Some(bin) = SharedBin::new("nobody") else {
        return skip(
            "inspect_unprivileged_user_sees_what_it_can",
            "cannot copy the gopsi binary where nobody can run it",
        );
    };
    let as_nobody = |args: &[&str]| run(&mut bin.as_nobody(args));
    let probe = as_nobody(&["--version"]);
    if probe.status.code() != Some(0) {
        return skip(
            "inspect_unprivileged_user_sees_what_it_can",
            "the gopsi binary is not executable by nobody",
        );
    }
    let _s = open_sockets();
    let o = as_nobody(&["ports", "-a"]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("permission denied").count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // Our root-owned sockets show up, marked unknown.
    assert!(stdout(&o).contains(" ? "), "{}", stdout(&o));
    let o = as_nobody(&["files", "1"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("permission denied"));
    assert!(stdout(&o).contains("(permission denied)"));
    let o = as_nobody(&["inspect", "1", "--json", "--interval", "0"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["files_error"], "permission denied");
    assert_eq!(v["pid"], 1);
}

#[test]
fn inspect_ports_unix_match_ss() {
    if !have("ss") {
        return skip(
            "inspect_ports_unix_match_ss",
            "ss (iproute2) is not installed",
        );
    }
    let path = std::env::temp_dir().join(format!("gopsi-unix-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let _l = std::os::unix::net::UnixListener::bind(&path).expect("bind unix socket");
    let p = path.to_string_lossy().to_string();
    let me = i64::from(std::process::id());
    let v = json(&["ports", "--unix", "--json"]);
    let row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["local_addr"] == p.as_str())
        .unwrap_or_else(|| panic!("{p} missing: {v}"));
    assert_eq!(row["proto"], "unix");
    assert_eq!(row["unix_type"], "stream");
    assert_eq!(row["state"], "LISTEN");
    assert!(
        row["owners"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["pid"] == me),
        "{row}"
    );
    let ss = stdout(&run(&mut tool("ss", ["-xlpnH"])));
    let line = ss
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == p))
        .unwrap_or_else(|| panic!("{p} missing from ss -xlpn:\n{ss}"));
    assert!(
        line.starts_with("u_str") && line.contains("LISTEN"),
        "{line}"
    );
    assert!(line.contains(&format!("pid={me},")), "{line}");
    assert!(line.contains(&format!(" {} ", row["inode"])), "{line}");
    let text = stdout(&run(&mut gopsi(["ports", "-x"])));
    assert!(
        text.lines()
            .any(|l| l.starts_with("u_str") && l.contains(&p)),
        "{text}"
    );
    let _ = std::fs::remove_file(&path);
}
