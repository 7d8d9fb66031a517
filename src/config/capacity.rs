//! The settings that decide how a small machine holds a rush: how many family requests and
//! downloads are served at once, connections per address and in all, and how long slow clients
//! are waited for (README, "Capacité").

use super::{Error, Layer};

/// What the server takes at once, and how long it waits for slow clients: the settings that
/// decide how a small machine holds a rush (README, "Capacité").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Off: every request is served as it comes (only to measure what admission control does).
    pub admission: bool,
    pub family_requests: usize,
    pub family_downloads: usize,
    pub downloads_per_client: usize,
    pub max_connections: usize,
    pub connections_per_client: usize,
    /// How long a family request may wait for its turn before getting the waiting page.
    pub queue_wait: std::time::Duration,
    /// Family requests waiting for a turn at most; more get the waiting page at once.
    pub max_waiting: usize,
    /// A request's headers must arrive within this time (slow-header clients are cut off).
    pub header_timeout: std::time::Duration,
    /// A connection with no request in flight and nothing read or written is closed after this.
    pub idle_timeout: std::time::Duration,
    /// A client that reads nothing of its answer for this long is dropped (its download, zip or
    /// page is abandoned and what it held is freed).
    pub write_stall: std::time::Duration,
    /// A request body that sends nothing for this long is abandoned.
    pub body_stall: std::time::Duration,
    /// On SIGTERM, requests in flight get this long to finish.
    pub drain: std::time::Duration,
}

impl Capacity {
    /// Sized for a Raspberry Pi 4 with 2 GB on the school Wi-Fi (README, "Capacité").
    pub const DEFAULT: Capacity = Capacity {
        admission: true,
        family_requests: 32,
        family_downloads: 16,
        downloads_per_client: 4,
        max_connections: 2048,
        connections_per_client: 32,
        queue_wait: std::time::Duration::from_millis(1500),
        max_waiting: 512,
        header_timeout: std::time::Duration::from_secs(10),
        idle_timeout: std::time::Duration::from_secs(15),
        write_stall: std::time::Duration::from_secs(15),
        body_stall: std::time::Duration::from_secs(30),
        drain: std::time::Duration::from_secs(10),
    };
}

impl Default for Capacity {
    fn default() -> Capacity {
        Capacity::DEFAULT
    }
}

impl Capacity {
    /// The capacity settings of the merged layers, each checked against its range.
    pub(super) fn from_layer(merged: &Layer) -> Result<Capacity, Error> {
        let limit = |key: &str, value: Option<u64>, range: std::ops::RangeInclusive<u64>| {
            let value = value.unwrap_or_default();
            if range.contains(&value) {
                Ok(value as usize)
            } else {
                Err(Error::Invalid {
                    key: key.to_owned(),
                    message: format!("entre {} et {}", range.start(), range.end()),
                })
            }
        };
        Ok(Capacity {
            admission: merged.admission.unwrap_or(true),
            family_requests: limit("family_requests", merged.family_requests, 1..=4096)?,
            family_downloads: limit("family_downloads", merged.family_downloads, 1..=4096)?,
            downloads_per_client: limit(
                "downloads_per_client",
                merged.downloads_per_client,
                1..=4096,
            )?,
            max_connections: limit("max_connections", merged.max_connections, 16..=100_000)?,
            connections_per_client: limit(
                "connections_per_client",
                merged.connections_per_client,
                1..=10_000,
            )?,
            ..Capacity::DEFAULT
        })
    }
}
