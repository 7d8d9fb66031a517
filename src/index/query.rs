//! Turning what a person typed into a ranked search. The text is never parsed as a query language:
//! it is analysed like documents are, so quotes, colons or brackets are just separators and no
//! input can make the parser fail. Ranking, from strongest to weakest: the words as a phrase in the
//! title, in the body; a word in the title, the file name and metadata, the body; then words one
//! typo away (for words of 5+ letters), then words that sound alike ("kraion" for "crayon"),
//! weighted below exact matches. Documents that have every word of the query (in any of these
//! ways) come before those that have only some.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
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
/// Weight of a sound-alike match relative to an exact one: below a typo's, which is closer.
const SOUND_WEIGHT: f32 = 0.3;
/// Words sounding like a misspelt word that it may stand for, the likeliest first.
const MAX_SOUND_ALIKES: usize = 6;
/// Shortest word (in letters) matched by its sound.
const SOUND_MIN_CHARS: usize = 4;
/// Score added to a document having every word: more than any ranking of partial matches.
const ALL_WORDS_BONUS: f32 = 10_000.0;
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
    /// Whether some document has every word of the query (they come first); when none has, the
    /// results have only some of the words, which the page says.
    pub all_words: bool,
    /// Marks what the query matched in a hit's title or metadata, when its snippet shows none.
    pub marker: snippet::Marker,
}

/// One word of the query, analysed.
struct QueryWord {
    position: usize,
    stem: String,
    /// The word as typed, lowercased (accents kept).
    typed: String,
    /// Stems of indexed words one typo away from what was typed.
    expansions: Vec<String>,
    /// Stems of indexed words that sound like what was typed.
    sound_alikes: Vec<String>,
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
        let (query, all_words) = self.all_words_first(&searcher, &words, request)?;
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
        let all_words = all_words.unwrap_or_else(|| {
            top.first()
                .is_some_and(|(score, _)| *score >= ALL_WORDS_BONUS)
        });
        let needles: Vec<String> = words
            .iter()
            .flat_map(|w| {
                [w.stem.clone(), w.typed.clone()]
                    .into_iter()
                    .chain(w.expansions.iter().cloned())
                    .chain(w.sound_alikes.iter().cloned())
            })
            .collect();
        let marker = snippet::Marker::new(snippet_terms(&words));
        let highlighter = snippet::Highlighter::new(marker.clone(), &needles, self.fields.excerpt);
        let mut found = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(id) = self.stored_id(&doc) else {
                continue;
            };
            let snippet = highlighter.render(&doc);
            found.push(Found { id, snippet });
        }
        Ok(SearchResults {
            total,
            found,
            all_words,
            marker,
        })
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
            // A word several documents contain is most likely spelt as meant: its neighbours
            // one edit away or sounding alike would add noise and cost, not recall.
            let known = searcher.doc_freq(&Term::from_field_text(self.fields.words, &typed))?
                >= KNOWN_WORD_DOCUMENTS;
            let letters = typed.chars().count();
            let expansions = if !known && letters >= FUZZY_MIN_CHARS {
                self.expansions(searcher, &typed, &stem, &mut french)?
            } else {
                Vec::new()
            };
            let typed_word = typed_words.get(&position).cloned().unwrap_or_default();
            let sound_alikes = if !known && letters >= SOUND_MIN_CHARS {
                let mut stems: Vec<String> = Vec::new();
                for word in self.sound_alikes(searcher, &typed_word)? {
                    for (_, alike) in analyzer::tokens(&mut french, &word) {
                        if alike != stem && !expansions.contains(&alike) && !stems.contains(&alike)
                        {
                            stems.push(alike);
                        }
                    }
                    if stems.len() >= MAX_SOUND_ALIKES {
                        break;
                    }
                }
                stems
            } else {
                Vec::new()
            };
            words.push(QueryWord {
                position,
                stem,
                typed: typed_word,
                expansions,
                sound_alikes,
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
        let exact = Term::from_field_text(self.fields.words, typed);
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

    /// The query ranking documents that have every word (in any of its ways) before those that
    /// have some, and whether there are any of the former: known now, or (`None`) from the
    /// first page's best score, since every such document scores above [`ALL_WORDS_BONUS`].
    fn all_words_first(
        &self,
        searcher: &Searcher,
        words: &[QueryWord],
        request: &SearchRequest,
    ) -> Result<(Box<dyn Query>, Option<bool>), Error> {
        let groups: Vec<Box<dyn Query>> = words.iter().map(|w| self.word_query(w)).collect();
        let any = self.with_filters(self.text_query(words, &groups), request);
        if groups.len() < 2 {
            return Ok((any, Some(true)));
        }
        let every = BooleanQuery::new(
            groups
                .iter()
                .map(|g| (Occur::Must, g.box_clone()))
                .collect(),
        );
        let every = self.with_filters(Box::new(every), request);
        // Counting them is a second pass over every matching document (a few milliseconds at
        // 100,000 documents): only a later page, whose best may rank below them, needs it.
        let all_words = if request.offset > 0 {
            Some(searcher.search(&every, &Count)? > 0)
        } else {
            None
        };
        let bonus: Box<dyn Query> = Box::new(ConstScoreQuery::new(every, ALL_WORDS_BONUS));
        let ranked = BooleanQuery::new(vec![(Occur::Must, any), (Occur::Should, bonus)]);
        Ok((Box::new(ranked), all_words))
    }

    /// The ways one word may match: as typed (stemmed), one typo away, sounding alike; in the
    /// title, the metadata or the body.
    fn word_query(&self, word: &QueryWord) -> Box<dyn Query> {
        let f = self.fields;
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in [
            (f.title, TITLE_BOOST),
            (f.metadata, METADATA_BOOST),
            (f.body, BODY_BOOST),
        ] {
            alternatives.push((Occur::Should, term(field, &word.stem, boost)));
            for expansion in &word.expansions {
                alternatives.push((Occur::Should, term(field, expansion, boost * FUZZY_WEIGHT)));
            }
            for alike in &word.sound_alikes {
                alternatives.push((Occur::Should, term(field, alike, boost * SOUND_WEIGHT)));
            }
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    /// Any of the words, ranked; phrases of them weigh more.
    fn text_query(&self, words: &[QueryWord], groups: &[Box<dyn Query>]) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = groups
            .iter()
            .map(|g| (Occur::Should, g.box_clone()))
            .collect();
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

/// Stems to highlight in snippets: the query's, its typo and its sound-alike matches.
fn snippet_terms(words: &[QueryWord]) -> Vec<String> {
    let mut terms: Vec<String> = words
        .iter()
        .flat_map(|w| {
            std::iter::once(&w.stem)
                .chain(&w.expansions)
                .chain(&w.sound_alikes)
        })
        .cloned()
        .collect();
    terms.sort();
    terms.dedup();
    terms
}
