//! "Trouver un document": a search box and the class tiles, a class's documents, one document
//! with its first lines and what can be done with it at the kiosk (each a single tap: copy it,
//! have it printed, add it to the selection; or scan it to open it on a phone).

use std::collections::HashMap;

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use crate::model::{DocumentFilter, DocumentId};
use crate::service::{DocumentPage, QrModules, Searched, KIOSK_PER_PAGE as PER_PAGE};

use super::super::error::WebError;
use super::super::views::kiosk::{self as view, find::DocumentView, find::Found, Reload};
use super::super::views::Pages;
use super::{Pack, Visit};

pub fn routes(visit: BoxedFilter<(Visit,)>) -> BoxedFilter<(Response,)> {
    let start = warp::path!("kiosque" / "trouver")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(visit.clone())
        .then(start);
    let level = warp::path!("kiosque" / "trouver" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(visit.clone())
        .then(level);
    let document = warp::path!("kiosque" / "document" / String)
        .and(warp::get())
        .and(visit)
        .then(document);
    start.or(level).unify().or(document).unify().boxed()
}

fn public(limit: usize, offset: usize) -> DocumentFilter {
    DocumentFilter {
        public_only: true,
        limit,
        offset,
        ..DocumentFilter::default()
    }
}

/// `/kiosque/trouver[?q=...]`: the search box, what it found, the classes.
async fn start(query: HashMap<String, String>, visit: Visit) -> Response {
    let result = async {
        let text = query
            .get("q")
            .map(|q| q.trim().to_owned())
            .unwrap_or_default();
        let page = visit
            .ctx
            .state
            .library
            .kiosk_find_page(
                visit.ctx.school.clone(),
                text.clone(),
                super::super::classes::today(),
            )
            .await?;
        let drives = visit.drives().await;
        let frame = visit.frame(Reload::Idle, &drives);
        let entries = &page.entries;
        let found = match &page.searched {
            Searched::NoWords => None,
            Searched::Found(found) => Some(Found {
                query: &text,
                documents: &found.documents,
                entries,
                problem: None,
                all_words: found.all_words,
            }),
            Searched::Unreadable(message) => Some(Found {
                query: &text,
                documents: &[],
                entries,
                problem: Some(message),
                all_words: true,
            }),
        };
        let groups = &page.groups;
        Ok(visit.html(view::find::start(
            &frame,
            &page.levels,
            groups,
            found.as_ref(),
        )))
    };
    visit.answer(result.await)
}

/// `/kiosque/trouver/2nde[?page=N]`: the class's documents, newest first.
async fn level(segment: String, query: HashMap<String, String>, visit: Visit) -> Response {
    let result = async {
        let Some(Pack::Level(level)) = Pack::parse(&segment) else {
            return Err(WebError::not_found());
        };
        let page = query
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 500);
        let filter = DocumentFilter {
            level: Some(level.clone()),
            ..public(PER_PAGE, (page - 1) * PER_PAGE)
        };
        let (documents, total) = visit
            .ctx
            .state
            .library
            .blocking(move |core| core.list(&filter))
            .await?;
        let drives = visit.drives().await;
        let frame = visit.frame(Reload::Idle, &drives);
        let pages = Pages {
            page,
            has_next: page * PER_PAGE < total,
        };
        Ok(visit.html(view::find::level(&frame, &level, &documents, pages)))
    };
    visit.answer(result.await)
}

/// `/kiosque/document/ID`: the document's first lines and what to do with it.
async fn document(id: String, visit: Visit) -> Response {
    let result = async {
        let id = DocumentId::parse(&id).ok_or_else(WebError::not_found)?;
        // Staff signed in at the kiosk may open staff-only documents; families may not.
        let public_only = visit.ctx.staff.is_none();
        let DocumentPage { document, excerpt } = visit
            .ctx
            .state
            .library
            .document_page(id.clone(), public_only)
            .await?;
        let (_, site) = visit.site();
        let phone_qr = site.and_then(|site| QrModules::of(&format!("{site}documents/{id}")));
        let drives = visit.drives().await;
        let frame = visit.frame(Reload::Idle, &drives);
        let view = DocumentView {
            document: &document,
            excerpt: &excerpt,
            may_copy: visit.may_copy(),
            in_basket: visit.basket.contains(&id),
            basket: visit.basket.len(),
            phone_qr,
        };
        Ok(visit.html(view::find::document(&frame, &view)))
    };
    visit.answer(result.await)
}
