//! The cahier de texte when it leaves the site: a class's week as a printed sheet, the printable
//! pack that starts with it, the weeks a class's feeds cover, and the week at the top of a USB
//! copy or zip made for a class. Families read all of these: staff-only documents never appear.
//! "Today" is the UTC date, as everywhere else in cartable.

use time::{Date, Duration, OffsetDateTime};

use crate::bundle::pack::{self, Sheet, SheetDay, SheetDocument, SheetEntry};
use crate::bundle::{WeekNote, WeekNotes};
use crate::model::{french_date, iso_date, ClassName, Level};

use super::pack::BuiltPack;
use super::{Core, Error, HomeworkItem, HomeworkWeek, Selection};

/// Weeks before and after the current one a class's feeds cover: enough for a family to catch
/// up after a holiday, and for a calendar to show what is coming.
pub const FEED_WEEKS_BEFORE: i64 = 4;
pub const FEED_WEEKS_AFTER: i64 = 4;

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// "lundi 30 novembre".
pub fn french_day(day: Date) -> String {
    let weekday = WEEKDAYS[usize::from(day.weekday().number_days_from_monday())];
    let date = french_date(day);
    // "30 novembre 2026" without its year.
    let without_year = date.rsplit_once(' ').map_or(date.as_str(), |(d, _)| d);
    format!("{weekday} {without_year}")
}

/// "Semaine du 30 novembre au 6 décembre 2026", "Semaine du 28 décembre 2026 au 3 janvier 2027".
pub fn week_title(monday: Date) -> String {
    let sunday = monday + Duration::days(6);
    let first = if monday.year() == sunday.year() {
        french_day(monday)
            .split_once(' ')
            .map_or(String::new(), |(_, d)| d.to_owned())
    } else {
        french_date(monday)
    };
    format!("Semaine du {first} au {}", french_date(sunday))
}

/// An entry's heading: its subject, and on a whole level's page the groups it is for.
fn entry_heading(item: &HomeworkItem, class: &ClassName) -> String {
    let mut heading = item
        .entry
        .subject
        .as_ref()
        .map_or_else(|| "Consigne".to_owned(), ToString::to_string);
    if class.group().is_none() {
        let groups: Vec<String> = item
            .entry
            .classes
            .iter()
            .filter(|c| c.group().is_some() && c.concerns(class))
            .map(ToString::to_string)
            .collect();
        if !groups.is_empty() {
            heading = format!("{heading} · {}", groups.join(", "));
        }
    }
    heading
}

/// The class's page on the site (`site` is its root, `http://cartable.local:8080`), for a week.
pub fn class_address(site: &str, class: &ClassName, monday: Date) -> String {
    format!(
        "{}/classes/{}?semaine={}",
        site.trim_end_matches('/'),
        class.slug(),
        iso_date(monday)
    )
}

impl Core {
    /// The week's sheet as words, for `bundle::pack`.
    fn sheet(&self, week: &HomeworkWeek, school: &str, site: Option<&str>) -> Sheet {
        let mut days: Vec<SheetDay> = Vec::new();
        for item in &week.items {
            let entry = SheetEntry {
                heading: entry_heading(item, &week.class),
                instruction: item.entry.instruction.clone(),
                documents: item
                    .documents
                    .iter()
                    .map(|document| SheetDocument {
                        title: document.title.clone(),
                        link: site.map(|site| {
                            format!("{}/documents/{}", site.trim_end_matches('/'), document.id)
                        }),
                    })
                    .collect(),
            };
            let heading = format!("Pour le {}", french_day(item.entry.due));
            match days.last_mut() {
                Some(day) if day.heading == heading => day.entries.push(entry),
                _ => days.push(SheetDay {
                    heading,
                    entries: vec![entry],
                }),
            }
        }
        Sheet {
            school: school.to_owned(),
            class: week.class.full_name(),
            week: week_title(week.monday),
            days,
            link: site.map(|site| class_address(site, &week.class, week.monday)),
        }
    }

    /// The printable sheet (PDF, one or two A4 pages) of `class`'s week containing `day`.
    pub fn homework_sheet(
        &self,
        class: &ClassName,
        day: Date,
        school: &str,
        site: Option<&str>,
    ) -> Result<Vec<u8>, Error> {
        let week = self.homework_week(class, day, true)?;
        let sheet = self.sheet(&week, school, site);
        let (_, pdf) = pack::write_sheet(&sheet, Vec::new()).map_err(Error::io)?;
        Ok(pdf)
    }

    /// The printable pack of `class`'s week containing `day`: its sheet, then the week's public
    /// documents, refused above the family pack's page limit like a basket's.
    pub fn homework_pack(
        &self,
        class: &ClassName,
        day: Date,
        school: &str,
        site: Option<&str>,
    ) -> Result<BuiltPack, Error> {
        let week = self.homework_week(class, day, true)?;
        let sheet = self.sheet(&week, school, site);
        let documents = week.documents().into_iter().cloned().collect();
        let title = format!(
            "{} - {}",
            week.class.full_name(),
            week_title(week.monday).to_lowercase()
        );
        self.printable_documents(documents, title, school, site, Some(sheet))
    }

    /// The entries of `class` due from `FEED_WEEKS_BEFORE` weeks before `today`'s week to
    /// `FEED_WEEKS_AFTER` weeks after, as families see them, by due date.
    pub fn homework_feed(
        &self,
        class: &ClassName,
        today: Date,
    ) -> Result<Vec<HomeworkItem>, Error> {
        let mut items = Vec::new();
        for offset in -FEED_WEEKS_BEFORE..=FEED_WEEKS_AFTER {
            let week = self.homework_week(class, today + Duration::weeks(offset), true)?;
            items.extend(week.items);
        }
        Ok(items)
    }

    /// The current week of the class (or level) a copy is made for, when it has entries; a
    /// basket's copy has none.
    pub(super) fn bundle_week(&self, selection: &Selection) -> Result<Option<WeekNotes>, Error> {
        if selection.ids.is_some() {
            return Ok(None);
        }
        let class = match (&selection.filter.class, &selection.filter.level) {
            (Some(class), _) => ClassName::parse(class),
            (None, Some(level)) => ClassName::new(Level::clone(level), None),
            (None, None) => None,
        };
        let Some(class) = class else {
            return Ok(None);
        };
        let week = self.homework_week(&class, OffsetDateTime::now_utc().date(), true)?;
        if week.items.is_empty() {
            return Ok(None);
        }
        Ok(Some(WeekNotes {
            title: format!(
                "{} — {}",
                class.full_name(),
                week_title(week.monday).to_lowercase()
            ),
            entries: week
                .items
                .iter()
                .map(|item| WeekNote {
                    heading: format!(
                        "Pour le {} · {}",
                        french_day(item.entry.due),
                        entry_heading(item, &class)
                    ),
                    instruction: item.entry.instruction.clone(),
                    documents: item
                        .documents
                        .iter()
                        .map(|d| (d.title.clone(), d.sha256.clone()))
                        .collect(),
                })
                .collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weeks_and_days_are_said_in_french() {
        assert_eq!(french_day(date!(2026 - 11 - 30)), "lundi 30 novembre");
        assert_eq!(
            week_title(date!(2026 - 11 - 30)),
            "Semaine du 30 novembre au 6 décembre 2026"
        );
        assert_eq!(
            week_title(date!(2026 - 12 - 28)),
            "Semaine du 28 décembre 2026 au 3 janvier 2027"
        );
    }
}
