//! Columns of command text: argv (`args`), the command name (`comm`) and the executable.
//! Never reads /proc.

use super::{Column, Ctx, Key, Process, Row, Width, put};
use crate::proc::Needs;
use crate::text;

const CL: Needs = Needs::CMDLINE;
const S: Needs = Needs::STAT;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

/// The library's command line: argv joined, or `[comm]` (with ` <defunct>` for zombies) when
/// argv is empty, or `?` when argv held only NULs. Escaped by procps's library pass.
pub(crate) fn args_bytes(p: &Process, cs: text::Charset) -> Vec<u8> {
    let mut out = Vec::new();
    match &p.cmdline {
        Some(a) if a.is_empty() => out.push(b'?'),
        Some(a) => text::library_escape(a, cs, &mut out),
        None => {
            out.push(b'[');
            text::library_escape(&p.stat.comm, cs, &mut out);
            out.push(b']');
            if p.stat.state == b'Z' {
                out.extend_from_slice(b" <defunct>");
            }
        }
    }
    out
}

/// The library's command name (comm), escaped by its pass.
pub(crate) fn comm_bytes(p: &Process, cs: text::Charset) -> Vec<u8> {
    let mut out = Vec::new();
    text::library_escape(&p.stat.comm, cs, &mut out);
    out
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
fn args_key(p: &Process, cx: &Ctx) -> Key {
    Key::Text(args_bytes(p, cx.charset))
}
fn comm_key(p: &Process, _: &Ctx) -> Key {
    Key::Text(p.stat.comm.clone())
}
fn exe(r: &Row, cx: &Ctx, max: usize, o: &mut String) -> usize {
    match &r.p.exe {
        Some(e) => text::escape(e, cx.charset, max, o),
        None => put(o, "-"),
    }
}
fn exe_key(p: &Process, _: &Ctx) -> Key {
    Key::Text(p.exe.clone().unwrap_or_default())
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("args" | "command", "COMMAND", w(27), Unlimited, CL, Some(args_key), args, "command with all its arguments"),
    col!("cmd", "CMD", w(27), Unlimited, CL, Some(args_key), args, "command with all its arguments"),
    col!("comm" | "ucomm", "COMMAND", w(15), Unlimited, S, Some(comm_key), comm, "command name (the executable's name, up to 15 bytes)"),
    col!("ucmd", "CMD", w(15), Unlimited, S, Some(comm_key), comm, "command name"),
    col!("fname", "COMMAND", w(8), Left, S, Some(comm_key), fname, "first 8 bytes of the command name"),
    col!("exe", "EXE", w(27), Unlimited, Needs::EXE, Some(exe_key), exe, "path of the executable"),
];
