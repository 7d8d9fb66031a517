//! Logging in and out, and the one-time setup link that creates the first admin.

use warp::reply::Response;

use crate::model::Role;

use std::collections::HashMap;

use super::super::context::{constant_time_eq, local_path, see_other, Ctx, SESSION_COOKIE};
use super::super::error::WebError;
use super::super::views;
use super::{field, parse_form, with_cookie, FormBody};

/// Cookie of the login form's own CSRF token (there is no session yet to hold it).
pub(super) const LOGIN_CSRF_COOKIE: &str = "cartable_login_csrf";
/// Cookie marking a browser that logged in to an account before: the per-account login
/// throttle does not lock it out (see `service::throttle`).
pub(super) const DEVICE_COOKIE: &str = "cartable_device";
/// How long a browser is remembered as one an account logged in from.
const DEVICE_DAYS: u32 = 180;

/// Where a staff member lands after logging in when no page sent them to the login form.
const AFTER_LOGIN: &str = "/staff/documents";

/// `/connexion?retour=/staff/admin`: the form, which comes back to `retour` once logged in.
pub(super) fn login_page(query: HashMap<String, String>, ctx: Ctx) -> Response {
    let token = crate::service::random_token();
    let back = local_path(query.get("retour"), AFTER_LOGIN);
    let notice = query
        .contains_key("compte-cree")
        .then_some(ctx.lang.t(
            "Le compte administrateur est créé : connectez-vous avec son identifiant et son mot de passe.",
            "The administrator account is created: log in with its login and password.",
        ));
    let view = views::staff::LoginView {
        problem: None,
        notice,
        login: "",
        csrf: &token,
        back: &back,
    };
    let page = ctx.html(views::staff::login(&ctx.frame(), &view));
    with_cookie(
        page,
        &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
    )
}

pub(super) async fn login(
    remote: Option<std::net::SocketAddr>,
    ctx: Ctx,
    cookie_token: Option<String>,
    device: Option<String>,
    body: FormBody,
) -> Response {
    let result = async {
        let form = parse_form(&body)?;
        let (login, password) = (
            field(&form, "login").unwrap_or("").to_owned(),
            field(&form, "password").unwrap_or("").to_owned(),
        );
        let form_token = field(&form, "csrf").unwrap_or("");
        let back = local_path(
            form.iter().find(|(n, _)| n == "retour").map(|(_, v)| v),
            AFTER_LOGIN,
        );
        let token_matches = cookie_token
            .as_deref()
            .is_some_and(|t| constant_time_eq(t.as_bytes(), form_token.as_bytes()));
        if !token_matches {
            return Err(WebError::forbidden(
                "Le formulaire a expiré : rechargez la page de connexion et recommencez.",
            ));
        }
        let attempt = login.clone();
        let client = remote.map(|r| r.ip().to_string()).unwrap_or_default();
        match ctx
            .state
            .library
            .log_in(attempt, password, client, device)
            .await
        {
            Ok(logged_in) => {
                let cookie = format!(
                    "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
                    logged_in.session.cookie
                );
                let device = format!(
                    "{DEVICE_COOKIE}={}; Path=/connexion; Max-Age={}; HttpOnly; SameSite=Strict",
                    logged_in.device,
                    DEVICE_DAYS * 24 * 3600
                );
                let response = with_cookie(see_other(&back), &cookie);
                Ok(with_cookie(response, &device))
            }
            Err(
                crate::service::Error::Unauthorized(message)
                | crate::service::Error::Forbidden(message),
            ) => {
                let token = crate::service::random_token();
                let view = views::staff::LoginView {
                    problem: Some(&message),
                    notice: None,
                    login: &login,
                    csrf: &token,
                    back: &back,
                };
                let page = views::staff::login(&ctx.frame(), &view);
                let response =
                    super::super::context::html_response(page, WebError::login_refused_status());
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

pub(super) async fn logout(ctx: Ctx, body: FormBody) -> Response {
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
pub(super) fn setup_token_matches(ctx: &Ctx, token: &str) -> bool {
    let expected = ctx
        .state
        .setup_token
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    expected
        .as_deref()
        .is_some_and(|e| constant_time_eq(e.as_bytes(), token.as_bytes()))
}

pub(super) fn setup_page(token: String, ctx: Ctx) -> Response {
    if !setup_token_matches(&ctx, &token) {
        return ctx.error_page(WebError::not_found());
    }
    ctx.html(views::staff::setup(&ctx.frame(), &token, None))
}

pub(super) async fn setup(token: String, ctx: Ctx, body: FormBody) -> Response {
    if !setup_token_matches(&ctx, &token) {
        return ctx.error_page(WebError::not_found());
    }
    let result = async {
        // An admin created meanwhile (from the shell, say) closes the setup link too.
        if ctx
            .state
            .library
            .blocking(|core| core.accounts().has_admin())
            .await?
        {
            *ctx.state
                .setup_token
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = None;
            return Err(WebError::not_found());
        }
        let form = parse_form(&body)?;
        let (login, password) = (
            field(&form, "login").unwrap_or("").to_owned(),
            field(&form, "password").unwrap_or("").to_owned(),
        );
        let added = ctx
            .state
            .library
            .hashing("setup", move |core| {
                core.accounts().add(&login, Role::Admin, &password)
            })
            .await;
        match added {
            Ok(_) => {
                *ctx.state
                    .setup_token
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = None;
                Ok(see_other("/connexion?compte-cree"))
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
