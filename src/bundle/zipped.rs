//! A bundle as a zip, written to any stream (no seeking: the web streams it as it is made, never
//! building it in memory or on disk). Names are UTF-8 (flagged so), text is deflated, PDFs,
//! images and office files are stored as they are.

use std::fs::File;
use std::io::{Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{offline, offline_index, Cover, Item, INDEX_FILE, SEARCH_FILE};

/// Writes the zip of `items` (with the offline `index.html` and its `recherche.js` first) into
/// `out`.
pub fn write_zip<W: Write>(cover: &Cover, items: &[Item], out: W) -> std::io::Result<W> {
    let mut zip = ZipWriter::new_stream(out);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(false);
    for (name, content) in [
        (INDEX_FILE, offline::index_html(cover, items)),
        (SEARCH_FILE, offline_index::search_js(items)),
    ] {
        zip.start_file(name, deflated)
            .map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    let mut buffer = vec![0u8; 256 * 1024];
    for item in items {
        let options = if item.compress { deflated } else { stored };
        let mut options = options.large_file(item.bytes >= u64::from(u32::MAX));
        let when = item.modified;
        // Zip dates are local time without a zone; the stored UTC time is close enough for a
        // file list, and a date before 1980 or after 2107 keeps the default.
        if let Ok(date) = zip::DateTime::from_date_and_time(
            when.year().try_into().unwrap_or(0),
            when.month().into(),
            when.day(),
            when.hour(),
            when.minute(),
            when.second(),
        ) {
            options = options.last_modified_time(date);
        }
        zip.start_file(item.path.join("/"), options)
            .map_err(std::io::Error::other)?;
        let mut file = File::open(&item.source)?;
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            zip.write_all(&buffer[..read])?;
        }
    }
    let writer = zip.finish().map_err(std::io::Error::other)?;
    Ok(writer.into_inner())
}
