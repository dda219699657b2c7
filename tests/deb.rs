//! The Debian package: `cargo deb` packs the binary under test, `dpkg -i` installs it on this
//! machine, man-db, bash-completion and zsh find what it ships, `gopsi help SUB` works from
//! /usr/bin, and `dpkg -r` takes every file of it away again. Needs root, cargo-deb, dpkg,
//! man-db, bash-completion, zsh and fish (CI installs them); it skips visibly without them. The
//! package files that do not need root (changelog, copyright) are checked everywhere.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";
const PAGES: [&str; 8] = [
    "gopsi",
    "gopsi-ps",
    "gopsi-top",
    "gopsi-ports",
    "gopsi-files",
    "gopsi-inspect",
    "gopsi-serve",
    "gopsi-metrics",
];
const SUBCOMMANDS: [&str; 7] = ["ps", "top", "ports", "files", "inspect", "serve", "metrics"];

/// `cargo`, as the one running this suite.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Why the package test cannot run here (empty: it can), and the target directory that holds
/// the release binary under test (`cargo deb --no-build` packs `<target>/release/gopsi`).
fn blockers() -> (Vec<String>, Option<PathBuf>) {
    let mut why = Vec::new();
    if !is_root() {
        why.push("not root (dpkg -i needs it)".to_string());
    }
    for t in [
        "dpkg",
        "dpkg-deb",
        "dpkg-query",
        "man",
        "bash",
        "zsh",
        "fish",
    ] {
        if !have(t) {
            why.push(format!("{t} is not installed"));
        }
    }
    if !Path::new(BASH_COMPLETION).is_file() {
        why.push("bash-completion is not installed".to_string());
    }
    let deb = cargo().args(["deb", "--version"]).output();
    if !deb.is_ok_and(|o| o.status.success()) {
        why.push("cargo-deb is missing (cargo install --locked cargo-deb)".to_string());
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_gopsi"));
    let target = bin
        .parent()
        .filter(|d| d.file_name().is_some_and(|n| n == "release"))
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    if target.is_none() {
        why.push(format!(
            "{} is not a release build (run cargo test --release)",
            bin.display()
        ));
    }
    (why, target)
}

/// Whether the package `gopsi` is installed.
fn installed() -> bool {
    let o = run(Command::new("dpkg-query").args(["-W", "-f=${Status}", "gopsi"]));
    o.status.success() && stdout(&o).contains("install ok installed")
}

/// Removes the package when dropped unless disarmed, so that a failing check never leaves
/// it installed.
struct Installed(bool);

impl Drop for Installed {
    fn drop(&mut self) {
        if self.0 {
            let _ = Command::new("dpkg").args(["-r", "gopsi"]).output();
        }
    }
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn exists(p: &str) -> bool {
    Path::new(p).symlink_metadata().is_ok()
}

fn ok(o: &std::process::Output, what: &str) -> String {
    assert!(
        o.status.success(),
        "{what} failed ({}): {}{}",
        o.status,
        stdout(o),
        String::from_utf8_lossy(&o.stderr)
    );
    stdout(o)
}

/// Where `man -w PAGE` finds a page ("" when it finds none).
fn man_w(page: &str) -> String {
    stdout(&run(&mut tool("man", ["-w", page])))
        .trim()
        .to_string()
}

/// The subcommands fish offers after `gopsi ` (fish loads vendor_completions.d on demand).
fn fish_offers() -> Vec<String> {
    let o = run(&mut tool("fish", ["-c", "complete -C'gopsi '"]));
    stdout(&o)
        .lines()
        .filter_map(|l| Some(l.split_once('\t')?.0.to_string()))
        .collect()
}

/// `complete -p gopsi` after bash-completion's on-demand loader ran for gopsi; then what the
/// loaded function offers after `gopsi `.
fn bash_loaded() -> (bool, String, Vec<String>) {
    let script = format!(
        "source {BASH_COMPLETION}; __load_completion gopsi || exit 3; complete -p gopsi || exit 4; \
         COMP_WORDS=(gopsi ''); COMP_CWORD=1; COMP_LINE='gopsi '; COMP_POINT=6; \
         _gopsi gopsi '' gopsi; echo \"${{COMPREPLY[@]}}\""
    );
    let o = run(&mut tool("bash", ["-c", &script]));
    let out = stdout(&o);
    let mut lines = out.lines();
    let complete = lines.next().unwrap_or_default().to_string();
    let words = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    (o.status.success(), complete, words)
}

#[test]
fn debian_package_installs_works_and_removes_cleanly() {
    let name = "debian_package_installs_works_and_removes_cleanly";
    let (why, target) = blockers();
    let require = std::env::var_os("GOPSI_REQUIRE_ORACLE").is_some();
    if !why.is_empty() {
        if require {
            panic!(
                "GOPSI_REQUIRE_ORACLE is set but {name} cannot run: {}",
                why.join("; ")
            );
        }
        return skip(name, &why.join("; "));
    }
    let target = target.expect("checked above");
    if installed() {
        if !require {
            return skip(
                name,
                "a gopsi package is installed here already; not touching it",
            );
        }
        // CI machines are the project's own: a package left by an earlier run goes.
        ok(
            &run(Command::new("dpkg").args(["-r", "gopsi"])),
            "dpkg -r (old package)",
        );
    }
    let scratch = Scratch(std::env::temp_dir().join(format!("gopsi-deb-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0).unwrap();
    let deb = scratch.0.join("gopsi.deb");

    // Build: the binary this suite tests, packed as it is.
    let built = run(cargo()
        .current_dir(root())
        .env("CARGO_TARGET_DIR", &target)
        .args(["deb", "--no-build", "--locked", "--output"])
        .arg(&deb));
    ok(&built, "cargo deb --no-build");
    let field = |f: &str| {
        let o = run(Command::new("dpkg-deb").arg("-f").arg(&deb).arg(f));
        ok(&o, "dpkg-deb -f").trim().to_string()
    };
    assert_eq!(field("Package"), "gopsi");
    assert_eq!(field("Version"), format!("{}-1", env!("CARGO_PKG_VERSION")));
    let depends = field("Depends");
    assert!(
        depends.contains("libc6"),
        "Depends not computed: {depends:?}"
    );

    // Contents: every path of the package (directories too), as dpkg will list them.
    let listing = ok(
        &run(Command::new("dpkg-deb").arg("-c").arg(&deb)),
        "dpkg-deb -c",
    );
    let entries: Vec<(bool, String)> = listing
        .lines()
        .filter_map(|l| Some((l.starts_with('d'), l.split_whitespace().last()?)))
        .map(|(dir, p)| {
            (
                dir,
                p.trim_start_matches('.').trim_end_matches('/').to_string(),
            )
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let paths: BTreeSet<String> = entries.iter().map(|(_, p)| p.clone()).collect();
    let mut expected: Vec<String> = vec![
        "/usr/bin/gopsi".into(),
        "/usr/share/bash-completion/completions/gopsi".into(),
        "/usr/share/zsh/vendor-completions/_gopsi".into(),
        "/usr/share/fish/vendor_completions.d/gopsi.fish".into(),
        "/usr/share/doc/gopsi/copyright".into(),
        "/usr/share/doc/gopsi/changelog.Debian.gz".into(),
    ];
    // Every committed page, gzipped as Debian wants them.
    let pages = dir_names(root().join("man"));
    assert_eq!(pages.len(), PAGES.len(), "man/ holds {pages:?}");
    expected.extend(pages.iter().map(|p| format!("/usr/share/man/man1/{p}.gz")));
    for e in &expected {
        assert!(paths.contains(e), "{e} is not in the package: {paths:?}");
    }
    for (dir, p) in &entries {
        assert!(*dir || !exists(p), "{p} exists before the install");
    }
    let before: BTreeSet<&String> = paths.iter().filter(|p| exists(p)).collect();

    // Not there yet: the checks below can fail.
    assert!(
        !man_w("gopsi-ps").starts_with("/usr/share/man/"),
        "gopsi-ps(1) is found before the install"
    );
    assert!(
        !bash_loaded().0,
        "bash completion for gopsi loads before the install"
    );

    // Install.
    let mut guard = Installed(true);
    ok(&run(Command::new("dpkg").arg("-i").arg(&deb)), "dpkg -i");
    assert!(installed(), "dpkg -i did not install gopsi");
    let listed: BTreeSet<String> = ok(&run(Command::new("dpkg").args(["-L", "gopsi"])), "dpkg -L")
        .lines()
        .filter(|l| *l != "/.")
        .map(String::from)
        .collect();
    assert_eq!(listed, paths, "dpkg -L differs from the package's contents");
    for p in &paths {
        assert!(exists(p), "{p} is missing after the install");
    }

    // man finds every page (through PATH's /usr/bin → /usr/share/man), and renders them
    // without a warning.
    for page in PAGES {
        assert_eq!(
            man_w(page),
            format!("/usr/share/man/man1/{page}.1.gz"),
            "man -w {page}"
        );
        let o = run(tool("man", ["--warnings", "-P", "cat", page]).env("MANWIDTH", "80"));
        let text = ok(&o, &format!("man {page}"));
        assert!(text.contains("SEE ALSO"), "man {page} has no SEE ALSO");
        assert_eq!(String::from_utf8_lossy(&o.stderr), "", "man {page} warns");
    }

    // bash-completion loads /usr/share/bash-completion/completions/gopsi on demand.
    let (loaded, complete, words) = bash_loaded();
    assert!(loaded, "bash-completion did not load gopsi's completion");
    assert!(
        complete.ends_with("-F _gopsi gopsi"),
        "complete -p gopsi: {complete}"
    );
    for sub in SUBCOMMANDS {
        assert!(
            words.iter().any(|w| w == sub),
            "{sub} not offered: {words:?}"
        );
    }
    assert!(
        !words.iter().any(|w| w == "generate"),
        "generate offered: {words:?}"
    );

    // zsh's compinit finds _gopsi in vendor-completions (on the default fpath).
    let z = run(&mut tool(
        "zsh",
        ["-c", "autoload -U compinit; compinit; whence -v _gopsi"],
    ));
    let zs = ok(&z, "zsh compinit");
    assert!(
        zs.contains("function from /usr/share/zsh/vendor-completions/_gopsi"),
        "zsh: {zs}"
    );

    // fish loads /usr/share/fish/vendor_completions.d/gopsi.fish.
    let words = fish_offers();
    for sub in SUBCOMMANDS {
        assert!(
            words.iter().any(|w| w == sub),
            "fish: {sub} not offered: {words:?}"
        );
    }
    assert!(
        !words.iter().any(|w| w == "generate"),
        "fish offers generate"
    );

    // The installed binary: help for every subcommand, and the version.
    let installed_gopsi = |args: &[&str]| {
        let mut c = tool("/usr/bin/gopsi", args);
        run(&mut c)
    };
    for sub in SUBCOMMANDS {
        let h = installed_gopsi(&["help", sub]);
        let d = installed_gopsi(&[sub, "--help"]);
        assert!(
            h.status.success() && !h.stdout.is_empty(),
            "gopsi help {sub}"
        );
        assert_eq!(
            stdout(&h),
            stdout(&d),
            "gopsi help {sub} differs from {sub} --help"
        );
    }
    assert_eq!(
        stdout(&installed_gopsi(&["--version"])),
        format!(
            "gopsi {} (procps-ng 4.0.2 compatible)\n",
            env!("CARGO_PKG_VERSION")
        )
    );

    // Remove: nothing of it is left, and what was there before is there still.
    guard.0 = false;
    ok(&run(Command::new("dpkg").args(["-r", "gopsi"])), "dpkg -r");
    assert!(!installed(), "dpkg -r left gopsi installed");
    let after: BTreeSet<&String> = paths.iter().filter(|p| exists(p)).collect();
    assert_eq!(
        after, before,
        "dpkg -r left paths behind (or took shared ones)"
    );
    assert!(!man_w("gopsi-ps").starts_with("/usr/share/man/"));
    assert!(!bash_loaded().0, "bash completion for gopsi still loads");
    assert!(
        !fish_offers().iter().any(|w| w == "inspect"),
        "fish still completes gopsi"
    );
}

/// The Debian changelog's newest entry is this version, with revision 1 (what `cargo deb`
/// names the package), so the package's changelog never lags the crate.
#[test]
fn debian_changelog_names_this_version() {
    let log = std::fs::read_to_string(root().join("debian/changelog")).expect("debian/changelog");
    let first = log.lines().next().unwrap_or_default();
    assert_eq!(
        first.split_whitespace().take(2).collect::<Vec<_>>(),
        ["gopsi", &format!("({}-1)", env!("CARGO_PKG_VERSION"))],
        "debian/changelog's first entry: {first}"
    );
    assert!(
        log.contains("\n -- gopsi developers <"),
        "no maintainer line"
    );
}

/// debian/copyright (DEP-5, installed as the package's copyright file) carries LICENSE's text.
#[test]
fn debian_copyright_carries_the_license() {
    let license = std::fs::read_to_string(root().join("LICENSE")).expect("LICENSE");
    let copyright =
        std::fs::read_to_string(root().join("debian/copyright")).expect("debian/copyright");
    assert!(license.starts_with("MIT License\n\nCopyright (c) "));
    assert!(copyright.contains("\nFiles: *\n") && copyright.contains("\nLicense: MIT\n"));
    let holder = license
        .lines()
        .nth(2)
        .unwrap()
        .trim_start_matches("Copyright (c) ");
    assert!(copyright.contains(&format!("Copyright: {holder}\n")));
    // The license paragraph: each line indented by one space, blank lines as " .".
    let body: String = license
        .lines()
        .skip(4)
        .map(|l| {
            if l.is_empty() {
                " .\n".to_string()
            } else {
                format!(" {l}\n")
            }
        })
        .collect();
    assert!(
        copyright.ends_with(&format!("License: MIT\n{body}")),
        "debian/copyright's license text differs from LICENSE"
    );
}
