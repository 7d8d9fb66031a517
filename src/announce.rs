//! Being found on the school network: the addresses the server answers on, and its mDNS
//! advertisement (`_http._tcp`, `NAME.local`) so phones reach `http://cartable.local:8080`. A
//! network without multicast costs a warning, never the service. Only this module uses mdns-sd.

use std::net::{IpAddr, SocketAddr};

use mdns_sd::{ServiceDaemon, ServiceInfo};

/// Name prefixes of interfaces that are not the school network.
const VIRTUAL_INTERFACES: [&str; 9] = [
    "docker", "br-", "veth", "virbr", "lxc", "tun", "tap", "wg", "zt",
];

/// The URLs people can type: every non-loopback interface address when listening on all of them,
/// else the listening address itself.
pub fn urls(listening: SocketAddr) -> Vec<String> {
    let port = listening.port();
    let mut urls: Vec<String> = addresses(listening)
        .into_iter()
        .map(|ip| url(SocketAddr::new(ip, port)))
        .collect();
    if listening.ip().is_unspecified() || listening.ip().is_loopback() {
        urls.push(format!("http://localhost:{port}/"));
    }
    urls
}

/// The first URL another machine on the network can reach (a phone scanning a QR code): none
/// when listening on loopback only.
pub fn lan_url(listening: SocketAddr) -> Option<String> {
    addresses(listening)
        .into_iter()
        .find(|ip| !ip.is_loopback())
        .map(|ip| url(SocketAddr::new(ip, listening.port())))
}

fn url(address: SocketAddr) -> String {
    format!("http://{address}/")
}

/// The addresses `urls` offers, sorted.
fn addresses(listening: SocketAddr) -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = if listening.ip().is_unspecified() {
        if_addrs::get_if_addrs()
            .map(|interfaces| {
                interfaces
                    .into_iter()
                    // Containers' and VPNs' bridges are not where families' phones are.
                    .filter(|i| !VIRTUAL_INTERFACES.iter().any(|v| i.name.starts_with(v)))
                    .map(|i| i.ip())
                    .filter(|ip| !ip.is_loopback() && (ip.is_ipv4() || listening.is_ipv6()))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![listening.ip()]
    };
    addresses.sort();
    addresses.dedup();
    addresses
}

/// Whether `ip` is one of this machine's addresses (looked up now: a hotspot's interface may
/// come up after the server started).
pub fn is_own_address(ip: IpAddr) -> bool {
    ip.is_loopback()
        || if_addrs::get_if_addrs()
            .map(|interfaces| interfaces.iter().any(|i| i.ip() == ip))
            .unwrap_or(false)
}

/// This machine's address on the network `client` is on (the hotspot's, for a phone that joined
/// it), so a redirect sends the phone to an address it can reach. Without the client's address,
/// or when no interface's network holds it, the first address of the school network.
pub fn address_facing(client: Option<IpAddr>) -> Option<IpAddr> {
    let interfaces = if_addrs::get_if_addrs().ok()?;
    let same_network = |interface: &if_addrs::Interface| match (&interface.addr, client?) {
        (if_addrs::IfAddr::V4(own), IpAddr::V4(client)) => {
            let mask = u32::from(own.netmask);
            (u32::from(own.ip) & mask == u32::from(client) & mask).then_some(IpAddr::V4(own.ip))
        }
        (if_addrs::IfAddr::V6(own), IpAddr::V6(client)) => {
            let mask = u128::from(own.netmask);
            (u128::from(own.ip) & mask == u128::from(client) & mask).then_some(IpAddr::V6(own.ip))
        }
        _ => None,
    };
    interfaces.iter().find_map(same_network).or_else(|| {
        addresses(SocketAddr::from(([0, 0, 0, 0], 0)))
            .into_iter()
            .next()
    })
}

/// A live advertisement; dropping it withdraws it.
pub struct Announcement {
    daemon: ServiceDaemon,
    fullname: String,
}

impl Drop for Announcement {
    fn drop(&mut self) {
        let _ = self.daemon.unregister(&self.fullname);
        let _ = self.daemon.shutdown();
    }
}

/// Why the server cannot be advertised (no multicast on this network, a name mDNS refuses).
#[derive(Debug, thiserror::Error)]
#[error("mDNS advertising unavailable: {0}")]
pub struct AnnounceError(#[from] mdns_sd::Error);

/// Advertises `name.local` on the given port. Fails when multicast is unavailable.
pub fn advertise(name: &str, listening: SocketAddr) -> Result<Announcement, AnnounceError> {
    let daemon = ServiceDaemon::new()?;
    if listening.ip().is_loopback() {
        // Listening on loopback only: advertise there only (tests, a kiosk on the same machine).
        let _ = daemon.disable_interface(mdns_sd::IfKind::All);
        let _ = daemon.enable_interface(mdns_sd::IfKind::LoopbackV4);
    }
    let host = format!("{name}.local.");
    let info = ServiceInfo::new(
        "_http._tcp.local.",
        name,
        &host,
        (),
        listening.port(),
        &[("path", "/")][..],
    )?
    .enable_addr_auto();
    let fullname = info.get_fullname().to_owned();
    daemon.register(info)?;
    Ok(Announcement { daemon, fullname })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_on_loopback_is_faced_by_loopback_and_it_is_ours() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(
            address_facing(Some("127.0.0.9".parse().unwrap())),
            Some(loopback)
        );
        if let Some(ip) = address_facing(None) {
            assert!(!ip.is_loopback(), "{ip}");
        }
        assert!(is_own_address(loopback));
        assert!(!is_own_address("203.0.113.7".parse().unwrap()));
    }

    #[test]
    fn phones_get_a_network_address_never_a_loopback_one() {
        let at = |text: &str| text.parse::<SocketAddr>().unwrap();
        assert_eq!(lan_url(at("127.0.0.1:8080")), None);
        assert_eq!(lan_url(at("[::1]:8080")), None);
        assert_eq!(
            lan_url(at("192.168.1.10:8080")).as_deref(),
            Some("http://192.168.1.10:8080/")
        );
        assert_eq!(
            urls(at("127.0.0.1:8080")),
            vec!["http://127.0.0.1:8080/", "http://localhost:8080/"]
        );
        // On every interface: whichever this machine has, never loopback.
        if let Some(url) = lan_url(at("0.0.0.0:8080")) {
            assert!(
                !url.contains("//127.") && !url.contains("localhost"),
                "{url}"
            );
        }
    }
}
