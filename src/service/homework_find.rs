//! Finding cahier de texte entries: a staff member's own list, and the entries a search's words
//! name. Search scans the entries of recent and coming weeks, folded, rather than indexing them:
//! a school writes a few hundred entries a term, they change often, and the scan forgives
//! accents, case and spelling (sound keys) the same way the document search does.

use time::{Date, Duration};

use crate::model::{fold, sound_key, Account, Homework, Role};

use super::homework::HomeworkItem;
use super::{Core, Error};

/// How far back and ahead of today a search looks: last month's work and the coming term's.
const SEARCH_DAYS_BEFORE: i64 = 28;
const SEARCH_DAYS_AFTER: i64 = 63;
/// Entries a search shows at most (above the documents, it stays short).
pub const MAX_FOUND_ENTRIES: usize = 10;

/// Words too common to tell entries apart ("le", "pour", ...): a query of only these finds none.
const COMMON_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "la", "le", "les",
    "leur", "ou", "par", "pour", "sur", "un", "une", "the", "of", "for", "and", "to",
];

impl Core {
    /// Entries `by` may change (their own; an admin everyone's), latest due first, a page of
    /// `limit` from `offset`, with the total.
    pub fn homework_written_by(
        &self,
        by: &Account,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Homework>, usize), Error> {
        let owner = (by.role != Role::Admin).then(|| by.login.as_str());
        Ok(self.store.catalog().homework_by(owner, limit, offset)?)
    }

    /// Entries of recent and coming weeks whose instruction, classes or subject hold every word
    /// of `text` (folded; a word may be the start of one, or sound like one), the nearest to
    /// `today` first: coming ones, then past ones. `public_only` as in `homework_week`.
    pub fn search_homework(
        &self,
        text: &str,
        today: Date,
        public_only: bool,
    ) -> Result<Vec<HomeworkItem>, Error> {
        let words = query_words(text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut entries: Vec<Homework> = self
            .store
            .catalog()
            .homework_due_between(
                today - Duration::days(SEARCH_DAYS_BEFORE),
                today + Duration::days(SEARCH_DAYS_AFTER),
            )?
            .into_iter()
            .filter(|entry| matches(entry, &words))
            .collect();
        entries.sort_by_key(|entry| (entry.due < today, (entry.due - today).abs(), entry.id));
        entries.truncate(MAX_FOUND_ENTRIES);
        entries
            .into_iter()
            .map(|entry| {
                let documents = self.documents(&entry.documents, public_only)?;
                Ok(HomeworkItem { entry, documents })
            })
            .collect()
    }
}

/// A query word, folded, with its sound key when it has one.
#[derive(Debug)]
struct Word {
    folded: String,
    sound: Option<String>,
}

fn query_words(text: &str) -> Vec<Word> {
    split(&fold(text))
        .filter(|w| w.chars().count() >= 2 && !COMMON_WORDS.contains(w))
        .map(|w| Word {
            folded: w.to_owned(),
            sound: sound_key(w),
        })
        .collect()
}

fn split(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether every query word is in the entry's text, classes or subject.
fn matches(entry: &Homework, words: &[Word]) -> bool {
    let mut text = entry.instruction.clone();
    for class in &entry.classes {
        text.push(' ');
        text.push_str(&class.to_string());
        text.push(' ');
        text.push_str(&class.full_name());
        for name in class.level().search_names() {
            text.push(' ');
            text.push_str(name);
        }
    }
    if let Some(subject) = &entry.subject {
        text.push(' ');
        text.push_str(subject.as_str());
    }
    let folded = fold(&text);
    let entry_words: Vec<(&str, Option<String>)> =
        split(&folded).map(|w| (w, sound_key(w))).collect();
    words.iter().all(|word| {
        entry_words.iter().any(|(candidate, sound)| {
            *candidate == word.folded
                || (word.folded.chars().count() >= 3 && candidate.starts_with(&word.folded))
                || (word.sound.is_some() && *sound == word.sound)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClassName, Subject};
    use time::macros::date;
    use time::OffsetDateTime;

    fn entry(classes: &str, subject: &str, instruction: &str) -> Homework {
        Homework {
            id: 1,
            classes: classes.split(',').filter_map(ClassName::parse).collect(),
            due: date!(2026 - 12 - 03),
            subject: Subject::parse(subject),
            instruction: instruction.to_owned(),
            documents: Vec::new(),
            owner: "m.dupont".to_owned(),
            created: OffsetDateTime::UNIX_EPOCH,
            updated: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn finds(entry: &Homework, query: &str) -> bool {
        let words = query_words(query);
        !words.is_empty() && matches(entry, &words)
    }

    #[test]
    fn entries_are_found_without_accents_by_word_starts_and_sounds() {
        let e = entry(
            "2nde B",
            "Histoire-Géographie",
            "Lire le chapitre sur la Révolution française\nRépondre aux questions p. 42",
        );
        assert!(finds(&e, "revolution"));
        assert!(finds(&e, "REVOL francaise"));
        assert!(finds(&e, "repondre questions"));
        assert!(finds(&e, "histoire seconde"), "subject and level name");
        assert!(finds(&e, "2nde"));
        assert!(finds(&e, "chapitr"), "a word's start");
        assert!(finds(&e, "revolusion"), "a word that sounds the same");
        assert!(
            !finds(&e, "revolution pythagore"),
            "every word must be there"
        );
        assert!(!finds(&e, "terminale"));
        assert!(!finds(&e, "le la pour"), "common words alone find nothing");
    }
}
