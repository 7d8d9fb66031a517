//! The connection loop: accepts TCP connections and serves HTTP/1.1 on them with hyper, with the
//! limits a crowded Wi-Fi needs. Connections are capped per address and in all, below the
//! open-file limit, the last eighth kept for staff. Headers must arrive in time. Idle keep-alive
//! connections are closed, and so are clients that stop reading their answer. SIGTERM drains
//! for a bounded time. warp's own server has none of these, so the routes run here as a hyper
//! service, behind [`Admission`].

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::body::{Frame, Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use warp::filters::BoxedFilter;
use warp::reply::Response;

use crate::config::Capacity;

use super::admission::{Admission, Pass};

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
        per_client: Mutex::new(HashMap::new()),
        open: AtomicUsize::new(0),
        max: max_connections,
        per_client_max: capacity.connections_per_client,
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
    per_client: Mutex<HashMap<IpAddr, usize>>,
    open: AtomicUsize,
    max: usize,
    per_client_max: usize,
    closed: tokio::sync::Notify,
}

impl Connections {
    fn open(self: &Arc<Connections>, ip: IpAddr) -> Option<ConnectionSlot> {
        let mut per_client = self.per_client.lock().unwrap_or_else(|p| p.into_inner());
        let open = self.open.load(Ordering::Relaxed);
        let mine = per_client.entry(ip).or_default();
        if open >= self.max || *mine >= self.per_client_max {
            if *mine == 0 {
                per_client.remove(&ip);
            }
            return None;
        }
        *mine += 1;
        self.open.fetch_add(1, Ordering::Relaxed);
        Some(ConnectionSlot {
            connections: Arc::clone(self),
            ip,
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
    ip: IpAddr,
    crowded: bool,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut per_client = self
            .connections
            .per_client
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(mine) = per_client.get_mut(&self.ip) {
            *mine -= 1;
            if *mine == 0 {
                per_client.remove(&self.ip);
            }
        }
        drop(per_client);
        self.connections.open.fetch_sub(1, Ordering::Relaxed);
        self.connections.closed.notify_waiters();
    }
}

/// What one connection needs.
struct Conn {
    routes: BoxedFilter<(Response,)>,
    admission: Arc<Admission>,
    capacity: Capacity,
    stopping: watch::Receiver<u8>,
}

impl Conn {
    async fn serve(mut self, stream: TcpStream, peer: Peer) {
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Watched {
            inner: stream,
            activity: Arc::clone(&activity),
        });
        let routes = self.routes.clone();
        let admission = Arc::clone(&self.admission);
        let body_stall = self.capacity.body_stall;
        let service_activity = Arc::clone(&activity);
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let routes = routes.clone();
            let admission = Arc::clone(&admission);
            let in_flight = InFlight::begin(&service_activity);
            async move {
                let mut request = request.map(|body| StallingBody::new(body, body_stall));
                request.extensions_mut().insert(peer);
                let response = match admission.admit(&request, &peer).await {
                    Ok(pass) => {
                        let mut service = warp::service(routes);
                        let response = tower_call(&mut service, request).await;
                        (response, Some(pass))
                    }
                    Err(waiting) => (waiting, None),
                };
                let (response, pass) = response;
                Ok::<_, std::convert::Infallible>(response.map(|body| Tracked {
                    inner: body,
                    _pass: pass,
                    _in_flight: in_flight,
                }))
            }
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.capacity.header_timeout)
            .keep_alive(true);
        let connection = http.serve_connection(io, service);
        let mut connection = std::pin::pin!(connection);
        let mut watchdog = tokio::time::interval(Duration::from_millis(500));
        watchdog.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut draining = false;
        loop {
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = watchdog.tick() => {
                    if activity.should_close(&self.capacity) {
                        return;
                    }
                }
                changed = self.stopping.changed() => {
                    let stage = if changed.is_ok() { *self.stopping.borrow() } else { 2 };
                    if stage >= 2 {
                        return;
                    }
                    if !draining {
                        draining = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
        }
    }
}

async fn tower_call<S, R>(service: &mut S, request: R) -> Response
where
    S: tower_service::Service<R, Response = Response, Error = std::convert::Infallible>,
{
    match service.call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// What a connection did last, for the watchdog.
struct Activity {
    epoch: Instant,
    /// Milliseconds since `epoch` of the last byte read or written.
    last_io: AtomicU64,
    /// Milliseconds since `epoch` (plus one) when a write started waiting for the client; 0 when
    /// no write waits.
    write_blocked_since: AtomicU64,
    requests_in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            epoch: Instant::now(),
            last_io: AtomicU64::new(0),
            write_blocked_since: AtomicU64::new(0),
            requests_in_flight: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn touched(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
    }

    /// Idle with nothing in flight, or a client that has not read for too long.
    fn should_close(&self, capacity: &Capacity) -> bool {
        let now = self.now();
        let blocked = self.write_blocked_since.load(Ordering::Relaxed);
        if blocked > 0 && now.saturating_sub(blocked - 1) > capacity.write_stall.as_millis() as u64
        {
            return true;
        }
        self.requests_in_flight.load(Ordering::Relaxed) == 0
            && now.saturating_sub(self.last_io.load(Ordering::Relaxed))
                > capacity.idle_timeout.as_millis() as u64
    }
}

/// A request counted in flight on its connection until its answer is sent or dropped.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: &Arc<Activity>) -> InFlight {
        activity.requests_in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(Arc::clone(activity))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touched();
        self.0.requests_in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The socket, noting each read and write and how long writes have waited for the client.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    fn wrote<T>(&self, poll: Poll<std::io::Result<T>>) -> Poll<std::io::Result<T>> {
        match &poll {
            Poll::Pending => {
                let since = self.activity.now() + 1;
                let _ = self.activity.write_blocked_since.compare_exchange(
                    0,
                    since,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            Poll::Ready(_) => {
                self.activity
                    .write_blocked_since
                    .store(0, Ordering::Relaxed);
                self.activity.touched();
            }
        }
        poll
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touched();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.wrote(poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.wrote(poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.wrote(poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request body that fails when the client sends nothing for `stall`: a form trickled in, or
/// an upload whose sender went away without closing, would otherwise hold its job forever.
pub struct StallingBody {
    inner: Incoming,
    stall: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl StallingBody {
    fn new(inner: Incoming, stall: Duration) -> StallingBody {
        StallingBody {
            inner,
            stall,
            timer: None,
        }
    }
}

impl http_body::Body for StallingBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                self.timer = None;
                Poll::Ready(frame.map(|f| f.map_err(BoxError::from)))
            }
            Poll::Pending => {
                let stall = self.stall;
                let timer = self
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
                match std::future::Future::poll(timer.as_mut(), cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(BoxError::from(
                        "the client stopped sending its request",
                    )))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// An answer's body, holding its admission pass and its in-flight mark until it is sent or
/// dropped (a download streams long after its handler returned).
struct Tracked<B> {
    inner: B,
    _pass: Option<Pass>,
    _in_flight: InFlight,
}

impl<B> http_body::Body for Tracked<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
