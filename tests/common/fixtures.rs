//! Test documents built in code (no downloads, no binary fixtures): tiny real PDF, DOCX, ODT,
//! HTML and text files, each carrying a known French phrase with accents so a test can tell its
//! text was really read, and the zips that carry them. Every test binary reaches them through
//! `common` (re-exported there).

use std::io::{Cursor, Write};

mod hostile;

// Only the binaries testing hostile input use these.
#[allow(unused_imports)]
pub use hostile::*;

pub const PDF_PHRASE: &str = "La photosynthèse des végétaux chlorophylliens";
pub const DOCX_PHRASE: &str = "Les élèves de l'école étudient la Révolution française";
pub const ODT_PHRASE: &str = "Le théorème de Pythagore démontré";
pub const HTML_PHRASE: &str = "Répétition générale du théâtre";
pub const TXT_PHRASE: &str = "Météorologie et prévisions";

/// A plain text file saying `phrase` (UTF-8), one line.
pub fn text(phrase: &str) -> Vec<u8> {
    format!("{phrase}\n").into_bytes()
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
    one_page_pdf(stream_object("", &content))
}

/// A one-page PDF in Helvetica whose page content is the stream object `content`.
pub fn one_page_pdf(content: Vec<u8>) -> Vec<u8> {
    pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
          /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        content,
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
