//! Short codes: the few characters of an address a person types from paper (`/s/K7M2`) to find a
//! selection of documents again. Upper case, from an alphabet without look-alikes; typed in
//! either case.

use serde::{Deserialize, Serialize};

/// Digits and capitals nobody mistakes for another when reading paper: no 0/O, no 1/I/L.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Characters of a code: new codes start at the shortest and grow when those are crowded.
pub const SHORT_CODE_LENGTHS: std::ops::RangeInclusive<usize> = 4..=5;

/// A valid short code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShortCode(String);

impl ShortCode {
    /// A random code of `length` characters (31^4 ≈ 920,000 codes of 4, 31^5 ≈ 29 million of
    /// 5); the caller stores it only if it is free.
    pub fn generate(length: usize) -> ShortCode {
        let mut bytes = vec![0u8; length];
        // Without the OS random source no id can be made at all: nothing to recover.
        getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
        ShortCode(
            bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect(),
        )
    }

    /// A code as typed (`k7m2` is `K7M2`); `None` for anything that cannot be one.
    pub fn parse(text: &str) -> Option<ShortCode> {
        let code = text.trim().to_ascii_uppercase();
        let valid =
            SHORT_CODE_LENGTHS.contains(&code.len()) && code.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(ShortCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ShortCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typed_in_either_case_and_never_hold_look_alikes() {
        assert_eq!(ShortCode::parse("k7m2").unwrap().as_str(), "K7M2");
        assert_eq!(ShortCode::parse(" K7M2X ").unwrap().as_str(), "K7M2X");
        for wrong in [
            "K7M", "K7M2XY", "K0M2", "KOM2", "K1M2", "KIM2", "KLM2", "K7-2", "",
        ] {
            assert_eq!(ShortCode::parse(wrong), None, "{wrong}");
        }
        for length in SHORT_CODE_LENGTHS {
            for _ in 0..200 {
                let code = ShortCode::generate(length);
                assert_eq!(code.as_str().len(), length);
                assert_eq!(ShortCode::parse(code.as_str()), Some(code.clone()));
                assert!(!code.as_str().contains(['0', 'O', '1', 'I', 'L']), "{code}");
            }
        }
    }
}
