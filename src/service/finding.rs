//! Finding documents: one by id, lists by filter, the French search (index first, the catalog
//! as the truth), and the menus' levels and subjects.

use crate::index::SearchRequest;
use crate::model::{Document, DocumentFilter, DocumentId, Hit, Level, Subject, Visibility};

use super::matched::FoundDocument;
use super::{Core, Error};

/// A page of search results as documents, each with its snippet (escaped HTML, `<mark>`ed) and
/// what it matched in its title and metadata.
#[derive(Debug, Clone)]
pub struct FoundDocuments {
    pub total: usize,
    pub documents: Vec<FoundDocument>,
    /// Whether the first documents have every word searched for (else none has: say so).
    pub all_words: bool,
}

/// A page of search results, in the API's shape.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub hits: Vec<Hit>,
}

impl Core {
    pub fn get(&self, id: &DocumentId) -> Result<Document, Error> {
        self.store.catalog().get(id)?.ok_or(Error::NotFound)
    }

    /// The stored text of a document (for excerpts).
    pub fn text(&self, id: &DocumentId) -> Result<String, Error> {
        Ok(self.store.catalog().text(id)?.unwrap_or_default())
    }

    /// Documents matching the filter, newest first, with the total count.
    pub fn list(&self, filter: &DocumentFilter) -> Result<(Vec<Document>, usize), Error> {
        Ok(self.store.catalog().list(filter)?)
    }

    /// Runs a search and returns hits in the API's shape.
    pub fn search(&self, text: &str, filter: &DocumentFilter) -> Result<SearchPage, Error> {
        let found = self.search_documents(text, filter)?;
        Ok(SearchPage {
            total: found.total,
            hits: found
                .documents
                .into_iter()
                .map(|found| Hit::new(&found.document, found.explained_snippet()))
                .collect(),
        })
    }

    /// Runs a search and returns the documents found with their snippets (what pages show).
    pub fn search_documents(
        &self,
        text: &str,
        filter: &DocumentFilter,
    ) -> Result<FoundDocuments, Error> {
        let request = SearchRequest {
            text: text.to_owned(),
            level: filter.level.as_ref().map(|l| l.to_string()),
            subject: filter.subject.as_ref().map(|s| s.to_string()),
            class: filter.class.clone(),
            public_only: filter.public_only,
            limit: filter.page().0,
            offset: filter.page().1,
        };
        let results = self.index.search(&request)?;
        let catalog = self.store.catalog();
        let mut documents = Vec::with_capacity(results.found.len());
        for found in results.found {
            let Some(id) = DocumentId::parse(&found.id) else {
                continue;
            };
            // The index may briefly lag a removal; the catalog is the truth.
            if let Some(document) = catalog.get(&id)? {
                if filter.public_only && document.visibility != Visibility::Public {
                    continue;
                }
                documents.push(FoundDocument::new(document, found.snippet, &results.marker));
            }
        }
        Ok(FoundDocuments {
            total: results.total,
            documents,
            all_words: results.all_words,
        })
    }

    /// The subjects of the documents a filter selects (say, a level's), for its menu.
    pub fn subjects(&self, filter: &DocumentFilter) -> Result<Vec<Subject>, Error> {
        Ok(self.store.catalog().subjects(filter)?)
    }

    /// Levels and subjects in use, for menus and filters: of public documents only when
    /// `public_only` (what a family sees).
    pub fn facets(&self, public_only: bool) -> Result<(Vec<Level>, Vec<Subject>), Error> {
        Ok(self.store.catalog().facets(public_only)?)
    }
}
