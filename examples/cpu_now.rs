//! Host load and memory, then the busiest processes over half a second (a two-sample %CPU,
//! like top's), each with its lifetime average for comparison.
//!
//! `cargo run --example cpu_now`

use std::time::Duration;

use gopsi::inspect::cpu::{CpuSampler, CpuTime, clock_ticks};
use gopsi::inspect::host::{self, HostCpuSampler};
use gopsi::proc::{Needs, ProcFs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fs = ProcFs::default();
    let h = host::metrics(&fs)?;
    println!(
        "up {:.0} s, load {:.2} {:.2} {:.2}, {} CPUs, memory {} of {} KiB used",
        h.uptime_secs, h.load[0], h.load[1], h.load[2], h.cpus, h.mem_used_kib, h.mem_total_kib
    );
    // Both samplers take their baseline now; their first reading is already a real figure.
    let mut host_cpu = HostCpuSampler::new(&fs)?;
    let mut procs = CpuSampler::all(&fs).with_min_interval(Duration::from_millis(500));
    let pct = procs.read();
    println!("host CPU busy: {:.1}%", host_cpu.read()?);
    let mut busiest: Vec<(i32, f64)> = pct.into_iter().collect();
    busiest.sort_by(|a, b| b.1.total_cmp(&a.1));
    let hz = clock_ticks();
    let uptime = h.uptime_secs;
    let pids: Vec<i32> = busiest.iter().take(5).map(|b| b.0).collect();
    let info = fs.read_many(&pids, Needs::NONE);
    println!("{:>7} {:>6} {:>9}  COMMAND", "PID", "%CPU", "LIFETIME");
    for (pid, now) in busiest.iter().take(5) {
        let Some(p) = info.iter().find(|p| p.pid == *pid) else {
            continue;
        };
        let life = CpuTime::of(p).lifetime_percent(uptime, hz);
        println!(
            "{:>7} {:>6.1} {:>9.1}  {}",
            pid,
            now,
            life,
            String::from_utf8_lossy(&p.stat.comm)
        );
    }
    Ok(())
}
