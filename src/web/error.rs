//! The one place where errors become HTTP: a status code, then a French page for people or
//! `{"code", "message"}` JSON under /api. Internal details go to the log, never to the page.

use warp::http::StatusCode;
use warp::reply::{Reply, Response};

use crate::service;

#[derive(Debug, Clone)]
pub struct WebError {
    pub status: StatusCode,
    /// Stable machine-readable code for the API.
    pub code: &'static str,
    /// What to tell the person, in French.
    pub message: String,
    /// The same in English, for the few errors that have it (a full disk); the French
    /// otherwise.
    pub english: Option<String>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            message: message.into(),
            english: None,
        }
    }

    /// The message in the page's language.
    pub fn message_in(&self, lang: super::lang::Lang) -> &str {
        match (lang, &self.english) {
            (super::lang::Lang::En, Some(english)) => english,
            _ => &self.message,
        }
    }

    /// The title of the error page in the page's language, where it has an English one.
    pub fn title_in(&self, lang: super::lang::Lang) -> &'static str {
        match self.status {
            StatusCode::INSUFFICIENT_STORAGE => lang.t("Disque plein", "Disk full"),
            _ => self.title(),
        }
    }

    pub fn not_found() -> WebError {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Cette page n'existe pas (ou plus).",
        )
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, "invalid_input", message)
    }

    pub fn unauthorized() -> WebError {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Connectez-vous pour accéder à cette page.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// Who is asking is unknown, said with why (a missing or unknown API token).
    pub fn unauthenticated(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// An address that names nothing, said with what it is (under /api).
    pub fn not_found_because(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn too_large(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }

    pub fn unsupported_type(message: impl Into<String>) -> WebError {
        WebError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_type",
            message,
        )
    }

    /// The server's own fault, with a message a person can act on (details go to the log).
    pub fn internal(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The status of a form shown again with what was wrong in it (400), or shown as asked (200).
    pub fn form_status(problem: bool) -> StatusCode {
        if problem {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }

    /// Whether this error asks the visitor to log in.
    pub fn is_unauthorized(&self) -> bool {
        self.status == StatusCode::UNAUTHORIZED
    }

    /// The status of the login form shown again after a refused login.
    pub fn login_refused_status() -> StatusCode {
        StatusCode::UNAUTHORIZED
    }

    /// The French title of the error page.
    pub fn title(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "Page introuvable",
            StatusCode::UNAUTHORIZED => "Connexion nécessaire",
            StatusCode::FORBIDDEN => "Accès refusé",
            StatusCode::PAYLOAD_TOO_LARGE => "Fichier trop volumineux",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Type de fichier non accepté",
            StatusCode::CONFLICT => "Déjà présent",
            StatusCode::INSUFFICIENT_STORAGE => "Disque plein",
            s if s.is_server_error() => "Erreur du serveur",
            _ => "Demande incorrecte",
        }
    }

    pub fn json(&self) -> Response {
        let body = serde_json::json!({ "code": self.code, "message": self.message });
        let mut response =
            warp::reply::with_status(warp::reply::json(&body), self.status).into_response();
        add_retry_after(&mut response);
        response
    }
}

impl From<service::Error> for WebError {
    fn from(error: service::Error) -> WebError {
        use service::Error as E;
        let message = error.to_string();
        match error {
            // A document, a print request: what the address named is gone either way.
            E::NotFound => WebError::not_found(),
            E::Unauthorized(_) => WebError::new(StatusCode::UNAUTHORIZED, "unauthorized", message),
            E::Forbidden(_) => WebError::new(StatusCode::FORBIDDEN, "forbidden", message),
            E::InvalidInput(_) => WebError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                capitalise(&message),
            ),
            E::TooLarge { .. } => WebError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                capitalise(&message),
            ),
            E::UnsupportedType(_) => WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_type",
                capitalise(&message),
            ),
            E::Conflict(_) => WebError::new(StatusCode::CONFLICT, "conflict", capitalise(&message)),
            E::Busy(_) => WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                capitalise(&message),
            ),
            // 507: the server cannot store what it was sent, through no fault of the request.
            E::NoRoom(no_room) => WebError {
                english: Some(no_room.english()),
                ..WebError::new(
                    StatusCode::INSUFFICIENT_STORAGE,
                    match no_room {
                        service::NoRoom::Reserve { .. } => "disk_reserve",
                        service::NoRoom::Full => "disk_full",
                    },
                    format!("{}.", capitalise(&message)),
                )
            },
            E::Internal(source) => {
                tracing::error!(error = %source, "internal error");
                WebError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Une erreur est survenue sur le serveur. Réessayez dans un moment.",
                )
            }
        }
    }
}

/// What a family request beyond capacity gets (see `admission`): 503, as
/// `{"code": "busy", "message", "retry_after"}` under /api, else the waiting `page`. The caller
/// adds `Retry-After` (with its jitter) and the place cookie.
pub fn busy(api: bool, retry_after: u64, page: impl FnOnce() -> maud::Markup) -> Response {
    if api {
        let body = serde_json::json!({
            "code": "busy",
            "message": "Le serveur est très demandé : réessayez dans quelques secondes.",
            "retry_after": retry_after,
        });
        warp::reply::with_status(warp::reply::json(&body), StatusCode::SERVICE_UNAVAILABLE)
            .into_response()
    } else {
        super::context::html_response(page(), StatusCode::SERVICE_UNAVAILABLE)
    }
}

/// Seconds a client told "busy" should wait before trying again.
const BUSY_RETRY_SECONDS: u32 = 5;

/// A 503 says when to come back.
pub fn add_retry_after(response: &mut Response) {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            warp::http::header::RETRY_AFTER,
            warp::http::HeaderValue::from(BUSY_RETRY_SECONDS),
        );
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
