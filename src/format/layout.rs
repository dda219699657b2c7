//! procps's ps row layout: fixed widths, a value wider than its column pushes the row right and
//! later columns take the space back, the header is never cut, and the last unlimited column is
//! cut at the output width. Never reads /proc and never decides what text a cell holds.

/// How a column is justified (procps's `CF_*` classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Right-justified in its width.
    Right,
    /// Left-justified; later columns absorb its overflow.
    Left,
    /// User names: left, or right in numeric (`n`) mode.
    User,
    /// Command text: left; cut to its width unless last.
    Unlimited,
    /// Wait channel: left, or right in numeric mode.
    Wchan,
    /// Signal masks: right in 9 cells, or 16 when the line is wide enough.
    Signal,
    /// AIX literal text between fields: no gap is added around it.
    Literal,
}

/// One column as the layout sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Header text.
    pub header: String,
    /// Width in cells.
    pub width: usize,
    /// Justification class.
    pub align: Align,
}

/// The largest line procps builds (`OUTBUF_SIZE`): 128 KiB means unlimited.
pub const UNLIMITED_COLS: usize = 131_072;

/// Produces one cell's text: `(column index, max cells, buffer) -> cells used`.
pub type CellFn<'a> = &'a mut dyn FnMut(usize, usize, &mut String) -> usize;

/// Geometry shared by every row of one listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Line width after procps's multiple-of-the-screen rule.
    pub active_cols: usize,
    /// Whether signal columns get 16 cells.
    pub wide_signals: bool,
    /// BSD `n`: user names are numbers and right-justified.
    pub numeric_user: bool,
    /// Numeric wait channels (right-justified).
    pub numeric_wchan: bool,
}

impl Layout {
    /// Computes the line width for `slots` on a `screen_cols` wide output (procps
    /// `check_header_width`): the smallest multiple of the screen that holds the fixed columns.
    pub fn new(slots: &[Slot], screen_cols: usize) -> Layout {
        let mut total = 0usize;
        let mut was_normal = 0;
        let last = slots.len().saturating_sub(1);
        let mut signals = 0;
        for (i, s) in slots.iter().enumerate() {
            match s.align {
                Align::Literal => {
                    total += s.width;
                    was_normal = 0;
                    continue;
                }
                Align::Unlimited => total += if i == last { 3 } else { s.width },
                Align::Signal => {
                    signals += 1;
                    total += s.width;
                }
                _ => total += s.width,
            }
            total += was_normal;
            was_normal = 1;
        }
        let screen = screen_cols.max(1);
        let mut active = screen;
        let mut k = 1;
        while active < total && active < 65_536 {
            k += 1;
            active = screen * k;
        }
        Layout {
            active_cols: active,
            wide_signals: total + 7 * signals <= active,
            numeric_user: false,
            numeric_wchan: false,
        }
    }

    /// Appends one line (header when `cell` is `None`) and its newline to `out`. `cell(i, max,
    /// buf)` appends column `i`'s text to `buf`, using at most `max` cells where it cuts itself,
    /// and returns the cells it used.
    pub fn render(
        &self,
        slots: &[Slot],
        out: &mut String,
        cell: Option<CellFn>,
        scratch: &mut String,
    ) {
        self.render_until(slots, out, cell, scratch, usize::MAX);
    }

    /// As [`Layout::render`], but stops before column `stop` (its leading space included) and
    /// appends no newline when it stops: the partial line procps leaves when a cell fails.
    pub fn render_until(
        &self,
        slots: &[Slot],
        out: &mut String,
        mut cell: Option<CellFn>,
        scratch: &mut String,
        stop: usize,
    ) {
        let (mut correct, mut actual, mut dospace) = (0isize, 0isize, 0isize);
        let active = self.active_cols as isize;
        let n = slots.len();
        for (i, s) in slots.iter().enumerate() {
            if i == stop {
                return;
            }
            let last = i + 1 == n;
            let width = s.width as isize;
            let mut legit = 0;
            let (tmpspace, max_rightward) = if !last {
                (0, width)
            } else {
                let t = correct - actual;
                if t < 1 {
                    (dospace, active - actual - dospace)
                } else {
                    (t, active - correct.max(actual))
                }
            };
            let max_rightward = max_rightward.clamp(0, UNLIMITED_COLS as isize - 1) as usize;
            scratch.clear();
            let amount = match cell.as_mut() {
                Some(f) if s.align != Align::Literal => f(i, max_rightward, scratch) as isize,
                _ => {
                    scratch.push_str(&s.header);
                    s.header.len() as isize
                }
            };
            let pad = |w: isize| (w - amount).max(0);
            let leftpad = match s.align {
                Align::Right => pad(width),
                Align::Left | Align::Literal => 0,
                Align::User if self.numeric_user => pad(width),
                Align::User => 0,
                Align::Wchan if self.numeric_wchan => pad(width),
                Align::Wchan | Align::Unlimited => {
                    if let Some(c) = scratch
                        .chars()
                        .next()
                        .filter(|_| active - actual - tmpspace < 1)
                    {
                        scratch.truncate(c.len_utf8());
                    }
                    0
                }
                Align::Signal => {
                    if self.wide_signals {
                        legit = 7;
                        pad(16)
                    } else {
                        pad(9)
                    }
                }
            };
            let mut space = correct - actual + leftpad;
            if space < 1 {
                space = dospace;
            }
            let space = space.min(144);
            for _ in 0..space {
                out.push(' ');
            }
            out.push_str(scratch);
            if last {
                out.push('\n');
                break;
            }
            actual += space + amount;
            correct += width + legit;
            let next_literal = slots[i + 1].align == Align::Literal;
            if s.align != Align::Literal && !next_literal {
                correct += 1;
                dospace = 1;
            } else {
                dospace = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(h: &str, w: usize, a: Align) -> Slot {
        Slot {
            header: h.into(),
            width: w,
            align: a,
        }
    }

    fn aux() -> Vec<Slot> {
        vec![
            slot("USER", 8, Align::User),
            slot("PID", 5, Align::Right),
            slot("%CPU", 4, Align::Right),
            slot("%MEM", 4, Align::Right),
            slot("VSZ", 6, Align::Right),
            slot("RSS", 5, Align::Right),
            slot("TTY", 8, Align::Left),
            slot("STAT", 4, Align::Left),
            slot("START", 5, Align::Right),
            slot("TIME", 6, Align::Right),
            slot("COMMAND", 27, Align::Unlimited),
        ]
    }

    fn row(slots: &[Slot], cols: usize, cells: &[&str]) -> String {
        let l = Layout::new(slots, cols);
        let mut out = String::new();
        let mut scratch = String::new();
        let mut f = |i: usize, max: usize, buf: &mut String| {
            let t: String = cells[i]
                .chars()
                .take(if i + 1 == cells.len() {
                    max
                } else {
                    usize::MAX
                })
                .collect();
            buf.push_str(&t);
            t.chars().count()
        };
        l.render(slots, &mut out, Some(&mut f), &mut scratch);
        out
    }

    #[test]
    fn aux_header_and_width_rule() {
        let s = aux();
        let l = Layout::new(&s, 80);
        assert_eq!(l.active_cols, 80);
        assert_eq!(Layout::new(&s, 60).active_cols, 120);
        assert_eq!(Layout::new(&s, 20).active_cols, 80);
        assert_eq!(Layout::new(&s, 8).active_cols, 72);
        let mut out = String::new();
        l.render(&s, &mut out, None, &mut String::new());
        assert_eq!(
            out,
            "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
        );
    }

    #[test]
    fn overflow_is_taken_back_by_a_left_column() {
        let s = aux();
        let r = row(
            &s,
            UNLIMITED_COLS,
            &[
                "root", "7985", "0.0", " 0.6", "21141728", "167224", "?", "Ss", "14:08", "0:00",
                "python3",
            ],
        );
        assert_eq!(
            r,
            "root      7985  0.0  0.6 21141728 167224 ?     Ss   14:08   0:00 python3\n"
        );
    }

    #[test]
    fn last_column_is_cut_at_the_line_width() {
        let s = aux();
        let r = row(
            &s,
            80,
            &[
                "root",
                "1",
                "0.0",
                " 0.0",
                "1",
                "1",
                "?",
                "Ss",
                "14:08",
                "0:00",
                "a command that is far too long to fit",
            ],
        );
        assert_eq!(r.len(), 81);
        assert!(r.ends_with("0:00 a command that \n"));
    }
}
