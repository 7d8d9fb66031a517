//! The kiosk screen in the hall (`/kiosque`, opened by the machine's own browser): three big
//! choices (find a document, copy a class's documents to a USB stick, ask for a printout), each
//! done in three taps at most once the class is chosen; the Wi-Fi's and the site's QR codes;
//! how busy the server is. The Wi-Fi password shows on the kiosk itself only (a request from
//! this machine), never on a phone. Kiosk pages carry their own CSP, which allows one small
//! script of ours; without it they refresh instead. After a while without a touch the screen
//! goes to `/kiosque/fin`, which clears the basket, so the next family starts afresh.

mod classes;
mod copy;
mod find;
mod home;
mod print;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use maud::Markup;
use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{Document, DocumentFilter, DocumentId, Level};
use crate::service::{Drive, Selection};

use super::basket::BASKET_COOKIE;
use super::context::{html_response, see_other, with_context, AppState, Ctx, LANG_COOKIE};
use super::error::WebError;
use super::lang::Lang;
use super::views::kiosk::{self as view, Flow, KioskFrame, Reload, Site};

/// The kiosk pages' policy: every page's, plus our one script and the drive list it fetches.
const KIOSK_POLICY: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What the kiosk pages need to know of the server, set at start-up.
#[derive(Debug, Clone)]
pub struct KioskSettings {
    /// Without a touch for this long, the screen clears the basket and goes home.
    pub idle: Duration,
    /// `cartable` when the server advertises `cartable.local`.
    pub mdns_name: Option<String>,
    /// Where the server listens.
    pub listening: SocketAddr,
    /// The URL phones reach the server at (`announce::lan_url`), looked up when a page asks: a
    /// hotspot's interface may come up after start-up.
    pub lan_url: fn(SocketAddr) -> Option<String>,
    /// Family pages served at once (`family_requests`), to say how busy it is.
    pub family_requests: usize,
}

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let visit = visit(state);
    let home = warp::path!("kiosque")
        .and(warp::get())
        .and(visit.clone())
        .then(home::home);
    let reset = warp::path!("kiosque" / "fin").and(warp::get()).map(reset);
    let drives = warp::path!("kiosque" / "cles.json")
        .and(warp::get())
        .and(visit.clone())
        .then(drives_json);
    // The basket's own form, under /kiosque so the kiosk's taps are kiosk requests (see
    // `admission`): the same change as `/panier`.
    let basket = warp::path!("kiosque" / "panier")
        .and(warp::post())
        .and(warp::cookie::optional::<String>(BASKET_COOKIE))
        .and(
            warp::body::content_length_limit(4096)
                .and(warp::body::form::<HashMap<String, String>>()),
        )
        .map(super::basket::change);
    home.or(reset)
        .unify()
        .or(drives)
        .unify()
        .or(basket)
        .unify()
        .or(find::routes(visit.clone()))
        .unify()
        .or(classes::routes(visit.clone()))
        .unify()
        .or(copy::routes(visit.clone()))
        .unify()
        .or(print::routes(visit))
        .unify()
        .boxed()
}

/// One request to a kiosk page: its context, where it comes from, the basket.
#[derive(Debug, Clone)]
pub struct Visit {
    pub ctx: Ctx,
    pub remote: Option<SocketAddr>,
    pub basket: Vec<DocumentId>,
}

fn visit(state: Arc<AppState>) -> BoxedFilter<(Visit,)> {
    super::server::remote()
        .and(warp::cookie::optional::<String>(BASKET_COOKIE))
        .and(with_context(state))
        .map(|remote, basket: Option<String>, ctx| Visit {
            ctx,
            remote,
            basket: super::basket::ids(basket.as_deref()),
        })
        .boxed()
}

impl Visit {
    fn settings(&self) -> &KioskSettings {
        &self.ctx.state.kiosk
    }

    pub fn lang(&self) -> Lang {
        self.ctx.lang
    }

    /// Whether this is the kiosk's own browser (the Wi-Fi password is shown to it alone).
    pub fn on_kiosk(&self) -> bool {
        super::server::is_kiosk(self.remote)
    }

    pub fn may_copy(&self) -> bool {
        super::usb::may_copy(&self.ctx, self.remote)
    }

    /// The sticks this visitor may copy to (none for a phone).
    pub async fn drives(&self) -> Vec<Drive> {
        super::usb::drives_for(&self.ctx, self.remote).await
    }

    pub fn frame(&self, reload: Reload, drives: &[Drive]) -> KioskFrame<'_> {
        KioskFrame {
            frame: self.ctx.frame(),
            idle: self.settings().idle.as_secs() as u32,
            reload,
            drives: self.may_copy().then(|| signature(drives)),
        }
    }

    pub fn html(&self, markup: Markup) -> Response {
        with_policy(self.ctx.html(markup))
    }

    /// A handler's result; an error as a kiosk page, which goes home by itself.
    pub fn answer(&self, result: Result<Response, WebError>) -> Response {
        match result {
            Ok(response) => with_policy(response),
            Err(error) => {
                let frame = self.frame(Reload::Idle, &[]);
                let markup = view::error(&frame, error.title(), &error.message);
                with_policy(html_response(markup, error.status))
            }
        }
    }

    /// The classes offered: the school's, then any other the library's public documents have
    /// (the kiosk is a family's screen, whoever stands at it).
    pub async fn levels(&self) -> Result<Vec<Level>, WebError> {
        let school = self.ctx.school.clone();
        Ok(self.ctx.state.library.offered_levels(school, true).await?)
    }

    /// The class chooser of a copy or print flow, the family's selection first.
    pub async fn chooser(self, flow: Flow) -> Response {
        let result = async {
            let levels = self.levels().await?;
            let drives = self.drives().await;
            let frame = self.frame(Reload::Idle, &drives);
            Ok(self.html(view::chooser(&frame, flow, &levels, self.basket.len())))
        };
        self.answer(result.await)
    }

    /// The pack a path segment names (not found if none) and its documents.
    pub async fn pack(&self, segment: &str) -> Result<(Pack, Vec<Document>), WebError> {
        let pack = Pack::parse(segment).ok_or_else(WebError::not_found)?;
        let selection = pack.selection(&self.basket);
        let documents = self
            .ctx
            .state
            .library
            .blocking(move |core| core.selected(&selection))
            .await?;
        Ok((pack, documents))
    }

    /// The address of the site for phones, in letters and as a QR code.
    pub fn site(&self) -> (Site, Option<String>) {
        let settings = self.settings();
        let lan = (settings.lan_url)(settings.listening);
        home::site(
            settings.listening,
            settings.mdns_name.as_deref(),
            lan.as_deref(),
        )
    }
}

fn with_policy(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(KIOSK_POLICY),
    );
    response
}

/// The sticks plugged in, as the script compares them: their mount points, one a line.
fn signature(drives: &[Drive]) -> String {
    drives
        .iter()
        .map(|d| d.mount_point.to_string_lossy())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a class, or the family's selection, stands for in a kiosk URL (`/kiosque/cle/2nde`,
/// `/kiosque/cle/selection`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pack {
    Level(Level),
    Selection,
}

impl Pack {
    pub fn parse(segment: &str) -> Option<Pack> {
        if segment == "selection" {
            return Some(Pack::Selection);
        }
        super::public::percent_decode(segment)
            .as_deref()
            .and_then(Level::parse)
            .map(Pack::Level)
    }

    pub fn segment(&self) -> String {
        match self {
            Pack::Level(level) => super::views::layout::encode(level.as_str()),
            Pack::Selection => "selection".to_owned(),
        }
    }

    pub fn name(&self, lang: Lang) -> String {
        match self {
            Pack::Level(level) => level.to_string(),
            Pack::Selection => lang.t("Ma sélection", "My selection").to_owned(),
        }
    }

    /// The public documents it holds: the basket's, or all of the class's.
    pub fn selection(&self, basket: &[DocumentId]) -> Selection {
        match self {
            Pack::Level(level) => Selection {
                filter: DocumentFilter {
                    level: Some(level.clone()),
                    public_only: true,
                    ..DocumentFilter::default()
                },
                ids: None,
            },
            Pack::Selection => Selection {
                ids: Some(basket.to_vec()),
                ..Selection::default()
            },
        }
    }
}

/// `/kiosque/fin`: the basket and the language cleared, back home. A GET, so the idle refresh
/// (and the script) can go there: it only ever empties the caller's own cookies.
fn reset() -> Response {
    let mut response = see_other("/kiosque");
    for name in [BASKET_COOKIE, LANG_COOKIE] {
        let cookie = format!("{name}=; Path=/; Max-Age=0; SameSite=Lax");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// `/kiosque/cles.json`: `{"drives": "..."}`, the sticks plugged in, for the script to reload
/// the page when one comes or goes (empty for a phone).
async fn drives_json(visit: Visit) -> Response {
    let drives = visit.drives().await;
    let body = serde_json::json!({ "drives": signature(&drives) });
    let mut response = warp::reply::json(&body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Where a page waiting for a stick reloads to without script: itself with one more look
/// counted, or home once the looks add up to the idle time.
fn watch(path: &str, looks: u32, idle: u32) -> Reload {
    const SECONDS: u32 = 3;
    let next = looks + 1;
    let url = if next * SECONDS >= idle {
        view::RESET_URL.to_owned()
    } else {
        format!("{path}?attente={next}")
    };
    Reload::Watch {
        seconds: SECONDS,
        url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_waiting_for_a_stick_goes_home_once_the_idle_time_has_passed() {
        let first = watch("/kiosque/cle/2nde", 0, 120);
        assert_eq!(
            first,
            Reload::Watch {
                seconds: 3,
                url: "/kiosque/cle/2nde?attente=1".to_owned()
            }
        );
        let last = watch("/kiosque/cle/2nde", 39, 120);
        assert_eq!(
            last,
            Reload::Watch {
                seconds: 3,
                url: view::RESET_URL.to_owned()
            }
        );
    }

    #[test]
    fn a_pack_is_a_class_or_the_selection() {
        assert_eq!(Pack::parse("selection"), Some(Pack::Selection));
        let bts = Pack::parse("BTS%201").unwrap();
        assert_eq!(bts.segment(), "BTS%201");
        assert_eq!(bts.name(Lang::Fr), "BTS 1");
        assert_eq!(Pack::parse("%ZZ"), None);
    }
}
