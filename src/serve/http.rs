//! The HTTP side of `gopsi serve`: hyper 1 on a current-thread tokio runtime. `GET /metrics`
//! runs one collection shared by every scrape that arrives while it runs, and answers in the
//! format and encoding the client accepts; `GET /` is a small page. Bounded: connections,
//! header size and time, connection lifetime; a shutdown future (the binary's SIGTERM and
//! SIGINT) ends it cleanly. Never reads /proc itself.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{
    ACCEPT, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_TYPE, HeaderValue, VARY,
};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, watch};

use super::collect::{Collector, Sample};
use super::expose::{self, Format, Naming};

/// How the server listens and what it bounds.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// Which names are exported.
    pub naming: Naming,
    /// Connections served at once; more wait in the kernel's backlog.
    pub max_connections: usize,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// A connection's longest life (keep-alive included); then it is closed gracefully.
    pub connection_lifetime: Duration,
    /// How long a scrape waits for its collection when the scraper sends no
    /// `X-Prometheus-Scrape-Timeout-Seconds`.
    pub default_scrape_timeout: Duration,
}

impl ServeOptions {
    /// Defaults for an address.
    pub fn new(listen: SocketAddr, naming: Naming) -> ServeOptions {
        ServeOptions {
            listen,
            naming,
            max_connections: 64,
            header_timeout: Duration::from_secs(10),
            connection_lifetime: Duration::from_secs(60),
            default_scrape_timeout: Duration::from_secs(60),
        }
    }
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The runtime or a signal handler could not be set up.
    #[error("cannot start the server: {0}")]
    Runtime(#[from] std::io::Error),
}

/// The largest request head accepted (bytes).
const MAX_HEAD: usize = 16 * 1024;

/// One finished collection and its encodings, made once each on demand.
#[derive(Debug)]
struct Scrape {
    sample: Arc<Sample>,
    bodies: [OnceLock<Bytes>; 4],
}

impl Scrape {
    fn body(&self, naming: Naming, format: Format, gzip: bool) -> Bytes {
        let i = usize::from(format == Format::OpenMetrics) * 2 + usize::from(gzip);
        self.bodies[i]
            .get_or_init(|| {
                let text = expose::encode(self.sample.clone(), naming, format);
                if gzip {
                    Bytes::from(expose::gzip(text.as_bytes()))
                } else {
                    Bytes::from(text)
                }
            })
            .clone()
    }
}

type Outcome = Option<Result<Arc<Scrape>, String>>;

/// The collector and the collection in flight, if any.
struct Shared {
    collector: Arc<Collector>,
    naming: Naming,
    inflight: Mutex<Option<watch::Receiver<Outcome>>>,
    default_timeout: Duration,
}

impl Shared {
    /// The result of the collection in flight, or of a new one started now.
    async fn scrape(self: &Arc<Self>, limit: Duration) -> Result<Arc<Scrape>, String> {
        let mut rx = {
            let mut slot = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
            match &*slot {
                Some(rx) => rx.clone(),
                None => {
                    let (tx, rx) = watch::channel(None);
                    *slot = Some(rx.clone());
                    let me = self.clone();
                    tokio::spawn(async move {
                        let c = me.collector.clone();
                        let done = tokio::task::spawn_blocking(move || c.collect()).await;
                        let out = match done {
                            Ok(sample) => Ok(Arc::new(Scrape {
                                sample: Arc::new(sample),
                                bodies: Default::default(),
                            })),
                            Err(e) => Err(format!("collection failed: {e}")),
                        };
                        *me.inflight.lock().unwrap_or_else(|p| p.into_inner()) = None;
                        let _ = tx.send(Some(out));
                    });
                    rx
                }
            }
        };
        let wait = rx.wait_for(Option::is_some);
        match tokio::time::timeout(limit, wait).await {
            Ok(Ok(v)) => v.clone().unwrap_or_else(|| Err("no result".into())),
            Ok(Err(_)) => Err("collection ended without a result".into()),
            Err(_) => Err(format!(
                "collection took longer than the scrape timeout ({:.1} s)",
                limit.as_secs_f64()
            )),
        }
    }
}

/// Runs the server until the future `shutdown` makes (inside the server's runtime, so it may
/// register tokio signal streams) completes; then it stops accepting and lets open responses
/// finish (5 s at most). The address is bound before anything else, so a port in use fails at
/// once; `ready` is called with the bound address (port 0 resolved). The library installs no
/// signal handler itself: the binary's `shutdown` waits for SIGTERM or SIGINT.
pub fn serve<S, F>(
    collector: Collector,
    opts: ServeOptions,
    ready: impl FnOnce(SocketAddr),
    shutdown: S,
) -> Result<(), ServeError>
where
    S: FnOnce() -> std::io::Result<F>,
    F: std::future::Future<Output = ()>,
{
    let std_listener =
        std::net::TcpListener::bind(opts.listen).map_err(|source| ServeError::Bind {
            addr: opts.listen,
            source,
        })?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(2)
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        let stop = shutdown()?;
        tokio::pin!(stop);
        ready(addr);
        let shared = Arc::new(Shared {
            collector: Arc::new(collector),
            naming: opts.naming,
            inflight: Mutex::new(None),
            default_timeout: opts.default_scrape_timeout,
        });
        let slots = Arc::new(Semaphore::new(opts.max_connections));
        let (stop_tx, stop_rx) = watch::channel(false);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                // A connection is accepted only when a slot is free; others wait in the
                // kernel's backlog.
                permit = slots.clone().acquire_owned() => {
                    let Ok(permit) = permit else { break };
                    let stream = tokio::select! {
                        _ = &mut stop => break,
                        acc = listener.accept() => match acc {
                            Ok((stream, _)) => stream,
                            Err(_) => {
                                // Out of descriptors or a reset before accept: back off.
                                tokio::time::sleep(Duration::from_millis(50)).await;
                                continue;
                            }
                        },
                    };
                    let _ = stream.set_nodelay(true);
                    let shared = shared.clone();
                    let opts = opts.clone();
                    let mut stop = stop_rx.clone();
                    tokio::spawn(async move {
                        let _permit = permit;
                        let mut b = hyper::server::conn::http1::Builder::new();
                        b.timer(TokioTimer::new())
                            .header_read_timeout(opts.header_timeout)
                            .max_buf_size(MAX_HEAD)
                            .max_headers(64);
                        let svc = hyper::service::service_fn(move |req| {
                            let shared = shared.clone();
                            async move { Ok::<_, Infallible>(handle(&shared, req).await) }
                        });
                        let conn = b.serve_connection(TokioIo::new(stream), svc);
                        tokio::pin!(conn);
                        tokio::select! {
                            _ = conn.as_mut() => return,
                            _ = tokio::time::sleep(opts.connection_lifetime) => {}
                            _ = stop.wait_for(|s| *s) => {}
                        }
                        conn.as_mut().graceful_shutdown();
                        let _ = tokio::time::timeout(Duration::from_secs(5), conn).await;
                    });
                }
            }
        }
        // Stop accepting; let open connections finish their response (briefly).
        drop(listener);
        let _ = stop_tx.send(true);
        let all = u32::try_from(opts.max_connections).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(Duration::from_secs(5), slots.acquire_many(all)).await;
        Ok::<(), std::io::Error>(())
    })?;
    Ok(())
}

const INDEX: &str = "<!doctype html>\n<html><head><title>gopsi exporter</title></head>\n<body><h1>gopsi exporter</h1>\n<p><a href=\"/metrics\">Metrics</a></p>\n</body></html>\n";

fn text(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

async fn handle(shared: &Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path();
    let known = matches!(path, "/" | "/metrics");
    if !known {
        return text(StatusCode::NOT_FOUND, "404 not found: try /metrics\n");
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n");
        r.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if path == "/" {
        let mut r = Response::new(Full::new(Bytes::from_static(INDEX.as_bytes())));
        r.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return r;
    }
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let format = Format::negotiate(header(ACCEPT.as_str()));
    let gzip = header(ACCEPT_ENCODING.as_str()).is_some_and(accepts_gzip);
    let limit = header("x-prometheus-scrape-timeout-seconds")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|t| t.is_finite() && *t > 0.0)
        // Answer a little before the scraper gives up.
        .map_or(shared.default_timeout, |t| {
            Duration::from_secs_f64((t - 0.25).clamp(0.1, 600.0))
        });
    match shared.scrape(limit).await {
        Ok(scrape) => {
            let mut r = Response::new(Full::new(scrape.body(shared.naming, format, gzip)));
            let h = r.headers_mut();
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            );
            h.insert(VARY, HeaderValue::from_static("Accept, Accept-Encoding"));
            if gzip {
                h.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            r
        }
        Err(why) => {
            let mut r = Response::new(Full::new(Bytes::from(format!("503: {why}\n"))));
            *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            r.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            r
        }
    }
}

/// Whether an `Accept-Encoding` value allows gzip (listed, or `*`, with a weight above 0).
fn accepts_gzip(v: &str) -> bool {
    v.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or("").to_ascii_lowercase();
        let q = parts
            .find_map(|p| {
                p.strip_prefix("q=")
                    .map(|q| q.trim().parse().unwrap_or(0.0))
            })
            .unwrap_or(1.0f32);
        (coding == "gzip" || coding == "*") && q > 0.0
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn gzip_acceptance() {
        assert!(super::accepts_gzip("gzip"));
        assert!(super::accepts_gzip("deflate, gzip;q=0.5"));
        assert!(!super::accepts_gzip("gzip;q=0"));
        assert!(!super::accepts_gzip("identity"));
    }
}
