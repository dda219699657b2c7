//! The five processes using the most resident memory, with their sizes.
//!
//! `cargo run --example top_memory [N]`

use gopsi::inspect::memory::{Memory, page_kib};
use gopsi::proc::ProcFs;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let fs = ProcFs::default();
    let page = page_kib();
    // Read only what the memory figures need: stat (always), status and statm.
    let mut procs: Vec<_> = fs
        .processes(Memory::NEEDS)?
        .into_iter()
        .map(|p| (Memory::of(&p, page), p))
        .collect();
    procs.sort_by_key(|b| std::cmp::Reverse(b.0.rss_kib));
    println!(
        "{:>7} {:>10} {:>10} {:>10}  COMMAND",
        "PID", "RSS KiB", "SHR KiB", "SWAP KiB"
    );
    for (m, p) in procs.iter().take(n) {
        println!(
            "{:>7} {:>10} {:>10} {:>10}  {}",
            p.pid,
            m.rss_kib,
            m.shared_kib,
            m.swap_kib,
            String::from_utf8_lossy(&p.stat.comm)
        );
    }
    Ok(())
}
