//! The kernel's socket tables over netlink `NETLINK_SOCK_DIAG`, as `ss` reads them: requests
//! are built and replies parsed here from bytes (the socket itself is `sys`'s). A
//! reply carries each field in its own slot, so a socket name holding a newline cannot forge a
//! row the way it can in `/proc/net/unix`. Never looks at processes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::net::{InetSocket, Proto, UnixSocket, UnixType};

const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLM_F_REQUEST: u16 = 1;
const NLM_F_DUMP: u16 = 0x300;
const HDR: usize = 16;
const AF_UNIX: u8 = 1;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const UDIAG_SHOW_NAME: u32 = 1;
const UNIX_DIAG_NAME: u16 = 0;
const TCP_ESTABLISHED: u8 = 1;
const TCP_SYN_SENT: u8 = 2;
const TCP_LISTEN: u8 = 10;

fn header(len: usize, seq: u32) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    v.extend_from_slice(&(len as u32).to_ne_bytes());
    v.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    v.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    v.extend_from_slice(&seq.to_ne_bytes());
    v.extend_from_slice(&0u32.to_ne_bytes());
    v
}

/// A dump request (`inet_diag_req_v2`) for one internet table, the sockets whose kernel state
/// number `n` has bit `1 << n` set in `states`.
pub fn inet_request(proto: Proto, states: u32, seq: u32) -> Vec<u8> {
    let mut v = header(HDR + 56, seq);
    v.push(if proto.is_v6() { AF_INET6 } else { AF_INET });
    v.push(if proto.is_tcp() {
        IPPROTO_TCP
    } else {
        IPPROTO_UDP
    });
    v.push(0); // no extensions
    v.push(0);
    v.extend_from_slice(&states.to_ne_bytes());
    v.resize(HDR + 56, 0); // the socket id: zero, a dump
    v
}

/// A dump request (`unix_diag_req`) for the unix sockets in `states`, with their names.
pub fn unix_request(states: u32, seq: u32) -> Vec<u8> {
    let mut v = header(HDR + 24, seq);
    v.push(AF_UNIX);
    v.push(0);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&states.to_ne_bytes());
    v.extend_from_slice(&0u32.to_ne_bytes()); // inode: any
    v.extend_from_slice(&UDIAG_SHOW_NAME.to_ne_bytes());
    v.resize(HDR + 24, 0); // cookie
    v
}

/// What one received datagram held.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// More datagrams follow.
    More,
    /// The dump is complete.
    Done,
}

/// Why a dump failed: the kernel's errno (`ENOENT` when the diag module is missing), or a
/// reply that does not parse.
#[derive(Debug, PartialEq, Eq)]
pub enum DumpError {
    /// The kernel answered with this errno.
    Errno(i32),
    /// A message header that does not fit the datagram.
    Malformed,
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Walks the netlink messages of one datagram, handing each payload of request `seq` to
/// `each`; other sequence numbers are ignored.
pub fn walk(buf: &[u8], seq: u32, mut each: impl FnMut(&[u8])) -> Result<Step, DumpError> {
    let mut at = 0;
    while at + HDR <= buf.len() {
        let len = u32_at(buf, at).ok_or(DumpError::Malformed)? as usize;
        let kind = u16_at(buf, at + 4).ok_or(DumpError::Malformed)?;
        let mseq = u32_at(buf, at + 8).ok_or(DumpError::Malformed)?;
        if len < HDR || at + len > buf.len() {
            return Err(DumpError::Malformed);
        }
        let payload = &buf[at + HDR..at + len];
        if mseq == seq {
            match kind {
                NLMSG_DONE => {
                    return match u32_at(payload, 0).map(|e| e as i32) {
                        Some(e) if e < 0 => Err(DumpError::Errno(-e)),
                        _ => Ok(Step::Done),
                    };
                }
                NLMSG_ERROR => {
                    let e = u32_at(payload, 0).ok_or(DumpError::Malformed)? as i32;
                    return if e == 0 {
                        Ok(Step::Done)
                    } else {
                        Err(DumpError::Errno(-e))
                    };
                }
                _ => each(payload),
            }
        }
        at += len.div_ceil(4) * 4;
    }
    Ok(Step::More)
}

fn ip(b: &[u8], v6: bool) -> Option<IpAddr> {
    Some(if v6 {
        IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(b.get(..16)?).ok()?))
    } else {
        IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(b.get(..4)?).ok()?))
    })
}

/// Parses one `inet_diag_msg` of the table `proto`.
pub fn parse_inet_msg(m: &[u8], proto: Proto) -> Option<InetSocket> {
    if m.len() < 72 {
        return None;
    }
    let port = |i: usize| u16::from_be_bytes([m[i], m[i + 1]]);
    Some(InetSocket {
        proto,
        local: ip(&m[8..24], proto.is_v6())?,
        local_port: port(4),
        remote: ip(&m[24..40], proto.is_v6())?,
        remote_port: port(6),
        state: m[1],
        rx_queue: u64::from(u32_at(m, 56)?),
        tx_queue: u64::from(u32_at(m, 60)?),
        uid: u32_at(m, 64)?,
        inode: u64::from(u32_at(m, 68)?),
    })
}

/// Parses one `unix_diag_msg` with its `UNIX_DIAG_NAME` attribute. The name is given as
/// `/proc/net/unix` writes it: abstract names start with `@` (and their NULs are `@`), a
/// path name ends at its NUL.
pub fn parse_unix_msg(m: &[u8]) -> Option<UnixSocket> {
    if m.len() < 16 {
        return None;
    }
    let kind = match m[1] {
        1 => UnixType::Stream,
        2 => UnixType::Dgram,
        5 => UnixType::Seqpacket,
        _ => UnixType::Other,
    };
    let state = m[2];
    let inode = u64::from(u32_at(m, 4)?);
    let mut path = None;
    let mut at = 16;
    while at + 4 <= m.len() {
        let len = usize::from(u16_at(m, at)?);
        let kind = u16_at(m, at + 2)?;
        if len < 4 || at + len > m.len() {
            break;
        }
        if kind == UNIX_DIAG_NAME {
            let name = &m[at + 4..at + len];
            path = match name.first() {
                None => None,
                Some(0) => Some(
                    name.iter()
                        .map(|&b| if b == 0 { b'@' } else { b })
                        .collect(),
                ),
                Some(_) => {
                    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                    Some(name[..end].to_vec())
                }
            };
        }
        at += len.div_ceil(4) * 4;
    }
    Some(UnixSocket {
        kind,
        listening: state == TCP_LISTEN,
        // The socket layer's SS_* state, as /proc/net/unix gives it.
        st: match state {
            TCP_ESTABLISHED => 3,
            TCP_SYN_SENT => 2,
            _ => 1,
        },
        inode,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(kind: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let len = HDR + payload.len();
        let mut v = Vec::new();
        v.extend_from_slice(&(len as u32).to_ne_bytes());
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(&0u16.to_ne_bytes());
        v.extend_from_slice(&seq.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v.extend_from_slice(payload);
        v.resize(len.div_ceil(4) * 4, 0);
        v
    }

    fn unix_msg(state: u8, inode: u32, name: &[u8]) -> Vec<u8> {
        let mut m = vec![AF_UNIX, 1, state, 0];
        m.extend_from_slice(&inode.to_ne_bytes());
        m.extend_from_slice(&[0; 8]);
        let alen = 4 + name.len();
        m.extend_from_slice(&(alen as u16).to_ne_bytes());
        m.extend_from_slice(&UNIX_DIAG_NAME.to_ne_bytes());
        m.extend_from_slice(name);
        m.resize(m.len().div_ceil(4) * 4, 0);
        m
    }

    #[test]
    fn requests_have_the_kernel_sizes() {
        let r = inet_request(Proto::Tcp6, 1 << 10, 7);
        assert_eq!(r.len(), 72);
        assert_eq!(u32_at(&r, 0), Some(72));
        assert_eq!((r[16], r[17]), (AF_INET6, IPPROTO_TCP));
        assert_eq!(u32_at(&r, 20), Some(1 << 10));
        let u = unix_request(!0, 8);
        assert_eq!(u.len(), 40);
        assert_eq!(u32_at(&u, 8), Some(8));
        assert_eq!(u32_at(&u, 28), Some(UDIAG_SHOW_NAME));
    }

    #[test]
    fn a_name_with_a_newline_stays_one_row() {
        let forged = b"\0x\n0000000000000000: 00000002 00000000 00010000 0001 01 42 /run/f";
        let mut dgram = msg(SOCK_DIAG_BY_FAMILY, 5, &unix_msg(TCP_LISTEN, 99, forged));
        dgram.extend(msg(SOCK_DIAG_BY_FAMILY, 5, &unix_msg(7, 100, b"/tmp/s\0")));
        dgram.extend(msg(NLMSG_DONE, 5, &0u32.to_ne_bytes()));
        let mut rows = Vec::new();
        let step = walk(&dgram, 5, |p| rows.extend(parse_unix_msg(p))).unwrap();
        assert_eq!(step, Step::Done);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].inode, 99);
        assert!(rows[0].listening);
        assert!(rows[0].path.as_deref().unwrap().starts_with(b"@x\n0000"));
        assert_eq!(rows[1].path.as_deref(), Some(&b"/tmp/s"[..]));
        assert_eq!(rows[1].state_name(), "UNCONN");
    }

    #[test]
    fn errors_and_garbage() {
        let e = msg(NLMSG_ERROR, 1, &(-2i32).to_ne_bytes());
        assert_eq!(walk(&e, 1, |_| {}), Err(DumpError::Errno(2)));
        let mut bad = msg(SOCK_DIAG_BY_FAMILY, 1, &[0; 8]);
        bad[0] = 200;
        assert_eq!(walk(&bad, 1, |_| {}), Err(DumpError::Malformed));
        assert_eq!(walk(&[1, 2, 3], 1, |_| {}), Ok(Step::More));
        assert_eq!(parse_inet_msg(&[0; 10], Proto::Tcp), None);
        assert_eq!(parse_unix_msg(&[0; 3]), None);
    }

    #[test]
    fn inet_message_fields() {
        let mut m = vec![AF_INET, TCP_LISTEN, 0, 0];
        m.extend_from_slice(&8080u16.to_be_bytes());
        m.extend_from_slice(&0u16.to_be_bytes());
        let mut src = [0u8; 16];
        src[..4].copy_from_slice(&[127, 0, 0, 1]);
        m.extend_from_slice(&src);
        m.extend_from_slice(&[0; 16]);
        m.extend_from_slice(&[0; 4 + 8 + 4]);
        for v in [3u32, 128, 1000, 4242] {
            m.extend_from_slice(&v.to_ne_bytes());
        }
        let s = parse_inet_msg(&m, Proto::Tcp).unwrap();
        assert_eq!(s.local, IpAddr::from([127, 0, 0, 1]));
        assert_eq!((s.local_port, s.remote_port), (8080, 0));
        assert!(s.is_listening());
        assert_eq!(
            (s.rx_queue, s.tx_queue, s.uid, s.inode),
            (3, 128, 1000, 4242)
        );
    }
}
