//! The ps command line, parsed by hand the way procps-ng 4.0.2 reads it: UNIX options (`-ef`),
//! BSD options (`aux`), GNU long options (`--sort`) and bare PIDs, with the whole line read again
//! as BSD when the UNIX reading fails (`ps -aux`). Arguments are bytes: user, group and
//! command names reach the lookups as given, valid UTF-8 or not. Produces [`Options`]; never
//! reads /proc. The
//! letters of each syntax live in `unix`, `bsd` and `gnu`, list items in `lists`; the
//! `-o`/`--sort` language is [`super::spec`], the built-in formats `presets`.

mod bsd;
mod gnu;
mod lists;
mod unix;

use super::{Forest, Headers, ListKind, Options, SelList, Selection, Threads};
use crate::columns;
use crate::format::layout::UNLIMITED_COLS;
use lists::{ItemParser, parse_id, parse_pid, parse_tty, split_list};

pub use super::spec::UsageError;
pub(in crate::ps) use super::spec::err;

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

/// Where a deferred sort/format option came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::ps) enum Sf {
    BigO,    // BSD O: sort or format
    LittleO, // o, -o, --format
    UnixO,   // -O
    Sort,    // --sort, k
}

#[derive(Debug, Default)]
pub(in crate::ps) struct Parser {
    pub(in crate::ps) args: Vec<Vec<u8>>,
    pub(in crate::ps) i: usize,
    pub(in crate::ps) force_bsd: bool,
    pub(in crate::ps) prefer_bsd: bool,
    pub(in crate::ps) all: bool,
    pub(in crate::ps) simple: u32,
    pub(in crate::ps) lists: Vec<SelList>,
    pub(in crate::ps) negate: bool,
    pub(in crate::ps) running_only: bool,
    pub(in crate::ps) format_flags: u32,
    pub(in crate::ps) modifiers: u32,
    pub(in crate::ps) threads: u32,
    pub(in crate::ps) forest: Option<Forest>,
    pub(in crate::ps) header: Option<Headers>,
    pub(in crate::ps) w_count: u32,
    pub(in crate::ps) cols: usize,
    pub(in crate::ps) rows: usize,
    pub(in crate::ps) flags: columns::Flags,
    pub(in crate::ps) sf: Vec<(String, Sf)>,
    pub(in crate::ps) have_gnu_sort: bool,
    pub(in crate::ps) tty: i32,
    pub(in crate::ps) ps_format: Option<String>,
    pub(in crate::ps) exclusive_hit: Option<Action>,
    pub(in crate::ps) json: bool,
}

/// Parses ps's arguments (without the program name): `String`s, `&str`s or `OsString`s, whose
/// bytes need not be UTF-8.
pub fn parse<A: AsRef<std::ffi::OsStr>>(args: &[A], env: Env) -> Result<Action, UsageError> {
    use std::os::unix::ffi::OsStrExt;
    let args: Vec<Vec<u8>> = args
        .iter()
        .map(|a| a.as_ref().as_bytes().to_vec())
        .collect();
    let first = Parser::new(&args, &env, false).run();
    match first {
        Ok(a) => Ok(a),
        Err(e) => Parser::new(&args, &env, true).run().map_err(|_| e),
    }
}

/// An argument that is text to gopsi (a format or sort specification, a help section),
/// decoded lossily: no specifier holds a byte that is not UTF-8.
pub(in crate::ps) fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Parser {
    fn new(args: &[Vec<u8>], env: &Env, force_bsd: bool) -> Parser {
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
        let mut threads = self.thread_check()?;
        let (format, sort) = self.sort_format()?;
        // procps lists one row per process (the leader's) when -L/-T meet a sort order.
        use crate::ps::presets::{TF_B_H, TF_B_M, TF_U_M};
        if !sort.is_empty()
            && threads == Threads::Rows
            && self.threads & (TF_B_H | TF_B_M | TF_U_M) == 0
        {
            threads = Threads::None;
        }
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
            let b = &a[..];
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
    pub(in crate::ps) fn opt_arg(&mut self, word: &[u8], at: usize) -> Option<Vec<u8>> {
        if at + 1 < word.len() {
            return Some(word[at + 1..].to_vec());
        }
        let next = self.args.get(self.i + 1)?;
        if next.is_empty() {
            return None;
        }
        self.i += 1;
        Some(next.clone())
    }

    pub(in crate::ps) fn exclusive(
        &mut self,
        what: &str,
        action: Action,
    ) -> Result<(), UsageError> {
        if self.args.len() != 1 || self.args[0] != what.as_bytes() {
            return Err(err(&format!("the option is exclusive: {what}")));
        }
        self.exclusive_hit = Some(action);
        Ok(())
    }

    fn push_list(
        &mut self,
        kind: ListKind,
        arg: &[u8],
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
                ItemParser::Cmd => l.names.push(it.iter().take(63).copied().collect()),
            }
        }
        self.lists.push(l);
        Ok(())
    }

    /// Bare PIDs end the command line: `N` pid, `-N` process group, `+N` session.
    pub(in crate::ps) fn trailing_pids(&mut self) -> Result<(), UsageError> {
        let (mut pids, mut grps, mut sids) = (Vec::new(), Vec::new(), Vec::new());
        // An empty number (`+`, `-`, ``) reads as 0 there: out of range, as in procps.
        let num = |s: &[u8]| {
            if s.is_empty() {
                Err(err("process ID out of range"))
            } else {
                parse_pid(s)
            }
        };
        for a in &self.args[self.i..] {
            match a.first() {
                Some(b'-') => grps.push(num(&a[1..])?),
                Some(b'+') => sids.push(num(&a[1..])?),
                _ => pids.push(num(a)?),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ps::FmtItem;
    use crate::ps::spec::format_parse;

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
