//! gopsi: a process inspector for Linux. The library reads /proc ([`proc`]), declares every
//! output column once ([`columns`]), and lays rows out exactly as procps-ng 4.0.2 does
//! ([`mod@format`], [`ps`]). The `gopsi` binary is a thin shell over it.
//!
//! ```no_run
//! use gopsi::proc::{Needs, ProcFs};
//!
//! let fs = ProcFs::default();
//! for p in fs.processes(Needs::STATUS).unwrap() {
//!     let rss = p.status.as_ref().and_then(|s| s.vm_rss).unwrap_or(0);
//!     println!("{} {} {} kB", p.pid, String::from_utf8_lossy(&p.stat.comm), rss);
//! }
//! ```

pub mod cli;
pub mod columns;
pub mod format;
pub mod inspect;
pub mod proc;
pub mod ps;
pub mod sys;
pub mod text;
pub mod top;
