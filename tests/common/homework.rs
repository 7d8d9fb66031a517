//! The cahier de texte through the JSON API, as a script (or a test) writes it: requests with
//! the teacher's token, and a week with a staff-only document attached.

use std::time::Duration;

use time::OffsetDateTime;

use super::server::{Answer, TestServer};
use super::upload::pack_with_a_staff_document;

/// A JSON request to the API, as a script sends it; with the teacher's token when `token`.
pub fn api(
    server: &TestServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: bool,
) -> Answer {
    let teacher = server.teacher_token.clone();
    api_with(
        server,
        method,
        path,
        body,
        token.then_some(teacher.as_str()),
    )
}

/// A JSON request to the API with `token` (any account's) as bearer, when given.
pub fn api_with(
    server: &TestServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let url = server.url(path);
    let authorization = format!("Bearer {}", token.unwrap_or(""));
    let token = token.is_some();
    let response = match (method, body) {
        ("GET", _) => {
            let mut request = agent.get(&url);
            if token {
                request = request.header("Authorization", &authorization);
            }
            request.call()
        }
        ("DELETE", _) => {
            let mut request = agent.delete(&url);
            if token {
                request = request.header("Authorization", &authorization);
            }
            request.call()
        }
        (method, body) => {
            let mut request = if method == "PUT" {
                agent.put(&url)
            } else {
                agent.post(&url)
            };
            request = request.header("Content-Type", "application/json");
            if token {
                request = request.header("Authorization", &authorization);
            }
            request.send(body.unwrap_or("").as_bytes())
        }
    };
    let mut response = response.expect("the server answers");
    let status = response.status().as_u16();
    let mut headers = std::collections::BTreeMap::new();
    for (name, value) in response.headers() {
        headers
            .entry(name.as_str().to_owned())
            .or_insert_with(Vec::new)
            .push(value.to_str().unwrap_or("").to_owned());
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_to_vec()
        .unwrap_or_default();
    Answer {
        status,
        headers,
        body,
    }
}

/// Writes an entry with the teacher's token; returns its id.
pub fn write_entry(server: &TestServer, entry: serde_json::Value) -> i64 {
    let answer = api(
        server,
        "POST",
        "/api/homework",
        Some(&entry.to_string()),
        true,
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
    answer.json()["id"].as_i64().expect("an id")
}

pub fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

pub fn iso(day: time::Date) -> String {
    cartable::model::iso_date(day)
}
/// Two public documents and a staff-only one, all attached to one entry for 2nde B due on
/// `due`; returns the documents' ids and the entry's.
pub fn week_with_a_staff_document(server: &TestServer, due: time::Date) -> ([String; 3], i64) {
    let ids = pack_with_a_staff_document(server);
    let entry = write_entry(
        server,
        serde_json::json!({
            "classes": ["2nde B"],
            "due": iso(due),
            "subject": "Sciences de la vie et de la Terre",
            "instruction": "Lire le cours sur la photosynthèse, puis faire l'exercice 3 ; rendre le schéma.\nApporter une blouse.",
            "documents": ids,
        }),
    );
    (ids, entry)
}
