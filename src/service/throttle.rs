//! The login throttle. An attempt is counted *before* its password is checked, under one lock,
//! so forty attempts sent at once cannot slip past the count. Two counts apply: per address and
//! login (5 in 10 minutes), and per account from every address (20 in 10 minutes). The per-account
//! count does not apply to a device that logged in to that account before (it holds a signed
//! cookie), so a stranger failing on purpose cannot lock a colleague out of their usual browser.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub const THROTTLED: &str = "Trop de tentatives : réessayez dans quelques minutes.";
/// Attempts tolerated per address and login within the window.
const PER_CLIENT: usize = 5;
/// Attempts tolerated per account from devices it never logged in from, within the window.
const PER_ACCOUNT: usize = 20;
const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Keys remembered at most (a flood of made-up logins must not grow memory without bound).
const MAX_TRACKED: usize = 10_000;

#[derive(Debug)]
pub struct Throttle {
    attempts: Mutex<HashMap<String, Vec<Instant>>>,
    /// Signs the cookies of devices that logged in (new at each start: after a restart, devices
    /// are trusted again from their next login).
    secret: [u8; 32],
}

/// An attempt let through and counted; [`Attempt::succeeded`] takes it back.
#[derive(Debug)]
pub struct Attempt {
    throttle: Arc<Throttle>,
    keys: Vec<String>,
    at: Instant,
}

impl Throttle {
    pub fn new() -> Arc<Throttle> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system's random source is unavailable");
        Arc::new(Throttle {
            attempts: Mutex::new(HashMap::new()),
            secret,
        })
    }

    /// Counts an attempt of `login` from `client`, or refuses it when a count is reached.
    /// `device` is the cookie a browser got at an earlier successful login, if any.
    pub fn attempt(
        self: &Arc<Throttle>,
        login: &str,
        client: &str,
        device: Option<&str>,
    ) -> Option<Attempt> {
        let login = login.trim().to_lowercase();
        let trusted =
            device.is_some_and(|d| same(d.as_bytes(), self.device_token(&login).as_bytes()));
        let mut keys = vec![format!("{client}/{login}")];
        if !trusted {
            keys.push(format!("*/{login}"));
        }
        let now = Instant::now();
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if attempts.len() >= MAX_TRACKED {
            attempts.retain(|_, times| times.iter().any(|at| at.elapsed() < WINDOW));
        }
        for (key, limit) in keys.iter().zip([PER_CLIENT, PER_ACCOUNT]) {
            let recent = attempts.get_mut(key).map_or(0, |times| {
                times.retain(|at| at.elapsed() < WINDOW);
                times.len()
            });
            if recent >= limit {
                return None;
            }
        }
        if attempts.len() >= MAX_TRACKED {
            // Full of recent keys: keep counting those already tracked, refuse new ones (they
            // would otherwise go uncounted).
            if keys.iter().any(|k| !attempts.contains_key(k)) {
                return None;
            }
        }
        for key in &keys {
            attempts.entry(key.clone()).or_default().push(now);
        }
        Some(Attempt {
            throttle: Arc::clone(self),
            keys,
            at: now,
        })
    }

    /// The cookie value proving a device logged in to `login` before.
    pub fn device_token(&self, login: &str) -> String {
        let digest = Sha256::new()
            .chain_update(self.secret)
            .chain_update(login.trim().to_lowercase().as_bytes())
            .finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl Attempt {
    /// The password was right: this attempt no longer counts, nor do earlier failures of this
    /// address on this login.
    pub fn succeeded(self) {
        let mut attempts = self
            .throttle
            .attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(first) = self.keys.first() {
            attempts.remove(first);
        }
        self.uncount(&mut attempts, 1);
    }

    /// The attempt could not be made (the server was busy): it does not count.
    pub fn withdrawn(self) {
        let mut attempts = self
            .throttle
            .attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        self.uncount(&mut attempts, 0);
    }

    /// Takes this attempt out of the counts of its keys, from the `skip`-th on.
    fn uncount(&self, attempts: &mut HashMap<String, Vec<Instant>>, skip: usize) {
        for key in self.keys.iter().skip(skip) {
            if let Some(times) = attempts.get_mut(key) {
                if let Some(position) = times.iter().position(|at| *at == self.at) {
                    times.remove(position);
                }
            }
        }
    }
}

/// Compares secrets in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_attempts_are_counted_before_any_is_checked() {
        let throttle = Throttle::new();
        let let_through = (0..40)
            .filter_map(|_| throttle.attempt("m.dupont", "10.0.0.1", None))
            .count();
        assert_eq!(let_through, PER_CLIENT);
    }

    #[test]
    fn many_addresses_share_one_account_count_but_a_known_device_still_gets_in() {
        let throttle = Throttle::new();
        let from_everywhere = (0..100)
            .filter_map(|n| throttle.attempt("m.dupont", &format!("10.0.1.{n}"), None))
            .count();
        assert_eq!(from_everywhere, PER_ACCOUNT);
        assert!(throttle.attempt("m.dupont", "10.0.2.1", None).is_none());
        let device = throttle.device_token("M.Dupont");
        assert!(throttle
            .attempt("m.dupont", "10.0.2.1", Some(&device))
            .is_some());
        assert!(throttle
            .attempt("m.dupont", "10.0.2.1", Some("forged"))
            .is_none());
    }

    #[test]
    fn a_success_clears_the_address_and_a_withdrawn_attempt_does_not_count() {
        let throttle = Throttle::new();
        for _ in 0..PER_CLIENT - 1 {
            throttle.attempt("admin", "10.0.0.9", None).unwrap();
        }
        throttle
            .attempt("admin", "10.0.0.9", None)
            .unwrap()
            .succeeded();
        for _ in 0..PER_CLIENT {
            throttle
                .attempt("admin", "10.0.0.9", None)
                .unwrap()
                .withdrawn();
        }
        assert!(throttle.attempt("admin", "10.0.0.9", None).is_some());
    }
}
