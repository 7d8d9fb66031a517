//! "Trouver un document" at the kiosk: a search box and the class tiles, a class's documents,
//! and one document with what a family can do with it there (copy it, have it printed, open it
//! on their phone with a QR code).

use maud::{html, Markup, PreEscaped};

use crate::model::{ClassName, Document, Level};
use crate::service::{FoundDocument, QrModules};
use crate::web::lang::Lang;
use crate::web::wording;

use super::super::homework::{entry, Where};
use super::super::layout::encode;
use super::super::{pager, why, Pages};
use super::{another_class, back, classes, page, qr, Flow, KioskFrame};

/// The search results, when a search was made.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub query: &'a str,
    pub documents: &'a [FoundDocument],
    /// Cahier de texte entries the words name, shown first.
    pub entries: &'a [crate::service::HomeworkItem],
    /// Why the search could not run (a query too long), in the family's words.
    pub problem: Option<&'a str>,
    /// Whether the documents have every word searched for; when not, the page says so.
    pub all_words: bool,
}

/// `groups`: the classes within a level that have entries ("2nde B"), as tiles after the levels.
pub fn start(
    kiosk: &KioskFrame<'_>,
    levels: &[Level],
    groups: &[ClassName],
    found: Option<&Found<'_>>,
) -> Markup {
    let lang = kiosk.frame.lang;
    page(
        kiosk,
        Flow::Find.title(lang),
        html! {
            h1 { (Flow::Find.title(lang)) }
            form.search.kiosk-search method="get" action="/kiosque/trouver" role="search" {
                label.visually-hidden for="q" { (lang.t("Rechercher un document", "Search for a document")) }
                input #q type="search" name="q" value=[found.map(|f| f.query)] maxlength="500"
                    placeholder=(lang.t("Un mot : fractions, Révolution…", "A word: fractions, revolution…"));
                button type="submit" { (lang.t("Rechercher", "Search")) }
            }
            @if let Some(found) = found {
                @if !found.entries.is_empty() {
                    h2 { (lang.t("Consignes", "Homework")) }
                    ul.entries.kiosk-week {
                        @for item in found.entries { (entry(lang, item, None, Where::Kiosk)) }
                    }
                    h2 { (lang.t("Documents", "Documents")) }
                }
                @if let Some(problem) = found.problem {
                    p.notice.warn { (problem) }
                } @else if found.documents.is_empty() {
                    p.notice { (lang.t("Aucun document trouvé pour « ", "No document found for “")) (found.query) (lang.t(" ». Essayez un autre mot, ou choisissez la classe.", "”. Try another word, or choose the year.")) }
                } @else {
                    @if !found.all_words {
                        p.notice.partial { (lang.t(
                            "Aucun document ne contient tous vos mots ; voici ceux qui en contiennent une partie.",
                            "No document contains all your words; here are those that contain some of them.",
                        )) }
                    }
                    ul.kiosk-documents {
                        @for found in found.documents { (item(&found.document, Some(found), lang)) }
                    }
                }
            }
            (classes(Flow::Find, levels, 0, lang))
            @if !groups.is_empty() {
                ul.kiosk-classes {
                    @for class in groups {
                        li { a href={ "/kiosque/classes/" (class.slug()) } { (class) } }
                    }
                }
            }
            (back(lang))
        },
    )
}

pub fn level(
    kiosk: &KioskFrame<'_>,
    level: &Level,
    documents: &[Document],
    pages: Pages,
) -> Markup {
    let lang = kiosk.frame.lang;
    let segment = encode(level.as_str());
    page(
        kiosk,
        level.as_str(),
        html! {
            h1 { (level) }
            @if documents.is_empty() {
                p.kiosk-lead { (lang.t("Pas encore de document pour cette classe.", "No document for this year yet.")) }
            } @else {
                div.kiosk-actions {
                    a.button href={ "/kiosque/cle/" (segment) } { (lang.t("Tout copier sur ma clé", "Copy all to my stick")) }
                    a.button href={ "/kiosque/impression/" (segment) } { (lang.t("Tout faire imprimer", "Have all printed")) }
                }
                (list(documents, lang))
                (pager(lang, pages, |page| format!("/kiosque/trouver/{segment}?page={page}")))
            }
            (another_class(Flow::Find, lang))
        },
    )
}

fn list(documents: &[Document], lang: Lang) -> Markup {
    html! {
        ul.kiosk-documents {
            @for document in documents { (item(document, None, lang)) }
        }
    }
}

/// One document to pick; found by a search, with why (its snippet, its matched title and
/// metadata, marked).
fn item(document: &Document, found: Option<&FoundDocument>, lang: Lang) -> Markup {
    html! {
        li {
            a href={ "/kiosque/document/" (document.id) } {
                span.kiosk-pick-title {
                    // Escaped by the service, with <mark> added: trusted markup.
                    @if let Some(title) = found.and_then(|f| f.title.as_deref()) { (PreEscaped(title)) }
                    @else { (document.title) }
                }
                span.meta {
                    @if let Some(subject) = &document.subject { (subject) " · " }
                    (document.format.label()) ", " (wording::size(document.bytes, lang))
                }
                @if let Some(due) = document.due {
                    span.due { (lang.t("À faire pour le ", "Due on ")) (wording::date(due, lang)) }
                }
            }
            @if let Some(found) = found { (why(found, lang)) }
        }
    }
}

/// What the document page shows besides the document.
#[derive(Debug, Clone)]
pub struct DocumentView<'a> {
    pub document: &'a Document,
    pub excerpt: &'a str,
    /// Whether this visitor may copy to the machine's sticks.
    pub may_copy: bool,
    pub in_basket: bool,
    pub basket: usize,
    /// The document's page for a phone, as a QR code.
    pub phone_qr: Option<QrModules>,
}

pub fn document(kiosk: &KioskFrame<'_>, view: &DocumentView<'_>) -> Markup {
    let lang = kiosk.frame.lang;
    let document = view.document;
    let here = format!("/kiosque/document/{}", document.id);
    page(
        kiosk,
        &document.title,
        html! {
            h1 { (document.title) }
            p.kiosk-lead {
                @if let Some(subject) = &document.subject { (subject) " · " }
                (document.format.label()) ", " (wording::size(document.bytes, lang))
                @if let Some(pages) = document.pages { ", " (pages) " " (lang.t("page(s)", "page(s)")) }
            }
            @if let Some(due) = document.due { p.due { (lang.t("À faire pour le ", "Due on ")) (wording::date(due, lang)) } }
            div.kiosk-actions {
                @if view.may_copy {
                    (add_then(document, "/kiosque/cle/selection", lang.t("Copier sur ma clé USB", "Copy to my USB stick"), "kiosk-big"))
                }
                (add_then(document, "/kiosque/impression/selection", lang.t("Demander l'impression", "Ask for a printout"), "kiosk-big"))
                @if view.in_basket {
                    p.kiosk-picked { (lang.t("Dans ma sélection", "In my selection")) " (" (view.basket) ")" }
                } @else {
                    (add_then(document, &here, lang.t("Ajouter à ma sélection", "Add to my selection"), "secondary"))
                }
            }
            @if let Some(code) = &view.phone_qr {
                div.kiosk-code.kiosk-code-small {
                    (qr(code, lang.t("QR code de ce document", "QR code of this document")))
                    p { (lang.t("Scannez pour l'ouvrir sur votre téléphone.", "Scan to open it on your phone.")) }
                }
            }
            @if !view.excerpt.is_empty() {
                h2 { (lang.t("Début du document", "Beginning of the document")) }
                div.excerpt { (view.excerpt) }
            }
            (back(lang))
        },
    )
}

/// A button that puts the document in the family's selection, then goes to `next`.
fn add_then(document: &Document, next: &str, text: &str, class: &str) -> Markup {
    html! {
        form method="post" action="/kiosque/panier" {
            input type="hidden" name="action" value="ajouter";
            input type="hidden" name="id" value=(document.id);
            input type="hidden" name="retour" value=(next);
            button class=(class) type="submit" { (text) }
        }
    }
}
