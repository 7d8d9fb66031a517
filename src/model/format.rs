//! The file formats cartable recognises, detected from content (see `extract::detect`).

use serde::{Deserialize, Serialize};

/// A recognised document format. The name is stored in the catalog, so variants are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Odt,
    Pptx,
    Odp,
    Xlsx,
    Ods,
    Html,
    Text,
    Markdown,
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl Format {
    pub const ALL: [Format; 14] = [
        Format::Pdf,
        Format::Docx,
        Format::Odt,
        Format::Pptx,
        Format::Odp,
        Format::Xlsx,
        Format::Ods,
        Format::Html,
        Format::Text,
        Format::Markdown,
        Format::Png,
        Format::Jpeg,
        Format::Gif,
        Format::Webp,
    ];

    /// The stable name stored in the catalog and the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Pptx => "pptx",
            Format::Odp => "odp",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Html => "html",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// How a family reads the format ("PDF", "Document Word"), in French.
    pub fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "Document Word",
            Format::Odt => "Document OpenDocument",
            Format::Pptx => "Présentation PowerPoint",
            Format::Odp => "Présentation OpenDocument",
            Format::Xlsx => "Tableur Excel",
            Format::Ods => "Tableur OpenDocument",
            Format::Html => "Page web",
            Format::Text => "Texte",
            Format::Markdown => "Texte (Markdown)",
            Format::Png | Format::Jpeg | Format::Gif | Format::Webp => "Image",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Odt => "application/vnd.oasis.opendocument.text",
            Format::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Format::Odp => "application/vnd.oasis.opendocument.presentation",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Html => "text/html; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
        }
    }

    /// The usual extension, used when a stored name has none or a misleading one.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Pptx => "pptx",
            Format::Odp => "odp",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Html => "html",
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            Format::Png | Format::Jpeg | Format::Gif | Format::Webp
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_name_round_trips() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("exe"), None);
    }
}
