//! Hostile archives against the real binary and server: a zip pack with path traversal, an
//! absolute path, a symlink, a bomb, a nested zip and too many files imports its good files and
//! reports every other one with its reason, writing nothing outside the data folder; a DOCX zip
//! bomb or a cut DOCX costs at most its text; LibreOffice converts under its limits, and one
//! that goes over them is a typed error.

mod common;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use common::run::{cartable, Run};
use common::served::Served;
use common::server::TestServer;
use common::upload::api_upload;

const EVIL: &[u8] = b"contenu piege qui ne doit jamais etre ecrit";

/// A zip pack with two good files and one of each hostile kind; `outside` is an absolute path
/// an unwary importer would write to.
fn hostile_pack(outside: &Path) -> Vec<u8> {
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default();
    let mut file = |name: &str, content: &[u8]| {
        writer.start_file(name, options).unwrap();
        writer.write_all(content).unwrap();
    };
    file("Semaine 1/Histoire/Cours.docx", &common::docx());
    file("Semaine 1/notes.txt", &common::txt_cp1252());
    file("../evil.txt", EVIL);
    file(outside.to_str().unwrap(), EVIL);
    file("autre.zip", &common::zip_pack(&[("dedans.txt", EVIL)]));
    file("bombe.txt", &vec![b' '; 32 * 1024 * 1024]);
    writer
        .add_symlink("lien.txt", "/etc/passwd", options)
        .unwrap();
    writer.finish().unwrap();
    buffer.into_inner()
}

/// Every file under `folder` whose content holds `needle`.
fn files_holding(folder: &Path, needle: &[u8]) -> Vec<PathBuf> {
    common::files_under(folder)
        .into_iter()
        .filter(|path| {
            std::fs::read(path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        })
        .collect()
}

fn refusal_line<'a>(run: &'a Run, entry: &str) -> &'a str {
    run.stderr
        .lines()
        .find(|line| line.starts_with("- ") && line.contains(entry))
        .unwrap_or_else(|| panic!("{entry} is not reported:\n{}", run.stderr))
}

#[test]
fn a_hostile_pack_imported_beside_the_server_adds_the_good_files_and_reports_each_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let outside = dir.path().join("ailleurs").join("evil.txt");
    let pack = dir.path().join("colis.zip");
    std::fs::write(&pack, hostile_pack(&outside)).unwrap();
    let served = Served::start(&data);
    // The server does the import: a hostile pack must not hurt it.
    let run = cartable(&data, &["import", pack.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("2 ajouté"), "{}", run.stderr);
    assert!(run.stderr.contains("5 refusé"), "{}", run.stderr);
    assert!(refusal_line(&run, "../evil.txt").contains("« ../ »"));
    assert!(refusal_line(&run, "ailleurs/evil.txt").contains("chemin absolu"));
    assert!(refusal_line(&run, "lien.txt").contains("lien symbolique"));
    assert!(refusal_line(&run, "bombe.txt").contains("bombe zip"));
    assert!(refusal_line(&run, "autre.zip").contains("pas décompressée"));
    assert_eq!(run.stderr.matches("\n- ").count(), 5, "{}", run.stderr);
    // Nothing of the hostile entries was written, in the data folder or anywhere near it.
    assert!(!outside.exists());
    assert!(!dir.path().join("evil.txt").exists());
    let holding: Vec<PathBuf> = files_holding(dir.path(), EVIL)
        .into_iter()
        .filter(|path| *path != pack)
        .collect();
    assert!(holding.is_empty(), "{holding:?}");
    // The server still answers, and the good files are searchable.
    assert_eq!(served.browser().get("/healthz").status, 200);
    let search = served.browser().get("/api/search?q=revolution");
    assert_eq!(search.json()["total"], 1, "{}", search.text());
    served.stop();
}

#[test]
fn files_past_the_cap_of_a_pack_are_each_refused_as_too_many() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // All the same content: the first is added, the next are duplicates (no extraction), the
    // ones past the cap of 10,000 are refused.
    let names: Vec<String> = (0..10_003).map(|i| format!("copies/{i:05}.txt")).collect();
    let content = common::txt_cp1252();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &content[..])).collect();
    let pack = dir.path().join("copies.zip");
    std::fs::write(&pack, common::zip_pack(&entries)).unwrap();
    let run = cartable(&data, &["import", pack.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 ajouté(s), 9999 déjà présent(s), 3 refusé(s)"),
        "{}",
        run.stderr
    );
    for late in ["10000.txt", "10001.txt", "10002.txt"] {
        assert!(
            refusal_line(&run, late).contains("trop de fichiers dans l'archive (plus de 10000)")
        );
    }
}

#[test]
fn a_docx_bomb_and_a_cut_docx_uploaded_cost_their_text_and_the_server_still_answers() {
    let server = TestServer::start();
    // 200 MiB of text that deflates to a few hundred KiB, inside a well-formed DOCX.
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("[Content_Types].xml", options).unwrap();
    writer.write_all(b"<Types/>").unwrap();
    writer.start_file("word/document.xml", options).unwrap();
    writer
        .write_all(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>")
        .unwrap();
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..200 {
        writer.write_all(&chunk).unwrap();
    }
    writer
        .write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    writer.finish().unwrap();
    let bomb = buffer.into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let docx = common::docx();
    let cut = &docx[..docx.len() / 2];
    for (name, bytes) in [("bombe.docx", &bomb[..]), ("coupe.docx", cut)] {
        let answer = api_upload(&server, &[(name, bytes)], &[], Some(&server.teacher_token));
        // Stored as a document found by its title, or refused with a reason: never a 500.
        assert!(
            matches!(answer.status, 201 | 400 | 413 | 415),
            "{name}: {} {}",
            answer.status,
            answer.text()
        );
        if answer.status == 201 {
            assert_eq!(
                answer.json()["documents"][0]["format"],
                "docx",
                "{}",
                answer.text()
            );
        }
        assert_eq!(server.browser().get("/healthz").status, 200);
    }
    // A normal document still goes through.
    let answer = api_upload(
        &server,
        &[("cours.docx", &docx)],
        &[],
        Some(&server.teacher_token),
    );
    assert_eq!(answer.status, 201, "{}", answer.text());
}

fn soffice_installed() -> bool {
    std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn libreoffice_converts_a_docx_under_its_limits_and_going_over_one_is_a_typed_error() {
    use cartable::convert::{ConvertError, Limit, OfficeConverter, OfficeLimits, Source};
    if !soffice_installed() {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice is needed in CI (apt-get install libreoffice-writer-nogui)"
        );
        eprintln!("soffice is not installed: LibreOffice limits not tested here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("cours");
    std::fs::write(&document, common::docx()).unwrap();
    let source = Source {
        path: document,
        extension: "docx",
        key: "cours".to_owned(),
    };
    let cache = dir.path().join("cache");
    let confined = |limits| OfficeConverter::new("soffice").confined(common::binary(), limits);
    let pdfs = confined(OfficeLimits::default()).convert(
        std::slice::from_ref(&source),
        &cache,
        dir.path(),
    );
    let pdf = pdfs[0]
        .as_ref()
        .expect("converted under the default limits");
    assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF-"));
    // Under 64 MiB LibreOffice cannot even load its libraries: the memory limit, said so.
    let starved = OfficeLimits {
        memory_bytes: 64 * 1024 * 1024,
        ..OfficeLimits::default()
    };
    let other = Source {
        key: "autre".to_owned(),
        ..source
    };
    let error = confined(starved)
        .run(&[&other], &cache, dir.path())
        .expect_err("over the memory limit");
    assert!(
        matches!(
            error,
            ConvertError::OverLimit {
                limit: Limit::Memory
            } | ConvertError::Crashed { .. }
        ),
        "{error:?}"
    );
}
