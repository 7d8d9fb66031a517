//! A bundle as a folder, for a USB stick. Safe on real sticks: the free space is checked before
//! starting, FAT32's 4 GiB file limit too; everything is written under a temporary name, each
//! file flushed and read back from the device (its hash compared) before the folder gets its
//! final name. A stick that is full, read-only or pulled out gives a clear French message and
//! never leaves a folder that looks complete.
//!
//! Near `cp -r` speed: files already written are flushed and read back while the next ones
//! copy, and the offline index's words are made meanwhile, so the checks add only a short tail.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};

use sha2::{Digest, Sha256};

use super::{offline, offline_index, Cover, Item, INDEX_FILE, SEARCH_FILE};

/// Where a copy is: bytes done of the total, and the file being copied.
#[derive(Debug, Clone)]
pub struct Progress {
    pub done_bytes: u64,
    pub total_bytes: u64,
    pub current: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("la clé est pleine")]
    Full,
    #[error("il manque de la place sur la clé : {needed} Mo nécessaires, {free} Mo libres")]
    NoSpace { needed: u64, free: u64 },
    #[error("la clé est protégée en écriture (verrou sur la clé ?)")]
    ReadOnly,
    #[error("« {0} » dépasse 4 Go, la limite des clés FAT32 : utilisez une clé exFAT ou NTFS")]
    TooLargeForFat(String),
    #[error("la clé a été retirée ou ne répond plus pendant la copie")]
    Removed,
    #[error("la vérification de « {0} » a échoué : la clé est peut-être défectueuse")]
    Verification(String),
    #[error("le dossier de destination {0} n'existe pas")]
    NoTarget(PathBuf),
    #[error("erreur d'écriture : {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for FolderError {
    fn from(error: std::io::Error) -> FolderError {
        match error.raw_os_error() {
            Some(28) => FolderError::Full,                // ENOSPC
            Some(30) | Some(13) => FolderError::ReadOnly, // EROFS, EACCES
            Some(5) | Some(2) | Some(19) | Some(6) => FolderError::Removed, // EIO, ENOENT, ENODEV, ENXIO
            _ => FolderError::Io(error),
        }
    }
}

/// FAT's largest file: 4 GiB minus one byte.
const FAT_MAX_FILE: u64 = u32::MAX as u64;
/// statfs magic of vfat (FAT12/16/32).
const MSDOS_SUPER_MAGIC: i64 = 0x4d44;
/// Room kept free for the file system's own bookkeeping.
const MARGIN: u64 = 1024 * 1024;
/// Room kept for `index.html` per document: its row and up to 1,500 words (the corpus' index
/// takes 2.4 KB a document).
const INDEX_BYTES_PER_ITEM: u64 = 16 * 1024;

/// Writes the bundle as `target/<name>` and returns its path. `words` gives each item's words
/// for the offline search, in the items' order; it runs while the files copy.
pub fn write_folder(
    cover: &Cover,
    items: Vec<Item>,
    words: impl FnOnce() -> std::io::Result<Vec<String>> + Send,
    target: &Path,
    name: &str,
    progress: &dyn Fn(&Progress),
) -> Result<PathBuf, FolderError> {
    if !target.is_dir() {
        return Err(FolderError::NoTarget(target.to_owned()));
    }
    let total: u64 = items.iter().map(|i| i.bytes).sum();
    check_space(target, total, &items)?;
    // A name of its own per copy: two copies at once (a double click) must not share a folder.
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| FolderError::Io(std::io::Error::other(e)))?;
    let suffix = super::hashing::hex(&random);
    let temp = target.join(format!(".cartable-copie-en-cours-{suffix}"));
    // Created here, so the cleanup below only ever removes this copy's own folder.
    std::fs::create_dir(&temp)?;
    let result = copy_all(&temp, cover, items, words, total, progress)
        .and_then(|()| finish(&temp, target, name));
    if result.is_err() {
        // Best effort: the stick may be gone. A leftover is recognisable by its name.
        let _ = std::fs::remove_dir_all(&temp);
    }
    result
}

fn check_space(target: &Path, total: u64, items: &[Item]) -> Result<(), FolderError> {
    let stats =
        rustix::fs::statvfs(target).map_err(|e| FolderError::from(std::io::Error::from(e)))?;
    if stats.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY) {
        return Err(FolderError::ReadOnly);
    }
    let free = stats.f_bavail.saturating_mul(stats.f_frsize);
    // Each file rounds up to whole blocks.
    let block = stats.f_frsize.max(512);
    let needed = items
        .iter()
        .map(|i| i.bytes.div_ceil(block) * block)
        .sum::<u64>()
        + total / 100
        + items.len() as u64 * INDEX_BYTES_PER_ITEM
        + MARGIN;
    if needed > free {
        return Err(FolderError::NoSpace {
            needed: needed.div_ceil(1 << 20),
            free: free / (1 << 20),
        });
    }
    let is_fat = rustix::fs::statfs(target)
        // f_type is an i64, a u32 or a c_long depending on the architecture.
        .map(|s| {
            #[allow(clippy::unnecessary_cast)]
            let kind = s.f_type as i64;
            kind == MSDOS_SUPER_MAGIC
        })
        .unwrap_or(false);
    if is_fat {
        if let Some(big) = items.iter().find(|i| i.bytes > FAT_MAX_FILE) {
            return Err(FolderError::TooLargeForFat(big.title.clone()));
        }
    }
    Ok(())
}

/// A file written into the bundle, waiting to be checked: where, its SHA-256, its title.
struct Written {
    path: PathBuf,
    sha256: String,
    title: String,
}

/// Copies every file then `index.html` and `recherche.js`, while another thread flushes and reads back what is
/// already written. Returns once every file, the last one included, was read back after a flush
/// that started after it was written.
fn copy_all(
    temp: &Path,
    cover: &Cover,
    mut items: Vec<Item>,
    words: impl FnOnce() -> std::io::Result<Vec<String>> + Send,
    total: u64,
    progress: &dyn Fn(&Progress),
) -> Result<(), FolderError> {
    let root = File::open(temp)?;
    std::thread::scope(|scope| {
        let words = scope.spawn(words);
        let (written, to_check) = channel();
        let checker = scope.spawn(|| check_as_written(&root, to_check));
        let copied = copy_files(temp, &items, total, progress, &written).and_then(|all| {
            if !all {
                // The checker failed: its error is the one to tell.
                return Ok(());
            }
            let words = words
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            for (item, words) in items.iter_mut().zip(words) {
                item.words = words;
            }
            let pages = [
                (INDEX_FILE, offline::index_html(cover, &items)),
                (SEARCH_FILE, offline_index::search_js(&items)),
            ];
            for (name, content) in pages {
                let path = temp.join(name);
                std::fs::write(&path, content.as_bytes())?;
                let sha256 = super::hashing::hex(&Sha256::digest(content.as_bytes()));
                // A closed channel means the checker stopped on an error, returned below.
                let _ = written.send(Written {
                    path,
                    sha256,
                    title: name.to_owned(),
                });
            }
            progress(&Progress {
                done_bytes: total,
                total_bytes: total,
                current: "Vérification de la copie…".to_owned(),
            });
            Ok(())
        });
        drop(written);
        let checked = checker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // The copy's own error first: a full stick also makes the checker's flush fail.
        copied.and(checked)
    })
}

/// Copies each item into `temp` and hands it to the checker; stops early if the checker did
/// (then returns `false`).
fn copy_files(
    temp: &Path,
    items: &[Item],
    total: u64,
    progress: &dyn Fn(&Progress),
    written: &Sender<Written>,
) -> Result<bool, FolderError> {
    let mut done = 0u64;
    let mut buffer = vec![0u8; 1024 * 1024];
    for item in items {
        let mut destination = temp.to_owned();
        for part in &item.path {
            destination.push(part);
        }
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent)?;
        }
        progress(&Progress {
            done_bytes: done,
            total_bytes: total,
            current: item.title.clone(),
        });
        let mut source = File::open(&item.source).map_err(FolderError::Io)?;
        let mut out = File::create(&destination)?;
        if item.bytes <= IN_KERNEL_COPY_MAX {
            // The kernel copies it (copy_file_range), as `cp` does: no trip through our memory.
            done += std::io::copy(&mut source, &mut out)?;
        } else {
            // Big files by chunks, so the progress bar moves while they copy.
            loop {
                let read = source.read(&mut buffer).map_err(FolderError::Io)?;
                if read == 0 {
                    break;
                }
                out.write_all(&buffer[..read])?;
                done += read as u64;
                progress(&Progress {
                    done_bytes: done,
                    total_bytes: total,
                    current: item.title.clone(),
                });
            }
        }
        let checking = written.send(Written {
            path: destination,
            sha256: item.sha256.clone(),
            title: item.title.clone(),
        });
        if checking.is_err() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Takes every file written so far, flushes the stick (one `syncfs` for all of them: a flush
/// per small file was 4 times slower), reads them back, and again until the copy is over.
fn check_as_written(root: &File, to_check: Receiver<Written>) -> Result<(), FolderError> {
    while let Ok(first) = to_check.recv() {
        let mut batch = vec![first];
        batch.extend(to_check.try_iter());
        // Every file of the batch was written before this flush started.
        rustix::fs::syncfs(root).map_err(|e| FolderError::from(std::io::Error::from(e)))?;
        verify_all(&batch)?;
    }
    Ok(())
}

/// Files read back at once: several reads in flight keep a stick (or a disk) busy where one
/// small file after another would wait on each request's latency.
const VERIFY_THREADS: usize = 4;

/// Files up to this size are copied in one call; bigger ones in chunks with progress.
const IN_KERNEL_COPY_MAX: u64 = 8 * 1024 * 1024;

/// Reads back each written file.
fn verify_all(written: &[Written]) -> Result<(), FolderError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failure: std::sync::Mutex<Option<FolderError>> = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..VERIFY_THREADS.min(written.len()) {
            scope.spawn(|| {
                let mut buffer = vec![0u8; 256 * 1024];
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = written.get(index) else {
                        break;
                    };
                    if let Err(error) = verify(&file.path, &file.sha256, &file.title, &mut buffer) {
                        let mut failure = failure.lock().unwrap_or_else(|e| e.into_inner());
                        failure.get_or_insert(error);
                        // The others stop at their next file.
                        next.store(written.len(), std::sync::atomic::Ordering::Relaxed);
                        break;
                    }
                }
            });
        }
    });
    match failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Reads a written file back from the device (its cached pages dropped first) and checks its hash.
fn verify(path: &Path, sha256: &str, title: &str, buffer: &mut [u8]) -> Result<(), FolderError> {
    let mut file = File::open(path)?;
    let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
    let mut hasher = Sha256::new();
    loop {
        let read = file.read(buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    let found = super::hashing::hex(&hasher.finalize());
    if found != sha256 {
        return Err(FolderError::Verification(title.to_owned()));
    }
    Ok(())
}

/// Gives the finished folder its name (unique in `target`) and flushes the rename.
fn finish(temp: &Path, target: &Path, name: &str) -> Result<PathBuf, FolderError> {
    rename_unique(temp, target, name, "")
}

/// Delivers one file written on a stick (a zip, a printable pack) under a temporary name in
/// `target`: flushes it, reads it back from the device against `sha256` (its hash as written),
/// then gives it `name` (made safe and unique). Until then nothing looks complete.
pub fn deliver_file(
    temp: &Path,
    target: &Path,
    name: &str,
    sha256: &str,
) -> Result<PathBuf, FolderError> {
    File::open(temp).and_then(|f| f.sync_all())?;
    verify(temp, sha256, name, &mut vec![0u8; 256 * 1024])?;
    match name.rsplit_once('.') {
        Some((stem, extension)) => rename_unique(temp, target, stem, &format!(".{extension}")),
        None => rename_unique(temp, target, name, ""),
    }
}

/// Renames `temp` to `stem` (made safe) + `extension` in `target`, numbered "(2)", "(3)"... when
/// taken, and flushes the rename.
fn rename_unique(
    temp: &Path,
    target: &Path,
    stem: &str,
    extension: &str,
) -> Result<PathBuf, FolderError> {
    let base = super::names::safe(stem);
    let mut final_path = target.join(format!("{base}{extension}"));
    let mut n = 2;
    while final_path.exists() {
        final_path = target.join(format!("{base} ({n}){extension}"));
        n += 1;
    }
    std::fs::rename(temp, &final_path)?;
    File::open(target).and_then(|f| f.sync_all())?;
    Ok(final_path)
}
