//! Snippets: the best short passage of a document's stored text around the matched words,
//! HTML-escaped, with `<mark>` around the matches. tantivy finds the passage; the markup is ours
//! so the escaping is exactly what the API contract promises.

use std::collections::BTreeMap;

use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::TantivyDocument;

use super::analyzer;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// Only the start of a long text is scanned for a passage: snippets must stay cheap.
const SCANNED_BYTES: usize = 64 * 1024;

pub fn render(doc: &TantivyDocument, body: Field, terms: &BTreeMap<String, f32>) -> String {
    let text = doc.get_first(body).and_then(|v| v.as_str()).unwrap_or("");
    let mut cut = text.len().min(SCANNED_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let scanned = &text[..cut];
    let generator = SnippetGenerator::new(terms.clone(), analyzer::french(), body, SNIPPET_CHARS);
    let snippet = generator.snippet(scanned);
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
    fn the_opening_is_cut_at_a_word() {
        let long = "mot ".repeat(100);
        let opening = opening(&long);
        assert!(opening.ends_with('…'));
        assert!(opening.chars().count() <= SNIPPET_CHARS + 1);
    }
}
