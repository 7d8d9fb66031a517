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

use crate::service::{Drive, Selection};

use super::basket::{ids, BASKET_COOKIE};
use super::context::{see_other, with_context, AppState, Ctx};
use super::error::WebError;
use super::views;

/// Where a copy stands.
#[derive(Debug, Clone)]
pub enum Copy {
    Running {
        label: String,
        done_bytes: u64,
        total_bytes: u64,
        current: String,
    },
    Done {
        label: String,
        folder: String,
        ejected: crate::service::Ejected,
    },
    Failed {
        label: String,
        message: String,
    },
}

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
    ctx.state
        .library
        .blocking(|core| Ok(core.removable_drives()))
        .await
        .unwrap_or_default()
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
    // The stick is chosen among those mounted now, never taken as a path from the form.
    let drive = drives_for(ctx, remote)
        .await
        .into_iter()
        .find(|d| d.mount_point.to_string_lossy() == wanted)
        .ok_or_else(|| {
            WebError::bad_request(
                "Cette clé USB n'est plus branchée : rebranchez-la et recommencez.",
            )
        })?;
    let job = crate::service::random_token()[..16].to_owned();
    let label = drive.label.clone();
    ctx.state
        .copies
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(
            job.clone(),
            Copy::Running {
                label: label.clone(),
                done_bytes: 0,
                total_bytes: 0,
                current: String::new(),
            },
        );
    let state = Arc::clone(&ctx.state);
    let school = ctx.school.name.clone();
    let id = job.clone();
    tokio::spawn(async move {
        let reporter = Arc::clone(&state);
        let (report_id, report_label) = (id.clone(), label.clone());
        let copied = state
            .library
            .long_job(crate::service::JobClass::Family, move |core| {
                let folder =
                    core.export_folder(&selection, &school, &drive.mount_point, &|progress| {
                        reporter
                            .copies
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(
                                report_id.clone(),
                                Copy::Running {
                                    label: report_label.clone(),
                                    done_bytes: progress.done_bytes,
                                    total_bytes: progress.total_bytes,
                                    current: progress.current.clone(),
                                },
                            );
                    })?;
                Ok((folder, core.eject(&drive.mount_point)))
            })
            .await;
        let outcome = match copied {
            Ok((folder, ejected)) => Copy::Done {
                label,
                folder: folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                ejected,
            },
            Err(error) => Copy::Failed {
                label,
                message: error.to_string(),
            },
        };
        state
            .copies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, outcome);
    });
    Ok(job)
}

/// Where the copy `job` stands, if there is such a copy.
pub fn copy_state(ctx: &Ctx, job: &str) -> Option<Copy> {
    ctx.state
        .copies
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(job)
        .cloned()
}

fn progress(job: String, ctx: Ctx) -> Response {
    let Some(copy) = copy_state(&ctx, &job) else {
        return ctx.error_page(WebError::not_found());
    };
    let running = matches!(copy, Copy::Running { .. });
    let frame = views::Frame {
        refresh: running.then_some(2),
        ..ctx.frame()
    };
    ctx.html(views::public::copy_progress(&frame, &copy))
}
