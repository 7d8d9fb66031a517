//! Admission control, in front of every route: staff (a live session or API token) always get
//! through; family pages and searches, and family downloads, each pass a fair [`gate`] of
//! their own, with a cap of downloads per device. A family beyond capacity gets, fast and in a
//! few hundred bytes, a 503 waiting page (`Retry-After` with jitter, an estimated wait, a
//! refresh without JavaScript) and a signed place in the queue that it keeps when it comes
//! back; under /api, `{"code": "busy", "retry_after": N}`.

mod gate;
mod place;
mod staff;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use warp::http::header::{self, HeaderValue};
use warp::reply::Response;

use crate::config::Capacity;
use crate::service::Library;

use super::per_client::{ClientSlot, PerClient};
use super::server::Peer;
use super::views;

/// Who a request is for, in the order they are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Health, metrics, the stylesheet: tiny and never refused.
    Machine,
    /// A live session or API token.
    Staff,
    /// The login and first-admin forms: password hashing has its own bounded pool.
    Login,
    /// Family pages and searches.
    Page,
    /// Family downloads, zips and printable packs.
    Download,
}

impl Class {
    fn label(self) -> &'static str {
        match self {
            Class::Machine => "machine",
            Class::Staff => "staff",
            Class::Login => "login",
            Class::Page => "family_page",
            Class::Download => "family_download",
        }
    }

    const ALL: [Class; 5] = [
        Class::Machine,
        Class::Staff,
        Class::Login,
        Class::Page,
        Class::Download,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// The class of a request from its path, for a visitor without staff credentials.
pub fn family_class(path: &str) -> Class {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["healthz"] | ["metrics"] | ["assets", ..] | ["favicon.ico"] => Class::Machine,
        ["connexion"] | ["setup", _] => Class::Login,
        ["documents", _, "file" | "open" | "pdf"]
        | ["bundle.zip"]
        | ["panier", "imprimable.pdf"] => Class::Download,
        _ => Class::Page,
    }
}

/// Whether `path` is one of the kiosk screen's pages (`/kiosque`, `/kiosque/...`).
fn kiosk_page(path: &str) -> bool {
    path == "/kiosque" || path.starts_with("/kiosque/")
}

/// Counters for `/metrics` and the admin page.
#[derive(Debug, Default)]
struct Counters {
    admitted: [AtomicU64; 5],
    refused: [AtomicU64; 5],
    in_flight: [AtomicUsize; 5],
    /// Total time admitted family requests waited for their turn, in microseconds.
    waited_micros: AtomicU64,
    connections_refused: AtomicU64,
}

/// What `/metrics` and the admin page say about the crowd.
#[derive(Debug, Clone, Default)]
pub struct Load {
    /// (class label, in flight, admitted, refused)
    pub classes: Vec<(&'static str, usize, u64, u64)>,
    pub waiting: usize,
    pub waited_seconds: f64,
    pub connections_refused: u64,
    pub connection_limit: usize,
}

impl Load {
    /// Family requests being answered and waiting, in a sentence for the admin page.
    pub fn families(&self) -> (usize, usize) {
        let served = self
            .classes
            .iter()
            .filter(|(label, ..)| label.starts_with("family"))
            .map(|(_, in_flight, ..)| in_flight)
            .sum();
        (served, self.waiting)
    }

    /// Family requests shown the waiting page since start-up.
    pub fn families_refused(&self) -> u64 {
        self.classes
            .iter()
            .filter(|(label, ..)| label.starts_with("family"))
            .map(|(.., refused)| refused)
            .sum()
    }
}

#[derive(Debug)]
pub struct Admission {
    enabled: bool,
    pages: Arc<gate::Gate>,
    downloads: Arc<gate::Gate>,
    queue_wait: Duration,
    client_downloads: Arc<PerClient>,
    places: place::Places,
    staff: staff::StaffCheck,
    counters: Counters,
    connection_limit: AtomicUsize,
}

/// Held while a request is answered (and its body sent): its turn in the gate, its download
/// slot, its in-flight count.
#[derive(Debug)]
pub struct Pass {
    admission: Arc<Admission>,
    class: Class,
    _permit: Option<gate::Permit>,
    _client_download: Option<ClientSlot>,
}

impl Drop for Pass {
    fn drop(&mut self) {
        self.admission.counters.in_flight[self.class.index()].fetch_sub(1, Ordering::Relaxed);
    }
}

impl Admission {
    pub fn new(library: Library, capacity: &Capacity) -> Arc<Admission> {
        Arc::new(Admission {
            enabled: capacity.admission,
            pages: gate::Gate::new(capacity.family_requests, capacity.max_waiting),
            downloads: gate::Gate::new(capacity.family_downloads, capacity.max_waiting),
            queue_wait: capacity.queue_wait,
            client_downloads: PerClient::new(capacity.downloads_per_client),
            places: place::Places::new(),
            staff: staff::StaffCheck::new(library.clone()),
            counters: Counters::default(),
            connection_limit: AtomicUsize::new(capacity.max_connections),
        })
    }

    pub(super) fn set_connection_limit(&self, limit: usize) {
        self.connection_limit.store(limit, Ordering::Relaxed);
    }

    pub(super) fn connection_refused(&self) {
        self.counters
            .connections_refused
            .fetch_add(1, Ordering::Relaxed);
    }

    /// Lets the request through (the pass is held until its answer is sent), or answers with
    /// the waiting page.
    pub async fn admit<B>(
        self: &Arc<Admission>,
        request: &warp::http::Request<B>,
        peer: &Peer,
    ) -> Result<Pass, Response> {
        let path = request.uri().path();
        let mut class = family_class(path);
        if class != Class::Machine && self.staff.is_staff(request.headers()).await {
            class = Class::Staff;
        }
        // The kiosk screen is where families are sent when the Wi-Fi is full: its own pages,
        // asked by this machine's browser, are served like staff's, never refused.
        if class == Class::Page && kiosk_page(path) && super::server::is_kiosk(Some(peer.addr)) {
            class = Class::Staff;
        }
        let api = path.starts_with("/api/");
        let get = request.method() == warp::http::Method::GET;
        if !self.enabled {
            return Ok(self.pass(class, None, None));
        }
        if peer.crowded && !matches!(class, Class::Staff | Class::Machine) {
            // Connections are nearly exhausted: the last ones are kept for staff.
            return Err(self.refuse(class, request, api, get, 0, true));
        }
        let gate = match class {
            Class::Page => &self.pages,
            Class::Download => &self.downloads,
            Class::Machine | Class::Staff | Class::Login => {
                return Ok(self.pass(class, None, None));
            }
        };
        let kept_place = self.places.kept_place(request.headers());
        let client_download = if class == Class::Download {
            let slot = self.client_downloads.take(peer.addr.ip(), || true);
            if slot.is_none() {
                let place = kept_place.unwrap_or(0);
                return Err(self.refuse(class, request, api, get, place, false));
            }
            slot
        } else {
            None
        };
        let place = kept_place.unwrap_or_else(|| self.places.next());
        let started = Instant::now();
        match gate.enter(place, self.queue_wait).await {
            Ok(permit) => {
                self.counters
                    .waited_micros
                    .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
                Ok(self.pass(class, Some(permit), client_download))
            }
            Err(_) => Err(self.refuse(class, request, api, get, place, false)),
        }
    }

    fn pass(
        self: &Arc<Admission>,
        class: Class,
        permit: Option<gate::Permit>,
        client_download: Option<ClientSlot>,
    ) -> Pass {
        self.counters.admitted[class.index()].fetch_add(1, Ordering::Relaxed);
        self.counters.in_flight[class.index()].fetch_add(1, Ordering::Relaxed);
        Pass {
            admission: Arc::clone(self),
            class,
            _permit: permit,
            _client_download: client_download,
        }
    }

    /// The waiting page (or JSON), keeping the family's place for when it comes back.
    fn refuse<B>(
        &self,
        class: Class,
        request: &warp::http::Request<B>,
        api: bool,
        get: bool,
        place: u64,
        close: bool,
    ) -> Response {
        self.counters.refused[class.index()].fetch_add(1, Ordering::Relaxed);
        let gate = if class == Class::Download {
            &self.downloads
        } else {
            &self.pages
        };
        let wait = gate.estimated_wait();
        // Jitter spreads the returns, so a crowd told "10 s" does not come back in one wave.
        let retry_after = wait + place::jitter(wait / 2 + 1);
        let lang = super::lang::Lang::from_cookies(request.headers());
        let mut response = super::error::busy(api, retry_after, || {
            views::waiting::page(lang, retry_after, get)
        });
        let headers = response.headers_mut();
        headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        if place > 0 {
            if let Ok(cookie) = HeaderValue::from_str(&self.places.cookie(place)) {
                headers.insert(header::SET_COOKIE, cookie);
            }
        }
        if close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }

    /// Requests by class, for `/metrics` and the admin page.
    pub fn load(&self) -> Load {
        let classes = Class::ALL
            .iter()
            .map(|class| {
                let i = class.index();
                (
                    class.label(),
                    self.counters.in_flight[i].load(Ordering::Relaxed),
                    self.counters.admitted[i].load(Ordering::Relaxed),
                    self.counters.refused[i].load(Ordering::Relaxed),
                )
            })
            .collect();
        Load {
            classes,
            waiting: self.pages.load().1 + self.downloads.load().1,
            waited_seconds: self.counters.waited_micros.load(Ordering::Relaxed) as f64 / 1e6,
            connections_refused: self.counters.connections_refused.load(Ordering::Relaxed),
            connection_limit: self.connection_limit.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_in_the_classes_families_see() {
        assert_eq!(family_class("/healthz"), Class::Machine);
        assert_eq!(family_class("/assets/abc/style.css"), Class::Machine);
        assert_eq!(family_class("/connexion"), Class::Login);
        assert_eq!(family_class("/documents/abc/file"), Class::Download);
        assert_eq!(family_class("/documents/abc/open"), Class::Download);
        assert_eq!(family_class("/documents/abc/pdf"), Class::Download);
        assert_eq!(family_class("/documents/abc/lire"), Class::Page);
        assert_eq!(family_class("/bundle.zip"), Class::Download);
        assert_eq!(family_class("/panier/imprimable.pdf"), Class::Download);
        assert_eq!(family_class("/documents/abc"), Class::Page);
        assert_eq!(family_class("/recherche"), Class::Page);
        assert_eq!(family_class("/api/search"), Class::Page);
        assert_eq!(family_class("/"), Class::Page);
    }
}
