//! `gopsi inspect PID`: one process in full, as tables or JSON. Never reads /proc itself:
//! the library's `inspect::process` does.

use clap::ArgMatches;

use super::{Output, emit, emit_json, esc, table};
use gopsi::inspect::process::*;
use gopsi::proc::{ProcError, ProcFs};
use std::time::Duration;

fn size_text(kib: u64) -> String {
    humansize::format_size(kib * 1024, humansize::BINARY)
}

/// Key/value lines: a two-column table without header on a terminal, `key  value` otherwise.
fn kv(out: Output, title: &str, pairs: &[(&str, String)]) -> String {
    let mut s = format!("{title}\n");
    if let Output::Terminal(width) = out {
        let mut t = super::new_table(width);
        for (k, v) in pairs {
            t.add_row(vec![k.to_string(), v.clone()]);
        }
        s.push_str(&format!("{t}\n"));
        return s;
    }
    let w = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in pairs {
        s.push_str(&format!("  {k:<w$}  {v}\n"));
    }
    s
}

/// The human view of [`Details`].
pub(crate) fn render(d: &Details, out: Output) -> String {
    let opt = |v: &Option<String>| v.as_deref().map_or("-".to_string(), |s| esc(s.as_bytes()));
    let mut s = kv(
        out,
        "Process",
        &[
            ("PID", d.pid.to_string()),
            ("PPID", d.ppid.to_string()),
            ("User", format!("{} ({})", esc(d.user.as_bytes()), d.uid)),
            ("Group", format!("{} ({})", esc(d.group.as_bytes()), d.gid)),
            ("Command", esc(d.command.as_bytes())),
            ("Args", esc(d.args.join(" ").as_bytes())),
            ("Exe", opt(&d.exe)),
            ("Cwd", opt(&d.cwd)),
            (
                "Started",
                d.start_time.map_or("-".into(), gopsi::format::local_time),
            ),
            ("Elapsed", d.elapsed_secs.map_or("-".into(), duration_text)),
        ],
    );
    s.push('\n');
    s.push_str(&kv(
        out,
        "State and scheduling",
        &[
            ("State", format!("{} ({})", d.state, d.state_name)),
            ("Nice", d.nice.to_string()),
            ("Priority", d.priority.to_string()),
            (
                "Policy",
                if d.rt_priority > 0 {
                    format!("{} (rt priority {})", d.policy, d.rt_priority)
                } else {
                    d.policy.clone()
                },
            ),
            ("Threads", d.threads.to_string()),
            ("Last CPU", d.processor.to_string()),
            (
                "CPU time",
                format!(
                    "{:.2}s (user {:.2}s, system {:.2}s)",
                    d.cpu_time_secs,
                    d.cpu.utime as f64 / d.hz as f64,
                    d.cpu.stime as f64 / d.hz as f64
                ),
            ),
            (
                "%CPU lifetime",
                d.cpu_lifetime_percent
                    .map_or("-".into(), |p| format!("{p:.1}")),
            ),
            (
                "%CPU now",
                d.cpu_percent.map_or("-".into(), |p| {
                    format!("{p:.1} (over {} ms)", d.cpu_sample_ms)
                }),
            ),
        ],
    ));
    s.push('\n');
    let m = &d.memory;
    s.push_str(&kv(
        out,
        "Memory",
        &[
            ("VSZ", size_text(m.vsz_kib)),
            ("RSS", size_text(m.rss_kib)),
            ("Shared", size_text(m.shared_kib)),
            ("Anonymous", size_text(m.anon_kib)),
            ("Swap", size_text(m.swap_kib)),
            ("Peak VSZ", size_text(m.peak_vsz_kib)),
            ("Peak RSS", size_text(m.peak_rss_kib)),
        ],
    ));
    s.push('\n');
    match &d.files_error {
        Some(e) => s.push_str(&format!("Open files: could not be read ({e})\n")),
        None => {
            s.push_str(&format!("Open files ({})\n", d.files.len()));
            s.push_str(&table(
                out,
                &["FD", "Mode", "Kind", "Pos", "Flags", "Target"],
                &super::files::rows(&d.files, false),
            ));
        }
    }
    s.push('\n');
    if d.files_error.is_some() {
        s.push_str("Ports: unknown (open files unreadable)\n");
    } else if d.ports.is_empty() {
        s.push_str("Ports: none\n");
    } else {
        s.push_str(&format!("Ports ({})\n", d.ports.len()));
        s.push_str(&table(
            out,
            &super::ports::HEADER,
            &super::ports::rows(&d.ports, false),
        ));
    }
    s.push('\n');
    if d.children.is_empty() {
        s.push_str("Children: none\n");
    } else {
        s.push_str(&format!("Children ({})\n", d.children.len()));
        let rows: Vec<Vec<String>> = d
            .children
            .iter()
            .map(|c| vec![c.pid.to_string(), esc(c.command.as_bytes())])
            .collect();
        s.push_str(&table(out, &["PID", "Command"], &rows));
    }
    s
}

/// `gopsi inspect PID` with parsed arguments.
pub(crate) fn run(fs: &ProcFs, m: &ArgMatches, out: Output) -> i32 {
    let pid = m.get_one::<i32>("pid").copied().unwrap_or(0);
    let ms = m.get_one::<u64>("interval").copied().unwrap_or(200);
    match details(fs, pid, Duration::from_millis(ms)) {
        Ok(d) => {
            if let Some(e) = &d.files_error {
                errln!("gopsi: cannot read the open files of PID {pid} ({e})");
            }
            if out == Output::Json {
                emit_json(&d, 0)
            } else {
                emit(&render(&d, out), 0)
            }
        }
        Err(ProcError::Vanished(_)) => {
            errln!("gopsi: no process with PID {pid}");
            1
        }
        Err(e) => {
            errln!("gopsi: {e}");
            1
        }
    }
}
