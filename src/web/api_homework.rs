//! The cahier de texte in the JSON API: a class's week (`GET /api/homework?classe=&semaine=`,
//! open to all, staff-only documents only with a token) and entries written by scripts with a
//! bearer token (`POST /api/homework`, `PUT` and `DELETE /api/homework/{id}`). Errors are the
//! API's `{"code", "message"}`.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use warp::filters::BoxedFilter;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{
    iso_date, parse_iso_date, Account, ClassName, DocumentId, Hit, NewHomework, Subject,
};
use crate::service::{HomeworkItem, HomeworkWeek};

use super::api::account;
use super::context::AppState;
use super::error::WebError;

/// An entry's JSON is a few kilobytes at most (4,000 characters of instruction).
const MAX_BODY_BYTES: u64 = 64 * 1024;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let with_state = warp::any().map(move || Arc::clone(&state));
    let bearer = warp::header::optional::<String>("authorization");
    let week = warp::path!("api" / "homework")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(bearer)
        .and(with_state.clone())
        .then(week);
    let add = warp::path!("api" / "homework")
        .and(warp::post())
        .and(bearer)
        .and(with_state.clone())
        .and(super::body::small_form(MAX_BODY_BYTES))
        .then(add);
    let change = warp::path!("api" / "homework" / i64)
        .and(warp::put())
        .and(bearer)
        .and(with_state.clone())
        .and(super::body::small_form(MAX_BODY_BYTES))
        .then(change);
    let remove = warp::path!("api" / "homework" / i64)
        .and(warp::delete())
        .and(bearer)
        .and(with_state)
        .then(remove);
    week.or(add)
        .unify()
        .or(change)
        .unify()
        .or(remove)
        .unify()
        .boxed()
}

/// An entry as the API shows it: its documents as hit objects, those this reader may see.
#[derive(Serialize)]
struct EntryJson {
    id: i64,
    classes: Vec<String>,
    due: String,
    subject: Option<String>,
    instruction: String,
    documents: Vec<Hit>,
    owner: String,
    created: i64,
    updated: i64,
}

impl EntryJson {
    fn of(item: &HomeworkItem) -> EntryJson {
        let entry = &item.entry;
        EntryJson {
            id: entry.id,
            classes: entry.classes.iter().map(ToString::to_string).collect(),
            due: iso_date(entry.due),
            subject: entry.subject.as_ref().map(ToString::to_string),
            instruction: entry.instruction.clone(),
            documents: item
                .documents
                .iter()
                .map(|d| Hit::new(d, String::new()))
                .collect(),
            owner: entry.owner.clone(),
            created: entry.created.unix_timestamp(),
            updated: entry.updated.unix_timestamp(),
        }
    }
}

#[derive(Serialize)]
struct WeekJson {
    class: String,
    slug: String,
    /// The Monday of the week.
    week: String,
    entries: Vec<EntryJson>,
}

impl WeekJson {
    fn of(week: &HomeworkWeek) -> WeekJson {
        WeekJson {
            class: week.class.to_string(),
            slug: week.class.slug(),
            week: iso_date(week.monday),
            entries: week.items.iter().map(EntryJson::of).collect(),
        }
    }
}

/// What a script sends to write or rewrite an entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryBody {
    classes: Vec<String>,
    due: String,
    #[serde(default)]
    subject: Option<String>,
    instruction: String,
    #[serde(default)]
    documents: Vec<String>,
}

fn json(result: Result<Response, WebError>) -> Response {
    result.unwrap_or_else(|error| error.json())
}

/// The class named by a query or a body: 400 when it is not one.
pub fn class_named(text: &str) -> Result<ClassName, WebError> {
    ClassName::parse(text).ok_or_else(|| {
        WebError::bad_request(format!(
            "« {text} » n'est pas une classe (exemples : 2nde B, 1re G2, Tle)."
        ))
    })
}

async fn week(
    query: HashMap<String, String>,
    bearer: Option<String>,
    state: Arc<AppState>,
) -> Response {
    let result = async {
        let staff = account(&state, bearer).await?.is_some();
        let class = class_named(query.get("classe").map(String::as_str).unwrap_or(""))?;
        let day = super::classes::asked_day(&query)?;
        let week = state
            .library
            .blocking(move |core| core.homework_week(&class, day, !staff))
            .await?;
        Ok(warp::reply::json(&WeekJson::of(&week)).into_response())
    };
    json(result.await)
}

/// The account of a token, required to write.
async fn writer(state: &AppState, bearer: Option<String>) -> Result<Account, WebError> {
    account(state, bearer).await?.ok_or_else(|| {
        WebError::unauthenticated("Un jeton d'API est nécessaire (Authorization: Bearer JETON).")
    })
}

fn entry_from(body: Result<bytes::Bytes, WebError>) -> Result<NewHomework, WebError> {
    let body: EntryBody = serde_json::from_slice(&body?)
        .map_err(|e| WebError::bad_request(format!("JSON invalide : {e}.")))?;
    let classes = body
        .classes
        .iter()
        .map(|c| class_named(c))
        .collect::<Result<Vec<_>, _>>()?;
    let due = parse_iso_date(&body.due).ok_or_else(|| {
        WebError::bad_request(format!(
            "Date « {} » invalide (attendu : AAAA-MM-JJ).",
            body.due
        ))
    })?;
    let subject = match body.subject.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            Subject::parse(text)
                .ok_or_else(|| WebError::bad_request(format!("Matière « {text} » inconnue.")))?,
        ),
    };
    let documents = body
        .documents
        .iter()
        .map(|id| {
            DocumentId::parse(id).ok_or_else(|| {
                WebError::bad_request(format!("« {id} » n'est pas un numéro de document."))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewHomework {
        classes,
        due,
        subject,
        instruction: body.instruction,
        documents,
    })
}

/// The saved entry as the writer sees it (every document it attached).
async fn saved(state: &AppState, id: i64, status: StatusCode) -> Result<Response, WebError> {
    let item = state
        .library
        .blocking(move |core| core.saved_homework(id))
        .await?;
    Ok(warp::reply::with_status(warp::reply::json(&EntryJson::of(&item)), status).into_response())
}

async fn add(
    bearer: Option<String>,
    state: Arc<AppState>,
    body: Result<bytes::Bytes, WebError>,
) -> Response {
    let result = async {
        let by = writer(&state, bearer).await?;
        let entry = entry_from(body)?;
        let id = state
            .library
            .blocking(move |core| core.add_homework(&by, entry))
            .await?;
        saved(&state, id, StatusCode::CREATED).await
    };
    json(result.await)
}

async fn change(
    id: i64,
    bearer: Option<String>,
    state: Arc<AppState>,
    body: Result<bytes::Bytes, WebError>,
) -> Response {
    let result = async {
        let by = writer(&state, bearer).await?;
        let entry = entry_from(body)?;
        state
            .library
            .blocking(move |core| core.change_homework(&by, id, entry))
            .await?;
        saved(&state, id, StatusCode::OK).await
    };
    json(result.await)
}

async fn remove(id: i64, bearer: Option<String>, state: Arc<AppState>) -> Response {
    let result = async {
        let by = writer(&state, bearer).await?;
        state
            .library
            .blocking(move |core| core.remove_homework(&by, id))
            .await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    };
    json(result.await)
}
