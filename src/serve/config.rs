//! process-exporter's YAML configuration (`process_names`: `comm`, `exe` and `cmdline`
//! matchers and Go-template group names), parsed with line numbers for every error, and the
//! rule that names a process from its attributes. Pure: never opens /proc.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The largest configuration file read (bytes).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// The most YAML nodes a configuration may expand to (aliases included).
const MAX_NODES: usize = 100_000;
/// The deepest nesting a configuration may have.
const MAX_DEPTH: usize = 64;

/// A configuration error: where it is (line, 1-based; 0 when the whole file is meant) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ConfigError {
    /// The line of the offending node.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

fn err<T>(line: usize, reason: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError {
        line,
        reason: reason.into(),
    })
}

/// A configuration file that could not be used: the file, and the line and reason (or the
/// I/O error).
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_CONFIG_BYTES`].
    #[error("{}: larger than {MAX_CONFIG_BYTES} bytes", .0.display())]
    TooLarge(std::path::PathBuf),
    /// The contents are not a valid configuration.
    #[error("{}{}: {}", path.display(), if error.line > 0 { format!(":{}", error.line) } else { String::new() }, error.reason)]
    Invalid {
        /// The file.
        path: std::path::PathBuf,
        /// Where and why.
        error: ConfigError,
    },
}

/// A process-exporter configuration: matchers tried in order; the first that matches names
/// the process's group.
#[derive(Debug, Clone)]
pub struct Config {
    matchers: Vec<Matcher>,
}

#[derive(Debug, Clone)]
struct Matcher {
    comm: Option<HashSet<String>>,
    /// Executable base names, each with the full path it must equal (when given with a `/`).
    exe: Option<Vec<(String, Option<String>)>>,
    cmdline: Option<Vec<regex::Regex>>,
    name: Template,
}

/// What a matcher and a template see of one process (process-exporter's `ProcAttributes`).
#[derive(Debug, Clone, Default)]
pub struct Attrs {
    /// `comm` from `stat`.
    pub comm: String,
    /// argv as the kernel holds it.
    pub argv: Vec<String>,
    /// The effective user's name (the uid in decimal when it has none).
    pub username: String,
    /// The process id.
    pub pid: i32,
    /// Start time: seconds since the epoch and the nanoseconds after them.
    pub start: (i64, u32),
    /// The paths of `/proc/PID/cgroup`, in file order.
    pub cgroups: Vec<String>,
}

impl Config {
    /// Reads and parses a configuration file (at most [`MAX_CONFIG_BYTES`]).
    pub fn read(path: &std::path::Path) -> Result<Config, ConfigFileError> {
        use std::io::Read;
        let io = |source| ConfigFileError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(io)?
            .take(MAX_CONFIG_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(io)?;
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(ConfigFileError::TooLarge(path.to_path_buf()));
        }
        Config::parse(&text).map_err(|error| ConfigFileError::Invalid {
            path: path.to_path_buf(),
            error,
        })
    }

    /// Parses a configuration.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let root = load(text)?;
        let Kind::Map(entries) = &root.kind else {
            return err(root.line, "expected a mapping with a `process_names` list");
        };
        let mut matchers = None;
        for (k, v) in entries {
            match k.scalar() {
                Some("process_names") => matchers = Some(parse_matchers(v)?),
                Some(other) => {
                    return err(
                        k.line,
                        format!("unknown key `{other}` (expected `process_names`)"),
                    );
                }
                None => return err(k.line, "expected a key"),
            }
        }
        let Some(matchers) = matchers else {
            return err(root.line, "missing `process_names`");
        };
        Ok(Config { matchers })
    }

    /// Whether naming needs the argv (a matcher on `exe` or `cmdline`, or a template that
    /// prints them).
    pub fn needs_argv(&self) -> bool {
        self.matchers.iter().any(|m| {
            m.exe.is_some()
                || m.cmdline.is_some()
                || m.name.uses(|p| matches!(p, Part::ExeBase | Part::ExeFull))
        })
    }

    /// Whether some template prints the user name.
    pub fn needs_username(&self) -> bool {
        self.matchers
            .iter()
            .any(|m| m.name.uses(|p| matches!(p, Part::Username)))
    }

    /// Whether some template prints the cgroups.
    pub fn needs_cgroups(&self) -> bool {
        self.matchers
            .iter()
            .any(|m| m.name.uses(|p| matches!(p, Part::Cgroups)))
    }

    /// The group name of a process, or `None` when no matcher takes it.
    pub fn name_of(&self, a: &Attrs) -> Option<String> {
        self.matchers.iter().find_map(|m| m.name_of(a))
    }
}

impl Matcher {
    fn name_of(&self, a: &Attrs) -> Option<String> {
        if let Some(comms) = &self.comm
            && !comms.contains(&a.comm)
        {
            return None;
        }
        if let Some(exes) = &self.exe {
            let argv0 = a.argv.first()?;
            let (_, full) = exes.iter().find(|(base, _)| *base == go_base(argv0))?;
            if full.as_ref().is_some_and(|f| f != argv0) {
                return None;
            }
        }
        let mut matches = BTreeMap::new();
        if let Some(res) = &self.cmdline {
            let line = a.argv.join(" ");
            for re in res {
                let caps = re.captures(&line)?;
                for (i, name) in re.capture_names().enumerate() {
                    let v = caps.get(i).map_or("", |m| m.as_str());
                    matches.insert(name.unwrap_or("").to_string(), v.to_string());
                }
            }
        }
        Some(self.name.render(a, &matches))
    }
}

/// Go's `filepath.Base`.
fn go_base(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { "." } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

fn parse_matchers(v: &Node) -> Result<Vec<Matcher>, ConfigError> {
    let items = match &v.kind {
        Kind::Seq(items) => items,
        Kind::Null => return Ok(Vec::new()),
        _ => return err(v.line, "`process_names` must be a list of matchers"),
    };
    items.iter().map(parse_matcher).collect()
}

fn parse_matcher(item: &Node) -> Result<Matcher, ConfigError> {
    let Kind::Map(entries) = &item.kind else {
        return err(
            item.line,
            "a matcher must be a mapping of `name`, `comm`, `exe`, `cmdline`",
        );
    };
    let mut m = Matcher {
        comm: None,
        exe: None,
        cmdline: None,
        name: Template::parse("{{.ExeBase}}", item.line)?,
    };
    for (k, v) in entries {
        match k.scalar() {
            Some("name") => match &v.kind {
                Kind::Scalar(s) => m.name = Template::parse(s, v.line)?,
                Kind::Null => {}
                _ => return err(v.line, "`name` must be a string (a name template)"),
            },
            Some("comm") => m.comm = strings(v, "comm")?.map(|l| l.into_iter().collect()),
            Some("exe") => {
                m.exe = strings(v, "exe")?.map(|l| {
                    l.into_iter()
                        .map(|e| {
                            if e.contains('/') {
                                (go_base(&e).to_string(), Some(e))
                            } else {
                                (e, None)
                            }
                        })
                        .collect()
                })
            }
            Some("cmdline") => {
                if let Kind::Seq(items) = &v.kind {
                    let mut res = Vec::new();
                    for n in items {
                        let Some(s) = n.scalar() else {
                            return err(n.line, "`cmdline` entries must be strings (regexes)");
                        };
                        match regex::Regex::new(s) {
                            Ok(r) => res.push(r),
                            Err(e) => {
                                let why = e.to_string();
                                let why = why.lines().last().unwrap_or("").trim();
                                return err(n.line, format!("bad cmdline regex {s:?}: {why}"));
                            }
                        }
                    }
                    m.cmdline = Some(res);
                } else if !matches!(v.kind, Kind::Null) {
                    return err(v.line, "`cmdline` must be a list of regexes");
                }
            }
            Some(other) => {
                return err(
                    k.line,
                    format!("unknown key `{other}` (expected `name`, `comm`, `exe` or `cmdline`)"),
                );
            }
            None => return err(k.line, "expected a key"),
        }
    }
    if m.comm.is_none() && m.exe.is_none() && m.cmdline.is_none() {
        return err(
            item.line,
            "no matchers provided (give `comm`, `exe` or `cmdline`)",
        );
    }
    Ok(m)
}

fn strings(v: &Node, key: &str) -> Result<Option<Vec<String>>, ConfigError> {
    match &v.kind {
        Kind::Null => Ok(None),
        Kind::Seq(items) => items
            .iter()
            .map(|n| match n.scalar() {
                Some(s) => Ok(s.to_string()),
                None => err(n.line, format!("`{key}` entries must be strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        _ => err(v.line, format!("`{key}` must be a list of strings")),
    }
}

/// A group-name template: literal text and the fields process-exporter offers.
#[derive(Debug, Clone)]
struct Template(Vec<Part>);

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Comm,
    ExeBase,
    ExeFull,
    Username,
    Pid,
    StartTime,
    Cgroups,
    Matches,
    Match(String),
}

impl Template {
    fn parse(s: &str, line: usize) -> Result<Template, ConfigError> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find("}}") else {
                return err(line, format!("bad name template {s:?}: unclosed action"));
            };
            let action = &rest[open + 2..open + close];
            let inner = action
                .strip_prefix('-')
                .unwrap_or(action)
                .strip_suffix('-')
                .unwrap_or(action.strip_prefix('-').unwrap_or(action))
                .trim();
            parts.push(match inner {
                ".Comm" => Part::Comm,
                ".ExeBase" => Part::ExeBase,
                ".ExeFull" => Part::ExeFull,
                ".Username" => Part::Username,
                ".PID" => Part::Pid,
                ".StartTime" => Part::StartTime,
                ".Cgroups" => Part::Cgroups,
                ".Matches" => Part::Matches,
                m if m.starts_with(".Matches.") && m.len() > ".Matches.".len() => {
                    Part::Match(m[".Matches.".len()..].to_string())
                }
                other => {
                    return err(
                        line,
                        format!(
                            "bad name template {s:?}: unknown action {{{{{other}}}}} (known: {{{{.Comm}}}}, {{{{.ExeBase}}}}, {{{{.ExeFull}}}}, {{{{.Username}}}}, {{{{.Matches.NAME}}}}, {{{{.PID}}}}, {{{{.StartTime}}}}, {{{{.Cgroups}}}})"
                        ),
                    );
                }
            });
            rest = &rest[open + close + 2..];
        }
        if rest.contains("}}") {
            return err(
                line,
                format!("bad name template {s:?}: `}}}}` without `{{{{`"),
            );
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template(parts))
    }

    fn uses(&self, f: impl Fn(&Part) -> bool) -> bool {
        self.0.iter().any(f)
    }

    fn render(&self, a: &Attrs, matches: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        let exe_full = a.argv.first().map_or(a.comm.as_str(), String::as_str);
        for p in &self.0 {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Comm => out.push_str(&a.comm),
                Part::ExeFull => out.push_str(exe_full),
                Part::ExeBase => out.push_str(if a.argv.is_empty() {
                    &a.comm
                } else {
                    go_base(exe_full)
                }),
                Part::Username => out.push_str(&a.username),
                Part::Pid => {
                    let _ = write!(out, "{}", a.pid);
                }
                Part::StartTime => out.push_str(&go_time(a.start.0, a.start.1)),
                Part::Cgroups => {
                    let _ = write!(out, "[{}]", a.cgroups.join(" "));
                }
                Part::Matches => {
                    let items: Vec<String> =
                        matches.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    let _ = write!(out, "map[{}]", items.join(" "));
                }
                Part::Match(name) => {
                    out.push_str(matches.get(name).map_or("<no value>", String::as_str))
                }
            }
        }
        out
    }
}

/// Go's `time.Time.String()` of a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`.
pub fn go_time(secs: i64, nanos: u32) -> String {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push_str(" +0000 UTC");
    s
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

// ---- a small YAML tree with line numbers, built from yaml-rust2's events ----

#[derive(Debug, Clone)]
struct Node {
    line: usize,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    fn size(&self) -> usize {
        match &self.kind {
            Kind::Null | Kind::Scalar(_) => 1,
            Kind::Seq(v) => 1 + v.iter().map(Node::size).sum::<usize>(),
            Kind::Map(v) => 1 + v.iter().map(|(k, v)| k.size() + v.size()).sum::<usize>(),
        }
    }
}

#[derive(Default)]
struct Builder {
    /// Open collections: the node, its anchor, and (for mappings) the flat key/value list.
    stack: Vec<(Node, usize, Vec<Node>)>,
    anchors: BTreeMap<usize, Node>,
    root: Option<Node>,
    nodes: usize,
    error: Option<ConfigError>,
}

impl Builder {
    /// Adds a finished node to its parent; `weight` is how many nodes it adds to the count
    /// (1 for a node whose children are counted already; an alias's whole size).
    fn finish(&mut self, node: Node, anchor: usize, weight: usize) {
        self.nodes += weight;
        if self.nodes > MAX_NODES && self.error.is_none() {
            self.error = Some(ConfigError {
                line: node.line,
                reason: format!("more than {MAX_NODES} YAML nodes"),
            });
            return;
        }
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            Some((parent, _, flat)) => match &mut parent.kind {
                Kind::Seq(v) => v.push(node),
                _ => flat.push(node),
            },
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        if self.stack.len() >= MAX_DEPTH
            && matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..))
        {
            self.error = Some(ConfigError {
                line,
                reason: format!("nested deeper than {MAX_DEPTH} levels"),
            });
            return;
        }
        match ev {
            Event::Scalar(s, style, anchor, _) => {
                let null = style == TScalarStyle::Plain && matches!(s.as_str(), "" | "~" | "null");
                let kind = if null { Kind::Null } else { Kind::Scalar(s) };
                self.finish(Node { line, kind }, anchor, 1);
            }
            Event::SequenceStart(anchor, _) => self.stack.push((
                Node {
                    line,
                    kind: Kind::Seq(Vec::new()),
                },
                anchor,
                Vec::new(),
            )),
            Event::MappingStart(anchor, _) => self.stack.push((
                Node {
                    line,
                    kind: Kind::Map(Vec::new()),
                },
                anchor,
                Vec::new(),
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((mut node, anchor, flat)) = self.stack.pop() {
                    if let Kind::Map(pairs) = &mut node.kind {
                        let mut it = flat.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            pairs.push((k, v));
                        }
                    }
                    self.finish(node, anchor, 1);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(mut n) => {
                    n.line = line;
                    let size = n.size();
                    self.finish(n, 0, size);
                }
                None => {
                    self.error = Some(ConfigError {
                        line,
                        reason: "unknown alias".into(),
                    })
                }
            },
            _ => {}
        }
    }
}

fn load(text: &str) -> Result<Node, ConfigError> {
    let mut b = Builder::default();
    let mut p = Parser::new_from_str(text);
    if let Err(e) = p.load(&mut b, false) {
        return err(e.marker().line(), format!("YAML syntax: {}", e.info()));
    }
    if let Some(e) = b.error {
        return Err(e);
    }
    match b.root {
        Some(n) => Ok(n),
        None => err(0, "the file is empty (expected `process_names:`)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(comm: &str, argv: &[&str]) -> Attrs {
        Attrs {
            comm: comm.into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            username: "root".into(),
            pid: 42,
            start: (1_764_699_601, 230_000_000),
            cgroups: vec!["/system.slice/x.service".into()],
        }
    }

    #[test]
    fn matchers_and_templates() {
        let c = Config::parse(
            "process_names:\n  - comm: [bash]\n  - name: \"{{.Matches.svc}}-{{ .Username }}\"\n    cmdline: ['^/usr/bin/(?P<svc>\\w+)']\n  - exe: [/bin/true, sleep]\n",
        )
        .unwrap();
        assert_eq!(
            c.name_of(&attrs("bash", &["/bin/bash", "-l"])).as_deref(),
            Some("bash")
        );
        assert_eq!(
            c.name_of(&attrs("python3", &["/usr/bin/python3", "x.py"]))
                .as_deref(),
            Some("python3-root")
        );
        assert_eq!(
            c.name_of(&attrs("sleep", &["sleep", "100"])).as_deref(),
            Some("sleep")
        );
        assert_eq!(c.name_of(&attrs("true", &["/opt/true"])), None);
        assert_eq!(c.name_of(&attrs("kworker", &[])), None);
        assert!(c.needs_argv() && c.needs_username() && !c.needs_cgroups());
    }

    #[test]
    fn every_template_field() {
        let c = Config::parse("process_names:\n  - name: '{{.Comm}} {{.ExeBase}} {{.ExeFull}} {{.PID}} {{.StartTime}} {{.Cgroups}} {{.Matches.nope}} {{.Matches}}'\n    cmdline: ['(?P<a>s)l']\n").unwrap();
        assert_eq!(
            c.name_of(&attrs("sleep", &["/bin/sleep", "9"])).unwrap(),
            "sleep sleep /bin/sleep 42 2025-12-02 18:20:01.23 +0000 UTC [/system.slice/x.service] <no value> map[:sl a:s]"
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("", 0, "empty"),
            (
                "process_names:\n  - name: x\n    cmdline:\n    - ok\n    - 'b(ad'\n",
                5,
                "bad cmdline regex",
            ),
            (
                "process_names:\n  - name: x\n    cmdlin: [a]\n",
                3,
                "unknown key `cmdlin`",
            ),
            (
                "process_names:\n  - name: '{{.Nope}}'\n    comm: [a]\n",
                2,
                "unknown action",
            ),
            ("process_names:\n  - name: x\n", 2, "no matchers"),
            ("process_names:\n  - name: [x\n", 3, "YAML syntax"),
            ("process_names: 3\n", 1, "must be a list"),
            ("names: []\n", 1, "unknown key `names`"),
            ("process_names:\n  - comm: bash\n", 2, "must be a list"),
        ];
        for (text, line, what) in cases {
            let e = Config::parse(text).unwrap_err();
            assert!(e.reason.contains(what), "{text:?}: {e}");
            assert_eq!(e.line, line, "{text:?}: {e}");
        }
    }

    #[test]
    fn go_base_and_time() {
        assert_eq!(go_base("/usr/bin/x"), "x");
        assert_eq!(go_base("x/"), "x");
        assert_eq!(go_base(""), ".");
        assert_eq!(go_time(0, 0), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(
            go_time(951_782_400, 5),
            "2000-02-29 00:00:00.000000005 +0000 UTC"
        );
    }

    #[test]
    fn aliases_are_bounded() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            y.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let e = Config::parse(&y).unwrap_err();
        assert!(e.reason.contains("YAML nodes"), "{e}");
    }
}
