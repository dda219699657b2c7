//! gopsi: process inspection for Linux, as a library, with procps-ng's `ps` and `top` output
//! byte for byte.
//!
//! ```
//! // `ps aux`, exactly as `gopsi ps aux` prints it to a pipe.
//! print!("{}", gopsi::Listing::collect()?);
//! # Ok::<(), gopsi::Error>(())
//! ```
//!
//! A [`Listing`] is every process read at one moment, reading only the /proc files the wanted
//! items need ([`Options::items`]). It sorts with `ps --sort` keys and prints any `ps -o`
//! format through the same column table and layout as `gopsi ps`; each [`Process`] has typed
//! accessors (sizes in bytes, [`std::time::SystemTime`], [`std::time::Duration`], a [`State`]
//! enum) and text that is safe to print ([`Text`]):
//!
//! ```
//! use gopsi::{Listing, State};
//!
//! let mut list = Listing::collect()?;
//! list.sort_by("-rss,pid")?;
//! print!("{}", list.format("pid,user:12,%mem,rss,comm")?);
//! for p in list.iter().filter(|p| p.state() == State::Zombie) {
//!     println!("zombie {} ({}), parent {}", p.pid(), p.command(), p.ppid());
//! }
//! let me = list.iter().find(|p| p.pid() == std::process::id() as i32).expect("listed");
//! assert!(me.rss_bytes() > 0 && me.start_time() <= std::time::SystemTime::now());
//! # Ok::<(), gopsi::Error>(())
//! ```
//!
//! [`Host`] holds what top's summary shows (uptime, users, load, tasks by state, memory and
//! swap in bytes); [`Host::sample`] adds the CPU breakdown over an interval, and its `Display`
//! prints top's five summary lines. [`Listing::sample`] and [`Listing::refresh`] give each
//! process its %CPU over an interval, as top shows it, from the first reading on.
//!
//! Every value is declared once in the item registry ([`items`]): ps columns, top fields, sort
//! keys, JSON keys and [`Process::value`] draw from it. Beneath it, [`proc`] is the one /proc
//! reader, rooted anywhere ([`Options::proc_root`]) so containers and fixture trees work;
//! [`inspect`] has open files and sockets with their owners; [`ps`] and [`top`] are the two
//! procps programs as libraries, which the `gopsi` binary (the `cli` feature) puts on a
//! terminal. Errors are one type, [`Error`]. The library sets no locale, installs no signal
//! handler and changes no environment; without default features it needs no command-line or
//! terminal crate (`serde` adds `Serialize` to the types above). With the `serve` feature,
//! `serve` exports the host and groups of processes to Prometheus (`gopsi serve`).

#![deny(missing_docs)]

pub mod columns;
pub mod error;
pub mod format;
pub mod host;
pub mod inspect;
pub mod items;
pub mod json;
mod listing;
mod num;
pub mod proc;
mod process;
pub mod ps;
#[cfg(feature = "serve")]
pub mod serve;
mod snapshot;
mod sys;
pub mod text;
pub mod top;

pub use error::Error;
pub use host::{CpuPercent, Host, HostOptions, HostSample, Memory, Swap, Tasks};
pub use listing::{Listing, Options};
pub use process::{Process, State, Text};
