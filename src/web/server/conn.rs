//! One connection: hyper serving the routes behind admission, a watchdog closing it when it
//! idles with nothing in flight or when the client stops reading, and a graceful close when the
//! server stops.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use warp::filters::BoxedFilter;
use warp::reply::Response;

use crate::config::Capacity;

use super::super::admission::Admission;
use super::bodies::{StallingBody, Tracked};
use super::Peer;

/// What one connection needs.
pub(super) struct Conn {
    pub(super) routes: BoxedFilter<(Response,)>,
    pub(super) admission: Arc<Admission>,
    pub(super) capacity: Capacity,
    pub(super) stopping: watch::Receiver<u8>,
}

impl Conn {
    pub(super) async fn serve(mut self, stream: TcpStream, peer: Peer) {
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
pub(super) struct InFlight(Arc<Activity>);

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
