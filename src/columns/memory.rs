//! Columns of memory: sizes, resident sets, faults, %MEM. Never reads /proc.

use super::{Column, Ctx, Key, Process, Row, Width, put};
use crate::proc::Needs;

const S: Needs = Needs::STAT;
const ST: Needs = Needs::STATUS;
const SM: Needs = Needs::SMAPS;
const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

fn vm(p: &Process, f: fn(&crate::proc::Status) -> Option<u64>) -> u64 {
    p.status.as_ref().and_then(f).unwrap_or(0)
}
fn vm_size(p: &Process) -> u64 {
    vm(p, |s| s.vm_size)
}
fn vm_rss(p: &Process) -> u64 {
    vm(p, |s| s.vm_rss)
}

fn rss_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(vm_rss(p) as i64)
}
fn pmem(r: &Row, cx: &Ctx, _: usize, o: &mut String) -> usize {
    let pm = (vm_rss(r.p) * 1000 / cx.mem_total).min(999);
    put(o, format_args!("{:2}.{}", pm / 10, pm % 10))
}
fn size_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(vm_size(p) as i64)
}
fn vsize_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.vsize as i64)
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
fn data_kb(p: &Process) -> i64 {
    let s = &p.stat;
    if s.vsize == 0 {
        return 0;
    }
    (s.vsize.wrapping_sub(s.endcode).wrapping_add(s.startcode) >> 10) as i64
}
fn text_kb(p: &Process) -> i64 {
    let s = &p.stat;
    if s.vsize == 0 {
        return 0;
    }
    (s.endcode.wrapping_sub(s.startcode) >> 10) as i64
}
fn drs(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, data_kb(r.p))
}
fn trs(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, text_kb(r.p))
}
fn maj_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.majflt as i64)
}
fn min_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.minflt as i64)
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
fn pss_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.smaps.map_or(0, |s| s.pss) as i64)
}
fn pss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.smaps.map_or(0, |s| s.pss))
}
fn uss_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.smaps.map_or(0, |s| s.uss) as i64)
}
fn uss(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, r.p.smaps.map_or(0, |s| s.uss))
}
fn lim_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.rsslim as i64)
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
fn stackp_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.startstack as i64)
}
fn stackp(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    hex16(o, r.p.stat.startstack)
}
fn esp_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.kstkesp as i64)
}
fn esp(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    hex16(o, r.p.stat.kstkesp)
}
fn eip_key(p: &Process, _: &Ctx) -> Key {
    Key::Int(p.stat.kstkeip as i64)
}
fn eip(r: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    hex16(o, r.p.stat.kstkeip)
}

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("%mem" | "pmem", "%MEM", w(4), Right, ST, Some(rss_key), pmem, "resident memory as per cent of MemTotal"),
    col!("vsz", "VSZ", w(6), Right, ST, Some(size_key), vsz, "virtual memory size, KiB"),
    col!("vsize", "VSZ", w(6), Right, ST, Some(vsize_key), vsz, "virtual memory size, KiB"),
    col!("rss" | "rssize", "RSS", w(5), Right, ST, Some(rss_key), rss, "resident set size, KiB"),
    col!("rsz", "RSZ", w(5), Right, ST, Some(rss_key), rss, "resident set size, KiB"),
    col!("sz", "SZ", w(5), Right, ST, Some(size_key), sz, "virtual memory size in pages"),
    col!("size", "SIZE", w(5), Right, ST, Some(vsize_key), swapable, "data and stack size, KiB (what could be swapped)"),
    col!("m_size", "SIZE", w(5), Right, S, Some(vsize_key), m_size, "virtual memory size in bytes"),
    col!("drs" | "m_drs", "DRS", w(5), Right, S, Some(vsize_key), drs, "data resident set size (virtual size minus code), KiB"),
    col!("dsiz", "DSIZ", w(4), Right, S, Some(vsize_key), drs, "data size, KiB"),
    col!("trs", "TRS", w(4), Right, S, Some(vsize_key), trs, "text (code) resident set size, KiB"),
    col!("m_trs", "TRS", w(5), Right, S, Some(vsize_key), trs, "text (code) resident set size, KiB"),
    col!("trss", "TRSS", w(4), Right, S, Some(vsize_key), trs, "text resident set size, KiB"),
    col!("tsiz", "TSIZ", w(4), Right, S, Some(vsize_key), trs, "text size, KiB"),
    col!("maj_flt", "MAJFL", w(6), Right, S, Some(maj_key), majflt, "major page faults"),
    col!("majflt", "MAJFLT", w(6), Right, S, Some(maj_key), majflt, "major page faults"),
    col!("pagein", "PAGEIN", w(6), Right, S, Some(maj_key), majflt, "major page faults (page-ins)"),
    col!("min_flt", "MINFL", w(6), Right, S, Some(min_key), minflt, "minor page faults"),
    col!("minflt", "MINFLT", w(6), Right, S, Some(min_key), minflt, "minor page faults"),
    col!("pss", "PSS", w(5), Right, SM, Some(pss_key), pss, "proportional share of resident memory, KiB"),
    col!("uss", "USS", w(5), Right, SM, Some(uss_key), uss, "unique (private) resident memory, KiB"),
    col!("lim", "LIM", w(5), Right, S, Some(lim_key), lim, "resident set size limit, KiB (xx = unlimited)"),
    col!("stackp" | "start_stack", "STACKP", w(16), Right, S, Some(stackp_key), stackp, "address of the stack start"),
    col!("esp", "ESP", w(16), Right, S, Some(esp_key), esp, "stack pointer"),
    col!("eip", "EIP", w(16), Right, S, Some(eip_key), eip, "instruction pointer"),
];
