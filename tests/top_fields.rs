//! Every one of top's fields in a batch frame, against procps-ng 4.0.2: a toprc shows PID and
//! the field, both tops print one frame of idle fixture processes (`-p`), and the cells must
//! agree. The fields gopsi does not fill yet are listed, and the list must be exact: a field
//! that starts to agree (or stops) fails the test until the list says so.

use crate::common::*;
use gopsi::top::fields::FIELDS;
use std::process::Command;

/// Fields gopsi does not print as procps yet (none: the list is kept so that a field that
/// breaks must be named here, with its reason, to pass).
const NOT_YET: &[&str] = &[];

/// Cells that move between two runs: the elapsed time ticks, and the proportional sizes (PSS
/// and its parts, USS) depend on which top runs, since it shares the C library's pages with the
/// fixtures: compared by shape (each run of digits one `9`) when procps asked twice disagrees.
const MOVING: &[&str] = &["ELAPSED", "PSS", "PSan", "PSfd", "PSsh", "USS"];

#[test]
fn every_top_field_prints_what_procps_prints() {
    let t = "every_top_field_prints_what_procps_prints";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 top is not installed");
    }
    let mut f = Fixtures::new();
    let a = f.spawn(Command::new("sleep").arg("400"));
    let b = f.spawn(Command::new("sh").args(["-c", "sleep 400; :"]));
    f.settle(&[a, b], &[]);
    let pids = format!("{a},{b}");
    let home = std::env::temp_dir().join(format!("gopsi-fields-{}", std::process::id()));
    let rc_dir = home.join(".config/procps");
    std::fs::create_dir_all(&rc_dir).expect("toprc dir");
    let mut differ = Vec::new();
    let mut compared = 0;
    for (i, field) in FIELDS.iter().enumerate().skip(1) {
        let mut rc = gopsi::top::toprc::Toprc::default();
        let enc = |f: usize| (f as i32 + 37) << 1;
        let mut cur: Vec<i32> = vec![enc(0) | 1, enc(i) | 1];
        cur.extend((1..FIELDS.len()).filter(|&k| k != i).map(enc));
        rc.windows[0].fieldscur = cur;
        rc.windows[0].sortindx = 0;
        std::fs::write(rc_dir.join("toprc"), gopsi::top::toprc::format(&rc, "top"))
            .expect("write toprc");
        let frame = |c: &mut Command| {
            c.env("HOME", &home)
                .args(["-b", "-n1", "-w", "512", "-p", &pids]);
            let o = run(c);
            let text = stdout(&o);
            let rows: Vec<String> = text
                .lines()
                .skip_while(|l| !l.contains("PID"))
                .map(|l| l.trim_end().to_string())
                .collect();
            (o.status.code(), rows)
        };
        let (ps, mut want) = frame(&mut tool("top", Vec::<&str>::new()));
        let (gs, got) = frame(&mut gopsi(["top"]));
        if MOVING.contains(&field.name) && want != got {
            // Asked again: the figure moved between the runs, gopsi's must be one of them.
            want = frame(&mut tool("top", Vec::<&str>::new())).1;
        }
        compared += 1;
        let shape = |rows: &[String]| -> Vec<String> {
            rows.iter()
                .map(|r| {
                    let mut o = String::new();
                    for c in r.chars().filter(|&c| c != ' ') {
                        let c = if c.is_ascii_digit() { '9' } else { c };
                        if !(c == '9' && o.ends_with('9')) {
                            o.push(c);
                        }
                    }
                    o
                })
                .collect()
        };
        if MOVING.contains(&field.name) && want != got && shape(&want) == shape(&got) {
            continue;
        }
        if ps != gs || want != got {
            differ.push((field.name, want.join(" | "), got.join(" | ")));
        }
    }
    let _ = std::fs::remove_dir_all(&home);
    assert!(compared > 70, "{compared} fields");
    let names: Vec<&str> = differ.iter().map(|d| d.0).collect();
    let report: Vec<String> = differ
        .iter()
        .filter(|d| !NOT_YET.contains(&d.0))
        .map(|(n, w, g)| format!("{n}:\n  procps: {w}\n  gopsi:  {g}"))
        .collect();
    assert!(
        report.is_empty(),
        "{} fields differ:\n{}",
        report.len(),
        report.join("\n")
    );
    let fixed: Vec<&&str> = NOT_YET.iter().filter(|n| !names.contains(n)).collect();
    assert!(
        fixed.is_empty(),
        "now agree, take them off NOT_YET: {fixed:?}"
    );
}
