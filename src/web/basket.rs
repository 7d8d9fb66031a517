//! The basket (panier): documents a family picked, kept in a cookie (no account, no JavaScript),
//! and the zip of them streamed as it is made (`/bundle.zip?ids=...`).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{join_ids, split_ids, DocumentId};
use crate::service::Selection;

use super::context::{local_path, see_other, with_context, AppState, Ctx};
use super::error::WebError;
use super::views;

pub const BASKET_COOKIE: &str = "cartable_panier";
/// Most documents in one basket (the cookie stays under 1 KB).
const MAX_DOCUMENTS: usize = 100;
const FORM_LIMIT: u64 = 4 * 1024;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(Arc::clone(&state));
    let basket = warp::cookie::optional::<String>(BASKET_COOKIE);
    let page = warp::path!("panier")
        .and(warp::get())
        .and(super::server::remote())
        .and(basket)
        .and(ctx.clone())
        .then(page);
    let change = warp::path!("panier")
        .and(warp::post())
        .and(basket)
        .and(
            warp::body::content_length_limit(FORM_LIMIT)
                .and(warp::body::form::<HashMap<String, String>>()),
        )
        .map(change);
    let zip = warp::path!("bundle.zip")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx)
        .then(zip);
    page.or(change).unify().or(zip).unify().boxed()
}

/// The ids in a basket cookie (unknown or malformed ones are dropped).
pub fn ids(cookie: Option<&str>) -> Vec<DocumentId> {
    let mut ids = split_ids(cookie.unwrap_or(""));
    ids.truncate(MAX_DOCUMENTS);
    ids
}

async fn page(remote: Option<std::net::SocketAddr>, cookie: Option<String>, ctx: Ctx) -> Response {
    let ids = ids(cookie.as_deref());
    let drives = super::usb::drives_for(&ctx, remote).await;
    let public_only = ctx.staff.is_none();
    let result = ctx
        .state
        .library
        .blocking(move |core| core.documents(&ids, public_only))
        .await
        .map_err(WebError::from)
        .map(|documents| ctx.html(views::public::basket(&ctx.frame(), &documents, &drives)));
    ctx.page(result)
}

/// `action=ajouter|ajouter-tout|retirer|vider`, `id` (or `ids=a.b.c` for all), `retour`: changes
/// the basket and goes back.
pub(super) fn change(cookie: Option<String>, form: HashMap<String, String>) -> Response {
    let mut ids = ids(cookie.as_deref());
    let id = form.get("id").and_then(|i| DocumentId::parse(i));
    match (form.get("action").map(String::as_str), id) {
        (Some("ajouter"), Some(id)) if !ids.contains(&id) && ids.len() < MAX_DOCUMENTS => {
            ids.push(id)
        }
        (Some("ajouter-tout"), _) => {
            for id in self::ids(form.get("ids").map(String::as_str)) {
                if !ids.contains(&id) && ids.len() < MAX_DOCUMENTS {
                    ids.push(id);
                }
            }
        }
        (Some("retirer"), Some(id)) => ids.retain(|i| *i != id),
        (Some("vider"), _) => ids.clear(),
        _ => {}
    }
    let back = local_path(form.get("retour"), "/panier");
    let mut response = see_other(&back);
    let cookie = format!(
        "{BASKET_COOKIE}={}; Path=/; Max-Age=2592000; SameSite=Lax",
        join_ids(&ids)
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// A `Write` that hands what it is given to the response body, a chunk at a time; it fails when
/// the family has gone (the body was dropped), which stops the zip being made.
struct BodyWriter {
    sender: mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

/// A zip in flight holds about three of these (the writer's, the channel's, the socket's): small,
/// so a hundred phones that stopped reading their zip hold megabytes, not tens of them.
const ZIP_CHUNK: usize = 64 * 1024;

impl Write for BodyWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= ZIP_CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "download abandoned"))
    }
}

/// `/bundle.zip?ids=a.b.c`: the zip of those public documents, streamed as it is written. When
/// none of them can be had (removed, staff-only, or never were), a 400 page says so, as the
/// printable version does, rather than an empty zip.
async fn zip(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let ids = ids(query.get("ids").map(String::as_str));
    if ids.is_empty() {
        return ctx.error_page(WebError::bad_request(
            "Le panier est vide : ajoutez des documents avant de télécharger.",
        ));
    }
    let (sender, receiver) = mpsc::channel::<std::io::Result<Bytes>>(1);
    // Whether the zip can be made, told before its first byte (then no error page can follow).
    let (ready, is_ready) = oneshot::channel::<Result<(), crate::service::Error>>();
    let school = ctx.school.name.clone();
    let errors = sender.clone();
    let selection = Selection {
        ids: Some(ids),
        ..Selection::default()
    };
    let library = ctx.state.library.clone();
    tokio::spawn(async move {
        let making = library.long_job(crate::service::JobClass::Family, move |core| {
            let zip = match core.prepare_zip(&selection, &school) {
                Ok(zip) => zip,
                Err(error) => {
                    let _ = ready.send(Err(error));
                    return Ok(());
                }
            };
            if ready.send(Ok(())).is_err() {
                // The phone went away while the documents were being found.
                return Ok(());
            }
            let mut writer = zip.write(BodyWriter {
                sender,
                buffer: Vec::new(),
            })?;
            writer
                .flush()
                .map_err(|e| crate::service::Error::Internal(Box::new(e)))?;
            Ok(())
        });
        if let Err(error) = making.await {
            tracing::warn!(%error, "zip download stopped");
            let _ = errors.send(Err(std::io::Error::other("zip stopped"))).await;
        }
    });
    match is_ready.await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return ctx.error_page(error.into()),
        // The job never ran (it logged why).
        Err(_) => {
            return ctx.error_page(WebError::from(crate::service::Error::Internal(
                "the zip job ended before it began".into(),
            )))
        }
    }
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    let mut response = warp::reply::stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(
            "attachment; filename=\"documents.zip\"; filename*=UTF-8''documents-cartable.zip",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
