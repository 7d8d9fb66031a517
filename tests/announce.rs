//! The mDNS advertisement, restricted to loopback so the test touches no real network.

use std::time::{Duration, Instant};

use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent};

#[test]
fn the_server_is_advertised_under_its_name() {
    let listening: std::net::SocketAddr = "127.0.0.1:18765".parse().unwrap();
    let name = format!("cartable-test-{}", std::process::id());
    let _announcement =
        cartable::announce::advertise(&name, listening).expect("advertising on loopback works");
    let browser = ServiceDaemon::new().unwrap();
    browser.disable_interface(IfKind::All).unwrap();
    browser.enable_interface(IfKind::LoopbackV4).unwrap();
    let events = browser.browse("_http._tcp.local.").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut found = None;
    while Instant::now() < deadline && found.is_none() {
        if let Ok(ServiceEvent::ServiceResolved(info)) =
            events.recv_timeout(Duration::from_millis(200))
        {
            if info.get_fullname().starts_with(&name) {
                found = Some((info.get_port(), info.get_hostname().to_owned()));
            }
        }
    }
    let _ = browser.shutdown();
    assert_eq!(found, Some((18765, format!("{name}.local."))));
}
