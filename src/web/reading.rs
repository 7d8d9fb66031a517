//! "Lire": a document read on a phone (see `service::reading` for how each format is read).
//! `/documents/{id}/lire` answers with the text laid out, a page that waits for LibreOffice's
//! PDF, or a redirect to the file (PDF, pictures) or to that PDF (`/documents/{id}/pdf`, shown
//! inline). Staff-only documents are not found for families, as on their page.

use std::collections::HashMap;
use std::sync::Arc;

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use crate::model::DocumentId;
use crate::service::ReadingView;

use super::context::{see_other, with_context, AppState, Ctx};
use super::download;
use super::error::WebError;
use super::views::{self, Frame};

/// Seconds between two looks of the waiting page at a conversion.
const CONVERSION_REFRESH: u32 = 5;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(state);
    let read = warp::path!("documents" / String / "lire")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(read);
    let pdf = warp::path!("documents" / String / "pdf")
        .and(warp::get().or(warp::head()).unify())
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .and(ctx)
        .then(converted);
    read.or(pdf).unify().boxed()
}

/// `/documents/{id}/lire[?texte]`: `texte` asks for the text even where a PDF is (or will be)
/// made.
async fn read(id: String, query: HashMap<String, String>, ctx: Ctx) -> Response {
    let Some(id) = DocumentId::parse(&id) else {
        return ctx.error_page(WebError::not_found());
    };
    let text_only = query.contains_key("texte");
    let read = ctx
        .state
        .library
        .read(id, ctx.staff.is_none(), text_only)
        .await;
    let result = read.map_err(WebError::from).map(|(document, view)| {
        let frame = ctx.frame();
        match view {
            ReadingView::Original => see_other(&format!("/documents/{}/open", document.id)),
            ReadingView::Converted => see_other(&format!("/documents/{}/pdf", document.id)),
            ReadingView::Converting => {
                let frame = Frame {
                    refresh: Some(CONVERSION_REFRESH),
                    ..frame
                };
                ctx.html(views::reading::converting(&frame, &document))
            }
            ReadingView::Text(reading) => {
                ctx.html(views::reading::text(&frame, &document, &reading))
            }
            ReadingView::Nothing => ctx.html(views::reading::nothing(&frame, &document)),
        }
    });
    ctx.page(result)
}

/// `/documents/{id}/pdf`: the PDF LibreOffice made of an office document, shown inline.
async fn converted(
    id: String,
    method: warp::http::Method,
    headers: warp::http::HeaderMap,
    ctx: Ctx,
) -> Response {
    let Some(id) = DocumentId::parse(&id) else {
        return ctx.error_page(WebError::not_found());
    };
    let public_only = ctx.staff.is_none();
    let found = ctx
        .state
        .library
        .blocking(move |core| core.converted_pdf(&id, public_only))
        .await
        .map_err(WebError::from);
    let result = match found {
        Ok((document, pdf)) => {
            let counted = method == warp::http::Method::GET;
            download::send_converted(ctx.state.outlet(), &document, &pdf, &headers, counted).await
        }
        Err(error) => Err(error),
    };
    ctx.page(result)
}
