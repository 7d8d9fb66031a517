//! Extraction in a child process: whatever the child does (hang, abort, answer nonsense, flood
//! its output), the caller gets a damaged extraction within its limits and carries on. The last
//! tests run the real `cartable extract` on good and hostile files.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cartable::extract::{Extraction, Extractor, Limits};
use cartable::model::{Format, TextStatus};

/// A `sh -c SCRIPT` child: the extraction's own arguments become `$1`, `$2`... of the script.
fn shell(script: &str, limits: Limits) -> Extractor {
    Extractor::new(
        PathBuf::from("sh"),
        vec!["-c".to_owned(), script.to_owned(), "sh".to_owned()],
        limits,
    )
}

fn quick_limits() -> Limits {
    Limits {
        wall_time: Duration::from_millis(500),
        ..Limits::default()
    }
}

/// A real file to point children at (they may ignore it).
fn fixture(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn assert_damaged(extraction: &Extraction) {
    assert_eq!(extraction.status, TextStatus::Damaged, "{extraction:?}");
    assert!(extraction.text.is_empty(), "{extraction:?}");
    assert!(extraction.reason.is_some(), "{extraction:?}");
}

/// The real extractor still works: the caller carried on after the failure.
fn assert_real_extraction_still_works(pdf: &Path) {
    let extraction = common::real_extractor().run(pdf, Format::Pdf);
    assert_eq!(extraction.status, TextStatus::Ok, "{extraction:?}");
    assert!(
        extraction.text.contains(common::PDF_PHRASE),
        "{extraction:?}"
    );
}

#[test]
fn a_hanging_child_is_killed_at_the_wall_time_and_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let started = Instant::now();
    let extraction = shell("exec sleep 30", quick_limits()).run(&pdf, Format::Pdf);
    let elapsed = started.elapsed();
    assert_damaged(&extraction);
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_real_extraction_still_works(&pdf);
}

/// Regression: killing the timed-out child left its own child (here the `sleep` that `sh -c`
/// forks) holding the stdout pipe, and `Extractor::run` waited for that pipe to close, so the
/// caller was held for the grandchild's whole life instead of the wall time.
#[test]
fn a_hanging_child_whose_own_child_keeps_the_output_open_does_not_hold_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let started = Instant::now();
    // Long enough to tell a wall-time kill from a wait; short enough to keep a failure cheap.
    let extraction = shell("sleep 12; echo fini", quick_limits()).run(&pdf, Format::Pdf);
    let elapsed = started.elapsed();
    assert_damaged(&extraction);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_real_extraction_still_works(&pdf);
}

#[test]
fn an_aborting_child_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let extraction = shell("kill -ABRT $$", quick_limits()).run(&pdf, Format::Pdf);
    assert_damaged(&extraction);
    assert_real_extraction_still_works(&pdf);
}

#[test]
fn a_child_exiting_with_an_error_is_reported_damaged_even_if_its_output_looks_right() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let answer = r#"{"title":null,"text":"faux","pages":1,"status":"ok","reason":null}"#;
    let extraction =
        shell(&format!("echo '{answer}'; exit 3"), quick_limits()).run(&pdf, Format::Pdf);
    assert_damaged(&extraction);
}

#[test]
fn a_child_answering_garbage_json_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    for script in [
        "echo '{\"title\": null, \"text\": '",
        "echo 'pas du JSON'",
        "printf '\\377\\376\\000'",
        "echo '{\"title\":null,\"text\":\"x\",\"pages\":1,\"status\":\"parfait\",\"reason\":null}'",
        "true",
    ] {
        let extraction = shell(script, quick_limits()).run(&pdf, Format::Pdf);
        assert_damaged(&extraction);
    }
}

#[test]
fn a_child_flooding_its_output_is_cut_off_and_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let limits = Limits {
        wall_time: Duration::from_secs(5),
        max_text: 1000,
        ..Limits::default()
    };
    let started = Instant::now();
    let extraction = shell("yes '{\"text\": \"encore\"}'", limits).run(&pdf, Format::Pdf);
    assert_damaged(&extraction);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_child_that_cannot_start_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let missing = Extractor::new(dir.path().join("pas-de-programme"), vec![], quick_limits());
    assert_damaged(&missing.run(&pdf, Format::Pdf));
}

#[test]
fn the_child_receives_the_format_the_limits_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    // Echoes its arguments back as the extracted text.
    let script =
        r#"printf '{"title":null,"text":"%s","pages":null,"status":"ok","reason":null}' "$*""#;
    let limits = Limits {
        max_text: 1234,
        memory_bytes: 5678,
        cpu_seconds: 9,
        ..quick_limits()
    };
    let extraction = shell(script, limits).run(&pdf, Format::Odt);
    assert_eq!(extraction.status, TextStatus::Ok, "{extraction:?}");
    assert_eq!(
        extraction.text,
        format!(
            "--format odt --max-text 1234 --memory-bytes 5678 --cpu-seconds 9 {}",
            pdf.display()
        )
    );
}

#[test]
fn the_real_extractor_reads_every_fixture_in_its_child() {
    let dir = tempfile::tempdir().unwrap();
    let extractor = common::real_extractor();
    let cases: [(&str, Vec<u8>, Format, &str); 5] = [
        ("a.pdf", common::pdf(), Format::Pdf, common::PDF_PHRASE),
        ("a.docx", common::docx(), Format::Docx, common::DOCX_PHRASE),
        ("a.odt", common::odt(), Format::Odt, common::ODT_PHRASE),
        (
            "a.html",
            common::html_cp1252(),
            Format::Html,
            common::HTML_PHRASE,
        ),
        (
            "a.txt",
            common::txt_cp1252(),
            Format::Text,
            common::TXT_PHRASE,
        ),
    ];
    for (name, bytes, format, phrase) in cases {
        let path = fixture(dir.path(), name, &bytes);
        let extraction = extractor.run(&path, format);
        assert_eq!(extraction.status, TextStatus::Ok, "{name}: {extraction:?}");
        assert!(extraction.text.contains(phrase), "{name}: {extraction:?}");
    }
    let pdf = extractor.run(&dir.path().join("a.pdf"), Format::Pdf);
    assert_eq!(pdf.pages, Some(1));
}

#[test]
fn the_real_extractor_caps_the_text_it_returns() {
    let dir = tempfile::tempdir().unwrap();
    let long: Vec<String> = (0..200)
        .map(|i| format!("Ligne {i} : la photosynthèse des végétaux"))
        .collect();
    let lines: Vec<&str> = long.iter().map(String::as_str).collect();
    let path = fixture(dir.path(), "long.odt", &common::odt_with_lines(&lines));
    let limits = Limits {
        max_text: 300,
        ..Limits::default()
    };
    let extraction = Extractor::cartable(common::binary(), limits).run(&path, Format::Odt);
    assert_eq!(extraction.status, TextStatus::Ok, "{extraction:?}");
    assert!(extraction.text.len() <= 300, "{}", extraction.text.len());
    assert!(extraction.text.starts_with("Ligne 0"));
}

#[test]
fn a_deeply_nested_pdf_fails_alone_and_the_next_extraction_works() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = fixture(
        dir.path(),
        "imbrique.pdf",
        &common::pdf_with_nested_arrays(100_000),
    );
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let limits = Limits {
        wall_time: Duration::from_secs(20),
        ..Limits::default()
    };
    let extraction = Extractor::cartable(common::binary(), limits).run(&hostile, Format::Pdf);
    assert!(
        matches!(extraction.status, TextStatus::Damaged | TextStatus::NoText),
        "{extraction:?}"
    );
    assert!(extraction.text.trim().is_empty(), "{extraction:?}");
    assert_real_extraction_still_works(&pdf);
}

#[test]
fn a_flate_bomb_pdf_fails_alone_within_the_limits_and_the_next_extraction_works() {
    let dir = tempfile::tempdir().unwrap();
    // 256 MB of zeros from about 1.6 MB: a content stream that is all nonsense.
    let bomb = fixture(
        dir.path(),
        "bombe.pdf",
        &common::pdf_with_flate_bomb(256 * 1024 * 1024),
    );
    let pdf = fixture(dir.path(), "cours.pdf", &common::pdf());
    let limits = Limits {
        wall_time: Duration::from_secs(10),
        memory_bytes: 192 * 1024 * 1024,
        ..Limits::default()
    };
    let started = Instant::now();
    let extraction = Extractor::cartable(common::binary(), limits).run(&bomb, Format::Pdf);
    assert!(
        matches!(extraction.status, TextStatus::Damaged | TextStatus::NoText),
        "{extraction:?}"
    );
    assert!(extraction.text.trim().is_empty(), "{extraction:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_real_extraction_still_works(&pdf);
}

/// A UTF-8 file longer than what extraction reads is cut inside a character; the cut must not
/// make the whole text be taken for windows-1252 ("aÃ©" for "aé").
#[test]
fn utf8_text_longer_than_the_cap_keeps_its_accents() {
    let dir = tempfile::tempdir().unwrap();
    // 4-byte units ("a", "é" in 2 bytes, " "): with a cap of 101 bytes, the bytes read (twice
    // the cap for text, 8 times for HTML after its 30-byte head) end inside an "é".
    let long = "aé ".repeat(5000);
    let html = format!("<!DOCTYPE html><html><body><p>{long}</p></body></html>");
    assert_eq!("<!DOCTYPE html><html><body><p>".len(), 30);
    let max_text = 101;
    let extractor = Extractor::cartable(
        common::binary(),
        Limits {
            max_text,
            ..Limits::default()
        },
    );
    for (name, bytes, format) in [
        ("long.txt", long.as_bytes(), Format::Text),
        ("long.html", html.as_bytes(), Format::Html),
    ] {
        let path = fixture(dir.path(), name, bytes);
        let extraction = extractor.run(&path, format);
        assert_eq!(extraction.status, TextStatus::Ok, "{name}: {extraction:?}");
        assert!(extraction.text.len() <= max_text, "{name}: {extraction:?}");
        assert!(
            extraction.text.starts_with("aé aé") && !extraction.text.contains('Ã'),
            "{name}: {:?}",
            extraction.text
        );
    }
}
