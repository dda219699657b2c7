//! `gopsi files PID...`: the open descriptors of processes, like `lsof -p`, with sockets
//! resolved to their addresses through `/proc/net` (read once, only when a socket is open).
//! Never opens the files the descriptors point to.

use std::collections::HashMap;

use crate::proc::fd::{FdKind, OpenFile};
use crate::proc::net::{Proto, state};
use crate::proc::{ProcError, ProcFs};

/// What a socket descriptor is connected to, when its inode is in a `/proc/net` table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SocketAddr {
    /// `tcp`, `tcp6`, `udp`, `udp6` or `unix`.
    pub proto: &'static str,
    /// Local address (IP, or the unix path; `*` for an unbound unix socket).
    pub local_addr: String,
    /// The unix path's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub local_addr_bytes: Option<Vec<u8>>,
    /// Local port (`None` for unix).
    pub local_port: Option<u16>,
    /// Remote address.
    pub remote_addr: String,
    /// Remote port (`None` for unix).
    pub remote_port: Option<u16>,
    /// State as `ss` names it.
    pub state: &'static str,
}

impl SocketAddr {
    /// `tcp 127.0.0.1:8080 LISTEN`, `tcp 127.0.0.1:47056->127.0.0.1:8080 ESTAB`,
    /// `unix /run/x.sock LISTEN`.
    pub fn text(&self) -> String {
        let local = match self.local_port {
            Some(p) => super::ports::endpoint(&self.local_addr, p),
            None => self.local_addr.clone(),
        };
        let connected = self.remote_port.is_some_and(|p| p != 0);
        if connected {
            let remote = super::ports::endpoint(&self.remote_addr, self.remote_port.unwrap_or(0));
            format!("{} {local}->{remote} {}", self.proto, self.state)
        } else {
            format!("{} {local} {}", self.proto, self.state)
        }
    }
}

/// One open descriptor, as `gopsi files --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FileEntry {
    /// The process.
    pub pid: i32,
    /// Descriptor number.
    pub fd: i32,
    /// `file`, `dir`, `socket`, `pipe`, `anon`, `char`, `block` or `other`.
    pub kind: &'static str,
    /// The `/proc/PID/fd/N` link target, lossily decoded.
    pub target: String,
    /// The target's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub target_bytes: Option<Vec<u8>>,
    /// Whether the target file has been deleted.
    pub deleted: bool,
    /// Inode of the target (socket and pipe inodes from the link).
    pub inode: Option<u64>,
    /// Size in bytes of a regular file.
    pub size: Option<u64>,
    /// Access mode as lsof prints it: `r`, `w` or `u`.
    pub mode: Option<&'static str>,
    /// File position.
    pub pos: Option<u64>,
    /// `open(2)` flags as octal text, as `fdinfo` prints them.
    pub flags: Option<String>,
    /// Names of the set flags (`O_RDWR`, `O_CLOEXEC`, ...).
    pub flag_names: Vec<&'static str>,
    /// The socket's addresses when it is an internet or unix socket of this network namespace.
    pub socket: Option<SocketAddr>,
}

/// Socket inode to address, from the `/proc/net` tables (read once).
#[derive(Debug, Clone, Default)]
pub struct SocketIndex(HashMap<u64, SocketAddr>);

impl SocketIndex {
    /// Reads every internet table and `net/unix`; unreadable tables are skipped.
    pub fn read(fs: &ProcFs) -> SocketIndex {
        let mut m = HashMap::new();
        for s in fs.inet_sockets_of(&Proto::ALL).unwrap_or_default() {
            if s.inode == 0 {
                continue;
            }
            m.insert(
                s.inode,
                SocketAddr {
                    proto: s.proto.name(),
                    local_addr: s.local.to_string(),
                    local_addr_bytes: None,
                    local_port: Some(s.local_port),
                    remote_addr: s.remote.to_string(),
                    remote_port: Some(s.remote_port),
                    state: state::name(s.state),
                },
            );
        }
        for s in fs.unix_sockets().unwrap_or_default() {
            m.insert(
                s.inode,
                SocketAddr {
                    proto: "unix",
                    local_addr: s
                        .path
                        .as_deref()
                        .map_or_else(|| "*".to_string(), crate::json::lossy),
                    local_addr_bytes: s.path.as_deref().and_then(crate::json::raw_bytes),
                    local_port: None,
                    remote_addr: "*".to_string(),
                    remote_port: None,
                    state: s.state_name(),
                },
            );
        }
        SocketIndex(m)
    }

    /// The address of a socket inode.
    pub fn get(&self, inode: u64) -> Option<&SocketAddr> {
        self.0.get(&inode)
    }
}

/// Turns what the reader found into entries; `index` resolves sockets.
pub fn entries(pid: i32, files: &[OpenFile], index: Option<&SocketIndex>) -> Vec<FileEntry> {
    files
        .iter()
        .map(|f| FileEntry {
            pid,
            fd: f.fd,
            kind: f.kind.name(),
            target: crate::json::lossy(&f.target),
            target_bytes: crate::json::raw_bytes(&f.target),
            deleted: f.deleted,
            inode: f.inode,
            size: f.size,
            mode: f.info.map(|i| i.access()),
            pos: f.info.map(|i| i.pos),
            flags: f.info.map(|i| format!("{:o}", i.flags)),
            flag_names: f.info.map(|i| i.flag_names()).unwrap_or_default(),
            socket: match (f.kind, f.inode, index) {
                (FdKind::Socket, Some(ino), Some(ix)) => ix.get(ino).cloned(),
                _ => None,
            },
        })
        .collect()
}

/// The open descriptors of one process with sockets resolved (reads `/proc/net` only when
/// the process holds a socket).
pub fn list(fs: &ProcFs, pid: i32) -> Result<Vec<FileEntry>, ProcError> {
    let files = fs.open_files(pid)?;
    let index = files
        .iter()
        .any(|f| f.kind == FdKind::Socket)
        .then(|| SocketIndex::read(fs));
    Ok(entries(pid, &files, index.as_ref()))
}
