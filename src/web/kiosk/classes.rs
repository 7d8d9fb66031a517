//! `/kiosque/classes/{slug}[?semaine=DATE]`: a class's cahier de texte at the kiosk, where
//! choosing a class in "Trouver un document" leads first. Public documents only, whoever stands
//! at the screen.

use std::collections::HashMap;

use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

use super::super::classes::{class_of, today, wanted_day};
use super::super::error::WebError;
use super::super::views::kiosk::{self as view, Reload};
use super::Visit;

pub fn routes(visit: BoxedFilter<(Visit,)>) -> BoxedFilter<(Response,)> {
    warp::path!("kiosque" / "classes" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(visit)
        .then(class_week)
        .boxed()
}

async fn class_week(segment: String, query: HashMap<String, String>, visit: Visit) -> Response {
    let result = async {
        let class = class_of(&segment).ok_or_else(WebError::not_found)?;
        let today = today();
        let day = wanted_day(&query, today);
        let page = visit
            .ctx
            .state
            .library
            .class_week_page(class, day, true)
            .await?;
        let drives = visit.drives().await;
        let frame = visit.frame(Reload::Idle, &drives);
        Ok(visit.html(view::classes::class_week(
            &frame,
            &page.week,
            today,
            &page.groups,
        )))
    };
    visit.answer(result.await)
}
