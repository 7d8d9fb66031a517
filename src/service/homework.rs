//! The cahier de texte as families and staff read it: a class's entries for one week, each with
//! the documents its reader may open (a family never sees a staff-only document, even attached).

use time::{Date, Duration, OffsetDateTime};

use crate::model::{
    week_start, Account, ClassName, Document, Homework, HomeworkProblem, NewHomework, Role,
    MAX_CLASSES, MAX_ENTRY_DOCUMENTS, MAX_INSTRUCTION_CHARS,
};

use super::{Core, Error};

/// One entry with its documents as this reader may see them, in the order they were attached;
/// deleted documents are left out.
#[derive(Debug, Clone)]
pub struct HomeworkItem {
    pub entry: Homework,
    pub documents: Vec<Document>,
}

/// A class's week: Monday to Sunday, entries by due date, then subject, then when written.
#[derive(Debug, Clone)]
pub struct HomeworkWeek {
    pub class: ClassName,
    /// The Monday the week starts on.
    pub monday: Date,
    pub items: Vec<HomeworkItem>,
}

impl HomeworkWeek {
    pub fn sunday(&self) -> Date {
        self.monday + Duration::days(6)
    }

    /// The entries due on `day`.
    pub fn on(&self, day: Date) -> impl Iterator<Item = &HomeworkItem> {
        self.items.iter().filter(move |item| item.entry.due == day)
    }

    /// Every document of the week once, in the order they first appear (for a week's pack).
    pub fn documents(&self) -> Vec<&Document> {
        let mut documents: Vec<&Document> = Vec::new();
        for document in self.items.iter().flat_map(|item| &item.documents) {
            if !documents.iter().any(|d| d.id == document.id) {
                documents.push(document);
            }
        }
        documents
    }
}

impl Core {
    /// The entries concerning `class` due in the week containing `day`. `public_only` (a family,
    /// the kiosk, a feed, a printed sheet) leaves staff-only documents out.
    pub fn homework_week(
        &self,
        class: &ClassName,
        day: Date,
        public_only: bool,
    ) -> Result<HomeworkWeek, Error> {
        let monday = week_start(day);
        let entries = self
            .store
            .catalog()
            .homework_due_between(monday, monday + Duration::days(6))?;
        let mut items = Vec::new();
        for entry in entries {
            if entry.classes.iter().any(|c| c.concerns(class)) {
                let documents = self.documents(&entry.documents, public_only)?;
                items.push(HomeworkItem { entry, documents });
            }
        }
        items.sort_by(|a, b| {
            let key = |item: &HomeworkItem| {
                let subject = item.entry.subject.as_ref().map(|s| s.as_str().to_owned());
                (item.entry.due, subject, item.entry.created, item.entry.id)
            };
            key(a).cmp(&key(b))
        });
        Ok(HomeworkWeek {
            class: class.clone(),
            monday,
            items,
        })
    }

    /// The classes some entry names, for menus and feeds' discovery.
    pub fn homework_classes(&self) -> Result<Vec<ClassName>, Error> {
        Ok(self.store.catalog().homework_classes()?)
    }
}

/// Changing entries: staff write their own; an admin may change or delete anyone's.
impl Core {
    /// Saves a new entry written by `by`; returns its id. Attached documents must exist.
    pub fn add_homework(&self, by: &Account, entry: NewHomework) -> Result<i64, Error> {
        let entry = self.checked(entry)?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        Ok(self
            .store
            .catalog()
            .insert_homework(&entry, by.login.as_str(), now)?)
    }

    /// Replaces entry `id`'s content; its writer stays its owner.
    pub fn change_homework(&self, by: &Account, id: i64, entry: NewHomework) -> Result<(), Error> {
        self.changeable_homework(by, id)?;
        let entry = self.checked(entry)?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        if !self.store.catalog().update_homework(id, &entry, now)? {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    pub fn remove_homework(&self, by: &Account, id: i64) -> Result<(), Error> {
        self.changeable_homework(by, id)?;
        if !self.store.catalog().delete_homework(id)? {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Entry `id` as its writer sees it once saved: with every document it attached, staff-only
    /// ones too.
    pub fn saved_homework(&self, id: i64) -> Result<HomeworkItem, Error> {
        let entry = self.homework_entry(id)?;
        let documents = self.documents(&entry.documents, false)?;
        Ok(HomeworkItem { entry, documents })
    }

    /// Entry `id` as stored (for a staff edit form).
    pub fn homework_entry(&self, id: i64) -> Result<Homework, Error> {
        self.store.catalog().homework(id)?.ok_or(Error::NotFound)
    }

    /// Entry `id` if `by` may change it: not found, or forbidden for someone else's.
    pub fn changeable_homework(&self, by: &Account, id: i64) -> Result<Homework, Error> {
        let entry = self.homework_entry(id)?;
        if by.role != Role::Admin && entry.owner != by.login.as_str() {
            return Err(Error::Forbidden(
                "Seul son auteur ou un administrateur peut modifier cette consigne.".to_owned(),
            ));
        }
        Ok(entry)
    }

    fn checked(&self, entry: NewHomework) -> Result<NewHomework, Error> {
        let entry = entry.validate().map_err(|problem| {
            Error::InvalidInput(
                match problem {
                    HomeworkProblem::NoClass => "Choisissez au moins une classe.".to_owned(),
                    HomeworkProblem::TooManyClasses => {
                        format!("Une consigne vise au plus {MAX_CLASSES} classes.")
                    }
                    HomeworkProblem::NoInstruction => "Écrivez la consigne.".to_owned(),
                    HomeworkProblem::InstructionTooLong => format!(
                        "La consigne dépasse {MAX_INSTRUCTION_CHARS} caractères : joignez plutôt un document."
                    ),
                    HomeworkProblem::TooManyDocuments => {
                        format!("Une consigne joint au plus {MAX_ENTRY_DOCUMENTS} documents.")
                    }
                },
            )
        })?;
        for id in &entry.documents {
            match self.get(id) {
                Ok(_) => {}
                Err(Error::NotFound) => {
                    return Err(Error::InvalidInput(format!(
                        "Le document {id} n'existe pas (ou plus) : retirez-le de la consigne."
                    )))
                }
                Err(other) => return Err(other),
            }
        }
        Ok(entry)
    }
}
