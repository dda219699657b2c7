//! Shared test harness: commands with a pinned environment for gopsi and the installed procps,
//! fixture processes that clean up after themselves, and skip helpers that say why.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};

/// Environment variables that change procps's output; removed for both tools.
pub const UNSET: &[&str] = &[
    "COLUMNS",
    "LINES",
    "PS_PERSONALITY",
    "CMD_ENV",
    "PS_FORMAT",
    "I_WANT_A_BROKEN_PS",
    "XDG_CONFIG_HOME",
    "LC_CTYPE",
    "LANG",
    "LC_TIME",
    "LC_NUMERIC",
    "GOPSI_NOW",
];

/// An empty HOME shared by the tests (top reads rc files from it).
pub fn empty_home() -> PathBuf {
    let d = std::env::temp_dir().join(format!("gopsi-test-home-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&d);
    d
}

fn pin(mut c: Command) -> Command {
    for k in UNSET {
        c.env_remove(k);
    }
    c.env("LC_ALL", "C.UTF-8")
        .env("TZ", "UTC")
        .env("HOME", empty_home());
    c.stdin(Stdio::null());
    c
}

/// `gopsi ARGS` with the pinned environment.
pub fn gopsi<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut c = pin(Command::new(env!("CARGO_BIN_EXE_gopsi")));
    c.args(args);
    c
}

/// An installed tool (`ps`, `top`, ...) with the pinned environment.
pub fn tool<I, S>(name: &str, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut c = pin(Command::new(name));
    c.args(args);
    c
}

/// Runs a command and returns its output (panics only if it cannot be started).
pub fn run(c: &mut Command) -> Output {
    c.output()
        .unwrap_or_else(|e| panic!("cannot run {c:?}: {e}"))
}

/// Stdout as text (lossy).
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Whether a program is on PATH.
pub fn have(prog: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(prog).is_file()))
        .unwrap_or(false)
}

/// Whether the installed procps is the oracle version (4.0.2). With `GOPSI_REQUIRE_ORACLE`
/// set (CI sets it), a missing or different procps fails the test instead of skipping it.
pub fn procps_is_oracle() -> bool {
    let ok = have("ps")
        && Command::new("ps")
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("procps-ng 4.0.2"))
            .unwrap_or(false);
    if !ok && std::env::var_os("GOPSI_REQUIRE_ORACLE").is_some() {
        panic!("GOPSI_REQUIRE_ORACLE is set but procps-ng 4.0.2 ps is not installed");
    }
    ok
}

/// How many tests of this run skipped so far (each skip line carries the running count).
static SKIPPED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Reports why a test is skipped; the caller returns right after. The line goes to the real
/// stderr, not libtest's capture (which would hide it under a pass), so a plain `cargo test`
/// shows every skip with its running count. Under `GOPSI_REQUIRE_ORACLE` (CI) a skip is a
/// failure: the machine was meant to have everything.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    if std::env::var_os("GOPSI_REQUIRE_ORACLE").is_some() {
        panic!("GOPSI_REQUIRE_ORACLE is set and {test} would skip: {why}");
    }
    let n = SKIPPED.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    // `eprintln!` is captured by the test harness; a write to the stderr handle is not.
    let _ = writeln!(std::io::stderr().lock(), "SKIP #{n} {test}: {why}");
}

/// True when running as root.
pub fn is_root() -> bool {
    nix_uid() == 0
}

fn nix_uid() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2)?.parse().ok())
        })
        .unwrap_or(u32::MAX)
}

/// Idle processes started for a test; killed (and reaped) when dropped.
#[derive(Default)]
pub struct Fixtures {
    children: Vec<Child>,
    extra: Vec<i32>,
}

impl Fixtures {
    pub fn new() -> Fixtures {
        Fixtures::default()
    }

    /// Starts `sh -c SCRIPT` in its own session (stdio closed) and returns its pid.
    pub fn sh(&mut self, script: &str) -> i32 {
        self.spawn(Command::new("setsid").args(["-w", "sh", "-c", script]))
    }

    /// Starts a command in its own session with stdio closed; returns its pid. The pid is the
    /// command's own once `setsid` has exec'd it.
    pub fn spawn(&mut self, c: &mut Command) -> i32 {
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = c
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {c:?}: {e}"));
        let pid = child.id() as i32;
        self.children.push(child);
        pid
    }

    /// Remembers a pid (a grandchild) to kill at the end.
    pub fn adopt(&mut self, pid: i32) {
        self.extra.push(pid);
    }

    /// Sends `sig` to one fixture pid.
    pub fn signal(&self, pid: i32, sig: Signal) {
        let _ = kill(nix::unistd::Pid::from_raw(pid), sig);
    }

    /// Waits until every given pid has exec'd (its comm is not the launcher's any more) and
    /// sleeps a little so that the kernel has settled the new image.
    pub fn settle(&self, pids: &[i32], not: &[&str]) {
        for _ in 0..200 {
            let ready = pids.iter().all(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .map(|c| !not.contains(&c.trim_end()))
                    .unwrap_or(true)
            });
            if ready {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        // Signals go through nix, never /usr/bin/kill: procps's kill reads `kill -9 -PGID` as a
        // signal to process group 9, which takes down everything.
        for &p in &self.extra {
            let _ = kill(nix::unistd::Pid::from_raw(p), Signal::SIGKILL);
        }
        for c in &mut self.children {
            let pid = nix::unistd::Pid::from_raw(c.id() as i32);
            // A fixture leads its own session and group (setsid): end the whole group.
            if nix::unistd::getpgid(Some(pid)) == Ok(pid) {
                let _ = killpg(pid, Signal::SIGKILL);
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Children of `pid` (by scanning /proc), in pid order.
pub fn children_of(pid: i32) -> Vec<i32> {
    let ppid_of = |p: i32| -> Option<i32> {
        let s = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
        s.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let mut out: Vec<i32> = std::fs::read_dir("/proc")
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_string_lossy().parse::<i32>().ok())
                .filter(|&p| ppid_of(p) == Some(pid))
                .collect()
        })
        .unwrap_or_default();
    out.sort_unstable();
    out
}

/// The start time (stat field 22) of a pid, to tell whether it changed between runs.
pub fn start_time(pid: i32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = s.rsplit_once(')')?.1;
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names in a directory, sorted (empty when it cannot be read).
pub fn dir_names(dir: impl AsRef<Path>) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Starts a new session running the shell `jobs` (idle background commands), with, when
/// python3 is here, a process of three threads, and `exec sleep LEADER` as its leader; waits
/// until the threads and at least `children` children are up. Returns the session id.
pub fn threaded_session(f: &mut Fixtures, jobs: &str, leader: u32, children: usize) -> String {
    let mut script = String::from(jobs);
    if have("python3") {
        script.push_str("python3 -c 'import threading,time\nfor _ in range(2): threading.Thread(target=time.sleep,args=(1000,),daemon=True).start()\ntime.sleep(1000)' & ");
    }
    script.push_str(&format!("exec sleep {leader}"));
    let leader = f.spawn(Command::new("setsid").args(["bash", "-c", &script]));
    f.settle(&[leader], &["setsid", "bash"]);
    for _ in 0..300 {
        let threads_up = !have("python3")
            || children_of(leader).iter().any(|p| {
                std::fs::read_to_string(format!("/proc/{p}/status"))
                    .is_ok_and(|s| s.contains("Threads:\t3\n"))
            });
        if threads_up && children_of(leader).len() >= children {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    leader.to_string()
}

/// A copy of the gopsi binary that any user may run (the build directory may be private),
/// removed on drop.
pub struct SharedBin(PathBuf);

impl SharedBin {
    /// Copies the binary into the temp directory (`gopsi-TAG-PID`, mode 0755); `None` when it
    /// cannot be copied.
    pub fn new(tag: &str) -> Option<SharedBin> {
        use std::os::unix::fs::PermissionsExt;
        let bin = std::env::temp_dir().join(format!("gopsi-{tag}-{}", std::process::id()));
        let bin = SharedBin(bin);
        std::fs::copy(env!("CARGO_BIN_EXE_gopsi"), &bin.0).ok()?;
        std::fs::set_permissions(&bin.0, std::fs::Permissions::from_mode(0o755)).ok()?;
        Some(bin)
    }

    /// Where the copy is.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// `setpriv` running the copy as `nobody` (uid and gid 65534, no groups) from `/`, with the
    /// pinned environment.
    pub fn as_nobody<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = tool(
            "setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups"],
        );
        c.arg(&self.0).args(args).current_dir("/");
        c
    }
}

impl Drop for SharedBin {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
