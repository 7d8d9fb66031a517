//! Reading a document on a phone that has no office application ("Lire"):
//! - a PDF or a picture is read as it is: the browser shows it;
//! - a Word, OpenDocument or slide file as the PDF LibreOffice makes of it, when installed. It is
//!   kept by content hash in `converted/`, shared with printable packs, so each file is converted
//!   once. A conversion runs in the background, one at a time (LibreOffice takes hundreds of MiB
//!   and up to a minute on a Pi): the phone that asked gets a page that refreshes until the PDF
//!   is there, and may read the text meanwhile; a document asked for while another converts is
//!   read as text;
//! - without LibreOffice (or when it refused the file), and for Markdown, text and HTML, as its
//!   text with its headings, paragraphs and lists (`extract::reading`), read once by the
//!   confined extraction child (one child per file however many phones ask, two files at
//!   once) and kept by content hash in `reading/` (512 KiB of text at most each, so the folder
//!   stays smaller than the files it reads);
//! - a spreadsheet is not read here: it does not fit a phone's column.
//!
//! Whatever a file holds, the request that reads it waits at most for one extraction child
//! (its wall-clock limit), never for LibreOffice. Nothing is kept of a deleted document.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::convert;
use crate::model::{Document, DocumentId, Format, Reading, Visibility};

use super::{Core, Error, JobClass, Library};

/// How a document is read on a phone.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadingView {
    /// The file itself: the browser shows it (PDF, picture).
    Original,
    /// The PDF LibreOffice made of the file is ready.
    Converted,
    /// LibreOffice is making the PDF; the text can be read meanwhile.
    Converting,
    /// The text, laid out (empty when the file has none that can be read).
    Text(Reading),
    /// Nothing to read here: the file is to be downloaded (a spreadsheet).
    Nothing,
}

/// What [`Core::reading`] found to do.
#[derive(Debug)]
pub(super) enum Step {
    View(ReadingView),
    /// Convert the file, in the background.
    Convert(Conversion),
}

/// Names a kept reading; a new layout of the kept text gets a new version, so old ones are
/// never misread.
const KEPT_VERSION: &str = "v1";

/// After LibreOffice failed without blaming a file (not installed, broken), office files are
/// read as text for this long before it is tried again.
const OFFICE_RETRY: Duration = Duration::from_secs(600);

/// The conversion under way for reading, and whether LibreOffice works.
#[derive(Debug, Default)]
struct ConversionState {
    /// The content hash of the file being converted.
    running: Option<String>,
    /// LibreOffice failed on its own: not tried again before this.
    unavailable_until: Option<Instant>,
}

/// Conversions for reading (one at a time), shared with the conversion jobs.
#[derive(Debug, Default)]
pub(super) struct Conversions(Arc<Mutex<ConversionState>>);

impl Conversions {
    fn state(&self) -> std::sync::MutexGuard<'_, ConversionState> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A conversion begun: the turn is given back when it is dropped, done or not.
#[derive(Debug)]
pub(super) struct Conversion {
    source: convert::Source,
    state: Arc<Mutex<ConversionState>>,
}

impl Drop for Conversion {
    fn drop(&mut self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.running.as_deref() == Some(&self.source.key) {
            state.running = None;
        }
    }
}

/// Extraction children reading files for the first time at once: a class opening the week's
/// documents together waits its turn rather than starting one child (up to 1 GiB each) per phone.
const READS_AT_ONCE: usize = 2;

/// Files being read for their reading view.
#[derive(Debug, Default)]
pub(super) struct Reads {
    reading: Mutex<HashSet<String>>,
    done: Condvar,
}

/// A turn to read the file `key`; given back when dropped.
struct ReadTurn<'a> {
    reads: &'a Reads,
    key: String,
}

impl Reads {
    /// Waits until `key` is not being read by another request (its reading is then kept: one
    /// child per file, however many phones ask) and fewer than [`READS_AT_ONCE`] files are.
    fn take(&self, key: &str) -> ReadTurn<'_> {
        let mut reading = self.reading.lock().unwrap_or_else(|p| p.into_inner());
        while reading.contains(key) || reading.len() >= READS_AT_ONCE {
            reading = self.done.wait(reading).unwrap_or_else(|p| p.into_inner());
        }
        reading.insert(key.to_owned());
        ReadTurn {
            reads: self,
            key: key.to_owned(),
        }
    }
}

impl Drop for ReadTurn<'_> {
    fn drop(&mut self) {
        let mut reading = self.reads.reading.lock().unwrap_or_else(|p| p.into_inner());
        reading.remove(&self.key);
        self.reads.done.notify_all();
    }
}

impl Core {
    /// How `id` is read, for a family (`public_only`: staff-only documents are not found) or
    /// staff. `text_only` asks for the text even where LibreOffice could lay the file out.
    pub(super) fn reading(
        &self,
        id: &DocumentId,
        public_only: bool,
        text_only: bool,
    ) -> Result<(Document, Step), Error> {
        let document = self.readable(id, public_only)?;
        let step = match document.format {
            Format::Pdf | Format::Png | Format::Jpeg | Format::Gif | Format::Webp => {
                Step::View(ReadingView::Original)
            }
            Format::Xlsx | Format::Ods => Step::View(ReadingView::Nothing),
            Format::Docx | Format::Odt | Format::Pptx | Format::Odp if !text_only => {
                match self.layout_step(&document) {
                    Some(step) => step,
                    None => Step::View(ReadingView::Text(self.reading_text(&document)?)),
                }
            }
            _ => Step::View(ReadingView::Text(self.reading_text(&document)?)),
        };
        Ok((document, step))
    }

    /// The PDF LibreOffice made of `id`, once it is there.
    pub fn converted_pdf(
        &self,
        id: &DocumentId,
        public_only: bool,
    ) -> Result<(Document, PathBuf), Error> {
        let document = self.readable(id, public_only)?;
        let pdf =
            convert::kept(&self.store.converted_dir(), &document.sha256).ok_or(Error::NotFound)?;
        Ok((document, pdf))
    }

    fn readable(&self, id: &DocumentId, public_only: bool) -> Result<Document, Error> {
        let document = self.get(id)?;
        if public_only && document.visibility == Visibility::Staff {
            return Err(Error::NotFound);
        }
        Ok(document)
    }

    /// The office file as laid out by LibreOffice: ready, being made, or to make now; `None`
    /// when it is to be read as text (no LibreOffice, refused, or busy with another file).
    fn layout_step(&self, document: &Document) -> Option<Step> {
        let office = self.office.as_ref()?;
        let cache = self.store.converted_dir();
        let key = &document.sha256;
        if convert::kept(&cache, key).is_some() {
            return Some(Step::View(ReadingView::Converted));
        }
        if convert::refused(&cache, key) {
            return None;
        }
        let mut state = self.reading_conversions.state();
        if state.running.as_ref() == Some(key) {
            return Some(Step::View(ReadingView::Converting));
        }
        let unavailable = state.unavailable_until.is_some_and(|t| Instant::now() < t);
        if state.running.is_some() || unavailable || !office.installed() {
            return None;
        }
        state.running = Some(key.clone());
        Some(Step::Convert(Conversion {
            source: convert::Source {
                path: self.store.blobs().path(key),
                extension: document.format.extension(),
                key: key.clone(),
            },
            state: Arc::clone(&self.reading_conversions.0),
        }))
    }

    /// Runs a conversion begun by [`Core::reading`] (minutes at worst: a long job).
    pub(super) fn convert_for_reading(&self, conversion: Conversion) {
        let Some(office) = &self.office else {
            return;
        };
        let cache = self.store.converted_dir();
        let made = office.convert(
            std::slice::from_ref(&conversion.source),
            &cache,
            self.store.blobs().tmp_dir(),
        );
        let key = &conversion.source.key;
        if made.first().is_none_or(Option::is_none) && !convert::refused(&cache, key) {
            // No file blamed: LibreOffice itself does not work here for now.
            self.reading_conversions.state().unavailable_until =
                Some(Instant::now() + OFFICE_RETRY);
        }
    }

    /// The document's text laid out, read once and then kept by content hash.
    fn reading_text(&self, document: &Document) -> Result<Reading, Error> {
        let dir = self.store.reading_dir();
        let kept = kept_reading(&dir, &document.sha256);
        if let Some(reading) = read_kept(&kept) {
            return Ok(reading);
        }
        let _turn = self.reads.take(&document.sha256);
        // Another request may have read it while this one waited.
        if let Some(reading) = read_kept(&kept) {
            return Ok(reading);
        }
        let file = self.store.blobs().path(&document.sha256);
        // A child that failed (hostile or broken file) gives nothing to read, kept as such so
        // the file is not tried at every visit.
        let reading = self
            .extractor
            .read(&file, document.format)
            .unwrap_or_default();
        if let Err(error) = keep(&dir, self.store.blobs().tmp_dir(), &kept, &reading) {
            // Only costs reading the file again next time.
            tracing::warn!(%error, path = %kept.display(), "cannot keep a reading view");
        }
        Ok(reading)
    }
}

impl Library {
    /// How a document is read on a phone (see the module docs). A conversion it begins goes on
    /// in the background; the answer is then [`ReadingView::Converting`].
    pub async fn read(
        &self,
        id: DocumentId,
        public_only: bool,
        text_only: bool,
    ) -> Result<(Document, ReadingView), Error> {
        // Reading a file for the first time runs an extraction child: a long job, so a slow
        // one never holds the pool every page needs.
        let (document, step) = self
            .long_job(JobClass::Family, move |core| {
                core.reading(&id, public_only, text_only)
            })
            .await?;
        let view = match step {
            Step::View(view) => view,
            Step::Convert(conversion) => {
                let library = self.clone();
                tokio::spawn(async move {
                    let converting = library.long_job(JobClass::Family, move |core| {
                        core.convert_for_reading(conversion);
                        Ok(())
                    });
                    if let Err(error) = converting.await {
                        tracing::warn!(%error, "conversion for reading stopped");
                    }
                });
                ReadingView::Converting
            }
        };
        Ok((document, view))
    }
}

fn kept_reading(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(format!("{sha256}.{KEPT_VERSION}.json"))
}

/// A reading kept before; `None` when there is none or it cannot be read (it is then made
/// again).
fn read_kept(path: &Path) -> Option<Reading> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Keeps a reading: written aside, then renamed into place, so a reader never sees half of it.
fn keep(dir: &Path, tmp: &Path, path: &Path, reading: &Reading) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::Builder::new()
        .prefix(".reading-")
        .tempfile_in(tmp)?;
    serde_json::to_writer(std::io::BufWriter::new(file.as_file_mut()), reading)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the kept reading of the file `sha256`: a deleted document must not live on.
pub(super) fn forget(dir: &Path, sha256: &str) -> std::io::Result<()> {
    match std::fs::remove_file(kept_reading(dir, sha256)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    #[test]
    fn a_kept_reading_is_read_back_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let kept_dir = dir.path().join("reading");
        let path = kept_reading(&kept_dir, "abc");
        assert_eq!(read_kept(&path), None);
        let reading = Reading {
            blocks: vec![Block::Paragraph {
                text: "Bonjour".to_owned(),
            }],
            truncated: false,
        };
        keep(&kept_dir, dir.path(), &path, &reading).unwrap();
        assert_eq!(read_kept(&path), Some(reading));
        forget(&kept_dir, "abc").unwrap();
        assert_eq!(read_kept(&path), None);
        forget(&kept_dir, "abc").unwrap();
    }

    /// Takes `key` on another thread while `held` are held; whether it had to wait for them.
    fn waits_for(held: &[&str], key: &str) -> bool {
        use std::sync::atomic::{AtomicBool, Ordering};
        let reads = Reads::default();
        let turns: Vec<ReadTurn<'_>> = held.iter().map(|k| reads.take(k)).collect();
        let released = AtomicBool::new(false);
        let waited = std::thread::scope(|scope| {
            let taker = scope.spawn(|| {
                let _turn = reads.take(key);
                released.load(Ordering::SeqCst)
            });
            std::thread::sleep(std::time::Duration::from_millis(100));
            released.store(true, Ordering::SeqCst);
            drop(turns);
            taker.join().unwrap()
        });
        assert!(reads.reading.lock().unwrap().is_empty());
        waited
    }

    #[test]
    fn a_file_is_read_by_one_request_at_a_time_and_few_files_at_once() {
        assert!(!waits_for(&["a"], "b"));
        assert!(waits_for(&["a"], "a"), "the same file waits");
        assert!(waits_for(&["a", "b"], "c"), "past READS_AT_ONCE");
    }

    #[test]
    fn a_conversion_dropped_gives_its_turn_back() {
        let conversions = Conversions::default();
        conversions.state().running = Some("abc".to_owned());
        let conversion = Conversion {
            source: convert::Source {
                path: PathBuf::from("/nowhere"),
                extension: "docx",
                key: "abc".to_owned(),
            },
            state: Arc::clone(&conversions.0),
        };
        drop(conversion);
        assert_eq!(conversions.state().running, None);
    }
}
