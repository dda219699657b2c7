//! Whole-table checks of the item registry: every top field sorts the rows as procps top does,
//! and every ps specifier's `--json` value is the value its text cell shows, in the unit its key
//! names. The field and specifier lists come from procps itself (`top -O`, `ps L`), so nothing
//! is left out by accident.

use crate::common::*;
use std::process::Command;
use std::time::Duration;

/// Idle fixture processes that differ in as many fields as a test can arrange: owner, nice,
/// memory, threads, OOM adjustment, environment size and I/O counters.
fn varied() -> Option<(Fixtures, Vec<i32>)> {
    if !have("python3") {
        return None;
    }
    let mut fx = Fixtures::new();
    let root = is_root() && have("setpriv");
    // (uid, nice, MiB touched, threads, reads of /etc/services, oom_score_adj, env bytes)
    let cfg: &[(u32, i32, u32, u32, u32, i32, usize)] = &[
        (0, 0, 1, 0, 0, 0, 10),
        (65534, 5, 30, 2, 3, 100, 500),
        (1, 19, 5, 0, 10, -100, 50),
        (4242, 0, 60, 4, 1, 500, 20),
        (0, -5, 15, 1, 0, 0, 200),
        (65534, 0, 2, 0, 7, 0, 30),
        (1, 10, 45, 3, 2, 300, 90),
        (0, 0, 8, 0, 0, -500, 300),
        (4242, 3, 22, 5, 4, 0, 10),
        (0, 15, 3, 0, 0, 800, 150),
    ];
    // Besides anonymous memory, each maps a file of its own (file-backed PSS) and shared
    // anonymous memory (shmem), of sizes that differ by a MiB from process to process, so
    // that no two tie on a value the reading process itself moves by a few pages.
    let script = "import mmap,os,sys,threading,time\n\
        n,t,r=map(int,sys.argv[1:4])\n\
        b=bytearray(n*1024*1024)\n\
        for i in range(0,len(b),4096): b[i]=1\n\
        k=int(sys.argv[5])\n\
        f=open(sys.argv[4],'w+b'); f.truncate((k+1)*1024*1024)\n\
        m=mmap.mmap(f.fileno(),0)\n\
        for i in range(0,len(m),4096): m[i]=1\n\
        s=mmap.mmap(-1,(11-k)*1024*1024,flags=mmap.MAP_SHARED)\n\
        for i in range(0,len(s),4096): s[i]=1\n\
        for _ in range(r): os.read(os.open('/etc/services',os.O_RDONLY),4096)\n\
        [threading.Thread(target=time.sleep,args=(9999,),daemon=True).start() for _ in range(t)]\n\
        time.sleep(9999)\n";
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("varied-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    // Every uid may create its file there.
    let _ = std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o1777));
    let mut pids = Vec::new();
    for &(uid, nice, mb, threads, reads, oom, env) in cfg {
        if !root && (uid != 0 || nice < 0) {
            continue;
        }
        let mut c = Command::new("setsid");
        c.arg("-w");
        if root {
            let id = uid.to_string();
            c.args(["setpriv", "--reuid", &id, "--regid", &id, "--clear-groups"]);
        }
        c.args(["nice", "-n", &nice.to_string(), "python3", "-c", script])
            .args([mb.to_string(), threads.to_string(), reads.to_string()])
            .arg(dir.join(format!("map{}", pids.len())))
            .arg(pids.len().to_string())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("PAD", "x".repeat(env));
        let pid = fx.spawn(&mut c);
        pids.push((pid, oom));
    }
    let list: Vec<i32> = pids.iter().map(|p| p.0).collect();
    fx.settle(&list, &["setsid", "setpriv", "nice"]);
    // Let every process touch its memory and start its threads.
    for _ in 0..100 {
        let ready = pids.iter().all(|(p, _)| {
            std::fs::read_to_string(format!("/proc/{p}/wchan")).is_ok_and(|w| w != "0")
        });
        if ready {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    // The mappings outlive the names.
    let _ = std::fs::remove_dir_all(&dir);
    for &(p, oom) in &pids {
        if oom != 0 && is_root() {
            let _ = std::fs::write(format!("/proc/{p}/oom_score_adj"), oom.to_string());
        }
    }
    Some((fx, list))
}

/// The PID column of a `top -b` frame, top to bottom.
fn pid_order(frame: &str) -> Vec<i32> {
    frame
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("PID"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn top_sorts_by_every_field_as_procps_does() {
    if !procps_is_oracle() || !have("top") {
        return skip(
            "top_sorts_by_every_field_as_procps_does",
            "procps-ng 4.0.2 top missing",
        );
    }
    let Some((_fx, pids)) = varied() else {
        return skip("top_sorts_by_every_field_as_procps_does", "python3 missing");
    };
    let list = pids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let fields = stdout(&run(&mut tool("top", ["-O"])));
    let fields: Vec<&str> = fields.split_whitespace().collect();
    assert_eq!(fields.len(), 78, "top -O lists {} fields", fields.len());
    let sorts: Vec<String> = fields
        .iter()
        .flat_map(|f| [f.to_string(), format!("+{f}")])
        .collect();
    // Each run of either top sleeps through its priming pass: run eight sorts at a time.
    let check = |sort: &String| {
        let args = ["-b", "-n1", "-w", "200", "-o", sort, "-p", &list];
        // Values of idle processes hold still; one retry covers a process that woke up.
        (0..2).any(|_| {
            let want = pid_order(&stdout(&run(&mut tool("top", args))));
            let got = pid_order(&stdout(&run(&mut gopsi(
                std::iter::once("top").chain(args),
            ))));
            assert_eq!(want.len(), pids.len(), "procps top -o {sort} lost rows");
            want == got
        })
    };
    let wrong: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = sorts
            .chunks(sorts.len().div_ceil(8))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter(|x| !check(x))
                        .cloned()
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a sort thread"))
            .collect()
    });
    assert!(
        wrong.is_empty(),
        "{} of {} sorts differ from procps: {wrong:?}",
        wrong.len(),
        sorts.len()
    );
}

/// Seconds from `[[DD-]HH:]MM:SS`, `MMM:SS` or a plain number.
fn clock_secs(t: &str) -> Option<i64> {
    let (days, rest) = match t.split_once('-') {
        Some((d, r)) => (d.parse::<i64>().ok()?, r),
        None => (0, t),
    };
    let mut secs = 0;
    for part in rest.split(':') {
        secs = secs * 60 + part.trim().parse::<i64>().ok()?;
    }
    Some(days * 86400 + secs)
}

/// Decimal places of a number as printed.
fn decimals(t: &str) -> i32 {
    t.split_once('.').map_or(0, |(_, d)| d.len() as i32)
}

/// Keys whose cells print their number in hexadecimal (signal masks cut to their low 32 bits
/// with a `<` when wider; addresses).
const HEX: &[&str] = &[
    "pending",
    "sig_pend",
    "tsig",
    "blocked",
    "ignored",
    "caught",
    "sig_catch",
    "stackp",
    "esp",
    "eip",
];

/// Whether a JSON value says what a text cell shows, for a key with the given unit suffix.
fn agrees(key: &str, json: &serde_json::Value, cell: &str, hz: f64) -> bool {
    use serde_json::Value as J;
    match json {
        J::Null => !cell.bytes().any(|b| b.is_ascii_digit()),
        J::String(s) => s == cell,
        J::Number(n) => {
            let v = n.as_f64().unwrap_or(f64::NAN);
            if key.ends_with("_ticks_after_boot") {
                // A point in time: checked through lstart below.
                true
            } else if key.ends_with("_ticks") {
                clock_secs(cell) == Some((v / hz) as i64)
            } else if key.ends_with("_s") {
                clock_secs(cell).is_some_and(|s| (s as f64 - v).abs() <= 1.0)
            } else if key == "pss_kib" || key == "uss_kib" {
                // PSS splits each shared page among the processes mapping it, the reading one
                // included, and USS counts only the pages no other process maps: gopsi's JSON
                // and text runs map different parts of libc.
                cell.parse::<f64>()
                    .is_ok_and(|shown| (shown - v).abs() <= 1.0 + shown / 100.0)
            } else if HEX.contains(&key) {
                let digits = cell.trim_start_matches('<');
                let shown = u64::from_str_radix(digits, 16).unwrap_or(u64::MAX);
                let v = n.as_u64().or(n.as_i64().map(|i| i as u64)).unwrap_or(0);
                let mask = if cell.starts_with('<') {
                    0xffff_ffff
                } else {
                    u64::MAX
                };
                shown == v & mask
            } else {
                let Ok(shown) = cell.parse::<f64>() else {
                    return false;
                };
                (shown - v).abs() <= 0.5 * 10f64.powi(-decimals(cell)) + 1e-9
            }
        }
        _ => false,
    }
}

#[test]
fn ps_json_values_equal_the_cells() {
    if !procps_is_oracle() {
        return skip(
            "ps_json_values_equal_the_cells",
            "procps-ng 4.0.2 ps missing",
        );
    }
    let Some((_fx, pids)) = varied() else {
        return skip("ps_json_values_equal_the_cells", "python3 missing");
    };
    let list = pids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let hz = stdout(&run(Command::new("getconf").arg("CLK_TCK")))
        .trim()
        .parse::<f64>()
        .unwrap_or(100.0);
    let specs = stdout(&run(&mut tool("ps", ["L"])));
    let specs: Vec<&str> = specs
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|s| !s.starts_with('_'))
        .collect();
    assert!(specs.len() > 150, "ps L lists {} specifiers", specs.len());
    let mut wrong = Vec::new();
    for spec in &specs {
        // Wide enough that no cell is cut; JSON cells are never cut.
        // Both list the rows in pid order. A text run before and one after the JSON run:
        // a value that ticks between reads (lifetime %CPU, PSS) must agree with one of them.
        let fmt = format!("{spec}:300");
        let cells = || {
            stdout(&run(&mut gopsi([
                "ps",
                "--no-headers",
                "-o",
                &fmt,
                "-p",
                &list,
            ])))
        };
        let before = cells();
        let json = run(&mut gopsi(["ps", "--json", "-o", spec, "-p", &list]));
        let after = cells();
        let rows: serde_json::Value = serde_json::from_slice(&json.stdout)
            .unwrap_or_else(|e| panic!("ps --json -o {spec}: {e}"));
        let rows = rows.as_array().expect("an array");
        assert_eq!(rows.len(), pids.len(), "ps --json -o {spec} rows");
        for ((row, b), a) in rows.iter().zip(before.lines()).zip(after.lines()) {
            let obj = row.as_object().expect("an object");
            let (key, value) = obj
                .iter()
                .next()
                .unwrap_or_else(|| panic!("no key for {spec}: {row}"));
            let between = match (
                value.as_f64(),
                b.trim().parse::<f64>(),
                a.trim().parse::<f64>(),
            ) {
                (Some(v), Ok(x), Ok(y)) => x.min(y) <= v && v <= x.max(y),
                _ => false,
            };
            if !between && !agrees(key, value, b.trim(), hz) && !agrees(key, value, a.trim(), hz) {
                wrong.push(format!(
                    "{spec} ({key}): json {value} cells {:?} then {:?}",
                    b.trim(),
                    a.trim()
                ));
                break;
            }
        }
    }
    // Points in time: lstart's text is the whole ctime, which the ticks must give.
    let btime: f64 = std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("btime ")?.trim().parse().ok())
        })
        .expect("btime");
    let j = run(&mut gopsi([
        "ps",
        "--json",
        "-o",
        "pid,lstart",
        "-p",
        &list,
    ]));
    let t = stdout(&run(&mut gopsi([
        "ps",
        "--no-headers",
        "-o",
        "lstart",
        "-p",
        &list,
    ])));
    let rows: serde_json::Value = serde_json::from_slice(&j.stdout).expect("JSON");
    for (row, line) in rows.as_array().expect("array").iter().zip(t.lines()) {
        let ticks = row["lstart_ticks_after_boot"].as_f64().expect("ticks");
        let epoch = (btime + (ticks / hz).floor()) as i64;
        let shown = stdout(&run(Command::new("date")
            .env("TZ", "UTC")
            .env("LC_ALL", "C")
            .args(["-d", &format!("@{epoch}"), "+%a %b %e %H:%M:%S %Y"])));
        if shown.trim() != line.trim() {
            wrong.push(format!(
                "lstart: ticks {ticks} are {shown:?}, cell {line:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} specifiers disagree:\n{}",
        wrong.len(),
        specs.len(),
        wrong.join("\n")
    );
}
