//! procps top's field management screen (`f`): its lines (the three header lines, `*` marks
//! for shown fields, the cursor and move highlights, the columns of names and descriptions
//! laid out by the terminal's rows and columns as procps lays them) and its keys (cursor,
//! `d`/space, `s`, Right/Left/Enter moving, `a`/`w` windows, `q`/Esc) as changes to the
//! toprc's windows. Pure: state in, lines out; never touches the terminal.

use super::input::Key;
use gopsi::top::fields::FIELDS;
use gopsi::top::toprc::{GROUPSMAX, Toprc, flag};

/// Fields on the screen (procps's `EU_MAXPFLGS`).
const NFIELDS: usize = FIELDS.len();
/// Rows above the fields (procps's `yRSVD`).
const RESERVED: usize = 4;
/// Room for `= ` and a description (procps's `xSUFX`).
const SUFFIX: usize = 22;
/// What procps says where the fields cannot fit.
pub const TOO_SMALL: &str = "even using field names only, window is now too small";

/// procps's field descriptions as its screen shows them (at most 20 characters are ever
/// shown), in field order.
#[rustfmt::skip]
const DESCRIPTIONS: [&str; NFIELDS] = [
    "Process Id", // PID
    "Parent Process pid", // PPID
    "Effective User Id", // UID
    "Effective User Name", // USER
    "Real User Id", // RUID
    "Real User Name", // RUSER
    "Saved User Id", // SUID
    "Saved User Name", // SUSER
    "Group Id", // GID
    "Group Name", // GROUP
    "Process Group Id", // PGRP
    "Controlling Tty", // TTY
    "Tty Process Grp Id", // TPGID
    "Session Id", // SID
    "Priority", // PR
    "Nice Value", // NI
    "Number of Threads", // nTH
    "Last Used Cpu (SMP)", // P
    "CPU Usage", // %CPU
    "CPU Time", // TIME
    "CPU Time, hundredths", // TIME+
    "Memory Usage (RES)", // %MEM
    "Virtual Image (KiB)", // VIRT
    "Swapped Size (KiB)", // SWAP
    "Resident Size (KiB)", // RES
    "Code Size (KiB)", // CODE
    "Data+Stack (KiB)", // DATA
    "Shared Memory (KiB)", // SHR
    "Major Page Faults", // nMaj
    "Minor Page Faults", // nMin
    "Dirty Pages Count", // nDRT
    "Process Status", // S
    "Command Name/Line", // COMMAND
    "Sleeping in Function", // WCHAN
    "Task Flags <sched.h>", // Flags
    "Control Groups", // CGROUPS
    "Supp Groups IDs", // SUPGIDS
    "Supp Groups Names", // SUPGRPS
    "Thread Group Id", // TGID
    "OOMEM Adjustment", // OOMa
    "OOMEM Score current", // OOMs
    "Environment vars", // ENVIRON
    "Major Faults delta", // vMj
    "Minor Faults delta", // vMn
    "Res+Swap Size (KiB)", // USED
    "IPC namespace Inode", // nsIPC
    "MNT namespace Inode", // nsMNT
    "NET namespace Inode", // nsNET
    "PID namespace Inode", // nsPID
    "USER namespace Inode", // nsUSER
    "UTS namespace Inode", // nsUTS
    "LXC container name", // LXC
    "RES Anonymous (KiB)", // RSan
    "RES File-based (KiB)", // RSfd
    "RES Locked (KiB)", // RSlk
    "RES Shared (KiB)", // RSsh
    "Control Group name", // CGNAME
    "Last Used NUMA node", // NU
    "Login User Id", // LOGID
    "Executable Path", // EXE
    "Res Mem (smaps), KiB", // RSS
    "Proportion RSS,  KiB", // PSS
    "Proportion Anon, KiB", // PSan
    "Proportion File, KiB", // PSfd
    "Proportion Shrd, KiB", // PSsh
    "Unique RSS, KiB", // USS
    "I/O Bytes Read", // ioR
    "I/O Read Operations", // ioRop
    "I/O Bytes Written", // ioW
    "I/O Write Operations", // ioWop
    "Autogroup Identifier", // AGID
    "Autogroup Nice Value", // AGNI
    "Start Time from boot", // STARTED
    "Elapsed Running Time", // ELAPSED
    "CPU Utilization", // %CUU
    "Utilization + child", // %CUC
    "CGRP namespace Inode", // nsCGROUP
    "TIME namespace Inode", // nsTIME
];

/// A span's attributes in procps's monochrome palette.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attr {
    /// Bold (a shown field, the header's words).
    pub bold: bool,
    /// Reverse video (the cursor, a field being moved, the window's name).
    pub reverse: bool,
}

const PLAIN: Attr = Attr {
    bold: false,
    reverse: false,
};

/// Text drawn from column `x` of row `y`, as spans with their attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Column of the first character.
    pub x: usize,
    /// Screen row.
    pub y: usize,
    /// The text, span by span.
    pub spans: Vec<(String, Attr)>,
}

#[cfg(test)]
impl Piece {
    /// The text without attributes.
    pub fn text(&self) -> String {
        self.spans.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// The screen's own state: the cursor and whether the field under it is being moved (the
/// fields, their order and the sort field live in the toprc's windows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldScreen {
    /// Position of the cursor in the current window's field list.
    pub focus: usize,
    /// Right was pressed: Up and Down carry the field along until Left or Enter.
    pub moving: bool,
}

/// Where the sort field stands in the window's list (procps starts the cursor there).
fn sort_position(rc: &Toprc) -> usize {
    let w = rc.win();
    let sort = w.sortindx;
    (0..NFIELDS)
        .find(|&i| w.field_at(i).is_some_and(|(f, on)| on && f as i32 == sort))
        .or_else(|| (0..NFIELDS).find(|&i| w.field_at(i).is_some_and(|(f, _)| f as i32 == sort)))
        .unwrap_or(0)
}

impl FieldScreen {
    /// The screen as `f` opens it: the cursor on the current window's sort field.
    pub fn open(rc: &Toprc) -> FieldScreen {
        FieldScreen {
            focus: sort_position(rc),
            moving: false,
        }
    }

    /// Applies one key to the screen and the toprc; `true` when the key leaves the screen.
    pub fn key(&mut self, rc: &mut Toprc, k: Key) -> bool {
        let last = NFIELDS - 1;
        let i = self.focus;
        match k {
            Key::Char('q') | Key::Esc => return true,
            Key::Up if i > 0 => self.step(rc, i - 1),
            Key::Down if i < last => self.step(rc, i + 1),
            Key::Left | Key::Enter => self.moving = false,
            Key::Right => self.moving = true,
            Key::Home | Key::PgUp if !self.moving => self.focus = 0,
            Key::End | Key::PgDn if !self.moving => self.focus = last,
            Key::Char(' ' | 'd') if !self.moving => {
                let w = &mut rc.windows[rc.curwin];
                if let Some(e) = w.fieldscur.get_mut(i) {
                    *e ^= 1;
                }
                w.winflags &= !flag::SHOW_HICOLS;
            }
            Key::Char('s') if !self.moving => {
                let w = &mut rc.windows[rc.curwin];
                if let Some((f, _)) = w.field_at(i) {
                    w.sortindx = f as i32;
                }
                w.winflags &= !(flag::SHOW_HICOLS | flag::SHOW_FOREST);
            }
            Key::Char(c @ ('a' | 'w')) => {
                rc.curwin = if c == 'a' {
                    (rc.curwin + 1) % GROUPSMAX
                } else {
                    (rc.curwin + GROUPSMAX - 1) % GROUPSMAX
                };
                self.focus = sort_position(rc);
                self.moving = false;
            }
            _ => {}
        }
        false
    }

    /// The cursor to `to`, carrying the field being moved along.
    fn step(&mut self, rc: &mut Toprc, to: usize) {
        if self.moving {
            let w = &mut rc.windows[rc.curwin];
            if to.max(self.focus) < w.fieldscur.len() {
                w.fieldscur.swap(self.focus, to);
            }
            w.winflags &= !flag::SHOW_HICOLS;
        }
        self.focus = to;
    }

    /// What the screen shows on a `cols` x `rows` terminal: the header (cut to the width),
    /// then each field at its place, or procps's message (wrapped) where they cannot fit.
    pub fn pieces(&self, rc: &Toprc, cols: usize, rows: usize) -> Vec<Piece> {
        let w = rc.win();
        let sort = if w.has(flag::SHOW_FOREST) {
            "forest view"
        } else {
            FIELDS.get(w.sortindx as usize).map_or("", |f| f.name)
        };
        let line1 = format!(
            "Fields Management~2 for window ~1{}:{}~6, whose current sort field is ~1{sort}~2",
            rc.curwin + 1,
            w.name
        );
        let head = [
            line1.as_str(),
            "   Navigate with Up/Dn, Right selects for move then <Enter> or Left commits,",
            "   'd' or <Space> toggles display, 's' sets sort.  Use 'q' or <Esc> to end!",
        ];
        let mut out: Vec<Piece> = head
            .iter()
            .enumerate()
            .map(|(y, l)| Piece {
                x: 0,
                y,
                spans: gopsi::top::summary::markup_spans(l, cols)
                    .into_iter()
                    .map(|(t, code)| {
                        let attr = Attr {
                            bold: matches!(code, 2 | 7),
                            reverse: matches!(code, 4 | 6),
                        };
                        (t, attr)
                    })
                    .collect(),
            })
            .filter(|p| !p.spans.is_empty())
            .collect();
        let Some((rmax, cmax, smax)) = layout(cols, rows) else {
            let chars: Vec<char> = TOO_SMALL.chars().collect();
            for (k, part) in chars.chunks(cols.max(1)).enumerate() {
                out.push(Piece {
                    x: 0,
                    y: RESERVED + k,
                    spans: vec![(part.iter().collect(), PLAIN)],
                });
            }
            return out;
        };
        for i in 0..NFIELDS {
            let Some((f, shown)) = w.field_at(i) else {
                continue;
            };
            let focus = i == self.focus;
            let moving = focus && self.moving;
            let base = Attr {
                bold: shown,
                reverse: moving,
            };
            let name = Attr {
                bold: shown,
                reverse: moving || focus,
            };
            let desc: String = DESCRIPTIONS[f]
                .chars()
                .take(smax.saturating_sub(2))
                .collect();
            let suffix = format!("= {desc}");
            let suffix: String = format!("{suffix:<smax$}").chars().take(smax).collect();
            let mark = if shown { "*" } else { " " };
            let mut spans = vec![(mark.to_string(), PLAIN), (" ".to_string(), base)];
            spans.push((format!("{:<8.8}", FIELDS[f].name), name));
            spans.push((format!(" {suffix}"), base));
            out.push(Piece {
                x: (i / rmax) * cmax,
                y: i % rmax + RESERVED,
                spans,
            });
        }
        out
    }
}

/// procps's layout of the fields: rows per column, column width and the width of `= ` and
/// the description (a blank between columns when there are several); `None` when the fields
/// cannot fit.
fn layout(cols: usize, rows: usize) -> Option<(usize, usize, usize)> {
    let mxcol = (cols / 11).max(1);
    let rmax = rows.checked_sub(RESERVED).filter(|&r| r > 0)?;
    let need = NFIELDS / mxcol + usize::from(!NFIELDS.is_multiple_of(mxcol));
    if rmax < need {
        return None;
    }
    let ncol = NFIELDS.div_ceil(rmax);
    let (mut cmax, xadd) = if ncol > 1 {
        (cols / ncol, 1)
    } else {
        (cols, 0)
    };
    let prefix = 10 + xadd;
    cmax = cmax.min(prefix + SUFFIX);
    let smax = cmax.checked_sub(prefix)?;
    Some((rmax, cmax, smax))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gopsi::top::fields::eu;

    /// The screen as text rows (attributes dropped), trailing blanks trimmed.
    fn text(fs: &FieldScreen, rc: &Toprc, cols: usize, rows: usize) -> Vec<String> {
        let mut grid = vec![String::new(); rows];
        for p in fs.pieces(rc, cols, rows) {
            let row = &mut grid[p.y];
            while row.chars().count() < p.x {
                row.push(' ');
            }
            row.push_str(&p.text());
        }
        grid.iter().map(|r| r.trim_end().to_string()).collect()
    }

    #[test]
    fn opens_on_the_sort_field_in_three_columns_at_120x40() {
        let rc = Toprc::default();
        let fs = FieldScreen::open(&rc);
        assert_eq!(fs.focus, 8, "%CPU is the 9th of Def's fields");
        let t = text(&fs, &rc, 120, 40);
        assert_eq!(
            t[0],
            "Fields Management for window 1:Def, whose current sort field is %CPU"
        );
        assert_eq!(t[3], "");
        assert_eq!(
            t[4],
            "* PID      = Process Id            SUPGIDS  = Supp Groups IDs       \
             STARTED  = Start Time from boot"
        );
        assert_eq!(
            t[15],
            "* COMMAND  = Command Name/Line     nsNET    = NET namespace Inode"
        );
        assert_eq!(
            t[39],
            "  CGROUPS  = Control Groups        AGNI     = Autogroup Nice Value"
        );
        // The cursor's name is reversed (and bold, the field being shown); the rest bold.
        let p = fs.pieces(&rc, 120, 40);
        let cpu = p.iter().find(|p| p.y == 12 && p.x == 0).unwrap();
        let bold = Attr {
            bold: true,
            reverse: false,
        };
        assert_eq!(
            cpu.spans,
            vec![
                ("*".to_string(), PLAIN),
                (" ".to_string(), bold),
                (
                    "%CPU    ".to_string(),
                    Attr {
                        bold: true,
                        reverse: true
                    }
                ),
                (" = CPU Usage           ".to_string(), bold),
            ]
        );
        // The window name reversed, the sort field bold.
        assert_eq!(
            p[0].spans[2],
            (
                "1:Def".to_string(),
                Attr {
                    bold: false,
                    reverse: true
                }
            )
        );
        assert_eq!(p[0].spans[4], ("%CPU".to_string(), bold));
    }

    #[test]
    fn layout_follows_the_terminal() {
        let rc = Toprc::default();
        let fs = FieldScreen::open(&rc);
        // 80x24: four columns of 20, descriptions cut to 7 characters.
        let t = text(&fs, &rc, 80, 24);
        assert_eq!(
            t[4],
            "* PID      = Process  PGRP     = Process  OOMs     = OOMEM S  RSS      = Res Mem"
        );
        assert_eq!(
            t[23],
            "  GROUP    = Group N  OOMa     = OOMEM A  EXE      = Executa"
        );
        // Too few rows: procps's message under the header, wrapped at the width.
        let t = text(&fs, &rc, 80, 10);
        assert_eq!(t[4], TOO_SMALL);
        let t = text(&fs, &rc, 30, 40);
        assert_eq!(t[0], "Fields Management for window 1");
        assert_eq!(t[4], "even using field names only, w");
        assert_eq!(t[5], "indow is now too small");
        // One column when all the fields fit in the rows.
        let t = text(&fs, &rc, 100, 90);
        assert_eq!(t[81], "  nsTIME   = TIME namespace Inode");
        assert_eq!(layout(10, 100), Some((96, 10, 0)));
        assert_eq!(layout(9, 100), None);
        assert_eq!(layout(80, 3), None);
    }

    #[test]
    fn keys_toggle_sort_move_and_cycle_windows() {
        let mut rc = Toprc::default();
        let mut fs = FieldScreen::open(&rc);
        // End, toggle nsTIME on; Up, toggle %CUC... and sort by it.
        assert!(!fs.key(&mut rc, Key::End));
        assert_eq!(fs.focus, NFIELDS - 1);
        fs.key(&mut rc, Key::Char('d'));
        fs.key(&mut rc, Key::Up);
        fs.key(&mut rc, Key::Char(' '));
        fs.key(&mut rc, Key::Char('s'));
        assert_eq!(rc.win().sortindx, 76);
        let vis = rc.win().visible();
        assert_eq!(&vis[vis.len() - 2..], &[76, 77]);
        // Down past the end stays; Home and toggling PID off.
        fs.key(&mut rc, Key::Down);
        fs.key(&mut rc, Key::Down);
        assert_eq!(fs.focus, NFIELDS - 1);
        fs.key(&mut rc, Key::Home);
        fs.key(&mut rc, Key::Char('d'));
        assert!(!rc.win().visible().contains(&eu::PID));
        // Right selects USER; Down twice carries it below NI; Home does nothing while moving.
        fs.key(&mut rc, Key::Down);
        fs.key(&mut rc, Key::Right);
        fs.key(&mut rc, Key::Down);
        fs.key(&mut rc, Key::Down);
        fs.key(&mut rc, Key::Home);
        fs.key(&mut rc, Key::Char('d'));
        assert_eq!(fs.focus, 3);
        assert_eq!(&rc.win().visible()[..3], &[eu::PRI, eu::NCE, eu::UEN]);
        // The moved line is reversed whole, the mark excepted.
        let p = fs.pieces(&rc, 120, 40);
        let line = p.iter().find(|p| p.y == 7 && p.x == 0).unwrap();
        assert!(!line.spans[0].1.reverse && line.spans[1..].iter().all(|s| s.1.reverse));
        fs.key(&mut rc, Key::Enter);
        assert!(!fs.moving);
        // `a` makes window 2 current, the cursor on its sort field (PID, its first).
        fs.key(&mut rc, Key::Char('a'));
        assert_eq!((rc.curwin, fs.focus), (1, 0));
        assert!(
            text(&fs, &rc, 120, 40)[0].contains("window 2:Job, whose current sort field is PID")
        );
        fs.key(&mut rc, Key::Char('w'));
        fs.key(&mut rc, Key::Char('w'));
        assert_eq!(rc.curwin, 3);
        assert!(fs.key(&mut rc, Key::Char('q')));
        assert!(fs.key(&mut rc, Key::Esc));
    }
}
