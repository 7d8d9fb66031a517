//! A class's cahier de texte as feeds families' tools subscribe to: Atom (RFC 4287), one entry
//! per homework entry, and iCalendar (RFC 5545), one all-day event per entry on its due date.
//! Ids stay the same across edits (the row id and when it was written), so a reader updates an
//! entry rather than showing it twice. Pure functions of what the service gives: the items are
//! already those families may see (no staff-only document).

use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

use crate::model::{escape_html, iso_date, week_start, ClassName};
use crate::service::HomeworkItem;

/// What a feed needs besides its entries.
pub struct FeedHead<'a> {
    pub school: &'a str,
    pub class: &'a ClassName,
    /// The site's root as the reader reached it (`http://cartable.local:8080`), or "" when not
    /// known (links are then relative to the feed).
    pub site: &'a str,
}

impl FeedHead<'_> {
    fn class_page(&self, day: Date) -> String {
        format!(
            "{}/classes/{}?semaine={}",
            self.site,
            self.class.slug(),
            iso_date(week_start(day))
        )
    }

    fn document(&self, id: &impl std::fmt::Display) -> String {
        format!("{}/documents/{id}", self.site)
    }

    fn title(&self) -> String {
        format!("Pour aujourd'hui — {}", self.class.full_name())
    }
}

/// An entry's stable id: its row, and when it was first written (a restored or rebuilt catalog
/// that reuses the row number does not pass for the same entry).
fn entry_key(item: &HomeworkItem) -> String {
    format!("{}-{}", item.entry.id, item.entry.created.unix_timestamp())
}

/// "Mathématiques : Lire le chapitre 3" (the instruction's first line, cut).
fn summary(item: &HomeworkItem) -> String {
    let first = item.entry.instruction.lines().next().unwrap_or("").trim();
    let first: String = if first.chars().count() > 80 {
        format!("{}…", first.chars().take(79).collect::<String>())
    } else {
        first.to_owned()
    };
    match &item.entry.subject {
        Some(subject) => format!("{subject} : {first}"),
        None => first,
    }
}

fn rfc3339(moment: OffsetDateTime) -> String {
    moment
        .to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// The Atom feed, entries by due date, the latest first.
pub fn atom(head: &FeedHead, items: &[HomeworkItem]) -> String {
    let updated = items
        .iter()
        .map(|item| item.entry.updated)
        .max()
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let slug = head.class.slug();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n\
<title>{title}</title>\n<subtitle>{subtitle}</subtitle>\n<id>urn:cartable:classe:{slug}</id>\n\
<updated>{updated}</updated>\n<author><name>{school}</name></author>\n<generator>cartable</generator>\n\
<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_link}\"/>\n\
<link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n",
        title = escape_html(&head.title()),
        subtitle = escape_html(&format!(
            "{} : ce que la classe a à faire et à lire",
            head.school
        )),
        updated = rfc3339(updated),
        school = escape_html(head.school),
        self_link = escape_html(&format!("{}/classes/{slug}/flux.atom", head.site)),
        page = escape_html(&format!("{}/classes/{slug}", head.site)),
    );
    let mut ordered: Vec<&HomeworkItem> = items.iter().collect();
    ordered.sort_by_key(|item| std::cmp::Reverse((item.entry.due, item.entry.id)));
    for item in ordered {
        let mut content = format!(
            "<p><strong>Pour le {}</strong></p><p>{}</p>",
            crate::service::french_day(item.entry.due),
            item.entry
                .instruction
                .lines()
                .map(escape_html)
                .collect::<Vec<_>>()
                .join("<br>")
        );
        let mut related = String::new();
        if !item.documents.is_empty() {
            content.push_str("<ul>");
            for document in &item.documents {
                let link = head.document(&document.id);
                content.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    escape_html(&link),
                    escape_html(&document.title)
                ));
                related.push_str(&format!(
                    "<link rel=\"related\" href=\"{}\" title=\"{}\"/>\n",
                    escape_html(&link),
                    escape_html(&document.title)
                ));
            }
            content.push_str("</ul>");
        }
        xml.push_str(&format!(
            "<entry>\n<id>urn:cartable:consigne:{key}</id>\n<title>{title}</title>\n\
<published>{published}</published>\n<updated>{updated}</updated>\n\
<link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n{related}\
<content type=\"html\">{content}</content>\n</entry>\n",
            key = entry_key(item),
            title = escape_html(&summary(item)),
            published = rfc3339(item.entry.created),
            updated = rfc3339(item.entry.updated),
            page = escape_html(&head.class_page(item.entry.due)),
            content = escape_html(&content),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// A TEXT value escaped as RFC 5545 §3.3.11 says: backslash, semicolon, comma, line breaks.
fn ical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line folded as RFC 5545 §3.1 says: at most 75 octets a line, never inside a
/// UTF-8 character, continued lines starting with a space; ended by CRLF.
fn fold_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn ical_date(day: Date) -> String {
    iso_date(day).replace('-', "")
}

fn ical_moment(moment: OffsetDateTime) -> String {
    let utc = moment.to_offset(time::UtcOffset::UTC);
    format!(
        "{}T{:02}{:02}{:02}Z",
        ical_date(utc.date()),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// The iCalendar file: one all-day event per entry, on the day it is due.
pub fn icalendar(head: &FeedHead, items: &[HomeworkItem]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//cartable//Cahier de texte//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", ical_text(&head.title())),
        format!("X-WR-CALDESC:{}", ical_text(head.school)),
    ];
    for item in items {
        let mut description = item.entry.instruction.clone();
        if !item.documents.is_empty() {
            description.push_str("\n\nDocuments :");
            for document in &item.documents {
                description.push_str(&format!(
                    "\n{} : {}",
                    document.title,
                    head.document(&document.id)
                ));
            }
        }
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:consigne-{}@cartable", entry_key(item)),
            format!("DTSTAMP:{}", ical_moment(item.entry.updated)),
            format!("CREATED:{}", ical_moment(item.entry.created)),
            format!("LAST-MODIFIED:{}", ical_moment(item.entry.updated)),
            format!("DTSTART;VALUE=DATE:{}", ical_date(item.entry.due)),
            format!(
                "DTEND;VALUE=DATE:{}",
                ical_date(item.entry.due + Duration::days(1))
            ),
            format!("SUMMARY:{}", ical_text(&summary(item))),
            format!("DESCRIPTION:{}", ical_text(&description)),
            "TRANSP:TRANSPARENT".to_owned(),
        ]);
        // An address only when it is one a calendar can open (absolute).
        if !head.site.is_empty() {
            lines.push(format!("URL:{}", head.class_page(item.entry.due)));
        }
        lines.push("END:VEVENT".to_owned());
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in lines {
        fold_line(&mut out, &line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(ical_text("a;b,c\\d\ne\r"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        fold_line(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }
}
