//! The reading view's text: the headings, paragraphs, lists and code of a Markdown, text, HTML,
//! Word, OpenDocument or slide file, for a phone that has no office application. The search
//! text (`Extraction::text`) is flat; this keeps the structure a person reads by.
//!
//! Design: made on demand, never at import, by the same confined `cartable extract` child as
//! the search text (`--reading`): a hostile file costs one failed reading, and the documents
//! already in a library need no migration. The service keeps the result by content hash, at
//! most [`MAX_READING_BYTES`] of text each, so a file is read once whatever the number of phones.

mod markup;
mod office;
mod plain;

use std::path::Path;

use crate::model::{Block, Format, Reading};

/// Most bytes of text a reading view holds: a long book chapter; past it, the page says the
/// rest is in the file.
pub const MAX_READING_BYTES: usize = 512 * 1024;

/// What a block costs beyond its text (its markup on the page), so a file of a million empty
/// list items is bounded too.
const BLOCK_COST: usize = 16;

/// Reads the structure of a file in this process. Only the `cartable extract --reading` child
/// calls it directly: anywhere else use [`super::Extractor::read`], which runs it isolated.
pub fn read_in_process(path: &Path, format: Format, max_text: usize) -> Reading {
    let mut layout = Layout::new(max_text);
    let text_limit = |factor: usize| max_text.saturating_mul(factor);
    match format {
        Format::Markdown | Format::Text => {
            if let Some(bytes) = read_prefix(path, text_limit(2), &mut layout) {
                let text = super::text::decode_utf8_or_cp1252(&bytes);
                if format == Format::Markdown {
                    plain::markdown(&text, &mut layout);
                } else {
                    plain::text(&text, &mut layout);
                }
            }
        }
        Format::Html => {
            if let Some(bytes) = read_prefix(path, text_limit(8), &mut layout) {
                markup::html(&bytes, &mut layout);
            }
        }
        Format::Docx | Format::Odt | Format::Pptx | Format::Odp => {
            if let Err(error) = office::read(path, format, &mut layout) {
                // What was read before the damage is kept: most of a document beats none.
                tracing::debug!(path = %path.display(), %error, "office document partly unreadable");
            }
        }
        // PDFs and pictures are read as they are; spreadsheets do not fit a phone's column.
        Format::Pdf
        | Format::Png
        | Format::Jpeg
        | Format::Gif
        | Format::Webp
        | Format::Xlsx
        | Format::Ods => {}
    }
    layout.finish()
}

/// The first `limit` bytes of the file; a longer file marks the reading truncated.
fn read_prefix(path: &Path, limit: usize, layout: &mut Layout) -> Option<Vec<u8>> {
    let bytes = super::read_prefix(path, limit).ok()?;
    if bytes.len() >= limit {
        layout.truncated = true;
    }
    Some(bytes)
}

/// Gathers blocks up to a size, folding blank space, merging neighbouring list items.
#[derive(Debug)]
struct Layout {
    blocks: Vec<Block>,
    room: usize,
    truncated: bool,
}

impl Layout {
    fn new(max: usize) -> Layout {
        Layout {
            blocks: Vec::new(),
            room: max,
            truncated: false,
        }
    }

    fn is_full(&self) -> bool {
        self.truncated && self.room == 0
    }

    /// A heading of `level` (1 the highest; deeper ones are shown as 6).
    fn heading(&mut self, level: u8, text: &str) {
        let level = level.clamp(1, 6);
        if let Some(text) = self.take(&fold_spaces(text, false)) {
            self.blocks.push(Block::Heading { level, text });
        }
    }

    /// A paragraph; its `\n` are kept as line breaks.
    fn paragraph(&mut self, text: &str) {
        if let Some(text) = self.take(&fold_spaces(text, true)) {
            self.blocks.push(Block::Paragraph { text });
        }
    }

    /// An item of a list, joining the list just before when it is of the same kind.
    fn item(&mut self, text: &str, ordered: bool) {
        let Some(text) = self.take(&fold_spaces(text, false)) else {
            return;
        };
        match self.blocks.last_mut() {
            Some(Block::List {
                ordered: same,
                items,
            }) if *same == ordered => items.push(text),
            _ => self.blocks.push(Block::List {
                ordered,
                items: vec![text],
            }),
        }
    }

    /// Code, its spacing kept (blank lines around it dropped).
    fn code(&mut self, text: &str) {
        let kept: String = text
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        let kept = kept.trim_matches('\n').trim_end();
        if let Some(text) = self.take(kept) {
            self.blocks.push(Block::Code { text });
        }
    }

    fn slide(&mut self, number: u32) {
        if self.room >= BLOCK_COST {
            self.room -= BLOCK_COST;
            self.blocks.push(Block::Slide { number });
        } else {
            self.full();
        }
    }

    /// `text` as far as there is room (cut at a character); `None` when empty or no room left.
    fn take(&mut self, text: &str) -> Option<String> {
        if text.is_empty() || self.is_full() {
            return None;
        }
        let wanted = text.len() + BLOCK_COST;
        if wanted <= self.room {
            self.room -= wanted;
            return Some(text.to_owned());
        }
        let mut cut = self.room.saturating_sub(BLOCK_COST).min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        self.full();
        (cut > 0).then(|| format!("{}…", text[..cut].trim_end()))
    }

    fn full(&mut self) {
        self.room = 0;
        self.truncated = true;
    }

    fn finish(self) -> Reading {
        Reading {
            blocks: self.blocks,
            truncated: self.truncated,
        }
    }
}

/// Folds runs of blank space into one space and drops control characters; with `lines`, line
/// breaks are kept (one at most in a row, none at the ends), else they are spaces too.
fn fold_spaces(text: &str, lines: bool) -> String {
    let mut folded = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        let words = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty());
        let mut first = true;
        for word in words {
            if first && !folded.is_empty() {
                folded.push(if lines && n > 0 { '\n' } else { ' ' });
            } else if !first {
                folded.push(' ');
            }
            folded.push_str(word);
            first = false;
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_space_is_folded_and_line_breaks_kept_only_in_paragraphs() {
        assert_eq!(
            fold_spaces("  un \t deux\n\n trois \n", true),
            "un deux\ntrois"
        );
        assert_eq!(fold_spaces("un\ndeux", false), "un deux");
        assert_eq!(fold_spaces(" \n \u{7} ", true), "");
    }

    #[test]
    fn the_size_cap_cuts_at_a_character_and_says_so() {
        let mut layout = Layout::new(BLOCK_COST + 5);
        layout.paragraph("ééééé");
        layout.paragraph("la suite");
        let reading = layout.finish();
        assert!(reading.truncated);
        assert_eq!(
            reading.blocks,
            vec![Block::Paragraph {
                text: "éé…".to_owned()
            }]
        );
    }

    #[test]
    fn neighbouring_items_of_one_kind_make_one_list() {
        let mut layout = Layout::new(1000);
        layout.item("un", false);
        layout.item("deux", false);
        layout.item("premier", true);
        let reading = layout.finish();
        assert_eq!(reading.blocks.len(), 2);
        assert!(
            matches!(&reading.blocks[0], Block::List { ordered: false, items } if items.len() == 2)
        );
    }
}
