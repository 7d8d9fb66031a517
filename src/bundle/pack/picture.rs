//! Pictures (JPEG and PNG scans, photos of worksheets) as PDF image objects. A JPEG goes in as
//! it is (PDF reads JPEG); a PNG is decoded, its transparency laid on white paper, and
//! recompressed.

use std::io::{self, Write};
use std::path::Path;

use lopdf::{Dictionary, ObjectId, Stream};

use super::writer::PdfWriter;

/// A decoded-enough picture, ready to be written as an image XObject.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    /// Clockwise quarter turns that show it upright (a camera's EXIF orientation).
    pub quarter_turns: u8,
    dict: Dictionary,
    data: Vec<u8>,
    /// Whether `data` still needs compressing (raw pixels) or is a JPEG stream.
    raw: bool,
}

/// Why a picture cannot go into a pack; said in French on the pack's contents page.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("lecture impossible : {0}")]
    Read(#[from] io::Error),
    #[error("image JPEG illisible")]
    UnreadableJpeg,
    #[error("image JPEG dans un format de couleurs inconnu")]
    UnknownJpegColours,
    #[error("image PNG illisible ({0})")]
    UnreadablePng(#[from] png::DecodingError),
    #[error("image PNG trop grande")]
    PngTooLarge,
    #[error("image PNG à palette non décodée")]
    IndexedPng,
}

/// Most memory a PNG may decode to: a 600 dpi A4 colour scan is about 100 MB.
const PNG_DECODE_LIMIT: usize = 256 * 1024 * 1024;

pub fn jpeg(path: &Path) -> Result<Picture, PictureError> {
    let data = std::fs::read(path)?;
    let header = jpeg_header(&data).ok_or(PictureError::UnreadableJpeg)?;
    let mut dict = image_dict(header.width, header.height);
    let space = match header.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        _ => return Err(PictureError::UnknownJpegColours),
    };
    dict.set("ColorSpace", space);
    if header.components == 4 && header.adobe {
        // Photoshop writes CMYK JPEGs inverted; the Adobe marker says so.
        dict.set(
            "Decode",
            [1, 0, 1, 0, 1, 0, 1, 0]
                .iter()
                .map(|&v| lopdf::Object::Integer(v))
                .collect::<Vec<_>>(),
        );
    }
    dict.set("Filter", "DCTDecode");
    Ok(Picture {
        width: header.width,
        height: header.height,
        quarter_turns: header.quarter_turns,
        dict,
        data,
        raw: false,
    })
}

pub fn png(path: &Path) -> Result<Picture, PictureError> {
    let file = std::fs::File::open(path)?;
    let mut decoder = png::Decoder::new_with_limits(
        io::BufReader::new(file),
        png::Limits {
            bytes: PNG_DECODE_LIMIT,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info()?;
    let size = reader
        .output_buffer_size()
        .filter(|&n| n <= PNG_DECODE_LIMIT)
        .ok_or(PictureError::PngTooLarge)?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels)?;
    pixels.truncate(frame.buffer_size());
    let (colours, data) = match frame.color_type {
        png::ColorType::Grayscale => (1, pixels),
        png::ColorType::Rgb => (3, pixels),
        png::ColorType::GrayscaleAlpha => (1, on_white(&pixels, 1)),
        png::ColorType::Rgba => (3, on_white(&pixels, 3)),
        png::ColorType::Indexed => return Err(PictureError::IndexedPng),
    };
    let mut dict = image_dict(frame.width, frame.height);
    dict.set(
        "ColorSpace",
        if colours == 1 {
            "DeviceGray"
        } else {
            "DeviceRGB"
        },
    );
    Ok(Picture {
        width: frame.width,
        height: frame.height,
        quarter_turns: 0,
        dict,
        data,
        raw: true,
    })
}

impl Picture {
    pub fn write<W: Write>(self, pdf: &mut PdfWriter<W>) -> io::Result<ObjectId> {
        if self.raw {
            pdf.add_compressed(self.dict, &self.data)
        } else {
            pdf.add(Stream::new(self.dict, self.data).with_compression(false))
        }
    }
}

fn image_dict(width: u32, height: u32) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Type", "XObject");
    dict.set("Subtype", "Image");
    dict.set("Width", i64::from(width));
    dict.set("Height", i64::from(height));
    dict.set("BitsPerComponent", 8);
    dict
}

/// Pixels with an alpha channel, laid on white: paper has no transparency.
fn on_white(pixels: &[u8], colours: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixels.len() / (colours + 1) * colours);
    for pixel in pixels.chunks_exact(colours + 1) {
        let alpha = u32::from(pixel[colours]);
        for &value in &pixel[..colours] {
            out.push(((u32::from(value) * alpha + 255 * (255 - alpha)) / 255) as u8);
        }
    }
    out
}

struct JpegHeader {
    width: u32,
    height: u32,
    components: u8,
    adobe: bool,
    quarter_turns: u8,
}

/// Clockwise quarter turns from an EXIF block (`Exif\0\0` then a TIFF header): orientation 6
/// is a phone held upright, 3 upside down, 8 the other way. Mirrored orientations are rare and
/// printed as stored.
fn exif_quarter_turns(exif: &[u8]) -> Option<u8> {
    let tiff = exif.strip_prefix(b"Exif\0\0")?;
    let big_endian = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let bytes = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    };
    let directory = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(directory)?);
    (0..entries.min(256))
        .map(|n| directory + 2 + 12 * n)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        .and_then(|entry| u16_at(entry + 8))
        .map(|orientation| match orientation {
            3 => 2,
            6 => 1,
            8 => 3,
            _ => 0,
        })
}

/// Reads a JPEG's markers up to its frame header (SOFn): size and colour components.
fn jpeg_header(data: &[u8]) -> Option<JpegHeader> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut adobe = false;
    let mut quarter_turns = 0;
    let mut at = 2;
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return None;
        }
        let marker = data[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let length = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        let segment = data.get(at + 4..at + 2 + length)?;
        match marker {
            0xEE if segment.starts_with(b"Adobe") => adobe = true,
            0xE1 => quarter_turns = exif_quarter_turns(segment).unwrap_or(quarter_turns),
            // Every SOFn except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = u16::from_be_bytes([*segment.get(1)?, *segment.get(2)?]);
                let width = u16::from_be_bytes([*segment.get(3)?, *segment.get(4)?]);
                let components = *segment.get(5)?;
                return (width > 0 && height > 0).then_some(JpegHeader {
                    width: u32::from(width),
                    height: u32::from(height),
                    components,
                    adobe,
                    quarter_turns,
                });
            }
            0xDA | 0xD9 => return None, // scan or end before any frame header
            _ => {}
        }
        at += 2 + length;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_size_and_colours_come_from_the_frame_header() {
        // SOI, an APP0 segment, then SOF0: 8 bits, 3 x 2 pixels, 3 components.
        let mut data = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        data.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03]);
        data.extend([0; 9]);
        let header = jpeg_header(&data).unwrap();
        assert_eq!((header.width, header.height, header.components), (3, 2, 3));
        assert!(jpeg_header(b"GIF89a").is_none());
        assert!(jpeg_header(&data[..12]).is_none(), "truncated header");
    }

    #[test]
    fn a_phone_photo_held_upright_is_turned_a_quarter() {
        // Big-endian TIFF, IFD0 at 8 with one entry: Orientation (0x0112), SHORT, 1, value 6.
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        exif.extend([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]);
        assert_eq!(exif_quarter_turns(&exif), Some(1));
        let last = exif.len() - 3;
        exif[last] = 3;
        assert_eq!(exif_quarter_turns(&exif), Some(2));
        assert_eq!(exif_quarter_turns(b"Exif\0\0II"), None, "truncated");
    }

    #[test]
    fn transparency_is_laid_on_white() {
        let pixels = [10, 20, 30, 0, 10, 20, 30, 255];
        assert_eq!(on_white(&pixels, 3), vec![255, 255, 255, 10, 20, 30]);
    }
}
