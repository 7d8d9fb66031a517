//! Print requests and the printable version through the real server: a family asks at the kiosk
//! and gets a ticket, the desk sees the queue, downloads or prints the pack (with a small script
//! standing in for `lp`), marks done or cancels. The pack's own content is checked in
//! tests/pack.rs; here, that what the family and the desk get is that PDF.

mod common;

use std::process::Command;

use std::path::{Path, PathBuf};

use common::server::{Answer, Browser, TestServer, TEACHER};
use common::upload::{pack_with_a_staff_document, upload_one};

fn add_to_basket(browser: &mut Browser, id: &str) {
    let answer = browser.post_form(
        "/panier",
        &[("action", "ajouter"), ("id", id), ("retour", "/panier")],
    );
    assert_eq!(answer.status, 303, "{}", answer.text());
}

/// Asks for printing; returns the ticket page's path.
fn ask_printing(browser: &mut Browser) -> String {
    let answer = browser.post_form("/panier/impression", &[]);
    assert_eq!(answer.status, 303, "{}", answer.text());
    answer.header("location").unwrap().to_owned()
}

/// The number shown big on a ticket page, and the estimated pages.
fn ticket_of(page: &Answer) -> (u32, u32) {
    let text = page.text();
    let number = between(&text, "class=\"ticket-number\">", "<");
    let pages = between(&text, "Environ ", " pages");
    (
        number.trim().parse().unwrap_or_else(|_| panic!("{text}")),
        pages.trim().parse().unwrap_or_else(|_| panic!("{text}")),
    )
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in {text}"))
        + start.len();
    text[at..].split(end).next().unwrap()
}

/// The request id in `/impression/ID`.
fn request_id(ticket_path: &str) -> String {
    ticket_path.trim_start_matches("/impression/").to_owned()
}

/// A stand-in for `lp`: records its arguments and copies the file it was given, or fails like
/// `lp` does when `broken` exists beside it.
fn fake_printer(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("fake-lp");
    let out = dir.display();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             if [ -e '{out}/broken' ]; then echo 'lp: Error - The printer or class does not exist.' >&2; exit 1; fi\n\
             printf '%s\\n' \"$@\" > '{out}/args'\n\
             for last; do :; done\n\
             cp \"$last\" '{out}/printed.pdf'\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn staff_action(browser: &mut Browser, id: &str, csrf: &str, action: &str) -> Answer {
    browser.post_form(
        &format!("/staff/impressions/{id}"),
        &[("csrf", csrf), ("action", action)],
    )
}

#[test]
fn print_request_flow_through_the_real_server() {
    let printer_dir = tempfile::tempdir().unwrap();
    let script = fake_printer(printer_dir.path());
    let server = TestServer::start_printing_with(&format!("{} -d salle-cdi", script.display()));
    let photosynthesis = upload_one(
        &server,
        "photo.pdf",
        &common::pdf(),
        &[("title", "Photosynthèse, cours"), ("level", "2nde")],
    );
    let revolution = upload_one(
        &server,
        "revolution.docx",
        &common::docx(),
        &[("title", "La Révolution française"), ("level", "2nde")],
    );
    let hidden = upload_one(
        &server,
        "corrige.odt",
        &common::odt(),
        &[("title", "Corrigé du professeur"), ("visibility", "staff")],
    );

    // A family at the kiosk: the basket page offers both ways of printing.
    let mut family = server.browser();
    for id in [&photosynthesis, &revolution, &hidden] {
        add_to_basket(&mut family, id);
    }
    let basket = family.get("/panier").text();
    assert!(
        basket.contains("Demander l'impression")
            && basket.contains("Version imprimable (PDF)")
            && basket.contains("action=\"/panier/impression\""),
        "{basket}"
    );
    let first_path = ask_printing(&mut family);
    let page = family.get(&first_path);
    assert_eq!(page.status, 200);
    let (first_ticket, pages) = ticket_of(&page);
    assert!(pages > 0);
    // An open ticket keeps itself up to date without script, unless the family stops it.
    assert_eq!(page.header("refresh"), Some("20"));
    let fixed = family.get(&format!("{first_path}?fixe"));
    assert_eq!(fixed.header("refresh"), None);
    assert!(fixed.text().contains("Mettre à jour maintenant"));
    assert!(
        page.text().contains("Présentez ce numéro à l'accueil")
            && page.text().contains("2 document(s)"),
        "only the public documents are asked for: {}",
        page.text()
    );
    assert_eq!(
        ask_printing(&mut family),
        first_path,
        "asking twice for the same basket gives the same ticket"
    );

    // Another family asks for one document: another ticket.
    let mut other = server.browser();
    add_to_basket(&mut other, &revolution);
    let second_path = ask_printing(&mut other);
    let (second_ticket, _) = ticket_of(&other.get(&second_path));
    assert_ne!(first_ticket, second_ticket);
    let (first, second) = (request_id(&first_path), request_id(&second_path));

    // The desk sees both in the queue.
    let mut desk = server.browser();
    desk.log_in(TEACHER);
    let queue = desk.get("/staff/impressions");
    assert_eq!(queue.status, 200);
    let text = queue.text();
    assert!(
        text.contains("href=\"/staff/impressions\"")
            && text.contains(&format!("class=\"ticket-cell\">{first_ticket}<"))
            && text.contains(&format!("class=\"ticket-cell\">{second_ticket}<"))
            && text.contains("Photosynthèse, cours")
            && text.contains("La Révolution française")
            && !text.contains("Corrigé du professeur")
            && text.contains("value=\"imprimer\""),
        "{text}"
    );
    let csrf = queue.csrf();

    // "Télécharger le PDF".
    let pdf = desk.get(&format!("/staff/impressions/{first}/pdf"));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
    assert!(pdf
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment;") && d.contains("filename*=UTF-8''")));

    // "Imprimer": the script gets the pack after the configured arguments.
    let printed = staff_action(&mut desk, &first, &csrf, "imprimer");
    assert_eq!(printed.status, 303, "{}", printed.text());
    let args = std::fs::read_to_string(printer_dir.path().join("args")).unwrap();
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(&args[..2], &["-d", "salle-cdi"], "{args:?}");
    assert_eq!(args.len(), 3, "{args:?}");
    let copy = std::fs::read(printer_dir.path().join("printed.pdf")).unwrap();
    assert!(copy.starts_with(b"%PDF"));
    let location = printed.header("location").unwrap().to_owned();
    let after = desk.get(&location).text();
    assert!(
        after.contains(&format!("n° {first_ticket} envoyée à l'imprimante"))
            && after.contains("Imprimer à nouveau"),
        "{after}"
    );
    assert!(family
        .get(&first_path)
        .text()
        .contains("En cours d'impression"));

    // A printer that refuses: said in French on the queue page, and the request still waits.
    std::fs::write(printer_dir.path().join("broken"), b"").unwrap();
    let refused = staff_action(&mut desk, &second, &csrf, "imprimer");
    assert!(refused.status >= 400, "{}", refused.status);
    let text = refused.text();
    assert!(
        text.contains("L'impression a échoué")
            && text.contains("The printer or class does not exist")
            && text.contains(&format!("class=\"ticket-cell\">{second_ticket}<")),
        "{text}"
    );
    assert!(other.get(&second_path).text().contains("En attente"));

    // "Terminé" and "Annuler": both leave the open queue and show below, greyed.
    assert_eq!(
        staff_action(&mut desk, &first, &csrf, "terminer").status,
        303
    );
    assert_eq!(
        staff_action(&mut desk, &second, &csrf, "annuler").status,
        303
    );
    let queue = desk.get("/staff/impressions").text();
    assert!(
        queue.contains("Aucune demande en attente")
            && queue.contains("Traitées aujourd'hui")
            && queue.contains("Imprimé.")
            && queue.contains("Demande annulée."),
        "{queue}"
    );
    assert!(other.get(&second_path).text().contains("Demande annulée"));
    let printed = family.get(&first_path);
    assert_eq!(printed.header("refresh"), None, "nothing more will change");
    assert!(
        printed.text().contains("C'est imprimé"),
        "{}",
        printed.text()
    );
    let again = staff_action(&mut desk, &first, &csrf, "terminer");
    assert_eq!(again.status, 409);
    assert!(again.text().contains("déjà terminée"), "{}", again.text());

    // The same basket asked for again is a new request (the old one is closed).
    assert_ne!(ask_printing(&mut family), first_path);
}

#[test]
fn families_cannot_use_the_print_queue_and_forms_need_their_token() {
    let server = TestServer::start_printing_with("");
    let id = upload_one(&server, "photo.pdf", &common::pdf(), &[]);
    let mut family = server.browser();
    add_to_basket(&mut family, &id);
    let request = request_id(&ask_printing(&mut family));

    // Asking for the queue's page leads to the login form, which comes back to it.
    let queue = family.get("/staff/impressions");
    assert_eq!(queue.status, 303);
    assert_eq!(
        queue.header("location"),
        Some("/connexion?retour=/staff/impressions")
    );
    for action in ["terminer", "annuler", "imprimer"] {
        let answer = family.post_form(
            &format!("/staff/impressions/{request}"),
            &[("action", action), ("csrf", "devine")],
        );
        assert_eq!(answer.status, 401, "{action}");
    }
    assert_eq!(
        family
            .get(&format!("/staff/impressions/{request}/pdf"))
            .status,
        303
    );

    let mut desk = server.browser();
    desk.log_in(TEACHER);
    let without = desk.post_form(
        &format!("/staff/impressions/{request}"),
        &[("action", "annuler")],
    );
    assert_eq!(without.status, 403);
    assert!(without.text().contains("Le formulaire a expiré"));
    let wrong = desk.post_form(
        &format!("/staff/impressions/{request}"),
        &[("action", "annuler"), ("csrf", "pas-le-bon")],
    );
    assert_eq!(wrong.status, 403);
    let queue = desk.get("/staff/impressions");
    let text = queue.text();
    assert!(
        !text.contains("Aucune demande en attente")
            && text.contains("Pas d'imprimante configurée")
            && !text.contains("value=\"imprimer\""),
        "still open, and no print button without a print command: {text}"
    );
    let csrf = queue.csrf();
    let print = staff_action(&mut desk, &request, &csrf, "imprimer");
    assert_eq!(print.status, 400);
    assert!(print.text().contains("Aucune commande d'impression"));
}

#[test]
fn a_print_command_that_is_not_installed_offers_no_print_button() {
    let server = TestServer::start_printing_with("/nulle/part/lp");
    let id = upload_one(&server, "photo.pdf", &common::pdf(), &[]);
    let mut family = server.browser();
    add_to_basket(&mut family, &id);
    let request = request_id(&ask_printing(&mut family));
    let mut desk = server.browser();
    desk.log_in(TEACHER);
    let queue = desk.get("/staff/impressions");
    assert!(
        !queue.text().contains("value=\"imprimer\""),
        "{}",
        queue.text()
    );
    let csrf = queue.csrf();
    let print = staff_action(&mut desk, &request, &csrf, "imprimer");
    assert!(
        print.text().contains("« /nulle/part/lp » est introuvable"),
        "{}",
        print.text()
    );
}

#[test]
fn an_empty_basket_is_refused_in_french() {
    let server = TestServer::start();
    let hidden = upload_one(
        &server,
        "corrige.pdf",
        &common::pdf(),
        &[("visibility", "staff")],
    );
    let mut family = server.browser();
    let empty = family.post_form("/panier/impression", &[]);
    assert_eq!(empty.status, 400);
    assert!(
        empty.text().contains("Le panier est vide"),
        "{}",
        empty.text()
    );
    // A basket holding only a staff document is empty for printing too.
    add_to_basket(&mut family, &hidden);
    let staff_only = family.post_form("/panier/impression", &[]);
    assert_eq!(staff_only.status, 400);
    assert!(staff_only.text().contains("panier est vide"));
    let pdf = family.get("/panier/imprimable.pdf?ids=");
    assert_eq!(pdf.status, 400);
    assert!(pdf.text().contains("Le panier est vide"));
    let hidden_pdf = family.get(&format!("/panier/imprimable.pdf?ids={hidden}"));
    assert_eq!(
        hidden_pdf.status, 400,
        "a staff document never leaves as a PDF"
    );
}

#[test]
fn a_full_queue_refuses_new_requests_in_french() {
    let server = TestServer::start();
    let ids: Vec<String> = (0..5)
        .map(|i| {
            upload_one(
                &server,
                &format!("fiche-{i}.txt"),
                format!("Fiche de révision numéro {i}").as_bytes(),
                &[],
            )
        })
        .collect();
    // 31 different baskets: every non-empty subset of the five documents.
    let mut last = None;
    for mask in 1..32u32 {
        let mut family = server.browser();
        for (i, id) in ids.iter().enumerate() {
            if mask & (1 << i) != 0 {
                add_to_basket(&mut family, id);
            }
        }
        last = Some(family.post_form("/panier/impression", &[]));
        if mask <= cartable::service::MAX_OPEN_REQUESTS as u32 {
            assert_eq!(last.as_ref().unwrap().status, 303, "request {mask}");
        }
    }
    let refused = last.unwrap();
    assert_eq!(refused.status, 409);
    assert!(
        refused.text().contains("La file d'impression est pleine"),
        "{}",
        refused.text()
    );
}

#[test]
fn the_printable_version_is_one_pdf_and_its_link_lists_only_public_documents() {
    let server = TestServer::start();
    let [photosynthesis, revolution, hidden] = pack_with_a_staff_document(&server);
    let ids = format!("{photosynthesis}.{revolution}.{hidden}");
    // No cookie needed: the ids are in the link.
    let mut family = server.browser();
    // As a phone on the school Wi-Fi asks for it (a visitor on the machine itself would get the
    // server's network address instead, or no QR code when it has none).
    let pdf = family.get_with(
        &format!("/panier/imprimable.pdf?ids={ids}"),
        &[("Host", "192.168.1.10:8080")],
    );
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
    assert_eq!(
        pdf.header("content-length"),
        Some(pdf.body.len().to_string().as_str())
    );
    // The pack holds the two public documents' text, not the staff one's, and its cover points
    // to the page listing them on the address the family used.
    let saved = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(saved.path(), &pdf.body).unwrap();
    let text = Command::new("pdftotext")
        .arg(saved.path())
        .arg("-")
        .output()
        .expect("pdftotext is installed (apt-get install poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout).replace('\n', " ");
    assert!(text.contains(common::PDF_PHRASE), "{text}");
    assert!(text.contains(common::DOCX_PHRASE), "{text}");
    assert!(!text.contains(common::ODT_PHRASE), "{text}");
    // Its short address (see tests/short_address.rs).
    assert!(text.contains("http://192.168.1.10:8080/s/"), "{text}");
    let disposition = pdf.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains("filename*=UTF-8''Version%20imprimable")
            && disposition.contains(".pdf"),
        "{disposition}"
    );

    let selection = family.get(&format!("/selection?ids={ids}"));
    assert_eq!(selection.status, 200);
    let text = selection.text();
    assert!(
        text.contains("Photosynthèse, cours")
            && text.contains("La Révolution française")
            && text.contains(&format!("/documents/{photosynthesis}/file"))
            && text.contains(&format!("/bundle.zip?ids={photosynthesis}.{revolution}\""))
            && text.contains("Tout mettre dans le panier"),
        "{text}"
    );
    // (The id itself is in the page's language switch link, which echoes the address.)
    assert!(
        !text.contains("Corrigé du professeur") && !text.contains(&format!("/documents/{hidden}")),
        "{text}"
    );
    // A staff member sees the same public list: it is what a family's QR code shows.
    let mut desk = server.browser();
    desk.log_in(TEACHER);
    assert!(!desk
        .get(&format!("/selection?ids={ids}"))
        .text()
        .contains("Corrigé du professeur"));

    // "Tout mettre dans le panier".
    let all_ids = format!("{photosynthesis}.{revolution}");
    let put = family.post_form(
        "/panier",
        &[
            ("action", "ajouter-tout"),
            ("ids", &all_ids),
            ("retour", "/panier"),
        ],
    );
    assert_eq!(put.status, 303);
    assert_eq!(family.cookies.get("cartable_panier"), Some(&all_ids));
    let basket = family.get("/panier").text();
    assert!(
        basket.contains(&format!("/panier/imprimable.pdf?ids={all_ids}")),
        "{basket}"
    );
}
