//! Password hashing on a small fixed pool. Each argon2 hash takes ~12 MiB and a few hundred
//! milliseconds of a core: run one thread per request and a flood of made-up logins takes
//! gigabytes. Here two threads hash, a short queue waits, and anything beyond is refused at
//! once, before any hashing. Logins of existing accounts queue ahead of made-up ones (those are
//! bounded by the login throttle), and one address may have only a few hashes queued.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex};

use super::Error;

/// Threads that hash: memory is this many hashes at most.
pub const WORKERS: usize = 2;
/// Hashes waiting at most, per priority.
const QUEUED: usize = 8;
/// Hashes one address may have queued or running.
const PER_CLIENT: usize = 2;

pub const BUSY: &str = "Beaucoup de connexions en même temps : réessayez dans quelques secondes.";

/// Which queue a hash waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Creating accounts, changing passwords, logging in to an account that exists.
    Known,
    /// Logging in with a name no account has (still hashed, so it costs the same time).
    Unknown,
}

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Queues {
    known: VecDeque<Job>,
    unknown: VecDeque<Job>,
    per_client: HashMap<String, usize>,
}

pub struct Hashing {
    queues: Arc<(Mutex<Queues>, Condvar)>,
}

impl std::fmt::Debug for Hashing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hashing")
    }
}

impl Hashing {
    pub fn new() -> Hashing {
        let queues = Arc::new((Mutex::new(Queues::default()), Condvar::new()));
        for n in 0..WORKERS {
            let queues = Arc::clone(&queues);
            let spawned = std::thread::Builder::new()
                .name(format!("cartable-hash-{n}"))
                .spawn(move || work(&queues));
            if let Err(error) = spawned {
                tracing::error!(%error, "cannot start a password hashing thread");
            }
        }
        Hashing { queues }
    }

    /// Runs `hashing` on the pool when there is room for it, or refuses at once with `Busy`.
    pub async fn run<T: Send + 'static>(
        &self,
        client: &str,
        priority: Priority,
        hashing: impl FnOnce() -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        {
            let (lock, ready) = &*self.queues;
            let mut queues = lock.lock().unwrap_or_else(|p| p.into_inner());
            let mine = queues.per_client.get(client).copied().unwrap_or(0);
            let queue_len = match priority {
                Priority::Known => queues.known.len(),
                Priority::Unknown => queues.unknown.len(),
            };
            if mine >= PER_CLIENT || queue_len >= QUEUED {
                return Err(Error::Busy(BUSY.to_owned()));
            }
            *queues.per_client.entry(client.to_owned()).or_default() += 1;
            let owner = client.to_owned();
            let queues_for_job = Arc::clone(&self.queues);
            let job: Job = Box::new(move || {
                let _ = sender.send(hashing());
                let mut queues = queues_for_job.0.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(count) = queues.per_client.get_mut(&owner) {
                    *count -= 1;
                    if *count == 0 {
                        queues.per_client.remove(&owner);
                    }
                }
            });
            match priority {
                Priority::Known => queues.known.push_back(job),
                Priority::Unknown => queues.unknown.push_back(job),
            }
            ready.notify_one();
        }
        receiver
            .await
            .map_err(|_| Error::Internal("a password hashing thread stopped".into()))?
    }
}

impl Default for Hashing {
    fn default() -> Hashing {
        Hashing::new()
    }
}

fn work(queues: &(Mutex<Queues>, Condvar)) {
    let (lock, ready) = queues;
    loop {
        let job = {
            let mut queues = lock.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                if let Some(job) = queues
                    .known
                    .pop_front()
                    .or_else(|| queues.unknown.pop_front())
                {
                    break job;
                }
                queues = ready.wait(queues).unwrap_or_else(|p| p.into_inner());
            }
        };
        job();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn a_flood_is_refused_before_it_is_hashed() {
        let hashing = Arc::new(Hashing::new());
        let started = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for n in 0..100 {
            let (hashing, started) = (Arc::clone(&hashing), Arc::clone(&started));
            tasks.push(tokio::spawn(async move {
                hashing
                    .run(&format!("10.0.0.{n}"), Priority::Unknown, move || {
                        started.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        Ok(())
                    })
                    .await
            }));
        }
        let mut refused = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), Err(Error::Busy(_))) {
                refused += 1;
            }
        }
        let hashed = started.load(Ordering::SeqCst);
        assert_eq!(hashed + refused, 100);
        assert!(hashed <= QUEUED + WORKERS + 8, "{hashed} hashed");
        assert!(refused > 0);
    }

    #[tokio::test]
    async fn one_address_cannot_queue_more_than_its_share() {
        let hashing = Arc::new(Hashing::new());
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let hashing = Arc::clone(&hashing);
            tasks.push(tokio::spawn(async move {
                hashing
                    .run("10.0.0.1", Priority::Known, || {
                        std::thread::sleep(Duration::from_millis(100));
                        Ok(())
                    })
                    .await
            }));
        }
        let mut done = 0;
        for task in tasks {
            if task.await.unwrap().is_ok() {
                done += 1;
            }
        }
        assert!(done <= PER_CLIENT + 1, "{done} ran");
    }
}
