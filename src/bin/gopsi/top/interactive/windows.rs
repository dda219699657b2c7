//! top's four windows (field groups) in full-screen mode: `g` makes another one current, as
//! procps's `win_select`, each window keeping its own fields, sort, toggles (in the toprc
//! model) and its user filter, other filters, scroll position and locate string (here).
//! Never draws: the next frame shows the current window.

use gopsi::top::render::{UserFilter, View};

use super::Ui;

/// What a window keeps while another one is current, besides what the toprc holds.
#[derive(Default)]
pub(super) struct WinState {
    user: Option<UserFilter>,
    filters: Vec<gopsi::top::filter::Filter>,
    begin: usize,
    find: String,
}

/// The window `g`'s answer selects from `cur` (procps: `1`-`4`, `a` next, `w` previous).
pub(super) fn chosen(c: char, cur: usize) -> Option<usize> {
    match c {
        '1'..='4' => Some(c as usize - '1' as usize),
        'a' => Some((cur + 1) % 4),
        'w' => Some((cur + 3) % 4),
        _ => None,
    }
}

/// The other windows' saved filters from the toprc (the current one's are in its view).
pub(super) fn from_rc(rc: &gopsi::top::toprc::Toprc, pid_width: usize) -> [WinState; 4] {
    let mut out: [WinState; 4] = Default::default();
    if let Some(b) = rc.osel.as_deref() {
        let all = gopsi::top::toprc::rc_filters(b, pid_width).unwrap_or_else(|e| e);
        for (i, f) in all.into_iter().enumerate() {
            if i != rc.curwin {
                out[i].filters = f;
            }
        }
    }
    out
}

impl Ui {
    /// `W`'s "other filter" block: every window's filters as they are now.
    pub(super) fn osel_block(&self) -> Option<String> {
        let cur = self.rc.rc.curwin;
        let lists: Vec<Vec<(bool, &str)>> = (0..4)
            .map(|i| {
                let f = if i == cur {
                    &self.v.filters
                } else {
                    &self.windows[i].filters
                };
                f.iter().map(|f| (f.ignore_case, f.raw.as_str())).collect()
            })
            .collect();
        gopsi::top::toprc::osel_block([&lists[0], &lists[1], &lists[2], &lists[3]])
    }

    /// Makes window `n` (0-3) current: the current one's state goes back into the toprc
    /// model and its stash, window `n`'s comes out of them.
    pub(super) fn select_window(&mut self, n: usize) {
        let cur = self.rc.rc.curwin;
        if n == cur || n >= self.windows.len() {
            return;
        }
        self.rc.rc.absorb(&self.v, self.delay);
        self.windows[cur] = WinState {
            user: self.v.user.take(),
            filters: std::mem::take(&mut self.v.filters),
            begin: self.v.begin,
            find: std::mem::take(&mut self.find),
        };
        self.rc.rc.curwin = n;
        let mut v: View = self.rc.rc.view(self.v.name.clone());
        // What is global in procps: threads, the PID width, the screen.
        v.threads = self.v.threads;
        v.pid_width = self.v.pid_width;
        v.cols = self.v.cols;
        v.rows = self.v.rows;
        let st = std::mem::take(&mut self.windows[n]);
        v.user = st.user;
        v.filters = st.filters;
        v.begin = st.begin;
        self.find = st.find;
        self.found = false;
        self.v = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices() {
        assert_eq!(chosen('1', 2), Some(0));
        assert_eq!(chosen('4', 0), Some(3));
        assert_eq!(chosen('a', 3), Some(0));
        assert_eq!(chosen('w', 0), Some(3));
        assert_eq!(chosen('x', 0), None);
        assert_eq!(chosen('5', 0), None);
    }
}
