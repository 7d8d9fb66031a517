//! A fair gate: at most `capacity` requests of one class inside at once. The others wait in
//! the order of their place in the queue (an earlier place first, so a family that was told to
//! come back keeps its place ahead of newcomers), for a bounded time.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

#[derive(Debug)]
pub struct Gate {
    capacity: usize,
    max_waiting: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    inside: usize,
    /// By (place, arrival): the smallest is let in first.
    waiting: BTreeMap<(u64, u64), oneshot::Sender<()>>,
    arrivals: u64,
    /// Mean time a request stays inside, in milliseconds (moving average), for the estimate.
    mean_stay_ms: f64,
}

/// Why a request was not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many already wait.
    QueueFull,
    /// Its turn did not come within the wait.
    TimedOut,
}

/// Inside the gate until dropped.
#[derive(Debug)]
pub struct Permit {
    gate: Arc<Gate>,
    since: Instant,
}

impl Gate {
    pub fn new(capacity: usize, max_waiting: usize) -> Arc<Gate> {
        Arc::new(Gate {
            capacity: capacity.max(1),
            max_waiting,
            state: Mutex::new(State {
                mean_stay_ms: 200.0,
                ..State::default()
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lets the request in now, or after those with an earlier `place`, within `wait`.
    pub async fn enter(self: &Arc<Gate>, place: u64, wait: Duration) -> Result<Permit, Refusal> {
        let (key, mut turn) = {
            let mut state = self.state();
            let ahead = state
                .waiting
                .keys()
                .next()
                .is_some_and(|first| first.0 < place);
            if state.inside < self.capacity && !ahead {
                state.inside += 1;
                return Ok(self.permit());
            }
            if state.waiting.len() >= self.max_waiting {
                return Err(Refusal::QueueFull);
            }
            state.arrivals += 1;
            let key = (place, state.arrivals);
            let (sender, receiver) = oneshot::channel();
            state.waiting.insert(key, sender);
            (key, receiver)
        };
        let granted = tokio::time::timeout(wait, &mut turn).await;
        if let Ok(Ok(())) = granted {
            return Ok(self.permit());
        }
        // Out of time (or the gate was dropped): leave the queue, unless the turn came just now.
        let mut state = self.state();
        if state.waiting.remove(&key).is_none() && turn.try_recv().is_ok() {
            drop(state);
            return Ok(self.permit());
        }
        Err(Refusal::TimedOut)
    }

    fn permit(self: &Arc<Gate>) -> Permit {
        Permit {
            gate: Arc::clone(self),
            since: Instant::now(),
        }
    }

    /// Requests inside and waiting.
    pub fn load(&self) -> (usize, usize) {
        let state = self.state();
        (state.inside, state.waiting.len())
    }

    /// Seconds until a newcomer is likely let in: those waiting, served `capacity` at a time.
    pub fn estimated_wait(&self) -> u64 {
        let state = self.state();
        let rounds = (state.waiting.len() + 1) as f64 / self.capacity as f64;
        ((rounds * state.mean_stay_ms / 1000.0).ceil() as u64).clamp(2, 120)
    }

    fn leave(&self, stayed: Duration) {
        let mut state = self.state();
        state.mean_stay_ms = state.mean_stay_ms * 0.9 + stayed.as_secs_f64() * 1000.0 * 0.1;
        // Hand the place to the first waiter still there; one that gave up is skipped.
        while let Some((_, sender)) = state.waiting.pop_first() {
            if sender.send(()).is_ok() {
                return;
            }
        }
        state.inside -= 1;
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.gate.leave(self.since.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_earlier_place_is_let_in_before_a_newcomer() {
        let gate = Gate::new(1, 10);
        let inside = gate.enter(10, Duration::ZERO).await.unwrap();
        let late = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.enter(20, Duration::from_secs(5)).await }
        });
        let early = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.enter(5, Duration::from_secs(5)).await }
        });
        while gate.load().1 < 2 {
            tokio::task::yield_now().await;
        }
        drop(inside);
        let early = early.await.unwrap().unwrap();
        assert!(!late.is_finished() || late.await.unwrap().is_err());
        drop(early);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_a_wait_ends_in_time() {
        let gate = Gate::new(1, 1);
        let _inside = gate.enter(1, Duration::ZERO).await.unwrap();
        let waiting = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.enter(2, Duration::from_millis(50)).await }
        });
        while gate.load().1 < 1 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            gate.enter(3, Duration::from_secs(5)).await.unwrap_err(),
            Refusal::QueueFull
        );
        assert_eq!(waiting.await.unwrap().unwrap_err(), Refusal::TimedOut);
        assert_eq!(gate.load(), (1, 0));
    }

    #[tokio::test]
    async fn leaving_frees_the_place_when_nobody_waits() {
        let gate = Gate::new(2, 4);
        let a = gate.enter(1, Duration::ZERO).await.unwrap();
        let b = gate.enter(2, Duration::ZERO).await.unwrap();
        assert_eq!(gate.load(), (2, 0));
        drop(a);
        drop(b);
        assert_eq!(gate.load(), (0, 0));
    }
}
