//! The Monday-morning rush against the real binary, on loopback only, bounded in time, figures
//! and one check (the memory budget, below): 1,000 family clients at once (each from its own 127.0.x.y
//! address, as phones on the Wi-Fi) mixing pages, searches, downloads and zips, a tenth of them
//! slow readers that never read their download; a login flood of 200 made-up accounts from 20
//! phones; one staff client logging in, uploading and searching. Printed for the server with
//! admission control and with it turned off (`CARTABLE_ADMISSION=false`): staff p50/p99,
//! family outcomes (complete / 503 waiting page / anything else), server peak RSS, and the
//! time until a family search is back to its usual latency after the rush.
//!
//! It fails (exit 1) when the server's peak RSS with admission control passes
//! [`MEMORY_BUDGET_MIB`]: the promise the README and image/'s systemd unit make for a 512 MB Pi
//! Zero 2 W. (Without admission control it is only measured: that mode exists to show what
//! admission does.)
//!
//! The server is started with the environment of the bench (no `MALLOC_*` settings added): it
//! sets glibc's allocator up itself (src/cli/allocator.rs), and the budget holds only if it does.
//!
//! Run: `cargo bench --bench rush` (imports ../shared/corpus/public when present, else the
//! sample documents; `CARTABLE_RUSH_SECONDS` sets the rush's length, default 20;
//! `CARTABLE_RUSH_MODES=on` runs only the server with admission control, `off` only without).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;

const FAMILIES: usize = 1000;
const SLOW_READERS: usize = 100;
const FLOOD_LOGINS: usize = 200;
const FLOOD_PHONES: u8 = 20;
const STAFF: (&str, &str) = ("m.dupont", "mot-de-passe-du-lundi");
/// No request waits longer than this: past it, the outcome is "no answer".
const REQUEST_LIMIT: Duration = Duration::from_secs(30);
/// The server's peak resident memory with admission control, at most (README, "Capacité").
const MEMORY_BUDGET_MIB: f64 = 150.0;

fn main() {
    raise_open_files();
    let seconds: u64 = std::env::var("CARTABLE_RUSH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let work = tempfile::tempdir().expect("a temporary folder");
    let data = work.path().join("data");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/public");
    let binary = env!("CARGO_BIN_EXE_cartable");
    if corpus.is_dir() {
        let status = Command::new(binary)
            .args(["--data", data.to_str().unwrap(), "import"])
            .arg(&corpus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("import runs");
        println!("corpus imported ({status})");
    } else {
        println!("no corpus beside the clone: the sample documents only");
    }
    common::add_staff(binary, &data, STAFF);
    println!(
        "rush: {FAMILIES} families ({SLOW_READERS} slow readers), {FLOOD_LOGINS} made-up logins from {FLOOD_PHONES} phones, 1 staff client, {seconds} s\n"
    );
    println!("| admission | staff p50 ms | staff p99 ms | staff errors | families complete | 503 waiting page | anything else | slow readers cut off | server peak RSS MiB | at its highest (MiB) | peak threads | RSS at the end (MiB) | back to normal after |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut over_budget = None;
    let modes = std::env::var("CARTABLE_RUSH_MODES").unwrap_or_default();
    for admission in [true, false] {
        if modes == if admission { "off" } else { "on" } {
            continue;
        }
        let report = run(binary, &data, admission, Duration::from_secs(seconds));
        // A peak that could not be read (the server died) fails too.
        if admission && (report.peak_rss_mib.is_nan() || report.peak_rss_mib > MEMORY_BUDGET_MIB) {
            over_budget = Some(report.peak_rss_mib);
        }
        println!(
            "| {} | {:.0} | {:.0} | {} | {} | {} | {} {} | {}/{} | {:.1} | {} | {} | {} | {} |",
            if admission { "on" } else { "off" },
            report.staff_p50,
            report.staff_p99,
            report.staff_errors,
            report.complete,
            report.waiting,
            report.other,
            report.other_kinds,
            report.slow_cut,
            SLOW_READERS,
            report.peak_rss_mib,
            report.peak.1,
            report.peak.0,
            report.memory,
            report
                .recovery
                .map_or("not within 30 s".to_owned(), |d| format!(
                    "{:.1} s",
                    d.as_secs_f64()
                )),
        );
    }
    if let Some(peak) = over_budget {
        eprintln!(
            "\nthe server's peak RSS with admission control was {peak:.1} MiB, over the {MEMORY_BUDGET_MIB} MiB budget"
        );
        std::process::exit(1);
    }
}

struct Report {
    staff_p50: f64,
    staff_p99: f64,
    staff_errors: usize,
    complete: u64,
    waiting: u64,
    other: u64,
    other_kinds: String,
    slow_cut: u64,
    peak_rss_mib: f64,
    /// The most threads the server had at once, and its memory split at its highest (sampled).
    peak: (u64, String),
    /// Anonymous and file-backed resident memory at the end of the rush.
    memory: String,
    recovery: Option<Duration>,
}

fn run(binary: &str, data: &Path, admission: bool, rush: Duration) -> Report {
    let (mut child, base) = spawn_serve(binary, data, admission);
    let watch = Watch::start(child.id());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let report = runtime.block_on(async {
        let server: SocketAddr = base.trim_start_matches("http://").parse().unwrap();
        let targets = Arc::new(Targets::find(server).await);
        let baseline = family_search_ms(server, &targets).await;
        let stop = Arc::new(AtomicBool::new(false));
        let outcomes = Arc::new(Outcomes::default());
        let mut tasks = Vec::new();
        for n in 0..FAMILIES {
            let (targets, stop, outcomes) = (
                Arc::clone(&targets),
                Arc::clone(&stop),
                Arc::clone(&outcomes),
            );
            let from = address(1 + n / 250, 1 + n % 250);
            tasks.push(tokio::spawn(async move {
                if n < SLOW_READERS {
                    slow_reader(server, from, &targets, &stop, &outcomes, n).await;
                } else {
                    family(server, from, &targets, &stop, &outcomes, n).await;
                }
            }));
        }
        let flood = tokio::spawn(login_flood(server));
        let staff = tokio::spawn(staff(server, Arc::clone(&stop)));
        tokio::time::sleep(rush).await;
        let memory = memory_now(child.id());
        stop.store(true, Ordering::Relaxed);
        let rush_over = Instant::now();
        let recovery = recover(server, &targets, baseline, rush_over).await;
        let mut latencies = staff.await.unwrap_or_default();
        let _ = flood.await;
        for task in tasks {
            let _ = tokio::time::timeout(REQUEST_LIMIT, task).await;
        }
        let staff_errors = latencies.iter().filter(|l| l.is_none()).count();
        let mut ms: Vec<f64> = latencies.drain(..).flatten().collect();
        ms.sort_by(f64::total_cmp);
        let other_kinds = outcomes
            .other_kinds
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        Report {
            staff_p50: percentile(&ms, 0.50),
            staff_p99: percentile(&ms, 0.99),
            staff_errors,
            complete: outcomes.complete.load(Ordering::Relaxed),
            waiting: outcomes.waiting.load(Ordering::Relaxed),
            other: outcomes.other.load(Ordering::Relaxed),
            other_kinds: if other_kinds.is_empty() {
                String::new()
            } else {
                format!("({other_kinds})")
            },
            slow_cut: outcomes.slow_cut.load(Ordering::Relaxed),
            peak_rss_mib: peak_rss_mib(child.id()),
            peak: watch.peak(),
            memory,
            recovery,
        }
    });
    drop(runtime);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    report
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn address(third: usize, fourth: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, third as u8, fourth as u8))
}

#[derive(Default)]
struct Outcomes {
    complete: AtomicU64,
    waiting: AtomicU64,
    other: AtomicU64,
    other_kinds: Mutex<std::collections::BTreeMap<String, u64>>,
    slow_cut: AtomicU64,
}

impl Outcomes {
    fn count(&self, outcome: Outcome) {
        match outcome {
            Outcome::Complete => self.complete.fetch_add(1, Ordering::Relaxed),
            Outcome::Waiting => self.waiting.fetch_add(1, Ordering::Relaxed),
            Outcome::Other(kind) => {
                *self.other_kinds.lock().unwrap().entry(kind).or_default() += 1;
                self.other.fetch_add(1, Ordering::Relaxed)
            }
        };
    }
}

enum Outcome {
    Complete,
    Waiting,
    Other(String),
}

/// What the families ask for: pages, searches, documents and baskets of the library.
struct Targets {
    ids: Vec<String>,
    queries: Vec<String>,
}

impl Targets {
    async fn find(server: SocketAddr) -> Targets {
        let (_, body) = request(
            server,
            address(0, 9),
            "GET /api/documents?limit=200 HTTP/1.1\r\nHost: b\r\n\r\n",
        )
        .await
        .expect("the document list");
        let json: serde_json::Value =
            serde_json::from_slice(body_of(&body)).expect("JSON documents");
        let ids: Vec<String> = json["documents"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|d| d["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let queries = [
            "fonctions",
            "theoreme de pythagore",
            "revolution",
            "calligraphie",
            "photosynthese",
            "grammaire",
            "probabilites",
            "climat",
            "litterature",
            "equations",
        ]
        .iter()
        .map(|q| q.replace(' ', "+"))
        .collect();
        Targets { ids, queries }
    }

    fn pick(&self, n: usize) -> &str {
        &self.ids[n % self.ids.len()]
    }
}

async fn family(
    server: SocketAddr,
    from: IpAddr,
    targets: &Targets,
    stop: &AtomicBool,
    outcomes: &Outcomes,
    n: usize,
) {
    let mut step = n;
    while !stop.load(Ordering::Relaxed) {
        step = step.wrapping_mul(31).wrapping_add(7);
        let path = match step % 10 {
            0..=2 => format!(
                "/recherche?q={}",
                targets.queries[step % targets.queries.len()]
            ),
            3 => format!(
                "/api/search?q={}",
                targets.queries[step % targets.queries.len()]
            ),
            4 => "/".to_owned(),
            5 => format!("/documents/{}", targets.pick(step)),
            6..=8 => format!("/documents/{}/file", targets.pick(step)),
            _ => format!(
                "/bundle.zip?ids={}.{}.{}",
                targets.pick(step),
                targets.pick(step + 1),
                targets.pick(step + 2)
            ),
        };
        let outcome = match request(
            server,
            from,
            &format!("GET {path} HTTP/1.1\r\nHost: cartable.local\r\n\r\n"),
        )
        .await
        {
            Ok((status, bytes)) => judge(status, &bytes),
            Err(kind) => Outcome::Other(kind),
        };
        let waited = matches!(outcome, Outcome::Waiting);
        outcomes.count(outcome);
        // A phone told to wait comes back after a while, as the waiting page's refresh does
        // (shortened: the rush lasts seconds, not minutes).
        let pause = if waited {
            1000
        } else {
            20 + (step % 80) as u64
        };
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
}

/// A phone that asks for a download, then never reads it.
async fn slow_reader(
    server: SocketAddr,
    from: IpAddr,
    targets: &Targets,
    stop: &AtomicBool,
    outcomes: &Outcomes,
    n: usize,
) {
    let path = if n.is_multiple_of(2) {
        format!("/documents/{}/file", targets.pick(n))
    } else {
        format!(
            "/bundle.zip?ids={}.{}",
            targets.pick(n),
            targets.pick(n + 1)
        )
    };
    let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
        return;
    };
    let _ = socket.set_recv_buffer_size(2048);
    if socket.bind(SocketAddr::new(from, 0)).is_err() {
        return;
    }
    let Ok(mut stream) = socket.connect(server).await else {
        return;
    };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: cartable.local\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return;
    }
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Did the server let go of it (closed) rather than hold the download forever?
    let mut buffer = vec![0u8; 1 << 20];
    let cut = loop {
        match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(_)) => continue,
            Err(_) => break false,
        }
    };
    if cut {
        outcomes.slow_cut.fetch_add(1, Ordering::Relaxed);
    }
}

fn judge(status: u16, bytes: &[u8]) -> Outcome {
    let body = body_of(bytes);
    let head = &bytes[..bytes.len() - body.len()];
    let head_text = String::from_utf8_lossy(head).to_lowercase();
    if status == 503 {
        let text = String::from_utf8_lossy(body);
        return if text.contains("Beaucoup de monde") || text.contains("\"busy\"") {
            Outcome::Waiting
        } else {
            Outcome::Other("503 without the waiting page".to_owned())
        };
    }
    if !(200..400).contains(&status) {
        return Outcome::Other(format!("status {status}"));
    }
    let length = head_text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let complete = match length {
        Some(length) => body.len() == length,
        None if head_text.contains("transfer-encoding: chunked") => body.ends_with(b"0\r\n\r\n"),
        None => true,
    };
    if complete {
        Outcome::Complete
    } else {
        Outcome::Other("cut short".to_owned())
    }
}

fn body_of(bytes: &[u8]) -> &[u8] {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(&[][..], |at| &bytes[at + 4..])
}

/// One request on its own connection (`Connection: close` added), read to the end.
async fn request(server: SocketAddr, from: IpAddr, text: &str) -> Result<(u16, Vec<u8>), String> {
    let exchange = async {
        let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
        socket
            .bind(SocketAddr::new(from, 0))
            .map_err(|e| format!("bind: {e}"))?;
        let mut stream = socket
            .connect(server)
            .await
            .map_err(|_| "connect refused".to_owned())?;
        let text = text.replacen("\r\n", "\r\nConnection: close\r\n", 1);
        stream
            .write_all(text.as_bytes())
            .await
            .map_err(|_| "reset while sending".to_owned())?;
        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .await
            .map_err(|_| "reset while reading".to_owned())?;
        let status = std::str::from_utf8(&bytes[..bytes.len().min(16)])
            .ok()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| "no status line".to_owned())?;
        Ok((status, bytes))
    };
    tokio::time::timeout(REQUEST_LIMIT, exchange)
        .await
        .unwrap_or_else(|_| Err("no answer in 30 s".to_owned()))
}

async fn login_flood(server: SocketAddr) {
    let from = address(5, 1);
    let Ok((_, page)) = request(server, from, "GET /connexion HTTP/1.1\r\nHost: b\r\n\r\n").await
    else {
        return;
    };
    let csrf = csrf_of(&page);
    let tasks: Vec<_> = (0..FLOOD_LOGINS)
        .map(|n| {
            let csrf = csrf.clone();
            tokio::spawn(async move {
                let form = format!("csrf={csrf}&login=inconnu{n}&password=nimporte-quoi-{n}");
                let text = format!(
                    "POST /connexion HTTP/1.1\r\nHost: b\r\nCookie: cartable_login_csrf={csrf}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
                    form.len()
                );
                let _ = request(server, address(5, 1 + n % FLOOD_PHONES as usize), &text).await;
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
}

fn csrf_of(page: &[u8]) -> String {
    let text = String::from_utf8_lossy(page);
    text.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_owned()
}

/// The staff member's requests and their latencies (`None`: failed).
async fn staff(server: SocketAddr, stop: Arc<AtomicBool>) -> Vec<Option<f64>> {
    let from = address(0, 2);
    let mut latencies = Vec::new();
    let timed = |text: String| async move {
        let started = Instant::now();
        let answer = request(server, from, &text).await;
        (started.elapsed().as_secs_f64() * 1000.0, answer)
    };
    let (ms, page) = timed("GET /connexion HTTP/1.1\r\nHost: b\r\n\r\n".to_owned()).await;
    let Ok((200, page)) = page else {
        return vec![None];
    };
    latencies.push(Some(ms));
    let csrf = csrf_of(&page);
    let form = format!("csrf={csrf}&login={}&password={}", STAFF.0, STAFF.1);
    let (ms, answer) = timed(format!(
        "POST /connexion HTTP/1.1\r\nHost: b\r\nCookie: cartable_login_csrf={csrf}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    ))
    .await;
    let session = match answer {
        Ok((303, head)) => String::from_utf8_lossy(&head)
            .lines()
            .filter_map(|l| {
                l.strip_prefix("set-cookie: ")
                    .or_else(|| l.strip_prefix("Set-Cookie: "))
            })
            .find_map(|c| c.strip_prefix("cartable_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned),
        _ => None,
    };
    latencies.push(session.as_ref().map(|_| ms));
    let Some(session) = session else {
        return latencies;
    };
    let cookie = format!("cartable_session={session}");
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let text = if n.is_multiple_of(5) {
            let boundary = "rushboundary";
            let body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"consigne-{n}.txt\"\r\nContent-Type: text/plain\r\n\r\nConsigne numéro {n} du lundi matin : lire le chapitre et faire les exercices.\r\n--{boundary}--\r\n"
            );
            let token_page = request(
                server,
                from,
                &format!("GET /staff/upload HTTP/1.1\r\nHost: b\r\nCookie: {cookie}\r\n\r\n"),
            )
            .await;
            let csrf = token_page.map(|(_, p)| csrf_of(&p)).unwrap_or_default();
            let body = body.replacen(
                &format!("--{boundary}\r\n"),
                &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n"),
                1,
            );
            format!(
                "POST /staff/upload HTTP/1.1\r\nHost: b\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        } else if n.is_multiple_of(2) {
            format!("GET /staff/documents HTTP/1.1\r\nHost: b\r\nCookie: {cookie}\r\n\r\n")
        } else {
            format!("GET /recherche?q=consigne HTTP/1.1\r\nHost: b\r\nCookie: {cookie}\r\n\r\n")
        };
        let (ms, answer) = timed(text).await;
        latencies.push(match answer {
            Ok((status, _)) if status < 400 => Some(ms),
            _ => None,
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    latencies
}

/// Median latency of a few family searches, in ms.
async fn family_search_ms(server: SocketAddr, targets: &Targets) -> f64 {
    let mut ms = Vec::new();
    for n in 0..5 {
        let started = Instant::now();
        let path = format!(
            "/recherche?q={}",
            targets.queries[n % targets.queries.len()]
        );
        let ok = matches!(
            request(
                server,
                address(0, 3),
                &format!("GET {path} HTTP/1.1\r\nHost: b\r\n\r\n")
            )
            .await,
            Ok((200, _))
        );
        ms.push(if ok {
            started.elapsed().as_secs_f64() * 1000.0
        } else {
            f64::INFINITY
        });
    }
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

/// Time from the end of the rush until a family search takes at most twice its usual time
/// (and at least 50 ms) again.
async fn recover(
    server: SocketAddr,
    targets: &Targets,
    baseline: f64,
    rush_over: Instant,
) -> Option<Duration> {
    let normal = (baseline * 2.0).max(50.0);
    while rush_over.elapsed() < Duration::from_secs(30) {
        if family_search_ms(server, targets).await <= normal {
            return Some(rush_over.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

/// `cartable serve` with admission control on or off.
fn spawn_serve(binary: &str, data: &Path, admission: bool) -> (Child, String) {
    let admission = admission.to_string();
    common::spawn_serve(binary, data, &[("CARTABLE_ADMISSION", admission.as_str())])
}

fn memory_now(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    format!(
        "anon {:.0} + files {:.0}",
        field("RssAnon:"),
        field("RssFile:")
    )
}

/// The server's threads and resident memory, sampled every 50 ms until dropped: the most
/// threads seen, and the anonymous / file-backed split when the resident memory was highest
/// (what to look at when the budget is passed).
struct Watch {
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
}

#[derive(Default)]
struct Seen {
    threads: u64,
    rss_kib: u64,
    split: String,
}

impl Watch {
    fn start(pid: u32) -> Watch {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (watched, done) = (Arc::clone(&seen), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                let field = |name: &str| {
                    status
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                        .unwrap_or(0)
                };
                let mut seen = watched.lock().unwrap();
                seen.threads = seen.threads.max(field("Threads:"));
                let rss = field("VmRSS:");
                if rss > seen.rss_kib {
                    seen.rss_kib = rss;
                    seen.split = format!(
                        "anon {} + files {}",
                        field("RssAnon:") / 1024,
                        field("RssFile:") / 1024
                    );
                }
                drop(seen);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Watch { seen, stop }
    }

    /// The most threads seen, and the split of the highest resident memory seen.
    fn peak(&self) -> (u64, String) {
        let seen = self.seen.lock().unwrap();
        (seen.threads, seen.split.clone())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn peak_rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn raise_open_files() {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    if let Some(hard) = limit.maximum {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(hard),
                maximum: Some(hard),
            },
        );
    }
}
