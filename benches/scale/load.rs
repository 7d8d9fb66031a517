//! Searching a generated library: in-process through `Core::search`, and over HTTP against the
//! real server at 64 keep-alive connections, each from its own 127.0.1.x address as 64 phones
//! on the Wi-Fi would be (the server caps connections per address). Also the server's memory.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cartable::model::DocumentFilter;
use cartable::service::Core;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const CONNECTIONS: usize = 64;

/// The searches: the corpus' known-item queries (many documents match) and single documents'
/// own words (one does), alternately.
pub fn queries(corpus: &std::path::Path, n: usize) -> Vec<String> {
    let known: Vec<String> = super::corpus::queries(corpus)
        .into_iter()
        .map(|q| q.query)
        .collect();
    let mut queries = Vec::new();
    for (k, query) in known.iter().enumerate() {
        queries.push(query.clone());
        queries.push(super::library::unique_word((k * 7919) % n));
    }
    queries
}

/// Latencies of `rounds` passes over `queries`, top 10 with snippets; and whether each
/// document's own word found it first.
pub fn in_process(core: &Core, queries: &[String], rounds: usize) -> InProcess {
    let filter = DocumentFilter {
        limit: 10,
        public_only: true,
        ..DocumentFilter::default()
    };
    let mut latencies = Vec::new();
    let mut cpu = Vec::new();
    let mut by_query = vec![Vec::new(); queries.len()];
    let mut own_word_first = true;
    for _ in 0..rounds {
        for (q, query) in queries.iter().enumerate() {
            let started = Instant::now();
            let cpu_started = thread_cpu();
            let page = core.search(query, &filter).expect("queries run");
            cpu.push(ms(thread_cpu().saturating_sub(cpu_started)));
            latencies.push(ms(started.elapsed()));
            by_query[q].push(ms(started.elapsed()));
            if query.starts_with("zq")
                && !page
                    .hits
                    .first()
                    .is_some_and(|hit| hit.snippet.contains(query.as_str()))
            {
                if own_word_first {
                    let shown = page.hits.first().map(|hit| hit.snippet.as_str());
                    println!("  {query:?} did not come first with its word shown: {shown:?}");
                }
                own_word_first = false;
            }
        }
    }
    // The slowest queries (median of their rounds), to see where the tail comes from.
    let mut medians: Vec<(f64, &str)> = by_query
        .iter_mut()
        .zip(queries)
        .map(|(times, query)| {
            times.sort_by(f64::total_cmp);
            (percentile(times, 0.5), query.as_str())
        })
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = medians
        .iter()
        .take(5)
        .map(|(ms, query)| format!("{query:?} {ms:.1} ms"))
        .collect();
    println!(
        "  slowest queries in-process (median): {}",
        slowest.join(", ")
    );
    latencies.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    InProcess {
        p50: percentile(&latencies, 0.5),
        p99: percentile(&latencies, 0.99),
        cpu_p50: percentile(&cpu, 0.5),
        cpu_p99: percentile(&cpu, 0.99),
        own_word_first,
    }
}

/// The CPU time this thread has used: a search's own cost, which other work on a shared
/// machine does not stretch as it stretches the wall clock (a search runs on its caller's
/// thread).
fn thread_cpu() -> Duration {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

/// In-process search latencies, ms: wall clock, and the searching thread's CPU time.
pub struct InProcess {
    pub p50: f64,
    pub p99: f64,
    pub cpu_p50: f64,
    pub cpu_p99: f64,
    pub own_word_first: bool,
}

pub struct HttpFigures {
    pub p50: f64,
    pub p99: f64,
    pub per_second: f64,
    pub ok: usize,
    pub busy: usize,
    pub other: usize,
    /// The server's largest RSS seen during the load (VmRSS, anonymous, file-backed), MiB.
    pub peak_rss: (f64, f64, f64),
}

/// `/api/search` at [`CONNECTIONS`] keep-alive connections for `length`.
pub fn over_http(base: &str, pid: u32, queries: &[String], length: Duration) -> HttpFigures {
    let server: SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let queries = Arc::new(queries.to_vec());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let outcomes = runtime.block_on(async {
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|c| {
                let (queries, stop) = (Arc::clone(&queries), Arc::clone(&stop));
                tokio::spawn(async move { connection(server, c, &queries, &stop).await })
            })
            .collect();
        let mut peak_rss = (0.0, 0.0, 0.0);
        while started.elapsed() < length {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = rss_mib(pid);
            if now.0 > peak_rss.0 {
                peak_rss = now;
            }
        }
        stop.store(true, Ordering::SeqCst);
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.expect("a connection task"));
        }
        (all, peak_rss)
    });
    let elapsed = started.elapsed().as_secs_f64();
    let (outcomes, peak_rss) = outcomes;
    let mut latencies: Vec<f64> = outcomes
        .iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, ms)| *ms)
        .collect();
    latencies.sort_by(f64::total_cmp);
    HttpFigures {
        p50: percentile(&latencies, 0.5),
        p99: percentile(&latencies, 0.99),
        per_second: latencies.len() as f64 / elapsed,
        ok: latencies.len(),
        busy: outcomes.iter().filter(|(s, _)| *s == 503).count(),
        other: outcomes
            .iter()
            .filter(|(s, _)| *s != 200 && *s != 503)
            .count(),
        peak_rss,
    }
}

/// One phone: searches one after another on one connection (a new one after a refusal or a
/// close). Returns (status, ms) per request; status 0 for a broken connection.
async fn connection(
    server: SocketAddr,
    c: usize,
    queries: &[String],
    stop: &AtomicBool,
) -> Vec<(u16, f64)> {
    let from = IpAddr::V4(Ipv4Addr::new(127, 0, 1, 1 + c as u8));
    let mut outcomes = Vec::new();
    let mut stream = None;
    let mut k = c * 13;
    while !stop.load(Ordering::SeqCst) {
        k += 1;
        let query = encode(&queries[k % queries.len()]);
        let request =
            format!("GET /api/search?q={query}&limit=10 HTTP/1.1\r\nHost: kiosque\r\n\r\n");
        let started = Instant::now();
        if stream.is_none() {
            stream = connect(server, from).await;
        }
        let Some(open) = stream.as_mut() else {
            outcomes.push((0, ms(started.elapsed())));
            continue;
        };
        match exchange(open, &request).await {
            Some((status, keep)) => {
                outcomes.push((status, ms(started.elapsed())));
                if !keep {
                    stream = None;
                }
                if status == 503 {
                    // As a phone's waiting page would, a little later.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            None => {
                outcomes.push((0, ms(started.elapsed())));
                stream = None;
            }
        }
    }
    outcomes
}

async fn connect(server: SocketAddr, from: IpAddr) -> Option<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4().ok()?;
    socket.bind(SocketAddr::new(from, 0)).ok()?;
    socket.connect(server).await.ok()
}

/// Sends one request and reads its answer (Content-Length or chunked); (status, keep-alive).
async fn exchange(stream: &mut tokio::net::TcpStream, request: &str) -> Option<(u16, bool)> {
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let head_end = loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_ascii_lowercase();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let keep = !head.contains("connection: close");
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    loop {
        let body = &bytes[head_end..];
        let done = match length {
            Some(length) => body.len() >= length,
            None => body.ends_with(b"0\r\n\r\n"),
        };
        if done {
            return Some((status, keep));
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        bytes.extend_from_slice(&buffer[..read]);
    }
}

fn encode(query: &str) -> String {
    query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// (VmRSS, RssAnon, RssFile + RssShmem) of a process, MiB: a library on a tmpfs
/// (`CARTABLE_SCALE_DIR=/dev/shm/...`) has its mapped index counted as shared memory, where on
/// a disk it is page cache the kernel takes back when it needs it.
pub fn rss_mib(pid: u32) -> (f64, f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    let file = field("RssFile:") + field("RssShmem:");
    (field("VmRSS:"), field("RssAnon:"), file)
}

pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
