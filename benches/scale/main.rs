//! How cartable's costs grow with the library: synthetic libraries of N documents made at run
//! time from the shared corpus (see `library`), measured through the real service, server and
//! binary: import throughput, catalog and index size, start-up, the server's RSS idle and under
//! search load, search p50/p99 in-process and over HTTP at 64 connections, `cartable check`, a
//! USB export of a 2,000-document class with its offline index.html and the time to its first
//! results in headless Chromium, and a 300-page printable pack. Prints figures and the targets
//! at 100,000 documents; asserts only that the bench did what it says (documents imported, each
//! found by its own word).
//!
//! Run: `nice -n 10 cargo bench --bench scale` (N = 10,000 then 100,000; set
//! `CARTABLE_SCALE_DOCS=2000` or a list `10000,100000`; `CARTABLE_SCALE_SECONDS` sets the HTTP
//! load's length, default 15). Each library is deleted once measured, unless
//! `CARTABLE_SCALE_KEEP=1`: then it stays in target/tmp/scale/ and the next run with that set
//! measures it again without generating and importing it anew. `CARTABLE_SCALE_DIR` sets where
//! they are made (default target/tmp/scale).

#[allow(dead_code)] // the rush and crash benches use the rest
#[path = "../common/mod.rs"]
mod common;
#[path = "../corpus/mod.rs"]
mod corpus;
mod library;
mod load;
mod offline;
mod report;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cartable::service::{Core, Selection};

use report::Row;

const BINARY: &str = env!("CARGO_BIN_EXE_cartable");

fn main() {
    let Some(corpus_dir) = corpus::corpus_dir() else {
        eprintln!(
            "scale bench: no corpus at ../shared/corpus (set CARTABLE_CORPUS); nothing measured"
        );
        return;
    };
    let sizes: Vec<usize> = std::env::var("CARTABLE_SCALE_DOCS")
        .unwrap_or_else(|_| "10000,100000".to_owned())
        .split(',')
        .filter_map(|n| n.trim().replace('_', "").parse().ok())
        .collect();
    let seconds: u64 = std::env::var("CARTABLE_SCALE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let keep = std::env::var_os("CARTABLE_SCALE_KEEP").is_some_and(|v| v == "1");
    // `CARTABLE_SCALE_DIR` puts the libraries elsewhere: on a tmpfs, a 100,000-document import
    // is not held up by the three flushes each document gets on a shared disk.
    let scratch = std::env::var_os("CARTABLE_SCALE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale"));
    if !keep {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    std::fs::create_dir_all(&scratch).unwrap();
    let mut pool = None;
    let mut rows = Vec::new();
    for n in sizes {
        let dir = scratch.join(format!("n{n}"));
        let kept = keep && cartable::service::has_catalog(&dir.join("data"));
        if !kept && pool.is_none() {
            let started = Instant::now();
            let pool_dir = scratch.join(format!("corpus-{}", std::process::id()));
            let made = library::Pool::from_corpus(&corpus_dir, &pool_dir);
            println!(
                "paragraph pool: {} paragraphs of the corpus' documents ({:.0} s)",
                made.paragraphs(),
                started.elapsed().as_secs_f64()
            );
            pool = Some(made);
        }
        let row = measure(
            pool.as_ref().filter(|_| !kept),
            &corpus_dir,
            &dir,
            n,
            seconds,
        );
        row.print_lines();
        rows.push(row);
        if !keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    report::print_table(&rows);
    if !keep {
        let _ = std::fs::remove_dir_all(&scratch);
    }
}

/// Measures the library of `n` documents in `dir`, made from `pool` (`None`: it is there).
fn measure(
    pool: Option<&library::Pool>,
    corpus_dir: &Path,
    dir: &Path,
    n: usize,
    seconds: u64,
) -> Row {
    let (source, data) = (dir.join("source"), dir.join("data"));
    let mut row = Row::new(n);
    println!("\n== {n} documents ==");
    if let Some(pool) = pool {
        let _ = std::fs::remove_dir_all(dir);
        let started = Instant::now();
        let sources = library::generate(pool, n, &source);
        row.source_mb = sources.bytes as f64 / 1e6;
        println!(
            "generated {n} files, {:.1} MB, in {:.1} s",
            row.source_mb,
            started.elapsed().as_secs_f64()
        );
        let core = corpus::open_core(&data);
        let (added, took) = library::import(&core, &sources);
        assert_eq!(added, n, "every generated document is added");
        row.import_per_second = n as f64 / took.as_secs_f64();
        row.import_seconds = took.as_secs_f64();
        drop(core);
        let _ = std::fs::remove_dir_all(&source);
        println!("imported in {:.0} s", row.import_seconds);
    } else {
        println!("(the library kept from an earlier run: import not measured)");
    }
    row.catalog_mb = bytes_of(&data, |name| name.starts_with("catalog")) as f64 / 1e6;
    row.index_mb = tree_bytes(&data.join("index")) as f64 / 1e6;
    row.files_mb = tree_bytes(&data.join("files")) as f64 / 1e6;

    // Start-up in this process (the service opening the folder: orphan scan, index reconcile).
    let started = Instant::now();
    let core = corpus::open_core(&data);
    row.open_seconds = started.elapsed().as_secs_f64();
    let queries = load::queries(corpus_dir, n);
    let rounds = (2000 / queries.len()).max(3);
    let searched = load::in_process(&core, &queries, rounds);
    assert!(
        searched.own_word_first,
        "each document's own word finds it first"
    );
    row.search = Some(searched);

    let stick = dir.join("stick");
    let export = offline::export_class(&core, &stick);
    row.export = Some((
        export.documents,
        export.seconds,
        export.bundle_bytes,
        export.index_bytes,
        export.search_bytes,
    ));
    row.browser = offline::first_results(
        &export.folder,
        &library::unique_word(0),
        &library::unique_word(
            library::class_documents(n) / 2 * (n / library::class_documents(n)).max(1),
        ),
    );
    let _ = std::fs::remove_dir_all(&stick);
    row.pack = Some(pack(&core, dir));
    drop(core);

    // The server: start-up until it says its address, RSS idle, then the search load.
    let started = Instant::now();
    let (mut server, base) = common::spawn_serve(BINARY, &data, &[("MALLOC_ARENA_MAX", "2")]);
    row.serve_seconds = started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(2));
    row.rss_idle = load::rss_mib(server.id());
    let http = load::over_http(&base, server.id(), &queries, Duration::from_secs(seconds));
    std::thread::sleep(Duration::from_secs(2));
    row.rss_after = load::rss_mib(server.id()).0;
    row.http = Some(http);
    let _ = server.kill();
    let _ = server.wait();

    let started = Instant::now();
    let checked = Command::new(BINARY)
        .args(["--data", data.to_str().unwrap(), "check"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("check runs");
    row.check_seconds = started.elapsed().as_secs_f64();
    assert!(checked.success(), "the generated library is healthy");
    row
}

/// A printable pack of about 300 pages: the class's first documents, as many as that takes.
fn pack(core: &Core, dir: &Path) -> (u32, f64, f64) {
    let class = core
        .selected(&Selection {
            filter: library::class_filter(),
            ids: None,
        })
        .expect("the class");
    let mut take = 10;
    let selection = loop {
        let selection = Selection {
            ids: Some(class.iter().take(take).map(|d| d.id.clone()).collect()),
            ..Selection::default()
        };
        let pages = core.estimate_pack_pages(&selection).expect("estimate");
        if pages >= 300 || take >= class.len() {
            break selection;
        }
        take += ((300 - pages) as usize / 3).max(1);
    };
    let started = Instant::now();
    let built = core
        .build_pack(&selection, "Lycée", None, Some(dir))
        .expect("the pack");
    let seconds = started.elapsed().as_secs_f64();
    let mb = std::fs::metadata(&built.path).map_or(0, |m| m.len()) as f64 / 1e6;
    (built.pages, seconds, mb)
}

fn bytes_of(dir: &Path, keep: impl Fn(&str) -> bool) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| keep(&e.file_name().to_string_lossy()))
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

fn tree_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}
