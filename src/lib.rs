//! # cartable — architecture map
//!
//! A lycée's resource point in one static binary: staff add documents, families find them with
//! a French search that forgives missing accents, plurals and typos, and take them home.
//!
//! ## Bird's-eye view
//! A document is a file stored once by its SHA-256 plus a catalog row (SQLite) with its metadata
//! and extracted text. The search index (tantivy) is derived from the catalog and can always be
//! rebuilt. Text is extracted in a child process of this binary, so a hostile file costs one
//! failed extraction, never the process that serves families.
//!
//! ## Code map (layers, no upward imports)
//! ```text
//! main -> cli -> (config, announce, serve) -> web -> service -> store | index | extract | bundle | convert | hub -> model
//! ```
//! - [`model`]: the vocabulary (documents, ids, levels, subjects, formats); no I/O.
//! - [`store`]: the data folder — catalog (only module speaking SQL) and content-addressed files.
//! - [`index`]: French analysis, ranking, typo tolerance, snippets (only module importing tantivy).
//! - [`extract`]: format detection from content, text extraction per format, and the headings,
//!   paragraphs and lists of the reading view ("Lire" on a phone); `extract::archive` lists and
//!   screens zips under hard bounds, in-process, without decompressing (sniffing, zip packs).
//! - [`hub`]: an S3-compatible object store shared by a publisher and kiosks (`cartable publish`,
//!   `cartable sync`): content-addressed objects and one ed25519-signed catalog (only module
//!   importing object_store and ed25519-dalek).
//! - [`sandbox`]: child processes — this binary's, reading untrusted files (extraction, printable
//!   packs; rlimits set by the child), and outside programs (LibreOffice, the print command):
//!   wall clock, process group killed as a whole, output capped; LibreOffice also under rlimits,
//!   set by `cartable confine` before it becomes `soffice`.
//! - [`service`]: the operations (add, replace, edit, remove, list, search, import, check,
//!   print requests, printable packs and the short addresses on their covers) that coordinate
//!   the adapters; `Core` is blocking, `Library` its async face for the web.
//! - [`web`]: HTTP (warp routes served by hyper on our own connection loop): pages (maud views),
//!   staff sessions and forms, the kiosk screen (`/kiosque`), the JSON API, downloads with
//!   Range/ETag, metrics. Handlers parse, call one service method, render. In front of every
//!   route, admission control: staff first, families through fair gates or a 503 waiting page;
//!   connections capped and timed out.
//! - [`config`]: defaults < TOML file < environment < flags, validated once.
//! - [`announce`]: the URLs to print and the mDNS advertisement.
//! - [`bundle`]: documents leaving the school — a zip streamed to a phone, a folder for a USB
//!   stick (FAT-safe names, free space checked, every file read back) — each with an offline
//!   `index.html` that lists and searches them; and the printable pack (`bundle::pack`), the one
//!   place besides `extract` that parses PDFs (lopdf, to merge them), always inside the
//!   `cartable pack` child.
//! - [`convert`]: Word, OpenDocument and slide files to PDF with LibreOffice when installed (for
//!   printable packs and reading on a phone), each converted once and kept by content hash.
//! - [`control`]: commands run beside the server, handed to it over `DATA/control.sock`.
//! - [`cli`]: one module per command; `serve` starts [`serve`], as the tests do. Its help is
//!   French, or English for an English locale, from one table of texts (`cli::help`).
//!
//! ## Invariants
//! - A file is staged in `tmp/`, hashed, flushed and renamed into `files/` before the catalog
//!   refers to it; catalog row and text change in one transaction; the index follows. A crash
//!   leaves the old state or the new one; start-up and `check --repair` reconcile the rest.
//! - A document's id never changes, even when its file is replaced.
//! - No user input panics: queries are analysed, never parsed as a query language.

// A user's input or a disk's state must never panic the server: errors are types. Tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod announce;
pub mod bundle;
pub mod cli;
pub mod config;
pub mod control;
pub mod convert;
pub mod extract;
pub mod hub;
pub mod index;
pub mod model;
pub mod sandbox;
pub mod service;
pub mod store;
pub mod web;

use std::future::Future;

use config::Config;
use service::Library;

/// Serves the resource point on `listener` until `shutdown` resolves, then lets requests in
/// flight finish (for `config.capacity.drain` at most). Tests start it exactly like `cartable serve` does, on a listener bound to
/// `127.0.0.1:0`. `setup_token` is the one-time first-admin link, when no admin exists.
pub async fn serve(
    config: &Config,
    library: Library,
    listener: tokio::net::TcpListener,
    setup_token: Option<String>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Every page shows the school settings: load them once now, never on a request's thread.
    let name = config.school_name.clone();
    library.blocking(move |core| core.school(&name)).await?;
    let state = web::AppState::new(
        library,
        web::ServerSettings {
            capacity: config.capacity,
            default_school_name: config.school_name.clone(),
            max_upload_bytes: config.max_upload_bytes,
            setup_token,
            print_command: config
                .print_command
                .as_deref()
                .and_then(service::PrintCommand::parse),
            lan_site: listener.local_addr().ok().and_then(announce::lan_url),
            hotspot: config.hotspot.then(|| {
                web::Hotspot::new(
                    listener.local_addr().unwrap_or(config.listen),
                    config.mdns_name.as_deref(),
                    announce::is_own_address,
                    announce::address_facing,
                )
            }),
            kiosk: web::KioskSettings {
                idle: config.kiosk.idle,
                mdns_name: config.mdns_name.clone(),
                listening: listener.local_addr().unwrap_or(config.listen),
                lan_url: announce::lan_url,
                family_requests: config.capacity.family_requests,
            },
        },
    );
    let activity = std::sync::Arc::clone(&state);
    let _control = control::listen(
        &config.data_dir,
        state.library.clone(),
        state.lan_site.clone(),
        move || activity.metrics.in_flight(),
    );
    let library = state.library.clone();
    let saver = tokio::spawn(save_download_counts_regularly(library.clone()));
    web::serve(state, listener, config.capacity, shutdown).await;
    saver.abort();
    library.blocking(|core| core.save_download_counts()).await?;
    Ok(())
}

/// How often download counts kept in memory are written to the catalog.
const SAVE_COUNTS_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

async fn save_download_counts_regularly(library: Library) {
    let mut ticks = tokio::time::interval(SAVE_COUNTS_EVERY);
    loop {
        ticks.tick().await;
        if let Err(error) = library.blocking(|core| core.save_download_counts()).await {
            tracing::warn!(%error, "cannot save download counts");
        }
    }
}
