//! Selections stored under short codes (`/s/K7M2`). The service picks the codes and handles
//! collisions; this file only reads and writes rows. The table's constraints keep one code per
//! code and one code per list of ids, whatever a caller does.

use rusqlite::{params, OptionalExtension};

use crate::model::{join_ids, split_ids, DocumentId, ShortCode};

use super::{Catalog, Error};

impl Catalog {
    /// The code `ids` (in this order) are stored under, if they are.
    pub fn selection_code(&self, ids: &[DocumentId]) -> Result<Option<ShortCode>, Error> {
        let code: Option<String> = self
            .connection()
            .prepare_cached("SELECT code FROM selections WHERE ids = ?1")?
            .query_row([join_ids(ids)], |row| row.get(0))
            .optional()?;
        code.map(|code| {
            ShortCode::parse(&code).ok_or_else(|| Error::Corrupt(format!("short code {code}")))
        })
        .transpose()
    }

    /// Stores `ids` under `code`; false, storing nothing, when the code or the ids are taken.
    pub fn insert_selection(
        &self,
        code: &ShortCode,
        ids: &[DocumentId],
        now: i64,
    ) -> Result<bool, Error> {
        Ok(self.connection().execute(
            "INSERT INTO selections (code, ids, created) VALUES (?1, ?2, ?3) \
             ON CONFLICT DO NOTHING",
            params![code.as_str(), join_ids(ids), now],
        )? > 0)
    }

    /// The ids stored under `code`, in their order.
    pub fn selection(&self, code: &ShortCode) -> Result<Option<Vec<DocumentId>>, Error> {
        let ids: Option<String> = self
            .connection()
            .prepare_cached("SELECT ids FROM selections WHERE code = ?1")?
            .query_row([code.as_str()], |row| row.get(0))
            .optional()?;
        Ok(ids.map(|ids| split_ids(&ids)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_holds_one_list_and_a_list_one_code() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        let ids = split_ids("abcdefgh.jkmnpqrs");
        let code = ShortCode::parse("K7M2").unwrap();
        assert_eq!(catalog.selection_code(&ids).unwrap(), None);
        assert!(catalog.insert_selection(&code, &ids, 1).unwrap());
        assert_eq!(catalog.selection(&code).unwrap(), Some(ids.clone()));
        assert_eq!(catalog.selection_code(&ids).unwrap(), Some(code.clone()));
        // The same code for other ids, or other code for the same ids: refused, nothing changed.
        let other = split_ids("jkmnpqrs.abcdefgh");
        assert!(!catalog.insert_selection(&code, &other, 2).unwrap());
        assert!(!catalog
            .insert_selection(&ShortCode::parse("AB23").unwrap(), &ids, 2)
            .unwrap());
        assert_eq!(catalog.selection(&code).unwrap(), Some(ids));
        assert_eq!(
            catalog
                .selection(&ShortCode::parse("AB23").unwrap())
                .unwrap(),
            None
        );
    }
}
