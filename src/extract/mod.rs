//! Everything that reads the inside of a file: format detection, text extraction per format,
//! text cleaning and title choice, and the structured text of the reading view (`reading`).
//! Parsing untrusted files happens in a child process of the same binary (`child`, confined with
//! the crate's `sandbox`), so a hostile file costs one failed extraction, never the server.

pub mod archive;
mod child;
mod detect;
mod html;
mod office;
mod pdf;
mod reading;
mod text;
mod title;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Format, TextStatus};

pub use child::{Extractor, Limits};
pub use detect::{detect, sniff_office_zip, sniff_office_zip_bytes, Kind};
pub use reading::{read_in_process, MAX_READING_BYTES};
pub use title::{choose as choose_title, from_file_name as title_from_file_name};

/// Files the extractor refuses, with the reason said to the person who gave them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("le fichier est vide")]
    Empty,
    #[error("type de fichier non reconnu (formats acceptés : PDF, Word, OpenDocument, PowerPoint, Excel, HTML, texte, images)")]
    Unrecognised,
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// What extraction found in a stored file. Travels as JSON from the child process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The title the document states (PDF Title, `dc:title`, first heading), unchecked.
    pub title: Option<String>,
    /// Clean text, at most the configured cap.
    pub text: String,
    pub pages: Option<u32>,
    pub status: TextStatus,
    /// Why the status is not `Ok`, in French.
    pub reason: Option<String>,
}

impl Extraction {
    pub fn failed(reason: impl Into<String>) -> Extraction {
        Extraction {
            title: None,
            text: String::new(),
            pages: None,
            status: TextStatus::Damaged,
            reason: Some(reason.into()),
        }
    }
}

/// Extracts text in this process. Only the `cartable extract` child calls it directly: anywhere
/// else use [`Extractor`], which runs it isolated.
pub fn extract_in_process(path: &Path, format: Format, max_text: usize) -> Extraction {
    let raw = match format {
        Format::Pdf => pdf::extract(path, max_text),
        Format::Docx | Format::Odt | Format::Pptx | Format::Odp | Format::Xlsx | Format::Ods => {
            match office::extract(path, format, max_text) {
                Ok(office) => ok_or_no_text(office.title, office.text, office.pages),
                Err(error) => {
                    tracing::debug!(path = %path.display(), %error, "office document unreadable");
                    Extraction::failed("le document est endommagé et ne peut pas être lu")
                }
            }
        }
        Format::Html => match read_prefix(path, max_text.saturating_mul(8)) {
            Ok(bytes) => {
                let page = html::extract(&bytes, max_text);
                ok_or_no_text(page.title, page.text, None)
            }
            Err(_) => Extraction::failed("le fichier ne peut pas être lu"),
        },
        Format::Text | Format::Markdown => match read_prefix(path, max_text.saturating_mul(2)) {
            Ok(bytes) => {
                let text = text::decode_utf8_or_cp1252(&bytes);
                let title = (format == Format::Markdown)
                    .then(|| markdown_heading(&text))
                    .flatten();
                ok_or_no_text(title, text, None)
            }
            Err(_) => Extraction::failed("le fichier ne peut pas être lu"),
        },
        Format::Png | Format::Jpeg | Format::Gif | Format::Webp => Extraction {
            title: None,
            text: String::new(),
            pages: Some(1),
            status: TextStatus::NoText,
            reason: Some("image : pas de texte à chercher".to_owned()),
        },
    };
    Extraction {
        text: text::clean(&raw.text, max_text),
        title: raw.title.map(|t| text::clean(&t, 1000)),
        ..raw
    }
}

/// The first `limit` bytes of a file: text beyond what is kept is never read.
fn read_prefix(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit as u64)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn ok_or_no_text(title: Option<String>, text: String, pages: Option<u32>) -> Extraction {
    let empty = text.trim().is_empty();
    Extraction {
        title,
        text,
        pages,
        status: if empty {
            TextStatus::NoText
        } else {
            TextStatus::Ok
        },
        reason: empty.then(|| "le document ne contient pas de texte".to_owned()),
    }
}

/// The first `# Heading` of a Markdown text.
fn markdown_heading(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("# "))
        .map(|heading| heading.trim().to_owned())
        .filter(|heading| !heading.is_empty())
}
