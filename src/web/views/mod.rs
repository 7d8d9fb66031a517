//! Pages as pure functions from data to markup (maud: checked at compile time, escaped by
//! default). Views never call services; handlers gather the data and pass it in.

pub mod homework;
pub mod homework_staff;
pub mod instruction;
pub mod kiosk;
pub mod layout;
pub mod print;
pub mod public;
pub mod reading;
pub mod staff;
pub mod tokens;
pub mod waiting;

use maud::{html, Markup, PreEscaped};

use crate::model::{join_ids, Document};
use crate::service::FoundDocument;
use crate::web::lang::Lang;
use crate::web::wording;

pub use layout::Frame;

/// "3 document(s), 2,4 Mo en tout." above a basket or a selection.
pub fn documents_total(documents: &[Document], lang: Lang) -> Markup {
    html! {
        p { (documents.len()) " " (lang.t("document(s), ", "document(s), ")) (wording::size(total_bytes(documents), lang)) " " (lang.t("en tout.", "in all.")) }
    }
}

/// "Télécharger tout (zip, 2,4 Mo)": the documents as one zip with its offline index; `class`
/// is the link's button style ("button", "button secondary").
pub fn zip_link(documents: &[Document], class: &str, lang: Lang) -> Markup {
    html! {
        a class=(class) href={ "/bundle.zip?ids=" (join_ids(documents.iter().map(|d| &d.id))) } download {
            (lang.t("Télécharger tout (zip, ", "Download all (zip, ")) (wording::size(total_bytes(documents), lang)) ")"
        }
    }
}

fn total_bytes(documents: &[Document]) -> u64 {
    documents.iter().map(|d| d.bytes).sum()
}

/// A labelled menu of a search filter (`niveau`, `matiere`), "Toutes" first.
pub fn filter_select<T: std::fmt::Display + PartialEq>(
    name: &str,
    label: &str,
    options: &[T],
    selected: Option<&T>,
    lang: Lang,
) -> Markup {
    html! {
        div {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                option value="" { (lang.t("Toutes", "All")) }
                @for option in options {
                    option value=(option) selected[selected == Some(option)] { (option) }
                }
            }
        }
    }
}

/// One document in a list: title, subject, teacher, date, "à faire pour", format and size, and
/// when it was found by a search, why: its snippet and the matched words of its title and
/// metadata, marked.
pub fn document_item(document: &Document, found: Option<&FoundDocument>, lang: Lang) -> Markup {
    html! {
        li {
            a.title href={ "/documents/" (document.id) } {
                // Escaped by the service, with <mark> added: trusted markup.
                @if let Some(title) = found.and_then(|f| f.title.as_deref()) { (PreEscaped(title)) }
                @else { (document.title) }
            }
            div.meta {
                @if let Some(subject) = &document.subject { (subject) " · " }
                @if !document.levels.is_empty() {
                    (document.levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")) " · "
                }
                @if let Some(author) = document.author.as_ref() { (author) " · " }
                (wording::day(document.created, lang)) " · "
                (document.format.label()) ", " (wording::size(document.bytes, lang))
            }
            @if let Some(due) = document.due {
                div.due { (lang.t("À faire pour le ", "Due on ")) (wording::date(due, lang)) }
            }
            @if let Some(found) = found { (why(found, lang)) }
        }
    }
}

/// Why a search found a document: the snippet (HTML-escaped by the index, with <mark> added:
/// trusted markup), then the metadata the query matched when the snippet marks nothing.
pub fn why(found: &FoundDocument, lang: Lang) -> Markup {
    html! {
        @if !found.snippet.is_empty() {
            p.snippet { (PreEscaped(&found.snippet)) }
        }
        @for matched in &found.matched {
            p.snippet.matched {
                (lang.t(matched.field.labels().0, matched.field.labels().1))
                (lang.t(" : ", ": ")) (PreEscaped(&matched.html))
            }
        }
    }
}

/// Where a paged list is.
#[derive(Debug, Clone, Copy)]
pub struct Pages {
    pub page: usize,
    pub has_next: bool,
}

/// "← Précédents" / "Suivants →" links; `href` gives the URL of a page number.
pub fn pager(lang: Lang, pages: Pages, href: impl Fn(usize) -> String) -> Markup {
    html! {
        nav.pages aria-label=(lang.t("Pages", "Pages")) {
            @if pages.page > 1 { a.button.secondary href=(href(pages.page - 1)) { (lang.t("← Précédents", "← Previous")) } }
            @if pages.has_next { a.button.secondary href=(href(pages.page + 1)) { (lang.t("Suivants →", "Next →")) } }
        }
    }
}
