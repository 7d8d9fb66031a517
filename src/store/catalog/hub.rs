//! What a kiosk remembers of the hubs it copies from: which of its documents came from which
//! hub under which publisher id (`hub_documents`), the publisher key it pinned and the last
//! catalog it applied (in `settings`).

use rusqlite::params;

use crate::model::DocumentId;

use super::{Catalog, Error};

impl Catalog {
    /// The documents copied from `hub`: (publisher's id, local id).
    pub fn from_hub(&self, hub: &str) -> Result<Vec<(String, DocumentId)>, Error> {
        let mut statement = self
            .connection()
            .prepare_cached("SELECT hub_id, document_id FROM hub_documents WHERE hub = ?1")?;
        let rows = statement.query_map(params![hub], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut documents = Vec::new();
        for row in rows {
            let (hub_id, id) = row?;
            let id = DocumentId::parse(&id).ok_or_else(|| Error::Corrupt(format!("id {id}")))?;
            documents.push((hub_id, id));
        }
        Ok(documents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synced_document_is_marked_with_its_hub_and_unmarked_when_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        let synced = super::super::sample_document("abcdefgh");
        catalog
            .insert_from(
                &synced,
                "texte",
                "texte",
                Some(("s3://hub/cned", "zzzzzzzz")),
            )
            .unwrap();
        let local = super::super::sample_document("bcdefghj");
        catalog.insert(&local, "", "").unwrap();
        assert_eq!(
            catalog.from_hub("s3://hub/cned").unwrap(),
            vec![("zzzzzzzz".to_owned(), synced.id.clone())]
        );
        assert!(catalog.from_hub("s3://other").unwrap().is_empty());
        catalog.delete(&synced.id).unwrap();
        assert!(catalog.from_hub("s3://hub/cned").unwrap().is_empty());
    }
}
