//! The real binary as an admin runs it: `serve` on a free port, `user add` then a login.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// `cartable serve` on port 0; returns the child and the base URL it printed.
fn spawn_serve(data: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(common::binary())
        .args([
            "--data",
            data.to_str().unwrap(),
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("CARTABLE_MDNS_NAME", "")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cartable serve starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    // The URLs are printed once the port is bound: no sleep, no guess.
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("http://127.0.0.1:")
                .map(|rest| format!("http://127.0.0.1:{}", rest.trim_end_matches('/')))
        })
        .expect("serve prints the URL it answers on");
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("serve stops");
    assert!(status.success(), "serve exits cleanly on SIGTERM: {status}");
}

#[test]
fn serve_answers_health_checks_and_offers_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let (child, base) = spawn_serve(&dir.path().join("data"));
    let mut browser = common::server::Browser::new(&base);
    assert_eq!(browser.get("/healthz").text(), "ok\n");
    let found = browser.get("/api/search?q=fonction%20afine").json();
    assert_eq!(found["total"], 1, "the sample documents are there: {found}");
    stop(child);
}

#[test]
fn an_admin_created_with_user_add_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut add = Command::new(common::binary())
        .args([
            "--data",
            data.to_str().unwrap(),
            "user",
            "add",
            "proviseur",
            "--role",
            "admin",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"un-mot-de-passe-solide\n")
        .unwrap();
    let output = add.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let short = Command::new(common::binary())
        .args([
            "--data",
            data.to_str().unwrap(),
            "user",
            "add",
            "court",
            "--role",
            "teacher",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = short.wait_with_output().unwrap();
    assert!(!output.status.success(), "an empty password is refused");
    assert!(String::from_utf8_lossy(&output.stderr).contains("8 caractères"));

    let token = Command::new(common::binary())
        .args([
            "--data",
            data.to_str().unwrap(),
            "user",
            "token",
            "proviseur",
        ])
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_owned();
    assert_eq!(token.len(), 64, "the token alone on stdout");

    let (child, base) = spawn_serve(&data);
    let mut browser = common::server::Browser::new(&base);
    browser.log_in(("proviseur", "un-mot-de-passe-solide"));
    assert_eq!(browser.get("/staff/admin").status, 200);
    let with_token = browser.get_with(
        "/api/documents",
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(with_token.status, 200);
    stop(child);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = Command::new(common::binary())
        .args([
            "--data",
            dir.path().join("data").to_str().unwrap(),
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("CARTABLE_MDNS_NAME", "")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
}

#[test]
fn a_bad_configuration_file_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cartable.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\ncouleur = \"bleu\"\n").unwrap();
    let output = Command::new(common::binary())
        .args([
            "--config",
            config.to_str().unwrap(),
            "--data",
            dir.path().join("data").to_str().unwrap(),
            "serve",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cartable.toml") && stderr.contains("couleur"),
        "{stderr}"
    );
}

/// Regression: a command run while the server was up used to clear the server's uploads in
/// progress and then fail on the index lock. (Commands beside the server: tests/beside_serve.rs.)
#[test]
fn shell_commands_work_beside_a_running_server_and_leave_its_uploads_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (child, base) = spawn_serve(&data);
    let in_progress = data.join("tmp/upload-en-cours");
    std::fs::write(&in_progress, b"half an upload").unwrap();
    let run = |args: &[&str], stdin: &[u8]| {
        let mut command = Command::new(common::binary())
            .args(["--data", data.to_str().unwrap()])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        command.stdin.take().unwrap().write_all(stdin).unwrap();
        command.wait_with_output().unwrap()
    };
    let added = run(&["user", "add", "m.dupont"], b"un-mot-de-passe-solide\n");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let found = run(&["search", "fonction affine", "--json"], b"");
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(String::from_utf8_lossy(&found.stdout).contains("affines"));
    // The server does the import (over its control socket) and leaves its uploads alone.
    let folder = dir.path().join("à importer");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("Météo.txt"), common::txt_cp1252()).unwrap();
    let import = run(&["import", folder.to_str().unwrap()], b"");
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let second = run(&["serve", "--listen", "127.0.0.1:0"], b"");
    assert!(String::from_utf8_lossy(&second.stderr).contains("another cartable already serves"));
    assert!(
        in_progress.exists(),
        "the server's upload in progress is untouched"
    );
    let mut browser = common::server::Browser::new(&base);
    browser.log_in(("m.dupont", "un-mot-de-passe-solide"));
    stop(child);
}
