//! What lists and menus need that reads every row of the catalog (the menus' levels and
//! subjects, how many documents a filter matches), kept until the documents change. At 100,000
//! documents each of these reads takes a few hundred milliseconds on a Pi, and every family's
//! home, level and kiosk page asks for them.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::{DocumentFilter, Level, Subject};

use super::Error;

/// The levels and the subjects in use.
pub type Facets = (Vec<Level>, Vec<Subject>);

/// The kept answers, by question.
#[derive(Debug, Default)]
pub(super) struct Answers {
    counts: HashMap<String, usize>,
    subjects: HashMap<String, Vec<Subject>>,
    facets: HashMap<bool, Facets>,
}

impl Answers {
    pub(super) fn counts(&mut self) -> &mut HashMap<String, usize> {
        &mut self.counts
    }

    pub(super) fn subjects(&mut self) -> &mut HashMap<String, Vec<Subject>> {
        &mut self.subjects
    }

    pub(super) fn facets(&mut self) -> &mut HashMap<bool, Facets> {
        &mut self.facets
    }

    fn len(&self) -> usize {
        self.counts.len() + self.subjects.len() + self.facets.len()
    }
}

/// Kept answers at most; beyond, they are forgotten (a page may ask with any filter).
const MOST_KEPT: usize = 256;

/// Answers kept with the version of the documents they were read at. The catalog is used under
/// its lock, one caller at a time, so a cell is enough.
#[derive(Debug, Default)]
pub(super) struct Memo {
    kept: RefCell<(Version, Answers)>,
}

/// Moves when a document is added, removed or listed otherwise (the `document_changes` count
/// its triggers keep), or when another connection writes (SQLite's data version: a restored
/// catalog, a command beside).
type Version = (i64, i64);

impl Memo {
    /// The answer kept for `key` among the answers `kind` picks, or `read`'s, kept for next time.
    pub(super) fn get_or_read<K, T>(
        &self,
        connection: &Connection,
        kind: fn(&mut Answers) -> &mut HashMap<K, T>,
        key: K,
        read: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error>
    where
        K: std::hash::Hash + Eq,
        T: Clone,
    {
        let version = version(connection)?;
        {
            let mut kept = self.kept.borrow_mut();
            if kept.0 == version {
                if let Some(answer) = kind(&mut kept.1).get(&key) {
                    return Ok(answer.clone());
                }
            }
        }
        let answer = read()?;
        let mut kept = self.kept.borrow_mut();
        if kept.0 != version || kept.1.len() >= MOST_KEPT {
            *kept = (version, Answers::default());
        }
        kind(&mut kept.1).insert(key, answer.clone());
        Ok(answer)
    }
}

fn version(connection: &Connection) -> Result<Version, Error> {
    let changes: i64 =
        connection.query_row("SELECT count FROM document_changes", [], |row| row.get(0))?;
    let theirs: i64 = connection.query_row("PRAGMA data_version", [], |row| row.get(0))?;
    Ok((changes, theirs))
}

/// What a filter selects, pages left out: the key of its count and subjects.
pub(super) fn filter_key(filter: &DocumentFilter) -> String {
    let whole = DocumentFilter {
        limit: 0,
        offset: 0,
        ..filter.clone()
    };
    format!("{whole:?}")
}
