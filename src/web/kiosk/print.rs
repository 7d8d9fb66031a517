//! "Demander une impression": choose the class (or the family's selection), untick what is not
//! wanted, one tap asks; the ticket follows, to show at the desk. The kiosk is shared, so its
//! requests are not capped like a phone's.

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use crate::model::DocumentId;

use super::super::context::see_other;
use super::super::error::WebError;
use super::super::views::kiosk::{self as view, Flow, Reload};
use super::Visit;

/// Most documents a print checklist shows (a print request takes as many as a basket).
const MAX_DOCUMENTS: usize = 100;

pub fn routes(visit: BoxedFilter<(Visit,)>) -> BoxedFilter<(Response,)> {
    let choose = warp::path!("kiosque" / "impression")
        .and(warp::get())
        .and(visit.clone())
        .then(choose);
    let pack = warp::path!("kiosque" / "impression" / String)
        .and(warp::get())
        .and(visit.clone())
        .then(pack);
    let request = warp::path!("kiosque" / "impression")
        .and(warp::post())
        .and(
            warp::body::content_length_limit(8 * 1024)
                .and(warp::body::form::<Vec<(String, String)>>()),
        )
        .and(visit.clone())
        .then(request);
    let ticket = warp::path!("kiosque" / "ticket" / i64)
        .and(warp::get())
        .and(visit)
        .then(ticket);
    choose
        .or(pack)
        .unify()
        .or(request)
        .unify()
        .or(ticket)
        .unify()
        .boxed()
}

async fn choose(visit: Visit) -> Response {
    visit.chooser(Flow::Print).await
}

/// `/kiosque/impression/2nde`: the class's documents, all ticked.
async fn pack(segment: String, visit: Visit) -> Response {
    let result = async {
        let (pack, mut documents) = visit.pack(&segment).await?;
        documents.truncate(MAX_DOCUMENTS);
        let drives = visit.drives().await;
        let frame = visit.frame(Reload::Idle, &drives);
        let name = pack.name(visit.lang());
        Ok(visit.html(view::print::pack(&frame, &name, &documents)))
    };
    visit.answer(result.await)
}

/// The ticked documents become a print request; its ticket follows.
async fn request(form: Vec<(String, String)>, visit: Visit) -> Response {
    let result = async {
        let ids: Vec<DocumentId> = form
            .iter()
            .filter(|(name, _)| name == "id")
            .filter_map(|(_, value)| DocumentId::parse(value))
            .take(MAX_DOCUMENTS)
            .collect();
        if ids.is_empty() {
            return Err(WebError::bad_request(
                "Cochez au moins un document à imprimer.",
            ));
        }
        let request = super::super::print::ask_printing(&visit.ctx, visit.remote, ids).await?;
        Ok(see_other(&format!("/kiosque/ticket/{}", request.id)))
    };
    visit.answer(result.await)
}

async fn ticket(id: i64, visit: Visit) -> Response {
    let result = async {
        let request = visit
            .ctx
            .state
            .library
            .blocking(move |core| core.print_request(id))
            .await?;
        let drives = visit.drives().await;
        let frame = visit.frame(Reload::Idle, &drives);
        Ok(visit.html(view::print::ticket(&frame, &request)))
    };
    visit.answer(result.await)
}
