//! The hub seen from the library: publishing a selection of documents (`publish`) and copying
//! a publisher's catalog onto a kiosk (`sync`). The kiosk's documents from a hub are marked with
//! their origin; a sync only ever changes those, never a local upload.

mod publish;
mod sync;

use std::path::PathBuf;

use crate::hub::{self, Entry, PublicKey};
use crate::model::{parse_iso_date, Document, Level, Metadata, Source, Subject, Visibility};

use super::{Core, Error};

pub use publish::Published;
pub use sync::{Fetched, Synced};

/// The publisher's secret key in a data folder, made by `cartable key new`.
pub fn publisher_key_path(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("hub").join("publisher.key")
}

impl From<hub::Error> for Error {
    fn from(error: hub::Error) -> Error {
        let message = described(&error);
        match error {
            hub::Error::Address(_) | hub::Error::Key(_) => Error::InvalidInput(message),
            hub::Error::BadSignature { .. }
            | hub::Error::Tampered { .. }
            | hub::Error::Unreadable(_) => Error::Forbidden(message),
            // The link is down or the hub refuses: the same sync later may work.
            hub::Error::Store { .. } | hub::Error::Setup { .. } => Error::Busy(message),
            hub::Error::Io { source, .. } => Error::io(source),
        }
    }
}

/// An error and its causes on one line (the object store's say what failed underneath).
fn described(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(" : ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// The settings keys of a hub's pinned key and of the last catalog applied from it.
fn key_setting(hub: &str) -> String {
    format!("hub.key {hub}")
}

fn serial_setting(hub: &str) -> String {
    format!("hub.serial {hub}")
}

impl Core {
    /// The key a hub's catalog must be signed with: the one pinned at the first sync, or the
    /// one given for the first sync. A key given that is not the pinned one is refused.
    fn hub_key(&self, hub: &str, given: Option<&str>) -> Result<PublicKey, Error> {
        let pinned = self.store.catalog().setting(&key_setting(hub))?;
        let given = given.map(PublicKey::parse).transpose()?;
        match (pinned, given) {
            (Some(pinned), Some(given)) if pinned != given.to_string() => {
                Err(Error::Forbidden(format!(
                    "la clé donnée ({given}) n'est pas celle épinglée pour {hub} ({pinned}) : une nouvelle clé d'éditeur s'épingle dans un nouveau dossier de données, jamais par-dessus l'ancienne"
                )))
            }
            (Some(pinned), _) => Ok(PublicKey::parse(&pinned)?),
            (None, Some(given)) => Ok(given),
            (None, None) => Err(Error::InvalidInput(format!(
                "première synchronisation depuis {hub} : donnez la clé publique de l'éditeur avec --key (ou CARTABLE_HUB_KEY)"
            ))),
        }
    }

    /// The serial of the last catalog applied from `hub` (0: none yet).
    fn applied_serial(&self, hub: &str) -> Result<u64, Error> {
        Ok(self
            .store
            .catalog()
            .setting(&serial_setting(hub))?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0))
    }

    /// Where a sync keeps what it downloaded until it is applied (not `tmp/`, which start-up
    /// empties: an interrupted sync resumes from here).
    fn hub_incoming(&self) -> PathBuf {
        self.data_dir().join("hub").join("incoming")
    }
}

/// A document as the hub's catalog lists it.
fn entry(document: &Document) -> Entry {
    Entry {
        id: document.id.to_string(),
        sha256: document.sha256.clone(),
        bytes: document.bytes,
        file_name: document.file_name.clone(),
        title: document.title.clone(),
        levels: document
            .levels
            .iter()
            .map(|l| l.as_str().to_owned())
            .collect(),
        class: document.class.clone(),
        subject: document.subject.as_ref().map(|s| s.as_str().to_owned()),
        author: document.author.clone(),
        source: document.source.name().to_owned(),
        due: document.due.map(crate::model::iso_date),
        visibility: document.visibility.name().to_owned(),
    }
}

/// What the publisher said about a document, as the kiosk records it.
fn metadata(entry: &Entry) -> Metadata {
    Metadata {
        title: Some(entry.title.clone()),
        levels: entry
            .levels
            .iter()
            .filter_map(|l| Level::parse(l))
            .collect(),
        class: entry.class.clone(),
        subject: entry.subject.as_deref().and_then(Subject::parse),
        author: entry.author.clone(),
        source: Some(Source::from_name(&entry.source).unwrap_or_default()),
        due: entry.due.as_deref().and_then(parse_iso_date),
        visibility: Some(Visibility::from_name(&entry.visibility).unwrap_or_default()),
        owner: None,
    }
}

/// Whether a kiosk's copy says what the publisher's entry says.
fn same_metadata(document: &Document, entry: &Entry) -> bool {
    let wanted = metadata(entry);
    Some(&document.title) == wanted.title.as_ref()
        && document.levels == wanted.levels
        && document.class == wanted.class
        && document.subject == wanted.subject
        && document.author == wanted.author
        && Some(document.source) == wanted.source
        && document.due == wanted.due
        && Some(document.visibility) == wanted.visibility
}
