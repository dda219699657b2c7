//! What the interactive screen shows, as text and attributes: procps top's two help pages
//! verbatim, summary lines split into plain and bold spans (procps's default bold numbers), and
//! messages padded for reverse video. Pure: state in, lines out; never writes to the terminal.

/// procps's first help page (interactive commands), for window `1:Def`.
pub fn help_page1(cumulative: bool, delay: f32, secure: bool) -> Vec<String> {
    let on = |b: bool| if b { "On" } else { "Off" };
    let mut v = vec![
        "Help for Interactive Commands - procps-ng 4.0.2".to_string(),
        format!(
            "Window 1:Def: Cumulative mode {}.  System: Delay {:.1} secs; Secure mode {}.",
            on(cumulative),
            delay,
            on(secure)
        ),
    ];
    v.extend(HELP1_BODY.lines().map(str::to_string).collect::<Vec<_>>());
    v
}

const HELP1_BODY: &str = "
  Z,B,E,e   Global: 'Z' colors; 'B' bold; 'E'/'e' summary/task memory scale
  l,t,m,I   Toggle: 'l' load avg; 't' task/cpu; 'm' memory; 'I' Irix mode
  0,1,2,3,4 Toggle: '0' zeros; '1/2/3' cpu/numa views; '4' cpus two abreast
  f,X       Fields: 'f' add/remove/order/sort; 'X' increase fixed-width fields

  L,&,<,> . Locate: 'L'/'&' find/again; Move sort column: '<'/'>' left/right
  R,H,J,C . Toggle: 'R' Sort; 'H' Threads; 'J' Num justify; 'C' Coordinates
  c,i,S,j . Toggle: 'c' Cmd name/line; 'i' Idle; 'S' Time; 'j' Str justify
  x,y     . Toggle highlights: 'x' sort field; 'y' running tasks
  z,b     . Toggle: 'z' color/mono; 'b' bold/reverse (only if 'x' or 'y')
  u,U,o,O . Filter by: 'u'/'U' effective/any user; 'o'/'O' other criteria
  n,#,^O  . Set: 'n'/'#' max tasks displayed; Show: Ctrl+'O' other filter(s)
  V,v,F   . Toggle: 'V' forest view; 'v' hide/show children; 'F' keep focused

  d,k,r,^R 'd' set delay; 'k' kill; 'r' renice; Ctrl+'R' renice autogroup
  ^G,K,N,U  View: ctl groups ^G; cmdline ^K; environment ^N; supp groups ^U
  W,Y,!,^E  Write cfg 'W'; Inspect 'Y'; Combine Cpus '!'; Scale time ^E'
  q         Quit
          ( commands shown with '.' require a visible task display window )
Press 'h' or '?' for help with Windows,
Type 'q' or <Esc> to continue";

/// procps's second help page (windows and field groups), for window `1:Def`.
pub fn help_page2() -> Vec<String> {
    HELP2.lines().map(str::to_string).collect()
}

const HELP2: &str = "Help for Windows / Field Groups - \"Current Window\" =  1:Def

. Use multiple windows, each with separate config opts (color,fields,sort,etc)
. The 'current' window controls the Summary Area and responds to your Commands
  . that window's task display can be turned Off & On, growing/shrinking others
  . with NO task display, some commands will be disabled ('i','R','n','c', etc)
    until a different window has been activated, making it the 'current' window
. You change the 'current' window by:  1) cycling forward/backward; 2) choosing
  a specific field group; or 3) exiting the color mapping or fields screens
. Commands available anytime   -------------
    A       . Alternate display mode toggle, show Single / Multiple windows
    g       . Choose another field group and make it 'current', or change now
              by selecting a number from:  1 =Def; 2 =Job; 3 =Mem; or 4 =Usr
. Commands requiring 'A' mode  -------------
    G       . Change the Name of the 'current' window/field group
 *  a , w   . Cycle through all four windows:  'a' Forward; 'w' Backward
 *  - , _   . Show/Hide:  '-' Current window; '_' all Visible/Invisible
  The screen will be divided evenly between task displays.  But you can make
  some larger or smaller, using 'n' and 'i' commands.  Then later you could:
 *  = , +   . Rebalance tasks:  '=' Current window; '+' Every window
              (this also forces the current or every window to become visible)

In 'A' mode, '*' keys are your essential commands.  Please try the 'a' and 'w'
commands plus the 'g' sub-commands NOW.  Press <Enter> to make 'Current'";

/// A summary line with procps's `~N` markup (a `t`/`m` graph) as text segments and their
/// attribute in procps's monochrome palette: bold for `~2`/`~7`, reverse for `~4`/`~6`.
pub fn markup_attrs(line: &str, cols: usize) -> Vec<(String, Option<crossterm::style::Attribute>)> {
    use crossterm::style::Attribute;
    gopsi::top::summary::markup_spans(line, cols)
        .into_iter()
        .map(|(t, code)| {
            let a = match code {
                2 | 7 => Some(Attribute::Bold),
                4 | 6 => Some(Attribute::Reverse),
                _ => None,
            };
            (t, a)
        })
        .collect()
}

/// A summary line (after the first) as (text, bold) spans: procps paints each number, with
/// its leading blanks and one trailing blank, bold, and its label plain.
pub fn summary_spans(line: &str) -> Vec<(&str, bool)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut plain = 0;
    let mut i = 0;
    while i < b.len() {
        if matches!(b[i], b':' | b',' | b'.') {
            // A number follows: blanks, digits and dots, then a blank.
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
                out.push((&line[plain..=i], false));
                out.push((&line[i + 1..end], true));
                plain = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if plain < line.len() {
        out.push((&line[plain..], false));
    }
    out.retain(|(s, _)| !s.is_empty());
    out
}

/// A summary line (after the first) as (text, attribute) spans: [`summary_spans`]'s bold
/// numbers, and the blanks between items abreast ([`render::ADJOIN_MARK`]) in reverse video.
pub fn adjoined_spans(line: &str) -> Vec<(String, Option<crossterm::style::Attribute>)> {
    use crossterm::style::Attribute;
    use gopsi::top::render;
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let cut = rest.find(render::ADJOIN_MARK).unwrap_or(rest.len());
        for (t, bold) in summary_spans(&rest[..cut]) {
            out.push((t.to_string(), bold.then_some(Attribute::Bold)));
        }
        rest = &rest[cut..];
        let marks = rest.len() - rest.trim_start_matches(render::ADJOIN_MARK).len();
        if marks > 0 {
            out.push((" ".repeat(marks), Some(Attribute::Reverse)));
            rest = &rest[marks..];
        }
    }
    out
}

/// A message as procps shows it on the message row: one blank either side, cut to the width.
pub fn message(msg: &str, cols: usize) -> String {
    let body: String = msg.chars().take(cols.saturating_sub(2)).collect();
    format!(" {body} ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_numbers_as_procps() {
        let l = "Tasks:  77 total,   1 running,  76 sleeping";
        let s = summary_spans(l);
        assert_eq!(
            s,
            vec![
                ("Tasks:", false),
                ("  77 ", true),
                ("total,", false),
                ("   1 ", true),
                ("running,", false),
                ("  76 ", true),
                ("sleeping", false)
            ]
        );
        let l = "MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23712.9 avail Mem";
        let s = summary_spans(l);
        assert_eq!(s[0], ("MiB Swap:", false));
        assert_eq!(s[1], ("      0.0 ", true));
        assert_eq!(s[6], ("used.", false));
        assert_eq!(s[7], ("  23712.9 ", true));
        assert_eq!(s[8], ("avail Mem", false));
        let joined: String = s.iter().map(|x| x.0).collect();
        assert_eq!(joined, l);
        // Cut at the screen's edge inside a number: still bold.
        let s = summary_spans("%Cpu1  :  0.0 us,  0");
        assert_eq!(s.last(), Some(&("  0", true)));
    }

    #[test]
    fn adjoined_lines() {
        use crossterm::style::Attribute;
        let l = "Cpu0  :  0.0 us\u{1} %Cpu1  :  0.0 us";
        let s = adjoined_spans(l);
        assert_eq!(s[1], ("  0.0 ".to_string(), Some(Attribute::Bold)));
        assert!(s.contains(&(" ".to_string(), Some(Attribute::Reverse))));
        let joined: String = s.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(joined, l.replace('\u{1}', " "));
    }

    #[test]
    fn help_pages() {
        let p = help_page1(false, 3.0, false);
        assert_eq!(
            p[1],
            "Window 1:Def: Cumulative mode Off.  System: Delay 3.0 secs; Secure mode Off."
        );
        assert_eq!(p.last().unwrap(), "Type 'q' or <Esc> to continue");
        assert_eq!(p.len(), 24);
        assert_eq!(help_page2().len(), 24);
    }

    #[test]
    fn messages_padded() {
        assert_eq!(
            message("Unknown command - try 'h' for help", 80),
            " Unknown command - try 'h' for help "
        );
        assert_eq!(message("abcdef", 5), " abc ");
    }
}
