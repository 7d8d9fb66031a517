//! "Lire": every document read on a phone, over real HTTP. Markdown, text and HTML as their text
//! with headings, paragraphs and lists; Word and OpenDocument files as the PDF LibreOffice makes
//! (where it is installed; CI installs it) or else as text; staff-only documents not found by
//! families; hostile files answered in bounded time.

mod common;

use std::time::{Duration, Instant};

use common::server::{TestServer, TEACHER};
use common::upload::{upload, upload_one};

fn soffice_installed() -> bool {
    std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

const MARKDOWN: &str = "# Les fonctions affines\n\n## Définition\n\nUne fonction affine associe à chaque\nnombre x le nombre ax + b.\n\n## Exemples\n\n- f(x) = 2x + 1\n- g(x) = -x\n\nAttention à <script>alert(1)</script> et aux Anticonstitutionnellementdéfinitivementmots.\n\n### Exercice\n\nCalculer f(3).\n";

#[test]
fn a_markdown_document_is_read_with_its_headings_paragraphs_and_lists() {
    let server = TestServer::start();
    let id = upload(&server, &[("cours.md", MARKDOWN.as_bytes())], &[]).remove(0);
    let mut family = server.browser();

    let page = family.get(&format!("/documents/{id}")).text();
    assert!(
        page.contains(&format!("href=\"/documents/{id}/lire\"")) && page.contains(">Lire<"),
        "the document page offers Lire: {page}"
    );
    assert!(page.contains("Télécharger"), "{page}");

    let reading = family.get(&format!("/documents/{id}/lire"));
    assert_eq!(reading.status, 200);
    let text = reading.text();
    for expected in [
        "<html lang=\"fr\">",
        "name=\"viewport\"",
        "<h2>Définition</h2>",
        "<p>Une fonction affine associe à chaque nombre x le nombre ax + b.</p>",
        "<h2>Exemples</h2>",
        "<h3>Exercice</h3>",
        "<ul><li>f(x) = 2x + 1</li><li>g(x) = -x</li></ul>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "class=\"reading\"",
    ] {
        assert!(text.contains(expected), "{expected} missing in {text}");
    }
    assert!(!text.contains("<script"), "{text}");
    assert_eq!(
        text.matches("Les fonctions affines</h").count(),
        1,
        "the first heading is the title, shown once: {text}"
    );

    // Read once, then kept by content hash; nothing is kept once the document is deleted.
    let kept = server.dir.path().join("data").join("reading");
    let kept_files = || std::fs::read_dir(&kept).map_or(0, |d| d.count());
    assert_eq!(kept_files(), 1);
    assert_eq!(
        family.get(&format!("/documents/{id}/lire")).text(),
        text,
        "read again from what was kept"
    );
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let csrf = teacher.get(&format!("/documents/{id}")).csrf();
    let deleted = teacher.post_form(
        &format!("/staff/documents/{id}/delete"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(deleted.status, 303, "{}", deleted.text());
    assert_eq!(kept_files(), 0);
    assert_eq!(family.get(&format!("/documents/{id}/lire")).status, 404);
}

/// A DOCX with a "Titre 1" heading (French Word's style id), a paragraph and a numbered item.
fn word_with_heading() -> Vec<u8> {
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Titre1"/></w:pPr><w:r><w:t>La Révolution française</w:t></w:r></w:p><w:p><w:r><w:t>Les États généraux se réunissent en 1789.</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Titre2"/></w:pPr><w:r><w:t>Les causes</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>la prise de la Bastille</w:t></w:r></w:p>"#;
    common::docx_with_body(body)
}

#[test]
fn a_word_document_is_read_as_laid_out_by_libreoffice_or_else_as_text() {
    let server = TestServer::start();
    let id = upload(&server, &[("Révolution.docx", &word_with_heading())], &[]).remove(0);
    let mut family = server.browser();
    let page = family.get(&format!("/documents/{id}")).text();
    assert!(
        page.contains(&format!("href=\"/documents/{id}/lire\"")),
        "{page}"
    );

    // The text, with its structure, whether LibreOffice is there or not.
    let text = family.get(&format!("/documents/{id}/lire?texte")).text();
    for expected in [
        "<h2>La Révolution française</h2>",
        "<p>Les États généraux se réunissent en 1789.</p>",
        "<h3>Les causes</h3>",
        "<li>la prise de la Bastille</li>",
    ] {
        assert!(text.contains(expected), "{expected} missing in {text}");
    }

    let first = family.get(&format!("/documents/{id}/lire"));
    if !soffice_installed() {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice is needed in CI (apt-get install libreoffice-writer-nogui)"
        );
        eprintln!("soffice is not installed: only the text reading is tested here");
        assert_eq!(first.status, 200);
        assert!(first.text().contains("<h2>La Révolution française</h2>"));
        return;
    }
    // LibreOffice converts in the background: the page waits without script, and offers the
    // text meanwhile; the request itself never waits for LibreOffice.
    assert_eq!(first.status, 200, "{}", first.text());
    let waiting = first.text();
    assert!(
        waiting.contains("http-equiv=\"refresh\"")
            && waiting.contains(&format!("/documents/{id}/lire?texte")),
        "{waiting}"
    );
    let started = Instant::now();
    let ready = loop {
        let answer = family.get(&format!("/documents/{id}/lire"));
        if answer.status == 303 {
            break answer;
        }
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert!(
            started.elapsed() < Duration::from_secs(150),
            "LibreOffice never finished"
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let location = format!("/documents/{id}/pdf");
    assert_eq!(ready.header("location"), Some(location.as_str()));
    let pdf = family.get(&location);
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));
    let disposition = pdf.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("inline;") && disposition.contains(".pdf"),
        "{disposition}"
    );
    // Kept: the printable pack and every later reading use the same PDF.
    let converted = server.dir.path().join("data").join("converted");
    assert_eq!(std::fs::read_dir(&converted).unwrap().count(), 1);
    let etag = pdf.header("etag").unwrap().to_owned();
    let again = family.get_with(&location, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
}

#[test]
fn staff_only_documents_cannot_be_read_by_families() {
    let server = TestServer::start();
    let ids = upload(
        &server,
        &[
            ("notes.md", b"# Corrig\xc3\xa9\n\nLes r\xc3\xa9ponses.\n"),
            ("bareme.odt", &common::odt()),
        ],
        &[("visibility", "staff")],
    );
    let mut family = server.browser();
    for id in &ids {
        for path in ["lire", "lire?texte", "pdf"] {
            let answer = family.get(&format!("/documents/{id}/{path}"));
            assert_eq!(answer.status, 404, "{path}: {}", answer.text());
        }
    }
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let reading = teacher.get(&format!("/documents/{}/lire", ids[0]));
    assert_eq!(reading.status, 200);
    assert!(reading.text().contains("<p>Les réponses.</p>"));
    let reading = teacher.get(&format!("/documents/{}/lire?texte", ids[1]));
    assert!(reading.text().contains(common::ODT_PHRASE));
}

#[test]
fn pdfs_are_read_as_they_are_and_spreadsheets_are_downloaded() {
    let server = TestServer::start();
    let id = upload(&server, &[("cours.pdf", &common::pdf())], &[]).remove(0);
    let mut family = server.browser();
    let page = family.get(&format!("/documents/{id}")).text();
    assert!(
        page.contains(&format!("href=\"/documents/{id}/open\"")) && page.contains(">Lire<"),
        "{page}"
    );
    assert!(!page.contains(">Ouvrir<"), "one word for reading: {page}");
    let reading = family.get(&format!("/documents/{id}/lire"));
    assert_eq!(reading.status, 303);
    assert_eq!(
        reading.header("location"),
        Some(format!("/documents/{id}/open").as_str())
    );

    let sheet = common::zip_of(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet".to_owned(),
            false,
        ),
        ("content.xml", "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\"><office:body><office:spreadsheet><text:p>Notes du trimestre</text:p></office:spreadsheet></office:body></office:document-content>".to_owned(), true),
    ]);
    let id = upload(&server, &[("notes.ods", &sheet)], &[]).remove(0);
    let page = family.get(&format!("/documents/{id}")).text();
    assert!(
        page.contains("Tableur OpenDocument") && !page.contains(">Lire<"),
        "{page}"
    );
    let reading = family.get(&format!("/documents/{id}/lire"));
    assert_eq!(reading.status, 200);
    assert!(
        reading.text().contains("téléchargez-le"),
        "{}",
        reading.text()
    );
}

#[test]
fn hostile_files_are_read_in_bounded_time_and_bounded_size() {
    let server = TestServer::start();
    // Four MiB of Markdown: more than a reading holds.
    let long: String = "## Partie\n\nUn paragraphe assez long pour remplir la page. "
        .repeat(60_000)
        .chars()
        .take(4 * 1024 * 1024)
        .collect();
    // A Word file cut in half (its zip directory lost), and one whose 100 KB unzip to 16 MB.
    let docx = word_with_heading();
    let broken = &docx[..docx.len() / 2];
    let bomb = common::zip_of(&[(
        "word/document.xml",
        format!(
            "<w:document xmlns:w=\"w\"><w:body>{}</w:body></w:document>",
            "<w:p><w:r><w:t>bombe</w:t></w:r></w:p>".repeat(420_000)
        ),
        true,
    )]);
    // One request each: the client's 30 s limit is per request, and reading these three on a
    // loaded 2-core machine (debug build) can take longer than that together.
    let ids: Vec<String> = [
        ("long.md", long.as_bytes()),
        ("cassé.docx", broken),
        ("bombe.docx", &bomb),
    ]
    .into_iter()
    .map(|(name, bytes)| upload_one(&server, name, bytes, &[]))
    .collect();
    let mut family = server.browser();
    for (id, expected) in ids.iter().zip([
        "la suite est dans le fichier",
        "pas de texte à lire ici",
        "la suite est dans le fichier",
    ]) {
        let started = Instant::now();
        let answer = family.get(&format!("/documents/{id}/lire?texte"));
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "{expected}: {:?}",
            started.elapsed()
        );
        assert_eq!(answer.status, 200);
        assert!(
            answer.body.len() < 1024 * 1024,
            "{expected}: {} bytes",
            answer.body.len()
        );
        assert!(answer.text().contains(expected), "{expected}");
    }
    assert_eq!(family.get("/healthz").status, 200);
}
