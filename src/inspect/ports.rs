//! `gopsi ports`: the sockets (netlink `sock_diag`, or the `/proc/net` tables) joined to the processes
//! holding them through one socket-inode map per run, filtered like `ss -tulpn`, and printed
//! with addresses the way `ss` writes them. Never resolves host or service names.

use std::net::IpAddr;

use crate::proc::net::{InetSocket, Proto, UnixSocket};
use crate::proc::{ProcError, ProcFs};

/// Which sockets to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortFilter {
    /// TCP sockets.
    pub tcp: bool,
    /// UDP sockets.
    pub udp: bool,
    /// Unix domain sockets.
    pub unix: bool,
    /// IPv4 tables (`tcp`, `udp`).
    pub v4: bool,
    /// IPv6 tables (`tcp6`, `udp6`).
    pub v6: bool,
    /// Every state; otherwise only listening (TCP LISTEN, unconnected UDP, listening unix).
    pub all: bool,
    /// Only sockets held by these processes (empty: every process).
    pub pids: Vec<i32>,
}

impl Default for PortFilter {
    /// `ss -tuln`: listening TCP and UDP, both IP versions, every process.
    fn default() -> Self {
        PortFilter {
            tcp: true,
            udp: true,
            unix: false,
            v4: true,
            v6: true,
            all: false,
            pids: Vec::new(),
        }
    }
}

impl PortFilter {
    /// The internet tables this filter reads.
    pub fn protos(&self) -> Vec<Proto> {
        Proto::ALL
            .into_iter()
            .filter(|p| if p.is_tcp() { self.tcp } else { self.udp })
            .filter(|p| if p.is_v6() { self.v6 } else { self.v4 })
            .collect()
    }
}

/// A process holding a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Owner {
    /// Process id.
    pub pid: i32,
    /// The descriptor number in that process.
    pub fd: i32,
    /// The process's command name (`comm`), lossily decoded; `None` if it exited meanwhile.
    pub command: Option<String>,
    /// The command name's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub command_bytes: Option<Vec<u8>>,
}

/// One socket with its owners, as `gopsi ports --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Port {
    /// `tcp`, `tcp6`, `udp`, `udp6` or `unix`.
    pub proto: &'static str,
    /// Local address: an IP (`127.0.0.1`, `::`, `::ffff:10.0.0.1`) or, for unix sockets, the
    /// bound path (`@name` for abstract ones, `*` when unbound).
    pub local_addr: String,
    /// The unix path's bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub local_addr_bytes: Option<Vec<u8>>,
    /// Local port; `None` for unix sockets.
    pub local_port: Option<u16>,
    /// Remote address (the unspecified address when not connected; `*` for unix sockets).
    pub remote_addr: String,
    /// Remote port (0 when not connected); `None` for unix sockets.
    pub remote_port: Option<u16>,
    /// State as `ss` names it: `LISTEN`, `ESTAB`, `UNCONN`, `TIME-WAIT`, ...
    pub state: &'static str,
    /// The first (lowest) owning pid; `None` when no readable process holds the socket.
    pub pid: Option<i32>,
    /// The first owner's command name.
    pub command: Option<String>,
    /// Its bytes when they are not valid UTF-8 (see [`crate::json`]).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub command_bytes: Option<Vec<u8>>,
    /// Every holder (forked servers share their listening sockets).
    pub owners: Vec<Owner>,
    /// Socket inode (0 for TIME-WAIT and request sockets).
    pub inode: u64,
    /// Socket owner uid (`None` for unix sockets).
    pub uid: Option<u32>,
    /// Receive queue bytes (for a listener: connections waiting to be accepted).
    pub recv_q: u64,
    /// Send queue bytes.
    pub send_q: u64,
    /// Unix socket type (`stream`, `dgram`, `seqpacket`); `None` for internet sockets.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub unix_type: Option<crate::proc::net::UnixType>,
}

impl Port {
    /// `127.0.0.1:8080`, `[::1]:8080`, `*:22` as `ss` prints the local end.
    pub fn local_text(&self) -> String {
        match self.local_port {
            Some(p) => endpoint(&self.local_addr, p),
            None => self.local_addr.clone(),
        }
    }

    /// The remote end as `ss` prints it (`*:*` when not connected).
    pub fn remote_text(&self) -> String {
        match self.remote_port {
            Some(p) => endpoint(&self.remote_addr, p),
            None => self.remote_addr.clone(),
        }
    }
}

/// `ss`'s way to print an address and port: wildcards as `*`, IPv6 in brackets (v4-mapped
/// addresses stay in their v6 form: `[::ffff:127.0.0.1]:80`), port 0 as `*`.
pub fn endpoint(addr: &str, port: u16) -> String {
    let host = match addr.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() => "*".to_string(),
        Ok(IpAddr::V6(_)) => format!("[{addr}]"),
        _ => addr.to_string(),
    };
    if port == 0 {
        format!("{host}:*")
    } else {
        format!("{host}:{port}")
    }
}

/// The result of [`list`]: the sockets, and which processes' descriptors were unreadable.
#[derive(Debug, Clone, Default)]
pub struct PortList {
    /// Matching sockets, ordered by protocol, local port, local address, remote end.
    pub ports: Vec<Port>,
    /// Processes whose `fd/` could not be read: sockets they hold show no owner.
    pub denied: Vec<i32>,
}

/// Lists the sockets `filter` selects with their owners. Reads the needed `/proc/net` tables
/// once, and every selected process's `fd/` once (one inode map per call).
pub fn list(fs: &ProcFs, filter: &PortFilter) -> Result<PortList, ProcError> {
    let inet: Vec<InetSocket> = fs
        .inet_sockets_where(&filter.protos(), !filter.all)?
        .into_iter()
        .filter(|s| filter.all || s.is_listening())
        .collect();
    let unix: Vec<UnixSocket> = if filter.unix {
        fs.unix_sockets_where(!filter.all)?
            .into_iter()
            .filter(|s| filter.all || s.listening)
            .collect()
    } else {
        Vec::new()
    };
    let pids = if filter.pids.is_empty() {
        fs.pids()?
    } else {
        filter.pids.clone()
    };
    let owners = fs.socket_owners(&pids);
    let mut names = std::collections::HashMap::new();
    let mut reader = crate::proc::Reader::default();
    let mut owners_of = |inode: u64| -> Vec<Owner> {
        if inode == 0 {
            return Vec::new();
        }
        owners
            .owners(inode)
            .iter()
            .map(|&(pid, fd)| {
                let name = names
                    .entry(pid)
                    .or_insert_with(|| comm(fs, pid, &mut reader));
                Owner {
                    pid,
                    fd,
                    command: name.as_deref().map(crate::json::lossy),
                    command_bytes: name.as_deref().and_then(crate::json::raw_bytes),
                }
            })
            .collect()
    };
    let mut ports = Vec::with_capacity(inet.len() + unix.len());
    for s in &inet {
        let o = owners_of(s.inode);
        if !filter.pids.is_empty() && o.is_empty() {
            continue;
        }
        ports.push(Port {
            proto: s.proto.name(),
            local_addr: s.local.to_string(),
            local_addr_bytes: None,
            local_port: Some(s.local_port),
            remote_addr: s.remote.to_string(),
            remote_port: Some(s.remote_port),
            state: crate::proc::net::state::name(s.state),
            pid: o.first().map(|o| o.pid),
            command: o.first().and_then(|o| o.command.clone()),
            command_bytes: o.first().and_then(|o| o.command_bytes.clone()),
            owners: o,
            inode: s.inode,
            uid: Some(s.uid),
            recv_q: s.rx_queue,
            send_q: s.tx_queue,
            unix_type: None,
        });
    }
    for s in &unix {
        let o = owners_of(s.inode);
        if !filter.pids.is_empty() && o.is_empty() {
            continue;
        }
        ports.push(Port {
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
            pid: o.first().map(|o| o.pid),
            command: o.first().and_then(|o| o.command.clone()),
            command_bytes: o.first().and_then(|o| o.command_bytes.clone()),
            owners: o,
            inode: s.inode,
            uid: None,
            recv_q: 0,
            send_q: 0,
            unix_type: Some(s.kind),
        });
    }
    ports.sort_by(|a, b| {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        (a.proto, a.local_port, ip(&a.local_addr), &a.local_addr)
            .cmp(&(b.proto, b.local_port, ip(&b.local_addr), &b.local_addr))
            .then_with(|| {
                (a.remote_port, ip(&a.remote_addr), a.inode).cmp(&(
                    b.remote_port,
                    ip(&b.remote_addr),
                    b.inode,
                ))
            })
    });
    Ok(PortList {
        ports,
        denied: owners.denied,
    })
}

/// A process's command name (`comm` from its stat line), or `None` if it is gone.
pub(crate) fn comm(fs: &ProcFs, pid: i32, r: &mut crate::proc::Reader) -> Option<Vec<u8>> {
    let p = fs.read(pid, None, crate::proc::Needs::NONE, r).ok()?;
    Some(p.stat.comm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_like_ss() {
        assert_eq!(endpoint("127.0.0.1", 8080), "127.0.0.1:8080");
        assert_eq!(endpoint("::1", 8080), "[::1]:8080");
        assert_eq!(endpoint("0.0.0.0", 22), "*:22");
        assert_eq!(endpoint("::", 22), "*:22");
        assert_eq!(endpoint("0.0.0.0", 0), "*:*");
        assert_eq!(endpoint("::ffff:127.0.0.1", 80), "[::ffff:127.0.0.1]:80");
        assert_eq!(endpoint("fe80::1", 5), "[fe80::1]:5");
    }

    #[test]
    fn filter_tables() {
        let f = PortFilter::default();
        assert_eq!(f.protos(), Proto::ALL.to_vec());
        let f = PortFilter {
            udp: false,
            v4: false,
            ..PortFilter::default()
        };
        assert_eq!(f.protos(), vec![Proto::Tcp6]);
    }
}
