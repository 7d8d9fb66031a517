//! A count per client address with a cap: connections each address holds, downloads each phone
//! has running. A slot is taken under one lock and given back when dropped; addresses whose
//! count falls to zero are forgotten, so the map holds only clients with something open.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct PerClient {
    counts: Mutex<HashMap<IpAddr, usize>>,
    max: usize,
}

/// One of an address's slots, given back when dropped.
#[derive(Debug)]
pub struct ClientSlot {
    owner: Arc<PerClient>,
    ip: IpAddr,
}

impl PerClient {
    pub fn new(max: usize) -> Arc<PerClient> {
        Arc::new(PerClient {
            counts: Mutex::new(HashMap::new()),
            max,
        })
    }

    /// A slot for `ip`, unless it already holds `max` (or `allowed` says no, checked under the
    /// same lock, for a limit shared by all addresses).
    pub fn take(
        self: &Arc<PerClient>,
        ip: IpAddr,
        allowed: impl FnOnce() -> bool,
    ) -> Option<ClientSlot> {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mine = counts.get(&ip).copied().unwrap_or(0);
        if mine >= self.max || !allowed() {
            return None;
        }
        counts.insert(ip, mine + 1);
        Some(ClientSlot {
            owner: Arc::clone(self),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut counts = self.owner.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = counts.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_gets_it_back() {
        let counts = PerClient::new(2);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let a = counts.take(ip, || true).unwrap();
        let _b = counts.take(ip, || true).unwrap();
        assert!(counts.take(ip, || true).is_none());
        assert!(counts.take("10.0.0.2".parse().unwrap(), || false).is_none());
        drop(a);
        assert!(counts.take(ip, || true).is_some());
    }
}
