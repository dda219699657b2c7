//! gopsi: a process inspector for Linux, as a library and the `gopsi` binary.
//!
//! ```
//! use gopsi::inspect::{cpu::CpuSampler, files, memory, ports};
//! use gopsi::proc::{Needs, ProcFs};
//!
//! let fs = ProcFs::default(); // or ProcFs::new("/some/fixture/tree")
//! let me = std::process::id() as i32;
//!
//! // Every process, reading per process only the files asked for (stat, and status here).
//! let procs = fs.processes(Needs::STATUS)?;
//! let p = procs.iter().find(|p| p.pid == me).expect("this process is listed");
//! println!("{} {}", p.pid, String::from_utf8_lossy(&p.stat.comm));
//!
//! // Memory in KiB, open descriptors, and %CPU sampled between two readings.
//! let m = memory::memory(&fs, me)?;
//! assert!(m.rss_kib > 0 && m.vsz_kib >= m.rss_kib);
//! let open = files::list(&fs, me)?;
//! assert!(open.iter().all(|f| f.pid == me && f.fd >= 0));
//! let mut cpu = CpuSampler::new(&fs, &[me]);
//! let pct = cpu.read(); // waits ~100 ms after `new`, then measures
//! assert!(pct.contains_key(&me));
//!
//! // Listening sockets and their owners, like `ss -tulpn`.
//! for s in ports::list(&fs, &ports::PortFilter::default())?.ports {
//!     println!("{} {} {} {:?}", s.proto, s.local_text(), s.state, s.pid);
//! }
//! # Ok::<(), gopsi::proc::ProcError>(())
//! ```
//!
//! The library reads /proc through one reader ([`proc::ProcFs`], rooted at any directory so
//! fixture trees work), declares every output column once ([`columns`]), and lays rows out
//! exactly as procps-ng 4.0.2 does ([`format`](mod@format), [`ps`]). [`inspect`] holds what goes beyond
//! ps and top: sockets with their owners, open files, one process in full, and the embedder
//! API for memory, CPU and host metrics. The `gopsi` binary is a thin shell over it
//! ([`cli`]). Library errors are typed ([`proc::ProcError`]).

pub mod columns;
pub mod error;
pub mod format;
pub mod host;
pub mod inspect;
pub mod items;
pub mod num;
pub mod proc;
pub mod ps;
pub mod snapshot;
pub mod sys;
pub mod text;
pub mod top;
