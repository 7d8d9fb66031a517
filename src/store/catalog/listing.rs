//! Listing the catalog: documents matching a filter (pages, totals, everything for bundles),
//! and the levels and subjects in use for menus. Totals, subjects and menus read every row:
//! they are kept until the documents change (see `memo`).

use crate::model::{Document, DocumentFilter, Level, Subject};

use super::memo::{filter_key, Answers, Facets};
use super::{read_document, Catalog, Error, COLUMNS};

impl Catalog {
    /// Documents matching the filter, newest first, with the total before pagination.
    pub fn list(&self, filter: &DocumentFilter) -> Result<(Vec<Document>, usize), Error> {
        let (limit, offset) = filter.page();
        let documents = self.select(filter, Some((limit, offset)))?;
        let read = || {
            let total: i64 = self
                .connection
                .prepare_cached(&format!(
                    "SELECT COUNT(*) FROM documents WHERE {LIST_CONDITION}"
                ))?
                .query_row(list_parameters(filter).as_slice(), |row| row.get(0))?;
            Ok(total as usize)
        };
        let key = filter_key(filter);
        let total = (self.memo).get_or_read(&self.connection, Answers::counts, key, read)?;
        Ok((documents, total))
    }

    /// The distinct subjects of the documents matching the filter (pages ignored).
    pub fn subjects(&self, filter: &DocumentFilter) -> Result<Vec<Subject>, Error> {
        let read = || self.read_subjects(filter);
        let key = filter_key(filter);
        (self.memo).get_or_read(&self.connection, Answers::subjects, key, read)
    }

    fn read_subjects(&self, filter: &DocumentFilter) -> Result<Vec<Subject>, Error> {
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT DISTINCT subject FROM documents WHERE {LIST_CONDITION} AND subject IS NOT NULL \
             ORDER BY subject"
        ))?;
        let rows = statement.query_map(list_parameters(filter).as_slice(), |row| {
            row.get::<_, String>(0)
        })?;
        let mut subjects = Vec::new();
        for row in rows {
            subjects.extend(Subject::parse(&row?));
        }
        Ok(subjects)
    }

    /// Every document matching the filter, newest first, without pages (for bundles).
    pub fn list_all(&self, filter: &DocumentFilter) -> Result<Vec<Document>, Error> {
        self.select(filter, None)
    }

    fn select(
        &self,
        filter: &DocumentFilter,
        page: Option<(usize, usize)>,
    ) -> Result<Vec<Document>, Error> {
        let (limit, offset) = page.map_or((-1, 0), |(l, o)| (l as i64, o as i64));
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM documents WHERE {LIST_CONDITION} \
             ORDER BY created DESC, rowid DESC LIMIT :limit OFFSET :offset"
        ))?;
        let mut parameters = list_parameters(filter);
        parameters.push((":limit", Box::new(limit)));
        parameters.push((":offset", Box::new(offset)));
        let rows = statement.query_map(parameters.as_slice(), read_document)?;
        let mut documents = Vec::new();
        for row in rows {
            documents.push(row??);
        }
        Ok(documents)
    }

    /// Distinct levels and subjects in use, for menus; of public documents only when
    /// `public_only` (a family's menus must not name what only staff-only documents have).
    pub fn facets(&self, public_only: bool) -> Result<Facets, Error> {
        let read = || self.read_facets(public_only);
        (self.memo).get_or_read(&self.connection, Answers::facets, public_only, read)
    }

    fn read_facets(&self, public_only: bool) -> Result<Facets, Error> {
        let mut levels_statement = self.connection.prepare_cached(
            "SELECT DISTINCT value FROM documents, json_each(documents.levels) \
             WHERE ?1 = 0 OR visibility = 'public' ORDER BY value",
        )?;
        let levels = levels_statement
            .query_map([public_only], |row| row.get::<_, String>(0))?
            .filter_map(|l| l.ok().and_then(|l| Level::parse(&l)))
            .collect();
        let mut subjects_statement = self.connection.prepare_cached(
            "SELECT DISTINCT subject FROM documents WHERE subject IS NOT NULL \
             AND (?1 = 0 OR visibility = 'public') ORDER BY subject",
        )?;
        let subjects = subjects_statement
            .query_map([public_only], |row| row.get::<_, String>(0))?
            .filter_map(|s| s.ok().and_then(|s| Subject::parse(&s)))
            .collect();
        Ok((levels, subjects))
    }
}

/// The filter of [`Catalog::list`], with named parameters.
const LIST_CONDITION: &str =
    "(:level IS NULL OR EXISTS (SELECT 1 FROM json_each(levels) WHERE value = :level)) \
    AND (:subject IS NULL OR subject = :subject) AND (:class IS NULL OR class = :class) \
    AND (:public_only = 0 OR visibility = 'public') AND (:owner IS NULL OR owner = :owner) \
    AND (:since IS NULL OR created >= :since)";

type NamedValues = Vec<(&'static str, Box<dyn rusqlite::ToSql>)>;

fn list_parameters(filter: &DocumentFilter) -> NamedValues {
    let since = filter
        .since
        .map(|day| day.midnight().assume_utc().unix_timestamp());
    vec![
        (
            ":level",
            Box::new(filter.level.as_ref().map(|l| l.as_str().to_owned())),
        ),
        (
            ":subject",
            Box::new(filter.subject.as_ref().map(|s| s.as_str().to_owned())),
        ),
        (":class", Box::new(filter.class.clone())),
        (":public_only", Box::new(i64::from(filter.public_only))),
        (":owner", Box::new(filter.owner.clone())),
        (":since", Box::new(since)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentId, Visibility};

    fn document(id: &str, level: Level, visibility: Visibility) -> Document {
        Document {
            levels: vec![level],
            visibility,
            ..super::super::sample_document(id)
        }
    }

    #[test]
    fn kept_facets_follow_every_change_by_this_connection_or_another() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.sqlite");
        let mut catalog = Catalog::open(&path).unwrap();
        let second = Level::parse("2nde").unwrap();
        let staff_only = document("abcdefgh", second.clone(), Visibility::Staff);
        catalog.insert(&staff_only, "texte", "texte").unwrap();
        assert!(catalog.facets(true).unwrap().0.is_empty());
        assert_eq!(catalog.facets(false).unwrap().0, vec![second.clone()]);

        let first = Level::parse("1re").unwrap();
        catalog
            .insert(
                &document("bcdefghj", first.clone(), Visibility::Public),
                "t",
                "t",
            )
            .unwrap();
        assert_eq!(catalog.facets(true).unwrap().0, vec![first.clone()]);

        // A write by another process, such as a command run while the server is stopped.
        let other = Catalog::open(&path).unwrap();
        other
            .connection
            .execute(
                "UPDATE documents SET visibility = 'public' WHERE id = 'abcdefgh'",
                [],
            )
            .unwrap();
        let mut levels = catalog.facets(true).unwrap().0;
        levels.sort();
        let mut expected = vec![first.clone(), second.clone()];
        expected.sort();
        assert_eq!(levels, expected);
    }

    #[test]
    fn kept_totals_follow_an_edit_of_levels_and_a_removal() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::open(&dir.path().join("catalog.sqlite")).unwrap();
        let second = Level::parse("2nde").unwrap();
        let mut moved = document("abcdefgh", second.clone(), Visibility::Public);
        catalog.insert(&moved, "texte", "texte").unwrap();
        catalog
            .insert(
                &document("bcdefghj", second.clone(), Visibility::Public),
                "t",
                "t",
            )
            .unwrap();
        let in_second = DocumentFilter {
            level: Some(second),
            public_only: true,
            limit: 1,
            ..DocumentFilter::default()
        };
        assert_eq!(catalog.list(&in_second).unwrap().1, 2);

        moved.levels = vec![Level::parse("Tle").unwrap()];
        catalog.update_metadata(&moved).unwrap();
        assert_eq!(catalog.list(&in_second).unwrap().1, 1);

        catalog
            .delete(&DocumentId::parse("bcdefghj").unwrap())
            .unwrap();
        assert_eq!(catalog.list(&in_second).unwrap().1, 0);
    }
}
