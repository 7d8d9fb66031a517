//! The cahier de texte as families and staff read it: a class's entries for one week, each with
//! the documents its reader may open (a family never sees a staff-only document, even attached).

use time::{Date, Duration};

use crate::model::{week_start, ClassName, Document, Homework};

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
