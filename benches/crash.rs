//! Crash cycles against the real binary, on loopback only: start `cartable serve`, check the
//! data folder (`cartable check`, no repair), verify what earlier cycles acknowledged, then send
//! concurrent uploads (JSON API) and imports (`cartable import`, which the server does) and
//! `kill -9` the server at a random moment. A document counts as acknowledged when the server
//! answered 201 with its id, or when the import command exited 0.
//!
//! After every restart, each document acknowledged in the cycle before (and a random sample of
//! older ones) must come back byte-identical and be found by searching its own word; at the end
//! all of them are verified, the server is stopped and `cartable check` runs offline. The bench
//! fails (exit 1) on any document lost, changed or unsearchable, and on any `check` that is not
//! clean: start-up must clean up what a kill left behind, without `--repair`.
//!
//! Run: `cargo bench --bench crash` (`CARTABLE_CRASH_CYCLES`, default 200;
//! `CARTABLE_CRASH_SEED` replays a run).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

const STAFF: (&str, &str) = ("m.crash", "mot-de-passe-des-pannes");
const UPLOADERS: usize = 3;
/// The server is killed between these many milliseconds after the load starts.
const KILL_AFTER_MS: (u64, u64) = (20, 1500);
/// Older documents verified after each restart, besides all of the cycle before.
const SAMPLE: usize = 20;

/// A document the server acknowledged: what it must give back, and the word that finds it.
#[derive(Clone)]
struct Acknowledged {
    /// Known for API uploads; imports report no ids, so they are found by their word.
    id: Option<String>,
    word: String,
    bytes: Vec<u8>,
}

#[derive(Default)]
struct Tally {
    acknowledged_uploads: usize,
    acknowledged_imports: usize,
    unacknowledged: usize,
    lost: Vec<String>,
    changed: Vec<String>,
    unsearchable: Vec<String>,
    unclean_checks: usize,
    refused: Vec<u16>,
}

fn main() {
    let cycles: usize = env_number("CARTABLE_CRASH_CYCLES").unwrap_or(200) as usize;
    let seed = env_number("CARTABLE_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1
    });
    println!("crash cycles: {cycles}, seed {seed} (CARTABLE_CRASH_SEED={seed} replays it)");
    let binary = env!("CARGO_BIN_EXE_cartable");
    let work = tempfile::tempdir().expect("a temporary folder");
    let data = work.path().join("data");
    let token = add_staff(binary, &data);
    let mut random = Random(seed);
    let counter = Arc::new(AtomicU64::new(0));
    let mut all: Vec<Acknowledged> = Vec::new();
    let mut previous: Vec<Acknowledged> = Vec::new();
    let mut tally = Tally::default();
    let started = Instant::now();
    for cycle in 0..cycles {
        let (mut server, base) = common::spawn_serve(binary, &data, &[]);
        if !check_is_clean(binary, &data, &format!("cycle {cycle}")) {
            tally.unclean_checks += 1;
            // Repaired so one failure is counted once, not in every later cycle.
            let _ = cartable(binary, &data, &["check", "--repair"]);
        }
        let mut to_verify = previous.clone();
        for _ in 0..SAMPLE.min(all.len()) {
            to_verify.push(all[random.below(all.len() as u64) as usize].clone());
        }
        verify(&base, &token, &to_verify, &mut tally);
        let kill_after = Duration::from_millis(
            KILL_AFTER_MS.0 + random.below(KILL_AFTER_MS.1 - KILL_AFTER_MS.0),
        );
        let outcome = load_then_kill(
            binary,
            &data,
            &base,
            &token,
            &counter,
            &mut server,
            kill_after,
            work.path(),
            cycle,
        );
        tally.acknowledged_uploads += outcome.uploads;
        tally.acknowledged_imports += outcome.acknowledged.len() - outcome.uploads;
        tally.unacknowledged += outcome.unacknowledged;
        tally.refused.extend(outcome.refused);
        all.extend(outcome.acknowledged.iter().cloned());
        previous = outcome.acknowledged;
        if (cycle + 1) % 20 == 0 {
            println!(
                "  {} cycles, {} documents acknowledged, {} lost so far",
                cycle + 1,
                all.len(),
                tally.lost.len() + tally.changed.len()
            );
        }
    }
    let (mut server, base) = common::spawn_serve(binary, &data, &[]);
    verify(&base, &token, &all, &mut tally);
    stop(&mut server);
    if !check_is_clean(binary, &data, "the end, server stopped") {
        tally.unclean_checks += 1;
    }
    report(cycles, &tally, started.elapsed());
    let failed = !tally.lost.is_empty()
        || !tally.changed.is_empty()
        || !tally.unsearchable.is_empty()
        || tally.unclean_checks > 0;
    std::process::exit(i32::from(failed));
}

fn report(cycles: usize, tally: &Tally, took: Duration) {
    println!("\n| cycles | uploads acknowledged | imported files acknowledged | requests cut by the kill | lost | changed | not found by search | unclean checks | time |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {cycles} | {} | {} | {} | {} | {} | {} | {} | {:.0} s |",
        tally.acknowledged_uploads,
        tally.acknowledged_imports,
        tally.unacknowledged,
        tally.lost.len(),
        tally.changed.len(),
        tally.unsearchable.len(),
        tally.unclean_checks,
        took.as_secs_f64()
    );
    if !tally.refused.is_empty() {
        let mut statuses = tally.refused.clone();
        statuses.sort_unstable();
        statuses.dedup();
        println!(
            "uploads answered with another status than 201: {} ({statuses:?})",
            tally.refused.len()
        );
    }
    for (what, words) in [
        ("lost", &tally.lost),
        ("changed", &tally.changed),
        ("not found by search", &tally.unsearchable),
    ] {
        if !words.is_empty() {
            println!("{what}: {}", words.join(", "));
        }
    }
}

struct Outcome {
    acknowledged: Vec<Acknowledged>,
    /// How many of `acknowledged` came from API uploads (the rest from imports).
    uploads: usize,
    unacknowledged: usize,
    /// Statuses other than 201 the server answered (it should answer none: the uploads are
    /// valid).
    refused: Vec<u16>,
}

/// Uploaders and one import run against the server until it is killed after `kill_after`.
#[allow(clippy::too_many_arguments)]
fn load_then_kill(
    binary: &str,
    data: &Path,
    base: &str,
    token: &str,
    counter: &Arc<AtomicU64>,
    server: &mut Child,
    kill_after: Duration,
    work: &Path,
    cycle: usize,
) -> Outcome {
    let killed = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let cut = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(Mutex::new(Vec::new()));
    let uploaders: Vec<_> = (0..UPLOADERS)
        .map(|_| {
            let (base, token) = (base.to_owned(), token.to_owned());
            let (killed, acknowledged, cut, refused, counter) = (
                Arc::clone(&killed),
                Arc::clone(&acknowledged),
                Arc::clone(&cut),
                Arc::clone(&refused),
                Arc::clone(counter),
            );
            std::thread::spawn(move || {
                let agent = agent();
                while !killed.load(Ordering::SeqCst) {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    let (name, word, bytes) = document(n);
                    match upload(&agent, &base, &token, &name, &bytes) {
                        Ok(id) => acknowledged.lock().unwrap().push(Acknowledged {
                            id: Some(id),
                            word,
                            bytes,
                        }),
                        Err(Failure::Refused(status)) => {
                            refused.lock().unwrap().push(status);
                        }
                        // The server is gone: this request was cut, and so would the next be.
                        Err(Failure::Cut) => {
                            cut.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    let folder = work.join(format!("import-{cycle}"));
    std::fs::create_dir_all(&folder).expect("an import folder");
    let mut imported = Vec::new();
    for _ in 0..4 {
        let (name, word, bytes) = document(counter.fetch_add(1, Ordering::SeqCst));
        std::fs::write(folder.join(&name), &bytes).expect("an import file");
        imported.push(Acknowledged {
            id: None,
            word,
            bytes,
        });
    }
    let mut import = Command::new(binary)
        .args(["--data", data.to_str().unwrap(), "import"])
        .arg(&folder)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cartable import starts");
    std::thread::sleep(kill_after);
    server.kill().expect("kill -9");
    let _ = server.wait();
    killed.store(true, Ordering::SeqCst);
    for uploader in uploaders {
        uploader.join().expect("an uploader thread");
    }
    // The import either finished against the server or failed with it; if it started after
    // the kill it does the work itself, and must end before the next server starts.
    let imported_ok = import.wait().is_ok_and(|status| status.success());
    let mut acknowledged = std::mem::take(&mut *acknowledged.lock().unwrap());
    let uploads = acknowledged.len();
    let mut unacknowledged = cut.load(Ordering::SeqCst) as usize;
    let refused = std::mem::take(&mut *refused.lock().unwrap());
    if imported_ok {
        acknowledged.extend(imported);
    } else {
        unacknowledged += imported.len();
    }
    Outcome {
        acknowledged,
        uploads,
        unacknowledged,
        refused,
    }
}

/// Each acknowledged document comes back byte-identical and its word finds it.
fn verify(base: &str, token: &str, documents: &[Acknowledged], tally: &mut Tally) {
    let agent = agent();
    for document in documents {
        let found = search(&agent, base, token, &document.word);
        let id = match (&document.id, found.first()) {
            (Some(id), _) => {
                if !found.contains(id) {
                    tally.unsearchable.push(document.word.clone());
                }
                id.clone()
            }
            (None, Some(id)) => id.clone(),
            (None, None) => {
                tally.lost.push(document.word.clone());
                continue;
            }
        };
        match get(&agent, &format!("{base}/documents/{id}/file"), token) {
            Some(bytes) if bytes == document.bytes => {}
            Some(_) => tally.changed.push(document.word.clone()),
            None => tally.lost.push(document.word.clone()),
        }
    }
}

/// `cartable check --json` (through the server when it runs) exits 0 with nothing to repair.
fn check_is_clean(binary: &str, data: &Path, when: &str) -> bool {
    let output = cartable(binary, data, &["check", "--json"]);
    if !output.status.success() {
        println!(
            "  check not clean at {when}: {}",
            String::from_utf8_lossy(&output.stdout).trim()
        );
    }
    output.status.success()
}

fn cartable(binary: &str, data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(binary)
        .args(["--data", data.to_str().unwrap()])
        .args(args)
        .output()
        .expect("cartable runs")
}

/// A unique text document: a word no other document has, some French around it, a random size.
fn document(n: u64) -> (String, String, Vec<u8>) {
    let mut word = String::from("zorq");
    let mut rest = n;
    for _ in 0..6 {
        word.push((b'a' + (rest % 26) as u8) as char);
        rest /= 26;
    }
    let mut random = Random(n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let filler = "la classe de seconde révise le cours de mathématiques avant le contrôle ";
    let repeats = 1 + random.below(200) as usize;
    let (extension, text) = match n % 3 {
        0 => ("txt", format!("Fiche {word}\n\n{}", filler.repeat(repeats))),
        1 => (
            "md",
            format!("# Fiche {word}\n\n{}\n", filler.repeat(repeats)),
        ),
        _ => (
            "html",
            format!(
                "<html><head><title>Fiche {word}</title></head><body><p>{}</p></body></html>",
                filler.repeat(repeats)
            ),
        ),
    };
    (format!("fiche-{word}.{extension}"), word, text.into_bytes())
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// Why an upload was not acknowledged.
enum Failure {
    /// No answer: the kill cut the connection.
    Cut,
    /// The server answered with this status instead of 201.
    Refused(u16),
}

/// The new document's id when the server answered 201.
fn upload(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> Result<String, Failure> {
    let boundary = "cartable-crash-boundary-7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut response = agent
        .post(format!("{base}/api/documents"))
        .header("Authorization", format!("Bearer {token}"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .map_err(|_| Failure::Cut)?;
    let status = response.status().as_u16();
    if status != 201 {
        return Err(Failure::Refused(status));
    }
    let body = response
        .body_mut()
        .read_to_vec()
        .map_err(|_| Failure::Cut)?;
    let answer: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| Failure::Refused(status))?;
    answer["documents"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or(Failure::Refused(status))
}

/// The ids the staff search gives for `word`, best first.
fn search(agent: &ureq::Agent, base: &str, token: &str, word: &str) -> Vec<String> {
    get(
        agent,
        &format!("{base}/api/search?q={word}&limit=20"),
        token,
    )
    .and_then(|body| serde_json::from_slice::<serde_json::Value>(&body).ok())
    .and_then(|page| {
        page["hits"].as_array().map(|hits| {
            hits.iter()
                .filter_map(|hit| hit["id"].as_str().map(str::to_owned))
                .collect()
        })
    })
    .unwrap_or_default()
}

fn get(agent: &ureq::Agent, url: &str, token: &str) -> Option<Vec<u8>> {
    let mut response = agent
        .get(url)
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .ok()?;
    if response.status().as_u16() != 200 {
        return None;
    }
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .ok()
}

/// A staff account and its API token.
fn add_staff(binary: &str, data: &Path) -> String {
    common::add_staff(binary, data, STAFF);
    let token = cartable(binary, data, &["user", "token", STAFF.0]);
    assert!(token.status.success(), "user token");
    String::from_utf8(token.stdout).unwrap().trim().to_owned()
}

/// A graceful stop (SIGTERM), as systemd does.
fn stop(server: &mut Child) {
    let pid = rustix::process::Pid::from_raw(server.id() as i32).expect("a pid");
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    let _ = server.wait();
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// xorshift64: reproducible from the printed seed, no dependency.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}
