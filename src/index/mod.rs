//! The search index (tantivy): derived from the catalog, always rebuildable, so any doubt about
//! it (a schema change, a damaged folder) is settled by rebuilding. Documents are keyed by their
//! id; adding a document whose id is present replaces it. Only this module imports tantivy.

mod analyzer;
mod query;
mod snippet;
mod sounds;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::model::DocumentId;

pub use query::{Found, SearchRequest, SearchResults};
pub use snippet::Marker;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot use the index folder {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    InvalidQuery(String),
    /// The index on disk lacks what this version writes: rebuilt by `cartable reindex`.
    #[error("the search index is damaged ({0}): run `cartable reindex`")]
    Corrupt(String),
    #[error("the index is open for searching only: another cartable process owns it")]
    ReadOnly,
    #[error("the search index in {0} is of another version: start `cartable serve` or run `cartable reindex` to rebuild it")]
    OtherVersion(std::path::PathBuf),
}

impl Error {
    /// Whether the index could not be written because the disk (or the quota) is full.
    pub fn is_disk_full(&self) -> bool {
        use tantivy::directory::error::OpenWriteError;
        use tantivy::TantivyError;
        let full = |error: &std::io::Error| {
            matches!(
                error.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            ) || error
                .get_ref()
                .and_then(|inner| inner.source())
                .and_then(|inner| inner.downcast_ref::<std::io::Error>())
                .is_some_and(|inner| {
                    matches!(
                        inner.kind(),
                        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
                    )
                })
        };
        match self {
            Error::Io { source, .. } => full(source),
            Error::Tantivy(TantivyError::IoError(error)) => full(error),
            Error::Tantivy(TantivyError::OpenWriteError(OpenWriteError::IoError {
                io_error,
                ..
            })) => full(io_error),
            _ => false,
        }
    }
}

/// What the index needs to know of a document.
#[derive(Debug, Clone)]
pub struct IndexedDocument<'a> {
    pub id: &'a DocumentId,
    pub title: &'a str,
    /// File name, subject, levels, class, author: words that find the document too.
    pub metadata: String,
    pub body: &'a str,
    pub levels: Vec<&'a str>,
    pub subject: Option<&'a str>,
    pub class: Option<&'a str>,
    pub public: bool,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    metadata: Field,
    body: Field,
    /// The start of the body, stored for snippets (the body itself is indexed, not stored).
    excerpt: Field,
    words: Field,
    /// Sound keys of the words (see [`sounds`]): "key" and "key word" terms.
    sounds: Field,
    level: Field,
    subject: Field,
    class: Field,
    public: Field,
}

/// Holds [`SCHEMA_VERSION`] beside the index.
const VERSION_FILE: &str = "cartable-index-version";

/// Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
const SCHEMA_VERSION: &str = "3";

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let french = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::FRENCH)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED | FAST),
        title: builder.add_text_field(
            "title",
            french(IndexRecordOption::WithFreqsAndPositions) | STORED,
        ),
        metadata: builder.add_text_field("metadata", french(IndexRecordOption::WithFreqs)),
        body: builder.add_text_field("body", french(IndexRecordOption::WithFreqsAndPositions)),
        excerpt: builder.add_text_field("excerpt", STORED),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer::WORDS)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        sounds: builder.add_text_field(
            "sounds",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        level: builder.add_text_field("level", STRING),
        subject: builder.add_text_field("subject", STRING),
        class: builder.add_text_field("class", STRING),
        public: builder.add_text_field("public", STRING),
    };
    (builder.build(), fields)
}

/// Bytes of a document's text kept for snippets. Fetching and scanning a whole book for every hit
/// would make snippets the slowest part of a search; passages further in are rarely the point.
const EXCERPT_BYTES: usize = 128 * 1024;

fn excerpt(text: &str) -> &str {
    let mut cut = text.len().min(EXCERPT_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// The open index with its single writer.
pub struct SearchIndex {
    reader: IndexReader,
    /// Analysers built once (their stop-word set and stemmer are not free to build per query).
    french: tantivy::tokenizer::TextAnalyzer,
    words: tantivy::tokenizer::TextAnalyzer,
    /// `None` when another process owns the writer (see [`SearchIndex::open_read_only`]).
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// Memory for the writer's buffer: tantivy needs 15 MB per thread; one thread is plenty here.
const WRITER_MEMORY: usize = 40 * 1024 * 1024;

impl SearchIndex {
    /// Opens the index in `dir`, creating it, or recreating it empty when it is of another
    /// version or unreadable. Returns whether it was (re)created, so the caller can refill it.
    /// Opens the index for searching only: another process (the server) owns its writer.
    pub fn open_read_only(dir: &Path) -> Result<SearchIndex, Error> {
        // An index of another version has other fields: searching it would fail deep in tantivy.
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
        if version.as_deref() != Some(SCHEMA_VERSION) {
            return Err(Error::OtherVersion(dir.to_owned()));
        }
        let (_, fields) = schema();
        let index = Index::open_in_dir(dir)?;
        SearchIndex::with_index(index, fields, None)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        writer: Option<IndexWriter>,
    ) -> Result<SearchIndex, Error> {
        index
            .tokenizers()
            .register(analyzer::FRENCH, analyzer::french());
        index
            .tokenizers()
            .register(analyzer::WORDS, analyzer::words());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            french: analyzer::french(),
            words: analyzer::words(),
            writer: writer.map(Mutex::new),
            fields,
        })
    }

    pub fn open(dir: &Path) -> Result<(SearchIndex, bool), Error> {
        let io = |e| Error::Io {
            path: dir.to_owned(),
            source: e,
        };
        let version_file = dir.join(VERSION_FILE);
        let current = std::fs::read_to_string(&version_file).ok();
        let (schema, fields) = schema();
        let existing = if current.as_deref() == Some(SCHEMA_VERSION) {
            Index::open_in_dir(dir).ok()
        } else {
            None
        };
        let created = existing.is_none();
        let index = match existing {
            Some(index) => index,
            None => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(io)?;
                }
                std::fs::create_dir_all(dir).map_err(io)?;
                let index = Index::create_in_dir(dir, schema)?;
                std::fs::write(&version_file, SCHEMA_VERSION).map_err(io)?;
                index
            }
        };
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        Ok((
            SearchIndex::with_index(index, fields, Some(writer))?,
            created,
        ))
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, Error> {
        let writer = self.writer.as_ref().ok_or(Error::ReadOnly)?;
        Ok(writer.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Adds or replaces a document. Visible to searches after the next [`SearchIndex::commit`].
    pub fn upsert(&self, document: &IndexedDocument<'_>) -> Result<(), Error> {
        let f = self.fields;
        let mut indexed = doc!(
            f.id => document.id.as_str(),
            f.title => document.title,
            f.metadata => document.metadata.as_str(),
            f.body => document.body,
            f.excerpt => excerpt(document.body),
            f.words => document.title,
            f.words => document.metadata.as_str(),
            f.words => document.body,
            f.public => if document.public { "yes" } else { "no" },
        );
        for term in sounds::terms(&[document.title, &document.metadata, document.body]) {
            indexed.add_text(f.sounds, term);
        }
        for level in &document.levels {
            indexed.add_text(f.level, level);
        }
        if let Some(subject) = document.subject {
            indexed.add_text(f.subject, subject);
        }
        if let Some(class) = document.class {
            indexed.add_text(f.class, class);
        }
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(f.id, document.id.as_str()));
        writer.add_document(indexed)?;
        Ok(())
    }

    pub fn remove(&self, id: &DocumentId) -> Result<(), Error> {
        self.writer()?
            .delete_term(Term::from_field_text(self.fields.id, id.as_str()));
        Ok(())
    }

    /// Makes every change so far durable and visible to searches.
    pub fn commit(&self) -> Result<(), Error> {
        self.writer()?.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The ids of every document in the index (as of the last commit).
    pub fn ids(&self) -> Result<HashSet<String>, Error> {
        let searcher = self.reader.searcher();
        let mut ids = HashSet::new();
        for segment in searcher.segment_readers() {
            let column = segment
                .fast_fields()
                .str("id")?
                .ok_or_else(|| Error::Corrupt("no id column".into()))?;
            let mut id = String::new();
            for doc in segment.doc_ids_alive() {
                for ord in column.term_ords(doc) {
                    id.clear();
                    column.ord_to_str(ord, &mut id).map_err(|e| Error::Io {
                        path: Default::default(),
                        source: e,
                    })?;
                    ids.insert(id.clone());
                }
            }
        }
        Ok(ids)
    }

    /// Number of documents searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index takes on disk.
    pub fn disk_bytes(dir: &Path) -> u64 {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    fn stored_id(&self, doc: &TantivyDocument) -> Option<String> {
        use tantivy::schema::Value;
        doc.get_first(self.fields.id)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }
}
