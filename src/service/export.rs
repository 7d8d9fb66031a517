//! Bundles for families without a connection: the public documents of a selection (level,
//! class, subject, since a date, or the ids of a basket) laid out for a zip or a USB folder.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use time::{OffsetDateTime, PrimitiveDateTime};

use crate::bundle::{self, Cover, Item, Progress};
use crate::model::{fold, french_date, Document, DocumentFilter, DocumentId, Format, Visibility};

use super::{Core, Error};

/// What goes into a bundle: a filter over public documents, or the documents of a basket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub filter: DocumentFilter,
    /// A basket's documents; the filter is ignored when given.
    pub ids: Option<Vec<DocumentId>>,
}

/// Words of a document kept for the offline search of a bundle.
const OFFLINE_WORDS: usize = 1500;

impl Core {
    /// The public documents of a selection, ready for a bundle (words for the offline search
    /// included).
    pub fn bundle(&self, selection: &Selection, school: &str) -> Result<(Cover, Vec<Item>), Error> {
        let (cover, documents, mut items) = self.bundle_files(selection, school)?;
        for (item, words) in items.iter_mut().zip(self.offline_words(&documents)?) {
            item.words = words;
        }
        Ok((cover, items))
    }

    /// The documents of a selection and their items, words not filled in yet: folding every
    /// word of their texts is the slow part, which a USB copy does while the files copy.
    fn bundle_files(
        &self,
        selection: &Selection,
        school: &str,
    ) -> Result<(Cover, Vec<Document>, Vec<Item>), Error> {
        let documents = self.selected(selection)?;
        let items = documents
            .iter()
            .map(|document| item(document, self.store.blobs().path(&document.sha256)))
            .collect();
        let cover = Cover {
            school: school.to_owned(),
            selection: selection_title(&selection.filter, selection.ids.is_some()),
            date: french_date(OffsetDateTime::now_utc().date()),
            week: self.bundle_week(selection)?,
        };
        Ok((cover, documents, bundle::layout(items)))
    }

    /// Each document's words for the offline search, in order: its title's and subject's, then
    /// its text's as kept in the catalog (made from the text for texts stored before they were).
    fn offline_words(&self, documents: &[Document]) -> Result<Vec<String>, Error> {
        let catalog = self.store.catalog();
        documents
            .iter()
            .map(|document| {
                let text = match catalog.offline_words(&document.id)? {
                    Some(words) => words,
                    None => text_words(&catalog.text(&document.id)?.unwrap_or_default()),
                };
                // Its level's and subject's school names too: "svt" or "terminale" find it offline.
                let mut named = vec![document.title.as_str()];
                if let Some(subject) = &document.subject {
                    named.push(subject.as_str());
                    named.extend(subject.search_names());
                }
                for level in &document.levels {
                    named.extend(level.search_names());
                }
                Ok(with_text_words(offline_words(&named), &text))
            })
            .collect()
    }

    /// Those of `ids` that families may see, in that order, each once; removed ones are skipped.
    pub fn public_documents(&self, ids: &[DocumentId]) -> Result<Vec<Document>, Error> {
        self.documents(ids, true)
    }

    /// Those of `ids` that still exist (only public ones when `public_only`), in that order,
    /// each once: a basket's or a selection's documents.
    pub fn documents(&self, ids: &[DocumentId], public_only: bool) -> Result<Vec<Document>, Error> {
        let mut seen = BTreeSet::new();
        let mut documents = Vec::new();
        for id in ids.iter().filter(|id| seen.insert((*id).clone())) {
            match self.get(id) {
                Ok(document) if !public_only || document.visibility == Visibility::Public => {
                    documents.push(document)
                }
                Ok(_) | Err(Error::NotFound) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(documents)
    }

    /// The public documents of a selection: a basket's in its order, a filter's newest first.
    pub fn selected(&self, selection: &Selection) -> Result<Vec<Document>, Error> {
        Ok(match &selection.ids {
            Some(ids) => self.public_documents(ids)?,
            None => {
                let filter = DocumentFilter {
                    public_only: true,
                    ..selection.filter.clone()
                };
                self.store.catalog().list_all(&filter)?
            }
        })
    }

    /// The zip of a selection, ready to write: refused when no public document is in it, before
    /// a byte is written, so a phone gets a page saying so rather than an empty zip.
    pub fn prepare_zip(&self, selection: &Selection, school: &str) -> Result<PreparedZip, Error> {
        let (cover, items) = self.bundle(selection, school)?;
        if items.is_empty() {
            return Err(nothing_public());
        }
        Ok(PreparedZip { cover, items })
    }

    /// Writes the selection as a zip into `out` (streamed: nothing is built whole).
    pub fn export_zip<W: Write>(
        &self,
        selection: &Selection,
        school: &str,
        out: W,
    ) -> Result<W, Error> {
        let (cover, items) = self.bundle(selection, school)?;
        // An empty zip is a copy that looks made: say there is nothing instead, as the web does.
        if items.is_empty() {
            return Err(nothing_public());
        }
        bundle::write_zip(&cover, &items, out).map_err(stick_error)
    }

    /// USB sticks mounted on this machine (or standing in the `usb_folder`), with label and
    /// free space.
    pub fn removable_drives(&self) -> Vec<bundle::Drive> {
        match &self.usb_folder {
            Some(folder) => bundle::drives_in_folder(folder),
            None => bundle::removable_drives(),
        }
    }

    /// Copies the selection as a folder inside `target` (a USB stick); returns the folder.
    pub fn export_folder(
        &self,
        selection: &Selection,
        school: &str,
        target: &Path,
        progress: &dyn Fn(&Progress),
    ) -> Result<PathBuf, Error> {
        let (cover, documents, items) = self.bundle_files(selection, school)?;
        if items.is_empty() {
            return Err(nothing_public());
        }
        let name = format!("{} - {}", cover.selection, cover.date);
        let words = || {
            self.offline_words(&documents)
                .map_err(|e| std::io::Error::other(e.to_string()))
        };
        bundle::write_folder(&cover, items, words, target, &name, progress).map_err(folder_error)
    }
}

/// A zip's documents, found and laid out (see [`Core::prepare_zip`]).
#[derive(Debug)]
pub struct PreparedZip {
    cover: Cover,
    items: Vec<Item>,
}

impl PreparedZip {
    /// Writes the zip into `out` (streamed: nothing is built whole).
    pub fn write<W: Write>(&self, out: W) -> Result<W, Error> {
        bundle::write_zip(&self.cover, &self.items, out).map_err(stick_error)
    }
}

/// A selection with no public document in it (all removed, or staff-only).
fn nothing_public() -> Error {
    Error::InvalidInput("aucun document public ne correspond à cette sélection".to_owned())
}

/// A stick's trouble (full, read-only, pulled out) is said in French; anything else is ours.
fn folder_error(error: bundle::FolderError) -> Error {
    match error {
        bundle::FolderError::Io(io) => Error::Internal(Box::new(io)),
        other => Error::InvalidInput(other.to_string()),
    }
}

fn stick_error(error: std::io::Error) -> Error {
    folder_error(bundle::FolderError::from(error))
}

/// "2nde — Mathématiques", "Documents depuis le 3 mars 2026", "Mon panier".
pub(super) fn selection_title(filter: &DocumentFilter, basket: bool) -> String {
    if basket {
        return "Documents choisis".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    parts.extend(filter.level.as_ref().map(|l| l.to_string()));
    parts.extend(filter.class.clone());
    parts.extend(filter.subject.as_ref().map(|s| s.to_string()));
    if let Some(since) = filter.since {
        parts.push(format!("depuis le {}", french_date(since)));
    }
    if parts.is_empty() {
        "Tous les documents".to_owned()
    } else {
        parts.join(" — ")
    }
}

fn item(document: &Document, source: PathBuf) -> Item {
    let level = document
        .levels
        .first()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "Tous niveaux".to_owned());
    let subject = document
        .subject
        .as_ref()
        .map(|s| s.to_string())
        .unwrap_or_else(|| "Autres".to_owned());
    let extension = std::path::Path::new(&document.file_name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_lowercase)
        .unwrap_or_else(|| document.format.extension().to_owned());
    Item {
        source,
        path: vec![
            level,
            subject,
            bundle::file_name(&document.title, &extension),
        ],
        bytes: document.bytes,
        sha256: document.sha256.clone(),
        title: document.title.clone(),
        levels: document.levels.iter().map(|l| l.to_string()).collect(),
        subject: document.subject.as_ref().map(|s| s.to_string()),
        date: french_date(document.created.date()),
        modified: PrimitiveDateTime::new(document.created.date(), document.created.time()),
        compress: matches!(
            document.format,
            Format::Text | Format::Markdown | Format::Html
        ),
        words: String::new(),
    }
}

/// A text's words for the offline search, kept in the catalog with the text: folding every word
/// of every text was most of the time spent preparing a bundle.
pub(super) fn text_words(text: &str) -> String {
    offline_words(&[text])
}

/// `words` (a title's and a subject's: a few) followed by those of `text_words` (folded and
/// distinct already) they do not have, up to [`OFFLINE_WORDS`] in all.
fn with_text_words(mut words: String, text_words: &str) -> String {
    let head: Vec<String> = words.split(' ').map(str::to_owned).collect();
    let mut count = words.split(' ').filter(|w| !w.is_empty()).count();
    for word in text_words.split(' ') {
        if count >= OFFLINE_WORDS {
            break;
        }
        if !word.is_empty() && !head.iter().any(|h| h == word) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
            count += 1;
        }
    }
    words
}

/// The first distinct words of `texts`, folded (no accents, lower case), space-separated, for
/// the offline search. Word by word, stopping at [`OFFLINE_WORDS`]: folding whole texts to keep
/// that many was most of the time spent preparing a bundle.
fn offline_words(texts: &[&str]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    // Most words are plain ASCII: lower-cased into one reused buffer; only new words are copied.
    let mut lowered = String::new();
    for raw in texts
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .filter(|raw| raw.len() >= 2)
    {
        let folded = if raw.is_ascii() {
            lowered.clear();
            lowered.push_str(raw);
            lowered.make_ascii_lowercase();
            &lowered
        } else {
            lowered = fold(raw);
            &lowered
        };
        for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
            if word.len() >= 2 && !seen.contains(word) {
                seen.insert(word.to_owned());
                words.push(word.to_owned());
                if words.len() >= OFFLINE_WORDS {
                    return words.join(" ");
                }
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_words_are_folded_distinct_and_capped() {
        assert_eq!(
            offline_words(&["Théorème de Pythagore", "", "l’École, le THÉORÈME ; œuvre"]),
            "theoreme de pythagore ecole le ouvre"
        );
        let many: String = (0..3000).map(|n| format!("mot{n} ")).collect();
        assert_eq!(offline_words(&[&many]).split(' ').count(), OFFLINE_WORDS);
    }

    #[test]
    fn kept_text_words_give_what_the_whole_text_gives() {
        let title = "Théorème de Pythagore";
        let text = "l’École, le THÉORÈME ; œuvre de Pythagore";
        assert_eq!(
            with_text_words(offline_words(&[title, "Mathématiques"]), &text_words(text)),
            offline_words(&[title, "Mathématiques", text])
        );
        assert_eq!(
            with_text_words(String::new(), &text_words(text)),
            text_words(text)
        );
        let many: String = (0..3000).map(|n| format!("mot{n} ")).collect();
        let capped = with_text_words(offline_words(&[title]), &text_words(&many));
        assert_eq!(capped.split(' ').count(), OFFLINE_WORDS);
        assert!(capped.starts_with("theoreme de pythagore mot0 "));
    }
}
