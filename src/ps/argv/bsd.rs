//! BSD option letters without a dash (`aux`, `O rss`, `k -pid`), as procps reads them; never
//! reads /proc.

use super::lists::ItemParser;
use super::{Action, Parser, Sf, err};
use crate::ps::presets::*;
use crate::ps::spec::UsageError;
use crate::ps::{Forest, Headers, ListKind, SelList};

impl Parser {
    pub(in crate::ps) fn bsd(&mut self, word: &[u8]) -> Result<(), UsageError> {
        let bytes = word;
        let mut k = usize::from(bytes.first() == Some(&b'-'));
        while k < bytes.len() {
            let c = bytes[k];
            macro_rules! list {
                ($kind:expr, $p:expr, $msg:literal) => {{
                    let a = self.opt_arg(word, k).ok_or_else(|| err($msg))?;
                    return self.push_list($kind, &a, $p);
                }};
            }
            match c {
                b'0'..=b'9' => return self.push_list(ListKind::Pid, &word[k..], ItemParser::Pid),
                b'A' => return Err(err("option A is reserved")),
                b'C' => return Err(err("option C is reserved")),
                b'H' => self.threads |= TF_B_H,
                b'L' => return self.exclusive("L", Action::ListSpecs),
                b'M' => self.threads |= TF_B_M,
                b'O' => {
                    let a = self
                        .opt_arg(word, k)
                        .ok_or_else(|| err("format or sort specification must follow O"))?;
                    self.sf.push((super::text(a), Sf::BigO));
                    return Ok(());
                }
                b'S' => self.flags.cumulative = true,
                b'T' => self.lists.push(SelList {
                    kind: ListKind::Tty,
                    nums: vec![self.tty.into()],
                    names: vec![],
                }),
                b'U' => list!(
                    ListKind::Euid,
                    ItemParser::Uid,
                    "list of users must follow U"
                ),
                b'V' => return self.exclusive("V", Action::Version),
                b'W' => {
                    return Err(err(
                        "obsolete W option not supported (you have a /dev/drum?)",
                    ));
                }
                b'X' => self.format_flags |= FF_LX,
                b'Z' => self.modifiers |= FM_M,
                b'a' => self.simple |= SS_B_A,
                b'c' => self.flags.bsd_c = true,
                b'e' => self.flags.bsd_e = true,
                b'f' => self.forest = Some(Forest::Ascii),
                b'g' => self.simple |= SS_B_G,
                b'h' => {
                    if self.header.is_some() {
                        return Err(err("only one heading option may be specified"));
                    }
                    self.header = Some(Headers::None);
                }
                b'j' => self.format_flags |= FF_BJ,
                b'k' => {
                    let a = self
                        .opt_arg(word, k)
                        .ok_or_else(|| err("long sort specification must follow 'k'"))?;
                    self.sf.push((super::text(a), Sf::Sort));
                    self.have_gnu_sort = true;
                    return Ok(());
                }
                b'l' => self.format_flags |= FF_BL,
                // BSD m shows threads after processes; only the second, BSD-only reading of a
                // command line takes it as the old Linux memory format (procps's PER_OLD_m).
                b'm' if self.force_bsd => self.format_flags |= FF_LM,
                b'm' => self.threads |= TF_B_M,
                b'n' => self.flags.numeric_users = true,
                b'o' => {
                    let a = self
                        .opt_arg(word, k)
                        .ok_or_else(|| err("format specification must follow o"))?;
                    self.sf.push((super::text(a), Sf::LittleO));
                    return Ok(());
                }
                b'p' => list!(
                    ListKind::Pid,
                    ItemParser::Pid,
                    "list of process IDs must follow p"
                ),
                b'q' => list!(
                    ListKind::QuickPid,
                    ItemParser::Pid,
                    "List of process IDs must follow q."
                ),
                b'r' => self.running_only = true,
                b's' => self.format_flags |= FF_BS,
                b't' => match self.opt_arg(word, k) {
                    None => {
                        self.lists.push(SelList {
                            kind: ListKind::Tty,
                            nums: vec![self.tty.into()],
                            names: vec![],
                        });
                        return Ok(());
                    }
                    Some(a) => return self.push_list(ListKind::Tty, &a, ItemParser::Tty),
                },
                b'u' => self.format_flags |= FF_BU,
                b'v' => self.format_flags |= FF_BV,
                b'w' => self.w_count += 1,
                b'x' => self.simple |= SS_B_X,
                b'-' => return Err(err("embedded '-' among BSD options makes no sense")),
                _ => return Err(err("unsupported option (BSD syntax)")),
            }
            k += 1;
        }
        Ok(())
    }
}
