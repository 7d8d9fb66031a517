//! "Copier sur la clé USB" at the kiosk: the basket copied to a stick mounted on this machine, in
//! the background, with a progress page that refreshes itself (no script needed) until it says
//! the stick may be removed. Offered to staff and to the kiosk's own browser (a request from this
//! machine) only: a phone elsewhere must not write to a stranger's stick.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use crate::service::{Drive, Selection, UsbCopy};

use super::basket::{ids, BASKET_COOKIE};
use super::context::{see_other, with_context, AppState, Ctx};
use super::error::WebError;
use super::views;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(state);
    let start = warp::path!("panier" / "cle")
        .and(warp::post())
        .and(super::server::remote())
        .and(warp::cookie::optional::<String>(BASKET_COOKIE))
        .and(
            warp::body::content_length_limit(4096)
                .and(warp::body::form::<HashMap<String, String>>()),
        )
        .and(ctx.clone())
        .then(start);
    let progress = warp::path!("copie" / String)
        .and(warp::get())
        .and(ctx)
        .map(progress);
    start.or(progress).unify().boxed()
}

/// Whether this request may copy to the machine's sticks: staff, or the kiosk itself.
pub fn may_copy(ctx: &Ctx, remote: Option<SocketAddr>) -> bool {
    ctx.staff.is_some() || super::server::is_kiosk(remote)
}

/// The sticks this request may copy to.
pub async fn drives_for(ctx: &Ctx, remote: Option<SocketAddr>) -> Vec<Drive> {
    if !may_copy(ctx, remote) {
        return Vec::new();
    }
    ctx.state.library.removable_drives().await
}

async fn start(
    remote: Option<SocketAddr>,
    basket: Option<String>,
    form: HashMap<String, String>,
    ctx: Ctx,
) -> Response {
    let result = async {
        let ids = ids(basket.as_deref());
        if ids.is_empty() && may_copy(&ctx, remote) {
            return Err(WebError::bad_request(
                "Le panier est vide : ajoutez des documents avant de copier.",
            ));
        }
        let selection = Selection {
            ids: Some(ids),
            ..Selection::default()
        };
        let wanted = form.get("cle").map(String::as_str).unwrap_or_default();
        let job = start_copy(&ctx, remote, selection, wanted).await?;
        Ok(see_other(&format!("/copie/{job}")))
    };
    ctx.page(result.await)
}

/// Starts copying `selection` to the stick mounted at `wanted` in the background; returns the
/// job id whose progress [`copy_state`] tells.
pub async fn start_copy(
    ctx: &Ctx,
    remote: Option<SocketAddr>,
    selection: Selection,
    wanted: &str,
) -> Result<String, WebError> {
    if !may_copy(ctx, remote) {
        return Err(WebError::forbidden(
            "La copie sur clé USB se fait à la borne du lycée.",
        ));
    }
    let school = ctx.school.name.clone();
    Ok(ctx
        .state
        .library
        .copy_to_usb(selection, school, wanted)
        .await?)
}

/// Where the copy `job` stands, if there is such a copy.
pub fn copy_state(ctx: &Ctx, job: &str) -> Option<UsbCopy> {
    ctx.state.library.usb_copy(job)
}

fn progress(job: String, ctx: Ctx) -> Response {
    let Some(copy) = copy_state(&ctx, &job) else {
        return ctx.error_page(WebError::not_found());
    };
    let running = matches!(copy, UsbCopy::Running { .. });
    let frame = views::Frame {
        refresh: running.then_some(2),
        ..ctx.frame()
    };
    ctx.html(views::public::copy_progress(&frame, &copy))
}
