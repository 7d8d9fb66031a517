//! Snippets: the best short passage of a document's stored text around the matched words,
//! HTML-escaped, with `<mark>` around the matches. tantivy finds the passage; the markup is ours
//! so the escaping is exactly what the API contract promises.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};

use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::TantivyDocument;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// The analyser runs over this many bytes of text at most, around the likeliest passage: running
/// it over a whole book for each hit would make snippets the slowest part of a search.
const WINDOW_BYTES: usize = 1024;
/// How far into a stored excerpt the likeliest passage is looked for.
const SEARCHED_BYTES: usize = 64 * 1024;
/// Matches considered when placing the window.
const MAX_MATCHES: usize = 256;

/// Makes the snippets of one search: built once per query, used for each hit.
pub struct Highlighter {
    generator: SnippetGenerator,
    /// The query's stems and typed words, found in raw text in one pass, case-insensitively.
    needles: Option<AhoCorasick>,
    field: Field,
}

impl Highlighter {
    /// `terms`: analysed terms to mark, with their weight; `needles`: lowercase words to look for
    /// in the raw text (stems and words as typed) to place the window.
    pub fn new(
        terms: BTreeMap<String, f32>,
        needles: &[String],
        analyzer: &TextAnalyzer,
        field: Field,
    ) -> Highlighter {
        let needles: Vec<&str> = needles
            .iter()
            .map(String::as_str)
            .filter(|n| n.len() >= 2)
            .collect();
        let needles = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&needles)
            .ok();
        Highlighter {
            generator: SnippetGenerator::new(terms, analyzer.clone(), field, SNIPPET_CHARS),
            needles,
            field,
        }
    }

    /// The snippet of `doc`, from its stored excerpt: escaped HTML with `<mark>` around matches.
    pub fn render(&self, doc: &TantivyDocument) -> String {
        let text = doc
            .get_first(self.field)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let scanned = self.likeliest_window(text);
        let snippet = self.generator.snippet(scanned);
        if snippet.is_empty() {
            return escape(&opening(scanned));
        }
        let fragment = snippet.fragment();
        let mut html = String::with_capacity(fragment.len() + 32);
        let mut at = 0;
        for range in snippet.highlighted() {
            html.push_str(&escape(&fragment[at..range.start]));
            html.push_str("<mark>");
            html.push_str(&escape(&fragment[range.clone()]));
            html.push_str("</mark>");
            at = range.end;
        }
        html.push_str(&escape(&fragment[at..]));
        html.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The part of a long text where the most distinct needles occur close together; the start of
    /// the text when none occurs.
    fn likeliest_window<'a>(&self, text: &'a str) -> &'a str {
        if text.len() <= WINDOW_BYTES {
            return text;
        }
        let Some(needles) = &self.needles else {
            return &text[..floor_boundary(text, WINDOW_BYTES)];
        };
        let searched = &text[..floor_boundary(text, SEARCHED_BYTES)];
        let hits: Vec<(usize, usize)> = needles
            .find_iter(searched)
            .take(MAX_MATCHES)
            .map(|m| (m.start(), m.pattern().as_usize()))
            .collect();
        let span = WINDOW_BYTES / 2;
        let mut best = (0usize, 0usize); // (distinct needles, start)
        for (i, &(start, _)) in hits.iter().enumerate() {
            let mut seen: Vec<usize> = hits[i..]
                .iter()
                .take_while(|(at, _)| *at < start + span)
                .map(|(_, which)| *which)
                .collect();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() > best.0 {
                best = (seen.len(), start);
            }
        }
        let start = floor_boundary(text, best.1.saturating_sub(WINDOW_BYTES / 4));
        let end = floor_boundary(text, start + WINDOW_BYTES);
        &text[start..end]
    }
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The start of the text, cut at a word, when no passage matched (a title-only match).
fn opening(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() > SNIPPET_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_documents_is_escaped() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn the_window_goes_where_the_words_are() {
        let text = format!(
            "{} la Photosynthèse des plantes {}",
            "rien ".repeat(2000),
            "fin ".repeat(5000)
        );
        let field = tantivy::schema::Schema::builder().add_text_field("x", tantivy::schema::STORED);
        let analyzer = super::super::analyzer::french();
        let highlighter = Highlighter::new(
            BTreeMap::new(),
            &["photosynthes".to_owned(), "plant".to_owned()],
            &analyzer,
            field,
        );
        let window = highlighter.likeliest_window(&text);
        assert!(window.len() <= WINDOW_BYTES);
        assert!(window.contains("la Photosynthèse des plantes"), "{window}");
        let nothing = Highlighter::new(BTreeMap::new(), &["absent".to_owned()], &analyzer, field);
        assert!(nothing.likeliest_window(&text).starts_with("rien"));
    }

    #[test]
    fn the_opening_is_cut_at_a_word() {
        let long = "mot ".repeat(100);
        let opening = opening(&long);
        assert!(opening.ends_with('…'));
        assert!(opening.chars().count() <= SNIPPET_CHARS + 1);
    }
}
