//! The pack's first pages: a cover (school, selection, dates, page count, a QR code to the
//! documents online) and a table of contents with page numbers that are also links.

use crate::bundle::QrModules;

use super::font::Font;
use super::layout::{fit, wrap, Canvas, Style, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TEXT_WIDTH};

/// Contents entries per page: fixed, so the number of contents pages is known before any part
/// is laid out, and every part's page numbers can be printed as it is written.
pub const ENTRIES_PER_PAGE: usize = 20;
const ENTRY_HEIGHT: f32 = 34.0;

pub fn contents_pages(parts: usize) -> u32 {
    parts.div_ceil(ENTRIES_PER_PAGE).max(1) as u32
}

/// What the cover says.
pub struct CoverText<'a> {
    pub school: &'a str,
    pub selection: &'a str,
    pub prepared: &'a str,
    pub period: Option<&'a str>,
    pub documents: usize,
    pub pages: u32,
    pub link: Option<&'a str>,
}

/// A rectangle on the page that leads somewhere.
pub struct Link {
    pub rect: [f32; 4],
    pub target: Target,
}

pub enum Target {
    /// A part, by its index in the plan.
    Part(usize),
    Uri(String),
}

pub fn cover(font: &mut Font, text: &CoverText) -> (Canvas, Vec<Link>) {
    let mut page = Canvas::default();
    let mut links = Vec::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    let school = Style {
        size: 14.0,
        bold: false,
        grey: true,
    };
    for line in wrap(font, text.school, school, TEXT_WIDTH) {
        y -= school.leading();
        page.text(font, MARGIN, y, school, &line);
    }
    y -= 60.0;
    let big = Style {
        size: 28.0,
        bold: true,
        grey: false,
    };
    for line in wrap(font, text.selection, big, TEXT_WIDTH) {
        y -= big.leading();
        page.text(font, MARGIN, y, big, &line);
    }
    y -= 16.0;
    page.rule(MARGIN, y, TEXT_WIDTH);
    y -= 12.0;
    let line_style = Style {
        size: 14.0,
        bold: false,
        grey: false,
    };
    let mut lines = vec![format!("Préparé le {}", text.prepared)];
    lines.extend(text.period.map(str::to_owned));
    lines.push(format!(
        "{} · {}",
        plural(text.documents, "document", "documents"),
        plural(text.pages as usize, "page", "pages")
    ));
    for line in lines {
        y -= line_style.leading();
        page.text(font, MARGIN, y, line_style, &line);
    }
    if let Some(link) = text.link {
        if let Some(modules) = QrModules::of(link) {
            let size = 150.0_f32;
            let (left, bottom) = (MARGIN, MARGIN + 60.0);
            page.qr(&modules, left, bottom, size);
            let text_x = left + size + 20.0;
            let mut text_y = bottom + size - 14.0;
            for line in wrap(
                font,
                "Ces documents sont aussi sur le point ressources du lycée. Avec un téléphone \
                 connecté au Wi-Fi de l'établissement, scannez ce code ou tapez :",
                Style::BODY,
                TEXT_WIDTH - size - 20.0,
            ) {
                page.text(font, text_x, text_y, Style::BODY, &line);
                text_y -= Style::BODY.leading();
            }
            text_y -= 4.0;
            for line in wrap(font, link, Style::HEADING, TEXT_WIDTH - size - 20.0) {
                page.text(font, text_x, text_y, Style::HEADING, &line);
                links.push(Link {
                    rect: [text_x, text_y - 4.0, PAGE_WIDTH - MARGIN, text_y + 14.0],
                    target: Target::Uri(link.to_owned()),
                });
                text_y -= Style::HEADING.leading();
            }
        }
    }
    (page, links)
}

/// An entry of the contents: a part's title, details and first page.
pub struct Entry<'a> {
    pub title: &'a str,
    pub details: &'a str,
    pub page: u32,
}

/// The contents pages; the first is numbered `first_number`.
pub fn contents(font: &mut Font, entries: &[Entry], first_number: u32) -> Vec<(Canvas, Vec<Link>)> {
    let mut pages = Vec::new();
    let chunks: Vec<&[Entry]> = if entries.is_empty() {
        vec![&[]]
    } else {
        entries.chunks(ENTRIES_PER_PAGE).collect()
    };
    for (page_index, chunk) in chunks.into_iter().enumerate() {
        let mut page = Canvas::default();
        let mut links = Vec::new();
        let mut y = PAGE_HEIGHT - MARGIN;
        y -= Style::TITLE.leading();
        let heading = if page_index == 0 {
            "Sommaire"
        } else {
            "Sommaire (suite)"
        };
        page.text(font, MARGIN, y, Style::TITLE, heading);
        y -= 12.0;
        for (offset, entry) in chunk.iter().enumerate() {
            let part = page_index * ENTRIES_PER_PAGE + offset;
            let top = y;
            y -= Style::BODY.leading();
            let number = entry.page.to_string();
            let number_width = font.width(&number, Style::BODY.size);
            let title = fit(
                font,
                entry.title,
                Style::BODY,
                TEXT_WIDTH - number_width - 40.0,
            );
            let title_width = font.width(&title, Style::BODY.size);
            page.text(font, MARGIN, y, Style::BODY, &title);
            // A dotted leader from the title to its page number.
            let dot = font.width(" .", Style::BODY.size);
            let room = TEXT_WIDTH - title_width - number_width - 8.0;
            if room > dot {
                let dots = " .".repeat((room / dot) as usize);
                let x =
                    PAGE_WIDTH - MARGIN - number_width - 4.0 - font.width(&dots, Style::BODY.size);
                page.text(font, x, y, Style::SMALL, &dots);
            }
            page.text(
                font,
                PAGE_WIDTH - MARGIN - number_width,
                y,
                Style::BODY,
                &number,
            );
            y -= Style::SMALL.leading();
            let details = fit(font, entry.details, Style::SMALL, TEXT_WIDTH);
            page.text(font, MARGIN, y, Style::SMALL, &details);
            y = top - ENTRY_HEIGHT;
            links.push(Link {
                rect: [MARGIN, y + 4.0, PAGE_WIDTH - MARGIN, top],
                target: Target::Part(part),
            });
        }
        let number = first_number + page_index as u32;
        page.footer(font, "Sommaire", number);
        pages.push((page, links));
    }
    pages
}

/// "1 document", "3 documents".
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_take_one_page_per_twenty_entries() {
        assert_eq!(contents_pages(0), 1);
        assert_eq!(contents_pages(1), 1);
        assert_eq!(contents_pages(20), 1);
        assert_eq!(contents_pages(21), 2);
        let mut font = Font::new();
        let entries: Vec<Entry> = (0..45)
            .map(|i| Entry {
                title: "Fiche",
                details: "Maths",
                page: 4 + i,
            })
            .collect();
        let pages = contents(&mut font, &entries, 2);
        assert_eq!(pages.len() as u32, contents_pages(45));
        let links: usize = pages.iter().map(|(_, links)| links.len()).sum();
        assert_eq!(links, 45);
    }
}
