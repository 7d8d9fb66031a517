//! The DOCX/ODT text walker (`extract/office.rs`) and the reading view's walker over the same
//! parts: the input is the XML of `word/document.xml` or `content.xml`, wrapped in a stored
//! (uncompressed) zip so the fuzzer's mutations reach the XML as they are. The first byte picks
//! the format and whether the same XML also serves as the metadata part (title).
#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use cartable::model::Format;
use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .unwrap()
    })
}

fn office_zip(format: Format, xml: &[u8], as_metadata: bool) -> Vec<u8> {
    let (main, meta) = match format {
        Format::Docx => ("word/document.xml", "docProps/core.xml"),
        _ => ("content.xml", "meta.xml"),
    };
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    if format == Format::Odt {
        writer.start_file("mimetype", stored).unwrap();
        writer
            .write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
    }
    writer.start_file(main, stored).unwrap();
    writer.write_all(xml).unwrap();
    if as_metadata {
        writer.start_file(meta, stored).unwrap();
        writer.write_all(xml).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, xml)) = data.split_first() else {
        return;
    };
    let format = if pick & 1 == 0 {
        Format::Docx
    } else {
        Format::Odt
    };
    let path = scratch().path().join(format.extension());
    std::fs::write(&path, office_zip(format, xml, pick & 2 != 0)).unwrap();
    // A small text cap sometimes, so the walk also stops early.
    let max_text = if pick & 4 == 0 { 64 * 1024 } else { 40 };
    let _ = cartable::extract::extract_in_process(&path, format, max_text);
    let _ = cartable::extract::read_in_process(&path, format, max_text);
});
