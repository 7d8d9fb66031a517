//! Printable packs: the public documents of a selection as one PDF (cover, contents, every
//! document), built by `bundle::pack` in a confined child process (`cartable pack`), since it
//! reads untrusted PDFs and pictures. Office files go in as the PDFs LibreOffice makes of them
//! (`convert`) when it is installed, else as text.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use time::OffsetDateTime;

use crate::bundle::pack::{self, Content, Part, Plan, WriteFailure};
use crate::convert;
use crate::model::{french_date, Document, Subject};

mod child;
mod paper;

use child::ChildEnd;
use paper::{content, is_office, period};

use super::export::selection_title;
use super::print::MAX_PAGES;
use super::{Core, Error, Selection};

/// A printable pack in a temporary file, deleted when this is dropped.
#[derive(Debug)]
pub struct BuiltPack {
    pub path: tempfile::TempPath,
    /// Pages in the PDF: cover + contents + every part.
    pub pages: u32,
    /// SHA-256 of the file as written.
    pub sha256: String,
    /// What it holds and when it was made, for a file name: "2nde — Mathématiques - 28 novembre
    /// 2026".
    pub name: String,
    /// The address on the cover (`http://192.168.1.10:8080/s/K7M2`), when a site was given.
    pub link: Option<String>,
    /// Office documents printed as plain text because LibreOffice, though configured, is not
    /// installed: the command line says so once.
    pub without_libreoffice: usize,
}

/// Packs built at once. Each may keep a core busy and take up to 2 GiB for a while; on a Pi, a
/// third waits for a "try again" rather than for memory. Families' printable versions take at
/// most `PACKS_AT_ONCE - 1`: one is always left for the desk's prints and the command line.
const PACKS_AT_ONCE: usize = 2;

/// How many packs are being built.
#[derive(Debug, Default)]
pub(super) struct PackSlots(Mutex<usize>);

/// A pack being built; its slot frees when dropped.
struct PackSlot<'a>(&'a PackSlots);

impl PackSlots {
    fn take(&self, for_families: bool) -> Result<PackSlot<'_>, Error> {
        let mut busy = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let limit = if for_families {
            PACKS_AT_ONCE - 1
        } else {
            PACKS_AT_ONCE
        };
        if *busy >= limit {
            return Err(Error::Busy(
                "des versions imprimables sont déjà en préparation : réessayez dans une minute"
                    .to_owned(),
            ));
        }
        *busy += 1;
        Ok(PackSlot(self))
    }
}

impl Drop for PackSlot<'_> {
    fn drop(&mut self) {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
    }
}

/// A child that crashes on a document is run again without it, this many times at most.
const PACK_ATTEMPTS: usize = 3;
/// Characters of text that fill about one typeset page, for estimates (paragraph breaks leave
/// lines short; on the corpus this estimates 1,673 pages for 1,697 printed).
const CHARACTERS_PER_PAGE: usize = 2400;

impl Core {
    /// Pages the printable pack of a selection will have, estimated from the catalog without
    /// building it (cover + contents + each document's pages or an estimate from its text).
    pub fn estimate_pack_pages(&self, selection: &Selection) -> Result<u32, Error> {
        self.estimate_pages(&self.pack_documents(selection)?)
    }

    /// The estimated pages of these documents' pack, refused above [`MAX_PAGES`].
    pub(super) fn printable_pages(&self, documents: &[Document]) -> Result<u32, Error> {
        let pages = self.estimate_pages(documents)?;
        if pages > MAX_PAGES {
            return Err(Error::InvalidInput(format!(
                "ce dossier ferait environ {pages} pages, {MAX_PAGES} au plus : retirez des documents, ou emportez-les sur une clé USB ou en zip"
            )));
        }
        Ok(pages)
    }

    fn estimate_pages(&self, documents: &[Document]) -> Result<u32, Error> {
        let mut pages = 1 + pack::contents_pages(documents.len());
        let catalog = self.store.catalog();
        for document in documents {
            pages += match content(document) {
                Content::Pdf => document.pages.unwrap_or(1).max(1),
                Content::Text { .. } => {
                    let chars = catalog.text_chars(&document.id)?;
                    chars.div_ceil(CHARACTERS_PER_PAGE).max(1) as u32
                }
                Content::Jpeg | Content::Png | Content::Unprintable { .. } => 1,
            };
        }
        Ok(pages)
    }

    /// Builds the printable pack (one PDF) of the public documents of a selection, as a
    /// temporary file in `dir` (the destination, for the command line) or else in the data
    /// folder's temporary files. `site` is the address families reach the resource point at
    /// (`http://192.168.1.10:8080`): the cover's QR code and the pages of documents that could
    /// not be printed point there.
    pub fn build_pack(
        &self,
        selection: &Selection,
        school: &str,
        site: Option<&str>,
        dir: Option<&Path>,
    ) -> Result<BuiltPack, Error> {
        let documents = self.pack_documents(selection)?;
        let _slot = self.packs.take(false)?;
        let title = selection_title(&selection.filter, selection.ids.is_some());
        self.build(documents, title, school, site, dir, None)
    }

    /// The printable version a family downloads: refused above `MAX_PAGES` (that much is a
    /// USB stick's or a zip's job), so a basket of 100 big documents cannot keep the server busy.
    pub fn printable_version(
        &self,
        selection: &Selection,
        school: &str,
        site: Option<&str>,
    ) -> Result<BuiltPack, Error> {
        let documents = self.pack_documents(selection)?;
        let title = selection_title(&selection.filter, selection.ids.is_some());
        self.printable_documents(documents, title, school, site, None)
    }

    /// A family's printable pack of `documents` (a basket's, a class's week with its `sheet`),
    /// refused above `MAX_PAGES` like [`Core::printable_version`].
    pub(super) fn printable_documents(
        &self,
        documents: Vec<Document>,
        title: String,
        school: &str,
        site: Option<&str>,
        sheet: Option<pack::Sheet>,
    ) -> Result<BuiltPack, Error> {
        self.printable_pages(&documents)?;
        let _slot = self.packs.take(true)?;
        self.build(documents, title, school, site, None, sheet)
    }

    /// Builds the pack of `documents` called `title`; with a `sheet` (a class's week), the sheet
    /// stands for the cover and the pack may hold no document besides it.
    fn build(
        &self,
        documents: Vec<Document>,
        title: String,
        school: &str,
        site: Option<&str>,
        dir: Option<&Path>,
        sheet: Option<pack::Sheet>,
    ) -> Result<BuiltPack, Error> {
        // Written in the data folder unless a destination (a stick, a folder) is given: then a
        // full disk is the data folder's, and said so.
        let in_data_folder = dir.is_none();
        let dir = dir.unwrap_or_else(|| self.store.blobs().tmp_dir());
        let site = site.map(|s| s.trim_end_matches('/'));
        if documents.is_empty() && sheet.is_none() {
            return Err(Error::InvalidInput(
                "aucun document public ne correspond à cette sélection".to_owned(),
            ));
        }
        let converted = self.converted(&documents);
        // PDFs converted before LibreOffice went away still count as laid out.
        let without_libreoffice = match &self.office {
            Some(office) if !office.installed() => documents
                .iter()
                .zip(&converted)
                .filter(|(document, pdf)| is_office(document) && pdf.is_none())
                .count(),
            _ => 0,
        };
        let link = match site {
            // The sheet has its own codes, to the class page and to each document.
            Some(_) if sheet.is_some() => None,
            Some(site) => {
                let ids: Vec<_> = documents.iter().map(|d| d.id.clone()).collect();
                Some(format!("{site}/s/{}", self.short_code(&ids)?))
            }
            None => None,
        };
        let mut plan = Plan {
            school: school.to_owned(),
            selection: title,
            prepared: french_date(OffsetDateTime::now_utc().date()),
            period: period(&documents),
            link: link.clone(),
            parts: documents
                .iter()
                .zip(converted)
                .map(|(document, pdf)| self.part(document, site, pdf))
                .collect(),
            sheet,
        };
        let file = tempfile::Builder::new()
            .prefix(".cartable-imprimable-")
            .suffix(".pdf")
            .tempfile_in(dir)
            .map_err(Error::io)?
            .into_temp_path();
        for _ in 0..PACK_ATTEMPTS {
            match child::run(self.extractor.program(), &plan, &file)? {
                ChildEnd::Built(summary) => {
                    return Ok(BuiltPack {
                        path: file,
                        pages: summary.pages,
                        sha256: summary.sha256,
                        name: format!("{} - {}", plan.selection, plan.prepared),
                        link,
                        without_libreoffice,
                    })
                }
                ChildEnd::CannotWrite(WriteFailure::NoSpace) if in_data_folder => {
                    return Err(Error::NoRoom(super::NoRoom::Full))
                }
                ChildEnd::CannotWrite(failure) => {
                    return Err(Error::InvalidInput(
                        match failure {
                            WriteFailure::NoSpace => {
                                "la destination est pleine : il n'y a plus assez de place pour écrire la version imprimable"
                            }
                            WriteFailure::ReadOnly => "la destination est protégée en écriture",
                            WriteFailure::Other if in_data_folder => {
                                "l'écriture de la version imprimable a échoué"
                            }
                            WriteFailure::Other => {
                                "l'écriture de la version imprimable a échoué (destination retirée ?)"
                            }
                        }
                        .to_owned(),
                    ))
                }
                ChildEnd::Died(Some(culprit))
                    if plan
                        .parts
                        .get(culprit)
                        .is_some_and(|p| !matches!(p.content, Content::Unprintable { .. })) =>
                {
                    tracing::warn!(document = %documents[culprit].id, "a document made the printable pack fail; retrying without it");
                    plan.parts[culprit].content = Content::Unprintable {
                        reason: "le fichier n'a pas pu être lu pour l'impression".to_owned(),
                    };
                }
                ChildEnd::Died(_) => break,
            }
        }
        Err(Error::Internal(
            "the printable pack could not be built".into(),
        ))
    }

    /// A filter's documents grouped by subject, oldest first within each; a basket's as chosen.
    fn pack_documents(&self, selection: &Selection) -> Result<Vec<Document>, Error> {
        let mut documents = self.selected(selection)?;
        if selection.ids.is_none() {
            // The catalog lists newest first; reversed, documents added within the same second
            // keep the order they were added in.
            documents.reverse();
            documents.sort_by_key(|d| (d.subject.as_ref().map(Subject::to_string), d.created));
        }
        Ok(documents)
    }

    /// The PDF LibreOffice made of each office document, when it is installed and could;
    /// `None` for the others, which print as they are (or as text).
    fn converted(&self, documents: &[Document]) -> Vec<Option<PathBuf>> {
        let mut pdfs = vec![None; documents.len()];
        let Some(office) = &self.office else {
            return pdfs;
        };
        let (positions, sources): (Vec<usize>, Vec<convert::Source>) = documents
            .iter()
            .enumerate()
            .filter(|(_, d)| is_office(d))
            .map(|(position, d)| {
                let source = convert::Source {
                    path: self.store.blobs().path(&d.sha256),
                    extension: d.format.extension(),
                    key: d.sha256.clone(),
                };
                (position, source)
            })
            .unzip();
        if sources.is_empty() {
            return pdfs;
        }
        let made = office.convert(
            &sources,
            &self.store.converted_dir(),
            self.store.blobs().tmp_dir(),
        );
        for (position, pdf) in positions.into_iter().zip(made) {
            pdfs[position] = pdf;
        }
        pdfs
    }

    /// How `document` goes into the pack: `converted` is its PDF made by LibreOffice, if any.
    fn part(&self, document: &Document, site: Option<&str>, converted: Option<PathBuf>) -> Part {
        let mut details: Vec<String> = Vec::new();
        details.extend(document.subject.as_ref().map(|s| s.to_string()));
        details.extend(document.levels.iter().map(|l| l.to_string()));
        details.push(french_date(document.created.date()));
        let location = match site {
            Some(site) => format!("{site}/documents/{}", document.id),
            None => format!("demandez le document n° {} à l'accueil", document.id),
        };
        Part {
            title: document.title.clone(),
            details: details.join(" · "),
            content: if converted.is_some() {
                Content::Pdf
            } else {
                content(document)
            },
            source: converted.unwrap_or_else(|| self.store.blobs().path(&document.sha256)),
            location,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_leave_a_pack_slot_for_the_desk() {
        let slots = PackSlots::default();
        let family = slots.take(true).unwrap();
        assert!(matches!(slots.take(true), Err(Error::Busy(_))));
        let desk = slots.take(false).unwrap();
        assert!(matches!(slots.take(false), Err(Error::Busy(_))));
        drop((family, desk));
        assert!(slots.take(true).is_ok());
    }
}
