//! The interactive `gopsi top` beside procps-ng 4.0.2's `top` under tmux for the keys that
//! change the task area's layout: `j`/`J` justification, `X` width increments, PgUp/PgDn
//! paging (with `n` window limits) and `L`'s highlight of the located string (attributes
//! compared with `capture-pane -e`). Rows are restricted to fixture `sleep`s with `-p`.

use crate::common::*;
use std::process::Command;
use std::time::Duration;

fn tmux(args: &[&str]) -> String {
    stdout(&run(Command::new("tmux").args(args)))
}

/// Kills its tmux session when dropped.
struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

/// Runs procps's top and then gopsi's under tmux (120x30, an empty HOME, `-d 60 -p PIDS`),
/// plays each step's keys and captures the screen from the message row down (`-e` keeps the
/// attributes). The summary lines above it change between the two runs (clock, load, CPU
/// and memory figures), so they are left out; the fixture rows (idle `sleep`s) do not change.
/// A step `["WAIT"]` only waits for a message to go. `None` when tmux cannot start a session.
fn screens(label: &str, pids: &str, steps: &[&[&str]], attrs: bool) -> Option<[Vec<String>; 2]> {
    let home = empty_home();
    let tag = std::process::id();
    let mut out: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for (n, top) in [
        "top".to_string(),
        format!("{} top", env!("CARGO_BIN_EXE_gopsi")),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("gopsi-keys-{label}-{n}-{tag}");
        let cmd = format!(
            "env -u COLUMNS -u LINES HOME={} LC_ALL=C.UTF-8 TZ=UTC {top} -d 60 -p {pids}",
            home.display()
        );
        let ok = run(Command::new("tmux").args([
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "30",
            "-s",
            &name,
            &cmd,
        ]));
        if !ok.status.success() {
            return None;
        }
        let _s = Session(name.clone());
        for _ in 0..100 {
            if tmux(&["capture-pane", "-p", "-t", &name]).contains("  PID USER") {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        for keys in steps {
            if keys == &["WAIT"] {
                // A message is on: procps holds it 1.25 s and drops the keys typed meanwhile.
                std::thread::sleep(Duration::from_millis(1500));
                continue;
            }
            let mut args = vec!["send-keys", "-t", name.as_str()];
            args.extend_from_slice(keys);
            tmux(&args);
            std::thread::sleep(Duration::from_millis(500));
            let mut cap = vec!["capture-pane", "-p", "-t", name.as_str()];
            if attrs {
                cap.push("-e");
            }
            let screen = tmux(&cap);
            let lines: Vec<&str> = screen.lines().collect();
            let hdr = lines.iter().position(|l| l.contains("PID ")).unwrap_or(1);
            let from = hdr.saturating_sub(1);
            out[n].push(format!("{keys:?}:\n{}", lines[from..].join("\n")));
        }
        tmux(&["send-keys", "-t", &name, "q"]);
    }
    Some(out)
}

/// Starts `n` idle sleeps and returns their pids joined for `-p`.
fn sleeps(f: &mut Fixtures, n: usize) -> String {
    let pids: Vec<i32> = (0..n)
        .map(|_| f.spawn(Command::new("sleep").arg("300")))
        .collect();
    f.settle(&pids, &[]);
    pids.iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn ready(name: &str) -> bool {
    if !have("tmux") {
        skip(name, "tmux is not installed");
        return false;
    }
    if !procps_is_oracle() {
        skip(name, "procps-ng 4.0.2 top is not installed");
        return false;
    }
    true
}

fn check(name: &str, label: &str, pids: &str, steps: &[&[&str]], attrs: bool) {
    let Some([procps, gopsi]) = screens(label, pids, steps, attrs) else {
        return skip(name, "tmux cannot start a session here");
    };
    assert_eq!(procps.len(), gopsi.len());
    for (a, b) in procps.iter().zip(&gopsi) {
        assert_eq!(b, a, "gopsi (left) and procps (right) differ");
    }
}

#[test]
fn top_keys_justify_as_procps() {
    let name = "top_keys_justify_as_procps";
    if !ready(name) {
        return;
    }
    let mut f = Fixtures::new();
    let pids = sleeps(&mut f, 3);
    // `J` numbers left, `j` text right, both back.
    let steps: &[&[&str]] = &[&["J"], &["j"], &["J"], &["j"]];
    check(name, "just", &pids, steps, false);
}

#[test]
fn top_keys_width_increment_as_procps() {
    let name = "top_keys_width_increment_as_procps";
    if !ready(name) {
        return;
    }
    let mut f = Fixtures::new();
    let pids = sleeps(&mut f, 3);
    // The prompt, a wider USER column, the prompt with the new value, a bad answer (its
    // message), and `X 0` back to the default widths.
    let steps: &[&[&str]] = &[
        &["X"],
        &["3", "Enter"],
        &["X"],
        &["9", "Enter"],
        &["X"],
        &["abc", "Enter"],
        &["WAIT"],
        &["X"],
        &["0", "Enter"],
    ];
    check(name, "widx", &pids, steps, false);
}

#[test]
fn top_keys_page_as_procps() {
    let name = "top_keys_page_as_procps";
    if !ready(name) {
        return;
    }
    let mut f = Fixtures::new();
    // `-p` takes at most 20 pids; with `n 5` procps pages by 3 rows.
    let pids = sleeps(&mut f, 20);
    let steps: &[&[&str]] = &[
        &["PgDn"],
        &["PgDn"],
        &["PgUp"],
        &["PgUp"],
        &["n"],
        &["5", "Enter"],
        &["PgDn"],
        &["PgDn"],
        &["PgDn"],
        &["PgUp"],
        &["n"],
        &["1", "Enter"],
        &["PgDn"],
        &["PgUp"],
        &["i"],
        &["PgDn"],
    ];
    check(name, "page", &pids, steps, false);
}

#[test]
fn top_keys_locate_highlight_as_procps() {
    let name = "top_keys_locate_highlight_as_procps";
    if !ready(name) {
        return;
    }
    let mut f = Fixtures::new();
    let pids = sleeps(&mut f, 3);
    // Every occurrence in every shown row in reverse video, at a row's end and inside it.
    let steps: &[&[&str]] = &[
        &["L"],
        &["sleep", "Enter"],
        &["Home"],
        &["L"],
        &["0 ", "Enter"],
        &["Home"],
        &["L"],
        &["Enter"],
    ];
    check(name, "lochi", &pids, steps, true);
}
