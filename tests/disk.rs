//! The disk: uploads that would take the reserve kept for the catalog are refused (507, in
//! French, nothing stored) while logins and removals go on; `cartable remove` removes as the
//! web does; leftovers of a kill -9 (temp files, stored files without a row) are gone after a
//! restart, so `check` is clean without `--repair`. All against the real binary.

mod common;

use std::path::Path;

use common::run::{cartable, finish};
use common::served::{run_with_input, Served};
use common::server::Part;

const ADMIN: (&str, &str) = ("proviseur", "un-mot-de-passe-solide");

/// A data folder with an admin and one imported document; returns the document's id.
fn folder_with_a_document(dir: &Path) -> String {
    let data = dir.join("data");
    let added = finish(run_with_input(
        &data,
        &["user", "add", ADMIN.0, "--role", "admin"],
        format!("{}\n", ADMIN.1).as_bytes(),
    ));
    assert_eq!(added.code, 0, "{}", added.stderr);
    let file = dir.join("Photosynthèse.pdf");
    std::fs::write(&file, common::pdf()).unwrap();
    let imported = cartable(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let found = search(&data, "photosynthese");
    found["hits"][0]["id"].as_str().unwrap().to_owned()
}

fn search(data: &Path, query: &str) -> serde_json::Value {
    let run = cartable(data, &["search", query, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn stored_files(data: &Path) -> usize {
    common::files_under(&data.join("files")).len()
}

#[test]
fn a_reserve_bigger_than_the_free_space_refuses_uploads_with_507_yet_logins_and_deletes_work() {
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_a_document(dir.path());
    let data = dir.path().join("data");
    let token = cartable(&data, &["user", "token", ADMIN.0]).stdout;
    let token = token.trim().to_owned();
    // 1 PB: more than any test machine has free.
    let served = Served::start_with(&data, &[("CARTABLE_DISK_RESERVE_MB", "1073741824")]);
    let before = stored_files(&data);

    let mut staff = served.browser();
    staff.log_in(ADMIN);
    let csrf = staff.get("/staff/upload").csrf();
    let refused = staff.post_multipart(
        "/staff/upload",
        &[
            Part::Field("csrf", &csrf),
            Part::File("file", "Cours.txt", "La mitose en trois phases.".as_bytes()),
        ],
        &[],
    );
    assert_eq!(refused.status, 507, "{}", refused.text());
    let page = refused.text();
    assert!(
        page.contains("Espace disque insuffisant")
            && page.contains("gardés en réserve pour le catalogue"),
        "{page}"
    );

    let bearer = format!("Bearer {token}");
    let api = staff.post_multipart(
        "/api/documents",
        &[Part::File("file", "Cours.txt", b"La meiose.")],
        &[("Authorization", &bearer)],
    );
    assert_eq!(api.status, 507, "{}", api.text());
    assert_eq!(api.json()["code"], "disk_reserve", "{}", api.text());

    // Under the English interface, the same refusal in English.
    staff.cookies.insert("cartable_lang".into(), "en".into());
    let english = staff.post_multipart(
        "/staff/upload",
        &[
            Part::Field("csrf", &csrf),
            Part::File("file", "Cours.txt", b"La meiose."),
        ],
        &[],
    );
    assert_eq!(english.status, 507);
    assert!(
        english.text().contains("Not enough disk space"),
        "{}",
        english.text()
    );
    staff.cookies.remove("cartable_lang");

    // The shell's import goes through the server and is refused the same way, in French.
    let file = dir.path().join("Mitose.txt");
    std::fs::write(&file, "La mitose.").unwrap();
    let import = cartable(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(import.code, 1, "{}", import.stderr);
    assert!(
        import.stderr.contains("espace disque insuffisant"),
        "{}",
        import.stderr
    );

    // Nothing was stored, nothing is left in tmp/.
    assert_eq!(stored_files(&data), before);
    assert!(common::files_under(&data.join("tmp")).is_empty());
    assert_eq!(search(&data, "mitose")["total"], 0);

    // A new login and a deletion still work.
    let mut another = served.browser();
    another.log_in(ADMIN);
    let csrf = another.get("/staff/upload").csrf();
    let deleted = another.post_form(
        &format!("/staff/documents/{id}/delete"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(deleted.status, 303, "{}", deleted.text());
    assert_eq!(stored_files(&data), before - 1);
    served.stop();
}

#[test]
fn cartable_remove_removes_from_catalog_search_and_files_and_names_an_unknown_id() {
    let dir = tempfile::tempdir().unwrap();
    let id = folder_with_a_document(dir.path());
    let data = dir.path().join("data");
    assert_eq!(stored_files(&data), 1);

    let unknown = "0123456789abcdef0123456789abcdef";
    let run = cartable(&data, &["remove", &id, unknown, "pas-un-id"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("Supprimé : {id} « Photosynthèse »")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("aucun document n'a l'identifiant « {unknown} »"))
            && run
                .stderr
                .contains("aucun document n'a l'identifiant « pas-un-id »"),
        "{}",
        run.stderr
    );
    assert_eq!(search(&data, "photosynthese")["total"], 0);
    assert_eq!(stored_files(&data), 0);
    let listed = cartable(&data, &["check", "--json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let report: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(report["documents"], 0);

    // Beside the server, the server removes it: its pages and search forget it at once.
    let file = dir.path().join("Révolution.txt");
    std::fs::write(&file, "La Révolution française commence en 1789.").unwrap();
    assert_eq!(cartable(&data, &["import", file.to_str().unwrap()]).code, 0);
    let id = search(&data, "revolution")["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let served = Served::start(&data);
    assert_eq!(
        served.browser().get(&format!("/documents/{id}")).status,
        200
    );
    let run = cartable(&data, &["remove", &id]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 document(s) supprimé(s)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        served.browser().get(&format!("/documents/{id}")).status,
        404
    );
    let found = served.browser().get("/api/search?q=revolution").json();
    assert_eq!(found["total"], 0, "{found}");
    assert_eq!(stored_files(&data), 0);
    served.stop();
}

#[test]
fn leftovers_of_a_kill_are_gone_after_a_restart_and_check_is_clean_without_repair() {
    let dir = tempfile::tempdir().unwrap();
    folder_with_a_document(dir.path());
    let data = dir.path().join("data");
    let served = Served::start(&data);
    served.kill();
    // What a kill -9 leaves: an upload half-received, a file stored just before its row.
    std::fs::write(data.join("tmp").join("upload-a1b2c3"), b"half an upload").unwrap();
    let orphan = format!("ab{}", "0".repeat(62));
    std::fs::create_dir_all(data.join("files").join("ab")).unwrap();
    std::fs::write(data.join("files").join("ab").join(&orphan), b"no row").unwrap();

    let served = Served::start(&data);
    assert!(!data.join("tmp").join("upload-a1b2c3").exists());
    assert!(!data.join("files").join("ab").join(&orphan).exists());
    let check = cartable(&data, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("Tout est en ordre."),
        "{}",
        check.stderr
    );
    assert_eq!(stored_files(&data), 1, "the document's own file stays");
    served.stop();
}

#[test]
fn check_repair_says_how_much_it_freed() {
    let dir = tempfile::tempdir().unwrap();
    folder_with_a_document(dir.path());
    let data = dir.path().join("data");
    // A cache made again on demand, and a temp file.
    std::fs::create_dir_all(data.join("reading")).unwrap();
    std::fs::write(data.join("reading").join("x.json"), vec![b'a'; 300 * 1024]).unwrap();
    std::fs::write(data.join("tmp").join("pack-1"), vec![0u8; 200 * 1024]).unwrap();
    let run = cartable(&data, &["check", "--repair", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["freed_bytes"].as_u64().unwrap() >= 300 * 1024,
        "{report}"
    );
    assert!(!data.join("reading").join("x.json").exists());
    let run = cartable(&data, &["check", "--repair"]);
    assert!(run.stderr.contains("Place libérée :"), "{}", run.stderr);
}
