//! The seed's question: is the library faster than running `ps aux` and parsing its output?
//! `lib` collects a `Listing` and prints it as `ps aux`; `ps` spawns `ps aux` and parses its
//! lines into structs (what a program without the library would do). Both write their text to
//! stdout. Measured side by side by `bench/listing.sh` (through `../shared/bench/bench-ps`,
//! whose CPU figures include the spawned `ps`).
//!
//! `cargo run --release --example listing_vs_ps -- lib|ps`

use std::io::Write;
use std::process::Command;

/// One `ps aux` row, parsed.
#[allow(dead_code)] // the fields are what a caller would read
struct Row {
    user: String,
    pid: i32,
    cpu: f32,
    mem: f32,
    vsz: u64,
    rss: u64,
    tty: String,
    stat: String,
    start: String,
    time: String,
    command: String,
}

fn parse(line: &str) -> Option<Row> {
    let mut w = line.split_whitespace();
    Some(Row {
        user: w.next()?.to_string(),
        pid: w.next()?.parse().ok()?,
        cpu: w.next()?.parse().ok()?,
        mem: w.next()?.parse().ok()?,
        vsz: w.next()?.parse().ok()?,
        rss: w.next()?.parse().ok()?,
        tty: w.next()?.to_string(),
        stat: w.next()?.to_string(),
        start: w.next()?.to_string(),
        time: w.next()?.to_string(),
        command: w.collect::<Vec<_>>().join(" "),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    match mode.as_str() {
        "lib" => {
            let l = gopsi::Listing::collect()?;
            write!(out, "{l}")?;
        }
        "ps" => {
            let o = Command::new("ps").arg("aux").output()?;
            let text = String::from_utf8_lossy(&o.stdout);
            let rows: Vec<Row> = text.lines().skip(1).filter_map(parse).collect();
            for r in &rows {
                writeln!(out, "{} {} {}", r.pid, r.rss, r.command)?;
            }
        }
        _ => {
            eprintln!("usage: listing_vs_ps lib|ps");
            std::process::exit(2);
        }
    }
    Ok(())
}
