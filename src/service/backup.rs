//! Backing up and restoring a data folder (`cartable backup`, `cartable restore`). The store
//! copies the catalog and the files; a restore then opens the folder, which builds the search
//! index from the catalog's texts (no extraction again), and checks that everything agrees.
//!
//! A backup needs no server and no lock, and does not go through the control socket: SQLite's
//! online backup reads one consistent instant of the catalog beside the server's writes, files
//! are immutable, and the admin's target (a USB disk) is often out of the server's reach.

use std::path::Path;

pub use crate::store::backup::{BackupReport, Error as BackupError, RestoreReport};

use super::{CheckReport, Core, Error, Settings};

/// Backs up `data_dir` to `target` (a folder, or a file ending in `.zip`).
pub fn back_up(data_dir: &Path, target: &Path) -> Result<BackupReport, BackupError> {
    crate::store::backup::back_up(data_dir, target)
}

/// Why a restore failed: the backup (nothing was kept), or opening what was restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error("les fichiers sont restaurés, mais le dossier de données ne s'ouvre pas : {0}")]
    Open(#[from] Error),
}

/// Restores the backup `from` into `settings.data_dir` (empty or absent), builds the search
/// index and checks the result.
pub fn restore(
    from: &Path,
    settings: &Settings,
) -> Result<(RestoreReport, CheckReport), RestoreError> {
    let report = crate::store::backup::restore(from, &settings.data_dir)?;
    let core = Core::open(settings)?;
    let check = core.check(false)?;
    Ok((report, check))
}
