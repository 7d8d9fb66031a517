//! The `cartable pack` child: its limits, how it is run, and what its exit and output say (built,
//! cannot write, or died while reading a given document).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::bundle::pack::{Plan, Step, Summary, WriteFailure};
use crate::sandbox;

use crate::service::Error;

/// Limits of the child that builds a pack: more time than one extraction (it reads every
/// document of the selection), as much memory as the biggest PDF needs.
const PACK_WALL_TIME: Duration = Duration::from_secs(600);
const PACK_CPU_SECONDS: u64 = 300;
const PACK_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Runs `cartable pack` (`program` is this binary) on the plan, writing `file`.
pub(super) fn run(program: &Path, plan: &Plan, file: &Path) -> Result<ChildEnd, Error> {
    let input = serde_json::to_vec(plan).map_err(|e| Error::Internal(Box::new(e)))?;
    let mut command = Command::new(program);
    command
        .arg("pack")
        .arg("--memory-bytes")
        .arg(PACK_MEMORY_BYTES.to_string())
        .arg("--cpu-seconds")
        .arg(PACK_CPU_SECONDS.to_string())
        .arg("--out")
        .arg(file);
    let (status, stdout, stderr) = match sandbox::run(command, &input, PACK_WALL_TIME, 1 << 20) {
        sandbox::Outcome::Exited {
            status,
            stdout,
            stderr,
        } => (Some(status), stdout, stderr),
        sandbox::Outcome::TimedOut { stdout, stderr } => (None, stdout, stderr),
        sandbox::Outcome::CannotStart(error) => return Err(Error::Internal(Box::new(error))),
    };
    let end = child_end(status.is_some_and(|s| s.success()), &stdout)?;
    if let ChildEnd::Died(culprit) = &end {
        tracing::warn!(?status, ?culprit, output = %String::from_utf8_lossy(&stderr).trim(), "the printable pack child failed");
    }
    Ok(end)
}

/// What the child's exit and its stdout (steps, then the summary or a write failure) say.
fn child_end(success: bool, stdout: &[u8]) -> Result<ChildEnd, Error> {
    let stdout = String::from_utf8_lossy(stdout);
    let last = stdout.lines().last().unwrap_or("");
    if success {
        return serde_json::from_str::<Summary>(last)
            .map(ChildEnd::Built)
            .map_err(|e| Error::Internal(Box::new(e)));
    }
    if let Some(failure) = WriteFailure::parse(last) {
        return Ok(ChildEnd::CannotWrite(failure));
    }
    // Dying while a document was being read blames that document; dying after all were in
    // blames none (the cover, the contents, the file itself).
    Ok(ChildEnd::Died(
        match stdout.lines().rev().find_map(Step::parse) {
            Some(Step::Part(index)) => Some(index),
            Some(Step::PartsDone) | None => None,
        },
    ))
}

/// How a `cartable pack` child ended.
#[derive(Debug, PartialEq)]
pub(super) enum ChildEnd {
    Built(Summary),
    CannotWrite(WriteFailure),
    /// Crashed, killed or timed out; with the part it was reading, if any.
    Died(Option<usize>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_blames_the_document_being_read_and_only_that() {
        let died = |stdout: &str| child_end(false, stdout.as_bytes()).unwrap();
        assert_eq!(died("part 0\npart 1\npart 2\n"), ChildEnd::Died(Some(2)));
        assert_eq!(died("part 0\npart 1\nparts done\n"), ChildEnd::Died(None));
        assert_eq!(died(""), ChildEnd::Died(None));
        assert_eq!(
            died("part 0\nwrite failed: no space\n"),
            ChildEnd::CannotWrite(WriteFailure::NoSpace)
        );
        let built = child_end(true, b"part 0\nparts done\n{\"pages\":3,\"parts\":[]}\n");
        assert!(matches!(
            built,
            Ok(ChildEnd::Built(Summary { pages: 3, .. }))
        ));
        assert!(
            child_end(true, b"part 0\n").is_err(),
            "success without a summary"
        );
    }
}
