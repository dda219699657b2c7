//! top's colours and attributes as procps-ng 4.0.2 paints them: a window's colour state
//! ([`Colors`]: `z`, `x`, `y`, `b`, `B` and the four colour numbers), the attribute of each of
//! procps's `~1`–`~8` markup codes ([`Palette`]), the summary lines' markup, a task row's
//! spans (running-task and sort-column highlights), the `Z` colour-mapping screen and its keys
//! ([`ColorMap`]), and the `colors` number of a compiled terminfo entry. Pure: never writes to
//! a terminal nor opens a file.

use super::toprc::{Window, flag};

/// One window's colour settings (procps's `Show_COLORS`, `Show_HIBOLD`, `Show_HICOLS`,
/// `Show_HIROWS`, `View_NOBOLD` and `summclr`/`msgsclr`/`headclr`/`taskclr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colors {
    /// `z`: colours on.
    pub show_colors: bool,
    /// `b`: `x`/`y` highlights bold (off: reverse video).
    pub hi_bold: bool,
    /// `x`: the sort column highlighted.
    pub hi_cols: bool,
    /// `y`: running tasks highlighted.
    pub hi_rows: bool,
    /// `B`: bold off everywhere.
    pub no_bold: bool,
    /// Summary colour.
    pub summ: i32,
    /// Message and prompt colour.
    pub msgs: i32,
    /// Column header colour.
    pub head: i32,
    /// Task colour.
    pub task: i32,
}

impl Default for Colors {
    /// procps's first window (`Def`) before any file.
    fn default() -> Colors {
        Colors {
            show_colors: false,
            hi_bold: true,
            hi_cols: false,
            hi_rows: true,
            no_bold: false,
            summ: 1,
            msgs: 1,
            head: 3,
            task: 1,
        }
    }
}

impl Colors {
    /// A toprc window's colour settings.
    pub fn from_window(w: &Window) -> Colors {
        Colors {
            show_colors: w.has(flag::SHOW_COLORS),
            hi_bold: w.has(flag::SHOW_HIBOLD),
            hi_cols: w.has(flag::SHOW_HICOLS),
            hi_rows: w.has(flag::SHOW_HIROWS),
            no_bold: w.has(flag::VIEW_NOBOLD),
            summ: w.summclr,
            msgs: w.msgsclr,
            head: w.headclr,
            task: w.taskclr,
        }
    }

    /// Puts these settings into a toprc window (its other flags kept).
    pub fn store(&self, w: &mut Window) {
        for (f, on) in [
            (flag::SHOW_COLORS, self.show_colors),
            (flag::SHOW_HIBOLD, self.hi_bold),
            (flag::SHOW_HICOLS, self.hi_cols),
            (flag::SHOW_HIROWS, self.hi_rows),
            (flag::VIEW_NOBOLD, self.no_bold),
        ] {
            if on {
                w.winflags |= f;
            } else {
                w.winflags &= !f;
            }
        }
        w.summclr = self.summ;
        w.msgsclr = self.msgs;
        w.headclr = self.head;
        w.taskclr = self.task;
    }
}

/// A cell attribute: foreground colour (terminal default when `None`), bold, reverse video.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Foreground colour number.
    pub fg: Option<i32>,
    /// Bold.
    pub bold: bool,
    /// Reverse video.
    pub reverse: bool,
}

impl Style {
    /// The escape sequence that sets exactly this attribute from any other: a reset, then
    /// bold, reverse and the colour as xterm's `setaf` writes it (`3N`, `9N`, `38;5;N`).
    pub fn sgr(&self) -> String {
        let mut s = String::from("\x1b[0");
        if self.bold {
            s.push_str(";1");
        }
        if self.reverse {
            s.push_str(";7");
        }
        match self.fg {
            Some(n @ 0..=7) => s.push_str(&format!(";3{n}")),
            Some(n @ 8..=15) => s.push_str(&format!(";9{}", n - 8)),
            Some(n) => s.push_str(&format!(";38;5;{n}")),
            None => {}
        }
        s.push('m');
        s
    }
}

/// What procps's capability strings do to the attribute, in order.
#[derive(Clone, Copy)]
enum Op {
    /// `sgr0` (also what a `B`-disabled bold is).
    Reset,
    Bold,
    Rev,
    Fg(i32),
}

fn fold(ops: &[Op]) -> Style {
    let mut s = Style::default();
    for op in ops {
        match *op {
            Op::Reset => s = Style::default(),
            Op::Bold => s.bold = true,
            Op::Rev => s.reverse = true,
            Op::Fg(n) => s.fg = Some(n),
        }
    }
    s
}

/// The attributes of one window (procps's `capsmk`): what each markup code, the message and
/// prompt rows, the column header and task rows are painted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// `~1`, `~0` (and unmarked text): normal.
    pub norm: Style,
    /// `~2`: bold (normal under `B`).
    pub bold: Style,
    /// `~3`: the summary colour.
    pub sum: Style,
    /// `~4` and messages.
    pub msg: Style,
    /// `~5` and prompts.
    pub pmt: Style,
    /// `~6` and the column header.
    pub hdr: Style,
    /// `~7`: highlighted task text.
    pub rowhigh: Style,
    /// `~8`: task text.
    pub rownorm: Style,
}

impl Palette {
    /// The palette of a window on a terminal with `max_colors` colours (colours only when
    /// `z` is on and the terminal has some).
    pub fn new(c: &Colors, max_colors: i32) -> Palette {
        let bold = if c.no_bold { Op::Reset } else { Op::Bold };
        let colour = c.show_colors && max_colors > 0;
        type Caps<'a> = [&'a [Op]; 5];
        let [sum, msg, pmt, hdr, rownorm]: Caps = if colour {
            [
                &[Op::Fg(c.summ)],
                &[Op::Fg(c.msgs), Op::Rev],
                &[Op::Fg(c.msgs), bold],
                &[Op::Fg(c.head), Op::Rev],
                &[Op::Reset, Op::Fg(c.task)],
            ]
        } else {
            [&[], &[Op::Rev], &[bold], &[Op::Rev], &[Op::Reset]]
        };
        let mut high = rownorm.to_vec();
        high.push(if c.hi_bold { bold } else { Op::Rev });
        Palette {
            norm: Style::default(),
            bold: fold(&[bold]),
            sum: fold(sum),
            msg: fold(msg),
            pmt: fold(pmt),
            hdr: fold(hdr),
            rowhigh: fold(&high),
            rownorm: fold(rownorm),
        }
    }

    /// The attribute of markup code `n` (procps's `captab`; 0 and 1 normal).
    pub fn code(&self, n: u8) -> Style {
        match n {
            2 => self.bold,
            3 => self.sum,
            4 => self.msg,
            5 => self.pmt,
            6 => self.hdr,
            7 => self.rowhigh,
            8 => self.rownorm,
            _ => self.norm,
        }
    }

    /// A line with `~N` markup as spans, cut to `cols` (procps's `show_special`).
    pub fn spans(&self, markup: &str, cols: usize) -> Vec<(String, Style)> {
        super::summary::markup_spans(markup, cols)
            .into_iter()
            .map(|(t, n)| (t, self.code(n)))
            .collect()
    }

    /// A task row's spans: the whole row highlighted when it runs and `y` is on, else the
    /// sort column's cell (`cell`, in terminal columns) highlighted when `x` is on.
    pub fn row<'a>(
        &self,
        c: &Colors,
        row: &'a str,
        running: bool,
        cell: Option<(usize, usize)>,
    ) -> Vec<(&'a str, Style)> {
        if c.hi_rows && running {
            return vec![(row, self.rowhigh)];
        }
        let Some((from, to)) = cell.filter(|_| c.hi_cols) else {
            return vec![(row, self.rownorm)];
        };
        let (a, b) = (byte_at(row, from), byte_at(row, to));
        let out = vec![
            (&row[..a], self.rownorm),
            (&row[a..b], self.rowhigh),
            (&row[b..], self.rownorm),
        ];
        out.into_iter().filter(|(t, _)| !t.is_empty()).collect()
    }
}

/// The byte offset of terminal column `col` in `s` (its end when shorter).
fn byte_at(s: &str, col: usize) -> usize {
    let mut cells = 0;
    for (i, ch) in s.char_indices() {
        if cells >= col {
            return i;
        }
        let mut b = [0u8; 4];
        cells += crate::text::cells(ch.encode_utf8(&mut b));
    }
    s.len()
}

/// A summary line in text mode (as [`super::render::summary_rows`] makes it) with procps's
/// markup: labels in the summary colour (`~3`), each number with its blanks bold (`~2`),
/// the blanks ending a `%Cpu` or `Mem` line normal (`~1`), and between two lines shown
/// abreast procps's separator (a blank in the header attribute between two normal ones).
/// The load average line has no markup (all normal).
pub fn summary_markup(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 32);
    let mut label = String::new();
    let mut i = 0;
    let flush_label = |out: &mut String, label: &mut String, last: bool| {
        // A label holding the join of two lines abreast: "… st   %Cpu1 …".
        if let Some(k) = join_at(label) {
            let (head, tail) = label.split_at(k);
            let body = head.trim_end_matches(' ');
            out.push_str(body);
            // procps: the first line's own blank normal, the rest of its blanks and the
            // separator's first in the header attribute, the separator's last normal.
            let blanks = head.len() - body.len();
            out.push_str("~3 ~1");
            out.push_str(&" ".repeat(blanks.saturating_sub(2)));
            out.push_str("~6 ~1");
            *label = tail.to_string();
        }
        if last && !label.ends_with("avail Mem ") {
            let body = label.trim_end_matches(' ');
            let blanks = label.len() - body.len();
            out.push_str(body);
            out.push_str("~3");
            if blanks > 0 {
                out.push_str(&" ".repeat(blanks));
                out.push_str("~1");
            }
        } else {
            out.push_str(label);
            out.push_str("~3");
        }
        label.clear();
    };
    while i < b.len() {
        if matches!(b[i], b':' | b',' | b'.') {
            let mut j = i + 1;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            let d = j;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            // A number cut by the screen's edge is bold too (procps cuts inside its span).
            if j > d && b[d].is_ascii_digit() && (j == b.len() || b[j] == b' ') {
                let end = (j + 1).min(b.len());
                label.push(b[i] as char);
                flush_label(&mut out, &mut label, false);
                out.push_str(&line[i + 1..end]);
                out.push_str("~2");
                i = end;
                continue;
            }
        }
        let ch = line[i..].chars().next().unwrap_or(' ');
        label.push(ch);
        i += ch.len_utf8();
    }
    if !label.is_empty() {
        flush_label(&mut out, &mut label, true);
    }
    out
}

/// Where the second of two summary lines abreast starts in a label: after three or more
/// blanks, a `%Cpu`, `Node` or memory unit label.
fn join_at(label: &str) -> Option<usize> {
    let k = label.find("   ")?;
    let rest = &label[k..];
    let start = k + rest.len() - rest.trim_start_matches(' ').len();
    let tail = &label[start..];
    let starts = ["%Cpu", "%Node", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    starts.iter().any(|p| tail.starts_with(p)).then_some(start)
}

/// procps's colour-mapping screen for window `grpname` (`1:Def`): its markup lines, the last
/// one (the cursor's) without markup.
pub fn map_screen(grpname: &str, c: &Colors, target: char, max_colors: i32, clr: i32) -> String {
    let on = |b: bool| if b { "On" } else { "Off" };
    let lines = [
        format!("Help for color mapping~2 - \"Current Window\" = ~1 {grpname} ~6"),
        String::new(),
        "   color - 04:25:44 up 8 days, 50 min,  7 users,  load average:".into(),
        "   Tasks:~3  64 ~2total,~3   2 ~3running,~3  62 ~2sleeping,~3   0 ~2stopped,~3".into(),
        "   %Cpu(s):~3  76.5 ~2user,~3  11.2 ~2system,~3   0.0 ~2nice,~3  12.3 ~2idle~3".into(),
        "   ~1 Nasty Message! ~4  -or-  ~1Input Prompt~5".into(),
        "   ~1  PID TTY     PR  NI %CPU    TIME+   VIRT SWAP S COMMAND    ~6".into(),
        "   17284 ~8pts/2  ~7  8   0  0.0   0:00.75  1380    0 S /bin/bash   ~8".into(),
        "   ~1 8601 pts/1    7 -10  0.4   0:00.03   916    0 R color -b -z~7".into(),
        "   11005 ~8?      ~7  9   0  0.0   0:02.50  2852 1008 S amor -sessi~8".into(),
        format!(
            "   available toggles: ~1B~2 =disable bold globally (~1{}~2),",
            on(c.no_bold)
        ),
        format!(
            "       ~1z~2 =color/mono (~1{}~2), ~1b~2 =tasks \"bold\"/reverse (~1{}~2)",
            on(c.show_colors),
            on(c.hi_bold)
        ),
        String::new(),
        format!(
            "1) Select a ~1target~2 as an upper case letter, ~1current target~2 is ~1 {target} ~4:"
        ),
        "   S~2 = Summary Data,~1  M~2 = Messages/Prompts,".into(),
        "   H~2 = Column Heads,~1  T~2 = Task Information".into(),
        "2) Select a ~1color~2 as a number or use the up/down arrow keys".into(),
        format!(
            "   to raise/lower the {max_colors} colors value, ~1current color~2 is ~1 {clr} ~4:"
        ),
        "   0~2 = black,~1  1~2 = red,    ~1  2~2 = green,~1  3~2 = yellow,".into(),
        "   4~2 = blue, ~1  5~2 = magenta,~1  6~2 = cyan, ~1  7~2 = white".into(),
        String::new(),
        "3) Then use these keys when finished:".into(),
        format!("   'q' or <Esc> to abort changes to window '~1{grpname}~2'"),
        "   'a' or 'w' to commit & change another, <Enter> to commit and end ".into(),
    ];
    lines.join("\n")
}

/// A key on the colour-mapping screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKey {
    /// A printable key.
    Char(char),
    /// Up arrow: next colour.
    Up,
    /// Down arrow: previous colour.
    Down,
    /// Enter: apply and leave.
    Enter,
    /// Esc: abandon and leave.
    Esc,
}

/// What the colour-mapping screen does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapFlow {
    /// Stay on the screen.
    Stay,
    /// Leave, keeping the changes.
    Apply,
    /// Leave, the current window's settings as they were on entering it.
    Abandon,
}

/// The colour-mapping screen's state (procps's `wins_colors`): every window's colours, the
/// current window (`a`/`w` change it), the target being set and its colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorMap {
    /// The four windows' colours.
    pub wins: [Colors; 4],
    /// The current window.
    pub cur: usize,
    /// `S`, `M`, `H` or `T`.
    pub target: char,
    /// The target's colour.
    pub clr: i32,
    saved: Colors,
}

impl ColorMap {
    /// Enters the screen on window `cur`: its settings saved, colours turned on, target `T`.
    pub fn new(wins: [Colors; 4], cur: usize) -> ColorMap {
        let mut m = ColorMap {
            wins,
            cur: cur % 4,
            target: 'T',
            clr: 0,
            saved: wins[cur % 4],
        };
        m.enter(m.cur);
        m
    }

    fn enter(&mut self, w: usize) {
        self.cur = w;
        self.saved = self.wins[w];
        self.wins[w].show_colors = true;
        self.target = 'T';
        self.clr = self.wins[w].task;
    }

    /// The current window's colours.
    pub fn colors(&self) -> &Colors {
        &self.wins[self.cur]
    }

    fn slot(&mut self) -> &mut i32 {
        let c = &mut self.wins[self.cur];
        match self.target {
            'S' => &mut c.summ,
            'M' => &mut c.msgs,
            'H' => &mut c.head,
            _ => &mut c.task,
        }
    }

    /// One key; on [`MapFlow::Abandon`] the current window's settings are already restored.
    pub fn key(&mut self, k: MapKey, max_colors: i32) -> MapFlow {
        let flow = match k {
            MapKey::Esc | MapKey::Char('q') => MapFlow::Abandon,
            MapKey::Enter => MapFlow::Apply,
            _ => MapFlow::Stay,
        };
        if k == MapKey::Esc {
            self.wins[self.cur] = self.saved;
            return flow;
        }
        match k {
            MapKey::Char(t @ ('S' | 'M' | 'H' | 'T')) => {
                self.target = t;
                self.clr = *self.slot();
            }
            MapKey::Char(d @ '0'..='7') => {
                self.clr = d as i32 - '0' as i32;
                let n = self.clr;
                *self.slot() = n;
            }
            MapKey::Up | MapKey::Down => {
                let mut n = self.clr + if k == MapKey::Up { 1 } else { -1 };
                if n >= max_colors {
                    n = 0;
                }
                if n < 0 {
                    n = max_colors - 1;
                }
                self.clr = n;
                *self.slot() = n;
            }
            MapKey::Char('B') => self.wins[self.cur].no_bold ^= true,
            MapKey::Char('b') => self.wins[self.cur].hi_bold ^= true,
            MapKey::Char('z') => self.wins[self.cur].show_colors ^= true,
            MapKey::Char('a') => self.enter((self.cur + 1) % 4),
            MapKey::Char('w') => self.enter((self.cur + 3) % 4),
            _ => {}
        }
        if flow == MapFlow::Abandon {
            self.wins[self.cur] = self.saved;
        }
        flow
    }
}

/// The `colors` number of a compiled terminfo entry (`-1` when absent); `None` when the bytes
/// are not one.
pub fn terminfo_colors(b: &[u8]) -> Option<i32> {
    const COLORS: usize = 13;
    let short = |k: usize| -> Option<i32> {
        let v = b.get(k..k + 2)?;
        Some(i16::from_le_bytes([v[0], v[1]]) as i32)
    };
    let wide = match short(0)? {
        0o432 => false,
        0o1036 => true,
        _ => return None,
    };
    let (names, bools, nums) = (short(2)?, short(4)?, short(6)?);
    if names < 0 || bools < 0 || nums < 0 {
        return None;
    }
    if nums as usize <= COLORS {
        return Some(-1);
    }
    let mut at = 12 + names as usize + bools as usize;
    at += at % 2;
    if wide {
        let v = b.get(at + 4 * COLORS..at + 4 * COLORS + 4)?;
        Some(i32::from_le_bytes([v[0], v[1], v[2], v[3]]))
    } else {
        short(at + 2 * COLORS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> Colors {
        Colors {
            show_colors: true,
            ..Colors::default()
        }
    }

    #[test]
    fn palettes_as_capsmk() {
        let p = Palette::new(&Colors::default(), 256);
        let bold = Style {
            bold: true,
            ..Style::default()
        };
        let rev = Style {
            reverse: true,
            ..Style::default()
        };
        assert_eq!(p.rowhigh, bold);
        assert_eq!(p.rownorm, Style::default());
        assert_eq!(p.hdr, rev);
        assert_eq!(p.msg, rev);
        assert_eq!(p.pmt, bold);
        assert_eq!(p.sum, Style::default());
        let p = Palette::new(&on(), 256);
        assert_eq!(p.sum.fg, Some(1));
        assert_eq!(p.hdr, Style { fg: Some(3), ..rev });
        assert_eq!(
            p.rowhigh,
            Style {
                fg: Some(1),
                ..bold
            }
        );
        // No colours on a terminal without them.
        assert_eq!(Palette::new(&on(), 0), Palette::new(&Colors::default(), 0));
        // `B`: bold is a reset, so a bold row in colour loses its colour too.
        let nb = Colors {
            no_bold: true,
            ..on()
        };
        let p = Palette::new(&nb, 8);
        assert_eq!(p.rowhigh, Style::default());
        assert_eq!(p.pmt, Style::default());
        assert_eq!(p.bold, Style::default());
        // `b` off: reverse.
        let p = Palette::new(
            &Colors {
                hi_bold: false,
                ..on()
            },
            8,
        );
        assert_eq!(p.rowhigh, Style { fg: Some(1), ..rev });
        assert_eq!(p.rowhigh.sgr(), "\x1b[0;7;31m");
        assert_eq!(
            Style {
                fg: Some(9),
                ..bold
            }
            .sgr(),
            "\x1b[0;1;91m"
        );
        assert_eq!(Style::default().sgr(), "\x1b[0m");
        assert_eq!(
            Style {
                fg: Some(200),
                ..Style::default()
            }
            .sgr(),
            "\x1b[0;38;5;200m"
        );
    }

    #[test]
    fn rows_highlighted() {
        let c = Colors {
            hi_cols: true,
            ..Colors::default()
        };
        let p = Palette::new(&c, 8);
        let row = "  1 root  S   0.0  x";
        assert_eq!(p.row(&c, row, true, Some((11, 17))), vec![(row, p.rowhigh)]);
        assert_eq!(
            p.row(&c, row, false, Some((11, 17))),
            vec![
                ("  1 root  S", p.rownorm),
                ("   0.0", p.rowhigh),
                ("  x", p.rownorm)
            ]
        );
        let y_off = Colors {
            hi_rows: false,
            ..c
        };
        assert_eq!(
            p.row(&y_off, row, true, Some((0, 4)))[0],
            ("  1 ", p.rowhigh)
        );
        assert_eq!(p.row(&Colors::default(), row, false, Some((0, 4))).len(), 1);
    }

    #[test]
    fn summary_markup_as_procps() {
        assert_eq!(
            summary_markup("Tasks:   2 total,   1 running,   0 zombie"),
            "Tasks:~3   2 ~2total,~3   1 ~2running,~3   0 ~2zombie~3"
        );
        assert_eq!(
            summary_markup("%Cpu(s):  0.0 us,100.0 sy,  0.0 st "),
            "%Cpu(s):~3  0.0 ~2us,~3100.0 ~2sy,~3  0.0 ~2st~3 ~1"
        );
        assert_eq!(
            summary_markup("MiB Mem :  24105.0 total,    381.7 buff/cache     "),
            "MiB Mem :~3  24105.0 ~2total,~3    381.7 ~2buff/cache~3     ~1"
        );
        assert_eq!(
            summary_markup("MiB Mem :  1.0 buff/cache       MiB Swap:  0.0 avail Mem "),
            "MiB Mem :~3  1.0 ~2buff/cache~3 ~1     ~6 ~1MiB Swap:~3  0.0 ~2avail Mem ~3"
        );
        assert_eq!(
            summary_markup("MiB Swap:      0.0 used.  23661.9 avail Mem "),
            "MiB Swap:~3      0.0 ~2used.~3  23661.9 ~2avail Mem ~3"
        );
        assert_eq!(
            summary_markup("%Cpu0  :  1.0 st   %Cpu1  :  2.0 st "),
            "%Cpu0  :~3  1.0 ~2st~3 ~1 ~6 ~1%Cpu1  :~3  2.0 ~2st~3 ~1"
        );
        // Cut at the screen's edge inside a number: the number still bold.
        assert_eq!(
            summary_markup("%Cpu1  :  0.0 us,  0"),
            "%Cpu1  :~3  0.0 ~2us,~3  0~2"
        );
        // procps's `show_special` reads it back to the same text.
        let l = "MiB Mem :  24105.0 total,    381.7 buff/cache       MiB Swap:  0.0 avail Mem ";
        let m = summary_markup(l);
        let back: String = super::super::summary::markup_spans(&m, usize::MAX)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(back, l);
    }

    #[test]
    fn map_keys_as_wins_colors() {
        let mut wins = [Colors::default(); 4];
        wins[1].task = 6;
        let mut m = ColorMap::new(wins, 0);
        assert!(m.colors().show_colors);
        assert_eq!((m.target, m.clr), ('T', 1));
        assert_eq!(m.key(MapKey::Char('S'), 8), MapFlow::Stay);
        assert_eq!(m.key(MapKey::Char('4'), 8), MapFlow::Stay);
        assert_eq!(m.colors().summ, 4);
        m.key(MapKey::Char('H'), 8);
        assert_eq!(m.clr, 3);
        m.key(MapKey::Down, 8);
        m.key(MapKey::Up, 8);
        m.key(MapKey::Up, 8);
        assert_eq!(m.colors().head, 4);
        m.key(MapKey::Char('M'), 8);
        m.key(MapKey::Down, 8);
        m.key(MapKey::Down, 8);
        assert_eq!(m.colors().msgs, 7, "wraps below 0");
        m.key(MapKey::Char('b'), 8);
        m.key(MapKey::Char('B'), 8);
        assert!(!m.colors().hi_bold && m.colors().no_bold);
        // `a`: the first window keeps its changes, the second is entered.
        m.key(MapKey::Char('a'), 8);
        assert_eq!((m.cur, m.clr, m.target), (1, 6, 'T'));
        assert_eq!(m.wins[0].summ, 4);
        m.key(MapKey::Char('2'), 8);
        assert_eq!(m.key(MapKey::Char('q'), 8), MapFlow::Abandon);
        assert_eq!(m.wins[1], wins[1]);
        assert_eq!(m.wins[0].summ, 4);
        let mut m = ColorMap::new(wins, 0);
        m.key(MapKey::Char('w'), 8);
        assert_eq!(m.cur, 3);
        m.key(MapKey::Char('5'), 8);
        assert_eq!(m.key(MapKey::Enter, 8), MapFlow::Apply);
        assert_eq!(m.wins[3].task, 5);
        assert!(m.wins[3].show_colors);
        let mut m = ColorMap::new(wins, 2);
        m.key(MapKey::Char('0'), 8);
        assert_eq!(m.key(MapKey::Esc, 8), MapFlow::Abandon);
        assert_eq!(m.wins[2], wins[2]);
    }

    #[test]
    fn map_screen_text() {
        let s = map_screen("1:Def", &on(), 'T', 256, 1);
        let lines: Vec<&str> = s.split('\n').collect();
        assert_eq!(lines.len(), 24);
        assert_eq!(
            lines[0],
            "Help for color mapping~2 - \"Current Window\" = ~1 1:Def ~6"
        );
        assert!(lines[11].ends_with("(~1On~2), ~1b~2 =tasks \"bold\"/reverse (~1On~2)"));
        assert!(lines[17].contains("the 256 colors value, ~1current color~2 is ~1 1 ~4:"));
        assert_eq!(
            lines[23],
            "   'a' or 'w' to commit & change another, <Enter> to commit and end "
        );
    }

    #[test]
    fn terminfo_numbers() {
        // A legacy-format entry: header, names, 2 booleans (+ pad), 14 numbers.
        let mut b = Vec::new();
        for v in [0o432i16, 4, 2, 14, 0, 0] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(b"ab|\0");
        b.extend_from_slice(&[1, 0]);
        for k in 0..14i16 {
            b.extend_from_slice(&(if k == 13 { 256i16 } else { -1 }).to_le_bytes());
        }
        assert_eq!(terminfo_colors(&b), Some(256));
        b[0] = 0;
        assert_eq!(terminfo_colors(&b), None);
        assert_eq!(terminfo_colors(b"\x1a"), None);
    }
}
