//! What the interactive screen shows, as text and attributes: procps top's two help pages
//! verbatim, messages padded for reverse video (their attributes are
//! [`gopsi::top::colors`]'s), `L`'s matches laid over a row, PgUp/PgDn's step and `X`'s
//! answer. Pure: state in, lines out; never writes to the terminal.

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

/// A message as procps shows it on the message row: one blank either side, cut to the width.
pub fn message(msg: &str, cols: usize) -> String {
    let body: String = msg.chars().take(cols.saturating_sub(2)).collect();
    format!(" {body} ")
}

/// A task row split around every occurrence of `L`'s string: (text, is a match). procps
/// paints each match in the header's attribute (reverse video here) and the rest as the row.
pub fn find_spans<'a>(row: &'a str, find: &str) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut rest = row;
    if !find.is_empty() {
        while let Some(at) = rest.find(find) {
            if at > 0 {
                out.push((&rest[..at], false));
            }
            out.push((&rest[at..at + find.len()], true));
            rest = &rest[at + find.len()..];
        }
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

/// A row's styled spans with `L`'s string laid over them: each match in the header's
/// colour with reverse video added to the attribute under it (procps writes its header
/// capability, a colour and `rev`, without a reset), the rest as it was.
pub fn overlay_found(
    spans: &[(&str, gopsi::top::colors::Style)],
    find: &str,
    hdr: gopsi::top::colors::Style,
) -> Vec<(String, gopsi::top::colors::Style)> {
    let full: String = spans.iter().map(|(t, _)| *t).collect();
    // Where the matches start and end, as byte ranges of the whole row.
    let mut hits = Vec::new();
    let mut at = 0;
    for (t, found) in find_spans(&full, find) {
        if found {
            hits.push((at, at + t.len()));
        }
        at += t.len();
    }
    let mut out: Vec<(String, gopsi::top::colors::Style)> = Vec::new();
    let mut base = 0;
    for (t, st) in spans {
        let (from, to) = (base, base + t.len());
        let mut cuts = vec![from, to];
        for &(a, b) in &hits {
            cuts.extend([a, b].into_iter().filter(|&x| x > from && x < to));
        }
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let inside = hits.iter().any(|&(a, b)| a <= w[0] && w[1] <= b);
            let style = if inside {
                gopsi::top::colors::Style {
                    fg: hdr.fg.or(st.fg),
                    bold: st.bold,
                    reverse: true,
                }
            } else {
                *st
            };
            out.push((full[w[0]..w[1]].to_string(), style));
        }
        base = to;
    }
    out.retain(|(t, _)| !t.is_empty());
    out
}

/// How far PgUp/PgDn move: procps's `winlines` less two (negative for a window of one
/// line, as procps's own arithmetic gives).
pub fn page_step(winlines: usize) -> isize {
    winlines as isize - 2
}

/// The first task row after moving `by` rows from `begin` among `total` tasks: never before
/// the first, never past the last (procps's `window_hlp`).
pub fn page(begin: usize, by: isize, total: usize) -> usize {
    let to = begin as isize + by;
    if to <= 0 {
        0
    } else {
        (to as usize).min(total.saturating_sub(1))
    }
}

/// `X`'s answer: `Ok(None)` for an empty line (no change), the increment procps keeps (0 to
/// 512, anything else -1, auto), or its "Unacceptable integer".
pub fn width_incr(ans: &str) -> Result<Option<i32>, &'static str> {
    let a = ans.trim();
    if a.is_empty() {
        return Ok(None);
    }
    match a.parse::<i64>() {
        Ok(n) if (0..=512).contains(&n) => Ok(Some(n as i32)),
        Ok(_) => Ok(Some(-1)),
        Err(_) => Err("Unacceptable integer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_spans() {
        assert_eq!(
            find_spans("12 sleep sleep", "sleep"),
            vec![
                ("12 ", false),
                ("sleep", true),
                (" ", false),
                ("sleep", true)
            ]
        );
        assert_eq!(find_spans("abc", ""), vec![("abc", false)]);
        assert_eq!(find_spans("abc", "x"), vec![("abc", false)]);
    }

    #[test]
    fn found_over_styles() {
        use gopsi::top::colors::Style;
        let plain = Style::default();
        let bold = Style {
            bold: true,
            ..plain
        };
        let rev = Style {
            reverse: true,
            ..plain
        };
        let got = overlay_found(&[("1 sl", plain), ("eep x", bold)], "sleep", rev);
        let want = vec![
            ("1 ".to_string(), plain),
            ("sl".to_string(), rev),
            (
                "eep".to_string(),
                Style {
                    bold: true,
                    reverse: true,
                    fg: None,
                },
            ),
            (" x".to_string(), bold),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn paging_as_procps() {
        assert_eq!(page_step(27), 25);
        assert_eq!(page(0, 25, 100), 25);
        assert_eq!(page(90, 25, 100), 99);
        assert_eq!(page(10, -25, 100), 0);
        assert_eq!(page(3, page_step(1), 100), 2);
    }

    #[test]
    fn width_increments() {
        assert_eq!(width_incr(""), Ok(None));
        assert_eq!(width_incr("3"), Ok(Some(3)));
        assert_eq!(width_incr("-1"), Ok(Some(-1)));
        assert_eq!(width_incr("600"), Ok(Some(-1)));
        assert_eq!(width_incr("x"), Err("Unacceptable integer"));
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
