//! A bundle as a folder, for a USB stick. Safe on real sticks: the free space is checked before
//! starting, FAT32's 4 GiB file limit too; everything is written under a temporary name, each
//! file flushed and read back from the device (its hash compared) before the folder gets its
//! final name. A stick that is full, read-only or pulled out gives a clear French message and
//! never leaves a folder that looks complete.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{offline, Cover, Item, INDEX_FILE};

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

/// Writes the bundle as `target/<name>` and returns its path.
pub fn write_folder(
    cover: &Cover,
    items: &[Item],
    target: &Path,
    name: &str,
    progress: &dyn Fn(&Progress),
) -> Result<PathBuf, FolderError> {
    if !target.is_dir() {
        return Err(FolderError::NoTarget(target.to_owned()));
    }
    let index = offline::index_html(cover, items);
    let total: u64 = items.iter().map(|i| i.bytes).sum::<u64>() + index.len() as u64;
    check_space(target, total, items)?;
    // A name of its own per copy: two copies at once (a double click) must not share a folder.
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| FolderError::Io(std::io::Error::other(e)))?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let temp = target.join(format!(".cartable-copie-en-cours-{suffix}"));
    // Created here, so the cleanup below only ever removes this copy's own folder.
    std::fs::create_dir(&temp)?;
    let result =
        copy_all(&temp, items, &index, total, progress).and_then(|()| finish(&temp, target, name));
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

/// Copies every file, flushes the whole stick once, then reads every file back from the device.
/// One flush at the end instead of one per file keeps the copy near `cp -r` speed (a flush per
/// small file was 4 times slower); nothing is called complete before every file is read back.
fn copy_all(
    temp: &Path,
    items: &[Item],
    index: &str,
    total: u64,
    progress: &dyn Fn(&Progress),
) -> Result<(), FolderError> {
    let mut done = 0u64;
    let mut buffer = vec![0u8; 1024 * 1024];
    let mut written = Vec::with_capacity(items.len());
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
        written.push((destination, item.sha256.clone(), item.title.clone()));
    }
    let index_path = temp.join(INDEX_FILE);
    std::fs::write(&index_path, index.as_bytes())?;
    let index_sha256 = super::hashing::hex(&Sha256::digest(index.as_bytes()));
    written.push((index_path, index_sha256, INDEX_FILE.to_owned()));
    progress(&Progress {
        done_bytes: total,
        total_bytes: total,
        current: "Vérification de la copie…".to_owned(),
    });
    let root = File::open(temp)?;
    rustix::fs::syncfs(&root).map_err(|e| FolderError::from(std::io::Error::from(e)))?;
    verify_all(&written)
}

/// Files read back at once: several reads in flight keep a stick (or a disk) busy where one
/// small file after another would wait on each request's latency.
const VERIFY_THREADS: usize = 4;

/// Files up to this size are copied in one call; bigger ones in chunks with progress.
const IN_KERNEL_COPY_MAX: u64 = 8 * 1024 * 1024;

/// Reads back each (file, SHA-256, title).
fn verify_all(written: &[(PathBuf, String, String)]) -> Result<(), FolderError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failure: std::sync::Mutex<Option<FolderError>> = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..VERIFY_THREADS {
            scope.spawn(|| {
                let mut buffer = vec![0u8; 256 * 1024];
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((destination, sha256, title)) = written.get(index) else {
                        break;
                    };
                    if let Err(error) = verify(destination, sha256, title, &mut buffer) {
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
