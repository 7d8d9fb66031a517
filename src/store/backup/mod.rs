//! Backups of a data folder and their restoration: the catalog copied with SQLite's online backup
//! (one consistent instant, while the server writes), then the content files it refers to, each
//! checked against its SHA-256 name. A backup is a folder (incremental: only new files are
//! copied) or a single stored zip; both hold `catalog.sqlite` and `files/ab/<sha256>`. The search
//! index and the caches (`converted/`, `reading/`) are left out: they are rebuilt from these.
//!
//! Invariant: whatever moment a backup is interrupted at, the previous backup at the same place
//! is still whole (new files are added before the catalog is swapped, old ones removed after).

mod archive;
mod folder;
mod restore;

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

pub use restore::{restore, RestoreReport};

/// The catalog's name in a backup (as in a data folder).
const CATALOG: &str = super::CATALOG;
/// A note for whoever finds the backup on a disk: what it is and how to restore it.
const NOTE: &str = "cartable-sauvegarde.txt";
const NOTE_TEXT: &str =
    "Sauvegarde du point ressources cartable : le catalogue (catalog.sqlite) et \
les fichiers des documents (files/).\nPour la restaurer dans un dossier de données vide :\n    \
cartable --data NOUVEAU-DOSSIER restore CETTE-SAUVEGARDE\n";
/// How many times the catalog is snapshotted again when files vanished meanwhile (documents
/// removed or replaced during the backup) before giving up.
const SNAPSHOTS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("impossible d'utiliser {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("catalogue illisible : {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("archive zip illisible : {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0} est dans le dossier de données : choisissez un autre emplacement (un disque USB, un autre dossier)")]
    InsideData(PathBuf),
    #[error("aucun catalogue dans le dossier de données {0}")]
    NoCatalog(PathBuf),
    #[error("{0} n'est pas une sauvegarde cartable (ni un dossier de sauvegarde, ni un fichier .zip qui en contient une)")]
    NotABackup(PathBuf),
    #[error("le dossier {0} n'est pas vide et ne contient pas de sauvegarde cartable : choisissez un dossier vide ou celui d'une sauvegarde précédente")]
    NotABackupFolder(PathBuf),
    #[error("{0} existe et n'est pas un fichier .zip : indiquez un dossier, ou un fichier qui finit par .zip")]
    NotAZip(PathBuf),
    #[error("le dossier de données {0} n'est pas vide : la restauration se fait dans un dossier vide ou absent (rien n'a été modifié)")]
    NotEmpty(PathBuf),
    #[error("le fichier {0} de la sauvegarde est abîmé ou a été modifié (son contenu ne correspond plus à son empreinte SHA-256) : restauration annulée")]
    Tampered(String),
    #[error("le fichier {0} manque dans la sauvegarde : restauration annulée")]
    MissingInBackup(String),
    #[error("le catalogue de la sauvegarde est abîmé : {0}")]
    Corrupt(String),
    #[error("la sauvegarde vient d'une version plus récente de cartable (schéma {found}, celle-ci connaît {known}) : mettez cartable à jour")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("le fichier {0} d'un document manque dans le dossier de données : lancez « cartable check » (la sauvegarde précédente est intacte)")]
    MissingInData(String),
    #[error("le fichier {0} du dossier de données ne correspond plus à son empreinte : lancez « cartable check » (la sauvegarde précédente est intacte)")]
    AlteredInData(String),
    #[error("des documents ont changé sans arrêt pendant la sauvegarde : relancez-la (la sauvegarde précédente est intacte)")]
    TooManyChanges,
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a backup did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub target: PathBuf,
    /// A single zip (true) or a folder (false).
    pub archive: bool,
    pub documents: usize,
    /// Files copied this time, and their size.
    pub files_copied: usize,
    pub bytes_copied: u64,
    /// Files a previous backup in the same folder already held.
    pub files_already_there: usize,
    /// Files of documents removed since the previous backup, removed from it.
    pub files_removed: usize,
    /// The backup's size on disk when done.
    pub total_bytes: u64,
    /// Snapshots taken again because documents were removed or replaced meanwhile.
    pub retakes: usize,
}

/// Backs up the data folder `data_dir` to `target`: a single zip if it ends with `.zip`,
/// otherwise a folder (created, or a previous backup brought up to date).
///
/// The data folder is only read, beside a running server or not, with no lock taken: SQLite
/// gives this connection a consistent snapshot while the server keeps writing, and the content
/// files never change once stored. (Going through the server's control socket would make the
/// server, with its sandboxed service account, write to the admin's USB disk.)
pub fn back_up(data_dir: &Path, target: &Path) -> Result<BackupReport, Error> {
    if !data_dir.join(CATALOG).is_file() {
        return Err(Error::NoCatalog(data_dir.to_owned()));
    }
    if is_inside(target, data_dir) {
        return Err(Error::InsideData(target.to_owned()));
    }
    let is_zip = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        archive::back_up(data_dir, target)
    } else if target.is_file() {
        Err(Error::NotAZip(target.to_owned()))
    } else {
        folder::back_up(data_dir, target)
    }
}

/// Whether `path` (existing or not) is `folder` or below it, links resolved.
fn is_inside(path: &Path, folder: &Path) -> bool {
    let Ok(folder) = folder.canonicalize() else {
        return false;
    };
    let mut existing = path;
    loop {
        if let Ok(found) = existing.canonicalize() {
            return found.starts_with(&folder);
        }
        match existing.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => existing = parent,
            _ => {
                return Path::new(".")
                    .canonicalize()
                    .is_ok_and(|cwd| cwd.starts_with(&folder))
            }
        }
    }
}

/// Copies the data folder's catalog into `copy` as it is at one instant, and returns the hashes
/// of the files its documents refer to.
fn snapshot(data_dir: &Path, copy: &Path) -> Result<Vec<String>, Error> {
    remove_if_present(copy)?;
    // Read-write without create: no schema change, no lock, and SQLite may read the live WAL.
    let source = Connection::open_with_flags(
        data_dir.join(CATALOG),
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(Duration::from_secs(5))?;
    let mut destination = Connection::open(copy)?;
    {
        // All pages in one step, under one read transaction: one instant of the catalog, however
        // much the server writes meanwhile (in WAL mode a reader never blocks the writer).
        let backup = Backup::new(&source, &mut destination)?;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                // The server holds a lock for an instant (a checkpoint): try again.
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
    drop(source);
    // A single self-contained file, not a WAL pair.
    destination.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?;
    // Who was logged in on the day is not worth keeping: a restored server asks again.
    let has_sessions: bool = destination.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'",
        [],
        |row| row.get(0),
    )?;
    if has_sessions {
        destination.execute("DELETE FROM sessions", [])?;
    }
    let hashes = hashes_in(&destination)?;
    destination.close().map_err(|(_, e)| e)?;
    sync(copy)?;
    Ok(hashes)
}

/// The file hashes a catalog refers to, each checked to be a SHA-256 in hex (a backup's catalog
/// names paths: it must not be able to name `../`).
fn hashes_in(catalog: &Connection) -> Result<Vec<String>, Error> {
    let mut statement = catalog.prepare("SELECT sha256 FROM documents ORDER BY sha256")?;
    let hashes = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(bad) = hashes.iter().find(|sha| !is_sha256(sha)) {
        return Err(Error::Corrupt(format!("empreinte invalide {bad:?}")));
    }
    Ok(hashes)
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where a file is kept, relative to a data folder or a backup (`files/ab/abcd…`).
fn blob_name(sha256: &str) -> String {
    format!("files/{}/{sha256}", &sha256[..2])
}

/// Copies `from` into `to` while hashing it; returns the SHA-256 (hex) and the byte count.
fn copy_hashing(mut from: impl Read, to: &mut impl Write) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..read]);
        to.write_all(&buffer[..read])?;
        bytes += read as u64;
    }
    Ok((super::blobs::hex(&hasher.finalize()), bytes))
}

/// Opens a file of the data folder; `None` if it is gone (its document removed meanwhile).
fn open_source(data_dir: &Path, sha256: &str) -> Result<Option<File>, Error> {
    let path = data_dir.join(blob_name(sha256));
    match File::open(&path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
    }
}

/// After a round of copies: `Ok(true)` when every file was found, `Ok(false)` when some vanished
/// and the catalog must be snapshotted again, an error when a file is missing twice in a row
/// (the live catalog still refers to it: the data folder itself lacks it) or it keeps changing.
fn settled(
    missing: HashSet<String>,
    missing_before: &mut HashSet<String>,
    retakes: &mut usize,
) -> Result<bool, Error> {
    if missing.is_empty() {
        return Ok(true);
    }
    if let Some(sha) = missing.intersection(missing_before).next() {
        return Err(Error::MissingInData(sha.clone()));
    }
    *retakes += 1;
    if *retakes >= SNAPSHOTS {
        return Err(Error::TooManyChanges);
    }
    *missing_before = missing;
    Ok(false)
}

fn remove_if_present(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path)(e)),
        _ => Ok(()),
    }
}

/// Flushes a file or a folder (a rename is durable once its folder is flushed).
fn sync(path: &Path) -> Result<(), Error> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_missing_once_means_a_retake_and_missing_twice_means_the_data_folder_lacks_it() {
        let (mut before, mut retakes) = (HashSet::new(), 0);
        assert!(settled(HashSet::new(), &mut before, &mut retakes).unwrap());
        let gone = HashSet::from(["a".repeat(64)]);
        assert!(!settled(gone.clone(), &mut before, &mut retakes).unwrap());
        assert_eq!(retakes, 1);
        let error = settled(gone, &mut before, &mut retakes).unwrap_err();
        assert!(matches!(error, Error::MissingInData(_)), "{error}");
    }

    #[test]
    fn files_that_keep_vanishing_stop_the_backup_after_a_few_retakes() {
        let (mut before, mut retakes) = (HashSet::new(), 0);
        let mut outcomes = Vec::new();
        for n in 0..SNAPSHOTS {
            let gone = HashSet::from([format!("{n:0>64}")]);
            outcomes.push(settled(gone, &mut before, &mut retakes).map_err(|e| e.to_string()));
        }
        assert!(outcomes[..SNAPSHOTS - 1].iter().all(|o| o == &Ok(false)));
        assert!(outcomes[SNAPSHOTS - 1]
            .as_ref()
            .is_err_and(|e| e.contains("relancez")));
    }

    #[test]
    fn only_hex_sha256_names_are_taken_from_a_catalog() {
        assert!(is_sha256(&"0a".repeat(32)));
        assert!(!is_sha256(&"0A".repeat(32)));
        assert!(!is_sha256("../../etc/passwd"));
        assert!(!is_sha256(&format!("{}/", "a".repeat(63))));
    }
}
