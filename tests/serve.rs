//! The real binary as an admin runs it: `serve` on a free port, `user add` then a login.

mod common;

use common::served::Served;

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn serve_answers_health_checks_and_offers_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let base = served.base.clone();
    let mut browser = common::server::Browser::new(&base);
    assert_eq!(browser.get("/healthz").text(), "ok\n");
    let found = browser.get("/api/search?q=fonction%20afine").json();
    assert_eq!(found["total"], 1, "the sample documents are there: {found}");
    served.stop();
}

/// The rush bench's peaks of 97-180 MiB came from glibc's arenas left at their defaults when
/// the server was started without the systemd unit's environment.
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn serve_runs_with_the_allocator_settings_even_when_started_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start_with(&dir.path().join("data"), &[]);
    // Serving (its SIGTERM handler is set once it serves, a moment after the URL is printed).
    assert_eq!(served.browser().get("/healthz").text(), "ok\n");
    let environment = std::fs::read(format!("/proc/{}/environ", served.pid())).unwrap();
    let environment = String::from_utf8_lossy(&environment);
    let settings: Vec<&str> = environment
        .split('\0')
        .filter(|v| v.starts_with("MALLOC_"))
        .collect();
    assert!(
        settings.contains(&"MALLOC_MMAP_THRESHOLD_=131072")
            && settings.contains(&"MALLOC_ARENA_MAX=2"),
        "{settings:?}"
    );
    served.stop();
}

#[test]
fn an_admin_created_with_user_add_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let output = user_add(
        &data,
        &["proviseur", "--role", "admin"],
        "un-mot-de-passe-solide",
    );
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

    let served = Served::start(&data);
    let base = served.base.clone();
    let mut browser = common::server::Browser::new(&base);
    browser.log_in(("proviseur", "un-mot-de-passe-solide"));
    assert_eq!(browser.get("/staff/admin").status, 200);
    let with_token = browser.get_with(
        "/api/documents",
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(with_token.status, 200);
    served.stop();
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
    let served = Served::start(&data);
    let base = served.base.clone();
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
    served.stop();
}

/// `cartable user add ARGS` on `data`, the password on stdin as a script gives it.
fn user_add(data: &std::path::Path, args: &[&str], password: &str) -> std::process::Output {
    let mut add = Command::new(common::binary())
        .args(["--data", data.to_str().unwrap(), "user", "add"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    add.wait_with_output().unwrap()
}

/// Peak resident memory of a process, from /proc (VmHWM), in MiB.
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .expect("VmHWM in /proc")
        / 1024.0
}

#[test]
fn a_login_flood_is_refused_before_hashing_and_memory_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(user_add(&data, &["m.dupont"], "un-mot-de-passe-solide")
        .status
        .success());
    let served = Served::start(&data);
    let base = served.base.clone();
    let mut browser = common::server::Browser::new(&base);
    let csrf = browser.get("/connexion").csrf();
    let before = peak_rss_mib(served.pid());
    // 200 made-up accounts from 20 phones at once, as a prank would.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|n| {
                let (base, csrf) = (&base, &csrf);
                scope.spawn(move || {
                    let form = format!("csrf={csrf}&login=inconnu{n}&password=nimporte-quoi-{n}");
                    let request = format!(
                        "POST /connexion HTTP/1.1\r\nHost: cartable.test\r\nCookie: cartable_login_csrf={csrf}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
                        form.len()
                    );
                    common::raw::exchange(base, common::raw::phone(2 + (n % 20) as u8), request.as_bytes())
                        .0
                        .status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let refused = statuses.iter().filter(|s| **s == 503).count();
    assert!(
        statuses.iter().all(|s| [401, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(
        refused > 100,
        "only {refused} of 200 refused before hashing"
    );
    let after = peak_rss_mib(served.pid());
    // One argon2 hash takes 12 MiB: hashed each on a thread of its own, as before the pool,
    // 200 logins took over 2 GB. This unoptimised test build peaks around 100 MiB above
    // idle; the release build's figures are in `cargo bench --bench rush`.
    assert!(
        after - before < 200.0,
        "peak memory went from {before:.0} to {after:.0} MiB"
    );
    browser.log_in(("m.dupont", "un-mot-de-passe-solide"));
    served.stop();
}

#[test]
fn sigterm_returns_within_the_drain_bound_despite_stuck_clients() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"));
    let base = served.base.clone();
    let mut half_sent = common::raw::connect(&base, common::raw::phone(2), false);
    half_sent
        .write_all(b"GET / HTTP/1.1\r\nHost: cartable.test\r\nUser-Ag")
        .unwrap();
    let _idle = common::raw::connect(&base, common::raw::phone(3), false);
    let mut browser = common::server::Browser::new(&base);
    assert_eq!(browser.get("/healthz").status, 200);
    let started = std::time::Instant::now();
    served.stop();
    // The drain is 10 s (Capacity::DEFAULT.drain): stuck clients never hold it longer.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(13),
        "serve took {:?} to stop",
        started.elapsed()
    );
}
