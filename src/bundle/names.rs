//! File and folder names that survive a USB stick and every family's computer: FAT32/exFAT
//! forbid `<>:"/\|?*` and control characters, trailing dots and spaces, and some names (CON,
//! NUL...); Windows paths break past 260 characters. Names are made readable ("Mathématiques/Fiche
//! - Les fonctions.pdf"), unique within their folder, and short enough.

use std::collections::HashSet;

/// Longest name kept (characters), leaving room for the folders above it on a stick.
const MAX_NAME_CHARS: usize = 80;

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A name safe on FAT32/exFAT, NTFS, ext4 and APFS; never empty.
pub fn safe(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = collapsed.chars().take(MAX_NAME_CHARS).collect();
    while short.ends_with(['.', ' ']) {
        short.pop();
    }
    let short = short.trim_start().to_owned();
    if short.is_empty() {
        return "document".to_owned();
    }
    let stem = short.split('.').next().unwrap_or("").to_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        return format!("_{short}");
    }
    short
}

/// A file name from a title and an extension: "Fiche - Les fonctions" + "pdf".
pub fn file_name(title: &str, extension: &str) -> String {
    let stem: String = safe(title)
        .chars()
        .take(MAX_NAME_CHARS - extension.len() - 1)
        .collect();
    format!("{}.{extension}", stem.trim_end_matches(['.', ' ']))
}

/// Hands out names unique within one folder, case-insensitively (FAT folds case):
/// "Fiche.pdf", "Fiche (2).pdf", ...
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    pub fn claim(&mut self, name: &str) -> String {
        let (stem, extension) = match name.rfind('.') {
            Some(at) if at > 0 => (&name[..at], &name[at..]),
            _ => (name, ""),
        };
        let mut candidate = name.to_owned();
        let mut n = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            candidate = format!("{stem} ({n}){extension}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_on_fat32_and_keep_their_accents() {
        assert_eq!(
            safe("Fiche : révision \"ch. 3\"?"),
            "Fiche - révision -ch. 3--"
        );
        assert_eq!(safe("Cours..."), "Cours");
        assert_eq!(safe("  \u{7}  "), "document");
        assert_eq!(safe("con.txt"), "_con.txt");
        assert_eq!(safe(&"é".repeat(300)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(
            file_name("Les fonctions / affines.", "pdf"),
            "Les fonctions - affines.pdf"
        );
    }

    #[test]
    fn names_are_unique_whatever_the_case() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("Fiche.pdf"), "Fiche.pdf");
        assert_eq!(names.claim("fiche.pdf"), "fiche (2).pdf");
        assert_eq!(names.claim("Fiche.pdf"), "Fiche (3).pdf");
        assert_eq!(names.claim("Maths"), "Maths");
    }
}
