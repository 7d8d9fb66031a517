//! Word, OpenDocument and slide files: one streaming walk over the XML of their text, through
//! the same size caps as the search text. Headings are Word paragraphs styled Title/Heading n
//! (or Titre n, or with an outline level) and OpenDocument `text:h`; list items are Word
//! paragraphs with numbering or a list style and OpenDocument `text:list-item`; each slide
//! starts with its number, its title placeholder as a heading.

use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::extract::office::{next_event, open, referenced, OfficeError};
use crate::extract::office::{MAX_ENTRY_BYTES, SKIPPED};
use crate::model::Format;

use super::Layout;

/// Reads the text parts of an office file of `format` (a word processor's or slides).
pub(super) fn read(path: &Path, format: Format, layout: &mut Layout) -> Result<(), OfficeError> {
    let (mut archive, parts) = open(path, format)?;
    let mut slides = 0;
    for (number, part) in parts.iter().enumerate() {
        if format == Format::Pptx {
            layout.slide(number as u32 + 1);
        }
        let entry = archive.by_name(part)?;
        walk(
            entry.take(MAX_ENTRY_BYTES),
            part,
            format,
            &mut slides,
            layout,
        )?;
        if layout.is_full() {
            break;
        }
    }
    Ok(())
}

/// What a paragraph being read will be.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Body,
    Heading(u8),
    Item,
}

/// A paragraph being read: a text box inside a paragraph is a paragraph inside another.
#[derive(Debug)]
struct Paragraph {
    kind: Kind,
    text: String,
}

/// Streams one XML part into the layout. `slides` counts OpenDocument slides (`draw:page`) met.
fn walk<R: Read>(
    part: R,
    name: &str,
    format: Format,
    slides: &mut u32,
    layout: &mut Layout,
) -> Result<(), OfficeError> {
    let mut reader = Reader::from_reader(BufReader::new(part));
    let mut buffer = Vec::new();
    let mut skip_depth = 0usize;
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    // OpenDocument list items open around the paragraph being read.
    let mut list_items = 0usize;
    // Inside a slide's title placeholder.
    let mut in_title = false;
    loop {
        match next_event(&mut reader, &mut buffer, name)? {
            Event::Start(e) => {
                let local = e.local_name();
                let local = local.as_ref();
                if skip_depth > 0 || SKIPPED.contains(&local) {
                    skip_depth += 1;
                } else {
                    match local {
                        "p" | "h" => {
                            let kind = if local == "h" {
                                let level = attribute(&e, "outline-level")
                                    .and_then(|l| l.parse::<u8>().ok())
                                    .unwrap_or(1);
                                Kind::Heading(level)
                            } else if in_title {
                                Kind::Heading(2)
                            } else if list_items > 0 {
                                Kind::Item
                            } else {
                                Kind::Body
                            };
                            paragraphs.push(Paragraph {
                                kind,
                                text: String::new(),
                            });
                        }
                        "list-item" => list_items += 1,
                        "page" if format == Format::Odp => {
                            *slides += 1;
                            layout.slide(*slides);
                        }
                        "sp" => in_title = false,
                        "ph" => in_title = is_title(&e),
                        "frame" if format == Format::Odp => {
                            in_title = attribute(&e, "class").as_deref() == Some("title");
                        }
                        "numPr" => set_item(&mut paragraphs),
                        _ => {}
                    }
                }
            }
            Event::Empty(e) if skip_depth == 0 => {
                let local = e.local_name();
                let current = paragraphs.last_mut();
                match (local.as_ref(), current) {
                    ("pStyle", Some(paragraph)) => {
                        if let Some(kind) = attribute(&e, "val").and_then(|s| style_kind(&s)) {
                            if !matches!(paragraph.kind, Kind::Heading(_)) {
                                paragraph.kind = kind;
                            }
                        }
                    }
                    ("outlineLvl", Some(paragraph)) => {
                        // Level 9 is Word's "body text".
                        if let Some(level) = attribute(&e, "val")
                            .and_then(|l| l.parse::<u8>().ok())
                            .filter(|l| *l < 9)
                        {
                            paragraph.kind = Kind::Heading(level + 1);
                        }
                    }
                    ("numPr", Some(_)) => set_item(&mut paragraphs),
                    ("ph", _) => in_title = is_title(&e),
                    ("tab" | "s", Some(paragraph)) => paragraph.text.push(' '),
                    ("br" | "line-break" | "cr", Some(paragraph)) => paragraph.text.push('\n'),
                    _ => {}
                }
            }
            Event::End(e) => {
                let local = e.local_name();
                if skip_depth > 0 {
                    skip_depth -= 1;
                } else {
                    match local.as_ref() {
                        "p" | "h" => {
                            if let Some(paragraph) = paragraphs.pop() {
                                give(paragraph, layout);
                            }
                        }
                        "list-item" => list_items = list_items.saturating_sub(1),
                        "sp" => in_title = false,
                        "frame" if format == Format::Odp => in_title = false,
                        _ => {}
                    }
                }
            }
            Event::Text(t) if skip_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.text.push_str(&t);
                }
            }
            Event::CData(t) if skip_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if skip_depth == 0 => {
                if let (Some(c), Some(paragraph)) = (referenced(&r), paragraphs.last_mut()) {
                    paragraph.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if layout.is_full() {
            break;
        }
        buffer.clear();
    }
    Ok(())
}

/// Whether a slide's placeholder (`p:ph`) is its title.
fn is_title(placeholder: &BytesStart<'_>) -> bool {
    let kind = attribute(placeholder, "type");
    matches!(kind.as_deref(), Some("title" | "ctrTitle"))
}

/// Marks the paragraph being read as a list item, unless it is a (numbered) heading.
fn set_item(paragraphs: &mut [Paragraph]) {
    if let Some(paragraph) = paragraphs.last_mut() {
        if paragraph.kind == Kind::Body {
            paragraph.kind = Kind::Item;
        }
    }
}

fn give(paragraph: Paragraph, layout: &mut Layout) {
    match paragraph.kind {
        Kind::Body => layout.paragraph(&paragraph.text),
        Kind::Heading(level) => layout.heading(level, &paragraph.text),
        Kind::Item => layout.item(&paragraph.text, false),
    }
}

/// The value of the attribute whose local name is `name`.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// What a Word paragraph style makes of a paragraph: "Title"/"Titre" and "Heading2"/"Titre2"
/// (English and French Word, LibreOffice) are headings, "ListParagraph"/"Paragraphedeliste"
/// and "ListBullet" list items.
fn style_kind(style: &str) -> Option<Kind> {
    let style: String = style
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if style == "title" || style == "titre" {
        return Some(Kind::Heading(1));
    }
    for prefix in ["heading", "titre"] {
        if let Some(level) = style
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<u8>().ok())
        {
            return (1..=9).contains(&level).then_some(Kind::Heading(level));
        }
    }
    let list = ["list", "liste", "paragraphedeliste"];
    list.iter()
        .any(|prefix| style.starts_with(prefix))
        .then_some(Kind::Item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    fn blocks(xml: &str, format: Format) -> Vec<Block> {
        let mut layout = Layout::new(10_000);
        walk(xml.as_bytes(), "part", format, &mut 0, &mut layout).unwrap();
        layout.finish().blocks
    }

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.to_owned(),
        }
    }

    #[test]
    fn word_headings_lists_and_paragraphs_are_told_apart() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:pPr><w:pStyle w:val="Titre1"/></w:pPr><w:r><w:t>La Révolution</w:t></w:r></w:p>
            <w:p><w:r><w:t>En 1789,</w:t></w:r><w:r><w:t xml:space="preserve"> les États</w:t><w:br/><w:t>généraux.</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>la Bastille</w:t></w:r></w:p>
            <w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Les causes</w:t><w:delText>effacé</w:delText></w:r></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            blocks(xml, Format::Docx),
            vec![
                heading(1, "La Révolution"),
                Block::Paragraph {
                    text: "En 1789, les États\ngénéraux.".to_owned()
                },
                Block::List {
                    ordered: false,
                    items: vec!["la Bastille".to_owned()]
                },
                heading(2, "Les causes"),
            ]
        );
    }

    #[test]
    fn opendocument_headings_lists_and_slides_are_kept() {
        let text = r#"<office:text xmlns:text="t" xmlns:office="o">
            <text:h text:outline-level="2">Pythagore</text:h>
            <text:list><text:list-item><text:p>un côté</text:p></text:list-item></text:list>
            <text:p>Le<text:s/>théorème &amp; sa preuve</text:p></office:text>"#;
        assert_eq!(
            blocks(text, Format::Odt),
            vec![
                heading(2, "Pythagore"),
                Block::List {
                    ordered: false,
                    items: vec!["un côté".to_owned()]
                },
                Block::Paragraph {
                    text: "Le théorème & sa preuve".to_owned()
                },
            ]
        );
        let slides = r#"<office:presentation xmlns:draw="d" xmlns:presentation="p" xmlns:text="t">
            <draw:page><draw:frame presentation:class="title"><draw:text-box><text:p>Les volcans</text:p></draw:text-box></draw:frame>
            <draw:frame presentation:class="outline"><draw:text-box><text:p>Le magma</text:p></draw:text-box></draw:frame></draw:page>
            <draw:page/></office:presentation>"#;
        assert_eq!(
            blocks(slides, Format::Odp),
            vec![
                Block::Slide { number: 1 },
                heading(2, "Les volcans"),
                Block::Paragraph {
                    text: "Le magma".to_owned()
                },
            ]
        );
    }

    #[test]
    fn word_styles_name_headings_and_lists_in_english_and_french() {
        assert_eq!(style_kind("Heading2"), Some(Kind::Heading(2)));
        assert_eq!(style_kind("Titre1"), Some(Kind::Heading(1)));
        assert_eq!(style_kind("heading 3"), Some(Kind::Heading(3)));
        assert_eq!(style_kind("Title"), Some(Kind::Heading(1)));
        assert_eq!(style_kind("Paragraphedeliste"), Some(Kind::Item));
        assert_eq!(style_kind("ListBullet"), Some(Kind::Item));
        assert_eq!(style_kind("Normal"), None);
        assert_eq!(style_kind("Subtitle"), None);
    }
}
