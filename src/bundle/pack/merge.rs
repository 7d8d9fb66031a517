//! Copies the pages of a PDF document into the pack as they are: each page and what it uses
//! (fonts, images, content) is renumbered and written out, then the document is dropped, so only
//! one source document is in memory at a time. Streams are copied without being decoded.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::writer::PdfWriter;

/// Page attributes a page inherits from its ancestors in the page tree (PDF 32000 7.7.3.4);
/// pages are re-parented under the pack's own tree, so these are copied onto each page.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// Why a PDF could not be merged, in French for the page that takes its place.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The detail (the parser's words, in English) goes to the log, not on paper.
    #[error("le fichier PDF est illisible")]
    Unreadable(String),
    #[error("le fichier PDF est protégé par un mot de passe")]
    Encrypted,
    #[error("le fichier PDF n'a aucune page lisible")]
    NoPages,
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Marks added to each copied page: the pack's page number, drawn by the caller in the font it
/// names, so a family can find the page the contents give.
pub struct Stamp<'a> {
    /// The pack's font, known to the stamped pages as `/CartableF1`.
    pub font: ObjectId,
    /// The operators for page `index` of this document, given its visible box
    /// `[left, bottom, right, top]` and how it is turned for display (0, 90, 180 or 270).
    pub draw: &'a mut dyn FnMut(usize, [f32; 4], u16) -> String,
}

/// Writes the pages of the PDF at `path` under `parent`; returns the new page ids in order.
pub fn import<W: Write>(
    pdf: &mut PdfWriter<W>,
    path: &Path,
    parent: ObjectId,
    mut stamp: Stamp,
) -> Result<Vec<ObjectId>, MergeError> {
    let mut document = Document::load(path).map_err(|e| MergeError::Unreadable(e.to_string()))?;
    if document.is_encrypted() && document.encryption_state.is_none() {
        return Err(MergeError::Encrypted);
    }
    // A malformed page tree can list a page twice; it is printed once.
    let mut seen = std::collections::HashSet::new();
    let source_pages: Vec<ObjectId> = document
        .get_pages()
        .into_values()
        .filter(|id| seen.insert(*id))
        .collect();
    if source_pages.is_empty() {
        return Err(MergeError::NoPages);
    }
    let mut pages = Vec::with_capacity(source_pages.len());
    for &id in &source_pages {
        pages.push(flattened_page(&document, id)?);
    }

    // Number every object the pages reach, then write them with references renumbered.
    let mut numbers: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    for &id in &source_pages {
        numbers.insert(id, pdf.reserve());
    }
    for page in &pages {
        references(&Object::Dictionary(page.clone()), &mut |target| {
            queue.push_back(target)
        });
    }
    let mut order = Vec::new();
    while let Some(id) = queue.pop_front() {
        if numbers.contains_key(&id) {
            continue;
        }
        let Ok(object) = document.get_object(id) else {
            continue; // a dangling reference becomes null
        };
        if is_tree_node(object) {
            continue; // another page tree or catalog: never copied, references become null
        }
        numbers.insert(id, pdf.reserve());
        order.push(id);
        references(object, &mut |target| queue.push_back(target));
    }
    let mut new_pages = Vec::with_capacity(pages.len());
    for (index, (page, source)) in pages.into_iter().zip(&source_pages).enumerate() {
        let mut page = Object::Dictionary(page);
        renumber(&mut page, &numbers);
        if let Object::Dictionary(dict) = &mut page {
            dict.set("Parent", parent);
            add_stamp(pdf, dict, index, &mut stamp)?;
        }
        let id = numbers[source];
        pdf.write(id, &page)?;
        new_pages.push(id);
    }
    // Objects are taken out of the source as they are written, so its memory goes as ours grows.
    for id in order {
        let mut object = document.objects.remove(&id).unwrap_or(Object::Null);
        renumber(&mut object, &numbers);
        pdf.write(numbers[&id], &object)?;
    }
    Ok(new_pages)
}

/// The page's dictionary with what it inherits copied onto it and its parent link removed.
fn flattened_page(document: &Document, id: ObjectId) -> Result<Dictionary, MergeError> {
    let mut page = document
        .get_dictionary(id)
        .map_err(|e| MergeError::Unreadable(e.to_string()))?
        .clone();
    let mut ancestor = page.get(b"Parent").and_then(Object::as_reference).ok();
    // The depth bound stops a cyclic page tree.
    for _ in 0..64 {
        let Some(node) = ancestor.and_then(|a| document.get_dictionary(a).ok()) else {
            break;
        };
        for key in INHERITED {
            if !page.has(key) {
                if let Ok(value) = node.get(key) {
                    page.set(key, value.clone());
                }
            }
        }
        ancestor = node.get(b"Parent").and_then(Object::as_reference).ok();
    }
    if !page.has(b"MediaBox") {
        page.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    }
    // The resources and their fonts are copied onto the page (their values still point to the
    // shared objects), so the pack's font can be added for the page number without touching
    // what other pages share.
    let mut resources = resolved_dict(document, page.get(b"Resources").ok());
    let fonts = resolved_dict(document, resources.get(b"Font").ok());
    resources.set("Font", fonts);
    page.set("Resources", resources);
    // A truncated file can keep its page objects and lose their content: a blank page would
    // pass for the document, so the part is refused instead.
    let contents_missing = match page.get(b"Contents") {
        Ok(Object::Reference(target)) => document.get_object(*target).is_err(),
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_reference().ok())
            .any(|target| document.get_object(target).is_err()),
        _ => false,
    };
    if contents_missing {
        return Err(MergeError::Unreadable(
            "contenu de page manquant".to_owned(),
        ));
    }
    page.remove(b"Parent");
    // Article beads point into the source's article threads, which are not copied.
    page.remove(b"B");
    Ok(page)
}

/// A dictionary given directly or by reference, copied; empty when missing or not a dictionary.
fn resolved_dict(document: &Document, value: Option<&Object>) -> Dictionary {
    match value {
        Some(Object::Dictionary(dict)) => dict.clone(),
        Some(Object::Reference(id)) => document.get_dictionary(*id).cloned().unwrap_or_default(),
        _ => Dictionary::new(),
    }
}

/// Draws the stamp over the page: its own content is wrapped in `q`/`Q` so whatever state it
/// leaves cannot move or hide the page number.
fn add_stamp<W: Write>(
    pdf: &mut PdfWriter<W>,
    page: &mut Dictionary,
    index: usize,
    stamp: &mut Stamp,
) -> io::Result<()> {
    let rotation = page
        .get(b"Rotate")
        .and_then(Object::as_i64)
        .map_or(0, |r| r.rem_euclid(360));
    let visible = page
        .get(b"CropBox")
        .ok()
        .and_then(rectangle)
        .or_else(|| page.get(b"MediaBox").ok().and_then(rectangle));
    let (Some(visible), true) = (visible, rotation % 90 == 0) else {
        return Ok(());
    };
    let original: Vec<Object> = match page.get(b"Contents") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(reference @ Object::Reference(_)) => vec![reference.clone()],
        _ => Vec::new(),
    };
    let before = pdf.add(lopdf::Stream::new(Dictionary::new(), b"q\n".to_vec()))?;
    let after = format!("Q\n{}", (stamp.draw)(index, visible, rotation as u16));
    let after = pdf.add_compressed(Dictionary::new(), after.as_bytes())?;
    let contents: Vec<Object> = std::iter::once(before.into())
        .chain(original)
        .chain(std::iter::once(after.into()))
        .collect();
    page.set("Contents", contents);
    if let Ok(Object::Dictionary(resources)) = page.get_mut(b"Resources") {
        if let Ok(Object::Dictionary(fonts)) = resources.get_mut(b"Font") {
            fonts.set("CartableF1", stamp.font);
        }
    }
    Ok(())
}

/// `[left, bottom, right, top]` from a PDF rectangle, normalised.
fn rectangle(value: &Object) -> Option<[f32; 4]> {
    let items = value.as_array().ok()?;
    let numbers: Vec<f32> = items.iter().filter_map(|i| i.as_float().ok()).collect();
    let [a, b, c, d] = numbers[..] else {
        return None;
    };
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

/// A page tree node or a document catalog, which a page's resources must never drag in.
fn is_tree_node(object: &Object) -> bool {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        _ => return false,
    };
    matches!(
        dict.get(b"Type").and_then(Object::as_name),
        Ok(b"Pages" | b"Catalog")
    )
}

fn references(object: &Object, found: &mut dyn FnMut(ObjectId)) {
    match object {
        Object::Reference(id) => found(*id),
        Object::Array(items) => items.iter().for_each(|item| references(item, found)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, value)| references(value, found)),
        Object::Stream(stream) => stream
            .dict
            .iter()
            .for_each(|(_, value)| references(value, found)),
        _ => {}
    }
}

/// Gives every reference in `object` its number in the pack (null when the target is not copied).
fn renumber(object: &mut Object, numbers: &HashMap<ObjectId, ObjectId>) {
    match object {
        Object::Reference(id) => {
            *object = numbers
                .get(id)
                .map(|&new| Object::Reference(new))
                .unwrap_or(Object::Null)
        }
        Object::Array(items) => items.iter_mut().for_each(|i| renumber(i, numbers)),
        Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, v)| renumber(v, numbers)),
        Object::Stream(stream) => stream
            .dict
            .iter_mut()
            .for_each(|(_, v)| renumber(v, numbers)),
        _ => {}
    }
}
