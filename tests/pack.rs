//! The printable pack (`cartable export --format pdf`), made by the real binary and its confined
//! child, then checked with tools that are not ours: qpdf for the structure, pdftotext for each
//! part's text at the page the contents give, pdftoppm for pictures actually drawn.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cartable::bundle::pack::{Content, Part, Plan};
use cartable::model::{Level, Metadata, Subject, Visibility};
use common::TestLibrary;

fn tool(name: &str) -> Command {
    if Command::new(name).arg("-v").output().is_err() {
        panic!("{name} is needed to check printable packs (apt-get install qpdf poppler-utils)");
    }
    Command::new(name)
}

/// The text of one page, or of every page for page 0.
fn page_text(pdf: &Path, page: u32, layout: bool) -> String {
    let mut command = tool("pdftotext");
    if layout {
        command.arg("-layout");
    }
    if page > 0 {
        command.args(["-f", &page.to_string(), "-l", &page.to_string()]);
    }
    let output = command.arg(pdf).arg("-").output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn page_count(pdf: &Path) -> u32 {
    let output = tool("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

/// The contents as (title, page) pairs, read from page 2 of the pack.
fn contents(pdf: &Path) -> Vec<(String, u32)> {
    page_text(pdf, 2, true)
        .lines()
        .filter_map(|line| {
            let (title, number) = line.trim().rsplit_once(' ')?;
            let number: u32 = number.parse().ok()?;
            let title = title.trim_end_matches([' ', '.']).trim();
            // Each entry's second line gives subject · level · date, which is not a title.
            let is_title =
                !title.is_empty() && !title.starts_with("Sommaire") && !title.contains(" · ");
            is_title.then(|| (title.to_owned(), number))
        })
        .collect()
}

/// A page rendered at 20 dpi: its first sample per pixel (grey), width and height.
fn render(pdf: &Path, page: u32) -> (Vec<u8>, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let status = tool("pdftoppm")
        .args(["-r", "20", "-gray", "-png", "-singlefile"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let file = std::fs::File::open(prefix.with_extension("png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    // pdftoppm may write grey as RGB: the first sample of each pixel is enough.
    let samples = frame.color_type.samples();
    let (width, height) = (frame.width as usize, frame.height as usize);
    let grey = (0..width * height)
        .map(|i| pixels[(i / width) * frame.line_size + (i % width) * samples])
        .collect();
    (grey, width, height)
}

/// Share of dark pixels in a rendered page.
fn darkness(pdf: &Path, page: u32) -> f64 {
    let (pixels, _, _) = render(pdf, page);
    pixels.iter().filter(|&&p| p < 128).count() as f64 / pixels.len() as f64
}

/// The dark photo (portrait, 100 x 167) as a phone held sideways saves it: EXIF orientation 6
/// asks viewers to turn it a quarter clockwise, which makes it landscape.
fn sideways_photo() -> Vec<u8> {
    let photo = std::fs::read("tests/fixtures/dark-photo.jpg").unwrap();
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    exif.extend([
        0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0, 0, 0, 0, 0,
    ]);
    let mut jpeg = photo[..2].to_vec();
    jpeg.extend([0xFF, 0xE1]);
    jpeg.extend(((exif.len() + 2) as u16).to_be_bytes());
    jpeg.extend(exif);
    jpeg.extend(&photo[2..]);
    jpeg
}

/// Width and height of the dark area of a rendered page (below its title), in pixels.
fn dark_extent(pdf: &Path, page: u32) -> (usize, usize) {
    let (pixels, width, height) = render(pdf, page);
    let (mut columns, mut rows) = (Vec::new(), Vec::new());
    // Skip the title at the top (about 15% of the page) and the footer at the bottom.
    for row in height * 15 / 100..height * 92 / 100 {
        for column in 0..width {
            if pixels[row * width + column] < 128 {
                columns.push(column);
                rows.push(row);
            }
        }
    }
    let span = |v: &[usize]| v.iter().max().unwrap_or(&0) - v.iter().min().unwrap_or(&0);
    (span(&columns), span(&rows))
}

/// A 200 x 100 PNG with transparency: an opaque black band on a transparent background.
fn png_with_band() -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, 200, 100);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let mut pixels = vec![0u8; 200 * 100 * 4];
        for (index, pixel) in pixels.chunks_exact_mut(4).enumerate() {
            if (30..70).contains(&(index / 200)) {
                pixel.copy_from_slice(&[0, 0, 0, 255]);
            }
        }
        writer.write_image_data(&pixels).unwrap();
    }
    bytes
}

fn export_pdf(library: &TestLibrary, filters: &[&str]) -> (std::process::Output, Option<PathBuf>) {
    let out = library.scratch().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut args = vec!["export", "--format", "pdf", "--to", out.to_str().unwrap()];
    args.extend(filters);
    let output = common::run_cartable(&library.data_dir(), &args);
    let written = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let path = (!written.is_empty()).then(|| PathBuf::from(written));
    (output, path)
}

fn in_class(title: &str) -> Metadata {
    Metadata {
        title: Some(title.to_owned()),
        levels: vec![Level::parse("1re").unwrap()],
        subject: Subject::parse("Histoire-Géographie"),
        ..Metadata::default()
    }
}

#[test]
fn the_pack_is_a_valid_pdf_with_cover_contents_and_every_document_at_its_page() {
    let library = TestLibrary::new();
    let truncated = common::pdf();
    let parts: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("Cours PDF", common::pdf(), "cours.pdf", common::PDF_PHRASE),
        (
            "Trois pages",
            common::pdf_with_inherited_pages(&[
                "Premier chapitre",
                "Deuxième chapitre",
                "Troisième chapitre",
            ]),
            "trois.pdf",
            "Premier chapitre",
        ),
        (
            "Devoir Word",
            common::docx(),
            "devoir.docx",
            common::DOCX_PHRASE,
        ),
        (
            "Exercice OpenDocument",
            common::odt(),
            "exercice.odt",
            common::ODT_PHRASE,
        ),
        (
            "Page web",
            common::html_cp1252(),
            "page.html",
            common::HTML_PHRASE,
        ),
        (
            "Consignes",
            common::txt_cp1252(),
            "consignes.txt",
            common::TXT_PHRASE,
        ),
        (
            "Notes Markdown",
            "# Révisions du brevet\n\n- **Chronologie** des guerres mondiales\n"
                .as_bytes()
                .to_vec(),
            "notes.md",
            "Chronologie des guerres mondiales",
        ),
        (
            "Photo du tableau",
            std::fs::read("tests/fixtures/dark-photo.jpg").unwrap(),
            "tableau.jpg",
            "Photo du tableau",
        ),
        ("Schéma", png_with_band(), "schema.png", "Schéma"),
        (
            "Photo de côté",
            sideways_photo(),
            "de-cote.jpg",
            "Photo de côté",
        ),
        (
            "Fichier abîmé",
            truncated[..truncated.len() / 2].to_vec(),
            "abime.pdf",
            "n'a pas pu être mis dans la version imprimable",
        ),
    ];
    for (title, bytes, name, _) in &parts {
        library.add_with(bytes, name, &in_class(title));
    }
    library.add_with(
        &common::pdf_with_lines(&["Corrigé réservé aux professeurs"]),
        "corrige.pdf",
        &Metadata {
            visibility: Some(Visibility::Staff),
            ..in_class("Corrigé")
        },
    );

    let (output, pdf) = export_pdf(&library, &["--level", "1re"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = pdf.expect("the export prints the file it wrote");
    assert!(pdf.extension().is_some_and(|e| e == "pdf"));
    let check = tool("qpdf").arg("--check").arg(&pdf).output().unwrap();
    assert!(
        check.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Cover + one contents page + every part: one page each but the three-page PDF.
    assert_eq!(page_count(&pdf), 1 + 1 + parts.len() as u32 + 2);
    let cover = page_text(&pdf, 1, false);
    assert!(cover.contains("Lycée"), "{cover}");
    assert!(cover.contains("1re"), "{cover}");
    assert!(
        cover.contains(&format!("{} documents", parts.len())),
        "{cover}"
    );
    assert!(
        cover.contains(&format!("{} pages", page_count(&pdf))),
        "{cover}"
    );

    let contents = contents(&pdf);
    assert_eq!(contents.len(), parts.len(), "{contents:?}");
    for (title, _, _, phrase) in &parts {
        let (_, page) = contents
            .iter()
            .find(|(listed, _)| listed == title)
            .unwrap_or_else(|| panic!("{title} missing from the contents {contents:?}"));
        let text = page_text(&pdf, *page, false);
        assert!(
            text.contains(phrase),
            "page {page} should show {title}: {text}"
        );
    }
    // The three pages of the merged PDF follow each other.
    let (_, first) = contents.iter().find(|(t, _)| t == "Trois pages").unwrap();
    let third = page_text(&pdf, first + 2, false);
    assert!(third.contains("Troisième chapitre"), "{third}");
    assert!(page_text(&pdf, *first, false).contains("Premier chapitre"));
    // Merged pages carry the pack's page number too, so the contents can be followed on paper,
    // turned pages included; and they stay turned as the tree they came from said.
    assert!(third.contains(&format!("page {}", first + 2)), "{third}");
    let info = tool("pdfinfo")
        .args(["-f", &first.to_string(), "-l", &first.to_string()])
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let turned = format!("Page {first:>4} rot:");
    assert!(
        info.lines()
            .any(|l| l.starts_with(&turned) && l.trim_end().ends_with(" 90")),
        "{info}"
    );
    // The pictures are drawn, not just announced.
    for title in ["Photo du tableau", "Schéma", "Photo de côté"] {
        let (_, page) = contents.iter().find(|(t, _)| t == title).unwrap();
        let dark = darkness(&pdf, *page);
        assert!(dark > 0.05, "{title} looks blank ({dark})");
    }
    // The portrait photo stays portrait; the one taken sideways is turned upright (landscape).
    let extent = |title: &str| {
        let (_, page) = contents.iter().find(|(t, _)| t == title).unwrap();
        dark_extent(&pdf, *page)
    };
    let (width, height) = extent("Photo du tableau");
    assert!(height > width, "portrait photo drawn {width} x {height}");
    let (width, height) = extent("Photo de côté");
    assert!(width > height, "sideways photo drawn {width} x {height}");
    let everything = page_text(&pdf, 0, false);
    assert!(!everything.contains("réservé aux professeurs"));
}

#[test]
fn a_selection_without_public_documents_gets_a_french_error_and_no_file() {
    let library = TestLibrary::new();
    library.add_with(&common::pdf(), "cours.pdf", &in_class("Cours"));
    let (output, _) = export_pdf(&library, &["--level", "Tle"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("aucun document public"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(library.scratch().join("out"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "nothing is left behind: {left:?}");
}

/// A one-page PDF carrying an image stream of `bytes` random bytes (incompressible, as scans
/// are), and the line "Gros fichier".
fn heavy_pdf(bytes: usize) -> Vec<u8> {
    let mut data = vec![0u8; bytes];
    getrandom::fill(&mut data).unwrap();
    common::pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> \
          /XObject << /Im1 6 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        common::stream_object("", b"BT /F1 14 Tf 72 720 Td (Gros fichier) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        common::stream_object(
            "/Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceGray \
             /BitsPerComponent 8 ",
            &data,
        ),
    ])
}

fn plan_of(parts: &[&Path]) -> Plan {
    Plan {
        school: "Lycée".to_owned(),
        selection: "Essai".to_owned(),
        prepared: "28 novembre 2026".to_owned(),
        period: None,
        link: None,
        parts: parts
            .iter()
            .enumerate()
            .map(|(i, path)| Part {
                title: format!("Document {i}"),
                details: String::new(),
                source: path.to_path_buf(),
                content: Content::Pdf,
                location: String::new(),
            })
            .collect(),
        sheet: None,
    }
}

/// Runs the `cartable pack` child as the service does, with `memory` bytes of address space.
fn run_pack_child(plan: &Plan, memory: u64, out: &Path) -> std::process::Output {
    let mut child = Command::new(common::binary())
        .args([
            "pack",
            "--memory-bytes",
            &memory.to_string(),
            "--cpu-seconds",
            "120",
            "--out",
        ])
        .arg(out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(plan).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = std::io::Write::write_all(&mut stdin, &input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

/// The pack is written as it goes: eight 20 MB documents (160 MB) go through a child allowed
/// 128 MB of address space, which a pack built in memory could not fit in.
#[test]
fn a_pack_bigger_than_its_memory_limit_is_still_built() {
    let dir = tempfile::tempdir().unwrap();
    let heavy = dir.path().join("lourd.pdf");
    std::fs::write(&heavy, heavy_pdf(20 * 1024 * 1024)).unwrap();
    let parts: Vec<&Path> = std::iter::repeat_n(heavy.as_path(), 8).collect();
    let out = dir.path().join("pack.pdf");
    let output = run_pack_child(&plan_of(&parts), 128 * 1024 * 1024, &out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(std::fs::metadata(&out).unwrap().len() > 8 * 20 * 1024 * 1024);
    assert_eq!(page_count(&out), 1 + 1 + 8);
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(summary.lines().any(|l| l == "parts done"), "{summary}");
}

/// A document too big for the child's memory kills it while it reads that document, and the
/// child's last word names it: that is how the service knows which one to leave out.
#[test]
fn a_child_killed_by_a_document_names_it_last() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("petit.pdf");
    std::fs::write(&small, common::pdf()).unwrap();
    let heavy = dir.path().join("enorme.pdf");
    std::fs::write(&heavy, heavy_pdf(120 * 1024 * 1024)).unwrap();
    let out = dir.path().join("pack.pdf");
    let plan = plan_of(&[small.as_path(), heavy.as_path(), small.as_path()]);
    let output = run_pack_child(&plan, 128 * 1024 * 1024, &out);
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().last(), Some("part 1"), "{stdout}");
}
