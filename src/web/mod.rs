//! The HTTP face of cartable (warp): pages for families and staff, the JSON API, downloads,
//! health and metrics. [`routes`] wires the groups below; handlers parse the request, call one
//! service method and render a view. Only this module imports warp, maud and rust-embed.
//!
//! Who: *all* = anyone on the network (families see public documents, staff with a session see
//! all); *kiosk* = the machine's own browser or staff; *staff* = a staff session (forms also carry
//! its CSRF token); *admin* = an admin's session; *token* = `Authorization: Bearer` API token.
//!
//! | method | path | who | what (module) |
//! |---|---|---|---|
//! | GET | `/`, `/niveaux/{level}`, `/nouveautes`, `/recherche?q=` | all | home, level, newest, search (`public`) |
//! | GET | `/documents/{id}` | all | a document's page (`public`) |
//! | GET, HEAD | `/documents/{id}/file`, `/documents/{id}/open` | all | download, open in the browser (`public`) |
//! | GET | `/documents/{id}/lire` ; GET, HEAD `/documents/{id}/pdf` | all | reading view, office file as PDF (`reading`) |
//! | GET | `/langue/{fr,en}?retour=` | all | language switch (`public`) |
//! | GET, POST | `/panier` ; GET `/bundle.zip` | all | basket, its zip (`basket`) |
//! | POST | `/panier/cle` ; GET `/copie/{job}` | kiosk | copy the basket to a USB stick, progress (`usb`) |
//! | GET | `/panier/imprimable.pdf`, `/selection`, `/s/{code}` | all | printable pack, selection, short address (`print`) |
//! | POST | `/panier/impression` ; GET `/impression/{id}` | all | ask the desk to print, the ticket (`print`) |
//! | GET | `/classes/{class}` and its `feuille.pdf`, `paquet.pdf`, `flux.atom`, `devoirs.ics` | all | cahier de texte week, sheet, pack, feeds (`classes`, `homework_files`) |
//! | GET | `/kiosque`, `/kiosque/fin`, `/kiosque/cles.json`, `/kiosque/trouver[/{level}]`, `/kiosque/document/{id}`, `/kiosque/classes/{class}` | all | the kiosk screen (`kiosk`) |
//! | GET, POST | `/kiosque/cle/{pack}` (GET `/kiosque/cle`, `/kiosque/copie/{job}`) | kiosk (POST) | kiosk USB copy (`kiosk::copy`) |
//! | GET, POST | `/kiosque/impression[/{pack}]` ; GET `/kiosque/ticket/{id}` ; POST `/kiosque/panier` | all | kiosk printing and basket (`kiosk`) |
//! | GET, POST | `/connexion` ; POST `/deconnexion` | all | staff login, logout (`staff::session`) |
//! | GET, POST | `/setup/{token}` | the one-time link | first admin account (`staff`) |
//! | GET, POST | `/staff/upload` ; GET `/staff/documents` | staff | add documents, "Mes documents" (`staff`) |
//! | GET, POST | `/staff/documents/{id}` ; POST `…/file`, `…/delete` | staff (owner or admin) | edit, replace, delete (`staff::documents`) |
//! | GET, POST | `/staff/cahier`, `/staff/cahier/nouvelle`, `/staff/cahier/{id}` ; POST `…/supprimer` | staff (writer or admin) | cahier de texte (`staff::homework`) |
//! | GET | `/staff/impressions`, `/staff/impressions/{id}/pdf` ; POST `/staff/impressions/{id}` | staff | the desk's print queue (`staff::prints`) |
//! | GET, POST | `/staff/jetons` ; POST `/staff/jetons/{id}/revoquer` | staff | API tokens (`staff::tokens`) |
//! | GET | `/staff/admin` ; POST `/staff/admin/accounts`, `/staff/admin/school` | admin | accounts, school settings (`staff::admin`) |
//! | GET | `/api/search`, `/api/documents`, `/api/homework` | all (token: staff-only too) | JSON search, list, class week (`api`, `api_homework`) |
//! | POST | `/api/documents`, `/api/homework` ; PUT, DELETE `/api/homework/{id}` | token | upload, write the cahier de texte (`api`, `api_homework`) |
//! | GET | `/healthz`, `/metrics`, `/assets/{hash}/{name}` | all | health, Prometheus (whole catalog counted for staff), assets |
//! | any | captive-portal probes, foreign Hosts | all, hotspot mode only | redirect to the home page (`hotspot`) |

mod admission;
mod api;
mod api_homework;
mod assets;
mod basket;
mod body;
mod classes;
mod context;
mod download;
mod error;
mod feeds;
mod homework_files;
mod hotspot;
mod kiosk;
mod lang;
mod metrics;
mod per_client;
mod print;
mod public;
mod reading;
mod server;
mod staff;
mod upload;
mod usb;
mod views;
mod wording;

use std::sync::Arc;

use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

pub use admission::Admission;
pub use context::{AppState, ServerSettings};
pub use hotspot::Hotspot;
pub use kiosk::KioskSettings;
#[doc(hidden)]
pub use upload::read_form as read_upload_form;

/// The content security policy of every page: nothing from outside, no script, no framing (the
/// kiosk's pages set their own, which allows the kiosk's script: see `kiosk`).
const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Serves the routes on `listener`, behind admission control and the connection limits of
/// `capacity`, until `shutdown` resolves; then drains for at most `capacity.drain`.
pub async fn serve(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    capacity: crate::config::Capacity,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let admission = Arc::clone(&state.admission);
    server::run(listener, routes(state), admission, capacity, shutdown).await;
}

/// The whole URL map.
pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let pages = public::routes(Arc::clone(&state));
    let classes = classes::routes(Arc::clone(&state));
    let reading = reading::routes(Arc::clone(&state));
    let basket = basket::routes(Arc::clone(&state));
    let usb = usb::routes(Arc::clone(&state));
    let print = print::routes(Arc::clone(&state));
    let kiosk = kiosk::routes(Arc::clone(&state));
    let staff = staff::routes(Arc::clone(&state));
    let api = api::routes(Arc::clone(&state));
    let machine = machine_routes(Arc::clone(&state));
    let fallback = context::with_context(Arc::clone(&state))
        .map(|ctx: context::Ctx| ctx.error_page(error::WebError::not_found()));
    let metrics_start = Arc::clone(&state);
    let metrics_end = Arc::clone(&state);
    warp::any()
        .map(move || metrics_start.metrics.started())
        .untuple_one()
        .and(
            hotspot::routes(Arc::clone(&state))
                .or(machine)
                .unify()
                .or(api)
                .unify()
                .or(staff)
                .unify()
                .or(basket)
                .unify()
                .or(usb)
                .unify()
                .or(print)
                .unify()
                .or(homework_files::routes(Arc::clone(&state)))
                .unify()
                .or(kiosk)
                .unify()
                .or(reading)
                .unify()
                .or(pages)
                .unify()
                .or(classes)
                .unify()
                .or(fallback)
                .unify(),
        )
        .with(warp::reply::with::default_header(
            header::CONTENT_SECURITY_POLICY,
            PAGE_POLICY,
        ))
        .with(warp::reply::with::default_header(
            header::X_CONTENT_TYPE_OPTIONS,
            "nosniff",
        ))
        .with(warp::reply::with::default_header(
            header::REFERRER_POLICY,
            "same-origin",
        ))
        .with(warp::log::custom(move |info| {
            metrics_end
                .metrics
                .finished(info.path(), info.status().as_u16())
        }))
        .map(Reply::into_response)
        .boxed()
}

/// `/healthz`, `/metrics`, `/assets/<hash>/<name>`.
fn machine_routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let healthz = warp::path!("healthz")
        .and(warp::get())
        .map(|| plain("ok\n"));
    let metrics = warp::path!("metrics")
        .and(warp::get())
        .and(warp::cookie::optional::<String>(context::SESSION_COOKIE))
        .and(warp::header::optional::<String>("authorization"))
        .then(move |session, authorization| {
            metrics_text(Arc::clone(&state), session, authorization)
        });
    let assets = warp::path!("assets" / String / String)
        .and(warp::get())
        .and_then(|hash: String, name: String| async move {
            assets::serve(&hash, &name)
                .map(Reply::into_response)
                .ok_or_else(warp::reject::not_found)
        });
    healthz.or(metrics).unify().or(assets).unify().boxed()
}

/// The Prometheus text. Anyone on the network may read it (a scraper has no session), so its
/// count of documents is of public ones; a staff session or API token (`Authorization: Bearer`)
/// counts the whole catalog. Loopback is not trusted with more: the kiosk's browser runs there,
/// in front of families. Request counts name routes, never documents.
async fn metrics_text(
    state: Arc<AppState>,
    session: Option<String>,
    authorization: Option<String>,
) -> Response {
    let bearer = authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let documents = state
        .library
        .blocking(move |core| {
            let staff = core
                .accounts()
                .is_staff(session.as_deref(), bearer.as_deref())?;
            let filter = crate::model::DocumentFilter {
                public_only: !staff,
                ..crate::model::DocumentFilter::default()
            };
            Ok(core.list(&filter)?.1)
        })
        .await
        .unwrap_or(0);
    let mut text = state.metrics.render(documents);
    text.push_str(&metrics::render_load(&state.admission.load()));
    let mut response = plain(text);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

fn plain(text: impl Into<String>) -> Response {
    let mut response = text.into().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
