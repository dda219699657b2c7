//! Which processes listen on a port (TCP or UDP, IPv4 or IPv6), like `ss -tulpn sport = :N`.
//!
//! `cargo run --example who_listens -- 22`

use gopsi::inspect::ports::{self, PortFilter};
use gopsi::proc::ProcFs;

fn main() -> Result<(), gopsi::Error> {
    let Some(port) = std::env::args().nth(1).and_then(|a| a.parse::<u16>().ok()) else {
        eprintln!("usage: who_listens PORT");
        std::process::exit(2);
    };
    let fs = ProcFs::default();
    // Listening TCP and UDP sockets of every process: one /proc/net read per table and one
    // socket-inode map for the whole run.
    let list = ports::list(&fs, &PortFilter::default())?;
    let mut found = false;
    for p in list.ports.iter().filter(|p| p.local_port == Some(port)) {
        found = true;
        let owners: Vec<String> = p
            .owners
            .iter()
            .map(|o| {
                format!(
                    "{} (pid {}, fd {})",
                    o.command.as_deref().unwrap_or("?"),
                    o.pid,
                    o.fd
                )
            })
            .collect();
        let who = if owners.is_empty() {
            "unknown owner".to_string()
        } else {
            owners.join(", ")
        };
        println!("{} {} {}: {who}", p.proto, p.local_text(), p.state);
    }
    if !found {
        println!("nothing listens on port {port}");
    }
    if !list.denied.is_empty() {
        eprintln!(
            "({} processes could not be inspected: run as root to see all)",
            list.denied.len()
        );
    }
    Ok(())
}
