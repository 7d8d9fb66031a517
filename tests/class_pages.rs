//! The class pages' and the kiosk's rules at the service, without HTTP: a whole level's week
//! links to its groups with entries, a group's does not; the kiosk's find page offers the
//! groups as tiles and finds public documents and entries only, whoever stands at it. Real
//! data folder, catalog, index and extraction (`common`).

mod common;

use cartable::model::{
    Account, ClassName, Document, Level, Metadata, NewHomework, Role, School, Visibility,
};
use cartable::service::Searched;

use common::TestLibrary;

fn class(name: &str) -> ClassName {
    ClassName::parse(name).unwrap()
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn teacher(library: &TestLibrary) -> Account {
    library
        .core
        .accounts()
        .add("prof", Role::Teacher, "un mot de passe assez long")
        .unwrap()
}

/// Adds a text file saying `text`, seen by `visibility`.
fn add(library: &TestLibrary, text: &str, visibility: Visibility) -> Document {
    let metadata = Metadata {
        levels: vec![Level::parse("2nde").unwrap()],
        visibility: Some(visibility),
        ..Metadata::default()
    };
    library.add_with(&common::text(text), &format!("{text}.txt"), &metadata)
}

/// Writes an entry for `classes`, due today, saying `instruction`, with `documents`.
fn write(
    library: &TestLibrary,
    by: &Account,
    classes: &[&str],
    instruction: &str,
    documents: &[&Document],
) {
    let entry = NewHomework {
        classes: classes.iter().map(|c| class(c)).collect(),
        due: today(),
        subject: None,
        instruction: instruction.to_owned(),
        documents: documents.iter().map(|d| d.id.clone()).collect(),
    };
    library.core.add_homework(by, entry).unwrap();
}

#[test]
fn a_whole_level_week_offers_its_groups_with_entries_and_a_group_week_none() {
    let library = TestLibrary::new();
    let by = teacher(&library);
    write(&library, &by, &["2nde B"], "Lire le chapitre 2.", &[]);
    write(&library, &by, &["2nde A"], "Faire l'exercice 4.", &[]);
    write(&library, &by, &["1re C"], "Réviser les suites.", &[]);
    write(&library, &by, &["2nde"], "Apporter la calculatrice.", &[]);

    let level = library
        .core
        .class_week_page(&class("2nde"), today(), true)
        .unwrap();
    let mut groups = level.groups.clone();
    groups.sort();
    assert_eq!(groups, vec![class("2nde A"), class("2nde B")]);
    // The level's entries and its groups', never another level's.
    assert_eq!(level.week.items.len(), 3, "{:?}", level.week.items);

    let group = library
        .core
        .class_week_page(&class("2nde B"), today(), true)
        .unwrap();
    assert!(group.groups.is_empty(), "{:?}", group.groups);
}

#[test]
fn a_class_week_shows_families_only_public_documents() {
    let library = TestLibrary::new();
    let by = teacher(&library);
    let public = add(&library, "Le cours sur les volcans", Visibility::Public);
    let staff = add(&library, "Le corrigé des volcans", Visibility::Staff);
    write(
        &library,
        &by,
        &["2nde B"],
        "Lire le cours.",
        &[&public, &staff],
    );

    let attached = |public_only| {
        let page = library
            .core
            .class_week_page(&class("2nde B"), today(), public_only)
            .unwrap();
        page.week.items[0].documents.len()
    };
    assert_eq!((attached(true), attached(false)), (1, 2));
}

#[test]
fn the_kiosk_finds_public_documents_and_entries_only_and_offers_groups_as_tiles() {
    let library = TestLibrary::new();
    let core = &library.core;
    let by = teacher(&library);
    let school = School::with_name("Lycée");
    let public = add(&library, "Les volcans actifs", Visibility::Public);
    add(&library, "Les volcans du corrigé", Visibility::Staff);
    write(&library, &by, &["2nde B"], "Exposé sur les volcans.", &[]);
    write(&library, &by, &["2nde"], "Apporter la calculatrice.", &[]);

    let tiles = core.kiosk_find_page(&school, "  ", today()).unwrap();
    assert!(
        matches!(tiles.searched, Searched::NoWords),
        "{:?}",
        tiles.searched
    );
    assert!(tiles.entries.is_empty());
    assert_eq!(tiles.groups, vec![class("2nde B")]);
    assert_eq!(tiles.levels, school.levels);

    let found = core.kiosk_find_page(&school, "volcans", today()).unwrap();
    match found.searched {
        Searched::Found(found) => {
            let ids: Vec<_> = found.documents.iter().map(|f| &f.document.id).collect();
            assert_eq!(ids, vec![&public.id]);
        }
        other => panic!("the public document is found: {other:?}"),
    }
    assert_eq!(found.entries.len(), 1, "{:?}", found.entries);
    assert_eq!(found.groups, vec![class("2nde B")]);

    let common_words = core.kiosk_find_page(&school, "le la de", today()).unwrap();
    assert!(
        matches!(common_words.searched, Searched::Unreadable(_)),
        "{:?}",
        common_words.searched
    );
}
