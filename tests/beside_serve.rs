//! The shell commands while the real `cartable serve` runs on the same data folder: they are
//! handed to the server over `DATA/control.sock` and behave as when run alone (same summary, same
//! exit codes), the service stays up, and an imported document is searchable within 2 s.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::run::{cartable, finish};
use common::served::{run_with_input, Served};

/// A pack as a stick brings it: a NSI file put in a Terminale history folder by whoever built it.
fn stick(dir: &Path) -> PathBuf {
    let folder = dir
        .join("clé")
        .join("Terminale")
        .join("Histoire-Géographie")
        .join("Semaine 3");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("Cours Debian Planification - NSI Tle.pdf"),
        common::pdf(),
    )
    .unwrap();
    dir.join("clé")
}

/// Total of `/api/search?q=query`.
fn found(served: &Served, query: &str) -> serde_json::Value {
    let answer = served.browser().get(&format!("/api/search?q={query}"));
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()
}

#[test]
fn an_import_beside_serve_is_done_by_the_server_and_searchable_within_2_s() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let stick = stick(dir.path());
    let before = found(&served, "photosynthese");
    assert_eq!(before["total"], 0, "{before}");

    let started = Instant::now();
    let run = cartable(&served.data, &["import", stick.to_str().unwrap()]);
    let imported = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 ajouté(s), 0 déjà présent(s), 0 refusé(s), 0 sans texte cherchable"),
        "{}",
        run.stderr
    );
    // Searchable within 2 s of the command's end: polled, never a fixed wait.
    let deadline = Instant::now() + Duration::from_secs(2);
    let page = loop {
        let page = found(&served, "photosynthese");
        if page["total"] == 1 || Instant::now() > deadline {
            break page;
        }
    };
    let searchable = started.elapsed();
    assert_eq!(page["total"], 1, "not searchable within 2 s: {page}");
    eprintln!(
        "import beside serve: {} ms, searchable {} ms after it started",
        imported.as_millis(),
        searchable.as_millis()
    );
    // The folder wins over the file name: a history document for Terminale.
    let hit = &page["hits"][0];
    assert_eq!(hit["levels"], serde_json::json!(["Tle"]), "{hit}");
    assert_eq!(hit["subject"], "Histoire-Géographie", "{hit}");

    // The same folder again: nothing added, the same words as a direct import.
    let again = cartable(&served.data, &["import", stick.to_str().unwrap()]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("0 ajouté(s), 1 déjà présent(s)"),
        "{}",
        again.stderr
    );
    // A missing path is refused, with exit code 1, as a direct import does.
    let missing = cartable(&served.data, &["import", "nulle-part"]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("introuvable"), "{}", missing.stderr);
    served.stop();
}

#[test]
fn reindex_check_and_repair_beside_serve_exit_0_and_spare_the_web_work_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let in_progress = served.data.join("tmp/upload-en-cours");
    std::fs::write(&in_progress, b"half an upload").unwrap();

    let reindex = cartable(&served.data, &["reindex"]);
    assert_eq!(reindex.code, 0, "{}", reindex.stderr);
    assert!(
        reindex.stderr.contains("3 document(s)"),
        "{}",
        reindex.stderr
    );
    assert_eq!(found(&served, "fonction%20affine")["total"], 1);

    let check = cartable(&served.data, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("Tout est en ordre"),
        "{}",
        check.stderr
    );

    // A file no document refers to, just stored: an upload may be about to record it.
    let young = served.data.join("files/ab").join("ab".repeat(32));
    std::fs::create_dir_all(young.parent().unwrap()).unwrap();
    std::fs::write(&young, b"orphan").unwrap();
    let check = cartable(&served.data, &["check", "--json"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(report["orphan_files"], serde_json::json!(["ab".repeat(32)]));
    let repair = cartable(&served.data, &["check", "--repair"]);
    assert_eq!(repair.code, 0, "{}", repair.stderr);
    assert!(
        young.exists(),
        "a repair beside the server spares a young file"
    );
    assert!(in_progress.exists(), "and the server's uploads in progress");
    assert_eq!(served.browser().get("/healthz").status, 200);
    served.stop();
}

#[test]
fn user_add_beside_serve_takes_the_password_from_stdin_and_the_login_works() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let added = finish(run_with_input(
        &served.data,
        &["user", "add", "proviseur", "--role", "admin"],
        b"un-mot-de-passe-solide\n",
    ));
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(
        added.stderr.contains("Compte « proviseur » créé"),
        "{}",
        added.stderr
    );
    let short = finish(run_with_input(
        &served.data,
        &["user", "add", "court"],
        b"\n",
    ));
    assert_eq!(
        short.code, 2,
        "an empty password is refused: {}",
        short.stderr
    );
    assert!(short.stderr.contains("8 caractères"), "{}", short.stderr);

    let token = cartable(&served.data, &["user", "token", "proviseur"]);
    assert_eq!(token.code, 0, "{}", token.stderr);
    let token = token.stdout.trim();
    assert_eq!(token.len(), 64, "the token alone on stdout: {token}");

    let mut browser = served.browser();
    browser.log_in(("proviseur", "un-mot-de-passe-solide"));
    assert_eq!(browser.get("/staff/admin").status, 200);
    let with_token = served.browser().get_with(
        "/api/documents",
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(with_token.status, 200);
    served.stop();
}

#[test]
fn status_says_what_the_server_is_doing_and_exits_3_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let none = cartable(&data, &["status"]);
    assert_eq!(none.code, 3, "{}", none.stderr);
    assert!(
        none.stderr.contains("Aucun serveur cartable"),
        "{}",
        none.stderr
    );

    let served = Served::start(&data);
    let status = cartable(&data, &["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(
        status
            .stdout
            .contains(&format!("cartable {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        status.stdout
    );
    assert!(status.stdout.contains("3 document(s)"), "{}", status.stdout);
    let json = cartable(&data, &["status", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["documents"], 3);
    assert_eq!(json["commands"], serde_json::json!([]));
    served.stop();
    assert_eq!(cartable(&data, &["status"]).code, 3);
}

#[test]
fn the_control_socket_is_its_owner_s_only_and_goes_away_with_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    // Answering `status` is the server saying its socket is ready.
    assert_eq!(cartable(&served.data, &["status"]).code, 0);
    let socket = served.data.join("control.sock");
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    served.stop();
    assert!(!socket.exists(), "removed at stop");
}

#[test]
fn a_socket_left_by_a_killed_server_does_not_block_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = Served::start(&data);
    assert_eq!(cartable(&data, &["status"]).code, 0);
    first.kill();
    assert!(
        data.join("control.sock").exists(),
        "a crash leaves the socket"
    );
    assert_eq!(cartable(&data, &["status"]).code, 3, "nobody answers on it");

    let served = Served::start(&data);
    assert_eq!(cartable(&data, &["status"]).code, 0);
    let stick = stick(dir.path());
    let run = cartable(&data, &["import", stick.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(found(&served, "photosynthese")["total"], 1);
    served.stop();
}

#[test]
fn export_and_search_beside_serve_read_on_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let stick = dir.path().join("clé-famille");
    std::fs::create_dir_all(&stick).unwrap();
    for format in ["folder", "zip"] {
        let run = cartable(
            &served.data,
            &[
                "export",
                "--to",
                stick.to_str().unwrap(),
                "--format",
                format,
            ],
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        let written = PathBuf::from(run.stdout.trim());
        assert!(
            written.starts_with(&stick) && written.exists(),
            "{format}: {written:?}"
        );
    }
    let search = cartable(&served.data, &["search", "fonction affine", "--json"]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    assert!(search.stdout.contains("affines"), "{}", search.stdout);
    served.stop();
}

/// The lines the server answers to `request` sent as is on its socket.
fn over_the_socket(data: &Path, request: &str) -> Vec<serde_json::Value> {
    use std::io::{BufRead, BufReader, Write};
    let mut socket = UnixStream::connect(data.join("control.sock")).expect("the server listens");
    socket
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    socket.write_all(request.as_bytes()).unwrap();
    BufReader::new(socket)
        .lines()
        .map(|line| serde_json::from_str(&line.expect("a whole line")).expect("a JSON line"))
        .collect()
}

#[test]
fn the_socket_speaks_one_json_line_per_request_and_reply() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    assert_eq!(cartable(&served.data, &["status"]).code, 0, "ready");
    let status = over_the_socket(&served.data, "{\"command\":\"status\"}\n");
    assert_eq!(status.len(), 1, "{status:?}");
    assert_eq!(status[0]["reply"], "status");
    assert_eq!(status[0]["documents"], 3);

    let stick = stick(dir.path());
    let request = serde_json::json!({"command": "import", "paths": [stick]});
    let import = over_the_socket(&served.data, &format!("{request}\n"));
    let (last, progress) = import.split_last().unwrap();
    assert_eq!(progress.len(), 1, "one progress line per file: {import:?}");
    assert_eq!(progress[0]["reply"], "progress");
    assert_eq!(progress[0]["total"], 1);
    assert_eq!(last["reply"], "imported", "{import:?}");
    assert_eq!(last["added"], 1);

    // The server's working folder is not the caller's: relative paths are refused.
    let relative = over_the_socket(
        &served.data,
        "{\"command\":\"import\",\"paths\":[\"clé\"]}\n",
    );
    assert_eq!(relative[0]["reply"], "failed", "{relative:?}");
    assert!(relative[0]["message"].as_str().unwrap().contains("absolus"));
    let garbage = over_the_socket(&served.data, "importe tout\n");
    assert_eq!(garbage[0]["reply"], "failed", "{garbage:?}");
    served.stop();
}

#[test]
fn without_a_server_import_still_works_directly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let stick = stick(dir.path());
    let run = cartable(&data, &["import", stick.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 ajouté(s), 0 déjà présent(s), 0 refusé(s), 0 sans texte cherchable"),
        "{}",
        run.stderr
    );
    assert!(!data.join("control.sock").exists());
    let search = cartable(&data, &["search", "photosynthese", "--json"]);
    let page: serde_json::Value = serde_json::from_str(&search.stdout).unwrap();
    assert_eq!(page["total"], 1, "{page}");
}
