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

impl Ui {
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
