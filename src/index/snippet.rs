//! Snippets: the best short passage of a document's stored text around the matched words,
//! HTML-escaped, with `<mark>` around the matches. tantivy finds the passage; the markup is ours
//! so the escaping is exactly what the API contract promises.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::model::{escape_html as escape, fold};

use tantivy::schema::{Field, Value};
use tantivy::TantivyDocument;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// Most characters shown before the first match: the match must fit in the snippet.
const LEAD_CHARS: usize = 60;
/// The analyser runs over this many bytes of text at most, around the likeliest passage: running
/// it over a whole book for each hit would make snippets the slowest part of a search.
const WINDOW_BYTES: usize = 1024;
/// How far into a stored excerpt the likeliest passage is looked for.
const SEARCHED_BYTES: usize = 64 * 1024;
/// Matches considered when placing the window.
const MAX_MATCHES: usize = 256;

/// Tells which words of a text the query matched, and marks them: the snippets' rule, lent to
/// the service for a hit's title and metadata (subject, level, file name), so a document found
/// by those shows why too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marker {
    /// Analysed query terms (stems, typo and sound-alike matches): a word whose folded form
    /// starts with one of them (or equals a short one) is marked.
    stems: Vec<String>,
}

impl Marker {
    pub(super) fn new(stems: Vec<String>) -> Marker {
        Marker { stems }
    }

    /// Whether the query matched this one word.
    pub fn matches(&self, word: &str) -> bool {
        let folded = fold(word);
        self.stems.iter().any(|stem| {
            if stem.len() >= PREFIX_STEM_LEN {
                folded.starts_with(stem.as_str())
            } else {
                folded == *stem
            }
        })
    }

    /// Whether the query matched any word of `text`.
    pub fn matches_any(&self, text: &str) -> bool {
        word_ranges(text).any(|r| self.matches(&text[r]))
    }

    /// `text` escaped, with `<mark>` around the words the query matched; `None` when it matched
    /// none (there is nothing to explain with it).
    pub fn mark(&self, text: &str) -> Option<String> {
        let mut html = String::with_capacity(text.len() + 32);
        let mut at = 0;
        let mut marked = false;
        for range in word_ranges(text) {
            if !self.matches(&text[range.clone()]) {
                continue;
            }
            marked = true;
            html.push_str(&escape(&text[at..range.start]));
            html.push_str("<mark>");
            html.push_str(&escape(&text[range.clone()]));
            html.push_str("</mark>");
            at = range.end;
        }
        html.push_str(&escape(&text[at..]));
        marked.then_some(html)
    }
}

/// Makes the snippets of one search: built once per query, used for each hit.
pub struct Highlighter {
    marker: Marker,
    /// The query's stems and typed words, found in raw text in one pass, case-insensitively.
    needles: Option<AhoCorasick>,
    field: Field,
}

/// Stems shorter than this must equal a word to mark it; longer ones may start it.
const PREFIX_STEM_LEN: usize = 3;

impl Highlighter {
    /// `stems`: analysed terms to mark; `needles`: lowercase words to look for in the raw text
    /// (stems and words as typed) to place the window.
    pub fn new(marker: Marker, needles: &[String], field: Field) -> Highlighter {
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
            marker,
            needles,
            field,
        }
    }

    /// The snippet of `doc`, from its stored excerpt: escaped HTML with `<mark>` around matches.
    /// Words are matched by folded prefix against the stems rather than analysed one by one:
    /// stemming every word of every hit's passage was the dearest part of a search.
    pub fn render(&self, doc: &TantivyDocument) -> String {
        let text = doc
            .get_first(self.field)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let window = self.likeliest_window(text);
        let words: Vec<Range<usize>> = word_ranges(window).collect();
        let marked: Vec<bool> = words
            .iter()
            .map(|r| self.marker.matches(&window[r.clone()]))
            .collect();
        let Some(first) = marked.iter().position(|m| *m) else {
            return escape(&opening(window));
        };
        // The fragment starts six words before the first match, or fewer when they run long (a
        // table of contents' dot leaders would push the match out), and ends at a word boundary.
        let match_start = words[first].start;
        let start_word = (first.saturating_sub(6)..first)
            .find(|&w| window[words[w].start..match_start].chars().count() <= LEAD_CHARS)
            .unwrap_or(first);
        let start = if start_word == 0 {
            0
        } else {
            words[start_word].start
        };
        let mut html = String::with_capacity(SNIPPET_CHARS * 2);
        let mut at = start;
        let mut shown_chars = 0;
        for (range, is_marked) in words.iter().zip(&marked).skip(start_word) {
            shown_chars += window[at..range.end].chars().count();
            if shown_chars > SNIPPET_CHARS {
                break;
            }
            html.push_str(&escape(&window[at..range.start]));
            let word = escape(&window[range.clone()]);
            if *is_marked {
                html.push_str("<mark>");
                html.push_str(&word);
                html.push_str("</mark>");
            } else {
                html.push_str(&word);
            }
            at = range.end;
        }
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

/// Byte ranges of the words (runs of letters and digits) of `text`, as the analyser splits them.
fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (c.is_alphanumeric(), start) {
            (true, None) => {
                start = Some(at);
                None
            }
            (false, Some(begin)) => {
                start = None;
                Some(begin..at)
            }
            _ => None,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(stems: &[&str]) -> Highlighter {
        let field = tantivy::schema::Schema::builder().add_text_field("x", tantivy::schema::STORED);
        let stems: Vec<String> = stems.iter().map(|s| s.to_string()).collect();
        Highlighter::new(Marker::new(stems.clone()), &stems, field)
    }

    #[test]
    fn the_window_goes_where_the_words_are() {
        let text = format!(
            "{} la Photosynthèse des plantes {}",
            "rien ".repeat(2000),
            "fin ".repeat(5000)
        );
        let window = highlighter(&["photosynthes", "plant"]).likeliest_window(&text);
        assert!(window.len() <= WINDOW_BYTES);
        assert!(window.contains("la Photosynthèse des plantes"), "{window}");
        assert!(highlighter(&["absent"])
            .likeliest_window(&text)
            .starts_with("rien"));
    }

    #[test]
    fn matched_words_are_marked_and_the_rest_escaped() {
        let mut doc = TantivyDocument::default();
        let field = tantivy::schema::Schema::builder().add_text_field("x", tantivy::schema::STORED);
        doc.add_text(
            field,
            "Le <b>cours</b> : les Élèves étudient l'élevage & la photosynthèse.",
        );
        let html = Highlighter::new(
            Marker::new(vec!["elev".into(), "photosynthes".into()]),
            &[],
            field,
        )
        .render(&doc);
        assert_eq!(html, "Le &lt;b&gt;cours&lt;/b&gt; : les <mark>Élèves</mark> étudient l&#39;<mark>élevage</mark> &amp; la <mark>photosynthèse</mark>");
    }

    #[test]
    fn a_match_after_dot_leaders_is_in_the_snippet() {
        let mut doc = TantivyDocument::default();
        let field = tantivy::schema::Schema::builder().add_text_field("x", tantivy::schema::STORED);
        let leaders = ". ".repeat(40);
        doc.add_text(
            field,
            format!("Sommaire {leaders}3 Annexe {leaders}9 Mots-clés : photosynthèse."),
        );
        let html =
            Highlighter::new(Marker::new(vec!["photosynthes".into()]), &[], field).render(&doc);
        assert!(html.contains("<mark>photosynthèse</mark>"), "{html}");
    }

    #[test]
    fn a_title_or_a_name_is_marked_only_where_the_query_matched() {
        let marker = Marker::new(vec!["svt".into(), "calligraph".into()]);
        assert_eq!(
            marker.mark("La <calligraphie> & SVT").as_deref(),
            Some("La &lt;<mark>calligraphie</mark>&gt; &amp; <mark>SVT</mark>")
        );
        assert_eq!(marker.mark("Typographie asiatique"), None);
        assert!(marker.matches_any("sciences svt"));
        assert!(!marker.matches_any("sciences"));
    }

    #[test]
    fn the_opening_is_cut_at_a_word() {
        let long = "mot ".repeat(100);
        let opening = opening(&long);
        assert!(opening.ends_with('…'));
        assert!(opening.chars().count() <= SNIPPET_CHARS + 1);
    }
}
