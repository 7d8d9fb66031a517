//! The data folder: the SQLite catalog (documents and their text) and the content-addressed files.
//! Invariants: a file is written to `tmp/`, hashed, flushed and renamed into `files/` before the
//! catalog refers to it; the catalog row and the text change in one transaction; a file no row
//! refers to is an orphan that `check --repair` removes. Only this module speaks SQL.

mod accounts;
pub mod backup;
mod blobs;
mod catalog;
mod documents;
mod homework;
mod prints;
mod room;
mod schema;
mod selections;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub use blobs::{Blobs, StagedFile};
pub use catalog::Catalog;
pub use room::{free_bytes, is_full, Ballast, BALLAST_BYTES};

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
    /// Writing on would leave less free space than the reserve kept for the catalog.
    #[error("{free} bytes free on the disk, under the reserve of {reserve} bytes")]
    NoRoom { free: u64, reserve: u64 },
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

    /// Whether the disk (or the quota) is full: a write refused with ENOSPC or EDQUOT, or
    /// SQLite's "database or disk is full".
    pub fn is_disk_full(&self) -> bool {
        match self {
            Error::Io { source, .. } => room::is_full(source),
            Error::Sql(rusqlite::Error::SqliteFailure(failure, _)) => {
                failure.code == rusqlite::ErrorCode::DiskFull
            }
            _ => false,
        }
    }
}

/// The data folder opened: catalog plus files.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// The data folder's lock file, held (exclusively) while this process owns the folder.
    lock: Option<std::fs::File>,
    blobs: Blobs,
    catalog: Mutex<Catalog>,
    ballast: Ballast,
}

impl Store {
    /// Opens (creating if needed) the data folder at `root`.
    pub fn open(root: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
        let lock = owner_lock(root)?;
        let blobs = Blobs::open(&root.join("files"), &root.join("tmp"))?;
        let catalog = Catalog::open(&root.join(CATALOG))?;
        Ok(Store {
            root: root.to_owned(),
            lock,
            blobs,
            catalog: Mutex::new(catalog),
            ballast: Ballast::new(root),
        })
    }

    /// Whether this process owns the data folder: it may then clear `tmp/` and write the index.
    /// Otherwise (the server is running) it may read, and write the catalog only.
    pub fn is_owner(&self) -> bool {
        self.lock.is_some()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the search index lives; the index module owns its content.
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    /// Where PDFs made from office files are kept, by content hash; the convert module owns
    /// its content. On the same file system as the temporary files.
    pub fn converted_dir(&self) -> PathBuf {
        self.root.join("converted")
    }

    /// Where the reading views' texts are kept, by content hash; the service owns their
    /// content. On the same file system as the temporary files.
    pub fn reading_dir(&self) -> PathBuf {
        self.root.join("reading")
    }

    /// The file that holds a few megabytes back for a full disk (see `room`).
    pub fn ballast(&self) -> &Ballast {
        &self.ballast
    }

    /// Free bytes on the data folder's disk.
    pub fn free_bytes(&self) -> Result<u64, Error> {
        free_bytes(&self.root)
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

/// Whether `root` holds a catalog, found without creating anything.
pub fn has_catalog(root: &Path) -> bool {
    root.join(CATALOG).is_file()
}

/// The catalog's file in the data folder.
const CATALOG: &str = "catalog.sqlite";

/// Whether another process owns the data folder at `root` (a server running or starting),
/// found without creating anything. Probing takes the lock for an instant, shared, so it never
/// looks like an owner to anyone else for longer than that.
pub fn held_elsewhere(root: &Path) -> bool {
    let Ok(file) = std::fs::File::open(root.join("lock")) else {
        return false;
    };
    matches!(
        rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared),
        Err(rustix::io::Errno::WOULDBLOCK)
    )
}

/// Takes the data folder's lock if no other process holds it (an advisory `flock`, released by
/// the system if the process dies).
fn owner_lock(root: &Path) -> Result<Option<std::fs::File>, Error> {
    let path = root.join("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(error) => Err(Error::io(&path, error.into())),
    }
}
