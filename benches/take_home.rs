//! Taking documents home, on the shared corpus. Prints figures, asserts nothing on time.
//! - USB folder export (flushed and every file read back) against `cp -r` + `sync -f` of the
//!   same files to the same file system, in the same run, each after a `sync` of what was dirty:
//!   on the disk holding target/, and on `CARTABLE_BENCH_STICK` when set (a mounted stick, or an
//!   exFAT image mounted with exfat-fuse as .ci/run does).
//! - zip export to a file.
//! - a printable pack of about 100 MB (the corpus' PDFs, repeated) built by the real `cartable
//!   pack` child: time, output size, and the child's peak RSS, against `qpdf --empty --pages` on
//!   the same files (a C++ tool that merges without typesetting anything).
//!
//! Run with `cargo bench --bench take_home`.

mod corpus;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cartable::bundle::pack::{Content, Part, Plan};
use cartable::model::{DocumentFilter, Format, TextStatus};
use cartable::service::Selection;

const PACK_TARGET_BYTES: u64 = 100 * 1000 * 1000;
const ROUNDS: usize = 7;

fn main() {
    let Some(corpus_dir) = corpus::corpus_dir() else {
        eprintln!("take_home bench: no corpus at ../shared/corpus (set CARTABLE_CORPUS); nothing measured");
        return;
    };
    // Everything on one file system (the one holding target/), so the copies compare fairly.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("take_home");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let data = scratch.join("data");
    let core = corpus::open_core(&data);
    corpus::import(&core, &corpus_dir);
    let everything = Selection::default();

    // USB folder export against cp -r + sync, on this disk and on a stick's file system when
    // one is mounted for the bench (.ci/run mounts an exFAT image with exfat-fuse).
    let documents = core
        .list(&DocumentFilter {
            public_only: true,
            limit: 100,
            ..DocumentFilter::default()
        })
        .unwrap()
        .1;
    let started = Instant::now();
    core.bundle(&everything, "Lycée").expect("bundle");
    println!(
        "USB folder: {documents} documents; listing them and making the offline index's words takes {:.3} s, done while the files copy",
        started.elapsed().as_secs_f64()
    );
    compare_with_cp(&core, &data, &scratch, "this disk");
    match std::env::var_os("CARTABLE_BENCH_STICK") {
        Some(stick) => compare_with_cp(&core, &data, Path::new(&stick), "stick file system"),
        None => println!(
            "  (no stick file system: set CARTABLE_BENCH_STICK to a mounted FAT or exFAT folder)"
        ),
    }

    // Zip to a file.
    let started = Instant::now();
    let zip = std::fs::File::create(scratch.join("all.zip")).unwrap();
    let zip = core
        .export_zip(&everything, "Lycée", std::io::BufWriter::new(zip))
        .expect("zip export");
    drop(zip);
    let zip_time = started.elapsed();
    let zip_bytes = std::fs::metadata(scratch.join("all.zip")).unwrap().len();
    println!(
        "zip: {:.1} MB in {:.2} s ({:.1} MB/s)",
        zip_bytes as f64 / 1e6,
        zip_time.as_secs_f64(),
        zip_bytes as f64 / 1e6 / zip_time.as_secs_f64()
    );

    // The corpus' printable pack as the service builds it (cover, contents, typeset text),
    // twice: the first converts the office files when LibreOffice is installed, the second
    // finds them converted.
    let estimate = core.estimate_pack_pages(&everything).expect("estimate");
    for round in [
        "first, converting office files if soffice is installed",
        "again",
    ] {
        let started = Instant::now();
        let built = core
            .build_pack(&everything, "Lycée", None, Some(&scratch))
            .expect("pack");
        let pack_time = started.elapsed();
        let pack_bytes = std::fs::metadata(&built.path).unwrap().len();
        println!(
            "printable pack of the corpus ({round}): {} pages (estimated beforehand: {estimate}), {:.1} MB in {:.2} s",
            built.pages,
            pack_bytes as f64 / 1e6,
            pack_time.as_secs_f64()
        );
    }

    // About 100 MB of PDFs merged, by the child the service runs, against qpdf.
    let mut pdfs: Vec<PathBuf> = Vec::new();
    let mut all = core.list(&DocumentFilter {
        public_only: true,
        limit: 100,
        ..DocumentFilter::default()
    });
    let mut offset = 0;
    let mut sources = Vec::new();
    while let Ok((page, _)) = all {
        if page.is_empty() {
            break;
        }
        offset += page.len();
        sources.extend(
            page.into_iter()
                .filter(|d| d.format == Format::Pdf && d.text_status != TextStatus::Damaged),
        );
        all = core.list(&DocumentFilter {
            public_only: true,
            limit: 100,
            offset,
            ..DocumentFilter::default()
        });
    }
    let mut total = 0;
    'fill: loop {
        for document in &sources {
            if total >= PACK_TARGET_BYTES {
                break 'fill;
            }
            total += document.bytes;
            pdfs.push(core.download(&document.id).expect("stored file").1);
        }
    }
    let plan = Plan {
        school: "Lycée".to_owned(),
        selection: "Tous les documents".to_owned(),
        prepared: "28 novembre 2026".to_owned(),
        period: None,
        link: Some("http://192.168.1.10:8080/".to_owned()),
        parts: pdfs
            .iter()
            .enumerate()
            .map(|(i, path)| Part {
                title: format!("Document {i}"),
                details: String::new(),
                source: path.clone(),
                content: Content::Pdf,
                location: String::new(),
            })
            .collect(),
        sheet: None,
    };
    let out = scratch.join("big.pdf");
    let mut ours = Command::new(env!("CARGO_BIN_EXE_cartable"));
    ours.args([
        "pack",
        "--memory-bytes",
        "4294967296",
        "--cpu-seconds",
        "600",
        "--out",
    ])
    .arg(&out);
    let (our_time, our_rss) = run_measured(ours, &serde_json::to_vec(&plan).unwrap());
    let out_bytes = std::fs::metadata(&out).unwrap().len();
    let mut qpdf = Command::new("qpdf");
    qpdf.arg("--empty")
        .arg("--pages")
        .args(&pdfs)
        .arg("--")
        .arg(scratch.join("qpdf.pdf"));
    let reference = which("qpdf").then(|| run_measured(qpdf, &[]));
    println!(
        "100 MB pack: {} PDFs, {:.1} MB in -> {:.1} MB out in {:.2} s, child peak RSS {:.0} MiB (largest part {:.1} MB)",
        pdfs.len(),
        total as f64 / 1e6,
        out_bytes as f64 / 1e6,
        our_time.as_secs_f64(),
        our_rss as f64 / 1024.0,
        sources.iter().map(|d| d.bytes).max().unwrap_or(0) as f64 / 1e6
    );
    match reference {
        Some((time, rss)) => println!(
            "  reference qpdf --empty --pages: {:.2} s, peak RSS {:.0} MiB | time ratio {:.2}x, memory ratio {:.2}x",
            time.as_secs_f64(),
            rss as f64 / 1024.0,
            our_time.as_secs_f64() / time.as_secs_f64(),
            our_rss as f64 / rss as f64
        ),
        None => println!("  reference: qpdf not installed"),
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Runs a command with `input` on stdin; its wall time and peak RSS (VmHWM, sampled).
fn run_measured(mut command: Command, input: &[u8]) -> (Duration, u64) {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the command starts");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{command:?} failed");
            break;
        }
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = feeder.join();
    (started.elapsed(), peak)
}

/// USB folder exports of the whole corpus into `target`, against `cp -r` + `sync -f` of the same
/// files there, in alternate rounds, each after a `sync` of what was dirty. Prints the medians
/// and the median of the rounds' ratios (the machine is shared: single runs vary by 2x).
fn compare_with_cp(core: &cartable::service::Core, data: &Path, target: &Path, label: &str) {
    let everything = Selection::default();
    let mut exports = Vec::new();
    let mut copies = Vec::new();
    let mut ratios = Vec::new();
    let mut bytes = 0;
    for round in 0..ROUNDS {
        let stick = target.join(format!("cartable-bench-{round}"));
        std::fs::create_dir_all(&stick).unwrap();
        flush_everything();
        let started = Instant::now();
        let folder = core
            .export_folder(&everything, "Lycée", &stick, &|_| {})
            .expect("folder export");
        let export = started.elapsed();
        bytes = folder_bytes(&folder);
        let copy_target = target.join(format!("cartable-bench-cp{round}"));
        flush_everything();
        let started = Instant::now();
        let copied = Command::new("cp")
            .arg("-r")
            .arg(data.join("files"))
            .arg(&copy_target)
            .status()
            .expect("cp runs")
            .success()
            // syncfs of the target, as the export does.
            && Command::new("sync")
                .arg("-f")
                .arg(&copy_target)
                .status()
                .is_ok_and(|s| s.success());
        let copy = started.elapsed();
        assert!(copied, "cp -r and sync work");
        exports.push(export);
        copies.push(copy);
        ratios.push(Duration::from_secs_f64(
            copy.as_secs_f64() / export.as_secs_f64(),
        ));
        let _ = std::fs::remove_dir_all(&stick);
        let _ = std::fs::remove_dir_all(&copy_target);
    }
    let (export, copy, ratio) = (
        median(&mut exports),
        median(&mut copies),
        median(&mut ratios),
    );
    println!(
        "  {label} (median of {ROUNDS}): {:.1} MB in {:.3} s ({:.1} MB/s) | cp -r + sync -f {:.3} s | speed {:.0}% of cp (rounds from {:.0}% to {:.0}%)",
        bytes as f64 / 1e6,
        export.as_secs_f64(),
        bytes as f64 / 1e6 / export.as_secs_f64(),
        copy.as_secs_f64(),
        100.0 * ratio.as_secs_f64(),
        100.0 * ratios[0].as_secs_f64(),
        100.0 * ratios[ROUNDS - 1].as_secs_f64(),
    );
}

fn flush_everything() {
    let _ = Command::new("sync").status();
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn folder_bytes(folder: &Path) -> u64 {
    walk(folder)
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn which(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}
