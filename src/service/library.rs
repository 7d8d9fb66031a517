//! The library: adding, replacing, editing and removing documents. It coordinates the
//! store (files and catalog), the extractor and the index, in the order that keeps the storage
//! invariants: file kept -> catalog row -> index. Every method here is blocking; `Library` in
//! `mod.rs` runs them off the async workers.

use std::io::Read;

use time::OffsetDateTime;

use crate::extract::{self, Extraction, Kind};
use crate::index::IndexedDocument;
use crate::model::{Account, Document, DocumentId, Metadata, Role, Visibility};

use super::export::text_words;
use super::{Core, Error};

/// A file received in the temp folder, not yet a document. Dropping it deletes the temp file,
/// so an upload abandoned half-way leaves nothing behind.
#[derive(Debug)]
pub struct Received(crate::store::StagedFile);

impl Received {
    pub fn bytes(&self) -> u64 {
        self.0.bytes
    }

    /// The content's SHA-256, computed while it was received.
    pub fn sha256(&self) -> &str {
        &self.0.sha256
    }
}

/// Where a document added by a sync comes from: its hub and the publisher's id, which it keeps
/// as its own when no local document has it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Origin<'a> {
    pub hub: &'a str,
    pub hub_id: &'a str,
}

/// What became of a file given to [`Core::add`].
#[derive(Debug, Clone)]
pub enum Added {
    New(Document),
    /// The same content was already stored: nothing was added.
    Duplicate(Document),
}

impl Core {
    /// Stores a new file with its metadata, extracts and indexes its text. `commit` makes it
    /// searchable at once; a batch import commits once at the end instead.
    pub fn add(
        &self,
        reader: impl Read,
        file_name: &str,
        metadata: &Metadata,
        commit: bool,
    ) -> Result<Added, Error> {
        let upload = self.receive(reader)?;
        self.add_received(upload, file_name, metadata, commit)
    }

    /// Receives a file into the temp folder (hashed, flushed, size-checked) without adding it yet:
    /// the web receives files before it has read every field of the form.
    pub fn receive(&self, reader: impl Read) -> Result<Received, Error> {
        self.writable()?;
        Ok(Received(self.store.blobs().stage(
            reader,
            self.max_upload_bytes,
            self.disk_reserve,
        )?))
    }

    /// Adds a received file as a new document (see [`Core::add`]).
    pub fn add_received(
        &self,
        upload: Received,
        file_name: &str,
        metadata: &Metadata,
        commit: bool,
    ) -> Result<Added, Error> {
        self.add_received_from(upload, file_name, metadata, commit, None)
    }

    /// [`Core::add_received`] for a document copied from a hub, marked with its origin.
    pub(super) fn add_received_from(
        &self,
        upload: Received,
        file_name: &str,
        metadata: &Metadata,
        commit: bool,
        origin: Option<Origin<'_>>,
    ) -> Result<Added, Error> {
        let staged = upload.0;
        if let Some(existing) = self.existing(&staged.sha256)? {
            return Ok(Added::Duplicate(existing));
        }
        let format =
            match extract::detect(staged.path(), file_name)? {
                Kind::Document(format) => format,
                Kind::Archive => return Err(Error::UnsupportedType(
                    "archive zip : importez-la avec « cartable import » pour ajouter ses fichiers"
                        .to_owned(),
                )),
            };
        let extraction = self.extractor.run(staged.path(), format);
        let now = now();
        // Links printed from the publisher's catalog work on the kiosk too, when the id is free.
        let id = match origin.and_then(|o| DocumentId::parse(o.hub_id)) {
            Some(id) if self.store.catalog().get(&id)?.is_none() => id,
            _ => DocumentId::generate(),
        };
        let document = Document {
            id,
            title: metadata
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| extract::choose_title(extraction.title.as_deref(), file_name)),
            levels: metadata.levels.clone(),
            class: metadata.class.clone(),
            subject: metadata.subject.clone(),
            author: metadata.author.clone(),
            source: metadata.source.unwrap_or_default(),
            file_name: file_name.to_owned(),
            format,
            bytes: staged.bytes,
            sha256: staged.sha256.clone(),
            pages: extraction.pages,
            created: now,
            updated: now,
            due: metadata.due,
            visibility: metadata.visibility.unwrap_or_default(),
            text_status: extraction.status,
            text_reason: extraction.reason.clone(),
            owner: metadata.owner.clone(),
            downloads: 0,
        };
        let words = text_words(&extraction.text);
        let origin = origin.map(|o| (o.hub, o.hub_id));
        match self
            .store
            .add_document(staged, &document, &extraction.text, &words, origin)
        {
            Ok(()) => {}
            // Another upload of the same content won the race: report it as the duplicate.
            Err(crate::store::Error::Duplicate { .. }) => {
                let existing = self.existing(&document.sha256)?.ok_or(Error::NotFound)?;
                return Ok(Added::Duplicate(existing));
            }
            Err(other) => return Err(other.into()),
        }
        self.index_document(&document, &extraction.text, commit);
        Ok(Added::New(document))
    }

    pub(super) fn existing(&self, sha256: &str) -> Result<Option<Document>, Error> {
        let catalog = self.store.catalog();
        match catalog.find_by_sha256(sha256)? {
            Some(id) => Ok(catalog.get(&id)?),
            None => Ok(None),
        }
    }

    /// Indexes a document already in the catalog. An index failure is logged, not returned: the
    /// document is stored, and start-up reconciliation indexes what is missing.
    fn index_document(&self, document: &Document, text: &str, commit: bool) {
        let result = self.index.upsert(&indexed(document, text)).and_then(|()| {
            if commit {
                self.index.commit()
            } else {
                Ok(())
            }
        });
        if let Err(error) = result {
            tracing::error!(id = %document.id, %error, "document stored but not indexed");
        }
    }

    /// Replaces a document's file, keeping its id, title and metadata.
    pub fn replace_file(
        &self,
        id: &DocumentId,
        reader: impl Read,
        file_name: &str,
    ) -> Result<Document, Error> {
        let upload = self.receive(reader)?;
        self.replace_with_received(id, upload, file_name)
    }

    /// Replaces a document's file with a received one (see [`Core::replace_file`]).
    pub fn replace_with_received(
        &self,
        id: &DocumentId,
        upload: Received,
        file_name: &str,
    ) -> Result<Document, Error> {
        let old = self.get(id)?;
        let staged = upload.0;
        if staged.sha256 == old.sha256 {
            return Ok(old);
        }
        if let Some(other) = self.existing(&staged.sha256)? {
            return Err(Error::Conflict(format!(
                "ce fichier est déjà enregistré sous le document « {} »",
                other.title
            )));
        }
        let format = match extract::detect(staged.path(), file_name)? {
            Kind::Document(format) => format,
            Kind::Archive => {
                return Err(Error::UnsupportedType(
                    "une archive zip ne peut pas remplacer un document".to_owned(),
                ))
            }
        };
        let extraction: Extraction = self.extractor.run(staged.path(), format);
        let document = Document {
            file_name: file_name.to_owned(),
            format,
            bytes: staged.bytes,
            sha256: staged.sha256.clone(),
            pages: extraction.pages,
            updated: now(),
            text_status: extraction.status,
            text_reason: extraction.reason.clone(),
            ..old.clone()
        };
        let words = text_words(&extraction.text);
        self.store
            .replace_document(staged, &document, &extraction.text, &words)?;
        self.index_document(&document, &extraction.text, true);
        self.release_file(&old.sha256)?;
        Ok(document)
    }

    /// Replaces a document's metadata. A missing title, source or visibility keeps the current one.
    pub fn update_metadata(&self, id: &DocumentId, metadata: &Metadata) -> Result<Document, Error> {
        self.writable()?;
        let mut catalog = self.store.catalog();
        let old = catalog.get(id)?.ok_or(Error::NotFound)?;
        let document = Document {
            title: metadata
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or(old.title.clone()),
            levels: metadata.levels.clone(),
            class: metadata.class.clone(),
            subject: metadata.subject.clone(),
            author: metadata.author.clone(),
            source: metadata.source.unwrap_or(old.source),
            due: metadata.due,
            visibility: metadata.visibility.unwrap_or(old.visibility),
            updated: now(),
            ..old
        };
        // Only the metadata columns are written: a file replaced meanwhile stays replaced.
        catalog.update_metadata(&document)?;
        let text = catalog.text(id)?.unwrap_or_default();
        drop(catalog);
        self.index_document(&document, &text, true);
        Ok(document)
    }

    /// The document `id` if `by` may change it (they added it, or they are an admin): not
    /// found, or forbidden for someone else's. Every change made for a staff member goes
    /// through this, so a new page or route cannot forget it.
    pub fn changeable_document(&self, by: &Account, id: &DocumentId) -> Result<Document, Error> {
        let document = self.get(id)?;
        if by.role != Role::Admin && document.owner.as_deref() != Some(by.login.as_str()) {
            return Err(Error::Forbidden(
                "Ce document a été déposé par un autre membre du personnel : seul lui ou un administrateur peut le modifier.".to_owned(),
            ));
        }
        Ok(document)
    }

    /// Removes a document: catalog row, then index entry, then file. Once the row is gone the
    /// document is gone (searches read the catalog as the truth): an index that cannot be
    /// written (a full disk) is logged and reconciled at the next start or repair, and the
    /// file is released all the same, which is what frees the disk.
    pub fn remove(&self, id: &DocumentId) -> Result<Document, Error> {
        self.writable()?;
        self.make_room();
        let removed = self.store.catalog().delete(id)?.ok_or(Error::NotFound)?;
        if let Err(error) = self.index.remove(id).and_then(|()| self.index.commit()) {
            tracing::error!(%id, %error, "document removed from the catalog but not from the index");
        }
        self.release_file(&removed.sha256)?;
        self.restore_ballast();
        Ok(removed)
    }

    /// Deletes a stored file once no document refers to it (the store decides, see
    /// `Store::release_file`), with what was made from it.
    fn release_file(&self, sha256: &str) -> Result<(), Error> {
        if self.store.release_file(sha256)? {
            // A deleted document must not live on as its printable copy or its reading view.
            crate::convert::forget(&self.store.converted_dir(), sha256)
                .and_then(|()| super::reading::forget(&self.store.reading_dir(), sha256))
                .map_err(Error::io)?;
        }
        Ok(())
    }
}

/// The current time to the second, as the catalog keeps it, so a returned document equals what
/// a later `get` reads.
fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    OffsetDateTime::from_unix_timestamp(now.unix_timestamp()).unwrap_or(now)
}

/// The index's view of a document.
pub(super) fn indexed<'a>(document: &'a Document, text: &'a str) -> IndexedDocument<'a> {
    let mut metadata = vec![extract::title_from_file_name(&document.file_name)];
    // "Tle" and "terminale" find a Terminale document; "SVT", "maths" or "LV1" their subject's.
    for level in &document.levels {
        metadata.push(level.to_string());
        metadata.extend(level.search_names().into_iter().map(str::to_owned));
    }
    if let Some(subject) = &document.subject {
        metadata.push(subject.to_string());
        metadata.extend(subject.search_names().into_iter().map(str::to_owned));
    }
    metadata.extend(document.class.clone());
    metadata.extend(document.author.clone());
    IndexedDocument {
        id: &document.id,
        title: &document.title,
        metadata: metadata.join("\n"),
        body: text,
        levels: document.levels.iter().map(|l| l.as_str()).collect(),
        subject: document.subject.as_ref().map(|s| s.as_str()),
        class: document.class.as_deref(),
        public: document.visibility == Visibility::Public,
    }
}
