//! The command lines of `gopsi serve` and `gopsi metrics` (the library's [`gopsi::serve`]):
//! clap definitions (which the man pages and completions are generated from), option checks
//! that fail with exit status 1 before anything listens, and the atomic `--output` write.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Arg, ArgMatches, Command, value_parser};

use gopsi::proc::ProcFs;
use gopsi::serve::{
    self, Collector, Config, Format, Grouping, Naming, Options, ServeOptions, TopBy,
};

/// The default listen address: loopback, process-exporter's port.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9256";

fn shared_args(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("group_by")
            .long("group-by")
            .value_name("KEY")
            .value_parser(["comm", "exe", "user", "cgroup"])
            .default_value("comm")
            .help("Group processes by comm, executable path, effective user or cgroup"),
    )
    .arg(
        Arg::new("config")
            .long("config")
            .value_name("FILE")
            .value_hint(clap::ValueHint::FilePath)
            .conflicts_with("group_by")
            .help("Group by a process-exporter YAML configuration (process_names: comm, exe, cmdline matchers and name templates)"),
    )
    .arg(
        Arg::new("names")
            .long("names")
            .value_name("NAMING")
            .value_parser(["gopsi", "process-exporter"])
            .default_value("gopsi")
            .help("Metric names: gopsi's own (gopsi_*), or process-exporter's namedprocess_namegroup_* families"),
    )
    .arg(
        Arg::new("top")
            .long("top")
            .value_name("N")
            .value_parser(value_parser!(u16).range(0..=1000))
            .default_value("0")
            .help("Also export per-process series (gopsi_process_*) for the N heaviest processes"),
    )
    .arg(
        Arg::new("top_by")
            .long("top-by")
            .value_name("KEY")
            .value_parser(["cpu", "rss"])
            .default_value("cpu")
            .help("Rank --top processes by CPU used since the previous collection, or by resident memory"),
    )
}

/// The clap definitions of `serve` and `metrics`.
pub fn commands() -> Vec<Command> {
    vec![
        shared_args(
            Command::new("serve")
                .about("Serve Prometheus/OpenMetrics metrics of the host and of process groups over HTTP")
                .long_about(
                    "Serve Prometheus/OpenMetrics metrics of the host and of process groups over HTTP. \
                     GET /metrics answers OpenMetrics 1.0 text when the Accept header asks for it and \
                     Prometheus text 0.0.4 otherwise, gzipped when the client accepts gzip; each scrape \
                     reads /proc once, shared by scrapes that arrive meanwhile, and nothing is read \
                     between scrapes. Command lines and environments are never exported unless a \
                     configuration's name template prints them. SIGTERM or SIGINT stops it.",
                ),
        )
        .arg(
            Arg::new("listen")
                .long("listen")
                .value_name("ADDR")
                .default_value(DEFAULT_LISTEN)
                .help("Address to listen on (HOST:PORT; :PORT for every interface)"),
        )
        .arg(
            Arg::new("max_connections")
                .long("max-connections")
                .value_name("N")
                .value_parser(value_parser!(u16).range(1..))
                .default_value("64")
                .help("Connections served at once; more wait until one ends"),
        )
        .arg(
            Arg::new("header_timeout")
                .long("header-timeout")
                .value_name("SECS")
                .value_parser(value_parser!(u16).range(1..))
                .default_value("10")
                .hide(true)
                .help("Seconds a client has to send its request headers"),
        )
        .arg(
            Arg::new("connection_lifetime")
                .long("connection-lifetime")
                .value_name("SECS")
                .value_parser(value_parser!(u16).range(1..))
                .default_value("60")
                .hide(true)
                .help("Seconds a connection may stay open"),
        ),
        shared_args(
            Command::new("metrics")
                .about("Print one metrics exposition and exit (for node_exporter's textfile collector)")
                .long_about(
                    "Print one metrics exposition of the host and of process groups and exit. With \
                     --output FILE it is written to a temporary file beside FILE and renamed over it, \
                     so node_exporter's textfile collector never reads half a file. Counters are each \
                     process's own totals.",
                ),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_name("FILE")
                .value_hint(clap::ValueHint::FilePath)
                .help("Write to FILE atomically (a temporary file, then rename) instead of stdout"),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .value_parser(["prometheus", "openmetrics"])
                .default_value("prometheus")
                .help("Prometheus text 0.0.4 (what the textfile collector reads) or OpenMetrics 1.0"),
        ),
    ]
}

/// Runs `gopsi serve` or `gopsi metrics` with the arguments after the subcommand name;
/// the user count comes from `$GOPSI_UTMP` (default `/var/run/utmp`). Returns the exit status.
pub fn run(name: &str, fs: &ProcFs, args: &[String]) -> i32 {
    let utmp =
        PathBuf::from(std::env::var_os("GOPSI_UTMP").unwrap_or_else(|| "/var/run/utmp".into()));
    let Some(cmd) = commands().into_iter().find(|c| c.get_name() == name) else {
        errln!("gopsi: unknown command {name}");
        return 2;
    };
    let argv = std::iter::once(format!("gopsi {name}")).chain(args.iter().cloned());
    let m = match crate::cli::plain(cmd)
        .bin_name(format!("gopsi {name}"))
        .try_get_matches_from(argv)
    {
        Ok(m) => m,
        // Any bad flag is status 1, before listening.
        Err(e) => return crate::cli::clap_stop(&e, 1),
    };
    let fail = |what: String| {
        errln!("gopsi {name}: {what}");
        1
    };
    let mut opts = match options(&m, name == "serve") {
        Ok(o) => o,
        Err(e) => return fail(e),
    };
    opts.utmp = utmp;
    let naming = naming(&m);
    let collector = Collector::new(fs.clone(), opts);
    if name == "metrics" {
        let format = match m.get_one::<String>("format").map(String::as_str) {
            Some("openmetrics") => Format::OpenMetrics,
            _ => Format::Prometheus,
        };
        let text = serve::encode(Arc::new(collector.collect()), naming, format);
        return match m.get_one::<String>("output") {
            Some(path) => match write_atomically(Path::new(path), text.as_bytes()) {
                Ok(()) => 0,
                Err(e) => fail(format!("{path}: {e}")),
            },
            None => crate::cli::emit("gopsi", text.as_bytes(), 0),
        };
    }
    let listen = m
        .get_one::<String>("listen")
        .map_or(DEFAULT_LISTEN, String::as_str);
    let addr = match parse_listen(listen) {
        Ok(a) => a,
        Err(e) => return fail(format!("--listen {listen}: {e}")),
    };
    let mut so = ServeOptions::new(addr, naming);
    let secs =
        |id: &str, d: u16| Duration::from_secs(u64::from(*m.get_one::<u16>(id).unwrap_or(&d)));
    so.max_connections = usize::from(*m.get_one::<u16>("max_connections").unwrap_or(&64));
    so.header_timeout = secs("header_timeout", 10);
    so.connection_lifetime = secs("connection_lifetime", 60);
    let ready = |a| errln!("gopsi serve: listening on http://{a}/metrics");
    match serve::serve(collector, so, ready, shutdown_on_signals) {
        Ok(()) => 0,
        Err(e) => fail(e.to_string()),
    }
}

/// A future that completes on SIGTERM or SIGINT (made inside the server's runtime).
fn shutdown_on_signals() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

fn naming(m: &ArgMatches) -> Naming {
    match m.get_one::<String>("names").map(String::as_str) {
        Some("process-exporter") => Naming::ProcessExporter,
        _ => Naming::Gopsi,
    }
}

/// Collector options from the command line; a configuration file is read and checked here.
fn options(m: &ArgMatches, serving: bool) -> Result<Options, String> {
    let pe = naming(m) == Naming::ProcessExporter;
    let grouping = match m.get_one::<String>("config") {
        Some(path) => Grouping::Config(Arc::new(
            Config::read(Path::new(path)).map_err(|e| e.to_string())?,
        )),
        None => match m.get_one::<String>("group_by").map(String::as_str) {
            Some("exe") => Grouping::Exe,
            Some("user") => Grouping::User,
            Some("cgroup") => Grouping::Cgroup,
            _ => Grouping::Comm,
        },
    };
    Ok(Options {
        grouping,
        top: usize::from(*m.get_one::<u16>("top").unwrap_or(&0)),
        top_by: match m.get_one::<String>("top_by").map(String::as_str) {
            Some("rss") => TopBy::Rss,
            _ => TopBy::Cpu,
        },
        extras: pe,
        since_first: pe && serving,
        ..Options::default()
    })
}

/// `HOST:PORT`, `[V6]:PORT` or `:PORT` (every interface).
pub fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    if let Some(port) = s.strip_prefix(':') {
        let port: u16 = port.parse().map_err(|_| format!("bad port {port:?}"))?;
        return Ok(SocketAddr::from(([0, 0, 0, 0], port)));
    }
    if let Ok(a) = s.parse() {
        return Ok(a);
    }
    if !s.contains(':') {
        return Err("expected HOST:PORT".into());
    }
    s.to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or_else(|| "the host has no address".into())
}

/// Writes `data` to a temporary file beside `path` and renames it over `path`.
pub fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp.{}", std::process::id()));
    let tmp = dir.map_or_else(|| PathBuf::from(&tmp_name), |d| d.join(&tmp_name));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses() {
        assert_eq!(parse_listen("127.0.0.1:9256").unwrap().port(), 9256);
        assert_eq!(parse_listen(":80").unwrap(), "0.0.0.0:80".parse().unwrap());
        assert_eq!(parse_listen("[::1]:1").unwrap(), "[::1]:1".parse().unwrap());
        assert!(parse_listen("localhost:9").unwrap().ip().is_loopback());
        assert!(parse_listen("nonsense").is_err());
        assert!(parse_listen(":99999").is_err());
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let d = std::env::temp_dir().join(format!("gopsi-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("m.prom");
        write_atomically(&f, b"a 1\n").unwrap();
        write_atomically(&f, b"a 2\n").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"a 2\n");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }
}
