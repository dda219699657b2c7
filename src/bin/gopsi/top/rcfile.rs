//! Finds, reads and writes top's configuration files where procps-ng 4.0.2's top does:
//! `/etc/toprc` (secure mode), the legacy `~/.toprc`, else
//! `${XDG_CONFIG_HOME:-~/.config}/procps/toprc` (creating the two directories, as procps),
//! else `/etc/topdefaultrc`. Parsing and formatting are the library's (`gopsi::top::toprc`);
//! this module only does the file I/O, each read bounded.

use std::io::Read;
use std::path::PathBuf;

use gopsi::top::toprc::{self, Toprc};
use uzers::os::unix::UserExt;

/// procps's `SYS_RCRESTRICT`.
const SYS_RCRESTRICT: &str = "/etc/toprc";
/// procps's `SYS_RCDEFAULTS`.
const SYS_RCDEFAULTS: &str = "/etc/topdefaultrc";
/// No toprc is this large; more is not read.
const MAX_RC: u64 = 1 << 20;

/// What the configuration files say.
pub struct Loaded {
    /// The settings (procps's defaults where no file was read).
    pub rc: Toprc,
    /// Where `W` writes (procps's `Rc_name`; empty when no home was found).
    pub path: PathBuf,
    /// `/etc/toprc` exists and we are not root.
    pub secure: bool,
    /// A file was read (its inspect entries, or procps's demo entries, serve `Y`).
    pub read: bool,
}

/// Opens and reads a file as `fopen` + stdio would: `None` when it cannot be opened; a file
/// that opens but cannot be read (a directory) reads as empty, which procps then refuses.
fn read(path: &str) -> Option<Vec<u8>> {
    if path.is_empty() {
        return None;
    }
    let f = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    let _ = f.take(MAX_RC).read_to_end(&mut buf);
    Some(buf)
}

fn mkdir(path: &str) {
    use std::os::unix::fs::DirBuilderExt;
    let _ = std::fs::DirBuilder::new().mode(0o700).create(path);
}

/// The home directory procps uses: `$HOME` when absolute, else the password entry's.
fn home() -> Option<String> {
    if let Ok(h) = std::env::var("HOME")
        && h.starts_with('/')
    {
        return Some(h);
    }
    let u = uzers::get_user_by_uid(uzers::get_current_uid())?;
    let d = u.home_dir().to_str()?.to_string();
    d.starts_with('/').then_some(d)
}

/// Reads the configuration as procps's `configs_reads`; `Err` is the message procps exits
/// with (status 1) for a file it refuses.
pub fn load() -> Result<Loaded, String> {
    let mut secure = false;
    let mut sys_delay = 3.0f32;
    if let Some(b) = read(SYS_RCRESTRICT) {
        let (on, d) = toprc::parse_secure(&b);
        secure = on;
        if let Some(d) = d {
            sys_delay = d;
        }
    }
    let home = home();
    let mut name = home
        .as_ref()
        .map_or_else(String::new, |h| format!("{h}/.toprc"));
    let mut file = read(&name);
    if file.is_none() {
        let base = match std::env::var("XDG_CONFIG_HOME") {
            Ok(x) if x.starts_with('/') => Some(x),
            _ => home.as_ref().map(|h| {
                let p = format!("{h}/.config");
                mkdir(&p);
                p
            }),
        };
        if let Some(b) = base {
            name = format!("{b}/procps");
            mkdir(&name);
            name = format!("{b}/procps/toprc");
            file = read(&name);
        }
    }
    let mut was_read = true;
    let mut rc = match file {
        Some(b) => toprc::parse(&b, &name).map_err(|e| e.to_string())?,
        None => match read(SYS_RCDEFAULTS) {
            Some(b) => toprc::parse(&b, SYS_RCDEFAULTS).map_err(|e| e.to_string())?,
            None => {
                was_read = false;
                Toprc::default()
            }
        },
    };
    if uzers::get_current_uid() == 0 {
        secure = false;
    }
    if secure {
        rc.delay = sys_delay;
    }
    Ok(Loaded {
        rc,
        path: PathBuf::from(name),
        secure,
        read: was_read,
    })
}

/// `W`: writes the file; the message procps shows either way.
pub fn write(path: &std::path::Path, text: &str) -> String {
    match std::fs::write(path, text) {
        Ok(()) => format!("Wrote configuration to '{}'", path.display()),
        Err(e) => {
            // C's strerror text (Rust's Display adds " (os error N)").
            let errno = nix::errno::Errno::from_raw(e.raw_os_error().unwrap_or(0));
            format!("Failed '{}' open: {}", path.display(), errno.desc())
        }
    }
}
