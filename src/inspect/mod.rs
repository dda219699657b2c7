//! Beyond ps and top: sockets with their owners ([`ports`]), open descriptors ([`files`]), one
//! process in full ([`process`]), and the embedder API under them: per-process memory
//! ([`memory`]), CPU time and sampled %CPU ([`cpu`]) and host metrics ([`host`]). The commands
//! print a `comfy-table` layout on a terminal, plain aligned text when piped, or JSON. Reads
//! /proc only through [`ProcFs`]; never changes anything it inspects.

pub mod cpu;
pub mod files;
pub mod host;
pub mod memory;
pub mod ports;
pub mod process;
