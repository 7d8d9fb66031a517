//! Importing files, folders and zip packs (such as a CNED pack) as a person would hand them over:
//! each file becomes a document, level/class/subject are inferred from folder and file names
//! unless given, the same content twice is added once. Files are processed in parallel (the work
//! is mostly extraction in child processes) and the index is committed once at the end.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

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
    ZipEntry { archive: PathBuf, index: usize },
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
        for path in paths {
            collect(path, &mut candidates, &mut refused);
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
            // The entry is streamed into the store like an upload, under the same size limit.
            Location::ZipEntry { archive, index } => open_zip(archive).and_then(|mut zip| {
                let entry = zip.by_index(*index).map_err(|_| {
                    Error::InvalidInput("fichier illisible dans l'archive zip".to_owned())
                })?;
                self.add(entry, &candidate.file_name, &metadata, false)
            }),
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

fn collect(path: &Path, candidates: &mut Vec<Candidate>, refused: &mut Vec<ImportOutcome>) {
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
            add_file(entry.path(), folders, candidates, refused);
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
        add_file(path, folders, candidates, refused);
    }
}

/// A file becomes a candidate, or, when it is a zip pack, each of its entries does.
fn add_file(
    path: &Path,
    folders: Vec<String>,
    candidates: &mut Vec<Candidate>,
    refused: &mut Vec<ImportOutcome>,
) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = path.display().to_string();
    if let Ok(Kind::Archive) = extract::detect(path, &file_name) {
        let archive_name = extract::title_from_file_name(&file_name);
        match zip_entries(path) {
            Ok(entries) => {
                for (index, name) in entries {
                    let mut entry_folders = folders.clone();
                    entry_folders.push(archive_name.clone());
                    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
                    let Some((entry_file, entry_dirs)) = parts.split_last() else {
                        continue;
                    };
                    if parts.iter().any(|p| is_clutter(p)) {
                        continue;
                    }
                    entry_folders.extend(entry_dirs.iter().map(|d| d.to_string()));
                    candidates.push(Candidate {
                        location: Location::ZipEntry {
                            archive: path.to_owned(),
                            index,
                        },
                        source: format!("{source}/{name}"),
                        folders: entry_folders,
                        file_name: (*entry_file).to_owned(),
                    });
                }
            }
            Err(reason) => refused.push(ImportOutcome::Refused { source, reason }),
        }
        return;
    }
    candidates.push(Candidate {
        location: Location::File(path.to_owned()),
        source,
        folders,
        file_name,
    });
}

/// The file entries of a zip, with their index. Names are only used for display and inference,
/// never as paths to write to.
fn zip_entries(path: &Path) -> Result<Vec<(usize, String)>, String> {
    let file = File::open(path).map_err(|e| format!("lecture impossible : {e}"))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|_| "archive zip endommagée".to_owned())?;
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index(index) else {
            continue;
        };
        if let (true, Ok(name)) = (entry.is_file(), entry.name()) {
            entries.push((index, name.into_owned()));
        }
    }
    Ok(entries)
}

/// Opens a zip pack to read one of its entries.
fn open_zip(archive: &Path) -> Result<zip::ZipArchive<BufReader<File>>, Error> {
    let file = File::open(archive)
        .map_err(|e| Error::InvalidInput(format!("lecture impossible : {e}")))?;
    zip::ZipArchive::new(BufReader::new(file))
        .map_err(|_| Error::InvalidInput("archive zip endommagée".to_owned()))
}
