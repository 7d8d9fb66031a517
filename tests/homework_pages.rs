//! The cahier de texte through the real server: a teacher writes an entry with the staff form
//! (documents attached from the library, found with the form's own search, and one uploaded on
//! the spot), families read it on their class's page, by week, from the home page and the kiosk,
//! and find it by a word of its instruction; only its writer or an admin changes it.

mod common;

use common::server::{Answer, Browser, Part, TestServer, ADMIN, OTHER_TEACHER, TEACHER};
use common::upload::upload_one;
use time::{Duration, OffsetDateTime};

const INSTRUCTION: &str = "Lire la fiche sur la méiose et répondre aux questions\nVidéo : https://example.org/svt/meiose.";

/// The entry form posted as a browser sends it: `fields`, then the chosen files.
fn post_entry(
    teacher: &mut Browser,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Answer {
    let mut parts: Vec<Part<'_>> = fields.iter().map(|(n, v)| Part::Field(n, v)).collect();
    parts.extend(
        files
            .iter()
            .map(|(name, content)| Part::File("file", name, content)),
    );
    teacher.post_multipart(path, &parts, &[])
}

/// The ids of `/staff/cahier/N` links on a page.
fn entry_ids(page: &str) -> Vec<String> {
    page.split("href=\"/staff/cahier/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

fn monday(day: time::Date) -> time::Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

#[test]
fn a_teacher_writes_an_entry_that_families_read_under_its_day_without_staff_documents() {
    let server = TestServer::start();
    let public = upload_one(
        &server,
        "photo.pdf",
        &common::pdf(),
        &[("title", "Photosynthèse, cours"), ("subject", "SVT")],
    );
    let staff_only = upload_one(
        &server,
        "corrige.odt",
        &common::odt(),
        &[("title", "Corrigé du professeur"), ("visibility", "staff")],
    );
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let list = teacher.get("/staff/cahier");
    assert_eq!(list.status, 200);
    assert!(
        list.text().contains("href=\"/staff/cahier/nouvelle\""),
        "{}",
        list.text()
    );
    let form = teacher.get("/staff/cahier/nouvelle");
    assert_eq!(form.status, 200);
    let csrf = form.csrf();
    let due = today().to_string();

    // The form's search, typed without accents, offers the library's document as a checkbox.
    let searched = post_entry(
        &mut teacher,
        "/staff/cahier/nouvelle",
        &[
            ("csrf", &csrf),
            ("autres_classes", "2nde B"),
            ("instruction", INSTRUCTION),
            ("cherche", "photosynthese"),
            ("action", "chercher"),
        ],
        &[],
    );
    assert_eq!(searched.status, 200, "{}", searched.text());
    let page = searched.text();
    assert!(
        page.contains(&format!("name=\"document\" value=\"{public}\"")),
        "{page}"
    );
    assert!(page.contains("méiose"), "what was typed is kept: {page}");

    // Not a class: said in French, nothing saved.
    let wrong = post_entry(
        &mut teacher,
        "/staff/cahier/nouvelle",
        &[
            ("csrf", &csrf),
            ("autres_classes", "2nde B, maths"),
            ("due", &due),
            ("instruction", INSTRUCTION),
            ("action", "enregistrer"),
        ],
        &[],
    );
    assert_eq!(wrong.status, 400);
    assert!(wrong.text().contains("« maths »"), "{}", wrong.text());

    let fiche = b"Fiche de revision : la meiose en quatre etapes.\n".to_vec();
    let saved = post_entry(
        &mut teacher,
        "/staff/cahier/nouvelle",
        &[
            ("csrf", &csrf),
            ("autres_classes", "2nde B"),
            ("due", &due),
            ("subject", "SVT"),
            ("instruction", INSTRUCTION),
            ("document", &public),
            ("document", &staff_only),
            ("action", "enregistrer"),
        ],
        &[("fiche-meiose.txt", &fiche)],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        saved.header("location"),
        Some("/staff/cahier?fait=enregistre")
    );
    let mine = teacher.get("/staff/cahier?fait=enregistre").text();
    assert!(
        mine.contains("Consigne enregistrée") && mine.contains("Lire la fiche"),
        "{mine}"
    );
    let ids = entry_ids(&mine);
    assert_eq!(ids.len(), 1, "{mine}");
    let entry = &ids[0];

    // Families: today first, the instruction with its link, the public and uploaded documents.
    let mut family = server.browser();
    let class = family.get("/classes/2nde-b");
    assert_eq!(class.status, 200);
    let page = class.text();
    let today_at = page.find("class=\"day today\"").expect("today's section");
    let entry_at = page.find("Lire la fiche sur la méiose").expect("the entry");
    assert!(today_at < entry_at, "{page}");
    assert!(
        page.contains("<a href=\"https://example.org/svt/meiose\" rel=\"noopener noreferrer\">"),
        "the address is a link, without its final full stop: {page}"
    );
    assert!(
        page.contains(&format!("href=\"/documents/{public}\"")),
        "{page}"
    );
    assert!(
        page.contains(&format!("href=\"/documents/{public}/open\"")),
        "{page}"
    );
    assert!(
        !page.contains(&staff_only),
        "a staff-only document stays hidden: {page}"
    );
    assert_eq!(
        page.matches("/open\"").count(),
        2,
        "public and uploaded: {page}"
    );
    for output in [
        "/classes/2nde-b/feuille.pdf?semaine=",
        "/classes/2nde-b/paquet.pdf?semaine=",
        "/classes/2nde-b/flux.atom",
        "/classes/2nde-b/devoirs.ics",
    ] {
        assert!(page.contains(output), "{output}: {page}");
    }
    assert!(
        page.contains("href=\"/classes/2nde\""),
        "a class links to its level: {page}"
    );
    let staff_view = teacher.get("/classes/2nde-b").text();
    assert!(
        staff_view.contains(&format!("href=\"/documents/{staff_only}\"")),
        "{staff_view}"
    );
    // The file uploaded in the form is a document of the library, filed under the class.
    let uploaded = family.get("/api/search?q=etapes").json();
    assert_eq!(uploaded["total"], 1, "{uploaded}");
    assert_eq!(uploaded["hits"][0]["levels"][0], "2nde", "{uploaded}");

    // A level's page lists its groups' entries, labelled with their class.
    let level = family.get("/classes/2nde").text();
    assert!(
        level.contains("Lire la fiche") && level.contains("<span class=\"classes\">2nde B</span>"),
        "{level}"
    );
    assert!(level.contains("href=\"/classes/2nde-b\""), "{level}");
    assert!(!family.get("/classes/1re").text().contains("Lire la fiche"));

    // Someone else's entry: 403 for another teacher, an admin may change it.
    let mut other = server.browser();
    other.log_in(OTHER_TEACHER);
    assert_eq!(other.get(&format!("/staff/cahier/{entry}")).status, 403);
    let other_csrf = other.get("/staff/cahier/nouvelle").csrf();
    let refused = post_entry(
        &mut other,
        &format!("/staff/cahier/{entry}"),
        &[
            ("csrf", &other_csrf),
            ("autres_classes", "2nde B"),
            ("due", &due),
            ("instruction", "Détourné"),
            ("action", "enregistrer"),
        ],
        &[],
    );
    assert_eq!(refused.status, 403);
    assert_eq!(
        other
            .post_form(
                &format!("/staff/cahier/{entry}/supprimer"),
                &[("csrf", &other_csrf), ("confirm", "yes")]
            )
            .status,
        403
    );
    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let edit = admin.get(&format!("/staff/cahier/{entry}"));
    assert_eq!(edit.status, 200);
    assert!(
        edit.text()
            .contains(&format!("value=\"{staff_only}\" checked")),
        "{}",
        edit.text()
    );
    let admin_csrf = edit.csrf();
    let changed = post_entry(
        &mut admin,
        &format!("/staff/cahier/{entry}"),
        &[
            ("csrf", &admin_csrf),
            ("autres_classes", "2nde B"),
            ("due", &due),
            ("subject", "SVT"),
            (
                "instruction",
                "Lire la fiche sur la méiose, corrigée par l'administration",
            ),
            ("document", &public),
            ("action", "enregistrer"),
        ],
        &[],
    );
    assert_eq!(changed.status, 303, "{}", changed.text());
    assert!(family
        .get("/classes/2nde-b")
        .text()
        .contains("corrigée par l'administration"));
    assert!(
        admin.get("/staff/cahier").text().contains("m.dupont"),
        "an admin sees everyone's"
    );

    // Search finds the entry by a word of its instruction typed without accents.
    let found = family.get("/recherche?q=meiose").text();
    let consignes = found.find("Consignes").expect("an entries section");
    assert!(
        found[consignes..].contains("Lire la fiche sur la méiose"),
        "{found}"
    );
    let kiosk_found = family.get("/kiosque/trouver?q=MEIOSE").text();
    assert!(
        kiosk_found.contains("Lire la fiche sur la méiose"),
        "{kiosk_found}"
    );

    // Its writer deletes it; families no longer see it.
    let deleted = teacher.post_form(
        &format!("/staff/cahier/{entry}/supprimer"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(deleted.status, 303);
    assert!(!family
        .get("/classes/2nde-b")
        .text()
        .contains("Lire la fiche"));
}

#[test]
fn earlier_weeks_are_reached_and_home_and_kiosk_lead_to_the_class_first() {
    let server = TestServer::start();
    let public = upload_one(
        &server,
        "photo.pdf",
        &common::pdf(),
        &[("title", "Photosynthèse, cours")],
    );
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let csrf = teacher.get("/staff/cahier/nouvelle").csrf();
    let last_week = today() - Duration::days(7);
    let saved = post_entry(
        &mut teacher,
        "/staff/cahier/nouvelle",
        &[
            ("csrf", &csrf),
            ("classe", "1re"),
            ("due", &last_week.to_string()),
            ("subject", "Mathématiques"),
            ("instruction", "Exercices sur les fonctions affines"),
            ("document", &public),
            ("action", "enregistrer"),
        ],
        &[],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());

    let mut family = server.browser();
    let this_week = family.get("/classes/1re").text();
    assert!(!this_week.contains("fonctions affines"), "{this_week}");
    assert!(
        this_week.contains("Rien de noté pour cette semaine"),
        "{this_week}"
    );
    assert!(
        this_week.contains("href=\"/niveaux/1re\""),
        "the level's documents: {this_week}"
    );
    let earlier = format!("/classes/1re?semaine={}", monday(last_week));
    assert!(
        this_week.contains(&format!("href=\"{earlier}\"")),
        "{this_week}"
    );
    let before = family.get(&earlier).text();
    assert!(
        before.contains("Exercices sur les fonctions affines"),
        "{before}"
    );
    assert!(
        before.contains(&format!("href=\"/documents/{public}\"")),
        "{before}"
    );
    // Any day of the week names it.
    assert!(family
        .get(&format!("/classes/1re?semaine={last_week}"))
        .text()
        .contains("fonctions affines"));
    // The same entry on a group's page: an entry for the whole level concerns every group.
    assert!(family
        .get(&earlier.replace("/1re?", "/1re-g2?"))
        .text()
        .contains("fonctions affines"));

    let home = family.get("/").text();
    assert!(home.contains("href=\"/classes/1re\""), "{home}");
    assert!(
        home.contains("href=\"/niveaux/1re\""),
        "Tous les documents: {home}"
    );
    let kiosk = family.get("/kiosque/trouver").text();
    assert!(kiosk.contains("href=\"/kiosque/classes/1re\""), "{kiosk}");
    let at_kiosk = family.get(&format!("/kiosque/classes/1re?semaine={last_week}"));
    assert_eq!(at_kiosk.status, 200);
    let at_kiosk = at_kiosk.text();
    assert!(
        at_kiosk.contains(&format!("href=\"/kiosque/document/{public}\"")),
        "{at_kiosk}"
    );
    assert!(
        at_kiosk.contains("href=\"/kiosque/trouver/1re\""),
        "{at_kiosk}"
    );
    assert_eq!(family.get("/classes/pas-une-classe").status, 404);
}
