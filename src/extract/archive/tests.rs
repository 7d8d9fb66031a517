use std::io::{Cursor, Read, Write};

use super::screen::Verdict;
use super::*;

/// A zip of `(name, content)` files, deflated.
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    for (name, content) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap();
    buffer.into_inner()
}

fn read_all(bytes: &[u8], entry: &ZipEntry) -> Result<Vec<u8>, Option<Refusal>> {
    let mut reader = open_entry(Cursor::new(bytes), entry).map_err(|_| None)?;
    let mut out = Vec::new();
    match reader.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(_) => Err(reader.refusal().cloned()),
    }
}

#[test]
fn a_zip_lists_and_reads_back_its_files() {
    let bytes = zip_of(&[("cours/a.txt", b"bonjour"), ("b.txt", &[7u8; 5000])]);
    let listing = list_zip_bytes(&bytes, &ListLimits::default()).unwrap();
    assert_eq!(listing.unlisted, 0);
    let names: Vec<&str> = listing.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["cours/a.txt", "b.txt"]);
    assert_eq!(read_all(&bytes, &listing.entries[0]).unwrap(), b"bonjour");
    assert_eq!(
        read_all(&bytes, &listing.entries[1]).unwrap(),
        vec![7u8; 5000]
    );
    let verdicts = screen_entries(&listing.entries, &Bounds::default());
    assert_eq!(verdicts, [Verdict::Import, Verdict::Import]);
}

#[test]
fn not_a_zip_and_cut_zips_are_errors_not_panics() {
    let bytes = zip_of(&[("a.txt", b"bonjour")]);
    assert_eq!(
        list_zip_bytes(b"", &ListLimits::default()),
        Err(ZipError::NoDirectory)
    );
    assert_eq!(
        list_zip_bytes(b"PK\x03\x04", &ListLimits::default()),
        Err(ZipError::NoDirectory)
    );
    for cut in 0..bytes.len() {
        let _ = list_zip_bytes(&bytes[..cut], &ListLimits::default());
        let _ = list_zip_bytes(&bytes[cut..], &ListLimits::default());
    }
}

#[test]
fn hostile_entries_are_each_refused_with_their_reason() {
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default();
    for name in [
        "../evil.txt",
        "/etc/evil.txt",
        "C:/evil.txt",
        "a/../../evil.txt",
        "pack.zip",
        "bon.txt",
    ] {
        writer.start_file(name, options).unwrap();
        writer.write_all(b"contenu").unwrap();
    }
    writer
        .add_symlink("lien.txt", "/etc/passwd", options)
        .unwrap();
    writer.start_file("bombe.txt", options).unwrap();
    writer.write_all(&vec![0u8; 8 * 1024 * 1024]).unwrap();
    writer.finish().unwrap();
    let bytes = buffer.into_inner();
    let listing = list_zip_bytes(&bytes, &ListLimits::default()).unwrap();
    let verdicts = screen_entries(&listing.entries, &Bounds::default());
    let refused = |i: usize| match &verdicts[i] {
        Verdict::Refuse(refusal) => Some(refusal.clone()),
        _ => None,
    };
    assert_eq!(refused(0), Some(Refusal::Traversal));
    assert_eq!(refused(1), Some(Refusal::Absolute));
    assert_eq!(refused(2), Some(Refusal::Absolute));
    assert_eq!(refused(3), Some(Refusal::Traversal));
    assert_eq!(refused(4), Some(Refusal::NestedArchive));
    assert_eq!(verdicts[5], Verdict::Import);
    assert_eq!(refused(6), Some(Refusal::Symlink));
    assert!(
        matches!(refused(7), Some(Refusal::RatioTooHigh { .. })),
        "{:?}",
        verdicts[7]
    );
    assert!(refused(7).unwrap().to_string().contains("bombe zip"));
}

#[test]
fn beyond_the_entry_cap_files_are_refused_and_the_rest_counted() {
    let names: Vec<String> = (0..30).map(|i| format!("f{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let bytes = zip_of(&entries);
    let limits = ListLimits {
        max_listed: 20,
        ..ListLimits::default()
    };
    let listing = list_zip_bytes(&bytes, &limits).unwrap();
    assert_eq!((listing.entries.len(), listing.unlisted), (20, 10));
    let bounds = Bounds {
        max_entries: 15,
        ..Bounds::default()
    };
    let verdicts = screen_entries(&listing.entries, &bounds);
    assert!(verdicts[..15].iter().all(|v| *v == Verdict::Import));
    assert!(verdicts[15..]
        .iter()
        .all(|v| *v == Verdict::Refuse(Refusal::TooManyEntries { limit: 15 })));
}

#[test]
fn an_entry_that_lies_about_its_size_stops_at_the_declared_size() {
    let bytes = zip_of(&[("a.txt", &[b'a'; 100_000])]);
    let listing = list_zip_bytes(&bytes, &ListLimits::default()).unwrap();
    let mut lying = listing.entries[0].clone();
    lying.uncompressed = 1000;
    assert_eq!(read_all(&bytes, &lying), Err(Some(Refusal::SizeMismatch)));
    let mut bad_sum = listing.entries[0].clone();
    bad_sum.crc32 ^= 1;
    assert_eq!(read_all(&bytes, &bad_sum), Err(Some(Refusal::Damaged)));
}

#[test]
fn long_names_are_cut_when_listed_and_refused() {
    let name = format!("{}.txt", "a".repeat(3000));
    let bytes = zip_of(&[(name.as_str(), b"x")]);
    let listing = list_zip_bytes(&bytes, &ListLimits::default()).unwrap();
    assert!(listing.entries[0].name.len() < 1100);
    assert_eq!(listing.entries[0].name_length, 3004);
    let verdicts = screen_entries(&listing.entries, &Bounds::default());
    assert_eq!(
        verdicts,
        [Verdict::Refuse(Refusal::NameTooLong { limit: 512 })]
    );
}

#[test]
fn a_directory_that_claims_millions_of_entries_is_read_within_the_bounds() {
    let mut bytes = zip_of(&[("a.txt", b"bonjour"), ("b.txt", b"salut")]);
    let end = bytes.len() - 22;
    // Declares 65,535 entries and a 4 GiB directory: only what is there is read.
    bytes[end + 8..end + 12].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    bytes[end + 12..end + 16].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    let limits = ListLimits {
        max_directory_bytes: 4096,
        ..ListLimits::default()
    };
    match list_zip_bytes(&bytes, &limits) {
        Ok(listing) => assert!(listing.entries.len() <= 2 && listing.unlisted > 60_000),
        Err(error) => assert!(matches!(error, ZipError::Damaged(_)), "{error:?}"),
    }
}
