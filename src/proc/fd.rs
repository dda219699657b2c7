//! Reads open file descriptors through [`ProcFs`]: `/proc/PID/fd` links, `/proc/PID/fdinfo`
//! (position and flags), and the socket-inode map that joins `/proc/net` rows to their owners
//! (built once per run). Holds at most one directory open per worker at a time; never reads
//! the files the descriptors point to, and never formats anything for display.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::{ProcError, ProcFs, io_error};

/// What an open descriptor refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum FdKind {
    /// A regular file (also memfd and other anonymous regular files).
    File,
    /// A directory.
    Dir,
    /// A socket (`socket:[INODE]`).
    Socket,
    /// A pipe (`pipe:[INODE]`) or a named FIFO.
    Pipe,
    /// An anonymous inode: eventfd, epoll, timerfd, signalfd, inotify, pidfd, ...
    Anon,
    /// A character device.
    Char,
    /// A block device.
    Block,
    /// Anything else (a symlink opened with `O_PATH`, an unreadable target, ...).
    Other,
}

impl FdKind {
    /// The lowercase name used in output and JSON (`file`, `dir`, `socket`, ...).
    pub fn name(self) -> &'static str {
        match self {
            FdKind::File => "file",
            FdKind::Dir => "dir",
            FdKind::Socket => "socket",
            FdKind::Pipe => "pipe",
            FdKind::Anon => "anon",
            FdKind::Char => "char",
            FdKind::Block => "block",
            FdKind::Other => "other",
        }
    }
}

/// `/proc/PID/fdinfo/N`: the file position and open flags of a descriptor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FdInfo {
    /// File offset.
    pub pos: u64,
    /// `open(2)` flags (octal in the file), including `O_CLOEXEC` as the kernel reports it.
    pub flags: u32,
    /// Mount id of the file's mount (see `/proc/PID/mountinfo`).
    pub mnt_id: Option<u64>,
}

impl FdInfo {
    /// The access mode as lsof prints it: `r`, `w` or `u` (read and write).
    pub fn access(&self) -> &'static str {
        match self.flags & libc::O_ACCMODE as u32 {
            0 => "r",
            1 => "w",
            _ => "u",
        }
    }

    /// Names of the interesting flags that are set (`O_APPEND`, `O_NONBLOCK`, `O_CLOEXEC`, ...),
    /// after the access mode (`O_RDONLY`, `O_WRONLY`, `O_RDWR`).
    pub fn flag_names(&self) -> Vec<&'static str> {
        let mut out = vec![match self.flags & libc::O_ACCMODE as u32 {
            0 => "O_RDONLY",
            1 => "O_WRONLY",
            _ => "O_RDWR",
        }];
        let named: [(i32, &str); 9] = [
            (libc::O_APPEND, "O_APPEND"),
            (libc::O_NONBLOCK, "O_NONBLOCK"),
            (libc::O_SYNC, "O_SYNC"),
            (libc::O_DIRECT, "O_DIRECT"),
            (libc::O_DIRECTORY, "O_DIRECTORY"),
            (libc::O_NOFOLLOW, "O_NOFOLLOW"),
            (libc::O_NOATIME, "O_NOATIME"),
            (libc::O_CLOEXEC, "O_CLOEXEC"),
            (libc::O_PATH, "O_PATH"),
        ];
        for (bit, name) in named {
            let bit = bit as u32;
            // O_SYNC contains O_DSYNC's bit: require all of its bits.
            if self.flags & bit == bit {
                out.push(name);
            }
        }
        out
    }
}

/// Parses `/proc/PID/fdinfo/N` (`pos:`, `flags:` in octal, `mnt_id:`; other lines ignored).
pub fn parse_fdinfo(buf: &[u8]) -> Option<FdInfo> {
    let text = std::str::from_utf8(buf).ok()?;
    let mut info = FdInfo::default();
    let mut seen = false;
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k {
            "pos" => {
                info.pos = v.parse().ok()?;
                seen = true;
            }
            "flags" => info.flags = u32::from_str_radix(v, 8).ok()?,
            "mnt_id" => info.mnt_id = v.parse().ok(),
            _ => {}
        }
    }
    seen.then_some(info)
}

/// The inode in a `socket:[123]` or `pipe:[123]` link target.
pub fn bracket_inode(target: &[u8], prefix: &str) -> Option<u64> {
    let rest = target.strip_prefix(prefix.as_bytes())?;
    let digits = rest.strip_prefix(b"[")?.strip_suffix(b"]")?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Classifies a link target without `stat`: sockets, pipes and anonymous inodes are told by
/// their names; paths are `None` (the caller must `stat` them).
pub fn kind_of_target(target: &[u8]) -> Option<FdKind> {
    if target.starts_with(b"socket:[") {
        Some(FdKind::Socket)
    } else if target.starts_with(b"pipe:[") {
        Some(FdKind::Pipe)
    } else if target.starts_with(b"anon_inode:") {
        Some(FdKind::Anon)
    } else if target.starts_with(b"/") {
        None
    } else {
        Some(FdKind::Other)
    }
}

/// One open descriptor of a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFile {
    /// The descriptor number.
    pub fd: i32,
    /// What it refers to.
    pub kind: FdKind,
    /// The `/proc/PID/fd/N` link target, raw bytes (`/etc/passwd`, `socket:[123]`, ...).
    pub target: Vec<u8>,
    /// Whether the target is a file that has been unlinked (`(deleted)` and no links left).
    pub deleted: bool,
    /// The target's inode: the bracketed number for sockets and pipes, else from `stat`.
    pub inode: Option<u64>,
    /// Size in bytes of a regular file, from `stat`.
    pub size: Option<u64>,
    /// Position and flags from `fdinfo`, when readable (it vanishes with the descriptor).
    pub info: Option<FdInfo>,
}

/// Which processes own each socket inode: the one map a run builds to join `/proc/net` rows
/// to processes. Built by [`ProcFs::socket_owners`].
#[derive(Debug, Clone, Default)]
pub struct SocketOwners {
    /// Socket inode to its (pid, fd) holders, ascending pid then fd.
    pub by_inode: HashMap<u64, Vec<(i32, i32)>>,
    /// Processes whose `fd/` could not be read (permission denied): their sockets show no owner.
    pub denied: Vec<i32>,
}

impl SocketOwners {
    /// The holders of a socket inode (empty when none is known).
    pub fn owners(&self, inode: u64) -> &[(i32, i32)] {
        self.by_inode.get(&inode).map_or(&[], Vec::as_slice)
    }
}

impl ProcFs {
    /// Descriptor numbers open in a process, ascending.
    pub fn fd_numbers(&self, pid: i32) -> Result<Vec<i32>, ProcError> {
        let dir = self.root.join(format!("{pid}/fd"));
        let rd = std::fs::read_dir(&dir).map_err(|e| fd_dir_error(pid, dir.clone(), e))?;
        let mut out: Vec<i32> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                std::str::from_utf8(e.file_name().as_bytes())
                    .ok()?
                    .parse()
                    .ok()
            })
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// Every open descriptor of a process with its kind, target, deleted flag, inode, size and
    /// `fdinfo`. A descriptor closed while it is read is skipped. Permission denied on the
    /// directory or on its links (another user's process, or one that is not dumpable) is
    /// [`ProcError::PermissionDenied`].
    pub fn open_files(&self, pid: i32) -> Result<Vec<OpenFile>, ProcError> {
        let fds = self.fd_numbers(pid)?;
        let base = self.root.join(pid.to_string());
        let mut out = Vec::with_capacity(fds.len());
        let mut path = base.join("fd");
        let mut info_path = base.join("fdinfo");
        for fd in fds {
            let name = fd.to_string();
            path.push(&name);
            info_path.push(&name);
            let link = match std::fs::read_link(&path) {
                Ok(l) => l,
                // The directory may be listable while its links are not (ptrace access is
                // checked per link): the whole process is then unreadable.
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    return Err(ProcError::PermissionDenied(path));
                }
                Err(_) => {
                    path.pop();
                    info_path.pop();
                    continue;
                }
            };
            let meta = std::fs::metadata(&path);
            // The fields parsed come first; epoll and inotify append a line per watch.
            let info = self
                .read_prefix(&info_path, 4096)
                .ok()
                .and_then(|b| parse_fdinfo(&b));
            path.pop();
            info_path.pop();
            let target = link.into_os_string().into_vec();
            out.push(describe(fd, target, meta.ok(), info));
        }
        Ok(out)
    }

    /// Builds the socket-inode map of the given processes in one pass: each process's `fd/`
    /// is listed and its links read, split over up
    /// to four worker threads. Vanished processes are skipped; unreadable ones are listed in
    /// [`SocketOwners::denied`].
    pub fn socket_owners(&self, pids: &[i32]) -> SocketOwners {
        const PER_THREAD_MIN: usize = 128;
        let cores = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        let workers = cores.min(pids.len() / PER_THREAD_MIN).max(1);
        let scan = |chunk: &[i32]| {
            let mut found = Vec::new();
            let mut denied = Vec::new();
            for &pid in chunk {
                if let Err(ProcError::PermissionDenied(_)) =
                    self.socket_fds(pid, |fd, inode| found.push((inode, pid, fd)))
                {
                    denied.push(pid);
                }
            }
            (found, denied)
        };
        let parts = if workers == 1 {
            vec![scan(pids)]
        } else {
            let size = pids.len().div_ceil(workers);
            std::thread::scope(|s| {
                let handles: Vec<_> = pids
                    .chunks(size)
                    .map(|c| s.spawn(move || scan(c)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_default())
                    .collect()
            })
        };
        let mut owners = SocketOwners::default();
        for (found, denied) in parts {
            for (inode, pid, fd) in found {
                owners.by_inode.entry(inode).or_default().push((pid, fd));
            }
            owners.denied.extend(denied);
        }
        for v in owners.by_inode.values_mut() {
            v.sort_unstable();
        }
        owners.denied.sort_unstable();
        owners
    }

    /// Calls `each(fd, inode)` for every socket descriptor of one process.
    fn socket_fds(&self, pid: i32, mut each: impl FnMut(i32, u64)) -> Result<(), ProcError> {
        let mut path = self.root.join(format!("{pid}/fd"));
        let rd = std::fs::read_dir(&path).map_err(|e| fd_dir_error(pid, path.clone(), e))?;
        for e in rd.flatten() {
            let name = e.file_name();
            path.push(&name);
            let target = nix::fcntl::readlink(path.as_path());
            path.pop();
            let target = match target {
                Ok(t) => t,
                Err(nix::errno::Errno::EACCES) => {
                    return Err(ProcError::PermissionDenied(path));
                }
                Err(_) => continue,
            };
            if let Some(inode) = bracket_inode(target.as_bytes(), "socket:") {
                let Some(fd) = parse_fd_name(&name) else {
                    continue;
                };
                each(fd, inode);
            }
        }
        Ok(())
    }
}

fn parse_fd_name(name: &OsStr) -> Option<i32> {
    std::str::from_utf8(name.as_bytes()).ok()?.parse().ok()
}

fn fd_dir_error(pid: i32, path: std::path::PathBuf, e: io::Error) -> ProcError {
    match e.raw_os_error() {
        Some(libc::ENOENT) | Some(libc::ESRCH) => ProcError::Vanished(pid),
        _ => io_error(path, e),
    }
}

/// Builds an [`OpenFile`] from what was read: the link target, `stat` of the target (through
/// the link) when it succeeded, and `fdinfo`.
pub fn describe(
    fd: i32,
    target: Vec<u8>,
    meta: Option<std::fs::Metadata>,
    info: Option<FdInfo>,
) -> OpenFile {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let named = kind_of_target(&target);
    let kind = named.unwrap_or_else(|| match &meta {
        Some(m) => {
            let t = m.file_type();
            if t.is_dir() {
                FdKind::Dir
            } else if t.is_file() {
                FdKind::File
            } else if t.is_char_device() {
                FdKind::Char
            } else if t.is_block_device() {
                FdKind::Block
            } else if t.is_fifo() {
                FdKind::Pipe
            } else if t.is_socket() {
                FdKind::Socket
            } else {
                FdKind::Other
            }
        }
        None => FdKind::Other,
    });
    let inode = bracket_inode(&target, "socket:")
        .or_else(|| bracket_inode(&target, "pipe:"))
        .or_else(|| meta.as_ref().map(|m| m.ino()));
    let deleted = named.is_none()
        && target.ends_with(b" (deleted)")
        && meta.as_ref().is_none_or(|m| m.nlink() == 0);
    let size = meta.as_ref().filter(|m| m.is_file()).map(|m| m.len());
    OpenFile {
        fd,
        kind,
        target,
        deleted,
        inode,
        size,
        info,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fdinfo_regular_and_socket() {
        let i = parse_fdinfo(b"pos:\t4096\nflags:\t0102002\nmnt_id:\t24\nino:\t3\n").unwrap();
        assert_eq!(i.pos, 4096);
        assert_eq!(i.flags, 0o102002);
        assert_eq!(i.mnt_id, Some(24));
        assert_eq!(i.access(), "u");
        let names = i.flag_names();
        assert_eq!(names[0], "O_RDWR");
        assert!(names.contains(&"O_APPEND"));
        let e = parse_fdinfo(b"pos:\t0\nflags:\t02004000\nmnt_id:\t15\nino:\t1057\neventfd-count:                0\neventfd-id: 3\n").unwrap();
        assert_eq!(e.access(), "r");
        assert!(e.flag_names().contains(&"O_NONBLOCK"));
        assert!(e.flag_names().contains(&"O_CLOEXEC"));
        assert!(!e.flag_names().contains(&"O_SYNC"));
        assert_eq!(parse_fdinfo(b""), None);
        assert_eq!(parse_fdinfo(b"pos:\tx\n"), None);
    }

    #[test]
    fn targets() {
        assert_eq!(bracket_inode(b"socket:[76973]", "socket:"), Some(76973));
        assert_eq!(bracket_inode(b"pipe:[5]", "pipe:"), Some(5));
        assert_eq!(bracket_inode(b"pipe:[5]", "socket:"), None);
        assert_eq!(bracket_inode(b"socket:[x]", "socket:"), None);
        assert_eq!(kind_of_target(b"socket:[1]"), Some(FdKind::Socket));
        assert_eq!(kind_of_target(b"anon_inode:[eventfd]"), Some(FdKind::Anon));
        assert_eq!(kind_of_target(b"/dev/null"), None);
        assert_eq!(kind_of_target(b"net:[4026531840]"), Some(FdKind::Other));
    }

    #[test]
    fn describe_without_stat() {
        let f = describe(3, b"/tmp/x (deleted)".to_vec(), None, None);
        assert!(f.deleted);
        assert_eq!(f.kind, FdKind::Other);
        let s = describe(4, b"socket:[9]".to_vec(), None, None);
        assert_eq!(
            (s.kind, s.inode, s.deleted),
            (FdKind::Socket, Some(9), false)
        );
    }
}
