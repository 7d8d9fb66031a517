//! Adding, replacing and releasing a document's file and row in the one order that survives a
//! crash at any instant: the file is in place before the row refers to it, and a file is deleted
//! only once no row refers to it. Both are decided under the catalog lock, so a removal deciding
//! whether some content is still needed never sees a file without its row.

use crate::model::Document;

use super::{Error, StagedFile, Store};

impl Store {
    /// Keeps `staged` in `files/` and records `document` (its row, text and offline words)
    /// together, marked as copied from a hub when `hub` says which (`(hub, publisher's id)`).
    /// The same content already stored is `Error::Duplicate`; the kept file is then the other
    /// document's, which it refers to.
    pub fn add_document(
        &self,
        staged: StagedFile,
        document: &Document,
        text: &str,
        words: &str,
        hub: Option<(&str, &str)>,
    ) -> Result<(), Error> {
        let mut catalog = self.catalog();
        self.blobs().keep(staged)?;
        catalog.insert_from(document, text, words, hub)
    }

    /// Keeps `staged` and points `document`'s row at it (its id unchanged). The file it had
    /// before stays until `release_file` finds it unused.
    pub fn replace_document(
        &self,
        staged: StagedFile,
        document: &Document,
        text: &str,
        words: &str,
    ) -> Result<(), Error> {
        let mut catalog = self.catalog();
        self.blobs().keep(staged)?;
        catalog.update(document, text, words)
    }

    /// Deletes the file of content `sha256` when no document refers to it any more; true when
    /// it was deleted (the caller then forgets what it made from it).
    pub fn release_file(&self, sha256: &str) -> Result<bool, Error> {
        let catalog = self.catalog();
        if catalog.find_by_sha256(sha256)?.is_some() {
            return Ok(false);
        }
        self.blobs().remove(sha256)?;
        Ok(true)
    }
}
