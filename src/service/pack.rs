//! Printable packs: the public documents of a selection as one PDF (cover, contents, every
//! document), built by `bundle::pack` in a confined child process (`cartable pack`), since it
//! reads untrusted PDFs and pictures.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use time::OffsetDateTime;

use crate::bundle::pack::{self, Content, Part, Plan, Summary};
use crate::model::{french_date, Document, Format, Subject, TextStatus};
use crate::sandbox;

use super::export::selection_title;
use super::{Core, Error, Selection};

/// A printable pack in a temporary file, deleted when this is dropped.
#[derive(Debug)]
pub struct BuiltPack {
    pub path: tempfile::TempPath,
    /// Pages in the PDF: cover + contents + every part.
    pub pages: u32,
}

/// Limits of the child that builds a pack: more time than one extraction (it reads every
/// document of the selection), as much memory as the biggest PDF needs.
const PACK_WALL_TIME: Duration = Duration::from_secs(600);
const PACK_CPU_SECONDS: u64 = 300;
const PACK_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// A child that crashes on a document is run again without it, this many times at most.
const PACK_ATTEMPTS: usize = 3;
/// Characters of text that fill about one printed page, for estimates.
const CHARACTERS_PER_PAGE: usize = 3000;

impl Core {
    /// Pages the printable pack of a selection will have, estimated from the catalog without
    /// building it (cover + contents + each document's pages or an estimate from its text).
    pub fn estimate_pack_pages(&self, selection: &Selection) -> Result<u32, Error> {
        let documents = self.pack_documents(selection)?;
        let mut pages = 1 + pack::contents_pages(documents.len());
        for document in &documents {
            pages += match content(document) {
                Content::Pdf => document.pages.unwrap_or(1).max(1),
                Content::Text { .. } => {
                    let text = self.store.catalog().text(&document.id)?.unwrap_or_default();
                    (text.chars().count().div_ceil(CHARACTERS_PER_PAGE)).max(1) as u32
                }
                Content::Jpeg | Content::Png | Content::Unprintable { .. } => 1,
            };
        }
        Ok(pages)
    }

    /// Builds the printable pack (one PDF) of the public documents of a selection into the data
    /// folder's temporary files. `site` is the address families reach the resource point at
    /// (`http://192.168.1.10:8080`): the cover's QR code and the pages of documents that could
    /// not be printed point there.
    pub fn build_pack(
        &self,
        selection: &Selection,
        school: &str,
        site: Option<&str>,
    ) -> Result<BuiltPack, Error> {
        let tmp = self.store.blobs().tmp_dir().to_owned();
        self.build_pack_in(selection, school, site, &tmp)
    }

    /// The same, with the temporary file in `dir` (the destination, for the command line).
    pub fn build_pack_in(
        &self,
        selection: &Selection,
        school: &str,
        site: Option<&str>,
        dir: &Path,
    ) -> Result<BuiltPack, Error> {
        let site = site.map(|s| s.trim_end_matches('/'));
        let documents = self.pack_documents(selection)?;
        if documents.is_empty() {
            return Err(Error::InvalidInput(
                "aucun document public ne correspond à cette sélection".to_owned(),
            ));
        }
        let mut plan = Plan {
            school: school.to_owned(),
            selection: selection_title(&selection.filter, selection.ids.is_some()),
            prepared: french_date(OffsetDateTime::now_utc().date()),
            period: period(&documents),
            link: site.map(|site| online_copy(site, &documents)),
            parts: documents.iter().map(|d| self.part(d, site)).collect(),
        };
        let file = tempfile::Builder::new()
            .prefix(".cartable-imprimable-")
            .suffix(".pdf")
            .tempfile_in(dir)
            .map_err(|e| Error::Internal(Box::new(e)))?
            .into_temp_path();
        for _ in 0..PACK_ATTEMPTS {
            match self.run_pack_child(&plan, &file)? {
                Ok(summary) => {
                    return Ok(BuiltPack {
                        path: file,
                        pages: summary.pages,
                    })
                }
                Err(Some(culprit)) => {
                    tracing::warn!(document = %documents[culprit].id, "a document made the printable pack fail; retrying without it");
                    plan.parts[culprit].content = Content::Unprintable {
                        reason: "le fichier n'a pas pu être lu pour l'impression".to_owned(),
                    };
                }
                Err(None) => break,
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

    fn part(&self, document: &Document, site: Option<&str>) -> Part {
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
            source: self.store.blobs().path(&document.sha256),
            content: content(document),
            location,
        }
    }

    /// Runs `cartable pack` on the plan; `Err(Some(i))` when part `i` made the child fail.
    fn run_pack_child(
        &self,
        plan: &Plan,
        file: &Path,
    ) -> Result<Result<Summary, Option<usize>>, Error> {
        let input = serde_json::to_vec(plan).map_err(|e| Error::Internal(Box::new(e)))?;
        let mut command = Command::new(self.extractor.program());
        command
            .arg("pack")
            .arg("--memory-bytes")
            .arg(PACK_MEMORY_BYTES.to_string())
            .arg("--cpu-seconds")
            .arg(PACK_CPU_SECONDS.to_string())
            .arg("--out")
            .arg(file);
        let (status, stdout, stderr) = match sandbox::run(command, &input, PACK_WALL_TIME, 1 << 20)
        {
            sandbox::Outcome::Exited {
                status,
                stdout,
                stderr,
            } => (Some(status), stdout, stderr),
            sandbox::Outcome::TimedOut { stderr } => (None, Vec::new(), stderr),
            sandbox::Outcome::CannotStart(error) => return Err(Error::Internal(Box::new(error))),
        };
        if status.is_some_and(|s| s.success()) {
            return match serde_json::from_slice::<Summary>(&stdout) {
                Ok(summary) => Ok(Ok(summary)),
                Err(error) => Err(Error::Internal(Box::new(error))),
            };
        }
        let stderr = String::from_utf8_lossy(&stderr);
        tracing::warn!(?status, output = %stderr.trim(), "the printable pack child failed");
        // The child says "part N" before reading each document: the last one said is the culprit.
        let culprit = stderr.lines().rev().find_map(|line| {
            line.strip_prefix(pack::PART_STARTED)?
                .trim()
                .parse::<usize>()
                .ok()
        });
        Ok(Err(culprit))
    }
}

/// How a document goes on paper.
fn content(document: &Document) -> Content {
    match document.format {
        // A damaged PDF can still parse, with pages that print blank: say so instead.
        Format::Pdf if document.text_status == TextStatus::Damaged => Content::Unprintable {
            reason: document
                .text_reason
                .clone()
                .unwrap_or_else(|| "le fichier est endommagé".to_owned()),
        },
        Format::Pdf => Content::Pdf,
        Format::Jpeg => Content::Jpeg,
        Format::Png => Content::Png,
        Format::Text
        | Format::Markdown
        | Format::Html
        | Format::Docx
        | Format::Odt
        | Format::Pptx
        | Format::Odp => Content::Text {
            format: document.format,
        },
        Format::Xlsx | Format::Ods => Content::Unprintable {
            reason: "un tableur ne s'imprime pas lisiblement ici".to_owned(),
        },
        Format::Gif | Format::Webp => Content::Unprintable {
            reason: "ce format d'image ne s'imprime pas ici".to_owned(),
        },
    }
}

/// "Documents du 3 mars au 12 novembre 2026", or "Document du 3 mars 2026".
fn period(documents: &[Document]) -> Option<String> {
    let first = documents.iter().map(|d| d.created.date()).min()?;
    let last = documents.iter().map(|d| d.created.date()).max()?;
    Some(if first == last {
        format!("Documents du {}", french_date(first))
    } else {
        format!(
            "Documents du {} au {}",
            french_date(first),
            french_date(last)
        )
    })
}

/// Most documents a QR code links to one by one; a bigger pack links to the home page, since
/// its QR code would be too dense for an old phone's camera.
const QR_DOCUMENTS: usize = 40;

/// The page listing the pack's documents online. Public pages' addresses are stable (they are
/// printed on paper), so the service may name them.
fn online_copy(site: &str, documents: &[Document]) -> String {
    if documents.len() > QR_DOCUMENTS {
        return format!("{site}/");
    }
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    format!("{site}/selection?ids={}", ids.join("."))
}
