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
