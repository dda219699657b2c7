//! `gopsi ps --json`: the selected columns as typed values, checked against ps's own text.

use crate::common::*;

#[test]
fn ps_json_has_typed_values_matching_the_text_columns() {
    let pid = std::process::id().to_string();
    let o = run(&mut gopsi([
        "ps",
        "--json",
        "-o",
        "pid,ppid,user,rss,vsz,stat,comm,args,%cpu",
        "-p",
        &pid,
    ]));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let rows = v.as_array().expect("an array");
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["pid"].as_i64(), Some(std::process::id() as i64));
    assert!(r["ppid"].is_i64());
    assert!(r["rss_kib"].as_i64().is_some_and(|k| k > 0), "{r}");
    assert!(r["vsz_kib"].as_i64().is_some_and(|k| k > 0), "{r}");
    assert!(r["pct_cpu"].is_number(), "{r}");
    assert!(
        r["user"].is_string()
            && r["stat"].is_string()
            && r["comm"].is_string()
            && r["args"].is_string()
    );
    // The same process through the text output: the string columns agree.
    let t = run(&mut gopsi([
        "ps",
        "--no-headers",
        "-o",
        "user,stat,comm",
        "-p",
        &pid,
    ]));
    let words: Vec<String> = stdout(&t).split_whitespace().map(String::from).collect();
    assert_eq!(
        words,
        vec![
            r["user"].as_str().unwrap(),
            r["stat"].as_str().unwrap(),
            r["comm"].as_str().unwrap()
        ]
    );
}

#[test]
fn ps_aux_json_lists_every_row() {
    let text = run(&mut gopsi(["ps", "aux", "--no-headers"]));
    let json = run(&mut gopsi(["ps", "aux", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let n = v.as_array().map_or(0, Vec::len);
    // The two runs are moments apart: the count may move by the processes that came and went.
    let m = stdout(&text).lines().count();
    assert!(
        n > 5 && n.abs_diff(m) <= 5,
        "{n} JSON rows against {m} text rows"
    );
    for key in [
        "user",
        "pid",
        "pct_cpu",
        "pct_mem",
        "vsz_kib",
        "rss_kib",
        "tname",
        "stat",
        "start_time_ticks_after_boot",
        "bsdtime_ticks",
        "args",
    ] {
        assert!(v[0].get(key).is_some(), "key {key} missing: {}", v[0]);
    }
}
