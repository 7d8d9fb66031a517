//! The library as the server and the command line use it (`Core`): real data folder in a temporary
//! directory, real SQLite catalog, real tantivy index, real `cartable extract` children, and tiny
//! real documents built in `common`.

mod common;

use std::io::Cursor;
use std::panic::AssertUnwindSafe;

use cartable::model::{DocumentFilter, Format, Level, Metadata, Subject, TextStatus, Visibility};
use cartable::service::{Added, Error};

use common::{TestLibrary, DOCX_PHRASE, HTML_PHRASE, ODT_PHRASE, PDF_PHRASE, TXT_PHRASE};

fn filter(limit: usize) -> DocumentFilter {
    DocumentFilter {
        limit,
        ..DocumentFilter::default()
    }
}

/// Adds one file, checks its text was read with its accents, and that a word of it finds it.
fn assert_found_by_its_text(bytes: &[u8], file_name: &str, phrase: &str, format: Format) {
    let library = TestLibrary::new();
    let document = library.add(bytes, file_name);
    assert_eq!(document.format, format, "{file_name}");
    assert_eq!(
        document.text_status,
        TextStatus::Ok,
        "{file_name}: {document:?}"
    );
    let text = library.core.text(&document.id).unwrap();
    assert!(text.contains(phrase), "{file_name}: {text:?}");
    let last_word = phrase.split_whitespace().last().unwrap();
    assert_eq!(library.found(last_word), vec![document.id.to_string()]);
    assert_eq!(library.found(phrase), vec![document.id.to_string()]);
}

#[test]
fn search_finds_words_inside_pdf() {
    assert_found_by_its_text(&common::pdf(), "Cours SVT.pdf", PDF_PHRASE, Format::Pdf);
}

#[test]
fn search_finds_words_inside_docx() {
    assert_found_by_its_text(&common::docx(), "Histoire.docx", DOCX_PHRASE, Format::Docx);
}

#[test]
fn search_finds_words_inside_odt() {
    assert_found_by_its_text(&common::odt(), "Géométrie.odt", ODT_PHRASE, Format::Odt);
}

#[test]
fn search_finds_words_inside_windows_1252_html_that_declares_its_charset() {
    assert_found_by_its_text(
        &common::html_cp1252(),
        "club.html",
        HTML_PHRASE,
        Format::Html,
    );
}

#[test]
fn search_finds_words_inside_windows_1252_text_without_declaration() {
    assert_found_by_its_text(&common::txt_cp1252(), "meteo.txt", TXT_PHRASE, Format::Text);
}

/// One library holding every fixture, for the tests about how forgiving search is.
struct Shelf {
    library: TestLibrary,
    pdf: String,
    docx: String,
    odt: String,
}

fn shelf() -> Shelf {
    let library = TestLibrary::new();
    let pdf = library.add(&common::pdf(), "Cours.pdf").id.to_string();
    let docx = library.add(&common::docx(), "Histoire.docx").id.to_string();
    let odt = library.add(&common::odt(), "Géométrie.odt").id.to_string();
    library.add(&common::html_cp1252(), "club.html");
    library.add(&common::txt_cp1252(), "meteo.txt");
    Shelf {
        library,
        pdf,
        docx,
        odt,
    }
}

fn assert_first(shelf: &Shelf, query: &str, expected: &str) {
    let found = shelf.library.found(query);
    assert_eq!(
        found.first().map(String::as_str),
        Some(expected),
        "{query:?}: {found:?}"
    );
}

#[test]
fn search_forgives_missing_accents() {
    let shelf = shelf();
    assert_first(&shelf, "photosynthese", &shelf.pdf);
    assert_first(&shelf, "theoreme", &shelf.odt);
    assert_first(&shelf, "REVOLUTION FRANCAISE", &shelf.docx);
}

#[test]
fn search_finds_other_inflections_of_a_word() {
    let shelf = shelf();
    assert_first(&shelf, "vegetal", &shelf.pdf);
    assert_first(&shelf, "théorèmes", &shelf.odt);
    assert_first(&shelf, "démontrée", &shelf.odt);
}

#[test]
fn search_sees_through_elisions() {
    let shelf = shelf();
    assert_first(&shelf, "l'ecole", &shelf.docx);
    assert_first(&shelf, "l'élève", &shelf.docx);
}

#[test]
fn search_forgives_one_typo_in_a_long_word() {
    let shelf = shelf();
    assert_first(&shelf, "photosinthèse", &shelf.pdf);
    assert_first(&shelf, "pythagoe", &shelf.odt);
}

#[test]
fn a_pdf_named_docx_is_stored_as_a_pdf() {
    let library = TestLibrary::new();
    let document = library.add(&common::pdf(), "Cours.docx");
    assert_eq!(document.format, Format::Pdf);
    assert_eq!(document.file_name, "Cours.docx");
    assert_eq!(document.text_status, TextStatus::Ok);
    assert_eq!(
        library.found("chlorophylliens"),
        vec![document.id.to_string()]
    );
}

#[test]
fn empty_and_garbage_files_are_refused_and_leave_nothing_stored() {
    let library = TestLibrary::new();
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let refused: [(&str, Vec<u8>); 3] = [
        ("vide.pdf", Vec::new()),
        ("blanc.txt", b"  \n\t\r\n".to_vec()),
        ("bruit.pdf", garbage),
    ];
    for (name, bytes) in refused {
        let result = library
            .core
            .add(Cursor::new(bytes), name, &Metadata::default(), true);
        assert!(
            matches!(result, Err(Error::UnsupportedType(_))),
            "{name}: {result:?}"
        );
    }
    assert_eq!(library.count(), 0);
    assert_eq!(library.stored_files(), Vec::<std::path::PathBuf>::new());
    assert_eq!(
        common::files_under(&library.data_dir().join("tmp")),
        Vec::<std::path::PathBuf>::new(),
        "refused uploads are not left in tmp/"
    );
    assert!(library.core.check(false).unwrap().is_healthy());
}

#[test]
fn a_truncated_pdf_is_stored_as_damaged() {
    let library = TestLibrary::new();
    let whole = common::pdf();
    let half = &whole[..whole.len() / 2];
    let document = library.add(half, "Cours coupé.pdf");
    assert_eq!(document.format, Format::Pdf);
    assert_eq!(document.text_status, TextStatus::Damaged, "{document:?}");
    assert!(document.text_reason.is_some());
    // Stored all the same, and found by its name.
    assert_eq!(library.count(), 1);
    assert_eq!(library.found("coupé"), vec![document.id.to_string()]);
}

#[test]
fn the_same_content_added_twice_is_a_duplicate_with_the_same_id() {
    let library = TestLibrary::new();
    let first = library.add(&common::odt(), "Pythagore.odt");
    let again = library
        .core
        .add(
            Cursor::new(common::odt()),
            "copie de Pythagore.odt",
            &Metadata::default(),
            true,
        )
        .unwrap();
    let Added::Duplicate(existing) = again else {
        panic!("the second copy was added: {again:?}");
    };
    assert_eq!(existing.id, first.id);
    assert_eq!(existing.file_name, "Pythagore.odt");
    assert_eq!(library.count(), 1);
    assert_eq!(library.stored_files().len(), 1);
    assert_eq!(library.found("pythagore"), vec![first.id.to_string()]);
}

#[test]
fn replacing_a_file_keeps_the_id_and_swaps_the_searchable_text() {
    let library = TestLibrary::new();
    let original = library.add(&common::pdf(), "Cours.pdf");
    let replaced = library
        .core
        .replace_file(&original.id, Cursor::new(common::docx()), "Cours v2.docx")
        .unwrap();
    assert_eq!(replaced.id, original.id);
    assert_eq!(replaced.format, Format::Docx);
    assert_eq!(replaced.file_name, "Cours v2.docx");
    assert_ne!(replaced.sha256, original.sha256);
    assert_eq!(
        library.core.get(&original.id).unwrap(),
        common::as_stored(&replaced)
    );
    assert_eq!(library.found("révolution"), vec![original.id.to_string()]);
    assert!(library.found("photosynthèse").is_empty());
    assert_eq!(library.count(), 1);
    assert_eq!(library.stored_files().len(), 1, "the old file is gone");
    assert!(library.core.check(false).unwrap().is_healthy());
}

#[test]
fn replacing_a_file_with_another_documents_content_is_a_conflict() {
    let library = TestLibrary::new();
    let pdf = library.add(&common::pdf(), "Cours.pdf");
    library.add(&common::odt(), "Pythagore.odt");
    let result = library
        .core
        .replace_file(&pdf.id, Cursor::new(common::odt()), "Pythagore.odt");
    assert!(matches!(result, Err(Error::Conflict(_))), "{result:?}");
    assert_eq!(library.core.get(&pdf.id).unwrap(), common::as_stored(&pdf));
    assert_eq!(library.found("photosynthèse"), vec![pdf.id.to_string()]);
}

#[test]
fn removing_a_document_makes_it_unfindable_and_deletes_its_file() {
    let library = TestLibrary::new();
    let document = library.add(&common::pdf(), "Cours.pdf");
    let kept = library.add(&common::odt(), "Pythagore.odt");
    let file = library.core.download(&document.id).unwrap().1;
    assert!(file.is_file());
    let removed = library.core.remove(&document.id).unwrap();
    assert_eq!(removed.id, document.id);
    assert!(library.found("photosynthèse").is_empty());
    assert!(matches!(
        library.core.get(&document.id),
        Err(Error::NotFound)
    ));
    assert!(!file.exists());
    assert_eq!(library.stored_files().len(), 1);
    assert!(matches!(
        library.core.remove(&document.id),
        Err(Error::NotFound)
    ));
    assert_eq!(library.found("pythagore"), vec![kept.id.to_string()]);
    assert!(library.core.check(false).unwrap().is_healthy());
}

#[test]
fn only_who_added_a_document_or_an_admin_may_change_it() {
    use cartable::model::{Account, Login, Role};
    let account = |login: &str, role| Account {
        login: Login::parse(login).unwrap(),
        role,
        disabled: false,
    };
    let library = TestLibrary::new();
    let metadata = Metadata {
        owner: Some("m.dupont".to_owned()),
        ..Metadata::default()
    };
    let document = library.add_with(&common::pdf(), "Cours.pdf", &metadata);
    let other = account("a.martin", Role::Teacher);
    assert!(matches!(
        library.core.changeable_document(&other, &document.id),
        Err(Error::Forbidden(_))
    ));
    let owner = account("m.dupont", Role::Teacher);
    let admin = account("direction", Role::Admin);
    for allowed in [&owner, &admin] {
        let found = library
            .core
            .changeable_document(allowed, &document.id)
            .unwrap();
        assert_eq!(found.id, document.id);
    }
    let unknown = cartable::model::DocumentId::parse("abcdefgh").unwrap();
    assert!(matches!(
        library.core.changeable_document(&admin, &unknown),
        Err(Error::NotFound)
    ));
}

#[test]
fn reindex_then_check_reports_a_healthy_folder_with_the_same_results() {
    let shelf = shelf();
    let library = &shelf.library;
    let queries = ["photosynthese", "élèves", "théorème", "théâtre", "météo"];
    let before: Vec<Vec<String>> = queries.iter().map(|q| library.found(q)).collect();
    assert_eq!(library.core.reindex().unwrap(), 5);
    let report = library.core.check(false).unwrap();
    assert!(report.is_healthy(), "{report:?}");
    assert_eq!(report.documents, 5);
    assert!(!report.repaired);
    let after: Vec<Vec<String>> = queries.iter().map(|q| library.found(q)).collect();
    assert_eq!(before, after);
    assert!(after.iter().all(|hits| !hits.is_empty()), "{after:?}");
}

#[test]
fn check_reports_a_stored_file_deleted_from_disk_as_missing() {
    let library = TestLibrary::new();
    let lost = library.add(&common::pdf(), "Cours.pdf");
    library.add(&common::odt(), "Pythagore.odt");
    std::fs::remove_file(library.core.download(&lost.id).unwrap().1).unwrap();
    let report = library.core.check(false).unwrap();
    assert_eq!(report.missing_files, vec![lost.id.to_string()]);
    assert!(report.altered_files.is_empty() && report.orphan_files.is_empty());
    assert!(!report.is_healthy());
    // Repair cannot invent the file: it is still reported.
    let repaired = library.core.check(true).unwrap();
    assert_eq!(repaired.missing_files, vec![lost.id.to_string()]);
}

#[test]
fn check_reports_an_altered_file_and_repair_removes_an_orphan() {
    let library = TestLibrary::new();
    let altered = library.add(&common::pdf(), "Cours.pdf");
    let path = library.core.download(&altered.id).unwrap().1;
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(b"% appended\n");
    std::fs::write(&path, bytes).unwrap();
    let orphan_dir = library.data_dir().join("files").join("ab");
    std::fs::create_dir_all(&orphan_dir).unwrap();
    let orphan_hash = format!("ab{}", "0".repeat(62));
    std::fs::write(orphan_dir.join(&orphan_hash), b"nobody's").unwrap();

    let report = library.core.check(false).unwrap();
    assert_eq!(report.altered_files, vec![altered.id.to_string()]);
    assert_eq!(report.orphan_files, vec![orphan_hash.clone()]);
    let repaired = library.core.check(true).unwrap();
    assert!(repaired.repaired);
    assert!(!orphan_dir.join(&orphan_hash).exists());
    assert!(library.core.check(false).unwrap().orphan_files.is_empty());
}

#[test]
fn hostile_queries_never_panic() {
    let shelf = shelf();
    let long = "photosynthèse ".repeat(10 * 1024 / 14);
    let many_words = (0..200).map(|i| format!("mot{i} ")).collect::<String>();
    let queries: Vec<String> = [
        "\"",
        ":",
        "(",
        ")",
        "*",
        "-",
        "\"\"",
        "",
        "   ",
        "AND OR NOT",
        "title:foo",
        "body:photosynthèse",
        "photo*",
        "+photosynthèse -théorème",
        "\"la photosynthèse",
        "[a TO z]",
        "~2",
        "^3",
        "👩‍🎓",
        "a\0b",
        "\0",
        "l'",
        "'''",
        "\u{202e}esèhtnysotohp",
        "ǅ ß İ ﬁ",
    ]
    .iter()
    .map(|q| q.to_string())
    .chain([long, many_words, "x".repeat(5000), "é".repeat(499)])
    .collect();
    for public_only in [false, true] {
        for query in &queries {
            let filter = DocumentFilter {
                public_only,
                ..filter(10)
            };
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                shelf.library.core.search(query, &filter)
            }));
            let shown: String = query.chars().take(40).collect();
            match result {
                Ok(Ok(_)) | Ok(Err(Error::InvalidInput(_))) => {}
                Ok(Err(other)) => panic!("{shown:?} gave {other:?}"),
                Err(_) => panic!("{shown:?} panicked"),
            }
        }
    }
    // Nothing was broken on the way.
    assert_first(&shelf, "photosynthèse", &shelf.pdf);
}

#[test]
fn queries_with_nothing_to_search_are_invalid_input() {
    let library = TestLibrary::new();
    library.add(&common::pdf(), "Cours.pdf");
    for query in [
        "",
        "   ",
        "\"\"",
        "(",
        "la le les",
        "x".repeat(10 * 1024).as_str(),
    ] {
        let result = library.core.search(query, &filter(10));
        assert!(
            matches!(result, Err(Error::InvalidInput(_))),
            "{:?}: {result:?}",
            &query[..query.len().min(20)]
        );
    }
}

#[test]
fn staff_documents_are_hidden_from_public_searches() {
    let library = TestLibrary::new();
    let staff_only = Metadata {
        visibility: Some(Visibility::Staff),
        ..Metadata::default()
    };
    let hidden = library.add_with(&common::pdf(), "Corrigé.pdf", &staff_only);
    let public = library.add_with(
        &common::pdf_with_lines(&["La photosynthèse expliquée aux familles"]),
        "Fiche.pdf",
        &Metadata::default(),
    );
    let public_filter = DocumentFilter::public(10);
    assert_eq!(
        library.found_with("photosynthèse", &public_filter),
        vec![public.id.to_string()]
    );
    let page = library
        .core
        .search("photosynthèse", &public_filter)
        .unwrap();
    assert_eq!(page.total, 1, "the total does not count hidden documents");
    assert!(library
        .found_with("chlorophylliens", &public_filter)
        .is_empty());
    let (listed, total) = library.core.list(&public_filter).unwrap();
    assert_eq!(total, 1);
    assert_eq!(listed[0].id, public.id);
    // Staff see both.
    let mut all = library.found("photosynthèse");
    all.sort();
    let mut expected = vec![hidden.id.to_string(), public.id.to_string()];
    expected.sort();
    assert_eq!(all, expected);
}

#[test]
fn making_a_document_staff_only_hides_it_from_public_searches() {
    let library = TestLibrary::new();
    let document = library.add(&common::odt(), "Pythagore.odt");
    let public_filter = DocumentFilter::public(10);
    assert_eq!(
        library.found_with("pythagore", &public_filter),
        vec![document.id.to_string()]
    );
    let edited = library
        .core
        .update_metadata(
            &document.id,
            &Metadata {
                visibility: Some(Visibility::Staff),
                ..Metadata::default()
            },
        )
        .unwrap();
    assert_eq!(edited.visibility, Visibility::Staff);
    assert!(library.found_with("pythagore", &public_filter).is_empty());
    assert_eq!(library.found("pythagore"), vec![document.id.to_string()]);
}

#[test]
fn level_and_subject_filters_restrict_search_and_list() {
    let library = TestLibrary::new();
    let maths_2nde = Metadata {
        levels: vec![Level::parse("Seconde").unwrap()],
        subject: Subject::parse("maths"),
        ..Metadata::default()
    };
    let svt_tle = Metadata {
        levels: vec![Level::parse("Terminale").unwrap()],
        subject: Subject::parse("SVT"),
        ..Metadata::default()
    };
    let maths = library.add_with(
        &common::odt_with_lines(&["Exercices corrigés : le théorème de Pythagore"]),
        "Pythagore.odt",
        &maths_2nde,
    );
    let svt = library.add_with(
        &common::pdf_with_lines(&["Exercices corrigés : la photosynthèse"]),
        "Photosynthèse.pdf",
        &svt_tle,
    );
    assert_eq!(maths.levels, vec![Level::parse("2nde").unwrap()]);
    assert_eq!(maths.subject, Subject::parse("Mathématiques"));

    let by_level = DocumentFilter {
        level: Level::parse("2nde"),
        ..filter(10)
    };
    let by_subject = DocumentFilter {
        subject: Subject::parse("Sciences de la vie et de la Terre"),
        ..filter(10)
    };
    let both_mismatched = DocumentFilter {
        level: Level::parse("2nde"),
        subject: Subject::parse("SVT"),
        ..filter(10)
    };
    assert_eq!(library.found("exercices").len(), 2);
    assert_eq!(
        library.found_with("exercices", &by_level),
        vec![maths.id.to_string()]
    );
    assert_eq!(
        library.found_with("exercices", &by_subject),
        vec![svt.id.to_string()]
    );
    assert!(library.found_with("exercices", &both_mismatched).is_empty());

    let (listed, total) = library.core.list(&by_level).unwrap();
    assert_eq!((total, listed[0].id.clone()), (1, maths.id.clone()));
    let (listed, total) = library.core.list(&by_subject).unwrap();
    assert_eq!((total, listed[0].id.clone()), (1, svt.id.clone()));
    assert_eq!(library.core.list(&both_mismatched).unwrap().1, 0);

    // The level and subject are words that find the document too.
    assert_eq!(library.found("Tle"), vec![svt.id.to_string()]);
    assert_eq!(library.found("mathématiques"), vec![maths.id.to_string()]);
}

#[test]
fn documents_survive_reopening_the_library() {
    let library = TestLibrary::new();
    let metadata = Metadata {
        title: Some("Cours de biologie végétale".to_owned()),
        levels: vec![Level::parse("1re").unwrap()],
        ..Metadata::default()
    };
    let document = library.add_with(&common::pdf(), "Cours.pdf", &metadata);
    let library = library.reopen();
    assert_eq!(
        library.core.get(&document.id).unwrap(),
        common::as_stored(&document)
    );
    assert_eq!(
        library.found("photosynthese"),
        vec![document.id.to_string()]
    );
    assert_eq!(library.found("biologie"), vec![document.id.to_string()]);
    assert!(library.core.check(false).unwrap().is_healthy());
}

#[test]
fn a_lost_index_is_rebuilt_when_the_library_opens() {
    let library = TestLibrary::new();
    let document = library.add(&common::docx(), "Histoire.docx");
    let index = library.data_dir().join("index");
    let library = library.reopen_after(|| std::fs::remove_dir_all(&index).unwrap());
    assert_eq!(library.found("révolution"), vec![document.id.to_string()]);
    assert!(library.core.check(false).unwrap().is_healthy());
}

#[test]
fn a_file_over_the_upload_limit_is_refused_and_leaves_nothing() {
    let library = TestLibrary::new();
    let too_big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let result = library.core.add(
        Cursor::new(too_big),
        "énorme.txt",
        &Metadata::default(),
        true,
    );
    assert!(matches!(result, Err(Error::TooLarge { .. })), "{result:?}");
    assert_eq!(library.count(), 0);
    assert!(library.stored_files().is_empty());
    assert!(common::files_under(&library.data_dir().join("tmp")).is_empty());
}

#[test]
fn a_zip_pack_given_to_add_is_refused_as_a_type_to_import() {
    let library = TestLibrary::new();
    let pack = common::zip_pack(&[("Semaine 1/cours.txt", &common::txt_cp1252())]);
    let result = library
        .core
        .add(Cursor::new(pack), "pack.zip", &Metadata::default(), true);
    assert!(
        matches!(result, Err(Error::UnsupportedType(_))),
        "{result:?}"
    );
    assert_eq!(library.count(), 0);
    assert!(library.stored_files().is_empty());
}

#[test]
fn the_same_file_added_from_two_threads_at_once_is_stored_once() {
    let library = TestLibrary::new();
    let outcomes: Vec<Added> = std::thread::scope(|scope| {
        let adders: Vec<_> = (0..2)
            .map(|i| {
                let core = &library.core;
                scope.spawn(move || {
                    core.add(
                        Cursor::new(common::docx()),
                        &format!("copie {i}.docx"),
                        &Metadata::default(),
                        true,
                    )
                    .unwrap()
                })
            })
            .collect();
        adders.into_iter().map(|a| a.join().unwrap()).collect()
    });
    let ids: Vec<_> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Added::New(document) | Added::Duplicate(document) => document.id.clone(),
        })
        .collect();
    assert_eq!(ids[0], ids[1]);
    let new = outcomes
        .iter()
        .filter(|o| matches!(o, Added::New(_)))
        .count();
    assert_eq!(new, 1, "{outcomes:?}");
    assert_eq!(library.count(), 1);
    assert_eq!(library.stored_files().len(), 1);
    assert_eq!(library.found("révolution"), vec![ids[0].to_string()]);
}

#[test]
fn import_infers_level_and_subject_from_folders_and_skips_what_it_has() {
    let library = TestLibrary::new();
    let root = library.scratch().join("cours");
    let folder = root.join("1ère").join("Histoire géo");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("Révolution.docx"), common::docx()).unwrap();
    std::fs::write(folder.join("Météo.txt"), common::txt_cp1252()).unwrap();
    std::fs::write(folder.join("vide.pdf"), b"").unwrap();
    std::fs::write(folder.join(".~lock.Révolution.docx#"), b"clutter").unwrap();
    std::fs::write(folder.join("Thumbs.db"), b"clutter").unwrap();

    let progress = std::sync::Mutex::new(Vec::new());
    let report = library
        .core
        .import(
            std::slice::from_ref(&root),
            &Metadata::default(),
            &|_, done, total| progress.lock().unwrap().push((done, total)),
        )
        .unwrap();
    let added: Vec<_> = report.added().collect();
    assert_eq!(added.len(), 2, "{report:?}");
    for document in &added {
        assert_eq!(document.levels, vec![Level::parse("1re").unwrap()]);
        assert_eq!(document.subject, Subject::parse("Histoire-Géographie"));
    }
    let refused: Vec<_> = report.refused().collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].0.ends_with("vide.pdf") && refused[0].1.contains("vide"));
    let mut progress = progress.into_inner().unwrap();
    progress.sort();
    assert_eq!(progress, vec![(1, 3), (2, 3), (3, 3)]);
    // Searchable at once: import commits at the end.
    assert_eq!(library.found("révolution").len(), 1);

    let again = library
        .core
        .import(&[root], &Metadata::default(), &|_, _, _| {})
        .unwrap();
    assert_eq!(again.added().count(), 0);
    assert_eq!(again.duplicates(), 2);
    assert_eq!(library.count(), 2);
}

#[test]
fn levels_are_found_by_their_name_in_words_too() {
    let library = TestLibrary::new();
    let terminale = Metadata {
        levels: vec![Level::parse("Tle").unwrap()],
        ..Metadata::default()
    };
    let document = library.add_with(&common::odt(), "Cours.odt", &terminale);
    assert_eq!(library.found("terminale"), vec![document.id.to_string()]);
    assert_eq!(library.found("Tle"), vec![document.id.to_string()]);
}

/// Regression: a huge page offset made the search collector overflow and panic.
#[test]
fn absurd_page_offsets_and_sizes_give_an_empty_page_not_a_panic() {
    let library = TestLibrary::new();
    library.add(&common::pdf(), "Photosynthèse.pdf");
    for (limit, offset) in [
        (10, usize::MAX),
        (usize::MAX, usize::MAX / 2),
        (0, 1_000_000_000),
    ] {
        let filter = DocumentFilter {
            limit,
            offset,
            ..DocumentFilter::default()
        };
        let page = library.core.search("photosynthese", &filter).unwrap();
        assert!(page.hits.is_empty(), "limit {limit} offset {offset}");
        let (listed, total) = library.core.list(&filter).unwrap();
        assert!(listed.is_empty());
        assert_eq!(total, 1);
    }
}

#[test]
fn downloads_are_counted_and_saved_in_one_go() {
    let library = TestLibrary::new();
    let document = library.add(&common::pdf(), "Photosynthèse.pdf");
    for _ in 0..3 {
        library.core.count_download(&document.id);
    }
    assert_eq!(
        library.core.get(&document.id).unwrap().downloads,
        0,
        "not written yet"
    );
    library.core.save_download_counts().unwrap();
    library.core.save_download_counts().unwrap();
    assert_eq!(library.core.get(&document.id).unwrap().downloads, 3);
}
