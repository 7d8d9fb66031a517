//! The documents the staff's cahier de texte form shows: those attached to the entry, and a few
//! to attach (the writer's newest, or what their words find among every document), never one
//! already attached. Staff see staff-only documents too.

use crate::model::{Document, DocumentFilter, DocumentId, Login};

use super::{Core, Error, Library};

/// Documents offered to attach under the form.
pub const OFFERED: usize = 8;

/// The form's documents.
#[derive(Debug, Clone)]
pub struct EntryDocuments {
    /// The entry's documents, in the order given (deleted ones left out).
    pub attached: Vec<Document>,
    /// Documents to attach, none already attached.
    pub offered: Vec<Document>,
}

impl Core {
    /// The form's documents for `writer`, with `attached` and the words `search` typed (empty:
    /// the writer's newest). Words the index cannot read offer nothing rather than fail the form.
    pub fn entry_documents(
        &self,
        writer: &Login,
        attached: &[DocumentId],
        search: &str,
    ) -> Result<EntryDocuments, Error> {
        let search = search.trim();
        let offered: Vec<Document> = if search.is_empty() {
            let mine = DocumentFilter {
                owner: Some(writer.to_string()),
                limit: OFFERED,
                ..DocumentFilter::default()
            };
            self.list(&mine)?.0
        } else {
            let all = DocumentFilter {
                limit: OFFERED,
                ..DocumentFilter::default()
            };
            match self.search_documents(search, &all) {
                Ok(found) => found.documents.into_iter().map(|f| f.document).collect(),
                Err(Error::InvalidInput(_)) => Vec::new(),
                Err(other) => return Err(other),
            }
        };
        Ok(EntryDocuments {
            attached: self.documents(attached, false)?,
            offered: offered
                .into_iter()
                .filter(|d| !attached.contains(&d.id))
                .collect(),
        })
    }
}

impl Library {
    pub async fn entry_documents(
        &self,
        writer: Login,
        attached: Vec<DocumentId>,
        search: String,
    ) -> Result<EntryDocuments, Error> {
        self.run(move |core| core.entry_documents(&writer, &attached, &search))
            .await
    }
}
