//! The library as an embedder gets it (`default-features = false`): `tests/embedder/` uses
//! every name of the public contract; it must build without warnings and without any
//! command-line or terminal crate, and run. The README's library examples build the same way.

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

#[test]
fn readme_library_examples_build() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = crate::common::root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let blocks: Vec<&str> = readme
        .split("```rust")
        .skip(1)
        .filter_map(|b| b.split_once('\n').map(|(_, body)| body))
        .filter_map(|b| b.split("```").next())
        .collect();
    assert!(
        blocks.len() >= 2,
        "the README has {} rust blocks",
        blocks.len()
    );
    let dir = root.join("target/embedder/readme");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/bin")).expect("mkdir");
    let manifest = format!(
        "[package]\nname = \"readme-examples\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n[workspace]\n[dependencies]\n\
         gopsi = {{ path = {:?}, default-features = false }}\n",
        root.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    for (i, b) in blocks.iter().enumerate() {
        std::fs::write(dir.join(format!("src/bin/example{i}.rs")), b).expect("example");
    }
    let o = Command::new(&cargo)
        .args(["build", "--offline", "--bins"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", root.join("target/embedder"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(
        o.status.success(),
        "README examples: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
