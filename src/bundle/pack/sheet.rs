//! A class's week on paper ("Pour aujourd'hui"): one or two A4 pages in large type to hand out
//! at the desk or pin up at the entrance. Entries by day then subject, each instruction, and each
//! document's title beside a QR code to its page on the school's site. A week too long for two
//! pages ends with "… voir le site" and the class page's address and code: never a third page.
//! Only text cartable wrote goes in, so this runs in the server, not in the pack's child.

use crate::bundle::QrModules;

use super::font::Font;
use super::front::{Link, Target};
use super::layout::{wrap, Canvas, Style, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TEXT_WIDTH};
use super::plan::{Sheet, SheetDocument};

/// Pages a sheet takes at most.
pub const MAX_SHEET_PAGES: usize = 2;

const SCHOOL: Style = Style {
    size: 14.0,
    bold: false,
    grey: true,
};
const CLASS: Style = Style {
    size: 28.0,
    bold: true,
    grey: false,
};
const WEEK: Style = Style {
    size: 17.0,
    bold: false,
    grey: false,
};
const DAY: Style = Style {
    size: 19.0,
    bold: true,
    grey: false,
};
const SUBJECT: Style = Style {
    size: 15.0,
    bold: true,
    grey: false,
};
const TEXT: Style = Style {
    size: 14.0,
    bold: false,
    grey: false,
};
const ADDRESS: Style = Style {
    size: 10.0,
    bold: false,
    grey: true,
};
/// The class page's address, to be typed: black, on one line in most schools.
const CLASS_ADDRESS: Style = Style {
    size: 11.0,
    bold: false,
    grey: false,
};
/// A document's QR code: about 2.2 cm, which a phone reads from arm's length.
const DOCUMENT_QR: f32 = 62.0;
const CLASS_QR: f32 = 84.0;
/// Room kept at the bottom of the last page for "… voir le site" and the class page's code.
const MORE_HEIGHT: f32 = CLASS_QR + 24.0;
/// White kept above and below a code: a phone finds a code by the blank around it (about
/// four modules).
const QUIET: f32 = 9.0;
/// Documents are indented under their entry.
const INDENT: f32 = 14.0;

/// One thing set on the page, in reading order.
enum Unit<'a> {
    Day(&'a str),
    Subject(&'a str),
    Line(String),
    Document(&'a SheetDocument),
    Gap(f32),
    Nothing,
}

impl Unit<'_> {
    fn height(&self) -> f32 {
        match self {
            Unit::Day(_) => DAY.leading() + 8.0,
            Unit::Subject(_) => SUBJECT.leading() + 2.0,
            Unit::Line(_) => TEXT.leading(),
            Unit::Document(document) if document.link.is_some() => DOCUMENT_QR + 2.0 * QUIET,
            Unit::Document(_) => TEXT.leading() + 4.0,
            Unit::Gap(height) => *height,
            Unit::Nothing => TEXT.leading() * 2.0,
        }
    }

    /// Headings stay with what follows them.
    fn keeps_with_next(&self) -> bool {
        matches!(self, Unit::Day(_) | Unit::Subject(_))
    }
}

fn units<'a>(font: &Font, sheet: &'a Sheet) -> Vec<Unit<'a>> {
    let mut units = Vec::new();
    if sheet.days.iter().all(|day| day.entries.is_empty()) {
        units.push(Unit::Nothing);
    }
    for day in sheet.days.iter().filter(|day| !day.entries.is_empty()) {
        units.push(Unit::Day(&day.heading));
        for entry in &day.entries {
            units.push(Unit::Subject(&entry.heading));
            for paragraph in entry.instruction.lines() {
                let lines = wrap(font, paragraph, TEXT, TEXT_WIDTH);
                if lines.is_empty() {
                    units.push(Unit::Gap(TEXT.leading() / 2.0));
                }
                units.extend(lines.into_iter().map(Unit::Line));
            }
            units.extend(entry.documents.iter().map(Unit::Document));
            units.push(Unit::Gap(10.0));
        }
    }
    units
}

/// The sheet's pages (one or two), each with its links. Numbered from `first_number` in their
/// footers, so a pack that starts with the sheet numbers on from there.
pub fn sheet_pages(font: &mut Font, sheet: &Sheet, first_number: u32) -> Vec<(Canvas, Vec<Link>)> {
    let units = units(font, sheet);
    let mut pages: Vec<(Canvas, Vec<Link>)> = Vec::new();
    let mut page = Canvas::default();
    let mut links = Vec::new();
    let mut y = header(font, &mut page, sheet);
    let mut index = 0;
    let mut stopped = false;
    while index < units.len() {
        let last_page = pages.len() + 1 == MAX_SHEET_PAGES;
        // The last page keeps room for "… voir le site" in case the week does not fit.
        let bottom = if last_page {
            MARGIN + MORE_HEIGHT
        } else {
            MARGIN
        };
        let mut needed = units[index].height();
        if units[index].keeps_with_next() {
            needed += units[index + 1..]
                .iter()
                .take_while(|u| u.keeps_with_next())
                .map(Unit::height)
                .sum::<f32>()
                + units[index + 1..]
                    .iter()
                    .find(|u| !u.keeps_with_next())
                    .map_or(0.0, Unit::height);
        }
        if y - needed < bottom {
            if last_page {
                stopped = true;
                break;
            }
            pages.push((std::mem::take(&mut page), std::mem::take(&mut links)));
            y = PAGE_HEIGHT - MARGIN;
            continue;
        }
        y = draw(font, &mut page, &mut links, &units[index], y);
        index += 1;
    }
    match (&sheet.link, stopped) {
        (Some(link), stopped) => more(font, &mut page, &mut links, link, stopped, y),
        (None, true) => {
            page.text(
                font,
                MARGIN,
                MARGIN + MORE_HEIGHT - TEXT.leading(),
                SUBJECT,
                "… voir le site du point ressources pour la suite.",
            );
        }
        (None, false) => {}
    }
    pages.push((page, links));
    let total = pages.len();
    let title = format!("{} — {}", sheet.class, sheet.week);
    for (number, (page, _)) in pages.iter_mut().enumerate() {
        let label = if total > 1 {
            format!("{title} ({}/{total})", number + 1)
        } else {
            title.clone()
        };
        page.footer(font, &label, first_number + number as u32);
    }
    pages
}

/// School, class and week at the top of the first page; returns where the text starts.
fn header(font: &mut Font, page: &mut Canvas, sheet: &Sheet) -> f32 {
    let mut y = PAGE_HEIGHT - MARGIN;
    for line in wrap(font, &sheet.school, SCHOOL, TEXT_WIDTH) {
        y -= SCHOOL.leading();
        page.text(font, MARGIN, y, SCHOOL, &line);
    }
    y -= 6.0;
    for line in wrap(
        font,
        &format!("Pour aujourd'hui — {}", sheet.class),
        CLASS,
        TEXT_WIDTH,
    ) {
        y -= CLASS.leading();
        page.text(font, MARGIN, y, CLASS, &line);
    }
    y -= WEEK.leading();
    page.text(font, MARGIN, y, WEEK, &sheet.week);
    y -= 10.0;
    page.rule(MARGIN, y, TEXT_WIDTH);
    y - 4.0
}

fn draw(font: &mut Font, page: &mut Canvas, links: &mut Vec<Link>, unit: &Unit, y: f32) -> f32 {
    let next = y - unit.height();
    match unit {
        Unit::Day(heading) => {
            page.text(font, MARGIN, y - DAY.leading(), DAY, heading);
            page.rule(MARGIN, y - DAY.leading() - 6.0, TEXT_WIDTH);
        }
        Unit::Subject(heading) => {
            let heading = super::layout::fit(font, heading, SUBJECT, TEXT_WIDTH);
            page.text(font, MARGIN, y - SUBJECT.leading(), SUBJECT, &heading);
        }
        Unit::Line(line) => page.text(font, MARGIN, y - TEXT.leading(), TEXT, line),
        Unit::Document(document) => {
            let left = MARGIN + INDENT;
            match document
                .link
                .as_deref()
                .and_then(|l| Some((l, QrModules::of(l)?)))
            {
                Some((link, modules)) => {
                    let bottom = y - QUIET - DOCUMENT_QR;
                    page.qr(&modules, left, bottom, DOCUMENT_QR);
                    let text_x = left + DOCUMENT_QR + 14.0;
                    let width = PAGE_WIDTH - MARGIN - text_x;
                    let mut line_y = y - QUIET - SUBJECT.size;
                    for line in wrap(font, &document.title, SUBJECT, width)
                        .into_iter()
                        .take(2)
                    {
                        page.text(font, text_x, line_y, SUBJECT, &line);
                        line_y -= SUBJECT.leading();
                    }
                    let address = super::layout::fit(font, link, ADDRESS, width);
                    page.text(font, text_x, line_y - 2.0, ADDRESS, &address);
                    links.push(Link {
                        rect: [left, bottom, PAGE_WIDTH - MARGIN, y - QUIET],
                        target: Target::Uri(link.to_owned()),
                    });
                }
                None => {
                    let title = super::layout::fit(
                        font,
                        &format!("• {}", document.title),
                        SUBJECT,
                        TEXT_WIDTH - INDENT,
                    );
                    page.text(font, left, y - TEXT.leading(), SUBJECT, &title);
                }
            }
        }
        Unit::Gap(_) => {}
        Unit::Nothing => {
            page.text(
                font,
                MARGIN,
                y - TEXT.leading() * 1.5,
                TEXT,
                "Rien n'est noté pour cette semaine.",
            );
        }
    }
    next
}

/// The class page's address and code: after the last entry, or at the bottom of the last page
/// when the week did not fit ("… voir le site").
fn more(
    font: &mut Font,
    page: &mut Canvas,
    links: &mut Vec<Link>,
    link: &str,
    stopped: bool,
    y: f32,
) {
    let Some(modules) = QrModules::of(link) else {
        return;
    };
    // After the entries; a first page full to its bottom goes without (no page for it alone:
    // the desk prints these by the hundred).
    let top = if stopped {
        MARGIN + MORE_HEIGHT
    } else if y - 8.0 - MORE_HEIGHT >= MARGIN {
        y - 8.0
    } else {
        return;
    };
    page.rule(MARGIN, top - 4.0, TEXT_WIDTH);
    let bottom = top - 14.0 - CLASS_QR;
    page.qr(&modules, MARGIN, bottom, CLASS_QR);
    let text_x = MARGIN + CLASS_QR + 16.0;
    let width = PAGE_WIDTH - MARGIN - text_x;
    let mut line_y = top - 14.0 - SUBJECT.size;
    let said = if stopped {
        "… voir le site : la suite de la semaine et les semaines passées."
    } else {
        "Cette page et les semaines passées sur le site :"
    };
    for line in wrap(font, said, SUBJECT, width) {
        page.text(font, text_x, line_y, SUBJECT, &line);
        line_y -= SUBJECT.leading();
    }
    for line in wrap(font, link, CLASS_ADDRESS, width) {
        page.text(font, text_x, line_y, CLASS_ADDRESS, &line);
        line_y -= CLASS_ADDRESS.leading();
    }
    links.push(Link {
        rect: [MARGIN, bottom, PAGE_WIDTH - MARGIN, top - 4.0],
        target: Target::Uri(link.to_owned()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::pack::{SheetDay, SheetEntry};

    fn week(entries: usize, documents: usize) -> Sheet {
        let entry = |n: usize| SheetEntry {
            heading: format!("Mathématiques {n}"),
            instruction: "Lire le chapitre 3.\nFaire les exercices 12 à 15 page 48.".to_owned(),
            documents: (0..documents)
                .map(|d| SheetDocument {
                    title: format!("Fiche {n}.{d}"),
                    link: Some(format!("http://cartable.local/documents/doc{n}x{d}")),
                })
                .collect(),
        };
        Sheet {
            school: "Lycée Jean Moulin".to_owned(),
            class: "Seconde B".to_owned(),
            week: "Semaine du 30 novembre au 6 décembre 2026".to_owned(),
            days: vec![SheetDay {
                heading: "Pour le lundi 30 novembre".to_owned(),
                entries: (0..entries).map(entry).collect(),
            }],
            link: Some("http://cartable.local/classes/2nde-b".to_owned()),
        }
    }

    fn text_of(page: Canvas, font: &mut Font, wanted: &str) -> bool {
        String::from_utf8(page.into_bytes())
            .unwrap()
            .contains(font.encode(wanted).trim_matches(['<', '>']))
    }

    #[test]
    fn a_short_week_takes_one_page_with_the_class_page_code() {
        let mut font = Font::new();
        let pages = sheet_pages(&mut font, &week(2, 1), 1);
        assert_eq!(pages.len(), 1);
        // Two documents and the class page lead somewhere.
        assert_eq!(pages[0].1.len(), 3);
        let (page, _) = pages.into_iter().next().unwrap();
        assert!(text_of(page, &mut font, "Fiche 1.0"));
    }

    #[test]
    fn a_long_week_stops_at_two_pages_and_says_where_the_rest_is() {
        let mut font = Font::new();
        let pages = sheet_pages(&mut font, &week(40, 2), 1);
        assert_eq!(pages.len(), MAX_SHEET_PAGES);
        let (last, links) = pages.into_iter().last().unwrap();
        assert!(links.iter().any(|l| matches!(
            &l.target,
            Target::Uri(uri) if uri.ends_with("/classes/2nde-b")
        )));
        assert!(text_of(last, &mut font, "… voir le site"));
    }

    #[test]
    fn an_empty_week_says_so() {
        let mut font = Font::new();
        let pages = sheet_pages(&mut font, &week(0, 0), 1);
        assert_eq!(pages.len(), 1);
        let (page, _) = pages.into_iter().next().unwrap();
        assert!(text_of(
            page,
            &mut font,
            "Rien n'est noté pour cette semaine."
        ));
    }
}
