//! "Lire": a document's text laid out for a phone (its headings under the page's title, its
//! paragraphs, lists and code), the page that waits for LibreOffice's PDF, and the page of a
//! document that cannot be read here. The document's words are escaped like any other text.

use maud::{html, Markup};

use crate::model::{fold, Block, Document, Format, Reading};
use crate::web::lang::Lang;
use crate::web::wording;

use super::layout::page;
use super::Frame;

/// Where "Lire" leads for a document, when it has a reading: the file itself for PDFs and
/// pictures (the browser shows them), the reading page for text and office documents.
pub fn reading_link(document: &Document) -> Option<String> {
    match document.format {
        Format::Pdf | Format::Png | Format::Jpeg | Format::Gif | Format::Webp => {
            Some(format!("/documents/{}/open", document.id))
        }
        Format::Docx
        | Format::Odt
        | Format::Pptx
        | Format::Odp
        | Format::Html
        | Format::Text
        | Format::Markdown => Some(format!("/documents/{}/lire", document.id)),
        Format::Xlsx | Format::Ods => None,
    }
}

pub fn text(frame: &Frame<'_>, document: &Document, reading: &Reading) -> Markup {
    let lang = frame.lang;
    // A document's first heading is often its title, already the page's `h1`.
    let repeats_title = matches!(reading.blocks.first(),
        Some(Block::Heading { text, .. }) if fold(text).trim() == fold(&document.title).trim());
    let blocks = &reading.blocks[usize::from(repeats_title)..];
    // The shallowest heading left is an `h2`, so the page's outline has no gap; under slides
    // (each an `h2`), their titles are one deeper.
    let slides = blocks.iter().any(|b| matches!(b, Block::Slide { .. }));
    let top = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
        .filter(|_| !slides)
        .unwrap_or(1);
    page(
        frame,
        &document.title,
        html! {
            h1 { (document.title) }
            (links(document, lang))
            @if reading.is_empty() {
                p.notice { (lang.t("Ce document n'a pas de texte à lire ici (document scanné, vide ou endommagé) : téléchargez-le pour l'ouvrir.",
                                   "This document has no text to read here (scanned, empty or damaged): download it to open it.")) }
            }
            article.reading {
                @for block in blocks { (block_markup(block, top, lang)) }
            }
            @if reading.truncated {
                p.notice.warn { (lang.t("Le document continue : la suite est dans le fichier à télécharger.",
                                        "The document goes on: the rest is in the file to download.")) }
            }
        },
    )
}

/// A block of the document; its headings of level `top` are `h2`, under the page's `h1`.
fn block_markup(block: &Block, top: u8, lang: Lang) -> Markup {
    html! {
        @match block {
            Block::Heading { level, text } => @match level.saturating_sub(top) {
                0 => h2 { (text) },
                1 => h3 { (text) },
                2 => h4 { (text) },
                3 => h5 { (text) },
                _ => h6 { (text) },
            },
            Block::Paragraph { text } => p {
                @for (n, line) in text.split('\n').enumerate() {
                    @if n > 0 { br; }
                    (line)
                }
            },
            Block::List { ordered: true, items } => ol { @for item in items { li { (item) } } },
            Block::List { ordered: false, items } => ul { @for item in items { li { (item) } } },
            Block::Code { text } => pre { code { (text) } },
            Block::Slide { number } => h2.slide { (lang.t("Diapositive ", "Slide ")) (number) },
        }
    }
}

/// "Retour au document" and "Télécharger (size)".
fn links(document: &Document, lang: Lang) -> Markup {
    html! {
        div.actions {
            a.button.secondary href={ "/documents/" (document.id) } { (lang.t("← Fiche du document", "← Document page")) }
            a.button.secondary href={ "/documents/" (document.id) "/file" } download {
                (lang.t("Télécharger", "Download")) " (" (wording::size(document.bytes, lang)) ")"
            }
        }
    }
}

/// While LibreOffice lays the document out: the page looks again by itself (no script).
pub fn converting(frame: &Frame<'_>, document: &Document) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        &document.title,
        html! {
            h1 { (document.title) }
            div.notice role="status" {
                p { strong { (lang.t("Le document est en préparation pour être lu sur cet écran.",
                                     "The document is being prepared to be read on this screen.")) } }
                p { (lang.t("Cela prend en général moins d'une minute. Cette page se met à jour toute seule.",
                            "This usually takes less than a minute. This page updates by itself.")) }
            }
            div.actions {
                a.button href={ "/documents/" (document.id) "/lire?texte" } {
                    (lang.t("Lire le texte tout de suite", "Read the text now"))
                }
            }
            (links(document, lang))
        },
    )
}

/// A document with no reading here (a spreadsheet).
pub fn nothing(frame: &Frame<'_>, document: &Document) -> Markup {
    let lang = frame.lang;
    page(
        frame,
        &document.title,
        html! {
            h1 { (document.title) }
            p.notice { (lang.t("Ce type de document ne se lit pas sur cette page : téléchargez-le pour l'ouvrir.",
                               "This kind of document cannot be read on this page: download it to open it.")) }
            (links(document, lang))
        },
    )
}
