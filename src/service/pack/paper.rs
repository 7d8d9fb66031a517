//! How each document goes on paper in a pack (as it is, as a picture, as typeset text, or not
//! at all), and the period a pack's documents span, as its cover says.

use crate::bundle::pack::Content;
use crate::model::{french_date, Document, Format};

/// Whether LibreOffice lays `document` out for print.
pub(super) fn is_office(document: &Document) -> bool {
    matches!(
        document.format,
        Format::Docx | Format::Odt | Format::Pptx | Format::Odp
    )
}

/// How a document goes on paper.
pub(super) fn content(document: &Document) -> Content {
    match document.format {
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
pub(super) fn period(documents: &[Document]) -> Option<String> {
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
