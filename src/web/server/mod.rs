//! The connection loop: accepts TCP connections and serves HTTP/1.1 on them with hyper, with the
//! limits a crowded Wi-Fi needs. Connections are capped per address and in all, below the
//! open-file limit, the last eighth kept for staff. Headers must arrive in time. Idle keep-alive
//! connections are closed, and so are clients that stop reading their answer. SIGTERM drains
//! for a bounded time. warp's own server has none of these, so the routes run here as a hyper
//! service, behind [`Admission`].

mod bodies;
mod conn;

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use warp::filters::BoxedFilter;
use warp::reply::Response;

use crate::config::Capacity;

use super::admission::Admission;
use super::per_client::{ClientSlot, PerClient};
use conn::Conn;

/// File descriptors kept free for what is not a connection: the catalog, the index's files,
/// the files being sent, extraction children's pipes.
const RESERVED_FILES: u64 = 256;

/// The client of a request, put on every request (warp keeps its own private to its server).
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    pub addr: SocketAddr,
    /// Accepted while connections were nearly exhausted: only staff requests are served on it.
    pub crowded: bool,
}

/// The client's address of a request served here (`None` for one made another way, in tests).
pub fn remote(
) -> impl warp::Filter<Extract = (Option<SocketAddr>,), Error = std::convert::Infallible> + Clone {
    use warp::Filter;
    warp::ext::optional::<Peer>().map(|peer: Option<Peer>| peer.map(|p| p.addr))
}

/// Whether a request comes from the kiosk screen (the browser on this machine, which opens
/// `http://127.0.0.1/`): a shared screen that may copy to the machine's sticks and is not
/// capped like one family's phone. Other loopback addresses are not it, so tests can stand for
/// phones from 127.0.0.2 and beyond.
pub fn is_kiosk(remote: Option<SocketAddr>) -> bool {
    remote.is_some_and(|r| match r.ip() {
        IpAddr::V4(ip) => ip == std::net::Ipv4Addr::LOCALHOST,
        IpAddr::V6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped() == Some(std::net::Ipv4Addr::LOCALHOST)
        }
    })
}

/// Raises the open-file soft limit to the hard limit (systemd starts services at 1,024, which a
/// rush of phones exceeds) and returns the soft limit now in force.
pub fn raise_open_file_limit() -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    if let Some(hard) = limit.maximum {
        if limit.current.is_some_and(|soft| soft < hard) {
            let raised = Rlimit {
                current: Some(hard),
                maximum: Some(hard),
            };
            if setrlimit(Resource::Nofile, raised).is_ok() {
                return hard;
            }
        }
    }
    limit.current.unwrap_or(u64::MAX)
}

/// Serves `routes` on `listener` until `shutdown` resolves, then gives requests in flight
/// `capacity.drain` to finish and drops the rest.
pub async fn run(
    listener: TcpListener,
    routes: BoxedFilter<(Response,)>,
    admission: Arc<Admission>,
    capacity: Capacity,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let open_files = raise_open_file_limit();
    let max_connections = (capacity.max_connections as u64)
        .min(open_files.saturating_sub(RESERVED_FILES))
        .max(16) as usize;
    let connections = Arc::new(Connections {
        per_client: PerClient::new(capacity.connections_per_client),
        open: AtomicUsize::new(0),
        max: max_connections,
        closed: tokio::sync::Notify::new(),
    });
    admission.set_connection_limit(max_connections);
    // 0: serving; 1: finish what is in flight and close; 2: close now.
    let (stop, stopping) = watch::channel(0u8);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, addr) = match accepted {
            Ok(pair) => pair,
            Err(error) => {
                // Out of file descriptors or a connection reset before it was taken: wait a
                // little rather than spin, the other connections keep being served.
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Some(slot) = connections.open(addr.ip()) else {
            admission.connection_refused();
            tokio::spawn(refuse(stream));
            continue;
        };
        let peer = Peer {
            addr,
            crowded: slot.crowded,
        };
        let conn = Conn {
            routes: routes.clone(),
            admission: Arc::clone(&admission),
            capacity,
            stopping: stopping.clone(),
        };
        tokio::spawn(async move {
            conn.serve(stream, peer).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(1);
    let drained = tokio::time::timeout(capacity.drain, connections.all_closed()).await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.open.load(Ordering::Relaxed),
            "connections still open after the drain: closing them"
        );
        let _ = stop.send(2);
        let _ = tokio::time::timeout(Duration::from_secs(1), connections.all_closed()).await;
    }
}

/// A connection refused before any request is read: a few bytes saying to come back, then closed.
async fn refuse(mut stream: TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 41\r\nConnection: close\r\n\r\nTrop de monde : revenez dans un moment.\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
}

/// Open connections, in all and per address.
struct Connections {
    per_client: Arc<PerClient>,
    open: AtomicUsize,
    max: usize,
    closed: tokio::sync::Notify,
}

impl Connections {
    fn open(self: &Arc<Connections>, ip: IpAddr) -> Option<ConnectionSlot> {
        let mut open = 0;
        let slot = self.per_client.take(ip, || {
            open = self.open.fetch_add(1, Ordering::Relaxed);
            if open >= self.max {
                self.open.fetch_sub(1, Ordering::Relaxed);
                return false;
            }
            true
        })?;
        Some(ConnectionSlot {
            connections: Arc::clone(self),
            _slot: slot,
            crowded: open >= self.max - self.max / 8,
        })
    }

    async fn all_closed(&self) {
        loop {
            let notified = self.closed.notified();
            if self.open.load(Ordering::Relaxed) == 0 {
                return;
            }
            notified.await;
        }
    }
}

struct ConnectionSlot {
    connections: Arc<Connections>,
    _slot: ClientSlot,
    crowded: bool,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.connections.open.fetch_sub(1, Ordering::Relaxed);
        self.connections.closed.notify_waiters();
    }
}
