//! The processes using the most resident memory, biggest first.
//!
//! `cargo run --example top_memory [N]`

fn main() -> Result<(), gopsi::Error> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let mut list = gopsi::Listing::collect()?;
    // ps's own sort keys: biggest RSS first, ties by pid.
    list.sort_by("-rss,pid")?;
    for p in list.iter().take(n) {
        let mib = p.rss_bytes() as f64 / (1024.0 * 1024.0);
        let user = p.user().map_or_else(|| p.uid().to_string(), str::to_string);
        println!(
            "{:>8} {:>9.1} MiB  {user:<10} {}",
            p.pid(),
            mib,
            p.command()
        );
    }
    Ok(())
}
