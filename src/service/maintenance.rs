//! Keeping the data folder honest: reconciling the index with the catalog, rebuilding it, and
//! checking that catalog, files and index agree (`cartable check [--repair]`).

use std::collections::HashSet;

use crate::model::DocumentId;

use super::library::indexed;
use super::{Core, Error};

/// What `check` found. Every list is empty on a healthy data folder.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckReport {
    pub documents: usize,
    /// Documents whose file is missing (cannot be repaired here: restore from a backup).
    pub missing_files: Vec<String>,
    /// Documents whose file no longer has the recorded hash (altered on disk).
    pub altered_files: Vec<String>,
    /// Files no document refers to (an interrupted upload or removal).
    pub orphan_files: Vec<String>,
    /// Documents the index does not know.
    pub unindexed: Vec<String>,
    /// Index entries of documents that no longer exist.
    pub stale_index_entries: Vec<String>,
    /// Whether `--repair` fixed what could be fixed.
    pub repaired: bool,
    /// Bytes `--repair` freed on the disk: orphan and temporary files, caches made again on
    /// demand (printable PDFs of office files, reading views).
    #[serde(default)]
    pub freed_bytes: u64,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.missing_files.is_empty()
            && self.altered_files.is_empty()
            && self.orphan_files.is_empty()
            && self.unindexed.is_empty()
            && self.stale_index_entries.is_empty()
    }
}

/// How old a file nothing refers to must be before a repair beside the server removes it.
const YOUNG_ORPHAN: std::time::Duration = std::time::Duration::from_secs(3600);

impl Core {
    /// Indexes catalog documents the index lacks and drops index entries the catalog lacks.
    /// Returns (indexed, removed).
    pub(super) fn reconcile(&self) -> Result<(usize, usize), Error> {
        let (unindexed, stale) = self.index_differences()?;
        for id in &unindexed {
            self.reindex_one(id)?;
        }
        for id in &stale {
            if let Some(id) = DocumentId::parse(id) {
                self.index.remove(&id)?;
            }
        }
        if !unindexed.is_empty() || !stale.is_empty() {
            self.index.commit()?;
        }
        Ok((unindexed.len(), stale.len()))
    }

    /// Removes stored files no document refers to. Only for the owner with nothing beside it
    /// (start-up, a command alone): an upload beside it could have its file in place a moment
    /// before its row. Returns how many were removed.
    pub(super) fn remove_orphan_files(&self) -> Result<usize, Error> {
        let blobs = self.store.blobs();
        // Listed under the catalog lock: adding holds it from keeping a file to recording it.
        let catalog = self.store.catalog();
        let referenced: HashSet<String> = catalog
            .ids_and_hashes()?
            .into_iter()
            .map(|(_, sha)| sha)
            .collect();
        let mut removed = 0;
        for sha in blobs.list()? {
            if !referenced.contains(&sha) {
                blobs.remove(&sha)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn index_differences(&self) -> Result<(Vec<String>, Vec<String>), Error> {
        let in_index = self.index.ids()?;
        let in_catalog: HashSet<String> = self
            .store
            .catalog()
            .ids_and_hashes()?
            .into_iter()
            .map(|(id, _)| id.to_string())
            .collect();
        let mut unindexed: Vec<String> = in_catalog.difference(&in_index).cloned().collect();
        let mut stale: Vec<String> = in_index.difference(&in_catalog).cloned().collect();
        unindexed.sort();
        stale.sort();
        Ok((unindexed, stale))
    }

    fn reindex_one(&self, id: &str) -> Result<(), Error> {
        let Some(id) = DocumentId::parse(id) else {
            return Ok(());
        };
        let catalog = self.store.catalog();
        if let Some(document) = catalog.get(&id)? {
            let text = catalog.text(&id)?.unwrap_or_default();
            drop(catalog);
            self.index.upsert(&indexed(&document, &text))?;
        }
        Ok(())
    }

    /// Rebuilds the whole index from the catalog. Returns the number of documents indexed.
    pub fn reindex(&self) -> Result<usize, Error> {
        self.writable()?;
        // Each document is replaced in place and the stale ones dropped, rather than the index
        // emptied first: a commit by an upload beside it (in the server) then never shows
        // families a half-built index.
        let ids = self.store.catalog().ids_and_hashes()?;
        for (id, _) in &ids {
            self.reindex_one(id.as_str())?;
        }
        let in_catalog: HashSet<String> = ids.iter().map(|(id, _)| id.to_string()).collect();
        for stale in self.index.ids()?.difference(&in_catalog) {
            if let Some(id) = DocumentId::parse(stale) {
                self.index.remove(&id)?;
            }
        }
        self.index.commit()?;
        Ok(ids.len())
    }

    /// Verifies that catalog, files and index agree; with `repair`, removes orphan files and
    /// reconciles the index (missing or altered files are reported, never guessed).
    pub fn check(&self, repair: bool) -> Result<CheckReport, Error> {
        self.check_with(repair, false)
    }

    /// `check` while the web is serving from this core: an upload in progress is in `tmp/`, and
    /// one just stored may have its file in `files/` a moment before its catalog row, so a repair
    /// leaves `tmp/` alone and removes only orphans older than an hour.
    pub fn check_while_serving(&self, repair: bool) -> Result<CheckReport, Error> {
        self.check_with(repair, true)
    }

    fn check_with(&self, repair: bool, serving: bool) -> Result<CheckReport, Error> {
        if repair {
            self.writable()?;
        }
        let documents = self.store.catalog().ids_and_hashes()?;
        let blobs = self.store.blobs();
        let on_disk: HashSet<String> = blobs.list()?.into_iter().collect();
        let referenced: HashSet<&str> = documents.iter().map(|(_, sha)| sha.as_str()).collect();
        let mut report = CheckReport {
            documents: documents.len(),
            ..CheckReport::default()
        };
        for (id, sha) in &documents {
            if !on_disk.contains(sha) {
                report.missing_files.push(id.to_string());
            } else if blobs.rehash(sha)? != *sha {
                report.altered_files.push(id.to_string());
            }
        }
        report.orphan_files = on_disk
            .iter()
            .filter(|sha| !referenced.contains(sha.as_str()))
            .cloned()
            .collect();
        report.orphan_files.sort();
        let (unindexed, stale) = self.index_differences()?;
        report.unindexed = unindexed;
        report.stale_index_entries = stale;
        if repair {
            // Room first: on a full disk the index cannot be reconciled before something is
            // freed.
            for sha in &report.orphan_files {
                if serving && blobs.age(sha).is_none_or(|age| age < YOUNG_ORPHAN) {
                    continue;
                }
                let bytes = blobs.size(sha);
                blobs.remove(sha)?;
                report.freed_bytes += bytes;
            }
            if !serving {
                report.freed_bytes += blobs.clear_tmp()?.1;
            }
            report.freed_bytes += self.clear_caches();
            self.reconcile()?;
            self.restore_ballast();
            report.repaired = true;
        }
        Ok(report)
    }
}
