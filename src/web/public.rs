//! Family pages: home, levels, search, document, downloads, language switch. No account needed;
//! only public documents are ever shown here, unless a staff member is logged in.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::{DocumentId, Level, Subject};
use crate::service::{SearchAsk, Searched, SEARCH_PER_PAGE};

use super::context::{local_path, see_other, with_context, AppState, Ctx, LANG_COOKIE};
use super::download::{self, Disposition};
use super::error::WebError;
use super::lang::Lang;
use super::views;

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

async fn home(ctx: Ctx) -> Response {
    let public_only = ctx.staff.is_none();
    let result = ctx
        .state
        .library
        .home_page(ctx.school.clone(), public_only)
        .await
        .map_err(WebError::from)
        .map(|home| {
            ctx.html(views::public::home(
                &ctx.frame(),
                &home.levels,
                &home.groups,
                &home.recent,
            ))
        });
    ctx.page(result)
}

async fn level(name: String, query: HashMap<String, String>, ctx: Ctx) -> Response {
    let Some(level) = percent_decode(&name).as_deref().and_then(Level::parse) else {
        return ctx.error_page(WebError::not_found());
    };
    let subject = query.get("matiere").and_then(|s| Subject::parse(s));
    let page = page_number(&query);
    let public_only = ctx.staff.is_none();
    let result = ctx
        .state
        .library
        .level_page(level.clone(), subject.clone(), page, public_only)
        .await
        .map_err(WebError::from)
        .map(|found| {
            let pages = views::Pages {
                page,
                has_next: found.list.has_next,
            };
            ctx.html(views::public::level(
                &ctx.frame(),
                &level,
                &found.subjects,
                &found.list.documents,
                subject.as_ref(),
                pages,
            ))
        });
    ctx.page(result)
}

/// "Tout voir": every document, newest first, a page at a time.
async fn latest(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let page = page_number(&query);
    let public_only = ctx.staff.is_none();
    let result = ctx
        .state
        .library
        .latest_page(page, public_only)
        .await
        .map_err(WebError::from)
        .map(|list| {
            let pages = views::Pages {
                page,
                has_next: list.has_next,
            };
            ctx.html(views::public::latest(
                &ctx.frame(),
                &list.documents,
                list.total,
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
    let ask = SearchAsk {
        text: query.get("q").cloned().unwrap_or_default(),
        level: query.get("niveau").and_then(|l| Level::parse(l)),
        subject: query.get("matiere").and_then(|s| Subject::parse(s)),
        page: page_number(&query),
    };
    let started = Instant::now();
    let searched = ctx
        .state
        .library
        .search_page(
            ctx.school.clone(),
            ask.clone(),
            super::classes::today(),
            ctx.staff.is_none(),
        )
        .await;
    ctx.state.metrics.search(started.elapsed());
    let result = searched.map_err(WebError::from).map(|found| {
        let empty_query = ctx.lang.t(
            "Tapez un ou plusieurs mots à chercher.",
            "Type one or more words to search for.",
        );
        let (total, results, problem, all_words) = match &found.searched {
            Searched::NoWords => (0, &[][..], Some(empty_query), true),
            Searched::Unreadable(message) => (0, &[][..], Some(message.as_str()), true),
            Searched::Found(found) => (found.total, &found.documents[..], None, found.all_words),
        };
        let view = views::public::SearchView {
            query: &ask.text,
            level: ask.level.as_ref(),
            subject: ask.subject.as_ref(),
            levels: &found.levels,
            subjects: &found.subjects,
            total,
            results,
            page: ask.page,
            per_page: SEARCH_PER_PAGE,
            problem,
            all_words,
            entries: &found.entries,
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
        .document_page(id, ctx.staff.is_none())
        .await
        .map_err(WebError::from)
        .map(|page| {
            ctx.html(views::public::document(
                &ctx.frame(),
                &page.document,
                &page.excerpt,
                changed,
            ))
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
    let found = ctx
        .state
        .library
        .document_file(id, ctx.staff.is_none())
        .await
        .map_err(WebError::from);
    let result = match found {
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
