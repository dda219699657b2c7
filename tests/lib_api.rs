//! The library against the binary: `Listing`'s `Display` is `gopsi ps aux`, `sort_by` then
//! `format` is `gopsi ps -e --sort ... -o ...`, and `HostSample`'s `Display` is the summary of
//! `gopsi top -b -n1`. Both run in this test's environment (its locale and time zone), the
//! binary before and after the library: a row may differ only for a process that changed
//! between the two binary runs.

use std::collections::HashMap;
use std::process::Command;

use gopsi::{Listing, items::Item};

/// The binary with this process's environment, less what changes ps's layout.
fn bin(args: &[&str]) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gopsi"));
    for k in [
        "COLUMNS",
        "LINES",
        "PS_FORMAT",
        "PS_PERSONALITY",
        "CMD_ENV",
        "GOPSI_NOW",
    ] {
        c.env_remove(k);
    }
    let o = c.args(args).output().expect("run gopsi");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Header and rows keyed by the `n`th word (the pid).
fn keyed(text: &str, n: usize) -> (String, Vec<(String, String)>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let rows = lines
        .filter_map(|l| Some((l.split_whitespace().nth(n)?.to_string(), l.to_string())))
        .collect();
    (header, rows)
}

/// Compares the library's text with the binary's runs before and after it, keyed by the
/// `n`th word; with `ordered`, the pids common to all three also come in the same order.
fn bracketed(before: &str, lib: &str, after: &str, n: usize, ordered: bool) -> Result<(), String> {
    let (ha, ra) = keyed(before, n);
    let (hl, rl) = keyed(lib, n);
    let (hb, rb) = keyed(after, n);
    if hl != ha || hl != hb {
        return Err(format!("header {hl:?} against {ha:?}"));
    }
    let (ma, mb): (HashMap<_, _>, HashMap<_, _>) =
        (ra.iter().cloned().collect(), rb.iter().cloned().collect());
    for (pid, row) in &rl {
        let (Some(x), Some(y)) = (ma.get(pid), mb.get(pid)) else {
            continue; // started or exited between the runs
        };
        if row != x && row != y && x == y {
            return Err(format!("pid {pid}:\n lib: {row:?}\n bin: {x:?}"));
        }
    }
    if ordered {
        let common = |r: &[(String, String)]| -> Vec<String> {
            r.iter()
                .map(|(p, _)| p.clone())
                .filter(|p| {
                    ma.contains_key(p) && mb.contains_key(p) && rl.iter().any(|(q, _)| q == p)
                })
                .collect()
        };
        let (oa, ol, ob) = (common(&ra), common(&rl), common(&rb));
        if oa == ob && ol != oa {
            return Err(format!("order {ol:?}\nagainst {oa:?}"));
        }
    }
    Ok(())
}

/// Up to three rounds, as the whole-table ps tests do: a mismatch counts only when every round
/// shows one.
fn rounds(f: impl Fn() -> Result<(), String>) {
    let mut last = String::new();
    for _ in 0..3 {
        match f() {
            Ok(()) => return,
            Err(e) => last = e,
        }
    }
    panic!("{last}");
}

#[test]
fn listing_prints_as_ps_aux() {
    rounds(|| {
        let before = bin(&["ps", "aux"]);
        let lib = Listing::collect().expect("collect").to_string();
        let after = bin(&["ps", "aux"]);
        bracketed(&before, &lib, &after, 1, true)
    });
}

#[test]
fn listing_sorts_and_formats_as_ps() {
    rounds(|| {
        let args = ["ps", "-e", "--sort=-rss,pid", "-o", "pid,rss,comm"];
        let before = bin(&args);
        let mut l = Listing::collect().expect("collect");
        l.sort_by("-rss,pid").expect("sort keys");
        let lib = l.format("pid,rss,comm").expect("format").to_string();
        let after = bin(&args);
        bracketed(&before, &lib, &after, 0, true)
    });
    // Without sorting: pid order, as `ps -e -o`.
    rounds(|| {
        let args = ["ps", "-e", "-o", "pid,user:12,%cpu,stat,comm"];
        let before = bin(&args);
        let lib = Listing::collect()
            .expect("collect")
            .format("pid,user:12,%cpu,stat,comm")
            .expect("format")
            .to_string();
        let after = bin(&args);
        bracketed(&before, &lib, &after, 0, true)
    });
}

#[test]
fn listing_refuses_what_procps_refuses_and_what_it_did_not_read() {
    let l = Listing::collect().expect("collect");
    let e = l.format("pid,nosuch").err().expect("an unknown specifier");
    assert_eq!(
        e.to_string(),
        "unknown user-defined format specifier \"nosuch\""
    );
    assert!(matches!(e, gopsi::Error::Usage(_)));
    let mut l = l;
    assert!(l.sort_by("-nosuch").is_err());
    // wchan needs a file `ps aux` does not read.
    assert!(matches!(
        l.format("pid,wchan"),
        Err(gopsi::Error::NotCollected(_))
    ));
    let only = gopsi::Options::new().items(&[Item::Pid, Item::Comm]);
    let small = Listing::collect_with(&only).expect("collect");
    assert!(matches!(
        small.format("pid,rss"),
        Err(gopsi::Error::NotCollected(_))
    ));
    assert!(small.format("pid,comm").is_ok());
}

#[test]
fn process_accessors_are_typed() {
    let me = std::process::id() as i32;
    let l = Listing::collect().expect("collect");
    let p = l
        .iter()
        .find(|p| p.pid() == me)
        .expect("this process is listed");
    assert_eq!(p.ppid(), std::os::unix::process::parent_id() as i32);
    // The harness's main thread waits for this test's thread.
    assert!(matches!(
        p.state(),
        gopsi::State::Running | gopsi::State::Sleeping
    ));
    assert!(p.rss_bytes() > 0 && p.vsz_bytes() >= p.rss_bytes());
    assert!(p.threads() >= 1);
    let started = p.start_time().elapsed().expect("started in the past");
    assert!(started.as_secs() < 3600, "started {started:?} ago");
    assert!(p.cpu_time() <= started + std::time::Duration::from_secs(1) * p.threads() as u32);
    assert_eq!(
        p.exe().expect("own exe"),
        std::env::current_exe().expect("exe")
    );
    assert_eq!(
        p.cwd().expect("own cwd"),
        std::env::current_dir().expect("cwd")
    );
    let files = p.open_files().expect("own files");
    assert!(files.iter().any(|f| f.fd == 0 || f.fd == 1 || f.fd == 2));
    assert_eq!(p.value(Item::Pid), gopsi::items::Value::Int(me.into()));
    let uid = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    assert_eq!(Some(p.uid()), uid.ok());
    // A process gone between the listing and the call is `Vanished`.
    let mut child = Command::new("true").spawn().expect("true");
    let pid = child.id() as i32;
    child.wait().expect("wait");
    let l = Listing::collect().expect("collect");
    assert!(l.iter().all(|p| p.pid() != pid));
}

#[test]
fn host_sample_prints_as_top() {
    rounds(|| {
        let top = |_: ()| bin(&["top", "-b", "-n1"]);
        let before = top(());
        let lib = gopsi::Host::sample(std::time::Duration::from_millis(150))
            .expect("sample")
            .to_string();
        let after = top(());
        let lines = |t: &str| t.lines().take(5).map(String::from).collect::<Vec<_>>();
        let (a, l, b) = (lines(&before), lines(&lib), lines(&after));
        if l.len() != 5 {
            return Err(format!("{} lines", l.len()));
        }
        // Only figures move between two reads (the clock, counts, percentages, memory):
        // the words and the layout around them must be top's.
        let shape = |s: &str| {
            s.chars()
                .map(|c| if c.is_ascii_digit() { '9' } else { c })
                .collect::<String>()
        };
        for k in 0..5 {
            let same = |x: &str| {
                x == l[k] || (shape(x) == shape(&l[k])) || (k > 0 && x.len() == l[k].len())
            };
            if !same(&a[k]) && !same(&b[k]) {
                return Err(format!("line {k}:\n lib: {:?}\n top: {:?}", l[k], a[k]));
            }
        }
        Ok(())
    });
}

#[test]
fn text_is_safe_to_print() {
    // A process named with escape sequences, a carriage return and a right-to-left override.
    let mut c = Command::new("bash")
        .args(["-c", "exec -a $'\\e]0;pwned\\a\\r\\u202eevil' sleep 30"])
        .spawn()
        .expect("bash");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let l = Listing::collect().expect("collect");
    let p = l.iter().find(|p| p.pid() == c.id() as i32).expect("listed");
    let args = p.args().expect("args");
    let shown = args.to_string();
    assert!(
        !shown.contains(['\x1b', '\x07', '\r', '\u{202e}']),
        "{shown:?}"
    );
    assert_eq!(shown, "?]0;pwned???evil 30");
    assert!(args.as_bytes().starts_with(b"\x1b]0;pwned\x07\r"));
    let _ = c.kill();
    let _ = c.wait();
}
