//! Guessing level, class and subject from where a file was found: folder names such as
//! `2nde/Mathématiques/Semaine 3/x.pdf` or a file name like `Cours - NSI Tle.pdf`. Matching forgives
//! accents and case; the nearest folder wins over farther ones, the file name over all.

use crate::model::{fold, Level, Subject};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub levels: Vec<Level>,
    pub class: Option<String>,
    pub subject: Option<Subject>,
}

/// Infers from the folder names (outermost first) and the file name.
pub fn infer(folders: &[&str], file_name: &str) -> Inferred {
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file_name);
    let mut inferred = Inferred::default();
    // Nearest first: the file name, then the innermost folder.
    for name in std::iter::once(stem).chain(folders.iter().rev().copied()) {
        let found = infer_one(name);
        if inferred.levels.is_empty() && !found.levels.is_empty() {
            inferred.levels = found.levels;
        }
        if inferred.class.is_none() {
            inferred.class = found.class;
        }
        if inferred.subject.is_none() {
            inferred.subject = found.subject;
        }
    }
    inferred
}

fn infer_one(name: &str) -> Inferred {
    let folded = fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .flat_map(|w| {
            if w.contains('-') && Level::recognise(w).is_none() {
                w.split('-').collect::<Vec<_>>()
            } else {
                vec![w]
            }
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut inferred = Inferred::default();
    let mut i = 0;
    while i < words.len() {
        if let Some(level) = Level::recognise(words[i]) {
            // "2nde B" or "2nde 3": a single letter or number right after a level names a class.
            if let Some(next) = words.get(i + 1) {
                let is_group = (next.len() == 1
                    && next.chars().all(|c| c.is_ascii_alphabetic() && c != 'a'))
                    || (next.len() <= 2 && next.chars().all(|c| c.is_ascii_digit()));
                if is_group && inferred.class.is_none() {
                    inferred.class = Some(format!("{} {}", level, next.to_uppercase()));
                }
            }
            if !inferred.levels.contains(&level) {
                inferred.levels.push(level);
            }
            i += 1;
            continue;
        }
        if let Some(level) = Level::recognise_free(&words[i..(i + 2).min(words.len())]) {
            if inferred.levels.is_empty() {
                inferred.levels.push(level);
            }
            i += 2;
            continue;
        }
        if inferred.subject.is_none() {
            if let Some((subject, used)) = Subject::recognise_prefix(&words[i..]) {
                inferred.subject = Some(subject);
                i += used;
                continue;
            }
        }
        i += 1;
    }
    inferred
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(inferred: &Inferred) -> (Vec<&str>, Option<&str>, Option<&str>) {
        (
            inferred.levels.iter().map(Level::as_str).collect(),
            inferred.class.as_deref(),
            inferred.subject.as_ref().map(Subject::as_str),
        )
    }

    #[test]
    fn folders_give_level_and_subject() {
        let inferred = infer(&["CNED", "2nde", "Mathématiques", "Semaine 3"], "x.pdf");
        assert_eq!(
            names(&inferred),
            (vec!["2nde"], None, Some("Mathématiques"))
        );
    }

    #[test]
    fn file_names_give_them_too() {
        let inferred = infer(&[], "Cours Debian Planification - NSI Tle.docx");
        assert_eq!(
            names(&inferred),
            (
                vec!["Tle"],
                None,
                Some("Numérique et sciences informatiques")
            )
        );
        let inferred = infer(&["seconde b", "histoire geo"], "fiche.pdf");
        assert_eq!(
            names(&inferred),
            (vec!["2nde"], Some("2nde B"), Some("Histoire-Géographie"))
        );
        let inferred = infer(&[], "Calc Sparklines - BTS SIO.html");
        assert_eq!(names(&inferred), (vec!["BTS SIO"], None, None));
    }

    #[test]
    fn ordinary_words_infer_nothing() {
        let inferred = infer(
            &["Documents", "Semaine 3"],
            "Premier abord - les fonctions.odt",
        );
        assert_eq!(names(&inferred), (vec![], None, None));
        let inferred = infer(&["Documents"], "Aide-mémoire - Retinex.odt");
        assert_eq!(names(&inferred), (vec![], None, None));
    }
}
