//! Family pages: home, levels, search, document, downloads, language switch. No account needed;
//! only public documents are ever shown here, unless a staff member is logged in.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{DocumentFilter, DocumentId, Level, Subject, Visibility};

use super::context::{local_path, see_other, with_context, AppState, Ctx, LANG_COOKIE};
use super::download::{self, Disposition};
use super::error::WebError;
use super::lang::Lang;
use super::views;

const PER_PAGE: usize = 10;
/// Documents per page of a level: pages stay under 30 KB on a phone.
const LEVEL_PER_PAGE: usize = 40;
const RECENT_DAYS: i64 = 7;
/// The newest documents of the week on the home page; "Tout voir" lists them all.
const HOME_LATEST: usize = 8;
/// Characters of a document's text shown on its page.
const EXCERPT_CHARS: usize = 1200;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(state);
    let home = warp::path::end()
        .and(warp::get())
        .and(ctx.clone())
        .then(home);
    let level = warp::path!("niveaux" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(level);
    let latest = warp::path!("nouveautes")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(latest);
    let search = warp::path!("recherche")
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(search);
    let document = warp::path!("documents" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .and(ctx.clone())
        .then(document);
    let download = warp::path!("documents" / String / "file")
        .and(warp::get().or(warp::head()).unify())
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .and(ctx.clone())
        .then(|id, method, headers, ctx| file(id, method, headers, ctx, Disposition::Attachment));
    let open = warp::path!("documents" / String / "open")
        .and(warp::get().or(warp::head()).unify())
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .and(ctx.clone())
        .then(|id, method, headers, ctx| file(id, method, headers, ctx, Disposition::Inline));
    let language = warp::path!("langue" / String)
        .and(warp::get())
        .and(warp::query::<HashMap<String, String>>())
        .map(switch_language);
    home.or(level)
        .unify()
        .or(latest)
        .unify()
        .or(search)
        .unify()
        .or(document)
        .unify()
        .or(download)
        .unify()
        .or(open)
        .unify()
        .or(language)
        .unify()
        .boxed()
}

/// What this visitor may see: families public documents only, staff everything.
fn visible_to(ctx: &Ctx, limit: usize) -> DocumentFilter {
    DocumentFilter {
        public_only: ctx.staff.is_none(),
        limit,
        ..DocumentFilter::default()
    }
}

async fn home(ctx: Ctx) -> Response {
    let filter = visible_to(&ctx, HOME_LATEST);
    let result = ctx
        .state
        .library
        .blocking(move |core| {
            let (documents, _) = core.list(&filter)?;
            let (found_levels, _) = core.facets(filter.public_only)?;
            let groups: Vec<_> = core
                .homework_classes()?
                .into_iter()
                .filter(|c| c.group().is_some())
                .collect();
            Ok((documents, found_levels, groups))
        })
        .await;
    ctx.page(
        result
            .map_err(WebError::from)
            .map(|(documents, found_levels, groups)| {
                let week_ago = time::OffsetDateTime::now_utc()
                    - Duration::from_secs(RECENT_DAYS as u64 * 86_400);
                let recent: Vec<_> = documents
                    .into_iter()
                    .filter(|d| d.created >= week_ago)
                    .collect();
                let mut levels = ctx.school.levels.clone();
                levels.extend(
                    found_levels
                        .into_iter()
                        .filter(|l| !ctx.school.levels.contains(l)),
                );
                ctx.html(views::public::home(&ctx.frame(), &levels, &groups, &recent))
            }),
    )
}

async fn level(name: String, query: HashMap<String, String>, ctx: Ctx) -> Response {
    let Some(level) = percent_decode(&name).as_deref().and_then(Level::parse) else {
        return ctx.error_page(WebError::not_found());
    };
    let subject = query.get("matiere").and_then(|s| Subject::parse(s));
    let page = page_number(&query);
    let filter = DocumentFilter {
        level: Some(level.clone()),
        subject: subject.clone(),
        offset: (page - 1) * LEVEL_PER_PAGE,
        ..visible_to(&ctx, LEVEL_PER_PAGE)
    };
    let all_in_level = DocumentFilter {
        subject: None,
        ..filter.clone()
    };
    let result = ctx
        .state
        .library
        .blocking(move |core| Ok((core.list(&filter)?, core.subjects(&all_in_level)?)))
        .await;
    ctx.page(
        result
            .map_err(WebError::from)
            .map(|((documents, total), subjects)| {
                let pages = views::Pages {
                    page,
                    has_next: page * LEVEL_PER_PAGE < total,
                };
                ctx.html(views::public::level(
                    &ctx.frame(),
                    &level,
                    &subjects,
                    &documents,
                    subject.as_ref(),
                    pages,
                ))
            }),
    )
}

/// "Tout voir": every document, newest first, a page at a time.
async fn latest(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let page = page_number(&query);
    let filter = DocumentFilter {
        offset: (page - 1) * LEVEL_PER_PAGE,
        ..visible_to(&ctx, LEVEL_PER_PAGE)
    };
    let result = ctx
        .state
        .library
        .blocking(move |core| core.list(&filter))
        .await
        .map_err(WebError::from)
        .map(|(documents, total)| {
            let pages = views::Pages {
                page,
                has_next: page * LEVEL_PER_PAGE < total,
            };
            ctx.html(views::public::latest(
                &ctx.frame(),
                &documents,
                total,
                pages,
            ))
        });
    ctx.page(result)
}

/// The `page` query parameter, 1 when absent or absurd.
fn page_number(query: &HashMap<String, String>) -> usize {
    query
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

async fn search(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let text = query.get("q").cloned().unwrap_or_default();
    let level = query.get("niveau").and_then(|l| Level::parse(l));
    let subject = query.get("matiere").and_then(|s| Subject::parse(s));
    let page = page_number(&query);
    let filter = DocumentFilter {
        level: level.clone(),
        subject: subject.clone(),
        offset: (page - 1) * PER_PAGE,
        ..visible_to(&ctx, PER_PAGE)
    };
    let started = Instant::now();
    let query_text = text.clone();
    // Entries of the cahier de texte first, on the first page only (they are few).
    let with_entries = page == 1;
    // One trip to the blocking pool for the results and the filter menus.
    let searched = ctx
        .state
        .library
        .blocking(move |core| {
            let facets = core.facets(filter.public_only)?;
            if query_text.trim().is_empty() {
                return Ok((None, facets, Vec::new()));
            }
            let entries = match with_entries {
                true => {
                    core.search_homework(&query_text, super::classes::today(), filter.public_only)?
                }
                false => Vec::new(),
            };
            match core.search_documents(&query_text, &filter) {
                Ok(found) => Ok((Some(Ok(found)), facets, entries)),
                Err(crate::service::Error::InvalidInput(message)) => {
                    Ok((Some(Err(message)), facets, entries))
                }
                Err(other) => Err(other),
            }
        })
        .await;
    ctx.state.metrics.search(started.elapsed());
    let (searched, facets, entries) = match searched {
        Ok((searched, facets, entries)) => (Ok(searched), facets, entries),
        Err(error) => (Err(error), Default::default(), Vec::new()),
    };
    let mut levels = ctx.school.levels.clone();
    levels.extend(
        facets
            .0
            .into_iter()
            .filter(|l| !ctx.school.levels.contains(l)),
    );
    let mut subjects = ctx.school.subjects.clone();
    subjects.extend(
        facets
            .1
            .into_iter()
            .filter(|s| !ctx.school.subjects.contains(s)),
    );
    let empty: Vec<crate::service::FoundDocument> = Vec::new();
    let result = searched.map_err(WebError::from).map(|outcome| {
        let empty_query = ctx.lang.t(
            "Tapez un ou plusieurs mots à chercher.",
            "Type one or more words to search for.",
        );
        let (total, results, problem, all_words) = match &outcome {
            None => (0, &empty, Some(empty_query.to_owned()), true),
            Some(Err(message)) => (0, &empty, Some(message.clone()), true),
            Some(Ok(found)) => (found.total, &found.documents, None, found.all_words),
        };
        let view = views::public::SearchView {
            query: &text,
            level: level.as_ref(),
            subject: subject.as_ref(),
            levels: &levels,
            subjects: &subjects,
            total,
            results,
            page,
            per_page: PER_PAGE,
            problem: problem.as_deref(),
            all_words,
            entries: &entries,
        };
        ctx.html(views::public::search(&ctx.frame(), &view))
    });
    ctx.page(result)
}

/// A document's page; `?fait=modifie` or `?fait=remplace` after a staff edit says it worked.
async fn document(id: String, query: HashMap<String, String>, ctx: Ctx) -> Response {
    let changed = ctx
        .staff
        .as_ref()
        .and(query.get("fait"))
        .and_then(|done| match done.as_str() {
            "modifie" => Some(ctx.lang.t("Modifications enregistrées.", "Changes saved.")),
            "remplace" => Some(ctx.lang.t(
                "Fichier remplacé : le lien du document n'a pas changé.",
                "File replaced: the document's link is the same.",
            )),
            _ => None,
        });
    let Some(id) = DocumentId::parse(&id) else {
        return ctx.error_page(WebError::not_found());
    };
    let result = ctx
        .state
        .library
        .blocking(move |core| Ok((core.get(&id)?, core.text(&id)?)))
        .await
        .map_err(WebError::from)
        .and_then(|(document, text)| {
            if document.visibility == Visibility::Staff && ctx.staff.is_none() {
                return Err(WebError::not_found());
            }
            let excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
            Ok(ctx.html(views::public::document(
                &ctx.frame(),
                &document,
                &excerpt,
                changed,
            )))
        });
    ctx.page(result)
}

async fn file(
    id: String,
    method: warp::http::Method,
    headers: warp::http::HeaderMap,
    ctx: Ctx,
    disposition: Disposition,
) -> Response {
    let Some(id) = DocumentId::parse(&id) else {
        return ctx.error_page(WebError::not_found());
    };
    let found = ctx.state.library.download(id).await.map_err(WebError::from);
    let result = match found {
        Ok((document, _)) if document.visibility == Visibility::Staff && ctx.staff.is_none() => {
            Err(WebError::not_found())
        }
        Ok((document, path)) => {
            let counted = method == warp::http::Method::GET;
            download::send(
                ctx.state.outlet(),
                &document,
                &path,
                &headers,
                disposition,
                counted,
            )
            .await
        }
        Err(error) => Err(error),
    };
    ctx.page(result)
}

/// `/langue/en?retour=/recherche?q=x`: remembers the language, goes back to the page.
fn switch_language(code: String, query: HashMap<String, String>) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let back = local_path(query.get("retour"), "/");
    let mut response = see_other(&back);
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response.into_response()
}

/// Decodes `%xx` escapes of a path segment (levels such as "BTS 1" arrive as "BTS%201").
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
