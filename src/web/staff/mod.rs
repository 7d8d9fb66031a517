//! Staff pages: login and logout, first-admin setup, upload, "Mes documents", editing, replacing,
//! deleting, administration, the print queue, API tokens. Every route needs a live session (401
//! otherwise); every form post carries the session's CSRF token (403 otherwise); a teacher may
//! change only their own documents and tokens, an admin any.

mod admin;
mod documents;
mod homework;
mod homework_draft;
mod prints;
mod session;
mod tokens;

use std::sync::Arc;

use bytes::Bytes;
use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::Filter;

use crate::model::{Document, DocumentId, Role};
use crate::service::Staff;

use super::context::{with_context, AppState, Ctx};
use super::error::WebError;

use admin::{admin_accounts, admin_page, admin_school};
use documents::{delete, edit, edit_page, mine, replace, upload, upload_page};
use session::{login, login_page, logout, setup, setup_page, DEVICE_COOKIE, LOGIN_CSRF_COOKIE};

const FORM_LIMIT: u64 = 64 * 1024;

type Form = Vec<(String, String)>;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(Arc::clone(&state));
    let form = super::body::small_form(FORM_LIMIT);
    let multipart = super::body::multipart(super::upload::MAX_FORM_BYTES);
    let login_csrf = warp::cookie::optional::<String>(LOGIN_CSRF_COOKIE);
    let login_page = warp::path!("connexion")
        .and(warp::get())
        .and(warp::query::<std::collections::HashMap<String, String>>())
        .and(ctx.clone())
        .map(login_page);
    let login = warp::path!("connexion")
        .and(warp::post())
        .and(super::server::remote())
        .and(ctx.clone())
        .and(login_csrf)
        .and(warp::cookie::optional::<String>(DEVICE_COOKIE))
        .and(form.clone())
        .then(login);
    let logout = warp::path!("deconnexion")
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(logout);
    let setup_page = warp::path!("setup" / String)
        .and(warp::get())
        .and(ctx.clone())
        .map(setup_page);
    let setup = warp::path!("setup" / String)
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(setup);
    let upload_page = warp::path!("staff" / "upload")
        .and(warp::get())
        .and(ctx.clone())
        .map(upload_page);
    let upload = warp::path!("staff" / "upload")
        .and(warp::post())
        .and(ctx.clone())
        .and(multipart.clone())
        .then(upload);
    let mine = warp::path!("staff" / "documents")
        .and(warp::get())
        .and(warp::query::<std::collections::HashMap<String, String>>())
        .and(ctx.clone())
        .then(mine);
    let edit_page = warp::path!("staff" / "documents" / String)
        .and(warp::get())
        .and(ctx.clone())
        .then(edit_page);
    let edit = warp::path!("staff" / "documents" / String)
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(edit);
    let replace = warp::path!("staff" / "documents" / String / "file")
        .and(warp::post())
        .and(ctx.clone())
        .and(multipart)
        .then(replace);
    let delete = warp::path!("staff" / "documents" / String / "delete")
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(delete);
    let admin = warp::path!("staff" / "admin")
        .and(warp::get())
        .and(warp::query::<std::collections::HashMap<String, String>>())
        .and(ctx.clone())
        .then(admin_page);
    let accounts = warp::path!("staff" / "admin" / "accounts")
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(admin_accounts);
    let school = warp::path!("staff" / "admin" / "school")
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(admin_school);
    let tokens_page = warp::path!("staff" / "jetons")
        .and(warp::get())
        .and(warp::query::<std::collections::HashMap<String, String>>())
        .and(ctx.clone())
        .then(tokens::page);
    let token_create = warp::path!("staff" / "jetons")
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(tokens::create);
    let token_revoke = warp::path!("staff" / "jetons" / String / "revoquer")
        .and(warp::post())
        .and(ctx.clone())
        .and(form.clone())
        .then(tokens::revoke);
    let host = warp::header::optional::<String>("host");
    let prints = warp::path!("staff" / "impressions")
        .and(warp::get())
        .and(warp::query::<std::collections::HashMap<String, String>>())
        .and(ctx.clone())
        .then(prints::queue);
    let print_action = warp::path!("staff" / "impressions" / i64)
        .and(warp::post())
        .and(host)
        .and(ctx.clone())
        .and(form.clone())
        .then(prints::act);
    let print_pdf = warp::path!("staff" / "impressions" / i64 / "pdf")
        .and(warp::get())
        .and(host)
        .and(ctx)
        .then(prints::pdf);
    login_page
        .or(login)
        .unify()
        .or(logout)
        .unify()
        .or(setup_page)
        .unify()
        .or(setup)
        .unify()
        .or(upload_page)
        .unify()
        .or(upload)
        .unify()
        .or(mine)
        .unify()
        .or(edit_page)
        .unify()
        .or(edit)
        .unify()
        .or(replace)
        .unify()
        .or(delete)
        .unify()
        .or(admin)
        .unify()
        .or(accounts)
        .unify()
        .or(school)
        .unify()
        .or(tokens_page)
        .unify()
        .or(token_create)
        .unify()
        .or(token_revoke)
        .unify()
        .or(prints)
        .unify()
        .or(print_action)
        .unify()
        .or(print_pdf)
        .unify()
        .or(homework::routes(state))
        .unify()
        .boxed()
}

/// A small form's body, or why it was refused from its headers (413).
pub(super) type FormBody = Result<Bytes, WebError>;

pub(super) fn parse_form(body: &FormBody) -> Result<Form, WebError> {
    let body = body.as_ref().map_err(Clone::clone)?;
    serde_urlencoded::from_bytes(body).map_err(|_| WebError::bad_request("Formulaire illisible."))
}

pub(super) fn field<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

pub(super) fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The document, if this staff member may change it: 404 for no such id, 403 for someone
/// else's (the service decides, and decides again when the change is made).
pub(super) async fn changeable(ctx: &Ctx, id: &str) -> Result<(Staff, Document), WebError> {
    let staff = ctx.staff()?.clone();
    let id = DocumentId::parse(id).ok_or_else(WebError::not_found)?;
    let account = staff.account.clone();
    let document = ctx
        .state
        .library
        .blocking(move |core| core.changeable_document(&account, &id))
        .await?;
    Ok((staff, document))
}

pub(super) fn require_admin(ctx: &Ctx) -> Result<Staff, WebError> {
    let staff = ctx.staff()?;
    if staff.account.role != Role::Admin {
        return Err(WebError::forbidden(
            "Cette page est réservée aux administrateurs.",
        ));
    }
    Ok(staff.clone())
}
