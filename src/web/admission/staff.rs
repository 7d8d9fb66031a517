//! Who is staff, for admission: a request carrying a session cookie or an API token is asked
//! of the catalog once, and the answer remembered briefly, so a crowd of made-up cookies costs
//! one look each per interval and real staff never wait behind families.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use warp::http::header;

use crate::service::Library;

use super::super::context::{request_cookie, SESSION_COOKIE};

#[derive(Debug)]
pub struct StaffCheck {
    library: Library,
    cache: StaffCache,
}

impl StaffCheck {
    pub fn new(library: Library) -> StaffCheck {
        StaffCheck {
            library,
            cache: StaffCache::default(),
        }
    }

    /// Whether the request carries a live staff session or API token; remembered briefly, so
    /// a crowd of made-up cookies costs the catalog one look each per interval.
    pub async fn is_staff(&self, headers: &warp::http::HeaderMap) -> bool {
        let session = request_cookie(headers, SESSION_COOKIE);
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let (session, bearer) = match (session, bearer) {
            (None, None) => return false,
            pair => pair,
        };
        let key = format!(
            "{}|{}",
            session.as_deref().unwrap_or(""),
            bearer.as_deref().unwrap_or("")
        );
        if let Some(known) = self.cache.get(&key) {
            return known;
        }
        let live = self
            .library
            .blocking(move |core| {
                core.accounts()
                    .is_staff(session.as_deref(), bearer.as_deref())
            })
            .await
            .unwrap_or(false);
        self.cache.put(key, live);
        live
    }
}

/// Recent answers to "is this a staff credential?".
#[derive(Debug, Default)]
struct StaffCache(Mutex<HashMap<String, (bool, Instant)>>);

/// How long an answer is trusted: a logged-out session stays "staff" for admission (only for
/// admission: every page checks the session itself) at most this long.
const STAFF_CACHE_FOR: Duration = Duration::from_secs(10);
const STAFF_CACHE_ENTRIES: usize = 4096;

impl StaffCache {
    fn get(&self, key: &str) -> Option<bool> {
        let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(key)
            .filter(|(_, at)| at.elapsed() < STAFF_CACHE_FOR)
            .map(|(live, _)| *live)
    }

    fn put(&self, key: String, live: bool) {
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= STAFF_CACHE_ENTRIES {
            cache.retain(|_, (_, at)| at.elapsed() < STAFF_CACHE_FOR);
            if cache.len() >= STAFF_CACHE_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(key, (live, Instant::now()));
    }
}
