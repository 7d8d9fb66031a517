//! A PDF file written front to back. Objects get their numbers when reserved and are written as
//! soon as they are ready, so a pack of any size holds in memory only the part being copied and
//! the table of object offsets.

use std::io::{self, Write};

use flate2::write::ZlibEncoder;
use flate2::Compression;
use lopdf::{Dictionary, Object, ObjectId, Stream};

/// Counts what goes through, for the cross-reference table.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(data)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub struct PdfWriter<W: Write> {
    out: Counting<W>,
    /// Offset of each object, by number minus one; `None` while reserved and not yet written.
    offsets: Vec<Option<u64>>,
}

impl<W: Write> PdfWriter<W> {
    pub fn new(out: W) -> io::Result<PdfWriter<W>> {
        let mut out = Counting {
            inner: out,
            written: 0,
        };
        // The second line's high bytes tell transfer tools the file is binary.
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(PdfWriter {
            out,
            offsets: Vec::new(),
        })
    }

    /// A number for an object written later (pages point to their parent before it exists).
    pub fn reserve(&mut self) -> ObjectId {
        self.offsets.push(None);
        (self.offsets.len() as u32, 0)
    }

    pub fn write(&mut self, id: ObjectId, object: &Object) -> io::Result<()> {
        let slot = &mut self.offsets[id.0 as usize - 1];
        debug_assert!(slot.is_none(), "object {} written twice", id.0);
        *slot = Some(self.out.written);
        writeln!(self.out, "{} 0 obj", id.0)?;
        if lopdf::Writer::need_separator(object) {
            self.out.write_all(b" ")?;
        }
        // Its error is already an `io::Error`: kept as it is, so a full disk stays "disk full".
        lopdf::Writer::write_object(&mut self.out, object)?;
        if lopdf::Writer::need_end_separator(object) {
            self.out.write_all(b" ")?;
        }
        self.out.write_all(b"\nendobj\n")
    }

    /// Reserves and writes at once.
    pub fn add(&mut self, object: impl Into<Object>) -> io::Result<ObjectId> {
        let id = self.reserve();
        self.write(id, &object.into())?;
        Ok(id)
    }

    /// Writes a stream compressed with Flate.
    pub fn add_compressed(&mut self, mut dict: Dictionary, data: &[u8]) -> io::Result<ObjectId> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data)?;
        dict.set("Filter", "FlateDecode");
        let stream = Stream::new(dict, encoder.finish()?).with_compression(false);
        self.add(stream)
    }

    /// Writes the cross-reference table and the trailer; every reserved object must have been
    /// written.
    pub fn finish(mut self, catalog: ObjectId, info: ObjectId) -> io::Result<W> {
        let start = self.out.written;
        write!(self.out, "xref\n0 {}\n", self.offsets.len() + 1)?;
        self.out.write_all(b"0000000000 65535 f \n")?;
        for (index, offset) in self.offsets.iter().enumerate() {
            let offset = offset.ok_or_else(|| {
                io::Error::other(format!(
                    "PDF object {} reserved but never written",
                    index + 1
                ))
            })?;
            writeln!(self.out, "{offset:010} 00000 n ")?;
        }
        let mut trailer = Dictionary::new();
        trailer.set("Size", self.offsets.len() as i64 + 1);
        trailer.set("Root", catalog);
        trailer.set("Info", info);
        self.out.write_all(b"trailer\n")?;
        lopdf::Writer::write_object(&mut self.out, &Object::Dictionary(trailer))?;
        write!(self.out, "\nstartxref\n{start}\n%%EOF\n")?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}
