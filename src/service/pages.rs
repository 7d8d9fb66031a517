//! The family pages' data, one method per page: what the home, a level, the newest documents, the
//! search and a document's page show, with their rules (families see public documents only, how
//! many documents a page holds, the school's levels and subjects first in the menus). The web
//! parses the request, calls one of these, and renders what it gets.

use std::path::PathBuf;
use std::time::Duration;

use time::{Date, OffsetDateTime};

use crate::model::{
    ClassName, Document, DocumentFilter, DocumentId, Level, School, Subject, Visibility,
};

use super::{Core, Error, FoundDocuments, HomeworkItem, Library};

/// Search results per page.
pub const SEARCH_PER_PAGE: usize = 10;
/// Documents per page of a level or of the newest: pages stay under 30 KB on a phone.
pub const LIST_PER_PAGE: usize = 40;
/// How recent a document of the home page's "new this week" is.
const RECENT_DAYS: u64 = 7;
/// The newest documents of the week on the home page; "Tout voir" lists them all.
const HOME_LATEST: usize = 8;
/// Characters of a document's text shown on its page.
const EXCERPT_CHARS: usize = 1200;

/// The home page: the levels to browse, the classes with a cahier de texte, this week's news.
#[derive(Debug, Clone)]
pub struct HomePage {
    /// The school's levels, then any other a visible document has.
    pub levels: Vec<Level>,
    /// Classes (groups within a level) with cahier de texte entries.
    pub groups: Vec<ClassName>,
    /// The newest documents added in the last week.
    pub recent: Vec<Document>,
}

/// A page of a list of documents, newest first.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub documents: Vec<Document>,
    /// Documents in the whole list.
    pub total: usize,
    pub has_next: bool,
}

/// A level's page: a page of its documents, and the subjects it has (for the subject menu,
/// whatever subject is chosen).
#[derive(Debug, Clone)]
pub struct LevelPage {
    pub list: ListPage,
    pub subjects: Vec<Subject>,
}

/// What the search page was asked.
#[derive(Debug, Clone, Default)]
pub struct SearchAsk {
    pub text: String,
    pub level: Option<Level>,
    pub subject: Option<Subject>,
    /// From 1.
    pub page: usize,
}

/// What a search found, as its page says it.
#[derive(Debug, Clone)]
pub enum Searched {
    /// No words to search for.
    NoWords,
    /// Words the index cannot read as a query: the reason, said on the page (not an error page).
    Unreadable(String),
    Found(FoundDocuments),
}

/// The search page: results, cahier de texte entries, and the filter menus.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub searched: Searched,
    /// Entries of the cahier de texte, first on the first page only (they are few).
    pub entries: Vec<HomeworkItem>,
    /// The school's levels and subjects, then any other a visible document has.
    pub levels: Vec<Level>,
    pub subjects: Vec<Subject>,
}

/// A document's page.
#[derive(Debug, Clone)]
pub struct DocumentPage {
    pub document: Document,
    /// The beginning of its text.
    pub excerpt: String,
}

/// What `public_only` visitors (families) may list.
fn visible(public_only: bool, limit: usize) -> DocumentFilter {
    DocumentFilter {
        public_only,
        limit,
        ..DocumentFilter::default()
    }
}

/// `first`, then what `found` adds.
fn merged<T: PartialEq + Clone>(first: &[T], found: Vec<T>) -> Vec<T> {
    let mut all = first.to_vec();
    all.extend(found.into_iter().filter(|item| !first.contains(item)));
    all
}

impl Core {
    /// The levels menus offer: the school's, then any other a document `public_only` visitors
    /// may see has.
    pub fn offered_levels(&self, school: &School, public_only: bool) -> Result<Vec<Level>, Error> {
        let (found_levels, _) = self.facets(public_only)?;
        Ok(merged(&school.levels, found_levels))
    }

    pub fn home_page(&self, school: &School, public_only: bool) -> Result<HomePage, Error> {
        let (documents, _) = self.list(&visible(public_only, HOME_LATEST))?;
        let groups = self
            .homework_classes()?
            .into_iter()
            .filter(|c| c.group().is_some())
            .collect();
        let week_ago = OffsetDateTime::now_utc() - Duration::from_secs(RECENT_DAYS * 86_400);
        Ok(HomePage {
            levels: self.offered_levels(school, public_only)?,
            groups,
            recent: documents
                .into_iter()
                .filter(|d| d.created >= week_ago)
                .collect(),
        })
    }

    /// Page `page` (from 1) of `level`'s documents, of `subject` only when given.
    pub fn level_page(
        &self,
        level: &Level,
        subject: Option<&Subject>,
        page: usize,
        public_only: bool,
    ) -> Result<LevelPage, Error> {
        let all_in_level = DocumentFilter {
            level: Some(level.clone()),
            offset: (page.max(1) - 1) * LIST_PER_PAGE,
            ..visible(public_only, LIST_PER_PAGE)
        };
        let filter = DocumentFilter {
            subject: subject.cloned(),
            ..all_in_level.clone()
        };
        Ok(LevelPage {
            list: self.list_page(&filter, page)?,
            subjects: self.subjects(&all_in_level)?,
        })
    }

    /// "Tout voir": page `page` (from 1) of every document, newest first.
    pub fn latest_page(&self, page: usize, public_only: bool) -> Result<ListPage, Error> {
        let filter = DocumentFilter {
            offset: (page.max(1) - 1) * LIST_PER_PAGE,
            ..visible(public_only, LIST_PER_PAGE)
        };
        self.list_page(&filter, page)
    }

    fn list_page(&self, filter: &DocumentFilter, page: usize) -> Result<ListPage, Error> {
        let (documents, total) = self.list(filter)?;
        Ok(ListPage {
            documents,
            total,
            has_next: page.max(1) * LIST_PER_PAGE < total,
        })
    }

    /// The search page; `today` dates the cahier de texte entries found.
    pub fn search_page(
        &self,
        school: &School,
        ask: &SearchAsk,
        today: Date,
        public_only: bool,
    ) -> Result<SearchResults, Error> {
        let (found_levels, found_subjects) = self.facets(public_only)?;
        let mut results = SearchResults {
            searched: Searched::NoWords,
            entries: Vec::new(),
            levels: merged(&school.levels, found_levels),
            subjects: merged(&school.subjects, found_subjects),
        };
        if ask.text.trim().is_empty() {
            return Ok(results);
        }
        if ask.page <= 1 {
            results.entries = self.search_homework(&ask.text, today, public_only)?;
        }
        let filter = DocumentFilter {
            level: ask.level.clone(),
            subject: ask.subject.clone(),
            offset: (ask.page.max(1) - 1) * SEARCH_PER_PAGE,
            ..visible(public_only, SEARCH_PER_PAGE)
        };
        results.searched = match self.search_documents(&ask.text, &filter) {
            Ok(found) => Searched::Found(found),
            Err(Error::InvalidInput(message)) => Searched::Unreadable(message),
            Err(other) => return Err(other),
        };
        Ok(results)
    }

    /// A document's page; a staff-only document is not found for families.
    pub fn document_page(&self, id: &DocumentId, public_only: bool) -> Result<DocumentPage, Error> {
        let document = self.get(id)?;
        let text = self.text(id)?;
        if public_only && document.visibility == Visibility::Staff {
            return Err(Error::NotFound);
        }
        Ok(DocumentPage {
            document,
            excerpt: text.chars().take(EXCERPT_CHARS).collect(),
        })
    }

    /// A document and its stored file, for sending; a staff-only one is not found for families.
    pub fn document_file(
        &self,
        id: &DocumentId,
        public_only: bool,
    ) -> Result<(Document, PathBuf), Error> {
        let (document, path) = self.download(id)?;
        if public_only && document.visibility == Visibility::Staff {
            return Err(Error::NotFound);
        }
        Ok((document, path))
    }
}

impl Library {
    pub async fn offered_levels(
        &self,
        school: School,
        public_only: bool,
    ) -> Result<Vec<Level>, Error> {
        self.run(move |core| core.offered_levels(&school, public_only))
            .await
    }

    pub async fn home_page(&self, school: School, public_only: bool) -> Result<HomePage, Error> {
        self.run(move |core| core.home_page(&school, public_only))
            .await
    }

    pub async fn level_page(
        &self,
        level: Level,
        subject: Option<Subject>,
        page: usize,
        public_only: bool,
    ) -> Result<LevelPage, Error> {
        self.run(move |core| core.level_page(&level, subject.as_ref(), page, public_only))
            .await
    }

    pub async fn latest_page(&self, page: usize, public_only: bool) -> Result<ListPage, Error> {
        self.run(move |core| core.latest_page(page, public_only))
            .await
    }

    pub async fn search_page(
        &self,
        school: School,
        ask: SearchAsk,
        today: Date,
        public_only: bool,
    ) -> Result<SearchResults, Error> {
        self.run(move |core| core.search_page(&school, &ask, today, public_only))
            .await
    }

    pub async fn document_page(
        &self,
        id: DocumentId,
        public_only: bool,
    ) -> Result<DocumentPage, Error> {
        self.run(move |core| core.document_page(&id, public_only))
            .await
    }

    pub async fn document_file(
        &self,
        id: DocumentId,
        public_only: bool,
    ) -> Result<(Document, PathBuf), Error> {
        self.run(move |core| core.document_file(&id, public_only))
            .await
    }
}
