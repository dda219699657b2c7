//! Specifiers procps-ng 4.0.2 accepts without listing them in `ps L`: other systems' fields
//! that Linux does not report (each prints `-`), and procps's six layout test columns
//! (`_left` … `_unlimited2`, fixed sample text). Never reads /proc.

use super::{Column, Ctx, Row, Width, put};
use crate::proc::Needs;

const fn w(n: usize) -> Width {
    Width::Fixed(n)
}

fn dash(_: &Row, _: &Ctx, _: usize, o: &mut String) -> usize {
    put(o, "-")
}

macro_rules! sample {
    ($($f:ident = $text:literal, $cut:literal;)*) => {$(
        fn $f(_: &Row, _: &Ctx, max: usize, o: &mut String) -> usize {
            let t: &str = $text;
            // Only the unlimited samples are cut to the cell, as procps cuts text columns.
            let t = if $cut { &t[..t.len().min(max)] } else { t };
            put(o, t)
        }
    )*};
}
sample! {
    t_left = "tty7", false;
    t_left2 = "3270/tty4", false;
    t_right = "59:59", false;
    t_right2 = "999-23:59:59", false;
    t_unlimited = "[123456789-12345] <defunct>", true;
    t_unlimited2 = "123456789-123456", true;
}

const S: Needs = Needs::STAT;

#[rustfmt::skip]
pub(super) static COLUMNS: &[Column] = &[
    col!("_left", "LLLLLLLL", w(8), Left, S, None, t_left, "layout test column: left-aligned sample text"),
    col!("_left2", "L2L2L2L2", w(8), Left, S, None, t_left2, "layout test column: left-aligned sample text, too wide"),
    col!("_right", "RRRRRRRRRRR", w(11), Right, S, None, t_right, "layout test column: right-aligned sample text"),
    col!("_right2", "R2R2R2R2R2R", w(11), Right, S, None, t_right2, "layout test column: right-aligned sample text, wider"),
    col!("_unlimited", "U", w(16), Unlimited, S, None, t_unlimited, "layout test column: unlimited sample text"),
    col!("_unlimited2", "U2", w(16), Unlimited, S, None, t_unlimited2, "layout test column: unlimited sample text"),
    col!("acflag", "ACFLG", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("acflg", "ACFLG", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("argc", "ARGC", w(4), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("bnd", "BND", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("cmaj_flt", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("cmin_flt", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("cnswap", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("ctid", "CTID", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("cursig", "CURSIG", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("cutime", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("cwd", "CWD", w(3), Left, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("emul", "EMUL", w(13), Left, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("end_code", "E_CODE", w(16), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("environ", "ENVIRONMENT", w(11), Unlimited, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("inblk", "INBLK", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("inblock", "INBLK", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("jid", "JID", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("ktrace", "KTRACE", w(8), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("ktracep", "KTRACEP", w(8), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("login", "LOGNAME", w(8), Left, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("logname", "LOGNAME", w(8), Left, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("luser", "LUSER", w(8), User, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("m_lrs", "LRS", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("m_resident", "RES", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("msgrcv", "MSGRCV", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("msgsnd", "MSGSND", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("mwchan", "MWCHAN", w(6), Wchan, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("nivcsw", "IVCSW", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("nsignals", "NSIGS", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("nsigs", "NSIGS", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("nswap", "NSWAP", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("nvcsw", "VCSW", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("osz", "SZ", w(2), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("oublk", "OUBLK", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("oublock", "OUBLK", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("p_ru", "P_RU", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("paddr", "PADDR", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("poip", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("prmgrp", "PRMGRP", w(12), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("prmid", "PRMID", w(12), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("project", "PROJECT", w(12), Left, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("projid", "PROJID", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("pset", "PSET", w(4), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("psxpri", "PPR", w(3), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("resident", "RES", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("rlink", "RLINK", w(8), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("scnt", "SCNT", w(4), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("scount", "SC", w(4), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("share", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("start_code", "S_CODE", w(16), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("status", "STATUS", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("systime", "SYSTEM", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("taskid", "TASKID", Width::Pid, Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("tdev", "TDEV", w(4), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("tmout", "TMOUT", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("tsess", "TSESS", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("tsession", "TSESS", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("tsid", "TSID", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("u_procp", "UPROCP", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("umask", "UMASK", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("upr", "UPR", w(3), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("uprocp", "UPROCP", w(8), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("usertime", "USER", w(4), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("usrpri", "UPR", w(3), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("utime", "UTIME", w(6), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("vm_data", "DATA", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("vm_exe", "EXE", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("vm_lock", "LCK", w(3), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("vm_stack", "STACK", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("xstat", "XSTAT", w(5), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("zoneid", "ZONEID", w(31), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
    col!("~", "-", w(1), Right, S, None, dash, "not reported by Linux (procps accepts it and prints -)"),
];
