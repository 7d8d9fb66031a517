//! Guessing level, class and subject from where a file was found: folder names such as
//! `2nde/Mathématiques/Semaine 3/x.pdf` or a file name like `Cours - NSI Tle.pdf`. Matching forgives
//! accents and case; the nearest folder wins over farther ones. When folders and file name
//! disagree, the folders win: whoever built the pack put the file there. A level from the file
//! name is only ever added after the folders' one, never in its place.

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
    // Nearest folder first; the file name only fills what the folders left open.
    for name in folders.iter().rev().copied() {
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
    let from_name = infer_one(stem);
    let folder_levels = inferred.levels.len();
    for level in from_name.levels {
        if !inferred.levels.contains(&level) {
            inferred.levels.push(level);
        }
    }
    // A class named in the file ("2nde B") belongs to its level: kept only when the folders
    // named no class and that level is the folders' own (or they named none).
    if inferred.class.is_none() {
        inferred.class = from_name.class.filter(|class| {
            folder_levels == 0
                || inferred.levels[..folder_levels]
                    .iter()
                    .any(|level| class.starts_with(&format!("{level} ")))
        });
    }
    if inferred.subject.is_none() {
        inferred.subject = from_name.subject;
    }
    inferred
}

/// Words that make the level word before them an ordinal: "Cinquième partie", "1er trimestre",
/// "Seconde Guerre mondiale" name no class.
const ORDINAL_NOUNS: [&str; 16] = [
    "partie",
    "chapitre",
    "seance",
    "semaine",
    "guerre",
    "edition",
    "version",
    "etape",
    "lecon",
    "periode",
    "trimestre",
    "semestre",
    "sequence",
    "moitie",
    "question",
    "exercice",
];

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
        let ordinal = words
            .get(i + 1)
            .is_some_and(|next| ORDINAL_NOUNS.contains(next));
        if let Some(level) = Level::recognise(words[i]).filter(|_| !ordinal) {
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

    #[test]
    fn an_ordinal_before_partie_or_trimestre_names_no_class() {
        let file = infer(&[], "Fonctions statistiques - Cinquième partie.pdf");
        assert!(file.levels.is_empty(), "{file:?}");
        let term = infer(&["Tle"], "Bilan du 1er trimestre.pdf");
        assert_eq!(names(&term).0, ["Tle"]);
        let war = infer(&[], "La Seconde Guerre mondiale - 3e.pdf");
        assert_eq!(names(&war).0, ["3e"]);
        assert_eq!(names(&infer(&[], "Cours de Première.pdf")).0, ["1re"]);
    }

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

    #[test]
    fn the_folder_wins_when_folders_and_file_name_disagree() {
        // The example: a CNED file put in a Terminale history pack by whoever built it.
        let inferred = infer(
            &["Terminale", "Histoire-Géographie", "Semaine 3"],
            "Cours Debian Planification - NSI Tle.pdf",
        );
        assert_eq!(
            names(&inferred),
            (vec!["Tle"], None, Some("Histoire-Géographie"))
        );
        // A level from the file name comes second, never first.
        let inferred = infer(&["2nde", "Mathématiques"], "Exercices - Maths 1re.pdf");
        assert_eq!(
            names(&inferred),
            (vec!["2nde", "1re"], None, Some("Mathématiques"))
        );
        // A class of another level than the folder's is not taken from the file name.
        let inferred = infer(&["3e"], "Fiche - 2nde B.pdf");
        assert_eq!(names(&inferred), (vec!["3e", "2nde"], None, None));
        let inferred = infer(&["2nde", "Français"], "Fiche - 2nde B.pdf");
        assert_eq!(
            names(&inferred),
            (vec!["2nde"], Some("2nde B"), Some("Français"))
        );
    }

    #[test]
    fn the_file_name_fills_what_the_folders_leave_open() {
        let inferred = infer(&["Terminale", "Semaine 3"], "Cours - NSI.pdf");
        assert_eq!(
            names(&inferred),
            (
                vec!["Tle"],
                None,
                Some("Numérique et sciences informatiques")
            )
        );
        let inferred = infer(&["Histoire-Géographie"], "Chapitre 2 - 1re.pdf");
        assert_eq!(
            names(&inferred),
            (vec!["1re"], None, Some("Histoire-Géographie"))
        );
    }
}
