//! Text of office documents (DOCX, ODT, PPTX, ODP, XLSX, ODS): a streaming walk over the XML
//! parts inside the zip. Each part is read through a size cap, so a zip bomb costs at most the cap.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use crate::model::Format;

use super::text::TextSink;

/// Most decompressed bytes read from one zip entry; real documents stay far below.
pub(super) const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// What an office file gave: its text, and a title when the document states one.
#[derive(Debug, Default)]
pub struct OfficeText {
    pub title: Option<String>,
    pub text: String,
    pub pages: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("the zip container cannot be read: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the document part {part} is invalid XML: {reason}")]
    Xml { part: String, reason: String },
    #[error("the document has no {0} part")]
    MissingPart(&'static str),
}

/// Extracts the text of an office file of the given (zip-based) format.
pub fn extract(path: &Path, format: Format, max_text: usize) -> Result<OfficeText, OfficeError> {
    let (mut archive, parts) = open(path, format)?;
    let mut sink = TextSink::new(max_text);
    let mut heading = None;
    for part in &parts {
        let entry = archive.by_name(part)?;
        let found = walk(entry.take(MAX_ENTRY_BYTES), part, &mut sink)?;
        heading = heading.or(found);
        if sink.is_full() {
            break;
        }
    }
    let title = document_title(&mut archive, format).or(heading);
    let pages = match format {
        Format::Pptx | Format::Odp => Some(u32::try_from(parts.len()).unwrap_or(u32::MAX)),
        _ => None,
    };
    Ok(OfficeText {
        title,
        text: sink.finish(),
        pages,
    })
}

/// Opens an office file and lists the parts that hold its text, at least one.
pub(super) fn open(
    path: &Path,
    format: Format,
) -> Result<(zip::ZipArchive<BufReader<File>>, Vec<String>), OfficeError> {
    let file = File::open(path).map_err(zip::result::ZipError::Io)?;
    let archive = zip::ZipArchive::new(BufReader::new(file))?;
    let parts = content_parts(&archive, format);
    if parts.is_empty() {
        return Err(OfficeError::MissingPart(main_part(format)));
    }
    Ok((archive, parts))
}

fn main_part(format: Format) -> &'static str {
    match format {
        Format::Docx => "word/document.xml",
        Format::Pptx => "ppt/slides/slide1.xml",
        Format::Xlsx => "xl/sharedStrings.xml",
        _ => "content.xml",
    }
}

/// The XML parts that hold the text, in reading order (slides by number).
fn content_parts<R: Read + std::io::Seek>(
    archive: &zip::ZipArchive<R>,
    format: Format,
) -> Vec<String> {
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    match format {
        Format::Pptx => {
            let mut slides: Vec<(u32, String)> = names
                .iter()
                .filter_map(|n| {
                    let number = n.strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?;
                    Some((number.parse().ok()?, n.clone()))
                })
                .collect();
            slides.sort();
            slides.into_iter().map(|(_, n)| n).collect()
        }
        _ => {
            let part = main_part(format);
            names
                .iter()
                .filter(|n| n.as_str() == part)
                .cloned()
                .collect()
        }
    }
}

/// Elements that end a paragraph or a cell: a line break keeps words of neighbours apart.
const BLOCK_ENDS: [&str; 6] = ["p", "h", "tr", "tc", "si", "table-cell"];
/// Elements whose text is not document text (field codes, deleted revisions, notes' metadata).
pub(super) const SKIPPED: [&str; 4] = ["instrText", "delText", "annotation", "tracked-changes"];

/// Streams one XML part into the sink. Returns the first heading's text (ODF `text:h`, or a
/// Word paragraph styled Title/Heading 1), which serves as a title when the metadata has none.
fn walk<R: Read>(part: R, name: &str, sink: &mut TextSink) -> Result<Option<String>, OfficeError> {
    let mut reader = Reader::from_reader(BufReader::new(part));
    let mut buffer = Vec::new();
    let mut skip_depth = 0usize;
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    let mut heading_text = String::new();
    loop {
        match next_event(&mut reader, &mut buffer, name)? {
            Event::Start(e) => {
                let local = e.local_name();
                let local = local.as_ref();
                if skip_depth > 0 || SKIPPED.contains(&local) {
                    skip_depth += 1;
                } else if local == "h" && heading.is_none() {
                    in_heading = true;
                }
            }
            Event::Empty(e) => {
                let local = e.local_name();
                match local.as_ref() {
                    "pStyle" if heading.is_none() => {
                        let styled_heading = e.attributes().flatten().any(|a| {
                            let value = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap_or_default()
                                .to_lowercase();
                            value == "title" || value == "titre" || value == "heading1"
                        });
                        if styled_heading {
                            in_heading = true;
                        }
                    }
                    "tab" => sink.push(" "),
                    "br" | "line-break" | "cr" => sink.push("\n"),
                    "s" => sink.push(" "),
                    _ => {}
                }
            }
            Event::End(e) => {
                let local = e.local_name();
                let local = local.as_ref();
                if skip_depth > 0 {
                    skip_depth -= 1;
                } else if BLOCK_ENDS.contains(&local) {
                    sink.push("\n");
                    if in_heading && (local == "h" || local == "p") {
                        in_heading = false;
                        let text = heading_text
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        if !text.is_empty() {
                            heading = Some(text);
                        }
                        heading_text.clear();
                    }
                }
            }
            Event::Text(t) if skip_depth == 0 => {
                if in_heading {
                    heading_text.push_str(&t);
                }
                sink.push(&t);
            }
            Event::CData(t) if skip_depth == 0 => sink.push(&t),
            Event::GeneralRef(r) if skip_depth == 0 => {
                if let Some(c) = referenced(&r) {
                    let mut tmp = [0u8; 4];
                    let s = c.encode_utf8(&mut tmp);
                    if in_heading {
                        heading_text.push_str(s);
                    }
                    sink.push(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if sink.is_full() {
            break;
        }
        buffer.clear();
    }
    Ok(heading)
}

/// The next event of the XML part `name`; an error names the part.
pub(super) fn next_event<'b, R: BufRead>(
    reader: &mut Reader<R>,
    buffer: &'b mut Vec<u8>,
    name: &str,
) -> Result<Event<'b>, OfficeError> {
    reader
        .read_event_into(buffer)
        .map_err(|e| OfficeError::Xml {
            part: name.to_owned(),
            reason: e.to_string(),
        })
}

/// The character a reference (`&#233;`, `&amp;`) stands for, if it is one we know.
pub(super) fn referenced(reference: &BytesRef<'_>) -> Option<char> {
    reference
        .resolve_char_ref()
        .ok()
        .flatten()
        .or_else(|| named_entity(reference))
}

fn named_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// The title stated in the document's metadata (`dc:title`), if any.
fn document_title<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    format: Format,
) -> Option<String> {
    let part = match format {
        Format::Docx | Format::Pptx | Format::Xlsx => "docProps/core.xml",
        _ => "meta.xml",
    };
    let entry = archive.by_name(part).ok()?;
    let mut reader = Reader::from_reader(BufReader::new(entry.take(1024 * 1024)));
    let mut buffer = Vec::new();
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if in_title => title.push_str(&t),
            Event::GeneralRef(r) if in_title => {
                if let Some(c) = referenced(&r) {
                    title.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}
