//! The binary's documentation: the whole clap tree (global options and every subcommand) and
//! `gopsi generate`, which writes the man pages and shell completions from it and from the
//! library's column and field tables.

mod ps;
mod top;

use std::path::PathBuf;

pub use ps::command as ps_command;

/// A documentation-only on/off option `-S, --long` (shared by the subcommands' definitions).
pub fn flag(id: &'static str, short: char, long: &'static str, help: &'static str) -> clap::Arg {
    clap::Arg::new(id)
        .short(short)
        .long(long)
        .action(clap::ArgAction::SetTrue)
        .help(help)
}

/// The whole clap definition: global options and every subcommand (help, man pages and
/// completions are generated from it).
pub fn command() -> clap::Command {
    clap::Command::new("gopsi")
        .version(env!("CARGO_PKG_VERSION"))
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
        .subcommand(
            clap::Command::new("generate")
                .hide(true)
                .about("Write man pages and shell completions")
                .arg(clap::Arg::new("out_dir").long("out-dir").value_name("DIR").required(true)),
        )
}

/// `serve` and `metrics`, when the exporter is built in.
fn serve_commands() -> Vec<clap::Command> {
    #[cfg(feature = "serve")]
    return crate::serve::commands();
    #[cfg(not(feature = "serve"))]
    Vec::new()
}

/// The man page of one command, as roff; `extra` adds a titled section at the end.
fn man_page(
    cmd: clap::Command,
    extra: Option<(&str, Vec<(String, String)>)>,
) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    if let Some((title, items)) = extra {
        out.extend_from_slice(format!(".SH \"{title}\"\n").as_bytes());
        for (term, text) in items {
            out.extend_from_slice(
                format!(
                    ".TP\n\\fB{}\\fR\n{}\n",
                    roff_escape(&term),
                    roff_escape(&text)
                )
                .as_bytes(),
            );
        }
    }
    man.render_version_section(&mut out)?;
    Ok(out)
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
            eprintln!("usage: gopsi generate --out-dir DIR");
            return 2;
        }
    };
    match generate_into(&dir) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("gopsi: generate: {e}");
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
    std::fs::write(man.join("gopsi.1"), man_page(root.clone(), None)?)?;
    for sub in root
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("gopsi-{}", sub.get_name());
        let extra = match sub.get_name() {
            "ps" => Some(("FORMAT SPECIFIERS", ps::specifier_items())),
            "top" => Some((
                "FIELDS",
                gopsi::top::fields::FIELDS
                    .iter()
                    .map(|f| (f.name.to_string(), f.help.to_string()))
                    .collect(),
            )),
            _ => None,
        };
        let page = man_page(
            sub.clone()
                .name(name.clone())
                .version(env!("CARGO_PKG_VERSION")),
            extra,
        )?;
        std::fs::write(man.join(format!("{name}.1")), page)?;
    }
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut c = command();
        generate_to(shell, &mut c, "gopsi", &comp)?;
    }
    Ok(())
}
