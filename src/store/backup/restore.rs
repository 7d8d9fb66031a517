//! Restoring a backup (folder or zip) into an empty or absent data folder. Every file the
//! catalog refers to is copied with its SHA-256 checked against its name, into `tmp/` then
//! renamed; the catalog comes last, so an interrupted restore leaves no catalog (and nothing
//! that looks like a usable data folder). On an error, what was written is removed again.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{blob_name, copy_hashing, hashes_in, io, sync, Error, CATALOG};

/// What a restore put in place. The search index is not part of it: opening the data folder
/// builds it from the catalog.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub documents: usize,
    pub bytes: u64,
}

/// Restores the backup `from` (a folder or a zip) into `data_dir`, which must be empty or absent.
pub fn restore(from: &Path, data_dir: &Path) -> Result<RestoreReport, Error> {
    let existed = data_dir.exists();
    if existed {
        let mut entries = std::fs::read_dir(data_dir).map_err(io(data_dir))?;
        if entries.next().is_some() {
            return Err(Error::NotEmpty(data_dir.to_owned()));
        }
    }
    let mut source = Source::open(from)?;
    let result = restore_into(&mut source, data_dir);
    if result.is_err() {
        // Back to how it was found: empty, or absent.
        if existed {
            if let Ok(entries) = std::fs::read_dir(data_dir) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
                }
            }
        } else {
            let _ = std::fs::remove_dir_all(data_dir);
        }
    }
    result
}

fn restore_into(source: &mut Source, data_dir: &Path) -> Result<RestoreReport, Error> {
    let (files, tmp) = (data_dir.join("files"), data_dir.join("tmp"));
    std::fs::create_dir_all(&files).map_err(io(&files))?;
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let staged_catalog = tmp.join(CATALOG);
    source.copy(CATALOG, &staged_catalog)?;
    let hashes = {
        let catalog = Connection::open(&staged_catalog)?;
        let check: String = catalog.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if check != "ok" {
            return Err(Error::Corrupt(check));
        }
        let found: i64 = catalog.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let known = crate::store::schema::CURRENT_VERSION;
        if found > known {
            return Err(Error::SchemaTooNew { found, known });
        }
        hashes_in(&catalog)?
    };
    let mut report = RestoreReport {
        documents: hashes.len(),
        ..RestoreReport::default()
    };
    for sha in &hashes {
        let name = blob_name(sha);
        let staged = tmp.join(sha);
        let (found, bytes) = source.copy(&name, &staged)?;
        if found != *sha {
            return Err(Error::Tampered(name));
        }
        report.bytes += bytes;
        let kept = data_dir.join(&name);
        let folder = kept.parent().expect("a blob is in a prefix folder");
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        std::fs::rename(&staged, &kept).map_err(io(&kept))?;
    }
    for folder in std::fs::read_dir(&files).map_err(io(&files))? {
        sync(&folder.map_err(io(&files))?.path())?;
    }
    let catalog = data_dir.join(CATALOG);
    std::fs::rename(&staged_catalog, &catalog).map_err(io(&catalog))?;
    sync(data_dir)?;
    Ok(report)
}

/// Where a backup is read from.
enum Source {
    Folder(PathBuf),
    Archive(zip::ZipArchive<BufReader<File>>),
}

impl Source {
    fn open(from: &Path) -> Result<Source, Error> {
        if from.is_dir() {
            if !from.join(CATALOG).is_file() {
                return Err(Error::NotABackup(from.to_owned()));
            }
            return Ok(Source::Folder(from.to_owned()));
        }
        if !from.is_file() {
            return Err(Error::NotABackup(from.to_owned()));
        }
        let file = File::open(from).map_err(io(from))?;
        // A zip cut short (a backup interrupted, a disk pulled out) has no central directory.
        zip::ZipArchive::new(BufReader::new(file))
            .map(Source::Archive)
            .map_err(|_| Error::NotABackup(from.to_owned()))
    }

    /// Copies the backup's entry `name` to `to` (flushed); returns its SHA-256 and size.
    fn copy(&mut self, name: &str, to: &Path) -> Result<(String, u64), Error> {
        let mut writer = BufWriter::new(File::create(to).map_err(io(to))?);
        let copied = match self {
            Source::Folder(folder) => {
                let path = folder.join(name);
                let reader = open_entry(File::open(&path), name)?;
                copy_hashing(reader, &mut writer)
            }
            Source::Archive(archive) => {
                let reader: Box<dyn Read> = match archive.by_name(name) {
                    Ok(entry) => Box::new(entry),
                    Err(zip::result::ZipError::FileNotFound) => {
                        return Err(missing(name));
                    }
                    Err(other) => return Err(other.into()),
                };
                copy_hashing(reader, &mut writer)
            }
        };
        // A stored entry whose bytes were changed fails its CRC as it is read.
        let copied = copied.map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => Error::Tampered(name.to_owned()),
            _ => io(to)(e),
        })?;
        let file = writer.into_inner().map_err(|e| io(to)(e.into_error()))?;
        file.sync_all().map_err(io(to))?;
        Ok(copied)
    }
}

fn open_entry(opened: std::io::Result<File>, name: &str) -> Result<File, Error> {
    match opened {
        Ok(file) => Ok(file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(missing(name)),
        Err(e) => Err(io(Path::new(name))(e)),
    }
}

/// The catalog missing is not a backup at all; a document's file missing is a damaged one.
fn missing(name: &str) -> Error {
    if name == CATALOG {
        Error::Corrupt("catalogue absent".to_owned())
    } else {
        Error::MissingInBackup(name.to_owned())
    }
}
