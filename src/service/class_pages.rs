//! The pages built around classes, one method each: a class's week of the cahier de texte (with
//! the groups of its level that have entries, when it is a whole level), and the kiosk's
//! "Trouver un document" (the class tiles, and what the words found among public documents and
//! entries). The web parses the request, calls one of these, and renders what it gets.

use time::Date;

use crate::model::{ClassName, DocumentFilter, Level, School};

use super::{Core, Error, HomeworkItem, HomeworkWeek, Library, Searched};

/// Documents per page at the kiosk (a class's documents, search results): big tiles on a
/// touch screen.
pub const KIOSK_PER_PAGE: usize = 20;

/// A class's week, for families, staff and the kiosk.
#[derive(Debug, Clone)]
pub struct ClassWeekPage {
    pub week: HomeworkWeek,
    /// The groups of the class's level with entries, when the class is a whole level (its page
    /// links to each); none for a group's page.
    pub groups: Vec<ClassName>,
}

/// The kiosk's "Trouver un document": class tiles, and what the words found.
#[derive(Debug, Clone)]
pub struct KioskFind {
    /// The school's levels, then any other a public document has.
    pub levels: Vec<Level>,
    /// Classes (groups within a level) with cahier de texte entries, as tiles beside the levels.
    pub groups: Vec<ClassName>,
    /// Public entries the words name.
    pub entries: Vec<HomeworkItem>,
    /// Public documents the words found; `NoWords` when none were typed.
    pub searched: Searched,
}

/// The groups of `class`'s level among `with_entries`, when `class` is a whole level.
fn groups_of(class: &ClassName, with_entries: Vec<ClassName>) -> Vec<ClassName> {
    if class.group().is_some() {
        return Vec::new();
    }
    with_entries
        .into_iter()
        .filter(|c| c.level() == class.level() && c.group().is_some())
        .collect()
}

impl Core {
    /// `class`'s week holding `day`; families (`public_only`) see public documents only.
    pub fn class_week_page(
        &self,
        class: &ClassName,
        day: Date,
        public_only: bool,
    ) -> Result<ClassWeekPage, Error> {
        let week = self.homework_week(class, day, public_only)?;
        let groups = groups_of(class, self.homework_classes()?);
        Ok(ClassWeekPage { week, groups })
    }

    /// The kiosk's find page for `words` (trimmed; empty shows the tiles only); public documents
    /// and entries only, whoever stands at the screen. `today` dates the entries found.
    pub fn kiosk_find_page(
        &self,
        school: &School,
        words: &str,
        today: Date,
    ) -> Result<KioskFind, Error> {
        let levels = self.offered_levels(school, true)?;
        let groups = self
            .homework_classes()?
            .into_iter()
            .filter(|c| c.group().is_some())
            .collect();
        let words = words.trim();
        if words.is_empty() {
            return Ok(KioskFind {
                levels,
                groups,
                entries: Vec::new(),
                searched: Searched::NoWords,
            });
        }
        let entries = self.search_homework(words, today, true)?;
        let public = DocumentFilter {
            public_only: true,
            limit: KIOSK_PER_PAGE,
            ..DocumentFilter::default()
        };
        let searched = match self.search_documents(words, &public) {
            Ok(found) => Searched::Found(found),
            Err(Error::InvalidInput(message)) => Searched::Unreadable(message),
            Err(other) => return Err(other),
        };
        Ok(KioskFind {
            levels,
            groups,
            entries,
            searched,
        })
    }
}

impl Library {
    pub async fn class_week_page(
        &self,
        class: ClassName,
        day: Date,
        public_only: bool,
    ) -> Result<ClassWeekPage, Error> {
        self.run(move |core| core.class_week_page(&class, day, public_only))
            .await
    }

    pub async fn kiosk_find_page(
        &self,
        school: School,
        words: String,
        today: Date,
    ) -> Result<KioskFind, Error> {
        self.run(move |core| core.kiosk_find_page(&school, &words, today))
            .await
    }
}
