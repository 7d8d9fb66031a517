//! The shared evaluation corpus (../shared/corpus) as both benchmarks use it: importing it into a
//! fresh data folder through the real service, and reading the known-item queries.

#![allow(dead_code)] // each benchmark uses its own part of this module

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cartable::extract::{Extractor, Limits};
use cartable::model::{DocumentId, Metadata};
use cartable::service::{Core, ImportOutcome, ImportReport, Settings};

/// `../shared/corpus` next to the repository, or `CARTABLE_CORPUS`.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CARTABLE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    dir.join("public").is_dir().then_some(dir)
}

pub fn open_core(data: &Path) -> Core {
    let extractor = Extractor::cartable(
        PathBuf::from(env!("CARGO_BIN_EXE_cartable")),
        Limits::default(),
    );
    let settings = Settings::new(data.to_owned(), extractor);
    Core::open(&settings).expect("a fresh data folder opens")
}

/// Imports the public corpus as a person would import a folder; returns the report and the time.
pub fn import(core: &Core, corpus: &Path) -> (ImportReport, Duration) {
    let started = std::time::Instant::now();
    let report = core
        .import(
            &[corpus.join("public")],
            &Metadata::default(),
            &|_, _, _| {},
        )
        .expect("the corpus imports");
    (report, started.elapsed())
}

/// File name -> the document holding that content (a duplicate file maps to the first copy).
pub fn documents_by_file_name(report: &ImportReport) -> HashMap<String, DocumentId> {
    let mut map = HashMap::new();
    for outcome in &report.outcomes {
        let (source, document) = match outcome {
            ImportOutcome::Added { source, document } => (source, document),
            ImportOutcome::Duplicate { source, existing } => (source, existing),
            ImportOutcome::Refused { .. } => continue,
        };
        let name = Path::new(source)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        map.insert(name, document.id.clone());
    }
    map
}

pub struct KnownItemQuery {
    pub query: String,
    pub expected_file: String,
    pub kind: String,
}

/// The shared queries, then the project's own sound-alike ones (benches/corpus/phonetic.tsv:
/// words spelt as a pupil or a parent hears them, "kraion", "sitassion").
pub fn queries(corpus: &Path) -> Vec<KnownItemQuery> {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/corpus/phonetic.tsv");
    let mut queries = queries_in(&corpus.join("queries.tsv"));
    queries.extend(queries_in(&own));
    queries
}

fn queries_in(file: &Path) -> Vec<KnownItemQuery> {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{} is unreadable: {e}", file.display()));
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            Some(KnownItemQuery {
                query: columns.next()?.to_owned(),
                expected_file: columns.next()?.to_owned(),
                kind: columns.next()?.to_owned(),
            })
        })
        .collect()
}
