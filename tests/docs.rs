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
