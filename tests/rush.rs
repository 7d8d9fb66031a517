//! The Monday-morning rush, through the real server with small configured limits: staff get
//! through while the family classes are saturated, families beyond capacity get the 503 waiting
//! page (JSON under /api) with Retry-After, unread zips do not block a staff upload, slow
//! clients are cut off, oversized or non-multipart uploads are refused from their headers, the
//! login throttle is atomic, and one phone cannot fill the print queue.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use cartable::config::Capacity;
use common::raw::{self, phone};
use common::server::{Part, TestServer, ADMIN, TEACHER};

/// Limits small enough to saturate from a test.
fn small() -> Capacity {
    Capacity {
        family_requests: 1,
        family_downloads: 1,
        downloads_per_client: 8,
        queue_wait: Duration::from_millis(300),
        ..Capacity::DEFAULT
    }
}

/// A PNG of `megabytes` (a signature, then bytes no reader looks at): large enough that an
/// unread download stays on the server, and quick to store (images have no text to extract).
fn big_picture(megabytes: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..megabytes * 1024 * 1024).map(|i| (i * 7 % 251) as u8));
    bytes
}

/// Uploads `content` as the teacher through the API; returns the document's id.
fn upload(server: &TestServer, name: &str, content: &[u8]) -> String {
    let answer = server.browser().post_multipart(
        "/api/documents",
        &[Part::File("file", name, content)],
        &[("Authorization", &format!("Bearer {}", server.teacher_token))],
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
    answer.json()["documents"][0]["id"]
        .as_str()
        .expect("an id")
        .to_owned()
}

/// `cartable_requests_in_flight{class="..."}` from /metrics.
fn in_flight(server: &TestServer, class: &str) -> u64 {
    let text = server.browser().get("/metrics").text();
    let prefix = format!("cartable_requests_in_flight{{class=\"{class}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {class} in /metrics"))
}

/// A download from `from` that never reads its answer.
fn unread_download(server: &TestServer, from: u8, path: &str) -> std::net::TcpStream {
    let mut stream = raw::connect(&server.base, phone(from), true);
    stream
        .write_all(&raw::get(path, &[]))
        .expect("request sent");
    stream
}

#[test]
fn staff_get_through_while_family_downloads_are_saturated() {
    let server = TestServer::start_with_capacity(small(), 20);
    let id = upload(&server, "grande-image.png", &big_picture(12));
    let path = format!("/documents/{id}/file");
    let _hog = unread_download(&server, 2, &path);
    assert!(raw::eventually(Duration::from_secs(10), || in_flight(
        &server,
        "family_download"
    ) == 1));

    // Another family: the waiting page, fast, with Retry-After and a kept place.
    let started = Instant::now();
    let (head, body) = raw::exchange(&server.base, phone(3), &raw::get(&path, &[]));
    assert_eq!(head.status, 503);
    assert!(started.elapsed() < Duration::from_secs(3));
    let retry: u64 = head
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=180).contains(&retry));
    assert!(head
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("cartable_place=")));
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("Beaucoup de monde"), "{page}");
    assert!(page.contains("http-equiv=\"refresh\""), "{page}");
    assert!(
        body.len() < 1500,
        "the waiting page weighs {} bytes",
        body.len()
    );

    // Family pages are another class: still served.
    let (head, _) = raw::exchange(&server.base, phone(3), &raw::get("/recherche?q=image", &[]));
    assert_eq!(head.status, 200);

    // Staff: the same download and a new upload go through.
    let bearer = format!("Bearer {}", server.teacher_token);
    let (head, body) = raw::exchange(
        &server.base,
        phone(4),
        &raw::get(&path, &[("Authorization", &bearer)]),
    );
    assert_eq!(head.status, 200);
    assert_eq!(body.len(), 12 * 1024 * 1024 + 8);
    upload(
        &server,
        "fiche.txt",
        "Fiche de révision pendant la cohue".as_bytes(),
    );
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    assert_eq!(teacher.get("/staff/documents").status, 200);
}

#[test]
fn family_pages_beyond_capacity_wait_and_the_api_says_busy_in_json() {
    let server = TestServer::start_with_capacity(small(), 5);
    // A phone that sends half of a form holds the one family page slot.
    let mut slow = raw::connect(&server.base, phone(2), false);
    slow.write_all(
        b"POST /panier HTTP/1.1\r\nHost: cartable.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nid=",
    )
    .unwrap();
    assert!(raw::eventually(Duration::from_secs(10), || in_flight(
        &server,
        "family_page"
    ) == 1));

    let (head, body) = raw::exchange(
        &server.base,
        phone(3),
        &raw::get("/api/search?q=fonctions", &[]),
    );
    assert_eq!(head.status, 503);
    assert!(head.header("retry-after").is_some());
    let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(json["code"], "busy");
    assert!(json["retry_after"].as_u64().is_some_and(|n| n >= 1));

    let (head, body) = raw::exchange(&server.base, phone(3), &raw::get("/", &[]));
    assert_eq!(head.status, 503);
    assert!(String::from_utf8_lossy(&body).contains("lang=\"fr\""));

    // Staff pages are not family pages, and the admin page says how busy it is.
    let mut teacher = server.browser();
    teacher.log_in(TEACHER);
    assert_eq!(teacher.get("/staff/documents").status, 200);
    assert_eq!(teacher.get("/").status, 200);
    let mut admin = server.browser();
    admin.log_in(ADMIN);
    let page = admin.get("/staff/admin").text();
    assert!(page.contains("famille(s) servie(s)"), "{page}");
    assert!(page.contains("fois invitées à patienter"), "{page}");
    let metrics = server.browser().get("/metrics").text();
    assert!(
        metrics.contains("cartable_requests_refused_total{class=\"family_page\"} 2"),
        "{metrics}"
    );
    drop(slow);
    assert!(raw::eventually(Duration::from_secs(10), || in_flight(
        &server,
        "family_page"
    ) == 0));
    assert_eq!(server.browser().get("/").status, 200);
}

#[test]
fn unread_zips_do_not_block_a_staff_upload() {
    let capacity = Capacity {
        family_downloads: 64,
        downloads_per_client: 64,
        connections_per_client: 128,
        ..Capacity::DEFAULT
    };
    let server = TestServer::start_with_capacity(capacity, 20);
    let id = upload(&server, "grande-image.png", &big_picture(8));
    let zips: Vec<_> = (0..40)
        .map(|_| unread_download(&server, 2, &format!("/bundle.zip?ids={id}")))
        .collect();
    assert!(raw::eventually(Duration::from_secs(20), || in_flight(
        &server,
        "family_download"
    ) == 40));
    let started = Instant::now();
    upload(&server, "cours.txt", "Cours du lundi matin".as_bytes());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the staff upload took {:?}",
        started.elapsed()
    );
    drop(zips);
}

#[test]
fn a_client_that_stops_reading_is_dropped_and_its_download_freed() {
    let capacity = Capacity {
        write_stall: Duration::from_millis(700),
        ..small()
    };
    let server = TestServer::start_with_capacity(capacity, 20);
    let id = upload(&server, "grande-image.png", &big_picture(12));
    let path = format!("/documents/{id}/file");
    let mut hog = unread_download(&server, 2, &path);
    assert!(raw::eventually(Duration::from_secs(10), || in_flight(
        &server,
        "family_download"
    ) == 1));
    assert!(raw::eventually(Duration::from_secs(10), || in_flight(
        &server,
        "family_download"
    ) == 0));
    let (head, _) = raw::exchange(&server.base, phone(3), &raw::get(&path, &[]));
    assert_eq!(head.status, 200);
    assert!(raw::closed_within(&mut hog, Duration::from_secs(5)));
}

#[test]
fn slow_headers_and_idle_connections_are_cut_off() {
    let capacity = Capacity {
        header_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_millis(800),
        ..Capacity::DEFAULT
    };
    let server = TestServer::start_with_capacity(capacity, 5);
    let mut slow = raw::connect(&server.base, phone(2), false);
    slow.write_all(b"GET / HTTP/1.1\r\nHost: cartable.test\r\nUser-Agent: tr")
        .unwrap();
    assert!(raw::closed_within(&mut slow, Duration::from_secs(5)));
    let mut idle = raw::connect(&server.base, phone(2), false);
    assert!(raw::closed_within(&mut idle, Duration::from_secs(5)));
    // A kept-alive connection stays usable while it is used.
    let mut alive = raw::connect(&server.base, phone(2), false);
    for _ in 0..3 {
        alive.write_all(&raw::get("/healthz", &[])).unwrap();
        let head = raw::read_head(&mut alive).expect("an answer");
        assert_eq!(head.status, 200);
        let mut body = [0u8; 3];
        std::io::Read::read_exact(&mut alive, &mut body).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn oversized_and_non_multipart_uploads_are_refused_from_their_headers() {
    let server = TestServer::start();
    let bearer = format!("Bearer {}", server.teacher_token);
    let mut stream = raw::connect(&server.base, phone(2), false);
    let started = Instant::now();
    stream
        .write_all(
            format!(
                "POST /api/documents HTTP/1.1\r\nHost: cartable.test\r\nAuthorization: {bearer}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 5000000000\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let head = raw::read_head(&mut stream).expect("an answer before the body");
    assert_eq!(head.status, 413);
    assert!(started.elapsed() < Duration::from_secs(5));

    let (head, body) = raw::exchange(
        &server.base,
        phone(2),
        format!(
            "POST /api/documents HTTP/1.1\r\nHost: cartable.test\r\nAuthorization: {bearer}\r\nContent-Type: application/pdf\r\nContent-Length: 4\r\n\r\n%PDF"
        )
        .as_bytes(),
    );
    assert_eq!(head.status, 415);
    assert!(String::from_utf8_lossy(&body).contains("multipart"));

    let (head, _) = raw::exchange(
        &server.base,
        phone(2),
        b"POST /connexion HTTP/1.1\r\nHost: cartable.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n",
    );
    assert_eq!(head.status, 413);
}

#[test]
fn parallel_wrong_passwords_are_counted_before_they_are_checked() {
    let server = TestServer::start();
    let mut browser = server.browser();
    let csrf = browser.get("/connexion").csrf();
    let cookie = browser
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let form = format!(
        "csrf={csrf}&login={}&password=mauvais-mot-de-passe",
        TEACHER.0
    );
    let request = format!(
        "POST /connexion HTTP/1.1\r\nHost: cartable.test\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let answers: Vec<(u16, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|_| {
                scope.spawn(|| {
                    let (head, body) = raw::exchange(&server.base, phone(2), request.as_bytes());
                    (head.status, String::from_utf8_lossy(&body).into_owned())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let checked = answers
        .iter()
        .filter(|(_, page)| page.contains("Identifiant ou mot de passe incorrect"))
        .count();
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert!(checked <= 5, "{checked} passwords checked: {statuses:?}");
    assert!(checked >= 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [401, 503].contains(s)),
        "{statuses:?}"
    );
    // The teacher's own browser, from elsewhere, still gets in.
    server.browser().log_in(TEACHER);
}

#[test]
fn one_phone_cannot_fill_the_print_queue_but_the_kiosk_can_ask_again() {
    let server = TestServer::start();
    let ids: Vec<String> = (0..5)
        .map(|n| {
            upload(
                &server,
                &format!("fiche-{n}.txt"),
                format!("Fiche numéro {n} pour l'impression").as_bytes(),
            )
        })
        .collect();
    let ask = |from: u8, id: &str| {
        let request = format!(
            "POST /panier/impression HTTP/1.1\r\nHost: cartable.test\r\nCookie: cartable_panier={id}\r\nContent-Length: 0\r\n\r\n"
        );
        raw::exchange(&server.base, phone(from), request.as_bytes())
    };
    for id in &ids[..3] {
        assert_eq!(ask(2, id).0.status, 303);
    }
    let (head, body) = ask(2, &ids[3]);
    assert_eq!(head.status, 409);
    assert!(String::from_utf8_lossy(&body).contains("adressez-vous à l'accueil"));
    assert_eq!(ask(3, &ids[3]).0.status, 303);
    for id in &ids[..4] {
        assert_eq!(ask(1, id).0.status, 303, "the kiosk is not capped");
    }
}

#[test]
fn one_address_beyond_its_connections_is_told_to_come_back_and_others_are_served() {
    let capacity = Capacity {
        connections_per_client: 2,
        ..Capacity::DEFAULT
    };
    let server = TestServer::start_with_capacity(capacity, 5);
    let _first = raw::connect(&server.base, phone(5), false);
    let _second = raw::connect(&server.base, phone(5), false);
    let mut third = raw::connect(&server.base, phone(5), false);
    let head = raw::read_head(&mut third).expect("an answer before any request");
    assert_eq!(head.status, 503);
    assert!(head.header("retry-after").is_some());
    let mut body = String::new();
    std::io::Read::read_to_string(&mut third, &mut body).unwrap();
    assert_eq!(
        Some(body.len()),
        head.header("content-length").and_then(|l| l.parse().ok())
    );
    let (head, _) = raw::exchange(&server.base, phone(6), &raw::get("/healthz", &[]));
    assert_eq!(head.status, 200);
}
