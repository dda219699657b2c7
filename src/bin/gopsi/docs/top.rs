//! The clap definition of `gopsi top`, for the man page and completions only, and `--help`:
//! procps's text plus one line for gopsi's additions. top's options are parsed by hand with
//! getopt's rules in the library's `top::args`; this module never runs top.

use gopsi::top::args::{self, Action};

/// The line `gopsi top --help` adds after procps's help text (`-h` prints procps's alone).
pub const ADDITIONS: &str =
    "gopsi adds: --json (with -b: JSON lines), --proc-root DIR. See gopsi-top(1).\n";

/// What `gopsi top ARGS` prints when ARGS ask for help with the long option (`--help` or an
/// abbreviation of it, as getopt takes it): procps's help text, the [`ADDITIONS`] line, and
/// top's batch-mode exit newline under `-b`. `None` when ARGS do anything else.
pub fn long_help(top_args: &[String]) -> Option<String> {
    let words = top_args.iter().take_while(|a| *a != "--");
    if !words
        .into_iter()
        .any(|a| a.len() >= 3 && "--help".starts_with(a.as_str()))
    {
        return None;
    }
    // `--json` is stripped before top's parser, as the top edge does.
    let rest: Vec<String> = top_args
        .iter()
        .filter(|a| *a != "--json")
        .cloned()
        .collect();
    match args::parse(&rest, &args::SystemUsers, std::process::id() as i32) {
        Ok(Action::Print { text, batch }) if text == args::HELP => Some(format!(
            "{text}{ADDITIONS}{}",
            if batch { "\n" } else { "" }
        )),
        _ => None,
    }
}

/// The clap definition of `gopsi top` (help, man page and completions only: parsing is done by
/// hand in [`args::parse`] with top's getopt rules).
pub fn command() -> clap::Command {
    use clap::{Arg, ArgAction};
    let flag = super::flag;
    let value = |id: &'static str, short: char, long: &'static str, name: &'static str, help| {
        Arg::new(id)
            .short(short)
            .long(long)
            .value_name(name)
            .help(help)
    };
    clap::Command::new("top")
        .about("Display processes, like procps top (batch mode byte for byte)")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("with -b: print each frame as one JSON object per line (gopsi extension)"),
        )
        .arg(flag(
            "batch",
            'b',
            "batch-mode",
            "run in non-interactive batch mode",
        ))
        .arg(flag(
            "cmdline",
            'c',
            "cmdline-toggle",
            "reverse last remembered 'c' state",
        ))
        .arg(value(
            "delay",
            'd',
            "delay",
            "SECS[.TENTHS]",
            "iterative delay as SECS [.TENTHS]",
        ))
        .arg(value(
            "summ-scale",
            'E',
            "scale-summary-mem",
            "SCALE",
            "set mem as: k,m,g,t,p,e for SCALE",
        ))
        .arg(value(
            "task-scale",
            'e',
            "scale-task-mem",
            "SCALE",
            "set mem with: k,m,g,t,p for SCALE",
        ))
        .arg(flag(
            "threads",
            'H',
            "threads-show",
            "show tasks plus all their threads",
        ))
        .arg(flag(
            "idle",
            'i',
            "idle-toggle",
            "reverse last remembered 'i' state",
        ))
        .arg(value(
            "iterations",
            'n',
            "iterations",
            "NUMBER",
            "exit on maximum iterations NUMBER",
        ))
        .arg(flag(
            "list-fields",
            'O',
            "list-fields",
            "output all field names, then exit",
        ))
        .arg(
            value(
                "sort",
                'o',
                "sort-override",
                "[+-]FIELD",
                "force sorting on this named FIELD",
            )
            .value_parser(clap::builder::PossibleValuesParser::new(
                gopsi::top::fields::FIELDS.iter().map(|f| f.name),
            ))
            .hide_possible_values(true),
        )
        .arg(value(
            "pid",
            'p',
            "pid",
            "PIDLIST",
            "monitor only the tasks in PIDLIST",
        ))
        .arg(flag(
            "accum",
            'S',
            "accum-time-toggle",
            "reverse last remembered 'S' state",
        ))
        .arg(flag(
            "secure",
            's',
            "secure-mode",
            "run with secure mode restrictions",
        ))
        .arg(value(
            "any-user",
            'U',
            "filter-any-user",
            "USER",
            "show only processes owned by USER",
        ))
        .arg(value(
            "euser",
            'u',
            "filter-only-euser",
            "USER",
            "show only processes owned by USER",
        ))
        .arg(
            Arg::new("width")
                .short('w')
                .long("width")
                .value_name("COLUMNS")
                .num_args(0..=1)
                .help("change print width [,use COLUMNS]"),
        )
        .arg(flag(
            "single-cpu",
            '1',
            "single-cpu-toggle",
            "reverse last remembered '1' state",
        ))
        .arg(flag(
            "help",
            'h',
            "help",
            "display this help text, then exit",
        ))
        .arg(flag(
            "version",
            'V',
            "version",
            "output version information & exit",
        ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
        assert!(
            super::ADDITIONS.len() <= 81,
            "one line of at most 80 columns"
        );
        let help = super::command().render_help().to_string();
        assert!(help.contains("--batch-mode") && help.contains("--single-cpu-toggle"));
    }
}
