//! A Prometheus/OpenMetrics exporter over the process reader: `gopsi serve` (HTTP) and
//! `gopsi metrics` (one exposition). Never writes to a terminal and never exports command
//! lines or environments unless a configuration's name template prints them.
//!
//! ```no_run
//! use std::sync::Arc;
//! use gopsi::proc::ProcFs;
//! use gopsi::serve::{Collector, Format, Grouping, Naming, Options, encode};
//!
//! let c = Collector::new(ProcFs::default(), Options { grouping: Grouping::User, ..Options::default() });
//! let text = encode(Arc::new(c.collect()), Naming::Gopsi, Format::OpenMetrics);
//! assert!(text.ends_with("# EOF\n"));
//! ```
//!
//! Layers: [`collect`] reads /proc (through [`crate::proc::ProcFs`] only) into a [`Sample`]
//! of groups, with [`values`] the one place that turns a read process into numbers;
//! [`config`] is process-exporter's YAML configuration; [`expose`] names and encodes a
//! sample; [`http`] serves it. The command lines of `gopsi serve` and `gopsi metrics` are
//! the binary's (`src/bin/gopsi/serve.rs`).

pub mod collect;
pub mod config;
pub mod expose;
pub mod http;
pub mod values;

pub use collect::{Collector, Grouping, Options, Sample, TopBy};
pub use config::{Config, ConfigError, ConfigFileError};
pub use expose::{Format, Naming, encode};
pub use http::{ServeError, ServeOptions, serve};
