//! Columns of memory: sizes, resident sets, faults, %MEM. Never reads /proc.

use super::{Column, Ctx, Process, Row, Width, put};
use crate::items::Item::*;
use crate::items::values::{data_kib, text_kib, vm};
use crate::proc::Needs;

fn vm_size(p: &Process) -> u64 {
    vm(p, |s| s.vm_size)
}
fn vm_rss(p: &Process) -> u64 {
    vm(p, |s| s.vm_rss)
}

const S: Needs = Needs::STAT;
const ST: Needs = Needs::STATUS;
const SM: Needs = Needs::SMAPS;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

fn pmem(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let pm = (vm_rss(r.p) * 1000 / cx.mem_total).min(999);
    put(o, format_args!("{:2}.{}", pm / 10, pm % 10))
}
fn vsz(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, vm_size(r.p))
}
fn rss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, vm_rss(r.p))
}
fn sz(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, vm_size(r.p) / cx.page_kb)
}
fn swapable(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, vm(r.p, |s| s.vm_data) + vm(r.p, |s| s.vm_stk))
}
fn m_size(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.stat.vsize)
}
fn drs(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, data_kib(r.p))
}
fn trs(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, text_kib(r.p))
}
fn majflt(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let s = &r.p.stat;
    put(
        o,
        if cx.flags.cumulative {
            s.majflt + s.cmajflt
        } else {
            s.majflt
        },
    )
}
fn minflt(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let s = &r.p.stat;
    put(
        o,
        if cx.flags.cumulative {
            s.minflt + s.cminflt
        } else {
            s.minflt
        },
    )
}
fn pss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.smaps.map_or(0, |s| s.pss))
}
fn uss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.smaps.map_or(0, |s| s.uss))
}
fn lim(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    match r.p.stat.rsslim {
        u64::MAX => put(o, "xx"),
        v => put(o, format_args!("{:5}", v >> 10)),
    }
}
fn hex16(o: &mut String, v: u64) -> usize {
    put(o, format_args!("{v:016x}"))
}
fn stackp(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    hex16(o, r.p.stat.startstack)
}
fn esp(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    hex16(o, r.p.stat.kstkesp)
}
fn eip(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    hex16(o, r.p.stat.kstkeip)
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("%mem" | "pmem", "%MEM", w(4), Right, ST, Some(VmRss) => Some(PmemShown), pmem, "resident memory as per cent of MemTotal"),
    col!("vsz", "VSZ", w(6), Right, ST, Some(VmSize), vsz, "virtual memory size, KiB"),
    col!("vsize", "VSZ", w(6), Right, ST, Some(VsizeBytes) => Some(VmSize), vsz, "virtual memory size, KiB"),
    col!("rss" | "rssize", "RSS", w(5), Right, ST, Some(VmRss), rss, "resident set size, KiB"),
    col!("rsz", "RSZ", w(5), Right, ST, Some(VmRss), rss, "resident set size, KiB"),
    col!("sz", "SZ", w(5), Right, ST, Some(VmSize) => Some(VmSizePages), sz, "virtual memory size in pages"),
    col!("size", "SIZE", w(5), Right, ST, Some(VsizeBytes) => Some(VmSwappable), swapable, "data and stack size, KiB (what could be swapped)"),
    col!("m_size", "SIZE", w(5), Right, S, Some(VsizeBytes), m_size, "virtual memory size in bytes"),
    col!("drs" | "m_drs", "DRS", w(5), Right, S, Some(VsizeBytes) => Some(DataKib), drs, "data resident set size (virtual size minus code), KiB"),
    col!("dsiz", "DSIZ", w(4), Right, S, Some(VsizeBytes) => Some(DataKib), drs, "data size, KiB"),
    col!("trs", "TRS", w(4), Right, S, Some(VsizeBytes) => Some(TextKib), trs, "text (code) resident set size, KiB"),
    col!("m_trs", "TRS", w(5), Right, S, Some(VsizeBytes) => Some(TextKib), trs, "text (code) resident set size, KiB"),
    col!("trss", "TRSS", w(4), Right, S, Some(VsizeBytes) => Some(TextKib), trs, "text resident set size, KiB"),
    col!("tsiz", "TSIZ", w(4), Right, S, Some(VsizeBytes) => Some(TextKib), trs, "text size, KiB"),
    col!("maj_flt", "MAJFL", w(6), Right, S, Some(MajFltSelf) => Some(MajFlt), majflt, "major page faults"),
    col!("majflt", "MAJFLT", w(6), Right, S, Some(MajFltSelf) => Some(MajFlt), majflt, "major page faults"),
    col!("pagein", "PAGEIN", w(6), Right, S, Some(MajFltSelf) => Some(MajFlt), majflt, "major page faults (page-ins)"),
    col!("min_flt", "MINFL", w(6), Right, S, Some(MinFltSelf) => Some(MinFlt), minflt, "minor page faults"),
    col!("minflt", "MINFLT", w(6), Right, S, Some(MinFltSelf) => Some(MinFlt), minflt, "minor page faults"),
    col!("pss", "PSS", w(5), Right, SM, Some(Pss), pss, "proportional share of resident memory, KiB"),
    col!("uss", "USS", w(5), Right, SM, Some(Uss), uss, "unique (private) resident memory, KiB"),
    col!("lim", "LIM", w(5), Right, S, Some(RssLim) => Some(RssLimKib), lim, "resident set size limit, KiB (xx = unlimited)"),
    col!("stackp" | "start_stack", "STACKP", w(16), Right, S, Some(StartStack), stackp, "address of the stack start"),
    col!("esp", "ESP", w(16), Right, S, Some(Esp), esp, "stack pointer"),
    col!("eip", "EIP", w(16), Right, S, Some(Eip), eip, "instruction pointer"),
];
