//! What the service asks of a pack (the plan), what comes back (the summary), and what the
//! `cartable pack` child says to its parent on the way. All of it crosses the process boundary
//! as JSON or lines of text.

use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::Format;

/// Everything the pack shows, decided by the service from the catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub school: String,
    /// "2nde — Mathématiques", "Documents choisis".
    pub selection: String,
    /// "28 novembre 2026".
    pub prepared: String,
    /// "Documents du 3 mars au 12 novembre 2026".
    pub period: Option<String>,
    /// Where the documents are online, printed as a QR code on the cover.
    pub link: Option<String>,
    pub parts: Vec<Part>,
    /// A class's week printed first, instead of the cover (`/classes/{slug}/paquet.pdf`).
    #[serde(default)]
    pub sheet: Option<Sheet>,
}

/// What the service puts on a week's sheet, all in words already.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Sheet {
    pub school: String,
    /// "Seconde B".
    pub class: String,
    /// "Semaine du 30 novembre au 6 décembre 2026".
    pub week: String,
    pub days: Vec<SheetDay>,
    /// The class's page on the school's site, printed at the end (and where a long week stops).
    pub link: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SheetDay {
    /// "Pour le lundi 30 novembre".
    pub heading: String,
    pub entries: Vec<SheetEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SheetEntry {
    /// "Mathématiques", or "Mathématiques · 2nde B" on a whole level's sheet.
    pub heading: String,
    /// As the teacher typed it, line breaks kept.
    pub instruction: String,
    pub documents: Vec<SheetDocument>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SheetDocument {
    pub title: String,
    /// Its page on the school's site; without a known address the title prints alone.
    pub link: Option<String>,
}

/// One document of the pack.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub title: String,
    /// "Mathématiques · 2nde · 12 mars 2026".
    pub details: String,
    pub source: PathBuf,
    pub content: Content,
    /// Where a family finds the document when it cannot be printed (a link or a place).
    pub location: String,
}

/// How a part goes on paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// Pages copied as they are.
    Pdf,
    Jpeg,
    Png,
    /// Text, read by extraction, set on A4 pages.
    Text {
        format: Format,
    },
    /// Known in advance not to print (a spreadsheet, a damaged file), with the reason.
    Unprintable {
        reason: String,
    },
}

/// What went into the pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub pages: u32,
    pub parts: Vec<PartSummary>,
    /// SHA-256 of the file as written, to check it once it is on a stick.
    #[serde(default)]
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartSummary {
    pub first_page: u32,
    pub pages: u32,
    /// Why the part was replaced by a page saying where to find it.
    pub not_printed: Option<String>,
}

/// How far the pack has got: told to the caller before each part is read and once all are in,
/// so that if the process dies, its parent knows whether a document caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Part(usize),
    PartsDone,
}

impl Step {
    /// The line the `cartable pack` child writes on stdout for this step.
    pub fn line(self) -> String {
        match self {
            Step::Part(index) => format!("part {index}"),
            Step::PartsDone => "parts done".to_owned(),
        }
    }

    pub fn parse(line: &str) -> Option<Step> {
        match line.trim() {
            "parts done" => Some(Step::PartsDone),
            other => other.strip_prefix("part ")?.parse().ok().map(Step::Part),
        }
    }
}

/// Why the pack file could not be written, as the child tells its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteFailure {
    NoSpace,
    ReadOnly,
    Other,
}

impl WriteFailure {
    const PREFIX: &str = "write failed: ";

    /// What an error says, looking through errors that wrap an `io::Error` (a full disk
    /// wrapped as "other" must not read as a stick pulled out).
    pub fn of(error: &io::Error) -> WriteFailure {
        let inner = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<io::Error>());
        if let Some(inner) = inner {
            return WriteFailure::of(inner);
        }
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => WriteFailure::NoSpace,
            io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
                WriteFailure::ReadOnly
            }
            _ => WriteFailure::Other,
        }
    }

    pub fn line(self) -> String {
        let name = match self {
            WriteFailure::NoSpace => "no space",
            WriteFailure::ReadOnly => "read only",
            WriteFailure::Other => "other",
        };
        format!("{}{name}", WriteFailure::PREFIX)
    }

    pub fn parse(line: &str) -> Option<WriteFailure> {
        match line.trim().strip_prefix(WriteFailure::PREFIX)? {
            "no space" => Some(WriteFailure::NoSpace),
            "read only" => Some(WriteFailure::ReadOnly),
            _ => Some(WriteFailure::Other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_wrapped_as_another_error_is_still_a_full_disk() {
        // The printable pack blamed a pulled-out stick for a full disk: lopdf's error had been
        // wrapped in `io::Error::other`, which hid ENOSPC.
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(WriteFailure::of(&full), WriteFailure::NoSpace);
        assert_eq!(
            WriteFailure::of(&io::Error::other(full)),
            WriteFailure::NoSpace
        );
        assert_eq!(
            WriteFailure::of(&io::Error::other("broken")),
            WriteFailure::Other
        );
    }
}
