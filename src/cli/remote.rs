//! Commands that change the data folder run here when this process owns it, or are handed to the
//! running server over its control socket (`crate::control`) when it does: either way the same
//! [`control::execute`] runs and the same replies come back, so the output and exit codes match.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};

use crate::control::{self, Beside, Reply, Request};
use crate::service::Core;

/// Runs `request` here, or in the server that owns the folder; `progress` gets the progress
/// replies, the final reply is returned (a failure is an error, as the direct command's).
pub fn run(
    core: &Core,
    request: &Request,
    progress: &(dyn Fn(Reply) + Sync),
) -> anyhow::Result<Reply> {
    if core.owns_data() {
        return Ok(control::execute(core, request, Beside::Nothing, progress)?);
    }
    call(core.data_dir(), request, progress)
}

/// Why a call did not reach a server.
#[derive(Debug, thiserror::Error)]
pub enum Unreachable {
    #[error("aucun serveur cartable ne répond sur {0}")]
    NoServer(String),
    /// The cause is printed after the message (`{:#}`), as for every error.
    #[error("pas le droit d'utiliser {path} : lancez la commande avec l'utilisateur du service (sudo -u cartable cartable ...)")]
    Denied {
        path: String,
        source: std::io::Error,
    },
    #[error("le serveur cartable utilise ce dossier de données mais {path} ne répond pas")]
    Broken {
        path: String,
        source: std::io::Error,
    },
}

/// How long a command waits for a server that owns the folder to open its socket (it is
/// starting: opening a big data folder takes a moment).
const STARTING: Duration = Duration::from_secs(15);

/// Sends `request` to the server of `data_dir` and reads its replies.
pub fn call(
    data_dir: &Path,
    request: &Request,
    progress: &(dyn Fn(Reply) + Sync),
) -> anyhow::Result<Reply> {
    call_within(data_dir, request, progress, STARTING)
}

/// What the server of `data_dir` says it is doing, if one answers at once: for a command that
/// does its own work and only wants to know about the server (a starting one is not waited for).
pub fn status_now(data_dir: &Path) -> Option<control::Status> {
    match call_within(data_dir, &Request::Status, &|_| {}, Duration::ZERO) {
        Ok(Reply::Status(status)) => Some(status),
        _ => None,
    }
}

/// `call`, waiting at most `starting` for a server that owns the folder to open its socket.
fn call_within(
    data_dir: &Path,
    request: &Request,
    progress: &(dyn Fn(Reply) + Sync),
    starting: Duration,
) -> anyhow::Result<Reply> {
    let path = control::socket_path(data_dir);
    let shown = path.display().to_string();
    let deadline = Instant::now() + starting;
    let mut stream = loop {
        let source = match UnixStream::connect(&path) {
            Ok(stream) => break stream,
            Err(source) => source,
        };
        let absent = matches!(
            source.kind(),
            std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
        );
        if absent && !crate::service::served_elsewhere(data_dir) {
            return Err(Unreachable::NoServer(shown).into());
        }
        if absent && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        }
        return Err(match source.kind() {
            std::io::ErrorKind::PermissionDenied => Unreachable::Denied {
                path: shown,
                source,
            },
            _ => Unreachable::Broken {
                path: shown,
                source,
            },
        }
        .into());
    };
    let mut line = serde_json::to_vec(request)?;
    line.push(b'\n');
    stream
        .write_all(&line)
        .with_context(|| format!("cannot write to {shown}"))?;
    for line in BufReader::new(stream).lines() {
        let line = line.with_context(|| format!("cannot read from {shown}"))?;
        let reply: Reply = serde_json::from_str(&line)
            .with_context(|| format!("unreadable reply from {shown}: {line}"))?;
        match reply {
            Reply::Progress { .. } => progress(reply),
            Reply::Failed { message } => return Err(anyhow!(message)),
            reply => return Ok(reply),
        }
    }
    bail!("le serveur s'est arrêté avant la fin de la commande (voir son journal)")
}

/// The final reply was not the one this command expects: a server of another version.
pub fn unexpected(reply: Reply) -> anyhow::Error {
    anyhow!("réponse inattendue du serveur : {reply:?}")
}
