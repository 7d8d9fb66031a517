//! The pages' rules at the service, without HTTP: what families may see on each page, how the
//! menus are made, how lists go on to a next page, why a search shows no results, and when the
//! desk is offered "Imprimer". Real data folder, catalog, index and extraction (`common`).

mod common;

use cartable::model::{Document, Level, Metadata, School, Subject, Visibility};
use cartable::service::{Error, PrintAction, PrintCommand, SearchAsk, Searched, LIST_PER_PAGE};

use common::TestLibrary;

fn level(name: &str) -> Level {
    Level::parse(name).unwrap()
}

fn subject(name: &str) -> Subject {
    Subject::parse(name).unwrap()
}

/// Adds a text file saying `text`, for `level` and `subject`.
fn add(library: &TestLibrary, text: &str, on: (&str, &str), visibility: Visibility) -> Document {
    let metadata = Metadata {
        levels: vec![level(on.0)],
        subject: Some(subject(on.1)),
        visibility: Some(visibility),
        ..Metadata::default()
    };
    library.add_with(&common::text(text), &format!("{text}.txt"), &metadata)
}

/// The documents' ids, in order.
fn ids(documents: &[Document]) -> Vec<String> {
    documents.iter().map(|d| d.id.to_string()).collect()
}

/// The documents' ids, sorted (documents added in the same second have no order).
fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn search(words: &str) -> SearchAsk {
    SearchAsk {
        text: words.to_owned(),
        page: 1,
        ..SearchAsk::default()
    }
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

#[test]
fn families_see_only_public_documents_on_every_page() {
    let library = TestLibrary::new();
    let core = &library.core;
    let school = School::with_name("Lycée");
    let public = add(
        &library,
        "Les fractions simplifiées",
        ("2nde", "Mathématiques"),
        Visibility::Public,
    );
    let staff = add(
        &library,
        "Les fractions du conseil",
        ("2nde", "Mathématiques"),
        Visibility::Staff,
    );
    let both = sorted(vec![staff.id.to_string(), public.id.to_string()]);

    assert_eq!(
        ids(&core.home_page(&school, true).unwrap().recent),
        vec![public.id.to_string()]
    );
    assert_eq!(
        sorted(ids(&core.home_page(&school, false).unwrap().recent)),
        both
    );
    let in_level = core.level_page(&level("2nde"), None, 1, true).unwrap();
    assert_eq!(
        (ids(&in_level.list.documents), in_level.list.total),
        (vec![public.id.to_string()], 1)
    );
    let latest = core.latest_page(1, false).unwrap();
    assert_eq!(sorted(ids(&latest.documents)), both);

    let found = |public_only| match core
        .search_page(&school, &search("fractions"), today(), public_only)
        .unwrap()
        .searched
    {
        Searched::Found(found) => found
            .documents
            .into_iter()
            .map(|f| f.document.id.to_string())
            .collect::<Vec<_>>(),
        other => panic!("nothing found: {other:?}"),
    };
    assert_eq!(found(true), vec![public.id.to_string()]);
    assert_eq!(found(false).len(), 2);

    assert!(matches!(
        core.document_page(&staff.id, true),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        core.document_file(&staff.id, true),
        Err(Error::NotFound)
    ));
    assert_eq!(
        core.document_page(&staff.id, false).unwrap().document.id,
        staff.id
    );
    assert_eq!(
        core.document_file(&public.id, true).unwrap().0.id,
        public.id
    );
}

#[test]
fn menus_offer_the_school_levels_and_subjects_first_then_those_documents_have() {
    let library = TestLibrary::new();
    let core = &library.core;
    let school = School::with_name("Lycée");
    add(
        &library,
        "Le montage au cinéma",
        ("BTS 1", "Cinéma"),
        Visibility::Public,
    );
    add(
        &library,
        "Les suites numériques",
        ("Tle", "Mathématiques"),
        Visibility::Public,
    );

    let mut levels = school.levels.clone();
    levels.push(level("BTS 1"));
    assert_eq!(core.home_page(&school, true).unwrap().levels, levels);
    let searched = core
        .search_page(&school, &search(""), today(), true)
        .unwrap();
    assert_eq!(searched.levels, levels);
    let mut subjects = school.subjects.clone();
    subjects.push(subject("Cinéma"));
    assert_eq!(searched.subjects, subjects);
}

#[test]
fn a_level_page_lists_the_chosen_subject_and_offers_every_subject_of_the_level() {
    let library = TestLibrary::new();
    let core = &library.core;
    let maths = add(
        &library,
        "Les vecteurs du plan",
        ("2nde", "Mathématiques"),
        Visibility::Public,
    );
    add(
        &library,
        "Le roman réaliste",
        ("2nde", "Français"),
        Visibility::Public,
    );
    add(
        &library,
        "La fonction exponentielle",
        ("1re", "Physique-Chimie"),
        Visibility::Public,
    );

    let page = core
        .level_page(&level("2nde"), Some(&subject("Mathématiques")), 1, true)
        .unwrap();
    assert_eq!(ids(&page.list.documents), ids(&[maths]));
    assert!(!page.list.has_next);
    let mut offered = page.subjects.clone();
    offered.sort();
    let mut expected = vec![subject("Français"), subject("Mathématiques")];
    expected.sort();
    assert_eq!(offered, expected);
}

#[test]
fn long_lists_go_on_to_a_next_page() {
    let library = TestLibrary::new();
    let core = &library.core;
    for n in 0..=LIST_PER_PAGE {
        add(
            &library,
            &format!("Fiche d'exercices numéro {n}"),
            ("2nde", "Français"),
            Visibility::Public,
        );
    }
    let first = core.latest_page(1, true).unwrap();
    assert_eq!(
        (first.documents.len(), first.total, first.has_next),
        (LIST_PER_PAGE, LIST_PER_PAGE + 1, true)
    );
    let second = core.latest_page(2, true).unwrap();
    assert_eq!((second.documents.len(), second.has_next), (1, false));
    let in_level = core.level_page(&level("2nde"), None, 2, true).unwrap();
    assert_eq!(
        (in_level.list.documents.len(), in_level.list.has_next),
        (1, false)
    );
}

#[test]
fn the_search_page_says_why_it_has_no_results_instead_of_failing() {
    let library = TestLibrary::new();
    let core = &library.core;
    let school = School::with_name("Lycée");
    add(
        &library,
        "La photosynthèse",
        ("2nde", "SVT"),
        Visibility::Public,
    );

    let empty = core
        .search_page(&school, &search("  "), today(), true)
        .unwrap();
    assert!(
        matches!(empty.searched, Searched::NoWords),
        "{:?}",
        empty.searched
    );
    assert!(empty.entries.is_empty());
    let common_words = core
        .search_page(&school, &search("le la de"), today(), true)
        .unwrap();
    match common_words.searched {
        Searched::Unreadable(message) => assert!(message.contains("trop courants"), "{message}"),
        other => panic!("a query of common words is said so: {other:?}"),
    }
}

#[test]
fn a_document_page_shows_the_beginning_of_its_text() {
    let library = TestLibrary::new();
    let long = format!(
        "Révisions du brevet. {}",
        "Une phrase de révision. ".repeat(200)
    );
    let bytes = long.as_bytes();
    let metadata = Metadata {
        title: Some("Long".to_owned()),
        ..Metadata::default()
    };
    let long_one = library.add_with(bytes, "long.txt", &metadata);
    let page = library.core.document_page(&long_one.id, true).unwrap();
    assert_eq!(page.excerpt.chars().count(), 1200);
    assert!(long.starts_with(&page.excerpt));
}

#[test]
fn the_desk_is_offered_printing_only_with_a_command_found_on_this_machine() {
    let library = TestLibrary::new();
    let core = &library.core;
    assert_eq!(core.print_desk(None).unwrap().printer, None);
    let missing = PrintCommand::parse("pas-une-imprimante-xyz -d cdi").unwrap();
    assert_eq!(core.print_desk(Some(&missing)).unwrap().printer, None);
    let found = PrintCommand::parse("sh -c true").unwrap();
    let desk = core.print_desk(Some(&found)).unwrap();
    assert_eq!(desk.printer.as_deref(), Some("sh"));
    assert!(desk.queue.open.is_empty() && desk.queue.closed_today.is_empty());
}

#[test]
fn an_action_on_a_request_that_does_not_exist_is_not_found() {
    let library = TestLibrary::new();
    let data = library.data_dir();
    drop(library.core);
    let service = cartable::service::Library::new(common::open_core(&data));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for action in [PrintAction::Done, PrintAction::Cancel] {
        let outcome = runtime.block_on(service.act_on_print(404, action));
        assert!(matches!(outcome, Err(Error::NotFound)), "{outcome:?}");
    }
}
