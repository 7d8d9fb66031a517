#!/usr/bin/env python3
"""Writes the committed seed corpora (fuzz/corpus/<target>/seed-*): a few tiny real-format inputs
per target, plus small files of the shared public corpus when it is beside the clone. The fuzzer
adds its own inputs beside them (ignored by git)."""
import io
import os
import pathlib
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
PUBLIC = HERE.parent.parent / "shared" / "corpus" / "public"
# run from a worktree beside /work/shared as well
if not PUBLIC.is_dir():
    PUBLIC = pathlib.Path("/work/shared/corpus/public")

DOCX_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>'
    b"Les fonctions &amp; l&#233;cole</w:t></w:r></w:p><w:p><w:r><w:t>Le th\xc3\xa9or\xc3\xa8me"
    b"</w:t><w:tab/><w:t>de Pythagore</w:t><w:br/><w:instrText>PAGE</w:instrText><w:delText>"
    b"supprim\xc3\xa9</w:delText></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t><![CDATA[x < y]]>"
    b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
)
ODT_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:'
    b'tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    b' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
    b'<text:h text:outline-level="1">R\xc3\xa9volution fran\xc3\xa7aise</text:h><text:p>En 1789'
    b"<text:s/>la<text:tab/>Bastille<text:line-break/>tombe.</text:p><office:annotation><text:p>"
    b"note</text:p></office:annotation><table:table><table:table-row><table:table-cell><text:p>"
    b"case</text:p></table:table-cell></table:table-row></table:table><text:list><text:list-item>"
    b"<text:p>un</text:p></text:list-item></text:list></office:text></office:body>"
    b"</office:document-content>"
)
META_XML = (
    b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/'
    b'1.1/"><dc:title>Fiche &amp; m\xc3\xa9thode</dc:title></cp:coreProperties>'
)


def zip_bytes(entries, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def docx():
    return zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", DOCX_XML),
                      ("docProps/core.xml", META_XML)], zipfile.ZIP_DEFLATED)


def odt():
    return zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"),
                      ("content.xml", ODT_XML), ("meta.xml", META_XML)])


def pack():
    return zip_bytes([("Seconde/Mathématiques/cours.txt", "Les fonctions affines"),
                      ("Seconde/Histoire/revolution.html", "<html><title>1789</title>Bastille</html>"),
                      ("CNED/fiche.docx", docx()), ("__MACOSX/._x", "x"), ("../evasion.txt", "non"),
                      ("vide/", "")], zipfile.ZIP_DEFLATED)


def small_public(suffix, limit):
    if not PUBLIC.is_dir():
        return []
    files = [p for p in PUBLIC.iterdir() if p.suffix == suffix and 0 < p.stat().st_size <= limit]
    return sorted(files, key=lambda p: p.stat().st_size)[:2]


def multipart(parts):
    out = b""
    for headers, body in parts:
        out += b"--cartable-fuzz\r\n" + headers + b"\r\n\r\n" + body + b"\r\n"
    return out + b"--cartable-fuzz--\r\n"


def field(name, value):
    return (b'Content-Disposition: form-data; name="' + name + b'"', value)


def file_part(name, body):
    return (b'Content-Disposition: form-data; name="file"; filename="' + name
            + b'"\r\nContent-Type: application/octet-stream', body)


def write(target, name, data):
    folder = HERE / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("seed-" + name)).write_bytes(data)


def main():
    # detect: first byte picks the name (see fuzz_targets/detect.rs)
    write("detect", "pdf", b"\x00%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    write("detect", "docx", b"\x01" + docx())
    write("detect", "odt", b"\x02" + odt())
    write("detect", "docx-truncated", b"\x01" + docx()[:300])
    write("detect", "pack", b"\x04" + pack())
    write("detect", "html", b"\x06\xef\xbb\xbf  <!DOCTYPE html><html><body>Bonjour")
    write("detect", "markdown", b"\x05# Titre\n\nDu *texte*.")
    write("detect", "latin1", b"\x06Le ch\xe2teau d'\xe9t\xe9")
    write("detect", "png", b"\x07\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write("detect", "webp", b"\x07RIFF\x00\x00\x00\x00WEBPVP8 ")
    for path in small_public(".docx", 4096) + small_public(".pdf", 4096) + small_public(".html", 2048):
        write("detect", "public-" + path.suffix[1:] + str(path.stat().st_size), b"\x01" + path.read_bytes())

    # office: first byte bit 0 = ODT, bit 1 = also the metadata part, bit 2 = tiny text cap
    write("office", "docx", b"\x00" + DOCX_XML)
    write("office", "docx-title", b"\x02" + DOCX_XML)
    write("office", "odt", b"\x01" + ODT_XML)
    write("office", "odt-capped", b"\x05" + ODT_XML)
    write("office", "meta", b"\x02" + META_XML)
    for path in small_public(".docx", 4096):
        try:  # the public corpus holds misnamed files too
            with zipfile.ZipFile(path) as archive:
                xml = archive.read("word/document.xml")
        except (zipfile.BadZipFile, KeyError):
            continue
        write("office", "public-docx" + str(path.stat().st_size), b"\x00" + xml)

    # query: limit byte, offset byte, then text NUL level NUL subject NUL class
    write("query", "phrase", b"\x0a\x00fonctions affines")
    write("query", "filters", b"\x05\x00r\xc3\xa9volution fran\xc3\xa7aise\x00seconde\x00mathematiques\x002nde B")
    write("query", "typo", b"\x14\x01photosynthse pythagorre")
    write("query", "elision", b"\x01\x00l'\xc3\xa9cole jusqu'aux \"th\xc3\xa9or\xc3\xa8me\" (x:y) AND -OR *")
    write("query", "stop-words", b"\x01\x00le la de et")

    # upload_form: a multipart body, boundary cartable-fuzz
    write("upload_form", "full", multipart([
        field(b"title", "Fiche élève".encode()), field(b"level", b"seconde"), field(b"level", b"1re"),
        field(b"subject", b"maths"), field(b"class", b"2nde B"), field(b"due", b"2026-12-24"),
        field(b"visibility", b"staff"), file_part(b"C:\\Users\\prof\\Fiche.pdf", b"%PDF-1.4 x")]))
    write("upload_form", "two-files", multipart([
        file_part(b"a.txt", b"bonjour"), file_part(b"", b""), file_part(b"../b.md", b"# Titre"),
        field(b"due", b"24/12/2026")]))
    write("upload_form", "bad-visibility", multipart([field(b"visibility", b"tous")]))

    # zip_import: a zip pack
    write("zip_import", "pack", pack())
    write("zip_import", "stored", zip_bytes([("Terminale/Philosophie/la-conscience.md", b"# La conscience")]))
    write("zip_import", "docx-alone", docx())


if __name__ == "__main__":
    main()
