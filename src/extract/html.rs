//! Text of HTML pages. The charset comes from a BOM or the page's `<meta>`, else UTF-8 when the
//! bytes are valid UTF-8, else windows-1252 (some pages saved by older French tools).

use scraper::{ElementRef, Html, Node};

use super::text::TextSink;

#[derive(Debug, Default)]
pub struct HtmlText {
    pub title: Option<String>,
    pub text: String,
}

/// Decodes the page's bytes with the charset it declares or the one its bytes suggest.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let head = &bytes[..bytes.len().min(4096)];
    if let Some(encoding) = declared_charset(head) {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    super::text::decode_utf8_or_cp1252(bytes)
}

/// Reads `<meta charset="x">` or `<meta http-equiv=... content="...; charset=x">` from the head.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let label: String = lower[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Elements whose content is never page text.
const HIDDEN: [&str; 6] = ["script", "style", "noscript", "template", "head", "svg"];
/// Elements after which a line break keeps neighbouring words apart.
const BLOCKS: [&str; 20] = [
    "p",
    "div",
    "br",
    "li",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "pre",
    "blockquote",
    "dt",
    "dd",
    "title",
];

/// Extracts the visible text, the `<title>` (or first `<h1>` when the title is empty).
pub fn extract(bytes: &[u8], max_text: usize) -> HtmlText {
    let page = Html::parse_document(&decode(bytes));
    let mut sink = TextSink::new(max_text);
    let mut title = None;
    let mut first_h1 = None;
    for node in page.tree.root().descendants() {
        if let Node::Element(element) = node.value() {
            let name = element.name();
            if name == "title" && title.is_none() {
                title = Some(collapse(&text_of(node)));
            } else if name == "h1" && first_h1.is_none() {
                first_h1 = Some(collapse(&text_of(node)));
            }
        }
        if let Node::Text(text) = node.value() {
            let hidden = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| HIDDEN.contains(&e.name()))
            });
            if !hidden {
                sink.push(text);
            }
        }
        if let Some(element) = node.value().as_element() {
            if BLOCKS.contains(&element.name()) {
                // The break goes before the block: descendants() visits the element first.
                sink.push("\n");
            }
        }
        if sink.is_full() {
            break;
        }
    }
    let title = title
        .filter(|t| !t.is_empty())
        .or(first_h1.filter(|t| !t.is_empty()));
    HtmlText {
        title,
        text: sink.finish(),
    }
}

fn text_of(node: ego_tree::NodeRef<'_, Node>) -> String {
    ElementRef::wrap(node)
        .map(|element| element.text().collect())
        .unwrap_or_default()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_windows_1252_is_decoded() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"><title>Fiche m\xe9thode</title></head>\
                     <body><p>Le r\xe9pertoire</p><script>var x = 1;</script></body></html>";
        let extracted = extract(page, 10_000);
        assert_eq!(extracted.title.as_deref(), Some("Fiche méthode"));
        assert!(extracted.text.contains("Le répertoire"));
        assert!(!extracted.text.contains("var x"));
    }

    #[test]
    fn undeclared_latin1_falls_back_to_windows_1252() {
        let extracted = extract(b"<p>d\xe9j\xe0</p>", 100);
        assert!(extracted.text.contains("déjà"));
    }

    #[test]
    fn blocks_keep_words_apart_and_h1_stands_in_for_a_missing_title() {
        let extracted = extract(
            b"<html><body><h1>Les fonctions</h1><p>un</p><p>deux</p></body></html>",
            100,
        );
        assert_eq!(extracted.title.as_deref(), Some("Les fonctions"));
        assert!(extracted.text.contains("un\n"));
        assert!(!extracted.text.contains("undeux"));
    }
}
