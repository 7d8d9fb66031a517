//! Recognises a file's format from its content, never from its name: a PDF named `.docx` is a
//! PDF, an HTML page named `.pdf` is HTML. The name only breaks ties the content cannot (Markdown
//! versus plain text, which office format a truncated zip was).

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use crate::model::Format;

use super::archive::{list_zip, open_entry, ListLimits, ZipError};
use super::Error;

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document(Format),
    /// A zip that is not an office document: a pack of files to import one by one.
    Archive,
}

/// How much of the head is read to recognise text and markup.
const HEAD_LEN: usize = 8192;

/// Detects the kind of the file at `path`; `file_name` is the name it was given (the stored temp
/// file has none), used only where content cannot decide. Empty files and content of no known
/// type are refused.
pub fn detect(path: &Path, file_name: &str) -> Result<Kind, Error> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut file)
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let extension = extension_of(Path::new(file_name));
    if let Some(format) = binary_format(&head) {
        return Ok(Kind::Document(format));
    }
    if head.starts_with(b"PK\x03\x04") {
        file.rewind().map_err(|e| Error::io(path, e))?;
        return Ok(zip_kind(file, &head, &extension));
    }
    text_format(&head, &extension)
        .map(Kind::Document)
        .ok_or(Error::Unrecognised)
}

fn extension_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Formats with a magic number. PDF readers accept the header anywhere in the first KiB.
fn binary_format(head: &[u8]) -> Option<Format> {
    let pdf_window = &head[..head.len().min(1024)];
    if find(pdf_window, b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if head.starts_with(b"\xff\xd8\xff") {
        return Some(Format::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(Format::Gif);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(Format::Webp);
    }
    None
}

/// Office formats are zips with a telling entry. A damaged zip whose directory cannot be read is
/// still recognised from the local headers at its start, then from its extension.
fn zip_kind(mut file: File, head: &[u8], extension: &str) -> Kind {
    if let Ok(found) = sniff_office_zip(&mut file, extension) {
        return found.map_or(Kind::Archive, Kind::Document);
    }
    // Unreadable directory: a truncated upload. Name the format if the head or the name tells.
    let head_text = String::from_utf8_lossy(head);
    if let Some(format) = odf_format(&head_text) {
        return Kind::Document(format);
    }
    for (entry, format) in OOXML_PARTS {
        let folder = &entry[..entry.find('/').unwrap_or(entry.len()) + 1];
        if head_text.contains(folder) {
            return Kind::Document(format);
        }
    }
    match Format::ALL.into_iter().find(|f| f.extension() == extension) {
        Some(format) if is_zip_based(format) => Kind::Document(format),
        _ => Kind::Archive,
    }
}

/// Bounds on sniffing: office files have a few dozen entries, and their telling entries come
/// first; past these, the zip is a pack of files (or hostile), never a document.
const SNIFF_LIMITS: ListLimits = ListLimits {
    max_listed: 4096,
    max_directory_bytes: 1024 * 1024,
    max_name_bytes: 256,
};

/// Which office format a zip is, from its central directory alone: `Ok(None)` for a zip that is
/// no office file, an error when the directory cannot be read.
///
/// This runs in the server process, on every upload, before the sandboxed extraction. It is
/// safe there because it is bounded, not because the input is trusted: at most 64 KiB of tail
/// and 1 MiB of directory are read, at most 4,096 entries of at most 256-byte names are kept,
/// and nothing is decompressed (the ODF `mimetype` entry is stored uncompressed by the standard;
/// only its first 128 bytes are read). A child process per upload would cost a process start
/// for no bound this does not already give; the decompressing parsers stay in the child.
pub fn sniff_office_zip<R: Read + Seek>(
    reader: &mut R,
    extension: &str,
) -> Result<Option<Format>, ZipError> {
    let listing = list_zip(reader, &SNIFF_LIMITS)?;
    if let Some(mimetype) = listing
        .entries
        .iter()
        .find(|e| e.name == "mimetype" && e.method == 0 && e.compressed == e.uncompressed)
    {
        let mut text = Vec::new();
        open_entry(&mut *reader, mimetype)?
            .take(128)
            .read_to_end(&mut text)
            .ok();
        if let Some(format) = odf_format(&String::from_utf8_lossy(&text)) {
            return Ok(Some(format));
        }
    }
    let has = |part: &str| listing.entries.iter().any(|e| e.name == part);
    Ok(OOXML_PARTS
        .into_iter()
        .find(|(part, _)| has(part))
        .map(|(_, format)| format)
        .or_else(|| odf_by_name(has("mimetype") && has("content.xml"), extension)))
}

/// An OpenDocument file whose `mimetype` is compressed (against the standard, which some tools
/// do): its `content.xml` tells it is one, its name which one.
fn odf_by_name(entries_say_odf: bool, extension: &str) -> Option<Format> {
    if !entries_say_odf {
        return None;
    }
    Some(match extension {
        "odp" => Format::Odp,
        "ods" => Format::Ods,
        _ => Format::Odt,
    })
}

/// Which office format the zip in `bytes` is (see [`sniff_office_zip`]).
pub fn sniff_office_zip_bytes(bytes: &[u8], extension: &str) -> Result<Option<Format>, ZipError> {
    sniff_office_zip(&mut std::io::Cursor::new(bytes), extension)
}

const OOXML_PARTS: [(&str, Format); 3] = [
    ("word/document.xml", Format::Docx),
    ("ppt/presentation.xml", Format::Pptx),
    ("xl/workbook.xml", Format::Xlsx),
];

fn odf_format(text: &str) -> Option<Format> {
    const ODF: [(&str, Format); 3] = [
        ("application/vnd.oasis.opendocument.text", Format::Odt),
        (
            "application/vnd.oasis.opendocument.presentation",
            Format::Odp,
        ),
        (
            "application/vnd.oasis.opendocument.spreadsheet",
            Format::Ods,
        ),
    ];
    ODF.into_iter()
        .find(|(mime, _)| text.contains(mime))
        .map(|(_, format)| format)
}

fn is_zip_based(format: Format) -> bool {
    matches!(
        format,
        Format::Docx | Format::Odt | Format::Pptx | Format::Odp | Format::Xlsx | Format::Ods
    )
}

/// Text is UTF-8 or a single-byte encoding without control characters. HTML is recognised by its
/// opening markup; Markdown only by its extension, since plain notes often look like Markdown.
fn text_format(head: &[u8], extension: &str) -> Option<Format> {
    let looks_textual = head
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c));
    if !looks_textual {
        return None;
    }
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = lower.trim_start_matches('\u{feff}').trim_start();
    let is_html = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
    ]
    .iter()
    .any(|tag| start.starts_with(tag))
        || (start.starts_with('<') && lower.contains("<html"));
    if is_html {
        return Some(Format::Html);
    }
    match extension {
        "md" | "markdown" => Some(Format::Markdown),
        _ => Some(Format::Text),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn detect_bytes(name: &str, bytes: &[u8]) -> Result<Kind, Error> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        detect(&path, name)
    }

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        for (name, content) in entries {
            // Like real OpenDocument files, the mimetype alone is stored uncompressed.
            let options = zip::write::SimpleFileOptions::default();
            let options = if *name == "mimetype" && entries.len() == 1 {
                options.compression_method(zip::CompressionMethod::Stored)
            } else {
                options
            };
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn content_wins_over_the_extension() {
        let pdf = detect_bytes("x.docx", b"%PDF-1.4\n%...").unwrap();
        assert_eq!(pdf, Kind::Document(Format::Pdf));
        let html = detect_bytes("x.pdf", b"\n<!DOCTYPE html><html><body>Bonjour").unwrap();
        assert_eq!(html, Kind::Document(Format::Html));
    }

    #[test]
    fn empty_and_garbage_are_refused() {
        assert!(matches!(detect_bytes("a.pdf", b""), Err(Error::Empty)));
        assert!(matches!(detect_bytes("a.pdf", b"  \n"), Err(Error::Empty)));
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(
            detect_bytes("a.pdf", &garbage),
            Err(Error::Unrecognised)
        ));
    }

    #[test]
    fn office_zips_are_told_apart_from_plain_archives() {
        let docx = zip_with(&[
            ("[Content_Types].xml", b"<x/>"),
            ("word/document.xml", b"<w/>"),
        ]);
        assert_eq!(
            detect_bytes("a.bin", &docx).unwrap(),
            Kind::Document(Format::Docx)
        );
        let odt = zip_with(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
        assert_eq!(
            detect_bytes("a.zip", &odt).unwrap(),
            Kind::Document(Format::Odt)
        );
        // A compressed mimetype is not read (nothing is decompressed in the server): the
        // content part and the name tell instead.
        let odp = zip_with(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.presentation",
            ),
            ("content.xml", b"<x/>"),
        ]);
        assert_eq!(
            detect_bytes("a.odp", &odp).unwrap(),
            Kind::Document(Format::Odp)
        );
        let pack = zip_with(&[("cours/a.txt", b"bonjour")]);
        assert_eq!(detect_bytes("pack.zip", &pack).unwrap(), Kind::Archive);
        let truncated = &docx[..docx.len() / 2];
        assert_eq!(
            detect_bytes("a.docx", truncated).unwrap(),
            Kind::Document(Format::Docx)
        );
    }

    #[test]
    fn text_is_plain_or_markdown_by_name() {
        let latin1 = b"Le ch\xe2teau d'\xe9t\xe9";
        assert_eq!(
            detect_bytes("a.txt", latin1).unwrap(),
            Kind::Document(Format::Text)
        );
        assert_eq!(
            detect_bytes("a.md", b"# Titre").unwrap(),
            Kind::Document(Format::Markdown)
        );
    }
}
