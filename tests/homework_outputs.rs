//! The cahier de texte leaving the site, through the real server: entries written with the JSON
//! API, the week's printable sheet read back with pdftotext and pdfinfo, the pack that starts
//! with it, a class's copy (folder and zip) showing the week, and the Atom and iCalendar feeds
//! read by real parsers (atom_syndication, ical). A staff-only document attached to an entry
//! never shows in any of them.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::run::cartable;
use common::server::{Answer, TestServer};
use common::upload::{pack_with_a_staff_document, upload_one};
use time::OffsetDateTime;

/// A JSON request to the API, as a script sends it; with the teacher's token when `token`.
fn api(server: &TestServer, method: &str, path: &str, body: Option<&str>, token: bool) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let url = server.url(path);
    let authorization = format!("Bearer {}", server.teacher_token);
    let response = match (method, body) {
        ("GET", _) => {
            let mut request = agent.get(&url);
            if token {
                request = request.header("Authorization", &authorization);
            }
            request.call()
        }
        ("DELETE", _) => {
            let mut request = agent.delete(&url);
            if token {
                request = request.header("Authorization", &authorization);
            }
            request.call()
        }
        (method, body) => {
            let mut request = if method == "PUT" {
                agent.put(&url)
            } else {
                agent.post(&url)
            };
            request = request.header("Content-Type", "application/json");
            if token {
                request = request.header("Authorization", &authorization);
            }
            request.send(body.unwrap_or("").as_bytes())
        }
    };
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    let mut headers = std::collections::BTreeMap::new();
    for (name, value) in response.headers() {
        headers
            .entry(name.as_str().to_owned())
            .or_insert_with(Vec::new)
            .push(value.to_str().unwrap_or("").to_owned());
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    Answer {
        status,
        headers,
        body,
    }
}

/// Writes an entry with the teacher's token; returns its id.
fn write_entry(server: &TestServer, entry: serde_json::Value) -> i64 {
    let answer = api(
        server,
        "POST",
        "/api/homework",
        Some(&entry.to_string()),
        true,
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
    answer.json()["id"].as_i64().expect("an id")
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

fn iso(day: time::Date) -> String {
    cartable::model::iso_date(day)
}

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

/// Two public documents and a staff-only one, all attached to one entry for 2nde B due on
/// `due`; returns the documents' ids and the entry's.
fn week_with_a_staff_document(server: &TestServer, due: time::Date) -> ([String; 3], i64) {
    let ids = pack_with_a_staff_document(server);
    let entry = write_entry(
        server,
        serde_json::json!({
            "classes": ["2nde B"],
            "due": iso(due),
            "subject": "Sciences de la vie et de la Terre",
            "instruction": "Lire le cours sur la photosynthèse, puis faire l'exercice 3 ; rendre le schéma.\nApporter une blouse.",
            "documents": ids,
        }),
    );
    (ids, entry)
}

#[test]
fn the_api_writes_reads_changes_and_deletes_entries_with_a_token() {
    let server = TestServer::start();
    let entry = serde_json::json!({
        "classes": ["2nde B", "2nde C"],
        "due": "2026-12-02",
        "subject": "Mathématiques",
        "instruction": "Exercices 12 à 15 page 48.",
    });
    let refused = api(
        &server,
        "POST",
        "/api/homework",
        Some(&entry.to_string()),
        false,
    );
    assert_eq!(refused.status, 401, "{}", refused.text());
    assert_eq!(refused.json()["code"], "unauthorized");
    let id = write_entry(&server, entry.clone());

    let week = api(
        &server,
        "GET",
        "/api/homework?classe=2nde-b&semaine=2026-12-04",
        None,
        false,
    );
    assert_eq!(week.status, 200, "{}", week.text());
    let week = week.json();
    assert_eq!(week["week"], "2026-11-30");
    assert_eq!(week["class"], "2nde B");
    assert_eq!(week["entries"][0]["id"], id);
    assert_eq!(
        week["entries"][0]["instruction"],
        "Exercices 12 à 15 page 48."
    );
    // Another group, another week: not there.
    for query in [
        "classe=2nde-a&semaine=2026-12-04",
        "classe=2nde-b&semaine=2026-12-07",
    ] {
        let other = api(
            &server,
            "GET",
            &format!("/api/homework?{query}"),
            None,
            false,
        )
        .json();
        assert_eq!(other["entries"].as_array().unwrap().len(), 0, "{query}");
    }

    let mut changed = entry.clone();
    changed["instruction"] = "Exercices 16 et 17.".into();
    let answer = api(
        &server,
        "PUT",
        &format!("/api/homework/{id}"),
        Some(&changed.to_string()),
        true,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["instruction"], "Exercices 16 et 17.");

    let mut bad = entry.clone();
    bad["classes"] = serde_json::json!(["Mathématiques"]);
    let answer = api(
        &server,
        "POST",
        "/api/homework",
        Some(&bad.to_string()),
        true,
    );
    assert_eq!(
        (answer.status, answer.json()["code"].clone()),
        (400, "invalid_input".into())
    );
    let answer = api(
        &server,
        "POST",
        "/api/homework",
        Some("{\"classes\": "),
        true,
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    let mut missing = entry.clone();
    missing["documents"] = serde_json::json!(["abcdefgh"]);
    let answer = api(
        &server,
        "POST",
        "/api/homework",
        Some(&missing.to_string()),
        true,
    );
    assert_eq!(answer.status, 400, "{}", answer.text());

    assert_eq!(
        api(
            &server,
            "DELETE",
            &format!("/api/homework/{id}"),
            None,
            false
        )
        .status,
        401
    );
    assert_eq!(
        api(
            &server,
            "DELETE",
            &format!("/api/homework/{id}"),
            None,
            true
        )
        .status,
        204
    );
    assert_eq!(
        api(
            &server,
            "DELETE",
            &format!("/api/homework/{id}"),
            None,
            true
        )
        .status,
        404
    );
    let week = api(
        &server,
        "GET",
        "/api/homework?classe=2nde-b&semaine=2026-12-04",
        None,
        false,
    );
    assert_eq!(week.json()["entries"].as_array().unwrap().len(), 0);
}

#[test]
fn the_api_shows_staff_only_documents_to_staff_only() {
    let server = TestServer::start();
    let ([_, _, staff_only], _) = week_with_a_staff_document(&server, today());
    let query = format!("/api/homework?classe=2nde-b&semaine={}", iso(today()));
    let family = api(&server, "GET", &query, None, false).json();
    let staff = api(&server, "GET", &query, None, true).json();
    let ids = |week: &serde_json::Value| -> Vec<String> {
        week["entries"][0]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&family).len(), 2);
    assert!(!ids(&family).contains(&staff_only));
    assert!(ids(&staff).contains(&staff_only));
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
            top < index.find("<li data-words").unwrap(),
            "{format}: the week comes first"
        );
    }
}

#[test]
fn the_atom_feed_parses_and_keeps_entry_ids_across_edits() {
    let server = TestServer::start();
    let ([public, _, staff_only], entry) = week_with_a_staff_document(&server, today());
    let read = || {
        let answer = server.browser().get("/classes/2nde-b/flux.atom");
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            Some("application/atom+xml; charset=utf-8")
        );
        (
            atom_syndication::Feed::read_from(&answer.body[..]).expect("a valid Atom feed"),
            answer.text(),
        )
    };
    let (feed, raw) = read();
    assert!(feed.title().as_str().contains("Seconde B"));
    assert_eq!(feed.entries().len(), 1);
    let first = feed.entries()[0].clone();
    assert!(
        first
            .title()
            .as_str()
            .starts_with("Sciences de la vie et de la Terre : Lire le cours"),
        "{:?}",
        first.title()
    );
    let content = first.content().and_then(|c| c.value()).unwrap_or_default();
    assert!(
        content.contains("Apporter une blouse.") && content.contains("Photosynthèse, cours"),
        "{content}"
    );
    assert!(first
        .links()
        .iter()
        .any(|l| l.href().ends_with(&format!("/documents/{public}"))));
    assert!(
        !raw.contains(&staff_only) && !raw.contains("Corrigé du professeur"),
        "{raw}"
    );

    // Changed, the entry keeps its id.
    let changed = serde_json::json!({
        "classes": ["2nde B"], "due": iso(today()), "subject": "Sciences de la vie et de la Terre",
        "instruction": "Lire le cours, version corrigée.", "documents": [public],
    });
    let answer = api(
        &server,
        "PUT",
        &format!("/api/homework/{entry}"),
        Some(&changed.to_string()),
        true,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let (again, _) = read();
    assert_eq!(again.entries().len(), 1);
    assert_eq!(again.entries()[0].id(), first.id());
    assert!(again.entries()[0].updated() >= first.updated());
    let content = again.entries()[0]
        .content()
        .and_then(|c| c.value())
        .unwrap_or_default();
    assert!(content.contains("version corrigée"), "{content}");
    // Another group's feed does not have it; an unknown class is not found.
    assert_eq!(read_count(&server, "/classes/2nde-c/flux.atom"), 0);
    assert_eq!(server.browser().get("/classes/xyz/flux.atom").status, 404);
}

fn read_count(server: &TestServer, path: &str) -> usize {
    let answer = server.browser().get(path);
    atom_syndication::Feed::read_from(&answer.body[..])
        .unwrap()
        .entries()
        .len()
}

#[test]
fn the_icalendar_file_parses_with_one_all_day_event_per_entry() {
    let server = TestServer::start();
    let ([_, _, staff_only], entry) = week_with_a_staff_document(&server, today());
    let long = format!(
        "Préparer l'exposé ; chacun, à son tour, présente. {}",
        "Très long texte. ".repeat(12)
    );
    write_entry(
        &server,
        serde_json::json!({
            "classes": ["2nde"], "due": iso(today() + time::Duration::days(7)),
            "subject": "Français", "instruction": long,
        }),
    );
    let answer = server.browser().get("/classes/2nde-b/devoirs.ics");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let raw = answer.text();
    for line in raw.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(
        !raw.contains(&staff_only) && !raw.contains("Corrigé du professeur"),
        "{raw}"
    );
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(&answer.body[..]));
    let calendar = calendars
        .next()
        .expect("a calendar")
        .expect("a valid calendar");
    assert_eq!(calendar.events.len(), 2);
    let value = |event: &ical::parser::ical::component::IcalEvent, name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("{name} in {event:?}"))
    };
    let due = iso(today()).replace('-', "");
    let first = calendar
        .events
        .iter()
        .find(|e| value(e, "DTSTART") == due)
        .expect("the event of today's entry");
    assert!(value(first, "UID").starts_with(&format!("consigne-{entry}-")));
    let start = first
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .unwrap();
    assert!(
        format!("{:?}", start.params).contains("DATE"),
        "{:?}",
        start.params
    );
    assert!(value(first, "DESCRIPTION").contains("Photosynthèse\\, cours"));
    let second = calendar
        .events
        .iter()
        .find(|e| value(e, "DTSTART") != due)
        .unwrap();
    // Unfolded by the parser, the long instruction is whole again, its escapes kept.
    assert!(value(second, "SUMMARY")
        .starts_with("Français : Préparer l'exposé \\; chacun\\, à son tour"));
    assert!(value(second, "DESCRIPTION").ends_with("Très long texte."));
    // The same file twice: UIDs do not change.
    let again = server.browser().get("/classes/2nde-b/devoirs.ics").text();
    let uids = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(uids(&raw), uids(&again));
}
