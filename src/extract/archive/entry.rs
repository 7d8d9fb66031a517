//! Reading one entry of a zip as a stream, held to what the central directory declared: it never
//! yields more bytes than the declared size (a bomb that lies about its size stops there), and
//! at its end the size and checksum must match. Memory stays at the decoder's window.

use std::io::{BufReader, Read, Seek, SeekFrom, Take};

use flate2::bufread::DeflateDecoder;

use super::{le16, le32, Refusal, ZipEntry, ZipError};

const LOCAL_SIGNATURE: u32 = 0x0403_4b50;

enum Data<R> {
    Stored(Take<R>),
    Deflated(Box<DeflateDecoder<BufReader<Take<R>>>>),
}

/// One entry's content (see [`open_entry`]). After a read error, [`EntryReader::refusal`] says
/// what was wrong with the entry, as a reason to report.
pub struct EntryReader<R> {
    data: Data<R>,
    declared: u64,
    crc32: u32,
    produced: u64,
    checksum: flate2::Crc,
    refusal: Option<Refusal>,
}

/// Positions `reader` on the data of `entry` (as listed by [`super::list_zip`]) and returns a
/// reader of its decompressed content. Only stored and deflated entries can be read.
pub fn open_entry<R: Read + Seek>(
    mut reader: R,
    entry: &ZipEntry,
) -> Result<EntryReader<R>, ZipError> {
    reader.seek(SeekFrom::Start(entry.offset))?;
    let mut header = [0u8; 30];
    reader.read_exact(&mut header)?;
    if le32(&header) != LOCAL_SIGNATURE {
        return Err(ZipError::Damaged("a local header has a bad signature"));
    }
    let skipped = i64::from(le16(&header[26..])) + i64::from(le16(&header[28..]));
    reader.seek(SeekFrom::Current(skipped))?;
    let raw = reader.take(entry.compressed);
    let data = match entry.method {
        0 => Data::Stored(raw),
        8 => Data::Deflated(Box::new(DeflateDecoder::new(BufReader::new(raw)))),
        _ => return Err(ZipError::Damaged("unsupported compression method")),
    };
    Ok(EntryReader {
        data,
        declared: entry.uncompressed,
        crc32: entry.crc32,
        produced: 0,
        checksum: flate2::Crc::new(),
        refusal: None,
    })
}

impl<R> EntryReader<R> {
    /// What was wrong with the entry, once a read failed because of it.
    pub fn refusal(&self) -> Option<&Refusal> {
        self.refusal.as_ref()
    }

    fn fail(&mut self, refusal: Refusal) -> std::io::Error {
        let error = std::io::Error::new(std::io::ErrorKind::InvalidData, refusal.to_string());
        self.refusal = Some(refusal);
        error
    }
}

impl<R: Read> Read for EntryReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if buffer.is_empty() {
            return Ok(0);
        }
        if let Some(refusal) = &self.refusal {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                refusal.to_string(),
            ));
        }
        // One byte more than declared is asked for, so a lie is caught rather than cut.
        let room = (self.declared - self.produced).saturating_add(1);
        let wanted = buffer
            .len()
            .min(usize::try_from(room).unwrap_or(usize::MAX));
        let read = match &mut self.data {
            Data::Stored(raw) => raw.read(&mut buffer[..wanted]),
            Data::Deflated(decoder) => decoder.read(&mut buffer[..wanted]),
        };
        let read = match read {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Err(e),
            Err(_) => return Err(self.fail(Refusal::Damaged)),
        };
        self.produced += read as u64;
        if self.produced > self.declared {
            return Err(self.fail(Refusal::SizeMismatch));
        }
        self.checksum.update(&buffer[..read]);
        if read == 0 && (self.produced != self.declared || self.checksum.sum() != self.crc32) {
            return Err(self.fail(Refusal::Damaged));
        }
        Ok(read)
    }
}
