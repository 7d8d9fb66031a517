//! What a run of the real binary gave, read as text, with a check that it did not panic.

use std::path::Path;
use std::process::Output;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `cartable --data DATA ARGS…`, finished.
pub fn cartable(data: &Path, args: &[&str]) -> Run {
    finish(super::run_cartable(data, args))
}

/// The output of a run, as text; a panic in it fails the test.
pub fn finish(output: Output) -> Run {
    let run = Run {
        code: output.status.code().expect("the binary exits, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}
