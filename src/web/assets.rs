//! The stylesheet (and any future script) embedded in the binary, served under a URL that holds
//! its content hash so browsers may cache it for a year; a new version gets a new URL.

use std::sync::LazyLock;

use bytes::Bytes;
use rust_embed::RustEmbed;
use warp::http::{header, Response, StatusCode};

#[derive(RustEmbed)]
#[folder = "assets/"]
#[include = "*.css"]
#[include = "*.js"]
struct Assets;

/// `/assets/<hash>/style.css`, computed once.
static STYLE_URL: LazyLock<String> = LazyLock::new(|| url("style.css"));

pub fn style_url() -> &'static str {
    &STYLE_URL
}

/// `/assets/<hash>/kiosk.js`: the kiosk pages' one script (their CSP allows it, no other page's).
static KIOSK_SCRIPT_URL: LazyLock<String> = LazyLock::new(|| url("kiosk.js"));

pub fn kiosk_script_url() -> &'static str {
    &KIOSK_SCRIPT_URL
}

fn url(name: &str) -> String {
    let hash = Assets::get(name)
        .map(|file| short_hash(&file.metadata.sha256_hash()))
        .unwrap_or_default();
    format!("/assets/{hash}/{name}")
}

fn short_hash(hash: &[u8; 32]) -> String {
    hash[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Serves an embedded asset; the hash in the URL must be the current one.
pub fn serve(hash: &str, name: &str) -> Option<Response<Bytes>> {
    let file = Assets::get(name)?;
    let current = short_hash(&file.metadata.sha256_hash());
    if current != hash {
        return None;
    }
    let content_type = if name.ends_with(".css") {
        "text/css; charset=utf-8"
    } else {
        "text/javascript; charset=utf-8"
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .header(header::ETAG, format!("\"{current}\""))
        .body(Bytes::from(file.data.into_owned()))
        .ok()
}
