//! The kiosk screen in the hall (`/kiosque`), through the real server: its three choices, the
//! Wi-Fi password and QR code shown on the kiosk itself only (127.0.0.1) and never to a phone
//! (127.0.0.N), a class copied to a USB stick (a temporary folder stands for it) in one tap, a
//! print request, the reset that clears the basket, and a kiosk that stays up when families
//! are asked to wait.

mod common;

use std::io::Write;
use std::time::Duration;

use cartable::config::Capacity;
use common::raw::{self, phone};
use common::server::{TestServer, ADMIN};
use common::upload::upload_one;

/// Uploads a text file for `level` through the API; returns its id.
fn upload(server: &TestServer, name: &str, text: &str, level: &str) -> String {
    let fields = [("level", level), ("subject", "Mathématiques")];
    upload_one(server, name, text.as_bytes(), &fields)
}

/// The admin saves the school's Wi-Fi through the admin form.
fn save_wifi(server: &TestServer, name: &str, password: &str, security: &str) {
    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let csrf = admin.get("/staff/admin").csrf();
    let answer = admin.post_form(
        "/staff/admin/school",
        &[
            ("csrf", &csrf),
            ("name", "Lycée Jean Moulin"),
            ("wifi_name", name),
            ("wifi_security", security),
            ("wifi_password", password),
            ("levels", "2nde\n1re\nTle"),
            ("subjects", "Mathématiques"),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.text());
}

/// A GET from a phone (127.0.0.`n`): status and page.
fn phone_get(server: &TestServer, n: u8, path: &str) -> (u16, String) {
    let (head, body) = raw::exchange(&server.base, phone(n), &raw::get(path, &[]));
    (head.status, String::from_utf8_lossy(&body).into_owned())
}

/// The value of the first `name="cle" value="..."` on a page.
fn stick_value(page: &str) -> String {
    let at = page.find("name=\"cle\" value=\"").expect("a stick button") + 18;
    page[at..].split('"').next().unwrap().to_owned()
}

#[test]
fn the_kiosk_offers_three_big_choices_and_goes_home_when_left_alone() {
    let server = TestServer::start();
    let mut kiosk = server.browser();
    let answer = kiosk.get("/kiosque");
    assert_eq!(answer.status, 200);
    let page = answer.text();
    for choice in [
        "Trouver un document",
        "Copier sur ma clé USB",
        "Demander une impression",
    ] {
        assert!(page.contains(choice), "{choice}: {page}");
    }
    for link in ["/kiosque/trouver", "/kiosque/cle", "/kiosque/impression"] {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
    }
    // Without script, a refresh to the reset after the idle time (2 minutes by default); with
    // it, the kiosk's own script, which the page's policy allows and no other page's does.
    assert!(
        page.contains("<noscript><meta http-equiv=\"refresh\" content=\"120;url=/kiosque/fin\">"),
        "{page}"
    );
    assert!(page.contains("data-idle=\"120\""), "{page}");
    let policy = answer.header("content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let home_policy = kiosk
        .get("/")
        .header("content-security-policy")
        .unwrap()
        .to_owned();
    assert!(!home_policy.contains("script-src"), "{home_policy}");
    let script = page
        .split("<script src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the kiosk script")
        .to_owned();
    let served = kiosk.get(&script);
    assert_eq!(served.status, 200);
    assert!(served.text().contains("/kiosque/cles.json"));
    // Says how busy it is and what to do when the Wi-Fi is full.
    assert!(page.contains("Affluence en ce moment"), "{page}");
    assert!(page.contains("calme"), "{page}");
    assert!(page.contains("clé USB ici même"), "{page}");
    // The test server listens on loopback only: no address a phone could use is claimed.
    assert!(!page.contains("127.0.0.1"), "{page}");
    assert!(!page.contains("localhost"), "{page}");
}

#[test]
fn the_wifi_password_and_its_qr_code_show_on_the_kiosk_only() {
    let server = TestServer::start();
    let password = "fleur;de:lys";
    save_wifi(&server, "Lycée-Wifi", password, "wpa");

    let page = server.browser().get("/kiosque").text();
    assert!(page.contains("Lycée-Wifi"), "{page}");
    assert!(page.contains(password), "{page}");
    assert!(page.contains("aria-label=\"QR code du Wi-Fi\""), "{page}");
    assert!(page.contains("<svg class=\"qr\""), "{page}");

    for n in [2, 3, 200] {
        for path in ["/kiosque", "/", "/kiosque/cle", "/kiosque/trouver"] {
            let (status, page) = phone_get(&server, n, path);
            assert_eq!(status, 200, "{path} from 127.0.0.{n}");
            assert!(!page.contains(password), "{path} from 127.0.0.{n}: {page}");
            assert!(
                !page.contains("QR code du Wi-Fi"),
                "{path} from 127.0.0.{n}"
            );
        }
    }

    // An open network: no password, and the code says so.
    save_wifi(&server, "Invités", "", "none");
    let page = server.browser().get("/kiosque").text();
    assert!(
        page.contains("Invités") && page.contains("Sans mot de passe"),
        "{page}"
    );
    let admin_form = {
        let mut admin = server.browser();
        admin.log_in(ADMIN);
        admin.get("/staff/admin").text()
    };
    assert!(
        admin_form.contains("<option value=\"none\" selected>"),
        "the security choice is kept: {admin_form}"
    );
}

#[test]
fn a_class_is_copied_to_the_stick_plugged_in_with_one_tap() {
    let sticks = tempfile::tempdir().unwrap();
    let server = TestServer::start_with_usb_folder(sticks.path());
    upload(
        &server,
        "fractions.txt",
        "Les fractions et leurs règles",
        "2nde",
    );
    upload(&server, "vecteurs.txt", "Les vecteurs du plan", "2nde");
    upload(&server, "suites.txt", "Les suites numériques", "Tle");
    let mut kiosk = server.browser();

    // The class chosen, no stick yet: the page asks for one and looks again by itself.
    let choose = kiosk.get("/kiosque/cle").text();
    assert!(choose.contains("href=\"/kiosque/cle/2nde\""), "{choose}");
    let waiting = kiosk.get("/kiosque/cle/2nde").text();
    assert!(waiting.contains("Branchez votre clé USB"), "{waiting}");
    assert!(waiting.contains("2 document(s)"), "{waiting}");
    assert!(
        waiting.contains("content=\"3;url=/kiosque/cle/2nde?attente=1\""),
        "{waiting}"
    );
    assert_eq!(kiosk.get("/kiosque/cles.json").json()["drives"], "");

    // A stick comes: the drive list changes (the script reloads), the page offers it.
    let stick = sticks.path().join("CLE DE LEA");
    std::fs::create_dir(&stick).unwrap();
    let drives = kiosk.get("/kiosque/cles.json").json();
    assert_eq!(drives["drives"], stick.to_str().unwrap());
    let offered = kiosk.get("/kiosque/cle/2nde").text();
    assert!(
        offered.contains("Copier sur la clé « CLE DE LEA »"),
        "{offered}"
    );
    assert!(
        !offered.contains("attente="),
        "no more looking once a stick is there"
    );

    // A phone may neither see the stick nor write to it.
    assert_eq!(
        phone_get(&server, 2, "/kiosque/cles.json").1,
        "{\"drives\":\"\"}"
    );
    let form = format!("cle={}", stick.to_str().unwrap().replace(' ', "+"));
    let forged = format!(
        "POST /kiosque/cle/2nde HTTP/1.1\r\nHost: cartable.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let (head, _) = raw::exchange(&server.base, phone(2), forged.as_bytes());
    assert_eq!(head.status, 403);
    assert!(common::files_under(&stick).is_empty());

    // The one tap after choosing the class.
    let value = stick_value(&offered);
    let started = kiosk.post_form("/kiosque/cle/2nde", &[("cle", &value)]);
    assert_eq!(started.status, 303, "{}", started.text());
    let progress = started.header("location").unwrap().to_owned();
    assert!(progress.starts_with("/kiosque/copie/"), "{progress}");
    let mut last = String::new();
    let done = raw::eventually(Duration::from_secs(60), || {
        last = kiosk.get(&progress).text();
        last.contains("Copie terminée")
    });
    assert!(done, "{last}");
    assert!(
        last.contains("Vous pouvez retirer la clé « CLE DE LEA »"),
        "{last}"
    );
    let copied: Vec<String> = common::files_under(&stick)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_lowercase())
        .collect();
    assert!(copied.iter().any(|n| n == "index.html"), "{copied:?}");
    assert!(copied.iter().any(|n| n.contains("fractions")), "{copied:?}");
    assert!(copied.iter().any(|n| n.contains("vecteurs")), "{copied:?}");
    assert!(!copied.iter().any(|n| n.contains("suites")), "{copied:?}");
}

#[test]
fn a_document_found_at_the_kiosk_goes_to_the_stick_in_three_taps() {
    let sticks = tempfile::tempdir().unwrap();
    std::fs::create_dir(sticks.path().join("BAC")).unwrap();
    let server = TestServer::start_with_usb_folder(sticks.path());
    let id = upload(
        &server,
        "pythagore.txt",
        "Le théorème de Pythagore démontré",
        "2nde",
    );
    let mut kiosk = server.browser();

    let found = kiosk.get("/kiosque/trouver?q=theoreme%20pythagore").text();
    assert!(
        found.contains(&format!("href=\"/kiosque/document/{id}\"")),
        "{found}"
    );
    // Tap 1: the class's list has the document.
    let level = kiosk.get("/kiosque/trouver/2nde").text();
    assert!(
        level.contains(&format!("href=\"/kiosque/document/{id}\"")),
        "{level}"
    );
    // Tap 2: its page; "Copier sur ma clé USB" puts it in the selection and opens the copy page.
    let page = kiosk.get(&format!("/kiosque/document/{id}")).text();
    assert!(page.contains("Pythagore"), "{page}");
    assert!(page.contains("value=\"/kiosque/cle/selection\""), "{page}");
    let added = kiosk.post_form(
        "/kiosque/panier",
        &[
            ("action", "ajouter"),
            ("id", &id),
            ("retour", "/kiosque/cle/selection"),
        ],
    );
    assert_eq!(added.header("location"), Some("/kiosque/cle/selection"));
    let copy = kiosk.get("/kiosque/cle/selection").text();
    assert!(
        copy.contains("Ma sélection") && copy.contains("1 document(s)"),
        "{copy}"
    );
    // Tap 3: the stick.
    let started = kiosk.post_form("/kiosque/cle/selection", &[("cle", &stick_value(&copy))]);
    assert_eq!(started.status, 303, "{}", started.text());
    let progress = started.header("location").unwrap().to_owned();
    assert!(raw::eventually(Duration::from_secs(60), || kiosk
        .get(&progress)
        .text()
        .contains("Copie terminée")));
    assert!(common::files_under(&sticks.path().join("BAC"))
        .iter()
        .any(|p| p.to_string_lossy().to_lowercase().contains("pythagore")));

    // A phone sees the document but no copy button.
    let (_, on_phone) = phone_get(&server, 5, &format!("/kiosque/document/{id}"));
    assert!(!on_phone.contains("/kiosque/cle/selection"), "{on_phone}");
    assert!(
        on_phone.contains("/kiosque/impression/selection"),
        "{on_phone}"
    );
}

#[test]
fn a_class_is_sent_to_the_desk_for_printing_with_one_tap() {
    let server = TestServer::start();
    let first = upload(&server, "cours.txt", "Le cours sur les fonctions", "1re");
    let second = upload(
        &server,
        "exercices.txt",
        "Les exercices de fonctions",
        "1re",
    );
    let mut kiosk = server.browser();
    assert!(kiosk
        .get("/kiosque/impression")
        .text()
        .contains("href=\"/kiosque/impression/1re\""));
    let list = kiosk.get("/kiosque/impression/1re").text();
    for id in [&first, &second] {
        assert!(
            list.contains(&format!("name=\"id\" value=\"{id}\" checked")),
            "{list}"
        );
    }
    let asked = kiosk.post_form("/kiosque/impression", &[("id", &first), ("id", &second)]);
    assert_eq!(asked.status, 303, "{}", asked.text());
    let ticket_url = asked.header("location").unwrap().to_owned();
    assert!(ticket_url.starts_with("/kiosque/ticket/"), "{ticket_url}");
    let ticket = kiosk.get(&ticket_url).text();
    assert!(ticket.contains("Votre numéro"), "{ticket}");
    assert!(ticket.contains("2 document(s)"), "{ticket}");
    assert!(ticket.contains("/kiosque/fin"), "{ticket}");
    let nothing = kiosk.post_form("/kiosque/impression", &[]);
    assert_eq!(nothing.status, 400);
    assert!(
        nothing.text().contains("/kiosque/fin"),
        "an error page goes home too"
    );
}

#[test]
fn going_home_after_inactivity_clears_the_basket() {
    let server = TestServer::start();
    let id = upload(
        &server,
        "lecture.txt",
        "Une lecture pour la semaine",
        "2nde",
    );
    let mut kiosk = server.browser();
    kiosk.post_form(
        "/kiosque/panier",
        &[
            ("action", "ajouter"),
            ("id", &id),
            ("retour", "/kiosque/cle"),
        ],
    );
    kiosk.get("/langue/en?retour=/kiosque");
    let before = kiosk.get("/kiosque/cle").text();
    assert!(before.contains("My selection (1)"), "{before}");

    // Every kiosk page goes to the reset when left alone.
    for path in [
        "/kiosque/cle",
        "/kiosque/trouver",
        "/kiosque/impression/2nde",
        &format!("/kiosque/document/{id}"),
    ] {
        let page = kiosk.get(path).text();
        assert!(page.contains("url=/kiosque/fin"), "{path}: {page}");
    }

    let reset = kiosk.get("/kiosque/fin");
    assert_eq!(reset.status, 303);
    assert_eq!(reset.header("location"), Some("/kiosque"));
    let cookies = reset.headers.get("set-cookie").cloned().unwrap_or_default();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("cartable_panier=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    let after = kiosk.get("/kiosque/cle").text();
    assert!(
        !after.contains("sélection (") && !after.contains("selection ("),
        "{after}"
    );
    assert!(
        after.contains("Choisissez la classe"),
        "back in French: {after}"
    );
    assert!(kiosk.get("/panier").text().contains("Le panier est vide"));
}

#[test]
fn the_kiosk_is_served_and_says_so_when_families_are_asked_to_wait() {
    let capacity = Capacity {
        family_requests: 1,
        queue_wait: Duration::from_millis(300),
        ..Capacity::DEFAULT
    };
    let server = TestServer::start_with_capacity(capacity, 5);
    // A phone that sends half of a form holds the one family page slot.
    let mut slow = raw::connect(&server.base, phone(2), false);
    slow.write_all(
        b"POST /panier HTTP/1.1\r\nHost: cartable.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nid=",
    )
    .unwrap();
    let held = raw::eventually(Duration::from_secs(10), || {
        server
            .browser()
            .get("/metrics")
            .text()
            .contains("cartable_requests_in_flight{class=\"family_page\"} 1")
    });
    assert!(held);
    assert_eq!(phone_get(&server, 3, "/").0, 503);
    let page = server.browser().get("/kiosque");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("saturé"), "{}", page.text());
    drop(slow);
}

#[test]
fn the_kiosk_pages_are_light() {
    let server = TestServer::start();
    let weight = server.browser().get("/kiosque").body.len();
    assert!(weight < 12 * 1024, "the kiosk home weighs {weight} bytes");
}
