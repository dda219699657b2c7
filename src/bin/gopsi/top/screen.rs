//! What the interactive screen shows, as text and attributes: procps top's two help pages
//! verbatim and messages padded for reverse video (their attributes are
//! [`gopsi::top::colors`]'s). Pure: state in, lines out; never writes to the terminal.

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

#[cfg(test)]
mod tests {
    use super::*;

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
