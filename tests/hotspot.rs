//! Hotspot mode through the real binary's `serve` (turned on by `CARTABLE_HOTSPOT`, as the image's
//! unit does): captive-portal probes and foreign Hosts get a redirect to the resource point when
//! it is on, and are 404 / served as usual when it is off. Requests are written by hand so the
//! `Host` header is exactly the one a phone would send.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::served::Served;

/// The captive-portal probes of Android, Apple, Windows and Firefox.
const PROBES: [(&str, &str); 9] = [
    ("connectivitycheck.gstatic.com", "/generate_204"),
    ("clients3.google.com", "/gen_204"),
    ("captive.apple.com", "/hotspot-detect.html"),
    ("www.apple.com", "/library/test/success.html"),
    ("www.msftconnecttest.com", "/connecttest.txt"),
    ("www.msftncsi.com", "/ncsi.txt"),
    ("www.msftconnecttest.com", "/redirect"),
    ("detectportal.firefox.com", "/canonical.html"),
    ("detectportal.firefox.com", "/success.txt"),
];

/// Status line's code and the `Location` header of `GET path` sent with `Host: host`.
fn get(server: &Served, host: &str, path: &str) -> (u16, Option<String>) {
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("a whole answer");
    let answer = String::from_utf8_lossy(&answer);
    let head = answer.split("\r\n\r\n").next().unwrap();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer}"));
    let location = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_owned())
    });
    (status, location)
}

/// Where phones are sent: the server's own address (the test listens on loopback).
fn home(server: &Served) -> String {
    format!("{}/", server.base)
}

/// `cartable serve` with `CARTABLE_HOTSPOT` set to `on`, in its own temporary folder.
fn serve(on: bool) -> (tempfile::TempDir, Served) {
    let dir = tempfile::tempdir().unwrap();
    let setting = if on { "true" } else { "false" };
    let served = Served::start_with(&dir.path().join("data"), &[("CARTABLE_HOTSPOT", setting)]);
    (dir, served)
}

#[test]
fn every_probe_is_redirected_to_the_home_page_when_hotspot_mode_is_on() {
    let (_dir, server) = serve(true);
    let own = server.base.trim_start_matches("http://").to_owned();
    for (host, path) in PROBES {
        for host in [host, own.as_str()] {
            let (status, location) = get(&server, host, path);
            assert_eq!(status, 302, "{host}{path}");
            assert_eq!(
                location.as_deref(),
                Some(home(&server).as_str()),
                "{host}{path}"
            );
        }
    }
}

#[test]
fn probes_are_not_found_when_hotspot_mode_is_off() {
    let (_dir, server) = serve(false);
    let own = server.base.trim_start_matches("http://").to_owned();
    for (host, path) in PROBES {
        for host in [host, own.as_str()] {
            assert_eq!(get(&server, host, path), (404, None), "{host}{path}");
        }
    }
}

#[test]
fn a_foreign_host_is_redirected_when_on_and_served_when_off() {
    let (_on_dir, on) = serve(true);
    for path in ["/", "/recherche?q=fonctions", "/assets/x/y.css"] {
        let (status, location) = get(&on, "www.example.org", path);
        assert_eq!(status, 302, "{path}");
        assert_eq!(location.as_deref(), Some(home(&on).as_str()));
    }
    let (_off_dir, off) = serve(false);
    assert_eq!(get(&off, "www.example.org", "/"), (200, None));
    assert_eq!(get(&off, "www.example.org", "/healthz"), (200, None));
}

#[test]
fn the_server_own_names_and_addresses_are_served_in_hotspot_mode() {
    let (_dir, server) = serve(true);
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_owned(),
        format!("localhost:{port}"),
        "LOCALHOST".to_owned(),
    ] {
        assert_eq!(get(&server, &host, "/"), (200, None), "{host}");
        assert_eq!(get(&server, &host, "/healthz"), (200, None), "{host}");
    }
    // The phone, once there, finds the documents.
    let found = server
        .browser()
        .get("/api/search?q=fonction%20affine")
        .json();
    assert_eq!(found["total"], 1, "{found}");
}
