//! The catalog: one SQLite file in WAL mode holding documents' metadata and extracted text.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Row};
use time::OffsetDateTime;

use crate::model::{Document, DocumentId, Format, Level, Source, Subject, TextStatus, Visibility};

mod hub;
mod listing;
mod memo;

use super::{schema, Error};

#[derive(Debug)]
pub struct Catalog {
    connection: Connection,
    /// Totals and menus, kept until the documents change.
    memo: memo::Memo,
}

const COLUMNS: &str =
    "id, title, levels, class, subject, author, source, file_name, format, bytes, \
                       sha256, pages, created, updated, due, visibility, text_status, text_reason, \
                       owner, downloads";

impl Catalog {
    pub fn open(path: &Path) -> Result<Catalog, Error> {
        let mut connection = Connection::open(path)?;
        // FULL: a teacher told "added" must find the document after a power cut.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let found = schema::migrate(&mut connection)?;
        if found > schema::CURRENT_VERSION {
            return Err(Error::SchemaTooNew {
                path: path.to_owned(),
                found,
                known: schema::CURRENT_VERSION,
            });
        }
        Ok(Catalog {
            connection,
            memo: Default::default(),
        })
    }

    pub(super) fn connection(&self) -> &Connection {
        &self.connection
    }

    pub(super) fn connection_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }

    /// Records a new document, its text and the text's offline words in one transaction. The
    /// content must be new: a second document with the same hash is a duplicate.
    pub fn insert(&mut self, document: &Document, text: &str, words: &str) -> Result<(), Error> {
        self.insert_from(document, text, words, None)
    }

    /// [`Catalog::insert`], marking the document as copied from a hub (`(hub, publisher's id)`)
    /// in the same transaction, so a synced document is never mistaken for a local upload.
    pub fn insert_from(
        &mut self,
        document: &Document,
        text: &str,
        words: &str,
        hub: Option<(&str, &str)>,
    ) -> Result<(), Error> {
        if let Some(existing) = self.find_by_sha256(&document.sha256)? {
            return Err(Error::Duplicate {
                existing: existing.to_string(),
            });
        }
        let transaction = self.connection.transaction()?;
        transaction.execute(
            &format!(
                "INSERT INTO documents ({COLUMNS}) VALUES ({})",
                placeholders()
            ),
            rusqlite::params_from_iter(row_values(document)),
        )?;
        transaction.execute(
            "INSERT INTO document_texts (document_id, text, offline_words) VALUES (?1, ?2, ?3)",
            params![document.id.as_str(), text, words],
        )?;
        if let Some((hub, hub_id)) = hub {
            transaction.execute(
                "INSERT INTO hub_documents (document_id, hub, hub_id) VALUES (?1, ?2, ?3)",
                params![document.id.as_str(), hub, hub_id],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Rewrites a document's row after its file was replaced, with the new file's text and words.
    pub fn update(&mut self, document: &Document, text: &str, words: &str) -> Result<(), Error> {
        if let Some(existing) = self.find_by_sha256(&document.sha256)? {
            if existing != document.id {
                return Err(Error::Duplicate {
                    existing: existing.to_string(),
                });
            }
        }
        let transaction = self.connection.transaction()?;
        let mut values = Vec::new();
        let mut assignments = Vec::new();
        for (column, value) in COLUMNS.split(", ").zip(row_values(document)) {
            if !KEPT_ON_UPDATE.contains(&column) {
                values.push(value);
                assignments.push(format!("{column} = ?{}", values.len()));
            }
        }
        values.push(Box::new(document.id.as_str()));
        transaction.execute(
            &format!(
                "UPDATE documents SET {} WHERE id = ?{}",
                assignments.join(", "),
                values.len()
            ),
            rusqlite::params_from_iter(values),
        )?;
        transaction.execute(
            "INSERT OR REPLACE INTO document_texts (document_id, text, offline_words) \
             VALUES (?1, ?2, ?3)",
            params![document.id.as_str(), text, words],
        )?;
        transaction.commit()?;
        Ok(())
    }

    /// Rewrites only what people edit (title, levels, class, subject, author, source, due date,
    /// visibility) and the update time; file fields are left alone.
    pub fn update_metadata(&mut self, document: &Document) -> Result<(), Error> {
        self.connection.execute(
            "UPDATE documents SET title = ?2, levels = ?3, class = ?4, subject = ?5, author = ?6, \
             source = ?7, due = ?8, visibility = ?9, updated = ?10 WHERE id = ?1",
            params![
                document.id.as_str(),
                document.title,
                levels_json(&document.levels),
                document.class,
                document.subject.as_ref().map(Subject::as_str),
                document.author,
                document.source.name(),
                document.due.map(crate::model::iso_date),
                document.visibility.name(),
                document.updated.unix_timestamp(),
            ],
        )?;
        Ok(())
    }

    /// Deletes a document (its text goes with it). Returns what was deleted.
    pub fn delete(&mut self, id: &DocumentId) -> Result<Option<Document>, Error> {
        let transaction = self.connection.transaction()?;
        let document = transaction
            .query_row(
                &format!("SELECT {COLUMNS} FROM documents WHERE id = ?1"),
                [id.as_str()],
                read_document,
            )
            .optional()?;
        transaction.execute("DELETE FROM documents WHERE id = ?1", [id.as_str()])?;
        transaction.commit()?;
        document.transpose()
    }

    pub fn get(&self, id: &DocumentId) -> Result<Option<Document>, Error> {
        self.connection
            .prepare_cached(&format!("SELECT {COLUMNS} FROM documents WHERE id = ?1"))?
            .query_row([id.as_str()], read_document)
            .optional()?
            .transpose()
    }

    pub fn find_by_sha256(&self, sha256: &str) -> Result<Option<DocumentId>, Error> {
        let id: Option<String> = self
            .connection
            .prepare_cached("SELECT id FROM documents WHERE sha256 = ?1")?
            .query_row([sha256], |row| row.get(0))
            .optional()?;
        Ok(id.and_then(|id| DocumentId::parse(&id)))
    }

    /// Adds download counts, all in one transaction.
    pub fn add_downloads(&mut self, counts: &[(DocumentId, u64)]) -> Result<(), Error> {
        let transaction = self.connection.transaction()?;
        {
            let mut statement = transaction
                .prepare_cached("UPDATE documents SET downloads = downloads + ?2 WHERE id = ?1")?;
            for (id, count) in counts {
                statement.execute(params![id.as_str(), *count as i64])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// Every document id and content hash, for reconciliation and checks.
    pub fn ids_and_hashes(&self) -> Result<Vec<(DocumentId, String)>, Error> {
        let mut statement = self
            .connection
            .prepare("SELECT id, sha256 FROM documents")?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?;
        let mut all = Vec::new();
        for row in rows {
            let (id, sha) = row?;
            let id = DocumentId::parse(&id).ok_or_else(|| Error::Corrupt(format!("id {id}")))?;
            all.push((id, sha));
        }
        Ok(all)
    }

    /// The extracted text of a document.
    pub fn text(&self, id: &DocumentId) -> Result<Option<String>, Error> {
        Ok(self
            .connection
            .prepare_cached("SELECT text FROM document_texts WHERE document_id = ?1")?
            .query_row([id.as_str()], |row| row.get(0))
            .optional()?)
    }

    /// The offline words kept with a document's text; `None` for a text stored before they were.
    pub fn offline_words(&self, id: &DocumentId) -> Result<Option<String>, Error> {
        Ok(self
            .connection
            .prepare_cached("SELECT offline_words FROM document_texts WHERE document_id = ?1")?
            .query_row([id.as_str()], |row| row.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// How many characters a document's text has, without reading it out (for page estimates).
    pub fn text_chars(&self, id: &DocumentId) -> Result<usize, Error> {
        let chars: Option<i64> = self
            .connection
            .prepare_cached("SELECT length(text) FROM document_texts WHERE document_id = ?1")?
            .query_row([id.as_str()], |row| row.get(0))
            .optional()?;
        Ok(chars.unwrap_or(0).max(0) as usize)
    }
}

/// Columns an update never changes: identity, provenance and counters.
const KEPT_ON_UPDATE: [&str; 4] = ["id", "created", "owner", "downloads"];

/// `?1, ?2, …` for every column.
fn placeholders() -> String {
    (1..=COLUMNS.split(", ").count())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A document's values in the order of [`COLUMNS`].
fn row_values(document: &Document) -> Vec<Box<dyn rusqlite::ToSql + '_>> {
    vec![
        Box::new(document.id.as_str()),
        Box::new(&document.title),
        Box::new(levels_json(&document.levels)),
        Box::new(&document.class),
        Box::new(document.subject.as_ref().map(Subject::as_str)),
        Box::new(&document.author),
        Box::new(document.source.name()),
        Box::new(&document.file_name),
        Box::new(document.format.name()),
        Box::new(document.bytes as i64),
        Box::new(&document.sha256),
        Box::new(document.pages),
        Box::new(document.created.unix_timestamp()),
        Box::new(document.updated.unix_timestamp()),
        Box::new(document.due.map(crate::model::iso_date)),
        Box::new(document.visibility.name()),
        Box::new(document.text_status.name()),
        Box::new(&document.text_reason),
        Box::new(&document.owner),
        Box::new(document.downloads as i64),
    ]
}

fn levels_json(levels: &[Level]) -> String {
    serde_json::to_string(levels).expect("a list of strings always serialises")
}

/// Reads one row; the inner `Result` reports values the catalog should never hold.
fn read_document(row: &Row<'_>) -> rusqlite::Result<Result<Document, Error>> {
    let id: String = row.get(0)?;
    let levels: String = row.get(2)?;
    let source: String = row.get(6)?;
    let format: String = row.get(8)?;
    let created: i64 = row.get(12)?;
    let updated: i64 = row.get(13)?;
    let due: Option<String> = row.get(14)?;
    let visibility: String = row.get(15)?;
    let status: String = row.get(16)?;
    let subject: Option<String> = row.get(4)?;
    let bytes: i64 = row.get(9)?;
    let corrupt = |what: &str| Error::Corrupt(format!("{what} of document {id}"));
    let parsed = (|| {
        Ok(Document {
            id: DocumentId::parse(&id).ok_or_else(|| corrupt("id"))?,
            title: row.get(1).map_err(Error::Sql)?,
            levels: serde_json::from_str::<Vec<String>>(&levels)
                .map_err(|_| corrupt("levels"))?
                .iter()
                .filter_map(|l| Level::parse(l))
                .collect(),
            class: row.get(3).map_err(Error::Sql)?,
            subject: subject.as_deref().and_then(Subject::parse),
            author: row.get(5).map_err(Error::Sql)?,
            source: Source::from_name(&source).ok_or_else(|| corrupt("source"))?,
            file_name: row.get(7).map_err(Error::Sql)?,
            format: Format::from_name(&format).ok_or_else(|| corrupt("format"))?,
            bytes: u64::try_from(bytes).map_err(|_| corrupt("size"))?,
            sha256: row.get(10).map_err(Error::Sql)?,
            pages: row.get(11).map_err(Error::Sql)?,
            created: OffsetDateTime::from_unix_timestamp(created).map_err(|_| corrupt("date"))?,
            updated: OffsetDateTime::from_unix_timestamp(updated).map_err(|_| corrupt("date"))?,
            due: due
                .map(|d| crate::model::parse_iso_date(&d).ok_or_else(|| corrupt("due date")))
                .transpose()?,
            visibility: Visibility::from_name(&visibility).ok_or_else(|| corrupt("visibility"))?,
            text_status: TextStatus::from_name(&status).ok_or_else(|| corrupt("text status"))?,
            text_reason: row.get(17).map_err(Error::Sql)?,
            owner: row.get(18).map_err(Error::Sql)?,
            downloads: u64::try_from(row.get::<_, i64>(19).map_err(Error::Sql)?)
                .map_err(|_| corrupt("downloads"))?,
        })
    })();
    Ok(parsed)
}

/// A public text document whose id is `id` (and its hash `id` eight times), for tests.
#[cfg(test)]
fn sample_document(id: &str) -> Document {
    let now = time::OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
    crate::model::Document {
        id: DocumentId::parse(id).unwrap(),
        title: id.to_owned(),
        levels: Vec::new(),
        class: None,
        subject: None,
        author: None,
        source: crate::model::Source::Cned,
        file_name: format!("{id}.txt"),
        format: crate::model::Format::Text,
        bytes: 5,
        sha256: id.repeat(8),
        pages: None,
        created: now,
        updated: now,
        due: None,
        visibility: crate::model::Visibility::Public,
        text_status: crate::model::TextStatus::Ok,
        text_reason: None,
        owner: None,
        downloads: 0,
    }
}
