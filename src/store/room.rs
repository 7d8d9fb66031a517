//! Room on the data folder's disk: its free space (statvfs), and a ballast file that holds a
//! few megabytes back. Uploads stop at the configured reserve; if something else fills the disk
//! anyway (logs, another program, a reserve of 0), the ballast is deleted so that logging in,
//! logging out and removing documents still have room to write the catalog, and made again
//! once there is room.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Error;

/// Bytes the ballast holds back: many sessions and deletions' worth of catalog and index writes.
pub const BALLAST_BYTES: u64 = 8 * 1024 * 1024;
/// Below this much free space the disk counts as full: the ballast is released.
const LOW_WATER: u64 = 2 * 1024 * 1024;
/// The ballast is made only when at least this much is free, so that it never takes more than
/// half of what is left.
const BALLAST_ROOM: u64 = 2 * BALLAST_BYTES;

/// Bytes an unprivileged process may still write on the file system holding `path`.
pub fn free_bytes(path: &Path) -> Result<u64, Error> {
    let stats = rustix::fs::statvfs(path).map_err(|e| Error::io(path, e.into()))?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}

/// Whether an I/O error says the disk (or the user's quota) is full.
pub fn is_full(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// The ballast file in the data folder.
#[derive(Debug)]
pub struct Ballast {
    path: PathBuf,
}

impl Ballast {
    pub fn new(root: &Path) -> Ballast {
        Ballast {
            path: root.join("ballast"),
        }
    }

    /// Makes the ballast if it is missing and the disk has room for it. Returns whether it
    /// was made now.
    pub fn restore(&self) -> Result<bool, Error> {
        if self.path.exists() {
            return Ok(false);
        }
        let folder = self.path.parent().unwrap_or(Path::new("."));
        if free_bytes(folder)? < BALLAST_ROOM {
            return Ok(false);
        }
        // Written out (not a sparse file) so its blocks are really taken, then renamed: a
        // half-written ballast never stays.
        let temp = self.path.with_extension("new");
        let written = std::fs::File::create(&temp).and_then(|mut file| {
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..BALLAST_BYTES / zeros.len() as u64 {
                file.write_all(&zeros)?;
            }
            file.sync_all()?;
            std::fs::rename(&temp, &self.path)
        });
        if let Err(error) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(Error::io(&self.path, error));
        }
        Ok(true)
    }

    /// Deletes the ballast when the disk is (nearly) full. Returns the bytes it freed.
    pub fn release_if_full(&self) -> u64 {
        let folder = self.path.parent().unwrap_or(Path::new("."));
        match free_bytes(folder) {
            Ok(free) if free < LOW_WATER => self.release(),
            _ => 0,
        }
    }

    /// Deletes the ballast. Returns the bytes it freed.
    pub fn release(&self) -> u64 {
        let bytes = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        match std::fs::remove_file(&self.path) {
            Ok(()) => bytes,
            Err(_) => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_is_read_and_the_ballast_is_made_once_and_released() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_bytes(dir.path()).unwrap() > 0);
        let ballast = Ballast::new(dir.path());
        assert!(ballast.restore().unwrap());
        assert_eq!(
            std::fs::metadata(dir.path().join("ballast")).unwrap().len(),
            BALLAST_BYTES
        );
        assert!(!ballast.restore().unwrap(), "made once");
        assert_eq!(ballast.release_if_full(), 0, "this disk is not full");
        assert_eq!(ballast.release(), BALLAST_BYTES);
        assert!(!dir.path().join("ballast").exists());
    }

    #[test]
    fn a_full_disk_is_told_from_other_errors() {
        assert!(is_full(&std::io::Error::from_raw_os_error(28))); // ENOSPC
        assert!(is_full(&std::io::Error::from_raw_os_error(122))); // EDQUOT
        assert!(!is_full(&std::io::Error::from_raw_os_error(5))); // EIO
    }
}
