//! The bodies that travel through a connection: a request body that gives up when the client
//! stops sending, and an answer body that holds the request's admission pass and in-flight mark
//! until it is sent.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Frame, Incoming};

use super::super::admission::Pass;
use super::conn::InFlight;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request body that fails when the client sends nothing for `stall`: a form trickled in, or
/// an upload whose sender went away without closing, would otherwise hold its job forever.
pub struct StallingBody {
    inner: Incoming,
    stall: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl StallingBody {
    pub(super) fn new(inner: Incoming, stall: Duration) -> StallingBody {
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
pub(super) struct Tracked<B> {
    pub(super) inner: B,
    pub(super) _pass: Option<Pass>,
    pub(super) _in_flight: InFlight,
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
