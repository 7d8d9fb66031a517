//! Cahier de texte entries in the catalog. The service decides who may write what and which
//! documents a reader sees; this file only reads and writes rows.

use rusqlite::{params, OptionalExtension, Row};
use time::{Date, OffsetDateTime};

use crate::model::{iso_date, join_ids, parse_iso_date, split_ids, ClassName, Homework};
use crate::model::{NewHomework, Subject};

use super::{Catalog, Error};

const COLUMNS: &str = "id, classes, due, subject, instruction, documents, owner, created, updated";
/// Between class names in the `classes` column: never part of a name (`ClassName` refuses it).
const CLASS_SEPARATOR: char = '|';

impl Catalog {
    /// Records a new entry written by `owner`; returns its row id.
    pub fn insert_homework(
        &self,
        entry: &NewHomework,
        owner: &str,
        now: i64,
    ) -> Result<i64, Error> {
        self.connection().execute(
            "INSERT INTO homework (classes, due, subject, instruction, documents, owner, created, updated) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                join_classes(&entry.classes),
                iso_date(entry.due),
                entry.subject.as_ref().map(Subject::as_str),
                entry.instruction,
                join_ids(&entry.documents),
                owner,
                now
            ],
        )?;
        Ok(self.connection().last_insert_rowid())
    }

    /// Replaces an entry's content (not its owner); false when there is no such entry.
    pub fn update_homework(&self, id: i64, entry: &NewHomework, now: i64) -> Result<bool, Error> {
        Ok(self.connection().execute(
            "UPDATE homework SET classes = ?2, due = ?3, subject = ?4, instruction = ?5, \
             documents = ?6, updated = ?7 WHERE id = ?1",
            params![
                id,
                join_classes(&entry.classes),
                iso_date(entry.due),
                entry.subject.as_ref().map(Subject::as_str),
                entry.instruction,
                join_ids(&entry.documents),
                now
            ],
        )? > 0)
    }

    /// False when there was no such entry.
    pub fn delete_homework(&self, id: i64) -> Result<bool, Error> {
        Ok(self
            .connection()
            .execute("DELETE FROM homework WHERE id = ?1", [id])?
            > 0)
    }

    pub fn homework(&self, id: i64) -> Result<Option<Homework>, Error> {
        self.connection()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM homework WHERE id = ?1"))?
            .query_row([id], read_raw)
            .optional()?
            .map(into_homework)
            .transpose()
    }

    /// Entries due from `first` to `last` (both included), by due date then id: every class's.
    pub fn homework_due_between(&self, first: Date, last: Date) -> Result<Vec<Homework>, Error> {
        self.connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM homework WHERE due >= ?1 AND due <= ?2 ORDER BY due, id"
            ))?
            .query_map([iso_date(first), iso_date(last)], read_raw)?
            .map(|row| into_homework(row?))
            .collect()
    }

    /// Every class some entry names, for menus (short names, sorted, once each).
    pub fn homework_classes(&self) -> Result<Vec<ClassName>, Error> {
        let mut classes = Vec::new();
        let mut statement = self
            .connection()
            .prepare_cached("SELECT DISTINCT classes FROM homework")?;
        for joined in statement.query_map([], |row| row.get::<_, String>(0))? {
            classes.extend(split_classes(&joined?, "classes of an entry")?);
        }
        classes.sort();
        classes.dedup();
        Ok(classes)
    }
}

/// Listing entries for the staff pages.
impl Catalog {
    /// Entries written by `owner` (everyone's when `None`), latest due date first, then newest
    /// written: at most `limit` from `offset`, with how many there are in all.
    pub fn homework_by(
        &self,
        owner: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Homework>, usize), Error> {
        let total: i64 = self.connection().query_row(
            "SELECT COUNT(*) FROM homework WHERE ?1 IS NULL OR owner = ?1",
            [owner],
            |row| row.get(0),
        )?;
        let entries = self
            .connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM homework WHERE ?1 IS NULL OR owner = ?1 \
                 ORDER BY due DESC, id DESC LIMIT ?2 OFFSET ?3"
            ))?
            .query_map(params![owner, limit as i64, offset as i64], read_raw)?
            .map(|row| into_homework(row?))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok((entries, usize::try_from(total).unwrap_or(0)))
    }
}

fn join_classes(classes: &[ClassName]) -> String {
    let names: Vec<String> = classes.iter().map(ClassName::to_string).collect();
    names.join(&CLASS_SEPARATOR.to_string())
}

fn split_classes(joined: &str, what: &str) -> Result<Vec<ClassName>, Error> {
    joined
        .split(CLASS_SEPARATOR)
        .map(|name| ClassName::parse(name).ok_or_else(|| Error::Corrupt(format!("{what}: {name}"))))
        .collect()
}

type RawRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    i64,
    i64,
);

fn read_raw(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn into_homework(
    (id, classes, due, subject, instruction, documents, owner, created, updated): RawRow,
) -> Result<Homework, Error> {
    let corrupt = |what: &str| Error::Corrupt(format!("{what} of homework entry {id}"));
    Ok(Homework {
        id,
        classes: split_classes(&classes, &format!("classes of homework entry {id}"))?,
        due: parse_iso_date(&due).ok_or_else(|| corrupt("due date"))?,
        subject: subject.as_deref().and_then(Subject::parse),
        instruction,
        documents: split_ids(&documents),
        owner,
        created: OffsetDateTime::from_unix_timestamp(created).map_err(|_| corrupt("date"))?,
        updated: OffsetDateTime::from_unix_timestamp(updated).map_err(|_| corrupt("date"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentId;
    use time::macros::date;

    fn entry(classes: &str, due: Date, instruction: &str) -> NewHomework {
        NewHomework {
            classes: classes.split(',').filter_map(ClassName::parse).collect(),
            due,
            subject: Subject::parse("Mathématiques"),
            instruction: instruction.to_owned(),
            documents: split_ids("abcdefgh.jkmnpqrs"),
        }
    }

    #[test]
    fn entries_round_trip_and_are_read_by_due_date() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        let late = entry(
            "2nde B,Tle",
            date!(2026 - 12 - 03),
            "Lire le chapitre 2\nExercice 4",
        );
        let early = entry("1re", date!(2026 - 12 - 01), "Réviser");
        let outside = entry("1re", date!(2026 - 12 - 08), "Plus tard");
        let late_id = catalog.insert_homework(&late, "m.dupont", 100).unwrap();
        let early_id = catalog.insert_homework(&early, "a.martin", 200).unwrap();
        catalog.insert_homework(&outside, "a.martin", 300).unwrap();

        let week = catalog
            .homework_due_between(date!(2026 - 11 - 30), date!(2026 - 12 - 06))
            .unwrap();
        assert_eq!(
            week.iter().map(|e| e.id).collect::<Vec<_>>(),
            [early_id, late_id]
        );
        let read = &week[1];
        assert_eq!(read.classes, late.classes);
        assert_eq!(read.instruction, late.instruction);
        assert_eq!(read.documents, late.documents);
        assert_eq!(
            (read.owner.as_str(), read.created.unix_timestamp()),
            ("m.dupont", 100)
        );
        assert_eq!(read.subject, late.subject);

        let edited = NewHomework {
            documents: vec![DocumentId::parse("qrstuvwx").unwrap()],
            ..early.clone()
        };
        assert!(catalog.update_homework(early_id, &edited, 400).unwrap());
        let read = catalog.homework(early_id).unwrap().unwrap();
        assert_eq!(
            (read.documents, read.owner.as_str()),
            (edited.documents, "a.martin")
        );
        assert_eq!(read.updated.unix_timestamp(), 400);

        let names: Vec<String> = catalog
            .homework_classes()
            .unwrap()
            .iter()
            .map(ClassName::to_string)
            .collect();
        assert_eq!(names, ["1re", "2nde B", "Tle"]);
        let (mine, total) = catalog.homework_by(Some("a.martin"), 10, 0).unwrap();
        assert_eq!(total, 2);
        assert_eq!(
            mine.iter().map(|e| e.due).collect::<Vec<_>>(),
            [date!(2026 - 12 - 08), date!(2026 - 12 - 01)],
            "latest due first"
        );
        let (all, total) = catalog.homework_by(None, 1, 1).unwrap();
        assert_eq!((all.len(), total), (1, 3));
        assert_eq!(all[0].id, late_id);
        assert!(catalog.delete_homework(late_id).unwrap());
        assert!(!catalog.delete_homework(late_id).unwrap());
        assert_eq!(catalog.homework(late_id).unwrap(), None);
    }
}
