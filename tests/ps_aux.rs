//! `gopsi ps aux` against the installed procps `ps aux`: the whole table, byte for byte.

use crate::common::*;
use std::collections::HashMap;

fn rows_by_pid(text: &str) -> (String, HashMap<String, String>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let rows = lines
        .filter_map(|l| Some((l.split_whitespace().nth(1)?.to_string(), l.to_string())))
        .collect();
    (header, rows)
}

/// Runs procps, gopsi, procps with the same arguments and environment and compares gopsi's
/// rows with procps's. A row may differ only when its process changed between the two procps
/// runs (busy, started or exited, a kworker renamed itself); everything else must be equal.
pub fn compare_table(args: &[&str], env: &[(&str, &str)]) {
    let mk = |c: &mut std::process::Command| {
        for (k, v) in env {
            c.env(k, v);
        }
        stdout(&run(c))
    };
    let a = mk(&mut tool("ps", args));
    let g = mk(&mut gopsi(
        std::iter::once("ps").chain(args.iter().copied()),
    ));
    let b = mk(&mut tool("ps", args));
    let (ha, ra) = rows_by_pid(&a);
    let (hg, rg) = rows_by_pid(&g);
    let (hb, rb) = rows_by_pid(&b);
    assert_eq!(hg, ha, "header of ps {args:?} {env:?}");
    assert_eq!(ha, hb);
    let (mut compared, mut changed) = (0, 0);
    for (pid, row) in &rg {
        let (Some(x), Some(y)) = (ra.get(pid), rb.get(pid)) else {
            continue;
        };
        if row == x || row == y {
            compared += 1;
            continue;
        }
        if x != y {
            changed += 1;
            continue;
        }
        panic!("ps {args:?} {env:?}: row of pid {pid} differs\nprocps: {x:?}\ngopsi:  {row:?}");
    }
    assert!(
        compared >= 10,
        "only {compared} rows compared ({changed} changed)"
    );
    assert!(
        compared > changed * 4,
        "too many changed rows: {changed} of {}",
        compared + changed
    );
}

#[test]
fn ps_aux_whole_table_matches_procps() {
    if !procps_is_oracle() {
        return skip(
            "ps_aux_whole_table_matches_procps",
            "procps-ng 4.0.2 ps is not installed",
        );
    }
    compare_table(&["aux"], &[]);
    compare_table(&["aux"], &[("COLUMNS", "80")]);
    compare_table(&["aux"], &[("COLUMNS", "60")]);
    compare_table(&["aux"], &[("LC_ALL", "C")]);
}

#[test]
fn ps_aux_broken_pipe_exits_quietly() {
    // The read end is closed before gopsi starts, so its first write fails with EPIPE.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let o = gopsi(["ps", "aux"])
        .stdout(writer)
        .output()
        .expect("run gopsi");
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
