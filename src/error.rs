//! gopsi's one error type: why reading a process or the host failed, or why a request (a sort
//! key, a format) was refused. Never prints anything.

use std::io;
use std::path::PathBuf;

/// Why a read under /proc failed, or why a request was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The process (or thread) exited before or while it was read: the normal case, skip it.
    #[error("process {0} vanished")]
    Vanished(i32),
    /// The file exists but this user may not read it (another user's `fd/`, `environ`, ...).
    #[error("{}: permission denied", .0.display())]
    PermissionDenied(PathBuf),
    /// The file was read but its contents did not parse.
    #[error("{}: unexpected contents ({})", .0.display(), .1)]
    Parse(PathBuf, String),
    /// Any other I/O error, with the path it happened on.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The file holds more than gopsi reads of it (a bound fitting the file: `/dev/zero` or
    /// a huge file put in a fixture tree).
    #[error("{}: larger than {limit} bytes, not read", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The bound, bytes.
        limit: usize,
    },
    /// A sort key or format the caller gave is not valid (procps's message).
    #[error("{0}")]
    Usage(String),
    /// A format or sort names values the listing was collected without.
    #[error("not collected: {0} (name it in Options::items)")]
    NotCollected(String),
}
