//! Parses `top` arguments by hand with procps top's rules: GNU `getopt_long` over
//! `bcd:E:e:Hhin:Oo:p:SsU:u:Vw::1` plus top's "getopt fix" (a following word that does not
//! start with `-` is taken as the argument; for an option without one it is an error), and the
//! same error texts. Arguments are bytes: a user name reaches the lookup as given, valid UTF-8
//! or not. Pure: never reads /proc and never prints.

use super::fields;

/// The help text procps top 4.0.2 prints for `-h` (`puts` adds the final newline).
pub const HELP: &str = "
Usage:
 top [options]

Options:
 -b, --batch-mode                run in non-interactive batch mode
 -c, --cmdline-toggle            reverse last remembered 'c' state
 -d, --delay =SECS [.TENTHS]     iterative delay as SECS [.TENTHS]
 -E, --scale-summary-mem =SCALE  set mem as: k,m,g,t,p,e for SCALE
 -e, --scale-task-mem =SCALE     set mem with: k,m,g,t,p for SCALE
 -H, --threads-show              show tasks plus all their threads
 -i, --idle-toggle               reverse last remembered 'i' state
 -n, --iterations =NUMBER        exit on maximum iterations NUMBER
 -O, --list-fields               output all field names, then exit
 -o, --sort-override =FIELD      force sorting on this named FIELD
 -p, --pid =PIDLIST              monitor only the tasks in PIDLIST
 -S, --accum-time-toggle         reverse last remembered 'S' state
 -s, --secure-mode               run with secure mode restrictions
 -U, --filter-any-user =USER     show only processes owned by USER
 -u, --filter-only-euser =USER   show only processes owned by USER
 -w, --width [=COLUMNS]          change print width [,use COLUMNS]
 -1, --single-cpu-toggle         reverse last remembered '1' state

 -h, --help                      display this help text, then exit
 -V, --version                   output version information & exit

For more details see top(1).
";

/// At most this many `-p` pids.
pub const MONPIDMAX: usize = 20;

/// A user selection as given (`-u`/`-U`), resolved to a uid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSel {
    /// The user ID.
    pub uid: u32,
    /// A `!` prefix: everyone but this user.
    pub negate: bool,
    /// `-U`: any of real, effective, saved or filesystem uid matches.
    pub any: bool,
}

/// Parsed options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Opts {
    /// `-b`: batch mode.
    pub batch: bool,
    /// `-c`: command lines instead of names.
    pub cmdline: bool,
    /// `-d`: seconds between frames.
    pub delay: Option<f32>,
    /// `-E`: summary memory scale (0 = KiB).
    pub summ_scale: Option<usize>,
    /// `-e`: task memory scale (0 = KiB).
    pub task_scale: Option<usize>,
    /// `-H`: one row per thread.
    pub threads: bool,
    /// `-i`: hide idle tasks.
    pub hide_idle: bool,
    /// `-i` was given at all (procps then clears the task limit `n`).
    pub idle_seen: bool,
    /// `-n`: frames before exiting.
    pub iterations: Option<i64>,
    /// `-o`: sort field index and, with a `+`/`-` prefix, its direction.
    pub sort: Option<(usize, Option<bool>)>,
    /// `-p`: the only tasks shown.
    pub pids: Vec<i32>,
    /// `-S`: cumulative time.
    pub cumulative: bool,
    /// `-s`: secure mode.
    pub secure: bool,
    /// `-u`/`-U`: the user filter.
    pub user: Option<UserSel>,
    /// `-w`: `Some(None)` without an argument, `Some(Some(n))` with one.
    pub width: Option<Option<usize>>,
    /// Number of `-1` toggles.
    pub per_cpu: bool,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run top with these options.
    Run(Opts),
    /// Print text on stdout and exit 0 (`-h`, `-V`, `-O`); `batch` adds top's exit newline.
    Print {
        /// The text.
        text: String,
        /// Whether `-b` came before.
        batch: bool,
    },
    /// A getopt diagnostic on stderr and exit 0 (procps exits successfully there).
    GetoptError {
        /// The diagnostic.
        msg: String,
        /// Whether `-b` came before.
        batch: bool,
    },
}

/// A `top: MESSAGE` error (exit status 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError(pub String);

/// Resolves user names and uids (injected for tests).
pub trait Users {
    /// The uid of a user name (bytes, not necessarily UTF-8), when it exists.
    fn uid_of(&self, name: &[u8]) -> Option<u32>;
}

/// The system's user database.
pub struct SystemUsers;

impl Users for SystemUsers {
    fn uid_of(&self, name: &[u8]) -> Option<u32> {
        use std::os::unix::ffi::OsStrExt;
        uzers::get_user_by_name(std::ffi::OsStr::from_bytes(name)).map(|u| u.uid())
    }
}

/// An argument's bytes as message or number text (lossy: procps's messages echo them raw).
fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const LONG: &[(&str, char, Arg)] = &[
    ("batch-mode", 'b', Arg::No),
    ("cmdline-toggle", 'c', Arg::No),
    ("delay", 'd', Arg::Required),
    ("scale-summary-mem", 'E', Arg::Required),
    ("scale-task-mem", 'e', Arg::Required),
    ("threads-show", 'H', Arg::No),
    ("help", 'h', Arg::No),
    ("idle-toggle", 'i', Arg::No),
    ("iterations", 'n', Arg::Required),
    ("list-fields", 'O', Arg::No),
    ("sort-override", 'o', Arg::Required),
    ("pid", 'p', Arg::Required),
    ("accum-time-toggle", 'S', Arg::No),
    ("secure-mode", 's', Arg::No),
    ("filter-any-user", 'U', Arg::Required),
    ("filter-only-euser", 'u', Arg::Required),
    ("version", 'V', Arg::No),
    ("width", 'w', Arg::Optional),
    ("single-cpu-toggle", '1', Arg::No),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arg {
    No,
    Required,
    Optional,
}

fn short_kind(c: char) -> Option<Arg> {
    match c {
        'b' | 'c' | 'H' | 'h' | 'i' | 'O' | 'S' | 's' | 'V' | '1' => Some(Arg::No),
        'd' | 'E' | 'e' | 'n' | 'o' | 'p' | 'U' | 'u' => Some(Arg::Required),
        'w' => Some(Arg::Optional),
        _ => None,
    }
}

fn err(s: String) -> Result<Action, ArgError> {
    Err(ArgError(s))
}

use crate::num::strtol_whole;

/// procps's `mkfloat(str, whole)`: a number typed at a prompt or given to an option (`whole`:
/// an integer, in C's `strtol` base 0 forms); `None` when procps refuses it.
pub fn mkfloat(s: &str, whole: bool) -> Option<f32> {
    let v = if whole {
        strtol_whole(s)? as f32
    } else {
        let t = s.trim_start();
        match t.parse::<f32>() {
            Ok(v) if !t.is_empty() && !t.contains(['i', 'I', 'n', 'N']) => v,
            _ => t.replace(',', ".").parse::<f32>().ok()?,
        }
    };
    (v < i32::MAX as f32).then_some(v)
}

/// procps's `get_int` on an answered line: `mkfloat(line, whole)` (`strtol` base 0, the
/// whole line, below `INT_MAX`) truncated to an `int`; `None` where procps says "Unacceptable
/// integer".
pub fn c_int(line: &str) -> Option<i32> {
    mkfloat(line, true).map(|f| f as i32)
}

/// Parses `args` (everything after `top`: `String`s, `&str`s or `OsString`s, whose bytes need
/// not be UTF-8). `self_pid` replaces `-p 0`.
pub fn parse<A: AsRef<std::ffi::OsStr>>(
    args: &[A],
    users: &dyn Users,
    self_pid: i32,
) -> Result<Action, ArgError> {
    use std::os::unix::ffi::OsStrExt;
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_ref().as_bytes()).collect();
    let mut o = Opts::default();
    let mut delay: Option<f32> = None;
    let mut i = 0;
    // Pending short options of a cluster.
    let mut cluster: Vec<u8> = Vec::new();
    let mut cpos = 0;
    loop {
        // Fetch the next option character and its optarg, getopt_long style.
        let (ch, mut optarg): (char, Option<Vec<u8>>);
        if cpos < cluster.len() {
            let byte = cluster[cpos];
            cpos += 1;
            let c = char::from(byte);
            let Some(kind) = short_kind(c).filter(|_| byte.is_ascii()) else {
                // A character that is not ASCII is named whole (U+FFFD for a byte not UTF-8).
                let shown = text(&cluster[cpos - 1..]).chars().next().unwrap_or(c);
                return Ok(Action::GetoptError {
                    msg: format!("top: invalid option -- '{shown}'"),
                    batch: o.batch,
                });
            };
            let rest: Vec<u8> = cluster[cpos..].to_vec();
            match kind {
                Arg::No => optarg = None,
                Arg::Optional => {
                    optarg = (!rest.is_empty()).then_some(rest);
                    cpos = cluster.len();
                }
                Arg::Required => {
                    if !rest.is_empty() {
                        optarg = Some(rest);
                    } else if let Some(a) = args.get(i) {
                        optarg = Some(a.to_vec());
                        i += 1;
                    } else {
                        return Ok(Action::GetoptError {
                            msg: format!("top: option requires an argument -- '{c}'"),
                            batch: o.batch,
                        });
                    }
                    cpos = cluster.len();
                }
            }
            ch = c;
        } else {
            let Some(&a) = args.get(i) else { break };
            if a == b"--" {
                i += 1;
                break;
            }
            if let Some(long) = a.strip_prefix(b"--") {
                i += 1;
                let (name, val) = match long.iter().position(|&b| b == b'=') {
                    Some(k) => (&long[..k], Some(long[k + 1..].to_vec())),
                    None => (long, None),
                };
                let exact = LONG.iter().find(|l| l.0.as_bytes() == name);
                let cands: Vec<_> = LONG
                    .iter()
                    .filter(|l| l.0.as_bytes().starts_with(name))
                    .collect();
                let (a, name) = (text(a), text(name));
                let hit = match (exact, cands.len()) {
                    (Some(l), _) => l,
                    (None, 1) => cands[0],
                    (None, 0) => {
                        return Ok(Action::GetoptError {
                            msg: format!("top: unrecognized option '{a}'"),
                            batch: o.batch,
                        });
                    }
                    (None, _) => {
                        let list: Vec<String> =
                            cands.iter().map(|l| format!(" '--{}'", l.0)).collect();
                        return Ok(Action::GetoptError {
                            msg: format!(
                                "top: option '--{name}' is ambiguous; possibilities:{}",
                                list.concat()
                            ),
                            batch: o.batch,
                        });
                    }
                };
                match hit.2 {
                    Arg::No if val.is_some() => {
                        return Ok(Action::GetoptError {
                            msg: format!("top: option '--{}' doesn't allow an argument", hit.0),
                            batch: o.batch,
                        });
                    }
                    Arg::Required if val.is_none() => {
                        if let Some(n) = args.get(i) {
                            optarg = Some(n.to_vec());
                            i += 1;
                        } else {
                            return Ok(Action::GetoptError {
                                msg: format!("top: option '--{}' requires an argument", hit.0),
                                batch: o.batch,
                            });
                        }
                    }
                    _ => optarg = val,
                }
                ch = hit.1;
            } else if a.len() > 1 && a.starts_with(b"-") {
                i += 1;
                cluster = a[1..].to_vec();
                cpos = 0;
                continue;
            } else {
                // A non-option word: getopt stops (after permuting) and top complains.
                break;
            }
        }

        // top's getopt fix.
        // getopt's optind only moves past a cluster after its last character, so the fix sees
        // the next word only then (`-bn 1` is fine, `-bc x` is an error).
        if optarg.is_none()
            && cpos >= cluster.len()
            && let Some(a) = args.get(i).filter(|a| !a.starts_with(b"-"))
        {
            optarg = Some(a.to_vec());
            i += 1;
        }
        if let Some(cp) = optarg.take() {
            let mut cp = cp.strip_prefix(b"=").map_or(cp.clone(), <[u8]>::to_vec);
            if cp.is_empty() {
                match args.get(i) {
                    Some(n) => {
                        cp = n.to_vec();
                        i += 1;
                    }
                    None => return err(format!("top: -{ch} argument missing")),
                }
            }
            optarg = Some(cp);
        }
        let raw = optarg.clone().unwrap_or_default();
        let cp = text(&raw);
        match ch {
            '1' => o.per_cpu = !o.per_cpu,
            'b' => o.batch = true,
            'c' => o.cmdline = !o.cmdline,
            'd' => {
                let Some(v) = mkfloat(&cp, false) else {
                    return err(format!("top: bad delay interval '{cp}'"));
                };
                if v < 0.0 {
                    return err("top: -d requires positive argument".into());
                }
                delay = Some(v);
                continue;
            }
            'E' | 'e' => {
                let get: &[u8] = if ch == 'E' { b"kmgtpe" } else { b"kmgtp" };
                let c = cp.bytes().next().map(|b| b.to_ascii_lowercase());
                let pos = c.and_then(|c| get.iter().position(|&g| g == c));
                match pos {
                    Some(p) if cp.len() <= 1 => {
                        if ch == 'E' {
                            o.summ_scale = Some(p);
                        } else {
                            o.task_scale = Some(p);
                        }
                    }
                    _ => return err(format!("top: bad memory scaling arg '{cp}'")),
                }
                continue;
            }
            'H' => o.threads = true,
            'h' => {
                return Ok(Action::Print {
                    text: HELP.to_string(),
                    batch: o.batch,
                });
            }
            'i' => {
                o.hide_idle = !o.hide_idle;
                o.idle_seen = true;
            }
            'n' => {
                match mkfloat(&cp, true) {
                    Some(v) if v >= 1.0 => o.iterations = Some(v as i64),
                    _ => return err(format!("top: bad iterations argument '{cp}'")),
                }
                continue;
            }
            'O' => {
                let mut s = String::new();
                for f in fields::FIELDS.iter() {
                    s.push_str(f.name);
                    s.push('\n');
                }
                return Ok(Action::Print {
                    text: s,
                    batch: o.batch,
                });
            }
            'o' => {
                let (dir, name) = if let Some(n) = cp.strip_prefix('+') {
                    (Some(true), n)
                } else if let Some(n) = cp.strip_prefix('-') {
                    (Some(false), n)
                } else {
                    (None, cp.as_str())
                };
                let Some(idx) = fields::by_name(name) else {
                    return err(format!("top: unrecognized field name '{name}'"));
                };
                let dir = dir.or(o.sort.and_then(|s| s.1));
                o.sort = Some((idx, dir));
                continue;
            }
            'p' => {
                if o.user.is_some() {
                    return err("top: conflicting process selections (U/p/u)".into());
                }
                let mut rest = cp.as_str();
                loop {
                    if o.pids.len() >= MONPIDMAX {
                        return err(format!("top: pid limit ({MONPIDMAX}) exceeded"));
                    }
                    let pid = scan_int(rest);
                    let Some(mut pid) = pid.filter(|_| !rest.contains(['+', '-', '.'])) else {
                        return err(format!("top: bad pid '{rest}'"));
                    };
                    if pid == 0 {
                        pid = self_pid;
                    }
                    if !o.pids.contains(&pid) {
                        o.pids.push(pid);
                    }
                    match rest.find(',') {
                        Some(k) => rest = &rest[k + 1..],
                        None => break,
                    }
                    if rest.is_empty() {
                        break;
                    }
                }
                continue;
            }
            'S' => o.cumulative = !o.cumulative,
            's' => o.secure = true,
            'U' | 'u' => {
                if !o.pids.is_empty() || o.user.is_some() {
                    return err("top: conflicting process selections (U/p/u)".into());
                }
                o.user = user_certify(&raw, ch == 'U', users)?;
                continue;
            }
            'V' => {
                return Ok(Action::Print {
                    text: format!(
                        "top from gopsi {} (procps-ng 4.0.2 compatible)\n",
                        env!("CARGO_PKG_VERSION")
                    ),
                    batch: o.batch,
                });
            }
            'w' => {
                if let Some(a) = optarg.as_deref().map(text) {
                    match mkfloat(&a, true) {
                        Some(v) if (3.0..=512.0).contains(&v) => o.width = Some(Some(v as usize)),
                        _ => return err(format!("top: bad width arg '{a}'")),
                    }
                } else {
                    o.width = Some(None);
                }
                continue;
            }
            _ => {}
        }
        // Options without an argument: a taken word is an error.
        if let Some(a) = optarg {
            return err(format!("top: unknown option '{}'", text(&a)));
        }
    }
    if let Some(a) = args.get(i) {
        return err(format!("top: unknown option '{}'", text(a)));
    }
    if let Some(d) = delay {
        if o.secure {
            return err("top: -d disallowed in \"secure\" mode".into());
        }
        o.delay = Some(d);
    }
    Ok(Action::Run(o))
}

/// `sscanf("%d")`: optional blanks, an optional sign, digits.
fn scan_int(s: &str) -> Option<i32> {
    let t = s.trim_start();
    let b = t.as_bytes();
    let mut end = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let start = end;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    if end == start {
        return None;
    }
    t[..end].parse::<i64>().ok().map(|v| v as i32)
}

fn user_certify(s: &[u8], any: bool, users: &dyn Users) -> Result<Option<UserSel>, ArgError> {
    if s.is_empty() {
        return Ok(None);
    }
    let (negate, s) = match s.strip_prefix(b"!") {
        Some(r) => (true, r),
        None => (false, s),
    };
    // A number is taken as a uid even when no such user exists (foreign users in a chroot).
    let number = std::str::from_utf8(s).ok().and_then(strtoul_whole);
    let uid = match number {
        Some(n) => n,
        None => users
            .uid_of(s)
            .ok_or_else(|| ArgError("top: Invalid user".into()))?,
    };
    Ok(Some(UserSel { uid, negate, any }))
}

/// `strtoul(s, &endp, 0)` consuming the whole string (an empty string counts, as 0).
fn strtoul_whole(s: &str) -> Option<u32> {
    if s.is_empty() {
        return Some(0);
    }
    strtol_whole(s).map(|v| v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoUsers;
    impl Users for NoUsers {
        fn uid_of(&self, name: &[u8]) -> Option<u32> {
            (name == b"root").then_some(0)
        }
    }

    #[test]
    fn user_names_are_bytes() {
        struct Odd;
        impl Users for Odd {
            fn uid_of(&self, name: &[u8]) -> Option<u32> {
                (name == b"\xffu").then_some(4242)
            }
        }
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"\xffu");
        for args in [
            vec![std::ffi::OsStr::new("-u"), name],
            vec![std::ffi::OsStr::new("-U"), name],
        ] {
            let Ok(Action::Run(o)) = parse(&args, &Odd, 1) else {
                panic!("{args:?}")
            };
            assert_eq!(o.user.map(|u| u.uid), Some(4242));
        }
    }

    fn p(a: &[&str]) -> Result<Action, ArgError> {
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        parse(&v, &NoUsers, 999)
    }

    fn opts(a: &[&str]) -> Opts {
        match p(a) {
            Ok(Action::Run(o)) => o,
            other => panic!("{a:?}: {other:?}"),
        }
    }

    fn e(a: &[&str]) -> String {
        match p(a) {
            Err(ArgError(m)) => m,
            other => panic!("{a:?}: {other:?}"),
        }
    }

    #[test]
    fn forms() {
        assert_eq!(opts(&["-b", "-n1"]).iterations, Some(1));
        assert_eq!(opts(&["-bn", "2"]).iterations, Some(2));
        assert_eq!(opts(&["-n=3"]).iterations, Some(3));
        assert_eq!(opts(&["--iterations", "4"]).iterations, Some(4));
        assert_eq!(opts(&["--iter=5"]).iterations, Some(5));
        assert_eq!(opts(&["-w"]).width, Some(None));
        assert_eq!(opts(&["-w", "200"]).width, Some(Some(200)));
        assert_eq!(opts(&["-w200", "-b"]).width, Some(Some(200)));
        assert_eq!(opts(&["-p", "3,1,3", "-p0"]).pids, vec![3, 1, 999]);
        assert_eq!(opts(&["-o", "+PID"]).sort, Some((0, Some(true))));
        assert_eq!(opts(&["-o", "-%MEM"]).sort, Some((21, Some(false))));
        assert_eq!(opts(&["-u", "!root"]).user.map(|u| u.negate), Some(true));
        assert_eq!(opts(&["-U", "4242"]).user.map(|u| u.uid), Some(4242));
        assert!(!opts(&["-1", "-1"]).per_cpu);
    }

    #[test]
    fn errors() {
        assert_eq!(e(&["-n", "0"]), "top: bad iterations argument '0'");
        assert_eq!(e(&["-o", "BOGUS"]), "top: unrecognized field name 'BOGUS'");
        assert_eq!(e(&["-u", "nobodyx"]), "top: Invalid user");
        assert_eq!(e(&["-b", "x"]), "top: unknown option 'x'");
        assert_eq!(e(&["-bc", "x"]), "top: unknown option 'x'");
        assert_eq!(e(&["-w", "-b", "x"]), "top: unknown option 'x'");
        assert_eq!(e(&["x"]), "top: unknown option 'x'");
        assert_eq!(e(&["-p", "1,x"]), "top: bad pid 'x'");
        assert_eq!(e(&["-p", "5,-3"]), "top: bad pid '5,-3'");
        assert_eq!(
            e(&["-p", "1", "-u", "root"]),
            "top: conflicting process selections (U/p/u)"
        );
        assert_eq!(e(&["-w", "x"]), "top: bad width arg 'x'");
        assert_eq!(e(&["-w", "2"]), "top: bad width arg '2'");
        assert_eq!(e(&["-d", "-1"]), "top: -d requires positive argument");
        assert_eq!(e(&["-d", "x"]), "top: bad delay interval 'x'");
        assert_eq!(
            e(&["-s", "-d", "1"]),
            "top: -d disallowed in \"secure\" mode"
        );
        assert_eq!(e(&["-E", "q"]), "top: bad memory scaling arg 'q'");
        assert_eq!(e(&["-e", "e"]), "top: bad memory scaling arg 'e'");
        assert_eq!(
            p(&["-b", "-Z"]).unwrap(),
            Action::GetoptError {
                msg: "top: invalid option -- 'Z'".into(),
                batch: true
            }
        );
        assert_eq!(
            p(&["--bogus"]).unwrap(),
            Action::GetoptError {
                msg: "top: unrecognized option '--bogus'".into(),
                batch: false
            }
        );
    }
}
