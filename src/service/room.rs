//! Room on the data folder's disk, kept for what must always work. Uploads (web, API,
//! replacing a file, imports) are refused once they would leave less than the configured
//! reserve free; logging in and removing documents first release the ballast if the disk is
//! full anyway; a full disk is named as such, never as an internal error.

use super::{Core, Error};

/// Why there is no room for a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRoom {
    /// An upload refused before it could take the reserve: `free` bytes are left and `reserve`
    /// bytes are kept for the catalog, the sessions and deletions.
    Reserve { free: u64, reserve: u64 },
    /// The disk is full (ENOSPC) or the quota is reached (EDQUOT).
    Full,
}

const MB: u64 = 1024 * 1024;

impl NoRoom {
    pub fn french(&self) -> String {
        match self {
            NoRoom::Reserve { free, reserve } => format!(
                "espace disque insuffisant : il reste {} Mo libres sur le disque du point ressources, et {} Mo sont gardés en réserve pour le catalogue, les connexions et les suppressions. Supprimez des documents devenus inutiles ou libérez de la place sur le disque",
                free / MB,
                reserve.div_ceil(MB)
            ),
            NoRoom::Full => "le disque du point ressources est plein : supprimez des documents, ou lancez « cartable check --repair » pour libérer ce qui peut l'être".to_owned(),
        }
    }

    pub fn english(&self) -> String {
        match self {
            NoRoom::Reserve { free, reserve } => format!(
                "Not enough disk space: {} MB are left on the resource point's disk, and {} MB are kept in reserve for the catalog, logins and deletions. Remove documents no longer needed or free some space on the disk.",
                free / MB,
                reserve.div_ceil(MB)
            ),
            NoRoom::Full => "The resource point's disk is full: remove documents, or run \"cartable check --repair\" to free what can be freed.".to_owned(),
        }
    }
}

impl std::fmt::Display for NoRoom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.french())
    }
}

impl Core {
    /// Refuses an upload of `bytes` that would leave less than the reserve free. Called with
    /// the size when it is known beforehand (a file to import, a request's length), so nothing
    /// is written at all; the store checks again while receiving.
    pub fn room_for(&self, bytes: u64) -> Result<(), Error> {
        if self.disk_reserve == 0 {
            return Ok(());
        }
        let free = self.store.free_bytes()?;
        if free < self.disk_reserve.saturating_add(bytes) {
            return Err(Error::NoRoom(NoRoom::Reserve {
                free,
                reserve: self.disk_reserve,
            }));
        }
        Ok(())
    }

    /// Before a write that must work on a full disk (a login, a removal): releases the ballast
    /// if the disk is full.
    pub(super) fn make_room(&self) {
        let freed = self.store.ballast().release_if_full();
        if freed > 0 {
            tracing::warn!(
                freed,
                "the disk is full: the ballast was released so logins and removals still work"
            );
        }
    }

    /// Makes the ballast again when there is room (after start-up, a removal, a repair).
    pub(super) fn restore_ballast(&self) {
        if !self.store.is_owner() {
            return;
        }
        if let Err(error) = self.store.ballast().restore() {
            tracing::warn!(%error, "the ballast file could not be made");
        }
    }

    /// Empties the caches that are made again on demand: the PDFs of office files
    /// (`converted/`) and the reading views (`reading/`). Returns the bytes freed.
    pub(super) fn clear_caches(&self) -> u64 {
        [self.store.converted_dir(), self.store.reading_dir()]
            .iter()
            .map(|dir| clear_folder(dir))
            .sum()
    }
}

/// Deletes what is inside `dir` (kept itself); returns the bytes freed. What cannot be deleted
/// stays: a cache entry being written now is made again later.
pub(super) fn clear_folder(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut freed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        // A conversion LibreOffice refused is marked by an empty file: kept, so the refused
        // file is not tried again at every pack.
        if path.extension().is_some_and(|e| e == "failed") {
            continue;
        }
        if metadata.is_dir() {
            freed += clear_folder(&path);
            let _ = std::fs::remove_dir(&path);
        } else if std::fs::remove_file(&path).is_ok() {
            freed += metadata.len();
        }
    }
    freed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_message_says_what_is_left_and_what_to_do() {
        let refusal = NoRoom::Reserve {
            free: 100 * MB,
            reserve: 256 * MB,
        };
        let french = refusal.french();
        assert!(
            french.contains("il reste 100 Mo libres") && french.contains("256 Mo"),
            "{french}"
        );
        assert!(refusal.english().contains("256 MB"));
        assert!(NoRoom::Full
            .french()
            .contains("disque du point ressources est plein"));
    }

    #[test]
    fn clearing_a_folder_counts_what_it_freed_and_keeps_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ab")).unwrap();
        std::fs::write(dir.path().join("ab").join("x"), [0u8; 1000]).unwrap();
        std::fs::write(dir.path().join("y"), [0u8; 24]).unwrap();
        std::fs::write(dir.path().join("z.failed"), b"").unwrap();
        assert_eq!(clear_folder(dir.path()), 1024);
        assert!(dir.path().is_dir());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
