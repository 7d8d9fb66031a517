//! "Pour aujourd'hui / cette semaine" (`/classes/{slug}[?semaine=DATE]`): a class's cahier de
//! texte for one week, the front door for families. A level's page ("2nde") shows every group's
//! entries, each labelled; a group's page ("2nde B") its own and its level's. Families never see
//! a staff-only document attached to an entry; a logged-in staff member does.

use std::collections::HashMap;
use std::sync::Arc;

use time::{Date, OffsetDateTime};
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use crate::model::ClassName;

use super::context::{with_context, AppState, Ctx};
use super::error::WebError;
use super::public::percent_decode;
use super::views::{self, homework::ClassPage};
use super::wording::parse_iso_date;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    warp::path!("classes" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(with_context(state))
        .then(class_page)
        .boxed()
}

/// The school's today: UTC, as the rest of cartable dates things (document dates, print tickets).
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The class a URL segment names ("2nde-b", "Tle", "BTS%201"); `None` for anything else.
pub fn class_of(segment: &str) -> Option<ClassName> {
    percent_decode(segment)
        .as_deref()
        .and_then(ClassName::parse)
}

/// The day `?semaine=` names (any day of the wanted week), today when absent or unreadable.
pub fn wanted_day(query: &HashMap<String, String>, today: Date) -> Date {
    query
        .get("semaine")
        .and_then(|d| parse_iso_date(d))
        .unwrap_or(today)
}

/// The day `?semaine=` names for a file or the API, today when absent; a date that cannot be
/// read is a 400 there (a page forgives it with `wanted_day`, a script should hear of it).
pub fn asked_day(query: &HashMap<String, String>) -> Result<Date, WebError> {
    match query.get("semaine").filter(|s| !s.trim().is_empty()) {
        Some(text) => parse_iso_date(text).ok_or_else(|| {
            WebError::bad_request(format!(
                "Semaine invalide « {text} » (attendu : une date AAAA-MM-JJ)."
            ))
        }),
        None => Ok(today()),
    }
}

async fn class_page(segment: String, query: HashMap<String, String>, ctx: Ctx) -> Response {
    let Some(class) = class_of(&segment) else {
        return ctx.error_page(WebError::not_found());
    };
    let today = today();
    let day = wanted_day(&query, today);
    let public_only = ctx.staff.is_none();
    let result = ctx
        .state
        .library
        .class_week_page(class, day, public_only)
        .await
        .map_err(WebError::from)
        .map(|page| {
            ctx.html(views::homework::class_week(
                &ctx.frame(),
                &ClassPage {
                    week: &page.week,
                    today,
                    groups: &page.groups,
                },
            ))
        });
    ctx.page(result)
}
