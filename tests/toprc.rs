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

fn fresh_home(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gopsi-toprc-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rc_path(home: &Path) -> PathBuf {
    home.join(".config/procps/toprc")
}

/// `top -b -n1 ARGS` under `home`: (status, stdout, stderr).
fn batch(prog: &str, home: &Path, args: &[&str]) -> (i32, String, String) {
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

fn sleeper() -> (Fixtures, i32) {
    let mut f = Fixtures::default();
    let pid = f.spawn(Command::new("sleep").arg("7331"));
    std::thread::sleep(Duration::from_millis(100));
    (f, pid)
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
