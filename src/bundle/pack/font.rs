//! The one font of the pages cartable typesets (cover, contents, text documents): DejaVu Sans,
//! embedded whole as a CID font so every accent and symbol a French teacher types prints, and
//! with a ToUnicode map so the text can be searched and copied from the PDF.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::OnceLock;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::writer::PdfWriter;

/// DejaVu Sans 2.37 (Debian fonts-dejavu-core); licence in assets/fonts/LICENCE-DejaVu.txt.
static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const POSTSCRIPT_NAME: &str = "DejaVuSans";

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    FACE.get_or_init(|| {
        ttf_parser::Face::parse(DEJAVU_SANS, 0).expect("the embedded DejaVu Sans font is valid")
    })
}

/// Measures and encodes text, remembering the glyphs used for the width and Unicode tables.
pub struct Font {
    /// Glyph id -> the character it was used for.
    used: BTreeMap<u16, char>,
}

impl Font {
    pub fn new() -> Font {
        Font {
            used: BTreeMap::new(),
        }
    }

    /// The glyph printed for a character and the character it shows: itself, or a question mark
    /// when the font lacks it.
    fn glyph(c: char) -> (u16, char) {
        let face = face();
        match face.glyph_index(c) {
            Some(glyph) => (glyph.0, c),
            None => (face.glyph_index('?').map(|g| g.0).unwrap_or(0), '?'),
        }
    }

    fn advance(glyph: u16) -> f32 {
        let face = face();
        let units = face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .unwrap_or(0);
        f32::from(units) * 1000.0 / f32::from(face.units_per_em())
    }

    /// Width of `text` set at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| Font::advance(Font::glyph(c).0))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// `text` as a PDF string of two-byte glyph ids, for `Tj`.
    pub fn encode(&mut self, text: &str) -> String {
        let mut hex = String::with_capacity(text.len() * 4 + 2);
        hex.push('<');
        for c in text.chars() {
            let (glyph, shown) = Font::glyph(c);
            self.used.entry(glyph).or_insert(shown);
            hex.push_str(&format!("{glyph:04X}"));
        }
        hex.push('>');
        hex
    }

    /// Writes the font objects, the Type0 font taking the number `id` that pages already use.
    pub fn write<W: Write>(&self, pdf: &mut PdfWriter<W>, id: ObjectId) -> io::Result<()> {
        let face = face();
        let scale = |units: i16| i64::from(units) * 1000 / i64::from(face.units_per_em());
        let mut file = Dictionary::new();
        file.set("Length1", DEJAVU_SANS.len() as i64);
        let font_file = pdf.add_compressed(file, DEJAVU_SANS)?;

        let bbox = face.global_bounding_box();
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", "FontDescriptor");
        descriptor.set("FontName", POSTSCRIPT_NAME);
        descriptor.set("Flags", 32);
        descriptor.set(
            "FontBBox",
            vec![
                scale(bbox.x_min).into(),
                scale(bbox.y_min).into(),
                scale(bbox.x_max).into(),
                scale(bbox.y_max).into(),
            ],
        );
        descriptor.set("ItalicAngle", 0);
        descriptor.set("Ascent", scale(face.ascender()));
        descriptor.set("Descent", scale(face.descender()));
        descriptor.set("CapHeight", scale(face.capital_height().unwrap_or(729)));
        descriptor.set("StemV", 80);
        descriptor.set("FontFile2", font_file);
        let descriptor = pdf.add(descriptor)?;

        let mut widths: Vec<Object> = Vec::new();
        for &glyph in self.used.keys() {
            widths.push(i64::from(glyph).into());
            widths.push(vec![Object::Real(Font::advance(glyph))].into());
        }
        let mut system = Dictionary::new();
        system.set(
            "Registry",
            Object::String(b"Adobe".to_vec(), StringFormat::Literal),
        );
        system.set(
            "Ordering",
            Object::String(b"Identity".to_vec(), StringFormat::Literal),
        );
        system.set("Supplement", 0);
        let mut cid_font = Dictionary::new();
        cid_font.set("Type", "Font");
        cid_font.set("Subtype", "CIDFontType2");
        cid_font.set("BaseFont", POSTSCRIPT_NAME);
        cid_font.set("CIDSystemInfo", system);
        cid_font.set("FontDescriptor", descriptor);
        cid_font.set("CIDToGIDMap", "Identity");
        cid_font.set("DW", 600);
        cid_font.set("W", widths);
        let cid_font = pdf.add(cid_font)?;

        let to_unicode = pdf.add_compressed(Dictionary::new(), self.to_unicode().as_bytes())?;
        let mut font = Dictionary::new();
        font.set("Type", "Font");
        font.set("Subtype", "Type0");
        font.set("BaseFont", POSTSCRIPT_NAME);
        font.set("Encoding", "Identity-H");
        font.set("DescendantFonts", vec![cid_font.into()]);
        font.set("ToUnicode", to_unicode);
        pdf.write(id, &font.into())
    }

    /// The CMap that maps each glyph used back to its character.
    fn to_unicode(&self) -> String {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<(&u16, &char)> = self.used.iter().collect();
        // A bfchar block holds at most 100 entries.
        for block in entries.chunks(100) {
            cmap.push_str(&format!("{} beginbfchar\n", block.len()));
            for (glyph, c) in block {
                let mut units = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                cmap.push_str(&format!("<{glyph:04X}> <{hex}>\n"));
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        cmap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_have_their_own_glyphs_and_widths() {
        for c in "éèêàçœÉÀ«»’€".chars() {
            assert_eq!(Font::glyph(c).1, c, "{c} missing from the font");
        }
        assert_eq!(
            Font::glyph('\u{E000}').1,
            '?',
            "a private-use character has no glyph"
        );
        let font = Font::new();
        assert!(font.width("mmmm", 10.0) > font.width("iiii", 10.0));
        assert!((font.width("ab", 20.0) - 2.0 * font.width("ab", 10.0)).abs() < 0.01);
    }

    #[test]
    fn encoded_text_maps_back_to_its_characters() {
        let mut font = Font::new();
        let hex = font.encode("Été");
        assert_eq!(hex.len(), 2 + 3 * 4);
        let cmap = font.to_unicode();
        assert!(cmap.contains("<00C9>"), "É in the ToUnicode map: {cmap}");
        assert!(cmap.contains("<00E9>"));
    }
}
