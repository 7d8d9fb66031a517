//! What the integration tests share: a library in a temporary folder, the real binary, and (in
//! `fixtures`, re-exported here) tiny real documents built in code, each carrying a known French
//! phrase with accents so a test can tell that its text was really read.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::{Path, PathBuf};

use cartable::extract::{Extractor, Limits};
use cartable::model::{Document, DocumentFilter, Metadata};
use cartable::service::{Added, Core, Settings};

pub mod backup;
pub mod fixtures;
pub mod homework;
pub mod run;
pub mod served;

pub use fixtures::*;

/// The keys of a hit object, as DESIGN.md's API contract lists them.
pub const HIT_KEYS: [&str; 10] = [
    "id",
    "title",
    "file_name",
    "url",
    "download_url",
    "snippet",
    "levels",
    "subject",
    "format",
    "bytes",
];

/// The `cartable` binary built for these tests.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cartable"))
}

/// Runs the real binary on the data folder `data` (configuration from the environment ignored)
/// and returns what it printed and how it exited.
pub fn run_cartable(data: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(binary())
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("CARTABLE_DATA")
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

/// The extractor the server uses: `cartable extract` in a child process.
pub fn real_extractor() -> Extractor {
    Extractor::cartable(binary(), Limits::default())
}

/// A data folder in a temporary directory, opened with the real extractor.
pub struct TestLibrary {
    dir: tempfile::TempDir,
    pub core: Core,
}

impl TestLibrary {
    pub fn new() -> TestLibrary {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let core = open_core(&dir.path().join("data"));
        TestLibrary { dir, core }
    }

    /// Closes the library and opens the same data folder again, as a restart would.
    pub fn reopen(self) -> TestLibrary {
        self.reopen_after(|| {})
    }

    /// Closes the library, runs `change` on its folder (as someone with a shell would), and opens
    /// it again.
    pub fn reopen_after(self, change: impl FnOnce()) -> TestLibrary {
        let TestLibrary { dir, core } = self;
        drop(core);
        change();
        let core = open_core(&dir.path().join("data"));
        TestLibrary { dir, core }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A scratch folder beside the data folder, for files to import.
    pub fn scratch(&self) -> PathBuf {
        let path = self.dir.path().join("scratch");
        std::fs::create_dir_all(&path).expect("scratch folder");
        path
    }

    /// Adds a file with default metadata and commits; panics unless it is new.
    pub fn add(&self, bytes: &[u8], file_name: &str) -> Document {
        self.add_with(bytes, file_name, &Metadata::default())
    }

    pub fn add_with(&self, bytes: &[u8], file_name: &str, metadata: &Metadata) -> Document {
        match self
            .core
            .add(Cursor::new(bytes.to_vec()), file_name, metadata, true)
        {
            Ok(Added::New(document)) => document,
            Ok(Added::Duplicate(existing)) => {
                panic!("{file_name} was taken for a duplicate of {}", existing.id)
            }
            Err(error) => panic!("{file_name} was refused: {error:?}"),
        }
    }

    /// Ids of the documents a search finds (staff view, first 10).
    pub fn found(&self, query: &str) -> Vec<String> {
        let filter = DocumentFilter {
            limit: 10,
            ..DocumentFilter::default()
        };
        self.found_with(query, &filter)
    }

    pub fn found_with(&self, query: &str, filter: &DocumentFilter) -> Vec<String> {
        self.core
            .search(query, filter)
            .unwrap_or_else(|error| panic!("search {query:?} failed: {error:?}"))
            .hits
            .into_iter()
            .map(|hit| hit.id)
            .collect()
    }

    /// Number of documents in the catalog.
    pub fn count(&self) -> usize {
        let filter = DocumentFilter {
            limit: 1000,
            ..DocumentFilter::default()
        };
        self.core.list(&filter).expect("list").1
    }

    /// Every file stored under `data/files`.
    pub fn stored_files(&self) -> Vec<PathBuf> {
        files_under(&self.data_dir().join("files"))
    }
}

/// The document as the catalog gives it back: times are stored to the second.
pub fn as_stored(document: &Document) -> Document {
    let second =
        |t: time::OffsetDateTime| t.replace_nanosecond(0).expect("0 is a valid nanosecond");
    Document {
        created: second(document.created),
        updated: second(document.updated),
        ..document.clone()
    }
}

pub fn open_core(data_dir: &Path) -> Core {
    Core::open(&Settings {
        max_upload_bytes: 10 * 1024 * 1024,
        ..Settings::new(data_dir.to_owned(), real_extractor())
    })
    .expect("the data folder opens")
}

/// Regular files below `folder`, recursively (none when it does not exist).
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.map(|e| e.expect("readable folder entry")) {
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

pub mod raw;
pub mod server;
pub mod upload;
