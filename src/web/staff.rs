//! Staff pages: login and logout, first-admin setup, upload, "Mes documents", editing, replacing,
//! deleting, administration. Every route needs a live session (401 otherwise); every form post
//! carries the session's CSRF token (403 otherwise); a teacher may change only their own
//! documents, an admin any.

use std::sync::Arc;

use bytes::Bytes;
use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::Filter;

use crate::model::{Account, Document, DocumentFilter, DocumentId, Level, Login, Role, Subject};
use crate::service::{Added, Staff};

use super::context::{constant_time_eq, see_other, with_context, AppState, Ctx, SESSION_COOKIE};
use super::error::WebError;
use super::upload;
use super::views::{self, staff::UploadResult};

/// Cookie of the login form's own CSRF token (there is no session yet to hold it).
const LOGIN_CSRF_COOKIE: &str = "cartable_login_csrf";
const FORM_LIMIT: u64 = 64 * 1024;

type Form = Vec<(String, String)>;

pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    let ctx = with_context(Arc::clone(&state));
    let form = warp::body::content_length_limit(FORM_LIMIT).and(warp::body::bytes());
    let login_csrf = warp::cookie::optional::<String>(LOGIN_CSRF_COOKIE);
    let login_page = warp::path!("connexion")
        .and(warp::get())
        .and(ctx.clone())
        .map(login_page);
    let login = warp::path!("connexion")
        .and(warp::post())
        .and(ctx.clone())
        .and(login_csrf)
        .and(form)
        .then(login);
    let logout = warp::path!("deconnexion")
        .and(warp::post())
        .and(ctx.clone())
        .and(form)
        .then(logout);
    let setup_page = warp::path!("setup" / String)
        .and(warp::get())
        .and(ctx.clone())
        .map(setup_page);
    let setup = warp::path!("setup" / String)
        .and(warp::post())
        .and(ctx.clone())
        .and(form)
        .then(setup);
    let upload_page = warp::path!("staff" / "upload")
        .and(warp::get())
        .and(ctx.clone())
        .map(upload_page);
    let upload = warp::path!("staff" / "upload")
        .and(warp::post())
        .and(ctx.clone())
        .and(warp::multipart::form().max_length(None))
        .then(upload);
    let mine = warp::path!("staff" / "documents")
        .and(warp::get())
        .and(ctx.clone())
        .then(mine);
    let edit_page = warp::path!("staff" / "documents" / String)
        .and(warp::get())
        .and(ctx.clone())
        .then(edit_page);
    let edit = warp::path!("staff" / "documents" / String)
        .and(warp::post())
        .and(ctx.clone())
        .and(form)
        .then(edit);
    let replace = warp::path!("staff" / "documents" / String / "file")
        .and(warp::post())
        .and(ctx.clone())
        .and(warp::multipart::form().max_length(None))
        .then(replace);
    let delete = warp::path!("staff" / "documents" / String / "delete")
        .and(warp::post())
        .and(ctx.clone())
        .and(form)
        .then(delete);
    let admin = warp::path!("staff" / "admin")
        .and(warp::get())
        .and(ctx.clone())
        .then(|ctx| admin_page(ctx, None));
    let accounts = warp::path!("staff" / "admin" / "accounts")
        .and(warp::post())
        .and(ctx.clone())
        .and(form)
        .then(admin_accounts);
    let school = warp::path!("staff" / "admin" / "school")
        .and(warp::post())
        .and(ctx)
        .and(form)
        .then(admin_school);
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
        .boxed()
}

fn parse_form(body: &Bytes) -> Result<Form, WebError> {
    serde_urlencoded::from_bytes(body).map_err(|_| WebError::bad_request("Formulaire illisible."))
}

fn field<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn login_page(ctx: Ctx) -> Response {
    let token = crate::service::random_token();
    let page = ctx.html(views::staff::login(&ctx.frame(), None, "", &token));
    with_cookie(
        page,
        &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
    )
}

async fn login(ctx: Ctx, cookie_token: Option<String>, body: Bytes) -> Response {
    let result = async {
        let form = parse_form(&body)?;
        let (login, password) = (
            field(&form, "login").unwrap_or("").to_owned(),
            field(&form, "password").unwrap_or("").to_owned(),
        );
        let form_token = field(&form, "csrf").unwrap_or("");
        let token_matches = cookie_token
            .as_deref()
            .is_some_and(|t| constant_time_eq(t.as_bytes(), form_token.as_bytes()));
        if !token_matches {
            return Err(WebError::forbidden(
                "Le formulaire a expiré : rechargez la page de connexion et recommencez.",
            ));
        }
        let attempt = login.clone();
        match ctx
            .state
            .library
            .blocking(move |core| core.accounts().log_in(&attempt, &password))
            .await
        {
            Ok((_, session)) => {
                let cookie = format!(
                    "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
                    session.cookie
                );
                Ok(with_cookie(see_other("/staff/documents"), &cookie))
            }
            Err(
                crate::service::Error::Unauthorized(message)
                | crate::service::Error::Forbidden(message),
            ) => {
                let token = crate::service::random_token();
                let page = views::staff::login(&ctx.frame(), Some(&message), &login, &token);
                let response =
                    super::context::html_response(page, warp::http::StatusCode::UNAUTHORIZED);
                Ok(with_cookie(
                    response,
                    &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
                ))
            }
            Err(other) => Err(other.into()),
        }
    };
    ctx.page(result.await)
}

async fn logout(ctx: Ctx, body: Bytes) -> Response {
    let result = async {
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        if let Some(cookie) = ctx.session.clone() {
            ctx.state
                .library
                .blocking(move |core| core.accounts().log_out(&cookie))
                .await?;
        }
        Ok(with_cookie(
            see_other("/"),
            &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
        ))
    };
    ctx.page(result.await)
}

/// The setup link works once, and only while no admin exists.
fn setup_token_matches(ctx: &Ctx, token: &str) -> bool {
    let expected = ctx
        .state
        .setup_token
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    expected
        .as_deref()
        .is_some_and(|e| constant_time_eq(e.as_bytes(), token.as_bytes()))
}

fn setup_page(token: String, ctx: Ctx) -> Response {
    if !setup_token_matches(&ctx, &token) {
        return ctx.error_page(WebError::not_found());
    }
    ctx.html(views::staff::setup(&ctx.frame(), &token, None))
}

async fn setup(token: String, ctx: Ctx, body: Bytes) -> Response {
    if !setup_token_matches(&ctx, &token) {
        return ctx.error_page(WebError::not_found());
    }
    let result = async {
        let form = parse_form(&body)?;
        let (login, password) = (
            field(&form, "login").unwrap_or("").to_owned(),
            field(&form, "password").unwrap_or("").to_owned(),
        );
        let added = ctx
            .state
            .library
            .blocking(move |core| core.accounts().add(&login, Role::Admin, &password))
            .await;
        match added {
            Ok(_) => {
                *ctx.state
                    .setup_token
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = None;
                Ok(see_other("/connexion"))
            }
            Err(
                crate::service::Error::InvalidInput(message)
                | crate::service::Error::Conflict(message),
            ) => Ok(ctx.html(views::staff::setup(&ctx.frame(), &token, Some(&message)))),
            Err(other) => Err(other.into()),
        }
    };
    ctx.page(result.await)
}

fn upload_page(ctx: Ctx) -> Response {
    let result = ctx.staff().map(|staff| {
        ctx.html(views::staff::upload_form(
            &ctx.frame(),
            &staff.csrf,
            ctx.state.max_upload_bytes,
        ))
    });
    ctx.page(result)
}

async fn upload(ctx: Ctx, form: warp::multipart::FormData) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let received = upload::receive(&ctx.state.library, form).await?;
        ctx.staff_with_csrf(received.field("csrf"))?;
        let metadata = received.metadata(Some(staff.account.login.to_string()))?;
        if received.files.is_empty() {
            return Err(WebError::bad_request("Choisissez au moins un fichier."));
        }
        let mut results = Vec::new();
        for (file_name, file) in received.files {
            let outcome = match file {
                Ok(file) => {
                    let (metadata, name) = (metadata.clone(), file_name.clone());
                    ctx.state
                        .library
                        .blocking(move |core| core.add_received(file, &name, &metadata, true))
                        .await
                        .map_err(WebError::from)
                }
                Err(error) => Err(error),
            };
            results.push(match outcome {
                Ok(Added::New(document)) => UploadResult::Added(document),
                Ok(Added::Duplicate(document)) => UploadResult::Duplicate(document),
                Err(error) => UploadResult::Refused {
                    file_name,
                    reason: error.message,
                },
            });
        }
        Ok(ctx.html(views::staff::upload_results(&ctx.frame(), &results)))
    };
    ctx.page(result.await)
}

fn may_change(staff: &Staff, document: &Document) -> bool {
    staff.account.role == Role::Admin
        || document.owner.as_deref() == Some(staff.account.login.as_str())
}

async fn mine(ctx: Ctx) -> Response {
    let result = async {
        let staff = ctx.staff()?.clone();
        let all = staff.account.role == Role::Admin;
        let filter = DocumentFilter {
            limit: crate::model::MAX_PAGE_SIZE,
            ..DocumentFilter::default()
        };
        let (documents, _) = ctx.state.library.list(filter).await?;
        let documents: Vec<Document> = documents
            .into_iter()
            .filter(|d| may_change(&staff, d))
            .collect();
        Ok(ctx.html(views::staff::my_documents(&ctx.frame(), &documents, all)))
    };
    ctx.page(result.await)
}

/// The document, if this staff member may change it: 404 for no such id, 403 for someone else's.
async fn changeable(ctx: &Ctx, id: &str) -> Result<(Staff, Document), WebError> {
    let staff = ctx.staff()?.clone();
    let id = DocumentId::parse(id).ok_or_else(WebError::not_found)?;
    let document = ctx.state.library.get(id).await?;
    if !may_change(&staff, &document) {
        return Err(WebError::forbidden("Ce document a été déposé par un autre membre du personnel : seul lui ou un administrateur peut le modifier."));
    }
    Ok((staff, document))
}

async fn edit_page(id: String, ctx: Ctx) -> Response {
    let result = async {
        let (staff, document) = changeable(&ctx, &id).await?;
        Ok(ctx.html(views::staff::edit(&ctx.frame(), &staff.csrf, &document)))
    };
    ctx.page(result.await)
}

async fn edit(id: String, ctx: Ctx, body: Bytes) -> Response {
    let result = async {
        let (_, document) = changeable(&ctx, &id).await?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let received = upload::ReceivedForm {
            fields: form,
            files: Vec::new(),
        };
        let metadata = received.metadata(None)?;
        ctx.state
            .library
            .update_metadata(document.id.clone(), metadata)
            .await?;
        Ok(see_other(&format!("/documents/{}", document.id)))
    };
    ctx.page(result.await)
}

async fn replace(id: String, ctx: Ctx, form: warp::multipart::FormData) -> Response {
    let result = async {
        let (_, document) = changeable(&ctx, &id).await?;
        let mut received = upload::receive(&ctx.state.library, form).await?;
        ctx.staff_with_csrf(received.field("csrf"))?;
        let (file_name, file) = received
            .files
            .pop()
            .ok_or_else(|| WebError::bad_request("Choisissez un fichier."))?;
        let file = file?;
        let id = document.id.clone();
        ctx.state
            .library
            .blocking(move |core| core.replace_with_received(&id, file, &file_name))
            .await?;
        Ok(see_other(&format!("/documents/{}", document.id)))
    };
    ctx.page(result.await)
}

async fn delete(id: String, ctx: Ctx, body: Bytes) -> Response {
    let result = async {
        let (_, document) = changeable(&ctx, &id).await?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        if field(&form, "confirm") != Some("yes") {
            return Err(WebError::bad_request(
                "Cochez la case de confirmation pour supprimer le document.",
            ));
        }
        ctx.state.library.remove(document.id).await?;
        Ok(see_other("/staff/documents"))
    };
    ctx.page(result.await)
}

fn require_admin(ctx: &Ctx) -> Result<Staff, WebError> {
    let staff = ctx.staff()?;
    if staff.account.role != Role::Admin {
        return Err(WebError::forbidden(
            "Cette page est réservée aux administrateurs.",
        ));
    }
    Ok(staff.clone())
}

async fn admin_page(ctx: Ctx, notice: Option<&'static str>) -> Response {
    let result = async {
        let staff = require_admin(&ctx)?;
        let accounts: Vec<Account> = ctx
            .state
            .library
            .blocking(|core| core.accounts().list())
            .await?;
        Ok(ctx.html(views::staff::admin(
            &ctx.frame(),
            &staff.csrf,
            &accounts,
            notice,
        )))
    };
    ctx.page(result.await)
}

async fn admin_accounts(ctx: Ctx, body: Bytes) -> Response {
    let result = async {
        require_admin(&ctx)?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let login = field(&form, "login").unwrap_or("").to_owned();
        let password = field(&form, "password").unwrap_or("").to_owned();
        let action = field(&form, "action").unwrap_or("").to_owned();
        let role = field(&form, "role")
            .and_then(Role::from_name)
            .unwrap_or(Role::Teacher);
        ctx.state
            .library
            .blocking(move |core| {
                let accounts = core.accounts();
                let parsed = || Login::parse(&login).ok_or(crate::service::Error::NotFound);
                match action.as_str() {
                    "add" => accounts.add(&login, role, &password).map(|_| ()),
                    "disable" => accounts.set_disabled(&parsed()?, true),
                    "enable" => accounts.set_disabled(&parsed()?, false),
                    "reset" => accounts.reset_password(&parsed()?, &password),
                    _ => Err(crate::service::Error::InvalidInput(
                        "action inconnue".to_owned(),
                    )),
                }
            })
            .await?;
        Ok(see_other("/staff/admin"))
    };
    ctx.page(result.await)
}

async fn admin_school(ctx: Ctx, body: Bytes) -> Response {
    let result = async {
        require_admin(&ctx)?;
        let form = parse_form(&body)?;
        ctx.staff_with_csrf(field(&form, "csrf"))?;
        let lines = |name: &str| -> Vec<String> {
            field(&form, name)
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut school = ctx.school.clone();
        school.name = field(&form, "name").unwrap_or("").trim().to_owned();
        school.wifi_name = field(&form, "wifi_name").unwrap_or("").trim().to_owned();
        school.wifi_password = field(&form, "wifi_password").unwrap_or("").to_owned();
        school.levels = lines("levels")
            .iter()
            .filter_map(|l| Level::parse(l))
            .collect();
        school.subjects = lines("subjects")
            .iter()
            .filter_map(|s| Subject::parse(s))
            .collect();
        ctx.state
            .library
            .blocking(move |core| core.set_school(&school))
            .await?;
        Ok(see_other("/staff/admin"))
    };
    ctx.page(result.await)
}
