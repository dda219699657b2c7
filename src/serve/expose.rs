//! Names and encodes a [`Sample`]: gopsi's own metric names (Prometheus conventions under
//! `gopsi_`) or process-exporter's families, as OpenMetrics 1.0 or Prometheus 0.0.4 text
//! through `prometheus-client`, gzipped on request. Never reads /proc.

use std::fmt;
use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, MetricEncoder};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use super::collect::{Group, Sample};
use super::values::Counters;

/// Which metric names are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `gopsi_host_*`, `gopsi_group_*`, `gopsi_process_*`, `gopsi_scrape_*`.
    Gopsi,
    /// process-exporter's `namedprocess_namegroup_*` families, labels and types.
    ProcessExporter,
}

/// The text format of an exposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenMetrics 1.0 text (ends in `# EOF`).
    OpenMetrics,
    /// Prometheus text 0.0.4.
    Prometheus,
}

impl Format {
    /// The `Content-Type` of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Prometheus => prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        }
    }

    /// The format an `Accept` header asks for: OpenMetrics when it names
    /// `application/openmetrics-text` (version 1.0.0 or none) with a weight above 0 that is
    /// at least the weight of the Prometheus text format; Prometheus text otherwise.
    pub fn negotiate(accept: Option<&str>) -> Format {
        let Some(accept) = accept else {
            return Format::Prometheus;
        };
        let (mut om, mut text) = (None::<f32>, None::<f32>);
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let mime = parts.next().unwrap_or("").to_ascii_lowercase();
            let (mut q, mut version) = (1.0f32, None);
            for p in parts {
                if let Some((k, v)) = p.split_once('=') {
                    match k.trim().to_ascii_lowercase().as_str() {
                        "q" => q = v.trim().parse().unwrap_or(0.0),
                        "version" => version = Some(v.trim().to_string()),
                        _ => {}
                    }
                }
            }
            match mime.as_str() {
                "application/openmetrics-text"
                    if version.as_deref().is_none_or(|v| v == "1.0.0") =>
                {
                    om = Some(om.map_or(q, |o| o.max(q)));
                }
                "text/plain" | "*/*" | "text/*" => text = Some(text.map_or(q, |t| t.max(q))),
                _ => {}
            }
        }
        match om {
            Some(o) if o > 0.0 && text.is_none_or(|t| o >= t) => Format::OpenMetrics,
            _ => Format::Prometheus,
        }
    }
}

/// Encodes a sample as text.
pub fn encode(sample: Arc<Sample>, naming: Naming, format: Format) -> String {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(Exposition { sample, naming }));
    let mut out = String::new();
    // Writing into a String cannot fail; the encoder returns fmt::Error only for its writer.
    let _ = match format {
        Format::OpenMetrics => prometheus_client::encoding::text::encode(&mut out, &registry),
        Format::Prometheus => {
            prometheus_client::encoding::prometheus_text::encode(&mut out, &registry)
        }
    };
    out
}

/// Gzips a body (fast level: the exposition is text that compresses well anyway).
pub fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 8),
        flate2::Compression::fast(),
    );
    // Writing into a Vec cannot fail.
    let _ = e.write_all(body);
    e.finish().unwrap_or_default()
}

#[derive(Debug)]
struct Exposition {
    sample: Arc<Sample>,
    naming: Naming,
}

impl Collector for Exposition {
    fn encode(&self, mut enc: DescriptorEncoder) -> fmt::Result {
        match self.naming {
            Naming::Gopsi => gopsi(&self.sample, &mut enc),
            Naming::ProcessExporter => process_exporter(&self.sample, &mut enc),
        }
    }
}

type Labels<'a> = [(&'a str, &'a str)];

fn gauge<N: prometheus_client::encoding::EncodeGaugeValue>(
    me: &mut MetricEncoder,
    labels: &Labels,
    v: N,
) -> fmt::Result {
    ConstGauge::new(v).encode(me.encode_family(&labels)?)
}

fn counter<N: prometheus_client::encoding::EncodeCounterValue>(
    me: &mut MetricEncoder,
    labels: &Labels,
    v: N,
) -> fmt::Result {
    ConstCounter::new(v).encode(me.encode_family(&labels)?)
}

/// Writes one family whose samples `rows` produces.
fn family(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<Unit>,
    ty: MetricType,
    rows: impl FnOnce(&mut MetricEncoder) -> fmt::Result,
) -> fmt::Result {
    let mut me = enc.encode_descriptor(name, help, unit.as_ref(), ty)?;
    rows(&mut me)
}

/// A per-group family: one sample per group (or several, by `each`).
fn per_group(
    enc: &mut DescriptorEncoder,
    groups: &[Group],
    spec: (&str, &str, Option<Unit>, MetricType),
    each: impl Fn(&mut MetricEncoder, &Group) -> fmt::Result,
) -> fmt::Result {
    let (name, help, unit, ty) = spec;
    family(enc, name, help, unit, ty, |me| {
        groups.iter().try_for_each(|g| each(me, g))
    })
}

fn secs(ticks: u64, hz: u64) -> f64 {
    ticks as f64 / hz.max(1) as f64
}

/// gopsi's names for a state letter (ps's STAT codes spelled out).
fn state_name(s: u8) -> String {
    match s {
        b'R' => "running".into(),
        b'S' => "sleeping".into(),
        b'D' => "disk_sleep".into(),
        b'T' => "stopped".into(),
        b't' => "tracing_stop".into(),
        b'Z' => "zombie".into(),
        b'X' => "dead".into(),
        b'I' => "idle".into(),
        b'P' => "parked".into(),
        b'W' => "paging".into(),
        b'K' => "wakekill".into(),
        other => char::from(other).to_string(),
    }
}

fn gopsi(s: &Sample, enc: &mut DescriptorEncoder) -> fmt::Result {
    use MetricType::{Counter, Gauge};
    let h = &s.host;
    let hz = s.hz;
    family(
        enc,
        "gopsi_build",
        "gopsi's version.",
        None,
        MetricType::Info,
        |me| {
            let none: &Labels = &[];
            Info::new([("version", env!("CARGO_PKG_VERSION"))]).encode(me.encode_family(&none)?)
        },
    )?;
    family(
        enc,
        "gopsi_host_cpu",
        "CPU time of all CPUs by mode (/proc/stat).",
        Some(Unit::Seconds),
        Counter,
        |me| {
            let c = &h.cpu;
            for (mode, t) in [
                ("user", c.user),
                ("nice", c.nice),
                ("system", c.system),
                ("idle", c.idle),
                ("iowait", c.iowait),
                ("irq", c.irq),
                ("softirq", c.softirq),
                ("steal", c.steal),
            ] {
                counter(me, &[("mode", mode)], secs(t, hz))?;
            }
            Ok(())
        },
    )?;
    for (name, help, v) in [
        (
            "gopsi_host_load1",
            "Load average over 1 minute.",
            h.load.one,
        ),
        (
            "gopsi_host_load5",
            "Load average over 5 minutes.",
            h.load.five,
        ),
        (
            "gopsi_host_load15",
            "Load average over 15 minutes.",
            h.load.fifteen,
        ),
    ] {
        family(enc, name, help, None, Gauge, |me| gauge(me, &[], v))?;
    }
    let m = &h.mem;
    for (name, help, kb) in [
        (
            "gopsi_host_memory_total",
            "Usable memory (MemTotal).",
            m.mem_total,
        ),
        (
            "gopsi_host_memory_free",
            "Unused memory (MemFree).",
            m.mem_free,
        ),
        (
            "gopsi_host_memory_available",
            "Memory available without swapping (MemAvailable).",
            m.mem_available,
        ),
        (
            "gopsi_host_memory_buffers",
            "Block device buffers (Buffers).",
            m.buffers,
        ),
        (
            "gopsi_host_memory_cached",
            "Page cache, tmpfs and shared memory (Cached).",
            m.cached,
        ),
        (
            "gopsi_host_swap_total",
            "Swap space (SwapTotal).",
            m.swap_total,
        ),
        (
            "gopsi_host_swap_free",
            "Unused swap space (SwapFree).",
            m.swap_free,
        ),
    ] {
        family(enc, name, help, Some(Unit::Bytes), Gauge, |me| {
            gauge(me, &[], kb.saturating_mul(1024))
        })?;
    }
    family(
        enc,
        "gopsi_host_tasks",
        "Processes by state.",
        None,
        Gauge,
        |me| {
            h.states
                .iter()
                .try_for_each(|(st, n)| gauge(me, &[("state", &state_name(*st))], *n))
        },
    )?;
    family(
        enc,
        "gopsi_host_boot_time",
        "When the host booted, seconds since the epoch.",
        Some(Unit::Seconds),
        Gauge,
        |me| gauge(me, &[], h.boot_time),
    )?;
    family(
        enc,
        "gopsi_host_users",
        "Logged-in user sessions (utmp).",
        None,
        Gauge,
        |me| gauge(me, &[], h.users),
    )?;
    let g = &s.groups;
    per_group(
        enc,
        g,
        (
            "gopsi_group_processes",
            "Processes in the group.",
            None,
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.procs),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_threads",
            "Threads of the group's processes.",
            None,
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.threads),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_cpu",
            "CPU time of the group's processes by mode (those that exited included).",
            Some(Unit::Seconds),
            Counter,
        ),
        |me, x| {
            counter(
                me,
                &[("group", &x.name), ("mode", "user")],
                secs(x.counters.user_ticks, hz),
            )?;
            counter(
                me,
                &[("group", &x.name), ("mode", "system")],
                secs(x.counters.system_ticks, hz),
            )
        },
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_resident_memory",
            "Resident memory of the group's processes.",
            Some(Unit::Bytes),
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.resident_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_virtual_memory",
            "Virtual memory of the group's processes.",
            Some(Unit::Bytes),
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.virtual_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_swap",
            "Swapped-out memory of the group's processes.",
            Some(Unit::Bytes),
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.swap_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_open_fds",
            "Open file descriptors of the group's processes.",
            None,
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.open_fds),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_fd_usage",
            "The highest open-descriptors-to-limit ratio among the group's processes.",
            Some(Unit::Ratios),
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.worst_fd_ratio),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_read",
            "Bytes the group's processes read from storage.",
            Some(Unit::Bytes),
            Counter,
        ),
        |me, x| counter(me, &[("group", &x.name)], x.counters.read_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_written",
            "Bytes the group's processes wrote to storage.",
            Some(Unit::Bytes),
            Counter,
        ),
        |me, x| counter(me, &[("group", &x.name)], x.counters.write_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_context_switches",
            "Context switches of the group's processes by kind.",
            None,
            Counter,
        ),
        |me, x| {
            counter(
                me,
                &[("group", &x.name), ("kind", "voluntary")],
                x.counters.voluntary_switches,
            )?;
            counter(
                me,
                &[("group", &x.name), ("kind", "involuntary")],
                x.counters.involuntary_switches,
            )
        },
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_page_faults",
            "Page faults of the group's processes by kind.",
            None,
            Counter,
        ),
        |me, x| {
            counter(
                me,
                &[("group", &x.name), ("kind", "major")],
                x.counters.major_faults,
            )?;
            counter(
                me,
                &[("group", &x.name), ("kind", "minor")],
                x.counters.minor_faults,
            )
        },
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_oldest_start_time",
            "Start of the group's oldest process, seconds since the epoch.",
            Some(Unit::Seconds),
            Gauge,
        ),
        |me, x| match x.oldest_start {
            Some(t) => gauge(me, &[("group", &x.name)], t),
            None => Ok(()),
        },
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_processes_in_state",
            "The group's processes by state.",
            None,
            Gauge,
        ),
        |me, x| {
            x.states.iter().try_for_each(|(st, n)| {
                gauge(me, &[("group", &x.name), ("state", &state_name(*st))], *n)
            })
        },
    )?;
    per_group(
        enc,
        g,
        (
            "gopsi_group_listening_sockets",
            "Distinct listening TCP and UDP sockets the group's processes hold.",
            None,
            Gauge,
        ),
        |me, x| gauge(me, &[("group", &x.name)], x.listening),
    )?;
    if !s.top.is_empty() {
        let t = &s.top;
        let pids: Vec<String> = t.iter().map(|p| p.pid.to_string()).collect();
        let lab = |i: usize| {
            [
                ("pid", pids[i].as_str()),
                ("comm", t[i].comm.as_str()),
                ("group", &*t[i].group),
            ]
        };
        family(
            enc,
            "gopsi_process_cpu",
            "CPU time of one of the heaviest processes by mode.",
            Some(Unit::Seconds),
            Counter,
            |me| {
                (0..t.len()).try_for_each(|i| {
                    let [a, b, c] = lab(i);
                    counter(
                        me,
                        &[a, b, c, ("mode", "user")],
                        secs(t[i].values.counters.user_ticks, hz),
                    )?;
                    counter(
                        me,
                        &[a, b, c, ("mode", "system")],
                        secs(t[i].values.counters.system_ticks, hz),
                    )
                })
            },
        )?;
        family(
            enc,
            "gopsi_process_resident_memory",
            "Resident memory of one of the heaviest processes.",
            Some(Unit::Bytes),
            Gauge,
            |me| (0..t.len()).try_for_each(|i| gauge(me, &lab(i), t[i].values.resident_bytes)),
        )?;
        family(
            enc,
            "gopsi_process_virtual_memory",
            "Virtual memory of one of the heaviest processes.",
            Some(Unit::Bytes),
            Gauge,
            |me| (0..t.len()).try_for_each(|i| gauge(me, &lab(i), t[i].values.virtual_bytes)),
        )?;
        family(
            enc,
            "gopsi_process_open_fds",
            "Open file descriptors of one of the heaviest processes.",
            None,
            Gauge,
            |me| {
                (0..t.len()).try_for_each(|i| gauge(me, &lab(i), t[i].values.open_fds.unwrap_or(0)))
            },
        )?;
        family(
            enc,
            "gopsi_process_threads",
            "Threads of one of the heaviest processes.",
            None,
            Gauge,
            |me| (0..t.len()).try_for_each(|i| gauge(me, &lab(i), t[i].values.threads)),
        )?;
        family(
            enc,
            "gopsi_process_start_time",
            "Start of one of the heaviest processes, seconds since the epoch.",
            Some(Unit::Seconds),
            Gauge,
            |me| (0..t.len()).try_for_each(|i| gauge(me, &lab(i), t[i].start)),
        )?;
    }
    family(
        enc,
        "gopsi_scrape_duration",
        "How long the collection for this scrape took.",
        Some(Unit::Seconds),
        Gauge,
        |me| gauge(me, &[], s.duration.as_secs_f64()),
    )?;
    family(
        enc,
        "gopsi_collections",
        "Collections of /proc since the exporter started (concurrent scrapes share one).",
        None,
        Counter,
        |me| counter(me, &[], s.collections),
    )?;
    family(
        enc,
        "gopsi_scrape_processes",
        "Processes read for this scrape.",
        None,
        Gauge,
        |me| gauge(me, &[], s.processes),
    )?;
    family(
        enc,
        "gopsi_scrape_read_errors",
        "Reads that failed for this scrape, other than of processes that exited.",
        None,
        Gauge,
        |me| gauge(me, &[], s.errors),
    )
}

/// process-exporter's state names.
fn pe_state(s: u8) -> usize {
    match s {
        b'R' => 0,
        b'S' => 1,
        b'D' => 2,
        b'Z' => 3,
        _ => 4,
    }
}

fn process_exporter(s: &Sample, enc: &mut DescriptorEncoder) -> fmt::Result {
    use MetricType::{Counter, Gauge};
    let g = &s.groups;
    let hz = s.hz;
    let pg = |me: &mut MetricEncoder, x: &Group, v: u64| gauge(me, &[("groupname", &x.name)], v);
    let pc = |me: &mut MetricEncoder, x: &Group, v: u64| counter(me, &[("groupname", &x.name)], v);
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_num_procs",
            "Processes in the group.",
            None,
            Gauge,
        ),
        |me, x| pg(me, x, x.procs),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_cpu_seconds",
            "CPU time of the group by mode, seconds.",
            None,
            Counter,
        ),
        |me, x| {
            counter(
                me,
                &[("groupname", &x.name), ("mode", "user")],
                secs(x.counters.user_ticks, hz),
            )?;
            counter(
                me,
                &[("groupname", &x.name), ("mode", "system")],
                secs(x.counters.system_ticks, hz),
            )
        },
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_read_bytes",
            "Bytes the group read.",
            None,
            Counter,
        ),
        |me, x| pc(me, x, x.counters.read_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_write_bytes",
            "Bytes the group wrote.",
            None,
            Counter,
        ),
        |me, x| pc(me, x, x.counters.write_bytes),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_major_page_faults",
            "Major page faults of the group.",
            None,
            Counter,
        ),
        |me, x| pc(me, x, x.counters.major_faults),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_minor_page_faults",
            "Minor page faults of the group.",
            None,
            Counter,
        ),
        |me, x| pc(me, x, x.counters.minor_faults),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_context_switches",
            "Context switches of the group by kind.",
            None,
            Counter,
        ),
        |me, x| ctx(me, &[("groupname", &x.name)], &x.counters),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_memory_bytes",
            "Memory of the group by kind, bytes.",
            None,
            Gauge,
        ),
        |me, x| {
            for (t, v) in [
                ("resident", x.resident_bytes),
                ("virtual", x.virtual_bytes),
                ("swapped", x.swap_bytes),
                ("proportionalResident", x.pss_bytes),
                ("proportionalSwapped", x.swap_pss_bytes),
            ] {
                gauge(me, &[("groupname", &x.name), ("memtype", t)], v)?;
            }
            Ok(())
        },
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_open_filedesc",
            "Open file descriptors of the group.",
            None,
            Gauge,
        ),
        |me, x| pg(me, x, x.open_fds),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_worst_fd_ratio",
            "The highest open-descriptors-to-limit ratio in the group.",
            None,
            Gauge,
        ),
        |me, x| gauge(me, &[("groupname", &x.name)], x.worst_fd_ratio),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_oldest_start_time_seconds",
            "Start of the group's oldest process, seconds since the epoch.",
            None,
            Gauge,
        ),
        |me, x| {
            // process-exporter prints whole seconds, and Go's zero time for an empty group.
            let t = x.oldest_start.map_or(-62_135_596_800.0, f64::floor);
            gauge(me, &[("groupname", &x.name)], t)
        },
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_num_threads",
            "Threads of the group.",
            None,
            Gauge,
        ),
        |me, x| pg(me, x, x.threads),
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_states",
            "Processes and threads of the group by state.",
            None,
            Gauge,
        ),
        |me, x| {
            let mut n = [0u64; 5];
            for (st, c) in &x.states {
                n[pe_state(*st)] += c;
            }
            for (name, v) in ["Running", "Sleeping", "Waiting", "Zombie", "Other"]
                .iter()
                .zip(n)
            {
                gauge(me, &[("groupname", &x.name), ("state", name)], v)?;
            }
            Ok(())
        },
    )?;
    per_group(
        enc,
        g,
        (
            "namedprocess_namegroup_threads_wchan",
            "Threads of the group by wait channel.",
            None,
            Gauge,
        ),
        |me, x| {
            x.wchans
                .iter()
                .try_for_each(|(w, n)| gauge(me, &[("groupname", &x.name), ("wchan", w)], *n))
        },
    )?;
    let threads = |me: &mut MetricEncoder,
                   f: &dyn Fn(
        &mut MetricEncoder,
        &Labels,
        &super::collect::ThreadName,
    ) -> fmt::Result| {
        g.iter().try_for_each(|x| {
            x.thread_names
                .iter()
                .try_for_each(|t| f(me, &[("groupname", &x.name), ("threadname", &t.name)], t))
        })
    };
    family(
        enc,
        "namedprocess_namegroup_thread_count",
        "Threads of the group with this name.",
        None,
        Gauge,
        |me| threads(me, &|me, l, t| gauge(me, l, t.count)),
    )?;
    family(
        enc,
        "namedprocess_namegroup_thread_cpu_seconds",
        "CPU time of the group's threads with this name by mode, seconds.",
        None,
        Counter,
        |me| {
            threads(me, &|me, l, t| {
                counter(
                    me,
                    &[l[0], l[1], ("mode", "user")],
                    secs(t.counters.user_ticks, hz),
                )?;
                counter(
                    me,
                    &[l[0], l[1], ("mode", "system")],
                    secs(t.counters.system_ticks, hz),
                )
            })
        },
    )?;
    family(
        enc,
        "namedprocess_namegroup_thread_io_bytes",
        "Bytes the group's threads with this name read and wrote.",
        None,
        Counter,
        |me| {
            threads(me, &|me, l, t| {
                counter(me, &[l[0], l[1], ("iomode", "read")], t.counters.read_bytes)?;
                counter(
                    me,
                    &[l[0], l[1], ("iomode", "write")],
                    t.counters.write_bytes,
                )
            })
        },
    )?;
    family(
        enc,
        "namedprocess_namegroup_thread_major_page_faults",
        "Major page faults of the group's threads with this name.",
        None,
        Counter,
        |me| threads(me, &|me, l, t| counter(me, l, t.counters.major_faults)),
    )?;
    family(
        enc,
        "namedprocess_namegroup_thread_minor_page_faults",
        "Minor page faults of the group's threads with this name.",
        None,
        Counter,
        |me| threads(me, &|me, l, t| counter(me, l, t.counters.minor_faults)),
    )?;
    family(
        enc,
        "namedprocess_namegroup_thread_context_switches",
        "Context switches of the group's threads with this name by kind.",
        None,
        Counter,
        |me| threads(me, &|me, l, t| ctx(me, l, &t.counters)),
    )
}

fn ctx(me: &mut MetricEncoder, l: &Labels, c: &Counters) -> fmt::Result {
    let mut v: Vec<(&str, &str)> = l.to_vec();
    v.push(("ctxswitchtype", "voluntary"));
    counter(me, &v, c.voluntary_switches)?;
    v.pop();
    v.push(("ctxswitchtype", "nonvoluntary"));
    counter(me, &v, c.involuntary_switches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        use Format::*;
        assert_eq!(Format::negotiate(None), Prometheus);
        assert_eq!(Format::negotiate(Some("text/plain")), Prometheus);
        // Prometheus 2.x's own header.
        assert_eq!(
            Format::negotiate(Some(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
            )),
            OpenMetrics
        );
        assert_eq!(
            Format::negotiate(Some("application/openmetrics-text")),
            OpenMetrics
        );
        assert_eq!(
            Format::negotiate(Some("application/openmetrics-text;version=0.0.1")),
            Prometheus
        );
        assert_eq!(
            Format::negotiate(Some("application/openmetrics-text;q=0.2, text/plain;q=0.9")),
            Prometheus
        );
        assert_eq!(
            Format::negotiate(Some("application/openmetrics-text;q=0")),
            Prometheus
        );
    }

    #[test]
    fn both_formats_encode_a_sample() {
        let mut s = Sample {
            hz: 100,
            ..Sample::default()
        };
        s.groups.push(Group {
            name: "a\"b\\c\nd".into(),
            procs: 2,
            ..Group::default()
        });
        let s = Arc::new(s);
        let om = encode(s.clone(), Naming::Gopsi, Format::OpenMetrics);
        assert!(om.ends_with("# EOF\n"), "{om}");
        assert!(
            om.contains("# TYPE gopsi_group_cpu_seconds counter\n"),
            "{om}"
        );
        assert!(
            om.contains("# UNIT gopsi_group_cpu_seconds seconds\n"),
            "{om}"
        );
        assert!(
            om.contains("gopsi_group_processes{group=\"a\\\"b\\\\c\\nd\"} 2\n"),
            "{om}"
        );
        let text = encode(s.clone(), Naming::Gopsi, Format::Prometheus);
        assert!(
            !text.contains("# EOF") && !text.contains("# UNIT"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE gopsi_group_cpu_seconds_total counter\n"),
            "{text}"
        );
        assert!(text.contains("# TYPE gopsi_build_info gauge\n"), "{text}");
        let pe = encode(s, Naming::ProcessExporter, Format::Prometheus);
        assert!(
            pe.contains("namedprocess_namegroup_num_procs{groupname=\"a\\\"b\\\\c\\nd\"} 2\n"),
            "{pe}"
        );
        assert!(!pe.contains("gopsi_"), "{pe}");
        let z = gzip(pe.as_bytes());
        assert_eq!(&z[..2], &[0x1f, 0x8b]);
    }
}
