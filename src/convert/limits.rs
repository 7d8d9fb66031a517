//! The bounds LibreOffice runs under, and what its end says about them. It is run through
//! `cartable confine` (rlimits set, then `exec`): a document that makes it allocate, compute,
//! fork or write without end stops it, not the server.

use std::process::ExitStatus;

/// Bounds on one LibreOffice run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficeLimits {
    /// Address space. LibreOffice converts a plain DOCX in about 130 MB resident (measured: it
    /// starts under 256 MiB, fails to start under 128 MiB); 1 GiB leaves room for big documents.
    pub memory_bytes: u64,
    /// CPU time of each of its processes.
    pub cpu_seconds: u64,
    /// Processes and threads it may start, beyond what the user runs already.
    pub processes: u64,
    /// Largest file it may write (the PDF, its profile).
    pub file_bytes: u64,
}

impl Default for OfficeLimits {
    fn default() -> OfficeLimits {
        OfficeLimits {
            memory_bytes: 1024 * 1024 * 1024,
            cpu_seconds: 120,
            processes: 128,
            file_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Which limit a run went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Memory,
    CpuTime,
    FileSize,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::Memory => "memory",
            Limit::CpuTime => "CPU time",
            Limit::FileSize => "file size",
        })
    }
}

/// Why a LibreOffice run did not convert everything.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("LibreOffice cannot start: {0}")]
    CannotStart(std::io::Error),
    /// It failed before converting anything, not because of a limit: the install or the
    /// machine is at fault, no document.
    #[error("LibreOffice failed without converting anything ({status}): {detail}")]
    Broken { status: String, detail: String },
    #[error("LibreOffice went over its {limit} limit")]
    OverLimit { limit: Limit },
    #[error("LibreOffice crashed (signal {signal}), perhaps at its memory limit")]
    Crashed { signal: i32 },
    #[error("LibreOffice took longer than {seconds} s and was stopped")]
    TimedOut { seconds: u64 },
    #[error("cannot prepare or collect the conversion: {0}")]
    Io(#[from] std::io::Error),
}

/// What an unsuccessful end says: a limit, a crash, or nothing special (`None`). `soffice` is a
/// shell script, so a signal that ends `soffice.bin` reaches us as the exit code 128 + signal.
pub fn classify(status: ExitStatus, stderr: &[u8]) -> Option<ConvertError> {
    use std::os::unix::process::ExitStatusExt;
    let stderr = String::from_utf8_lossy(stderr);
    let out_of_memory = [
        "bad_alloc",
        "failed to map segment",
        "Cannot allocate memory",
        "out of memory",
    ]
    .iter()
    .any(|sign| stderr.contains(sign));
    if out_of_memory {
        return Some(ConvertError::OverLimit {
            limit: Limit::Memory,
        });
    }
    let signal = status
        .signal()
        .or_else(|| status.code().filter(|c| *c > 128).map(|c| c - 128))?;
    Some(match signal {
        // SIGXCPU at the soft CPU limit, SIGKILL at the hard one (our own wall-time kill is
        // told apart by the caller, which saw the time run out).
        24 | 9 => ConvertError::OverLimit {
            limit: Limit::CpuTime,
        },
        25 => ConvertError::OverLimit {
            limit: Limit::FileSize,
        },
        signal => ConvertError::Crashed { signal },
    })
}
