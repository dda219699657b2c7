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
    compare_table_via(args, env, None)
}

/// Up to three rounds: a process can change for the moment gopsi reads it and change back
/// before the second procps run (a kernel thread caught running, RSS ticking up and down), so
/// a mismatch counts only when every round shows one. A real formatting bug shows in all three.
pub fn compare_table_via(args: &[&str], env: &[(&str, &str)], cols: Option<u16>) {
    let mut last = String::new();
    for _ in 0..3 {
        match compare_round(args, env, cols) {
            Ok(()) => return,
            Err(e) => last = e,
        }
    }
    panic!("{last}");
}

/// One round of [`compare_table`], with both tools run on a terminal of `cols` columns
/// (through `script`) when `cols` is given.
fn compare_round(args: &[&str], env: &[(&str, &str)], cols: Option<u16>) -> Result<(), String> {
    let gopsi_bin = env!("CARGO_BIN_EXE_gopsi");
    let mk = |prog: &str, pre: &[&str]| {
        let words: Vec<&str> = pre.iter().chain(args.iter()).copied().collect();
        let mut c = match cols {
            None => tool(prog, &words),
            Some(n) => {
                let quoted: Vec<String> = std::iter::once(prog)
                    .chain(words.iter().copied())
                    .map(|w| format!("'{w}'"))
                    .collect();
                let line = format!("stty cols {n} rows 50; {}", quoted.join(" "));
                tool("script", ["-qc", line.as_str(), "/dev/null"])
            }
        };
        for (k, v) in env {
            c.env(k, v);
        }
        stdout(&run(&mut c)).replace("\r\n", "\n")
    };
    let a = mk("ps", &[]);
    let g = mk(gopsi_bin, &["ps"]);
    let b = mk("ps", &[]);
    let (ha, ra) = rows_by_pid(&a);
    let (hg, rg) = rows_by_pid(&g);
    let (hb, rb) = rows_by_pid(&b);
    assert_eq!(hg, ha, "header of ps {args:?} {env:?}");
    assert_eq!(ha, hb);
    // Row order: the pids present in all three runs come in the same order in each.
    let order = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().nth(1).map(String::from))
            .collect()
    };
    let (oa, og, ob) = (order(&a), order(&g), order(&b));
    let common = |o: &[String]| -> Vec<String> {
        o.iter()
            .filter(|p| oa.contains(p) && og.contains(p) && ob.contains(p))
            .cloned()
            .collect()
    };
    if common(&oa) == common(&ob) && common(&og) != common(&oa) {
        return Err(format!(
            "ps {args:?} {env:?} {cols:?}: rows in another order than procps's"
        ));
    }
    let (mut compared, mut changed) = (0, 0);
    for (pid, row) in &rg {
        let (Some(x), Some(y)) = (ra.get(pid), rb.get(pid)) else {
            continue;
        };
        if row == x || row == y {
            compared += 1;
            continue;
        }
        // A task caught runnable (`R`) by one tool and asleep by the other differs in the state
        // letter alone: gopsi keeps both cores busy for a moment, so a kernel thread waking then
        // (kdamond, ksoftirqd) waits its turn as `R`, and under load the reverse happens too.
        // Such a row is counted as changed, not as a mismatch.
        let (gw, pw): (Vec<&str>, Vec<&str>) = (
            row.split_whitespace().collect(),
            x.split_whitespace().collect(),
        );
        let only_state = gw.len() == pw.len()
            && gw.iter().zip(&pw).filter(|(a, b)| a != b).all(|(a, b)| {
                (a.starts_with('R') || b.starts_with('R')) && a.get(1..) == b.get(1..)
            });
        if only_state {
            changed += 1;
            continue;
        }
        // A kworker's name carries the workqueue it is serving right now ("-events",
        // "-mm_percpu_wq"), which the kernel changes at any moment: those rows are not compared.
        if row.contains(" [kworker/") || row.contains(" kworker/") {
            changed += 1;
            continue;
        }
        if x != y {
            changed += 1;
            continue;
        }
        return Err(format!(
            "ps {args:?} {env:?} {cols:?}: row of pid {pid} differs\nprocps: {x:?}\ngopsi:  {row:?}"
        ));
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
    Ok(())
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
fn ps_aux_on_a_terminal_matches_procps() {
    if !procps_is_oracle() || !have("script") {
        return skip(
            "ps_aux_on_a_terminal_matches_procps",
            "needs procps-ng 4.0.2 ps and script(1)",
        );
    }
    for cols in [80, 100, 69, 200] {
        compare_table_via(&["aux"], &[], Some(cols));
    }
    compare_table_via(&["aux"], &[("LC_ALL", "C")], Some(80));
    compare_table_via(&["-ef"], &[], Some(80));
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
