//! French text analysis, the same at index and query time: words split on anything that is not a
//! letter or digit (so elisions like "l'école" leave "école"), lowercased, common French words
//! dropped, accents folded, then stemmed ("fonctions" and "fonction" meet). A second, unstemmed
//! analysis keeps surface words for typo matching.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

use crate::model::fold;

/// Analyzer name for stemmed French fields.
pub const FRENCH: &str = "cartable_fr";
/// Analyzer name for folded, unstemmed words (the typo dictionary).
pub const WORDS: &str = "cartable_words";

/// Words longer than this are not words (hashes, base64, URLs squashed by extraction).
const LONGEST_WORD: usize = 40;

/// Elided forms the base French list lacks ("jusqu'à", "lorsqu'il").
const ELISIONS: [&str; 4] = ["jusqu", "lorsqu", "puisqu", "quoiqu"];

pub fn french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(stop_words()))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The French list, with each word also without accents (people type "meme" for "même").
fn stop_words() -> Vec<String> {
    let mut words: Vec<String> = FRENCH_STOP_WORDS
        .iter()
        .flat_map(|w| [w.to_string(), fold(w)])
        .chain(ELISIONS.iter().map(|w| w.to_string()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Snowball's French stop words, as tantivy ships them (its constant is private, and we need the
/// list itself to add the unaccented spellings).
const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "je", "la", "le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d",
    "j", "l", "à", "m", "n", "s", "t", "y", "étée", "étées", "étant", "suis", "es", "êtes", "sont",
    "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "étais", "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes",
    "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fussions",
    "fussiez", "fussent", "ayant", "eu", "eue", "eues", "eus", "ai", "avons", "avez", "ont",
    "aurai", "aurons", "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient",
    "avais", "avait", "aviez", "avaient", "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait",
    "ayons", "ayez", "aient", "eusse", "eusses", "eût", "eussions", "eussiez", "eussent", "ceci",
    "cela", "celà", "cet", "cette", "ici", "ils", "les", "leurs", "quel", "quels", "quelle",
    "quelles", "sans", "soi",
];

/// The analysed tokens of `text`: (position, term).
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push((token.position, token.text.clone()));
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokens(&mut french(), text)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn accents_case_plurals_and_elisions_meet() {
        assert_eq!(terms("L'École"), terms("ecole"));
        assert_eq!(terms("fonctions"), terms("Fonction"));
        assert_eq!(terms("répertoires"), terms("repertoire"));
        assert_eq!(terms("jusqu'aux"), Vec::<String>::new());
    }

    #[test]
    fn stop_words_leave_gaps_so_phrases_keep_their_shape() {
        let positions: Vec<usize> = tokens(&mut french(), "détails des zones")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(positions, vec![0, 2]);
    }

    #[test]
    fn absurdly_long_tokens_are_dropped() {
        assert!(terms(&"a".repeat(500)).is_empty());
    }
}
