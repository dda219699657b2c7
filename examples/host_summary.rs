//! The host as top's summary shows it, then the same values typed.
//!
//! `cargo run --example host_summary`

use std::time::Duration;

fn main() -> Result<(), gopsi::Error> {
    // Two readings 150 ms apart, as top's first frame: the CPU breakdown covers them.
    let s = gopsi::Host::sample(Duration::from_millis(150))?;
    print!("{s}");
    let m = s.memory();
    let cpu = s.cpu();
    println!(
        "\nup {} s, {} users, {} tasks ({} running), {:.1}% busy, {} of {} MiB used",
        s.uptime().as_secs(),
        s.users(),
        s.tasks().total,
        s.tasks().running,
        100.0 - cpu.idle,
        m.used >> 20,
        m.total >> 20,
    );
    Ok(())
}
