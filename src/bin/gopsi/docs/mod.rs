//! The binary's documentation: the whole clap tree (global options and every subcommand), the
//! version string, and `gopsi generate`, which writes the man pages and shell completions from
//! them and from the library's column and field tables. Never parses a real command line.

mod ps;
mod top;

use std::path::PathBuf;

pub use ps::command as ps_command;
pub use top::long_help as top_long_help;

/// The version gopsi reports (`gopsi --version`, the man pages): the crate's version and the
/// procps-ng release whose output it reproduces.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (procps-ng 4.0.2 compatible)");

/// The pages a subcommand's man page points to besides gopsi's own: the tools it mirrors.
fn relatives(sub: &str) -> &'static [&'static str] {
    match sub {
        "ps" => &["ps(1)", "proc(5)"],
        "top" => &["top(1)", "proc(5)"],
        "ports" => &["ss(8)"],
        "files" => &["lsof(8)"],
        "inspect" => &["ps(1)", "lsof(8)", "ss(8)", "proc(5)"],
        "serve" | "metrics" => &[
            "prometheus(1)",
            "promtool(1)",
            "prometheus-process-exporter(1)",
        ],
        _ => &[],
    }
}

/// A documentation-only on/off option `-S, --long` (shared by the subcommands' definitions).
pub fn flag(id: &'static str, short: char, long: &'static str, help: &'static str) -> clap::Arg {
    clap::Arg::new(id)
        .short(short)
        .long(long)
        .action(clap::ArgAction::SetTrue)
        .help(help)
}

/// The whole clap definition: global options and every subcommand (help, man pages and
/// completions are generated from it). `gopsi generate`, a maintainers' tool, is left out so
/// that no help, page or completion offers it.
pub fn command() -> clap::Command {
    clap::Command::new("gopsi")
        .version(VERSION)
        .about("A process inspector for Linux: ps and top identical to procps-ng, plus open files, ports and JSON")
        .arg(
            clap::Arg::new("proc_root")
                .long("proc-root")
                .value_name("DIR")
                .global(true)
                .value_hint(clap::ValueHint::DirPath)
                .help("Read processes from DIR instead of /proc (containers, fixtures)"),
        )
        .subcommand_required(true)
        .subcommand(ps::command())
        .subcommand(top::command())
        .subcommands(crate::inspect::commands())
        .subcommands(serve_commands())
        .after_help("'gopsi help COMMAND' is 'gopsi COMMAND --help'. --proc-root goes before or after COMMAND.")
}

/// `serve` and `metrics`, when the exporter is built in.
fn serve_commands() -> Vec<clap::Command> {
    #[cfg(feature = "serve")]
    return crate::serve::commands();
    #[cfg(not(feature = "serve"))]
    Vec::new()
}

/// The man page of one command, as roff: clap's sections, then `extra` (roff sections
/// written by the caller), the version and SEE ALSO (`name(section)` references).
fn man_page(cmd: clap::Command, extra: &str, see_also: &[String]) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd).source(format!("gopsi {VERSION}"));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(format!(".SH VERSION\ngopsi {}\n", roff_escape(VERSION)).as_bytes());
    let refs: Vec<String> = see_also
        .iter()
        .map(|r| match r.split_once('(') {
            Some((name, sec)) => format!("\\fB{}\\fR({sec}", roff_escape(name)),
            None => roff_escape(r),
        })
        .collect();
    out.extend_from_slice(format!(".SH \"SEE ALSO\"\n{}\n", refs.join(", ")).as_bytes());
    Ok(out)
}

/// A titled man section of `.TP` items: a bold term, then its text (both escaped here);
/// `indent` (in ens) puts every text beside its term.
fn items_section(title: &str, items: &[(String, String)], indent: Option<usize>) -> String {
    let mut s = format!(".SH \"{title}\"\n");
    let tp = indent.map_or(".TP".to_string(), |n| format!(".TP {n}n"));
    for (term, text) in items {
        s.push_str(&format!(
            "{tp}\n\\fB{}\\fR\n{}\n",
            roff_escape(term),
            roff_escape(text)
        ));
    }
    s
}

/// Escapes text for a roff line: backslashes and dashes, and a leading control character.
fn roff_escape(s: &str) -> String {
    let e = s.replace('\\', "\\e").replace('-', "\\-");
    if e.starts_with('.') || e.starts_with('\'') {
        format!("\\&{e}")
    } else {
        e
    }
}

/// `gopsi generate --out-dir DIR`: writes DIR/man/*.1 and DIR/completions/*.
pub fn generate(args: &[String]) -> i32 {
    let dir = match args {
        [flag, dir] if flag == "--out-dir" => PathBuf::from(dir),
        [one] if one.starts_with("--out-dir=") => PathBuf::from(&one["--out-dir=".len()..]),
        _ => {
            errln!("usage: gopsi generate --out-dir DIR");
            return 2;
        }
    };
    match generate_into(&dir) {
        Ok(()) => 0,
        Err(e) => {
            errln!("gopsi: generate: {e}");
            1
        }
    }
}

/// Writes the man pages and completions below `dir` (`man/`, `completions/`).
pub fn generate_into(dir: &std::path::Path) -> std::io::Result<()> {
    use clap_complete::{Shell, generate_to};
    let man = dir.join("man");
    let comp = dir.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&comp)?;
    let mut root = command();
    root.build();
    let subs: Vec<&clap::Command> = root
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    let page_of = |name: &str| format!("gopsi-{name}(1)");
    // gopsi.1: one line per command, and every page of the family.
    let mut commands: Vec<(String, String)> = subs
        .iter()
        .map(|s| {
            let about = s.get_about().map(|a| a.to_string()).unwrap_or_default();
            let page = page_of(s.get_name());
            (s.get_name().to_string(), format!("{about}; see {page}."))
        })
        .collect();
    commands.push((
        "help COMMAND".into(),
        "Print the help of COMMAND: the same text as gopsi COMMAND --help.".into(),
    ));
    let mut see_also: Vec<String> = subs.iter().map(|s| page_of(s.get_name())).collect();
    see_also.extend(["ps(1)", "top(1)", "lsof(8)", "ss(8)"].map(String::from));
    let width = commands.iter().map(|(t, _)| t.len()).max().unwrap_or(0) + 2;
    let list = items_section("COMMANDS", &commands, Some(width));
    std::fs::write(
        man.join("gopsi.1"),
        man_page(root.clone(), &list, &see_also)?,
    )?;
    for sub in &subs {
        let name = format!("gopsi-{}", sub.get_name());
        let extra = match sub.get_name() {
            "ps" => items_section("FORMAT SPECIFIERS", &ps::specifier_items(), None),
            "top" => items_section(
                "FIELDS",
                &gopsi::top::fields::FIELDS
                    .iter()
                    .map(|f| (f.name.to_string(), f.help.to_string()))
                    .collect::<Vec<_>>(),
                None,
            ),
            _ => String::new(),
        };
        let mut see_also = vec!["gopsi(1)".to_string()];
        see_also.extend(
            subs.iter()
                .filter(|o| o.get_name() != sub.get_name())
                .map(|o| page_of(o.get_name())),
        );
        see_also.extend(relatives(sub.get_name()).iter().map(|r| r.to_string()));
        let cmd = (*sub).clone().name(name.clone()).version(VERSION);
        std::fs::write(
            man.join(format!("{name}.1")),
            man_page(cmd, &extra, &see_also)?,
        )?;
    }
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut c = command();
        generate_to(shell, &mut c, "gopsi", &comp)?;
    }
    Ok(())
}
