//! `gopsi files PID...`: the open descriptors of processes as a table or JSON. Never reads
//! /proc itself: the library's `inspect::files` does.

use clap::ArgMatches;

use super::{Output, emit, emit_json, esc, table};
use gopsi::inspect::files::*;
use gopsi::proc::fd::FdKind;
use gopsi::proc::{ProcError, ProcFs};

/// Table rows (escaped) of file entries.
pub(crate) fn rows(entries: &[FileEntry], with_pid: bool) -> Vec<Vec<String>> {
    entries
        .iter()
        .map(|e| {
            let mut target = match &e.socket {
                Some(s) => format!(
                    "{} ({})",
                    esc(e.target.as_bytes()),
                    esc(s.text().as_bytes())
                ),
                None => esc(e.target.as_bytes()),
            };
            if e.deleted && !target.ends_with("(deleted)") {
                target.push_str(" (deleted)");
            }
            let mut r = Vec::with_capacity(7);
            if with_pid {
                r.push(e.pid.to_string());
            }
            r.extend([
                e.fd.to_string(),
                e.mode.unwrap_or("-").to_string(),
                e.kind.to_string(),
                e.pos.map_or("-".into(), |p| p.to_string()),
                e.flag_names
                    .iter()
                    .skip(1)
                    .map(|n| n.trim_start_matches("O_"))
                    .collect::<Vec<_>>()
                    .join(","),
                target,
            ]);
            r
        })
        .collect()
}

/// One element of `gopsi files --json`: a descriptor, or a process whose descriptors could
/// not be read (`{"pid": 1, "files_error": "permission denied"}`, as `inspect --json` says it).
#[derive(serde::Serialize)]
#[serde(untagged)]
enum JsonItem {
    File(Box<FileEntry>),
    Unreadable { pid: i32, files_error: String },
}

/// `gopsi files PID...` with parsed arguments.
pub(crate) fn run(fs: &ProcFs, m: &ArgMatches, out: Output) -> i32 {
    let pids = super::pids_arg(m, "pids");
    let mut all = Vec::new();
    let mut json = Vec::new();
    let mut status = 0;
    let mut denied = Vec::new();
    let mut index: Option<SocketIndex> = None;
    for &pid in &pids {
        match fs.open_files(pid) {
            Ok(files) => {
                if index.is_none() && files.iter().any(|f| f.kind == FdKind::Socket) {
                    index = Some(SocketIndex::read(fs));
                }
                let found = entries(pid, &files, index.as_ref());
                if out == Output::Json {
                    json.extend(found.into_iter().map(|e| JsonItem::File(Box::new(e))));
                } else {
                    all.extend(found);
                }
            }
            Err(ProcError::Vanished(_)) => {
                errln!("gopsi: no process with PID {pid}");
                status = 1;
            }
            Err(ProcError::PermissionDenied(_)) => {
                denied.push(pid);
                json.push(JsonItem::Unreadable {
                    pid,
                    files_error: "permission denied".into(),
                });
            }
            Err(e) => {
                errln!("gopsi: {e}");
                json.push(JsonItem::Unreadable {
                    pid,
                    files_error: e.to_string(),
                });
                status = 1;
            }
        }
    }
    if !denied.is_empty() {
        let list: Vec<String> = denied.iter().map(i32::to_string).collect();
        errln!(
            "gopsi: cannot read the open files of PID {} (permission denied)",
            list.join(", ")
        );
    }
    if out == Output::Json {
        return emit_json(&json, status);
    }
    let with_pid = pids.len() > 1;
    let mut header = Vec::new();
    if with_pid {
        header.push("PID");
    }
    header.extend(["FD", "Mode", "Kind", "Pos", "Flags", "Target"]);
    let mut rows = rows(&all, with_pid);
    for &pid in &denied {
        let mut r = vec![];
        if with_pid {
            r.push(pid.to_string());
        }
        r.extend(["?", "-", "-", "-", ""].map(String::from));
        r.push("(permission denied)".into());
        rows.push(r);
    }
    emit(&table(out, &header, &rows), status)
}
