//! Columns of scheduling: nice, priorities, policy, processor, thread count. Never reads /proc.

use super::{Column, Ctx, Row, Width, put};
use crate::items::Item::*;
use crate::proc::Needs;

const S: Needs = Needs::STAT;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

fn nice(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    match r.p.stat.policy {
        0 | 3 => put(o, r.p.stat.nice),
        _ => put(o, "-"),
    }
}
fn pri(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, 39 - r.p.stat.priority)
}
fn opri(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, 60 + r.p.stat.priority)
}
fn priority(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.priority)
}
fn rtprio(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    match r.p.stat.policy {
        0 => put(o, "-"),
        _ => put(o, r.p.stat.rt_priority),
    }
}
/// The scheduling class abbreviation (TS FF RR B ISO IDL DLN).
pub(crate) fn class_name(policy: u32) -> String {
    match policy {
        0 => "TS".into(),
        1 => "FF".into(),
        2 => "RR".into(),
        3 => "B".into(),
        4 => "ISO".into(),
        5 => "IDL".into(),
        6 => "DLN".into(),
        7..=9 => format!("#{policy}"),
        _ => "?".into(),
    }
}
fn class(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, class_name(r.p.stat.policy))
}
fn sched(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.policy)
}
fn psr(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.processor)
}
fn nlwp(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.num_threads)
}

#[rustfmt::skip]
fn pri_api(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, -1 - r.p.stat.priority)
}
fn pri_bar(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.priority + 1)
}
fn pri_baz(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.priority + 100)
}
fn pri_foo(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.priority - 20)
}
fn sgi_p(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    if r.p.stat.state == b'R' {
        put(o, r.p.stat.processor)
    } else {
        put(o, "*")
    }
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("ni" | "nice", "NI", w(3), Right, S, Some(Nice), nice, "nice value (- for real-time policies)"),
    col!("pri", "PRI", w(3), Right, S, Some(Priority) => Some(PriPs), pri, "priority, higher number is higher priority"),
    col!("opri" | "intpri", "PRI", w(3), Right, S, Some(Priority) => Some(PriOld), opri, "priority as -l shows it (60 + kernel priority)"),
    col!("priority", "PRI", w(3), Right, S, Some(Priority), priority, "kernel priority (stat field 18)"),
    col!("rtprio", "RTPRIO", w(6), Right, S, Some(RtPriority), rtprio, "real-time priority"),
    col!("cls", "CLS", w(3), Right, S, Some(Policy) => None, class, "scheduling class (TS FF RR B IDL DLN)"),
    col!("class", "CLS", w(3), Left, S, Some(Policy) => None, class, "scheduling class, left-aligned"),
    col!("policy", "POL", w(3), Left, S, Some(Policy) => None, class, "scheduling class, left-aligned"),
    col!("sched", "SCH", w(3), Right, S, Some(Policy), sched, "scheduling policy number"),
    col!("pri_api", "API", w(3), Right, S, Some(Priority) => Some(PriApi), pri_api, "priority, -1 - kernel priority"),
    col!("pri_bar", "BAR", w(3), Right, S, Some(Priority) => Some(PriBar), pri_bar, "priority, kernel priority + 1"),
    col!("pri_baz", "BAZ", w(3), Right, S, Some(Priority) => Some(PriBaz), pri_baz, "priority, kernel priority + 100"),
    col!("pri_foo", "FOO", w(3), Right, S, Some(Priority) => Some(PriFoo), pri_foo, "priority, kernel priority - 20"),
    col!("sgi_p", "P", w(1), Right, S, Some(State) => Some(Processor), sgi_p, "processor of a running task, else *"),
    col!("psr", "PSR", w(3), Right, S, Some(Processor), psr, "processor the task last ran on"),
    col!("cpuid", "CPUID", w(5), Right, S, Some(Processor), psr, "processor the task last ran on"),
    col!("lastcpu", "C", w(3), Right, S, Some(Processor), psr, "processor the task last ran on"),
    col!("nlwp", "NLWP", w(4), Right, S, Some(Threads), nlwp, "number of threads"),
    col!("thcount", "THCNT", w(5), Right, S, Some(Threads), nlwp, "number of threads"),
];
