//! An entry's instruction on a page: plain text as a teacher typed it, its lines kept and its
//! web addresses made into links; everything else escaped by maud, so no markup gets through.

use maud::{html, Markup};

/// Plain text as typed: each line kept, web addresses made into links, everything else escaped
/// (maud escapes the text parts; an address becomes a link only when it starts with http(s)://
/// or www.).
pub fn instruction(text: &str) -> Markup {
    html! {
        @for (i, line) in text.lines().enumerate() {
            @if i > 0 { br; }
            @for piece in pieces(line) {
                @match piece {
                    Piece::Text(text) => (text),
                    Piece::Link(address) => {
                        @let href = if address.starts_with("www.") { format!("https://{address}") } else { address.to_owned() };
                        a href=(href) rel="noopener noreferrer" { (address) }
                    }
                }
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// A line cut into text and web addresses; an address ends at a space, and a final punctuation
/// mark (".", ",", ")"...) stays in the text.
fn pieces(line: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = ["https://", "http://", "www."]
        .iter()
        .filter_map(|p| find_word_start(rest, p))
        .min()
    {
        let after = &rest[start..];
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let address = after[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '»', '"']);
        let bare = ["https://", "http://", "www."].contains(&address);
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        if bare {
            out.push(Piece::Text(&after[..end]));
            rest = &after[end..];
            continue;
        }
        out.push(Piece::Link(address));
        rest = &after[address.len()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Where `prefix` starts a word in `text` (not inside one: "awww.x" is no address).
fn find_word_start(text: &str, prefix: &str) -> Option<usize> {
    text.match_indices(prefix)
        .map(|(at, _)| at)
        .find(|&at| at == 0 || !text[..at].ends_with(|c: char| c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_links_and_the_rest_stays_escaped_text() {
        let shown = instruction("Lire <b>p. 12</b>\nVoir https://fr.wikipedia.org/wiki/Fraction. Puis www.lumni.fr, merci").into_string();
        assert_eq!(
            shown,
            "Lire &lt;b&gt;p. 12&lt;/b&gt;<br>Voir <a href=\"https://fr.wikipedia.org/wiki/Fraction\" rel=\"noopener noreferrer\">https://fr.wikipedia.org/wiki/Fraction</a>. Puis <a href=\"https://www.lumni.fr\" rel=\"noopener noreferrer\">www.lumni.fr</a>, merci"
        );
        assert_eq!(
            pieces("javascript:alert(1)"),
            [Piece::Text("javascript:alert(1)")]
        );
        assert_eq!(
            pieces("http:// seul"),
            [Piece::Text("http://"), Piece::Text(" seul")]
        );
        assert_eq!(pieces("xhttp://a.fr"), [Piece::Text("xhttp://a.fr")]);
    }
}
