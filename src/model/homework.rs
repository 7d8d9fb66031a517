//! The cahier de texte: what a class has to do or read for a given day ("Pour aujourd'hui"), as
//! staff write it. An entry names one or more classes, the day it is due, a subject, a short
//! plain-text instruction and documents of the library. Families read it by class and by week.

use time::{Date, Duration, OffsetDateTime, Weekday};

use super::fold::fold;
use super::{DocumentId, Level, Subject};

/// Longest instruction kept: a cahier de texte line, not a document (those are attached).
pub const MAX_INSTRUCTION_CHARS: usize = 4000;
/// Classes one entry may name (a teacher's classes of one level, or a whole level or two).
pub const MAX_CLASSES: usize = 12;
/// Documents one entry may attach.
pub const MAX_ENTRY_DOCUMENTS: usize = 20;
/// Longest group name after the level ("B", "G2", "STMG 1").
const MAX_GROUP_CHARS: usize = 12;

/// A class as families and staff name it: a level, and a group within it or none for the whole
/// level ("2nde B", "Terminale"). An entry for a whole level shows on every group's page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassName {
    level: Level,
    group: Option<String>,
}

impl ClassName {
    pub fn new(level: Level, group: Option<&str>) -> Option<ClassName> {
        let group = match group.map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) if g.chars().count() > MAX_GROUP_CHARS => return None,
            Some(g) if g.chars().any(|c| !(c.is_alphanumeric() || c == ' ')) => return None,
            Some(g) => Some(
                g.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_uppercase(),
            ),
            None => None,
        };
        Some(ClassName { level, group })
    }

    /// Reads a class typed by a person or taken from a URL: "2nde B", "seconde-b", "Tle",
    /// "1ère G2". The first word must be a level (canonical levels in any spelling; "BTS SIO"
    /// and the like too); the rest is the group. `None` for anything else.
    pub fn parse(text: &str) -> Option<ClassName> {
        let spaced = text.trim().replace(['-', '_'], " ");
        let words: Vec<&str> = spaced.split_whitespace().collect();
        let (first, rest) = words.split_first()?;
        if let Some(level) = Level::recognise(first) {
            return ClassName::new(level, Some(&rest.join(" ")));
        }
        // Free levels ("BTS SIO 2", "CAP AEPE") take every word: they name one class each.
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let folded: Vec<&str> = folded.iter().map(String::as_str).collect();
        ClassName::new(Level::recognise_free(&folded)?, None)
    }

    pub fn level(&self) -> &Level {
        &self.level
    }

    pub fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }

    /// Whether an entry written for `self` concerns a family who chose `chosen`: the same class,
    /// or `self` is the whole level of `chosen`, or `chosen` is a whole level (its page lists
    /// every group's entries, each labelled).
    pub fn concerns(&self, chosen: &ClassName) -> bool {
        self.level == chosen.level
            && (self.group.is_none() || chosen.group.is_none() || self.group == chosen.group)
    }

    /// The class in URLs: folded, words joined by '-' ("2nde-b", "tle").
    pub fn slug(&self) -> String {
        fold(&self.to_string())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Spelt out for headings: "Seconde B", "Terminale".
    pub fn full_name(&self) -> String {
        match &self.group {
            Some(group) => format!("{} {group}", self.level.full_name()),
            None => self.level.full_name().to_owned(),
        }
    }
}

/// The short form the catalog stores and forms show: "2nde B", "Tle".
impl std::fmt::Display for ClassName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.group {
            Some(group) => write!(f, "{} {group}", self.level),
            None => write!(f, "{}", self.level),
        }
    }
}

/// One entry of the cahier de texte as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Homework {
    /// Row id: stable, used in URLs.
    pub id: i64,
    pub classes: Vec<ClassName>,
    /// The day the work is for.
    pub due: Date,
    pub subject: Option<Subject>,
    /// Plain text as typed: line breaks kept, addresses made into links when shown.
    pub instruction: String,
    /// Attached documents, in the order chosen. Some may be staff-only or deleted since: the
    /// service filters them for each reader.
    pub documents: Vec<DocumentId>,
    /// The staff login who wrote it; only they (or an admin) change it.
    pub owner: String,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
}

/// What a person writes in the form, checked by `NewHomework::validate`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHomework {
    pub classes: Vec<ClassName>,
    pub due: Date,
    pub subject: Option<Subject>,
    pub instruction: String,
    pub documents: Vec<DocumentId>,
}

/// Why an entry cannot be saved, said to the staff member who wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HomeworkProblem {
    #[error("no class")]
    NoClass,
    #[error("too many classes")]
    TooManyClasses,
    #[error("empty instruction")]
    NoInstruction,
    #[error("instruction too long")]
    InstructionTooLong,
    #[error("too many documents")]
    TooManyDocuments,
}

impl NewHomework {
    /// Trims the instruction (keeping its line breaks, with Windows ones made plain), drops
    /// repeated classes and documents, and checks the limits.
    pub fn validate(mut self) -> Result<NewHomework, HomeworkProblem> {
        self.instruction = self.instruction.replace("\r\n", "\n").trim().to_owned();
        self.classes.sort();
        self.classes.dedup();
        let mut seen = Vec::with_capacity(self.documents.len());
        self.documents.retain(|id| {
            let new = !seen.contains(id);
            seen.push(id.clone());
            new
        });
        if self.classes.is_empty() {
            Err(HomeworkProblem::NoClass)
        } else if self.classes.len() > MAX_CLASSES {
            Err(HomeworkProblem::TooManyClasses)
        } else if self.instruction.is_empty() {
            Err(HomeworkProblem::NoInstruction)
        } else if self.instruction.chars().count() > MAX_INSTRUCTION_CHARS {
            Err(HomeworkProblem::InstructionTooLong)
        } else if self.documents.len() > MAX_ENTRY_DOCUMENTS {
            Err(HomeworkProblem::TooManyDocuments)
        } else {
            Ok(self)
        }
    }
}

/// The Monday of the week `day` is in: weeks run Monday to Sunday, as French school weeks do.
pub fn week_start(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// Whether `day` is a Saturday or a Sunday (a week's sheet lists school days first).
pub fn is_weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn classes_are_read_however_they_are_written() {
        for (text, short, slug, full) in [
            ("2nde B", "2nde B", "2nde-b", "Seconde B"),
            ("seconde-b", "2nde B", "2nde-b", "Seconde B"),
            ("  Terminale  ", "Tle", "tle", "Terminale"),
            ("1ère g2", "1re G2", "1re-g2", "Première G2"),
            ("tle stmg 1", "Tle STMG 1", "tle-stmg-1", "Terminale STMG 1"),
            ("BTS SIO 2", "BTS SIO 2", "bts-sio-2", "BTS SIO 2"),
        ] {
            let class = ClassName::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(class.to_string(), short, "{text}");
            assert_eq!(class.slug(), slug, "{text}");
            assert_eq!(class.full_name(), full, "{text}");
            assert_eq!(
                ClassName::parse(&class.slug()),
                Some(class.clone()),
                "{text}"
            );
            assert_eq!(ClassName::parse(&class.to_string()), Some(class), "{text}");
        }
        for text in ["", "B", "mathématiques", "2nde <b>", "2nde ABCDEFGHIJKLMN"] {
            assert_eq!(ClassName::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_whole_level_concerns_every_group_and_groups_do_not_mix() {
        let level = ClassName::parse("2nde").unwrap();
        let b = ClassName::parse("2nde B").unwrap();
        let c = ClassName::parse("2nde C").unwrap();
        let other = ClassName::parse("1re B").unwrap();
        assert!(level.concerns(&b) && b.concerns(&b) && b.concerns(&level));
        assert!(!b.concerns(&c) && !b.concerns(&other) && !level.concerns(&other));
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(date!(2026 - 12 - 01)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
        assert!(is_weekend(date!(2026 - 12 - 06)) && !is_weekend(date!(2026 - 12 - 04)));
    }

    #[test]
    fn entries_are_checked_and_tidied() {
        let id = DocumentId::parse("abcdefgh").unwrap();
        let entry = NewHomework {
            classes: vec![
                ClassName::parse("2nde B").unwrap(),
                ClassName::parse("2nde-b").unwrap(),
            ],
            due: date!(2026 - 12 - 01),
            subject: None,
            instruction: "  Lire p. 12\r\nFaire l'ex. 3  ".to_owned(),
            documents: vec![id.clone(), id.clone()],
        };
        let tidy = entry.clone().validate().unwrap();
        assert_eq!(tidy.classes.len(), 1);
        assert_eq!(tidy.documents, vec![id]);
        assert_eq!(tidy.instruction, "Lire p. 12\nFaire l'ex. 3");
        let blank = NewHomework {
            instruction: " \n ".to_owned(),
            ..entry.clone()
        };
        assert_eq!(blank.validate(), Err(HomeworkProblem::NoInstruction));
        let classless = NewHomework {
            classes: Vec::new(),
            ..entry
        };
        assert_eq!(classless.validate(), Err(HomeworkProblem::NoClass));
    }
}
