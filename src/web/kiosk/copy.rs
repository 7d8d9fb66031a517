//! "Copier sur ma clé USB": choose the class (or the family's selection), then one tap on the
//! stick copies its documents; the progress page follows until the stick may be removed. A page
//! waiting for a stick looks again every few seconds (the script reloads as soon as one comes).

use std::collections::HashMap;

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use super::super::context::see_other;
use super::super::error::WebError;
use super::super::usb;
use super::super::views::kiosk::{self as view, copy::CopyView, Flow, Reload};
use super::{watch, Pack, Visit};

pub fn routes(visit: BoxedFilter<(Visit,)>) -> BoxedFilter<(Response,)> {
    let choose = warp::path!("kiosque" / "cle")
        .and(warp::get())
        .and(visit.clone())
        .then(choose);
    let pack = warp::path!("kiosque" / "cle" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(visit.clone())
        .then(pack);
    let start = warp::path!("kiosque" / "cle" / String)
        .and(warp::post())
        .and(
            warp::body::content_length_limit(4096)
                .and(warp::body::form::<HashMap<String, String>>()),
        )
        .and(visit.clone())
        .then(start);
    let progress = warp::path!("kiosque" / "copie" / String)
        .and(warp::get())
        .and(visit)
        .then(progress);
    choose
        .or(pack)
        .unify()
        .or(start)
        .unify()
        .or(progress)
        .unify()
        .boxed()
}

async fn choose(visit: Visit) -> Response {
    visit.chooser(Flow::Copy).await
}

/// `/kiosque/cle/2nde[?attente=N]`: the class's documents and a button per stick plugged in.
async fn pack(segment: String, query: HashMap<String, String>, visit: Visit) -> Response {
    let result = async {
        let (pack, documents) = visit.pack(&segment).await?;
        let drives = visit.drives().await;
        let may_copy = visit.may_copy();
        let action = format!("/kiosque/cle/{}", pack.segment());
        let reload = if may_copy && drives.is_empty() && !documents.is_empty() {
            let looks = query
                .get("attente")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            watch(&action, looks, visit.settings().idle.as_secs() as u32)
        } else {
            Reload::Idle
        };
        let name = pack.name(visit.lang());
        let view = CopyView {
            name: &name,
            documents: documents.len(),
            bytes: documents.iter().map(|d| d.bytes).sum(),
            drives: may_copy.then_some(&drives[..]),
            action: &action,
        };
        Ok(visit.html(view::copy::pack(&visit.frame(reload, &drives), &view)))
    };
    visit.answer(result.await)
}

/// The tap on a stick: the copy starts, its progress page follows.
async fn start(segment: String, form: HashMap<String, String>, visit: Visit) -> Response {
    let result = async {
        let pack = Pack::parse(&segment).ok_or_else(WebError::not_found)?;
        if pack == Pack::Selection && visit.basket.is_empty() {
            return Err(WebError::bad_request(
                "Votre sélection est vide : choisissez une classe ou des documents.",
            ));
        }
        let wanted = form.get("cle").map(String::as_str).unwrap_or_default();
        let selection = pack.selection(&visit.basket);
        let job = usb::start_copy(&visit.ctx, visit.remote, selection, wanted).await?;
        Ok(see_other(&format!("/kiosque/copie/{job}")))
    };
    visit.answer(result.await)
}

async fn progress(job: String, visit: Visit) -> Response {
    let Some(copy) = usb::copy_state(&visit.ctx, &job) else {
        return visit.answer(Err(WebError::not_found()));
    };
    let reload = match copy {
        crate::service::UsbCopy::Running { .. } => Reload::Progress { seconds: 2 },
        _ => Reload::Idle,
    };
    let drives = visit.drives().await;
    visit.html(view::copy::progress(&visit.frame(reload, &drives), &copy))
}
