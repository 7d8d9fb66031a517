//! The printable pack: one PDF with a cover, a table of contents, then every document of the
//! selection: PDFs merged as they are, pictures one per A4 page, text documents typeset, and a
//! page saying where to find each document that could not be printed. A class's week can
//! stand in for the cover: its sheet ("Pour aujourd'hui", see `sheet`) then comes first.
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
mod pages;
mod picture;
mod plan;
mod sheet;
mod writer;

use std::io::{self, Write};
use std::path::Path;

use lopdf::{Dictionary, Object, ObjectId};

use crate::model::Format;

use font::Font;
use front::{CoverText, Entry};
use layout::{Canvas, Style, MARGIN, PAGE_HEIGHT, TEXT_WIDTH};
use pages::{outline, Pages};
use writer::PdfWriter;

pub use front::contents_pages;
pub use plan::{
    Content, Part, PartSummary, Plan, Sheet, SheetDay, SheetDocument, SheetEntry, Step, Summary,
    WriteFailure,
};
pub use sheet::MAX_SHEET_PAGES;

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
    // A week's sheet is laid out first (its length is known only then) and stands for the cover.
    let sheet = plan
        .sheet
        .as_ref()
        .map(|sheet| sheet::sheet_pages(&mut font, sheet, 1));
    let front_count = sheet.as_ref().map_or(1, |pages| pages.len() as u32);
    let mut next_number = 1 + front_count + contents_count;
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

    let mut front_pages = Vec::new();
    match sheet {
        Some(sheet) => {
            for (page, links) in sheet {
                front_pages.push(pages.write(&mut pdf, page, &[], &links, &part_starts)?);
            }
        }
        None => {
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
            front_pages.push(pages.write(&mut pdf, cover, &[], &cover_links, &part_starts)?);
        }
    }
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
    for (page, links) in front::contents(&mut font, &entries, 1 + front_count) {
        contents.push(pages.write(&mut pdf, page, &[], &links, &part_starts)?);
    }
    font.write(&mut pdf, font_id)?;

    let outline = outline(&mut pdf, plan, &part_starts)?;
    let kids: Vec<Object> = front_pages
        .into_iter()
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

/// Writes the sheet alone as a PDF; returns its pages.
pub fn write_sheet<W: Write>(sheet: &Sheet, out: W) -> io::Result<(u32, W)> {
    let mut pdf = PdfWriter::new(out)?;
    let tree = pdf.reserve();
    let font_id = pdf.reserve();
    let mut font = Font::new();
    let mut pages = Pages {
        tree,
        font: font_id,
    };
    let mut kids = Vec::new();
    for (page, links) in sheet::sheet_pages(&mut font, sheet, 1) {
        kids.push(Object::Reference(pages.write(
            &mut pdf,
            page,
            &[],
            &links,
            &[],
        )?));
    }
    font.write(&mut pdf, font_id)?;
    let count = kids.len() as u32;
    let mut tree_dict = Dictionary::new();
    tree_dict.set("Type", "Pages");
    tree_dict.set("Count", i64::from(count));
    tree_dict.set("Kids", kids);
    pdf.write(tree, &tree_dict.into())?;
    let mut catalog = Dictionary::new();
    catalog.set("Type", "Catalog");
    catalog.set("Pages", tree);
    catalog.set("Lang", lopdf::text_string("fr-FR"));
    let catalog = pdf.add(catalog)?;
    let mut info = Dictionary::new();
    info.set(
        "Title",
        lopdf::text_string(&format!("{} — {}", sheet.class, sheet.week)),
    );
    info.set("Producer", lopdf::text_string("cartable"));
    let info = pdf.add(info)?;
    Ok((count, pdf.finish(catalog, info)?))
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
                Err(reason) => return Ok(Err(reason.to_string())),
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
