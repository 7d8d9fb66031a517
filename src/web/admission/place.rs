//! Places in the queue: numbered in order of arrival, handed to a family that is told to come
//! back (a cookie, signed so nobody can write themselves an earlier place), honoured for a few
//! minutes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use warp::http::header::HeaderMap;

pub const PLACE_COOKIE: &str = "cartable_place";
/// How long a place is kept: longer than any Retry-After, short enough that an old place does
/// not jump tomorrow's queue.
const KEPT_FOR: Duration = Duration::from_secs(300);

#[derive(Debug)]
pub struct Places {
    next: AtomicU64,
    secret: [u8; 32],
}

impl Places {
    pub fn new() -> Places {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source is unavailable");
        Places {
            next: AtomicU64::new(1),
            secret,
        }
    }

    /// The place of a newcomer: after everyone before.
    pub fn next(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// `Set-Cookie` keeping `place`.
    pub fn cookie(&self, place: u64) -> String {
        let issued = unix_now();
        format!(
            "{PLACE_COOKIE}={place}.{issued}.{}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
            self.mac(place, issued),
            KEPT_FOR.as_secs()
        )
    }

    /// The place a returning family kept, if its cookie is genuine and recent.
    pub fn kept_place(&self, headers: &HeaderMap) -> Option<u64> {
        let value = super::super::context::request_cookie(headers, PLACE_COOKIE)?;
        self.verify(&value)
    }

    fn verify(&self, value: &str) -> Option<u64> {
        let mut parts = value.split('.');
        let place: u64 = parts.next()?.parse().ok()?;
        let issued: u64 = parts.next()?.parse().ok()?;
        let mac = parts.next()?;
        let fresh = unix_now().saturating_sub(issued) <= KEPT_FOR.as_secs();
        let genuine = super::super::context::constant_time_eq(
            mac.as_bytes(),
            self.mac(place, issued).as_bytes(),
        );
        (fresh && genuine && place < self.next.load(Ordering::Relaxed)).then_some(place)
    }

    fn mac(&self, place: u64, issued: u64) -> String {
        let digest = Sha256::new()
            .chain_update(self.secret)
            .chain_update(place.to_le_bytes())
            .chain_update(issued.to_le_bytes())
            .finalize();
        digest[..12].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A random number of seconds in `0..=max`.
pub fn jitter(max: u64) -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return 0;
    }
    u64::from_le_bytes(bytes) % (max + 1)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_place_is_read_back_and_a_forged_one_is_not() {
        let places = Places::new();
        let place = places.next();
        let _ = places.next();
        let cookie = places.cookie(place);
        let value = cookie
            .split(';')
            .next()
            .unwrap()
            .strip_prefix("cartable_place=")
            .unwrap();
        assert_eq!(places.verify(value), Some(place));
        let forged = value.replacen(&place.to_string(), "0", 1);
        assert_eq!(places.verify(&forged), None);
        assert_eq!(Places::new().verify(value), None);
    }
}
