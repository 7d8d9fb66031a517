//! Sending a stored file: streamed from disk in chunks (never read whole into memory), with
//! `Range` (one range), `If-None-Match` against a strong ETag (the content hash), the original file
//! name in `Content-Disposition` (RFC 6266 / RFC 5987, accents kept), and a sandbox policy so an
//! uploaded HTML page can never run script in our origin.

use std::path::Path;
use std::sync::Arc;

use warp::http::header::{self, HeaderMap, HeaderValue};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::Reply;

use crate::model::Document;
use crate::service::Library;

use super::error::WebError;
use super::metrics::Metrics;

mod chunks;

use chunks::chunks;
pub use chunks::ChunkPool;

/// What sending a file needs from the server: the pool capping the chunks held in memory, and
/// where the bytes sent and the downloads are counted.
#[derive(Debug, Clone, Copy)]
pub struct Outlet<'a> {
    pub chunks: &'a Arc<ChunkPool>,
    pub metrics: &'a Metrics,
    pub library: &'a Library,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// "Télécharger": always saved as a file.
    Attachment,
    /// "Lire": shown by the browser, only for PDF and images.
    Inline,
}

pub async fn send(
    outlet: Outlet<'_>,
    document: &Document,
    path: &Path,
    request: &HeaderMap,
    disposition: Disposition,
    // False for HEAD: no body is sent, so nothing is downloaded or served.
    counted: bool,
) -> Result<Response, WebError> {
    let inline = disposition == Disposition::Inline
        && (document.format == crate::model::Format::Pdf || document.format.is_image());
    let file = Outgoing {
        path,
        length: document.bytes,
        etag: format!("\"{}\"", document.sha256),
        mime: document.format.mime(),
        disposition: content_disposition(&document.file_name, inline),
        document,
    };
    respond(outlet, file, request, counted).await
}

/// Sends the PDF LibreOffice made of `document` (its reading view), shown by the browser and
/// named like the document's file, with `.pdf`.
pub async fn send_converted(
    outlet: Outlet<'_>,
    document: &Document,
    pdf: &Path,
    request: &HeaderMap,
    counted: bool,
) -> Result<Response, WebError> {
    let length = tokio::fs::metadata(pdf)
        .await
        .map_err(|_| WebError::not_found())?
        .len();
    let stem = Path::new(&document.file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document");
    let file = Outgoing {
        path: pdf,
        length,
        // Its own tag: the same URL never gives two different files under one.
        etag: format!("\"{}-pdf\"", document.sha256),
        mime: "application/pdf",
        disposition: content_disposition(&format!("{stem}.pdf"), true),
        document,
    };
    respond(outlet, file, request, counted).await
}

/// A file about to be sent.
struct Outgoing<'a> {
    path: &'a Path,
    length: u64,
    /// Strong, quoted.
    etag: String,
    mime: &'a str,
    /// The `Content-Disposition` value.
    disposition: String,
    /// Whose download it counts.
    document: &'a Document,
}

async fn respond(
    outlet: Outlet<'_>,
    file: Outgoing<'_>,
    request: &HeaderMap,
    counted: bool,
) -> Result<Response, WebError> {
    let Outgoing {
        path,
        length,
        etag,
        mime,
        disposition,
        document,
    } = file;
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
            return Err(WebError::internal(
                "Le fichier de ce document est introuvable sur le serveur.",
            ));
        }
    };
    let stream = chunks(file, start, count, Arc::clone(outlet.chunks));
    let mut response = warp::reply::stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, header_value(mime));
    headers.insert(header::CONTENT_LENGTH, header_value(&count.to_string()));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::ETAG, header_value(&etag));
    // The file behind a URL can be replaced: caches must check the ETag each time.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::CONTENT_DISPOSITION, header_value(&disposition));
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
        outlet.metrics.served(count);
    }
    if counted && start == 0 {
        outlet.library.count_download(&document.id);
    }
    Ok(response)
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
