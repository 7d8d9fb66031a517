//! The staff form's fields as typed: read from the multipart form, shown again after a problem,
//! turned into the entry to save (classes parsed, with a French message naming what is not a
//! class) and into the metadata of files uploaded in the form.

use time::{Date, Duration};

use crate::model::{
    is_weekend, ClassName, DocumentId, Homework, Level, Metadata, NewHomework, Subject, Visibility,
};

use super::super::wording::parse_iso_date;

/// The next school day after `day` (a Friday's entry is for Monday): the form's default.
pub(super) fn next_school_day(day: Date) -> Date {
    let mut next = day + Duration::days(1);
    while is_weekend(next) {
        next += Duration::days(1);
    }
    next
}

/// The form's fields as typed.
#[derive(Debug, Default)]
pub(super) struct Draft {
    /// Whole levels ticked.
    pub(super) levels: Vec<Level>,
    /// "2nde B, Tle STMG 1".
    pub(super) other_classes: String,
    pub(super) due: String,
    pub(super) subject: Option<Subject>,
    pub(super) instruction: String,
    pub(super) documents: Vec<DocumentId>,
    pub(super) search: String,
}

impl Draft {
    pub(super) fn blank(due: Date) -> Draft {
        Draft {
            due: due.to_string(),
            ..Draft::default()
        }
    }

    /// A stored entry in the form: its whole levels the school lists are ticked, the other
    /// classes typed.
    pub(super) fn of_entry(entry: &Homework, school_levels: &[Level]) -> Draft {
        let (ticked, typed): (Vec<&ClassName>, Vec<&ClassName>) = entry
            .classes
            .iter()
            .partition(|c| c.group().is_none() && school_levels.contains(c.level()));
        Draft {
            levels: ticked.iter().map(|c| c.level().clone()).collect(),
            other_classes: typed
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            due: entry.due.to_string(),
            subject: entry.subject.clone(),
            instruction: entry.instruction.clone(),
            documents: entry.documents.clone(),
            search: String::new(),
        }
    }

    pub(super) fn from_fields(fields: &[(String, String)]) -> Draft {
        fn all<'a>(
            fields: &'a [(String, String)],
            name: &'a str,
        ) -> impl Iterator<Item = &'a str> + 'a {
            fields
                .iter()
                .filter(move |(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
        let one = |name: &str| all(fields, name).next().unwrap_or("").to_owned();
        Draft {
            levels: all(fields, "classe").filter_map(Level::parse).collect(),
            other_classes: one("autres_classes"),
            due: one("due").trim().to_owned(),
            subject: Subject::parse(&one("subject")),
            instruction: one("instruction"),
            documents: all(fields, "document")
                .filter_map(DocumentId::parse)
                .collect(),
            search: one("cherche"),
        }
    }

    /// The classes ticked and typed, or what is not a class, said in French.
    pub(super) fn classes(&self) -> Result<Vec<ClassName>, String> {
        let mut classes: Vec<ClassName> = self
            .levels
            .iter()
            .filter_map(|level| ClassName::new(level.clone(), None))
            .collect();
        let mut unknown = Vec::new();
        for typed in self
            .other_classes
            .split([',', ';'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            match ClassName::parse(typed) {
                Some(class) => classes.push(class),
                None => unknown.push(format!("« {typed} »")),
            }
        }
        if unknown.is_empty() {
            Ok(classes)
        } else {
            Err(format!(
                "Pas une classe : {}. Écrivez un niveau puis, si besoin, le groupe, séparés par un espace (« 2nde B », « Tle STMG 1 », « 1re ») ; plusieurs classes séparées par des virgules.",
                unknown.join(", ")
            ))
        }
    }

    /// The entry to save, or why not.
    pub(super) fn entry(&self) -> Result<NewHomework, String> {
        let classes = self.classes()?;
        let due = parse_iso_date(&self.due).ok_or_else(|| {
            format!(
                "Date invalide : « {} » (format AAAA-MM-JJ, par exemple 2026-12-03).",
                self.due
            )
        })?;
        Ok(NewHomework {
            classes,
            due,
            subject: self.subject.clone(),
            instruction: self.instruction.clone(),
            documents: self.documents.clone(),
        })
    }

    /// What a file uploaded in the form is filed under: the entry's levels, classes, subject and
    /// date, public (it is for families), owned by the teacher.
    pub(super) fn upload_metadata(&self, owner: String) -> Metadata {
        let classes = self.classes().unwrap_or_default();
        let mut levels: Vec<Level> = classes.iter().map(|c| c.level().clone()).collect();
        levels.dedup();
        let groups: Vec<String> = classes
            .iter()
            .filter(|c| c.group().is_some())
            .map(ClassName::to_string)
            .collect();
        Metadata {
            levels,
            class: (!groups.is_empty()).then(|| groups.join(", ")),
            subject: self.subject.clone(),
            due: parse_iso_date(&self.due),
            visibility: Some(Visibility::Public),
            owner: Some(owner),
            ..Metadata::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn typed_classes_are_read_and_what_is_not_a_class_is_named() {
        let fields: Vec<(String, String)> = [
            ("classe", "2nde"),
            ("autres_classes", "1re G2 ; tle stmg 1,"),
            ("due", "2026-12-03"),
            ("instruction", "Lire"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let draft = Draft::from_fields(&fields);
        let names: Vec<String> = draft
            .classes()
            .unwrap()
            .iter()
            .map(ClassName::to_string)
            .collect();
        assert_eq!(names, ["2nde", "1re G2", "Tle STMG 1"]);
        assert_eq!(draft.entry().unwrap().due, date!(2026 - 12 - 03));
        let wrong = Draft {
            other_classes: "2nde B, maths".to_owned(),
            ..draft
        };
        let problem = wrong.classes().unwrap_err();
        assert!(
            problem.starts_with("Pas une classe : « maths ». "),
            "only what is not a class is named: {problem}"
        );
    }

    #[test]
    fn the_default_date_skips_the_weekend() {
        assert_eq!(
            next_school_day(date!(2026 - 12 - 01)),
            date!(2026 - 12 - 02)
        );
        assert_eq!(
            next_school_day(date!(2026 - 12 - 04)),
            date!(2026 - 12 - 07)
        );
    }
}
