//! Every process at once, as a library value: [`Listing::collect`] reads /proc once (only the
//! files the wanted items need), and the listing prints exactly like `ps aux`, sorts with
//! `ps --sort` keys, and formats any `ps -o` specification, through the same column table and
//! layout as `gopsi ps`. Formatting never reads /proc: names and terminals are resolved while
//! collecting.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::Error;
use crate::format::layout::UNLIMITED_COLS;
use crate::items::{Item, Value};
use crate::proc::{self, Needs, ProcFs};
use crate::process::Process;
use crate::ps;
use crate::snapshot::Ctx;
use crate::text::Charset;

/// What [`Listing::collect_with`] reads.
///
/// ```no_run
/// use gopsi::{Listing, Options, items::Item};
/// // Only stat and status are read: pid, rss and the command name need nothing else.
/// let l = Listing::collect_with(&Options::new().items(&[Item::Pid, Item::VmRss, Item::Comm]))?;
/// print!("{}", l.format("pid,rss,comm")?);
/// # Ok::<(), gopsi::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    proc_root: PathBuf,
    needs: Option<Needs>,
}

impl Default for Options {
    fn default() -> Options {
        Options::new()
    }
}

impl Options {
    /// `/proc`, with the items `ps aux` shows.
    pub fn new() -> Options {
        Options {
            proc_root: PathBuf::from("/proc"),
            needs: None,
        }
    }

    /// Reads processes below `root` instead of `/proc` (a container's, a fixture tree).
    pub fn proc_root(mut self, root: impl Into<PathBuf>) -> Options {
        self.proc_root = root.into();
        self
    }

    /// Reads only what these items need (a process's `stat` is always read).
    pub fn items(mut self, items: &[Item]) -> Options {
        let mut n = Needs::STAT;
        for i in items {
            n |= i.needs();
        }
        self.needs = Some(n);
        self
    }
}

/// What every process of a listing shares: the reader and the host values of the reading.
pub(crate) struct Shared {
    fs: ProcFs,
    /// The collection's context (host values, name caches), locked for formatting.
    cx: Mutex<Ctx>,
    hz: u64,
    btime: u64,
}

impl Shared {
    pub(crate) fn fs(&self) -> &ProcFs {
        &self.fs
    }
    pub(crate) fn hz(&self) -> u64 {
        self.hz
    }
    pub(crate) fn btime(&self) -> u64 {
        self.btime
    }
    pub(crate) fn value(&self, item: Item, p: &proc::Process) -> Value {
        let cx = self.cx.lock().unwrap_or_else(|e| e.into_inner());
        item.value(p, &cx)
    }
}

/// Every process, read at one moment.
///
/// ```
/// let mut l = gopsi::Listing::collect()?;
/// assert!(l.len() > 0);
/// l.sort_by("-rss,pid")?;
/// let biggest = l.iter().next().expect("a process");
/// println!("{} uses {} bytes", biggest.command(), biggest.rss_bytes());
/// # Ok::<(), gopsi::Error>(())
/// ```
pub struct Listing {
    procs: Vec<Process>,
    shared: Arc<Shared>,
    needs: Needs,
    /// Uptime of the reading, seconds (for %CPU between two readings).
    up: f64,
}

impl fmt::Debug for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("len", &self.procs.len())
            .finish_non_exhaustive()
    }
}

/// The options of a ps command line (`aux`, `-e -o pid`), parsed as `gopsi ps` parses them
/// for output to a pipe.
fn ps_options(args: &[&str]) -> Result<ps::Options, Error> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env = ps::argv::Env {
        screen_cols: UNLIMITED_COLS,
        screen_rows: 24,
        tty: 0,
        ps_format: None,
    };
    match ps::argv::parse(&args, env) {
        Ok(ps::argv::Action::List(o)) => Ok(*o),
        Ok(_) => Err(Error::Usage(format!("not a listing: {}", args.join(" ")))),
        Err(e) => Err(Error::Usage(e.0)),
    }
}

impl Listing {
    /// Every process in `/proc`, with the items `ps aux` shows.
    pub fn collect() -> Result<Listing, Error> {
        Listing::collect_with(&Options::new())
    }

    /// Every process, as `options` say.
    pub fn collect_with(options: &Options) -> Result<Listing, Error> {
        let needs = match options.needs {
            Some(n) => n,
            None => ps::needs(&ps_options(&["aux"])?),
        };
        let fs = ProcFs::new(&options.proc_root);
        let cx = Ctx::new(&fs, Charset::from_locale());
        let up = cx.uptime;
        let (hz, btime) = (cx.hz, cx.btime);
        let raw = fs.read_many(&fs.pids()?, needs);
        // Names and terminals are resolved now, once per uid and terminal, so that formatting
        // never reads /proc.
        let mut users: HashMap<u32, Option<Arc<str>>> = HashMap::new();
        let mut ttys: HashMap<i32, Option<Arc<str>>> = HashMap::new();
        let mut out = Vec::with_capacity(raw.len());
        let shared = Arc::new(Shared {
            fs,
            cx: Mutex::new(cx),
            hz,
            btime,
        });
        {
            let cx = shared.cx.lock().unwrap_or_else(|e| e.into_inner());
            for p in raw {
                let uid = crate::items::values::uid(&p, 1);
                let user = users
                    .entry(uid)
                    .or_insert_with(|| cx.user_name(uid).map(Arc::from))
                    .clone();
                let tty = if p.stat.tty_nr == 0 {
                    None
                } else {
                    ttys.entry(p.stat.tty_nr)
                        .or_insert_with(|| cx.tty_name(&p).map(Arc::from))
                        .clone()
                };
                out.push(Process {
                    raw: p,
                    user,
                    tty,
                    recent_cpu: None,
                    shared: Arc::clone(&shared),
                });
            }
        }
        Ok(Listing {
            procs: out,
            shared,
            needs,
            up,
        })
    }

    /// Reads twice, `interval` apart: every process then has its %CPU over the interval
    /// ([`Process::cpu_percent_recent`]), as top shows it. Blocks for `interval`.
    pub fn sample(interval: Duration) -> Result<Listing, Error> {
        let mut l = Listing::collect()?;
        std::thread::sleep(interval);
        l.refresh()?;
        Ok(l)
    }

    /// Reads every process again (with the same items); a process seen in the previous reading
    /// gets its %CPU over the time between the two ([`Process::cpu_percent_recent`]).
    pub fn refresh(&mut self) -> Result<(), Error> {
        let opts = Options {
            proc_root: self.shared.fs.root().to_path_buf(),
            needs: Some(self.needs),
        };
        let mut next = Listing::collect_with(&opts)?;
        let before: HashMap<(i32, u64), u64> = self
            .procs
            .iter()
            .map(|p| {
                let s = &p.raw.stat;
                ((p.pid(), s.starttime), s.utime + s.stime)
            })
            .collect();
        let secs = (next.up - self.up).max(0.01);
        let hz = self.shared.hz as f64;
        for p in &mut next.procs {
            let s = &p.raw.stat;
            if let Some(&old) = before.get(&(p.pid(), s.starttime)) {
                let ticks = (s.utime + s.stime).saturating_sub(old) as f64;
                p.recent_cpu = Some(ticks * 100.0 / (hz * secs));
            }
        }
        *self = next;
        Ok(())
    }

    /// How many processes.
    pub fn len(&self) -> usize {
        self.procs.len()
    }

    /// Whether no process was read (an empty proc root).
    pub fn is_empty(&self) -> bool {
        self.procs.is_empty()
    }

    /// The processes, in pid order or as last sorted.
    pub fn iter(&self) -> std::slice::Iter<'_, Process> {
        self.procs.iter()
    }

    /// Sorts with `ps --sort` keys (`"-rss,pid"`: `-` descending, `+` or nothing ascending;
    /// every specifier ps sorts by), stably, ties in the order they were in, as procps does.
    pub fn sort_by(&mut self, keys: &str) -> Result<(), Error> {
        let opts = ps_options(&["-e", "--sort", keys, "-o", "pid"])?;
        let need = opts.sort.iter().fold(Needs::STAT, |n, k| n | k.col.needs);
        self.check(need, keys)?;
        let order = {
            let cx = self.shared.cx.lock().unwrap_or_else(|e| e.into_inner());
            ps::sort_order(self.procs.iter().map(|p| &p.raw), &opts.sort, &cx)
        };
        let mut taken: Vec<Option<Process>> = self.procs.drain(..).map(Some).collect();
        self.procs = order.into_iter().filter_map(|i| taken[i].take()).collect();
        Ok(())
    }

    /// Sorts with a key of the caller's (stable).
    pub fn sort_by_key<K: Ord>(&mut self, f: impl FnMut(&Process) -> K) {
        self.procs.sort_by_key(f);
    }

    /// Keeps the processes `f` accepts.
    pub fn retain(&mut self, f: impl FnMut(&Process) -> bool) {
        self.procs.retain(f);
    }

    /// The listing in any `ps -o` format (`"pid,user:12,%cpu,comm"`): exactly what
    /// `gopsi ps -e -o SPEC` prints to a pipe (after [`Listing::sort_by`], what it prints with
    /// `--sort`). An unknown specifier is procps's error; a specifier whose files this listing
    /// did not read is [`Error::NotCollected`].
    pub fn format(&self, spec: &str) -> Result<impl fmt::Display + '_, Error> {
        let opts = ps_options(&["-e", "-o", spec])?;
        self.check(ps::needs(&opts), spec)?;
        Ok(Formatted {
            listing: self,
            opts,
        })
    }

    fn check(&self, need: Needs, what: &str) -> Result<(), Error> {
        // `status` holds the effective uid that `ps` otherwise takes from the directory owner.
        let need = if self.needs.contains(Needs::STATUS) {
            need.without(Needs::OWNER)
        } else {
            need
        };
        if self.needs.contains(need) {
            Ok(())
        } else {
            Err(Error::NotCollected(what.to_string()))
        }
    }

    fn render(&self, opts: &ps::Options, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<&proc::Process> = self.procs.iter().map(|p| &p.raw).collect();
        let mut cx = self.shared.cx.lock().unwrap_or_else(|e| e.into_inner());
        cx.flags = opts.flags.clone();
        // A missing host value (procfs `subset=pid`) stops the text where procps's ps stops.
        f.write_str(&ps::render(opts, &mut cx, &rows, &[], &[]).0)
    }
}

impl<'a> IntoIterator for &'a Listing {
    type Item = &'a Process;
    type IntoIter = std::slice::Iter<'a, Process>;
    fn into_iter(self) -> Self::IntoIter {
        self.procs.iter()
    }
}

/// `ps aux`, exactly as `gopsi ps aux` prints it to a pipe.
impl fmt::Display for Listing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match ps_options(&["aux"]) {
            Ok(opts) => self.render(&opts, f),
            Err(_) => Err(fmt::Error),
        }
    }
}

/// A listing in a chosen format ([`Listing::format`]).
struct Formatted<'a> {
    listing: &'a Listing,
    opts: ps::Options,
}

impl fmt::Display for Formatted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.listing.render(&self.opts, f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Listing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.procs.iter())
    }
}

#[cfg(test)]
mod tests {
    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn library_values_are_send_and_sync() {
        send_sync::<super::Listing>();
        send_sync::<crate::Process>();
        send_sync::<crate::Host>();
        send_sync::<crate::HostSample>();
    }
}
