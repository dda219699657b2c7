//! The interactive `gopsi top` screen (crossterm): a refresh loop every `-d` seconds, top's
//! single-key commands and line prompts, scrolling and resizing, `^Z` suspension, and a
//! terminal guard (plus a panic hook) that restores the terminal on every exit path. Like
//! procps it draws on the normal screen, so the last frame stays after exit. Keys come from
//! [`super::input`], texts and attributes from [`super::screen`]. Never reads /proc directly:
//! all sampling goes through [`Sampler`].

use std::io::{self, Write};
use std::time::{Duration, Instant};

mod inspect;
mod windows;

use super::fieldscr::FieldScreen;
use super::input::Key;
use super::screen;
use crate::term::Input;
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{self, Clear, ClearType};
use crossterm::{cursor, execute, queue};

use gopsi::proc::ProcFs;

use gopsi::top::args::{Opts, SystemUsers, Users};
use gopsi::top::colors::{self, ColorMap, Colors, MapFlow, MapKey, Palette, Style};
use gopsi::top::fields::{eu, tics};
use gopsi::top::render::{self, UserFilter, View};
use gopsi::top::{Env, Sample, Sampler};

/// Puts the terminal back: attributes off, cursor shown on the last row (the frame above it
/// stays, as procps leaves it), cooked mode. Safe to call twice.
fn restore_terminal() {
    let mut out = io::stdout();
    let rows = terminal::size().map(|(_, r)| r).unwrap_or(24);
    let _ = execute!(
        out,
        SetAttribute(Attribute::Reset),
        cursor::MoveTo(0, rows.saturating_sub(1)),
        cursor::Show,
        Print("\r\n")
    );
    let _ = terminal::disable_raw_mode();
}

/// Raw mode on a cleared normal screen while alive; restores the terminal when dropped.
struct TermGuard;

impl TermGuard {
    fn enter() -> io::Result<TermGuard> {
        terminal::enable_raw_mode()?;
        let guard = TermGuard;
        execute!(io::stdout(), Clear(ClearType::All), cursor::Hide)?;
        Ok(guard)
    }
}

/// `^Z`: the terminal restored, the process stopped; on `fg` raw mode again and a full redraw.
fn suspend() -> io::Result<()> {
    restore_terminal();
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGSTOP);
    terminal::enable_raw_mode()?;
    execute!(io::stdout(), Clear(ClearType::All), cursor::Hide)
}

impl Drop for TermGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// procps's `Caps_off`: every attribute back to normal.
const RESET: &str = "\x1b[0m";

/// Writes spans, each with its whole attribute (procps writes each after a reset).
fn put<T: AsRef<str>>(out: &mut impl Write, spans: &[(T, Style)]) -> io::Result<()> {
    for (t, st) in spans {
        queue!(out, Print(st.sgr()), Print(t.as_ref()))?;
    }
    Ok(())
}

/// What a key asks the loop to do.
enum Next {
    Quit,
    /// Take a new sample and redraw now.
    Refresh,
}

struct Ui {
    v: View,
    delay: f32,
    /// The configuration read at start; `W` writes it back with the screen's state.
    rc: super::rcfile::Loaded,
    secure: bool,
    /// `-w N` cap on the width.
    width_cap: Option<usize>,
    msg: Option<String>,
    /// procps's `findstr`: the string `L` looks for and `&` looks for again (`=` clears it).
    find: String,
    /// Whether the current `find` string matched a row yet (procps says "another" then).
    found: bool,
    /// The first visible task's pid (the default for `k` and `r`).
    top_pid: Option<i32>,
    /// procps's `winlines`: the task window's lines with its header (`n`'s limit, else
    /// the lines under the message row); PgUp/PgDn move by two fewer.
    winlines: usize,
    /// Summary lines of the last frame: the message row is the one under them.
    summary_rows: usize,
    /// `C`: the scroll coordinates shown on the message row.
    coords: bool,
    /// The terminal's colours (terminfo's `colors`; 0 or less: none).
    max_colors: i32,
    /// `^K ^N ^U ^G ^P`: the bottom window, when open.
    bottom: Option<gopsi::top::bottom::Bottom>,
    /// `Y`'s entries (none when no toprc was read: procps then says how to make one).
    inspect: Vec<gopsi::top::inspect::Entry>,
    /// The entry `Y` last selected (procps keeps it between uses).
    insp_sel: usize,
    /// Whether the inspect view's locate string matched yet ("another" then).
    insp_found: bool,
    /// Prompts and messages go on row 3 while an inspect screen is up, as procps's.
    in_inspect: bool,
    /// What each window keeps while another is current (`g`).
    windows: [windows::WinState; 4],
}

/// Runs the interactive screen; returns the exit status.
pub fn run(fs: &ProcFs, o: &Opts, env: &Env, rc: super::rcfile::Loaded) -> i32 {
    let prev_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        prev_hook(info);
    }));
    // SIGHUP ends top with status 0 and the terminal restored, as procps's top.
    crate::term::catch_term_signals(false);
    crate::term::watch_resize();
    let guard = match TermGuard::enter() {
        Ok(g) => g,
        Err(e) => {
            restore_terminal();
            errln!("top: failed tty set: {e}");
            return 1;
        }
    };
    let status = match main_loop(fs, o, env, rc) {
        Ok(()) => 0,
        Err(e) => {
            drop(guard);
            errln!("top: {e}");
            return 1;
        }
    };
    drop(guard);
    status
}

fn main_loop(fs: &ProcFs, o: &Opts, env: &Env, rc: super::rcfile::Loaded) -> io::Result<()> {
    let mut sampler = Sampler::new(fs, o, env);
    // Refreshes read memory and owner only for the rows on screen (a fraction of the tasks).
    sampler.sel.window_only = true;
    let inspect = if rc.read {
        gopsi::top::inspect::entries(&rc.rc.inspect_raw)
    } else {
        Vec::new()
    };
    let mut ui = Ui {
        v: render::View {
            numa_nodes: sampler.fs.numa_nodes(),
            ..gopsi::top::view_from_rc(&rc.rc, o, sampler.cx.pid_width)
        },
        delay: rc.rc.delay,
        rc,
        secure: o.secure,
        width_cap: o.width.flatten(),
        msg: None,
        find: String::new(),
        found: false,
        top_pid: None,
        winlines: 3,
        summary_rows: 5,
        coords: false,
        max_colors: max_colors(),
        bottom: None,
        inspect,
        insp_sel: 0,
        insp_found: false,
        in_inspect: false,
        windows: Default::default(),
    };
    ui.windows = windows::from_rc(&ui.rc.rc, sampler.cx.pid_width);
    let mut left = o.iterations.unwrap_or(-1);
    let mut out = io::stdout();
    loop {
        ui.geometry();
        let mut s = sampler.sample(&ui.v, env);
        // With `o`/`O` filters any task may reach the screen: all of them get their memory.
        let budget = if ui.v.filters.is_empty() {
            ui.v.rows.unwrap_or(24)
        } else {
            usize::MAX
        };
        let on_screen: std::collections::HashSet<i32> = render::visible(&ui.v, &s.tasks)
            .take(budget)
            .map(|t| t.p.tid)
            .collect();
        gopsi::top::tasks::Reaper::fill(&sampler.fs, &mut s.tasks, &on_screen);
        ui.draw(&mut out, &s, &sampler)?;
        if left > 0 {
            left -= 1;
            if left == 0 {
                return Ok(());
            }
        }
        let deadline = Instant::now() + gopsi::top::delay_duration(ui.delay);
        loop {
            // Signals and keys are looked at on every pass, even with a zero delay.
            if stop_requested() {
                return Ok(());
            }
            let wait = deadline.saturating_duration_since(Instant::now());
            match crate::term::next_input(wait.min(Duration::from_millis(250)))? {
                Input::Key(k) => match ui.key(k, &mut out, &mut sampler, &mut s)? {
                    Next::Quit => return Ok(()),
                    Next::Refresh => break,
                },
                Input::Resize => break,
                Input::Timeout if wait.is_zero() => break,
                Input::Timeout => {}
                Input::Closed => return Ok(()),
            }
        }
    }
}

/// The `colors` of `$TERM`'s terminfo entry, looked up where ncurses looks (`$TERMINFO`,
/// `~/.terminfo`, `$TERMINFO_DIRS`, the system directories); a terminal without an entry
/// is taken as `*-256color` names say, else 8 colours.
fn max_colors() -> i32 {
    let term = std::env::var("TERM").unwrap_or_default();
    if term.is_empty() || term.contains('/') {
        return 0;
    }
    let mut dirs: Vec<String> = Vec::new();
    if let Ok(d) = std::env::var("TERMINFO") {
        dirs.push(d);
    }
    if let Ok(h) = std::env::var("HOME") {
        dirs.push(format!("{h}/.terminfo"));
    }
    if let Ok(ds) = std::env::var("TERMINFO_DIRS") {
        dirs.extend(ds.split(':').filter(|d| !d.is_empty()).map(str::to_string));
    }
    for d in ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"] {
        dirs.push(d.to_string());
    }
    let first = term.as_bytes()[0];
    for d in &dirs {
        for sub in [(first as char).to_string(), format!("{first:x}")] {
            let path = format!("{d}/{sub}/{term}");
            let Ok(f) = std::fs::File::open(&path) else {
                continue;
            };
            let mut b = Vec::new();
            use std::io::Read;
            if f.take(1 << 16).read_to_end(&mut b).is_ok()
                && let Some(n) = colors::terminfo_colors(&b)
            {
                return n;
            }
        }
    }
    if term.contains("256color") { 256 } else { 8 }
}

/// procps's 4-way toggle of `t` and `m`: text, bar graph, block graph, off, text again.
fn cycle_graph(shown: &mut bool, mode: &mut u8) {
    if !*shown {
        *shown = true;
    } else if *mode >= 2 {
        *mode = 0;
        *shown = false;
    } else {
        *mode += 1;
    }
}

/// Whether top should stop: a terminating signal arrived, or stdin is no longer a terminal
/// (after a hangup the kernel answers the terminal's ioctls with EIO).
fn stop_requested() -> bool {
    crate::term::term_requested() || !crate::term::isatty(std::io::stdin())
}

/// The next key, or `None` when top should stop instead: a terminating signal arrived, or
/// the terminal went away (as after a hangup), so a prompt never waits on a dead terminal.
fn read_key() -> io::Result<Option<Key>> {
    loop {
        if stop_requested() {
            return Ok(None);
        }
        match crate::term::next_input(Duration::from_millis(250))? {
            Input::Key(k) => return Ok(Some(k)),
            Input::Closed => return Ok(None),
            Input::Resize | Input::Timeout => {}
        }
    }
}

impl Ui {
    /// Screen size now (terminal size, capped by `-w N`).
    fn geometry(&mut self) {
        let (c, r) = terminal::size().unwrap_or((80, 24));
        let mut cols = (c as usize).clamp(3, 512);
        if let Some(w) = self.width_cap {
            cols = cols.min(w);
        }
        self.v.cols = cols;
        self.v.rows = Some((r as usize).max(3));
    }

    fn draw(&mut self, out: &mut impl Write, s: &Sample, sampler: &Sampler) -> io::Result<()> {
        let all_rows = self.v.rows.unwrap_or(24);
        let bottom = self.bottom_window(s, sampler, all_rows);
        let v = &self.v;
        // procps's SCREEN_ROWS: the bottom window's rows are taken from the task area.
        let rows = all_rows - bottom.as_ref().map_or(0, |b| b.0);
        let mut lines: Vec<(String, bool)> = render::summary_rows(v, &s.host)
            .into_iter()
            .map(|(l, marked)| {
                if marked {
                    (l, true)
                } else {
                    (render::cut(&l, v.cols).to_string(), false)
                }
            })
            .collect();
        // Keep one message row, the header and at least one task row.
        lines.truncate(rows.saturating_sub(3));
        let msg_row = lines.len();
        self.summary_rows = msg_row;
        let (shown, varsz) = render::fit_fields(v);
        let max_lines = rows.saturating_sub(msg_row + 1);
        let winlines = if v.maxtasks > 0 {
            v.maxtasks
        } else {
            max_lines
        };
        let max_rows = max_lines.min(winlines + 1).saturating_sub(1);
        self.winlines = winlines;
        let body = render::shown_rows(v, &s.tasks, &shown, varsz, &s.tc, &sampler.cx, max_rows);
        self.top_pid = body.first().map(|(t, _)| t.p.tid);

        let pal = self.palette();
        queue!(out, cursor::MoveTo(0, 0))?;
        let load_line = v.show_load && !sampler.restricted;
        for (y, (l, marked)) in lines.iter().enumerate() {
            queue!(out, cursor::MoveTo(0, y as u16))?;
            // procps's markup: a graph's own, a text line's labels, numbers and blanks; the
            // load average line has none (normal).
            let markup = if *marked || (y == 0 && load_line) {
                l.clone()
            } else {
                colors::summary_markup(l)
            };
            put(out, &pal.spans(&markup, v.cols))?;
            queue!(out, Print(RESET), Clear(ClearType::UntilNewLine))?;
        }
        queue!(
            out,
            cursor::MoveTo(0, msg_row as u16),
            Clear(ClearType::UntilNewLine)
        )?;
        if self.coords {
            // procps's show_scroll: first task / all tasks reaped, first field / fields shown.
            let text = format!(
                "scroll coordinates: y = {}/{} (tasks), x = 1/{} (fields)",
                v.begin + 1,
                s.host.host().tasks().total,
                v.fields.len().max(1)
            );
            queue!(
                out,
                Print(format!(
                    "  {}",
                    render::cut(&text, v.cols.saturating_sub(3))
                ))
            )?;
        }
        // procps pads the header and every row to the columns its cells fill (the variable
        // one to its width): the header's attribute and a highlight reach that far.
        let width = render::layout_width(v, &shown, varsz);
        let pad = |t: &str| {
            let n = width.saturating_sub(gopsi::text::cells(t));
            format!("{t}{}", " ".repeat(n))
        };
        let hdr = pad(&render::header(v, &shown, varsz));
        queue!(out, cursor::MoveTo(0, msg_row as u16 + 1))?;
        put(out, &[(hdr.as_str(), pal.hdr)])?;
        queue!(out, Print(RESET), Clear(ClearType::UntilNewLine))?;
        // `y`: running tasks' rows highlighted; `x`: the sort column's cells.
        let cell = render::sort_cell(v, &shown, varsz);
        for (k, (t, r)) in body.iter().enumerate() {
            let run = t.p.stat.state == b'R';
            let row = pad(r);
            queue!(out, cursor::MoveTo(0, (msg_row + 2 + k) as u16))?;
            let spans = pal.row(&v.colors, &row, run, cell);
            // `L`'s string wherever a shown row holds it, as procps draws it.
            let spans = screen::overlay_found(&spans, &self.find, pal.hdr);
            put(out, &spans)?;
            queue!(out, Print(RESET), Clear(ClearType::UntilNewLine))?;
        }
        queue!(out, Clear(ClearType::FromCursorDown))?;
        if let Some((rsvd, head, text)) = bottom {
            // procps: the header in the header's attribute (reverse), padded to the width,
            // then the text wrapped at the width in the rows under it.
            let top = (all_rows - rsvd) as u16;
            queue!(
                out,
                cursor::MoveTo(0, top),
                Print(pal.hdr.sgr()),
                Print(head),
                Print(RESET)
            )?;
            for (k, l) in text.iter().enumerate() {
                queue!(out, cursor::MoveTo(0, top + 1 + k as u16), Print(l))?;
            }
        }
        out.flush()
    }

    /// The current window's attributes on this terminal.
    fn palette(&self) -> Palette {
        Palette::new(&self.v.colors, self.max_colors)
    }

    /// procps's `Z`: the colour-mapping screen, live on the current window's colours (turned
    /// on while there); Enter keeps the changes, `q`/Esc restore the window's settings,
    /// `a`/`w` keep them and go on with the next/previous window, which becomes the current
    /// one (its fields, sort and colours shown afterwards).
    fn color_map(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.max_colors <= 0 {
            self.msg = Some("No colors to map!".into());
            return Ok(());
        }
        let rc = &self.rc.rc;
        let mut wins: [Colors; 4] = std::array::from_fn(|i| Colors::from_window(&rc.windows[i]));
        wins[rc.curwin] = self.v.colors;
        let names: Vec<String> = (0..4)
            .map(|i| format!("{}:{}", i + 1, rc.windows[i].name))
            .collect();
        let mut m = ColorMap::new(wins, rc.curwin);
        queue!(out, cursor::Show, Clear(ClearType::All))?;
        loop {
            let c = *m.colors();
            let pal = Palette::new(&c, self.max_colors);
            let text = colors::map_screen(&names[m.cur], &c, m.target, self.max_colors, m.clr);
            let mut lines: Vec<&str> = text.split('\n').collect();
            let last = lines.pop().unwrap_or("");
            let cols = self.v.cols;
            for (y, l) in lines.iter().enumerate() {
                queue!(out, cursor::MoveTo(0, y as u16))?;
                put(out, &pal.spans(l, cols))?;
                queue!(out, Print(RESET), Clear(ClearType::UntilNewLine))?;
            }
            queue!(
                out,
                cursor::MoveTo(0, lines.len() as u16),
                Print(render::cut(last, cols.saturating_sub(1))),
                Clear(ClearType::FromCursorDown)
            )?;
            out.flush()?;
            let Some(k) = read_key()? else {
                break;
            };
            let mk = match k {
                Key::Char(ch) => MapKey::Char(ch),
                Key::Up => MapKey::Up,
                Key::Down => MapKey::Down,
                Key::Enter => MapKey::Enter,
                Key::Esc => MapKey::Esc,
                Key::Ctrl('z') => {
                    suspend()?;
                    queue!(out, cursor::Show)?;
                    continue;
                }
                _ => continue,
            };
            if m.key(mk, self.max_colors) != MapFlow::Stay {
                break;
            }
        }
        execute!(out, cursor::Hide)?;
        // The other windows' colours into the file's state, the current one's into the view;
        // another window made current (`g`'s switch) shows its own fields and sort from now on.
        let cur = self.rc.rc.curwin;
        for (i, c) in m.wins.iter().enumerate() {
            c.store(&mut self.rc.rc.windows[i]);
        }
        self.v.colors = m.wins[cur];
        self.select_window(m.cur);
        Ok(())
    }

    /// The bottom window's rows, header and text for this frame; `None` when closed. Its
    /// task's files are read afresh (they may not be among what the frame read); a task no
    /// longer reaped keeps the rows, blank, as procps keeps them.
    fn bottom_window(
        &self,
        s: &Sample,
        sampler: &Sampler,
        rows: usize,
    ) -> Option<(usize, String, Vec<String>)> {
        use gopsi::top::bottom;
        let b = self.bottom?;
        let cols = self.v.cols;
        let Some(t) = s.tasks.iter().find(|t| t.p.tid == b.pid) else {
            return Some((
                bottom::layout("", "", cols, rows).0,
                String::new(),
                Vec::new(),
            ));
        };
        let tid = (t.p.tid != t.p.pid).then_some(t.p.tid);
        let mut r = gopsi::proc::Reader::default();
        let p = sampler
            .fs
            .read(t.p.pid, tid, b.item.needs(), &mut r)
            .unwrap_or_else(|_| t.p.clone());
        let mut comm = String::new();
        gopsi::text::escape(&t.p.stat.comm, sampler.cx.charset, 64, &mut comm);
        let head = b.item.header(b.pid, &comm);
        let text = b.item.text(&p, &sampler.cx);
        Some(bottom::layout(&head, &text, cols, rows))
    }

    /// A message in reverse video on the message row, held ~1.25 s as procps holds it.
    fn show_msg(&self, out: &mut impl Write, m: &str) -> io::Result<()> {
        queue!(
            out,
            cursor::MoveTo(0, self.msg_row()),
            Print(self.palette().msg.sgr()),
            Print(screen::message(m, self.v.cols)),
            Print(RESET),
            Clear(ClearType::UntilNewLine)
        )?;
        out.flush()?;
        std::thread::sleep(Duration::from_millis(1250));
        Ok(())
    }

    fn msg_row(&self) -> u16 {
        if self.in_inspect {
            return 3;
        }
        // The prompt goes on the line under the summary (fewer lines on tiny screens).
        self.summary_rows
            .min(self.v.rows.unwrap_or(24).saturating_sub(3)) as u16
    }

    /// Reads a line on the message row; `None` when Esc cancels.
    fn prompt(&self, out: &mut impl Write, text: &str) -> io::Result<Option<String>> {
        let row = self.msg_row();
        let mut buf = String::new();
        loop {
            queue!(
                out,
                cursor::MoveTo(0, row),
                Print(self.palette().pmt.sgr()),
                Print(text),
                Print(RESET),
                Print(&buf),
                Clear(ClearType::UntilNewLine),
                cursor::Show
            )?;
            out.flush()?;
            let Some(k) = read_key()? else {
                return Ok(None);
            };
            match k {
                Key::Enter => break,
                Key::Esc | Key::Ctrl('c') => {
                    if k == Key::Ctrl('c') {
                        // procps ends at a prompt too: as the terminal's SIGINT would.
                        let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGINT);
                    }
                    execute!(out, cursor::Hide)?;
                    return Ok(None);
                }
                Key::Ctrl('z') => suspend()?,
                Key::Backspace => {
                    buf.pop();
                }
                Key::Char(c) if buf.len() < 100 => buf.push(c),
                _ => {}
            }
        }
        execute!(out, cursor::Hide)?;
        Ok(Some(buf))
    }

    /// Asks on the message row and reads one key (procps's `show_pmt` + `iokey(IOKEY_ONCE)`);
    /// `None` when top should stop instead.
    fn ask(&self, out: &mut impl Write, text: &str) -> io::Result<Option<Key>> {
        queue!(
            out,
            cursor::MoveTo(0, self.msg_row()),
            Print(self.palette().pmt.sgr()),
            Print(text),
            Print(' '),
            Print(RESET),
            Clear(ClearType::UntilNewLine),
            cursor::Show
        )?;
        out.flush()?;
        let k = read_key()?;
        execute!(out, cursor::Hide)?;
        Ok(k)
    }

    /// `W`: the toprc with the screen's state, after procps's questions for malformed inspect
    /// entries and for a file an older top wrote.
    fn write_rc(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.rc.rc.questions {
            let k = self.ask(
                out,
                "rcfile has inspect/other-filter error(s), save anyway?",
            )?;
            if !matches!(k, Some(Key::Char('y' | 'Y'))) {
                return Ok(());
            }
            self.rc.rc.questions = false;
        }
        if self.rc.rc.id != gopsi::top::toprc::VERSION_ID {
            let k = self.ask(out, "saving prevents older top from reading, save anyway?")?;
            if !matches!(k, Some(Key::Char('y' | 'Y'))) {
                return Ok(());
            }
            self.rc.rc.id = gopsi::top::toprc::VERSION_ID;
        }
        self.rc.rc.absorb(&self.v, self.delay);
        self.rc.rc.osel = self.osel_block();
        let text = gopsi::top::toprc::format(&self.rc.rc, "top");
        self.msg = Some(super::rcfile::write(&self.rc.path, &text));
        Ok(())
    }

    /// procps's help: page 1, `h`/`?` again for page 2; `q` or Esc (or Enter on page 2) leave.
    fn help(&self, out: &mut impl Write) -> io::Result<()> {
        let mut page = 1;
        loop {
            let text = if page == 1 {
                screen::help_page1(self.v.cumulative, self.delay, self.secure)
            } else {
                screen::help_page2()
            };
            queue!(out, cursor::MoveTo(0, 0), Clear(ClearType::All))?;
            for (y, l) in text.iter().enumerate() {
                queue!(
                    out,
                    cursor::MoveTo(0, y as u16),
                    Print(render::cut(l, self.v.cols.saturating_sub(1)))
                )?;
            }
            out.flush()?;
            loop {
                let Some(k) = read_key()? else {
                    return Ok(());
                };
                match (page, k) {
                    (_, Key::Char('q') | Key::Esc) => return Ok(()),
                    (2, Key::Enter) => return Ok(()),
                    (1, Key::Char('h' | '?')) => {
                        page = 2;
                        break;
                    }
                    (_, Key::Ctrl('z')) => {
                        suspend()?;
                        break;
                    }
                    _ => {}
                }
            }
        }
    }

    /// procps's `f`: the field management screen until `q`/Esc, its changes (shown fields,
    /// order, sort field, current window) applied; `false` when top should stop.
    fn fields_screen(&mut self, out: &mut impl Write) -> io::Result<bool> {
        self.rc.rc.absorb(&self.v, self.delay);
        let win = self.rc.rc.curwin;
        let mut fs = FieldScreen::open(&self.rc.rc);
        let mut clear = true;
        loop {
            self.geometry();
            let (cols, rows) = (self.v.cols, self.v.rows.unwrap_or(24));
            if clear {
                queue!(out, Clear(ClearType::All))?;
                clear = false;
            }
            for p in fs.pieces(&self.rc.rc, cols, rows) {
                if p.y >= rows {
                    break;
                }
                queue!(out, cursor::MoveTo(p.x as u16, p.y as u16))?;
                for (t, a) in &p.spans {
                    queue!(out, SetAttribute(Attribute::Reset))?;
                    if a.bold {
                        queue!(out, SetAttribute(Attribute::Bold))?;
                    }
                    if a.reverse {
                        queue!(out, SetAttribute(Attribute::Reverse))?;
                    }
                    queue!(out, Print(t))?;
                }
                queue!(out, SetAttribute(Attribute::Reset))?;
                if p.x == 0 && p.y < 3 {
                    queue!(out, Clear(ClearType::UntilNewLine))?;
                }
            }
            out.flush()?;
            let k = loop {
                if stop_requested() {
                    return Ok(false);
                }
                match crate::term::next_input(Duration::from_millis(250))? {
                    Input::Key(k) => break k,
                    Input::Closed => return Ok(false),
                    Input::Resize => {
                        clear = true;
                        break Key::Other;
                    }
                    Input::Timeout => {}
                }
            };
            match k {
                Key::Ctrl('c') => return Ok(false),
                Key::Ctrl('z') => {
                    suspend()?;
                    clear = true;
                }
                k => {
                    if fs.key(&mut self.rc.rc, k) {
                        break;
                    }
                }
            }
        }
        // The window the screen started on takes its fields and sort; when `a`/`w` left
        // another one current, that one is selected as `g` selects it.
        let now = self.rc.rc.curwin;
        self.rc.rc.curwin = win;
        let w = self.rc.rc.win();
        self.v.fields = w.visible();
        self.v.sort = (w.sortindx as usize).min(gopsi::top::fields::FIELDS.len() - 1);
        self.select_window(now);
        Ok(true)
    }

    fn key(
        &mut self,
        k: Key,
        out: &mut impl Write,
        sampler: &mut Sampler,
        s: &mut Sample,
    ) -> io::Result<Next> {
        let v = &mut self.v;
        match k {
            Key::Ctrl('c') => return Ok(Next::Quit),
            Key::Ctrl('z') => suspend()?,
            Key::Char('q') => return Ok(Next::Quit),
            Key::Char('h' | '?') => self.help(out)?,
            Key::Char('f') => {
                if !self.fields_screen(out)? {
                    return Ok(Next::Quit);
                }
                if self.v.user.as_ref().is_some_and(|u| u.any) {
                    sampler.sel.extra = gopsi::proc::Needs::STATUS;
                }
            }
            // procps's `F` keeps a forest view focused on the top task: without a forest
            // view (not drawn here) it changes nothing.
            Key::Char('F') => {}
            Key::Char(' ') | Key::Enter => {}
            Key::Char('P') => v.sort = eu::CPU,
            Key::Char('M') => v.sort = eu::MEM,
            Key::Char('T') => v.sort = eu::TM2,
            Key::Char('N') => v.sort = eu::PID,
            Key::Char('R') => v.sort_desc = !v.sort_desc,
            Key::Char(c @ ('<' | '>')) => {
                let (shown, _) = render::fit_fields(v);
                if let Some(i) = shown.iter().position(|&f| f == v.sort) {
                    if c == '<' && i > 0 {
                        v.sort = shown[i - 1];
                    } else if c == '>' && i + 1 < shown.len() {
                        v.sort = shown[i + 1];
                    }
                }
            }
            Key::Char('c') => v.cmdline = !v.cmdline,
            Key::Char('W') => self.write_rc(out)?,
            Key::Char('i') => v.show_idle = !v.show_idle,
            Key::Char(c @ ('o' | 'O')) => {
                let ignore_case = c == 'o';
                let text = gopsi::top::filter::prompt(v.filters.len() + 1, ignore_case);
                if let Some(glob) = self.prompt(out, &text)?.filter(|g| !g.is_empty()) {
                    let pw = self.v.pid_width;
                    match gopsi::top::filter::parse(&glob, ignore_case, &self.v.filters, pw) {
                        Ok(f) => self.v.filters.push(f),
                        Err(m) => self.msg = Some(m),
                    }
                }
            }
            Key::Ctrl('o') => {
                let line = gopsi::top::filter::status_line(&v.filters);
                let _ = self.prompt(out, &line)?;
            }
            // procps's window reset: idle tasks shown, no task limit, user filter, `-p` list,
            // `o`/`O` filters or scrolling.
            Key::Char('=') => {
                v.show_idle = true;
                v.maxtasks = 0;
                v.user = None;
                v.begin = 0;
                v.filters.clear();
                sampler.sel.pids.clear();
                self.find.clear();
            }
            Key::Char(c @ ('L' | '&')) => self.locate(c, out, sampler, s)?,
            Key::Char('S') => v.cumulative = !v.cumulative,
            // procps's summary keys, refused where /proc shows tasks only (`subset=pid`).
            Key::Char('!' | '1' | '2' | '3' | '4' | '5' | 'l' | 'm' | 't')
                if sampler.restricted =>
            {
                self.msg = Some("sorry, restricted namespace with reduced functionality".into());
            }
            Key::Char(c @ ('1' | '2' | '4' | '!')) => {
                if let Err(m) = v.cpu_key(c, s.tc.ncpu) {
                    self.msg = Some(m.into());
                }
            }
            Key::Char('3') if v.numa_nodes.is_empty() => {
                self.msg = Some(render::NUMA_UNAVAILABLE.into());
            }
            Key::Char('3') => {
                let p = format!("expand which numa node (0-{}) ", v.numa_total() - 1);
                if let Answer::Num(n) = self.get_int(out, &p)?
                    && let Err(m) = self.v.expand_node(n as i64)
                {
                    self.msg = Some(m.into());
                }
            }
            Key::Char('l') => v.show_load = !v.show_load,
            Key::Char('E') => v.summ_scale = (v.summ_scale + 1) % 6,
            Key::Char('e') => v.task_scale = (v.task_scale + 1) % 5,
            Key::Char('0') => v.zero_suppress = !v.zero_suppress,
            // procps's TIME+ (and TIME, STARTED, ELAPSED) scale: seconds ... weeks, round.
            Key::Ctrl('e') => v.tics_scaled = (v.tics_scaled + 1) % (tics::LAST + 1),
            Key::Ctrl(c @ ('k' | 'n' | 'u' | 'g' | 'p')) => {
                if let Some(item) = gopsi::top::bottom::Item::of_key(c) {
                    self.bottom = gopsi::top::bottom::toggle(self.bottom, item, self.top_pid);
                }
            }
            Key::Ctrl('r') => self.renice_autogroup(out, sampler)?,
            Key::Char('C') => self.coords = !self.coords,
            Key::Char('z') => v.colors.show_colors ^= true,
            Key::Char('y') => v.colors.hi_rows ^= true,
            Key::Char('b') => v.colors.hi_bold ^= true,
            Key::Char('B') => v.colors.no_bold ^= true,
            // procps's `x` only when the sort field is one of the window's fields.
            Key::Char('x') if v.fields.contains(&v.sort) => v.colors.hi_cols ^= true,
            Key::Char('x') => {}
            Key::Char('Z') => self.color_map(out)?,
            Key::Char('g') => {
                let cur = self.rc.rc.curwin;
                if let Some(Key::Char(c)) = self.ask(out, "Choose field group (1 - 4)")?
                    && let Some(n) = windows::chosen(c, cur)
                {
                    self.select_window(n);
                    if self.v.user.as_ref().is_some_and(|u| u.any) {
                        sampler.sel.extra = gopsi::proc::Needs::STATUS;
                    }
                }
            }
            // Alternate-display commands (`A` mode is not drawn yet).
            Key::Char('a' | 'w' | 'G' | '-' | '_' | '+') => {
                self.msg = Some("Command disabled, 'A' mode required".into());
            }
            Key::Char('Y') => {
                if self.inspect(out, s)? {
                    return Ok(Next::Quit);
                }
            }
            Key::Char('I') => {
                if s.tc.ncpu > 1 {
                    v.irix = !v.irix;
                    self.msg = Some(format!("Irix mode {}", if v.irix { "On" } else { "Off" }));
                } else {
                    self.msg = Some("Only 1 cpu detected".into());
                }
            }
            Key::Char('t') => {
                cycle_graph(&mut v.show_states, &mut v.graph_cpus);
                // More than two abreast needs the graphs' short form.
                if v.double_up > 1 && v.graph_cpus == 0 {
                    v.double_up = 0;
                }
            }
            Key::Char('m') => cycle_graph(&mut v.show_memory, &mut v.graph_mems),
            Key::Char('H') => {
                v.threads = !v.threads;
                sampler.sel.threads = v.threads;
                sampler.reprime();
                self.msg = Some(format!(
                    "Show threads {}",
                    if v.threads { "On" } else { "Off" }
                ));
            }
            Key::Char(c @ ('u' | 'U')) => {
                if let Some(ans) = self.prompt(out, "Which user (blank for all) ")? {
                    self.set_user(&ans, c == 'U', sampler);
                }
            }
            Key::Char('n' | '#') => {
                let p = format!(
                    "Maximum tasks = {}, change to (0 is unlimited) ",
                    self.v.maxtasks
                );
                if let Some(ans) = self.prompt(out, &p)? {
                    match ans.trim().parse::<i64>() {
                        Ok(n) if n >= 0 => self.v.maxtasks = n as usize,
                        _ if ans.trim().is_empty() => {}
                        _ => self.msg = Some("Unacceptable integer".into()),
                    }
                }
            }
            Key::Char('d' | 's') => {
                if self.secure {
                    self.msg = Some("Unavailable in secure mode".into());
                } else {
                    let p = format!("Change delay from {:.1} to ", self.delay);
                    if let Some(ans) = self.prompt(out, &p)? {
                        match ans.trim().parse::<f32>() {
                            Ok(d) if d >= 0.0 && d.is_finite() => self.delay = d,
                            _ if ans.trim().is_empty() => {}
                            Ok(_) => self.msg = Some("Unacceptable floating point".into()),
                            Err(_) => self.msg = Some("Unacceptable floating point".into()),
                        }
                    }
                }
            }
            Key::Char('k') => {
                self.kill(out)?;
                // A signalled or reniced process may change without running: read it afresh.
                sampler.reaper.forget_unchanged();
            }
            Key::Char('r') => {
                self.renice(out)?;
                sampler.reaper.forget_unchanged();
            }
            Key::Up => v.begin = v.begin.saturating_sub(1),
            Key::Down => {
                if v.begin + 1 < s.tasks.len() {
                    v.begin += 1;
                }
            }
            // procps pages by its window's lines less two, only while idle tasks show.
            Key::PgUp if v.show_idle && v.begin > 0 => {
                v.begin = screen::page(v.begin, -screen::page_step(self.winlines), s.tasks.len());
            }
            Key::PgDn if v.show_idle && v.begin + 1 < s.tasks.len() => {
                v.begin = screen::page(v.begin, screen::page_step(self.winlines), s.tasks.len());
            }
            Key::PgUp | Key::PgDn => {}
            Key::Char('J') => v.jr_nums = !v.jr_nums,
            Key::Char('j') => v.jr_strs = !v.jr_strs,
            Key::Char('X') => {
                let p = format!(
                    "width incr is {}, change to (0 default, -1 auto) ",
                    self.v.fixed_widest
                );
                if let Some(ans) = self.prompt(out, &p)? {
                    match screen::width_incr(&ans) {
                        Ok(Some(n)) => self.v.fixed_widest = n,
                        Ok(None) => {}
                        Err(m) => self.msg = Some(m.into()),
                    }
                }
            }
            Key::Home => v.begin = 0,
            Key::End => {
                v.begin = s
                    .tasks
                    .len()
                    .saturating_sub(self.winlines.saturating_sub(1))
            }
            _ => {
                self.msg = Some("Unknown command - try 'h' for help".into());
            }
        }
        if let Some(m) = self.msg.take() {
            self.show_msg(out, &m)?;
        }
        Ok(Next::Refresh)
    }

    /// procps's `L` (prompt for a string, then scroll to the first row after the top one
    /// holding it) and `&` (the next one), searched in the formatted rows, case-sensitive.
    fn locate(
        &mut self,
        c: char,
        out: &mut impl Write,
        sampler: &Sampler,
        s: &mut Sample,
    ) -> io::Result<()> {
        if c == '&' && self.find.is_empty() {
            self.msg = Some("Locate next inactive, use \"L\"".into());
            return Ok(());
        }
        if c == 'L' {
            let Some(ans) = self.prompt(out, "Locate string ")? else {
                return Ok(());
            };
            self.find = ans;
            self.found = false;
        }
        if self.find.is_empty() {
            return Ok(());
        }
        // Off-screen rows lack memory and owner (window-only reads): read them to search.
        let all: std::collections::HashSet<i32> = s.tasks.iter().map(|t| t.p.tid).collect();
        gopsi::top::tasks::Reaper::fill(&sampler.fs, &mut s.tasks, &all);
        let (shown, varsz) = render::fit_fields(&self.v);
        let (found, at) = render::locate(
            &self.v,
            &s.tasks,
            &self.find,
            &shown,
            varsz,
            &s.tc,
            &sampler.cx,
        );
        self.found |= found;
        match at {
            Some(i) => self.v.begin = i,
            None => {
                let another = if self.found { "another " } else { "" };
                self.msg = Some(format!("{another}\"{}\" not found", self.find));
            }
        }
        Ok(())
    }

    /// procps's `user_certify`: the `-p` list and the window's user filter go first, whatever
    /// was typed; then a name or a number (any uid, as procps allows foreign ones).
    fn set_user(&mut self, ans: &str, any: bool, sampler: &mut Sampler) {
        sampler.sel.pids.clear();
        self.v.user = None;
        let ans = ans.trim();
        if ans.is_empty() {
            return;
        }
        let (negate, name) = match ans.strip_prefix('!') {
            Some(n) => (true, n),
            None => (false, ans),
        };
        let uid = name
            .parse::<u32>()
            .ok()
            .or_else(|| SystemUsers.uid_of(name.as_bytes()));
        match uid {
            Some(uid) => {
                self.v.user = Some(UserFilter {
                    uid,
                    matches: !negate,
                    any,
                });
                if any {
                    sampler.sel.extra = gopsi::proc::Needs::STATUS;
                }
            }
            None => self.msg = Some("Invalid user".into()),
        }
    }

    fn pick_pid(&self, out: &mut impl Write, what: &str) -> io::Result<Option<i32>> {
        let Some(def) = self.top_pid else {
            return Ok(None);
        };
        let Some(ans) = self.prompt(out, &format!("PID to {what} [default pid = {def}] "))? else {
            return Ok(None);
        };
        let ans = ans.trim();
        if ans.is_empty() {
            return Ok(Some(def));
        }
        Ok(ans.parse::<i32>().ok().filter(|&p| p > 0))
    }

    fn kill(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.secure {
            self.msg = Some("Unavailable in secure mode".into());
            return Ok(());
        }
        let Some(pid) = self.pick_pid(out, "signal/kill")? else {
            return Ok(());
        };
        let Some(ans) = self.prompt(out, &format!("Send pid {pid} signal [15/sigterm] "))? else {
            return Ok(());
        };
        let Some(sig) = parse_signal(ans.trim()) else {
            self.msg = Some("Invalid signal".into());
            return Ok(());
        };
        let r = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
        if let Err(e) = r {
            self.msg = Some(format!(
                "Failed signal pid '{pid}' with '{}': {}",
                sig as i32,
                e.desc()
            ));
        }
        Ok(())
    }

    /// procps's `get_int`: a line read on the message row, as a number (`strtol` base 0);
    /// an answer that is no integer is reported as procps reports it.
    fn get_int(&mut self, out: &mut impl Write, text: &str) -> io::Result<Answer> {
        let Some(line) = self.prompt(out, text)? else {
            return Ok(Answer::Esc);
        };
        if line.is_empty() {
            return Ok(Answer::Empty);
        }
        match gopsi::top::args::c_int(&line) {
            Some(n) => Ok(Answer::Num(n)),
            None => {
                self.msg = Some("Unacceptable integer".into());
                Ok(Answer::Bad)
            }
        }
    }

    /// `^R`: procps's renice of a task's autogroup (writes `/proc/PID/autogroup`).
    fn renice_autogroup(&mut self, out: &mut impl Write, sampler: &Sampler) -> io::Result<()> {
        if self.secure {
            self.msg = Some("Unavailable in secure mode".into());
            return Ok(());
        }
        let def = self.top_pid.unwrap_or(0);
        let pid = match self.get_int(out, &format!("PID to renice [default pid = {def}] "))? {
            Answer::Num(n) => n,
            Answer::Empty => def,
            Answer::Esc | Answer::Bad => return Ok(()),
        };
        // The message of a bad PID answer would be overwritten by the next prompt.
        let Answer::Num(nice) = self.get_int(out, &format!("set pid {pid} AGNI value to "))? else {
            return Ok(());
        };
        if let Err(m) = gopsi::top::bottom::set_autogroup(sampler.fs.root(), pid, nice) {
            self.msg = Some(m);
        }
        Ok(())
    }

    fn renice(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.secure {
            self.msg = Some("Unavailable in secure mode".into());
            return Ok(());
        }
        let Some(pid) = self.pick_pid(out, "renice")? else {
            return Ok(());
        };
        let Some(ans) = self.prompt(out, &format!("Renice PID {pid} to value "))? else {
            return Ok(());
        };
        let Ok(nice) = ans.trim().parse::<i32>() else {
            if !ans.trim().is_empty() {
                self.msg = Some("Unacceptable integer".into());
            }
            return Ok(());
        };
        if let Err(e) = crate::term::renice(pid, nice) {
            self.msg = Some(format!("Failed renice of PID {pid} to {nice}: {e}"));
        }
        Ok(())
    }
}

/// A line answered to a number prompt (procps's `GET_NUM_*`).
enum Answer {
    Num(i32),
    Empty,
    Esc,
    Bad,
}

/// A signal by number or name (`15`, `TERM`, `sigterm`); empty means SIGTERM.
pub fn parse_signal(s: &str) -> Option<nix::sys::signal::Signal> {
    use nix::sys::signal::Signal;
    use std::str::FromStr;
    if s.is_empty() {
        return Some(Signal::SIGTERM);
    }
    if let Ok(n) = s.parse::<i32>() {
        return Signal::try_from(n).ok();
    }
    let up = s.to_ascii_uppercase();
    let name = if up.starts_with("SIG") {
        up
    } else {
        format!("SIG{up}")
    };
    Signal::from_str(&name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::signal::Signal;

    #[test]
    fn signals() {
        assert_eq!(parse_signal(""), Some(Signal::SIGTERM));
        assert_eq!(parse_signal("9"), Some(Signal::SIGKILL));
        assert_eq!(parse_signal("hup"), Some(Signal::SIGHUP));
        assert_eq!(parse_signal("SIGINT"), Some(Signal::SIGINT));
        assert_eq!(parse_signal("bogus"), None);
    }
}
