//! The socket tables of the reader's own network namespace: on the live /proc asked of the
//! kernel over netlink `sock_diag` ([`super::diag`], as `ss` does), else (fixture trees, or a
//! kernel without the diag modules) parsed from `/proc/net/{tcp,tcp6,udp,udp6,unix}` read
//! through [`ProcFs`], refusing `net/unix` rows a socket name could have forged. Never looks at processes: joining sockets to owners is [`super::fd`]'s job.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{ProcError, ProcFs};

/// An internet socket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Proto {
    /// `/proc/net/tcp`
    Tcp,
    /// `/proc/net/tcp6`
    Tcp6,
    /// `/proc/net/udp`
    Udp,
    /// `/proc/net/udp6`
    Udp6,
}

impl Proto {
    /// All four tables, in the order `ss` prints them.
    pub const ALL: [Proto; 4] = [Proto::Tcp, Proto::Tcp6, Proto::Udp, Proto::Udp6];

    /// The table's name: `tcp`, `tcp6`, `udp`, `udp6` (also its file name under `net/`).
    pub fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Tcp6 => "tcp6",
            Proto::Udp => "udp",
            Proto::Udp6 => "udp6",
        }
    }

    /// Whether this is a TCP table.
    pub fn is_tcp(self) -> bool {
        matches!(self, Proto::Tcp | Proto::Tcp6)
    }

    /// Whether this is an IPv6 table.
    pub fn is_v6(self) -> bool {
        matches!(self, Proto::Tcp6 | Proto::Udp6)
    }
}

/// The kernel's TCP state numbers (`include/net/tcp_states.h`); UDP uses 1 and 7.
pub mod state {
    /// Connected.
    pub const ESTABLISHED: u8 = 1;
    /// `connect` sent a SYN.
    pub const SYN_SENT: u8 = 2;
    /// A SYN arrived.
    pub const SYN_RECV: u8 = 3;
    /// Closed locally, FIN sent.
    pub const FIN_WAIT1: u8 = 4;
    /// Our FIN acknowledged.
    pub const FIN_WAIT2: u8 = 5;
    /// Waiting after close.
    pub const TIME_WAIT: u8 = 6;
    /// Closed (an unconnected UDP socket).
    pub const CLOSE: u8 = 7;
    /// Peer closed.
    pub const CLOSE_WAIT: u8 = 8;
    /// Both closed, waiting for the last ACK.
    pub const LAST_ACK: u8 = 9;
    /// Listening.
    pub const LISTEN: u8 = 10;
    /// Both sides closing at once.
    pub const CLOSING: u8 = 11;
    /// A request socket (new SYN_RECV).
    pub const NEW_SYN_RECV: u8 = 12;

    /// The state's name as `ss` prints it (`LISTEN`, `ESTAB`, `UNCONN`, `TIME-WAIT`, ...).
    pub fn name(st: u8) -> &'static str {
        match st {
            ESTABLISHED => "ESTAB",
            SYN_SENT => "SYN-SENT",
            SYN_RECV | NEW_SYN_RECV => "SYN-RECV",
            FIN_WAIT1 => "FIN-WAIT-1",
            FIN_WAIT2 => "FIN-WAIT-2",
            TIME_WAIT => "TIME-WAIT",
            CLOSE => "UNCONN",
            CLOSE_WAIT => "CLOSE-WAIT",
            LAST_ACK => "LAST-ACK",
            LISTEN => "LISTEN",
            CLOSING => "CLOSING",
            _ => "UNKNOWN",
        }
    }
}

/// One row of an internet socket table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InetSocket {
    /// Which table the row came from.
    pub proto: Proto,
    /// Local address (v4-mapped v6 addresses stay v6, as `ss` shows them).
    pub local: IpAddr,
    /// Local port.
    pub local_port: u16,
    /// Remote address (unspecified when not connected).
    pub remote: IpAddr,
    /// Remote port (0 when not connected).
    pub remote_port: u16,
    /// Kernel state number, see [`state`].
    pub state: u8,
    /// Bytes queued to send.
    pub tx_queue: u64,
    /// Bytes queued to receive (for a listener: the accept backlog).
    pub rx_queue: u64,
    /// Owner uid of the socket.
    pub uid: u32,
    /// Socket inode (0 for TIME-WAIT and request sockets, which no fd holds).
    pub inode: u64,
}

impl InetSocket {
    /// Whether `ss -l` would call this socket listening (TCP LISTEN, unconnected UDP).
    pub fn is_listening(&self) -> bool {
        if self.proto.is_tcp() {
            self.state == state::LISTEN
        } else {
            self.state == state::CLOSE
        }
    }
}

/// Parses a whole `/proc/net/tcp`-style table (the header line is skipped; malformed rows too).
pub fn parse_inet(buf: &[u8], proto: Proto) -> Vec<InetSocket> {
    buf.split(|&b| b == b'\n')
        .skip(1)
        .filter_map(|line| parse_inet_line(line, proto))
        .collect()
}

/// Parses one row such as
/// `0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 76973 ...`.
pub fn parse_inet_line(line: &[u8], proto: Proto) -> Option<InetSocket> {
    let line = std::str::from_utf8(line).ok()?;
    let mut f = line.split_ascii_whitespace();
    f.next()?.strip_suffix(':')?;
    let (local, local_port) = parse_endpoint(f.next()?)?;
    let (remote, remote_port) = parse_endpoint(f.next()?)?;
    let state = u8::from_str_radix(f.next()?, 16).ok()?;
    let (tx, rx) = f.next()?.split_once(':')?;
    let tx_queue = u64::from_str_radix(tx, 16).ok()?;
    let rx_queue = u64::from_str_radix(rx, 16).ok()?;
    f.next()?; // tr:tm->when
    f.next()?; // retrnsmt
    let uid = f.next()?.parse().ok()?;
    f.next()?; // timeout
    let inode = f.next()?.parse().ok()?;
    Some(InetSocket {
        proto,
        local,
        local_port,
        remote,
        remote_port,
        state,
        tx_queue,
        rx_queue,
        uid,
        inode,
    })
}

/// Parses `ADDR:PORT` where ADDR is 8 (v4) or 32 (v6) hex digits of 32-bit words in host byte
/// order holding network-order bytes, and PORT is 4 hex digits.
pub fn parse_endpoint(s: &str) -> Option<(IpAddr, u16)> {
    let (a, p) = s.split_once(':')?;
    let port = u16::from_str_radix(p, 16).ok()?;
    let word = |i: usize| -> Option<[u8; 4]> {
        let w = u32::from_str_radix(a.get(i * 8..i * 8 + 8)?, 16).ok()?;
        Some(w.to_ne_bytes())
    };
    let ip = match a.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(0)?)),
        32 => {
            let mut b = [0u8; 16];
            for i in 0..4 {
                b[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            IpAddr::V6(Ipv6Addr::from(b))
        }
        _ => return None,
    };
    Some((ip, port))
}

/// Drops repeated rows, keeping the first: the same inode twice, or for inode 0 (TIME-WAIT and
/// request sockets) the same protocol, ends and state twice.
pub fn dedup_inet(mut v: Vec<InetSocket>) -> Vec<InetSocket> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| {
        if s.inode != 0 {
            seen.insert((s.proto, s.inode, None))
        } else {
            let ends = (s.local, s.local_port, s.remote, s.remote_port, s.state);
            seen.insert((s.proto, 0, Some(ends)))
        }
    });
    v
}

/// The type of a unix socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum UnixType {
    /// `SOCK_STREAM`
    Stream,
    /// `SOCK_DGRAM`
    Dgram,
    /// `SOCK_SEQPACKET`
    Seqpacket,
    /// Anything else.
    Other,
}

impl UnixType {
    /// The `ss` netid: `u_str`, `u_dgr`, `u_seq`, `u_???`.
    pub fn netid(self) -> &'static str {
        match self {
            UnixType::Stream => "u_str",
            UnixType::Dgram => "u_dgr",
            UnixType::Seqpacket => "u_seq",
            UnixType::Other => "u_???",
        }
    }
}

/// One row of `/proc/net/unix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnixSocket {
    /// Stream, datagram or seqpacket.
    pub kind: UnixType,
    /// Whether the socket accepts connections (`__SO_ACCEPTCON`).
    pub listening: bool,
    /// `SS_*` state: 1 unconnected, 2 connecting, 3 connected, 4 disconnecting.
    pub st: u8,
    /// Socket inode.
    pub inode: u64,
    /// Bound path; abstract names start with `@`; `None` when unbound. Raw bytes.
    pub path: Option<Vec<u8>>,
}

impl UnixSocket {
    /// The state as `ss` prints it: `LISTEN`, `ESTAB`, `UNCONN`, `SYN-SENT`, `CLOSE-WAIT`.
    pub fn state_name(&self) -> &'static str {
        if self.listening {
            return "LISTEN";
        }
        match self.st {
            2 => "SYN-SENT",
            3 => "ESTAB",
            4 => "CLOSE-WAIT",
            _ => "UNCONN",
        }
    }
}

const SO_ACCEPTCON: u32 = 1 << 16;

/// Parses `/proc/net/unix` (header skipped, malformed rows too).
pub fn parse_unix(buf: &[u8]) -> Vec<UnixSocket> {
    buf.split(|&b| b == b'\n')
        .skip(1)
        .filter_map(parse_unix_line)
        .collect()
}

/// Parses one row: `Num RefCount Protocol Flags Type St Inode [Path]`.
pub fn parse_unix_line(line: &[u8]) -> Option<UnixSocket> {
    // The path may hold spaces: split the first seven fields by hand.
    let mut rest = line;
    let mut fields = [&b""[..]; 7];
    for slot in fields.iter_mut() {
        let start = rest.iter().position(|&b| b != b' ')?;
        rest = &rest[start..];
        let end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        *slot = &rest[..end];
        rest = &rest[end..];
    }
    let hex = |b: &[u8]| u32::from_str_radix(std::str::from_utf8(b).ok()?, 16).ok();
    let num = fields[0].strip_suffix(b":")?;
    if num.is_empty() || !num.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let flags = hex(fields[3])?;
    let kind = match hex(fields[4])? {
        1 => UnixType::Stream,
        2 => UnixType::Dgram,
        5 => UnixType::Seqpacket,
        _ => UnixType::Other,
    };
    let st = hex(fields[5])? as u8;
    let inode = std::str::from_utf8(fields[6]).ok()?.parse().ok()?;
    let path = rest.strip_prefix(b" ").unwrap_or(rest);
    Some(UnixSocket {
        kind,
        listening: flags & SO_ACCEPTCON != 0,
        st,
        inode,
        path: (!path.is_empty()).then(|| path.to_vec()),
    })
}

/// Drops the rows of `/proc/net/unix` that cannot be trusted: the file is text, one socket a
/// line, and a socket name may hold a newline, so a name can carry what looks like a row of
/// its own. Rows repeated whole (a table change during the read) are kept once; an inode that
/// appears in two different rows, or that `other` names (an internet socket's inode), is
/// ambiguous and all its rows go.
pub fn refuse_ambiguous(
    rows: Vec<UnixSocket>,
    other: &std::collections::HashSet<u64>,
) -> Vec<UnixSocket> {
    let mut first: std::collections::HashMap<u64, &UnixSocket> = std::collections::HashMap::new();
    let mut bad = std::collections::HashSet::new();
    for s in &rows {
        match first.get(&s.inode) {
            Some(f) if *f != s => {
                bad.insert(s.inode);
            }
            Some(_) => {}
            None => {
                first.insert(s.inode, s);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    rows.into_iter()
        .filter(|s| !bad.contains(&s.inode) && !other.contains(&s.inode) && seen.insert(s.inode))
        .collect()
}

/// The kernel state bits of listening sockets: TCP `LISTEN` (and unix), UDP unconnected.
fn listening_states(proto: Option<Proto>) -> u32 {
    match proto {
        Some(p) if !p.is_tcp() => 1 << state::CLOSE,
        _ => 1 << state::LISTEN,
    }
}

/// One netlink `sock_diag` dump: sends `req` (sequence `seq`) and parses every reply message.
fn diag_dump<T>(
    req: &[u8],
    seq: u32,
    parse: impl Fn(&[u8]) -> Option<T>,
) -> std::io::Result<Vec<T>> {
    use super::diag::{DumpError, Step, walk};
    let sock = crate::sys::DiagSocket::open()?;
    sock.send(req)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut out = Vec::new();
    loop {
        let n = sock.recv(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other("netlink: empty reply"));
        }
        match walk(&buf[..n], seq, |m| out.extend(parse(m))) {
            Ok(Step::Done) => return Ok(out),
            Ok(Step::More) => {}
            Err(DumpError::Errno(e)) => return Err(std::io::Error::from_raw_os_error(e)),
            Err(DumpError::Malformed) => {
                return Err(std::io::Error::other("netlink: malformed reply"));
            }
        }
    }
}

fn next_seq() -> u32 {
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl ProcFs {
    /// Whether the sockets are asked of the kernel over netlink (`ss`'s way) rather than read
    /// from the `net/` files: on the live `/proc` only (a fixture tree has files alone).
    fn sockets_over_netlink(&self) -> bool {
        self.root == std::path::Path::new("/proc")
    }

    /// Reads one internet socket table (`net/tcp`, ...) of the reader's network namespace:
    /// over netlink `sock_diag` on the live /proc, else from the file. The kernel hands the
    /// file out a page per `read`; when sockets come and go between two reads it may repeat
    /// rows, so repeats are dropped here ([`dedup_inet`]).
    pub fn inet_sockets(&self, proto: Proto) -> Result<Vec<InetSocket>, ProcError> {
        self.inet_table(proto, false)
    }

    fn inet_table(&self, proto: Proto, listening: bool) -> Result<Vec<InetSocket>, ProcError> {
        if self.sockets_over_netlink() {
            let states = if listening {
                listening_states(Some(proto))
            } else {
                !0
            };
            let seq = next_seq();
            let req = super::diag::inet_request(proto, states, seq);
            if let Ok(v) = diag_dump(&req, seq, |m| super::diag::parse_inet_msg(m, proto)) {
                return Ok(dedup_inet(v));
            }
        }
        let buf = self.read_host(&format!("net/{}", proto.name()))?;
        let mut v = dedup_inet(parse_inet(&buf, proto));
        if listening {
            v.retain(InetSocket::is_listening);
        }
        Ok(v)
    }

    /// Reads the given tables; a table that does not exist (IPv6 disabled) is empty.
    pub fn inet_sockets_of(&self, protos: &[Proto]) -> Result<Vec<InetSocket>, ProcError> {
        self.inet_sockets_where(protos, false)
    }

    /// As [`ProcFs::inet_sockets_of`]; with `listening`, only listening sockets (TCP
    /// `LISTEN`, unconnected UDP), which the kernel then filters itself.
    pub fn inet_sockets_where(
        &self,
        protos: &[Proto],
        listening: bool,
    ) -> Result<Vec<InetSocket>, ProcError> {
        let mut out = Vec::new();
        let mut absent = None;
        for &p in protos {
            match self.inet_table(p, listening) {
                Ok(v) => out.extend(v),
                Err(e @ ProcError::Io { .. })
                    if matches!(&e, ProcError::Io { source, .. }
                        if source.kind() == std::io::ErrorKind::NotFound) =>
                {
                    absent.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        // A missing table is an empty one (IPv6 disabled), but no `net/` at all (procfs mounted
        // with `subset=pid`, a tree without it) is not an empty answer.
        match absent {
            Some(e) if out.is_empty() && !self.root.join("net").is_dir() => Err(e),
            _ => Ok(out),
        }
    }

    /// Reads the unix sockets: over netlink on the live /proc, else from `net/unix`, whose
    /// ambiguous rows are refused ([`refuse_ambiguous`]).
    pub fn unix_sockets(&self) -> Result<Vec<UnixSocket>, ProcError> {
        self.unix_sockets_where(false)
    }

    /// As [`ProcFs::unix_sockets`]; with `listening`, only listening sockets.
    pub fn unix_sockets_where(&self, listening: bool) -> Result<Vec<UnixSocket>, ProcError> {
        if self.sockets_over_netlink() {
            let states = if listening {
                listening_states(None)
            } else {
                !0
            };
            let seq = next_seq();
            let req = super::diag::unix_request(states, seq);
            if let Ok(mut v) = diag_dump(&req, seq, super::diag::parse_unix_msg) {
                let mut seen = std::collections::HashSet::new();
                v.retain(|s| seen.insert(s.inode));
                return Ok(v);
            }
        }
        let rows = parse_unix(&self.read_host("net/unix")?);
        let inet: std::collections::HashSet<u64> = self
            .inet_sockets_of(&Proto::ALL)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.inode)
            .filter(|&i| i != 0)
            .collect();
        let mut v = refuse_ambiguous(rows, &inet);
        if listening {
            v.retain(|s| s.listening);
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Captured on Linux 6.x (x86_64) with python listeners and loopback connections.
    const TCP: &[u8] = b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 56 1 000000005780acec 100 0 0 10 0                        
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 76973 1 00000000a115f339 100 0 0 10 0                     
   2: 0100007F:B7D0 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 76978 2 000000009e0d2d39 20 0 0 10 -1                     
   3: 0100007F:1F90 0100007F:B7DC 01 00000000:00000000 00:00000000 00000000  1000        0 76981 1 00000000bd4c05c8 20 0 0 10 -1                     
   4: 0100007F:8B5A 0100007F:1F90 06 00000000:00000000 03:00001772 00000000     0        0 0 3 00000000a8e1c0d2
";
    const TCP6: &[u8] = b"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 76975 1 00000000abd92b16 100 0 0 10 0
   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 76974 1 00000000fb0b4e2d 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:B7DC 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 76980 2 00000000d1f94a96 20 0 0 10 -1
";
    const UDP: &[u8] = b"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
  923: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 76976 2 000000004b93b966 0         
";
    const UDP6: &[u8] = b"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  924: 00000000000000000000000000000000:14EA 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 76977 2 000000008932b33c 0
";
    const UNIX: &[u8] = b"Num       RefCount Protocol Flags    Type St Inode Path
000000005d7c5b69: 00000003 00000000 00000000 0001 03    53
000000000ccc4bbe: 00000002 00000000 00010000 0001 01 76982 /tmp/gopsi sample.sock
00000000ab5a1721: 00000002 00000000 00000000 0002 01 76983 @abstract-name
";

    fn v4(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn tcp_v4_rows() {
        let t = parse_inet(TCP, Proto::Tcp);
        assert_eq!(t.len(), 5);
        assert_eq!(t[0].local, v4("0.0.0.0"));
        assert_eq!(t[0].local_port, 2024);
        assert_eq!(t[0].state, state::LISTEN);
        assert!(t[0].is_listening());
        assert_eq!(t[0].inode, 56);
        assert_eq!((t[1].local, t[1].local_port), (v4("127.0.0.1"), 8080));
        assert_eq!((t[2].remote, t[2].remote_port), (v4("127.0.0.1"), 8080));
        assert_eq!(t[2].local_port, 47056);
        assert_eq!(state::name(t[2].state), "ESTAB");
        assert!(!t[2].is_listening());
        assert_eq!(t[3].uid, 1000);
        assert_eq!(state::name(t[4].state), "TIME-WAIT");
        assert_eq!(t[4].inode, 0);
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn tcp_v6_rows_and_mapped() {
        let t = parse_inet(TCP6, Proto::Tcp6);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].local, v4("::"));
        assert_eq!(t[0].local_port, 8082);
        assert_eq!((t[1].local, t[1].local_port), (v4("::1"), 8081));
        assert_eq!(t[1].rx_queue, 3);
        assert_eq!(t[2].local, v4("::ffff:127.0.0.1"));
        assert_eq!(
            (t[2].remote, t[2].remote_port),
            (v4("::ffff:127.0.0.1"), 8080)
        );
        assert_eq!(state::name(t[2].state), "ESTAB");
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn udp_rows_are_unconnected() {
        let u = parse_inet(UDP, Proto::Udp);
        assert_eq!(u.len(), 1);
        assert_eq!((u[0].local, u[0].local_port), (v4("0.0.0.0"), 5353));
        assert_eq!(state::name(u[0].state), "UNCONN");
        assert!(u[0].is_listening());
        let u6 = parse_inet(UDP6, Proto::Udp6);
        assert_eq!((u6[0].local, u6[0].local_port), (v4("::"), 5354));
        assert_eq!(u6[0].inode, 76977);
    }

    #[test]
    fn repeated_rows_are_dropped() {
        let mut t = parse_inet(TCP, Proto::Tcp);
        t.extend(parse_inet(TCP, Proto::Tcp));
        let d = dedup_inet(t);
        assert_eq!(d, parse_inet(TCP, Proto::Tcp));
    }

    #[test]
    fn endpoints_and_garbage() {
        assert_eq!(parse_endpoint("00000000:0016"), Some((v4("0.0.0.0"), 22)));
        assert_eq!(parse_endpoint("0000:0016"), None);
        assert_eq!(parse_endpoint("0100007F"), None);
        assert_eq!(parse_endpoint("0100007G:0016"), None);
        assert_eq!(parse_inet(b"header only\n", Proto::Tcp), vec![]);
        assert_eq!(
            parse_inet(b"h\n  0: 0100007F:1F90 broken\n", Proto::Tcp),
            vec![]
        );
        assert_eq!(state::name(42), "UNKNOWN");
    }

    #[test]
    fn unix_rows() {
        let u = parse_unix(UNIX);
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].inode, 53);
        assert_eq!(u[0].path, None);
        assert_eq!(u[0].state_name(), "ESTAB");
        assert_eq!(u[1].path.as_deref(), Some(&b"/tmp/gopsi sample.sock"[..]));
        assert!(u[1].listening);
        assert_eq!(u[1].state_name(), "LISTEN");
        assert_eq!(u[1].kind.netid(), "u_str");
        assert_eq!(u[2].kind, UnixType::Dgram);
        assert_eq!(u[2].path.as_deref(), Some(&b"@abstract-name"[..]));
        assert_eq!(u[2].state_name(), "UNCONN");
    }

    #[test]
    fn forged_unix_rows_are_refused() {
        // An abstract name "x\n<a row>" splits into two lines; the forged one names an inode
        // that is also a real row (53) or an internet socket (76973).
        let table = b"Num       RefCount Protocol Flags    Type St Inode Path
000000005d7c5b69: 00000003 00000000 00000000 0001 03    53
00000000ab5a1721: 00000002 00000000 00000000 0002 01 76983 @x
0000000000000000: 00000002 00000000 00010000 0001 01 53 /run/forged.sock
00000000ab5a1722: 00000002 00000000 00000000 0002 01 76984 @y
0000000000000000: 00000002 00000000 00010000 0001 01 76973 /run/forged2.sock
garbage: 1 2 3 4 5 6 /run/forged3.sock
";
        let inet = [76973u64].into_iter().collect();
        let rows = refuse_ambiguous(parse_unix(table), &inet);
        let inodes: Vec<u64> = rows.iter().map(|r| r.inode).collect();
        assert_eq!(inodes, [76983, 76984]);
        // A whole row repeated (a page boundary during the read) is kept once.
        let mut twice = parse_unix(UNIX);
        twice.extend(parse_unix(UNIX));
        assert_eq!(
            refuse_ambiguous(twice, &Default::default()),
            parse_unix(UNIX)
        );
    }
}
