//! Import and search speed on the shared corpus. Prints figures, asserts nothing on time.
//! - import: wall time, documents/s, MB/s, peak RSS of this process (the import is the first thing
//!   it does), index size; reference: copying the same files with fsync (the I/O floor).
//! - search: p50/p99 latency over queries.tsv with snippets (in-process, 20 rounds); reference: a
//!   linear scan of the stored texts for the same folded words, as a tool without an index would.
//!
//! Run with `cargo bench --bench import`.

mod corpus;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use cartable::index::SearchIndex;
use cartable::model::{fold, DocumentFilter};

const SEARCH_ROUNDS: usize = 20;

fn main() {
    let Some(corpus_dir) = corpus::corpus_dir() else {
        eprintln!(
            "import bench: no corpus at ../shared/corpus (set CARTABLE_CORPUS); nothing measured"
        );
        return;
    };
    let public = corpus_dir.join("public");
    let (files, bytes) = corpus_size(&public);

    let data = tempfile::tempdir().expect("temp dir");
    let core = corpus::open_core(data.path());
    let (report, import_time) = corpus::import(&core, &corpus_dir);
    let peak_rss = peak_rss_kib();
    let copy_time = copy_with_fsync(&public);
    let index_bytes = SearchIndex::disk_bytes(&data.path().join("index"));

    let secs = import_time.as_secs_f64();
    println!("import: {files} files, {:.1} MB", bytes as f64 / 1e6);
    println!(
        "  added {}, duplicates {}, refused {}, without text {}",
        report.added().count(),
        report.duplicates(),
        report.refused().count(),
        report.without_text().count()
    );
    println!(
        "  wall {secs:.2} s | {:.0} documents/s | {:.1} MB/s | reference copy+fsync {:.2} s | ratio {:.1}x",
        files as f64 / secs,
        bytes as f64 / 1e6 / secs,
        copy_time.as_secs_f64(),
        secs / copy_time.as_secs_f64()
    );
    println!("  peak RSS of the importing process {:.1} MiB (extraction children are capped by their own rlimit)", peak_rss as f64 / 1024.0);
    println!("  index size {:.1} MB", index_bytes as f64 / 1e6);

    let queries: Vec<String> = corpus::queries(&corpus_dir)
        .into_iter()
        .map(|q| q.query)
        .collect();
    let filter = DocumentFilter {
        limit: 10,
        ..DocumentFilter::default()
    };
    let mut latencies = Vec::new();
    for _ in 0..SEARCH_ROUNDS {
        for query in &queries {
            let started = Instant::now();
            let page = core.search(query, &filter).expect("queries run");
            latencies.push(started.elapsed());
            std::hint::black_box(page);
        }
    }
    let texts: Vec<String> = report
        .added()
        .map(|d| fold(&core.text(&d.id).unwrap_or_default()))
        .collect();
    let mut scans = Vec::new();
    for query in &queries {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
        let started = Instant::now();
        let matches = texts
            .iter()
            .filter(|t| words.iter().all(|w| t.contains(w.as_str())))
            .count();
        scans.push(started.elapsed());
        std::hint::black_box(matches);
    }
    let (p50, p99) = percentiles(&mut latencies);
    let (scan_p50, scan_p99) = percentiles(&mut scans);
    println!(
        "search: {} queries x {SEARCH_ROUNDS} rounds, top 10 with snippets",
        queries.len()
    );
    println!(
        "  p50 {:.3} ms | p99 {:.3} ms | reference linear scan p50 {:.3} ms p99 {:.3} ms | ratio p50 {:.2}x",
        ms(p50),
        ms(p99),
        ms(scan_p50),
        ms(scan_p99),
        ms(p50) / ms(scan_p50)
    );
}

fn corpus_size(dir: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).expect("corpus readable").flatten() {
        if let Ok(metadata) = entry.metadata() {
            if metadata.is_file() {
                files += 1;
                bytes += metadata.len();
            }
        }
    }
    (files, bytes)
}

/// Copies every file to a temp folder with an fsync each, as the store does for each document.
fn copy_with_fsync(dir: &Path) -> Duration {
    let target = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    for entry in std::fs::read_dir(dir).expect("corpus readable").flatten() {
        let content = std::fs::read(entry.path()).expect("corpus file readable");
        let mut file =
            std::fs::File::create(target.path().join(entry.file_name())).expect("create");
        file.write_all(&content).expect("write");
        file.sync_all().expect("fsync");
    }
    started.elapsed()
}

/// VmHWM: the peak resident set of this process so far.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.50), at(0.99))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
