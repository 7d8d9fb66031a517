//! Why a search hit matched, shown even when its text passage does not: the query's words marked
//! in the title, and the metadata they named when the passage marks nothing ("SVT" names the
//! subject Sciences de la vie et de la Terre, "2nde" the level Seconde, a word the file name).

use crate::index::Marker;
use crate::model::{escape_html, Document};

/// One document found, with what shows why.
#[derive(Debug, Clone)]
pub struct FoundDocument {
    pub document: Document,
    /// The passage of its text: escaped HTML, `<mark>` around matches (it may have none).
    pub snippet: String,
    /// The title, escaped, with the matched words marked; `None` when the query matched none.
    pub title: Option<String>,
    /// The metadata the query matched, when the passage marks nothing (else empty).
    pub matched: Vec<Matched>,
}

/// A piece of metadata the query matched, as escaped HTML with `<mark>` around the match.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    pub field: MatchedField,
    pub html: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedField {
    Subject,
    Level,
    Class,
    Author,
    FileName,
}

impl MatchedField {
    /// What pages call it, in French and in English.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            MatchedField::Subject => ("Matière", "Subject"),
            MatchedField::Level => ("Niveau", "Year"),
            MatchedField::Class => ("Classe", "Class"),
            MatchedField::Author => ("Auteur", "Author"),
            MatchedField::FileName => ("Fichier", "File"),
        }
    }
}

impl FoundDocument {
    pub(super) fn new(document: Document, snippet: String, marker: &Marker) -> FoundDocument {
        let title = marker.mark(&document.title);
        let matched = if snippet.contains("<mark>") {
            Vec::new()
        } else {
            metadata_matched(&document, marker, title.is_some())
        };
        FoundDocument {
            document,
            snippet,
            title,
            matched,
        }
    }

    /// The passage when it marks a match, else what did match said in French ("Titre :
    /// <mark>Calligraphie</mark> chinoise", "Matière : <mark>SVT</mark>"), else the passage: what
    /// the API and the command line show, in the hit's one `snippet` of the API contract.
    pub fn explained_snippet(&self) -> String {
        if self.snippet.contains("<mark>") {
            return self.snippet.clone();
        }
        let title = self.title.iter().map(|t| format!("Titre : {t}"));
        let matched = self
            .matched
            .iter()
            .map(|m| format!("{} : {}", m.field.labels().0, m.html));
        let lines: Vec<String> = title.chain(matched).collect();
        if lines.is_empty() {
            return self.snippet.clone();
        }
        lines.join(" · ")
    }
}

fn metadata_matched(document: &Document, marker: &Marker, title_matched: bool) -> Vec<Matched> {
    // A school word ("svt", "2nde") matches one of the names, not the name shown: then the
    // whole name shown is what it matched.
    let named = |shown: &str, names: &[&str]| {
        marker.mark(shown).or_else(|| {
            names
                .iter()
                .any(|n| marker.matches_any(n))
                .then(|| format!("<mark>{}</mark>", escape_html(shown)))
        })
    };
    let mut matched = Vec::new();
    let mut push = |field, html: Option<String>| {
        if let Some(html) = html {
            matched.push(Matched { field, html });
        }
    };
    if let Some(subject) = &document.subject {
        push(
            MatchedField::Subject,
            named(subject.as_str(), &subject.search_names()),
        );
    }
    for level in &document.levels {
        push(
            MatchedField::Level,
            named(level.full_name(), &level.search_names()),
        );
    }
    if let Some(class) = &document.class {
        push(MatchedField::Class, marker.mark(class));
    }
    if let Some(author) = &document.author {
        push(MatchedField::Author, marker.mark(author));
    }
    // The file name most often repeats the title: said only when the title did not match.
    if !title_matched {
        push(MatchedField::FileName, marker.mark(&document.file_name));
    }
    matched
}
