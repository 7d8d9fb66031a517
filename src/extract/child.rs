//! Runs extraction in a child process (`cartable extract`) with a wall-clock limit, and with the
//! child's address space and CPU time capped by rlimits it sets on itself before parsing anything.
//! Whatever the child does — hang, abort, overflow its stack, run out of memory — the caller gets
//! an [`Extraction`] marked damaged and carries on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::model::{Format, Reading};
use crate::sandbox;

use super::{Extraction, MAX_READING_BYTES};

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

    /// The program children are started from (this very binary, normally).
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Extracts the text of `path` in a child process. Never fails: a child that cannot start,
    /// crashes, overruns its time or answers nonsense gives a damaged extraction with the reason.
    pub fn run(&self, path: &Path, format: Format) -> Extraction {
        let limits = self.limits;
        let output = match self.child(path, format, None, limits.max_text) {
            Ok(output) => output,
            Err(Failure::Exited) => {
                return Extraction::failed(
                    "l'extraction du texte a échoué (fichier endommagé ou trop complexe)",
                )
            }
            Err(Failure::TimedOut) => {
                return Extraction::failed(format!(
                    "l'extraction du texte a pris trop de temps (plus de {:.1} s)",
                    limits.wall_time.as_secs_f64()
                ))
            }
            Err(Failure::CannotStart) => {
                return Extraction::failed("l'extraction du texte n'a pas pu démarrer")
            }
        };
        match serde_json::from_slice::<Extraction>(&output) {
            Ok(extraction) => extraction,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "extraction process answered nonsense");
                Extraction::failed("l'extraction du texte a échoué")
            }
        }
    }

    /// The reading view's text of `path` (see `extract::reading`), read in a child process
    /// with the same limits as extraction. `None` when the child failed: the file is then
    /// read as nothing, like a file with no text.
    pub fn read(&self, path: &Path, format: Format) -> Option<Reading> {
        let output = self
            .child(path, format, Some("--reading"), MAX_READING_BYTES)
            .ok()?;
        serde_json::from_slice::<Reading>(&output)
            .inspect_err(|error| {
                tracing::warn!(path = %path.display(), %error, "reading process answered nonsense")
            })
            .ok()
    }

    /// Runs the child on `path` (with `mode` among its arguments, if any) and returns its output.
    fn child(
        &self,
        path: &Path,
        format: Format,
        mode: Option<&str>,
        max_text: usize,
    ) -> Result<Vec<u8>, Failure> {
        let limits = self.limits;
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .args(mode)
            .arg("--format")
            .arg(format.name())
            .arg("--max-text")
            .arg(max_text.to_string())
            .arg("--memory-bytes")
            .arg(limits.memory_bytes.to_string())
            .arg("--cpu-seconds")
            .arg(limits.cpu_seconds.to_string())
            .arg(path);
        // The cap leaves room for JSON escaping of the capped text.
        let output_cap = (max_text as u64) * 6 + 64 * 1024;
        match sandbox::run(command, &[], limits.wall_time, output_cap) {
            sandbox::Outcome::Exited { status, stdout, .. } if status.success() => Ok(stdout),
            sandbox::Outcome::Exited { status, .. } => {
                tracing::warn!(path = %path.display(), %status, ?mode, "extraction process failed");
                Err(Failure::Exited)
            }
            sandbox::Outcome::TimedOut { .. } => {
                tracing::warn!(path = %path.display(), ?mode, "extraction timed out");
                Err(Failure::TimedOut)
            }
            sandbox::Outcome::CannotStart(error) => {
                tracing::error!(program = %self.program.display(), %error, "cannot start the extraction process");
                Err(Failure::CannotStart)
            }
        }
    }
}

/// How an extraction child failed.
#[derive(Debug)]
enum Failure {
    Exited,
    TimedOut,
    CannotStart,
}
