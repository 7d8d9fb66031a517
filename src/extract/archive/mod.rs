//! Zip archives read defensively: the central directory is parsed by hand under hard bounds
//! (bytes of directory read, entries listed, name length), nothing is decompressed to list or
//! sniff, and one entry is streamed with its output capped at the size the directory declares.
//! Memory and time are bounded by the bounds, not by what the archive claims. These functions
//! are pure over a `Read + Seek` (or `&[u8]`), so they can be fuzzed directly.

mod entry;
mod screen;

use std::io::{Read, Seek, SeekFrom};

pub use entry::{open_entry, EntryReader};
pub use screen::{screen_entries, Bounds, Refusal, Verdict};

/// One file (or folder) of a zip's central directory, as declared: nothing here is trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntry {
    /// Position in the central directory.
    pub index: usize,
    /// The name as stored (UTF-8, or lossily decoded), `\` turned into `/`.
    pub name: String,
    /// The name's length in bytes as stored (`name` is cut beyond the listing's cap).
    pub name_length: usize,
    pub flags: u16,
    pub method: u16,
    pub crc32: u32,
    pub compressed: u64,
    pub uncompressed: u64,
    /// Where its local header starts.
    pub offset: u64,
    /// Unix file mode, when the archive was made on Unix.
    pub unix_mode: Option<u32>,
    /// MS-DOS attributes say it is a folder.
    pub dos_directory: bool,
}

impl ZipEntry {
    pub fn is_directory(&self) -> bool {
        self.name.ends_with('/')
            || self.dos_directory
            || self.unix_mode.is_some_and(|m| m & 0o170000 == 0o040000)
    }

    pub fn is_symlink(&self) -> bool {
        self.unix_mode.is_some_and(|m| m & 0o170000 == 0o120000)
    }

    /// A Unix device, pipe or socket: nothing to import.
    pub fn is_special(&self) -> bool {
        self.unix_mode
            .is_some_and(|m| !matches!(m & 0o170000, 0 | 0o100000 | 0o040000 | 0o120000))
    }
}

/// What was read of a central directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZipListing {
    pub entries: Vec<ZipEntry>,
    /// Entries the directory declares beyond those listed (over `max_listed`, or past the bytes
    /// of directory read): never parsed, but counted so they can be reported.
    pub unlisted: u64,
}

/// Why a zip cannot be listed at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ZipError {
    #[error("no end of central directory: not a zip, or a truncated one")]
    NoDirectory,
    #[error("the central directory is damaged: {0}")]
    Damaged(&'static str),
    #[error("cannot read the zip: {0}")]
    Io(String),
}

impl From<std::io::Error> for ZipError {
    fn from(error: std::io::Error) -> ZipError {
        match error.kind() {
            std::io::ErrorKind::UnexpectedEof => ZipError::Damaged("cut short"),
            _ => ZipError::Io(error.to_string()),
        }
    }
}

/// How much of a central directory is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListLimits {
    /// Most entries parsed; the others are only counted.
    pub max_listed: usize,
    /// Most bytes of central directory read.
    pub max_directory_bytes: u64,
    /// Longest name kept whole; a longer one is cut (and refused by the screening).
    pub max_name_bytes: usize,
}

impl Default for ListLimits {
    fn default() -> ListLimits {
        ListLimits {
            max_listed: 20_000,
            max_directory_bytes: 16 * 1024 * 1024,
            max_name_bytes: 1024,
        }
    }
}

const END_SIGNATURE: u32 = 0x0605_4b50;
const END64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const END64_SIGNATURE: u32 = 0x0606_4b50;
const ENTRY_SIGNATURE: u32 = 0x0201_4b50;
/// The end record is 22 bytes plus a comment of at most 65,535.
const END_SEARCH: u64 = 22 + 65_535;

/// Lists the entries of the zip in `bytes` (see [`list_zip`]).
pub fn list_zip_bytes(bytes: &[u8], limits: &ListLimits) -> Result<ZipListing, ZipError> {
    list_zip(&mut std::io::Cursor::new(bytes), limits)
}

/// Lists a zip's entries from its central directory, reading at most the end of the file (64
/// KiB) and `limits.max_directory_bytes` of directory, parsing at most `limits.max_listed`
/// entries. Nothing is decompressed.
pub fn list_zip<R: Read + Seek>(
    reader: &mut R,
    limits: &ListLimits,
) -> Result<ZipListing, ZipError> {
    let length = reader.seek(SeekFrom::End(0))?;
    let (declared, directory_size, directory_offset) = find_directory(reader, length)?;
    if directory_offset > length {
        return Err(ZipError::Damaged("the directory starts past the end"));
    }
    reader.seek(SeekFrom::Start(directory_offset))?;
    let readable = directory_size
        .min(limits.max_directory_bytes)
        .min(length - directory_offset);
    let mut directory = std::io::BufReader::new(reader.take(readable));
    let mut entries = Vec::new();
    let mut header = [0u8; 46];
    while (entries.len() as u64) < declared && entries.len() < limits.max_listed {
        match directory.read_exact(&mut header) {
            Ok(()) => {}
            // Past the bytes we agreed to read: the rest is counted, not parsed.
            Err(e)
                if e.kind() == std::io::ErrorKind::UnexpectedEof && readable < directory_size =>
            {
                break
            }
            Err(e) => return Err(e.into()),
        }
        if le32(&header[0..]) != ENTRY_SIGNATURE {
            return Err(ZipError::Damaged("an entry header has a bad signature"));
        }
        let made_by_unix = header[5] == 3;
        let name_length = usize::from(le16(&header[28..]));
        let extra_length = u64::from(le16(&header[30..]));
        let comment_length = u64::from(le16(&header[32..]));
        let external = le32(&header[38..]);
        let mut entry = ZipEntry {
            index: entries.len(),
            name: String::new(),
            name_length: 0,
            flags: le16(&header[8..]),
            method: le16(&header[10..]),
            crc32: le32(&header[16..]),
            compressed: u64::from(le32(&header[20..])),
            uncompressed: u64::from(le32(&header[24..])),
            offset: u64::from(le32(&header[42..])),
            unix_mode: made_by_unix.then_some(external >> 16).filter(|m| *m != 0),
            dos_directory: external & 0x10 != 0,
        };
        // The name is read up to the cap; the rest of it is skipped unread into memory.
        let kept = name_length.min(limits.max_name_bytes);
        let mut name = vec![0u8; kept];
        directory.read_exact(&mut name)?;
        skip(&mut directory, (name_length - kept) as u64)?;
        entry.name = decode_name(&name, kept < name_length);
        entry.name_length = name_length;
        read_zip64_extra(&mut directory, extra_length, &mut entry)?;
        skip(&mut directory, comment_length)?;
        entries.push(entry);
    }
    let unlisted = declared.saturating_sub(entries.len() as u64);
    Ok(ZipListing { entries, unlisted })
}

/// The entry count, size and offset of the central directory, from the end record (or its
/// zip64 form).
fn find_directory<R: Read + Seek>(
    reader: &mut R,
    length: u64,
) -> Result<(u64, u64, u64), ZipError> {
    let tail_length = length.min(END_SEARCH);
    reader.seek(SeekFrom::Start(length - tail_length))?;
    let mut tail = vec![0u8; tail_length as usize];
    reader.read_exact(&mut tail)?;
    let end = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| le32(&tail[i..]) == END_SIGNATURE)
        .ok_or(ZipError::NoDirectory)?;
    let record = &tail[end..];
    let mut declared = u64::from(le16(&record[10..]));
    let mut size = u64::from(le32(&record[12..]));
    let mut offset = u64::from(le32(&record[16..]));
    let end_position = length - tail_length + end as u64;
    if end >= 20 && le32(&tail[end - 20..]) == END64_LOCATOR_SIGNATURE {
        let end64 = le64(&tail[end - 20 + 8..]);
        if end64.checked_add(56).is_none_or(|e| e > end_position) {
            return Err(ZipError::Damaged("the zip64 end record is out of place"));
        }
        reader.seek(SeekFrom::Start(end64))?;
        let mut record64 = [0u8; 56];
        reader.read_exact(&mut record64)?;
        if le32(&record64) != END64_SIGNATURE {
            return Err(ZipError::Damaged(
                "the zip64 end record has a bad signature",
            ));
        }
        declared = le64(&record64[32..]);
        size = le64(&record64[40..]);
        offset = le64(&record64[48..]);
    }
    Ok((declared, size, offset))
}

/// Reads an entry's extra fields, taking the real sizes and offset from a zip64 field.
fn read_zip64_extra<R: Read>(
    reader: &mut R,
    length: u64,
    entry: &mut ZipEntry,
) -> Result<(), ZipError> {
    let mut extra = vec![0u8; length as usize];
    reader.read_exact(&mut extra)?;
    let mut rest = &extra[..];
    while rest.len() >= 4 {
        let (id, size) = (le16(rest), usize::from(le16(&rest[2..])));
        let field = rest
            .get(4..4 + size)
            .ok_or(ZipError::Damaged("an extra field overruns"))?;
        if id == 0x0001 {
            let mut values = field.chunks_exact(8).map(le64);
            for slot in [
                &mut entry.uncompressed,
                &mut entry.compressed,
                &mut entry.offset,
            ] {
                if *slot == u64::from(u32::MAX) {
                    *slot = values
                        .next()
                        .ok_or(ZipError::Damaged("a zip64 field is short"))?;
                }
            }
        }
        rest = &rest[4 + size..];
    }
    Ok(())
}

fn skip<R: Read>(reader: &mut R, bytes: u64) -> Result<(), ZipError> {
    let skipped = std::io::copy(&mut reader.take(bytes), &mut std::io::sink())?;
    if skipped < bytes {
        return Err(ZipError::Damaged("cut short"));
    }
    Ok(())
}

/// Names are UTF-8 in practice (flag 11, or plain ASCII); others are decoded lossily, which is
/// enough to show them and to find `..` or a leading `/`. A cut name keeps a mark of it.
fn decode_name(bytes: &[u8], cut: bool) -> String {
    let mut name = String::from_utf8_lossy(bytes).replace('\\', "/");
    if cut {
        name.push('…');
    }
    name
}

pub(crate) fn le16(bytes: &[u8]) -> u16 {
    u16::from_le_bytes([bytes[0], bytes[1]])
}

pub(crate) fn le32(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn le64(bytes: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(eight)
}

#[cfg(test)]
pub(crate) mod tests;
