//! top's `Y` on the terminal: asks for a PID, then shows the selection and view screens of
//! [`gopsi::top::inspect`], reading `file` entries and running `pipe` entries (`/bin/sh -c`,
//! stdin and stderr on /dev/null, output bounded, Ctrl-C ends them). Never builds screen text
//! itself: every line comes from the library, drawn here.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{Clear, ClearType};
use crossterm::{cursor, queue};

use gopsi::top::Sample;
use gopsi::top::inspect::{self as insp, Entry, Kind, Move, Output, Paint, Scroll, Span};

use super::{Key, Ui, read_key, suspend};

/// No inspect output is held beyond this (procps reads without a bound).
const MAX_OUTPUT: u64 = 64 << 20;

/// The screen rows above the output: three header lines and the status line.
const MSG_ROW: u16 = 3;

/// What ended a screen.
enum Left {
    /// `q` or Esc: back to the task screen.
    End,
    /// Enter in the view: back to the selection screen.
    Select,
    /// Ctrl-C: top ends (procps's SIGINT from the terminal).
    Quit,
}

fn draw_spans(out: &mut impl Write, spans: &[Span]) -> io::Result<()> {
    for (t, p) in spans {
        let attr = match p {
            Paint::Plain => None,
            Paint::Bold => Some(Attribute::Bold),
            Paint::Reverse => Some(Attribute::Reverse),
        };
        match attr {
            None => queue!(out, Print(t))?,
            Some(a) => queue!(
                out,
                SetAttribute(a),
                Print(t),
                SetAttribute(Attribute::Reset)
            )?,
        }
    }
    Ok(())
}

fn draw_header(out: &mut impl Write, lines: &[Vec<Span>]) -> io::Result<()> {
    for (y, l) in lines.iter().enumerate() {
        queue!(out, cursor::MoveTo(0, y as u16))?;
        draw_spans(out, l)?;
        queue!(out, Clear(ClearType::UntilNewLine))?;
    }
    Ok(())
}

/// procps's `INSP_MKSL`: the status line in reverse video on row 3.
fn status(out: &mut impl Write, text: &str, big: bool, cols: usize) -> io::Result<()> {
    queue!(
        out,
        cursor::MoveTo(0, MSG_ROW),
        SetAttribute(Attribute::Reverse),
        Print(insp::status_line(text, big, cols)),
        SetAttribute(Attribute::Reset),
        Clear(ClearType::UntilNewLine)
    )?;
    out.flush()
}

impl Ui {
    /// `Y`: procps's `inspection_utility` after its PID prompt; `true` when top should end.
    pub(super) fn inspect(&mut self, out: &mut impl Write, s: &Sample) -> io::Result<bool> {
        if self.inspect.is_empty() {
            // procps asks for a line and drops it.
            self.prompt(out, &format!("{} ", insp::NO_ENTRIES))?;
            return Ok(false);
        }
        let Some(def) = self.top_pid else {
            return Ok(false);
        };
        let Some(ans) = self.prompt(out, &format!("inspect at PID [default pid = {def}] "))? else {
            return Ok(false);
        };
        let pid = if ans.is_empty() {
            def
        } else {
            match gopsi::top::args::mkfloat(&ans, true) {
                Some(f) => f as i32,
                None => {
                    self.msg = Some("Unacceptable integer".into());
                    return Ok(false);
                }
            }
        };
        if pid == 0 {
            return Ok(false);
        }
        let Some(task) = s.tasks.iter().find(|t| t.p.tid == pid) else {
            self.msg = Some(format!("unable to inspect, pid {pid} not found"));
            return Ok(false);
        };
        let cmd = gopsi::text::safe(&task.p.stat.comm);
        self.in_inspect = true;
        let r = self.selection(out, pid, &cmd);
        self.in_inspect = false;
        r
    }

    /// The selection screen: Left/Right (End/Home) choose an entry, Enter runs and views it.
    fn selection(&mut self, out: &mut impl Write, pid: i32, cmd: &str) -> io::Result<bool> {
        loop {
            let cols = self.v.cols;
            let n = self.inspect.len();
            queue!(out, Clear(ClearType::All))?;
            draw_header(
                out,
                &insp::selection_header(pid, cmd, &self.inspect, self.insp_sel, cols),
            )?;
            status(out, " ", false, cols)?;
            let Some(k) = read_key()? else {
                return Ok(true);
            };
            match k {
                Key::Char('q') | Key::Esc => return Ok(false),
                Key::Ctrl('c') => return Ok(true),
                Key::Left => self.insp_sel = (self.insp_sel + n - 1) % n,
                Key::End => self.insp_sel = n - 1,
                Key::Right => self.insp_sel = (self.insp_sel + 1) % n,
                Key::Home => self.insp_sel = 0,
                Key::Ctrl('z') => suspend()?,
                Key::Enter => {
                    let e = self.inspect[self.insp_sel].clone();
                    status(out, insp::busy_text(e.kind), false, cols)?;
                    let output = run_entry(&e, pid)?;
                    match self.view(out, pid, cmd, &output)? {
                        Left::End => return Ok(false),
                        Left::Quit => return Ok(true),
                        Left::Select => {}
                    }
                }
                _ => {}
            }
            self.geometry();
        }
    }

    /// The view screen: scrolls and locates in an entry's output.
    fn view(
        &mut self,
        out: &mut impl Write,
        pid: i32,
        cmd: &str,
        output: &Output,
    ) -> io::Result<Left> {
        let mut pos = Scroll::default();
        let sel = self.insp_sel;
        queue!(out, Clear(ClearType::All))?;
        loop {
            self.geometry();
            let (cols, rows) = (self.v.cols, self.v.rows.unwrap_or(24));
            let page = rows.saturating_sub(MSG_ROW as usize + 1);
            let lines = output.lines() as i64;
            pos.clamp(lines);
            let (line, col) = (pos.line as usize, pos.col as usize);
            let e = &self.inspect[sel];
            draw_header(out, &insp::view_header(pid, cmd, &e.find, cols))?;
            let text = insp::status_text(&e.name, output, line, col, cols);
            status(out, &text, false, cols)?;
            let mut y = MSG_ROW + 1;
            for row in line..(line + page).min(output.lines()) {
                queue!(out, cursor::MoveTo(0, y))?;
                draw_spans(out, &insp::view_row(output, row, col, &e.find, cols))?;
                queue!(out, Clear(ClearType::UntilNewLine))?;
                y += 1;
            }
            if (y as usize) < rows {
                queue!(out, cursor::MoveTo(0, y), Clear(ClearType::FromCursorDown))?;
            }
            out.flush()?;
            // procps drops what was typed meanwhile, so Enter held down does not reselect.
            crate::term::discard_input();
            let Some(k) = read_key()? else {
                return Ok(Left::Quit);
            };
            let page = page as i64;
            let mv = |m| Some(m);
            let m = match k {
                Key::Enter => {
                    queue!(out, Clear(ClearType::All))?;
                    return Ok(Left::Select);
                }
                Key::Esc | Key::Char('q') => {
                    queue!(out, Clear(ClearType::All))?;
                    return Ok(Left::End);
                }
                Key::Left => mv(Move::Left),
                Key::Right => mv(Move::Right),
                Key::Up => mv(Move::Up),
                Key::Down => mv(Move::Down),
                Key::PgUp | Key::Char('b') => mv(Move::PageUp),
                Key::PgDn | Key::Char(' ') => mv(Move::PageDown),
                Key::Home | Key::Char('g') => mv(Move::Home),
                Key::End | Key::Char('G') => mv(Move::End),
                Key::Char(c @ ('L' | '&' | '/' | 'n')) => {
                    self.view_locate(out, c, output, &mut pos)?;
                    None
                }
                Key::Char('=') => {
                    let e = &self.inspect[sel];
                    status(out, &format!("{}: {}", e.type_name, e.fmts), true, cols)?;
                    match read_key()? {
                        None | Some(Key::Ctrl('c')) => return Ok(Left::Quit),
                        Some(_) => {}
                    }
                    None
                }
                Key::Ctrl('z') => {
                    suspend()?;
                    None
                }
                Key::Ctrl('c') => return Ok(Left::Quit),
                _ => None,
            };
            if let Some(m) = m {
                pos.apply(m, page, lines);
            }
        }
    }

    /// procps's `insp_find_str`: `L`/`/` ask for a string, `&`/`n` look for it again.
    fn view_locate(
        &mut self,
        out: &mut impl Write,
        c: char,
        output: &Output,
        pos: &mut Scroll,
    ) -> io::Result<()> {
        let sel = self.insp_sel;
        if matches!(c, '&' | 'n') && self.inspect[sel].find.is_empty() {
            return self.show_msg(out, "Locate next inactive, use \"L\"");
        }
        if matches!(c, 'L' | '/') {
            let Some(ans) = self.prompt(out, "Locate string ")? else {
                return Ok(());
            };
            self.inspect[sel].find = ans;
            self.insp_found = false;
        }
        let find = self.inspect[sel].find.clone();
        if find.is_empty() {
            return Ok(());
        }
        status(out, "patience please, working ...", false, self.v.cols)?;
        let line = pos.line.max(0) as usize;
        match insp::locate(output, &find, pos.col.max(0) as usize, line) {
            Some((col, row)) => {
                self.insp_found = true;
                *pos = Scroll {
                    line: row as i64,
                    col: col as i64,
                };
                Ok(())
            }
            None => {
                let another = if self.insp_found { "another " } else { "" };
                self.show_msg(out, &format!("{another}\"{find}\" not found"))
            }
        }
    }
}

/// Runs or reads one entry for `pid`: its output, or procps's `Selection failed with: …`.
fn run_entry(e: &Entry, pid: i32) -> io::Result<Output> {
    let target = insp::target(&e.fmts, pid);
    Ok(match e.kind {
        Kind::Demo => Output::new(insp::DEMO_TEXT.as_bytes().to_vec()),
        Kind::File => match std::fs::File::open(&target) {
            Ok(f) => {
                let mut buf = Vec::new();
                match f.take(MAX_OUTPUT).read_to_end(&mut buf) {
                    Ok(_) => Output::new(buf),
                    Err(err) => failed(&err),
                }
            }
            Err(err) => failed(&err),
        },
        Kind::Pipe => run_pipe(&target)?,
    })
}

/// C's `strerror` text for an I/O error.
fn failed(e: &io::Error) -> Output {
    let errno = nix::errno::Errno::from_raw(e.raw_os_error().unwrap_or(0));
    Output::failed(errno.desc())
}

/// A `pipe` entry: `/bin/sh -c CMD` in its own process group, its output read on a thread
/// while the terminal is watched for Ctrl-C, which interrupts the group (then kills it if it
/// has not ended within a second), as procps's Ctrl-C reaches its pipe.
fn run_pipe(cmd: &str) -> io::Result<Output> {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let child = Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(err) => return Ok(failed(&err)),
    };
    let Some(stdout) = child.stdout.take() else {
        return Ok(Output::new(Vec::new()));
    };
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.take(MAX_OUTPUT).read_to_end(&mut buf);
        buf
    });
    let group = nix::unistd::Pid::from_raw(-(child.id() as i32));
    let mut interrupted: Option<Instant> = None;
    while !reader.is_finished() {
        if let Some(at) = interrupted {
            if at.elapsed() > Duration::from_secs(1) {
                let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        if let crate::term::Input::Key(Key::Ctrl('c')) =
            crate::term::next_input(Duration::from_millis(50))?
        {
            let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGINT);
            interrupted = Some(Instant::now());
        }
    }
    let buf = reader.join().unwrap_or_default();
    if child.try_wait().ok().flatten().is_none() {
        // Output ended (or reached the bound) while the command runs on: end it.
        let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL);
    }
    let _ = child.wait();
    Ok(Output::new(buf))
}
