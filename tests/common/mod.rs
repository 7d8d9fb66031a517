//! What the integration tests share: a library in a temporary folder, and tiny real documents
//! built in code (no downloads, no binary fixtures), each carrying a known French phrase with
//! accents so a test can tell that its text was really read.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use cartable::extract::{Extractor, Limits};
use cartable::model::{Document, DocumentFilter, Metadata};
use cartable::service::{Added, Core, Settings};

pub mod backup;
pub mod homework;
pub mod run;
pub mod served;

pub const PDF_PHRASE: &str = "La photosynthèse des végétaux chlorophylliens";
pub const DOCX_PHRASE: &str = "Les élèves de l'école étudient la Révolution française";
pub const ODT_PHRASE: &str = "Le théorème de Pythagore démontré";
pub const HTML_PHRASE: &str = "Répétition générale du théâtre";
pub const TXT_PHRASE: &str = "Météorologie et prévisions";

/// The keys of a hit object, as DESIGN.md's API contract lists them.
pub const HIT_KEYS: [&str; 10] = [
    "id",
    "title",
    "file_name",
    "url",
    "download_url",
    "snippet",
    "levels",
    "subject",
    "format",
    "bytes",
];

/// The `cartable` binary built for these tests.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cartable"))
}

/// Runs the real binary on the data folder `data` (configuration from the environment ignored)
/// and returns what it printed and how it exited.
pub fn run_cartable(data: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(binary())
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("CARTABLE_DATA")
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

/// The extractor the server uses: `cartable extract` in a child process.
pub fn real_extractor() -> Extractor {
    Extractor::cartable(binary(), Limits::default())
}

/// A data folder in a temporary directory, opened with the real extractor.
pub struct TestLibrary {
    dir: tempfile::TempDir,
    pub core: Core,
}

impl TestLibrary {
    pub fn new() -> TestLibrary {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let core = open_core(&dir.path().join("data"));
        TestLibrary { dir, core }
    }

    /// Closes the library and opens the same data folder again, as a restart would.
    pub fn reopen(self) -> TestLibrary {
        self.reopen_after(|| {})
    }

    /// Closes the library, runs `change` on its folder (as someone with a shell would), and opens
    /// it again.
    pub fn reopen_after(self, change: impl FnOnce()) -> TestLibrary {
        let TestLibrary { dir, core } = self;
        drop(core);
        change();
        let core = open_core(&dir.path().join("data"));
        TestLibrary { dir, core }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A scratch folder beside the data folder, for files to import.
    pub fn scratch(&self) -> PathBuf {
        let path = self.dir.path().join("scratch");
        std::fs::create_dir_all(&path).expect("scratch folder");
        path
    }

    /// Adds a file with default metadata and commits; panics unless it is new.
    pub fn add(&self, bytes: &[u8], file_name: &str) -> Document {
        self.add_with(bytes, file_name, &Metadata::default())
    }

    pub fn add_with(&self, bytes: &[u8], file_name: &str, metadata: &Metadata) -> Document {
        match self
            .core
            .add(Cursor::new(bytes.to_vec()), file_name, metadata, true)
        {
            Ok(Added::New(document)) => document,
            Ok(Added::Duplicate(existing)) => {
                panic!("{file_name} was taken for a duplicate of {}", existing.id)
            }
            Err(error) => panic!("{file_name} was refused: {error:?}"),
        }
    }

    /// Ids of the documents a search finds (staff view, first 10).
    pub fn found(&self, query: &str) -> Vec<String> {
        let filter = DocumentFilter {
            limit: 10,
            ..DocumentFilter::default()
        };
        self.found_with(query, &filter)
    }

    pub fn found_with(&self, query: &str, filter: &DocumentFilter) -> Vec<String> {
        self.core
            .search(query, filter)
            .unwrap_or_else(|error| panic!("search {query:?} failed: {error:?}"))
            .hits
            .into_iter()
            .map(|hit| hit.id)
            .collect()
    }

    /// Number of documents in the catalog.
    pub fn count(&self) -> usize {
        let filter = DocumentFilter {
            limit: 1000,
            ..DocumentFilter::default()
        };
        self.core.list(&filter).expect("list").1
    }

    /// Every file stored under `data/files`.
    pub fn stored_files(&self) -> Vec<PathBuf> {
        files_under(&self.data_dir().join("files"))
    }
}

/// The document as the catalog gives it back: times are stored to the second.
pub fn as_stored(document: &Document) -> Document {
    let second =
        |t: time::OffsetDateTime| t.replace_nanosecond(0).expect("0 is a valid nanosecond");
    Document {
        created: second(document.created),
        updated: second(document.updated),
        ..document.clone()
    }
}

pub fn open_core(data_dir: &Path) -> Core {
    Core::open(&Settings {
        max_upload_bytes: 10 * 1024 * 1024,
        ..Settings::new(data_dir.to_owned(), real_extractor())
    })
    .expect("the data folder opens")
}

/// Regular files below `folder`, recursively (none when it does not exist).
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.map(|e| e.expect("readable folder entry")) {
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

/// Text in windows-1252, the encoding older French Windows tools wrote.
pub fn cp1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "{text:?} is not representable in windows-1252");
    bytes.into_owned()
}

/// A one-page PDF showing [`PDF_PHRASE`].
pub fn pdf() -> Vec<u8> {
    pdf_with_lines(&[PDF_PHRASE])
}

/// A one-page PDF 1.4 showing `lines` in Helvetica with WinAnsiEncoding, with a correct
/// cross-reference table and `%%EOF`.
pub fn pdf_with_lines(lines: &[&str]) -> Vec<u8> {
    let mut content = b"BT\n/F1 14 Tf\n72 720 Td\n".to_vec();
    for line in lines {
        content.push(b'(');
        content.extend(pdf_string(line));
        content.extend(b") Tj\n0 -20 Td\n");
    }
    content.extend(b"ET\n");
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
          /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        stream_object("", &content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ])
}

/// A PDF of one page per line whose pages inherit their resources, size and rotation (a quarter
/// turn, as landscape scans are) from the page tree, as many producers write them: merging must
/// copy those onto each page.
pub fn pdf_with_inherited_pages(lines: &[&str]) -> Vec<u8> {
    let first_page = 4;
    let kids: Vec<String> = (0..lines.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} /MediaBox [0 0 595 842] /Rotate 90 \
             /Resources << /Font << /F1 3 0 R >> >> >>",
            kids.join(" "),
            lines.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, line) in lines.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /Contents {} 0 R >>",
                first_page + 2 * i + 1
            )
            .into_bytes(),
        );
        let mut content = b"BT\n/F1 14 Tf\n72 720 Td\n(".to_vec();
        content.extend(pdf_string(line));
        content.extend(b") Tj\nET\n");
        objects.push(stream_object("", &content));
    }
    pdf_from_objects(&objects)
}

/// A PDF whose page carries arrays nested `depth` deep (`[[[[...]]]]`), as its annotations and
/// as the operand of its only text operator: the input that overflows a recursive parser's stack.
pub fn pdf_with_nested_arrays(depth: usize) -> Vec<u8> {
    let mut nested = Vec::with_capacity(depth * 2);
    nested.extend(std::iter::repeat_n(b'[', depth));
    nested.extend(std::iter::repeat_n(b']', depth));
    let mut content = b"BT\n/F1 14 Tf\n72 720 Td\n".to_vec();
    content.extend(&nested);
    content.extend(b" TJ\nET\n");
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
          /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots 6 0 R >>"
            .to_vec(),
        stream_object("", &content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        nested,
    ])
}

/// A PDF whose page content is a FlateDecode stream inflating to `inflated` zero bytes from a
/// few hundred times fewer: a decompression bomb.
pub fn pdf_with_flate_bomb(inflated: usize) -> Vec<u8> {
    let compressed = zlib_of_zeros(inflated);
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
          /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        stream_object("/Filter /FlateDecode ", &compressed),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ])
}

pub fn stream_object(extra_entries: &str, data: &[u8]) -> Vec<u8> {
    let mut object = format!("<< {extra_entries}/Length {} >>\nstream\n", data.len()).into_bytes();
    object.extend(data);
    object.extend(b"\nendstream");
    object
}

/// Writes objects numbered from 1, then the xref table with their byte offsets and the trailer.
pub fn pdf_from_objects(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).bytes());
        pdf.extend(object);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

/// A PDF literal string's inside: WinAnsi bytes, with non-ASCII ones as octal escapes.
fn pdf_string(text: &str) -> Vec<u8> {
    let mut escaped = Vec::new();
    for byte in cp1252(text) {
        match byte {
            b'(' | b')' | b'\\' => escaped.extend([b'\\', byte]),
            0x20..=0x7e => escaped.push(byte),
            other => escaped.extend(format!("\\{other:03o}").bytes()),
        }
    }
    escaped
}

/// A zlib stream of `len` zero bytes, written by hand with fixed Huffman codes: one literal
/// zero, then back-references at distance 1 (13 bits for 258 bytes).
fn zlib_of_zeros(len: usize) -> Vec<u8> {
    let mut bits = BitWriter {
        bytes: vec![0x78, 0x01],
        used: 0,
    };
    bits.put(1, 1); // last block
    bits.put(1, 2); // fixed Huffman codes
    let literal_zero = |bits: &mut BitWriter| bits.code(0x30, 8);
    literal_zero(&mut bits);
    let mut left = len.saturating_sub(1);
    while left > 0 {
        if left >= 258 {
            bits.code(0xc5, 8); // symbol 285: length 258
            bits.code(0, 5); // distance 1
            left -= 258;
        } else if left >= 3 {
            let run = left.min(10);
            bits.code(run as u32 - 2, 7); // symbols 257..=264: lengths 3..=10
            bits.code(0, 5);
            left -= run;
        } else {
            literal_zero(&mut bits);
            left -= 1;
        }
    }
    bits.code(0, 7); // symbol 256: end of block
    let mut stream = bits.bytes;
    // Adler-32 of zeros: the low sum stays 1, the high one grows by 1 per byte.
    let adler = (((len % 65521) as u32) << 16) | 1;
    stream.extend(adler.to_be_bytes());
    stream
}

/// Deflate's bit order: fields least significant bit first, Huffman codes most significant first.
struct BitWriter {
    bytes: Vec<u8>,
    used: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            if self.used == 0 {
                self.bytes.push(0);
            }
            let bit = ((value >> i) & 1) as u8;
            *self.bytes.last_mut().expect("a byte was pushed") |= bit << self.used;
            self.used = (self.used + 1) % 8;
        }
    }

    fn code(&mut self, code: u32, count: u32) {
        self.put(code.reverse_bits() >> (32 - count), count);
    }
}

/// A DOCX holding one paragraph per line.
pub fn docx() -> Vec<u8> {
    docx_with_lines(&[DOCX_PHRASE])
}

pub fn docx_with_lines(lines: &[&str]) -> Vec<u8> {
    let paragraphs: String = lines.iter().map(|line| docx_paragraph(line)).collect();
    docx_with_body(&paragraphs)
}

fn docx_paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", xml_escape(text))
}

/// A DOCX holding one table, a row per entry of `rows`, a cell per text.
pub fn docx_with_table(rows: &[&[&str]]) -> Vec<u8> {
    let rows: String = rows
        .iter()
        .map(|cells| {
            let cells: String = cells
                .iter()
                .map(|cell| format!("<w:tc>{}</w:tc>", docx_paragraph(cell)))
                .collect();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    docx_with_body(&format!("<w:tbl>{rows}</w:tbl>{}", docx_paragraph("")))
}

/// A DOCX whose `<w:body>` is `paragraphs` (WordprocessingML).
pub fn docx_with_body(paragraphs: &str) -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
                .to_owned(),
            true,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
                .to_owned(),
            true,
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>"#
            ),
            true,
        ),
    ])
}

/// An ODT whose first entry is the uncompressed `mimetype`, as the OpenDocument spec requires.
pub fn odt() -> Vec<u8> {
    odt_with_lines(&[ODT_PHRASE])
}

pub fn odt_with_lines(lines: &[&str]) -> Vec<u8> {
    let paragraphs: String = lines
        .iter()
        .map(|line| format!("<text:p>{}</text:p>", xml_escape(line)))
        .collect();
    odt_with_body(&paragraphs)
}

/// An ODT holding one table, a row per entry of `rows`, a cell per text.
pub fn odt_with_table(rows: &[&[&str]]) -> Vec<u8> {
    let columns = rows.first().map_or(0, |cells| cells.len());
    let rows: String = rows
        .iter()
        .map(|cells| {
            let cells: String = cells
                .iter()
                .map(|cell| {
                    format!(
                        "<table:table-cell><text:p>{}</text:p></table:table-cell>",
                        xml_escape(cell)
                    )
                })
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        })
        .collect();
    odt_with_body(&format!(
        "<table:table><table:table-column table:number-columns-repeated=\"{columns}\"/>{rows}</table:table>"
    ))
}

/// An ODT whose `<office:text>` is `paragraphs` (OpenDocument text and tables).
fn odt_with_body(paragraphs: &str) -> Vec<u8> {
    zip_of(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.text".to_owned(),
            false,
        ),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#
                .to_owned(),
            true,
        ),
        (
            "content.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"><office:body><office:text>{paragraphs}</office:text></office:body></office:document-content>"#
            ),
            true,
        ),
    ])
}

/// An HTML page in windows-1252 that says so in its `<meta>`.
pub fn html_cp1252() -> Vec<u8> {
    cp1252(&format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"windows-1252\">\
         <title>Programme du th\u{e9}\u{e2}tre</title></head>\
         <body><h1>Club th\u{e9}\u{e2}tre</h1><p>{HTML_PHRASE} jeudi soir.</p></body></html>\n"
    ))
}

/// Plain text in windows-1252 with no declaration of any kind.
pub fn txt_cp1252() -> Vec<u8> {
    cp1252(&format!("{TXT_PHRASE}\r\nRelev\u{e9}s de la semaine.\r\n"))
}

/// A zip of (name, content, deflated?) entries, in order.
pub fn zip_of(entries: &[(&str, String, bool)]) -> Vec<u8> {
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    for (name, content, deflated) in entries {
        let method = if *deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(content.as_bytes()).expect("zip write");
    }
    writer.finish().expect("zip finish");
    buffer.into_inner()
}

/// A zip of binary (name, bytes) entries, deflated, as a pack of files to import.
pub fn zip_pack(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buffer = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buffer);
    for (name, content) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(content).expect("zip write");
    }
    writer.finish().expect("zip finish");
    buffer.into_inner()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}
pub mod raw;
pub mod server;
pub mod upload;
