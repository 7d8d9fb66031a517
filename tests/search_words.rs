//! Search as families write: words spelt as they sound, documents with every word first (and the
//! page told when none has them all), school words (SVT, 2nde, LV1) that name a document's
//! subject and level. Real data folder, real index, real extraction.

mod common;

use cartable::model::{DocumentFilter, Level, Metadata, Subject};

use common::TestLibrary;

fn filter() -> DocumentFilter {
    DocumentFilter {
        limit: 10,
        ..DocumentFilter::default()
    }
}

/// The Photosynthèse PDF, the Pythagore ODT and the Révolution DOCX of `common`.
fn shelf() -> (TestLibrary, [String; 3]) {
    let library = TestLibrary::new();
    let ids = [
        library.add(&common::pdf(), "Cours.pdf").id.to_string(),
        library.add(&common::odt(), "Géométrie.odt").id.to_string(),
        library.add(&common::docx(), "Histoire.docx").id.to_string(),
    ];
    (library, ids)
}

#[test]
fn words_spelt_as_they_sound_find_their_document_first() {
    let (library, [pdf, odt, docx]) = shelf();
    for (query, expected) in [
        ("fotosintaise", &pdf),
        ("vejetos", &pdf),
        ("pitagor", &odt),
        ("téorème pitagor", &odt),
        ("revolussion fransaise", &docx),
    ] {
        let found = library.found(query);
        assert_eq!(found.first(), Some(expected), "{query:?}: {found:?}");
    }
    // The snippet marks the word that sounded right, so the family sees why it matched.
    let page = library.core.search("pitagor", &filter()).unwrap();
    assert!(
        page.hits[0].snippet.contains("<mark>Pythagore</mark>"),
        "{}",
        page.hits[0].snippet
    );
}

#[test]
fn documents_with_every_word_come_before_those_with_some() {
    let library = TestLibrary::new();
    // Two of the three words, many times and in the title: it would rank first on its own.
    let some = library.add(
        &common::odt_with_lines(&[
            "Pythagore exercices : exercices sur Pythagore, Pythagore encore",
        ]),
        "Pythagore exercices.odt",
    );
    let every = library.add(
        &common::pdf_with_lines(&[
            "Trigonométrie du triangle rectangle, un chapitre long et complet.",
            "Le cosinus d'un angle aigu, puis un exercice qui reprend Pythagore.",
        ]),
        "Trigonométrie.pdf",
    );
    let found = library
        .core
        .search_documents("pythagore exercice cosinus", &filter())
        .unwrap();
    let ids: Vec<String> = found
        .documents
        .iter()
        .map(|f| f.document.id.to_string())
        .collect();
    assert_eq!(ids, [every.id.to_string(), some.id.to_string()]);
    assert!(found.all_words);

    let partial = library
        .core
        .search_documents("pythagore astrophysique", &filter())
        .unwrap();
    assert_eq!(partial.documents.len(), 2);
    assert!(
        !partial.all_words,
        "no document has both words: the page must say so"
    );
}

#[test]
fn school_words_find_a_documents_subject_and_level() {
    let library = TestLibrary::new();
    let svt_tle = Metadata {
        levels: vec![Level::parse("Terminale").unwrap()],
        subject: Subject::parse("Sciences de la vie et de la Terre"),
        ..Metadata::default()
    };
    let english_1re = Metadata {
        levels: vec![Level::parse("1re").unwrap()],
        subject: Subject::parse("Anglais"),
        ..Metadata::default()
    };
    let svt = library.add_with(
        &common::pdf_with_lines(&["La photosynthèse des plantes vertes"]),
        "Cours.pdf",
        &svt_tle,
    );
    let english = library.add_with(
        &common::odt_with_lines(&["Irregular verbs, with the photosynthèse of a tree"]),
        "Verbs.odt",
        &english_1re,
    );
    let plain = library.add(
        &common::docx_with_lines(&["La photosynthèse, encore, et la terminale du bus"]),
        "Autre.docx",
    );
    let (svt, english) = (svt.id.to_string(), english.id.to_string());
    assert_eq!(library.found("SVT"), [svt.as_str()]);
    assert_eq!(library.found("lv1"), [english.as_str()]);
    assert_eq!(library.found("1ère"), [english.as_str()]);
    assert_eq!(library.found("premiere"), [english.as_str()]);
    assert_eq!(library.found("photosynthese tle").first(), Some(&svt));
    assert_eq!(
        library.found("photosynthèse svt terminale").first(),
        Some(&svt)
    );
    assert_eq!(
        library.found("anglais photosynthese").first(),
        Some(&english)
    );
    assert!(library.found("terminale").contains(&plain.id.to_string()));
}

/// An index made by an older cartable (another schema) is rebuilt when the folder opens, never
/// searched as it is.
#[test]
fn an_index_of_an_older_version_is_rebuilt_at_start_up() {
    let (library, [_, odt, _]) = shelf();
    let version = library
        .data_dir()
        .join("index")
        .join("cartable-index-version");
    assert!(version.exists());
    let library = library.reopen_after(|| std::fs::write(&version, "2").unwrap());
    assert_eq!(library.found("pitagor").first(), Some(&odt));
    assert_ne!(std::fs::read_to_string(&version).unwrap(), "2");
}
