//! Hotspot mode (`hotspot = true`): when the machine is the Wi-Fi hotspot itself, a phone that
//! joins should open the home page by itself. Phones probe a known URL to learn whether they are
//! online; answering those probes, and any request for a foreign Host (the hotspot's DNS sends
//! every name here), with a redirect to this server makes them show it as a captive portal. Off,
//! this filter never matches: probe paths are 404 and foreign Hosts are served as usual.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use warp::filters::path::FullPath;
use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::AppState;

/// The paths phones and browsers fetch to detect a captive portal. Answering them with their
/// expected bodies would tell the phone it is online and no portal would open: they get the
/// redirect instead.
const PROBES: [&str; 14] = [
    // Android, ChromeOS
    "/generate_204",
    "/gen_204",
    "/mobile/status.php",
    // Apple
    "/hotspot-detect.html",
    "/library/test/success.html",
    // Windows
    "/connecttest.txt",
    "/ncsi.txt",
    "/redirect",
    // Firefox
    "/canonical.html",
    "/success.txt",
    // Ubuntu and GNOME (NetworkManager), KDE
    "/check_network_status.txt",
    "/nm",
    // Kindle
    "/kindle-wifi/wifistub.html",
    "/kindle-wifi/wifiredirect.html",
];

/// What hotspot mode needs to know about the machine; the network lookups are given by the
/// caller (they belong to `announce`), so this module stays pure HTTP.
#[derive(Debug, Clone)]
pub struct Hotspot {
    /// Where the server listens: a specific address is the only one phones can be sent to.
    listening: SocketAddr,
    /// `NAME.local`, lowercase, when advertised.
    local_name: Option<String>,
    /// Whether an address is one of this machine's.
    is_own: fn(IpAddr) -> bool,
    /// This machine's address on a client's network (any network one when it is unknown).
    facing: fn(Option<IpAddr>) -> Option<IpAddr>,
}

impl Hotspot {
    pub fn new(
        listening: SocketAddr,
        mdns_name: Option<&str>,
        is_own: fn(IpAddr) -> bool,
        facing: fn(Option<IpAddr>) -> Option<IpAddr>,
    ) -> Hotspot {
        Hotspot {
            listening,
            local_name: mdns_name.map(|name| format!("{}.local", name.to_ascii_lowercase())),
            is_own,
            facing,
        }
    }

    /// Where to send this request, or `None` to serve it as usual.
    fn redirect(
        &self,
        host: Option<&str>,
        path: &str,
        client: Option<SocketAddr>,
    ) -> Option<String> {
        let foreign = host.is_some_and(|host| !self.is_own_host(host));
        (foreign || PROBES.contains(&path)).then(|| self.home(client))
    }

    fn is_own_host(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        if name == "localhost" || self.local_name.as_deref() == Some(name) {
            return true;
        }
        name.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(self.is_own)
    }

    /// The home page at an address the client can reach: the one the server listens on when it
    /// is specific, else the machine's address on the client's network, else `NAME.local`.
    fn home(&self, client: Option<SocketAddr>) -> String {
        let port = match self.listening.port() {
            80 => String::new(),
            port => format!(":{port}"),
        };
        let facing = if self.listening.ip().is_unspecified() {
            (self.facing)(client.map(|c| c.ip()))
        } else {
            Some(self.listening.ip())
        };
        match (facing, &self.local_name) {
            (Some(IpAddr::V6(ip)), _) => format!("http://[{ip}]{port}/"),
            (Some(ip), _) => format!("http://{ip}{port}/"),
            (None, Some(name)) => format!("http://{name}{port}/"),
            (None, None) => format!("http://localhost{port}/"),
        }
    }
}

/// The host part of a `Host` header (`[::1]:8080`, `example.org:80`, `example.org`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split_once(']')
            .map_or(host, |(ip, _)| &host[..ip.len() + 1]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Matches probes and foreign Hosts when hotspot mode is on; rejects everything otherwise, so
/// the rest of the URL map answers.
pub fn routes(state: Arc<AppState>) -> BoxedFilter<(Response,)> {
    warp::header::optional::<String>("host")
        .and(warp::path::full())
        .and(super::server::remote())
        .and_then(
            move |host: Option<String>, path: FullPath, client: Option<SocketAddr>| {
                let location = state
                    .hotspot
                    .as_ref()
                    .and_then(|hotspot| hotspot.redirect(host.as_deref(), path.as_str(), client));
                async move { location.map(found).ok_or_else(warp::reject::not_found) }
            },
        )
        .boxed()
}

/// A 302 that no cache keeps: the same probe must reach us again on the next join.
fn found(location: String) -> Response {
    let link = maud::html! {
        a href=(location) { "Point ressources" }
    };
    let mut response = warp::reply::html(link.into_string()).into_response();
    *response.status_mut() = StatusCode::FOUND;
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hotspot(port: u16) -> Hotspot {
        Hotspot::new(
            SocketAddr::from(([0, 0, 0, 0], port)),
            Some("Cartable"),
            |ip| ip == IpAddr::from([10, 42, 0, 1]) || ip.is_loopback(),
            |client| match client {
                Some(IpAddr::V4(v4)) if v4.octets()[..3] == [10, 42, 0] => {
                    Some([10, 42, 0, 1].into())
                }
                _ => None,
            },
        )
    }

    #[test]
    fn own_hosts_are_its_addresses_its_local_name_and_localhost() {
        let hotspot = hotspot(80);
        for host in [
            "10.42.0.1",
            "10.42.0.1:80",
            "cartable.local",
            "CARTABLE.local.",
            "localhost:8080",
            "[::1]:80",
        ] {
            assert!(hotspot.is_own_host(host), "{host}");
        }
        for host in [
            "connectivitycheck.gstatic.com",
            "captive.apple.com:80",
            "8.8.8.8",
            "cartable.local.example.org",
        ] {
            assert!(!hotspot.is_own_host(host), "{host}");
        }
    }

    #[test]
    fn phones_are_sent_to_the_address_on_their_network_without_port_80() {
        let phone: SocketAddr = "10.42.0.57:51000".parse().unwrap();
        assert_eq!(
            hotspot(80).redirect(
                Some("captive.apple.com"),
                "/hotspot-detect.html",
                Some(phone)
            ),
            Some("http://10.42.0.1/".to_owned())
        );
        assert_eq!(
            hotspot(8080).redirect(Some("10.42.0.1:8080"), "/generate_204", Some(phone)),
            Some("http://10.42.0.1:8080/".to_owned())
        );
        let elsewhere: SocketAddr = "192.0.2.4:4000".parse().unwrap();
        assert_eq!(
            hotspot(80).redirect(Some("example.org"), "/", Some(elsewhere)),
            Some("http://cartable.local/".to_owned())
        );
        assert_eq!(
            hotspot(80).redirect(Some("10.42.0.1"), "/recherche", Some(phone)),
            None
        );
        assert_eq!(hotspot(80).redirect(None, "/", Some(phone)), None);
        // Listening on one address: that is the only one to send phones to.
        let one = Hotspot::new("10.42.0.1:8080".parse().unwrap(), None, |_| false, |_| None);
        assert_eq!(
            one.redirect(Some("example.org"), "/", None),
            Some("http://10.42.0.1:8080/".to_owned())
        );
    }
}
