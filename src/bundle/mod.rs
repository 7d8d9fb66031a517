//! Bundles: the documents that leave the school, as a zip streamed to a phone or a folder copied
//! to a USB stick, each with an `index.html` that lists and searches them with no server and no
//! network. Names are made safe for FAT32 sticks. This module knows nothing of the catalog: the
//! service hands it the documents and the paths of their files.

mod drives;
mod folder;
mod hashing;
mod names;
mod offline;
mod offline_index;
pub mod pack;
mod qr;
mod zipped;

use std::path::PathBuf;

pub use drives::{in_folder as drives_in_folder, removable as removable_drives, Drive};
pub use folder::{deliver_file, write_folder, FolderError, Progress};
pub use hashing::HashingWriter;
pub use names::{file_name, safe};
pub use offline::{WeekNote, WeekNotes};
pub use qr::QrModules;
pub use zipped::write_zip;

/// One document going into a bundle.
#[derive(Debug, Clone)]
pub struct Item {
    /// The stored file to copy.
    pub source: PathBuf,
    /// Where it goes inside the bundle: folders then file name, all already safe and unique.
    pub path: Vec<String>,
    pub bytes: u64,
    pub sha256: String,
    pub title: String,
    pub levels: Vec<String>,
    pub subject: Option<String>,
    /// "12 mars 2026".
    pub date: String,
    /// When the document was added, as the zip entry's date (so it does not show 1980).
    pub modified: time::PrimitiveDateTime,
    /// Whether the bundle stores it compressed (text) or as is (PDF, images, office files are
    /// compressed already).
    pub compress: bool,
    /// Words of its text for the offline search (folded, deduplicated, capped); a USB copy gets
    /// them while its files copy.
    pub words: String,
}

/// What a bundle is called and says on its first page.
#[derive(Debug, Clone)]
pub struct Cover {
    pub school: String,
    /// "2nde — Mathématiques", or "Tous les documents".
    pub selection: String,
    /// "28 novembre 2026".
    pub date: String,
    /// The week's cahier de texte, in a copy made for a class or a level.
    pub week: Option<WeekNotes>,
}

/// Files inside a bundle folder besides the documents.
pub const INDEX_FILE: &str = "index.html";
/// The offline search's words beside `index.html` (a bundle without it still lists everything).
pub const SEARCH_FILE: &str = "recherche.js";

/// Makes each item's path safe and its file name unique within its folder (case-insensitively).
pub fn layout(mut items: Vec<Item>) -> Vec<Item> {
    let mut folders: std::collections::HashMap<Vec<String>, names::UniqueNames> =
        Default::default();
    for item in &mut items {
        let (dirs, name) = item.path.split_at(item.path.len().saturating_sub(1));
        let dirs: Vec<String> = dirs.iter().map(|d| names::safe(d)).collect();
        let name = name
            .first()
            .cloned()
            .unwrap_or_else(|| "document".to_owned());
        // FAT folds case: "Option Cinéma" and "option cinéma" are one folder on a stick.
        let key: Vec<String> = dirs.iter().map(|d| d.to_lowercase()).collect();
        let unique = folders.entry(key).or_default().claim(&name);
        item.path = dirs.into_iter().chain(std::iter::once(unique)).collect();
    }
    items
}
