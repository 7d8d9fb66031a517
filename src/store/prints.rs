//! Print requests in the catalog. The service decides tickets and status changes; this file only
//! reads and writes rows. The partial unique index of the schema keeps tickets unique among open
//! (waiting or printing) requests even if a caller got the numbering wrong.

use rusqlite::{params, OptionalExtension, Row};
use time::OffsetDateTime;

use crate::model::{join_ids, split_ids, PrintRequest, PrintStatus};

use super::{Catalog, Error};

const COLUMNS: &str = "id, ticket, ids, pages, status, created, updated";
const OPEN: &str = "status IN ('waiting', 'printing')";

impl Catalog {
    /// Records a new waiting request; returns its row id.
    pub fn insert_print_request(
        &self,
        ticket: u32,
        ids: &[crate::model::DocumentId],
        pages: u32,
        now: i64,
    ) -> Result<i64, Error> {
        self.connection().execute(
            "INSERT INTO print_requests (ticket, ids, pages, status, created, updated) \
             VALUES (?1, ?2, ?3, 'waiting', ?4, ?4)",
            params![ticket, join_ids(ids), pages, now],
        )?;
        Ok(self.connection().last_insert_rowid())
    }

    pub fn print_request(&self, id: i64) -> Result<Option<PrintRequest>, Error> {
        self.connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM print_requests WHERE id = ?1"
            ))?
            .query_row([id], read_raw)
            .optional()?
            .map(into_request)
            .transpose()
    }

    /// Open requests, oldest first (the order the desk serves them in).
    pub fn open_print_requests(&self) -> Result<Vec<PrintRequest>, Error> {
        self.connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM print_requests WHERE {OPEN} ORDER BY created, id"
            ))?
            .query_map([], read_raw)?
            .map(|row| into_request(row?))
            .collect()
    }

    /// Done or cancelled requests changed since `since` (unix seconds), latest first.
    pub fn closed_print_requests_since(&self, since: i64) -> Result<Vec<PrintRequest>, Error> {
        self.connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM print_requests WHERE NOT {OPEN} AND updated >= ?1 \
                 ORDER BY updated DESC, id DESC"
            ))?
            .query_map([since], read_raw)?
            .map(|row| into_request(row?))
            .collect()
    }

    /// The highest ticket given since `since` (unix seconds), 0 when none.
    pub fn last_print_ticket_since(&self, since: i64) -> Result<u32, Error> {
        Ok(self.connection().query_row(
            "SELECT COALESCE(MAX(ticket), 0) FROM print_requests WHERE created >= ?1",
            [since],
            |row| row.get(0),
        )?)
    }

    /// Changes a request's status; false when there is no such request.
    pub fn set_print_status(&self, id: i64, status: PrintStatus, now: i64) -> Result<bool, Error> {
        Ok(self.connection().execute(
            "UPDATE print_requests SET status = ?2, updated = ?3 WHERE id = ?1",
            params![id, status.name(), now],
        )? > 0)
    }

    /// Forgets done and cancelled requests last changed before `before` (unix seconds).
    pub fn delete_closed_print_requests(&self, before: i64) -> Result<usize, Error> {
        Ok(self.connection().execute(
            &format!("DELETE FROM print_requests WHERE NOT {OPEN} AND updated < ?1"),
            [before],
        )?)
    }
}

type RawRow = (i64, u32, String, u32, String, i64, i64);

fn read_raw(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn into_request(
    (id, ticket, ids, pages, status, created, updated): RawRow,
) -> Result<PrintRequest, Error> {
    let corrupt = |what: &str| Error::Corrupt(format!("{what} of print request {id}"));
    Ok(PrintRequest {
        id,
        ticket,
        ids: split_ids(&ids),
        pages,
        status: PrintStatus::from_name(&status).ok_or_else(|| corrupt("status"))?,
        created: OffsetDateTime::from_unix_timestamp(created).map_err(|_| corrupt("date"))?,
        updated: OffsetDateTime::from_unix_timestamp(updated).map_err(|_| corrupt("date"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentId;

    fn catalog() -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        (dir, catalog)
    }

    #[test]
    fn requests_are_stored_listed_and_closed() {
        let (_dir, catalog) = catalog();
        let ids = vec![DocumentId::parse("abcdefgh").unwrap()];
        let first = catalog.insert_print_request(1, &ids, 4, 1_000).unwrap();
        let second = catalog.insert_print_request(2, &ids, 6, 1_010).unwrap();
        let open = catalog.open_print_requests().unwrap();
        assert_eq!(
            open.iter().map(|r| r.ticket).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(open[0].ids, ids);
        assert_eq!(open[0].status, PrintStatus::Waiting);
        assert_eq!(catalog.last_print_ticket_since(1_005).unwrap(), 2);
        assert_eq!(catalog.last_print_ticket_since(2_000).unwrap(), 0);

        assert!(catalog
            .set_print_status(first, PrintStatus::Done, 1_100)
            .unwrap());
        assert!(!catalog
            .set_print_status(999, PrintStatus::Done, 1_100)
            .unwrap());
        assert_eq!(catalog.open_print_requests().unwrap().len(), 1);
        let closed = catalog.closed_print_requests_since(1_050).unwrap();
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].id, first);
        assert_eq!(catalog.print_request(second).unwrap().unwrap().pages, 6);
        assert_eq!(catalog.delete_closed_print_requests(1_200).unwrap(), 1);
        assert!(catalog.print_request(first).unwrap().is_none());
    }

    #[test]
    fn two_open_requests_cannot_share_a_ticket() {
        let (_dir, catalog) = catalog();
        let first = catalog.insert_print_request(7, &[], 2, 1_000).unwrap();
        assert!(catalog.insert_print_request(7, &[], 2, 1_001).is_err());
        catalog
            .set_print_status(first, PrintStatus::Cancelled, 1_002)
            .unwrap();
        assert!(catalog.insert_print_request(7, &[], 2, 1_003).is_ok());
    }
}
