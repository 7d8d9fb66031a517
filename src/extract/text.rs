//! Turning raw extracted text into clean searchable text: decoding (UTF-8, else windows-1252),
//! Unicode normalisation, the spacing accents old LaTeX PDFs emit, words hyphenated at line ends,
//! and a hard cap on the size kept per document.

use unicode_normalization::UnicodeNormalization;

/// Accumulates text up to a byte cap, cutting at a character boundary.
#[derive(Debug)]
pub struct TextSink {
    text: String,
    max: usize,
    full: bool,
}

impl TextSink {
    pub fn new(max: usize) -> TextSink {
        TextSink {
            text: String::new(),
            max,
            full: false,
        }
    }

    pub fn push(&mut self, piece: &str) {
        if self.full {
            return;
        }
        let room = self.max - self.text.len();
        if piece.len() <= room {
            self.text.push_str(piece);
        } else {
            let mut cut = room;
            while !piece.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&piece[..cut]);
            self.full = true;
        }
    }

    pub fn is_full(&self) -> bool {
        self.full
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// Decodes bytes that are UTF-8, or else windows-1252 (what older French Windows tools wrote).
pub fn decode_utf8_or_cp1252(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        // Only an incomplete character at the very end: UTF-8 cut short (we read a prefix).
        Err(error) if error.error_len().is_none() => {
            String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned()
        }
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Cleans extracted text for indexing and snippets: joins spacing accents to their letter
/// (`math´ematiques` -> `mathématiques`), applies NFKC (ligature glyphs to letters), rejoins words
/// hyphenated at line ends, and folds runs of blank space. Never longer than `max` bytes.
pub fn clean(raw: &str, max: usize) -> String {
    let composed = compose_spacing_accents(raw);
    let normalised: String = composed.nfkc().collect();
    let mut sink = TextSink::new(max);
    let mut blank_lines = 0;
    let mut lines = normalised.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if blank_lines > 0 && !sink.text.is_empty() {
            sink.push("\n");
        }
        blank_lines = 0;
        let collapsed: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let next_starts_lowercase = lines
            .peek()
            .and_then(|next| next.chars().next())
            .is_some_and(char::is_lowercase);
        let hyphenated = collapsed
            .strip_suffix('-')
            .filter(|stem| stem.chars().last().is_some_and(char::is_alphabetic));
        match hyphenated {
            Some(stem) if next_starts_lowercase => sink.push(stem),
            _ => {
                sink.push(&collapsed);
                sink.push("\n");
            }
        }
        if sink.is_full() {
            break;
        }
    }
    sink.finish().trim_end().to_owned()
}

/// Spacing accent characters and the combining marks they stand for.
fn combining_for(spacing: char) -> Option<char> {
    match spacing {
        '\u{b4}' | '\u{2ca}' => Some('\u{301}'),  // ´ acute
        '`' | '\u{2cb}' => Some('\u{300}'),       // ` grave
        '\u{2c6}' | '^' => Some('\u{302}'),       // ˆ circumflex
        '\u{a8}' => Some('\u{308}'),              // ¨ diaeresis
        '\u{b8}' => Some('\u{327}'),              // ¸ cedilla
        '\u{2dc}' | '\u{2dd}' => Some('\u{303}'), // ˜ tilde
        _ => None,
    }
}

/// `´e` -> `é`, `ˆı` -> `î`, `¸c` -> `ç`: a spacing accent directly before a letter it can sit on.
fn compose_spacing_accents(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(mark) = combining_for(c) {
            let base = match chars.peek() {
                Some('ı') => Some('i'),
                Some(&next) if "aeiouycnAEIOUYCN".contains(next) => Some(next),
                _ => None,
            };
            if let Some(base) = base {
                chars.next();
                let composed: String = [base, mark].iter().collect::<String>().nfc().collect();
                out.push_str(&composed);
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_accents_from_latex_are_joined() {
        assert_eq!(
            clean(
                "math\u{b4}ematiques fran\u{b8}cais ma\u{2c6}\u{131}tre",
                100
            ),
            "mathématiques français maître"
        );
    }

    #[test]
    fn ligatures_become_letters_and_hyphenated_words_are_rejoined() {
        assert_eq!(
            clean("la con\u{fb01}guration des trans-\nformations", 100),
            "la configuration des transformations"
        );
        assert_eq!(clean("Année-\nScolaire", 100), "Année-\nScolaire");
    }

    #[test]
    fn blank_space_is_folded_and_paragraphs_kept() {
        assert_eq!(
            clean("  un   deux \n\n\n\n trois ", 100),
            "un deux\n\ntrois"
        );
    }

    #[test]
    fn text_is_capped_at_a_character_boundary() {
        let capped = clean("ééééé", 5);
        assert_eq!(capped, "éé");
    }

    #[test]
    fn windows_1252_is_decoded_when_not_utf8() {
        assert_eq!(decode_utf8_or_cp1252(b"d\xe9j\xe0 \x9cuvre"), "déjà œuvre");
        assert_eq!(decode_utf8_or_cp1252("déjà".as_bytes()), "déjà");
        let cut_inside_a_letter = &"déjà".as_bytes()[..2];
        assert_eq!(decode_utf8_or_cp1252(cut_inside_a_letter), "d");
    }
}
