//! `recherche.js`, the word index of a bundle's offline page, beside its `index.html` (a
//! `<script src>` loads it from `file://`, where fetch is refused). Each distinct word once, its
//! sound key made here rather than in the browser, and the rows having it packed tight: a class's
//! 2,000 documents carried 4.6 MB of words in the page's rows and took 1.5 s to open in Chromium;
//! packed, the whole index is a fraction of that and a search decodes only the words it matches.
//!
//! The file is one call, `cartableIndex(rows, "words", "keys", "lists")` (offline.js decodes it):
//! - words, sorted; each an upper-case letter saying how many leading letters it shares with the
//!   previous word (A none, up to Z), then the rest of it;
//! - keys, one per word in the same order, coded the same way against the previous key, or `.`
//!   for the previous word's key again, `-` for a word without one;
//! - lists, one per word: a character of [`PARAMS`] giving the Rice parameter `b`, then 6 bits a
//!   character ([`DIGITS`]): a first bit 1 when the list is of the rows NOT having the word (a
//!   word most rows have), then each gap between row numbers (the first from -1), less one, as
//!   its quotient by 2^b in unary (ones ended by a zero) and its last `b` bits; ones pad the end.
//!
//! Only folded words (a-z, 0-9) go in, so nothing in the file needs escaping.

use std::collections::BTreeMap;

use crate::model::sound_key;

use super::Item;

/// 6-bit digits of the row lists (offline.js has the same).
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";
/// The character opening each row list, by Rice parameter; none is a digit, so they also mark
/// where each list starts (offline.js has the same).
const PARAMS: &[u8; 25] = b"!#%&'()*,-.:;=?@[]^_`{|}~";
/// The most leading letters a word or key says it shares with the previous one (`Z`).
const MAX_SHARED: usize = 25;

/// The `recherche.js` of a bundle listing `items` in this order.
pub fn search_js(items: &[Item]) -> String {
    let mut rows_of: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (row, item) in items.iter().enumerate() {
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        for word in item.words.split(' ').filter(|w| indexable(w)) {
            let rows = rows_of.entry(word).or_default();
            if rows.last() != Some(&row) {
                rows.push(row);
            }
        }
    }
    let (mut words, mut keys, mut lists) = (String::new(), String::new(), String::new());
    let mut previous_word = "";
    let mut previous_key: Option<Option<String>> = None;
    for (word, rows) in &rows_of {
        front_coded(&mut words, previous_word, word);
        previous_word = word;
        let key = sound_key(word);
        match (&previous_key, &key) {
            (Some(previous), key) if previous == key => keys.push('.'),
            (_, None) => keys.push('-'),
            (previous, Some(key)) => {
                let previous = previous.as_ref().and_then(|p| p.as_deref()).unwrap_or("");
                front_coded(&mut keys, previous, key);
            }
        }
        previous_key = Some(key);
        packed_rows(&mut lists, rows, items.len());
    }
    format!(
        "cartableIndex({}, \"{words}\", \"{keys}\", \"{lists}\");\n",
        items.len()
    )
}

/// What the index can hold: folded words, which every item's `words` are.
fn indexable(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Appends `word` as the letters it shares with `previous` (an upper-case letter) and the rest.
fn front_coded(out: &mut String, previous: &str, word: &str) {
    let shared = previous
        .bytes()
        .zip(word.bytes())
        .take(MAX_SHARED)
        .take_while(|(a, b)| a == b)
        .count();
    out.push(char::from(b'A' + shared as u8));
    out.push_str(&word[shared..]);
}

/// Appends the list of `rows` (increasing) out of `total`.
fn packed_rows(out: &mut String, rows: &[u32], total: usize) {
    let without = rows.len() * 2 > total;
    let listed: Vec<u32> = if without {
        let mut having = rows.iter().peekable();
        (0..total as u32)
            .filter(|row| {
                if having.peek() == Some(&row) {
                    having.next();
                    false
                } else {
                    true
                }
            })
            .collect()
    } else {
        rows.to_vec()
    };
    let mut previous = -1i64;
    let gaps: Vec<u64> = listed
        .iter()
        .map(|&row| {
            let gap = (i64::from(row) - previous - 1) as u64;
            previous = i64::from(row);
            gap
        })
        .collect();
    let b = rice_parameter(&gaps);
    out.push(char::from(PARAMS[b as usize]));
    let mut bits = Bits::default();
    bits.push(without);
    for gap in gaps {
        for _ in 0..gap >> b {
            bits.push(true);
        }
        bits.push(false);
        for k in (0..b).rev() {
            bits.push((gap >> k) & 1 == 1);
        }
    }
    bits.finish(out);
}

/// The Rice parameter that codes `gaps` in the fewest bits: the usual estimate from their mean,
/// or one either side of it.
fn rice_parameter(gaps: &[u64]) -> u32 {
    let largest = PARAMS.len() as u32 - 1;
    if gaps.is_empty() {
        return 0;
    }
    let mean = gaps.iter().sum::<u64>() as f64 / gaps.len() as f64;
    let guess = (mean * std::f64::consts::LN_2).max(1.0).log2().ceil() as u32;
    let cost = |b: u32| -> u64 { gaps.iter().map(|g| (g >> b) + 1 + u64::from(b)).sum() };
    (guess.saturating_sub(1)..=guess + 1)
        .map(|b| b.min(largest))
        .min_by_key(|&b| cost(b))
        .unwrap_or(0)
}

/// Bits written 6 to a character of [`DIGITS`].
#[derive(Default)]
struct Bits {
    digits: String,
    pending: u8,
    count: u8,
}

impl Bits {
    fn push(&mut self, bit: bool) {
        self.pending = self.pending << 1 | u8::from(bit);
        self.count += 1;
        if self.count == 6 {
            self.digits.push(char::from(DIGITS[self.pending as usize]));
            self.pending = 0;
            self.count = 0;
        }
    }

    /// Pads with ones (read as an unfinished unary quotient: the end) and appends the digits.
    fn finish(mut self, out: &mut String) {
        while self.count != 0 {
            self.push(true);
        }
        out.push_str(&self.digits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes one row list as offline.js does.
    fn unpacked(list: &str, total: u32) -> Vec<u32> {
        let b = PARAMS
            .iter()
            .position(|&p| p == list.as_bytes()[0])
            .unwrap() as u32;
        let mut bits = list.bytes().skip(1).flat_map(|c| {
            let d = DIGITS.iter().position(|&x| x == c).unwrap() as u32;
            (0..6).rev().map(move |k| (d >> k) & 1 == 1)
        });
        let without = bits.next().unwrap();
        let (mut rows, mut row) = (Vec::new(), -1i64);
        'gaps: loop {
            let mut quotient = 0u64;
            loop {
                match bits.next() {
                    Some(true) => quotient += 1,
                    Some(false) => break,
                    None => break 'gaps,
                }
            }
            let low = (0..b).fold(0u64, |v, _| v * 2 + u64::from(bits.next().unwrap()));
            row += ((quotient << b) + low + 1) as i64;
            rows.push(row as u32);
        }
        if without {
            (0..total).filter(|r| !rows.contains(r)).collect()
        } else {
            rows
        }
    }

    #[test]
    fn row_lists_decode_to_the_rows_they_were_made_of() {
        let total = 2000;
        let cases: Vec<Vec<u32>> = vec![
            vec![0],
            vec![1999],
            vec![0, 1, 2, 3],
            (0..2000).collect(),
            (0..2000).filter(|r| r % 7 != 3).collect(),
            (0..2000).step_by(97).collect(),
            vec![5, 1500, 1501, 1998],
        ];
        for rows in cases {
            let mut list = String::new();
            packed_rows(&mut list, &rows, total as usize);
            assert!(list.bytes().skip(1).all(|c| DIGITS.contains(&c)));
            assert_eq!(unpacked(&list, total), rows, "{list}");
        }
    }

    /// Undoes [`front_coded`] (and, for keys, `.` and `-`) as offline.js does.
    fn unfolded(text: &str, keys: bool) -> Vec<Option<String>> {
        let (mut out, mut previous, mut rest) = (Vec::new(), Some(String::new()), text);
        while let Some(first) = rest.chars().next() {
            if keys && (first == '.' || first == '-') {
                if first == '-' {
                    previous = None;
                }
                out.push(previous.clone());
                rest = &rest[1..];
                continue;
            }
            let end = rest[1..]
                .find(|c: char| !c.is_ascii_lowercase() && !c.is_ascii_digit())
                .map_or(rest.len(), |at| at + 1);
            let shared = usize::from(first as u8 - b'A');
            let word = format!(
                "{}{}",
                &previous.unwrap_or_default()[..shared],
                &rest[1..end]
            );
            previous = Some(word);
            out.push(previous.clone());
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn the_index_gives_back_each_word_its_key_and_its_rows() {
        let texts = [
            "fonction fonctions affine 2nde de",
            "de photosynthese 2nde",
            "fonction de sauvegarde 2nde la",
            "de la le hhh 2nde",
        ];
        let items: Vec<Item> = texts
            .iter()
            .map(|words| Item {
                source: "/x".into(),
                path: vec!["a.txt".into()],
                bytes: 1,
                sha256: String::new(),
                title: String::new(),
                levels: vec![],
                subject: None,
                date: String::new(),
                modified: time::macros::datetime!(2026-03-01 10:00),
                compress: true,
                words: (*words).to_owned(),
            })
            .collect();
        let js = search_js(&items);
        let parts: Vec<&str> = js.split('"').collect();
        assert!(parts[0] == "cartableIndex(4, " && parts.len() == 7, "{js}");
        let words = unfolded(parts[1], false);
        let keys = unfolded(parts[3], true);
        let mut starts: Vec<usize> = parts[5]
            .char_indices()
            .filter(|(_, c)| PARAMS.contains(&(*c as u8)))
            .map(|(at, _)| at)
            .collect();
        starts.push(parts[5].len());
        let lists: Vec<&str> = starts.windows(2).map(|w| &parts[5][w[0]..w[1]]).collect();
        let mut expected: Vec<&str> = texts.iter().flat_map(|t| t.split(' ')).collect();
        expected.sort();
        expected.dedup();
        assert_eq!(words.len(), expected.len());
        assert!(keys.len() == words.len() && lists.len() == words.len());
        for (((word, key), list), wanted) in words.iter().zip(&keys).zip(&lists).zip(&expected) {
            let word = word.as_deref().unwrap();
            assert_eq!(word, *wanted);
            assert_eq!(key, &sound_key(word), "{word}");
            let rows: Vec<u32> = (0..4)
                .filter(|&r| texts[r as usize].split(' ').any(|w| w == word))
                .collect();
            assert_eq!(unpacked(list, 4), rows, "{word}");
        }
    }

    #[test]
    fn words_and_keys_are_front_coded_and_the_file_needs_no_escaping() {
        let mut out = String::new();
        front_coded(&mut out, "", "fonction");
        front_coded(&mut out, "fonction", "fonctions");
        front_coded(&mut out, "fonctions", "frise");
        assert_eq!(out, "AfonctionIsBrise");
        assert!(!indexable("\"onmouseover") && !indexable("") && indexable("2nde"));
    }
}
