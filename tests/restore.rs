//! What `cartable backup` and `cartable restore` refuse, with the real binary: a restore into a
//! non-empty folder or from a backup whose files were altered (nothing is left behind), and a
//! backup of a data folder that lacks a document's file (the previous backup is kept whole).

mod common;

use std::path::PathBuf;

use common::backup::{backup, blob_count, restore, sha};
use common::run::cartable;

#[test]
fn restore_refuses_a_non_empty_folder_and_an_altered_backup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    std::fs::write(stick.join("cours.pdf"), common::pdf()).unwrap();
    std::fs::write(stick.join("meteo.txt"), common::txt_cp1252()).unwrap();
    let imported = cartable(&data, &["import", stick.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let (folder, zip) = (dir.path().join("backup"), dir.path().join("backup.zip"));
    backup(&data, &folder);
    backup(&data, &zip);

    let occupied = dir.path().join("occupied");
    std::fs::create_dir_all(&occupied).unwrap();
    std::fs::write(occupied.join("notes.txt"), b"keep me").unwrap();
    let refused = restore(&folder, &occupied);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("n'est pas vide"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read(occupied.join("notes.txt")).unwrap(),
        b"keep me"
    );
    assert_eq!(std::fs::read_dir(&occupied).unwrap().count(), 1);

    // One byte changed in a file of the folder backup, then in the zip.
    let pdf_sha = sha(&common::pdf());
    let blob: PathBuf = folder.join("files").join(&pdf_sha[..2]).join(&pdf_sha);
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[20] ^= 1;
    std::fs::write(&blob, &bytes).unwrap();
    let target = dir.path().join("restored");
    let tampered = restore(&folder, &target);
    assert_eq!(tampered.code, 2, "{}", tampered.stderr);
    assert!(
        tampered.stderr.contains(&pdf_sha) && tampered.stderr.contains("modifié"),
        "{}",
        tampered.stderr
    );
    assert!(!target.exists(), "an aborted restore leaves nothing behind");

    let mut archive = std::fs::read(&zip).unwrap();
    let pdf = common::pdf();
    let at = archive
        .windows(pdf.len())
        .position(|w| w == pdf)
        .expect("a stored zip holds the file as it is");
    archive[at + 20] ^= 1;
    std::fs::write(&zip, &archive).unwrap();
    let tampered = restore(&zip, &target);
    assert_eq!(tampered.code, 2, "{}", tampered.stderr);
    assert!(tampered.stderr.contains("modifié"), "{}", tampered.stderr);
    assert!(!target.exists());
}

#[test]
fn a_backup_of_a_folder_missing_a_file_fails_and_keeps_the_previous_backup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    std::fs::write(stick.join("cours.pdf"), common::pdf()).unwrap();
    assert_eq!(
        cartable(&data, &["import", stick.to_str().unwrap()]).code,
        0
    );
    let folder = dir.path().join("backup");
    backup(&data, &folder);
    let catalog_before = std::fs::read(folder.join("catalog.sqlite")).unwrap();
    // A second document whose file then goes missing from the data folder (a bad disk).
    std::fs::remove_file(stick.join("cours.pdf")).unwrap();
    std::fs::write(stick.join("meteo.txt"), common::txt_cp1252()).unwrap();
    assert_eq!(
        cartable(&data, &["import", stick.to_str().unwrap()]).code,
        0
    );
    let txt_sha = sha(&common::txt_cp1252());
    std::fs::remove_file(data.join("files").join(&txt_sha[..2]).join(&txt_sha)).unwrap();
    let failed = cartable(&data, &["backup", "--to", folder.to_str().unwrap()]);
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("cartable check"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        std::fs::read(folder.join("catalog.sqlite")).unwrap(),
        catalog_before
    );
    assert_eq!(blob_count(&folder), 1);
    let restored = restore(&folder, &dir.path().join("restored"));
    assert_eq!(restored.code, 0, "{}", restored.stderr);
}
