//! Importing files, folders and zip packs (such as a CNED pack) as a person would hand them over:
//! each file becomes a document, level/class/subject are inferred from folder and file names
//! unless given, the same content twice is added once. Files are processed in parallel (the work
//! is mostly extraction in child processes) and the index is committed once at the end. A zip
//! pack is screened from its directory first (`extract::archive`): every file not imported is
//! reported with its reason, and each entry is streamed held to its declared size.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::extract::archive::{self, Bounds, ListLimits, Verdict, ZipEntry};
use crate::extract::{self, Kind};
use crate::model::{fold, Document, Metadata, Source, TextStatus};

use super::{infer, Added, Core, Error};

/// What happened to one imported file. `source` is the path as the person knows it.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    Added { source: String, document: Document },
    Duplicate { source: String, existing: Document },
    Refused { source: String, reason: String },
}

impl ImportOutcome {
    pub fn source(&self) -> &str {
        match self {
            ImportOutcome::Added { source, .. }
            | ImportOutcome::Duplicate { source, .. }
            | ImportOutcome::Refused { source, .. } => source,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub outcomes: Vec<ImportOutcome>,
}

impl ImportReport {
    pub fn added(&self) -> impl Iterator<Item = &Document> {
        self.outcomes.iter().filter_map(|o| match o {
            ImportOutcome::Added { document, .. } => Some(document),
            _ => None,
        })
    }

    pub fn duplicates(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, ImportOutcome::Duplicate { .. }))
            .count()
    }

    pub fn refused(&self) -> impl Iterator<Item = (&str, &str)> {
        self.outcomes.iter().filter_map(|o| match o {
            ImportOutcome::Refused { source, reason } => Some((source.as_str(), reason.as_str())),
            _ => None,
        })
    }

    /// Added documents that are stored but not searchable by their content.
    pub fn without_text(&self) -> impl Iterator<Item = &Document> {
        self.added().filter(|d| d.text_status != TextStatus::Ok)
    }
}

/// Where a file to import is.
#[derive(Debug, Clone)]
enum Location {
    File(PathBuf),
    ZipEntry { archive: PathBuf, entry: ZipEntry },
}

#[derive(Debug, Clone)]
struct Candidate {
    location: Location,
    source: String,
    /// Folder names from outermost to innermost, for inference.
    folders: Vec<String>,
    file_name: String,
}

impl Core {
    /// Imports every file under `paths`. `given` overrides what would be inferred. `progress` is
    /// called after each file with the outcome, the number done and the total.
    pub fn import(
        &self,
        paths: &[PathBuf],
        given: &Metadata,
        progress: &(dyn Fn(&ImportOutcome, usize, usize) + Sync),
    ) -> Result<ImportReport, Error> {
        self.writable()?;
        let mut refused = Vec::new();
        let mut candidates = Vec::new();
        let bounds = Bounds {
            max_entry_bytes: self.max_upload_bytes,
            ..Bounds::default()
        };
        for path in paths {
            collect(path, &bounds, &mut candidates, &mut refused);
        }
        let total = candidates.len() + refused.len();
        let done = AtomicUsize::new(0);
        let outcomes = Mutex::new(Vec::with_capacity(total));
        for outcome in refused {
            progress(&outcome, done.fetch_add(1, Ordering::SeqCst) + 1, total);
            outcomes
                .lock()
                .expect("no panic while holding")
                .push(outcome);
        }
        let next = AtomicUsize::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(candidate) = candidates.get(i) else {
                        break;
                    };
                    let outcome = self.import_one(candidate, given);
                    progress(&outcome, done.fetch_add(1, Ordering::SeqCst) + 1, total);
                    outcomes
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(outcome);
                });
            }
        });
        self.commit()?;
        let mut outcomes = outcomes.into_inner().unwrap_or_else(|p| p.into_inner());
        outcomes.sort_by(|a, b| a.source().cmp(b.source()));
        Ok(ImportReport { outcomes })
    }

    fn import_one(&self, candidate: &Candidate, given: &Metadata) -> ImportOutcome {
        let source = candidate.source.clone();
        let metadata = metadata_for(candidate, given);
        let added = match &candidate.location {
            Location::File(path) => File::open(path)
                .map_err(|e| Error::InvalidInput(format!("lecture impossible : {e}")))
                .and_then(|file| {
                    // Its size is known: a file that would take the disk's reserve is refused
                    // before a byte is written.
                    self.room_for(file.metadata().map_or(0, |m| m.len()))?;
                    self.add(BufReader::new(file), &candidate.file_name, &metadata, false)
                }),
            // The entry is streamed into the store like an upload, held to its declared size.
            Location::ZipEntry { archive, entry } => {
                match File::open(archive)
                    .map_err(|e| e.to_string())
                    .and_then(|f| {
                        archive::open_entry(BufReader::new(f), entry).map_err(|e| e.to_string())
                    }) {
                    Ok(mut reader) => {
                        let added = self.add(&mut reader, &candidate.file_name, &metadata, false);
                        if let (Err(_), Some(refusal)) = (&added, reader.refusal()) {
                            return ImportOutcome::Refused {
                                source,
                                reason: refusal.to_string(),
                            };
                        }
                        added
                    }
                    Err(error) => {
                        tracing::warn!(%source, %error, "zip entry unreadable");
                        Err(Error::InvalidInput(
                            "fichier illisible dans l'archive zip".to_owned(),
                        ))
                    }
                }
            }
        };
        match added {
            Ok(Added::New(document)) => ImportOutcome::Added { source, document },
            Ok(Added::Duplicate(existing)) => ImportOutcome::Duplicate { source, existing },
            Err(Error::Internal(error)) => {
                tracing::error!(%source, %error, "import failed");
                ImportOutcome::Refused {
                    source,
                    reason: "erreur interne (voir le journal)".to_owned(),
                }
            }
            Err(error) => ImportOutcome::Refused {
                source,
                reason: error.to_string(),
            },
        }
    }
}

/// What is given wins; what is not is inferred from folder and file names.
fn metadata_for(candidate: &Candidate, given: &Metadata) -> Metadata {
    let folders: Vec<&str> = candidate.folders.iter().map(String::as_str).collect();
    let inferred = infer(&folders, &candidate.file_name);
    let mentions_cned = folders
        .iter()
        .chain(std::iter::once(&candidate.file_name.as_str()))
        .any(|name| fold(name).contains("cned"));
    Metadata {
        levels: if given.levels.is_empty() {
            inferred.levels
        } else {
            given.levels.clone()
        },
        class: given.class.clone().or(inferred.class),
        subject: given.subject.clone().or(inferred.subject),
        source: given.source.or(mentions_cned.then_some(Source::Cned)),
        ..given.clone()
    }
}

/// Files people's machines leave in folders, which are nobody's documents.
fn is_clutter(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name == "__MACOSX"
}

fn collect(
    path: &Path,
    bounds: &Bounds,
    candidates: &mut Vec<Candidate>,
    refused: &mut Vec<ImportOutcome>,
) {
    let shown = path.display().to_string();
    let Ok(metadata) = std::fs::metadata(path) else {
        refused.push(ImportOutcome::Refused {
            source: shown,
            reason: "fichier ou dossier introuvable".to_owned(),
        });
        return;
    };
    if metadata.is_dir() {
        // The folder's own name counts ("Mathématiques" when importing that folder).
        let root_name: Vec<String> = path
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .into_iter()
            .collect();
        let walk = walkdir::WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_clutter(&e.file_name().to_string_lossy()));
        for entry in walk.filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(path).unwrap_or(entry.path());
            let mut folders = root_name.clone();
            if let Some(parent) = relative.parent() {
                folders.extend(parent.iter().map(|c| c.to_string_lossy().into_owned()));
            }
            add_file(entry.path(), folders, bounds, candidates, refused);
        }
    } else {
        let folders = path
            .canonicalize()
            .ok()
            .and_then(|p| {
                p.parent()
                    .and_then(|p| p.file_name())
                    .map(|n| vec![n.to_string_lossy().into_owned()])
            })
            .unwrap_or_default();
        add_file(path, folders, bounds, candidates, refused);
    }
}

/// A file becomes a candidate, or, when it is a zip pack, each of its entries does.
fn add_file(
    path: &Path,
    folders: Vec<String>,
    bounds: &Bounds,
    candidates: &mut Vec<Candidate>,
    refused: &mut Vec<ImportOutcome>,
) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = path.display().to_string();
    if let Ok(Kind::Archive) = extract::detect(path, &file_name) {
        add_zip_entries(path, folders, bounds, candidates, refused);
        return;
    }
    candidates.push(Candidate {
        location: Location::File(path.to_owned()),
        source,
        folders,
        file_name,
    });
}

/// Each entry of a zip pack becomes a candidate, or a refusal with its reason: the archive is
/// screened from its central directory (bounded listing, nothing decompressed) before anything
/// is read, and entry names are only shown and used for inference, never as paths to write to.
fn add_zip_entries(
    path: &Path,
    folders: Vec<String>,
    bounds: &Bounds,
    candidates: &mut Vec<Candidate>,
    refused: &mut Vec<ImportOutcome>,
) {
    let source = path.display().to_string();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let limits = ListLimits {
        // Some entries past the cap are listed, to name them in the report.
        max_listed: bounds.max_entries + 1000,
        ..ListLimits::default()
    };
    let listing = match File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| archive::list_zip(&mut BufReader::new(f), &limits).map_err(|e| e.to_string()))
    {
        Ok(listing) => listing,
        Err(error) => {
            tracing::warn!(%source, %error, "zip pack unreadable");
            refused.push(ImportOutcome::Refused {
                source,
                reason: "archive zip endommagée".to_owned(),
            });
            return;
        }
    };
    let archive_name = extract::title_from_file_name(&file_name);
    let verdicts = archive::screen_entries(&listing.entries, bounds);
    for (entry, verdict) in listing.entries.into_iter().zip(verdicts) {
        let shown = format!("{source}/{}", entry.name);
        match verdict {
            Verdict::Folder => {}
            Verdict::Refuse(refusal) => refused.push(ImportOutcome::Refused {
                source: shown,
                reason: refusal.to_string(),
            }),
            Verdict::Import => {
                let parts: Vec<&str> = entry.name.split('/').filter(|p| !p.is_empty()).collect();
                let Some((entry_file, entry_dirs)) = parts.split_last() else {
                    continue;
                };
                // Clutter a machine left (`.DS_Store`, `__MACOSX/`) is nobody's document.
                if parts.iter().any(|p| is_clutter(p)) {
                    continue;
                }
                let mut entry_folders = folders.clone();
                entry_folders.push(archive_name.clone());
                entry_folders.extend(entry_dirs.iter().map(|d| d.to_string()));
                let file_name = (*entry_file).to_owned();
                candidates.push(Candidate {
                    location: Location::ZipEntry {
                        archive: path.to_owned(),
                        entry,
                    },
                    source: shown,
                    folders: entry_folders,
                    file_name,
                });
            }
        }
    }
    if listing.unlisted > 0 {
        refused.push(ImportOutcome::Refused {
            source: format!("{source} ({} autres fichiers, non lus)", listing.unlisted),
            reason: archive::Refusal::TooManyEntries {
                limit: bounds.max_entries,
            }
            .to_string(),
        });
    }
}
