//! top's `Y` (inspect) screens, pure: the inspect entries of a toprc, the selection and view
//! screens as painted text, scrolling and locating in an entry's output, all as procps-ng
//! 4.0.2 shows them. Never runs a command, reads a file or writes to a terminal: the caller
//! runs the `file` and `pipe` entries, hands their bytes to [`Output::new`] and draws the
//! returned spans.

use crate::top::summary::markup_spans;

/// How a piece of inspect screen text is drawn (procps's monochrome palette).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Normal text.
    Plain,
    /// Bold (procps's `~2` and `~5` marks).
    Bold,
    /// Reverse video (`~4`, `~6`, the status line, control characters and matches).
    Reverse,
}

/// One painted piece of a screen line.
pub type Span = (String, Paint);

/// What an inspect entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `file`: reads one file.
    File,
    /// `pipe`: runs a shell command and reads its output.
    Pipe,
    /// procps's demonstration entry (a toprc without entries): shows [`DEMO_TEXT`].
    Demo,
}

/// One inspect entry (procps's `I_ent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What it does.
    pub kind: Kind,
    /// Its type as written in the toprc (`=` shows it).
    pub type_name: String,
    /// The label on the selection screen.
    pub name: String,
    /// The path or command, `%d` standing for the PID.
    pub fmts: String,
    /// The string `L` last looked for in this entry's output.
    pub find: String,
}

/// What `Y` says when no toprc was read (procps's `YINSP_noent1_txt`).
pub const NO_ENTRIES: &str = "to enable 'Y' press <Enter> then type 'W' and restart top";

/// The demonstration output procps shows for its three demo entries.
pub const DEMO_TEXT: &str = "\
This is simulated output representing the contents of some file or the output
from some command.  Exactly which commands and/or files are solely up to you.

Although this text is for information purposes only, it can still be scrolled
and searched like real output will be.  You are encouraged to experiment with
those features as explained in the prologue above.

To enable real Inspect functionality, entries must be added to the end of the
top personal personal configuration file.  You could use your favorite editor
to accomplish this, taking care not to disturb existing entries.

Another way to add entries is illustrated below, but it risks overwriting the
rcfile.  Redirected echoes must not replace (>) but append (>>) to that file.

  /bin/echo -e \"pipe\\tOpen Files\\tlsof -P -p %d 2>&1\" >> ~/.toprc
  /bin/echo -e \"file\\tNUMA Info\\t/proc/%d/numa_maps\" >> ~/.toprc
  /bin/echo -e \"pipe\\tLog\\ttail -n200 /var/log/syslog | sort -Mr\" >> ~/.toprc

If you don't know the location or name of the top rcfile, use the 'W' command
and note those details.  After backing up the current rcfile, try issuing the
above echoes exactly as shown, replacing '.toprc' as appropriate.  The safest
approach would be to use copy then paste to avoid any typing mistakes.

Finally, restart top to reveal what actual Inspect entries combined with this
new command can offer.  The possibilities are endless, especially considering
that 'pipe' type entries can include shell scripts too!

For additional important information, please consult the top(1) man document.
Then, enhance top with your very own customized 'file' and/or 'pipe' entries.

Enjoy!
";

/// The entries of a toprc's inspect block (as [`crate::top::toprc::Toprc::inspect_raw`]
/// keeps it), as procps's `config_insp` reads them: comments and blank lines skipped, control
/// characters made `.`, three tab-separated words (type, name, path or command), a type
/// starting with `f` or `p` (either case); other lines are skipped. A file read without any
/// entry gives procps's three demo entries.
pub fn entries(raw: &str) -> Vec<Entry> {
    let mut v = Vec::new();
    for line in raw.split_inclusive('\n') {
        if line.starts_with('#') || line.starts_with('\n') {
            continue;
        }
        let clean: String = line
            .chars()
            .map(|c| {
                if c < ' ' && c != '\t' && c != '\n' {
                    '.'
                } else {
                    c
                }
            })
            .collect();
        let mut words = clean.split(['\t', '\n']).filter(|w| !w.is_empty());
        let (Some(t), Some(name), Some(fmts)) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let kind = match clean.as_bytes()[0].to_ascii_uppercase() {
            b'F' => Kind::File,
            b'P' => Kind::Pipe,
            _ => continue,
        };
        v.push(Entry {
            kind,
            type_name: t.to_string(),
            name: name.to_string(),
            fmts: fmts.to_string(),
            find: String::new(),
        });
    }
    if v.is_empty() {
        for name in ["Open Files", "NUMA Info", "Log"] {
            v.push(Entry {
                kind: Kind::Demo,
                type_name: "demo".into(),
                name: name.into(),
                fmts: "the '=' key will eventually show the actual file read or command(s) executed ..."
                    .into(),
                find: String::new(),
            });
        }
    }
    v
}

/// The path or command of an entry for `pid`: `%d` becomes the PID and `%%` a `%`, as C's
/// `snprintf(buf, fmts, pid)` does for entries that use only those.
pub fn target(fmts: &str, pid: i32) -> String {
    let mut out = String::with_capacity(fmts.len() + 8);
    let mut rest = fmts;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('d') {
            out.push_str(&pid.to_string());
            rest = a;
        } else if let Some(a) = after.strip_prefix('%') {
            out.push('%');
            rest = a;
        } else {
            out.push('%');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// What the busy message says while an entry runs (procps's `INSP_BUSY`).
pub fn busy_text(kind: Kind) -> &'static str {
    match kind {
        Kind::File => "patience please, working ...",
        Kind::Pipe | Kind::Demo => "working, use Ctrl-C to end ...",
    }
}

/// An entry's output: the bytes read, split in lines as procps's `insp_cnt_nl` splits them.
#[derive(Debug, Clone)]
pub struct Output {
    buf: Vec<u8>,
    /// Each line's start and length (without its newline).
    lines: Vec<(usize, usize)>,
    /// procps's `Insp_utf8`: the text holds multi-byte characters and decodes.
    utf8: bool,
}

impl Output {
    /// Splits `buf` in lines: a last line without a newline is a line, an empty output none.
    pub fn new(buf: Vec<u8>) -> Output {
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            if b == b'\n' {
                lines.push((start, i - start));
                start = i + 1;
            }
        }
        if start < buf.len() {
            lines.push((start, buf.len() - start));
        }
        let utf8 = utf8_delta(&buf) != 0;
        Output { buf, lines, utf8 }
    }

    /// The output procps shows when the file or command failed (`strerror` text).
    pub fn failed(reason: &str) -> Output {
        Output::new(format!("Selection failed with: {reason}\n").into_bytes())
    }

    /// Lines of output.
    pub fn lines(&self) -> usize {
        self.lines.len()
    }

    /// Bytes read.
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    fn line(&self, row: usize) -> &[u8] {
        let (s, n) = self.lines[row];
        &self.buf[s..s + n]
    }

    /// Whether the last line has no newline (procps then shows the buffer's NUL as `^@`).
    fn unterminated(&self, row: usize) -> bool {
        row + 1 == self.lines.len() && self.buf.last() != Some(&b'\n')
    }

    /// The byte offset of character column `col` in `row` (columns are bytes unless the
    /// output is UTF-8).
    fn byte_col(&self, row: usize, col: usize) -> usize {
        if !self.utf8 {
            return col;
        }
        let l = self.line(row);
        let mut off = 0;
        for _ in 0..col {
            if off >= l.len() {
                return off + 1;
            }
            off += char_len(l[off]).unwrap_or(1);
        }
        off
    }

    /// The character column of byte offset `off` in `row`.
    fn char_col(&self, row: usize, off: usize) -> usize {
        if !self.utf8 {
            return off;
        }
        let l = self.line(row);
        let (mut i, mut n) = (0, 0);
        while i < off && i < l.len() {
            i += char_len(l[i]).unwrap_or(1);
            n += 1;
        }
        n
    }
}

/// procps's `UTF8_tab`: the length of the character a byte starts.
use crate::text::lead_len as char_len;

/// procps's `utf8_delta` over the text before its first NUL: bytes minus terminal cells, 0
/// when a byte cannot start a character.
fn utf8_delta(buf: &[u8]) -> usize {
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let (mut i, mut cells) = (0, 0usize);
    while i < end {
        let Some(n) = char_len(buf[i]) else {
            return 0;
        };
        let n = n.min(end - i);
        cells += if n == 1 {
            1
        } else {
            char_cells(&buf[i..i + n])
        };
        i += n;
    }
    end - cells.min(end)
}

/// Terminal cells of one multi-byte character (1 when it does not decode, as procps).
fn char_cells(b: &[u8]) -> usize {
    match std::str::from_utf8(b) {
        Ok(s) => crate::text::cells(s),
        Err(_) => 1,
    }
}

fn line_spans(line: &str, cols: usize) -> Vec<Span> {
    markup_spans(line, cols)
        .into_iter()
        .map(|(t, code)| {
            let p = match code {
                2 | 5 | 7 => Paint::Bold,
                4 | 6 => Paint::Reverse,
                _ => Paint::Plain,
            };
            (t, p)
        })
        .collect()
}

/// The selection screen's three header lines (procps's `YINSP_hdsels_fmt`), the entry `sel`
/// in reverse video.
pub fn selection_header(
    pid: i32,
    cmd: &str,
    entries: &[Entry],
    sel: usize,
    cols: usize,
) -> Vec<Vec<Span>> {
    let mut sels = String::new();
    for (i, e) in entries.iter().enumerate() {
        let caps = if i == sel { "~4" } else { "~1" };
        sels.push_str(&format!(" {} {caps}", e.name));
    }
    [
        format!("Inspection~2 Pause at: pid ~1{pid}~6, running ~1{cmd}~6"),
        "Use~2:  left/right then <Enter> to ~1select~5 an option; 'q' or <Esc> to ~1end~5 !"
            .to_string(),
        format!("Options~2: ~1{sels}"),
    ]
    .iter()
    .map(|l| line_spans(l, cols))
    .collect()
}

/// The view screen's three header lines (procps's `YINSP_hdview_fmt`).
pub fn view_header(pid: i32, cmd: &str, find: &str, cols: usize) -> Vec<Vec<Span>> {
    let shown = if find.is_empty() {
        " N/A ".to_string()
    } else if find.len() < 22 {
        find.to_string()
    } else {
        format!("{}...", cut_bytes(find, 19))
    };
    [
        format!("Inspection~2 View at pid: ~1{pid}~3, running ~1{cmd}~3.  Locating: ~1{shown}~6"),
        "Use~2:  left/right/up/down/etc to ~1navigate~5 the output; 'L'/'&' to ~1locate~5/~1next~5."
            .to_string(),
        "Or~2:   <Enter> to ~1select another~5; 'q' or <Esc> to ~1end~5 !".to_string(),
    ]
    .iter()
    .map(|l| line_spans(l, cols))
    .collect()
}

/// At most `n` bytes of `s`, on a character boundary.
fn cut_bytes(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A status line as procps's `INSP_MKSL`: padded to 80 cells (to the width when `big`), cut
/// to the width; drawn in reverse video.
pub fn status_line(text: &str, big: bool, cols: usize) -> String {
    let size = if big { cols } else { 80 };
    let mut s: String = text.chars().take(size).collect();
    let n = s.chars().count();
    s.extend(std::iter::repeat_n(' ', size - n));
    s.chars().take(cols).collect()
}

/// The view's status text (procps's `YINSP_status_fmt`): the lines and columns in view, and
/// the bytes read. `line` and `col` are the first line and column shown.
pub fn status_text(name: &str, out: &Output, line: usize, col: usize, cols: usize) -> String {
    let total = out.lines();
    let r = total.to_string().len();
    let c = (col + cols).to_string().len();
    let (l, ls) = if out.bytes() == 0 {
        (0, 0)
    } else {
        (line + 1, total)
    };
    format!(
        "{name}: {l:>r$}-{ls:<r$} lines, {:>c$}-{:>c$} columns, {} bytes read",
        col + 1,
        col + cols,
        out.bytes()
    )
}

/// Where `find` next occurs in `row` at or after byte `from`.
fn find_in(out: &Output, find: &str, row: usize, from: usize) -> Option<usize> {
    let f = find.as_bytes();
    let l = out.line(row);
    if f.is_empty() || from > l.len() {
        return None;
    }
    l[from..]
        .windows(f.len())
        .position(|w| w == f)
        .map(|i| from + i)
}

/// Line `row` of the output from column `col`, as procps draws it in `cols` cells: control
/// characters as `^X` and (outside UTF-8 text) bytes above 126 as `<XX>`, both in reverse
/// video; matches of `find` in reverse video. In UTF-8 text DEL and undecodable bytes are
/// blanks, and C1 control characters (which procps prints raw) are `?` in reverse video.
pub fn view_row(out: &Output, row: usize, col: usize, find: &str, cols: usize) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let push = |t: &str, p: Paint, spans: &mut Vec<Span>| match spans.last_mut() {
        Some((s, q)) if *q == p => s.push_str(t),
        _ => spans.push((t.to_string(), p)),
    };
    let line = out.line(row);
    let start = out.byte_col(row, col);
    let mut to = 0usize;
    let mut i = start;
    let mut next_find = find_in(out, find, row, start);
    let nul = out.unterminated(row);
    if start >= line.len() {
        return spans;
    }
    while to < cols {
        if next_find == Some(i) {
            let room = cols - to;
            let t: String = find.chars().take(room).collect();
            push(&t, Paint::Reverse, &mut spans);
            to += find.chars().count();
            i += find.len();
            next_find = find_in(out, find, row, i);
            // procps's raw rows go on to the closing NUL; its UTF-8 rows stop here.
            if i > line.len() || (i == line.len() && (out.utf8 || !nul)) {
                break;
            }
            continue;
        }
        let b = match line.get(i) {
            Some(&b) => b,
            // The buffer's closing NUL after a last line without a newline.
            None if nul && i == line.len() => 0,
            None => break,
        };
        let room = cols - to;
        if !out.utf8 {
            if b > 126 {
                let t = format!("<{b:02X}>");
                push(cut_bytes(&t, room), Paint::Reverse, &mut spans);
                to += 4;
            } else if b < 32 {
                let t = format!("^{}", (b + b'@') as char);
                push(cut_bytes(&t, room), Paint::Reverse, &mut spans);
                to += 2;
            } else {
                to += 1;
                push(&(b as char).to_string(), Paint::Plain, &mut spans);
            }
            i += 1;
        } else {
            let n = char_len(b)
                .unwrap_or(1)
                .min(line.len().saturating_sub(i).max(1));
            match std::str::from_utf8(line.get(i..i + n).unwrap_or(&[])) {
                _ if b < 32 => {
                    let t = format!("^{}", (b + b'@') as char);
                    push(cut_bytes(&t, room), Paint::Reverse, &mut spans);
                    to += 2;
                }
                _ if b == 127 || char_len(b).is_none() => {
                    to += 1;
                    if to <= cols {
                        push(" ", Paint::Plain, &mut spans);
                    }
                }
                Ok(s) if s.chars().all(char::is_control) => {
                    to += 1;
                    push("?", Paint::Reverse, &mut spans);
                }
                Ok(s) => {
                    to += crate::text::cells(s);
                    if to <= cols {
                        push(s, Paint::Plain, &mut spans);
                    }
                }
                Err(_) => {
                    to += 1;
                    if to <= cols {
                        push(" ", Paint::Plain, &mut spans);
                    }
                }
            }
            i += n;
        }
        if i > line.len() || (i == line.len() && !nul) {
            break;
        }
    }
    spans
}

/// procps's locate in the view (`L`/`/` after a new string, `&`/`n` again): the next match
/// after the one at (`col`, `line`), scanning down from there; `None` when there is none.
pub fn locate(out: &Output, find: &str, col: usize, line: usize) -> Option<(usize, usize)> {
    if find.is_empty() {
        return None;
    }
    let mut from = out.byte_col(line.min(out.lines().saturating_sub(1)), col);
    for row in line..out.lines() {
        let mut at = find_in(out, find, row, from);
        let here = out.byte_col(row, col);
        if row == line && at == Some(here) {
            at = find_in(out, find, row, here + 1);
        }
        if let Some(x) = at {
            return Some((out.char_col(row, x), row));
        }
        from = 0;
    }
    None
}

/// A key that moves the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Left arrow: eight columns left.
    Left,
    /// Right arrow: eight columns right.
    Right,
    /// Up arrow: one line up.
    Up,
    /// Down arrow: one line down.
    Down,
    /// PgUp or `b`: a page less one line up.
    PageUp,
    /// PgDn or space: a page less one line down.
    PageDown,
    /// Home or `g`: the first line and column.
    Home,
    /// End or `G`: the last page, first column.
    End,
}

/// The view's position: first line and column shown (procps's `curlin`, `curcol`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    /// First line shown.
    pub line: i64,
    /// First column shown.
    pub col: i64,
}

impl Scroll {
    /// Applies a move with `page` lines of output on screen.
    pub fn apply(&mut self, m: Move, page: i64, lines: i64) {
        match m {
            Move::Left => self.col -= 8,
            Move::Right => self.col += 8,
            Move::Up => self.line -= 1,
            Move::Down => self.line += 1,
            Move::PageUp => self.line -= page - 1,
            Move::PageDown => self.line += page - 1,
            Move::Home => *self = Scroll::default(),
            Move::End => {
                self.col = 0;
                self.line = lines - page;
            }
        }
    }

    /// Keeps the position inside the output, as procps does before each draw.
    pub fn clamp(&mut self, lines: i64) {
        if self.col < 0 {
            self.col = 0;
        }
        if self.line >= lines {
            self.line = lines - 1;
        }
        if self.line < 0 {
            self.line = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.0.as_str()).collect()
    }

    #[test]
    fn entries_as_procps_reads_them() {
        let raw = "\n# pipe\tSockets\tlsof -n -P -i 2>&1\npipe\tOpen Files\tlsof -P -p %d 2>&1\n\
                   file\tNUMA Info\t/proc/%d/numa_maps\nbogus\tx\ty\npipe\tonly two\n\
                   File\t\tTabs\t\t/proc/%d/status\textra\n";
        let e = entries(raw);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].kind, Kind::Pipe);
        assert_eq!(e[0].name, "Open Files");
        assert_eq!(e[1].fmts, "/proc/%d/numa_maps");
        assert_eq!((e[2].kind, e[2].name.as_str()), (Kind::File, "Tabs"));
        assert_eq!(e[2].fmts, "/proc/%d/status");
        let d = entries("\n");
        assert_eq!(d.len(), 3);
        assert!(
            d.iter()
                .all(|e| e.kind == Kind::Demo && e.type_name == "demo")
        );
        assert_eq!(entries("pipe\tx\tec\x01ho\n")[0].fmts, "ec.ho");
    }

    #[test]
    fn targets() {
        assert_eq!(target("lsof -P -p %d 2>&1", 42), "lsof -P -p 42 2>&1");
        assert_eq!(target("100%% %d%d", 7), "100% 77");
        assert_eq!(target("a % b", 7), "a % b");
    }

    #[test]
    fn lines_and_status() {
        let o = Output::new(DEMO_TEXT.as_bytes().to_vec());
        assert_eq!(o.lines(), 31);
        assert_eq!(o.bytes(), 1637);
        assert_eq!(
            status_text("NUMA Info", &o, 0, 0, 100),
            "NUMA Info:  1-31 lines,   1-100 columns, 1637 bytes read"
        );
        let e = Output::new(Vec::new());
        assert_eq!(e.lines(), 0);
        assert_eq!(
            status_text("x", &e, 0, 0, 80),
            "x: 0-0 lines,  1-80 columns, 0 bytes read"
        );
        assert_eq!(Output::new(b"a\nb".to_vec()).lines(), 2);
        assert_eq!(status_line("ab", false, 100).len(), 80);
        assert_eq!(status_line("ab", true, 100).len(), 100);
        assert_eq!(status_line("ab", false, 10), "ab        ");
    }

    #[test]
    fn rows_escape_like_procps() {
        let o = Output::new(b"a\tb\x7f\xffc\nlast".to_vec());
        let r = view_row(&o, 0, 0, "", 80);
        assert_eq!(text(&r), "a^Ib<7F><FF>c");
        assert_eq!(r[1], ("^I".to_string(), Paint::Reverse));
        assert_eq!(text(&view_row(&o, 1, 0, "", 80)), "last^@");
        assert_eq!(text(&view_row(&o, 0, 2, "", 80)), "b<7F><FF>c");
        assert_eq!(text(&view_row(&o, 0, 0, "", 5)), "a^Ib<");
        let u = Output::new("é\u{9b}x\x01\x7fz\n".as_bytes().to_vec());
        assert!(u.utf8);
        let r = view_row(&u, 0, 0, "", 80);
        assert_eq!(text(&r), "é?x^A z");
        assert_eq!(text(&view_row(&u, 0, 1, "", 80)), "?x^A z");
    }

    #[test]
    fn matches_highlighted_and_located() {
        let o = Output::new(b"one two one\nnone\n".to_vec());
        let r = view_row(&o, 0, 0, "one", 80);
        assert_eq!(
            r,
            vec![
                ("one".to_string(), Paint::Reverse),
                (" two ".to_string(), Paint::Plain),
                ("one".to_string(), Paint::Reverse)
            ]
        );
        assert_eq!(locate(&o, "one", 0, 0), Some((8, 0)));
        assert_eq!(locate(&o, "one", 8, 0), Some((1, 1)));
        assert_eq!(locate(&o, "one", 1, 1), None);
        assert_eq!(locate(&o, "two", 0, 1), None);
    }

    #[test]
    fn scrolling_clamps() {
        let mut s = Scroll::default();
        s.apply(Move::Left, 20, 35);
        s.apply(Move::Up, 20, 35);
        s.clamp(35);
        assert_eq!(s, Scroll::default());
        s.apply(Move::End, 20, 35);
        assert_eq!(s.line, 15);
        s.apply(Move::PageDown, 20, 35);
        s.clamp(35);
        assert_eq!(s.line, 34);
        s.clamp(0);
        assert_eq!(s.line, 0);
    }

    #[test]
    fn headers() {
        let e = entries("\n");
        let h = selection_header(1, "init", &e, 1, 100);
        assert_eq!(text(&h[0]), "Inspection Pause at: pid 1, running init");
        assert_eq!(text(&h[2]), "Options:  Open Files  NUMA Info  Log ");
        assert!(h[2].contains(&(" NUMA Info ".to_string(), Paint::Reverse)));
        let v = view_header(1, "init", "", 100);
        assert_eq!(
            text(&v[0]),
            "Inspection View at pid: 1, running init.  Locating:  N/A "
        );
        let v = view_header(1, "init", "abcdefghijklmnopqrstuvwxyz", 100);
        assert!(text(&v[0]).ends_with("abcdefghijklmnopqrs..."));
    }
}
