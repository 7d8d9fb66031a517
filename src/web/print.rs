//! Printing for families: the printable pack of a basket as one PDF
//! (`/panier/imprimable.pdf?ids=...`), the public page a pack's QR code and short address lead
//! to (`/s/K7M2`, and `/selection?ids=...` for packs printed before short addresses), and print
//! requests at the desk (`POST /panier/impression` gives a
//! ticket shown at `/impression/ID`). Only public documents ever appear here.

use std::collections::HashMap;
use std::sync::Arc;

use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{french_date, PrintStatus, ShortCode};
use crate::service::{BuiltPack, Selection};

use super::basket::{ids, BASKET_COOKIE};
use super::context::{see_other, with_context, AppState, Ctx};
use super::error::WebError;
use super::views;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(state);
    let host = warp::header::optional::<String>("host");
    let printable = warp::path!("panier" / "imprimable.pdf")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(host)
        .and(ctx.clone())
        .then(printable);
    let selection = warp::path!("selection")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(selection);
    let shared = warp::path!("s" / String)
        .and(warp::get())
        .and(ctx.clone())
        .then(shared);
    let request = warp::path!("panier" / "impression")
        .and(warp::post())
        .and(super::server::remote())
        .and(warp::cookie::optional::<String>(BASKET_COOKIE))
        .and(ctx.clone())
        .then(request);
    let ticket = warp::path!("impression" / i64)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx)
        .then(ticket);
    printable
        .or(selection)
        .unify()
        .or(shared)
        .unify()
        .or(request)
        .unify()
        .or(ticket)
        .unify()
        .boxed()
}

/// The site's root as the visitor reached it (`http://cartable.local:8080`), for the QR code of
/// a pack; `None` when the Host header is missing or holds anything but a host name and port.
/// A visitor on the machine itself (the kiosk, `localhost`) gets `lan`, the address phones
/// use: a QR code to `localhost` would lead a family's phone nowhere.
pub fn site(host: Option<&str>, lan: Option<&str>) -> Option<String> {
    let host = host.filter(|h| {
        !h.is_empty()
            && h.len() <= 255
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    })?;
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !name.ends_with(':') {
            name
        } else {
            host
        }
    });
    let loopback = name.eq_ignore_ascii_case("localhost")
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        return lan.map(|lan| lan.trim_end_matches('/').to_owned());
    }
    Some(format!("http://{host}"))
}

/// A built pack opened for sending, and its length. Its name is removed as soon as it is open:
/// the open file stays readable until sent, and nothing is left behind if the client goes away.
/// Blocking: call it inside the job that built the pack.
pub fn open_pack(pack: BuiltPack) -> Result<(std::fs::File, u64), crate::service::Error> {
    let internal = |e: std::io::Error| crate::service::Error::Internal(Box::new(e));
    let file = std::fs::File::open(&pack.path).map_err(internal)?;
    let length = file.metadata().map_err(internal)?.len();
    drop(pack);
    Ok((file, length))
}

/// An opened pack as a PDF download, streamed.
pub fn send_pack((file, length): (std::fs::File, u64), file_name: &str) -> Response {
    let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
    let mut response = warp::reply::stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Ok(value) =
        HeaderValue::from_str(&super::download::content_disposition(file_name, false))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `/panier/imprimable.pdf?ids=a.b.c`: one PDF of those public documents (ids in the query, so
/// the link works without cookies, like the zip's).
async fn printable(query: HashMap<String, String>, host: Option<String>, ctx: Ctx) -> Response {
    let result = async {
        let ids = ids(query.get("ids").map(String::as_str));
        if ids.is_empty() {
            return Err(WebError::bad_request(
                "Le panier est vide : ajoutez des documents avant de demander la version imprimable.",
            ));
        }
        let site = site(host.as_deref(), ctx.state.lan_site.as_deref());
        let school = ctx.school.name.clone();
        let selection = Selection {
            ids: Some(ids),
            ..Selection::default()
        };
        let pack = ctx
            .state
            .library
            .long_job(crate::service::JobClass::Family, move |core| {
                open_pack(core.printable_version(&selection, &school, site.as_deref())?)
            })
            .await?;
        let today = french_date(time::OffsetDateTime::now_utc().date());
        Ok(send_pack(
            pack,
            &format!("Version imprimable - {today}.pdf"),
        ))
    };
    ctx.page(result.await)
}

/// `/selection?ids=a.b.c`: the public documents of a selection, to download or put in the
/// basket (where a printed pack's QR code leads).
async fn selection(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let ids = ids(query.get("ids").map(String::as_str));
    let result = ctx
        .state
        .library
        .blocking(move |core| core.public_documents(&ids))
        .await
        .map_err(WebError::from)
        .map(|documents| ctx.html(views::print::selection(&ctx.frame(), &documents)));
    ctx.page(result)
}

/// `/s/K7M2`, typed in any case from a pack's cover: the public documents stored under that
/// code, as `/selection` shows them.
async fn shared(code: String, ctx: Ctx) -> Response {
    let result = async {
        let code = ShortCode::parse(&code).ok_or(crate::service::Error::NotFound)?;
        let documents = ctx
            .state
            .library
            .blocking(move |core| core.shared_documents(&code))
            .await?;
        Ok::<_, WebError>(ctx.html(views::print::selection(&ctx.frame(), &documents)))
    };
    ctx.page(result.await)
}

/// "Demander l'impression": the basket becomes a request; the ticket page follows.
async fn request(
    remote: Option<std::net::SocketAddr>,
    basket: Option<String>,
    ctx: Ctx,
) -> Response {
    let result = async {
        let request = ask_printing(&ctx, remote, ids(basket.as_deref())).await?;
        Ok(see_other(&format!("/impression/{}", request.id)))
    };
    ctx.page(result.await)
}

/// Records a print request for `ids`, from the basket or the kiosk. The kiosk (this machine) and
/// staff are shared: only phones are held to their cap of open requests.
pub(super) async fn ask_printing(
    ctx: &Ctx,
    remote: Option<std::net::SocketAddr>,
    ids: Vec<crate::model::DocumentId>,
) -> Result<crate::model::PrintRequest, WebError> {
    let client = remote
        .filter(|_| !super::server::is_kiosk(remote) && ctx.staff.is_none())
        .map(|r| r.ip().to_string());
    Ok(ctx
        .state
        .library
        .blocking(move |core| core.request_print(&ids, client.as_deref()))
        .await?)
}

/// The ticket, big, with the estimated pages and what to do next. Until the desk has handled
/// it, the page reloads itself (an HTTP `Refresh`, no script) unless the family turned that off
/// with `?fixe` (WCAG 2.2.1: a page that changes by itself can be stopped).
async fn ticket(id: i64, query: HashMap<String, String>, ctx: Ctx) -> Response {
    let result = ctx
        .state
        .library
        .blocking(move |core| core.print_request(id))
        .await
        .map_err(WebError::from)
        .map(|request| {
            let open = matches!(request.status, PrintStatus::Waiting | PrintStatus::Printing);
            let updating = if !open {
                views::print::Updating::Never
            } else if query.contains_key("fixe") {
                views::print::Updating::Stopped
            } else {
                views::print::Updating::Every(TICKET_REFRESH_SECONDS)
            };
            let mut response = ctx.html(views::print::ticket(&ctx.frame(), &request, updating));
            if let views::print::Updating::Every(seconds) = updating {
                response
                    .headers_mut()
                    .insert(header::REFRESH, HeaderValue::from(seconds));
            }
            response
        });
    ctx.page(result)
}

/// How often an open ticket's page asks for news: cheap, and soon enough for a family waiting
/// in the hall.
const TICKET_REFRESH_SECONDS: u32 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_host_names_make_a_link() {
        let lan = Some("http://192.168.1.10:8080/");
        assert_eq!(
            site(Some("cartable.local:8080"), lan).as_deref(),
            Some("http://cartable.local:8080")
        );
        assert_eq!(
            site(Some("192.168.1.10:8080"), None).as_deref(),
            Some("http://192.168.1.10:8080")
        );
        assert_eq!(site(Some("evil.example/path?x"), lan), None);
        assert_eq!(site(Some(""), lan), None);
        assert_eq!(site(None, lan), None);
    }

    #[test]
    fn the_kiosk_on_the_machine_itself_gets_the_address_phones_use() {
        let lan = Some("http://192.168.1.10:8080/");
        for host in [
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "LOCALHOST",
        ] {
            assert_eq!(
                site(Some(host), lan).as_deref(),
                Some("http://192.168.1.10:8080"),
                "{host}"
            );
        }
        assert_eq!(site(Some("127.0.0.1:8080"), None), None);
    }
}
