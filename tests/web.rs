//! The resource point over real HTTP: a server started in-process on 127.0.0.1:0, talked to like a
//! browser (cookies, forms) or a script (JSON API, bearer token).

mod common;

use common::server::{Part, TestServer, ADMIN, OTHER_TEACHER, TEACHER};
use common::upload::api_upload;

fn upload_form(
    browser: &mut common::server::Browser,
    files: &[(&str, &[u8])],
    extra: &[(&str, &str)],
) -> common::server::Answer {
    let csrf = browser.get("/staff/upload").csrf();
    let mut parts = vec![Part::Field("csrf", &csrf)];
    parts.extend(extra.iter().map(|(name, value)| Part::Field(name, value)));
    parts.extend(
        files
            .iter()
            .map(|(name, content)| Part::File("file", name, content)),
    );
    browser.post_multipart("/staff/upload", &parts, &[])
}

fn search_ids(server: &TestServer, query: &str) -> Vec<String> {
    let answer = server
        .browser()
        .get(&format!("/api/search?q={}", query.replace(' ', "%20")));
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn families_browse_and_search_without_an_account() {
    let server = TestServer::start();
    let answer = api_upload(
        &server,
        &[("Photosynthèse.pdf", &common::pdf())],
        &[("level", "2nde"), ("subject", "SVT")],
        Some(&server.teacher_token),
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
    let id = answer.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut family = server.browser();
    let home = family.get("/");
    assert_eq!(home.status, 200);
    assert!(home
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let page = home.text();
    assert!(
        page.contains("Lycée Jean Moulin")
            && page.contains("href=\"/niveaux/2nde\"")
            && page.contains("Photosynthèse"),
        "{page}"
    );
    assert!(!page.contains("<script"), "pages work without JavaScript");

    let level = family.get("/niveaux/2nde").text();
    assert!(
        level.contains(&format!("/documents/{id}")) && level.contains("Sciences de la vie"),
        "{level}"
    );
    assert!(
        level.contains("PDF, 1 Ko") || level.contains("PDF, 2 Ko"),
        "sizes in plain words: {level}"
    );

    let results = family.get("/recherche?q=photosinthese+vegetaux").text();
    assert!(
        results.contains(&format!("/documents/{id}")) && results.contains("<mark>"),
        "{results}"
    );
    // Spelt as it sounds, and with the subject's abbreviation: found, the word marked.
    let heard = family.get("/recherche?q=fotosintaise+svt").text();
    assert!(
        heard.contains(&format!("/documents/{id}"))
            && heard.contains("<mark>photosynthèse</mark>")
            && !heard.contains("tous vos mots"),
        "{heard}"
    );
    // Only some of the words: the page says so instead of passing it off as a match.
    let partial = family
        .get("/recherche?q=photosynthese+astrophysique")
        .text();
    assert!(
        partial.contains(&format!("/documents/{id}"))
            && partial.contains("Aucun document ne contient tous vos mots"),
        "{partial}"
    );
    let nothing = family.get("/recherche?q=astrophysique&niveau=Tle").text();
    assert!(
        nothing.contains("Aucun résultat") && nothing.contains("toutes les classes"),
        "{nothing}"
    );

    let document = family.get(&format!("/documents/{id}"));
    assert_eq!(document.status, 200);
    let text = document.text();
    assert!(
        text.contains("Télécharger")
            && text.contains(&format!("/documents/{id}/open"))
            && text.contains("photosynthèse"),
        "{text}"
    );

    let api = family.get("/api/documents?level=2nde").json();
    assert_eq!(api["total"], 1);
    let hit = &api["documents"][0];
    for key in common::HIT_KEYS {
        assert!(hit.get(key).is_some(), "{key} missing in {hit}");
    }
}

#[test]
fn pages_are_french_first_with_an_english_switch() {
    let server = TestServer::start();
    let mut browser = server.browser();
    assert!(browser.get("/").text().contains("<html lang=\"fr\""));
    let switch = browser.get("/langue/en?retour=/recherche?q=x");
    assert_eq!(switch.status, 303);
    assert_eq!(switch.header("location"), Some("/recherche?q=x"));
    let english = browser.get("/");
    assert!(
        english.text().contains("<html lang=\"en\"") && english.text().contains("Choose a year")
    );
    let outside = browser.get("/langue/fr?retour=//evil.example");
    assert_eq!(
        outside.header("location"),
        Some("/"),
        "never redirects off-site"
    );
    // Regression: browsers drop a tab from "/<TAB>/evil.example", which then leaves the site.
    for sneaky in ["/%09/evil.example", "/%0A/evil.example", "/%5Cevil.example"] {
        let answer = browser.get(&format!("/langue/fr?retour={sneaky}"));
        assert_eq!(answer.header("location"), Some("/"), "{sneaky}");
    }
}

#[test]
fn staff_log_in_and_out_and_failures_say_the_same_thing() {
    let server = TestServer::start();
    let mut browser = server.browser();
    let page = browser.get("/connexion");
    let csrf = page.csrf();
    let wrong_password = browser.post_login(&csrf, TEACHER.0, "pas le bon");
    let csrf = wrong_password.csrf();
    let unknown_user = browser.post_login(&csrf, "personne", "pas le bon");
    assert_eq!(wrong_password.status, 401);
    assert_eq!(unknown_user.status, 401);
    let message = "Identifiant ou mot de passe incorrect.";
    assert!(wrong_password.text().contains(message) && unknown_user.text().contains(message));

    let csrf = unknown_user.csrf();
    let ok = browser.post_login(&csrf, TEACHER.0, TEACHER.1);
    assert_eq!(ok.status, 303);
    let cookie = ok.headers["set-cookie"]
        .iter()
        .find(|c| c.starts_with("cartable_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let mine = browser.get("/staff/documents");
    assert_eq!(mine.status, 200);
    let csrf = mine.csrf();

    let out = browser.post_form("/deconnexion", &[("csrf", &csrf)]);
    assert_eq!(out.status, 303);
    assert_eq!(
        browser.get("/staff/documents").header("location"),
        Some("/connexion?retour=/staff/documents"),
        "the session is closed"
    );
}

#[test]
fn repeated_failed_logins_are_throttled() {
    let server = TestServer::start();
    let mut browser = server.browser();
    let mut csrf = browser.get("/connexion").csrf();
    for _ in 0..5 {
        let answer = browser.post_login(&csrf, TEACHER.0, "mauvais");
        csrf = answer.csrf();
    }
    let right_password = browser.post_login(&csrf, TEACHER.0, TEACHER.1);
    assert_eq!(right_password.status, 401);
    assert!(
        right_password.text().contains("Trop de tentatives"),
        "{}",
        right_password.text()
    );
}

#[test]
fn uploads_through_the_form_are_found_by_search_at_once() {
    let server = TestServer::start();
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let answer = upload_form(
        &mut teacher,
        &[
            ("Photosynthèse.pdf", &common::pdf()),
            ("Révolution.docx", &common::docx()),
            ("Pythagore.odt", &common::odt()),
            ("vide.pdf", b""),
        ],
        &[
            ("level", "2nde"),
            ("level", "1re"),
            ("subject", "Mathématiques"),
            ("due", "2026-12-15"),
            ("visibility", "public"),
        ],
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let page = answer.text();
    assert!(
        page.contains("Ajouté") && page.contains("Refusé : vide.pdf") && page.contains("vide"),
        "{page}"
    );
    for query in [
        "photosynthese",
        "revolution francaise",
        "theoreme pythagore",
    ] {
        assert_eq!(search_ids(&server, query).len(), 1, "{query}");
    }
    let listed = server.browser().get("/api/documents").json();
    assert_eq!(listed["total"], 3);
    assert_eq!(
        listed["documents"][0]["levels"],
        serde_json::json!(["2nde", "1re"])
    );
    let again = upload_form(&mut teacher, &[("copie.pdf", &common::pdf())], &[]);
    assert!(again.text().contains("Déjà présent"), "{}", again.text());
}

#[test]
fn uploads_through_the_api_answer_in_json() {
    let server = TestServer::start();
    let created = api_upload(
        &server,
        &[
            ("Pythagore.odt", &common::odt()),
            ("Révolution.docx", &common::docx()),
        ],
        &[("title", "Cours d'histoire"), ("visibility", "public")],
        Some(&server.teacher_token),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["documents"].as_array().unwrap().len(), 2);
    assert_eq!(search_ids(&server, "pythagore").len(), 1);

    let duplicate = api_upload(
        &server,
        &[("encore.odt", &common::odt())],
        &[],
        Some(&server.teacher_token),
    );
    assert_eq!(duplicate.status, 409);
    let refused = [
        (
            api_upload(&server, &[("a.pdf", &common::pdf())], &[], None),
            401,
        ),
        (
            api_upload(
                &server,
                &[("a.pdf", &common::pdf())],
                &[],
                Some("faux-jeton"),
            ),
            401,
        ),
        (
            api_upload(
                &server,
                &[("vide.pdf", b"")],
                &[],
                Some(&server.teacher_token),
            ),
            415,
        ),
        (
            api_upload(
                &server,
                &[("a.pdf", &common::pdf())],
                &[("due", "demain")],
                Some(&server.teacher_token),
            ),
            400,
        ),
        (
            api_upload(
                &server,
                &[("gros.txt", &vec![b'a'; 6 * 1024 * 1024])],
                &[],
                Some(&server.teacher_token),
            ),
            413,
        ),
    ];
    for (answer, status) in refused {
        assert_eq!(answer.status, status, "{}", answer.text());
        let body = answer.json();
        assert!(
            body["code"].is_string() && body["message"].is_string(),
            "{body}"
        );
    }
    let unknown = server.browser().get("/api/nothing-here");
    assert_eq!(unknown.status, 404);
    assert!(unknown.json()["code"].is_string());
}

#[test]
fn downloads_support_ranges_etags_and_keep_the_file_name() {
    let server = TestServer::start();
    let pdf = common::pdf();
    let answer = api_upload(
        &server,
        &[("Fiche élève « révision ».pdf", &pdf)],
        &[],
        Some(&server.teacher_token),
    );
    let id = answer.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut browser = server.browser();
    let whole = browser.get(&format!("/documents/{id}/file"));
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, pdf);
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let disposition = whole.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''Fiche%20%C3%A9l%C3%A8ve"),
        "{disposition}"
    );
    assert_eq!(whole.header("x-content-type-options"), Some("nosniff"));
    let etag = whole.header("etag").unwrap().to_owned();

    let part = browser.get_with(
        &format!("/documents/{id}/file"),
        &[("Range", "bytes=10-19")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &pdf[10..20]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 10-19/{}", pdf.len()).as_str())
    );
    let beyond = browser.get_with(
        &format!("/documents/{id}/file"),
        &[("Range", "bytes=999999-")],
    );
    assert_eq!(beyond.status, 416);
    let cached = browser.get_with(
        &format!("/documents/{id}/file"),
        &[("If-None-Match", &etag)],
    );
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    let opened = browser.get(&format!("/documents/{id}/open"));
    assert!(opened
        .header("content-disposition")
        .unwrap()
        .starts_with("inline;"));
    assert_eq!(opened.header("content-type"), Some("application/pdf"));
}

#[test]
fn uploaded_html_is_never_run_in_our_origin() {
    let server = TestServer::start();
    let page = b"<html><body><script>alert(document.cookie)</script><p>Sortie scolaire au mus\xc3\xa9e</p></body></html>";
    let answer = api_upload(
        &server,
        &[("sortie.html", page)],
        &[],
        Some(&server.teacher_token),
    );
    let id = answer.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        format!("/documents/{id}/file"),
        format!("/documents/{id}/open"),
    ] {
        let served = server.browser().get(&path);
        assert_eq!(served.status, 200);
        assert_eq!(served.header("content-security-policy"), Some("sandbox"));
        assert!(
            served
                .header("content-disposition")
                .unwrap()
                .starts_with("attachment;"),
            "{path}"
        );
        assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn a_teacher_changes_only_their_own_documents() {
    let server = TestServer::start();
    let answer = api_upload(
        &server,
        &[("Pythagore.odt", &common::odt())],
        &[],
        Some(&server.teacher_token),
    );
    let id = answer.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut other = server.browser();
    other.log_in(OTHER_TEACHER);
    assert_eq!(other.get(&format!("/staff/documents/{id}")).status, 403);
    let csrf = other.get("/staff/upload").csrf();
    let refused = other.post_form(
        &format!("/staff/documents/{id}/delete"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(refused.status, 403);
    assert!(refused.text().contains("Accès refusé"));

    let mut owner = server.browser();
    owner.log_in(TEACHER);
    let edit = owner.get(&format!("/staff/documents/{id}"));
    assert_eq!(edit.status, 200);
    let csrf = edit.csrf();
    let saved = owner.post_form(
        &format!("/staff/documents/{id}"),
        &[
            ("csrf", &csrf),
            ("title", "Le théorème, corrigé"),
            ("level", "3e"),
            ("visibility", "public"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert!(server
        .browser()
        .get(&format!("/documents/{id}"))
        .text()
        .contains("Le théorème, corrigé"));

    let replaced = owner.post_multipart(
        &format!("/staff/documents/{id}/file"),
        &[
            Part::Field("csrf", &csrf),
            Part::File("file", "v2.pdf", &common::pdf()),
        ],
        &[],
    );
    assert_eq!(replaced.status, 303, "{}", replaced.text());
    assert_eq!(
        search_ids(&server, "photosynthese"),
        vec![id.clone()],
        "same id, new text"
    );
    assert!(search_ids(&server, "pythagore").is_empty());

    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let csrf = admin.get("/staff/admin").csrf();
    let deleted = admin.post_form(
        &format!("/staff/documents/{id}/delete"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(deleted.status, 303);
    assert_eq!(
        server.browser().get(&format!("/documents/{id}")).status,
        404
    );
}

#[test]
fn a_logged_out_staff_page_leads_to_the_login_form_and_back() {
    let server = TestServer::start();
    let mut teacher = server.browser();
    let asked = teacher.get("/staff/documents?page=2");
    assert_eq!(asked.status, 303);
    let form_path = asked.header("location").unwrap().to_owned();
    let form = teacher.get(&form_path);
    assert_eq!(form.status, 200);
    let back = "name=\"retour\" value=\"/staff/documents?page=2\"";
    assert!(form.text().contains(back), "{}", form.text());
    let logged_in = teacher.post_form(
        "/connexion",
        &[
            ("csrf", form.csrf().as_str()),
            ("login", TEACHER.0),
            ("password", TEACHER.1),
            ("retour", "/staff/documents?page=2"),
        ],
    );
    assert_eq!(logged_in.status, 303, "{}", logged_in.text());
    assert_eq!(
        logged_in.header("location"),
        Some("/staff/documents?page=2")
    );

    // Somewhere off the site is never a way back.
    let mut other = server.browser();
    let csrf = other.get("/connexion?retour=//evil.example/").csrf();
    let answer = other.post_form(
        "/connexion",
        &[
            ("csrf", csrf.as_str()),
            ("login", TEACHER.0),
            ("password", TEACHER.1),
            ("retour", "//evil.example/"),
        ],
    );
    assert_eq!(answer.header("location"), Some("/staff/documents"));
}

#[test]
fn anonymous_and_forged_posts_are_refused() {
    let server = TestServer::start();
    let mut anonymous = server.browser();
    for path in ["/staff/upload", "/staff/documents", "/staff/admin"] {
        let answer = anonymous.get(path);
        assert_eq!(answer.status, 303, "{path}");
        let login_form = format!("/connexion?retour={path}");
        assert_eq!(answer.header("location"), Some(login_form.as_str()));
    }
    let anonymous_upload = anonymous.post_multipart(
        "/staff/upload",
        &[Part::File("file", "a.pdf", &common::pdf())],
        &[],
    );
    assert_eq!(anonymous_upload.status, 401);

    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let no_token = teacher.post_multipart(
        "/staff/upload",
        &[Part::File("file", "a.pdf", &common::pdf())],
        &[],
    );
    assert_eq!(no_token.status, 403);
    let wrong_token = teacher.post_multipart(
        "/staff/upload",
        &[
            Part::Field("csrf", "faux"),
            Part::File("file", "a.pdf", &common::pdf()),
        ],
        &[],
    );
    assert_eq!(wrong_token.status, 403);
    assert!(
        server.browser().get("/api/documents").json()["total"] == 0,
        "nothing was stored"
    );
    let teacher_on_admin = teacher.get("/staff/admin");
    assert_eq!(teacher_on_admin.status, 403);
    // The service refuses it too: a teacher with a valid session and token cannot add an account.
    let csrf = teacher.get("/staff").csrf();
    let teacher_adds = teacher.post_form(
        "/staff/admin/accounts",
        &[
            ("csrf", &csrf),
            ("action", "add"),
            ("login", "intrus"),
            ("role", "admin"),
            ("password", "un mot de passe assez long"),
        ],
    );
    assert_eq!(teacher_adds.status, 403);
    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let accounts = admin.get("/staff/admin").text();
    assert!(accounts.contains(TEACHER.0) && !accounts.contains("intrus"));
    let login_without_token = server.browser().post_form(
        "/connexion",
        &[("login", TEACHER.0), ("password", TEACHER.1)],
    );
    assert_eq!(login_without_token.status, 403);
}

#[test]
fn staff_only_documents_never_reach_families() {
    let server = TestServer::start();
    let answer = api_upload(
        &server,
        &[("Corrigé.odt", &common::odt())],
        &[("visibility", "staff"), ("level", "2nde")],
        Some(&server.teacher_token),
    );
    let id = answer.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut family = server.browser();
    assert!(search_ids(&server, "pythagore").is_empty());
    assert_eq!(family.get("/api/documents").json()["total"], 0);
    assert!(!family.get("/niveaux/2nde").text().contains(&id));
    assert!(!family.get("/recherche?q=pythagore").text().contains(&id));
    assert_eq!(family.get(&format!("/documents/{id}")).status, 404);
    assert_eq!(family.get(&format!("/documents/{id}/file")).status, 404);

    let staff_search = server.browser().get_with(
        "/api/search?q=pythagore",
        &[("Authorization", &format!("Bearer {}", server.teacher_token))],
    );
    assert_eq!(staff_search.json()["total"], 1);
}

#[test]
fn error_pages_are_french_html_and_api_errors_are_json() {
    let server = TestServer::start();
    let mut browser = server.browser();
    let missing = browser.get("/pas/de/page/ici");
    assert_eq!(missing.status, 404);
    assert!(missing
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(missing.text().contains("Page introuvable") && missing.text().contains("lang=\"fr\""));
    assert_eq!(browser.get("/documents/zzzzzzzz").status, 404);
    let bad_query = browser.get("/api/search?q=");
    assert_eq!(bad_query.status, 400);
    assert_eq!(bad_query.json()["code"], "invalid_input");
    let long = format!("/api/search?q={}", "a".repeat(2000));
    assert_eq!(browser.get(&long).status, 400);
    for hostile in ["%22", "%3A", "(", "*", "-", "title%3Afoo", "%F0%9F%91%A9"] {
        let answer = browser.get(&format!("/api/search?q={hostile}"));
        assert!(
            answer.status == 200 || answer.status == 400,
            "{hostile}: {}",
            answer.status
        );
        let page = browser.get(&format!("/recherche?q={hostile}"));
        assert_eq!(page.status, 200, "{hostile}");
    }
}

#[test]
fn health_metrics_and_assets_are_served() {
    let server = TestServer::start();
    let mut browser = server.browser();
    assert_eq!(browser.get("/healthz").text(), "ok\n");
    browser.get("/recherche?q=photosynthese");
    let metrics = browser.get("/metrics").text();
    assert!(
        metrics.contains("cartable_http_requests_total{route=\"/recherche\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("cartable_search_seconds_count 1")
            && metrics.contains("cartable_documents 0"),
        "{metrics}"
    );
    let home = browser.get("/").text();
    let at = home.find("/assets/").unwrap();
    let css_path = home[at..].split('"').next().unwrap().to_owned();
    let css = browser.get(&css_path);
    assert_eq!(css.status, 200);
    assert!(css
        .header("cache-control")
        .unwrap()
        .contains("max-age=31536000"));
    assert_eq!(
        browser.get("/assets/0000/style.css").status,
        404,
        "an old hash is not served"
    );
    assert!(home.len() < 30 * 1024, "pages weigh under 30 KB");
}

#[test]
fn the_setup_link_creates_the_first_admin_once() {
    let server = TestServer::start_without_admin();
    let mut browser = server.browser();
    assert_eq!(browser.get("/setup/mauvais-jeton").status, 404);
    assert_eq!(browser.get("/setup/jeton-de-test").status, 200);
    let created = browser.post_form(
        "/setup/jeton-de-test",
        &[("login", "proviseur"), ("password", "un-long-mot-de-passe")],
    );
    assert_eq!(created.status, 303, "{}", created.text());
    assert_eq!(
        browser.get("/setup/jeton-de-test").status,
        404,
        "the link works once"
    );
    browser.log_in(("proviseur", "un-long-mot-de-passe"));
    assert_eq!(browser.get("/staff/admin").status, 200);
}

#[test]
fn the_setup_link_is_closed_once_an_admin_exists() {
    let server = TestServer::start();
    let mut browser = server.browser();
    let refused = browser.post_form(
        "/setup/jeton-de-test",
        &[("login", "intrus"), ("password", "un-long-mot-de-passe")],
    );
    assert_eq!(refused.status, 404);
    let csrf = browser.get("/connexion").csrf();
    let login = browser.post_login(&csrf, "intrus", "un-long-mot-de-passe");
    assert_eq!(login.status, 401, "no account was created");
}

/// Regression: a level page listed up to 100 documents (over 30 KB) and took its subject menu
/// from those 100 only.
#[test]
fn a_level_page_stays_light_and_pages_through_its_documents() {
    let server = TestServer::start();
    let token = format!("Bearer {}", server.teacher_token);
    for n in 0..45 {
        let name = format!("Exercice {n} - fonctions affines.txt");
        let content =
            format!("Exercice numéro {n} sur les fonctions affines, avec un corrigé détaillé.");
        let subject = if n == 0 {
            "Physique-Chimie"
        } else {
            "Mathématiques"
        };
        let answer = server.browser().post_multipart(
            "/api/documents",
            &[
                Part::Field("level", "2nde"),
                Part::Field("subject", subject),
                Part::File("file", &name, content.as_bytes()),
            ],
            &[("Authorization", &token)],
        );
        assert_eq!(answer.status, 201, "{}", answer.text());
    }
    let mut family = server.browser();
    let first = family.get("/niveaux/2nde");
    assert!(first.body.len() < 30 * 1024, "{} bytes", first.body.len());
    let text = first.text();
    assert_eq!(text.matches("class=\"title\"").count(), 40);
    assert!(
        text.contains("/niveaux/2nde?page=2") && text.contains("Physique-Chimie"),
        "the oldest document's subject is offered too"
    );
    let second = family.get("/niveaux/2nde?page=2").text();
    assert_eq!(second.matches("class=\"title\"").count(), 5);
    assert!(second.contains("/niveaux/2nde?page=1"));

    // The page's documents go into the basket in one go (for a zip, a stick or a printed pack).
    let ids = second
        .split("name=\"ids\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form puts the page's documents in the basket")
        .to_owned();
    assert_eq!(ids.split('.').count(), 5);
    let added = family.post_form(
        "/panier",
        &[
            ("action", "ajouter-tout"),
            ("ids", &ids),
            ("retour", "/panier"),
        ],
    );
    assert_eq!(added.status, 303);
    let basket = family.get("/panier").text();
    assert!(basket.contains("5 document(s)"), "{basket}");
}

/// Regression: a name over 200 characters was cut with its extension, so the download had none.
#[test]
fn a_shortened_long_file_name_keeps_its_extension() {
    let server = TestServer::start();
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    let long = format!("{}.pdf", "Chapitre très long ".repeat(15));
    let uploaded = upload_form(&mut teacher, &[(&long, &common::pdf())], &[]);
    assert_eq!(uploaded.status, 200, "{}", uploaded.text());
    let found = server.browser().get("/api/documents").json();
    let hit = &found["documents"][0];
    let name = hit["file_name"].as_str().unwrap();
    assert!(
        name.chars().count() <= 200 && name.starts_with("Chapitre") && name.ends_with(".pdf"),
        "{name}"
    );
    let download = server.browser().get(hit["download_url"].as_str().unwrap());
    let disposition = download.header("content-disposition").unwrap();
    assert!(disposition.ends_with(".pdf"), "{disposition}");
}
