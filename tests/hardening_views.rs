//! Hardening of the human views (issue 12 item 6): no C0/C1 control byte or DEL from a
//! process's command line reaches the terminal through `top`. A deliberate difference from
//! procps (README compatibility table).

use crate::common::*;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};

/// Whether `out` holds a C0 control (other than newline), DEL, or a C1 control (as UTF-8).
fn has_control(out: &[u8]) -> bool {
    String::from_utf8_lossy(out)
        .chars()
        .any(|c| (c.is_control() && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c))
}

/// `top -c` shows a command line holding U+009B (C1 CSI), ESC and BEL escaped.
#[test]
fn top_c_escapes_c1_and_c0_in_command_lines() {
    let name = std::ffi::OsStr::from_bytes(b"gopsi-\xc2\x9b2J-\x1b]52;c;x\x07-end");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("sleep 30")
        .arg(name)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn sh");
    let pid = child.id().to_string();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let o = run(&mut gopsi([
        "top", "-b", "-n1", "-c", "-w", "512", "-p", &pid,
    ]));
    let _ = child.kill();
    let _ = child.wait();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("gopsi-"), "process not shown:\n{out}");
    assert!(
        !has_control(&o.stdout),
        "raw control bytes in top -c:\n{out:?}"
    );
}
