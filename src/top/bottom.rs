//! procps 4.0.x top's bottom window: `^K` (command line), `^N` (environment), `^U`
//! (supplementary groups), `^G` (control groups) and `^P` (namespaces) of the task that was on
//! the top row when the key was pressed, shown under the task rows with a reverse header line
//! and its text wrapped at the screen's width. Pure: what to show and where; never reads /proc
//! nor writes to the terminal.

use crate::columns::Ctx;
use crate::proc::{Needs, Process};
use crate::text;

/// What the bottom window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// `^K`: the command line, its arguments joined by blanks.
    Cmdline,
    /// `^N`: the environment, its variables joined by blanks.
    Environ,
    /// `^U`: the supplementary group names, joined by commas.
    SupGroups,
    /// `^G`: the control groups (as top's `CGROUPS` field).
    Cgroups,
    /// `^P`: the namespace inodes, `name: NUMBER` each, joined by commas.
    Namespaces,
}

impl Item {
    /// The item of a control key (`'k'` for `^K`), if it opens the bottom window.
    pub fn of_key(c: char) -> Option<Item> {
        Some(match c {
            'k' => Item::Cmdline,
            'n' => Item::Environ,
            'u' => Item::SupGroups,
            'g' => Item::Cgroups,
            'p' => Item::Namespaces,
            _ => return None,
        })
    }

    /// What must be read of the task to show this item.
    pub fn needs(self) -> Needs {
        match self {
            Item::Cmdline => Needs::CMDLINE,
            Item::Environ => Needs::ENVIRON,
            Item::SupGroups => Needs::STATUS,
            Item::Cgroups => Needs::CGROUP,
            Item::Namespaces => Needs::NS,
        }
    }

    /// procps's header line for task `pid` named `comm`.
    pub fn header(self, pid: i32, comm: &str) -> String {
        let what = match self {
            Item::Cmdline => "command line",
            Item::Environ => "environment",
            Item::SupGroups => "supplementary groups",
            Item::Cgroups => "control groups",
            Item::Namespaces => "namespaces",
        };
        format!("{what} for pid {pid}, {comm}")
    }

    /// The text shown for task `p`, control bytes escaped; procps's `n/a` when it is empty
    /// (or `-`, as an unreadable value reads).
    pub fn text(self, p: &Process, cx: &Ctx) -> String {
        use crate::items::{Item as I, Value};
        let raw: Vec<u8> = match self {
            Item::Cmdline => p.cmdline.clone().unwrap_or_default(),
            Item::Environ => p.environ.clone().unwrap_or_default(),
            Item::SupGroups => match I::SupGroups.value(p, cx) {
                Value::Text(t) => t,
                _ => Vec::new(),
            },
            Item::Cgroups => match I::Cgroup.value(p, cx) {
                Value::Text(t) => t,
                _ => Vec::new(),
            },
            Item::Namespaces => {
                // procps's order (cgroup and time were added late) and `%-10lu` cells.
                let ns = [
                    ("cgroup", I::NsCgroup),
                    ("ipc", I::NsIpc),
                    ("mnt", I::NsMnt),
                    ("net", I::NsNet),
                    ("pid", I::NsPid),
                    ("time", I::NsTime),
                    ("user", I::NsUser),
                    ("uts", I::NsUts),
                ];
                let cells: Vec<String> = ns
                    .iter()
                    .map(|(name, item)| {
                        let n = match item.value(p, cx) {
                            Value::Int(n) => n.max(0),
                            _ => 0,
                        };
                        format!("{name}: {n:<10}")
                    })
                    .collect();
                cells.join(", ").into_bytes()
            }
        };
        if raw.is_empty() || raw == b"-" {
            return "n/a".to_string();
        }
        let mut out = String::new();
        text::escape(&raw, cx.charset, usize::MAX / 2, &mut out);
        out
    }
}

/// The bottom window's state: what it shows and for which task (the top row's when opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bottom {
    /// What is shown.
    pub item: Item,
    /// The task's id (its PID, or TID with threads shown).
    pub pid: i32,
}

/// procps's toggle: the same key again closes the window; another key (or the first) opens
/// it for the task now on the top row (`top_pid`; nothing opens without one).
pub fn toggle(cur: Option<Bottom>, item: Item, top_pid: Option<i32>) -> Option<Bottom> {
    match cur {
        Some(b) if b.item == item => None,
        _ => top_pid.map(|pid| Bottom { item, pid }).or(cur),
    }
}

/// The window on a screen `cols` x `rows`: the rows it takes from the bottom (procps's
/// `Bot_rsvd`: the header, then one row per started `cols` of text, at most `rows - 1`), the
/// header padded to the width, and the text cut into rows of `cols` characters (as many as
/// fit under the header).
pub fn layout(header: &str, body: &str, cols: usize, rows: usize) -> (usize, String, Vec<String>) {
    let cols = cols.max(1);
    let len = body.chars().count();
    let rsvd = (2 + len / cols).min(rows.saturating_sub(1)).max(1);
    let head: String = header.chars().take(cols).collect();
    let head = format!("{head:<cols$}");
    let chars: Vec<char> = body.chars().collect();
    let lines = chars
        .chunks(cols)
        .take(rsvd - 1)
        .map(|c| c.iter().collect())
        .collect();
    (rsvd, head, lines)
}

/// `^R`'s write: `nice` into `ROOT/PID/autogroup`, or procps's message: the range first, then
/// the open and the write, each with the system's error text.
pub fn set_autogroup(root: &std::path::Path, pid: i32, nice: i32) -> Result<(), String> {
    use std::io::Write;
    if !(-20..=19).contains(&nice) {
        return Err("valid AGNI range is -20 to +19".into());
    }
    let why = |e: std::io::Error| {
        e.raw_os_error().map_or_else(
            || e.to_string(),
            |n| nix::errno::Errno::from_raw(n).desc().to_string(),
        )
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(root.join(format!("{pid}/autogroup")))
        .map_err(|e| format!("autogroup open failed, {}", why(e)))?;
    match f.write(nice.to_string().as_bytes()) {
        Ok(n) if n > 0 => Ok(()),
        Ok(_) => Err("autogroup write failed, Success".into()),
        Err(e) => Err(format!("autogroup write failed, {}", why(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_as_procps() {
        let k = Some(Bottom {
            item: Item::Cmdline,
            pid: 7,
        });
        assert_eq!(toggle(None, Item::Cmdline, Some(7)), k);
        // The same key again closes it; another key retargets the top row's task.
        assert_eq!(toggle(k, Item::Cmdline, Some(9)), None);
        assert_eq!(
            toggle(k, Item::Environ, Some(9)),
            Some(Bottom {
                item: Item::Environ,
                pid: 9
            })
        );
        assert_eq!(toggle(None, Item::Cgroups, None), None);
        assert_eq!(Item::of_key('u'), Some(Item::SupGroups));
        assert_eq!(Item::of_key('e'), None);
    }

    #[test]
    fn autogroup_errors() {
        let d = std::env::temp_dir().join(format!("gopsi-agni-{}", std::process::id()));
        assert_eq!(
            set_autogroup(&d, 1, 20).unwrap_err(),
            "valid AGNI range is -20 to +19"
        );
        assert_eq!(
            set_autogroup(&d, 1, 0).unwrap_err(),
            "autogroup open failed, No such file or directory"
        );
        std::fs::create_dir_all(d.join("5")).unwrap();
        std::fs::write(d.join("5/autogroup"), "").unwrap();
        assert_eq!(set_autogroup(&d, 5, -3), Ok(()));
        assert_eq!(
            std::fs::read_to_string(d.join("5/autogroup")).unwrap(),
            "-3"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn headers() {
        assert_eq!(
            Item::SupGroups.header(27017, "sleep"),
            "supplementary groups for pid 27017, sleep"
        );
        assert_eq!(
            Item::Cgroups.header(1, "init"),
            "control groups for pid 1, init"
        );
    }

    #[test]
    fn layout_wraps_and_reserves_rows() {
        let body = "x".repeat(120);
        let (rsvd, head, lines) = layout("environment for pid 1, sh", &body, 80, 24);
        assert_eq!(rsvd, 3);
        assert_eq!(head.len(), 80);
        assert!(head.starts_with("environment for pid 1, sh  "));
        assert_eq!(lines, ["x".repeat(80), "x".repeat(40)]);
        // Short text: header and one row; a huge one stops one row under the top.
        assert_eq!(layout("h", "sleep 1000", 80, 24).0, 2);
        let (rsvd, _, lines) = layout("h", &"y".repeat(10_000), 80, 24);
        assert_eq!((rsvd, lines.len()), (23, 22));
        // The header is cut to the width.
        assert_eq!(layout(&"h".repeat(100), "a", 40, 24).1.len(), 40);
    }
}
