//! Uploads through the JSON API (`POST /api/documents`), as a script would: the raw answer for
//! tests about the API itself, or the new documents' ids for tests that only need documents.

use super::server::{Answer, Part, TestServer};

/// Sends `files` (all as the `file` field) and `fields` with `token` as bearer, when given.
pub fn api_upload(
    server: &TestServer,
    files: &[(&str, &[u8])],
    fields: &[(&str, &str)],
    token: Option<&str>,
) -> Answer {
    let mut parts: Vec<Part<'_>> = fields
        .iter()
        .map(|(name, value)| Part::Field(name, value))
        .collect();
    parts.extend(
        files
            .iter()
            .map(|(name, content)| Part::File("file", name, content)),
    );
    let authorization = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = authorization
        .iter()
        .map(|a| ("Authorization", a.as_str()))
        .collect();
    server
        .browser()
        .post_multipart("/api/documents", &parts, &headers)
}

/// Uploads `files` as the teacher, which must succeed; returns their ids.
pub fn upload(
    server: &TestServer,
    files: &[(&str, &[u8])],
    fields: &[(&str, &str)],
) -> Vec<String> {
    let answer = api_upload(server, files, fields, Some(&server.teacher_token));
    assert_eq!(answer.status, 201, "{}", answer.text());
    answer.json()["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Uploads one file as the teacher, which must succeed; returns its id.
pub fn upload_one(
    server: &TestServer,
    file_name: &str,
    content: &[u8],
    fields: &[(&str, &str)],
) -> String {
    upload(server, &[(file_name, content)], fields).remove(0)
}

/// The documents of a printed pack: two public ones ("Photosynthèse, cours" in SVT, "La
/// Révolution française") and a staff-only one ("Corrigé du professeur"); their ids, in order.
pub fn pack_with_a_staff_document(server: &TestServer) -> [String; 3] {
    [
        upload_one(
            server,
            "photo.pdf",
            &super::pdf(),
            &[("title", "Photosynthèse, cours"), ("subject", "SVT")],
        ),
        upload_one(
            server,
            "revolution.docx",
            &super::docx(),
            &[("title", "La Révolution française")],
        ),
        upload_one(
            server,
            "corrige.odt",
            &super::odt(),
            &[("title", "Corrigé du professeur"), ("visibility", "staff")],
        ),
    ]
}
