//! The cahier de texte for scripts and subscribing tools, through the real server: the JSON API
//! (token to write, owner or admin to change), and the Atom and iCalendar feeds of a class read
//! by real parsers (atom_syndication, ical). Families' views never hold a staff-only document.

mod common;

use common::homework::{api, api_with, iso, today, week_with_a_staff_document, write_entry};
use common::run::cartable;
use common::server::{TestServer, ADMIN, OTHER_TEACHER, TEACHER};

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

    // Another teacher may not change it; an admin may.
    let data = server.dir.path().join("data");
    let token_of = |login: &str| {
        let run = cartable(&data, &["user", "token", login]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout.trim().to_owned()
    };
    let other = token_of(OTHER_TEACHER.0);
    let path = format!("/api/homework/{id}");
    let answer = api_with(
        &server,
        "PUT",
        &path,
        Some(&entry.to_string()),
        Some(&other),
    );
    assert_eq!(answer.status, 403, "{}", answer.text());
    assert_eq!(answer.json()["code"], "forbidden");
    assert_eq!(
        api_with(&server, "DELETE", &path, None, Some(&other)).status,
        403
    );
    let admin = token_of(ADMIN.0);
    let answer = api_with(
        &server,
        "PUT",
        &path,
        Some(&changed.to_string()),
        Some(&admin),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["owner"], TEACHER.0);

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
