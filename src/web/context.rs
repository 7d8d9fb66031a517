//! What every handler gets: the shared state, and per request the visitor (language, staff
//! session if any), the school settings and the path, with helpers to answer with a page.

use std::sync::Arc;

use maud::Markup;
use warp::filters::path::FullPath;
use warp::http::header::{self, HeaderValue};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use crate::model::School;
use crate::service::{Library, Staff};

use super::error::WebError;
use super::lang::Lang;
use super::metrics::Metrics;
use super::views::{self, Frame};

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    pub library: Library,
    pub metrics: Metrics,
    /// Who gets in when the server is full (see `admission`).
    pub admission: Arc<super::admission::Admission>,
    /// The school name used until an admin saves settings (from the configuration).
    pub default_school_name: String,
    pub max_upload_bytes: u64,
    /// Caps the file chunks held in memory by downloads (see `download`).
    pub download_chunks: Arc<super::download::ChunkPool>,
    /// One-time token of the first-admin setup link, while no admin exists.
    pub setup_token: std::sync::Mutex<Option<String>>,
    /// The desk's print command (`print_command`), `None` when printing is turned off.
    pub print_command: Option<crate::service::PrintCommand>,
    /// The address phones reach this server at (`http://192.168.1.10:8080/`), for QR codes made
    /// from the machine's own browser; `None` when only reachable from the machine itself.
    pub lan_site: Option<String>,
    /// Hotspot mode (captive portal), when on.
    pub hotspot: Option<super::Hotspot>,
    /// What the kiosk screen's pages need to know (see `kiosk`).
    pub kiosk: super::KioskSettings,
}

/// What the server knows from its configuration and its start-up, for [`AppState::new`].
#[derive(Debug)]
pub struct ServerSettings {
    /// How much the server takes at once (see `admission`).
    pub capacity: crate::config::Capacity,
    pub default_school_name: String,
    pub max_upload_bytes: u64,
    pub setup_token: Option<String>,
    pub print_command: Option<crate::service::PrintCommand>,
    pub lan_site: Option<String>,
    pub hotspot: Option<super::Hotspot>,
    pub kiosk: super::KioskSettings,
}

impl AppState {
    /// The state every request shares: the settings, and the server's own counters, admission
    /// and download memory, made fresh.
    pub fn new(library: Library, settings: ServerSettings) -> Arc<AppState> {
        Arc::new(AppState {
            admission: super::Admission::new(library.clone(), &settings.capacity),
            library,
            metrics: Metrics::default(),
            default_school_name: settings.default_school_name,
            max_upload_bytes: settings.max_upload_bytes,
            download_chunks: Default::default(),
            setup_token: std::sync::Mutex::new(settings.setup_token),
            print_command: settings.print_command,
            lan_site: settings.lan_site,
            hotspot: settings.hotspot,
            kiosk: settings.kiosk,
        })
    }

    /// What sending a file needs (see `download`).
    pub fn outlet(&self) -> super::download::Outlet<'_> {
        super::download::Outlet {
            chunks: &self.download_chunks,
            metrics: &self.metrics,
            library: &self.library,
        }
    }
}

/// Cookie names.
pub const SESSION_COOKIE: &str = "cartable_session";
pub const LANG_COOKIE: &str = "cartable_lang";

/// One request's context.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub staff: Option<Staff>,
    /// The raw session cookie, for logging out.
    pub session: Option<String>,
    pub school: School,
    /// Path and query, for the language switch to come back to.
    pub path: String,
    /// A GET or HEAD: a page that can be asked for again, so a visitor whose session is gone can
    /// be sent to the login form and brought back to it.
    pub reading: bool,
}

pub fn with_context(state: Arc<AppState>) -> warp::filters::BoxedFilter<(Ctx,)> {
    warp::cookie::optional::<String>(SESSION_COOKIE)
        .and(warp::cookie::optional::<String>(LANG_COOKIE))
        .and(warp::path::full())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .and(warp::method())
        .then(
            move |session: Option<String>,
                  lang: Option<String>,
                  path: FullPath,
                  query: String,
                  method: warp::http::Method| {
                let state = Arc::clone(&state);
                async move {
                    let lang = lang
                        .as_deref()
                        .and_then(Lang::from_code)
                        .unwrap_or_default();
                    // Families have no session: no trip to the blocking pool for them.
                    let staff = match session.clone() {
                        Some(cookie) => {
                            state.library.session(cookie).await.unwrap_or_else(|error| {
                                tracing::error!(%error, "cannot read the session");
                                None
                            })
                        }
                        None => None,
                    };
                    let school = state
                        .library
                        .school(&state.default_school_name)
                        .await
                        .unwrap_or_else(|error| {
                            tracing::error!(%error, "cannot read the school settings");
                            School::with_name(&state.default_school_name)
                        });
                    let path = if query.is_empty() {
                        path.as_str().to_owned()
                    } else {
                        format!("{}?{query}", path.as_str())
                    };
                    Ctx {
                        state,
                        lang,
                        staff,
                        session,
                        school,
                        path,
                        reading: method == warp::http::Method::GET
                            || method == warp::http::Method::HEAD,
                    }
                }
            },
        )
        .boxed()
}

impl Ctx {
    pub fn frame(&self) -> Frame<'_> {
        Frame {
            lang: self.lang,
            school: &self.school,
            staff: self.staff.as_ref(),
            path: &self.path,
            refresh: None,
        }
    }

    /// The logged-in staff member, or 401.
    pub fn staff(&self) -> Result<&Staff, WebError> {
        self.staff.as_ref().ok_or_else(WebError::unauthorized)
    }

    /// The logged-in staff member whose form carried their CSRF token, or 401/403.
    pub fn staff_with_csrf(&self, form_token: Option<&str>) -> Result<&Staff, WebError> {
        let staff = self.staff()?;
        match form_token {
            Some(token) if constant_time_eq(token.as_bytes(), staff.csrf.as_bytes()) => Ok(staff),
            _ => Err(WebError::forbidden(
                "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez.",
            )),
        }
    }

    pub fn html(&self, markup: Markup) -> Response {
        html_response(markup, StatusCode::OK)
    }

    /// An error as a French (or English) HTML page with its status.
    pub fn error_page(&self, error: WebError) -> Response {
        if error.is_unauthorized() && self.reading {
            return see_other(&format!(
                "/connexion?retour={}",
                views::layout::encode(&self.path)
            ));
        }
        let mut markup_error = error;
        if markup_error.is_unauthorized() {
            markup_error
                .message
                .push_str(" Utilisez le lien « Espace enseignants » en haut de la page.");
        }
        let markup = views::staff::error_page(
            &self.frame(),
            markup_error.title_in(self.lang),
            markup_error.message_in(self.lang),
        );
        let mut response = html_response(markup, markup_error.status);
        super::error::add_retry_after(&mut response);
        response
    }

    /// Renders a handler's result, errors as pages.
    pub fn page(&self, result: Result<Response, WebError>) -> Response {
        result.unwrap_or_else(|error| self.error_page(error))
    }
}

pub fn html_response(markup: Markup, status: StatusCode) -> Response {
    let mut response =
        warp::reply::with_status(warp::reply::html(markup.into_string()), status).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A path on this site to go back to, from a form or query value; anything else gives `fallback`.
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example` would
/// leave the site: only printable paths without those pass.
pub fn local_path(value: Option<&String>, fallback: &str) -> String {
    value
        .filter(|path| {
            path.starts_with('/')
                && !path.starts_with("//")
                && !path
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        })
        .cloned()
        .unwrap_or_else(|| fallback.to_owned())
}

/// A 303 redirect after a form post.
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A cookie's value from the request headers (for code that runs before the routes' filters).
pub fn request_cookie(headers: &warp::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Compares secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = warp::http::HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; cartable_session=abc; b=2"),
        );
        assert_eq!(
            request_cookie(&headers, "cartable_session").as_deref(),
            Some("abc")
        );
        assert_eq!(request_cookie(&headers, "c"), None);
    }
}
