//! HTML pages: `h1`-`h6` as headings, `li` as list items (numbered inside `ol`), `pre` as code,
//! and every other block (`p`, `div`, table cells...) as paragraphs; `br` breaks a line. Scripts,
//! styles and the head are never text.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::Layout;

/// Elements whose content is never page text.
const HIDDEN: [&str; 8] = [
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object",
];

/// Elements that start and end a block of text.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "li",
    "ul",
    "ol",
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
    "table",
    "figcaption",
    "header",
    "footer",
];

/// What an open block makes of the text inside it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Open {
    Heading(u8),
    List { ordered: bool },
    Item,
    Code,
    Other,
}

pub(super) fn html(bytes: &[u8], layout: &mut Layout) {
    let page = Html::parse_document(&crate::extract::html::decode(bytes));
    let mut open: Vec<Open> = Vec::new();
    let mut text = String::new();
    // Elements entered inside a hidden one, itself included.
    let mut hidden = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if hidden > 0 || HIDDEN.contains(&name) {
                        hidden += 1;
                    } else if name == "br" {
                        text.push('\n');
                    } else if BLOCKS.contains(&name) {
                        end_block(&mut text, &open, layout);
                        open.push(kind(name));
                    }
                }
                Node::Text(words) if hidden == 0 => {
                    if open.contains(&Open::Code) {
                        text.push_str(words);
                    } else {
                        // Source line breaks are spaces; only `br` breaks a line.
                        text.extend(words.chars().map(|c| if c == '\n' { ' ' } else { c }));
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if hidden > 0 {
                        hidden -= 1;
                    } else if BLOCKS.contains(&name) {
                        end_block(&mut text, &open, layout);
                        open.pop();
                    }
                }
            }
        }
        if layout.is_full() {
            return;
        }
    }
    end_block(&mut text, &open, layout);
}

fn kind(name: &str) -> Open {
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Open::Heading(name.as_bytes()[1] - b'0'),
        "ul" => Open::List { ordered: false },
        "ol" => Open::List { ordered: true },
        "li" => Open::Item,
        "pre" => Open::Code,
        _ => Open::Other,
    }
}

/// Gives the text gathered so far to the layout, as what the open blocks make it.
fn end_block(text: &mut String, open: &[Open], layout: &mut Layout) {
    if text.trim().is_empty() {
        text.clear();
        return;
    }
    let heading = open.iter().rev().find_map(|o| match o {
        Open::Heading(level) => Some(*level),
        _ => None,
    });
    let item = open.iter().rposition(|o| *o == Open::Item);
    if let Some(level) = heading {
        layout.heading(level, text);
    } else if open.contains(&Open::Code) {
        layout.code(text);
    } else if let Some(at) = item {
        let ordered = open[..at]
            .iter()
            .rev()
            .find_map(|o| match o {
                Open::List { ordered } => Some(*ordered),
                _ => None,
            })
            .unwrap_or(false);
        layout.item(text, ordered);
    } else {
        layout.paragraph(text);
    }
    text.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    #[test]
    fn headings_paragraphs_lists_and_code_are_kept() {
        let page = b"<html><head><title>T</title><style>p{}</style></head><body>\
            <h1>Les fonctions</h1><p>Une <b>fonction</b>\nassocie<br>un nombre.</p>\
            <ol><li>un</li><li>deux</li></ol><h3>Code</h3><pre>def f(x):\n    return x</pre>\
            <script>alert(1)</script><div>fin</div></body></html>";
        let mut layout = Layout::new(10_000);
        html(page, &mut layout);
        assert_eq!(
            layout.finish().blocks,
            vec![
                Block::Heading {
                    level: 1,
                    text: "Les fonctions".to_owned()
                },
                Block::Paragraph {
                    text: "Une fonction associe\nun nombre.".to_owned()
                },
                Block::List {
                    ordered: true,
                    items: vec!["un".to_owned(), "deux".to_owned()]
                },
                Block::Heading {
                    level: 3,
                    text: "Code".to_owned()
                },
                Block::Code {
                    text: "def f(x):\n    return x".to_owned()
                },
                Block::Paragraph {
                    text: "fin".to_owned()
                },
            ]
        );
    }
}
