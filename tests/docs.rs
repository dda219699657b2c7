//! Generated documentation stays in step with the CLI: man pages and completions are
//! regenerated into a temporary directory and compared with the committed copies.

use crate::common::*;
use std::path::Path;

fn files(dir: &Path) -> Vec<String> {
    dir_names(dir)
}

#[test]
fn man_pages_and_completions_do_not_drift() {
    let tmp = std::env::temp_dir().join(format!("gopsi-generate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let o = run(&mut gopsi(["generate", "--out-dir", tmp.to_str().unwrap()]));
    assert!(
        o.status.success(),
        "generate failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fix = "run `cargo run --release -- generate --out-dir .` and commit man/ and completions/";
    for sub in ["man", "completions"] {
        let (new, old) = (tmp.join(sub), root().join(sub));
        assert_eq!(files(&new), files(&old), "{sub}/ file list drifted: {fix}");
        for f in files(&new) {
            let a = std::fs::read(new.join(&f)).unwrap();
            let b = std::fs::read(old.join(&f)).unwrap_or_default();
            assert!(a == b, "{sub}/{f} drifted from the CLI definition: {fix}");
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn ps_man_page_documents_sort_and_specifiers() {
    let page = std::fs::read_to_string(root().join("man/gopsi-ps.1")).expect("man/gopsi-ps.1");
    assert!(page.contains("\\-\\-sort"), "--sort is not documented");
    assert!(page.contains(".SH \"FORMAT SPECIFIERS\""));
    for spec in [
        "pid (PID)",
        "args, command (COMMAND)",
        "%cpu (%CPU)",
        "lstart (STARTED)",
    ] {
        assert!(
            page.contains(&spec.replace('-', "\\-")),
            "{spec} missing from the man page"
        );
    }
}

#[test]
fn bash_completion_offers_specifiers_after_dash_o() {
    if !have("bash") {
        return skip(
            "bash_completion_offers_specifiers_after_dash_o",
            "bash is not installed",
        );
    }
    let script = format!(
        "source {}; COMP_WORDS=(gopsi ps -o ''); COMP_CWORD=3; COMP_LINE='gopsi ps -o '; COMP_POINT=${{#COMP_LINE}}; _gopsi gopsi '' -o; echo \"${{COMPREPLY[@]}}\"",
        root().join("completions/gopsi.bash").display()
    );
    let syntax = run(&mut tool(
        "bash",
        [
            "-n",
            root().join("completions/gopsi.bash").to_str().unwrap(),
        ],
    ));
    assert!(syntax.status.success(), "bash -n failed");
    let o = run(&mut tool("bash", ["-c", &script]));
    let words: Vec<String> = stdout(&o).split_whitespace().map(String::from).collect();
    for w in ["pid", "%cpu", "rss", "args", "comm"] {
        assert!(
            words.iter().any(|x| x == w),
            "{w} not offered after -o: {words:?}"
        );
    }
}

const SUBCOMMANDS: [&str; 7] = ["ps", "top", "ports", "files", "inspect", "serve", "metrics"];

#[test]
fn help_sub_is_sub_dash_dash_help() {
    for sub in SUBCOMMANDS {
        let h = run(&mut gopsi(["help", sub]));
        let d = run(&mut gopsi([sub, "--help"]));
        assert_eq!(h.status.code(), Some(0), "gopsi help {sub}");
        assert!(!h.stdout.is_empty(), "gopsi help {sub} printed nothing");
        assert_eq!(
            stdout(&h),
            stdout(&d),
            "gopsi help {sub} != gopsi {sub} --help"
        );
        assert_eq!(h.stderr, d.stderr);
    }
    let top = stdout(&run(&mut gopsi(["--help"])));
    assert_eq!(stdout(&run(&mut gopsi(["help"]))), top);
    for sub in SUBCOMMANDS {
        assert!(
            top.contains(&format!("\n  {sub} ")),
            "gopsi --help lists no {sub}"
        );
    }
    assert!(!top.contains("generate"), "gopsi --help offers generate");
    for bad in [
        &["help", "bogus"][..],
        &["help", "generate"],
        &["help", "ps", "x"],
    ] {
        let o = run(&mut gopsi(bad));
        assert_eq!(o.status.code(), Some(2), "gopsi {bad:?}");
        assert!(String::from_utf8_lossy(&o.stderr).starts_with("gopsi: unrecognized subcommand"));
    }
}

/// `gopsi top --help` is procps's text byte for byte plus one line for gopsi's own options
/// (a deliberate difference); `-h` stays procps's alone (checked with the other top options).
#[test]
fn top_long_help_is_procps_text_plus_one_line() {
    if !procps_is_oracle() {
        return skip(
            "top_long_help_is_procps_text_plus_one_line",
            "procps-ng 4.0.2 is not installed",
        );
    }
    let line = "gopsi adds: --json (with -b: JSON lines), --proc-root DIR. See gopsi-top(1).\n";
    for args in [
        &["--help"][..],
        &["--he"],
        &["-b", "--help"],
        &["-n", "1", "--help"],
    ] {
        let p = run(&mut tool("top", args));
        let g = run(&mut gopsi(
            std::iter::once("top").chain(args.iter().copied()),
        ));
        let procps = stdout(&p);
        // Under -b top ends with one more newline, after the help text.
        let (text, tail) = match procps.strip_suffix("\n\n") {
            Some(t) => (format!("{t}\n"), "\n"),
            None => (procps.clone(), ""),
        };
        assert!(
            text.ends_with("For more details see top(1).\n"),
            "top {args:?}: {procps}"
        );
        assert_eq!(
            stdout(&g),
            format!("{text}{line}{tail}"),
            "gopsi top {args:?}"
        );
        assert_eq!(g.status.code(), p.status.code());
        assert_eq!(g.stderr, p.stderr);
    }
}

#[test]
fn version_names_the_crate_and_procps() {
    let v = format!(
        "gopsi {} (procps-ng 4.0.2 compatible)",
        env!("CARGO_PKG_VERSION")
    );
    for flag in ["--version", "-V"] {
        assert_eq!(stdout(&run(&mut gopsi([flag]))), format!("{v}\n"));
    }
    for page in files(&root().join("man")) {
        let text = std::fs::read_to_string(root().join("man").join(&page)).unwrap();
        let roff = v.replace('-', "\\-");
        assert!(
            text.contains(&format!(".SH VERSION\n{roff}\n")),
            "{page}: no {v}"
        );
        assert!(
            text.contains(&format!(" \"{v}\"")),
            "{page}: .TH without {v}"
        );
    }
}

#[test]
fn man_pages_list_commands_and_see_also() {
    let page = |name: &str| std::fs::read_to_string(root().join("man").join(name)).unwrap();
    let main = page("gopsi.1");
    let (_, commands) = main
        .split_once(".SH \"COMMANDS\"\n")
        .expect("gopsi.1: no COMMANDS");
    let commands = &commands[..commands.find(".SH ").unwrap()];
    for sub in SUBCOMMANDS {
        assert!(
            commands.contains(&format!("\\fB{sub}\\fR\n")),
            "gopsi.1 lists no {sub}"
        );
    }
    assert!(!main.contains("generate"), "gopsi.1 documents generate");
    let see_also = |text: &str| -> Vec<String> {
        let (_, s) = text.split_once(".SH \"SEE ALSO\"\n").expect("no SEE ALSO");
        s.lines()
            .next()
            .unwrap()
            .split(", ")
            .map(|r| {
                r.replace("\\fB", "")
                    .replace("\\fR", "")
                    .replace("\\-", "-")
            })
            .collect()
    };
    let mut want: Vec<String> = SUBCOMMANDS
        .iter()
        .map(|s| format!("gopsi-{s}(1)"))
        .collect();
    want.extend(["ps(1)", "top(1)", "lsof(8)", "ss(8)"].map(String::from));
    assert_eq!(see_also(&main), want, "gopsi.1 SEE ALSO");
    let mirrors = [
        ("ps", "ps(1)"),
        ("top", "top(1)"),
        ("ports", "ss(8)"),
        ("files", "lsof(8)"),
        ("inspect", "ps(1)"),
        ("serve", "prometheus(1)"),
        ("metrics", "promtool(1)"),
    ];
    for (sub, mirror) in mirrors {
        let refs = see_also(&page(&format!("gopsi-{sub}.1")));
        assert!(
            refs.contains(&"gopsi(1)".to_string()),
            "gopsi-{sub}.1: {refs:?}"
        );
        assert!(
            refs.contains(&mirror.to_string()),
            "gopsi-{sub}.1: {refs:?}"
        );
        for other in SUBCOMMANDS.iter().filter(|o| **o != sub) {
            assert!(
                refs.contains(&format!("gopsi-{other}(1)")),
                "gopsi-{sub}.1: {refs:?}"
            );
        }
    }
}

#[test]
fn completions_offer_no_hidden_subcommand() {
    for f in files(&root().join("completions")) {
        let text = std::fs::read_to_string(root().join("completions").join(&f)).unwrap();
        assert!(
            !text.contains("generate"),
            "completions/{f} offers generate"
        );
        for sub in SUBCOMMANDS {
            assert!(text.contains(sub), "completions/{f} lacks {sub}");
        }
    }
}

/// `--proc-root DIR` works after the subcommand as before it (the man pages and completions
/// offer it there).
#[test]
fn proc_root_goes_before_or_after_the_subcommand() {
    let empty = std::env::temp_dir().join(format!("gopsi-empty-proc-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let dir = empty.to_str().unwrap();
    let cases: [&[&str]; 4] = [
        &["ps", "-e"],
        &["ports"],
        &["files", "1"],
        &["inspect", "1"],
    ];
    for args in cases {
        let before = run(&mut gopsi(["--proc-root", dir].iter().chain(args)));
        let eq = format!("--proc-root={dir}");
        let after = run(&mut gopsi(args.iter().copied().chain([eq.as_str()])));
        let real = run(&mut gopsi(args));
        assert_eq!(before.status.code(), after.status.code(), "{args:?}");
        assert_eq!(stdout(&before), stdout(&after), "{args:?}");
        assert_eq!(before.stderr, after.stderr, "{args:?}");
        assert!(
            before.stdout != real.stdout || before.stderr != real.stderr,
            "{args:?}: the empty root changed nothing"
        );
    }
    let o = run(&mut gopsi(["ps", "--proc-root"]));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let _ = std::fs::remove_dir_all(&empty);
}
