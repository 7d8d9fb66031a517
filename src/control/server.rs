//! The server's side of the control socket, started by [`crate::serve`] beside the web: it binds
//! `DATA/control.sock` readable and writable by its owner only, replaces a socket left by a server
//! that died (it holds the folder's lock, so no live server can own that one), removes it at stop,
//! and runs each request's [`execute`] on a long-job thread while streaming progress back.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use crate::model::DocumentFilter;
use crate::service::Library;

use super::{describe, execute, socket_path, Beside, Reply, Request, RunningCommand, Status};

/// A request line longer than this is refused (paths of a big import fit easily).
const MAX_REQUEST_BYTES: u64 = 4 * 1024 * 1024;

/// The listening socket; dropping it stops accepting and removes the socket file.
#[derive(Debug)]
pub struct Control {
    path: PathBuf,
    accepting: tokio::task::JoinHandle<()>,
}

impl Drop for Control {
    fn drop(&mut self) {
        self.accepting.abort();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What every connection shares.
struct Shared {
    library: Library,
    started: Instant,
    requests_in_flight: Box<dyn Fn() -> i64 + Send + Sync>,
    site: Option<String>,
    commands: Mutex<Vec<Running>>,
    next_id: std::sync::atomic::AtomicU64,
}

struct Running {
    id: u64,
    command: &'static str,
    started: Instant,
    progress: Option<String>,
}

/// Listens on `DATA/control.sock`. Without it the web still works and commands beside it fail
/// with a clear message, so a failure is a warning, not a reason to stop serving. Call from
/// within the server's runtime. `site` is where phones reach the server, for `status`.
pub fn listen(
    data_dir: &Path,
    library: Library,
    site: Option<String>,
    requests_in_flight: impl Fn() -> i64 + Send + Sync + 'static,
) -> Option<Control> {
    let path = socket_path(data_dir);
    let listener = match bind(&path) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "no control socket: commands cannot run beside the server");
            return None;
        }
    };
    let shared = Arc::new(Shared {
        library,
        started: Instant::now(),
        requests_in_flight: Box::new(requests_in_flight),
        site,
        commands: Mutex::new(Vec::new()),
        next_id: Default::default(),
    });
    let accepting = tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    tokio::spawn(answer(stream, Arc::clone(&shared)));
                }
                Err(error) => tracing::warn!(%error, "control socket: cannot accept"),
            }
        }
    });
    Some(Control { path, accepting })
}

/// Binds in a private folder (mode 0700) and renames into place once the socket is 0600, so there
/// is no moment when someone else could connect; the rename replaces a stale socket.
fn bind(path: &Path) -> std::io::Result<UnixListener> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let private = tempfile::Builder::new()
        .prefix(".control-")
        .tempdir_in(folder)?;
    let staged = private.path().join("s");
    let listener = std::os::unix::net::UnixListener::bind(&staged)?;
    std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600))?;
    std::fs::rename(&staged, path)?;
    listener.set_nonblocking(true)?;
    UnixListener::from_std(listener)
}

/// One connection: one request, its progress, its final reply.
async fn answer(stream: UnixStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let read = BufReader::new(read.take(MAX_REQUEST_BYTES))
        .read_line(&mut line)
        .await;
    let request = match read.map(|_| serde_json::from_str::<Request>(&line)) {
        Ok(Ok(request)) => request,
        Ok(Err(error)) => {
            let message = format!("requête illisible : {error}");
            send(&mut write, &Reply::Failed { message }).await;
            return;
        }
        Err(_) => return,
    };
    let reply = match request {
        Request::Status => status(&shared).await,
        request => run(request, &shared, &mut write).await,
    };
    send(&mut write, &reply).await;
}

/// Runs a command on a long-job thread, forwarding its progress as it comes.
async fn run(
    request: Request,
    shared: &Shared,
    write: &mut tokio::net::unix::OwnedWriteHalf,
) -> Reply {
    let id = shared
        .next_id
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    shared.commands().push(Running {
        id,
        command: label(&request),
        started: Instant::now(),
        progress: None,
    });
    let (sender, mut progress) = tokio::sync::mpsc::unbounded_channel();
    let job = shared
        .library
        .long_job(crate::service::JobClass::Staff, move |core| {
            let reply = execute(core, &request, Beside::Web, &|reply| {
                let _ = sender.send(reply);
            });
            // A command that fails answers with what the direct command would print.
            Ok(reply.unwrap_or_else(|error| Reply::Failed {
                message: describe(&error),
            }))
        });
    tokio::pin!(job);
    let reply = loop {
        tokio::select! {
            Some(update) = progress.recv() => {
                if let Reply::Progress { done, total, .. } = &update {
                    if let Some(running) = shared.commands().iter_mut().find(|r| r.id == id) {
                        running.progress = Some(format!("{done}/{total}"));
                    }
                }
                send(write, &update).await;
            }
            reply = &mut job => break reply,
        }
    };
    // Progress sent just before the end still goes out first.
    while let Ok(update) = progress.try_recv() {
        send(write, &update).await;
    }
    shared.commands().retain(|r| r.id != id);
    reply.unwrap_or_else(|error| Reply::Failed {
        message: describe(&error),
    })
}

async fn status(shared: &Shared) -> Reply {
    let documents = shared
        .library
        .blocking(|core| Ok(core.list(&DocumentFilter::default())?.1))
        .await;
    let documents = match documents {
        Ok(documents) => documents,
        Err(error) => {
            return Reply::Failed {
                message: describe(&error),
            }
        }
    };
    let commands: Vec<RunningCommand> = shared
        .commands()
        .iter()
        .map(|running| RunningCommand {
            command: running.command.to_owned(),
            seconds: running.started.elapsed().as_secs(),
            progress: running.progress.clone(),
        })
        .collect();
    Reply::Status(Status {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        uptime_seconds: shared.started.elapsed().as_secs(),
        documents,
        requests_in_flight: (shared.requests_in_flight)(),
        // The shell's commands run as long jobs too: count the web's own.
        web_jobs: shared
            .library
            .long_jobs_running()
            .saturating_sub(commands.len()),
        commands,
        site: shared.site.clone(),
    })
}

impl Shared {
    fn commands(&self) -> std::sync::MutexGuard<'_, Vec<Running>> {
        self.commands.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn label(request: &Request) -> &'static str {
    match request {
        Request::Import { .. } => "import",
        Request::Reindex => "reindex",
        Request::Check { repair: false } => "check",
        Request::Check { repair: true } => "check --repair",
        Request::Account(_) => "user",
        Request::Remove { .. } => "remove",
        Request::ApplyHub { .. } => "sync",
        Request::Status => "status",
    }
}

/// Writes one reply line; a client that went away is not an error (the work is done anyway).
async fn send(write: &mut tokio::net::unix::OwnedWriteHalf, reply: &Reply) {
    let Ok(mut line) = serde_json::to_vec(reply) else {
        return;
    };
    line.push(b'\n');
    let _ = write.write_all(&line).await;
}
