//! The skip report itself: a skipped test shows on the terminal in a plain `cargo test`, and
//! fails under `GOPSI_REQUIRE_ORACLE`. Runs this test binary again on one probe test.

use std::process::Command;

use crate::common::skip;

/// Skips when `GOPSI_SKIP_PROBE` is set (only the child run below sets it); otherwise there is
/// nothing to check and it returns.
#[test]
fn skip_probe() {
    if std::env::var_os("GOPSI_SKIP_PROBE").is_some() {
        skip("skip_probe", "asked to by skips_are_visible");
    }
}

fn probe(require: bool) -> std::process::Output {
    let mut c = Command::new(std::env::current_exe().expect("test binary path"));
    // Capture is on (no --nocapture): a skip must get through it.
    c.args(["--exact", "skips::skip_probe", "--test-threads=1"])
        .env("GOPSI_SKIP_PROBE", "1")
        .env_remove("GOPSI_REQUIRE_ORACLE");
    if require {
        c.env("GOPSI_REQUIRE_ORACLE", "1");
    }
    c.output().expect("run the test binary")
}

#[test]
fn skips_are_visible() {
    let plain = probe(false);
    let err = String::from_utf8_lossy(&plain.stderr);
    let out = String::from_utf8_lossy(&plain.stdout);
    assert!(plain.status.success(), "probe failed: {out}{err}");
    assert!(out.contains("1 passed"), "the probe did not run: {out}");
    assert!(
        err.contains("SKIP #1 skip_probe: asked to by skips_are_visible"),
        "a skip was hidden by the capture: stderr {err:?}"
    );
    let ci = probe(true);
    let out = String::from_utf8_lossy(&ci.stdout);
    assert!(
        !ci.status.success(),
        "a skip passed under GOPSI_REQUIRE_ORACLE: {out}"
    );
    assert!(out.contains("would skip: asked to"), "{out}");
}
