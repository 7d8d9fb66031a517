//! Word, OpenDocument and slide files turned into PDF by LibreOffice (`soffice --headless`) when
//! it is installed, so a printable pack and a phone reading them ("Lire") show them as their
//! authors laid them out (tables, pictures, columns) instead of as plain text. Conversions are
//! kept by content hash: a document is converted once, however many packs or phones it goes to,
//! and one that LibreOffice cannot convert is remembered as such and printed (and read) as text
//! from then on.
//!
//! LibreOffice runs under memory, CPU time, process count and file size limits (`limits`), with
//! a wall-clock limit in its own process group (killed whole), with a
//! profile of its own per run, so two packs can convert at once and a desktop LibreOffice left
//! open on the machine is never disturbed. It reads documents uploaded by staff; the PDF it
//! writes is read by the confined pack child like any other PDF.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::sandbox;

mod limits;

pub use limits::{ConvertError, Limit, OfficeLimits};

/// One file to convert.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// The extension LibreOffice should see ("docx", "odt"): stored files have none.
    pub extension: &'static str,
    /// Names its PDF in the cache: the file's SHA-256.
    pub key: String,
}

/// LibreOffice, as the configured program (`soffice`, or a full path).
#[derive(Debug, Clone)]
pub struct OfficeConverter {
    program: String,
    /// This very binary, whose `confine` subcommand runs LibreOffice under the limits; `None`
    /// runs it bare (tests with stand-in scripts).
    confine: Option<(PathBuf, OfficeLimits)>,
}

/// Time for LibreOffice to start, then for each document.
const START_TIME: Duration = Duration::from_secs(60);
const TIME_PER_DOCUMENT: Duration = Duration::from_secs(20);

impl OfficeConverter {
    pub fn new(program: impl Into<String>) -> OfficeConverter {
        OfficeConverter {
            program: program.into(),
            confine: None,
        }
    }

    /// Runs LibreOffice through `cartable confine` (`binary` is the cartable binary) under
    /// `limits`.
    pub fn confined(self, binary: PathBuf, limits: OfficeLimits) -> OfficeConverter {
        OfficeConverter {
            confine: Some((binary, limits)),
            ..self
        }
    }

    /// Whether the program is there to run: a full path that is an executable file, or a name
    /// found in `PATH`. Not installed is a setting of the machine, not a failure: the caller
    /// tells the person once rather than each conversion logging an error.
    pub fn installed(&self) -> bool {
        use std::os::unix::fs::PermissionsExt;
        let executable = |path: &Path| {
            path.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        };
        let program = Path::new(&self.program);
        if program.components().count() > 1 {
            return executable(program);
        }
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|folder| executable(&folder.join(program)))
        })
    }

    /// The PDF of each source, in order: from `cache` when converted before, else converted now
    /// (all in one LibreOffice run, working in a folder made in `work`); `None` when it cannot
    /// be (LibreOffice missing, or the file refused). `cache` and `work` must be on one file
    /// system: finished PDFs are renamed into the cache.
    pub fn convert(&self, sources: &[Source], cache: &Path, work: &Path) -> Vec<Option<PathBuf>> {
        let mut pdfs: Vec<Option<PathBuf>> = sources
            .iter()
            .map(|source| Some(cache.join(format!("{}.pdf", source.key))).filter(|p| p.is_file()))
            .collect();
        let pending: Vec<&Source> = sources
            .iter()
            .zip(&pdfs)
            .filter(|(source, pdf)| pdf.is_none() && !failure_mark(cache, source).exists())
            .map(|(source, _)| source)
            .collect();
        if pending.is_empty() {
            return pdfs;
        }
        if !self.installed() {
            tracing::debug!(program = %self.program, "LibreOffice is not installed: office files print as text");
            return pdfs;
        }
        if let Err(error) = self.run(&pending, cache, work) {
            tracing::warn!(%error, "LibreOffice could not convert documents");
        }
        for (source, pdf) in sources.iter().zip(pdfs.iter_mut()) {
            if pdf.is_none() {
                *pdf = Some(cache.join(format!("{}.pdf", source.key))).filter(|p| p.is_file());
            }
        }
        pdfs
    }

    /// Converts `pending` in one LibreOffice run and moves each PDF made into `cache`. Files it
    /// refused are marked failed; after a timeout, only the one it was converting is.
    pub fn run(&self, pending: &[&Source], cache: &Path, work: &Path) -> Result<(), ConvertError> {
        std::fs::create_dir_all(cache)?;
        let folder = tempfile::Builder::new()
            .prefix("conversion-")
            .tempdir_in(work)?;
        let (inputs, outputs, profile) = (
            folder.path().join("in"),
            folder.path().join("out"),
            folder.path().join("profile"),
        );
        std::fs::create_dir_all(&inputs)?;
        std::fs::create_dir_all(&outputs)?;
        let mut command = match &self.confine {
            Some((binary, limits)) => {
                let mut command = Command::new(binary);
                command
                    .arg("confine")
                    .arg(format!("--memory-bytes={}", limits.memory_bytes))
                    .arg(format!("--cpu-seconds={}", limits.cpu_seconds))
                    .arg(format!("--processes={}", limits.processes))
                    .arg(format!("--file-bytes={}", limits.file_bytes))
                    .arg("--")
                    .arg(&self.program);
                command
            }
            None => Command::new(&self.program),
        };
        command
            .args(["--headless", "--norestore", "--nologo", "--nolockcheck"])
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.to_string_lossy()
            ))
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(&outputs)
            // LibreOffice writes its settings under HOME too when it cannot use the profile.
            .env("HOME", folder.path());
        for source in pending {
            let input = inputs.join(format!("{}.{}", source.key, source.extension));
            std::os::unix::fs::symlink(&source.path, &input)?;
            command.arg(input);
        }
        let wall_time = START_TIME + TIME_PER_DOCUMENT * pending.len() as u32;
        let made = |source: &Source| outputs.join(format!("{}.pdf", source.key));
        // Whether LibreOffice stopped before the end (killed, crashed, or failing), and why.
        let (stopped, failure) = match sandbox::run(command, &[], wall_time, 64 * 1024) {
            sandbox::Outcome::CannotStart(error) => return Err(ConvertError::CannotStart(error)),
            sandbox::Outcome::Exited { status, .. } if status.success() => (false, None),
            sandbox::Outcome::Exited { status, stderr, .. } => {
                match limits::classify(status, &stderr) {
                    Some(failure) => (true, Some(failure)),
                    None if !pending.iter().any(|s| is_pdf(&made(s))) => {
                        // Nothing made and a failure: LibreOffice itself is broken here (no room
                        // for its profile, a bad install). No document is to blame.
                        return Err(ConvertError::Broken {
                            status: status.to_string(),
                            detail: String::from_utf8_lossy(&stderr).trim().to_owned(),
                        });
                    }
                    None => (true, None),
                }
            }
            sandbox::Outcome::TimedOut { .. } => (
                true,
                Some(ConvertError::TimedOut {
                    seconds: wall_time.as_secs(),
                }),
            ),
        };
        // LibreOffice converts in the order given: when it stopped early, the first file
        // without its PDF is the one it stopped on; the ones after it may never have been tried.
        // When it ended well, every file without its PDF was refused.
        let mut blamed = false;
        for source in pending {
            let made = made(source);
            if is_pdf(&made) {
                std::fs::rename(&made, cache.join(format!("{}.pdf", source.key)))?;
            } else if !stopped || !blamed {
                tracing::warn!(file = %source.path.display(), stopped, "LibreOffice did not convert a document; it will print as text");
                std::fs::write(failure_mark(cache, source), b"")?;
                blamed = true;
            }
        }
        failure.map_or(Ok(()), Err)
    }
}

/// The PDF made before of the file `key`, if any.
pub fn kept(cache: &Path, key: &str) -> Option<PathBuf> {
    Some(cache.join(format!("{key}.pdf"))).filter(|pdf| pdf.is_file())
}

/// Whether LibreOffice refused the file `key` before (it is then read and printed as text).
pub fn refused(cache: &Path, key: &str) -> bool {
    cache.join(format!("{key}.failed")).exists()
}

/// Removes what was kept of the file `key` (its PDF, or its failure mark): once its document is
/// deleted, nothing of it may remain.
pub fn forget(cache: &Path, key: &str) -> std::io::Result<()> {
    for kept in [format!("{key}.pdf"), format!("{key}.failed")] {
        match std::fs::remove_file(cache.join(kept)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    Ok(())
}

/// Marks a file LibreOffice could not convert, so it is not tried at every pack.
fn failure_mark(cache: &Path, source: &Source) -> PathBuf {
    cache.join(format!("{}.failed", source.key))
}

/// Whether `path` is a non-empty file that starts like a PDF.
fn is_pdf(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 5];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok_and(|()| &start == b"%PDF-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_converts_nothing_and_marks_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let file = dir.path().join("abc");
        std::fs::write(&file, b"not really a document").unwrap();
        let source = Source {
            path: file,
            extension: "docx",
            key: "abc".to_owned(),
        };
        let converter = OfficeConverter::new("/nonexistent/soffice");
        assert!(!converter.installed());
        assert!(!OfficeConverter::new("no-such-soffice-here").installed());
        assert!(OfficeConverter::new("sh").installed());
        assert_eq!(
            converter.convert(std::slice::from_ref(&source), &cache, dir.path()),
            vec![None]
        );
        // Installing LibreOffice later must let it try.
        assert!(!failure_mark(&cache, &source).exists());
        assert!(!converter.installed());
        assert!(!OfficeConverter::new("no-such-office-program").installed());
        assert!(OfficeConverter::new("sh").installed());
        assert!(
            !OfficeConverter::new(source.path.to_string_lossy()).installed(),
            "a file that is not executable"
        );
    }

    /// A stand-in for `soffice`: a shell script `body`.
    fn fake_office(dir: &Path, name: &str, body: &str) -> OfficeConverter {
        use std::os::unix::fs::PermissionsExt;
        let program = dir.join(name);
        std::fs::write(&program, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        OfficeConverter::new(program.to_string_lossy())
    }

    /// A stand-in for `soffice` that converts nothing and exits with `status`.
    fn silent_office(dir: &Path, status: i32) -> OfficeConverter {
        fake_office(
            dir,
            &format!("soffice-exit-{status}"),
            &format!("exit {status}"),
        )
    }

    fn sources(dir: &Path, keys: &[&str]) -> Vec<Source> {
        keys.iter()
            .map(|key| Source {
                path: dir.join(key),
                extension: "docx",
                key: (*key).to_owned(),
            })
            .collect()
    }

    #[test]
    fn a_crash_blames_the_file_it_stopped_on_and_not_the_ones_after() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        // Converts its first file, then crashes on the second.
        let crashing = fake_office(
            dir.path(),
            "soffice-crash",
            r#"while [ "$1" != "--outdir" ]; do shift; done
out="$2"; shift 2
name=$(basename "$1")
printf '%%PDF-1.4\n' > "$out/${name%.*}.pdf"
exit 134"#,
        );
        let sources = sources(dir.path(), &["first", "second", "third"]);
        let pdfs = crashing.convert(&sources, &cache, dir.path());
        assert_eq!(pdfs, vec![Some(cache.join("first.pdf")), None, None]);
        assert!(failure_mark(&cache, &sources[1]).exists());
        assert!(!failure_mark(&cache, &sources[2]).exists(), "never tried");
    }

    #[test]
    fn a_file_refused_is_remembered_but_a_broken_libreoffice_blames_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let source = Source {
            path: dir.path().join("abc"),
            extension: "docx",
            key: "abc".to_owned(),
        };
        let sources = std::slice::from_ref(&source);
        // Failing without converting anything: LibreOffice is at fault, the file may be tried
        // again once it is repaired.
        let broken = silent_office(dir.path(), 1);
        assert_eq!(broken.convert(sources, &cache, dir.path()), vec![None]);
        assert!(!failure_mark(&cache, &source).exists());
        // Ending well without the PDF: this file is refused, and not tried at every pack.
        let refusing = silent_office(dir.path(), 0);
        assert_eq!(refusing.convert(sources, &cache, dir.path()), vec![None]);
        assert!(failure_mark(&cache, &source).exists());
        assert!(refused(&cache, "abc"));
        // Forgetting the file (its document deleted) removes the mark.
        forget(&cache, "abc").unwrap();
        assert!(!failure_mark(&cache, &source).exists());
        forget(&cache, "abc").unwrap();
    }

    #[test]
    fn a_pdf_converted_before_is_used() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("abc.pdf"), b"%PDF-1.7 cached").unwrap();
        let source = Source {
            path: dir.path().join("missing"),
            extension: "odt",
            key: "abc".to_owned(),
        };
        let converter = OfficeConverter::new("/nonexistent/soffice");
        assert_eq!(
            converter.convert(&[source], dir.path(), dir.path()),
            vec![Some(dir.path().join("abc.pdf"))]
        );
        assert_eq!(kept(dir.path(), "abc"), Some(dir.path().join("abc.pdf")));
        assert_eq!(kept(dir.path(), "other"), None);
    }
}
