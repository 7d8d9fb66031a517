//! The data folder: the SQLite catalog (documents and their text) and the content-addressed files.
//! Invariants: a file is written to `tmp/`, hashed, flushed and renamed into `files/` before the
//! catalog refers to it; the catalog row and the text change in one transaction; a file no row
//! refers to is an orphan that `check --repair` removes. Only this module speaks SQL.

mod accounts;
mod blobs;
mod catalog;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub use blobs::{Blobs, StagedFile};
pub use catalog::Catalog;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot use the data folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("catalog error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the catalog {path} was written by a newer cartable (schema {found}, this one knows {known})")]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("a document with the same content already exists: {existing}")]
    Duplicate { existing: String },
    #[error("the catalog holds a value it cannot read: {0}")]
    Corrupt(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// The data folder opened: catalog plus files.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    blobs: Blobs,
    catalog: Mutex<Catalog>,
}

impl Store {
    /// Opens (creating if needed) the data folder at `root`.
    pub fn open(root: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        let blobs = Blobs::open(&root.join("files"), &root.join("tmp"))?;
        let catalog = Catalog::open(&root.join("catalog.sqlite"))?;
        Ok(Store {
            root: root.to_owned(),
            blobs,
            catalog: Mutex::new(catalog),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the search index lives; the index module owns its content.
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    pub fn blobs(&self) -> &Blobs {
        &self.blobs
    }

    /// The catalog, for one operation. A panic while it was held cannot leave a half transaction
    /// (SQLite rolls back), so a poisoned lock is safe to take over.
    pub fn catalog(&self) -> MutexGuard<'_, Catalog> {
        self.catalog
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
