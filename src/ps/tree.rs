//! Forest order and prefixes (`f`, `--forest`, `-H`), as procps-ng 4.0.2 draws them: sorted by
//! the user's keys (or ppid) then start time, roots taken from the end of that order, children
//! in order, pid 1's children kept at its level in the ASCII style. Never reads /proc.

use super::{Forest, SortKey};
use crate::columns::{self, Ctx};
use crate::proc::Process;

/// Reorders `rows` into forest order and returns each row's expanded prefix.
pub fn order(rows: &mut Vec<Process>, style: Forest, user: &[SortKey], cx: &Ctx) -> Vec<String> {
    let mut keys: Vec<SortKey> = if user.is_empty() {
        vec![SortKey {
            col: columns::find("ppid").expect("ppid column"),
            descending: false,
        }]
    } else {
        user.to_vec()
    };
    keys.push(SortKey {
        col: columns::find("start_time").expect("start_time column"),
        descending: false,
    });
    super::sort(rows, &keys, cx);

    let n = rows.len();
    let mut out_order = Vec::with_capacity(n);
    let mut prefixes = Vec::with_capacity(n);
    let mut marks: Vec<u8> = Vec::new();
    for i in (0..n).rev() {
        let ppid = rows[i].stat.ppid;
        if rows.iter().any(|p| p.pid == ppid) {
            continue;
        }
        walk(
            rows,
            i,
            0,
            false,
            style,
            &mut marks,
            &mut out_order,
            &mut prefixes,
        );
    }
    let mut taken: Vec<Option<Process>> = rows.drain(..).map(Some).collect();
    let mut shown = Vec::with_capacity(n);
    for (&i, prefix) in out_order.iter().zip(prefixes) {
        if let Some(p) = taken[i].take() {
            rows.push(p);
            shown.push(prefix);
        }
    }
    shown
}

#[allow(clippy::too_many_arguments)]
fn walk(
    rows: &[Process],
    me: usize,
    level: usize,
    have_sibling: bool,
    style: Forest,
    marks: &mut Vec<u8>,
    out: &mut Vec<usize>,
    prefixes: &mut Vec<String>,
) {
    if level > 0 {
        marks.truncate(level - 1);
        marks.push(if have_sibling { b'+' } else { b'L' });
    } else {
        marks.clear();
    }
    out.push(me);
    prefixes.push(expand(marks, style));
    let pid = rows[me].pid;
    let Some(mut i) = rows.iter().position(|p| p.stat.ppid == pid) else {
        return;
    };
    if level > 0 {
        marks.truncate(level - 1);
        marks.push(if have_sibling { b'|' } else { b' ' });
    }
    loop {
        let more = i + 1 < rows.len() && rows[i + 1].stat.ppid == pid;
        let child_level = if pid == 1 && style == Forest::Ascii {
            level
        } else {
            (level + 1).min(99)
        };
        marks.truncate(level);
        walk(rows, i, child_level, more, style, marks, out, prefixes);
        i += 1;
        if !more {
            break;
        }
    }
    marks.truncate(level);
}

fn expand(marks: &[u8], style: Forest) -> String {
    marks
        .iter()
        .map(|m| match (style, m) {
            (Forest::Indent, _) => "  ",
            (Forest::Ascii, b'L' | b'+') => " \\_ ",
            (Forest::Ascii, b'|') => " |  ",
            (Forest::Ascii, _) => "    ",
        })
        .collect()
}
