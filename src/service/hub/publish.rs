//! Publishing: the selected public documents' files go to the hub as `objects/SHA256` (only
//! those the hub lacks), then their signed catalog, last, in one PUT, and only when it changed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::hub::{Bucket, SecretKey, Snapshot};

use super::super::{Core, Error, Selection};
use super::entry;

/// What a publication did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub documents: usize,
    /// Files sent now, and their bytes.
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    /// Files the hub already had.
    pub already_there: usize,
    /// The new catalog's serial; `None` when the hub's catalog already said the same.
    pub serial: Option<u64>,
}

impl Core {
    /// Publishes the public documents of `selection` to `bucket`, signed with `key`. `progress`
    /// gets each file's name before it is sent.
    pub fn publish(
        &self,
        bucket: &Bucket,
        key: &SecretKey,
        selection: &Selection,
        progress: &dyn Fn(&str, usize, usize),
    ) -> Result<Published, Error> {
        let documents = self.selected(selection)?;
        let mut entries: Vec<_> = documents.iter().map(entry).collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let present = bucket.objects()?;
        let mut published = Published {
            documents: entries.len(),
            ..Published::default()
        };
        let mut sent = HashSet::new();
        let missing: Vec<_> = entries
            .iter()
            .filter(|e| !present.contains(&e.sha256) && sent.insert(e.sha256.clone()))
            .collect();
        published.already_there = entries.len() - missing.len();
        for (done, entry) in missing.iter().enumerate() {
            progress(&entry.file_name, done, missing.len());
            bucket.put_file(&entry.sha256, &self.store.blobs().path(&entry.sha256))?;
            published.uploaded += 1;
            published.uploaded_bytes += entry.bytes;
        }
        // The catalog before this one, when it is ours: unchanged, nothing more to send;
        // changed, the new serial follows it (a kiosk refuses a serial that goes back).
        let previous = bucket
            .catalog()?
            .and_then(|sealed| Snapshot::open(&sealed, &key.public()).ok());
        if previous.as_ref().is_some_and(|p| p.documents == entries) {
            return Ok(published);
        }
        let now = OffsetDateTime::now_utc();
        let to_the_second =
            OffsetDateTime::from_unix_timestamp(now.unix_timestamp()).unwrap_or(now);
        let serial = previous
            .map_or(0, |p| p.serial + 1)
            .max((now.unix_timestamp_nanos() / 1_000_000) as u64);
        let snapshot = Snapshot {
            serial,
            published: to_the_second
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            documents: entries,
        };
        bucket.put_catalog(snapshot.seal(key))?;
        published.serial = Some(serial);
        Ok(published)
    }
}
