//! The `cartable` binary as an admin runs it: import, search, check, reindex, help. Each test
//! spawns the real binary on a data folder in a temporary directory.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::{cartable, finish, Run};
use serde_json::Value;

/// A folder as a teacher hands it over: `cours/2nde/Mathématiques/` with one file per format and
/// an empty file.
struct Handover {
    dir: tempfile::TempDir,
}

impl Handover {
    fn new() -> Handover {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("cours").join("2nde").join("Mathématiques");
        std::fs::create_dir_all(&folder).unwrap();
        let files: [(&str, Vec<u8>); 6] = [
            ("Photosynthèse.pdf", common::pdf()),
            ("Révolution.docx", common::docx()),
            ("Pythagore.odt", common::odt()),
            ("Théâtre.html", common::html_cp1252()),
            ("Météo.txt", common::txt_cp1252()),
            ("vide.txt", Vec::new()),
        ];
        for (name, bytes) in files {
            std::fs::write(folder.join(name), bytes).unwrap();
        }
        Handover { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn folder(&self) -> PathBuf {
        self.dir.path().join("cours")
    }

    fn import(&self) -> Run {
        cartable(&self.data(), &["import", self.folder().to_str().unwrap()])
    }
}

fn search_json(data: &Path, query: &str) -> Value {
    let run = cartable(data, &["search", query, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn import_refuses_an_empty_file_says_why_and_exits_1() {
    let handover = Handover::new();
    let run = handover.import();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("5 ajouté"), "{}", run.stderr);
    assert!(run.stderr.contains("1 refusé"), "{}", run.stderr);
    let refusal = run
        .stderr
        .lines()
        .find(|line| line.contains("vide.txt"))
        .unwrap_or_else(|| panic!("the empty file is not named: {}", run.stderr));
    assert!(refusal.contains("vide"), "{refusal}");
    assert!(run.stdout.is_empty(), "people's output goes to stderr");
}

#[test]
fn a_second_import_of_the_same_folder_adds_nothing() {
    let handover = Handover::new();
    handover.import();
    let run = handover.import();
    assert!(run.stderr.contains("0 ajouté"), "{}", run.stderr);
    assert!(run.stderr.contains("5 déjà présent"), "{}", run.stderr);
    let found = search_json(&handover.data(), "pythagore");
    assert_eq!(found["total"], 1);
}

#[test]
fn search_json_gives_the_hit_objects_of_the_contract_with_inferred_level_and_subject() {
    let handover = Handover::new();
    handover.import();
    let page = search_json(&handover.data(), "photosynthese");
    assert_eq!(page["total"], 1, "{page:#}");
    let hits = page["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    let hit = hits[0].as_object().unwrap();
    let keys: BTreeSet<&str> = hit.keys().map(String::as_str).collect();
    let contract: BTreeSet<&str> = common::HIT_KEYS.into_iter().collect();
    assert_eq!(keys, contract);
    let id = hit["id"].as_str().unwrap();
    assert_eq!(hit["file_name"], "Photosynthèse.pdf");
    assert_eq!(hit["url"], format!("/documents/{id}"));
    assert_eq!(hit["download_url"], format!("/documents/{id}/file"));
    assert_eq!(hit["levels"], serde_json::json!(["2nde"]));
    assert_eq!(hit["subject"], "Mathématiques");
    assert_eq!(hit["format"], "pdf");
    assert_eq!(hit["bytes"], common::pdf().len());
    assert!(!hit["title"].as_str().unwrap().is_empty());
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>"), "{snippet}");
    assert!(snippet.contains("photosynthèse"), "{snippet}");

    // Every format of the folder is found by its own words.
    for (query, format) in [
        ("révolution", "docx"),
        ("pythagore", "odt"),
        ("répétition", "html"),
        ("prévisions", "text"),
    ] {
        let page = search_json(&handover.data(), query);
        assert_eq!(page["hits"][0]["format"], format, "{query}: {page:#}");
        assert_eq!(page["hits"][0]["levels"], serde_json::json!(["2nde"]));
    }
}

#[test]
fn search_accepts_the_data_folder_after_the_subcommand_and_honours_the_limit() {
    let handover = Handover::new();
    handover.import();
    let mut command = Command::new(common::binary());
    command
        .args(["search", "2nde", "--limit", "2", "--json", "--data"])
        .arg(handover.data())
        .env_remove("CARTABLE_DATA");
    let run = finish(command.output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(page["total"], 5, "{page:#}");
    assert_eq!(page["hits"].as_array().unwrap().len(), 2);
}

#[test]
fn search_with_nothing_to_look_for_fails_cleanly() {
    let handover = Handover::new();
    handover.import();
    let run = cartable(&handover.data(), &["search", "\"\"", "--json"]);
    assert_ne!(run.code, 0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(!run.stderr.is_empty());
}

#[test]
fn check_exits_0_on_a_healthy_folder_and_1_when_a_file_is_missing() {
    let handover = Handover::new();
    handover.import();
    let run = cartable(&handover.data(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("5 document"), "{}", run.stderr);

    let run = cartable(&handover.data(), &["check", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["documents"], 5);
    assert_eq!(report["missing_files"], serde_json::json!([]));

    let stored = common::files_under(&handover.data().join("files"));
    assert_eq!(stored.len(), 5);
    std::fs::remove_file(&stored[0]).unwrap();
    let run = cartable(&handover.data(), &["check", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["missing_files"].as_array().unwrap().len(), 1);
    // Repair cannot bring a file back.
    assert_eq!(cartable(&handover.data(), &["check", "--repair"]).code, 1);
}

#[test]
fn reindex_rebuilds_an_index_that_finds_the_same_documents() {
    let handover = Handover::new();
    handover.import();
    let before = search_json(&handover.data(), "théorème");
    let run = cartable(&handover.data(), &["reindex"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("5 document"), "{}", run.stderr);
    assert_eq!(search_json(&handover.data(), "théorème"), before);
    assert_eq!(cartable(&handover.data(), &["check"]).code, 0);
}

#[test]
fn help_lists_the_commands() {
    let run = finish(
        Command::new(common::binary())
            .arg("--help")
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for command in ["import", "search", "check", "reindex", "--data"] {
        assert!(run.stdout.contains(command), "{command}: {}", run.stdout);
    }
    assert!(
        !run.stdout.contains("extract"),
        "the internal command is hidden"
    );
    let run = finish(
        Command::new(common::binary())
            .args(["import", "--help"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("--level"), "{}", run.stdout);
}

#[test]
fn importing_a_zip_pack_adds_the_files_of_its_folders() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let pack = dir.path().join("CNED Tle.zip");
    std::fs::write(
        &pack,
        common::zip_pack(&[
            ("Semaine 1/Philosophie/Cours.docx", &common::docx()),
            ("Semaine 1/Philosophie/.DS_Store", b"clutter"),
            ("__MACOSX/Semaine 1/._Cours.docx", b"clutter"),
        ]),
    )
    .unwrap();
    let run = cartable(&data, &["import", pack.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("1 ajouté"), "{}", run.stderr);
    let page = search_json(&data, "révolution");
    assert_eq!(page["total"], 1, "{page:#}");
    let hit = &page["hits"][0];
    assert_eq!(hit["file_name"], "Cours.docx");
    assert_eq!(hit["format"], "docx");
    assert_eq!(hit["levels"], serde_json::json!(["Tle"]));
    assert_eq!(hit["subject"], "Philosophie");
    // The pack itself is not a document, nor is the clutter of the machine that made it.
    let run = cartable(&data, &["check", "--json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["documents"], 1, "{report:#}");
}

#[test]
fn a_data_folder_that_cannot_be_opened_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("fichier");
    std::fs::write(&not_a_folder, b"je ne suis pas un dossier").unwrap();
    let run = cartable(&not_a_folder, &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fichier"), "{}", run.stderr);
}

/// The binary run in `dir` without a data folder given, under the locale `lang` (`None`: no
/// locale variable at all).
fn run_in(dir: &Path, args: &[&str], lang: Option<&str>) -> Run {
    let mut command = Command::new(common::binary());
    command
        .args(args)
        .current_dir(dir)
        .env_remove("CARTABLE_DATA")
        .env_remove("RUST_LOG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(lang) = lang {
        command.env("LANG", lang);
    }
    finish(command.output().unwrap())
}

#[test]
fn help_is_french_unless_the_locale_is_english() {
    let dir = tempfile::tempdir().unwrap();
    for lang in [None, Some("fr_FR.UTF-8")] {
        let root = run_in(dir.path(), &["--help"], lang);
        assert_eq!(root.code, 0, "{}", root.stderr);
        for french in [
            "Utilisation : cartable",
            "Commandes :",
            "Options :",
            "Importer des fichiers",
            "Afficher l'aide",
        ] {
            assert!(
                root.stdout.contains(french),
                "{lang:?} {french}: {}",
                root.stdout
            );
        }
        let export = run_in(dir.path(), &["export", "--help"], lang);
        assert_eq!(export.code, 0, "{}", export.stderr);
        for french in [
            "Utilisation : cartable export",
            "--to <DOSSIER>",
            "Dossier où écrire",
            "pdf : une version imprimable",
        ] {
            assert!(
                export.stdout.contains(french),
                "{lang:?} {french}: {}",
                export.stdout
            );
        }
        for english in [&root, &export] {
            for word in [
                "Usage:",
                "Commands:",
                "Print help",
                "[default",
                "possible values",
            ] {
                assert!(!english.stdout.contains(word), "{word}: {}", english.stdout);
            }
        }
    }
    let root = run_in(dir.path(), &["--help"], Some("en_GB.UTF-8"));
    assert!(
        root.stdout.contains("Usage: cartable")
            && root.stdout.contains("Commands:")
            && root.stdout.contains("Import files")
            && !root.stdout.contains("Utilisation"),
        "{}",
        root.stdout
    );
    let export = run_in(dir.path(), &["export", "--help"], Some("en_GB.UTF-8"));
    assert!(
        export.stdout.contains("--to <DIR>") && export.stdout.contains("pdf: a printable version"),
        "{}",
        export.stdout
    );
    // A mistake is explained in the same language.
    let mistake = run_in(dir.path(), &["exprt"], None);
    assert_eq!(mistake.code, 2);
    assert!(
        mistake
            .stderr
            .starts_with("erreur : commande inconnue : exprt")
            && mistake.stderr.contains("« export »"),
        "{}",
        mistake.stderr
    );
}

#[test]
fn every_command_and_option_in_the_help_has_a_description() {
    let dir = tempfile::tempdir().unwrap();
    for lang in [None, Some("en_GB.UTF-8")] {
        let mut pending: Vec<Vec<String>> = vec![Vec::new()];
        let mut described = 0;
        while let Some(path) = pending.pop() {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push("--help");
            let run = run_in(dir.path(), &args, lang);
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            let mut heading = "";
            for line in run.stdout.lines() {
                if !line.starts_with(' ') {
                    heading = line;
                    continue;
                }
                // An entry of a list: its name, two spaces or more, what it does.
                let entry = line.trim_start();
                let (name, description) = entry.split_once("  ").unwrap_or((entry, ""));
                assert!(
                    !description.trim().is_empty(),
                    "{lang:?} {args:?}: `{name}` is not described"
                );
                described += 1;
                let commands = heading.starts_with("Commandes") || heading.starts_with("Commands");
                if commands && name != "help" {
                    let mut sub = path.clone();
                    sub.push(name.to_owned());
                    pending.push(sub);
                }
            }
        }
        // 9 commands (help included), 8 user commands, and their options.
        assert!(described > 60, "{lang:?}: {described}");
    }
}

#[test]
fn a_command_in_a_folder_without_catalog_names_the_folder_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["search", "fonctions affines"], None);
    let default = dir.path().join("cartable-data");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(default.to_str().unwrap())
            && run.stderr.contains("par défaut")
            && run.stderr.contains("--data"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("Aucun résultat"), "{}", run.stdout);
    assert!(!default.exists(), "searching makes no data folder");
    // A folder that has a catalog but no document: the answer says so, with the folder.
    let empty = dir.path().join("vide");
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(
        cartable(&default, &["import", empty.to_str().unwrap()]).code,
        0
    );
    let run = cartable(&default, &["search", "fonctions affines"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Aucun résultat"), "{}", run.stdout);
    assert!(
        run.stderr.contains(default.to_str().unwrap()) && run.stderr.contains("aucun document"),
        "{}",
        run.stderr
    );
}

#[test]
fn export_creates_its_destination_and_speaks_of_a_stick_only_for_one() {
    let handover = Handover::new();
    assert_eq!(handover.import().code, 1, "the empty file is refused");
    let to = handover.dir.path().join("partage").join("2nde");
    for format in ["folder", "zip"] {
        let run = cartable(
            &handover.data(),
            &["export", "--to", to.to_str().unwrap(), "--format", format],
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        let written = PathBuf::from(run.stdout.trim());
        assert!(written.starts_with(&to) && written.exists(), "{written:?}");
        assert!(
            run.stderr.contains("Terminé.") && !run.stderr.contains("clé"),
            "{format}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_zip_export_of_nothing_says_so_and_writes_no_file() {
    let handover = Handover::new();
    handover.import();
    let to = handover.dir.path().join("vide");
    let run = cartable(
        &handover.data(),
        &[
            "export",
            "--to",
            to.to_str().unwrap(),
            "--format",
            "zip",
            "--level",
            "6e",
        ],
    );
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("aucun document public ne correspond"),
        "{}",
        run.stderr
    );
    let left: Vec<_> = std::fs::read_dir(&to)
        .map(|entries| entries.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing is left in {to:?}: {left:?}");
}

#[test]
fn a_printable_export_without_libreoffice_says_so_once_in_french() {
    let handover = Handover::new();
    handover.import();
    let to = handover.dir.path().join("imprimer");
    let output = Command::new(common::binary())
        .arg("--data")
        .arg(handover.data())
        .args(["export", "--format", "pdf", "--to", to.to_str().unwrap()])
        .env("CARTABLE_OFFICE_COMMAND", "/nonexistent/soffice")
        .env_remove("CARTABLE_DATA")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let run = finish(output);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(PathBuf::from(run.stdout.trim()).starts_with(&to));
    let about_office: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("LibreOffice"))
        .collect();
    assert_eq!(
        about_office,
        ["LibreOffice n'est pas installé : 2 document(s) Word, OpenDocument ou diaporama imprimé(s) en texte, sans leur mise en page."],
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("WARN") && !run.stderr.contains("clé"),
        "{}",
        run.stderr
    );
}
