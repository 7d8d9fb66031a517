//! What a newcomer sees first, over HTTP on the real server: a lycée's own levels spelt out, the
//! staff link named for whom it is, "Tout voir" newest first, search messages that say what went
//! wrong, and admin forms that say they worked.

mod common;

use common::server::{TestServer, ADMIN};
use common::upload::upload_one;

#[test]
fn a_lycee_home_offers_its_levels_spelt_out_and_every_document_newest_first() {
    let server = TestServer::start();
    let older = upload_one(&server, "cours.pdf", &common::pdf(), &[]);
    let newer = upload_one(&server, "revolution.docx", &common::docx(), &[]);
    let mut family = server.browser();

    let home = family.get("/").text();
    for level in ["Seconde", "Première", "Terminale"] {
        assert!(home.contains(&format!(">{level}</a>")), "{level}: {home}");
    }
    assert!(!home.contains(">6e</a>") && !home.contains(">Sixième</a>"));
    assert!(home.contains(">Espace enseignants</a>") && home.contains("href=\"/nouveautes\""));

    let level = family.get("/niveaux/Tle").text();
    assert!(level.contains("<h1>Terminale</h1>"), "{level}");

    let all = family.get("/nouveautes");
    assert_eq!(all.status, 200);
    let text = all.text();
    let (at_newer, at_older) = (
        text.find(&format!("/documents/{newer}\""))
            .expect("newer listed"),
        text.find(&format!("/documents/{older}\""))
            .expect("older listed"),
    );
    assert!(at_newer < at_older, "newest first: {text}");
}

#[test]
fn search_says_when_words_are_too_common_or_the_page_is_past_the_last() {
    let server = TestServer::start();
    upload_one(&server, "cours.pdf", &common::pdf(), &[]);
    let mut family = server.browser();

    let common_words = family.get("/recherche?q=le+la+de+et").text();
    assert!(
        common_words.contains("Ces mots sont trop courants"),
        "{common_words}"
    );
    let nothing = family.get("/recherche?q=%21%3F").text();
    assert!(
        nothing.contains("Tapez au moins un mot à chercher."),
        "{nothing}"
    );

    let past = family.get("/recherche?q=photosynthese&page=40").text();
    assert!(
        past.contains("Cette page est après la dernière : la recherche a trouvé 1 résultat.")
            && past.contains("page=1"),
        "{past}"
    );
    assert!(!past.contains("Aucun résultat"));
}

#[test]
fn admin_forms_say_what_they_did() {
    let server = TestServer::start();
    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let csrf = admin.get("/staff/admin").csrf();
    let added = admin.post_form(
        "/staff/admin/accounts",
        &[
            ("csrf", csrf.as_str()),
            ("action", "add"),
            ("login", "m.durand"),
            ("role", "teacher"),
            ("password", "un-mot-de-passe-long"),
        ],
    );
    assert_eq!(added.status, 303);
    let page = admin.get(added.header("location").unwrap()).text();
    assert!(page.contains("Compte créé : m.durand"), "{page}");

    let saved = admin.post_form(
        "/staff/admin/school",
        &[
            ("csrf", csrf.as_str()),
            ("name", "Lycée Victor Hugo"),
            ("levels", "2nde\n1re\nTle"),
            ("subjects", "Mathématiques"),
        ],
    );
    assert_eq!(saved.status, 303);
    let page = admin.get(saved.header("location").unwrap()).text();
    assert!(
        page.contains("Réglages de l'établissement enregistrés.")
            && page.contains("Lycée Victor Hugo"),
        "{page}"
    );
    // A made-up notice in the address shows nothing.
    let page = admin.get("/staff/admin?fait=pirate&compte=x").text();
    assert!(!page.contains("notice ok"), "{page}");
}

#[test]
fn a_teachers_edit_and_delete_say_they_worked() {
    let server = TestServer::start();
    let id = upload_one(&server, "cours.pdf", &common::pdf(), &[]);
    let mut teacher = server.browser();
    teacher.log_in(common::server::TEACHER);
    let csrf = teacher.get(&format!("/staff/documents/{id}")).csrf();
    let edited = teacher.post_form(
        &format!("/staff/documents/{id}"),
        &[
            ("csrf", csrf.as_str()),
            ("title", "La photosynthèse, cours complet"),
            ("visibility", "public"),
        ],
    );
    assert_eq!(edited.status, 303, "{}", edited.text());
    let page = teacher.get(edited.header("location").unwrap()).text();
    assert!(
        page.contains("Modifications enregistrées.") && page.contains("cours complet"),
        "{page}"
    );
    // A family given the same address sees the document, not a staff message.
    let family = server
        .browser()
        .get(edited.header("location").unwrap())
        .text();
    assert!(!family.contains("Modifications enregistrées."), "{family}");

    let deleted = teacher.post_form(
        &format!("/staff/documents/{id}/delete"),
        &[("csrf", csrf.as_str()), ("confirm", "yes")],
    );
    assert_eq!(deleted.status, 303, "{}", deleted.text());
    let list = teacher.get(deleted.header("location").unwrap()).text();
    assert!(list.contains("Document supprimé."), "{list}");
}
