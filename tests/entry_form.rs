//! The documents the staff's cahier de texte form offers, at the service without HTTP: the
//! writer's own newest, or what the words find (staff-only documents too), never one already
//! attached; words the index cannot read offer nothing instead of failing the form.

mod common;

use cartable::model::{Document, Login, Metadata, Visibility};

use common::TestLibrary;

/// Adds a text file saying `text`, added by `owner` when given.
fn add(library: &TestLibrary, text: &str, owner: Option<&str>) -> Document {
    let metadata = Metadata {
        visibility: Some(Visibility::Staff),
        owner: owner.map(str::to_owned),
        ..Metadata::default()
    };
    library.add_with(&common::text(text), &format!("{text}.txt"), &metadata)
}

fn ids(documents: &[Document]) -> Vec<String> {
    let mut ids: Vec<String> = documents.iter().map(|d| d.id.to_string()).collect();
    ids.sort();
    ids
}

#[test]
fn the_form_offers_the_writers_documents_or_what_the_words_find_never_one_attached() {
    let library = TestLibrary::new();
    let core = &library.core;
    let prof = Login::parse("prof").unwrap();
    let mine = add(&library, "Les équations du second degré", Some("prof"));
    let attached = add(&library, "Les inéquations du premier degré", Some("prof"));
    let theirs = add(&library, "Les équations de droites", Some("autre"));

    let form = core
        .entry_documents(&prof, std::slice::from_ref(&attached.id), "")
        .unwrap();
    assert_eq!(ids(&form.attached), vec![attached.id.to_string()]);
    assert_eq!(ids(&form.offered), vec![mine.id.to_string()]);

    let searched = core
        .entry_documents(&prof, std::slice::from_ref(&attached.id), "  degré ")
        .unwrap();
    assert_eq!(ids(&searched.offered), vec![mine.id.to_string()]);
    let everyone = core.entry_documents(&prof, &[], "équations").unwrap();
    assert_eq!(ids(&everyone.offered), ids(&[mine, theirs]));

    let common_words = core
        .entry_documents(&prof, std::slice::from_ref(&attached.id), "le la de")
        .unwrap();
    assert!(common_words.offered.is_empty());
    assert_eq!(ids(&common_words.attached), vec![attached.id.to_string()]);
}

#[test]
fn a_saved_entry_shows_its_writer_every_document_it_attached() {
    let library = TestLibrary::new();
    let core = &library.core;
    let by = core
        .accounts()
        .add(
            "prof",
            cartable::model::Role::Teacher,
            "un mot de passe assez long",
        )
        .unwrap();
    let staff_only = add(&library, "Le corrigé du devoir", Some("prof"));
    let entry = cartable::model::NewHomework {
        classes: vec![cartable::model::ClassName::parse("2nde B").unwrap()],
        due: time::OffsetDateTime::now_utc().date(),
        subject: None,
        instruction: "Corriger le devoir.".to_owned(),
        documents: vec![staff_only.id.clone()],
    };
    let id = core.add_homework(&by, entry).unwrap();
    let saved = core.saved_homework(id).unwrap();
    assert_eq!(saved.entry.id, id);
    assert_eq!(ids(&saved.documents), vec![staff_only.id.to_string()]);
}
