//! Markdown and plain text, line by line. Markdown: `#` and underlined headings, paragraphs,
//! `-`/`*`/`1.` lists, fenced code, quotes; links and bold keep only their words. Plain text:
//! paragraphs between blank lines, lines that look like list items as lists, and a line break
//! kept where the author made a short line (hard-wrapped lines are joined).

use super::Layout;

/// A line of plain text this long or longer was wrapped by an editor, not ended by its author.
const WRAPPED_LINE_CHARS: usize = 60;

pub(super) fn markdown(text: &str, layout: &mut Layout) {
    let mut paragraph: Vec<&str> = Vec::new();
    // The list item being written, which indented lines continue.
    let mut item: Option<(bool, String)> = None;
    // Inside a fence: its marker and the code so far.
    let mut fence: Option<(&str, String)> = None;
    for line in text.lines() {
        if layout.is_full() {
            return;
        }
        let trimmed = line.trim();
        if let Some((marker, code)) = &mut fence {
            if trimmed.starts_with(*marker) {
                layout.code(code);
                fence = None;
            } else {
                code.push_str(line);
                code.push('\n');
            }
            continue;
        }
        let continues_item = line.starts_with([' ', '\t']) && !trimmed.is_empty();
        if let (Some((_, text)), true) = (&mut item, continues_item) {
            text.push(' ');
            text.push_str(trimmed);
            continue;
        }
        if let Some((ordered, text)) = item.take() {
            layout.item(&inline(&text), ordered);
        }
        let underline = |c: char| trimmed.len() >= 2 && trimmed.chars().all(|x| x == c);
        if trimmed.is_empty() {
            end_paragraph(&mut paragraph, layout);
        } else if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            end_paragraph(&mut paragraph, layout);
            fence = Some((marker, String::new()));
        } else if let Some((level, heading)) = atx_heading(trimmed) {
            end_paragraph(&mut paragraph, layout);
            layout.heading(level, &inline(heading));
        } else if !paragraph.is_empty() && (underline('=') || underline('-')) {
            let level = if underline('=') { 1 } else { 2 };
            layout.heading(level, &inline(&paragraph.join(" ")));
            paragraph.clear();
        } else if underline('-') || underline('*') || underline('_') {
            // A horizontal rule: the blocks around it say enough.
            end_paragraph(&mut paragraph, layout);
        } else if let Some((ordered, text)) = list_item(trimmed) {
            end_paragraph(&mut paragraph, layout);
            item = Some((ordered, text.to_owned()));
        } else {
            let quoted = trimmed.trim_start_matches('>').trim_start();
            paragraph.push(quoted);
        }
    }
    if let Some((ordered, text)) = item {
        layout.item(&inline(&text), ordered);
    }
    if let Some((_, code)) = fence {
        layout.code(&code);
    }
    end_paragraph(&mut paragraph, layout);
}

fn end_paragraph(lines: &mut Vec<&str>, layout: &mut Layout) {
    if !lines.is_empty() {
        layout.paragraph(&inline(&lines.join(" ")));
        lines.clear();
    }
}

/// `## Titre ##` -> (2, "Titre").
fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[level..];
    if !(1..=6).contains(&level) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((level as u8, rest.trim().trim_end_matches('#').trim_end()))
}

/// `- texte`, `* texte`, `+ texte`, `• texte` (unordered) or `1. texte`, `2) texte` (ordered).
fn list_item(line: &str) -> Option<(bool, &str)> {
    for bullet in ["- ", "* ", "+ ", "• ", "– "] {
        if let Some(text) = line.strip_prefix(bullet) {
            return Some((false, text.trim()));
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    if (1..=3).contains(&digits) && (rest.starts_with(". ") || rest.starts_with(") ")) {
        return Some((true, rest[2..].trim()));
    }
    None
}

/// Markdown's inline marks removed: `[mot](lien)` and `![mot](image)` keep their words, `**`
/// goes, `\*` is a star; code spans keep their inside as it is.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            if let Some(end) = rest[1..].find('`') {
                out.push_str(&rest[1..1 + end]);
                rest = &rest[end + 2..];
                continue;
            }
        } else if c == '[' || rest.starts_with("![") {
            let open = rest.find('[').unwrap_or(0);
            if let Some((words, after)) = link(&rest[open..]) {
                out.push_str(&inline(words));
                rest = after;
                continue;
            }
        } else if rest.starts_with("**") {
            rest = &rest[2..];
            continue;
        } else if c == '\\' {
            if let Some(next) = rest[1..].chars().next().filter(char::is_ascii_punctuation) {
                out.push(next);
                rest = &rest[1 + next.len_utf8()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[words](target) after` -> ("words", " after").
fn link(text: &str) -> Option<(&str, &str)> {
    let close = text.find("](")?;
    let end = text[close..].find(')')? + close;
    Some((&text[1..close], &text[end + 1..]))
}

pub(super) fn text(text: &str, layout: &mut Layout) {
    let mut paragraph: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if layout.is_full() {
            return;
        }
        if line.is_empty() {
            end_lines(&mut paragraph, layout);
        } else if let Some((ordered, item)) = list_item(line) {
            end_lines(&mut paragraph, layout);
            layout.item(item, ordered);
        } else {
            paragraph.push(line);
        }
    }
    end_lines(&mut paragraph, layout);
}

/// A plain text paragraph: wrapped lines joined, short ones kept as lines.
fn end_lines(lines: &mut Vec<&str>, layout: &mut Layout) {
    let mut text = String::new();
    for line in lines.iter() {
        if !text.is_empty() {
            let last_line = text.rsplit('\n').next().unwrap_or("");
            let wrapped = last_line.chars().count() >= WRAPPED_LINE_CHARS;
            text.push(if wrapped { ' ' } else { '\n' });
        }
        text.push_str(line);
    }
    if !text.is_empty() {
        layout.paragraph(&text);
    }
    lines.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    fn blocks(read: fn(&str, &mut Layout), text: &str) -> Vec<Block> {
        let mut layout = Layout::new(10_000);
        read(text, &mut layout);
        layout.finish().blocks
    }

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.to_owned(),
        }
    }

    fn paragraph(text: &str) -> Block {
        Block::Paragraph {
            text: text.to_owned(),
        }
    }

    #[test]
    fn markdown_keeps_headings_paragraphs_lists_and_code() {
        let text = "# Les fonctions\n\nUne **fonction** associe\nà chaque nombre.\n\n## Exemples\n\n- f(x) = 2x\n- g(x) = x²\n  au carré\n\n1. un\n2. deux\n\n```\ndef f(x):\n    return 2 * x\n```\nVoir [le cours](http://x/c) et `__init__`.\n\nAutre titre\n===\n---\n";
        assert_eq!(
            blocks(markdown, text),
            vec![
                heading(1, "Les fonctions"),
                paragraph("Une fonction associe à chaque nombre."),
                heading(2, "Exemples"),
                Block::List {
                    ordered: false,
                    items: vec!["f(x) = 2x".to_owned(), "g(x) = x² au carré".to_owned()]
                },
                Block::List {
                    ordered: true,
                    items: vec!["un".to_owned(), "deux".to_owned()]
                },
                Block::Code {
                    text: "def f(x):\n    return 2 * x".to_owned()
                },
                paragraph("Voir le cours et __init__."),
                heading(1, "Autre titre"),
            ]
        );
    }

    #[test]
    fn markdown_marks_that_are_not_markup_stay() {
        assert_eq!(inline("2 * 3 [note] #5 \\*"), "2 * 3 [note] #5 *");
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(list_item("2024. Une année"), None);
    }

    #[test]
    fn plain_text_joins_wrapped_lines_and_keeps_short_ones() {
        let wrapped = "Ce paragraphe a été coupé par un éditeur de texte à soixante-dix";
        let text = format!("{wrapped}\ncolonnes environ.\n\nLycée Jean Moulin\n12 rue des Écoles\n\n• cahier\n• stylo\n");
        assert_eq!(
            blocks(super::text, &text),
            vec![
                paragraph(&format!("{wrapped} colonnes environ.")),
                paragraph("Lycée Jean Moulin\n12 rue des Écoles"),
                Block::List {
                    ordered: false,
                    items: vec!["cahier".to_owned(), "stylo".to_owned()]
                },
            ]
        );
    }
}
