//! Columns of process, thread, group and session ids. Never reads /proc.

use super::{Column, Ctx, Key, Process, Row, Width, put};
use crate::proc::Needs;

const S: Needs = Needs::STAT;
const P: Width = Width::Pid;

fn pid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.pid.into())
}
fn pid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.pid)
}
fn tid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.tid.into())
}
fn tid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.tid)
}
fn ppid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.ppid.into())
}
fn ppid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.ppid)
}
fn pgid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.pgrp.into())
}
fn pgid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.pgrp)
}
fn sid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.session.into())
}
fn sid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.session)
}
fn tpgid_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.tpgid.into())
}
fn tpgid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.tpgid)
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("pid", "PID", P, Right, S, Some(pid_key), pid_text, "process id"),
    col!("tgid", "TGID", P, Right, S, Some(pid_key), pid_text, "thread group id (the process id)"),
    col!("ppid", "PPID", P, Right, S, Some(ppid_key), ppid_text, "parent process id"),
    col!("pgid", "PGID", P, Right, S, Some(pgid_key), pgid_text, "process group id"),
    col!("pgrp", "PGRP", P, Right, S, Some(pgid_key), pgid_text, "process group id"),
    col!("sid", "SID", P, Right, S, Some(sid_key), sid_text, "session id"),
    col!("sess", "SESS", P, Right, S, Some(sid_key), sid_text, "session id"),
    col!("session", "SESS", P, Right, S, Some(sid_key), sid_text, "session id"),
    col!("tpgid", "TPGID", P, Right, S, Some(tpgid_key), tpgid_text, "foreground process group of the terminal"),
    col!("lwp", "LWP", P, Right, S, Some(tid_key), tid_text, "thread id (light weight process)"),
    col!("tid", "TID", P, Right, S, Some(tid_key), tid_text, "thread id"),
    col!("spid", "SPID", P, Right, S, Some(tid_key), tid_text, "thread id"),
];
