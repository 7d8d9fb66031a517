//! Words spelt as they sound: each distinct word of a document is indexed by its French sound
//! key twice, as "key" (so keys one letter apart can be found with an automaton) and as
//! "key word" (so a key leads back to the words that have it). A query word nobody wrote finds
//! the indexed words that sound like it, which the query then searches as ordinary stems.

use std::collections::{BTreeMap, HashSet};

use tantivy::query::FuzzyTermQuery;
use tantivy::{Searcher, Term};

use crate::model::{fold, sound_key};

use super::{Error, SearchIndex};

/// Keys at least this long may also match keys one edit away (a schwa dropped: "sovgarde").
/// The offline index.html (bundle/offline.js) forgives the same slip from the same length.
const FUZZY_KEY_MIN: usize = 6;
/// Keys shorter than this are not looked up: they sound like too many words.
const SHORTEST_KEY: usize = 3;

/// The sound terms of a document's texts: "key" and "key word" for each distinct word.
pub(super) fn terms(texts: &[&str]) -> Vec<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut terms = HashSet::new();
    for text in texts {
        for raw in text.split(|c: char| !c.is_alphanumeric()) {
            if raw.len() < 3 || raw.len() > 40 || !seen.insert(raw) {
                continue;
            }
            if let Some(key) = sound_key(raw) {
                terms.insert(format!("{key} {}", fold(raw)));
                terms.insert(key);
            }
        }
    }
    terms.into_iter().collect()
}

impl SearchIndex {
    /// Indexed words (folded) that sound like `typed`, those of the same key first, then those
    /// of a key one edit away, each group most frequent first.
    pub(super) fn sound_alikes(
        &self,
        searcher: &Searcher,
        typed: &str,
    ) -> Result<Vec<String>, Error> {
        let Some(key) = sound_key(typed).filter(|k| k.len() >= SHORTEST_KEY) else {
            return Ok(Vec::new());
        };
        let mut keys = vec![key.clone()];
        if key.chars().count() >= FUZZY_KEY_MIN {
            let term = Term::from_field_text(self.fields.sounds, &key);
            let automaton = FuzzyTermQuery::new(term, 1, true).automaton()?;
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(self.fields.sounds)?;
                let mut stream = inverted
                    .terms()
                    .search(&automaton)
                    .into_stream()
                    .map_err(io_error)?;
                while stream.advance() {
                    let near = String::from_utf8_lossy(stream.key()).into_owned();
                    if !keys.contains(&near) {
                        keys.push(near);
                    }
                }
            }
        }
        let folded = fold(typed);
        let mut words = Vec::new();
        for (rank, key) in keys.iter().enumerate() {
            let mut frequencies: BTreeMap<String, u32> = BTreeMap::new();
            let (from, to) = (format!("{key} "), format!("{key}!"));
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(self.fields.sounds)?;
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(from.as_bytes())
                    .lt(to.as_bytes())
                    .into_stream()
                    .map_err(io_error)?;
                while stream.advance() {
                    let word = String::from_utf8_lossy(&stream.key()[from.len()..]).into_owned();
                    *frequencies.entry(word).or_default() += stream.value().doc_freq;
                }
            }
            let mut found: Vec<(String, u32)> = frequencies
                .into_iter()
                .filter(|(word, _)| *word != folded)
                .collect();
            found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            words.extend(found.into_iter().map(|(w, _)| (rank > 0, w)));
        }
        // Same key first; the stable sort keeps frequency order within each group.
        words.sort_by_key(|(near, _)| *near);
        Ok(words.into_iter().map(|(_, w)| w).collect())
    }
}

fn io_error(source: std::io::Error) -> Error {
    Error::Io {
        path: Default::default(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_distinct_word_gives_its_key_and_its_key_with_the_word() {
        let mut terms = terms(&["Calligraphie", "la calligraphie, Crayons 2024"]);
        terms.sort();
        assert_eq!(
            terms,
            [
                "kaligrafi",
                "kaligrafi calligraphie",
                "krai2",
                "krai2 crayons"
            ]
        );
    }
}
