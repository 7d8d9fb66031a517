//! The kiosk's home: the three choices, how busy the server is and what to do when the Wi-Fi
//! is full, and how a phone joins: the Wi-Fi's QR code and password (on the kiosk itself only),
//! the site's QR code and its addresses in large letters.

use std::net::SocketAddr;

use warp::reply::Response;

use crate::model::{School, WifiSecurity};
use crate::service::QrModules;

use super::super::admission::Load;
use super::super::views::kiosk::{self as view, Crowd, Reload, Site, Wifi};
use super::Visit;

/// `/kiosque`: the three choices, the crowd, the Wi-Fi and the site for phones.
pub async fn home(visit: Visit) -> Response {
    let drives = visit.drives().await;
    let on_kiosk = visit.on_kiosk();
    let (mut site, url) = visit.site();
    site.qr = url.as_deref().and_then(QrModules::of);
    let load = visit.ctx.state.admission.load();
    let home = view::Home {
        wifi: on_kiosk.then(|| wifi(&visit.ctx.school)).flatten(),
        on_kiosk,
        site,
        busy: busy(&load, visit.settings().family_requests),
        drives: &drives,
    };
    visit.html(view::home(&visit.frame(Reload::Idle, &drives), &home))
}

/// The school Wi-Fi as the kiosk shows it; `None` until the admin names it.
fn wifi(school: &School) -> Option<Wifi<'_>> {
    let text = school.wifi_qr_text()?;
    let open = school.wifi_security == WifiSecurity::None || school.wifi_password.is_empty();
    Some(Wifi {
        name: school.wifi_name.trim(),
        password: (!open).then_some(school.wifi_password.as_str()),
        qr: QrModules::of(&text),
    })
}

/// Where phones find the site, in letters (`cartable.local:8080`, `192.168.1.10:8080`; port 80
/// left out), and the URL its QR code holds — the IP address, which every phone resolves, else
/// the `.local` name. Nothing when the server listens on loopback only: no phone reaches that.
pub fn site(
    listening: SocketAddr,
    mdns_name: Option<&str>,
    lan: Option<&str>,
) -> (Site, Option<String>) {
    if listening.ip().is_loopback() {
        return (Site::default(), None);
    }
    let port = listening.port();
    let local = mdns_name.map(|name| match port {
        80 => format!("{name}.local"),
        _ => format!("{name}.local:{port}"),
    });
    let ip = lan
        .map(|url| {
            let host = url.trim_start_matches("http://").trim_end_matches('/');
            host.strip_suffix(":80").unwrap_or(host).to_owned()
        })
        .filter(|host| !host.is_empty());
    let url = ip
        .as_ref()
        .or(local.as_ref())
        .map(|host| format!("http://{host}/"));
    (
        Site {
            local,
            ip,
            qr: None,
        },
        url,
    )
}

/// How busy family traffic is now: full when families wait for their turn or fill every place,
/// busy from half of them.
fn busy(load: &Load, family_requests: usize) -> Crowd {
    let (served, waiting) = load.families();
    if waiting > 0 || served >= family_requests.max(1) {
        Crowd::Full
    } else if served * 2 >= family_requests.max(2) {
        Crowd::Busy
    } else {
        Crowd::Calm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_shown_the_lan_address_and_the_local_name_never_loopback() {
        let all: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let (site, url) = site(all, Some("cartable"), Some("http://192.168.1.10:8080/"));
        assert_eq!(site.local.as_deref(), Some("cartable.local:8080"));
        assert_eq!(site.ip.as_deref(), Some("192.168.1.10:8080"));
        assert_eq!(url.as_deref(), Some("http://192.168.1.10:8080/"));

        let port_80: SocketAddr = "0.0.0.0:80".parse().unwrap();
        let (site, url) = super::site(port_80, Some("cdi"), Some("http://10.42.0.1:80/"));
        assert_eq!(site.local.as_deref(), Some("cdi.local"));
        assert_eq!(site.ip.as_deref(), Some("10.42.0.1"));
        assert_eq!(url.as_deref(), Some("http://10.42.0.1/"));

        let (site, url) = super::site(all, Some("cartable"), None);
        assert_eq!(site.ip, None);
        assert_eq!(url.as_deref(), Some("http://cartable.local:8080/"));

        let loopback: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let (site, url) = super::site(loopback, Some("cartable"), None);
        assert!(site.local.is_none() && site.ip.is_none() && url.is_none());
    }

    #[test]
    fn busy_follows_the_families_served_and_waiting() {
        let load = |served: usize, waiting: usize| Load {
            classes: vec![("family_page", served, 0, 0)],
            waiting,
            ..Load::default()
        };
        assert_eq!(busy(&load(0, 0), 32), Crowd::Calm);
        assert_eq!(busy(&load(15, 0), 32), Crowd::Calm);
        assert_eq!(busy(&load(16, 0), 32), Crowd::Busy);
        assert_eq!(busy(&load(32, 0), 32), Crowd::Full);
        assert_eq!(busy(&load(1, 3), 32), Crowd::Full);
    }
}
