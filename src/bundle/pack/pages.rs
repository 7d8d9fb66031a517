//! The pages cartable draws (cover, contents, text, pictures, failure pages) as PDF page
//! objects, with their links, and the bookmarks of the pack.

use std::io::{self, Write};

use lopdf::{Dictionary, Object, ObjectId};

use super::front::{Link, Target};
use super::layout::{Canvas, PAGE_HEIGHT, PAGE_WIDTH};
use super::plan::Plan;
use super::writer::PdfWriter;

/// Writes the pages cartable draws, all under one page tree and sharing one font.
pub struct Pages {
    pub tree: ObjectId,
    pub font: ObjectId,
}

impl Pages {
    pub fn write<W: Write>(
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
pub fn outline<W: Write>(
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
