//! The built-in formats and modifiers (procps's `process_sf_options`, `generate_sysv_list`),
//! the selection table and the thread-flag checks, from what the command line set; never reads
//! /proc.

use super::argv::{Parser, Sf};
use super::spec::{UsageError, err, format_parse, long_sort, o_wrap, short_sort};
use super::{FmtItem, SortKey, Threads};

// Format flags (which built-in format), as procps names them.
pub(in crate::ps) const FF_UF: u32 = 1;
pub(in crate::ps) const FF_UL: u32 = 2;
pub(in crate::ps) const FF_UJ: u32 = 4;
pub(in crate::ps) const FF_BJ: u32 = 8;
pub(in crate::ps) const FF_BL: u32 = 16;
pub(in crate::ps) const FF_BS: u32 = 32;
pub(in crate::ps) const FF_BU: u32 = 64;
pub(in crate::ps) const FF_BV: u32 = 128;
pub(in crate::ps) const FF_LX: u32 = 256;
pub(in crate::ps) const FF_LM: u32 = 512;
pub(in crate::ps) const FF_FC: u32 = 1024;
// Format modifiers.
pub(in crate::ps) const FM_C: u32 = 1;
pub(in crate::ps) const FM_J: u32 = 2;
pub(in crate::ps) const FM_Y: u32 = 4;
pub(in crate::ps) const FM_UF: u32 = 8;
pub(in crate::ps) const FM_P: u32 = 16;
pub(in crate::ps) const FM_M: u32 = 32;
// Simple selection.
pub(in crate::ps) const SS_B_X: u32 = 1;
pub(in crate::ps) const SS_B_G: u32 = 2;
pub(in crate::ps) const SS_U_D: u32 = 4;
pub(in crate::ps) const SS_U_A: u32 = 8;
pub(in crate::ps) const SS_B_A: u32 = 16;
// Thread flags.
pub(in crate::ps) const TF_B_H: u32 = 1;
pub(in crate::ps) const TF_B_M: u32 = 2;
pub(in crate::ps) const TF_U_M: u32 = 4;
pub(in crate::ps) const TF_U_T: u32 = 8;
pub(in crate::ps) const TF_U_L: u32 = 16;

impl Parser {
    pub(in crate::ps) fn thread_check(&self) -> Result<Threads, UsageError> {
        let t = self.threads;
        if t == 0 {
            return Ok(Threads::None);
        }
        if self.forest.is_some() {
            return Err(err("thread display conflicts with forest display"));
        }
        if t & TF_B_H != 0 && t & (TF_B_M | TF_U_M) != 0 {
            return Err(err("thread flags conflict; can't use H with m or -m"));
        }
        if t & TF_B_M != 0 && t & TF_U_M != 0 {
            return Err(err("thread flags conflict; can't use both m and -m"));
        }
        if t & TF_U_L != 0 && t & TF_U_T != 0 {
            return Err(err("thread flags conflict; can't use both -L and -T"));
        }
        Ok(if t & (TF_B_M | TF_U_M) != 0 {
            Threads::AfterProcess
        } else {
            Threads::Rows
        })
    }

    pub(in crate::ps) fn select_bits(&mut self) -> Result<(bool, u16, bool), UsageError> {
        let use_table = self.simple != 0 || self.lists.is_empty();
        if self.simple == 0 && !self.prefer_bsd {
            return Ok((self.all, 0xaa00, use_table));
        }
        let sw = if self.simple & (SS_U_A | SS_U_D) == 0 {
            self.simple | SS_B_G
        } else {
            self.simple
        };
        let table = match sw {
            x if x == SS_U_A | SS_U_D => 0x3f3f,
            SS_U_A => 0x0303,
            SS_U_D => 0x3333,
            0 => 0x0202,
            SS_B_A => 0x0303,
            SS_B_X => 0x2222,
            x if x == SS_B_X | SS_B_A => 0x3333,
            SS_B_G => 0x0a0a,
            x if x == SS_B_G | SS_B_A => 0x0f0f,
            x if x == SS_B_G | SS_B_X => 0xaaaa,
            x if x == SS_B_G | SS_B_X | SS_B_A => {
                self.all = true;
                self.simple = 0;
                return Ok((true, 0, self.lists.is_empty()));
            }
            _ => return Err(err("process selection options conflict")),
        };
        Ok((self.all, table, use_table))
    }

    /// procps's `process_sf_options`: the user's -o/O/--sort lists, else a built-in format
    /// chosen by the format flags, then the modifiers (-j -y -c -L -T).
    pub(in crate::ps) fn sort_format(
        &mut self,
    ) -> Result<(Vec<FmtItem>, Vec<SortKey>), UsageError> {
        let mut format: Vec<FmtItem> = Vec::new();
        let mut sort: Vec<SortKey> = Vec::new();
        let (mut parsed_format, mut parsed_sort) = (false, false);
        for (text, code) in self.sf.clone() {
            match code {
                Sf::LittleO => {
                    format.extend(format_parse(&text)?);
                    parsed_format = true;
                }
                Sf::UnixO => {
                    if parsed_format {
                        return Err(err("option -O can not follow other format options"));
                    }
                    let user = format_parse(&text)?;
                    parsed_format = true;
                    format.extend(o_wrap(user, false));
                }
                Sf::BigO => {
                    let short = if self.have_gnu_sort || parsed_sort {
                        Err(err("multiple sort options"))
                    } else {
                        short_sort(&text, self.forest.is_some())
                    };
                    match short {
                        Ok(keys) => {
                            sort.extend(keys);
                            parsed_sort = true;
                        }
                        Err(e) => {
                            if parsed_format {
                                return Err(err("option O is neither first format nor sort order"));
                            }
                            match format_parse(&text) {
                                Ok(user) => {
                                    parsed_format = true;
                                    format.extend(o_wrap(user, true));
                                }
                                Err(_) => return Err(e),
                            }
                        }
                    }
                }
                Sf::Sort => {
                    if parsed_sort {
                        return Err(err("multiple sort options"));
                    }
                    sort.extend(long_sort(&text)?);
                    parsed_sort = true;
                }
            }
        }
        let no_format = format.is_empty() && self.format_flags == 0 && self.modifiers == 0;
        if let Some(ps_format) = self
            .ps_format
            .clone()
            .filter(|f| no_format && !f.is_empty())
        {
            {
                if self.threads & (TF_U_L | TF_U_T) != 0
                    && self.threads & (TF_B_M | TF_U_M | TF_B_H) != 0
                {
                    return Err(err(
                        "tell <procps@freelists.org> what you want (-L/-T, -m/m/H, and $PS_FORMAT)",
                    ));
                }
                match format_parse(&ps_format) {
                    Ok(f) => return Ok((f, sort)),
                    // The variable's text is quoted: escaped (procps prints it raw).
                    Err(e) => eprint!(
                        "{}",
                        crate::text::message(
                            format!("warning: $PS_FORMAT ignored. ({})\n", e.0).as_bytes(),
                            crate::text::Charset::from_locale(),
                        )
                    ),
                }
            }
        }
        if !format.is_empty() {
            if self.format_flags != 0 {
                return Err(err("conflicting format options"));
            }
            if self.modifiers != 0 {
                return Err(err("can not use output modifiers with user-defined output"));
            }
            if self.threads & (TF_U_L | TF_U_T) != 0
                && self.threads & (TF_B_M | TF_U_M | TF_B_H) != 0
            {
                return Err(err("-L/-T with H/m/-m and -o/-O/o/O is nonsense"));
            }
            return Ok((format, sort));
        }
        let preset = match self.format_flags {
            0 => None,
            x if x == FF_UF | FF_UL => None,
            FF_UF | FF_UL => None,
            FF_UJ => Some("pid,sid,pgrp,tname,atime,args"),
            FF_BJ => Some("ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args"),
            FF_BL => Some("flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args"),
            FF_BS => Some("uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args"),
            FF_BU => Some("user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args"),
            FF_BV => Some("pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args"),
            FF_LX => Some("pid,start_stack,esp,eip,timeout,alarm,stat,tname,bsdtime,args"),
            FF_LM => Some(
                "pid,tname,majflt,minflt,m_trs,m_drs,m_size,m_swap,rss,m_share,vm_lib,m_dt,args",
            ),
            FF_FC => Some("pid,context,args"),
            _ => return Err(err("conflicting format options")),
        };
        format = match preset {
            Some(p) => p.split(',').map(FmtItem::named).collect(),
            None => self.sysv_list()?,
        };
        self.modify(&mut format)?;
        Ok((format, sort))
    }

    /// The built-in UNIX format, built from the flags (procps's `generate_sysv_list`).
    pub(in crate::ps) fn sysv_list(&self) -> Result<Vec<FmtItem>, UsageError> {
        let (ff, fm, tf) = (self.format_flags, self.modifiers, self.threads);
        if fm & FM_Y != 0 && ff & FF_UL == 0 {
            return Err(err("modifier -y without format -l makes no sense"));
        }
        let mut v: Vec<&str> = Vec::new(); // built back to front
        if self.prefer_bsd {
            v.push(if ff != 0 { "cmd" } else { "args" });
            v.push("bsdtime");
            if ff & FF_UL == 0 {
                v.push("stat");
            }
        } else {
            v.push(if ff & FF_UF != 0 { "cmd" } else { "ucmd" });
            v.push("time");
        }
        v.push("tname");
        if ff & FF_UF != 0 {
            v.push("stime");
        }
        if fm & FM_UF != 0 {
            if fm & FM_P == 0 {
                v.push("psr");
            }
            if !(ff & FF_UL != 0 && fm & FM_Y != 0) {
                v.push("rss");
            }
        }
        if ff & FF_UL != 0 {
            v.push("wchan");
        }
        if fm & FM_UF != 0 || ff & FF_UL != 0 {
            v.push("sz");
        }
        if ff & FF_UL != 0 {
            v.push(if fm & FM_Y != 0 { "rss" } else { "addr_1" });
        }
        if fm & FM_C != 0 {
            v.push("pri");
            v.push("class");
        } else if ff & FF_UL != 0 {
            v.push("ni");
            v.push("opri");
        }
        if tf & TF_U_L != 0 && ff & FF_UF != 0 {
            v.push("nlwp");
        }
        if ff & (FF_UF | FF_UL) != 0 && fm & FM_C == 0 {
            v.push("c");
        }
        if fm & FM_P != 0 {
            v.push("psr");
        }
        if tf & TF_U_L != 0 {
            v.push("lwp");
        }
        if fm & FM_J != 0 {
            v.push("sid");
            v.push("pgid");
        }
        if ff & (FF_UF | FF_UL) != 0 {
            v.push("ppid");
        }
        if tf & TF_U_T != 0 {
            v.push("spid");
        }
        v.push("pid");
        if ff & FF_UF != 0 {
            v.push("uid_hack");
        } else if ff & FF_UL != 0 {
            v.push("uid");
        }
        if ff & FF_UL != 0 {
            v.push("s");
            if fm & FM_Y == 0 {
                v.push("f");
            }
        }
        if fm & FM_M != 0 {
            v.push("label");
        }
        Ok(v.into_iter().rev().map(FmtItem::named).collect())
    }

    /// Applies -j -y -c -T -L to a preset format (procps inserts after named headers).
    pub(in crate::ps) fn modify(&self, f: &mut Vec<FmtItem>) -> Result<(), UsageError> {
        let (ff, fm, tf) = (self.format_flags, self.modifiers, self.threads);
        let is_preset_sysv = ff & !(FF_UF | FF_UL) == 0;
        if !is_preset_sysv {
            if fm & FM_J != 0 {
                add_after(f, &["PPID", "PID"], "pgid");
                add_after(f, &["PGID"], "sid");
            }
            if tf & TF_U_T != 0 {
                add_after(f, &["PID"], "spid");
            }
            if tf & TF_U_L != 0 {
                add_after(f, &["SID", "SESS", "PGID", "PGRP", "PPID", "PID"], "lwp");
                add_after(f, &["%CPU"], "nlwp");
            }
        }
        Ok(())
    }
}

fn header_of(i: &FmtItem) -> &str {
    match i {
        FmtItem::Column { col, header, .. } => header.as_deref().unwrap_or(col.header),
        FmtItem::Literal(t) => t,
    }
}

fn add_after(f: &mut Vec<FmtItem>, after: &[&str], spec: &str) {
    for h in after {
        if let Some(pos) = f.iter().position(|i| header_of(i) == *h) {
            f.insert(pos + 1, FmtItem::named(spec));
            return;
        }
    }
}
