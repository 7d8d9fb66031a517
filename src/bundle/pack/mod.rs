//! The printable pack: one PDF with a cover, a table of contents, then every document of the
//! selection: PDFs merged as they are, pictures one per A4 page, text documents typeset, and a
//! page saying where to find each document that could not be printed.
//!
//! The file is written front to back in one pass: the parts first, then the cover and contents
//! (whose page numbers are known by then), then the page tree that puts the cover first. The
//! contents' length depends only on how many parts there are, so every page number is known as
//! its page is written. Memory holds one part at a time.
//!
//! Reading PDFs and pictures is reading untrusted files: the service runs this in a child process
//! with limits (`cartable pack`), like text extraction.

mod font;
mod front;
mod layout;
mod merge;
mod picture;
mod writer;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Object, ObjectId};
use serde::{Deserialize, Serialize};

use crate::model::Format;

use font::Font;
use front::{CoverText, Entry, Link, Target};
use layout::{Canvas, Style, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TEXT_WIDTH};
use writer::PdfWriter;

pub use front::contents_pages;

/// Everything the pack shows, decided by the service from the catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub school: String,
    /// "2nde — Mathématiques", "Documents choisis".
    pub selection: String,
    /// "28 novembre 2026".
    pub prepared: String,
    /// "Documents du 3 mars au 12 novembre 2026".
    pub period: Option<String>,
    /// Where the documents are online, printed as a QR code on the cover.
    pub link: Option<String>,
    pub parts: Vec<Part>,
}

/// One document of the pack.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub title: String,
    /// "Mathématiques · 2nde · 12 mars 2026".
    pub details: String,
    pub source: PathBuf,
    pub content: Content,
    /// Where a family finds the document when it cannot be printed (a link or a place).
    pub location: String,
}

/// How a part goes on paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// Pages copied as they are.
    Pdf,
    Jpeg,
    Png,
    /// Text, read by extraction, set on A4 pages.
    Text {
        format: Format,
    },
    /// Known in advance not to print (a spreadsheet, a damaged file), with the reason.
    Unprintable {
        reason: String,
    },
}

/// What went into the pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub pages: u32,
    pub parts: Vec<PartSummary>,
    /// SHA-256 of the file as written, to check it once it is on a stick.
    #[serde(default)]
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartSummary {
    pub first_page: u32,
    pub pages: u32,
    /// Why the part was replaced by a page saying where to find it.
    pub not_printed: Option<String>,
}

/// How far the pack has got: told to the caller before each part is read and once all are in,
/// so that if the process dies, its parent knows whether a document caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Part(usize),
    PartsDone,
}

impl Step {
    /// The line the `cartable pack` child writes on stdout for this step.
    pub fn line(self) -> String {
        match self {
            Step::Part(index) => format!("part {index}"),
            Step::PartsDone => "parts done".to_owned(),
        }
    }

    pub fn parse(line: &str) -> Option<Step> {
        match line.trim() {
            "parts done" => Some(Step::PartsDone),
            other => other.strip_prefix("part ")?.parse().ok().map(Step::Part),
        }
    }
}

/// Why the pack file could not be written, as the child tells its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteFailure {
    NoSpace,
    ReadOnly,
    Other,
}

impl WriteFailure {
    const PREFIX: &str = "write failed: ";

    pub fn of(error: &io::Error) -> WriteFailure {
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => WriteFailure::NoSpace,
            io::ErrorKind::ReadOnlyFilesystem | io::ErrorKind::PermissionDenied => {
                WriteFailure::ReadOnly
            }
            _ => WriteFailure::Other,
        }
    }

    pub fn line(self) -> String {
        let name = match self {
            WriteFailure::NoSpace => "no space",
            WriteFailure::ReadOnly => "read only",
            WriteFailure::Other => "other",
        };
        format!("{}{name}", WriteFailure::PREFIX)
    }

    pub fn parse(line: &str) -> Option<WriteFailure> {
        match line.trim().strip_prefix(WriteFailure::PREFIX)? {
            "no space" => Some(WriteFailure::NoSpace),
            "read only" => Some(WriteFailure::ReadOnly),
            _ => Some(WriteFailure::Other),
        }
    }
}

/// Reads the text of a document for typesetting (extraction, supplied by the caller).
pub type TextSource<'a> = dyn FnMut(&Path, Format) -> Result<String, String> + 'a;

/// Writes the pack of `plan` to `out`. `text_of` reads text documents; `progress` is told each
/// [`Step`]. An error is an error writing `out`: a document that cannot be read gets its page
/// saying so instead.
pub fn write_pack<W: Write>(
    plan: &Plan,
    text_of: &mut TextSource,
    progress: &mut dyn FnMut(Step),
    out: W,
) -> io::Result<(Summary, W)> {
    let mut pdf = PdfWriter::new(out)?;
    let tree = pdf.reserve();
    let font_id = pdf.reserve();
    let mut font = Font::new();
    let contents_count = contents_pages(plan.parts.len());
    let mut next_number = 2 + contents_count;
    let mut part_pages: Vec<Vec<ObjectId>> = Vec::with_capacity(plan.parts.len());
    let mut summaries = Vec::with_capacity(plan.parts.len());
    let mut pages = Pages {
        tree,
        font: font_id,
    };
    for (index, part) in plan.parts.iter().enumerate() {
        progress(Step::Part(index));
        let first_page = next_number;
        let (ids, not_printed) =
            match write_part(&mut pdf, &mut pages, &mut font, part, first_page, text_of)? {
                Ok(ids) => (ids, None),
                Err(reason) => {
                    let page = failure_page(&mut font, part, &reason, first_page);
                    (
                        vec![pages.write(&mut pdf, page, &[], &[], &[])?],
                        Some(reason),
                    )
                }
            };
        next_number += ids.len() as u32;
        summaries.push(PartSummary {
            first_page,
            pages: ids.len() as u32,
            not_printed,
        });
        part_pages.push(ids);
    }
    progress(Step::PartsDone);
    let total = next_number - 1;
    let part_starts: Vec<ObjectId> = part_pages.iter().map(|ids| ids[0]).collect();

    let (cover, cover_links) = front::cover(
        &mut font,
        &CoverText {
            school: &plan.school,
            selection: &plan.selection,
            prepared: &plan.prepared,
            period: plan.period.as_deref(),
            documents: plan.parts.len(),
            pages: total,
            link: plan.link.as_deref(),
        },
    );
    let cover = pages.write(&mut pdf, cover, &[], &cover_links, &part_starts)?;
    let entries: Vec<Entry> = plan
        .parts
        .iter()
        .zip(&summaries)
        .map(|(part, summary)| Entry {
            title: &part.title,
            details: &part.details,
            page: summary.first_page,
        })
        .collect();
    let mut contents = Vec::new();
    for (page, links) in front::contents(&mut font, &entries, 2) {
        contents.push(pages.write(&mut pdf, page, &[], &links, &part_starts)?);
    }
    font.write(&mut pdf, font_id)?;

    let outline = outline(&mut pdf, plan, &part_starts)?;
    let kids: Vec<Object> = std::iter::once(cover)
        .chain(contents)
        .chain(part_pages.into_iter().flatten())
        .map(Object::Reference)
        .collect();
    let mut tree_dict = Dictionary::new();
    tree_dict.set("Type", "Pages");
    tree_dict.set("Count", kids.len() as i64);
    tree_dict.set("Kids", kids);
    pdf.write(tree, &tree_dict.into())?;

    let mut catalog = Dictionary::new();
    catalog.set("Type", "Catalog");
    catalog.set("Pages", tree);
    catalog.set("Lang", lopdf::text_string("fr-FR"));
    if let Some(outline) = outline {
        catalog.set("Outlines", outline);
        catalog.set("PageMode", "UseOutlines");
    }
    let catalog = pdf.add(catalog)?;
    let mut info = Dictionary::new();
    info.set(
        "Title",
        lopdf::text_string(&format!("{} — {}", plan.selection, plan.school)),
    );
    info.set("Producer", lopdf::text_string("cartable"));
    let info = pdf.add(info)?;
    let out = pdf.finish(catalog, info)?;
    Ok((
        Summary {
            pages: total,
            parts: summaries,
            sha256: String::new(),
        },
        out,
    ))
}

/// Writes one part's pages; `Ok(Err(reason))` when it cannot be printed.
fn write_part<W: Write>(
    pdf: &mut PdfWriter<W>,
    pages: &mut Pages,
    font: &mut Font,
    part: &Part,
    first_page: u32,
    text_of: &mut TextSource,
) -> io::Result<Result<Vec<ObjectId>, String>> {
    match &part.content {
        Content::Pdf => match merge::import(
            pdf,
            &part.source,
            pages.tree,
            merge::Stamp {
                font: pages.font,
                draw: &mut |index, visible, rotation| {
                    layout::page_number(font, first_page + index as u32, visible, rotation)
                },
            },
        ) {
            Ok(ids) => Ok(Ok(ids)),
            Err(merge::MergeError::Io(error)) => Err(error),
            Err(other) => {
                tracing::warn!(part = %part.title, error = ?other, "PDF not merged");
                Ok(Err(other.to_string()))
            }
        },
        Content::Jpeg | Content::Png => {
            let read = if part.content == Content::Jpeg {
                picture::jpeg(&part.source)
            } else {
                picture::png(&part.source)
            };
            let picture = match read {
                Ok(picture) => picture,
                Err(reason) => return Ok(Err(reason)),
            };
            let turns = picture.quarter_turns;
            // As seen once turned upright (a phone photo taken sideways).
            let (width, height) = if turns % 2 == 1 {
                (picture.height as f32, picture.width as f32)
            } else {
                (picture.width as f32, picture.height as f32)
            };
            let image = picture.write(pdf)?;
            let mut page = Canvas::default();
            let mut y = PAGE_HEIGHT - MARGIN - Style::HEADING.leading();
            let title = layout::fit(font, &part.title, Style::HEADING, TEXT_WIDTH);
            page.text(font, MARGIN, y, Style::HEADING, &title);
            y -= 12.0;
            // Fitted into what is left of the page, proportions kept, centred.
            let (box_width, box_height) = (TEXT_WIDTH, y - MARGIN);
            let scale = (box_width / width).min(box_height / height);
            let (w, h) = (width * scale, height * scale);
            let x = MARGIN + (box_width - w) / 2.0;
            let bottom = MARGIN + (box_height - h) / 2.0;
            // The image's unit square onto the box, turned clockwise `turns` quarters.
            let matrix = match turns {
                1 => format!("0 {:.2} {w:.2} 0 {x:.2} {:.2}", -h, bottom + h),
                2 => format!("{:.2} 0 0 {:.2} {:.2} {:.2}", -w, -h, x + w, bottom + h),
                3 => format!("0 {h:.2} {:.2} 0 {:.2} {bottom:.2}", -w, x + w),
                _ => format!("{w:.2} 0 0 {h:.2} {x:.2} {bottom:.2}"),
            };
            page.raw(&format!("q {matrix} cm /Im1 Do Q\n"));
            page.footer(font, &part.title, first_page);
            Ok(Ok(vec![pages.write(pdf, page, &[image], &[], &[])?]))
        }
        Content::Text { format } => match text_of(&part.source, *format) {
            Ok(text) => {
                let markdown = *format == Format::Markdown;
                let mut ids = Vec::new();
                for page in layout::text_pages(
                    font,
                    &part.title,
                    &part.details,
                    &text,
                    markdown,
                    first_page,
                ) {
                    ids.push(pages.write(pdf, page, &[], &[], &[])?);
                }
                Ok(Ok(ids))
            }
            Err(reason) => Ok(Err(reason)),
        },
        Content::Unprintable { reason } => Ok(Err(reason.clone())),
    }
}

/// The page that stands for a document that could not be printed.
fn failure_page(font: &mut Font, part: &Part, reason: &str, number: u32) -> Canvas {
    let text = format!(
        "Ce document n'a pas pu être mis dans la version imprimable.\n\
         Raison : {reason}.\n\n\
         Vous le trouverez sur le point ressources du lycée : {}",
        part.location
    );
    let mut pages = layout::text_pages(font, &part.title, &part.details, &text, false, number);
    pages.truncate(1);
    pages.pop().unwrap_or_default()
}

/// Writes the pages cartable draws, all under one page tree and sharing one font.
struct Pages {
    tree: ObjectId,
    font: ObjectId,
}

impl Pages {
    fn write<W: Write>(
        &mut self,
        pdf: &mut PdfWriter<W>,
        page: Canvas,
        images: &[ObjectId],
        links: &[Link],
        part_starts: &[ObjectId],
    ) -> io::Result<ObjectId> {
        let contents = pdf.add_compressed(Dictionary::new(), &page.into_bytes())?;
        let mut fonts = Dictionary::new();
        fonts.set("F1", self.font);
        let mut resources = Dictionary::new();
        resources.set("Font", fonts);
        if !images.is_empty() {
            let mut xobjects = Dictionary::new();
            for (index, image) in images.iter().enumerate() {
                xobjects.set(format!("Im{}", index + 1), *image);
            }
            resources.set("XObject", xobjects);
        }
        let mut dict = Dictionary::new();
        dict.set("Type", "Page");
        dict.set("Parent", self.tree);
        dict.set(
            "MediaBox",
            vec![
                0.into(),
                0.into(),
                Object::Real(PAGE_WIDTH),
                Object::Real(PAGE_HEIGHT),
            ],
        );
        dict.set("Resources", resources);
        dict.set("Contents", contents);
        let annotations: Vec<Object> = links
            .iter()
            .filter_map(|link| annotation(link, part_starts))
            .map(Object::Dictionary)
            .collect();
        if !annotations.is_empty() {
            dict.set("Annots", annotations);
        }
        pdf.add(dict)
    }
}

fn annotation(link: &Link, part_starts: &[ObjectId]) -> Option<Dictionary> {
    let mut dict = Dictionary::new();
    dict.set("Type", "Annot");
    dict.set("Subtype", "Link");
    dict.set(
        "Rect",
        link.rect
            .iter()
            .map(|&v| Object::Real(v))
            .collect::<Vec<_>>(),
    );
    dict.set("Border", vec![0.into(), 0.into(), 0.into()]);
    match &link.target {
        Target::Part(index) => dict.set("Dest", destination(*part_starts.get(*index)?)),
        Target::Uri(uri) => {
            let mut action = Dictionary::new();
            action.set("S", "URI");
            action.set(
                "URI",
                Object::String(uri.as_bytes().to_vec(), lopdf::StringFormat::Literal),
            );
            dict.set("A", action);
        }
    }
    Some(dict)
}

/// "Show this page, where it starts."
fn destination(page: ObjectId) -> Vec<Object> {
    vec![page.into(), "Fit".into()]
}

/// Bookmarks: one per part, so a reader on screen can jump to a document.
fn outline<W: Write>(
    pdf: &mut PdfWriter<W>,
    plan: &Plan,
    part_starts: &[ObjectId],
) -> io::Result<Option<ObjectId>> {
    if plan.parts.is_empty() {
        return Ok(None);
    }
    let root = pdf.reserve();
    let items: Vec<ObjectId> = plan.parts.iter().map(|_| pdf.reserve()).collect();
    for (index, (part, &id)) in plan.parts.iter().zip(&items).enumerate() {
        let mut item = Dictionary::new();
        item.set("Title", lopdf::text_string(&part.title));
        item.set("Parent", root);
        if index > 0 {
            item.set("Prev", items[index - 1]);
        }
        if let Some(&next) = items.get(index + 1) {
            item.set("Next", next);
        }
        item.set("Dest", destination(part_starts[index]));
        pdf.write(id, &item.into())?;
    }
    let mut dict = Dictionary::new();
    dict.set("Type", "Outlines");
    dict.set("First", items[0]);
    dict.set("Last", items[items.len() - 1]);
    dict.set("Count", items.len() as i64);
    pdf.write(root, &dict.into())?;
    Ok(Some(root))
}
