//! Request bodies judged from their headers before any byte is read: a form or an upload
//! claiming more than its limit gets 413 at once (a 5 GB upload is never read), an upload that
//! is not multipart gets 415. As filters that always match, so the answer is that error page,
//! not the 404 of a route that did not match.

use bytes::Bytes;
use warp::filters::BoxedFilter;
use warp::multipart::FormData;
use warp::Filter;

use super::error::WebError;

/// What a multipart form may weigh in all: the files (see `upload::MAX_FORM_BYTES`) plus the
/// fields and part headers around them.
const MULTIPART_OVERHEAD: u64 = 4 * 1024 * 1024;

/// A multipart form let through, with the length its request announced (if it did), so the
/// disk's reserve can be checked before a byte is written.
pub struct Multipart {
    pub form: FormData,
    pub length: Option<u64>,
}

/// A multipart upload of at most `limit` bytes of files.
pub fn multipart(limit: u64) -> BoxedFilter<(Result<Multipart, WebError>,)> {
    let form = warp::multipart::form()
        .max_length(None)
        .map(Ok)
        .or(warp::any().map(|| {
            Err(WebError::unsupported_type(
                "Envoyez les fichiers avec un formulaire multipart/form-data (champ « file »).",
            ))
        }))
        .unify();
    warp::header::optional::<u64>("content-length")
        .and(form)
        .map(
            move |length: Option<u64>, form: Result<FormData, WebError>| match length {
                Some(length) if length > limit + MULTIPART_OVERHEAD => Err(WebError::too_large(
                    "Cet envoi est trop volumineux : envoyez les fichiers en plusieurs fois.",
                )),
                _ => form.map(|form| Multipart { form, length }),
            },
        )
        .boxed()
}

/// A small form's body (`application/x-www-form-urlencoded`) of at most `limit` bytes.
pub fn small_form(limit: u64) -> BoxedFilter<(Result<Bytes, WebError>,)> {
    warp::body::content_length_limit(limit)
        .and(warp::body::bytes())
        .map(Ok)
        .or(warp::any().map(|| Err(WebError::too_large("Ce formulaire est trop long."))))
        .unify()
        .boxed()
}
