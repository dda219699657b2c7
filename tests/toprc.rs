//! top's configuration file both ways against the installed procps-ng 4.0.2 top: a toprc that
//! procps's `W` wrote (in tmux, under a fresh HOME) is read by `gopsi top` to the same header
//! and rows (batch and the first interactive screen), the file gopsi's `W` writes for the
//! same keys is byte for byte procps's, where the file is looked for, and a refused file.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn top_is_oracle() -> bool {
    procps_is_oracle() && have("top")
}

pub(crate) fn fresh_home(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gopsi-toprc-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn tmux(args: &[&str]) -> String {
    stdout(&run(Command::new("tmux").args(args)))
}

/// A detached tmux session, killed when dropped.
pub(crate) struct Session(String);

impl Session {
    fn start(name: &str, cmd: &str) -> Option<Session> {
        Session::start_sized(name, cmd, 120, 40)
    }

    /// A session `cols` x `rows` running `cmd`.
    pub(crate) fn start_sized(name: &str, cmd: &str, cols: u16, rows: u16) -> Option<Session> {
        let (c, r) = (cols.to_string(), rows.to_string());
        let ok = run(Command::new("tmux").args([
            "new-session",
            "-d",
            "-x",
            &c,
            "-y",
            &r,
            "-s",
            name,
            cmd,
        ]));
        ok.status.success().then(|| Session(name.to_string()))
    }

    pub(crate) fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    /// The screen with its attributes as SGR escapes (`capture-pane -e`).
    pub(crate) fn screen_attrs(&self) -> String {
        tmux(&["capture-pane", "-p", "-e", "-t", &self.0])
    }

    /// Waits (up to 60 s: procps is slow on a loaded machine) for the screen to satisfy `pred`.
    pub(crate) fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        for _ in 0..1200 {
            last = self.screen();
            if pred(&last) {
                return last;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {what} in session {}:\n{last}",
            self.0
        );
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys", "-t", &self.0];
        a.extend_from_slice(keys);
        tmux(&a);
    }

    /// The top running in the pane (the shell's descendant named top or gopsi).
    fn top_pid(&self) -> Option<i32> {
        let pane: i32 = tmux(&["list-panes", "-t", &self.0, "-F", "#{pane_pid}"])
            .trim()
            .parse()
            .ok()?;
        let mut todo = vec![pane];
        while let Some(p) = todo.pop() {
            let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            if matches!(comm.trim(), "top" | "gopsi") {
                return Some(p);
            }
            todo.extend(children_of(p));
        }
        None
    }

    /// Sends one key and waits (up to 10 s) until top has blocked again after reading it:
    /// procps flushes its terminal's input after every read, so a key typed while it is still
    /// drawing the previous one's frame would be lost.
    pub(crate) fn key(&self, k: &str) {
        let pid = self.top_pid();
        let switches = |p: i32| {
            std::fs::read_to_string(format!("/proc/{p}/status"))
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("voluntary_ctxt_switches:"))
                        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                })
                .unwrap_or(0)
        };
        let before = pid.map_or(0, switches);
        self.keys(&[k]);
        for _ in 0..500 {
            std::thread::sleep(Duration::from_millis(20));
            if pid.is_none_or(|p| switches(p) > before) {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .status();
    }
}

/// One step of an interactive session: a key, or a prompt to wait for and its answer.
#[derive(Clone, Copy)]
enum Step {
    Key(&'static str),
    Answer(&'static str, &'static str),
}

/// The shell command running `prog top ARGS` under `home` in tmux.
pub(crate) fn top_cmd(prog: &str, home: &Path, args: &str) -> String {
    format!(
        "env -u XDG_CONFIG_HOME -u COLUMNS -u LINES HOME={} LC_ALL=C.UTF-8 TZ=UTC TERM=xterm {prog} {args}; echo TOP-EXITED $?; sleep 60",
        home.display()
    )
}

pub(crate) fn gopsi_top() -> String {
    format!("{} top", env!("CARGO_BIN_EXE_gopsi"))
}

/// Runs a top in tmux under `home`, plays `steps`, presses `W` and `q`; returns the screen
/// right after `W`.
fn play_and_write(tag: &str, prog: &str, home: &Path, steps: &[Step]) -> Option<String> {
    let name = format!("gopsi-toprc-{}-{tag}", std::process::id());
    let s = Session::start(&name, &top_cmd(prog, home, "-d 2"))?;
    s.wait("the first frame", |t| t.contains("  PID "));
    for st in steps {
        match *st {
            Step::Key(k) => s.key(k),
            Step::Answer(key, answer) => {
                s.key(key);
                let prompt = match key {
                    "n" => "Maximum tasks",
                    _ => "Change delay",
                };
                s.wait(prompt, |t| t.contains(prompt));
                for c in answer.chars() {
                    s.key(&c.to_string());
                }
                s.key("Enter");
                s.wait("the prompt to go", |t| !t.contains(prompt));
            }
        }
    }
    s.key("W");
    let shown = s.wait("W's message", |t| t.contains("Wrote configuration to"));
    s.keys(&["q"]);
    s.wait("top to exit", |t| t.contains("TOP-EXITED"));
    Some(shown)
}

fn rc_path(home: &Path) -> PathBuf {
    home.join(".config/procps/toprc")
}

/// `top -b -n1 ARGS` under `home`: (status, stdout, stderr).
pub(crate) fn batch(prog: &str, home: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = if prog == "top" {
        tool("top", args)
    } else {
        gopsi(std::iter::once("top").chain(args.iter().copied()))
    };
    c.env("HOME", home);
    let o = run(&mut c);
    (
        o.status.code().unwrap_or(-1),
        stdout(&o),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A frame's shape: summary lines with every number masked (their labels and order stay),
/// the header exactly, and the fixture's row with busy cells masked.
fn shape(frame: &str, pid: i32) -> (Vec<String>, String, String) {
    let lines: Vec<&str> = frame.lines().collect();
    let blank = lines
        .iter()
        .position(|l| l.is_empty())
        .unwrap_or_else(|| panic!("no blank line:\n{frame}"));
    let summary = lines[..blank]
        .iter()
        .map(|l| {
            // Numbers (and their widths) change between runs; labels and their order do not.
            let mut out = String::new();
            for c in l.chars().filter(|c| !c.is_whitespace()) {
                let num = c.is_ascii_digit() || c == '.' || c == ':';
                if !(num && out.ends_with('#')) {
                    out.push(if num { '#' } else { c });
                }
            }
            out
        })
        .collect();
    let header = lines
        .get(blank + 1)
        .copied()
        .unwrap_or_default()
        .to_string();
    let row = lines
        .iter()
        .skip(blank + 2)
        .find(|l| l.split_whitespace().any(|w| w == pid.to_string()))
        .map(|l| mask_named(&header, l, &["%CPU", "TIME+", "TIME"]))
        .unwrap_or_default();
    (summary, header, row)
}

/// Masks the cells under the named header columns (right-aligned, up to the previous name).
fn mask_named(header: &str, row: &str, names: &[&str]) -> String {
    let mut r: Vec<char> = row.chars().collect();
    for name in names {
        let Some(start) = header
            .match_indices(name)
            .map(|(i, _)| i)
            .find(|&i| header[i + name.len()..].starts_with(' ') || i + name.len() == header.len())
        else {
            continue;
        };
        let end = start + name.len();
        let from = header[..start].trim_end().len();
        for c in r.iter_mut().take(end).skip(from) {
            *c = '#';
        }
    }
    r.into_iter().collect()
}

pub(crate) fn sleeper() -> (Fixtures, i32) {
    let mut f = Fixtures::default();
    let pid = f.spawn(Command::new("sleep").arg("7331"));
    std::thread::sleep(Duration::from_millis(100));
    (f, pid)
}

/// The keys played in both tops: command lines, sort by %MEM then one column left, reversed,
/// per-CPU lines, cumulative times, 5 tasks at most, a 1.5 s delay.
const STEPS: &[Step] = &[
    Step::Key("c"),
    Step::Key("M"),
    Step::Key("<"),
    Step::Key("R"),
    Step::Key("1"),
    Step::Key("S"),
    Step::Answer("n", "5"),
    Step::Answer("d", "1.5"),
];

pub(crate) fn skip_unless_ready(name: &str) -> bool {
    if !top_is_oracle() {
        skip(name, "procps-ng 4.0.2 top is not installed");
        return false;
    }
    if !have("tmux") {
        skip(name, "tmux is not installed");
        return false;
    }
    true
}

#[test]
fn toprc_written_by_procps_is_read_by_gopsi() {
    let name = "toprc_written_by_procps_is_read_by_gopsi";
    if !skip_unless_ready(name) {
        return;
    }
    let home = fresh_home("procps-writes");
    // In the field screen: hide one field, show another, then the common keys.
    let mut steps = vec![Step::Key("f"), Step::Key("Down"), Step::Key("d")];
    steps.extend(std::iter::repeat_n(Step::Key("Down"), 11));
    steps.extend([Step::Key("d"), Step::Key("q")]);
    steps.extend_from_slice(STEPS);
    let Some(_) = play_and_write("p", "top", &home, &steps) else {
        return skip(name, "tmux cannot start a session here");
    };
    let file = std::fs::read_to_string(rc_path(&home)).expect("procps wrote no toprc");
    assert!(file.contains("Delay_time=1.500"), "{file}");
    let (_f, pid) = sleeper();
    let p = pid.to_string();
    for args in [
        vec!["-b", "-n1", "-p", &p],
        vec!["-b", "-n1", "-p", &p, "-c", "-S", "-o", "PID", "-1"],
    ] {
        let (rs, rt, _) = batch("top", &home, &args);
        let (gs, gt, ge) = batch("gopsi", &home, &args);
        assert_eq!((rs, gs), (0, 0), "{args:?}: {ge}");
        let (a, b) = (shape(&rt, pid), shape(&gt, pid));
        assert_eq!(b.1, a.1, "{args:?}: header\nprocps:\n{rt}\ngopsi:\n{gt}");
        assert_eq!(b.0, a.0, "{args:?}: summary\nprocps:\n{rt}\ngopsi:\n{gt}");
        assert_eq!(b.2, a.2, "{args:?}: row\nprocps:\n{rt}\ngopsi:\n{gt}");
        // The field screen changed the columns (one hidden, one shown).
        let names: Vec<&str> = a.1.split_whitespace().collect();
        assert_ne!(names.len(), 0);
        assert_ne!(
            names,
            [
                "PID", "USER", "PR", "NI", "VIRT", "RES", "SHR", "S", "%CPU", "%MEM", "TIME+",
                "COMMAND"
            ],
            "{rt}"
        );
        assert_eq!(names.len(), 12, "{rt}");
    }
    // The first interactive screen: the same header line.
    let header = |prog: &str, tag: &str| {
        let s = Session::start(
            &format!("gopsi-toprc-{}-{tag}", std::process::id()),
            &top_cmd(prog, &home, "-d 5"),
        )
        .expect("tmux session");
        let t = s.wait("the first frame", |t| t.contains("  PID "));
        s.keys(&["q"]);
        t.lines()
            .find(|l| l.contains("  PID "))
            .unwrap_or_default()
            .trim_end()
            .to_string()
    };
    assert_eq!(header(&gopsi_top(), "gi"), header("top", "pi"));
}

#[test]
fn toprc_written_by_gopsi_is_procps_s() {
    let name = "toprc_written_by_gopsi_is_procps_s";
    if !skip_unless_ready(name) {
        return;
    }
    let (ph, gh) = (fresh_home("p-w"), fresh_home("g-w"));
    for (tag, steps) in [("plain", &[][..]), ("keys", STEPS)] {
        let _ = std::fs::remove_dir_all(ph.join(".config"));
        let _ = std::fs::remove_dir_all(gh.join(".config"));
        let Some(_) = play_and_write(&format!("pw-{tag}"), "top", &ph, steps) else {
            return skip(name, "tmux cannot start a session here");
        };
        let shown = play_and_write(&format!("gw-{tag}"), &gopsi_top(), &gh, steps).unwrap();
        let want = format!(" Wrote configuration to '{}'", rc_path(&gh).display());
        assert!(
            shown.lines().any(|l| l.trim_end() == want),
            "{tag}: no '{want}' line:\n{shown}"
        );
        let p = std::fs::read(rc_path(&ph)).unwrap();
        let g = std::fs::read(rc_path(&gh)).expect("gopsi wrote no toprc");
        assert_eq!(
            String::from_utf8_lossy(&g),
            String::from_utf8_lossy(&p),
            "{tag}: gopsi's toprc differs from procps's"
        );
        // procps reads gopsi's file to the layout gopsi reads it to.
        let (_f, pid) = sleeper();
        let pids = pid.to_string();
        let args = ["-b", "-n1", "-p", &pids];
        let (rs, rt, re) = batch("top", &gh, &args);
        let (gs, gt, _) = batch("gopsi", &gh, &args);
        assert_eq!((rs, gs), (0, 0), "{re}");
        assert_eq!(
            shape(&gt, pid),
            shape(&rt, pid),
            "{tag}\nprocps:\n{rt}\ngopsi:\n{gt}"
        );
    }
}

#[test]
fn toprc_locations_and_refusals_match_procps() {
    let name = "toprc_locations_and_refusals_match_procps";
    if !top_is_oracle() {
        return skip(name, "procps-ng 4.0.2 top is not installed");
    }
    // A file that hides USER and sorts by PID, ascending (procps's own default file, edited).
    let base = {
        let h = fresh_home("base");
        let (s, _, e) = batch("top", &h, &["-b", "-n1"]);
        assert_eq!(s, 0, "{e}");
        // procps made the directories (gopsi must too).
        assert!(h.join(".config/procps").is_dir());
        gopsi::top::toprc::format(&gopsi::top::toprc::Toprc::default(), "top")
            .replace("double_up=1", "double_up=0")
    };
    let edited = base
        .replacen("  75   81 ", "  75   80 ", 1)
        .replacen("sortindx=18", "sortindx=0", 1)
        .replacen("winflags=193844", "winflags=193840", 1);
    let (_f, pid) = sleeper();
    let p = pid.to_string();
    let args = ["-b", "-n1", "-p", &p];
    let same = |home: &Path, env: &[(&str, &str)], what: &str| {
        let mut r = tool("top", args);
        let mut g = gopsi(std::iter::once("top").chain(args));
        for c in [&mut r, &mut g] {
            c.env("HOME", home);
            for (k, v) in env {
                c.env(k, v);
            }
        }
        let (r, g) = (run(&mut r), run(&mut g));
        let (rt, gt) = (stdout(&r), stdout(&g));
        assert_eq!(g.status.code(), r.status.code(), "{what}");
        assert_eq!(
            String::from_utf8_lossy(&g.stderr),
            String::from_utf8_lossy(&r.stderr),
            "{what}"
        );
        if r.status.success() {
            assert_eq!(shape(&gt, pid), shape(&rt, pid), "{what}\n{rt}\n{gt}");
        }
        rt
    };
    // ~/.config/procps/toprc.
    let h = fresh_home("xdg-default");
    std::fs::create_dir_all(h.join(".config/procps")).unwrap();
    std::fs::write(rc_path(&h), &edited).unwrap();
    let t = same(&h, &[], "~/.config/procps/toprc");
    assert!(!t.contains("USER"), "{t}");
    // The legacy ~/.toprc wins over it.
    std::fs::write(h.join(".toprc"), &base).unwrap();
    let t = same(&h, &[], "~/.toprc first");
    assert!(t.contains("USER"), "{t}");
    // $XDG_CONFIG_HOME (absolute) instead of ~/.config; a relative one is ignored.
    let h = fresh_home("xdg");
    let x = h.join("x");
    std::fs::create_dir_all(x.join("procps")).unwrap();
    std::fs::write(x.join("procps/toprc"), &edited).unwrap();
    let t = same(
        &h,
        &[("XDG_CONFIG_HOME", x.to_str().unwrap())],
        "XDG_CONFIG_HOME",
    );
    assert!(!t.contains("USER"), "{t}");
    let t = same(&h, &[("XDG_CONFIG_HOME", "x")], "relative XDG_CONFIG_HOME");
    assert!(t.contains("USER"), "{t}");
    // Refused files: procps's message and status 1, before the arguments are looked at.
    let h = fresh_home("bad");
    std::fs::create_dir_all(h.join(".config/procps")).unwrap();
    for bad in [
        String::new(),
        "garbage\n".to_string(),
        base.replace("Id:k", "Id:c"),
        base.replace("Curwin=0", "Curwin=7"),
        base.replacen("sortindx=18", "sortindx=78", 1),
        base.replacen("taskclr=6", "taskclr=300", 1),
        base.replacen("  75   81 ", "  81   81 ", 1),
        base.replace("\tsummclr=5, msgsclr=5, headclr=4, taskclr=5\n", ""),
    ] {
        std::fs::write(rc_path(&h), &bad).unwrap();
        same(&h, &[], &format!("refused file {bad:.60?}"));
        let mut r = tool("top", ["-h"]);
        let mut g = gopsi(["top", "-h"]);
        r.env("HOME", &h);
        g.env("HOME", &h);
        let (r, g) = (run(&mut r), run(&mut g));
        assert_eq!(g.status.code(), r.status.code());
        assert_eq!(g.stderr, r.stderr);
    }
    // A file procps reads, with values out of range on its optional last line.
    std::fs::write(
        rc_path(&h),
        base.replace(
            "Summ_mscale=1, Task_mscale=0",
            "Summ_mscale=2, Task_mscale=3",
        ),
    )
    .unwrap();
    let t = same(&h, &[], "scales");
    assert!(t.contains("GiB Mem"), "{t}");
    std::fs::write(rc_path(&h), base.replace("Mode_irixps=1", "Mode_irixps=0")).unwrap();
    same(&h, &[], "solaris mode");
}

/// A toprc as procps 3.3.17 wrote them (id `j`, one character per field: the field + 37, the
/// high bit when shown), built from field lists.
fn procps3_toprc() -> Vec<u8> {
    let win = |name: &str, shown: &[u8], sort: u8, clr: [u8; 4]| {
        let mut v = format!("{name}\tfieldscur=").into_bytes();
        let rest = (0..86u8).filter(|f| !shown.contains(f));
        v.extend(shown.iter().map(|f| (f + 37) | 0x80));
        v.extend(rest.map(|f| f + 37));
        v.extend(
            format!(
                "\n\twinflags=193844, sortindx={sort}, maxtasks=0, graph_cpus=0, graph_mems=0, double_up=0, combine_cpus=0\n\tsummclr={}, msgsclr={}, headclr={}, taskclr={}\n",
                clr[0], clr[1], clr[2], clr[3]
            )
            .bytes(),
        );
        v
    };
    let mut t = b"top's Config File (Linux processes with windows)\nId:j, Mode_altscr=0, Mode_irixps=1, Delay_time=2.0, Curwin=0\n".to_vec();
    t.extend(win(
        "Def",
        &[0, 1, 3, 14, 15, 22, 24, 31, 18, 21, 20, 32],
        21,
        [1, 1, 3, 1],
    ));
    t.extend(win("Job", &[0, 1, 20, 18, 21], 0, [6, 6, 7, 6]));
    t.extend(win("Mem", &[0, 21, 22, 23, 24], 21, [5, 5, 4, 5]));
    t.extend(win("Usr", &[0, 1, 2, 3], 3, [3, 3, 2, 3]));
    t.extend(b"Fixed_widest=0, Summ_mscale=1, Task_mscale=0, Zero_suppress=0, Tics_scaled=0\n");
    t
}

#[test]
fn toprc_of_procps_3_is_converted_as_procps_does() {
    let name = "toprc_of_procps_3_is_converted_as_procps_does";
    if !skip_unless_ready(name) {
        return;
    }
    let (ph, gh) = (fresh_home("p3-p"), fresh_home("p3-g"));
    for h in [&ph, &gh] {
        std::fs::create_dir_all(h.join(".config/procps")).unwrap();
        std::fs::write(rc_path(h), procps3_toprc()).unwrap();
    }
    let (_f, pid) = sleeper();
    let p = pid.to_string();
    let (rs, rt, re) = batch("top", &ph, &["-b", "-n1", "-p", &p]);
    let (gs, gt, ge) = batch("gopsi", &gh, &["-b", "-n1", "-p", &p]);
    assert_eq!((rs, gs), (0, 0), "{re}{ge}");
    assert_eq!(
        shape(&gt, pid),
        shape(&rt, pid),
        "procps:\n{rt}\ngopsi:\n{gt}"
    );
    assert!(rt.contains("  PID  PPID USER "), "{rt}");
    // W asks first; 'n' keeps the old file, 'y' writes the new format.
    asked_then_written(
        &ph,
        &gh,
        "saving prevents older top from reading, save anyway?",
        &procps3_toprc(),
    );
}

/// Presses `W` in procps (under `ph`) and gopsi (under `gh`), both holding the file `orig`:
/// the same question; `n` keeps the file, `W` `y` writes the same bytes.
fn asked_then_written(ph: &Path, gh: &Path, ask: &str, orig: &[u8]) {
    let mut screens = Vec::new();
    for (prog, home, tag) in [("top".to_string(), ph, "askp"), (gopsi_top(), gh, "askg")] {
        let s = Session::start(
            &format!(
                "gopsi-toprc-{}-{tag}-{}",
                std::process::id(),
                ph.file_name().unwrap().to_string_lossy()
            ),
            &top_cmd(&prog, home, "-d 2"),
        )
        .expect("tmux session");
        s.wait("the first frame", |t| t.contains("  PID "));
        s.key("W");
        screens.push(s.wait("the question", |t| t.contains(ask)));
        s.key("n");
        s.wait("the question to go", |t| !t.contains(ask));
        assert_eq!(std::fs::read(rc_path(home)).unwrap(), orig, "{tag}");
        s.key("W");
        s.wait("the question", |t| t.contains(ask));
        s.key("y");
        s.wait("W's message", |t| t.contains("Wrote configuration to"));
        s.key("q");
        s.wait("top to exit", |t| t.contains("TOP-EXITED"));
    }
    let line = |t: &str| {
        t.lines()
            .find(|l| l.contains(ask))
            .unwrap_or_default()
            .trim_end()
            .to_string()
    };
    assert_eq!(line(&screens[1]), line(&screens[0]));
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(rc_path(gh)).unwrap()),
        String::from_utf8_lossy(&std::fs::read(rc_path(ph)).unwrap())
    );
}

#[test]
fn toprc_with_bad_inspect_entries_asks_before_saving() {
    let name = "toprc_with_bad_inspect_entries_asks_before_saving";
    if !skip_unless_ready(name) {
        return;
    }
    let (ph, gh) = (fresh_home("bi-p"), fresh_home("bi-g"));
    let mut file = gopsi::top::toprc::format(&gopsi::top::toprc::Toprc::default(), "top")
        .replace("double_up=1", "double_up=0")
        .into_bytes();
    file.extend(b"pipe\tOpen Files\tlsof -P -p %d 2>&1\n# a comment\n\nnot an entry\n");
    for h in [&ph, &gh] {
        std::fs::create_dir_all(h.join(".config/procps")).unwrap();
        std::fs::write(rc_path(h), &file).unwrap();
    }
    asked_then_written(
        &ph,
        &gh,
        "rcfile has inspect/other-filter error(s), save anyway?",
        &file,
    );
}
