//! Every ps syntax family and built-in format against the installed procps, on a fixture
//! session (a small process tree with a threaded member and a zombie), selected by session id
//! so that only idle, unchanging processes are listed: stdout, stderr and status must be equal.

use crate::common::*;
use crate::ps_fixtures::same;

#[test]
fn ps_formats_and_syntaxes_match_procps() {
    let t = "ps_formats_and_syntaxes_match_procps";
    if !procps_is_oracle() {
        return skip(t, "procps-ng 4.0.2 ps is not installed");
    }
    let mut f = Fixtures::new();
    let sid = threaded_session(
        &mut f,
        "sleep 3001 & sleep 3002 & (sleep 3003 & sleep 3004 & wait) & (exit 3) & ",
        3000,
        4,
    );
    let s = |more: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = more.iter().map(|x| x.to_string()).collect();
        v.push("-s".into());
        v.push(sid.clone());
        v
    };
    let cases: Vec<Vec<String>> = vec![
        // UNIX formats
        s(&[]),
        s(&["-f"]),
        s(&["-F"]),
        s(&["-l"]),
        s(&["-ly"]),
        s(&["-lf"]),
        s(&["-j"]),
        s(&["-jf"]),
        s(&["-H"]),
        s(&["-fH"]),
        s(&["-jH"]),
        s(&["-L"]),
        s(&["-Lf"]),
        s(&["-T"]),
        s(&["-m"]),
        s(&["-c", "-l"]),
        s(&["-P"]),
        s(&["-O", "rss"]),
        s(&["-o", "pid,ppid,pgid,sid,comm"]),
        s(&["-o", "pid,comm=", "-o", "args"]),
        s(&["-o", "pid=,comm="]),
        s(&["-o", "pid:8,comm:4=NAME,args:10"]),
        s(&["-o", "%p %c %a"]),
        s(&["-o", "pid,stat,wchan,nlwp,lwp", "-L"]),
        // BSD formats and modifiers mixed with the UNIX selection
        s(&["u"]),
        s(&["j"]),
        s(&["l"]),
        s(&["s"]),
        s(&["v"]),
        s(&["f"]),
        s(&["jf"]),
        s(&["uf"]),
        s(&["c"]),
        s(&["n", "u"]),
        s(&["h"]),
        s(&["S"]),
        s(&["H"]),
        s(&["m"]),
        s(&["O", "rss"]),
        s(&["k-rss"]),
        s(&["k", "-pid"]),
        s(&["o", "pid,comm"]),
        // GNU long options
        s(&["--forest"]),
        s(&["--forest", "-o", "pid,ppid,comm"]),
        s(&["--sort=-pid"]),
        s(&["--sort", "ppid,-pid", "-o", "pid,ppid,args"]),
        s(&["--no-headers"]),
        s(&["--headers", "--rows", "3"]),
        s(&["--cols", "60", "-f"]),
        s(&["--width=40", "u"]),
        s(&["--format", "pid,user,args"]),
        s(&["--cumulative", "u"]),
        vec!["--sid".into(), sid.clone(), "-o".into(), "pid,comm".into()],
        vec!["--ppid".into(), sid.clone(), "--sort=pid".into()],
        vec!["-p".into(), sid.clone(), "--forest".into(), "-f".into()],
        vec![
            "-q".into(),
            format!("{sid},1"),
            "-o".into(),
            "pid,comm".into(),
        ],
        vec![
            "-C".into(),
            "sleep".into(),
            "-o".into(),
            "pid,comm".into(),
            "--sort=-pid".into(),
        ],
        // errors and conflicts
        s(&["-L", "f"]),
        s(&["-L", "-T"]),
        s(&["H", "m"]),
        s(&["--forest", "-q", "1"]),
        s(&["-o", "pid", "-f"]),
        s(&["--sort=pid", "k", "pid"]),
        s(&["-y"]),
    ];
    for env in ["pid,user:3,comm", "bogus", "pid,,x"] {
        same(&["-s", &sid], &[("PS_FORMAT", env)]);
        same(&["-f", "-s", &sid], &[("PS_FORMAT", env)]);
    }
    for case in &cases {
        let args: Vec<&str> = case.iter().map(String::as_str).collect();
        same(&args, &[]);
        same(&args, &[("COLUMNS", "80")]);
    }
}
