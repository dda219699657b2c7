//! The clap definition of `gopsi ps`, for help, the man page and shell completions only: ps's
//! own syntax (`ps aux`, `ps -ef`, `ps k-rss`) is parsed by hand in the library's `ps::args`. Specifier
//! lists come from the column table. Never parses a real command line.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command};

use gopsi::columns;

/// Every specifier name and alias, table order.
pub fn specifier_names() -> Vec<&'static str> {
    columns::all()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .collect()
}

fn flag(id: &'static str, short: char, help: &'static str, heading: &'static str) -> Arg {
    Arg::new(id)
        .short(short)
        .help(help)
        .action(ArgAction::SetTrue)
        .help_heading(heading)
}

fn list(
    id: &'static str,
    short: Option<char>,
    long: Option<&'static str>,
    value: &'static str,
    help: &'static str,
) -> Arg {
    let mut a = Arg::new(id)
        .value_name(value)
        .help(help)
        .help_heading("Selection by list")
        .action(ArgAction::Append);
    if let Some(s) = short {
        a = a.short(s);
    }
    if let Some(l) = long {
        a = a.long(l);
    }
    a
}

/// The specifier table as help text: `name  HEADER  description`.
pub fn specifier_help() -> String {
    let mut s = String::new();
    for c in columns::all() {
        let names = std::iter::once(c.name)
            .chain(c.aliases.iter().copied())
            .collect::<Vec<_>>()
            .join(", ");
        s.push_str(&format!("  {names:<24} {:<8} {}\n", c.header, c.help));
    }
    s
}

/// The specifier table for the man page: (`name, aliases (HEADER)`, description).
pub fn specifier_items() -> Vec<(String, String)> {
    columns::all()
        .map(|c| {
            let names = std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .collect::<Vec<_>>()
                .join(", ");
            (format!("{names} ({})", c.header), c.help.to_string())
        })
        .collect()
}

/// `gopsi ps`.
pub fn command() -> Command {
    let specs = specifier_names();
    Command::new("ps")
        .about("Report a snapshot of the current processes, exactly as procps-ng 4.0.2 ps does")
        .long_about(
            "Report a snapshot of the current processes, byte for byte what procps-ng 4.0.2 ps prints.\n\n\
             Three syntaxes are accepted, as in procps: UNIX options with a dash (-ef, -eo pid,comm), \
             BSD options without a dash (aux, axjf, k-rss) and GNU long options (--sort=-%mem, \
             --forest). Bare numbers are process ids. A UNIX reading that fails is retried as BSD, \
             so `ps -aux` equals `ps aux`.",
        )
        .override_usage("gopsi ps [UNIX options] [BSD options] [GNU long options] [PID...]")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(flag("all", 'e', "All processes (also -A; BSD: ax)", "Basic options"))
        .arg(flag("all_tty", 'a', "All with a tty, except session leaders (BSD a: all with a tty)", "Basic options"))
        .arg(flag("not_leaders", 'd', "All except session leaders", "Basic options"))
        .arg(flag("deselect", 'N', "Negate the selection (also --deselect)", "Basic options"))
        .arg(list("command", Some('C'), None, "CMD", "Command name"))
        .arg(list("rgroup", Some('G'), Some("Group"), "GID", "Real group id or name"))
        .arg(list("group", Some('g'), Some("group"), "GROUP", "Session, or effective group name"))
        .arg(list("pid", Some('p'), Some("pid"), "PID", "Process id (BSD: p)"))
        .arg(list("ppid", None, Some("ppid"), "PID", "Parent process id"))
        .arg(list("quick", Some('q'), Some("quick-pid"), "PID", "Process id, quick mode: in command-line order"))
        .arg(list("sid", Some('s'), Some("sid"), "SID", "Session id"))
        .arg(list("tty", Some('t'), Some("tty"), "TTY", "Terminal (BSD: t)"))
        .arg(list("user", Some('u'), Some("user"), "UID", "Effective user id or name (BSD: U)"))
        .arg(list("ruser", Some('U'), Some("User"), "UID", "Real user id or name"))
        .arg(flag("full", 'f', "Full format, with command lines", "Output formats"))
        .arg(flag("extra_full", 'F', "Extra full format", "Output formats"))
        .arg(flag("hierarchy", 'H', "Process hierarchy (BSD f, --forest: ASCII art tree)", "Output formats"))
        .arg(flag("jobs", 'j', "Jobs format (BSD j: job control format)", "Output formats"))
        .arg(flag("long", 'l', "Long format (BSD l: BSD long format)", "Output formats"))
        .arg(flag("no_flags", 'y', "With -l: no flags, RSS instead of ADDR", "Output formats"))
        .arg(
            Arg::new("format")
                .short('o')
                .long("format")
                .value_name("FORMAT")
                .help("User-defined format: spec[:WIDTH][=HEADER],... (BSD: o; -O/O: added to a default)")
                .help_heading("Output formats")
                .value_delimiter(',')
                .value_parser(PossibleValuesParser::new(specs.clone()))
                .hide_possible_values(true)
                .action(ArgAction::Append),
        )
        .arg(
            Arg::new("sort")
                .long("sort")
                .value_name("KEYS")
                .help("Sort order: [+|-]spec[,...] (BSD: k)")
                .help_heading("Output formats")
                .value_delimiter(',')
                .value_parser(PossibleValuesParser::new(specs))
                .hide_possible_values(true),
        )
        .arg(Arg::new("forest").long("forest").help("ASCII art process tree (BSD: f)").action(ArgAction::SetTrue).help_heading("Output formats"))
        .arg(Arg::new("headers").long("headers").help("Repeat the header once per screen").action(ArgAction::SetTrue).help_heading("Output formats"))
        .arg(Arg::new("no_headers").long("no-headers").help("No header line (BSD: h)").action(ArgAction::SetTrue).help_heading("Output formats"))
        .arg(Arg::new("cols").long("cols").visible_aliases(["columns", "width"]).value_name("N").help("Output width").help_heading("Output formats"))
        .arg(Arg::new("rows").long("rows").visible_alias("lines").value_name("N").help("Screen height (for --headers)").help_heading("Output formats"))
        .arg(flag("wide", 'w', "Wide output; twice for unlimited (BSD: w)", "Output formats"))
        .arg(flag("threads_l", 'L', "Threads, with LWP and NLWP columns (BSD H: threads as processes)", "Threads"))
        .arg(flag("threads_t", 'T', "Threads, with an SPID column", "Threads"))
        .arg(flag("threads_m", 'm', "Threads after their process (BSD: m)", "Threads"))
        .arg(
            Arg::new("json")
                .long("json")
                .help("Print the selected columns as JSON: raw typed values, units in the keys (rss_kib)")
                .action(ArgAction::SetTrue)
                .help_heading("Output formats"),
        )
        .arg(Arg::new("cumulative").long("cumulative").help("Add dead children's CPU time (BSD: S)").action(ArgAction::SetTrue).help_heading("Miscellaneous"))
        .arg(flag("version", 'V', "Print the version (also V, --version)", "Miscellaneous"))
        .arg(Arg::new("help").long("help").value_name("SECTION").num_args(0..=1).help("Print this help").action(ArgAction::Set).help_heading("Miscellaneous"))
        .arg(
            Arg::new("bsd")
                .value_name("BSD/PID")
                .help("BSD option letters (a u x j l s v f c e n h w k r T S L V) and process ids")
                .num_args(0..)
                .action(ArgAction::Append),
        )
        .after_long_help(format!(
            "BSD options: a (all with a tty), x (also without a tty), u (user format), j, l, s, v \
             (formats), f (forest), c (command name), e (environment), n (numeric), h (no header), \
             w (wide), k KEYS (sort), r (running), T (this terminal), S (cumulative), L (list \
             specifiers), V (version), H (threads), m (threads after processes).\n\n\
             Format specifiers (for -o, --sort, k):\n{}",
            specifier_help()
        ))
}
