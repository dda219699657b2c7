//! `gopsi ports`: sockets and their owners as a table or JSON. Never reads /proc itself: the
//! library's `inspect::ports` does.

use clap::ArgMatches;

use super::{Output, emit, emit_json, esc, table};
use gopsi::inspect::ports::*;
use gopsi::proc::ProcFs;

/// Table rows of ports (already escaped for a terminal). `unknown` marks sockets whose owner
/// could not be read.
pub(crate) fn rows(ports: &[Port], unknown: bool) -> Vec<Vec<String>> {
    ports
        .iter()
        .map(|p| {
            let pids = if p.owners.is_empty() {
                if unknown && p.inode != 0 { "?" } else { "-" }.to_string()
            } else {
                let mut v: Vec<String> = p.owners.iter().map(|o| o.pid.to_string()).collect();
                v.dedup();
                v.join(",")
            };
            let proto = match p.unix_type {
                Some(t) => t.netid().to_string(),
                None => p.proto.to_string(),
            };
            vec![
                proto,
                esc(p.local_text().as_bytes()),
                esc(p.remote_text().as_bytes()),
                p.state.to_string(),
                pids,
                p.command
                    .as_deref()
                    .map_or("-".into(), |c| esc(c.as_bytes())),
            ]
        })
        .collect()
}

/// The table header of [`rows`].
pub(crate) const HEADER: [&str; 6] = ["Proto", "Local", "Remote", "State", "PID", "Command"];

/// `gopsi ports ...` with parsed arguments.
pub(crate) fn run(fs: &ProcFs, m: &ArgMatches, out: Output) -> i32 {
    let (t, u, x) = (m.get_flag("tcp"), m.get_flag("udp"), m.get_flag("unix"));
    let (v4, v6) = (m.get_flag("ipv4"), m.get_flag("ipv6"));
    let any_proto = t || u || x;
    let filter = PortFilter {
        tcp: t || !any_proto,
        udp: u || !any_proto,
        unix: x,
        v4: v4 || !v6,
        v6: v6 || !v4,
        all: m.get_flag("all"),
        pids: super::pids_arg(m, "pid"),
    };
    for &pid in &filter.pids {
        if !super::exists(fs, pid) {
            errln!("gopsi: no process with PID {pid}");
            return 1;
        }
    }
    let list = match list(fs, &filter) {
        Ok(l) => l,
        Err(e) => {
            errln!("gopsi: {e}");
            return 1;
        }
    };
    if !list.denied.is_empty() {
        errln!(
            "gopsi: could not read the open files of {} process{} (permission denied); \
             sockets they hold show no PID{}",
            list.denied.len(),
            if list.denied.len() == 1 { "" } else { "es" },
            if out == Output::Json {
                ""
            } else {
                " (marked ?)"
            }
        );
    }
    if out == Output::Json {
        return emit_json(&list.ports, 0);
    }
    let text = table(out, &HEADER, &rows(&list.ports, !list.denied.is_empty()));
    emit(&text, 0)
}
