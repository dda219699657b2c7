//! Beyond ps and top: sockets with their owners ([`ports`]), open descriptors ([`files`]), one
//! process in full ([`process`]), per-process memory ([`memory`]) and CPU time with sampled
//! %CPU ([`cpu`]), as data for `gopsi ports`, `files`, `inspect` and embedders. Reads /proc
//! only through [`ProcFs`](crate::proc::ProcFs); never formats for a screen and never changes
//! anything it inspects.

pub mod cpu;
pub mod files;
pub mod memory;
pub mod ports;
pub mod process;
