//! Folding text for comparison: lower case, accents removed ("Élève" -> "eleve"). Names, search
//! words and the offline index's words are all compared folded.

use unicode_normalization::UnicodeNormalization;

/// Lowercases and removes accents (`"Élève"` -> `"eleve"`); used wherever names are compared.
pub fn fold(text: &str) -> String {
    // French text is ASCII and Latin-1 letters: those are folded by a table, which is several
    // times faster than decomposing (preparing a USB bundle folds every word of its documents).
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match fold_latin(c) {
            Some(f) => folded.push(f),
            None => return fold_decomposed(text),
        }
    }
    folded
}

/// `c` folded when it is ASCII or a Latin letter French uses; `None` for anything else.
fn fold_latin(c: char) -> Option<char> {
    Some(match c {
        c if c.is_ascii() => c.to_ascii_lowercase(),
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'æ' | 'Æ' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'œ' | 'Œ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => 'y',
        _ => return None,
    })
}

/// The general case: canonical decomposition, combining marks dropped, lower case.
fn fold_decomposed(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'œ' => 'o', // keeps "œuvre" close to "oeuvre" for matching; exact spelling is not needed here
            'æ' => 'a',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latin_table_folds_as_decomposition_does() {
        // Every Latin-1 and Latin Extended-A letter, and every ASCII character: the fast table
        // must never disagree with the general case.
        let all: String = (0u32..0x180).filter_map(char::from_u32).collect();
        for c in all.chars() {
            if let Some(fast) = fold_latin(c) {
                assert_eq!(fast.to_string(), fold_decomposed(&c.to_string()), "{c:?}");
            }
        }
        assert_eq!(fold(&all), fold_decomposed(&all));
        assert_eq!(fold("Élève ŒUVRE"), fold_decomposed("Élève ŒUVRE"));
    }

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Élève Première Œuvre"), "eleve premiere ouvre");
    }
}
