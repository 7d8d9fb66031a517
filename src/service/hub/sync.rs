//! Syncing a kiosk from a hub, in two halves. `fetch_hub` (the command itself, which may run
//! beside the server) reads the signed catalog, checks it against the pinned key, and downloads
//! the files the kiosk lacks into `hub/incoming/`, resuming interrupted ones, each verified by
//! its hash. `apply_hub` (whoever owns the data folder) verifies it all again, and only when
//! every file is there and right applies the changes: removals, replaced files, edited
//! metadata, additions, each through the same paths as the web's, then records the serial.
//! Interrupted half-way, the next sync finds what is left to do and does it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::hub::{Bucket, Catalog, Pace, Snapshot};
use crate::model::{Document, DocumentId};

use super::super::library::Origin;
use super::super::{Added, Core, Error, Received};
use super::{key_setting, metadata, same_metadata, serial_setting};

/// What the download half did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fetched {
    pub serial: u64,
    /// The catalog is the one last applied: nothing to do.
    pub up_to_date: bool,
    /// The verified catalog, saved for the apply half.
    pub envelope: PathBuf,
    pub files: usize,
    pub bytes: u64,
    /// Bytes kept from an interrupted sync.
    pub resumed: u64,
    /// The catalog's ETag on the hub.
    pub etag: Option<String>,
}

/// What a sync changed, by title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synced {
    pub serial: u64,
    pub published: String,
    pub up_to_date: bool,
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    /// Published documents not copied, with why (the same file uploaded here already).
    pub skipped: Vec<(String, String)>,
}

impl Core {
    /// The download half of a sync (see the module's doc).
    pub fn fetch_hub(
        &self,
        bucket: &Bucket,
        given_key: Option<&str>,
        pace: &mut Pace,
        progress: &dyn Fn(&str, usize, usize),
    ) -> Result<Fetched, Error> {
        let hub = bucket.address().to_string();
        let key = self.hub_key(&hub, given_key)?;
        let seen = std::fs::read_to_string(self.etag_path(&hub)).ok();
        let (sealed, etag) = match bucket.catalog_unless(seen.as_deref())? {
            Catalog::Absent => {
                return Err(Error::InvalidInput(format!(
                    "aucun catalogue n'est publié sur {hub}"
                )))
            }
            Catalog::Unchanged => {
                return Ok(Fetched {
                    serial: self.applied_serial(&hub)?,
                    up_to_date: true,
                    ..Fetched::default()
                })
            }
            Catalog::Sealed { bytes, etag } => (bytes, etag),
        };
        let snapshot = Snapshot::open(&sealed, &key)?;
        let mut fetched = Fetched {
            serial: snapshot.serial,
            etag,
            ..Fetched::default()
        };
        if self.check_serial(&hub, snapshot.serial)? {
            fetched.up_to_date = true;
            self.remember_catalog(&hub, &fetched);
            return Ok(fetched);
        }
        let incoming = self.hub_incoming();
        let mut seen = HashSet::new();
        let wanted: Vec<_> = snapshot
            .documents
            .iter()
            .filter(|e| !self.store.blobs().path(&e.sha256).is_file() && seen.insert(&e.sha256))
            .collect();
        for (done, entry) in wanted.iter().enumerate() {
            progress(&entry.file_name, done, wanted.len());
            let got = bucket.download(&entry.sha256, entry.bytes, &incoming, pace)?;
            fetched.files += usize::from(got.bytes > 0);
            fetched.bytes += got.bytes;
            fetched.resumed += got.resumed;
        }
        fetched.envelope = incoming.join(format!("catalog-{}.signed", snapshot.serial));
        write_atomically(&fetched.envelope, &sealed).map_err(Error::io)?;
        Ok(fetched)
    }

    /// Notes the ETag of a catalog applied (or found already applied), so the next sync asks
    /// the hub for it only if it changed. Best effort: without it, the next sync reads it whole.
    pub fn remember_catalog(&self, hub: &str, fetched: &Fetched) {
        if let Some(etag) = &fetched.etag {
            let _ = write_atomically(&self.etag_path(hub), etag.as_bytes());
        }
    }

    fn etag_path(&self, hub: &str) -> PathBuf {
        let name: String = hub
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        self.data_dir().join("hub").join(format!("{name}.etag"))
    }

    /// Whether `serial` is the catalog last applied from `hub`; an older one is refused (a
    /// replayed catalog would bring back documents the publisher removed).
    fn check_serial(&self, hub: &str, serial: u64) -> Result<bool, Error> {
        let applied = self.applied_serial(hub)?;
        if serial < applied {
            return Err(Error::Forbidden(format!(
                "le catalogue de {hub} (n° {serial}) est plus ancien que celui déjà appliqué (n° {applied}) : refusé"
            )));
        }
        Ok(serial == applied)
    }

    /// The apply half of a sync (see the module's doc): nothing changes unless the catalog's
    /// signature and every file it needs check out.
    pub fn apply_hub(
        &self,
        hub: &str,
        envelope: &Path,
        given_key: Option<&str>,
    ) -> Result<Synced, Error> {
        self.writable()?;
        let key = self.hub_key(hub, given_key)?;
        // Only a catalog the download half saved is read, whatever path the request names.
        let incoming = self.hub_incoming();
        let envelope = envelope
            .file_name()
            .map(|name| incoming.join(name))
            .ok_or_else(|| Error::InvalidInput("catalogue sans nom de fichier".to_owned()))?;
        let sealed = std::fs::read(&envelope).map_err(Error::io)?;
        let snapshot = Snapshot::open(&sealed, &key)?;
        let mut synced = Synced {
            serial: snapshot.serial,
            published: snapshot.published.clone(),
            ..Synced::default()
        };
        if self.check_serial(hub, snapshot.serial)? {
            synced.up_to_date = true;
            return Ok(synced);
        }
        let ours: HashMap<String, DocumentId> =
            self.store.catalog().from_hub(hub)?.into_iter().collect();
        let mut local: HashMap<String, Document> = HashMap::new();
        for (hub_id, id) in &ours {
            local.insert(hub_id.clone(), self.get(id)?);
        }
        // Every file to take in, received (hashed) before anything changes.
        let mut files: HashMap<String, Received> = HashMap::new();
        for entry in &snapshot.documents {
            let have = local
                .get(&entry.id)
                .is_some_and(|d| d.sha256 == entry.sha256);
            if have || files.contains_key(&entry.sha256) || self.existing(&entry.sha256)?.is_some()
            {
                continue;
            }
            let path = incoming.join(&entry.sha256);
            let file = std::fs::File::open(&path).map_err(|_| {
                Error::Conflict(format!(
                    "le fichier {} de « {} » n'a pas été téléchargé : relancez la synchronisation",
                    entry.sha256, entry.title
                ))
            })?;
            let received = self.receive(std::io::BufReader::new(file))?;
            if received.sha256() != entry.sha256 {
                return Err(Error::Forbidden(format!(
                    "fichier altéré : « {} » n'a pas l'empreinte publiée {} : rien n'a été appliqué",
                    entry.title, entry.sha256
                )));
            }
            files.insert(entry.sha256.clone(), received);
        }
        let published: HashSet<&str> = snapshot.documents.iter().map(|e| e.id.as_str()).collect();
        for (hub_id, document) in &local {
            if !published.contains(hub_id.as_str()) {
                self.remove(&document.id)?;
                synced.removed.push(document.title.clone());
            }
        }
        for entry in &snapshot.documents {
            let wanted = metadata(entry);
            match local.get(&entry.id) {
                Some(document) => {
                    let mut changed = false;
                    if document.sha256 != entry.sha256 {
                        let Some(file) = files.remove(&entry.sha256) else {
                            synced
                                .skipped
                                .push((entry.title.clone(), already_here(entry)));
                            continue;
                        };
                        self.replace_with_received(&document.id, file, &entry.file_name)?;
                        changed = true;
                    }
                    if !same_metadata(document, entry) {
                        self.update_metadata(&document.id, &wanted)?;
                        changed = true;
                    }
                    if changed {
                        synced.updated.push(entry.title.clone());
                    }
                }
                None => {
                    let Some(file) = files.remove(&entry.sha256) else {
                        synced
                            .skipped
                            .push((entry.title.clone(), already_here(entry)));
                        continue;
                    };
                    let origin = Origin {
                        hub,
                        hub_id: &entry.id,
                    };
                    match self.add_received_from(
                        file,
                        &entry.file_name,
                        &wanted,
                        false,
                        Some(origin),
                    )? {
                        Added::New(_) => synced.added.push(entry.title.clone()),
                        Added::Duplicate(existing) => synced.skipped.push((
                            entry.title.clone(),
                            format!("déjà présent ici (document {})", existing.id),
                        )),
                    }
                }
            }
        }
        self.commit()?;
        {
            let catalog = self.store.catalog();
            catalog.set_setting(&key_setting(hub), &key.to_string())?;
            catalog.set_setting(&serial_setting(hub), &snapshot.serial.to_string())?;
        }
        // Applied: what was downloaded for it is stored now (or was not needed).
        for entry in &snapshot.documents {
            let _ = std::fs::remove_file(incoming.join(&entry.sha256));
        }
        let _ = std::fs::remove_file(&envelope);
        Ok(synced)
    }
}

fn already_here(entry: &crate::hub::Entry) -> String {
    format!("le même fichier est déjà ici ({} octets)", entry.bytes)
}

/// Writes `bytes` to `path` through a temporary file renamed over it.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temp = tempfile::NamedTempFile::new_in(folder)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
