//! Columns of process, thread, group and session ids. Never reads /proc.

use super::{Column, Ctx, Row, Width, put};
use crate::items::Item::*;
use crate::proc::Needs;

const S: Needs = Needs::STAT;
const P: Width = Width::Pid;

fn pid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.pid)
}
fn tid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.tid)
}
fn ppid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.ppid)
}
fn pgid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.pgrp)
}
fn sid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.session)
}
fn tpgid_text(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.tpgid)
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("pid", "PID", P, Right, S, Some(Pid), pid_text, "process id"),
    col!("tgid", "TGID", P, Right, S, Some(Pid), pid_text, "thread group id (the process id)"),
    col!("ppid", "PPID", P, Right, S, Some(Ppid), ppid_text, "parent process id"),
    col!("pgid", "PGID", P, Right, S, Some(Pgrp), pgid_text, "process group id"),
    col!("pgrp", "PGRP", P, Right, S, Some(Pgrp), pgid_text, "process group id"),
    col!("sid", "SID", P, Right, S, Some(Session), sid_text, "session id"),
    col!("sess", "SESS", P, Right, S, Some(Session), sid_text, "session id"),
    col!("session", "SESS", P, Right, S, Some(Session), sid_text, "session id"),
    col!("tpgid", "TPGID", P, Right, S, Some(Tpgid), tpgid_text, "foreground process group of the terminal"),
    col!("lwp", "LWP", P, Right, S, Some(Tid), tid_text, "thread id (light weight process)"),
    col!("tid", "TID", P, Right, S, Some(Tid), tid_text, "thread id"),
    col!("spid", "SPID", P, Right, S, Some(Tid), tid_text, "thread id"),
];
