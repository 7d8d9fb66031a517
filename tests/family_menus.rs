//! What families may see of the catalog's shape: the home page's classes, the search filters,
//! the kiosk's class tiles and `/metrics` never name a level or subject, nor count a document,
//! that only staff-only documents have. Staff logged in see everything.

mod common;

use common::server::{TestServer, TEACHER};
use common::upload::api_upload;

const SECRET_LEVEL: &str = "Classe secrète";
const SECRET_SUBJECT: &str = "Cryptographie appliquée";

/// One public document (2nde, maths) and one staff-only with a level and a subject found nowhere else.
fn library_with_a_staff_only_level_and_subject() -> TestServer {
    let server = TestServer::start();
    for (name, fields) in [
        (
            "Fonctions.txt",
            [
                ("level", "2nde"),
                ("subject", "maths"),
                ("visibility", "public"),
            ],
        ),
        (
            "Corrigé.txt",
            [
                ("level", SECRET_LEVEL),
                ("subject", SECRET_SUBJECT),
                ("visibility", "staff"),
            ],
        ),
    ] {
        let answer = api_upload(
            &server,
            &[(
                name,
                format!("{name} : un texte assez long pour être lu.").as_bytes(),
            )],
            &fields,
            Some(&server.teacher_token),
        );
        assert_eq!(answer.status, 201, "{}", answer.text());
    }
    server
}

fn names_the_secrets(page: &str) -> bool {
    page.contains(SECRET_LEVEL) || page.contains(SECRET_SUBJECT)
}

#[test]
fn menus_never_name_a_level_or_subject_only_staff_only_documents_have() {
    let server = library_with_a_staff_only_level_and_subject();
    let mut family = server.browser();
    for path in [
        "/",
        "/recherche",
        "/recherche?q=texte",
        "/kiosque/trouver",
        "/kiosque/cle",
        "/niveaux/2nde",
    ] {
        let answer = family.get(path);
        assert_eq!(answer.status, 200, "{path}");
        let page = answer.text();
        assert!(!names_the_secrets(&page), "{path}: {page}");
    }
    assert!(
        family.get("/recherche").text().contains("Mathématiques"),
        "a public document's subject is offered"
    );

    let mut staff = server.browser();
    staff.log_in(TEACHER);
    assert!(staff.get("/").text().contains(SECRET_LEVEL));
    let filters = staff.get("/recherche").text();
    assert!(
        filters.contains(SECRET_LEVEL) && filters.contains(SECRET_SUBJECT),
        "{filters}"
    );
}

#[test]
fn anonymous_metrics_count_public_documents_only_and_staff_get_the_whole_catalog() {
    let server = library_with_a_staff_only_level_and_subject();
    let anonymous = server.browser().get("/metrics").text();
    assert!(
        anonymous.contains("\ncartable_documents 1\n"),
        "{anonymous}"
    );
    assert!(!names_the_secrets(&anonymous));

    let with_token = server
        .browser()
        .get_with(
            "/metrics",
            &[("Authorization", &format!("Bearer {}", server.teacher_token))],
        )
        .text();
    assert!(
        with_token.contains("\ncartable_documents 2\n"),
        "{with_token}"
    );
    let mut staff = server.browser();
    staff.log_in(TEACHER);
    assert!(staff
        .get("/metrics")
        .text()
        .contains("\ncartable_documents 2\n"));
    let forged = server
        .browser()
        .get_with("/metrics", &[("Authorization", "Bearer pas-un-jeton")])
        .text();
    assert!(forged.contains("\ncartable_documents 1\n"), "{forged}");
}
