//! Every search hit shows why it matched, through the real server: a document found only by its
//! title has its title's words marked, one found only by a school word ("svt", "2nde") has its
//! subject or level marked, on the web search page, the kiosk's and in the JSON API's snippet
//! (the contract's keys unchanged); the kiosk, like the web page, says when no document has every
//! word.

mod common;

use common::server::TestServer;
use common::upload::upload_one;

/// Two documents whose text says nothing of what they are found by: one titled "Calligraphie
/// chinoise", one in SVT for 2nde. Their ids.
fn found_by_title_and_by_metadata(server: &TestServer) -> (String, String) {
    let by_title = upload_one(
        server,
        "pinceaux.txt",
        b"Des pinceaux, de l'encre et du papier de riz.",
        &[("title", "Calligraphie chinoise")],
    );
    let by_metadata = upload_one(
        server,
        "chapitre3.txt",
        b"Des cellules et des tissus, vus au microscope.",
        &[
            ("title", "Chapitre 3"),
            ("subject", "SVT"),
            ("level", "2nde"),
        ],
    );
    (by_title, by_metadata)
}

#[test]
fn a_hit_found_by_its_title_or_a_school_word_shows_it_marked_on_the_search_page() {
    let server = TestServer::start();
    let (by_title, by_metadata) = found_by_title_and_by_metadata(&server);
    let mut family = server.browser();

    let page = family.get("/recherche?q=calligraphie").text();
    assert!(page.contains(&format!("/documents/{by_title}")), "{page}");
    assert!(
        page.contains("<mark>Calligraphie</mark> chinoise"),
        "the title says why it matched: {page}"
    );

    let page = family.get("/recherche?q=svt").text();
    assert!(
        page.contains(&format!("/documents/{by_metadata}")),
        "{page}"
    );
    assert!(
        page.contains("Matière : <mark>Sciences de la vie et de la Terre</mark>"),
        "the subject says why it matched: {page}"
    );
    assert!(!page.contains(&format!("/documents/{by_title}")), "{page}");

    let page = family.get("/recherche?q=seconde").text();
    assert!(
        page.contains("Niveau : <mark>Seconde</mark>"),
        "the level says why it matched: {page}"
    );

    family.get("/langue/en?retour=/");
    let page = family.get("/recherche?q=2nde").text();
    assert!(page.contains("Year: <mark>Seconde</mark>"), "{page}");
}

#[test]
fn a_hit_found_at_the_kiosk_shows_why_and_the_kiosk_says_when_some_words_are_missing() {
    let server = TestServer::start();
    let (by_title, by_metadata) = found_by_title_and_by_metadata(&server);
    let mut kiosk = server.browser();

    let page = kiosk.get("/kiosque/trouver?q=calligraphie").text();
    assert!(
        page.contains(&format!("/kiosque/document/{by_title}"))
            && page.contains("<mark>Calligraphie</mark> chinoise"),
        "{page}"
    );
    let page = kiosk.get("/kiosque/trouver?q=svt").text();
    assert!(
        page.contains(&format!("/kiosque/document/{by_metadata}"))
            && page.contains("<mark>Sciences de la vie et de la Terre</mark>"),
        "{page}"
    );
    // The passage itself, when the text has the word.
    let page = kiosk.get("/kiosque/trouver?q=microscope").text();
    assert!(page.contains("<mark>microscope</mark>"), "{page}");
    assert!(!page.contains("tous vos mots"), "{page}");

    let page = kiosk
        .get("/kiosque/trouver?q=microscope+astrophysique")
        .text();
    assert!(
        page.contains(&format!("/kiosque/document/{by_metadata}"))
            && page.contains(
                "Aucun document ne contient tous vos mots ; voici ceux qui en contiennent une partie."
            ),
        "{page}"
    );
    kiosk.get("/langue/en?retour=/kiosque");
    let page = kiosk
        .get("/kiosque/trouver?q=microscope+astrophysique")
        .text();
    assert!(
        page.contains("No document contains all your words"),
        "{page}"
    );
}

#[test]
fn the_api_snippet_explains_a_match_on_the_title_or_the_metadata() {
    let server = TestServer::start();
    let (by_title, by_metadata) = found_by_title_and_by_metadata(&server);
    let mut api = server.browser();

    let found = api.get("/api/search?q=calligraphie").json();
    let hit = &found["hits"][0];
    assert_eq!(hit["id"], by_title.as_str());
    assert_eq!(hit["snippet"], "Titre : <mark>Calligraphie</mark> chinoise");

    let found = api.get("/api/search?q=svt").json();
    let hit = &found["hits"][0];
    assert_eq!(hit["id"], by_metadata.as_str());
    assert_eq!(
        hit["snippet"],
        "Matière : <mark>Sciences de la vie et de la Terre</mark>"
    );

    // A passage that marks the word is the snippet, as before.
    let found = api.get("/api/search?q=microscope").json();
    let snippet = found["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>microscope</mark>"), "{snippet}");
}
