//! The cahier de texte on paper and in copies, through the real server: entries written with the
//! JSON API, the week's printable sheet read back with pdftotext and pdfinfo, the pack that starts
//! with it, and a class's copy (folder and zip) showing the week at the top of its index.html. A
//! staff-only document attached to an entry never shows in any of them.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::homework::{iso, today, week_with_a_staff_document, write_entry};
use common::run::cartable;
use common::server::TestServer;
use common::upload::{pack_with_a_staff_document, upload_one};

/// The address phones reach the school at, as the sheet's codes must give it.
const SITE_HOST: &str = "cartable.local:8080";

/// Fetches `path`, which must be a PDF, into a file of `dir`; asked as a phone on the school's
/// network does (by the machine's name), so the codes lead there.
fn pdf_at(server: &TestServer, path: &str, dir: &Path, name: &str) -> PathBuf {
    let answer = server.browser().get_with(path, &[("Host", SITE_HOST)]);
    assert_eq!(answer.status, 200, "{path}: {}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/pdf"));
    assert!(answer.body.starts_with(b"%PDF-"), "{path}");
    let file = dir.join(name);
    std::fs::write(&file, &answer.body).unwrap();
    if let Some(keep) = std::env::var_os("KEEP_PDF") {
        std::fs::write(Path::new(&keep).join(name), &answer.body).unwrap();
    }
    file
}

/// The text of pages `first..=last` (every page for 0), as pdftotext reads it.
fn pdf_text(pdf: &Path, first: u32, last: u32) -> String {
    let mut command = Command::new("pdftotext");
    if first > 0 {
        command.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let output = command.arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn page_count(pdf: &Path) -> u32 {
    let output = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

#[test]
fn the_week_sheet_lists_the_entries_and_public_documents_on_one_page() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let due = time::macros::date!(2026 - 12 - 02);
    week_with_a_staff_document(&server, due);
    let sheet = pdf_at(
        &server,
        "/classes/2nde-b/feuille.pdf?semaine=2026-12-03",
        dir.path(),
        "feuille.pdf",
    );
    assert_eq!(page_count(&sheet), 1);
    let text = pdf_text(&sheet, 0, 0);
    for wanted in [
        "Lycée Jean Moulin",
        "Seconde B",
        "Semaine du 30 novembre au 6 décembre 2026",
        "Pour le mercredi 2 décembre",
        "Sciences de la vie et de la Terre",
        "Lire le cours sur la photosynthèse",
        "Apporter une blouse.",
        "Photosynthèse, cours",
        "La Révolution française",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in {text}");
    }
    assert!(!text.contains("Corrigé du professeur"), "{text}");
    // Each public document's address is printed under its title (and is its QR code).
    assert!(
        text.contains("http://cartable.local:8080/documents/"),
        "{text}"
    );
    // Another class's sheet, and an empty week, say there is nothing.
    let other = pdf_at(
        &server,
        "/classes/1re-b/feuille.pdf?semaine=2026-12-03",
        dir.path(),
        "autre.pdf",
    );
    assert!(pdf_text(&other, 0, 0).contains("Rien n'est noté pour cette semaine."));
    assert_eq!(
        server.browser().get("/classes/maths/feuille.pdf").status,
        404
    );
    assert_eq!(
        server
            .browser()
            .get("/classes/2nde-b/feuille.pdf?semaine=demain")
            .status,
        400
    );
}

#[test]
fn a_long_week_sheet_stops_at_two_pages_and_sends_to_the_site() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let document = upload_one(
        &server,
        "fiche.pdf",
        &common::pdf(),
        &[("title", "Fiche d'exercices")],
    );
    for n in 0..24 {
        write_entry(
            &server,
            serde_json::json!({
                "classes": ["2nde B"],
                "due": "2026-12-03",
                "subject": "Français",
                "instruction": format!("Consigne numéro {n} : lire le texte, relever les figures de style.\nRédiger un paragraphe argumenté."),
                "documents": [document],
            }),
        );
    }
    let sheet = pdf_at(
        &server,
        "/classes/2nde-b/feuille.pdf?semaine=2026-12-03",
        dir.path(),
        "longue.pdf",
    );
    assert_eq!(page_count(&sheet), 2);
    let text = pdf_text(&sheet, 0, 0);
    assert!(text.contains("Consigne numéro 0 :"), "{text}");
    assert!(!text.contains("Consigne numéro 23 :"), "{text}");
    assert!(text.contains("voir le site"), "{text}");
    assert!(
        text.contains("http://cartable.local:8080/classes/2nde-b?semaine=2026-11-30"),
        "{text}"
    );
}

#[test]
fn the_week_pack_starts_with_the_sheet_then_the_public_documents() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    week_with_a_staff_document(&server, time::macros::date!(2026 - 12 - 02));
    let pack = pdf_at(
        &server,
        "/classes/2nde-b/paquet.pdf?semaine=2026-12-02",
        dir.path(),
        "paquet.pdf",
    );
    let first = pdf_text(&pack, 1, 1);
    assert!(first.contains("Pour aujourd'hui — Seconde B"), "{first}");
    assert!(
        first.contains("Semaine du 30 novembre au 6 décembre 2026"),
        "{first}"
    );
    let all = pdf_text(&pack, 0, 0);
    assert!(all.contains(common::PDF_PHRASE), "{all}");
    assert!(all.contains(common::DOCX_PHRASE), "{all}");
    assert!(
        !all.contains(common::ODT_PHRASE) && !all.contains("Corrigé du professeur"),
        "{all}"
    );
    // Sheet, contents, the PDF's page, the Word document's page.
    assert_eq!(page_count(&pack), 4);
}

#[test]
fn a_class_copy_shows_the_week_at_the_top_of_its_index() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    // Without a level, these are not in the copy of the 2nde level; the new one is.
    let ids = pack_with_a_staff_document(&server);
    let level_document = upload_one(
        &server,
        "fonctions.pdf",
        &common::pdf_with_lines(&["Fonctions affines et droites"]),
        &[("title", "Fonctions affines"), ("level", "2nde")],
    );
    write_entry(
        &server,
        serde_json::json!({
            "classes": ["2nde B"],
            "due": iso(today()),
            "subject": "Mathématiques",
            "instruction": "Revoir les fonctions affines.",
            "documents": [level_document, ids[0], ids[2]],
        }),
    );
    let data = server.dir.path().join("data");
    let to = dir.path().join("clé");
    std::fs::create_dir_all(&to).unwrap();
    for format in ["folder", "zip"] {
        let run = cartable(
            &data,
            &[
                "export",
                "--to",
                to.to_str().unwrap(),
                "--level",
                "2nde",
                "--format",
                format,
            ],
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        let written = PathBuf::from(run.stdout.trim());
        let index = if format == "zip" {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&written).unwrap()).unwrap();
            let mut index = String::new();
            zip.by_name("index.html")
                .unwrap()
                .read_to_string(&mut index)
                .unwrap();
            index
        } else {
            std::fs::read_to_string(written.join("index.html")).unwrap()
        };
        let week = index
            .split("<section id=\"semaine\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{format}: {index}"));
        let week = week.split("</section>").next().unwrap();
        assert!(
            week.contains("Revoir les fonctions affines."),
            "{format}: {week}"
        );
        assert!(week.contains("Mathématiques · 2nde B"), "{format}: {week}");
        // The copied document links to its file; one not in the copy is named; staff-only: absent.
        assert!(
            week.contains("href=\"2nde/") && week.contains(">Fonctions affines</a>"),
            "{format}: {week}"
        );
        assert!(week.contains("Photosynthèse, cours"), "{format}: {week}");
        assert!(!week.contains("Corrigé du professeur"), "{format}: {week}");
        let top = index.find("<section id=\"semaine\">").unwrap();
        assert!(
            top < index.find("<ul id=\"docs\">").unwrap(),
            "{format}: the week comes first"
        );
    }
}
