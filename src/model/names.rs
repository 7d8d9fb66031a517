//! Levels and subjects: the usual French names, their abbreviations, and matching that forgives
//! accents and case ("Première", "1ère", "1re" are one level). Canonical spellings are what the
//! catalog stores and the UI shows.

use super::fold::fold;
use serde::{Deserialize, Serialize};

/// A school level: one of the seven canonical ones (6e ... Tle) or a free one ("BTS SIO", "CAP").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Level(String);

/// Canonical levels in school order, each with the folded words that name it.
const LEVELS: [(&str, &[&str]); 7] = [
    ("6e", &["6e", "6eme", "sixieme"]),
    ("5e", &["5e", "5eme", "cinquieme"]),
    ("4e", &["4e", "4eme", "quatrieme"]),
    ("3e", &["3e", "3eme", "troisieme"]),
    ("2nde", &["2nde", "2de", "2nd", "seconde"]),
    ("1re", &["1re", "1ere", "1er", "premiere"]),
    ("Tle", &["tle", "tale", "term", "terminale"]),
];

/// Prefixes of free levels recognised in folder and file names ("BTS SIO", "CAP").
const FREE_LEVEL_PREFIXES: [&str; 3] = ["bts", "cap", "bac pro"];

impl Level {
    /// Parses a level typed by a person: canonical levels are recognised in any spelling, anything
    /// else non-empty is kept as a free level. Returns `None` for blank input.
    pub fn parse(text: &str) -> Option<Level> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        Some(Level::recognise(trimmed).unwrap_or_else(|| Level(collapse_spaces(trimmed))))
    }

    /// Recognises one of the canonical levels, whatever the spelling; `None` for anything else.
    pub fn recognise(word: &str) -> Option<Level> {
        let folded = fold(word);
        let folded = folded.trim().trim_end_matches('.');
        LEVELS
            .iter()
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(folded)))
            .map(|(canonical, _)| Level((*canonical).to_owned()))
    }

    /// Finds a free level such as "BTS SIO" at the start of a run of words (already folded).
    pub fn recognise_free(words: &[&str]) -> Option<Level> {
        let joined = words.join(" ");
        for prefix in FREE_LEVEL_PREFIXES {
            if joined == prefix || joined.starts_with(&format!("{prefix} ")) {
                let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
                return Some(Level(upper.join(" ")));
            }
        }
        None
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level said in words ("terminale" for Tle), for canonical levels.
    pub fn spoken(&self) -> Option<&'static str> {
        LEVELS
            .iter()
            .find(|(canonical, _)| *canonical == self.0)
            .and_then(|(_, names)| names.last().copied())
    }

    /// Every word a search may name this level by ("2nde", "seconde"...): a canonical level's
    /// folded names, a free level's own name.
    pub fn search_names(&self) -> Vec<&str> {
        LEVELS
            .iter()
            .find(|(canonical, _)| *canonical == self.0)
            .map_or_else(|| vec![self.0.as_str()], |(_, names)| names.to_vec())
    }

    /// The canonical levels, in school order (for lists and level buttons).
    pub fn canonical() -> impl Iterator<Item = Level> {
        LEVELS.iter().map(|(name, _)| Level((*name).to_owned()))
    }

    /// A lycée's own levels (2nde, 1re, Tle), offered until an admin changes the list.
    pub fn lycee() -> impl Iterator<Item = Level> {
        Level::canonical().skip(4)
    }

    /// The level spelt out for headings and buttons ("Terminale" for Tle); a free level as it is.
    pub fn full_name(&self) -> &str {
        LEVELS
            .iter()
            .position(|(canonical, _)| *canonical == self.0)
            .map_or(&self.0, |i| FULL_NAMES[i])
    }
}

/// The canonical levels spelt out, in the order of `LEVELS`.
const FULL_NAMES: [&str; 7] = [
    "Sixième",
    "Cinquième",
    "Quatrième",
    "Troisième",
    "Seconde",
    "Première",
    "Terminale",
];

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A school subject, stored under its canonical French name when it is a known one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subject(String);

/// Known subjects with their folded names and abbreviations. Multi-word aliases come first so
/// "histoire geo" is matched before "histoire".
const SUBJECTS: [(&str, &[&str]); 26] = [
    (
        "Histoire-Géographie",
        &[
            "histoire-geographie",
            "histoire geographie",
            "histoire-geo",
            "histoire geo",
            "hg",
            "histoire",
            "geographie",
        ],
    ),
    (
        "Physique-Chimie",
        &[
            "physique-chimie",
            "physique chimie",
            "pc",
            "physique",
            "chimie",
        ],
    ),
    (
        "Sciences économiques et sociales",
        &["sciences economiques et sociales", "ses"],
    ),
    (
        "Sciences de la vie et de la Terre",
        &["sciences de la vie et de la terre", "svt"],
    ),
    (
        "Sciences numériques et technologie",
        &["sciences numeriques et technologie", "snt"],
    ),
    (
        "Numérique et sciences informatiques",
        &["numerique et sciences informatiques", "nsi"],
    ),
    (
        "Éducation physique et sportive",
        &["education physique et sportive", "eps"],
    ),
    (
        "Enseignement moral et civique",
        &["enseignement moral et civique", "emc"],
    ),
    ("Arts plastiques", &["arts plastiques", "arts-plastiques"]),
    ("Éducation musicale", &["education musicale", "musique"]),
    (
        "Mathématiques",
        &["mathematiques", "mathematique", "maths", "math"],
    ),
    ("Français", &["francais", "lettres"]),
    ("Anglais", &["anglais"]),
    ("Espagnol", &["espagnol"]),
    ("Allemand", &["allemand"]),
    ("Italien", &["italien"]),
    ("Philosophie", &["philosophie", "philo"]),
    ("Technologie", &["technologie", "techno"]),
    ("Latin", &["latin"]),
    ("Grec", &["grec"]),
    ("Informatique", &["informatique"]),
    (
        "Économie-gestion",
        &["economie-gestion", "economie gestion", "eco-gestion"],
    ),
    ("Management", &["management"]),
    ("Sciences", &["sciences"]),
    ("Documentation", &["documentation", "cdi"]),
    (
        "Sciences et technologies du management et de la gestion",
        &["stmg"],
    ),
];

/// Nicknames families search with that must not name a subject in a folder name ("LV1" is a
/// language, but which one is the family's).
const SUBJECT_NICKNAMES: [(&str, &[&str]); 9] = [
    ("Anglais", &["lv1", "lv2", "langue vivante"]),
    ("Espagnol", &["lv1", "lv2", "langue vivante"]),
    ("Allemand", &["lv1", "lv2", "langue vivante"]),
    ("Italien", &["lv1", "lv2", "lv3", "langue vivante"]),
    ("Sciences de la vie et de la Terre", &["bio", "biologie"]),
    ("Éducation physique et sportive", &["sport"]),
    ("Histoire-Géographie", &["geo"]),
    (
        "Numérique et sciences informatiques",
        &["info", "informatique"],
    ),
    ("Mathématiques", &["mathe"]),
];

impl Subject {
    /// Every word a search may name this subject by: its abbreviations ("SVT", "HG"), short
    /// names ("maths", "philo") and nicknames ("LV1"); a free subject's own name.
    pub fn search_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = SUBJECTS
            .iter()
            .chain(SUBJECT_NICKNAMES.iter())
            .filter(|(canonical, _)| *canonical == self.0)
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        if names.is_empty() {
            names.push(&self.0);
        }
        names
    }

    /// Parses a subject typed by a person: known ones get their canonical name, others are kept.
    pub fn parse(text: &str) -> Option<Subject> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        Some(Subject::recognise(trimmed).unwrap_or_else(|| Subject(collapse_spaces(trimmed))))
    }

    /// Recognises a known subject from a whole name or abbreviation ("maths", "SVT").
    pub fn recognise(text: &str) -> Option<Subject> {
        let folded = collapse_spaces(&fold(text));
        SUBJECTS
            .iter()
            .find(|(_, names)| names.iter().any(|n| *n == folded))
            .map(|(canonical, _)| Subject((*canonical).to_owned()))
    }

    /// The longest known subject name at the start of `words` (folded), with how many words it used.
    pub fn recognise_prefix(words: &[&str]) -> Option<(Subject, usize)> {
        (1..=words.len().min(6))
            .rev()
            .find_map(|n| Subject::recognise(&words[..n].join(" ")).map(|s| (s, n)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_spelt_out_for_headings_and_a_lycee_offers_its_own() {
        let spelt: Vec<String> = Level::lycee().map(|l| l.full_name().to_owned()).collect();
        assert_eq!(spelt, ["Seconde", "Première", "Terminale"]);
        assert_eq!(Level::parse("6eme").unwrap().full_name(), "Sixième");
        assert_eq!(Level::parse("BTS SIO").unwrap().full_name(), "BTS SIO");
    }

    #[test]
    fn searches_know_levels_and_subjects_by_their_school_names() {
        let first = Level::parse("1ère").unwrap();
        assert!(first.search_names().contains(&"premiere"));
        assert!(Level::parse("Tle").unwrap().search_names().contains(&"tle"));
        assert_eq!(Level::parse("BTS SIO").unwrap().search_names(), ["BTS SIO"]);
        let svt = Subject::parse("Sciences de la vie et de la Terre").unwrap();
        assert!(svt.search_names().contains(&"svt"));
        assert!(Subject::parse("Anglais")
            .unwrap()
            .search_names()
            .contains(&"lv1"));
        assert!(Subject::parse("HG").unwrap().search_names().contains(&"hg"));
        assert_eq!(Subject::parse("Cinéma").unwrap().search_names(), ["Cinéma"]);
    }

    #[test]
    fn levels_are_recognised_in_their_usual_spellings() {
        for (spelling, canonical) in [
            ("Seconde", "2nde"),
            ("2de", "2nde"),
            ("1ère", "1re"),
            ("Première", "1re"),
            ("TLE", "Tle"),
            ("Terminale", "Tle"),
            ("6ème", "6e"),
        ] {
            assert_eq!(
                Level::recognise(spelling).unwrap().as_str(),
                canonical,
                "{spelling}"
            );
        }
        assert_eq!(Level::recognise("Semaine"), None);
        assert_eq!(Level::parse("BTS 1").unwrap().as_str(), "BTS 1");
        assert_eq!(Level::parse("   "), None);
    }

    #[test]
    fn subjects_are_recognised_by_name_or_abbreviation() {
        assert_eq!(
            Subject::recognise("maths").unwrap().as_str(),
            "Mathématiques"
        );
        assert_eq!(
            Subject::recognise("MATHÉMATIQUES").unwrap().as_str(),
            "Mathématiques"
        );
        assert_eq!(
            Subject::recognise("Histoire géo").unwrap().as_str(),
            "Histoire-Géographie"
        );
        assert_eq!(
            Subject::recognise("NSI").unwrap().as_str(),
            "Numérique et sciences informatiques"
        );
        assert_eq!(Subject::recognise("cuisine"), None);
        assert_eq!(
            Subject::parse("Cuisine  du monde").unwrap().as_str(),
            "Cuisine du monde"
        );
        let words = ["histoire", "geo", "semaine"];
        let (subject, used) = Subject::recognise_prefix(&words).unwrap();
        assert_eq!((subject.as_str(), used), ("Histoire-Géographie", 2));
    }
}
