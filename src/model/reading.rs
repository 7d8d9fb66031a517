//! A document's text laid out for reading on a phone: its headings, paragraphs, lists and code,
//! in order. Made by `extract` from the file (never trusted: the web escapes every word of it),
//! kept by the service, shown by the reading page.

use serde::{Deserialize, Serialize};

/// The readable text of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub blocks: Vec<Block>,
    /// The document goes on beyond what was kept (the rest is in the file).
    pub truncated: bool,
}

impl Reading {
    /// Whether there is nothing to read (a scan, a damaged or empty file).
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// One block of text. Texts have their runs of blank space folded; a paragraph's `\n` is a line
/// break its author made (a poem, an address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// `level` 1 is the document's own top level (its title, a Markdown `#`), up to 6.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    List {
        ordered: bool,
        items: Vec<String>,
    },
    /// Text whose spacing matters (program code), kept as it is.
    Code {
        text: String,
    },
    /// The start of a presentation's slide (numbered from 1).
    Slide {
        number: u32,
    },
}
