//! The ps command line, parsed by hand the way procps-ng 4.0.2 reads it: UNIX options (`-ef`),
//! BSD options (`aux`), GNU long options (`--sort`) and bare PIDs, with the whole line read again
//! as BSD when the UNIX reading fails (`ps -aux`). Produces [`Options`]; never reads /proc.

use super::{FmtItem, Forest, Headers, ListKind, Options, SelList, Selection, SortKey, Threads};
use crate::columns;
use crate::format::layout::UNLIMITED_COLS;

/// What the command line asks for.
#[derive(Debug)]
pub enum Action {
    /// List processes.
    List(Box<Options>),
    /// `L`: print the format specifiers.
    ListSpecs,
    /// `V`, `-V`, `--version`.
    Version,
    /// `--help [section]`.
    Help(Option<String>),
    /// A combination procps refuses after parsing: the message alone on stderr, status 1.
    Refuse(String),
}

/// A ps usage error: procps prints `error: MESSAGE` and the usage text, exit status 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

/// The environment values parsing depends on.
#[derive(Debug, Clone)]
pub struct Env {
    /// The output width (`COLUMNS`, the terminal, or procps's default).
    pub screen_cols: usize,
    /// The screen height (`LINES` or the terminal).
    pub screen_rows: usize,
    /// The controlling tty of ps (for `T` and bare `t`).
    pub tty: i32,
    /// `$PS_FORMAT`: the format when the command line names none.
    pub ps_format: Option<String>,
}

// Format flags (which built-in format), as procps names them.
const FF_UF: u32 = 1;
const FF_UL: u32 = 2;
const FF_UJ: u32 = 4;
const FF_BJ: u32 = 8;
const FF_BL: u32 = 16;
const FF_BS: u32 = 32;
const FF_BU: u32 = 64;
const FF_BV: u32 = 128;
const FF_LX: u32 = 256;
const FF_LM: u32 = 512;
const FF_FC: u32 = 1024;
// Format modifiers.
const FM_C: u32 = 1;
const FM_J: u32 = 2;
const FM_Y: u32 = 4;
const FM_UF: u32 = 8;
const FM_P: u32 = 16;
const FM_M: u32 = 32;
// Simple selection.
const SS_B_X: u32 = 1;
const SS_B_G: u32 = 2;
const SS_U_D: u32 = 4;
const SS_U_A: u32 = 8;
const SS_B_A: u32 = 16;
// Thread flags.
const TF_B_H: u32 = 1;
const TF_B_M: u32 = 2;
const TF_U_M: u32 = 4;
const TF_U_T: u32 = 8;
const TF_U_L: u32 = 16;

/// Where a deferred sort/format option came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sf {
    BigO,    // BSD O: sort or format
    LittleO, // o, -o, --format
    UnixO,   // -O
    Sort,    // --sort, k
}

#[derive(Debug, Default)]
struct Parser {
    args: Vec<String>,
    i: usize,
    force_bsd: bool,
    prefer_bsd: bool,
    all: bool,
    simple: u32,
    lists: Vec<SelList>,
    negate: bool,
    running_only: bool,
    format_flags: u32,
    modifiers: u32,
    threads: u32,
    forest: Option<Forest>,
    header: Option<Headers>,
    w_count: u32,
    cols: usize,
    rows: usize,
    flags: columns::Flags,
    sf: Vec<(String, Sf)>,
    have_gnu_sort: bool,
    tty: i32,
    ps_format: Option<String>,
    exclusive_hit: Option<Action>,
    json: bool,
}

/// Parses ps's arguments (without the program name).
pub fn parse(args: &[String], env: Env) -> Result<Action, UsageError> {
    let first = Parser::new(args, &env, false).run();
    match first {
        Ok(a) => Ok(a),
        Err(e) => Parser::new(args, &env, true).run().map_err(|_| e),
    }
}

impl Parser {
    fn new(args: &[String], env: &Env, force_bsd: bool) -> Parser {
        Parser {
            args: args.to_vec(),
            force_bsd,
            prefer_bsd: force_bsd,
            cols: env.screen_cols,
            rows: env.screen_rows,
            tty: env.tty,
            ps_format: env.ps_format.clone(),
            ..Parser::default()
        }
    }

    fn run(mut self) -> Result<Action, UsageError> {
        self.parse_all()?;
        if let Some(a) = self.exclusive_hit.take() {
            return Ok(a);
        }
        let threads = self.thread_check()?;
        let (format, sort) = self.sort_format()?;
        let (all, table, use_table) = self.select_bits()?;
        if self.w_count > 0 && self.cols < 132 {
            self.cols = 132;
        }
        if self.w_count > 1 {
            self.cols = UNLIMITED_COLS;
        }
        let quick: Option<Vec<i32>> = self
            .lists
            .iter()
            .find(|l| l.kind == ListKind::QuickPid)
            .map(|l| l.nums.iter().map(|&n| n as i32).collect());
        let quick_lists = self
            .lists
            .iter()
            .filter(|l| l.kind == ListKind::QuickPid)
            .count();
        let refuse = if quick_lists > 1 {
            Some("q/-q/--quick-pid can only be used once.")
        } else if quick_lists > 0 && self.lists.len() > quick_lists {
            Some("q/-q/--quick-pid cannot be combined with other selection options.")
        } else if quick.is_some() && self.forest.is_some() {
            Some("q/-q/--quick-pid cannot be used together with forest type listings.")
        } else if quick.is_some() && !sort.is_empty() {
            Some("q/-q,--quick-pid cannot be used together with sort options.")
        } else if quick.is_some() && self.negate {
            Some("q/-q/--quick-pid cannot be used together with negation switches.")
        } else {
            None
        };
        if let Some(msg) = refuse {
            return Ok(Action::Refuse(msg.to_string()));
        }
        Ok(Action::List(Box::new(Options {
            select: Selection {
                all,
                table,
                use_table,
                lists: self.lists,
                negate: self.negate,
                running_only: self.running_only,
            },
            format,
            sort,
            forest: self.forest,
            threads,
            flags: self.flags,
            headers: self.header.unwrap_or_default(),
            screen_cols: self.cols,
            screen_rows: self.rows,
            quick,
            json: self.json,
        })))
    }

    fn parse_all(&mut self) -> Result<(), UsageError> {
        while self.i < self.args.len() {
            let a = self.args[self.i].clone();
            let b = a.as_bytes();
            let c0 = b.first().copied().unwrap_or(0);
            let c1 = b.get(1).copied().unwrap_or(0);
            let c2 = b.get(2).copied().unwrap_or(0);
            if c0.is_ascii_alphabetic() {
                // The second, BSD-only reading takes only dashed words: a bare BSD word there
                // means the first reading's error stands.
                if self.force_bsd {
                    return Err(err("way bad"));
                }
                self.prefer_bsd = true;
                self.bsd(&a)?;
            } else if c0.is_ascii_digit() || c0 == b'+' {
                self.prefer_bsd = true;
                return self.trailing_pids();
            } else if c0 == b'-' && c1.is_ascii_alphabetic() {
                if self.force_bsd {
                    self.prefer_bsd = true;
                    self.bsd(&a)?;
                } else {
                    self.sysv(&a)?;
                }
            } else if c0 == b'-' && c1.is_ascii_digit() {
                self.prefer_bsd = true;
                return self.trailing_pids();
            } else if c0 == b'-' && c1 == b'-' && c2.is_ascii_alphabetic() {
                self.gnu(&a)?;
            } else {
                return Err(err("garbage option"));
            }
            if self.exclusive_hit.is_some() {
                return Ok(());
            }
            self.i += 1;
        }
        Ok(())
    }

    /// The argument of an option letter at byte `at` of the current word: the rest of the word,
    /// or the next word when it is not empty.
    fn opt_arg(&mut self, word: &str, at: usize) -> Option<String> {
        if at + 1 < word.len() {
            return Some(word[at + 1..].to_string());
        }
        let next = self.args.get(self.i + 1)?;
        if next.is_empty() {
            return None;
        }
        self.i += 1;
        Some(next.clone())
    }

    fn exclusive(&mut self, what: &str, action: Action) -> Result<(), UsageError> {
        if self.args.len() != 1 || self.args[0] != what {
            return Err(err(&format!("the option is exclusive: {what}")));
        }
        self.exclusive_hit = Some(action);
        Ok(())
    }

    fn push_list(
        &mut self,
        kind: ListKind,
        arg: &str,
        parse: ItemParser,
    ) -> Result<(), UsageError> {
        let items = split_list(arg).ok_or_else(|| err("improper list"))?;
        let mut l = SelList {
            kind,
            nums: Vec::new(),
            names: Vec::new(),
        };
        for it in items {
            match parse {
                ItemParser::Pid => l.nums.push(parse_pid(it)?),
                ItemParser::Uid => l.nums.push(parse_id(it, self.negate, true)?),
                ItemParser::Gid => l.nums.push(parse_id(it, self.negate, false)?),
                ItemParser::Tty => l.nums.push(parse_tty(it)?),
                ItemParser::Cmd => l
                    .names
                    .push(it.as_bytes().iter().take(63).copied().collect()),
            }
        }
        self.lists.push(l);
        Ok(())
    }

    fn sysv(&mut self, word: &str) -> Result<(), UsageError> {
        let bytes = word.as_bytes();
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
                    self.sf.push((a, Sf::UnixO));
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
                    self.sf.push((a, Sf::LittleO));
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

    fn bsd(&mut self, word: &str) -> Result<(), UsageError> {
        let bytes = word.as_bytes();
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
                    self.sf.push((a, Sf::BigO));
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
                    self.sf.push((a, Sf::Sort));
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
                    self.sf.push((a, Sf::LittleO));
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

    fn gnu(&mut self, word: &str) -> Result<(), UsageError> {
        let s = &word[2..];
        let sl = s.find([':', '=']).unwrap_or(s.len());
        if sl > 15 {
            return Err(err("unknown gnu long option"));
        }
        let (name, rest) = (&s[..sl], &s[sl..]);
        // The argument: after `=`/`:` in the same word, or the next word.
        let arg = |p: &mut Parser| -> Option<String> {
            if !rest.is_empty() {
                let a = &rest[1..];
                return (!a.is_empty()).then(|| a.to_string());
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
                    .and_then(|a| super::parse_c_long(&a))
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
                self.sf.push((a, Sf::LittleO));
                Ok(())
            }
            "group" => {
                let a =
                    arg(self).ok_or_else(|| err("list of effective groups must follow --group"))?;
                self.push_list(ListKind::Egid, &a, ItemParser::Gid)
            }
            "help" => {
                let a = arg(self);
                self.exclusive_hit = Some(Action::Help(a));
                Ok(())
            }
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
                    .and_then(|a| super::parse_c_long(&a))
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
                self.sf.push((a, Sf::Sort));
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

    /// Bare PIDs end the command line: `N` pid, `-N` process group, `+N` session.
    fn trailing_pids(&mut self) -> Result<(), UsageError> {
        let (mut pids, mut grps, mut sids) = (Vec::new(), Vec::new(), Vec::new());
        for a in &self.args[self.i..] {
            match a.as_bytes().first() {
                Some(b'-') => grps.push(parse_pid(&a[1..])?),
                Some(b'+') => sids.push(parse_pid(&a[1..])?),
                _ => pids.push(parse_pid(a)?),
            }
        }
        for (kind, nums) in [
            (ListKind::Pid, pids),
            (ListKind::Pgrp, grps),
            (ListKind::Sess, sids),
        ] {
            if !nums.is_empty() {
                self.lists.push(SelList {
                    kind,
                    nums,
                    names: vec![],
                });
            }
        }
        self.i = self.args.len();
        Ok(())
    }

    fn thread_check(&self) -> Result<Threads, UsageError> {
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

    fn select_bits(&mut self) -> Result<(bool, u16, bool), UsageError> {
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
    fn sort_format(&mut self) -> Result<(Vec<FmtItem>, Vec<SortKey>), UsageError> {
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
                    Err(e) => eprintln!("warning: $PS_FORMAT ignored. ({})", e.0),
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
    fn sysv_list(&self) -> Result<Vec<FmtItem>, UsageError> {
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
    fn modify(&self, f: &mut Vec<FmtItem>) -> Result<(), UsageError> {
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

fn err(msg: &str) -> UsageError {
    UsageError(msg.to_string())
}

#[derive(Debug, Clone, Copy)]
enum ItemParser {
    Pid,
    Uid,
    Gid,
    Tty,
    Cmd,
}

/// Splits a selection list on blanks, commas and tabs; `None` for an empty list, an empty item
/// or a trailing separator (procps: "improper list").
fn split_list(arg: &str) -> Option<Vec<&str>> {
    let items: Vec<&str> = arg.split([' ', ',', '\t']).collect();
    if items.iter().any(|s| s.is_empty()) {
        return None;
    }
    Some(items)
}

/// C's `strtoul(s, &end, 0)` that must use the whole string (a negative value wraps, as in C).
fn strtoul(s: &str) -> Option<u64> {
    let (neg, v) = crate::num::c_number(s)?;
    Some(if neg { v.wrapping_neg() } else { v })
}

fn parse_pid(s: &str) -> Result<i64, UsageError> {
    let v = strtoul(s).ok_or_else(|| err("process ID list syntax error"))?;
    if !(1..=0x7fff_ffff).contains(&v) {
        return Err(err("process ID out of range"));
    }
    Ok(v as i64)
}

fn parse_id(s: &str, negate: bool, user: bool) -> Result<i64, UsageError> {
    let v = match strtoul(s) {
        Some(v) => v,
        None => {
            let found = if user {
                uzers::get_user_by_name(s).map(|u| u64::from(u.uid()))
            } else {
                uzers::get_group_by_name(s).map(|g| u64::from(g.gid()))
            };
            match found {
                Some(v) => v,
                None if negate => u64::MAX,
                None => {
                    return Err(err(if user {
                        "user name does not exist"
                    } else {
                        "group name does not exist"
                    }));
                }
            }
        }
    };
    if !negate && v > 0xffff_fffe {
        return Err(err(if user {
            "user ID out of range"
        } else {
            "group ID out of range"
        }));
    }
    Ok(v as i64)
}

fn parse_tty(s: &str) -> Result<i64, UsageError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta = |p: &str| std::fs::metadata(p).ok();
    let found = if s.starts_with('/') {
        Some(meta(s).ok_or_else(|| err("TTY could not be found"))?)
    } else {
        [
            format!("/dev/pts/{s}"),
            format!("/dev/{s}"),
            format!("/dev/tty{s}"),
            format!("/dev/pty{s}"),
            format!("/dev/{s}nsole"),
        ]
        .iter()
        .find_map(|p| meta(p))
    };
    let m = match found {
        Some(m) => m,
        None if s == "-" || s == "?" => return Ok(0),
        None if s.len() == 1 && meta(s).is_some() => return Ok(0),
        None => return Err(err("TTY could not be found")),
    };
    if !m.file_type().is_char_device() {
        return Err(err("list member was not a TTY"));
    }
    Ok(i64::from(m.rdev() as u32))
}

/// Parses a format list (`-o`): `spec[:WIDTH][=HEADER]` items separated by blanks or commas,
/// one trailing separator allowed; falls back to AIX `%` descriptors.
pub fn format_parse(text: &str) -> Result<Vec<FmtItem>, UsageError> {
    match format_parse_plain(text) {
        Ok(v) => Ok(v),
        Err(e) if text.contains('%') => {
            aix_parse(text).map_err(|a| if a.0.is_empty() { e } else { a })
        }
        Err(e) => Err(e),
    }
}

fn format_parse_plain(text: &str) -> Result<Vec<FmtItem>, UsageError> {
    let seps = [' ', ',', '\t', '\n'];
    let mut t = text;
    if t.is_empty() || t.starts_with(seps) {
        return Err(err(if t.trim_matches(seps).is_empty() && !t.is_empty() {
            "improper format list"
        } else if t.is_empty() {
            "empty format list"
        } else {
            "improper format list"
        }));
    }
    if t.ends_with(seps) {
        t = &t[..t.len() - 1];
    }
    let items: Vec<&str> = t.split(seps).collect();
    if items.iter().any(|s| s.is_empty()) {
        return Err(err("improper format list"));
    }
    let mut out = Vec::new();
    for it in items {
        let (spec, header) = match it.split_once('=') {
            Some((s, h)) => (s, Some(h.to_string())),
            None => (it, None),
        };
        let (name, width) = match spec.split_once(':') {
            Some((n, w)) => {
                let ok =
                    !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()) && !w.starts_with('0');
                let w: usize = w
                    .parse()
                    .ok()
                    .filter(|_| ok)
                    .ok_or_else(|| err("column widths must be unsigned decimal numbers"))?;
                (n, Some(w))
            }
            None => (spec, None),
        };
        match columns::find(name) {
            Some(col) => out.push(FmtItem::Column { col, width, header }),
            None => match macro_spec(name) {
                Some(list) if width.is_none() => {
                    out.extend(list.split(',').map(|n| match FmtItem::named(n) {
                        FmtItem::Column { col, .. } => FmtItem::Column {
                            col,
                            width: None,
                            header: header.clone(),
                        },
                        l => l,
                    }));
                }
                Some(_) => {
                    return Err(err(
                        "can not set width for a macro (multi-column) format specifier",
                    ));
                }
                None => {
                    return Err(err(&format!(
                        "unknown user-defined format specifier \"{name}\""
                    )));
                }
            },
        }
    }
    Ok(out)
}

/// procps's named format macros that `-o` accepts.
fn macro_spec(name: &str) -> Option<&'static str> {
    Some(match name {
        "DefBSD" => "pid,tname,stat,bsdtime,args",
        "DefSysV" => "pid,tname,time,cmd",
        "END_BSD" => "state,tname,cputime,comm",
        "END_SYS5" => "state,tname,time,command",
        "OL_j" => "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args",
        "OL_l" => "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args",
        "OL_s" => "uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args",
        "OL_u" => "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args",
        "OL_v" => "pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args",
        _ => return None,
    })
}

fn aix_parse(text: &str) -> Result<Vec<FmtItem>, UsageError> {
    let b = text.as_bytes();
    // procps counts items with a small state machine: each `%x` counts twice (the descriptor,
    // then its letter read again as text), so the list ends in empty literal columns. Text
    // between descriptors may only be one character and blanks.
    let mut items = 0;
    let mut k = 0;
    let mut next = || {
        let c = b.get(k).copied().unwrap_or(0);
        k += 1;
        c
    };
    let mut c = next();
    'count: loop {
        if c == b'%' {
            items += 1;
            c = next();
            if c != 0 && c != b' ' {
                continue 'count;
            }
            return Err(err("missing AIX field descriptor"));
        }
        if c == 0 {
            break;
        }
        items += 1;
        loop {
            c = next();
            match c {
                b'%' => continue 'count,
                b' ' => {}
                0 => break 'count,
                _ => return Err(err("improper AIX field descriptor")),
            }
        }
    }
    let mut out = Vec::new();
    let mut w = 0;
    for _ in 0..items {
        if b.get(w) == Some(&b'%') {
            w += 1;
            let d = b.get(w).copied().unwrap_or(0);
            if d == b'%' {
                return Err(err("missing AIX field descriptor"));
            }
            w += 1;
            let (spec, head) = match d {
                b'C' => ("pcpu", "%CPU"),
                b'G' => ("group", "GROUP"),
                b'P' => ("ppid", "PPID"),
                b'U' => ("user", "USER"),
                b'a' => ("args", "COMMAND"),
                b'c' => ("comm", "COMMAND"),
                b'g' => ("rgroup", "RGROUP"),
                b'n' => ("nice", "NI"),
                b'p' => ("pid", "PID"),
                b'r' => ("pgid", "PGID"),
                b't' => ("etime", "ELAPSED"),
                b'u' => ("ruser", "RUSER"),
                b'x' => ("time", "TIME"),
                b'y' => ("tty", "TTY"),
                b'z' => ("vsz", "VSZ"),
                _ => return Err(err("unknown AIX field descriptor")),
            };
            let col =
                columns::find(spec).ok_or_else(|| err("AIX field descriptor processing bug"))?;
            out.push(FmtItem::Column {
                col,
                width: None,
                header: Some(head.to_string()),
            });
        } else {
            let end = text[w.min(text.len())..]
                .find('%')
                .map_or(text.len(), |i| w + i);
            out.push(FmtItem::Literal(text[w.min(text.len())..end].to_string()));
            w = end;
        }
    }
    Ok(out)
}

/// `-O`/`O` wrap the user's columns in a default: pid first, then a trailer.
fn o_wrap(user: Vec<FmtItem>, bsd: bool) -> Vec<FmtItem> {
    let trailer = if bsd {
        "state,tname,cputime,comm"
    } else {
        "state,tname,time,command"
    };
    let mut v = vec![FmtItem::named("pid")];
    v.extend(user);
    v.extend(trailer.split(',').map(FmtItem::named));
    v
}

/// `--sort`/`k`: `[+|-]spec,...`.
pub fn long_sort(text: &str) -> Result<Vec<SortKey>, UsageError> {
    let seps = [' ', ',', '\t', '\n'];
    if text.is_empty() {
        return Err(err("empty sort list"));
    }
    let t = text.strip_suffix(seps).unwrap_or(text);
    let items: Vec<&str> = t.split(seps).collect();
    if t.is_empty() || items.iter().any(|s| s.is_empty()) {
        return Err(err("improper sort list"));
    }
    items
        .into_iter()
        .map(|it| {
            let (descending, name) = match it.as_bytes()[0] {
                b'-' => (true, &it[1..]),
                b'+' => (false, &it[1..]),
                _ => (false, it),
            };
            let col = columns::find(name)
                .filter(|c| c.sort.is_some())
                .ok_or_else(|| err("unknown sort specifier"))?;
            Ok(SortKey { col, descending })
        })
        .collect()
}

/// BSD `O` read as old short sort letters (`O-r`, `OPp`).
fn short_sort(text: &str, forest: bool) -> Result<Vec<SortKey>, UsageError> {
    const ALL: &str = "CGJKMNPRSTUcfgjkmnoprstuvy+-";
    if !text.chars().all(|c| ALL.contains(c)) {
        return Err(err("bad sorting code"));
    }
    let b = text.as_bytes();
    let mut seen = [false; 128];
    for (i, &c) in b.iter().enumerate() {
        if c == b'+' || c == b'-' {
            match b.get(i + 1) {
                None | Some(b'+') | Some(b'-') => return Err(err("bad sorting code")),
                _ => {}
            }
            continue;
        }
        if c == b'P' && forest {
            return Err(err("PPID sort and forest output conflict"));
        }
        if std::mem::replace(&mut seen[c as usize], true) {
            return Err(err("bad sorting code"));
        }
    }
    let mut keys = Vec::new();
    let mut descending = false;
    for &c in b {
        match c {
            b'+' => descending = false,
            b'-' => descending = true,
            _ => {
                let spec = match c {
                    b'C' => "pcpu",
                    b'G' => "tpgid",
                    b'M' => "maj_flt",
                    b'P' => "ppid",
                    b'R' => "rss",
                    b'T' => "start_time",
                    b'U' => "uid",
                    b'c' => "cmd",
                    b'f' => "flags",
                    b'g' => "pgrp",
                    b'm' => "min_flt",
                    b'o' => "session",
                    b'p' => "pid",
                    b'r' => "rss",
                    b's' => "size",
                    b't' => "tty",
                    b'u' => "user",
                    b'v' => "vsize",
                    b'y' => "priority",
                    _ => return Err(err("unknown sort specifier")),
                };
                let col = columns::find(spec).ok_or_else(|| err("unknown sort specifier"))?;
                keys.push(SortKey { col, descending });
                descending = false;
            }
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Action, UsageError> {
        let args: Vec<String> = s.split_whitespace().map(String::from).collect();
        parse(
            &args,
            Env {
                screen_cols: UNLIMITED_COLS,
                screen_rows: 24,
                tty: 0,
                ps_format: None,
            },
        )
    }

    fn names(a: &Action) -> Vec<String> {
        match a {
            Action::List(o) => o
                .format
                .iter()
                .map(|f| match f {
                    FmtItem::Column { col, header, .. } => {
                        header.clone().unwrap_or_else(|| col.header.to_string())
                    }
                    FmtItem::Literal(t) => t.clone(),
                })
                .collect(),
            _ => vec![],
        }
    }

    #[test]
    fn aux_and_dash_aux_agree() {
        let a = p("aux").unwrap();
        let b = p("-aux").unwrap();
        assert_eq!(names(&a), names(&b));
        assert_eq!(
            names(&a).join(" "),
            "USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND"
        );
        let Action::List(o) = a else { panic!() };
        assert!(o.select.all);
    }

    #[test]
    fn ef_format() {
        assert_eq!(
            names(&p("-ef").unwrap()).join(" "),
            "UID PID PPID C STIME TTY TIME CMD"
        );
        assert_eq!(names(&p("").unwrap()).join(" "), "PID TTY TIME CMD");
        assert_eq!(
            names(&p("-l").unwrap()).join(" "),
            "F S UID PID PPID C PRI NI ADDR SZ WCHAN TTY TIME CMD"
        );
    }

    #[test]
    fn several_o_options_concatenate() {
        assert_eq!(
            names(&p("-o pid,comm= -o args").unwrap()),
            vec!["PID", "", "COMMAND"]
        );
    }

    #[test]
    fn bsd_k_sort() {
        let Action::List(o) = p("k-rss,+pid").unwrap() else {
            panic!()
        };
        assert_eq!(o.sort.len(), 2);
        assert!(o.sort[0].descending && o.sort[0].col.name == "rss");
        assert!(!o.sort[1].descending && o.sort[1].col.name == "pid");
    }

    #[test]
    fn pid_lists() {
        let Action::List(o) = p("-p1,2 -p 3").unwrap() else {
            panic!()
        };
        let all: Vec<i64> = o.select.lists.iter().flat_map(|l| l.nums.clone()).collect();
        assert_eq!(all, vec![1, 2, 3]);
    }

    #[test]
    fn every_builtin_format_and_macro_resolves() {
        // FmtItem::named panics on a name missing from the column table.
        for f in [
            "",
            "-f",
            "-F",
            "-l",
            "-ly",
            "-lf",
            "-j",
            "-jf",
            "-L",
            "-Lf",
            "-T",
            "-m",
            "-c -l",
            "-P",
            "-M",
            "-F -P",
            "-Fly",
            "u",
            "j",
            "l",
            "s",
            "v",
            "X",
            "m",
            "-O rss",
            "O rss",
            "--context",
            "-aux",
            "-ef f",
            "-ej",
            "-jl",
        ] {
            assert!(p(f).is_ok(), "{f}");
        }
        for m in [
            "DefBSD", "DefSysV", "END_BSD", "END_SYS5", "OL_j", "OL_l", "OL_s", "OL_u", "OL_v",
        ] {
            assert!(format_parse(m).is_ok(), "{m}");
        }
    }

    #[test]
    fn errors() {
        assert_eq!(p("--bogus").unwrap_err().0, "unknown gnu long option");
        assert_eq!(p("-p").unwrap_err().0, "list of process IDs must follow -p");
        assert_eq!(
            p("-o bogus").unwrap_err().0,
            "unknown user-defined format specifier \"bogus\""
        );
        assert_eq!(p("--sort=bogus").unwrap_err().0, "unknown sort specifier");
        assert_eq!(p("-p 0").unwrap_err().0, "process ID out of range");
        assert_eq!(p("-p x").unwrap_err().0, "process ID list syntax error");
    }
}
