//! A French sound key per word: two spellings that sound alike get the same key ("kaligrafi" and
//! "calligraphie", "sitassion" and "citation", "pytagore" and "Pythagore"). Our own rules, kept
//! simple so the offline page's JavaScript (bundle/offline.js) can give exactly the same keys:
//! change one, change the other (a test compares them word by word).
//!
//! The key is an alphabet of its own: letters for sounds, `x` for "ch", `w` for "ou", digits for
//! the nasal vowels (`1` an/en, `2` on, `3` in/ain/un). It is not a pronunciation: accents are
//! folded first, so é, è and e meet, and silent endings are dropped.

use super::fold;

/// Words shorter than this (in letters) get no key: short keys match too much.
const SHORTEST_WORD: usize = 3;

/// The sound key of one word, or `None` when it has none (too short, or not only letters).
pub fn sound_key(word: &str) -> Option<String> {
    let mut spelt = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ç' => spelt.push('s'),
            'œ' | 'æ' => spelt.push('e'),
            other => spelt.push(other),
        }
    }
    let folded = fold(&spelt).replace('y', "i");
    if folded.len() < SHORTEST_WORD || !folded.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let letters = without_silent_ending(folded.as_bytes());
    let mut key = sounds(&letters);
    key.dedup();
    if key.len() > 1 && key.last() == Some(&b'e') {
        key.pop();
    }
    Some(String::from_utf8(key).expect("the key is ASCII"))
}

/// Drops the letters French leaves unsaid at the end of a word: a plural's s or x, a final t or
/// d, the r or z of -er and -ez (the final e itself goes once the sounds are made).
fn without_silent_ending(word: &[u8]) -> Vec<u8> {
    let mut w = word.to_vec();
    if w.len() > 3 && matches!(w.last(), Some(b's' | b'x')) {
        w.pop();
    }
    if w.len() >= 5 && (w.ends_with(b"er") || w.ends_with(b"ez")) {
        w.pop();
    }
    if w.len() > 3 && matches!(w.last(), Some(b't' | b'd')) {
        w.pop();
    }
    w
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The sounds of `w` (folded, y as i, ending trimmed), left to right.
fn sounds(w: &[u8]) -> Vec<u8> {
    let at = |i: usize| w.get(i).copied().unwrap_or(0);
    let starts = |i: usize, s: &[u8]| w[i..].starts_with(s);
    // An n or m at `i` makes the vowel before it nasal when no vowel (nor another n or m) follows.
    let nasal = |i: usize| {
        matches!(at(i), b'n' | b'm') && !is_vowel(at(i + 1)) && !matches!(at(i + 1), b'n' | b'm')
    };
    let mut out = Vec::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        let c = w[i];
        let (sound, used): (&[u8], usize) = match c {
            b'e' if starts(i, b"eau") => (b"o", 3),
            b'a' if starts(i, b"au") => (b"o", 2),
            b'o' if starts(i, b"oin") && nasal(i + 2) => (b"w3", 3),
            b'o' if starts(i, b"oi") => (b"wa", 2),
            b'o' if starts(i, b"ou") => (b"w", 2),
            // "aill", "eill": the i belongs to "ill" (travail, soleil).
            b'a' | b'e'
                if at(i + 1) == b'i'
                    && at(i + 2) == b'l'
                    && (at(i + 3) == b'l' || i + 3 == w.len()) =>
            {
                (&w[i..i + 1], 1)
            }
            // "ai" before a vowel is a then i (crayon, written "craion", "kraion").
            b'a' | b'e' if at(i + 1) == b'i' && is_vowel(at(i + 2)) => (&w[i..i + 1], 1),
            b'a' | b'e' if at(i + 1) == b'i' && nasal(i + 2) => (b"3", 3),
            b'a' | b'e' if at(i + 1) == b'i' => (b"e", 2),
            b'e' if at(i + 1) == b'u' => (b"e", 2),
            b'a' | b'e' if nasal(i + 1) => (b"1", 2),
            b'o' if nasal(i + 1) => (b"2", 2),
            b'i' | b'u' if nasal(i + 1) => (b"3", 2),
            b'i' if starts(i, b"ill") => (b"i", 3),
            b'i' if starts(i, b"il") && i + 2 == w.len() && i > 0 && is_vowel(w[i - 1]) => {
                (b"i", 2)
            }
            b't' if at(i + 1) == b'i'
                && (matches!(at(i + 2), b'o' | b'a')
                    || starts(i + 2, b"eu")
                    || starts(i + 2, b"el"))
                && (i == 0 || w[i - 1] != b's') =>
            {
                (b"s", 1)
            }
            b'p' if at(i + 1) == b'h' => (b"f", 2),
            b't' | b'r' | b'g' if at(i + 1) == b'h' => (&w[i..i + 1], 2),
            b's' if starts(i, b"sch") => (b"x", 3),
            b'c' if starts(i, b"chr") || starts(i, b"chl") => (b"k", 2),
            b'c' | b's' if at(i + 1) == b'h' => (b"x", 2),
            b'q' if at(i + 1) == b'u' => (b"k", 2),
            b'c' if at(i + 1) == b'k' => (b"k", 2),
            b'c' if at(i + 1) == b'c' && matches!(at(i + 2), b'e' | b'i') => (b"ks", 2),
            b's' if at(i + 1) == b'c' && matches!(at(i + 2), b'e' | b'i') => (b"s", 2),
            b'c' if matches!(at(i + 1), b'e' | b'i') => (b"s", 1),
            b'c' | b'q' | b'k' => (b"k", 1),
            b'g' if at(i + 1) == b'u' && matches!(at(i + 2), b'e' | b'i') => (b"g", 2),
            b'g' if at(i + 1) == b'e' && matches!(at(i + 2), b'a' | b'o' | b'u') => (b"j", 2),
            b'g' if matches!(at(i + 1), b'e' | b'i') => (b"j", 1),
            b'g' if at(i + 1) == b'n' => (b"ni", 2),
            b'x' if at(i + 1) == b'c' && matches!(at(i + 2), b'e' | b'i') => (b"ks", 2),
            b'x' => (b"ks", 1),
            b'z' => (b"s", 1),
            b'w' => (b"v", 1),
            b'h' => (b"", 1),
            _ => (&w[i..i + 1], 1),
        };
        out.extend_from_slice(sound);
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words and the ways a pupil or a parent may write them, one group a line.
    fn alike() -> Vec<Vec<&'static str>> {
        include_str!("../../tests/fixtures/sound-alike.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split(", ").collect())
            .collect()
    }

    /// Words that must not meet: a sound key that joins everything finds nothing.
    const APART: &[(&str, &str)] = &[
        ("citation", "station"),
        ("chat", "chien"),
        ("poisson", "boisson"),
        ("fonction", "fraction"),
        ("ponts", "pains"),
        ("bon", "bain"),
        ("vent", "vin"),
        ("cours", "corps"),
    ];

    #[test]
    fn words_that_sound_alike_share_a_key() {
        let mut wrong = Vec::new();
        for words in alike() {
            let keys: Vec<Option<String>> = words.iter().map(|w| sound_key(w)).collect();
            if keys[0].is_none() || keys.iter().any(|k| *k != keys[0]) {
                wrong.push(format!("{words:?} -> {keys:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn words_that_sound_different_keep_different_keys() {
        for (a, b) in APART {
            assert_ne!(sound_key(a), sound_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn short_words_and_numbers_have_no_key() {
        assert_eq!(sound_key("de"), None);
        assert_eq!(sound_key("ext4"), None);
        assert_eq!(sound_key("2nde"), None);
        assert_eq!(sound_key("kaligrafi").as_deref(), Some("kaligrafi"));
        assert_eq!(sound_key("Pythagore").as_deref(), Some("pitagor"));
    }
}
