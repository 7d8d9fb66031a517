//! Prometheus metrics kept in atomics: requests by route and status, requests in flight, search
//! latency, bytes of documents served. Routes are labelled by their pattern, never by the raw path,
//! so the number of series stays small.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the search latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    in_flight: AtomicI64,
    search_buckets: [AtomicU64; BUCKETS.len()],
    search_count: AtomicU64,
    search_micros: AtomicU64,
    bytes_served: AtomicU64,
}

impl Metrics {
    pub fn started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    pub fn finished(&self, path: &str, status: u16) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *requests.entry((route_label(path), status)).or_default() += 1;
    }

    /// Requests being answered now.
    pub fn in_flight(&self) -> i64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    pub fn search(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bucket, bound) in self.search_buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.search_count.fetch_add(1, Ordering::Relaxed);
        self.search_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn served(&self, bytes: u64) {
        self.bytes_served.fetch_add(bytes, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, documents: usize) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        out.push_str("# HELP cartable_http_requests_total HTTP requests by route and status.\n# TYPE cartable_http_requests_total counter\n");
        for ((route, status), count) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "cartable_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }
        let _ = writeln!(out, "# HELP cartable_http_requests_in_flight Requests being answered.\n# TYPE cartable_http_requests_in_flight gauge\ncartable_http_requests_in_flight {}", self.in_flight.load(Ordering::Relaxed));
        out.push_str("# HELP cartable_search_seconds Search latency.\n# TYPE cartable_search_seconds histogram\n");
        for (bucket, bound) in self.search_buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "cartable_search_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.search_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "cartable_search_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "cartable_search_seconds_sum {}",
            self.search_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "cartable_search_seconds_count {count}");
        let _ = writeln!(out, "# HELP cartable_bytes_served_total Bytes of documents sent.\n# TYPE cartable_bytes_served_total counter\ncartable_bytes_served_total {}", self.bytes_served.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP cartable_documents Documents in the catalog the asker may see (public ones without a staff session or token).\n# TYPE cartable_documents gauge\ncartable_documents {documents}");
        out
    }
}

/// The admission control's figures: requests in flight, admitted and refused by class, family
/// requests waiting for their turn, the time they waited, connections refused.
pub fn render_load(load: &super::admission::Load) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str("# HELP cartable_requests_in_flight Requests being answered, by class.\n# TYPE cartable_requests_in_flight gauge\n");
    for (class, in_flight, _, _) in &load.classes {
        let _ = writeln!(
            out,
            "cartable_requests_in_flight{{class=\"{class}\"}} {in_flight}"
        );
    }
    out.push_str("# HELP cartable_requests_admitted_total Requests let in, by class.\n# TYPE cartable_requests_admitted_total counter\n");
    for (class, _, admitted, _) in &load.classes {
        let _ = writeln!(
            out,
            "cartable_requests_admitted_total{{class=\"{class}\"}} {admitted}"
        );
    }
    out.push_str("# HELP cartable_requests_refused_total Requests answered with the waiting page (503), by class.\n# TYPE cartable_requests_refused_total counter\n");
    for (class, _, _, refused) in &load.classes {
        let _ = writeln!(
            out,
            "cartable_requests_refused_total{{class=\"{class}\"}} {refused}"
        );
    }
    let _ = writeln!(out, "# HELP cartable_requests_waiting Family requests waiting for their turn.\n# TYPE cartable_requests_waiting gauge\ncartable_requests_waiting {}", load.waiting);
    let _ = writeln!(out, "# HELP cartable_queue_wait_seconds_total Time admitted family requests waited for their turn.\n# TYPE cartable_queue_wait_seconds_total counter\ncartable_queue_wait_seconds_total {}", load.waited_seconds);
    let _ = writeln!(out, "# HELP cartable_connections_refused_total Connections closed at once because too many were open.\n# TYPE cartable_connections_refused_total counter\ncartable_connections_refused_total {}", load.connections_refused);
    let _ = writeln!(out, "# HELP cartable_connections_max Connections served at once at most.\n# TYPE cartable_connections_max gauge\ncartable_connections_max {}", load.connection_limit);
    out
}

/// The route pattern a path belongs to.
fn route_label(path: &str) -> &'static str {
    const FIXED: [(&str, &str); 12] = [
        ("/panier", "/panier"),
        ("/bundle.zip", "/bundle.zip"),
        ("/", "/"),
        ("/recherche", "/recherche"),
        ("/connexion", "/connexion"),
        ("/deconnexion", "/deconnexion"),
        ("/api/search", "/api/search"),
        ("/api/documents", "/api/documents"),
        ("/healthz", "/healthz"),
        ("/metrics", "/metrics"),
        ("/staff/upload", "/staff/upload"),
        ("/staff/documents", "/staff/documents"),
    ];
    if let Some((_, label)) = FIXED.iter().find(|(p, _)| *p == path) {
        return label;
    }
    const PREFIXES: [(&str, &str); 11] = [
        ("/documents/", "/documents/{id}"),
        ("/classes/", "/classes/{class}"),
        ("/staff/cahier", "/staff/cahier"),
        ("/staff/jetons", "/staff/jetons"),
        ("/niveaux/", "/niveaux/{level}"),
        ("/assets/", "/assets"),
        ("/staff/documents/", "/staff/documents/{id}"),
        ("/staff/admin", "/staff/admin"),
        ("/setup/", "/setup"),
        ("/langue/", "/langue"),
        ("/api/", "/api/other"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, label)| *label)
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_labelled_by_pattern() {
        assert_eq!(route_label("/documents/abcd2345/file"), "/documents/{id}");
        assert_eq!(route_label("/nimportequoi"), "other");
        assert_eq!(route_label("/classes/2nde-b"), "/classes/{class}");
        let metrics = Metrics::default();
        metrics.started();
        metrics.finished("/documents/x", 200);
        metrics.search(Duration::from_millis(3));
        let text = metrics.render(7);
        assert!(text
            .contains("cartable_http_requests_total{route=\"/documents/{id}\",status=\"200\"} 1"));
        assert!(text.contains("cartable_search_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("cartable_search_seconds_bucket{le=\"0.0025\"} 0"));
        assert!(text.contains("cartable_documents 7"));
    }
}
