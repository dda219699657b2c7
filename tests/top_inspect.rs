//! top's `Y` (inspect), `g` (field groups) and the toprc's saved filters against procps-ng 4.0.2's, side by side in tmux with attributes
//! (`capture-pane -e`): without a toprc (procps's "to enable" prompt), with a toprc and no
//! entries (the demo entries), and with `file` and `pipe` entries (control bytes, bytes that
//! are not UTF-8, UTF-8 text, a missing file), through the PID prompt and its errors, the
//! selection screen (Left/Right wrapping, End/Home), the view (every scrolling key, `L`/`/`,
//! `&`/`n`, `=`), and back. Masked, because they change between two captures: the clock,
//! load, CPU and memory lines of the task screen, and the `SigQ:` line of `/proc/PID/status`
//! (signals queued for the user, any process's). Then gopsi alone, where procps differs on
//! purpose: C1 control characters are `?` (procps writes them raw), and Ctrl-C ends a running
//! pipe (procps 4.0.2 reads it as a key only once the pipe has ended).

use crate::common::*;
use crate::toprc::{Session, fresh_home, gopsi_top, skip_unless_ready, top_cmd};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// procps's `W` in a fresh home: the toprc every case starts from.
fn procps_toprc(home: &Path) -> String {
    let name = format!("gopsi-insp-w-{}", std::process::id());
    let s =
        Session::start_sized(&name, &top_cmd("top", home, "-d 60"), 100, 30).expect("tmux session");
    s.wait("the first frame", |t| t.contains("  PID "));
    s.key("W");
    s.wait("the write", |t| t.contains("Wrote configuration"));
    s.key("q");
    std::fs::read_to_string(home.join(".config/procps/toprc")).expect("procps wrote no toprc")
}

fn masked(screen: &str) -> String {
    screen
        .lines()
        .map(|l| {
            if ["top - ", "%Cpu", "MiB Mem", "MiB Swap"]
                .iter()
                .any(|p| l.starts_with(p))
            {
                "<summary>".to_string()
            } else if let Some(i) = l.find("SigQ:") {
                format!("{}SigQ: <masked>", &l[..i])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Plays `steps` (each sent as one tmux key argument) in one top; the masked screen after each.
fn play(
    tag: &str,
    prog: &str,
    home: &Path,
    pids: &str,
    size: (u16, u16),
    steps: &[&str],
) -> Vec<String> {
    let name = format!("gopsi-insp-{}-{tag}", std::process::id());
    let args = format!("-d 60 -o PID -p {pids}");
    // tmux's own TERM: procps reads Home/End/PgUp/PgDn through its terminfo entry, and under
    // TERM=xterm it does not know tmux's End (gopsi takes every common form).
    let cmd = format!(
        "env -u XDG_CONFIG_HOME -u COLUMNS -u LINES HOME={} LC_ALL=C.UTF-8 TZ=UTC {prog} {args}",
        home.display()
    );
    let s = Session::start_sized(&name, &cmd, size.0, size.1).expect("tmux session");
    s.wait("the first frame", |t| t.contains("  PID "));
    let mut got = Vec::new();
    for k in steps {
        s.key(k);
        got.push(masked(&settled(&s)));
    }
    got
}

/// The screen once two captures 120 ms apart agree (top has drawn what the key asked for;
/// a message is held 1.25 s, so it is caught in both tops alike), at most 5 s.
fn settled(s: &Session) -> String {
    let mut last = s.screen_attrs();
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(120));
        let now = s.screen_attrs();
        if now == last {
            break;
        }
        last = now;
    }
    last
}

fn compare(tag: &str, home: &Path, pids: &str, size: (u16, u16), steps: &[&str]) {
    let want = play(&format!("{tag}-p"), "top", home, pids, size, steps);
    let got = play(&format!("{tag}-g"), &gopsi_top(), home, pids, size, steps);
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        assert_eq!(
            g,
            w,
            "{tag}: after {:?} (step {i})\nprocps:\n{w}\ngopsi:\n{g}",
            &steps[..=i]
        );
    }
}

/// Six idle `sleep`s: procps's selection screen names the task at the position of the entry
/// count (a procps bug that crashes it with fewer tasks than entries); with only `sleep`s
/// the name shown is the same.
/// Also their PIDs as a `-p` list.
fn sleepers() -> (Fixtures, Vec<i32>, String) {
    let mut f = Fixtures::new();
    let pids: Vec<i32> = (0..6)
        .map(|_| f.spawn(Command::new("sleep").arg("7332")))
        .collect();
    std::thread::sleep(Duration::from_millis(150));
    let list = pids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    (f, pids, list)
}

const ENTRIES: &str = "pipe\tEcho\tprintf 'x\\001y\\377z\\nno newline'\n\
file\tStatus\t/proc/%d/status\n\
file\tMissing\t/nonexistent/%d\n\
pipe\tUtf8\tprintf 'caf\\303\\251 \\001 \\177 end\\n'\n";

#[test]
fn top_inspect_matches_procps() {
    let name = "top_inspect_matches_procps";
    if !skip_unless_ready(name) {
        return;
    }
    let (_f, pids, list) = sleepers();
    let low = pids.iter().min().unwrap().to_string();

    // No toprc: procps's prompt on how to enable `Y`.
    let none = fresh_home("insp-none");
    compare(
        "none",
        &none,
        &list,
        (100, 30),
        &["Y", "Enter", "Y", "Escape"],
    );

    // A toprc without entries: the three demo entries and their text.
    let demo = fresh_home("insp-demo");
    let rc = procps_toprc(&demo);
    compare(
        "demo",
        &demo,
        &list,
        (100, 30),
        &[
            "Y", "Enter", "Enter", "=", "x", "L", "Enjoy", "Enter", "Enter", "Right", "Right",
            "Right", "Enter", "End", "PgUp", "q",
        ],
    );

    // Real entries, appended to procps's own file as its man page shows.
    let real = fresh_home("insp-real");
    std::fs::create_dir_all(real.join(".config/procps")).unwrap();
    std::fs::write(real.join(".config/procps/toprc"), format!("{rc}{ENTRIES}")).unwrap();
    let steps: Vec<&str> = vec![
        "Y", &low, "Enter", // the selection screen
        "Enter", "=", "x", "Right", "Left", // the pipe's view: ^A, <FF>, ^@
        "Enter", "Right", "Enter", // /proc/PID/status
        "Down", "Down", "Right", "End", "PgUp", "g", "Space", "b", "G", "Home", "PgDn", "Up", "L",
        "Sig", "Enter", "&", "n", "&", "&", "&", "&", // every match, then "another"
        "/", "zzz", "Enter", // not found
        "Enter", "Right", "Enter", "Enter", // the missing file
        "Right", "Enter", "Enter", // UTF-8 text
        "Right", "Left", "Left", "End", "Home", "q", // back to the tasks
        "Y", "Enter", "Escape", // the default PID
        "Y", "99999", "Enter", // not found
        "Y", "abc", "Enter", // not a number
    ];
    compare("real", &real, &list, (100, 30), &steps);
    compare(
        "small",
        &real,
        &list,
        (80, 24),
        &[
            "Y", &low, "Enter", "Right", "Enter", "PgDn", "Right", "Enter", "End", "q",
        ],
    );
    let _ = std::fs::remove_dir_all(&none);
    let _ = std::fs::remove_dir_all(&demo);
    let _ = std::fs::remove_dir_all(&real);
}

#[test]
fn top_inspect_escapes_c1_and_ends_pipes_on_ctrl_c() {
    let name = "top_inspect_escapes_c1_and_ends_pipes_on_ctrl_c";
    if !have("tmux") {
        return skip(name, "tmux is not installed");
    }
    let (_f, _, list) = sleepers();
    let home = fresh_home("insp-own");
    std::fs::create_dir_all(home.join(".config/procps")).unwrap();
    let tag = format!("gopsi-insp-slow-{}", std::process::id());
    std::fs::write(
        home.join(".config/procps/toprc"),
        format!(
            "{}pipe\tC1\tprintf '\\302\\233[31mred\\033]0;t\\007\\n'\n\
             pipe\tSlow\tsleep 77 # {tag}\n",
            gopsi::top::toprc::format(&gopsi::top::toprc::Toprc::default(), "top")
        ),
    )
    .unwrap();
    let s = Session::start_sized(
        &format!("{tag}-s"),
        &top_cmd(&gopsi_top(), &home, &format!("-d 60 -p {list}")),
        100,
        30,
    )
    .expect("tmux session");
    s.wait("the first frame", |t| t.contains("  PID "));
    for k in ["Y", "Enter", "Enter"] {
        s.key(k);
    }
    // A C1 byte or an ESC written raw would have been taken by the terminal: the text shows
    // gopsi wrote them as text.
    let raw = s.screen();
    assert!(raw.contains("?[31mred^[]0;t^G"), "{raw}");
    for k in ["Enter", "Right", "Enter"] {
        s.key(k);
    }
    s.wait("the pipe", |t| t.contains("working, use Ctrl-C to end ..."));
    let running = || {
        dir_names("/proc").iter().any(|p| {
            std::fs::read(format!("/proc/{p}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&tag))
        })
    };
    assert!(running(), "the pipe's shell is not running");
    s.keys(&["C-c"]);
    let t = s.wait("the view after Ctrl-C", |t| t.contains("Slow: 0-0 lines"));
    assert!(t.contains("Inspection View at pid"), "{t}");
    for _ in 0..100 {
        if !running() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!running(), "Ctrl-C left the pipe running");
    let _ = std::fs::remove_dir_all(&home);
}

/// `g` (choose a field group: `1`-`4`, `a`, `w`) in full-screen mode, each window with its own
/// fields and sort; the alternate-display keys' message; the toprc `W` writes after them (the
/// same bytes from both tops); then `u`, which drops the `-p` list as procps's does.
#[test]
fn top_field_groups_match_procps() {
    let name = "top_field_groups_match_procps";
    if !skip_unless_ready(name) {
        return;
    }
    if !is_root() {
        return skip(name, "not root: no fixture process under another uid");
    }
    let (mut f, _, list) = sleepers();
    // Two more under a uid of their own (one per test process: other runs of this suite may
    // be running at the same time), outside the -p list.
    let uid = (40_000 + std::process::id() % 20_000).to_string();
    let (reuid, regid) = (format!("--reuid={uid}"), format!("--regid={uid}"));
    for _ in 0..2 {
        f.spawn(Command::new("setpriv").args([
            reuid.as_str(),
            regid.as_str(),
            "--clear-groups",
            "sleep",
            "7334",
        ]));
    }
    std::thread::sleep(Duration::from_millis(150));
    let steps = [
        "g", "2", "M", "g", "3", "g", "2", "g", "a", "g", "w", "g", "x", "a", "w", "G", "-", "_",
        "+", "g", "4", "R", "g", "1", "W",
    ];
    let mut written = Vec::new();
    for (tag, prog) in [("p", "top".to_string()), ("g", gopsi_top())] {
        // One path for both: the `W` message names it.
        let home = fresh_home("groups");
        let mut all = steps.to_vec();
        all.extend(["u", uid.as_str(), "Enter"]);
        written.push((
            play(
                &format!("groups-{tag}"),
                &prog,
                &home,
                &list,
                (100, 30),
                &all,
            ),
            std::fs::read_to_string(home.join(".config/procps/toprc")).unwrap_or_default(),
        ));
        let _ = std::fs::remove_dir_all(&home);
    }
    let ((want, want_rc), (got, got_rc)) = (&written[0], &written[1]);
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        // After `u` the -p list is gone: the task count is the machine's.
        let tasks = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with("Tasks:"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            tasks(g),
            tasks(w),
            "after step {i}\nprocps:\n{w}\ngopsi:\n{g}"
        );
    }
    assert!(
        want.last().unwrap().contains(" sleep"),
        "{}",
        want.last().unwrap()
    );
    assert!(want_rc.contains("Curwin=0"), "{want_rc}");
    assert_eq!(got_rc, want_rc, "the toprc written after the field groups");
}

/// The toprc's "other filter" block both ways: procps's `W` saves `o`/`O` filters of two
/// windows; both tops then show the same batch frame (the filters applied) and the same `^O`
/// lists in each window, and gopsi's `W` writes the same bytes back.
#[test]
fn toprc_other_filters_both_ways() {
    let name = "toprc_other_filters_both_ways";
    if !skip_unless_ready(name) {
        return;
    }
    let (_f, pids, list) = sleepers();
    let out = format!("!PID={}", pids[1]);
    let home = fresh_home("osel");
    let typed = [
        "o",
        "COMMAND=SLE",
        "Enter",
        "O",
        &out,
        "Enter",
        "g",
        "3",
        "o",
        "%MEM<9",
        "Enter",
        "g",
        "1",
        "W",
    ];
    play("osel-w", "top", &home, &list, (100, 30), &typed);
    let rc_path = home.join(".config/procps/toprc");
    let written = std::fs::read_to_string(&rc_path).expect("procps wrote no toprc");
    assert!(written.contains("window #2, osel_tot=1"), "{written}");
    let p = list.as_str();
    let (rs, rt, _) = crate::toprc::batch("top", &home, &["-b", "-n1", "-p", p]);
    let (gs, gt, ge) = crate::toprc::batch("gopsi", &home, &["-b", "-n1", "-p", p]);
    assert_eq!((rs, gs), (0, 0), "{ge}");
    let rows = |t: &str| t.lines().skip(6).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(rows(&gt), rows(&rt), "batch under the saved filters");
    assert_eq!(
        rows(&rt).len(),
        6,
        "one of six excluded, plus the header:\n{rt}"
    );
    let steps = ["C-o", "Enter", "g", "3", "C-o", "Enter", "g", "1", "W"];
    let want = play("osel-p", "top", &home, &list, (100, 30), &steps);
    std::fs::write(&rc_path, &written).unwrap();
    let got = play("osel-g", &gopsi_top(), &home, &list, (100, 30), &steps);
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        assert_eq!(g, w, "after {:?}", &steps[..=i]);
    }
    assert_eq!(
        std::fs::read_to_string(&rc_path).unwrap(),
        written,
        "gopsi's W after reading procps's filters"
    );
    let _ = std::fs::remove_dir_all(&home);
}
