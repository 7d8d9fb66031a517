//! A backup as one zip (stored, not compressed: documents are mostly compressed already, and a
//! small machine would spend minutes deflating them). Written under a temporary name beside the
//! target and renamed into place when whole, so an interrupted backup leaves the previous zip.
//! The catalog is the last entry: files of documents removed while the backup ran may precede
//! it unreferenced, and restoring ignores them.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{
    blob_name, copy_hashing, io, open_source, settled, snapshot, sync, BackupReport, Error,
    CATALOG, NOTE, NOTE_TEXT,
};

pub(super) fn back_up(data_dir: &Path, target: &Path) -> Result<BackupReport, Error> {
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    // Dropped on any error: the snapshot and the half-written zip go with them.
    let work = tempfile::Builder::new()
        .prefix(".cartable-sauvegarde-")
        .tempdir_in(parent)
        .map_err(io(parent))?;
    let partial = tempfile::Builder::new()
        .prefix(".cartable-sauvegarde-")
        .suffix(".zip")
        .tempfile_in(parent)
        .map_err(io(parent))?;
    let (file, partial) = partial.into_parts();
    let mut zip = ZipWriter::new(BufWriter::with_capacity(256 * 1024, file));
    let mut report = BackupReport {
        target: target.to_owned(),
        archive: true,
        ..BackupReport::default()
    };
    let snapshot_path = work.path().join(CATALOG);
    let mut written = HashSet::new();
    let mut missing_before = HashSet::new();
    let hashes = loop {
        let hashes = snapshot(data_dir, &snapshot_path)?;
        let mut missing = HashSet::new();
        for sha in &hashes {
            if written.contains(sha) {
                continue;
            }
            let Some(source) = open_source(data_dir, sha)? else {
                missing.insert(sha.clone());
                continue;
            };
            let size = source.metadata().map_err(io(&partial))?.len();
            zip.start_file(blob_name(sha), options(size))?;
            let (found, bytes) = copy_hashing(source, &mut zip).map_err(io(&partial))?;
            if found != *sha {
                return Err(Error::AlteredInData(sha.clone()));
            }
            report.files_copied += 1;
            report.bytes_copied += bytes;
            written.insert(sha.clone());
        }
        if settled(missing, &mut missing_before, &mut report.retakes)? {
            break hashes;
        }
    };
    let catalog = File::open(&snapshot_path).map_err(io(&snapshot_path))?;
    let size = catalog.metadata().map_err(io(&snapshot_path))?.len();
    zip.start_file(CATALOG, options(size))?;
    copy_hashing(catalog, &mut zip).map_err(io(&partial))?;
    zip.start_file(NOTE, options(NOTE_TEXT.len() as u64))?;
    zip.write_all(NOTE_TEXT.as_bytes()).map_err(io(&partial))?;
    let file = zip
        .finish()?
        .into_inner()
        .map_err(|e| io(&partial)(e.into_error()))?;
    file.sync_all().map_err(io(&partial))?;
    report.total_bytes = file.metadata().map_err(io(&partial))?.len();
    partial.persist(target).map_err(|e| io(target)(e.error))?;
    sync(parent)?;
    report.documents = hashes.len();
    Ok(report)
}

fn options(size: u64) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(size >= u64::from(u32::MAX))
}
