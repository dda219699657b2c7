//! The busiest processes right now, refreshed every second (top's %CPU: the share of one CPU
//! each used since the last reading).
//!
//! `cargo run --example cpu_watch [ROUNDS]`

use std::time::Duration;

fn main() -> Result<(), gopsi::Error> {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    // The first reading already covers an interval: no zeros on the first round.
    let mut list = gopsi::Listing::sample(Duration::from_secs(1))?;
    for round in 0..rounds {
        if round > 0 {
            std::thread::sleep(Duration::from_secs(1));
            list.refresh()?;
        }
        let mut busy: Vec<_> = list
            .iter()
            .filter_map(|p| Some((p.cpu_percent_recent()?, p)))
            .filter(|(pct, _)| *pct > 0.0)
            .collect();
        busy.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("-- {} processes, busiest:", list.len());
        for (pct, p) in busy.iter().take(5) {
            println!("{:>8} {pct:6.1}%  {}", p.pid(), p.command());
        }
    }
    Ok(())
}
