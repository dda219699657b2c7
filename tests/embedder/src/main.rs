//! Uses every name of the library's contract (issue 10), so that a build fails when one
//! changes. Prints a small report.

use std::time::{Duration, SystemTime};

use gopsi::{Error, Host, HostSample, Listing, Options, Process, State};

fn describe(p: &Process) -> String {
    let _: i32 = p.pid();
    let _: i32 = p.ppid();
    let _: u32 = p.uid();
    let _: Option<&str> = p.user();
    let _: Option<gopsi::Text<'_>> = p.args();
    let _: State = p.state();
    let _: SystemTime = p.start_time();
    let _: Duration = p.cpu_time();
    let _: f64 = p.cpu_percent();
    let _: u64 = p.vsz_bytes();
    let _: usize = p.threads();
    let _: Option<&str> = p.tty();
    let _: i32 = p.nice();
    let _: i32 = p.priority();
    let _: &[u8] = p.command_bytes();
    format!("{} {} {}", p.pid(), p.command(), p.rss_bytes())
}

fn main() -> Result<(), Error> {
    let l: Listing = Listing::collect()?;
    let n: usize = l.len();
    for p in &l {
        let _ = describe(p);
    }
    let mut l = Listing::collect_with(&Options::new().proc_root("/proc"))?;
    l.sort_by("-rss,pid")?;
    l.sort_by_key(|p| p.pid());
    let text = format!("{}", l.format("pid,user:12,%cpu,comm")?);
    let aux = l.to_string();
    let me = l.iter().find(|p| p.pid() == std::process::id() as i32);
    if let Some(p) = me {
        let _files = p.open_files();
        let _ports = p.listening_ports();
        let _cwd = p.cwd();
        let _exe = p.exe();
    }
    let h: Host = Host::collect()?;
    let _: Duration = h.uptime();
    let s: HostSample = Host::sample(Duration::from_millis(10))?;
    let sampled = Listing::sample(Duration::from_millis(10))?;
    let busy = sampled.iter().filter_map(|p| p.cpu_percent_recent()).count();
    println!(
        "{n} processes, {} lines, {} aux lines, {} users, {:.0}% idle, {busy} sampled\n{s}",
        text.lines().count(),
        aux.lines().count(),
        h.users(),
        s.cpu().idle,
    );
    Ok(())
}
