//! `cartable backup` and `cartable restore` with the real binary: backed up while `cartable serve`
//! runs on the data folder (to a folder and to a zip), restored into new folders, and every
//! document (metadata, bytes, search), account (its password), setting, print request and short
//! address compared. A folder backup is incremental. Refusals are in tests/restore.rs.

mod common;

use std::path::Path;

use cartable::model::{DocumentFilter, DocumentId};
use cartable::service::Core;
use common::backup::{backup, blob_count, restore, sha};
use common::run::{cartable, finish};
use common::served::{run_with_input, Served};
use common::server::{Browser, Part};

const ADMIN: (&str, &str) = ("directrice", "mot-de-passe-directrice");
const TEACHER: (&str, &str) = ("m.durand", "mot-de-passe-durand");

/// The documents served: file name, content, title, visibility, a phrase their text holds.
fn documents() -> Vec<(
    &'static str,
    Vec<u8>,
    &'static str,
    &'static str,
    &'static str,
)> {
    vec![
        (
            "photo.pdf",
            common::pdf(),
            "Photosynthèse",
            "public",
            "photosynthese",
        ),
        (
            "revolution.docx",
            common::docx(),
            "Révolution",
            "public",
            "revolution francaise",
        ),
        (
            "pythagore.odt",
            common::odt(),
            "Pythagore",
            "public",
            "theoreme pythagore",
        ),
        (
            "theatre.html",
            common::html_cp1252(),
            "Théâtre",
            "public",
            "repetition generale",
        ),
        (
            "meteo.txt",
            common::txt_cp1252(),
            "Corrigé",
            "staff",
            "meteorologie previsions",
        ),
    ]
}

fn add_account(data: &Path, (login, password): (&str, &str), role: &str) {
    let added = finish(run_with_input(
        data,
        &["user", "add", login, "--role", role],
        format!("{password}\n").as_bytes(),
    ));
    assert_eq!(added.code, 0, "{}", added.stderr);
}

fn upload(
    served: &Served,
    token: &str,
    (name, bytes, title, visibility, _): &DocumentSpec,
) -> String {
    let parts = [
        Part::Field("title", title),
        Part::Field("visibility", visibility),
        Part::Field("level", "2nde"),
        Part::File("file", name, bytes),
    ];
    let bearer = format!("Bearer {token}");
    let answer = served.browser().post_multipart(
        "/api/documents",
        &parts,
        &[("Authorization", bearer.as_str())],
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
    answer.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

type DocumentSpec = (
    &'static str,
    Vec<u8>,
    &'static str,
    &'static str,
    &'static str,
);

fn logged_in(served: &Served, account: (&str, &str)) -> Browser {
    let mut browser = served.browser();
    browser.log_in(account);
    browser
}

/// Everything a restore must give back, read through the library.
#[derive(Debug, PartialEq)]
struct Contents {
    documents: Vec<cartable::model::Document>,
    /// The SHA-256 of each document's file as read back.
    bytes: Vec<String>,
    accounts: Vec<cartable::model::Account>,
    school: cartable::model::School,
    prints: String,
    short_code: String,
}

fn contents(data: &Path, selection: &[DocumentId]) -> Contents {
    let core = common::open_core(data);
    let filter = DocumentFilter {
        limit: 100,
        ..DocumentFilter::default()
    };
    let (documents, _) = core.list(&filter).unwrap();
    let bytes = documents
        .iter()
        .map(|d| sha(&std::fs::read(core.download(&d.id).unwrap().1).unwrap()))
        .collect();
    Contents {
        documents,
        bytes,
        accounts: core.accounts().list().unwrap(),
        school: core.school("(aucun réglage)").unwrap(),
        prints: format!("{:?}", core.print_queue().unwrap()),
        short_code: core.short_code(selection).unwrap().to_string(),
    }
}

/// Every phrase finds its document, at once, in a restored folder.
fn searchable(core: &Core, phrases: &[(&str, String)]) {
    for (phrase, id) in phrases {
        let filter = DocumentFilter {
            limit: 10,
            ..DocumentFilter::default()
        };
        let hits: Vec<String> = core
            .search(phrase, &filter)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert!(hits.contains(id), "{phrase:?} finds {hits:?}, not {id}");
    }
}

#[test]
fn a_backup_taken_while_serving_restores_every_document_account_setting_and_print_request() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = Served::start(&data);
    add_account(&data, ADMIN, "admin");
    add_account(&data, TEACHER, "teacher");
    let token = cartable(&data, &["user", "token", TEACHER.0]);
    assert_eq!(token.code, 0, "{}", token.stderr);
    let token = token.stdout.trim().to_owned();
    let specs = documents();
    let ids: Vec<String> = specs
        .iter()
        .map(|spec| upload(&served, &token, spec))
        .collect();
    let phrases: Vec<(&str, String)> = specs.iter().map(|s| s.4).zip(ids.clone()).collect();

    let mut admin = logged_in(&served, ADMIN);
    let csrf = admin.get("/staff/admin").csrf();
    let saved = admin.post_form(
        "/staff/admin/school",
        &[
            ("csrf", &csrf),
            ("name", "Lycée Marie Curie"),
            ("wifi_name", "CDI-Curie"),
            ("wifi_security", "WPA"),
            ("wifi_password", "photosynthese"),
            ("levels", "2nde\n1re\nTle"),
            ("subjects", "Mathématiques\nSVT"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    // A family asks for printing at the kiosk, and takes a printable pack (its short address).
    let mut family = served.browser();
    for id in &ids[..2] {
        let added = family.post_form(
            "/panier",
            &[("action", "ajouter"), ("id", id), ("retour", "/panier")],
        );
        assert_eq!(added.status, 303, "{}", added.text());
    }
    let asked = family.post_form("/panier/impression", &[]);
    assert_eq!(asked.status, 303, "{}", asked.text());
    let selection = format!("{}.{}", ids[0], ids[3]);
    // As a phone on the Wi-Fi asks for it: its cover then carries a short address.
    let pack = family.get_with(
        &format!("/panier/imprimable.pdf?ids={selection}"),
        &[("Host", "192.168.1.10:8080")],
    );
    assert_eq!(pack.status, 200, "{}", pack.text());

    // Both backups while the server serves.
    let (to_folder, to_zip) = (
        dir.path().join("usb/sauvegarde"),
        dir.path().join("usb/cartable.zip"),
    );
    let first = backup(&data, &to_folder);
    assert!(
        first.stderr.contains("8 fichier(s) copié(s)"),
        "{}",
        first.stderr
    );
    backup(&data, &to_zip);
    assert_eq!(served.browser().get("/healthz").status, 200);

    // A second backup to the same folder, after one document added and one deleted, copies the
    // new file only and drops the deleted one's.
    let extra = common::pdf_with_lines(&["Les volcans d'Auvergne"]);
    let added = upload(
        &served,
        &token,
        &("volcans.pdf", extra.clone(), "Volcans", "public", ""),
    );
    let deleted = admin.post_form(
        &format!("/staff/documents/{}/delete", ids[2]),
        &[("csrf", csrf.as_str()), ("confirm", "yes")],
    );
    assert_eq!(deleted.status, 303, "{}", deleted.text());
    let scratch = dir.path().join("scratch");
    let again = backup(&data, &scratch);
    assert!(
        again.stderr.contains("8 fichier(s) copié(s)"),
        "{}",
        again.stderr
    );
    let second = backup(&data, &to_folder);
    assert!(
        second.stderr.contains("1 fichier(s) copié(s)")
            && second.stderr.contains("7 déjà présent(s), 1 retiré(s)"),
        "{}",
        second.stderr
    );
    assert_eq!(blob_count(&to_folder), 8);
    let odt_sha = sha(&specs[2].1);
    assert!(!to_folder
        .join("files")
        .join(&odt_sha[..2])
        .join(&odt_sha)
        .exists());
    let new_sha = sha(&extra);
    assert!(to_folder
        .join("files")
        .join(&new_sha[..2])
        .join(&new_sha)
        .exists());
    served.stop();

    let selection: Vec<DocumentId> = selection.split('.').filter_map(DocumentId::parse).collect();
    // The zip was taken before the change, the folder after: compare each with its moment.
    let restored_zip = dir.path().join("restored-zip");
    let run = restore(&to_zip, &restored_zip);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let restored_folder = dir.path().join("restored-folder");
    let run = restore(&to_folder, &restored_folder);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("tout est en ordre"), "{}", run.stderr);

    let original = contents(&data, &selection);
    assert_eq!(original.documents.len(), 8);
    assert_eq!(original.school.name, "Lycée Marie Curie");
    assert!(original.prints.contains("ticket: 1"), "{}", original.prints);
    assert_eq!(contents(&restored_folder, &selection), original);
    let from_zip = contents(&restored_zip, &selection);
    assert_eq!(from_zip.documents.len(), 8);
    assert!(from_zip.documents.iter().any(|d| d.id.as_str() == ids[2]));
    assert_eq!(
        (
            &from_zip.accounts,
            &from_zip.school,
            &from_zip.prints,
            &from_zip.short_code
        ),
        (
            &original.accounts,
            &original.school,
            &original.prints,
            &original.short_code
        )
    );
    searchable(&common::open_core(&restored_zip), &phrases);
    let mut phrases_after = phrases.clone();
    phrases_after.remove(2);
    phrases_after.push(("volcans auvergne", added));
    searchable(&common::open_core(&restored_folder), &phrases_after);

    // The restored server lets both accounts in with their passwords, takes the teacher's API
    // token, and finds the staff-only document for staff only.
    let served = Served::start(&restored_zip);
    logged_in(&served, ADMIN);
    logged_in(&served, TEACHER);
    let bearer = format!("Bearer {token}");
    let staff = served
        .browser()
        .get_with("/api/search?q=meteorologie", &[("Authorization", &bearer)])
        .json();
    assert_eq!(staff["total"], 1, "{staff}");
    let public = served.browser().get("/api/search?q=meteorologie").json();
    assert_eq!(public["total"], 0, "{public}");
    served.stop();
}
