//! UNIX (SysV) option letters after one dash (`-ef`, `-o pid`), as procps reads them; never
//! reads /proc.

use super::lists::ItemParser;
use super::{Action, Parser, Sf, err};
use crate::ps::presets::*;
use crate::ps::spec::UsageError;
use crate::ps::{Forest, ListKind};

impl Parser {
    pub(in crate::ps) fn sysv(&mut self, word: &[u8]) -> Result<(), UsageError> {
        let bytes = word;
        let mut k = 1;
        while k < bytes.len() {
            let c = bytes[k];
            macro_rules! list {
                ($kind:expr, $p:expr, $msg:literal) => {{
                    let a = self.opt_arg(word, k).ok_or_else(|| err($msg))?;
                    return self.push_list($kind, &a, $p);
                }};
            }
            match c {
                b'A' | b'e' => self.all = true,
                b'C' => list!(
                    ListKind::Comm,
                    ItemParser::Cmd,
                    "list of command names must follow -C"
                ),
                b'F' => {
                    self.modifiers |= FM_UF;
                    self.format_flags |= FF_UF;
                    self.flags.unix_f = true;
                }
                b'G' => list!(
                    ListKind::Rgid,
                    ItemParser::Gid,
                    "list of real groups must follow -G"
                ),
                b'H' => self.forest = Some(Forest::Indent),
                b'L' => self.threads |= TF_U_L,
                b'M' | b'Z' => self.modifiers |= FM_M,
                b'N' => self.negate = true,
                b'O' => {
                    let a = self
                        .opt_arg(word, k)
                        .ok_or_else(|| err("format or sort specification must follow -O"))?;
                    self.sf.push((super::text(a), Sf::UnixO));
                    return Ok(());
                }
                b'P' => self.modifiers |= FM_P,
                b'T' => self.threads |= TF_U_T,
                b'U' => list!(
                    ListKind::Ruid,
                    ItemParser::Uid,
                    "list of real users must follow -U"
                ),
                b'V' => return self.exclusive("-V", Action::Version),
                b'a' => self.simple |= SS_U_A,
                b'c' => self.modifiers |= FM_C,
                b'd' => self.simple |= SS_U_D,
                b'f' => {
                    self.format_flags |= FF_UF;
                    self.flags.unix_f = true;
                }
                b'g' => {
                    let a = self.opt_arg(word, k).ok_or_else(|| {
                        err("list of session leaders OR effective group names must follow -g")
                    })?;
                    if self.push_list(ListKind::Sess, &a, ItemParser::Pid).is_ok()
                        || self.push_list(ListKind::Egid, &a, ItemParser::Gid).is_ok()
                    {
                        return Ok(());
                    }
                    return Err(err(
                        "list of session leaders OR effective group IDs was invalid",
                    ));
                }
                b'j' => self.modifiers |= FM_J,
                b'l' => self.format_flags |= FF_UL,
                b'm' => self.threads |= TF_U_M,
                b'o' => {
                    let a = self
                        .opt_arg(word, k)
                        .ok_or_else(|| err("format specification must follow -o"))?;
                    self.sf.push((super::text(a), Sf::LittleO));
                    return Ok(());
                }
                b'p' => list!(
                    ListKind::Pid,
                    ItemParser::Pid,
                    "list of process IDs must follow -p"
                ),
                b'q' => list!(
                    ListKind::QuickPid,
                    ItemParser::Pid,
                    "List of process IDs must follow -q."
                ),
                b's' => list!(
                    ListKind::Sess,
                    ItemParser::Pid,
                    "list of session IDs must follow -s"
                ),
                b't' => list!(
                    ListKind::Tty,
                    ItemParser::Tty,
                    "list of terminals (pty, tty...) must follow -t"
                ),
                b'u' => list!(
                    ListKind::Euid,
                    ItemParser::Uid,
                    "list of users must follow -u"
                ),
                b'w' => self.w_count += 1,
                b'x' => return Err(err("must set personality to get -x option")),
                b'y' => self.modifiers |= FM_Y,
                b'-' => return Err(err("embedded '-' among SysV options makes no sense")),
                _ => return Err(err("unsupported SysV option")),
            }
            k += 1;
        }
        Ok(())
    }
}
