//! Sending a stored file: streamed from disk in chunks (never read whole into memory), with
//! `Range` (one range), `If-None-Match` against a strong ETag (the content hash), the original file
//! name in `Content-Disposition` (RFC 6266 / RFC 5987, accents kept), and a sandbox policy so an
//! uploaded HTML page can never run script in our origin.

use std::path::Path;
use std::sync::Arc;

use tokio::sync::Semaphore;
use warp::http::header::{self, HeaderMap, HeaderValue};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::Reply;

use crate::model::Document;

use super::context::AppState;
use super::error::WebError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// "Télécharger": always saved as a file.
    Attachment,
    /// "Ouvrir": shown by the browser, only for PDF and images.
    Inline,
}

/// Bytes read from disk at a time: big chunks mean few system calls (throughput close to a
/// static server's)...
const CHUNK: usize = 256 * 1024;
/// ...from a fixed pool (48 x 256 KiB = 12 MiB, see [`ChunkPool`]), with small buffers of 32 KiB
/// beyond it, so the memory of many downloads at once stays bounded and none ever waits.
pub const CHUNKS_IN_FLIGHT: usize = 48;
/// How long a download waits for a pooled buffer before taking a small one of its own.
const POOL_WAIT: std::time::Duration = std::time::Duration::from_millis(50);
/// Size of the buffers given out when every pooled one is in use.
const OVERFLOW_CHUNK: usize = 32 * 1024;

pub async fn send(
    state: &AppState,
    document: &Document,
    path: &Path,
    request: &HeaderMap,
    disposition: Disposition,
    // False for HEAD: no body is sent, so nothing is downloaded or served.
    counted: bool,
) -> Result<Response, WebError> {
    let etag = format!("\"{}\"", document.sha256);
    if let Some(candidates) = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        if candidates
            .split(',')
            .map(str::trim)
            .any(|c| c == etag || c == "*" || c.trim_start_matches("W/") == etag)
        {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            response
                .headers_mut()
                .insert(header::ETAG, header_value(&etag));
            return Ok(response);
        }
    }
    let length = document.bytes;
    let if_range_ok = request
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = match request.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(text) if if_range_ok => match parse_range(text, length) {
            RangeRequest::Satisfiable(start, end) => Some((start, end)),
            RangeRequest::Whole => None,
            RangeRequest::Unsatisfiable => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                response.headers_mut().insert(
                    header::CONTENT_RANGE,
                    header_value(&format!("bytes */{length}")),
                );
                return Ok(response);
            }
        },
        _ => None,
    };
    let (start, end) = range.unwrap_or((0, length.saturating_sub(1)));
    let count = if length == 0 { 0 } else { end - start + 1 };

    let opened = {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || std::fs::File::open(path)).await
    };
    let file = match opened {
        Ok(Ok(file)) => Arc::new(file),
        _ => {
            tracing::error!(path = %path.display(), "stored file missing");
            return Err(WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Le fichier de ce document est introuvable sur le serveur.",
            ));
        }
    };
    let stream = chunks(file, start, count, Arc::clone(&state.download_chunks));
    let mut response = warp::reply::stream(stream).into_response();
    let headers = response.headers_mut();
    let inline = disposition == Disposition::Inline
        && (document.format == crate::model::Format::Pdf || document.format.is_image());
    headers.insert(header::CONTENT_TYPE, header_value(document.format.mime()));
    headers.insert(header::CONTENT_LENGTH, header_value(&count.to_string()));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::ETAG, header_value(&etag));
    // The file behind a URL can be replaced: caches must check the ETag each time.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(&content_disposition(&document.file_name, inline)),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        response.headers_mut().insert(
            header::CONTENT_RANGE,
            header_value(&format!("bytes {start}-{end}/{length}")),
        );
    }
    if counted {
        state.metrics.served(count);
    }
    if counted && start == 0 {
        state.library.core().count_download(&document.id);
    }
    Ok(response)
}

/// The large chunk buffers of all downloads: at most `CHUNKS_IN_FLIGHT`, allocated once and
/// reused. Reuse matters as much as the cap: freeing 256 KiB buffers
/// on one thread after filling them on another fragments the allocator's arenas, and the
/// resident memory of a busy server then grows far past what is really in use.
#[derive(Debug)]
pub struct ChunkPool {
    turns: Semaphore,
    spare: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl Default for ChunkPool {
    fn default() -> ChunkPool {
        ChunkPool {
            turns: Semaphore::new(CHUNKS_IN_FLIGHT),
            spare: std::sync::Mutex::new(Vec::new()),
        }
    }
}

impl ChunkPool {
    /// A pooled buffer when one frees up quickly (they cycle fast while clients read); otherwise
    /// a small one of its own. Waiting longer would let a few dozen phones that stopped reading
    /// stall every download.
    async fn take(self: &Arc<ChunkPool>) -> Chunk {
        let turn = tokio::time::timeout(POOL_WAIT, self.turns.acquire()).await;
        match turn {
            Ok(Ok(turn)) => {
                // The permit is given back by hand when the chunk is dropped (with its buffer).
                turn.forget();
                let data = self
                    .spare
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .pop()
                    .unwrap_or_else(|| vec![0u8; CHUNK]);
                Chunk {
                    data,
                    len: 0,
                    pool: Some(Arc::clone(self)),
                }
            }
            _ => Chunk {
                data: vec![0u8; OVERFLOW_CHUNK],
                len: 0,
                pool: None,
            },
        }
    }
}

/// A buffer, pooled or not, held until hyper has sent it and dropped it.
struct Chunk {
    data: Vec<u8>,
    len: usize,
    pool: Option<Arc<ChunkPool>>,
}

impl AsRef<[u8]> for Chunk {
    fn as_ref(&self) -> &[u8] {
        &self.data[..self.len]
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        if let Some(pool) = &self.pool {
            let data = std::mem::take(&mut self.data);
            pool.spare
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(data);
            pool.turns.add_permits(1);
        }
    }
}

/// `remaining` bytes of `file` from `offset`, one pooled chunk at a time. Each chunk is read
/// straight into its pooled buffer (`pread`, no seek state): from the page cache where it is,
/// on the blocking pool otherwise; tokio's own file type would copy through a second buffer
/// of its own per open file.
fn chunks(
    file: Arc<std::fs::File>,
    offset: u64,
    remaining: u64,
    pool: Arc<ChunkPool>,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + Sync + 'static {
    futures_util::stream::try_unfold(
        (file, offset, remaining, pool),
        |(file, offset, remaining, pool)| async move {
            if remaining == 0 {
                return Ok(None);
            }
            let mut chunk = pool.take().await;
            let wanted = (remaining as usize).min(chunk.data.len());
            let cached = read_cached(&file, &mut chunk.data[..wanted], offset);
            let chunk = if cached == wanted {
                chunk.len = wanted;
                chunk
            } else {
                let reader = Arc::clone(&file);
                tokio::task::spawn_blocking(move || {
                    use std::os::unix::fs::FileExt;
                    reader
                        .read_exact_at(&mut chunk.data[cached..wanted], offset + cached as u64)?;
                    chunk.len = wanted;
                    Ok::<_, std::io::Error>(chunk)
                })
                .await
                .map_err(std::io::Error::other)??
            };
            let next = (
                file,
                offset + wanted as u64,
                remaining - wanted as u64,
                pool,
            );
            Ok(Some((bytes::Bytes::from_owner(chunk), next)))
        },
    )
}

/// Reads what the page cache already holds of `buffer.len()` bytes at `offset`, right here:
/// `RWF_NOWAIT` returns instead of waiting for the disk. The rest (what must come from the SD
/// card) is read on the blocking pool. Most downloads are of the same few files, all cached,
/// so this saves a thread hop and two context switches per chunk (a fifth of the CPU a
/// download cost). Any error (a file system without `RWF_NOWAIT`) reads nothing here.
fn read_cached(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> usize {
    use rustix::io::{preadv2, ReadWriteFlags};
    let mut done = 0;
    while done < buffer.len() {
        let mut slices = [std::io::IoSliceMut::new(&mut buffer[done..])];
        match preadv2(
            file,
            &mut slices,
            offset + done as u64,
            ReadWriteFlags::NOWAIT,
        ) {
            Ok(0) | Err(_) => break,
            Ok(read) => done += read,
        }
    }
    done
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

#[derive(Debug, PartialEq, Eq)]
enum RangeRequest {
    Satisfiable(u64, u64),
    /// A form we do not serve partially (several ranges): the whole file is sent.
    Whole,
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n` against a file of `length` bytes.
fn parse_range(text: &str, length: u64) -> RangeRequest {
    let Some(spec) = text.trim().strip_prefix("bytes=") else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return RangeRequest::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parsed = match (first.parse::<u64>().ok(), last.parse::<u64>().ok()) {
        (Some(start), Some(end)) if start <= end => {
            Some((start, end.min(length.saturating_sub(1))))
        }
        (Some(start), None) if last.is_empty() => Some((start, length.saturating_sub(1))),
        (None, Some(suffix)) if first.is_empty() && suffix > 0 => {
            Some((length.saturating_sub(suffix), length.saturating_sub(1)))
        }
        _ => return RangeRequest::Whole,
    };
    match parsed {
        Some((start, end)) if length > 0 && start < length && start <= end => {
            RangeRequest::Satisfiable(start, end)
        }
        _ => RangeRequest::Unsatisfiable,
    }
}

/// `attachment; filename="Fiche - Les fonctions.pdf"; filename*=UTF-8''Fiche%20-%20Les%20fonctions.pdf`,
/// with an ASCII fallback name for old clients and the exact UTF-8 name for the rest.
pub(super) fn content_disposition(file_name: &str, inline: bool) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let fallback: String = file_name
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || " .-_()".contains(c) => c,
            c => crate::model::fold(&c.to_string())
                .chars()
                .find(char::is_ascii_alphanumeric)
                .unwrap_or('_'),
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_reads_give_the_file_bytes_and_stop_at_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fiche.pdf");
        let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let mut buffer = vec![0u8; 100_000];
        let read = read_cached(&file, &mut buffer, 150_000);
        // Just written, so cached: all of it here (a file system without RWF_NOWAIT reads
        // nothing here and leaves it to the blocking pool).
        assert!(read == 100_000 || read == 0, "{read}");
        if read > 0 {
            assert_eq!(buffer, content[150_000..250_000]);
        }
        assert_eq!(read_cached(&file, &mut buffer, 300_000), 0);
    }

    #[test]
    fn ranges_are_parsed_against_the_length() {
        assert_eq!(
            parse_range("bytes=0-99", 1000),
            RangeRequest::Satisfiable(0, 99)
        );
        assert_eq!(
            parse_range("bytes=900-", 1000),
            RangeRequest::Satisfiable(900, 999)
        );
        assert_eq!(
            parse_range("bytes=-100", 1000),
            RangeRequest::Satisfiable(900, 999)
        );
        assert_eq!(
            parse_range("bytes=990-2000", 1000),
            RangeRequest::Satisfiable(990, 999)
        );
        assert_eq!(
            parse_range("bytes=1000-", 1000),
            RangeRequest::Unsatisfiable
        );
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), RangeRequest::Whole);
        assert_eq!(parse_range("items=0-1", 1000), RangeRequest::Whole);
        assert_eq!(parse_range("bytes=5-1", 1000), RangeRequest::Whole);
    }

    #[test]
    fn file_names_keep_their_accents_and_cannot_break_the_header() {
        let value = content_disposition("Fiche \"révision\"; é.pdf", false);
        assert!(
            value.starts_with("attachment; filename=\"Fiche _revision__ e.pdf\""),
            "{value}"
        );
        assert!(
            value.ends_with("filename*=UTF-8''Fiche%20%22r%C3%A9vision%22%3B%20%C3%A9.pdf"),
            "{value}"
        );
    }
}
