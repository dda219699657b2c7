//! The library as an embedder gets it (`default-features = false`): `tests/embedder/` uses
//! every name of the public contract; it must build without warnings and without any
//! command-line or terminal crate, and run.

use std::process::Command;

#[test]
fn embedder_builds_without_cli_crates() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let dir = crate::common::root().join("tests/embedder");
    let target = crate::common::root().join("target/embedder");
    let run = |args: &[&str]| {
        let o = Command::new(&cargo)
            .args(args)
            .arg("--offline")
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("run cargo");
        assert!(
            o.status.success(),
            "cargo {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let tree = run(&["tree", "-e", "normal", "--prefix", "none"]);
    for cli in [
        "clap",
        "clap_complete",
        "clap_mangen",
        "crossterm",
        "comfy-table",
        "humansize",
        "serde ",
        "tokio",
        "hyper",
    ] {
        assert!(
            !tree.lines().any(|l| l.starts_with(cli)),
            "the library without default features pulls in {cli}:\n{tree}"
        );
    }
    run(&["build"]);
    let out = Command::new(target.join("debug/gopsi-embedder"))
        .output()
        .expect("run the embedder");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(" processes, ") && text.contains("%Cpu(s):"),
        "{text}"
    );
}
