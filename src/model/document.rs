//! A document: one stored file plus what people said about it and what extraction found in it.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{Format, Level, Subject};

/// A document's stable short id. It is not the content hash: replacing the file keeps the id, so
/// links printed on paper or bookmarked on a phone keep working.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentId(String);

/// Letters that cannot be confused when read aloud or copied from paper (no 0/o, 1/l/i).
const ID_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const ID_LEN: usize = 8;

impl DocumentId {
    /// A new random id (8 characters, 31^8 ≈ 8.5e11 possibilities).
    pub fn generate() -> DocumentId {
        let mut bytes = [0u8; ID_LEN];
        // The OS random source failing is not something a document upload can recover from.
        getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
        let id = bytes
            .iter()
            .map(|b| ID_ALPHABET[usize::from(*b) % ID_ALPHABET.len()] as char)
            .collect();
        DocumentId(id)
    }

    /// Accepts only strings that could be ids, so a URL segment can be checked before any lookup.
    pub fn parse(text: &str) -> Option<DocumentId> {
        let valid = text.len() == ID_LEN && text.bytes().all(|b| ID_ALPHABET.contains(&b));
        valid.then(|| DocumentId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Ids as one value, for the catalog, basket cookies and links: `a.b.c`.
pub fn join_ids<'a>(ids: impl IntoIterator<Item = &'a DocumentId>) -> String {
    let mut joined = String::new();
    for id in ids {
        if !joined.is_empty() {
            joined.push('.');
        }
        joined.push_str(id.as_str());
    }
    joined
}

/// Reads `a.b.c` (or commas); malformed and repeated ids are dropped.
pub fn split_ids(text: &str) -> Vec<DocumentId> {
    let mut ids: Vec<DocumentId> = Vec::new();
    for id in text.split(['.', ',']).filter_map(DocumentId::parse) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Cned,
    #[default]
    Teacher,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Cned => "cned",
            Source::Teacher => "teacher",
        }
    }

    pub fn from_name(name: &str) -> Option<Source> {
        match name {
            "cned" => Some(Source::Cned),
            "teacher" => Some(Source::Teacher),
            _ => None,
        }
    }
}

/// Who may see a document: families (public) or only logged-in staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Public,
    Staff,
}

impl Visibility {
    pub fn name(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Staff => "staff",
        }
    }

    pub fn from_name(name: &str) -> Option<Visibility> {
        match name {
            "public" => Some(Visibility::Public),
            "staff" => Some(Visibility::Staff),
            _ => None,
        }
    }
}

/// What text extraction made of the file. Documents without text are still stored and found by
/// their title and metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextStatus {
    Ok,
    /// A valid file with no text layer: a scan, an image.
    NoText,
    /// A recognised file that could not be read: truncated, encrypted, corrupt.
    Damaged,
}

impl TextStatus {
    pub fn name(self) -> &'static str {
        match self {
            TextStatus::Ok => "ok",
            TextStatus::NoText => "no_text",
            TextStatus::Damaged => "damaged",
        }
    }

    pub fn from_name(name: &str) -> Option<TextStatus> {
        match name {
            "ok" => Some(TextStatus::Ok),
            "no_text" => Some(TextStatus::NoText),
            "damaged" => Some(TextStatus::Damaged),
            _ => None,
        }
    }
}

/// What a person says about a document when adding it or editing it. Every field is optional:
/// what is missing is inferred (title from the file, level and subject from folder names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub levels: Vec<Level>,
    pub class: Option<String>,
    pub subject: Option<Subject>,
    pub author: Option<String>,
    pub source: Option<Source>,
    pub due: Option<Date>,
    pub visibility: Option<Visibility>,
    /// The staff login adding the document; set by the caller that knows who is logged in,
    /// never from a form field, and never changed by an edit.
    pub owner: Option<String>,
}

/// A stored document as the catalog knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: DocumentId,
    pub title: String,
    pub levels: Vec<Level>,
    pub class: Option<String>,
    pub subject: Option<Subject>,
    pub author: Option<String>,
    pub source: Source,
    /// The name the file was uploaded or imported with, kept for downloads.
    pub file_name: String,
    pub format: Format,
    pub bytes: u64,
    pub sha256: String,
    pub pages: Option<u32>,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
    pub due: Option<Date>,
    pub visibility: Visibility,
    pub text_status: TextStatus,
    /// Why the text status is not `Ok`, in French, for staff.
    pub text_reason: Option<String>,
    /// The staff login who added it (`None` for imports from the command line).
    pub owner: Option<String>,
    pub downloads: u64,
}

/// Which documents a list or a search is restricted to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    pub level: Option<Level>,
    pub subject: Option<Subject>,
    pub class: Option<String>,
    /// Only the documents this staff login added.
    pub owner: Option<String>,
    /// Only the documents added on or after this day.
    pub since: Option<Date>,
    /// Families see only public documents; staff see everything.
    pub public_only: bool,
    pub limit: usize,
    pub offset: usize,
}

/// Most results one page may hold, and how deep pagination may go: anything bigger is a mistake
/// or an attack, and would cost memory in the search.
pub const MAX_PAGE_SIZE: usize = 100;
pub const MAX_OFFSET: usize = 10_000;

impl DocumentFilter {
    /// The page size and offset, kept within bounds.
    pub fn page(&self) -> (usize, usize) {
        (
            self.limit.clamp(1, MAX_PAGE_SIZE),
            self.offset.min(MAX_OFFSET),
        )
    }

    /// Public documents only, first `limit` of them.
    pub fn public(limit: usize) -> DocumentFilter {
        DocumentFilter {
            public_only: true,
            limit,
            ..DocumentFilter::default()
        }
    }
}

/// A document as a list or a search shows it: the JSON hit object of the API contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub file_name: String,
    /// The document page, relative to the server root.
    pub url: String,
    /// The file itself, relative to the server root.
    pub download_url: String,
    /// HTML-escaped text with `<mark>` around the words that matched (empty in plain lists).
    pub snippet: String,
    pub levels: Vec<String>,
    pub subject: Option<String>,
    pub format: String,
    pub bytes: u64,
}

impl Hit {
    pub fn new(document: &Document, snippet: String) -> Hit {
        Hit {
            id: document.id.to_string(),
            title: document.title.clone(),
            file_name: document.file_name.clone(),
            url: format!("/documents/{}", document.id),
            download_url: format!("/documents/{}/file", document.id),
            snippet,
            levels: document.levels.iter().map(|l| l.to_string()).collect(),
            subject: document.subject.as_ref().map(|s| s.to_string()),
            format: document.format.name().to_owned(),
            bytes: document.bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_joined_and_split_without_duplicates_or_junk() {
        let ids = split_ids("abcdefgh.zzzzzzzz,abcdefgh.../etc/passwd");
        assert_eq!(join_ids(&ids), "abcdefgh.zzzzzzzz");
    }

    #[test]
    fn generated_ids_parse_back_and_differ() {
        let a = DocumentId::generate();
        let b = DocumentId::generate();
        assert_ne!(a, b);
        assert_eq!(DocumentId::parse(a.as_str()), Some(a));
        assert_eq!(DocumentId::parse("../etc/p"), None);
        assert_eq!(DocumentId::parse("abc"), None);
    }

    #[test]
    fn enum_names_round_trip() {
        for status in [TextStatus::Ok, TextStatus::NoText, TextStatus::Damaged] {
            assert_eq!(TextStatus::from_name(status.name()), Some(status));
        }
        for source in [Source::Cned, Source::Teacher] {
            assert_eq!(Source::from_name(source.name()), Some(source));
        }
        for visibility in [Visibility::Public, Visibility::Staff] {
            assert_eq!(Visibility::from_name(visibility.name()), Some(visibility));
        }
    }
}
