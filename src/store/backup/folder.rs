//! A backup as a folder, brought up to date in place: the catalog is snapshotted into
//! `.en-cours/`, the files it refers to that the folder lacks are copied in (each to
//! `.en-cours/` then renamed, so `files/` only ever holds whole files), then the new catalog
//! replaces the old one in one rename, and only then are the files nothing refers to removed.
//! Interrupted anywhere, the folder still holds a whole backup: the old one or the new one.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use super::{
    blob_name, copy_hashing, io, is_sha256, open_source, settled, snapshot, sync, BackupReport,
    Error, CATALOG, NOTE, NOTE_TEXT,
};

/// The work folder inside the backup, on the same disk so that renames are atomic.
const WORK: &str = ".en-cours";

pub(super) fn back_up(data_dir: &Path, target: &Path) -> Result<BackupReport, Error> {
    prepare(target)?;
    let work = target.join(WORK);
    if work.exists() {
        // Left by an interrupted backup: nothing in it is part of a backup.
        std::fs::remove_dir_all(&work).map_err(io(&work))?;
    }
    std::fs::create_dir_all(&work).map_err(io(&work))?;
    let new_catalog = work.join(CATALOG);
    let mut report = BackupReport {
        target: target.to_owned(),
        ..BackupReport::default()
    };
    let mut missing_before = HashSet::new();
    let hashes = loop {
        let hashes = snapshot(data_dir, &new_catalog)?;
        let mut missing = HashSet::new();
        for sha in &hashes {
            let kept = target.join(blob_name(sha));
            if kept.exists() {
                continue;
            }
            match copy_in(data_dir, sha, &work, &kept)? {
                Some(bytes) => {
                    report.files_copied += 1;
                    report.bytes_copied += bytes;
                }
                None => {
                    missing.insert(sha.clone());
                }
            }
        }
        if settled(missing, &mut missing_before, &mut report.retakes)? {
            break hashes;
        }
    };
    let catalog = target.join(CATALOG);
    std::fs::rename(&new_catalog, &catalog).map_err(io(&catalog))?;
    sync(target)?;
    let referenced: HashSet<&str> = hashes.iter().map(String::as_str).collect();
    report.files_removed = prune(&target.join("files"), &referenced)?;
    report.documents = hashes.len();
    report.files_already_there = hashes.len() - report.files_copied;
    std::fs::remove_dir_all(&work).map_err(io(&work))?;
    report.total_bytes = size_of(target)?;
    Ok(report)
}

/// Makes sure `target` is an empty or absent folder, or a backup; creates it, `files/` and the
/// note.
fn prepare(target: &Path) -> Result<(), Error> {
    // A first backup interrupted before its catalog was in place has its note already.
    let is_backup = target.join(CATALOG).is_file() || target.join(NOTE).is_file();
    if target.is_dir() && !is_backup {
        let mut entries = std::fs::read_dir(target).map_err(io(target))?;
        if entries.next().is_some() {
            return Err(Error::NotABackupFolder(target.to_owned()));
        }
    }
    let files = target.join("files");
    std::fs::create_dir_all(&files).map_err(io(&files))?;
    std::fs::write(target.join(NOTE), NOTE_TEXT).map_err(io(&target.join(NOTE)))
}

/// Copies the file `sha` of the data folder to `kept` through `work`, checking its hash on the
/// way; `None` if the data folder no longer has it.
fn copy_in(data_dir: &Path, sha: &str, work: &Path, kept: &Path) -> Result<Option<u64>, Error> {
    let Some(source) = open_source(data_dir, sha)? else {
        return Ok(None);
    };
    let partial = work.join(sha);
    let mut writer = BufWriter::new(File::create(&partial).map_err(io(&partial))?);
    let (found, bytes) = copy_hashing(source, &mut writer).map_err(io(&partial))?;
    if found != sha {
        return Err(Error::AlteredInData(sha.to_owned()));
    }
    let file = writer
        .into_inner()
        .map_err(|e| io(&partial)(e.into_error()))?;
    file.sync_all().map_err(io(&partial))?;
    let folder = kept.parent().expect("a blob is in a prefix folder");
    std::fs::create_dir_all(folder).map_err(io(folder))?;
    std::fs::rename(&partial, kept).map_err(io(kept))?;
    sync(folder)?;
    Ok(Some(bytes))
}

/// Removes the files under `files/` that `referenced` does not hold, and prefix folders left
/// empty; returns how many files went.
fn prune(files: &Path, referenced: &HashSet<&str>) -> Result<usize, Error> {
    let mut removed = 0;
    for prefix in std::fs::read_dir(files).map_err(io(files))? {
        let prefix = prefix.map_err(io(files))?.path();
        if !prefix.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&prefix).map_err(io(&prefix))? {
            let path = entry.map_err(io(&prefix))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // Only what a backup put there: anything else is someone's, left alone.
            if is_sha256(name) && !referenced.contains(name) {
                std::fs::remove_file(&path).map_err(io(&path))?;
                removed += 1;
            }
        }
        // Fails (and is left) when not empty.
        let _ = std::fs::remove_dir(&prefix);
    }
    Ok(removed)
}

/// Bytes of the regular files below `folder`.
fn size_of(folder: &Path) -> Result<u64, Error> {
    let mut total = 0;
    for entry in walkdir::WalkDir::new(folder) {
        let entry = entry.map_err(|e| io(folder)(e.into()))?;
        if entry.file_type().is_file() {
            total += entry.metadata().map_err(|e| io(folder)(e.into()))?.len();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_is_not_a_backup_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("photo.jpg"), b"holidays").unwrap();
        let error = prepare(dir.path()).unwrap_err();
        assert!(matches!(error, Error::NotABackupFolder(_)), "{error}");
        assert!(!dir.path().join("files").exists());
    }

    #[test]
    fn pruning_removes_only_unreferenced_hash_named_files() {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        let (kept, dropped) = ("a".repeat(64), "b".repeat(64));
        for name in [&kept, &dropped] {
            let folder = files.join(&name[..2]);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join(name), b"x").unwrap();
        }
        std::fs::write(files.join("aa").join("notes.txt"), b"mine").unwrap();
        let referenced = HashSet::from([kept.as_str()]);
        assert_eq!(prune(&files, &referenced).unwrap(), 1);
        assert!(files.join("aa").join(&kept).exists());
        assert!(files.join("aa").join("notes.txt").exists());
        assert!(!files.join("bb").exists(), "an emptied prefix folder goes");
    }
}
