//! GNU long options (`--sort=-rss`, `--pid 1`), as procps reads them; never reads /proc.

use super::lists::ItemParser;
use super::{Action, Parser, Sf, err};
use crate::ps::presets::*;
use crate::ps::spec::UsageError;
use crate::ps::{Forest, Headers, ListKind};

impl Parser {
    pub(in crate::ps) fn gnu(&mut self, word: &[u8]) -> Result<(), UsageError> {
        let s = &word[2..];
        let sl = s
            .iter()
            .position(|&b| b == b':' || b == b'=')
            .unwrap_or(s.len());
        if sl > 15 {
            return Err(err("unknown gnu long option"));
        }
        let (name, rest) = (&s[..sl], &s[sl..]);
        // A name that is not UTF-8 is no option's.
        let name = std::str::from_utf8(name).unwrap_or("");
        // The argument: after `=`/`:` in the same word, or the next word.
        let arg = |p: &mut Parser| -> Option<Vec<u8>> {
            if !rest.is_empty() {
                let a = &rest[1..];
                return (!a.is_empty()).then(|| a.to_vec());
            }
            let next = p.args.get(p.i + 1)?.clone();
            if next.is_empty() {
                return None;
            }
            p.i += 1;
            Some(next)
        };
        let no_arg = |msg: &str| {
            if rest.is_empty() {
                Ok(())
            } else {
                Err(err(msg))
            }
        };
        match name {
            "Group" => {
                let a = arg(self).ok_or_else(|| err("list of real groups must follow --Group"))?;
                self.push_list(ListKind::Rgid, &a, ItemParser::Gid)
            }
            "User" => {
                let a = arg(self).ok_or_else(|| err("list of real users must follow --User"))?;
                self.push_list(ListKind::Ruid, &a, ItemParser::Uid)
            }
            "cols" | "width" | "columns" => {
                let t = arg(self)
                    .and_then(|a| crate::num::strtol_whole(&super::text(a)))
                    .filter(|&t| t > 0 && t < 2_000_000_000);
                let t = t.ok_or_else(|| {
                    err("number of columns must follow --cols, --width, or --columns")
                })?;
                self.cols = t as usize;
                Ok(())
            }
            "context" => {
                self.format_flags |= FF_FC;
                Ok(())
            }
            "cumulative" => {
                no_arg("option --cumulative does not take an argument")?;
                self.flags.cumulative = true;
                Ok(())
            }
            "deselect" => {
                no_arg("option --deselect does not take an argument")?;
                self.negate = true;
                Ok(())
            }
            "no-header" | "no-headers" | "no-heading" | "no-headings" | "noheader"
            | "noheaders" | "noheading" | "noheadings" => {
                no_arg("option --no-heading does not take an argument")?;
                if self.header.is_some() {
                    return Err(err("only one heading option may be specified"));
                }
                self.header = Some(Headers::None);
                Ok(())
            }
            "header" | "headers" | "heading" | "headings" => {
                no_arg("option --heading does not take an argument")?;
                if self.header.is_some() {
                    return Err(err("only one heading option may be specified"));
                }
                self.header = Some(Headers::Repeat);
                Ok(())
            }
            "forest" => {
                no_arg("option --forest does not take an argument")?;
                self.forest = Some(Forest::Ascii);
                Ok(())
            }
            "format" => {
                let a =
                    arg(self).ok_or_else(|| err("format specification must follow --format"))?;
                self.sf.push((super::text(a), Sf::LittleO));
                Ok(())
            }
            "group" => {
                let a =
                    arg(self).ok_or_else(|| err("list of effective groups must follow --group"))?;
                self.push_list(ListKind::Egid, &a, ItemParser::Gid)
            }
            "help" => {
                let a = arg(self).map(super::text);
                self.exclusive_hit = Some(Action::Help(a));
                Ok(())
            }
            // procps's debugging dump; gopsi has none to give, but refuses company as procps.
            "info" => self.exclusive("--info", Action::Version),
            "pid" => {
                let a = arg(self).ok_or_else(|| err("list of process IDs must follow --pid"))?;
                self.push_list(ListKind::Pid, &a, ItemParser::Pid)
            }
            "quick-pid" => {
                let a =
                    arg(self).ok_or_else(|| err("List of process IDs must follow --quick-pid."))?;
                self.push_list(ListKind::QuickPid, &a, ItemParser::Pid)
            }
            "ppid" => {
                let a = arg(self).ok_or_else(|| err("list of process IDs must follow --ppid"))?;
                self.push_list(ListKind::Ppid, &a, ItemParser::Pid)
            }
            "rows" | "lines" => {
                let t = arg(self)
                    .and_then(|a| crate::num::strtol_whole(&super::text(a)))
                    .filter(|&t| t > 0 && t < 2_000_000_000);
                let t = t.ok_or_else(|| err("number of rows must follow --rows or --lines"))?;
                self.rows = t as usize;
                Ok(())
            }
            "sid" => {
                let a = arg(self).ok_or_else(|| err("some sid thing(s) must follow --sid"))?;
                self.push_list(ListKind::Sess, &a, ItemParser::Pid)
            }
            "sort" => {
                let a =
                    arg(self).ok_or_else(|| err("long sort specification must follow --sort"))?;
                self.sf.push((super::text(a), Sf::Sort));
                self.have_gnu_sort = true;
                Ok(())
            }
            "tty" => {
                let a = arg(self).ok_or_else(|| err("list of ttys must follow --tty"))?;
                self.push_list(ListKind::Tty, &a, ItemParser::Tty)
            }
            "user" => {
                let a =
                    arg(self).ok_or_else(|| err("list of effective users must follow --user"))?;
                self.push_list(ListKind::Euid, &a, ItemParser::Uid)
            }
            "version" => self.exclusive("--version", Action::Version),
            "json" => {
                no_arg("option --json does not take an argument")?;
                self.json = true;
                Ok(())
            }
            _ => Err(err("unknown gnu long option")),
        }
    }
}
