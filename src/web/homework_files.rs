//! A class's cahier de texte as files: the week's printable sheet
//! (`/classes/{slug}/feuille.pdf?semaine=`), the printable pack starting with it
//! (`/classes/{slug}/paquet.pdf?semaine=`), the Atom feed (`/classes/{slug}/flux.atom`) and the
//! iCalendar file of due dates (`/classes/{slug}/devoirs.ics`). Families' views: staff-only
//! documents never appear. `semaine` is any day of the wanted week; the current one without it.

use std::collections::HashMap;
use std::sync::Arc;

use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{iso_date, week_start, ClassName};

use super::context::{with_context, AppState, Ctx};
use super::error::WebError;
use super::feeds::{self, FeedHead};
use super::print::{open_pack, send_pack, site};

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(state);
    let host = warp::header::optional::<String>("host");
    let query = warp::query::<HashMap<String, String>>();
    let sheet = warp::path!("classes" / String / "feuille.pdf")
        .and(warp::get())
        .and(query)
        .and(host)
        .and(ctx.clone())
        .then(sheet);
    let pack = warp::path!("classes" / String / "paquet.pdf")
        .and(warp::get())
        .and(query)
        .and(host)
        .and(ctx.clone())
        .then(pack);
    let atom = warp::path!("classes" / String / "flux.atom")
        .and(warp::get())
        .and(host)
        .and(ctx.clone())
        .then(|slug, host, ctx| feed(slug, host, ctx, Feed::Atom));
    let ical = warp::path!("classes" / String / "devoirs.ics")
        .and(warp::get())
        .and(host)
        .and(ctx)
        .then(|slug, host, ctx| feed(slug, host, ctx, Feed::Ical));
    sheet
        .or(pack)
        .unify()
        .or(atom)
        .unify()
        .or(ical)
        .unify()
        .boxed()
}

/// The class of the address, 404 when it names none.
fn class_of(slug: &str) -> Result<ClassName, WebError> {
    super::classes::class_of(slug).ok_or_else(WebError::not_found)
}

fn with_type(mut response: Response, content_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Entries change during the day: a reader asks again rather than keeping an old week.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn sheet(
    slug: String,
    query: HashMap<String, String>,
    host: Option<String>,
    ctx: Ctx,
) -> Response {
    let result = async {
        let class = class_of(&slug)?;
        let day = super::classes::asked_day(&query)?;
        let site = site(host.as_deref(), ctx.state.lan_site.as_deref());
        let school = ctx.school.name.clone();
        let name = format!(
            "Pour aujourd'hui - {} - semaine du {}.pdf",
            class.full_name(),
            iso_date(week_start(day))
        );
        let pdf = ctx
            .state
            .library
            .blocking(move |core| core.homework_sheet(&class, day, &school, site.as_deref()))
            .await?;
        let mut response = with_type(pdf.into_response(), "application/pdf");
        if let Ok(value) = HeaderValue::from_str(&super::download::content_disposition(&name, true))
        {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
        Ok(response)
    };
    ctx.page(result.await)
}

async fn pack(
    slug: String,
    query: HashMap<String, String>,
    host: Option<String>,
    ctx: Ctx,
) -> Response {
    let result = async {
        let class = class_of(&slug)?;
        let day = super::classes::asked_day(&query)?;
        let site = site(host.as_deref(), ctx.state.lan_site.as_deref());
        let school = ctx.school.name.clone();
        let name = format!(
            "Pour aujourd'hui - {} - documents de la semaine du {}.pdf",
            class.full_name(),
            iso_date(week_start(day))
        );
        let pack = ctx
            .state
            .library
            .long_job(crate::service::JobClass::Family, move |core| {
                open_pack(core.homework_pack(&class, day, &school, site.as_deref())?)
            })
            .await?;
        Ok(send_pack(pack, &name))
    };
    ctx.page(result.await)
}

enum Feed {
    Atom,
    Ical,
}

async fn feed(slug: String, host: Option<String>, ctx: Ctx, kind: Feed) -> Response {
    let result = async {
        let class = class_of(&slug)?;
        let today = super::classes::today();
        let items = {
            let class = class.clone();
            ctx.state
                .library
                .blocking(move |core| core.homework_feed(&class, today))
                .await?
        };
        let site = site(host.as_deref(), ctx.state.lan_site.as_deref()).unwrap_or_default();
        let head = FeedHead {
            school: &ctx.school.name,
            class: &class,
            site: &site,
        };
        Ok(match kind {
            Feed::Atom => with_type(
                feeds::atom(&head, &items).into_response(),
                "application/atom+xml; charset=utf-8",
            ),
            Feed::Ical => {
                let mut response = with_type(
                    feeds::icalendar(&head, &items).into_response(),
                    "text/calendar; charset=utf-8",
                );
                let name = format!("devoirs-{}.ics", class.slug());
                if let Ok(value) =
                    HeaderValue::from_str(&super::download::content_disposition(&name, true))
                {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_DISPOSITION, value);
                }
                response
            }
        })
    };
    ctx.page(result.await)
}
