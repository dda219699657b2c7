//! One process as an embedder sees it: typed accessors (ids, names, state as an enum, start
//! time as `SystemTime`, CPU time as `Duration`, sizes in bytes) over what a [`Listing`] read,
//! text that is safe to print, and on-demand reads of its open files, ports, cwd and
//! executable. Reads /proc only in the on-demand methods.
//!
//! [`Listing`]: crate::Listing

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::error::Error;
use crate::items::{Item, Value};
use crate::listing::Shared;
use crate::proc;

/// A process's scheduling state (the state letter of `/proc/PID/stat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum State {
    /// `R`: running or runnable.
    Running,
    /// `S`: interruptible sleep.
    Sleeping,
    /// `D`: uninterruptible sleep (usually I/O).
    DiskSleep,
    /// `Z`: exited, not yet reaped by its parent.
    Zombie,
    /// `T`: stopped by a signal.
    Stopped,
    /// `t`: stopped by a debugger.
    TracingStop,
    /// `X`: dead.
    Dead,
    /// `I`: an idle kernel thread.
    Idle,
    /// A letter this version does not know.
    Other(char),
}

impl State {
    /// The state of a stat state letter.
    pub fn from_letter(c: u8) -> State {
        match c {
            b'R' => State::Running,
            b'S' => State::Sleeping,
            b'D' => State::DiskSleep,
            b'Z' => State::Zombie,
            b'T' => State::Stopped,
            b't' => State::TracingStop,
            b'X' | b'x' => State::Dead,
            b'I' => State::Idle,
            c => State::Other(c as char),
        }
    }

    /// The letter ps and top print.
    pub fn letter(self) -> char {
        match self {
            State::Running => 'R',
            State::Sleeping => 'S',
            State::DiskSleep => 'D',
            State::Zombie => 'Z',
            State::Stopped => 'T',
            State::TracingStop => 't',
            State::Dead => 'X',
            State::Idle => 'I',
            State::Other(c) => c,
        }
    }
}

/// Bytes from a process (a name, a command line) that are safe to print: `Display` replaces
/// control characters (C0, C1, DEL), bidirectional overrides and invalid UTF-8 with `?`, so
/// nothing a process chose reaches a terminal raw. [`Text::as_bytes`] gives the bytes as the
/// kernel had them.
///
/// ```
/// use gopsi::Text;
/// let t = Text::new(b"evil\x1b]52;c;aGk=\x07\xe2\x80\xae");
/// assert_eq!(t.to_string(), "evil?]52;c;aGk=??");
/// assert_eq!(t.as_bytes().len(), 19);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<'a>(&'a [u8]);

impl<'a> Text<'a> {
    /// Wraps raw bytes.
    pub fn new(bytes: &'a [u8]) -> Text<'a> {
        Text(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::safe(self.0))
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.0))
    }
}

/// One process of a [`Listing`](crate::Listing).
#[derive(Clone)]
pub struct Process {
    pub(crate) raw: proc::Process,
    pub(crate) user: Option<Arc<str>>,
    pub(crate) tty: Option<Arc<str>>,
    /// %CPU over the interval since the previous reading ([`Listing::refresh`]).
    ///
    /// [`Listing::refresh`]: crate::Listing::refresh
    pub(crate) recent_cpu: Option<f64>,
    pub(crate) shared: Arc<Shared>,
}

impl fmt::Debug for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid())
            .field("command", &self.command())
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl Process {
    /// Process id.
    pub fn pid(&self) -> i32 {
        self.raw.pid
    }

    /// Parent process id.
    pub fn ppid(&self) -> i32 {
        self.raw.stat.ppid
    }

    /// Effective user id.
    pub fn uid(&self) -> u32 {
        crate::items::values::uid(&self.raw, 1)
    }

    /// Effective user name, looked up once per uid; `None` when the uid has no name.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Command name (`comm`: the executable's name, up to 15 bytes).
    pub fn command(&self) -> Text<'_> {
        Text(&self.raw.stat.comm)
    }

    /// The raw bytes of the command name.
    pub fn command_bytes(&self) -> &[u8] {
        &self.raw.stat.comm
    }

    /// Command line, arguments joined by spaces; `None` for kernel threads and zombies (and
    /// when the listing did not read command lines).
    pub fn args(&self) -> Option<Text<'_>> {
        self.raw.cmdline.as_deref().map(Text)
    }

    /// Scheduling state.
    pub fn state(&self) -> State {
        State::from_letter(self.raw.stat.state)
    }

    /// When the process started.
    pub fn start_time(&self) -> SystemTime {
        let hz = self.shared.hz();
        let ticks = self.raw.stat.starttime;
        let boot = SystemTime::UNIX_EPOCH + Duration::from_secs(self.shared.btime());
        boot + Duration::from_secs(ticks / hz)
            + Duration::from_nanos(ticks % hz * 1_000_000_000 / hz)
    }

    /// CPU time used, user plus system.
    pub fn cpu_time(&self) -> Duration {
        let hz = self.shared.hz();
        let t = self.raw.stat.utime + self.raw.stat.stime;
        Duration::from_secs(t / hz) + Duration::from_nanos(t % hz * 1_000_000_000 / hz)
    }

    /// CPU use over the process's life, per cent of one CPU (ps's `%CPU`).
    pub fn cpu_percent(&self) -> f64 {
        self.value(Item::Utilization).as_f64().unwrap_or(0.0)
    }

    /// CPU use between the two readings of [`Listing::sample`] or [`Listing::refresh`], per
    /// cent of one CPU (top's `%CPU`); `None` for a single reading or a process new in the
    /// second.
    ///
    /// [`Listing::sample`]: crate::Listing::sample
    /// [`Listing::refresh`]: crate::Listing::refresh
    pub fn cpu_percent_recent(&self) -> Option<f64> {
        self.recent_cpu
    }

    /// Resident set size in bytes (`VmRSS`; 0 when status was not read or for kernel
    /// threads).
    pub fn rss_bytes(&self) -> u64 {
        crate::items::values::vm(&self.raw, |s| s.vm_rss) * 1024
    }

    /// Virtual memory size in bytes (`VmSize`).
    pub fn vsz_bytes(&self) -> u64 {
        crate::items::values::vm(&self.raw, |s| s.vm_size) * 1024
    }

    /// Number of threads.
    pub fn threads(&self) -> usize {
        self.raw.stat.num_threads.max(0) as usize
    }

    /// Controlling terminal name (`pts/0`, `tty1`), `None` without one.
    pub fn tty(&self) -> Option<&str> {
        self.tty.as_deref()
    }

    /// Nice value (-20 to 19).
    pub fn nice(&self) -> i32 {
        self.raw.stat.nice as i32
    }

    /// Kernel priority (stat field 18; what top's `PR` shows).
    pub fn priority(&self) -> i32 {
        self.raw.stat.priority as i32
    }

    /// Any item of the registry (see [`crate::items`]); items whose files the listing did not
    /// read have their empty value (0 or empty text).
    pub fn value(&self, item: Item) -> Value {
        self.shared.value(item, &self.raw)
    }

    /// Open file descriptors, read now (`Error::PermissionDenied` for another user's process
    /// without privileges).
    pub fn open_files(&self) -> Result<Vec<crate::inspect::files::FileEntry>, Error> {
        crate::inspect::files::list(self.shared.fs(), self.pid())
    }

    /// Listening TCP and UDP sockets this process holds, read now.
    pub fn listening_ports(&self) -> Result<Vec<crate::inspect::ports::Port>, Error> {
        let filter = crate::inspect::ports::PortFilter {
            pids: vec![self.pid()],
            ..Default::default()
        };
        let list = crate::inspect::ports::list(self.shared.fs(), &filter)?;
        if list.denied.contains(&self.pid()) {
            return Err(Error::PermissionDenied(
                self.shared.fs().root().join(format!("{}/fd", self.pid())),
            ));
        }
        Ok(list.ports)
    }

    /// Current working directory, read now.
    pub fn cwd(&self) -> Result<PathBuf, Error> {
        self.link("cwd")
    }

    /// Path of the executable, read now.
    pub fn exe(&self) -> Result<PathBuf, Error> {
        self.link("exe")
    }

    fn link(&self, name: &str) -> Result<PathBuf, Error> {
        let path = self
            .shared
            .fs()
            .root()
            .join(format!("{}/{name}", self.pid()));
        std::fs::read_link(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => Error::PermissionDenied(path),
            std::io::ErrorKind::NotFound => Error::Vanished(self.pid()),
            _ => Error::Io { path, source: e },
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Process {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Process", 17)?;
        m.serialize_field("pid", &self.pid())?;
        m.serialize_field("ppid", &self.ppid())?;
        m.serialize_field("uid", &self.uid())?;
        m.serialize_field("user", &self.user())?;
        m.serialize_field("command", &self.command().to_string())?;
        // A name that is not valid UTF-8 also as its bytes (crate::json).
        if let Some(b) = crate::json::raw_bytes(self.command_bytes()) {
            m.serialize_field("command_bytes", &b)?;
        }
        m.serialize_field("args", &self.args().map(|a| a.to_string()))?;
        if let Some(b) = self
            .args()
            .and_then(|a| crate::json::raw_bytes(a.as_bytes()))
        {
            m.serialize_field("args_bytes", &b)?;
        }
        m.serialize_field("state", &self.state())?;
        let start = self
            .start_time()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        m.serialize_field("start_time_s", &start)?;
        m.serialize_field("cpu_time_s", &self.cpu_time().as_secs_f64())?;
        m.serialize_field("cpu_percent", &self.cpu_percent())?;
        m.serialize_field("cpu_percent_recent", &self.cpu_percent_recent())?;
        m.serialize_field("rss_bytes", &self.rss_bytes())?;
        m.serialize_field("vsz_bytes", &self.vsz_bytes())?;
        m.serialize_field("threads", &self.threads())?;
        m.serialize_field("tty", &self.tty())?;
        m.serialize_field("nice", &self.nice())?;
        m.serialize_field("priority", &self.priority())?;
        m.end()
    }
}
