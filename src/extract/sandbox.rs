//! Runs extraction in a child process (`cartable extract`) with a wall-clock limit, and with the
//! child's address space and CPU time capped by rlimits it sets on itself before parsing anything.
//! Whatever the child does — hang, abort, overflow its stack, run out of memory — the caller gets
//! an [`Extraction`] marked damaged and carries on.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::model::Format;

use super::Extraction;

/// Bounds on one extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub wall_time: Duration,
    pub cpu_seconds: u64,
    pub memory_bytes: u64,
    /// Most bytes of text kept per document.
    pub max_text: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            wall_time: Duration::from_secs(30),
            cpu_seconds: 20,
            memory_bytes: 1024 * 1024 * 1024,
            max_text: 2 * 1024 * 1024,
        }
    }
}

/// Starts extraction children. `program` and `args` form the command line before the extraction's
/// own arguments: normally this very binary and `["extract"]`.
#[derive(Debug, Clone)]
pub struct Extractor {
    program: PathBuf,
    args: Vec<String>,
    limits: Limits,
}

impl Extractor {
    pub fn new(program: PathBuf, args: Vec<String>, limits: Limits) -> Extractor {
        Extractor {
            program,
            args,
            limits,
        }
    }

    /// The `cartable extract` subcommand of the given cartable binary.
    pub fn cartable(binary: PathBuf, limits: Limits) -> Extractor {
        Extractor::new(binary, vec!["extract".to_owned()], limits)
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Extracts the text of `path` in a child process. Never fails: a child that cannot start,
    /// crashes, overruns its time or answers nonsense gives a damaged extraction with the reason.
    pub fn run(&self, path: &Path, format: Format) -> Extraction {
        let limits = self.limits;
        let spawned = Command::new(&self.program)
            .args(&self.args)
            .arg("--format")
            .arg(format.name())
            .arg("--max-text")
            .arg(limits.max_text.to_string())
            .arg("--memory-bytes")
            .arg(limits.memory_bytes.to_string())
            .arg("--cpu-seconds")
            .arg(limits.cpu_seconds.to_string())
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            // Its own process group, so a timeout kills whatever it started too, and nothing is
            // left holding the output pipe open.
            .process_group(0)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(error) => {
                tracing::error!(program = %self.program.display(), %error, "cannot start the extraction process");
                return Extraction::failed("l'extraction du texte n'a pas pu démarrer");
            }
        };
        // The pipe is drained on its own thread so a child writing more than the pipe holds never
        // blocks; the cap leaves room for JSON escaping of the capped text.
        let stdout = child.stdout.take().expect("stdout was piped");
        let output_cap = (limits.max_text as u64) * 6 + 64 * 1024;
        let reader = std::thread::spawn(move || {
            let mut output = Vec::new();
            let _ = stdout.take(output_cap).read_to_end(&mut output);
            output
        });
        let started = Instant::now();
        let mut pause = Duration::from_micros(200);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => {
                    // Anything the child left running would hold the output pipe open.
                    let pid = rustix::process::Pid::from_child(&child);
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                    break Some(status);
                }
                Ok(None) if started.elapsed() >= limits.wall_time => {
                    kill_group(&mut child);
                    break None;
                }
                Ok(None) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(error) => {
                    tracing::error!(%error, "cannot wait for the extraction process");
                    kill_group(&mut child);
                    break None;
                }
            }
        };
        let output = reader.join().unwrap_or_default();
        let Some(status) = status else {
            tracing::warn!(path = %path.display(), "extraction timed out");
            return Extraction::failed(format!(
                "l'extraction du texte a pris trop de temps (plus de {:.1} s)",
                limits.wall_time.as_secs_f64()
            ));
        };
        if !status.success() {
            tracing::warn!(path = %path.display(), %status, "extraction process failed");
            return Extraction::failed(
                "l'extraction du texte a échoué (fichier endommagé ou trop complexe)",
            );
        }
        match serde_json::from_slice::<Extraction>(&output) {
            Ok(extraction) => extraction,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "extraction process answered nonsense");
                Extraction::failed("l'extraction du texte a échoué")
            }
        }
    }
}

/// Kills the child and everything in its process group, then reaps the child.
fn kill_group(child: &mut Child) {
    let pid = rustix::process::Pid::from_child(child);
    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    let _ = child.kill();
    let _ = child.wait();
}

/// Applies the limits to the current process; the `extract` subcommand calls it before reading
/// the file, so the limits hold even if the parser misbehaves from its first byte.
pub fn confine_current_process(memory_bytes: u64, cpu_seconds: u64) -> std::io::Result<()> {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let cap = |limit: u64| Rlimit {
        current: Some(limit),
        maximum: Some(limit),
    };
    setrlimit(Resource::As, cap(memory_bytes))?;
    // The soft CPU limit sends SIGXCPU; the hard one a second later SIGKILL.
    setrlimit(
        Resource::Cpu,
        Rlimit {
            current: Some(cpu_seconds),
            maximum: Some(cpu_seconds + 1),
        },
    )?;
    // A crashing parser must not leave core files on a small SD card.
    setrlimit(Resource::Core, cap(0))?;
    Ok(())
}
