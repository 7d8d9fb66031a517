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
    let mut urls: Vec<String> = addresses
        .into_iter()
        .map(|ip| format!("http://{}/", SocketAddr::new(ip, port)))
        .collect();
    if listening.ip().is_unspecified() || listening.ip().is_loopback() {
        urls.push(format!("http://localhost:{port}/"));
    }
    urls
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

/// Advertises `name.local` on the given port. Returns the reason when multicast is unavailable.
pub fn advertise(name: &str, listening: SocketAddr) -> Result<Announcement, String> {
    let daemon = ServiceDaemon::new().map_err(|e| e.to_string())?;
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
    )
    .map_err(|e| e.to_string())?
    .enable_addr_auto();
    let fullname = info.get_fullname().to_owned();
    daemon.register(info).map_err(|e| e.to_string())?;
    Ok(Announcement { daemon, fullname })
}
