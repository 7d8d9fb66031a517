//! The JSON API (contract in DESIGN.md): search, list, and upload for scripts with a bearer token.
//! Every error under /api is `{"code", "message"}` with its status, never an HTML page.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use warp::filters::BoxedFilter;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{Account, DocumentFilter, Hit, Level, Subject};
use crate::service::Added;

use super::context::AppState;
use super::error::WebError;
use super::upload;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let with_state = {
        let state = Arc::clone(&state);
        warp::any().map(move || Arc::clone(&state))
    };
    let bearer = warp::header::optional::<String>("authorization");
    let search = warp::path!("api" / "search")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(bearer)
        .and(with_state.clone())
        .then(search);
    let list = warp::path!("api" / "documents")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(bearer)
        .and(with_state.clone())
        .then(list);
    let upload = warp::path!("api" / "documents")
        .and(warp::post())
        .and(bearer)
        .and(with_state.clone())
        .and(super::body::multipart(upload::MAX_FORM_BYTES))
        .then(upload);
    let unknown =
        warp::path("api").map(|| WebError::not_found_because("Adresse d'API inconnue.").json());
    search
        .or(list)
        .unify()
        .or(upload)
        .unify()
        .or(super::api_homework::routes(Arc::clone(&state)))
        .unify()
        .or(unknown)
        .unify()
        .boxed()
}

fn json(result: Result<Response, WebError>) -> Response {
    result.unwrap_or_else(|error| error.json())
}

/// The account behind `Authorization: Bearer TOKEN`; `None` without the header, 401 with a bad one.
pub(super) async fn account(
    state: &AppState,
    header: Option<String>,
) -> Result<Option<Account>, WebError> {
    let Some(header) = header else {
        return Ok(None);
    };
    let token = header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            WebError::unauthenticated("En-tête Authorization invalide (attendu : Bearer JETON).")
        })?
        .to_owned();
    let found = state
        .library
        .blocking(move |core| core.accounts().api_token(&token))
        .await?;
    found
        .map(Some)
        .ok_or_else(|| WebError::unauthenticated("Jeton d'API inconnu ou révoqué."))
}

fn filter_from(
    query: &HashMap<String, String>,
    staff: bool,
    default_limit: usize,
) -> DocumentFilter {
    DocumentFilter {
        level: query.get("level").and_then(|l| Level::parse(l)),
        subject: query.get("subject").and_then(|s| Subject::parse(s)),
        class: query.get("class").filter(|c| !c.trim().is_empty()).cloned(),
        public_only: !staff,
        limit: query
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(default_limit),
        offset: query
            .get("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0),
        ..DocumentFilter::default()
    }
}

async fn search(
    query: HashMap<String, String>,
    bearer: Option<String>,
    state: Arc<AppState>,
) -> Response {
    let result = async {
        let staff = account(&state, bearer).await?.is_some();
        let text = query.get("q").cloned().unwrap_or_default();
        let filter = filter_from(&query, staff, 10);
        let started = Instant::now();
        let page = state.library.search(text, filter).await;
        state.metrics.search(started.elapsed());
        Ok(warp::reply::json(&page?).into_response())
    };
    json(result.await)
}

#[derive(Serialize)]
struct DocumentList {
    total: usize,
    documents: Vec<Hit>,
}

async fn list(
    query: HashMap<String, String>,
    bearer: Option<String>,
    state: Arc<AppState>,
) -> Response {
    let result = async {
        let staff = account(&state, bearer).await?.is_some();
        let filter = filter_from(&query, staff, 50);
        let (documents, total) = state.library.list(filter).await?;
        let documents = documents
            .iter()
            .map(|d| Hit::new(d, String::new()))
            .collect();
        Ok(warp::reply::json(&DocumentList { total, documents }).into_response())
    };
    json(result.await)
}

#[derive(Serialize)]
struct Refusal {
    file_name: String,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct UploadAnswer {
    documents: Vec<Hit>,
    duplicates: Vec<Hit>,
    refused: Vec<Refusal>,
}

async fn upload(
    bearer: Option<String>,
    state: Arc<AppState>,
    form: Result<super::body::Multipart, WebError>,
) -> Response {
    let result = async {
        let account = account(&state, bearer).await?.ok_or_else(|| {
            WebError::unauthenticated(
                "Un jeton d'API est nécessaire (Authorization: Bearer JETON).",
            )
        })?;
        let received = upload::receive(&state.library, form).await?;
        let metadata = received.metadata(Some(account.login.to_string()))?;
        if received.files.is_empty() {
            return Err(WebError::bad_request(
                "Aucun fichier dans le champ « file ».",
            ));
        }
        let mut answer = UploadAnswer {
            documents: Vec::new(),
            duplicates: Vec::new(),
            refused: Vec::new(),
        };
        let mut first_error = None;
        for (file_name, outcome) in received.add_all(&state.library, &metadata).await {
            match outcome {
                Ok(Added::New(document)) => {
                    answer.documents.push(Hit::new(&document, String::new()))
                }
                Ok(Added::Duplicate(document)) => {
                    answer.duplicates.push(Hit::new(&document, String::new()))
                }
                Err(error) => {
                    answer.refused.push(Refusal {
                        file_name,
                        code: error.code,
                        message: error.message.clone(),
                    });
                    first_error.get_or_insert(error);
                }
            }
        }
        let status = match (
            &first_error,
            answer.documents.is_empty(),
            answer.duplicates.is_empty(),
        ) {
            (_, false, _) => StatusCode::CREATED,
            (None, true, false) => StatusCode::CONFLICT,
            // Nothing stored: the first refusal is the answer.
            (Some(error), true, true) => return Err(error.clone()),
            _ => StatusCode::CONFLICT,
        };
        Ok(warp::reply::with_status(warp::reply::json(&answer), status).into_response())
    };
    json(result.await)
}
