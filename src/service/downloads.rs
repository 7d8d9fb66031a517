//! Downloads: where a document's file is, and how often families took it (counted in memory,
//! saved in batches).

use std::path::PathBuf;

use crate::model::{Document, DocumentId};

use super::{Core, Error};

impl Core {
    /// Counts one download of a document (for its teacher's "Mes documents"). Counted in memory:
    /// a durable write per download would cost a disk flush each, on the busiest path; see
    /// [`Core::save_download_counts`].
    pub fn count_download(&self, id: &DocumentId) {
        *self
            .downloads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(id.clone())
            .or_default() += 1;
    }

    /// Writes the downloads counted since the last call, in one transaction (the server calls it
    /// every few seconds and when it stops).
    pub fn save_download_counts(&self) -> Result<(), Error> {
        let counts: Vec<(DocumentId, u64)> =
            std::mem::take(&mut *self.downloads.lock().unwrap_or_else(|p| p.into_inner()))
                .into_iter()
                .collect();
        if !counts.is_empty() {
            self.store.catalog().add_downloads(&counts)?;
        }
        Ok(())
    }

    /// Where a document's file is, for streaming it.
    pub fn download(&self, id: &DocumentId) -> Result<(Document, PathBuf), Error> {
        let document = self.get(id)?;
        let path = self.store.blobs().path(&document.sha256);
        Ok((document, path))
    }
}
