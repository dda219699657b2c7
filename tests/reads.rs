//! What the commands read: each host file once per sample (top's first frame takes two
//! samples, 150 ms apart), counted with strace.

use crate::common::*;
use std::collections::HashMap;

/// The host files (`/proc/NAME`, not per-process) a gopsi command opens, with their counts.
fn host_opens(args: &[&str]) -> Option<HashMap<String, usize>> {
    let log = std::env::temp_dir().join(format!(
        "gopsi-strace-{}-{}",
        std::process::id(),
        args.join("_")
    ));
    let mut c = tool("strace", ["-f", "-qq", "-e", "trace=openat", "-o"]);
    c.arg(&log).arg(env!("CARGO_BIN_EXE_gopsi")).args(args);
    let o = run(&mut c);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&log).ok()?;
    let _ = std::fs::remove_file(&log);
    let mut n = HashMap::new();
    for l in text.lines() {
        let Some(path) = l.split('"').nth(1) else {
            continue;
        };
        let Some(rest) = path.strip_prefix("/proc/") else {
            continue;
        };
        if !rest.is_empty()
            && !rest.starts_with(|c: char| c.is_ascii_digit())
            && !rest.starts_with("self")
        {
            *n.entry(rest.to_string()).or_insert(0) += 1;
        }
    }
    Some(n)
}

#[test]
fn host_files_are_read_once_per_sample() {
    if !have("strace") {
        if std::env::var_os("GOPSI_REQUIRE_ORACLE").is_some() {
            panic!("strace missing");
        }
        return skip("host_files_are_read_once_per_sample", "strace missing");
    }
    let top = host_opens(&["top", "-b", "-n1"]).expect("strace log");
    for (file, want) in [("uptime", 2), ("stat", 2), ("meminfo", 1), ("loadavg", 1)] {
        assert_eq!(
            top.get(file),
            Some(&want),
            "top -b -n1 opens /proc/{file}: {top:?}"
        );
    }
    let ps = host_opens(&["ps", "aux"]).expect("strace log");
    for (file, want) in [("uptime", 1), ("stat", 1), ("meminfo", 1)] {
        assert_eq!(
            ps.get(file),
            Some(&want),
            "ps aux opens /proc/{file}: {ps:?}"
        );
    }
}
