//! Pages cartable draws itself: A4, 2 cm margins, text set line by line in the embedded font.
//! Documents that are text (TXT, Markdown, HTML, Word, OpenDocument) become such pages.

use super::font::Font;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 56.7;
pub const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Where the footer's baseline sits, below the bottom margin.
const FOOTER_Y: f32 = 28.0;
/// Grey for secondary text: 0.35 on white paper is well above AA contrast.
pub const GREY: f32 = 0.35;

/// One page's drawing, as content-stream operators.
#[derive(Default)]
pub struct Canvas {
    ops: String,
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub grey: bool,
}

impl Style {
    pub const BODY: Style = Style {
        size: 11.0,
        bold: false,
        grey: false,
    };
    pub const SMALL: Style = Style {
        size: 9.0,
        bold: false,
        grey: true,
    };
    pub const HEADING: Style = Style {
        size: 13.0,
        bold: true,
        grey: false,
    };
    pub const TITLE: Style = Style {
        size: 18.0,
        bold: true,
        grey: false,
    };

    pub fn leading(self) -> f32 {
        self.size * 1.4
    }
}

impl Canvas {
    /// Text with its baseline starting at (x, y). Bold is drawn by stroking the outline as well
    /// as filling it, so one embedded font serves both weights.
    pub fn text(&mut self, font: &mut Font, x: f32, y: f32, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let grey = if style.grey { GREY } else { 0.0 };
        let (mode, line) = if style.bold {
            (2, style.size / 30.0)
        } else {
            (0, 0.0)
        };
        self.ops.push_str(&format!(
            "BT {grey} g {grey} G {mode} Tr {line:.2} w /F1 {:.1} Tf 1 0 0 1 {x:.2} {y:.2} Tm {} Tj ET\n",
            style.size,
            font.encode(text)
        ));
    }

    /// A filled rectangle, `grey` from 0 (black) to 1 (white).
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, grey: f32) {
        self.ops.push_str(&format!(
            "{grey} g {x:.2} {y:.2} {width:.2} {height:.2} re f\n"
        ));
    }

    /// A QR code `size` points wide with its lower left corner at (left, bottom), dark modules
    /// in black (the quiet zone around it is the caller's to leave blank).
    pub fn qr(&mut self, modules: &crate::bundle::QrModules, left: f32, bottom: f32, size: f32) {
        let cell = size / modules.width as f32;
        for (index, dark) in modules.dark.iter().enumerate() {
            if *dark {
                let (row, column) = (index / modules.width, index % modules.width);
                let x = left + column as f32 * cell;
                let y = bottom + size - (row as f32 + 1.0) * cell;
                // A hair wider than the cell, so neighbouring modules leave no white seams.
                self.rect(x, y, cell + 0.05, cell + 0.05, 0.0);
            }
        }
    }

    /// A horizontal rule.
    pub fn rule(&mut self, x: f32, y: f32, width: f32) {
        self.rect(x, y, width, 0.6, GREY);
    }

    /// Raw operators (an image placement).
    pub fn raw(&mut self, ops: &str) {
        self.ops.push_str(ops);
    }

    /// The running footer: the document's title on the left, the pack's page number on the right.
    pub fn footer(&mut self, font: &mut Font, title: &str, number: u32) {
        let label = format!("page {number}");
        let label_width = font.width(&label, Style::SMALL.size);
        let title = fit(font, title, Style::SMALL, TEXT_WIDTH - label_width - 20.0);
        self.text(font, MARGIN, FOOTER_Y, Style::SMALL, &title);
        self.text(
            font,
            PAGE_WIDTH - MARGIN - label_width,
            FOOTER_Y,
            Style::SMALL,
            &label,
        );
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.ops.into_bytes()
    }
}

/// The pack's page number in the bottom right corner of a page cartable did not draw (a merged
/// PDF), as the page is seen: `visible` is its box (`[left, bottom, right, top]`) and `rotation`
/// how far it is turned clockwise for display. Drawn in the font the page knows as
/// `/CartableF1`, low in the margin where documents rarely print, but above the edge printers
/// cannot reach.
pub fn page_number(font: &mut Font, number: u32, visible: [f32; 4], rotation: u16) -> String {
    let label = format!("page {number}");
    let size = Style::SMALL.size;
    let width = font.width(&label, size);
    let [left, bottom, right, top] = visible;
    // The text's direction and its start, in the page's own (unturned) coordinates: the corner
    // that is seen bottom right is a different corner of the unturned page.
    let (matrix, x, y) = match rotation {
        90 => ("0 1 -1 0", right - 16.0, top - 28.0 - width),
        180 => ("-1 0 0 -1", left + 28.0 + width, top - 16.0),
        270 => ("0 -1 1 0", left + 16.0, bottom + 28.0 + width),
        _ => ("1 0 0 1", right - 28.0 - width, bottom + 16.0),
    };
    format!(
        "q BT {GREY} g 0 Tr /CartableF1 {size:.1} Tf {matrix} {x:.2} {y:.2} Tm {} Tj ET Q\n",
        font.encode(&label)
    )
}

/// `text` cut to fit `width`, with an ellipsis when cut.
pub fn fit(font: &Font, text: &str, style: Style, width: f32) -> String {
    if font.width(text, style.size) <= width {
        return text.to_owned();
    }
    let mut cut: String = String::new();
    for c in text.chars() {
        cut.push(c);
        if font.width(&cut, style.size) + font.width("…", style.size) > width {
            cut.pop();
            break;
        }
    }
    format!("{}…", cut.trim_end())
}

/// Breaks a paragraph into lines no wider than `width`; a word longer than a line is cut.
pub fn wrap(font: &Font, paragraph: &str, style: Style, width: f32) -> Vec<String> {
    let space = font.width(" ", style.size);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in paragraph.split_whitespace() {
        let word_width = font.width(word, style.size);
        if word_width > width {
            // A word longer than a line (a URL, a formula) is cut where lines end; its tail
            // starts the next line.
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_width = 0.0;
            for c in word.chars() {
                let c_width = font.width(c.encode_utf8(&mut [0; 4]), style.size);
                if line_width + c_width > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += c_width;
            }
            continue;
        }
        if !line.is_empty() && line_width + space + word_width > width {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            line_width += space;
        }
        line.push_str(word);
        line_width += word_width;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A block of a text document: a heading, a paragraph, or a gap between paragraphs.
#[derive(Debug, PartialEq)]
enum Block {
    Heading(String),
    Paragraph(String),
    Gap,
}

fn blocks(text: &str, markdown: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if blocks.last().is_some_and(|b| *b != Block::Gap) {
                blocks.push(Block::Gap);
            }
            continue;
        }
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if !markdown {
            blocks.push(Block::Paragraph(line));
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        let plain = line.replace("**", "").replace("__", "").replace('`', "");
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            blocks.push(Block::Heading(plain[hashes..].trim().to_owned()));
        } else if let Some(item) = plain
            .strip_prefix("- ")
            .or_else(|| plain.strip_prefix("* "))
        {
            blocks.push(Block::Paragraph(format!("• {item}")));
        } else {
            blocks.push(Block::Paragraph(plain));
        }
    }
    blocks
}

/// Sets a text document on as many pages as it needs: its title and details on top of the first
/// page, then its text. Pages are numbered from `first_number` in their footers.
pub fn text_pages(
    font: &mut Font,
    title: &str,
    details: &str,
    text: &str,
    markdown: bool,
    first_number: u32,
) -> Vec<Canvas> {
    let mut pages = Vec::new();
    let mut page = Canvas::default();
    let top = PAGE_HEIGHT - MARGIN;
    let mut y = top;
    for line in wrap(font, title, Style::TITLE, TEXT_WIDTH) {
        y -= Style::TITLE.leading();
        page.text(font, MARGIN, y, Style::TITLE, &line);
    }
    if !details.is_empty() {
        y -= Style::SMALL.leading();
        page.text(font, MARGIN, y, Style::SMALL, details);
    }
    y -= 10.0;
    page.rule(MARGIN, y, TEXT_WIDTH);
    y -= 6.0;
    for block in blocks(text, markdown) {
        let (style, lines) = match block {
            Block::Gap => {
                y -= Style::BODY.leading() / 2.0;
                continue;
            }
            Block::Heading(heading) => {
                y -= Style::BODY.leading() / 2.0;
                (
                    Style::HEADING,
                    wrap(font, &heading, Style::HEADING, TEXT_WIDTH),
                )
            }
            Block::Paragraph(paragraph) => {
                (Style::BODY, wrap(font, &paragraph, Style::BODY, TEXT_WIDTH))
            }
        };
        for line in lines {
            if y - style.leading() < MARGIN {
                let number = first_number + pages.len() as u32;
                page.footer(font, title, number);
                pages.push(std::mem::take(&mut page));
                y = top;
            }
            y -= style.leading();
            page.text(font, MARGIN, y, style, &line);
        }
    }
    let number = first_number + pages.len() as u32;
    page.footer(font, title, number);
    pages.push(page);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let font = Font::new();
        let paragraph = "Les élèves de seconde rendront leur devoir de mathématiques \
                         avant les vacances, sur copie double, en soignant la rédaction. "
            .repeat(5);
        let lines = wrap(&font, &paragraph, Style::BODY, 200.0);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(font.width(line, Style::BODY.size) <= 200.0, "{line}");
        }
        assert_eq!(
            lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            paragraph.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut_not_lost() {
        let font = Font::new();
        let url = "https://www.education.gouv.fr/".repeat(6);
        let lines = wrap(&font, &format!("voir {url} merci"), Style::BODY, 150.0);
        assert!(lines
            .iter()
            .all(|l| font.width(l, Style::BODY.size) <= 150.0));
        assert_eq!(lines.concat().replace(' ', ""), format!("voir{url}merci"));
    }

    #[test]
    fn long_text_flows_onto_numbered_pages() {
        let mut font = Font::new();
        let text = "Une ligne de texte assez ordinaire pour remplir la page.\n".repeat(200);
        let pages = text_pages(&mut font, "Fiche", "Français", &text, false, 7);
        // About 45 lines fit on a page.
        assert!((4..=6).contains(&pages.len()), "{} pages", pages.len());
        let last_number = 7 + pages.len() - 1;
        let last = String::from_utf8(pages.into_iter().last().unwrap().into_bytes()).unwrap();
        assert!(last.contains(&font.encode(&format!("page {last_number}"))));
    }

    #[test]
    fn markdown_headings_and_lists_lose_their_marks() {
        let found = blocks("# Titre\n\n- **un** point\ntexte `code`", true);
        assert_eq!(
            found,
            vec![
                Block::Heading("Titre".into()),
                Block::Gap,
                Block::Paragraph("• un point".into()),
                Block::Paragraph("texte code".into()),
            ]
        );
    }

    #[test]
    fn fitted_text_is_cut_with_an_ellipsis() {
        let font = Font::new();
        let long = "Un titre de document vraiment beaucoup trop long pour tenir";
        let cut = fit(&font, long, Style::BODY, 100.0);
        assert!(cut.ends_with('…'));
        assert!(font.width(&cut, Style::BODY.size) <= 100.0);
        assert_eq!(fit(&font, "Court", Style::BODY, 100.0), "Court");
    }
}
