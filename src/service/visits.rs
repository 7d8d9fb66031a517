//! What every request needs before its page: who is visiting (a staff session, if any) and the
//! school settings; and what every download leaves behind (its count). The school settings and
//! the counts live in memory, so a family's request never waits for the blocking pool for them.

use crate::model::{DocumentId, School};

use super::{Error, Library, Staff};

impl Library {
    /// The staff member whose session `cookie` is, if it is a live one.
    pub async fn session(&self, cookie: String) -> Result<Option<Staff>, Error> {
        self.run(move |core| core.accounts().session(&cookie)).await
    }

    /// The school settings; `default_name` is used until an admin saves settings. Read from
    /// memory once read (`serve` reads them before taking requests), from the catalog before.
    pub async fn school(&self, default_name: &str) -> Result<School, Error> {
        if let Some(school) = self.core.cached_school() {
            return Ok(school);
        }
        let name = default_name.to_owned();
        self.run(move |core| core.school(&name)).await
    }

    /// Counts one download of a document. In memory (see [`super::Core::count_download`]): no
    /// blocking work, so it is called from async code as it is.
    pub fn count_download(&self, id: &DocumentId) {
        self.core.count_download(id);
    }
}
