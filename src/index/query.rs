//! Turning what a person typed into a ranked search. The text is never parsed as a query language:
//! it is analysed like documents are, so quotes, colons or brackets are just separators and no
//! input can make the parser fail. Ranking, from strongest to weakest: the words as a phrase in the
//! title, in the body; a word in the title, the file name and metadata, the body; then words one
//! typo away (for words of 5+ letters), weighted below exact matches.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};

use super::{analyzer, snippet, Error, SearchIndex};

/// Longest accepted query, in characters; longer text is not a search.
pub const MAX_QUERY_CHARS: usize = 500;
/// Words considered per query; the rest are ignored.
const MAX_WORDS: usize = 16;
/// Words one edit away that a misspelt word may stand for, the most common first.
const MAX_EXPANSIONS: usize = 8;
/// Shortest word (in letters) that gets typo tolerance; shorter ones would match too much.
const FUZZY_MIN_CHARS: usize = 5;
/// A typed word found in at least this many documents is taken as spelt right.
const KNOWN_WORD_DOCUMENTS: u64 = 2;

const TITLE_BOOST: f32 = 3.0;
const METADATA_BOOST: f32 = 2.0;
const BODY_BOOST: f32 = 1.0;
const TITLE_PHRASE_BOOST: f32 = 4.0;
const BODY_PHRASE_BOOST: f32 = 6.0;
/// Weight of a typo match relative to an exact one.
const FUZZY_WEIGHT: f32 = 0.4;
/// Words between phrase terms a match may have and still count as the phrase (proximity).
const PHRASE_SLOP: u32 = 2;

/// A search as the service asks for it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub text: String,
    pub level: Option<String>,
    pub subject: Option<String>,
    pub class: Option<String>,
    pub public_only: bool,
    pub limit: usize,
    pub offset: usize,
}

/// One ranked result: the document id and an HTML snippet (escaped, `<mark>` around matches).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub id: String,
    pub snippet: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub found: Vec<Found>,
}

/// One word of the query, analysed.
struct QueryWord {
    position: usize,
    stem: String,
    /// The word as typed, lowercased (accents kept).
    typed: String,
    /// Stems of indexed words one typo away from what was typed.
    expansions: Vec<String>,
}

impl SearchIndex {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, Error> {
        if request.text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::InvalidQuery(format!(
                "La recherche est trop longue ({MAX_QUERY_CHARS} caractères au plus) : gardez les mots les plus importants."
            )));
        }
        let searcher = self.reader.searcher();
        let words = self.analyse(&searcher, &request.text)?;
        if words.is_empty() {
            // Words were typed, but only ones too common to tell documents apart ("le la de").
            let message = if request.text.chars().any(char::is_alphanumeric) {
                "Ces mots sont trop courants pour trouver un document (le, la, de, et…) : ajoutez un mot plus précis, comme une matière ou le titre d'un chapitre."
            } else {
                "Tapez au moins un mot à chercher."
            };
            return Err(Error::InvalidQuery(message.to_owned()));
        }
        let text_query = self.text_query(&words);
        let query = self.with_filters(text_query, request);
        let limit = request.limit.clamp(1, 100);
        let (top, total) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(request.offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        let needles: Vec<String> = words
            .iter()
            .flat_map(|w| [w.stem.clone(), w.typed.clone()])
            .collect();
        let highlighter =
            snippet::Highlighter::new(snippet_terms(&words), &needles, self.fields.excerpt);
        let mut found = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(id) = self.stored_id(&doc) else {
                continue;
            };
            let snippet = highlighter.render(&doc);
            found.push(Found { id, snippet });
        }
        Ok(SearchResults { total, found })
    }

    /// Analyses the query and finds, for long enough words, the indexed words one typo away.
    fn analyse(&self, searcher: &Searcher, text: &str) -> Result<Vec<QueryWord>, Error> {
        let mut french = self.french.clone();
        let mut surface = self.words.clone();
        let surface_words: HashMap<usize, String> =
            analyzer::tokens(&mut surface, text).into_iter().collect();
        let typed_words: HashMap<usize, String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .enumerate()
            .collect();
        let mut words = Vec::new();
        for (position, stem) in analyzer::tokens(&mut french, text)
            .into_iter()
            .take(MAX_WORDS)
        {
            let typed = surface_words
                .get(&position)
                .cloned()
                .unwrap_or_else(|| stem.clone());
            let expansions = if typed.chars().count() >= FUZZY_MIN_CHARS {
                self.expansions(searcher, &typed, &stem, &mut french)?
            } else {
                Vec::new()
            };
            words.push(QueryWord {
                position,
                stem,
                typed: typed_words.get(&position).cloned().unwrap_or_default(),
                expansions,
            });
        }
        Ok(words)
    }

    /// Indexed words at one edit (transpositions included) from `typed`, most frequent first,
    /// returned as stems different from the word's own stem.
    fn expansions(
        &self,
        searcher: &Searcher,
        typed: &str,
        stem: &str,
        french: &mut tantivy::tokenizer::TextAnalyzer,
    ) -> Result<Vec<String>, Error> {
        // A word several documents contain is most likely spelt as meant: its neighbours one edit
        // away would add noise and cost, not recall (stemming already joins its inflections).
        let exact = Term::from_field_text(self.fields.words, typed);
        if searcher.doc_freq(&exact)? >= KNOWN_WORD_DOCUMENTS {
            return Ok(Vec::new());
        }
        let fuzzy = FuzzyTermQuery::new(exact, 1, true);
        let automaton = fuzzy.automaton()?;
        let mut frequencies: BTreeMap<String, u32> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.words)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(|e| Error::Io {
                    path: Default::default(),
                    source: e,
                })?;
            while stream.advance() {
                let word = String::from_utf8_lossy(stream.key()).into_owned();
                *frequencies.entry(word).or_default() += stream.value().doc_freq;
            }
        }
        let mut candidates: Vec<(String, u32)> = frequencies
            .into_iter()
            .filter(|(word, _)| word != typed)
            .collect();
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut stems = Vec::new();
        for (word, _) in candidates {
            for (_, expanded) in analyzer::tokens(french, &word) {
                if expanded != stem && !stems.contains(&expanded) {
                    stems.push(expanded);
                }
            }
            if stems.len() >= MAX_EXPANSIONS {
                break;
            }
        }
        Ok(stems)
    }

    fn text_query(&self, words: &[QueryWord]) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in words {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, boost) in [
                (f.title, TITLE_BOOST),
                (f.metadata, METADATA_BOOST),
                (f.body, BODY_BOOST),
            ] {
                alternatives.push((Occur::Should, term(field, &word.stem, boost)));
                for expansion in &word.expansions {
                    alternatives
                        .push((Occur::Should, term(field, expansion, boost * FUZZY_WEIGHT)));
                }
            }
            clauses.push((Occur::Should, Box::new(BooleanQuery::new(alternatives))));
        }
        if words.len() > 1 {
            for (field, boost) in [(f.title, TITLE_PHRASE_BOOST), (f.body, BODY_PHRASE_BOOST)] {
                let first = words[0].position;
                let terms: Vec<(usize, Term)> = words
                    .iter()
                    .map(|w| (w.position - first, Term::from_field_text(field, &w.stem)))
                    .collect();
                let mut phrase = PhraseQuery::new_with_offset(terms);
                phrase.set_slop(PHRASE_SLOP);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(phrase), boost)),
                ));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Restricts the text query to the filters; filter terms add nothing to the score.
    fn with_filters(&self, text_query: Box<dyn Query>, request: &SearchRequest) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        let filters = [
            (f.level, request.level.as_deref()),
            (f.subject, request.subject.as_deref()),
            (f.class, request.class.as_deref()),
            (f.public, request.public_only.then_some("yes")),
        ];
        for (field, value) in filters {
            if let Some(value) = value {
                clauses.push((Occur::Must, term(field, value, 0.0)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

fn term(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(query), boost))
}

/// Stems to highlight in snippets: the query's and its typo matches.
fn snippet_terms(words: &[QueryWord]) -> Vec<String> {
    let mut terms: Vec<String> = words
        .iter()
        .flat_map(|w| std::iter::once(&w.stem).chain(&w.expansions))
        .cloned()
        .collect();
    terms.sort();
    terms.dedup();
    terms
}
