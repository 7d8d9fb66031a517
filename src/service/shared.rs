//! Short addresses for selections: a printed pack's cover gives `/s/K7M2` rather than a line of
//! ids, and the address leads back to the same documents, for as long as the paper lasts.

use time::OffsetDateTime;

use crate::model::{Document, DocumentId, ShortCode, SHORT_CODE_LENGTHS};

use super::{Core, Error};

/// Random codes tried at each length before a longer one: a clash is rare while few of the
/// 920,000 four-character codes are taken, and a crowded table moves to five characters.
const TRIES_PER_LENGTH: usize = 8;

impl Core {
    /// The short code of these documents, in this order: the one given before, or a new one.
    pub fn short_code(&self, ids: &[DocumentId]) -> Result<ShortCode, Error> {
        let catalog = self.store.catalog();
        if let Some(code) = catalog.selection_code(ids)? {
            return Ok(code);
        }
        let now = OffsetDateTime::now_utc().unix_timestamp();
        for length in SHORT_CODE_LENGTHS {
            for _ in 0..TRIES_PER_LENGTH {
                let code = ShortCode::generate(length);
                if catalog.insert_selection(&code, ids, now)? {
                    return Ok(code);
                }
                // Refused: the code is taken, or a command beside the server stored these ids
                // meanwhile (then theirs is the code).
                if let Some(code) = catalog.selection_code(ids)? {
                    return Ok(code);
                }
            }
        }
        Err(Error::Internal("no free short code".into()))
    }

    /// The documents stored under `code` that families may see, in their order (removed ones
    /// and staff-only ones left out); not found for a code never given.
    pub fn shared_documents(&self, code: &ShortCode) -> Result<Vec<Document>, Error> {
        let ids = self
            .store
            .catalog()
            .selection(code)?
            .ok_or(Error::NotFound)?;
        self.public_documents(&ids)
    }
}
