//! STUB for the print-requests branch: the real printable-pack builder (cover, contents, merged
//! parts, built in a sandboxed child) replaces this file when the branches merge. Keep the
//! signatures exactly.

use std::io::Write;

use super::{Core, Error, Selection};

/// A printable pack built into a temporary file under the data folder; the file is deleted when
/// this is dropped.
#[derive(Debug)]
pub struct BuiltPack {
    pub path: tempfile::TempPath,
    /// Pages in the PDF: cover + contents + every part.
    pub pages: u32,
}

impl Core {
    /// Pages the printable pack of a selection will have, estimated from the catalog without
    /// building it (cover + contents + each document's pages or an estimate from its size).
    pub fn estimate_pack_pages(&self, selection: &Selection) -> Result<u32, Error> {
        let (_, items) = self.bundle(selection, "")?;
        Ok(2 + items.len() as u32)
    }

    /// Builds the printable pack (one PDF) of the public documents of a selection. `link` is the
    /// address printed as a QR code on the cover (where the family finds the documents online).
    /// Fails with `InvalidInput` when no public document matches.
    pub fn build_pack(
        &self,
        selection: &Selection,
        school: &str,
        link: Option<&str>,
    ) -> Result<BuiltPack, Error> {
        let _ = (school, link);
        let pages = self.estimate_pack_pages(selection)?;
        if pages <= 2 {
            return Err(Error::InvalidInput(
                "aucun document public ne correspond à cette sélection".to_owned(),
            ));
        }
        let mut file = tempfile::NamedTempFile::new().map_err(|e| Error::Internal(Box::new(e)))?;
        file.write_all(b"%PDF-1.7\n% stub pack\n%%EOF\n")
            .map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(BuiltPack {
            path: file.into_temp_path(),
            pages,
        })
    }
}
