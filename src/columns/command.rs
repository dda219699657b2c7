//! Columns of command text: argv (`args`), the command name (`comm`) and the executable.
//! Never reads /proc.

use super::{Column, Ctx, Row, Width, put};
use crate::items::Item::*;
use crate::items::values::{args_bytes, comm_bytes};
use crate::proc::Needs;
use crate::text;

const CL: Needs = Needs::CMDLINE;
const S: Needs = Needs::STAT;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

/// Writes as many whole units of the forest prefix as fit in `max` cells; returns the cells.
fn forest_prefix(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    let unit = cx.forest_unit.max(1);
    let n = r.forest.len().min(max / unit * unit);
    o.push_str(&r.forest[..n]);
    n
}

/// Writes the forest prefix, then `body` escaped by ps's pass, then the environment for BSD
/// `e`; all within `max` cells.
fn command(r: &Row, cx: &Ctx, max: usize, o: &mut String, body: &[u8]) -> usize {
    let fh = forest_prefix(r, cx, max, o);
    let mut room = max - fh;
    room -= text::ps_escape(body, cx.charset, room, o);
    if let Some(env) = r.p.environ.as_ref().filter(|_| cx.flags.bsd_e && room > 1) {
        o.push(' ');
        room -= 1;
        let mut lib = Vec::new();
        text::library_escape(env, cx.charset, &mut lib);
        room -= text::ps_escape(&lib, cx.charset, room, o);
    }
    max - room
}

fn args(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    let body = if cx.flags.bsd_c {
        comm_bytes(r.p, cx.charset)
    } else {
        args_bytes(r.p, cx.charset)
    };
    command(r, cx, max, o, &body)
}
fn comm(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    let body = if cx.flags.unix_f {
        args_bytes(r.p, cx.charset)
    } else {
        comm_bytes(r.p, cx.charset)
    };
    command(r, cx, max, o, &body)
}
fn fname(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    let fh = forest_prefix(r, cx, max, o);
    let room = (max - fh).min(8);
    fh + text::ps_escape(&comm_bytes(r.p, cx.charset), cx.charset, room, o)
}
fn exe(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    match &r.p.exe {
        Some(e) => text::escape(e, cx.charset, max, o),
        None => put(o, "-"),
    }
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("args" | "command", "COMMAND", w(27), Unlimited, CL, Some(Args), args, "command with all its arguments"),
    col!("cmd", "CMD", w(27), Unlimited, CL, Some(Args), args, "command with all its arguments"),
    col!("comm" | "ucomm", "COMMAND", w(15), Unlimited, S, Some(Comm), comm, "command name (the executable's name, up to 15 bytes)"),
    col!("ucmd", "CMD", w(15), Unlimited, S, Some(Comm), comm, "command name"),
    col!("fname", "COMMAND", w(8), Left, S, Some(Comm), fname, "first 8 bytes of the command name"),
    col!("exe", "EXE", w(27), Unlimited, Needs::EXE, Some(Exe), exe, "path of the executable"),
];
