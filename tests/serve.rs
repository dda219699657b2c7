//! `gopsi serve` and `gopsi metrics` against real parts: promtool lints and parses both text
//! formats, a real Prometheus scrapes the server, the real process-exporter runs beside it on
//! one configuration, and bad configurations, occupied ports and hostile clients are met.
//! Every server runs on a loopback port the kernel picks; every wait is bounded.

use crate::common::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether an external tool is here; with `GOPSI_REQUIRE_ORACLE` set, its absence fails.
fn need(test: &str, prog: &str) -> bool {
    if have(prog) {
        return true;
    }
    if std::env::var_os("GOPSI_REQUIRE_ORACLE").is_some() {
        panic!("GOPSI_REQUIRE_ORACLE is set but {prog} is not installed");
    }
    skip(test, &format!("{prog} is not installed"));
    false
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let d = std::env::temp_dir().join(format!("gopsi-serve-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        TempDir(d)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process ended (SIGTERM, then SIGKILL) when dropped.
struct Daemon(Child);

impl Daemon {
    fn pid(&self) -> i32 {
        self.0.id() as i32
    }
    /// SIGTERM, then waits up to `limit` for the exit status.
    fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let pid = nix::unistd::Pid::from_raw(self.pid());
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if let Ok(Some(s)) = self.0.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.terminate(Duration::from_secs(3));
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts `gopsi serve ARGS --listen 127.0.0.1:0` and returns it with its address (read from
/// the line it prints once it listens).
fn serve(args: &[&str]) -> (Daemon, SocketAddr) {
    let mut c = gopsi(["serve", "--listen", "127.0.0.1:0"]);
    c.args(args).stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = c.spawn().expect("start gopsi serve");
    let mut err = child.stderr.take().unwrap();
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while !line.ends_with(b"\n") && line.len() < 4096 {
        match err.read(&mut b) {
            Ok(1) => line.push(b[0]),
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&line).into_owned();
    let addr = text
        .trim()
        .strip_prefix("gopsi serve: listening on http://")
        .and_then(|s| s.strip_suffix("/metrics"))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("gopsi serve did not report its address: {text:?}"));
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut err, &mut std::io::sink());
    });
    (Daemon(child), addr)
}

/// One HTTP/1.1 exchange on a new connection (`Connection: close`).
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read reply");
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect::<Vec<(String, String)>>();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// Decodes a chunked transfer-encoded body (process-exporter's Go server sends one).
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&b[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        b = &b[eol + 2..];
        if size == 0 || size > b.len() {
            break;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[(size + 2).min(b.len())..];
    }
    out
}

fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    request(addr, "GET", path, headers)
}

const OPENMETRICS: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// `promtool check metrics` on a text exposition: its findings (empty when clean) and status.
fn promtool_lint(text: &[u8]) -> (bool, String) {
    let mut c = Command::new("promtool");
    c.args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("start promtool");
    let mut stdin = child.stdin.take().unwrap();
    let data = text.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let o = child.wait_with_output().unwrap();
    let _ = writer.join();
    let mut findings = String::from_utf8_lossy(&o.stdout).into_owned();
    findings.push_str(&String::from_utf8_lossy(&o.stderr));
    (o.status.success(), findings.trim().to_string())
}

/// Parses an OpenMetrics exposition with Prometheus's own OpenMetrics parser (promtool's
/// backfill reads OpenMetrics, `# EOF` required; it wants timestamps, so each sample gets
/// one). Returns the parse error, if any.
fn promtool_parse_openmetrics(text: &str, dir: &TempDir) -> Result<(), String> {
    let stamped: String = text
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("{l}\n")
            } else {
                format!("{l} 1700000000\n")
            }
        })
        .collect();
    let input = dir.path("om.txt");
    std::fs::write(&input, stamped).unwrap();
    let out = dir.path("blocks");
    let _ = std::fs::remove_dir_all(&out);
    let o = run(Command::new("promtool").args([
        "tsdb",
        "create-blocks-from",
        "openmetrics",
        input.to_str().unwrap(),
        out.to_str().unwrap(),
    ]));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    if o.status.success() && !all.contains("error") {
        Ok(())
    } else {
        Err(all)
    }
}

/// Sample lines `NAME{LABELS} VALUE` of a text exposition: (name, sorted labels, value).
/// One sample: metric name, labels sorted by name, value.
type SampleLine = (String, Vec<(String, String)>, f64);

fn samples(text: &str) -> Vec<SampleLine> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            let value: f64 = value.parse().ok()?;
            let (name, labels) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.strip_suffix('}')?),
                None => (series, ""),
            };
            let mut ls = Vec::new();
            let mut rest = labels;
            while let Some((k, v)) = rest.split_once("=\"") {
                // Values here never hold an escaped quote (fixture names are plain).
                let (val, tail) = v.split_once('"')?;
                ls.push((k.trim_start_matches(',').to_string(), val.to_string()));
                rest = tail;
            }
            ls.sort();
            Some((name.to_string(), ls, value))
        })
        .collect()
}

fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples(text).into_iter().find_map(|(n, ls, v)| {
        (n == name
            && labels
                .iter()
                .all(|(k, want)| ls.iter().any(|(lk, lv)| lk == k && lv == want)))
        .then_some(v)
    })
}

/// Copies `sleep` under a name unique to this test run (its comm) and starts `n` of them.
fn sleepers(fx: &mut Fixtures, dir: &TempDir, tag: &str, n: usize) -> (String, Vec<i32>) {
    let name = format!("{tag}{}", std::process::id() % 100_000);
    let bin = dir.path(&name);
    std::fs::copy("/usr/bin/sleep", &bin)
        .or_else(|_| std::fs::copy("/bin/sleep", &bin))
        .expect("copy sleep");
    let pids: Vec<i32> = (0..n)
        .map(|_| fx.spawn(Command::new("setsid").arg(&bin).arg("1000")))
        .collect();
    fx.settle(&pids, &["setsid"]);
    (name, pids)
}

#[test]
fn serve_answers_both_formats_and_promtool_finds_nothing() {
    let t = "serve_answers_both_formats_and_promtool_finds_nothing";
    let (_d, addr) = serve(&["--top", "5"]);
    let text = get(addr, "/metrics", &[]);
    assert_eq!(text.status, 200);
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let om = get(addr, "/metrics", &[("Accept", OPENMETRICS)]);
    assert_eq!(om.status, 200);
    assert_eq!(
        om.header("content-type"),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    assert!(om.text().ends_with("# EOF\n"));
    assert!(!text.text().contains("# EOF"));
    for needle in [
        "gopsi_host_cpu_seconds_total{mode=\"idle\"}",
        "gopsi_host_memory_total_bytes ",
        "gopsi_group_processes{group=",
        "gopsi_process_cpu_seconds_total{",
        "gopsi_group_listening_sockets{",
    ] {
        assert!(text.text().contains(needle), "{needle} missing");
        assert!(
            om.text().contains(needle),
            "{needle} missing from OpenMetrics"
        );
    }
    // gzip when accepted, and the same exposition inside.
    let z = get(addr, "/metrics", &[("Accept-Encoding", "gzip")]);
    assert_eq!(z.header("content-encoding"), Some("gzip"));
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&z.body[..])
        .read_to_string(&mut unzipped)
        .expect("a gzip body");
    assert!(unzipped.contains("# TYPE gopsi_group_processes gauge"));
    assert_eq!(get(addr, "/", &[]).status, 200);
    assert!(get(addr, "/", &[]).text().contains("href=\"/metrics\""));
    if !need(t, "promtool") {
        return;
    }
    let (ok, findings) = promtool_lint(&text.body);
    assert!(ok && findings.is_empty(), "promtool: {findings}");
    let (ok, findings) = promtool_lint(unzipped.as_bytes());
    assert!(ok && findings.is_empty(), "promtool (gzip): {findings}");
    let dir = TempDir::new("om");
    promtool_parse_openmetrics(&om.text(), &dir).expect("OpenMetrics parse");
}

#[test]
fn metrics_command_writes_atomically_and_passes_promtool() {
    let t = "metrics_command_writes_atomically_and_passes_promtool";
    let dir = TempDir::new("metrics");
    let o = run(&mut gopsi(["metrics", "--group-by", "user"]));
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("gopsi_group_processes{group=\"root\"}"),
        "{text}"
    );
    let file = dir.path("gopsi.prom");
    for format in ["prometheus", "openmetrics"] {
        let o = run(&mut gopsi([
            "metrics",
            "--group-by",
            "cgroup",
            "--format",
            format,
            "--output",
            file.to_str().unwrap(),
        ]));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stdout.is_empty());
        // Only the file itself is left (the temporary one was renamed over it).
        assert_eq!(dir_names(&dir.0), vec!["gopsi.prom".to_string()]);
    }
    let om = std::fs::read_to_string(&file).unwrap();
    assert!(om.ends_with("# EOF\n"));
    let o = run(&mut gopsi([
        "metrics",
        "--output",
        "/nonexistent-dir/x.prom",
    ]));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent-dir/x.prom"));
    if !need(t, "promtool") {
        return;
    }
    let (ok, findings) = promtool_lint(text.as_bytes());
    assert!(ok && findings.is_empty(), "promtool: {findings}");
    promtool_parse_openmetrics(&om, &dir).expect("OpenMetrics parse");
}

#[test]
fn command_lines_are_never_exported_by_default() {
    let mut fx = Fixtures::new();
    let secret = format!("gopsisecret{}", std::process::id());
    fx.sh(&format!("sleep 1000; : {secret}"));
    let dir = TempDir::new("secret");
    let (_name, _) = sleepers(&mut fx, &dir, "gpq", 1);
    for args in [
        vec!["metrics", "--top", "1000"],
        vec![
            "metrics",
            "--group-by",
            "exe",
            "--top",
            "1000",
            "--top-by",
            "rss",
        ],
        vec!["metrics", "--names", "process-exporter", "--top", "1000"],
    ] {
        let o = run(&mut gopsi(&args));
        assert!(o.status.success());
        assert!(
            !stdout(&o).contains(&secret),
            "{args:?} exported a command line"
        );
    }
}

/// A free loopback port (bound and released: the tools that need it cannot take port 0).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// An instant query against Prometheus's HTTP API: the first result's value.
fn prom_query(port: u16, query: &str) -> Option<f64> {
    let enc: String = query
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    drop(s);
    let r = get(addr, &format!("/api/v1/query?query={enc}"), &[]);
    let body = r.text();
    // {"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[1.7,"3"]}]}}
    let v = body.split("\"value\":[").nth(1)?;
    let v = v.split(',').nth(1)?;
    v.trim_start_matches('"').split('"').next()?.parse().ok()
}

#[test]
fn real_prometheus_scrapes_gopsi_serve() {
    let t = "real_prometheus_scrapes_gopsi_serve";
    if !need(t, "prometheus") {
        return;
    }
    let dir = TempDir::new("prometheus");
    let mut fx = Fixtures::new();
    let (name, _) = sleepers(&mut fx, &dir, "gpp", 3);
    let (_gopsi, addr) = serve(&[]);
    let port = free_port();
    std::fs::write(
        dir.path("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: gopsi\n    static_configs:\n      - targets: ['{addr}']\n"
        ),
    )
    .unwrap();
    let mut c = Command::new("prometheus");
    c.arg(format!(
        "--config.file={}",
        dir.path("prometheus.yml").display()
    ))
    .arg(format!(
        "--storage.tsdb.path={}",
        dir.path("data").display()
    ))
    .arg(format!("--web.listen-address=127.0.0.1:{port}"))
    .arg("--log.level=warn")
    .current_dir(&dir.0)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let _prom = Daemon(c.spawn().expect("start prometheus"));
    let up = wait_until(Duration::from_secs(30), || {
        prom_query(port, "up{job=\"gopsi\"}").filter(|v| *v == 1.0)
    });
    assert_eq!(
        up,
        Some(1.0),
        "Prometheus never saw up{{job=\"gopsi\"}} == 1"
    );
    let q = format!("gopsi_group_processes{{job=\"gopsi\",group=\"{name}\"}}");
    let n = wait_until(Duration::from_secs(15), || {
        prom_query(port, &q).filter(|v| *v == 3.0)
    });
    assert_eq!(n, Some(3.0), "{q} never showed 3");
    // Counters arrive with their OpenMetrics _total names, and scraping left no error.
    let cpu = format!("gopsi_group_cpu_seconds_total{{group=\"{name}\",mode=\"user\"}}");
    assert!(prom_query(port, &cpu).is_some(), "{cpu} missing");
    let errors = prom_query(port, "scrape_samples_post_metric_relabeling{job=\"gopsi\"}");
    assert!(errors.is_some_and(|v| v > 10.0), "{errors:?}");
}

/// The `namedprocess_namegroup_*` families of an exposition with their label-name sets.
fn families(
    text: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<Vec<String>>> {
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<Vec<String>>> =
        Default::default();
    for (name, labels, _) in samples(text) {
        if name.starts_with("namedprocess_namegroup_") {
            out.entry(name)
                .or_default()
                .insert(labels.into_iter().map(|(k, _)| k).collect());
        }
    }
    out
}

#[test]
fn process_exporter_and_gopsi_agree_on_one_config() {
    let t = "process_exporter_and_gopsi_agree_on_one_config";
    if !need(t, "prometheus-process-exporter") {
        return;
    }
    let dir = TempDir::new("pe");
    let mut fx = Fixtures::new();
    let (name, _) = sleepers(&mut fx, &dir, "gpc", 3);
    let tag = format!("gpt{}", std::process::id() % 100_000);
    for _ in 0..2 {
        fx.sh(&format!("while :; do sleep 1000; done # {tag}=tagged"));
    }
    let config = dir.path("pe.yml");
    std::fs::write(
        &config,
        format!(
            "process_names:\n  - comm: [{name}]\n  - name: 'sh-{{{{.Matches.t}}}}'\n    cmdline: ['{tag}=(?P<t>\\w+)']\n  - name: '{{{{.Comm}}}}'\n    cmdline: ['.+']\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let mut c = Command::new("prometheus-process-exporter");
    c.arg(format!("-config.path={}", config.display()))
        .arg(format!("-web.listen-address=127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let _pe = Daemon(c.spawn().expect("start process-exporter"));
    let pe_addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let (_g, addr) = serve(&[
        "--names",
        "process-exporter",
        "--config",
        config.to_str().unwrap(),
    ]);
    let pe = wait_until(Duration::from_secs(30), || {
        TcpStream::connect_timeout(&pe_addr, Duration::from_millis(200)).ok()?;
        let r = get(pe_addr, "/metrics", &[]);
        (r.status == 200).then(|| r.text())
    })
    .expect("process-exporter never answered");
    let ours = get(addr, "/metrics", &[]);
    assert_eq!(ours.status, 200);
    let ours = ours.text();
    // The same families with the same label sets.
    let (a, b) = (families(&pe), families(&ours));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "families differ"
    );
    for (fam, labels) in &a {
        assert_eq!(Some(labels), b.get(fam), "label sets of {fam} differ");
    }
    // The same TYPE lines for them.
    let types = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("# TYPE namedprocess_namegroup_"))
            .map(String::from)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    assert_eq!(types(&pe), types(&ours));
    // The fixture groups: the same counts and values (idle processes do not change).
    for (group, procs) in [(name.as_str(), 3.0), ("sh-tagged", 2.0)] {
        for (fam, labels) in [
            ("namedprocess_namegroup_num_procs", vec![]),
            ("namedprocess_namegroup_num_threads", vec![]),
            ("namedprocess_namegroup_states", vec![("state", "Sleeping")]),
            ("namedprocess_namegroup_open_filedesc", vec![]),
            ("namedprocess_namegroup_worst_fd_ratio", vec![]),
            ("namedprocess_namegroup_oldest_start_time_seconds", vec![]),
            (
                "namedprocess_namegroup_memory_bytes",
                vec![("memtype", "virtual")],
            ),
            (
                "namedprocess_namegroup_memory_bytes",
                vec![("memtype", "swapped")],
            ),
            (
                "namedprocess_namegroup_cpu_seconds_total",
                vec![("mode", "user")],
            ),
        ] {
            let mut l = vec![("groupname", group)];
            l.extend(labels.iter().copied());
            let (x, y) = (value(&pe, fam, &l), value(&ours, fam, &l));
            assert!(
                x.is_some(),
                "process-exporter has no {fam} {l:?}: {:?}",
                pe.lines().filter(|x| x.contains(group)).collect::<Vec<_>>()
            );
            assert_eq!(x, y, "{fam} {l:?}");
        }
        let l = [("groupname", group)];
        assert_eq!(
            value(&ours, "namedprocess_namegroup_num_procs", &l),
            Some(procs)
        );
        let rss = [("groupname", group), ("memtype", "resident")];
        let (x, y) = (
            value(&pe, "namedprocess_namegroup_memory_bytes", &rss).unwrap(),
            value(&ours, "namedprocess_namegroup_memory_bytes", &rss).unwrap(),
        );
        assert!((x - y).abs() <= x * 0.05, "resident {x} vs {y}");
    }
    // promtool flags in our output only names that process-exporter itself has.
    if have("promtool") {
        let (_, ours_findings) = promtool_lint(ours.as_bytes());
        let (_, pe_findings) = promtool_lint(pe.as_bytes());
        for f in ours_findings.lines() {
            assert!(
                pe_findings.contains(f),
                "finding not in process-exporter's: {f}"
            );
        }
    }
}

#[test]
fn bad_configs_and_flags_fail_before_listening() {
    let dir = TempDir::new("badcfg");
    let cases = [
        (
            "process_names:\n  - name: x\n    cmdline:\n    - ok\n    - 'b(ad'\n",
            ":5:",
            "bad cmdline regex",
        ),
        (
            "process_names:\n  - cmdlin: [a]\n",
            ":2:",
            "unknown key `cmdlin`",
        ),
        (
            "process_names:\n  - name: '{{.Nope}}'\n    comm: [a]\n",
            ":2:",
            "unknown action",
        ),
        ("process_names:\n  - name: x\n", ":2:", "no matchers"),
        ("process_names:\n  - name: [x\n", ":3:", "YAML syntax"),
        ("", "", "empty"),
    ];
    for (i, (text, line, why)) in cases.iter().enumerate() {
        let f = dir.path(&format!("c{i}.yml"));
        std::fs::write(&f, text).unwrap();
        for cmd in ["serve", "metrics"] {
            let o = run(&mut gopsi([cmd, "--config", f.to_str().unwrap()]));
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{text:?}: {err}");
            assert!(
                err.contains(&format!("{}{line}", f.display())) && err.contains(why),
                "{text:?}: {err}"
            );
            assert!(!err.contains("listening"), "{err}");
        }
    }
    let missing = run(&mut gopsi(["serve", "--config", "/nonexistent.yml"]));
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent.yml"));
    for args in [
        vec!["serve", "--group-by", "nope"],
        vec!["serve", "--listen", "nonsense"],
        vec!["serve", "--top", "x"],
        vec!["serve", "--bogus"],
        vec!["metrics", "--format", "xml"],
        vec!["serve", "--names", "other"],
    ] {
        let o = run(&mut gopsi(&args));
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
    let help = run(&mut gopsi(["serve", "--help"]));
    assert!(help.status.success() && stdout(&help).contains("--listen"));
}

#[test]
fn an_occupied_port_is_a_clear_error() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let o = run(&mut gopsi(["serve", "--listen", &addr]));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("cannot listen on {addr}")) && err.contains("in use"),
        "{err}"
    );
}

/// Reads until EOF or `limit`; returns the bytes and whether the peer closed.
fn read_until_closed(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let end = Instant::now() + limit;
    let mut out = Vec::new();
    let mut b = [0u8; 4096];
    while Instant::now() < end {
        match s.read(&mut b) {
            Ok(0) => return (out, true),
            Ok(n) => out.extend_from_slice(&b[..n]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return (out, true),
        }
    }
    (out, false)
}

#[test]
fn slow_and_malformed_clients_are_bounded() {
    let (mut d, addr) = serve(&[
        "--max-connections",
        "3",
        "--header-timeout",
        "1",
        "--connection-lifetime",
        "5",
    ]);
    // Other paths and methods.
    assert_eq!(get(addr, "/nope", &[]).status, 404);
    let post = request(addr, "POST", "/metrics", &[]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    assert_eq!(request(addr, "DELETE", "/", &[]).status, 405);
    let head = request(addr, "HEAD", "/metrics", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    // Garbage instead of a request: an error reply or a closed connection, never a hang.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"\x00\x01GARBAGE \xff\r\n\r\n").unwrap();
    let (reply, closed) = read_until_closed(&mut s, Duration::from_secs(3));
    assert!(closed, "garbage kept the connection open");
    if !reply.is_empty() {
        assert_eq!(parse_reply(&reply).status, 400);
    }
    // A header larger than the bound.
    let mut s = TcpStream::connect(addr).unwrap();
    let big = format!(
        "GET /metrics HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let _ = s.write_all(big.as_bytes());
    let (reply, closed) = read_until_closed(&mut s, Duration::from_secs(3));
    assert!(closed, "an oversized header kept the connection open");
    if !reply.is_empty() {
        assert_eq!(parse_reply(&reply).status, 431);
    }
    // Slow clients: three half-sent requests take every slot; they are cut after the header
    // timeout, and a fourth client waits for a slot instead of being refused.
    let slow: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let r = get(addr, "/metrics", &[]);
    assert_eq!(r.status, 200);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(500),
        "no wait for a slot: {waited:?}"
    );
    for mut s in slow {
        let (_, closed) = read_until_closed(&mut s, Duration::from_secs(3));
        assert!(closed, "a slow client was not cut off");
    }
    // An idle keep-alive connection ends at the connection lifetime.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (_, closed) = read_until_closed(&mut s, Duration::from_secs(8));
    assert!(closed, "a keep-alive connection outlived the lifetime");
    // Still serving, and SIGTERM ends it cleanly.
    assert_eq!(get(addr, "/metrics", &[]).status, 200);
    let status = d
        .terminate(Duration::from_secs(10))
        .expect("no exit after SIGTERM");
    assert!(status.success(), "{status:?}");
}

#[test]
fn hundred_concurrent_scrapes_share_collections() {
    let (_d, addr) = serve(&[]);
    let replies: Vec<Reply> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..100)
            .map(|i| {
                s.spawn(move || {
                    let accept = if i % 2 == 0 {
                        OPENMETRICS
                    } else {
                        "text/plain"
                    };
                    get(addr, "/metrics", &[("Accept", accept)])
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut max_collections = 0.0f64;
    for (i, r) in replies.iter().enumerate() {
        assert_eq!(r.status, 200, "scrape {i}: {}", r.text());
        let t = r.text();
        assert!(t.contains("gopsi_group_processes{"));
        if i % 2 == 0 {
            assert!(t.ends_with("# EOF\n"));
        }
        max_collections = max_collections.max(value(&t, "gopsi_collections_total", &[]).unwrap());
    }
    // Scrapes that arrive while a collection runs share it.
    assert!(
        max_collections < 50.0,
        "{max_collections} collections for 100 scrapes"
    );
}

#[test]
fn memory_stays_bounded_while_processes_come_and_go() {
    let (d, addr) = serve(&["--group-by", "comm", "--top", "10"]);
    let rss = || -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", d.pid()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    };
    let dir = TempDir::new("churn");
    let scrape = |i: usize| {
        // A short-lived process with a new name each round: new groups come and go.
        let bin = dir.path(&format!("gpm{i}"));
        let _ = std::fs::copy("/usr/bin/sleep", &bin);
        let mut c = Command::new(&bin).arg("0.05").spawn();
        assert_eq!(get(addr, "/metrics", &[]).status, 200);
        if let Ok(c) = c.as_mut() {
            let _ = c.wait();
        }
        let _ = std::fs::remove_file(&bin);
    };
    for i in 0..50 {
        scrape(i);
    }
    let before = rss();
    for i in 50..200 {
        scrape(i);
    }
    let after = rss();
    assert!(
        after <= before + 4096,
        "RSS grew from {before} kB to {after} kB over 150 scrapes"
    );
}

#[test]
fn values_follow_a_process_that_wakes_between_scrapes() {
    // A shell under a unique name sleeps, then opens two more descriptors: the scrape after
    // it woke must see them (values of processes that did not run are kept, not reread).
    let dir = TempDir::new("wake");
    let name = format!("gpw{}", std::process::id() % 100_000);
    let bin = dir.path(&name);
    std::fs::copy("/bin/sh", &bin).expect("copy sh");
    let mut fx = Fixtures::new();
    let (_d, addr) = serve(&[]);
    let script = "sleep 2.5; exec 3</etc/hostname 4</etc/hostname; while :; do sleep 1000; done";
    let pid = fx.spawn(Command::new("setsid").arg(&bin).arg("-c").arg(script));
    fx.settle(&[pid], &["setsid"]);
    std::thread::sleep(Duration::from_millis(400));
    let fds = |t: &str| value(t, "gopsi_group_open_fds", &[("group", &name)]);
    let before = fds(&get(addr, "/metrics", &[]).text()).expect("the shell's group");
    // An idle scrape in between: the shell waits for its sleep.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(fds(&get(addr, "/metrics", &[]).text()), Some(before));
    let after = wait_until(Duration::from_secs(10), || {
        fds(&get(addr, "/metrics", &[]).text()).filter(|v| *v == before + 2.0)
    });
    assert_eq!(
        after,
        Some(before + 2.0),
        "the woken shell's new descriptors were not seen"
    );
}
