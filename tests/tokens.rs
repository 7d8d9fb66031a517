//! API tokens over real HTTP and the real binary: each listed with its id, revoked one by one on
//! the web or the command line, and all of an account's revoked (sessions closed too) when its
//! password changes. A teacher sees and revokes only their own.

mod common;

use sha2::{Digest, Sha256};

use common::run::{cartable, finish};
use common::served::{run_with_input, Served};
use common::server::{Browser, TestServer, ADMIN, OTHER_TEACHER, TEACHER};

/// A token's public id, as the server derives it: the first 8 hex digits of its hash.
fn id_of(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn api_status(base: &str, token: &str) -> u16 {
    Browser::new(base)
        .get_with(
            "/api/documents",
            &[("Authorization", &format!("Bearer {token}"))],
        )
        .status
}

/// Makes a token from the page's form; returns its secret, read once from the answer.
fn make_token(browser: &mut Browser, label: &str) -> String {
    let csrf = browser.get("/staff/jetons").csrf();
    let made = browser.post_form("/staff/jetons", &[("csrf", &csrf), ("label", label)]);
    assert_eq!(made.status, 200, "{}", made.text());
    let text = made.text();
    let at = text
        .find("<code class=\"token\">")
        .expect("the new secret shown")
        + 20;
    text[at..at + 64].to_owned()
}

fn revoke(browser: &mut Browser, id: &str) -> common::server::Answer {
    let csrf = browser.get("/staff/jetons").csrf();
    browser.post_form(&format!("/staff/jetons/{id}/revoquer"), &[("csrf", &csrf)])
}

#[test]
fn a_token_made_on_the_web_works_is_listed_and_once_revoked_answers_401() {
    let server = TestServer::start();
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let token = make_token(&mut teacher, "script des absences");
    let id = id_of(&token);
    assert_eq!(api_status(&server.base, &token), 200);

    let page = teacher.get("/staff/jetons").text();
    assert!(
        page.contains(&id) && page.contains("script des absences"),
        "{page}"
    );
    assert!(page.contains(&id_of(&server.teacher_token)), "{page}");
    assert!(!page.contains(&token), "the secret is shown once only");

    let forged = teacher.post_form(&format!("/staff/jetons/{id}/revoquer"), &[("csrf", "x")]);
    assert_eq!(forged.status, 403);
    assert_eq!(api_status(&server.base, &token), 200);

    let revoked = revoke(&mut teacher, &id);
    assert_eq!(revoked.status, 303);
    let back = revoked.header("location").unwrap().to_owned();
    assert_eq!(back, format!("/staff/jetons?fait=revoque&jeton={id}"));
    let page = teacher.get(&back).text();
    assert!(page.contains(&format!("Jeton révoqué : {id}")), "{page}");
    assert!(!page.contains("script des absences"), "{page}");
    assert_eq!(api_status(&server.base, &token), 401);
    assert_eq!(
        api_status(&server.base, &server.teacher_token),
        200,
        "the account's other token still works"
    );
}

#[test]
fn a_teacher_neither_sees_nor_revokes_another_accounts_token_and_an_admin_does() {
    let server = TestServer::start();
    let id = id_of(&server.teacher_token);
    let mut other = server.browser();
    other.log_in(OTHER_TEACHER);
    assert!(!other.get("/staff/jetons").text().contains(&id));
    assert_eq!(revoke(&mut other, &id).status, 404);
    assert_eq!(api_status(&server.base, &server.teacher_token), 200);

    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let page = admin.get("/staff/jetons").text();
    assert!(page.contains(&id) && page.contains(TEACHER.0), "{page}");
    assert_eq!(revoke(&mut admin, &id).status, 303);
    assert_eq!(api_status(&server.base, &server.teacher_token), 401);
    assert_eq!(
        server.browser().get("/staff/jetons").status,
        303,
        "to the login form"
    );
}

#[test]
fn a_password_reset_by_an_admin_revokes_the_accounts_tokens_and_closes_its_sessions() {
    let server = TestServer::start();
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let web_token = make_token(&mut teacher, "script");
    let mut other = server.browser();
    other.log_in(OTHER_TEACHER);
    let other_token = make_token(&mut other, "autre");

    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let csrf = admin.get("/staff/admin").csrf();
    let reset = admin.post_form(
        "/staff/admin/accounts",
        &[
            ("csrf", &csrf),
            ("action", "reset"),
            ("login", TEACHER.0),
            ("password", "un-nouveau-mot-de-passe"),
        ],
    );
    assert_eq!(reset.status, 303, "{}", reset.text());
    assert!(admin
        .get(reset.header("location").unwrap())
        .text()
        .contains("ses jetons d'API sont révoqués"));

    assert_eq!(api_status(&server.base, &server.teacher_token), 401);
    assert_eq!(api_status(&server.base, &web_token), 401);
    let logged_out = teacher.get("/staff/jetons");
    assert_eq!(logged_out.status, 303, "the old session is closed");
    assert!(logged_out
        .header("location")
        .unwrap()
        .starts_with("/connexion"));
    assert_eq!(
        api_status(&server.base, &other_token),
        200,
        "others keep theirs"
    );
    assert_eq!(other.get("/staff/jetons").status, 200);
    let mut again = server.browser();
    again.log_in((TEACHER.0, "un-nouveau-mot-de-passe"));
    assert!(!again.get("/staff/jetons").text().contains("<code>"));
}

#[test]
fn the_command_line_lists_and_revokes_tokens_and_a_new_password_revokes_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = Served::start(&data);
    let added = finish(run_with_input(
        &data,
        &["user", "add", "m.durand"],
        b"un-mot-de-passe-solide\n",
    ));
    assert_eq!(added.code, 0, "{}", added.stderr);
    let made = cartable(
        &data,
        &[
            "user",
            "token",
            "m.durand",
            "--label",
            "script des absences",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let first = made.stdout.trim().to_owned();
    let second = cartable(&data, &["user", "token", "m.durand"])
        .stdout
        .trim()
        .to_owned();
    assert_eq!(api_status(&served.base, &first), 200);

    let listed = cartable(&data, &["user", "tokens", "m.durand"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", listed.stdout);
    let first_line = lines
        .iter()
        .find(|l| l.starts_with(&id_of(&first)))
        .unwrap();
    assert!(first_line.contains("script des absences"), "{first_line}");
    assert!(
        !first_line.contains("jamais utilisé"),
        "used once: {first_line}"
    );
    assert!(
        listed.stdout.contains("jamais utilisé"),
        "{}",
        listed.stdout
    );
    assert_ne!(cartable(&data, &["user", "tokens", "personne"]).code, 0);

    let revoked = cartable(&data, &["user", "revoke-token", &id_of(&first)]);
    assert_eq!(revoked.code, 0, "{}", revoked.stderr);
    assert!(revoked.stderr.contains("révoqué"), "{}", revoked.stderr);
    assert_eq!(api_status(&served.base, &first), 401);
    assert_eq!(api_status(&served.base, &second), 200);
    assert_ne!(
        cartable(&data, &["user", "revoke-token", &id_of(&first)]).code,
        0
    );

    let changed = finish(run_with_input(
        &data,
        &["user", "password", "m.durand"],
        b"encore-un-autre-mot\n",
    ));
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    assert_eq!(api_status(&served.base, &second), 401);
    assert!(cartable(&data, &["user", "tokens"]).stdout.is_empty());
    served.stop();
}
